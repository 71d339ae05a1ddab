//! Paginators and waiters against moto's server, as a boto3 user runs them.

use boto_runtime::ErrorKind;
use boto_tests::Moto;
use futures::{StreamExt, TryStreamExt};
use std::collections::HashMap;
use std::time::Duration;

const FAST: Duration = Duration::from_millis(50);

async fn run_one(client: &ec2::Client) -> String {
    let out = client
        .run_instances(ec2::types::RunInstancesRequest {
            image_id: Some("ami-12c6146b".into()),
            min_count: Some(1),
            max_count: Some(1),
            instance_type: Some(ec2::types::InstanceType::T2Micro),
            ..Default::default()
        })
        .await
        .unwrap();
    out.instances.unwrap()[0].instance_id.clone().unwrap()
}

fn ids(id: &str) -> ec2::types::DescribeInstancesRequest {
    ec2::types::DescribeInstancesRequest {
        instance_ids: Some(vec![id.to_string()]),
        ..Default::default()
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ec2_describe_instances_pages_max_items_and_resume() {
    let moto = Moto::start();
    let client = ec2::Client::new(&moto.session());
    let mut all = Vec::new();
    for _ in 0..23 {
        all.push(run_one(&client).await);
    }
    let pages: Vec<ec2::types::DescribeInstancesResult> = client
        .describe_instances_paginator(Default::default())
        .page_size(5)
        .pages()
        .try_collect()
        .await
        .unwrap();
    let sizes: Vec<usize> = pages
        .iter()
        .map(|p| p.reservations.as_ref().map_or(0, Vec::len))
        .collect();
    assert_eq!(sizes, [5, 5, 5, 5, 3]);

    let mut first = client
        .describe_instances_paginator(Default::default())
        .page_size(5)
        .max_items(12)
        .items();
    let mut seen = Vec::new();
    while let Some(r) = first.next().await {
        seen.push(
            r.unwrap().instances.unwrap()[0]
                .instance_id
                .clone()
                .unwrap(),
        );
    }
    assert_eq!(seen.len(), 12);
    let token = first
        .resume_token()
        .expect("stopped mid-page, so there is a resume token");
    let rest: Vec<ec2::types::Reservation> = client
        .describe_instances_paginator(Default::default())
        .page_size(5)
        .starting_token(token)
        .items()
        .try_collect()
        .await
        .unwrap();
    seen.extend(
        rest.into_iter()
            .map(|r| r.instances.unwrap()[0].instance_id.clone().unwrap()),
    );
    let mut want = all.clone();
    want.sort();
    let mut got = seen.clone();
    got.sort();
    assert_eq!(got, want, "every instance exactly once across the two runs");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ec2_instance_waiters() {
    let moto = Moto::start();
    let client = ec2::Client::new(&moto.session());
    let id = run_one(&client).await;
    let running = client
        .wait_until_instance_running(ids(&id))
        .delay(FAST)
        .await
        .unwrap();
    let state = running.reservations.unwrap()[0].instances.as_ref().unwrap()[0]
        .state
        .as_ref()
        .and_then(|s| s.name.clone());
    assert_eq!(state, Some(ec2::types::InstanceStateName::Running));

    // Attempts exhausted: a running instance never becomes terminated by waiting.
    let err = client
        .wait_until_instance_terminated(ids(&id))
        .delay(FAST)
        .max_attempts(2)
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Waiter);
    assert_eq!(
        err.to_string(),
        boto3_waiter_error(&moto, "instance_terminated", &id, 2)
    );
    assert_eq!(
        err.to_string(),
        "Waiter InstanceTerminated failed: Max attempts exceeded"
    );

    client
        .stop_instances(ec2::types::StopInstancesRequest {
            instance_ids: Some(vec![id.clone()]),
            ..Default::default()
        })
        .await
        .unwrap();
    client
        .wait_until_instance_stopped(ids(&id))
        .delay(FAST)
        .await
        .unwrap();

    client
        .terminate_instances(ec2::types::TerminateInstancesRequest {
            instance_ids: Some(vec![id.clone()]),
            ..Default::default()
        })
        .await
        .unwrap();
    client
        .wait_until_instance_terminated(ids(&id))
        .delay(FAST)
        .await
        .unwrap();
    // Failure state: a terminated instance will never be running.
    let err = client
        .wait_until_instance_running(ids(&id))
        .delay(FAST)
        .await
        .unwrap_err();
    // What matched, in boto3's words.
    assert_eq!(
        err.to_string(),
        boto3_waiter_error(&moto, "instance_running", &id, 40)
    );
    assert_eq!(
        err.to_string(),
        "Waiter InstanceRunning failed: Waiter encountered a terminal failure state: For expression \"Reservations[].Instances[].State.Name\" we matched expected path: \"terminated\" at least once"
    );
    assert!(err
        .last_response_as::<ec2::types::DescribeInstancesResult>()
        .is_some());
}

/// The message of the `WaiterError` boto3 raises for `waiter` on instance `id`.
fn boto3_waiter_error(moto: &Moto, waiter: &str, id: &str, attempts: u32) -> String {
    boto_tests::oracle::python(&format!(
        "import boto3, botocore.exceptions\n\
         c = boto3.client('ec2', region_name='us-east-1', endpoint_url='{}', \
         aws_access_key_id='testing', aws_secret_access_key='testing')\n\
         try:\n    c.get_waiter('{waiter}').wait(InstanceIds=['{id}'], \
         WaiterConfig={{'Delay': 0, 'MaxAttempts': {attempts}}})\n    print('no error')\n\
         except botocore.exceptions.WaiterError as e:\n    print(str(e))\n",
        moto.url
    ))
    .trim()
    .to_string()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn dynamodb_scan_pages_and_table_exists() {
    use dynamodb::types::*;
    let moto = Moto::start();
    let client = dynamodb::Client::new(&moto.session());
    client
        .create_table(CreateTableInput {
            table_name: Some("scan-me".into()),
            key_schema: Some(vec![KeySchemaElement {
                attribute_name: Some("pk".into()),
                key_type: Some(KeyType::Hash),
            }]),
            attribute_definitions: Some(vec![AttributeDefinition {
                attribute_name: Some("pk".into()),
                attribute_type: Some(ScalarAttributeType::S),
            }]),
            billing_mode: Some(BillingMode::PayPerRequest),
            ..Default::default()
        })
        .await
        .unwrap();
    let table = client
        .wait_until_table_exists(DescribeTableInput {
            table_name: Some("scan-me".into()),
        })
        .delay(FAST)
        .await
        .unwrap();
    assert_eq!(table.table.unwrap().table_status, Some(TableStatus::Active));
    for i in 0..12 {
        client
            .put_item(PutItemInput {
                table_name: Some("scan-me".into()),
                item: Some(HashMap::from([(
                    "pk".to_string(),
                    AttributeValue::S(format!("item-{i:02}")),
                )])),
                ..Default::default()
            })
            .await
            .unwrap();
    }
    let pages: Vec<ScanOutput> = client
        .scan_paginator(ScanInput {
            table_name: Some("scan-me".into()),
            ..Default::default()
        })
        .page_size(5)
        .pages()
        .try_collect()
        .await
        .unwrap();
    let counts: Vec<i32> = pages.iter().map(|p| p.count.unwrap_or(0)).collect();
    assert_eq!(counts.iter().sum::<i32>(), 12);
    assert!(pages.len() >= 3, "{counts:?}");
    assert!(counts.iter().all(|&c| c <= 5), "{counts:?}");
    let mut keys: Vec<String> = pages
        .into_iter()
        .flat_map(|p| p.items.unwrap_or_default())
        .map(|i| match &i["pk"] {
            AttributeValue::S(s) => s.clone(),
            other => panic!("pk is not a string: {other:?}"),
        })
        .collect();
    keys.sort();
    keys.dedup();
    assert_eq!(keys.len(), 12);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn s3_listing_paginators_and_waiters() {
    let moto = Moto::start();
    let client = s3::Client::new(&moto.session());
    client
        .create_bucket(s3::types::CreateBucketRequest {
            bucket: Some("pages".into()),
            ..Default::default()
        })
        .await
        .unwrap();
    client
        .wait_until_bucket_exists(s3::types::HeadBucketRequest {
            bucket: Some("pages".into()),
            ..Default::default()
        })
        .delay(FAST)
        .await
        .unwrap();
    let keys: Vec<String> = (0..7).map(|i| format!("k/{i} +%.txt")).collect();
    for k in &keys {
        client
            .put_object(s3::types::PutObjectRequest {
                bucket: Some("pages".into()),
                key: Some(k.clone()),
                body: Some(boto_runtime::ByteStream::from("x")),
                ..Default::default()
            })
            .await
            .unwrap();
    }
    client
        .wait_until_object_exists(s3::types::HeadObjectRequest {
            bucket: Some("pages".into()),
            key: Some(keys[6].clone()),
            ..Default::default()
        })
        .delay(FAST)
        .await
        .unwrap();
    let err = client
        .wait_until_object_exists(s3::types::HeadObjectRequest {
            bucket: Some("pages".into()),
            key: Some("never".into()),
            ..Default::default()
        })
        .delay(FAST)
        .max_attempts(2)
        .await
        .unwrap_err();
    assert!(err.to_string().contains("ObjectExists"), "{err}");

    // v1: the marker is `NextMarker || Contents[-1].Key`.
    let pages: Vec<s3::types::ListObjectsOutput> = client
        .list_objects_paginator(s3::types::ListObjectsRequest {
            bucket: Some("pages".into()),
            ..Default::default()
        })
        .page_size(3)
        .pages()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(pages.len(), 3);
    let v1: Vec<String> = pages
        .into_iter()
        .flat_map(|p| p.contents.unwrap_or_default())
        .filter_map(|o| o.key)
        .collect();
    let mut want = keys.clone();
    want.sort();
    assert_eq!(v1, want);

    let v2: Vec<String> = client
        .list_objects_v2_paginator(s3::types::ListObjectsV2Request {
            bucket: Some("pages".into()),
            ..Default::default()
        })
        .page_size(2)
        .max_items(5)
        .items()
        .map_ok(|o| o.key.unwrap_or_default())
        .try_collect()
        .await
        .unwrap();
    assert_eq!(v2, want[..5]);
}

/// A plain function (no `#[tokio::main]`, no runtime of its own) drives ec2 through `.wait()`
/// and `.wait_iter()`: instances run, a paginated listing, a waiter, resource attributes, and a
/// collection with a batch action.
#[test]
fn a_plain_fn_drives_ec2_without_async() {
    use boto_runtime::blocking::*;
    use ec2::types::{DescribeInstancesRequest, InstanceStateName, RunInstancesRequest};
    let moto = Moto::start();
    let session = moto.session();
    let client = ec2::Client::new(&session);
    let ec2r = ec2::ServiceResource::new(&session);
    let mut ids: Vec<String> = (0..6)
        .map(|_| {
            let out = client
                .run_instances(RunInstancesRequest {
                    image_id: Some("ami-12c6146b".into()),
                    min_count: Some(1),
                    max_count: Some(1),
                    ..Default::default()
                })
                .wait()
                .unwrap();
            out.instances.unwrap()[0].instance_id.clone().unwrap()
        })
        .collect();
    ids.sort();
    // A paginated listing, five reservations a page.
    let mut listed: Vec<String> = client
        .describe_instances_paginator(Default::default())
        .page_size(5)
        .items()
        .wait_iter()
        .map(|r| {
            r.unwrap().instances.unwrap()[0]
                .instance_id
                .clone()
                .unwrap()
        })
        .collect();
    listed.sort();
    assert_eq!(listed, ids);
    let pages = client
        .describe_instances_paginator(Default::default())
        .page_size(5)
        .pages()
        .wait_iter()
        .count();
    assert_eq!(pages, 2);
    // A waiter.
    let running = client
        .wait_until_instance_running(DescribeInstancesRequest {
            instance_ids: Some(vec![ids[0].clone()]),
            ..Default::default()
        })
        .delay(FAST)
        .wait()
        .unwrap();
    assert_eq!(running.reservations.map(|r| r.len()), Some(1));
    // A resource attribute (loaded on first use).
    let first = ec2r.instance(&ids[0]);
    let state = first.state().wait().unwrap().and_then(|s| s.name);
    assert_eq!(state, Some(InstanceStateName::Running));
    // A collection and its batch action.
    let mine = || {
        ec2r.instances().filter(DescribeInstancesRequest {
            instance_ids: Some(ids.clone()),
            ..Default::default()
        })
    };
    let stopped = mine().stop(Default::default()).wait().unwrap();
    assert_eq!(stopped.len(), 1, "one StopInstances call for the six");
    // The collection's pages, and its items' count across them.
    let in_pages: usize = (mine().pages().wait_iter())
        .map(|page| page.unwrap().len())
        .sum();
    assert_eq!(in_pages, 6);
    // Presigning, which sends nothing.
    let presigned = client
        .presign(
            ec2::types::DescribeRegionsRequest::default(),
            std::time::Duration::from_secs(60),
        )
        .wait()
        .unwrap();
    assert!(
        presigned.url.starts_with(&moto.url)
            && presigned.url.contains("Action=DescribeRegions")
            && presigned.url.contains("X-Amz-Signature="),
        "{}",
        presigned.url
    );
    for inst in mine().stream().wait_iter() {
        let inst = inst.unwrap();
        inst.reload().wait().unwrap();
        let state = inst.state().wait().unwrap().and_then(|s| s.name);
        assert_eq!(state, Some(InstanceStateName::Stopped), "{}", inst.id());
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn wait_inside_a_runtime_is_an_error_that_says_to_await() {
    use boto_runtime::blocking::*;
    let server = boto_tests::CannedServer::start(200, b"<DescribeRegionsResponse/>".to_vec());
    let client = ec2::Client::new(&server.session());
    let err = client
        .describe_regions(Default::default())
        .wait()
        .unwrap_err();
    assert!(err.to_string().contains("`.await` it instead"), "{err}");
    assert_eq!(server.requests(), 0, "nothing was sent");
    // The same from a task, and from a stream.
    let err = tokio::spawn(async {
        async { Ok::<_, boto_runtime::Error>(()) }
            .wait()
            .unwrap_err()
    })
    .await
    .unwrap();
    assert!(err.to_string().contains("`.await` it instead"), "{err}");
    let mut items = client
        .describe_instances_paginator(Default::default())
        .items()
        .wait_iter();
    assert!(items.next().unwrap().is_err());
    assert!(items.next().is_none());
    // `.await` works as ever.
    client.describe_regions(Default::default()).await.unwrap();
}

#[test]
fn threads_waiting_at_once_share_one_connection_pool() {
    use boto_runtime::blocking::*;
    let server = boto_tests::CannedServer::start(200, b"<DescribeRegionsResponse/>".to_vec());
    let client = ec2::Client::new(&server.session());
    // One call first, so the pool holds a connection; then calls from eight threads in turn,
    // each of which finds it there.
    client.describe_regions(Default::default()).wait().unwrap();
    for _ in 0..8 {
        let c = client.clone();
        std::thread::spawn(move || c.describe_regions(Default::default()).wait())
            .join()
            .unwrap()
            .unwrap();
    }
    assert_eq!(server.requests(), 9);
    assert_eq!(
        server.connections(),
        1,
        "every thread's call used the one connection"
    );
    // At once: eight calls in flight need up to eight connections (nine in all, if the pooled
    // one is not back in the pool yet when they start).
    let burst = || {
        let threads: Vec<_> = (0..8)
            .map(|_| {
                let c = client.clone();
                std::thread::spawn(move || c.describe_regions(Default::default()).wait())
            })
            .collect();
        for t in threads {
            t.join().unwrap().unwrap();
        }
    };
    burst();
    assert_eq!(server.requests(), 17);
    let after_first = server.connections();
    assert!(
        after_first <= 9,
        "{after_first} connections for 9 + 8 calls"
    );
    // Again, from eight new threads: the connections the last ones left are taken again (a pool
    // per thread would open eight).
    burst();
    assert_eq!(server.requests(), 25);
    let opened = server.connections() - after_first;
    assert!(
        opened < 8,
        "eight new threads opened {opened} connections beside the {after_first} in the pool"
    );
}
