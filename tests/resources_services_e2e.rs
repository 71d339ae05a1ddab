//! The resource layer of sqs, iam, dynamodb, sns, cloudformation, cloudwatch and glacier against
//! moto's server, doing what boto3 users do with `boto3.resource(...)`.

use boto_tests::Moto;
use futures::TryStreamExt;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqs_queues_and_messages() {
    let moto = Moto::start();
    let sqsr = sqs::ServiceResource::new(&moto.session());
    let queue = sqsr
        .create_queue(sqs::types::CreateQueueRequest {
            queue_name: Some("res-queue".into()),
            attributes: Some([("VisibilityTimeout".to_string(), "45".to_string())].into()),
            ..Default::default()
        })
        .await
        .unwrap();
    assert!(queue.url().ends_with("/res-queue"), "{}", queue.url());
    let by_name = sqsr
        .get_queue_by_name(sqs::types::GetQueueUrlRequest {
            queue_name: Some("res-queue".into()),
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(by_name, queue);
    // Attributes load through GetQueueAttributes with AttributeNames [All].
    let attrs = queue.attributes().await.unwrap().unwrap();
    assert_eq!(
        attrs.get("VisibilityTimeout").map(String::as_str),
        Some("45")
    );
    for body in ["one", "two", "three"] {
        queue
            .send_message(sqs::types::SendMessageRequest {
                message_body: Some(body.into()),
                ..Default::default()
            })
            .await
            .unwrap();
    }
    // The queues collection (no data path: resources from QueueUrls[]).
    let queues: Vec<sqs::resource::Queue> = sqsr.queues().stream().try_collect().await.unwrap();
    assert_eq!(queues, vec![queue.clone()]);

    // Messages as resources with their data; the queue url comes from the parent.
    let messages = queue
        .receive_messages(sqs::types::ReceiveMessageRequest {
            max_number_of_messages: Some(10),
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(messages.len(), 3);
    let mut bodies = Vec::new();
    for m in &messages {
        assert_eq!(m.queue_url(), queue.url());
        assert!(!m.receipt_handle().is_empty());
        bodies.push(m.body().await.unwrap().unwrap());
    }
    bodies.sort();
    assert_eq!(bodies, ["one", "three", "two"]);
    messages[0].delete(Default::default()).await.unwrap();
    // The queue resource forgets its data after an action; the count is read afresh.
    queue.reload().await.unwrap();
    let attrs = queue.attributes().await.unwrap().unwrap();
    let in_flight: i64 = attrs["ApproximateNumberOfMessagesNotVisible"]
        .parse()
        .unwrap();
    assert_eq!(in_flight, 2);
    // A message made from identifiers has no load: its attributes are a clear error.
    let bare = sqsr.message(queue.url(), "handle");
    let err = bare.body().await.unwrap_err();
    assert!(err.to_string().contains("no load request"), "{err}");
    queue.delete(Default::default()).await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn iam_users_groups_policies_and_keys() {
    let moto = Moto::start();
    let iamr = iam::ServiceResource::new(&moto.session());
    let user = iamr
        .create_user(iam::types::CreateUserRequest {
            user_name: Some("alice".into()),
            path: Some("/staff/".into()),
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(user.name(), "alice");
    // Data came with CreateUser: no load needed for the path.
    assert_eq!(user.path().await.unwrap().as_deref(), Some("/staff/"));
    assert!(user
        .arn()
        .await
        .unwrap()
        .unwrap()
        .ends_with(":user/staff/alice"));
    let group = iamr
        .create_group(iam::types::CreateGroupRequest {
            group_name: Some("admins".into()),
            ..Default::default()
        })
        .await
        .unwrap();
    group
        .add_user(iam::types::AddUserToGroupRequest {
            user_name: Some("alice".into()),
            ..Default::default()
        })
        .await
        .unwrap();
    let members: Vec<iam::resource::User> = group.users().stream().try_collect().await.unwrap();
    assert_eq!(members, vec![user.clone()]);
    let groups: Vec<iam::resource::Group> = user.groups().stream().try_collect().await.unwrap();
    assert_eq!(groups, vec![group.clone()]);

    let doc = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"}]}"#;
    let policy = iamr
        .create_policy(iam::types::CreatePolicyRequest {
            policy_name: Some("s3-all".into()),
            policy_document: Some(doc.into()),
            ..Default::default()
        })
        .await
        .unwrap();
    assert!(policy.arn().ends_with(":policy/s3-all"));
    user.attach_policy(iam::types::AttachUserPolicyRequest {
        policy_arn: Some(policy.arn().to_string()),
        ..Default::default()
    })
    .await
    .unwrap();
    let attached: Vec<iam::resource::Policy> = user
        .attached_policies()
        .stream()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(attached, vec![policy.clone()]);
    // A reference: the policy's default version, from its data.
    let version = policy.default_version().await.unwrap().unwrap();
    assert_eq!(version.arn(), policy.arn());
    assert_eq!(version.version_id(), "v1");
    assert_eq!(policy.attachment_count().await.unwrap(), Some(1));

    let key = user
        .create_access_key_pair(Default::default())
        .await
        .unwrap();
    assert_eq!(key.user_name(), "alice");
    assert!(key.secret().len() >= 20);
    let keys: Vec<iam::resource::AccessKey> =
        user.access_keys().stream().try_collect().await.unwrap();
    assert_eq!(keys.len(), 1);
    assert_eq!(keys[0].id(), key.id());
    assert_eq!(
        keys[0].status().await.unwrap(),
        Some(iam::types::StatusType::Active)
    );
    keys[0].deactivate(Default::default()).await.unwrap();
    let keys: Vec<iam::resource::AccessKey> =
        user.access_keys().stream().try_collect().await.unwrap();
    assert_eq!(
        keys[0].status().await.unwrap(),
        Some(iam::types::StatusType::Inactive)
    );
    // Collections filter with the caller's parameters (PathPrefix).
    let staff: Vec<iam::resource::User> = iamr
        .users()
        .filter(iam::types::ListUsersRequest {
            path_prefix: Some("/staff/".into()),
            ..Default::default()
        })
        .stream()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(staff, vec![user.clone()]);
    let nobody: Vec<iam::resource::User> = iamr
        .users()
        .filter(iam::types::ListUsersRequest {
            path_prefix: Some("/contractors/".into()),
            ..Default::default()
        })
        .stream()
        .try_collect()
        .await
        .unwrap();
    assert!(nobody.is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn dynamodb_table_actions_and_reload() {
    let moto = Moto::start();
    let ddb = dynamodb::ServiceResource::new(&moto.session());
    let table = ddb
        .create_table(dynamodb::types::CreateTableInput {
            table_name: Some("res-table".into()),
            key_schema: Some(vec![dynamodb::types::KeySchemaElement {
                attribute_name: Some("pk".into()),
                key_type: Some(dynamodb::types::KeyType::Hash),
            }]),
            attribute_definitions: Some(vec![dynamodb::types::AttributeDefinition {
                attribute_name: Some("pk".into()),
                attribute_type: Some(dynamodb::types::ScalarAttributeType::S),
            }]),
            billing_mode: Some(dynamodb::types::BillingMode::PayPerRequest),
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(table.name(), "res-table");
    table
        .wait_until_exists()
        .delay(std::time::Duration::from_millis(50))
        .await
        .unwrap();
    // The data from CreateTable's TableDescription is there already.
    assert_eq!(table.item_count().await.unwrap(), Some(0));
    // The table's item methods take native items, as boto3's do.
    for i in 0..3 {
        let item = serde_json::json!({ "pk": format!("k{i}"), "n": i });
        table.put_item(&item).await.unwrap();
    }
    // put_item cleared the data; the next attribute loads DescribeTable.
    assert_eq!(table.item_count().await.unwrap(), Some(3));
    table.reload().await.unwrap();
    assert_eq!(table.item_count().await.unwrap(), Some(3));
    let got = table
        .get_item(&serde_json::json!({ "pk": "k1" }))
        .await
        .unwrap();
    assert_eq!(
        got.item::<serde_json::Value>().unwrap(),
        Some(serde_json::json!({ "pk": "k1", "n": 1 }))
    );
    let tables: Vec<dynamodb::resource::Table> = ddb.tables().stream().try_collect().await.unwrap();
    assert_eq!(tables, vec![table.clone()]);
    table.delete(Default::default()).await.unwrap();
    table
        .wait_until_not_exists()
        .delay(std::time::Duration::from_millis(50))
        .await
        .unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sns_topics_and_subscriptions() {
    let moto = Moto::start();
    let snsr = sns::ServiceResource::new(&moto.session());
    let queue = sqs::ServiceResource::new(&moto.session())
        .create_queue(sqs::types::CreateQueueRequest {
            queue_name: Some("sns-target".into()),
            ..Default::default()
        })
        .await
        .unwrap();
    let queue_arn = queue.attributes().await.unwrap().unwrap()["QueueArn"].clone();
    let topic = snsr
        .create_topic(sns::types::CreateTopicInput {
            name: Some("res-topic".into()),
            ..Default::default()
        })
        .await
        .unwrap();
    assert!(topic.arn().ends_with(":res-topic"));
    let sub = topic
        .subscribe(sns::types::SubscribeInput {
            protocol: Some("sqs".into()),
            endpoint: Some(queue_arn),
            ..Default::default()
        })
        .await
        .unwrap();
    assert!(sub.arn().starts_with(topic.arn()), "{}", sub.arn());
    let attrs = sub.attributes().await.unwrap().unwrap();
    assert_eq!(attrs.get("TopicArn").map(String::as_str), Some(topic.arn()));
    let subs: Vec<sns::resource::Subscription> =
        topic.subscriptions().stream().try_collect().await.unwrap();
    assert_eq!(subs, vec![sub.clone()]);
    let topics: Vec<sns::resource::Topic> = snsr.topics().stream().try_collect().await.unwrap();
    assert_eq!(topics, vec![topic.clone()]);
    let attrs = topic.attributes().await.unwrap().unwrap();
    assert_eq!(attrs.get("TopicArn").map(String::as_str), Some(topic.arn()));
    let published = topic
        .publish(sns::types::PublishInput {
            message: Some("hello".into()),
            ..Default::default()
        })
        .await
        .unwrap();
    assert!(published.message_id.is_some());
    let delivered = queue
        .receive_messages(sqs::types::ReceiveMessageRequest {
            wait_time_seconds: Some(1),
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(delivered.len(), 1);
    assert!(delivered[0]
        .body()
        .await
        .unwrap()
        .unwrap()
        .contains("hello"));
    sub.delete(Default::default()).await.unwrap();
    let subs: Vec<sns::resource::Subscription> =
        topic.subscriptions().stream().try_collect().await.unwrap();
    assert!(subs.is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cloudformation_stacks_and_their_resources() {
    let moto = Moto::start();
    let cfn = cloudformation::ServiceResource::new(&moto.session());
    let template = r#"{"Resources":{"Bucket":{"Type":"AWS::S3::Bucket","Properties":{"BucketName":"cfn-res-bucket"}},"Queue":{"Type":"AWS::SQS::Queue","Properties":{"QueueName":"cfn-res-queue"}}}}"#;
    let stack = cfn
        .create_stack(cloudformation::types::CreateStackInput {
            stack_name: Some("res-stack".into()),
            template_body: Some(template.into()),
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(stack.name(), "res-stack");
    assert_eq!(
        stack.stack_status().await.unwrap(),
        Some(cloudformation::types::StackStatus::CreateComplete)
    );
    let mut summaries: Vec<cloudformation::resource::StackResourceSummary> = stack
        .resource_summaries()
        .stream()
        .try_collect()
        .await
        .unwrap();
    summaries.sort_by(|a, b| a.logical_id().cmp(b.logical_id()));
    let ids: Vec<&str> = summaries.iter().map(|s| s.logical_id()).collect();
    assert_eq!(ids, ["Bucket", "Queue"]);
    assert_eq!(summaries[0].stack_name(), "res-stack");
    assert_eq!(
        summaries[0].resource_type().await.unwrap().as_deref(),
        Some("AWS::S3::Bucket")
    );
    // A subresource by identifiers, loaded through DescribeStackResource.
    let bucket = stack.resource("Bucket");
    assert_eq!(
        bucket.physical_resource_id().await.unwrap().as_deref(),
        Some("cfn-res-bucket")
    );
    let events: Vec<cloudformation::resource::Event> =
        stack.events().stream().try_collect().await.unwrap();
    assert!(!events.is_empty());
    let stacks: Vec<cloudformation::resource::Stack> =
        cfn.stacks().stream().try_collect().await.unwrap();
    assert_eq!(stacks, vec![stack.clone()]);
    stack.delete(Default::default()).await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cloudwatch_metrics_and_alarms() {
    let moto = Moto::start();
    let cw = cloudwatch::ServiceResource::new(&moto.session());
    let metric = cw.metric("Res/Test", "Latency");
    metric
        .put_data(cloudwatch::types::PutMetricDataInput {
            metric_data: Some(vec![cloudwatch::types::MetricDatum {
                metric_name: Some("Latency".into()),
                value: Some(12.5),
                ..Default::default()
            }]),
            ..Default::default()
        })
        .await
        .unwrap();
    let metrics: Vec<cloudwatch::resource::Metric> = cw
        .metrics()
        .filter(cloudwatch::types::ListMetricsInput {
            namespace: Some("Res/Test".into()),
            ..Default::default()
        })
        .stream()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(metrics, vec![metric.clone()]);
    for name in ["high-latency", "very-high-latency"] {
        let alarm = metric
            .put_alarm(cloudwatch::types::PutMetricAlarmInput {
                alarm_name: Some(name.into()),
                statistic: Some(cloudwatch::types::Statistic::Average),
                period: Some(60),
                evaluation_periods: Some(1),
                threshold: Some(100.0),
                comparison_operator: Some(
                    cloudwatch::types::ComparisonOperator::GreaterThanThreshold,
                ),
                ..Default::default()
            })
            .await
            .unwrap();
        assert_eq!(alarm.name(), name);
    }
    let alarm = cw.alarm("high-latency");
    assert_eq!(
        alarm.metric_name().await.unwrap().as_deref(),
        Some("Latency")
    );
    assert_eq!(alarm.threshold().await.unwrap(), Some(100.0));
    // The reference back to the metric, from the alarm's data.
    assert_eq!(alarm.metric().await.unwrap(), Some(metric.clone()));
    // Batch actions on the alarms collection: one DeleteAlarms for the page.
    let alarms = cw.alarms();
    let all: Vec<cloudwatch::resource::Alarm> = alarms.stream().try_collect().await.unwrap();
    assert_eq!(all.len(), 2);
    // (moto does not implement DisableAlarmActions, so the batch delete stands for the three.)
    let sent = cw.alarms().delete(Default::default()).await.unwrap();
    assert_eq!(sent.len(), 1);
    let left: Vec<cloudwatch::resource::Alarm> = cw.alarms().stream().try_collect().await.unwrap();
    assert!(left.is_empty());
    // Nothing left: the batch action sends nothing.
    let sent = cw.alarms().delete(Default::default()).await.unwrap();
    assert!(sent.is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn glacier_vaults() {
    let moto = Moto::start();
    let gl = glacier::ServiceResource::new(&moto.session());
    let vault = gl
        .create_vault(glacier::types::CreateVaultInput {
            vault_name: Some("res-vault".into()),
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!((vault.account_id(), vault.name()), ("-", "res-vault"));
    assert!(vault
        .vault_arn()
        .await
        .unwrap()
        .is_some_and(|a| a.ends_with(":vaults/res-vault")));
    let archive = vault
        .upload_archive(glacier::types::UploadArchiveInput {
            body: Some(boto_runtime::ByteStream::from("archived bytes")),
            archive_description: Some("first".into()),
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(archive.vault_name(), "res-vault");
    assert!(!archive.id().is_empty());
    let vaults: Vec<glacier::resource::Vault> = gl.vaults().stream().try_collect().await.unwrap();
    assert_eq!(vaults, vec![vault.clone()]);
    let account = gl.account("-");
    let through_account: Vec<glacier::resource::Vault> =
        account.vaults().stream().try_collect().await.unwrap();
    assert_eq!(through_account, vec![vault.clone()]);
    archive.delete(Default::default()).await.unwrap();
}
