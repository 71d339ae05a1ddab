//! IAM's rule beyond its model: policy documents arrive URL-encoded, and botocore decodes them.

use crate::schema::{flags, Kind};
use crate::value::{Scalar, Structure, ValueMut, ValueRef};
use crate::wire::percent::url_decode;

/// Decodes the policy documents of a parsed output.
pub fn after_parse(out: &mut dyn Structure) {
    decode_policy_documents(out, 0);
}

/// URL-decodes every policy document string in `s`, at any depth.
fn decode_policy_documents(s: &mut dyn Structure, depth: usize) {
    if depth > 16 {
        return;
    }
    let shape = s.shape();
    for (i, m) in shape.members.iter().enumerate() {
        if matches!(s.field(i).get(), ValueRef::Null) {
            continue;
        }
        if m.target.kind == Kind::String && m.has(flags::JSON_DOCUMENT) {
            if let ValueRef::Str(v) = s.field(i).get() {
                // As botocore: decoded when that gives JSON, kept as sent otherwise.
                let d = url_decode(v);
                if d != v && serde_json::from_str::<serde_json::Value>(&d).is_ok() {
                    let _ = s.field_mut(i).set(Scalar::Str(d));
                }
            }
            continue;
        }
        let mut v = s.field_mut(i);
        loop {
            match v.get_mut() {
                ValueMut::Option(o) => v = o.present(),
                ValueMut::Struct(inner) => {
                    decode_policy_documents(inner, depth + 1);
                    break;
                }
                ValueMut::List(l) => {
                    let mut j = 0;
                    while let Some(el) = l.element_mut(j) {
                        if let Some(inner) = el.as_struct_mut() {
                            decode_policy_documents(inner, depth + 1);
                        }
                        j += 1;
                    }
                    break;
                }
                _ => break,
            }
        }
    }
}
