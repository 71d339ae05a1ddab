//! Reading and testing an input or output member by its model name, for the hooks.

use crate::value::{Structure, ValueRef};

/// The string member `name` of `s`, when set.
pub fn member_str<'a>(s: &'a dyn Structure, name: &str) -> Option<&'a str> {
    let i = s.shape().member_index(name)?;
    match s.field(i).get() {
        ValueRef::Str(v) => Some(v),
        _ => None,
    }
}

/// True when `s` has no member `name` or it is unset.
pub fn member_is_unset(s: &dyn Structure, name: &str) -> bool {
    s.shape()
        .member_index(name)
        .is_none_or(|i| matches!(s.field(i).get(), ValueRef::Null))
}

/// The index of member `name` of `s` when it is unset.
pub fn is_unset(s: &dyn Structure, name: &str) -> Option<usize> {
    let i = s.shape().member_index(name)?;
    matches!(s.field(i).get(), ValueRef::Null).then_some(i)
}
