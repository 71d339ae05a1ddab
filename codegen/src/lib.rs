//! boto-rs generator: turns botocore service models into a Rust crate, in memory.
//!
//! The pipeline, one stage per module: [`model`] (parse the JSON files) -> [`ir`] (lower: every
//! decision, with [`naming`] giving every name) -> [`emit`] (IR to token streams) -> [`render`]
//! (prettyplease and the generated-file header). [`customize`] applies botocore's load-time
//! changes to a model's JSON before it is parsed; [`docs`] turns model HTML into Markdown for
//! lowering; [`jmespath`] compiles the expressions paginators, waiters and resources use.
//! The library does no I/O; `xtask` reads models and writes files.

pub mod customize;
pub mod docs;
pub mod emit;
pub mod ir;
pub mod jmespath;
pub mod model;
pub mod render;

pub use ir::naming;

use std::collections::BTreeMap;

/// The inputs for one service.
#[derive(Debug, Clone, Default)]
pub struct ServiceInput {
    /// Crate name (botocore folder name with `-` turned into `_`).
    pub crate_name: String,
    /// `service-2.json` text.
    pub service_json: String,
    /// Overrides the protocol chosen from the model.
    pub protocol: Option<String>,
    /// Path from the generated crate's folder to the runtime crate (`../../runtime` when empty).
    pub runtime_path: String,
    /// The crate's version, shared with the runtime (`0.1.0` when empty).
    pub version: String,
    /// The botocore release the models come from, named in the crate's README and metadata.
    pub botocore_version: String,
    /// `paginators-1.json` text, its `*.sdk-extras.json` already merged (see [`merge_extras`]).
    pub paginators_json: Option<String>,
    /// `waiters-2.json` text.
    pub waiters_json: Option<String>,
    /// boto3's `resources-1.json` text.
    pub resources_json: Option<String>,
    /// `endpoint-rule-set-1.json` text.
    pub endpoint_rules_json: Option<String>,
}

/// Deep-merges the `merge` object of a `*.sdk-extras.json` file into a model file's JSON text,
/// as botocore's loader does.
pub fn merge_extras(base: &str, extras: &str) -> Result<String, String> {
    fn merge(into: &mut serde_json::Value, from: &serde_json::Value) {
        match (into, from) {
            (serde_json::Value::Object(a), serde_json::Value::Object(b)) => {
                for (k, v) in b {
                    match a.get_mut(k) {
                        Some(slot) if slot.is_object() && v.is_object() => merge(slot, v),
                        _ => {
                            a.insert(k.clone(), v.clone());
                        }
                    }
                }
            }
            (slot, v) => *slot = v.clone(),
        }
    }
    let mut doc: serde_json::Value = serde_json::from_str(base).map_err(|e| e.to_string())?;
    let extras: serde_json::Value = serde_json::from_str(extras).map_err(|e| e.to_string())?;
    if let Some(m) = extras.get("merge") {
        merge(&mut doc, m);
    }
    Ok(doc.to_string())
}

/// The runtime's partition table (`runtime/src/endpoint/partitions_data.rs`) from botocore's
/// `partitions.json` text.
pub fn generate_partitions(json: &str) -> Result<String, String> {
    let model: model::endpoints::PartitionsModel =
        serde_json::from_str(json).map_err(|e| format!("partitions.json: {e}"))?;
    if model.partitions.is_empty() {
        return Err("partitions.json: no partitions".into());
    }
    render::render(emit::endpoints::partitions_rs(&model))
}

/// The protocols the runtime implements, in the order they are preferred.
pub const SUPPORTED_PROTOCOLS: &[&str] = &[
    "json",
    "rest-json",
    "rest-xml",
    "smithy-rpc-v2-cbor",
    "query",
    "ec2",
];

/// Generates one crate: file path (relative to the crate folder) -> contents.
pub fn generate(input: &ServiceInput) -> Result<BTreeMap<String, String>, Vec<String>> {
    let file = format!("{}/service-2.json", input.crate_name);
    let mut model = model::parse_service(&file, &input.service_json).map_err(|e| vec![e])?;
    customize::service_model(&input.crate_name, &mut model)
        .map_err(|e| vec![format!("{file}: {e}")])?;
    let protocol = match &input.protocol {
        Some(p) => p.clone(),
        None => choose_protocol(&model.metadata).ok_or_else(|| {
            vec![format!(
                "{file}: none of the model's protocols is supported"
            )]
        })?,
    };
    let protocol = ir::schema::Protocol::from_model(&protocol)
        .ok_or_else(|| vec![format!("{file}: unsupported protocol {protocol:?}")])?;
    let mut ir = ir::lower(&input.crate_name, &model, protocol).map_err(|errs| {
        errs.into_iter()
            .map(|e| format!("{file}: {e}"))
            .collect::<Vec<_>>()
    })?;
    if let Some(text) = &input.endpoint_rules_json {
        let file = format!("{}/endpoint-rule-set-1.json", input.crate_name);
        let rules = model::endpoints::parse_rule_set(&file, text)
            .and_then(|m| ir::endpoints::lower(&m).map_err(|e| format!("{file}: {e}")))
            .map_err(|e| vec![e])?;
        ir.endpoint_rules = Some(rules);
    }
    let mut errs = Vec::new();
    let mut methods = std::mem::take(&mut ir.client_methods);
    let mut names = Vec::new();
    let paginators = input
        .paginators_json
        .as_deref()
        .map(|t| ir::pagwait::paginators(&ir, t, &mut methods, &mut names, &mut errs))
        .unwrap_or_default();
    let waiters = input
        .waiters_json
        .as_deref()
        .map(|t| ir::pagwait::waiters(&ir, t, &mut methods, &mut names, &mut errs))
        .unwrap_or_default();
    let resources = input
        .resources_json
        .as_deref()
        .and_then(|t| ir::resources::lower(&ir, t, &mut names, &mut errs))
        .map(|(r, statics)| {
            let items = ir::resource_items::lower(
                &ir,
                &r,
                &paginators,
                &waiters,
                statics,
                &mut names,
                &mut errs,
            );
            emit::resources::resources_rs(&ir, &items)
        });
    if !errs.is_empty() {
        return Err(errs);
    }
    ir.client_methods = methods;
    ir.names.extend(names);
    ir.names.sort();
    let extras = render::Extras {
        paginators,
        waiters,
        resources,
    };
    let runtime = if input.runtime_path.is_empty() {
        "../../runtime"
    } else {
        input.runtime_path.as_str()
    };
    let package = emit::package::Package {
        runtime_path: runtime,
        version: if input.version.is_empty() {
            "0.1.0"
        } else {
            &input.version
        },
        botocore_version: &input.botocore_version,
    };
    render::render_crate(&ir, &package, &extras).map_err(|e| vec![format!("{file}: {e}")])
}

/// The protocol botocore picks among `metadata.protocols` (else `metadata.protocol`): the first
/// of [`SUPPORTED_PROTOCOLS`], in botocore's order of priority, that the model lists. CloudWatch
/// lists `smithy-rpc-v2-cbor`, `json` and `query` and gets `json`, as boto3 users do.
pub fn choose_protocol(md: &model::Metadata) -> Option<String> {
    let listed = |p: &str| md.protocols.iter().any(|x| x == p) || md.protocol == p;
    SUPPORTED_PROTOCOLS
        .iter()
        .find(|p| listed(p))
        .map(|p| p.to_string())
}
