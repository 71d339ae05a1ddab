//! serde on generated types: boto3's JSON form out and in, checked against botocore's parser,
//! and the errors a wrong key or value gives.

use boto_tests::oracle::python;
use boto_tests::CannedServer;
use serde_json::{json, Value as Json};

/// What botocore's parser makes of `body` as `op`'s response on `service`, in the serde form
/// (tests/oracle/boto3_calls.py's `serde_form`).
fn botocore_parses(service: &str, op: &str, body: &[u8]) -> Json {
    let dir = std::env::temp_dir().join(format!("boto-rs-serde-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(format!("{service}-{op}.body"));
    std::fs::write(&path, body).unwrap();
    let oracle = boto_tests::workspace_root().join("tests/oracle");
    let out = python(&format!(
        "import sys, json\n\
         sys.path.insert(0, {oracle:?})\n\
         from boto3_calls import serde_form\n\
         import botocore.session\n\
         from botocore.parsers import create_parser\n\
         model = botocore.session.get_session().get_service_model({service:?})\n\
         shape = model.operation_model({op:?}).output_shape\n\
         body = open({path:?}, 'rb').read()\n\
         parsed = create_parser(model.metadata['protocol']).parse(\n\
             {{'status_code': 200, 'headers': {{}}, 'body': body}}, shape)\n\
         print(json.dumps(serde_form(parsed)))",
        oracle = oracle.display().to_string(),
        path = path.display().to_string(),
    ));
    std::fs::remove_file(&path).ok();
    serde_json::from_str(&out).unwrap()
}

#[tokio::test]
async fn describe_instances_serialises_as_botocore_parses_it_and_reads_back() {
    use ec2::types::*;
    let body = boto_tests::large_describe_instances();
    let server = CannedServer::start(200, body.clone());
    let client = ec2::Client::new(&server.session());
    let out = client
        .describe_instances(DescribeInstancesRequest::default())
        .await
        .unwrap();

    let ours = serde_json::to_value(&out).unwrap();
    let theirs = botocore_parses("ec2", "DescribeInstances", &body);
    let instances: usize = ours["Reservations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["Instances"].as_array().unwrap().len())
        .sum();
    assert_eq!(instances, 502);
    assert_eq!(ours, theirs, "our serde form and botocore's dict differ");

    // boto3's dict reads back as the same Rust value, and so does our own JSON text.
    let back: DescribeInstancesResult = serde_json::from_value(theirs).unwrap();
    assert_eq!(back, out);
    let text = serde_json::to_string_pretty(&out).unwrap();
    let again: DescribeInstancesResult = serde_json::from_str(&text).unwrap();
    assert_eq!(again, out);

    // The form a person reads: model member names, ISO timestamps, enums as their values.
    let first = &ours["Reservations"][0]["Instances"][0];
    assert!(first["InstanceId"].as_str().unwrap().starts_with("i-"));
    assert!(first["State"]["Name"].is_string());
    let launched = first["LaunchTime"].as_str().unwrap();
    assert!(
        launched.len() >= 20 && &launched[10..11] == "T" && launched.ends_with('Z'),
        "{launched}"
    );
    assert!(first.get("instance_id").is_none());
}

#[test]
fn an_input_reads_from_the_keyword_arguments_a_boto3_user_passes() {
    use ec2::types::*;
    let from_json: RunInstancesRequest = serde_json::from_value(json!({
        "ImageId": "ami-12345678",
        "MinCount": 1,
        "MaxCount": 2,
        "InstanceType": "t3.micro",
        "ClientToken": "token-1",
        "TagSpecifications": [{
            "ResourceType": "instance",
            "Tags": [{"Key": "team", "Value": "web & <api>"}]
        }],
        "BlockDeviceMappings": [{"DeviceName": "/dev/sda1", "Ebs": {"VolumeSize": 20, "DeleteOnTermination": true}}],
        "UserData": "IyEvYmluL3NoCg==",
        "InstanceMarketOptions": null
    }))
    .unwrap();
    let in_rust = RunInstancesRequest {
        image_id: Some("ami-12345678".into()),
        min_count: Some(1),
        max_count: Some(2),
        instance_type: Some(InstanceType::T3Micro),
        client_token: Some("token-1".into()),
        tag_specifications: Some(vec![TagSpecification {
            resource_type: Some(ResourceType::Instance),
            tags: Some(vec![Tag {
                key: Some("team".into()),
                value: Some("web & <api>".into()),
            }]),
        }]),
        block_device_mappings: Some(vec![BlockDeviceMapping {
            device_name: Some("/dev/sda1".into()),
            ebs: Some(EbsBlockDevice {
                volume_size: Some(20),
                delete_on_termination: Some(true),
                ..Default::default()
            }),
            ..Default::default()
        }]),
        user_data: Some("IyEvYmluL3NoCg==".into()),
        ..Default::default()
    };
    assert_eq!(from_json, in_rust);
}

#[tokio::test]
async fn an_input_from_json_sends_the_same_request_as_one_built_in_rust() {
    use dynamodb::types::*;
    use std::collections::HashMap;
    let server = CannedServer::start(200, b"{}".to_vec());
    let client = dynamodb::Client::new(&server.session());
    let from_json: PutItemInput = serde_json::from_str(
        r#"{
            "TableName": "orders",
            "Item": {
                "pk": {"S": "order#1"},
                "total": {"N": "12.50"},
                "blob": {"B": "AAEC/w=="},
                "tags": {"SS": ["a", "b"]},
                "nested": {"M": {"ok": {"BOOL": true}, "none": {"NULL": true}}},
                "items": {"L": [{"N": "1"}, {"S": "two"}]}
            },
            "ConditionExpression": "attribute_not_exists(pk)",
            "ReturnValues": "ALL_OLD"
        }"#,
    )
    .unwrap();
    let s = |v: &str| AttributeValue::S(v.into());
    let n = |v: &str| AttributeValue::N(v.into());
    let in_rust = PutItemInput {
        table_name: Some("orders".into()),
        item: Some(HashMap::from([
            ("pk".to_string(), s("order#1")),
            ("total".to_string(), n("12.50")),
            (
                "blob".to_string(),
                AttributeValue::B(boto_runtime::Blob::new(vec![0, 1, 2, 255])),
            ),
            (
                "tags".to_string(),
                AttributeValue::Ss(vec!["a".into(), "b".into()]),
            ),
            (
                "nested".to_string(),
                AttributeValue::M(HashMap::from([
                    ("ok".to_string(), AttributeValue::Bool(true)),
                    ("none".to_string(), AttributeValue::Null(true)),
                ])),
            ),
            (
                "items".to_string(),
                AttributeValue::L(vec![n("1"), s("two")]),
            ),
        ])),
        condition_expression: Some("attribute_not_exists(pk)".into()),
        return_values: Some(ReturnValue::AllOld),
        ..Default::default()
    };
    assert_eq!(from_json, in_rust);
    client.put_item(from_json).await.unwrap();
    client.put_item(in_rust).await.unwrap();
    let bodies = server.bodies();
    assert_eq!(bodies.len(), 2);
    assert_eq!(
        String::from_utf8_lossy(&bodies[0]),
        String::from_utf8_lossy(&bodies[1])
    );
}

/// The error text for reading `json` as `T`.
fn error_of<T: serde::de::DeserializeOwned + std::fmt::Debug>(json: &str) -> String {
    serde_json::from_str::<T>(json).unwrap_err().to_string()
}

#[test]
fn unknown_and_mistyped_keys_name_the_key_and_where_it_is() {
    use ec2::types::RunInstancesRequest;
    let e = error_of::<RunInstancesRequest>(
        r#"{"ImageId": "ami-1", "TagSpecifications": [{"Tags": [{"Key": "a", "Valu": "b"}]}]}"#,
    );
    assert!(
        e.contains("unknown key `TagSpecifications[0].Tags[0].Valu`")
            && e.contains("Tag has no member `Valu`"),
        "{e}"
    );

    let e = error_of::<RunInstancesRequest>(r#"{"image_id": "ami-1"}"#);
    assert!(
        e.contains("`image_id`") && e.contains("did you mean `ImageId`?"),
        "{e}"
    );

    let e = error_of::<RunInstancesRequest>(r#"{"MaxCount": "2"}"#);
    assert!(
        e.contains("expected a 32-bit integer at `MaxCount`") && e.contains("\"2\""),
        "{e}"
    );

    let e = error_of::<RunInstancesRequest>(r#"{"MaxCount": 4294967296}"#);
    assert!(
        e.contains("4294967296 does not fit a 32-bit integer at `MaxCount`"),
        "{e}"
    );

    let e = error_of::<RunInstancesRequest>(
        r#"{"BlockDeviceMappings": [{}, {"Ebs": {"DeleteOnTermination": "yes"}}]}"#,
    );
    assert!(
        e.contains("expected a boolean at `BlockDeviceMappings[1].Ebs.DeleteOnTermination`"),
        "{e}"
    );

    let e = error_of::<RunInstancesRequest>(r#"{"TagSpecifications": {"Tags": []}}"#);
    assert!(e.contains("expected a list at `TagSpecifications`"), "{e}");

    let e = error_of::<dynamodb::types::PutItemInput>(r#"{"Item": {"pk": {"B": "%%%"}}}"#);
    assert!(
        e.contains("not base64") && e.contains("at `Item.pk.B`"),
        "{e}"
    );

    let e = error_of::<bedrock_runtime::types::ConverseRequest>(
        r#"{"messages": [{"content": [{"text": "a", "image": {}}]}]}"#,
    );
    assert!(
        e.contains(
            "ContentBlock is a union, which takes one member: `text` and `image` both given \
             at `messages[0].content[0]`"
        ),
        "{e}"
    );
}

#[test]
fn timestamps_are_iso_text_and_read_from_epoch_seconds_too() {
    use cloudwatch::types::MetricDatum;
    let at = |t: boto_runtime::DateTime| MetricDatum {
        timestamp: Some(t),
        ..Default::default()
    };
    let whole = boto_runtime::DateTime::from_secs(1_767_323_045);
    let millis = boto_runtime::DateTime::from_secs_and_nanos(1_767_323_045, 120_000_000);
    let micros = boto_runtime::DateTime::from_secs_and_nanos(1_767_323_045, 123_456_000);
    for (t, text) in [
        (whole, "2026-01-02T03:04:05Z"),
        (millis, "2026-01-02T03:04:05.120Z"),
        (micros, "2026-01-02T03:04:05.123456Z"),
    ] {
        assert_eq!(
            serde_json::to_value(at(t)).unwrap(),
            json!({ "Timestamp": text })
        );
        for given in [
            json!(text),
            json!(t.as_fractional_secs()),
            json!(t.as_fractional_secs().to_string()),
        ] {
            let read: MetricDatum = serde_json::from_value(json!({ "Timestamp": given })).unwrap();
            assert_eq!(read, at(t), "{given}");
        }
    }
    let read: MetricDatum = serde_json::from_value(json!({"Timestamp": 1_767_323_045})).unwrap();
    assert_eq!(read, at(whole));
    let read: MetricDatum =
        serde_json::from_value(json!({"Timestamp": "2026-01-02T05:04:05+02:00"})).unwrap();
    assert_eq!(read, at(whole));
    let e = error_of::<MetricDatum>(r#"{"Timestamp": "yesterday"}"#);
    assert!(e.contains("at `Timestamp`"), "{e}");
    let e = error_of::<MetricDatum>(r#"{"Timestamp": true}"#);
    assert!(e.contains("expected a timestamp"), "{e}");
}

#[test]
fn enums_unions_documents_floats_and_nulls_keep_their_values() {
    use bedrock_runtime::types::*;
    // An enum value this model does not know survives both ways.
    let r: ConverseRequest = serde_json::from_value(json!({
        "modelId": "m",
        "messages": [{"role": "narrator", "content": [{"text": "hi"}]}],
        "additionalModelRequestFields": {"top_k": 5, "nested": [1.5, null, "x"]},
        "system": null
    }))
    .unwrap();
    let m = &r.messages.as_ref().unwrap()[0];
    assert_eq!(m.role, Some(ConversationRole::Unknown("narrator".into())));
    assert_eq!(
        m.content.as_ref().unwrap()[0],
        ContentBlock::Text("hi".into())
    );
    assert!(r.system.is_none());
    let back = serde_json::to_value(&r).unwrap();
    assert_eq!(back["messages"][0]["role"], "narrator");
    assert_eq!(back["messages"][0]["content"], json!([{"text": "hi"}]));
    assert_eq!(
        back["additionalModelRequestFields"],
        json!({"top_k": 5, "nested": [1.5, null, "x"]})
    );
    assert!(back.get("system").is_none(), "unset members are absent");

    // A union member this model does not know: boto3's form, both ways.
    let unknown: ContentBlock =
        serde_json::from_value(json!({"SDK_UNKNOWN_MEMBER": {"name": "hologram"}})).unwrap();
    assert_eq!(unknown, ContentBlock::Unknown("hologram".into()));
    assert_eq!(
        serde_json::to_value(&unknown).unwrap(),
        json!({"SDK_UNKNOWN_MEMBER": {"name": "hologram"}})
    );
    // An enum alone is its value.
    assert_eq!(
        serde_json::to_value(ConversationRole::Assistant).unwrap(),
        json!("assistant")
    );
    let role: ConversationRole = serde_json::from_value(json!("user")).unwrap();
    assert_eq!(role, ConversationRole::User);

    // Special floats are strings, as in the JSON protocols.
    use cloudwatch::types::MetricDatum;
    let d = MetricDatum {
        value: Some(f64::INFINITY),
        values: Some(vec![f64::NAN, -0.5]),
        ..Default::default()
    };
    let j = serde_json::to_value(&d).unwrap();
    assert_eq!(j, json!({"Value": "Infinity", "Values": ["NaN", -0.5]}));
    let back: MetricDatum = serde_json::from_value(j).unwrap();
    assert_eq!(back.value, Some(f64::INFINITY));
    assert!(back.values.unwrap()[0].is_nan());
}

#[test]
fn sensitive_members_are_serialised_and_streams_are_not() {
    // Debug redacts a secret; serde writes it, since the caller asked for the data.
    let secret = secretsmanager::types::GetSecretValueResponse {
        name: Some("db".into()),
        secret_string: Some("hunter2".into()),
        ..Default::default()
    };
    assert!(!format!("{secret:?}").contains("hunter2"));
    assert_eq!(
        serde_json::to_value(&secret).unwrap(),
        json!({"Name": "db", "SecretString": "hunter2"})
    );

    // A streaming body is left out, and a key naming one is refused.
    let got = s3::types::GetObjectOutput {
        body: boto_runtime::ByteStream::from(b"data".to_vec()),
        content_length: Some(4),
        ..Default::default()
    };
    assert_eq!(
        serde_json::to_value(&got).unwrap(),
        json!({"ContentLength": 4})
    );
    let e = error_of::<s3::types::PutObjectRequest>(r#"{"Bucket": "b", "Body": "data"}"#);
    assert!(
        e.contains("a streaming body is not read from JSON") && e.contains("at `Body`"),
        "{e}"
    );
}
