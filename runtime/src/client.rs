//! `ClientHandle`: what a generated client holds; sends one operation through serialise, sign, send, parse.

use crate::endpoint::{self, Endpoint};
use crate::error::{Error, ErrorKind, Result};
use crate::http::{HttpRequest, HttpResponse};
use crate::protocol;
use crate::schema::{Operation, Service};
use crate::session::Session;
use crate::value::Structure;
use std::any::Any;
use std::fmt;
use std::future::Future;
use std::marker::PhantomData;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::{Duration, SystemTime};

/// The state a generated client shares: its session, service and endpoint.
#[derive(Clone)]
pub struct ClientHandle {
    inner: Arc<ClientInner>,
}

struct ClientInner {
    session: Session,
    service: &'static Service,
    endpoint: std::result::Result<Endpoint, String>,
}

impl fmt::Debug for ClientHandle {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("service", &self.inner.service.name)
            .field("endpoint", &self.inner.endpoint)
            .finish()
    }
}

/// Builds a generated client `C` with per-client overrides (boto3's `client(..., region_name=, endpoint_url=)`).
pub struct ClientBuilder<C> {
    session: Session,
    service: &'static Service,
    region: Option<String>,
    endpoint_url: Option<String>,
    _client: PhantomData<fn() -> C>,
}

impl<C> fmt::Debug for ClientBuilder<C> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("service", &self.service.name)
            .field("region", &self.region)
            .field("endpoint_url", &self.endpoint_url)
            .finish()
    }
}

impl<C: From<ClientHandle>> ClientBuilder<C> {
    /// A builder for `service` on `session`.
    pub fn new(session: &Session, service: &'static Service) -> Self {
        ClientBuilder {
            session: session.clone(),
            service,
            region: None,
            endpoint_url: None,
            _client: PhantomData,
        }
    }
    /// Overrides the session's region for this client.
    pub fn region(mut self, region: impl Into<String>) -> Self {
        self.region = Some(region.into());
        self
    }
    /// Overrides the endpoint URL for this client.
    pub fn endpoint_url(mut self, url: impl Into<String>) -> Self {
        self.endpoint_url = Some(url.into());
        self
    }
    /// Builds the client. Configuration problems (no region, bad endpoint) are reported by the first call.
    pub fn build(self) -> C {
        C::from(ClientHandle::new(
            self.session,
            self.service,
            self.region,
            self.endpoint_url,
        ))
    }
}

/// An operation's result type: a generated structure, or `()` for operations without output.
pub trait Output: Default + Send + 'static {
    /// The structure to fill, if any.
    fn as_output(&mut self) -> Option<&mut dyn Structure>;
}

impl<T: Structure + Default> Output for T {
    fn as_output(&mut self) -> Option<&mut dyn Structure> {
        Some(self)
    }
}

impl Output for () {
    fn as_output(&mut self) -> Option<&mut dyn Structure> {
        None
    }
}

/// An [`Output`] with its type erased, so the request pipeline is compiled once for all operations.
trait ErasedOutput: Send {
    fn as_output(&mut self) -> Option<&mut dyn Structure>;
    fn into_any(self: Box<Self>) -> Box<dyn Any + Send>;
}

impl<O: Output> ErasedOutput for O {
    fn as_output(&mut self) -> Option<&mut dyn Structure> {
        Output::as_output(self)
    }
    fn into_any(self: Box<Self>) -> Box<dyn Any + Send> {
        self
    }
}

type ErasedFuture = Pin<Box<dyn Future<Output = Result<Box<dyn Any + Send>>> + Send>>;

/// The future of one operation call: resolves to the operation's output or an [`Error`].
///
/// It owns everything it needs (`'static`), so it can be spawned; the input was moved into it.
#[must_use = "futures do nothing unless awaited"]
pub struct OpFuture<O> {
    fut: ErasedFuture,
    _output: PhantomData<fn() -> O>,
}

impl<O> fmt::Debug for OpFuture<O> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("OpFuture")
    }
}

impl<O: Output> Future for OpFuture<O> {
    type Output = Result<O>;
    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Result<O>> {
        self.fut.as_mut().poll(cx).map(|r| {
            r.map(|b| match b.downcast::<O>() {
                Ok(o) => *o,
                Err(_) => unreachable!("the pipeline returns the output it was given"),
            })
        })
    }
}

impl ClientHandle {
    /// A handle for `service`, with optional region and endpoint overrides.
    pub fn new(
        session: Session,
        service: &'static Service,
        region: Option<String>,
        endpoint_url: Option<String>,
    ) -> Self {
        let s = &session.inner;
        let explicit = endpoint_url.as_deref().or(s.endpoint_url.as_deref());
        let configured = endpoint::configured_url(explicit, service, &s.env, &s.files, &s.profile);
        let endpoint = match region.as_deref().or(s.region.as_deref()) {
            Some(r) => endpoint::resolve(service, r, configured).map_err(|e| e.message().unwrap_or_default().to_string()),
            None => Err(format!(
                "no region for {}: pass .region(..) to the session builder, or set AWS_REGION or a region in the profile",
                service.name
            )),
        };
        ClientHandle {
            inner: Arc::new(ClientInner {
                session,
                service,
                endpoint,
            }),
        }
    }

    /// The service this client talks to.
    pub fn service(&self) -> &'static Service {
        self.inner.service
    }

    /// The session this client was made from.
    pub fn session(&self) -> &Session {
        &self.inner.session
    }

    /// botocore's `inject_host_prefix`: on unless `AWS_DISABLE_HOST_PREFIX_INJECTION` or the profile's
    /// `disable_host_prefix_injection` says true.
    fn inject_host_prefix(&self) -> bool {
        let s = &self.inner.session.inner;
        let disabled = s.env.var("AWS_DISABLE_HOST_PREFIX_INJECTION").or_else(|| {
            s.files
                .get(&s.profile, "disable_host_prefix_injection")
                .map(str::to_string)
        });
        !disabled.is_some_and(|v| v.eq_ignore_ascii_case("true"))
    }

    /// The resolved endpoint, or the configuration error.
    pub fn endpoint(&self) -> Result<&Endpoint> {
        self.inner
            .endpoint
            .as_ref()
            .map_err(|m| Error::config(m.clone()))
    }

    /// Starts `op` with `input` (moved in) and parses its output as `O`; used by generated methods.
    pub fn send<I: Structure, O: Output>(&self, op: &'static Operation, input: I) -> OpFuture<O> {
        OpFuture {
            fut: self.send_erased(op, Some(Box::new(input)), Box::new(O::default())),
            _output: PhantomData,
        }
    }

    /// Starts `op`, which has no input shape, and parses its output as `O`; used by generated methods.
    pub fn send_without_input<O: Output>(&self, op: &'static Operation) -> OpFuture<O> {
        OpFuture {
            fut: self.send_erased(op, None, Box::new(O::default())),
            _output: PhantomData,
        }
    }

    fn send_erased(
        &self,
        op: &'static Operation,
        mut input: Option<Box<dyn Structure>>,
        mut out: Box<dyn ErasedOutput>,
    ) -> ErasedFuture {
        let this = self.clone();
        Box::pin(async move {
            this.invoke(op, input.as_deref_mut(), out.as_output())
                .await?;
            Ok(out.into_any())
        })
    }

    /// Fills unset idempotency tokens, then serialises, signs, sends (with retries, each re-sending
    /// the same body and token) and parses one operation. Not generic: compiled once.
    pub async fn invoke(
        &self,
        op: &'static Operation,
        input: Option<&mut dyn Structure>,
        out: Option<&mut dyn Structure>,
    ) -> Result<()> {
        let input = match input {
            Some(i) => {
                crate::validate::fill_idempotency_tokens(i)
                    .map_err(|e| e.with_operation(op.name))?;
                Some(&*i)
            }
            None => None,
        };
        self.invoke_inner(op, input, out)
            .await
            .map_err(|e| e.with_operation(op.name))
    }

    async fn invoke_inner(
        &self,
        op: &'static Operation,
        input: Option<&dyn Structure>,
        out: Option<&mut dyn Structure>,
    ) -> Result<()> {
        if let Some(i) = input {
            crate::validate::validate(i)?;
        }
        let svc = self.inner.service;
        let endpoint = self.endpoint()?;
        let mut req = protocol::serialize(svc, op, input)?;
        let base = match protocol::host_prefix(op, input)? {
            Some(prefix) if self.inject_host_prefix() => {
                protocol::apply_host_prefix(&endpoint.url, &prefix)
            }
            _ => endpoint.url.clone(),
        };
        req.url = join_url(&base, &req.url);
        let creds = self.inner.session.inner.credentials.get()?.clone();
        let max_attempts = self.inner.session.inner.max_attempts;
        let mut attempt = 1;
        loop {
            let mut signed = req.clone();
            crate::signing::sign_request(
                &mut signed,
                &creds,
                &endpoint.signing_region,
                svc.signing_name,
                SystemTime::now(),
            )?;
            let result = self.transmit(signed).await;
            let retry = match &result {
                Ok(resp) if resp.status >= 300 => {
                    let mut err = protocol::parse_error(svc, op, resp);
                    if err.request_id().is_none() {
                        err = err.with_request_id(header_request_id(resp));
                    }
                    if attempt < max_attempts && is_retryable(&err) {
                        true
                    } else {
                        return Err(err);
                    }
                }
                Ok(_) => false,
                Err(e) => {
                    attempt < max_attempts
                        && matches!(e.kind(), ErrorKind::Transport | ErrorKind::Timeout)
                }
            };
            if retry {
                tokio::time::sleep(backoff(attempt)).await;
                attempt += 1;
                continue;
            }
            let resp = result?;
            return protocol::parse(svc, op, &resp, out)
                .map(|_| ())
                .map_err(|e| {
                    e.with_status(resp.status)
                        .with_request_id(header_request_id(&resp))
                });
        }
    }

    async fn transmit(&self, req: HttpRequest) -> Result<HttpResponse> {
        let http = &self.inner.session.inner.http;
        let method = reqwest::Method::from_bytes(req.method.as_bytes()).map_err(|e| {
            Error::config(format!("invalid HTTP method {}", req.method)).with_source(e)
        })?;
        let mut rb = http.request(method, &req.url);
        for (k, v) in &req.headers {
            rb = rb.header(k.as_str(), v.as_str());
        }
        let resp = rb.body(req.body).send().await.map_err(transport_error)?;
        let status = resp.status().as_u16();
        let headers = resp
            .headers()
            .iter()
            .map(|(k, v)| {
                (
                    k.as_str().to_string(),
                    String::from_utf8_lossy(v.as_bytes()).into_owned(),
                )
            })
            .collect();
        let body = resp.bytes().await.map_err(transport_error)?;
        Ok(HttpResponse {
            status,
            headers,
            body,
        })
    }
}

fn transport_error(e: reqwest::Error) -> Error {
    if e.is_builder() {
        // A request that cannot even be built (malformed URL) is a configuration problem; retrying cannot help.
        return Error::config("cannot build the request (check the endpoint URL)").with_source(e);
    }
    let kind = if e.is_timeout() {
        ErrorKind::Timeout
    } else {
        ErrorKind::Transport
    };
    let what = if e.is_timeout() {
        "the request timed out"
    } else if e.is_connect() {
        "cannot connect to the endpoint"
    } else {
        "the request failed"
    };
    Error::new(kind, what).with_source(e)
}

/// The request id a response carries in its headers.
pub(crate) fn header_request_id(resp: &HttpResponse) -> Option<String> {
    resp.header("x-amzn-requestid")
        .or_else(|| resp.header("x-amz-request-id"))
        .map(str::to_string)
}

fn is_retryable(e: &Error) -> bool {
    matches!(e.status(), Some(500 | 502 | 503 | 504))
        || matches!(
            e.code(),
            Some(
                "Throttling"
                    | "ThrottlingException"
                    | "ThrottledException"
                    | "RequestThrottledException"
                    | "TooManyRequestsException"
                    | "ProvisionedThroughputExceededException"
                    | "TransactionInProgressException"
                    | "RequestLimitExceeded"
                    | "BandwidthLimitExceeded"
                    | "LimitExceededException"
                    | "RequestThrottled"
                    | "SlowDown"
                    | "PriorRequestNotComplete"
                    | "EC2ThrottledException"
                    | "RequestTimeout"
                    | "RequestTimeoutException"
                    | "InternalError"
            )
        )
}

/// Exponential backoff with full jitter, capped at 20 seconds.
fn backoff(attempt: u32) -> Duration {
    let cap = 20.0f64;
    let base = (2f64.powi(attempt as i32 - 1)).min(cap);
    let nanos = SystemTime::now()
        .duration_since(SystemTime::UNIX_EPOCH)
        .map(|d| d.subsec_nanos())
        .unwrap_or(0);
    let jitter = (nanos % 1_000_000) as f64 / 1_000_000.0;
    Duration::from_secs_f64(base * jitter)
}

/// Joins the endpoint URL (which may carry a base path) with a request path and query.
fn join_url(base: &str, path_and_query: &str) -> String {
    let base = base.trim_end_matches('/');
    if path_and_query.starts_with('/') {
        format!("{base}{path_and_query}")
    } else {
        format!("{base}/{path_and_query}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls() {
        assert_eq!(join_url("http://h:1", "/"), "http://h:1/");
        assert_eq!(join_url("http://h:1/base/", "/x?y"), "http://h:1/base/x?y");
    }

    #[test]
    fn backoff_is_bounded() {
        for a in 1..12 {
            assert!(backoff(a) <= Duration::from_secs(20));
        }
    }
}
