//! `ClientHandle`: what a generated client holds; runs one operation top-down: the service's input
//! hooks, serialise, the request hooks, then per attempt sign and send, classify (finish, follow a
//! redirect, retry), and finally parse and the output hooks.

use crate::auth::credentials::Credentials;
use crate::auth::signing::{
    encode_message, sign_with, EventSigner, SignOptions, SigningScheme, STREAMING_EVENTS,
};
use crate::customize;
use crate::endpoint::settings::{builtins, Sources};
use crate::endpoint::{self, Endpoint, Resolver, Value};
use crate::error::{Error, ErrorKind, Result};
use crate::events::{encode_input_event, input_link, InputLink, InputWatch, RawEvents};
use crate::http::{HttpRequest, HttpResponse};
use crate::protocol;
use crate::schema::{op_flags, Operation, Service};
use crate::session::Session;
use crate::stream::ByteStream;
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
    /// Endpoint resolution: the rule set with this client's built-ins, and its cache.
    resolver: Resolver,
    /// S3: the region each bucket turned out to be in, learnt from redirects (botocore's
    /// `S3RegionRedirector` cache).
    bucket_regions: std::sync::Mutex<std::collections::HashMap<String, String>>,
    /// Retry mode, attempts, quota and (adaptive) rate limiter of this client.
    retrier: crate::retry::Retrier,
    /// S3 Express One Zone session credentials, per directory bucket.
    express_sessions: customize::s3express::SessionCache,
    /// Discovered endpoints, for a service with a discovery operation and no endpoint URL given
    /// in code (botocore turns discovery off then).
    discovery: Option<endpoint::discovery::Discovery>,
    /// Canned responses that answer every call in place of the network (tests).
    stubber: Option<crate::stub::Stubber>,
}

impl fmt::Debug for ClientHandle {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("service", &self.inner.service.name)
            .field("endpoint", &self.inner.resolver.base().map(|e| &e.url))
            .finish()
    }
}

/// Builds a generated client `C` with per-client overrides (boto3's `client(..., region_name=, endpoint_url=)`).
pub struct ClientBuilder<C> {
    session: Session,
    service: &'static Service,
    region: Option<String>,
    endpoint_url: Option<String>,
    client_params: Vec<(String, Value)>,
    stubber: Option<crate::stub::Stubber>,
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
            client_params: Vec::new(),
            stubber: None,
            _client: PhantomData,
        }
    }
    /// Sets one of the service's client context parameters (its model's `clientContextParams`,
    /// such as S3's `Accelerate`): an endpoint parameter that otherwise comes from a built-in.
    pub fn client_context_param(
        mut self,
        name: impl Into<String>,
        value: impl Into<Value>,
    ) -> Self {
        self.client_params.push((name.into(), value.into()));
        self
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
    /// Answers every call from `stubber`'s queue instead of the network (botocore's `Stubber`):
    /// see [`Stubber`](crate::Stubber).
    pub fn stubber(mut self, stubber: &crate::stub::Stubber) -> Self {
        self.stubber = Some(stubber.clone());
        self
    }
    /// Builds the client. Configuration problems (no region, bad endpoint) are reported by the first call.
    pub fn build(self) -> C {
        C::from(ClientHandle::assemble(
            self.session,
            self.service,
            self.region,
            self.endpoint_url,
            &self.client_params,
            self.stubber,
        ))
    }
}

/// An operation's result type: a generated structure, or `()` for operations without output.
/// (Hidden from the docs: see `IntoInput`.)
#[doc(hidden)]
pub trait Output: Default + Send + 'static {
    /// The structure to fill, if any.
    fn as_output(&mut self) -> Option<&mut dyn Structure>;
    /// The value as a boxed structure, if it is one.
    fn into_structure(self: Box<Self>) -> Option<Box<dyn Structure>>;
}

impl<T: Structure + Default> Output for T {
    fn as_output(&mut self) -> Option<&mut dyn Structure> {
        Some(self)
    }
    fn into_structure(self: Box<Self>) -> Option<Box<dyn Structure>> {
        Some(self)
    }
}

impl Output for () {
    fn as_output(&mut self) -> Option<&mut dyn Structure> {
        None
    }
    fn into_structure(self: Box<Self>) -> Option<Box<dyn Structure>> {
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
        Self::with_params(session, service, region, endpoint_url, &[])
    }

    /// [`ClientHandle::new`] with client context parameters (see
    /// [`ClientBuilder::client_context_param`]).
    pub fn with_params(
        session: Session,
        service: &'static Service,
        region: Option<String>,
        endpoint_url: Option<String>,
        client_params: &[(String, Value)],
    ) -> Self {
        Self::assemble(session, service, region, endpoint_url, client_params, None)
    }

    /// [`ClientHandle::with_params`], answered by `stubber` when one is given.
    fn assemble(
        session: Session,
        service: &'static Service,
        region: Option<String>,
        endpoint_url: Option<String>,
        client_params: &[(String, Value)],
        stubber: Option<crate::stub::Stubber>,
    ) -> Self {
        let s = &session.inner;
        let explicit = endpoint_url.as_deref().or(s.endpoint_url.as_deref());
        let configured = endpoint::configured_url(explicit, service, &s.env, &s.files, &s.profile);
        let region = region.or_else(|| s.region.clone());
        let sources = Sources {
            env: &s.env,
            files: &s.files,
            profile: &s.profile,
        };
        let resolver = match builtins(
            &s.endpoint_settings,
            &sources,
            service.name,
            region.as_deref(),
            configured.as_deref(),
        ) {
            Ok(b) => Resolver::new(
                service,
                region,
                configured,
                &b,
                client_params,
                s.auth_preference.clone(),
            ),
            Err(e) => Resolver::failed(service, region, e.to_string()),
        };
        let retrier =
            crate::retry::Retrier::new(session.inner.retry_mode, session.inner.max_attempts);
        let discovery = (service.discovery.is_some() && explicit.is_none())
            .then(|| endpoint::discovery::Discovery::new(s.endpoint_discovery));
        ClientHandle {
            inner: Arc::new(ClientInner {
                session,
                service,
                resolver,
                bucket_regions: Default::default(),
                retrier,
                express_sessions: Default::default(),
                discovery,
                stubber,
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

    /// The client's endpoint (before any operation adds its context parameters), or the
    /// configuration error that keeps it from having one.
    pub fn endpoint(&self) -> Result<&Endpoint> {
        self.inner.resolver.base()
    }

    /// The endpoint rule set's parameters with this client's values (built-ins and client
    /// context parameters; `None` where unset).
    pub fn endpoint_params(&self) -> Vec<(&'static str, Option<Value>)> {
        self.inner.resolver.params()
    }

    /// Resolves the endpoint for these parameter values over the client's own, without sending
    /// anything (an unknown parameter name is an error that lists the known ones).
    pub fn resolve_endpoint(&self, params: &[(&str, Value)]) -> Result<Endpoint> {
        self.inner.resolver.resolve_with(params)
    }

    /// The endpoint a call of `op` with `input` goes to, without sending anything.
    pub fn endpoint_for(
        &self,
        op: &'static Operation,
        input: Option<&dyn Structure>,
    ) -> Result<Endpoint> {
        let account = self.inner.session.inner.credentials.current().ok();
        let account = account.as_ref().and_then(|c| c.account_id());
        self.endpoint_for_call(op, input, account)
            .map(|e| (*e).clone())
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
        if let Some(stubber) = &self.inner.stubber {
            return self
                .stubbed(stubber, op, input, out)
                .map_err(|e| e.with_operation(op.name));
        }
        let (input, plan) = match self.prepare(op, input) {
            Ok(p) => p,
            Err(e) => return Err(e.with_operation(op.name)),
        };
        // One span per operation; its attempts are spans inside it. Neither carries a header, a
        // body or anything of the credentials.
        let span = tracing::info_span!(
            "operation",
            service = self.inner.service.name,
            operation = op.name,
            attempts = tracing::field::Empty,
        );
        let run =
            tracing::Instrument::instrument(self.invoke_inner(op, input, out, plan), span.clone());
        let result = match self.inner.session.inner.operation_timeout {
            Some(limit) => match tokio::time::timeout(limit, run).await {
                Ok(r) => r,
                Err(_) => Err(Error::new(
                    ErrorKind::Timeout,
                    format!("the operation did not complete within {limit:?} (operation_timeout)"),
                )),
            },
            None => run.await,
        };
        if let Err(e) = &result {
            span.record("attempts", e.attempts());
            tracing::debug!(parent: &span, error = %e, "operation failed");
        }
        result.map_err(|e| e.with_operation(op.name))
    }

    /// A call answered by the client's stubber: the input as the caller gave it is what the
    /// stubber compares (as botocore's does, before defaults and tokens are filled in); then the
    /// input is prepared and validated as for a real call, and the next queued response answers.
    fn stubbed(
        &self,
        stubber: &crate::stub::Stubber,
        op: &'static Operation,
        input: Option<&mut dyn Structure>,
        out: Option<&mut dyn Structure>,
    ) -> Result<()> {
        let given = input.as_deref().map(crate::stub::input_form);
        let (input, _plan) = self.prepare(op, input)?;
        self.validate(input)?;
        stubber.answer(self.inner.service, op, given, out)
    }

    /// Fills idempotency tokens and botocore's per-service defaults.
    fn prepare<'a>(
        &self,
        op: &'static Operation,
        input: Option<&'a mut dyn Structure>,
    ) -> Result<(Option<&'a dyn Structure>, customize::Plan)> {
        let region = self.inner.resolver.region().unwrap_or_default();
        Ok(match input {
            Some(i) => {
                crate::validate::fill_idempotency_tokens(i)?;
                let plan =
                    customize::before_serialize(self.inner.service, op, Some(&mut *i), region);
                (Some(&*i), plan)
            }
            None => (None, customize::Plan::default()),
        })
    }

    /// Checks the input against its shape and the service's own rules (S3 bucket names), before
    /// the endpoint is resolved from it.
    fn validate(&self, input: Option<&dyn Structure>) -> Result<()> {
        if let Some(i) = input {
            crate::validate::validate(i)?;
        }
        customize::validate_input(self.inner.service, input)
    }

    /// The request for `op` (its input validated), ready to sign: serialised, the URL joined
    /// with the endpoint's (and the host prefix), the endpoint's headers, then the service's
    /// request hooks (headers, checksums); plus a streaming body if any.
    fn build_request(
        &self,
        op: &'static Operation,
        input: Option<&dyn Structure>,
        endpoint: &Endpoint,
        presign: bool,
    ) -> Result<(HttpRequest, Option<ByteStream>)> {
        let svc = self.inner.service;
        let ser = {
            let _ms = crate::wire::text::MillisecondTimestamps::enter(svc.timestamp_millis);
            protocol::serialize_streaming(svc, op, input)?
        };
        let (mut req, stream) = (ser.request, ser.stream);
        let base = match protocol::host_prefix(op, input)? {
            Some(prefix) if self.inject_host_prefix() => {
                protocol::apply_host_prefix(&endpoint.url, &prefix)
            }
            _ => endpoint.url.clone(),
        };
        req.url = join_url(&base, &req.url);
        // The endpoint's headers replace any the request has of the same name (botocore).
        for (k, v) in &endpoint.headers {
            req.headers
                .retain(|(name, _)| !name.eq_ignore_ascii_case(k));
            req.headers.push((k.clone(), v.clone()));
        }
        if let Some(s) = &stream {
            let len = s.len().ok_or_else(|| {
                Error::validation("a streaming request body needs a known length")
            })?;
            req.headers.push(("Content-Length".into(), len.to_string()));
        }
        // botocore's `maybe_compress_request`: gzip above the configured size (not when
        // presigning, and not a streamed body).
        if let (Some(min), false, None) = (self.inner.session.inner.compression, presign, &stream) {
            if op.flags & op_flags::REQUEST_COMPRESSION != 0 && req.body.len() >= min {
                compress_body(&mut req)?;
            }
        }
        // botocore's `inject_api_version_header_if_needed`.
        if op.flags & op_flags::DISCOVERY_OPERATION != 0 {
            req.set_header("x-amz-api-version", svc.api_version);
        }
        customize::after_serialize(
            svc,
            op,
            input,
            &mut req,
            stream.is_some(),
            presign,
            self.inner.session.inner.checksums,
        )?;
        Ok((req, stream))
    }

    /// The endpoint of one call: the operation's context parameters and per-call built-ins
    /// applied, and for an S3 bucket known to live in another region, that region.
    fn endpoint_for_call(
        &self,
        op: &'static Operation,
        input: Option<&dyn Structure>,
        account_id: Option<&str>,
    ) -> Result<Arc<Endpoint>> {
        let svc = self.inner.service;
        let known = customize::bucket(svc, input).and_then(|b| {
            self.inner
                .bucket_regions
                .lock()
                .ok()
                .and_then(|c| c.get(b).cloned())
        });
        let overrides = customize::endpoint_overrides(svc, op, input);
        let region = known.filter(|_| !self.inner.resolver.is_custom());
        self.inner
            .resolver
            .resolve(op, input, &overrides, account_id, region.as_deref())
    }

    fn sign_options(&self, endpoint: &Endpoint, streaming: bool) -> SignOptions {
        SignOptions {
            // S3's signing rules; the endpoint asks for them too (`disableDoubleEncoding`, as
            // S3 Control's rules do).
            s3: customize::is_s3(self.inner.service) || endpoint.auth.disable_double_encoding,
            unsigned_payload: streaming,
            presign_expires: None,
            payload_hash: None,
            scheme: signing_scheme(endpoint),
        }
    }

    /// The credentials to sign a call to `endpoint` with: the client's, or for an S3 Express
    /// directory bucket, its session credentials (`CreateSession`, cached per bucket).
    async fn signing_credentials<'c>(
        &self,
        endpoint: &Endpoint,
        bucket: Option<&str>,
        creds: &'c Credentials,
    ) -> Result<std::borrow::Cow<'c, Credentials>> {
        if endpoint.auth.kind != endpoint::SchemeKind::S3Express {
            return Ok(std::borrow::Cow::Borrowed(creds));
        }
        let bucket = bucket.ok_or_else(|| {
            Error::config(
                "the endpoint asks for S3 Express session auth, but the call names no bucket",
            )
        })?;
        self.inner
            .express_sessions
            .credentials(
                bucket,
                &endpoint.url,
                creds,
                &self.inner.session.inner.http,
                &endpoint.auth.signing_region,
            )
            .await
            .map(std::borrow::Cow::Owned)
    }

    /// One call, top-down: the request is built (serialised and customised) once; then each
    /// attempt signs and sends it, the answer is classified (finish, follow S3's redirect once,
    /// or retry), and the final answer is parsed and customised.
    async fn invoke_inner(
        &self,
        op: &'static Operation,
        input: Option<&dyn Structure>,
        out: Option<&mut dyn Structure>,
        plan: customize::Plan,
    ) -> Result<()> {
        // The input is checked before anything else; endpoints that carry the account id
        // (`AWS::Auth::AccountId`) need the credentials before they are resolved.
        self.validate(input)?;
        let (mut call, creds) = if self.inner.resolver.uses_account_id() {
            let creds = self.inner.session.load_credentials().await?;
            (self.start_call(op, input, creds.account_id())?, Some(creds))
        } else {
            (self.start_call(op, input, None)?, None)
        };
        let discovered = self.discover(&mut call).await?;
        let signer = self.signer(&call, creds).await?;
        if let (Signer::SigV4(c), Some(region)) = (&signer, self.inner.resolver.region()) {
            customize::with_credentials(self.inner.service, op, &mut call.req, c, region)?;
        }
        // An operation modeled `v4-unsigned-body` (ebs PutSnapshotBlock) is signed with an
        // `UNSIGNED-PAYLOAD` hash whatever its body; others are signed by the body's SHA-256.
        let unsigned_body = op.flags & op_flags::UNSIGNED_BODY != 0;
        if let (Some(body), false) = (&call.stream, unsigned_body) {
            if let Some(hash) =
                customize::streamed_body(self.inner.service, op, &mut call.req, body).await?
            {
                call.opts.unsigned_payload = false;
                call.opts.payload_hash = Some(hash);
            }
        }
        let mut attempt = 1;
        // Quota taken by this call's retries, given back when it succeeds.
        let mut taken = 0;
        loop {
            let (result, span) = self.attempt(&call, &signer, attempt).await?;
            // The discovered endpoint is no longer valid: discover again and retry at once.
            if let (Some(key), Ok((resp, _))) = (&discovered, &result) {
                if invalid_endpoint(resp)
                    && call.replayable
                    && attempt < self.inner.retrier.max_attempts()
                {
                    if let Some(d) = &self.inner.discovery {
                        d.forget(key);
                    }
                    self.discover(&mut call).await?;
                    attempt += 1;
                    continue;
                }
            }
            let received = crate::time::DateTime::now();
            let server_date = result
                .as_ref()
                .ok()
                .and_then(|(resp, _)| resp.header("date"))
                .and_then(|d| crate::time::DateTime::parse_http_date(d).ok());
            match self.classify(&mut call, result, attempt, taken)? {
                Next::Finish(resp, body) => return self.finish(&call, resp, body, out, plan).await,
                Next::Redirected => continue,
                Next::Retry(cost) => {
                    taken += cost;
                    let delay = self.inner.retrier.delay(attempt);
                    tracing::debug!(
                        parent: &span,
                        delay_ms = delay.as_millis() as u64,
                        "retrying"
                    );
                    tokio::time::sleep(delay).await;
                    attempt += 1;
                    call.ttl = match (server_date, &call.stream) {
                        (Some(date), None) => Some(sdk_request_ttl(
                            date,
                            received,
                            self.inner.session.inner.read_timeout,
                        )),
                        _ => None,
                    };
                }
            }
        }
    }

    /// The request of a call, built for the client's endpoint (or the bucket's known region).
    fn start_call<'a>(
        &'a self,
        op: &'static Operation,
        input: Option<&'a dyn Structure>,
        account_id: Option<&str>,
    ) -> Result<Call<'a>> {
        let bucket = customize::bucket(self.inner.service, input);
        let endpoint = self.endpoint_for_call(op, input, account_id)?;
        let (mut req, stream) = self.build_request(op, input, &endpoint, false)?;
        let mut opts = self.sign_options(
            &endpoint,
            stream.is_some() || op.flags & op_flags::UNSIGNED_BODY != 0,
        );
        // An input event stream: the body is the events, sent as they come (the request is
        // signed for them, and each message in the chain that follows).
        let events = op.event_stream_input().map(|i| {
            let taken = input.and_then(|s| s.field(i).input_events()?.take_events());
            std::sync::Mutex::new(taken)
        });
        if events.is_some() {
            if let SigningScheme::SigV4a { .. } = opts.scheme {
                return Err(Error::config(format!(
                    "{} sends an input event stream, whose messages are signed with SigV4, but the endpoint asks for SigV4a",
                    op.name
                )));
            }
            req.set_header("Content-Type", "application/vnd.amazon.eventstream");
            opts.payload_hash = Some(STREAMING_EVENTS.to_string());
        }
        Ok(Call {
            op,
            input,
            bucket,
            account_id: account_id.map(str::to_string),
            opts,
            endpoint,
            replayable: events.is_none() && stream.as_ref().is_none_or(ByteStream::is_replayable),
            req,
            stream,
            events,
            input_link: std::sync::Mutex::new(None),
            redirected: false,
            invocation_id: crate::validate::uuid_v4()?,
            ttl: None,
        })
    }

    /// One attempt: waits for the retry rate limiter, signs a copy of the request and sends it,
    /// inside a tracing span that records the status and request id.
    async fn attempt(
        &self,
        call: &Call<'_>,
        signer: &Signer,
        attempt: u32,
    ) -> Result<(Result<(HttpResponse, Option<ByteStream>)>, tracing::Span)> {
        let wait = self.inner.retrier.wait_to_send();
        if !wait.is_zero() {
            tokio::time::sleep(wait).await;
        }
        let mut signed = call.req.clone();
        self.sdk_request_headers(&mut signed, call, attempt);
        let auth = &call.endpoint.auth;
        let mut chain = None;
        match signer {
            Signer::None => {}
            Signer::Bearer(token) => {
                signed.set_header("Authorization", &format!("Bearer {}", token.as_str()));
            }
            Signer::SigV4(creds) => {
                let creds = self
                    .signing_credentials(&call.endpoint, call.bucket, creds)
                    .await?;
                let signature = sign_with(
                    &mut signed,
                    &creds,
                    &auth.signing_region,
                    &auth.signing_name,
                    SystemTime::now(),
                    &call.opts,
                )?;
                chain = Some(EventSigner::new(
                    &creds,
                    &auth.signing_region,
                    &auth.signing_name,
                    signature,
                ));
            }
        }
        let body = match &call.events {
            Some(events) => {
                let events = events
                    .lock()
                    .unwrap_or_else(|p| p.into_inner())
                    .take()
                    .unwrap_or_else(|| Box::pin(futures::stream::empty()));
                let (link, watch) = input_link();
                *call.input_link.lock().unwrap_or_else(|p| p.into_inner()) = Some(link);
                Some(self.event_body(events, chain, watch)?)
            }
            None => call.stream.as_ref().map(ByteStream::replay),
        };
        let span = tracing::debug_span!(
            "attempt",
            attempt,
            status = tracing::field::Empty,
            request_id = tracing::field::Empty,
        );
        let streaming_output =
            call.op.streaming_output().is_some() || call.op.event_stream_output().is_some();
        let mut result = tracing::Instrument::instrument(
            self.transmit(signed, body, streaming_output, call.events.is_some()),
            span.clone(),
        )
        .await;
        // An input event stream that failed: its error, rather than the reset it caused.
        if let Err(e) = result {
            let link = call.input_link.lock().unwrap_or_else(|p| p.into_inner());
            result = Err(link.as_ref().and_then(InputLink::failure).unwrap_or(e));
        }
        match &result {
            Ok((resp, _)) => {
                span.record("status", resp.status);
                if let Some(id) = header_request_id(resp) {
                    span.record("request_id", id.as_str());
                }
            }
            Err(e) => {
                tracing::debug!(parent: &span, error = %e, "no answer");
            }
        }
        Ok((result, span))
    }

    /// Sends the call to a discovered endpoint when discovery applies (botocore's
    /// `EndpointDiscoveryManager.describe_endpoint`): a cached one, else what the service's
    /// discovery operation names now; a stale one while discovery fails. Returns the discovery
    /// key, or `None` when the call goes to the resolved endpoint.
    async fn discover(&self, call: &mut Call<'_>) -> Result<Option<String>> {
        let Some(d) = &self.inner.discovery else {
            return Ok(None);
        };
        let required = match d.plan(call.op)? {
            endpoint::discovery::Plan::Resolved => return Ok(None),
            endpoint::discovery::Plan::Discover { required } => required,
        };
        let Some(dop) = self.inner.service.discovery else {
            return Ok(None);
        };
        // The key: the discovery operation's parameters, the operation name where it takes one.
        let takes_op = dop
            .input
            .is_some_and(|s| s.member_index("Operation").is_some());
        let key = if takes_op { call.op.name } else { "" }.to_string();
        let now = std::time::Instant::now();
        let mut address = d.current(&key, now);
        if address.is_none() && !d.recently_failed(&key, now) {
            address = self.describe_endpoints(d, dop, call.op, &key).await?;
        }
        if address.is_none() {
            address = d.stale(&key);
        }
        if address.is_none() && required {
            // Once more even after a recent failure, as botocore does for a required call.
            address = self.describe_endpoints(d, dop, call.op, &key).await?;
        }
        match address {
            Some(a) => {
                call.req.url = endpoint::discovery::rebase(&call.req.url, &a);
                Ok(Some(key))
            }
            None if required => Err(Error::new(
                ErrorKind::Transport,
                format!(
                    "{}: endpoint discovery failed to find an endpoint, and the operation requires one",
                    call.op.name
                ),
            )),
            None => Ok(None),
        }
    }

    /// Calls the discovery operation and caches what it names; `None` (and a back-off) when
    /// it cannot reach the service. Its service errors are the call's.
    async fn describe_endpoints(
        &self,
        d: &endpoint::discovery::Discovery,
        dop: &'static Operation,
        op: &'static Operation,
        key: &str,
    ) -> Result<Option<String>> {
        let mut input = dop.input.and_then(crate::value::construct_empty);
        if let Some(input) = input.as_deref_mut() {
            if let Some(i) = input.shape().member_index("Operation") {
                let _ = input
                    .field_mut(i)
                    .set(crate::value::Scalar::Str(op.name.to_string()));
            }
        }
        let mut out = dop.output.and_then(crate::value::construct_empty);
        let result = Box::pin(self.invoke_inner(
            dop,
            input.as_deref(),
            out.as_deref_mut(),
            customize::Plan::default(),
        ))
        .await;
        let now = std::time::Instant::now();
        match result {
            Ok(()) => {}
            Err(e) if matches!(e.kind(), ErrorKind::Transport | ErrorKind::Timeout) => {
                d.failed(key, now);
                return Ok(None);
            }
            Err(e) => return Err(e),
        }
        let found = out.as_deref().map(discovered_endpoints).unwrap_or_default();
        if found.is_empty() {
            d.failed(key, now);
            return Ok(None);
        }
        d.store(key, &found, now);
        Ok(d.current(key, now))
    }

    /// How the call is authenticated, as botocore chooses: not at all for an unsigned operation
    /// or endpoint; a bearer token from `AWS_BEARER_TOKEN_<SERVICE>` when the model offers bearer
    /// auth and the variable is set (it wins over the endpoint's scheme, unless the session was
    /// built with an `auth_scheme_preference` that chose another); the SSO token when the
    /// endpoint's scheme is bearer; else the credentials (loaded only then, so unsigned and
    /// bearer calls need none).
    async fn signer(&self, call: &Call<'_>, creds: Option<Credentials>) -> Result<Signer> {
        let svc = self.inner.service;
        let session = &self.inner.session.inner;
        if call.op.flags & op_flags::UNSIGNED != 0
            || call.endpoint.auth.kind == endpoint::SchemeKind::None
        {
            return Ok(Signer::None);
        }
        // botocore's `_should_prefer_bearer_auth`: a preference set in code keeps its choice.
        let chosen_in_code = session.auth_preference.in_code
            && session.auth_preference.is_set()
            && call.endpoint.auth.kind != endpoint::SchemeKind::Bearer;
        if svc.auth.contains(&crate::schema::AuthOption::Bearer) && !chosen_in_code {
            if let Some(t) = crate::auth::token::from_environment(&session.env, svc.signing_name) {
                return Ok(Signer::Bearer(t));
            }
        }
        if call.endpoint.auth.kind == endpoint::SchemeKind::Bearer {
            return self.inner.session.load_token().await.map(Signer::Bearer);
        }
        match creds {
            Some(c) => Ok(Signer::SigV4(c)),
            None => Ok(Signer::SigV4(self.inner.session.load_credentials().await?)),
        }
    }

    /// botocore's retry headers: `amz-sdk-invocation-id` (the same on every attempt) and
    /// `amz-sdk-request` (`attempt=1` first; `ttl=...; attempt=N; max=M` on a retry), and, inside
    /// Lambda, the recursion-detection header `X-Amzn-Trace-Id` from `_X_AMZN_TRACE_ID`.
    fn sdk_request_headers(&self, req: &mut HttpRequest, call: &Call<'_>, attempt: u32) {
        req.set_header("amz-sdk-invocation-id", &call.invocation_id);
        let value = if attempt == 1 {
            "attempt=1".to_string()
        } else {
            let ttl = call
                .ttl
                .as_ref()
                .map(|t| format!("ttl={t}; "))
                .unwrap_or_default();
            format!(
                "{ttl}attempt={attempt}; max={}",
                self.inner.retrier.max_attempts()
            )
        };
        req.set_header("amz-sdk-request", &value);
        let env = &self.inner.session.inner.env;
        if let Some(trace) = recursion_detection_header(
            env.var("AWS_LAMBDA_FUNCTION_NAME").is_some(),
            env.var("_X_AMZN_TRACE_ID").as_deref(),
        ) {
            if req.header("x-amzn-trace-id").is_none() {
                req.set_header("X-Amzn-Trace-Id", &trace);
            }
        }
    }

    /// What to do with an attempt's answer. S3's answer to a request sent to the wrong region
    /// names the bucket's region: the call is rebuilt for it once, and the region remembered for
    /// the bucket (as boto3 does). An error answer (or S3's error inside `200 OK`) and a failed
    /// send are retried when the retry policy allows and the body can be sent again; otherwise
    /// the error ends the call.
    fn classify(
        &self,
        call: &mut Call<'_>,
        result: Result<(HttpResponse, Option<ByteStream>)>,
        attempt: u32,
        taken: u32,
    ) -> Result<Next> {
        let svc = self.inner.service;
        let retrier = &self.inner.retrier;
        if let (Ok((resp, _)), Some(b), false) = (&result, call.bucket, call.redirected) {
            if let Some(region) = customize::redirect_region(svc, resp, &call.endpoint, b) {
                if call.replayable {
                    call.redirected = true;
                    let overrides = customize::endpoint_overrides(svc, call.op, call.input);
                    call.endpoint = self.inner.resolver.resolve(
                        call.op,
                        call.input,
                        &overrides,
                        call.account_id.as_deref(),
                        Some(&region),
                    )?;
                    call.opts.scheme = signing_scheme(&call.endpoint);
                    (call.req, call.stream) =
                        self.build_request(call.op, call.input, &call.endpoint, false)?;
                    if let Ok(mut cache) = self.inner.bucket_regions.lock() {
                        cache.insert(b.to_string(), region);
                    }
                    return Ok(Next::Redirected);
                }
            }
        }
        let retry = match result {
            Ok((resp, body)) => {
                if resp.status < 300 && !customize::is_error_in_200(svc, call.op, &resp) {
                    retrier.answered(None);
                    retrier.succeeded(taken);
                    return Ok(Next::Finish(resp, body));
                }
                let mut err = if resp.status >= 300 {
                    protocol::parse_error(svc, call.op, &resp)
                } else {
                    // botocore treats it as a 500, so it is retried like one.
                    let as_500 = HttpResponse {
                        status: 500,
                        ..resp.clone()
                    };
                    protocol::parse_error(svc, call.op, &as_500)
                };
                if err.request_id().is_none() {
                    err = err.with_request_id(header_request_id(&resp));
                }
                retrier.answered(Some(&err));
                retrier
                    .should_retry(attempt, &err)
                    .filter(|_| call.replayable)
                    .ok_or(err)
            }
            Err(e) => {
                retrier.answered(Some(&e));
                retrier
                    .should_retry(attempt, &e)
                    .filter(|_| call.replayable)
                    .ok_or(e)
            }
        };
        match retry {
            Ok(cost) => Ok(Next::Retry(cost)),
            Err(e) => Err(e.with_attempts(attempt)),
        }
    }

    /// The final answer: parsed into `out` (a streaming payload handed over unread, an event
    /// stream handed over once its initial response has been read), then the service's output
    /// hooks.
    async fn finish(
        &self,
        call: &Call<'_>,
        resp: HttpResponse,
        body: Option<ByteStream>,
        mut out: Option<&mut dyn Structure>,
        plan: customize::Plan,
    ) -> Result<()> {
        let (op, req) = (call.op, &call.req);
        let input = call
            .input_link
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .take();
        let svc = self.inner.service;
        let with_context = |e: Error| {
            e.with_status(resp.status)
                .with_request_id(header_request_id(&resp))
        };
        protocol::parse(svc, op, &resp, out.as_deref_mut()).map_err(with_context)?;
        // A body whose request asked for its checksum (S3 `GetObject` with `ChecksumMode`) is
        // checked against the one the response gives: as it is read when streamed (its last read
        // fails on a mismatch), else now.
        let mut body = match customize::response_checksum(op, req, &resp).map_err(with_context)? {
            Some((algorithm, expected)) => match body {
                Some(b) => Some(customize::checked_body(b, op, algorithm, expected)),
                None => {
                    customize::check_body(op, algorithm, &expected, &resp.body)
                        .map_err(with_context)?;
                    None
                }
            },
            None => body,
        };
        if let (Some(i), Some(body), Some(o)) =
            (op.streaming_output(), &mut body, out.as_deref_mut())
        {
            o.field_mut(i)
                .set_stream(std::mem::take(body))
                .map_err(|e| with_context(Error::response(e.0)))?;
        } else if let (Some(i), Some(body), Some(o)) =
            (op.event_stream_output(), body, out.as_deref_mut())
        {
            let (reader, initial) = protocol::event_reader(svc).ok_or_else(|| {
                Error::config(format!(
                    "the {:?} protocol has no event streams",
                    svc.protocol
                ))
            })?;
            let union = o.shape().members[i].target;
            let mut events = RawEvents::new(body.into_chunks(), union, reader).with_input(input);
            if initial {
                events.initial_response(o).await.map_err(with_context)?;
            }
            o.field_mut(i)
                .set_events(Box::new(events))
                .map_err(|e| with_context(Error::response(e.0)))?;
        }
        if let Some(o) = out {
            customize::after_parse(svc, op, &resp, o, plan);
        }
        Ok(())
    }

    /// A database authentication token signed with this client's credentials (botocore's rds
    /// `generate_db_auth_token` and dsql's token methods): `host` is `host:port` (rds) or the
    /// cluster host (dsql), `params` the query (`Action`, `DBUser`), `signing_name` `rds-db` or
    /// `dsql`; `region` defaults to the client's. Generated crates call this for rds and dsql.
    pub async fn db_auth_token(
        &self,
        host: &str,
        params: &[(&str, &str)],
        signing_name: &str,
        region: Option<&str>,
        expires_in: Duration,
    ) -> Result<String> {
        let region =
            match region.or(self.inner.resolver.region()) {
                Some(r) => r.to_string(),
                None => return Err(Error::config(
                    "no region for the database auth token: give one, or configure the client's",
                )),
            };
        let creds = self.inner.session.load_credentials().await?;
        crate::auth::signing::db_auth_token(
            &creds,
            host,
            params,
            signing_name,
            &region,
            expires_in,
            SystemTime::now(),
        )
    }

    /// S3's presigned POST (boto3's `generate_presigned_post`) for `key` in the bucket that
    /// `bucket_input`, an input of `op`, names: the form is posted to `op`'s URL for it (the S3
    /// crate passes `CreateBucket`, whose URL is the bucket's, as botocore does), signed with the
    /// client's credentials for the endpoint's region. Nothing is sent.
    #[allow(clippy::too_many_arguments)]
    pub async fn presigned_post<I: Structure>(
        &self,
        op: &'static Operation,
        mut bucket_input: I,
        bucket: &str,
        key: &str,
        fields: &[(String, String)],
        conditions: &[crate::auth::post::PostCondition],
        expires_in: Duration,
    ) -> Result<crate::auth::post::PresignedPost> {
        let (input, _) = self.prepare(op, Some(&mut bucket_input))?;
        let endpoint = self.endpoint_for_call(op, input, None)?;
        let (req, _) = self.build_request(op, input, &endpoint, true)?;
        let url = req.url.split('?').next().unwrap_or(&req.url).to_string();
        let creds = self.inner.session.load_credentials().await?;
        crate::auth::post::presigned_post(
            &url,
            bucket,
            key,
            fields,
            conditions,
            &creds,
            &endpoint.auth.signing_region,
            expires_in,
            SystemTime::now(),
        )
        .map_err(|e| e.with_operation(op.name))
    }

    /// Presigns `op` with `input` (boto3's `generate_presigned_url`): the signature goes in the URL,
    /// valid for `expires_in` (1 second to 7 days). Form-encoded bodies (query protocols) move
    /// into the URL and the method becomes `GET`, so the URL works on its own.
    pub async fn presign<I: Structure>(
        &self,
        op: &'static Operation,
        mut input: I,
        expires_in: Duration,
    ) -> Result<PresignedRequest> {
        let res = async {
            if expires_in < Duration::from_secs(1) || expires_in > Duration::from_secs(604_800) {
                return Err(Error::validation(format!(
                    "expires_in must be between 1 second and 7 days, got {expires_in:?}"
                )));
            }
            if op.input.is_some_and(|s| !std::ptr::eq(s, input.shape())) {
                return Err(Error::validation(format!(
                    "{} is not the input of {}",
                    input.shape().name,
                    op.name
                )));
            }
            let (input, _) = self.prepare(op, Some(&mut input))?;
            self.validate(input)?;
            let creds = self.inner.session.inner.credentials.current()?;
            let account = creds
                .account_id()
                .filter(|_| self.inner.resolver.uses_account_id());
            let endpoint = self.endpoint_for_call(op, input, account)?;
            let (mut req, stream) = self.build_request(op, input, &endpoint, true)?;
            if stream.is_some() {
                req.headers
                    .retain(|(k, _)| !k.eq_ignore_ascii_case("content-length"));
            }
            let form = req
                .header("content-type")
                .is_some_and(|c| c.starts_with("application/x-www-form-urlencoded"));
            if form {
                let body = String::from_utf8_lossy(&req.body).into_owned();
                let sep = if req.url.contains('?') { '&' } else { '?' };
                req.url = format!("{}{sep}{body}", req.url);
                req.body = Default::default();
                req.method = "GET".into();
                req.headers
                    .retain(|(k, _)| !k.eq_ignore_ascii_case("content-type"));
            }
            let creds = self
                .signing_credentials(
                    &endpoint,
                    customize::bucket(self.inner.service, input),
                    &creds,
                )
                .await?;
            // S3 presigns with UNSIGNED-PAYLOAD; other services sign the (empty) body's hash.
            let mut opts = self.sign_options(&endpoint, customize::is_s3(self.inner.service));
            opts.presign_expires = Some(expires_in);
            sign_with(
                &mut req,
                &creds,
                &endpoint.auth.signing_region,
                &endpoint.auth.signing_name,
                SystemTime::now(),
                &opts,
            )?;
            Ok(PresignedRequest {
                method: req.method,
                url: req.url,
                headers: req.headers,
            })
        }
        .await;
        res.map_err(|e: Error| e.with_operation(op.name))
    }

    /// The body of an input event stream: each event encoded as it comes and signed in the chain
    /// (unsigned without SigV4, where the end of the body ends the input), then the empty signed
    /// message that ends the input. An event that cannot be encoded or signed resets the request,
    /// its error kept for the output to report (`watch`); so does the end of the output stream.
    fn event_body(
        &self,
        events: EventBatch,
        chain: Option<EventSigner>,
        watch: InputWatch,
    ) -> Result<ByteStream> {
        use futures::StreamExt;
        let svc = self.inner.service;
        let (write, content_type) = protocol::event_writer(svc).ok_or_else(|| {
            Error::config(format!(
                "the {:?} protocol has no input event streams",
                svc.protocol
            ))
        })?;
        let frames = futures::stream::unfold(
            (events, chain, Some(watch)),
            move |(mut events, mut chain, watch)| async move {
                let mut watch = watch?;
                let next = tokio::select! {
                    biased;
                    _ = watch.closed() => {
                        let e = Error::validation("the output event stream ended: the input stops");
                        return Some((Err(e), (events, chain, None)));
                    }
                    next = events.next() => next,
                };
                let (frame, more) = match next {
                    Some(event) => {
                        let frame =
                            encode_input_event(&*event, write, content_type).and_then(|m| {
                                match &mut chain {
                                    Some(signer) => signer.sign(Some(&m), SystemTime::now()),
                                    None => encode_message(&m),
                                }
                            });
                        let ok = frame.is_ok();
                        (frame.map_err(|e| watch.fail(e)), ok)
                    }
                    None => match &mut chain {
                        Some(signer) => {
                            let end = signer.sign(None, SystemTime::now());
                            (end.map_err(|e| watch.fail(e)), false)
                        }
                        None => return None,
                    },
                };
                let state = (events, chain, more.then_some(watch));
                Some((frame.map(bytes::Bytes::from), state))
            },
        );
        Ok(ByteStream::from_chunks(frames.boxed(), None))
    }

    async fn transmit(
        &self,
        req: HttpRequest,
        stream: Option<ByteStream>,
        streaming_output: bool,
        http2: bool,
    ) -> Result<(HttpResponse, Option<ByteStream>)> {
        let http = if http2 {
            self.inner.session.inner.http2()?
        } else {
            &self.inner.session.inner.http
        };
        let method = reqwest::Method::from_bytes(req.method.as_bytes()).map_err(|e| {
            Error::config(format!("invalid HTTP method {}", req.method)).with_source(e)
        })?;
        let mut rb = http.request(method, &req.url);
        for (k, v) in &req.headers {
            rb = rb.header(k.as_str(), v.as_str());
        }
        let body = match stream {
            Some(s) => reqwest::Body::wrap_stream(s.into_chunks()),
            None => reqwest::Body::from(req.body),
        };
        let resp = rb.body(body).send().await.map_err(transport_error)?;
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
        if streaming_output && status < 300 {
            use futures::StreamExt;
            let len = resp.content_length();
            let chunks = resp
                .bytes_stream()
                .map(|r| r.map_err(transport_error))
                .boxed();
            let response = HttpResponse {
                status,
                headers,
                body: Default::default(),
            };
            return Ok((response, Some(ByteStream::from_chunks(chunks, len))));
        }
        let body = resp.bytes().await.map_err(transport_error)?;
        Ok((
            HttpResponse {
                status,
                headers,
                body,
            },
            None,
        ))
    }
}

/// `amz-sdk-request`'s `ttl`: when a retry's read times out, on the server's clock
/// (`now + read_timeout + (server date - received)`), as `20240101T120000Z`.
fn sdk_request_ttl(
    server_date: crate::time::DateTime,
    received: crate::time::DateTime,
    read_timeout: std::time::Duration,
) -> String {
    let skew = server_date.secs() - received.secs();
    let ttl = crate::time::DateTime::now().secs() + read_timeout.as_secs() as i64 + skew;
    crate::time::DateTime::from_secs(ttl).to_basic_iso8601()
}

/// The value of the recursion-detection header botocore adds inside AWS Lambda (both
/// `AWS_LAMBDA_FUNCTION_NAME` and `_X_AMZN_TRACE_ID` set): the trace id, percent-encoded except
/// for the characters botocore keeps.
fn recursion_detection_header(in_lambda: bool, trace_id: Option<&str>) -> Option<String> {
    use crate::wire::percent::{encode_into, UNRESERVED};
    /// What botocore leaves unescaped: Python's `quote` with `safe='-=;:+&[]{}"\','`.
    const TRACE_ID: &percent_encoding::AsciiSet = &UNRESERVED
        .remove(b'=')
        .remove(b';')
        .remove(b':')
        .remove(b'+')
        .remove(b'&')
        .remove(b'[')
        .remove(b']')
        .remove(b'{')
        .remove(b'}')
        .remove(b'"')
        .remove(b'\'')
        .remove(b',');
    let trace = trace_id.filter(|t| in_lambda && !t.is_empty())?;
    let mut out = String::with_capacity(trace.len());
    encode_into(&mut out, trace, TRACE_ID);
    Some(out)
}

/// `Endpoints[].Address` and `CachePeriodInMinutes` of a discovery operation's output.
fn discovered_endpoints(out: &dyn Structure) -> Vec<(String, u64)> {
    use crate::value::ValueRef;
    let shape = out.shape();
    let Some(ValueRef::List(list)) = shape.member_index("Endpoints").map(|i| out.field(i).get())
    else {
        return Vec::new();
    };
    (0..list.len())
        .filter_map(|j| match list.get(j).get() {
            ValueRef::Struct(e) => {
                let s = e.shape();
                let address = match s.member_index("Address").map(|i| e.field(i).get()) {
                    Some(ValueRef::Str(a)) if !a.is_empty() => a.to_string(),
                    _ => return None,
                };
                let minutes = match s
                    .member_index("CachePeriodInMinutes")
                    .map(|i| e.field(i).get())
                {
                    Some(ValueRef::Int(m)) => u64::try_from(m).unwrap_or(0),
                    _ => 0,
                };
                Some((address, minutes))
            }
            _ => None,
        })
        .collect()
}

/// The service turned a discovered endpoint down: HTTP 421 or `InvalidEndpointException`.
fn invalid_endpoint(resp: &HttpResponse) -> bool {
    if resp.status == 421 {
        return true;
    }
    if resp.status < 400 {
        return false;
    }
    let named = |s: &str| {
        s.rsplit('#')
            .next()
            .unwrap_or(s)
            .starts_with("InvalidEndpointException")
    };
    if resp.header("x-amzn-errortype").is_some_and(named) {
        return true;
    }
    serde_json::from_slice::<serde_json::Value>(&resp.body)
        .ok()
        .and_then(|v| {
            v.get("__type")
                .or_else(|| v.get("code"))
                .and_then(|c| c.as_str().map(named))
        })
        .unwrap_or(false)
}

/// Replaces the body with its gzip compression and adds `gzip` to `Content-Encoding`.
fn compress_body(req: &mut HttpRequest) -> Result<()> {
    use std::io::Write;
    let mut gz = flate2::write::GzEncoder::new(
        Vec::with_capacity(req.body.len() / 4),
        flate2::Compression::default(),
    );
    gz.write_all(&req.body)
        .and_then(|_| gz.finish())
        .map(|b| req.body = bytes::Bytes::from(b))
        .map_err(|e| Error::validation(format!(": cannot compress the request body: {e}")))?;
    let encoding = match req.header("content-encoding") {
        Some(e) => format!("{e},gzip"),
        None => "gzip".to_string(),
    };
    req.set_header("Content-Encoding", &encoding);
    Ok(())
}

/// How a call's attempts are authenticated.
enum Signer {
    /// Sent unsigned.
    None,
    /// `Authorization: Bearer <token>`.
    Bearer(crate::auth::token::Token),
    /// Signed with these credentials (SigV4, SigV4a or S3 Express, as the endpoint says).
    SigV4(Credentials),
}

/// The events of an input event stream, as the caller gives them.
type EventBatch = futures::stream::BoxStream<'static, Box<dyn Structure>>;

/// One operation call in flight: its request and where it goes, kept across attempts.
struct Call<'a> {
    op: &'static Operation,
    input: Option<&'a dyn Structure>,
    /// The S3 bucket the request names, for region redirects.
    bucket: Option<&'a str>,
    /// The account of the credentials, when the endpoint carries it.
    account_id: Option<String>,
    endpoint: Arc<Endpoint>,
    /// The request before signing (each attempt signs a copy).
    req: HttpRequest,
    /// A streaming body, replayed for each attempt.
    stream: Option<ByteStream>,
    /// An input event stream's events (taken from the input, sent by the one attempt).
    events: Option<std::sync::Mutex<Option<EventBatch>>>,
    /// The sent input event stream's link to the output (which keeps the input going).
    input_link: std::sync::Mutex<Option<InputLink>>,
    opts: SignOptions,
    /// The body can be sent again (for retries and redirects).
    replayable: bool,
    /// S3's region redirect was followed already (it is followed once).
    redirected: bool,
    /// `amz-sdk-invocation-id`: one random id for every attempt of the call.
    invocation_id: String,
    /// The `ttl` of `amz-sdk-request` on a retry: when the attempt times out, on the server's
    /// clock (from the previous answer's `Date`), as botocore sends it.
    ttl: Option<String>,
}

/// What follows an attempt.
enum Next {
    /// The call succeeded with this answer (and streaming body).
    Finish(HttpResponse, Option<ByteStream>),
    /// The call was sent to S3's region for the bucket: attempt again at once.
    Redirected,
    /// Attempt again after a delay; the retry cost this much quota.
    Retry(u32),
}

/// An input type that belongs to one operation (generated for each operation's input shape), so
/// a value alone says what to presign.
pub trait OperationInput: Structure + Sized {
    /// The operation this is the input of.
    fn operation() -> &'static Operation;
}

/// A presigned request: send it with any HTTP client before it expires.
#[derive(Debug, Clone, PartialEq)]
pub struct PresignedRequest {
    /// The HTTP method to use.
    pub method: String,
    /// The URL, signature included.
    pub url: String,
    /// Headers that were signed and must be sent as they are (besides `host`).
    pub headers: Vec<(String, String)>,
}

/// The signature algorithm an endpoint's auth scheme asks for.
fn signing_scheme(endpoint: &Endpoint) -> SigningScheme {
    match endpoint.auth.kind {
        endpoint::SchemeKind::SigV4a => SigningScheme::SigV4a {
            region_set: endpoint.auth.region_set.join(","),
        },
        endpoint::SchemeKind::S3Express => SigningScheme::S3Express,
        endpoint::SchemeKind::SigV4 | endpoint::SchemeKind::None | endpoint::SchemeKind::Bearer => {
            SigningScheme::SigV4
        }
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

/// Joins the endpoint URL (which may carry a path, such as S3's path-style bucket, and a query)
/// with the request's path and query, as botocore's `_urljoin` does: an empty or `/` request
/// path keeps the endpoint's path (or `/`), otherwise the paths are joined with one slash
/// between them; the endpoint's query comes first, the request's after it.
fn join_url(base: &str, path_and_query: &str) -> String {
    let (path, query) = match path_and_query.split_once('?') {
        Some((p, q)) => (p, Some(q)),
        None => (path_and_query, None),
    };
    let (base, base_query) = match base.split_once('?') {
        Some((b, q)) => (b, Some(q)),
        None => (base, None),
    };
    let (origin, base_path) = match base.split_once("://") {
        Some((scheme, rest)) => match rest.find('/') {
            Some(i) => base.split_at(scheme.len() + 3 + i),
            None => (base, ""),
        },
        None => (base, ""),
    };
    let mut url = String::with_capacity(base.len() + path_and_query.len() + 1);
    url.push_str(origin);
    if path.is_empty() || path == "/" {
        url.push_str(if base_path.is_empty() { "/" } else { base_path });
    } else {
        url.push_str(base_path.strip_suffix('/').unwrap_or(base_path));
        if !path.starts_with('/') {
            url.push('/');
        }
        url.push_str(path);
    }
    let mut sep = '?';
    for q in [base_query, query]
        .into_iter()
        .flatten()
        .filter(|q| !q.is_empty())
    {
        url.push(sep);
        url.push_str(q);
        sep = '&';
    }
    url
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls() {
        assert_eq!(join_url("http://h:1", "/"), "http://h:1/");
        assert_eq!(join_url("http://h:1", ""), "http://h:1/");
        assert_eq!(join_url("http://h:1/base/", "/x?y"), "http://h:1/base/x?y");
        // S3 path style: the bucket is the endpoint's path.
        assert_eq!(
            join_url("https://s3.amazonaws.com/b", ""),
            "https://s3.amazonaws.com/b"
        );
        assert_eq!(
            join_url("https://s3.amazonaws.com/b", "?list-type=2"),
            "https://s3.amazonaws.com/b?list-type=2"
        );
        assert_eq!(
            join_url("https://s3.amazonaws.com/b", "/k/y"),
            "https://s3.amazonaws.com/b/k/y"
        );
        assert_eq!(
            join_url("https://b.s3.amazonaws.com", "/k"),
            "https://b.s3.amazonaws.com/k"
        );
    }
}
