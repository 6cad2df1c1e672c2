//! Instants as the ledger writes them (RFC 3339) and as the report prints
//! them, in whole seconds since the Unix epoch, UTC.

use std::fmt;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Instant {
    pub unix_seconds: i64,
}

const DAY: i64 = 86_400;

impl Instant {
    /// The report's "now": `SOURCE_DATE_EPOCH` when set (reproducible
    /// reports, e.g. in CI artifacts), else the system clock.
    pub fn now() -> Instant {
        if let Some(seconds) = std::env::var("SOURCE_DATE_EPOCH")
            .ok()
            .and_then(|s| s.trim().parse::<i64>().ok())
        {
            return Instant {
                unix_seconds: seconds,
            };
        }
        let since_epoch = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_secs() as i64)
            .unwrap_or(0);
        Instant {
            unix_seconds: since_epoch,
        }
    }

    /// `2026-03-01T09:30:00Z`, `2026-03-01T09:30:00.25+01:00`.
    pub fn parse_rfc3339(text: &str) -> Option<Instant> {
        let bytes = text.as_bytes();
        if bytes.len() < 20 || !matches!(bytes[10], b'T' | b't' | b' ') {
            return None;
        }
        let number = |range: std::ops::Range<usize>| -> Option<i64> {
            let part = text.get(range)?;
            part.bytes()
                .all(|b| b.is_ascii_digit())
                .then(|| part.parse().ok())?
        };
        let separators = [(4, b'-'), (7, b'-'), (13, b':'), (16, b':')];
        if separators.iter().any(|&(at, sep)| bytes[at] != sep) {
            return None;
        }
        let (year, month, day) = (number(0..4)?, number(5..7)?, number(8..10)?);
        let (hour, minute, second) = (number(11..13)?, number(14..16)?, number(17..19)?);
        if !(1..=12).contains(&month) || !(1..=31).contains(&day) || hour > 23 || minute > 59 {
            return None;
        }
        let mut rest = &text[19..];
        if let Some(fraction) = rest.strip_prefix('.') {
            let digits = fraction.bytes().take_while(u8::is_ascii_digit).count();
            if digits == 0 {
                return None;
            }
            rest = &fraction[digits..];
        }
        let offset = match rest {
            "Z" | "z" => 0,
            _ if rest.len() == 6 && matches!(&rest[3..4], ":") => {
                let sign = match &rest[..1] {
                    "+" => 1,
                    "-" => -1,
                    _ => return None,
                };
                let hours: i64 = rest[1..3].parse().ok()?;
                let minutes: i64 = rest[4..6].parse().ok()?;
                sign * (hours * 3600 + minutes * 60)
            }
            _ => return None,
        };
        let days = days_from_civil(year, month, day);
        Some(Instant {
            unix_seconds: days * DAY + hour * 3600 + minute * 60 + second.min(59) - offset,
        })
    }

    /// `2026-03-01` (its midnight, UTC) or an RFC 3339 time.
    pub fn parse_date_or_rfc3339(text: &str) -> Option<Instant> {
        if text.len() == 10 {
            return Instant::parse_rfc3339(&format!("{text}T00:00:00Z"));
        }
        Instant::parse_rfc3339(text)
    }

    /// Days since the Unix epoch.
    pub fn day(self) -> i64 {
        self.unix_seconds.div_euclid(DAY)
    }

    /// Midnight (UTC) of the day `self` falls on.
    pub fn start_of_day(self) -> Instant {
        Instant {
            unix_seconds: self.day() * DAY,
        }
    }

    /// `2026-03-01`.
    pub fn date(self) -> String {
        let (year, month, day) = civil_from_days(self.day());
        format!("{year:04}-{month:02}-{day:02}")
    }

    /// Whole days from `self` to `later` (never negative).
    pub fn days_until(self, later: Instant) -> i64 {
        (later.unix_seconds - self.unix_seconds).max(0) / DAY
    }
}

impl fmt::Display for Instant {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let seconds = self.unix_seconds.rem_euclid(DAY);
        write!(
            f,
            "{}T{:02}:{:02}:{:02}Z",
            self.date(),
            seconds / 3600,
            seconds % 3600 / 60,
            seconds % 60
        )
    }
}

// Howard Hinnant's algorithms (proleptic Gregorian calendar).
fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let year = if month <= 2 { year - 1 } else { year };
    let era = year.div_euclid(400);
    let year_of_era = year - era * 400;
    let day_of_year = (153 * (if month > 2 { month - 3 } else { month + 9 }) + 2) / 5 + day - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    era * 146_097 + day_of_era - 719_468
}

fn civil_from_days(days: i64) -> (i64, i64, i64) {
    let days = days + 719_468;
    let era = days.div_euclid(146_097);
    let day_of_era = days - era * 146_097;
    let year_of_era =
        (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let shifted_month = (5 * day_of_year + 2) / 153;
    let day = day_of_year - (153 * shifted_month + 2) / 5 + 1;
    let month = if shifted_month < 10 {
        shifted_month + 3
    } else {
        shifted_month - 9
    };
    (year_of_era + era * 400 + i64::from(month <= 2), month, day)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_prints_rfc3339_in_utc() {
        let instant = Instant::parse_rfc3339("2026-03-01T09:30:05Z").unwrap();
        assert_eq!(instant.to_string(), "2026-03-01T09:30:05Z");
        let shifted = Instant::parse_rfc3339("2026-03-01T10:30:05.123+01:00").unwrap();
        assert_eq!(shifted, instant);
        assert_eq!(
            Instant::parse_rfc3339("1970-01-01T00:00:00Z")
                .unwrap()
                .unix_seconds,
            0
        );
        assert_eq!(
            Instant::parse_rfc3339("2000-02-29T00:00:00Z")
                .unwrap()
                .date(),
            "2000-02-29"
        );
    }

    #[test]
    fn a_date_is_its_midnight_utc() {
        assert_eq!(
            Instant::parse_date_or_rfc3339("2026-03-01"),
            Instant::parse_rfc3339("2026-03-01T00:00:00Z")
        );
        assert_eq!(
            Instant::parse_date_or_rfc3339("2026-03-01T09:30:05Z"),
            Instant::parse_rfc3339("2026-03-01T09:30:05Z")
        );
        assert_eq!(Instant::parse_date_or_rfc3339("2026-3-1"), None);
        assert_eq!(Instant::parse_date_or_rfc3339("last week"), None);
    }

    #[test]
    fn refuses_what_is_not_rfc3339() {
        for text in [
            "2026-03-01",
            "2026-13-01T00:00:00Z",
            "2026-03-01T00:00:00",
            "yesterday",
        ] {
            assert_eq!(Instant::parse_rfc3339(text), None, "{text}");
        }
    }
}
