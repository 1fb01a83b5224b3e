"""An in-process helpdesk check with the `pacto` Python package: load the standard
policy, decide one case (a dict, as a helpdesk would hold it) and print what to act on:
the deadlines, the escalation and the compensation owed.

    pip install ./bindings/python          # from the repository's top folder
    python examples/python/helpdesk.py [BUNDLE_DIR]

The decision is made as of a fixed instant, never the wall clock, so the output is the
same on every run; it is what `pacto decide` prints for the same case and `--now`.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pacto

REPO = Path(__file__).resolve().parents[2]

# a gold customer's billing complaint by e-mail, answered once, then chased
CASE = {
    "id": "T-1",
    "opened_at": "2026-03-02T09:30:00+01:00",
    "priority": "normal",
    "channel": "email",
    "kind": "complaint",
    "category": "billing",
    "customer": {"id": "K-77", "tier": "gold"},
    "order": {"value": 49900, "currency": "EUR"},
    "events": [
        {"at": "2026-03-02T09:30:00+01:00", "type": "customer_message"},
        {"at": "2026-03-02T13:20:00+01:00", "type": "agent_reply"},
        {"at": "2026-03-03T10:00:00+01:00", "type": "customer_message"},
    ],
}


def money(minor: int, currency: str | None) -> str:
    """Minor units as an amount (yen have none)."""
    if currency is None:
        return str(minor)
    if currency == "JPY":
        return f"{minor} {currency}"
    return f"{minor / 100:.2f} {currency}"


def main() -> int:
    bundle = sys.argv[1] if len(sys.argv) > 1 else REPO / "rules" / "standard-rhai"
    try:
        policy = pacto.load(bundle)
    except pacto.BundleError as e:
        print(f"cannot load {bundle}: {e}", file=sys.stderr)
        return 2
    info = policy.info
    print(f"policy {info['name']} {info['version']} ({info['digest'][:19]}…)")

    now = "2026-03-04T12:00:00+01:00"
    try:
        d = policy.decide(CASE, now=now)
    except pacto.PactoError as e:  # InputError, PolicyError, LimitError, …
        print(f"{CASE['id']}: no decision ({e.kind}): {e}", file=sys.stderr)
        return 1

    print(f"{CASE['id']} as of {now}:")
    for dl in d["deadlines"]:
        state = dl["status"]
        if dl.get("breached_by"):
            state += f" by {dl['breached_by']} min"
        elif dl.get("remaining") is not None and state == "running":
            state += f", {dl['remaining']} min left"
        print(f"  {dl['metric']:<15} due {dl.get('due') or '—'}  ({state}, {dl['calendar']})")
    e = d.get("escalation")
    if e:
        notify = ", ".join(e["notify"]) or "nobody else"
        print(f"  escalate: level {e['level']} to {e['team']}, notify {notify}: {e['reason']}")
    else:
        print("  escalate: no")
    for c in d["compensation"]:
        approval = " (needs approval)" if c.get("requires_approval") else ""
        print(f"  owe: {c['kind']} {money(c['amount'], c.get('currency'))}{approval}: {c['reason']}")
    if not d["compensation"]:
        print("  owe: nothing")
    return 0


if __name__ == "__main__":
    sys.exit(main())
