//! Request checksums, for every service whose operations ask for them.

use super::members::member_str;
use crate::error::{Error, Result};
use crate::http::{HttpRequest, HttpResponse};
use crate::schema::{op_flags, Location, Operation, Shape};
use crate::stream::ByteStream;
use crate::value::Structure;
use crate::wire::checksum::{digest, Hasher};
use base64::Engine;

/// When checksums are computed and checked (botocore's `request_checksum_calculation` and
/// `response_checksum_validation`): `when_supported` (the default) or only `when_required`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ChecksumConfig {
    /// Request checksums for every operation that can carry one, not only those requiring one.
    pub request_when_supported: bool,
    /// Ask for the response's checksum (S3 `GetObject`'s `ChecksumMode`) unless the input says.
    pub response_when_supported: bool,
}

impl Default for ChecksumConfig {
    fn default() -> Self {
        ChecksumConfig {
            request_when_supported: true,
            response_when_supported: true,
        }
    }
}

/// `when_supported` (true) or `when_required` (false), any case, for setting `name`.
pub fn parse_when(name: &str, value: &str) -> Result<bool> {
    match value.trim().to_ascii_lowercase().as_str() {
        "when_supported" => Ok(true),
        "when_required" => Ok(false),
        _ => Err(Error::config(format!(
            "{name} must be when_supported or when_required, got {value:?}"
        ))),
    }
}

/// Request checksums as botocore 1.43 sends them: for operations that require one
/// (`httpChecksumRequired`, `requestChecksumRequired`) or, with `when_supported`, can carry one
/// (they name a checksum algorithm member), the body's checksum goes in
/// `x-amz-checksum-<algorithm>` (CRC32 unless the input names another), with the algorithm in the
/// algorithm member's header. Bodies streamed from a file or a stream are sent without one (an
/// explicit algorithm for them is an error), and presigned requests never get a default one.
/// An operation whose response carries a checksum (S3 `GetObject`) asks for it with
/// `when_supported`, as botocore's `_handle_request_validation_mode_member` does.
pub fn add_checksum(
    op: &Operation,
    input: Option<&dyn Structure>,
    req: &mut HttpRequest,
    streaming_body: bool,
    presign: bool,
    cfg: ChecksumConfig,
) -> Result<()> {
    if let (Some((member, _)), Some(i), false, true) = (
        op.checksum_validation,
        input,
        presign,
        cfg.response_when_supported,
    ) {
        if let Some(h) = header_of(i.shape(), member) {
            if req.header(h).is_none() {
                req.headers.push((h.to_string(), "ENABLED".to_string()));
            }
        }
    }
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
        None if required
            || (cfg.request_when_supported && op.checksum_algorithm_member.is_some()) =>
        {
            "crc32".to_string()
        }
        None => return Ok(()),
    };
    let Some(value) = digest(&algorithm, &req.body) else {
        return Err(Error::validation(format!(
            "{}: the checksum algorithm {algorithm:?} is not supported (CRC32, CRC32C, CRC64NVME, SHA1, SHA256 and SHA512 are)",
            op.name
        )));
    };
    // The algorithm member's own header (`x-amz-sdk-checksum-algorithm`) says which one was used.
    if let (Some(m), Some(i)) = (op.checksum_algorithm_member, input) {
        if let Some(h) = header_of(i.shape(), m) {
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

/// The header input member `m` of `shape` travels in, if it is a header member.
fn header_of(shape: &Shape, m: &str) -> Option<&'static str> {
    shape
        .members
        .iter()
        .find(|x| x.name == m && x.location == Location::Header)
        .map(|x| x.wire_name())
}

/// The algorithms whose response checksums are checked, in botocore's order of preference (the
/// xxhash ones, which neither botocore without its CRT extension nor boto-rs computes, left out).
const RESPONSE_PRIORITY: &[&str] = &["crc64nvme", "crc32c", "crc32", "sha1", "sha256", "sha512"];

/// The checksum a response carries for its body, when the request asked for one (its
/// validation-mode header, `x-amz-checksum-mode`, was sent), as botocore's `handle_checksum_body`
/// picks it: the first algorithm of `RESPONSE_PRIORITY` (crc64nvme, crc32c, crc32, sha1, sha256, sha512) the operation lists whose
/// `x-amz-checksum-<algorithm>` header is present, unless it is a checksum of part checksums
/// (`...-3`), which says nothing about the body. Gives the algorithm and the decoded value; a
/// value that is not base64 is an error.
pub fn response_checksum(
    op: &Operation,
    req: &HttpRequest,
    resp: &HttpResponse,
) -> Result<Option<(&'static str, Vec<u8>)>> {
    let Some((member, listed)) = op.checksum_validation else {
        return Ok(None);
    };
    let asked = op
        .input
        .and_then(|s| header_of(s, member))
        .is_some_and(|h| req.header(h).is_some());
    if !asked {
        return Ok(None);
    }
    for a in RESPONSE_PRIORITY {
        if !listed.iter().any(|l| l.eq_ignore_ascii_case(a)) {
            continue;
        }
        let header = format!("x-amz-checksum-{a}");
        let Some(value) = resp.header(&header) else {
            continue;
        };
        if value.contains('-') {
            continue;
        }
        return match base64::engine::general_purpose::STANDARD.decode(value.trim()) {
            Ok(decoded) => Ok(Some((a, decoded))),
            Err(_) => Err(Error::response(format!(
                "{}: the response's {header} is not base64: {value:?}",
                op.name
            ))),
        };
    }
    Ok(None)
}

/// Checks a body held in memory against the checksum its response gave.
pub fn check_body(op: &Operation, algorithm: &str, expected: &[u8], body: &[u8]) -> Result<()> {
    verify(
        op,
        algorithm,
        expected,
        &digest(algorithm, body).unwrap_or_default(),
    )
}

/// Whether the checksum `got` is the `expected` one the response gave; the error says both.
fn verify(op: &Operation, algorithm: &str, expected: &[u8], got: &[u8]) -> Result<()> {
    if got == expected {
        Ok(())
    } else {
        Err(mismatch(op, algorithm, expected, got))
    }
}

/// The error for a body whose checksum is not the one its response gave (botocore's
/// `FlexibleChecksumError`).
fn mismatch(op: &Operation, algorithm: &str, expected: &[u8], got: &[u8]) -> Error {
    let b64 = |b: &[u8]| base64::engine::general_purpose::STANDARD.encode(b);
    Error::response(format!(
        "{}: the body's {} checksum is {}, but the response's x-amz-checksum-{algorithm} is {}; \
         the body was damaged on the way",
        op.name,
        algorithm.to_ascii_uppercase(),
        b64(got),
        b64(expected)
    ))
}

/// `body`, checked against the `algorithm` checksum its response gave as it is read: the read
/// after the last chunk fails when the checksums differ.
pub fn checked_body(
    body: ByteStream,
    op: &'static Operation,
    algorithm: &'static str,
    expected: Vec<u8>,
) -> ByteStream {
    use futures::StreamExt;
    let Some(hasher) = Hasher::new(algorithm) else {
        return body;
    };
    let len = body.len();
    let checked = futures::stream::unfold(
        (body.into_chunks(), Some(hasher), expected),
        move |(mut chunks, mut hasher, expected)| async move {
            let h = hasher.as_mut()?;
            match chunks.next().await {
                Some(Ok(b)) => {
                    h.update(&b);
                    Some((Ok(b), (chunks, hasher, expected)))
                }
                Some(Err(e)) => Some((Err(e), (chunks, None, expected))),
                None => {
                    let got = hasher.take().map(Hasher::finish).unwrap_or_default();
                    let e = verify(op, algorithm, &expected, &got).err()?;
                    Some((Err(e), (chunks, None, expected)))
                }
            }
        },
    );
    ByteStream::from_chunks(checked.boxed(), len)
}
