//! AWS credentials and the default chain that finds them (environment, then the shared files).

use crate::config::{Environment, ProfileFiles};
use crate::error::{Error, ErrorKind, Result};
use std::fmt;

/// An access key, its secret and an optional session token. `Debug` never shows the secret or token.
#[derive(Clone, PartialEq, Eq)]
pub struct Credentials {
    access_key_id: String,
    secret_access_key: String,
    session_token: Option<String>,
}

impl Credentials {
    /// Credentials from an access key id, a secret access key and an optional session token.
    pub fn new(
        access_key_id: impl Into<String>,
        secret_access_key: impl Into<String>,
        session_token: Option<String>,
    ) -> Credentials {
        Credentials {
            access_key_id: access_key_id.into(),
            secret_access_key: secret_access_key.into(),
            session_token: session_token.filter(|t| !t.is_empty()),
        }
    }
    /// The access key id.
    pub fn access_key_id(&self) -> &str {
        &self.access_key_id
    }
    /// The secret access key.
    pub fn secret_access_key(&self) -> &str {
        &self.secret_access_key
    }
    /// The session token, for temporary credentials.
    pub fn session_token(&self) -> Option<&str> {
        self.session_token.as_deref()
    }
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Credentials")
            .field("access_key_id", &self.access_key_id)
            .field("secret_access_key", &"** redacted **")
            .field(
                "session_token",
                &self.session_token.as_ref().map(|_| "** redacted **"),
            )
            .finish()
    }
}

/// Where a session's credentials come from.
#[derive(Debug, Clone)]
pub(crate) enum CredentialSource {
    /// Found (or given) when the session was built.
    Static(Credentials),
    /// None found; the reason is reported when an operation needs them.
    Missing(String),
    /// Fetched when first needed and refreshed before they expire (assume-role, web identity,
    /// `credential_process`, container, instance metadata). `fallback`: the instance metadata
    /// service tried because nothing else was configured.
    Provided {
        source: crate::provider::Shared,
        fallback: bool,
    },
}

impl CredentialSource {
    /// The credentials, fetched or refreshed if need be.
    pub(crate) async fn resolve(&self, http: &reqwest::Client) -> Result<Credentials> {
        match self {
            CredentialSource::Static(c) => Ok(c.clone()),
            CredentialSource::Missing(why) => Err(Error::new(ErrorKind::Credentials, why.clone())),
            CredentialSource::Provided { source, fallback } => {
                source.get(http).await.map_err(|e| {
                    if *fallback {
                        Error::new(
                            ErrorKind::Credentials,
                            format!(
                                "unable to locate credentials: none in the environment, the shared files or a container, and {}",
                                e.message().unwrap_or("the instance metadata service gave none")
                            ),
                        )
                    } else {
                        e
                    }
                })
            }
        }
    }

    /// The credentials without any request: static ones, or temporary ones already fetched and
    /// not about to expire.
    pub(crate) fn current(&self) -> Result<Credentials> {
        match self {
            CredentialSource::Static(c) => Ok(c.clone()),
            CredentialSource::Missing(why) => Err(Error::new(ErrorKind::Credentials, why.clone())),
            CredentialSource::Provided { source, .. } => match &**source {
                crate::provider::Source::Static(c) => Ok(c.clone()),
                crate::provider::Source::Cached(c) => c.cached().ok_or_else(|| {
                    Error::new(
                        ErrorKind::Credentials,
                        "the session's temporary credentials are not loaded yet: await session.load_credentials() first",
                    )
                }),
            },
        }
    }
}

/// Runs the default chain as botocore orders it: environment variables, then for the profile an
/// assume-role (`role_arn`), web identity, its keys, `credential_process`, then container
/// credentials and the instance metadata service.
///
/// A profile chosen in code (`explicit_profile`) takes precedence over the environment's keys, as in
/// boto3; a profile chosen with `AWS_PROFILE` does not.
pub(crate) fn default_chain(
    env: &Environment,
    files: &ProfileFiles,
    profile: &str,
    explicit_profile: bool,
    region: Option<&str>,
) -> Result<CredentialSource> {
    if !explicit_profile {
        if let Some(c) = crate::provider::env_keys(env) {
            return Ok(CredentialSource::Static(c));
        }
    }
    match crate::provider::from_profile(env, files, profile, region, 0)? {
        Some(crate::provider::Source::Static(c)) => Ok(CredentialSource::Static(c)),
        // The instance metadata service at the top of the chain is its last resort (as a role's
        // `credential_source` it sits inside the assume-role step).
        Some(source) => Ok(CredentialSource::Provided {
            fallback: source.is_imds(),
            source: std::sync::Arc::new(source),
        }),
        None => Ok(CredentialSource::Missing(format!(
            "unable to locate credentials: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, \
             add them to profile \"{profile}\" in {}, or pass Credentials to the session builder",
            env.credentials_file().display()
        ))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_redacts_secrets() {
        let c = Credentials::new("AKID", "SECRETKEY", Some("TOKENVALUE".into()));
        let d = format!("{c:?}");
        assert!(d.contains("AKID"));
        assert!(!d.contains("SECRETKEY"));
        assert!(!d.contains("TOKENVALUE"));
    }

    #[test]
    fn chain_prefers_env_then_files() {
        let files = ProfileFiles::parse("", "[default]\naws_access_key_id=F\naws_secret_access_key=FS\n[p]\naws_access_key_id=P\naws_secret_access_key=PS\naws_session_token=T\n");
        let env =
            Environment::from_vars([("AWS_ACCESS_KEY_ID", "E"), ("AWS_SECRET_ACCESS_KEY", "ES")]);
        let c = default_chain(&env, &files, "default", false, None).unwrap();
        assert_eq!(c.current().unwrap().access_key_id(), "E");
        let c = default_chain(
            &Environment::from_vars::<&str, &str>([]),
            &files,
            "default",
            false,
            None,
        )
        .unwrap();
        assert_eq!(c.current().unwrap().access_key_id(), "F");
        let c = default_chain(&env, &files, "p", true, None).unwrap();
        assert_eq!(c.current().unwrap().session_token(), Some("T"));
        // A profile chosen in code without keys does not fall back to the environment's keys.
        let c = default_chain(&env, &files, "nope", true, None).unwrap();
        assert!(c.current().is_err());
        let none = default_chain(
            &Environment::from_vars([("AWS_EC2_METADATA_DISABLED", "true")]),
            &ProfileFiles::default(),
            "default",
            false,
            None,
        )
        .unwrap();
        assert!(none
            .current()
            .unwrap_err()
            .to_string()
            .contains("unable to locate credentials"));
    }
}
