//! Lowering: resolves the model into the shapes a crate needs, with every Rust name assigned and
//! every decision (kinds, field forms, schema traits) made once; emit only turns this into tokens.

pub mod endpoints;
pub mod naming;
pub mod pagwait;
pub mod resource_items;
pub mod resources;
pub mod schema;

use crate::docs::html_to_markdown;
use crate::model::{ServiceModel, ShapeModel};
pub use naming::NameRecord;
use naming::{Namespace, Suffix};
pub use schema::ScalarKind;
use schema::{OperationSchema, SchemaKind, ServiceSchema, ShapeSchema};
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

/// The lowered service, ready to emit.
#[derive(Debug)]
pub struct Ir {
    /// The crate (and botocore folder) name.
    pub crate_name: String,
    /// The service as a whole.
    pub service: ServiceIr,
    /// Shapes reachable from operations, by model name.
    pub shapes: BTreeMap<String, ShapeIr>,
    /// Operations, by model name.
    pub ops: Vec<OpIr>,
    /// The variants of the client's `Error` enum: the modeled errors that are structures (their
    /// shape names, in shape order).
    pub error_enum: Vec<String>,
    /// Every wire name -> Rust name decision, for the golden list.
    pub names: Vec<NameRecord>,
    /// The client's method names: operations here, paginators and waiters join them.
    pub client_methods: Namespace,
    /// The compiled endpoint rule set, when the service has one.
    pub endpoint_rules: Option<endpoints::RuleSetIr>,
}

/// The service's description and metadata.
#[derive(Debug)]
pub struct ServiceIr {
    /// Its title (`serviceFullName`, else the crate name).
    pub title: String,
    /// `apiVersion`.
    pub api_version: String,
    /// The service documentation, as Markdown lines.
    pub docs: Vec<String>,
    /// The `SERVICE` static.
    pub schema: ServiceSchema,
}

/// What a shape becomes in Rust.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ShapeKind {
    /// A struct with fields.
    Structure,
    /// An enum with one variant per member.
    Union,
    /// A string enum.
    Enum,
    /// A list of the member type.
    List,
    /// A map from strings.
    Map,
    /// A scalar of this kind.
    Scalar(ScalarKind),
}

/// A shape as the emitter needs it.
#[derive(Debug, Clone)]
pub struct ShapeIr {
    /// Model name.
    pub wire: String,
    /// Rust type name (structures, unions, enums).
    pub rust: String,
    /// Name of the schema static.
    pub static_name: String,
    /// What it becomes.
    pub kind: ShapeKind,
    /// Its schema static.
    pub schema: ShapeSchema,
    /// A modeled error (exception) shape.
    pub exception: bool,
    /// A shape the runtime builds as its Rust type (a structure or union: an error, or the
    /// input or output of the endpoint discovery operation): its schema names the constructor.
    pub constructor: bool,
    /// Members (structures, unions).
    pub members: Vec<MemberIr>,
    /// Enum variants: (value, variant name).
    pub variants: Vec<(String, String)>,
    /// Markdown doc lines.
    pub docs: Vec<String>,
}

impl ShapeIr {
    /// The element shape of a list, the value shape of a map.
    pub fn item(&self) -> Option<&str> {
        match self.kind {
            ShapeKind::List => self.schema.members.first(),
            ShapeKind::Map => self.schema.members.get(1),
            _ => None,
        }
        .map(|m| m.target.as_str())
    }
}

/// How a structure field holds its member's value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FieldForm {
    /// `Option<T>`.
    Plain,
    /// `Option<Box<T>>`: breaks a recursive type.
    Boxed,
    /// A streaming blob: a `ByteStream`, always there in an output (possibly empty), else optional.
    Stream {
        /// Not wrapped in `Option` (the member of an operation output).
        always: bool,
    },
    /// An output event stream, read as its events arrive: `EventStream<T>`.
    EventStream,
    /// An input event stream, the events the caller sends: `InputEvents<T>`.
    InputEventStream,
}

impl FieldForm {
    /// True when the field is an `Option` (unset is `None`), as every form but an output's
    /// streaming body and the event streams is.
    pub fn is_option(self) -> bool {
        matches!(
            self,
            FieldForm::Plain | FieldForm::Boxed | FieldForm::Stream { always: false }
        )
    }
}

/// A structure or union member.
#[derive(Debug, Clone)]
pub struct MemberIr {
    /// Model member name.
    pub wire: String,
    /// Rust field (or variant) name as written.
    pub field: String,
    /// The target shape's model name.
    pub target: String,
    /// How the field holds it.
    pub form: FieldForm,
    /// Needs a `Box` to break a recursive type.
    pub boxed: bool,
    /// Required by the model.
    pub required: bool,
    /// Markdown doc lines.
    pub docs: Vec<String>,
}

/// An operation.
#[derive(Debug, Clone)]
pub struct OpIr {
    /// Model name.
    pub wire: String,
    /// Method name.
    pub method: String,
    /// Name of the operation static.
    pub static_name: String,
    /// Input shape name.
    pub input: Option<String>,
    /// Output shape name.
    pub output: Option<String>,
    /// The input type belongs to this operation alone, so a value of it can be presigned.
    pub owns_input: bool,
    /// Its schema static.
    pub schema: OperationSchema,
    /// Markdown doc lines.
    pub docs: Vec<String>,
}

/// Method names the generated client defines itself.
pub const RESERVED_METHODS: &[&str] = &[
    "new", "builder", "handle", "presign", "clone", "fmt", "from",
];

/// Lowers `model` into the IR; all problems are collected, then reported together.
pub fn lower(
    crate_name: &str,
    model: &ServiceModel,
    protocol: schema::Protocol,
) -> Result<Ir, Vec<String>> {
    let mut errors = Vec::new();
    let mut names = Vec::new();
    // Shapes reachable from operations.
    let mut reach: BTreeSet<String> = BTreeSet::new();
    let mut stack: Vec<String> = Vec::new();
    for op in model.operations.values() {
        for r in op
            .input
            .iter()
            .chain(op.output.iter())
            .chain(op.errors.iter())
        {
            stack.push(r.shape.clone());
        }
    }
    // Every exception shape, referenced or not: error codes are looked up service-wide.
    stack.extend(
        model
            .shapes
            .iter()
            .filter(|(_, s)| s.exception)
            .map(|(n, _)| n.clone()),
    );
    while let Some(n) = stack.pop() {
        if !reach.insert(n.clone()) {
            continue;
        }
        let Some(s) = model.shapes.get(&n) else {
            errors.push(format!("shape {n} is referenced but not defined"));
            continue;
        };
        check_shape(&n, s, &mut errors);
        for (_, m) in s.members.iter() {
            stack.push(m.shape.clone());
        }
        for r in [&s.member, &s.key, &s.value].into_iter().flatten() {
            stack.push(r.shape.clone());
        }
    }

    // Type names, unique per crate (and ignoring case), and schema statics.
    let mut types = Namespace::case_insensitive();
    // The endpoint discovery operation's input and output: the runtime builds them itself.
    let built_by_runtime: HashSet<&str> = model
        .operations
        .values()
        .filter(|op| op.endpointoperation)
        .flat_map(|op| op.input.iter().chain(op.output.iter()))
        .map(|r| r.shape.as_str())
        .collect();
    let mut statics = Namespace::new();
    let mut shapes = BTreeMap::new();
    for n in &reach {
        let Some(s) = model.shapes.get(n) else {
            continue;
        };
        let schema = match schema::shape_schema(n, s, &model.shapes) {
            Ok(schema) => schema,
            Err(e) => {
                errors.push(format!("shape {n}: {e}"));
                continue;
            }
        };
        let kind = match schema.kind {
            SchemaKind::Structure => ShapeKind::Structure,
            SchemaKind::Union => ShapeKind::Union,
            SchemaKind::List => ShapeKind::List,
            SchemaKind::Map => ShapeKind::Map,
            SchemaKind::Scalar(ScalarKind::String) if !s.enum_values.is_empty() => ShapeKind::Enum,
            SchemaKind::Scalar(k) => ShapeKind::Scalar(k),
        };
        let mut rust = String::new();
        if matches!(
            kind,
            ShapeKind::Structure | ShapeKind::Union | ShapeKind::Enum
        ) {
            let base = naming::type_name(n);
            rust = types
                .claim(&base, "type", n, Suffix::Number(""), &mut names)
                .0;
            let note = if rust == *n {
                String::new()
            } else if rust == base {
                "recased".into()
            } else {
                format!("case-fold collision with another shape, renamed from {base}")
            };
            names.push(NameRecord::new("type", n, &rust).note(note));
        }
        let base = naming::static_name(if rust.is_empty() { n } else { &rust });
        let (static_name, _) = statics.claim(&base, "static", n, Suffix::Number("_"), &mut names);
        names.push(NameRecord::new("static", n, &static_name));
        shapes.insert(
            n.clone(),
            ShapeIr {
                wire: n.clone(),
                rust,
                static_name,
                kind,
                schema,
                exception: s.exception,
                constructor: (s.exception || built_by_runtime.contains(n.as_str()))
                    && matches!(kind, ShapeKind::Structure | ShapeKind::Union),
                members: Vec::new(),
                variants: Vec::new(),
                docs: s
                    .documentation
                    .as_deref()
                    .map(html_to_markdown)
                    .unwrap_or_default(),
            },
        );
    }

    // Members and variants.
    let direct = direct_edges(model, &reach);
    let outputs: HashSet<&str> = model
        .operations
        .values()
        .filter_map(|o| o.output.as_ref().map(|r| r.shape.as_str()))
        .collect();
    let names_snapshot: Vec<String> = shapes.keys().cloned().collect();
    for n in names_snapshot {
        let s = &model.shapes[&n];
        let kind = shapes[&n].kind;
        match kind {
            ShapeKind::Structure | ShapeKind::Union => {
                let mut taken = Namespace::new();
                let mut members = Vec::new();
                let what = if kind == ShapeKind::Union {
                    "variant"
                } else {
                    "field"
                };
                for (mname, r) in s.members.iter() {
                    let base = if kind == ShapeKind::Union {
                        naming::variant_name(mname)
                    } else {
                        naming::snake_name(mname)
                    };
                    let wire = format!("{n}.{mname}");
                    let (field, _) =
                        taken.claim(&base, what, &wire, Suffix::Number("_"), &mut names);
                    let text = if kind == ShapeKind::Union {
                        field.clone()
                    } else {
                        naming::ident_text(&field)
                    };
                    let note = if field != base {
                        format!("collides with another member, renamed from {base}")
                    } else if text != field {
                        "keyword".into()
                    } else {
                        String::new()
                    };
                    names.push(NameRecord::new(what, wire, &text).note(note));
                    let target = shapes.get(&r.shape);
                    let boxed = matches!(
                        target.map(|t| t.kind),
                        Some(ShapeKind::Structure | ShapeKind::Union)
                    ) && reaches(&direct, &r.shape, &n);
                    let target_model = model.shapes.get(&r.shape);
                    let form = if target.map(|t| t.kind)
                        == Some(ShapeKind::Scalar(ScalarKind::Blob))
                        && (r.streaming || target_model.is_some_and(|t| t.streaming))
                    {
                        FieldForm::Stream {
                            always: outputs.contains(n.as_str()),
                        }
                    } else if target_model.is_some_and(|t| t.eventstream) {
                        if outputs.contains(n.as_str()) {
                            FieldForm::EventStream
                        } else {
                            FieldForm::InputEventStream
                        }
                    } else if boxed {
                        FieldForm::Boxed
                    } else {
                        FieldForm::Plain
                    };
                    members.push(MemberIr {
                        wire: mname.clone(),
                        field: text,
                        target: r.shape.clone(),
                        form,
                        boxed,
                        required: s.required.iter().any(|q| q == mname),
                        docs: r
                            .documentation
                            .as_deref()
                            .map(html_to_markdown)
                            .unwrap_or_default(),
                    });
                }
                for q in &s.required {
                    if s.members.get(q).is_none() {
                        errors.push(format!("shape {n}: required member {q} does not exist"));
                    }
                }
                shapes.get_mut(&n).unwrap().members = members;
            }
            ShapeKind::Enum => {
                let mut taken = Namespace::new();
                let mut seen_values: HashSet<&str> = HashSet::new();
                let mut variants = Vec::new();
                for v in &s.enum_values {
                    if !seen_values.insert(v) {
                        continue;
                    }
                    let base = naming::variant_name(v);
                    let wire = format!("{n}.{v}");
                    let (name, _) =
                        taken.claim(&base, "variant", &wire, Suffix::Number(""), &mut names);
                    let note = if name != base {
                        format!("collides with another value, renamed from {base}")
                    } else {
                        String::new()
                    };
                    names.push(NameRecord::new("variant", wire, &name).note(note));
                    variants.push((v.clone(), name));
                }
                shapes.get_mut(&n).unwrap().variants = variants;
            }
            _ => {}
        }
    }

    // Operations.
    let mut ops = Vec::new();
    let mut methods = Namespace::new();
    for m in RESERVED_METHODS
        .iter()
        .chain(crate::customize::extra_client_methods(crate_name))
    {
        methods.reserve(m, &format!("the client's own method {m}"));
    }
    let mut op_statics = Namespace::new();
    for (name, op) in &model.operations {
        let base = naming::xform_name(name);
        let (snake, collided) = methods.claim(
            &base,
            "operation",
            name,
            Suffix::Word("operation"),
            &mut names,
        );
        let method = naming::ident_text(&snake);
        let note = if collided.is_some() {
            "collides with a client method or another operation"
        } else if method != base {
            "keyword"
        } else {
            ""
        };
        names.push(NameRecord::new("operation", name, &method).note(note));
        let (static_name, _) = op_statics.claim(
            &format!("OP_{}", naming::static_name(name)),
            "operation_static",
            name,
            Suffix::Underscore,
            &mut names,
        );
        names.push(NameRecord::new("operation_static", name, &static_name));
        let input = op.input.as_ref().map(|r| r.shape.clone());
        let owns_input = input.as_ref().is_some_and(|i| {
            shapes
                .get(i)
                .is_some_and(|s| s.kind == ShapeKind::Structure)
                && model
                    .operations
                    .values()
                    .filter(|o| o.input.as_ref().map(|r| &r.shape) == Some(i))
                    .count()
                    == 1
        });
        ops.push(OpIr {
            wire: name.clone(),
            method,
            static_name,
            input,
            output: op.output.as_ref().map(|r| r.shape.clone()),
            owns_input,
            schema: {
                let mut s = schema::operation_schema(op);
                // botocore names an operation by its key in `operations`, which is what it sends
                // (cloudfront's `UpdateDistribution` has the `name` `UpdateDistribution2020_05_31`).
                s.wire = name.clone();
                match endpoints::operation_params(op, &model.shapes) {
                    Ok(p) => s.endpoint_params = p,
                    Err(e) => errors.push(format!("operation {name}: {e}")),
                }
                s
            },
            docs: op
                .documentation
                .as_deref()
                .map(html_to_markdown)
                .unwrap_or_default(),
        });
        if name.is_empty()
            || name.starts_with(|c: char| c.is_ascii_digit())
            || !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
        {
            errors.push(format!(
                "operation {name:?}: an operation's name must be letters, digits and `_`"
            ));
        }
    }
    names.sort();
    let error_enum = shapes
        .values()
        .filter(|s| s.exception && s.kind == ShapeKind::Structure)
        .map(|s| s.wire.clone())
        .collect();
    if errors.is_empty() {
        let md = &model.metadata;
        Ok(Ir {
            crate_name: crate_name.to_string(),
            service: ServiceIr {
                title: md
                    .service_full_name
                    .clone()
                    .unwrap_or_else(|| crate_name.to_string()),
                api_version: md.api_version.clone(),
                docs: model
                    .documentation
                    .as_deref()
                    .map(html_to_markdown)
                    .unwrap_or_default(),
                schema: schema::ServiceSchema {
                    client_context_params: model.client_context_params.keys().cloned().collect(),
                    ..schema::service_schema(crate_name, md, protocol, &model.shapes)
                },
            },
            shapes,
            ops,
            error_enum,
            names,
            client_methods: methods,
            endpoint_rules: None,
        })
    } else {
        Err(errors)
    }
}

/// Problems the emitter could not represent: unknown timestamp formats and locations.
fn check_shape(name: &str, s: &ShapeModel, errors: &mut Vec<String>) {
    let check_ts = |what: &str, f: &Option<String>, errors: &mut Vec<String>| {
        if let Some(f) = f {
            if !matches!(f.as_str(), "iso8601" | "rfc822" | "unixTimestamp") {
                errors.push(format!("{what}: unknown timestampFormat {f:?}"));
            }
        }
    };
    check_ts(&format!("shape {name}"), &s.timestamp_format, errors);
    let refs = s
        .members
        .iter()
        .map(|(m, r)| (format!("shape {name}, member {m}"), r))
        .chain(
            [&s.member, &s.key, &s.value]
                .into_iter()
                .flatten()
                .map(|r| (format!("shape {name}"), r)),
        );
    for (what, r) in refs {
        check_ts(&what, &r.timestamp_format, errors);
        if let Some(l) = &r.location {
            if !matches!(
                l.as_str(),
                "uri" | "querystring" | "header" | "headers" | "statusCode"
            ) {
                errors.push(format!("{what}: unknown location {l:?}"));
            }
        }
    }
}

/// Structure -> structures it contains directly (not through a list or map), which would make an infinitely sized type.
fn direct_edges(model: &ServiceModel, reach: &BTreeSet<String>) -> HashMap<String, Vec<String>> {
    let mut out = HashMap::new();
    for n in reach {
        if let Some(s) = model.shapes.get(n) {
            if s.kind == "structure" {
                let v: Vec<String> = s
                    .members
                    .iter()
                    .filter(|(_, r)| {
                        model
                            .shapes
                            .get(&r.shape)
                            .is_some_and(|t| t.kind == "structure")
                    })
                    .map(|(_, r)| r.shape.clone())
                    .collect();
                out.insert(n.clone(), v);
            }
        }
    }
    out
}

fn reaches(edges: &HashMap<String, Vec<String>>, from: &str, to: &str) -> bool {
    let mut seen = HashSet::new();
    let mut stack = vec![from.to_string()];
    while let Some(n) = stack.pop() {
        if n == to {
            return true;
        }
        if !seen.insert(n.clone()) {
            continue;
        }
        if let Some(e) = edges.get(&n) {
            stack.extend(e.iter().cloned());
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lower_json(json: &str) -> Vec<(String, String, bool)> {
        let model = crate::model::parse_service("t", json).unwrap();
        let ir = lower("t", &model, schema::Protocol::Ec2).unwrap();
        let mut out = Vec::new();
        for s in ir.shapes.values() {
            for m in &s.members {
                out.push((s.wire.clone(), m.wire.clone(), m.boxed));
            }
        }
        out
    }

    #[test]
    fn recursion_is_boxed_only_where_the_type_would_be_infinite() {
        let boxed = lower_json(
            r#"{"metadata": {"apiVersion": "1", "endpointPrefix": "t", "protocol": "ec2"},
                "operations": {"Op": {"name": "Op", "input": {"shape": "A"}, "output": {"shape": "D"}}},
                "shapes": {
                  "A": {"type": "structure", "members": {"B": {"shape": "B"}, "S": {"shape": "S"}}},
                  "B": {"type": "structure", "members": {"A": {"shape": "A"}, "List": {"shape": "AList"}}},
                  "AList": {"type": "list", "member": {"shape": "A"}},
                  "D": {"type": "structure", "members": {"Self": {"shape": "D"}, "Map": {"shape": "DMap"}, "A": {"shape": "A"}}},
                  "DMap": {"type": "map", "key": {"shape": "S"}, "value": {"shape": "D"}},
                  "S": {"type": "string"}
                }}"#,
        );
        let get = |s: &str, m: &str| boxed.iter().find(|(a, b, _)| a == s && b == m).unwrap().2;
        assert!(get("A", "B"), "A -> B -> A is a cycle");
        assert!(get("B", "A"), "B -> A -> B is a cycle");
        assert!(!get("B", "List"), "a list breaks the cycle");
        assert!(get("D", "Self"), "direct self reference");
        assert!(!get("D", "Map"), "a map breaks the cycle");
        assert!(!get("D", "A"), "A does not lead back to D");
        assert!(!get("A", "S"), "scalars are never boxed");
    }
}
