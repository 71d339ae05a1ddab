//! botocore's endpoint rule-set tests (tests/endpoints) run through the generator's lowering and
//! the runtime's rules engine: every public case of all 424 rule sets and every engine case must
//! pass, and the runner itself must notice a wrong expectation.

use boto_tests::endpoints;
use boto_tests::workspace_root;
use std::path::PathBuf;

fn endpoints_dir() -> PathBuf {
    workspace_root().join("tests").join("endpoints")
}

/// Cases in the files, counted straight from them.
fn cases_in_files() -> usize {
    let mut n = 0;
    let mut count = |path: PathBuf| {
        let text = std::fs::read_to_string(&path).unwrap();
        let doc: serde_json::Value = serde_json::from_str(&text).unwrap();
        n += doc["testCases"].as_array().map_or(0, Vec::len);
    };
    for entry in std::fs::read_dir(endpoints_dir()).unwrap().flatten() {
        let p = entry.path();
        if p.join("endpoint-tests-1.json").exists() {
            count(p.join("endpoint-tests-1.json"));
        }
    }
    for entry in std::fs::read_dir(endpoints_dir().join("_engine/test-cases"))
        .unwrap()
        .flatten()
    {
        count(entry.path());
    }
    n
}

#[test]
fn every_public_case_passes() {
    let report = endpoints::run(&[endpoints_dir()]).unwrap();
    let total = cases_in_files();
    assert!(total > 11_000, "only {total} cases in the files");
    assert!(
        report.failures.is_empty(),
        "{} of {total} cases failed:\n{}",
        report.failures.len(),
        report.failures.join("\n")
    );
    assert_eq!(report.passed, total, "every case in the files ran");
}

#[test]
fn every_service_has_a_rule_set_and_tests() {
    let models = workspace_root().join("models");
    let mut services = 0;
    for entry in std::fs::read_dir(&models).unwrap().flatten() {
        if entry.path().is_dir() {
            services += 1;
            let name = entry.file_name();
            assert!(
                entry.path().join("endpoint-rule-set-1.json.gz").exists()
                    || entry.path().join("endpoint-rule-set-1.json").exists(),
                "{name:?} has no rule set"
            );
            assert!(
                endpoints_dir()
                    .join(&name)
                    .join("endpoint-tests-1.json")
                    .exists(),
                "{name:?} has no endpoint tests"
            );
        }
    }
    assert_eq!(services, 424);
}

/// A copy of one service's tests with one expectation changed: the runner reports exactly that
/// case, with the service, its documentation and both results.
#[test]
fn a_wrong_expectation_is_reported() {
    let dir = std::env::temp_dir().join(format!("boto-rs-endpoint-tests-{}", std::process::id()));
    let svc = dir.join("sqs");
    std::fs::create_dir_all(&svc).unwrap();
    let text = std::fs::read_to_string(endpoints_dir().join("sqs/endpoint-tests-1.json")).unwrap();
    let mut doc: serde_json::Value = serde_json::from_str(&text).unwrap();
    let cases = doc["testCases"].as_array_mut().unwrap();
    let n = cases.len();
    let case = cases
        .iter_mut()
        .find(|c| c["expect"]["endpoint"]["url"].is_string())
        .unwrap();
    let url = case["expect"]["endpoint"]["url"]
        .as_str()
        .unwrap()
        .to_string();
    case["expect"]["endpoint"]["url"] = format!("{url}x").into();
    let documentation = case["documentation"].as_str().unwrap().to_string();
    let errored = cases
        .iter_mut()
        .find(|c| c["expect"]["error"].is_string())
        .unwrap();
    errored["expect"]["error"] = "not the rule set's message".into();
    std::fs::write(svc.join("endpoint-tests-1.json"), doc.to_string()).unwrap();
    let report = endpoints::run(std::slice::from_ref(&dir)).unwrap();
    std::fs::remove_dir_all(&dir).unwrap();
    assert_eq!(report.passed, n - 2);
    assert_eq!(report.failures.len(), 2, "{:?}", report.failures);
    let f = &report.failures[0];
    assert!(f.starts_with(&format!("sqs: {documentation}")), "{f}");
    assert!(f.contains(&format!("{url}x")) && f.contains(&url), "{f}");
    assert!(report.failures[1].contains("not the rule set's message"));
}

/// A rule set calling a function the engine lacks (smithy's newer `split`) fails with an error
/// naming it when evaluation reaches it, and not before.
#[test]
fn unsupported_functions_are_refused_by_name() {
    let rules = endpoints::compile(
        "t",
        r#"{"version": "1.3", "parameters": {"A": {"type": "string"}},
            "rules": [
              {"type": "endpoint", "conditions": [{"fn": "isSet", "argv": [{"ref": "A"}]}, {"fn": "split", "argv": [{"ref": "A"}, ",", 0], "assign": "parts"}],
               "endpoint": {"url": "https://x"}},
              {"type": "endpoint", "conditions": [], "endpoint": {"url": "https://fallback"}}]}"#,
    )
    .unwrap();
    let e = rules
        .evaluate(&[Some(boto_runtime::endpoint::Value::Str("a,b".into()))])
        .unwrap_err();
    assert!(e.message().contains("`split`"), "{e}");
    assert_eq!(rules.evaluate(&[None]).unwrap().url, "https://fallback");
}

/// The tables the generator wrote into the crates (shared conditions, compiled templates,
/// function names) pass their services' cases, as the lowering the runner builds from does.
#[test]
fn generated_tables_pass_their_services_cases() {
    use boto_runtime::endpoint::rules::RuleSet;
    let tables: [(&str, &RuleSet); 10] = [
        ("cloudformation", &cloudformation::endpoint_rules::RULE_SET),
        ("cloudwatch", &cloudwatch::endpoint_rules::RULE_SET),
        ("dynamodb", &dynamodb::endpoint_rules::RULE_SET),
        ("ec2", &ec2::endpoint_rules::RULE_SET),
        ("glacier", &glacier::endpoint_rules::RULE_SET),
        ("iam", &iam::endpoint_rules::RULE_SET),
        ("s3", &s3::endpoint_rules::RULE_SET),
        ("sns", &sns::endpoint_rules::RULE_SET),
        ("sqs", &sqs::endpoint_rules::RULE_SET),
        ("sts", &sts::endpoint_rules::RULE_SET),
    ];
    let mut report = endpoints::Report::default();
    let mut cases = 0;
    for (svc, rules) in tables {
        let file = endpoints_dir().join(svc).join("endpoint-tests-1.json");
        let doc: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(&file).unwrap()).unwrap();
        cases += doc["testCases"].as_array().unwrap().len();
        endpoints::run_file(svc, rules, &file, &mut report).unwrap();
    }
    assert!(cases > 800, "{cases}");
    assert!(report.failures.is_empty(), "{}", report.failures.join("\n"));
    assert_eq!(report.passed, cases);
}

/// The generator's table of functions and the runtime's agree: each name the generator accepts
/// is the runtime variant it writes, with the same number of arguments.
#[test]
fn generator_and_runtime_agree_on_the_functions() {
    use boto_runtime::endpoint::rules::Func;
    for (name, variant, arity) in codegen::ir::endpoints::FUNCTIONS {
        let f = Func::from_name(name).unwrap_or_else(|| panic!("the runtime lacks {name}"));
        assert_eq!(format!("{f:?}"), *variant, "{name}");
        assert_eq!(f.arity(), Some(*arity), "{name}");
        assert_eq!(f.name(), *name);
    }
    assert_eq!(codegen::ir::endpoints::FUNCTIONS.len(), 11);
    assert_eq!(Func::from_name("split"), None);
    assert_eq!(Func::Unsupported("split").arity(), None);
}
