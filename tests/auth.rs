//! How calls are authenticated beyond SigV4: bearer tokens from `AWS_BEARER_TOKEN_<SERVICE>`
//! (bedrock-runtime's model offers `smithy.api#httpBearerAuth`), the SSO token cache a bearer
//! service reads (refreshed through SSO OIDC's `CreateToken`), the auth scheme a model asks for
//! and the `auth_scheme_preference` that reorders it, bearer-only and unsigned-payload services
//! through their generated clients beside boto3, and SSO OIDC's OAuth2 errors.

use boto_runtime::{Credentials, Environment, ErrorKind, Session};
use boto_tests::oracle::{botocore_request, botocore_request_from, python};
use boto_tests::CannedServer;
use serde_json::Value as Json;
use std::path::Path;

fn bedrock(server: &CannedServer, env: &[(&str, &str)]) -> bedrock_runtime::Client {
    bedrock_preferring(server, env, None)
}

/// [`bedrock`], with an `auth_scheme_preference` given to the session builder.
fn bedrock_preferring(
    server: &CannedServer,
    env: &[(&str, &str)],
    preference: Option<&str>,
) -> bedrock_runtime::Client {
    let mut vars = vec![("HOME".to_string(), "/nonexistent".to_string())];
    vars.extend(env.iter().map(|(k, v)| (k.to_string(), v.to_string())));
    let mut builder = Session::builder()
        .credentials(Credentials::new("AKID", "SECRET", None))
        .environment(Environment::from_vars(vars))
        .region("us-east-1")
        .endpoint_url(&server.url)
        .max_attempts(1);
    if let Some(p) = preference {
        builder = builder.auth_scheme_preference(p);
    }
    bedrock_runtime::Client::new(&builder.build().unwrap())
}

#[tokio::test]
async fn a_bearer_token_in_the_environment_replaces_sigv4() {
    let server = CannedServer::start(200, br#"{"asyncInvokeSummaries": []}"#.to_vec());
    let with_token = bedrock(&server, &[("AWS_BEARER_TOKEN_BEDROCK", "br-token-1")]);
    with_token
        .list_async_invokes(Default::default())
        .await
        .unwrap();
    assert_eq!(
        server.header(0, "authorization").as_deref(),
        Some("Bearer br-token-1")
    );
    // No SigV4 headers beside it.
    assert_eq!(server.header(0, "x-amz-date"), None);
    assert_eq!(server.header(0, "x-amz-content-sha256"), None);

    // Without the variable, the same client signs with SigV4 (the model lists it first).
    let plain = bedrock(&server, &[]);
    plain.list_async_invokes(Default::default()).await.unwrap();
    let auth = server.header(1, "authorization").unwrap();
    assert!(
        auth.starts_with("AWS4-HMAC-SHA256 Credential=AKID/"),
        "{auth}"
    );
    assert!(auth.contains("/us-east-1/bedrock/aws4_request"), "{auth}");

    // Another service's variable is not this one's.
    let other = bedrock(&server, &[("AWS_BEARER_TOKEN_LAMBDA", "nope")]);
    other.list_async_invokes(Default::default()).await.unwrap();
    assert!(server
        .header(2, "authorization")
        .unwrap()
        .starts_with("AWS4-HMAC-SHA256"));
}

/// Whether request `i` was signed with SigV4 by `AKID`.
fn sigv4(server: &CannedServer, i: usize) -> bool {
    server
        .header(i, "authorization")
        .is_some_and(|a| a.starts_with("AWS4-HMAC-SHA256 Credential=AKID/"))
}

#[tokio::test]
async fn the_auth_scheme_preference_picks_among_the_models_schemes() {
    let server = CannedServer::start(200, br#"{"asyncInvokeSummaries": []}"#.to_vec());
    let call = |c: bedrock_runtime::Client| async move {
        c.list_async_invokes(Default::default()).await.unwrap();
    };
    let token = ("AWS_BEARER_TOKEN_BEDROCK", "br-token-2");

    // From the environment, preferring bearer: the token variable signs.
    call(bedrock(
        &server,
        &[
            token,
            ("AWS_AUTH_SCHEME_PREFERENCE", "httpBearerAuth, sigv4"),
        ],
    ))
    .await;
    assert_eq!(
        server.header(0, "authorization").as_deref(),
        Some("Bearer br-token-2")
    );
    // From the environment, preferring SigV4: the token variable still wins, as in botocore.
    call(bedrock(
        &server,
        &[token, ("AWS_AUTH_SCHEME_PREFERENCE", "sigv4")],
    ))
    .await;
    assert_eq!(
        server.header(1, "authorization").as_deref(),
        Some("Bearer br-token-2")
    );
    // Set in code, preferring SigV4: the choice holds against the variable.
    call(bedrock_preferring(&server, &[token], Some("sigv4"))).await;
    assert!(sigv4(&server, 2), "{:?}", server.header(2, "authorization"));
    // Set in code, preferring bearer: the variable's token.
    call(bedrock_preferring(
        &server,
        &[token],
        Some("httpBearerAuth"),
    ))
    .await;
    assert_eq!(
        server.header(3, "authorization").as_deref(),
        Some("Bearer br-token-2")
    );
    // Names the service does not offer change nothing: SigV4, the model's first.
    call(bedrock_preferring(&server, &[], Some("sigv4a,noAuth"))).await;
    assert!(sigv4(&server, 4));
    assert_eq!(server.requests(), 5);

    // An empty preference in code counts as none: the environment's (bearer) applies, and with
    // no token anywhere the call fails before sending, saying why.
    let err = bedrock_preferring(
        &server,
        &[("AWS_AUTH_SCHEME_PREFERENCE", "httpBearerAuth")],
        Some(" "),
    )
    .list_async_invokes(Default::default())
    .await
    .unwrap_err();
    assert_eq!(server.requests(), 5, "nothing was sent");
    assert!(err.to_string().contains("token"), "{err}");

    // Preferring bearer with no token anywhere: the call fails before sending, saying why.
    let err = bedrock_preferring(&server, &[], Some("httpBearerAuth"))
        .list_async_invokes(Default::default())
        .await
        .unwrap_err();
    assert_eq!(server.requests(), 5, "nothing was sent");
    assert!(err.to_string().contains("token"), "{err}");
}

/// A home folder with a config file naming an SSO session, and that session's token cache.
fn sso_home(dir: &Path, cached: &serde_json::Value) {
    std::fs::create_dir_all(dir.join(".aws/sso/cache")).unwrap();
    std::fs::write(
        dir.join(".aws/config"),
        "[profile dev]\nsso_session = my-sso\n\n[sso-session my-sso]\nsso_region = eu-west-1\n\
         sso_start_url = https://example.awsapps.com/start\n",
    )
    .unwrap();
    // botocore's cache key: the SHA-1 of the session name.
    std::fs::write(
        dir.join(".aws/sso/cache/0ad374308c5a4e22f723adf10145eafad7c4031c.json"),
        cached.to_string(),
    )
    .unwrap();
}

fn iso(secs_from_now: i64) -> String {
    boto_runtime::DateTime::from_secs(boto_runtime::DateTime::now().secs() + secs_from_now)
        .to_iso8601()
}

fn sso_session(home: &Path, oidc: Option<&str>) -> Session {
    let mut vars = vec![("HOME".to_string(), home.display().to_string())];
    if let Some(url) = oidc {
        vars.push(("AWS_ENDPOINT_URL_SSO_OIDC".to_string(), url.to_string()));
    }
    Session::builder()
        .environment(Environment::from_vars(vars))
        .profile("dev")
        .region("us-east-1")
        .build()
        .unwrap()
}

fn temp_home(name: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("boto-rs-auth-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    dir
}

#[tokio::test]
async fn the_sso_token_cache_gives_the_token_and_refreshes_it_before_it_expires() {
    // Valid for an hour: used as it is, nothing is refreshed.
    let home = temp_home("fresh");
    sso_home(
        &home,
        &serde_json::json!({"accessToken": "cached-token", "expiresAt": iso(3600)}),
    );
    let token = sso_session(&home, None).load_token().await.unwrap();
    assert_eq!(token.as_str(), "cached-token");
    assert!(!format!("{token:?}").contains("cached-token"));

    // Expiring in five minutes with a client registration: refreshed through CreateToken, and
    // the cache is updated.
    let server = CannedServer::start(
        200,
        br#"{"accessToken": "new-token", "expiresIn": 28800, "refreshToken": "refresh-2", "tokenType": "Bearer"}"#
            .to_vec(),
    );
    let home = temp_home("refresh");
    sso_home(
        &home,
        &serde_json::json!({
            "accessToken": "old-token", "expiresAt": iso(300),
            "clientId": "client-1", "clientSecret": "secret-1", "refreshToken": "refresh-1",
            "registrationExpiresAt": iso(86400), "region": "eu-west-1",
            "startUrl": "https://example.awsapps.com/start"
        }),
    );
    let token = sso_session(&home, Some(&server.url))
        .load_token()
        .await
        .unwrap();
    assert_eq!(token.as_str(), "new-token");
    let exp = token.expiration().unwrap().secs() - boto_runtime::DateTime::now().secs();
    assert!((28790..=28800).contains(&exp), "{exp}");
    assert!(
        server.heads()[0].starts_with("POST /token "),
        "{}",
        server.heads()[0]
    );
    let sent: serde_json::Value = serde_json::from_slice(&server.bodies()[0]).unwrap();
    assert_eq!(
        sent,
        serde_json::json!({"grantType": "refresh_token", "clientId": "client-1",
                           "clientSecret": "secret-1", "refreshToken": "refresh-1"})
    );
    let cache: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(
            home.join(".aws/sso/cache/0ad374308c5a4e22f723adf10145eafad7c4031c.json"),
        )
        .unwrap(),
    )
    .unwrap();
    assert_eq!(cache["accessToken"], "new-token");
    assert_eq!(cache["refreshToken"], "refresh-2");
    assert_eq!(cache["clientId"], "client-1");

    // The refresh fails but the token has not expired yet: it is still used.
    let failing = CannedServer::start(
        400,
        br#"{"error": "invalid_grant", "error_description": "refresh token revoked"}"#.to_vec(),
    );
    let home = temp_home("failing");
    sso_home(
        &home,
        &serde_json::json!({
            "accessToken": "old-token", "expiresAt": iso(300),
            "clientId": "c", "clientSecret": "s", "refreshToken": "r",
            "registrationExpiresAt": iso(86400)
        }),
    );
    let token = sso_session(&home, Some(&failing.url))
        .load_token()
        .await
        .unwrap();
    assert_eq!(token.as_str(), "old-token");
    assert_eq!(failing.requests(), 1);

    // Expired and the refresh fails: an error that says what happened and what to do.
    let home = temp_home("expired");
    sso_home(
        &home,
        &serde_json::json!({
            "accessToken": "old-token", "expiresAt": iso(-60),
            "clientId": "c", "clientSecret": "s", "refreshToken": "r",
            "registrationExpiresAt": iso(86400)
        }),
    );
    let err = sso_session(&home, Some(&failing.url))
        .load_token()
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Credentials);
    let text = err.to_string();
    assert!(
        text.contains("expired") && text.contains("aws sso login"),
        "{text}"
    );
    assert!(
        text.contains("invalid_grant refresh token revoked"),
        "{text}"
    );
}

#[tokio::test]
async fn without_an_sso_session_or_cache_the_error_says_what_to_do() {
    let home = temp_home("none");
    std::fs::create_dir_all(home.join(".aws")).unwrap();
    std::fs::write(
        home.join(".aws/config"),
        "[profile dev]\nregion = us-east-1\n",
    )
    .unwrap();
    let err = sso_session(&home, None).load_token().await.unwrap_err();
    assert!(err.to_string().contains("has no sso_session"), "{err}");

    let home = temp_home("nocache");
    sso_home(&home, &serde_json::json!({}));
    std::fs::remove_dir_all(home.join(".aws/sso")).unwrap();
    let err = sso_session(&home, None).load_token().await.unwrap_err();
    let text = err.to_string();
    assert!(
        text.contains("no cached SSO token") && text.contains("--sso-session my-sso"),
        "{text}"
    );
}

#[tokio::test]
async fn a_bearer_only_service_sends_the_sso_token_as_boto3_does() {
    // codecatalyst's model signs with `bearer` alone: no credentials are needed or looked for.
    let home = temp_home("codecatalyst");
    sso_home(
        &home,
        &serde_json::json!({"accessToken": "cc-token", "expiresAt": iso(3600)}),
    );
    let server = CannedServer::with_headers(
        200,
        &[("content-type", "application/json")],
        br#"{"items": [{"name": "space-1", "regionName": "us-west-2", "displayName": "One"}]}"#
            .to_vec(),
    );
    let session = sso_session(&home, None);
    let client = codecatalyst::Client::builder(&session)
        .endpoint_url(&server.url)
        .build();
    let out = client.list_spaces(Default::default()).await.unwrap();
    assert_eq!(out.items.unwrap()[0].name.as_deref(), Some("space-1"));
    assert_eq!(
        server.header(0, "authorization").as_deref(),
        Some("Bearer cc-token")
    );
    assert_eq!(server.header(0, "x-amz-date"), None);

    // boto3 with the same profile and cache sends the same request.
    let home_str = home.display().to_string();
    let config = home.join(".aws/config").display().to_string();
    let py = botocore_request_from(
        &format!(
            "boto3.Session(profile_name='dev').client('codecatalyst', region_name='us-east-1', \
             endpoint_url='{}')",
            server.url
        ),
        "list_spaces()",
        &[("HOME", &home_str), ("AWS_CONFIG_FILE", &config)],
    );
    assert_eq!(py["headers"]["authorization"], "Bearer cc-token");
    assert!(py["headers"].get("x-amz-date").is_none());
    assert_eq!(py["method"], "POST");
    assert!(server.heads()[0].starts_with("POST /v1/spaces "));
    assert_eq!(py["url"], format!("{}/v1/spaces", server.url));
}

/// The header names a SigV4 `Authorization` value signs.
fn signed_headers(auth: &str) -> Vec<String> {
    let list = auth
        .split("SignedHeaders=")
        .nth(1)
        .and_then(|r| r.split(',').next())
        .unwrap_or_else(|| panic!("no SignedHeaders in {auth:?}"));
    list.split(';').map(str::to_string).collect()
}

#[tokio::test]
async fn unsigned_body_operations_sign_everything_but_the_payload_as_boto3_does() {
    // ebs PutSnapshotBlock is `v4-unsigned-body`: the block goes out as it is, and the signature
    // covers the headers (its checksum among them) with an `UNSIGNED-PAYLOAD` hash.
    let server = CannedServer::with_headers(
        201,
        &[
            ("content-type", "application/json"),
            ("x-amz-Checksum", "Y2hlY2s="),
            ("x-amz-Checksum-Algorithm", "SHA256"),
        ],
        b"{}".to_vec(),
    );
    let data: Vec<u8> = (0..4096u32).map(|i| (i % 251) as u8).collect();
    let client = ebs::Client::new(&server.session());
    let out = client
        .put_snapshot_block(ebs::types::PutSnapshotBlockRequest {
            snapshot_id: Some("snap-1".into()),
            block_index: Some(3),
            block_data: Some(data.clone().into()),
            data_length: Some(4096),
            checksum: Some("Y2hlY2s=".into()),
            checksum_algorithm: Some(ebs::types::ChecksumAlgorithm::Sha256),
            progress: Some(50),
        })
        .await
        .unwrap();
    assert_eq!(out.checksum.as_deref(), Some("Y2hlY2s="));
    assert_eq!(server.bodies()[0], data);
    assert_eq!(
        server.header(0, "x-amz-content-sha256").as_deref(),
        Some("UNSIGNED-PAYLOAD")
    );
    let ours = signed_headers(&server.header(0, "authorization").unwrap());

    let py = botocore_request(
        "ebs",
        &server.url,
        "put_snapshot_block(SnapshotId='snap-1', BlockIndex=3, \
         BlockData=bytes(i % 251 for i in range(4096)), DataLength=4096, Checksum='Y2hlY2s=', \
         ChecksumAlgorithm='SHA256', Progress=50)",
    );
    assert_eq!(py["headers"]["x-amz-content-sha256"], "UNSIGNED-PAYLOAD");
    assert_eq!(
        py["url"],
        format!("{}/snapshots/snap-1/blocks/3", server.url)
    );
    assert!(server.heads()[0].starts_with("PUT /snapshots/snap-1/blocks/3 "));
    for h in [
        "x-amz-checksum",
        "x-amz-checksum-algorithm",
        "x-amz-data-length",
        "x-amz-progress",
    ] {
        assert_eq!(
            server.header(0, h).as_deref(),
            py["headers"][h].as_str(),
            "{h}"
        );
    }
    let theirs = signed_headers(py["headers"]["authorization"].as_str().unwrap());
    for h in [
        "host",
        "x-amz-checksum",
        "x-amz-content-sha256",
        "x-amz-date",
    ] {
        assert!(
            theirs.contains(&h.to_string()),
            "botocore signs {h}: {theirs:?}"
        );
        assert!(ours.contains(&h.to_string()), "boto-rs signs {h}: {ours:?}");
    }
}

#[tokio::test]
async fn sso_oidc_oauth2_errors_read_as_boto3_reads_them() {
    // SSO OIDC answers with OAuth2 errors: the message is `error_description` unless the body has
    // a message of its own.
    for (body, message) in [
        (
            r#"{"error": "invalid_grant", "error_description": "Refresh token has expired"}"#,
            "Refresh token has expired",
        ),
        (
            r#"{"error": "invalid_grant", "error_description": "not this", "message": "this"}"#,
            "this",
        ),
    ] {
        let server = CannedServer::with_headers(
            400,
            &[
                ("content-type", "application/json"),
                (
                    "x-amzn-errortype",
                    "InvalidGrantException:http://internal.amazon.com/coral/com.amazonaws.ssooidc/",
                ),
            ],
            body.as_bytes().to_vec(),
        );
        let client = sso_oidc::Client::new(&server.session());
        let err = client
            .create_token(sso_oidc::types::CreateTokenRequest {
                client_id: Some("client-1".into()),
                client_secret: Some("secret-1".into()),
                grant_type: Some("refresh_token".into()),
                refresh_token: Some("refresh-1".into()),
                ..Default::default()
            })
            .await
            .unwrap_err();
        assert_eq!(err.code(), Some("InvalidGrantException"));
        assert_eq!(err.message(), Some(message));
        let Some(sso_oidc::Error::InvalidGrantException(e)) = sso_oidc::Error::from_error(&err)
        else {
            panic!("not a typed InvalidGrantException: {err:?}")
        };
        assert_eq!(e.error.as_deref(), Some("invalid_grant"));

        let py: Json = serde_json::from_str(&python(&format!(
            "import boto3, json, botocore.exceptions\n\
             c = boto3.client('sso-oidc', region_name='us-east-1', endpoint_url='{}', \
             aws_access_key_id='AKID', aws_secret_access_key='SECRET')\n\
             try:\n    c.create_token(clientId='client-1', clientSecret='secret-1', \
             grantType='refresh_token', refreshToken='refresh-1')\n\
             except botocore.exceptions.ClientError as e:\n    \
             print(json.dumps({{'code': e.response['Error']['Code'], \
             'message': e.response['Error']['Message'], 'error': e.response.get('error'), \
             'description': e.response.get('error_description')}}))\n",
            server.url
        )))
        .unwrap();
        assert_eq!(py["code"], "InvalidGrantException");
        assert_eq!(py["message"], message);
        assert_eq!(py["error"].as_str(), e.error.as_deref());
        assert_eq!(py["description"].as_str(), e.error_description.as_deref());
    }
}
