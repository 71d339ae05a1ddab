//! Glacier's rules beyond its model (botocore's handlers): the account id default, the API version
//! header, and the SHA-256 and tree hash headers of archive uploads.

use super::members::is_unset;
use crate::http::HttpRequest;
use crate::schema::{Operation, Service};
use crate::value::{Scalar, Structure};
use crate::wire::checksum::{hex, sha256, tree_hash};

/// botocore's default: `"-"` is the account of the credentials.
pub fn before_serialize(input: &mut dyn Structure) {
    if let Some(i) = is_unset(input, "accountId") {
        let _ = input.field_mut(i).set(Scalar::Str("-".into()));
    }
}

/// True for the operations that upload an archive, which carry its hashes.
fn uploads_archive(op: &Operation) -> bool {
    matches!(op.name, "UploadArchive" | "UploadMultipartPart")
}

/// The API version header, and the hashes of an archive held in memory.
pub fn after_serialize(svc: &Service, op: &Operation, req: &mut HttpRequest, streaming_body: bool) {
    req.headers
        .push(("x-amz-glacier-version".into(), svc.api_version.into()));
    if uploads_archive(op) && !streaming_body {
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

/// The hashes of an archive streamed from a file (botocore's `add_glacier_checksums`).
pub fn streamed_body_headers(
    op: &Operation,
    req: &mut HttpRequest,
    sha: &[u8; 32],
    tree: &[u8; 32],
) {
    if uploads_archive(op) {
        if req.header("x-amz-content-sha256").is_none() {
            req.headers.push(("x-amz-content-sha256".into(), hex(sha)));
        }
        if req.header("x-amz-sha256-tree-hash").is_none() {
            req.headers
                .push(("x-amz-sha256-tree-hash".into(), hex(tree)));
        }
    }
}
