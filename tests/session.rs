//! Session configuration from the environment and the shared files, as boto3 resolves it.

use boto_runtime::{Environment, Session};
use std::path::PathBuf;

struct TempDir(PathBuf);

impl TempDir {
    fn new(name: &str) -> TempDir {
        let p = std::env::temp_dir().join(format!("boto-rs-{name}-{}", std::process::id()));
        std::fs::create_dir_all(&p).unwrap();
        TempDir(p)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn env(vars: &[(&str, String)]) -> Environment {
    Environment::from_vars(vars.iter().map(|(k, v)| (k.to_string(), v.clone())))
}

#[test]
fn profiles_from_the_shared_files() {
    let dir = TempDir::new("profiles");
    let config = dir.0.join("config");
    let creds = dir.0.join("credentials");
    std::fs::write(
        &config,
        "[default]\nregion = us-west-2\n\n[profile dev]\nregion = eu-central-1\nmax_attempts = 5\n",
    )
    .unwrap();
    std::fs::write(
        &creds,
        "[default]\naws_access_key_id = DEFAULTKEY\naws_secret_access_key = defaultsecret\n\n[dev]\naws_access_key_id = DEVKEY\naws_secret_access_key = devsecret\naws_session_token = devtoken\n",
    )
    .unwrap();
    let files = [
        ("AWS_CONFIG_FILE", config.display().to_string()),
        ("AWS_SHARED_CREDENTIALS_FILE", creds.display().to_string()),
    ];

    let s = Session::builder().environment(env(&files)).build().unwrap();
    assert_eq!(s.region(), Some("us-west-2"));
    assert_eq!(s.credentials().unwrap().access_key_id(), "DEFAULTKEY");

    let mut with_profile = files.to_vec();
    with_profile.push(("AWS_PROFILE", "dev".to_string()));
    let s = Session::builder()
        .environment(env(&with_profile))
        .build()
        .unwrap();
    assert_eq!(s.profile(), "dev");
    assert_eq!(s.region(), Some("eu-central-1"));
    assert_eq!(s.max_attempts(), 5);
    let c = s.credentials().unwrap();
    assert_eq!(
        (c.access_key_id(), c.session_token()),
        ("DEVKEY", Some("devtoken"))
    );

    // The builder's profile wins over AWS_PROFILE; environment credentials lose to an explicit profile.
    let mut both = with_profile.clone();
    both.push(("AWS_ACCESS_KEY_ID", "ENVKEY".to_string()));
    both.push(("AWS_SECRET_ACCESS_KEY", "envsecret".to_string()));
    let s = Session::builder()
        .profile("default")
        .environment(env(&both))
        .build()
        .unwrap();
    assert_eq!(s.credentials().unwrap().access_key_id(), "DEFAULTKEY");
    // Without a chosen profile, the environment's keys come first.
    let mut env_keys = files.to_vec();
    env_keys.push(("AWS_ACCESS_KEY_ID", "ENVKEY".to_string()));
    env_keys.push(("AWS_SECRET_ACCESS_KEY", "envsecret".to_string()));
    let s = Session::builder()
        .environment(env(&env_keys))
        .build()
        .unwrap();
    assert_eq!(s.credentials().unwrap().access_key_id(), "ENVKEY");

    let err = Session::builder()
        .profile("nope")
        .environment(env(&files))
        .build()
        .unwrap_err();
    assert!(
        err.to_string().contains("(nope) could not be found"),
        "{err}"
    );
}

#[test]
fn endpoints_from_the_environment() {
    let base = [("HOME", "/nonexistent".to_string())];
    let mk = |extra: &[(&str, &str)]| {
        let mut v = base.to_vec();
        v.extend(extra.iter().map(|(k, val)| (*k, val.to_string())));
        Session::builder()
            .region("us-east-1")
            .credentials(boto_runtime::Credentials::new("a", "b", None))
            .environment(env(&v))
            .build()
            .unwrap()
    };
    let url = |s: &Session| ec2::Client::new(s).handle().endpoint().unwrap().url.clone();
    assert_eq!(url(&mk(&[])), "https://ec2.us-east-1.amazonaws.com");
    assert_eq!(
        url(&mk(&[("AWS_ENDPOINT_URL", "http://all:1")])),
        "http://all:1"
    );
    assert_eq!(
        url(&mk(&[
            ("AWS_ENDPOINT_URL", "http://all:1"),
            ("AWS_ENDPOINT_URL_EC2", "http://ec2:2/")
        ])),
        // As given: the rule set passes `SDK::Endpoint` through, as botocore's does.
        "http://ec2:2/"
    );
    let s = mk(&[("AWS_ENDPOINT_URL_EC2", "http://ec2:2")]);
    let c = ec2::Client::builder(&s)
        .endpoint_url("http://mine:3")
        .region("cn-north-1")
        .build();
    assert_eq!(c.handle().endpoint().unwrap().url, "http://mine:3");
    assert_eq!(
        c.handle().endpoint().unwrap().auth.signing_region,
        "cn-north-1"
    );
    let c = ec2::Client::builder(&mk(&[])).region("cn-north-1").build();
    assert_eq!(
        c.handle().endpoint().unwrap().url,
        "https://ec2.cn-north-1.amazonaws.com.cn"
    );
    let c = ec2::Client::builder(&mk(&[])).region("bad region").build();
    assert!(c
        .handle()
        .endpoint()
        .unwrap_err()
        .to_string()
        .contains("invalid region"));
}
