//! The schema description of shapes, operations and the service: every trait the runtime's codecs
//! read, decided once from the model. emit renders it as `static`s; the protocol conformance
//! runner turns the same description into runtime values, so the two cannot drift.

use crate::model::{Metadata, OperationModel, ShapeModel, ShapeRef, XmlNamespace};
use std::collections::BTreeMap;

/// The scalar kind of a shape (botocore's scalar `type`s; `character` is a string).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ScalarKind {
    /// `string` and `character`.
    String,
    /// `boolean`.
    Boolean,
    /// `byte`.
    Byte,
    /// `short`.
    Short,
    /// `integer`.
    Integer,
    /// `long`.
    Long,
    /// `float`.
    Float,
    /// `double`.
    Double,
    /// `timestamp`.
    Timestamp,
    /// `blob`.
    Blob,
    /// `document`, or a structure marked `document`.
    Document,
}

impl ScalarKind {
    /// The kind of a scalar shape `type` (`document` when the shape is marked so); `None` for
    /// aggregates and unknown types.
    pub fn from_model(kind: &str, document: bool) -> Option<ScalarKind> {
        if document {
            return Some(ScalarKind::Document);
        }
        Some(match kind {
            "string" | "character" => ScalarKind::String,
            "boolean" => ScalarKind::Boolean,
            "byte" => ScalarKind::Byte,
            "short" => ScalarKind::Short,
            "integer" => ScalarKind::Integer,
            "long" => ScalarKind::Long,
            "float" => ScalarKind::Float,
            "double" => ScalarKind::Double,
            "timestamp" => ScalarKind::Timestamp,
            "blob" => ScalarKind::Blob,
            "document" => ScalarKind::Document,
            _ => return None,
        })
    }

    /// The runtime's `Kind` variant name (`String`, `Boolean`, ...).
    pub fn kind_name(self) -> &'static str {
        match self {
            ScalarKind::String => "String",
            ScalarKind::Boolean => "Boolean",
            ScalarKind::Byte => "Byte",
            ScalarKind::Short => "Short",
            ScalarKind::Integer => "Integer",
            ScalarKind::Long => "Long",
            ScalarKind::Float => "Float",
            ScalarKind::Double => "Double",
            ScalarKind::Timestamp => "Timestamp",
            ScalarKind::Blob => "Blob",
            ScalarKind::Document => "Document",
        }
    }

    /// The name of the runtime's shared `prim` static for this kind (`STRING`, ...).
    pub fn prim_name(self) -> &'static str {
        match self {
            ScalarKind::String => "STRING",
            ScalarKind::Boolean => "BOOLEAN",
            ScalarKind::Byte => "BYTE",
            ScalarKind::Short => "SHORT",
            ScalarKind::Integer => "INTEGER",
            ScalarKind::Long => "LONG",
            ScalarKind::Float => "FLOAT",
            ScalarKind::Double => "DOUBLE",
            ScalarKind::Timestamp => "TIMESTAMP",
            ScalarKind::Blob => "BLOB",
            ScalarKind::Document => "DOCUMENT",
        }
    }
}

/// How a schema shape is built: the runtime's `Shape` constructor.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SchemaKind {
    /// `Shape::structure`.
    Structure,
    /// `Shape::union` (also event streams).
    Union,
    /// `Shape::list`: one member, `member`.
    List,
    /// `Shape::map`: two members, `key` and `value`.
    Map,
    /// `Shape::scalar` (string enums too).
    Scalar(ScalarKind),
}

/// A flag bit on a shape or member (the runtime's `schema::flags`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Flag {
    /// `flattened`.
    Flattened,
    /// `sensitive`.
    Sensitive,
    /// `streaming`.
    Streaming,
    /// `requiresLength`.
    RequiresLength,
    /// `eventstream`.
    Eventstream,
    /// `event`.
    Event,
    /// `error.senderFault`.
    SenderFault,
    /// `retryable` on an error shape.
    Retryable,
    /// `retryable.throttling`.
    RetryableThrottling,
    /// `xmlAttribute`.
    XmlAttribute,
    /// `hostLabel`.
    HostLabel,
    /// `idempotencyToken`.
    IdempotencyToken,
    /// `jsonvalue`.
    Jsonvalue,
    /// `eventpayload`.
    EventPayload,
    /// `eventheader`.
    EventHeader,
    /// Set by `customize`: an output's JSON document (IAM's policy documents).
    JsonDocument,
}

impl Flag {
    /// The name of the runtime constant (`flags::FLATTENED`).
    pub fn const_name(self) -> &'static str {
        match self {
            Flag::Flattened => "FLATTENED",
            Flag::Sensitive => "SENSITIVE",
            Flag::Streaming => "STREAMING",
            Flag::RequiresLength => "REQUIRES_LENGTH",
            Flag::Eventstream => "EVENTSTREAM",
            Flag::Event => "EVENT",
            Flag::SenderFault => "SENDER_FAULT",
            Flag::Retryable => "RETRYABLE",
            Flag::RetryableThrottling => "RETRYABLE_THROTTLING",
            Flag::XmlAttribute => "XML_ATTRIBUTE",
            Flag::HostLabel => "HOST_LABEL",
            Flag::IdempotencyToken => "IDEMPOTENCY_TOKEN",
            Flag::Jsonvalue => "JSONVALUE",
            Flag::EventPayload => "EVENT_PAYLOAD",
            Flag::EventHeader => "EVENT_HEADER",
            Flag::JsonDocument => "JSON_DOCUMENT",
        }
    }
}

/// A flag bit on an operation (the runtime's `schema::op_flags`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OpFlag {
    /// `httpChecksumRequired`.
    ChecksumRequired,
    /// `httpChecksum.requestChecksumRequired`.
    RequestChecksumRequired,
    /// `idempotent`.
    Idempotent,
    /// Not signed (`authtype: none`, or `smithy.api#noAuth` first in `auth`).
    Unsigned,
    /// Signed without hashing the body (`authtype: v4-unsigned-body`).
    UnsignedBody,
    /// Calls go to a discovered endpoint (`endpointdiscovery`).
    DiscoveredEndpoint,
    /// ... and must (`endpointdiscovery.required`).
    DiscoveryRequired,
    /// The operation that discovers endpoints (`endpointoperation`).
    DiscoveryOperation,
    /// The body may be sent gzip-compressed (`requestcompression` lists `gzip`).
    RequestCompression,
}

/// One auth scheme of a service's model (`auth`, else `signatureVersion`), as the runtime's
/// `schema::AuthOption`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AuthOption {
    SigV4,
    SigV4a,
    Bearer,
    NoAuth,
    /// A scheme the runtime does not implement, by its model name (`v2`).
    Unsupported(String),
}

impl AuthOption {
    /// The service's auth schemes in order of preference: its `auth` list, else its
    /// `signatureVersion` (SigV4 when it has neither).
    pub fn for_service(md: &Metadata) -> Vec<AuthOption> {
        if !md.auth.is_empty() {
            return md.auth.iter().map(|a| AuthOption::from_trait(a)).collect();
        }
        vec![match md.signature_version.as_deref() {
            None | Some("v4" | "s3v4" | "s3") => AuthOption::SigV4,
            Some("v4a" | "s3v4a") => AuthOption::SigV4a,
            Some("bearer") => AuthOption::Bearer,
            Some(other) => AuthOption::Unsupported(other.to_string()),
        }]
    }

    /// A Smithy auth trait name (`aws.auth#sigv4`).
    pub fn from_trait(name: &str) -> AuthOption {
        match name {
            "aws.auth#sigv4" => AuthOption::SigV4,
            "aws.auth#sigv4a" => AuthOption::SigV4a,
            "smithy.api#httpBearerAuth" => AuthOption::Bearer,
            "smithy.api#noAuth" => AuthOption::NoAuth,
            other => AuthOption::Unsupported(other.to_string()),
        }
    }
}

impl OpFlag {
    /// The name of the runtime constant (`op_flags::IDEMPOTENT`).
    pub fn const_name(self) -> &'static str {
        match self {
            OpFlag::ChecksumRequired => "CHECKSUM_REQUIRED",
            OpFlag::RequestChecksumRequired => "REQUEST_CHECKSUM_REQUIRED",
            OpFlag::Idempotent => "IDEMPOTENT",
            OpFlag::Unsigned => "UNSIGNED",
            OpFlag::UnsignedBody => "UNSIGNED_BODY",
            OpFlag::DiscoveredEndpoint => "DISCOVERED_ENDPOINT",
            OpFlag::DiscoveryRequired => "DISCOVERY_REQUIRED",
            OpFlag::DiscoveryOperation => "DISCOVERY_OPERATION",
            OpFlag::RequestCompression => "REQUEST_COMPRESSION",
        }
    }
}

/// Where a member travels (botocore's `location`), when not in the body.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Location {
    /// `uri`.
    Uri,
    /// `querystring`.
    Querystring,
    /// `header`.
    Header,
    /// `headers` (a prefixed map).
    Headers,
    /// `statusCode`.
    StatusCode,
}

impl Location {
    /// The location named in the model, `None` for an unknown one.
    pub fn from_model(l: &str) -> Option<Location> {
        Some(match l {
            "uri" => Location::Uri,
            "querystring" => Location::Querystring,
            "header" => Location::Header,
            "headers" => Location::Headers,
            "statusCode" => Location::StatusCode,
            _ => return None,
        })
    }

    /// The runtime's `Location` variant name.
    pub fn variant_name(self) -> &'static str {
        match self {
            Location::Uri => "Uri",
            Location::Querystring => "Querystring",
            Location::Header => "Header",
            Location::Headers => "Headers",
            Location::StatusCode => "StatusCode",
        }
    }
}

/// A timestamp format (botocore's `timestampFormat`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TsFormat {
    /// `iso8601`.
    Iso8601,
    /// `rfc822`.
    Rfc822,
    /// `unixTimestamp`.
    UnixTimestamp,
    /// Anything else: the protocol's default.
    Default,
}

impl TsFormat {
    /// The format named in the model.
    pub fn from_model(f: &str) -> TsFormat {
        match f {
            "iso8601" => TsFormat::Iso8601,
            "rfc822" => TsFormat::Rfc822,
            "unixTimestamp" => TsFormat::UnixTimestamp,
            _ => TsFormat::Default,
        }
    }

    /// The runtime's `TimestampFormat` variant name.
    pub fn variant_name(self) -> &'static str {
        match self {
            TsFormat::Iso8601 => "Iso8601",
            TsFormat::Rfc822 => "Rfc822",
            TsFormat::UnixTimestamp => "UnixTimestamp",
            TsFormat::Default => "Default",
        }
    }
}

/// The protocol a service speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Protocol {
    /// `ec2`.
    Ec2,
    /// `query`.
    Query,
    /// `json`.
    Json,
    /// `rest-json`.
    RestJson,
    /// `rest-xml`.
    RestXml,
    /// `smithy-rpc-v2-cbor`.
    RpcV2Cbor,
}

impl Protocol {
    /// The protocol botocore names so; `None` for one the runtime does not speak.
    pub fn from_model(p: &str) -> Option<Protocol> {
        Some(match p {
            "ec2" => Protocol::Ec2,
            "query" => Protocol::Query,
            "json" => Protocol::Json,
            "rest-json" => Protocol::RestJson,
            "rest-xml" => Protocol::RestXml,
            "smithy-rpc-v2-cbor" => Protocol::RpcV2Cbor,
            _ => return None,
        })
    }

    /// The runtime's `Protocol` variant name.
    pub fn variant_name(self) -> &'static str {
        match self {
            Protocol::Ec2 => "Ec2",
            Protocol::Query => "Query",
            Protocol::Json => "Json",
            Protocol::RestJson => "RestJson",
            Protocol::RestXml => "RestXml",
            Protocol::RpcV2Cbor => "RpcV2Cbor",
        }
    }
}

/// One shape's schema.
#[derive(Debug, Clone)]
pub struct ShapeSchema {
    /// The model's shape name.
    pub wire: String,
    /// The runtime's shared `prim` shape stands for this one (a scalar with no traits of its own).
    pub prim: Option<ScalarKind>,
    /// How it is built.
    pub kind: SchemaKind,
    /// Structure and union members; list `member`; map `key` and `value`.
    pub members: Vec<MemberSchema>,
    /// Flags, in the order they are written.
    pub flags: Vec<Flag>,
    /// The shape's own `locationName`.
    pub xml_name: Option<String>,
    /// XML namespace: (prefix, uri).
    pub xml_namespace: Option<(String, String)>,
    /// `timestampFormat`.
    pub ts_format: Option<TsFormat>,
    /// The payload member.
    pub payload: Option<String>,
    /// `min`, where validation checks it (a length for strings and lists, a value for numbers).
    pub min: Option<f64>,
    /// An error shape's code and HTTP status.
    pub error: Option<(String, u16)>,
}

/// A member (or list member, map key or value) of a shape.
#[derive(Debug, Clone)]
pub struct MemberSchema {
    /// The member name (`member`, `key`, `value` for lists and maps).
    pub name: String,
    /// The target shape's model name.
    pub target: String,
    /// Where it travels, when not in the body.
    pub location: Option<Location>,
    /// `locationName` (the member's own, else its target's when the location is the target's).
    pub location_name: Option<String>,
    /// `queryName`.
    pub query_name: Option<String>,
    /// Required by the model.
    pub required: bool,
    /// Flags, in the order they are written.
    pub flags: Vec<Flag>,
    /// XML namespace: (prefix, uri).
    pub xml_namespace: Option<(String, String)>,
    /// `timestampFormat`.
    pub ts_format: Option<TsFormat>,
}

/// One operation's schema.
#[derive(Debug, Clone)]
pub struct OperationSchema {
    /// The operation name.
    pub wire: String,
    /// HTTP method and URI, when not `POST /`.
    pub http: Option<(String, String)>,
    /// Success status code.
    pub response_code: Option<u16>,
    /// Input shape.
    pub input: Option<String>,
    /// Output shape.
    pub output: Option<String>,
    /// The output's `resultWrapper`.
    pub result_wrapper: Option<String>,
    /// Modeled errors.
    pub errors: Vec<String>,
    /// `endpoint.hostPrefix`.
    pub host_prefix: Option<String>,
    /// The input reference's `locationName` and namespace (the XML root of the body).
    pub input_xml: Option<(String, Option<(String, String)>)>,
    /// `httpChecksum.requestAlgorithmMember`.
    pub checksum_algorithm_member: Option<String>,
    /// `httpChecksum.requestValidationModeMember` and `responseAlgorithms`.
    pub checksum_validation: Option<(String, Vec<String>)>,
    /// Flags, in the order they are written.
    pub flags: Vec<OpFlag>,
    /// Endpoint parameters the operation sets (see [`super::endpoints::operation_params`]).
    pub endpoint_params: Vec<(String, super::endpoints::ContextSource)>,
}

/// The service's schema (`SERVICE`).
#[derive(Debug, Clone)]
pub struct ServiceSchema {
    /// botocore's folder name.
    pub name: String,
    /// `serviceId`.
    pub service_id: String,
    /// `apiVersion`.
    pub api_version: String,
    /// `endpointPrefix`.
    pub endpoint_prefix: String,
    /// `signingName`, else the endpoint prefix.
    pub signing_name: String,
    /// The protocol.
    pub protocol: Protocol,
    /// `jsonVersion`.
    pub json_version: Option<String>,
    /// `targetPrefix`.
    pub target_prefix: Option<String>,
    /// `xmlNamespace`.
    pub xml_namespace: Option<String>,
    /// `awsQueryCompatible`.
    pub query_compatible: bool,
    /// The model's `clientContextParams`: endpoint parameters set by client configuration.
    pub client_context_params: Vec<String>,
    /// Every exception shape, by model name.
    pub errors: Vec<String>,
    /// The auth schemes the service supports, preferred first.
    pub auth: Vec<AuthOption>,
    /// Timestamps are sent with millisecond precision (botocore's
    /// `enable_millisecond_timestamp_precision`, for bedrock-agentcore).
    pub timestamp_millis: bool,
}

/// An `xmlNamespace` as (prefix, uri).
fn ns(n: &Option<XmlNamespace>) -> Option<(String, String)> {
    n.as_ref().map(XmlNamespace::parts)
}

/// True for the kinds whose `min` botocore validates (a length for strings and lists, a value
/// for numbers); the runtime checks nothing else of the ranges either.
fn min_is_validated(kind: SchemaKind) -> bool {
    matches!(
        kind,
        SchemaKind::List
            | SchemaKind::Scalar(
                ScalarKind::String
                    | ScalarKind::Integer
                    | ScalarKind::Long
                    | ScalarKind::Float
                    | ScalarKind::Double
            )
    )
}

/// True when a scalar shape of `kind` carries no trait of its own, so the runtime's shared `prim`
/// shape stands for it.
fn scalar_is_plain(s: &ShapeModel, kind: SchemaKind) -> bool {
    // A `min` that validation checks needs the shape's own static.
    let validated_min = s.min.is_some() && min_is_validated(kind);
    !validated_min
        && s.timestamp_format.is_none()
        && s.location_name.is_none()
        && s.xml_namespace.is_none()
        && !s.sensitive
        && !s.streaming
        && !s.flattened
}

/// How a model shape is built; `None` for an unknown `type`.
pub fn schema_kind(s: &ShapeModel) -> Option<SchemaKind> {
    Some(match s.kind.as_str() {
        "structure" if s.document => SchemaKind::Scalar(ScalarKind::Document),
        "structure" if s.union || s.eventstream => SchemaKind::Union,
        "structure" => SchemaKind::Structure,
        "union" => SchemaKind::Union,
        "list" => SchemaKind::List,
        "map" => SchemaKind::Map,
        k => SchemaKind::Scalar(ScalarKind::from_model(k, s.document)?),
    })
}

/// The schema of model shape `name`; `shapes` resolves the locations members inherit from
/// their targets. An unknown shape type is an error.
pub fn shape_schema(
    name: &str,
    s: &ShapeModel,
    shapes: &BTreeMap<String, ShapeModel>,
) -> Result<ShapeSchema, String> {
    let kind = schema_kind(s).ok_or_else(|| format!("unknown shape type {:?}", s.kind))?;
    let prim = match kind {
        SchemaKind::Scalar(k) if s.enum_values.is_empty() && scalar_is_plain(s, kind) => Some(k),
        _ => None,
    };
    let member = |n: &str, r: &ShapeRef, required: bool| member_schema(n, r, required, shapes);
    let members = match kind {
        SchemaKind::Structure | SchemaKind::Union => s
            .members
            .iter()
            .map(|(n, r)| member(n, r, s.required.iter().any(|q| q == n)))
            .collect(),
        SchemaKind::List => {
            let m = s.member.as_ref().ok_or("a list without a member")?;
            vec![member("member", m, false)]
        }
        SchemaKind::Map => {
            let (Some(k), Some(v)) = (&s.key, &s.value) else {
                return Err("a map without a key and a value".into());
            };
            vec![member("key", k, false), member("value", v, false)]
        }
        SchemaKind::Scalar(_) => Vec::new(),
    };
    let throttling = s
        .retryable
        .as_ref()
        .is_some_and(|r| r["throttling"].as_bool() == Some(true));
    let flags = [
        (s.flattened, Flag::Flattened),
        (s.sensitive, Flag::Sensitive),
        (s.streaming, Flag::Streaming),
        (s.requires_length, Flag::RequiresLength),
        (s.eventstream, Flag::Eventstream),
        (s.event, Flag::Event),
        (
            s.error.as_ref().is_some_and(|e| e.sender_fault),
            Flag::SenderFault,
        ),
        (s.retryable.is_some(), Flag::Retryable),
        (throttling, Flag::RetryableThrottling),
    ]
    .into_iter()
    .filter_map(|(on, f)| on.then_some(f))
    .collect();
    let error = s.exception.then(|| {
        let e = s.error.clone().unwrap_or_default();
        (
            e.code.unwrap_or_else(|| name.to_string()),
            e.http_status_code.unwrap_or(400),
        )
    });
    Ok(ShapeSchema {
        wire: name.to_string(),
        prim,
        kind,
        members,
        flags,
        xml_name: s.location_name.clone(),
        xml_namespace: ns(&s.xml_namespace),
        ts_format: s.timestamp_format.as_deref().map(TsFormat::from_model),
        payload: s.payload.clone(),
        min: s.min.filter(|_| min_is_validated(kind)),
        error,
    })
}

/// The schema of a member reference.
pub fn member_schema(
    name: &str,
    r: &ShapeRef,
    required: bool,
    shapes: &BTreeMap<String, ShapeModel>,
) -> MemberSchema {
    let (location, location_name) = r.resolved_location(shapes.get(&r.shape));
    let flags = [
        (r.flattened, Flag::Flattened),
        (r.xml_attribute, Flag::XmlAttribute),
        (r.host_label, Flag::HostLabel),
        (r.idempotency_token, Flag::IdempotencyToken),
        (r.jsonvalue, Flag::Jsonvalue),
        (r.streaming, Flag::Streaming),
        (r.eventpayload, Flag::EventPayload),
        (r.eventheader, Flag::EventHeader),
        (r.json_document, Flag::JsonDocument),
    ]
    .into_iter()
    .filter_map(|(on, f)| on.then_some(f))
    .collect();
    MemberSchema {
        name: name.to_string(),
        target: r.shape.clone(),
        location: location.and_then(Location::from_model),
        location_name: location_name.map(str::to_string),
        query_name: r.query_name.clone(),
        required,
        flags,
        xml_namespace: ns(&r.xml_namespace),
        ts_format: r.timestamp_format.as_deref().map(TsFormat::from_model),
    }
}

/// The schema of an operation.
pub fn operation_schema(op: &OperationModel) -> OperationSchema {
    let http = (op.http.method != "POST" || op.http.request_uri != "/")
        .then(|| (op.http.method.clone(), op.http.request_uri.clone()));
    let checksum = op.http_checksum.clone().unwrap_or_default();
    let flags = [
        (op.http_checksum_required, OpFlag::ChecksumRequired),
        (
            checksum.request_checksum_required,
            OpFlag::RequestChecksumRequired,
        ),
        (op.idempotent, OpFlag::Idempotent),
        (
            op.authtype.as_deref() == Some("none")
                || op.auth.first().map(String::as_str) == Some("smithy.api#noAuth"),
            OpFlag::Unsigned,
        ),
        (
            op.authtype.as_deref() == Some("v4-unsigned-body"),
            OpFlag::UnsignedBody,
        ),
        (op.endpointdiscovery.is_some(), OpFlag::DiscoveredEndpoint),
        (
            op.endpointdiscovery.as_ref().is_some_and(|d| d.required),
            OpFlag::DiscoveryRequired,
        ),
        (op.endpointoperation, OpFlag::DiscoveryOperation),
        (
            op.requestcompression
                .as_ref()
                .is_some_and(|c| c.encodings.iter().any(|e| e == "gzip")),
            OpFlag::RequestCompression,
        ),
    ]
    .into_iter()
    .filter_map(|(on, f)| on.then_some(f))
    .collect();
    OperationSchema {
        wire: op.name.clone(),
        http,
        response_code: op.http.response_code,
        input: op.input.as_ref().map(|r| r.shape.clone()),
        output: op.output.as_ref().map(|r| r.shape.clone()),
        result_wrapper: op.output.as_ref().and_then(|o| o.result_wrapper.clone()),
        errors: op.errors.iter().map(|r| r.shape.clone()).collect(),
        host_prefix: op.endpoint.as_ref().and_then(|e| e.host_prefix.clone()),
        input_xml: op.input.as_ref().and_then(|i| {
            let n = i.location_name.clone()?;
            Some((n, ns(&i.xml_namespace)))
        }),
        checksum_validation: checksum
            .request_validation_mode_member
            .map(|m| (m, checksum.response_algorithms)),
        checksum_algorithm_member: checksum.request_algorithm_member,
        flags,
        endpoint_params: Vec::new(),
    }
}

/// The service's schema: `name` is the crate (botocore folder) name.
pub fn service_schema(
    name: &str,
    md: &Metadata,
    protocol: Protocol,
    shapes: &BTreeMap<String, ShapeModel>,
) -> ServiceSchema {
    ServiceSchema {
        name: name.to_string(),
        service_id: md.service_id.clone().unwrap_or_else(|| name.to_string()),
        api_version: md.api_version.clone(),
        endpoint_prefix: md.endpoint_prefix.clone(),
        signing_name: md
            .signing_name
            .clone()
            .unwrap_or_else(|| md.endpoint_prefix.clone()),
        protocol,
        json_version: md.json_version.clone(),
        target_prefix: md.target_prefix.clone(),
        xml_namespace: md.xml_namespace.clone(),
        query_compatible: md.aws_query_compatible.is_some(),
        client_context_params: Vec::new(),
        auth: AuthOption::for_service(md),
        timestamp_millis: name.replace('_', "-") == "bedrock-agentcore",
        errors: shapes
            .iter()
            .filter(|(_, s)| s.exception)
            .map(|(n, _)| n.clone())
            .collect(),
    }
}
