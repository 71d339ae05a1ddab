//! `paginators-1.json` (its `*.sdk-extras.json` merged): how each operation pages.

use indexmap::IndexMap;
use serde::Deserialize;

/// A `paginators-1.json` file.
#[derive(Debug, Clone, Deserialize)]
pub struct PaginatorsModel {
    /// Paginators by operation name, in file order.
    pub pagination: IndexMap<String, PaginatorModel>,
}

/// One operation's paginator.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct PaginatorModel {
    /// Input members that take the next page's tokens.
    #[serde(default)]
    pub input_token: OneOrMany,
    /// Expressions giving the next page's tokens, one per input token.
    #[serde(default)]
    pub output_token: OneOrMany,
    /// An expression saying whether there are more pages.
    #[serde(default)]
    pub more_results: Option<String>,
    /// The input member that limits the page size.
    #[serde(default)]
    pub limit_key: Option<String>,
    /// Expressions giving each page's items.
    #[serde(default)]
    pub result_key: OneOrMany,
    /// Expressions giving values that are not aggregated across pages.
    #[serde(default)]
    pub non_aggregate_keys: OneOrMany,
}

/// A string or a list of strings, as paginator fields are written.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(from = "OneOrManyRepr")]
pub struct OneOrMany(pub Vec<String>);

#[derive(Deserialize)]
#[serde(untagged)]
enum OneOrManyRepr {
    One(String),
    Many(Vec<String>),
}

impl From<OneOrManyRepr> for OneOrMany {
    fn from(r: OneOrManyRepr) -> Self {
        match r {
            OneOrManyRepr::One(s) => OneOrMany(vec![s]),
            OneOrManyRepr::Many(v) => OneOrMany(v),
        }
    }
}

/// Parses a `paginators-1.json` text, naming the file in the error.
pub fn parse(file: &str, text: &str) -> Result<PaginatorsModel, String> {
    serde_json::from_str(text).map_err(|e| format!("{file}: {e}"))
}
