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
}

impl CredentialSource {
    pub(crate) fn get(&self) -> Result<&Credentials> {
        match self {
            CredentialSource::Static(c) => Ok(c),
            CredentialSource::Missing(why) => Err(Error::new(ErrorKind::Credentials, why.clone())),
        }
    }
}

/// Runs the default chain: environment variables, then the profile in the shared files.
///
/// A profile chosen in code (`explicit_profile`) takes precedence over the environment's keys, as in
/// boto3; a profile chosen with `AWS_PROFILE` does not.
pub(crate) fn default_chain(
    env: &Environment,
    files: &ProfileFiles,
    profile: &str,
    explicit_profile: bool,
) -> Result<CredentialSource> {
    if !explicit_profile {
        if let (Some(id), Some(secret)) = (
            env.var("AWS_ACCESS_KEY_ID"),
            env.var("AWS_SECRET_ACCESS_KEY"),
        ) {
            return Ok(CredentialSource::Static(Credentials::new(
                id,
                secret,
                env.var("AWS_SESSION_TOKEN"),
            )));
        }
    }
    if let (Some(id), Some(secret)) = (
        files.get(profile, "aws_access_key_id"),
        files.get(profile, "aws_secret_access_key"),
    ) {
        let token = files.get(profile, "aws_session_token").map(str::to_string);
        return Ok(CredentialSource::Static(Credentials::new(
            id, secret, token,
        )));
    }
    Ok(CredentialSource::Missing(format!(
        "unable to locate credentials: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, \
         add them to profile \"{profile}\" in {}, or pass Credentials to the session builder",
        env.credentials_file().display()
    )))
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
        let c = default_chain(&env, &files, "default", false).unwrap();
        assert_eq!(c.get().unwrap().access_key_id(), "E");
        let c = default_chain(
            &Environment::from_vars::<&str, &str>([]),
            &files,
            "default",
            false,
        )
        .unwrap();
        assert_eq!(c.get().unwrap().access_key_id(), "F");
        let c = default_chain(&env, &files, "p", true).unwrap();
        assert_eq!(c.get().unwrap().session_token(), Some("T"));
        // A profile chosen in code without keys does not fall back to the environment's keys.
        let c = default_chain(&env, &files, "nope", true).unwrap();
        assert!(c.get().is_err());
        let none = default_chain(
            &Environment::from_vars::<&str, &str>([]),
            &ProfileFiles::default(),
            "default",
            false,
        )
        .unwrap();
        assert!(none
            .get()
            .unwrap_err()
            .to_string()
            .contains("unable to locate credentials"));
    }
}
