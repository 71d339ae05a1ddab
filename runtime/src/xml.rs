//! XML responses: parsing a body and filling generated structures from it, driven by their schemas.

use crate::error::{Error, Result};
use crate::schema::{Kind, Member, Shape, TimestampFormat};
use crate::time::DateTime;
use crate::value::{Scalar, Structure, Value};
use base64::Engine;
use roxmltree::{Document, Node, ParsingOptions};

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

/// Parses an XML body, with an error that quotes the start of the body.
pub fn parse(body: &[u8]) -> Result<Document<'_>> {
    let text = std::str::from_utf8(body).map_err(|e| {
        Error::response(format!(
            "response body is not UTF-8 ({e}): {}",
            snippet(body)
        ))
    })?;
    let opts = ParsingOptions {
        allow_dtd: false,
        ..ParsingOptions::default()
    };
    Document::parse_with_options(text, opts)
        .map_err(|e| Error::response(format!("invalid XML in response ({e}): {}", snippet(body))))
}

/// The first child element named `name`.
pub fn child<'a, 'i>(node: Node<'a, 'i>, name: &str) -> Option<Node<'a, 'i>> {
    node.children()
        .find(|c| c.is_element() && c.tag_name().name() == name)
}

/// The text of the first child element named `name`.
pub fn child_text<'a>(node: Node<'a, '_>, name: &str) -> Option<&'a str> {
    child(node, name).map(|c| c.text().unwrap_or(""))
}

/// The XML element name a member is read from: a flattened list's member name, else `locationName`, else the member name.
pub fn member_element_name(m: &Member) -> &'static str {
    if m.target.kind == Kind::List && m.flattened() {
        if let Some(item) = m.target.list_member().and_then(|lm| lm.location_name) {
            return item;
        }
    }
    m.wire_name()
}

/// Fills `out` from the children of `node`, the way botocore's XML parsers do.
pub fn read_struct(node: Node, out: &mut dyn Structure) -> Result<()> {
    let shape = out.shape();
    let mut hint = 0usize;
    for c in node.children() {
        if !c.is_element() {
            continue;
        }
        let name = c.tag_name().name();
        // Elements usually arrive in member order, so the search starts after the last match.
        let n = shape.members.len();
        let found = (0..n).map(|k| (hint + k) % n).find(|&i| {
            let m = &shape.members[i];
            m.location == crate::schema::Location::Body
                && !m.has(crate::schema::flags::XML_ATTRIBUTE)
                && member_element_name(m) == name
        });
        let Some(i) = found else { continue };
        hint = i;
        let m = &shape.members[i];
        let slot = out.field_mut(i);
        if m.target.kind == Kind::List && m.flattened() {
            let item = m.target.list_member().expect("list shape has a member");
            let el = slot.push().ok_or_else(|| type_error(shape, m, "a list"))?;
            read_value(c, item, el).map_err(|e| context(e, m))?;
        } else if m.target.kind == Kind::Map && m.flattened() {
            read_map_entry(c, m, slot).map_err(|e| context(e, m))?;
        } else {
            read_value(c, m, slot).map_err(|e| context(e, m))?;
        }
    }
    for (i, m) in shape.members.iter().enumerate() {
        if m.has(crate::schema::flags::XML_ATTRIBUTE) {
            let name = m.wire_name();
            let local = name.rsplit(':').next().unwrap_or(name);
            if let Some(a) = node.attributes().find(|a| a.name() == local) {
                set_scalar(out.field_mut(i), m, a.value()).map_err(|e| context(e, m))?;
            }
        }
    }
    Ok(())
}

fn context(e: Error, m: &Member) -> Error {
    let msg = e.message().unwrap_or("").to_string();
    if let Some(rest) = msg.strip_prefix("in ") {
        Error::response(format!("in {}.{rest}", m.name))
    } else {
        Error::response(format!("in {}: {msg}", m.name))
    }
}

fn type_error(shape: &Shape, m: &Member, what: &str) -> Error {
    Error::response(format!("{}.{} is not {what}", shape.name, m.name))
}

/// Fills `slot` (of member `m`'s type) from element `node`.
pub fn read_value(node: Node, m: &Member, slot: &mut dyn Value) -> Result<()> {
    let t = m.target;
    match t.kind {
        Kind::Structure | Kind::Union => {
            let s = slot
                .as_struct_mut()
                .ok_or_else(|| Error::response(format!(" {} is not a structure", t.name)))?;
            read_struct(node, s)
        }
        Kind::List => {
            let item = t.list_member().expect("list shape has a member");
            // An empty element still means an empty list, not an absent one.
            slot.ensure_present();
            for c in node.children().filter(|c| c.is_element()) {
                let el = slot
                    .push()
                    .ok_or_else(|| Error::response(format!(" {} is not a list", t.name)))?;
                read_value(c, item, el)?;
            }
            Ok(())
        }
        Kind::Map => {
            for entry in node.children().filter(|c| c.is_element()) {
                read_map_entry(entry, m, slot)?;
            }
            // A present but empty map element still yields an empty map.
            slot.ensure_present();
            Ok(())
        }
        _ => set_scalar(slot, m, node.text().unwrap_or("")),
    }
}

fn read_map_entry(entry: Node, m: &Member, slot: &mut dyn Value) -> Result<()> {
    let (km, vm) = m.target.map_members().expect("map shape has key and value");
    let kname = km.location_name.unwrap_or("key");
    let vname = vm.location_name.unwrap_or("value");
    let key = child_text(entry, kname)
        .ok_or_else(|| Error::response(format!(" map entry without <{kname}>")))?
        .to_string();
    let v = slot
        .insert(key)
        .ok_or_else(|| Error::response(format!(" {} is not a map", m.target.name)))?;
    if let Some(vn) = child(entry, vname) {
        read_value(vn, vm, v)?;
    }
    Ok(())
}

/// Parses element text as the member's scalar kind and stores it.
pub fn set_scalar(slot: &mut dyn Value, m: &Member, text: &str) -> Result<()> {
    let v = parse_scalar(m.target, m.timestamp_format(), text)?;
    slot.set(v)
        .map_err(|e| Error::response(format!(" {}", e.0)))
}

/// Parses text as a scalar of `shape`'s kind (XML and query conventions).
pub fn parse_scalar(shape: &Shape, ts: TimestampFormat, text: &str) -> Result<Scalar> {
    let bad = |what: &str| Error::response(format!(" invalid {what} {:?}", truncate(text)));
    Ok(match shape.kind {
        Kind::String => Scalar::Str(text.to_string()),
        Kind::Boolean => match text.trim() {
            "true" => Scalar::Bool(true),
            "false" => Scalar::Bool(false),
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
        Kind::Blob => Scalar::Blob(
            base64::engine::general_purpose::STANDARD
                .decode(text.trim())
                .map_err(|_| bad("base64 data"))?,
        ),
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
