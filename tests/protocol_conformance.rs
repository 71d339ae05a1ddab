//! botocore's protocol compliance suites (tests/protocol) run through the runtime codecs: every
//! case botocore runs for ec2, query, json, rest-json, rest-xml and smithy-rpc-v2-cbor must pass,
//! and the runner itself must notice a wrong expectation.

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

/// Cases botocore runs from the files of one protocol (`ec2`, `json_1_0`, ...), counted straight
/// from the files and the ignore list.
fn runnable_cases(key: &str) -> usize {
    let dir = protocol_dir();
    let ignore = read_json(&dir.join(conformance::IGNORE_LIST));
    let listed = |section: &Value, field: &str, value: &str| {
        section[field]
            .as_array()
            .is_some_and(|a| a.iter().any(|v| v == value))
    };
    let mut n = 0;
    for sub in ["input", "output", "legacy/input", "legacy/output"] {
        let path = dir.join(sub).join(format!("{key}.json"));
        if !path.is_file() {
            continue;
        }
        for suite in read_json(&path).as_array().expect("a list of suites") {
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
                    &ignore["protocols"][key][direction],
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

/// Cases that cannot pass in a typed SDK, with why: (file key, suite, case).
///
/// - legacy json "Lists" #0 declares `MapType` as a *string* yet answers with JSON objects
///   (`[{}, null, null, {}]`); botocore's untyped parser passes them through, a typed one reports
///   the mismatch instead of inventing a value.
const KNOWN_FAILURES: &[(&str, &str, &str)] = &[("json", "Lists", "#0")];

#[test]
fn every_runnable_case_passes_for_every_protocol() {
    let report = conformance::run(&[protocol_dir()]);
    let root = workspace_root();
    let known = |r: &conformance::CaseResult| {
        KNOWN_FAILURES
            .iter()
            .any(|(k, s, c)| r.key == *k && r.suite == *s && r.case == *c)
    };
    // Each file key, with the fewest runnable cases its files must hold (the CBOR variants'
    // files hold a case or two each).
    for (key, at_least) in [
        ("ec2", 20),
        ("query", 20),
        ("json", 20),
        ("json_1_0", 20),
        ("rest-json", 20),
        ("rest-xml", 20),
        ("smithy-rpc-v2-cbor", 20),
        ("smithy-rpc-v2-cbor-query-compatible", 1),
        ("smithy-rpc-v2-cbor-non-query-compatible", 1),
    ] {
        let failures: Vec<String> = report
            .failures()
            .filter(|r| r.key == key && !known(r))
            .filter_map(|r| r.fail_line(Some(&root)))
            .collect();
        assert!(
            failures.is_empty(),
            "{} {key} cases failed:\n{}",
            failures.len(),
            failures.join("\n")
        );
        let expected = runnable_cases(key);
        assert!(
            expected >= at_least,
            "only {expected} runnable {key} cases found in tests/protocol"
        );
        let known_here = report
            .cases
            .iter()
            .filter(|r| r.key == key && known(r))
            .count();
        let passed = report.counts_where(|r| r.key == key).passed;
        assert_eq!(
            passed + known_here,
            expected,
            "{key}: cases passed (+ known failures) vs. runnable cases in its files"
        );
    }
    // A known failure that starts passing must leave the list.
    for (k, s, c) in KNOWN_FAILURES {
        let r = report
            .cases
            .iter()
            .find(|r| r.key == *k && r.suite == *s && r.case == *c)
            .unwrap_or_else(|| panic!("known failure {k} | {s} | {c} not found"));
        assert!(
            matches!(r.outcome, Outcome::Failed(_)),
            "{k} | {s} | {c} now passes: remove it from KNOWN_FAILURES"
        );
    }
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

/// The runner's dynamic schemas and the generated statics come from the same lowering
/// (`codegen::ir::schema`): built from a service's model, they describe every shape alike.
#[test]
fn dynamic_schemas_match_the_generated_statics() {
    use boto_runtime::schema::{Operation, Shape};
    use boto_tests::dynamic::{self, Schema};

    fn model(svc: &str) -> codegen::model::ServiceModel {
        let text = xtask::models::read_service_model(&workspace_root().join("models").join(svc))
            .unwrap()
            .expect("a service model");
        let mut model = codegen::model::parse_service(svc, &text).unwrap();
        // The changes generation makes at load time (dynamodb's `AttributeValue` union).
        codegen::customize::service_model(svc, &mut model).unwrap();
        model
    }
    fn same_shape(a: &Shape, b: &Shape, depth: usize, at: &str) {
        let at = format!("{at}/{}", a.name);
        assert_eq!(a.name, b.name, "{at}");
        assert_eq!(a.kind, b.kind, "{at}: kind");
        assert_eq!(a.flags, b.flags, "{at}: flags");
        assert_eq!(a.xml_name, b.xml_name, "{at}: xml_name");
        assert_eq!(a.xml_namespace, b.xml_namespace, "{at}: xml_namespace");
        assert_eq!(
            a.timestamp_format, b.timestamp_format,
            "{at}: timestamp_format"
        );
        assert_eq!(a.payload, b.payload, "{at}: payload");
        assert_eq!(a.error, b.error, "{at}: error");
        assert_eq!((a.min, a.max), (b.min, b.max), "{at}: range");
        assert_eq!(
            a.constructor.is_some(),
            b.constructor.is_some(),
            "{at}: constructor"
        );
        assert_eq!(a.members.len(), b.members.len(), "{at}: members");
        assert_eq!(a.items.len(), b.items.len(), "{at}: items");
        if depth == 0 {
            return;
        }
        for (x, y) in a
            .members
            .iter()
            .chain(a.items)
            .zip(b.members.iter().chain(b.items))
        {
            let at = format!("{at}.{}", x.name);
            assert_eq!(x.name, y.name, "{at}");
            assert_eq!(x.flags, y.flags, "{at}: flags");
            assert_eq!(x.location, y.location, "{at}: location");
            assert_eq!(x.location_name, y.location_name, "{at}: location_name");
            assert_eq!(x.query_name, y.query_name, "{at}: query_name");
            assert_eq!(x.xml_namespace, y.xml_namespace, "{at}: xml_namespace");
            assert_eq!(
                x.timestamp_format, y.timestamp_format,
                "{at}: timestamp_format"
            );
            same_shape(x.target, y.target, depth - 1, &at);
        }
    }
    fn same_op(a: &Operation, b: &Operation) {
        let at = a.name;
        assert_eq!(a.name, b.name);
        assert_eq!((a.method, a.request_uri), (b.method, b.request_uri), "{at}");
        assert_eq!(a.response_code, b.response_code, "{at}");
        assert_eq!(a.result_wrapper, b.result_wrapper, "{at}");
        assert_eq!(a.host_prefix, b.host_prefix, "{at}");
        assert_eq!(a.flags, b.flags, "{at}: flags");
        assert_eq!(a.input_xml_name, b.input_xml_name, "{at}");
        assert_eq!(a.input_xml_namespace, b.input_xml_namespace, "{at}");
        assert_eq!(
            a.checksum_algorithm_member, b.checksum_algorithm_member,
            "{at}"
        );
        for (x, y) in [(a.input, b.input), (a.output, b.output)] {
            assert_eq!(x.is_some(), y.is_some(), "{at}");
            if let (Some(x), Some(y)) = (x, y) {
                same_shape(x, y, 8, at);
            }
        }
        assert_eq!(a.errors.len(), b.errors.len(), "{at}: errors");
        for (x, y) in a.errors.iter().zip(b.errors) {
            same_shape(x, y, 8, at);
        }
    }

    let cases: [(&str, &boto_runtime::schema::Service, &[&Operation]); 3] = [
        (
            "dynamodb",
            &dynamodb::operations::SERVICE,
            &[
                &dynamodb::operations::OP_PUT_ITEM,
                &dynamodb::operations::OP_QUERY,
                &dynamodb::operations::OP_TRANSACT_WRITE_ITEMS,
            ],
        ),
        (
            "glacier",
            &glacier::operations::SERVICE,
            &[
                &glacier::operations::OP_UPLOAD_ARCHIVE,
                &glacier::operations::OP_INITIATE_JOB,
                &glacier::operations::OP_GET_JOB_OUTPUT,
            ],
        ),
        (
            "ec2",
            &ec2::operations::SERVICE,
            &[
                &ec2::operations::OP_DESCRIBE_INSTANCES,
                &ec2::operations::OP_RUN_INSTANCES,
            ],
        ),
    ];
    for (svc, generated, ops) in cases {
        let model = model(svc);
        let mut schema = Schema::new(model.shapes.clone());
        let service = dynamic::service(&model.metadata, &mut schema).unwrap();
        assert_eq!(generated.protocol, service.protocol, "{svc}");
        assert_eq!(generated.signing_name, service.signing_name, "{svc}");
        assert_eq!(generated.target_prefix, service.target_prefix, "{svc}");
        assert_eq!(
            generated.query_compatible, service.query_compatible,
            "{svc}"
        );
        assert_eq!(
            generated.errors.len(),
            service.errors.len(),
            "{svc}: errors"
        );
        for (a, b) in generated.errors.iter().zip(service.errors) {
            same_shape(a, b, 8, svc);
        }
        for op in ops {
            same_op(op, &schema.operation(&model.operations[op.name]));
        }
    }
}

#[test]
fn cloudwatch_requests_over_cbor_are_botocores() {
    // A suite made from the real cloudwatch model, switched to smithy-rpc-v2-cbor, whose
    // expected requests botocore's serializer builds (tests/oracle/cbor_suite.py).
    let dir = std::env::temp_dir().join(format!("boto-rs-cbor-suite-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("smithy-rpc-v2-cbor-cloudwatch.json");
    let script = workspace_root().join("tests/oracle/cbor_suite.py");
    let out = std::process::Command::new("python3")
        .arg(&script)
        .arg(&file)
        .output()
        .expect("run python3");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let mut report = conformance::Report { cases: Vec::new() };
    conformance::run_file(&file, None, &mut report);
    let _ = std::fs::remove_dir_all(&dir);
    let failures: Vec<String> = report
        .failures()
        .filter_map(|r| r.fail_line(None))
        .collect();
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert_eq!(
        report.counts().passed,
        5,
        "{:?}",
        report.counts().to_string()
    );
}

#[test]
fn unknown_union_members_are_named_in_every_protocol() {
    // A union answering with a member the model does not know: botocore reports
    // `{"SDK_UNKNOWN_MEMBER": {"name": ...}}`, whatever the protocol.
    let shapes = json!({
        "Out": {"type": "structure", "members": {"Value": {"shape": "Choice"}}},
        "Choice": {"type": "structure", "union": true, "members": {
            "Known": {"shape": "String"}, "Other": {"shape": "String"}}},
        "String": {"type": "string"}
    });
    let xml_body = "<Value><NewKind>x</NewKind></Value>";
    let cases = [
        (
            "rest-xml",
            json!({"method": "GET", "requestUri": "/"}),
            format!("<OpResponse>{xml_body}</OpResponse>"),
        ),
        (
            "query",
            json!({"method": "POST", "requestUri": "/"}),
            format!("<OpResponse><OpResult>{xml_body}</OpResult></OpResponse>"),
        ),
        (
            "ec2",
            json!({"method": "POST", "requestUri": "/"}),
            format!("<OpResponse>{xml_body}</OpResponse>"),
        ),
        (
            "json",
            json!({"method": "POST", "requestUri": "/"}),
            r#"{"Value": {"NewKind": "x"}}"#.to_string(),
        ),
        (
            "rest-json",
            json!({"method": "GET", "requestUri": "/"}),
            r#"{"Value": {"NewKind": "x"}}"#.to_string(),
        ),
    ];
    let dir = std::env::temp_dir().join(format!("boto-rs-unknown-union-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    for (protocol, http, body) in cases {
        let mut output = json!({"shape": "Out"});
        if protocol == "query" {
            output["resultWrapper"] = json!("OpResult");
        }
        let suite = json!([{
            "description": format!("unknown union member, {protocol}"),
            "metadata": {"protocol": protocol, "apiVersion": "2020-01-01",
                         "jsonVersion": "1.1", "targetPrefix": "Svc"},
            "shapes": shapes,
            "cases": [{
                "given": {"name": "Op", "http": http, "output": output},
                "result": {"Value": {"SDK_UNKNOWN_MEMBER": {"name": "NewKind"}}},
                "response": {"status_code": 200, "headers": {}, "body": body}
            }]
        }]);
        let file = dir.join(format!("{protocol}.json"));
        std::fs::write(&file, suite.to_string()).unwrap();
        let mut report = conformance::Report { cases: Vec::new() };
        conformance::run_file(&file, None, &mut report);
        let failures: Vec<String> = report
            .failures()
            .filter_map(|r| r.fail_line(None))
            .collect();
        assert!(failures.is_empty(), "{protocol}: {}", failures.join("\n"));
        assert_eq!(report.counts().passed, 1, "{protocol}: {}", report.counts());
    }
    let _ = std::fs::remove_dir_all(&dir);
}

/// A CBOR map of text keys and text values.
fn cbor_text_map(entries: &[(&str, &str)]) -> Vec<u8> {
    fn text(out: &mut Vec<u8>, s: &str) {
        match s.len() {
            n @ 0..=23 => out.push(0x60 | n as u8),
            n @ 24..=255 => out.extend([0x78, n as u8]),
            n => {
                out.push(0x79);
                out.extend((n as u16).to_be_bytes());
            }
        }
        out.extend_from_slice(s.as_bytes());
    }
    let mut out = vec![0xa0 | entries.len() as u8];
    for (k, v) in entries {
        text(&mut out, k);
        text(&mut out, v);
    }
    out
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cloudwatch_over_cbor_end_to_end_matches_boto3() {
    use boto_runtime::schema::Protocol;
    use boto_tests::oracle::shown;
    use cloudwatch::types::*;
    // Generating with `--protocol smithy-rpc-v2-cbor` changes the service's protocol and nothing
    // else, so the committed crate over a service that speaks CBOR is that crate.
    let dir = workspace_root().join("models/cloudwatch");
    let input = xtask::models::read_service_input(&dir, "cloudwatch", String::new())
        .unwrap()
        .unwrap();
    let plain = codegen::generate(&input).unwrap();
    let cbor = codegen::generate(&codegen::ServiceInput {
        protocol: Some("smithy-rpc-v2-cbor".into()),
        ..input
    })
    .unwrap();
    for (path, text) in &plain {
        let other: Vec<&str> = cbor[path].lines().collect();
        let changed: Vec<(&str, &str)> = text
            .lines()
            .zip(other.iter().copied())
            .filter(|(a, b)| a != b)
            .collect();
        assert_eq!(text.lines().count(), other.len(), "{path}");
        assert!(
            changed.is_empty()
                || changed
                    == [(
                        "    protocol: Protocol::Json,",
                        "    protocol: Protocol::RpcV2Cbor,"
                    )],
            "{path}: {changed:?}"
        );
    }

    // Answers, encoded as a CBOR service sends them; the same ones serve boto-rs, then boto3.
    let mut metrics = GetMetricDataOutput {
        metric_data_results: Some(vec![MetricDataResult {
            id: Some("q1".into()),
            label: Some("Latency p99".into()),
            timestamps: Some(vec![
                boto_runtime::DateTime::from_secs_and_nanos(1_767_319_500, 0),
                boto_runtime::DateTime::from_secs_and_nanos(1_767_319_560, 500_000_000),
            ]),
            values: Some(vec![12.5, -0.25]),
            status_code: Some(StatusCode::Complete),
            messages: None,
        }]),
        ..Default::default()
    };
    metrics.messages = Some(vec![MessageData {
        code: Some("Info".into()),
        value: Some("partial".into()),
    }]);
    let mut metrics_body = Vec::new();
    boto_runtime::wire::cbor::write_struct(&mut metrics_body, &metrics).unwrap();
    let alarms = DescribeAlarmsOutput {
        metric_alarms: Some(vec![MetricAlarm {
            alarm_name: Some("latency-high".into()),
            threshold: Some(250.0),
            evaluation_periods: Some(3),
            state_value: Some(StateValue::Alarm),
            actions_enabled: Some(false),
            ..Default::default()
        }]),
        ..Default::default()
    };
    let mut alarms_body = Vec::new();
    boto_runtime::wire::cbor::write_struct(&mut alarms_body, &alarms).unwrap();
    let missing = cbor_text_map(&[
        ("__type", "com.amazonaws.cloudwatch#DashboardNotFoundError"),
        ("message", "no dashboard named ops"),
    ]);
    let cbor_headers = [
        ("content-type", "application/cbor"),
        ("smithy-protocol", "rpc-v2-cbor"),
    ];
    let answers = vec![
        (200, metrics_body),
        (200, alarms_body),
        (404, missing),
        (200, Vec::new()),
    ];
    let mut twice: Vec<boto_tests::Scripted> = Vec::new();
    for _ in 0..2 {
        for (status, body) in &answers {
            let mut h = cbor_headers.to_vec();
            if *status == 404 {
                h.push(("x-amzn-query-error", "ResourceNotFound;Sender"));
            }
            twice.push((*status, h, body.clone()));
        }
    }
    let server = boto_tests::CannedServer::scripted(twice);
    let session = server.session();
    let client: cloudwatch::Client = boto_runtime::ClientBuilder::new(
        &session,
        boto_tests::speaking(&cloudwatch::operations::SERVICE, Protocol::RpcV2Cbor),
    )
    .build();

    let get = GetMetricDataInput {
        metric_data_queries: Some(vec![MetricDataQuery {
            id: Some("q1".into()),
            metric_stat: Some(MetricStat {
                metric: Some(Metric {
                    namespace: Some("App/Orders".into()),
                    metric_name: Some("Latency".into()),
                    dimensions: Some(vec![Dimension {
                        name: Some("Stage".into()),
                        value: Some("prod".into()),
                    }]),
                }),
                period: Some(60),
                stat: Some("p99".into()),
                unit: None,
            }),
            return_data: Some(true),
            ..Default::default()
        }]),
        start_time: Some(boto_runtime::DateTime::from_secs_and_nanos(
            1_767_319_445,
            0,
        )),
        end_time: Some(boto_runtime::DateTime::from_secs_and_nanos(
            1_767_323_045,
            0,
        )),
        max_datapoints: Some(100_000),
        ..Default::default()
    };
    let describe = DescribeAlarmsInput {
        alarm_names: Some(vec!["latency-high".into()]),
        max_records: Some(10),
        ..Default::default()
    };
    let dashboard = GetDashboardInput {
        dashboard_name: Some("ops".into()),
    };
    let put = PutMetricDataInput {
        namespace: Some("App/Orders".into()),
        metric_data: Some(vec![MetricDatum {
            metric_name: Some("Latency".into()),
            timestamp: Some(boto_runtime::DateTime::from_secs_and_nanos(
                1_767_323_045,
                0,
            )),
            value: Some(12.5),
            unit: Some(StandardUnit::Milliseconds),
            ..Default::default()
        }]),
        ..Default::default()
    };
    let ours = vec![
        Ok(shown(&client.get_metric_data(get.clone()).await.unwrap())),
        Ok(shown(
            &client.describe_alarms(describe.clone()).await.unwrap(),
        )),
        Err(client.get_dashboard(dashboard.clone()).await.unwrap_err()),
        client
            .put_metric_data(put.clone())
            .await
            .map(|()| json!({})),
    ];
    let mut boto3 = boto_tests::oracle::Boto3::start_at(
        &server.url,
        "cloudwatch",
        &[("ORACLE_PROTOCOL", "smithy-rpc-v2-cbor")],
    );
    let theirs = [
        boto3.call("GetMetricData", &get),
        boto3.call("DescribeAlarms", &describe),
        boto3.call("GetDashboard", &dashboard),
        boto3.call("PutMetricData", &put),
    ];
    for (i, (ours, theirs)) in ours.into_iter().zip(theirs).enumerate() {
        match (ours, theirs.result) {
            (Ok(a), Ok(b)) => assert_eq!(a, b, "answer {i}"),
            (Err(e), Err(b)) => {
                assert_eq!(e.code(), b["code"].as_str(), "{e}");
                assert_eq!(e.message(), b["message"].as_str(), "{e}");
                assert!(e.modeled_as::<DashboardNotFoundError>().is_some(), "{e:?}");
            }
            (a, b) => panic!("answer {i}: boto-rs {a:?}, boto3 {b:?}"),
        }
    }
    // The requests: the same CBOR (decoded, so map order does not matter), path and headers.
    let bodies = server.bodies();
    let heads = server.heads();
    assert_eq!(bodies.len(), 8);
    for i in 0..4 {
        let (a, b) = (&bodies[i], &bodies[i + 4]);
        assert_eq!(
            boto_runtime::wire::cbor::decode(a).unwrap(),
            boto_runtime::wire::cbor::decode(b).unwrap(),
            "request {i}"
        );
        let line = |h: &str| h.lines().next().unwrap_or("").to_string();
        assert_eq!(line(&heads[i]), line(&heads[i + 4]), "request {i}");
        assert!(
            line(&heads[i]).contains("/service/GraniteServiceVersion20100801/operation/"),
            "{}",
            heads[i]
        );
        for h in ["smithy-protocol", "content-type", "accept"] {
            assert_eq!(
                server.header(i, h),
                server.header(i + 4, h),
                "{h} of request {i}"
            );
        }
    }
}
