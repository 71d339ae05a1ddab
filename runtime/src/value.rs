//! The bridge between generated types and the codecs: dynamic read and write access to values.
//!
//! Each generated structure implements [`Structure`] (a schema plus "field i" accessors); the
//! codecs walk the schema and read or fill fields through [`Value`], so no codec is generated.

use crate::schema::Shape;
use crate::time::{Blob, DateTime};
use std::any::Any;
use std::collections::HashMap;

/// A borrowed view of a value, as the serialisers see it.
#[derive(Clone, Copy)]
pub enum ValueRef<'a> {
    /// Unset (`None`).
    Null,
    /// A boolean.
    Bool(bool),
    /// Any integer kind.
    Int(i64),
    /// `float` or `double`.
    Float(f64),
    /// Text, including string enums.
    Str(&'a str),
    /// A timestamp.
    Timestamp(DateTime),
    /// Binary data.
    Blob(&'a [u8]),
    /// A structure or union.
    Struct(&'a dyn Structure),
    /// A list.
    List(&'a dyn List),
    /// A map.
    Map(&'a dyn Map),
    /// A document.
    Document(&'a crate::Document),
}

impl std::fmt::Debug for ValueRef<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ValueRef::Null => f.write_str("Null"),
            ValueRef::Bool(b) => write!(f, "Bool({b})"),
            ValueRef::Int(i) => write!(f, "Int({i})"),
            ValueRef::Float(x) => write!(f, "Float({x})"),
            ValueRef::Str(s) => write!(f, "Str({s:?})"),
            ValueRef::Timestamp(t) => write!(f, "Timestamp({t})"),
            ValueRef::Blob(b) => write!(f, "Blob({} bytes)", b.len()),
            ValueRef::Struct(s) => write!(f, "Struct({})", s.shape().name),
            ValueRef::List(l) => write!(f, "List({} items)", l.len()),
            ValueRef::Map(_) => f.write_str("Map"),
            ValueRef::Document(d) => write!(f, "Document({d:?})"),
        }
    }
}

/// An owned scalar, as the parsers produce it.
#[derive(Debug, Clone, PartialEq)]
pub enum Scalar {
    /// A boolean.
    Bool(bool),
    /// Any integer kind.
    Int(i64),
    /// `float` or `double`.
    Float(f64),
    /// Text.
    Str(String),
    /// A timestamp.
    Timestamp(DateTime),
    /// Binary data.
    Blob(Vec<u8>),
}

impl Scalar {
    /// A short name of the scalar's kind, for error messages.
    pub fn kind_name(&self) -> &'static str {
        match self {
            Scalar::Bool(_) => "boolean",
            Scalar::Int(_) => "integer",
            Scalar::Float(_) => "number",
            Scalar::Str(_) => "string",
            Scalar::Timestamp(_) => "timestamp",
            Scalar::Blob(_) => "blob",
        }
    }
}

/// Why a value could not be stored in a field.
#[derive(Debug, Clone, PartialEq)]
pub struct SetError(pub String);

/// Dynamic access to one field's value. Implemented for every type a generated field can have.
pub trait Value: Send + Sync {
    /// Reads the value.
    fn get(&self) -> ValueRef<'_>;
    /// Stores a scalar.
    fn set(&mut self, v: Scalar) -> Result<(), SetError> {
        Err(SetError(format!("unexpected {} value", v.kind_name())))
    }
    /// The structure to fill, created when unset.
    fn as_struct_mut(&mut self) -> Option<&mut dyn Structure> {
        None
    }
    /// Appends a default element to a list and returns it.
    fn push(&mut self) -> Option<&mut dyn Value> {
        None
    }
    /// Inserts (or finds) `key` in a map and returns its value.
    fn insert(&mut self, _key: String) -> Option<&mut dyn Value> {
        None
    }
    /// Stores a document.
    fn set_document(&mut self, _d: crate::Document) -> Result<(), SetError> {
        Err(SetError("unexpected document".into()))
    }
    /// Makes an unset optional value present with its default (an empty list or map stays present).
    fn ensure_present(&mut self) {}
}

/// A generated structure or union: its schema and field access by member index.
pub trait Structure: Any + Send + Sync + std::fmt::Debug {
    /// The shape this type was generated from; member `i` of the shape is field `i`.
    fn shape(&self) -> &'static Shape;
    /// Field `i`.
    fn field(&self, i: usize) -> &dyn Value;
    /// Field `i`, mutably (for unions: selects member `i`).
    fn field_mut(&mut self, i: usize) -> &mut dyn Value;
}

impl dyn Structure {
    /// Downcasts to a concrete generated type.
    pub fn downcast_ref<T: Structure>(&self) -> Option<&T> {
        (self as &dyn Any).downcast_ref::<T>()
    }
}

/// A list, read element by element.
pub trait List: Send + Sync {
    /// Number of elements.
    fn len(&self) -> usize;
    /// Element `i`.
    fn get(&self, i: usize) -> &dyn Value;
    /// True when empty.
    fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// A map, read entry by entry in sorted key order (deterministic output).
pub trait Map: Send + Sync {
    /// Entries sorted by key.
    fn entries(&self) -> Vec<(&str, &dyn Value)>;
}

/// The value that stands for an absent field.
pub static NULL: () = ();

impl Value for () {
    fn get(&self) -> ValueRef<'_> {
        ValueRef::Null
    }
}

impl<T: Structure> Value for T {
    fn get(&self) -> ValueRef<'_> {
        ValueRef::Struct(self)
    }
    fn as_struct_mut(&mut self) -> Option<&mut dyn Structure> {
        Some(self)
    }
}

impl<T: Value + Default> Value for Option<T> {
    fn get(&self) -> ValueRef<'_> {
        match self {
            Some(v) => v.get(),
            None => ValueRef::Null,
        }
    }
    fn set(&mut self, v: Scalar) -> Result<(), SetError> {
        let mut t = T::default();
        t.set(v)?;
        *self = Some(t);
        Ok(())
    }
    fn as_struct_mut(&mut self) -> Option<&mut dyn Structure> {
        self.get_or_insert_with(T::default).as_struct_mut()
    }
    fn push(&mut self) -> Option<&mut dyn Value> {
        self.get_or_insert_with(T::default).push()
    }
    fn insert(&mut self, key: String) -> Option<&mut dyn Value> {
        self.get_or_insert_with(T::default).insert(key)
    }
    fn set_document(&mut self, d: crate::Document) -> Result<(), SetError> {
        self.get_or_insert_with(T::default).set_document(d)
    }
    fn ensure_present(&mut self) {
        self.get_or_insert_with(T::default);
    }
}

impl<T: Structure> Structure for Box<T> {
    fn shape(&self) -> &'static Shape {
        (**self).shape()
    }
    fn field(&self, i: usize) -> &dyn Value {
        (**self).field(i)
    }
    fn field_mut(&mut self, i: usize) -> &mut dyn Value {
        (**self).field_mut(i)
    }
}

impl<T: Value + Default> List for Vec<T> {
    fn len(&self) -> usize {
        Vec::len(self)
    }
    fn get(&self, i: usize) -> &dyn Value {
        &self[i]
    }
}

impl<T: Value + Default> Value for Vec<T> {
    fn get(&self) -> ValueRef<'_> {
        ValueRef::List(self)
    }
    fn push(&mut self) -> Option<&mut dyn Value> {
        Vec::push(self, T::default());
        self.last_mut().map(|v| v as &mut dyn Value)
    }
}

impl<T: Value + Default> Map for HashMap<String, T> {
    fn entries(&self) -> Vec<(&str, &dyn Value)> {
        let mut e: Vec<(&str, &dyn Value)> = self
            .iter()
            .map(|(k, v)| (k.as_str(), v as &dyn Value))
            .collect();
        e.sort_by(|a, b| a.0.cmp(b.0));
        e
    }
}

impl<T: Value + Default> Value for HashMap<String, T> {
    fn get(&self) -> ValueRef<'_> {
        ValueRef::Map(self)
    }
    fn insert(&mut self, key: String) -> Option<&mut dyn Value> {
        Some(self.entry(key).or_default() as &mut dyn Value)
    }
}

impl Value for String {
    fn get(&self) -> ValueRef<'_> {
        ValueRef::Str(self)
    }
    fn set(&mut self, v: Scalar) -> Result<(), SetError> {
        match v {
            Scalar::Str(s) => {
                *self = s;
                Ok(())
            }
            other => Err(SetError(format!(
                "expected a string, found {}",
                other.kind_name()
            ))),
        }
    }
}

impl Value for bool {
    fn get(&self) -> ValueRef<'_> {
        ValueRef::Bool(*self)
    }
    fn set(&mut self, v: Scalar) -> Result<(), SetError> {
        match v {
            Scalar::Bool(b) => {
                *self = b;
                Ok(())
            }
            other => Err(SetError(format!(
                "expected a boolean, found {}",
                other.kind_name()
            ))),
        }
    }
}

macro_rules! int_value {
    ($($t:ty),*) => {$(
        impl Value for $t {
            fn get(&self) -> ValueRef<'_> {
                ValueRef::Int(*self as i64)
            }
            fn set(&mut self, v: Scalar) -> Result<(), SetError> {
                match v {
                    Scalar::Int(i) => {
                        *self = <$t>::try_from(i).map_err(|_| {
                            SetError(format!("{} is out of range for {}", i, stringify!($t)))
                        })?;
                        Ok(())
                    }
                    other => Err(SetError(format!("expected an integer, found {}", other.kind_name()))),
                }
            }
        }
    )*};
}
int_value!(i8, i16, i32, i64);

macro_rules! float_value {
    ($($t:ty),*) => {$(
        impl Value for $t {
            fn get(&self) -> ValueRef<'_> {
                ValueRef::Float(*self as f64)
            }
            fn set(&mut self, v: Scalar) -> Result<(), SetError> {
                match v {
                    Scalar::Float(f) => {
                        *self = f as $t;
                        Ok(())
                    }
                    Scalar::Int(i) => {
                        *self = i as $t;
                        Ok(())
                    }
                    other => Err(SetError(format!("expected a number, found {}", other.kind_name()))),
                }
            }
        }
    )*};
}
float_value!(f32, f64);

impl Value for DateTime {
    fn get(&self) -> ValueRef<'_> {
        ValueRef::Timestamp(*self)
    }
    fn set(&mut self, v: Scalar) -> Result<(), SetError> {
        match v {
            Scalar::Timestamp(t) => {
                *self = t;
                Ok(())
            }
            other => Err(SetError(format!(
                "expected a timestamp, found {}",
                other.kind_name()
            ))),
        }
    }
}

impl Value for Blob {
    fn get(&self) -> ValueRef<'_> {
        ValueRef::Blob(self.as_bytes())
    }
    fn set(&mut self, v: Scalar) -> Result<(), SetError> {
        match v {
            Scalar::Blob(b) => {
                *self = Blob::new(b);
                Ok(())
            }
            Scalar::Str(s) => {
                *self = Blob::new(s.into_bytes());
                Ok(())
            }
            other => Err(SetError(format!(
                "expected binary data, found {}",
                other.kind_name()
            ))),
        }
    }
}

impl Value for crate::Document {
    fn get(&self) -> ValueRef<'_> {
        ValueRef::Document(self)
    }
    fn set_document(&mut self, d: crate::Document) -> Result<(), SetError> {
        *self = d;
        Ok(())
    }
}

/// Stores a scalar into a generated string enum (used by the enums' `Value` impls).
pub fn set_enum<E: for<'a> From<&'a str>>(slot: &mut E, v: Scalar) -> Result<(), SetError> {
    match v {
        Scalar::Str(s) => {
            *slot = E::from(s.as_str());
            Ok(())
        }
        other => Err(SetError(format!(
            "expected a string, found {}",
            other.kind_name()
        ))),
    }
}

/// Called by generated `field_mut` for an index outside the shape: a schema/type mismatch, which is a generator bug.
pub fn no_field<T: Structure>(s: &mut T, i: usize) -> &mut dyn Value {
    panic!(
        "{} has no member {i}: the generated type and its schema disagree",
        s.shape().name
    )
}

/// Implements [`Structure`] for a generated struct: `structure!(Type = SCHEMA_STATIC { 0 field_a 1 field_b })`.
///
/// Member `i` of the schema is the field listed with index `i`.
#[macro_export]
macro_rules! structure {
    ($t:ty = $schema:path { $($i:literal $f:ident)* }) => {
        impl $crate::Structure for $t {
            fn shape(&self) -> &'static $crate::schema::Shape {
                &$schema
            }
            fn field(&self, i: usize) -> &dyn $crate::Value {
                match i {
                    $($i => &self.$f,)*
                    _ => &$crate::value::NULL,
                }
            }
            fn field_mut(&mut self, i: usize) -> &mut dyn $crate::Value {
                match i {
                    $($i => &mut self.$f,)*
                    _ => $crate::value::no_field(self, i),
                }
            }
        }
        impl ::std::fmt::Debug for $t {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                $crate::value::debug_struct(self, stringify!($t), &[$(stringify!($f)),*], f)
            }
        }
        impl ::std::clone::Clone for $t {
            fn clone(&self) -> Self {
                let mut c = <Self as ::std::default::Default>::default();
                $crate::value::copy_struct(self, &mut c);
                c
            }
        }
        impl ::std::cmp::PartialEq for $t {
            fn eq(&self, other: &Self) -> bool {
                $crate::value::struct_eq(self, other)
            }
        }
    };
}

/// `Clone` for generated structures, through their schemas (see [`debug_struct`] for why).
pub fn copy_struct(from: &dyn Structure, to: &mut dyn Structure) {
    for i in 0..from.shape().members.len() {
        copy_value(from.field(i).get(), to.field_mut(i));
    }
}

fn copy_value(v: ValueRef, to: &mut dyn Value) {
    // Each arm stores a value of the same type it was read from, so the stores cannot fail.
    let _ = match v {
        ValueRef::Null => Ok(()),
        ValueRef::Bool(b) => to.set(Scalar::Bool(b)),
        ValueRef::Int(i) => to.set(Scalar::Int(i)),
        ValueRef::Float(x) => to.set(Scalar::Float(x)),
        ValueRef::Str(s) => to.set(Scalar::Str(s.to_owned())),
        ValueRef::Timestamp(t) => to.set(Scalar::Timestamp(t)),
        ValueRef::Blob(b) => to.set(Scalar::Blob(b.to_vec())),
        ValueRef::Document(d) => to.set_document(d.clone()),
        ValueRef::Struct(s) => {
            if let Some(t) = to.as_struct_mut() {
                copy_struct(s, t);
            }
            Ok(())
        }
        ValueRef::List(l) => {
            to.ensure_present();
            for i in 0..l.len() {
                if let Some(slot) = to.push() {
                    copy_value(l.get(i).get(), slot);
                }
            }
            Ok(())
        }
        ValueRef::Map(m) => {
            to.ensure_present();
            for (k, v) in m.entries() {
                if let Some(slot) = to.insert(k.to_owned()) {
                    copy_value(v.get(), slot);
                }
            }
            Ok(())
        }
    };
}

/// `PartialEq` for generated structures, through their schemas.
pub fn struct_eq(a: &dyn Structure, b: &dyn Structure) -> bool {
    std::ptr::eq(a.shape(), b.shape())
        && (0..a.shape().members.len()).all(|i| value_eq(a.field(i).get(), b.field(i).get()))
}

fn value_eq(a: ValueRef, b: ValueRef) -> bool {
    match (a, b) {
        (ValueRef::Null, ValueRef::Null) => true,
        (ValueRef::Bool(x), ValueRef::Bool(y)) => x == y,
        (ValueRef::Int(x), ValueRef::Int(y)) => x == y,
        (ValueRef::Float(x), ValueRef::Float(y)) => x == y,
        (ValueRef::Str(x), ValueRef::Str(y)) => x == y,
        (ValueRef::Timestamp(x), ValueRef::Timestamp(y)) => x == y,
        (ValueRef::Blob(x), ValueRef::Blob(y)) => x == y,
        (ValueRef::Document(x), ValueRef::Document(y)) => x == y,
        (ValueRef::Struct(x), ValueRef::Struct(y)) => struct_eq(x, y),
        (ValueRef::List(x), ValueRef::List(y)) => {
            x.len() == y.len() && (0..x.len()).all(|i| value_eq(x.get(i).get(), y.get(i).get()))
        }
        (ValueRef::Map(x), ValueRef::Map(y)) => {
            let (ex, ey) = (x.entries(), y.entries());
            ex.len() == ey.len()
                && ex
                    .iter()
                    .zip(ey.iter())
                    .all(|((ka, va), (kb, vb))| ka == kb && value_eq(va.get(), vb.get()))
        }
        _ => false,
    }
}

/// `Debug` for generated structures, written once: members the model marks sensitive are redacted.
///
/// Deriving `Debug` on thousands of generated types dominated their build time and memory, so the
/// generated impls call this instead.
pub fn debug_struct(
    s: &dyn Structure,
    type_name: &str,
    fields: &[&str],
    f: &mut std::fmt::Formatter<'_>,
) -> std::fmt::Result {
    let shape = s.shape();
    let mut d = f.debug_struct(type_name);
    for (i, name) in fields.iter().enumerate() {
        let name = name.strip_prefix("r#").unwrap_or(name);
        let v = s.field(i).get();
        let sensitive = shape.members.get(i).is_some_and(|m| {
            m.has(crate::schema::flags::SENSITIVE) || m.target.has(crate::schema::flags::SENSITIVE)
        });
        match v {
            ValueRef::Null => d.field(name, &None::<()>),
            _ if sensitive => d.field(name, &Some(Redacted)),
            v => d.field(name, &Some(DebugValue(v))),
        };
    }
    d.finish()
}

/// Prints in place of a sensitive value.
struct Redacted;

impl std::fmt::Debug for Redacted {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("*** Sensitive Data Redacted ***")
    }
}

/// `Debug` of any value, through its [`ValueRef`].
struct DebugValue<'a>(ValueRef<'a>);

impl std::fmt::Debug for DebugValue<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.0 {
            ValueRef::Null => f.write_str("None"),
            ValueRef::Bool(b) => write!(f, "{b:?}"),
            ValueRef::Int(i) => write!(f, "{i:?}"),
            ValueRef::Float(x) => write!(f, "{x:?}"),
            ValueRef::Str(s) => write!(f, "{s:?}"),
            ValueRef::Timestamp(t) => write!(f, "{t:?}"),
            ValueRef::Blob(b) => write!(f, "Blob({} bytes)", b.len()),
            ValueRef::Struct(s) => std::fmt::Debug::fmt(s, f),
            ValueRef::List(l) => f
                .debug_list()
                .entries((0..l.len()).map(|i| DebugValue(l.get(i).get())))
                .finish(),
            ValueRef::Map(m) => f
                .debug_map()
                .entries(
                    m.entries()
                        .into_iter()
                        .map(|(k, v)| (k, DebugValue(v.get()))),
                )
                .finish(),
            ValueRef::Document(d) => write!(f, "{d:?}"),
        }
    }
}

/// The input of operations that have none.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Empty;

static EMPTY_SHAPE: Shape = Shape::structure("Empty", &[]);

impl Structure for Empty {
    fn shape(&self) -> &'static Shape {
        &EMPTY_SHAPE
    }
    fn field(&self, _i: usize) -> &dyn Value {
        &NULL
    }
    fn field_mut(&mut self, i: usize) -> &mut dyn Value {
        no_field(self, i)
    }
}
