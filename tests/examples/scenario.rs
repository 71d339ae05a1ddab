//! The README's scenario in boto-rs: the twin of scenario.py (tests/scenario.rs counts both and
//! runs both against moto, comparing what they print).

use boto_runtime::transfer::TransferConfig;
use boto_runtime::{input, Error, Session};
use futures::TryStreamExt;

#[tokio::main]
async fn main() -> Result<(), Error> {
    let session = &Session::from_env()?;
    // EC2: two instances, a waiter, a filtered collection and its batch action.
    let ec2 = ec2::ServiceResource::new(session);
    let instances = ec2
        .create_instances(input!(
            image_id: "ami-12c6146b", min_count: 2, max_count: 2, instance_type: "t3.micro",
            tag_specifications:
                [{ resource_type: "instance", tags: [{ key: "app", value: "demo" }] }],
        ))
        .await?;
    instances[0].wait_until_running().await?;
    let demo = ec2.instances().filter(input!(filters: [{ name: "tag:app", values: ["demo"] }]));
    let found: Vec<_> = demo.stream().try_collect().await?;
    println!("instances: {}", found.len());
    demo.terminate(input!()).await?;

    // S3: a bucket, objects listed a page at a time, a file uploaded and downloaded.
    let s3 = s3::Client::new(session);
    s3.create_bucket(input!(bucket: "demo-bucket")).await?;
    for i in 0..3 {
        let key = format!("logs/{i}.txt");
        s3.put_object(input!(bucket: "demo-bucket", key: key, body: "hello")).await?;
    }
    let listing = s3.list_objects_v2_paginator(input!(bucket: "demo-bucket", prefix: "logs/"));
    let mut pages = listing.pages();
    while let Some(page) = pages.try_next().await? {
        for obj in page.contents.unwrap_or_default() {
            println!("object: {} {}", obj.key.unwrap_or_default(), obj.size.unwrap_or_default());
        }
    }
    std::fs::write("report.txt", "quarterly report").map_err(|e| Error::config(e.to_string()))?;
    let bucket = s3::ServiceResource::new(session).bucket("demo-bucket");
    bucket.upload_file("report.txt", "report.txt", &TransferConfig::default()).await?;
    bucket.download_file("report.txt", "report-copy.txt", &TransferConfig::default()).await?;

    // DynamoDB: a table, items, a scan and a query.
    let dynamodb = dynamodb::Client::new(session);
    dynamodb
        .create_table(input!(
            table_name: "orders",
            key_schema: [
                { attribute_name: "customer", key_type: "HASH" },
                { attribute_name: "id", key_type: "RANGE" },
            ],
            attribute_definitions: [
                { attribute_name: "customer", attribute_type: "S" },
                { attribute_name: "id", attribute_type: "N" },
            ],
            billing_mode: "PAY_PER_REQUEST",
        ))
        .await?;
    dynamodb.wait_until_table_exists(input!(table_name: "orders")).await?;
    use dynamodb::types::AttributeValue::{N, S};
    for i in 0..3 {
        let (id, total) = (N(i.to_string()), N("9.99".into()));
        dynamodb
            .put_item(input!(table_name: "orders",
                item: { "customer": S("alice".into()), "id": id, "total": total }))
            .await?;
    }
    let scanned = dynamodb.scan(input!(table_name: "orders")).await?;
    println!("scanned: {}", scanned.count.unwrap_or_default());
    let found = dynamodb
        .query(input!(
            table_name: "orders",
            key_condition_expression: "customer = :c AND id > :n",
            expression_attribute_values: { ":c": S("alice".into()), ":n": N("0".into()) },
        ))
        .await?;
    for item in found.items.unwrap_or_default() {
        println!("found: {}", item["id"].as_n().expect("a number"));
    }

    // SQS: a queue, a message sent, received and deleted.
    let sqs = sqs::Client::new(session);
    let url = sqs.create_queue(input!(queue_name: "jobs")).await?.queue_url;
    sqs.send_message(input!(queue_url: url.clone(), message_body: "job 1")).await?;
    let received =
        sqs.receive_message(input!(queue_url: url.clone(), max_number_of_messages: 10)).await?;
    for message in received.messages.unwrap_or_default() {
        println!("message: {}", message.body.unwrap_or_default());
        let handle = message.receipt_handle;
        sqs.delete_message(input!(queue_url: url.clone(), receipt_handle: handle)).await?;
    }
    Ok(())
}
