//! Paginators and waiters against scripted responses: every token style, several result keys,
//! `max_items` in the middle of a page and resuming from there, the repeated-token guard, and
//! every waiter matcher kind and state.

use boto_runtime::ErrorKind;
use boto_tests::CannedServer;
use futures::{StreamExt, TryStreamExt};
use std::time::Duration;

/// A DescribeInstances page: reservations `ids` (one instance each, in `state`), and a next token.
fn ec2_page(ids: &[u32], state: &str, next: Option<&str>) -> (u16, Vec<u8>) {
    let mut s = String::from(
        "<DescribeInstancesResponse xmlns=\"http://ec2.amazonaws.com/doc/2016-11-15/\"><requestId>r</requestId><reservationSet>",
    );
    for id in ids {
        s.push_str(&format!(
            "<item><reservationId>r-{id}</reservationId><instancesSet><item><instanceId>i-{id}</instanceId><instanceState><code>0</code><name>{state}</name></instanceState></item></instancesSet></item>"
        ));
    }
    s.push_str("</reservationSet>");
    if let Some(t) = next {
        s.push_str(&format!("<nextToken>{t}</nextToken>"));
    }
    s.push_str("</DescribeInstancesResponse>");
    (200, s.into_bytes())
}

fn reservation_ids(pages: &[ec2::types::DescribeInstancesResult]) -> Vec<String> {
    pages
        .iter()
        .flat_map(|p| p.reservations.clone().unwrap_or_default())
        .filter_map(|r| r.reservation_id)
        .collect()
}

fn body_text(server: &CannedServer, i: usize) -> String {
    String::from_utf8_lossy(&server.bodies()[i]).into_owned()
}

#[tokio::test]
async fn string_tokens_page_size_and_items() {
    let server = CannedServer::sequence(vec![
        ec2_page(&[1, 2], "running", Some("t1")),
        ec2_page(&[3, 4], "running", Some("t2")),
        ec2_page(&[5], "running", None),
    ]);
    let client = ec2::Client::new(&server.session());
    let pages: Vec<_> = client
        .describe_instances_paginator(Default::default())
        .page_size(5)
        .pages()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(pages.len(), 3);
    assert_eq!(reservation_ids(&pages), ["r-1", "r-2", "r-3", "r-4", "r-5"]);
    assert!(
        body_text(&server, 0).contains("MaxResults=5"),
        "{}",
        body_text(&server, 0)
    );
    assert!(!body_text(&server, 0).contains("NextToken"));
    assert!(body_text(&server, 1).contains("NextToken=t1"));
    assert!(body_text(&server, 2).contains("NextToken=t2"));

    let server = CannedServer::sequence(vec![
        ec2_page(&[1, 2], "running", Some("t1")),
        ec2_page(&[3], "running", None),
    ]);
    let items: Vec<ec2::types::Reservation> = ec2::Client::new(&server.session())
        .describe_instances_paginator(Default::default())
        .items()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(items.len(), 3);
    assert_eq!(items[2].reservation_id.as_deref(), Some("r-3"));
}

#[tokio::test]
async fn max_items_mid_page_then_resume() {
    let server = CannedServer::sequence(vec![
        ec2_page(&[1, 2], "running", Some("t1")),
        ec2_page(&[3, 4], "running", Some("t2")),
    ]);
    let client = ec2::Client::new(&server.session());
    let mut pages = client
        .describe_instances_paginator(Default::default())
        .max_items(3)
        .pages();
    let mut got = Vec::new();
    while let Some(p) = pages.next().await {
        got.push(p.unwrap());
    }
    assert_eq!(reservation_ids(&got), ["r-1", "r-2", "r-3"]);
    assert_eq!(server.requests(), 2);
    let token = pages.resume_token().expect("a resume token");
    let (tokens, skip) = boto_runtime::paginate::decode_token(&token, &["NextToken"]).unwrap();
    assert_eq!(tokens["NextToken"], "t1");
    assert_eq!(skip, 1);

    // Resuming re-reads the page it stopped in and skips what was already seen.
    let server = CannedServer::sequence(vec![
        ec2_page(&[3, 4], "running", Some("t2")),
        ec2_page(&[5], "running", None),
    ]);
    let rest: Vec<ec2::types::Reservation> = ec2::Client::new(&server.session())
        .describe_instances_paginator(Default::default())
        .starting_token(token)
        .items()
        .try_collect()
        .await
        .unwrap();
    let ids: Vec<_> = rest.into_iter().filter_map(|r| r.reservation_id).collect();
    assert_eq!(ids, ["r-4", "r-5"]);
    assert!(body_text(&server, 0).contains("NextToken=t1"));

    // A page that ends exactly at max_items resumes with the next token.
    let server = CannedServer::sequence(vec![ec2_page(&[1, 2], "running", Some("t1"))]);
    let mut items = ec2::Client::new(&server.session())
        .describe_instances_paginator(Default::default())
        .max_items(2)
        .items();
    let mut n = 0;
    while let Some(i) = items.next().await {
        i.unwrap();
        n += 1;
    }
    assert_eq!(n, 2);
    let (tokens, skip) =
        boto_runtime::paginate::decode_token(&items.resume_token().unwrap(), &["NextToken"])
            .unwrap();
    assert_eq!((tokens["NextToken"].as_str(), skip), (Some("t1"), 0));
}

#[tokio::test]
async fn the_same_token_twice_stops_with_an_error() {
    let server = CannedServer::sequence(vec![
        ec2_page(&[1], "running", Some("same")),
        ec2_page(&[2], "running", Some("same")),
        ec2_page(&[3], "running", Some("same")),
    ]);
    let results: Vec<_> = ec2::Client::new(&server.session())
        .describe_instances_paginator(Default::default())
        .pages()
        .collect()
        .await;
    assert_eq!(results.len(), 3);
    assert!(results[0].is_ok() && results[1].is_ok());
    let err = results[2].as_ref().unwrap_err();
    assert!(
        err.to_string()
            .contains("same next token was received twice"),
        "{err}"
    );
    assert_eq!(server.requests(), 2);
}

#[tokio::test]
async fn several_tokens_and_more_results() {
    let page = |truncated: bool, next: &str, keys: &[&str]| {
        let mut s =
            String::from("<ListVersionsResult xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">");
        s.push_str(&format!("<IsTruncated>{truncated}</IsTruncated>"));
        s.push_str(&format!("<NextKeyMarker>{next}</NextKeyMarker><NextVersionIdMarker>v-{next}</NextVersionIdMarker>"));
        for k in keys {
            s.push_str(&format!(
                "<Version><Key>{k}</Key><VersionId>1</VersionId></Version>"
            ));
        }
        s.push_str(&format!(
            "<DeleteMarker><Key>dm-{next}</Key></DeleteMarker>"
        ));
        s.push_str("</ListVersionsResult>");
        (200, s.into_bytes())
    };
    let server = CannedServer::sequence(vec![
        page(true, "k2", &["k1", "k2"]),
        // IsTruncated false ends it, though tokens are present.
        page(false, "k3", &["k3"]),
    ]);
    let client = s3::Client::new(&server.session());
    let pages: Vec<_> = client
        .list_object_versions_paginator(s3::types::ListObjectVersionsRequest {
            bucket: Some("b".into()),
            ..Default::default()
        })
        .pages()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(pages.len(), 2);
    assert_eq!(server.requests(), 2);
    let second = &server.heads()[1];
    assert!(
        second.contains("key-marker=k2") && second.contains("version-id-marker=v-k2"),
        "{second}"
    );
    // Several result keys: each one is on the pages.
    let markers: Vec<String> = pages
        .iter()
        .flat_map(|p| p.delete_markers.clone().unwrap_or_default())
        .filter_map(|d| d.key)
        .collect();
    assert_eq!(markers, ["dm-k2", "dm-k3"]);
    // items() gives the primary key's (Versions).
    let server = CannedServer::sequence(vec![
        page(true, "k2", &["k1", "k2"]),
        page(false, "", &["k3"]),
    ]);
    let versions: Vec<s3::types::ObjectVersion> = s3::Client::new(&server.session())
        .list_object_versions_paginator(s3::types::ListObjectVersionsRequest {
            bucket: Some("b".into()),
            ..Default::default()
        })
        .items()
        .try_collect()
        .await
        .unwrap();
    let keys: Vec<_> = versions.into_iter().filter_map(|v| v.key).collect();
    assert_eq!(keys, ["k1", "k2", "k3"]);
    // items_of: another result key's items, typed.
    let server = CannedServer::sequence(vec![
        page(true, "k2", &["k1", "k2"]),
        page(false, "", &["k3"]),
    ]);
    let markers: Vec<s3::types::DeleteMarkerEntry> = s3::Client::new(&server.session())
        .list_object_versions_paginator(s3::types::ListObjectVersionsRequest {
            bucket: Some("b".into()),
            ..Default::default()
        })
        .items_of(s3::paginators::list_object_versions::delete_markers)
        .try_collect()
        .await
        .unwrap();
    let keys: Vec<_> = markers.into_iter().filter_map(|d| d.key).collect();
    assert_eq!(keys, ["dm-k2", "dm-"]);
}

#[tokio::test]
async fn expression_tokens_and_number_tokens() {
    // ListObjects v1 without a delimiter has no NextMarker: the last key is the marker.
    let page = |truncated: bool, keys: &[&str]| {
        let mut s =
            format!("<ListBucketResult><Name>b</Name><IsTruncated>{truncated}</IsTruncated>");
        for k in keys {
            s.push_str(&format!("<Contents><Key>{k}</Key></Contents>"));
        }
        s.push_str("</ListBucketResult>");
        (200, s.into_bytes())
    };
    let server = CannedServer::sequence(vec![page(true, &["a", "b"]), page(false, &["c"])]);
    let keys: Vec<String> = s3::Client::new(&server.session())
        .list_objects_paginator(s3::types::ListObjectsRequest {
            bucket: Some("b".into()),
            ..Default::default()
        })
        .items()
        .map_ok(|o| o.key.unwrap_or_default())
        .try_collect()
        .await
        .unwrap();
    assert_eq!(keys, ["a", "b", "c"]);
    assert!(
        server.heads()[1].contains("marker=b"),
        "{}",
        server.heads()[1]
    );

    // ListParts: the token is a number in the output and text in the input.
    let parts = |truncated: bool, next: u32, numbers: &[u32]| {
        let mut s = format!("<ListPartsResult><IsTruncated>{truncated}</IsTruncated><NextPartNumberMarker>{next}</NextPartNumberMarker>");
        for n in numbers {
            s.push_str(&format!("<Part><PartNumber>{n}</PartNumber></Part>"));
        }
        s.push_str("</ListPartsResult>");
        (200, s.into_bytes())
    };
    let server = CannedServer::sequence(vec![parts(true, 2, &[1, 2]), parts(false, 3, &[3])]);
    let got: Vec<i32> = s3::Client::new(&server.session())
        .list_parts_paginator(s3::types::ListPartsRequest {
            bucket: Some("b".into()),
            key: Some("k".into()),
            upload_id: Some("u".into()),
            ..Default::default()
        })
        .items()
        .map_ok(|p| p.part_number.unwrap_or_default())
        .try_collect()
        .await
        .unwrap();
    assert_eq!(got, [1, 2, 3]);
    assert!(
        server.heads()[1].contains("part-number-marker=2"),
        "{}",
        server.heads()[1]
    );
}

#[tokio::test]
async fn map_tokens_and_secondary_number_keys() {
    let server = CannedServer::sequence(vec![
        (200, br#"{"Items":[{"pk":{"S":"a"}},{"pk":{"S":"b"}}],"Count":2,"ScannedCount":2,"LastEvaluatedKey":{"pk":{"S":"b"},"n":{"N":"7"}}}"#.to_vec()),
        (200, br#"{"Items":[{"pk":{"S":"c"}}],"Count":1,"ScannedCount":1}"#.to_vec()),
    ]);
    let pages: Vec<dynamodb::types::ScanOutput> = dynamodb::Client::new(&server.session())
        .scan_paginator(dynamodb::types::ScanInput {
            table_name: Some("t".into()),
            ..Default::default()
        })
        .page_size(2)
        .pages()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(pages.len(), 2);
    assert_eq!(pages[1].count, Some(1));
    let second: serde_json::Value = serde_json::from_slice(&server.bodies()[1]).unwrap();
    assert_eq!(
        second["ExclusiveStartKey"],
        serde_json::json!({"pk": {"S": "b"}, "n": {"N": "7"}})
    );
    assert_eq!(second["Limit"], 2);
}

// ---- waiters ----

fn instance_filter() -> ec2::types::DescribeInstancesRequest {
    ec2::types::DescribeInstancesRequest {
        instance_ids: Some(vec!["i-1".into()]),
        ..Default::default()
    }
}

fn ec2_error(code: &str) -> (u16, Vec<u8>) {
    (
        400,
        format!("<Response><Errors><Error><Code>{code}</Code><Message>m</Message></Error></Errors><RequestID>x</RequestID></Response>").into_bytes(),
    )
}

#[tokio::test]
async fn waiter_retries_on_errors_and_states_until_success() {
    let server = CannedServer::sequence(vec![
        ec2_error("InvalidInstanceID.NotFound"),
        ec2_page(&[1], "pending", None),
        ec2_page(&[1], "running", None),
    ]);
    let out = ec2::Client::new(&server.session())
        .wait_until_instance_running(instance_filter())
        .delay(Duration::from_millis(1))
        .await
        .unwrap();
    assert_eq!(reservation_ids(&[out]), ["r-1"]);
    assert_eq!(server.requests(), 3);
}

#[tokio::test]
async fn waiter_failure_state_stops_at_once() {
    let server = CannedServer::sequence(vec![
        ec2_page(&[1], "pending", None),
        ec2_page(&[1], "terminated", None),
        ec2_page(&[1], "running", None),
    ]);
    let err = ec2::Client::new(&server.session())
        .wait_until_instance_running(instance_filter())
        .delay(Duration::from_millis(1))
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Waiter);
    assert!(err.to_string().contains("InstanceRunning"), "{err}");
    assert!(err.to_string().contains("failure state"), "{err}");
    let last = err
        .last_response_as::<ec2::types::DescribeInstancesResult>()
        .expect("the last output");
    assert_eq!(reservation_ids(std::slice::from_ref(last)), ["r-1"]);
    assert_eq!(server.requests(), 2);
}

#[tokio::test]
async fn waiter_gives_up_after_max_attempts_and_on_unexpected_errors() {
    let server = CannedServer::sequence(vec![ec2_page(&[1], "pending", None)]);
    let err = ec2::Client::new(&server.session())
        .wait_until_instance_running(instance_filter())
        .delay(Duration::from_millis(1))
        .max_attempts(3)
        .await
        .unwrap_err();
    // botocore's words, once (not "waiter failed: waiter ... failed").
    assert_eq!(
        err.to_string(),
        "Waiter InstanceRunning failed: Max attempts exceeded"
    );
    assert_eq!(server.requests(), 3);

    let server = CannedServer::sequence(vec![ec2_error("UnauthorizedOperation")]);
    let err = ec2::Client::new(&server.session())
        .wait_until_instance_running(instance_filter())
        .delay(Duration::from_millis(1))
        .await
        .unwrap_err();
    assert!(
        err.to_string().starts_with(
            "Waiter InstanceRunning failed: An error occurred (UnauthorizedOperation): "
        ),
        "{err}"
    );
    assert_eq!(
        err.last_error().and_then(|e| e.code()),
        Some("UnauthorizedOperation")
    );
    assert_eq!(
        server.requests(),
        1,
        "an error no acceptor matches fails at once"
    );
}

#[tokio::test]
async fn status_matchers_see_errors_and_successes() {
    // BucketExists: 404 retries, 200 succeeds.
    let server = CannedServer::sequence(vec![
        (404, Vec::new()),
        (404, Vec::new()),
        (200, Vec::new()),
    ]);
    s3::Client::new(&server.session())
        .wait_until_bucket_exists(s3::types::HeadBucketRequest {
            bucket: Some("b".into()),
            ..Default::default()
        })
        .delay(Duration::from_millis(1))
        .await
        .unwrap();
    assert_eq!(server.requests(), 3);
    // BucketNotExists: a 404 is its success.
    let server = CannedServer::sequence(vec![(200, Vec::new()), (404, Vec::new())]);
    s3::Client::new(&server.session())
        .wait_until_bucket_not_exists(s3::types::HeadBucketRequest {
            bucket: Some("b".into()),
            ..Default::default()
        })
        .delay(Duration::from_millis(1))
        .await
        .unwrap();
    assert_eq!(server.requests(), 2);
}

#[tokio::test]
async fn path_matchers_with_boolean_expectations() {
    // AlarmExists: `length(MetricAlarms[]) > `0`` == true.
    let server = CannedServer::sequence(vec![
        (200, br#"{"MetricAlarms":[]}"#.to_vec()),
        (200, br#"{"MetricAlarms":[{"AlarmName":"a"}]}"#.to_vec()),
    ]);
    let out = cloudwatch::Client::new(&server.session())
        .wait_until_alarm_exists(Default::default())
        .delay(Duration::from_millis(1))
        .await
        .unwrap();
    assert_eq!(
        out.metric_alarms.unwrap()[0].alarm_name.as_deref(),
        Some("a")
    );
    assert_eq!(server.requests(), 2);
}

#[tokio::test]
async fn waiters_return_errors_that_are_not_answers_as_they_are() {
    let server = CannedServer::start(200, Vec::new());
    let err = s3::Client::new(&server.session())
        .wait_until_bucket_exists(s3::types::HeadBucketRequest::default())
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Validation, "{err}");
    assert!(err.to_string().contains("Bucket"), "{err}");
    assert_eq!(server.requests(), 0);
}
