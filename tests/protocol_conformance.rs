//! botocore's protocol compliance suites (tests/protocol) run through the runtime codecs: every
//! ec2 case botocore runs must pass, and the runner itself must notice a wrong expectation.

use boto_tests::conformance::{self, Direction, Outcome};
use boto_tests::workspace_root;
use serde_json::{json, Value};
use std::path::PathBuf;

fn protocol_dir() -> PathBuf {
    workspace_root().join("tests").join("protocol")
}

fn read_json(path: &std::path::Path) -> Value {
    let text = std::fs::read_to_string(path)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Cases botocore runs from the ec2 files, counted straight from the files and the ignore list.
fn runnable_ec2_cases() -> usize {
    let dir = protocol_dir();
    let ignore = read_json(&dir.join(conformance::IGNORE_LIST));
    let listed = |section: &Value, field: &str, value: &str| {
        section[field]
            .as_array()
            .is_some_and(|a| a.iter().any(|v| v == value))
    };
    let mut n = 0;
    for rel in [
        "input/ec2.json",
        "output/ec2.json",
        "legacy/input/ec2.json",
        "legacy/output/ec2.json",
    ] {
        for suite in read_json(&dir.join(rel))
            .as_array()
            .expect("a list of suites")
        {
            let description = suite["description"].as_str().unwrap_or("");
            for case in suite["cases"].as_array().expect("cases") {
                let direction = if case.get("params").is_some() {
                    "input"
                } else if case.get("response").is_some() {
                    "output"
                } else {
                    continue;
                };
                let id = case["id"].as_str().unwrap_or("");
                let skipped = [
                    &ignore["general"][direction],
                    &ignore["protocols"]["ec2"][direction],
                ]
                .iter()
                .any(|s| {
                    listed(s, "suites", description) || (!id.is_empty() && listed(s, "cases", id))
                });
                if !skipped {
                    n += 1;
                }
            }
        }
    }
    n
}

#[test]
fn every_runnable_ec2_case_passes() {
    let report = conformance::run(&[protocol_dir()]);
    let root = workspace_root();
    let failures: Vec<String> = report
        .failures()
        .filter(|r| r.key == "ec2")
        .filter_map(|r| r.fail_line(Some(&root)))
        .collect();
    assert!(
        failures.is_empty(),
        "{} ec2 cases failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
    let expected = runnable_ec2_cases();
    assert!(
        expected > 50,
        "only {expected} runnable ec2 cases found in tests/protocol"
    );
    let passed = report.counts_where(|r| r.key == "ec2").passed;
    assert_eq!(
        passed, expected,
        "ec2 cases passed vs. runnable ec2 cases in the four ec2 files"
    );
}

#[test]
fn only_unsupported_protocols_are_skipped_as_unsupported() {
    let report = conformance::run(&[protocol_dir()]);
    assert!(!report.cases.is_empty());
    for r in &report.cases {
        let unsupported = r.outcome == Outcome::Skipped("protocol not supported yet".into());
        let runnable = r.direction.is_some()
            && !matches!(&r.outcome, Outcome::Skipped(w) if w == "ignore-listed");
        assert_eq!(
            unsupported,
            runnable && !conformance::supported(&r.protocol),
            "{} | {} | {}: {:?}",
            r.file.display(),
            r.suite,
            r.case,
            r.outcome
        );
    }
}

#[test]
fn a_wrong_expectation_fails_with_its_difference() {
    let shapes = json!({
        "InputShape": {"type": "structure", "members": {
            "Name": {"shape": "S", "locationName": "name"},
            "When": {"shape": "T"}
        }},
        "OutputShape": {"type": "structure", "members": {"Count": {"shape": "I"}, "Ratio": {"shape": "F"}}},
        "S": {"type": "string"}, "T": {"type": "timestamp"}, "I": {"type": "integer"}, "F": {"type": "float"}
    });
    let input = |body: &str| {
        json!({
            "given": {"name": "Op", "input": {"shape": "InputShape"}},
            "params": {"Name": "a b", "When": 1422172800},
            "serialized": {"uri": "/", "body": body, "headers": {"Content-Type": "application/x-www-form-urlencoded"}}
        })
    };
    let output = |result: Value| {
        json!({
            "given": {"name": "Op", "output": {"shape": "OutputShape"}},
            "result": result,
            "response": {"status_code": 200, "body": "<OpResponse><Count>3</Count><Ratio>0.1</Ratio></OpResponse>"}
        })
    };
    let suite = json!([{
        "description": "Synthetic",
        "metadata": {"protocol": "ec2", "apiVersion": "2014-01-01"},
        "shapes": shapes,
        "cases": [
            input("Action=Op&Version=2014-01-01&Name=a%20b&When=2015-01-25T08%3A00%3A00Z"),
            input("Action=Op&Version=2014-01-01&Name=a+b&When=2015-01-25T08%3A00%3A00Z"),
            output(json!({"Count": 3.0, "Ratio": 0.1})),
            output(json!({"Count": 4, "Ratio": 0.1}))
        ]
    }]);
    let dir = std::env::temp_dir().join(format!("boto-protocol-tests-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("ec2.json");
    std::fs::write(&file, suite.to_string()).unwrap();
    let report = conformance::run(std::slice::from_ref(&file));
    std::fs::remove_dir_all(&dir).ok();

    let outcomes: Vec<(&str, Option<Direction>, &Outcome)> = report
        .cases
        .iter()
        .map(|r| (r.case.as_str(), r.direction, &r.outcome))
        .collect();
    assert_eq!(outcomes.len(), 4, "{outcomes:?}");
    assert_eq!(
        outcomes[0],
        ("#0", Some(Direction::Input), &Outcome::Passed)
    );
    assert_eq!(
        outcomes[2],
        ("#2", Some(Direction::Output), &Outcome::Passed),
        "3 == 3.0 and float 0.1 as f32"
    );
    let line = report.cases[1]
        .fail_line(None)
        .expect("the `+` body must fail");
    assert!(
        line.starts_with(&format!(
            "FAIL {} | Synthetic | #1 | body: ",
            file.display()
        )),
        "{line}"
    );
    assert!(line.contains("Name=a%20b"), "{line}");
    match &report.cases[3].outcome {
        Outcome::Failed(d) => assert_eq!(d, "result at .Count: expected 4, got 3"),
        other => panic!("a wrong result must fail: {other:?}"),
    }
    assert_eq!(report.counts().to_string(), "2 passed, 2 failed, 0 skipped");
}
