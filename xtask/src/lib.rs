//! The project's tasks as a library: generating crates from models, checking their freshness,
//! refreshing models and running the test suite. The `cargo xtask` binary is its command line;
//! the freshness test calls [`generate::stale_files`] directly.

pub mod generate;
pub mod models;
pub mod testrun;

use std::path::{Path, PathBuf};

/// The services kept in `models/` and generated into `generated/` (the test fixtures in
/// `tests/fixtures/models/` are not services and are listed apart).
pub const SERVICES: &[&str] = &[
    "cloudformation",
    "cloudwatch",
    "dynamodb",
    "ec2",
    "glacier",
    "iam",
    "s3",
    "sns",
    "sqs",
    "sts",
];

/// The workspace root.
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask is inside the workspace")
        .to_path_buf()
}

/// `path` relative to the workspace root when it is inside it, for shorter messages.
pub fn display_path(path: &Path) -> String {
    let root = root();
    match path.strip_prefix(&root) {
        Ok(rel) if rel.as_os_str().is_empty() => ".".into(),
        Ok(rel) => rel.display().to_string(),
        Err(_) => path.display().to_string(),
    }
}

/// "1 service", "2 services".
pub fn plural(n: usize, label: &str) -> String {
    format!("{n} {label}{}", if n == 1 { "" } else { "s" })
}
