//! Static descriptions of shapes, operations and services: what generated crates emit and codecs walk.
//!
//! Generated code declares one `static` [`Shape`] per model shape and one [`Operation`] per
//! operation; the protocol codecs in this crate read them to serialise requests and parse
//! responses, so no per-shape codec code is generated.

/// What kind of value a shape describes (botocore's shape `type`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A structure: named members.
    Structure,
    /// A tagged union: exactly one member set.
    Union,
    /// A list of one member shape.
    List,
    /// A map from string keys to one value shape.
    Map,
    /// Text (also `character`).
    String,
    /// `true` / `false`.
    Boolean,
    /// 8-bit integer.
    Byte,
    /// 16-bit integer.
    Short,
    /// 32-bit integer.
    Integer,
    /// 64-bit integer.
    Long,
    /// 32-bit float.
    Float,
    /// 64-bit float.
    Double,
    /// A timestamp.
    Timestamp,
    /// Binary data.
    Blob,
    /// An untyped JSON-like document.
    Document,
}

impl Kind {
    /// True for integer kinds.
    pub fn is_integer(self) -> bool {
        matches!(self, Kind::Byte | Kind::Short | Kind::Integer | Kind::Long)
    }
}

/// How a timestamp is written on the wire (botocore's `timestampFormat`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TimestampFormat {
    /// The protocol's default for the location.
    Default,
    /// `2014-04-29T18:30:38Z`
    Iso8601,
    /// `Tue, 29 Apr 2014 18:30:38 GMT`
    Rfc822,
    /// Seconds since the epoch.
    UnixTimestamp,
}

/// Where a member travels in an HTTP request or response (botocore's `location`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Location {
    /// In the body (the default).
    Body,
    /// A URI path label.
    Uri,
    /// A query-string parameter.
    Querystring,
    /// One header.
    Header,
    /// A map of headers sharing a prefix.
    Headers,
    /// The HTTP status code.
    StatusCode,
}

impl Location {
    /// True for members a response carries in its body: URI and query-string members of a shape
    /// used as output are read from the body too.
    pub fn in_response_body(self) -> bool {
        matches!(self, Location::Body | Location::Uri | Location::Querystring)
    }
}

/// Flag bits on shapes and members.
pub mod flags {
    /// Lists and maps: serialised without a wrapper element.
    pub const FLATTENED: u32 = 1;
    /// The value must not appear in logs or `Debug` output.
    pub const SENSITIVE: u32 = 1 << 1;
    /// A streaming blob or event stream.
    pub const STREAMING: u32 = 1 << 2;
    /// The shape is an error (exception) shape.
    pub const EXCEPTION: u32 = 1 << 3;
    /// The error is the caller's fault (HTTP 4xx) rather than the service's.
    pub const SENDER_FAULT: u32 = 1 << 4;
    /// The shape is an event stream.
    pub const EVENTSTREAM: u32 = 1 << 6;
    /// The shape is an event of an event stream.
    pub const EVENT: u32 = 1 << 7;
    /// Member is required.
    pub const REQUIRED: u32 = 1 << 8;
    /// Member is an XML attribute.
    pub const XML_ATTRIBUTE: u32 = 1 << 9;
    /// Member fills a `{label}` in the endpoint host prefix.
    pub const HOST_LABEL: u32 = 1 << 10;
    /// Member is filled with a random UUID when unset.
    pub const IDEMPOTENCY_TOKEN: u32 = 1 << 11;
    /// Member is a JSON value carried in a header (base64).
    pub const JSONVALUE: u32 = 1 << 12;
    /// Member is the payload of an event.
    pub const EVENT_PAYLOAD: u32 = 1 << 13;
    /// Member is a header of an event.
    pub const EVENT_HEADER: u32 = 1 << 14;
    /// Streaming blob must have a known length.
    pub const REQUIRES_LENGTH: u32 = 1 << 15;
    /// Error shapes the model marks `retryable` (botocore's standard mode retries them).
    pub const RETRYABLE: u32 = 1 << 17;
    /// ... as throttling.
    pub const RETRYABLE_THROTTLING: u32 = 1 << 18;
    /// A string member of an output holding a JSON document that botocore decodes (IAM's
    /// URL-encoded policy documents): decoded after parsing, and shown in the serde form as the
    /// JSON it holds, as boto3's dicts show it.
    pub const JSON_DOCUMENT: u32 = 1 << 19;
}

/// A model shape, described for the codecs.
#[derive(Debug)]
pub struct Shape {
    /// The model's shape name.
    pub name: &'static str,
    /// What the shape holds.
    pub kind: Kind,
    /// Structure and union members, in model order; the generated type's fields follow this order.
    pub members: &'static [Member],
    /// List member, or map key and value.
    pub items: &'static [Member],
    /// [`flags`] bits.
    pub flags: u32,
    /// The shape's own `locationName` (XML element name of a payload or list element).
    pub xml_name: Option<&'static str>,
    /// XML namespace: (prefix, uri); prefix may be empty.
    pub xml_namespace: Option<(&'static str, &'static str)>,
    /// Timestamp format of a timestamp shape.
    pub timestamp_format: TimestampFormat,
    /// Name of the member that is the HTTP payload.
    pub payload: Option<&'static str>,
    /// Error shapes: the error code (`error.code`, else the shape name) and HTTP status.
    pub error: Option<(&'static str, u16)>,
    /// `min` (length or value), when the model gives one.
    pub min: Option<f64>,
    /// `max` (length or value), when the model gives one.
    pub max: Option<f64>,
    /// Creates an empty value of the generated type (set for error shapes, which the runtime builds itself).
    pub constructor: Option<Constructor>,
}

/// Creates an empty value of the type generated for a shape: `value::construct` makes one for a
/// generated type, `value::construct_empty` calls it. The value comes back as `Any` (holding a
/// `Box<dyn value::Structure>`) so that describing shapes does not depend on the values that
/// implement them.
pub type Constructor = fn(&'static Shape) -> Box<dyn std::any::Any>;

impl Shape {
    /// The member that is an event stream, if any.
    pub fn event_stream_member(&self) -> Option<usize> {
        self.members
            .iter()
            .position(|m| m.target.has(flags::EVENTSTREAM))
    }
    const fn base(name: &'static str, kind: Kind) -> Shape {
        Shape {
            name,
            kind,
            members: &[],
            items: &[],
            flags: 0,
            xml_name: None,
            xml_namespace: None,
            timestamp_format: TimestampFormat::Default,
            payload: None,
            error: None,
            min: None,
            max: None,
            constructor: None,
        }
    }
    /// A scalar shape.
    pub const fn scalar(name: &'static str, kind: Kind) -> Shape {
        Shape::base(name, kind)
    }
    /// A structure shape with its members.
    pub const fn structure(name: &'static str, members: &'static [Member]) -> Shape {
        let mut s = Shape::base(name, Kind::Structure);
        s.members = members;
        s
    }
    /// A union shape with its members.
    pub const fn union(name: &'static str, members: &'static [Member]) -> Shape {
        let mut s = Shape::base(name, Kind::Union);
        s.members = members;
        s
    }
    /// A list shape (`items` holds the one member).
    pub const fn list(name: &'static str, member: &'static [Member]) -> Shape {
        let mut s = Shape::base(name, Kind::List);
        s.items = member;
        s
    }
    /// A map shape (`items` holds key then value).
    pub const fn map(name: &'static str, key_value: &'static [Member]) -> Shape {
        let mut s = Shape::base(name, Kind::Map);
        s.items = key_value;
        s
    }
    /// Adds flag bits.
    pub const fn flags(mut self, f: u32) -> Shape {
        self.flags |= f;
        self
    }
    /// Sets the shape's `locationName`.
    pub const fn xml_name(mut self, n: &'static str) -> Shape {
        self.xml_name = Some(n);
        self
    }
    /// Sets the XML namespace.
    pub const fn xml_namespace(mut self, prefix: &'static str, uri: &'static str) -> Shape {
        self.xml_namespace = Some((prefix, uri));
        self
    }
    /// Sets the timestamp format.
    pub const fn ts_format(mut self, f: TimestampFormat) -> Shape {
        self.timestamp_format = f;
        self
    }
    /// Sets the payload member name.
    pub const fn payload(mut self, member: &'static str) -> Shape {
        self.payload = Some(member);
        self
    }
    /// Sets the constructor of the generated type.
    pub const fn constructor(mut self, c: Constructor) -> Shape {
        self.constructor = Some(c);
        self
    }
    /// The error code of an error shape.
    pub fn error_code(&self) -> Option<&'static str> {
        self.error.map(|(c, _)| c)
    }
    /// Marks an error shape with its code and HTTP status.
    pub const fn error(mut self, code: &'static str, status: u16) -> Shape {
        self.error = Some((code, status));
        self.flags |= flags::EXCEPTION;
        self
    }
    /// Sets the `min` and `max` constraints.
    pub const fn range(mut self, min: Option<f64>, max: Option<f64>) -> Shape {
        self.min = min;
        self.max = max;
        self
    }
    /// True when every bit of `f` is set.
    pub const fn has(&self, f: u32) -> bool {
        self.flags & f == f
    }
    /// The list member (lists only).
    pub fn list_member(&self) -> Option<&'static Member> {
        match self.kind {
            Kind::List => self.items.first(),
            _ => None,
        }
    }
    /// The map key and value members (maps only).
    pub fn map_members(&self) -> Option<(&'static Member, &'static Member)> {
        match (self.kind, self.items) {
            (Kind::Map, [k, v]) => Some((k, v)),
            _ => None,
        }
    }
    /// Index of the member named `name` (the model member name).
    pub fn member_index(&self, name: &str) -> Option<usize> {
        self.members.iter().position(|m| m.name == name)
    }
}

/// A reference from a structure, list or map to a target shape, with its serialisation traits.
#[derive(Debug)]
pub struct Member {
    /// The model's member name (`"member"`, `"key"`, `"value"` for list and map members).
    pub name: &'static str,
    /// The target shape.
    pub target: &'static Shape,
    /// [`flags`] bits.
    pub flags: u32,
    /// Where the member travels.
    pub location: Location,
    /// The member's `locationName`.
    pub location_name: Option<&'static str>,
    /// The member's `queryName` (ec2).
    pub query_name: Option<&'static str>,
    /// The member's XML namespace: (prefix, uri).
    pub xml_namespace: Option<(&'static str, &'static str)>,
    /// A member-level `timestampFormat`, overriding the target's.
    pub timestamp_format: TimestampFormat,
}

impl Member {
    /// A body member named `name` targeting `target`.
    pub const fn new(name: &'static str, target: &'static Shape) -> Member {
        Member {
            name,
            target,
            flags: 0,
            location: Location::Body,
            location_name: None,
            query_name: None,
            xml_namespace: None,
            timestamp_format: TimestampFormat::Default,
        }
    }
    /// Adds flag bits.
    pub const fn flags(mut self, f: u32) -> Member {
        self.flags |= f;
        self
    }
    /// Marks the member required.
    pub const fn required(mut self) -> Member {
        self.flags |= flags::REQUIRED;
        self
    }
    /// Sets `locationName`.
    pub const fn name(mut self, n: &'static str) -> Member {
        self.location_name = Some(n);
        self
    }
    /// Sets `queryName`.
    pub const fn query_name(mut self, n: &'static str) -> Member {
        self.query_name = Some(n);
        self
    }
    /// Sets the location and its `locationName`.
    pub const fn at(mut self, location: Location, n: Option<&'static str>) -> Member {
        self.location = location;
        self.location_name = n;
        self
    }
    /// Sets the XML namespace.
    pub const fn xml_namespace(mut self, prefix: &'static str, uri: &'static str) -> Member {
        self.xml_namespace = Some((prefix, uri));
        self
    }
    /// Sets a member-level timestamp format.
    pub const fn ts_format(mut self, f: TimestampFormat) -> Member {
        self.timestamp_format = f;
        self
    }
    /// True when every bit of `f` is set on the member.
    pub const fn has(&self, f: u32) -> bool {
        self.flags & f == f
    }
    /// The member's wire name: `locationName` if set, else the member name.
    pub fn wire_name(&self) -> &'static str {
        self.location_name.unwrap_or(self.name)
    }
    /// True if this string member holds JSON text that boto3 shows parsed: a `jsonvalue` header,
    /// or a JSON document botocore decodes (IAM's policy documents). A `jsonvalue` body member
    /// stays text.
    pub fn holds_json_text(&self) -> bool {
        (self.has(flags::JSONVALUE) && self.location == Location::Header)
            || self.has(flags::JSON_DOCUMENT)
    }
    /// True if the member or its target is a streaming blob.
    pub fn is_streaming(&self) -> bool {
        self.has(flags::STREAMING) || self.target.has(flags::STREAMING)
    }
    /// True if the member or its target is flattened.
    pub fn flattened(&self) -> bool {
        self.has(flags::FLATTENED) || self.target.has(flags::FLATTENED)
    }
    /// The timestamp format: the member's, else the target's.
    pub fn timestamp_format(&self) -> TimestampFormat {
        match self.timestamp_format {
            TimestampFormat::Default => self.target.timestamp_format,
            f => f,
        }
    }
}

/// The protocol a service speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Protocol {
    /// EC2's query dialect.
    Ec2,
    /// AWS query.
    Query,
    /// AWS JSON 1.0 / 1.1.
    Json,
    /// REST with JSON bodies.
    RestJson,
    /// REST with XML bodies.
    RestXml,
    /// Smithy RPC v2 with CBOR bodies (`smithy-rpc-v2-cbor`).
    RpcV2Cbor,
}

/// A service's metadata (botocore's `metadata`).
#[derive(Debug)]
pub struct Service {
    /// botocore's service folder name (`ec2`).
    pub name: &'static str,
    /// `serviceId` (`EC2`); used for `AWS_ENDPOINT_URL_<SERVICE>`.
    pub service_id: &'static str,
    /// `apiVersion`.
    pub api_version: &'static str,
    /// `endpointPrefix`.
    pub endpoint_prefix: &'static str,
    /// `signingName` (defaults to the endpoint prefix).
    pub signing_name: &'static str,
    /// The protocol in use.
    pub protocol: Protocol,
    /// `jsonVersion` for JSON protocols.
    pub json_version: Option<&'static str>,
    /// `targetPrefix` for JSON protocols.
    pub target_prefix: Option<&'static str>,
    /// `xmlNamespace` of the service.
    pub xml_namespace: Option<&'static str>,
    /// The service is `awsQueryCompatible`.
    pub query_compatible: bool,
    /// The endpoint rule set (`endpoint-rule-set-1.json`, compiled); without one a client needs an
    /// endpoint URL.
    pub rules: Option<&'static crate::endpoint::rules::RuleSet>,
    /// The model's `clientContextParams`: endpoint parameters a client's configuration may set.
    pub client_context_params: &'static [&'static str],
    /// Every modeled error (exception) shape of the service: error codes are looked up service-wide, as botocore does.
    pub errors: &'static [&'static Shape],
    /// The auth schemes the service supports, preferred first (its model's `auth`, else its
    /// `signatureVersion`).
    pub auth: &'static [AuthOption],
    /// Timestamps are sent with millisecond precision (bedrock-agentcore, as botocore does).
    pub timestamp_millis: bool,
    /// The operation that discovers the service's endpoints (`endpointoperation`), if any.
    pub discovery: Option<&'static Operation>,
}

/// One auth scheme a service supports.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AuthOption {
    /// SigV4 (`aws.auth#sigv4`).
    SigV4,
    /// SigV4a (`aws.auth#sigv4a`).
    SigV4a,
    /// A bearer token (`smithy.api#httpBearerAuth`).
    Bearer,
    /// Not signed (`smithy.api#noAuth`).
    NoAuth,
    /// A scheme boto-rs does not implement, by its model name (`v2`).
    Unsupported(&'static str),
}

/// An operation: its HTTP binding and its input, output and error shapes.
#[derive(Debug)]
pub struct Operation {
    /// The operation name (`DescribeInstances`).
    pub name: &'static str,
    /// HTTP method.
    pub method: &'static str,
    /// Request URI template.
    pub request_uri: &'static str,
    /// Expected success status code, when the model names one.
    pub response_code: Option<u16>,
    /// The input shape.
    pub input: Option<&'static Shape>,
    /// The output shape.
    pub output: Option<&'static Shape>,
    /// The output's `resultWrapper` (query protocol).
    pub result_wrapper: Option<&'static str>,
    /// Modeled error shapes.
    pub errors: &'static [&'static Shape],
    /// `endpoint.hostPrefix`.
    pub host_prefix: Option<&'static str>,
    /// [`op_flags`] bits.
    pub flags: u32,
    /// The XML root element of the input body (rest-xml: the input reference's `locationName`).
    pub input_xml_name: Option<&'static str>,
    /// The XML namespace of the input body's root element: (prefix, uri).
    pub input_xml_namespace: Option<(&'static str, &'static str)>,
    /// `httpChecksum.requestAlgorithmMember`: the input member naming the checksum algorithm.
    pub checksum_algorithm_member: Option<&'static str>,
    /// `httpChecksum.requestValidationModeMember` (the input member asking for the response's
    /// checksum, S3's `ChecksumMode`) and `responseAlgorithms` (those the response may carry).
    pub checksum_validation: Option<(&'static str, &'static [&'static str])>,
    /// Endpoint parameters the operation sets (static values, input members, input paths), in
    /// order of precedence.
    pub endpoint_params: &'static [(&'static str, crate::endpoint::rules::ParamSource)],
}

/// Flag bits on operations.
pub mod op_flags {
    /// `httpChecksumRequired`.
    pub const CHECKSUM_REQUIRED: u32 = 1;
    /// The operation is idempotent.
    pub const IDEMPOTENT: u32 = 1 << 1;
    /// Unsigned (`authtype: none`, or `smithy.api#noAuth`).
    pub const UNSIGNED: u32 = 1 << 2;
    /// Signed without hashing the body (`authtype: v4-unsigned-body`).
    pub const UNSIGNED_BODY: u32 = 1 << 4;
    /// Calls go to an endpoint the service's discovery operation names (`endpointdiscovery`).
    pub const DISCOVERED_ENDPOINT: u32 = 1 << 5;
    /// ... and must (`endpointdiscovery.required`): without discovery they fail.
    pub const DISCOVERY_REQUIRED: u32 = 1 << 6;
    /// This operation discovers the service's endpoints (`endpointoperation`).
    pub const DISCOVERY_OPERATION: u32 = 1 << 7;
    /// The body may be sent gzip-compressed (`requestcompression`).
    pub const REQUEST_COMPRESSION: u32 = 1 << 8;
    /// `httpChecksum.requestChecksumRequired`: a request checksum is always sent.
    pub const REQUEST_CHECKSUM_REQUIRED: u32 = 1 << 3;
}

impl Operation {
    /// A `POST /` operation, the shape of every ec2, query and json operation.
    pub const fn new(name: &'static str) -> Operation {
        Operation {
            name,
            method: "POST",
            request_uri: "/",
            response_code: None,
            input: None,
            output: None,
            result_wrapper: None,
            errors: &[],
            host_prefix: None,
            flags: 0,
            input_xml_name: None,
            input_xml_namespace: None,
            checksum_algorithm_member: None,
            checksum_validation: None,
            endpoint_params: &[],
        }
    }
    /// Sets the HTTP method and URI.
    pub const fn http(mut self, method: &'static str, uri: &'static str) -> Operation {
        self.method = method;
        self.request_uri = uri;
        self
    }
    /// Sets the success status code.
    pub const fn response_code(mut self, code: u16) -> Operation {
        self.response_code = Some(code);
        self
    }
    /// Sets the input shape.
    pub const fn input(mut self, s: &'static Shape) -> Operation {
        self.input = Some(s);
        self
    }
    /// Sets the output shape.
    pub const fn output(mut self, s: &'static Shape) -> Operation {
        self.output = Some(s);
        self
    }
    /// Sets the output's result wrapper.
    pub const fn result_wrapper(mut self, w: &'static str) -> Operation {
        self.result_wrapper = Some(w);
        self
    }
    /// Sets the modeled errors.
    pub const fn errors(mut self, e: &'static [&'static Shape]) -> Operation {
        self.errors = e;
        self
    }
    /// Sets the host prefix.
    pub const fn host_prefix(mut self, p: &'static str) -> Operation {
        self.host_prefix = Some(p);
        self
    }
    /// Sets the input body's XML root element name and namespace (prefix, uri).
    pub const fn input_xml(
        mut self,
        name: &'static str,
        ns: Option<(&'static str, &'static str)>,
    ) -> Operation {
        self.input_xml_name = Some(name);
        self.input_xml_namespace = ns;
        self
    }
    /// Sets `httpChecksum.requestAlgorithmMember`.
    pub const fn checksum_algorithm_member(mut self, m: &'static str) -> Operation {
        self.checksum_algorithm_member = Some(m);
        self
    }
    /// Sets `httpChecksum.requestValidationModeMember` and `responseAlgorithms`.
    pub const fn checksum_validation(
        mut self,
        member: &'static str,
        algorithms: &'static [&'static str],
    ) -> Operation {
        self.checksum_validation = Some((member, algorithms));
        self
    }
    /// Sets the endpoint parameters the operation sets.
    pub const fn endpoint_params(
        mut self,
        p: &'static [(&'static str, crate::endpoint::rules::ParamSource)],
    ) -> Operation {
        self.endpoint_params = p;
        self
    }
    /// Adds [`op_flags`] bits.
    pub const fn flags(mut self, f: u32) -> Operation {
        self.flags |= f;
        self
    }
}

impl Operation {
    /// The output member that is a streaming blob payload, handed to the caller unread.
    pub fn streaming_output(&self) -> Option<usize> {
        let out = self.output?;
        let i = out.member_index(out.payload?)?;
        out.members[i].is_streaming().then_some(i)
    }
    /// The input member that is an event stream (the bidirectional operations), if any.
    pub fn event_stream_input(&self) -> Option<usize> {
        self.input?.event_stream_member()
    }
    /// The output member that is an event stream, if any.
    pub fn event_stream_output(&self) -> Option<usize> {
        self.output?.event_stream_member()
    }
}

/// Shared scalar shapes for model shapes that carry no traits of their own.
pub mod prim {
    use super::{Kind, Shape};
    /// Plain string.
    pub static STRING: Shape = Shape::scalar("String", Kind::String);
    /// Plain boolean.
    pub static BOOLEAN: Shape = Shape::scalar("Boolean", Kind::Boolean);
    /// Plain byte.
    pub static BYTE: Shape = Shape::scalar("Byte", Kind::Byte);
    /// Plain short.
    pub static SHORT: Shape = Shape::scalar("Short", Kind::Short);
    /// Plain integer.
    pub static INTEGER: Shape = Shape::scalar("Integer", Kind::Integer);
    /// Plain long.
    pub static LONG: Shape = Shape::scalar("Long", Kind::Long);
    /// Plain float.
    pub static FLOAT: Shape = Shape::scalar("Float", Kind::Float);
    /// Plain double.
    pub static DOUBLE: Shape = Shape::scalar("Double", Kind::Double);
    /// Plain timestamp.
    pub static TIMESTAMP: Shape = Shape::scalar("Timestamp", Kind::Timestamp);
    /// Plain blob.
    pub static BLOB: Shape = Shape::scalar("Blob", Kind::Blob);
    /// Plain document.
    pub static DOCUMENT: Shape = Shape::scalar("Document", Kind::Document);
}
