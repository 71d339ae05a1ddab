//! ec2 client behaviour that needs no AWS-compatible server: validation, errors, parsing a large response.

use boto_tests::CannedServer;
use ec2::types::*;

#[tokio::test]
async fn missing_required_member_sends_nothing() {
    let server = CannedServer::start(200, b"<CreateKeyPairResponse/>".to_vec());
    let client = ec2::Client::new(&server.session());
    let err = client
        .create_key_pair(CreateKeyPairRequest::default())
        .await
        .unwrap_err();
    assert_eq!(err.kind(), boto_runtime::ErrorKind::Validation);
    assert!(err.to_string().contains("KeyName"), "{err}");
    // Nested required members are found too, with their path.
    let err = client
        .describe_instances(DescribeInstancesRequest {
            filters: Some(vec![Filter::default()]),
            ..Default::default()
        })
        .await;
    assert!(err.is_ok(), "Filter has no required members");
    let err = client
        .create_tags(CreateTagsRequest {
            resources: Some(vec!["i-1".into()]),
            tags: None,
            ..Default::default()
        })
        .await
        .unwrap_err();
    assert!(err.to_string().contains("\"Tags\""), "{err}");
    assert_eq!(
        server.requests(),
        1,
        "only the valid describe_instances call reached the server"
    );
}

#[tokio::test]
async fn request_body_uses_ec2_names() {
    let server = CannedServer::start(200, b"<DescribeInstancesResponse><requestId>r1</requestId><reservationSet/></DescribeInstancesResponse>".to_vec());
    let client = ec2::Client::new(&server.session());
    let out = client
        .describe_instances(DescribeInstancesRequest {
            filters: Some(vec![Filter {
                name: Some("tag:Name".into()),
                values: Some(vec!["a b".into(), "c&d".into()]),
            }]),
            instance_ids: Some(vec!["i-1".into()]),
            max_results: Some(5),
            dry_run: Some(false),
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(
        out.reservations,
        Some(vec![]),
        "an empty list element is an empty list"
    );
    let body = String::from_utf8(server.bodies()[0].clone()).unwrap();
    assert_eq!(
        body,
        "Action=DescribeInstances&Version=2016-11-15&InstanceId.1=i-1&DryRun=false&Filter.1.Name=tag%3AName&Filter.1.Value.1=a%20b&Filter.1.Value.2=c%26d&MaxResults=5"
    );
    // ec2 sends nothing for an empty list (query would send `Name=`); non-ASCII text is UTF-8 percent-encoded.
    client
        .describe_instances(DescribeInstancesRequest {
            instance_ids: Some(vec![]),
            filters: Some(vec![Filter {
                name: Some("tag:Name".into()),
                values: Some(vec!["caf\u{e9} <b>".into()]),
            }]),
            ..Default::default()
        })
        .await
        .unwrap();
    let body = String::from_utf8(server.bodies()[1].clone()).unwrap();
    assert_eq!(
        body,
        "Action=DescribeInstances&Version=2016-11-15&Filter.1.Name=tag%3AName&Filter.1.Value.1=caf%C3%A9%20%3Cb%3E"
    );
}

#[tokio::test]
async fn error_response_and_garbage_are_errors() {
    let server = CannedServer::start(
        400,
        b"<?xml version=\"1.0\"?><Response><Errors><Error><Code>InvalidParameterValue</Code><Message>bad &amp; worse</Message></Error></Errors><RequestID>req-9</RequestID></Response>".to_vec(),
    );
    let client = ec2::Client::new(&server.session());
    let err = client
        .describe_regions(DescribeRegionsRequest::default())
        .await
        .unwrap_err();
    assert_eq!(err.code(), Some("InvalidParameterValue"));
    assert_eq!(err.message(), Some("bad & worse"));
    assert_eq!(err.request_id(), Some("req-9"));
    assert_eq!(err.status(), Some(400));

    let server = CannedServer::start(
        200,
        b"<DescribeRegionsResponse><regionInfo><item><regionName>x".to_vec(),
    );
    let client = ec2::Client::new(&server.session());
    let err = client
        .describe_regions(DescribeRegionsRequest::default())
        .await
        .unwrap_err();
    assert_eq!(err.kind(), boto_runtime::ErrorKind::Response);
    assert!(err.to_string().contains("invalid XML"), "{err}");

    let server = CannedServer::start(200, b"<DescribeVolumesResponse><volumeSet><item><size>big</size></item></volumeSet></DescribeVolumesResponse>".to_vec());
    let client = ec2::Client::new(&server.session());
    let err = client
        .describe_volumes(DescribeVolumesRequest::default())
        .await
        .unwrap_err();
    assert!(
        err.to_string().contains("Size") && err.to_string().contains("big"),
        "{err}"
    );
}

#[tokio::test]
async fn large_describe_instances_parses_every_instance() {
    let body = boto_tests::large_describe_instances();
    let server = CannedServer::start(200, body);
    let client = ec2::Client::new(&server.session());
    let out = client
        .describe_instances(DescribeInstancesRequest::default())
        .await
        .unwrap();
    let n: usize = out
        .reservations
        .unwrap()
        .iter()
        .map(|r| r.instances.as_ref().map_or(0, |i| i.len()))
        .sum();
    assert_eq!(n, 502);
}

#[test]
fn no_region_is_a_clear_error_at_call_time() {
    let session = boto_tests::isolated_session().build().unwrap();
    let client = ec2::Client::new(&session);
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let err = rt
        .block_on(client.describe_regions(DescribeRegionsRequest::default()))
        .unwrap_err();
    assert_eq!(err.kind(), boto_runtime::ErrorKind::Config);
    assert!(err.to_string().contains("no region"), "{err}");
}

fn session_with_attempts(server: &CannedServer, attempts: u32) -> boto_runtime::Session {
    boto_runtime::Session::builder()
        .region("us-east-1")
        .credentials(boto_runtime::Credentials::new("testing", "testing", None))
        .endpoint_url(&server.url)
        .max_attempts(attempts)
        .environment(boto_runtime::Environment::from_vars([(
            "HOME",
            "/nonexistent",
        )]))
        .build()
        .unwrap()
}

#[tokio::test]
async fn retries_resend_the_same_idempotency_token() {
    let server = CannedServer::start(
        503,
        b"<Response><Errors><Error><Code>Unavailable</Code><Message>try later</Message></Error></Errors><RequestID>r</RequestID></Response>".to_vec(),
    );
    let client = ec2::Client::new(&session_with_attempts(&server, 3));
    let err = client
        .run_instances(RunInstancesRequest {
            image_id: Some("ami-1".into()),
            min_count: Some(1),
            max_count: Some(1),
            ..Default::default()
        })
        .await
        .unwrap_err();
    assert_eq!(err.status(), Some(503));
    assert_eq!(err.code(), Some("Unavailable"));
    let bodies = server.bodies();
    assert_eq!(bodies.len(), 3, "three attempts in all");
    let body = String::from_utf8(bodies[0].clone()).unwrap();
    let token = body
        .split('&')
        .find_map(|p| p.strip_prefix("ClientToken="))
        .expect("an idempotency token was filled in");
    assert_eq!(token.len(), 36, "a UUID: {token}");
    assert!(
        bodies.iter().all(|b| b == &bodies[0]),
        "every retry sends the same body and token"
    );

    // A token the caller sets is kept; a fresh call gets a fresh token.
    let server = CannedServer::start(
        400,
        b"<Response><Errors><Error><Code>Bad</Code></Error></Errors></Response>".to_vec(),
    );
    let client = ec2::Client::new(&session_with_attempts(&server, 3));
    let mine = RunInstancesRequest {
        image_id: Some("ami-1".into()),
        min_count: Some(1),
        max_count: Some(1),
        client_token: Some("my-token".into()),
        ..Default::default()
    };
    client.run_instances(mine).await.unwrap_err();
    assert_eq!(server.requests(), 1, "a client error is not retried");
    let body = String::from_utf8(server.bodies()[0].clone()).unwrap();
    assert!(body.contains("ClientToken=my-token"), "{body}");
}
