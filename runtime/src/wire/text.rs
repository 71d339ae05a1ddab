//! Scalars as text and back, the way botocore writes and reads them in URIs, query strings,
//! headers, form bodies and XML: floats like Python's `repr`, timestamps in each wire format,
//! base64 blobs, UUIDs, and short body snippets for error messages.

use crate::error::{Error, Result};
use crate::schema::{Kind, Member, Shape, TimestampFormat};
use crate::time::DateTime;
use crate::value::{Scalar, Value, ValueRef};
use base64::Engine;

/// A short, printable snippet of a body for error messages.
pub fn snippet(body: &[u8]) -> String {
    let text = String::from_utf8_lossy(&body[..body.len().min(200)]);
    let mut s: String = text
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    if body.len() > 200 {
        s.push_str("...");
    }
    s
}

thread_local! {
    /// Set while a request of a service that sends millisecond timestamps is serialised.
    static MILLISECONDS: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// While alive, ISO 8601 timestamps are written with exactly three fractional digits, as
/// botocore's millisecond timestamp precision does (bedrock-agentcore). Serialisation is
/// synchronous, so the setting covers exactly the request being built on this thread.
pub struct MillisecondTimestamps(bool);

impl MillisecondTimestamps {
    /// Turns millisecond precision on (or leaves it off) until the value is dropped.
    pub fn enter(on: bool) -> MillisecondTimestamps {
        MillisecondTimestamps(MILLISECONDS.with(|m| m.replace(on)))
    }
}

impl Drop for MillisecondTimestamps {
    fn drop(&mut self) {
        MILLISECONDS.with(|m| m.set(self.0));
    }
}

/// ISO 8601 as botocore writes it: microseconds when there are any, or exactly milliseconds
/// under [`MillisecondTimestamps`].
pub fn iso8601(t: DateTime) -> String {
    if MILLISECONDS.with(|m| m.get()) {
        t.to_iso8601_millis()
    } else {
        t.to_iso8601()
    }
}

/// Epoch seconds as botocore writes them: whole seconds, the fraction dropped, or with
/// milliseconds under [`MillisecondTimestamps`].
pub fn epoch_seconds(t: DateTime) -> String {
    if MILLISECONDS.with(|m| m.get()) {
        t.to_epoch_seconds_string()
    } else {
        t.secs().to_string()
    }
}

/// A timestamp as text in format `f` (ISO 8601 for the default).
pub fn format_timestamp(t: DateTime, f: TimestampFormat) -> String {
    match f {
        TimestampFormat::Rfc822 => t.to_http_date(),
        TimestampFormat::UnixTimestamp => epoch_seconds(t),
        TimestampFormat::Iso8601 | TimestampFormat::Default => iso8601(t),
    }
}

/// Formats a float the way Python's `repr` does (`1.0`, `0.1`, `1e+20`), with botocore's names for specials.
pub fn format_float(f: f64) -> String {
    if f.is_nan() {
        return "NaN".into();
    }
    if f.is_infinite() {
        return if f > 0.0 {
            "Infinity".into()
        } else {
            "-Infinity".into()
        };
    }
    if f == 0.0 {
        return if f.is_sign_negative() {
            "-0.0".into()
        } else {
            "0.0".into()
        };
    }
    // Shortest round-trip digits and the decimal exponent.
    let sci = format!("{f:e}");
    let (mantissa, exp) = sci.split_once('e').expect("`{:e}` has an exponent");
    let exp: i32 = exp.parse().expect("exponent is an integer");
    let neg = mantissa.starts_with('-');
    let digits: String = mantissa.chars().filter(|c| c.is_ascii_digit()).collect();
    let sign = if neg { "-" } else { "" };
    if (-4..16).contains(&exp) {
        let point = exp + 1; // digits before the decimal point
        if point <= 0 {
            format!("{sign}0.{}{digits}", "0".repeat((-point) as usize))
        } else if point as usize >= digits.len() {
            format!(
                "{sign}{digits}{}.0",
                "0".repeat(point as usize - digits.len())
            )
        } else {
            let (a, b) = digits.split_at(point as usize);
            format!("{sign}{a}.{b}")
        }
    } else {
        let (a, b) = digits.split_at(1);
        let m = if b.is_empty() {
            a.to_string()
        } else {
            format!("{a}.{b}")
        };
        format!(
            "{sign}{m}e{}{:02}",
            if exp < 0 { '-' } else { '+' },
            exp.abs()
        )
    }
}

/// A scalar as URI, query, header or XML text; timestamps in `default_ts` unless the member says
/// otherwise.
pub fn scalar_text(m: &Member, v: ValueRef, default_ts: TimestampFormat) -> Option<String> {
    Some(match v {
        ValueRef::Str(s) => s.to_string(),
        ValueRef::Bool(b) => b.to_string(),
        ValueRef::Int(i) => i.to_string(),
        ValueRef::Float(f) => format_float(f),
        ValueRef::Timestamp(t) => {
            let f = match m.timestamp_format() {
                TimestampFormat::Default => default_ts,
                f => f,
            };
            format_timestamp(t, f)
        }
        ValueRef::Blob(b) => base64::engine::general_purpose::STANDARD.encode(b),
        _ => return None,
    })
}

/// Parses element text as the member's scalar kind and stores it.
pub fn set_scalar(slot: &mut dyn Value, m: &Member, text: &str) -> Result<()> {
    set_scalar_owned(slot, m, text.to_string())
}

/// [`set_scalar`] for text already owned (a string member takes it without a copy).
pub fn set_scalar_owned(slot: &mut dyn Value, m: &Member, text: String) -> Result<()> {
    let v = match m.target.kind {
        Kind::String => Scalar::Str(text),
        _ => parse_scalar(m.target, m.timestamp_format(), &text)?,
    };
    slot.set(v)
        .map_err(|e| Error::response(format!(" {}", e.0)))
}

/// Parses text as a scalar of `shape`'s kind (XML and query conventions).
pub fn parse_scalar(shape: &Shape, ts: TimestampFormat, text: &str) -> Result<Scalar> {
    let bad = |what: &str| Error::response(format!(" invalid {what} {:?}", truncate(text)));
    Ok(match shape.kind {
        Kind::String => Scalar::Str(text.to_string()),
        Kind::Boolean => match text.trim() {
            t if t.eq_ignore_ascii_case("true") => Scalar::Bool(true),
            t if t.eq_ignore_ascii_case("false") => Scalar::Bool(false),
            _ => return Err(bad("boolean")),
        },
        Kind::Byte | Kind::Short | Kind::Integer | Kind::Long => {
            Scalar::Int(text.trim().parse().map_err(|_| bad("integer"))?)
        }
        Kind::Float | Kind::Double => {
            Scalar::Float(parse_float(text.trim()).ok_or_else(|| bad("number"))?)
        }
        Kind::Timestamp => {
            let t = text.trim();
            let r = match ts {
                TimestampFormat::Iso8601 => {
                    DateTime::parse_iso8601(t).or_else(|_| DateTime::parse_any(t))
                }
                TimestampFormat::Rfc822 => {
                    DateTime::parse_http_date(t).or_else(|_| DateTime::parse_any(t))
                }
                TimestampFormat::UnixTimestamp => {
                    DateTime::parse_epoch_seconds(t).or_else(|_| DateTime::parse_any(t))
                }
                TimestampFormat::Default => DateTime::parse_any(t),
            };
            Scalar::Timestamp(r.map_err(|_| bad("timestamp"))?)
        }
        Kind::Blob => {
            // Line breaks and other whitespace inside base64 text are ignored, as Python's b64decode does.
            let compact: String = text.chars().filter(|c| !c.is_ascii_whitespace()).collect();
            Scalar::Blob(
                base64::engine::general_purpose::STANDARD
                    .decode(compact)
                    .map_err(|_| bad("base64 data"))?,
            )
        }
        Kind::Structure | Kind::Union | Kind::List | Kind::Map | Kind::Document => {
            return Err(Error::response(format!(" {} is not a scalar", shape.name)))
        }
    })
}

/// Parses a number, including `NaN`, `Infinity` and `-Infinity`.
pub fn parse_float(s: &str) -> Option<f64> {
    match s {
        "NaN" => Some(f64::NAN),
        "Infinity" => Some(f64::INFINITY),
        "-Infinity" => Some(f64::NEG_INFINITY),
        _ => s.parse().ok().filter(|f: &f64| f.is_finite()),
    }
}

fn truncate(s: &str) -> String {
    s.chars().take(60).collect()
}

/// 16 bytes in the 8-4-4-4-12 hexadecimal form of a UUID.
pub fn format_uuid(b: &[u8]) -> String {
    let h: String = b.iter().map(|x| format!("{x:02x}")).collect();
    format!(
        "{}-{}-{}-{}-{}",
        &h[0..8],
        &h[8..12],
        &h[12..16],
        &h[16..20],
        &h[20..32]
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn millisecond_timestamps_have_three_digits_while_turned_on() {
        let t = DateTime::from_secs_and_nanos(1_700_000_000, 123_456_789);
        assert_eq!(
            format_timestamp(t, TimestampFormat::Iso8601),
            "2023-11-14T22:13:20.123456Z"
        );
        {
            let _on = MillisecondTimestamps::enter(true);
            assert_eq!(
                format_timestamp(t, TimestampFormat::Iso8601),
                "2023-11-14T22:13:20.123Z"
            );
            let whole = DateTime::from_secs(1_700_000_000);
            assert_eq!(iso8601(whole), "2023-11-14T22:13:20.000Z");
            assert_eq!(
                format_timestamp(t, TimestampFormat::UnixTimestamp),
                "1700000000.123"
            );
        }
        assert_eq!(iso8601(t), "2023-11-14T22:13:20.123456Z");
    }

    #[test]
    fn epoch_seconds_drop_the_fraction_unless_milliseconds_are_on() {
        let t = DateTime::from_secs_and_nanos(1_700_000_000, 999_000_000);
        assert_eq!(
            format_timestamp(t, TimestampFormat::UnixTimestamp),
            "1700000000"
        );
        let before = DateTime::from_secs_and_nanos(-2, 500_000_000);
        assert_eq!(epoch_seconds(before), "-2");
        let _on = MillisecondTimestamps::enter(true);
        assert_eq!(epoch_seconds(t), "1700000000.999");
    }

    #[test]
    fn floats_like_python() {
        for (f, s) in [
            (1.0, "1.0"),
            (1.5, "1.5"),
            (0.1, "0.1"),
            (-2.25, "-2.25"),
            (1e16, "1e+16"),
            (1e15, "1000000000000000.0"),
            (1.5e-5, "1.5e-05"),
            (0.0001, "0.0001"),
            (123456.789, "123456.789"),
            (f64::NAN, "NaN"),
            (f64::NEG_INFINITY, "-Infinity"),
        ] {
            assert_eq!(format_float(f), s, "{f}");
        }
    }
}
