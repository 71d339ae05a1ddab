//! `serde` for every generated type, written once over the schema tables: boto3's JSON form.
//!
//! With its `serde` feature on (`ec2 = { path = "...", features = ["serde"] }`), every structure,
//! union and enum of a generated crate implements `serde::Serialize` and `serde::Deserialize`
//! through this module (the feature is off by default: the two impls per type add about a tenth to
//! a crate's build), so a response prints as the dict boto3 returns and an
//! input reads from the keyword arguments a boto3 user passes:
//!
//! - keys are the model's member names (`"Reservations"`, `"InstanceId"`), as in boto3's dicts and
//!   the AWS CLI's `--cli-input-json`;
//! - timestamps are ISO 8601 text in UTC (`2024-05-01T12:00:00Z`, with `.123`, `.123456` or
//!   `.123456789` when the time has a fraction); reading also takes epoch seconds (a number or a
//!   numeric string) and HTTP dates;
//! - blobs are base64 text;
//! - enums are their string values, unknown values included;
//! - a union is an object with one key (a member this model does not know reads and writes as
//!   boto3's `{"SDK_UNKNOWN_MEMBER": {"name": "..."}}`);
//! - documents are JSON values; special floats are `"NaN"`, `"Infinity"` and `"-Infinity"`;
//! - unset members are absent (reading also takes `null` as unset);
//! - a `jsonvalue` header member (JSON text in the Rust type) is the JSON value it holds, as boto3
//!   shows it; so is an IAM policy document (a document that is not JSON stays its text).
//!
//! Streaming bodies ([`ByteStream`](crate::ByteStream)) and event streams are not serialised: they
//! are left out when writing, and a key naming one is an error when reading. Members the model
//! marks sensitive, which `Debug` redacts, are serialised: whoever serialises a value asked for
//! its data.
//!
//! Reading is strict: a key that is not a member, or a value of the wrong type, is an error that
//! names the key and where it is (`Reservations[0].Instances[0].InstanceID`), with the member's
//! spelling when only case or underscores differ.

use crate::document::Document;
use crate::schema::{flags, Kind, Member, Shape};
use crate::time::{Blob, DateTime};
use crate::value::{EnumSlot, ListSlot, MapSlot, OptionSlot, Structure, Value, ValueMut, ValueRef};
use base64::Engine;
use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use serde::ser::{SerializeMap, SerializeSeq, SerializeStruct, Serializer};
use serde::{Deserialize, Serialize};
use std::fmt;

/// Implements `Serialize` and `Deserialize` for a generated structure or union through this module
/// (`structure!` and `union!` expand it), when the crate it expands in has its `serde` feature on.
#[macro_export]
#[doc(hidden)]
macro_rules! serde_structure {
    ($t:ty) => {
        #[cfg(feature = "serde")]
        impl $crate::__serde::Serialize for $t {
            fn serialize<S: $crate::__serde::Serializer>(
                &self,
                serializer: S,
            ) -> ::std::result::Result<S::Ok, S::Error> {
                $crate::serde_form::serialize_generated(self, serializer)
            }
        }
        #[cfg(feature = "serde")]
        impl<'de> $crate::__serde::Deserialize<'de> for $t {
            fn deserialize<D: $crate::__serde::Deserializer<'de>>(
                deserializer: D,
            ) -> ::std::result::Result<Self, D::Error> {
                $crate::serde_form::deserialize_default(deserializer)
            }
        }
    };
}

/// The runtime glue of a generated string enum (which has `as_str` and `From<&str>` of its own):
/// `From<String>`, `Default` (an empty unknown value), `Display` and `Debug` (the wire value),
/// the value traits the codecs read and fill it through, [`StringEnum`](crate::input::StringEnum)
/// (what `input!` converts text with), and `Serialize` and `Deserialize` (its wire value) when
/// the crate it expands in has its `serde` feature on.
#[macro_export]
#[doc(hidden)]
macro_rules! string_enum {
    ($t:ty) => {
        impl ::std::convert::From<::std::string::String> for $t {
            fn from(s: ::std::string::String) -> Self {
                Self::from(s.as_str())
            }
        }
        impl ::std::default::Default for $t {
            fn default() -> Self {
                Self::Unknown(::std::string::String::new())
            }
        }
        impl ::std::fmt::Display for $t {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
        /// The wire value, quoted: an enum prints the same alone and inside a structure.
        impl ::std::fmt::Debug for $t {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                ::std::fmt::Debug::fmt(self.as_str(), f)
            }
        }
        #[doc(hidden)]
        impl $crate::Value for $t {
            fn get(&self) -> $crate::ValueRef<'_> {
                $crate::ValueRef::Str(self.as_str())
            }
            fn get_mut(&mut self) -> $crate::value::ValueMut<'_> {
                $crate::value::ValueMut::Enum(self)
            }
        }
        #[doc(hidden)]
        impl $crate::value::EnumSlot for $t {
            fn set_str(&mut self, s: &str) {
                *self = Self::from(s);
            }
        }
        #[doc(hidden)]
        impl $crate::input::StringEnum for $t {}
        #[cfg(feature = "serde")]
        impl $crate::__serde::Serialize for $t {
            fn serialize<S: $crate::__serde::Serializer>(
                &self,
                serializer: S,
            ) -> ::std::result::Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }
        #[cfg(feature = "serde")]
        impl<'de> $crate::__serde::Deserialize<'de> for $t {
            fn deserialize<D: $crate::__serde::Deserializer<'de>>(
                deserializer: D,
            ) -> ::std::result::Result<Self, D::Error> {
                $crate::serde_form::deserialize_string_enum(deserializer)
            }
        }
    };
}

// ---------------------------------------------------------------------------------------------
// Writing

/// Serialises any generated structure or union (what the generated `Serialize` impls call).
pub fn serialize_structure<S: Serializer>(
    s: &dyn Structure,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    if let Some(name) = s.unknown_member() {
        let mut map = serializer.serialize_map(Some(1))?;
        map.serialize_entry(UNKNOWN_MEMBER, &UnknownMember { name })?;
        return map.end();
    }
    let len = written(s).count();
    let mut st = serializer.serialize_struct(s.shape().name, len)?;
    for (m, form) in written(s) {
        st.serialize_field(m.name, &form)?;
    }
    st.end()
}

/// What a generated type's `Serialize` impl calls: generic over the type, so that the impl's
/// own body is a plain call (bodies are most of what the impls cost a crate's build).
#[doc(hidden)]
pub fn serialize_generated<T: Structure, S: Serializer>(
    v: &T,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    serialize_structure(v, serializer)
}

/// What a generated string enum's `Deserialize` impl calls.
#[doc(hidden)]
pub fn deserialize_string_enum<'de, T: EnumSlot + Default, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<T, D::Error> {
    let mut v = T::default();
    deserialize_enum(&mut v, deserializer)?;
    Ok(v)
}

/// Any generated structure or union, seen as a `Serialize` value (`serde_json::to_value(AsSerde(s))`):
/// the same form its own `Serialize` impl writes, for code that holds a `&dyn Structure`.
pub struct AsSerde<'a>(pub &'a dyn Structure);

impl Serialize for AsSerde<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serialize_structure(self.0, serializer)
    }
}

/// A member's value in its JSON form.
enum Form<'a> {
    Value(ValueRef<'a>),
    /// A member holding JSON text (`Member::holds_json_text`): the JSON it holds.
    JsonText(&'a str),
}

/// The members a structure writes: set ones, less streams.
fn written(s: &dyn Structure) -> impl Iterator<Item = (&'static Member, Form<'_>)> + '_ {
    let shape = s.shape();
    shape.members.iter().enumerate().filter_map(move |(i, m)| {
        if m.target.has(flags::EVENTSTREAM) {
            return None;
        }
        match s.field(i).get() {
            ValueRef::Null | ValueRef::Stream(_) => None,
            ValueRef::Str(t) if m.holds_json_text() => Some((m, Form::JsonText(t))),
            v => Some((m, Form::Value(v))),
        }
    })
}

impl Serialize for Form<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match *self {
            Form::JsonText(t) => match serde_json::from_str::<serde_json::Value>(t) {
                Ok(v) => v.serialize(serializer),
                Err(_) => serializer.serialize_str(t),
            },
            Form::Value(v) => match v {
                ValueRef::Null | ValueRef::Stream(_) => serializer.serialize_none(),
                ValueRef::Bool(b) => serializer.serialize_bool(b),
                ValueRef::Int(i) => serializer.serialize_i64(i),
                ValueRef::Float(x) => serialize_float(x, serializer),
                ValueRef::Str(s) => serializer.serialize_str(s),
                ValueRef::Timestamp(t) => serializer.collect_str(&Iso(t)),
                ValueRef::Blob(b) => {
                    serializer.serialize_str(&base64::engine::general_purpose::STANDARD.encode(b))
                }
                ValueRef::Struct(s) => serialize_structure(s, serializer),
                ValueRef::List(l) => {
                    let mut seq = serializer.serialize_seq(Some(l.len()))?;
                    for i in 0..l.len() {
                        seq.serialize_element(&Form::Value(l.get(i).get()))?;
                    }
                    seq.end()
                }
                ValueRef::Map(m) => {
                    let entries = m.entries();
                    let mut map = serializer.serialize_map(Some(entries.len()))?;
                    for (k, v) in entries {
                        map.serialize_entry(k, &Form::Value(v.get()))?;
                    }
                    map.end()
                }
                ValueRef::Document(d) => d.serialize(serializer),
            },
        }
    }
}

/// The key boto3 gives a union member this model does not know.
const UNKNOWN_MEMBER: &str = "SDK_UNKNOWN_MEMBER";

struct UnknownMember<'a> {
    name: &'a str,
}

impl Serialize for UnknownMember<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(1))?;
        map.serialize_entry("name", self.name)?;
        map.end()
    }
}

fn serialize_float<S: Serializer>(x: f64, serializer: S) -> Result<S::Ok, S::Error> {
    if x.is_nan() {
        serializer.serialize_str("NaN")
    } else if x.is_infinite() {
        serializer.serialize_str(if x > 0.0 { "Infinity" } else { "-Infinity" })
    } else {
        serializer.serialize_f64(x)
    }
}

/// A timestamp as ISO 8601 UTC text with as many fractional digits as it needs (0, 3, 6 or 9).
struct Iso(DateTime);

impl fmt::Display for Iso {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.write_iso8601_exact(f)
    }
}

impl Serialize for Document {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Document::Null => serializer.serialize_unit(),
            Document::Bool(b) => serializer.serialize_bool(*b),
            Document::Int(i) => serializer.serialize_i64(*i),
            Document::Float(x) => serialize_float(*x, serializer),
            Document::String(s) => serializer.serialize_str(s),
            Document::Array(a) => {
                let mut seq = serializer.serialize_seq(Some(a.len()))?;
                for v in a {
                    seq.serialize_element(v)?;
                }
                seq.end()
            }
            Document::Object(o) => {
                let mut map = serializer.serialize_map(Some(o.len()))?;
                for (k, v) in o {
                    map.serialize_entry(k, v)?;
                }
                map.end()
            }
        }
    }
}

impl<'de> Deserialize<'de> for Document {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(DocumentVisitor)
    }
}

struct DocumentVisitor;

impl<'de> Visitor<'de> for DocumentVisitor {
    type Value = Document;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a JSON value")
    }
    fn visit_unit<E>(self) -> Result<Document, E> {
        Ok(Document::Null)
    }
    fn visit_none<E>(self) -> Result<Document, E> {
        Ok(Document::Null)
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Document, D::Error> {
        Document::deserialize(d)
    }
    fn visit_bool<E>(self, b: bool) -> Result<Document, E> {
        Ok(Document::Bool(b))
    }
    fn visit_i64<E>(self, i: i64) -> Result<Document, E> {
        Ok(Document::Int(i))
    }
    fn visit_u64<E>(self, u: u64) -> Result<Document, E> {
        Ok(i64::try_from(u).map_or(Document::Float(u as f64), Document::Int))
    }
    fn visit_f64<E>(self, x: f64) -> Result<Document, E> {
        Ok(Document::Float(x))
    }
    fn visit_str<E>(self, s: &str) -> Result<Document, E> {
        Ok(Document::String(s.to_owned()))
    }
    fn visit_string<E>(self, s: String) -> Result<Document, E> {
        Ok(Document::String(s))
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Document, A::Error> {
        let mut out = Vec::new();
        while let Some(v) = seq.next_element()? {
            out.push(v);
        }
        Ok(Document::Array(out))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Document, A::Error> {
        let mut out = std::collections::BTreeMap::new();
        while let Some((k, v)) = map.next_entry::<String, Document>()? {
            out.insert(k, v);
        }
        Ok(Document::Object(out))
    }
}

// ---------------------------------------------------------------------------------------------
// Reading

/// Fills a generated structure or union from its JSON form (what the generated `Deserialize`
/// impls call; `into` starts as the default value).
pub fn deserialize_structure<'de, D: Deserializer<'de>>(
    into: &mut dyn Structure,
    deserializer: D,
) -> Result<(), D::Error> {
    deserializer.deserialize_map(StructVisitor {
        into,
        path: &Path::Root,
    })
}

/// A generated structure or union read from its JSON form (what the generated `Deserialize`
/// impls call).
pub fn deserialize_default<'de, T: Structure + Default, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<T, D::Error> {
    let mut v = T::default();
    deserialize_structure(&mut v, deserializer)?;
    Ok(v)
}

/// Fills a generated string enum from its wire value (any string: unknown values are kept).
pub fn deserialize_enum<'de, D: Deserializer<'de>>(
    into: &mut dyn EnumSlot,
    deserializer: D,
) -> Result<(), D::Error> {
    let s = deserializer.deserialize_str(StrVisitor {
        what: "a string",
        path: &Path::Root,
    })?;
    into.set_str(&s);
    Ok(())
}

/// Where a value is, for error messages: `Reservations[0].Instances[2].InstanceId`.
enum Path<'a> {
    Root,
    Key(&'a Path<'a>, &'a str),
    Index(&'a Path<'a>, usize),
}

impl fmt::Display for Path<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Path::Root => Ok(()),
            Path::Key(Path::Root, k) => f.write_str(k),
            Path::Key(p, k) => write!(f, "{p}.{k}"),
            Path::Index(p, i) => write!(f, "{p}[{i}]"),
        }
    }
}

impl Path<'_> {
    /// ` at `X.Y`` (nothing at the top).
    fn at(&self) -> String {
        match self {
            Path::Root => String::new(),
            p => format!(" at `{p}`"),
        }
    }
}

fn error<E: de::Error>(path: &Path, msg: impl fmt::Display) -> E {
    E::custom(format_args!("{msg}{}", path.at()))
}

/// A value to fill at a path: the seed the readers pass down.
struct ValueSeed<'a, 'p> {
    into: &'a mut dyn Value,
    path: &'p Path<'p>,
    member: Option<&'static Member>,
}

impl<'de> DeserializeSeed<'de> for ValueSeed<'_, '_> {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        let path = self.path;
        match self.into.get_mut() {
            ValueMut::Option(o) => d.deserialize_option(OptionVisitor {
                into: o,
                path,
                member: self.member,
            }),
            ValueMut::Bool(b) => {
                *b = d.deserialize_bool(BoolVisitor { path })?;
                Ok(())
            }
            ValueMut::I8(x) => store_int(x, d, path, "an 8-bit integer"),
            ValueMut::I16(x) => store_int(x, d, path, "a 16-bit integer"),
            ValueMut::I32(x) => store_int(x, d, path, "a 32-bit integer"),
            ValueMut::I64(x) => store_int(x, d, path, "a 64-bit integer"),
            ValueMut::F32(x) => {
                *x = d.deserialize_any(FloatVisitor { path })? as f32;
                Ok(())
            }
            ValueMut::F64(x) => {
                *x = d.deserialize_any(FloatVisitor { path })?;
                Ok(())
            }
            ValueMut::String(s) if self.member.is_some_and(Member::holds_json_text) => {
                let v = serde_json::Value::deserialize(d)?;
                *s = match v {
                    // A document that was not JSON is shown as its text (botocore keeps it so).
                    serde_json::Value::String(t)
                        if self.member.is_some_and(|m| m.has(flags::JSON_DOCUMENT)) =>
                    {
                        t
                    }
                    v => v.to_string(),
                };
                Ok(())
            }
            ValueMut::String(s) => {
                *s = d.deserialize_string(StrVisitor {
                    what: "a string",
                    path,
                })?;
                Ok(())
            }
            ValueMut::Enum(e) => {
                let s = d.deserialize_str(StrVisitor {
                    what: "a string",
                    path,
                })?;
                e.set_str(&s);
                Ok(())
            }
            ValueMut::Timestamp(t) => {
                *t = d.deserialize_any(TimeVisitor { path })?;
                Ok(())
            }
            ValueMut::Blob(b) => {
                *b = Blob::new(d.deserialize_any(BlobVisitor { path })?);
                Ok(())
            }
            ValueMut::Document(doc) => {
                *doc = Document::deserialize(d)?;
                Ok(())
            }
            ValueMut::Struct(s) => d.deserialize_map(StructVisitor { into: s, path }),
            ValueMut::List(l) => d.deserialize_seq(ListVisitor { into: l, path }),
            ValueMut::Map(m) => d.deserialize_map(MapVisitor { into: m, path }),
            ValueMut::Stream(_) => Err(error(
                path,
                "a streaming body is not read from JSON; set it in Rust",
            )),
            ValueMut::Events(_) => Err(error(
                path,
                "an event stream is not read from JSON; set it in Rust",
            )),
            ValueMut::None | ValueMut::Dynamic(_) => {
                Err(error(path, "this value cannot be read from JSON"))
            }
        }
    }
}

struct OptionVisitor<'a, 'p> {
    into: &'a mut dyn OptionSlot,
    path: &'p Path<'p>,
    member: Option<&'static Member>,
}

impl<'de> Visitor<'de> for OptionVisitor<'_, '_> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        write!(f, "a value or null{}", self.path.at())
    }
    fn visit_none<E>(self) -> Result<(), E> {
        self.into.clear();
        Ok(())
    }
    fn visit_unit<E>(self) -> Result<(), E> {
        self.into.clear();
        Ok(())
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        ValueSeed {
            into: self.into.present(),
            path: self.path,
            member: self.member,
        }
        .deserialize(d)
    }
}

struct BoolVisitor<'p> {
    path: &'p Path<'p>,
}

impl<'de> Visitor<'de> for BoolVisitor<'_> {
    type Value = bool;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        write!(f, "a boolean{}", self.path.at())
    }
    fn visit_bool<E>(self, b: bool) -> Result<bool, E> {
        Ok(b)
    }
}

fn store_int<'de, T: TryFrom<i64>, D: Deserializer<'de>>(
    slot: &mut T,
    d: D,
    path: &Path,
    what: &'static str,
) -> Result<(), D::Error> {
    let i = d.deserialize_i64(IntVisitor { path, what })?;
    *slot = T::try_from(i).map_err(|_| error(path, format_args!("{i} does not fit {what}")))?;
    Ok(())
}

struct IntVisitor<'p> {
    path: &'p Path<'p>,
    what: &'static str,
}

impl<'de> Visitor<'de> for IntVisitor<'_> {
    type Value = i64;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        write!(f, "{}{}", self.what, self.path.at())
    }
    fn visit_i64<E>(self, i: i64) -> Result<i64, E> {
        Ok(i)
    }
    fn visit_u64<E: de::Error>(self, u: u64) -> Result<i64, E> {
        i64::try_from(u)
            .map_err(|_| error(self.path, format_args!("{u} does not fit {}", self.what)))
    }
}

struct FloatVisitor<'p> {
    path: &'p Path<'p>,
}

impl<'de> Visitor<'de> for FloatVisitor<'_> {
    type Value = f64;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        write!(
            f,
            "a number (or \"NaN\", \"Infinity\", \"-Infinity\"){}",
            self.path.at()
        )
    }
    fn visit_i64<E>(self, i: i64) -> Result<f64, E> {
        Ok(i as f64)
    }
    fn visit_u64<E>(self, u: u64) -> Result<f64, E> {
        Ok(u as f64)
    }
    fn visit_f64<E>(self, x: f64) -> Result<f64, E> {
        Ok(x)
    }
    fn visit_str<E: de::Error>(self, s: &str) -> Result<f64, E> {
        match s {
            "NaN" => Ok(f64::NAN),
            "Infinity" => Ok(f64::INFINITY),
            "-Infinity" => Ok(f64::NEG_INFINITY),
            _ => Err(E::invalid_type(de::Unexpected::Str(s), &self)),
        }
    }
}

struct StrVisitor<'p> {
    what: &'static str,
    path: &'p Path<'p>,
}

impl<'de> Visitor<'de> for StrVisitor<'_> {
    type Value = String;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        write!(f, "{}{}", self.what, self.path.at())
    }
    fn visit_str<E>(self, s: &str) -> Result<String, E> {
        Ok(s.to_owned())
    }
    fn visit_string<E>(self, s: String) -> Result<String, E> {
        Ok(s)
    }
}

struct TimeVisitor<'p> {
    path: &'p Path<'p>,
}

impl<'de> Visitor<'de> for TimeVisitor<'_> {
    type Value = DateTime;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        write!(
            f,
            "a timestamp (ISO 8601 text or epoch seconds){}",
            self.path.at()
        )
    }
    fn visit_i64<E>(self, i: i64) -> Result<DateTime, E> {
        Ok(DateTime::from_secs(i))
    }
    fn visit_u64<E: de::Error>(self, u: u64) -> Result<DateTime, E> {
        i64::try_from(u)
            .map(DateTime::from_secs)
            .map_err(|_| error(self.path, format_args!("{u} seconds is out of range")))
    }
    fn visit_f64<E: de::Error>(self, x: f64) -> Result<DateTime, E> {
        if x.is_finite() {
            Ok(DateTime::from_fractional_secs(x))
        } else {
            Err(E::invalid_value(de::Unexpected::Float(x), &self))
        }
    }
    fn visit_str<E: de::Error>(self, s: &str) -> Result<DateTime, E> {
        DateTime::parse_any(s).map_err(|e| error(self.path, e))
    }
}

struct BlobVisitor<'p> {
    path: &'p Path<'p>,
}

impl<'de> Visitor<'de> for BlobVisitor<'_> {
    type Value = Vec<u8>;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        write!(f, "base64 text{}", self.path.at())
    }
    fn visit_str<E: de::Error>(self, s: &str) -> Result<Vec<u8>, E> {
        base64::engine::general_purpose::STANDARD
            .decode(s)
            .map_err(|e| error(self.path, format_args!("not base64 ({e})")))
    }
    fn visit_bytes<E>(self, b: &[u8]) -> Result<Vec<u8>, E> {
        Ok(b.to_vec())
    }
    fn visit_byte_buf<E>(self, b: Vec<u8>) -> Result<Vec<u8>, E> {
        Ok(b)
    }
}

struct StructVisitor<'a, 'p> {
    into: &'a mut dyn Structure,
    path: &'p Path<'p>,
}

/// A key of a structure's JSON object: a member (by index), or boto3's unknown-union-member key.
enum Key {
    Member(usize),
    UnknownUnionMember,
}

struct KeySeed<'p> {
    shape: &'static Shape,
    path: &'p Path<'p>,
}

impl<'de> DeserializeSeed<'de> for KeySeed<'_> {
    type Value = Key;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Key, D::Error> {
        d.deserialize_str(self)
    }
}

impl<'de> Visitor<'de> for KeySeed<'_> {
    type Value = Key;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        write!(f, "a member name of {}{}", self.shape.name, self.path.at())
    }
    fn visit_str<E: de::Error>(self, k: &str) -> Result<Key, E> {
        if let Some(i) = self.shape.members.iter().position(|m| m.name == k) {
            return Ok(Key::Member(i));
        }
        if self.shape.kind == Kind::Union && k == UNKNOWN_MEMBER {
            return Ok(Key::UnknownUnionMember);
        }
        let path = Path::Key(self.path, k);
        let loose = |s: &str| s.replace('_', "").to_ascii_lowercase();
        let hint = self
            .shape
            .members
            .iter()
            .find(|m| loose(m.name) == loose(k))
            .map(|m| format!(" (did you mean `{}`?)", m.name))
            .unwrap_or_default();
        Err(E::custom(format_args!(
            "unknown key `{path}`: {} has no member `{k}`{hint}",
            self.shape.name
        )))
    }
}

impl<'de> Visitor<'de> for StructVisitor<'_, '_> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        write!(
            f,
            "an object ({}){}",
            self.into.shape().name,
            self.path.at()
        )
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let shape = self.into.shape();
        let union = shape.kind == Kind::Union;
        let mut chosen: Option<&str> = None;
        while let Some(key) = map.next_key_seed(KeySeed {
            shape,
            path: self.path,
        })? {
            let name = match key {
                Key::Member(i) => shape.members[i].name,
                Key::UnknownUnionMember => UNKNOWN_MEMBER,
            };
            if union {
                if let Some(first) = chosen {
                    return Err(error(
                        self.path,
                        format_args!(
                            "{} is a union, which takes one member: `{first}` and `{name}` both given",
                            shape.name
                        ),
                    ));
                }
                chosen = Some(name);
            }
            match key {
                Key::Member(i) => {
                    let m = &shape.members[i];
                    let path = Path::Key(self.path, m.name);
                    map.next_value_seed(ValueSeed {
                        into: self.into.field_mut(i),
                        path: &path,
                        member: Some(m),
                    })?;
                }
                Key::UnknownUnionMember => {
                    let u: UnknownName = map.next_value()?;
                    self.into.set_unknown_member(&u.name);
                }
            }
        }
        Ok(())
    }
}

/// `{"name": "..."}`, boto3's record of an unknown union member.
struct UnknownName {
    name: String,
}

impl<'de> Deserialize<'de> for UnknownName {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = UnknownName;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("{\"name\": \"<member name>\"}")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<UnknownName, A::Error> {
                let mut name = None;
                while let Some(k) = map.next_key::<String>()? {
                    if k == "name" {
                        name = Some(map.next_value::<String>()?);
                    } else {
                        map.next_value::<de::IgnoredAny>()?;
                    }
                }
                name.map(|name| UnknownName { name })
                    .ok_or_else(|| de::Error::missing_field("name"))
            }
        }
        d.deserialize_map(V)
    }
}

struct ListVisitor<'a, 'p> {
    into: &'a mut dyn ListSlot,
    path: &'p Path<'p>,
}

/// One list element: appended only when the input has one.
struct ElementSeed<'a, 'p> {
    list: &'a mut dyn ListSlot,
    path: &'p Path<'p>,
}

impl<'de> DeserializeSeed<'de> for ElementSeed<'_, '_> {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        ValueSeed {
            into: self.list.push_default(),
            path: self.path,
            member: None,
        }
        .deserialize(d)
    }
}

impl<'de> Visitor<'de> for ListVisitor<'_, '_> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        write!(f, "a list{}", self.path.at())
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        let mut i = 0;
        loop {
            let path = Path::Index(self.path, i);
            let seed = ElementSeed {
                list: &mut *self.into,
                path: &path,
            };
            if seq.next_element_seed(seed)?.is_none() {
                return Ok(());
            }
            i += 1;
        }
    }
}

struct MapVisitor<'a, 'p> {
    into: &'a mut dyn MapSlot,
    path: &'p Path<'p>,
}

impl<'de> Visitor<'de> for MapVisitor<'_, '_> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        write!(f, "an object{}", self.path.at())
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        while let Some(k) = map.next_key::<String>()? {
            let path = Path::Key(self.path, &k);
            map.next_value_seed(ValueSeed {
                into: self.into.entry(k.clone()),
                path: &path,
                member: None,
            })?;
        }
        Ok(())
    }
}
