//! JSON-protocol services end to end against moto, boto3 as the oracle: each call goes through
//! boto-rs and through boto3 against the same server and the answers are compared member by
//! member (see `support/oracle.rs`). Each service's test creates, reads, lists (through its
//! paginator, a page at a time), deletes, and draws a modeled error.

use boto_tests::oracle::{answer, assert_same, pages, Boto3};
use boto_tests::Moto;
use futures::TryStreamExt;
use serde_json::json;

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
