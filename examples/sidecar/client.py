#!/usr/bin/env python3
"""A client for the Pacto sidecar (`pacto serve`), on Python 3.11's standard library only.

    pacto serve --policies rules/standard-rhai --listen 127.0.0.1:8080 &
    python3 examples/sidecar/client.py                # decides examples/cases/*.json
    python3 examples/sidecar/client.py --url http://127.0.0.1:8080 --policy standard DIR

As a library:

    from client import PactoClient, PactoError
    pacto = PactoClient("http://127.0.0.1:8080")
    decision = pacto.decide("standard", case, now="2026-03-03T12:00:00+01:00")
    rows = pacto.decide_batch("standard", open("examples/corpus.jsonl"))

The contract (routes, bodies, error kinds) is "Registry and HTTP API" in DESIGN.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterable
from pathlib import Path
from typing import Any


class PactoError(Exception):
    """An error answer: `kind` and `message` from the body `{"error": {"kind", "message"}}`,
    `status` the HTTP status (None when the server could not be reached at all)."""

    def __init__(self, kind: str, message: str, status: int | None):
        super().__init__(f"{kind}: {message}" + (f" (HTTP {status})" if status else ""))
        self.kind = kind
        self.message = message
        self.status = status


class PactoClient:
    """Talks to one `pacto serve`. A 503 (saturated) is retried after its `Retry-After`,
    up to `retries` times; every other error raises PactoError."""

    def __init__(self, base_url: str = "http://127.0.0.1:8080", timeout: float = 10.0,
                 retries: int = 3):
        self.base_url = base_url.rstrip("/")
        self.timeout = timeout
        self.retries = retries

    def healthz(self) -> bool:
        return self._request("GET", "/healthz").decode() == "ok"

    def policies(self) -> list[dict[str, Any]]:
        """`[{"name", "version", "digest", "engine", "loaded_at"}, …]`"""
        return json.loads(self._request("GET", "/v1/policies"))

    def decide(self, name: str, case: dict[str, Any] | str,
               now: str | dt.datetime | None = None) -> dict[str, Any]:
        """The decision for `case` (a dict, or its JSON text) as of `now` (RFC 3339 text, an
        aware datetime, or None: the case's last event), exactly the decision JSON parsed."""
        body: dict[str, Any] = {"case": json.loads(case) if isinstance(case, str) else case}
        if now is not None:
            body["now"] = now.isoformat() if isinstance(now, dt.datetime) else now
        answer = self._request("POST", self._policy(name, "decide"), json.dumps(body).encode(),
                               "application/json")
        return json.loads(answer)

    def decide_batch(self, name: str,
                     lines: Iterable[str | dict[str, Any]]) -> list[dict[str, Any]]:
        """Decides corpus lines (JSON text, or dicts: a case or `{"case", "now"}`) in one
        request. One result per line, in order, as `pacto replay --out` writes them:
        `{"id", "decision"}` or `{"id", "error": {"kind", "message"}}` (a bad line is
        reported in place, not raised)."""
        text = "".join(
            (json.dumps(line) if isinstance(line, dict) else line.rstrip("\n")) + "\n"
            for line in lines
        )
        answer = self._request("POST", self._policy(name, "decide-batch"), text.encode(),
                               "application/x-ndjson")
        return [json.loads(line) for line in answer.decode().splitlines() if line.strip()]

    def _policy(self, name: str, verb: str) -> str:
        return f"/v1/policies/{urllib.parse.quote(name, safe='')}/{verb}"

    def _request(self, method: str, path: str, body: bytes | None = None,
                 content_type: str | None = None) -> bytes:
        request = urllib.request.Request(self.base_url + path, data=body, method=method)
        if content_type:
            request.add_header("Content-Type", content_type)
        for attempt in range(self.retries + 1):
            try:
                with urllib.request.urlopen(request, timeout=self.timeout) as response:
                    return response.read()
            except urllib.error.HTTPError as e:
                if e.code == 503 and attempt < self.retries:
                    time.sleep(_seconds(e.headers.get("Retry-After")))
                    continue
                raise _error(e) from None
            except urllib.error.URLError as e:
                raise PactoError("unreachable", f"{self.base_url}: {e.reason}", None) from None
        raise AssertionError("the loop returns or raises")


def _seconds(retry_after: str | None) -> float:
    try:
        return min(float(retry_after or 1), 30.0)
    except ValueError:  # an HTTP date: wait the usual second
        return 1.0


def _error(e: urllib.error.HTTPError) -> PactoError:
    """The JSON error body's kind and message; the raw text when the body is not one."""
    text = e.read().decode(errors="replace")
    try:
        error = json.loads(text)["error"]
        return PactoError(str(error["kind"]), str(error["message"]), e.code)
    except (ValueError, KeyError, TypeError):
        return PactoError("http", text.strip() or str(e.reason), e.code)


def money(compensation: list[dict[str, Any]]) -> str:
    """The compensation's total per currency: `49.90 EUR`, or `-`."""
    totals: dict[str, int] = {}
    for c in compensation:
        if c.get("currency"):
            totals[c["currency"]] = totals.get(c["currency"], 0) + c["amount"]
    return ", ".join(f"{v // 100}.{v % 100:02d} {k}" for k, v in sorted(totals.items())) or "-"


def main(argv: list[str] | None = None) -> int:
    here = Path(__file__).resolve().parent
    parser = argparse.ArgumentParser(description="Decide sample cases through pacto serve.")
    parser.add_argument("cases", nargs="?", type=Path, default=here.parent / "cases",
                        help="a folder of case JSON files (default: examples/cases)")
    parser.add_argument("--url", default="http://127.0.0.1:8080")
    parser.add_argument("--policy", default="standard")
    parser.add_argument("--now", help="RFC 3339; default: each case's last event")
    args = parser.parse_args(argv)

    pacto = PactoClient(args.url)
    try:
        served = {p["name"]: p for p in pacto.policies()}
    except PactoError as e:
        print(f"client.py: {e}", file=sys.stderr)
        return 1
    if args.policy not in served:
        known = ", ".join(served) or "none"
        print(f"client.py: no policy named `{args.policy}`; serving: {known}", file=sys.stderr)
        return 1
    p = served[args.policy]
    print(f"# {p['name']} {p['version']} {p['digest'][:19]}… ({p['engine']})")
    print(f"{'case':<8} {'first response due':<26} {'status':<9} {'level':>5}  compensation")
    failed = 0
    for path in sorted(args.cases.glob("*.json")):
        case = json.loads(path.read_text())
        try:
            d = pacto.decide(args.policy, case, args.now)
        except PactoError as e:  # this case only: the next one may decide
            print(f"{case.get('id', path.name):<8} error {e}")
            failed += 1
            continue
        fr = next((x for x in d["deadlines"] if x["metric"] == "first_response"), {})
        level = (d["escalation"] or {}).get("level", 0)
        print(f"{case['id']:<8} {fr.get('due') or '-':<26} {fr.get('status', '-'):<9} "
              f"{level:>5}  {money(d['compensation'])}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
