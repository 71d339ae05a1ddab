//! AWS credentials: an access key, its secret and an optional session token.

use std::fmt;

/// An access key, its secret and an optional session token. `Debug` never shows the secret or token.
#[derive(Clone, PartialEq, Eq)]
pub struct Credentials {
    access_key_id: String,
    secret_access_key: String,
    session_token: Option<String>,
    account_id: Option<String>,
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
            account_id: None,
        }
    }
    /// The same credentials, known to belong to this AWS account (endpoints of some services,
    /// such as DynamoDB, carry it: the `AWS::Auth::AccountId` built-in).
    pub fn with_account_id(mut self, account_id: impl Into<String>) -> Credentials {
        self.account_id = Some(account_id.into());
        self
    }
    /// The account the credentials belong to, when their source says.
    pub fn account_id(&self) -> Option<&str> {
        self.account_id.as_deref()
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
            .field("account_id", &self.account_id)
            .finish()
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
}
