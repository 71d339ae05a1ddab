//! Dynamic schemas and values for the protocol conformance runner: a botocore `shapes` map becomes
//! `&'static Shape` graphs built from codegen's own schema description (`codegen::ir::schema`,
//! the data generated `schema.rs` and `operations.rs` statics are rendered from), and [`DynStruct`] is a
//! [`Structure`] whose fields follow any such shape, so the runtime codecs that serve generated
//! code also serialise test params and parse test responses.
//!
//! Shapes can be recursive, but `Shape`/`Member` hold plain `&'static` references, which cannot
//! form a cycle without `unsafe` mutation of shared data. Instead a recursive shape is unrolled
//! [`RECURSION_LIMIT`] levels deep (memoised per shape and level, so the graph stays small) and
//! ends in a member-less stub. Values nested deeper than that fail to convert or parse, so the
//! limit can only turn a case into a visible failure, never into a false pass.

use boto_runtime::schema::{
    flags, op_flags, prim, AuthOption, Kind, Location, Member, Operation, Protocol, Service, Shape,
    TimestampFormat,
};
use boto_runtime::value::{List, Map, Scalar, SetError, Slot, ValueMut};
use boto_runtime::{DateTime, Document, Structure, Value, ValueRef};
use codegen::ir::schema::{
    self as ir, Flag, MemberSchema, OpFlag, ScalarKind, SchemaKind, ShapeSchema, TsFormat,
};
use codegen::model::{Metadata, OperationModel, ShapeModel};
use serde_json::Value as Json;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::fmt;

/// How many levels of a recursive shape are unrolled before the graph ends in a stub.
pub const RECURSION_LIMIT: usize = 32;

fn leak(s: &str) -> &'static str {
    Box::leak(s.to_owned().into_boxed_str())
}

fn leak_ns(ns: &(String, String)) -> (&'static str, &'static str) {
    (leak(&ns.0), leak(&ns.1))
}

/// The runtime's [`Protocol`] for codegen's.
fn protocol(p: ir::Protocol) -> Protocol {
    match p {
        ir::Protocol::Ec2 => Protocol::Ec2,
        ir::Protocol::Query => Protocol::Query,
        ir::Protocol::Json => Protocol::Json,
        ir::Protocol::RestJson => Protocol::RestJson,
        ir::Protocol::RestXml => Protocol::RestXml,
        ir::Protocol::RpcV2Cbor => Protocol::RpcV2Cbor,
    }
}

/// A [`Service`] from a suite's `metadata`, from codegen's description of `SERVICE` (named by
/// the endpoint prefix); `None` for a protocol the runtime has no variant for.
pub fn service(md: &Metadata, schema: &mut Schema) -> Option<&'static Service> {
    let p = ir::Protocol::from_model(&md.protocol)?;
    let d = ir::service_schema(&md.endpoint_prefix, md, p, &schema.models);
    let errors: Vec<&'static Shape> = d.errors.iter().map(|n| schema.shape(n)).collect();
    Some(Box::leak(Box::new(Service {
        name: leak(&d.name),
        service_id: leak(&d.service_id),
        api_version: leak(&d.api_version),
        endpoint_prefix: leak(&d.endpoint_prefix),
        signing_name: leak(&d.signing_name),
        protocol: protocol(d.protocol),
        json_version: d.json_version.as_deref().map(leak),
        target_prefix: d.target_prefix.as_deref().map(leak),
        xml_namespace: d.xml_namespace.as_deref().map(leak),
        query_compatible: d.query_compatible,
        rules: None,
        client_context_params: &[],
        errors: Box::leak(errors.into_boxed_slice()),
        auth: Box::leak(
            d.auth
                .iter()
                .map(|a| match a {
                    ir::AuthOption::SigV4 => AuthOption::SigV4,
                    ir::AuthOption::SigV4a => AuthOption::SigV4a,
                    ir::AuthOption::Bearer => AuthOption::Bearer,
                    ir::AuthOption::NoAuth => AuthOption::NoAuth,
                    ir::AuthOption::Unsupported(n) => AuthOption::Unsupported(leak(n)),
                })
                .collect::<Vec<_>>()
                .into_boxed_slice(),
        ),
        timestamp_millis: d.timestamp_millis,
        discovery: None,
    })))
}

/// The shapes of one suite, turned into static schemas on demand (and cached).
pub struct Schema {
    models: BTreeMap<String, ShapeModel>,
    /// Shapes from which a cycle can be reached: these are unrolled per level.
    recursive: HashSet<String>,
    flat: HashMap<String, &'static Shape>,
    unrolled: HashMap<(String, usize), &'static Shape>,
}

impl Schema {
    /// A schema over a botocore `shapes` map (member order as in the file).
    pub fn new(models: BTreeMap<String, ShapeModel>) -> Schema {
        let recursive = recursive_shapes(&models);
        Schema {
            models,
            recursive,
            flat: HashMap::new(),
            unrolled: HashMap::new(),
        }
    }

    /// The static shape for the model shape `name` (an unknown name is a plain string, as in codegen).
    pub fn shape(&mut self, name: &str) -> &'static Shape {
        self.build(name, RECURSION_LIMIT)
    }

    fn build(&mut self, name: &str, depth: usize) -> &'static Shape {
        if !self.models.contains_key(name) {
            return &prim::STRING;
        }
        if !self.recursive.contains(name) {
            if let Some(s) = self.flat.get(name) {
                return s;
            }
            let s = self.make(&self.describe(name), depth);
            self.flat.insert(name.to_string(), s);
            return s;
        }
        let key = (name.to_string(), depth);
        if let Some(s) = self.unrolled.get(&key) {
            return s;
        }
        let s = if depth == 0 {
            // The end of the unrolled graph: a structure with no members.
            &*Box::leak(Box::new(Shape::structure(leak(name), &[])))
        } else {
            self.make(&self.describe(name), depth - 1)
        };
        self.unrolled.insert(key, s);
        s
    }

    /// codegen's description of the static of model shape `name`; a shape codegen rejects (an
    /// unknown type) is a document here, so its cases fail visibly rather than the whole suite.
    fn describe(&self, name: &str) -> ShapeSchema {
        let fallback = || ShapeSchema {
            wire: name.to_string(),
            prim: None,
            kind: SchemaKind::Scalar(ScalarKind::Document),
            members: Vec::new(),
            flags: Vec::new(),
            xml_name: None,
            xml_namespace: None,
            ts_format: None,
            payload: None,
            min: None,
            error: None,
        };
        match self.models.get(name) {
            Some(m) => ir::shape_schema(name, m, &self.models).unwrap_or_else(|_| fallback()),
            None => fallback(),
        }
    }

    /// Builds one shape from codegen's description, as emit writes its static; members point at
    /// level `depth`.
    fn make(&mut self, d: &ShapeSchema, depth: usize) -> &'static Shape {
        if let Some(p) = d.prim {
            // Plain scalars share the runtime's `prim` shapes, as in generated code.
            return prim_shape(p);
        }
        let wire = leak(&d.wire);
        let members: Vec<Member> = d.members.iter().map(|m| self.member(m, depth)).collect();
        let members: &'static [Member] = Box::leak(members.into_boxed_slice());
        let mut s = match d.kind {
            SchemaKind::Structure => Shape::structure(wire, members),
            SchemaKind::Union => Shape::union(wire, members),
            SchemaKind::List => Shape::list(wire, members),
            SchemaKind::Map => Shape::map(wire, members),
            SchemaKind::Scalar(k) => Shape::scalar(wire, kind(k)),
        };
        s = s.flags(flag_bits(&d.flags));
        if let Some(l) = &d.xml_name {
            s = s.xml_name(leak(l));
        }
        if let Some(ns) = &d.xml_namespace {
            let (p, u) = leak_ns(ns);
            s = s.xml_namespace(p, u);
        }
        if let Some(t) = d.ts_format {
            s = s.ts_format(ts_format(t));
        }
        if let Some(p) = &d.payload {
            s = s.payload(leak(p));
        }
        if let Some(min) = d.min {
            s = s.range(Some(min), None);
        }
        if let Some((code, status)) = &d.error {
            s = s.error(leak(code), *status).constructor(construct_dyn);
        }
        Box::leak(Box::new(s))
    }

    /// A member from codegen's description, as emit writes it.
    fn member(&mut self, m: &MemberSchema, depth: usize) -> Member {
        let target = self.build(&m.target, depth);
        let mut e = Member::new(leak(&m.name), target);
        let n = m.location_name.as_deref().map(leak);
        e = match m.location {
            Some(l) => e.at(location(l), n),
            None => match n {
                Some(n) => e.name(n),
                None => e,
            },
        };
        if let Some(q) = &m.query_name {
            e = e.query_name(leak(q));
        }
        if m.required {
            e = e.required();
        }
        e = e.flags(flag_bits(&m.flags));
        if let Some(ns) = &m.xml_namespace {
            let (p, u) = leak_ns(ns);
            e = e.xml_namespace(p, u);
        }
        if let Some(t) = m.ts_format {
            e = e.ts_format(ts_format(t));
        }
        e
    }

    /// The [`Operation`] a case's `given` describes, from codegen's description of its static.
    /// Legacy suites name a `payload` on the input reference; it applies to the input shape.
    pub fn operation(&mut self, given: &OperationModel) -> Operation {
        let d = ir::operation_schema(given);
        let mut op = Operation::new(leak(&d.wire));
        if let Some((m, u)) = &d.http {
            op = op.http(leak(m), leak(u));
        }
        if let Some(c) = d.response_code {
            op = op.response_code(c);
        }
        if let Some(i) = &d.input {
            let mut shape = self.shape(i);
            if let Some(p) = given.input.as_ref().and_then(|r| r.payload.as_ref()) {
                shape = Box::leak(Box::new(Shape {
                    payload: Some(leak(p)),
                    ..*shape
                }));
            }
            op = op.input(shape);
        }
        if let Some(o) = &d.output {
            op = op.output(self.shape(o));
        }
        if let Some(w) = &d.result_wrapper {
            op = op.result_wrapper(leak(w));
        }
        if !d.errors.is_empty() {
            let errors: Vec<&'static Shape> = d.errors.iter().map(|e| self.shape(e)).collect();
            op = op.errors(Box::leak(errors.into_boxed_slice()));
        }
        if let Some(h) = &d.host_prefix {
            op = op.host_prefix(leak(h));
        }
        if let Some((n, ns)) = &d.input_xml {
            op = op.input_xml(leak(n), ns.as_ref().map(leak_ns));
        }
        if let Some(m) = &d.checksum_algorithm_member {
            op = op.checksum_algorithm_member(leak(m));
        }
        let mut f = 0;
        for flag in &d.flags {
            f |= match flag {
                OpFlag::ChecksumRequired => op_flags::CHECKSUM_REQUIRED,
                OpFlag::RequestChecksumRequired => op_flags::REQUEST_CHECKSUM_REQUIRED,
                OpFlag::Idempotent => op_flags::IDEMPOTENT,
                OpFlag::Unsigned => op_flags::UNSIGNED,
                OpFlag::UnsignedBody => op_flags::UNSIGNED_BODY,
                OpFlag::DiscoveredEndpoint => op_flags::DISCOVERED_ENDPOINT,
                OpFlag::DiscoveryRequired => op_flags::DISCOVERY_REQUIRED,
                OpFlag::DiscoveryOperation => op_flags::DISCOVERY_OPERATION,
                OpFlag::RequestCompression => op_flags::REQUEST_COMPRESSION,
            };
        }
        op.flags(f)
    }
}

/// The runtime's flag bits for codegen's flags (every flag is matched, so a new one must be added here).
fn flag_bits(fl: &[Flag]) -> u32 {
    fl.iter().fold(0, |acc, f| {
        acc | match f {
            Flag::Flattened => flags::FLATTENED,
            Flag::Sensitive => flags::SENSITIVE,
            Flag::Streaming => flags::STREAMING,
            Flag::RequiresLength => flags::REQUIRES_LENGTH,
            Flag::Eventstream => flags::EVENTSTREAM,
            Flag::Event => flags::EVENT,
            Flag::SenderFault => flags::SENDER_FAULT,
            Flag::Retryable => flags::RETRYABLE,
            Flag::RetryableThrottling => flags::RETRYABLE_THROTTLING,
            Flag::XmlAttribute => flags::XML_ATTRIBUTE,
            Flag::HostLabel => flags::HOST_LABEL,
            Flag::IdempotencyToken => flags::IDEMPOTENCY_TOKEN,
            Flag::Jsonvalue => flags::JSONVALUE,
            Flag::EventPayload => flags::EVENT_PAYLOAD,
            Flag::EventHeader => flags::EVENT_HEADER,
            Flag::JsonDocument => flags::JSON_DOCUMENT,
        }
    })
}

/// The runtime's [`Kind`] for codegen's scalar kind.
fn kind(k: ScalarKind) -> Kind {
    match k {
        ScalarKind::String => Kind::String,
        ScalarKind::Boolean => Kind::Boolean,
        ScalarKind::Byte => Kind::Byte,
        ScalarKind::Short => Kind::Short,
        ScalarKind::Integer => Kind::Integer,
        ScalarKind::Long => Kind::Long,
        ScalarKind::Float => Kind::Float,
        ScalarKind::Double => Kind::Double,
        ScalarKind::Timestamp => Kind::Timestamp,
        ScalarKind::Blob => Kind::Blob,
        ScalarKind::Document => Kind::Document,
    }
}

/// The runtime's shared `prim` shape for a scalar kind.
fn prim_shape(k: ScalarKind) -> &'static Shape {
    match k {
        ScalarKind::String => &prim::STRING,
        ScalarKind::Boolean => &prim::BOOLEAN,
        ScalarKind::Byte => &prim::BYTE,
        ScalarKind::Short => &prim::SHORT,
        ScalarKind::Integer => &prim::INTEGER,
        ScalarKind::Long => &prim::LONG,
        ScalarKind::Float => &prim::FLOAT,
        ScalarKind::Double => &prim::DOUBLE,
        ScalarKind::Timestamp => &prim::TIMESTAMP,
        ScalarKind::Blob => &prim::BLOB,
        ScalarKind::Document => &prim::DOCUMENT,
    }
}

/// The runtime's [`Location`] for codegen's.
fn location(l: ir::Location) -> Location {
    match l {
        ir::Location::Uri => Location::Uri,
        ir::Location::Querystring => Location::Querystring,
        ir::Location::Header => Location::Header,
        ir::Location::Headers => Location::Headers,
        ir::Location::StatusCode => Location::StatusCode,
    }
}

/// The runtime's [`TimestampFormat`] for codegen's.
fn ts_format(f: TsFormat) -> TimestampFormat {
    match f {
        TsFormat::Iso8601 => TimestampFormat::Iso8601,
        TsFormat::Rfc822 => TimestampFormat::Rfc822,
        TsFormat::UnixTimestamp => TimestampFormat::UnixTimestamp,
        TsFormat::Default => TimestampFormat::Default,
    }
}

/// Names of the shapes from which a cycle of shape references can be reached.
fn recursive_shapes(models: &BTreeMap<String, ShapeModel>) -> HashSet<String> {
    let edges = |n: &str| -> Vec<String> {
        let Some(m) = models.get(n) else {
            return Vec::new();
        };
        m.members
            .iter()
            .map(|(_, r)| r.shape.clone())
            .chain(
                [&m.member, &m.key, &m.value]
                    .into_iter()
                    .flatten()
                    .map(|r| r.shape.clone()),
            )
            .collect()
    };
    let reach = |from: &str| -> HashSet<String> {
        let mut seen = HashSet::new();
        let mut stack = edges(from);
        while let Some(n) = stack.pop() {
            if seen.insert(n.clone()) {
                stack.extend(edges(&n));
            }
        }
        seen
    };
    let reachable: HashMap<&str, HashSet<String>> =
        models.keys().map(|n| (n.as_str(), reach(n))).collect();
    let on_cycle: HashSet<&str> = reachable
        .iter()
        .filter(|(n, r)| r.contains(**n))
        .map(|(n, _)| *n)
        .collect();
    reachable
        .iter()
        .filter(|(_, r)| r.iter().any(|x| on_cycle.contains(x.as_str())))
        .map(|(n, _)| n.to_string())
        .collect()
}

/// The [`boto_runtime::schema::Constructor`] of dynamic error shapes.
fn construct_dyn(shape: &'static Shape) -> Box<dyn std::any::Any> {
    Box::new(Box::new(DynStruct::new(shape)) as Box<dyn Structure>)
}

/// A structure (or union) value of any shape: one [`Field`] per member.
#[derive(Clone)]
pub struct DynStruct {
    shape: &'static Shape,
    fields: Vec<Field>,
    /// A union member the response set that the shape does not know.
    unknown: Option<String>,
}

impl DynStruct {
    /// An empty value of `shape` (every member unset).
    pub fn new(shape: &'static Shape) -> DynStruct {
        DynStruct {
            shape,
            fields: shape.members.iter().map(|m| Field::new(m.target)).collect(),
            unknown: None,
        }
    }

    /// Builds a value of `shape` from botocore-style params: timestamps are epoch numbers, blobs
    /// are strings (their UTF-8 bytes), `"NaN"`, `"Infinity"` and `"-Infinity"` stand for floats.
    pub fn from_json(shape: &'static Shape, params: &Json) -> Result<DynStruct, String> {
        let obj = params
            .as_object()
            .ok_or_else(|| format!("{}: expected an object, found {params}", shape.name))?;
        let mut s = DynStruct::new(shape);
        for (k, v) in obj {
            let i = shape
                .member_index(k)
                .ok_or_else(|| format!("{} has no member {k:?}", shape.name))?;
            let m = &shape.members[i];
            // A `jsonvalue` member holds JSON text.
            let text;
            let v = if m.has(flags::JSONVALUE) && !v.is_string() && !v.is_null() {
                text = Json::String(v.to_string());
                &text
            } else {
                v
            };
            s.fields[i] = Field::from_json(m.target, v).map_err(|e| format!("{k}: {e}"))?;
        }
        Ok(s)
    }

    /// The value as JSON, in the form botocore's parsers produce (see [`struct_to_json`]).
    pub fn to_json(&self) -> Json {
        struct_to_json(self)
    }
}

impl fmt::Debug for DynStruct {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut d = f.debug_struct(self.shape.name);
        for (m, v) in self.shape.members.iter().zip(&self.fields) {
            if !matches!(v.value, Dyn::Null) {
                d.field(m.name, v);
            }
        }
        d.finish()
    }
}

impl Structure for DynStruct {
    fn shape(&self) -> &'static Shape {
        self.shape
    }
    fn field(&self, i: usize) -> &dyn Value {
        match self.fields.get(i) {
            Some(f) => f,
            // A union's field after its members: the name of a member the model does not know.
            None if i == self.fields.len() && self.shape.kind == Kind::Union => &self.unknown,
            None => &boto_runtime::value::NULL,
        }
    }
    fn field_mut(&mut self, i: usize) -> &mut dyn Value {
        let union = self.shape.kind == Kind::Union;
        assert!(
            i < self.fields.len() || (union && i == self.fields.len()),
            "{} has no member {i}",
            self.shape.name
        );
        if union && i == self.fields.len() {
            for f in &mut self.fields {
                f.value = Dyn::Null;
            }
            return &mut self.unknown;
        }
        if union {
            self.unknown = None;
            // Selecting a union member unsets the others, as with a generated enum.
            for (j, f) in self.fields.iter_mut().enumerate() {
                if j != i {
                    f.value = Dyn::Null;
                }
            }
        }
        &mut self.fields[i]
    }
}

/// One dynamically typed value of a known shape; unset until something is stored.
#[derive(Clone)]
pub struct Field {
    shape: &'static Shape,
    value: Dyn,
}

/// What a [`Field`] holds.
#[derive(Debug, Clone)]
enum Dyn {
    Null,
    Bool(bool),
    Int(i64),
    Float(f64),
    Str(String),
    Timestamp(DateTime),
    Blob(Vec<u8>),
    Struct(Box<DynStruct>),
    List(DynList),
    Map(DynMap),
    Document(Document),
}

/// The elements of a list field.
#[derive(Debug, Clone, Default)]
pub struct DynList(Vec<Field>);

/// The entries of a map field, in insertion order.
#[derive(Debug, Clone, Default)]
pub struct DynMap(Vec<(String, Field)>);

impl List for DynList {
    fn len(&self) -> usize {
        self.0.len()
    }
    fn get(&self, i: usize) -> &dyn Value {
        &self.0[i]
    }
}

impl Map for DynMap {
    fn entries(&self) -> Vec<(&str, &dyn Value)> {
        // Insertion order: the order of the case's JSON, which botocore serialises in.
        self.0
            .iter()
            .map(|(k, v)| (k.as_str(), v as &dyn Value))
            .collect()
    }
}

impl fmt::Debug for Field {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.value {
            Dyn::Struct(s) => s.fmt(f),
            v => v.fmt(f),
        }
    }
}

impl Field {
    /// An unset value of `shape`.
    pub fn new(shape: &'static Shape) -> Field {
        Field {
            shape,
            value: Dyn::Null,
        }
    }

    /// Converts botocore-style params (see [`DynStruct::from_json`]) to a value of `shape`.
    pub fn from_json(shape: &'static Shape, v: &Json) -> Result<Field, String> {
        let mut f = Field::new(shape);
        if v.is_null() {
            return Ok(f);
        }
        let bad = || format!("{} ({:?}) cannot hold {v}", shape.name, shape.kind);
        match shape.kind {
            Kind::Structure | Kind::Union => {
                f.value = Dyn::Struct(Box::new(DynStruct::from_json(shape, v)?));
            }
            Kind::List => {
                let item = shape.list_member().expect("list shape has a member").target;
                let items = v.as_array().ok_or_else(bad)?;
                let items = items
                    .iter()
                    .enumerate()
                    .map(|(i, x)| Field::from_json(item, x).map_err(|e| format!("[{i}]: {e}")))
                    .collect::<Result<Vec<_>, _>>()?;
                f.value = Dyn::List(DynList(items));
            }
            Kind::Map => {
                let (_, vm) = shape.map_members().expect("map shape has key and value");
                let obj = v.as_object().ok_or_else(bad)?;
                let entries = obj
                    .iter()
                    .map(|(k, x)| {
                        Ok((
                            k.clone(),
                            Field::from_json(vm.target, x).map_err(|e| format!("{k}: {e}"))?,
                        ))
                    })
                    .collect::<Result<Vec<_>, String>>()?;
                f.value = Dyn::Map(DynMap(entries));
            }
            Kind::Document => f.value = Dyn::Document(boto_runtime::wire::json::to_document(v)),
            Kind::String => f
                .set(Scalar::Str(v.as_str().ok_or_else(bad)?.to_string()))
                .map_err(|e| e.0)?,
            Kind::Boolean => f
                .set(Scalar::Bool(v.as_bool().ok_or_else(bad)?))
                .map_err(|e| e.0)?,
            Kind::Byte | Kind::Short | Kind::Integer | Kind::Long => {
                let i = v
                    .as_i64()
                    .or_else(|| v.as_f64().filter(|x| x.fract() == 0.0).map(|x| x as i64))
                    .ok_or_else(bad)?;
                f.set(Scalar::Int(i)).map_err(|e| e.0)?;
            }
            Kind::Float | Kind::Double => {
                let x = match v {
                    Json::String(s) => match s.as_str() {
                        "NaN" => f64::NAN,
                        "Infinity" => f64::INFINITY,
                        "-Infinity" => f64::NEG_INFINITY,
                        _ => return Err(bad()),
                    },
                    _ => v.as_f64().ok_or_else(bad)?,
                };
                f.set(Scalar::Float(x)).map_err(|e| e.0)?;
            }
            Kind::Timestamp => {
                let t = match v {
                    Json::String(s) => DateTime::parse_any(s).map_err(|e| e.to_string())?,
                    _ => DateTime::from_fractional_secs(v.as_f64().ok_or_else(bad)?),
                };
                f.set(Scalar::Timestamp(t)).map_err(|e| e.0)?;
            }
            Kind::Blob => f
                .set(Scalar::Blob(
                    v.as_str().ok_or_else(bad)?.as_bytes().to_vec(),
                ))
                .map_err(|e| e.0)?,
        }
        Ok(f)
    }
}

impl Value for Field {
    fn get(&self) -> ValueRef<'_> {
        match &self.value {
            Dyn::Null => ValueRef::Null,
            Dyn::Bool(b) => ValueRef::Bool(*b),
            Dyn::Int(i) => ValueRef::Int(*i),
            // A `float` member holds an f32, widened as generated types widen it.
            Dyn::Float(x) if self.shape.kind == Kind::Float => {
                ValueRef::Float(boto_runtime::value::f32_to_f64(*x as f32))
            }
            Dyn::Float(x) => ValueRef::Float(*x),
            Dyn::Str(s) => ValueRef::Str(s),
            Dyn::Timestamp(t) => ValueRef::Timestamp(*t),
            Dyn::Blob(b) => ValueRef::Blob(b),
            Dyn::Struct(s) => ValueRef::Struct(&**s),
            Dyn::List(l) => ValueRef::List(l),
            Dyn::Map(m) => ValueRef::Map(m),
            Dyn::Document(d) => ValueRef::Document(d),
        }
    }

    fn get_mut(&mut self) -> ValueMut<'_> {
        ValueMut::Dynamic(self)
    }
}

impl Slot for Field {
    /// Stores a scalar the way the generated field type would: integers are range-checked for
    /// their width and `float` members hold an `f32`.
    fn set(&mut self, v: Scalar) -> Result<(), SetError> {
        let kind = self.shape.kind;
        let range = |i: i64, lo: i64, hi: i64| {
            if (lo..=hi).contains(&i) {
                Ok(Dyn::Int(i))
            } else {
                Err(SetError(format!(
                    "{i} is out of range for {}",
                    self.shape.name
                )))
            }
        };
        self.value = match (kind, v) {
            (Kind::String, Scalar::Str(s)) => Dyn::Str(s),
            (Kind::Boolean, Scalar::Bool(b)) => Dyn::Bool(b),
            (Kind::Byte, Scalar::Int(i)) => range(i, i8::MIN.into(), i8::MAX.into())?,
            (Kind::Short, Scalar::Int(i)) => range(i, i16::MIN.into(), i16::MAX.into())?,
            (Kind::Integer, Scalar::Int(i)) => range(i, i32::MIN.into(), i32::MAX.into())?,
            (Kind::Long, Scalar::Int(i)) => Dyn::Int(i),
            (Kind::Float, Scalar::Float(x)) => Dyn::Float(f64::from(x as f32)),
            (Kind::Float, Scalar::Int(i)) => Dyn::Float(f64::from(i as f32)),
            (Kind::Double, Scalar::Float(x)) => Dyn::Float(x),
            (Kind::Double, Scalar::Int(i)) => Dyn::Float(i as f64),
            (Kind::Timestamp, Scalar::Timestamp(t)) => Dyn::Timestamp(t),
            (Kind::Blob, Scalar::Blob(b)) => Dyn::Blob(b),
            (Kind::Blob, Scalar::Str(s)) => Dyn::Blob(s.into_bytes()),
            (_, v) => {
                return Err(SetError(format!(
                    "{} ({:?}) cannot hold a {} value",
                    self.shape.name,
                    kind,
                    v.kind_name()
                )))
            }
        };
        Ok(())
    }

    fn as_struct_mut(&mut self) -> Option<&mut dyn Structure> {
        if !matches!(self.shape.kind, Kind::Structure | Kind::Union) {
            return None;
        }
        if !matches!(self.value, Dyn::Struct(_)) {
            self.value = Dyn::Struct(Box::new(DynStruct::new(self.shape)));
        }
        match &mut self.value {
            Dyn::Struct(s) => Some(&mut **s),
            _ => None,
        }
    }

    fn push(&mut self) -> Option<&mut dyn Value> {
        // An event stream member holds a list of its event union.
        let item = if self.shape.has(flags::EVENTSTREAM) {
            self.shape
        } else {
            self.shape.list_member()?.target
        };
        if !matches!(self.value, Dyn::List(_)) {
            self.value = Dyn::List(DynList::default());
        }
        match &mut self.value {
            Dyn::List(l) => {
                l.0.push(Field::new(item));
                l.0.last_mut().map(|v| v as &mut dyn Value)
            }
            _ => None,
        }
    }

    fn insert(&mut self, key: String) -> Option<&mut dyn Value> {
        let (_, vm) = self.shape.map_members()?;
        if !matches!(self.value, Dyn::Map(_)) {
            self.value = Dyn::Map(DynMap::default());
        }
        match &mut self.value {
            Dyn::Map(m) => {
                let i = match m.0.iter().position(|(k, _)| *k == key) {
                    Some(i) => i,
                    None => {
                        m.0.push((key, Field::new(vm.target)));
                        m.0.len() - 1
                    }
                };
                Some(&mut m.0[i].1 as &mut dyn Value)
            }
            _ => None,
        }
    }

    fn set_stream(&mut self, s: boto_runtime::ByteStream) -> Result<(), SetError> {
        // Responses in tests are in memory: the stream's bytes are the blob.
        match s.as_bytes() {
            Some(b) if self.shape.kind == Kind::Blob => {
                self.value = Dyn::Blob(b.to_vec());
                Ok(())
            }
            _ => Err(SetError(format!(
                "{} cannot hold a stream",
                self.shape.name
            ))),
        }
    }

    /// Responses in tests are in memory: the events are read at once into a list of the event
    /// union, as a typed `EventStream` would deliver them one by one.
    fn set_events(
        &mut self,
        mut events: Box<dyn boto_runtime::value::EventSource>,
    ) -> Result<(), SetError> {
        if !self.shape.has(flags::EVENTSTREAM) {
            return Err(SetError(format!(
                "{} is not an event stream",
                self.shape.name
            )));
        }
        let mut cx = std::task::Context::from_waker(futures::task::noop_waker_ref());
        let mut list = DynList::default();
        loop {
            let mut event = Field::new(self.shape);
            let Some(union) = event.as_struct_mut() else {
                return Err(SetError(format!("{} is not a union", self.shape.name)));
            };
            match events.poll_next_into(&mut cx, union) {
                std::task::Poll::Ready(Some(Ok(()))) => list.0.push(event),
                std::task::Poll::Ready(None) => break,
                std::task::Poll::Ready(Some(Err(e))) => return Err(SetError(e.to_string())),
                std::task::Poll::Pending => {
                    return Err(SetError("an in-memory event stream is pending".into()))
                }
            }
        }
        self.value = Dyn::List(list);
        Ok(())
    }

    fn set_document(&mut self, d: Document) -> Result<(), SetError> {
        if self.shape.kind != Kind::Document {
            return Err(SetError(format!("{} is not a document", self.shape.name)));
        }
        self.value = Dyn::Document(d);
        Ok(())
    }

    /// Makes an unset value present with its default, as `Option<T>` of the generated type would.
    fn ensure_present(&mut self) {
        if !matches!(self.value, Dyn::Null) {
            return;
        }
        self.value = match self.shape.kind {
            _ if self.shape.has(flags::EVENTSTREAM) => Dyn::List(DynList::default()),
            Kind::Structure | Kind::Union => Dyn::Struct(Box::new(DynStruct::new(self.shape))),
            Kind::List => Dyn::List(DynList::default()),
            Kind::Map => Dyn::Map(DynMap::default()),
            Kind::String => Dyn::Str(String::new()),
            Kind::Boolean => Dyn::Bool(false),
            Kind::Byte | Kind::Short | Kind::Integer | Kind::Long => Dyn::Int(0),
            Kind::Float | Kind::Double => Dyn::Float(0.0),
            Kind::Timestamp => Dyn::Timestamp(DateTime::default()),
            Kind::Blob => Dyn::Blob(Vec::new()),
            Kind::Document => Dyn::Document(Document::Null),
        };
    }
}

fn document_to_json(d: &Document) -> Json {
    match d {
        Document::Null => Json::Null,
        Document::Bool(b) => Json::Bool(*b),
        Document::Int(i) => Json::from(*i),
        Document::Float(x) => float_to_json(*x),
        Document::String(s) => Json::String(s.clone()),
        Document::Array(a) => Json::Array(a.iter().map(document_to_json).collect()),
        Document::Object(o) => Json::Object(
            o.iter()
                .map(|(k, v)| (k.clone(), document_to_json(v)))
                .collect(),
        ),
    }
}

/// A float as botocore's fixed-up results show it: a number, or `"NaN"`, `"Infinity"`, `"-Infinity"`.
pub fn float_to_json(x: f64) -> Json {
    if x.is_nan() {
        Json::from("NaN")
    } else if x.is_infinite() {
        Json::from(if x > 0.0 { "Infinity" } else { "-Infinity" })
    } else {
        serde_json::Number::from_f64(x)
            .map(Json::Number)
            .unwrap_or(Json::Null)
    }
}

/// A timestamp as epoch seconds, correctly rounded from its exact decimal value (an integer when whole).
fn timestamp_to_json(t: DateTime) -> Json {
    if t.subsec_nanos() == 0 {
        return Json::from(t.secs());
    }
    let total = i128::from(t.secs()) * 1_000_000_000 + i128::from(t.subsec_nanos());
    let sign = if total < 0 { "-" } else { "" };
    let abs = total.unsigned_abs();
    let text = format!("{sign}{}.{:09}", abs / 1_000_000_000, abs % 1_000_000_000);
    float_to_json(text.parse().unwrap_or(f64::NAN))
}

/// Any structure (generated or dynamic) as JSON the way botocore's parsers and the test runner's
/// fix-ups present it: unset members left out, timestamps as epoch seconds, blobs as UTF-8 text,
/// special floats as strings, and `float` members at the precision of the `f32` they hold.
pub fn struct_to_json(s: &dyn Structure) -> Json {
    struct_to_json_as(s, BlobAs::Text)
}

/// How [`struct_to_json_as`] shows blobs.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum BlobAs {
    /// As UTF-8 text (invalid sequences replaced), as the test runner's fix-ups show them.
    Text,
    /// Exactly: `{"$blob": "<base64>"}` (how the boto3 oracle takes binary parameters).
    Tagged,
}

/// [`struct_to_json`], with blobs shown as `blob` says.
pub fn struct_to_json_as(s: &dyn Structure, blob: BlobAs) -> Json {
    let shape = s.shape();
    let mut obj = serde_json::Map::new();
    if let Some(name) = s
        .downcast_ref::<DynStruct>()
        .and_then(|d| d.unknown.as_ref())
    {
        obj.insert(
            "SDK_UNKNOWN_MEMBER".into(),
            serde_json::json!({ "name": name }),
        );
    }
    for (i, m) in shape.members.iter().enumerate() {
        let v = s.field(i).get();
        match v {
            ValueRef::Null => {}
            // JSON text botocore returns parsed (a `jsonvalue` header, an IAM policy document).
            ValueRef::Str(t) if m.holds_json_text() => {
                let parsed = serde_json::from_str(t).unwrap_or_else(|_| Json::String(t.into()));
                obj.insert(m.name.to_string(), parsed);
            }
            v => {
                obj.insert(m.name.to_string(), value_to_json(m.target, v, blob));
            }
        }
    }
    Json::Object(obj)
}

fn value_to_json(shape: &Shape, v: ValueRef, blob: BlobAs) -> Json {
    match v {
        ValueRef::Null => Json::Null,
        ValueRef::Bool(b) => Json::Bool(b),
        ValueRef::Int(i) => Json::from(i),
        ValueRef::Float(x) if shape.kind == Kind::Float && x.is_finite() => {
            // The shortest decimal that reads back as the same f32: what the user of an f32 sees.
            float_to_json(format!("{}", x as f32).parse().unwrap_or(x))
        }
        ValueRef::Float(x) => float_to_json(x),
        ValueRef::Str(s) => Json::String(s.to_string()),
        ValueRef::Timestamp(t) => timestamp_to_json(t),
        ValueRef::Blob(b) if blob == BlobAs::Tagged => {
            use base64::Engine;
            serde_json::json!({ "$blob": base64::engine::general_purpose::STANDARD.encode(b) })
        }
        ValueRef::Blob(b) => Json::String(String::from_utf8_lossy(b).into_owned()),
        ValueRef::Stream(b) if blob == BlobAs::Tagged && b.as_bytes().is_some() => {
            use base64::Engine;
            let bytes = b.as_bytes().map(|b| &b[..]).unwrap_or_default();
            serde_json::json!({ "$blob": base64::engine::general_purpose::STANDARD.encode(bytes) })
        }
        ValueRef::Stream(b) => Json::String(
            b.as_bytes()
                .map(|b| String::from_utf8_lossy(b).into_owned())
                .unwrap_or_default(),
        ),
        ValueRef::Struct(s) => struct_to_json_as(s, blob),
        ValueRef::List(l) => {
            let item = if shape.has(flags::EVENTSTREAM) {
                shape
            } else {
                shape
                    .list_member()
                    .map(|m| m.target)
                    .unwrap_or(&prim::STRING)
            };
            Json::Array(
                (0..l.len())
                    .map(|i| value_to_json(item, l.get(i).get(), blob))
                    .collect(),
            )
        }
        ValueRef::Map(m) => {
            let vt = shape
                .map_members()
                .map(|(_, v)| v.target)
                .unwrap_or(&prim::STRING);
            Json::Object(
                m.entries()
                    .into_iter()
                    .map(|(k, v)| (k.to_string(), value_to_json(vt, v.get(), blob)))
                    .collect(),
            )
        }
        ValueRef::Document(d) => document_to_json(d),
    }
}
