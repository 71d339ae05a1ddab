//! boto3's resource layer against moto's server: identifiers, lazily loaded attributes, load and
//! reload, actions that return resources with data, and subresources.

use boto_runtime::{ByteStream, ErrorKind};
use boto_tests::Moto;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ec2_instances_as_resources() {
    let moto = Moto::start();
    let ec2r = ec2::ServiceResource::new(&moto.session());
    let created: Vec<ec2::resource::Instance> = ec2r
        .create_instances(ec2::types::RunInstancesRequest {
            image_id: Some("ami-12c6146b".into()),
            min_count: Some(2),
            max_count: Some(2),
            instance_type: Some(ec2::types::InstanceType::T2Micro),
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(created.len(), 2);
    let inst = &created[0];
    assert!(inst.id().starts_with("i-"));
    // Data came with the response: these need no request.
    assert_eq!(
        inst.instance_type().await.unwrap(),
        Some(ec2::types::InstanceType::T2Micro)
    );
    assert_eq!(
        inst.instance_id().await.unwrap().as_deref(),
        Some(inst.id())
    );
    assert_eq!(
        inst.image_id().await.unwrap().as_deref(),
        Some("ami-12c6146b")
    );

    // An action clears the data; the next attribute reloads.
    inst.stop(Default::default()).await.unwrap();
    let state = inst.state().await.unwrap().and_then(|s| s.name);
    assert_eq!(state, Some(ec2::types::InstanceStateName::Stopped));
    inst.start(Default::default()).await.unwrap();
    inst.reload().await.unwrap();
    let state = inst.state().await.unwrap().and_then(|s| s.name);
    assert_eq!(state, Some(ec2::types::InstanceStateName::Running));

    // A resource built from an id loads on first use.
    let other = ec2r.instance(created[1].id());
    assert_eq!(other, created[1]);
    assert!(other
        .private_ip_address()
        .await
        .unwrap()
        .is_some_and(|ip| ip.contains('.')));

    // A load that finds nothing is a clear error (boto3 crashes on the attribute access).
    let missing = ec2r.instance("i-00000000000000000");
    let err = missing.state().await.unwrap_err();
    assert!(
        err.code() == Some("InvalidInstanceID.NotFound")
            || err.to_string().contains("was not found"),
        "{err}"
    );

    // Actions returning resources: an image from an instance.
    let image = inst
        .create_image(ec2::types::CreateImageRequest {
            name: Some("from-resource".into()),
            ..Default::default()
        })
        .await
        .unwrap();
    assert!(image.id().starts_with("ami-"));
    assert_eq!(
        image.name().await.unwrap().as_deref(),
        Some("from-resource")
    );
    inst.terminate(Default::default()).await.unwrap();
    let state = inst.state().await.unwrap().and_then(|s| s.name);
    assert_eq!(state, Some(ec2::types::InstanceStateName::Terminated));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn s3_buckets_and_objects_as_resources() {
    let moto = Moto::start();
    let s3r = s3::ServiceResource::new(&moto.session());
    let bucket = s3r.bucket("res-bucket");
    assert_eq!(bucket.name(), "res-bucket");
    bucket.create(Default::default()).await.unwrap();
    let obj = bucket
        .put_object(s3::types::PutObjectRequest {
            key: Some("dir/a b.txt".into()),
            body: Some(ByteStream::from("hello resources")),
            content_type: Some("text/plain".into()),
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(
        (obj.bucket_name(), obj.key()),
        ("res-bucket", "dir/a b.txt")
    );
    // Object attributes load through HeadObject.
    assert_eq!(obj.content_length().await.unwrap(), Some(15));
    assert_eq!(
        obj.content_type().await.unwrap().as_deref(),
        Some("text/plain")
    );
    let same = s3r.object("res-bucket", "dir/a b.txt");
    assert_eq!(same, obj);
    let got = same.get(Default::default()).await.unwrap();
    assert_eq!(&got.body.collect().await.unwrap()[..], b"hello resources");
    obj.delete(Default::default()).await.unwrap();
    let err = s3r
        .object("res-bucket", "dir/a b.txt")
        .content_length()
        .await
        .unwrap_err();
    assert_eq!(err.status(), Some(404), "{err}");
    assert_ne!(err.kind(), ErrorKind::Validation);
}

/// Collections, references, batch actions, waiters, tags, subnets, volumes, snapshots and
/// security groups; the collection results are checked against boto3 on the same server.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ec2_collections_references_batches_and_waiters() {
    use futures::TryStreamExt;
    let moto = Moto::start();
    let ec2r = ec2::ServiceResource::new(&moto.session());
    let vpc = ec2r
        .create_vpc(ec2::types::CreateVpcRequest {
            cidr_block: Some("10.7.0.0/16".into()),
            ..Default::default()
        })
        .await
        .unwrap();
    let subnet = vpc
        .create_subnet(ec2::types::CreateSubnetRequest {
            cidr_block: Some("10.7.1.0/24".into()),
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(subnet.vpc_id().await.unwrap().as_deref(), Some(vpc.id()));
    let sg = vpc
        .create_security_group(ec2::types::CreateSecurityGroupRequest {
            group_name: Some("res-sg".into()),
            description: Some("resource test".into()),
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(sg.group_name().await.unwrap().as_deref(), Some("res-sg"));
    sg.authorize_ingress(ec2::types::AuthorizeSecurityGroupIngressRequest {
        ip_protocol: Some("tcp".into()),
        from_port: Some(22),
        to_port: Some(22),
        cidr_ip: Some("10.0.0.0/8".into()),
        ..Default::default()
    })
    .await
    .unwrap();
    let perms = sg.ip_permissions().await.unwrap().unwrap_or_default();
    assert_eq!(perms.len(), 1);
    assert_eq!(perms[0].from_port, Some(22));

    // Seven instances in the subnet: the subnet's collection and the reference back to the vpc.
    let made = subnet
        .create_instances(ec2::types::RunInstancesRequest {
            image_id: Some("ami-12c6146b".into()),
            min_count: Some(7),
            max_count: Some(7),
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(made.len(), 7);
    let inst = made[0].clone();
    assert_eq!(inst.vpc().await.unwrap(), Some(vpc.clone()));
    assert_eq!(inst.subnet().await.unwrap(), Some(subnet.clone()));
    let in_subnet: Vec<ec2::resource::Instance> =
        subnet.instances().stream().try_collect().await.unwrap();
    assert_eq!(in_subnet.len(), 7);

    // filter + limit + page_size, page by page; boto3 on the same server gives the same ids.
    let filtered = || {
        ec2r.instances()
            .filter(ec2::types::DescribeInstancesRequest {
                filters: Some(vec![ec2::types::Filter {
                    name: Some("subnet-id".into()),
                    values: Some(vec![subnet.id().to_string()]),
                }]),
                ..Default::default()
            })
            .page_size(5)
    };
    let pages: Vec<Vec<ec2::resource::Instance>> =
        filtered().limit(6).pages().try_collect().await.unwrap();
    let sizes: Vec<usize> = pages.iter().map(Vec::len).collect();
    assert_eq!(sizes.iter().sum::<usize>(), 6, "{sizes:?}");
    let ours: Vec<String> = pages.concat().iter().map(|i| i.id().to_string()).collect();
    let theirs = moto.boto3(&format!(
        "ec2 = session.resource('ec2', endpoint_url=url)\n\
         c = ec2.instances.filter(Filters=[{{'Name': 'subnet-id', 'Values': ['{}']}}]).page_size(5).limit(6)\n\
         print(json.dumps([i.id for i in c]))",
        subnet.id()
    ));
    assert_eq!(serde_json::json!(ours), theirs);
    let all: Vec<ec2::resource::Instance> = filtered().stream().try_collect().await.unwrap();
    assert_eq!(all.len(), 7);
    // Items of a page come with their data: no further request for an attribute.
    assert_eq!(
        all[0].subnet_id().await.unwrap().as_deref(),
        Some(subnet.id())
    );

    // Tags: create_tags on the service returns one Tag per resource and tag, delete_tags on the
    // instance removes them.
    let tags = ec2r
        .create_tags(ec2::types::CreateTagsRequest {
            resources: Some(vec![made[1].id().to_string(), made[2].id().to_string()]),
            tags: Some(vec![
                ec2::types::Tag {
                    key: Some("team".into()),
                    value: Some("storage".into()),
                },
                ec2::types::Tag {
                    key: Some("env".into()),
                    value: Some("test".into()),
                },
            ]),
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(tags.len(), 4);
    assert_eq!(
        (tags[0].resource_id(), tags[0].key(), tags[0].value()),
        (made[1].id(), "team", "storage")
    );
    assert_eq!(tags[3].resource_id(), made[2].id());
    let team = |i: &ec2::resource::Instance| {
        let i = i.clone();
        async move {
            i.reload().await.unwrap();
            i.tags()
                .await
                .unwrap()
                .unwrap_or_default()
                .into_iter()
                .filter(|t| t.key.as_deref() == Some("team"))
                .count()
        }
    };
    assert_eq!(team(&made[1]).await, 1);
    made[1]
        .delete_tags(ec2::types::DeleteTagsRequest {
            tags: Some(vec![ec2::types::Tag {
                key: Some("team".into()),
                ..Default::default()
            }]),
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(team(&made[1]).await, 0);
    assert_eq!(team(&made[2]).await, 1);

    // Volumes and snapshots.
    let volume = ec2r
        .create_volume(ec2::types::CreateVolumeRequest {
            availability_zone: Some("us-east-1a".into()),
            size: Some(8),
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(volume.size().await.unwrap(), Some(8));
    let snap = volume
        .create_snapshot(ec2::types::CreateSnapshotRequest {
            description: Some("res snap".into()),
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(snap.volume().await.unwrap(), Some(volume.clone()));
    snap.wait_until_completed()
        .delay(std::time::Duration::from_millis(50))
        .await
        .unwrap();
    let snaps: Vec<ec2::resource::Snapshot> =
        volume.snapshots().stream().try_collect().await.unwrap();
    assert_eq!(snaps, vec![snap.clone()]);

    // A batch action: one TerminateInstances for the page of the filtered collection, then the
    // resource waiter.
    let pages: Vec<Vec<ec2::resource::Instance>> = filtered().pages().try_collect().await.unwrap();
    let sent = filtered().terminate(Default::default()).await.unwrap();
    assert_eq!(sent.len(), pages.len(), "one request per page");
    let changes: usize = sent
        .iter()
        .map(|o| o.terminating_instances.as_ref().map_or(0, Vec::len))
        .sum();
    assert_eq!(changes, 7);
    inst.wait_until_terminated()
        .delay(std::time::Duration::from_millis(50))
        .await
        .unwrap();
    // As in boto3, a waiter leaves the cached data alone: the state is still the one the
    // create call returned until the instance is reloaded.
    let state = inst.state().await.unwrap().and_then(|s| s.name);
    assert_eq!(state, Some(ec2::types::InstanceStateName::Pending));
    inst.reload().await.unwrap();
    let state = inst.state().await.unwrap().and_then(|s| s.name);
    assert_eq!(state, Some(ec2::types::InstanceStateName::Terminated));
}

/// s3: Bucket.load and ObjectSummary.load (boto3's hand-written loads), the objects collection
/// with a prefix filter and limit, and the batch delete.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn s3_collections_and_batch_delete() {
    use futures::TryStreamExt;
    let moto = Moto::start();
    let s3r = s3::ServiceResource::new(&moto.session());
    let bucket = s3r
        .create_bucket(s3::types::CreateBucketRequest {
            bucket: Some("coll-bucket".into()),
            ..Default::default()
        })
        .await
        .unwrap();
    // Bucket has no load in the model: boto3 finds it in ListBuckets, and a bucket that is not
    // listed (another account's) gets empty data rather than an error.
    assert!(bucket.creation_date().await.unwrap().is_some());
    let missing = s3r.bucket("no-such-bucket");
    assert_eq!(missing.creation_date().await.unwrap(), None);
    for i in 0..25 {
        let key = if i % 5 == 0 {
            format!("logs/{i:02}")
        } else {
            format!("data/{i:02}")
        };
        bucket
            .put_object(s3::types::PutObjectRequest {
                key: Some(key),
                body: Some(ByteStream::from(vec![b'x'; i + 1])),
                ..Default::default()
            })
            .await
            .unwrap();
    }
    let buckets: Vec<s3::resource::Bucket> = s3r.buckets().stream().try_collect().await.unwrap();
    assert_eq!(buckets, vec![bucket.clone()]);
    let logs: Vec<s3::resource::ObjectSummary> = bucket
        .objects()
        .filter(s3::types::ListObjectsRequest {
            prefix: Some("logs/".into()),
            ..Default::default()
        })
        .stream()
        .try_collect()
        .await
        .unwrap();
    let keys: Vec<&str> = logs.iter().map(|o| o.key()).collect();
    assert_eq!(
        keys,
        ["logs/00", "logs/05", "logs/10", "logs/15", "logs/20"]
    );
    // Summaries carry their listing data.
    assert_eq!(logs[2].size().await.unwrap(), Some(11));
    // ObjectSummary.load: HeadObject, with ContentLength as Size.
    let summary = s3r.object_summary("coll-bucket", "data/03");
    assert_eq!(summary.size().await.unwrap(), Some(4));
    assert!(summary.e_tag().await.unwrap().is_some());

    let pages: Vec<Vec<s3::resource::ObjectSummary>> = bucket
        .objects()
        .page_size(10)
        .limit(23)
        .pages()
        .try_collect()
        .await
        .unwrap();
    let sizes: Vec<usize> = pages.iter().map(Vec::len).collect();
    assert_eq!(sizes, [10, 10, 3]);

    // Batch delete: one DeleteObjects per page of 10, the keys in Delete.Objects[*].Key.
    let out = bucket
        .objects()
        .filter(s3::types::ListObjectsRequest {
            prefix: Some("data/".into()),
            ..Default::default()
        })
        .page_size(10)
        .delete(Default::default())
        .await
        .unwrap();
    assert_eq!(out.len(), 2);
    let deleted: usize = out
        .iter()
        .map(|o| o.deleted.as_ref().map_or(0, Vec::len))
        .sum();
    assert_eq!(deleted, 20);
    let left: Vec<s3::resource::ObjectSummary> =
        bucket.objects().stream().try_collect().await.unwrap();
    assert_eq!(left.len(), 5);
    bucket
        .wait_until_exists()
        .delay(std::time::Duration::from_millis(50))
        .await
        .unwrap();

    // Versions and delete markers: both become ObjectVersion resources with their data (delete
    // markers are another shape, carried over member by member as boto3 keeps the dict).
    bucket
        .versioning()
        .enable(Default::default())
        .await
        .unwrap();
    assert_eq!(
        bucket.versioning().status().await.unwrap(),
        Some(s3::types::BucketVersioningStatus::Enabled)
    );
    for body in ["v1", "v2"] {
        bucket
            .put_object(s3::types::PutObjectRequest {
                key: Some("versioned".into()),
                body: Some(ByteStream::from(body)),
                ..Default::default()
            })
            .await
            .unwrap();
    }
    s3r.object("coll-bucket", "versioned")
        .delete(Default::default())
        .await
        .unwrap();
    let versions: Vec<s3::resource::ObjectVersion> = bucket
        .object_versions()
        .filter(s3::types::ListObjectVersionsRequest {
            prefix: Some("versioned".into()),
            ..Default::default()
        })
        .stream()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(versions.len(), 3);
    let mut latest = Vec::new();
    for v in &versions {
        assert_eq!(v.key().await.unwrap().as_deref(), Some("versioned"));
        if v.is_latest().await.unwrap() == Some(true) {
            latest.push(v.size().await.unwrap());
        }
    }
    // The latest is the delete marker: it has no size.
    assert_eq!(latest, [None]);
    // Emptying a versioned bucket: the versions collection's batch delete sends every key with
    // its version id (`Delete.Objects[*].Key`, `Delete.Objects[*].VersionId`).
    let sent = bucket
        .object_versions()
        .delete(Default::default())
        .await
        .unwrap();
    let deleted: usize = sent
        .iter()
        .map(|o| o.deleted.as_ref().map_or(0, Vec::len))
        .sum();
    assert_eq!(deleted, 5 + 3);
    let left: Vec<s3::resource::ObjectVersion> = bucket
        .object_versions()
        .stream()
        .try_collect()
        .await
        .unwrap();
    assert!(left.is_empty());
    bucket.delete(Default::default()).await.unwrap();
    bucket
        .wait_until_not_exists()
        .delay(std::time::Duration::from_millis(50))
        .await
        .unwrap();
}

/// boto3's transfer helpers: a multipart-sized file goes up in parts and comes down in ranged
/// parts, byte for byte, with progress reported; a small one goes in one request.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn s3_upload_and_download_file() {
    use boto_runtime::transfer::TransferConfig;
    use std::sync::atomic::{AtomicU64, Ordering};
    use std::sync::Arc;
    let moto = Moto::start();
    let s3r = s3::ServiceResource::new(&moto.session());
    let bucket = s3r
        .create_bucket(s3::types::CreateBucketRequest {
            bucket: Some("transfer-bucket".into()),
            ..Default::default()
        })
        .await
        .unwrap();
    let dir = std::env::temp_dir().join(format!("boto-transfer-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let big = dir.join("big.bin");
    let size = 12 * 1024 * 1024 + 12345;
    let data: Vec<u8> = (0..size).map(|i| (i * 31 % 251) as u8).collect();
    std::fs::write(&big, &data).unwrap();

    let sent = Arc::new(AtomicU64::new(0));
    let counter = sent.clone();
    let config = TransferConfig::default()
        .multipart_chunksize(5 * 1024 * 1024)
        .max_concurrency(2)
        .progress(move |n| {
            counter.fetch_add(n, Ordering::Relaxed);
        });
    let obj = bucket.object("dir/big.bin");
    obj.upload_file(&big, &config).await.unwrap();
    assert_eq!(sent.load(Ordering::Relaxed), size as u64);
    // Three parts: S3 (and moto) mark a multipart object's ETag with the part count.
    let etag = obj.e_tag().await.unwrap().unwrap();
    assert!(etag.trim_matches('"').ends_with("-3"), "{etag}");
    assert_eq!(obj.content_length().await.unwrap(), Some(size as i64));

    let received = Arc::new(AtomicU64::new(0));
    let counter = received.clone();
    let config = config.progress(move |n| {
        counter.fetch_add(n, Ordering::Relaxed);
    });
    let back = dir.join("back.bin");
    bucket
        .download_file("dir/big.bin", &back, &config)
        .await
        .unwrap();
    assert_eq!(received.load(Ordering::Relaxed), size as u64);
    assert!(
        std::fs::read(&back).unwrap() == data,
        "downloaded bytes differ"
    );

    // A small file: one PutObject, one GetObject.
    let small = dir.join("small.txt");
    std::fs::write(&small, b"small file").unwrap();
    bucket
        .upload_file(&small, "small.txt", &TransferConfig::default())
        .await
        .unwrap();
    let etag = s3r
        .object("transfer-bucket", "small.txt")
        .e_tag()
        .await
        .unwrap()
        .unwrap();
    assert!(!etag.contains('-'), "{etag}");
    let small_back = dir.join("small-back.txt");
    s3r.object_summary("transfer-bucket", "small.txt")
        .download_file(&small_back, &TransferConfig::default())
        .await
        .unwrap();
    assert_eq!(std::fs::read(&small_back).unwrap(), b"small file");

    // A multipart upload by hand through the resources: the part's number is an integer
    // identifier.
    let mpu = bucket
        .object("manual.bin")
        .initiate_multipart_upload(Default::default())
        .await
        .unwrap();
    let part = mpu.part("1");
    let sent = part
        .upload(s3::types::UploadPartRequest {
            body: Some(ByteStream::from(vec![7u8; 5 * 1024 * 1024])),
            ..Default::default()
        })
        .await
        .unwrap();
    let done = mpu
        .complete(s3::types::CompleteMultipartUploadRequest {
            multipart_upload: Some(s3::types::CompletedMultipartUpload {
                parts: Some(vec![s3::types::CompletedPart {
                    e_tag: sent.e_tag,
                    part_number: Some(1),
                    ..Default::default()
                }]),
            }),
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(done.key(), "manual.bin");
    assert_eq!(done.content_length().await.unwrap(), Some(5 * 1024 * 1024));

    // A missing object: a clear error and no file left behind.
    let none = dir.join("none.bin");
    let err = bucket
        .download_file("missing", &none, &TransferConfig::default())
        .await
        .unwrap_err();
    assert_eq!(err.status(), Some(404), "{err}");
    assert!(!none.exists());
    assert_eq!(
        std::fs::read_dir(&dir).unwrap().count(),
        4,
        "no partial files left"
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

/// A reader that gives its bytes a few at a time, as a socket or a pipe does.
struct Trickle {
    data: Vec<u8>,
    at: usize,
}

impl tokio::io::AsyncRead for Trickle {
    fn poll_read(
        mut self: std::pin::Pin<&mut Self>,
        _: &mut std::task::Context<'_>,
        buf: &mut tokio::io::ReadBuf<'_>,
    ) -> std::task::Poll<std::io::Result<()>> {
        let n = (self.data.len() - self.at)
            .min(buf.remaining())
            .min(100_003);
        let at = self.at;
        buf.put_slice(&self.data[at..at + n]);
        self.at += n;
        std::task::Poll::Ready(Ok(()))
    }
}

/// boto3's view of `key` in `fileobj-bucket`: whether it has a SHA256 checksum, and its size.
fn sha256_and_size(moto: &Moto, key: &str) -> serde_json::Value {
    let script = format!(
        "import json, os, boto3\n\
         c = boto3.client('s3', endpoint_url=os.environ['URL'], region_name='us-east-1',\n\
         \x20   aws_access_key_id='testing', aws_secret_access_key='testing')\n\
         a = c.get_object_attributes(Bucket='fileobj-bucket', Key='{key}',\n\
         \x20   ObjectAttributes=['ObjectSize', 'Checksum'])\n\
         print(json.dumps(['ChecksumSHA256' in a.get('Checksum', {{}}), a['ObjectSize']]))"
    );
    let out = boto_tests::oracle::python_with_env(&script, &[("URL", &moto.url)]);
    serde_json::from_str(&out).unwrap()
}

/// boto3's `upload_fileobj`, `download_fileobj` and managed `copy`: a 30 MiB reader goes up in
/// parts and a small one in one request, objects come down into a `Vec` in order, and a 20 MiB
/// copy (in parts) and a small one keep the source's metadata and tags, as boto3 reads them.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn s3_fileobj_transfers_and_managed_copy() {
    use boto_runtime::transfer::{CopySource, TransferConfig};
    use boto_tests::oracle::python_with_env;
    use std::sync::atomic::{AtomicU64, Ordering};
    use std::sync::Arc;
    const MIB: usize = 1024 * 1024;
    let moto = Moto::start();
    let s3r = s3::ServiceResource::new(&moto.session());
    let bucket = s3r
        .create_bucket(boto_runtime::input!(s3::types::CreateBucketRequest {
            bucket: "fileobj-bucket"
        }))
        .await
        .unwrap();
    let size = 30 * MIB + 7;
    let data: Vec<u8> = (0..size).map(|i| (i * 7 % 253) as u8).collect();
    let sent = Arc::new(AtomicU64::new(0));
    let counter = sent.clone();
    // boto3's `ExtraArgs` go to the multipart upload's `CreateMultipartUpload`.
    let config = TransferConfig::default()
        .max_concurrency(3)
        .extra_arg("ContentType", "application/x-big")
        .extra_arg("Metadata", serde_json::json!({"kind": "big"}))
        .progress(move |n| {
            counter.fetch_add(n, Ordering::Relaxed);
        });
    let reader = Trickle {
        data: data.clone(),
        at: 0,
    };
    bucket
        .upload_fileobj(reader, "big.bin", &config)
        .await
        .unwrap();
    assert_eq!(sent.load(Ordering::Relaxed), size as u64);
    let big = bucket.object("big.bin");
    // 8 MiB parts by default: four of them.
    let etag = big.e_tag().await.unwrap().unwrap();
    assert!(etag.trim_matches('"').ends_with("-4"), "{etag}");

    let small = s3r.object("fileobj-bucket", "small.txt");
    let typed = TransferConfig::default().extra_arg("ContentType", "text/x-small");
    small
        .upload_fileobj(&b"a small reader"[..], &typed)
        .await
        .unwrap();
    let etag = small.e_tag().await.unwrap().unwrap();
    assert!(!etag.contains('-'), "{etag}");
    let script = "import json, os, boto3\n\
        c = boto3.client('s3', endpoint_url=os.environ['URL'], region_name='us-east-1',\n\
        \x20   aws_access_key_id='testing', aws_secret_access_key='testing')\n\
        hs = [c.head_object(Bucket='fileobj-bucket', Key=k) for k in ['big.bin', 'small.txt']]\n\
        print(json.dumps([[h['ContentType'], h['Metadata']] for h in hs]))";
    let seen: serde_json::Value =
        serde_json::from_str(&python_with_env(script, &[("URL", &moto.url)])).unwrap();
    assert_eq!(
        seen,
        serde_json::json!([["application/x-big", {"kind": "big"}], ["text/x-small", {}]])
    );
    // Parts checksummed with the algorithm the extra arguments name, listed at completion.
    let sha = TransferConfig::default().extra_arg("ChecksumAlgorithm", "SHA256");
    bucket
        .upload_fileobj(&data[..10 * MIB], "sha.bin", &sha)
        .await
        .unwrap();
    assert_eq!(
        sha256_and_size(&moto, "sha.bin"),
        serde_json::json!([true, 10 * MIB])
    );
    let etag = bucket.object("sha.bin").e_tag().await.unwrap().unwrap();
    assert!(etag.trim_matches('"').ends_with("-2"), "{etag}");
    // A name boto3 would refuse is an error naming it, before anything is sent.
    let err = small
        .upload_fileobj(
            &b"x"[..],
            &TransferConfig::default().extra_arg("Bucket", "other"),
        )
        .await
        .unwrap_err();
    assert_eq!(err.kind(), boto_runtime::ErrorKind::Validation);
    assert!(
        err.to_string().contains("no extra argument `Bucket`"),
        "{err}"
    );

    // Down into a Vec, in order, ranged in parts and whole.
    let back = big
        .download_fileobj(Vec::new(), &TransferConfig::default().max_concurrency(4))
        .await
        .unwrap();
    assert!(back == data, "downloaded bytes differ");
    let back = bucket
        .download_fileobj("small.txt", Vec::new(), &TransferConfig::default())
        .await
        .unwrap();
    assert_eq!(back, b"a small reader");
    let err = bucket
        .download_fileobj("missing", Vec::new(), &TransferConfig::default())
        .await
        .unwrap_err();
    assert_eq!(err.status(), Some(404), "{err}");
    // Lent, not given: a reader borrowed from a local buffer, a writer borrowed from a local Vec.
    let local = format!("{} bytes of a local buffer", data.len()).into_bytes();
    let mut reader = std::io::Cursor::new(&local[..]);
    bucket
        .upload_fileobj(&mut reader, "lent.txt", &TransferConfig::default())
        .await
        .unwrap();
    assert_eq!(reader.position(), local.len() as u64, "read to its end");
    let mut into = b"kept: ".to_vec();
    bucket
        .download_fileobj("lent.txt", &mut into, &TransferConfig::default())
        .await
        .unwrap();
    assert_eq!(into, [&b"kept: "[..], &local].concat());
    // A download's extra arguments reach its requests: an earlier version, by `VersionId`.
    let versioned = s3::Client::new(&moto.session());
    versioned
        .put_bucket_versioning(boto_runtime::input!(s3::types::PutBucketVersioningRequest {
            bucket: "fileobj-bucket",
            versioning_configuration: { status: "Enabled" },
        }))
        .await
        .unwrap();
    // (The later version is the larger: a `HeadObject` without the version would see its size
    // and ETag, and the download would fail.)
    let mut versions = Vec::new();
    for body in [b"first".to_vec(), vec![b'2'; 9 * MIB]] {
        let out = versioned
            .put_object(boto_runtime::input!(s3::types::PutObjectRequest {
                bucket: "fileobj-bucket",
                key: "versions.txt",
                body: body,
            }))
            .await
            .unwrap();
        versions.push(out.version_id.clone().unwrap());
    }
    let first = TransferConfig::default().extra_arg("VersionId", versions[0].as_str());
    let back = bucket
        .download_fileobj("versions.txt", Vec::new(), &first)
        .await
        .unwrap();
    assert_eq!(back, b"first");

    // Managed copies keep metadata, content type and tags, in parts and in one request.
    let client = s3::Client::new(&moto.session());
    for (key, len) in [("src-big", 20 * MIB), ("src-small", 1000)] {
        client
            .put_object(boto_runtime::input!(s3::types::PutObjectRequest {
                bucket: "fileobj-bucket",
                key: key,
                body: vec![b'z'; len],
                metadata: { "colour": "teal", "n": "1" },
                content_type: "text/plain",
                tagging: "team=data&tier=gold",
            }))
            .await
            .unwrap();
    }
    let copied = Arc::new(AtomicU64::new(0));
    let counter = copied.clone();
    let config = TransferConfig::default().progress(move |n| {
        counter.fetch_add(n, Ordering::Relaxed);
    });
    bucket
        .copy(("fileobj-bucket", "src-big"), "dst-big", &config)
        .await
        .unwrap();
    assert_eq!(copied.load(Ordering::Relaxed), 20 * MIB as u64);
    s3r.object("fileobj-bucket", "dst-small")
        .copy(CopySource::new("fileobj-bucket", "src-small"), &config)
        .await
        .unwrap();
    let script = "import json, os, boto3\n\
        c = boto3.client('s3', endpoint_url=os.environ['URL'], region_name='us-east-1',\n\
        \x20   aws_access_key_id='testing', aws_secret_access_key='testing')\n\
        out = {}\n\
        for key in ['dst-big', 'dst-small']:\n\
        \x20   h = c.head_object(Bucket='fileobj-bucket', Key=key)\n\
        \x20   tags = c.get_object_tagging(Bucket='fileobj-bucket', Key=key)['TagSet']\n\
        \x20   out[key] = [h['ContentLength'], h['ContentType'], h['Metadata'],\n\
        \x20       sorted((t['Key'], t['Value']) for t in tags), h['ETag'].strip('\"').split('-')[1:]]\n\
        print(json.dumps(out))";
    let seen: serde_json::Value =
        serde_json::from_str(&python_with_env(script, &[("URL", &moto.url)])).unwrap();
    let tags = serde_json::json!([["team", "data"], ["tier", "gold"]]);
    let meta = serde_json::json!({"colour": "teal", "n": "1"});
    assert_eq!(
        seen,
        serde_json::json!({
            "dst-big": [20 * MIB, "text/plain", meta, tags, ["3"]],
            "dst-small": [1000, "text/plain", meta, tags, []],
        })
    );
    // With `MetadataDirective` and `TaggingDirective` `REPLACE`, the extra arguments give the
    // copy's headers and tags instead (here a content type, no metadata and no tags), in parts
    // as in one request.
    let replace = TransferConfig::default()
        .extra_arg("MetadataDirective", "REPLACE")
        .extra_arg("ContentType", "text/x-new")
        .extra_arg("TaggingDirective", "REPLACE");
    for (from, to) in [("src-big", "dst-big"), ("src-small", "dst-small")] {
        bucket
            .copy(("fileobj-bucket", from), to, &replace)
            .await
            .unwrap();
    }
    let seen: serde_json::Value =
        serde_json::from_str(&python_with_env(script, &[("URL", &moto.url)])).unwrap();
    let (meta, tags) = (serde_json::json!({}), serde_json::json!([]));
    assert_eq!(
        seen,
        serde_json::json!({
            "dst-big": [20 * MIB, "text/x-new", meta, tags, ["3"]],
            "dst-small": [1000, "text/x-new", meta, tags, []],
        })
    );
}
