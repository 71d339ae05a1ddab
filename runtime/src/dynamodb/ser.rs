//! Any `Serialize` value as a DynamoDB [`Value`], or straight into a generated
//! `AttributeValue` (any [`Sink`]), with nothing in between.

use super::number::NUMBER_TOKEN;
use super::{ConvertError, Number, Sink, Value};
use serde::ser::{self, Impossible, Serialize};
use std::marker::PhantomData;

fn not_a(what: &str) -> ConvertError {
    ConvertError::new(format!("expected {what}"))
}

/// Methods of a helper serializer that take none of what they are given, each an error saying
/// what was expected: `refuse!(Ok, "a byte"; serialize_bool, serialize_str, ...)`.
macro_rules! refuse {
    ($ok:ty, $w:literal; $($m:ident),* $(,)?) => { $( refuse!(@ $ok, $w, $m); )* };
    (@ $ok:ty, $w:literal, serialize_bool) => { fn serialize_bool(self, _: bool) -> Result<$ok> { Err(not_a($w)) } };
    (@ $ok:ty, $w:literal, serialize_i8) => { fn serialize_i8(self, _: i8) -> Result<$ok> { Err(not_a($w)) } };
    (@ $ok:ty, $w:literal, serialize_i16) => { fn serialize_i16(self, _: i16) -> Result<$ok> { Err(not_a($w)) } };
    (@ $ok:ty, $w:literal, serialize_i32) => { fn serialize_i32(self, _: i32) -> Result<$ok> { Err(not_a($w)) } };
    (@ $ok:ty, $w:literal, serialize_i64) => { fn serialize_i64(self, _: i64) -> Result<$ok> { Err(not_a($w)) } };
    (@ $ok:ty, $w:literal, serialize_u8) => { fn serialize_u8(self, _: u8) -> Result<$ok> { Err(not_a($w)) } };
    (@ $ok:ty, $w:literal, serialize_u16) => { fn serialize_u16(self, _: u16) -> Result<$ok> { Err(not_a($w)) } };
    (@ $ok:ty, $w:literal, serialize_u32) => { fn serialize_u32(self, _: u32) -> Result<$ok> { Err(not_a($w)) } };
    (@ $ok:ty, $w:literal, serialize_u64) => { fn serialize_u64(self, _: u64) -> Result<$ok> { Err(not_a($w)) } };
    (@ $ok:ty, $w:literal, serialize_f32) => { fn serialize_f32(self, _: f32) -> Result<$ok> { Err(not_a($w)) } };
    (@ $ok:ty, $w:literal, serialize_f64) => { fn serialize_f64(self, _: f64) -> Result<$ok> { Err(not_a($w)) } };
    (@ $ok:ty, $w:literal, serialize_char) => { fn serialize_char(self, _: char) -> Result<$ok> { Err(not_a($w)) } };
    (@ $ok:ty, $w:literal, serialize_str) => { fn serialize_str(self, _: &str) -> Result<$ok> { Err(not_a($w)) } };
    (@ $ok:ty, $w:literal, serialize_bytes) => { fn serialize_bytes(self, _: &[u8]) -> Result<$ok> { Err(not_a($w)) } };
    (@ $ok:ty, $w:literal, serialize_none) => { fn serialize_none(self) -> Result<$ok> { Err(not_a($w)) } };
    (@ $ok:ty, $w:literal, serialize_some) => { fn serialize_some<T: Serialize + ?Sized>(self, _: &T) -> Result<$ok> { Err(not_a($w)) } };
    (@ $ok:ty, $w:literal, serialize_unit) => { fn serialize_unit(self) -> Result<$ok> { Err(not_a($w)) } };
    (@ $ok:ty, $w:literal, serialize_unit_struct) => { fn serialize_unit_struct(self, _: &'static str) -> Result<$ok> { Err(not_a($w)) } };
    (@ $ok:ty, $w:literal, serialize_unit_variant) => { fn serialize_unit_variant(self, _: &'static str, _: u32, _: &'static str) -> Result<$ok> { Err(not_a($w)) } };
    (@ $ok:ty, $w:literal, serialize_newtype_struct) => { fn serialize_newtype_struct<T: Serialize + ?Sized>(self, _: &'static str, _: &T) -> Result<$ok> { Err(not_a($w)) } };
    (@ $ok:ty, $w:literal, serialize_newtype_variant) => { fn serialize_newtype_variant<T: Serialize + ?Sized>(self, _: &'static str, _: u32, _: &'static str, _: &T) -> Result<$ok> { Err(not_a($w)) } };
    (@ $ok:ty, $w:literal, serialize_seq) => { fn serialize_seq(self, _: Option<usize>) -> Result<Self::SerializeSeq> { Err(not_a($w)) } };
    (@ $ok:ty, $w:literal, serialize_tuple) => { fn serialize_tuple(self, _: usize) -> Result<Self::SerializeTuple> { Err(not_a($w)) } };
    (@ $ok:ty, $w:literal, serialize_tuple_struct) => { fn serialize_tuple_struct(self, _: &'static str, _: usize) -> Result<Self::SerializeTupleStruct> { Err(not_a($w)) } };
    (@ $ok:ty, $w:literal, serialize_tuple_variant) => { fn serialize_tuple_variant(self, _: &'static str, _: u32, _: &'static str, _: usize) -> Result<Self::SerializeTupleVariant> { Err(not_a($w)) } };
    (@ $ok:ty, $w:literal, serialize_map) => { fn serialize_map(self, _: Option<usize>) -> Result<Self::SerializeMap> { Err(not_a($w)) } };
    (@ $ok:ty, $w:literal, serialize_struct) => { fn serialize_struct(self, _: &'static str, _: usize) -> Result<Self::SerializeStruct> { Err(not_a($w)) } };
    (@ $ok:ty, $w:literal, serialize_struct_variant) => { fn serialize_struct_variant(self, _: &'static str, _: u32, _: &'static str, _: usize) -> Result<Self::SerializeStructVariant> { Err(not_a($w)) } };
}

/// The newtype name [`Value`]'s sets serialise under, so that they stay sets.
pub(crate) const SET_TOKEN: &str = "$boto_runtime::dynamodb::Set";

type Result<T> = std::result::Result<T, ConvertError>;

impl Sink for Value {
    type Map = super::Item;
    fn null() -> Self {
        Value::Null
    }
    fn boolean(b: bool) -> Self {
        Value::Bool(b)
    }
    fn number(n: Number) -> Self {
        Value::Number(n)
    }
    fn string(s: String) -> Self {
        Value::String(s)
    }
    fn binary(b: Vec<u8>) -> Self {
        Value::Binary(b)
    }
    fn string_set(s: Vec<String>) -> Self {
        Value::StringSet(s)
    }
    fn number_set(n: Vec<Number>) -> Self {
        Value::NumberSet(n)
    }
    fn binary_set(b: Vec<Vec<u8>>) -> Self {
        Value::BinarySet(b)
    }
    fn list(l: Vec<Self>) -> Self {
        Value::List(l)
    }
    // Entries are gathered, then the tree is built from them at once (sorted, the last of a
    // repeated key kept), which is faster than inserting them one by one.
    type MapBuilder = Vec<(String, Value)>;
    fn map_builder(n: usize) -> Self::MapBuilder {
        Vec::with_capacity(n)
    }
    fn map_insert(map: &mut Self::MapBuilder, key: String, value: Self) {
        map.push((key, value));
    }
    fn map_finish(map: Self::MapBuilder) -> super::Item {
        map.into_iter().collect()
    }
    fn from_map(m: super::Item) -> Self {
        Value::Map(m)
    }
    fn into_map(self) -> std::result::Result<super::Item, Self> {
        match self {
            Value::Map(m) => Ok(m),
            v => Err(v),
        }
    }
    fn kind(&self) -> &'static str {
        self.type_name()
    }
}

pub(super) fn to_value<S: Sink, T: Serialize + ?Sized>(v: &T) -> Result<S> {
    Ok(value_of::<S, T>(v)?.unwrap_or_else(S::null))
}

/// `v` as an item: a struct or a map.
pub(super) fn to_map<S: Sink, T: Serialize + ?Sized>(v: &T) -> Result<S::Map> {
    to_value::<S, T>(v)?.into_map().map_err(|other| {
        ConvertError::new(format!(
            "an item is a struct or a map, not {}",
            other.kind()
        ))
    })
}

/// What serde cannot tell a serializer: which sequences are sets and which are bytes. The type's
/// name says (`type_name` is stable for the standard library's collections).
fn kind_of<T: ?Sized>() -> Kind {
    let mut name = std::any::type_name::<T>();
    while let Some(rest) = name.strip_prefix('&') {
        name = rest.strip_prefix("mut ").unwrap_or(rest);
    }
    if name.starts_with("std::collections::hash::set::HashSet<")
        || name.starts_with("alloc::collections::btree::set::BTreeSet<")
    {
        Kind::Set
    } else if name == "alloc::vec::Vec<u8>"
        || name == "[u8]"
        || name.starts_with("[u8; ")
        || name == "alloc::boxed::Box<[u8]>"
        || name == "alloc::borrow::Cow<[u8]>"
    {
        Kind::Bytes
    } else {
        Kind::Other
    }
}

enum Kind {
    Set,
    Bytes,
    Other,
}

/// `v`'s value; `None` for `Option::None` (absent in a struct, `NULL` elsewhere).
fn value_of<S: Sink, T: Serialize + ?Sized>(v: &T) -> Result<Option<S>> {
    match kind_of::<T>() {
        Kind::Other => v.serialize(ValueSer::<S>(PhantomData)),
        Kind::Bytes => v
            .serialize(BytesSer(Vec::new()))
            .map(|b| Some(S::binary(b))),
        Kind::Set => as_set(v),
    }
}

/// `v` (a sequence) as a set.
fn as_set<S: Sink, T: Serialize + ?Sized>(v: &T) -> Result<Option<S>> {
    Ok(Some(match v.serialize(SeqOnly)? {
        SetBuf::S(s) => S::string_set(s),
        SetBuf::N(n) => S::number_set(n),
        SetBuf::B(b) => S::binary_set(b),
        SetBuf::Empty => return Err(ConvertError::new("an empty set, which DynamoDB refuses")),
    }))
}

/// A set's members as they are gathered, straight into the vector of the first one's type.
enum SetBuf {
    Empty,
    S(Vec<String>),
    N(Vec<Number>),
    B(Vec<Vec<u8>>),
}

impl SetBuf {
    /// Adds member `i` (with room for `n` members in all): a string, number or bytes, of the
    /// type of those before it.
    fn push(&mut self, i: usize, n: usize, v: Value) -> Result<()> {
        if let SetBuf::Empty = self {
            *self = match v {
                Value::String(_) => SetBuf::S(Vec::with_capacity(n)),
                Value::Number(_) => SetBuf::N(Vec::with_capacity(n)),
                Value::Binary(_) => SetBuf::B(Vec::with_capacity(n)),
                _ => SetBuf::Empty,
            };
        }
        let held = match self {
            SetBuf::S(_) => "S",
            SetBuf::N(_) => "N",
            SetBuf::B(_) => "B",
            SetBuf::Empty => "",
        };
        match (self, v) {
            (SetBuf::S(set), Value::String(x)) => set.push(x),
            (SetBuf::N(set), Value::Number(x)) => set.push(x),
            (SetBuf::B(set), Value::Binary(x)) => set.push(x),
            (_, v @ (Value::String(_) | Value::Number(_) | Value::Binary(_))) => {
                let error = format!(
                    "a set mixing {held} and {}; a DynamoDB set holds one type",
                    v.type_name()
                );
                return Err(ConvertError::new(error).at_index(i));
            }
            (_, v) => {
                let error = format!(
                    "a set member of type {}; DynamoDB sets hold strings, numbers or binary, one type each",
                    v.type_name()
                );
                return Err(ConvertError::new(error).at_index(i));
            }
        }
        Ok(())
    }
}

fn number<S: Sink, N>(n: N) -> Result<Option<S>>
where
    Number: TryFrom<N, Error = String>,
{
    Number::try_from(n)
        .map(|n| Some(S::number(n)))
        .map_err(ConvertError::new)
}

fn int<S: Sink>(n: impl Into<Number>) -> Result<Option<S>> {
    Ok(Some(S::number(n.into())))
}

/// `{variant: inner}`, as serde_json writes an enum variant with content.
fn variant<S: Sink>(name: &str, inner: S) -> S {
    let mut map = S::map_builder(1);
    S::map_insert(&mut map, name.to_string(), inner);
    S::from_map(S::map_finish(map))
}

struct ValueSer<S>(PhantomData<S>);

impl<S: Sink> ser::Serializer for ValueSer<S> {
    type Ok = Option<S>;
    type Error = ConvertError;
    type SerializeSeq = SeqSer<S>;
    type SerializeTuple = SeqSer<S>;
    type SerializeTupleStruct = SeqSer<S>;
    type SerializeTupleVariant = Variant<SeqSer<S>>;
    type SerializeMap = MapSer<S>;
    type SerializeStruct = MapSer<S>;
    type SerializeStructVariant = Variant<MapSer<S>>;

    fn serialize_bool(self, v: bool) -> Result<Self::Ok> {
        Ok(Some(S::boolean(v)))
    }
    fn serialize_i8(self, v: i8) -> Result<Self::Ok> {
        int(v)
    }
    fn serialize_i16(self, v: i16) -> Result<Self::Ok> {
        int(v)
    }
    fn serialize_i32(self, v: i32) -> Result<Self::Ok> {
        int(v)
    }
    fn serialize_i64(self, v: i64) -> Result<Self::Ok> {
        int(v)
    }
    fn serialize_i128(self, v: i128) -> Result<Self::Ok> {
        number(v)
    }
    fn serialize_u8(self, v: u8) -> Result<Self::Ok> {
        int(v)
    }
    fn serialize_u16(self, v: u16) -> Result<Self::Ok> {
        int(v)
    }
    fn serialize_u32(self, v: u32) -> Result<Self::Ok> {
        int(v)
    }
    fn serialize_u64(self, v: u64) -> Result<Self::Ok> {
        int(v)
    }
    fn serialize_u128(self, v: u128) -> Result<Self::Ok> {
        number(v)
    }
    fn serialize_f32(self, v: f32) -> Result<Self::Ok> {
        number(v)
    }
    fn serialize_f64(self, v: f64) -> Result<Self::Ok> {
        number(v)
    }
    fn serialize_char(self, v: char) -> Result<Self::Ok> {
        Ok(Some(S::string(v.to_string())))
    }
    fn serialize_str(self, v: &str) -> Result<Self::Ok> {
        Ok(Some(S::string(v.to_string())))
    }
    fn serialize_bytes(self, v: &[u8]) -> Result<Self::Ok> {
        Ok(Some(S::binary(v.to_vec())))
    }
    fn serialize_none(self) -> Result<Self::Ok> {
        Ok(None)
    }
    fn serialize_some<T: Serialize + ?Sized>(self, v: &T) -> Result<Self::Ok> {
        Ok(Some(value_of::<S, T>(v)?.unwrap_or_else(S::null)))
    }
    fn serialize_unit(self) -> Result<Self::Ok> {
        Ok(Some(S::null()))
    }
    fn serialize_unit_struct(self, _: &'static str) -> Result<Self::Ok> {
        Ok(Some(S::null()))
    }
    fn serialize_unit_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
    ) -> Result<Self::Ok> {
        Ok(Some(S::string(variant.to_string())))
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        name: &'static str,
        v: &T,
    ) -> Result<Self::Ok> {
        match name {
            NUMBER_TOKEN => v.serialize(NumberSer).map(|n| Some(S::number(n))),
            SET_TOKEN => as_set(v),
            _ => value_of::<S, T>(v),
        }
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        _: u32,
        name: &'static str,
        v: &T,
    ) -> Result<Self::Ok> {
        let inner = value_of::<S, T>(v).map_err(|e| e.at_key(name))?;
        Ok(Some(variant(name, inner.unwrap_or_else(S::null))))
    }
    fn serialize_seq(self, len: Option<usize>) -> Result<SeqSer<S>> {
        Ok(SeqSer(Vec::with_capacity(len.unwrap_or(0))))
    }
    fn serialize_tuple(self, len: usize) -> Result<SeqSer<S>> {
        self.serialize_seq(Some(len))
    }
    fn serialize_tuple_struct(self, _: &'static str, len: usize) -> Result<SeqSer<S>> {
        self.serialize_seq(Some(len))
    }
    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        len: usize,
    ) -> Result<Variant<SeqSer<S>>> {
        Ok(Variant(variant, SeqSer(Vec::with_capacity(len))))
    }
    fn serialize_map(self, len: Option<usize>) -> Result<MapSer<S>> {
        // serde's derive writes a struct with a `#[serde(flatten)]` member as a map of unknown
        // length (every collection gives its length): its entries are fields, as in a struct.
        Ok(MapSer(
            S::map_builder(len.unwrap_or(0)),
            None,
            len.is_none(),
        ))
    }
    fn serialize_struct(self, _: &'static str, len: usize) -> Result<MapSer<S>> {
        Ok(MapSer(S::map_builder(len), None, true))
    }
    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        _: usize,
    ) -> Result<Variant<MapSer<S>>> {
        Ok(Variant(variant, MapSer(S::map_builder(0), None, true)))
    }
}

/// The members of a set: a sequence's elements, each a string, number or bytes.
struct SeqOnly;

impl ser::Serializer for SeqOnly {
    type Ok = SetBuf;
    type Error = ConvertError;
    type SerializeSeq = Members;
    type SerializeTuple = Impossible<SetBuf, ConvertError>;
    type SerializeTupleStruct = Impossible<SetBuf, ConvertError>;
    type SerializeTupleVariant = Impossible<SetBuf, ConvertError>;
    type SerializeMap = Impossible<SetBuf, ConvertError>;
    type SerializeStruct = Impossible<SetBuf, ConvertError>;
    type SerializeStructVariant = Impossible<SetBuf, ConvertError>;

    fn serialize_seq(self, len: Option<usize>) -> Result<Members> {
        Ok(Members(SetBuf::Empty, 0, len.unwrap_or(0)))
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        v: &T,
    ) -> Result<SetBuf> {
        v.serialize(self)
    }
    refuse!(SetBuf, "a set's members";
        serialize_bool, serialize_i8, serialize_i16, serialize_i32, serialize_i64, serialize_u8,
        serialize_u16, serialize_u32, serialize_u64, serialize_f32, serialize_f64, serialize_char,
        serialize_str, serialize_bytes, serialize_none, serialize_some, serialize_unit,
        serialize_unit_struct, serialize_unit_variant, serialize_newtype_variant,
        serialize_tuple, serialize_tuple_struct, serialize_tuple_variant, serialize_map,
        serialize_struct, serialize_struct_variant);
}

struct SeqSer<S>(Vec<S>);

impl<S: Sink> SeqSer<S> {
    fn push<T: Serialize + ?Sized>(&mut self, v: &T) -> Result<()> {
        let i = self.0.len();
        let v = value_of::<S, T>(v).map_err(|e| e.at_index(i))?;
        self.0.push(v.unwrap_or_else(S::null));
        Ok(())
    }
}

/// A set's members as [`SeqOnly`] gathers them: the set so far, the next member's index, and
/// how many the sequence said it holds.
struct Members(SetBuf, usize, usize);

impl ser::SerializeSeq for Members {
    type Ok = SetBuf;
    type Error = ConvertError;
    fn serialize_element<T: Serialize + ?Sized>(&mut self, v: &T) -> Result<()> {
        let i = self.1;
        let member = value_of::<Value, T>(v).map_err(|e| e.at_index(i))?;
        self.0.push(i, self.2, member.unwrap_or(Value::Null))?;
        self.1 += 1;
        Ok(())
    }
    fn end(self) -> Result<SetBuf> {
        Ok(self.0)
    }
}

/// The sequence traits of [`SeqSer`] for values: each element in turn, then the list.
macro_rules! seq_traits {
    ($($tr:ident::$method:ident),*) => {$(
        impl<S: Sink> ser::$tr for SeqSer<S> {
            type Ok = Option<S>;
            type Error = ConvertError;
            fn $method<T: Serialize + ?Sized>(&mut self, v: &T) -> Result<()> {
                self.push(v)
            }
            fn end(self) -> Result<Self::Ok> {
                Ok(Some(S::list(self.0)))
            }
        }
    )*};
}
seq_traits!(
    SerializeSeq::serialize_element,
    SerializeTuple::serialize_element,
    SerializeTupleStruct::serialize_field
);

/// A map or struct: its entries so far, the key waiting for its value (a repeated key keeps its
/// last value), and whether the entries are a struct's fields, where an unset `Option` is an
/// absent attribute (a map's `None` value is `NULL`, as boto3 writes a dict's).
struct MapSer<S: Sink>(S::MapBuilder, Option<String>, bool);

impl<S: Sink> ser::SerializeMap for MapSer<S> {
    type Ok = Option<S>;
    type Error = ConvertError;
    fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> Result<()> {
        self.1 = Some(key.serialize(KeySer)?);
        Ok(())
    }
    fn serialize_value<T: Serialize + ?Sized>(&mut self, v: &T) -> Result<()> {
        let key = self.1.take().unwrap_or_default();
        match value_of::<S, T>(v).map_err(|e| e.at_key(&key))? {
            Some(v) => S::map_insert(&mut self.0, key, v),
            None if self.2 => {}
            None => S::map_insert(&mut self.0, key, S::null()),
        }
        Ok(())
    }
    fn end(self) -> Result<Self::Ok> {
        Ok(Some(S::from_map(S::map_finish(self.0))))
    }
}

impl<S: Sink> ser::SerializeStruct for MapSer<S> {
    type Ok = Option<S>;
    type Error = ConvertError;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, key: &'static str, v: &T) -> Result<()> {
        // An unset `Option` field is an absent attribute.
        if let Some(v) = value_of::<S, T>(v).map_err(|e| e.at_key(key))? {
            S::map_insert(&mut self.0, key.to_string(), v);
        }
        Ok(())
    }
    fn end(self) -> Result<Self::Ok> {
        Ok(Some(S::from_map(S::map_finish(self.0))))
    }
}

/// An enum variant with content: `{variant: content}`, as serde_json writes it.
struct Variant<T>(&'static str, T);

impl<S: Sink> ser::SerializeTupleVariant for Variant<SeqSer<S>> {
    type Ok = Option<S>;
    type Error = ConvertError;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, v: &T) -> Result<()> {
        let name = self.0;
        self.1.push(v).map_err(|e| e.at_key(name))
    }
    fn end(self) -> Result<Self::Ok> {
        Ok(Some(variant(self.0, S::list(self.1 .0))))
    }
}

impl<S: Sink> ser::SerializeStructVariant for Variant<MapSer<S>> {
    type Ok = Option<S>;
    type Error = ConvertError;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, key: &'static str, v: &T) -> Result<()> {
        let name = self.0;
        ser::SerializeStruct::serialize_field(&mut self.1, key, v).map_err(|e| e.at_key(name))
    }
    fn end(self) -> Result<Self::Ok> {
        Ok(Some(variant(self.0, S::from_map(S::map_finish(self.1 .0)))))
    }
}

/// A map key: text, or what serde_json also writes as text (integers, chars, bools).
struct KeySer;

macro_rules! key_from_display {
    ($($f:ident: $t:ty),*) => {$(
        fn $f(self, v: $t) -> Result<String> {
            Ok(v.to_string())
        }
    )*};
}

impl ser::Serializer for KeySer {
    type Ok = String;
    type Error = ConvertError;
    type SerializeSeq = Impossible<String, ConvertError>;
    type SerializeTuple = Impossible<String, ConvertError>;
    type SerializeTupleStruct = Impossible<String, ConvertError>;
    type SerializeTupleVariant = Impossible<String, ConvertError>;
    type SerializeMap = Impossible<String, ConvertError>;
    type SerializeStruct = Impossible<String, ConvertError>;
    type SerializeStructVariant = Impossible<String, ConvertError>;

    key_from_display!(
        serialize_bool: bool, serialize_i8: i8, serialize_i16: i16, serialize_i32: i32,
        serialize_i64: i64, serialize_i128: i128, serialize_u8: u8, serialize_u16: u16,
        serialize_u32: u32, serialize_u64: u64, serialize_u128: u128, serialize_char: char,
        serialize_str: &str
    );
    fn serialize_some<T: Serialize + ?Sized>(self, v: &T) -> Result<String> {
        v.serialize(self)
    }
    fn serialize_unit_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
    ) -> Result<String> {
        Ok(variant.to_string())
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        v: &T,
    ) -> Result<String> {
        v.serialize(self)
    }
    refuse!(String, "text for a map key";
        serialize_f32, serialize_f64, serialize_bytes, serialize_none, serialize_unit,
        serialize_unit_struct, serialize_newtype_variant, serialize_seq, serialize_tuple,
        serialize_tuple_struct, serialize_tuple_variant, serialize_map, serialize_struct,
        serialize_struct_variant);
}

/// [`Number`]'s text.
struct NumberSer;

impl ser::Serializer for NumberSer {
    type Ok = Number;
    type Error = ConvertError;
    type SerializeSeq = Impossible<Number, ConvertError>;
    type SerializeTuple = Impossible<Number, ConvertError>;
    type SerializeTupleStruct = Impossible<Number, ConvertError>;
    type SerializeTupleVariant = Impossible<Number, ConvertError>;
    type SerializeMap = Impossible<Number, ConvertError>;
    type SerializeStruct = Impossible<Number, ConvertError>;
    type SerializeStructVariant = Impossible<Number, ConvertError>;

    fn serialize_str(self, v: &str) -> Result<Number> {
        Number::new(v).map_err(ConvertError::new)
    }
    refuse!(Number, "number text";
        serialize_bool, serialize_i8, serialize_i16, serialize_i32, serialize_i64, serialize_u8,
        serialize_u16, serialize_u32, serialize_u64, serialize_f32, serialize_f64, serialize_char,
        serialize_bytes, serialize_none, serialize_some, serialize_unit, serialize_unit_struct,
        serialize_unit_variant, serialize_newtype_struct, serialize_newtype_variant,
        serialize_seq, serialize_tuple, serialize_tuple_struct, serialize_tuple_variant,
        serialize_map, serialize_struct, serialize_struct_variant);
}

/// One byte of a `Vec<u8>`: a `u8`, nothing else.
struct ByteSer;

impl ser::Serializer for ByteSer {
    type Ok = u8;
    type Error = ConvertError;
    type SerializeSeq = Impossible<u8, ConvertError>;
    type SerializeTuple = Impossible<u8, ConvertError>;
    type SerializeTupleStruct = Impossible<u8, ConvertError>;
    type SerializeTupleVariant = Impossible<u8, ConvertError>;
    type SerializeMap = Impossible<u8, ConvertError>;
    type SerializeStruct = Impossible<u8, ConvertError>;
    type SerializeStructVariant = Impossible<u8, ConvertError>;

    fn serialize_u8(self, v: u8) -> Result<u8> {
        Ok(v)
    }
    refuse!(u8, "a byte";
        serialize_bool, serialize_i8, serialize_i16, serialize_i32, serialize_i64, serialize_u16,
        serialize_u32, serialize_u64, serialize_f32, serialize_f64, serialize_char, serialize_str,
        serialize_bytes, serialize_none, serialize_some, serialize_unit, serialize_unit_struct,
        serialize_unit_variant, serialize_newtype_struct, serialize_newtype_variant,
        serialize_seq, serialize_tuple, serialize_tuple_struct, serialize_tuple_variant,
        serialize_map, serialize_struct, serialize_struct_variant);
}

/// The bytes of a `Vec<u8>`, `[u8]` or `[u8; N]` (each serialises as a sequence of `u8`).
struct BytesSer(Vec<u8>);

impl ser::SerializeSeq for BytesSer {
    type Ok = Vec<u8>;
    type Error = ConvertError;
    fn serialize_element<T: Serialize + ?Sized>(&mut self, v: &T) -> Result<()> {
        self.0.push(v.serialize(ByteSer)?);
        Ok(())
    }
    fn end(self) -> Result<Vec<u8>> {
        Ok(self.0)
    }
}

impl ser::SerializeTuple for BytesSer {
    type Ok = Vec<u8>;
    type Error = ConvertError;
    fn serialize_element<T: Serialize + ?Sized>(&mut self, v: &T) -> Result<()> {
        ser::SerializeSeq::serialize_element(self, v)
    }
    fn end(self) -> Result<Vec<u8>> {
        Ok(self.0)
    }
}

impl ser::Serializer for BytesSer {
    type Ok = Vec<u8>;
    type Error = ConvertError;
    type SerializeSeq = BytesSer;
    type SerializeTuple = BytesSer;
    type SerializeTupleStruct = Impossible<Vec<u8>, ConvertError>;
    type SerializeTupleVariant = Impossible<Vec<u8>, ConvertError>;
    type SerializeMap = Impossible<Vec<u8>, ConvertError>;
    type SerializeStruct = Impossible<Vec<u8>, ConvertError>;
    type SerializeStructVariant = Impossible<Vec<u8>, ConvertError>;

    fn serialize_bytes(self, v: &[u8]) -> Result<Vec<u8>> {
        Ok(v.to_vec())
    }
    fn serialize_seq(self, len: Option<usize>) -> Result<BytesSer> {
        Ok(BytesSer(Vec::with_capacity(len.unwrap_or(0))))
    }
    fn serialize_tuple(self, len: usize) -> Result<BytesSer> {
        Ok(BytesSer(Vec::with_capacity(len)))
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        v: &T,
    ) -> Result<Vec<u8>> {
        v.serialize(self)
    }
    refuse!(Vec<u8>, "bytes";
        serialize_bool, serialize_i8, serialize_i16, serialize_i32, serialize_i64, serialize_u8,
        serialize_u16, serialize_u32, serialize_u64, serialize_f32, serialize_f64, serialize_char,
        serialize_str, serialize_none, serialize_some, serialize_unit, serialize_unit_struct,
        serialize_unit_variant, serialize_newtype_variant, serialize_tuple_struct,
        serialize_tuple_variant, serialize_map, serialize_struct, serialize_struct_variant);
}

impl Serialize for Value {
    fn serialize<S: ser::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        use ser::{SerializeMap, SerializeSeq};
        match self {
            Value::Null => s.serialize_unit(),
            Value::Bool(b) => s.serialize_bool(*b),
            Value::Number(n) => n.serialize(s),
            Value::String(t) => s.serialize_str(t),
            Value::Binary(b) => s.serialize_bytes(b),
            Value::StringSet(v) => s.serialize_newtype_struct(SET_TOKEN, v),
            Value::NumberSet(v) => s.serialize_newtype_struct(SET_TOKEN, v),
            Value::BinarySet(v) => s.serialize_newtype_struct(SET_TOKEN, &BinaryList(v)),
            Value::List(l) => {
                let mut seq = s.serialize_seq(Some(l.len()))?;
                for v in l {
                    seq.serialize_element(v)?;
                }
                seq.end()
            }
            Value::Map(m) => {
                let mut map = s.serialize_map(Some(m.len()))?;
                for (k, v) in m {
                    map.serialize_entry(k, v)?;
                }
                map.end()
            }
        }
    }
}

/// Binary set members, each as bytes.
struct BinaryList<'a>(&'a [Vec<u8>]);

impl Serialize for BinaryList<'_> {
    fn serialize<S: ser::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        use ser::SerializeSeq;
        let mut seq = s.serialize_seq(Some(self.0.len()))?;
        for b in self.0 {
            seq.serialize_element(&Bytes(b))?;
        }
        seq.end()
    }
}

struct Bytes<'a>(&'a [u8]);

impl Serialize for Bytes<'_> {
    fn serialize<S: ser::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        s.serialize_bytes(self.0)
    }
}
