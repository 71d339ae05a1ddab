//! JSON bodies (json and rest-json protocols): written from any structure and read into any
//! structure by walking its schema.

use crate::document::Document;
use crate::error::{Error, Result};
use crate::schema::{Kind, Location, Member, Shape, TimestampFormat};
use crate::time::DateTime;
use crate::value::{Scalar, Structure, Value, ValueRef};
use crate::wire::text::{format_float, parse_float, parse_scalar, snippet};
use base64::Engine;
use serde_json::Value as Json;

/// How deeply values may nest, in requests and responses alike.
const MAX_DEPTH: usize = 100;

/// Writes `s` as a JSON object; with `body_only`, members bound to the URI, query string, headers
/// or status code are left out (rest-json).
pub fn write_struct(out: &mut String, s: &dyn Structure, body_only: bool) -> Result<()> {
    write_struct_at(out, s, body_only, 0)
}

fn write_struct_at(
    out: &mut String,
    s: &dyn Structure,
    body_only: bool,
    depth: usize,
) -> Result<()> {
    if depth > MAX_DEPTH {
        return Err(Error::validation(format!(
            "{}: values nested deeper than {MAX_DEPTH} levels",
            s.shape().name
        )));
    }
    out.push('{');
    let mut first = true;
    for (i, m) in s.shape().members.iter().enumerate() {
        if body_only && m.location != Location::Body {
            continue;
        }
        let v = s.field(i).get();
        if let ValueRef::Null = v {
            continue;
        }
        if !first {
            out.push(',');
        }
        first = false;
        write_str(out, m.wire_name());
        out.push(':');
        write_value(out, m, v, depth + 1).map_err(|e| prefix_error(e, m.name))?;
    }
    out.push('}');
    Ok(())
}

fn prefix_error(e: Error, name: &str) -> Error {
    let msg = e.message().unwrap_or("").to_string();
    Error::new(e.kind(), format!("{name}.{msg}").replace(".: ", ": "))
}

/// Writes one value of member `m`.
pub fn write_value(out: &mut String, m: &Member, v: ValueRef, depth: usize) -> Result<()> {
    match v {
        ValueRef::Null => out.push_str("null"),
        ValueRef::Bool(b) => out.push_str(if b { "true" } else { "false" }),
        ValueRef::Int(i) => out.push_str(&i.to_string()),
        ValueRef::Float(f) => write_float(out, f),
        ValueRef::Str(s) => write_str(out, s),
        ValueRef::Timestamp(t) => write_timestamp(out, t, m.timestamp_format()),
        ValueRef::Blob(b) => write_str(out, &base64::engine::general_purpose::STANDARD.encode(b)),
        ValueRef::Stream(s) => match s.as_bytes() {
            Some(b) => write_str(out, &base64::engine::general_purpose::STANDARD.encode(b)),
            None => {
                return Err(Error::validation(
                    ": a streaming body can only be sent as the request payload",
                ))
            }
        },
        ValueRef::Document(d) => write_document(out, d, depth)?,
        ValueRef::Struct(s) => write_struct_at(out, s, false, depth)?,
        ValueRef::List(l) => {
            let item = m.target.list_member().expect("list shape has a member");
            out.push('[');
            for i in 0..l.len() {
                if i > 0 {
                    out.push(',');
                }
                write_value(out, item, l.get(i).get(), depth + 1)?;
            }
            out.push(']');
        }
        ValueRef::Map(map) => {
            let (_, vm) = m.target.map_members().expect("map shape has key and value");
            out.push('{');
            for (i, (k, v)) in map.entries().into_iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_str(out, k);
                out.push(':');
                write_value(out, vm, v.get(), depth + 1)?;
            }
            out.push('}');
        }
    }
    Ok(())
}

/// A JSON string literal.
pub fn write_str(out: &mut String, s: &str) {
    write_escaped(out, s, false);
}

/// A JSON string literal as Python's `json.dumps` writes it (`ensure_ascii`): also `\b`, `\f`,
/// and every character outside printable ASCII as `\u` escapes (UTF-16 pairs above U+FFFF).
pub fn write_str_ascii(out: &mut String, s: &str) {
    write_escaped(out, s, true);
}

fn write_escaped(out: &mut String, s: &str, ascii: bool) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{8}' if ascii => out.push_str("\\b"),
            '\u{c}' if ascii => out.push_str("\\f"),
            c if (c as u32) < 0x20 || (ascii && (c as u32) > 0x7e) => {
                let mut units = [0u16; 2];
                for u in c.encode_utf16(&mut units) {
                    out.push_str(&format!("\\u{u:04x}"));
                }
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

/// A number, with `NaN` and the infinities as strings (as botocore sends them).
pub fn write_float(out: &mut String, f: f64) {
    if f.is_finite() {
        out.push_str(&format_float(f));
    } else {
        write_str(out, &format_float(f));
    }
}

/// A timestamp in a JSON body: epoch seconds unless the member names another format.
pub fn write_timestamp(out: &mut String, t: DateTime, f: TimestampFormat) {
    match f {
        TimestampFormat::Iso8601 => write_str(out, &super::text::iso8601(t)),
        TimestampFormat::Rfc822 => write_str(out, &t.to_http_date()),
        TimestampFormat::UnixTimestamp | TimestampFormat::Default => {
            out.push_str(&super::text::epoch_seconds(t))
        }
    }
}

/// A document as JSON.
pub fn write_document(out: &mut String, d: &Document, depth: usize) -> Result<()> {
    if depth > MAX_DEPTH {
        return Err(Error::validation(format!(
            ": a document nested deeper than {MAX_DEPTH} levels"
        )));
    }
    match d {
        Document::Null => out.push_str("null"),
        Document::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Document::Int(i) => out.push_str(&i.to_string()),
        Document::Float(f) => write_float(out, *f),
        Document::String(s) => write_str(out, s),
        Document::Array(a) => {
            out.push('[');
            for (i, v) in a.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_document(out, v, depth + 1)?;
            }
            out.push(']');
        }
        Document::Object(o) => {
            out.push('{');
            for (i, (k, v)) in o.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_str(out, k);
                out.push(':');
                write_document(out, v, depth + 1)?;
            }
            out.push('}');
        }
    }
    Ok(())
}

/// Parses a body as JSON; an empty body is an empty object.
pub fn parse_body(body: &[u8]) -> Result<Json> {
    if body.iter().all(|b| b.is_ascii_whitespace()) {
        return Ok(Json::Object(Default::default()));
    }
    serde_json::from_slice(body).map_err(|e| {
        Error::response(format!(
            "response body is not valid JSON ({e}): {}",
            snippet(body)
        ))
    })
}

/// Fills `out` from the JSON object `v` (members by `locationName`, else name; nulls skipped).
/// With `body_only`, members bound elsewhere (headers, status code) are left alone.
pub fn read_struct(v: &Json, out: &mut dyn Structure, body_only: bool) -> Result<()> {
    read_struct_at(v, out, body_only, 0)
}

fn read_struct_at(v: &Json, out: &mut dyn Structure, body_only: bool, depth: usize) -> Result<()> {
    let shape = out.shape();
    if depth > MAX_DEPTH {
        return Err(Error::response(format!(
            " values nested deeper than {MAX_DEPTH} levels in {}",
            shape.name
        )));
    }
    let Json::Object(obj) = v else {
        return Err(Error::response(format!(
            " expected an object for {}, found {}",
            shape.name,
            json_kind(v)
        )));
    };
    let mut matched = false;
    for (i, m) in shape.members.iter().enumerate() {
        if body_only && !m.location.in_response_body() {
            continue;
        }
        match obj.get(m.wire_name()) {
            None | Some(Json::Null) => {}
            Some(x) => {
                matched = true;
                read_value(x, m, out.field_mut(i), depth + 1).map_err(|e| in_member(e, m))?
            }
        }
    }
    if shape.kind == Kind::Union && !matched {
        // A member this model does not know: its name is kept, as botocore's SDK_UNKNOWN_MEMBER.
        if let Some((k, _)) = obj.iter().find(|(k, v)| *k != "__type" && !v.is_null()) {
            out.set_unknown_member(k);
        }
    }
    Ok(())
}

fn in_member(e: Error, m: &Member) -> Error {
    let msg = e.message().unwrap_or("").to_string();
    match msg.strip_prefix("in ") {
        Some(rest) => Error::response(format!("in {}.{rest}", m.name)),
        None => Error::response(format!("in {}:{msg}", m.name)),
    }
}

fn json_kind(v: &Json) -> &'static str {
    match v {
        Json::Null => "null",
        Json::Bool(_) => "a boolean",
        Json::Number(_) => "a number",
        Json::String(_) => "a string",
        Json::Array(_) => "an array",
        Json::Object(_) => "an object",
    }
}

/// Fills `slot` (of member `m`'s type) from `v`.
pub fn read_value(v: &Json, m: &Member, slot: &mut dyn Value, depth: usize) -> Result<()> {
    let t = m.target;
    match t.kind {
        Kind::Structure | Kind::Union => match slot.as_struct_mut() {
            Some(s) => read_struct_at(v, s, false, depth),
            None => Err(Error::response(format!(" {} is not a structure", t.name))),
        },
        Kind::List => {
            let Json::Array(items) = v else {
                return Err(Error::response(format!(
                    " expected an array, found {}",
                    json_kind(v)
                )));
            };
            let item = t.list_member().expect("list shape has a member");
            slot.ensure_present();
            for x in items {
                // A null element keeps its place (botocore's `None`): it stays the default value.
                let el = slot
                    .push()
                    .ok_or_else(|| Error::response(format!(" {} is not a list", t.name)))?;
                if !x.is_null() {
                    read_value(x, item, el, depth + 1)?;
                }
            }
            Ok(())
        }
        Kind::Map => {
            let Json::Object(entries) = v else {
                return Err(Error::response(format!(
                    " expected an object, found {}",
                    json_kind(v)
                )));
            };
            let (_, vm) = t.map_members().expect("map shape has key and value");
            slot.ensure_present();
            for (k, x) in entries {
                // A null value keeps its key (botocore's `None`), with the default value.
                let el = slot
                    .insert(k.clone())
                    .ok_or_else(|| Error::response(format!(" {} is not a map", t.name)))?;
                if !x.is_null() {
                    read_value(x, vm, el, depth + 1)?;
                }
            }
            Ok(())
        }
        Kind::Document => slot
            .set_document(to_document(v))
            .map_err(|e| Error::response(format!(" {}", e.0))),
        _ => {
            let s = scalar(v, t, m.timestamp_format())?;
            slot.set(s)
                .map_err(|e| Error::response(format!(" {}", e.0)))
        }
    }
}

/// A JSON value as a scalar of `shape`'s kind.
pub fn scalar(v: &Json, shape: &Shape, ts: TimestampFormat) -> Result<Scalar> {
    let bad = || {
        Error::response(format!(
            " expected {} for {}, found {}",
            kind_name(shape.kind),
            shape.name,
            json_kind(v)
        ))
    };
    Ok(match (shape.kind, v) {
        (Kind::String, Json::String(s)) => Scalar::Str(s.clone()),
        (Kind::Boolean, Json::Bool(b)) => Scalar::Bool(*b),
        (k, Json::Number(n)) if k.is_integer() => match n.as_i64() {
            Some(i) => Scalar::Int(i),
            // A whole number written with a fraction (`3.0`), which botocore's `int()` takes.
            None if n
                .as_f64()
                .is_some_and(|f| f.fract() == 0.0 && f.abs() < 9.0e15) =>
            {
                Scalar::Int(n.as_f64().unwrap_or_default() as i64)
            }
            None => {
                return Err(Error::response(format!(
                    " {n} is not an integer for {}",
                    shape.name
                )))
            }
        },
        // Numbers and booleans written as strings, as botocore's rest-json parser reads them
        // (`int(value)`, `ensure_boolean`): a string that is neither is still an error.
        (k, Json::String(s)) if k.is_integer() => Scalar::Int(s.trim().parse().map_err(|_| {
            Error::response(format!(
                " expected an integer for {}, found {s:?}",
                shape.name
            ))
        })?),
        (Kind::Boolean, Json::String(s)) if s.eq_ignore_ascii_case("true") => Scalar::Bool(true),
        (Kind::Boolean, Json::String(s)) if s.eq_ignore_ascii_case("false") => Scalar::Bool(false),
        (Kind::Float | Kind::Double, Json::Number(n)) => Scalar::Float(n.as_f64().ok_or_else(bad)?),
        (Kind::Float | Kind::Double, Json::String(s)) => Scalar::Float(
            parse_float(s).ok_or_else(|| Error::response(format!(" invalid number {s:?}")))?,
        ),
        (Kind::Timestamp, Json::Number(n)) => {
            Scalar::Timestamp(DateTime::from_fractional_secs(n.as_f64().ok_or_else(bad)?))
        }
        (Kind::Timestamp, Json::String(s)) => {
            return parse_scalar(shape, ts, s);
        }
        (Kind::Blob, Json::String(s)) => Scalar::Blob(
            base64::engine::general_purpose::STANDARD
                .decode(s)
                .map_err(|_| Error::response(format!(" invalid base64 data for {}", shape.name)))?,
        ),
        _ => return Err(bad()),
    })
}

fn kind_name(k: Kind) -> &'static str {
    match k {
        Kind::String => "a string",
        Kind::Boolean => "a boolean",
        Kind::Timestamp => "a timestamp",
        Kind::Blob => "base64 text",
        _ => "a number",
    }
}

/// A JSON value as a [`Document`].
pub fn to_document(v: &Json) -> Document {
    match v {
        Json::Null => Document::Null,
        Json::Bool(b) => Document::Bool(*b),
        Json::Number(n) => match n.as_i64() {
            Some(i) => Document::Int(i),
            None => Document::Float(n.as_f64().unwrap_or(f64::NAN)),
        },
        Json::String(s) => Document::String(s.clone()),
        Json::Array(a) => Document::Array(a.iter().map(to_document).collect()),
        Json::Object(o) => {
            Document::Object(o.iter().map(|(k, v)| (k.clone(), to_document(v))).collect())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_and_booleans_written_as_strings_are_read() {
        use crate::schema::prim;
        let ts = TimestampFormat::UnixTimestamp;
        let read = |v: Json, shape| scalar(&v, shape, ts);
        assert_eq!(
            read(Json::from("3"), &prim::INTEGER).unwrap(),
            Scalar::Int(3)
        );
        assert_eq!(
            read(Json::from("-12"), &prim::LONG).unwrap(),
            Scalar::Int(-12)
        );
        assert_eq!(
            read(Json::from("TRUE"), &prim::BOOLEAN).unwrap(),
            Scalar::Bool(true)
        );
        assert_eq!(
            read(Json::from("false"), &prim::BOOLEAN).unwrap(),
            Scalar::Bool(false)
        );
        assert_eq!(
            read(serde_json::json!(3.0), &prim::INTEGER).unwrap(),
            Scalar::Int(3)
        );
        assert!(read(serde_json::json!(3.5), &prim::INTEGER).is_err());
        let e = read(Json::from("3.5"), &prim::INTEGER).unwrap_err();
        assert!(e.to_string().contains("expected an integer"), "{e}");
        assert!(read(Json::from("yes"), &prim::BOOLEAN).is_err());
    }

    #[test]
    fn strings_are_escaped() {
        let mut s = String::new();
        write_str(&mut s, "a\"b\\c\n\u{1}é");
        assert_eq!(s, r#""a\"b\\c\n\u0001é""#);
        assert_eq!(
            serde_json::from_str::<String>(&s).unwrap(),
            "a\"b\\c\n\u{1}é"
        );
    }

    #[test]
    fn floats() {
        let mut s = String::new();
        write_float(&mut s, 1.5);
        s.push(' ');
        write_float(&mut s, f64::NAN);
        assert_eq!(s, "1.5 \"NaN\"");
    }
}
