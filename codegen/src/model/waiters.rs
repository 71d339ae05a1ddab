//! `waiters-2.json`: what to poll and which results end the wait.

use indexmap::IndexMap;
use serde::Deserialize;

/// A `waiters-2.json` file.
#[derive(Debug, Clone, Deserialize)]
pub struct WaitersModel {
    /// The format version (only 2 is supported).
    pub version: u32,
    /// Waiters by name, in file order.
    pub waiters: IndexMap<String, WaiterModel>,
}

/// One waiter.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct WaiterModel {
    /// The operation polled.
    #[serde(default)]
    pub operation: String,
    /// Seconds between attempts.
    #[serde(default = "default_delay")]
    pub delay: u64,
    /// Attempts before giving up.
    #[serde(default = "default_max_attempts")]
    pub max_attempts: u32,
    /// A description.
    #[serde(default)]
    pub description: Option<String>,
    /// What each result means, in order.
    #[serde(default)]
    pub acceptors: Vec<AcceptorModel>,
}

/// botocore's default delay.
fn default_delay() -> u64 {
    15
}

/// botocore's default attempts.
fn default_max_attempts() -> u32 {
    40
}

/// One acceptor.
#[derive(Debug, Clone, Deserialize)]
pub struct AcceptorModel {
    /// `success`, `failure` or `retry`.
    #[serde(default)]
    pub state: String,
    /// `path`, `pathAll`, `pathAny`, `status` or `error`.
    #[serde(default)]
    pub matcher: String,
    /// The expression a path matcher evaluates.
    #[serde(default)]
    pub argument: Option<String>,
    /// The value that matches.
    pub expected: Expected,
}

/// An acceptor's expected value.
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
pub enum Expected {
    /// A boolean.
    Bool(bool),
    /// A whole number (status codes).
    Int(u64),
    /// Any other number.
    Num(f64),
    /// A string.
    Str(String),
}

/// Parses a `waiters-2.json` text, naming the file in the error.
pub fn parse(file: &str, text: &str) -> Result<WaitersModel, String> {
    serde_json::from_str(text).map_err(|e| format!("{file}: {e}"))
}
