//! Retries, timeouts and bad answers against a scripted local server: how many attempts the
//! server sees for each kind of failure, that client errors and bad input are not retried (or not
//! sent at all), that timeouts fire promptly, and that malformed bodies are errors, not panics.

use boto_runtime::{Environment, ErrorKind, RetryMode};
use boto_tests::CannedServer;
use std::time::{Duration, Instant};

const OK: &str = "<ListUsersResponse xmlns=\"https://iam.amazonaws.com/doc/2010-05-08/\">\
    <ListUsersResult><Users/><IsTruncated>false</IsTruncated></ListUsersResult></ListUsersResponse>";

fn error(code: &str, status: u16) -> (u16, Vec<u8>) {
    let body = format!(
        "<ErrorResponse><Error><Type>Sender</Type><Code>{code}</Code><Message>scripted</Message>\
         </Error><RequestId>r-1</RequestId></ErrorResponse>"
    );
    (status, body.into_bytes())
}

fn ok() -> (u16, Vec<u8>) {
    (200, OK.as_bytes().to_vec())
}

fn iam(
    server: &CannedServer,
    tune: impl FnOnce(boto_runtime::SessionBuilder) -> boto_runtime::SessionBuilder,
) -> iam::Client {
    let b = boto_tests::isolated_session()
        .region("us-east-1")
        .endpoint_url(&server.url);
    iam::Client::new(&tune(b).build().unwrap())
}

async fn list(c: &iam::Client) -> Result<iam::types::ListUsersResponse, boto_runtime::Error> {
    c.list_users(Default::default()).await
}

#[tokio::test]
async fn server_errors_and_throttling_are_retried_until_success() {
    let server = CannedServer::sequence(vec![
        error("InternalFailure", 500),
        error("Throttling", 400),
        ok(),
    ]);
    let c = iam(&server, |b| b);
    list(&c).await.unwrap();
    assert_eq!(server.requests(), 3);

    let server = CannedServer::sequence(vec![error("ServiceUnavailable", 503), ok()]);
    list(&iam(&server, |b| b)).await.unwrap();
    assert_eq!(server.requests(), 2);
}

#[tokio::test]
async fn standard_mode_gives_up_after_three_attempts() {
    let server = CannedServer::start(502, b"<html>bad gateway</html>".to_vec());
    let err = list(&iam(&server, |b| b)).await.unwrap_err();
    assert_eq!(server.requests(), 3);
    assert_eq!(err.status(), Some(502));
    assert_eq!(err.attempts(), 3);
    assert_eq!(err.kind(), ErrorKind::Service);
}

#[tokio::test]
async fn client_errors_are_not_retried() {
    for code in [
        "ValidationError",
        "AccessDenied",
        "NoSuchEntity",
        "InternalError",
    ] {
        let server = CannedServer::sequence(vec![error(code, 400), ok()]);
        let err = list(&iam(&server, |b| b)).await.unwrap_err();
        assert_eq!(err.code(), Some(code));
        assert_eq!(server.requests(), 1, "{code} was retried");
        assert_eq!(err.attempts(), 1);
    }
}

#[tokio::test]
async fn dropped_connections_are_retried() {
    let server = CannedServer::sequence(vec![(CannedServer::RESET, Vec::new()), ok()]);
    list(&iam(&server, |b| b)).await.unwrap();
    assert_eq!(server.requests(), 2);

    let server = CannedServer::start(CannedServer::RESET, Vec::new());
    let err = list(&iam(&server, |b| b)).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Transport, "{err}");
    assert_eq!(server.requests(), 3);
}

#[tokio::test]
async fn a_stall_past_the_read_timeout_fails_promptly_on_every_attempt() {
    let server = CannedServer::start(CannedServer::STALL, b"5000".to_vec());
    let c = iam(&server, |b| b.read_timeout(Duration::from_millis(300)));
    let t = Instant::now();
    let err = list(&c).await.unwrap_err();
    let took = t.elapsed();
    assert_eq!(err.kind(), ErrorKind::Timeout, "{err}");
    assert_eq!(server.requests(), 3);
    // Three reads of 0.3 s and two waits of at most 1 s and 2 s: nowhere near the 5 s stall.
    assert!(took < Duration::from_millis(4000), "{took:?}");
    assert!(took >= Duration::from_millis(900), "{took:?}");
}

#[tokio::test]
async fn the_operation_timeout_bounds_the_whole_call() {
    let server = CannedServer::start(CannedServer::STALL, b"10000".to_vec());
    let c = iam(&server, |b| b.operation_timeout(Duration::from_millis(400)));
    let t = Instant::now();
    let err = list(&c).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Timeout, "{err}");
    assert!(err.to_string().contains("operation_timeout"), "{err}");
    assert!(
        t.elapsed() < Duration::from_millis(1500),
        "{:?}",
        t.elapsed()
    );
    assert_eq!(server.requests(), 1);
}

#[tokio::test]
async fn mode_and_attempts_come_from_the_builder_the_environment_or_the_profile() {
    // Legacy: five attempts, InternalError retried.
    let server = CannedServer::start(500, b"<x/>".to_vec());
    let c = iam(&server, |b| {
        b.environment(Environment::from_vars([
            ("HOME", "/nonexistent"),
            ("AWS_RETRY_MODE", "legacy"),
        ]))
    });
    let err = list(&c).await.unwrap_err();
    assert_eq!(server.requests(), 5);
    assert_eq!(err.attempts(), 5);

    // AWS_MAX_ATTEMPTS, and the builder over both.
    let server = CannedServer::start(503, b"<x/>".to_vec());
    let c = iam(&server, |b| {
        b.environment(Environment::from_vars([
            ("HOME", "/nonexistent"),
            ("AWS_MAX_ATTEMPTS", "2"),
        ]))
    });
    list(&c).await.unwrap_err();
    assert_eq!(server.requests(), 2);
    let server = CannedServer::start(503, b"<x/>".to_vec());
    let c = iam(&server, |b| {
        b.environment(Environment::from_vars([
            ("HOME", "/nonexistent"),
            ("AWS_MAX_ATTEMPTS", "2"),
            ("AWS_RETRY_MODE", "legacy"),
        ]))
        .max_attempts(1)
        .retry_mode(RetryMode::Adaptive)
    });
    list(&c).await.unwrap_err();
    assert_eq!(server.requests(), 1);

    // The profile's retry_mode and max_attempts.
    let dir = std::env::temp_dir().join(format!("boto-retry-profile-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let config = dir.join("config");
    std::fs::write(
        &config,
        "[default]\nretry_mode = standard\nmax_attempts = 4\n",
    )
    .unwrap();
    let server = CannedServer::start(500, b"<x/>".to_vec());
    let c = iam(&server, |b| {
        b.environment(Environment::from_vars([
            ("HOME", "/nonexistent"),
            ("AWS_CONFIG_FILE", config.to_str().unwrap()),
        ]))
    });
    list(&c).await.unwrap_err();
    assert_eq!(server.requests(), 4);
    std::fs::remove_dir_all(&dir).unwrap();

    let bad = boto_tests::isolated_session()
        .environment(Environment::from_vars([("AWS_RETRY_MODE", "sometimes")]))
        .build()
        .unwrap_err();
    assert!(bad.to_string().contains("retry_mode"), "{bad}");
}

#[tokio::test]
async fn adaptive_mode_retries_like_standard() {
    let server = CannedServer::sequence(vec![
        error("Throttling", 400),
        error("Throttling", 400),
        ok(),
    ]);
    let c = iam(&server, |b| b.retry_mode(RetryMode::Adaptive));
    list(&c).await.unwrap();
    assert_eq!(server.requests(), 3);
}

#[tokio::test]
async fn bad_input_reaches_the_server_zero_times() {
    let server = CannedServer::start(200, OK.as_bytes().to_vec());
    let c = iam(&server, |b| b);
    // GetUser's UserName is optional, DeleteUser's is required.
    let err = c.delete_user(Default::default()).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Validation, "{err}");
    assert!(err.to_string().contains("UserName"), "{err}");
    assert_eq!(server.requests(), 0);
    assert_eq!(err.attempts(), 0);
}

#[tokio::test]
async fn malformed_and_truncated_bodies_are_errors_not_panics() {
    let bodies: Vec<&[u8]> = vec![
        b"<ListUsersResponse><ListUsersResult><Users><member><UserName>a",
        b"",
        b"not xml at all",
        b"\xff\xfe\x00<<<",
        b"<ListUsersResponse><ListUsersResult><Users><member><CreateDate>yesterday</CreateDate></member></Users></ListUsersResult></ListUsersResponse>",
    ];
    for body in bodies {
        let server = CannedServer::start(200, body.to_vec());
        match list(&iam(&server, |b| b)).await {
            Err(e) => {
                assert_eq!(e.kind(), ErrorKind::Response, "{e}");
                assert_eq!(server.requests(), 1, "a parse failure is not retried");
            }
            // An empty body reads as an empty result, as in botocore.
            Ok(out) => assert!(body.is_empty() && out.users.unwrap_or_default().is_empty()),
        }
    }
    // An error status with a body that is not the service's error format.
    let server = CannedServer::start(403, b"\x00\x01 binary".to_vec());
    let err = list(&iam(&server, |b| b)).await.unwrap_err();
    assert_eq!(err.status(), Some(403));
    assert_eq!(server.requests(), 1);
}

#[tokio::test]
async fn values_below_the_models_minimum_are_refused_before_sending() {
    let server = CannedServer::start(200, OK.as_bytes().to_vec());
    let c = iam(&server, |b| b);
    // UserName: min length 1; MaxItems: min value 1.
    let err = c
        .create_user(iam::types::CreateUserRequest {
            user_name: Some(String::new()),
            ..Default::default()
        })
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Validation, "{err}");
    assert!(
        err.to_string()
            .contains("invalid length for parameter UserName, value: 0, valid min length: 1"),
        "{err}"
    );
    let err = c
        .list_users(iam::types::ListUsersRequest {
            max_items: Some(0),
            ..Default::default()
        })
        .await
        .unwrap_err();
    assert!(
        err.to_string()
            .contains("invalid range for parameter MaxItems, value: 0, valid min value: 1"),
        "{err}"
    );
    // Nested members are named by their path, and every problem is reported at once.
    let err = c
        .tag_user(iam::types::TagUserRequest {
            user_name: Some("u".into()),
            tags: Some(vec![iam::types::Tag {
                key: Some(String::new()),
                value: None,
            }]),
        })
        .await
        .unwrap_err();
    let text = err.to_string();
    assert!(text.contains("\"Tags[0].Value\""), "{text}");
    assert!(text.contains("parameter Tags[0].Key, value: 0"), "{text}");
    assert_eq!(server.requests(), 0);
    // At the minimum it goes.
    c.list_users(iam::types::ListUsersRequest {
        max_items: Some(1),
        ..Default::default()
    })
    .await
    .unwrap();
    assert_eq!(server.requests(), 1);
}

#[tokio::test]
async fn a_retry_resends_the_same_body_and_idempotency_token() {
    let ok = "<RunInstancesResponse xmlns=\"http://ec2.amazonaws.com/doc/2016-11-15/\"><reservationId>r-1</reservationId></RunInstancesResponse>";
    let server = CannedServer::sequence(vec![
        (503, b"<Response><Errors><Error><Code>Unavailable</Code><Message>busy</Message></Error></Errors></Response>".to_vec()),
        (200, ok.as_bytes().to_vec()),
    ]);
    let c = ec2::Client::new(
        &boto_tests::isolated_session()
            .region("us-east-1")
            .endpoint_url(&server.url)
            .build()
            .unwrap(),
    );
    c.run_instances(ec2::types::RunInstancesRequest {
        image_id: Some("ami-1".into()),
        min_count: Some(1),
        max_count: Some(1),
        ..Default::default()
    })
    .await
    .unwrap();
    let bodies = server.bodies();
    assert_eq!(bodies.len(), 2);
    assert_eq!(bodies[0], bodies[1]);
    let text = String::from_utf8_lossy(&bodies[0]);
    assert!(text.contains("ClientToken="), "{text}");
}

#[tokio::test]
async fn redirects_are_not_followed_to_another_host() {
    use std::io::{Read, Write};
    // The host a redirect points to, counting what reaches it.
    let other = CannedServer::start(200, OK.as_bytes().to_vec());
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let target = other.url.clone();
    std::thread::spawn(move || {
        for s in listener.incoming() {
            let Ok(mut s) = s else { continue };
            let mut buf = [0u8; 65536];
            let _ = s.read(&mut buf);
            let reply = format!(
                "HTTP/1.1 307 Temporary Redirect\r\nlocation: {target}/\r\ncontent-length: 0\r\n\r\n"
            );
            let _ = s.write_all(reply.as_bytes());
        }
    });
    let c = iam::Client::new(
        &boto_tests::isolated_session()
            .region("us-east-1")
            .endpoint_url(&url)
            .build()
            .unwrap(),
    );
    let err = list(&c).await.unwrap_err();
    assert_eq!(err.status(), Some(307), "{err}");
    assert_eq!(
        other.requests(),
        0,
        "the signed request went to another host"
    );
}

#[tokio::test]
async fn a_one_shot_stream_is_not_retried() {
    let server = CannedServer::start(
        500,
        b"<Error><Code>InternalError</Code><Message>x</Message></Error>".to_vec(),
    );
    let c = s3::Client::new(
        &boto_tests::isolated_session()
            .region("us-east-1")
            .endpoint_url(&server.url)
            .force_path_style(true)
            .build()
            .unwrap(),
    );
    let chunks = futures::stream::iter(vec![Ok::<_, std::io::Error>(bytes::Bytes::from_static(
        b"abc",
    ))]);
    let err = c
        .put_object(s3::types::PutObjectRequest {
            bucket: Some("b".into()),
            key: Some("k".into()),
            body: Some(boto_runtime::ByteStream::from_stream(chunks, 3)),
            ..Default::default()
        })
        .await
        .unwrap_err();
    assert_eq!(err.status(), Some(500));
    assert_eq!(
        server.requests(),
        1,
        "a body that cannot be read again is sent once"
    );
}

#[tokio::test]
async fn huge_and_malformed_bodies_give_short_clear_errors() {
    // 20 MB that is not XML: the error says so with a short snippet, not the body.
    let huge = vec![b'x'; 20 * 1024 * 1024];
    let server = CannedServer::start(200, huge);
    let err = list(&iam(&server, |b| b)).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Response);
    assert!(
        err.to_string().len() < 1000,
        "{} bytes of error",
        err.to_string().len()
    );
    assert!(err.to_string().contains("xxxx"), "{err}");
    // JSON protocols too.
    for body in [
        &b"{\"Items\": [{\"pk\": {\"S\": \"a\"}"[..],
        b"<html>oops</html>",
        b"\xff\xfe{}",
    ] {
        let server = CannedServer::start(200, body.to_vec());
        let c = dynamodb::Client::new(
            &boto_tests::isolated_session()
                .region("us-east-1")
                .endpoint_url(&server.url)
                .build()
                .unwrap(),
        );
        let err = c
            .scan(dynamodb::types::ScanInput {
                table_name: Some("t".into()),
                ..Default::default()
            })
            .await
            .unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Response, "{err}");
        assert_eq!(server.requests(), 1);
    }
}

#[tokio::test]
async fn errors_the_model_marks_retryable_are_retried() {
    let conflict = br#"{"__type":"com.amazonaws.dynamodb.v20120810#ReplicatedWriteConflictException","message":"conflict"}"#;
    let server = CannedServer::sequence(vec![(400, conflict.to_vec()), (200, b"{}".to_vec())]);
    let c = dynamodb::Client::new(
        &boto_tests::isolated_session()
            .region("us-east-1")
            .endpoint_url(&server.url)
            .build()
            .unwrap(),
    );
    c.delete_item(dynamodb::types::DeleteItemInput {
        table_name: Some("t".into()),
        key: Some(Default::default()),
        ..Default::default()
    })
    .await
    .unwrap();
    assert_eq!(server.requests(), 2);
    // A modeled error without the trait is not.
    let missing = br#"{"__type":"com.amazonaws.dynamodb.v20120810#ResourceNotFoundException","message":"no"}"#;
    let server = CannedServer::sequence(vec![(400, missing.to_vec()), (200, b"{}".to_vec())]);
    let c = dynamodb::Client::new(
        &boto_tests::isolated_session()
            .region("us-east-1")
            .endpoint_url(&server.url)
            .build()
            .unwrap(),
    );
    let err = c
        .delete_item(dynamodb::types::DeleteItemInput {
            table_name: Some("t".into()),
            key: Some(Default::default()),
            ..Default::default()
        })
        .await
        .unwrap_err();
    assert_eq!(err.code(), Some("ResourceNotFoundException"));
    assert_eq!(server.requests(), 1);
}

#[tokio::test]
async fn attempts_carry_the_invocation_id_and_attempt_headers() {
    let server = CannedServer::sequence(vec![error("InternalFailure", 500), ok()]);
    let c = iam(&server, |b| b.read_timeout(Duration::from_secs(60)));
    let before = boto_runtime::DateTime::now();
    list(&c).await.unwrap();
    list(&c).await.unwrap();
    assert_eq!(server.requests(), 3);
    let id = |i| server.header(i, "amz-sdk-invocation-id").unwrap();
    // A version-4 UUID, the same on every attempt of one call and new for the next call.
    assert_eq!(id(0).len(), 36);
    assert_eq!(&id(0)[14..15], "4");
    assert_eq!(id(0), id(1));
    assert_ne!(id(1), id(2));
    let request = |i| server.header(i, "amz-sdk-request").unwrap();
    assert_eq!(request(0), "attempt=1");
    assert_eq!(request(2), "attempt=1");
    // The retry names when its read times out, on the server's clock (its `Date` plus the
    // read timeout), and how many attempts there may be.
    let retry = request(1);
    let (ttl, rest) = retry
        .strip_prefix("ttl=")
        .and_then(|r| r.split_once("; "))
        .unwrap_or_else(|| panic!("no ttl in {retry:?}"));
    assert_eq!(rest, "attempt=2; max=3");
    let expected = boto_runtime::DateTime::from_secs(before.secs() + 60).to_iso8601();
    let expected: String = expected
        .chars()
        .filter(|c| *c != '-' && *c != ':')
        .collect();
    assert_eq!(ttl.len(), 16, "{ttl}");
    assert!(
        ttl >= &expected[..] && ttl <= &bump(&expected)[..],
        "ttl {ttl}, expected about {expected}"
    );
}

/// `20240101T120000Z` a few seconds later (the test's own run time).
fn bump(basic: &str) -> String {
    let iso = format!(
        "{}-{}-{}T{}:{}:{}Z",
        &basic[0..4],
        &basic[4..6],
        &basic[6..8],
        &basic[9..11],
        &basic[11..13],
        &basic[13..15]
    );
    let t = boto_runtime::DateTime::parse_iso8601(&iso).unwrap();
    boto_runtime::DateTime::from_secs(t.secs() + 5)
        .to_iso8601()
        .chars()
        .filter(|c| *c != '-' && *c != ':')
        .collect()
}

#[tokio::test]
async fn inside_lambda_the_trace_id_is_passed_on() {
    let server = CannedServer::start(200, OK.as_bytes().to_vec());
    let with_env = |vars: &[(&str, &str)]| {
        let mut vars: Vec<(String, String)> = vars
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        vars.push(("HOME".into(), "/nonexistent".into()));
        iam(&server, |b| {
            b.environment(boto_runtime::Environment::from_vars(vars))
        })
    };
    let trace = "Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1 é";
    list(&with_env(&[])).await.unwrap();
    assert_eq!(server.header(0, "x-amzn-trace-id"), None);
    list(&with_env(&[
        ("AWS_LAMBDA_FUNCTION_NAME", "handler"),
        ("_X_AMZN_TRACE_ID", trace),
    ]))
    .await
    .unwrap();
    list(&with_env(&[("_X_AMZN_TRACE_ID", trace)]))
        .await
        .unwrap();
    assert_eq!(
        server.header(1, "x-amzn-trace-id").as_deref(),
        Some("Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1%20%C3%A9")
    );
    // Outside Lambda (no function name), nothing is added.
    assert_eq!(server.header(2, "x-amzn-trace-id"), None);
}
