//! `Stubber`: clients answered from a queue of canned responses, as botocore's Stubber. Every
//! client here points at a port that refuses connections and has no credentials, so a call that
//! reached for the network would fail.

use boto_runtime::{ErrorKind, StubError, Stubber};
use futures::TryStreamExt;
use serde_json::json;
use std::time::Duration;

/// A session whose endpoint refuses connections and that has no credentials.
fn offline_session() -> boto_runtime::Session {
    let refused = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    boto_tests::isolated_session()
        .region("us-east-1")
        .endpoint_url(format!("http://127.0.0.1:{refused}"))
        .build()
        .unwrap()
}

/// A stubber and a client of the kind `builder` makes, answered by it, on [`offline_session`].
fn stubbed<C: From<boto_runtime::ClientHandle>>(
    builder: fn(&boto_runtime::Session) -> boto_runtime::ClientBuilder<C>,
) -> (Stubber, C) {
    let stubber = Stubber::new();
    let client = builder(&offline_session()).stubber(&stubber).build();
    (stubber, client)
}

fn from_json<T: serde::de::DeserializeOwned>(v: serde_json::Value) -> T {
    serde_json::from_value(v).unwrap()
}

#[tokio::test]
async fn a_queued_output_is_returned_and_the_queue_empties() {
    use ec2::types::*;
    let session = offline_session();
    // The same client without a stubber cannot reach anything.
    let real = ec2::Client::new(&session);
    let err = real.describe_regions(Default::default()).await.unwrap_err();
    assert!(
        matches!(err.kind(), ErrorKind::Credentials | ErrorKind::Transport),
        "{err}"
    );

    let stubber = Stubber::new();
    let client = ec2::Client::builder(&session).stubber(&stubber).build();
    let regions: DescribeRegionsResult = from_json(json!({
        "Regions": [{"RegionName": "us-east-1", "Endpoint": "ec2.us-east-1.amazonaws.com"}]
    }));
    stubber.add_response("DescribeRegions", regions.clone());
    stubber.add_response("describe_regions", DescribeRegionsResult::default());
    assert_eq!(stubber.pending(), ["DescribeRegions", "describe_regions"]);

    let out = client.describe_regions(Default::default()).await.unwrap();
    assert_eq!(out, regions);
    let out = client.describe_regions(Default::default()).await.unwrap();
    assert!(out.regions.is_none());
    stubber.assert_no_pending_responses();

    // Nothing left: the next call is an error naming the operation.
    let err = client
        .describe_regions(Default::default())
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Stub);
    assert!(
        err.to_string()
            .contains("unexpected call of DescribeRegions: no stubbed response is queued"),
        "{err}"
    );
}

#[tokio::test]
async fn another_operation_than_the_queued_one_is_an_error() {
    let (stubber, client) = stubbed(ec2::Client::builder);
    stubber.add_response("DescribeVpcs", ec2::types::DescribeVpcsResult::default());
    let err = client
        .describe_regions(Default::default())
        .await
        .unwrap_err();
    assert!(
        err.to_string().contains(
            "unexpected call of DescribeRegions: the next stubbed response is for DescribeVpcs"
        ),
        "{err}"
    );
    // The queued response stays for the call it was meant for.
    assert_eq!(stubber.pending(), ["DescribeVpcs"]);
    let leftover = std::panic::catch_unwind(|| stubber.assert_no_pending_responses());
    let msg = *leftover.unwrap_err().downcast::<String>().unwrap();
    assert!(
        msg.contains("1 stubbed response(s) not used: DescribeVpcs"),
        "{msg}"
    );
}

#[tokio::test]
async fn a_queued_error_is_a_typed_modeled_error() {
    use dynamodb::types::*;
    let (stubber, client) = stubbed(dynamodb::Client::builder);
    let put = || {
        client.put_item(PutItemInput {
            table_name: Some("t".into()),
            item: Some(from_json(json!({"pk": {"S": "a"}}))),
            ..Default::default()
        })
    };
    stubber.add_client_error(
        "PutItem",
        StubError::new(
            "ConditionalCheckFailedException",
            "The conditional request failed",
        )
        .modeled_fields(json!({"Item": {"pk": {"S": "a"}, "n": {"N": "7"}}})),
    );
    let err = put().await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Service);
    assert_eq!(err.code(), Some("ConditionalCheckFailedException"));
    assert_eq!(err.message(), Some("The conditional request failed"));
    assert_eq!(err.status(), Some(400));
    match dynamodb::Error::try_from(&err) {
        Ok(dynamodb::Error::ConditionalCheckFailedException(e)) => {
            let item = e.item.as_ref().unwrap();
            assert_eq!(item["n"], AttributeValue::N("7".into()));
            assert_eq!(e.message.as_deref(), Some("The conditional request failed"));
        }
        other => panic!("not typed: {other:?}"),
    }

    // A code the service does not model is a plain service error, with the status given.
    stubber.add_client_error(
        "GetItem",
        StubError::new("NotModeledHere", "slow down").status(429),
    );
    let err = client
        .get_item(GetItemInput {
            table_name: Some("t".into()),
            key: Some(from_json(json!({"pk": {"S": "a"}}))),
            ..Default::default()
        })
        .await
        .unwrap_err();
    assert_eq!(err.status(), Some(429));
    assert!(err.modeled().is_none());

    // Modeled fields that do not fit the error's shape are refused, naming the key.
    stubber.add_client_error(
        "PutItem",
        StubError::new("ConditionalCheckFailedException", "x").modeled_fields(json!({"Itme": {}})),
    );
    let err = put().await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Stub);
    assert!(err.to_string().contains("`Itme`"), "{err}");

    // So are modeled fields on a code that is no modeled error: they would have nowhere to go.
    stubber.add_client_error(
        "PutItem",
        StubError::new("Throttled", "x").modeled_fields(json!({"Reason": "busy"})),
    );
    let err = put().await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Stub);
    assert!(
        err.to_string().contains("Throttled has modeled fields"),
        "{err}"
    );
}

#[tokio::test]
async fn an_input_other_than_the_expected_one_names_the_differing_members() {
    use ec2::types::*;
    let (stubber, client) = stubbed(ec2::Client::builder);
    let expected: RunInstancesRequest = from_json(json!({
        "ImageId": "ami-1", "MinCount": 1, "MaxCount": 1,
        "TagSpecifications": [{"ResourceType": "instance", "Tags": [{"Key": "team", "Value": "web"}]}]
    }));
    // The input is compared as the caller gave it: the idempotency token the client fills in
    // is not part of it.
    stubber.add_response_expecting("RunInstances", Reservation::default(), &expected);
    client.run_instances(expected.clone()).await.unwrap();

    stubber.add_response_expecting("RunInstances", Reservation::default(), &expected);
    let mut other = expected.clone();
    other.max_count = Some(3);
    other.tag_specifications.as_mut().unwrap()[0]
        .tags
        .as_mut()
        .unwrap()[0]
        .value = Some("api".into());
    other.key_name = Some("mine".into());
    let err = client.run_instances(other).await.unwrap_err();
    let text = err.to_string();
    assert_eq!(err.kind(), ErrorKind::Stub);
    for part in [
        "RunInstances was called with an input other than the stubbed one",
        "`MaxCount` expected 1, got 3",
        "`TagSpecifications[0].Tags[0].Value` expected \"web\", got \"api\"",
        "`KeyName` not expected, set to \"mine\"",
    ] {
        assert!(text.contains(part), "{part} not in: {text}");
    }
    // As in botocore, the response stays queued for the call that was expected.
    assert_eq!(stubber.pending(), ["RunInstances"]);
    client.run_instances(expected.clone()).await.unwrap();
    stubber.assert_no_pending_responses();

    // Validation comes first, as for a real call: an invalid input never takes a response.
    stubber.add_response("RunInstances", Reservation::default());
    let err = client
        .run_instances(RunInstancesRequest::default())
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Validation);
    assert_eq!(stubber.pending(), ["RunInstances"]);
}

#[tokio::test]
async fn a_paginator_reads_three_stubbed_pages() {
    use s3::types::*;
    let (stubber, client) = stubbed(s3::Client::builder);
    let page = |keys: &[&str], next: Option<&str>| -> ListObjectsV2Output {
        from_json(json!({
            "Contents": keys.iter().map(|k| json!({"Key": k, "Size": 1})).collect::<Vec<_>>(),
            "IsTruncated": next.is_some(),
            "NextContinuationToken": next,
            "KeyCount": keys.len(),
        }))
    };
    let first = ListObjectsV2Request {
        bucket: Some("b".into()),
        ..Default::default()
    };
    let mut second = first.clone();
    second.continuation_token = Some("t1".into());
    let mut third = first.clone();
    third.continuation_token = Some("t2".into());
    stubber.add_response_expecting("ListObjectsV2", page(&["a", "b"], Some("t1")), &first);
    stubber.add_response_expecting("ListObjectsV2", page(&["c"], Some("t2")), &second);
    stubber.add_response_expecting("ListObjectsV2", page(&["d", "e"], None), &third);
    let keys: Vec<String> = client
        .list_objects_v2_paginator(first)
        .items()
        .map_ok(|o| o.key.unwrap())
        .try_collect()
        .await
        .unwrap();
    assert_eq!(keys, ["a", "b", "c", "d", "e"]);
    stubber.assert_no_pending_responses();
}

#[tokio::test]
async fn a_waiter_sees_pending_twice_then_running() {
    use ec2::types::*;
    let (stubber, client) = stubbed(ec2::Client::builder);
    let state = |name: &str| -> DescribeInstancesResult {
        from_json(json!({"Reservations": [{"Instances": [
            {"InstanceId": "i-1", "State": {"Name": name, "Code": 0}}
        ]}]}))
    };
    for s in ["pending", "pending", "running"] {
        stubber.add_response("DescribeInstances", state(s));
    }
    let out = client
        .wait_until_instance_running(DescribeInstancesRequest {
            instance_ids: Some(vec!["i-1".into()]),
            ..Default::default()
        })
        .delay(Duration::from_millis(10))
        .await
        .unwrap();
    assert_eq!(out, state("running"));
    stubber.assert_no_pending_responses();

    // A failure state in a stubbed output stops the waiter with boto3's message.
    stubber.add_response("DescribeInstances", state("pending"));
    stubber.add_response("DescribeInstances", state("terminated"));
    let err = client
        .wait_until_instance_running(Default::default())
        .delay(Duration::from_millis(10))
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Waiter);
    assert!(err.to_string().contains("terminal failure state"), "{err}");
}

#[tokio::test]
async fn resources_and_collections_load_through_the_stubbed_client() {
    use ec2::types::*;
    let (stubber, client) = stubbed(ec2::Client::builder);
    let ec2r = ec2::ServiceResource::from_client(&client);
    let described: DescribeInstancesResult = from_json(json!({"Reservations": [{"Instances": [
        {"InstanceId": "i-1", "InstanceType": "t3.micro", "State": {"Name": "running", "Code": 16}}
    ]}]}));
    stubber.add_response_expecting(
        "DescribeInstances",
        described.clone(),
        &DescribeInstancesRequest {
            instance_ids: Some(vec!["i-1".into()]),
            ..Default::default()
        },
    );
    let inst = ec2r.instance("i-1");
    assert_eq!(
        inst.instance_type().await.unwrap(),
        Some(InstanceType::T3Micro)
    );

    // A collection: two pages, then a batch action on what it found.
    let page = |ids: &[&str], next: Option<&str>| -> DescribeInstancesResult {
        from_json(json!({
            "Reservations": [{"Instances": ids.iter().map(|i| json!({"InstanceId": i})).collect::<Vec<_>>()}],
            "NextToken": next,
        }))
    };
    stubber.add_response("DescribeInstances", page(&["i-1", "i-2"], Some("n")));
    stubber.add_response("DescribeInstances", page(&["i-3"], None));
    let ids: Vec<String> = ec2r
        .instances()
        .stream()
        .map_ok(|i| i.id().to_string())
        .try_collect()
        .await
        .unwrap();
    assert_eq!(ids, ["i-1", "i-2", "i-3"]);
    stubber.assert_no_pending_responses();

    // Its batch action: one TerminateInstances per page, with that page's instances.
    let terminate = |ids: &[&str]| TerminateInstancesRequest {
        instance_ids: Some(ids.iter().map(|i| i.to_string()).collect()),
        ..Default::default()
    };
    let terminated = |id: &str| -> TerminateInstancesResult {
        from_json(json!({"TerminatingInstances": [{"InstanceId": id}]}))
    };
    stubber.add_response("DescribeInstances", page(&["i-1", "i-2"], Some("n")));
    stubber.add_response_expecting(
        "TerminateInstances",
        terminated("i-1"),
        &terminate(&["i-1", "i-2"]),
    );
    stubber.add_response("DescribeInstances", page(&["i-3"], None));
    stubber.add_response_expecting(
        "TerminateInstances",
        terminated("i-3"),
        &terminate(&["i-3"]),
    );
    let outs = ec2r
        .instances()
        .terminate(Default::default())
        .await
        .unwrap();
    let first_ids: Vec<_> = (outs.iter())
        .map(|o| {
            o.terminating_instances.as_ref().unwrap()[0]
                .instance_id
                .clone()
        })
        .collect();
    assert_eq!(
        first_ids,
        [Some("i-1".to_string()), Some("i-3".to_string())]
    );
    stubber.assert_no_pending_responses();
}

#[tokio::test]
async fn presigning_works_on_a_stubbed_client() {
    let stubber = Stubber::new();
    let session = boto_tests::isolated_session()
        .region("us-east-1")
        .credentials(boto_runtime::Credentials::new("AKID", "SECRET", None))
        .build()
        .unwrap();
    let client = s3::Client::builder(&session).stubber(&stubber).build();
    let url = client
        .presign(
            s3::types::GetObjectRequest {
                bucket: Some("b".into()),
                key: Some("k".into()),
                ..Default::default()
            },
            Duration::from_secs(60),
        )
        .await
        .unwrap();
    assert!(url.url.contains("X-Amz-Signature="), "{}", url.url);
    assert!(stubber.pending().is_empty());
}

/// A multipart upload with the checksum the extra arguments ask for: the upload is created with
/// its algorithm, each part is sent with it, and the completion lists each part's checksum, as
/// s3transfer does. An algorithm (SHA256) gives composite checksums; a whole object's CRC32
/// value makes the upload `FULL_OBJECT`, with the value given at completion.
#[tokio::test]
async fn a_multipart_upload_lists_each_parts_checksum() {
    use boto_runtime::transfer::TransferConfig;
    use s3::types::*;
    const MIB: u64 = 1024 * 1024;
    let cases = [
        (
            ("ChecksumAlgorithm", "SHA256"),
            json!({"ChecksumAlgorithm": "SHA256"}),
            "SHA256",
            json!({}),
        ),
        (
            ("ChecksumCRC32", "AAAAAA=="),
            json!({"ChecksumAlgorithm": "CRC32", "ChecksumType": "FULL_OBJECT"}),
            "CRC32",
            json!({"ChecksumCRC32": "AAAAAA==", "ChecksumType": "FULL_OBJECT"}),
        ),
    ];
    for ((name, value), created, algorithm, completed) in cases {
        let (stubber, client) = stubbed(s3::Client::builder);
        let bucket = s3::ServiceResource::from_client(&client).bucket("b");
        let with = |extra: serde_json::Value| {
            let mut v = json!({"Bucket": "b", "Key": "k"});
            (v.as_object_mut().unwrap()).extend(extra.as_object().unwrap().clone());
            v
        };
        stubber.add_response_expecting(
            "CreateMultipartUpload",
            from_json::<CreateMultipartUploadOutput>(json!({"UploadId": "u"})),
            &from_json::<CreateMultipartUploadRequest>(with(created)),
        );
        let member = format!("Checksum{algorithm}");
        for n in [1, 2] {
            let part = json!({"UploadId": "u", "PartNumber": n, "ChecksumAlgorithm": algorithm});
            stubber.add_response_expecting(
                "UploadPart",
                from_json::<UploadPartOutput>(
                    json!({"ETag": format!("e{n}"), &member: format!("c{n}")}),
                ),
                &from_json::<UploadPartRequest>(with(part)),
            );
        }
        let parts: Vec<_> = [1, 2]
            .map(|n| json!({"PartNumber": n, "ETag": format!("e{n}"), &member: format!("c{n}")}))
            .into();
        let mut complete = with(json!({"UploadId": "u", "MultipartUpload": {"Parts": parts}}));
        (complete.as_object_mut().unwrap()).extend(completed.as_object().unwrap().clone());
        stubber.add_response_expecting(
            "CompleteMultipartUpload",
            CompleteMultipartUploadOutput::default(),
            &from_json::<CompleteMultipartUploadRequest>(complete),
        );
        let config = TransferConfig::default()
            .multipart_threshold(5 * MIB)
            .multipart_chunksize(5 * MIB)
            .max_concurrency(1)
            .extra_arg(name, value);
        let data = vec![7_u8; 10 * MIB as usize];
        bucket
            .upload_fileobj(&data[..], "k", &config)
            .await
            .unwrap();
        stubber.assert_no_pending_responses();
    }
}
