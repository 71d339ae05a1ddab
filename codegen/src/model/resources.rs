//! boto3's `resources-1.json`: the service resource, the resource types and what each offers.

use indexmap::IndexMap;
use serde::Deserialize;

/// A `resources-1.json` file.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct ResourcesModel {
    /// The service resource.
    #[serde(default)]
    pub service: ServiceResourceModel,
    /// Resource types by name, in file order.
    #[serde(default)]
    pub resources: IndexMap<String, ResourceModel>,
}

/// The service resource.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ServiceResourceModel {
    /// Actions by name.
    #[serde(default)]
    pub actions: IndexMap<String, ActionModel>,
    /// Subresources by name.
    #[serde(default)]
    pub has: IndexMap<String, HasModel>,
    /// Collections by name.
    #[serde(default)]
    pub has_many: IndexMap<String, CollectionModel>,
}

/// One resource type.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ResourceModel {
    /// Its identifiers, in order.
    #[serde(default)]
    pub identifiers: Vec<IdentifierModel>,
    /// The shape of its data.
    #[serde(default)]
    pub shape: Option<String>,
    /// How its data is loaded.
    #[serde(default)]
    pub load: Option<LoadModel>,
    /// Actions by name.
    #[serde(default)]
    pub actions: IndexMap<String, ActionModel>,
    /// Actions on a whole collection of this type, by name.
    #[serde(default)]
    pub batch_actions: IndexMap<String, BatchActionModel>,
    /// Subresources and references by name.
    #[serde(default)]
    pub has: IndexMap<String, HasModel>,
    /// Collections by name.
    #[serde(default)]
    pub has_many: IndexMap<String, CollectionModel>,
    /// Waiters by name.
    #[serde(default)]
    pub waiters: IndexMap<String, ResourceWaiterModel>,
}

/// An identifier of a resource type.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct IdentifierModel {
    /// Its name.
    pub name: String,
    /// The data member that holds the same value.
    #[serde(default)]
    pub member_name: Option<String>,
}

/// A resource's `load`.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct LoadModel {
    /// The request sent.
    pub request: RequestModel,
    /// Where the data is in the response (`$` for all of it).
    #[serde(default)]
    pub path: Option<String>,
    /// Finds the data in a list by a member (boto3's hand-written s3 `Bucket.load`).
    #[serde(default)]
    pub find: Option<FindModel>,
    /// Copies response members into the data (boto3's hand-written s3 `ObjectSummary.load`).
    #[serde(default)]
    pub copy: Option<Vec<(String, String)>>,
}

/// The list to search and the member to match with the first identifier.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct FindModel {
    /// The list's path.
    pub path: String,
    /// The member compared with the identifier.
    pub member: String,
}

/// An action.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct ActionModel {
    /// The request sent.
    pub request: RequestModel,
    /// The resource(s) the response gives.
    #[serde(default)]
    pub resource: Option<ResponseResourceModel>,
}

/// A batch action.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct BatchActionModel {
    /// The request sent per page.
    pub request: RequestModel,
}

/// A request: the operation and the parameters filled in.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct RequestModel {
    /// The operation.
    pub operation: String,
    /// Parameters filled in from identifiers, data or constants.
    #[serde(default)]
    pub params: Vec<ParamModel>,
}

/// One request parameter.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct ParamModel {
    /// The input member path it sets.
    pub target: String,
    /// `identifier`, `data`, `string`, `integer`, `boolean` or `input`.
    pub source: String,
    /// The identifier's name.
    #[serde(default)]
    pub name: Option<String>,
    /// The data path.
    #[serde(default)]
    pub path: Option<String>,
    /// A constant.
    #[serde(default)]
    pub value: Option<Constant>,
}

/// A constant parameter value.
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
pub enum Constant {
    /// A boolean.
    Bool(bool),
    /// An integer.
    Int(i64),
    /// A string.
    Str(String),
}

/// A `has` entry: a subresource, or a reference when an identifier comes from data.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct HasModel {
    /// The resource it gives.
    pub resource: ResponseResourceModel,
}

/// A collection (`hasMany`).
#[derive(Debug, Clone, Default, Deserialize)]
pub struct CollectionModel {
    /// The request listing it.
    pub request: RequestModel,
    /// The resources each response gives.
    pub resource: ResponseResourceModel,
}

/// A resource built from a request, its response or the parent's data.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct ResponseResourceModel {
    /// The resource type.
    #[serde(rename = "type")]
    pub kind: String,
    /// Where each identifier comes from.
    #[serde(default)]
    pub identifiers: Vec<IdentifierSourceModel>,
    /// Where the resource's data is in the response.
    #[serde(default)]
    pub path: Option<String>,
    /// One resource per element of the first identifier's request list (boto3's hand-written
    /// ec2 `create_tags`).
    #[serde(default)]
    pub cross: bool,
}

/// Where one identifier of a built resource comes from.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct IdentifierSourceModel {
    /// The identifier set.
    pub target: String,
    /// `response`, `requestParameter`, `identifier`, `data` or `input`.
    pub source: String,
    /// The parent's identifier.
    #[serde(default)]
    pub name: Option<String>,
    /// The path in the response, request or data.
    #[serde(default)]
    pub path: Option<String>,
}

/// A resource waiter: a client waiter with parameters from identifiers.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ResourceWaiterModel {
    /// The client waiter.
    pub waiter_name: String,
    /// Its parameters.
    #[serde(default)]
    pub params: Vec<ParamModel>,
}

/// Parses a `resources-1.json` text, naming the file in the error.
pub fn parse(file: &str, text: &str) -> Result<ResourcesModel, String> {
    serde_json::from_str(text).map_err(|e| format!("{file}: {e}"))
}
