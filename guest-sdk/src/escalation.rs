//! Combining the escalation rules a policy's case fired into one [`Escalation`], the
//! way every bundled policy does it.

use crate::Escalation;

/// One escalation rule that fired: its level, the team it names, why, and who else
/// must know.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Fired<'a> {
    /// 0 (for information) to 5.
    pub level: u8,
    /// The team that takes the case when this rule wins.
    pub team: &'a str,
    /// Why the rule fired, in words for the agent (`resolution breached by 95 min`).
    pub reason: String,
    /// Who else must know (`account-manager`).
    pub notify: &'a [&'a str],
}

impl Escalation {
    /// The escalation of the rules that fired, given in the order the policy lists its
    /// rules: the **highest level** wins with **its team** (the first listed on a
    /// tie), the reasons are joined with `; ` in order, and the people to notify are
    /// collected in order without duplicates; no priority is raised (set
    /// `raise_priority` on the result for that). `None` when no rule fired.
    ///
    /// ```
    /// use pacto_guest::{Escalation, Fired};
    ///
    /// let fired = [
    ///     Fired { level: 1, team: "tier1-lead", reason: "first_response at 80% of target".into(), notify: &[] },
    ///     Fired { level: 2, team: "tier2", reason: "resolution breached by 95 min".into(), notify: &["account-manager"] },
    ///     Fired { level: 2, team: "quality", reason: "reopened 2 times".into(), notify: &["account-manager"] },
    /// ];
    /// let e = Escalation::of(&fired).expect("rules fired");
    /// assert_eq!((e.level, e.team.as_deref()), (2, Some("tier2")));
    /// assert_eq!(e.reason, "first_response at 80% of target; resolution breached by 95 min; reopened 2 times");
    /// assert_eq!(e.notify, ["account-manager"]);
    /// assert_eq!(Escalation::of(&[]), None);
    /// ```
    #[must_use]
    pub fn of(fired: &[Fired<'_>]) -> Option<Escalation> {
        let first = fired.first()?;
        let top = fired
            .iter()
            .fold(first, |top, f| if f.level > top.level { f } else { top });
        let mut notify: Vec<String> = Vec::new();
        for who in fired.iter().flat_map(|f| f.notify) {
            if !notify.iter().any(|n| n == who) {
                notify.push((*who).to_owned());
            }
        }
        Some(Escalation {
            level: top.level,
            team: Some(top.team.to_owned()),
            reason: fired
                .iter()
                .map(|f| f.reason.as_str())
                .collect::<Vec<_>>()
                .join("; "),
            notify,
            raise_priority: None,
        })
    }
}
