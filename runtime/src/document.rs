//! `Document`: an untyped JSON-like value, for document shapes.

use std::collections::BTreeMap;

/// An untyped value of a document shape.
#[derive(Debug, Clone, PartialEq, Default)]
pub enum Document {
    /// `null`
    #[default]
    Null,
    /// A boolean.
    Bool(bool),
    /// A whole number.
    Int(i64),
    /// A number with a fraction.
    Float(f64),
    /// Text.
    String(String),
    /// A list.
    Array(Vec<Document>),
    /// A string-keyed map.
    Object(BTreeMap<String, Document>),
}

/// A document as JSON.
pub fn to_json(d: &Document) -> serde_json::Value {
    use serde_json::Value as Json;
    match d {
        Document::Null => Json::Null,
        Document::Bool(b) => Json::Bool(*b),
        Document::Int(i) => Json::from(*i),
        Document::Float(f) => serde_json::Number::from_f64(*f)
            .map(Json::Number)
            .unwrap_or(Json::Null),
        Document::String(s) => Json::String(s.clone()),
        Document::Array(a) => Json::Array(a.iter().map(to_json).collect()),
        Document::Object(o) => {
            Json::Object(o.iter().map(|(k, v)| (k.clone(), to_json(v))).collect())
        }
    }
}
