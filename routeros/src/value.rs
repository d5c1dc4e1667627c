//! Parsers for RouterOS value formats (docs/routeros.md, "Wire protocol": values).

use std::{fmt, str::FromStr, time::Duration};

use time::{macros::format_description, PrimitiveDateTime};

/// A value did not have the documented format.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid {kind}: {value:?}")]
pub struct ParseValueError {
    pub kind: &'static str,
    pub value: String,
}

fn bad(kind: &'static str, value: &str) -> ParseValueError {
    ParseValueError {
        kind,
        value: value.to_owned(),
    }
}

/// An item id such as `*1A`: opaque, valid only for this connection's view of
/// the table (never a durable key).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Id(pub u32);

impl FromStr for Id {
    type Err = ParseValueError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let hex = s.strip_prefix('*').ok_or_else(|| bad(".id", s))?;
        if hex.is_empty() || hex.len() > 8 {
            return Err(bad(".id", s));
        }
        u32::from_str_radix(hex, 16)
            .map(Id)
            .map_err(|_| bad(".id", s))
    }
}

impl fmt::Display for Id {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "*{:X}", self.0)
    }
}

/// `true`/`false`/`yes`/`no`.
pub fn parse_bool(s: &str) -> Result<bool, ParseValueError> {
    match s {
        "true" | "yes" => Ok(true),
        "false" | "no" => Ok(false),
        _ => Err(bad("boolean", s)),
    }
}

/// A byte or packet counter (64-bit).
pub fn parse_u64(s: &str) -> Result<u64, ParseValueError> {
    s.parse().map_err(|_| bad("integer", s))
}

/// Durations in both forms: `1w2d3h4m5s` (with `ms`/`us` parts) and
/// `1d02:03:04` / `01:22:53`. `none` is `None`.
pub fn parse_duration(s: &str) -> Result<Option<Duration>, ParseValueError> {
    if s == "none" {
        return Ok(None);
    }
    if s.is_empty() {
        return Err(bad("duration", s));
    }
    if s.contains(':') {
        return parse_clock_duration(s)
            .map(Some)
            .ok_or_else(|| bad("duration", s));
    }
    let mut total = Duration::ZERO;
    let mut rest = s;
    while !rest.is_empty() {
        let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
        if digits == 0 {
            return Err(bad("duration", s));
        }
        let n: u64 = rest[..digits].parse().map_err(|_| bad("duration", s))?;
        rest = &rest[digits..];
        let unit_len = rest.bytes().take_while(u8::is_ascii_alphabetic).count();
        let part = match &rest[..unit_len] {
            "w" => Duration::from_secs(n * 7 * 86_400),
            "d" => Duration::from_secs(n * 86_400),
            "h" => Duration::from_secs(n * 3_600),
            "m" => Duration::from_secs(n * 60),
            "s" => Duration::from_secs(n),
            "ms" => Duration::from_millis(n),
            "us" => Duration::from_micros(n),
            "ns" => Duration::from_nanos(n),
            _ => return Err(bad("duration", s)),
        };
        total += part;
        rest = &rest[unit_len..];
    }
    Ok(Some(total))
}

fn parse_clock_duration(s: &str) -> Option<Duration> {
    let (days, clock) = match s.split_once('d') {
        Some((d, c)) => (d.parse::<u64>().ok()?, c),
        None => (0, s),
    };
    let mut parts = clock.split(':');
    let h: u64 = parts.next()?.parse().ok()?;
    let m: u64 = parts.next()?.parse().ok()?;
    let sec = parts.next()?;
    if parts.next().is_some() || m >= 60 {
        return None;
    }
    let (whole, frac) = sec.split_once('.').unwrap_or((sec, ""));
    let secs: u64 = whole.parse().ok()?;
    if secs >= 60 {
        return None;
    }
    let nanos = if frac.is_empty() {
        0
    } else {
        let digits: String = frac.chars().chain(std::iter::repeat('0')).take(9).collect();
        digits.parse::<u32>().ok()?
    };
    Some(Duration::new(
        days * 86_400 + h * 3_600 + m * 60 + secs,
        nanos,
    ))
}

/// Formats a duration the v7 way (`1w2d3h4m5s`, zero parts omitted, `0s`).
pub fn format_duration(d: Duration) -> String {
    let mut secs = d.as_secs();
    if secs == 0 && d.subsec_millis() == 0 {
        return "0s".into();
    }
    let mut out = String::new();
    for (unit, size) in [
        ("w", 604_800),
        ("d", 86_400),
        ("h", 3_600),
        ("m", 60),
        ("s", 1),
    ] {
        if secs >= size {
            out.push_str(&format!("{}{unit}", secs / size));
            secs %= size;
        }
    }
    if d.subsec_millis() > 0 {
        out.push_str(&format!("{}ms", d.subsec_millis()));
    }
    out
}

/// Dates in both forms: `jul/14/2023 19:13:29` (before 7.10) and `2023-07-14 19:13:29`.
pub fn parse_datetime(s: &str) -> Result<PrimitiveDateTime, ParseValueError> {
    let iso = format_description!("[year]-[month]-[day] [hour]:[minute]:[second]");
    if let Ok(dt) = PrimitiveDateTime::parse(s, iso) {
        return Ok(dt);
    }
    let old = format_description!(
        "[month repr:short case_sensitive:false]/[day]/[year] [hour]:[minute]:[second]"
    );
    PrimitiveDateTime::parse(s, old).map_err(|_| bad("date", s))
}

/// A MAC address, normalised to upper case `AA:BB:CC:DD:EE:FF`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Mac(pub [u8; 6]);

impl Mac {
    /// Locally administered (randomised "private" MACs of phones).
    pub fn is_locally_administered(&self) -> bool {
        self.0[0] & 0x02 != 0
    }
}

impl FromStr for Mac {
    type Err = ParseValueError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let mut out = [0u8; 6];
        let parts: Vec<&str> = s.split([':', '-']).collect();
        if parts.len() != 6 {
            return Err(bad("MAC", s));
        }
        for (slot, p) in out.iter_mut().zip(parts) {
            if p.len() != 2 {
                return Err(bad("MAC", s));
            }
            *slot = u8::from_str_radix(p, 16).map_err(|_| bad("MAC", s))?;
        }
        Ok(Mac(out))
    }
}

impl fmt::Display for Mac {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let b = self.0;
        write!(
            f,
            "{:02X}:{:02X}:{:02X}:{:02X}:{:02X}:{:02X}",
            b[0], b[1], b[2], b[3], b[4], b[5]
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    #[test]
    fn ids_round_trip_in_upper_case_hex() {
        assert_eq!("*1A".parse::<Id>().unwrap(), Id(0x1A));
        assert_eq!("*80000005".parse::<Id>().unwrap().to_string(), "*80000005");
        assert_eq!(Id(0x2f).to_string(), "*2F");
        for bad in ["1A", "*", "*xyz", "*123456789"] {
            assert!(bad.parse::<Id>().is_err(), "{bad}");
        }
    }

    #[test]
    fn booleans_accept_both_spellings() {
        assert!(parse_bool("true").unwrap() && parse_bool("yes").unwrap());
        assert!(!parse_bool("false").unwrap() && !parse_bool("no").unwrap());
        assert!(parse_bool("1").is_err());
    }

    #[test]
    fn durations_in_both_forms() {
        let cases: &[(&str, u64)] = &[
            ("1w2d3h4m5s", 604_800 + 2 * 86_400 + 3 * 3_600 + 4 * 60 + 5),
            ("5h30m", 5 * 3_600 + 30 * 60),
            ("59s", 59),
            ("0s", 0),
            ("1d02:03:04", 86_400 + 2 * 3_600 + 3 * 60 + 4),
            ("01:22:53", 3_600 + 22 * 60 + 53),
            ("2d09:29:51", 2 * 86_400 + 9 * 3_600 + 29 * 60 + 51),
        ];
        for &(s, secs) in cases {
            assert_eq!(
                parse_duration(s).unwrap(),
                Some(Duration::from_secs(secs)),
                "{s}"
            );
        }
        assert_eq!(
            parse_duration("1s200ms").unwrap(),
            Some(Duration::from_millis(1200))
        );
        assert_eq!(
            parse_duration("453us").unwrap(),
            Some(Duration::from_micros(453))
        );
        assert_eq!(parse_duration("none").unwrap(), None);
        for bad in ["", "5x", "h", "1:2", "00:61:00"] {
            assert!(parse_duration(bad).is_err(), "{bad}");
        }
        assert_eq!(
            format_duration(Duration::from_secs(604_800 + 3_661)),
            "1w1h1m1s"
        );
        assert_eq!(format_duration(Duration::ZERO), "0s");
    }

    #[test]
    fn dates_in_both_forms() {
        let want = datetime!(2023-07-14 19:13:29);
        assert_eq!(parse_datetime("jul/14/2023 19:13:29").unwrap(), want);
        assert_eq!(parse_datetime("2023-07-14 19:13:29").unwrap(), want);
        assert!(parse_datetime("14/07/2023").is_err());
    }

    #[test]
    fn macs_normalise_to_upper_case() {
        let m: Mac = "aa:bb:cc:dd:ee:0f".parse().unwrap();
        assert_eq!(m.to_string(), "AA:BB:CC:DD:EE:0F");
        assert!("AA-BB-CC-DD-EE-0F".parse::<Mac>().is_ok());
        assert!(m.is_locally_administered());
        assert!(!"00:11:22:33:44:55"
            .parse::<Mac>()
            .unwrap()
            .is_locally_administered());
        assert!("AA:BB:CC".parse::<Mac>().is_err());
    }

    #[test]
    fn counters_are_64_bit() {
        assert_eq!(parse_u64("12345678901").unwrap(), 12_345_678_901);
        assert!(parse_u64("-1").is_err());
    }
}
