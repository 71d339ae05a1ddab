//! The AWS JSON 1.0 and 1.1 protocols: `POST /` with `X-Amz-Target` and a JSON body.

use crate::error::{Error, Result};
use crate::http::{HttpRequest, HttpResponse};
use crate::json;
use crate::schema::{Operation, Service};
use crate::value::Structure;
use serde_json::Value as Json;

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
    if let Some(out) = out {
        if let Some(i) = crate::eventstream::stream_member(out.shape()) {
            let reader = |payload: &[u8], s: &mut dyn Structure| {
                json::read_struct(&json::parse_body(payload)?, s, false)
            };
            return crate::eventstream::read_events(&resp.body, out, i, true, &reader)
                .map(|_| None);
        }
        let v = json::parse_body(&resp.body)?;
        json::read_struct(&v, out, false)?;
    }
    Ok(None)
}

/// The error code and message of a JSON error response, as botocore reads them: the code from
/// `__type` (json) or `x-amzn-errortype`, `code` and `__type` (rest-json), namespaces (`ns#`) and
/// `:`-suffixes stripped, else the HTTP status; for `awsQueryCompatible` services the query code
/// from `x-amzn-query-error`.
pub fn error_code_and_message(
    svc: &Service,
    resp: &HttpResponse,
    body: &Json,
    rest: bool,
) -> (String, String) {
    let text = |k: &str| body.get(k).and_then(Json::as_str);
    let message = text("message")
        .or_else(|| text("Message"))
        .or_else(|| text("errorMessage"))
        .unwrap_or("")
        .to_string();
    let raw = if rest {
        resp.header("x-amzn-errortype")
            .or_else(|| text("code"))
            .or_else(|| text("Code"))
            .or_else(|| text("__type"))
    } else {
        text("__type")
            .or_else(|| text("code"))
            .or_else(|| resp.header("x-amzn-errortype"))
    };
    let mut code = match raw {
        Some(c) => clean_code(c).to_string(),
        None => String::new(),
    };
    if code.is_empty() {
        code = resp.status.to_string();
    }
    if svc.query_compatible {
        if let Some(q) = resp.header("x-amzn-query-error") {
            // `Code;Sender`: used only in exactly that form, as botocore does.
            let parts: Vec<&str> = q.split(';').collect();
            if let [c, _kind] = parts[..] {
                if !c.is_empty() {
                    code = c.to_string();
                }
            }
        }
    }
    (code, message)
}

/// `aws.protocoltests#FooError:http://internal.amazon.com/` -> `FooError`.
pub fn clean_code(c: &str) -> &str {
    let c = c.split(':').next().unwrap_or(c);
    c.rsplit('#').next().unwrap_or(c)
}

/// An error response's body as JSON; a body that is not JSON becomes the message, as botocore
/// does.
pub fn error_body(resp: &HttpResponse) -> Json {
    json::parse_body(&resp.body)
        .unwrap_or_else(|_| serde_json::json!({ "message": String::from_utf8_lossy(&resp.body) }))
}

/// Parses a JSON error response: code and message, and the modeled error's members.
pub fn parse_error(svc: &Service, op: &Operation, resp: &HttpResponse) -> Error {
    let body = error_body(resp);
    let (code, message) = error_code_and_message(svc, resp, &body, false);
    let err = Error::service(code.as_str(), Some(message), resp.status);
    match crate::protocol::modeled_error(svc, op, &code) {
        Some(mut modeled) => match json::read_struct(&body, &mut *modeled, false) {
            Ok(()) => err.with_modeled(modeled),
            Err(bad) => err.with_source(bad),
        },
        None => err,
    }
}
