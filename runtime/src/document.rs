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
