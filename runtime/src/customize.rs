//! Per-service behaviour that botocore adds on top of the models (its `handlers.py`): S3 bucket
//! addressing, `CreateBucket` location, URL-encoded listings and errors inside `200 OK`; Glacier's
//! account id, API version header and tree hashes; request checksums for every protocol.

use crate::error::{Error, Result};
use crate::http::{HttpRequest, HttpResponse};
use crate::schema::{op_flags, Operation, Service};
use crate::value::{Scalar, Structure, ValueRef};
use crate::wire::checksum::{digest, hex, sha256, tree_hash};
use crate::wire::eventstream::stream_member;
use crate::wire::percent::{encode_into, url_decode, url_decode_plus, PATH};
use crate::wire::xml;
use base64::Engine;

/// True for S3 (and services that share its rules).
pub fn is_s3(svc: &Service) -> bool {
    svc.name == "s3"
}

/// The S3 bucket a request names, if any.
pub fn bucket<'a>(svc: &Service, input: Option<&'a dyn Structure>) -> Option<&'a str> {
    if is_s3(svc) {
        member_str(input?, "Bucket")
    } else {
        None
    }
}

/// The string member `name` of `s`, when set.
pub fn member_str<'a>(s: &'a dyn Structure, name: &str) -> Option<&'a str> {
    let i = s.shape().member_index(name)?;
    match s.field(i).get() {
        ValueRef::Str(v) => Some(v),
        _ => None,
    }
}

fn member_is_unset(s: &dyn Structure, name: &str) -> bool {
    s.shape()
        .member_index(name)
        .is_none_or(|i| matches!(s.field(i).get(), ValueRef::Null))
}

fn is_unset(s: &dyn Structure, name: &str) -> Option<usize> {
    let i = s.shape().member_index(name)?;
    matches!(s.field(i).get(), ValueRef::Null).then_some(i)
}

/// Changes to the input before it is validated and serialised; returns what the response
/// handling must know.
#[derive(Debug, Default, Clone, Copy)]
pub struct Plan {
    /// The listing's keys arrive URL-encoded because the SDK asked for it: decode them.
    pub decode_listing: bool,
}

/// Fills defaults the way botocore's handlers do.
pub fn before_serialize(
    svc: &Service,
    op: &Operation,
    input: Option<&mut dyn Structure>,
    region: &str,
) -> Plan {
    let mut plan = Plan::default();
    let Some(input) = input else { return plan };
    if is_s3(svc) {
        match op.name {
            // Outside us-east-1 a bucket is created where the client is, as boto3 does.
            "CreateBucket" if region != "us-east-1" => {
                if let Some(i) = input.shape().member_index("CreateBucketConfiguration") {
                    // Directory buckets (`Location`/`Bucket` set) take no location constraint.
                    let needs = match input.field(i).get() {
                        ValueRef::Null => true,
                        ValueRef::Struct(c) => {
                            is_unset(c, "LocationConstraint").is_some()
                                && member_is_unset(c, "Location")
                                && member_is_unset(c, "Bucket")
                        }
                        _ => false,
                    };
                    if needs {
                        if let Some(conf) = input.field_mut(i).as_struct_mut() {
                            if let Some(j) = conf.shape().member_index("LocationConstraint") {
                                let _ = conf.field_mut(j).set(Scalar::Str(region.to_string()));
                            }
                        }
                    }
                }
            }
            // `CopySource` is sent percent-encoded (a trailing `?versionId=` kept as is), as boto3 does.
            "CopyObject" | "UploadPartCopy" => {
                if let Some(i) = input.shape().member_index("CopySource") {
                    if let ValueRef::Str(v) = input.field(i).get() {
                        let (path, version) = match v.rfind("?versionId=") {
                            Some(at) if !v[at..].contains(char::is_whitespace) => v.split_at(at),
                            _ => (v, ""),
                        };
                        let mut enc = String::with_capacity(v.len() + 16);
                        encode_into(&mut enc, path, PATH);
                        enc.push_str(version);
                        let _ = input.field_mut(i).set(Scalar::Str(enc));
                    }
                }
            }
            // Keys with characters XML cannot carry come back intact: ask for URL-encoded keys
            // and decode them, unless the caller chose an encoding.
            "ListObjects" | "ListObjectsV2" | "ListObjectVersions" => {
                if let Some(i) = is_unset(input, "EncodingType") {
                    let _ = input.field_mut(i).set(Scalar::Str("url".into()));
                    plan.decode_listing = true;
                }
            }
            _ => {}
        }
    }
    if svc.name == "glacier" {
        // botocore's default: "-" is the account of the credentials.
        if let Some(i) = is_unset(input, "accountId") {
            let _ = input.field_mut(i).set(Scalar::Str("-".into()));
        }
    }
    plan
}

/// Changes to the serialised request: S3 addressing, Glacier headers, request checksums.
pub fn after_serialize(
    svc: &Service,
    op: &Operation,
    input: Option<&dyn Structure>,
    req: &mut HttpRequest,
    streaming_body: bool,
    virtual_host: Option<&str>,
    presign: bool,
) -> Result<()> {
    if svc.name == "glacier" {
        req.headers
            .push(("x-amz-glacier-version".into(), svc.api_version.into()));
        if matches!(op.name, "UploadArchive" | "UploadMultipartPart") && !streaming_body {
            if req.header("x-amz-content-sha256").is_none() {
                let h = hex(&sha256(&req.body));
                req.headers.push(("x-amz-content-sha256".into(), h));
            }
            if req.header("x-amz-sha256-tree-hash").is_none() {
                let h = hex(&tree_hash(&req.body));
                req.headers.push(("x-amz-sha256-tree-hash".into(), h));
            }
        }
    }
    add_checksum(op, input, req, streaming_body, presign)?;
    if let (true, Some(endpoint_host)) = (is_s3(svc), virtual_host) {
        virtual_host_address(req, endpoint_host);
    }
    Ok(())
}

/// The region S3 says a bucket is in, when a request went to another region's endpoint
/// (`301`/`307`/`400` with `x-amz-bucket-region`); never for custom endpoints.
pub fn redirect_region(
    resp: &HttpResponse,
    endpoint: &crate::endpoint::Endpoint,
) -> Option<String> {
    if endpoint.custom || !matches!(resp.status, 301 | 302 | 307 | 400) {
        return None;
    }
    let region = resp.header("x-amz-bucket-region")?;
    (region != endpoint.signing_region && crate::endpoint::validate_region(region).is_ok())
        .then(|| region.to_string())
}

/// Moves the bucket from the path into the host (`https://s3.x/b/k` -> `https://b.s3.x/k`) when
/// the bucket name is a valid DNS label.
fn virtual_host_address(req: &mut HttpRequest, endpoint_host: &str) {
    let Some((scheme, rest)) = req.url.split_once("://") else {
        return;
    };
    let Some(path) = rest.strip_prefix(endpoint_host) else {
        return;
    };
    let Some(after) = path.strip_prefix('/') else {
        return;
    };
    let end = after.find(['/', '?']).unwrap_or(after.len());
    let bucket = &after[..end];
    if !dns_compatible_bucket(bucket) {
        return;
    }
    let remainder = &after[end..];
    let remainder = if remainder.starts_with('/') {
        remainder.to_string()
    } else {
        format!("/{remainder}")
    };
    req.url = format!("{scheme}://{bucket}.{endpoint_host}{remainder}");
}

/// botocore's `check_dns_name`: 3-63 lowercase letters, digits and hyphens, no leading or
/// trailing hyphen (dots would break the TLS certificate, so they mean path style).
pub fn dns_compatible_bucket(b: &str) -> bool {
    (3..=63).contains(&b.len())
        && b.bytes()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == b'-')
        && !b.starts_with('-')
        && !b.ends_with('-')
}

/// Request checksums as botocore 1.43 sends them by default (`when_supported`): for operations
/// that require one (`httpChecksumRequired`, `requestChecksumRequired`) or can carry one (they
/// name a checksum algorithm member), the body's checksum goes in `x-amz-checksum-<algorithm>`
/// (CRC32 unless the input names another), with the algorithm in the algorithm member's header.
/// Bodies streamed from a file or a stream are sent without one (an explicit algorithm for them
/// is an error), and presigned requests never get a default one.
fn add_checksum(
    op: &Operation,
    input: Option<&dyn Structure>,
    req: &mut HttpRequest,
    streaming_body: bool,
    presign: bool,
) -> Result<()> {
    let has_prefix = |k: &str, p: &str| k.get(..p.len()).is_some_and(|x| x.eq_ignore_ascii_case(p));
    if req
        .headers
        .iter()
        .any(|(k, _)| has_prefix(k, "x-amz-checksum-"))
    {
        return Ok(());
    }
    let chosen = match (op.checksum_algorithm_member, input) {
        (Some(m), Some(i)) => member_str(i, m).map(str::to_ascii_lowercase),
        _ => None,
    };
    let required =
        op.flags & (op_flags::CHECKSUM_REQUIRED | op_flags::REQUEST_CHECKSUM_REQUIRED) != 0;
    let algorithm = match chosen {
        Some(a) if streaming_body => {
            return Err(Error::validation(format!(
                "{}: a request checksum ({a}) needs the body in memory; pass the body as bytes",
                op.name
            )))
        }
        Some(a) => a,
        None if presign || streaming_body => return Ok(()),
        None if required || op.checksum_algorithm_member.is_some() => "crc32".to_string(),
        None => return Ok(()),
    };
    let Some(value) = digest(&algorithm, &req.body) else {
        return Err(Error::validation(format!(
            "{}: the checksum algorithm {algorithm:?} is not supported (CRC32, CRC32C, SHA1, SHA256 and SHA512 are)",
            op.name
        )));
    };
    // The algorithm member's own header (`x-amz-sdk-checksum-algorithm`) says which one was used.
    if let (Some(m), Some(i)) = (op.checksum_algorithm_member, input) {
        let header = i
            .shape()
            .members
            .iter()
            .find(|x| x.name == m && x.location == crate::schema::Location::Header)
            .map(|x| x.wire_name());
        if let Some(h) = header {
            if req.header(h).is_none() {
                req.headers
                    .push((h.to_string(), algorithm.to_ascii_uppercase()));
            }
        }
    }
    req.headers.push((
        format!("x-amz-checksum-{algorithm}"),
        base64::engine::general_purpose::STANDARD.encode(value),
    ));
    Ok(())
}

/// Glacier's headers for a streamed archive (botocore's `add_glacier_checksums`).
pub fn streamed_body_headers(
    svc: &Service,
    op: &Operation,
    req: &mut HttpRequest,
    sha: &[u8; 32],
    tree: &[u8; 32],
) {
    if svc.name == "glacier" && matches!(op.name, "UploadArchive" | "UploadMultipartPart") {
        if req.header("x-amz-content-sha256").is_none() {
            req.headers.push(("x-amz-content-sha256".into(), hex(sha)));
        }
        if req.header("x-amz-sha256-tree-hash").is_none() {
            req.headers
                .push(("x-amz-sha256-tree-hash".into(), hex(tree)));
        }
    }
}

/// S3 may answer `200 OK` with an `<Error>` body, after keep-alive whitespace (botocore's
/// `_handle_200_error`, for every S3 operation without a streaming output): such a response is an
/// error, retried as a 500 would be.
pub fn is_error_in_200(svc: &Service, op: &Operation, resp: &HttpResponse) -> bool {
    if !is_s3(svc) || resp.status != 200 || op.streaming_output().is_some() {
        return false;
    }
    if op.output.is_some_and(|o| stream_member(o).is_some()) {
        return false;
    }
    let start = resp
        .body
        .iter()
        .position(|b| !b.is_ascii_whitespace())
        .unwrap_or(resp.body.len());
    let mut t = &resp.body[start..];
    if t.starts_with(b"<?xml") {
        let Some(end) = t.windows(2).position(|w| w == b"?>") else {
            return false;
        };
        t = &t[end + 2..];
        let skip = t
            .iter()
            .position(|b| !b.is_ascii_whitespace())
            .unwrap_or(t.len());
        t = &t[skip..];
    }
    t.starts_with(b"<Error>") || t.starts_with(b"<Error ")
}

/// Fixes up a parsed output where the model cannot describe the response.
pub fn after_parse(svc: &Service, op: &Operation, resp: &HttpResponse, out: &mut dyn Structure) {
    // IAM sends policy documents URL-encoded; botocore decodes them.
    if svc.name == "iam" {
        decode_policy_documents(out, 0);
    }
    // GetBucketLocation's answer is the root element's own text (botocore's
    // `parse_get_bucket_location`); an empty element means us-east-1's empty constraint.
    if is_s3(svc) && op.name == "GetBucketLocation" {
        if let Some(i) = is_unset(out, "LocationConstraint") {
            if let Ok(mut r) = xml::Reader::new(&resp.body) {
                if let Ok(root) = r.root() {
                    if let Ok(text) = r.text(&root) {
                        if !text.is_empty() {
                            let _ = out.field_mut(i).set(Scalar::Str(text));
                        }
                    }
                }
            }
        }
    }
}

/// The IAM members that hold policy documents (those targeting `policyDocumentType`).
const POLICY_DOCUMENT_MEMBERS: &[&str] = &[
    "AssumeRolePolicyDocument",
    "PolicyDocument",
    "Document",
    "ResourcePolicy",
];

/// URL-decodes every policy document string in `s`, at any depth.
fn decode_policy_documents(s: &mut dyn Structure, depth: usize) {
    use crate::value::ValueMut;
    if depth > 16 {
        return;
    }
    let shape = s.shape();
    for (i, m) in shape.members.iter().enumerate() {
        if matches!(s.field(i).get(), ValueRef::Null) {
            continue;
        }
        if m.target.kind == crate::schema::Kind::String && POLICY_DOCUMENT_MEMBERS.contains(&m.name)
        {
            if let ValueRef::Str(v) = s.field(i).get() {
                // As botocore: decoded when that gives JSON, kept as sent otherwise.
                let d = url_decode(v);
                if d != v && serde_json::from_str::<serde_json::Value>(&d).is_ok() {
                    let _ = s.field_mut(i).set(Scalar::Str(d));
                }
            }
            continue;
        }
        let mut v = s.field_mut(i);
        loop {
            match v.get_mut() {
                ValueMut::Option(o) => v = o.present(),
                ValueMut::Struct(inner) => {
                    decode_policy_documents(inner, depth + 1);
                    break;
                }
                ValueMut::List(l) => {
                    let mut j = 0;
                    while let Some(el) = l.element_mut(j) {
                        if let Some(inner) = el.as_struct_mut() {
                            decode_policy_documents(inner, depth + 1);
                        }
                        j += 1;
                    }
                    break;
                }
                _ => break,
            }
        }
    }
}

/// Decodes the URL-encoded keys of an S3 listing requested with `EncodingType=url`, when the
/// response says they are encoded (servers that ignore the request send them as they are).
pub fn decode_listing(out: &mut dyn Structure) {
    if !member_str(out, "EncodingType").is_some_and(|e| e.eq_ignore_ascii_case("url")) {
        return;
    }
    const TOP: &[&str] = &[
        "Delimiter",
        "Marker",
        "NextMarker",
        "Prefix",
        "StartAfter",
        "KeyMarker",
        "NextKeyMarker",
        "UploadIdMarker",
    ];
    const NESTED: &[(&str, &str)] = &[
        ("Contents", "Key"),
        ("CommonPrefixes", "Prefix"),
        ("Versions", "Key"),
        ("DeleteMarkers", "Key"),
        ("Uploads", "Key"),
    ];
    for name in TOP {
        decode_member(out, name);
    }
    for (list, key) in NESTED {
        let Some(i) = out.shape().member_index(list) else {
            continue;
        };
        // Walk the list through read access, then write back each decoded key.
        let n = match out.field(i).get() {
            ValueRef::List(l) => l.len(),
            _ => 0,
        };
        for j in 0..n {
            let decoded = match out.field(i).get() {
                ValueRef::List(l) => match l.get(j).get() {
                    ValueRef::Struct(s) => member_str(s, key).map(url_decode_plus),
                    _ => None,
                },
                _ => None,
            };
            if let Some(d) = decoded {
                if let Some(el) = out
                    .field_mut(i)
                    .element_mut(j)
                    .and_then(|v| v.as_struct_mut())
                {
                    if let Some(k) = el.shape().member_index(key) {
                        let _ = el.field_mut(k).set(Scalar::Str(d));
                    }
                }
            }
        }
    }
}

fn decode_member(out: &mut dyn Structure, name: &str) {
    if let Some(v) = member_str(out, name).map(url_decode_plus) {
        if let Some(i) = out.shape().member_index(name) {
            let _ = out.field_mut(i).set(Scalar::Str(v));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn region_redirects_only_for_aws_endpoints() {
        let resp = |status: u16, region: &str| HttpResponse {
            status,
            headers: vec![("x-amz-bucket-region".into(), region.into())],
            body: Default::default(),
        };
        let aws = crate::endpoint::Endpoint {
            url: "https://s3.amazonaws.com".into(),
            signing_region: "us-east-1".into(),
            custom: false,
        };
        assert_eq!(
            redirect_region(&resp(301, "eu-west-1"), &aws).as_deref(),
            Some("eu-west-1")
        );
        assert_eq!(
            redirect_region(&resp(400, "eu-west-1"), &aws).as_deref(),
            Some("eu-west-1")
        );
        assert_eq!(redirect_region(&resp(301, "us-east-1"), &aws), None);
        assert_eq!(redirect_region(&resp(403, "eu-west-1"), &aws), None);
        assert_eq!(redirect_region(&resp(301, "not a region!"), &aws), None);
        let custom = crate::endpoint::Endpoint {
            custom: true,
            ..aws
        };
        assert_eq!(redirect_region(&resp(301, "eu-west-1"), &custom), None);
    }

    #[test]
    fn bucket_names() {
        assert!(dns_compatible_bucket("my-bucket-1"));
        assert!(!dns_compatible_bucket("My_Bucket"));
        assert!(!dns_compatible_bucket("a.b.c"));
        assert!(!dns_compatible_bucket("ab"));
    }
}
