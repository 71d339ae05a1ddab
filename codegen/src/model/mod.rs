//! The model stage: botocore's and boto3's JSON model files as they are, as serde types.
//! `service-2.json` here; `paginators-1.json`, `waiters-2.json` and `resources-1.json` in the
//! submodules.

pub mod endpoints;
pub mod paginators;
pub mod resources;
pub mod waiters;

use indexmap::IndexMap;
use serde::Deserialize;
use std::collections::BTreeMap;

/// A `service-2.json` file.
#[derive(Debug, Clone, Deserialize)]
pub struct ServiceModel {
    /// `metadata`.
    pub metadata: Metadata,
    /// `operations` by name.
    #[serde(default)]
    pub operations: BTreeMap<String, OperationModel>,
    /// `shapes` by name.
    #[serde(default)]
    pub shapes: BTreeMap<String, ShapeModel>,
    /// Service documentation.
    #[serde(default)]
    pub documentation: Option<String>,
    /// `clientContextParams`: endpoint parameters a client's configuration sets, by name.
    #[serde(default, rename = "clientContextParams")]
    pub client_context_params: IndexMap<String, ClientContextParam>,
}

/// One of the model's `clientContextParams`.
#[derive(Debug, Clone, Deserialize)]
pub struct ClientContextParam {
    /// `string` or `boolean`.
    #[serde(rename = "type")]
    pub kind: String,
    /// What it means.
    #[serde(default)]
    pub documentation: Option<String>,
}

/// One of an operation's `staticContextParams`.
#[derive(Debug, Clone, Deserialize)]
pub struct StaticContextParam {
    /// The value the parameter always has for the operation.
    pub value: serde_json::Value,
}

/// One of an operation's `operationContextParams`.
#[derive(Debug, Clone, Deserialize)]
pub struct OperationContextParam {
    /// A JMESPath expression over the input.
    pub path: String,
}

/// A member's `contextParam`.
#[derive(Debug, Clone, Deserialize)]
pub struct ContextParam {
    /// The endpoint parameter the member's value fills.
    pub name: String,
}

/// Service `metadata`.
#[derive(Debug, Clone, Deserialize, Default)]
#[serde(rename_all = "camelCase")]
pub struct Metadata {
    /// `apiVersion`.
    #[serde(default)]
    pub api_version: String,
    /// `endpointPrefix`.
    #[serde(default)]
    pub endpoint_prefix: String,
    /// `protocol`.
    #[serde(default)]
    pub protocol: String,
    /// `protocols`, in preference order.
    #[serde(default)]
    pub protocols: Vec<String>,
    /// `serviceId`.
    #[serde(default)]
    pub service_id: Option<String>,
    /// `serviceFullName`.
    #[serde(default)]
    pub service_full_name: Option<String>,
    /// `signingName`.
    #[serde(default)]
    pub signing_name: Option<String>,
    /// `jsonVersion`.
    #[serde(default)]
    pub json_version: Option<String>,
    /// `targetPrefix`.
    #[serde(default)]
    pub target_prefix: Option<String>,
    /// `xmlNamespace`.
    #[serde(default)]
    pub xml_namespace: Option<String>,
    /// `globalEndpoint`.
    #[serde(default)]
    pub global_endpoint: Option<String>,
    /// `awsQueryCompatible`.
    #[serde(default)]
    pub aws_query_compatible: Option<serde_json::Value>,
    /// `auth`: the auth schemes the service supports, preferred first.
    #[serde(default)]
    pub auth: Vec<String>,
    /// `signatureVersion` (`v4`, `bearer`, ...), used when there is no `auth` list.
    #[serde(default)]
    pub signature_version: Option<String>,
}

/// One operation.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct OperationModel {
    /// Name.
    pub name: String,
    /// HTTP binding.
    #[serde(default)]
    pub http: Http,
    /// Input shape reference.
    #[serde(default)]
    pub input: Option<ShapeRef>,
    /// Output shape reference.
    #[serde(default)]
    pub output: Option<ShapeRef>,
    /// Error shape references.
    #[serde(default)]
    pub errors: Vec<ShapeRef>,
    /// Documentation (HTML).
    #[serde(default)]
    pub documentation: Option<String>,
    /// `endpoint.hostPrefix`.
    #[serde(default)]
    pub endpoint: Option<EndpointTrait>,
    /// `httpChecksumRequired`.
    #[serde(default)]
    pub http_checksum_required: bool,
    /// `httpChecksum` (flexible request checksums).
    #[serde(default)]
    pub http_checksum: Option<HttpChecksum>,
    /// `idempotent`.
    #[serde(default)]
    pub idempotent: bool,
    /// `deprecated`.
    #[serde(default)]
    pub deprecated: bool,
    /// `authtype`.
    #[serde(default)]
    pub authtype: Option<String>,
    /// `auth`: the operation's own auth schemes, preferred first.
    #[serde(default)]
    pub auth: Vec<String>,
    /// `requestcompression`: the encodings the request body may be compressed with.
    #[serde(default)]
    pub requestcompression: Option<RequestCompression>,
    /// `endpointoperation`: this operation discovers the service's endpoints.
    #[serde(default)]
    pub endpointoperation: bool,
    /// `endpointdiscovery`: calls of this operation go to a discovered endpoint.
    #[serde(default)]
    pub endpointdiscovery: Option<EndpointDiscovery>,
    /// `staticContextParams`: endpoint parameters with a fixed value for this operation.
    #[serde(default)]
    pub static_context_params: IndexMap<String, StaticContextParam>,
    /// `operationContextParams`: endpoint parameters taken from the input by a JMESPath path.
    #[serde(default)]
    pub operation_context_params: IndexMap<String, OperationContextParam>,
}

/// `requestcompression` trait of an operation.
#[derive(Debug, Clone, Deserialize, Default)]
pub struct RequestCompression {
    /// Encodings, preferred first (`gzip`).
    #[serde(default)]
    pub encodings: Vec<String>,
}

/// `endpointdiscovery` trait of an operation.
#[derive(Debug, Clone, Deserialize, Default)]
pub struct EndpointDiscovery {
    /// Calls must go to a discovered endpoint.
    #[serde(default)]
    pub required: bool,
}

/// `httpChecksum` trait of an operation.
#[derive(Debug, Clone, Deserialize, Default)]
#[serde(rename_all = "camelCase")]
pub struct HttpChecksum {
    /// A request checksum is always sent.
    #[serde(default)]
    pub request_checksum_required: bool,
    /// The input member that names the checksum algorithm.
    #[serde(default)]
    pub request_algorithm_member: Option<String>,
    /// The input member that asks for the response's checksum (`ChecksumMode`).
    #[serde(default)]
    pub request_validation_mode_member: Option<String>,
    /// The checksum algorithms a response may carry.
    #[serde(default)]
    pub response_algorithms: Vec<String>,
}

/// `endpoint` trait of an operation.
#[derive(Debug, Clone, Deserialize, Default)]
#[serde(rename_all = "camelCase")]
pub struct EndpointTrait {
    /// `hostPrefix`.
    #[serde(default)]
    pub host_prefix: Option<String>,
}

/// An operation's `http`.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Http {
    /// Method.
    #[serde(default = "post")]
    pub method: String,
    /// URI template.
    #[serde(default = "slash")]
    pub request_uri: String,
    /// Success status code.
    #[serde(default)]
    pub response_code: Option<u16>,
}

impl Default for Http {
    fn default() -> Self {
        Http {
            method: post(),
            request_uri: slash(),
            response_code: None,
        }
    }
}

fn post() -> String {
    "POST".into()
}
fn slash() -> String {
    "/".into()
}

/// A reference to a shape with serialisation traits (members, list members, operation input/output).
#[derive(Debug, Clone, Deserialize, Default)]
#[serde(rename_all = "camelCase")]
pub struct ShapeRef {
    /// Target shape name.
    pub shape: String,
    /// `location`.
    #[serde(default)]
    pub location: Option<String>,
    /// `locationName`.
    #[serde(default)]
    pub location_name: Option<String>,
    /// `queryName`.
    #[serde(default)]
    pub query_name: Option<String>,
    /// `flattened`.
    #[serde(default)]
    pub flattened: bool,
    /// `xmlAttribute`.
    #[serde(default)]
    pub xml_attribute: bool,
    /// `xmlNamespace`.
    #[serde(default)]
    pub xml_namespace: Option<XmlNamespace>,
    /// `timestampFormat`.
    #[serde(default)]
    pub timestamp_format: Option<String>,
    /// `hostLabel`.
    #[serde(default)]
    pub host_label: bool,
    /// `idempotencyToken`.
    #[serde(default)]
    pub idempotency_token: bool,
    /// `jsonvalue`.
    #[serde(default)]
    pub jsonvalue: bool,
    /// `streaming`.
    #[serde(default)]
    pub streaming: bool,
    /// `eventpayload`.
    #[serde(default)]
    pub eventpayload: bool,
    /// `eventheader`.
    #[serde(default)]
    pub eventheader: bool,
    /// Not in the model: set by [`crate::customize`] on the output members botocore decodes as
    /// JSON documents (IAM's policy documents).
    #[serde(skip)]
    pub json_document: bool,
    /// `resultWrapper` (operation output refs).
    #[serde(default)]
    pub result_wrapper: Option<String>,
    /// `payload` (legacy test suites put it on the input reference).
    #[serde(default)]
    pub payload: Option<String>,
    /// `deprecated`.
    #[serde(default)]
    pub deprecated: bool,
    /// Documentation (HTML).
    #[serde(default)]
    pub documentation: Option<String>,
    /// `contextParam`: the endpoint parameter this member's value fills.
    #[serde(default)]
    pub context_param: Option<ContextParam>,
}

/// `xmlNamespace`: a URI string or `{prefix, uri}`.
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
pub enum XmlNamespace {
    /// Just the URI.
    Uri(String),
    /// Prefix and URI.
    Full {
        /// Prefix.
        #[serde(default)]
        prefix: Option<String>,
        /// URI.
        #[serde(default)]
        uri: String,
    },
}

impl XmlNamespace {
    /// (prefix, uri).
    pub fn parts(&self) -> (String, String) {
        match self {
            XmlNamespace::Uri(u) => (String::new(), u.clone()),
            XmlNamespace::Full { prefix, uri } => (prefix.clone().unwrap_or_default(), uri.clone()),
        }
    }
}

/// One shape.
#[derive(Debug, Clone, Deserialize, Default)]
#[serde(rename_all = "camelCase")]
pub struct ShapeModel {
    /// `type`.
    #[serde(rename = "type")]
    pub kind: String,
    /// `retryable` on error shapes: `{"throttling": bool}`.
    #[serde(default)]
    pub retryable: Option<serde_json::Value>,
    /// Structure members, in model order (the wire order for query protocols).
    #[serde(default)]
    pub members: IndexMap<String, ShapeRef>,
    /// List member.
    #[serde(default)]
    pub member: Option<ShapeRef>,
    /// Map key.
    #[serde(default)]
    pub key: Option<ShapeRef>,
    /// Map value.
    #[serde(default)]
    pub value: Option<ShapeRef>,
    /// Required member names.
    #[serde(default)]
    pub required: Vec<String>,
    /// Enum values.
    #[serde(default, rename = "enum")]
    pub enum_values: Vec<String>,
    /// `flattened`.
    #[serde(default)]
    pub flattened: bool,
    /// `locationName`.
    #[serde(default)]
    pub location_name: Option<String>,
    /// `location`: shapes may carry it themselves (botocore merges it into members).
    #[serde(default)]
    pub location: Option<String>,
    /// `xmlNamespace`.
    #[serde(default)]
    pub xml_namespace: Option<XmlNamespace>,
    /// `timestampFormat`.
    #[serde(default)]
    pub timestamp_format: Option<String>,
    /// `payload` member name.
    #[serde(default)]
    pub payload: Option<String>,
    /// `exception`.
    #[serde(default)]
    pub exception: bool,
    /// `fault`.
    #[serde(default)]
    pub fault: bool,
    /// `error` trait.
    #[serde(default)]
    pub error: Option<ErrorTrait>,
    /// `sensitive`.
    #[serde(default)]
    pub sensitive: bool,
    /// `streaming`.
    #[serde(default)]
    pub streaming: bool,
    /// `requiresLength`.
    #[serde(default)]
    pub requires_length: bool,
    /// `union`.
    #[serde(default)]
    pub union: bool,
    /// `document`.
    #[serde(default)]
    pub document: bool,
    /// `event`.
    #[serde(default)]
    pub event: bool,
    /// `eventstream`.
    #[serde(default)]
    pub eventstream: bool,
    /// `min`.
    #[serde(default)]
    pub min: Option<f64>,
    /// `max`.
    #[serde(default)]
    pub max: Option<f64>,
    /// `deprecated`.
    #[serde(default)]
    pub deprecated: bool,
    /// Documentation (HTML).
    #[serde(default)]
    pub documentation: Option<String>,
}

/// The `error` trait of an exception shape.
#[derive(Debug, Clone, Deserialize, Default)]
#[serde(rename_all = "camelCase")]
pub struct ErrorTrait {
    /// Error code, when it differs from the shape name.
    #[serde(default)]
    pub code: Option<String>,
    /// HTTP status.
    #[serde(default)]
    pub http_status_code: Option<u16>,
    /// True for client faults.
    #[serde(default)]
    pub sender_fault: bool,
}

/// Parses a `service-2.json` text, naming the file in the error.
pub fn parse_service(file: &str, text: &str) -> Result<ServiceModel, String> {
    serde_json::from_str(text).map_err(|e| format!("{file}: {e}"))
}

impl ShapeRef {
    /// The member's `location` and its `locationName`, as botocore resolves them: the member's
    /// own, else those of the target shape (a shape may declare `location: header` itself).
    pub fn resolved_location<'a>(
        &'a self,
        target: Option<&'a ShapeModel>,
    ) -> (Option<&'a str>, Option<&'a str>) {
        match (&self.location, target.and_then(|t| t.location.as_deref())) {
            (Some(l), _) => (Some(l.as_str()), self.location_name.as_deref()),
            (None, Some(l)) => (
                Some(l),
                self.location_name
                    .as_deref()
                    .or(target.and_then(|t| t.location_name.as_deref())),
            ),
            (None, None) => (None, self.location_name.as_deref()),
        }
    }
}
