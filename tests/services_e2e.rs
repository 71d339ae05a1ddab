//! SQS, DynamoDB, IAM, SNS, STS, CloudWatch, CloudFormation and Glacier end to end against
//! moto's server: one test per service, each the calls a boto3 user makes most.

use boto_runtime::{ByteStream, DateTime};
use boto_tests::Moto;
use std::collections::HashMap;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqs_queues_messages_attributes_and_errors() {
    use sqs::types::*;
    let moto = Moto::start();
    let client = sqs::Client::new(&moto.session());
    let created = client
        .create_queue(CreateQueueRequest {
            queue_name: Some("jobs".into()),
            attributes: Some(HashMap::from([(
                "VisibilityTimeout".to_string(),
                "45".to_string(),
            )])),
            ..Default::default()
        })
        .await
        .unwrap();
    let url = created.queue_url.unwrap();
    assert!(url.ends_with("/jobs"), "{url}");

    let body = "quotes \" and \\ backslash, <xml> & ampersand, \u{1F600} emoji, tab\tnew\nline";
    let sent = client
        .send_message(SendMessageRequest {
            queue_url: Some(url.clone()),
            message_body: Some(body.into()),
            message_attributes: Some(HashMap::from([(
                "kind".to_string(),
                MessageAttributeValue {
                    data_type: Some("String".into()),
                    string_value: Some("a=b&c".into()),
                    ..Default::default()
                },
            )])),
            ..Default::default()
        })
        .await
        .unwrap();
    assert!(sent.message_id.is_some());

    let got = client
        .receive_message(ReceiveMessageRequest {
            queue_url: Some(url.clone()),
            max_number_of_messages: Some(10),
            message_attribute_names: Some(vec!["All".into()]),
            ..Default::default()
        })
        .await
        .unwrap();
    let messages = got.messages.unwrap_or_default();
    assert_eq!(messages.len(), 1);
    assert_eq!(messages[0].body.as_deref(), Some(body));
    let attr = &messages[0].message_attributes.as_ref().unwrap()["kind"];
    assert_eq!(attr.string_value.as_deref(), Some("a=b&c"));
    client
        .delete_message(DeleteMessageRequest {
            queue_url: Some(url.clone()),
            receipt_handle: messages[0].receipt_handle.clone(),
        })
        .await
        .unwrap();

    let attrs = client
        .get_queue_attributes(GetQueueAttributesRequest {
            queue_url: Some(url.clone()),
            attribute_names: Some(vec![QueueAttributeName::All]),
        })
        .await
        .unwrap()
        .attributes
        .unwrap_or_default();
    assert_eq!(
        attrs.get("VisibilityTimeout").map(String::as_str),
        Some("45")
    );

    let err = client
        .get_queue_url(GetQueueUrlRequest {
            queue_name: Some("missing".into()),
            ..Default::default()
        })
        .await
        .unwrap_err();
    // awsQueryCompatible: the query-era code is reported.
    assert_eq!(
        err.code(),
        Some("AWS.SimpleQueueService.NonExistentQueue"),
        "{err}"
    );
    assert_eq!(err.status(), Some(400));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn dynamodb_items_queries_and_conditions() {
    use dynamodb::types::*;
    let moto = Moto::start();
    let client = dynamodb::Client::new(&moto.session());
    client
        .create_table(CreateTableInput {
            table_name: Some("things".into()),
            key_schema: Some(vec![
                KeySchemaElement {
                    attribute_name: Some("pk".into()),
                    key_type: Some(KeyType::Hash),
                },
                KeySchemaElement {
                    attribute_name: Some("sk".into()),
                    key_type: Some(KeyType::Range),
                },
            ]),
            attribute_definitions: Some(vec![
                AttributeDefinition {
                    attribute_name: Some("pk".into()),
                    attribute_type: Some(ScalarAttributeType::S),
                },
                AttributeDefinition {
                    attribute_name: Some("sk".into()),
                    attribute_type: Some(ScalarAttributeType::N),
                },
            ]),
            billing_mode: Some(BillingMode::PayPerRequest),
            ..Default::default()
        })
        .await
        .unwrap();
    let s = |v: &str| AttributeValue::S(v.into());
    let n = |v: &str| AttributeValue::N(v.into());
    for i in 1..=3 {
        let item = HashMap::from([
            ("pk".to_string(), s("user#1")),
            ("sk".to_string(), n(&i.to_string())),
            (
                "profile".to_string(),
                AttributeValue::M(HashMap::from([
                    ("name".to_string(), s("Zoë \"Z\"")),
                    (
                        "tags".to_string(),
                        AttributeValue::L(vec![s("a"), n("1.5")]),
                    ),
                ])),
            ),
            (
                "raw".to_string(),
                AttributeValue::B(boto_runtime::Blob::new(vec![0u8, 159, 255, i])),
            ),
            ("active".to_string(), AttributeValue::Bool(i % 2 == 1)),
        ]);
        client
            .put_item(PutItemInput {
                table_name: Some("things".into()),
                item: Some(item),
                ..Default::default()
            })
            .await
            .unwrap();
    }
    let got = client
        .get_item(GetItemInput {
            table_name: Some("things".into()),
            key: Some(HashMap::from([
                ("pk".to_string(), s("user#1")),
                ("sk".to_string(), n("2")),
            ])),
            ..Default::default()
        })
        .await
        .unwrap()
        .item
        .unwrap();
    let AttributeValue::M(profile) = &got["profile"] else {
        panic!("profile is not a map: {:?}", got["profile"]);
    };
    assert_eq!(profile["name"], s("Zoë \"Z\""));
    assert_eq!(profile["tags"], AttributeValue::L(vec![s("a"), n("1.5")]));
    assert_eq!(
        got["raw"],
        AttributeValue::B(boto_runtime::Blob::new(vec![0u8, 159, 255, 2]))
    );
    assert_eq!(got["active"], AttributeValue::Bool(false));

    let q = client
        .query(QueryInput {
            table_name: Some("things".into()),
            key_condition_expression: Some("pk = :pk AND sk >= :min".into()),
            expression_attribute_values: Some(HashMap::from([
                (":pk".to_string(), s("user#1")),
                (":min".to_string(), n("2")),
            ])),
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(q.count, Some(2));
    let sks: Vec<String> = q
        .items
        .unwrap()
        .iter()
        .map(|i| match &i["sk"] {
            AttributeValue::N(n) => n.clone(),
            other => panic!("sk is not a number: {other:?}"),
        })
        .collect();
    assert_eq!(sks, ["2", "3"]);

    let err = client
        .put_item(PutItemInput {
            table_name: Some("things".into()),
            item: Some(HashMap::from([
                ("pk".to_string(), s("user#1")),
                ("sk".to_string(), n("1")),
            ])),
            condition_expression: Some("attribute_not_exists(pk)".into()),
            ..Default::default()
        })
        .await
        .unwrap_err();
    assert_eq!(err.code(), Some("ConditionalCheckFailedException"), "{err}");
    assert!(matches!(
        dynamodb::Error::try_from(&err),
        Ok(dynamodb::Error::ConditionalCheckFailedException(_))
    ));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn iam_users_groups_and_policies() {
    use iam::types::*;
    let moto = Moto::start();
    let client = iam::Client::new(&moto.session());
    let user = client
        .create_user(CreateUserRequest {
            user_name: Some("alice".into()),
            ..Default::default()
        })
        .await
        .unwrap()
        .user
        .unwrap();
    assert_eq!(user.user_name.as_deref(), Some("alice"));
    assert!(user.arn.unwrap().ends_with(":user/alice"));
    client
        .create_group(CreateGroupRequest {
            group_name: Some("devs".into()),
            ..Default::default()
        })
        .await
        .unwrap();
    client
        .add_user_to_group(AddUserToGroupRequest {
            group_name: Some("devs".into()),
            user_name: Some("alice".into()),
        })
        .await
        .unwrap();
    let document = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"}]}"#;
    let policy = client
        .create_policy(CreatePolicyRequest {
            policy_name: Some("read-b".into()),
            policy_document: Some(document.into()),
            ..Default::default()
        })
        .await
        .unwrap()
        .policy
        .unwrap();
    let arn = policy.arn.unwrap();
    client
        .attach_user_policy(AttachUserPolicyRequest {
            user_name: Some("alice".into()),
            policy_arn: Some(arn.clone()),
        })
        .await
        .unwrap();
    let attached = client
        .list_attached_user_policies(ListAttachedUserPoliciesRequest {
            user_name: Some("alice".into()),
            ..Default::default()
        })
        .await
        .unwrap()
        .attached_policies
        .unwrap_or_default();
    assert_eq!(attached.len(), 1);
    assert_eq!(attached[0].policy_arn.as_deref(), Some(arn.as_str()));
    // The document comes back URL-encoded on the wire; it is decoded, as boto3 does.
    let version = client
        .get_policy_version(GetPolicyVersionRequest {
            policy_arn: Some(arn),
            version_id: Some("v1".into()),
        })
        .await
        .unwrap()
        .policy_version
        .unwrap();
    let got: serde_json::Value = serde_json::from_str(&version.document.unwrap()).unwrap();
    let want: serde_json::Value = serde_json::from_str(document).unwrap();
    assert_eq!(got, want);

    let err = client
        .get_user(GetUserRequest {
            user_name: Some("nobody".into()),
        })
        .await
        .unwrap_err();
    assert_eq!(err.code(), Some("NoSuchEntity"), "{err}");
    assert!(matches!(
        iam::Error::try_from(&err),
        Ok(iam::Error::NoSuchEntityException(_))
    ));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sns_topics_publish_and_subscriptions() {
    use sns::types::*;
    let moto = Moto::start();
    let session = moto.session();
    let client = sns::Client::new(&session);
    let topic = client
        .create_topic(CreateTopicInput {
            name: Some("alerts".into()),
            ..Default::default()
        })
        .await
        .unwrap()
        .topic_arn
        .unwrap();
    assert!(topic.ends_with(":alerts"), "{topic}");

    let sqs = sqs::Client::new(&session);
    let url = sqs
        .create_queue(sqs::types::CreateQueueRequest {
            queue_name: Some("alert-sink".into()),
            ..Default::default()
        })
        .await
        .unwrap()
        .queue_url
        .unwrap();
    let queue_arn = sqs
        .get_queue_attributes(sqs::types::GetQueueAttributesRequest {
            queue_url: Some(url.clone()),
            attribute_names: Some(vec![sqs::types::QueueAttributeName::QueueArn]),
        })
        .await
        .unwrap()
        .attributes
        .unwrap()["QueueArn"]
        .clone();
    let sub = client
        .subscribe(SubscribeInput {
            topic_arn: Some(topic.clone()),
            protocol: Some("sqs".into()),
            endpoint: Some(queue_arn.clone()),
            attributes: Some(HashMap::from([(
                "RawMessageDelivery".to_string(),
                "true".to_string(),
            )])),
            ..Default::default()
        })
        .await
        .unwrap();
    assert!(sub.subscription_arn.is_some());
    let subs = client
        .list_subscriptions_by_topic(ListSubscriptionsByTopicInput {
            topic_arn: Some(topic.clone()),
            ..Default::default()
        })
        .await
        .unwrap()
        .subscriptions
        .unwrap_or_default();
    assert_eq!(subs.len(), 1);
    assert_eq!(subs[0].endpoint.as_deref(), Some(queue_arn.as_str()));

    let published = client
        .publish(PublishInput {
            topic_arn: Some(topic),
            message: Some("disk full: 99% & rising".into()),
            subject: Some("Alert".into()),
            ..Default::default()
        })
        .await
        .unwrap();
    assert!(published.message_id.is_some());
    let got = sqs
        .receive_message(sqs::types::ReceiveMessageRequest {
            queue_url: Some(url),
            ..Default::default()
        })
        .await
        .unwrap()
        .messages
        .unwrap_or_default();
    assert_eq!(got.len(), 1);
    assert_eq!(got[0].body.as_deref(), Some("disk full: 99% & rising"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sts_caller_identity_and_assume_role() {
    use sts::types::*;
    let moto = Moto::start();
    let client = sts::Client::new(&moto.session());
    let me = client
        .get_caller_identity(GetCallerIdentityRequest::default())
        .await
        .unwrap();
    assert_eq!(me.account.as_deref(), Some("123456789012"));
    assert!(me.arn.is_some());
    let assumed = client
        .assume_role(AssumeRoleRequest {
            role_arn: Some("arn:aws:iam::123456789012:role/deployer".into()),
            role_session_name: Some("ci-run".into()),
            duration_seconds: Some(900),
            ..Default::default()
        })
        .await
        .unwrap();
    let creds = assumed.credentials.unwrap();
    assert!(creds.access_key_id.is_some_and(|k| !k.is_empty()));
    assert!(creds.session_token.is_some());
    assert!(creds.expiration.unwrap() > DateTime::now());
    assert!(assumed
        .assumed_role_user
        .unwrap()
        .arn
        .unwrap()
        .ends_with("/ci-run"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cloudwatch_metrics_and_alarms() {
    use cloudwatch::types::*;
    let moto = Moto::start();
    let client = cloudwatch::Client::new(&moto.session());
    client
        .put_metric_data(PutMetricDataInput {
            namespace: Some("App/Test".into()),
            metric_data: Some(vec![MetricDatum {
                metric_name: Some("Latency".into()),
                dimensions: Some(vec![Dimension {
                    name: Some("Route".into()),
                    value: Some("/home".into()),
                }]),
                value: Some(12.5),
                unit: Some(StandardUnit::Milliseconds),
                timestamp: Some(DateTime::now()),
                ..Default::default()
            }]),
            ..Default::default()
        })
        .await
        .unwrap();
    let metrics = client
        .list_metrics(ListMetricsInput {
            namespace: Some("App/Test".into()),
            ..Default::default()
        })
        .await
        .unwrap()
        .metrics
        .unwrap_or_default();
    assert_eq!(metrics.len(), 1);
    assert_eq!(metrics[0].metric_name.as_deref(), Some("Latency"));
    assert_eq!(
        metrics[0].dimensions.as_ref().unwrap()[0].value.as_deref(),
        Some("/home")
    );
    client
        .put_metric_alarm(PutMetricAlarmInput {
            alarm_name: Some("slow".into()),
            metric_name: Some("Latency".into()),
            namespace: Some("App/Test".into()),
            statistic: Some(Statistic::Average),
            period: Some(60),
            evaluation_periods: Some(1),
            threshold: Some(100.0),
            comparison_operator: Some(ComparisonOperator::GreaterThanThreshold),
            ..Default::default()
        })
        .await
        .unwrap();
    let alarms = client
        .describe_alarms(DescribeAlarmsInput::default())
        .await
        .unwrap()
        .metric_alarms
        .unwrap_or_default();
    assert_eq!(alarms.len(), 1);
    assert_eq!(alarms[0].alarm_name.as_deref(), Some("slow"));
    assert_eq!(alarms[0].threshold, Some(100.0));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cloudformation_create_and_describe_stack() {
    use cloudformation::types::*;
    let moto = Moto::start();
    let client = cloudformation::Client::new(&moto.session());
    let template = r#"{
        "AWSTemplateFormatVersion": "2010-09-09",
        "Parameters": {"QueueName": {"Type": "String"}},
        "Resources": {"Queue": {"Type": "AWS::SQS::Queue", "Properties": {"QueueName": {"Ref": "QueueName"}}}},
        "Outputs": {"QueueUrl": {"Value": {"Ref": "Queue"}}}
    }"#;
    let created = client
        .create_stack(CreateStackInput {
            stack_name: Some("app".into()),
            template_body: Some(template.into()),
            parameters: Some(vec![Parameter {
                parameter_key: Some("QueueName".into()),
                parameter_value: Some("from-stack".into()),
                ..Default::default()
            }]),
            tags: Some(vec![Tag {
                key: Some("env".into()),
                value: Some("test".into()),
            }]),
            ..Default::default()
        })
        .await
        .unwrap();
    let id = created.stack_id.unwrap();
    let stacks = client
        .describe_stacks(DescribeStacksInput {
            stack_name: Some("app".into()),
            ..Default::default()
        })
        .await
        .unwrap()
        .stacks
        .unwrap_or_default();
    assert_eq!(stacks.len(), 1);
    assert_eq!(stacks[0].stack_id.as_deref(), Some(id.as_str()));
    assert_eq!(stacks[0].stack_status, Some(StackStatus::CreateComplete));
    assert_eq!(
        stacks[0].tags.as_ref().unwrap()[0].value.as_deref(),
        Some("test")
    );
    let outputs = stacks[0].outputs.clone().unwrap_or_default();
    assert!(outputs[0]
        .output_value
        .as_deref()
        .is_some_and(|u| u.ends_with("/from-stack")));
    let err = client
        .describe_stacks(DescribeStacksInput {
            stack_name: Some("missing".into()),
            ..Default::default()
        })
        .await
        .unwrap_err();
    assert_eq!(err.code(), Some("ValidationError"), "{err}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn glacier_vaults_and_archives() {
    use glacier::types::*;
    let moto = Moto::start();
    let client = glacier::Client::new(&moto.session());
    // accountId is left unset: "-" (the caller's account) is sent, as boto3 does.
    client
        .create_vault(CreateVaultInput {
            vault_name: Some("backups".into()),
            ..Default::default()
        })
        .await
        .unwrap();
    let described = client
        .describe_vault(DescribeVaultInput {
            vault_name: Some("backups".into()),
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(described.vault_name.as_deref(), Some("backups"));
    assert!(described.vault_arn.unwrap().ends_with(":vaults/backups"));
    let archive = client
        .upload_archive(UploadArchiveInput {
            vault_name: Some("backups".into()),
            archive_description: Some("nightly".into()),
            body: Some(ByteStream::from(vec![42u8; 2048])),
            ..Default::default()
        })
        .await
        .unwrap();
    assert!(archive.archive_id.is_some_and(|a| !a.is_empty()));
    let vaults = client
        .list_vaults(ListVaultsInput::default())
        .await
        .unwrap()
        .vault_list
        .unwrap_or_default();
    assert_eq!(vaults.len(), 1);
}
