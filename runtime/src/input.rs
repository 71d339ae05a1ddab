//! `input!`: requests as short as boto3's keyword arguments, still typed.
//!
//! ```text
//! client.run_instances(input!(
//!     image_id: "ami-12c6146b", min_count: 1, max_count: 1, instance_type: "t3.micro",
//!     tag_specifications: [{ resource_type: "instance", tags: [{ key: "team", value: "web" }] }],
//! ))
//! ```
//!
//! is a `RunInstancesRequest` (the type the call takes) with those members set and the others
//! left at their defaults. Each value is put in its field's type by `FieldFrom` (`Some(..)`
//! around it, `&str` to `String` or to a generated enum, an array to a `Vec`, `{"key": value}`
//! pairs to a map, text or bytes to a blob or body); `{ member: value, ... }` is a nested
//! structure, typed by where it goes, in a field, a list or a map. Field names and value types are
//! checked by the compiler; nothing is generated per member.
//!
//! Where nothing says which type is meant (`let req = input!(...)`), name it:
//! `input!(RunInstancesRequest { image_id: "ami-12c6146b", ... })` is the struct literal, with
//! the same conversions and `..base` to take the members left out from `base`. A value that
//! already has the field's type (`Some(x)`, a `Vec` built elsewhere) is taken as it is.
//!
//! Without a type name, top-level values are evaluated first, in order, so `?` works in them;
//! nested structures are built inside a closure, where it does not.
//!
//! Any struct with a `Default` works the same way, which shows the checks:
//!
//! ```
//! use boto_runtime::input;
//! #[derive(Default)]
//! struct Request {
//!     image_id: Option<String>,
//!     max_count: Option<i32>,
//!     tags: Option<Vec<String>>,
//! }
//! let r = input!(Request { image_id: "ami-12c6146b", tags: ["a", "b"] });
//! assert_eq!(r.image_id.as_deref(), Some("ami-12c6146b"));
//! assert_eq!(r.tags, Some(vec!["a".to_string(), "b".to_string()]));
//! assert_eq!(r.max_count, None);
//! ```
//!
//! A member the type does not have is a compile error:
//!
//! ```compile_fail
//! # use boto_runtime::input;
//! # #[derive(Default)]
//! # struct Request { image_id: Option<String>, max_count: Option<i32> }
//! let r = input!(Request { image_idd: "ami-12c6146b" });
//! ```
//!
//! and so is a value of the wrong type:
//!
//! ```compile_fail
//! # use boto_runtime::input;
//! # #[derive(Default)]
//! # struct Request { image_id: Option<String>, max_count: Option<i32> }
//! let r = input!(Request { max_count: "one" });
//! ```

use crate::stream::ByteStream;
use crate::time::Blob;
use std::collections::HashMap;

/// How a value of type `V` becomes a field of type `Self` in [`input!`](crate::input!).
/// (Hidden from the docs, so its blanket impl stays out of every type's trait list.)
#[doc(hidden)]
pub trait FieldFrom<V> {
    /// The field holding `v`.
    fn field_from(v: V) -> Self;
}

/// Puts `v` in the field type the context asks for (what [`input!`](crate::input!) calls).
#[inline]
pub fn field<F: FieldFrom<V>, V>(v: V) -> F {
    F::field_from(v)
}

/// A generated string enum (built from its wire value).
pub trait StringEnum: for<'a> From<&'a str> {}

impl<T> FieldFrom<T> for T {
    #[inline]
    fn field_from(v: T) -> T {
        v
    }
}

impl<T> FieldFrom<T> for Option<T> {
    #[inline]
    fn field_from(v: T) -> Option<T> {
        Some(v)
    }
}

impl FieldFrom<&str> for Option<String> {
    fn field_from(v: &str) -> Self {
        Some(v.to_owned())
    }
}

impl FieldFrom<&String> for Option<String> {
    fn field_from(v: &String) -> Self {
        Some(v.clone())
    }
}

impl<E: StringEnum> FieldFrom<&str> for Option<E> {
    fn field_from(v: &str) -> Self {
        Some(E::from(v))
    }
}

impl<T, const N: usize> FieldFrom<[T; N]> for Option<Vec<T>> {
    fn field_from(v: [T; N]) -> Self {
        Some(Vec::from(v))
    }
}

impl<const N: usize> FieldFrom<[&str; N]> for Option<Vec<String>> {
    fn field_from(v: [&str; N]) -> Self {
        Some(v.iter().map(|s| (*s).to_owned()).collect())
    }
}

impl<E: StringEnum, const N: usize> FieldFrom<[&str; N]> for Option<Vec<E>> {
    fn field_from(v: [&str; N]) -> Self {
        Some(v.iter().map(|s| E::from(s)).collect())
    }
}

impl FieldFrom<Vec<&str>> for Option<Vec<String>> {
    fn field_from(v: Vec<&str>) -> Self {
        Some(v.into_iter().map(str::to_owned).collect())
    }
}

impl FieldFrom<&[String]> for Option<Vec<String>> {
    fn field_from(v: &[String]) -> Self {
        Some(v.to_vec())
    }
}

impl<V, const N: usize> FieldFrom<[(&str, V); N]> for Option<HashMap<String, V>> {
    fn field_from(v: [(&str, V); N]) -> Self {
        Some(v.into_iter().map(|(k, v)| (k.to_owned(), v)).collect())
    }
}

impl<const N: usize> FieldFrom<[(&str, &str); N]> for Option<HashMap<String, String>> {
    fn field_from(v: [(&str, &str); N]) -> Self {
        Some(
            v.into_iter()
                .map(|(k, v)| (k.to_owned(), v.to_owned()))
                .collect(),
        )
    }
}

impl FieldFrom<&str> for Option<Blob> {
    fn field_from(v: &str) -> Self {
        Some(Blob::new(v.as_bytes().to_vec()))
    }
}

impl FieldFrom<&[u8]> for Option<Blob> {
    fn field_from(v: &[u8]) -> Self {
        Some(Blob::new(v.to_vec()))
    }
}

impl FieldFrom<Vec<u8>> for Option<Blob> {
    fn field_from(v: Vec<u8>) -> Self {
        Some(Blob::new(v))
    }
}

impl FieldFrom<&str> for Option<ByteStream> {
    fn field_from(v: &str) -> Self {
        Some(ByteStream::from(v.to_owned()))
    }
}

impl FieldFrom<String> for Option<ByteStream> {
    fn field_from(v: String) -> Self {
        Some(ByteStream::from(v))
    }
}

impl FieldFrom<&[u8]> for Option<ByteStream> {
    fn field_from(v: &[u8]) -> Self {
        Some(ByteStream::from(v.to_vec()))
    }
}

impl FieldFrom<Vec<u8>> for Option<ByteStream> {
    fn field_from(v: Vec<u8>) -> Self {
        Some(ByteStream::from(v))
    }
}

/// Builds a `T` from its default and `f` (what [`input!`](crate::input!) without a type name
/// expands to: the closure's parameter type comes from where the value goes).
#[doc(hidden)]
pub fn build<T: Default>(f: Box<dyn FnOnce(&mut T) + '_>) -> T {
    let mut value = T::default();
    f(&mut value);
    value
}

/// `Some(v)`, with `T` known from where it goes (a nested structure without a type name).
#[doc(hidden)]
pub fn some<T>(v: T) -> Option<T> {
    Some(v)
}

/// A list of structures without type names, typed by where it goes.
#[doc(hidden)]
pub fn list<T, const N: usize>(v: [T; N]) -> Option<Vec<T>> {
    Some(Vec::from(v))
}

/// A map of structures without type names, typed by where it goes.
#[doc(hidden)]
pub fn map_of<V, const N: usize>(v: [(&str, V); N]) -> Option<HashMap<String, V>> {
    Some(v.into_iter().map(|(k, v)| (k.to_owned(), v)).collect())
}

/// A request (or any generated structure) written as briefly as boto3's keyword arguments: see
/// the [module documentation](mod@crate::input).
#[macro_export]
macro_rules! input {
    // A structure literal with its type name.
    ($($ty:ident)::+ { $($body:tt)* }) => {
        $crate::input!(@fields ($($ty)::+) () $($body)*)
    };
    // Members of a named structure literal, one at a time.
    (@fields ($($ty:tt)*) ($($done:tt)*) $(,)?) => {{
        // Every field may have been given: the update is there for those left out.
        #[allow(clippy::needless_update)]
        let value = $($ty)* { $($done)* ..::core::default::Default::default() };
        value
    }};
    (@fields ($($ty:tt)*) ($($done:tt)*) .. $base:expr) => {
        $($ty)* { $($done)* ..$base }
    };
    (@fields $ty:tt ($($done:tt)*) $f:ident : $($v:tt)*) => {
        $crate::input!(@value (@fields $ty ($($done)*) $f) $($v)*)
    };
    // A member's value read, in a named literal: it becomes `field: value,`.
    (@fields_then (@fields $ty:tt ($($done:tt)*) $f:ident) ($($value:tt)*) $($rest:tt)*) => {
        $crate::input!(@fields $ty ($($done)* $f: $($value)*,) $($rest)*)
    };

    // Members without a type name: each value is evaluated first (in order, where `?` works),
    // then set on the default value inside a closure whose parameter type is inferred.
    (@bind $i:ident ($($assign:tt)*) $(,)?) => {
        $crate::input::build(::std::boxed::Box::new(|$i| { $($assign)* }))
    };
    (@bind $i:ident ($($assign:tt)*) $f:ident : $($v:tt)*) => {
        $crate::input!(@value (@bind $i ($($assign)*) $f) $($v)*)
    };
    (@fields_then (@bind $i:ident ($($assign:tt)*) $f:ident) ($($value:tt)*) $($rest:tt)*) => {
        $crate::input!(@bind $i ($($assign)* $i.$f = $($value)*;) $($rest)*)
    };

    // One member's value, then on to `@fields_then` with the rest. A nested structure with its
    // type name:
    (@value $k:tt $($vty:ident)::+ { $($vb:tt)* } $(, $($rest:tt)*)?) => {
        $crate::input!(@fields_then $k
            ($crate::input::field($crate::input!($($vty)::+ { $($vb)* })))
            $($($rest)*)?)
    };
    // a nested structure without one (`{ key: "a", value: "b" }`):
    (@value $k:tt { $g:ident : $($gb:tt)* } $(, $($rest:tt)*)?) => {
        $crate::input!(@fields_then $k
            ($crate::input::some($crate::input!($g : $($gb)*)))
            $($($rest)*)?)
    };
    // a map of structures without type names (`{ "pk": { exists: false } }`):
    (@value $k:tt { $key:literal : { $($e:tt)* } $($more:tt)* } $(, $($rest:tt)*)?) => {
        $crate::input!(@fields_then $k
            ($crate::input::map_of($crate::input!(@map () $key : { $($e)* } $($more)*)))
            $($($rest)*)?)
    };
    // any other map (`{ "owner": "me" }`):
    (@value $k:tt { $($entries:tt)* } $(, $($rest:tt)*)?) => {
        $crate::input!(@fields_then $k
            ($crate::input::field($crate::input!(@map () $($entries)*)))
            $($($rest)*)?)
    };
    // a list of structures without type names (`[{ key: "a" }, { key: "b" }]`):
    (@value $k:tt [ { $g:ident : $($e:tt)* } $($more:tt)* ] $(, $($rest:tt)*)?) => {
        $crate::input!(@fields_then $k
            ($crate::input::list($crate::input!(@array () { $g : $($e)* } $($more)*)))
            $($($rest)*)?)
    };
    // any other list:
    (@value $k:tt [ $($elems:tt)* ] $(, $($rest:tt)*)?) => {
        $crate::input!(@fields_then $k
            ($crate::input::field($crate::input!(@array () $($elems)*)))
            $($($rest)*)?)
    };
    // any other value: without a type name, evaluated before the closure (so `?` works in it);
    (@value (@bind $i:ident ($($assign:tt)*) $f:ident) $v:expr $(, $($rest:tt)*)?) => {{
        let __value = $v;
        $crate::input!(@bind $i ($($assign)* $i.$f = $crate::input::field(__value);) $($($rest)*)?)
    }};
    // in a named literal, in place.
    (@value $k:tt $v:expr $(, $($rest:tt)*)?) => {
        $crate::input!(@fields_then $k ($crate::input::field($v)) $($($rest)*)?)
    };

    (@array ($($done:tt)*) $(,)?) => { [$($done)*] };
    (@array ($($done:tt)*) $($vty:ident)::+ { $($vb:tt)* } $(, $($rest:tt)*)?) => {
        $crate::input!(@array ($($done)* $crate::input!($($vty)::+ { $($vb)* }),) $($($rest)*)?)
    };
    (@array ($($done:tt)*) { $g:ident : $($e:tt)* } $(, $($rest:tt)*)?) => {
        $crate::input!(@array ($($done)* $crate::input!($g : $($e)*),) $($($rest)*)?)
    };
    (@array ($($done:tt)*) $e:expr $(, $($rest:tt)*)?) => {
        $crate::input!(@array ($($done)* $e,) $($($rest)*)?)
    };
    (@map ($($done:tt)*) $(,)?) => { [$($done)*] };
    (@map ($($done:tt)*) $key:literal : $($vty:ident)::+ { $($vb:tt)* } $(, $($rest:tt)*)?) => {
        $crate::input!(@map ($($done)* ($key, $crate::input!($($vty)::+ { $($vb)* })),) $($($rest)*)?)
    };
    (@map ($($done:tt)*) $key:literal : { $g:ident : $($e:tt)* } $(, $($rest:tt)*)?) => {
        $crate::input!(@map ($($done)* ($key, $crate::input!($g : $($e)*)),) $($($rest)*)?)
    };
    (@map ($($done:tt)*) $key:literal : $v:expr $(, $($rest:tt)*)?) => {
        $crate::input!(@map ($($done)* ($key, $v),) $($($rest)*)?)
    };

    // Members only (last, as it matches anything): the type is the one the value goes to.
    ($($body:tt)*) => {
        $crate::input!(@bind __input () $($body)*)
    };
}
