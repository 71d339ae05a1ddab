//! S3 end to end against moto's server: buckets, objects, listings, copies, multipart uploads,
//! streaming bodies, presigned URLs and errors, as a boto3 user exercises them.

use boto_runtime::ByteStream;
use boto_tests::Moto;
use s3::types::*;
use std::collections::HashMap;
use std::time::Duration;

fn put(bucket: &str, key: &str, body: &[u8]) -> PutObjectRequest {
    PutObjectRequest {
        bucket: Some(bucket.into()),
        key: Some(key.into()),
        body: Some(ByteStream::from(body.to_vec())),
        ..Default::default()
    }
}

fn get(bucket: &str, key: &str) -> GetObjectRequest {
    GetObjectRequest {
        bucket: Some(bucket.into()),
        key: Some(key.into()),
        ..Default::default()
    }
}

async fn bucket(client: &s3::Client, name: &str) {
    client
        .create_bucket(CreateBucketRequest {
            bucket: Some(name.into()),
            ..Default::default()
        })
        .await
        .unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn buckets_and_location_constraint() {
    let moto = Moto::start();
    let session = moto.session();
    let client = s3::Client::new(&session);
    bucket(&client, "plain-bucket").await;
    // Outside us-east-1 the location constraint is filled from the client's region.
    let eu = s3::Client::builder(&session).region("eu-west-1").build();
    eu.create_bucket(CreateBucketRequest {
        bucket: Some("eu-bucket".into()),
        ..Default::default()
    })
    .await
    .unwrap();
    let loc = eu
        .get_bucket_location(GetBucketLocationRequest {
            bucket: Some("eu-bucket".into()),
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(
        loc.location_constraint.map(|l| l.as_str().to_string()),
        Some("eu-west-1".to_string())
    );
    let names: Vec<String> = client
        .list_buckets(ListBucketsRequest::default())
        .await
        .unwrap()
        .buckets
        .unwrap_or_default()
        .into_iter()
        .filter_map(|b| b.name)
        .collect();
    assert!(names.contains(&"plain-bucket".to_string()), "{names:?}");
    assert!(names.contains(&"eu-bucket".to_string()), "{names:?}");
    // A second create of one's own bucket is a modeled error.
    let err = eu
        .create_bucket(CreateBucketRequest {
            bucket: Some("eu-bucket".into()),
            ..Default::default()
        })
        .await
        .unwrap_err();
    assert_eq!(err.code(), Some("BucketAlreadyOwnedByYou"), "{err}");
    assert_eq!(err.status(), Some(409));
    assert!(matches!(
        s3::Error::try_from(&err),
        Ok(s3::Error::BucketAlreadyOwnedByYou(_))
    ));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn objects_with_metadata_and_awkward_keys() {
    let moto = Moto::start();
    let client = s3::Client::new(&moto.session());
    bucket(&client, "objects").await;
    let keys = [
        "plain.txt",
        "with space.txt",
        "plus+sign",
        "percent%20literal",
        "naïve/ünïcödé ✓.txt",
        "dir/sub/x?y#z&w=1",
    ];
    for (i, key) in keys.iter().enumerate() {
        let mut req = put("objects", key, format!("body {i}").as_bytes());
        req.content_type = Some("text/plain; charset=utf-8".into());
        req.metadata = Some(HashMap::from([
            ("owner".to_string(), format!("user-{i}")),
            ("purpose".to_string(), "test".to_string()),
        ]));
        let out = client.put_object(req).await.unwrap();
        assert!(out.e_tag.is_some_and(|e| e.len() > 2), "{key}: no ETag");
    }
    for (i, key) in keys.iter().enumerate() {
        let got = client.get_object(get("objects", key)).await.unwrap();
        assert_eq!(
            got.content_type.as_deref(),
            Some("text/plain; charset=utf-8"),
            "{key}"
        );
        let meta = got.metadata.clone().unwrap_or_default();
        assert_eq!(
            meta.get("owner").map(String::as_str),
            Some(format!("user-{i}").as_str()),
            "{key}: {meta:?}"
        );
        assert_eq!(got.content_length, Some(format!("body {i}").len() as i64));
        let body = got.body.collect().await.unwrap();
        assert_eq!(&body[..], format!("body {i}").as_bytes(), "{key}");

        let head = client
            .head_object(HeadObjectRequest {
                bucket: Some("objects".into()),
                key: Some(key.to_string()),
                ..Default::default()
            })
            .await
            .unwrap();
        assert_eq!(
            head.metadata
                .unwrap_or_default()
                .get("purpose")
                .map(String::as_str),
            Some("test")
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn listings_v1_and_v2_with_prefix_and_delimiter() {
    let moto = Moto::start();
    let client = s3::Client::new(&moto.session());
    bucket(&client, "listing").await;
    let keys = [
        "a/1.txt",
        "a/2 two.txt",
        "a/deep/3.txt",
        "b/+plus",
        "b/caf\u{e9}",
        "top",
    ];
    for k in keys {
        client.put_object(put("listing", k, b"x")).await.unwrap();
    }
    let v2 = client
        .list_objects_v2(ListObjectsV2Request {
            bucket: Some("listing".into()),
            prefix: Some("a/".into()),
            delimiter: Some("/".into()),
            ..Default::default()
        })
        .await
        .unwrap();
    let got: Vec<String> = v2
        .contents
        .unwrap_or_default()
        .into_iter()
        .filter_map(|o| o.key)
        .collect();
    assert_eq!(got, ["a/1.txt", "a/2 two.txt"]);
    let prefixes: Vec<String> = v2
        .common_prefixes
        .unwrap_or_default()
        .into_iter()
        .filter_map(|p| p.prefix)
        .collect();
    assert_eq!(prefixes, ["a/deep/"]);
    assert_eq!(v2.prefix.as_deref(), Some("a/"));
    assert_eq!(v2.key_count, Some(3));

    let v1 = client
        .list_objects(ListObjectsRequest {
            bucket: Some("listing".into()),
            prefix: Some("b/".into()),
            ..Default::default()
        })
        .await
        .unwrap();
    let got: Vec<String> = v1
        .contents
        .unwrap_or_default()
        .into_iter()
        .filter_map(|o| o.key)
        .collect();
    assert_eq!(got, ["b/+plus", "b/caf\u{e9}"]);

    // All keys, one page of two at a time, by hand.
    let mut all = Vec::new();
    let mut token = None;
    loop {
        let page = client
            .list_objects_v2(ListObjectsV2Request {
                bucket: Some("listing".into()),
                max_keys: Some(2),
                continuation_token: token.clone(),
                ..Default::default()
            })
            .await
            .unwrap();
        all.extend(
            page.contents
                .unwrap_or_default()
                .into_iter()
                .filter_map(|o| o.key),
        );
        match page.next_continuation_token {
            Some(t) if page.is_truncated == Some(true) => token = Some(t),
            _ => break,
        }
    }
    assert_eq!(all, keys);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn copy_delete_and_missing_keys() {
    let moto = Moto::start();
    let client = s3::Client::new(&moto.session());
    bucket(&client, "copy-bucket").await;
    client
        .put_object(put("copy-bucket", "src dir/original ü+.txt", b"copy me"))
        .await
        .unwrap();
    let copied = client
        .copy_object(CopyObjectRequest {
            bucket: Some("copy-bucket".into()),
            key: Some("copy.txt".into()),
            copy_source: Some("copy-bucket/src dir/original ü+.txt".into()),
            ..Default::default()
        })
        .await
        .unwrap();
    assert!(copied.copy_object_result.and_then(|r| r.e_tag).is_some());
    let body = client
        .get_object(get("copy-bucket", "copy.txt"))
        .await
        .unwrap()
        .body;
    assert_eq!(&body.collect().await.unwrap()[..], b"copy me");

    client
        .delete_object(DeleteObjectRequest {
            bucket: Some("copy-bucket".into()),
            key: Some("copy.txt".into()),
            ..Default::default()
        })
        .await
        .unwrap();
    let err = client
        .get_object(get("copy-bucket", "copy.txt"))
        .await
        .unwrap_err();
    assert_eq!(err.code(), Some("NoSuchKey"), "{err}");
    assert_eq!(err.status(), Some(404));
    match s3::Error::try_from(&err) {
        Ok(s3::Error::NoSuchKey(_)) => {}
        other => panic!("expected the modeled NoSuchKey, got {other:?}"),
    }
    // HEAD has no body: the status is the code, and no modeled error is claimed (a missing key
    // and a missing bucket look the same), as boto3 reads it: `isinstance(e, NoSuchKey)` is
    // false for both.
    let mut boto3 = boto_tests::oracle::Boto3::start(&moto, "s3");
    for (bucket, key) in [("copy-bucket", "copy.txt"), ("no-such-bucket", "k")] {
        let head = HeadObjectRequest {
            bucket: Some(bucket.into()),
            key: Some(key.into()),
            ..Default::default()
        };
        let theirs = boto3.call("HeadObject", &head).unwrap_err();
        let err = client.head_object(head).await.unwrap_err();
        assert_eq!(err.code(), theirs["code"].as_str(), "{bucket}: {err}");
        assert_eq!(err.message(), theirs["message"].as_str(), "{bucket}: {err}");
        assert!(
            !matches!(s3::Error::from_error(&err), Some(s3::Error::NoSuchKey(_))),
            "{bucket}: typed as NoSuchKey"
        );
    }

    let deleted = client
        .delete_objects(DeleteObjectsRequest {
            bucket: Some("copy-bucket".into()),
            delete: Some(Delete {
                objects: Some(vec![ObjectIdentifier {
                    key: Some("src dir/original ü+.txt".into()),
                    ..Default::default()
                }]),
                ..Default::default()
            }),
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(deleted.deleted.unwrap_or_default().len(), 1);
    let left = client
        .list_objects_v2(ListObjectsV2Request {
            bucket: Some("copy-bucket".into()),
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(left.key_count, Some(0));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn multipart_upload() {
    let moto = Moto::start();
    let client = s3::Client::new(&moto.session());
    bucket(&client, "multipart-bucket").await;
    let created = client
        .create_multipart_upload(CreateMultipartUploadRequest {
            bucket: Some("multipart-bucket".into()),
            key: Some("big".into()),
            ..Default::default()
        })
        .await
        .unwrap();
    let upload_id = created.upload_id.unwrap();
    let part1: Vec<u8> = (0..5 * 1024 * 1024).map(|i| (i % 253) as u8).collect();
    let part2 = b"tail".to_vec();
    let mut parts = Vec::new();
    for (n, data) in [(1, &part1), (2, &part2)] {
        let out = client
            .upload_part(UploadPartRequest {
                bucket: Some("multipart-bucket".into()),
                key: Some("big".into()),
                upload_id: Some(upload_id.clone()),
                part_number: Some(n),
                body: Some(ByteStream::from(data.clone())),
                ..Default::default()
            })
            .await
            .unwrap();
        parts.push(CompletedPart {
            e_tag: out.e_tag,
            part_number: Some(n),
            ..Default::default()
        });
    }
    client
        .complete_multipart_upload(CompleteMultipartUploadRequest {
            bucket: Some("multipart-bucket".into()),
            key: Some("big".into()),
            upload_id: Some(upload_id),
            multipart_upload: Some(CompletedMultipartUpload { parts: Some(parts) }),
            ..Default::default()
        })
        .await
        .unwrap();
    let got = client
        .get_object(get("multipart-bucket", "big"))
        .await
        .unwrap();
    assert_eq!(got.content_length, Some(part1.len() as i64 + 4));
    let body = got.body.collect().await.unwrap();
    assert_eq!(&body[..part1.len()], &part1[..]);
    assert_eq!(&body[part1.len()..], b"tail");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn streaming_bodies_from_files_and_chunks() {
    let moto = Moto::start();
    let client = s3::Client::new(&moto.session());
    bucket(&client, "stream").await;
    let dir = std::env::temp_dir().join(format!("s3-e2e-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let src = dir.join("src.bin");
    let data: Vec<u8> = (0..3_000_000u32).map(|i| (i % 241) as u8).collect();
    std::fs::write(&src, &data).unwrap();

    let mut req = put("stream", "from-file", b"");
    req.body = Some(ByteStream::from_path(&src).await.unwrap());
    client.put_object(req).await.unwrap();

    let chunks = futures_chunks(vec![
        b"hello ".to_vec(),
        b"chunked ".to_vec(),
        b"world".to_vec(),
    ]);
    let mut req = put("stream", "from-chunks", b"");
    req.body = Some(ByteStream::from_stream(chunks, 19));
    client.put_object(req).await.unwrap();

    let got = client.get_object(get("stream", "from-file")).await.unwrap();
    let dst = dir.join("dst.bin");
    let n = got.body.write_to_file(&dst).await.unwrap();
    assert_eq!(n, data.len() as u64);
    assert_eq!(std::fs::read(&dst).unwrap(), data);

    let mut got = client
        .get_object(get("stream", "from-chunks"))
        .await
        .unwrap();
    let mut text = Vec::new();
    while let Some(chunk) = got.body.next().await {
        text.extend_from_slice(&chunk.unwrap());
    }
    assert_eq!(text, b"hello chunked world");
    std::fs::remove_dir_all(&dir).unwrap();
}

fn futures_chunks(
    parts: Vec<Vec<u8>>,
) -> impl futures::Stream<Item = Result<bytes::Bytes, std::io::Error>> {
    futures::stream::iter(parts.into_iter().map(|p| Ok(bytes::Bytes::from(p))))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn presigned_get_and_put_with_a_plain_http_client() {
    let moto = Moto::start();
    let client = s3::Client::new(&moto.session());
    bucket(&client, "presign").await;
    let http = reqwest::Client::new();

    let put_url = client
        .presign(
            put("presign", "up load+.txt", b""),
            Duration::from_secs(300),
        )
        .await
        .unwrap();
    assert_eq!(put_url.method, "PUT");
    assert!(put_url.url.contains("X-Amz-Signature="), "{}", put_url.url);
    assert!(put_url.url.contains("X-Amz-Expires=300"), "{}", put_url.url);
    let resp = http
        .put(&put_url.url)
        .body("sent without the SDK")
        .send()
        .await
        .unwrap();
    assert!(resp.status().is_success(), "{}", resp.status());

    let get_url = client
        .presign(get("presign", "up load+.txt"), Duration::from_secs(300))
        .await
        .unwrap();
    assert_eq!(get_url.method, "GET");
    let resp = http.get(&get_url.url).send().await.unwrap();
    assert_eq!(resp.status(), 200);
    assert_eq!(resp.text().await.unwrap(), "sent without the SDK");

    let err = client
        .presign(get("presign", "k"), Duration::from_secs(8 * 24 * 3600))
        .await
        .unwrap_err();
    assert!(err.to_string().contains("7 days"), "{err}");
}
