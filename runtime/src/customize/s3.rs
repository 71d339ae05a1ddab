//! S3's rules beyond its model (botocore's handlers and `S3RegionRedirector`): where a bucket is
//! created, `CopySource` encoding, URL-encoded listings, endpoint built-ins per call, region
//! redirects, errors inside `200 OK` and `GetBucketLocation`'s bare answer.

use super::members::{is_unset, member_is_unset, member_str};
use crate::endpoint::{validate_region, Endpoint, Value};
use crate::http::HttpResponse;
use crate::schema::Operation;
use crate::value::{Scalar, Structure, ValueRef};
use crate::wire::percent::{encode_into, url_decode_plus, PATH};
use crate::wire::xml;

/// Fills S3's defaults into the input as boto3 does; true when a listing's keys were asked for
/// URL-encoded (and must be decoded from the response).
pub fn before_serialize(op: &Operation, input: &mut dyn Structure, region: &str) -> bool {
    let mut decode_listing = false;
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
                decode_listing = true;
            }
        }
        _ => {}
    }
    decode_listing
}

/// The region S3 says a bucket is in, when a request went to another region's endpoint
/// (`301`/`307`/`400` with `x-amz-bucket-region`); never for custom endpoints, nor for ARN
/// buckets (access points name their own region), as botocore.
pub fn redirect_region(resp: &HttpResponse, endpoint: &Endpoint, bucket: &str) -> Option<String> {
    if endpoint.custom || is_arn(bucket) || !matches!(resp.status, 301 | 302 | 307 | 400) {
        return None;
    }
    let region = resp.header("x-amz-bucket-region")?;
    (region != endpoint.auth.signing_region && validate_region(region).is_ok())
        .then(|| region.to_string())
}

/// botocore's `validate_bucket_name`: a bucket is 1-255 letters, digits, `.`, `-` and `_`, or
/// an ARN (whose parts the endpoint rules check, with their own messages).
pub fn validate_bucket(bucket: Option<&str>) -> crate::error::Result<()> {
    let Some(b) = bucket else { return Ok(()) };
    if b.is_empty() {
        return Err(crate::error::Error::validation(
            "invalid value for parameter \"Bucket\": it must not be empty",
        ));
    }
    let plain = b.len() <= 255
        && b.bytes()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, b'.' | b'-' | b'_'));
    if plain || b.starts_with("arn:") {
        Ok(())
    } else {
        Err(crate::error::Error::validation(format!(
            "invalid bucket name {b:?}: a bucket name is 1 to 255 letters, digits, '.', '-' and '_', or an access point ARN"
        )))
    }
}

/// botocore's `ArnParser.is_arn`: `arn:` and six `:`-separated parts.
pub fn is_arn(b: &str) -> bool {
    b.starts_with("arn:") && b.splitn(6, ':').count() == 6
}

/// botocore's `customize_endpoint_resolver_builtins`: `GetBucketLocation` always uses path
/// style (the signing region may not be the bucket's), and an ARN bucket never does.
pub fn endpoint_overrides(op: &Operation, bucket: Option<&str>) -> Vec<(&'static str, Value)> {
    if op.name == "GetBucketLocation" {
        vec![("AWS::S3::ForcePathStyle", Value::Bool(true))]
    } else if bucket.is_some_and(is_arn) {
        vec![("AWS::S3::ForcePathStyle", Value::Bool(false))]
    } else {
        Vec::new()
    }
}

/// S3 may answer `200 OK` with an `<Error>` body, after keep-alive whitespace (botocore's
/// `_handle_200_error`, for every S3 operation without a streaming output): such a response is an
/// error, retried as a 500 would be.
pub fn is_error_in_200(op: &Operation, resp: &HttpResponse) -> bool {
    if resp.status != 200 || op.streaming_output().is_some() {
        return false;
    }
    if op.event_stream_output().is_some() {
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

/// Reads what the model cannot describe into a parsed output.
pub fn after_parse(op: &Operation, resp: &HttpResponse, out: &mut dyn Structure) {
    // GetBucketLocation's answer is the root element's own text (botocore's
    // `parse_get_bucket_location`); an empty element means us-east-1's empty constraint.
    if op.name == "GetBucketLocation" {
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
            headers: Vec::new(),
            auth: crate::endpoint::AuthScheme {
                kind: crate::endpoint::SchemeKind::SigV4,
                signing_name: "s3".into(),
                signing_region: "us-east-1".into(),
                region_set: Vec::new(),
                disable_double_encoding: true,
            },
            custom: false,
            properties: Default::default(),
        };
        assert_eq!(
            redirect_region(&resp(301, "eu-west-1"), &aws, "b").as_deref(),
            Some("eu-west-1")
        );
        assert_eq!(
            redirect_region(&resp(400, "eu-west-1"), &aws, "b").as_deref(),
            Some("eu-west-1")
        );
        assert_eq!(redirect_region(&resp(301, "us-east-1"), &aws, "b"), None);
        assert_eq!(redirect_region(&resp(403, "eu-west-1"), &aws, "b"), None);
        assert_eq!(
            redirect_region(&resp(301, "not a region!"), &aws, "b"),
            None
        );
        let custom = crate::endpoint::Endpoint {
            custom: true,
            ..aws.clone()
        };
        assert_eq!(redirect_region(&resp(301, "eu-west-1"), &custom, "b"), None);
        let arn = "arn:aws:s3:us-west-2:123456789012:accesspoint:myendpoint";
        assert_eq!(redirect_region(&resp(301, "eu-west-1"), &aws, arn), None);
        assert!(is_arn(arn) && !is_arn("arn:aws:s3") && !is_arn("my-bucket"));
    }
}
