//! Checksums and digests of bodies: CRC-32 and CRC-32C (SIMD, from `crc32fast` and `crc32c`),
//! the digest of each request checksum algorithm, SHA-256 and Glacier's tree hash.

use crate::error::Result;
use crate::stream::ByteStream;

/// CRC-32 (ISO-HDLC, as zlib computes it) of `data`: S3's default request checksum and the
/// checksum of every event-stream message.
pub fn crc32(data: &[u8]) -> u32 {
    crc32fast::hash(data)
}

/// CRC-32C (Castagnoli) of `data`, for S3's `CRC32C` checksum algorithm.
pub fn crc32c(data: &[u8]) -> u32 {
    crc32c::crc32c(data)
}

/// SHA-256 of `data`.
pub fn sha256(data: &[u8]) -> [u8; 32] {
    use sha2::Digest;
    sha2::Sha256::digest(data).into()
}

/// Lowercase hexadecimal.
pub fn hex(b: &[u8]) -> String {
    b.iter().map(|x| format!("{x:02x}")).collect()
}

/// Glacier's SHA-256 tree hash: hashes of 1 MiB chunks, combined pairwise up to one.
pub fn tree_hash(data: &[u8]) -> [u8; 32] {
    combine_tree(data.chunks(1024 * 1024).map(sha256).collect())
}

/// The SHA-256 and tree hash of a streamed body, read once in chunks (nothing buffered beyond
/// 1 MiB).
pub async fn stream_hashes(mut body: ByteStream) -> Result<([u8; 32], [u8; 32])> {
    use sha2::Digest;
    const MIB: usize = 1024 * 1024;
    let mut whole = sha2::Sha256::new();
    let mut leaves = Vec::new();
    let mut leaf = sha2::Sha256::new();
    let mut in_leaf = 0usize;
    while let Some(chunk) = body.next().await {
        let chunk = chunk?;
        whole.update(&chunk);
        let mut rest = &chunk[..];
        while !rest.is_empty() {
            let n = rest.len().min(MIB - in_leaf);
            leaf.update(&rest[..n]);
            in_leaf += n;
            rest = &rest[n..];
            if in_leaf == MIB {
                leaves.push(std::mem::take(&mut leaf).finalize().into());
                in_leaf = 0;
            }
        }
    }
    if in_leaf > 0 {
        leaves.push(leaf.finalize().into());
    }
    Ok((whole.finalize().into(), combine_tree(leaves)))
}

/// Combines hashes pairwise, level by level, up to one (the empty body hashes as itself).
fn combine_tree(mut level: Vec<[u8; 32]>) -> [u8; 32] {
    if level.is_empty() {
        return sha256(b"");
    }
    while level.len() > 1 {
        level = level
            .chunks(2)
            .map(|p| match p {
                [a, b] => {
                    let mut both = [0u8; 64];
                    both[..32].copy_from_slice(a);
                    both[32..].copy_from_slice(b);
                    sha256(&both)
                }
                [a] => *a,
                _ => unreachable!("chunks of two"),
            })
            .collect();
    }
    level[0]
}

/// The digest of `body` for a request checksum algorithm (`crc32`, `crc32c`, `sha1`, `sha256`,
/// `sha512`, lowercase), big-endian for the CRCs; `None` for an algorithm not supported.
pub fn digest(algorithm: &str, body: &[u8]) -> Option<Vec<u8>> {
    Some(match algorithm {
        "crc32" => crc32(body).to_be_bytes().to_vec(),
        "crc32c" => crc32c(body).to_be_bytes().to_vec(),
        "sha1" => {
            use sha1::Digest;
            sha1::Sha1::digest(body).to_vec()
        }
        "sha256" => sha256(body).to_vec(),
        "sha512" => {
            use sha2::Digest;
            sha2::Sha512::digest(body).to_vec()
        }
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn crcs() {
        assert_eq!(crc32(b"123456789"), 0xCBF4_3926);
        assert_eq!(crc32c(b"123456789"), 0xE306_9283);
    }

    #[test]
    fn tree_hash_of_small_data_is_its_sha256() {
        assert_eq!(tree_hash(b"abc"), sha256(b"abc"));
        let two = vec![7u8; 1024 * 1024 + 1];
        let a = sha256(&two[..1024 * 1024]);
        let b = sha256(&two[1024 * 1024..]);
        let mut both = a.to_vec();
        both.extend_from_slice(&b);
        assert_eq!(tree_hash(&two), sha256(&both));
    }
}
