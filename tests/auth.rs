//! How calls are authenticated beyond SigV4: bearer tokens from `AWS_BEARER_TOKEN_<SERVICE>`
//! (bedrock-runtime's model offers `smithy.api#httpBearerAuth`), the SSO token cache a bearer
//! service reads (refreshed through SSO OIDC's `CreateToken`), and the auth scheme a model
//! asks for.

use boto_runtime::{Credentials, Environment, ErrorKind, Session};
use boto_tests::CannedServer;
use std::path::Path;

fn bedrock(server: &CannedServer, env: &[(&str, &str)]) -> bedrock_runtime::Client {
    let mut vars = vec![("HOME".to_string(), "/nonexistent".to_string())];
    vars.extend(env.iter().map(|(k, v)| (k.to_string(), v.to_string())));
    let session = Session::builder()
        .credentials(Credentials::new("AKID", "SECRET", None))
        .environment(Environment::from_vars(vars))
        .region("us-east-1")
        .endpoint_url(&server.url)
        .max_attempts(1)
        .build()
        .unwrap();
    bedrock_runtime::Client::new(&session)
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
