//! Support for boto3's resource layer: request parameters written through boto3's target
//! mini-language (`Filters[0].Values[0]`, `InstanceIds[]`, `Delete.Objects[*].Key`) into typed
//! inputs, and the two ways boto3 merges a caller's parameters with the model's.

/// Implements [`Resource`] for a generated newtype over [`Res`].
#[macro_export]
macro_rules! impl_resource {
    ($t:ident) => {
        impl $crate::resource::Resource for $t {
            fn from_res(res: $crate::resource::Res) -> Self {
                $t(res)
            }
            fn res(&self) -> &$crate::resource::Res {
                &self.0
            }
        }
    };
}

mod collection;
mod core;

pub use self::collection::Collection;
pub use self::core::*;
pub use futures::stream::BoxStream;

use crate::error::{Error, Result};
use crate::value::{copy_value, Structure, ValueRef};
use serde_json::Value as Json;

/// A segment's list index.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Index {
    /// `name`
    None,
    /// `name[N]`
    At(usize),
    /// `name[]`: append
    Append,
    /// `name[*]`: the caller's item index (a batch action's position in the page)
    Item,
}

fn parse_segment(seg: &str) -> Result<(&str, Index)> {
    let bad = || Error::validation(format!("invalid parameter target segment {seg:?}"));
    match seg.split_once('[') {
        None => Ok((seg, Index::None)),
        Some((name, rest)) => {
            let inner = rest.strip_suffix(']').ok_or_else(bad)?;
            let idx = match inner {
                "" => Index::Append,
                "*" => Index::Item,
                n => Index::At(n.parse().map_err(|_| bad())?),
            };
            Ok((name, idx))
        }
    }
}

/// Writes `value` at `target` in `input`, as boto3's `build_param_structure` does: `a.b` descends
/// into structures (created when unset), `a[N]` pads the list with empty elements up to `N`,
/// `a[]` appends, `a[*]` uses `item_index` (else appends). An index `N` also becomes the current
/// index for a later `[*]` in the same target.
pub fn set_param(
    input: &mut dyn Structure,
    target: &str,
    value: &Json,
    item_index: Option<usize>,
) -> Result<()> {
    let segs = target
        .split('.')
        .map(parse_segment)
        .collect::<Result<Vec<_>>>()?;
    let mut current = item_index;
    walk(input, &segs, value, &mut current).map_err(|e| {
        Error::validation(format!("parameter {target}: {}", e.message().unwrap_or("")))
    })
}

fn walk(
    cur: &mut dyn Structure,
    segs: &[(&str, Index)],
    value: &Json,
    current: &mut Option<usize>,
) -> Result<()> {
    let Some(((name, index), rest)) = segs.split_first() else {
        return Ok(());
    };
    let shape = cur.shape();
    let i = shape
        .member_index(name)
        .ok_or_else(|| Error::validation(format!("{} has no member {name}", shape.name)))?;
    let m = &shape.members[i];
    let slot = cur.field_mut(i);
    if *index == Index::None {
        if rest.is_empty() {
            slot.clear();
            return crate::wire::json::read_value(value, m, slot, 0);
        }
        let s = slot
            .as_struct_mut()
            .ok_or_else(|| Error::validation(format!("{name} is not a structure")))?;
        return walk(s, rest, value, current);
    }
    let item = m
        .target
        .list_member()
        .ok_or_else(|| Error::validation(format!("{name} is not a list")))?;
    slot.ensure_present();
    let len = slot.list_len().unwrap_or(0);
    let pos = match *index {
        Index::At(n) => {
            *current = Some(n);
            n
        }
        Index::Append => len,
        Index::Item => current.unwrap_or(len),
        Index::None => unreachable!("handled above"),
    };
    for _ in len..=pos {
        slot.push()
            .ok_or_else(|| Error::validation(format!("{name} is not a list")))?;
    }
    let el = slot
        .element_mut(pos)
        .ok_or_else(|| Error::validation(format!("{name}[{pos}] is out of reach")))?;
    if rest.is_empty() {
        return crate::wire::json::read_value(value, item, el, 0);
    }
    let s = el
        .as_struct_mut()
        .ok_or_else(|| Error::validation(format!("{name} does not hold structures")))?;
    walk(s, rest, value, current)
}

/// boto3's shallow update for actions, loads and waiters: every member the caller set replaces
/// the model-built one entirely.
pub fn merge_shallow(base: &mut dyn Structure, user: &dyn Structure) {
    for i in 0..user.shape().members.len() {
        let v = user.field(i).get();
        if !matches!(v, ValueRef::Null) {
            let slot = base.field_mut(i);
            slot.clear();
            copy_value(v, slot);
        }
    }
}

/// boto3's deep merge for collections (`merge_dicts(append_lists=True)`): structures merge
/// member by member, lists are appended to, anything else is replaced.
pub fn merge_deep(base: &mut dyn Structure, user: &dyn Structure) {
    for i in 0..user.shape().members.len() {
        let v = user.field(i).get();
        match v {
            ValueRef::Null => {}
            ValueRef::Struct(u) if !matches!(base.field(i).get(), ValueRef::Null) => {
                if let Some(b) = base.field_mut(i).as_struct_mut() {
                    merge_deep(b, u);
                }
            }
            ValueRef::List(l) => {
                let slot = base.field_mut(i);
                slot.ensure_present();
                for j in 0..l.len() {
                    if let Some(el) = slot.push() {
                        copy_value(l.get(j).get(), el);
                    }
                }
            }
            v => {
                let slot = base.field_mut(i);
                slot.clear();
                copy_value(v, slot);
            }
        }
    }
}

/// How the identifiers of resources built from a response came out (boto3's
/// `ResourceHandler`): one resource, one per element of the first list-valued identifier, or none.
#[derive(Debug, Clone, PartialEq)]
pub enum Built {
    /// No identifier is a list and all are present: one resource.
    One(Vec<Json>),
    /// Some identifiers are lists: one resource per element of the first list (scalars shared).
    Many(Vec<Vec<Json>>),
    /// An identifier is missing and none is a list.
    Empty,
}

/// Groups identifier values (in the target resource's identifier order) as boto3 does.
pub fn build_identifiers(values: Vec<Json>) -> Built {
    let n = values.iter().find_map(|v| v.as_array().map(Vec::len));
    match n {
        Some(n) => Built::Many(
            (0..n)
                .map(|i| {
                    values
                        .iter()
                        .map(|v| match v {
                            Json::Array(a) => a.get(i).cloned().unwrap_or(Json::Null),
                            scalar => scalar.clone(),
                        })
                        .collect()
                })
                .collect(),
        ),
        None if values.iter().all(|v| !v.is_null()) => Built::One(values),
        None => Built::Empty,
    }
}

/// The text of an identifier value (identifiers are strings; the one integer identifier, s3
/// `MultipartUploadPart.PartNumber`, is written in decimal).
pub fn identifier_text(v: &Json) -> Option<String> {
    match v {
        Json::String(s) => Some(s.clone()),
        Json::Number(n) => Some(n.to_string()),
        Json::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}
