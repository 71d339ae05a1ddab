//! `input!`: structure literals as short as boto3's keyword arguments, still typed.
//!
//! ```text
//! client.run_instances(input!(RunInstancesRequest {
//!     image_id: "ami-12c6146b",
//!     min_count: 1,
//!     max_count: 1,
//!     instance_type: "t3.micro",
//!     tag_specifications: [TagSpecification {
//!         resource_type: "instance",
//!         tags: [Tag { key: "team", value: "web" }],
//!     }],
//! }))
//! ```
//!
//! is the struct literal with each value put in its field's type by [`FieldFrom`] (`Some(..)`
//! around it, `&str` to `String` or to a generated enum, an array to a `Vec`, `"key": value`
//! pairs to a map, text or bytes to a blob or body), nested structure literals (also inside
//! arrays and maps) read the same way, and every member left out set to its default. Field names
//! and value types are checked by the compiler as in any struct literal; nothing is generated per
//! member. A value that already has the field's type (`Some(x)`, a `Vec` built elsewhere) is
//! taken as it is, and `..base` at the end takes the members left out from `base`.

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

#[doc(hidden)]
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

impl FieldFrom<Vec<u8>> for Option<ByteStream> {
    fn field_from(v: Vec<u8>) -> Self {
        Some(ByteStream::from(v))
    }
}

/// A structure literal with boto3's brevity: see the [module documentation](mod@crate::input).
#[macro_export]
macro_rules! input {
    // A structure literal.
    ($($ty:ident)::+ { $($body:tt)* }) => {
        $crate::input!(@fields ($($ty)::+) () $($body)*)
    };
    // All fields read: the rest are defaults (or `..base`).
    (@fields ($($ty:tt)*) ($($done:tt)*) $(,)?) => {{
        // Every field may have been given: the update is there for those left out.
        #[allow(clippy::needless_update)]
        let value = $($ty)* { $($done)* ..::core::default::Default::default() };
        value
    }};
    (@fields ($($ty:tt)*) ($($done:tt)*) .. $base:expr) => {
        $($ty)* { $($done)* ..$base }
    };
    // A nested structure literal.
    (@fields $ty:tt ($($done:tt)*) $f:ident : $($vty:ident)::+ { $($vb:tt)* } $(, $($rest:tt)*)?) => {
        $crate::input!(@fields $ty
            ($($done)* $f: $crate::input::field($crate::input!($($vty)::+ { $($vb)* })),)
            $($($rest)*)?)
    };
    // A list.
    (@fields $ty:tt ($($done:tt)*) $f:ident : [ $($elems:tt)* ] $(, $($rest:tt)*)?) => {
        $crate::input!(@fields $ty
            ($($done)* $f: $crate::input::field($crate::input!(@array () $($elems)*)),)
            $($($rest)*)?)
    };
    // A map: `{ "key": value, ... }`.
    (@fields $ty:tt ($($done:tt)*) $f:ident : { $($entries:tt)* } $(, $($rest:tt)*)?) => {
        $crate::input!(@fields $ty
            ($($done)* $f: $crate::input::field($crate::input!(@map () $($entries)*)),)
            $($($rest)*)?)
    };
    // Any other value.
    (@fields $ty:tt ($($done:tt)*) $f:ident : $v:expr $(, $($rest:tt)*)?) => {
        $crate::input!(@fields $ty ($($done)* $f: $crate::input::field($v),) $($($rest)*)?)
    };
    (@array ($($done:tt)*) $(,)?) => { [$($done)*] };
    (@array ($($done:tt)*) $($vty:ident)::+ { $($vb:tt)* } $(, $($rest:tt)*)?) => {
        $crate::input!(@array ($($done)* $crate::input!($($vty)::+ { $($vb)* }),) $($($rest)*)?)
    };
    (@array ($($done:tt)*) $e:expr $(, $($rest:tt)*)?) => {
        $crate::input!(@array ($($done)* $e,) $($($rest)*)?)
    };
    (@map ($($done:tt)*) $(,)?) => { [$($done)*] };
    (@map ($($done:tt)*) $k:literal : $($vty:ident)::+ { $($vb:tt)* } $(, $($rest:tt)*)?) => {
        $crate::input!(@map ($($done)* ($k, $crate::input!($($vty)::+ { $($vb)* })),) $($($rest)*)?)
    };
    (@map ($($done:tt)*) $k:literal : $v:expr $(, $($rest:tt)*)?) => {
        $crate::input!(@map ($($done)* ($k, $v),) $($($rest)*)?)
    };
}
