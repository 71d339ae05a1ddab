//! Checks an input before anything is sent: required members are present, named by their path.

use crate::error::{Error, Result};
use crate::schema::flags;
use crate::value::{Structure, ValueRef};

/// Fails with the path of the first missing required member (`Filters[0].Name`).
pub fn validate(input: &dyn Structure) -> Result<()> {
    let mut missing = Vec::new();
    walk_struct(input, "", &mut missing);
    if missing.is_empty() {
        Ok(())
    } else {
        Err(Error::validation(format!(
            "missing required parameter{} in input: {}",
            if missing.len() > 1 { "s" } else { "" },
            missing.join(", ")
        )))
    }
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

fn walk_struct(s: &dyn Structure, path: &str, missing: &mut Vec<String>) {
    let shape = s.shape();
    for (i, m) in shape.members.iter().enumerate() {
        let p = if path.is_empty() {
            m.name.to_string()
        } else {
            format!("{path}.{}", m.name)
        };
        let v = s.field(i).get();
        if matches!(v, ValueRef::Null) {
            if m.has(flags::REQUIRED) && shape.kind != crate::schema::Kind::Union {
                missing.push(format!("\"{p}\""));
            }
            continue;
        }
        walk_value(v, &p, missing);
    }
}

fn walk_value(v: ValueRef, path: &str, missing: &mut Vec<String>) {
    match v {
        ValueRef::Struct(s) => walk_struct(s, path, missing),
        ValueRef::List(l) => {
            for i in 0..l.len() {
                walk_value(l.get(i).get(), &format!("{path}[{i}]"), missing);
            }
        }
        ValueRef::Map(m) => {
            for (k, v) in m.entries() {
                walk_value(v.get(), &format!("{path}.{k}"), missing);
            }
        }
        _ => {}
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
