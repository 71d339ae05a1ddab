//! Form-encoded request bodies of the query and ec2 protocols, and their XML responses.

use crate::error::{Error, Result};
use crate::http::{HttpRequest, HttpResponse};
use crate::schema::{Member, Operation, Service};
use crate::value::{Structure, ValueRef};
use crate::wire::percent::{encode_into, UNRESERVED};
use crate::wire::text::{format_float, format_timestamp};
use crate::wire::xml;
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
        encode_into(&mut self.out, k, UNRESERVED);
        self.out.push('=');
        encode_into(&mut self.out, v, UNRESERVED);
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
