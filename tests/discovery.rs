//! Endpoint discovery (timestream-write requires it; dynamodb offers it): the discovery
//! operation is called once and its endpoint cached, calls go to the discovered endpoint, an
//! endpoint the service turns down is discovered again, and the settings decide when it applies.

use boto_runtime::{Credentials, Environment, Session};
use boto_tests::CannedServer;

fn endpoints(server: &CannedServer, minutes: u32) -> (u16, Vec<u8>) {
    (
        200,
        format!(
            r#"{{"Endpoints": [{{"Address": "{}", "CachePeriodInMinutes": {minutes}}}]}}"#,
            server.url
        )
        .into_bytes(),
    )
}

/// A session whose configured endpoint (not one given in code) is `url`.
fn session(
    url: &str,
    tune: impl FnOnce(boto_runtime::SessionBuilder) -> boto_runtime::SessionBuilder,
) -> Session {
    let b = Session::builder()
        .credentials(Credentials::new("AKID", "SECRET", None))
        .environment(Environment::from_vars([
            ("HOME", "/nonexistent"),
            ("AWS_ENDPOINT_URL", url),
        ]))
        .region("us-east-1");
    tune(b).build().unwrap()
}

const DATABASES: &[u8] = br#"{"Databases": [{"DatabaseName": "metrics"}]}"#;

#[tokio::test]
async fn required_discovery_is_called_once_and_its_endpoint_used() {
    let discovered = CannedServer::start(200, DATABASES.to_vec());
    let configured = CannedServer::sequence(vec![endpoints(&discovered, 10)]);
    let client = timestream_write::Client::new(&session(&configured.url, |b| b));
    for _ in 0..3 {
        let out = client.list_databases(Default::default()).await.unwrap();
        assert_eq!(
            out.databases.unwrap()[0].database_name.as_deref(),
            Some("metrics")
        );
    }
    // One DescribeEndpoints (with botocore's API version header), then every call to the
    // endpoint it named.
    assert_eq!(configured.requests(), 1);
    assert_eq!(
        configured.header(0, "x-amz-target").as_deref(),
        Some("Timestream_20181101.DescribeEndpoints")
    );
    assert_eq!(
        configured.header(0, "x-amz-api-version").as_deref(),
        Some("2018-11-01")
    );
    assert_eq!(discovered.requests(), 3);
    assert_eq!(
        discovered.header(0, "x-amz-target").as_deref(),
        Some("Timestream_20181101.ListDatabases")
    );
    assert_eq!(discovered.header(0, "x-amz-api-version"), None);
    // Signed for the discovered host.
    let auth = discovered.header(0, "authorization").unwrap();
    assert!(
        auth.contains("/us-east-1/timestream/aws4_request"),
        "{auth}"
    );
}

#[tokio::test]
async fn an_endpoint_the_service_turns_down_is_discovered_again() {
    let discovered = CannedServer::sequence(vec![(421, Vec::new()), (200, DATABASES.to_vec())]);
    let configured = CannedServer::sequence(vec![endpoints(&discovered, 10)]);
    let client = timestream_write::Client::new(&session(&configured.url, |b| b));
    client.list_databases(Default::default()).await.unwrap();
    assert_eq!(configured.requests(), 2, "discovered again after 421");
    assert_eq!(discovered.requests(), 2);
}

#[tokio::test]
async fn an_expired_endpoint_is_discovered_again_and_a_failing_discovery_keeps_the_stale_one() {
    let discovered = CannedServer::start(200, DATABASES.to_vec());
    // A cache period of 0 minutes: expired at once.
    let configured = CannedServer::sequence(vec![
        endpoints(&discovered, 0),
        (CannedServer::RESET, Vec::new()),
    ]);
    let client = timestream_write::Client::new(&session(&configured.url, |b| b.max_attempts(1)));
    client.list_databases(Default::default()).await.unwrap();
    // Expired: discovery runs again, cannot reach the service, and the stale endpoint is used.
    client.list_databases(Default::default()).await.unwrap();
    assert_eq!(configured.requests(), 2);
    assert_eq!(discovered.requests(), 2);
}

#[tokio::test]
async fn settings_decide_when_discovery_applies() {
    // Off: an operation that requires discovery is refused before anything is sent.
    let server = CannedServer::start(200, DATABASES.to_vec());
    let client = timestream_write::Client::new(&session(&server.url, |b| {
        b.endpoint_discovery_enabled(false)
    }));
    let err = client.list_databases(Default::default()).await.unwrap_err();
    assert!(
        err.to_string()
            .contains("ListDatabases requires endpoint discovery"),
        "{err}"
    );
    assert_eq!(server.requests(), 0);

    // An endpoint URL given in code turns discovery off, as in botocore: calls go there.
    let explicit = Session::builder()
        .credentials(Credentials::new("AKID", "SECRET", None))
        .environment(Environment::from_vars([("HOME", "/nonexistent")]))
        .region("us-east-1")
        .endpoint_url(&server.url)
        .build()
        .unwrap();
    timestream_write::Client::new(&explicit)
        .list_databases(Default::default())
        .await
        .unwrap();
    assert_eq!(
        server.header(0, "x-amz-target").as_deref(),
        Some("Timestream_20181101.ListDatabases")
    );

    // dynamodb offers discovery without requiring it: only when turned on.
    let tables = br#"{"TableNames": []}"#.to_vec();
    let discovered = CannedServer::start(200, tables.clone());
    let configured = CannedServer::sequence(vec![(200, tables), endpoints(&discovered, 10)]);
    let auto = dynamodb::Client::new(&session(&configured.url, |b| b));
    auto.list_tables(Default::default()).await.unwrap();
    assert_eq!(
        configured.header(0, "x-amz-target").as_deref(),
        Some("DynamoDB_20120810.ListTables")
    );
    let on = dynamodb::Client::new(&session(&configured.url, |b| {
        b.endpoint_discovery_enabled(true)
    }));
    on.list_tables(Default::default()).await.unwrap();
    assert_eq!(
        configured.header(1, "x-amz-target").as_deref(),
        Some("DynamoDB_20120810.DescribeEndpoints")
    );
    assert_eq!(discovered.requests(), 1);

    // The setting from the environment, and a bad value is a clear error.
    let err = Session::builder()
        .environment(Environment::from_vars([
            ("HOME", "/nonexistent"),
            ("AWS_ENDPOINT_DISCOVERY_ENABLED", "sometimes"),
        ]))
        .build()
        .unwrap_err();
    assert!(err.to_string().contains("true, false or auto"), "{err}");
}
