//! SigV4 request signing, done by the `aws-sigv4` crate.

use crate::auth::credentials::Credentials;
use crate::error::{Error, ErrorKind, Result};
use crate::http::HttpRequest;
use crate::wire::percent::{encode_into, UNRESERVED};
use aws_sigv4::http_request::{sign, SignableBody, SignableRequest, SigningSettings};
use aws_sigv4::sign::v4;
use std::time::SystemTime;

/// How a request is signed beyond the defaults.
#[derive(Debug, Clone, Default)]
pub struct SignOptions {
    /// S3 rules: the path is signed as sent (no normalisation, no second encoding) and the
    /// payload hash travels in `x-amz-content-sha256`.
    pub s3: bool,
    /// The body is not hashed (`UNSIGNED-PAYLOAD`): streaming bodies and presigned URLs.
    pub unsigned_payload: bool,
    /// Sign into the query string, valid for this long (a presigned URL).
    pub presign_expires: Option<std::time::Duration>,
    /// The body's SHA-256 (hex), computed beforehand for a body that is streamed.
    pub payload_hash: Option<String>,
}

/// Signs `req` (whose `url` is absolute) in place, adding `Authorization`, `X-Amz-Date`,
/// and `X-Amz-Security-Token` when the credentials carry a session token.
pub fn sign_request(
    req: &mut HttpRequest,
    creds: &Credentials,
    region: &str,
    service: &str,
    time: SystemTime,
) -> Result<()> {
    sign_with(req, creds, region, service, time, &SignOptions::default())
}

/// [`sign_request`] with [`SignOptions`]; a presigned request gets its signature in the URL.
pub fn sign_with(
    req: &mut HttpRequest,
    creds: &Credentials,
    region: &str,
    service: &str,
    time: SystemTime,
    opts: &SignOptions,
) -> Result<()> {
    use aws_sigv4::http_request::{
        PayloadChecksumKind, PercentEncodingMode, SignatureLocation, UriPathNormalizationMode,
    };
    let identity = aws_credential_types::Credentials::new(
        creds.access_key_id(),
        creds.secret_access_key(),
        creds.session_token().map(str::to_string),
        None,
        "boto-rs",
    )
    .into();
    let mut settings = SigningSettings::default();
    settings.payload_checksum_kind = if opts.s3 && opts.presign_expires.is_none() {
        PayloadChecksumKind::XAmzSha256
    } else {
        PayloadChecksumKind::NoHeader
    };
    if opts.s3 {
        settings.uri_path_normalization_mode = UriPathNormalizationMode::Disabled;
        settings.percent_encoding_mode = PercentEncodingMode::Single;
    }
    if let Some(exp) = opts.presign_expires {
        settings.signature_location = SignatureLocation::QueryParams;
        settings.expires_in = Some(exp);
    }
    let params = v4::SigningParams::builder()
        .identity(&identity)
        .region(region)
        .name(service)
        .time(time)
        .settings(settings)
        .build()
        .map_err(|e| {
            Error::new(ErrorKind::Config, "cannot build signing parameters").with_source(e)
        })?
        .into();
    let body = match (&opts.payload_hash, opts.unsigned_payload) {
        (Some(h), _) => SignableBody::Precomputed(h.clone()),
        (None, true) => SignableBody::UnsignedPayload,
        (None, false) => SignableBody::Bytes(&req.body),
    };
    let signable = SignableRequest::new(
        req.method.as_str(),
        req.url.as_str(),
        req.headers.iter().map(|(k, v)| (k.as_str(), v.as_str())),
        body,
    )
    .map_err(|e| Error::new(ErrorKind::Config, "cannot sign the request").with_source(e))?;
    let (instructions, _sig) = sign(signable, &params)
        .map_err(|e| Error::new(ErrorKind::Config, "cannot sign the request").with_source(e))?
        .into_parts();
    let (headers, params) = instructions.into_parts();
    for h in headers {
        req.headers
            .push((h.name().to_string(), h.value().to_string()));
    }
    if !params.is_empty() {
        let mut url = req.url.clone();
        let mut sep = if url.contains('?') { '&' } else { '?' };
        for (k, v) in params {
            url.push(sep);
            sep = '&';
            encode_into(&mut url, k, UNRESERVED);
            url.push('=');
            encode_into(&mut url, &v, UNRESERVED);
        }
        req.url = url;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::{Duration, UNIX_EPOCH};

    fn header<'a>(req: &'a HttpRequest, name: &str) -> Option<&'a str> {
        req.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// The worked example from the SigV4 documentation (IAM ListUsers, 2015-08-30T12:36:00Z).
    #[test]
    fn documented_get_vector() {
        let mut req = HttpRequest {
            method: "GET".into(),
            url: "https://iam.amazonaws.com/?Action=ListUsers&Version=2010-05-08".into(),
            headers: vec![(
                "content-type".into(),
                "application/x-www-form-urlencoded; charset=utf-8".into(),
            )],
            body: bytes::Bytes::new(),
        };
        let creds = Credentials::new(
            "AKIDEXAMPLE",
            "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
            None,
        );
        let t = UNIX_EPOCH + Duration::from_secs(1440938160);
        sign_request(&mut req, &creds, "us-east-1", "iam", t).unwrap();
        assert_eq!(header(&req, "x-amz-date"), Some("20150830T123600Z"));
        assert_eq!(
            header(&req, "authorization"),
            Some("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/iam/aws4_request, SignedHeaders=content-type;host;x-amz-date, Signature=5d672d79c15b13162d9279b0855cfba6789a8edb4c82c400e06b5924a6f2b5d7")
        );
    }

    /// A POST with a body and a session token, checked against botocore's SigV4Auth on the same input.
    #[test]
    fn post_with_token_matches_botocore() {
        let mut req = HttpRequest {
            method: "POST".into(),
            url: "https://ec2.us-west-2.amazonaws.com/".into(),
            headers: vec![(
                "Content-Type".into(),
                "application/x-www-form-urlencoded; charset=utf-8".into(),
            )],
            body: bytes::Bytes::from_static(b"Action=DescribeRegions&Version=2016-11-15"),
        };
        let creds = Credentials::new(
            "AKIDEXAMPLE",
            "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
            Some("TOKEN/abc+=".into()),
        );
        let t = UNIX_EPOCH + Duration::from_secs(1700000000);
        sign_request(&mut req, &creds, "us-west-2", "ec2", t).unwrap();
        assert_eq!(header(&req, "x-amz-security-token"), Some("TOKEN/abc+="));
        assert_eq!(header(&req, "authorization"), Some(BOTOCORE_POST_AUTH));
    }

    const BOTOCORE_POST_AUTH: &str = "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20231114/us-west-2/ec2/aws4_request, SignedHeaders=content-type;host;x-amz-date;x-amz-security-token, Signature=10d16d334bf3cdb15928ba9904f11dca145d75444d5608f38083bf3547c25e7e";
}
