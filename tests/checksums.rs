//! Checksums beyond the request's own: S3 `GetObject` asks for the object's checksum, as
//! botocore's `_handle_request_validation_mode_member` does, and the body is checked against it
//! as it is read; `request_checksum_calculation` and `response_checksum_validation` choose when.

use base64::Engine;
use boto_tests::oracle::botocore_request;
use boto_tests::CannedServer;

const OBJECT: &[u8] = b"the quick brown fox jumps over the lazy dog";

fn b64(b: &[u8]) -> String {
    base64::engine::general_purpose::STANDARD.encode(b)
}

/// A server answering every GetObject with [`OBJECT`] and the given checksum header.
fn object_server(checksum: (&str, &str)) -> CannedServer {
    CannedServer::with_headers(
        200,
        &[("content-type", "application/octet-stream"), checksum],
        OBJECT.to_vec(),
    )
}

fn get(key: &str) -> s3::types::GetObjectRequest {
    s3::types::GetObjectRequest {
        bucket: Some("bucket".into()),
        key: Some(key.into()),
        ..Default::default()
    }
}

#[tokio::test]
async fn get_object_asks_for_the_checksum_as_botocore_does() {
    let crc = crc32fast::hash(OBJECT).to_be_bytes();
    let server = object_server(("x-amz-checksum-crc32", &b64(&crc)));
    let client = s3::Client::new(&server.session());
    let out = client.get_object(get("k")).await.unwrap();
    assert_eq!(&out.body.collect().await.unwrap()[..], OBJECT);
    assert_eq!(
        server.header(0, "x-amz-checksum-mode").as_deref(),
        Some("ENABLED")
    );
    let py = botocore_request("s3", &server.url, "get_object(Bucket='bucket', Key='k')");
    assert_eq!(py["headers"]["x-amz-checksum-mode"], "ENABLED");

    // With when_required, only an input that asks gets it, as in botocore; a body not asked
    // for is not checked, even against a checksum the response gives.
    let quiet = server.session_with_env(&[("AWS_RESPONSE_CHECKSUM_VALIDATION", "when_required")]);
    let client = s3::Client::new(&quiet);
    client.get_object(get("k")).await.unwrap();
    assert_eq!(server.header(1, "x-amz-checksum-mode"), None);
    let asked = s3::types::GetObjectRequest {
        checksum_mode: Some(s3::types::ChecksumMode::Enabled),
        ..get("k")
    };
    client.get_object(asked).await.unwrap();
    assert_eq!(
        server.header(2, "x-amz-checksum-mode").as_deref(),
        Some("ENABLED")
    );

    // Against a wrong checksum: read as it is when not asked for, refused when asked.
    let wrong = crc32fast::hash(b"another body").to_be_bytes();
    let server = object_server(("x-amz-checksum-crc32", &b64(&wrong)));
    let quiet = server.session_with_env(&[("AWS_RESPONSE_CHECKSUM_VALIDATION", "when_required")]);
    let client = s3::Client::new(&quiet);
    let out = client.get_object(get("k")).await.unwrap();
    assert_eq!(&out.body.collect().await.unwrap()[..], OBJECT);
    let asked = s3::types::GetObjectRequest {
        checksum_mode: Some(s3::types::ChecksumMode::Enabled),
        ..get("k")
    };
    let out = client.get_object(asked).await.unwrap();
    assert!(out.body.collect().await.is_err());

    // A checksum header that is not base64 is an error, not a check skipped.
    let server = object_server(("x-amz-checksum-crc32", "not base64!"));
    let err = s3::Client::new(&server.session())
        .get_object(get("k"))
        .await
        .unwrap_err();
    assert!(err.to_string().contains("not base64"), "{err}");

    // A value that is neither is refused when the session is built.
    let err = boto_tests::isolated_session()
        .response_checksum_validation("sometimes")
        .build()
        .unwrap_err();
    assert!(
        err.to_string().contains("when_supported or when_required"),
        "{err}"
    );
}

#[tokio::test]
async fn a_body_that_does_not_match_its_checksum_fails_when_read() {
    for algorithm in ["crc32", "crc32c", "crc64nvme", "sha1", "sha256"] {
        let good = boto_runtime::wire::checksum::digest(algorithm, OBJECT).unwrap();
        let header = format!("x-amz-checksum-{algorithm}");

        // The right checksum: the body reads as it is.
        let server = object_server((&header, &b64(&good)));
        let client = s3::Client::new(&server.session());
        let out = client.get_object(get("k")).await.unwrap();
        assert_eq!(
            &out.body.collect().await.unwrap()[..],
            OBJECT,
            "{algorithm}"
        );

        // Another object's checksum: the body's last read fails and says why.
        let other = boto_runtime::wire::checksum::digest(algorithm, b"another body").unwrap();
        let server = object_server((&header, &b64(&other)));
        let client = s3::Client::new(&server.session());
        let out = client.get_object(get("k")).await.unwrap();
        let err = out.body.collect().await.unwrap_err();
        let msg = err.to_string();
        assert!(msg.contains("GetObject"), "{msg}");
        assert!(msg.contains(&algorithm.to_ascii_uppercase()), "{msg}");
        assert!(msg.contains(&b64(&other)), "{msg}");
    }

    // Written to a file, a damaged body is an error too.
    let other = crc32fast::hash(b"another body").to_be_bytes();
    let server = object_server(("x-amz-checksum-crc32", &b64(&other)));
    let client = s3::Client::new(&server.session());
    let out = client.get_object(get("k")).await.unwrap();
    let path = std::env::temp_dir().join(format!("boto-rs-checksum-{}", std::process::id()));
    assert!(out.body.write_to_file(&path).await.is_err());
    let _ = std::fs::remove_file(&path);
}

#[tokio::test]
async fn checksums_of_parts_and_unknown_algorithms_are_not_checked() {
    // A checksum of part checksums (`...-3`) says nothing about the body; xxhash is not computed.
    for header in [
        ("x-amz-checksum-crc32", "AAAAAA==-3"),
        ("x-amz-checksum-xxhash3", "AAAAAAAAAAA="),
    ] {
        let server = object_server(header);
        let client = s3::Client::new(&server.session());
        let out = client.get_object(get("k")).await.unwrap();
        assert_eq!(&out.body.collect().await.unwrap()[..], OBJECT, "{header:?}");
    }
}

#[tokio::test]
async fn request_checksums_follow_request_checksum_calculation() {
    // PutObject can carry a checksum: sent by default (CRC32), not with when_required unless the
    // input names an algorithm; botocore agrees on both.
    let server = CannedServer::with_headers(200, &[], Vec::new());
    let put = || s3::types::PutObjectRequest {
        bucket: Some("bucket".into()),
        key: Some("k".into()),
        body: Some(OBJECT.to_vec().into()),
        ..Default::default()
    };
    s3::Client::new(&server.session())
        .put_object(put())
        .await
        .unwrap();
    let crc = b64(&crc32fast::hash(OBJECT).to_be_bytes());
    assert_eq!(server.header(0, "x-amz-checksum-crc32"), Some(crc.clone()));
    let py = botocore_request(
        "s3",
        &server.url,
        "put_object(Bucket='bucket', Key='k', Body=b'x')",
    );
    assert!(py["headers"].get("x-amz-checksum-crc32").is_some());

    let quiet = server.session_with_env(&[("AWS_REQUEST_CHECKSUM_CALCULATION", "WHEN_REQUIRED")]);
    let client = s3::Client::new(&quiet);
    client.put_object(put()).await.unwrap();
    assert_eq!(server.header(1, "x-amz-checksum-crc32"), None);
    let named = s3::types::PutObjectRequest {
        checksum_algorithm: Some(s3::types::ChecksumAlgorithm::Crc64nvme),
        ..put()
    };
    client.put_object(named).await.unwrap();
    let crc64 = b64(&boto_runtime::wire::checksum::digest("crc64nvme", OBJECT).unwrap());
    assert_eq!(server.header(2, "x-amz-checksum-crc64nvme"), Some(crc64));
    // DeleteObjects requires a checksum: sent whatever the setting.
    let delete = s3::types::DeleteObjectsRequest {
        bucket: Some("bucket".into()),
        delete: Some(s3::types::Delete {
            objects: Some(vec![s3::types::ObjectIdentifier {
                key: Some("k".into()),
                ..Default::default()
            }]),
            ..Default::default()
        }),
        ..Default::default()
    };
    let _ = client.delete_objects(delete).await;
    assert!(server.header(3, "x-amz-checksum-crc32").is_some());
}
