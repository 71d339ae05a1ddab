//! `Stubber`: canned responses for a client, as botocore's `Stubber`, for unit tests without a
//! server.
//!
//! A client built with [`ClientBuilder::stubber`](crate::ClientBuilder::stubber) answers every
//! call from its stubber's queue instead of the network: each call takes the next queued
//! response, after its input has been validated (so an invalid input fails as it would for real)
//! and before any endpoint, credential or connection is looked at. Paginators, waiters, resources
//! and collections go through the client, so they are stubbed too; presigning never calls, and
//! works as on any client.
//!
//! ```text
//! let stubber = Stubber::new();
//! let client = ec2::Client::builder(&session).stubber(&stubber).build();
//! stubber.add_response("DescribeRegions", DescribeRegionsResult { .. });
//! stubber.add_client_error("DescribeInstances", StubError::new("InvalidInstanceID.NotFound", "gone"));
//! // ... the code under test calls the client ...
//! stubber.assert_no_pending_responses();
//! ```
//!
//! The README has the whole example, as a test module.

use crate::error::{Error, ErrorKind, Result};
use crate::schema::{Operation, Service};
use crate::serde_form::AsSerde;
use crate::value::{copy_struct, Structure};
use serde_json::Value as Json;
use std::collections::VecDeque;
use std::sync::{Arc, Mutex};

/// A queue of canned responses that stubbed clients answer from, in order. Cloning gives another
/// handle on the same queue.
#[derive(Clone, Default)]
pub struct Stubber {
    queue: Arc<Mutex<VecDeque<Stub>>>,
}

impl std::fmt::Debug for Stubber {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let ops: Vec<String> = self.lock().iter().map(|s| s.operation.clone()).collect();
        f.debug_struct("Stubber").field("pending", &ops).finish()
    }
}

/// One queued response.
struct Stub {
    /// The operation it answers, as given (`DescribeRegions` or `describe_regions`).
    operation: String,
    answer: Answer,
    /// The input the call must have (its serde form), if one was given.
    expected: Option<Json>,
}

enum Answer {
    Output(Box<dyn Structure>),
    /// For an operation without output.
    Unit,
    Error(StubError),
}

/// A queued service error: what `add_client_error` makes the call fail with.
#[derive(Debug, Clone)]
pub struct StubError {
    /// The error code (`InvalidInstanceID.NotFound`, `NoSuchBucket`).
    pub code: String,
    /// The message.
    pub message: String,
    /// The HTTP status (400 by default).
    pub status: u16,
    /// The modeled error's members, in the serde form (`{"Message": "...", "Reason": "..."}`),
    /// set on the modeled error the code names, when the service has one.
    pub modeled_fields: Option<Json>,
}

impl StubError {
    /// An error with `code` and `message`, HTTP status 400.
    pub fn new(code: impl Into<String>, message: impl Into<String>) -> StubError {
        StubError {
            code: code.into(),
            message: message.into(),
            status: 400,
            modeled_fields: None,
        }
    }
    /// Sets the HTTP status.
    pub fn status(mut self, status: u16) -> StubError {
        self.status = status;
        self
    }
    /// Sets the modeled error's members, in the serde form.
    pub fn modeled_fields(mut self, fields: Json) -> StubError {
        self.modeled_fields = Some(fields);
        self
    }
}

impl Stubber {
    /// An empty stubber.
    pub fn new() -> Stubber {
        Stubber::default()
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, VecDeque<Stub>> {
        // A test that panicked while holding the lock leaves a usable queue.
        self.queue.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn push(&self, operation: &str, answer: Answer, expected: Option<&dyn Structure>) {
        let expected = expected.map(input_form);
        self.lock().push_back(Stub {
            operation: operation.to_string(),
            answer,
            expected,
        });
    }

    /// Queues `output` as the answer to the next call, which must be `operation` (the model's
    /// name, `DescribeRegions`, or the method's, `describe_regions`).
    pub fn add_response<O: Structure>(&self, operation: &str, output: O) {
        self.push(operation, Answer::Output(Box::new(output)), None);
    }

    /// [`add_response`](Self::add_response), for a call that must also have exactly `input`, as
    /// the caller gives it (before the client fills in defaults and idempotency tokens).
    pub fn add_response_expecting<O: Structure, I: Structure>(
        &self,
        operation: &str,
        output: O,
        input: &I,
    ) {
        self.push(operation, Answer::Output(Box::new(output)), Some(input));
    }

    /// Queues success for an operation without output (`DeleteBucket`).
    pub fn add_empty_response(&self, operation: &str) {
        self.push(operation, Answer::Unit, None);
    }

    /// [`add_empty_response`](Self::add_empty_response), for a call that must have exactly `input`.
    pub fn add_empty_response_expecting<I: Structure>(&self, operation: &str, input: &I) {
        self.push(operation, Answer::Unit, Some(input));
    }

    /// Queues a service error as the answer to the next call, which must be `operation`.
    pub fn add_client_error(&self, operation: &str, error: StubError) {
        self.push(operation, Answer::Error(error), None);
    }

    /// [`add_client_error`](Self::add_client_error), for a call that must have exactly `input`.
    pub fn add_client_error_expecting<I: Structure>(
        &self,
        operation: &str,
        error: StubError,
        input: &I,
    ) {
        self.push(operation, Answer::Error(error), Some(input));
    }

    /// The operations still queued, in order.
    pub fn pending(&self) -> Vec<String> {
        self.lock().iter().map(|s| s.operation.clone()).collect()
    }

    /// Panics, naming what is left, unless every queued response has been taken.
    #[track_caller]
    pub fn assert_no_pending_responses(&self) {
        let pending = self.pending();
        assert!(
            pending.is_empty(),
            "{} stubbed response(s) not used: {}",
            pending.len(),
            pending.join(", ")
        );
    }

    /// Answers a call of `op` whose input was `given` (its serde form) from the queue: fills
    /// `out`, or returns the queued error (or the error of an unexpected call).
    pub(crate) fn answer(
        &self,
        svc: &Service,
        op: &Operation,
        given: Option<Json>,
        out: Option<&mut dyn Structure>,
    ) -> Result<()> {
        let stub = {
            let mut queue = self.lock();
            match queue.front() {
                None => {
                    return Err(stub_error(format!(
                        "unexpected call of {}: no stubbed response is queued",
                        op.name
                    )))
                }
                Some(s) if !same_operation(&s.operation, op.name) => {
                    return Err(stub_error(format!(
                        "unexpected call of {}: the next stubbed response is for {}",
                        op.name, s.operation
                    )))
                }
                // A call with another input than the expected one leaves the response queued,
                // as botocore's does.
                Some(s) => {
                    if let Some(expected) = &s.expected {
                        let actual = given.unwrap_or(Json::Object(Default::default()));
                        let mut diffs = Vec::new();
                        diff_input("", expected, &actual, &mut diffs);
                        if !diffs.is_empty() {
                            return Err(stub_error(format!(
                                "{} was called with an input other than the stubbed one: {}",
                                op.name,
                                diffs.join("; ")
                            )));
                        }
                    }
                }
            }
            queue.pop_front().expect("checked above")
        };
        match stub.answer {
            Answer::Output(queued) => match out {
                Some(out) if std::ptr::eq(out.shape(), queued.shape()) => {
                    copy_struct(&*queued, out);
                    Ok(())
                }
                Some(out) => Err(stub_error(format!(
                    "the stubbed response for {} is a {}, but the operation returns a {}",
                    op.name,
                    queued.shape().name,
                    out.shape().name
                ))),
                None => Err(stub_error(format!(
                    "the stubbed response for {} is a {}, but the operation has no output",
                    op.name,
                    queued.shape().name
                ))),
            },
            // An operation with an output gets an empty one, as from an empty answer.
            Answer::Unit => Ok(()),
            Answer::Error(e) => Err(service_error(svc, op, e)),
        }
    }
}

/// True when `given` names `op` (`DescribeRegions` or `describe_regions`).
fn same_operation(given: &str, op: &str) -> bool {
    given == op
        || given
            .chars()
            .filter(|c| *c != '_')
            .map(|c| c.to_ascii_lowercase())
            .eq(op.chars().map(|c| c.to_ascii_lowercase()))
}

fn stub_error(message: String) -> Error {
    Error::new(ErrorKind::Stub, message)
}

/// An input in the serde form, to compare.
pub(crate) fn input_form(s: &dyn Structure) -> Json {
    serde_json::to_value(AsSerde(s)).unwrap_or(Json::Null)
}

/// The members where `actual` differs from `expected`, with their paths.
fn diff_input(path: &str, expected: &Json, actual: &Json, out: &mut Vec<String>) {
    let at = |k: &str| {
        if path.is_empty() {
            k.to_string()
        } else {
            format!("{path}.{k}")
        }
    };
    match (expected, actual) {
        (Json::Object(e), Json::Object(a)) => {
            for (k, ev) in e {
                match a.get(k) {
                    Some(av) => diff_input(&at(k), ev, av, out),
                    None => out.push(format!("`{}` expected {ev}, not set", at(k))),
                }
            }
            for (k, av) in a {
                if !e.contains_key(k) {
                    out.push(format!("`{}` not expected, set to {av}", at(k)));
                }
            }
        }
        (Json::Array(e), Json::Array(a)) if e.len() == a.len() => {
            for (i, (ev, av)) in e.iter().zip(a).enumerate() {
                diff_input(&format!("{path}[{i}]"), ev, av, out);
            }
        }
        _ if expected == actual => {}
        _ => out.push(format!("`{path}` expected {expected}, got {actual}")),
    }
}

/// The service error a queued [`StubError`] stands for, with its modeled error when the code
/// names one.
fn service_error(svc: &Service, op: &Operation, e: StubError) -> Error {
    let mut err = Error::service(e.code.clone(), Some(e.message.clone()), e.status);
    if let Some(mut modeled) = crate::protocol::errors::modeled_error(svc, op, &e.code) {
        if let Some(fields) = &e.modeled_fields {
            if let Err(why) = crate::serde_form::deserialize_structure(&mut *modeled, fields) {
                return stub_error(format!(
                    "the stubbed error {}'s modeled fields do not fit {}: {why}",
                    e.code,
                    modeled.shape().name
                ));
            }
        }
        let shape = modeled.shape();
        if let Some(i) = shape
            .members
            .iter()
            .position(|m| m.name.eq_ignore_ascii_case("message"))
        {
            let field = modeled.field_mut(i);
            if matches!(field.get(), crate::ValueRef::Null) {
                let _ = field.set(crate::value::Scalar::Str(e.message.clone()));
            }
        }
        err = err.with_modeled(modeled);
    } else if e.modeled_fields.is_some() {
        // Fields with nowhere to go would be lost: say so instead.
        return stub_error(format!(
            "the stubbed error {} has modeled fields, but it is not a modeled error of {}",
            e.code, op.name
        ));
    }
    err
}
