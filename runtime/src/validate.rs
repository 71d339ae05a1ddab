//! Checks an input before anything is sent: required members are present, named by their path.

use crate::error::{Error, Result};
use crate::schema::flags;
use crate::value::{Structure, ValueRef};
use crate::wire::text::format_uuid;

/// Checks an input as botocore's `ParamValidator` does: required members present (named by
/// their path, `Filters[0].Name`), unions with exactly one member set, and the model's `min`: a
/// length for strings and lists, a value for numbers (host-label members must not be empty).
pub fn validate(input: &dyn Structure) -> Result<()> {
    let mut r = Reports::default();
    walk_struct(input, "", &mut r);
    let mut lines = Vec::new();
    if !r.missing.is_empty() {
        lines.push(format!(
            "missing required parameter{} in input: {}",
            if r.missing.len() > 1 { "s" } else { "" },
            r.missing.join(", ")
        ));
    }
    lines.extend(r.other);
    if lines.is_empty() {
        Ok(())
    } else {
        Err(Error::validation(lines.join("; ")))
    }
}

#[derive(Default)]
struct Reports {
    missing: Vec<String>,
    other: Vec<String>,
}

/// Sets every unset top-level idempotency-token member to a fresh UUID v4, as botocore does; the
/// input keeps it, so every retry sends the same token.
pub fn fill_idempotency_tokens(input: &mut dyn Structure) -> Result<()> {
    let shape = input.shape();
    for (i, m) in shape.members.iter().enumerate() {
        if m.has(flags::IDEMPOTENCY_TOKEN) && matches!(input.field(i).get(), ValueRef::Null) {
            input
                .field_mut(i)
                .set(crate::value::Scalar::Str(uuid_v4()?))
                .map_err(|e| {
                    Error::validation(format!(
                        "cannot fill the idempotency token {}: {}",
                        m.name, e.0
                    ))
                })?;
        }
    }
    Ok(())
}

/// A random (version 4) UUID from the operating system's random source.
pub fn uuid_v4() -> Result<String> {
    let mut b = [0u8; 16];
    getrandom::getrandom(&mut b)
        .map_err(|e| Error::config(format!("no random numbers for an idempotency token: {e}")))?;
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    Ok(format_uuid(&b))
}

fn walk_struct(s: &dyn Structure, path: &str, r: &mut Reports) {
    let shape = s.shape();
    let union = shape.kind == crate::schema::Kind::Union;
    let mut set = 0;
    for (i, m) in shape.members.iter().enumerate() {
        let p = if path.is_empty() {
            m.name.to_string()
        } else {
            format!("{path}.{}", m.name)
        };
        let v = s.field(i).get();
        if matches!(v, ValueRef::Null) {
            // An input event stream is sent by the client, not checked as a value.
            let events = m.target.has(flags::EVENTSTREAM);
            if m.has(flags::REQUIRED) && !union && !events {
                r.missing.push(format!("\"{p}\""));
            }
            continue;
        }
        set += 1;
        walk_value(v, m, &p, r);
    }
    if union && set > 1 {
        let name = if path.is_empty() { shape.name } else { path };
        r.other.push(format!(
            "invalid number of parameters set for tagged union structure {name}: can only set one of the members, {set} are set"
        ));
    }
}

fn walk_value(v: ValueRef, m: &crate::schema::Member, path: &str, r: &mut Reports) {
    check_min(&v, m, path, r);
    match v {
        ValueRef::Struct(s) => walk_struct(s, path, r),
        ValueRef::List(l) => {
            if let Some(item) = m.target.list_member() {
                for i in 0..l.len() {
                    walk_value(l.get(i).get(), item, &format!("{path}[{i}]"), r);
                }
            }
        }
        ValueRef::Map(map) => {
            if let Some((_, value)) = m.target.map_members() {
                for (k, v) in map.entries() {
                    walk_value(v.get(), value, &format!("{path}.{k}"), r);
                }
            }
        }
        _ => {}
    }
}

/// botocore's `range_check`: the target's `min`, or 1 for a host-label string.
fn check_min(v: &ValueRef, m: &crate::schema::Member, path: &str, r: &mut Reports) {
    let min = match m.target.min {
        Some(min) => min,
        None if m.has(flags::HOST_LABEL) => 1.0,
        None => return,
    };
    let (what, n) = match v {
        ValueRef::Str(s) => ("length", s.chars().count() as f64),
        ValueRef::List(l) => ("length", l.len() as f64),
        ValueRef::Int(i) => ("range", *i as f64),
        ValueRef::Float(x) => ("range", *x),
        _ => return,
    };
    if n < min {
        let kind = if what == "length" { "length" } else { "value" };
        r.other.push(format!(
            "invalid {what} for parameter {path}, value: {n}, valid min {kind}: {min}"
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uuids_are_version_4_and_distinct() {
        let a = uuid_v4().unwrap();
        let b = uuid_v4().unwrap();
        assert_ne!(a, b);
        assert_eq!(a.len(), 36);
        assert_eq!(&a[14..15], "4");
        assert!(matches!(&a[19..20], "8" | "9" | "a" | "b"), "{a}");
        assert!(a.chars().all(|c| c == '-' || c.is_ascii_hexdigit()));
    }
}
