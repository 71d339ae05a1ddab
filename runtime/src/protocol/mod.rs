//! Protocol codecs: each one serialises any input structure and parses any output, from the schemas.

pub mod query;

use crate::error::{Error, Result};
use crate::http::{HttpRequest, HttpResponse};
use crate::schema::{Operation, Protocol, Service};
use crate::value::Structure;

/// Serialises the input of `op` for the service's protocol; `url` holds the path and query only.
pub fn serialize(
    svc: &Service,
    op: &Operation,
    input: Option<&dyn Structure>,
) -> Result<HttpRequest> {
    match svc.protocol {
        Protocol::Ec2 => query::serialize(svc, op, input, true),
        Protocol::Query => query::serialize(svc, op, input, false),
        p => Err(Error::config(format!(
            "the {p:?} protocol is not supported yet"
        ))),
    }
}

/// Parses a successful response into `out`; returns the request id when the body carries it.
pub fn parse(
    svc: &Service,
    op: &Operation,
    resp: &HttpResponse,
    out: Option<&mut dyn Structure>,
) -> Result<Option<String>> {
    match svc.protocol {
        Protocol::Ec2 => query::parse(op, resp, out, true),
        Protocol::Query => query::parse(op, resp, out, false),
        p => Err(Error::config(format!(
            "the {p:?} protocol is not supported yet"
        ))),
    }
}

/// Parses an error response into an [`Error`] carrying the service's code and message.
pub fn parse_error(svc: &Service, _op: &Operation, resp: &HttpResponse) -> Error {
    match svc.protocol {
        Protocol::Ec2 | Protocol::Query => query::parse_error(resp),
        p => Error::config(format!("the {p:?} protocol is not supported yet")),
    }
}

/// The reason phrase of an HTTP status.
pub fn status_text(status: u16) -> &'static str {
    match status {
        400 => "Bad Request",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        409 => "Conflict",
        412 => "Precondition Failed",
        413 => "Payload Too Large",
        429 => "Too Many Requests",
        500 => "Internal Server Error",
        501 => "Not Implemented",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        504 => "Gateway Timeout",
        _ => "",
    }
}
