//! CBOR bodies (the `smithy-rpc-v2-cbor` protocol), encoded and decoded with `minicbor`'s
//! low-level encoder and decoder.
//!
//! Writing walks a structure's schema, as the JSON writer does: structures are maps keyed by
//! member names, blobs are byte strings, timestamps are tag 1 over epoch seconds, floats keep
//! their width. Reading decodes the body straight into the JSON tree the JSON reader's schema walk
//! takes (see [`decode`]), so both protocols share one reading of structures, unions, lists, maps
//! and documents.

use crate::document::Document;
use crate::error::{Error, Result};
use crate::schema::{Kind, Member};
use crate::value::{Structure, ValueRef};
use base64::Engine;
use minicbor::data::{Tag, Type};
use minicbor::{Decoder, Encoder};
use serde_json::Value as Json;

/// How deeply values may nest, in requests and responses alike.
const MAX_DEPTH: usize = 100;

fn enc_error<E: std::fmt::Display>(e: E) -> Error {
    Error::validation(format!(": cannot encode CBOR: {e}"))
}

fn dec_error(e: minicbor::decode::Error) -> Error {
    Error::response(format!(" response body is not valid CBOR: {e}"))
}

/// Writes `s` as a CBOR map of its members (unset members left out).
pub fn write_struct(out: &mut Vec<u8>, s: &dyn Structure) -> Result<()> {
    let mut e = Encoder::new(out);
    write_struct_at(&mut e, s, 0)
}

fn write_struct_at(e: &mut Encoder<&mut Vec<u8>>, s: &dyn Structure, depth: usize) -> Result<()> {
    if depth > MAX_DEPTH {
        return Err(Error::validation(format!(
            "{}: values nested deeper than {MAX_DEPTH} levels",
            s.shape().name
        )));
    }
    let members = s.shape().members;
    let set: Vec<usize> = (0..members.len())
        .filter(|&i| !matches!(s.field(i).get(), ValueRef::Null))
        .collect();
    e.map(set.len() as u64).map_err(enc_error)?;
    for i in set {
        let m = &members[i];
        e.str(m.wire_name()).map_err(enc_error)?;
        write_value(e, m, s.field(i).get(), depth + 1).map_err(|err| {
            let msg = err.message().unwrap_or("").to_string();
            Error::new(err.kind(), format!("{}.{msg}", m.name).replace(".: ", ": "))
        })?;
    }
    Ok(())
}

fn write_value(e: &mut Encoder<&mut Vec<u8>>, m: &Member, v: ValueRef, depth: usize) -> Result<()> {
    match v {
        ValueRef::Null => {
            e.null().map_err(enc_error)?;
        }
        ValueRef::Bool(b) => {
            e.bool(b).map_err(enc_error)?;
        }
        ValueRef::Int(i) => {
            e.i64(i).map_err(enc_error)?;
        }
        ValueRef::Float(f) if m.target.kind == Kind::Float => {
            e.f32(f as f32).map_err(enc_error)?;
        }
        ValueRef::Float(f) => {
            e.f64(f).map_err(enc_error)?;
        }
        ValueRef::Str(s) => {
            e.str(s).map_err(enc_error)?;
        }
        ValueRef::Timestamp(t) => {
            e.tag(Tag::new(1)).map_err(enc_error)?;
            if t.subsec_nanos() == 0 {
                e.i64(t.secs()).map_err(enc_error)?;
            } else {
                e.f64(t.as_fractional_secs()).map_err(enc_error)?;
            }
        }
        ValueRef::Blob(b) => {
            e.bytes(b).map_err(enc_error)?;
        }
        ValueRef::Stream(s) => match s.as_bytes() {
            Some(b) => {
                e.bytes(b).map_err(enc_error)?;
            }
            None => {
                return Err(Error::validation(
                    ": a streaming body can only be sent as the request payload",
                ))
            }
        },
        ValueRef::Document(d) => write_document(e, d, depth)?,
        ValueRef::Struct(s) => write_struct_at(e, s, depth)?,
        ValueRef::List(l) => {
            let item = m.target.list_member().expect("list shape has a member");
            e.array(l.len() as u64).map_err(enc_error)?;
            for i in 0..l.len() {
                write_value(e, item, l.get(i).get(), depth + 1)?;
            }
        }
        ValueRef::Map(map) => {
            let (_, vm) = m.target.map_members().expect("map shape has key and value");
            let entries = map.entries();
            e.map(entries.len() as u64).map_err(enc_error)?;
            for (k, v) in entries {
                e.str(k).map_err(enc_error)?;
                write_value(e, vm, v.get(), depth + 1)?;
            }
        }
    }
    Ok(())
}

fn write_document(e: &mut Encoder<&mut Vec<u8>>, d: &Document, depth: usize) -> Result<()> {
    if depth > MAX_DEPTH {
        return Err(Error::validation(format!(
            ": a document nested deeper than {MAX_DEPTH} levels"
        )));
    }
    match d {
        Document::Null => {
            e.null().map_err(enc_error)?;
        }
        Document::Bool(b) => {
            e.bool(*b).map_err(enc_error)?;
        }
        Document::Int(i) => {
            e.i64(*i).map_err(enc_error)?;
        }
        Document::Float(f) => {
            e.f64(*f).map_err(enc_error)?;
        }
        Document::String(s) => {
            e.str(s).map_err(enc_error)?;
        }
        Document::Array(a) => {
            e.array(a.len() as u64).map_err(enc_error)?;
            for v in a {
                write_document(e, v, depth + 1)?;
            }
        }
        Document::Object(o) => {
            e.map(o.len() as u64).map_err(enc_error)?;
            for (k, v) in o {
                e.str(k).map_err(enc_error)?;
                write_document(e, v, depth + 1)?;
            }
        }
    }
    Ok(())
}

/// Decodes one CBOR data item filling all of `body`, in the JSON form the schema readers take:
/// byte strings become base64 text (as JSON carries blobs), a timestamp tag its number of seconds
/// (any other tag its content), floats that JSON cannot hold the strings `NaN`, `Infinity` and
/// `-Infinity` (as JSON protocols send them), `undefined` null. Map keys must be text.
pub fn decode(body: &[u8]) -> Result<Json> {
    let mut d = Decoder::new(body);
    let v = read_item(&mut d, 0)?;
    if d.position() != body.len() {
        return Err(Error::response(format!(
            " response body has {} bytes after its CBOR value",
            body.len() - d.position()
        )));
    }
    Ok(v)
}

/// Decodes `body` ([`decode`]); an empty body is an empty map.
pub fn parse_body(body: &[u8]) -> Result<Json> {
    if body.is_empty() {
        return Ok(Json::Object(Default::default()));
    }
    decode(body)
}

fn float(f: f64) -> Json {
    if f.is_nan() {
        Json::from("NaN")
    } else if f.is_infinite() {
        Json::from(if f > 0.0 { "Infinity" } else { "-Infinity" })
    } else {
        serde_json::Number::from_f64(f)
            .map(Json::Number)
            .unwrap_or(Json::Null)
    }
}

fn int(i: i128) -> Json {
    match (i64::try_from(i), u64::try_from(i)) {
        (Ok(i), _) => Json::from(i),
        (_, Ok(u)) => Json::from(u),
        _ => float(i as f64),
    }
}

fn read_item(d: &mut Decoder, depth: usize) -> Result<Json> {
    if depth > MAX_DEPTH {
        return Err(Error::response(format!(
            " CBOR values nested deeper than {MAX_DEPTH} levels"
        )));
    }
    let t = d.datatype().map_err(dec_error)?;
    Ok(match t {
        Type::Bool => Json::Bool(d.bool().map_err(dec_error)?),
        Type::Null => {
            d.null().map_err(dec_error)?;
            Json::Null
        }
        Type::Undefined => {
            d.undefined().map_err(dec_error)?;
            Json::Null
        }
        Type::U8 | Type::U16 | Type::U32 | Type::U64 => Json::from(d.u64().map_err(dec_error)?),
        Type::I8 | Type::I16 | Type::I32 | Type::I64 | Type::Int => {
            int(i128::from(d.int().map_err(dec_error)?))
        }
        Type::F16 => {
            // The two bytes after the initial byte (0xf9); `datatype` saw them there.
            let p = d.position();
            let bits = match d.input().get(p + 1..p + 3) {
                Some(b) => u16::from_be_bytes([b[0], b[1]]),
                None => return Err(Error::response(" a half float cut short")),
            };
            d.set_position(p + 3);
            float(half_to_f64(bits))
        }
        Type::F32 => float(f64::from(d.f32().map_err(dec_error)?)),
        Type::F64 => float(d.f64().map_err(dec_error)?),
        Type::Bytes => Json::String(
            base64::engine::general_purpose::STANDARD.encode(d.bytes().map_err(dec_error)?),
        ),
        Type::BytesIndef => {
            let mut out = Vec::new();
            for chunk in d.bytes_iter().map_err(dec_error)? {
                out.extend_from_slice(chunk.map_err(dec_error)?);
            }
            Json::String(base64::engine::general_purpose::STANDARD.encode(out))
        }
        Type::String => Json::String(d.str().map_err(dec_error)?.to_string()),
        Type::StringIndef => {
            let mut out = String::new();
            for chunk in d.str_iter().map_err(dec_error)? {
                out.push_str(chunk.map_err(dec_error)?);
            }
            Json::String(out)
        }
        Type::Array | Type::ArrayIndef => {
            let len = d.array().map_err(dec_error)?;
            let mut items = Vec::with_capacity(len.unwrap_or(0).min(1024) as usize);
            each(d, len, |d| {
                items.push(read_item(d, depth + 1)?);
                Ok(())
            })?;
            Json::Array(items)
        }
        Type::Map | Type::MapIndef => {
            let len = d.map().map_err(dec_error)?;
            let mut entries = serde_json::Map::new();
            each(d, len, |d| {
                let key = match d.datatype().map_err(dec_error)? {
                    Type::String | Type::StringIndef => match read_item(d, depth + 1)? {
                        Json::String(k) => k,
                        _ => unreachable!("text decodes to a string"),
                    },
                    other => {
                        return Err(Error::response(format!(
                            " a CBOR map key is not text but {other}"
                        )))
                    }
                };
                let value = read_item(d, depth + 1)?;
                entries.insert(key, value);
                Ok(())
            })?;
            Json::Object(entries)
        }
        Type::Tag => {
            d.tag().map_err(dec_error)?;
            read_item(d, depth + 1)?
        }
        Type::Simple => {
            let v = d.simple().map_err(dec_error)?;
            return Err(Error::response(format!(
                " unexpected CBOR simple value {v}"
            )));
        }
        Type::Break => return Err(Error::response(" unexpected CBOR break")),
        Type::Unknown(b) => {
            return Err(Error::response(format!(
                " invalid CBOR initial byte 0x{b:02x}"
            )))
        }
    })
}

/// Calls `item` for each of `len` items, or until the break of an indefinite-length item.
fn each(
    d: &mut Decoder,
    len: Option<u64>,
    mut item: impl FnMut(&mut Decoder) -> Result<()>,
) -> Result<()> {
    match len {
        Some(n) => {
            for _ in 0..n {
                item(d)?;
            }
        }
        None => loop {
            if d.datatype().map_err(dec_error)? == Type::Break {
                d.skip().map_err(dec_error)?;
                break;
            }
            item(d)?;
        },
    }
    Ok(())
}

/// An IEEE 754 half-precision float.
fn half_to_f64(bits: u16) -> f64 {
    let sign = if bits & 0x8000 != 0 { -1.0 } else { 1.0 };
    let exp = (bits >> 10) & 0x1f;
    let frac = f64::from(bits & 0x3ff);
    sign * match exp {
        0 => frac * 2f64.powi(-24),
        0x1f if frac == 0.0 => f64::INFINITY,
        0x1f => f64::NAN,
        e => (1.0 + frac / 1024.0) * 2f64.powi(i32::from(e) - 15),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn items_of_every_kind_decode() {
        // {"a": [1, -2, 1.5, h'0102', "x", true, null], "t": 1(1700000000)}.
        let body = [
            0xa2, 0x61, b'a', 0x87, 0x01, 0x21, 0xfb, 0x3f, 0xf8, 0, 0, 0, 0, 0, 0, 0x42, 0x01,
            0x02, 0x61, b'x', 0xf5, 0xf6, 0x61, b't', 0xc1, 0x1a, 0x65, 0x53, 0xf1, 0x00,
        ];
        assert_eq!(
            decode(&body).unwrap(),
            json!({"a": [1, -2, 1.5, "AQI=", "x", true, null], "t": 1_700_000_000})
        );
        // Half floats, indefinite text, arrays and maps, big unsigned and negative integers.
        assert_eq!(decode(&[0xf9, 0x3c, 0x00]).unwrap(), json!(1.0));
        assert_eq!(decode(&[0xf9, 0xc0, 0x00]).unwrap(), json!(-2.0));
        assert_eq!(decode(&[0xf9, 0x7c, 0x00]).unwrap(), json!("Infinity"));
        assert_eq!(decode(&[0xf9, 0x00, 0x01]).unwrap(), json!(2f64.powi(-24)));
        assert_eq!(decode(&[0xf9, 0x7e, 0x00]).unwrap(), json!("NaN"));
        assert!(decode(&[0xf9, 0x3c]).is_err());
        assert_eq!(
            decode(&[0x7f, 0x61, b'a', 0x62, b'b', b'c', 0xff]).unwrap(),
            json!("abc")
        );
        assert_eq!(decode(&[0x9f, 0x01, 0x02, 0xff]).unwrap(), json!([1, 2]));
        assert_eq!(
            decode(&[0xbf, 0x61, b'k', 0x01, 0xff]).unwrap(),
            json!({"k": 1})
        );
        assert_eq!(
            decode(&[0x1b, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff]).unwrap(),
            json!(u64::MAX)
        );
        assert_eq!(decode(&[0x38, 0x63]).unwrap(), json!(-100));
    }

    #[test]
    fn damaged_bodies_are_errors() {
        for bad in [
            &[0xa1][..],                   // a map without its entry
            &[0x62, b'a'][..],             // a text string cut short
            &[0x1c][..],                   // a reserved additional value
            &[0xa1, 0x01, 0x02][..],       // a key that is not text
            &[0xa1, 0x41, b'k', 0x02][..], // a key that is bytes
            &[0x01, 0x02][..],             // trailing bytes
            &[0xff][..],                   // a break outside an indefinite item
            &[0x9f, 0x01][..],             // an indefinite array without its break
        ] {
            assert!(decode(bad).is_err(), "{bad:02x?}");
        }
        // Deep nesting is refused, not a stack overflow.
        let deep = vec![0x81u8; 10_000];
        assert!(decode(&deep).is_err());
    }
}
