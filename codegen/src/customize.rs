//! Changes botocore makes to a service model at load time, outside the model files (its
//! `handlers.py`), applied to the parsed model before lowering; and one of boto-rs's own:
//! DynamoDB's `AttributeValue` made the union AWS's Smithy model has.

use crate::model::{ServiceModel, ShapeModel, ShapeRef};

/// The member botocore adds beside s3's `Expires` output header, holding the header's text.
const EXPIRES_STRING: &str = "ExpiresString";

/// Applies botocore's load-time changes for `crate_name` to its model; fails when the model has
/// moved from what a change expects in a way the generated crate could not compile with.
pub fn service_model(crate_name: &str, model: &mut ServiceModel) -> Result<(), String> {
    if crate_name == "s3" {
        expires_string(model);
        bucket_out_of_paths(model);
    }
    if crate_name == "s3control" {
        account_id_out_of_hosts(model);
    }
    if crate_name == "iam" {
        mark_policy_documents(model);
    }
    if ATTRIBUTE_VALUE_SERVICES.contains(&crate_name) {
        attribute_value_union(model)?;
    }
    for (service, op, from, to) in PARAMETER_ALIASES {
        if crate_name == service.replace('-', "_") {
            alias_parameter(model, op, from, to);
        }
    }
    Ok(())
}

/// Operations botocore removes from its clients because they need HTTP/2 input streams
/// (`remove_lex_v2_start_conversation` and its siblings), by service folder. boto-rs generates
/// them: their input event streams go out over HTTP/2.
pub const HTTP2_OPERATIONS: &[(&str, &str)] = &[
    ("lexv2-runtime", "StartConversation"),
    ("qbusiness", "Chat"),
    ("bedrock-runtime", "InvokeModelWithBidirectionalStream"),
    ("connecthealth", "StartMedicalScribeListeningSession"),
    ("polly", "StartSpeechSynthesisStream"),
];

/// botocore's parameter aliases (`_add_parameter_aliases`): (service folder, operation or `*`,
/// member, the name users pass instead). The member keeps its wire name.
pub const PARAMETER_ALIASES: &[(&str, &str, &str, &str)] = &[
    ("ec2", "*", "Filter", "Filters"),
    ("logs", "CreateExportTask", "from", "fromTime"),
    ("cloudsearchdomain", "Search", "return", "returnFields"),
];

/// The shape IAM's policy documents target, which botocore's `json_decode_policies` decodes.
const POLICY_DOCUMENT_SHAPE: &str = "policyDocumentType";

/// Marks the members botocore decodes as policy documents in IAM's outputs: those targeting
/// `policyDocumentType`, found from each output through structures and lists (not maps), as
/// botocore walks them.
fn mark_policy_documents(model: &mut ServiceModel) {
    let mut todo: Vec<String> = (model.operations.values())
        .filter_map(|o| o.output.as_ref().map(|r| r.shape.clone()))
        .collect();
    let mut seen = std::collections::BTreeSet::new();
    while let Some(name) = todo.pop() {
        if !seen.insert(name.clone()) {
            continue;
        }
        let Some(shape) = model.shapes.get_mut(&name) else {
            continue;
        };
        if shape.kind == "list" {
            if let Some(member) = &shape.member {
                todo.push(member.shape.clone());
            }
        }
        if shape.kind != "structure" {
            continue;
        }
        for m in shape.members.values_mut() {
            if m.shape == POLICY_DOCUMENT_SHAPE {
                m.json_document = true;
            } else {
                todo.push(m.shape.clone());
            }
        }
    }
}

/// Renames the input member `from` of `op` (every operation for `*`) to `to`, keeping what is
/// sent: the old name becomes its `locationName` when it had none.
fn alias_parameter(model: &mut ServiceModel, op: &str, from: &str, to: &str) {
    let inputs: Vec<String> = model
        .operations
        .iter()
        .filter(|(name, _)| op == "*" || name.as_str() == op)
        .filter_map(|(_, o)| o.input.as_ref().map(|i| i.shape.clone()))
        .collect();
    for input in inputs {
        let Some(shape) = model.shapes.get_mut(&input) else {
            continue;
        };
        if shape.members.contains_key(to) {
            continue;
        }
        let Some(i) = shape.members.get_index_of(from) else {
            continue;
        };
        let (_, mut member) = shape.members.shift_remove_index(i).expect("index exists");
        member.location_name.get_or_insert_with(|| from.to_string());
        shape.members.shift_insert(i, to.to_string(), member);
        for r in shape.required.iter_mut() {
            if r == from {
                *r = to.to_string();
            }
        }
    }
}

/// botocore's `remove_bucket_from_url_paths_from_model`: the endpoint rules put the bucket in
/// the URL (host or path), so S3's request URIs lose their leading `/{Bucket}`.
fn bucket_out_of_paths(model: &mut ServiceModel) {
    for op in model.operations.values_mut() {
        if let Some(rest) = op.http.request_uri.strip_prefix("/{Bucket}") {
            op.http.request_uri = rest.to_string();
        }
    }
}

/// botocore's `remove_accid_host_prefix_from_model`: S3 Control's rules put the account id in
/// the host, so operations that require it lose their `{AccountId}.` host prefix.
fn account_id_out_of_hosts(model: &mut ServiceModel) {
    for op in model.operations.values_mut() {
        let requires = op
            .static_context_params
            .get("RequiresAccountId")
            .is_some_and(|p| p.value == serde_json::Value::Bool(true));
        let prefixed =
            op.endpoint.as_ref().and_then(|e| e.host_prefix.as_deref()) == Some("{AccountId}.");
        if requires && prefixed {
            if let Some(e) = op.endpoint.as_mut() {
                e.host_prefix = None;
            }
        }
    }
}

/// botocore's `handle_expires_header`: an output with an `Expires` header member (a timestamp
/// once `service-2.sdk-extras.json` is merged) also gets `ExpiresString`, the header as sent, so
/// a value that is not a date is kept (the runtime then leaves `Expires` unset instead of failing).
fn expires_string(model: &mut ServiceModel) {
    let outputs: Vec<String> = model
        .operations
        .values()
        .filter_map(|op| op.output.as_ref().map(|o| o.shape.clone()))
        .collect();
    let mut added = false;
    for name in outputs {
        let Some(shape) = model.shapes.get_mut(&name) else {
            continue;
        };
        let expires_header = shape.members.get("Expires").is_some_and(|m| {
            m.location.as_deref() == Some("header") && m.location_name.as_deref() == Some("Expires")
        });
        if expires_header && !shape.members.contains_key(EXPIRES_STRING) {
            shape.members.insert(
                EXPIRES_STRING.into(),
                ShapeRef {
                    shape: EXPIRES_STRING.into(),
                    location: Some("header".into()),
                    location_name: Some("Expires".into()),
                    documentation: Some(
                        "<p>The <code>Expires</code> header as the service sent it; \
                         <code>Expires</code> is left unset when this is not a date.</p>"
                            .into(),
                    ),
                    ..ShapeRef::default()
                },
            );
            added = true;
        }
    }
    if added {
        model
            .shapes
            .entry(EXPIRES_STRING.into())
            .or_insert_with(|| ShapeModel {
                kind: "string".into(),
                ..ShapeModel::default()
            });
    }
}

/// Client methods botocore adds in code for a service (`add_generate_db_auth_token`,
/// `add_dsql_generate_db_auth_token_methods`, `add_generate_presigned_post`); emit writes them as
/// calls into the runtime.
pub fn extra_client_methods(crate_name: &str) -> &'static [&'static str] {
    match crate_name {
        "rds" => &["generate_db_auth_token"],
        "s3" => &["generate_presigned_post"],
        "dsql" => &[
            "generate_db_connect_auth_token",
            "generate_db_connect_admin_auth_token",
        ],
        _ => &[],
    }
}

/// The crates whose `AttributeValue` converts to and from native values.
const ATTRIBUTE_VALUE_SERVICES: [&str; 2] = ["dynamodb", "dynamodbstreams"];

/// The members of DynamoDB's `AttributeValue`, as the runtime's `attribute_value!` names them.
const ATTRIBUTE_VALUE_MEMBERS: [&str; 10] =
    ["S", "N", "B", "SS", "NS", "BS", "M", "L", "NULL", "BOOL"];

/// DynamoDB's `AttributeValue` holds exactly one of its members: AWS's Smithy model makes it a
/// union, which botocore's JSON model flattened into a structure. Generated as a union (an enum,
/// `AttributeValue::S(..)`), it cannot hold two types at once and is a quarter of the size, which
/// matters for items of many attributes. The wire form is the same: one key.
///
/// The crate's native items (`Table`, `from_item`) need the runtime's `attribute_value!`, which
/// names the ten members: a model with other members is an error here, naming them, rather than
/// a crate that does not compile.
fn attribute_value_union(model: &mut ServiceModel) -> Result<(), String> {
    let Some(shape) = model.shapes.get_mut("AttributeValue") else {
        return Ok(());
    };
    let members: Vec<&str> = shape.members.keys().map(String::as_str).collect();
    let added: Vec<&str> = (members.iter().copied())
        .filter(|m| !ATTRIBUTE_VALUE_MEMBERS.contains(m))
        .collect();
    let missing: Vec<&str> = (ATTRIBUTE_VALUE_MEMBERS.iter().copied())
        .filter(|m| !members.contains(m))
        .collect();
    if shape.kind != "structure" || !added.is_empty() || !missing.is_empty() {
        return Err(format!(
            "AttributeValue is a {} with members {added:?} that boto_runtime::dynamodb does not \
             convert and without {missing:?}; the runtime's `attribute_value!` and \
             `dynamodb::Value` must learn the change before this model can be generated",
            shape.kind
        ));
    }
    shape.union = true;
    Ok(())
}

/// Whether the union `shape` of `crate_name` is DynamoDB's `AttributeValue`, which converts to
/// and from native values (`boto_runtime::dynamodb`, boto3's `TypeSerializer`): dynamodb's and
/// dynamodbstreams'. Its members were checked when it was made a union
/// (`attribute_value_union`): they are the ten the runtime's `attribute_value!` names.
pub fn native_attribute_value(crate_name: &str, shape: &str) -> bool {
    ATTRIBUTE_VALUE_SERVICES.contains(&crate_name) && shape == "AttributeValue"
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::parse_service;

    fn model() -> ServiceModel {
        let text = serde_json::json!({
            "metadata": {"protocol": "rest-xml", "apiVersion": "2006-03-01", "endpointPrefix": "s3"},
            "operations": {
                "Get": {"name": "Get", "http": {"method": "GET", "requestUri": "/"},
                        "output": {"shape": "GetOutput"}, "input": {"shape": "PutInput"}},
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
        .to_string();
        parse_service("s3/service-2.json", &text).unwrap()
    }

    #[test]
    fn s3_outputs_with_expires_get_expires_string() {
        let mut m = model();
        service_model("s3", &mut m).unwrap();
        let added = &m.shapes["GetOutput"].members[EXPIRES_STRING];
        assert_eq!(added.location_name.as_deref(), Some("Expires"));
        assert_eq!(added.location.as_deref(), Some("header"));
        assert_eq!(m.shapes[EXPIRES_STRING].kind, "string");
        // Inputs are sent as the user gave them: no text twin.
        assert!(!m.shapes["PutInput"].members.contains_key(EXPIRES_STRING));
    }

    #[test]
    fn iam_policy_documents_are_marked_through_structures_and_lists_only() {
        let text = serde_json::json!({
            "metadata": {"protocol": "query", "apiVersion": "2010-05-08", "endpointPrefix": "iam"},
            "operations": {
                "Get": {"name": "Get", "http": {"method": "POST", "requestUri": "/"},
                        "input": {"shape": "In"}, "output": {"shape": "Out"}},
            },
            "shapes": {
                "In": {"type": "structure", "members": {"Doc": {"shape": "policyDocumentType"}}},
                "Out": {"type": "structure", "members": {
                    "Doc": {"shape": "policyDocumentType"},
                    "Items": {"shape": "ItemList"},
                    "ByName": {"shape": "ItemMap"}
                }},
                "ItemList": {"type": "list", "member": {"shape": "Item"}},
                "ItemMap": {"type": "map", "key": {"shape": "Name"}, "value": {"shape": "MapItem"}},
                "Item": {"type": "structure", "members": {"Document": {"shape": "policyDocumentType"}}},
                "MapItem": {"type": "structure", "members": {"Document": {"shape": "policyDocumentType"}}},
                "Name": {"type": "string"},
                "policyDocumentType": {"type": "string"}
            }
        })
        .to_string();
        let mut m = parse_service("iam/service-2.json", &text).unwrap();
        service_model("iam", &mut m).unwrap();
        assert!(m.shapes["Out"].members["Doc"].json_document);
        assert!(m.shapes["Item"].members["Document"].json_document);
        // botocore walks structures and lists, not maps, and decodes outputs only.
        assert!(!m.shapes["MapItem"].members["Document"].json_document);
        assert!(!m.shapes["In"].members["Doc"].json_document);
    }

    #[test]
    fn other_services_are_untouched() {
        let mut m = model();
        service_model("ec2", &mut m).unwrap();
        assert!(!m.shapes.contains_key(EXPIRES_STRING));
        assert!(!m.shapes["GetOutput"].members.contains_key(EXPIRES_STRING));
    }

    fn dynamodb(members: &[&str]) -> ServiceModel {
        let members: serde_json::Map<String, serde_json::Value> = (members.iter())
            .map(|m| (m.to_string(), serde_json::json!({"shape": "S"})))
            .collect();
        let text = serde_json::json!({
            "metadata": {"protocol": "json", "apiVersion": "2012-08-10", "endpointPrefix": "dynamodb"},
            "operations": {},
            "shapes": {
                "AttributeValue": {"type": "structure", "members": members},
                "S": {"type": "string"}
            }
        })
        .to_string();
        parse_service("dynamodb/service-2.json", &text).unwrap()
    }

    #[test]
    fn dynamodb_attribute_value_becomes_a_union() {
        let mut m = dynamodb(&ATTRIBUTE_VALUE_MEMBERS);
        service_model("dynamodb", &mut m).unwrap();
        assert!(m.shapes["AttributeValue"].union);
        // Elsewhere a shape of that name is left as it is.
        let mut m = dynamodb(&ATTRIBUTE_VALUE_MEMBERS);
        service_model("ec2", &mut m).unwrap();
        assert!(!m.shapes["AttributeValue"].union);
    }

    #[test]
    fn a_changed_attribute_value_is_an_error_naming_the_change() {
        let mut with_new = ATTRIBUTE_VALUE_MEMBERS.to_vec();
        with_new.push("VECTOR");
        let e = service_model("dynamodb", &mut dynamodb(&with_new)).unwrap_err();
        assert!(
            e.contains(r#"["VECTOR"]"#) && e.contains("without []"),
            "{e}"
        );
        let e = service_model("dynamodbstreams", &mut dynamodb(&with_new[1..])).unwrap_err();
        assert!(e.contains(r#"without ["S"]"#), "{e}");
    }
}
