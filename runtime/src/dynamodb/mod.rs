//! DynamoDB items as native Rust values (boto3's `boto3.dynamodb.types`).
//!
//! Any `T: Serialize` becomes an item with [`to_item`], and any `T: DeserializeOwned` reads back
//! from one with [`from_item`]; [`Value`] is the untyped form, as boto3's Python values are:
//!
//! | Rust | DynamoDB |
//! | --- | --- |
//! | `None` in a struct field (flattened ones too: serde writes such a struct as a map without a length, whose `None`s are absent) | absent |
//! | `None` elsewhere, `()`, [`Value::Null`] | `NULL` |
//! | `bool` | `BOOL` |
//! | integers, [`Number`] | `N`, exact (at most 38 digits) |
//! | `f32`, `f64` | `N`: the shortest decimal that reads back as the same float |
//! | `String`, `&str`, `char`, unit enum variants | `S` |
//! | `Vec<u8>`, `&[u8]`, `[u8; N]`, `serde_bytes`, `bytes::Bytes` | `B` |
//! | `HashSet`/`BTreeSet` of strings, numbers or bytes | `SS`, `NS`, `BS` |
//! | other sequences, tuples | `L` |
//! | structs, maps (keys as text; integer, bool and unit-variant keys read back) | `M` |
//!
//! Numbers never pass through `f64` unless the Rust type is a float: an `i128` or a
//! [`Number`] is sent digit for digit, and reading a number into an integer type takes it exactly
//! (a fraction or an overflow is an error). What serde reads without a type of its own (a
//! flattened struct's members, an untagged enum, `serde_json::Value`) sees a number as an
//! integer when it fits 64 bits, as an `f64` when the float keeps every digit, and else as its
//! text, which a [`Number`] reads exactly; binary is a sequence of bytes there. An error names
//! the attribute it is about:
//! ``at `tags`: an empty set, which DynamoDB refuses``.
//!
//! The generated `dynamodb` crate converts these to and from its `AttributeValue`
//! (`AttributeValue::from(value)`, `Value::try_from(attribute_value)`,
//! `AttributeValue::from_item(&user)`, `AttributeValue::to_item::<User>(map)`), through
//! [`AttributeValueType`], which its one generated line implements.

pub mod conditions;
mod de;
mod number;
mod ser;
pub mod table;

pub use conditions::{Attr, Condition, ConditionError, Expression, ExpressionBuilder, Key};
pub use number::Number;
pub use table::{Batch, BatchWriter, Native, Request, Write};

use std::collections::{BTreeMap, HashMap};
use std::fmt;

/// An item: attribute names and values.
pub type Item = BTreeMap<String, Value>;

/// A DynamoDB value, untyped (boto3's Python values).
///
/// Two values are equal when they are the same type and hold the same data; a set's members are
/// compared in any order (DynamoDB's sets have none), a number's by its text.
#[derive(Clone, Debug)]
pub enum Value {
    /// `NULL` (Python's `None`).
    Null,
    /// `BOOL`.
    Bool(bool),
    /// `N`.
    Number(Number),
    /// `S`.
    String(String),
    /// `B`.
    Binary(Vec<u8>),
    /// `SS`.
    StringSet(Vec<String>),
    /// `NS`.
    NumberSet(Vec<Number>),
    /// `BS`.
    BinarySet(Vec<Vec<u8>>),
    /// `L`.
    List(Vec<Value>),
    /// `M`.
    Map(Item),
}

/// Whether `a` and `b` hold the same members, in any order.
fn same_members<T: Ord + Clone>(a: &[T], b: &[T]) -> bool {
    let sorted = |v: &[T]| {
        let mut v = v.to_vec();
        v.sort_unstable();
        v
    };
    a.len() == b.len() && (a == b || sorted(a) == sorted(b))
}

impl PartialEq for Value {
    fn eq(&self, other: &Value) -> bool {
        match (self, other) {
            (Value::Null, Value::Null) => true,
            (Value::Bool(a), Value::Bool(b)) => a == b,
            (Value::Number(a), Value::Number(b)) => a == b,
            (Value::String(a), Value::String(b)) => a == b,
            (Value::Binary(a), Value::Binary(b)) => a == b,
            (Value::StringSet(a), Value::StringSet(b)) => same_members(a, b),
            (Value::NumberSet(a), Value::NumberSet(b)) => {
                let text =
                    |v: &[Number]| v.iter().map(|n| n.as_str().to_string()).collect::<Vec<_>>();
                same_members(&text(a), &text(b))
            }
            (Value::BinarySet(a), Value::BinarySet(b)) => same_members(a, b),
            (Value::List(a), Value::List(b)) => a == b,
            (Value::Map(a), Value::Map(b)) => a == b,
            _ => false,
        }
    }
}

impl Value {
    /// The DynamoDB type name (`"S"`, `"N"`, `"NULL"`, ...).
    pub fn type_name(&self) -> &'static str {
        match self {
            Value::Null => "NULL",
            Value::Bool(_) => "BOOL",
            Value::Number(_) => "N",
            Value::String(_) => "S",
            Value::Binary(_) => "B",
            Value::StringSet(_) => "SS",
            Value::NumberSet(_) => "NS",
            Value::BinarySet(_) => "BS",
            Value::List(_) => "L",
            Value::Map(_) => "M",
        }
    }
}

impl From<&str> for Value {
    fn from(s: &str) -> Value {
        Value::String(s.to_string())
    }
}

impl From<String> for Value {
    fn from(s: String) -> Value {
        Value::String(s)
    }
}

impl From<bool> for Value {
    fn from(b: bool) -> Value {
        Value::Bool(b)
    }
}

impl From<Number> for Value {
    fn from(n: Number) -> Value {
        Value::Number(n)
    }
}

impl From<Vec<u8>> for Value {
    fn from(b: Vec<u8>) -> Value {
        Value::Binary(b)
    }
}

impl From<Vec<Value>> for Value {
    fn from(l: Vec<Value>) -> Value {
        Value::List(l)
    }
}

impl From<Item> for Value {
    fn from(m: Item) -> Value {
        Value::Map(m)
    }
}

macro_rules! value_from_int {
    ($($t:ty),*) => {$(
        impl From<$t> for Value {
            fn from(v: $t) -> Value {
                Value::Number(Number::from(v))
            }
        }
    )*};
}
value_from_int!(i8, i16, i32, i64, isize, u8, u16, u32, u64, usize);

/// One step of the path to an attribute.
#[derive(Clone, Debug, PartialEq)]
enum Step {
    Key(String),
    Index(usize),
}

/// A value that does not convert, with the path of the attribute it is about.
#[derive(Clone, Debug, PartialEq)]
pub struct ConvertError {
    /// Innermost step first (steps are added as the error travels out).
    path: Vec<Step>,
    message: String,
}

impl ConvertError {
    pub(crate) fn new(message: impl Into<String>) -> ConvertError {
        ConvertError {
            path: Vec::new(),
            message: message.into(),
        }
    }

    pub(crate) fn at_key(mut self, key: &str) -> ConvertError {
        self.path.push(Step::Key(key.to_string()));
        self
    }

    pub(crate) fn at_index(mut self, i: usize) -> ConvertError {
        self.path.push(Step::Index(i));
        self
    }

    /// The attribute path (`profile.tags[2]`), empty for the value as a whole.
    pub fn path(&self) -> String {
        let mut s = String::new();
        for step in self.path.iter().rev() {
            match step {
                Step::Key(k) => {
                    if !s.is_empty() {
                        s.push('.');
                    }
                    s.push_str(k);
                }
                Step::Index(i) => s.push_str(&format!("[{i}]")),
            }
        }
        s
    }

    /// What was wrong.
    pub fn message(&self) -> &str {
        &self.message
    }
}

impl fmt::Display for ConvertError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.path.is_empty() {
            f.write_str(&self.message)
        } else {
            write!(f, "at `{}`: {}", self.path(), self.message)
        }
    }
}

impl std::error::Error for ConvertError {}

impl serde::ser::Error for ConvertError {
    fn custom<T: fmt::Display>(msg: T) -> Self {
        ConvertError::new(msg.to_string())
    }
}

impl serde::de::Error for ConvertError {
    fn custom<T: fmt::Display>(msg: T) -> Self {
        ConvertError::new(msg.to_string())
    }
}

impl From<ConvertError> for crate::Error {
    fn from(e: ConvertError) -> crate::Error {
        crate::Error::validation(format!("DynamoDB item: {e}"))
    }
}

/// `v` as a DynamoDB value.
pub fn to_value<T: serde::Serialize + ?Sized>(v: &T) -> Result<Value, ConvertError> {
    ser::to_value::<Value, T>(v)
}

/// `v` as an item: `T` must serialise as a struct or a map.
pub fn to_item<T: serde::Serialize + ?Sized>(v: &T) -> Result<Item, ConvertError> {
    ser::to_map::<Value, T>(v)
}

/// `v` as a generated attribute value, built directly (for `AttributeValue::from_serde`).
#[doc(hidden)]
pub fn to_sink<S: Sink, T: serde::Serialize + ?Sized>(v: &T) -> Result<S, ConvertError> {
    ser::to_value::<S, T>(v)
}

/// `v` as a generated attribute map, built directly (for `AttributeValue::from_item`).
#[doc(hidden)]
pub fn to_sink_map<S: Sink, T: serde::Serialize + ?Sized>(v: &T) -> Result<S::Map, ConvertError> {
    ser::to_map::<S, T>(v)
}

/// A `T` read from a DynamoDB value.
pub fn from_value<T: serde::de::DeserializeOwned>(v: Value) -> Result<T, ConvertError> {
    T::deserialize(de::ValueDeserializer(v))
}

/// A `T` read from an item.
pub fn from_item<T: serde::de::DeserializeOwned>(item: Item) -> Result<T, ConvertError> {
    from_value(Value::Map(item))
}

/// What the serializer builds: [`Value`], or a generated `AttributeValue` (its
/// [`attribute_value!`](crate::attribute_value) implements this), so that an item goes straight
/// into the type a call takes.
#[doc(hidden)]
pub trait Sink: Sized {
    /// The map of an item (`Item`, `HashMap<String, AttributeValue>`).
    type Map;
    /// `NULL`.
    fn null() -> Self;
    /// `BOOL`.
    fn boolean(b: bool) -> Self;
    /// `N`.
    fn number(n: Number) -> Self;
    /// `S`.
    fn string(s: String) -> Self;
    /// `B`.
    fn binary(b: Vec<u8>) -> Self;
    /// `SS`.
    fn string_set(s: Vec<String>) -> Self;
    /// `NS`.
    fn number_set(n: Vec<Number>) -> Self;
    /// `BS`.
    fn binary_set(b: Vec<Vec<u8>>) -> Self;
    /// `L`.
    fn list(l: Vec<Self>) -> Self;
    /// A map being built, entry by entry.
    type MapBuilder;
    /// An empty map builder with room for `n` entries.
    fn map_builder(n: usize) -> Self::MapBuilder;
    /// Adds `key` (a repeated key keeps its last value).
    fn map_insert(map: &mut Self::MapBuilder, key: String, value: Self);
    /// The map built.
    fn map_finish(map: Self::MapBuilder) -> Self::Map;
    /// `M`.
    fn from_map(m: Self::Map) -> Self;
    /// The map this is, or this back.
    fn into_map(self) -> std::result::Result<Self::Map, Self>;
    /// The type's name (`"S"`, `"M"`, ...).
    fn kind(&self) -> &'static str;
}

/// A generated `AttributeValue` type (dynamodb's, dynamodbstreams'), which
/// [`attribute_value!`](crate::attribute_value) implements this for.
pub trait AttributeValueType: Sink {
    /// The attribute value holding `v`.
    fn from_native(v: Value) -> Self {
        into_sink(v)
    }
    /// The value this holds; an error when it holds no type (or one this model does not know).
    fn into_native(self) -> Result<Value, ConvertError>;
}

/// `v` built again in a [`Sink`], member by member.
fn into_sink<S: Sink>(v: Value) -> S {
    match v {
        Value::Null => S::null(),
        Value::Bool(b) => S::boolean(b),
        Value::Number(n) => S::number(n),
        Value::String(s) => S::string(s),
        Value::Binary(b) => S::binary(b),
        Value::StringSet(s) => S::string_set(s),
        Value::NumberSet(n) => S::number_set(n),
        Value::BinarySet(b) => S::binary_set(b),
        Value::List(l) => S::list(l.into_iter().map(into_sink).collect()),
        Value::Map(m) => {
            let mut map = S::map_builder(m.len());
            for (k, v) in m {
                S::map_insert(&mut map, k, into_sink(v));
            }
            S::from_map(S::map_finish(map))
        }
    }
}

/// An item of native values as the generated type's attribute map.
pub fn item_to_attributes<A: AttributeValueType>(item: Item) -> HashMap<String, A> {
    item.into_iter()
        .map(|(k, v)| (k, A::from_native(v)))
        .collect()
}

/// A generated attribute map as an item of native values.
pub fn attributes_to_item<A: AttributeValueType>(
    attrs: HashMap<String, A>,
) -> Result<Item, ConvertError> {
    attrs
        .into_iter()
        .map(|(k, v)| match v.into_native() {
            Ok(v) => Ok((k, v)),
            Err(e) => Err(e.at_key(&k)),
        })
        .collect()
}

/// Implements [`AttributeValueType`] and the conversions for a generated `AttributeValue` union
/// (variants `S`, `N`, `B`, `Ss`, `Ns`, `Bs`, `M`, `L`, `Null`, `Bool` and `Unknown`); one line
/// of generated code.
#[macro_export]
macro_rules! attribute_value {
    (@as $ty:ident: $($f:ident $v:ident $t:ty, $what:literal;)*) => {$(
        #[doc = concat!("What this holds when it is ", $what, "; itself otherwise.")]
        pub fn $f(&self) -> ::std::result::Result<&$t, &Self> {
            match self {
                Self::$v(v) => Ok(v),
                other => Err(other),
            }
        }
    )*};
    ($ty:ident) => {
        #[doc(hidden)]
        impl $crate::dynamodb::AttributeValueType for $ty {
            fn into_native(
                self,
            ) -> ::std::result::Result<$crate::dynamodb::Value, $crate::dynamodb::ConvertError>
            {
                use $crate::dynamodb::Value;
                match self {
                    Self::S(s) => Ok(Value::String(s)),
                    Self::N(n) => $crate::dynamodb::__number(n).map(Value::Number),
                    Self::B(b) => Ok(Value::Binary(b.into_inner())),
                    Self::Ss(s) => Ok(Value::StringSet(s)),
                    Self::Ns(n) => $crate::dynamodb::__number_set(n),
                    Self::Bs(b) => Ok(Value::BinarySet(
                        b.into_iter().map(|b| b.into_inner()).collect(),
                    )),
                    Self::M(m) => $crate::dynamodb::attributes_to_item(m).map(Value::Map),
                    Self::L(l) => $crate::dynamodb::__list(l),
                    Self::Null(true) => Ok(Value::Null),
                    Self::Bool(b) => Ok(Value::Bool(b)),
                    Self::Null(false) => Err($crate::dynamodb::__untyped("NULL")),
                    Self::Unknown(name) => Err($crate::dynamodb::__untyped(&name)),
                }
            }
        }
        impl $crate::dynamodb::Sink for $ty {
            type Map = ::std::collections::HashMap<::std::string::String, $ty>;
            fn null() -> Self {
                Self::Null(true)
            }
            fn boolean(b: bool) -> Self {
                Self::Bool(b)
            }
            fn number(n: $crate::dynamodb::Number) -> Self {
                Self::N(n.into_string())
            }
            fn string(s: ::std::string::String) -> Self {
                Self::S(s)
            }
            fn binary(b: ::std::vec::Vec<u8>) -> Self {
                Self::B($crate::Blob::new(b))
            }
            fn string_set(s: ::std::vec::Vec<::std::string::String>) -> Self {
                Self::Ss(s)
            }
            fn number_set(n: ::std::vec::Vec<$crate::dynamodb::Number>) -> Self {
                Self::Ns(n.into_iter().map(|n| n.into_string()).collect())
            }
            fn binary_set(b: ::std::vec::Vec<::std::vec::Vec<u8>>) -> Self {
                Self::Bs(b.into_iter().map($crate::Blob::new).collect())
            }
            fn list(l: ::std::vec::Vec<Self>) -> Self {
                Self::L(l)
            }
            type MapBuilder = Self::Map;
            fn map_builder(n: usize) -> Self::Map {
                ::std::collections::HashMap::with_capacity(n)
            }
            fn map_insert(map: &mut Self::Map, key: ::std::string::String, value: Self) {
                map.insert(key, value);
            }
            fn map_finish(map: Self::Map) -> Self::Map {
                map
            }
            fn from_map(m: Self::Map) -> Self {
                Self::M(m)
            }
            fn into_map(self) -> ::std::result::Result<Self::Map, Self> {
                match self {
                    Self::M(m) => Ok(m),
                    other => Err(other),
                }
            }
            fn kind(&self) -> &'static str {
                match self {
                    Self::S(_) => "S",
                    Self::N(_) => "N",
                    Self::B(_) => "B",
                    Self::Ss(_) => "SS",
                    Self::Ns(_) => "NS",
                    Self::Bs(_) => "BS",
                    Self::M(_) => "M",
                    Self::L(_) => "L",
                    Self::Null(_) => "NULL",
                    Self::Bool(_) => "BOOL",
                    Self::Unknown(_) => "(no type)",
                }
            }
        }
        impl ::std::convert::From<$crate::dynamodb::Value> for $ty {
            fn from(v: $crate::dynamodb::Value) -> Self {
                <Self as $crate::dynamodb::AttributeValueType>::from_native(v)
            }
        }
        impl ::std::convert::TryFrom<$ty> for $crate::dynamodb::Value {
            type Error = $crate::dynamodb::ConvertError;
            fn try_from(a: $ty) -> ::std::result::Result<Self, Self::Error> {
                <$ty as $crate::dynamodb::AttributeValueType>::into_native(a)
            }
        }
        impl $ty {
            $crate::attribute_value!(@as $ty:
                as_s S ::std::string::String, "`S` (a string)";
                as_n N ::std::string::String, "`N` (a number, as its text)";
                as_b B $crate::Blob, "`B` (binary)";
                as_ss Ss ::std::vec::Vec<::std::string::String>, "`SS` (a string set)";
                as_ns Ns ::std::vec::Vec<::std::string::String>, "`NS` (a number set)";
                as_bs Bs ::std::vec::Vec<$crate::Blob>, "`BS` (a binary set)";
                as_m M ::std::collections::HashMap<::std::string::String, $ty>, "`M` (a map)";
                as_l L ::std::vec::Vec<$ty>, "`L` (a list)";
                as_null Null bool, "`NULL`";
                as_bool Bool bool, "`BOOL`";
            );
            /// `v` (any `Serialize` value) as an attribute value (boto3's `TypeSerializer`).
            pub fn from_serde<T: $crate::__serde::Serialize + ?Sized>(
                v: &T,
            ) -> ::std::result::Result<Self, $crate::dynamodb::ConvertError> {
                $crate::dynamodb::to_sink::<Self, T>(v)
            }
            /// This value read as a `T` (boto3's `TypeDeserializer`).
            pub fn to_serde<T: $crate::__serde::de::DeserializeOwned>(
                self,
            ) -> ::std::result::Result<T, $crate::dynamodb::ConvertError> {
                $crate::dynamodb::from_value($crate::dynamodb::Value::try_from(self)?)
            }
            /// `v` (a `Serialize` struct or map) as an item's attribute map.
            pub fn from_item<T: $crate::__serde::Serialize + ?Sized>(
                v: &T,
            ) -> ::std::result::Result<
                ::std::collections::HashMap<::std::string::String, Self>,
                $crate::dynamodb::ConvertError,
            > {
                $crate::dynamodb::to_sink_map::<Self, T>(v)
            }
            /// An item's attribute map read as a `T`.
            pub fn to_item<T: $crate::__serde::de::DeserializeOwned>(
                attrs: ::std::collections::HashMap<::std::string::String, Self>,
            ) -> ::std::result::Result<T, $crate::dynamodb::ConvertError> {
                $crate::dynamodb::from_item($crate::dynamodb::attributes_to_item(attrs)?)
            }
        }
    };
}

/// A number read from the service (for [`attribute_value!`]).
#[doc(hidden)]
pub fn __number(n: String) -> Result<Number, ConvertError> {
    Number::from_wire(n).map_err(ConvertError::new)
}

/// A number set read from the service (for [`attribute_value!`]).
#[doc(hidden)]
pub fn __number_set(ns: Vec<String>) -> Result<Value, ConvertError> {
    let set = (ns.into_iter().enumerate()).map(|(i, n)| __number(n).map_err(|e| e.at_index(i)));
    Ok(Value::NumberSet(set.collect::<Result<_, _>>()?))
}

/// A list of generated attribute values as native values (for [`attribute_value!`]).
#[doc(hidden)]
pub fn __list<A: AttributeValueType>(l: Vec<A>) -> Result<Value, ConvertError> {
    let list = (l.into_iter().enumerate()).map(|(i, v)| v.into_native().map_err(|e| e.at_index(i)));
    Ok(Value::List(list.collect::<Result<_, _>>()?))
}

/// The error for an attribute value holding no type this model knows (`name` is the member the
/// service sent, empty when none was set).
#[doc(hidden)]
pub fn __untyped(name: &str) -> ConvertError {
    ConvertError::new(match name {
        "" => "an attribute value with no type set".to_string(),
        "NULL" => "an attribute value with NULL false, which DynamoDB refuses".to_string(),
        _ => format!("an attribute value of type `{name}`, which this model does not know"),
    })
}
