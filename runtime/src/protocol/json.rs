//! The AWS JSON 1.0 and 1.1 protocols: `POST /` with `X-Amz-Target` and a JSON body.

use crate::error::{Error, Result};
use crate::events::{attach_in_memory, PayloadReader};
use crate::http::{HttpRequest, HttpResponse};
use crate::protocol::errors::{error_body, rpc_error};
use crate::schema::{Operation, Service};
use crate::value::Structure;
use crate::wire::json;

/// Serialises `input` as a JSON body (`{}` when there is none).
pub fn serialize(
    svc: &Service,
    op: &Operation,
    input: Option<&dyn Structure>,
) -> Result<HttpRequest> {
    let mut body = String::with_capacity(128);
    match input {
        Some(s) => json::write_struct(&mut body, s, false)?,
        None => body.push_str("{}"),
    }
    let mut headers = Vec::with_capacity(3);
    if let Some(prefix) = svc.target_prefix {
        headers.push(("X-Amz-Target".to_string(), format!("{prefix}.{}", op.name)));
    }
    headers.push((
        "Content-Type".to_string(),
        format!(
            "application/x-amz-json-{}",
            svc.json_version.unwrap_or("1.0")
        ),
    ));
    if svc.query_compatible {
        headers.push(("x-amzn-query-mode".to_string(), "true".to_string()));
    }
    Ok(HttpRequest {
        method: op.method.to_string(),
        url: op.request_uri.to_string(),
        headers,
        body: body.into_bytes().into(),
    })
}

/// Parses a successful JSON response into `out`.
pub fn parse(resp: &HttpResponse, out: Option<&mut dyn Structure>) -> Result<Option<String>> {
    parse_with(resp, out, json::parse_body, read_event_payload)
}

/// Writes an input event's payload as JSON.
pub fn write_event_payload(s: &dyn Structure) -> Result<Vec<u8>> {
    let mut body = String::with_capacity(64);
    json::write_struct(&mut body, s, false)?;
    Ok(body.into_bytes())
}

/// Reads a JSON event payload (or initial response) into `s`.
pub fn read_event_payload(payload: &[u8], s: &mut dyn Structure) -> Result<()> {
    json::read_struct(&json::parse_body(payload)?, s, false)
}

/// Parses a successful RPC response into `out`, its body (or each event's payload) decoded into
/// JSON by `decode` (JSON itself, or CBOR); an event stream's initial response and events are
/// read by `read_event`.
pub fn parse_with(
    resp: &HttpResponse,
    out: Option<&mut dyn Structure>,
    decode: fn(&[u8]) -> Result<serde_json::Value>,
    read_event: PayloadReader,
) -> Result<Option<String>> {
    if let Some(out) = out {
        if let Some(i) = out.shape().event_stream_member() {
            return attach_in_memory(&resp.body, out, i, true, read_event).map(|_| None);
        }
        json::read_struct(&decode(&resp.body)?, out, false)?;
    }
    Ok(None)
}

/// Parses a JSON error response: code and message, and the modeled error's members.
pub fn parse_error(svc: &Service, op: &Operation, resp: &HttpResponse) -> Error {
    rpc_error(svc, op, resp, &error_body(resp))
}
