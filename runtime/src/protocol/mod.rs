//! Protocol codecs: each one serialises any input structure and parses any output, from the schemas.

pub mod cbor;
pub mod errors;
pub mod json;
pub mod query;
pub mod rest;

use crate::error::{Error, Result};
use crate::events::{PayloadReader, PayloadWriter};
use crate::http::{HttpRequest, HttpResponse};
use crate::schema::{Operation, Protocol, Service};
use crate::value::{Structure, ValueRef};

/// Serialises the input of `op` for the service's protocol; `url` holds the path and query only.
pub fn serialize(
    svc: &Service,
    op: &Operation,
    input: Option<&dyn Structure>,
) -> Result<HttpRequest> {
    serialize_streaming(svc, op, input).map(|s| s.request)
}

/// [`serialize`], also returning a streaming payload that is not held in memory.
pub fn serialize_streaming(
    svc: &Service,
    op: &Operation,
    input: Option<&dyn Structure>,
) -> Result<rest::Serialized> {
    let plain = |request| rest::Serialized {
        request,
        stream: None,
    };
    match svc.protocol {
        Protocol::Ec2 => query::serialize(svc, op, input, true).map(plain),
        Protocol::Query => query::serialize(svc, op, input, false).map(plain),
        Protocol::Json => json::serialize(svc, op, input).map(plain),
        Protocol::RestJson => rest::serialize(svc, op, input, rest::Body::Json),
        Protocol::RestXml => rest::serialize(svc, op, input, rest::Body::Xml),
        Protocol::RpcV2Cbor => cbor::serialize(svc, op, input).map(plain),
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
        Protocol::Json => json::parse(resp, out),
        Protocol::RestJson => rest::parse(resp, out, rest::Body::Json),
        Protocol::RestXml => rest::parse(resp, out, rest::Body::Xml),
        Protocol::RpcV2Cbor => cbor::parse(resp, out),
    }
}

/// How the service's protocol reads event payloads, and whether its event streams begin with an
/// initial response (the RPC protocols: json and smithy-rpc-v2-cbor); `None` for protocols without
/// event streams.
pub fn event_reader(svc: &Service) -> Option<(PayloadReader, bool)> {
    match svc.protocol {
        Protocol::Ec2 | Protocol::Query => None,
        Protocol::Json => Some((json::read_event_payload, true)),
        Protocol::RestJson => Some((rest::read_json_event, false)),
        Protocol::RestXml => Some((rest::read_xml_event, false)),
        Protocol::RpcV2Cbor => Some((cbor::read_event_payload, true)),
    }
}

/// How the service's protocol writes input event payloads, and their content type; `None` for
/// protocols whose input event streams are not sent (every model with one is rest-json; the RPC
/// protocols would also need the input's other members sent as an `initial-request` event).
pub fn event_writer(svc: &Service) -> Option<(PayloadWriter, &'static str)> {
    match svc.protocol {
        Protocol::RestJson => Some((json::write_event_payload, "application/json")),
        Protocol::Json
        | Protocol::RpcV2Cbor
        | Protocol::Ec2
        | Protocol::Query
        | Protocol::RestXml => None,
    }
}

/// Parses an error response into an [`Error`] carrying the service's code and message.
pub fn parse_error(svc: &Service, op: &Operation, resp: &HttpResponse) -> Error {
    match svc.protocol {
        Protocol::Ec2 | Protocol::Query => errors::xml_error(svc, op, resp),
        Protocol::Json => json::parse_error(svc, op, resp),
        Protocol::RestJson => rest::parse_json_error(svc, op, resp),
        Protocol::RestXml => rest::parse_xml_error(svc, op, resp),
        Protocol::RpcV2Cbor => cbor::parse_error(svc, op, resp),
    }
}

/// Expands the operation's `endpoint.hostPrefix` with its `hostLabel` members; each label must be
/// a valid host label fragment (letters, digits, `-` and `.`), and nothing is sent otherwise.
pub fn host_prefix(op: &Operation, input: Option<&dyn Structure>) -> Result<Option<String>> {
    let Some(template) = op.host_prefix else {
        return Ok(None);
    };
    let mut out = String::with_capacity(template.len() + 16);
    let mut rest = template;
    while let Some(start) = rest.find('{') {
        out.push_str(&rest[..start]);
        let end = rest[start..].find('}').map(|e| start + e).ok_or_else(|| {
            Error::config(format!("malformed hostPrefix {template:?} in {}", op.name))
        })?;
        let name = &rest[start + 1..end];
        let value = input.and_then(|s| {
            let i = s.shape().member_index(name)?;
            match s.field(i).get() {
                ValueRef::Str(v) => Some(v.to_string()),
                _ => None,
            }
        });
        let value = value.ok_or_else(|| {
            Error::validation(format!(
                "missing required parameter {name:?}: it is part of the host name"
            ))
        })?;
        let ok = !value.is_empty()
            && value
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'.');
        if !ok {
            return Err(Error::validation(format!(
                "invalid value for parameter {name:?}: {value:?} must contain only alphanumeric characters, hyphen, or period, because it is part of the host name"
            )));
        }
        out.push_str(&value);
        rest = &rest[end + 1..];
    }
    out.push_str(rest);
    Ok(Some(out))
}

/// Puts a host prefix in front of the host of `url` (`https://h/p` -> `https://{prefix}h/p`).
pub fn apply_host_prefix(url: &str, prefix: &str) -> String {
    match url.split_once("://") {
        Some((scheme, rest)) => format!("{scheme}://{prefix}{rest}"),
        None => format!("{prefix}{url}"),
    }
}
