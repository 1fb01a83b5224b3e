//! An instant shown in a calendar's offset: what decisions print.

use std::fmt;

use jiff::Timestamp;
use jiff::fmt::temporal::{Pieces, PiecesOffset};
use jiff::tz::Offset;
use serde::{Deserialize, Serialize};

use super::Calendar;

/// An instant with the UTC offset it is shown in: serializes as RFC 3339,
/// `2026-03-02T14:15:00+01:00` (jiff's printer and parser).
///
/// ```
/// use pacto::calendar::LocalInstant;
///
/// let at: LocalInstant = serde_json::from_str(r#""2026-03-02T14:15:00+01:00""#)?;
/// assert_eq!(at.timestamp, "2026-03-02T13:15:00Z".parse()?);
/// assert_eq!(at.to_string(), "2026-03-02T14:15:00+01:00");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LocalInstant {
    /// The instant.
    pub timestamp: Timestamp,
    /// The offset it is shown in.
    pub offset: Offset,
}

impl LocalInstant {
    /// `at` in `calendar`'s offset at that instant.
    pub fn on(calendar: &Calendar, at: Timestamp) -> Self {
        LocalInstant {
            timestamp: at,
            offset: calendar.offset_at(at),
        }
    }

    /// Parses RFC 3339 with an offset (`Z` is UTC).
    pub fn parse(text: &str) -> Result<Self, jiff::Error> {
        let timestamp: Timestamp = text.parse()?;
        let offset = match Pieces::parse(text)?.offset() {
            Some(PiecesOffset::Numeric(n)) => n.offset(),
            _ => Offset::UTC,
        };
        Ok(LocalInstant { timestamp, offset })
    }
}

impl fmt::Display for LocalInstant {
    /// RFC 3339; an offset with seconds (local mean time before 1900-era zone rules
    /// settled) is rounded to the minute, as jiff prints it.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.timestamp.display_with_offset(self.offset), f)
    }
}

impl Serialize for LocalInstant {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for LocalInstant {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = String::deserialize(d)?;
        LocalInstant::parse(&text).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_offsets() {
        for text in [
            "2026-03-02T14:15:00+01:00",
            "2026-03-02T14:15:00-05:30",
            "2026-03-02T14:15:00+00:00",
        ] {
            assert_eq!(LocalInstant::parse(text).unwrap().to_string(), text);
        }
        assert_eq!(
            LocalInstant::parse("2026-03-02T14:15:00Z")
                .unwrap()
                .to_string(),
            "2026-03-02T14:15:00+00:00"
        );
    }
}
