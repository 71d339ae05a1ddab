//! Waiters (botocore's `Waiter.wait`): poll an operation until an acceptor reaches success or
//! failure, with a fixed delay, driven by a generated [`WaiterSpec`].

use crate::client::{ClientHandle, Output};
use crate::error::{Error, ErrorKind, Result};
use crate::jmespath::{Expr, J};
use crate::schema::Operation;
use crate::value::Structure;
use std::future::{Future, IntoFuture};
use std::marker::PhantomData;
use std::pin::Pin;
use std::time::Duration;

/// What an acceptor's match means.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum State {
    /// Done.
    Success,
    /// Stop with an error.
    Failure,
    /// Try again.
    Retry,
}

/// An expected value of a path matcher.
#[derive(Debug, Clone, Copy)]
pub enum Expected {
    /// A string.
    Str(&'static str),
    /// A boolean.
    Bool(bool),
    /// A number.
    Num(f64),
}

/// How an acceptor looks at a response.
#[derive(Debug)]
pub enum Matcher {
    /// The expression's value equals the expected one (never on an error).
    Path(&'static Expr, Expected),
    /// A non-empty list whose every element equals the expected value.
    PathAll(&'static Expr, Expected),
    /// A non-empty list with an element equal to the expected value.
    PathAny(&'static Expr, Expected),
    /// The HTTP status (errors included).
    Status(u16),
    /// An error with this code.
    ErrorCode(&'static str),
    /// `true`: any error; `false`: no error.
    AnyError(bool),
}

/// One acceptor.
#[derive(Debug)]
pub struct Acceptor {
    /// The state it leads to.
    pub state: State,
    /// What it matches.
    pub matcher: Matcher,
}

/// One waiter of `waiters-2.json`, compiled.
#[derive(Debug)]
pub struct WaiterSpec {
    /// The waiter's name (`InstanceRunning`).
    pub name: &'static str,
    /// The operation polled.
    pub operation: &'static Operation,
    /// Seconds between attempts.
    pub delay: u64,
    /// Attempts in all.
    pub max_attempts: u32,
    /// The acceptors, in order.
    pub acceptors: &'static [Acceptor],
}

/// What an acceptor matched, in botocore's words (`Acceptor.explanation`).
fn explanation(a: &Acceptor) -> String {
    let expected = |e: &Expected| match *e {
        Expected::Str(s) => s.to_string(),
        // Python's `str()` of the model's value.
        Expected::Bool(b) => if b { "True" } else { "False" }.to_string(),
        Expected::Num(n) if n.fract() == 0.0 && n.abs() < 1e15 => format!("{}", n as i64),
        Expected::Num(n) => format!("{n}"),
    };
    match &a.matcher {
        Matcher::Path(p, e) => {
            format!(
                "For expression \"{p}\" we matched expected path: \"{}\"",
                expected(e)
            )
        }
        Matcher::PathAll(p, e) => format!(
            "For expression \"{p}\" all members matched expected path: \"{}\"",
            expected(e)
        ),
        Matcher::PathAny(p, e) => format!(
            "For expression \"{p}\" we matched expected path: \"{}\" at least once",
            expected(e)
        ),
        Matcher::Status(s) => format!("Matched expected HTTP status code: {s}"),
        Matcher::ErrorCode(c) => format!("Matched expected service error code: {c}"),
        Matcher::AnyError(b) => format!(
            "Matched expected service error code: {}",
            if *b { "True" } else { "False" }
        ),
    }
}

fn equals(v: &serde_json::Value, e: Expected) -> bool {
    match e {
        Expected::Str(s) => v.as_str() == Some(s),
        Expected::Bool(b) => v.as_bool() == Some(b),
        Expected::Num(n) => v.as_f64() == Some(n),
    }
}

fn list_matches(j: J, e: Expected, all: bool) -> bool {
    match j.to_json() {
        serde_json::Value::Array(items) if !items.is_empty() => {
            if all {
                items.iter().all(|v| equals(v, e))
            } else {
                items.iter().any(|v| equals(v, e))
            }
        }
        _ => false,
    }
}

/// True when `matcher` accepts the response: an output with its status, or a service error.
pub fn matches(
    matcher: &Matcher,
    resp: std::result::Result<(Option<&dyn Structure>, u16), &Error>,
) -> bool {
    match (matcher, resp) {
        (Matcher::Path(e, x), Ok((Some(o), _))) => equals(&e.search(o).to_json(), *x),
        (Matcher::PathAll(e, x), Ok((Some(o), _))) => list_matches(e.search(o), *x, true),
        (Matcher::PathAny(e, x), Ok((Some(o), _))) => list_matches(e.search(o), *x, false),
        (Matcher::Status(s), Ok((_, status))) => *s == status,
        (Matcher::Status(s), Err(err)) => err.status() == Some(*s),
        (Matcher::ErrorCode(c), Err(err)) => err.code() == Some(*c),
        (Matcher::AnyError(true), Err(err)) => err.code().is_some(),
        (Matcher::AnyError(false), Ok(_)) => true,
        _ => false,
    }
}

/// A waiter for one operation: set [`delay`](Self::delay) and
/// [`max_attempts`](Self::max_attempts) if the model's do not suit, then `.await` it.
#[must_use = "a waiter does nothing until awaited"]
pub struct Waiter<I, O> {
    handle: ClientHandle,
    spec: &'static WaiterSpec,
    input: I,
    delay: Duration,
    max_attempts: u32,
    /// An error found while building the waiter, returned when it is awaited.
    error: Option<Error>,
    _output: PhantomData<fn() -> O>,
}

impl<I, O> std::fmt::Debug for Waiter<I, O> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Waiter")
            .field("name", &self.spec.name)
            .field("delay", &self.delay)
            .field("max_attempts", &self.max_attempts)
            .finish()
    }
}

impl<I, O> Waiter<I, O>
where
    I: Structure + Clone + 'static,
    O: Output,
{
    /// A waiter polling `spec.operation` with `input` (used by generated `wait_until_*` methods).
    pub fn new(handle: ClientHandle, spec: &'static WaiterSpec, input: I) -> Self {
        Waiter {
            handle,
            spec,
            input,
            delay: Duration::from_secs(spec.delay),
            max_attempts: spec.max_attempts,
            error: None,
            _output: PhantomData,
        }
    }
    /// A waiter that fails with `e` when awaited, without sending anything (a resource waiter
    /// whose parameters could not be filled).
    pub fn fail_with(mut self, e: Error) -> Self {
        self.error = Some(e);
        self
    }
    /// Time between attempts (`WaiterConfig.Delay`).
    pub fn delay(mut self, d: Duration) -> Self {
        self.delay = d;
        self
    }
    /// Attempts in all (`WaiterConfig.MaxAttempts`).
    pub fn max_attempts(mut self, n: u32) -> Self {
        self.max_attempts = n;
        self
    }

    async fn run(mut self) -> Result<O> {
        if let Some(e) = self.error.take() {
            return Err(e);
        }
        let spec = self.spec;
        // botocore's `WaiterError` text.
        let fail = |reason: String| {
            Error::new(
                ErrorKind::Waiter,
                format!("Waiter {} failed: {reason}", spec.name),
            )
            .with_operation(spec.operation.name)
        };
        // The status of a successful answer: the operation's modeled one, else 200.
        let ok_status = spec.operation.response_code.unwrap_or(200);
        let mut state = State::Retry;
        let mut matched: Option<&Acceptor> = None;
        let mut attempts = 0;
        loop {
            let mut result: Result<O> = self.handle.send(spec.operation, self.input.clone()).await;
            attempts += 1;
            let result_is_foreign = matches!(&result, Err(e) if e.kind() != ErrorKind::Service);
            if result_is_foreign {
                // Not an answer from the service (invalid input, no connection): returned as it
                // is, as botocore re-raises anything but a ClientError.
                return result;
            }
            let view = match &mut result {
                Ok(o) => Ok((o.as_output().map(|s| &*s), ok_status)),
                Err(e) => Err(&*e),
            };
            match spec.acceptors.iter().find(|a| matches(&a.matcher, view)) {
                Some(a) => {
                    state = a.state;
                    matched = Some(a);
                }
                None => {
                    if let Err(e) = result {
                        return Err(fail(format!(
                            "An error occurred ({}): {}",
                            e.code().unwrap_or("Unknown"),
                            e.message().unwrap_or("Unknown")
                        ))
                        .with_source(e));
                    }
                }
            }
            let with_last = |err: Error, result: Result<O>| match result {
                Ok(o) => match Box::new(o).into_structure() {
                    Some(s) => err.with_last_response(s),
                    None => err,
                },
                Err(e) => err.with_source(e),
            };
            match (state, matched) {
                (State::Success, _) => return Ok(result.unwrap_or_default()),
                (State::Failure, Some(a)) => {
                    let reason = format!(
                        "Waiter encountered a terminal failure state: {}",
                        explanation(a)
                    );
                    return Err(with_last(fail(reason), result));
                }
                _ => {}
            }
            if attempts >= self.max_attempts {
                let reason = match matched {
                    Some(a) => format!(
                        "Max attempts exceeded. Previously accepted state: {}",
                        explanation(a)
                    ),
                    None => "Max attempts exceeded".to_string(),
                };
                return Err(with_last(fail(reason), result));
            }
            tokio::time::sleep(self.delay).await;
        }
    }
}

impl<I, O> IntoFuture for Waiter<I, O>
where
    I: Structure + Clone + 'static,
    O: Output,
{
    type Output = Result<O>;
    type IntoFuture = Pin<Box<dyn Future<Output = Result<O>> + Send>>;
    fn into_future(self) -> Self::IntoFuture {
        Box::pin(self.run())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn error_matchers() {
        let err = Error::service("ResourceNotFoundException", None, 400);
        let not_a_service_error_code = Error::service("404", Some("Not Found".into()), 404);
        assert!(matches(
            &Matcher::ErrorCode("ResourceNotFoundException"),
            Err(&err)
        ));
        assert!(!matches(&Matcher::ErrorCode("Other"), Err(&err)));
        assert!(matches(&Matcher::AnyError(true), Err(&err)));
        assert!(!matches(&Matcher::AnyError(false), Err(&err)));
        assert!(matches(
            &Matcher::Status(404),
            Err(&not_a_service_error_code)
        ));
        assert!(!matches(&Matcher::Status(200), Err(&err)));
        assert!(matches(&Matcher::AnyError(false), Ok((None, 200))));
        assert!(!matches(&Matcher::AnyError(true), Ok((None, 200))));
        assert!(matches(&Matcher::Status(204), Ok((None, 204))));
        static NAME: Expr = Expr::Field("Name");
        assert!(!matches(
            &Matcher::Path(&NAME, Expected::Str("x")),
            Ok((None, 200))
        ));
        assert!(
            !matches(&Matcher::Path(&NAME, Expected::Str("x")), Err(&err)),
            "never on errors"
        );
    }
}
