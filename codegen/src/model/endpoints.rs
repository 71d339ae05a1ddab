//! `endpoint-rule-set-1.json`: a service's endpoint rules as botocore ships them. Expressions
//! (arguments, URLs, properties) stay JSON values here; lowering compiles them.

use indexmap::IndexMap;
use serde::Deserialize;
use serde_json::Value;

/// A rule set file.
#[derive(Debug, Clone, Deserialize)]
pub struct RuleSetModel {
    /// The format version (`1.0`, `1.3`).
    #[serde(default)]
    pub version: String,
    /// The parameters, in the file's order.
    #[serde(default)]
    pub parameters: IndexMap<String, ParamModel>,
    /// The top-level rules.
    pub rules: Vec<RuleModel>,
}

/// One parameter.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ParamModel {
    /// `string`, `boolean` or `stringArray`.
    #[serde(rename = "type")]
    pub kind: String,
    /// The built-in that fills it (`AWS::Region`).
    #[serde(default)]
    pub built_in: Option<String>,
    /// Whether evaluation needs a value.
    #[serde(default)]
    pub required: bool,
    /// The value when none is given.
    #[serde(default)]
    pub default: Option<Value>,
    /// What it means.
    #[serde(default)]
    pub documentation: Option<String>,
    /// `{message, since}` when deprecated.
    #[serde(default)]
    pub deprecated: Option<Deprecated>,
}

/// A parameter's `deprecated`.
#[derive(Debug, Clone, Deserialize, Default)]
pub struct Deprecated {
    /// Why, or what to use instead.
    #[serde(default)]
    pub message: Option<String>,
    /// Since when.
    #[serde(default)]
    pub since: Option<String>,
}

/// A rule.
#[derive(Debug, Clone, Deserialize)]
#[serde(tag = "type", rename_all = "lowercase")]
pub enum RuleModel {
    /// Gives an endpoint.
    Endpoint {
        /// All must hold.
        #[serde(default)]
        conditions: Vec<ConditionModel>,
        /// The endpoint.
        endpoint: EndpointModel,
    },
    /// Gives an error.
    Error {
        /// All must hold.
        #[serde(default)]
        conditions: Vec<ConditionModel>,
        /// The message (a string or template).
        error: Value,
    },
    /// Tries more rules.
    Tree {
        /// All must hold.
        #[serde(default)]
        conditions: Vec<ConditionModel>,
        /// The rules inside.
        rules: Vec<RuleModel>,
    },
}

/// A condition: a function call, its result optionally named.
#[derive(Debug, Clone, Deserialize)]
pub struct ConditionModel {
    /// The function (`isSet`, `aws.partition`, ...).
    #[serde(rename = "fn")]
    pub function: String,
    /// Its arguments.
    #[serde(default)]
    pub argv: Vec<Value>,
    /// The name its result is kept under.
    #[serde(default)]
    pub assign: Option<String>,
}

/// An endpoint rule's endpoint.
#[derive(Debug, Clone, Deserialize)]
pub struct EndpointModel {
    /// The URL.
    pub url: Value,
    /// Properties (`authSchemes`, ...).
    #[serde(default)]
    pub properties: IndexMap<String, Value>,
    /// Headers, each with its values.
    #[serde(default)]
    pub headers: IndexMap<String, Vec<Value>>,
}

/// Parses a rule set file; `file` names it in errors.
pub fn parse_rule_set(file: &str, text: &str) -> Result<RuleSetModel, String> {
    serde_json::from_str(text).map_err(|e| format!("{file}: {e}"))
}

/// botocore's `partitions.json`.
#[derive(Debug, Clone, Deserialize)]
pub struct PartitionsModel {
    /// The partitions, in order (the first is the fallback).
    pub partitions: Vec<PartitionModel>,
}

/// One partition.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PartitionModel {
    /// `aws`, `aws-cn`, ...
    pub id: String,
    /// The pattern its regions match.
    pub region_regex: String,
    /// Its regions by name.
    #[serde(default)]
    pub regions: IndexMap<String, Value>,
    /// What `aws.partition` returns for it.
    pub outputs: PartitionOutputs,
}

/// A partition's `outputs`.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PartitionOutputs {
    /// DNS suffix.
    pub dns_suffix: String,
    /// Dual-stack DNS suffix.
    pub dual_stack_dns_suffix: String,
    /// `supportsFIPS`.
    #[serde(rename = "supportsFIPS")]
    pub supports_fips: bool,
    /// `supportsDualStack`.
    pub supports_dual_stack: bool,
    /// `implicitGlobalRegion`.
    #[serde(default)]
    pub implicit_global_region: String,
}
