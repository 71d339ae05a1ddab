//! Changes botocore makes to a service model at load time, outside the model files (its
//! `handlers.py`), applied to the model's JSON before it is parsed.

use serde_json::{json, Value};
use std::borrow::Cow;

/// The member botocore adds beside s3's `Expires` output header, holding the header's text.
const EXPIRES_STRING: &str = "ExpiresString";

/// The service model text with botocore's load-time changes for `crate_name` applied.
pub fn service_model<'a>(crate_name: &str, text: &'a str) -> Result<Cow<'a, str>, String> {
    if crate_name != "s3" {
        return Ok(Cow::Borrowed(text));
    }
    let mut doc: Value = serde_json::from_str(text).map_err(|e| e.to_string())?;
    expires_string(&mut doc);
    Ok(Cow::Owned(doc.to_string()))
}

/// botocore's `handle_expires_header`: an output with an `Expires` header member (a timestamp
/// once `service-2.sdk-extras.json` is merged) also gets `ExpiresString`, the header as sent, so
/// a value that is not a date is kept (the runtime then leaves `Expires` unset instead of failing).
fn expires_string(doc: &mut Value) {
    let Some(shapes) = doc.get_mut("shapes").and_then(Value::as_object_mut) else {
        return;
    };
    let outputs: Vec<String> = shapes
        .iter()
        .filter(|(_, s)| {
            s.pointer("/members/Expires/locationName") == Some(&json!("Expires"))
                && s.pointer("/members/Expires/location") == Some(&json!("header"))
                && s.pointer(&format!("/members/{EXPIRES_STRING}")).is_none()
        })
        .map(|(name, _)| name.clone())
        .collect();
    let outputs: Vec<String> = outputs
        .into_iter()
        .filter(|name| is_output(doc, name))
        .collect();
    if outputs.is_empty() {
        return;
    }
    let shapes = doc["shapes"].as_object_mut().expect("checked above");
    shapes
        .entry(EXPIRES_STRING)
        .or_insert_with(|| json!({ "type": "string" }));
    for name in outputs {
        shapes[&name]["members"][EXPIRES_STRING] = json!({
            "shape": EXPIRES_STRING,
            "location": "header",
            "locationName": "Expires",
            "documentation": "<p>The <code>Expires</code> header as the service sent it; \
                <code>Expires</code> is left unset when this is not a date.</p>",
        });
    }
}

/// True when some operation's output is the shape `name`.
fn is_output(doc: &Value, name: &str) -> bool {
    doc.get("operations")
        .and_then(Value::as_object)
        .is_some_and(|ops| {
            ops.values()
                .any(|op| op.pointer("/output/shape").and_then(Value::as_str) == Some(name))
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn model() -> String {
        json!({
            "operations": {
                "Get": {"output": {"shape": "GetOutput"}, "input": {"shape": "PutInput"}},
            },
            "shapes": {
                "GetOutput": {"type": "structure", "members": {
                    "Expires": {"shape": "Expires", "location": "header", "locationName": "Expires"}
                }},
                "PutInput": {"type": "structure", "members": {
                    "Expires": {"shape": "Expires", "location": "header", "locationName": "Expires"}
                }},
                "Expires": {"type": "timestamp"}
            }
        })
        .to_string()
    }

    #[test]
    fn s3_outputs_with_expires_get_expires_string() {
        let text = model();
        let out: Value = serde_json::from_str(&service_model("s3", &text).unwrap()).unwrap();
        assert_eq!(
            out.pointer("/shapes/GetOutput/members/ExpiresString/locationName"),
            Some(&json!("Expires"))
        );
        assert_eq!(
            out.pointer("/shapes/ExpiresString/type"),
            Some(&json!("string"))
        );
        // Inputs are sent as the user gave them: no text twin.
        assert!(out
            .pointer("/shapes/PutInput/members/ExpiresString")
            .is_none());
    }

    #[test]
    fn other_services_are_untouched() {
        let text = model();
        assert!(matches!(
            service_model("ec2", &text).unwrap(),
            Cow::Borrowed(_)
        ));
    }
}
