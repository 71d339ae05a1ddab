//! DynamoDB numbers: exact decimal text, held to the context boto3 uses (38 significant digits,
//! exponents from -128 to 126, nothing rounded).

use serde::de::{self, Deserializer, Visitor};
use serde::ser::Serializer;
use serde::{Deserialize, Serialize};
use std::fmt;

/// The newtype name [`Number`] serialises under, which this module's serializer takes as a number
/// (any other serializer sees the text).
pub(crate) const NUMBER_TOKEN: &str = "$boto_runtime::dynamodb::Number";

/// The most significant digits a DynamoDB number holds.
const PRECISION: usize = 38;
/// The largest adjusted exponent (the power of ten of the first digit).
const EMAX: i64 = 126;
/// The smallest exponent of the last digit a number may have without being rounded.
const ETINY: i64 = -128 - PRECISION as i64 + 1;

/// A DynamoDB number (`N`): decimal text, exact.
///
/// Written as Python's `Decimal` writes it, so that it is the text boto3's `TypeSerializer`
/// sends: `Number::new("1.50")` is `1.50`, `Number::new("1e3")` is `1E+3`, `Number::new("0.000001")`
/// is `0.000001` and `0.0000001` is `1E-7`. A number DynamoDB cannot hold exactly (more than 38
/// significant digits, or out of its range) is an error, as it is in boto3.
///
/// Integers convert exactly (`Number::from(7_u64)`); floats convert to the shortest decimal that
/// reads back as the same float (`0.1_f64` is `0.1`), and NaN and the infinities are errors.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct Number(String);

/// A number's parts: sign, coefficient digits (no leading zeros; `"0"` for zero) and the exponent
/// of its last digit.
struct Parts {
    negative: bool,
    digits: String,
    exp: i64,
}

fn parse(text: &str) -> Result<Parts, String> {
    let t = text.trim();
    let (negative, body) = match t.as_bytes().first() {
        Some(b'-') => (true, &t[1..]),
        Some(b'+') => (false, &t[1..]),
        _ => (false, t),
    };
    let bad = || format!("{text:?} is not a number");
    let (mantissa, exp) = match body.find(['e', 'E']) {
        Some(i) => {
            let e = &body[i + 1..];
            let digits = e.strip_prefix(['+', '-']).unwrap_or(e);
            if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
                return Err(bad());
            }
            // Far beyond any exponent DynamoDB holds, and small enough for exact arithmetic.
            let e: i64 = e
                .parse()
                .ok()
                .filter(|e: &i64| e.unsigned_abs() <= 1_000_000_000)
                .ok_or_else(|| format!("{text:?} is out of range"))?;
            (&body[..i], e)
        }
        None => (body, 0),
    };
    let (int, frac) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    if int.is_empty() && frac.is_empty()
        || !int.bytes().chain(frac.bytes()).all(|b| b.is_ascii_digit())
    {
        return Err(bad());
    }
    let mut digits = String::with_capacity(int.len() + frac.len());
    for c in int.chars().chain(frac.chars()) {
        if !(digits.is_empty() && c == '0') {
            digits.push(c);
        }
    }
    if digits.is_empty() {
        digits.push('0');
    }
    let exp = exp
        .checked_sub(frac.len() as i64)
        .ok_or_else(|| format!("{text:?} is out of range"))?;
    Ok(Parts {
        negative,
        digits,
        exp,
    })
}

/// The value `text` holds, one text per value (`1`, `1.0` and `10E-1` are all `1E0`), for
/// comparing numbers as boto3 compares its `Decimal`s; `None` when it is not a number.
pub(crate) fn canonical(text: &str) -> Option<String> {
    let p = parse(text).ok()?;
    if p.digits == "0" {
        return Some("0".into());
    }
    let trimmed = p.digits.trim_end_matches('0');
    let exp = p.exp + (p.digits.len() - trimmed.len()) as i64;
    Some(format!(
        "{}{trimmed}E{exp}",
        if p.negative { "-" } else { "" }
    ))
}

impl Parts {
    /// As boto3's decimal context does: no rounding, no overflow, no underflow, no clamping.
    fn check(&self, text: &str) -> Result<(), String> {
        if self.digits.len() > PRECISION {
            return Err(format!(
                "{text} has {} significant digits; DynamoDB numbers hold at most {PRECISION}",
                self.digits.len()
            ));
        }
        if self.digits == "0" {
            if self.exp < ETINY || self.exp > EMAX {
                return Err(format!("{text} is out of DynamoDB's number range"));
            }
            return Ok(());
        }
        let adjusted = self.exp + self.digits.len() as i64 - 1;
        if adjusted > EMAX {
            return Err(format!(
                "{text} is too large for DynamoDB (at most 38 digits before 1E+126)"
            ));
        }
        if self.exp < ETINY {
            return Err(format!(
                "{text} is too small for DynamoDB to hold exactly (no digit below 1E-165)"
            ));
        }
        Ok(())
    }

    /// Python's `str(Decimal)`: plain notation unless the exponent is positive or the number is
    /// below 1E-6, then one digit before the point and `E±n`.
    fn render(&self) -> String {
        let n = self.digits.len() as i64;
        let left = self.exp + n;
        let dot = if self.exp <= 0 && left > -6 { left } else { 1 };
        let mut s = String::with_capacity(self.digits.len() + 8);
        if self.negative {
            s.push('-');
        }
        if dot <= 0 {
            s.push_str("0.");
            s.extend(std::iter::repeat_n('0', (-dot) as usize));
            s.push_str(&self.digits);
        } else if dot >= n {
            s.push_str(&self.digits);
            s.extend(std::iter::repeat_n('0', (dot - n) as usize));
        } else {
            s.push_str(&self.digits[..dot as usize]);
            s.push('.');
            s.push_str(&self.digits[dot as usize..]);
        }
        if left != dot {
            s.push_str(&format!("E{:+}", left - dot));
        }
        s
    }
}

impl Number {
    /// Reads decimal text (`"12"`, `"-1.50"`, `"6.02e23"`), written back as boto3 writes it.
    pub fn new(text: &str) -> Result<Number, String> {
        let parts = parse(text)?;
        parts.check(text)?;
        Ok(Number(parts.render()))
    }

    /// Text a generated attribute value holds (for `attribute_value!`): the number, or the text
    /// back when it is not one.
    #[doc(hidden)]
    pub fn from_service(text: String) -> Result<Number, String> {
        if Number::from_wire_ref(&text) {
            Ok(Number(text))
        } else {
            Err(text)
        }
    }

    /// Whether `text` reads as a number (the common case, digits alone, without parsing).
    fn from_wire_ref(text: &str) -> bool {
        let simple = !text.is_empty()
            && text.len() <= PRECISION
            && text
                .bytes()
                .enumerate()
                .all(|(i, b)| b.is_ascii_digit() || (i == 0 && b == b'-' && text.len() > 1));
        simple || parse(text).is_ok()
    }

    /// Text DynamoDB sent: kept as it is when it reads as a number, else an error.
    pub(crate) fn from_wire(text: String) -> Result<Number, String> {
        Number::from_service(text).map_err(|text| format!("{text:?} is not a number"))
    }

    /// The text.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The text, owned.
    pub fn into_string(self) -> String {
        self.0
    }

    /// The number as an integer, when it is one and fits.
    pub fn to_i128(&self) -> Option<i128> {
        if let Ok(i) = self.0.parse() {
            return Some(i);
        }
        let p = parse(&self.0).ok()?;
        let digits = if p.exp >= 0 {
            if p.digits == "0" {
                "0".to_string()
            } else {
                let zeros = usize::try_from(p.exp).ok().filter(|z| *z <= 40)?;
                format!("{}{}", p.digits, "0".repeat(zeros))
            }
        } else {
            let cut = p.digits.len().checked_sub((-p.exp) as usize);
            let (int, frac) = match cut {
                Some(c) => p.digits.split_at(c),
                None => ("", p.digits.as_str()),
            };
            if !frac.bytes().all(|b| b == b'0') {
                return None;
            }
            if int.is_empty() {
                "0".to_string()
            } else {
                int.to_string()
            }
        };
        let v: i128 = digits.parse().ok()?;
        Some(if p.negative { -v } else { v })
    }

    /// The number as an `i64`, when it is an integer that fits.
    pub fn to_i64(&self) -> Option<i64> {
        self.to_i128().and_then(|i| i64::try_from(i).ok())
    }

    /// The number as a `u64`, when it is an integer that fits.
    pub fn to_u64(&self) -> Option<u64> {
        self.to_i128().and_then(|i| u64::try_from(i).ok())
    }

    /// The nearest `f64`.
    pub fn to_f64(&self) -> f64 {
        self.0.parse().unwrap_or(f64::NAN)
    }

    /// The `f64` whose shortest decimal is this number (`0.1_f64` for `0.1`), when there is one:
    /// `None` when the float would lose digits (`0.1000000000000000000001`, most numbers of more
    /// than 17 significant digits).
    pub fn to_f64_lossless(&self) -> Option<f64> {
        let x: f64 = self.0.parse().ok().filter(|x: &f64| x.is_finite())?;
        (canonical(&format!("{x:e}")) == canonical(&self.0)).then_some(x)
    }

    /// From a float (`x`, widened to `f64`): the shortest decimal that reads back as the float,
    /// which `plain` writes in plain notation and `shortest` in exponent notation (both of the
    /// float's own type, whose shortest digits an `f32` widened would not keep).
    fn from_float(
        x: f64,
        plain: impl FnOnce() -> String,
        shortest: impl FnOnce() -> String,
    ) -> Result<Number, String> {
        if !x.is_finite() {
            return Err(format!("{x} is not a number DynamoDB can hold"));
        }
        // A whole number is its digits (what the shortest form also gives).
        if x.fract() == 0.0 && x.abs() < 1e15 && !(x == 0.0 && x.is_sign_negative()) {
            return Ok(Number::from(x as i64));
        }
        // One with a fraction and not below 1E-6 (so under 2^52, at most 17 digits) written
        // plainly in its shortest digits is already the text boto3's `Decimal` writes.
        if x.fract() != 0.0 && x.abs() >= 1e-6 {
            return Ok(Number(plain()));
        }
        Number::new(&shortest())
    }
}

impl fmt::Display for Number {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl fmt::Debug for Number {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Number({})", self.0)
    }
}

impl std::str::FromStr for Number {
    type Err = String;
    fn from_str(s: &str) -> Result<Number, String> {
        Number::new(s)
    }
}

/// An integer's digits (items hold many numbers: this skips the formatting machinery).
fn int_text(negative: bool, mut v: u64) -> String {
    let mut buf = [0u8; 21];
    let mut i = buf.len();
    loop {
        i -= 1;
        buf[i] = b'0' + (v % 10) as u8;
        v /= 10;
        if v == 0 {
            break;
        }
    }
    if negative {
        i -= 1;
        buf[i] = b'-';
    }
    // One exact allocation and a copy.
    std::str::from_utf8(&buf[i..])
        .expect("digits and a sign are ASCII")
        .to_owned()
}

macro_rules! from_int {
    (signed $($t:ty),*; unsigned $($u:ty),*) => {
        $(impl From<$t> for Number {
            fn from(v: $t) -> Number {
                Number(int_text(v < 0, (v as i64).unsigned_abs()))
            }
        })*
        $(impl From<$u> for Number {
            fn from(v: $u) -> Number {
                Number(int_text(false, v as u64))
            }
        })*
    };
}
from_int!(signed i8, i16, i32, i64, isize; unsigned u8, u16, u32, u64, usize);

impl TryFrom<i128> for Number {
    type Error = String;
    fn try_from(v: i128) -> Result<Number, String> {
        Number::new(&v.to_string())
    }
}

impl TryFrom<u128> for Number {
    type Error = String;
    fn try_from(v: u128) -> Result<Number, String> {
        Number::new(&v.to_string())
    }
}

impl TryFrom<f64> for Number {
    type Error = String;
    fn try_from(x: f64) -> Result<Number, String> {
        Number::from_float(x, || x.to_string(), || format!("{x:e}"))
    }
}

impl TryFrom<f32> for Number {
    type Error = String;
    fn try_from(x: f32) -> Result<Number, String> {
        Number::from_float(f64::from(x), || x.to_string(), || format!("{x:e}"))
    }
}

impl Serialize for Number {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_newtype_struct(NUMBER_TOKEN, &self.0)
    }
}

impl<'de> Deserialize<'de> for Number {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Number, D::Error> {
        d.deserialize_newtype_struct(NUMBER_TOKEN, NumberVisitor)
    }
}

struct NumberVisitor;

impl<'de> Visitor<'de> for NumberVisitor {
    type Value = Number;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a number, or decimal text")
    }
    fn visit_newtype_struct<D: Deserializer<'de>>(self, d: D) -> Result<Number, D::Error> {
        d.deserialize_any(self)
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Number, E> {
        Number::new(v).map_err(E::custom)
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Number, E> {
        Ok(Number::from(v))
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Number, E> {
        Ok(Number::from(v))
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Number, E> {
        Number::try_from(v).map_err(E::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::Number;

    #[test]
    fn text_is_written_as_pythons_decimal_writes_it() {
        for (given, shown) in [
            ("12", "12"),
            ("-1.50", "-1.50"),
            ("+007", "7"),
            (".5", "0.5"),
            ("5.", "5"),
            ("1e3", "1E+3"),
            ("1.5E-3", "0.0015"),
            ("0.000001", "0.000001"),
            ("0.0000001", "1E-7"),
            ("123.456e-10", "1.23456E-8"),
            ("-0", "-0"),
            ("0.00", "0.00"),
            ("1E-130", "1E-130"),
            (
                "9.9999999999999999999999999999999999999E+125",
                "9.9999999999999999999999999999999999999E+125",
            ),
        ] {
            assert_eq!(Number::new(given).unwrap().as_str(), shown, "{given}");
        }
    }

    #[test]
    fn what_dynamodb_cannot_hold_is_refused() {
        let digits39 = "1".repeat(39);
        for bad in [
            digits39.as_str(),
            "1E+127",
            "1E-166",
            "NaN",
            "Infinity",
            "",
            "1.2.3",
            "12a",
            "e5",
            "12e9223372036854775807",
            "1e-9223372036854775808",
            "1e99999999999",
        ] {
            assert!(Number::new(bad).is_err(), "{bad:?} accepted");
        }
        assert!(Number::try_from(f64::NAN).is_err());
        assert!(Number::try_from(1e300).is_err());
        assert!(Number::try_from(10_i128.pow(38)).is_err());
        assert_eq!(
            Number::try_from(10_i128.pow(37)).unwrap().as_str(),
            format!("1{}", "0".repeat(37))
        );
    }

    #[test]
    fn integers_are_their_digits() {
        for v in [0_i64, 7, -7, 10, i64::MIN, i64::MAX] {
            assert_eq!(Number::from(v).as_str(), v.to_string());
        }
        assert_eq!(Number::from(u64::MAX).as_str(), u64::MAX.to_string());
        assert_eq!(Number::from(-128_i8).as_str(), "-128");
    }

    #[test]
    fn floats_are_their_shortest_decimal() {
        assert_eq!(Number::try_from(0.1).unwrap().as_str(), "0.1");
        assert_eq!(Number::try_from(1.0e21).unwrap().as_str(), "1E+21");
        assert_eq!(Number::try_from(-2.5_f32).unwrap().as_str(), "-2.5");
        assert_eq!(Number::try_from(3.0).unwrap().as_str(), "3");
    }

    #[test]
    fn integers_read_back_exactly() {
        let n = Number::new("123456789012345678901234567890").unwrap();
        assert_eq!(n.to_i128(), Some(123456789012345678901234567890));
        assert_eq!(n.to_i64(), None);
        assert_eq!(Number::new("1.50E+2").unwrap().to_i64(), Some(150));
        assert_eq!(Number::new("1.5").unwrap().to_i64(), None);
        assert_eq!(Number::new("-3.000").unwrap().to_i64(), Some(-3));
        assert_eq!(Number::new("1E-7").unwrap().to_i64(), None);
    }
}
