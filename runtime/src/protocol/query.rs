//! Form-encoded request bodies of the query and ec2 protocols, and their XML responses.

use crate::error::{Error, Result};
use crate::http::{HttpRequest, HttpResponse};
use crate::protocol::rest::encode_into;
use crate::schema::{Member, Operation, Service, TimestampFormat};
use crate::value::{Structure, ValueRef};
use crate::xml;
use base64::Engine;

/// Serialises `input` as a `POST /` form body with `Action` and `Version`.
pub fn serialize(
    svc: &Service,
    op: &Operation,
    input: Option<&dyn Structure>,
    ec2: bool,
) -> Result<HttpRequest> {
    let mut w = Form {
        out: String::with_capacity(256),
    };
    w.pair("Action", op.name);
    w.pair("Version", svc.api_version);
    if let Some(s) = input {
        write_struct(&mut w, s, "", ec2)?;
    }
    Ok(HttpRequest {
        method: "POST".into(),
        url: "/".into(),
        headers: vec![(
            "Content-Type".into(),
            "application/x-www-form-urlencoded; charset=utf-8".into(),
        )],
        body: w.out.into_bytes().into(),
    })
}

struct Form {
    out: String,
}

impl Form {
    fn pair(&mut self, k: &str, v: &str) {
        if !self.out.is_empty() {
            self.out.push('&');
        }
        encode_into(&mut self.out, k, b"");
        self.out.push('=');
        encode_into(&mut self.out, v, b"");
    }
}

/// The query name of a member: ec2 uses `queryName`, else the capitalised `locationName`, else the member name.
fn member_name(m: &Member, ec2: bool) -> std::borrow::Cow<'static, str> {
    if ec2 {
        if let Some(q) = m.query_name {
            return q.into();
        }
        if let Some(n) = m.location_name {
            let mut c = n.chars();
            return match c.next() {
                Some(f) => (f.to_uppercase().collect::<String>() + c.as_str()).into(),
                None => "".into(),
            };
        }
        m.name.into()
    } else {
        m.location_name.unwrap_or(m.name).into()
    }
}

fn join(prefix: &str, name: &str) -> String {
    if prefix.is_empty() {
        name.to_string()
    } else {
        format!("{prefix}.{name}")
    }
}

fn write_struct(w: &mut Form, s: &dyn Structure, prefix: &str, ec2: bool) -> Result<()> {
    let shape = s.shape();
    for (i, m) in shape.members.iter().enumerate() {
        let v = s.field(i).get();
        if let ValueRef::Null = v {
            continue;
        }
        let key = join(prefix, &member_name(m, ec2));
        write_value(w, m, v, &key, ec2)?;
    }
    Ok(())
}

fn write_value(w: &mut Form, m: &Member, v: ValueRef, key: &str, ec2: bool) -> Result<()> {
    match v {
        ValueRef::Null => {}
        ValueRef::Str(s) => w.pair(key, s),
        ValueRef::Bool(b) => w.pair(key, if b { "true" } else { "false" }),
        ValueRef::Int(i) => w.pair(key, &i.to_string()),
        ValueRef::Float(f) => w.pair(key, &format_float(f)),
        ValueRef::Timestamp(t) => w.pair(key, &format_timestamp(t, m.timestamp_format())),
        ValueRef::Blob(b) => w.pair(key, &base64::engine::general_purpose::STANDARD.encode(b)),
        ValueRef::Struct(s) => write_struct(w, s, key, ec2)?,
        ValueRef::List(l) => {
            let item = m.target.list_member().expect("list shape has a member");
            if ec2 {
                for i in 0..l.len() {
                    write_value(w, item, l.get(i).get(), &format!("{key}.{}", i + 1), ec2)?;
                }
            } else if l.is_empty() {
                w.pair(key, "");
            } else {
                let base = if m.flattened() {
                    match item.location_name {
                        // A flattened list with a member name replaces the last key segment.
                        Some(n) => match key.rsplit_once('.') {
                            Some((head, _)) => format!("{head}.{n}"),
                            None => n.to_string(),
                        },
                        None => key.to_string(),
                    }
                } else {
                    format!("{key}.{}", item.location_name.unwrap_or("member"))
                };
                for i in 0..l.len() {
                    write_value(w, item, l.get(i).get(), &format!("{base}.{}", i + 1), ec2)?;
                }
            }
        }
        ValueRef::Map(map) => {
            let (km, vm) = m.target.map_members().expect("map shape has key and value");
            let base = if m.flattened() {
                key.to_string()
            } else {
                format!("{key}.entry")
            };
            let kname = km.location_name.unwrap_or("key");
            let vname = vm.location_name.unwrap_or("value");
            for (i, (k, v)) in map.entries().into_iter().enumerate() {
                w.pair(&format!("{base}.{}.{kname}", i + 1), k);
                write_value(w, vm, v.get(), &format!("{base}.{}.{vname}", i + 1), ec2)?;
            }
        }
        ValueRef::Document(_) | ValueRef::Stream(_) => {
            return Err(Error::validation(format!(
                "{key}: documents and streams cannot be sent with the query protocol"
            )))
        }
    }
    Ok(())
}

/// Formats a timestamp for a query body (ISO 8601 unless the member says otherwise).
pub fn format_timestamp(t: crate::DateTime, f: TimestampFormat) -> String {
    match f {
        TimestampFormat::Rfc822 => t.to_http_date(),
        TimestampFormat::UnixTimestamp => t.to_epoch_seconds_string(),
        TimestampFormat::Iso8601 | TimestampFormat::Default => t.to_iso8601(),
    }
}

/// Formats a float the way Python's `repr` does (`1.0`, `0.1`, `1e+20`), with botocore's names for specials.
pub fn format_float(f: f64) -> String {
    if f.is_nan() {
        return "NaN".into();
    }
    if f.is_infinite() {
        return if f > 0.0 {
            "Infinity".into()
        } else {
            "-Infinity".into()
        };
    }
    if f == 0.0 {
        return if f.is_sign_negative() {
            "-0.0".into()
        } else {
            "0.0".into()
        };
    }
    // Shortest round-trip digits and the decimal exponent.
    let sci = format!("{f:e}");
    let (mantissa, exp) = sci.split_once('e').expect("`{:e}` has an exponent");
    let exp: i32 = exp.parse().expect("exponent is an integer");
    let neg = mantissa.starts_with('-');
    let digits: String = mantissa.chars().filter(|c| c.is_ascii_digit()).collect();
    let sign = if neg { "-" } else { "" };
    if (-4..16).contains(&exp) {
        let point = exp + 1; // digits before the decimal point
        if point <= 0 {
            format!("{sign}0.{}{digits}", "0".repeat((-point) as usize))
        } else if point as usize >= digits.len() {
            format!(
                "{sign}{digits}{}.0",
                "0".repeat(point as usize - digits.len())
            )
        } else {
            let (a, b) = digits.split_at(point as usize);
            format!("{sign}{a}.{b}")
        }
    } else {
        let (a, b) = digits.split_at(1);
        let m = if b.is_empty() {
            a.to_string()
        } else {
            format!("{a}.{b}")
        };
        format!(
            "{sign}{m}e{}{:02}",
            if exp < 0 { '-' } else { '+' },
            exp.abs()
        )
    }
}

/// Parses a successful query/ec2 response into `out`; returns the request id.
///
/// ec2 puts the output's members directly under the root with a `requestId` beside them; query
/// wraps them in `<{Operation}Result>` with `<ResponseMetadata><RequestId>` after it.
pub fn parse(
    op: &Operation,
    resp: &HttpResponse,
    out: Option<&mut dyn Structure>,
    ec2: bool,
) -> Result<Option<String>> {
    let body: &[u8] = if resp.body.iter().all(|b| b.is_ascii_whitespace()) {
        b"<xml/>"
    } else {
        &resp.body
    };
    let mut r = xml::Reader::new(body)?;
    let root = r.root()?;
    let mut request_id = None;
    // The request id: ec2's `<requestId>` beside the members, query's `<ResponseMetadata><RequestId>`.
    let mut other = |r: &mut xml::Reader, c: xml::Element| match c.name() {
        b"requestId" if ec2 => {
            request_id = Some(r.text(&c)?);
            Ok(())
        }
        b"ResponseMetadata" if !ec2 => r.children(&c, |r, m| {
            if m.name() == b"RequestId" {
                request_id = Some(r.text(&m)?);
                Ok(())
            } else {
                r.skip(&m)
            }
        }),
        _ => r.skip(&c),
    };
    let wrapper = if ec2 {
        None
    } else {
        op.result_wrapper.map(str::as_bytes)
    };
    match (out, wrapper) {
        // Without a result wrapper the members sit directly under the root.
        (Some(o), None) => xml::read_struct_with(&mut r, &root, o, &mut other)?,
        (mut out, _) => r.children(&root, |r, c| match out.as_deref_mut() {
            Some(o) if Some(c.name()) == wrapper => xml::read_struct(r, &c, o),
            _ => other(r, c),
        })?,
    }
    Ok(request_id)
}

/// Parses an error response: ec2's `<Response><Errors><Error>` or query's `<ErrorResponse><Error>`;
/// a code that names one of the service's errors also fills that modeled error.
pub fn parse_error(svc: &Service, op: &Operation, resp: &HttpResponse) -> Error {
    let generic = || {
        Error::service(
            resp.status.to_string(),
            Some(crate::protocol::status_text(resp.status).to_string()),
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
            xml::snippet(&resp.body)
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
    Ok(Some(match crate::protocol::modeled_error(svc, op, &code) {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn floats_like_python() {
        for (f, s) in [
            (1.0, "1.0"),
            (1.5, "1.5"),
            (0.1, "0.1"),
            (-2.25, "-2.25"),
            (1e16, "1e+16"),
            (1e15, "1000000000000000.0"),
            (1.5e-5, "1.5e-05"),
            (0.0001, "0.0001"),
            (123456.789, "123456.789"),
            (f64::NAN, "NaN"),
            (f64::NEG_INFINITY, "-Infinity"),
        ] {
            assert_eq!(format_float(f), s, "{f}");
        }
    }

    #[test]
    fn percent_encoding() {
        let mut s = String::new();
        encode_into(&mut s, "a b&c<d>é~-._/+=", b"");
        assert_eq!(s, "a%20b%26c%3Cd%3E%C3%A9~-._%2F%2B%3D");
    }
}
