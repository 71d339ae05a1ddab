//! Any `Deserialize` value read from a DynamoDB [`Value`].

use super::number::NUMBER_TOKEN;
use super::{ConvertError, Item, Number, Value};
use serde::de::{self, DeserializeSeed, Deserializer, IntoDeserializer, Visitor};
use std::cell::RefCell;
use std::fmt;

type Result<T> = std::result::Result<T, ConvertError>;

/// The newtype name [`Value`] deserialises under: this module's deserializer hands such a value
/// over whole (through [`HANDOVER`]), so that numbers and sets stay what they are.
const VALUE_TOKEN: &str = "$boto_runtime::dynamodb::Value";

thread_local! {
    /// The value being handed to [`Value`]'s `Deserialize` (set and taken in one call).
    static HANDOVER: RefCell<Option<Value>> = const { RefCell::new(None) };
}

/// Deserializes from an owned [`Value`].
pub(super) struct ValueDeserializer(pub(super) Value);

fn wrong(v: &Value, expected: &str) -> ConvertError {
    ConvertError::new(format!("expected {expected}, found {}", v.type_name()))
}

impl ValueDeserializer {
    fn number_as_int(n: &Number, what: &str) -> Result<i128> {
        n.to_i128()
            .ok_or_else(|| ConvertError::new(format!("expected {what}, found the number {n}")))
    }
}

macro_rules! int_method {
    ($($method:ident => $what:literal),*) => {$(
        fn $method<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
            match &self.0 {
                Value::Number(n) => {
                    let i = Self::number_as_int(n, $what)?;
                    if let Ok(i) = i64::try_from(i) {
                        visitor.visit_i64(i)
                    } else if let Ok(u) = u64::try_from(i) {
                        visitor.visit_u64(u)
                    } else {
                        visitor.visit_i128(i)
                    }
                }
                v => Err(wrong(v, $what)),
            }
        }
    )*};
}

impl<'de> Deserializer<'de> for ValueDeserializer {
    type Error = ConvertError;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        match self.0 {
            Value::Null => visitor.visit_unit(),
            Value::Bool(b) => visitor.visit_bool(b),
            // What serde buffers (`#[serde(flatten)]`, untagged enums) and untyped values
            // (`serde_json::Value`) read: an integer that fits 64 bits, a float that keeps every
            // digit, else the number's text, which loses none (decimal types read it).
            Value::Number(n) => match n.to_i128() {
                Some(i) if i64::try_from(i).is_ok() => visitor.visit_i64(i as i64),
                Some(i) if u64::try_from(i).is_ok() => visitor.visit_u64(i as u64),
                _ => match n.to_f64_lossless() {
                    Some(x) => visitor.visit_f64(x),
                    None => visitor.visit_string(n.into_string()),
                },
            },
            Value::String(s) => visitor.visit_string(s),
            // A sequence of bytes, as `Vec<u8>` reads (and as serde_json writes it).
            Value::Binary(b) => visitor.visit_seq(de::value::SeqDeserializer::new(b.into_iter())),
            Value::StringSet(s) => visit_seq(s.into_iter().map(Value::String), visitor),
            Value::NumberSet(s) => visit_seq(s.into_iter().map(Value::Number), visitor),
            Value::BinarySet(s) => visit_seq(s.into_iter().map(Value::Binary), visitor),
            Value::List(l) => visit_seq(l.into_iter(), visitor),
            Value::Map(m) => visit_map(m, visitor),
        }
    }

    int_method!(
        deserialize_i8 => "an integer", deserialize_i16 => "an integer",
        deserialize_i32 => "an integer", deserialize_i64 => "an integer",
        deserialize_i128 => "an integer", deserialize_u8 => "an integer",
        deserialize_u16 => "an integer", deserialize_u32 => "an integer",
        deserialize_u64 => "an integer", deserialize_u128 => "an integer"
    );

    fn deserialize_f32<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        self.deserialize_f64(visitor)
    }

    fn deserialize_f64<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        match &self.0 {
            Value::Number(n) => visitor.visit_f64(n.to_f64()),
            v => Err(wrong(v, "a number")),
        }
    }

    fn deserialize_bool<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        match self.0 {
            Value::Bool(b) => visitor.visit_bool(b),
            v => Err(wrong(&v, "a boolean")),
        }
    }

    fn deserialize_char<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        self.deserialize_string(visitor)
    }

    fn deserialize_str<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        self.deserialize_string(visitor)
    }

    fn deserialize_string<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        match self.0 {
            Value::String(s) => visitor.visit_string(s),
            // A number's exact text, for decimal types that read text.
            Value::Number(n) => visitor.visit_string(n.into_string()),
            v => Err(wrong(&v, "a string")),
        }
    }

    fn deserialize_bytes<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        self.deserialize_byte_buf(visitor)
    }

    fn deserialize_byte_buf<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        match self.0 {
            Value::Binary(b) => visitor.visit_byte_buf(b),
            v => Err(wrong(&v, "binary")),
        }
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        match self.0 {
            Value::Null => visitor.visit_none(),
            v => visitor.visit_some(ValueDeserializer(v)),
        }
    }

    fn deserialize_unit<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        match self.0 {
            Value::Null => visitor.visit_unit(),
            v => Err(wrong(&v, "NULL")),
        }
    }

    fn deserialize_unit_struct<V: Visitor<'de>>(
        self,
        _: &'static str,
        visitor: V,
    ) -> Result<V::Value> {
        self.deserialize_unit(visitor)
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        visitor: V,
    ) -> Result<V::Value> {
        match (name, self.0) {
            (NUMBER_TOKEN, Value::Number(n)) => visitor.visit_string(n.into_string()),
            (NUMBER_TOKEN, v) => Err(wrong(&v, "a number")),
            (VALUE_TOKEN, v) => {
                HANDOVER.with(|h| *h.borrow_mut() = Some(v));
                visitor.visit_unit()
            }
            (_, v) => visitor.visit_newtype_struct(ValueDeserializer(v)),
        }
    }

    fn deserialize_seq<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        match self.0 {
            Value::List(l) => visit_seq(l.into_iter(), visitor),
            Value::StringSet(s) => visit_seq(s.into_iter().map(Value::String), visitor),
            Value::NumberSet(s) => visit_seq(s.into_iter().map(Value::Number), visitor),
            Value::BinarySet(s) => visit_seq(s.into_iter().map(Value::Binary), visitor),
            // A `Vec<u8>` reads binary as its bytes.
            Value::Binary(b) => visit_seq(b.into_iter().map(|b| Value::Number(b.into())), visitor),
            v => Err(wrong(&v, "a list or a set")),
        }
    }

    fn deserialize_tuple<V: Visitor<'de>>(self, _: usize, visitor: V) -> Result<V::Value> {
        self.deserialize_seq(visitor)
    }

    fn deserialize_tuple_struct<V: Visitor<'de>>(
        self,
        _: &'static str,
        _: usize,
        visitor: V,
    ) -> Result<V::Value> {
        self.deserialize_seq(visitor)
    }

    fn deserialize_map<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        match self.0 {
            Value::Map(m) => visit_map(m, visitor),
            v => Err(wrong(&v, "a map")),
        }
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _: &'static str,
        _: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value> {
        self.deserialize_map(visitor)
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _: &'static str,
        _: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value> {
        match self.0 {
            Value::String(s) => visitor.visit_enum(s.into_deserializer()),
            Value::Map(m) if m.len() == 1 => {
                let (k, v) = m.into_iter().next().expect("one entry");
                visitor.visit_enum(EnumAccess(k, v))
            }
            v => Err(wrong(&v, "a string or a map with one key (an enum)")),
        }
    }

    fn deserialize_identifier<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        self.deserialize_string(visitor)
    }

    fn deserialize_ignored_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        visitor.visit_unit()
    }
}

fn visit_seq<'de, V: Visitor<'de>>(
    items: impl ExactSizeIterator<Item = Value>,
    visitor: V,
) -> Result<V::Value> {
    let mut seq = SeqAccess { items, index: 0 };
    visitor.visit_seq(&mut seq)
}

struct SeqAccess<I> {
    items: I,
    index: usize,
}

impl<'de, I: ExactSizeIterator<Item = Value>> de::SeqAccess<'de> for SeqAccess<I> {
    type Error = ConvertError;
    fn next_element_seed<T: DeserializeSeed<'de>>(&mut self, seed: T) -> Result<Option<T::Value>> {
        match self.items.next() {
            None => Ok(None),
            Some(v) => {
                let i = self.index;
                self.index += 1;
                seed.deserialize(ValueDeserializer(v))
                    .map(Some)
                    .map_err(|e| e.at_index(i))
            }
        }
    }
    fn size_hint(&self) -> Option<usize> {
        Some(self.items.len())
    }
}

fn visit_map<'de, V: Visitor<'de>>(m: Item, visitor: V) -> Result<V::Value> {
    let len = m.len();
    let mut access = MapAccess {
        entries: m.into_iter(),
        value: None,
        len,
    };
    visitor.visit_map(&mut access)
}

struct MapAccess {
    entries: std::collections::btree_map::IntoIter<String, Value>,
    value: Option<(String, Value)>,
    len: usize,
}

impl<'de> de::MapAccess<'de> for MapAccess {
    type Error = ConvertError;
    fn next_key_seed<K: DeserializeSeed<'de>>(&mut self, seed: K) -> Result<Option<K::Value>> {
        match self.entries.next() {
            None => Ok(None),
            Some((k, v)) => {
                self.len -= 1;
                let key = seed.deserialize(KeyDeserializer(&k))?;
                self.value = Some((k, v));
                Ok(Some(key))
            }
        }
    }
    fn next_value_seed<T: DeserializeSeed<'de>>(&mut self, seed: T) -> Result<T::Value> {
        let (k, v) = self
            .value
            .take()
            .ok_or_else(|| ConvertError::new("a map value asked for before its key"))?;
        seed.deserialize(ValueDeserializer(v))
            .map_err(|e| e.at_key(&k))
    }
    fn size_hint(&self) -> Option<usize> {
        Some(self.len)
    }
}

/// A map key: text, read back as what the serializer wrote as text (integers, bools, chars and
/// unit variants, as serde_json reads its keys).
struct KeyDeserializer<'a>(&'a str);

/// Key reads that parse the text, and take it only in the form the serializer writes (`1`, not
/// `+1` or `01`, which would otherwise read as the same key as `1` and overwrite it).
macro_rules! key_parse {
    ($($f:ident $visit:ident $t:ty),*) => {$(
        fn $f<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
            match self.0.parse::<$t>() {
                Ok(v) if v.to_string() == self.0 => visitor.$visit(v),
                _ => Err(ConvertError::new(format!(
                    "expected a map key holding {}, found `{}`",
                    stringify!($t),
                    self.0
                ))),
            }
        }
    )*};
}

impl<'de> Deserializer<'de> for KeyDeserializer<'_> {
    type Error = ConvertError;
    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        visitor.visit_str(self.0)
    }
    key_parse!(
        deserialize_bool visit_bool bool, deserialize_i8 visit_i8 i8,
        deserialize_i16 visit_i16 i16, deserialize_i32 visit_i32 i32,
        deserialize_i64 visit_i64 i64, deserialize_i128 visit_i128 i128,
        deserialize_u8 visit_u8 u8, deserialize_u16 visit_u16 u16,
        deserialize_u32 visit_u32 u32, deserialize_u64 visit_u64 u64,
        deserialize_u128 visit_u128 u128, deserialize_char visit_char char
    );
    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        visitor.visit_some(self)
    }
    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _: &'static str,
        visitor: V,
    ) -> Result<V::Value> {
        visitor.visit_newtype_struct(self)
    }
    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _: &'static str,
        _: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value> {
        visitor.visit_enum(self.0.into_deserializer())
    }
    serde::forward_to_deserialize_any! {
        f32 f64 str string bytes byte_buf unit unit_struct seq tuple tuple_struct map struct
        identifier ignored_any
    }
}

struct EnumAccess(String, Value);

impl<'de> de::EnumAccess<'de> for EnumAccess {
    type Error = ConvertError;
    type Variant = VariantAccess;
    fn variant_seed<V: DeserializeSeed<'de>>(self, seed: V) -> Result<(V::Value, VariantAccess)> {
        let name = seed.deserialize(de::value::StrDeserializer::<ConvertError>::new(&self.0))?;
        Ok((name, VariantAccess(self.0, self.1)))
    }
}

struct VariantAccess(String, Value);

impl<'de> de::VariantAccess<'de> for VariantAccess {
    type Error = ConvertError;
    fn unit_variant(self) -> Result<()> {
        match self.1 {
            Value::Null => Ok(()),
            v => Err(wrong(&v, "NULL").at_key(&self.0)),
        }
    }
    fn newtype_variant_seed<T: DeserializeSeed<'de>>(self, seed: T) -> Result<T::Value> {
        seed.deserialize(ValueDeserializer(self.1))
            .map_err(|e| e.at_key(&self.0))
    }
    fn tuple_variant<V: Visitor<'de>>(self, _: usize, visitor: V) -> Result<V::Value> {
        ValueDeserializer(self.1)
            .deserialize_seq(visitor)
            .map_err(|e| e.at_key(&self.0))
    }
    fn struct_variant<V: Visitor<'de>>(
        self,
        _: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value> {
        ValueDeserializer(self.1)
            .deserialize_map(visitor)
            .map_err(|e| e.at_key(&self.0))
    }
}

impl<'de> de::Deserialize<'de> for Value {
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Value, D::Error> {
        d.deserialize_newtype_struct(VALUE_TOKEN, ValueVisitor)
    }
}

/// Reads a [`Value`]: whole from this module's deserializer, else from any self-describing
/// format (JSON numbers are numbers, arrays lists, objects maps).
struct ValueVisitor;

impl<'de> Visitor<'de> for ValueVisitor {
    type Value = Value;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a DynamoDB value")
    }
    fn visit_unit<E: de::Error>(self) -> std::result::Result<Value, E> {
        Ok(HANDOVER
            .with(|h| h.borrow_mut().take())
            .unwrap_or(Value::Null))
    }
    fn visit_none<E: de::Error>(self) -> std::result::Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> std::result::Result<Value, D::Error> {
        d.deserialize_any(self)
    }
    fn visit_newtype_struct<D: Deserializer<'de>>(
        self,
        d: D,
    ) -> std::result::Result<Value, D::Error> {
        d.deserialize_any(self)
    }
    fn visit_bool<E: de::Error>(self, v: bool) -> std::result::Result<Value, E> {
        Ok(Value::Bool(v))
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> std::result::Result<Value, E> {
        Ok(Value::Number(v.into()))
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> std::result::Result<Value, E> {
        Ok(Value::Number(v.into()))
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> std::result::Result<Value, E> {
        Number::try_from(v).map(Value::Number).map_err(E::custom)
    }
    fn visit_str<E: de::Error>(self, v: &str) -> std::result::Result<Value, E> {
        Ok(Value::String(v.to_string()))
    }
    fn visit_string<E: de::Error>(self, v: String) -> std::result::Result<Value, E> {
        Ok(Value::String(v))
    }
    fn visit_bytes<E: de::Error>(self, v: &[u8]) -> std::result::Result<Value, E> {
        Ok(Value::Binary(v.to_vec()))
    }
    fn visit_byte_buf<E: de::Error>(self, v: Vec<u8>) -> std::result::Result<Value, E> {
        Ok(Value::Binary(v))
    }
    fn visit_seq<A: de::SeqAccess<'de>>(self, mut seq: A) -> std::result::Result<Value, A::Error> {
        let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0));
        while let Some(v) = seq.next_element()? {
            items.push(v);
        }
        Ok(Value::List(items))
    }
    fn visit_map<A: de::MapAccess<'de>>(self, mut map: A) -> std::result::Result<Value, A::Error> {
        let mut item = Item::new();
        while let Some((k, v)) = map.next_entry::<String, Value>()? {
            item.insert(k, v);
        }
        Ok(Value::Map(item))
    }
}
