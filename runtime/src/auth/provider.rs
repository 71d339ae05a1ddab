//! Credential sources beyond static keys, as botocore's default chain has them: assume-role
//! profiles (`role_arn` with `source_profile` or `credential_source`), web identity
//! (`web_identity_token_file`), `credential_process`, container credentials and the instance
//! metadata service (IMDSv2). Temporary credentials are cached and refreshed before they
//! expire, by one request however many tasks ask at once.

use crate::auth::config::{Environment, ProfileFiles};
use crate::auth::credentials::Credentials;
use crate::auth::signing::{sign_with, SignOptions};
use crate::error::{Error, ErrorKind, Result};
use crate::http::HttpRequest;
use crate::time::DateTime;
use crate::wire::percent::{encode_into, UNRESERVED};
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime};

/// Credentials and when they stop working (none: they do not expire).
#[derive(Clone, Debug)]
pub(crate) struct Expiring {
    pub creds: Credentials,
    pub expires: Option<SystemTime>,
}

/// botocore refreshes temporary credentials 15 minutes (advisory) to 10 minutes (mandatory)
/// before they expire; they are refreshed here once inside the 15 minutes.
const REFRESH_BEFORE: Duration = Duration::from_secs(15 * 60);

/// Where temporary credentials come from.
#[derive(Debug)]
pub(crate) enum Provider {
    /// `credential_process`: a command printing JSON.
    Process { command: String },
    /// The container credentials endpoint.
    Container { url: String, auth: Option<Auth> },
    /// The EC2 instance metadata service, version 2 (a session token first).
    Imds { endpoint: String },
    /// STS AssumeRole with the source's credentials.
    AssumeRole {
        source: Box<Source>,
        role_arn: String,
        session_name: String,
        external_id: Option<String>,
        duration: Option<u32>,
        sts: String,
    },
    /// STS AssumeRoleWithWebIdentity with a token read from a file (unsigned).
    WebIdentity {
        token_file: String,
        role_arn: String,
        session_name: String,
        sts: String,
    },
}

/// The container endpoint's authorization: a token, or a file holding it.
pub(crate) enum Auth {
    Token(String),
    File(String),
}

impl std::fmt::Debug for Auth {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Auth::Token(_) => f.write_str("Token(** redacted **)"),
            Auth::File(p) => write!(f, "File({p:?})"),
        }
    }
}

/// A source of credentials for a session (or for an assume-role step).
#[derive(Debug)]
pub(crate) enum Source {
    Static(Credentials),
    Cached(Cached),
}

impl Source {
    /// True for the instance metadata service itself.
    pub(crate) fn is_imds(&self) -> bool {
        matches!(self, Source::Cached(c) if matches!(c.provider, Provider::Imds { .. }))
    }

    pub(crate) async fn get(&self, http: &reqwest::Client) -> Result<Credentials> {
        match self {
            Source::Static(c) => Ok(c.clone()),
            Source::Cached(c) => c.get(http).await,
        }
    }
}

/// A provider with its cached credentials.
#[derive(Debug)]
pub(crate) struct Cached {
    provider: Provider,
    state: Mutex<Option<Expiring>>,
    /// Held while fetching, so that one request refreshes for everyone waiting.
    refresh: tokio::sync::Mutex<()>,
}

fn fresh(e: &Expiring, now: SystemTime) -> bool {
    match e.expires {
        None => true,
        Some(t) => t > now + REFRESH_BEFORE,
    }
}

impl Cached {
    pub(crate) fn new(provider: Provider) -> Cached {
        Cached {
            provider,
            state: Mutex::new(None),
            refresh: tokio::sync::Mutex::new(()),
        }
    }

    /// The cached credentials, when there are some that are not about to expire.
    pub(crate) fn cached(&self) -> Option<Credentials> {
        let g = self.state.lock().ok()?;
        g.as_ref()
            .filter(|e| fresh(e, SystemTime::now()))
            .map(|e| e.creds.clone())
    }

    pub(crate) async fn get(&self, http: &reqwest::Client) -> Result<Credentials> {
        if let Some(c) = self.cached() {
            return Ok(c);
        }
        let _one_at_a_time = self.refresh.lock().await;
        // Another task may have refreshed while this one waited.
        if let Some(c) = self.cached() {
            return Ok(c);
        }
        let got = Box::pin(self.provider.fetch(http)).await;
        match got {
            Ok(e) => {
                let creds = e.creds.clone();
                if let Ok(mut g) = self.state.lock() {
                    *g = Some(e);
                }
                Ok(creds)
            }
            // Credentials that are still valid (inside the refresh window) serve when a refresh
            // fails, as botocore does before the mandatory refresh.
            Err(err) => {
                let still = self.state.lock().ok().and_then(|g| {
                    g.as_ref()
                        .filter(|e| {
                            e.expires
                                .is_none_or(|t| t > SystemTime::now() + Duration::from_secs(60))
                        })
                        .map(|e| e.creds.clone())
                });
                still.ok_or(err)
            }
        }
    }
}

fn cred_error(msg: impl Into<String>) -> Error {
    Error::new(ErrorKind::Credentials, msg)
}

/// Reads `{AccessKeyId, SecretAccessKey, SessionToken|Token, Expiration}` (the JSON of
/// `credential_process`, container credentials and IMDS).
fn from_json(what: &str, text: &[u8]) -> Result<Expiring> {
    let v: serde_json::Value = serde_json::from_slice(text)
        .map_err(|e| cred_error(format!("{what}: the answer is not JSON: {e}")))?;
    if let Some(code) = v["Code"].as_str().filter(|c| *c != "Success") {
        return Err(cred_error(format!("{what}: the answer says {code}")));
    }
    let s = |k: &str| v[k].as_str().map(str::to_string);
    let (Some(id), Some(secret)) = (s("AccessKeyId"), s("SecretAccessKey")) else {
        return Err(cred_error(format!(
            "{what}: the answer has no AccessKeyId and SecretAccessKey"
        )));
    };
    let token = s("SessionToken").or_else(|| s("Token"));
    let expires = match s("Expiration") {
        Some(t) => Some(parse_time(&t).ok_or_else(|| {
            cred_error(format!("{what}: Expiration {t:?} is not an ISO 8601 time"))
        })?),
        None => None,
    };
    Ok(Expiring {
        creds: Credentials::new(id, secret, token),
        expires,
    })
}

fn parse_time(t: &str) -> Option<SystemTime> {
    let d = DateTime::parse_iso8601(t).ok()?;
    let secs = d.as_fractional_secs();
    if secs < 0.0 {
        return None;
    }
    Some(SystemTime::UNIX_EPOCH + Duration::from_secs_f64(secs))
}

/// The text of `tag` in an XML answer.
fn xml_text(body: &str, tag: &str) -> Option<String> {
    let open = format!("<{tag}>");
    let start = body.find(&open)? + open.len();
    let end = body[start..].find(&format!("</{tag}>"))? + start;
    Some(body[start..end].trim().to_string())
}

impl Provider {
    async fn fetch(&self, http: &reqwest::Client) -> Result<Expiring> {
        match self {
            Provider::Process { command } => run_process(command).await,
            Provider::Container { url, auth } => {
                let mut req = http.get(url).timeout(Duration::from_secs(2));
                let token = match auth {
                    Some(Auth::Token(t)) => Some(t.clone()),
                    Some(Auth::File(f)) => Some(
                        std::fs::read_to_string(f)
                            .map_err(|e| {
                                cred_error(format!("cannot read the container token file {f}: {e}"))
                            })?
                            .trim()
                            .to_string(),
                    ),
                    None => None,
                };
                if let Some(t) = token {
                    req = req.header("Authorization", t);
                }
                let what = "container credentials";
                let resp = req.send().await.map_err(|e| {
                    cred_error(format!("{what}: {url} did not answer")).with_source(e)
                })?;
                let status = resp.status().as_u16();
                let body = resp
                    .bytes()
                    .await
                    .map_err(|e| cred_error(format!("{what}: {e}")))?;
                if status != 200 {
                    return Err(cred_error(format!("{what}: {url} answered {status}")));
                }
                from_json(what, &body)
            }
            Provider::Imds { endpoint } => imds(http, endpoint).await,
            Provider::AssumeRole {
                source,
                role_arn,
                session_name,
                external_id,
                duration,
                sts,
            } => {
                let creds = Box::pin(source.get(http)).await?;
                let mut form = vec![
                    ("Action", "AssumeRole".to_string()),
                    ("Version", "2011-06-15".to_string()),
                    ("RoleArn", role_arn.clone()),
                    ("RoleSessionName", session_name.clone()),
                ];
                if let Some(x) = external_id {
                    form.push(("ExternalId", x.clone()));
                }
                if let Some(d) = duration {
                    form.push(("DurationSeconds", d.to_string()));
                }
                sts_call(http, sts, &form, Some(&creds), "AssumeRole").await
            }
            Provider::WebIdentity {
                token_file,
                role_arn,
                session_name,
                sts,
            } => {
                let token = std::fs::read_to_string(token_file).map_err(|e| {
                    cred_error(format!(
                        "cannot read web_identity_token_file {token_file}: {e}"
                    ))
                })?;
                let form = vec![
                    ("Action", "AssumeRoleWithWebIdentity".to_string()),
                    ("Version", "2011-06-15".to_string()),
                    ("RoleArn", role_arn.clone()),
                    ("RoleSessionName", session_name.clone()),
                    ("WebIdentityToken", token.trim().to_string()),
                ];
                sts_call(http, sts, &form, None, "AssumeRoleWithWebIdentity").await
            }
        }
    }
}

/// `credential_process`: runs the command (split as a shell would, no shell) and reads its
/// JSON from standard output; `Version` must be 1.
async fn run_process(command: &str) -> Result<Expiring> {
    let words = split_command(command);
    let Some((prog, args)) = words.split_first() else {
        return Err(cred_error("credential_process is empty"));
    };
    let out = tokio::process::Command::new(prog)
        .args(args)
        .stdin(std::process::Stdio::null())
        .output()
        .await
        .map_err(|e| cred_error(format!("credential_process: cannot run {prog}: {e}")))?;
    if !out.status.success() {
        return Err(cred_error(format!(
            "credential_process {prog} failed ({}): {}",
            out.status,
            String::from_utf8_lossy(&out.stderr).trim()
        )));
    }
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap_or_default();
    if v["Version"].as_i64() != Some(1) {
        return Err(cred_error(
            "credential_process: the output must be JSON with \"Version\": 1",
        ));
    }
    from_json("credential_process", &out.stdout)
}

/// Splits a command line into words as POSIX shells do for quotes and backslashes.
fn split_command(s: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut cur = String::new();
    let mut in_word = false;
    let mut chars = s.chars();
    let mut quote: Option<char> = None;
    while let Some(c) = chars.next() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some('"'), '\\') => {
                if let Some(n) = chars.next() {
                    cur.push(n);
                }
            }
            (Some(_), c) => cur.push(c),
            (None, '\'' | '"') => {
                quote = Some(c);
                in_word = true;
            }
            (None, '\\') => {
                if let Some(n) = chars.next() {
                    cur.push(n);
                    in_word = true;
                }
            }
            (None, c) if c.is_whitespace() => {
                if in_word {
                    words.push(std::mem::take(&mut cur));
                    in_word = false;
                }
            }
            (None, c) => {
                cur.push(c);
                in_word = true;
            }
        }
    }
    if in_word {
        words.push(cur);
    }
    words
}

/// IMDSv2: a session token (PUT), the role name, then the role's credentials.
async fn imds(http: &reqwest::Client, endpoint: &str) -> Result<Expiring> {
    let base = endpoint.trim_end_matches('/');
    let what = "instance metadata";
    let fail =
        |e: reqwest::Error| cred_error(format!("{what}: {base} did not answer")).with_source(e);
    let timeout = Duration::from_secs(1);
    let token = http
        .put(format!("{base}/latest/api/token"))
        .header("x-aws-ec2-metadata-token-ttl-seconds", "21600")
        .timeout(timeout)
        .send()
        .await
        .map_err(fail)?;
    if token.status().as_u16() != 200 {
        return Err(cred_error(format!(
            "{what}: no session token ({})",
            token.status().as_u16()
        )));
    }
    let token = token.text().await.map_err(fail)?;
    let get = |path: String| {
        http.get(format!("{base}{path}"))
            .header("x-aws-ec2-metadata-token", token.trim())
            .timeout(timeout)
            .send()
    };
    let role = get("/latest/meta-data/iam/security-credentials/".into())
        .await
        .map_err(fail)?;
    if role.status().as_u16() != 200 {
        return Err(cred_error(format!(
            "{what}: no instance role ({})",
            role.status().as_u16()
        )));
    }
    let role = role.text().await.map_err(fail)?;
    let role = role.lines().next().unwrap_or("").trim().to_string();
    if role.is_empty() {
        return Err(cred_error(format!("{what}: the instance has no role")));
    }
    let creds = get(format!("/latest/meta-data/iam/security-credentials/{role}"))
        .await
        .map_err(fail)?;
    let body = creds.bytes().await.map_err(fail)?;
    from_json(what, &body)
}

/// One STS query call (form in, XML out), signed with `creds` when given.
async fn sts_call(
    http: &reqwest::Client,
    endpoint: &str,
    form: &[(&str, String)],
    creds: Option<&Credentials>,
    action: &str,
) -> Result<Expiring> {
    let mut body = String::new();
    for (i, (k, v)) in form.iter().enumerate() {
        if i > 0 {
            body.push('&');
        }
        body.push_str(k);
        body.push('=');
        encode_into(&mut body, v, UNRESERVED);
    }
    let mut req = HttpRequest {
        method: "POST".into(),
        url: format!("{}/", endpoint.trim_end_matches('/')),
        headers: vec![(
            "Content-Type".into(),
            "application/x-www-form-urlencoded; charset=utf-8".into(),
        )],
        body: body.into_bytes().into(),
    };
    if let Some(c) = creds {
        let region = sts_region(endpoint);
        sign_with(
            &mut req,
            c,
            &region,
            "sts",
            SystemTime::now(),
            &SignOptions::default(),
        )?;
    }
    let mut rb = http.post(&req.url).timeout(Duration::from_secs(30));
    for (k, v) in &req.headers {
        rb = rb.header(k.as_str(), v.as_str());
    }
    let resp =
        rb.body(req.body.to_vec()).send().await.map_err(|e| {
            cred_error(format!("{action}: {endpoint} did not answer")).with_source(e)
        })?;
    let status = resp.status().as_u16();
    let text = resp
        .text()
        .await
        .map_err(|e| cred_error(format!("{action}: {e}")))?;
    if status != 200 {
        let code = xml_text(&text, "Code").unwrap_or_else(|| status.to_string());
        let msg = xml_text(&text, "Message").unwrap_or_default();
        return Err(cred_error(format!("{action} failed: {code}: {msg}")).with_status(status));
    }
    let field = |t: &str| xml_text(&text, t);
    let (Some(id), Some(secret)) = (field("AccessKeyId"), field("SecretAccessKey")) else {
        return Err(cred_error(format!(
            "{action}: the answer has no credentials"
        )));
    };
    let expires = field("Expiration").and_then(|t| parse_time(&t));
    Ok(Expiring {
        creds: Credentials::new(id, secret, field("SessionToken")),
        expires,
    })
}

/// The signing region of an STS endpoint (`sts.eu-west-1.amazonaws.com`), us-east-1 otherwise.
fn sts_region(endpoint: &str) -> String {
    let host = endpoint
        .split("://")
        .nth(1)
        .unwrap_or(endpoint)
        .split(['/', ':'])
        .next()
        .unwrap_or("");
    let parts: Vec<&str> = host.split('.').collect();
    match parts.as_slice() {
        ["sts", region, "amazonaws", ..] => region.to_string(),
        _ => "us-east-1".into(),
    }
}

/// The STS endpoint for credential calls: `AWS_ENDPOINT_URL_STS`, `AWS_ENDPOINT_URL`, the
/// profile's `endpoint_url`, else the regional endpoint (global without a region).
fn sts_endpoint(
    env: &Environment,
    files: &ProfileFiles,
    profile: &str,
    region: Option<&str>,
) -> String {
    env.var("AWS_ENDPOINT_URL_STS")
        .or_else(|| env.var("AWS_ENDPOINT_URL"))
        .or_else(|| files.get(profile, "endpoint_url").map(str::to_string))
        .unwrap_or_else(|| match region {
            Some(r) => format!("https://sts.{r}.amazonaws.com"),
            None => "https://sts.amazonaws.com".into(),
        })
}

fn session_name() -> String {
    let ms = SystemTime::now()
        .duration_since(SystemTime::UNIX_EPOCH)
        .map(|d| d.as_millis())
        .unwrap_or(0);
    format!("boto-rs-session-{ms}")
}

/// The sources the default chain tries after the environment's keys, for `profile`:
/// assume-role, web identity, the profile's keys, `credential_process`, container, IMDS.
/// `None` when none applies.
pub(crate) fn from_profile(
    env: &Environment,
    files: &ProfileFiles,
    profile: &str,
    region: Option<&str>,
    depth: usize,
) -> Result<Option<Source>> {
    if depth > 8 {
        return Err(Error::config(format!(
            "profile {profile}: source_profile chain is too long (or loops)"
        )));
    }
    let get = |k: &str| files.get(profile, k).map(str::to_string);
    if let Some(role_arn) = get("role_arn") {
        let source = match (get("source_profile"), get("credential_source")) {
            (Some(p), None) => {
                if !files.has_profile(&p) {
                    return Err(Error::config(format!(
                        "profile {profile}: source_profile {p} does not exist"
                    )));
                }
                // A source profile that is itself an assume-role profile chains; otherwise its
                // static keys are used.
                if p != profile {
                    from_profile(env, files, &p, region, depth + 1)?
                } else {
                    static_keys(files, &p)
                }
                .ok_or_else(|| {
                    Error::config(format!("profile {profile}: source_profile {p} has no credentials"))
                })?
            }
            (None, Some(cs)) => match cs.as_str() {
                "Environment" => Source::Static(env_keys(env).ok_or_else(|| {
                    Error::config(format!(
                        "profile {profile}: credential_source Environment, but no keys in the environment"
                    ))
                })?),
                "EcsContainer" => container(env)?.ok_or_else(|| {
                    Error::config(format!(
                        "profile {profile}: credential_source EcsContainer, but no container credentials"
                    ))
                })?,
                "Ec2InstanceMetadata" => Source::Cached(Cached::new(imds_provider(env, files, profile))),
                other => {
                    return Err(Error::config(format!(
                        "profile {profile}: unknown credential_source {other:?}"
                    )))
                }
            },
            (Some(_), Some(_)) => {
                return Err(Error::config(format!(
                    "profile {profile}: give source_profile or credential_source, not both"
                )))
            }
            (None, None) if get("web_identity_token_file").is_some() => {
                return Ok(Some(web_identity(env, files, profile, region, &role_arn)?));
            }
            (None, None) => {
                return Err(Error::config(format!(
                    "profile {profile}: role_arn needs source_profile or credential_source"
                )))
            }
        };
        let duration = match get("duration_seconds") {
            Some(d) => Some(d.trim().parse().map_err(|_| {
                Error::config(format!(
                    "profile {profile}: duration_seconds {d:?} is not a number"
                ))
            })?),
            None => None,
        };
        return Ok(Some(Source::Cached(Cached::new(Provider::AssumeRole {
            source: Box::new(source),
            role_arn,
            session_name: get("role_session_name").unwrap_or_else(session_name),
            external_id: get("external_id"),
            duration,
            sts: sts_endpoint(env, files, profile, region),
        }))));
    }
    if depth == 0 {
        if let (Some(file), Some(role)) = (
            env.var("AWS_WEB_IDENTITY_TOKEN_FILE"),
            env.var("AWS_ROLE_ARN"),
        ) {
            return Ok(Some(Source::Cached(Cached::new(Provider::WebIdentity {
                token_file: file,
                role_arn: role,
                session_name: env
                    .var("AWS_ROLE_SESSION_NAME")
                    .unwrap_or_else(session_name),
                sts: sts_endpoint(env, files, profile, region),
            }))));
        }
    }
    if let Some(s) = static_keys(files, profile) {
        return Ok(Some(s));
    }
    if let Some(cmd) = get("credential_process") {
        return Ok(Some(Source::Cached(Cached::new(Provider::Process {
            command: cmd,
        }))));
    }
    if depth > 0 {
        return Ok(None);
    }
    if let Some(c) = container(env)? {
        return Ok(Some(c));
    }
    let disabled = env
        .var("AWS_EC2_METADATA_DISABLED")
        .is_some_and(|v| v.eq_ignore_ascii_case("true"));
    if !disabled {
        return Ok(Some(Source::Cached(Cached::new(imds_provider(
            env, files, profile,
        )))));
    }
    Ok(None)
}

fn web_identity(
    env: &Environment,
    files: &ProfileFiles,
    profile: &str,
    region: Option<&str>,
    role_arn: &str,
) -> Result<Source> {
    let get = |k: &str| files.get(profile, k).map(str::to_string);
    Ok(Source::Cached(Cached::new(Provider::WebIdentity {
        token_file: get("web_identity_token_file").unwrap_or_default(),
        role_arn: role_arn.to_string(),
        session_name: get("role_session_name").unwrap_or_else(session_name),
        sts: sts_endpoint(env, files, profile, region),
    })))
}

/// `AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY`, `AWS_SESSION_TOKEN` and `AWS_ACCOUNT_ID`.
pub(crate) fn env_keys(env: &Environment) -> Option<Credentials> {
    let c = Credentials::new(
        env.var("AWS_ACCESS_KEY_ID")?,
        env.var("AWS_SECRET_ACCESS_KEY")?,
        env.var("AWS_SESSION_TOKEN"),
    );
    Some(match env.var("AWS_ACCOUNT_ID") {
        Some(a) => c.with_account_id(a),
        None => c,
    })
}

fn static_keys(files: &ProfileFiles, profile: &str) -> Option<Source> {
    let c = Credentials::new(
        files.get(profile, "aws_access_key_id")?,
        files.get(profile, "aws_secret_access_key")?,
        files.get(profile, "aws_session_token").map(str::to_string),
    );
    Some(Source::Static(match files.get(profile, "aws_account_id") {
        Some(a) => c.with_account_id(a),
        None => c,
    }))
}

/// Container credentials: `AWS_CONTAINER_CREDENTIALS_RELATIVE_URI` (on 169.254.170.2) or
/// `AWS_CONTAINER_CREDENTIALS_FULL_URI` (HTTPS, or HTTP to a loopback or the container hosts),
/// with `AWS_CONTAINER_AUTHORIZATION_TOKEN(_FILE)`.
fn container(env: &Environment) -> Result<Option<Source>> {
    let url = if let Some(rel) = env.var("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI") {
        format!("http://169.254.170.2{rel}")
    } else if let Some(full) = env.var("AWS_CONTAINER_CREDENTIALS_FULL_URI") {
        let allowed = full.starts_with("https://")
            || [
                "127.0.0.1",
                "localhost",
                "[::1]",
                "169.254.170.2",
                "169.254.170.23",
                "[fd00:ec2::23]",
            ]
            .iter()
            .any(|h| {
                full.strip_prefix("http://").is_some_and(|rest| {
                    rest.starts_with(h) && rest[h.len()..].starts_with([':', '/'])
                })
            });
        if !allowed {
            return Err(Error::config(format!(
                "AWS_CONTAINER_CREDENTIALS_FULL_URI {full:?} must be HTTPS, or HTTP to a loopback address or the container credential hosts"
            )));
        }
        full
    } else {
        return Ok(None);
    };
    let auth = env
        .var("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE")
        .map(Auth::File)
        .or_else(|| {
            env.var("AWS_CONTAINER_AUTHORIZATION_TOKEN")
                .map(Auth::Token)
        });
    Ok(Some(Source::Cached(Cached::new(Provider::Container {
        url,
        auth,
    }))))
}

fn imds_provider(env: &Environment, files: &ProfileFiles, profile: &str) -> Provider {
    let endpoint = env
        .var("AWS_EC2_METADATA_SERVICE_ENDPOINT")
        .or_else(|| {
            files
                .get(profile, "ec2_metadata_service_endpoint")
                .map(str::to_string)
        })
        .unwrap_or_else(|| "http://169.254.169.254".into());
    Provider::Imds { endpoint }
}

/// Shared by the session and its clients.
pub(crate) type Shared = Arc<Source>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn commands_split_like_a_shell() {
        assert_eq!(
            split_command(r#"/bin/tool --profile "my prof" 'a b' c\ d"#),
            ["/bin/tool", "--profile", "my prof", "a b", "c d"]
        );
        assert!(split_command("   ").is_empty());
    }

    #[test]
    fn sts_regions_from_endpoints() {
        assert_eq!(
            sts_region("https://sts.eu-west-1.amazonaws.com"),
            "eu-west-1"
        );
        assert_eq!(sts_region("https://sts.amazonaws.com"), "us-east-1");
        assert_eq!(sts_region("http://127.0.0.1:5000"), "us-east-1");
    }

    #[test]
    fn json_credentials_are_checked() {
        let ok = br#"{"Version":1,"AccessKeyId":"A","SecretAccessKey":"S","SessionToken":"T","Expiration":"2030-01-01T00:00:00Z"}"#;
        let e = from_json("x", ok).unwrap();
        assert_eq!(e.creds.session_token(), Some("T"));
        assert!(e.expires.is_some());
        assert!(from_json("x", b"{}").is_err());
        assert!(from_json("x", b"not json").is_err());
        assert!(from_json("x", br#"{"Code":"Failure"}"#).is_err());
        assert!(from_json(
            "x",
            br#"{"AccessKeyId":"A","SecretAccessKey":"S","Expiration":"soon"}"#
        )
        .is_err());
    }
}
