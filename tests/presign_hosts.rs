//! Presigned URLs (`client.presign`) for ec2, iam, sts, s3, sqs and dynamodb in one region of every
//! partition, plain and with FIPS or dual-stack set through the environment: the host and the
//! credential scope equal botocore 1.43.11's, recorded in `tests/data/presign_hosts.json` by
//! `tests/oracle/presign_hosts.py`.
//!
//! botocore's presigning still takes a few answers from its older `endpoints.json` rather than
//! the rule sets (it refuses dual-stack in partitions that file gives no dual-stack endpoint, and
//! signs a presigned URL for the region that file names). The recording also holds what
//! botocore's rule set alone gives; where the two differ, boto-rs, which follows the rule sets,
//! must equal the rule set's answer, and those cases are listed and bounded.

use boto_runtime::client::PresignedRequest;
use boto_runtime::{Credentials, Environment, Error, ErrorKind, Session};
use serde_json::Value;
use std::time::Duration;

/// The services, regions and modes the recording covers; every combination must be present.
const SERVICES: &[&str] = &["dynamodb", "ec2", "iam", "s3", "sqs", "sts"];
const REGIONS: &[&str] = &[
    "us-east-1",
    "us-west-2",
    "cn-north-1",
    "us-gov-west-1",
    "us-iso-east-1",
    "us-isob-east-1",
    "eu-isoe-west-1",
    "us-isof-south-1",
    "eusc-de-east-1",
];
const MODES: &[&str] = &["plain", "fips", "dualstack"];

/// What a presign produced, in the terms the recording uses.
#[derive(Debug, PartialEq)]
enum Outcome {
    /// A URL: its host and the region and service of its credential scope.
    Url {
        host: String,
        scope_region: String,
        scope_service: String,
    },
    /// Refused; the message is for the report only (botocore's and ours need not agree).
    Error(String),
}

impl std::fmt::Display for Outcome {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Outcome::Url {
                host,
                scope_region,
                scope_service,
            } => write!(f, "{host} signed for {scope_region}/{scope_service}"),
            Outcome::Error(m) => write!(f, "error: {m}"),
        }
    }
}

/// One recorded case.
struct Case {
    service: String,
    region: String,
    mode: String,
    expected: Outcome,
    /// What botocore's rule set alone gives for the same inputs.
    rules: Outcome,
}

/// Reads the recording; a malformed entry is reported with its index.
fn load_cases() -> Vec<Case> {
    let path = boto_tests::workspace_root().join("tests/data/presign_hosts.json");
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    let cases: Vec<Value> = serde_json::from_str(&text)
        .unwrap_or_else(|e| panic!("{} is not a JSON list: {e}", path.display()));
    cases
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let field = |name: &str| {
                c.get(name)
                    .and_then(Value::as_str)
                    .map(str::to_string)
                    .unwrap_or_else(|| panic!("case {i} of {} has no {name}", path.display()))
            };
            let expected = match c.get("error").and_then(Value::as_str) {
                Some(message) => Outcome::Error(message.to_string()),
                None => Outcome::Url {
                    host: field("host"),
                    scope_region: field("scope_region"),
                    scope_service: field("scope_service"),
                },
            };
            let rules = match c.get("rules_error").and_then(Value::as_str) {
                Some(message) => Outcome::Error(message.to_string()),
                None => Outcome::Url {
                    host: field("rules_host"),
                    scope_region: field("rules_scope_region"),
                    scope_service: field("rules_scope_service"),
                },
            };
            Case {
                service: field("service"),
                region: field("region"),
                mode: field("mode"),
                expected,
                rules,
            }
        })
        .collect()
}

/// The environment of a case: no shared files, and the mode's variable.
fn environment(mode: &str) -> Environment {
    let mut vars = vec![
        ("AWS_CONFIG_FILE", "/dev/null"),
        ("AWS_SHARED_CREDENTIALS_FILE", "/dev/null"),
    ];
    match mode {
        "fips" => vars.push(("AWS_USE_FIPS_ENDPOINT", "true")),
        "dualstack" => vars.push(("AWS_USE_DUALSTACK_ENDPOINT", "true")),
        _ => {}
    }
    Environment::from_vars(vars)
}

/// Presigns the service's operation of the recording (the same inputs botocore got).
async fn presign(service: &str, session: &Session) -> Result<PresignedRequest, Error> {
    let hour = Duration::from_secs(3600);
    match service {
        "ec2" => {
            let c = ec2::Client::new(session);
            c.presign(ec2::types::DescribeRegionsRequest::default(), hour)
                .await
        }
        "iam" => {
            let c = iam::Client::new(session);
            c.presign(iam::types::ListUsersRequest::default(), hour)
                .await
        }
        "sts" => {
            let c = sts::Client::new(session);
            c.presign(sts::types::GetCallerIdentityRequest::default(), hour)
                .await
        }
        "sqs" => {
            let c = sqs::Client::new(session);
            c.presign(sqs::types::ListQueuesRequest::default(), hour)
                .await
        }
        "dynamodb" => {
            let c = dynamodb::Client::new(session);
            c.presign(dynamodb::types::ListTablesInput::default(), hour)
                .await
        }
        "s3" => {
            let c = s3::Client::new(session);
            let input = s3::types::GetObjectRequest {
                bucket: Some("examplebucket".into()),
                key: Some("k".into()),
                ..Default::default()
            };
            c.presign(input, hour).await
        }
        other => Err(Error::config(format!(
            "the test has no operation for {other}"
        ))),
    }
}

/// The host and credential scope of a presigned URL.
fn outcome_of(url: &str) -> Outcome {
    let Some((_, rest)) = url.split_once("://") else {
        return Outcome::Error(format!("not an absolute URL: {url}"));
    };
    let host = rest.split(['/', '?', '#']).next().unwrap_or("").to_string();
    let query = url.split_once('?').map(|(_, q)| q).unwrap_or("");
    let credential = query
        .split('&')
        .find_map(|p| p.strip_prefix("X-Amz-Credential="))
        .map(|c| c.replace("%2F", "/").replace("%2f", "/"));
    // AKID/date/region/service/aws4_request
    let parts: Vec<&str> = credential.as_deref().unwrap_or("").split('/').collect();
    match parts[..] {
        [_, _, region, service, "aws4_request"] => Outcome::Url {
            host,
            scope_region: region.to_string(),
            scope_service: service.to_string(),
        },
        _ => Outcome::Error(format!("no SigV4 credential scope in {url}")),
    }
}

/// What boto-rs does for a case; an error at any step (session, presign) counts as refusing.
async fn run(case: &Case) -> (Outcome, Option<ErrorKind>) {
    let session = Session::builder()
        .region(case.region.as_str())
        .credentials(Credentials::new("AKIDEXAMPLE", "SECRET", None))
        .environment(environment(&case.mode))
        .build();
    let result = match session {
        Ok(session) => presign(&case.service, &session).await,
        Err(e) => Err(e),
    };
    match result {
        Ok(p) => (outcome_of(&p.url), None),
        Err(e) => (Outcome::Error(e.to_string()), Some(e.kind())),
    }
}

#[test]
fn the_recording_covers_every_service_region_and_mode() {
    let cases = load_cases();
    let mut missing = Vec::new();
    for service in SERVICES {
        for region in REGIONS {
            for mode in MODES {
                let n = cases
                    .iter()
                    .filter(|c| c.service == *service && c.region == *region && c.mode == *mode)
                    .count();
                if n != 1 {
                    missing.push(format!("{service} {region} {mode}: {n} cases"));
                }
            }
        }
    }
    assert!(missing.is_empty(), "{}", missing.join("\n"));
    assert_eq!(cases.len(), SERVICES.len() * REGIONS.len() * MODES.len());
}

#[tokio::test]
async fn presigned_hosts_and_scopes_equal_botocores() {
    let cases = load_cases();
    let mut mismatches = Vec::new();
    let mut from_endpoints_json = Vec::new();
    for case in &cases {
        let (actual, kind) = run(case).await;
        let same_as = |want: &Outcome| match (want, &actual) {
            // botocore refuses the configuration: boto-rs must refuse it as configuration too,
            // before anything is sent.
            (Outcome::Error(_), Outcome::Error(_)) => kind == Some(ErrorKind::Config),
            (want, actual) => want == actual,
        };
        let same_outcome = matches!(
            (&case.expected, &case.rules),
            (Outcome::Error(_), Outcome::Error(_))
        ) || case.expected == case.rules;
        let same = if same_outcome {
            same_as(&case.expected)
        } else {
            from_endpoints_json.push(format!(
                "{} {} {}: botocore's presign {}, its rule set {}",
                case.service, case.region, case.mode, case.expected, case.rules
            ));
            same_as(&case.rules)
        };
        if !same {
            let kind = kind.map(|k| format!(" ({k:?})")).unwrap_or_default();
            mismatches.push(format!(
                "{} {} {}: expected {}, actual {actual}{kind}",
                case.service, case.region, case.mode, case.expected
            ));
        }
    }
    println!(
        "{} of {} cases where botocore's presign follows endpoints.json, not its rule set:\n{}",
        from_endpoints_json.len(),
        cases.len(),
        from_endpoints_json.join("\n")
    );
    assert!(
        mismatches.is_empty(),
        "{} of {} presigned URLs differ from botocore's:\n{}",
        mismatches.len(),
        cases.len(),
        mismatches.join("\n")
    );
    // The 12 dual-stack refusals in aws-iso-e and aws-iso-f and IAM's 3 signing regions.
    assert!(from_endpoints_json.len() <= 15, "{from_endpoints_json:?}");
}
