//! Facts derived from a case's events as of `now`: replies, waiting, solves, reopenings.
//!
//! Events may arrive in any order; they are sorted stably by time, and events after
//! `now` are ignored, so a decision at `now` sees the case as it was then.
//!
//! ```
//! use pacto::{Case, Timeline};
//!
//! let case = Case::from_json(r#"{
//!     "id": "C-1", "opened_at": "2026-03-02T10:00:00Z",
//!     "priority": "normal", "channel": "email", "kind": "question",
//!     "customer": {"id": "K-1", "tier": "standard"},
//!     "events": [
//!         {"at": "2026-03-02T11:00:00Z", "type": "status", "status": "pending"},
//!         {"at": "2026-03-02T10:30:00Z", "type": "agent_reply"}
//!     ]
//! }"#)?;
//! let timeline = Timeline::derive(&case, "2026-03-02T12:00:00Z".parse().unwrap());
//! assert_eq!(timeline.first_response_at, Some("2026-03-02T10:30:00Z".parse().unwrap()));
//! assert_eq!(timeline.paused.len(), 1);
//! assert!(timeline.paused[0].interval.end.is_none()); // still waiting on the customer
//! # Ok::<(), pacto::CaseError>(())
//! ```

use jiff::Timestamp;

use crate::case::{Case, Event, Status};

/// A `[start, end)` interval; `end` is `None` while it is still running at `now`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Interval {
    /// When it began.
    pub start: Timestamp,
    /// When it ended, if it has.
    pub end: Option<Timestamp>,
}

/// A time the case waited on someone else.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Pause {
    /// The interval.
    pub interval: Interval,
    /// `pending` (the customer) or `on_hold` (a third party).
    pub status: Status,
}

/// The latest satisfaction rating.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Satisfaction {
    /// The score given.
    pub score: u32,
    /// Out of.
    pub scale: u32,
}

/// The derived facts of DESIGN.md, plus what the clocks need.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Timeline {
    /// The first agent reply.
    pub first_response_at: Option<Timestamp>,
    /// The latest agent reply.
    pub last_agent_reply_at: Option<Timestamp>,
    /// The oldest customer message not yet answered (`opened_at` before any reply).
    pub awaiting_reply_since: Option<Timestamp>,
    /// The current solve (`solved` or `closed`), unless reopened since.
    pub solved_at: Option<Timestamp>,
    /// How many times a solved case was reopened.
    pub reopen_count: u32,
    /// Times spent `pending` or `on_hold`; the last one is open-ended if still waiting.
    pub paused: Vec<Pause>,
    /// Times between a solve and the reopening that followed it.
    pub solved_gaps: Vec<Interval>,
    /// The latest satisfaction rating.
    pub latest_satisfaction: Option<Satisfaction>,
    /// The status at `now` (`open` when no status event was seen).
    pub status: Status,
    /// The latest next-response cycle: from the oldest customer message after an agent
    /// reply to the next agent reply (`end` is `None` while unanswered). Never the first
    /// cycle, which is the first response.
    pub next_response: Option<Interval>,
}

impl Timeline {
    /// Derives the timeline of `case` as of `now`.
    pub fn derive(case: &Case, now: Timestamp) -> Timeline {
        // the order every policy sees too (sorted stably by time), up to `now`
        let events = case.events_by_time();
        let order = events.iter().take_while(|e| e.at() <= now);

        let mut t = Timeline {
            first_response_at: None,
            last_agent_reply_at: None,
            awaiting_reply_since: Some(case.opened_at),
            solved_at: None,
            reopen_count: 0,
            paused: Vec::new(),
            solved_gaps: Vec::new(),
            latest_satisfaction: None,
            status: Status::Open,
            next_response: None,
        };
        let mut waiting: Option<(Timestamp, Status)> = None;
        for event in order {
            let at = event.at();
            match *event {
                Event::CustomerMessage { .. } => {
                    if t.awaiting_reply_since.is_none() {
                        t.awaiting_reply_since = Some(at);
                    }
                }
                Event::AgentReply { .. } => {
                    if t.first_response_at.is_some() {
                        if let Some(since) = t.awaiting_reply_since {
                            t.next_response = Some(Interval {
                                start: since,
                                end: Some(at),
                            });
                        }
                    } else {
                        t.first_response_at = Some(at);
                    }
                    t.last_agent_reply_at = Some(at);
                    t.awaiting_reply_since = None;
                }
                Event::Status { status, .. } => t.set_status(status, at, &mut waiting),
                Event::Reopened { .. } => {
                    if t.solved_at.is_some() {
                        t.set_status(Status::Open, at, &mut waiting);
                    }
                }
                Event::Satisfaction { score, scale, .. } => {
                    t.latest_satisfaction = Some(Satisfaction { score, scale })
                }
                Event::InternalNote { .. } => {}
            }
        }
        if let Some((start, status)) = waiting {
            t.paused.push(Pause {
                interval: Interval { start, end: None },
                status,
            });
        }
        if t.first_response_at.is_some()
            && let Some(since) = t.awaiting_reply_since
        {
            t.next_response = Some(Interval {
                start: since,
                end: None,
            });
        }
        t
    }

    fn set_status(
        &mut self,
        status: Status,
        at: Timestamp,
        waiting: &mut Option<(Timestamp, Status)>,
    ) {
        if let Some((start, was)) = *waiting
            && was != status
        {
            self.paused.push(Pause {
                interval: Interval {
                    start,
                    end: Some(at),
                },
                status: was,
            });
            *waiting = None;
        }
        if status.is_waiting() && waiting.is_none() {
            *waiting = Some((at, status));
        }
        match (self.solved_at, status.is_done()) {
            (None, true) => self.solved_at = Some(at),
            (Some(solved), false) => {
                self.solved_gaps.push(Interval {
                    start: solved,
                    end: Some(at),
                });
                self.reopen_count += 1;
                self.solved_at = None;
            }
            _ => {}
        }
        self.status = status;
    }
}
