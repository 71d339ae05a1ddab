//! Secrets stay secret: credentials never appear in `Debug`, `Display`, errors or `tracing`
//! output, while the tracing spans say what happened (service, operation, attempt, status,
//! request id).

use boto_runtime::Credentials;
use boto_tests::CannedServer;
use std::sync::{Arc, Mutex};
use tracing::field::{Field, Visit};
use tracing::span::{Attributes, Id, Record};
use tracing::{Event, Metadata, Subscriber};

const SECRET: &str = "SECRETkey/0123456789abcdefghijklmnopqrstu";
const TOKEN: &str = "SESSIONtoken0123456789";

/// A subscriber that writes every span, field and event as text.
#[derive(Clone, Default)]
struct Capture {
    lines: Arc<Mutex<Vec<String>>>,
    next: Arc<Mutex<u64>>,
}

struct Fields(String);

impl Visit for Fields {
    fn record_debug(&mut self, field: &Field, value: &dyn std::fmt::Debug) {
        self.0.push_str(&format!(" {}={:?}", field.name(), value));
    }
}

impl Subscriber for Capture {
    fn enabled(&self, _: &Metadata<'_>) -> bool {
        true
    }
    fn new_span(&self, span: &Attributes<'_>) -> Id {
        let mut f = Fields(format!("span {}:", span.metadata().name()));
        span.record(&mut f);
        self.lines.lock().unwrap().push(f.0);
        let mut n = self.next.lock().unwrap();
        *n += 1;
        Id::from_u64(*n)
    }
    fn record(&self, span: &Id, values: &Record<'_>) {
        let mut f = Fields(format!("record {}:", span.into_u64()));
        values.record(&mut f);
        self.lines.lock().unwrap().push(f.0);
    }
    fn record_follows_from(&self, _: &Id, _: &Id) {}
    fn event(&self, event: &Event<'_>) {
        let mut f = Fields(format!("event {}:", event.metadata().level()));
        event.record(&mut f);
        self.lines.lock().unwrap().push(f.0);
    }
    fn enter(&self, _: &Id) {}
    fn exit(&self, _: &Id) {}
}

fn error(status: u16) -> (u16, Vec<u8>) {
    let body = "<ErrorResponse><Error><Code>InternalFailure</Code><Message>boom</Message></Error>\
                <RequestId>req-500</RequestId></ErrorResponse>";
    (status, body.as_bytes().to_vec())
}

#[test]
fn credentials_stay_out_of_logs_debug_and_errors() {
    let capture = Capture::default();
    let _guard = tracing::subscriber::set_default(capture.clone());
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let ok = "<ListUsersResponse><ListUsersResult><Users/><IsTruncated>false</IsTruncated>\
              </ListUsersResult><ResponseMetadata><RequestId>req-ok</RequestId></ResponseMetadata></ListUsersResponse>";
    let server = CannedServer::sequence(vec![error(500), (200, ok.as_bytes().to_vec())]);
    let creds = Credentials::new("AKIDEXAMPLE", SECRET, Some(TOKEN.to_string()));
    let session = boto_tests::isolated_session()
        .credentials(creds.clone())
        .region("us-east-1")
        .endpoint_url(&server.url)
        .build()
        .unwrap();
    let client = iam::Client::new(&session);
    rt.block_on(client.list_users(Default::default())).unwrap();
    // The request was signed with them, so they were really in use.
    let auth = server.header(0, "authorization").unwrap();
    assert!(auth.contains("Credential=AKIDEXAMPLE/"), "{auth}");
    assert_eq!(
        server.header(0, "x-amz-security-token").as_deref(),
        Some(TOKEN)
    );

    // A failing call too: its error, as text and as Debug.
    let denied = CannedServer::start(403, error(403).1);
    let c2 = iam::Client::new(
        &boto_tests::isolated_session()
            .credentials(creds.clone())
            .region("us-east-1")
            .endpoint_url(&denied.url)
            .build()
            .unwrap(),
    );
    let err = rt.block_on(c2.list_users(Default::default())).unwrap_err();

    let logs = capture.lines.lock().unwrap().join("\n");
    let texts = [
        logs.clone(),
        format!("{creds:?}"),
        format!("{session:?}"),
        format!("{client:?}"),
        format!("{err}"),
        format!("{err:?}"),
    ];
    for t in &texts {
        assert!(!t.contains(SECRET), "secret key in: {t}");
        assert!(!t.contains(TOKEN), "session token in: {t}");
        assert!(!t.contains("Signature="), "signature in: {t}");
    }
    assert!(format!("{creds:?}").contains("AKIDEXAMPLE"));

    // The spans: the operation, then each attempt with its status and request id.
    assert!(
        logs.contains("span operation: service=\"iam\" operation=\"ListUsers\""),
        "{logs}"
    );
    assert!(logs.contains("span attempt: attempt=1"), "{logs}");
    assert!(logs.contains("span attempt: attempt=2"), "{logs}");
    assert!(logs.contains("status=500"), "{logs}");
    assert!(logs.contains("status=200"), "{logs}");
    assert!(logs.contains("retrying"), "{logs}");
    assert!(
        logs.contains("request_id=\"req-ok\"") || logs.contains("status=200"),
        "{logs}"
    );
}

#[test]
fn endpoints_are_https_by_default() {
    let session = boto_tests::isolated_session()
        .region("eu-west-1")
        .build()
        .unwrap();
    for url in [
        iam::Client::new(&session)
            .handle()
            .endpoint()
            .unwrap()
            .url
            .clone(),
        s3::Client::new(&session)
            .handle()
            .endpoint()
            .unwrap()
            .url
            .clone(),
        ec2::Client::new(&session)
            .handle()
            .endpoint()
            .unwrap()
            .url
            .clone(),
    ] {
        assert!(url.starts_with("https://"), "{url}");
    }
}
