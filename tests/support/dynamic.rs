//! Dynamic schemas and values for the protocol conformance runner: a botocore `shapes` map becomes
//! `&'static Shape` graphs built exactly as codegen emits them, and [`DynStruct`] is a
//! [`Structure`] whose fields follow any such shape, so the runtime codecs that serve generated
//! code also serialise test params and parse test responses.
//!
//! Shapes can be recursive, but `Shape`/`Member` hold plain `&'static` references, which cannot
//! form a cycle without `unsafe` mutation of shared data. Instead a recursive shape is unrolled
//! [`RECURSION_LIMIT`] levels deep (memoised per shape and level, so the graph stays small) and
//! ends in a member-less stub. Values nested deeper than that fail to convert or parse, so the
//! limit can only turn a case into a visible failure, never into a false pass.

use boto_runtime::schema::{
    flags, op_flags, prim, Kind, Location, Member, Operation, Protocol, Service, Shape,
    TimestampFormat,
};
use boto_runtime::value::{List, Map, Scalar, SetError, Slot, ValueMut};
use boto_runtime::{DateTime, Document, Structure, Value, ValueRef};
use codegen::model::{Metadata, OperationModel, ShapeModel, ShapeRef, XmlNamespace};
use serde_json::Value as Json;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::fmt;

/// How many levels of a recursive shape are unrolled before the graph ends in a stub.
pub const RECURSION_LIMIT: usize = 32;

fn leak(s: &str) -> &'static str {
    Box::leak(s.to_owned().into_boxed_str())
}

fn leak_ns(ns: &XmlNamespace) -> (&'static str, &'static str) {
    let (p, u) = ns.parts();
    (leak(&p), leak(&u))
}

/// The [`Protocol`] named by botocore's `metadata.protocol`, when the runtime has a variant for it.
pub fn protocol_of(name: &str) -> Option<Protocol> {
    Some(match name {
        "ec2" => Protocol::Ec2,
        "query" => Protocol::Query,
        "json" => Protocol::Json,
        "rest-json" => Protocol::RestJson,
        "rest-xml" => Protocol::RestXml,
        _ => return None,
    })
}

/// A [`Service`] from a suite's `metadata`, as codegen fills `SERVICE`; `None` for a protocol the runtime has no variant for.
pub fn service(md: &Metadata, schema: &mut Schema) -> Option<&'static Service> {
    let protocol = protocol_of(&md.protocol)?;
    let endpoint_prefix = leak(&md.endpoint_prefix);
    Some(Box::leak(Box::new(Service {
        name: endpoint_prefix,
        service_id: leak(md.service_id.as_deref().unwrap_or(&md.endpoint_prefix)),
        api_version: leak(&md.api_version),
        endpoint_prefix,
        signing_name: leak(md.signing_name.as_deref().unwrap_or(&md.endpoint_prefix)),
        protocol,
        json_version: md.json_version.as_deref().map(leak),
        target_prefix: md.target_prefix.as_deref().map(leak),
        xml_namespace: md.xml_namespace.as_deref().map(leak),
        query_compatible: md.aws_query_compatible.is_some(),
        global_region: None,
        errors: Box::leak(schema.exception_shapes().into_boxed_slice()),
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
    /// Every exception shape of the suite, as codegen lists them in `SERVICE.errors`.
    pub fn exception_shapes(&mut self) -> Vec<&'static Shape> {
        let names: Vec<String> = self
            .models
            .iter()
            .filter(|(_, m)| m.exception)
            .map(|(n, _)| n.clone())
            .collect();
        names.iter().map(|n| self.shape(n)).collect()
    }

    pub fn shape(&mut self, name: &str) -> &'static Shape {
        self.build(name, RECURSION_LIMIT)
    }

    fn build(&mut self, name: &str, depth: usize) -> &'static Shape {
        let Some(model) = self.models.get(name).cloned() else {
            return &prim::STRING;
        };
        if !self.recursive.contains(name) {
            if let Some(s) = self.flat.get(name) {
                return s;
            }
            let s = self.make(name, &model, depth);
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
            self.make(name, &model, depth - 1)
        };
        self.unrolled.insert(key, s);
        s
    }

    /// Builds one shape the way codegen's `schema_rs` emits it; members point at level `depth`.
    fn make(&mut self, name: &str, m: &ShapeModel, depth: usize) -> &'static Shape {
        let wire = leak(name);
        let kind = m.kind.as_str();
        let aggregate = matches!(kind, "structure" | "union" | "list" | "map") && !m.document;
        if !aggregate && m.enum_values.is_empty() && codegen::ir::scalar_is_plain(m) {
            // Plain scalars share the runtime's `prim` shapes, as in generated code.
            if let Some(p) = prim_for(kind, m.document) {
                return p;
            }
        }
        let mut s = if !aggregate {
            scalar(wire, m)
        } else {
            match kind {
                "structure" | "union" => {
                    let members: Vec<Member> = m
                        .members
                        .iter()
                        .map(|(mn, r)| {
                            let required = m.required.iter().any(|q| q == mn);
                            self.member(mn, r, required, depth)
                        })
                        .collect();
                    let members: &'static [Member] = Box::leak(members.into_boxed_slice());
                    if kind == "union" || m.union {
                        Shape::union(wire, members)
                    } else {
                        Shape::structure(wire, members)
                    }
                }
                "list" => {
                    let r = m.member.clone().unwrap_or_else(string_ref);
                    let item = self.member("member", &r, false, depth);
                    Shape::list(wire, Box::leak(Box::new([item])))
                }
                "map" => {
                    let k = m.key.clone().unwrap_or_else(string_ref);
                    let v = m.value.clone().unwrap_or_else(string_ref);
                    let kv = [
                        self.member("key", &k, false, depth),
                        self.member("value", &v, false, depth),
                    ];
                    Shape::map(wire, Box::leak(Box::new(kv)))
                }
                _ => scalar(wire, m),
            }
        };
        let mut f = 0;
        for (on, bit) in [
            (m.flattened, flags::FLATTENED),
            (m.sensitive, flags::SENSITIVE),
            (m.streaming, flags::STREAMING),
            (m.requires_length, flags::REQUIRES_LENGTH),
            (m.eventstream, flags::EVENTSTREAM),
            (m.event, flags::EVENT),
            (
                m.error.as_ref().is_some_and(|e| e.sender_fault),
                flags::SENDER_FAULT,
            ),
        ] {
            if on {
                f |= bit;
            }
        }
        s = s.flags(f);
        if let Some(l) = &m.location_name {
            s = s.xml_name(leak(l));
        }
        if let Some(ns) = &m.xml_namespace {
            let (p, u) = leak_ns(ns);
            s = s.xml_namespace(p, u);
        }
        if let Some(t) = ts_format(&m.timestamp_format) {
            s = s.ts_format(t);
        }
        if let Some(p) = &m.payload {
            s = s.payload(leak(p));
        }
        if m.exception {
            let code = m
                .error
                .as_ref()
                .and_then(|e| e.code.clone())
                .unwrap_or_else(|| name.to_string());
            let status = m
                .error
                .as_ref()
                .and_then(|e| e.http_status_code)
                .unwrap_or(400);
            s = s.error(leak(&code), status).constructor(construct_dyn);
        }
        Box::leak(Box::new(s))
    }

    /// A member the way codegen's `member_expr` emits it.
    fn member(&mut self, name: &str, r: &ShapeRef, required: bool, depth: usize) -> Member {
        let target = self.build(&r.shape, depth);
        let mut e = Member::new(leak(name), target);
        let (location, location_name) = r.resolved_location(self.models.get(&r.shape));
        let loc = match location {
            Some("uri") => Some(Location::Uri),
            Some("querystring") => Some(Location::Querystring),
            Some("header") => Some(Location::Header),
            Some("headers") => Some(Location::Headers),
            Some("statusCode") => Some(Location::StatusCode),
            _ => None,
        };
        let n = location_name.map(leak);
        e = match loc {
            Some(l) => e.at(l, n),
            None => match n {
                Some(n) => e.name(n),
                None => e,
            },
        };
        if let Some(q) = &r.query_name {
            e = e.query_name(leak(q));
        }
        if required {
            e = e.required();
        }
        let mut f = 0;
        for (on, bit) in [
            (r.flattened, flags::FLATTENED),
            (r.xml_attribute, flags::XML_ATTRIBUTE),
            (r.host_label, flags::HOST_LABEL),
            (r.idempotency_token, flags::IDEMPOTENCY_TOKEN),
            (r.jsonvalue, flags::JSONVALUE),
            (r.streaming, flags::STREAMING),
            (r.eventpayload, flags::EVENT_PAYLOAD),
            (r.eventheader, flags::EVENT_HEADER),
        ] {
            if on {
                f |= bit;
            }
        }
        e = e.flags(f);
        if let Some(ns) = &r.xml_namespace {
            let (p, u) = leak_ns(ns);
            e = e.xml_namespace(p, u);
        }
        if let Some(t) = ts_format(&r.timestamp_format) {
            e = e.ts_format(t);
        }
        e
    }

    /// The [`Operation`] a case's `given` describes, as codegen's `operations_rs` emits it (plus
    /// its modeled errors). Like codegen, traits on the input and output references other than
    /// `resultWrapper` (legacy rest-xml `locationName`/`xmlNamespace`) are not carried over.
    pub fn operation(&mut self, given: &OperationModel) -> Operation {
        let mut op = Operation::new(leak(&given.name))
            .http(leak(&given.http.method), leak(&given.http.request_uri));
        if let Some(c) = given.http.response_code {
            op = op.response_code(c);
        }
        if let Some(i) = &given.input {
            let mut shape = self.shape(&i.shape);
            // A payload named on the input reference (legacy suites) applies to the input shape.
            if let Some(p) = &i.payload {
                shape = Box::leak(Box::new(Shape {
                    payload: Some(leak(p)),
                    ..*shape
                }));
            }
            op = op.input(shape);
            if let Some(n) = &i.location_name {
                op = op.input_xml(leak(n), i.xml_namespace.as_ref().map(leak_ns));
            }
        }
        if let Some(o) = &given.output {
            op = op.output(self.shape(&o.shape));
            if let Some(w) = &o.result_wrapper {
                op = op.result_wrapper(leak(w));
            }
        }
        if !given.errors.is_empty() {
            let errors: Vec<&'static Shape> =
                given.errors.iter().map(|e| self.shape(&e.shape)).collect();
            op = op.errors(Box::leak(errors.into_boxed_slice()));
        }
        if let Some(h) = given
            .endpoint
            .as_ref()
            .and_then(|e| e.host_prefix.as_deref())
        {
            op = op.host_prefix(leak(h));
        }
        let mut f = 0;
        if given.http_checksum_required {
            f |= op_flags::CHECKSUM_REQUIRED;
        }
        if given.idempotent {
            f |= op_flags::IDEMPOTENT;
        }
        if given.authtype.as_deref() == Some("none") {
            f |= op_flags::UNSIGNED;
        }
        op.flags(f)
    }
}

fn string_ref() -> ShapeRef {
    ShapeRef {
        shape: String::new(),
        ..ShapeRef::default()
    }
}

fn scalar(wire: &'static str, m: &ShapeModel) -> Shape {
    let kind = match m.kind.as_str() {
        _ if m.document => Kind::Document,
        "string" | "character" => Kind::String,
        "boolean" => Kind::Boolean,
        "byte" => Kind::Byte,
        "short" => Kind::Short,
        "integer" => Kind::Integer,
        "long" => Kind::Long,
        "float" => Kind::Float,
        "double" => Kind::Double,
        "timestamp" => Kind::Timestamp,
        "blob" => Kind::Blob,
        _ => Kind::Document,
    };
    Shape::scalar(wire, kind)
}

/// The runtime's shared `prim` shape for a scalar, chosen by codegen's own rule.
fn prim_for(kind: &str, document: bool) -> Option<&'static Shape> {
    Some(match codegen::ir::prim_for(kind, document)? {
        "STRING" => &prim::STRING,
        "BOOLEAN" => &prim::BOOLEAN,
        "BYTE" => &prim::BYTE,
        "SHORT" => &prim::SHORT,
        "INTEGER" => &prim::INTEGER,
        "LONG" => &prim::LONG,
        "FLOAT" => &prim::FLOAT,
        "DOUBLE" => &prim::DOUBLE,
        "TIMESTAMP" => &prim::TIMESTAMP,
        "BLOB" => &prim::BLOB,
        _ => &prim::DOCUMENT,
    })
}

fn ts_format(f: &Option<String>) -> Option<TimestampFormat> {
    f.as_deref().map(|f| match f {
        "iso8601" => TimestampFormat::Iso8601,
        "rfc822" => TimestampFormat::Rfc822,
        "unixTimestamp" => TimestampFormat::UnixTimestamp,
        _ => TimestampFormat::Default,
    })
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
    fn set_unknown_member(&mut self, name: &str) {
        for f in &mut self.fields {
            f.value = Dyn::Null;
        }
        self.unknown = Some(name.to_string());
    }
    fn field(&self, i: usize) -> &dyn Value {
        match self.fields.get(i) {
            Some(f) => f,
            None => &boto_runtime::value::NULL,
        }
    }
    fn field_mut(&mut self, i: usize) -> &mut dyn Value {
        assert!(
            i < self.fields.len(),
            "{} has no member {i}",
            self.shape.name
        );
        if self.shape.kind == Kind::Union {
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
            Kind::Document => f.value = Dyn::Document(json_to_document(v)),
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

fn json_to_document(v: &Json) -> Document {
    match v {
        Json::Null => Document::Null,
        Json::Bool(b) => Document::Bool(*b),
        Json::Number(n) => match n.as_i64() {
            Some(i) => Document::Int(i),
            None => Document::Float(n.as_f64().unwrap_or(f64::NAN)),
        },
        Json::String(s) => Document::String(s.clone()),
        Json::Array(a) => Document::Array(a.iter().map(json_to_document).collect()),
        Json::Object(o) => Document::Object(
            o.iter()
                .map(|(k, v)| (k.clone(), json_to_document(v)))
                .collect(),
        ),
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
            // A `jsonvalue` header holds JSON text; botocore returns the parsed value (a body
            // member stays text).
            ValueRef::Str(t) if m.has(flags::JSONVALUE) && m.location == Location::Header => {
                let parsed = serde_json::from_str(t).unwrap_or_else(|_| Json::String(t.into()));
                obj.insert(m.name.to_string(), parsed);
            }
            v => {
                obj.insert(m.name.to_string(), value_to_json(m.target, v));
            }
        }
    }
    Json::Object(obj)
}

fn value_to_json(shape: &Shape, v: ValueRef) -> Json {
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
        ValueRef::Blob(b) => Json::String(String::from_utf8_lossy(b).into_owned()),
        ValueRef::Stream(b) => Json::String(
            b.as_bytes()
                .map(|b| String::from_utf8_lossy(b).into_owned())
                .unwrap_or_default(),
        ),
        ValueRef::Struct(s) => struct_to_json(s),
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
                    .map(|i| value_to_json(item, l.get(i).get()))
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
                    .map(|(k, v)| (k.to_string(), value_to_json(vt, v.get())))
                    .collect(),
            )
        }
        ValueRef::Document(d) => document_to_json(d),
    }
}
