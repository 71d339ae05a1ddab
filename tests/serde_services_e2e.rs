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

    /// Makes `op` through both, boto-rs's call as `call` and boto3's with `input`, and compares
    /// the answers; returns boto-rs's output.
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
        self.same_as(op, input, volatile, call).await.0
    }

    /// [`same`](Self::same), where `py_input` is `call`'s request with the ids boto3's server
    /// drew in place of boto-rs's; returns both outputs, boto3's as its JSON.
    async fn same_as<I, O>(
        &mut self,
        op: &str,
        py_input: &I,
        volatile: &[&str],
        call: impl Future<Output = Result<O, boto_runtime::Error>>,
    ) -> (O, Json)
    where
        I: Structure,
        O: Structure + serde::Serialize + serde::de::DeserializeOwned + PartialEq,
    {
        let rs = call.await;
        let py = self.py.call(op, py_input);
        let (a, b) = (self.local(answer(&rs)), self.local(py));
        assert_same(op, &a, &b, volatile);
        let out = rs.unwrap_or_else(|e| panic!("{op}: {e}"));
        (out, b.expect(op))
    }

    /// [`same`](Self::same) for a call that must fail the same way through both.
    async fn same_error<I, O>(
        &mut self,
        op: &str,
        input: &I,
        call: impl Future<Output = Result<O, boto_runtime::Error>>,
    ) -> boto_runtime::Error
    where
        I: Structure,
        O: Structure + serde::Serialize + serde::de::DeserializeOwned + PartialEq + std::fmt::Debug,
    {
        let rs = call.await;
        let py = self.py.call(op, input);
        assert_same(op, &self.local(answer(&rs)), &self.local(py), &[]);
        rs.expect_err(op)
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

/// What each server draws for itself in an instance: ids, addresses and times by its clock.
const INSTANCE_RANDOM: &[&str] = &[
    "InstanceId",
    "BlockDeviceMappings[].Ebs.VolumeId",
    "NetworkInterfaces[].Association.PublicDnsName",
    "NetworkInterfaces[].Association.PublicIp",
    "NetworkInterfaces[].Attachment.AttachmentId",
    "NetworkInterfaces[].Groups[].GroupId",
    "NetworkInterfaces[].MacAddress",
    "NetworkInterfaces[].NetworkInterfaceId",
    "NetworkInterfaces[].PrivateDnsName",
    "NetworkInterfaces[].PrivateIpAddress",
    "NetworkInterfaces[].PrivateIpAddresses[].Association.PublicDnsName",
    "NetworkInterfaces[].PrivateIpAddresses[].Association.PublicIp",
    "NetworkInterfaces[].PrivateIpAddresses[].PrivateIpAddress",
    "NetworkInterfaces[].SubnetId",
    "NetworkInterfaces[].VpcId",
    "PrivateDnsName",
    "PublicDnsName",
    "SubnetId",
    "VpcId",
    "PrivateIpAddress",
    "PublicIpAddress",
    "LaunchTime",
    "BlockDeviceMappings[].Ebs.AttachTime",
    "NetworkInterfaces[].Attachment.AttachTime",
];

/// `INSTANCE_RANDOM` under `prefix` (`"Reservations[].Instances[]"`), with `more`.
fn instances_random(prefix: &str, more: &[&str]) -> Vec<String> {
    let under = INSTANCE_RANDOM.iter().map(|p| format!("{prefix}.{p}"));
    under.chain(more.iter().map(|p| p.to_string())).collect()
}

/// `v` as the `&[&str]` the comparisons take.
fn strs(v: &[String]) -> Vec<&str> {
    v.iter().map(String::as_str).collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqs_outputs_serialise_as_boto3_dicts() {
    use boto_runtime::input;
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
    let (got, py_got) = t
        .same_as(
            "ReceiveMessage",
            &req,
            &["Messages[].MessageId", "Messages[].ReceiptHandle"],
            client.receive_message(req.clone()),
        )
        .await;
    let handle = |receipt: String| {
        input!(DeleteMessageRequest {
            queue_url: &url,
            receipt_handle: receipt
        })
    };
    let (req, py_req) = (
        handle(got.messages.unwrap().remove(0).receipt_handle.unwrap()),
        handle(py_strings(&py_got, "Messages", "ReceiptHandle").remove(0)),
    );
    t.same_unit("DeleteMessage", &py_req, client.delete_message(req))
        .await;
    let req = input!(GetQueueUrlRequest { queue_name: "jobs" });
    t.same("GetQueueUrl", &req, &[], client.get_queue_url(req.clone()))
        .await;
    let req = input!(GetQueueUrlRequest {
        queue_name: "missing"
    });
    let e = t
        .same_error("GetQueueUrl", &req, client.get_queue_url(req.clone()))
        .await;
    // The query-compatible code (`x-amzn-query-error`), as botocore reports it.
    assert_eq!(
        e.code(),
        Some("AWS.SimpleQueueService.NonExistentQueue"),
        "{e}"
    );

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
    use boto_runtime::input;
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
    for sk in ["2", "9"] {
        let req = input!(GetItemInput {
            table_name: "things",
            key: { "pk": AttributeValue::S("user#1".into()), "sk": AttributeValue::N(sk.into()) },
            projection_expression: "profile, #s, #r",
            expression_attribute_names: { "#s": "set", "#r": "raw" },
            consistent_read: true,
        });
        t.same("GetItem", &req, &[], client.get_item(req.clone()))
            .await;
    }
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
    let random = instances_random("Instances[]", &["ReservationId"]);
    let run = t
        .same(
            "RunInstances",
            &req,
            &strs(&random),
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

/// The strings at `key` in each item of the list at `list` in boto3's output.
fn py_strings(out: &Json, list: &str, key: &str) -> Vec<String> {
    let items = out[list].as_array();
    let items = items.unwrap_or_else(|| panic!("boto3's output has no list {list}: {out}"));
    items
        .iter()
        .map(|i| i[key].as_str().unwrap().to_string())
        .collect()
}

/// The string at `path` (keys) in boto3's output.
fn py_string(out: &Json, path: &[&str]) -> String {
    let v = path.iter().fold(out, |v, k| &v[k]);
    let s = v.as_str();
    s.unwrap_or_else(|| panic!("boto3's output has no string at {path:?}: {out}"))
        .to_string()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ec2_lifecycle_outputs_serialise_as_boto3_dicts() {
    use boto_runtime::input;
    use ec2::types::*;
    let mut t = Twin::start("ec2");
    let client = ec2::Client::new(&t.session());
    let req = input!(RunInstancesRequest {
        image_id: "ami-12c6146b",
        min_count: 2,
        max_count: 2,
        instance_type: "t3.micro",
        client_token: "twin-token",
        tag_specifications: [{ resource_type: "instance", tags: [{ key: "app", value: "web" }] }],
    });
    let random = instances_random("Instances[]", &["ReservationId"]);
    let (run, py_run) = t
        .same_as(
            "RunInstances",
            &req,
            &strs(&random),
            client.run_instances(req.clone()),
        )
        .await;
    let ids: Vec<String> = run
        .instances
        .unwrap()
        .into_iter()
        .filter_map(|i| i.instance_id)
        .collect();
    let py_ids = py_strings(&py_run, "Instances", "InstanceId");

    let described = instances_random(
        "Reservations[].Instances[]",
        &["Reservations[].ReservationId"],
    );
    let by_ids = |ids: &[String]| {
        input!(DescribeInstancesRequest {
            instance_ids: ids.to_vec()
        })
    };
    t.same_as(
        "DescribeInstances",
        &by_ids(&py_ids),
        &strs(&described),
        client.describe_instances(by_ids(&ids)),
    )
    .await;
    let req = input!(DescribeInstancesRequest {
        filters: [{ name: "tag:app", values: ["web"] }, { name: "instance-state-name", values: ["running"] }],
    });
    t.same(
        "DescribeInstances",
        &req,
        &strs(&described),
        client.describe_instances(req.clone()),
    )
    .await;
    // Each state change through both, each side naming its own instances.
    let stop = |ids: &[String]| {
        input!(StopInstancesRequest {
            instance_ids: ids.to_vec()
        })
    };
    let changed = &["StoppingInstances[].InstanceId"];
    let stopped = client.stop_instances(stop(&ids));
    t.same_as("StopInstances", &stop(&py_ids), changed, stopped)
        .await;
    let start = |ids: &[String]| {
        input!(StartInstancesRequest {
            instance_ids: ids.to_vec()
        })
    };
    let changed = &["StartingInstances[].InstanceId"];
    let started = client.start_instances(start(&ids));
    t.same_as("StartInstances", &start(&py_ids), changed, started)
        .await;
    let end = |ids: &[String]| {
        input!(TerminateInstancesRequest {
            instance_ids: ids.to_vec()
        })
    };
    let changed = &["TerminatingInstances[].InstanceId"];
    let ended = client.terminate_instances(end(&ids));
    t.same_as("TerminateInstances", &end(&py_ids), changed, ended)
        .await;

    let req = input!(CreateKeyPairRequest { key_name: "deploy" });
    let drawn = &["KeyFingerprint", "KeyMaterial", "KeyPairId"];
    t.same(
        "CreateKeyPair",
        &req,
        drawn,
        client.create_key_pair(req.clone()),
    )
    .await;
    let req = input!(DescribeKeyPairsRequest {
        key_names: ["deploy"]
    });
    let drawn = &[
        "KeyPairs[].KeyFingerprint",
        "KeyPairs[].KeyPairId",
        "KeyPairs[].CreateTime",
    ];
    t.same(
        "DescribeKeyPairs",
        &req,
        drawn,
        client.describe_key_pairs(req.clone()),
    )
    .await;
    let req = input!(DeleteKeyPairRequest { key_name: "deploy" });
    t.same(
        "DeleteKeyPair",
        &req,
        &["KeyPairId"],
        client.delete_key_pair(req.clone()),
    )
    .await;

    let req = input!(CreateSecurityGroupRequest {
        group_name: "web",
        description: "web tier"
    });
    let drawn = &["GroupId", "SecurityGroupArn"];
    let (group, py_group) = t
        .same_as(
            "CreateSecurityGroup",
            &req,
            drawn,
            client.create_security_group(req.clone()),
        )
        .await;
    let (group, py_group) = (group.group_id.unwrap(), py_string(&py_group, &["GroupId"]));
    let ssh = |group: &str| {
        input!(AuthorizeSecurityGroupIngressRequest {
            group_id: group,
            ip_permissions: [{
                ip_protocol: "tcp",
                from_port: 22,
                to_port: 22,
                ip_ranges: [{ cidr_ip: "10.0.0.0/8", description: "office" }],
            }],
        })
    };
    let (req, py_req) = (ssh(&group), ssh(&py_group));
    let drawn = &[
        "SecurityGroupRules[].GroupId",
        "SecurityGroupRules[].SecurityGroupRuleId",
        "SecurityGroupRules[].SecurityGroupRuleArn",
    ];
    t.same_as(
        "AuthorizeSecurityGroupIngress",
        &py_req,
        drawn,
        client.authorize_security_group_ingress(req.clone()),
    )
    .await;
    let (req, py_req) = (
        input!(DescribeSecurityGroupsRequest { group_ids: [group] }),
        input!(DescribeSecurityGroupsRequest {
            group_ids: [py_group]
        }),
    );
    let drawn = &[
        "SecurityGroups[].GroupId",
        "SecurityGroups[].SecurityGroupArn",
        "SecurityGroups[].VpcId",
    ];
    t.same_as(
        "DescribeSecurityGroups",
        &py_req,
        drawn,
        client.describe_security_groups(req.clone()),
    )
    .await;

    let req = input!(CreateVolumeRequest {
        availability_zone: "us-east-1a",
        size: 8,
        volume_type: "gp3",
        tag_specifications: [{ resource_type: "volume", tags: [{ key: "app", value: "db" }] }],
    });
    let (volume, py_volume) = t
        .same_as(
            "CreateVolume",
            &req,
            &["VolumeId", "CreateTime"],
            client.create_volume(req.clone()),
        )
        .await;
    let (req, py_req) = (
        input!(DescribeVolumesRequest {
            volume_ids: [volume.volume_id.unwrap()]
        }),
        input!(DescribeVolumesRequest {
            volume_ids: [py_string(&py_volume, &["VolumeId"])]
        }),
    );
    let drawn = &["Volumes[].VolumeId", "Volumes[].CreateTime"];
    t.same_as(
        "DescribeVolumes",
        &py_req,
        drawn,
        client.describe_volumes(req.clone()),
    )
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn iam_policies_sts_roles_and_sns_subscriptions_serialise_as_boto3_dicts() {
    use boto_runtime::input;
    use iam::types::*;
    let mut t = Twin::start("iam");
    let client = iam::Client::new(&t.session());
    let req = input!(CreateGroupRequest {
        group_name: "devs",
        path: "/eng/"
    });
    let drawn = &["Group.GroupId", "Group.CreateDate"];
    t.same("CreateGroup", &req, drawn, client.create_group(req.clone()))
        .await;
    let req = input!(CreateUserRequest { user_name: "bob" });
    t.same(
        "CreateUser",
        &req,
        &["User.UserId", "User.CreateDate"],
        client.create_user(req.clone()),
    )
    .await;
    let req = input!(AddUserToGroupRequest {
        group_name: "devs",
        user_name: "bob"
    });
    t.same_unit(
        "AddUserToGroup",
        &req,
        client.add_user_to_group(req.clone()),
    )
    .await;
    let req = input!(GetGroupRequest { group_name: "devs" });
    let drawn = &[
        "Group.GroupId",
        "Group.CreateDate",
        "Users[].UserId",
        "Users[].CreateDate",
    ];
    let group = t
        .same("GetGroup", &req, drawn, client.get_group(req.clone()))
        .await;
    assert_eq!(group.users.unwrap()[0].user_name.as_deref(), Some("bob"));
    let document = r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*"}]}"#;
    let req = input!(CreatePolicyRequest {
        policy_name: "read",
        policy_document: document,
        description: "read b",
        tags: [{ key: "team", value: "a & b" }],
    });
    let drawn = &["Policy.PolicyId", "Policy.CreateDate", "Policy.UpdateDate"];
    let arn = t
        .same(
            "CreatePolicy",
            &req,
            drawn,
            client.create_policy(req.clone()),
        )
        .await
        .policy
        .unwrap()
        .arn
        .unwrap();
    let req = input!(AttachUserPolicyRequest {
        user_name: "bob",
        policy_arn: &arn
    });
    t.same_unit(
        "AttachUserPolicy",
        &req,
        client.attach_user_policy(req.clone()),
    )
    .await;
    let req = input!(ListAttachedUserPoliciesRequest { user_name: "bob" });
    t.same(
        "ListAttachedUserPolicies",
        &req,
        &[],
        client.list_attached_user_policies(req.clone()),
    )
    .await;
    let req = input!(GetPolicyVersionRequest {
        policy_arn: &arn,
        version_id: "v1"
    });
    let drawn = &["PolicyVersion.CreateDate"];
    t.same(
        "GetPolicyVersion",
        &req,
        drawn,
        client.get_policy_version(req.clone()),
    )
    .await;
    let req = input!(GetPolicyVersionRequest {
        policy_arn: &arn,
        version_id: "v9"
    });
    t.same_error(
        "GetPolicyVersion",
        &req,
        client.get_policy_version(req.clone()),
    )
    .await;

    let mut t = Twin::start("sts");
    let client = sts::Client::new(&t.session());
    let req = input!(sts::types::AssumeRoleRequest {
        role_arn: "arn:aws:iam::123456789012:role/deployer",
        role_session_name: "ci",
        duration_seconds: 900,
    });
    let drawn = &[
        "Credentials.AccessKeyId",
        "Credentials.SecretAccessKey",
        "Credentials.SessionToken",
        "Credentials.Expiration",
        "AssumedRoleUser.AssumedRoleId",
    ];
    t.same("AssumeRole", &req, drawn, client.assume_role(req.clone()))
        .await;

    let mut t = Twin::start("sns");
    let client = sns::Client::new(&t.session());
    let req = input!(sns::types::CreateTopicInput { name: "alerts" });
    let arn = t
        .same("CreateTopic", &req, &[], client.create_topic(req.clone()))
        .await
        .topic_arn
        .unwrap();
    let req = input!(sns::types::SubscribeInput {
        topic_arn: &arn,
        protocol: "sqs",
        endpoint: "arn:aws:sqs:us-east-1:123456789012:jobs",
        return_subscription_arn: true,
    });
    t.same(
        "Subscribe",
        &req,
        &["SubscriptionArn"],
        client.subscribe(req.clone()),
    )
    .await;
    let req = input!(sns::types::ListSubscriptionsByTopicInput { topic_arn: &arn });
    let drawn = &["Subscriptions[].SubscriptionArn"];
    t.same(
        "ListSubscriptionsByTopic",
        &req,
        drawn,
        client.list_subscriptions_by_topic(req.clone()),
    )
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cloudwatch_alarms_and_glacier_archives_serialise_as_boto3_dicts() {
    use boto_runtime::input;
    let mut t = Twin::start("cloudwatch");
    let client = cloudwatch::Client::new(&t.session());
    let req = input!(cloudwatch::types::PutMetricAlarmInput {
        alarm_name: "slow",
        alarm_description: "p50 above 100 ms",
        namespace: "App/Test",
        metric_name: "Latency",
        dimensions: [{ name: "Route", value: "/home" }],
        statistic: "Average",
        period: 60,
        evaluation_periods: 2,
        threshold: 100.0,
        comparison_operator: "GreaterThanThreshold",
        unit: "Milliseconds",
        actions_enabled: false,
    });
    t.same_unit("PutMetricAlarm", &req, client.put_metric_alarm(req.clone()))
        .await;
    let req = input!(cloudwatch::types::DescribeAlarmsInput {
        alarm_names: ["slow"]
    });
    let drawn = &[
        "MetricAlarms[].AlarmConfigurationUpdatedTimestamp",
        "MetricAlarms[].StateUpdatedTimestamp",
        "MetricAlarms[].StateTransitionedTimestamp",
    ];
    t.same(
        "DescribeAlarms",
        &req,
        drawn,
        client.describe_alarms(req.clone()),
    )
    .await;

    let mut t = Twin::start("glacier");
    let client = glacier::Client::new(&t.session());
    for name in ["backups", "logs"] {
        let req = input!(glacier::types::CreateVaultInput { vault_name: name });
        t.same("CreateVault", &req, &[], client.create_vault(req.clone()))
            .await;
    }
    let req = input!(glacier::types::UploadArchiveInput {
        vault_name: "backups",
        archive_description: "nightly",
        body: b"archive \x00\x01 bytes".as_slice(),
    });
    let drawn = &["archiveId", "location"];
    t.same(
        "UploadArchive",
        &req,
        drawn,
        client.upload_archive(req.clone()),
    )
    .await;
    let req = input!(glacier::types::ListVaultsInput {});
    let drawn = &["VaultList[].CreationDate", "VaultList[].LastInventoryDate"];
    t.same("ListVaults", &req, drawn, client.list_vaults(req.clone()))
        .await;
}

/// `out` with its body read, so that it shows (and compares) as the bytes it carried.
async fn buffered(
    out: Result<s3::types::GetObjectOutput, boto_runtime::Error>,
) -> Result<s3::types::GetObjectOutput, boto_runtime::Error> {
    let mut out = out?;
    let body = std::mem::take(&mut out.body);
    out.body = boto_runtime::ByteStream::from(body.collect().await?);
    Ok(out)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn s3_objects_copies_deletes_and_multipart_uploads_serialise_as_boto3_dicts() {
    use boto_runtime::input;
    use s3::types::*;
    let mut t = Twin::start("s3");
    let client = s3::Client::new(&t.session());
    let req = input!(CreateBucketRequest {
        bucket: "twin-objects"
    });
    t.same("CreateBucket", &req, &[], client.create_bucket(req.clone()))
        .await;
    let req = input!(GetBucketLocationRequest {
        bucket: "twin-objects"
    });
    t.same(
        "GetBucketLocation",
        &req,
        &[],
        client.get_bucket_location(req.clone()),
    )
    .await;
    let req = ListBucketsRequest::default();
    t.same(
        "ListBuckets",
        &req,
        &["Buckets[].CreationDate"],
        client.list_buckets(req.clone()),
    )
    .await;
    for key in ["k/1.txt", "k/2.txt", "other.bin"] {
        let req = input!(PutObjectRequest {
            bucket: "twin-objects",
            key: key,
            body: format!("contents of {key}").as_bytes(),
            content_type: "text/plain",
            metadata: { "origin": "twin" },
        });
        t.same("PutObject", &req, &[], client.put_object(req.clone()))
            .await;
    }
    let req = input!(ListObjectsRequest {
        bucket: "twin-objects",
        prefix: "k/",
        max_keys: 1,
    });
    t.same(
        "ListObjects",
        &req,
        &["Contents[].LastModified"],
        client.list_objects(req.clone()),
    )
    .await;
    let req = input!(GetObjectRequest {
        bucket: "twin-objects",
        key: "k/1.txt",
    });
    let got = t
        .same(
            "GetObject",
            &req,
            &["LastModified"],
            buffered(client.get_object(req.clone()).await),
        )
        .await;
    assert_eq!(got.metadata.unwrap()["origin"], "twin");
    let req = input!(GetObjectRequest {
        bucket: "twin-objects",
        key: "k/1.txt",
        range: "bytes=0-7",
    });
    t.same(
        "GetObject",
        &req,
        &["LastModified"],
        buffered(client.get_object(req.clone()).await),
    )
    .await;
    let req = input!(GetObjectRequest {
        bucket: "twin-objects",
        key: "missing",
    });
    let err = t
        .same_error(
            "GetObject",
            &req,
            buffered(client.get_object(req.clone()).await),
        )
        .await;
    assert_eq!(err.code(), Some("NoSuchKey"));
    let req = input!(CopyObjectRequest {
        bucket: "twin-objects",
        key: "copies/1.txt",
        copy_source: "twin-objects/k/1.txt",
    });
    t.same(
        "CopyObject",
        &req,
        &["CopyObjectResult.LastModified"],
        client.copy_object(req.clone()),
    )
    .await;
    let req = input!(DeleteObjectRequest {
        bucket: "twin-objects",
        key: "copies/1.txt",
    });
    t.same("DeleteObject", &req, &[], client.delete_object(req.clone()))
        .await;
    let req = input!(DeleteObjectsRequest {
        bucket: "twin-objects",
        delete: { objects: [{ key: "k/2.txt" }, { key: "never-there" }] },
    });
    t.same(
        "DeleteObjects",
        &req,
        &[],
        client.delete_objects(req.clone()),
    )
    .await;

    // A multipart upload: each server draws its own upload id.
    let req = input!(CreateMultipartUploadRequest {
        bucket: "twin-objects",
        key: "big.bin",
        metadata: { "parts": "2" },
    });
    let (created, py_created) = t
        .same_as(
            "CreateMultipartUpload",
            &req,
            &["UploadId"],
            client.create_multipart_upload(req.clone()),
        )
        .await;
    let ids = (
        created.upload_id.unwrap(),
        py_string(&py_created, &["UploadId"]),
    );
    let part = |n: i32, id: &str, body: Vec<u8>| {
        input!(UploadPartRequest {
            bucket: "twin-objects",
            key: "big.bin",
            upload_id: id,
            part_number: n,
            body: body,
        })
    };
    let bodies = [vec![b'a'; 5 * 1024 * 1024], b"the last part".to_vec()];
    let mut etags = Vec::new();
    for (i, body) in bodies.iter().enumerate() {
        let n = i as i32 + 1;
        let req = part(n, &ids.0, body.clone());
        let out = t
            .same_as(
                "UploadPart",
                &part(n, &ids.1, body.clone()),
                &[],
                client.upload_part(req),
            )
            .await
            .0;
        etags.push(out.e_tag.unwrap());
    }
    let complete = |id: &str| {
        input!(CompleteMultipartUploadRequest {
            bucket: "twin-objects",
            key: "big.bin",
            upload_id: id,
            multipart_upload: {
                parts: [
                    { part_number: 1, e_tag: etags[0].as_str() },
                    { part_number: 2, e_tag: etags[1].as_str() },
                ],
            },
        })
    };
    let done = t
        .same_as(
            "CompleteMultipartUpload",
            &complete(&ids.1),
            &[],
            client.complete_multipart_upload(complete(&ids.0)),
        )
        .await
        .0;
    assert!(done.e_tag.unwrap().ends_with("-2\""));
    let req = input!(HeadObjectRequest {
        bucket: "twin-objects",
        key: "big.bin",
    });
    let head = t
        .same(
            "HeadObject",
            &req,
            &["LastModified"],
            client.head_object(req.clone()),
        )
        .await;
    assert_eq!(head.content_length, Some(5 * 1024 * 1024 + 13));
}
