//! Request checksums, for every service whose operations ask for them.

use super::members::member_str;
use crate::error::{Error, Result};
use crate::http::HttpRequest;
use crate::schema::{op_flags, Location, Operation};
use crate::value::Structure;
use crate::wire::checksum::digest;
use base64::Engine;

/// Request checksums as botocore 1.43 sends them by default (`when_supported`): for operations
/// that require one (`httpChecksumRequired`, `requestChecksumRequired`) or can carry one (they
/// name a checksum algorithm member), the body's checksum goes in `x-amz-checksum-<algorithm>`
/// (CRC32 unless the input names another), with the algorithm in the algorithm member's header.
/// Bodies streamed from a file or a stream are sent without one (an explicit algorithm for them
/// is an error), and presigned requests never get a default one.
pub fn add_checksum(
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
            .find(|x| x.name == m && x.location == Location::Header)
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
