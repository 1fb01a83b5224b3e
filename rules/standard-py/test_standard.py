"""Unit tests of the standard policy's rules in plain CPython, with a stand-in host
(`python3 -m unittest` in this folder, with the SDK installed). The fixtures check the
same rules against the real host: `pacto build . && pacto test .`."""

import unittest

from pacto_guest import (
    ClockStatus,
    CompensationKind,
    Kind,
    Metric,
    Order,
    PolicyError,
    Priority,
    Rating,
    Reading,
    Timeline,
    testing,
)

from standard import Standard


def breached(metric, by):
    return Reading(metric, 0, due=0, status=ClockStatus.BREACHED, breached_by=by)


class StandardRules(unittest.TestCase):
    def test_targets_by_priority_tier_and_channel(self):
        host = testing.StubHost()
        testing.decide(Standard, host, testing.case(priority=Priority.HIGH, tier="gold"), 0)
        # 120 * 75% = 90 for the responses, 960 * 75% = 720 for resolution
        self.assertEqual(
            [args for _, args in host.calls],
            [
                (Metric.FIRST_RESPONSE, "business", 90),
                (Metric.NEXT_RESPONSE, "business", 90),
                (Metric.RESOLUTION, "business", 720),
            ],
        )

    def test_a_gold_customer_gets_a_credit_capped_and_approved(self):
        host = testing.StubHost({Metric.RESOLUTION: breached(Metric.RESOLUTION, 300)})
        ticket = testing.case(tier="gold", order=Order(500_000, "EUR"))
        d = testing.decide(Standard, host, ticket, 0)
        credit = d.compensation[0]
        self.assertEqual((credit.kind, credit.amount, credit.currency), (CompensationKind.SERVICE_CREDIT, 10_000, "EUR"))
        self.assertTrue(credit.requires_approval)
        self.assertEqual(credit.reason, "20% credit: SLA breached by 300 min")
        self.assertEqual((d.escalation.level, d.escalation.team), (2, "tier2"))
        self.assertEqual(d.escalation.raise_priority, Priority.HIGH)

    def test_an_order_too_large_to_credit_is_declined(self):
        host = testing.StubHost({Metric.FIRST_RESPONSE: breached(Metric.FIRST_RESPONSE, 5)})
        ticket = testing.case(tier="platinum", order=Order(2**64 - 1, "EUR"))
        with self.assertRaises(PolicyError) as e:
            testing.decide(Standard, host, ticket, 0)
        self.assertEqual(e.exception.message, "9223372036854775807 * 5 overflows")

    def test_a_standard_complaint_gets_an_apology_and_an_internal_one_nothing(self):
        d = testing.decide(Standard, testing.StubHost(), testing.case(kind=Kind.COMPLAINT), 0)
        self.assertEqual([c.kind for c in d.compensation], [CompensationKind.APOLOGY])
        d = testing.decide(Standard, testing.StubHost(), testing.case(kind=Kind.COMPLAINT, internal=True), 0)
        self.assertEqual(d.compensation, [])

    def test_a_poor_rating_goes_to_customer_success(self):
        ticket = testing.case(tier="platinum", timeline=Timeline(latest_satisfaction=Rating(2, 5)))
        d = testing.decide(Standard, testing.StubHost(), ticket, 0)
        self.assertEqual((d.escalation.team, d.escalation.notify), ("customer-success", ["account-manager"]))
        self.assertEqual(d.escalation.reason, "satisfaction 2/5")


if __name__ == "__main__":
    unittest.main()
