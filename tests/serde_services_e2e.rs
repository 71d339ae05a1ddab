//! The ten core services' everyday calls, boto3 as the oracle of the serde form: each call goes
//! through boto-rs against one moto server and through boto3 against a twin server in the same
//! state, and boto-rs's output serialised with serde must equal boto3's response dict (after
//! normalising datetimes and bytes, `ResponseMetadata` removed), while boto3's dict, read as the
//! Rust output type, must serialise back unchanged (see `support/oracle.rs`).

use boto_runtime::Structure;
use boto_tests::oracle::{answer, assert_same, error_json, Answer, Boto3};
use boto_tests::Moto;
use serde_json::{json, Value as Json};
use std::collections::HashMap;
use std::future::Future;

/// Two moto servers in the same state: boto-rs calls one, boto3 the other.
struct Twin {
    rs: Moto,
    py_moto: Moto,
    py: Boto3,
}

impl Twin {
    fn start(service: &str) -> Twin {
        let rs = Moto::start();
        let py_moto = Moto::start();
        let py = Boto3::start(&py_moto, service);
        Twin { rs, py_moto, py }
    }

    fn session(&self) -> boto_runtime::Session {
        self.rs.session()
    }

    /// Makes `op` with `input` through both and compares the answers; returns boto-rs's output.
    async fn same<I, O>(
        &mut self,
        op: &str,
        input: &I,
        volatile: &[&str],
        call: impl Future<Output = Result<O, boto_runtime::Error>>,
    ) -> O
    where
        I: Structure,
        O: Structure + serde::Serialize + serde::de::DeserializeOwned + PartialEq,
    {
        let rs = call.await;
        let py = self.py.call(op, input);
        let (a, b) = (self.local(answer(&rs)), self.local(py));
        assert_same(op, &a, &b, volatile);
        rs.unwrap_or_else(|e| panic!("{op}: {e}"))
    }

    /// [`same`](Self::same) for an operation without output.
    async fn same_unit<I: Structure>(
        &mut self,
        op: &str,
        input: &I,
        call: impl Future<Output = Result<(), boto_runtime::Error>>,
    ) {
        let rs = call.await;
        let a: Answer = rs.as_ref().map(|()| json!({})).map_err(error_json).into();
        let py = self.py.call(op, input);
        let b = self.local(py);
        assert_same(op, &a, &b, &[]);
        rs.unwrap_or_else(|e| panic!("{op}: {e}"));
    }

    /// The answer with each server's address written as `<moto>` (queue URLs and the like).
    fn local(&self, mut a: Answer) -> Answer {
        let hosts = [&self.rs.url, &self.py_moto.url].map(|u| u.trim_start_matches("http://"));
        if let Ok(v) = a.as_mut() {
            replace_hosts(v, &hosts);
        }
        a
    }
}

fn replace_hosts(v: &mut Json, hosts: &[&str]) {
    match v {
        Json::String(s) => {
            for h in hosts {
                if s.contains(h) {
                    *s = s.replace(h, "<moto>");
                }
            }
        }
        Json::Array(a) => a.iter_mut().for_each(|v| replace_hosts(v, hosts)),
        Json::Object(o) => o.values_mut().for_each(|v| replace_hosts(v, hosts)),
        _ => {}
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqs_outputs_serialise_as_boto3_dicts() {
    use sqs::types::*;
    let mut t = Twin::start("sqs");
    let client = sqs::Client::new(&t.session());
    let req = CreateQueueRequest {
        queue_name: Some("jobs".into()),
        attributes: Some(HashMap::from([(
            "VisibilityTimeout".to_string(),
            "45".to_string(),
        )])),
        ..Default::default()
    };
    let url = t
        .same("CreateQueue", &req, &[], client.create_queue(req.clone()))
        .await
        .queue_url
        .unwrap();

    let req = SendMessageRequest {
        queue_url: Some(url.clone()),
        message_body: Some("quotes \" <xml> & \u{1F600}".into()),
        message_attributes: Some(HashMap::from([(
            "kind".to_string(),
            MessageAttributeValue {
                data_type: Some("Binary".into()),
                binary_value: Some(boto_runtime::Blob::new(vec![0u8, 1, 254, 255])),
                ..Default::default()
            },
        )])),
        ..Default::default()
    };
    t.same(
        "SendMessage",
        &req,
        &["MessageId"],
        client.send_message(req.clone()),
    )
    .await;

    let req = ReceiveMessageRequest {
        queue_url: Some(url.clone()),
        max_number_of_messages: Some(10),
        message_attribute_names: Some(vec!["All".into()]),
        message_system_attribute_names: Some(vec![MessageSystemAttributeName::SenderId]),
        ..Default::default()
    };
    t.same(
        "ReceiveMessage",
        &req,
        &["Messages[].MessageId", "Messages[].ReceiptHandle"],
        client.receive_message(req.clone()),
    )
    .await;

    let req = GetQueueAttributesRequest {
        queue_url: Some(url),
        attribute_names: Some(vec![QueueAttributeName::All]),
    };
    t.same(
        "GetQueueAttributes",
        &req,
        &[
            "Attributes.CreatedTimestamp",
            "Attributes.LastModifiedTimestamp",
        ],
        client.get_queue_attributes(req.clone()),
    )
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn dynamodb_outputs_serialise_as_boto3_dicts() {
    use dynamodb::types::*;
    let mut t = Twin::start("dynamodb");
    let client = dynamodb::Client::new(&t.session());
    let req: CreateTableInput = serde_json::from_value(json!({
        "TableName": "things",
        "KeySchema": [
            {"AttributeName": "pk", "KeyType": "HASH"},
            {"AttributeName": "sk", "KeyType": "RANGE"}
        ],
        "AttributeDefinitions": [
            {"AttributeName": "pk", "AttributeType": "S"},
            {"AttributeName": "sk", "AttributeType": "N"}
        ],
        "BillingMode": "PAY_PER_REQUEST"
    }))
    .unwrap();
    let created = &[
        "TableDescription.CreationDateTime",
        "TableDescription.TableId",
    ];
    t.same(
        "CreateTable",
        &req,
        created,
        client.create_table(req.clone()),
    )
    .await;
    for i in 1..=3 {
        let req: PutItemInput = serde_json::from_value(json!({
            "TableName": "things",
            "Item": {
                "pk": {"S": "user#1"},
                "sk": {"N": i.to_string()},
                "profile": {"M": {"name": {"S": "Zoë \"Z\""}, "tags": {"L": [{"S": "a"}, {"N": "1.5"}]}}},
                "raw": {"B": "AJ//"},
                "set": {"BS": ["AQ==", "Ag=="]},
                "active": {"BOOL": i % 2 == 1}
            },
            "ReturnConsumedCapacity": "TOTAL"
        }))
        .unwrap();
        t.same("PutItem", &req, &[], client.put_item(req.clone()))
            .await;
    }
    let req: QueryInput = serde_json::from_value(json!({
        "TableName": "things",
        "KeyConditionExpression": "pk = :pk AND sk > :low",
        "ExpressionAttributeValues": {":pk": {"S": "user#1"}, ":low": {"N": "1"}}
    }))
    .unwrap();
    t.same("Query", &req, &[], client.query(req.clone())).await;
    let req = ScanInput {
        table_name: Some("things".into()),
        ..Default::default()
    };
    t.same("Scan", &req, &[], client.scan(req.clone())).await;
    let req = DescribeTableInput {
        table_name: Some("things".into()),
    };
    t.same(
        "DescribeTable",
        &req,
        &["Table.CreationDateTime", "Table.TableId"],
        client.describe_table(req.clone()),
    )
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn iam_sts_and_sns_outputs_serialise_as_boto3_dicts() {
    let mut t = Twin::start("iam");
    let client = iam::Client::new(&t.session());
    let req = iam::types::CreateUserRequest {
        user_name: Some("alice".into()),
        tags: Some(vec![iam::types::Tag {
            key: Some("team".into()),
            value: Some("a & b".into()),
        }]),
        ..Default::default()
    };
    let volatile = &["User.UserId", "User.CreateDate"];
    t.same(
        "CreateUser",
        &req,
        volatile,
        client.create_user(req.clone()),
    )
    .await;
    let req = iam::types::GetUserRequest {
        user_name: Some("alice".into()),
    };
    t.same("GetUser", &req, volatile, client.get_user(req.clone()))
        .await;
    let req = iam::types::ListUsersRequest::default();
    t.same(
        "ListUsers",
        &req,
        &["Users[].UserId", "Users[].CreateDate"],
        client.list_users(req.clone()),
    )
    .await;

    let mut t = Twin::start("sts");
    let client = sts::Client::new(&t.session());
    let req = sts::types::GetCallerIdentityRequest::default();
    t.same(
        "GetCallerIdentity",
        &req,
        &[],
        client.get_caller_identity(req.clone()),
    )
    .await;

    let mut t = Twin::start("sns");
    let client = sns::Client::new(&t.session());
    let req = sns::types::CreateTopicInput {
        name: Some("alerts".into()),
        ..Default::default()
    };
    let arn = t
        .same("CreateTopic", &req, &[], client.create_topic(req.clone()))
        .await
        .topic_arn
        .unwrap();
    let req = sns::types::GetTopicAttributesInput {
        topic_arn: Some(arn.clone()),
    };
    t.same(
        "GetTopicAttributes",
        &req,
        &[],
        client.get_topic_attributes(req.clone()),
    )
    .await;
    let req = sns::types::PublishInput {
        topic_arn: Some(arn),
        message: Some("hello <world> & \"all\"".into()),
        ..Default::default()
    };
    t.same("Publish", &req, &["MessageId"], client.publish(req.clone()))
        .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cloudwatch_cloudformation_and_glacier_outputs_serialise_as_boto3_dicts() {
    use boto_runtime::DateTime;
    let mut t = Twin::start("cloudwatch");
    let client = cloudwatch::Client::new(&t.session());
    let now = DateTime::from_secs(DateTime::now().secs() / 60 * 60);
    let req = cloudwatch::types::PutMetricDataInput {
        namespace: Some("App/Test".into()),
        metric_data: Some(vec![cloudwatch::types::MetricDatum {
            metric_name: Some("Latency".into()),
            dimensions: Some(vec![cloudwatch::types::Dimension {
                name: Some("Route".into()),
                value: Some("/home".into()),
            }]),
            value: Some(12.5),
            unit: Some(cloudwatch::types::StandardUnit::Milliseconds),
            timestamp: Some(now),
            ..Default::default()
        }]),
        ..Default::default()
    };
    t.same_unit("PutMetricData", &req, client.put_metric_data(req.clone()))
        .await;
    let req = cloudwatch::types::ListMetricsInput {
        namespace: Some("App/Test".into()),
        ..Default::default()
    };
    t.same("ListMetrics", &req, &[], client.list_metrics(req.clone()))
        .await;
    let req = cloudwatch::types::GetMetricStatisticsInput {
        namespace: Some("App/Test".into()),
        metric_name: Some("Latency".into()),
        dimensions: Some(vec![cloudwatch::types::Dimension {
            name: Some("Route".into()),
            value: Some("/home".into()),
        }]),
        start_time: Some(DateTime::from_secs(now.secs() - 600)),
        end_time: Some(DateTime::from_secs(now.secs() + 600)),
        period: Some(60),
        statistics: Some(vec![
            cloudwatch::types::Statistic::Average,
            cloudwatch::types::Statistic::Maximum,
        ]),
        ..Default::default()
    };
    t.same(
        "GetMetricStatistics",
        &req,
        &[],
        client.get_metric_statistics(req.clone()),
    )
    .await;

    let mut t = Twin::start("cloudformation");
    let client = cloudformation::Client::new(&t.session());
    let template = r#"{
        "AWSTemplateFormatVersion": "2010-09-09",
        "Parameters": {"QueueName": {"Type": "String"}},
        "Resources": {"Queue": {"Type": "AWS::SQS::Queue", "Properties": {"QueueName": {"Ref": "QueueName"}}}},
        "Outputs": {"QueueUrl": {"Value": {"Ref": "Queue"}}}
    }"#;
    let req = cloudformation::types::CreateStackInput {
        stack_name: Some("app".into()),
        template_body: Some(template.into()),
        parameters: Some(vec![cloudformation::types::Parameter {
            parameter_key: Some("QueueName".into()),
            parameter_value: Some("from-stack".into()),
            ..Default::default()
        }]),
        ..Default::default()
    };
    t.same(
        "CreateStack",
        &req,
        &["StackId"],
        client.create_stack(req.clone()),
    )
    .await;
    let req = cloudformation::types::DescribeStacksInput {
        stack_name: Some("app".into()),
        ..Default::default()
    };
    t.same(
        "DescribeStacks",
        &req,
        &["Stacks[].StackId", "Stacks[].CreationTime"],
        client.describe_stacks(req.clone()),
    )
    .await;

    let mut t = Twin::start("glacier");
    let client = glacier::Client::new(&t.session());
    let req = glacier::types::CreateVaultInput {
        vault_name: Some("backups".into()),
        ..Default::default()
    };
    t.same("CreateVault", &req, &[], client.create_vault(req.clone()))
        .await;
    let req = glacier::types::DescribeVaultInput {
        vault_name: Some("backups".into()),
        ..Default::default()
    };
    t.same(
        "DescribeVault",
        &req,
        &["CreationDate", "LastInventoryDate"],
        client.describe_vault(req.clone()),
    )
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ec2_and_s3_outputs_serialise_as_boto3_dicts() {
    let mut t = Twin::start("ec2");
    let client = ec2::Client::new(&t.session());
    let req = ec2::types::DescribeRegionsRequest::default();
    t.same(
        "DescribeRegions",
        &req,
        &[],
        client.describe_regions(req.clone()),
    )
    .await;
    let req: ec2::types::RunInstancesRequest = serde_json::from_value(json!({
        "ImageId": "ami-12c6146b",
        "MinCount": 2,
        "MaxCount": 2,
        "InstanceType": "t3.micro",
        "ClientToken": "twin-token",
        "TagSpecifications": [{"ResourceType": "instance", "Tags": [{"Key": "app", "Value": "web"}]}]
    }))
    .unwrap();
    // Ids and addresses are drawn at random by each server.
    let random = &[
        "ReservationId",
        "Instances[].InstanceId",
        "Instances[].BlockDeviceMappings[].Ebs.VolumeId",
        "Instances[].NetworkInterfaces[].Association.PublicDnsName",
        "Instances[].NetworkInterfaces[].Association.PublicIp",
        "Instances[].NetworkInterfaces[].Attachment.AttachmentId",
        "Instances[].NetworkInterfaces[].Groups[].GroupId",
        "Instances[].NetworkInterfaces[].MacAddress",
        "Instances[].NetworkInterfaces[].NetworkInterfaceId",
        "Instances[].NetworkInterfaces[].PrivateDnsName",
        "Instances[].NetworkInterfaces[].PrivateIpAddress",
        "Instances[].NetworkInterfaces[].PrivateIpAddresses[].Association.PublicDnsName",
        "Instances[].NetworkInterfaces[].PrivateIpAddresses[].Association.PublicIp",
        "Instances[].NetworkInterfaces[].PrivateIpAddresses[].PrivateIpAddress",
        "Instances[].NetworkInterfaces[].SubnetId",
        "Instances[].NetworkInterfaces[].VpcId",
        "Instances[].PrivateDnsName",
        "Instances[].PublicDnsName",
        "Instances[].SubnetId",
        "Instances[].VpcId",
        "Instances[].PrivateIpAddress",
        "Instances[].PublicIpAddress",
    ];
    let run = t
        .same(
            "RunInstances",
            &req,
            random,
            client.run_instances(req.clone()),
        )
        .await;
    assert_eq!(run.instances.map(|i| i.len()), Some(2));

    let mut t = Twin::start("s3");
    let client = s3::Client::new(&t.session());
    let req = s3::types::CreateBucketRequest {
        bucket: Some("twin-bucket".into()),
        ..Default::default()
    };
    t.same("CreateBucket", &req, &[], client.create_bucket(req.clone()))
        .await;
    for key in ["a.txt", "dir/b.txt", "dir/c.txt"] {
        let req = s3::types::PutObjectRequest {
            bucket: Some("twin-bucket".into()),
            key: Some(key.into()),
            body: Some(boto_runtime::ByteStream::from(format!("body of {key}"))),
            metadata: Some(HashMap::from([("owner".to_string(), "me".to_string())])),
            ..Default::default()
        };
        t.same("PutObject", &req, &[], client.put_object(req.clone()))
            .await;
    }
    let req = s3::types::ListObjectsV2Request {
        bucket: Some("twin-bucket".into()),
        prefix: Some("dir/".into()),
        ..Default::default()
    };
    t.same(
        "ListObjectsV2",
        &req,
        &["Contents[].LastModified"],
        client.list_objects_v2(req.clone()),
    )
    .await;
    let req = s3::types::HeadObjectRequest {
        bucket: Some("twin-bucket".into()),
        key: Some("a.txt".into()),
        ..Default::default()
    };
    t.same(
        "HeadObject",
        &req,
        &["LastModified"],
        client.head_object(req.clone()),
    )
    .await;
}
