//! The default credential chain's sources, each against a local server or files the test writes:
//! `credential_process`, container credentials, IMDSv2, assume-role profiles (chained) and web
//! identity through STS (moto), with caching, refresh before expiry, and one request however many
//! tasks ask at once.

use boto_runtime::{Environment, Session};
use boto_tests::{CannedServer, Moto};
use std::path::PathBuf;

fn dir(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("boto-creds-{name}-{}", std::process::id()));
    std::fs::create_dir_all(&d).unwrap();
    d
}

fn session(vars: Vec<(&str, String)>) -> Session {
    let mut all = vec![("HOME".to_string(), "/nonexistent".to_string())];
    all.extend(vars.into_iter().map(|(k, v)| (k.to_string(), v)));
    Session::builder()
        .environment(Environment::from_vars(all))
        .region("us-east-1")
        .build()
        .unwrap()
}

fn iso(t: std::time::SystemTime) -> String {
    let secs = t.duration_since(std::time::UNIX_EPOCH).unwrap().as_secs() as i64;
    boto_runtime::DateTime::from_secs_and_nanos(secs, 0).to_iso8601()
}

fn in_minutes(m: u64) -> String {
    iso(std::time::SystemTime::now() + std::time::Duration::from_secs(60 * m))
}

/// A credential_process script that counts its runs and prints keys expiring at `expires`.
fn process_script(d: &std::path::Path, expires: &str) -> (PathBuf, PathBuf) {
    let count = d.join("runs");
    let script = d.join("creds.sh");
    std::fs::write(
        &script,
        format!(
            "#!/bin/sh\necho run >> '{}'\necho '{{\"Version\": 1, \"AccessKeyId\": \"PROCKEY\", \"SecretAccessKey\": \"PROCSECRET\", \"SessionToken\": \"PROCTOKEN\", \"Expiration\": \"{expires}\"}}'\n",
            count.display()
        ),
    )
    .unwrap();
    (script, count)
}

fn runs(count: &std::path::Path) -> usize {
    std::fs::read_to_string(count).map_or(0, |s| s.lines().count())
}

#[tokio::test]
async fn credential_process_is_run_once_and_again_near_expiry() {
    let d = dir("process");
    let (script, count) = process_script(&d, &in_minutes(60));
    let config = d.join("config");
    std::fs::write(
        &config,
        format!(
            "[profile tool]\ncredential_process = sh \"{}\" --flag\n",
            script.display()
        ),
    )
    .unwrap();
    let s = session(vec![
        ("AWS_CONFIG_FILE", config.display().to_string()),
        ("AWS_PROFILE", "tool".into()),
    ]);
    let c = s.load_credentials().await.unwrap();
    assert_eq!(
        (c.access_key_id(), c.session_token()),
        ("PROCKEY", Some("PROCTOKEN"))
    );
    s.load_credentials().await.unwrap();
    assert_eq!(runs(&count), 1, "cached until near expiry");
    assert_eq!(s.credentials().unwrap().access_key_id(), "PROCKEY");

    // Keys that expire in 5 minutes are inside the refresh window: each use runs it again.
    std::fs::remove_file(&count).unwrap();
    let (_, count) = process_script(&d, &in_minutes(5));
    let s = session(vec![
        ("AWS_CONFIG_FILE", config.display().to_string()),
        ("AWS_PROFILE", "tool".into()),
    ]);
    s.load_credentials().await.unwrap();
    s.load_credentials().await.unwrap();
    assert_eq!(runs(&count), 2);

    // A failing command is a clear error.
    std::fs::write(
        &config,
        "[default]\ncredential_process = sh -c 'echo nope >&2; exit 3'\n",
    )
    .unwrap();
    let s = session(vec![("AWS_CONFIG_FILE", config.display().to_string())]);
    let err = s.load_credentials().await.unwrap_err();
    assert_eq!(err.kind(), boto_runtime::ErrorKind::Credentials);
    assert!(err.to_string().contains("nope"), "{err}");
    std::fs::remove_dir_all(&d).unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn container_credentials_are_fetched_once_for_many_tasks() {
    let body = format!(
        r#"{{"AccessKeyId":"CKEY","SecretAccessKey":"CSECRET","Token":"CTOKEN","Expiration":"{}"}}"#,
        in_minutes(60)
    );
    let server = CannedServer::start(200, body.into_bytes());
    let s = session(vec![
        (
            "AWS_CONTAINER_CREDENTIALS_FULL_URI",
            format!("{}/v2/creds", server.url),
        ),
        ("AWS_CONTAINER_AUTHORIZATION_TOKEN", "Bearer abc".into()),
    ]);
    let tasks: Vec<_> = (0..20)
        .map(|_| {
            let s = s.clone();
            tokio::spawn(async move { s.load_credentials().await })
        })
        .collect();
    for t in tasks {
        assert_eq!(t.await.unwrap().unwrap().access_key_id(), "CKEY");
    }
    assert_eq!(server.requests(), 1, "one request for twenty tasks");
    assert_eq!(
        server.header(0, "authorization").as_deref(),
        Some("Bearer abc")
    );
    assert!(
        server.heads()[0].starts_with("GET /v2/creds"),
        "{}",
        server.heads()[0]
    );
    // The token is not printed.
    assert!(!format!("{s:?}").contains("Bearer abc"));

    // Only HTTPS or the loopback and container hosts may serve credentials.
    let err = Session::builder()
        .environment(Environment::from_vars([
            ("HOME", "/nonexistent"),
            (
                "AWS_CONTAINER_CREDENTIALS_FULL_URI",
                "http://example.com/creds",
            ),
        ]))
        .build()
        .unwrap_err();
    assert!(
        err.to_string()
            .contains("AWS_CONTAINER_CREDENTIALS_FULL_URI"),
        "{err}"
    );
}

#[tokio::test]
async fn instance_metadata_v2_token_then_role_then_keys() {
    let creds = format!(
        r#"{{"Code":"Success","Type":"AWS-HMAC","AccessKeyId":"IKEY","SecretAccessKey":"ISECRET","Token":"ITOKEN","Expiration":"{}"}}"#,
        in_minutes(60)
    );
    let server = CannedServer::sequence(vec![
        (200, b"imds-session-token".to_vec()),
        (200, b"my-role\n".to_vec()),
        (200, creds.into_bytes()),
    ]);
    let s = session(vec![(
        "AWS_EC2_METADATA_SERVICE_ENDPOINT",
        server.url.clone(),
    )]);
    let c = s.load_credentials().await.unwrap();
    assert_eq!(
        (c.access_key_id(), c.session_token()),
        ("IKEY", Some("ITOKEN"))
    );
    let heads = server.heads();
    assert!(
        heads[0].starts_with("PUT /latest/api/token"),
        "{}",
        heads[0]
    );
    assert_eq!(
        server
            .header(0, "x-aws-ec2-metadata-token-ttl-seconds")
            .as_deref(),
        Some("21600")
    );
    assert!(
        heads[1].starts_with("GET /latest/meta-data/iam/security-credentials/ "),
        "{}",
        heads[1]
    );
    assert!(
        heads[2].starts_with("GET /latest/meta-data/iam/security-credentials/my-role "),
        "{}",
        heads[2]
    );
    assert_eq!(
        server.header(2, "x-aws-ec2-metadata-token").as_deref(),
        Some("imds-session-token")
    );

    // Nothing anywhere: the chain's last source fails, and the error says none was found.
    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", closed.local_addr().unwrap());
    drop(closed);
    let s = session(vec![("AWS_EC2_METADATA_SERVICE_ENDPOINT", url)]);
    let err = s.load_credentials().await.unwrap_err();
    assert!(
        err.to_string().contains("unable to locate credentials"),
        "{err}"
    );
    // Switched off, nothing is tried.
    let s = session(vec![("AWS_EC2_METADATA_DISABLED", "true".into())]);
    assert!(s
        .credentials()
        .unwrap_err()
        .to_string()
        .contains("unable to locate credentials"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn assume_role_profiles_and_web_identity_through_sts() {
    let moto = Moto::start();
    let d = dir("assume");
    let config = d.join("config");
    std::fs::write(
        &config,
        "[profile base]\naws_access_key_id = BASEKEY\naws_secret_access_key = BASESECRET\n\
         [profile dev]\nrole_arn = arn:aws:iam::123456789012:role/dev\nsource_profile = base\nrole_session_name = dev-session\n\
         [profile chained]\nrole_arn = arn:aws:iam::123456789012:role/ops\nsource_profile = dev\n\
         [profile loop]\nrole_arn = arn:aws:iam::123456789012:role/x\nsource_profile = loop2\n\
         [profile loop2]\nrole_arn = arn:aws:iam::123456789012:role/y\nsource_profile = loop\n",
    )
    .unwrap();
    let with = |profile: &str| {
        Session::builder()
            .environment(Environment::from_vars([
                ("HOME", "/nonexistent".to_string()),
                ("AWS_CONFIG_FILE", config.display().to_string()),
                ("AWS_ENDPOINT_URL_STS", moto.url.clone()),
            ]))
            .profile(profile)
            .region("us-east-1")
            .endpoint_url(&moto.url)
            .build()
    };
    for (profile, role) in [("dev", "dev"), ("chained", "ops")] {
        let s = with(profile).unwrap();
        let c = s.load_credentials().await.unwrap();
        assert_ne!(c.access_key_id(), "BASEKEY");
        assert!(c.session_token().is_some());
        // The session's calls are made as the assumed role.
        let me = sts::Client::new(&s)
            .get_caller_identity(Default::default())
            .await
            .unwrap();
        let arn = me.arn.unwrap();
        assert!(arn.contains(&format!("assumed-role/{role}/")), "{arn}");
    }
    let err = with("loop").unwrap_err();
    assert!(err.to_string().contains("too long"), "{err}");

    // Web identity from the environment.
    let token = d.join("token");
    std::fs::write(&token, "eyJ.web.identity\n").unwrap();
    let s = Session::builder()
        .environment(Environment::from_vars([
            ("HOME", "/nonexistent".to_string()),
            ("AWS_WEB_IDENTITY_TOKEN_FILE", token.display().to_string()),
            (
                "AWS_ROLE_ARN",
                "arn:aws:iam::123456789012:role/web".to_string(),
            ),
            ("AWS_ROLE_SESSION_NAME", "web-session".to_string()),
            ("AWS_ENDPOINT_URL_STS", moto.url.clone()),
        ]))
        .region("us-east-1")
        .endpoint_url(&moto.url)
        .build()
        .unwrap();
    let me = sts::Client::new(&s)
        .get_caller_identity(Default::default())
        .await
        .unwrap();
    let arn = me.arn.unwrap();
    assert!(arn.contains("assumed-role/web/web-session"), "{arn}");
    std::fs::remove_dir_all(&d).unwrap();
}
