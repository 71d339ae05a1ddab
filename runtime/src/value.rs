//! The bridge between generated types and the codecs: dynamic read and write access to values.
//!
//! Each generated structure implements [`Structure`] (a schema plus "field i" accessors); the
//! codecs walk the schema and read or fill fields through [`Value`], so no codec is generated.

use crate::document::Document;
use crate::schema::{flags, Kind, Member, Shape};
use crate::stream::ByteStream;
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
    Document(&'a Document),
    /// A streaming body.
    Stream(&'a ByteStream),
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
            ValueRef::Stream(b) => write!(f, "{b:?}"),
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
///
/// Implementations only say what they are ([`ValueRef`] to read, [`ValueMut`] to write); the
/// operations on values (`set`, `push`, ...) are written once, on `dyn Value`, so they are compiled
/// once rather than for each of the thousands of field types a service has.
///
/// Hidden from the docs (every generated type implements it), so it stays out of each type's
/// trait list.
#[doc(hidden)]
pub trait Value: Send + Sync {
    /// Reads the value.
    fn get(&self) -> ValueRef<'_>;
    /// The value as something to write to.
    fn get_mut(&mut self) -> ValueMut<'_>;
    /// The events to send, when this is an input event stream.
    fn input_events(&self) -> Option<&dyn EventInput> {
        None
    }
}

/// A mutable view of a value, as the parsers fill it.
pub enum ValueMut<'a> {
    /// Nothing can be stored (the absent-field placeholder).
    None,
    /// An optional value; `present` creates the default when unset.
    Option(&'a mut dyn OptionSlot),
    /// A boolean.
    Bool(&'a mut bool),
    /// An 8-bit integer.
    I8(&'a mut i8),
    /// A 16-bit integer.
    I16(&'a mut i16),
    /// A 32-bit integer.
    I32(&'a mut i32),
    /// A 64-bit integer.
    I64(&'a mut i64),
    /// A 32-bit float.
    F32(&'a mut f32),
    /// A 64-bit float.
    F64(&'a mut f64),
    /// Text.
    String(&'a mut String),
    /// A timestamp.
    Timestamp(&'a mut DateTime),
    /// Binary data.
    Blob(&'a mut Blob),
    /// A document.
    Document(&'a mut Document),
    /// A streaming body.
    Stream(&'a mut ByteStream),
    /// A generated string enum.
    Enum(&'a mut dyn EnumSlot),
    /// A structure or union.
    Struct(&'a mut dyn Structure),
    /// A list.
    List(&'a mut dyn ListSlot),
    /// A map.
    Map(&'a mut dyn MapSlot),
    /// An event stream ([`EventStream`](crate::events::EventStream)).
    Events(&'a mut dyn EventSlot),
    /// A value that implements the operations itself (dynamic values in tests and tools).
    Dynamic(&'a mut dyn Slot),
}

/// An `Option<T>` field.
pub trait OptionSlot: Send + Sync {
    /// The value, set to its default first when unset.
    fn present(&mut self) -> &mut dyn Value;
    /// Unsets the value.
    fn clear(&mut self);
}

/// A generated string enum.
pub trait EnumSlot: Send + Sync {
    /// Stores the enum for a wire value (unknown values are kept).
    fn set_str(&mut self, s: &str);
}

/// A list to append to.
pub trait ListSlot: Send + Sync {
    /// Appends a default element and returns it.
    fn push_default(&mut self) -> &mut dyn Value;
    /// Element `i`, mutably.
    fn element_mut(&mut self, i: usize) -> Option<&mut dyn Value>;
}

/// A map to insert into.
pub trait MapSlot: Send + Sync {
    /// The value for `key`, inserted as the default when missing.
    fn entry(&mut self, key: String) -> &mut dyn Value;
}

/// Where an event stream's events come from, as the runtime reads them (a response body, or one
/// held in memory): each call reads the next event into the event union it is given.
pub trait EventSource: Send {
    /// Reads the next event into `into` (an event union, unset): `Ready(Some(Ok(())))` when an
    /// event was read, `Ready(None)` at the end, an error for an exception event or a damaged
    /// stream (after which the stream has ended).
    fn poll_next_into(
        &mut self,
        cx: &mut std::task::Context<'_>,
        into: &mut dyn Structure,
    ) -> std::task::Poll<Option<crate::error::Result<()>>>;
}

/// An input event-stream field ([`InputEvents`](crate::events::InputEvents)): the events a caller
/// sends, taken once when the request goes out.
pub trait EventInput: Send + Sync {
    /// Takes the events (each an event union); `None` once taken or when none were given.
    fn take_events(&self) -> Option<futures::stream::BoxStream<'static, Box<dyn Structure>>>;
}

/// An event-stream field, which takes the stream a response delivers.
pub trait EventSlot: Send + Sync {
    /// Makes `events` this field's stream.
    fn attach(&mut self, events: Box<dyn EventSource>);
}

/// The write operations, for values that implement them directly ([`ValueMut::Dynamic`]).
pub trait Slot: Send + Sync {
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
    fn set_document(&mut self, _d: Document) -> Result<(), SetError> {
        Err(SetError("unexpected document".into()))
    }
    /// Stores a streaming body.
    fn set_stream(&mut self, _s: ByteStream) -> Result<(), SetError> {
        Err(SetError("unexpected streaming body".into()))
    }
    /// Stores an event stream.
    fn set_events(&mut self, _e: Box<dyn EventSource>) -> Result<(), SetError> {
        Err(SetError("unexpected event stream".into()))
    }
    /// Makes an unset optional value present with its default.
    fn ensure_present(&mut self) {}
    /// Unsets the value.
    fn clear(&mut self) {}
}

fn mismatch(expected: &str, v: &Scalar) -> SetError {
    SetError(format!("expected {expected}, found {}", v.kind_name()))
}

fn int<T: TryFrom<i64>>(slot: &mut T, v: Scalar, name: &str) -> Result<(), SetError> {
    match v {
        Scalar::Int(i) => {
            *slot =
                T::try_from(i).map_err(|_| SetError(format!("{i} is out of range for {name}")))?;
            Ok(())
        }
        other => Err(mismatch("an integer", &other)),
    }
}

fn float(v: Scalar) -> Result<f64, SetError> {
    match v {
        Scalar::Float(f) => Ok(f),
        Scalar::Int(i) => Ok(i as f64),
        other => Err(mismatch("a number", &other)),
    }
}

impl dyn Value + '_ {
    /// Stores a scalar, converting between integer widths with a range check.
    pub fn set(&mut self, v: Scalar) -> Result<(), SetError> {
        match self.get_mut() {
            ValueMut::Option(o) => o.present().set(v),
            ValueMut::Bool(b) => match v {
                Scalar::Bool(x) => {
                    *b = x;
                    Ok(())
                }
                other => Err(mismatch("a boolean", &other)),
            },
            ValueMut::I8(x) => int(x, v, "i8"),
            ValueMut::I16(x) => int(x, v, "i16"),
            ValueMut::I32(x) => int(x, v, "i32"),
            ValueMut::I64(x) => int(x, v, "i64"),
            ValueMut::F32(x) => {
                *x = float(v)? as f32;
                Ok(())
            }
            ValueMut::F64(x) => {
                *x = float(v)?;
                Ok(())
            }
            ValueMut::String(s) => match v {
                Scalar::Str(x) => {
                    *s = x;
                    Ok(())
                }
                other => Err(mismatch("a string", &other)),
            },
            ValueMut::Enum(e) => match v {
                Scalar::Str(x) => {
                    e.set_str(&x);
                    Ok(())
                }
                other => Err(mismatch("a string", &other)),
            },
            ValueMut::Timestamp(t) => match v {
                Scalar::Timestamp(x) => {
                    *t = x;
                    Ok(())
                }
                other => Err(mismatch("a timestamp", &other)),
            },
            ValueMut::Blob(b) => match v {
                Scalar::Blob(x) => {
                    *b = Blob::new(x);
                    Ok(())
                }
                Scalar::Str(x) => {
                    *b = Blob::new(x.into_bytes());
                    Ok(())
                }
                other => Err(mismatch("binary data", &other)),
            },
            ValueMut::Stream(b) => match v {
                Scalar::Blob(x) => {
                    *b = ByteStream::from(x);
                    Ok(())
                }
                Scalar::Str(x) => {
                    *b = ByteStream::from(x);
                    Ok(())
                }
                other => Err(mismatch("binary data", &other)),
            },
            ValueMut::Dynamic(d) => d.set(v),
            ValueMut::Document(_)
            | ValueMut::Struct(_)
            | ValueMut::List(_)
            | ValueMut::Map(_)
            | ValueMut::Events(_)
            | ValueMut::None => Err(SetError(format!("unexpected {} value", v.kind_name()))),
        }
    }
    /// The structure to fill, created when unset.
    pub fn as_struct_mut(&mut self) -> Option<&mut dyn Structure> {
        match self.get_mut() {
            ValueMut::Option(o) => o.present().as_struct_mut(),
            ValueMut::Struct(s) => Some(s),
            ValueMut::Dynamic(d) => d.as_struct_mut(),
            _ => None,
        }
    }
    /// Appends a default element to a list and returns it.
    pub fn push(&mut self) -> Option<&mut dyn Value> {
        match self.get_mut() {
            ValueMut::Option(o) => o.present().push(),
            ValueMut::List(l) => Some(l.push_default()),
            ValueMut::Dynamic(d) => d.push(),
            _ => None,
        }
    }
    /// Inserts (or finds) `key` in a map and returns its value.
    pub fn insert(&mut self, key: String) -> Option<&mut dyn Value> {
        match self.get_mut() {
            ValueMut::Option(o) => o.present().insert(key),
            ValueMut::Map(m) => Some(m.entry(key)),
            ValueMut::Dynamic(d) => d.insert(key),
            _ => None,
        }
    }
    /// Stores a document.
    pub fn set_document(&mut self, doc: Document) -> Result<(), SetError> {
        match self.get_mut() {
            ValueMut::Option(o) => o.present().set_document(doc),
            ValueMut::Document(d) => {
                *d = doc;
                Ok(())
            }
            ValueMut::Dynamic(d) => d.set_document(doc),
            _ => Err(SetError("unexpected document".into())),
        }
    }
    /// Stores a streaming body.
    pub fn set_stream(&mut self, stream: ByteStream) -> Result<(), SetError> {
        match self.get_mut() {
            ValueMut::Option(o) => o.present().set_stream(stream),
            ValueMut::Stream(s) => {
                *s = stream;
                Ok(())
            }
            ValueMut::Dynamic(d) => d.set_stream(stream),
            _ => Err(SetError("unexpected streaming body".into())),
        }
    }
    /// Stores an event stream.
    pub fn set_events(&mut self, events: Box<dyn EventSource>) -> Result<(), SetError> {
        match self.get_mut() {
            ValueMut::Option(o) => o.present().set_events(events),
            ValueMut::Events(e) => {
                e.attach(events);
                Ok(())
            }
            ValueMut::Dynamic(d) => d.set_events(events),
            _ => Err(SetError("unexpected event stream".into())),
        }
    }
    /// The number of elements, when this is a list (set or not: an unset list has none).
    pub fn list_len(&self) -> Option<usize> {
        match self.get() {
            ValueRef::List(l) => Some(l.len()),
            ValueRef::Null => Some(0),
            _ => None,
        }
    }
    /// Element `i` of a list, mutably.
    pub fn element_mut(&mut self, i: usize) -> Option<&mut dyn Value> {
        match self.get_mut() {
            ValueMut::Option(o) => o.present().element_mut(i),
            ValueMut::List(l) => l.element_mut(i),
            _ => None,
        }
    }
    /// Unsets an optional value (`None`); other values are left as they are.
    pub fn clear(&mut self) {
        match self.get_mut() {
            ValueMut::Option(o) => o.clear(),
            ValueMut::Dynamic(d) => d.clear(),
            _ => {}
        }
    }
    /// Makes an unset optional value present with its default (an empty list or map stays present).
    pub fn ensure_present(&mut self) {
        match self.get_mut() {
            ValueMut::Option(o) => {
                o.present();
            }
            ValueMut::Dynamic(d) => d.ensure_present(),
            _ => {}
        }
    }
}

/// A generated structure or union: its schema and field access by member index.
pub trait Structure: Any + Send + Sync + std::fmt::Debug {
    /// The shape this type was generated from; member `i` of the shape is field `i`.
    fn shape(&self) -> &'static Shape;
    /// Field `i`.
    ///
    /// A union has one field more than its shape has members, at index `members.len()`: the
    /// wire name of a member this model does not know, as text (empty when no member is set yet,
    /// absent when a known member is set). [`unknown_member`](#method.unknown_member) reads it.
    fn field(&self, i: usize) -> &dyn Value;
    /// Field `i`, mutably (for unions: selects member `i`; index `members.len()` selects the
    /// unknown member's name).
    fn field_mut(&mut self, i: usize) -> &mut dyn Value;
}

impl dyn Structure {
    /// Unions: records that the response set a member this model does not know (its wire name
    /// is the union's field after its members). Nothing for a structure.
    pub fn set_unknown_member(&mut self, name: &str) {
        let shape = self.shape();
        if shape.kind == Kind::Union {
            // A text field: the store cannot fail.
            let _ = (self.field_mut(shape.members.len())).set(Scalar::Str(name.to_owned()));
        }
    }

    /// Unions: the wire name of the member this model does not know, when that is what is set.
    pub fn unknown_member(&self) -> Option<&str> {
        let shape = self.shape();
        if shape.kind != Kind::Union {
            return None;
        }
        match self.field(shape.members.len()).get() {
            ValueRef::Str(name) if !name.is_empty() => Some(name),
            _ => None,
        }
    }

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

/// A map, read entry by entry.
pub trait Map: Send + Sync {
    /// Entries in the map's order; `HashMap`, which has none, reports them sorted by key so
    /// output is deterministic.
    fn entries(&self) -> Vec<(&str, &dyn Value)>;
}

/// The value that stands for an absent field.
pub static NULL: () = ();

impl Value for () {
    fn get(&self) -> ValueRef<'_> {
        ValueRef::Null
    }
    fn get_mut(&mut self) -> ValueMut<'_> {
        ValueMut::None
    }
}

impl<T: Structure> Value for T {
    fn get(&self) -> ValueRef<'_> {
        ValueRef::Struct(self)
    }
    fn get_mut(&mut self) -> ValueMut<'_> {
        ValueMut::Struct(self)
    }
}

impl<T: Value + Default> OptionSlot for Option<T> {
    fn present(&mut self) -> &mut dyn Value {
        // Written out rather than `get_or_insert_with`: this is instantiated for every field type.
        match self {
            Some(v) => v,
            slot @ None => slot.insert(T::default()),
        }
    }
    fn clear(&mut self) {
        *self = None;
    }
}

impl<T: Value + Default> Value for Option<T> {
    fn get(&self) -> ValueRef<'_> {
        match self {
            Some(v) => v.get(),
            None => ValueRef::Null,
        }
    }
    fn get_mut(&mut self) -> ValueMut<'_> {
        ValueMut::Option(self)
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

impl<T: Value + Default> ListSlot for Vec<T> {
    fn push_default(&mut self) -> &mut dyn Value {
        self.push(T::default());
        let last = self.len() - 1;
        &mut self[last]
    }
    fn element_mut(&mut self, i: usize) -> Option<&mut dyn Value> {
        <[T]>::get_mut(self, i).map(|v| v as &mut dyn Value)
    }
}

impl<T: Value + Default> Value for Vec<T> {
    fn get(&self) -> ValueRef<'_> {
        ValueRef::List(self)
    }
    fn get_mut(&mut self) -> ValueMut<'_> {
        ValueMut::List(self)
    }
}

impl<T: Value + Default> Map for HashMap<String, T> {
    fn entries(&self) -> Vec<(&str, &dyn Value)> {
        sorted_entries(self.iter().map(|(k, v)| (k.as_str(), v as &dyn Value)))
    }
}

/// Map entries sorted by key: the order every [`Map`] reports, so output is deterministic.
pub fn sorted_entries<'a>(
    entries: impl Iterator<Item = (&'a str, &'a dyn Value)>,
) -> Vec<(&'a str, &'a dyn Value)> {
    let mut e: Vec<(&str, &dyn Value)> = entries.collect();
    e.sort_by(|a, b| a.0.cmp(b.0));
    e
}

impl<T: Value + Default> MapSlot for HashMap<String, T> {
    fn entry(&mut self, key: String) -> &mut dyn Value {
        HashMap::entry(self, key).or_default()
    }
}

impl<T: Value + Default> Value for HashMap<String, T> {
    fn get(&self) -> ValueRef<'_> {
        ValueRef::Map(self)
    }
    fn get_mut(&mut self) -> ValueMut<'_> {
        ValueMut::Map(self)
    }
}

macro_rules! scalar_value {
    ($($t:ty: |$v:ident| $get:expr, $m:ident;)*) => {$(
        impl Value for $t {
            fn get(&self) -> ValueRef<'_> {
                let $v = self;
                $get
            }
            fn get_mut(&mut self) -> ValueMut<'_> {
                ValueMut::$m(self)
            }
        }
    )*};
}

scalar_value! {
    String: |v| ValueRef::Str(v), String;
    bool: |v| ValueRef::Bool(*v), Bool;
    i8: |v| ValueRef::Int(*v as i64), I8;
    i16: |v| ValueRef::Int(*v as i64), I16;
    i32: |v| ValueRef::Int(*v as i64), I32;
    i64: |v| ValueRef::Int(*v), I64;
    f32: |v| ValueRef::Float(f32_to_f64(*v)), F32;
    f64: |v| ValueRef::Float(*v), F64;
    DateTime: |v| ValueRef::Timestamp(*v), Timestamp;
    Blob: |v| ValueRef::Blob(v.as_bytes()), Blob;
    Document: |v| ValueRef::Document(v), Document;
    ByteStream: |v| ValueRef::Stream(v), Stream;
}

/// Widens an `f32` to the `f64` with the same shortest decimal form (`10.8f32` -> `10.8`, not `10.800000190734863`).
pub fn f32_to_f64(v: f32) -> f64 {
    if v.is_finite() {
        v.to_string().parse().unwrap_or(v as f64)
    } else {
        v as f64
    }
}

/// Called by generated `field_mut` for an index outside the shape: a schema/type mismatch, which is a generator bug.
pub fn no_field(type_name: &str, i: usize) -> ! {
    panic!("{type_name} has no member {i}: the generated type and its schema disagree")
}

/// The [`Constructor`](crate::schema::Constructor) of a generated type (set on error shapes, which
/// the runtime builds itself).
pub fn construct<T: Structure + Default>(_shape: &'static Shape) -> Box<dyn Any> {
    Box::new(Box::new(T::default()) as Box<dyn Structure>)
}

/// An empty value of the type generated for `shape`, when the shape has a constructor.
pub fn construct_empty(shape: &'static Shape) -> Option<Box<dyn Structure>> {
    let made = (shape.constructor?)(shape);
    made.downcast::<Box<dyn Structure>>().ok().map(|b| *b)
}

/// Implements [`Structure`] for a generated struct: `structure!(Type = SCHEMA_STATIC { 0 field_a 1 field_b })`.
///
/// Member `i` of the schema is the field listed with index `i`. The macro implements `Debug`,
/// `Clone` and `PartialEq` too, and `Default` when every field is an `Option`; a struct with
/// another field derives `Default` and says so: `structure!(Type: Default = SCHEMA { .. })`.
#[macro_export]
macro_rules! structure {
    // A struct with a member that is not an `Option` (a streaming body, an event stream)
    // derives its own `Default`.
    ($t:ty: Default = $schema:path { $($i:literal $f:ident)* }) => {
        $crate::structure!(@glue $t = $schema { $($i $f)* });
    };
    ($t:ty = $schema:path { $($i:literal $f:ident)* }) => {
        // Every member is an `Option`: a literal of `None`s is a few stores, where a derived
        // `Default` calls `Option::default` once per member (once per member type, too).
        impl ::std::default::Default for $t {
            fn default() -> Self {
                Self { $($f: ::std::option::Option::None,)* }
            }
        }
        $crate::structure!(@glue $t = $schema { $($i $f)* });
    };
    (@glue $t:ty = $schema:path { $($i:literal $f:ident)* }) => {
        #[doc(hidden)]
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
                    _ => $crate::value::no_field(stringify!($t), i),
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
        $crate::serde_structure!($t);
    };
}

/// Implements [`Structure`], `Default` (no member set) and, with the crate's `serde` feature,
/// `Serialize` and `Deserialize` for a generated union, an enum with one variant per member and
/// `Unknown(String)`: `union!(Type = SCHEMA_STATIC { 0 A 1 B })`.
///
/// Member `i` of the schema is the variant listed with index `i`; taking member `i` mutably
/// selects it (with its default value) when another is set.
#[macro_export]
#[doc(hidden)]
macro_rules! union {
    ($t:ident = $schema:path { $($i:literal $v:ident)* }) => {
        impl ::std::default::Default for $t {
            fn default() -> Self {
                Self::Unknown(::std::string::String::new())
            }
        }
        #[doc(hidden)]
        impl $crate::Structure for $t {
            fn shape(&self) -> &'static $crate::schema::Shape {
                &$schema
            }
            // The field after the members is the unknown member's name.
            fn field(&self, i: usize) -> &dyn $crate::Value {
                match (self, i) {
                    $((Self::$v(v), $i) => v,)*
                    (Self::Unknown(name), _) if i == $schema.members.len() => name,
                    _ => &$crate::value::NULL,
                }
            }
            fn field_mut(&mut self, i: usize) -> &mut dyn $crate::Value {
                match i {
                    $($i => {
                        if !matches!(self, Self::$v(_)) {
                            *self = Self::$v(::std::default::Default::default());
                        }
                        match self {
                            Self::$v(v) => v,
                            _ => unreachable!(),
                        }
                    })*
                    _ if i == $schema.members.len() => {
                        if !matches!(self, Self::Unknown(_)) {
                            *self = Self::Unknown(::std::string::String::new());
                        }
                        match self {
                            Self::Unknown(name) => name,
                            _ => unreachable!(),
                        }
                    }
                    _ => $crate::value::no_field(stringify!($t), i),
                }
            }
        }
        $crate::serde_structure!($t);
    };
}

/// `Clone` for generated structures, through their schemas (see [`debug_struct`] for why).
///
/// Only set members are copied: taking a union's member slot selects that member, so visiting
/// the unset ones would leave a copied union holding the last member, empty.
pub fn copy_struct(from: &dyn Structure, to: &mut dyn Structure) {
    if let Some(name) = from.unknown_member() {
        to.set_unknown_member(name);
    }
    for i in 0..from.shape().members.len() {
        let v = from.field(i).get();
        if !matches!(v, ValueRef::Null) {
            copy_value(v, to.field_mut(i));
        }
    }
}

/// Stores a copy of `v` in `to` (of the same type, or one shaped alike).
pub fn copy_value(v: ValueRef, to: &mut dyn Value) {
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
        ValueRef::Stream(b) => to.set_stream(b.clone()),
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
        && a.unknown_member() == b.unknown_member()
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
        (ValueRef::Stream(x), ValueRef::Stream(y)) => x == y,
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

/// `Debug` for generated structures, written once: unset members are left out, set ones shown as
/// their values (enums as their quoted wire values, as they print alone), and members the model
/// marks sensitive are redacted.
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
        let sensitive = shape.members.get(i).is_some_and(is_sensitive);
        let events = shape
            .members
            .get(i)
            .is_some_and(|m| m.target.has(flags::EVENTSTREAM));
        match v {
            _ if events => d.field(name, &format_args!("EventStream")),
            ValueRef::Null => continue,
            _ if sensitive => d.field(name, &Redacted),
            v => d.field(name, &DebugValue(v)),
        };
    }
    d.finish()
}

/// True when the member, its target, or the items of a list or map target are marked sensitive.
pub fn is_sensitive(m: &Member) -> bool {
    use flags::SENSITIVE;
    fn shape_sensitive(s: &Shape, depth: usize) -> bool {
        s.has(SENSITIVE)
            || (depth < 8
                && matches!(s.kind, Kind::List | Kind::Map)
                && s.items
                    .iter()
                    .any(|it| it.has(SENSITIVE) || shape_sensitive(it.target, depth + 1)))
    }
    m.has(SENSITIVE) || shape_sensitive(m.target, 0)
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
            ValueRef::Stream(b) => write!(f, "{b:?}"),
        }
    }
}
