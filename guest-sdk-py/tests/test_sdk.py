"""The SDK in plain CPython: its types against the WIT world, the escalation helper,
and the error funnel a component decides through (run by `pacto_guest.testing`)."""

import dataclasses
import doctest
import re
import unittest
from pathlib import Path

import pacto_guest
from pacto_guest import (
    ClockStatus,
    Decision,
    Fired,
    Metric,
    Policy,
    PolicyError,
    Reading,
    UnknownCalendar,
    escalation_of,
    sla,
    testing,
)
from pacto_guest import escalation as escalation_module
from pacto_guest import policy as policy_module

WIT = (Path(__file__).resolve().parents[2] / "wit" / "policy.wit").read_text()


def load_tests(loader, tests, ignore):
    for m in (escalation_module, policy_module, testing):
        tests.addTests(doctest.DocTestSuite(m))
    return tests


def camel(kebab: str) -> str:
    return "".join(p.capitalize() for p in kebab.split("-"))


class TypesAreTheWitWorlds(unittest.TestCase):
    def test_every_wit_enum_is_an_sdk_enum_with_the_json_names(self):
        enums = re.findall(r"enum ([\w-]+) \{([^}]*)\}", WIT)
        self.assertEqual(len(enums), 7)
        for name, cases in enums:
            sdk = getattr(pacto_guest, camel(name))
            wit = [c.strip() for c in cases.split(",") if c.strip()]
            self.assertEqual([m.name for m in sdk], [c.upper().replace("-", "_") for c in wit])
            self.assertEqual([m.value for m in sdk], [c.replace("-", "_") for c in wit])

    def test_every_wit_record_the_sdk_exports_has_its_fields(self):
        records = re.findall(r"record ([\w-]+) \{([^}]*)\}", WIT)
        checked = 0
        for name, body in records:
            sdk = getattr(pacto_guest, camel(name), None)
            if sdk is None or not dataclasses.is_dataclass(sdk):
                continue
            body = re.sub(r"///.*", "", body)
            wit = {f.split(":")[0].strip().replace("-", "_") for f in body.split(",") if ":" in f}
            sdk_fields = {f.name for f in dataclasses.fields(sdk)}
            if name == "event":
                # the variant `event-kind`'s payloads, flattened
                wit |= {"status", "rating"}
            self.assertEqual(sdk_fields, wit, name)
            checked += 1
        # customer, order, rating, event, interval, timeline, support-case, deadline,
        # reading, escalation, compensation, decision, description
        self.assertEqual(checked, 13)

    def test_event_variant_cases_are_event_kinds(self):
        body = re.search(r"variant event-kind \{([^}]*)\}", WIT).group(1)
        cases = [c.split("(")[0].strip() for c in body.split(",") if c.strip()]
        self.assertEqual([k.value for k in pacto_guest.EventKind], [c.replace("-", "_") for c in cases])


class EscalationOf(unittest.TestCase):
    def test_the_highest_level_wins_and_the_first_on_a_tie(self):
        e = escalation_of([Fired(2, "a", "x"), Fired(3, "b", "y"), Fired(3, "c", "z")])
        self.assertEqual((e.level, e.team, e.reason), (3, "b", "x; y; z"))
        self.assertIsNone(e.raise_priority)

    def test_notify_keeps_order_without_duplicates(self):
        e = escalation_of([Fired(1, "a", "x", ["m", "n"]), Fired(1, "b", "y", ["n", "m", "o"])])
        self.assertEqual(e.notify, ["m", "n", "o"])

    def test_nothing_fired_is_none(self):
        self.assertIsNone(escalation_of([]))


class Clocky(Policy):
    name, version = "clocky", "1.0.0"

    def __init__(self, calendar="support", fail=None):
        self.calendar, self.fail = calendar, fail

    def decide(self, ticket, now):
        fr = sla.clock(Metric.FIRST_RESPONSE, self.calendar, 240)
        if self.fail is not None:
            raise self.fail
        return Decision(deadlines=[fr], notes=[f"{now}"])


class Funnel(unittest.TestCase):
    def setUp(self):
        self.host = testing.StubHost(calendars=["support"])

    def test_a_decision_gets_the_calendar_it_named(self):
        d = testing.decide(Clocky(), self.host, testing.case(), 5)
        self.assertEqual(d.deadlines[0].calendar, "support")
        self.assertEqual(d.deadlines[0].status, ClockStatus.PENDING)
        self.assertEqual(d.deadlines[0].remaining, 240)
        self.assertEqual(self.host.calls, [("clock", (Metric.FIRST_RESPONSE, "support", 240))])

    def test_an_uncaught_sla_error_is_the_policy_errors_cause(self):
        with self.assertRaises(PolicyError) as e:
            testing.decide(Clocky(calendar="nope"), self.host, testing.case(), 0)
        self.assertIsInstance(e.exception.cause, UnknownCalendar)
        self.assertEqual(e.exception.message, "unknown calendar `nope`; the bundle has `support`")

    def test_another_exception_keeps_its_traceback(self):
        with self.assertRaises(PolicyError) as e:
            testing.decide(Clocky(fail=KeyError("tier")), self.host, testing.case(), 0)
        msg = e.exception.message
        self.assertTrue(msg.startswith("KeyError: 'tier'\nTraceback"), msg)
        self.assertIn("in decide", msg)
        self.assertIsNone(e.exception.cause)

    def test_a_deep_traceback_is_cut_in_the_middle(self):
        def down(depth):
            if depth == 0:
                raise ValueError("at the bottom")
            return up(depth - 1)  # two functions in turn: no "previous line repeated"

        def up(depth):
            return down(depth)

        class Deep(Policy):
            def decide(self, ticket, now):
                return down(100)

        with self.assertRaises(PolicyError) as e:
            testing.decide(Deep, self.host, testing.case(), 0)
        msg = e.exception.message
        self.assertLessEqual(len(msg), 4000)
        self.assertTrue(msg.startswith("ValueError: at the bottom\nTraceback"), msg[:80])
        self.assertIn("characters left out", msg)
        self.assertIn('raise ValueError("at the bottom")', msg[-200:])

    def test_a_policy_error_passes_as_raised(self):
        with self.assertRaises(PolicyError) as e:
            testing.decide(Clocky(fail=PolicyError("no")), self.host, testing.case(), 0)
        self.assertEqual(e.exception.message, "no")

    def test_a_policy_error_from_an_sla_error_has_it_as_cause(self):
        try:
            raise UnknownCalendar("x", [])
        except UnknownCalendar as err:
            try:
                raise PolicyError("gave up") from err
            except PolicyError as e:
                self.assertIs(e.cause, err)
                self.assertEqual(str(err), "unknown calendar `x`; the bundle has no calendars")

    def test_returning_something_else_than_a_decision_is_an_error(self):
        class Bad(Policy):
            def decide(self, ticket, now):
                return {"deadlines": []}

        with self.assertRaises(PolicyError) as e:
            testing.decide(Bad, self.host, testing.case(), 0)
        self.assertIn("returned dict, expected a Decision", e.exception.message)

    def test_the_stand_in_host_is_gone_after_the_decision(self):
        testing.decide(Clocky(), self.host, testing.case(), 0)
        with self.assertRaises(RuntimeError) as e:
            sla.clock(Metric.RESOLUTION, "support", 1)
        self.assertIn("testing.decide", str(e.exception))

    def test_readings_are_answered_with_the_target_asked_for(self):
        host = testing.StubHost(
            {Metric.FIRST_RESPONSE: Reading(Metric.FIRST_RESPONSE, 1, 99, ClockStatus.BREACHED, breached_by=7)}
        )
        d = testing.decide(Clocky(), host, testing.case(), 0)
        self.assertEqual((d.deadlines[0].target, d.deadlines[0].breached_by), (240, 7))

    def test_describe_is_name_and_version(self):
        self.assertEqual(Clocky().describe(), pacto_guest.Description("clocky", "1.0.0"))


if __name__ == "__main__":
    unittest.main()
