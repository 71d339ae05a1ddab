//! What botocore's `handlers.py` adds for services beyond the ten, checked on the wire against a
//! canned server or in the generated code: parameter aliases, operations removed because they
//! need HTTP/2.

use boto_tests::oracle::{botocore_request, python};
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
fn operations_botocore_removes_for_http2_input_streams_are_generated_with_them() {
    let root = boto_tests::workspace_root();
    for (folder, op) in codegen::customize::HTTP2_OPERATIONS {
        let dir = root.join("models").join(folder);
        let input =
            xtask::models::read_service_input(&dir, &folder.replace('-', "_"), String::new())
                .unwrap()
                .unwrap_or_else(|| panic!("models/{folder} has a service model"));
        let model: serde_json::Value = serde_json::from_str(&input.service_json).unwrap();
        let input_shape = model["operations"][op]["input"]["shape"]
            .as_str()
            .unwrap_or_else(|| panic!("{folder}'s model has {op} with an input"));
        let files = codegen::generate(&input).unwrap();
        let ops: String = files["src/operations.rs"].split_whitespace().collect();
        assert!(
            ops.contains(&format!("Operation::new(\"{op}\"")),
            "{folder}: {op} is not generated"
        );
        let types = &files["src/types.rs"];
        let ty = codegen::naming::type_name(input_shape);
        let start = types
            .find(&format!("pub struct {ty} {{"))
            .unwrap_or_else(|| panic!("{folder}: no {ty}"));
        let body = &types[start..start + types[start..].find("\n}").unwrap()];
        assert!(
            body.contains("::boto_runtime::InputEvents<"),
            "{folder}.{op}: no input event stream in\n{body}"
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

/// A PutMetricData request whose body is about `n` bytes.
fn metrics(n: usize) -> cloudwatch::types::PutMetricDataInput {
    let name = "m".repeat(200);
    cloudwatch::types::PutMetricDataInput {
        namespace: Some("app/<load> & test".into()),
        metric_data: Some(
            (0..n / 250 + 1)
                .map(|i| cloudwatch::types::MetricDatum {
                    metric_name: Some(format!("{name}{i}")),
                    value: Some(i as f64),
                    ..Default::default()
                })
                .collect(),
        ),
        ..Default::default()
    }
}

fn cloudwatch_client(
    server: &CannedServer,
    tune: impl FnOnce(boto_runtime::SessionBuilder) -> boto_runtime::SessionBuilder,
) -> cloudwatch::Client {
    let b = boto_tests::isolated_session()
        .region("us-east-1")
        .endpoint_url(&server.url)
        .max_attempts(1);
    cloudwatch::Client::new(&tune(b).build().unwrap())
}

fn gunzip(b: &[u8]) -> Vec<u8> {
    use std::io::Read;
    let mut out = Vec::new();
    flate2::read::GzDecoder::new(b)
        .read_to_end(&mut out)
        .unwrap();
    out
}

#[tokio::test]
async fn request_compression_gzips_large_bodies_of_modeled_operations() {
    let server = CannedServer::start(200, b"{}".to_vec());
    // Above the default 10240 bytes: gzip, and the body is what would have been sent.
    let client = cloudwatch_client(&server, |b| b);
    client.put_metric_data(metrics(20_000)).await.unwrap();
    assert_eq!(
        server.header(0, "content-encoding").as_deref(),
        Some("gzip")
    );
    let off = cloudwatch_client(&server, |b| b.disable_request_compression(true));
    off.put_metric_data(metrics(20_000)).await.unwrap();
    assert_eq!(server.header(1, "content-encoding"), None);
    let bodies = server.bodies();
    assert!(bodies[1].len() > 15_000, "{}", bodies[1].len());
    assert!(bodies[0].len() < bodies[1].len() / 4, "{}", bodies[0].len());
    assert_eq!(gunzip(&bodies[0]), bodies[1]);

    // Below the minimum: sent as it is; the minimum is a setting.
    client.put_metric_data(metrics(2_000)).await.unwrap();
    assert_eq!(server.header(2, "content-encoding"), None);
    let low = cloudwatch_client(&server, |b| b.request_min_compression_size_bytes(0));
    low.put_metric_data(metrics(2_000)).await.unwrap();
    assert_eq!(
        server.header(3, "content-encoding").as_deref(),
        Some("gzip")
    );
    assert_eq!(gunzip(&server.bodies()[3]), server.bodies()[2]);

    // Operations without `requestcompression` are never compressed.
    low.list_metrics(Default::default()).await.unwrap();
    assert_eq!(server.header(4, "content-encoding"), None);

    // Settings from the environment, checked as botocore checks them.
    for (var, value, says) in [
        (
            "AWS_REQUEST_MIN_COMPRESSION_SIZE_BYTES",
            "10485761",
            "0 to 10485760",
        ),
        (
            "AWS_REQUEST_MIN_COMPRESSION_SIZE_BYTES",
            "-1",
            "0 to 10485760",
        ),
        ("AWS_DISABLE_REQUEST_COMPRESSION", "maybe", "true or false"),
    ] {
        let err = boto_runtime::Session::builder()
            .environment(boto_runtime::Environment::from_vars([
                ("HOME", "/nonexistent"),
                (var, value),
            ]))
            .build()
            .unwrap_err();
        assert!(err.to_string().contains(says), "{var}={value}: {err}");
    }
    let env_off = boto_runtime::Session::builder()
        .credentials(boto_runtime::Credentials::new("AKID", "SECRET", None))
        .environment(boto_runtime::Environment::from_vars([
            ("HOME", "/nonexistent"),
            ("AWS_DISABLE_REQUEST_COMPRESSION", "true"),
        ]))
        .region("us-east-1")
        .endpoint_url(&server.url)
        .build()
        .unwrap();
    cloudwatch::Client::new(&env_off)
        .put_metric_data(metrics(20_000))
        .await
        .unwrap();
    assert_eq!(server.header(5, "content-encoding"), None);
}

/// botocore's database token at a fixed time (2026-01-02T03:04:05Z), from the installed boto3.
fn botocore_db_token(call: &str) -> String {
    let script = format!(
        "import datetime, botocore.auth, boto3\n\
         botocore.auth.get_current_datetime = lambda *a, **k: datetime.datetime(2026, 1, 2, 3, 4, 5)\n\
         rds = boto3.client('rds', region_name='us-west-2', aws_access_key_id='AKID', aws_secret_access_key='SECRET')\n\
         dsql = boto3.client('dsql', region_name='us-east-1', aws_access_key_id='AKID', aws_secret_access_key='SECRET', aws_session_token='TOKEN/x')\n\
         print({call})\n"
    );
    python(&script)
}

#[tokio::test]
async fn database_auth_tokens_are_botocores() {
    use boto_runtime::auth::signing::db_auth_token;
    use std::time::{Duration, UNIX_EPOCH};
    let at = UNIX_EPOCH + Duration::from_secs(1_767_323_045); // 2026-01-02T03:04:05Z
    let rds = db_auth_token(
        &boto_runtime::Credentials::new("AKID", "SECRET", None),
        "db.example.com:5432",
        &[("Action", "connect"), ("DBUser", "app user+1")],
        "rds-db",
        "us-west-2",
        Duration::from_secs(900),
        at,
    )
    .unwrap();
    assert_eq!(
        rds,
        botocore_db_token("rds.generate_db_auth_token('db.example.com', 5432, 'app user+1')")
    );
    let dsql = db_auth_token(
        &boto_runtime::Credentials::new("AKID", "SECRET", Some("TOKEN/x".into())),
        "abc.dsql.us-east-1.on.aws",
        &[("Action", "DbConnectAdmin")],
        "dsql",
        "us-east-1",
        Duration::from_secs(3600),
        at,
    )
    .unwrap();
    assert_eq!(
        dsql,
        botocore_db_token(
            "dsql.generate_db_connect_admin_auth_token('abc.dsql.us-east-1.on.aws', ExpiresIn=3600)"
        )
    );

    // The client method: the client's region and credentials, valid for 15 minutes.
    let session = boto_tests::isolated_session()
        .region("eu-central-1")
        .build()
        .unwrap();
    let token = rds::Client::new(&session)
        .generate_db_auth_token("db.internal", 3306, "admin", None)
        .await
        .unwrap();
    assert!(
        token.starts_with("db.internal:3306/?Action=connect&DBUser=admin&X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=testing%2F"),
        "{token}"
    );
    assert!(
        token.contains("%2Feu-central-1%2Frds-db%2Faws4_request&"),
        "{token}"
    );
    assert!(token.contains("&X-Amz-Expires=900&"), "{token}");
    let err = rds::Client::new(&session)
        .generate_db_auth_token("http://db/x", 3306, "admin", None)
        .await
        .unwrap_err();
    assert_eq!(err.kind(), boto_runtime::ErrorKind::Validation);
}

/// botocore's request body for a call with presigned-URL injection, signed at `amz_date`
/// (`20260102T030405Z`), sent to `url` from `region`.
fn botocore_injected_body(
    service: &str,
    region: &str,
    url: &str,
    amz_date: &str,
    call: &str,
) -> String {
    let script = format!(
        "import datetime, botocore.auth, boto3\n\
         t = datetime.datetime.strptime('{amz_date}', '%Y%m%dT%H%M%SZ')\n\
         botocore.auth.get_current_datetime = lambda *a, **k: t\n\
         c = boto3.client('{service}', region_name='{region}', endpoint_url='{url}', aws_access_key_id='AKID', aws_secret_access_key='SECRET')\n\
         class Captured(Exception): pass\n\
         def before_send(request, **kw): raise Captured(request.body)\n\
         c.meta.events.register('before-send', before_send)\n\
         try:\n    c.{call}\n\
         except Captured as e:\n    b = e.args[0]\n    print(b.decode() if isinstance(b, bytes) else b)\n"
    );
    python(&script)
}

/// A form body as its (key, value) pairs, decoded (`+` and `%20` both mean a space).
fn form(body: &str) -> Vec<(String, String)> {
    use boto_runtime::wire::percent::url_decode_plus;
    body.split('&')
        .map(|p| {
            let (k, v) = p.split_once('=').unwrap_or((p, ""));
            (url_decode_plus(k), url_decode_plus(v))
        })
        .collect()
}

/// A form body carrying a presigned URL, in an order-free form: its pairs sorted, the URL's
/// query pairs sorted too (botocore orders members as the caller passed them; the signatures,
/// over the canonical sorted query, are compared exactly).
fn canonical(body: &str) -> Vec<(String, String)> {
    let mut pairs: Vec<(String, String)> = form(body)
        .into_iter()
        .map(|(k, v)| {
            if k.eq_ignore_ascii_case("PresignedUrl") {
                let (base, query) = v.split_once('?').unwrap_or((&v, ""));
                let mut q = form(query);
                q.sort();
                (k, format!("{base}?{q:?}"))
            } else {
                (k, v)
            }
        })
        .collect();
    pairs.sort();
    pairs
}

/// The `X-Amz-Date` inside the presigned URL a body carries.
fn presign_date(body: &str) -> String {
    let i = body
        .find("X-Amz-Date%3D")
        .expect("a presigned URL in the body")
        + 13;
    body[i..i + 16].to_string()
}

fn rds_session(server: &CannedServer) -> boto_runtime::Session {
    boto_runtime::Session::builder()
        .credentials(boto_runtime::Credentials::new("AKID", "SECRET", None))
        .environment(boto_runtime::Environment::from_vars([(
            "HOME",
            "/nonexistent",
        )]))
        .region("us-east-1")
        .endpoint_url(&server.url)
        .max_attempts(1)
        .build()
        .unwrap()
}

#[tokio::test]
async fn copies_across_regions_carry_botocores_presigned_url() {
    // rds: SourceRegion is taken out and PreSignedUrl added, as botocore does.
    let server = CannedServer::start(
        200,
        b"<CopyDBSnapshotResponse><CopyDBSnapshotResult/></CopyDBSnapshotResponse>".to_vec(),
    );
    let client = rds::Client::new(&rds_session(&server));
    client
        .copy_db_snapshot(rds::types::CopyDBSnapshotMessage {
            source_db_snapshot_identifier: Some(
                "arn:aws:rds:us-west-2:123456789012:snapshot:a b".into(),
            ),
            target_db_snapshot_identifier: Some("copy".into()),
            source_region: Some("us-west-2".into()),
            ..Default::default()
        })
        .await
        .unwrap();
    let body = String::from_utf8(server.bodies()[0].clone()).unwrap();
    assert!(!body.contains("SourceRegion"), "{body}");
    let expected = botocore_injected_body(
        "rds",
        "us-east-1",
        &server.url,
        &presign_date(&body),
        "copy_db_snapshot(SourceDBSnapshotIdentifier='arn:aws:rds:us-west-2:123456789012:snapshot:a b', \
         TargetDBSnapshotIdentifier='copy', SourceRegion='us-west-2')",
    );
    assert_eq!(canonical(&body), canonical(&expected));

    // A presigned URL given by the caller is kept; without SourceRegion nothing is added.
    client
        .copy_db_snapshot(rds::types::CopyDBSnapshotMessage {
            source_db_snapshot_identifier: Some("a".into()),
            target_db_snapshot_identifier: Some("b".into()),
            source_region: Some("us-west-2".into()),
            pre_signed_url: Some("https://given".into()),
            ..Default::default()
        })
        .await
        .unwrap();
    let body = String::from_utf8(server.bodies()[1].clone()).unwrap();
    assert!(
        body.ends_with("PreSignedUrl=https%3A%2F%2Fgiven") && !body.contains("SourceRegion"),
        "{body}"
    );
    client
        .copy_db_snapshot(rds::types::CopyDBSnapshotMessage {
            source_db_snapshot_identifier: Some("a".into()),
            target_db_snapshot_identifier: Some("b".into()),
            ..Default::default()
        })
        .await
        .unwrap();
    let body = String::from_utf8(server.bodies()[2].clone()).unwrap();
    assert!(!body.contains("PreSignedUrl"), "{body}");

    // ec2 CopySnapshot: PresignedUrl and DestinationRegion are added, SourceRegion stays.
    let server = CannedServer::start(
        200,
        b"<CopySnapshotResponse><snapshotId>snap-2</snapshotId></CopySnapshotResponse>".to_vec(),
    );
    let client = ec2::Client::new(&rds_session(&server));
    let out = client
        .copy_snapshot(ec2::types::CopySnapshotRequest {
            source_region: Some("eu-west-1".into()),
            source_snapshot_id: Some("snap-1".into()),
            description: Some("copy & keep".into()),
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(out.snapshot_id.as_deref(), Some("snap-2"));
    let body = String::from_utf8(server.bodies()[0].clone()).unwrap();
    let expected = botocore_injected_body(
        "ec2",
        "us-east-1",
        &server.url,
        &presign_date(&body),
        "copy_snapshot(SourceRegion='eu-west-1', SourceSnapshotId='snap-1', Description='copy & keep')",
    );
    assert_eq!(canonical(&body), canonical(&expected));
}

#[tokio::test]
async fn predict_goes_to_the_models_endpoint_and_search_is_posted() {
    // machinelearning Predict: sent to PredictEndpoint, not to the client's endpoint.
    let client_side = CannedServer::start(500, Vec::new());
    let model_side =
        CannedServer::start(200, br#"{"Prediction": {"predictedLabel": "1"}}"#.to_vec());
    let ml = machinelearning::Client::new(&client_side.session());
    let out = ml
        .predict(machinelearning::types::PredictInput {
            ml_model_id: Some("ml-1".into()),
            record: Some(std::collections::HashMap::from([(
                "x".to_string(),
                "1".to_string(),
            )])),
            predict_endpoint: Some(model_side.url.clone()),
        })
        .await
        .unwrap();
    assert_eq!(
        out.prediction.unwrap().predicted_label.as_deref(),
        Some("1")
    );
    assert_eq!(client_side.requests(), 0);
    assert_eq!(model_side.requests(), 1);
    let host = model_side.header(0, "host").unwrap();
    assert_eq!(format!("http://{host}"), model_side.url);

    // cloudsearchdomain Search: a POST with the query string as a form body, as botocore sends it.
    let server = CannedServer::start(
        200,
        br#"{"status": {"rid": "r", "timems": 1}, "hits": {"found": 0, "hit": []}}"#.to_vec(),
    );
    let cs = cloudsearchdomain::Client::new(&server.session());
    cs.search(cloudsearchdomain::types::SearchRequest {
        query: Some("star wars & \"the force\"".into()),
        return_fields: Some("title,year".into()),
        size: Some(5),
        ..Default::default()
    })
    .await
    .unwrap();
    let head = &server.heads()[0];
    let expected = botocore_request(
        "cloudsearchdomain",
        &server.url,
        "search(query='star wars & \"the force\"', returnFields='title,year', size=5)",
    );
    assert_eq!(expected["method"], "POST");
    assert!(head.starts_with("POST /2013-01-01/search "), "{head}");
    assert_eq!(
        format!("{}{}", server.url, "/2013-01-01/search"),
        expected["url"].as_str().unwrap()
    );
    assert_eq!(
        server.header(0, "content-type").as_deref(),
        expected["type"].as_str()
    );
    let mut ours = form(std::str::from_utf8(&server.bodies()[0]).unwrap());
    let mut theirs = form(expected["body"].as_str().unwrap());
    ours.sort();
    theirs.sort();
    assert_eq!(ours, theirs);
}

#[tokio::test]
async fn presigned_posts_are_boto3s() {
    use boto_runtime::auth::post::{presigned_post, PostCondition};
    use std::time::{Duration, UNIX_EPOCH};
    let at = UNIX_EPOCH + Duration::from_secs(1_767_323_045); // 2026-01-02T03:04:05Z
    let fields = vec![
        ("acl".to_string(), "public-read".to_string()),
        ("Content-Type".to_string(), "image/png".to_string()),
        ("x-amz-meta-note".to_string(), "café \"quoted\"".to_string()),
    ];
    let conditions = vec![
        PostCondition::Equals("acl".into(), "public-read".into()),
        PostCondition::StartsWith("Content-Type".into(), "image/".into()),
        PostCondition::Equals("x-amz-meta-note".into(), "café \"quoted\"".into()),
        PostCondition::ContentLengthRange(1, 1_048_576),
    ];
    let ours = presigned_post(
        "https://bucket.s3.amazonaws.com/",
        "bucket",
        "uploads/${filename}",
        &fields,
        &conditions,
        &boto_runtime::Credentials::new("AKID", "SECRET", Some("TOKEN/x".into())),
        "us-west-2",
        Duration::from_secs(600),
        at,
    )
    .unwrap();
    let theirs: serde_json::Value = serde_json::from_str(&python(
        "import datetime, json, boto3, botocore.auth, botocore.signers\n\
         fixed = lambda *a, **k: datetime.datetime(2026, 1, 2, 3, 4, 5)\n\
         botocore.auth.get_current_datetime = fixed\n\
         botocore.signers.get_current_datetime = fixed\n\
         from botocore.config import Config\n\
         s3 = boto3.client('s3', region_name='us-west-2', aws_access_key_id='AKID', aws_secret_access_key='SECRET', aws_session_token='TOKEN/x', config=Config(signature_version='s3v4'))\n\
         print(json.dumps(s3.generate_presigned_post('bucket', 'uploads/${filename}', \
         Fields={'acl': 'public-read', 'Content-Type': 'image/png', 'x-amz-meta-note': 'caf\\u00e9 \"quoted\"'}, \
         Conditions=[{'acl': 'public-read'}, ['starts-with', '$Content-Type', 'image/'], {'x-amz-meta-note': 'caf\\u00e9 \"quoted\"'}, ['content-length-range', 1, 1048576]], \
         ExpiresIn=600)))\n",
    ))
    .unwrap();
    let theirs_fields: Vec<(String, String)> = theirs["fields"]
        .as_object()
        .unwrap()
        .iter()
        .map(|(k, v)| (k.clone(), v.as_str().unwrap().to_string()))
        .collect();
    // The same fields in the same order, the policy and its signature byte for byte (boto3 signs
    // S3 presigned requests with SigV2 unless told `s3v4`; boto-rs always uses SigV4).
    assert_eq!(ours.fields, theirs_fields);
    assert_eq!(ours.url, theirs["url"].as_str().unwrap());
    assert!(!format!("{ours:?}").contains("TOKEN/x"));

    // The client method: the bucket's URL, the client's region and keys. In us-east-1 the URL
    // is boto3's; elsewhere boto3 posts to the global endpoint and boto-rs to the bucket's
    // region, which its signature names.
    let boto3_url = |region: &str| {
        python(&format!(
            "import boto3\n\
             s3 = boto3.client('s3', region_name='{region}', aws_access_key_id='a', aws_secret_access_key='b')\n\
             print(s3.generate_presigned_post('my-bucket', 'a/b.txt')['url'])\n"
        ))
    };
    let post_in = |region: &str| {
        let session = boto_tests::isolated_session()
            .region(region)
            .build()
            .unwrap();
        async move {
            s3::Client::new(&session)
                .generate_presigned_post(
                    "my-bucket",
                    "a/b.txt",
                    &[],
                    &[],
                    Duration::from_secs(3600),
                )
                .await
                .unwrap()
        }
    };
    assert_eq!(post_in("us-east-1").await.url, boto3_url("us-east-1"));
    let post = post_in("eu-central-1").await;
    assert_eq!(post.url, "https://my-bucket.s3.eu-central-1.amazonaws.com/");
    assert_eq!(
        boto3_url("eu-central-1"),
        "https://my-bucket.s3.amazonaws.com/"
    );
    let field = |name: &str| {
        post.fields
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
    };
    assert_eq!(field("key").as_deref(), Some("a/b.txt"));
    assert!(field("x-amz-credential")
        .unwrap()
        .ends_with("/eu-central-1/s3/aws4_request"));
    let policy = base64::Engine::decode(
        &base64::engine::general_purpose::STANDARD,
        field("policy").unwrap(),
    )
    .unwrap();
    let policy: serde_json::Value = serde_json::from_slice(&policy).unwrap();
    assert_eq!(
        policy["conditions"][0],
        serde_json::json!({"bucket": "my-bucket"})
    );
    assert_eq!(
        policy["conditions"][1],
        serde_json::json!({"key": "a/b.txt"})
    );
}

#[tokio::test]
async fn a_presigned_post_form_uploads_a_file() {
    use std::time::Duration;
    let moto = boto_tests::Moto::start();
    let client = s3::Client::new(&moto.session());
    client
        .create_bucket(s3::types::CreateBucketRequest {
            bucket: Some("forms".into()),
            ..Default::default()
        })
        .await
        .unwrap();
    let post = client
        .generate_presigned_post(
            "forms",
            "in/${filename}",
            &[("Content-Type".into(), "text/plain".into())],
            &[boto_runtime::auth::post::PostCondition::StartsWith(
                "Content-Type".into(),
                "text/".into(),
            )],
            Duration::from_secs(300),
        )
        .await
        .unwrap();
    assert_eq!(post.url, format!("{}/forms", moto.url));

    // A multipart form as a browser sends it: the fields, then the file.
    let boundary = "----boto-rs-form-boundary";
    let mut body = Vec::new();
    for (k, v) in &post.fields {
        body.extend_from_slice(
            format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{k}\"\r\n\r\n{v}\r\n")
                .as_bytes(),
        );
    }
    body.extend_from_slice(
        format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"hello.txt\"\r\n\
             Content-Type: text/plain\r\n\r\nhello from a form\r\n--{boundary}--\r\n"
        )
        .as_bytes(),
    );
    let resp = reqwest::Client::new()
        .post(&post.url)
        .header(
            "content-type",
            format!("multipart/form-data; boundary={boundary}"),
        )
        .body(body)
        .send()
        .await
        .unwrap();
    assert!(resp.status().is_success(), "{}", resp.status());

    let out = client
        .get_object(s3::types::GetObjectRequest {
            bucket: Some("forms".into()),
            key: Some("in/hello.txt".into()),
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(&out.body.collect().await.unwrap()[..], b"hello from a form");
}
