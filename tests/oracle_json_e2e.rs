//! JSON-protocol services end to end against moto, boto3 as the oracle: each call goes through
//! boto-rs and through boto3 against the same server and the answers are compared member by
//! member (see `support/oracle.rs`). Each service's test creates, reads, lists (through its
//! paginator, a page at a time), deletes, and draws a modeled error.

use boto_tests::oracle::{answer, assert_same, edit_both, error_json, pages, Answer, Boto3};
use boto_tests::Moto;
use futures::TryStreamExt;
use serde_json::json;

/// boto-rs's answer for an operation without output, which boto3 shows as `{}`.
fn answer_unit(rs: &Result<(), boto_runtime::Error>) -> Answer {
    rs.as_ref().map(|()| json!({})).map_err(error_json).into()
}

/// Asserts that boto-rs's failed call gives `$krate::Error::$variant` typed.
macro_rules! assert_typed {
    ($rs:expr, $krate:ident :: $variant:ident) => {{
        let err = $rs.as_ref().unwrap_err();
        assert!(
            matches!($krate::Error::try_from(err), Ok($krate::Error::$variant(_))),
            "{err}"
        );
    }};
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn kms_keys_aliases_encryption_and_errors() {
    use kms::types::*;
    let moto = Moto::start();
    let client = kms::Client::new(&moto.session());
    let mut py = Boto3::start(&moto, "kms");

    // Create: one key through each; their ids, ARNs and dates differ by nature.
    let req = CreateKeyRequest {
        description: Some("boto-rs <oracle> & \"quotes\"".into()),
        key_usage: Some(KeyUsageType::EncryptDecrypt),
        tags: Some(vec![Tag {
            tag_key: Some("team".into()),
            tag_value: Some("storage".into()),
        }]),
        ..Default::default()
    };
    let rs = client.create_key(req.clone()).await;
    let created = py.call("CreateKey", &req);
    let volatile = [
        "KeyMetadata.KeyId",
        "KeyMetadata.Arn",
        "KeyMetadata.CreationDate",
    ];
    assert_same("CreateKey", &answer(&rs), &created, &volatile);
    let key_id = rs.unwrap().key_metadata.unwrap().key_id.unwrap();
    let py_key = created.unwrap()["KeyMetadata"]["KeyId"]
        .as_str()
        .unwrap()
        .to_string();

    // Read: the same key through both.
    let req = DescribeKeyRequest {
        key_id: Some(key_id.clone()),
        ..Default::default()
    };
    assert_same(
        "DescribeKey",
        &answer(&client.describe_key(req.clone()).await),
        &py.call("DescribeKey", &req),
        &[],
    );

    // Aliases, then both listings a page at a time.
    for (alias, key) in [("alias/rs", &key_id), ("alias/py", &py_key)] {
        client
            .create_alias(CreateAliasRequest {
                alias_name: Some(alias.into()),
                target_key_id: Some(key.clone()),
            })
            .await
            .unwrap();
    }
    let req = ListKeysRequest::default();
    let rs = client
        .list_keys_paginator(req.clone())
        .page_size(1)
        .pages()
        .try_collect::<Vec<_>>()
        .await;
    let py_pages = py.paginate("ListKeys", &req, json!({"PageSize": 1}));
    assert_same("ListKeys pages", &pages(&rs), &py_pages, &[]);
    // moto answers ListKeys in one page whatever the limit; both keys are in it.
    let listed: Vec<String> = rs
        .unwrap()
        .into_iter()
        .flat_map(|p| p.keys.unwrap_or_default())
        .filter_map(|k| k.key_id)
        .collect();
    assert!(
        listed.contains(&key_id) && listed.contains(&py_key),
        "{listed:?}"
    );
    let req = ListAliasesRequest {
        key_id: Some(key_id.clone()),
        ..Default::default()
    };
    let rs = client
        .list_aliases_paginator(req.clone())
        .page_size(1)
        .pages()
        .try_collect::<Vec<_>>()
        .await;
    assert_same(
        "ListAliases pages",
        &pages(&rs),
        &py.paginate("ListAliases", &req, json!({"PageSize": 1})),
        &[],
    );

    // Blobs both ways: what one side encrypts, both decrypt to the same plaintext.
    let rs = client
        .encrypt(EncryptRequest {
            key_id: Some("alias/rs".into()),
            plaintext: Some(boto_runtime::Blob::new(b"secret \x01 bytes".to_vec())),
            ..Default::default()
        })
        .await
        .unwrap();
    let req = DecryptRequest {
        ciphertext_blob: rs.ciphertext_blob.clone(),
        ..Default::default()
    };
    let decrypted = client.decrypt(req.clone()).await;
    assert_eq!(
        decrypted
            .as_ref()
            .unwrap()
            .plaintext
            .as_ref()
            .unwrap()
            .as_bytes(),
        b"secret \x01 bytes"
    );
    assert_same(
        "Decrypt",
        &answer(&decrypted),
        &py.call("Decrypt", &req),
        &[],
    );

    // A modeled error: typed on boto-rs's side, and the same code, message and status.
    let req = DescribeKeyRequest {
        key_id: Some("alias/missing".into()),
        ..Default::default()
    };
    let rs = client.describe_key(req.clone()).await;
    let err = rs.as_ref().unwrap_err();
    assert!(
        matches!(
            kms::Error::try_from(err),
            Ok(kms::Error::NotFoundException(_))
        ),
        "{err}"
    );
    assert_same(
        "DescribeKey (missing)",
        &answer(&rs),
        &py.call("DescribeKey", &req),
        &[],
    );

    // Delete: scheduled, as KMS does; both answers agree, and the key reads as pending.
    for key in [&key_id, &py_key] {
        let req = ScheduleKeyDeletionRequest {
            key_id: Some(key.clone()),
            pending_window_in_days: Some(7),
        };
        let rs = client.schedule_key_deletion(req.clone()).await;
        assert!(rs.is_ok(), "{rs:?}");
        // The second request for the same key: both see it already pending.
        assert_same(
            "ScheduleKeyDeletion (again)",
            &answer(&client.schedule_key_deletion(req.clone()).await),
            &py.call("ScheduleKeyDeletion", &req),
            &["DeletionDate"],
        );
    }
    let described = client
        .describe_key(DescribeKeyRequest {
            key_id: Some(key_id),
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(
        described.key_metadata.unwrap().key_state,
        Some(KeyState::PendingDeletion)
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn secretsmanager_secrets_versions_listing_and_errors() {
    use secretsmanager::types::*;
    let moto = Moto::start();
    let client = secretsmanager::Client::new(&moto.session());
    let mut py = Boto3::start(&moto, "secretsmanager");

    // Create: the same secret through each side in turn (boto-rs's is removed before boto3
    // makes it again); the ARN's random suffix and the version id (an idempotency token each
    // side fills in itself) differ by nature.
    let name = "app/db-password";
    let req = CreateSecretRequest {
        name: Some(name.into()),
        description: Some("db <creds> & \"quotes\"".into()),
        secret_string: Some("p@ss \"w0rd\" & <more> é 😀 \u{1}\\".into()),
        tags: Some(vec![Tag {
            key: Some("team".into()),
            value: Some("storage & co".into()),
        }]),
        ..Default::default()
    };
    let rs = client.create_secret(req.clone()).await;
    let rs_arn = rs.as_ref().unwrap().arn.clone().unwrap();
    let delete = DeleteSecretRequest {
        secret_id: Some(rs_arn.clone()),
        force_delete_without_recovery: Some(true),
        ..Default::default()
    };
    client.delete_secret(delete).await.unwrap();
    let created = py.call("CreateSecret", &req);
    assert_same(
        "CreateSecret",
        &answer(&rs),
        &created,
        &["ARN", "VersionId"],
    );
    let arn = created.unwrap()["ARN"].as_str().unwrap().to_string();
    client
        .create_secret(CreateSecretRequest {
            name: Some("app/api-key".into()),
            secret_binary: Some(boto_runtime::Blob::new(b"k-123 \x00\x01 & <bin>".to_vec())),
            ..Default::default()
        })
        .await
        .unwrap();

    // Read: the same secret, its metadata and its value, through both.
    let req = DescribeSecretRequest {
        secret_id: Some(name.into()),
    };
    let described = client.describe_secret(req.clone()).await;
    assert_eq!(described.as_ref().unwrap().arn.as_deref(), Some(&*arn));
    assert_same(
        "DescribeSecret",
        &answer(&described),
        &py.call("DescribeSecret", &req),
        &[],
    );
    let req = GetSecretValueRequest {
        secret_id: Some(arn.clone()),
        ..Default::default()
    };
    let value = client.get_secret_value(req.clone()).await;
    assert_eq!(
        value.as_ref().unwrap().secret_string.as_deref(),
        Some("p@ss \"w0rd\" & <more> é 😀 \u{1}\\")
    );
    assert_same(
        "GetSecretValue",
        &answer(&value),
        &py.call("GetSecretValue", &req),
        &[],
    );
    let req = GetSecretValueRequest {
        secret_id: Some("app/api-key".into()),
        ..Default::default()
    };
    let value = client.get_secret_value(req.clone()).await;
    assert_eq!(
        value
            .as_ref()
            .unwrap()
            .secret_binary
            .as_ref()
            .unwrap()
            .as_bytes(),
        b"k-123 \x00\x01 & <bin>"
    );
    assert_same(
        "GetSecretValue (binary)",
        &answer(&value),
        &py.call("GetSecretValue", &req),
        &[],
    );

    // List a page at a time, filtered by name prefix.
    let req = ListSecretsRequest {
        filters: Some(vec![Filter {
            key: Some(FilterNameStringType::Name),
            values: Some(vec!["app/".into()]),
        }]),
        ..Default::default()
    };
    let rs = client
        .list_secrets_paginator(req.clone())
        .page_size(1)
        .pages()
        .try_collect::<Vec<_>>()
        .await;
    assert_same(
        "ListSecrets pages",
        &pages(&rs),
        &py.paginate("ListSecrets", &req, json!({"PageSize": 1})),
        &[],
    );
    let rs = rs.unwrap();
    assert_eq!(rs.len(), 2, "{rs:?}");
    let listed: Vec<String> = rs
        .into_iter()
        .flat_map(|p| p.secret_list.unwrap_or_default())
        .filter_map(|s| s.name)
        .collect();
    assert_eq!(listed, ["app/db-password", "app/api-key"]);

    // Modeled errors: a missing secret, and a name already taken.
    let req = DescribeSecretRequest {
        secret_id: Some("app/missing".into()),
    };
    let rs = client.describe_secret(req.clone()).await;
    let err = rs.as_ref().unwrap_err();
    assert!(
        matches!(
            secretsmanager::Error::try_from(err),
            Ok(secretsmanager::Error::ResourceNotFoundException(_))
        ),
        "{err}"
    );
    assert_same(
        "DescribeSecret (missing)",
        &answer(&rs),
        &py.call("DescribeSecret", &req),
        &[],
    );
    let req = CreateSecretRequest {
        name: Some("app/api-key".into()),
        secret_string: Some("again".into()),
        ..Default::default()
    };
    let rs = client.create_secret(req.clone()).await;
    let err = rs.as_ref().unwrap_err();
    assert!(
        matches!(
            secretsmanager::Error::try_from(err),
            Ok(secretsmanager::Error::ResourceExistsException(_))
        ),
        "{err}"
    );
    assert_same(
        "CreateSecret (taken)",
        &answer(&rs),
        &py.call("CreateSecret", &req),
        &[],
    );

    // Delete: the answer names the secret; afterwards neither side finds it.
    let req = DeleteSecretRequest {
        secret_id: Some(name.into()),
        force_delete_without_recovery: Some(true),
        ..Default::default()
    };
    let deleted = client.delete_secret(req).await.unwrap();
    assert_eq!(deleted.arn.as_deref(), Some(&*arn));
    assert_eq!(deleted.name.as_deref(), Some(name));
    let req = DescribeSecretRequest {
        secret_id: Some(name.into()),
    };
    let rs = client.describe_secret(req.clone()).await;
    assert!(
        matches!(
            secretsmanager::Error::try_from(rs.as_ref().unwrap_err()),
            Ok(secretsmanager::Error::ResourceNotFoundException(_))
        ),
        "{rs:?}"
    );
    assert_same(
        "DescribeSecret (deleted)",
        &answer(&rs),
        &py.call("DescribeSecret", &req),
        &[],
    );

    // A deletion scheduled rather than forced: the secret stays, marked with the (sub-second)
    // time it was deleted, which both read alike.
    let scheduled = client
        .delete_secret(DeleteSecretRequest {
            secret_id: Some("app/api-key".into()),
            recovery_window_in_days: Some(7),
            ..Default::default()
        })
        .await
        .unwrap();
    assert!(scheduled.deletion_date.is_some(), "{scheduled:?}");
    let req = DescribeSecretRequest {
        secret_id: Some("app/api-key".into()),
    };
    let described = client.describe_secret(req.clone()).await;
    assert!(described.as_ref().unwrap().deleted_date.is_some());
    assert_same(
        "DescribeSecret (scheduled for deletion)",
        &answer(&described),
        &py.call("DescribeSecret", &req),
        &[],
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ssm_parameters_by_path_and_errors() {
    use ssm::types::*;
    let moto = Moto::start();
    let client = ssm::Client::new(&moto.session());
    let mut py = Boto3::start(&moto, "ssm");

    // Create: the same parameter through each side in turn (boto-rs's is deleted first).
    let name = "/app/db/url";
    let value = "postgres://u:p@db.internal/app?sslmode=require&x=\"1\" <é>";
    let req = PutParameterRequest {
        name: Some(name.into()),
        description: Some("db <url> & \"co\"".into()),
        value: Some(value.into()),
        r#type: Some(ParameterType::String),
        tags: Some(vec![Tag {
            key: Some("team".into()),
            value: Some("storage".into()),
        }]),
        ..Default::default()
    };
    let rs = client.put_parameter(req.clone()).await;
    assert!(rs.is_ok(), "{rs:?}");
    client
        .delete_parameter(DeleteParameterRequest {
            name: Some(name.into()),
        })
        .await
        .unwrap();
    assert_same(
        "PutParameter",
        &answer(&rs),
        &py.call("PutParameter", &req),
        &[],
    );
    client
        .put_parameter(PutParameterRequest {
            name: Some("/app/db/user".into()),
            value: Some("admin".into()),
            r#type: Some(ParameterType::SecureString),
            ..Default::default()
        })
        .await
        .unwrap();

    // Read: the same parameter through both.
    let req = GetParameterRequest {
        name: Some(name.into()),
        ..Default::default()
    };
    let got = client.get_parameter(req.clone()).await;
    assert_eq!(
        got.as_ref()
            .unwrap()
            .parameter
            .as_ref()
            .unwrap()
            .value
            .as_deref(),
        Some(value)
    );
    assert_same(
        "GetParameter",
        &answer(&got),
        &py.call("GetParameter", &req),
        &[],
    );

    // List the path a page at a time.
    let req = GetParametersByPathRequest {
        path: Some("/app".into()),
        recursive: Some(true),
        ..Default::default()
    };
    let rs = client
        .get_parameters_by_path_paginator(req.clone())
        .page_size(1)
        .pages()
        .try_collect::<Vec<_>>()
        .await;
    assert_same(
        "GetParametersByPath pages",
        &pages(&rs),
        &py.paginate("GetParametersByPath", &req, json!({"PageSize": 1})),
        &[],
    );
    let listed: Vec<String> = rs
        .unwrap()
        .into_iter()
        .flat_map(|p| p.parameters.unwrap_or_default())
        .filter_map(|p| p.name)
        .collect();
    assert_eq!(listed, [name, "/app/db/user"]);

    // Modeled errors: a missing parameter, and one that exists already.
    let req = GetParameterRequest {
        name: Some("/app/missing".into()),
        ..Default::default()
    };
    let rs = client.get_parameter(req.clone()).await;
    assert_typed!(rs, ssm::ParameterNotFound);
    assert_same(
        "GetParameter (missing)",
        &answer(&rs),
        &py.call("GetParameter", &req),
        &[],
    );
    let req = PutParameterRequest {
        name: Some("/app/db/user".into()),
        value: Some("root".into()),
        r#type: Some(ParameterType::String),
        ..Default::default()
    };
    let rs = client.put_parameter(req.clone()).await;
    assert_typed!(rs, ssm::ParameterAlreadyExists);
    assert_same(
        "PutParameter (exists)",
        &answer(&rs),
        &py.call("PutParameter", &req),
        &[],
    );

    // Delete, then neither side finds it.
    let req = DeleteParameterRequest {
        name: Some(name.into()),
    };
    let rs = client.delete_parameter(req.clone()).await;
    assert!(rs.is_ok(), "{rs:?}");
    let rs = client.delete_parameter(req.clone()).await;
    assert_typed!(rs, ssm::ParameterNotFound);
    assert_same(
        "DeleteParameter (deleted)",
        &answer(&rs),
        &py.call("DeleteParameter", &req),
        &[],
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn logs_groups_streams_events_and_errors() {
    use logs::types::*;
    let moto = Moto::start();
    let client = logs::Client::new(&moto.session());
    let mut py = Boto3::start(&moto, "logs");

    // Create: the same log group through each side in turn (boto-rs's is deleted first).
    let group = "/app/web-server";
    let req = CreateLogGroupRequest {
        log_group_name: Some(group.into()),
        tags: Some([("team".to_string(), "web & <co>".to_string())].into()),
        ..Default::default()
    };
    let rs = client.create_log_group(req.clone()).await;
    assert!(rs.is_ok(), "{rs:?}");
    client
        .delete_log_group(DeleteLogGroupRequest {
            log_group_name: Some(group.into()),
        })
        .await
        .unwrap();
    assert_same(
        "CreateLogGroup",
        &answer_unit(&rs),
        &py.call("CreateLogGroup", &req),
        &[],
    );
    client
        .create_log_group(CreateLogGroupRequest {
            log_group_name: Some("/app/worker".into()),
            ..Default::default()
        })
        .await
        .unwrap();

    // A stream and an event in it, read back through both.
    let stream = "i-0abc/stream 1";
    client
        .create_log_stream(CreateLogStreamRequest {
            log_group_name: Some(group.into()),
            log_stream_name: Some(stream.into()),
        })
        .await
        .unwrap();
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_millis() as i64;
    let message = "GET /?a=1&b=<2> \"ok\" é\ttab";
    let put = client
        .put_log_events(PutLogEventsRequest {
            log_group_name: Some(group.into()),
            log_stream_name: Some(stream.into()),
            log_events: Some(vec![
                InputLogEvent {
                    timestamp: Some(now),
                    message: Some(message.into()),
                },
                InputLogEvent {
                    timestamp: Some(now + 1),
                    message: Some("ERROR disk <full> & \"stuck\"".into()),
                },
                InputLogEvent {
                    timestamp: Some(now + 2),
                    message: Some("ERROR retry 2".into()),
                },
            ]),
            ..Default::default()
        })
        .await
        .unwrap();
    assert!(put.rejected_log_events_info.is_none(), "{put:?}");
    let req = GetLogEventsRequest {
        log_group_name: Some(group.into()),
        log_stream_name: Some(stream.into()),
        start_from_head: Some(true),
        ..Default::default()
    };
    let got = client.get_log_events(req.clone()).await;
    let events = got.as_ref().unwrap().events.clone().unwrap();
    assert_eq!(events.len(), 3);
    assert_eq!(events[0].message.as_deref(), Some(message));
    assert_eq!(events[0].timestamp, Some(now));
    assert_same(
        "GetLogEvents",
        &answer(&got),
        &py.call("GetLogEvents", &req),
        &[],
    );

    // List groups and streams a page at a time.
    let req = DescribeLogGroupsRequest {
        log_group_name_prefix: Some("/app/".into()),
        ..Default::default()
    };
    let rs = client
        .describe_log_groups_paginator(req.clone())
        .page_size(1)
        .pages()
        .try_collect::<Vec<_>>()
        .await;
    assert_same(
        "DescribeLogGroups pages",
        &pages(&rs),
        &py.paginate("DescribeLogGroups", &req, json!({"PageSize": 1})),
        &[],
    );
    let listed: Vec<String> = rs
        .unwrap()
        .into_iter()
        .flat_map(|p| p.log_groups.unwrap_or_default())
        .filter_map(|g| g.log_group_name)
        .collect();
    assert_eq!(listed, [group, "/app/worker"]);
    let req = DescribeLogStreamsRequest {
        log_group_name: Some(group.into()),
        ..Default::default()
    };
    let rs = client
        .describe_log_streams_paginator(req.clone())
        .page_size(1)
        .pages()
        .try_collect::<Vec<_>>()
        .await;
    assert_same(
        "DescribeLogStreams pages",
        &pages(&rs),
        &py.paginate("DescribeLogStreams", &req, json!({"PageSize": 1})),
        &[],
    );

    let req = FilterLogEventsRequest {
        log_group_name: Some(group.into()),
        filter_pattern: Some("ERROR".into()),
        ..Default::default()
    };
    let rs = client
        .filter_log_events_paginator(req.clone())
        .page_size(1)
        .pages()
        .try_collect::<Vec<_>>()
        .await;
    assert_same(
        "FilterLogEvents pages",
        &pages(&rs),
        &py.paginate("FilterLogEvents", &req, json!({"PageSize": 1})),
        &[],
    );
    let found: Vec<String> = rs
        .unwrap()
        .into_iter()
        .flat_map(|p| p.events.unwrap_or_default())
        .filter_map(|e| e.message)
        .collect();
    assert_eq!(found, ["ERROR disk <full> & \"stuck\"", "ERROR retry 2"]);

    // A Logs Insights query started through boto-rs, its results (rows of fields) read by both.
    let started = client
        .start_query(StartQueryRequest {
            log_group_name: Some(group.into()),
            start_time: Some(now / 1000 - 60),
            end_time: Some(now / 1000 + 60),
            query_string: Some("fields @timestamp, @message | sort @timestamp desc".into()),
            ..Default::default()
        })
        .await
        .unwrap();
    let req = GetQueryResultsRequest {
        query_id: started.query_id,
        ..Default::default()
    };
    let rs = client.get_query_results(req.clone()).await;
    let rows = rs.as_ref().unwrap().results.clone().unwrap();
    assert_eq!(rows.len(), 3, "{rows:?}");
    assert_same(
        "GetQueryResults",
        &answer(&rs),
        &py.call("GetQueryResults", &req),
        &[],
    );

    // Modeled errors: a group that exists already, and one that does not exist.
    let req = CreateLogGroupRequest {
        log_group_name: Some("/app/worker".into()),
        ..Default::default()
    };
    let rs = client.create_log_group(req.clone()).await;
    assert_typed!(rs, logs::ResourceAlreadyExistsException);
    assert_same(
        "CreateLogGroup (exists)",
        &answer_unit(&rs),
        &py.call("CreateLogGroup", &req),
        &[],
    );
    let req = DescribeLogStreamsRequest {
        log_group_name: Some("/app/missing".into()),
        ..Default::default()
    };
    let rs = client.describe_log_streams(req.clone()).await;
    assert_typed!(rs, logs::ResourceNotFoundException);
    assert_same(
        "DescribeLogStreams (missing)",
        &answer(&rs),
        &py.call("DescribeLogStreams", &req),
        &[],
    );

    // Delete, then neither side finds it.
    let req = DeleteLogGroupRequest {
        log_group_name: Some(group.into()),
    };
    let rs = client.delete_log_group(req.clone()).await;
    assert!(rs.is_ok(), "{rs:?}");
    let rs = client.delete_log_group(req.clone()).await;
    assert_typed!(rs, logs::ResourceNotFoundException);
    assert_same(
        "DeleteLogGroup (deleted)",
        &answer_unit(&rs),
        &py.call("DeleteLogGroup", &req),
        &[],
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn events_rules_targets_and_errors() {
    use events::types::*;
    let moto = Moto::start();
    let client = events::Client::new(&moto.session());
    let mut py = Boto3::start(&moto, "events");

    // Create: PutRule creates or updates, so the same request through both names the same rule.
    let pattern = json!({"source": ["shop.orders"], "detail": {"note": ["a & <b> \"c\" é"]}});
    let req = PutRuleRequest {
        name: Some("orders-created".into()),
        event_pattern: Some(pattern.to_string()),
        description: Some("orders <new> & \"paid\"".into()),
        state: Some(RuleState::Enabled),
        tags: Some(vec![Tag {
            key: Some("team".into()),
            value: Some("shop".into()),
        }]),
        ..Default::default()
    };
    let rs = client.put_rule(req.clone()).await;
    assert_same("PutRule", &answer(&rs), &py.call("PutRule", &req), &[]);
    let arn = rs.unwrap().rule_arn.unwrap();
    assert!(arn.ends_with(":rule/orders-created"), "{arn}");
    client
        .put_rule(PutRuleRequest {
            name: Some("orders-nightly".into()),
            schedule_expression: Some("rate(1 day)".into()),
            ..Default::default()
        })
        .await
        .unwrap();

    // Read: the same rule through both.
    let req = DescribeRuleRequest {
        name: Some("orders-created".into()),
        ..Default::default()
    };
    let described = client.describe_rule(req.clone()).await;
    let got: serde_json::Value = serde_json::from_str(
        described
            .as_ref()
            .unwrap()
            .event_pattern
            .as_deref()
            .unwrap(),
    )
    .unwrap();
    assert_eq!(got, pattern);
    assert_same(
        "DescribeRule",
        &answer(&described),
        &py.call("DescribeRule", &req),
        &[],
    );

    // Targets, then rules and targets listed a page at a time.
    let req = PutTargetsRequest {
        rule: Some("orders-created".into()),
        targets: Some(vec![
            Target {
                id: Some("queue".into()),
                arn: Some("arn:aws:sqs:us-east-1:123456789012:orders".into()),
                input: Some(r#"{"k":"v & <w>"}"#.into()),
                ..Default::default()
            },
            Target {
                id: Some("log".into()),
                arn: Some(
                    "arn:aws:logs:us-east-1:123456789012:log-group:/aws/events/orders".into(),
                ),
                ..Default::default()
            },
        ]),
        ..Default::default()
    };
    let rs = client.put_targets(req.clone()).await;
    assert_same(
        "PutTargets",
        &answer(&rs),
        &py.call("PutTargets", &req),
        &[],
    );
    let req = ListRulesRequest {
        name_prefix: Some("orders-".into()),
        ..Default::default()
    };
    let rs = client
        .list_rules_paginator(req.clone())
        .page_size(1)
        .pages()
        .try_collect::<Vec<_>>()
        .await;
    assert_same(
        "ListRules pages",
        &pages(&rs),
        &py.paginate("ListRules", &req, json!({"PageSize": 1})),
        &[],
    );
    let listed: Vec<String> = rs
        .unwrap()
        .into_iter()
        .flat_map(|p| p.rules.unwrap_or_default())
        .filter_map(|r| r.name)
        .collect();
    assert_eq!(listed, ["orders-created", "orders-nightly"]);
    let req = ListTargetsByRuleRequest {
        rule: Some("orders-created".into()),
        ..Default::default()
    };
    let rs = client
        .list_targets_by_rule_paginator(req.clone())
        .page_size(1)
        .pages()
        .try_collect::<Vec<_>>()
        .await;
    assert_same(
        "ListTargetsByRule pages",
        &pages(&rs),
        &py.paginate("ListTargetsByRule", &req, json!({"PageSize": 1})),
        &[],
    );

    // A modeled error: a missing rule.
    let req = DescribeRuleRequest {
        name: Some("orders-missing".into()),
        ..Default::default()
    };
    let rs = client.describe_rule(req.clone()).await;
    assert_typed!(rs, events::ResourceNotFoundException);
    assert_same(
        "DescribeRule (missing)",
        &answer(&rs),
        &py.call("DescribeRule", &req),
        &[],
    );

    // Delete: targets first, then the rule; neither side finds it afterwards.
    let rs = client
        .remove_targets(RemoveTargetsRequest {
            rule: Some("orders-created".into()),
            ids: Some(vec!["queue".into(), "log".into()]),
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(rs.failed_entry_count, Some(0));
    client
        .delete_rule(DeleteRuleRequest {
            name: Some("orders-created".into()),
            ..Default::default()
        })
        .await
        .unwrap();
    let req = DescribeRuleRequest {
        name: Some("orders-created".into()),
        ..Default::default()
    };
    let rs = client.describe_rule(req.clone()).await;
    assert_typed!(rs, events::ResourceNotFoundException);
    assert_same(
        "DescribeRule (deleted)",
        &answer(&rs),
        &py.call("DescribeRule", &req),
        &[],
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn kinesis_streams_shards_records_and_errors() {
    use kinesis::types::*;
    let moto = Moto::start();
    let client = kinesis::Client::new(&moto.session());
    let mut py = Boto3::start(&moto, "kinesis");

    // Create: the same stream through each side in turn (boto-rs's is deleted first).
    let req = CreateStreamInput {
        stream_name: Some("clicks".into()),
        shard_count: Some(2),
        ..Default::default()
    };
    let rs = client.create_stream(req.clone()).await;
    assert!(rs.is_ok(), "{rs:?}");
    client
        .delete_stream(DeleteStreamInput {
            stream_name: Some("clicks".into()),
            ..Default::default()
        })
        .await
        .unwrap();
    assert_same(
        "CreateStream",
        &answer_unit(&rs),
        &py.call("CreateStream", &req),
        &[],
    );
    client
        .create_stream(CreateStreamInput {
            stream_name: Some("views".into()),
            shard_count: Some(1),
            ..Default::default()
        })
        .await
        .unwrap();

    // Read: the same stream through both.
    let req = DescribeStreamSummaryInput {
        stream_name: Some("clicks".into()),
        ..Default::default()
    };
    let described = client.describe_stream_summary(req.clone()).await;
    let summary = described
        .as_ref()
        .unwrap()
        .stream_description_summary
        .clone()
        .unwrap();
    assert_eq!(summary.open_shard_count, Some(2));
    assert_same(
        "DescribeStreamSummary",
        &answer(&described),
        &py.call("DescribeStreamSummary", &req),
        &[],
    );

    // Streams and shards listed a page at a time.
    let req = ListStreamsInput::default();
    let rs = client
        .list_streams_paginator(req.clone())
        .page_size(1)
        .pages()
        .try_collect::<Vec<_>>()
        .await;
    assert_same(
        "ListStreams pages",
        &pages(&rs),
        &py.paginate("ListStreams", &req, json!({"PageSize": 1})),
        &[],
    );
    // moto sends no NextToken, so the paginator stops after one page; its summaries name both.
    let listed: Vec<String> = rs
        .unwrap()
        .into_iter()
        .flat_map(|p| p.stream_summaries.unwrap_or_default())
        .filter_map(|s| s.stream_name)
        .collect();
    assert_eq!(listed, ["clicks", "views"]);
    let req = ListShardsInput {
        stream_name: Some("clicks".into()),
        ..Default::default()
    };
    let rs = client
        .list_shards_paginator(req.clone())
        .page_size(1)
        .pages()
        .try_collect::<Vec<_>>()
        .await;
    assert_same(
        "ListShards pages",
        &pages(&rs),
        &py.paginate("ListShards", &req, json!({"PageSize": 1})),
        &[],
    );
    assert_eq!(rs.unwrap().len(), 2);

    // Records: one put through each side (sequence numbers differ by nature), then both read
    // the shard from its start and see the same two records, blobs and all.
    let req = PutRecordInput {
        stream_name: Some("clicks".into()),
        data: Some(boto_runtime::Blob::new(
            br#"{"page":"/a?b=1&c=<2>","who":"\u00e9"}"#.to_vec(),
        )),
        partition_key: Some("user-1".into()),
        ..Default::default()
    };
    let rs = client.put_record(req.clone()).await;
    assert_same(
        "PutRecord",
        &answer(&rs),
        &py.call("PutRecord", &req),
        &["SequenceNumber"],
    );
    let shard = rs.unwrap().shard_id.unwrap();
    let from_start = GetShardIteratorInput {
        stream_name: Some("clicks".into()),
        shard_id: Some(shard),
        shard_iterator_type: Some(ShardIteratorType::TrimHorizon),
        ..Default::default()
    };
    let req = from_start.clone();
    let rs = client.get_shard_iterator(req.clone()).await;
    assert_same(
        "GetShardIterator",
        &answer(&rs),
        &py.call("GetShardIterator", &req),
        &[],
    );
    let req = GetRecordsInput {
        shard_iterator: rs.unwrap().shard_iterator,
        ..Default::default()
    };
    let rs = client.get_records(req.clone()).await;
    let records = rs.as_ref().unwrap().records.clone().unwrap();
    assert_eq!(records.len(), 2);
    assert_eq!(
        records[0].data.as_ref().unwrap().as_bytes(),
        br#"{"page":"/a?b=1&c=<2>","who":"\u00e9"}"#
    );
    assert_same(
        "GetRecords",
        &answer(&rs),
        &py.call("GetRecords", &req),
        &[],
    );

    // From the second record's arrival time (which has milliseconds): both sides send the time as
    // botocore does, so moto starts both iterators at the same record.
    let req = GetShardIteratorInput {
        shard_iterator_type: Some(ShardIteratorType::AtTimestamp),
        timestamp: records[1].approximate_arrival_timestamp,
        ..from_start
    };
    let rs = client.get_shard_iterator(req.clone()).await;
    assert_same(
        "GetShardIterator (at a time)",
        &answer(&rs),
        &py.call("GetShardIterator", &req),
        &[],
    );
    let req = GetRecordsInput {
        shard_iterator: rs.unwrap().shard_iterator,
        ..Default::default()
    };
    assert_same(
        "GetRecords (at a time)",
        &answer(&client.get_records(req.clone()).await),
        &py.call("GetRecords", &req),
        &[],
    );

    // A batch through both: the same shards take the records.
    let req = PutRecordsInput {
        stream_name: Some("clicks".into()),
        records: Some(vec![
            PutRecordsRequestEntry {
                data: Some(boto_runtime::Blob::new(b"a\x00b".to_vec())),
                partition_key: Some("user-2".into()),
                ..Default::default()
            },
            PutRecordsRequestEntry {
                data: Some(boto_runtime::Blob::new(b"<c&d>".to_vec())),
                partition_key: Some("user-3".into()),
                explicit_hash_key: Some("1".into()),
            },
        ]),
        ..Default::default()
    };
    let rs = client.put_records(req.clone()).await;
    assert_eq!(rs.as_ref().unwrap().failed_record_count, Some(0));
    assert_same(
        "PutRecords",
        &answer(&rs),
        &py.call("PutRecords", &req),
        &["Records[].SequenceNumber"],
    );

    // Modeled errors: a missing stream, and a name in use.
    let req = DescribeStreamSummaryInput {
        stream_name: Some("missing".into()),
        ..Default::default()
    };
    let rs = client.describe_stream_summary(req.clone()).await;
    assert_typed!(rs, kinesis::ResourceNotFoundException);
    assert_same(
        "DescribeStreamSummary (missing)",
        &answer(&rs),
        &py.call("DescribeStreamSummary", &req),
        &[],
    );
    let req = CreateStreamInput {
        stream_name: Some("views".into()),
        shard_count: Some(1),
        ..Default::default()
    };
    let rs = client.create_stream(req.clone()).await;
    assert_typed!(rs, kinesis::ResourceInUseException);
    assert_same(
        "CreateStream (in use)",
        &answer_unit(&rs),
        &py.call("CreateStream", &req),
        &[],
    );

    // Delete, then neither side finds it.
    let req = DeleteStreamInput {
        stream_name: Some("clicks".into()),
        ..Default::default()
    };
    let rs = client.delete_stream(req.clone()).await;
    assert!(rs.is_ok(), "{rs:?}");
    let req = DescribeStreamSummaryInput {
        stream_name: Some("clicks".into()),
        ..Default::default()
    };
    let rs = client.describe_stream_summary(req.clone()).await;
    assert_typed!(rs, kinesis::ResourceNotFoundException);
    assert_same(
        "DescribeStreamSummary (deleted)",
        &answer(&rs),
        &py.call("DescribeStreamSummary", &req),
        &[],
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ecr_repositories_images_and_errors() {
    use ecr::types::*;
    let moto = Moto::start();
    let client = ecr::Client::new(&moto.session());
    let mut py = Boto3::start(&moto, "ecr");

    // Create: the same repository through each side in turn (boto-rs's is deleted first); only
    // its creation time differs.
    let name = "team/web-app";
    let req = CreateRepositoryRequest {
        repository_name: Some(name.into()),
        image_tag_mutability: Some(ImageTagMutability::Immutable),
        tags: Some(vec![Tag {
            key: Some("team".into()),
            value: Some("web & <co>".into()),
        }]),
        ..Default::default()
    };
    let rs = client.create_repository(req.clone()).await;
    assert!(rs.is_ok(), "{rs:?}");
    client
        .delete_repository(DeleteRepositoryRequest {
            repository_name: Some(name.into()),
            ..Default::default()
        })
        .await
        .unwrap();
    assert_same(
        "CreateRepository",
        &answer(&rs),
        &py.call("CreateRepository", &req),
        &["repository.createdAt"],
    );
    client
        .create_repository(CreateRepositoryRequest {
            repository_name: Some("team/worker".into()),
            ..Default::default()
        })
        .await
        .unwrap();

    // Read: the same repository through both.
    let req = DescribeRepositoriesRequest {
        repository_names: Some(vec![name.into()]),
        ..Default::default()
    };
    assert_same(
        "DescribeRepositories",
        &answer(&client.describe_repositories(req.clone()).await),
        &py.call("DescribeRepositories", &req),
        &[],
    );

    // An image, then repositories and images listed a page at a time.
    let manifest = json!({
        "schemaVersion": 2,
        "mediaType": "application/vnd.docker.distribution.manifest.v2+json",
        "config": {
            "mediaType": "application/vnd.docker.container.image.v1+json",
            "size": 7023,
            "digest": "sha256:b5b2b2c507a0944348e0303114d8d93aaaa081732b86451d9bce1f432a537bc7"
        },
        "layers": [{
            "mediaType": "application/vnd.docker.image.rootfs.diff.tar.gzip",
            "size": 32654,
            "digest": "sha256:e692418e4cbaf90ca69d05a66403747baa33ee08806650b51fab815ad7fc331f"
        }]
    });
    for tag in ["v1.0", "v1.0-rc.1"] {
        client
            .put_image(PutImageRequest {
                repository_name: Some(name.into()),
                image_manifest: Some(manifest.to_string()),
                image_tag: Some(tag.into()),
                ..Default::default()
            })
            .await
            .unwrap();
    }
    let req = DescribeRepositoriesRequest::default();
    let rs = client
        .describe_repositories_paginator(req.clone())
        .page_size(1)
        .pages()
        .try_collect::<Vec<_>>()
        .await;
    assert_same(
        "DescribeRepositories pages",
        &pages(&rs),
        &py.paginate("DescribeRepositories", &req, json!({"PageSize": 1})),
        &[],
    );
    let listed: Vec<String> = rs
        .unwrap()
        .into_iter()
        .flat_map(|p| p.repositories.unwrap_or_default())
        .filter_map(|r| r.repository_name)
        .collect();
    assert_eq!(listed, [name, "team/worker"]);
    let req = ListImagesRequest {
        repository_name: Some(name.into()),
        ..Default::default()
    };
    let rs = client
        .list_images_paginator(req.clone())
        .page_size(1)
        .pages()
        .try_collect::<Vec<_>>()
        .await;
    assert_same(
        "ListImages pages",
        &pages(&rs),
        &py.paginate("ListImages", &req, json!({"PageSize": 1})),
        &[],
    );
    let tags: Vec<String> = rs
        .unwrap()
        .into_iter()
        .flat_map(|p| p.image_ids.unwrap_or_default())
        .filter_map(|i| i.image_tag)
        .collect();
    assert!(tags.contains(&"v1.0".to_string()), "{tags:?}");

    // Modeled errors: a missing repository, and a name taken.
    let req = DescribeRepositoriesRequest {
        repository_names: Some(vec!["team/missing".into()]),
        ..Default::default()
    };
    let rs = client.describe_repositories(req.clone()).await;
    assert_typed!(rs, ecr::RepositoryNotFoundException);
    assert_same(
        "DescribeRepositories (missing)",
        &answer(&rs),
        &py.call("DescribeRepositories", &req),
        &[],
    );
    let req = CreateRepositoryRequest {
        repository_name: Some("team/worker".into()),
        ..Default::default()
    };
    let rs = client.create_repository(req.clone()).await;
    assert_typed!(rs, ecr::RepositoryAlreadyExistsException);
    assert_same(
        "CreateRepository (taken)",
        &answer(&rs),
        &py.call("CreateRepository", &req),
        &[],
    );

    // Delete (with its images), then neither side finds it.
    let deleted = client
        .delete_repository(DeleteRepositoryRequest {
            repository_name: Some(name.into()),
            force: Some(true),
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(
        deleted.repository.unwrap().repository_name.as_deref(),
        Some(name)
    );
    let req = DescribeRepositoriesRequest {
        repository_names: Some(vec![name.into()]),
        ..Default::default()
    };
    let rs = client.describe_repositories(req.clone()).await;
    assert_typed!(rs, ecr::RepositoryNotFoundException);
    assert_same(
        "DescribeRepositories (deleted)",
        &answer(&rs),
        &py.call("DescribeRepositories", &req),
        &[],
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ecs_clusters_task_definitions_and_errors() {
    use ecs::types::*;
    let moto = Moto::start();
    let client = ecs::Client::new(&moto.session());
    let mut py = Boto3::start(&moto, "ecs");

    // Create: CreateCluster is idempotent, so the same request through both names one cluster.
    let req = CreateClusterRequest {
        cluster_name: Some("prod-web".into()),
        tags: Some(vec![Tag {
            key: Some("team".into()),
            value: Some("web & <co> \"x\"".into()),
        }]),
        ..Default::default()
    };
    let rs = client.create_cluster(req.clone()).await;
    assert_same(
        "CreateCluster",
        &answer(&rs),
        &py.call("CreateCluster", &req),
        &[],
    );
    let arn = rs.unwrap().cluster.unwrap().cluster_arn.unwrap();
    client
        .create_cluster(CreateClusterRequest {
            cluster_name: Some("prod-batch".into()),
            ..Default::default()
        })
        .await
        .unwrap();

    // Read: the same cluster through both, tags included.
    let req = DescribeClustersRequest {
        clusters: Some(vec!["prod-web".into()]),
        include: Some(vec![ClusterField::Tags]),
    };
    let described = client.describe_clusters(req.clone()).await;
    let cluster = &described.as_ref().unwrap().clusters.as_ref().unwrap()[0];
    assert_eq!(cluster.cluster_arn.as_deref(), Some(&*arn));
    assert_eq!(cluster.status.as_deref(), Some("ACTIVE"));
    assert_same(
        "DescribeClusters",
        &answer(&described),
        &py.call("DescribeClusters", &req),
        &[],
    );

    // A task definition registered through each side: each makes a new revision.
    let req = RegisterTaskDefinitionRequest {
        family: Some("web".into()),
        container_definitions: Some(vec![ContainerDefinition {
            name: Some("app".into()),
            image: Some("public.ecr.aws/nginx/nginx:1.25".into()),
            memory: Some(256),
            environment: Some(vec![KeyValuePair {
                name: Some("GREETING".into()),
                value: Some("hi & <bye> \"x\" é".into()),
            }]),
            ..Default::default()
        }]),
        ..Default::default()
    };
    let rs = client.register_task_definition(req.clone()).await;
    assert_same(
        "RegisterTaskDefinition",
        &answer(&rs),
        &py.call("RegisterTaskDefinition", &req),
        &[
            "taskDefinition.taskDefinitionArn",
            "taskDefinition.revision",
        ],
    );
    assert_eq!(rs.unwrap().task_definition.unwrap().revision, Some(1));
    let req = DescribeTaskDefinitionRequest {
        task_definition: Some("web:2".into()),
        ..Default::default()
    };
    assert_same(
        "DescribeTaskDefinition",
        &answer(&client.describe_task_definition(req.clone()).await),
        &py.call("DescribeTaskDefinition", &req),
        &[],
    );

    // Clusters and task definitions listed a page at a time.
    let req = ListClustersRequest::default();
    let rs = client
        .list_clusters_paginator(req.clone())
        .page_size(1)
        .pages()
        .try_collect::<Vec<_>>()
        .await;
    assert_same(
        "ListClusters pages",
        &pages(&rs),
        &py.paginate("ListClusters", &req, json!({"PageSize": 1})),
        &[],
    );
    let listed: Vec<String> = rs
        .unwrap()
        .into_iter()
        .flat_map(|p| p.cluster_arns.unwrap_or_default())
        .collect();
    assert!(listed.contains(&arn), "{listed:?}");
    let req = ListTaskDefinitionsRequest {
        family_prefix: Some("web".into()),
        ..Default::default()
    };
    let rs = client
        .list_task_definitions_paginator(req.clone())
        .page_size(1)
        .pages()
        .try_collect::<Vec<_>>()
        .await;
    assert_same(
        "ListTaskDefinitions pages",
        &pages(&rs),
        &py.paginate("ListTaskDefinitions", &req, json!({"PageSize": 1})),
        &[],
    );

    // Modeled errors: a missing task definition, and a missing cluster.
    let req = DescribeTaskDefinitionRequest {
        task_definition: Some("missing:1".into()),
        ..Default::default()
    };
    let rs = client.describe_task_definition(req.clone()).await;
    assert_typed!(rs, ecs::ClientException);
    assert_same(
        "DescribeTaskDefinition (missing)",
        &answer(&rs),
        &py.call("DescribeTaskDefinition", &req),
        &[],
    );
    let req = DeleteClusterRequest {
        cluster: Some("prod-missing".into()),
    };
    let rs = client.delete_cluster(req.clone()).await;
    assert_typed!(rs, ecs::ClusterNotFoundException);
    assert_same(
        "DeleteCluster (missing)",
        &answer(&rs),
        &py.call("DeleteCluster", &req),
        &[],
    );

    // Delete: the cluster turns inactive, as both sides then see it.
    let deleted = client
        .delete_cluster(DeleteClusterRequest {
            cluster: Some("prod-web".into()),
        })
        .await
        .unwrap();
    assert_eq!(deleted.cluster.unwrap().status.as_deref(), Some("INACTIVE"));
    let req = DescribeClustersRequest {
        clusters: Some(vec!["prod-web".into()]),
        ..Default::default()
    };
    let described = client.describe_clusters(req.clone()).await;
    assert_eq!(
        described.as_ref().unwrap().clusters.as_ref().unwrap()[0]
            .status
            .as_deref(),
        Some("INACTIVE")
    );
    assert_same(
        "DescribeClusters (deleted)",
        &answer(&described),
        &py.call("DescribeClusters", &req),
        &[],
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn stepfunctions_state_machines_executions_and_errors() {
    use stepfunctions::types::*;
    let moto = Moto::start();
    let client = stepfunctions::Client::new(&moto.session());
    let mut py = Boto3::start(&moto, "stepfunctions");

    // Create: the same request again names the same machine, so both sides answer alike.
    let definition = json!({
        "Comment": "orders & <refunds> \"quoted\" é",
        "StartAt": "Done",
        "States": {"Done": {"Type": "Pass", "Result": {"a": "b & c"}, "End": true}}
    })
    .to_string();
    let role = "arn:aws:iam::123456789012:role/service-role/sfn-orders";
    let req = CreateStateMachineInput {
        name: Some("order-flow".into()),
        definition: Some(definition.clone()),
        role_arn: Some(role.into()),
        tags: Some(vec![Tag {
            key: Some("team".into()),
            value: Some("shop".into()),
        }]),
        ..Default::default()
    };
    let rs = client.create_state_machine(req.clone()).await;
    assert_same(
        "CreateStateMachine",
        &answer(&rs),
        &py.call("CreateStateMachine", &req),
        &[],
    );
    let arn = rs.unwrap().state_machine_arn.unwrap();
    client
        .create_state_machine(CreateStateMachineInput {
            name: Some("refund-flow".into()),
            definition: Some(definition.clone()),
            role_arn: Some(role.into()),
            ..Default::default()
        })
        .await
        .unwrap();

    // Read: the same machine through both.
    let req = DescribeStateMachineInput {
        state_machine_arn: Some(arn.clone()),
        ..Default::default()
    };
    let described = client.describe_state_machine(req.clone()).await;
    assert_eq!(
        described.as_ref().unwrap().definition.as_deref(),
        Some(&*definition)
    );
    assert_same(
        "DescribeStateMachine",
        &answer(&described),
        &py.call("DescribeStateMachine", &req),
        &[],
    );

    // An execution through each side, then both listings a page at a time.
    let mut executions = Vec::new();
    for name in ["run-1", "run-2"] {
        let req = StartExecutionInput {
            state_machine_arn: Some(arn.clone()),
            name: Some(name.into()),
            input: Some(r#"{"order":"a&b <c>","n":1}"#.into()),
            ..Default::default()
        };
        let out = if name == "run-1" {
            answer(&client.start_execution(req).await)
        } else {
            py.call("StartExecution", &req)
        };
        executions.push(out.unwrap()["executionArn"].as_str().unwrap().to_string());
    }
    let req = DescribeExecutionInput {
        execution_arn: Some(executions[1].clone()),
        ..Default::default()
    };
    assert_same(
        "DescribeExecution",
        &answer(&client.describe_execution(req.clone()).await),
        &py.call("DescribeExecution", &req),
        &[],
    );
    let req = GetExecutionHistoryInput {
        execution_arn: Some(executions[0].clone()),
        ..Default::default()
    };
    let rs = client
        .get_execution_history_paginator(req.clone())
        .page_size(2)
        .pages()
        .try_collect::<Vec<_>>()
        .await;
    assert_same(
        "GetExecutionHistory pages",
        &pages(&rs),
        &py.paginate("GetExecutionHistory", &req, json!({"PageSize": 2})),
        &[],
    );
    assert!(
        rs.unwrap().iter().flat_map(|p| &p.events).flatten().count() > 0,
        "no history"
    );
    let req = ListStateMachinesInput::default();
    let rs = client
        .list_state_machines_paginator(req.clone())
        .page_size(1)
        .pages()
        .try_collect::<Vec<_>>()
        .await;
    assert_same(
        "ListStateMachines pages",
        &pages(&rs),
        &py.paginate("ListStateMachines", &req, json!({"PageSize": 1})),
        &[],
    );
    let listed: Vec<String> = rs
        .unwrap()
        .into_iter()
        .flat_map(|p| p.state_machines.unwrap_or_default())
        .filter_map(|m| m.name)
        .collect();
    assert_eq!(listed, ["order-flow", "refund-flow"]);
    let req = ListExecutionsInput {
        state_machine_arn: Some(arn.clone()),
        ..Default::default()
    };
    let rs = client
        .list_executions_paginator(req.clone())
        .page_size(1)
        .pages()
        .try_collect::<Vec<_>>()
        .await;
    assert_same(
        "ListExecutions pages",
        &pages(&rs),
        &py.paginate("ListExecutions", &req, json!({"PageSize": 1})),
        &[],
    );
    let listed: Vec<String> = rs
        .unwrap()
        .into_iter()
        .flat_map(|p| p.executions.unwrap_or_default())
        .filter_map(|e| e.execution_arn)
        .collect();
    assert_eq!(listed.len(), 2, "{listed:?}");
    assert!(executions.iter().all(|e| listed.contains(e)), "{listed:?}");

    // Modeled errors: a missing machine, and a name the service refuses.
    let req = DescribeStateMachineInput {
        state_machine_arn: Some(arn.replace("order-flow", "missing-flow")),
        ..Default::default()
    };
    let rs = client.describe_state_machine(req.clone()).await;
    assert_typed!(rs, stepfunctions::StateMachineDoesNotExist);
    assert_same(
        "DescribeStateMachine (missing)",
        &answer(&rs),
        &py.call("DescribeStateMachine", &req),
        &[],
    );
    let req = CreateStateMachineInput {
        name: Some("bad name?".into()),
        definition: Some(definition.clone()),
        role_arn: Some(role.into()),
        ..Default::default()
    };
    let rs = client.create_state_machine(req.clone()).await;
    assert_typed!(rs, stepfunctions::InvalidName);
    assert_same(
        "CreateStateMachine (bad name)",
        &answer(&rs),
        &py.call("CreateStateMachine", &req),
        &[],
    );

    // Delete, then neither side finds it.
    let req = DeleteStateMachineInput {
        state_machine_arn: Some(arn.clone()),
    };
    let rs = client.delete_state_machine(req).await;
    assert!(rs.is_ok(), "{rs:?}");
    let req = DescribeStateMachineInput {
        state_machine_arn: Some(arn.clone()),
        ..Default::default()
    };
    let rs = client.describe_state_machine(req.clone()).await;
    assert_typed!(rs, stepfunctions::StateMachineDoesNotExist);
    assert_same(
        "DescribeStateMachine (deleted)",
        &answer(&rs),
        &py.call("DescribeStateMachine", &req),
        &[],
    );
}

/// A user's answer with its `sub` attribute (a fresh id for every user made) checked present
/// and shown as `<sub>`, so two users made alike compare equal.
fn sub_shown_as_placeholder(mut a: Answer) -> Answer {
    if let Ok(v) = a.as_mut() {
        edit_both(v, |v| {
            let attrs = v["User"]["Attributes"].as_array_mut().expect("attributes");
            let sub = attrs
                .iter_mut()
                .find(|a| a["Name"] == "sub")
                .expect("a sub attribute");
            assert!(!sub["Value"].as_str().unwrap_or("").is_empty(), "{sub}");
            sub["Value"] = json!("<sub>");
        });
    }
    a
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cognito_idp_user_pools_users_and_errors() {
    use cognito_idp::types::*;
    let moto = Moto::start();
    let client = cognito_idp::Client::new(&moto.session());
    let mut py = Boto3::start(&moto, "cognito-idp");

    // Create: a pool through each side; ids, ARNs and dates are new for each.
    let req = CreateUserPoolRequest {
        pool_name: Some("customers & <partners>".into()),
        policies: Some(UserPoolPolicyType {
            password_policy: Some(PasswordPolicyType {
                minimum_length: Some(10),
                require_symbols: Some(true),
                ..Default::default()
            }),
            ..Default::default()
        }),
        user_pool_tags: Some([("team".to_string(), "identity \"core\"".to_string())].into()),
        ..Default::default()
    };
    let rs = client.create_user_pool(req.clone()).await;
    let created = py.call("CreateUserPool", &req);
    assert_same(
        "CreateUserPool",
        &answer(&rs),
        &created,
        &[
            "UserPool.Id",
            "UserPool.Arn",
            "UserPool.CreationDate",
            "UserPool.LastModifiedDate",
        ],
    );
    let pool = rs.unwrap().user_pool.unwrap().id.unwrap();
    let py_pool = created.unwrap()["UserPool"]["Id"]
        .as_str()
        .unwrap()
        .to_string();

    // Read: the same pool through both.
    let req = DescribeUserPoolRequest {
        user_pool_id: Some(pool.clone()),
    };
    assert_same(
        "DescribeUserPool",
        &answer(&client.describe_user_pool(req.clone()).await),
        &py.call("DescribeUserPool", &req),
        &[],
    );

    // A user made through each side in turn (boto-rs's is removed before boto3 makes it again).
    let req = AdminCreateUserRequest {
        user_pool_id: Some(pool.clone()),
        username: Some("alice".into()),
        user_attributes: Some(vec![
            AttributeType {
                name: Some("email".into()),
                value: Some("alice+test@example.com".into()),
            },
            AttributeType {
                name: Some("name".into()),
                value: Some("Alice \"Al\" O'Neil & <co> é".into()),
            },
        ]),
        temporary_password: Some("Temp-Passw0rd!".into()),
        message_action: Some(MessageActionType::Suppress),
        ..Default::default()
    };
    let rs = client.admin_create_user(req.clone()).await;
    let delete = AdminDeleteUserRequest {
        user_pool_id: Some(pool.clone()),
        username: Some("alice".into()),
    };
    client.admin_delete_user(delete.clone()).await.unwrap();
    assert_same(
        "AdminCreateUser",
        &sub_shown_as_placeholder(answer(&rs)),
        &sub_shown_as_placeholder(py.call("AdminCreateUser", &req)),
        &["User.UserCreateDate", "User.UserLastModifiedDate"],
    );
    client
        .admin_create_user(AdminCreateUserRequest {
            user_pool_id: Some(pool.clone()),
            username: Some("bob".into()),
            message_action: Some(MessageActionType::Suppress),
            ..Default::default()
        })
        .await
        .unwrap();
    let req = AdminGetUserRequest {
        user_pool_id: Some(pool.clone()),
        username: Some("alice".into()),
    };
    assert_same(
        "AdminGetUser",
        &answer(&client.admin_get_user(req.clone()).await),
        &py.call("AdminGetUser", &req),
        &[],
    );

    // Pools and users listed a page at a time.
    let req = ListUserPoolsRequest::default();
    let rs = client
        .list_user_pools_paginator(req.clone())
        .page_size(1)
        .pages()
        .try_collect::<Vec<_>>()
        .await;
    assert_same(
        "ListUserPools pages",
        &pages(&rs),
        &py.paginate("ListUserPools", &req, json!({"PageSize": 1})),
        &[],
    );
    let listed: Vec<String> = rs
        .unwrap()
        .into_iter()
        .flat_map(|p| p.user_pools.unwrap_or_default())
        .filter_map(|p| p.id)
        .collect();
    assert!(
        listed.contains(&pool) && listed.contains(&py_pool),
        "{listed:?}"
    );
    let req = ListUsersRequest {
        user_pool_id: Some(pool.clone()),
        ..Default::default()
    };
    let rs = client
        .list_users_paginator(req.clone())
        .page_size(1)
        .pages()
        .try_collect::<Vec<_>>()
        .await;
    assert_same(
        "ListUsers pages",
        &pages(&rs),
        &py.paginate("ListUsers", &req, json!({"PageSize": 1})),
        &[],
    );
    let listed: Vec<String> = rs
        .unwrap()
        .into_iter()
        .flat_map(|p| p.users.unwrap_or_default())
        .filter_map(|u| u.username)
        .collect();
    assert_eq!(listed, ["alice", "bob"]);
    let req = ListUsersRequest {
        user_pool_id: Some(pool.clone()),
        filter: Some("email ^= \"alice+\"".into()),
        attributes_to_get: Some(vec!["email".into()]),
        ..Default::default()
    };
    let rs = client.list_users(req.clone()).await;
    assert_eq!(rs.as_ref().unwrap().users.as_ref().unwrap().len(), 1);
    assert_same(
        "ListUsers (filtered)",
        &answer(&rs),
        &py.call("ListUsers", &req),
        &[],
    );

    // Modeled errors: a missing user, and a name taken.
    let req = AdminGetUserRequest {
        user_pool_id: Some(pool.clone()),
        username: Some("carol".into()),
    };
    let rs = client.admin_get_user(req.clone()).await;
    assert_typed!(rs, cognito_idp::UserNotFoundException);
    assert_same(
        "AdminGetUser (missing)",
        &answer(&rs),
        &py.call("AdminGetUser", &req),
        &[],
    );
    let req = AdminCreateUserRequest {
        user_pool_id: Some(pool.clone()),
        username: Some("bob".into()),
        message_action: Some(MessageActionType::Suppress),
        ..Default::default()
    };
    let rs = client.admin_create_user(req.clone()).await;
    assert_typed!(rs, cognito_idp::UsernameExistsException);
    assert_same(
        "AdminCreateUser (taken)",
        &answer(&rs),
        &py.call("AdminCreateUser", &req),
        &[],
    );

    // Delete a user and the pools; neither side finds them afterwards.
    client.admin_delete_user(delete).await.unwrap();
    let req = AdminGetUserRequest {
        user_pool_id: Some(pool.clone()),
        username: Some("alice".into()),
    };
    let rs = client.admin_get_user(req.clone()).await;
    assert_typed!(rs, cognito_idp::UserNotFoundException);
    assert_same(
        "AdminGetUser (deleted)",
        &answer(&rs),
        &py.call("AdminGetUser", &req),
        &[],
    );
    for id in [&pool, &py_pool] {
        let rs = client
            .delete_user_pool(DeleteUserPoolRequest {
                user_pool_id: Some(id.clone()),
            })
            .await;
        assert!(rs.is_ok(), "{rs:?}");
    }
    let req = DescribeUserPoolRequest {
        user_pool_id: Some(pool.clone()),
    };
    let rs = client.describe_user_pool(req.clone()).await;
    assert_typed!(rs, cognito_idp::ResourceNotFoundException);
    assert_same(
        "DescribeUserPool (deleted)",
        &answer(&rs),
        &py.call("DescribeUserPool", &req),
        &[],
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn timestream_write_databases_tables_and_errors() {
    use timestream_write::types::*;
    let moto = Moto::start();
    // An endpoint URL given in code turns endpoint discovery off, as it does for boto3.
    let client = timestream_write::Client::new(&moto.session());
    let mut py = Boto3::start(&moto, "timestream-write");
    let volatile = ["Database.CreationTime", "Database.LastUpdatedTime"];

    // Create one database through each side (names differ, so the names and ARNs do too).
    let req = |name: &str| CreateDatabaseRequest {
        database_name: Some(name.into()),
        tags: Some(vec![Tag {
            key: Some("team".into()),
            value: Some("metrics & <alerts>".into()),
        }]),
        ..Default::default()
    };
    let rs = client.create_database(req("metrics-rs")).await;
    let created = py.call("CreateDatabase", &req("metrics-py"));
    let mut shown = answer(&rs);
    if let Ok(v) = shown.as_mut() {
        edit_both(v, |v| {
            v["Database"]["DatabaseName"] = json!("metrics-py");
            v["Database"]["Arn"] = json!(v["Database"]["Arn"]
                .as_str()
                .unwrap()
                .replace("metrics-rs", "metrics-py"));
        });
    }
    assert_same("CreateDatabase", &shown, &created, &volatile);

    // Read the same database through both, and a table in it.
    let read = DescribeDatabaseRequest {
        database_name: Some("metrics-rs".into()),
    };
    assert_same(
        "DescribeDatabase",
        &answer(&client.describe_database(read.clone()).await),
        &py.call("DescribeDatabase", &read),
        &[],
    );
    let table = CreateTableRequest {
        database_name: Some("metrics-rs".into()),
        table_name: Some("cpu".into()),
        retention_properties: Some(RetentionProperties {
            memory_store_retention_period_in_hours: Some(24),
            magnetic_store_retention_period_in_days: Some(7),
        }),
        ..Default::default()
    };
    client.create_table(table).await.unwrap();
    let read = DescribeTableRequest {
        database_name: Some("metrics-rs".into()),
        table_name: Some("cpu".into()),
    };
    assert_same(
        "DescribeTable",
        &answer(&client.describe_table(read.clone()).await),
        &py.call("DescribeTable", &read),
        &[],
    );

    // List (timestream-write has no paginators): both databases, and the table.
    let list = ListDatabasesRequest::default();
    let rs = client.list_databases(list.clone()).await;
    assert_same(
        "ListDatabases",
        &answer(&rs),
        &py.call("ListDatabases", &list),
        &[],
    );
    let names: Vec<String> = rs
        .unwrap()
        .databases
        .unwrap_or_default()
        .into_iter()
        .filter_map(|d| d.database_name)
        .collect();
    assert_eq!(names, ["metrics-rs", "metrics-py"]);
    let list = ListTablesRequest {
        database_name: Some("metrics-rs".into()),
        ..Default::default()
    };
    assert_same(
        "ListTables",
        &answer(&client.list_tables(list.clone()).await),
        &py.call("ListTables", &list),
        &[],
    );

    // A modeled error.
    let missing = DescribeDatabaseRequest {
        database_name: Some("nope".into()),
    };
    let rs = client.describe_database(missing.clone()).await;
    assert_typed!(rs, timestream_write::ResourceNotFoundException);
    assert_same(
        "DescribeDatabase (missing)",
        &answer(&rs),
        &py.call("DescribeDatabase", &missing),
        &[],
    );

    // Delete: the table, then each side's database; both are gone.
    let rs = client
        .delete_table(DeleteTableRequest {
            database_name: Some("metrics-rs".into()),
            table_name: Some("cpu".into()),
        })
        .await;
    assert!(rs.is_ok(), "{rs:?}");
    for name in ["metrics-rs", "metrics-py"] {
        let req = DeleteDatabaseRequest {
            database_name: Some(name.into()),
        };
        let rs = client.delete_database(req.clone()).await;
        assert!(rs.is_ok(), "{rs:?}");
        // (moto fails deleting a missing database with a 500; reading it is the check.)
        let gone = DescribeDatabaseRequest {
            database_name: Some(name.into()),
        };
        let rs = client.describe_database(gone.clone()).await;
        assert_typed!(rs, timestream_write::ResourceNotFoundException);
        assert_same(
            "DescribeDatabase (deleted)",
            &answer(&rs),
            &py.call("DescribeDatabase", &gone),
            &[],
        );
    }
}
