//! Checksums and digests of bodies: CRC-32, CRC-32C and CRC-64/NVME (SIMD, from `crc32fast`,
//! `crc32c` and `crc64fast-nvme`), the digest of each checksum algorithm whole or as a body goes
//! by, SHA-256 and Glacier's tree hash.

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

/// The digest of `body` for a checksum algorithm (`crc32`, `crc32c`, `crc64nvme`, `sha1`,
/// `sha256`, `sha512`, lowercase), big-endian for the CRCs; `None` for an algorithm not supported.
pub fn digest(algorithm: &str, body: &[u8]) -> Option<Vec<u8>> {
    let mut h = Hasher::new(algorithm)?;
    h.update(body);
    Some(h.finish())
}

/// A checksum computed as a body goes by, for the algorithms of [`digest`].
pub enum Hasher {
    /// CRC-32.
    Crc32(crc32fast::Hasher),
    /// CRC-32C.
    Crc32c(u32),
    /// CRC-64/NVME (S3's default for new objects).
    Crc64Nvme(crc64fast_nvme::Digest),
    /// SHA-1.
    Sha1(sha1::Sha1),
    /// SHA-256.
    Sha256(sha2::Sha256),
    /// SHA-512.
    Sha512(sha2::Sha512),
}

impl Hasher {
    /// A hasher for `algorithm` (lowercase, as in `x-amz-checksum-<algorithm>`), if supported.
    pub fn new(algorithm: &str) -> Option<Hasher> {
        use sha2::Digest;
        Some(match algorithm {
            "crc32" => Hasher::Crc32(crc32fast::Hasher::new()),
            "crc32c" => Hasher::Crc32c(0),
            "crc64nvme" => Hasher::Crc64Nvme(crc64fast_nvme::Digest::new()),
            "sha1" => Hasher::Sha1(sha1::Sha1::new()),
            "sha256" => Hasher::Sha256(sha2::Sha256::new()),
            "sha512" => Hasher::Sha512(sha2::Sha512::new()),
            _ => return None,
        })
    }

    /// Adds `data`.
    pub fn update(&mut self, data: &[u8]) {
        use sha2::Digest;
        match self {
            Hasher::Crc32(h) => h.update(data),
            Hasher::Crc32c(c) => *c = crc32c::crc32c_append(*c, data),
            Hasher::Crc64Nvme(h) => h.write(data),
            Hasher::Sha1(h) => h.update(data),
            Hasher::Sha256(h) => h.update(data),
            Hasher::Sha512(h) => h.update(data),
        }
    }

    /// The checksum of everything added (big-endian for the CRCs, as S3 encodes them).
    pub fn finish(self) -> Vec<u8> {
        use sha2::Digest;
        match self {
            Hasher::Crc32(h) => h.finalize().to_be_bytes().to_vec(),
            Hasher::Crc32c(c) => c.to_be_bytes().to_vec(),
            Hasher::Crc64Nvme(h) => h.sum64().to_be_bytes().to_vec(),
            Hasher::Sha1(h) => h.finalize().to_vec(),
            Hasher::Sha256(h) => h.finalize().to_vec(),
            Hasher::Sha512(h) => h.finalize().to_vec(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn crcs() {
        assert_eq!(crc32(b"123456789"), 0xCBF4_3926);
        assert_eq!(crc32c(b"123456789"), 0xE306_9283);
        // The catalogue's check value of CRC-64/NVME.
        assert_eq!(
            digest("crc64nvme", b"123456789").unwrap(),
            0xAE8B_1486_0A79_9888u64.to_be_bytes()
        );
    }

    #[test]
    fn hashing_in_pieces_gives_the_digest_of_the_whole() {
        let data: Vec<u8> = (0..100_000u32).map(|i| (i * 7 % 251) as u8).collect();
        for a in ["crc32", "crc32c", "crc64nvme", "sha1", "sha256", "sha512"] {
            let mut h = Hasher::new(a).unwrap();
            for piece in data.chunks(999) {
                h.update(piece);
            }
            assert_eq!(Some(h.finish()), digest(a, &data), "{a}");
        }
        assert!(Hasher::new("xxhash3").is_none());
        assert_eq!(digest("sha256", b"abc").unwrap(), sha256(b"abc"));
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
