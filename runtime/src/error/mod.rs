//! `Error`: the one error type of every operation, with the service's code, message and request id.

use std::any::Any;
use std::fmt;

mod modeled;

/// What kind of failure an [`Error`] is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum ErrorKind {
    /// The service answered with an error.
    Service,
    /// The input was refused before anything was sent (missing required member, bad value).
    Validation,
    /// The session or client configuration is unusable (region, endpoint, profile).
    Config,
    /// No credentials could be found or loaded.
    Credentials,
    /// The request could not be sent or the response not received.
    Transport,
    /// A timeout fired.
    Timeout,
    /// The response could not be understood.
    Response,
    /// A waiter stopped without reaching its success state.
    Waiter,
    /// A stubbed client was called in a way its [`Stubber`](crate::Stubber) did not expect (no
    /// response queued, another operation queued, or another input expected).
    Stub,
}

/// A generated structure an error carries, a `Box<dyn value::Structure>` held as `Any` so that
/// the error type, which everything uses, does not depend on values; `modeled.rs` puts it in and
/// takes it out.
type Carried = Box<dyn CarriedValue>;

/// What [`Carried`] needs: downcasting, and `Debug` for printing the error.
trait CarriedValue: Any + Send + Sync + fmt::Debug {
    fn as_any(&self) -> &dyn Any;
    fn as_any_mut(&mut self) -> &mut dyn Any;
}

impl<T: Any + Send + Sync + fmt::Debug> CarriedValue for T {
    fn as_any(&self) -> &dyn Any {
        self
    }
    fn as_any_mut(&mut self) -> &mut dyn Any {
        self
    }
}

/// A failed operation or configuration step.
pub struct Error {
    inner: Box<Inner>,
}

struct Inner {
    kind: ErrorKind,
    code: Option<String>,
    message: Option<String>,
    request_id: Option<String>,
    status: Option<u16>,
    operation: Option<&'static str>,
    /// The parsed modeled error (see `modeled.rs`).
    modeled: Option<Carried>,
    /// The last output a waiter saw (see `modeled.rs`).
    last_response: Option<Carried>,
    source: Option<Box<dyn std::error::Error + Send + Sync>>,
    attempts: u32,
}

impl Error {
    /// A new error of `kind` with a message.
    pub fn new(kind: ErrorKind, message: impl Into<String>) -> Error {
        Error {
            inner: Box::new(Inner {
                kind,
                code: None,
                message: Some(message.into()),
                request_id: None,
                status: None,
                operation: None,
                modeled: None,
                last_response: None,
                source: None,
                attempts: 0,
            }),
        }
    }
    /// A service error with its code and message.
    pub fn service(code: impl Into<String>, message: Option<String>, status: u16) -> Error {
        let mut e = Error::new(ErrorKind::Service, String::new());
        e.inner.code = Some(code.into());
        e.inner.message = message;
        e.inner.status = Some(status);
        e
    }
    /// A validation error (nothing was sent).
    pub fn validation(message: impl Into<String>) -> Error {
        Error::new(ErrorKind::Validation, message)
    }
    /// A configuration error.
    pub fn config(message: impl Into<String>) -> Error {
        Error::new(ErrorKind::Config, message)
    }
    /// A response that could not be parsed.
    pub fn response(message: impl Into<String>) -> Error {
        Error::new(ErrorKind::Response, message)
    }
    /// Attaches an underlying cause.
    pub fn with_source(
        mut self,
        source: impl Into<Box<dyn std::error::Error + Send + Sync>>,
    ) -> Error {
        self.inner.source = Some(source.into());
        self
    }
    /// Attaches the request id.
    pub fn with_request_id(mut self, id: Option<String>) -> Error {
        if id.is_some() {
            self.inner.request_id = id;
        }
        self
    }
    /// Attaches the HTTP status.
    pub fn with_status(mut self, status: u16) -> Error {
        self.inner.status = Some(status);
        self
    }
    /// Records how many attempts were made (the first included).
    pub fn with_attempts(mut self, n: u32) -> Error {
        self.inner.attempts = n;
        self
    }
    /// How many attempts were made before this error was returned (0 when nothing was sent).
    pub fn attempts(&self) -> u32 {
        self.inner.attempts
    }
    /// Attaches the operation name.
    pub fn with_operation(mut self, op: &'static str) -> Error {
        self.inner.operation = Some(op);
        self
    }
    /// The kind of failure.
    pub fn kind(&self) -> ErrorKind {
        self.inner.kind
    }
    /// The service's error code, e.g. `InvalidInstanceID.NotFound`.
    pub fn code(&self) -> Option<&str> {
        self.inner.code.as_deref()
    }
    /// The error message.
    pub fn message(&self) -> Option<&str> {
        self.inner.message.as_deref().filter(|m| !m.is_empty())
    }
    /// The request id the service gave.
    pub fn request_id(&self) -> Option<&str> {
        self.inner.request_id.as_deref()
    }
    /// The HTTP status of the response.
    pub fn status(&self) -> Option<u16> {
        self.inner.status
    }
    /// The operation that failed.
    pub fn operation(&self) -> Option<&'static str> {
        self.inner.operation
    }
    /// A waiter error: the last error it received, when the last answer was one.
    pub fn last_error(&self) -> Option<&Error> {
        self.inner
            .source
            .as_deref()
            .and_then(|s| s.downcast_ref::<Error>())
    }
    /// True for a service error with this code.
    pub fn is_code(&self, code: &str) -> bool {
        self.inner.code.as_deref() == Some(code)
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (&self.inner.kind, &self.inner.code) {
            (ErrorKind::Service, Some(code)) => {
                write!(f, "{code}")?;
                if let Some(op) = self.inner.operation {
                    write!(f, " (calling {op})")?;
                }
                if let Some(m) = self.message() {
                    write!(f, ": {m}")?;
                }
                Ok(())
            }
            // A waiter's message says it all (botocore's `WaiterError` text); what made it fail
            // is its source.
            (ErrorKind::Waiter, _) => f.write_str(self.message().unwrap_or("waiter failed")),
            _ => {
                let what = match self.inner.kind {
                    ErrorKind::Service => "service error",
                    ErrorKind::Validation => "invalid input",
                    ErrorKind::Config => "configuration error",
                    ErrorKind::Credentials => "credentials error",
                    ErrorKind::Transport => "transport error",
                    ErrorKind::Timeout => "timeout",
                    ErrorKind::Response => "unreadable response",
                    ErrorKind::Waiter => "waiter failed",
                    ErrorKind::Stub => "stubbed call not expected",
                };
                write!(f, "{what}")?;
                if let Some(op) = self.inner.operation {
                    write!(f, " (calling {op})")?;
                }
                if let Some(m) = self.message() {
                    write!(f, ": {m}")?;
                }
                if let Some(s) = &self.inner.source {
                    write!(f, ": {s}")?;
                }
                Ok(())
            }
        }
    }
}

impl fmt::Debug for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut d = f.debug_struct("Error");
        d.field("kind", &self.inner.kind);
        if let Some(c) = &self.inner.code {
            d.field("code", c);
        }
        if let Some(m) = &self.inner.message {
            d.field("message", m);
        }
        if let Some(r) = &self.inner.request_id {
            d.field("request_id", r);
        }
        if let Some(s) = &self.inner.status {
            d.field("status", s);
        }
        if let Some(o) = &self.inner.operation {
            d.field("operation", o);
        }
        if let Some(m) = &self.inner.modeled {
            d.field("modeled", m);
        }
        if let Some(s) = &self.inner.source {
            d.field("source", s);
        }
        d.finish()
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.inner
            .source
            .as_deref()
            .map(|s| s as &(dyn std::error::Error + 'static))
    }
}

/// Result with [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;
