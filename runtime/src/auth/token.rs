//! Bearer tokens, as botocore's token providers find them: `AWS_BEARER_TOKEN_<SERVICE>` for a
//! service whose model offers bearer auth, else the SSO token cache of the profile's
//! `sso_session` (what `aws sso login` writes), refreshed through SSO OIDC's `CreateToken` when
//! it expires within 15 minutes.

use super::config::{Environment, ProfileFiles};
use crate::error::{Error, ErrorKind, Result};
use crate::time::DateTime;
use std::path::PathBuf;

/// A bearer token. `Debug` does not show it.
#[derive(Clone, PartialEq, Eq)]
pub struct Token {
    token: String,
    expiration: Option<DateTime>,
}

impl std::fmt::Debug for Token {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Token")
            .field("token", &"** redacted **")
            .field("expiration", &self.expiration)
            .finish()
    }
}

impl Token {
    /// A token, valid until `expiration` when it is known.
    pub fn new(token: impl Into<String>, expiration: Option<DateTime>) -> Token {
        Token {
            token: token.into(),
            expiration,
        }
    }
    /// The token itself, as sent in `Authorization: Bearer <token>`.
    pub fn as_str(&self) -> &str {
        &self.token
    }
    /// When it expires, when known.
    pub fn expiration(&self) -> Option<DateTime> {
        self.expiration
    }
}

/// The environment variable that holds a bearer token for a service: `AWS_BEARER_TOKEN_` and its
/// signing name in upper case, `-` and spaces as `_` (`AWS_BEARER_TOKEN_BEDROCK`).
pub fn env_var_name(signing_name: &str) -> String {
    let name: String = signing_name
        .chars()
        .map(|c| match c {
            '-' | ' ' => '_',
            c => c.to_ascii_uppercase(),
        })
        .collect();
    format!("AWS_BEARER_TOKEN_{name}")
}

/// The token `AWS_BEARER_TOKEN_<SERVICE>` holds, if set.
pub(crate) fn from_environment(env: &Environment, signing_name: &str) -> Option<Token> {
    env.var(&env_var_name(signing_name))
        .map(|t| Token::new(t, None))
}

/// Tokens expiring sooner than this are refreshed first (botocore's refresh window).
const REFRESH_WINDOW_SECS: i64 = 15 * 60;

/// What the SSO token provider needs: the profile's `sso_session`, its settings and the cache.
pub(crate) struct SsoTokenSource<'a> {
    pub env: &'a Environment,
    pub files: &'a ProfileFiles,
    pub profile: &'a str,
    pub http: &'a reqwest::Client,
}

impl SsoTokenSource<'_> {
    /// The token of the profile's SSO session, refreshed when it is about to expire.
    pub(crate) async fn token(&self) -> Result<Token> {
        let session = self.files.get(self.profile, "sso_session").ok_or_else(|| {
            token_error(format!(
                "no bearer token: the profile {:?} has no sso_session (configure one and run \
                 `aws sso login`)",
                self.profile
            ))
        })?;
        let region = self.files.sso_session(session, "sso_region");
        let path = self.cache_file(session)?;
        let text = std::fs::read_to_string(&path).map_err(|e| {
            token_error(format!(
                "no cached SSO token for the session {session:?} ({}: {e}); run `aws sso login \
                 --sso-session {session}`",
                path.display()
            ))
        })?;
        let mut cached: serde_json::Value = serde_json::from_str(&text)
            .map_err(|e| token_error(format!("{}: not a token cache file: {e}", path.display())))?;
        let (token, expires) = access_token(&cached).ok_or_else(|| {
            token_error(format!("{}: no accessToken and expiresAt", path.display()))
        })?;
        let now = DateTime::now();
        if expires.secs() - now.secs() >= REFRESH_WINDOW_SECS {
            return Ok(Token::new(token, Some(expires)));
        }
        // About to expire: refresh it when the cache holds what CreateToken needs. A failed
        // refresh still leaves a token that has not expired yet usable, as botocore does.
        let refreshed = match region {
            Some(region) if can_refresh(&cached, now) => {
                self.refresh(region, &mut cached).await.and_then(|t| {
                    let text = serde_json::to_string_pretty(&cached).unwrap_or_default();
                    std::fs::write(&path, text).map_err(|e| {
                        token_error(format!("cannot update {}: {e}", path.display()))
                    })?;
                    Ok(t)
                })
            }
            _ => Err(token_error(format!(
                "the SSO token of the session {session:?} cannot be refreshed"
            ))),
        };
        match refreshed {
            Ok(t) => Ok(t),
            Err(_) if expires.secs() > now.secs() => Ok(Token::new(token, Some(expires))),
            Err(e) => Err(token_error(format!(
                "the SSO token of the session {session:?} expired at {}: {}; run `aws sso login \
                 --sso-session {session}`",
                expires.to_iso8601(),
                e.message().unwrap_or_default()
            ))),
        }
    }

    /// `~/.aws/sso/cache/<sha1 of the session name>.json`.
    fn cache_file(&self, session: &str) -> Result<PathBuf> {
        use sha1::Digest;
        let dir = self
            .env
            .sso_cache_dir()
            .ok_or_else(|| token_error("no home folder for the SSO token cache"))?;
        let key = crate::wire::checksum::hex(&sha1::Sha1::digest(session.as_bytes()));
        Ok(dir.join(format!("{key}.json")))
    }

    /// SSO OIDC `CreateToken` with the cached refresh token; updates `cached` with the answer.
    async fn refresh(&self, region: &str, cached: &mut serde_json::Value) -> Result<Token> {
        let base = self
            .env
            .var("AWS_ENDPOINT_URL_SSO_OIDC")
            .or_else(|| self.env.var("AWS_ENDPOINT_URL"))
            .unwrap_or_else(|| format!("https://oidc.{region}.amazonaws.com"));
        let body = serde_json::json!({
            "grantType": "refresh_token",
            "clientId": cached["clientId"],
            "clientSecret": cached["clientSecret"],
            "refreshToken": cached["refreshToken"],
        });
        let url = format!("{}/token", base.trim_end_matches('/'));
        let resp = self
            .http
            .post(&url)
            .header("content-type", "application/json")
            .body(body.to_string())
            .send()
            .await
            .map_err(|e| token_error(format!("CreateToken at {url}: {e}")))?;
        let status = resp.status().as_u16();
        let bytes = resp
            .bytes()
            .await
            .map_err(|e| token_error(format!("CreateToken at {url}: {e}")))?;
        let answer: serde_json::Value = serde_json::from_slice(&bytes).unwrap_or_default();
        if status >= 300 {
            // SSO OIDC answers in OAuth2's terms (`error`, `error_description`).
            let code = answer["error"].as_str().unwrap_or("unknown error");
            let text = answer["error_description"].as_str().unwrap_or_default();
            return Err(token_error(format!(
                "CreateToken failed with HTTP {status}: {code} {text}"
            )));
        }
        let (Some(token), Some(expires_in)) =
            (answer["accessToken"].as_str(), answer["expiresIn"].as_i64())
        else {
            return Err(token_error(
                "CreateToken answered without accessToken and expiresIn",
            ));
        };
        let expires = DateTime::from_secs(DateTime::now().secs() + expires_in);
        cached["accessToken"] = token.into();
        cached["expiresAt"] = expires.to_iso8601().into();
        if let Some(r) = answer["refreshToken"].as_str() {
            cached["refreshToken"] = r.into();
        }
        Ok(Token::new(token, Some(expires)))
    }
}

fn access_token(cached: &serde_json::Value) -> Option<(String, DateTime)> {
    let token = cached["accessToken"].as_str()?;
    let expires = DateTime::parse_iso8601(cached["expiresAt"].as_str()?).ok()?;
    Some((token.to_string(), expires))
}

/// The cache holds a client registration that is still valid and a refresh token.
fn can_refresh(cached: &serde_json::Value, now: DateTime) -> bool {
    let has = |k: &str| cached[k].as_str().is_some_and(|s| !s.is_empty());
    let registered = cached["registrationExpiresAt"]
        .as_str()
        .and_then(|s| DateTime::parse_iso8601(s).ok())
        .is_some_and(|t| t.secs() > now.secs());
    has("clientId") && has("clientSecret") && has("refreshToken") && registered
}

fn token_error(message: impl Into<String>) -> Error {
    Error::new(ErrorKind::Credentials, message)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn env_var_names_follow_botocore() {
        assert_eq!(env_var_name("bedrock"), "AWS_BEARER_TOKEN_BEDROCK");
        assert_eq!(env_var_name("my-svc name"), "AWS_BEARER_TOKEN_MY_SVC_NAME");
    }

    #[test]
    fn tokens_are_not_shown() {
        let t = Token::new("secret-token", None);
        assert!(!format!("{t:?}").contains("secret-token"));
    }
}
