//! S3 Express One Zone (directory buckets): session credentials from `CreateSession`, cached per
//! bucket and refreshed before they expire, as botocore's `S3ExpressIdentityCache` does.
//!
//! Requests to a directory bucket are signed with these session credentials (scheme
//! `sigv4-s3express`, see [`SigningScheme::S3Express`](crate::auth::signing::SigningScheme)); the
//! client's own credentials only sign the `CreateSession` call that obtains them.

use crate::auth::credentials::Credentials;
use crate::auth::signing::{sign_with, SignOptions};
use crate::error::{Error, ErrorKind, Result};
use crate::http::HttpRequest;
use crate::time::DateTime;
use crate::wire::xml::Reader;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime};

/// Within this long of expiry one caller refreshes while the others keep using the current
/// credentials, and a failed refresh is not an error (botocore's advisory timeout for them).
const ADVISORY_REFRESH: Duration = Duration::from_secs(45);
/// Within this long of expiry every caller waits for fresh credentials, and a failed refresh is
/// an error (botocore's mandatory timeout).
const MANDATORY_REFRESH: Duration = Duration::from_secs(10);
/// How many buckets' sessions are kept (botocore's `lru_cache(maxsize=100)`); the least recently
/// used one is dropped first.
const MAX_BUCKETS: usize = 100;

/// Session credentials and when they expire.
#[derive(Clone)]
struct Session {
    creds: Credentials,
    expires: SystemTime,
}

impl Session {
    /// True when fewer than `margin` remain before expiry.
    fn expires_within(&self, margin: Duration, now: SystemTime) -> bool {
        self.expires <= now + margin
    }
}

/// One bucket's session: the current credentials and the lock held while fetching new ones,
/// so that concurrent callers share one `CreateSession`.
#[derive(Default)]
struct Slot {
    current: Mutex<Option<Session>>,
    refresh: tokio::sync::Mutex<()>,
}

impl Slot {
    fn current(&self) -> Option<Session> {
        self.current.lock().ok()?.clone()
    }
}

/// The cache key: a session belongs to a bucket and to the credentials that created it.
type Key = (String, String);

/// S3 Express One Zone session credentials of one client, per (bucket, base access key).
/// `Send + Sync`: share it between the client's calls.
#[derive(Default)]
pub struct SessionCache {
    /// Each key's slot with the tick it was last used at (for dropping the least recent).
    slots: Mutex<HashMap<Key, (Arc<Slot>, u64)>>,
    tick: std::sync::atomic::AtomicU64,
}

impl std::fmt::Debug for SessionCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let n = self.slots.lock().map(|s| s.len()).unwrap_or(0);
        f.debug_struct("SessionCache").field("buckets", &n).finish()
    }
}

impl SessionCache {
    /// An empty cache.
    pub fn new() -> SessionCache {
        SessionCache::default()
    }

    /// The slot for `key`, created when missing; marks it as just used.
    fn slot(&self, key: Key) -> Result<Arc<Slot>> {
        use std::sync::atomic::Ordering;
        let tick = self.tick.fetch_add(1, Ordering::Relaxed);
        let mut slots = self
            .slots
            .lock()
            .map_err(|_| Error::config("the S3 Express session cache is unusable"))?;
        if let Some((slot, used)) = slots.get_mut(&key) {
            *used = tick;
            return Ok(slot.clone());
        }
        if slots.len() >= MAX_BUCKETS {
            let oldest = slots
                .iter()
                .min_by_key(|(_, (_, used))| *used)
                .map(|(k, _)| k.clone());
            if let Some(k) = oldest {
                slots.remove(&k);
            }
        }
        let slot = Arc::new(Slot::default());
        slots.insert(key, (slot.clone(), tick));
        Ok(slot)
    }

    /// The session credentials for `bucket`, from the cache or from S3's `CreateSession`
    /// (`GET {endpoint_url}/?session`, signed with SigV4 for `s3express` in `region` with `base`).
    /// `endpoint_url` is the endpoint resolved for the bucket (for a virtual-hosted bucket,
    /// `https://{bucket}.s3express-{az}.{region}.amazonaws.com`). Credentials that expire within
    /// 45 s are refreshed by one caller while the others keep using them; within 10 s every
    /// caller waits for the new ones.
    pub async fn credentials(
        &self,
        bucket: &str,
        endpoint_url: &str,
        base: &Credentials,
        http: &reqwest::Client,
        region: &str,
    ) -> Result<Credentials> {
        let slot = self.slot((bucket.to_string(), base.access_key_id().to_string()))?;
        let fetch = || create_session(bucket, endpoint_url, base, http, region);
        let now = SystemTime::now();
        match slot.current() {
            Some(s) if !s.expires_within(ADVISORY_REFRESH, now) => return Ok(s.creds),
            // Advisory window: refresh unless someone else is; on failure keep the current ones.
            Some(s) if !s.expires_within(MANDATORY_REFRESH, now) => {
                let Ok(_refreshing) = slot.refresh.try_lock() else {
                    return Ok(s.creds);
                };
                // Another caller may have refreshed between the check and the lock.
                if let Some(c) = slot.current() {
                    if !c.expires_within(ADVISORY_REFRESH, SystemTime::now()) {
                        return Ok(c.creds);
                    }
                }
                return match fetch().await {
                    Ok(fresh) => store(&slot, fresh),
                    Err(e) => {
                        tracing::warn!(bucket, error = %e, "refreshing S3 Express session credentials failed; the current ones are still valid");
                        Ok(s.creds)
                    }
                };
            }
            _ => {}
        }
        // None yet, or about to expire: everyone waits for one caller's fetch.
        let _refreshing = slot.refresh.lock().await;
        if let Some(c) = slot.current() {
            if !c.expires_within(MANDATORY_REFRESH, SystemTime::now()) {
                return Ok(c.creds);
            }
        }
        let fresh = fetch().await?;
        store(&slot, fresh)
    }
}

/// Keeps `fresh` as the slot's session and returns its credentials; credentials that are already
/// expired are an error (as botocore refuses them).
fn store(slot: &Slot, fresh: Session) -> Result<Credentials> {
    if fresh.expires <= SystemTime::now() {
        return Err(Error::new(
            ErrorKind::Credentials,
            "CreateSession returned S3 Express session credentials that are already expired",
        ));
    }
    let creds = fresh.creds.clone();
    if let Ok(mut g) = slot.current.lock() {
        *g = Some(fresh);
    }
    Ok(creds)
}

/// Calls `CreateSession` for `bucket` and reads the session credentials it returns.
async fn create_session(
    bucket: &str,
    endpoint_url: &str,
    base: &Credentials,
    http: &reqwest::Client,
    region: &str,
) -> Result<Session> {
    let mut req = HttpRequest {
        method: "GET".into(),
        url: format!("{}/?session", endpoint_url.trim_end_matches('/')),
        headers: Vec::new(),
        body: bytes::Bytes::new(),
    };
    let opts = SignOptions {
        s3: true,
        ..SignOptions::default()
    };
    sign_with(
        &mut req,
        base,
        region,
        "s3express",
        SystemTime::now(),
        &opts,
    )?;
    let mut builder = http.get(&req.url);
    for (k, v) in &req.headers {
        builder = builder.header(k.as_str(), v.as_str());
    }
    let what = format!("CreateSession for the S3 Express bucket {bucket}");
    let resp = builder.send().await.map_err(|e| {
        let kind = if e.is_timeout() {
            ErrorKind::Timeout
        } else {
            ErrorKind::Transport
        };
        Error::new(kind, format!("{what}: {} did not answer", req.url))
            .with_source(e)
            .with_operation("CreateSession")
    })?;
    let status = resp.status().as_u16();
    let request_id = resp
        .headers()
        .get("x-amz-request-id")
        .and_then(|v| v.to_str().ok())
        .map(str::to_string);
    let body = resp.bytes().await.map_err(|e| {
        Error::new(
            ErrorKind::Transport,
            format!("{what}: the answer was cut off"),
        )
        .with_source(e)
        .with_operation("CreateSession")
    })?;
    if !(200..300).contains(&status) {
        return Err(error_of(status, &body)
            .with_request_id(request_id)
            .with_operation("CreateSession"));
    }
    parse_session(&body).map_err(|e| e.with_operation("CreateSession"))
}

/// The service error an S3 error answer (`<Error><Code/><Message/></Error>`) describes; the
/// HTTP status stands in for a code when the body has none.
fn error_of(status: u16, body: &[u8]) -> Error {
    let mut code = None;
    let mut message = None;
    let mut request_id = None;
    let parsed = (|| -> Result<()> {
        let mut r = Reader::new(body)?;
        let root = r.root()?;
        if root.name() != b"Error" {
            return Ok(());
        }
        r.children(&root, |r, c| {
            match c.name() {
                b"Code" => code = Some(r.text(&c)?),
                b"Message" => message = Some(r.text(&c)?),
                b"RequestId" => request_id = Some(r.text(&c)?),
                _ => r.skip(&c)?,
            }
            Ok(())
        })
    })();
    if parsed.is_err() || code.is_none() {
        message = message.or_else(|| {
            let text = String::from_utf8_lossy(body);
            let text = text.trim();
            (!text.is_empty()).then(|| text.chars().take(200).collect())
        });
    }
    let code = code.unwrap_or_else(|| status.to_string());
    Error::service(code, message, status).with_request_id(request_id)
}

/// Reads `CreateSessionResult/Credentials/{AccessKeyId, SecretAccessKey, SessionToken,
/// Expiration}`.
fn parse_session(body: &[u8]) -> Result<Session> {
    let mut r = Reader::new(body)?;
    let root = r.root()?;
    if root.name() != b"CreateSessionResult" {
        return Err(Error::response(format!(
            "CreateSession answered <{}> instead of <CreateSessionResult>",
            root.name_str()
        )));
    }
    let (mut id, mut secret, mut token, mut expiration) = (None, None, None, None);
    r.children(&root, |r, c| {
        if c.name() != b"Credentials" {
            return r.skip(&c);
        }
        r.children(&c, |r, f| {
            match f.name() {
                b"AccessKeyId" => id = Some(r.text(&f)?),
                b"SecretAccessKey" => secret = Some(r.text(&f)?),
                b"SessionToken" => token = Some(r.text(&f)?),
                b"Expiration" => expiration = Some(r.text(&f)?),
                _ => r.skip(&f)?,
            }
            Ok(())
        })
    })?;
    let missing =
        |what: &str| Error::response(format!("CreateSession's answer has no Credentials/{what}"));
    let id = id.ok_or_else(|| missing("AccessKeyId"))?;
    let secret = secret.ok_or_else(|| missing("SecretAccessKey"))?;
    let token = token.ok_or_else(|| missing("SessionToken"))?;
    let expiration = expiration.ok_or_else(|| missing("Expiration"))?;
    let expires = DateTime::parse_iso8601(expiration.trim())
        .ok()
        .and_then(|d| {
            let secs = u64::try_from(d.secs()).ok()?;
            SystemTime::UNIX_EPOCH.checked_add(Duration::new(secs, d.subsec_nanos()))
        })
        .ok_or_else(|| {
            Error::response(format!(
                "CreateSession's Expiration {expiration:?} is not an ISO 8601 time"
            ))
        })?;
    Ok(Session {
        creds: Credentials::new(id, secret, Some(token)),
        expires,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::{Read, Write};
    use std::net::TcpListener;

    /// A loopback HTTP server that answers each request with `answer(index)` after `delay`, and
    /// records the request heads.
    struct Script {
        url: String,
        heads: Arc<Mutex<Vec<String>>>,
    }

    impl Script {
        fn start(
            delay: Duration,
            answer: impl Fn(usize) -> (u16, String) + Send + Sync + 'static,
        ) -> Script {
            let listener = TcpListener::bind("127.0.0.1:0").unwrap();
            let url = format!("http://{}", listener.local_addr().unwrap());
            let heads = Arc::new(Mutex::new(Vec::new()));
            let (h, answer) = (heads.clone(), Arc::new(answer));
            std::thread::spawn(move || {
                for stream in listener.incoming() {
                    let Ok(mut s) = stream else { continue };
                    let (h, answer) = (h.clone(), answer.clone());
                    std::thread::spawn(move || {
                        let mut buf = Vec::new();
                        let mut chunk = [0u8; 4096];
                        while !buf.windows(4).any(|w| w == b"\r\n\r\n") {
                            match s.read(&mut chunk) {
                                Ok(0) | Err(_) => return,
                                Ok(n) => buf.extend_from_slice(&chunk[..n]),
                            }
                        }
                        let i = {
                            let mut g = h.lock().unwrap();
                            g.push(String::from_utf8_lossy(&buf).into_owned());
                            g.len() - 1
                        };
                        std::thread::sleep(delay);
                        let (status, body) = answer(i);
                        let _ = write!(
                            s,
                            "HTTP/1.1 {status} X\r\nContent-Type: application/xml\r\nx-amz-request-id: REQ{i}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                            body.len()
                        );
                    });
                }
            });
            Script { url, heads }
        }
        fn heads(&self) -> Vec<String> {
            self.heads.lock().unwrap().clone()
        }
    }

    /// A `CreateSession` answer whose credentials (numbered `n`) expire `ttl` seconds from now.
    fn session_xml(n: usize, ttl: i64) -> String {
        let now = SystemTime::now()
            .duration_since(SystemTime::UNIX_EPOCH)
            .unwrap()
            .as_secs() as i64;
        let exp = DateTime::from_secs_and_nanos(now + ttl, 0).to_iso8601();
        format!(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<CreateSessionResult xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"><Credentials><SessionToken>TOKEN{n}</SessionToken><SecretAccessKey>SECRET{n}</SecretAccessKey><AccessKeyId>SESSION{n}</AccessKeyId><Expiration>{exp}</Expiration></Credentials></CreateSessionResult>"
        )
    }

    fn http() -> reqwest::Client {
        reqwest::Client::builder().no_proxy().build().unwrap()
    }

    fn base() -> Credentials {
        Credentials::new("AKIDBASE", "base-secret", None)
    }

    #[tokio::test]
    async fn first_call_fetches_and_the_second_reuses() {
        let server = Script::start(Duration::ZERO, |i| (200, session_xml(i, 300)));
        let cache = SessionCache::new();
        let endpoint = format!("{}/", server.url);
        let a = cache
            .credentials(
                "b--usw2-az1--x-s3",
                &endpoint,
                &base(),
                &http(),
                "us-west-2",
            )
            .await
            .unwrap();
        let b = cache
            .credentials(
                "b--usw2-az1--x-s3",
                &endpoint,
                &base(),
                &http(),
                "us-west-2",
            )
            .await
            .unwrap();
        assert_eq!(a.access_key_id(), "SESSION0");
        assert_eq!(a.secret_access_key(), "SECRET0");
        assert_eq!(a.session_token(), Some("TOKEN0"));
        assert_eq!(a, b);
        let heads = server.heads();
        assert_eq!(heads.len(), 1);
        let head = heads[0].to_ascii_lowercase();
        assert!(head.starts_with("get /?session http/1.1\r\n"), "{head}");
        assert!(
            head.contains("authorization: aws4-hmac-sha256 credential=akidbase/")
                && head.contains("/us-west-2/s3express/aws4_request"),
            "{head}"
        );
        assert!(head.contains("x-amz-content-sha256: e3b0c442"), "{head}");
        assert!(!head.contains("x-amz-s3session-token"), "{head}");
    }

    #[tokio::test]
    async fn sessions_are_per_bucket_and_base_key() {
        let server = Script::start(Duration::ZERO, |i| (200, session_xml(i, 300)));
        let cache = SessionCache::new();
        let other = Credentials::new("AKIDOTHER", "other-secret", None);
        let c = |bucket: &'static str, creds: Credentials| {
            let (cache, url) = (&cache, server.url.clone());
            async move {
                cache
                    .credentials(bucket, &url, &creds, &http(), "us-west-2")
                    .await
                    .unwrap()
            }
        };
        let one = c("one", base()).await;
        let two = c("two", base()).await;
        let one_other = c("one", other.clone()).await;
        assert_ne!(one, two);
        assert_ne!(one, one_other);
        assert_eq!(c("one", base()).await, one);
        assert_eq!(c("one", other).await, one_other);
        assert_eq!(server.heads().len(), 3);
    }

    /// Credentials within the mandatory window (10 s) are replaced before use.
    #[tokio::test]
    async fn near_expiry_credentials_are_refreshed() {
        let server = Script::start(Duration::ZERO, |i| {
            (200, session_xml(i, if i == 0 { 5 } else { 300 }))
        });
        let cache = SessionCache::new();
        let http = http();
        let base = base();
        let get = || cache.credentials("b", &server.url, &base, &http, "us-west-2");
        assert_eq!(get().await.unwrap().access_key_id(), "SESSION0");
        assert_eq!(get().await.unwrap().access_key_id(), "SESSION1");
        assert_eq!(get().await.unwrap().access_key_id(), "SESSION1");
        assert_eq!(server.heads().len(), 2);
    }

    /// Within the advisory window (45 s) a refresh is attempted, and a failed one keeps the
    /// still-valid credentials, as botocore does.
    #[tokio::test]
    async fn advisory_refresh_failure_keeps_the_current_credentials() {
        let server = Script::start(Duration::ZERO, |i| match i {
            0 => (200, session_xml(0, 30)),
            1 => (500, "<Error><Code>InternalError</Code></Error>".into()),
            _ => (200, session_xml(i, 300)),
        });
        let cache = SessionCache::new();
        let http = http();
        let base = base();
        let get = || cache.credentials("b", &server.url, &base, &http, "us-west-2");
        assert_eq!(get().await.unwrap().access_key_id(), "SESSION0");
        assert_eq!(get().await.unwrap().access_key_id(), "SESSION0");
        assert_eq!(get().await.unwrap().access_key_id(), "SESSION2");
        assert_eq!(server.heads().len(), 3);
    }

    #[tokio::test]
    async fn concurrent_callers_share_one_create_session() {
        let server = Script::start(Duration::from_millis(100), |i| (200, session_xml(i, 300)));
        let cache = SessionCache::new();
        let http = http();
        let base = base();
        let calls = (0..8).map(|_| cache.credentials("b", &server.url, &base, &http, "us-west-2"));
        let all = futures::future::join_all(calls).await;
        for c in all {
            assert_eq!(c.unwrap().access_key_id(), "SESSION0");
        }
        assert_eq!(server.heads().len(), 1);
    }

    #[tokio::test]
    async fn an_error_answer_carries_s3s_code_and_message() {
        let server = Script::start(Duration::ZERO, |_| {
            (
                403,
                "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>AccessDenied</Code><Message>Access Denied</Message></Error>".into(),
            )
        });
        let cache = SessionCache::new();
        let err = cache
            .credentials("b", &server.url, &base(), &http(), "us-west-2")
            .await
            .unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Service);
        assert_eq!(err.code(), Some("AccessDenied"));
        assert_eq!(err.message(), Some("Access Denied"));
        assert_eq!(err.status(), Some(403));
        assert_eq!(err.request_id(), Some("REQ0"));
        assert_eq!(
            err.to_string(),
            "AccessDenied (calling CreateSession): Access Denied"
        );
        // A failure is not cached: the next call asks again.
        let _ = cache
            .credentials("b", &server.url, &base(), &http(), "us-west-2")
            .await;
        assert_eq!(server.heads().len(), 2);
    }

    #[tokio::test]
    async fn an_error_without_an_xml_body_uses_the_status() {
        let server = Script::start(Duration::ZERO, |_| (503, "Slow Down".into()));
        let err = SessionCache::new()
            .credentials("b", &server.url, &base(), &http(), "us-west-2")
            .await
            .unwrap_err();
        assert_eq!(err.code(), Some("503"));
        assert_eq!(err.message(), Some("Slow Down"));
    }

    #[tokio::test]
    async fn expired_or_incomplete_answers_are_errors() {
        let server = Script::start(Duration::ZERO, |i| match i {
            0 => (200, session_xml(0, -60)),
            1 => (
                200,
                session_xml(1, 300).replace("<SessionToken>TOKEN1</SessionToken>", ""),
            ),
            _ => (200, "<ListBucketResult/>".into()),
        });
        let cache = SessionCache::new();
        let http = http();
        let base = base();
        let get = || cache.credentials("b", &server.url, &base, &http, "us-west-2");
        let expired = get().await.unwrap_err();
        assert_eq!(expired.kind(), ErrorKind::Credentials);
        assert!(expired.to_string().contains("already expired"), "{expired}");
        let incomplete = get().await.unwrap_err();
        assert_eq!(incomplete.kind(), ErrorKind::Response);
        assert!(
            incomplete.to_string().contains("SessionToken"),
            "{incomplete}"
        );
        let wrong = get().await.unwrap_err();
        assert!(wrong.to_string().contains("<ListBucketResult>"), "{wrong}");
    }

    #[test]
    fn the_cache_keeps_at_most_a_hundred_buckets() {
        let cache = SessionCache::new();
        let first = cache.slot(("b0".into(), "K".into())).unwrap();
        for i in 1..=MAX_BUCKETS {
            // Touch b0 halfway, so that b1 becomes the least recently used.
            if i == 50 {
                cache.slot(("b0".into(), "K".into())).unwrap();
            }
            cache.slot((format!("b{i}"), "K".into())).unwrap();
        }
        let slots = cache.slots.lock().unwrap();
        assert_eq!(slots.len(), MAX_BUCKETS);
        assert!(Arc::ptr_eq(
            &slots[&("b0".to_string(), "K".to_string())].0,
            &first
        ));
        assert!(!slots.contains_key(&("b1".to_string(), "K".to_string())));
    }
}
