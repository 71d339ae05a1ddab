//! The project's tasks as a library: generating crates from models, checking their freshness,
//! refreshing models and running the test suite. The `cargo xtask` binary is its command line;
//! the freshness test calls [`generate::stale_files`] directly.

pub mod checkall;
pub mod generate;
pub mod models;
pub mod testrun;

use std::path::{Path, PathBuf};

/// The default set: the services whose crates are committed under `generated/` (every other
/// folder of `models/` is generated on demand with `cargo xtask generate --service NAME`). The
/// test fixtures in `tests/fixtures/models/` are not services and are listed apart.
pub const SERVICES: &[&str] = &[
    "apigateway",
    "autoscaling",
    "bedrock-runtime",
    "cloudformation",
    "cloudfront",
    "cloudsearchdomain",
    "cloudwatch",
    "codecatalyst",
    "cognito-idp",
    "dynamodb",
    "ebs",
    "ec2",
    "ecr",
    "ecs",
    "efs",
    "elbv2",
    "events",
    "glacier",
    "iam",
    "kinesis",
    "kms",
    "lambda",
    "logs",
    "machinelearning",
    "polly",
    "rds",
    "route53",
    "s3",
    "secretsmanager",
    "sesv2",
    "sns",
    "sqs",
    "sso-oidc",
    "ssm",
    "stepfunctions",
    "sts",
    "timestream-write",
];

/// The version of the runtime and of every generated crate: `[workspace.package] version` of
/// the root `Cargo.toml`.
pub fn project_version() -> String {
    let text = std::fs::read_to_string(root().join("Cargo.toml")).unwrap_or_default();
    let mut in_package = false;
    for line in text.lines() {
        let line = line.trim();
        if line.starts_with('[') {
            in_package = line == "[workspace.package]";
        } else if in_package {
            if let Some(v) = line.strip_prefix("version") {
                if let Some(v) = v.trim().strip_prefix('=') {
                    return v.trim().trim_matches('"').to_string();
                }
            }
        }
    }
    String::new()
}

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
