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
