//! Per-service hooks: what botocore's handlers add on top of the models, at each step of a call.
//! The client calls these entry points in order; each one sends a service to its own module
//! (`s3`, `glacier`, `iam`, `route53`, `user_data`), and request checksums (`checksum`) apply to
//! every service. The helpers they use (checksums, percent-encoding, XML) come from
//! [`crate::wire`].
//! `s3express` is not a step: it holds S3 Express One Zone session credentials for the client.

pub(crate) mod checksum;
mod glacier;
mod iam;
mod members;
mod presigned_url;
mod route53;
mod s3;
pub mod s3express;
mod user_data;

use crate::endpoint::Endpoint;
use crate::error::{Error, Result};
use crate::http::{HttpRequest, HttpResponse};
use crate::schema::{Operation, Service};
use crate::stream::ByteStream;
use crate::value::Structure;
use crate::wire::checksum::{hex, stream_hashes};

/// True for S3 (and services that share its rules).
pub fn is_s3(svc: &Service) -> bool {
    svc.name == "s3"
}

fn is_glacier(svc: &Service) -> bool {
    svc.name == "glacier"
}

/// The S3 bucket a request names, if any.
pub fn bucket<'a>(svc: &Service, input: Option<&'a dyn Structure>) -> Option<&'a str> {
    if is_s3(svc) {
        members::member_str(input?, "Bucket")
    } else {
        None
    }
}

/// What the input hooks decided that the output hooks must know.
#[derive(Debug, Default, Clone, Copy)]
pub struct Plan {
    /// The listing's keys arrive URL-encoded because the SDK asked for it: decode them.
    pub decode_listing: bool,
}

/// Step 1, before the input is validated and serialised: fills defaults and rewrites members
/// (Route 53 ids, user data) the way botocore's handlers do.
pub fn before_serialize(
    svc: &Service,
    op: &Operation,
    input: Option<&mut dyn Structure>,
    region: &str,
) -> Plan {
    let mut plan = Plan::default();
    let Some(input) = input else { return plan };
    if is_s3(svc) {
        plan.decode_listing = s3::before_serialize(op, input, region);
    }
    if is_glacier(svc) {
        glacier::before_serialize(input);
    }
    if svc.name == "route53" {
        route53::before_serialize(op, input);
    }
    if user_data::applies(svc, op) {
        user_data::before_serialize(input);
    }
    plan
}

/// Before the request is built: input checks botocore's handlers add (S3 bucket names).
pub fn validate_input(svc: &Service, input: Option<&dyn Structure>) -> Result<()> {
    if is_s3(svc) {
        s3::validate_bucket(bucket(svc, input))?;
    }
    Ok(())
}

/// Before the endpoint of a call is resolved: built-in parameters botocore changes for one call
/// (`customize_endpoint_resolver_builtins`), as (built-in, value) pairs.
pub fn endpoint_overrides(
    svc: &Service,
    op: &Operation,
    input: Option<&dyn Structure>,
) -> Vec<(&'static str, crate::endpoint::Value)> {
    if is_s3(svc) {
        s3::endpoint_overrides(op, bucket(svc, input))
    } else {
        Vec::new()
    }
}

/// Step 2, on the serialised request: Glacier headers and request checksums.
pub fn after_serialize(
    svc: &Service,
    op: &Operation,
    input: Option<&dyn Structure>,
    req: &mut HttpRequest,
    streaming_body: bool,
    presign: bool,
    checksums: checksum::ChecksumConfig,
) -> Result<()> {
    if is_glacier(svc) {
        glacier::after_serialize(svc, op, req, streaming_body);
    }
    // botocore's `switch_host_machinelearning`: Predict goes to the model's own endpoint.
    if svc.name == "machinelearning" && op.name == "Predict" {
        if let Some(endpoint) = input.and_then(|i| members::member_str(i, "PredictEndpoint")) {
            req.url = switch_host(&req.url, endpoint)?;
        }
    }
    // botocore's `change_get_to_post`: a search may be longer than a URL can be.
    if svc.name == "cloudsearchdomain" && op.name == "Search" && req.method == "GET" {
        if let Some((url, query)) = req.url.split_once('?') {
            let (url, query) = (url.to_string(), query.to_string());
            req.url = url;
            req.body = query.into_bytes().into();
            req.method = "POST".into();
            req.set_header("Content-Type", "application/x-www-form-urlencoded");
        }
    }
    // botocore's `add_accept_header`: API Gateway answers JSON only when asked for it.
    if svc.name == "apigateway" && req.header("accept").is_none() {
        req.headers
            .push(("Accept".to_string(), "application/json".to_string()));
    }
    checksum::add_checksum(op, input, req, streaming_body, presign, checksums)?;
    Ok(())
}

pub use checksum::{check_body, checked_body, response_checksum};

/// Step 2b, once the credentials are known: a copy across regions (rds, neptune, docdb `SourceRegion`;
/// ec2 `CopySnapshot`) gets its presigned URL, as botocore's handlers add it.
pub fn with_credentials(
    svc: &Service,
    op: &Operation,
    req: &mut HttpRequest,
    creds: &crate::auth::credentials::Credentials,
    region: &str,
) -> Result<()> {
    presigned_url::inject(svc, op, req, creds, region, std::time::SystemTime::now())
}

/// `url` with the scheme and host of `endpoint` (botocore's `_switch_hosts`).
fn switch_host(url: &str, endpoint: &str) -> Result<String> {
    let (scheme, rest) = endpoint.split_once("://").ok_or_else(|| {
        crate::error::Error::validation(format!(
            "PredictEndpoint: {endpoint:?} is not a URL (https://host)"
        ))
    })?;
    let host = rest.split(['/', '?']).next().unwrap_or_default();
    let path = url
        .split_once("://")
        .and_then(|(_, r)| r.find('/').map(|i| &r[i..]))
        .unwrap_or("/");
    Ok(format!("{scheme}://{host}{path}"))
}

/// Step 3, for a body streamed from a file or a stream: outside S3 it is signed by its SHA-256,
/// read in one pass that also gives Glacier its tree hash. Returns the hash to sign with, if any.
pub async fn streamed_body(
    svc: &Service,
    op: &Operation,
    req: &mut HttpRequest,
    body: &ByteStream,
) -> Result<Option<String>> {
    if is_s3(svc) {
        return Ok(None);
    }
    if !body.is_replayable() {
        return Err(Error::validation(format!(
            "{}: a stream of chunks can only be uploaded to S3; pass the body as bytes or a file",
            op.name
        )));
    }
    let (sha, tree) = stream_hashes(body.replay()).await?;
    if is_glacier(svc) {
        glacier::streamed_body_headers(op, req, &sha, &tree);
    }
    Ok(Some(hex(&sha)))
}

/// Step 4, on an answer: the region S3 says the bucket is in, when the request went to another
/// region's endpoint (never for custom endpoints).
pub fn redirect_region(
    svc: &Service,
    resp: &HttpResponse,
    endpoint: &Endpoint,
    bucket: &str,
) -> Option<String> {
    if is_s3(svc) {
        s3::redirect_region(resp, endpoint, bucket)
    } else {
        None
    }
}

/// Step 5, classifying an answer: true when a `200 OK` is an error (S3's `<Error>` bodies).
pub fn is_error_in_200(svc: &Service, op: &Operation, resp: &HttpResponse) -> bool {
    is_s3(svc) && s3::is_error_in_200(op, resp)
}

/// Step 6, on the parsed output: what the model cannot describe.
pub fn after_parse(
    svc: &Service,
    op: &Operation,
    resp: &HttpResponse,
    out: &mut dyn Structure,
    plan: Plan,
) {
    if svc.name == "iam" {
        iam::after_parse(out);
    }
    if is_s3(svc) {
        s3::after_parse(op, resp, out);
    }
    if plan.decode_listing {
        s3::decode_listing(out);
    }
}
