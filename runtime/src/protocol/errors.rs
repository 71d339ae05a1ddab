//! Reading error responses, shared by the codecs: which modeled error a code names, the code and
//! message rules of JSON errors (json, rest-json), and XML `<Error>` bodies (query, ec2, rest-xml).

use crate::error::{Error, Result};
use crate::http::{status_text, HttpResponse};
use crate::schema::{Operation, Service};
use crate::value::{construct_empty, Structure};
use crate::wire::json;
use crate::wire::text::snippet;
use crate::wire::xml;
use serde_json::Value as Json;

/// An empty value of the modeled error whose code is `code` (the operation's errors first, then
/// the service's), to be filled by the parser.
pub fn modeled_error(svc: &Service, op: &Operation, code: &str) -> Option<Box<dyn Structure>> {
    let shape = op
        .errors
        .iter()
        .chain(svc.errors.iter())
        .find(|s| s.error_code() == Some(code))?;
    construct_empty(shape)
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
    let mut message = text("message")
        .or_else(|| text("Message"))
        .or_else(|| text("errorMessage"))
        .unwrap_or("")
        .to_string();
    // botocore's `_map_oauth2_errors`: SSO OIDC answers with OAuth2 errors, whose message is
    // `error_description` when the body has no (non-empty) message of its own.
    if message.is_empty() && svc.name == "sso_oidc" {
        message = text("error_description").unwrap_or("").to_string();
    }
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

/// An error of the JSON-bodied RPC protocols (json, smithy-rpc-v2-cbor, whose body arrives here
/// in its JSON form): code and message as [`error_code_and_message`] reads them, and the modeled
/// error's members from the body.
pub fn rpc_error(svc: &Service, op: &Operation, resp: &HttpResponse, body: &Json) -> Error {
    let (code, message) = error_code_and_message(svc, resp, body, false);
    let err = Error::service(code.as_str(), Some(message), resp.status);
    match modeled_error(svc, op, &code) {
        Some(mut modeled) => match json::read_struct(body, &mut *modeled, false) {
            Ok(()) => err.with_modeled(modeled),
            Err(bad) => err.with_source(bad),
        },
        None => err,
    }
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

/// Parses an error response: ec2's `<Response><Errors><Error>` or query's `<ErrorResponse><Error>`;
/// a code that names one of the service's errors also fills that modeled error.
pub fn xml_error(svc: &Service, op: &Operation, resp: &HttpResponse) -> Error {
    let generic = || {
        Error::service(
            resp.status.to_string(),
            Some(status_text(resp.status).to_string()),
            resp.status,
        )
    };
    if resp.body.iter().all(|b| b.is_ascii_whitespace()) {
        return generic();
    }
    // A body that is not an AWS error (a proxy's HTML page, plain text) is named by the HTTP
    // status, as botocore does; why it could not be read is kept as the source.
    match parse_error_body(svc, op, resp) {
        Ok(Some(e)) => e,
        Ok(None) => generic().with_source(Error::response(format!(
            "error response without an <Error> element: {}",
            snippet(&resp.body)
        ))),
        Err(e) => generic().with_source(e),
    }
}

fn parse_error_body(svc: &Service, op: &Operation, resp: &HttpResponse) -> Result<Option<Error>> {
    let body = &resp.body[..];
    let range = match xml::find_element(body, &["Errors", "Error"])? {
        Some(r) => Some(r),
        None => xml::find_element(body, &["Error"])?,
    };
    let mut request_id = None;
    let mut r = xml::Reader::new(body)?;
    let root = r.root()?;
    let root_is_error = root.name() == b"Error";
    r.children(&root, |r, c| {
        if c.name() == b"RequestID" || c.name() == b"RequestId" {
            request_id = Some(r.text(&c)?);
            Ok(())
        } else {
            r.skip(&c)
        }
    })?;
    let (from, to) = match range {
        Some(range) => range,
        None if root_is_error => (0, body.len()),
        None => return Ok(None),
    };
    let error_xml = &body[from..to];
    let mut code = String::new();
    let mut message = None;
    let mut r = xml::Reader::new(error_xml)?;
    let e = r.root()?;
    r.children(&e, |r, c| {
        match c.name() {
            b"Code" => code = r.text(&c)?,
            b"Message" => message = Some(r.text(&c)?),
            _ => r.skip(&c)?,
        }
        Ok(())
    })?;
    if code.is_empty() {
        // No code in the body: the status stands in for it, as for bodiless errors.
        code = resp.status.to_string();
    }
    let err = Error::service(code.as_str(), message, resp.status).with_request_id(request_id);
    Ok(Some(match modeled_error(svc, op, &code) {
        Some(mut modeled) => {
            let mut r = xml::Reader::new(error_xml)?;
            let e = r.root()?;
            match xml::read_struct(&mut r, &e, &mut *modeled) {
                Ok(()) => err.with_modeled(modeled),
                // The code and message still stand; why the members could not be read is attached.
                Err(bad) => err.with_source(bad),
            }
        }
        None => err,
    }))
}
