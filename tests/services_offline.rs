//! Behaviour a local server cannot show through moto: S3 addressing on AWS endpoints, errors
//! inside `200 OK`, request checksums, bodiless HEAD errors, IAM's encoded policy documents and
//! Glacier's headers, checked on the wire with a canned server.

use boto_runtime::{ByteStream, Credentials, Session};
use boto_tests::{isolated_session, CannedServer};
use std::time::Duration;

fn aws_session(region: &str, path_style: bool) -> Session {
    isolated_session()
        .region(region)
        .credentials(Credentials::new("AKIDEXAMPLE", "SECRET", None))
        .force_path_style(path_style)
        .build()
        .unwrap()
}

fn get(bucket: &str, key: &str) -> s3::types::GetObjectRequest {
    s3::types::GetObjectRequest {
        bucket: Some(bucket.into()),
        key: Some(key.into()),
        ..Default::default()
    }
}

#[tokio::test]
async fn s3_addressing_virtual_hosted_unless_path_style_is_needed() {
    let hour = Duration::from_secs(3600);
    let c = s3::Client::new(&aws_session("eu-west-1", false));
    let url = c
        .presign(get("my-bucket", "a b/c.txt"), hour)
        .await
        .unwrap()
        .url;
    assert!(
        url.starts_with("https://my-bucket.s3.eu-west-1.amazonaws.com/a%20b/c.txt?"),
        "{url}"
    );
    for q in [
        "X-Amz-Algorithm=AWS4-HMAC-SHA256",
        "X-Amz-Credential=AKIDEXAMPLE%2F",
        "X-Amz-Expires=3600",
        "X-Amz-SignedHeaders=host",
        "X-Amz-Signature=",
    ] {
        assert!(url.contains(q), "{q} missing from {url}");
    }
    // Names that are not DNS labels stay in the path.
    let url = c
        .presign(get("My.Dotted.Bucket", "k"), hour)
        .await
        .unwrap()
        .url;
    assert!(
        url.contains("%2Feu-west-1%2Fs3%2Faws4_request"),
        "signed for the bucket's region: {url}"
    );
    assert!(
        url.starts_with("https://s3.eu-west-1.amazonaws.com/My.Dotted.Bucket/k?"),
        "{url}"
    );
    let east = s3::Client::new(&aws_session("us-east-1", false));
    let url = east.presign(get("my-bucket", "k"), hour).await.unwrap().url;
    assert!(
        url.starts_with("https://my-bucket.s3.amazonaws.com/k?"),
        "{url}"
    );
    // The session can ask for path style everywhere.
    let c = s3::Client::new(&aws_session("eu-west-1", true));
    let url = c.presign(get("my-bucket", "k"), hour).await.unwrap().url;
    assert!(
        url.starts_with("https://s3.eu-west-1.amazonaws.com/my-bucket/k?"),
        "{url}"
    );
    // Custom endpoints (IP addresses, localhost, test servers) use path style.
    let server = CannedServer::start(200, Vec::new());
    let c = s3::Client::new(&server.session());
    let url = c.presign(get("my-bucket", "k"), hour).await.unwrap().url;
    assert!(
        url.starts_with(&format!("{}/my-bucket/k?", server.url)),
        "{url}"
    );
}

#[tokio::test]
async fn s3_error_inside_200_is_an_error_and_is_retried() {
    let body = b"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>InternalError</Code><Message>We encountered an internal error. Please try again.</Message><RequestId>R1</RequestId></Error>".to_vec();
    let server = CannedServer::start(200, body);
    let session = isolated_session()
        .region("us-east-1")
        .endpoint_url(&server.url)
        .max_attempts(2)
        .build()
        .unwrap();
    let err = s3::Client::new(&session)
        .copy_object(s3::types::CopyObjectRequest {
            bucket: Some("b".into()),
            key: Some("dst".into()),
            copy_source: Some("b/src".into()),
            ..Default::default()
        })
        .await
        .unwrap_err();
    assert_eq!(err.code(), Some("InternalError"), "{err}");
    assert_eq!(err.request_id(), Some("R1"));
    assert_eq!(server.requests(), 2, "retried once, as a 500 would be");
    let req = &server.heads()[0];
    assert!(req.starts_with("PUT /b/dst "), "{req}");
    assert_eq!(
        server.header(0, "x-amz-copy-source").as_deref(),
        Some("b/src")
    );
}

#[tokio::test]
async fn s3_required_checksums_and_payload_hash() {
    let server = CannedServer::start(200, b"<DeleteResult/>".to_vec());
    let c = s3::Client::new(&server.session());
    c.delete_objects(s3::types::DeleteObjectsRequest {
        bucket: Some("b".into()),
        delete: Some(s3::types::Delete {
            objects: Some(vec![s3::types::ObjectIdentifier {
                key: Some("k".into()),
                ..Default::default()
            }]),
            ..Default::default()
        }),
        ..Default::default()
    })
    .await
    .unwrap();
    let body = &server.bodies()[0];
    let crc = boto_runtime::wire::checksum::crc32(body);
    use base64::Engine;
    let want = base64::engine::general_purpose::STANDARD.encode(crc.to_be_bytes());
    assert_eq!(server.header(0, "x-amz-checksum-crc32"), Some(want));
    let text = String::from_utf8_lossy(body);
    assert!(
        text.starts_with("<Delete xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">"),
        "{text}"
    );
    assert!(text.contains("<Object><Key>k</Key></Object>"), "{text}");
    // S3 signs the payload hash into a header.
    assert!(server
        .header(0, "x-amz-content-sha256")
        .is_some_and(|h| h.len() == 64));

    // A streamed body is sent with its length and an unsigned payload.
    let data = futures::stream::iter(vec![Ok::<_, std::io::Error>(bytes::Bytes::from_static(
        b"12345",
    ))]);
    c.put_object(s3::types::PutObjectRequest {
        bucket: Some("b".into()),
        key: Some("streamed".into()),
        body: Some(ByteStream::from_stream(data, 5)),
        ..Default::default()
    })
    .await
    .unwrap();
    assert_eq!(server.bodies()[1], b"12345");
    assert_eq!(server.header(1, "content-length").as_deref(), Some("5"));
    assert_eq!(
        server.header(1, "x-amz-content-sha256").as_deref(),
        Some("UNSIGNED-PAYLOAD")
    );
}

#[tokio::test]
async fn s3_head_errors_have_no_body() {
    let server = CannedServer::start(404, Vec::new());
    let err = s3::Client::new(&server.session())
        .head_bucket(s3::types::HeadBucketRequest {
            bucket: Some("gone".into()),
            ..Default::default()
        })
        .await
        .unwrap_err();
    assert_eq!(err.code(), Some("404"));
    assert_eq!(err.message(), Some("Not Found"));
    assert_eq!(err.status(), Some(404));
    // As boto3: the code is the status, so no modeled error (`NoSuchBucket`) is claimed.
    assert!(s3::Error::from_error(&err).is_none(), "{err:?}");
}

#[tokio::test]
async fn iam_policy_documents_are_url_decoded() {
    let doc = "%7B%22Version%22%3A%222012-10-17%22%2C%22Statement%22%3A%5B%5D%7D";
    let body = format!(
        "<GetPolicyVersionResponse><GetPolicyVersionResult><PolicyVersion><Document>{doc}</Document><VersionId>v1</VersionId><IsDefaultVersion>true</IsDefaultVersion></PolicyVersion></GetPolicyVersionResult><ResponseMetadata><RequestId>r</RequestId></ResponseMetadata></GetPolicyVersionResponse>"
    );
    let server = CannedServer::start(200, body.into_bytes());
    let v = iam::Client::new(&server.session())
        .get_policy_version(iam::types::GetPolicyVersionRequest {
            policy_arn: Some("arn:aws:iam::123456789012:policy/p".into()),
            version_id: Some("v1".into()),
        })
        .await
        .unwrap()
        .policy_version
        .unwrap();
    assert_eq!(
        v.document.as_deref(),
        Some(r#"{"Version":"2012-10-17","Statement":[]}"#)
    );
    assert_eq!(v.is_default_version, Some(true));
}

#[tokio::test]
async fn glacier_account_version_and_tree_hash() {
    let server = CannedServer::start(201, Vec::new());
    let c = glacier::Client::new(&server.session());
    let data = vec![7u8; 1024 * 1024 + 10];
    c.upload_archive(glacier::types::UploadArchiveInput {
        vault_name: Some("v".into()),
        body: Some(ByteStream::from(data.clone())),
        ..Default::default()
    })
    .await
    .unwrap();
    assert!(
        server.heads()[0].starts_with("POST /-/vaults/v/archives "),
        "{}",
        server.heads()[0]
    );
    assert_eq!(
        server.header(0, "x-amz-glacier-version").as_deref(),
        Some("2012-06-01")
    );
    let hex = |b: [u8; 32]| b.iter().map(|x| format!("{x:02x}")).collect::<String>();
    assert_eq!(
        server.header(0, "x-amz-sha256-tree-hash"),
        Some(hex(boto_runtime::wire::checksum::tree_hash(&data)))
    );
    assert_eq!(server.bodies()[0], data);
}

#[tokio::test]
async fn presigned_query_protocol_urls_carry_the_action() {
    let c = sts::Client::new(&aws_session("us-east-1", false));
    let p = c
        .presign(
            sts::types::GetCallerIdentityRequest::default(),
            Duration::from_secs(60),
        )
        .await
        .unwrap();
    assert_eq!(p.method, "GET");
    assert!(
        p.url.starts_with("https://sts.us-east-1.amazonaws.com/?Action=GetCallerIdentity&Version=2011-06-15&X-Amz-Algorithm="),
        "{}",
        p.url
    );
}

/// `get_object` returns as soon as the headers arrive: the body is read as the caller reads it.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn s3_get_object_returns_before_the_body_is_complete() {
    use std::io::{Read, Write};
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let (release_tx, release_rx) = std::sync::mpsc::channel::<()>();
    std::thread::spawn(move || {
        let (mut s, _) = listener.accept().unwrap();
        let mut head = Vec::new();
        let mut buf = [0u8; 4096];
        while !head.windows(4).any(|w| w == b"\r\n\r\n") {
            let n = s.read(&mut buf).unwrap();
            head.extend_from_slice(&buf[..n]);
        }
        s.write_all(b"HTTP/1.1 200 OK\r\ncontent-length: 10\r\nx-amz-meta-k: v\r\n\r\nfirst")
            .unwrap();
        s.flush().unwrap();
        // The rest only once the test has its response in hand.
        release_rx.recv().unwrap();
        s.write_all(b"-last").unwrap();
    });
    let session = isolated_session()
        .region("us-east-1")
        .endpoint_url(&url)
        .build()
        .unwrap();
    let got = tokio::time::timeout(
        Duration::from_secs(10),
        s3::Client::new(&session).get_object(get("b", "k")),
    )
    .await
    .expect("get_object waited for the whole body")
    .unwrap();
    assert_eq!(got.metadata.as_ref().unwrap()["k"], "v");
    assert_eq!(got.body.len(), Some(10));
    release_tx.send(()).unwrap();
    assert_eq!(&got.body.collect().await.unwrap()[..], b"first-last");
}

#[tokio::test]
async fn bad_header_values_and_empty_labels_are_refused_before_sending() {
    let server = CannedServer::start(200, Vec::new());
    let c = s3::Client::new(&server.session());
    let mut req = s3::types::PutObjectRequest {
        bucket: Some("b".into()),
        key: Some("k".into()),
        metadata: Some(std::collections::HashMap::from([(
            "caf\u{e9}".to_string(),
            "v".to_string(),
        )])),
        ..Default::default()
    };
    let err = c.put_object(req.clone()).await.unwrap_err();
    assert_eq!(err.kind(), boto_runtime::ErrorKind::Validation, "{err}");
    assert!(err.to_string().contains("Metadata[\"caf\u{e9}\"]"), "{err}");
    req.metadata = Some(std::collections::HashMap::from([(
        "k".to_string(),
        "line\r\nX-Injected: 1".to_string(),
    )]));
    let err = c.put_object(req).await.unwrap_err();
    assert!(err.to_string().contains("printable ASCII"), "{err}");
    let err = c
        .list_objects_v2(s3::types::ListObjectsV2Request {
            bucket: Some(String::new()),
            ..Default::default()
        })
        .await
        .unwrap_err();
    assert!(
        err.to_string().contains("\"Bucket\": it must not be empty"),
        "{err}"
    );
    assert_eq!(server.requests(), 0);
}

#[tokio::test]
async fn s3_put_object_sends_a_crc32_by_default() {
    let server = CannedServer::start(200, Vec::new());
    s3::Client::new(&server.session())
        .put_object(s3::types::PutObjectRequest {
            bucket: Some("b".into()),
            key: Some("k".into()),
            body: Some(ByteStream::from("123456789")),
            ..Default::default()
        })
        .await
        .unwrap();
    // CRC32 of "123456789" is 0xCBF43926.
    assert_eq!(
        server.header(0, "x-amz-checksum-crc32").as_deref(),
        Some("y/Q5Jg==")
    );
    assert_eq!(
        server.header(0, "x-amz-sdk-checksum-algorithm").as_deref(),
        Some("CRC32")
    );
}

#[tokio::test]
async fn s3_listing_keys_are_decoded_only_when_the_response_says_so() {
    let body = |encoded: bool| {
        format!(
            "<ListBucketResult><Name>b</Name>{}<KeyCount>1</KeyCount><Contents><Key>a+b%2Bc</Key></Contents></ListBucketResult>",
            if encoded { "<EncodingType>url</EncodingType>" } else { "" }
        )
        .into_bytes()
    };
    for (encoded, want) in [(true, "a b+c"), (false, "a+b%2Bc")] {
        let server = CannedServer::start(200, body(encoded));
        let out = s3::Client::new(&server.session())
            .list_objects_v2(s3::types::ListObjectsV2Request {
                bucket: Some("b".into()),
                ..Default::default()
            })
            .await
            .unwrap();
        let key = out.contents.unwrap()[0].key.clone().unwrap();
        assert_eq!(key, want);
        assert!(
            server.heads()[0].contains("encoding-type=url"),
            "{}",
            server.heads()[0]
        );
    }
}

#[tokio::test]
async fn glacier_archives_streamed_from_a_file_are_hashed() {
    let server = CannedServer::start(201, Vec::new());
    let dir = std::env::temp_dir().join(format!("glacier-offline-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("archive.bin");
    let data: Vec<u8> = (0..(2 * 1024 * 1024 + 5)).map(|i| (i % 13) as u8).collect();
    std::fs::write(&path, &data).unwrap();
    glacier::Client::new(&server.session())
        .upload_archive(glacier::types::UploadArchiveInput {
            vault_name: Some("v".into()),
            body: Some(ByteStream::from_path(&path).await.unwrap()),
            ..Default::default()
        })
        .await
        .unwrap();
    std::fs::remove_dir_all(&dir).ok();
    let hex = |b: [u8; 32]| b.iter().map(|x| format!("{x:02x}")).collect::<String>();
    assert_eq!(
        server.header(0, "x-amz-sha256-tree-hash"),
        Some(hex(boto_runtime::wire::checksum::tree_hash(&data)))
    );
    let auth = server.header(0, "authorization").unwrap();
    assert!(auth.contains("x-amz-content-sha256"), "{auth}");
    assert_ne!(
        server.header(0, "x-amz-content-sha256").as_deref(),
        Some("UNSIGNED-PAYLOAD")
    );
    assert_eq!(server.bodies()[0], data);
}

/// A server that answers each connection's first request with the next of `heads` (status line
/// and headers, no body), then closes it.
fn raw_server(heads: Vec<&'static str>) -> String {
    use std::io::{Read, Write};
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    std::thread::spawn(move || {
        for head in heads {
            let (mut s, _) = listener.accept().unwrap();
            let mut got = Vec::new();
            let mut buf = [0u8; 4096];
            while !got.windows(4).any(|w| w == b"\r\n\r\n") {
                let n = s.read(&mut buf).unwrap();
                got.extend_from_slice(&buf[..n]);
            }
            s.write_all(head.as_bytes()).unwrap();
            s.write_all(b"content-length: 0\r\nconnection: close\r\n\r\n")
                .unwrap();
        }
    });
    url
}

/// s3's `Expires` is a timestamp (`service-2.sdk-extras.json` merged into the model, as botocore's
/// loader does); the header's text is kept in `expires_string`, so a value that is not a date
/// leaves `expires` unset instead of failing the call (botocore's `handle_expires_header`).
#[tokio::test]
async fn s3_expires_is_a_timestamp_and_its_text_is_kept() {
    let url = raw_server(vec![
        "HTTP/1.1 200 OK\r\nexpires: Thu, 01 Jan 2099 00:00:00 GMT\r\n",
        "HTTP/1.1 200 OK\r\nexpires: whenever\r\n",
    ]);
    let session = isolated_session()
        .region("us-east-1")
        .endpoint_url(&url)
        .force_path_style(true)
        .max_attempts(1)
        .build()
        .unwrap();
    let c = s3::Client::new(&session);
    let head = || s3::types::HeadObjectRequest {
        bucket: Some("b".into()),
        key: Some("k".into()),
        ..Default::default()
    };
    let dated = c.head_object(head()).await.unwrap();
    let expires: Option<boto_runtime::DateTime> = dated.expires;
    assert_eq!(
        expires,
        Some(boto_runtime::DateTime::from_ymd_hms(2099, 1, 1, 0, 0, 0).unwrap())
    );
    assert_eq!(
        dated.expires_string.as_deref(),
        Some("Thu, 01 Jan 2099 00:00:00 GMT")
    );
    let undated = c.head_object(head()).await.unwrap();
    assert_eq!(undated.expires, None);
    assert_eq!(undated.expires_string.as_deref(), Some("whenever"));
    // Inputs take a timestamp too.
    let _: Option<boto_runtime::DateTime> = s3::types::PutObjectRequest::default().expires;
}
