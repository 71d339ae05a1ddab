//! The `smithy-rpc-v2-cbor` protocol: `POST /service/<target prefix>/operation/<operation>` with
//! a CBOR body, `smithy-protocol: rpc-v2-cbor`, and errors named by `__type`.

use crate::error::{Error, Result};
use crate::http::{HttpRequest, HttpResponse};
use crate::protocol::errors::rpc_error;
use crate::schema::{Operation, Service};
use crate::value::Structure;
use crate::wire::cbor;

/// Serialises `input` as a CBOR map (no body when the operation has no input).
pub fn serialize(
    svc: &Service,
    op: &Operation,
    input: Option<&dyn Structure>,
) -> Result<HttpRequest> {
    let mut body = Vec::with_capacity(128);
    if let Some(s) = input {
        cbor::write_struct(&mut body, s)?;
    }
    let streams_events = op.event_stream_output().is_some();
    let media = if streams_events {
        "application/vnd.amazon.eventstream"
    } else {
        "application/cbor"
    };
    let mut headers = vec![
        ("smithy-protocol".to_string(), "rpc-v2-cbor".to_string()),
        ("Accept".to_string(), media.to_string()),
    ];
    if !body.is_empty() {
        headers.push(("Content-Type".to_string(), media.to_string()));
    }
    if svc.query_compatible {
        headers.push(("x-amzn-query-mode".to_string(), "true".to_string()));
    }
    Ok(HttpRequest {
        method: "POST".to_string(),
        url: format!(
            "/service/{}/operation/{}",
            svc.target_prefix.unwrap_or(svc.service_id),
            op.name
        ),
        headers,
        body: body.into(),
    })
}

/// Parses a successful CBOR response into `out` (an empty body leaves it empty).
pub fn parse(resp: &HttpResponse, out: Option<&mut dyn Structure>) -> Result<Option<String>> {
    super::json::parse_with(resp, out, cbor::parse_body, read_event_payload)
}

/// Reads a CBOR event payload (or initial response) into `s`.
pub fn read_event_payload(payload: &[u8], s: &mut dyn Structure) -> Result<()> {
    crate::wire::json::read_struct(&cbor::parse_body(payload)?, s, false)
}

/// Parses a CBOR error response: the code from `__type` (else the status), the message, and the
/// modeled error's members.
pub fn parse_error(svc: &Service, op: &Operation, resp: &HttpResponse) -> Error {
    let body = match cbor::parse_body(&resp.body) {
        Ok(b) => b,
        Err(e) => {
            return Error::service(
                resp.status.to_string(),
                Some(crate::http::status_text(resp.status).to_string()),
                resp.status,
            )
            .with_source(e)
        }
    };
    rpc_error(svc, op, resp, &body)
}
