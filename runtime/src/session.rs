//! `Session`: region, credentials, endpoint and transport settings shared by the clients made from it.

use crate::auth::chain::{default_chain, CredentialSource};
use crate::auth::config::{Environment, ProfileFiles};
use crate::auth::credentials::Credentials;
use crate::endpoint::settings::{AddressingStyle, EndpointSettings};
use crate::error::{Error, Result};
use crate::retry::RetryMode;
use std::fmt;
use std::sync::Arc;
use std::time::Duration;

/// Settings and a connection pool shared by every client made from it (boto3's `Session`).
#[derive(Clone)]
pub struct Session {
    pub(crate) inner: Arc<SessionInner>,
}

pub(crate) struct SessionInner {
    pub(crate) region: Option<String>,
    pub(crate) credentials: CredentialSource,
    pub(crate) profile: String,
    pub(crate) endpoint_url: Option<String>,
    pub(crate) env: Environment,
    pub(crate) files: ProfileFiles,
    pub(crate) http: reqwest::Client,
    /// The HTTP/2 client of the input event streams, made when first needed.
    pub(crate) http2: std::sync::OnceLock<reqwest::Client>,
    pub(crate) max_attempts: u32,
    pub(crate) retry_mode: RetryMode,
    pub(crate) operation_timeout: Option<Duration>,
    pub(crate) connect_timeout: Duration,
    pub(crate) read_timeout: Duration,
    pub(crate) endpoint_settings: EndpointSettings,
    pub(crate) endpoint_discovery: crate::endpoint::discovery::DiscoveryMode,
    /// Request compression: off, or the smallest body (bytes) that is compressed.
    pub(crate) compression: Option<usize>,
    /// botocore's `auth_scheme_preference`: scheme names (`sigv4a`, `httpBearerAuth`) preferred
    /// over the model's order.
    pub(crate) auth_preference: crate::endpoint::AuthPreference,
    /// botocore's `request_checksum_calculation` and `response_checksum_validation`.
    pub(crate) checksums: crate::customize::checksum::ChecksumConfig,
}

impl fmt::Debug for Session {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let i = &self.inner;
        f.debug_struct("Session")
            .field("region", &i.region)
            .field("profile", &i.profile)
            .field("credentials", &i.credentials)
            .field("endpoint_url", &i.endpoint_url)
            .field("max_attempts", &i.max_attempts)
            .field("retry_mode", &i.retry_mode)
            .field("operation_timeout", &i.operation_timeout)
            .field("connect_timeout", &i.connect_timeout)
            .field("read_timeout", &i.read_timeout)
            .finish()
    }
}

impl SessionInner {
    /// The HTTP/2 client (made on first use, with the session's timeouts): input event streams
    /// need HTTP/2, spoken without negotiation (`http://` endpoints included).
    pub(crate) fn http2(&self) -> Result<&reqwest::Client> {
        if let Some(c) = self.http2.get() {
            return Ok(c);
        }
        let client = reqwest::Client::builder()
            .connect_timeout(self.connect_timeout)
            .read_timeout(self.read_timeout)
            .redirect(reqwest::redirect::Policy::none())
            .http2_prior_knowledge()
            .build()
            .map_err(|e| Error::config("cannot create the HTTP/2 client").with_source(e))?;
        Ok(self.http2.get_or_init(|| client))
    }
}

impl Session {
    /// A builder for a session.
    pub fn builder() -> SessionBuilder {
        SessionBuilder::default()
    }
    /// A session with region and credentials from the environment and the shared files.
    pub fn from_env() -> Result<Session> {
        SessionBuilder::default().build()
    }
    /// The region, if one is configured.
    pub fn region(&self) -> Option<&str> {
        self.inner.region.as_deref()
    }
    /// The active profile name.
    pub fn profile(&self) -> &str {
        &self.inner.profile
    }
    /// The credentials without sending anything: static ones, or temporary ones already loaded
    /// (see [`load_credentials`](Self::load_credentials)); else why there are none.
    pub fn credentials(&self) -> Result<Credentials> {
        self.inner.credentials.current()
    }

    /// The credentials, fetched or refreshed first when they are temporary (assume-role, web
    /// identity, `credential_process`, container, instance metadata). Operations do this
    /// themselves; presigning uses what is loaded.
    pub async fn load_credentials(&self) -> Result<Credentials> {
        self.inner.credentials.resolve(&self.inner.http).await
    }
    /// The bearer token of the session's profile (botocore's `get_auth_token`): the SSO token
    /// its `sso_session` cached (`aws sso login`), refreshed when it expires within 15 minutes.
    /// Services whose model asks for bearer auth are called with it.
    pub async fn load_token(&self) -> Result<crate::auth::token::Token> {
        crate::auth::token::SsoTokenSource {
            env: &self.inner.env,
            files: &self.inner.files,
            profile: &self.inner.profile,
            http: &self.inner.http,
        }
        .token()
        .await
    }
    /// The endpoint URL every client of this session uses, if set.
    pub fn endpoint_url(&self) -> Option<&str> {
        self.inner.endpoint_url.as_deref()
    }
    /// Attempts in all per operation (first one included).
    pub fn max_attempts(&self) -> u32 {
        self.inner.max_attempts
    }

    /// The retry mode.
    pub fn retry_mode(&self) -> RetryMode {
        self.inner.retry_mode
    }
}

/// Builds a [`Session`]; every setting is optional.
#[derive(Default)]
pub struct SessionBuilder {
    region: Option<String>,
    credentials: Option<Credentials>,
    profile: Option<String>,
    endpoint_url: Option<String>,
    max_attempts: Option<u32>,
    endpoint_discovery: Option<bool>,
    auth_scheme_preference: Option<String>,
    request_checksum_calculation: Option<String>,
    response_checksum_validation: Option<String>,
    disable_request_compression: Option<bool>,
    request_min_compression_size_bytes: Option<u64>,
    retry_mode: Option<RetryMode>,
    operation_timeout: Option<Duration>,
    connect_timeout: Option<Duration>,
    read_timeout: Option<Duration>,
    endpoint_settings: EndpointSettings,
    env: Option<Environment>,
}

impl fmt::Debug for SessionBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SessionBuilder")
            .field("region", &self.region)
            .field("credentials", &self.credentials)
            .field("profile", &self.profile)
            .field("endpoint_url", &self.endpoint_url)
            .finish_non_exhaustive()
    }
}

impl SessionBuilder {
    /// The region (boto3 `region_name`).
    pub fn region(mut self, region: impl Into<String>) -> Self {
        self.region = Some(region.into());
        self
    }
    /// Explicit credentials; the default chain is not consulted.
    pub fn credentials(mut self, credentials: Credentials) -> Self {
        self.credentials = Some(credentials);
        self
    }
    /// The profile in the shared files (boto3 `profile_name`); default `AWS_PROFILE`, else `default`.
    pub fn profile(mut self, profile: impl Into<String>) -> Self {
        self.profile = Some(profile.into());
        self
    }
    /// An endpoint URL for every client of this session (e.g. a local test server).
    pub fn endpoint_url(mut self, url: impl Into<String>) -> Self {
        self.endpoint_url = Some(url.into());
        self
    }
    /// S3: address buckets in the path (`https://s3.../bucket/key`) even where virtual-hosted
    /// style (`https://bucket.s3.../key`) would be used (botocore's `addressing_style="path"`);
    /// `false` leaves the choice to the profile's `s3.addressing_style`, else the rules.
    pub fn force_path_style(mut self, on: bool) -> Self {
        self.endpoint_settings.s3_addressing_style = on.then_some(AddressingStyle::Path);
        self
    }
    /// S3 addressing style (botocore's `s3={"addressing_style": ...}`; default: the profile's
    /// `s3.addressing_style`, else auto).
    pub fn s3_addressing_style(mut self, style: AddressingStyle) -> Self {
        self.endpoint_settings.s3_addressing_style = Some(style);
        self
    }
    /// FIPS endpoints (default: `AWS_USE_FIPS_ENDPOINT`, else the profile's `use_fips_endpoint`).
    pub fn use_fips_endpoint(mut self, on: bool) -> Self {
        self.endpoint_settings.use_fips_endpoint = Some(on);
        self
    }
    /// Dual-stack (IPv6) endpoints (default: `AWS_USE_DUALSTACK_ENDPOINT`, else the profile's
    /// `use_dualstack_endpoint`).
    pub fn use_dualstack_endpoint(mut self, on: bool) -> Self {
        self.endpoint_settings.use_dualstack_endpoint = Some(on);
        self
    }
    /// S3 Transfer Acceleration endpoints (default: the profile's `s3.use_accelerate_endpoint`).
    pub fn s3_use_accelerate_endpoint(mut self, on: bool) -> Self {
        self.endpoint_settings.s3_use_accelerate_endpoint = Some(on);
        self
    }
    /// Whether an ARN bucket's region is used (default: `AWS_S3_USE_ARN_REGION`, else the
    /// profile's `s3_use_arn_region`; S3 uses it unless told not to, S3 Control does not).
    pub fn s3_use_arn_region(mut self, on: bool) -> Self {
        self.endpoint_settings.s3_use_arn_region = Some(on);
        self
    }
    /// `"legacy"` (S3 in us-east-1 goes to `s3.amazonaws.com`, the default) or `"regional"`
    /// (default: `AWS_S3_US_EAST_1_REGIONAL_ENDPOINT`, else the profile's
    /// `s3_us_east_1_regional_endpoint`).
    pub fn s3_us_east_1_regional_endpoint(mut self, mode: impl Into<String>) -> Self {
        self.endpoint_settings.s3_us_east_1_regional_endpoint = Some(mode.into());
        self
    }
    /// Refuse S3 Multi-Region Access Points (default:
    /// `AWS_S3_DISABLE_MULTIREGION_ACCESS_POINTS`, else the profile's
    /// `s3.s3_disable_multiregion_access_points`).
    pub fn s3_disable_multiregion_access_points(mut self, on: bool) -> Self {
        self.endpoint_settings.s3_disable_multiregion_access_points = Some(on);
        self
    }
    /// Sign S3 Express directory buckets with plain SigV4 instead of session credentials
    /// (default: `AWS_S3_DISABLE_EXPRESS_SESSION_AUTH`, else the profile's
    /// `s3_disable_express_session_auth`).
    pub fn s3_disable_express_session_auth(mut self, on: bool) -> Self {
        self.endpoint_settings.s3_disable_express_session_auth = Some(on);
        self
    }
    /// `"regional"` (the default) or `"legacy"` (STS in the legacy regions goes to
    /// `sts.amazonaws.com`) (default: `AWS_STS_REGIONAL_ENDPOINTS`, else the profile's
    /// `sts_regional_endpoints`).
    pub fn sts_regional_endpoints(mut self, mode: impl Into<String>) -> Self {
        self.endpoint_settings.sts_regional_endpoints = Some(mode.into());
        self
    }
    /// `"preferred"` (the default), `"required"` or `"disabled"`: whether endpoints carry the
    /// account id of the credentials (default: `AWS_ACCOUNT_ID_ENDPOINT_MODE`, else the
    /// profile's `account_id_endpoint_mode`).
    pub fn account_id_endpoint_mode(mut self, mode: impl Into<String>) -> Self {
        self.endpoint_settings.account_id_endpoint_mode = Some(mode.into());
        self
    }
    /// Endpoint discovery (botocore's `endpoint_discovery_enabled`): `true` discovers for every
    /// operation that supports it, `false` for none (operations that require it then fail).
    /// Unset, `AWS_ENDPOINT_DISCOVERY_ENABLED` or the profile's `endpoint_discovery_enabled`
    /// decide, else only operations that require it discover (`auto`).
    pub fn endpoint_discovery_enabled(mut self, on: bool) -> Self {
        self.endpoint_discovery = Some(on);
        self
    }
    /// The auth schemes to prefer, comma-separated, most preferred first (botocore's
    /// `auth_scheme_preference`): `sigv4`, `sigv4a`, `httpBearerAuth`, `noAuth`. A service uses the
    /// first of them it offers and boto-rs supports, else its model's own order; names it does not
    /// offer are ignored. Default: `AWS_AUTH_SCHEME_PREFERENCE`, else the profile's
    /// `auth_scheme_preference`. Set here, it also stops an `AWS_BEARER_TOKEN_<SERVICE>` variable
    /// from overriding the choice unless bearer was chosen anyway.
    pub fn auth_scheme_preference(mut self, schemes: impl Into<String>) -> Self {
        self.auth_scheme_preference = Some(schemes.into());
        self
    }
    /// When request bodies carry a checksum (botocore's `request_checksum_calculation`):
    /// `"when_supported"` (the default: every operation that can carry one, CRC32 unless the input
    /// names an algorithm) or `"when_required"` (only operations that require one, or whose input
    /// names an algorithm). Default: `AWS_REQUEST_CHECKSUM_CALCULATION`, else the profile's
    /// `request_checksum_calculation`.
    pub fn request_checksum_calculation(mut self, when: impl Into<String>) -> Self {
        self.request_checksum_calculation = Some(when.into());
        self
    }
    /// When a response's checksum is asked for and checked (botocore's
    /// `response_checksum_validation`): `"when_supported"` (the default: S3 `GetObject` asks for it
    /// with `ChecksumMode=ENABLED`) or `"when_required"` (only when the input sets `ChecksumMode`).
    /// The body is checked as it is read whenever the request asked. Default:
    /// `AWS_RESPONSE_CHECKSUM_VALIDATION`, else the profile's `response_checksum_validation`.
    pub fn response_checksum_validation(mut self, when: impl Into<String>) -> Self {
        self.response_checksum_validation = Some(when.into());
        self
    }
    /// Turns off request compression (botocore's `disable_request_compression`; default:
    /// `AWS_DISABLE_REQUEST_COMPRESSION`, else the profile's `disable_request_compression`).
    pub fn disable_request_compression(mut self, off: bool) -> Self {
        self.disable_request_compression = Some(off);
        self
    }
    /// The smallest request body, in bytes, that operations modeled with `requestcompression`
    /// send gzip-compressed (0 to 10485760; default: `AWS_REQUEST_MIN_COMPRESSION_SIZE_BYTES`, else
    /// the profile's `request_min_compression_size_bytes`, else 10240).
    pub fn request_min_compression_size_bytes(mut self, n: u64) -> Self {
        self.request_min_compression_size_bytes = Some(n);
        self
    }
    /// Attempts in all per operation, the first one included.
    pub fn max_attempts(mut self, n: u32) -> Self {
        self.max_attempts = Some(n);
        self
    }
    /// The retry mode (default: `AWS_RETRY_MODE`, else the profile's `retry_mode`, else
    /// standard).
    pub fn retry_mode(mut self, mode: RetryMode) -> Self {
        self.retry_mode = Some(mode);
        self
    }
    /// A limit on a whole operation, all attempts and waits included (none by default); past it
    /// the call fails with a `Timeout` error.
    pub fn operation_timeout(mut self, d: Duration) -> Self {
        self.operation_timeout = Some(d);
        self
    }
    /// Time allowed to open a connection (default 60 s).
    pub fn connect_timeout(mut self, d: Duration) -> Self {
        self.connect_timeout = Some(d);
        self
    }
    /// Time allowed between reads of a response (default 60 s).
    pub fn read_timeout(mut self, d: Duration) -> Self {
        self.read_timeout = Some(d);
        self
    }
    /// Reads configuration from these variables instead of the process environment.
    pub fn environment(mut self, env: Environment) -> Self {
        self.env = Some(env);
        self
    }

    /// Resolves the settings and creates the connection pool.
    pub fn build(self) -> Result<Session> {
        let env = self.env.unwrap_or_else(Environment::process);
        let files = ProfileFiles::load(&env)?;
        let explicit_profile = self.profile.is_some();
        let named = self.profile.or_else(|| env.var("AWS_PROFILE"));
        if let Some(p) = &named {
            if !files.has_profile(p) {
                return Err(Error::config(format!(
                    "the config profile ({p}) could not be found in {} or {}",
                    env.config_file().display(),
                    env.credentials_file().display()
                )));
            }
        }
        let profile = named.unwrap_or_else(|| "default".to_string());
        // A setting from its environment variable, else from the profile.
        let setting = |var: &str, key: &str| {
            env.var(var)
                .or_else(|| files.get(&profile, key).map(str::to_string))
        };
        let region = match self.region {
            Some(r) => Some(r),
            None => env
                .var("AWS_REGION")
                .or_else(|| env.var("AWS_DEFAULT_REGION"))
                .or_else(|| files.get(&profile, "region").map(str::to_string)),
        };
        if let Some(r) = &region {
            crate::endpoint::validate_region(r)?;
        }
        let endpoint_url = self.endpoint_url.filter(|u| !u.is_empty());
        if let Some(u) = &endpoint_url {
            crate::endpoint::validate_endpoint_url(u)?;
        }
        let retry_mode = match self.retry_mode {
            Some(m) => m,
            None => match setting("AWS_RETRY_MODE", "retry_mode") {
                Some(v) => v.parse()?,
                None => RetryMode::Standard,
            },
        };
        let max_attempts = match self.max_attempts {
            Some(n) => n,
            None => match setting("AWS_MAX_ATTEMPTS", "max_attempts") {
                Some(v) => v.trim().parse().map_err(|_| {
                    Error::config(format!("max_attempts must be a whole number, got {v:?}"))
                })?,
                None => retry_mode.default_max_attempts(),
            },
        };
        if max_attempts == 0 {
            return Err(Error::config("max_attempts must be at least 1"));
        }
        let endpoint_discovery = match self.endpoint_discovery {
            Some(true) => crate::endpoint::discovery::DiscoveryMode::On,
            Some(false) => crate::endpoint::discovery::DiscoveryMode::Off,
            None => match setting(
                "AWS_ENDPOINT_DISCOVERY_ENABLED",
                "endpoint_discovery_enabled",
            ) {
                Some(v) => v.parse()?,
                None => crate::endpoint::discovery::DiscoveryMode::Auto,
            },
        };
        let compression_off = match self.disable_request_compression {
            Some(b) => b,
            None => match setting(
                "AWS_DISABLE_REQUEST_COMPRESSION",
                "disable_request_compression",
            ) {
                Some(v) => match v.trim().to_ascii_lowercase().as_str() {
                    "true" => true,
                    "false" => false,
                    _ => {
                        return Err(Error::config(format!(
                            "disable_request_compression must be true or false, got {v:?}"
                        )))
                    }
                },
                None => false,
            },
        };
        let min_compression = match self.request_min_compression_size_bytes {
            Some(n) => n.to_string(),
            None => setting(
                "AWS_REQUEST_MIN_COMPRESSION_SIZE_BYTES",
                "request_min_compression_size_bytes",
            )
            .unwrap_or_else(|| "10240".into()),
        };
        let min_compression: usize = match min_compression.trim().parse::<u64>() {
            Ok(n) if n <= 10_485_760 => n as usize,
            _ => {
                return Err(Error::config(format!(
                    "request_min_compression_size_bytes must be a whole number from 0 to 10485760, got {min_compression:?}"
                )))
            }
        };
        let compression = (!compression_off).then_some(min_compression);
        let when = |given: &Option<String>, var: &str, key: &str| -> Result<bool> {
            match given.clone().or_else(|| setting(var, key)) {
                Some(v) => crate::customize::checksum::parse_when(key, &v),
                None => Ok(true),
            }
        };
        let checksums = crate::customize::checksum::ChecksumConfig {
            request_when_supported: when(
                &self.request_checksum_calculation,
                "AWS_REQUEST_CHECKSUM_CALCULATION",
                "request_checksum_calculation",
            )?,
            response_when_supported: when(
                &self.response_checksum_validation,
                "AWS_RESPONSE_CHECKSUM_VALIDATION",
                "response_checksum_validation",
            )?,
        };
        // An empty preference given in code counts as none, as in botocore.
        let auth_preference = match self.auth_scheme_preference.as_deref().map(str::trim) {
            Some(p) if !p.is_empty() => crate::endpoint::AuthPreference::parse(p, true),
            _ => setting("AWS_AUTH_SCHEME_PREFERENCE", "auth_scheme_preference")
                .map(|p| crate::endpoint::AuthPreference::parse(&p, false))
                .unwrap_or_default(),
        };
        let connect_timeout = self.connect_timeout.unwrap_or(Duration::from_secs(60));
        let read_timeout = self.read_timeout.unwrap_or(Duration::from_secs(60));
        // HTTP/1.1, as botocore speaks; the bidirectional event streams use `http2`.
        let http = reqwest::Client::builder()
            .connect_timeout(connect_timeout)
            .read_timeout(read_timeout)
            .redirect(reqwest::redirect::Policy::none())
            .http1_only()
            .build()
            .map_err(|e| Error::config("cannot create the HTTP client").with_source(e))?;
        let credentials = match self.credentials {
            Some(c) => CredentialSource::Static(c),
            None => default_chain(&env, &files, &profile, explicit_profile, region.as_deref())?,
        };
        Ok(Session {
            inner: Arc::new(SessionInner {
                region,
                credentials,
                profile,
                endpoint_url,
                env,
                files,
                http,
                http2: std::sync::OnceLock::new(),
                max_attempts,
                retry_mode,
                operation_timeout: self.operation_timeout,
                connect_timeout,
                read_timeout,
                endpoint_settings: self.endpoint_settings,
                endpoint_discovery,
                compression,
                auth_preference,
                checksums,
            }),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env(vars: &[(&str, &str)]) -> Environment {
        Environment::from_vars(vars.iter().map(|(k, v)| (k.to_string(), v.to_string())))
    }

    #[test]
    fn region_precedence() {
        let s = Session::builder()
            .environment(env(&[
                ("AWS_REGION", "eu-west-1"),
                ("AWS_DEFAULT_REGION", "us-west-2"),
                ("HOME", "/nonexistent"),
            ]))
            .build()
            .unwrap();
        assert_eq!(s.region(), Some("eu-west-1"));
        let s = Session::builder()
            .environment(env(&[
                ("AWS_DEFAULT_REGION", "us-west-2"),
                ("HOME", "/nonexistent"),
            ]))
            .build()
            .unwrap();
        assert_eq!(s.region(), Some("us-west-2"));
        let s = Session::builder()
            .region("ap-south-1")
            .environment(env(&[
                ("AWS_REGION", "eu-west-1"),
                ("HOME", "/nonexistent"),
            ]))
            .build()
            .unwrap();
        assert_eq!(s.region(), Some("ap-south-1"));
    }

    #[test]
    fn bad_region_is_refused() {
        for bad in ["us east 1", "123", "-us", "us-", "us_east_1", "a/b", ""] {
            let e = Session::builder()
                .region(bad)
                .environment(env(&[("HOME", "/nonexistent")]))
                .build()
                .unwrap_err();
            assert!(e.to_string().contains("region"), "{bad}: {e}");
        }
    }

    #[test]
    fn debug_hides_secret() {
        let s = Session::builder()
            .region("us-east-1")
            .credentials(Credentials::new(
                "AKID",
                "SUPERSECRET",
                Some("TOK123".into()),
            ))
            .environment(env(&[("HOME", "/nonexistent")]))
            .build()
            .unwrap();
        let d = format!("{s:?}");
        assert!(
            d.contains("AKID") && !d.contains("SUPERSECRET") && !d.contains("TOK123"),
            "{d}"
        );
    }

    #[test]
    fn max_attempts_from_env() {
        let s = Session::builder()
            .environment(env(&[("AWS_MAX_ATTEMPTS", "7"), ("HOME", "/nonexistent")]))
            .build()
            .unwrap();
        assert_eq!(s.max_attempts(), 7);
        let e = Session::builder()
            .environment(env(&[("AWS_MAX_ATTEMPTS", "x"), ("HOME", "/nonexistent")]))
            .build()
            .unwrap_err();
        assert!(e.to_string().contains("max_attempts"));
    }
}
