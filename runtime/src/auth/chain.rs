//! The default credential chain (environment, then the profile's sources, then container and
//! instance metadata) and the source a session keeps: static, missing, or fetched and refreshed.

use crate::auth::config::{Environment, ProfileFiles};
use crate::auth::credentials::Credentials;
use crate::auth::provider::{env_keys, from_profile, Shared, Source};
use crate::error::{Error, ErrorKind, Result};

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
    Provided { source: Shared, fallback: bool },
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
                Source::Static(c) => Ok(c.clone()),
                Source::Cached(c) => c.cached().ok_or_else(|| {
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
        if let Some(c) = env_keys(env) {
            return Ok(CredentialSource::Static(c));
        }
    }
    match from_profile(env, files, profile, region, 0)? {
        Some(Source::Static(c)) => Ok(CredentialSource::Static(c)),
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
