//! What botocore's `handlers.py` adds for services beyond the ten, checked on the wire against a
//! canned server or in the generated code: parameter aliases, operations removed because they
//! need HTTP/2.

use boto_tests::CannedServer;

#[tokio::test]
async fn parameter_aliases_are_the_field_names_and_the_wire_keeps_the_model_name() {
    // ec2's `Filter` members are `filters`, as boto3's `Filters` alias; sent as `Filter.N`.
    let server = CannedServer::start(
        200,
        b"<DescribeFlowLogsResponse><flowLogSet/></DescribeFlowLogsResponse>".to_vec(),
    );
    let client = ec2::Client::new(&server.session());
    client
        .describe_flow_logs(ec2::types::DescribeFlowLogsRequest {
            filters: Some(vec![ec2::types::Filter {
                name: Some("resource-id".into()),
                values: Some(vec!["vpc-1".into()]),
            }]),
            ..Default::default()
        })
        .await
        .unwrap();
    let body = String::from_utf8(server.bodies()[0].clone()).unwrap();
    assert!(
        body.contains("Filter.1.Name=resource-id&Filter.1.Value.1=vpc-1"),
        "{body}"
    );

    // logs CreateExportTask's `from` is `from_time` (boto3's `fromTime`); sent as `from`.
    let server = CannedServer::start(200, br#"{"taskId": "t-1"}"#.to_vec());
    let client = logs::Client::new(&server.session());
    let out = client
        .create_export_task(logs::types::CreateExportTaskRequest {
            log_group_name: Some("app".into()),
            from_time: Some(1_700_000_000_000),
            to: Some(1_700_000_360_000),
            destination: Some("bucket".into()),
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(out.task_id.as_deref(), Some("t-1"));
    let sent: serde_json::Value = serde_json::from_slice(&server.bodies()[0]).unwrap();
    assert_eq!(
        sent,
        serde_json::json!({"logGroupName": "app", "from": 1_700_000_000_000_i64,
                           "to": 1_700_000_360_000_i64, "destination": "bucket"})
    );
}

#[test]
fn operations_that_need_http2_input_streams_are_not_generated() {
    let root = boto_tests::workspace_root();
    for (folder, op) in codegen::customize::HTTP2_OPERATIONS {
        let dir = root.join("models").join(folder);
        let input =
            xtask::models::read_service_input(&dir, &folder.replace('-', "_"), String::new())
                .unwrap()
                .unwrap_or_else(|| panic!("models/{folder} has a service model"));
        let model: serde_json::Value = serde_json::from_str(&input.service_json).unwrap();
        assert!(
            model["operations"].get(op).is_some(),
            "{folder}'s model has {op}"
        );
        let files = codegen::generate(&input).unwrap();
        let ops = &files["src/operations.rs"];
        assert!(ops.contains("Operation::new(\""), "{folder} has operations");
        assert!(
            !ops.contains(&format!("Operation::new(\"{op}\")")),
            "{folder}: {op} is generated"
        );
    }
}

#[test]
fn bedrock_agentcore_sends_millisecond_timestamps_and_no_other_service_does() {
    let root = boto_tests::workspace_root();
    for (folder, millis) in [
        ("bedrock-agentcore", true),
        ("bedrock-agentcore-control", false),
    ] {
        let input = xtask::models::read_service_input(
            &root.join("models").join(folder),
            &folder.replace('-', "_"),
            String::new(),
        )
        .unwrap()
        .unwrap();
        let files = codegen::generate(&input).unwrap();
        assert!(
            files["src/operations.rs"].contains(&format!("timestamp_millis: {millis},")),
            "{folder}"
        );
    }
    for svc in xtask::SERVICES {
        let ops = std::fs::read_to_string(
            root.join("generated")
                .join(svc.replace('-', "_"))
                .join("src/operations.rs"),
        )
        .unwrap();
        assert!(ops.contains("timestamp_millis: false,"), "{svc}");
    }
}

#[tokio::test]
async fn apigateway_asks_for_json() {
    let server = CannedServer::start(200, br#"{"items": []}"#.to_vec());
    let client = apigateway::Client::new(&server.session());
    client.get_rest_apis(Default::default()).await.unwrap();
    assert_eq!(
        server.header(0, "accept").as_deref(),
        Some("application/json")
    );
    // Other services send no Accept of their own.
    let client = lambda::Client::new(&server.session());
    let _ = client.list_functions(Default::default()).await;
    assert_eq!(server.header(1, "accept").as_deref(), Some("*/*"));
}
