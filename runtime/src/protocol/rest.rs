//! The REST protocols (rest-json, rest-xml): members bound to the URI, query string, headers and
//! status code, and a body that is either one payload member or the remaining members.

use crate::error::{Error, Result};
use crate::events::attach_in_memory;
use crate::http::{HttpRequest, HttpResponse};
use crate::protocol::errors::{error_body, error_code_and_message, modeled_error, xml_error};
use crate::schema::{flags, Kind, Location, Member, Operation, Service, TimestampFormat};
use crate::stream::ByteStream;
use crate::value::{Scalar, Structure, Value, ValueRef};
use crate::wire::json;
use crate::wire::percent::{encode_into, PATH, UNRESERVED};
use crate::wire::text::{parse_scalar, scalar_text, set_scalar};
use crate::wire::xml;
use base64::Engine;

/// Which body format a REST service uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Body {
    /// rest-json.
    Json,
    /// rest-xml.
    Xml,
}

/// The parts of a request besides the method: path and query, headers, body, streaming body.
pub struct Serialized {
    /// The request.
    pub request: HttpRequest,
    /// A streaming payload that is not in memory (sent as the body instead of `request.body`).
    pub stream: Option<ByteStream>,
}

/// Serialises `input` for a REST protocol.
pub fn serialize(
    svc: &Service,
    op: &Operation,
    input: Option<&dyn Structure>,
    body: Body,
) -> Result<Serialized> {
    let _ = svc;
    let mut headers: Vec<(String, String)> = Vec::new();
    let Some(input) = input else {
        return Ok(Serialized {
            request: HttpRequest {
                method: op.method.to_string(),
                url: op.request_uri.to_string(),
                headers,
                body: Default::default(),
            },
            stream: None,
        });
    };
    let shape = input.shape();
    let url = render_uri(op, input)?;
    for (i, m) in shape.members.iter().enumerate() {
        let v = input.field(i).get();
        if let ValueRef::Null = v {
            continue;
        }
        match m.location {
            Location::Header => {
                if let Some(value) = header_value(m, v)? {
                    check_header(m.name, None, m.wire_name(), &value)?;
                    headers.push((m.wire_name().to_string(), value));
                }
            }
            Location::Headers => {
                if let ValueRef::Map(map) = v {
                    for (k, v) in map.entries() {
                        if let ValueRef::Str(s) = v.get() {
                            let name = format!("{}{k}", m.wire_name());
                            check_header(m.name, Some(k), &name, s)?;
                            headers.push((name, s.to_string()));
                        }
                    }
                }
            }
            _ => {}
        }
    }
    let mut out = bytes::Bytes::new();
    let mut stream = None;
    let mut content_type = None;
    match shape.payload.and_then(|p| shape.member_index(p)) {
        Some(pi) => {
            let m = &shape.members[pi];
            let v = input.field(pi).get();
            match (m.target.kind, v) {
                (_, ValueRef::Null) => {
                    if body == Body::Json && !matches!(m.target.kind, Kind::Blob | Kind::String) {
                        out = bytes::Bytes::from_static(b"{}");
                        content_type = Some("application/json");
                    }
                }
                (_, ValueRef::Blob(b)) => out = bytes::Bytes::copy_from_slice(b),
                (_, ValueRef::Str(s)) => out = bytes::Bytes::copy_from_slice(s.as_bytes()),
                // A body in memory is shared, not copied.
                (_, ValueRef::Stream(s)) => match s.as_bytes() {
                    Some(b) => out = b.clone(),
                    None => stream = Some(s.clone()),
                },
                (_, ValueRef::Document(d)) => {
                    let mut s = String::new();
                    json::write_document(&mut s, d, 0)?;
                    out = s.into_bytes().into();
                    content_type = Some("application/json");
                }
                (_, ValueRef::Struct(s)) => match body {
                    Body::Json => {
                        let mut text = String::new();
                        json::write_struct(&mut text, s, false)?;
                        out = text.into_bytes().into();
                        content_type = Some("application/json");
                    }
                    Body::Xml => {
                        let mut w = xml::Writer::default();
                        let name = m.location_name.or(m.target.xml_name).unwrap_or(m.name);
                        let ns = m.xml_namespace.or(m.target.xml_namespace);
                        w.write_struct(name, ns, s, false)?;
                        out = w.finish().into();
                    }
                },
                (_, other) => {
                    return Err(Error::validation(format!(
                        "{}: unexpected {other:?} as the request payload",
                        m.name
                    )))
                }
            }
        }
        None => {
            let has_body_members = shape.members.iter().any(|m| m.location == Location::Body);
            let any_set = shape.members.iter().enumerate().any(|(i, m)| {
                m.location == Location::Body && !matches!(input.field(i).get(), ValueRef::Null)
            });
            match body {
                Body::Json if has_body_members => {
                    let mut text = String::new();
                    json::write_struct(&mut text, input, true)?;
                    out = text.into_bytes().into();
                    content_type = Some("application/json");
                }
                Body::Xml if any_set => {
                    let mut w = xml::Writer::default();
                    let name = op.input_xml_name.or(shape.xml_name).unwrap_or(shape.name);
                    let ns = op.input_xml_namespace.or(shape.xml_namespace);
                    w.write_struct(name, ns, input, true)?;
                    out = w.finish().into();
                }
                _ => {}
            }
        }
    }
    if let Some(ct) = content_type {
        if body == Body::Json
            && !headers
                .iter()
                .any(|(k, _)| k.eq_ignore_ascii_case("content-type"))
        {
            headers.push(("Content-Type".into(), ct.into()));
        }
    }
    Ok(Serialized {
        request: HttpRequest {
            method: op.method.to_string(),
            url,
            headers,
            body: out,
        },
        stream,
    })
}

/// The request path and query: URI labels filled in (`{Key+}` keeps its `/`), then the
/// template's own query, then query-string members (named members win over map entries).
fn render_uri(op: &Operation, input: &dyn Structure) -> Result<String> {
    let shape = input.shape();
    let (path_t, query_t) = match op.request_uri.split_once('?') {
        Some((p, q)) => (p, Some(q)),
        None => (op.request_uri, None),
    };
    let mut url = String::with_capacity(path_t.len() + 32);
    let mut rest = path_t;
    while let Some(start) = rest.find('{') {
        url.push_str(&rest[..start]);
        let end = rest[start..]
            .find('}')
            .map(|e| start + e)
            .ok_or_else(|| Error::config(format!("malformed URI template {:?}", op.request_uri)))?;
        let label = &rest[start + 1..end];
        let (name, greedy) = match label.strip_suffix('+') {
            Some(n) => (n, true),
            None => (label, false),
        };
        let idx = shape
            .members
            .iter()
            .position(|m| m.location == Location::Uri && m.wire_name() == name)
            .or_else(|| shape.member_index(name));
        let value = idx.and_then(|i| {
            let m = &shape.members[i];
            scalar_text(m, input.field(i).get(), TimestampFormat::Iso8601)
        });
        let Some(value) = value else {
            return Err(Error::validation(format!(
                "missing required parameter {name:?}: it is part of the request path"
            )));
        };
        if value.is_empty() {
            return Err(Error::validation(format!(
                "invalid value for parameter {name:?}: it must not be empty, because it is part of the request path"
            )));
        }
        encode_into(&mut url, &value, if greedy { PATH } else { UNRESERVED });
        rest = &rest[end + 1..];
    }
    url.push_str(rest);
    let mut query = String::new();
    if let Some(q) = query_t {
        query.push_str(q);
    }
    let named: Vec<&str> = shape
        .members
        .iter()
        .filter(|m| m.location == Location::Querystring && m.target.kind != Kind::Map)
        .map(|m| m.wire_name())
        .collect();
    let mut pair = |k: &str, v: &str| {
        if !query.is_empty() {
            query.push('&');
        }
        encode_into(&mut query, k, UNRESERVED);
        query.push('=');
        encode_into(&mut query, v, UNRESERVED);
    };
    for (i, m) in shape.members.iter().enumerate() {
        if m.location != Location::Querystring {
            continue;
        }
        let v = input.field(i).get();
        match v {
            ValueRef::Null => {}
            ValueRef::List(l) => {
                let item = m.target.list_member().expect("list shape has a member");
                for j in 0..l.len() {
                    if let Some(t) = scalar_text(item, l.get(j).get(), TimestampFormat::Iso8601) {
                        pair(m.wire_name(), &t);
                    }
                }
            }
            ValueRef::Map(map) => {
                let (_, vm) = m.target.map_members().expect("map shape has key and value");
                for (k, v) in map.entries() {
                    if named.contains(&k) {
                        continue;
                    }
                    match v.get() {
                        ValueRef::List(l) => {
                            let item = vm.target.list_member().expect("list shape has a member");
                            for j in 0..l.len() {
                                if let Some(t) =
                                    scalar_text(item, l.get(j).get(), TimestampFormat::Iso8601)
                                {
                                    pair(k, &t);
                                }
                            }
                        }
                        other => {
                            if let Some(t) = scalar_text(vm, other, TimestampFormat::Iso8601) {
                                pair(k, &t);
                            }
                        }
                    }
                }
            }
            other => {
                if let Some(t) = scalar_text(m, other, TimestampFormat::Iso8601) {
                    pair(m.wire_name(), &t);
                }
            }
        }
    }
    if !query.is_empty() {
        url.push('?');
        url.push_str(&query);
    }
    Ok(url)
}

/// A header must be a token name and a value of printable ASCII (S3 metadata included, as
/// botocore requires); the error names the member (and map key) that would break the request.
fn check_header(member: &str, key: Option<&str>, name: &str, value: &str) -> Result<()> {
    let what = match key {
        Some(k) => format!("{member}[{k:?}]"),
        None => member.to_string(),
    };
    let token = |c: u8| c.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&c);
    if name.is_empty() || !name.bytes().all(token) {
        return Err(Error::validation(format!(
            "{what}: {name:?} cannot be an HTTP header name (letters, digits and !#$%&'*+-.^_`|~ only)"
        )));
    }
    if let Some(c) = value
        .chars()
        .find(|&c| !(c == '\t' || (' '..='~').contains(&c)))
    {
        return Err(Error::validation(format!(
            "{what}: the value cannot be sent in an HTTP header: it holds {c:?} (only printable ASCII is allowed)"
        )));
    }
    Ok(())
}

/// A header member's value: lists joined with `,` (strings quoted when they hold `,` or `"`),
/// timestamps as HTTP dates, JSON values base64-encoded.
fn header_value(m: &Member, v: ValueRef) -> Result<Option<String>> {
    Ok(match v {
        ValueRef::List(l) => {
            if l.is_empty() {
                return Ok(None);
            }
            let item = m.target.list_member().expect("list shape has a member");
            let mut parts = Vec::with_capacity(l.len());
            for j in 0..l.len() {
                match l.get(j).get() {
                    ValueRef::Str(s) if s.contains(',') || s.contains('"') => {
                        parts.push(format!("\"{}\"", s.replace('"', "\\\"")))
                    }
                    other => {
                        if let Some(t) = scalar_text(item, other, TimestampFormat::Rfc822) {
                            parts.push(t)
                        }
                    }
                }
            }
            Some(parts.join(","))
        }
        ValueRef::Str(s) if m.has(flags::JSONVALUE) || m.target.has(flags::JSONVALUE) => {
            // Sent compact, as botocore does; text that is not JSON is sent as given.
            let text = serde_json::from_str::<serde_json::Value>(s)
                .map(|j| j.to_string())
                .unwrap_or_else(|_| s.to_string());
            Some(base64::engine::general_purpose::STANDARD.encode(text))
        }
        other => scalar_text(m, other, TimestampFormat::Rfc822),
    })
}

/// Parses a successful REST response into `out`: status code, headers, then the body (the payload
/// member, or the remaining members).
pub fn parse(
    resp: &HttpResponse,
    out: Option<&mut dyn Structure>,
    body: Body,
) -> Result<Option<String>> {
    if let Some(out) = out {
        read_bindings(resp, out)?;
        read_body(resp, out, body)?;
    }
    Ok(None)
}

/// Fills the members bound to the status code and headers.
pub fn read_bindings(resp: &HttpResponse, out: &mut dyn Structure) -> Result<()> {
    let shape = out.shape();
    for (i, m) in shape.members.iter().enumerate() {
        let res = match m.location {
            Location::StatusCode => out
                .field_mut(i)
                .set(Scalar::Int(i64::from(resp.status)))
                .map_err(|e| Error::response(e.0)),
            Location::Header => match resp.header(m.wire_name()) {
                Some(v) => read_header(out.field_mut(i), m, v).or_else(|e| {
                    // A header that a string member also binds (s3's `Expires` beside
                    // `ExpiresString`, as botocore adds it) is kept there as sent; the typed
                    // member is left unset when the text does not parse, as in botocore.
                    let kept_as_text = shape.members.iter().enumerate().any(|(j, o)| {
                        j != i
                            && o.location == Location::Header
                            && o.target.kind == Kind::String
                            && o.wire_name().eq_ignore_ascii_case(m.wire_name())
                    });
                    if kept_as_text {
                        Ok(())
                    } else {
                        Err(e)
                    }
                }),
                None => Ok(()),
            },
            Location::Headers => {
                // Without a `locationName` the map takes every header, as botocore does.
                let prefix = m.location_name.unwrap_or("");
                let slot = out.field_mut(i);
                // Present even when no header matches (botocore's `{}`).
                slot.ensure_present();
                for (k, v) in &resp.headers {
                    let matches = k
                        .as_str()
                        .get(..prefix.len())
                        .is_some_and(|p| p.eq_ignore_ascii_case(prefix));
                    if matches {
                        if let Some(el) = slot.insert(k[prefix.len()..].to_string()) {
                            el.set(Scalar::Str(v.clone()))
                                .map_err(|e| Error::response(e.0))?;
                        }
                    }
                }
                Ok(())
            }
            _ => Ok(()),
        };
        res.map_err(|e| {
            Error::response(format!(
                "in header {}: {}",
                m.wire_name(),
                e.message().unwrap_or("").trim()
            ))
        })?;
    }
    Ok(())
}

fn read_header(slot: &mut dyn Value, m: &Member, text: &str) -> Result<()> {
    let t = m.target;
    match t.kind {
        Kind::List => {
            let item = t.list_member().expect("list shape has a member");
            slot.ensure_present();
            // HTTP dates hold a comma; only a list of them is split after every second one.
            let http_dates = item.target.kind == Kind::Timestamp
                && matches!(
                    item.timestamp_format(),
                    TimestampFormat::Rfc822 | TimestampFormat::Default
                );
            for part in split_header_list(text, http_dates) {
                let el = slot
                    .push()
                    .ok_or_else(|| Error::response(format!("{} is not a list", t.name)))?;
                read_header(el, item, &part)?;
            }
            Ok(())
        }
        Kind::String if m.has(flags::JSONVALUE) || t.has(flags::JSONVALUE) => {
            let decoded = base64::engine::general_purpose::STANDARD
                .decode(text.trim())
                .map_err(|_| Error::response("invalid base64 JSON value"))?;
            let s = String::from_utf8(decoded)
                .map_err(|_| Error::response("JSON value is not UTF-8"))?;
            slot.set(Scalar::Str(s)).map_err(|e| Error::response(e.0))
        }
        Kind::Timestamp => {
            let f = match m.timestamp_format() {
                TimestampFormat::Default => TimestampFormat::Rfc822,
                f => f,
            };
            let v = parse_scalar(t, f, text)?;
            slot.set(v).map_err(|e| Error::response(e.0))
        }
        Kind::Blob => {
            let v = parse_scalar(t, TimestampFormat::Default, text)?;
            slot.set(v).map_err(|e| Error::response(e.0))
        }
        _ => set_scalar(slot, m, text),
    }
}

/// Splits a list header: commas separate items, double quotes group (with `\"` escapes); HTTP
/// dates, which contain a comma, are split after every second comma.
fn split_header_list(text: &str, dates: bool) -> Vec<String> {
    if dates {
        let parts: Vec<&str> = text.split(',').collect();
        return parts
            .chunks(2)
            .map(|c| c.join(",").trim().to_string())
            .collect();
    }
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut chars = text.chars().peekable();
    let mut quoted = false;
    let mut was_quoted = false;
    while let Some(c) = chars.next() {
        match c {
            '"' if quoted => quoted = false,
            '"' if cur.trim().is_empty() => {
                cur.clear();
                quoted = true;
                was_quoted = true;
            }
            '\\' if quoted => {
                if let Some(n) = chars.next() {
                    cur.push(n);
                }
            }
            ',' if !quoted => {
                out.push(if was_quoted {
                    cur.clone()
                } else {
                    cur.trim().to_string()
                });
                cur.clear();
                was_quoted = false;
            }
            c => {
                if !was_quoted || quoted {
                    cur.push(c);
                }
            }
        }
    }
    out.push(if was_quoted {
        cur
    } else {
        cur.trim().to_string()
    });
    out
}

/// Fills the body members (or the payload member) from the response body.
pub fn read_body(resp: &HttpResponse, out: &mut dyn Structure, body: Body) -> Result<()> {
    let shape = out.shape();
    if let Some(pi) = shape.payload.and_then(|p| shape.member_index(p)) {
        let m = &shape.members[pi];
        if m.target.has(flags::EVENTSTREAM) {
            let reader = match body {
                Body::Json => read_json_event,
                Body::Xml => read_xml_event,
            };
            return attach_in_memory(&resp.body, out, pi, false, reader);
        }
        return match m.target.kind {
            Kind::Blob => {
                if m.is_streaming() {
                    out.field_mut(pi)
                        .set_stream(ByteStream::from(resp.body.clone()))
                        .map_err(|e| Error::response(e.0))
                } else if resp.body.is_empty() {
                    Ok(())
                } else {
                    out.field_mut(pi)
                        .set(Scalar::Blob(resp.body.to_vec()))
                        .map_err(|e| Error::response(e.0))
                }
            }
            Kind::String => {
                if resp.body.is_empty() {
                    return Ok(());
                }
                let s = String::from_utf8(resp.body.to_vec())
                    .map_err(|_| Error::response("the response body is not UTF-8 text"))?;
                out.field_mut(pi)
                    .set(Scalar::Str(s))
                    .map_err(|e| Error::response(e.0))
            }
            Kind::Document => {
                let v = json::parse_body(&resp.body)?;
                out.field_mut(pi)
                    .set_document(json::to_document(&v))
                    .map_err(|e| Error::response(e.0))
            }
            _ if resp.body.iter().all(|b| b.is_ascii_whitespace()) => Ok(()),
            _ => {
                let slot = out.field_mut(pi);
                let s = slot.as_struct_mut().ok_or_else(|| {
                    Error::response(format!("{} is not a structure", m.target.name))
                })?;
                read_struct_body(&resp.body, s, body, false)
            }
        };
    }
    if !shape.members.iter().any(|m| m.location.in_response_body())
        || resp.body.iter().all(|b| b.is_ascii_whitespace())
    {
        return Ok(());
    }
    read_struct_body(&resp.body, out, body, true)
}

/// Fills `s` from a JSON object or the children of an XML root element; with `body_only`,
/// members bound to headers or the status code are left alone.
fn read_struct_body(
    bytes: &[u8],
    s: &mut dyn Structure,
    body: Body,
    body_only: bool,
) -> Result<()> {
    match body {
        Body::Json => json::read_struct(&json::parse_body(bytes)?, s, body_only),
        Body::Xml => {
            let mut r = xml::Reader::new(bytes)?;
            let root = r.root()?;
            xml::read_struct(&mut r, &root, s)
        }
    }
}

/// Reads a rest-json event payload into `s`.
pub fn read_json_event(payload: &[u8], s: &mut dyn Structure) -> Result<()> {
    read_struct_body(payload, s, Body::Json, false)
}

/// Reads a rest-xml event payload into `s`.
pub fn read_xml_event(payload: &[u8], s: &mut dyn Structure) -> Result<()> {
    read_struct_body(payload, s, Body::Xml, false)
}

/// Parses a rest-json error: the code from `x-amzn-errortype`, `code` or `__type`; the modeled
/// error's header and body members.
pub fn parse_json_error(svc: &Service, op: &Operation, resp: &HttpResponse) -> Error {
    let body = error_body(resp);
    let (code, message) = error_code_and_message(svc, resp, &body, true);
    let err = Error::service(code.as_str(), Some(message), resp.status);
    match modeled_error(svc, op, &code) {
        Some(mut modeled) => {
            let res = read_bindings(resp, &mut *modeled)
                .and_then(|_| read_body(resp, &mut *modeled, Body::Json));
            match res {
                Ok(()) => err.with_modeled(modeled),
                Err(bad) => err.with_source(bad),
            }
        }
        None => err,
    }
}

/// Parses a rest-xml error: `<ErrorResponse><Error>` or a root `<Error>` (S3); a body-less error
/// is named by its HTTP status, as botocore does.
pub fn parse_xml_error(svc: &Service, op: &Operation, resp: &HttpResponse) -> Error {
    let mut err = xml_error(svc, op, resp);
    if resp.body.iter().all(|b| b.is_ascii_whitespace()) {
        // HEAD responses carry no body: the error is its status ("404", "Not Found"), modeled
        // as nothing, as botocore reads it (a missing bucket and a missing key look the same, so
        // neither is typed as S3's `NoSuchKey`).
        return err.with_request_id(resp.header("x-amz-request-id").map(str::to_string));
    }
    if let Some(m) = err.modeled_mut() {
        if let Err(bad) = read_bindings(resp, m) {
            return err.with_source(bad);
        }
    }
    err
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn header_lists_split_on_commas_outside_quotes() {
        assert_eq!(split_header_list("a, b,c", false), ["a", "b", "c"]);
        assert_eq!(
            split_header_list(r#""a,b", "quoted \"x\"", plain"#, false),
            ["a,b", "quoted \"x\"", "plain"]
        );
        assert_eq!(
            split_header_list(
                "Mon, 16 Dec 2019 23:48:18 GMT, Tue, 17 Dec 2019 23:48:18 GMT",
                true
            ),
            [
                "Mon, 16 Dec 2019 23:48:18 GMT",
                "Tue, 17 Dec 2019 23:48:18 GMT"
            ]
        );
    }
}
