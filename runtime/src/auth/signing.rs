//! Request signing, done by the `aws-sigv4` crate: SigV4, SigV4a (ECDSA over a region set) and
//! S3 Express One Zone's SigV4 with a session token of its own.

use crate::auth::credentials::Credentials;
use crate::error::{Error, ErrorKind, Result};
use crate::http::HttpRequest;
use crate::wire::percent::{encode_into, UNRESERVED};
use aws_sigv4::http_request::{
    sign, SignableBody, SignableRequest, SigningParams, SigningSettings,
};
use aws_sigv4::sign::{v4, v4a};
use std::time::SystemTime;

/// How a request is signed beyond the defaults.
#[derive(Debug, Clone, Default)]
pub struct SignOptions {
    /// S3 rules: the path is signed as sent (no normalisation, no second encoding) and the
    /// payload hash travels in `x-amz-content-sha256`.
    pub s3: bool,
    /// The body is not hashed (`UNSIGNED-PAYLOAD`, named in `x-amz-content-sha256` unless presigning):
    /// S3 streaming bodies, `v4-unsigned-body` operations and presigned URLs.
    pub unsigned_payload: bool,
    /// Sign into the query string, valid for this long (a presigned URL).
    pub presign_expires: Option<std::time::Duration>,
    /// The body's SHA-256 (hex), computed beforehand for a body that is streamed.
    pub payload_hash: Option<String>,
    /// Which algorithm signs (the endpoint's auth scheme).
    pub scheme: SigningScheme,
}

impl SignOptions {
    /// A SigV4 presigned URL outside S3, valid for `expires`: the body hash signed as it is.
    pub fn presign(expires: std::time::Duration) -> SignOptions {
        SignOptions {
            s3: false,
            unsigned_payload: false,
            presign_expires: Some(expires),
            payload_hash: None,
            scheme: SigningScheme::SigV4,
        }
    }
}

/// The signature algorithm, from the auth scheme an endpoint names in `properties.authSchemes`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum SigningScheme {
    /// `sigv4`: HMAC-SHA256 for one region.
    #[default]
    SigV4,
    /// `sigv4a`: ECDSA P-256 for a set of regions (`*` for all); the credential scope has no
    /// region and the set travels in `X-Amz-Region-Set`.
    SigV4a {
        /// The regions the signature is valid in, comma-separated (the scheme's `signingRegionSet`).
        region_set: String,
    },
    /// `sigv4-s3express`: SigV4 with S3 Express One Zone session credentials, whose token is
    /// sent as `x-amz-s3session-token` (these buckets do not accept `x-amz-security-token`).
    S3Express,
}

/// The header S3 Express One Zone reads the session token from (lowercase: `aws-sigv4` makes a
/// header name of it).
const S3EXPRESS_TOKEN_HEADER: &str = "x-amz-s3session-token";
/// The query parameter of a presigned S3 Express URL that carries the session token.
const S3EXPRESS_TOKEN_PARAM: &str = "X-Amz-S3session-Token";

/// Signs `req` (whose `url` is absolute) with SigV4 in place, adding `Authorization`,
/// `X-Amz-Date`, and `X-Amz-Security-Token` when the credentials carry a session token.
pub fn sign_request(
    req: &mut HttpRequest,
    creds: &Credentials,
    region: &str,
    service: &str,
    time: SystemTime,
) -> Result<()> {
    sign_with(req, creds, region, service, time, &SignOptions::default()).map(|_| ())
}

/// The error for signing parameters `aws-sigv4` refuses (a missing required value).
fn params_error(e: impl std::error::Error + Send + Sync + 'static) -> Error {
    Error::new(ErrorKind::Config, "cannot build signing parameters").with_source(e)
}

/// The payload hash a request whose body is an input event stream is signed with; each message
/// is then signed in a chain that starts from the request's signature ([`EventSigner`]).
pub const STREAMING_EVENTS: &str = "STREAMING-AWS4-HMAC-SHA256-EVENTS";

/// [`sign_request`] with [`SignOptions`]; a presigned request gets its signature in the URL.
/// With [`SigningScheme::SigV4a`], `region` is not used (the region set replaces it). Returns the
/// signature (hex), which starts an input event stream's chain.
pub fn sign_with(
    req: &mut HttpRequest,
    creds: &Credentials,
    region: &str,
    service: &str,
    time: SystemTime,
    opts: &SignOptions,
) -> Result<String> {
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
    // S3 always names the payload hash in `x-amz-content-sha256`; other services do when the
    // payload is unsigned (as botocore sends them) or an input event stream.
    let events = opts.payload_hash.as_deref() == Some(STREAMING_EVENTS);
    settings.payload_checksum_kind =
        if (opts.s3 || opts.unsigned_payload || events) && opts.presign_expires.is_none() {
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
    if opts.scheme == SigningScheme::S3Express {
        settings.session_token_name_override = Some(if opts.presign_expires.is_some() {
            S3EXPRESS_TOKEN_PARAM
        } else {
            S3EXPRESS_TOKEN_HEADER
        });
    }
    let params: SigningParams = match &opts.scheme {
        SigningScheme::SigV4 | SigningScheme::S3Express => v4::SigningParams::builder()
            .identity(&identity)
            .region(region)
            .name(service)
            .time(time)
            .settings(settings)
            .build()
            .map_err(params_error)?
            .into(),
        SigningScheme::SigV4a { region_set } => {
            if region_set.is_empty() {
                return Err(Error::config(
                    "SigV4a signing needs a region set (the endpoint's signingRegionSet)",
                ));
            }
            v4a::SigningParams::builder()
                .identity(&identity)
                .region_set(region_set)
                .name(service)
                .time(time)
                .settings(settings)
                .build()
                .map_err(params_error)?
                .into()
        }
    };
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
    let (instructions, signature) = sign(signable, &params)
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
    Ok(signature)
}

/// Signs the messages of an input event stream, each over the previous signature (the first over
/// the request's), as AWS event streams are signed: each message becomes the payload of an
/// envelope with `:date` and `:chunk-signature` headers.
pub struct EventSigner {
    identity: aws_smithy_runtime_api::client::identity::Identity,
    region: String,
    service: String,
    previous: String,
}

impl EventSigner {
    /// A chain that starts from `request_signature`, the request's SigV4 signature (hex).
    pub fn new(
        creds: &Credentials,
        region: &str,
        service: &str,
        request_signature: String,
    ) -> Self {
        EventSigner {
            identity: aws_credential_types::Credentials::new(
                creds.access_key_id(),
                creds.secret_access_key(),
                creds.session_token().map(str::to_string),
                None,
                "boto-rs",
            )
            .into(),
            region: region.to_string(),
            service: service.to_string(),
            previous: request_signature,
        }
    }

    /// The signed envelope of `message` (the empty end message for `None`), as bytes to send.
    pub fn sign(
        &mut self,
        message: Option<&aws_smithy_types::event_stream::Message>,
        time: SystemTime,
    ) -> Result<Vec<u8>> {
        use aws_sigv4::event_stream::{sign_empty_message, sign_message};
        let failed = |e: aws_sigv4::http_request::SigningError| {
            Error::new(ErrorKind::Config, "cannot sign an event-stream message").with_source(e)
        };
        let params = v4::SigningParams::builder()
            .identity(&self.identity)
            .region(&self.region)
            .name(&self.service)
            .time(time)
            .settings(())
            .build()
            .map_err(params_error)?;
        let signed = match message {
            Some(m) => sign_message(m, &self.previous, &params),
            None => sign_empty_message(&self.previous, &params),
        }
        .map_err(failed)?;
        let (envelope, signature) = signed.into_parts();
        self.previous = signature;
        encode_message(&envelope)
    }
}

/// An event-stream message as the bytes sent (unsigned, or a signed envelope).
pub fn encode_message(m: &aws_smithy_types::event_stream::Message) -> Result<Vec<u8>> {
    let mut out = Vec::new();
    aws_smithy_eventstream::frame::write_message_to(m, &mut out).map_err(|e| {
        Error::new(ErrorKind::Config, "cannot encode an event-stream message").with_source(e)
    })?;
    Ok(out)
}

/// A database authentication token, as botocore's `generate_db_auth_token` (rds, signing name
/// `rds-db`) and the dsql token methods make it: a SigV4 presigned `GET https://<host>/?<params>`,
/// valid for `expires`, without its `https://`.
pub fn db_auth_token(
    creds: &Credentials,
    host: &str,
    params: &[(&str, &str)],
    signing_name: &str,
    region: &str,
    expires: std::time::Duration,
    time: SystemTime,
) -> Result<String> {
    if host.is_empty() || host.contains('/') {
        return Err(crate::error::Error::validation(format!(
            "a database host name (host or host:port) is needed, got {host:?}"
        )));
    }
    let query: Vec<String> = params
        .iter()
        .map(|(k, v)| crate::wire::percent::form_pair(k, v))
        .collect();
    let mut req = HttpRequest {
        method: "GET".into(),
        url: format!("https://{host}/?{}", query.join("&")),
        headers: Vec::new(),
        body: Default::default(),
    };
    sign_with(
        &mut req,
        creds,
        region,
        signing_name,
        time,
        &SignOptions::presign(expires),
    )?;
    // The signature last, where botocore puts it (after the session token).
    let url = match req.url.find("&X-Amz-Signature=") {
        Some(i) => {
            let end = req.url[i + 1..]
                .find('&')
                .map_or(req.url.len(), |j| i + 1 + j);
            format!("{}{}{}", &req.url[..i], &req.url[end..], &req.url[i..end])
        }
        None => req.url,
    };
    Ok(url.strip_prefix("https://").unwrap_or(&url).to_string())
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

    fn query_param<'a>(url: &'a str, name: &str) -> Option<&'a str> {
        let query = url.split_once('?')?.1;
        query.split('&').find_map(|kv| {
            let (k, v) = kv.split_once('=')?;
            (k == name).then_some(v)
        })
    }

    fn unhex(s: &str) -> Vec<u8> {
        (0..s.len())
            .step_by(2)
            .map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap())
            .collect()
    }

    fn sha256_hex(data: &[u8]) -> String {
        use sha2::Digest;
        crate::wire::checksum::hex(&sha2::Sha256::digest(data))
    }

    /// True when `sig_hex` (a hex DER ECDSA signature, as SigV4a sends it) verifies over
    /// `string_to_sign` with the P-256 public key `key`.
    fn verifies(key: &p256::ecdsa::VerifyingKey, string_to_sign: &str, sig_hex: &str) -> bool {
        use p256::ecdsa::signature::Verifier;
        let sig = p256::ecdsa::Signature::from_der(&unhex(sig_hex)).expect("a DER signature");
        key.verify(string_to_sign.as_bytes(), &sig).is_ok()
    }

    /// The public key of `AKIDEXAMPLE`/`wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY` under SigV4a's
    /// key derivation, from the CRT signing test suite (aws-c-auth v0.9.0,
    /// `tests/aws-signing-test-suite/v4a/get-vanilla/public-key.json`).
    fn crt_suite_key() -> p256::ecdsa::VerifyingKey {
        let x = "b6618f6a65740a99e650b33b6b4b5bd0d43b176d721a3edfea7e7d2d56d936b1";
        let y = "865ed22a7eadc9c5cb9d2cbaca1b3699139fedc5043dc6661864218330c8e518";
        let point = unhex(&format!("04{x}{y}"));
        p256::ecdsa::VerifyingKey::from_sec1_bytes(&point).expect("a P-256 point")
    }

    fn crt_suite_creds() -> Credentials {
        Credentials::new(
            "AKIDEXAMPLE",
            "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
            None,
        )
    }

    fn get(url: &str) -> HttpRequest {
        HttpRequest {
            method: "GET".into(),
            url: url.into(),
            headers: Vec::new(),
            body: bytes::Bytes::new(),
        }
    }

    fn sigv4a(region_set: &str) -> SignOptions {
        SignOptions {
            scheme: SigningScheme::SigV4a {
                region_set: region_set.into(),
            },
            ..SignOptions::default()
        }
    }

    const CRT_TIME: u64 = 1440938160; // 2015-08-30T12:36:00Z

    /// The CRT suite's `get-vanilla` case, signed in headers: the signature verifies with the
    /// suite's public key over the suite's string to sign (`header-string-to-sign.txt`).
    #[test]
    fn sigv4a_headers_verify_against_crt_suite() {
        let mut req = get("https://example.amazonaws.com/");
        let t = UNIX_EPOCH + Duration::from_secs(CRT_TIME);
        // The region argument is ignored: the region set replaces it.
        let opts = sigv4a("us-east-1");
        sign_with(
            &mut req,
            &crt_suite_creds(),
            "eu-west-3",
            "service",
            t,
            &opts,
        )
        .unwrap();
        assert_eq!(header(&req, "x-amz-region-set"), Some("us-east-1"));
        assert_eq!(header(&req, "x-amz-date"), Some("20150830T123600Z"));
        let auth = header(&req, "authorization").unwrap();
        let prefix = "AWS4-ECDSA-P256-SHA256 Credential=AKIDEXAMPLE/20150830/service/aws4_request, SignedHeaders=host;x-amz-date;x-amz-region-set, Signature=";
        assert!(auth.starts_with(prefix), "{auth}");
        let sig = &auth[prefix.len()..];
        let sts = "AWS4-ECDSA-P256-SHA256\n20150830T123600Z\n20150830/service/aws4_request\ncf59db423e841c8b7e3444158185aa261b724a5c27cbe762676f3eed19f4dc02";
        let key = crt_suite_key();
        assert!(verifies(&key, sts, sig));
        // The check can fail: the same signature does not verify for another string to sign.
        assert!(!verifies(&key, &sts.replace("cf59", "cf5a"), sig));
    }

    /// The same case presigned (`query-string-to-sign.txt`, expiring in an hour).
    #[test]
    fn sigv4a_presigned_query_verifies_against_crt_suite() {
        let mut req = get("https://example.amazonaws.com/");
        let t = UNIX_EPOCH + Duration::from_secs(CRT_TIME);
        let opts = SignOptions {
            presign_expires: Some(Duration::from_secs(3600)),
            ..sigv4a("us-east-1")
        };
        sign_with(
            &mut req,
            &crt_suite_creds(),
            "us-east-1",
            "service",
            t,
            &opts,
        )
        .unwrap();
        let url = req.url.as_str();
        assert_eq!(
            query_param(url, "X-Amz-Algorithm"),
            Some("AWS4-ECDSA-P256-SHA256")
        );
        assert_eq!(
            query_param(url, "X-Amz-Credential"),
            Some("AKIDEXAMPLE%2F20150830%2Fservice%2Faws4_request")
        );
        assert_eq!(query_param(url, "X-Amz-Region-Set"), Some("us-east-1"));
        assert_eq!(query_param(url, "X-Amz-Expires"), Some("3600"));
        assert!(header(&req, "authorization").is_none());
        assert!(header(&req, "x-amz-region-set").is_none());
        let sig = query_param(url, "X-Amz-Signature").unwrap();
        let sts = "AWS4-ECDSA-P256-SHA256\n20150830T123600Z\n20150830/service/aws4_request\n890c4ed28c1a1ac10b5862719b537afbe392e987dc1aab1efa16fe7de41d3c81";
        assert!(verifies(&crt_suite_key(), sts, sig));
    }

    /// SigV4a's key derivation (NIST SP 800-108 counter-mode KDF with HMAC-SHA256, as the SigV4a
    /// specification gives it), written out here so the test does not trust the signer's own.
    fn sigv4a_public_key(access_key: &str, secret: &str) -> p256::ecdsa::VerifyingKey {
        use sha2::{Digest, Sha256};
        fn hmac(key: &[u8], data: &[u8]) -> [u8; 32] {
            let mut k = [0u8; 64];
            if key.len() > 64 {
                k[..32].copy_from_slice(&Sha256::digest(key));
            } else {
                k[..key.len()].copy_from_slice(key);
            }
            let pad = |b: u8| k.iter().map(|x| x ^ b).collect::<Vec<u8>>();
            let inner = Sha256::new()
                .chain_update(pad(0x36))
                .chain_update(data)
                .finalize();
            Sha256::new()
                .chain_update(pad(0x5c))
                .chain_update(inner)
                .finalize()
                .into()
        }
        let key = format!("AWS4A{secret}");
        let mut data = 1u32.to_be_bytes().to_vec();
        data.extend_from_slice(b"AWS4-ECDSA-P256-SHA256\0");
        data.extend_from_slice(access_key.as_bytes());
        data.push(1); // the counter; a second round is needed once in about 2^32 keys
        data.extend_from_slice(&256u32.to_be_bytes());
        let mut scalar = hmac(key.as_bytes(), &data);
        // The private key is k0 + 1 (big-endian).
        for b in scalar.iter_mut().rev() {
            let (v, carry) = b.overflowing_add(1);
            *b = v;
            if !carry {
                break;
            }
        }
        *p256::ecdsa::SigningKey::from_slice(&scalar)
            .expect("a valid scalar")
            .verifying_key()
    }

    /// The derivation above reproduces the CRT suite's public key, so it can check other keys.
    #[test]
    fn sigv4a_key_derivation_matches_crt_suite() {
        let derived = sigv4a_public_key("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY");
        assert_eq!(derived, crt_suite_key());
    }

    /// An S3 request signed for all regions: the scope has no region, the payload hash is
    /// signed, and the signature verifies over the canonical request built here by hand.
    #[test]
    fn sigv4a_s3_request_for_all_regions() {
        let url = "https://mfzwi23gnjvgw.mrap.accesspoint.s3-global.amazonaws.com/photos/cat.jpg";
        let mut req = get(url);
        let creds = Credentials::new("AKID", "SECRET/key+example", None);
        let t = UNIX_EPOCH + Duration::from_secs(CRT_TIME);
        let opts = SignOptions {
            s3: true,
            ..sigv4a("*")
        };
        sign_with(&mut req, &creds, "us-west-2", "s3", t, &opts).unwrap();
        let empty = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
        assert_eq!(header(&req, "x-amz-region-set"), Some("*"));
        assert_eq!(header(&req, "x-amz-content-sha256"), Some(empty));
        let auth = header(&req, "authorization").unwrap();
        let prefix = "AWS4-ECDSA-P256-SHA256 Credential=AKID/20150830/s3/aws4_request, SignedHeaders=host;x-amz-content-sha256;x-amz-date;x-amz-region-set, Signature=";
        assert!(auth.starts_with(prefix), "{auth}");
        let sig = &auth[prefix.len()..];
        let creq = format!(
            "GET\n/photos/cat.jpg\n\nhost:mfzwi23gnjvgw.mrap.accesspoint.s3-global.amazonaws.com\n\
             x-amz-content-sha256:{empty}\nx-amz-date:20150830T123600Z\nx-amz-region-set:*\n\n\
             host;x-amz-content-sha256;x-amz-date;x-amz-region-set\n{empty}"
        );
        let sts = format!(
            "AWS4-ECDSA-P256-SHA256\n20150830T123600Z\n20150830/s3/aws4_request\n{}",
            sha256_hex(creq.as_bytes())
        );
        let key = sigv4a_public_key("AKID", "SECRET/key+example");
        assert!(verifies(&key, &sts, sig));
        assert!(!verifies(&crt_suite_key(), &sts, sig));
    }

    /// Temporary credentials keep `X-Amz-Security-Token` under SigV4a, and it is signed.
    #[test]
    fn sigv4a_signs_the_security_token() {
        let mut req = get("https://example.amazonaws.com/");
        let creds = Credentials::new("AKID", "SECRET", Some("TOKEN".into()));
        let t = UNIX_EPOCH + Duration::from_secs(CRT_TIME);
        sign_with(&mut req, &creds, "", "service", t, &sigv4a("*")).unwrap();
        assert_eq!(header(&req, "x-amz-security-token"), Some("TOKEN"));
        assert!(header(&req, "authorization")
            .unwrap()
            .contains("SignedHeaders=host;x-amz-date;x-amz-region-set;x-amz-security-token,"));
    }

    #[test]
    fn sigv4a_without_region_set_is_a_config_error() {
        let mut req = get("https://example.amazonaws.com/");
        let t = UNIX_EPOCH + Duration::from_secs(CRT_TIME);
        let err = sign_with(
            &mut req,
            &crt_suite_creds(),
            "us-east-1",
            "s",
            t,
            &sigv4a(""),
        )
        .unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Config);
        assert!(err.to_string().contains("region set"), "{err}");
        assert!(header(&req, "authorization").is_none());
    }

    fn s3express_creds() -> Credentials {
        Credentials::new(
            "ASIASESSIONKEY",
            "sessionSecret/Example+Key",
            Some("SESSIONTOKEN/abc+=".into()),
        )
    }

    const S3EXPRESS_URL: &str =
        "https://mybucket--usw2-az1--x-s3.s3express-usw2-az1.us-west-2.amazonaws.com/photos/cat.jpg";

    /// S3 Express One Zone: the session token goes in `x-amz-s3session-token`, signed, and never
    /// in `x-amz-security-token`. Expected value from botocore 1.43.11:
    /// `S3ExpressAuth(Credentials("ASIASESSIONKEY", "sessionSecret/Example+Key",
    /// "SESSIONTOKEN/abc+="), "s3express", "us-west-2", identity_cache=None).add_auth(r)` on
    /// `AWSRequest(method="GET", url=S3EXPRESS_URL)`, with `botocore.auth.get_current_datetime`
    /// patched to return 2023-11-14T22:13:20.
    #[test]
    fn s3express_headers_match_botocore() {
        let mut req = get(S3EXPRESS_URL);
        let t = UNIX_EPOCH + Duration::from_secs(1700000000);
        let opts = SignOptions {
            s3: true,
            scheme: SigningScheme::S3Express,
            ..SignOptions::default()
        };
        sign_with(
            &mut req,
            &s3express_creds(),
            "us-west-2",
            "s3express",
            t,
            &opts,
        )
        .unwrap();
        assert_eq!(
            header(&req, "x-amz-s3session-token"),
            Some("SESSIONTOKEN/abc+=")
        );
        assert!(header(&req, "x-amz-security-token").is_none());
        assert_eq!(header(&req, "authorization"), Some("AWS4-HMAC-SHA256 Credential=ASIASESSIONKEY/20231114/us-west-2/s3express/aws4_request, SignedHeaders=host;x-amz-content-sha256;x-amz-date;x-amz-s3session-token, Signature=c911e6b40b6fcc1b12e9a8f4b90077d37d871f3947b2c10e7531c02b5434c96f"));
        assert!(!format!("{req:?}").contains("SESSIONTOKEN"));
    }

    /// A presigned S3 Express URL carries the token as `X-Amz-S3session-Token`. Expected signature
    /// from botocore 1.43.11's `S3ExpressQueryAuth(..., expires=300)` on the same request, time and
    /// credentials as [`s3express_headers_match_botocore`].
    #[test]
    fn s3express_presigned_url_matches_botocore() {
        let mut req = get(S3EXPRESS_URL);
        let t = UNIX_EPOCH + Duration::from_secs(1700000000);
        let opts = SignOptions {
            s3: true,
            scheme: SigningScheme::S3Express,
            presign_expires: Some(Duration::from_secs(300)),
            // As botocore's query signers and the client's presign: the payload is not hashed.
            unsigned_payload: true,
            ..SignOptions::default()
        };
        sign_with(
            &mut req,
            &s3express_creds(),
            "us-west-2",
            "s3express",
            t,
            &opts,
        )
        .unwrap();
        let url = req.url.as_str();
        assert_eq!(
            query_param(url, "X-Amz-S3session-Token"),
            Some("SESSIONTOKEN%2Fabc%2B%3D")
        );
        assert!(query_param(url, "X-Amz-Security-Token").is_none());
        assert_eq!(
            query_param(url, "X-Amz-Signature"),
            Some("fb9557f808f14fb935d3cd40adf9ac35998b8d78ddee345277d5863c30bf2b8a")
        );
    }
}
