//! Timestamps ([`DateTime`]) and binary data ([`Blob`]) as used by AWS service shapes, with the
//! ISO 8601, HTTP-date and epoch-seconds wire formats botocore reads and writes.

use std::fmt;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

const NANOS_PER_SEC: u32 = 1_000_000_000;
const SECS_PER_DAY: i64 = 86_400;

const WEEKDAYS: [&str; 7] = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
const WEEKDAYS_LONG: [&str; 7] = [
    "Sunday",
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
];
const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

const EXPECT_ISO: &str = "an ISO 8601 timestamp such as 2014-04-29T18:30:38Z";
const EXPECT_HTTP: &str = "an HTTP date such as Tue, 29 Apr 2014 18:30:38 GMT";
const EXPECT_EPOCH: &str = "epoch seconds such as 1398796238 or 1398796238.123";
const EXPECT_EPOCH_RANGE: &str = "finite epoch seconds within the range of a 64-bit integer";
const EXPECT_ANY: &str = "epoch seconds, an ISO 8601 timestamp or an HTTP date";
const EXPECT_MONTH: &str = "a month between 01 and 12";
const EXPECT_DAY: &str = "a day that exists in the given month";
const EXPECT_HOUR: &str = "an hour between 00 and 23";
const EXPECT_MINUTE: &str = "a minute between 00 and 59";
const EXPECT_SECOND: &str = "a second between 00 and 60";
const EXPECT_OFFSET: &str = "a UTC offset such as Z, +02:00, -0530 or +01";

/// A UTC instant: whole seconds since the Unix epoch plus a nanosecond part in `0..1_000_000_000`.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct DateTime {
    secs: i64,
    nanos: u32,
}

/// The error returned when text cannot be parsed as a timestamp.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseError {
    /// The text that failed to parse.
    pub input: String,
    /// A description of what was expected instead.
    pub expected: &'static str,
}

impl ParseError {
    fn new(input: &str, expected: &'static str) -> Self {
        ParseError {
            input: input.to_owned(),
            expected,
        }
    }
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "invalid timestamp {:?}: expected {}",
            self.input, self.expected
        )
    }
}

impl std::error::Error for ParseError {}

impl DateTime {
    /// The instant `secs` whole seconds after (or, if negative, before) the Unix epoch.
    pub const fn from_secs(secs: i64) -> Self {
        DateTime { secs, nanos: 0 }
    }

    /// The instant `secs` seconds plus `nanos` nanoseconds after the epoch; whole seconds in `nanos` carry into `secs`.
    pub fn from_secs_and_nanos(secs: i64, nanos: u32) -> Self {
        DateTime {
            secs: secs.saturating_add(i64::from(nanos / NANOS_PER_SEC)),
            nanos: nanos % NANOS_PER_SEC,
        }
    }

    /// The instant `f` seconds after the epoch, rounded half-even to the microsecond like Python's `datetime.fromtimestamp` (NaN maps to the epoch, huge values saturate).
    pub fn from_fractional_secs(f: f64) -> Self {
        // Same algorithm as CPython's `_PyTime_DoubleToDenominator` with ROUND_HALF_EVEN.
        let whole = f.trunc();
        let mut micros = ((f - whole) * 1e6).round_ties_even();
        let mut secs = whole as i64; // saturating; NaN becomes 0
        if micros >= 1e6 {
            micros -= 1e6;
            secs = secs.saturating_add(1);
        } else if micros < 0.0 {
            micros += 1e6;
            secs = secs.saturating_sub(1);
        }
        // `micros` is now an integer in 0..1e6 (or NaN, which casts to 0).
        Self::from_secs_and_nanos(secs, (micros as u32) * 1_000)
    }

    /// Whole seconds since the epoch (floored, so negative for instants before 1970).
    pub fn secs(&self) -> i64 {
        self.secs
    }

    /// The nanoseconds past [`secs`](Self::secs), in `0..1_000_000_000`.
    pub fn subsec_nanos(&self) -> u32 {
        self.nanos
    }

    /// Seconds since the epoch as a float (may lose sub-microsecond precision).
    pub fn as_fractional_secs(&self) -> f64 {
        self.secs as f64 + f64::from(self.nanos) / 1e9
    }

    /// The current time from the system clock.
    pub fn now() -> Self {
        SystemTime::now().into()
    }

    /// The UTC instant for a proleptic Gregorian date and time, or `None` if any field is out of range.
    pub fn from_ymd_hms(
        year: i32,
        month: u32,
        day: u32,
        hour: u32,
        minute: u32,
        second: u32,
    ) -> Option<Self> {
        let year = i64::from(year);
        if !(1..=12).contains(&month)
            || day == 0
            || day > days_in_month(year, month)
            || hour > 23
            || minute > 59
            || second > 59
        {
            return None;
        }
        Some(Self::from_secs(civil_to_secs(
            year, month, day, hour, minute, second,
        )))
    }

    /// ISO 8601 in botocore's query/ec2 style: `2014-04-29T18:30:38Z`, or `2014-04-29T18:30:38.123456Z` when there are microseconds.
    pub fn to_iso8601(&self) -> String {
        let digits = if self.nanos / 1_000 == 0 { 0 } else { 6 };
        self.iso_string(digits)
    }

    /// Writes ISO 8601 with the fractional digits the time needs, in groups of three, to `f`:
    /// `2014-04-29T18:30:38Z`, `2014-04-29T18:30:38.120Z`, `2014-04-29T18:30:38.123456Z` or
    /// `2014-04-29T18:30:38.123456789Z` (the form generated types serialise to).
    pub(crate) fn write_iso8601_exact(&self, f: &mut impl fmt::Write) -> fmt::Result {
        self.write_iso(f, self.exact_frac_digits())
    }

    /// The fractional digits the time needs, in groups of three.
    fn exact_frac_digits(&self) -> u32 {
        match self.nanos {
            0 => 0,
            n if n % 1_000_000 == 0 => 3,
            n if n % 1_000 == 0 => 6,
            _ => 9,
        }
    }

    /// ISO 8601 with exactly three (truncated) fractional digits: `2014-04-29T18:30:38.000Z`.
    pub fn to_iso8601_millis(&self) -> String {
        self.iso_string(3)
    }

    /// ISO 8601 basic format, whole seconds: `20140429T183038Z`.
    pub fn to_basic_iso8601(&self) -> String {
        let c = Civil::from_secs(self.secs);
        format!(
            "{}{:02}{:02}T{:02}{:02}{:02}Z",
            Year(c.year),
            c.month,
            c.day,
            c.hour,
            c.minute,
            c.second
        )
    }

    /// RFC 7231 HTTP date with second precision: `Tue, 29 Apr 2014 18:30:38 GMT`.
    pub fn to_http_date(&self) -> String {
        let c = Civil::from_secs(self.secs);
        let weekday = (self.secs.div_euclid(SECS_PER_DAY) + 4).rem_euclid(7) as usize;
        format!(
            "{}, {:02} {} {} {:02}:{:02}:{:02} GMT",
            WEEKDAYS[weekday],
            c.day,
            MONTHS[c.month as usize - 1],
            Year(c.year),
            c.hour,
            c.minute,
            c.second
        )
    }

    /// Epoch seconds as text: `1398796238`, or with up to three fractional digits (milliseconds, truncated, trailing zeros trimmed) such as `1398796238.12`.
    pub fn to_epoch_seconds_string(&self) -> String {
        let millis = self.nanos / 1_000_000;
        if millis == 0 {
            return self.secs.to_string();
        }
        let total = i128::from(self.secs) * 1_000 + i128::from(millis);
        let sign = if total < 0 { "-" } else { "" };
        let abs = total.unsigned_abs();
        let mut out = format!("{sign}{}.{:03}", abs / 1_000, abs % 1_000);
        // The fraction is non-zero, so trimming never reaches the decimal point.
        while out.ends_with('0') {
            out.pop();
        }
        out
    }

    /// Parses ISO 8601 / RFC 3339 text such as `2014-04-29T18:30:38.123+02:00` (missing zone means UTC).
    ///
    /// Also accepts a space or lowercase `t` as the separator, lowercase `z`, offsets `+hh:mm`,
    /// `+hhmm` and `+hh`, `,` as the decimal mark, 1 to 9 fractional digits (further digits are
    /// truncated), an optional seconds field, a bare date (midnight UTC) and the basic format
    /// `20140429T183038Z`. A leap second `:60` is clamped to `:59`.
    pub fn parse_iso8601(s: &str) -> Result<Self, ParseError> {
        parse_iso_inner(s.trim()).map_err(|expected| ParseError::new(s, expected))
    }

    /// Parses an RFC 7231 / RFC 822 HTTP date such as `Tue, 29 Apr 2014 18:30:38 GMT`.
    ///
    /// The weekday is optional and not cross-checked; the day may have one digit; the zone may be
    /// `GMT`, `UTC`, `UT`, `Z`, a numeric offset such as `+0000`, or missing (UTC); seconds may
    /// carry a fraction (`18:30:38.123`).
    pub fn parse_http_date(s: &str) -> Result<Self, ParseError> {
        parse_http_inner(s.trim()).map_err(|expected| ParseError::new(s, expected))
    }

    /// Parses epoch seconds such as `1398796238`, `1398796238.123`, `-1.5` or `1.2e9` (fractions rounded to the microsecond like [`from_fractional_secs`](Self::from_fractional_secs)).
    pub fn parse_epoch_seconds(s: &str) -> Result<Self, ParseError> {
        parse_epoch_inner(s.trim()).map_err(|expected| ParseError::new(s, expected))
    }

    /// Parses a response timestamp the way botocore's default parser does: a number is epoch seconds, otherwise ISO 8601, otherwise an HTTP date.
    pub fn parse_any(s: &str) -> Result<Self, ParseError> {
        let t = s.trim();
        parse_epoch_inner(t)
            .or_else(|_| parse_iso_inner(t))
            .or_else(|_| parse_http_inner(t))
            .map_err(|_| ParseError::new(s, EXPECT_ANY))
    }

    fn iso_string(&self, frac_digits: u32) -> String {
        let mut out = String::with_capacity(32);
        // Writing to a String cannot fail.
        let _ = self.write_iso(&mut out, frac_digits);
        out
    }

    /// Writes `YYYY-MM-DDTHH:MM:SS[.f]Z` with `frac_digits` (0..=9) truncated fractional digits.
    fn write_iso(&self, f: &mut impl fmt::Write, frac_digits: u32) -> fmt::Result {
        let c = Civil::from_secs(self.secs);
        write!(
            f,
            "{}-{:02}-{:02}T{:02}:{:02}:{:02}",
            Year(c.year),
            c.month,
            c.day,
            c.hour,
            c.minute,
            c.second
        )?;
        if frac_digits > 0 {
            let frac = self.nanos / 10u32.pow(9 - frac_digits);
            write!(f, ".{:0width$}", frac, width = frac_digits as usize)?;
        }
        f.write_char('Z')
    }
}

impl fmt::Display for DateTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let digits = if self.nanos / 1_000 == 0 { 0 } else { 6 };
        self.write_iso(f, digits)
    }
}

impl fmt::Debug for DateTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Like Display, but never hides sub-microsecond nanoseconds.
        let digits = if self.nanos == 0 {
            0
        } else if self.nanos.is_multiple_of(1_000) {
            6
        } else {
            9
        };
        f.write_str("DateTime(")?;
        self.write_iso(f, digits)?;
        f.write_str(")")
    }
}

impl From<SystemTime> for DateTime {
    fn from(t: SystemTime) -> Self {
        match t.duration_since(UNIX_EPOCH) {
            Ok(d) => DateTime::from_secs_and_nanos(
                i64::try_from(d.as_secs()).unwrap_or(i64::MAX),
                d.subsec_nanos(),
            ),
            Err(before) => {
                let d = before.duration();
                let secs = i64::try_from(d.as_secs()).unwrap_or(i64::MAX);
                match d.subsec_nanos() {
                    0 => DateTime::from_secs(-secs),
                    n => DateTime {
                        secs: -secs - 1,
                        nanos: NANOS_PER_SEC - n,
                    },
                }
            }
        }
    }
}

impl From<DateTime> for SystemTime {
    /// Converts to a `SystemTime`, saturating at the earliest or latest instant the platform can represent.
    fn from(t: DateTime) -> Self {
        let whole = Duration::from_secs(t.secs.unsigned_abs());
        let base = if t.secs >= 0 {
            UNIX_EPOCH.checked_add(whole)
        } else {
            UNIX_EPOCH.checked_sub(whole)
        };
        let limit = || {
            // Halve the span until the platform accepts it: the nearest representable extreme.
            let mut span = Duration::from_secs(u64::MAX / 4);
            loop {
                let r = if t.secs >= 0 {
                    UNIX_EPOCH.checked_add(span)
                } else {
                    UNIX_EPOCH.checked_sub(span)
                };
                if let Some(r) = r {
                    return r;
                }
                span /= 2;
            }
        };
        match base {
            Some(b) => b
                .checked_add(Duration::from_nanos(u64::from(t.nanos)))
                .unwrap_or(b),
            None => limit(),
        }
    }
}

/// Binary data (a `blob` shape); `Debug` shows only its length, never the content.
#[derive(Clone, PartialEq, Eq, Hash, Default)]
pub struct Blob(Vec<u8>);

impl Blob {
    /// Wraps the given bytes.
    pub fn new(data: impl Into<Vec<u8>>) -> Self {
        Blob(data.into())
    }

    /// The bytes.
    pub fn as_bytes(&self) -> &[u8] {
        &self.0
    }

    /// Unwraps the bytes.
    pub fn into_inner(self) -> Vec<u8> {
        self.0
    }
}

impl fmt::Debug for Blob {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Blob({} bytes)", self.0.len())
    }
}

impl From<Vec<u8>> for Blob {
    fn from(v: Vec<u8>) -> Self {
        Blob(v)
    }
}

impl From<&[u8]> for Blob {
    fn from(v: &[u8]) -> Self {
        Blob(v.to_vec())
    }
}

impl From<&str> for Blob {
    fn from(v: &str) -> Self {
        Blob(v.as_bytes().to_vec())
    }
}

impl From<String> for Blob {
    fn from(v: String) -> Self {
        Blob(v.into_bytes())
    }
}

impl AsRef<[u8]> for Blob {
    fn as_ref(&self) -> &[u8] {
        &self.0
    }
}

// ---------------------------------------------------------------------------------------------
// Calendar arithmetic (proleptic Gregorian, after Howard Hinnant's `days_from_civil`).

fn is_leap_year(year: i64) -> bool {
    year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
}

fn days_in_month(year: i64, month: u32) -> u32 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if is_leap_year(year) => 29,
        2 => 28,
        _ => 0,
    }
}

/// Days since 1970-01-01 for a valid date.
fn days_from_civil(year: i64, month: u32, day: u32) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400; // [0, 399]
    let mp = (i64::from(month) + 9) % 12; // March = 0
    let doy = (153 * mp + 2) / 5 + i64::from(day) - 1; // [0, 365]
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy; // [0, 146096]
    era * 146_097 + doe - 719_468
}

/// (year, month, day) for a count of days since 1970-01-01.
fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097; // [0, 146096]
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365; // [0, 399]
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100); // [0, 365]
    let mp = (5 * doy + 2) / 153; // [0, 11]
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = (if mp < 10 { mp + 3 } else { mp - 9 }) as u32;
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

fn civil_to_secs(year: i64, month: u32, day: u32, hour: u32, minute: u32, second: u32) -> i64 {
    days_from_civil(year, month, day) * SECS_PER_DAY
        + i64::from(hour * 3_600 + minute * 60 + second)
}

/// A UTC instant broken into calendar fields.
struct Civil {
    year: i64,
    month: u32,
    day: u32,
    hour: u32,
    minute: u32,
    second: u32,
}

impl Civil {
    fn from_secs(secs: i64) -> Self {
        let (year, month, day) = civil_from_days(secs.div_euclid(SECS_PER_DAY));
        let sod = secs.rem_euclid(SECS_PER_DAY) as u32;
        Civil {
            year,
            month,
            day,
            hour: sod / 3_600,
            minute: sod / 60 % 60,
            second: sod % 60,
        }
    }
}

/// Displays a year as four digits, or with an explicit sign outside 0000..=9999.
struct Year(i64);

impl fmt::Display for Year {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if (0..=9_999).contains(&self.0) {
            write!(f, "{:04}", self.0)
        } else {
            write!(f, "{:+05}", self.0)
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Parsing.

/// A byte cursor over ASCII text.
struct Cursor<'a> {
    bytes: &'a [u8],
    pos: usize,
}

impl<'a> Cursor<'a> {
    fn new(s: &'a str) -> Self {
        Cursor {
            bytes: s.as_bytes(),
            pos: 0,
        }
    }

    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.pos).copied()
    }

    fn peek_digit(&self) -> bool {
        self.peek().is_some_and(|b| b.is_ascii_digit())
    }

    fn next(&mut self) -> Option<u8> {
        let b = self.peek()?;
        self.pos += 1;
        Some(b)
    }

    fn eat(&mut self, b: u8) -> bool {
        if self.peek() == Some(b) {
            self.pos += 1;
            true
        } else {
            false
        }
    }

    fn is_done(&self) -> bool {
        self.pos >= self.bytes.len()
    }

    /// Exactly `n` ASCII digits.
    fn digits(&mut self, n: usize) -> Option<u32> {
        let mut value = 0u32;
        for _ in 0..n {
            let b = self.peek().filter(u8::is_ascii_digit)?;
            self.pos += 1;
            value = value * 10 + u32::from(b - b'0');
        }
        Some(value)
    }

    /// One or more fractional digits as nanoseconds; digits past the ninth are truncated.
    fn fraction(&mut self) -> Option<u32> {
        let mut nanos = 0u32;
        let mut count = 0u32;
        while let Some(b) = self.peek().filter(u8::is_ascii_digit) {
            self.pos += 1;
            if count < 9 {
                nanos = nanos * 10 + u32::from(b - b'0');
            }
            count += 1;
        }
        match count {
            0 => None,
            1..=8 => Some(nanos * 10u32.pow(9 - count)),
            _ => Some(nanos),
        }
    }

    /// `HH:MM[:SS[.fff]]` (extended) or `HHMM[SS[.fff]]` (basic): (hour, minute, second, nanos).
    fn time_of_day(&mut self, extended: bool) -> Option<(u32, u32, u32, u32)> {
        let hour = self.digits(2)?;
        if extended && !self.eat(b':') {
            return None;
        }
        let minute = self.digits(2)?;
        let has_seconds = if extended {
            self.eat(b':')
        } else {
            self.peek_digit()
        };
        if !has_seconds {
            return Some((hour, minute, 0, 0));
        }
        let second = self.digits(2)?;
        let nanos = if self.eat(b'.') || self.eat(b',') {
            self.fraction()?
        } else {
            0
        };
        Some((hour, minute, second, nanos))
    }

    /// The rest of a numeric offset after its sign: `hh`, `hhmm` or `hh:mm`, in seconds.
    fn offset_magnitude(&mut self) -> Option<i64> {
        let hours = self.digits(2)?;
        let minutes = if self.eat(b':') || self.peek_digit() {
            self.digits(2)?
        } else {
            0
        };
        if hours > 23 || minutes > 59 {
            return None;
        }
        Some(i64::from(hours * 3_600 + minutes * 60))
    }
}

/// Validates the fields and assembles the instant; `offset` is the local time minus UTC, in seconds.
fn assemble(
    year: i64,
    month: u32,
    day: u32,
    (hour, minute, second, nanos): (u32, u32, u32, u32),
    offset: i64,
) -> Result<DateTime, &'static str> {
    if !(1..=12).contains(&month) {
        return Err(EXPECT_MONTH);
    }
    if day == 0 || day > days_in_month(year, month) {
        return Err(EXPECT_DAY);
    }
    if hour > 23 {
        return Err(EXPECT_HOUR);
    }
    if minute > 59 {
        return Err(EXPECT_MINUTE);
    }
    if second > 60 {
        return Err(EXPECT_SECOND);
    }
    let second = second.min(59); // leap second
    let secs = civil_to_secs(year, month, day, hour, minute, second) - offset;
    Ok(DateTime::from_secs_and_nanos(secs, nanos))
}

fn parse_iso_inner(s: &str) -> Result<DateTime, &'static str> {
    let mut c = Cursor::new(s);
    let year = c.digits(4).ok_or(EXPECT_ISO)?;
    let extended = c.eat(b'-');
    let month = c.digits(2).ok_or(EXPECT_ISO)?;
    if extended && !c.eat(b'-') {
        return Err(EXPECT_ISO);
    }
    let day = c.digits(2).ok_or(EXPECT_ISO)?;
    if c.is_done() {
        return assemble(i64::from(year), month, day, (0, 0, 0, 0), 0);
    }
    if !matches!(c.next(), Some(b'T' | b't' | b' ')) {
        return Err(EXPECT_ISO);
    }
    let time = c.time_of_day(extended).ok_or(EXPECT_ISO)?;
    let offset = match c.next() {
        None => 0,
        Some(b'Z' | b'z') => 0,
        Some(b'+') => c.offset_magnitude().ok_or(EXPECT_OFFSET)?,
        Some(b'-') => -c.offset_magnitude().ok_or(EXPECT_OFFSET)?,
        Some(_) => return Err(EXPECT_ISO),
    };
    if !c.is_done() {
        return Err(EXPECT_ISO);
    }
    assemble(i64::from(year), month, day, time, offset)
}

fn parse_http_inner(s: &str) -> Result<DateTime, &'static str> {
    let rest = match s.split_once(',') {
        Some((weekday, rest)) => {
            let weekday = weekday.trim();
            let known = WEEKDAYS
                .iter()
                .chain(WEEKDAYS_LONG.iter())
                .any(|w| w.eq_ignore_ascii_case(weekday));
            if !known {
                return Err(EXPECT_HTTP);
            }
            rest
        }
        None => s,
    };
    let mut parts = rest.split_ascii_whitespace();
    let (Some(day), Some(month), Some(year), Some(time)) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(EXPECT_HTTP);
    };
    let zone = parts.next();
    if parts.next().is_some() {
        return Err(EXPECT_HTTP);
    }

    if day.is_empty() || day.len() > 2 || !day.bytes().all(|b| b.is_ascii_digit()) {
        return Err(EXPECT_HTTP);
    }
    let day: u32 = day.parse().map_err(|_| EXPECT_HTTP)?;
    let month = MONTHS
        .iter()
        .position(|m| m.eq_ignore_ascii_case(month))
        .ok_or(EXPECT_HTTP)? as u32
        + 1;
    let mut c = Cursor::new(year);
    let year = c.digits(4).filter(|_| c.is_done()).ok_or(EXPECT_HTTP)?;
    let mut c = Cursor::new(time);
    let time = c
        .time_of_day(true)
        .filter(|_| c.is_done())
        .ok_or(EXPECT_HTTP)?;
    let offset = match zone {
        None => 0,
        Some(z)
            if ["GMT", "UTC", "UT", "Z"]
                .iter()
                .any(|n| n.eq_ignore_ascii_case(z)) =>
        {
            0
        }
        Some(z) => {
            let mut c = Cursor::new(z);
            let sign = match c.next() {
                Some(b'+') => 1,
                Some(b'-') => -1,
                _ => return Err(EXPECT_HTTP),
            };
            let magnitude = c
                .offset_magnitude()
                .filter(|_| c.is_done())
                .ok_or(EXPECT_OFFSET)?;
            sign * magnitude
        }
    };
    assemble(i64::from(year), month, day, time, offset)
}

fn parse_epoch_inner(s: &str) -> Result<DateTime, &'static str> {
    let plausible = s.bytes().any(|b| b.is_ascii_digit())
        && s.bytes()
            .all(|b| b.is_ascii_digit() || matches!(b, b'+' | b'-' | b'.' | b'e' | b'E'));
    if !plausible {
        return Err(EXPECT_EPOCH);
    }
    // Integers are exact; anything else goes through f64 like Python's `float()`.
    if let Ok(secs) = s.parse::<i64>() {
        return Ok(DateTime::from_secs(secs));
    }
    let f: f64 = s.parse().map_err(|_| EXPECT_EPOCH)?;
    if !f.is_finite() || f.abs() >= 9.2e18 {
        return Err(EXPECT_EPOCH_RANGE);
    }
    Ok(DateTime::from_fractional_secs(f))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ymd(y: i32, mo: u32, d: u32, h: u32, mi: u32, s: u32) -> DateTime {
        DateTime::from_ymd_hms(y, mo, d, h, mi, s).expect("valid date")
    }

    fn iso(s: &str) -> DateTime {
        DateTime::parse_iso8601(s).unwrap_or_else(|e| panic!("{e}"))
    }

    fn http(s: &str) -> DateTime {
        DateTime::parse_http_date(s).unwrap_or_else(|e| panic!("{e}"))
    }

    fn epoch(s: &str) -> DateTime {
        DateTime::parse_epoch_seconds(s).unwrap_or_else(|e| panic!("{e}"))
    }

    // (year, month, day, hour, minute, second, epoch seconds, HTTP date), from Python's
    // calendar.timegm and email.utils.formatdate(ts, usegmt=True).
    type Vector = (i32, u32, u32, u32, u32, u32, i64, &'static str);

    const VECTORS: &[Vector] = &[
        (
            2014,
            4,
            29,
            18,
            30,
            38,
            1398796238,
            "Tue, 29 Apr 2014 18:30:38 GMT",
        ),
        (
            1969,
            7,
            20,
            20,
            17,
            40,
            -14182940,
            "Sun, 20 Jul 1969 20:17:40 GMT",
        ),
        (
            1900,
            1,
            1,
            0,
            0,
            0,
            -2208988800,
            "Mon, 01 Jan 1900 00:00:00 GMT",
        ),
        (
            1,
            1,
            1,
            0,
            0,
            0,
            -62135596800,
            "Mon, 01 Jan 0001 00:00:00 GMT",
        ),
        (
            9999,
            12,
            31,
            23,
            59,
            59,
            253402300799,
            "Fri, 31 Dec 9999 23:59:59 GMT",
        ),
        (
            2000,
            2,
            29,
            0,
            0,
            0,
            951782400,
            "Tue, 29 Feb 2000 00:00:00 GMT",
        ),
        (
            2024,
            2,
            29,
            12,
            0,
            0,
            1709208000,
            "Thu, 29 Feb 2024 12:00:00 GMT",
        ),
        (
            1600,
            3,
            1,
            0,
            0,
            0,
            -11670912000,
            "Wed, 01 Mar 1600 00:00:00 GMT",
        ),
        (1970, 1, 1, 0, 0, 0, 0, "Thu, 01 Jan 1970 00:00:00 GMT"),
        (
            1969,
            12,
            31,
            23,
            59,
            59,
            -1,
            "Wed, 31 Dec 1969 23:59:59 GMT",
        ),
    ];

    #[test]
    fn known_vectors_match_python() {
        for &(y, mo, d, h, mi, s, secs, date) in VECTORS {
            let t = ymd(y, mo, d, h, mi, s);
            assert_eq!(t.secs(), secs, "{y}-{mo}-{d}");
            assert_eq!(t.to_http_date(), date);
            assert_eq!(DateTime::from_secs(secs).to_http_date(), date);
            assert_eq!(http(date), t);
            let text = format!("{y:04}-{mo:02}-{d:02}T{h:02}:{mi:02}:{s:02}Z");
            assert_eq!(t.to_iso8601(), text);
            assert_eq!(iso(&text), t);
            assert_eq!(t.to_epoch_seconds_string(), secs.to_string());
        }
    }

    #[test]
    fn civil_round_trip_over_many_days() {
        // Every day from 0001-01-01 to 9999-12-31, plus a margin outside that range.
        let first = days_from_civil(1, 1, 1);
        let last = days_from_civil(9999, 12, 31);
        assert_eq!(first, -719162);
        assert_eq!(last, 2932896);
        let mut prev = civil_from_days(first - 1000);
        for days in first - 999..=last + 1000 {
            let (y, m, d) = civil_from_days(days);
            assert_eq!(days_from_civil(y, m, d), days);
            assert!(d >= 1 && d <= days_in_month(y, m));
            // Consecutive days advance the calendar by exactly one day.
            let next_of_prev = if prev.2 < days_in_month(prev.0, prev.1) {
                (prev.0, prev.1, prev.2 + 1)
            } else if prev.1 < 12 {
                (prev.0, prev.1 + 1, 1)
            } else {
                (prev.0 + 1, 1, 1)
            };
            assert_eq!((y, m, d), next_of_prev);
            prev = (y, m, d);
        }
    }

    #[test]
    fn leap_years() {
        assert!(DateTime::from_ymd_hms(2000, 2, 29, 0, 0, 0).is_some());
        assert!(DateTime::from_ymd_hms(2024, 2, 29, 0, 0, 0).is_some());
        assert!(DateTime::from_ymd_hms(1900, 2, 29, 0, 0, 0).is_none());
        assert!(DateTime::from_ymd_hms(2023, 2, 29, 0, 0, 0).is_none());
        assert!(DateTime::parse_iso8601("1900-02-29T00:00:00Z").is_err());
        assert!(DateTime::parse_iso8601("2100-02-29T00:00:00Z").is_err());
        assert_eq!(iso("2000-02-29T00:00:00Z").secs(), 951782400);
        assert_eq!(
            ymd(2024, 2, 29, 0, 0, 0).secs() + 86_400,
            ymd(2024, 3, 1, 0, 0, 0).secs()
        );
    }

    #[test]
    fn from_ymd_hms_validates_ranges() {
        assert!(DateTime::from_ymd_hms(2014, 13, 1, 0, 0, 0).is_none());
        assert!(DateTime::from_ymd_hms(2014, 0, 1, 0, 0, 0).is_none());
        assert!(DateTime::from_ymd_hms(2014, 4, 31, 0, 0, 0).is_none());
        assert!(DateTime::from_ymd_hms(2014, 4, 0, 0, 0, 0).is_none());
        assert!(DateTime::from_ymd_hms(2014, 4, 1, 24, 0, 0).is_none());
        assert!(DateTime::from_ymd_hms(2014, 4, 1, 0, 60, 0).is_none());
        assert!(DateTime::from_ymd_hms(2014, 4, 1, 0, 0, 60).is_none());
        assert_eq!(
            DateTime::from_ymd_hms(2014, 4, 30, 23, 59, 59).map(|t| t.secs()),
            Some(1398902399)
        );
    }

    #[test]
    fn fractional_secs_round_like_python() {
        // (input, secs, micros) from datetime.fromtimestamp(f, timezone.utc).
        let cases: &[(f64, i64, u32)] = &[
            (1398796238.123, 1398796238, 123000),
            (-1.5, -2, 500000),
            (1.0000005, 1, 1),
            (1.0000015, 1, 1),
            (-0.0000005, 0, 0),
            (0.9999996, 1, 0),
            (-1.0000004, -1, 0),
            (1398796238.1234565, 1398796238, 123456),
            (-14182940.25, -14182941, 750000),
            (1e9 + 0.5, 1000000000, 500000),
        ];
        for &(f, secs, micros) in cases {
            let t = DateTime::from_fractional_secs(f);
            assert_eq!((t.secs(), t.subsec_nanos()), (secs, micros * 1000), "{f}");
        }
        assert_eq!(
            DateTime::from_fractional_secs(f64::NAN),
            DateTime::default()
        );
        assert_eq!(
            DateTime::from_fractional_secs(f64::INFINITY).secs(),
            i64::MAX
        );
        assert_eq!(
            DateTime::from_fractional_secs(-1.5).as_fractional_secs(),
            -1.5
        );
        assert_eq!(
            DateTime::from_secs_and_nanos(5, 250_000_000).as_fractional_secs(),
            5.25
        );
    }

    #[test]
    fn secs_and_nanos_normalise() {
        let t = DateTime::from_secs_and_nanos(10, 2_500_000_000);
        assert_eq!((t.secs(), t.subsec_nanos()), (12, 500_000_000));
        assert_eq!(DateTime::from_secs_and_nanos(7, 0), DateTime::from_secs(7));
        assert_eq!(DateTime::default(), DateTime::from_secs(0));
        assert!(DateTime::from_secs_and_nanos(-1, 999_999_999) < DateTime::from_secs(0));
        assert!(DateTime::from_secs_and_nanos(0, 1) > DateTime::from_secs(0));
    }

    #[test]
    fn system_time_round_trip() {
        for (secs, nanos) in [
            (0, 0),
            (1398796238, 123_456_789),
            (-1, 0),
            (-1, 1),
            (-2, 500_000_000),
            (-14182940, 999_999_999),
        ] {
            let t = DateTime::from_secs_and_nanos(secs, nanos);
            let st: SystemTime = t.into();
            assert_eq!(DateTime::from(st), t);
        }
        let st = UNIX_EPOCH - Duration::from_millis(1500);
        let t = DateTime::from(st);
        assert_eq!((t.secs(), t.subsec_nanos()), (-2, 500_000_000));
        let now = DateTime::now();
        assert!(now > ymd(2020, 1, 1, 0, 0, 0));
    }

    #[test]
    fn formatting() {
        let base = DateTime::from_secs(1398796238);
        let frac = DateTime::from_secs_and_nanos(1398796238, 123_456_789);
        assert_eq!(frac.to_iso8601(), "2014-04-29T18:30:38.123456Z");
        assert_eq!(frac.to_iso8601_millis(), "2014-04-29T18:30:38.123Z");
        assert_eq!(base.to_iso8601_millis(), "2014-04-29T18:30:38.000Z");
        assert_eq!(frac.to_http_date(), "Tue, 29 Apr 2014 18:30:38 GMT");
        assert_eq!(frac.to_string(), "2014-04-29T18:30:38.123456Z");
        assert_eq!(base.to_string(), "2014-04-29T18:30:38Z");
        // Sub-microsecond nanos alone do not produce a fraction in the botocore style.
        let tiny = DateTime::from_secs_and_nanos(1398796238, 999);
        assert_eq!(tiny.to_iso8601(), "2014-04-29T18:30:38Z");
        assert_eq!(
            DateTime::from_secs_and_nanos(1398796238, 1_000).to_iso8601(),
            "2014-04-29T18:30:38.000001Z"
        );
        // Pre-epoch with a fraction (Python: 1969-12-31T23:59:58.500000).
        let neg = DateTime::from_fractional_secs(-1.5);
        assert_eq!(neg.to_iso8601(), "1969-12-31T23:59:58.500000Z");
        assert_eq!(neg.to_http_date(), "Wed, 31 Dec 1969 23:59:58 GMT");
    }

    #[test]
    fn debug_and_display() {
        let base = DateTime::from_secs(1398796238);
        assert_eq!(format!("{base:?}"), "DateTime(2014-04-29T18:30:38Z)");
        assert_eq!(
            format!("{:?}", DateTime::from_secs_and_nanos(1398796238, 5)),
            "DateTime(2014-04-29T18:30:38.000000005Z)"
        );
        assert_eq!(
            format!("{:?}", DateTime::from_secs(253402300800)),
            "DateTime(+10000-01-01T00:00:00Z)"
        );
        assert_eq!(
            DateTime::from_secs(-62135596801).to_iso8601(),
            "0000-12-31T23:59:59Z"
        );
        assert_eq!(
            DateTime::from_secs(days_from_civil(-1, 1, 1) * 86_400).to_iso8601(),
            "-0001-01-01T00:00:00Z"
        );
        // Extreme values format without panicking.
        assert!(DateTime::from_secs(i64::MIN)
            .to_http_date()
            .ends_with("GMT"));
        assert!(DateTime::from_secs(i64::MAX).to_iso8601().ends_with('Z'));
    }

    #[test]
    fn epoch_seconds_string() {
        assert_eq!(
            DateTime::from_secs(1398796238).to_epoch_seconds_string(),
            "1398796238"
        );
        assert_eq!(
            DateTime::from_fractional_secs(1398796238.123).to_epoch_seconds_string(),
            "1398796238.123"
        );
        assert_eq!(
            DateTime::from_secs_and_nanos(1398796238, 120_999_999).to_epoch_seconds_string(),
            "1398796238.12"
        );
        assert_eq!(
            DateTime::from_secs_and_nanos(1, 500_000_000).to_epoch_seconds_string(),
            "1.5"
        );
        assert_eq!(
            DateTime::from_secs_and_nanos(1, 999_999).to_epoch_seconds_string(),
            "1"
        );
        assert_eq!(
            DateTime::from_fractional_secs(-1.5).to_epoch_seconds_string(),
            "-1.5"
        );
        assert_eq!(
            DateTime::from_fractional_secs(-0.25).to_epoch_seconds_string(),
            "-0.25"
        );
        assert_eq!(
            DateTime::from_secs(-14182940).to_epoch_seconds_string(),
            "-14182940"
        );
        for text in ["1398796238.123", "-1.5", "0.001", "-0.001", "42"] {
            assert_eq!(epoch(text).to_epoch_seconds_string(), text);
        }
    }

    #[test]
    fn iso8601_variants() {
        let base = DateTime::from_secs(1398796238);
        for text in [
            "2014-04-29T18:30:38Z",
            "2014-04-29t18:30:38z",
            "2014-04-29 18:30:38Z",
            "2014-04-29T18:30:38",
            "2014-04-29T18:30:38+00:00",
            "2014-04-29T20:30:38+02:00",
            "2014-04-29T20:30:38+0200",
            "2014-04-29T20:30:38+02",
            "2014-04-29T13:00:38-05:30",
            "2014-04-29T18:30:38.000Z",
            "20140429T183038Z",
            "  2014-04-29T18:30:38Z\n",
        ] {
            assert_eq!(iso(text), base, "{text}");
        }
        // Python: fromisoformat("2014-04-29T18:30:38-05:30") -> 2014-04-30T00:00:38+00:00.
        assert_eq!(iso("2014-04-29T18:30:38-05:30"), ymd(2014, 4, 30, 0, 0, 38));
        assert_eq!(iso("2014-04-29T18:30Z"), ymd(2014, 4, 29, 18, 30, 0));
        assert_eq!(iso("2014-04-29"), ymd(2014, 4, 29, 0, 0, 0));
        // Offsets that cross the day, month and year boundary.
        assert_eq!(
            iso("2015-01-01T01:00:00+02:00"),
            ymd(2014, 12, 31, 23, 0, 0)
        );
        assert_eq!(iso("1969-12-31T23:00:00-01:00"), DateTime::from_secs(0));
        // Leap second clamps to :59.
        assert_eq!(iso("2016-12-31T23:59:60Z"), ymd(2016, 12, 31, 23, 59, 59));
    }

    #[test]
    fn iso8601_fractions() {
        let cases: &[(&str, u32)] = &[
            ("2014-04-29T18:30:38.1Z", 100_000_000),
            ("2014-04-29T18:30:38.123Z", 123_000_000),
            ("2014-04-29T18:30:38.123456Z", 123_456_000),
            ("2014-04-29T18:30:38.1234567Z", 123_456_700),
            ("2014-04-29T18:30:38.123456789Z", 123_456_789),
            ("2014-04-29T18:30:38,5Z", 500_000_000),
            ("2014-04-29T18:30:38.1234567891234Z", 123_456_789),
        ];
        for &(text, nanos) in cases {
            let t = iso(text);
            assert_eq!((t.secs(), t.subsec_nanos()), (1398796238, nanos), "{text}");
        }
        // Python: fromisoformat("2014-04-29T18:30:38.123456789+0100") -> 17:30:38.123456 UTC.
        let t = iso("2014-04-29T18:30:38.123456789+0100");
        assert_eq!(t.to_iso8601(), "2014-04-29T17:30:38.123456Z");
        let pre = iso("1969-07-20T20:17:39.75Z");
        assert_eq!((pre.secs(), pre.subsec_nanos()), (-14182941, 750_000_000));
    }

    #[test]
    fn iso8601_round_trip() {
        for (secs, nanos) in [
            (0, 0),
            (1398796238, 123_456_000),
            (-1, 999_999_000),
            (-62135596800, 0),
            (253402300799, 1_000),
            (951782400, 500_000_000),
        ] {
            let t = DateTime::from_secs_and_nanos(secs, nanos);
            assert_eq!(iso(&t.to_iso8601()), t);
            assert_eq!(http(&t.to_http_date()).secs(), secs);
            assert_eq!(
                DateTime::parse_any(&t.to_iso8601_millis()).unwrap().secs(),
                secs
            );
        }
    }

    #[test]
    fn iso8601_rejections() {
        for (text, expected) in [
            ("", EXPECT_ISO),
            ("garbage", EXPECT_ISO),
            ("2014-13-01T00:00:00Z", EXPECT_MONTH),
            ("2014-00-01T00:00:00Z", EXPECT_MONTH),
            ("2014-01-32T00:00:00Z", EXPECT_DAY),
            ("2014-02-30T00:00:00Z", EXPECT_DAY),
            ("2014-04-31T00:00:00Z", EXPECT_DAY),
            ("2014-04-29T25:00:00Z", EXPECT_HOUR),
            ("2014-04-29T24:00:00Z", EXPECT_HOUR),
            ("2014-04-29T18:60:00Z", EXPECT_MINUTE),
            ("2014-04-29T18:30:61Z", EXPECT_SECOND),
            ("2014-04-29T18:30:38+25:00", EXPECT_OFFSET),
            ("2014-04-29T18:30:38+02:", EXPECT_OFFSET),
            ("2014-04-29T18:30:38ZZ", EXPECT_ISO),
            ("2014-04-29T18:30:38.Z", EXPECT_ISO),
            ("2014-04-29X18:30:38Z", EXPECT_ISO),
            ("2014-4-29T18:30:38Z", EXPECT_ISO),
            ("2014-04-29T18:30:38 GMT", EXPECT_ISO),
            ("201404-29T18:30:38Z", EXPECT_ISO),
            ("2014-04-29T183038Z", EXPECT_ISO),
            ("1398796238", EXPECT_ISO),
        ] {
            let err = DateTime::parse_iso8601(text).expect_err(text);
            assert_eq!(err.expected, expected, "{text}");
            assert_eq!(err.input, text);
        }
    }

    #[test]
    fn http_date_variants() {
        let base = DateTime::from_secs(1398796238);
        for text in [
            "Tue, 29 Apr 2014 18:30:38 GMT",
            "Tue, 29 Apr 2014 18:30:38 UTC",
            "Tue, 29 Apr 2014 18:30:38 +0000",
            "Tue, 29 Apr 2014 20:30:38 +0200",
            "Tuesday, 29 Apr 2014 18:30:38 GMT",
            "tue, 29 apr 2014 18:30:38 gmt",
            "29 Apr 2014 18:30:38 GMT",
            "Tue,  29 Apr 2014 18:30:38",
        ] {
            assert_eq!(http(text), base, "{text}");
        }
        // Python: parsedate_to_datetime("Tue, 29 Apr 2014 18:30:38 +0200") -> 16:30:38 UTC.
        assert_eq!(
            http("Tue, 29 Apr 2014 18:30:38 +0200"),
            ymd(2014, 4, 29, 16, 30, 38)
        );
        assert_eq!(
            http("Sat, 1 Mar 2014 00:00:00 GMT"),
            ymd(2014, 3, 1, 0, 0, 0)
        );
        let t = http("Tue, 29 Apr 2014 18:30:38.123 GMT");
        assert_eq!((t.secs(), t.subsec_nanos()), (1398796238, 123_000_000));
    }

    #[test]
    fn http_date_rejections() {
        for text in [
            "",
            "garbage",
            "Tue 29 Apr 2014 18:30:38 GMT",
            "Foo, 29 Apr 2014 18:30:38 GMT",
            "Tue, 29 Foo 2014 18:30:38 GMT",
            "Tue, 31 Apr 2014 18:30:38 GMT",
            "Tue, 29 Apr 14 18:30:38 GMT",
            "Tue, 29 Apr 2014 25:30:38 GMT",
            "Tue, 29 Apr 2014 18:30:38 PST",
            "Tue, 29 Apr 2014 18:30:38 GMT extra",
            "Tue, 123 Apr 2014 18:30:38 GMT",
            "Tue, 29 Apr 2014 18-30-38 GMT",
            "2014-04-29T18:30:38Z",
        ] {
            let err = DateTime::parse_http_date(text).expect_err(text);
            assert_eq!(err.input, text);
            assert!(err.to_string().contains(&format!("{text:?}")), "{err}");
        }
    }

    #[test]
    fn epoch_seconds_parsing() {
        assert_eq!(epoch("1398796238"), DateTime::from_secs(1398796238));
        assert_eq!(epoch(" 1398796238 "), DateTime::from_secs(1398796238));
        assert_eq!(epoch("+5"), DateTime::from_secs(5));
        assert_eq!(epoch("-14182940"), DateTime::from_secs(-14182940));
        let t = epoch("1398796238.123");
        assert_eq!((t.secs(), t.subsec_nanos()), (1398796238, 123_000_000));
        let t = epoch("-1.5");
        assert_eq!((t.secs(), t.subsec_nanos()), (-2, 500_000_000));
        assert_eq!(epoch("1.2e9"), DateTime::from_secs(1_200_000_000));
        assert_eq!(epoch("1E3"), DateTime::from_secs(1_000));
        assert_eq!(epoch(".5").subsec_nanos(), 500_000_000);
        // Exact for integers beyond f64 precision.
        assert_eq!(epoch("9007199254740993").secs(), 9007199254740993);
        for bad in [
            "", "abc", "1.2.3", "inf", "NaN", "1e400", "-", "e5", "12:00", "0x10",
        ] {
            let err = DateTime::parse_epoch_seconds(bad).expect_err(bad);
            assert_eq!(err.input, bad);
        }
        assert_eq!(
            DateTime::parse_epoch_seconds("1e400").unwrap_err().expected,
            EXPECT_EPOCH_RANGE
        );
    }

    #[test]
    fn parse_any_dispatches() {
        let base = DateTime::from_secs(1398796238);
        assert_eq!(DateTime::parse_any("1398796238").unwrap(), base);
        assert_eq!(DateTime::parse_any("1398796238.0").unwrap(), base);
        assert_eq!(DateTime::parse_any("2014-04-29T18:30:38Z").unwrap(), base);
        assert_eq!(
            DateTime::parse_any("2014-04-29T18:30:38.000+00:00").unwrap(),
            base
        );
        assert_eq!(
            DateTime::parse_any("Tue, 29 Apr 2014 18:30:38 GMT").unwrap(),
            base
        );
        // A bare number is epoch seconds, as in botocore, even if it looks like a basic date.
        assert_eq!(DateTime::parse_any("20140429").unwrap().secs(), 20140429);
        let err = DateTime::parse_any("not a date").unwrap_err();
        assert_eq!(err.expected, EXPECT_ANY);
        assert_eq!(
            err.to_string(),
            "invalid timestamp \"not a date\": expected epoch seconds, an ISO 8601 timestamp or an HTTP date"
        );
        let boxed: Box<dyn std::error::Error> = Box::new(err.clone());
        assert_eq!(boxed.to_string(), err.to_string());
    }

    #[test]
    fn error_message_names_input() {
        let err = DateTime::parse_iso8601("2014-02-30T00:00:00Z").unwrap_err();
        assert_eq!(
            err.to_string(),
            "invalid timestamp \"2014-02-30T00:00:00Z\": expected a day that exists in the given month"
        );
    }

    #[test]
    fn blob() {
        let b = Blob::new("secret");
        assert_eq!(b.as_bytes(), b"secret");
        assert_eq!(format!("{b:?}"), "Blob(6 bytes)");
        assert!(!format!("{b:?}").contains("secret"));
        assert_eq!(Blob::from(vec![1u8, 2, 3]).into_inner(), vec![1, 2, 3]);
        assert_eq!(Blob::from(&b"ab"[..]), Blob::from("ab"));
        assert_eq!(Blob::from(String::from("ab")), Blob::new(vec![b'a', b'b']));
        assert_eq!(Blob::from("xyz").as_ref(), b"xyz");
        assert_eq!(Blob::default().as_bytes(), b"");
        assert_eq!(format!("{:?}", Blob::default()), "Blob(0 bytes)");
    }
}
