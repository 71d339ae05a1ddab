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
