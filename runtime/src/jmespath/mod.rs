//! JMESPath over typed values: the subset botocore's paginators and waiters use, compiled by the
//! generator into static [`Expr`] trees and evaluated here against any generated structure.
//!
//! Member names are the model's (botocore's parsed-dict keys), not wire names.

use crate::document::Document;
use crate::value::{Structure, ValueRef};
use serde_json::Value as Json;

pub mod expr;

pub use expr::{CmpOp, Expr};

/// A value during evaluation: borrowed from the typed data where possible.
#[derive(Debug, Clone)]
pub enum J<'a> {
    /// null
    Null,
    /// a boolean
    Bool(bool),
    /// a number
    Num(f64),
    /// text
    Str(std::borrow::Cow<'a, str>),
    /// a typed value (structure, list, map, scalar)
    Val(ValueRef<'a>),
    /// part of a document
    Doc(&'a Document),
    /// a computed list
    List(Vec<J<'a>>),
}

impl<'a> J<'a> {
    /// Normalises typed scalars to plain values.
    fn norm(self) -> J<'a> {
        match self {
            J::Val(v) => match v {
                ValueRef::Null => J::Null,
                ValueRef::Bool(b) => J::Bool(b),
                ValueRef::Int(i) => J::Num(i as f64),
                ValueRef::Float(f) => J::Num(f),
                ValueRef::Str(s) => J::Str(s.into()),
                ValueRef::Document(d) => J::Doc(d).norm(),
                other => J::Val(other),
            },
            J::Doc(d) => match d {
                Document::Null => J::Null,
                Document::Bool(b) => J::Bool(*b),
                Document::Int(i) => J::Num(*i as f64),
                Document::Float(f) => J::Num(*f),
                Document::String(s) => J::Str(s.as_str().into()),
                _ => J::Doc(d),
            },
            other => other,
        }
    }

    /// JMESPath truthiness: null, false, "", [] and {} are false.
    pub fn truthy(&self) -> bool {
        match self.clone().norm() {
            J::Null => false,
            J::Bool(b) => b,
            J::Num(_) => true,
            J::Str(s) => !s.is_empty(),
            J::List(l) => !l.is_empty(),
            J::Val(ValueRef::List(l)) => !l.is_empty(),
            J::Val(ValueRef::Map(m)) => !m.entries().is_empty(),
            J::Val(ValueRef::Struct(s)) => {
                (0..s.shape().members.len()).any(|i| !matches!(s.field(i).get(), ValueRef::Null))
            }
            J::Doc(Document::Array(a)) => !a.is_empty(),
            J::Doc(Document::Object(o)) => !o.is_empty(),
            _ => true,
        }
    }

    /// The elements, when this is a list.
    fn elements(self) -> Option<Vec<J<'a>>> {
        match self.norm() {
            J::List(l) => Some(l),
            J::Val(ValueRef::List(l)) => {
                Some((0..l.len()).map(|i| J::Val(l.get(i).get())).collect())
            }
            J::Doc(Document::Array(a)) => Some(a.iter().map(J::Doc).collect()),
            _ => None,
        }
    }

    /// The values, when this is an object (structure members that are set, map values).
    fn object_values(self) -> Option<Vec<J<'a>>> {
        match self.norm() {
            J::Val(ValueRef::Struct(s)) => Some(
                (0..s.shape().members.len())
                    .map(|i| J::Val(s.field(i).get()))
                    .filter(|v| !matches!(v, J::Val(ValueRef::Null)))
                    .collect(),
            ),
            J::Val(ValueRef::Map(m)) => Some(
                m.entries()
                    .into_iter()
                    .map(|(_, v)| J::Val(v.get()))
                    .collect(),
            ),
            J::Doc(Document::Object(o)) => Some(o.values().map(J::Doc).collect()),
            _ => None,
        }
    }

    fn field(self, name: &str) -> J<'a> {
        match self.norm() {
            J::Val(ValueRef::Struct(s)) => match s.shape().member_index(name) {
                Some(i) => J::Val(s.field(i).get()).norm(),
                None => J::Null,
            },
            J::Val(ValueRef::Map(m)) => m
                .entries()
                .into_iter()
                .find(|(k, _)| *k == name)
                .map(|(_, v)| J::Val(v.get()).norm())
                .unwrap_or(J::Null),
            J::Doc(Document::Object(o)) => o.get(name).map(|d| J::Doc(d).norm()).unwrap_or(J::Null),
            _ => J::Null,
        }
    }

    /// The value as JSON (structure members by model name, blobs as base64, timestamps as epoch
    /// seconds), for comparisons and resume tokens.
    pub fn to_json(&self) -> Json {
        match self.clone().norm() {
            J::Null => Json::Null,
            J::Bool(b) => Json::Bool(b),
            J::Num(n) => num(n),
            J::Str(s) => Json::String(s.into_owned()),
            J::List(l) => Json::Array(l.iter().map(J::to_json).collect()),
            J::Doc(d) => crate::document::to_json(d),
            J::Val(v) => value_to_json(v),
        }
    }
}

fn num(n: f64) -> Json {
    if n.fract() == 0.0 && n.abs() < 9.0e15 {
        Json::from(n as i64)
    } else {
        serde_json::Number::from_f64(n)
            .map(Json::Number)
            .unwrap_or(Json::Null)
    }
}

/// The member called `name` of `s` as JSON (null when the shape has no such member).
pub(crate) fn member_json(s: &dyn Structure, name: &str) -> Json {
    match s.shape().member_index(name) {
        Some(i) => value_to_json(s.field(i).get()),
        None => Json::Null,
    }
}

/// A typed value as JSON, the way botocore's parsed dicts look (member names as keys).
pub fn value_to_json(v: ValueRef) -> Json {
    use base64::Engine;
    match v {
        ValueRef::Null => Json::Null,
        ValueRef::Bool(b) => Json::Bool(b),
        ValueRef::Int(i) => Json::from(i),
        ValueRef::Float(f) => num(f),
        ValueRef::Str(s) => Json::String(s.to_string()),
        ValueRef::Timestamp(t) => num(t.as_fractional_secs()),
        ValueRef::Blob(b) => Json::String(base64::engine::general_purpose::STANDARD.encode(b)),
        ValueRef::Stream(_) => Json::Null,
        ValueRef::Document(d) => crate::document::to_json(d),
        ValueRef::Struct(s) => Json::Object(
            s.shape()
                .members
                .iter()
                .enumerate()
                .filter_map(|(i, m)| match s.field(i).get() {
                    ValueRef::Null => None,
                    v => Some((m.name.to_string(), value_to_json(v))),
                })
                .collect(),
        ),
        ValueRef::List(l) => Json::Array(
            (0..l.len())
                .map(|i| value_to_json(l.get(i).get()))
                .collect(),
        ),
        ValueRef::Map(m) => Json::Object(
            m.entries()
                .into_iter()
                .map(|(k, v)| (k.to_string(), value_to_json(v.get())))
                .collect(),
        ),
    }
}

fn equal(a: &J, b: &J) -> bool {
    let (a, b) = (a.to_json(), b.to_json());
    match (&a, &b) {
        (Json::Number(x), Json::Number(y)) => x.as_f64() == y.as_f64(),
        _ => a == b,
    }
}

impl Expr {
    /// Evaluates the expression on a structure.
    pub fn search<'a>(&'static self, s: &'a dyn Structure) -> J<'a> {
        self.eval(J::Val(ValueRef::Struct(s)))
    }

    /// Evaluates the expression on a value.
    pub fn eval<'a>(&'static self, cur: J<'a>) -> J<'a> {
        match self {
            Expr::Identity => cur.norm(),
            Expr::Field(n) => cur.field(n),
            Expr::Sub(a, b) => b.eval(a.eval(cur)),
            Expr::Index(a, i) => match a.eval(cur).elements() {
                Some(mut l) => {
                    let len = l.len() as i64;
                    let at = if *i < 0 { len + i } else { *i };
                    if (0..len).contains(&at) {
                        l.swap_remove(at as usize).norm()
                    } else {
                        J::Null
                    }
                }
                None => J::Null,
            },
            Expr::Flatten(a) => match a.eval(cur).elements() {
                Some(l) => {
                    let mut out = Vec::new();
                    for x in l {
                        let x = x.norm();
                        match x.clone().elements() {
                            Some(inner) => out.extend(inner),
                            None => out.push(x),
                        }
                    }
                    J::List(out)
                }
                None => J::Null,
            },
            Expr::Project(a, b) => match a.eval(cur).elements() {
                Some(l) => J::List(
                    l.into_iter()
                        .map(|x| b.eval(x))
                        .filter(|x| !matches!(x, J::Null))
                        .collect(),
                ),
                None => J::Null,
            },
            Expr::ValueProject(a, b) => match a.eval(cur).object_values() {
                Some(l) => J::List(
                    l.into_iter()
                        .map(|x| b.eval(x))
                        .filter(|x| !matches!(x, J::Null))
                        .collect(),
                ),
                None => J::Null,
            },
            Expr::Filter(a, cond, b) => match a.eval(cur).elements() {
                Some(l) => J::List(
                    l.into_iter()
                        .filter(|x| cond.eval(x.clone()).truthy())
                        .map(|x| b.eval(x))
                        .filter(|x| !matches!(x, J::Null))
                        .collect(),
                ),
                None => J::Null,
            },
            Expr::Cmp(op, a, b) => {
                let (x, y) = (a.eval(cur.clone()), b.eval(cur));
                match op {
                    CmpOp::Eq => J::Bool(equal(&x, &y)),
                    CmpOp::Ne => J::Bool(!equal(&x, &y)),
                    CmpOp::Gt => match (x.norm(), y.norm()) {
                        (J::Num(p), J::Num(q)) => J::Bool(p > q),
                        _ => J::Null,
                    },
                }
            }
            Expr::And(a, b) => {
                let x = a.eval(cur.clone());
                if x.truthy() {
                    b.eval(cur)
                } else {
                    x
                }
            }
            Expr::Or(a, b) => {
                let x = a.eval(cur.clone());
                if x.truthy() {
                    x
                } else {
                    b.eval(cur)
                }
            }
            Expr::Not(a) => J::Bool(!a.eval(cur).truthy()),
            Expr::Keys(a) => match a.eval(cur).norm() {
                J::Val(ValueRef::Map(m)) => J::List(
                    m.entries()
                        .into_iter()
                        .map(|(k, _)| J::Str(k.into()))
                        .collect(),
                ),
                J::Val(ValueRef::Struct(s)) => J::List(
                    s.shape()
                        .members
                        .iter()
                        .enumerate()
                        .filter(|&(i, _)| !matches!(s.field(i).get(), ValueRef::Null))
                        .map(|(_, m)| J::Str(m.name.into()))
                        .collect(),
                ),
                J::Doc(Document::Object(o)) => {
                    J::List(o.keys().map(|k| J::Str(k.as_str().into())).collect())
                }
                _ => J::Null,
            },
            Expr::Length(a) => match a.eval(cur).norm() {
                J::Str(s) => J::Num(s.chars().count() as f64),
                J::Val(ValueRef::Map(m)) => J::Num(m.entries().len() as f64),
                J::Val(ValueRef::Struct(s)) => J::Num(
                    (0..s.shape().members.len())
                        .filter(|&i| !matches!(s.field(i).get(), ValueRef::Null))
                        .count() as f64,
                ),
                J::Doc(Document::Object(o)) => J::Num(o.len() as f64),
                other => match other.elements() {
                    Some(l) => J::Num(l.len() as f64),
                    None => J::Null,
                },
            },
            Expr::Number(n) => J::Num(*n),
            Expr::Str(s) => J::Str((*s).into()),
            Expr::Bool(b) => J::Bool(*b),
            Expr::Pipe(a, b) => b.eval(a.eval(cur)),
            Expr::MultiList(items) => match cur.norm() {
                J::Null => J::Null,
                cur => J::List(items.iter().map(|e| e.eval(cur.clone())).collect()),
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    fn doc(v: serde_json::Value) -> Document {
        match v {
            serde_json::Value::Null => Document::Null,
            serde_json::Value::Bool(b) => Document::Bool(b),
            serde_json::Value::Number(n) => match n.as_i64() {
                Some(i) => Document::Int(i),
                None => Document::Float(n.as_f64().unwrap()),
            },
            serde_json::Value::String(s) => Document::String(s),
            serde_json::Value::Array(a) => Document::Array(a.into_iter().map(doc).collect()),
            serde_json::Value::Object(o) => Document::Object(
                o.into_iter()
                    .map(|(k, v)| (k, doc(v)))
                    .collect::<BTreeMap<_, _>>(),
            ),
        }
    }

    fn eval(e: &'static Expr, d: &Document) -> serde_json::Value {
        e.eval(J::Doc(d)).to_json()
    }

    // `Destinations[?Status == 'DISABLED' || Status == 'FAILED'].Name`
    static FILTER: Expr = Expr::Filter(
        &Expr::Field("Destinations"),
        &Expr::Or(
            &Expr::Cmp(CmpOp::Eq, &Expr::Field("Status"), &Expr::Str("DISABLED")),
            &Expr::Cmp(CmpOp::Eq, &Expr::Field("Status"), &Expr::Str("FAILED")),
        ),
        &Expr::Field("Name"),
    );
    // `Attrs.*.Status`
    static VALUES: Expr = Expr::ValueProject(&Expr::Field("Attrs"), &Expr::Field("Status"));
    // `!(length(Destinations) > `1` && Flag)`
    static NOT_AND: Expr = Expr::Not(&Expr::And(
        &Expr::Cmp(
            CmpOp::Gt,
            &Expr::Length(&Expr::Field("Destinations")),
            &Expr::Number(1.0),
        ),
        &Expr::Field("Flag"),
    ));
    // `[Versions, Markers] | [].Key`
    static PIPE: Expr = Expr::Pipe(
        &Expr::MultiList(&[Expr::Field("Versions"), Expr::Field("Markers")]),
        &Expr::Project(&Expr::Flatten(&Expr::Identity), &Expr::Field("Key")),
    );
    // `Items[-1].Key`, `Missing[0]`, `length(Name)`
    static LAST: Expr = Expr::Sub(&Expr::Index(&Expr::Field("Items"), -1), &Expr::Field("Key"));
    static MISSING: Expr = Expr::Index(&Expr::Field("Missing"), 0);
    static LEN: Expr = Expr::Length(&Expr::Field("Name"));

    #[test]
    fn the_subset_evaluates_like_jmespath() {
        let d = doc(serde_json::json!({
            "Destinations": [
                {"Name": "a", "Status": "ACTIVE"},
                {"Name": "b", "Status": "DISABLED"},
                {"Name": "c", "Status": "FAILED"}
            ],
            "Attrs": {"x": {"Status": "Success"}, "y": {"Status": "Pending"}, "z": {}},
            "Flag": true,
            "Versions": [{"Key": "v1"}], "Markers": [{"Key": "m1"}, {"Key": "m2"}],
            "Items": [{"Key": "first"}, {"Key": "last"}],
            "Name": "h\u{e9}llo"
        }));
        assert_eq!(eval(&FILTER, &d), serde_json::json!(["b", "c"]));
        assert_eq!(eval(&VALUES, &d), serde_json::json!(["Success", "Pending"]));
        assert_eq!(eval(&NOT_AND, &d), serde_json::json!(false));
        assert_eq!(eval(&PIPE, &d), serde_json::json!(["v1", "m1", "m2"]));
        assert_eq!(eval(&LAST, &d), serde_json::json!("last"));
        assert_eq!(eval(&MISSING, &d), serde_json::Value::Null);
        assert_eq!(
            eval(&LEN, &d),
            serde_json::json!(5),
            "code points, not bytes"
        );
    }

    #[test]
    fn truthiness() {
        for (v, t) in [
            (serde_json::json!(null), false),
            (serde_json::json!(""), false),
            (serde_json::json!([]), false),
            (serde_json::json!({}), false),
            (serde_json::json!(false), false),
            (serde_json::json!(0), true),
            (serde_json::json!("x"), true),
        ] {
            assert_eq!(J::Doc(&doc(v.clone())).truthy(), t, "{v}");
        }
    }
}
