//! S3 transfers (boto3's `upload_file` / `download_file`, `upload_fileobj` / `download_fileobj`
//! and managed `copy`): one request below the multipart threshold, else a multipart upload,
//! ranged downloads or part copies, at most `max_concurrency` at a time, with a progress callback. The generated s3 crate names the operations
//! ([`S3Ops`]); the work is done here on its untyped inputs and outputs.

use crate::client::ClientHandle;
use crate::error::{Error, ErrorKind, Result};
use crate::jmespath::member_json;
use crate::resource::{New, Pending};
use crate::schema::Operation;
use crate::stream::ByteStream;
use crate::value::{Structure, ValueMut};
use futures::stream::{StreamExt, TryStreamExt};
use serde_json::Value as Json;
use std::path::{Path, PathBuf};
use std::sync::Arc;
/// The reader `upload_fileobj` takes and the writer `download_fileobj` takes (tokio's).
pub use tokio::io::{AsyncRead, AsyncWrite};
use tokio::io::{AsyncReadExt, AsyncSeekExt, AsyncWriteExt};

/// Called with the number of bytes just transferred (boto3's `Callback`).
pub type Progress = Arc<dyn Fn(u64) + Send + Sync>;

/// How transfers are split (boto3's `TransferConfig`, with its defaults).
#[derive(Clone)]
pub struct TransferConfig {
    /// Files of this size or more go in parts (8 MiB).
    pub multipart_threshold: u64,
    /// The size of each part (8 MiB; S3 needs at least 5 MiB for all but the last part).
    pub multipart_chunksize: u64,
    /// Parts in flight at once (10).
    pub max_concurrency: usize,
    /// Called as bytes go out or come in.
    pub progress: Option<Progress>,
    /// boto3's `ExtraArgs`: members of the transfer's requests, by their model names
    /// (`ContentType`, `Metadata`, `ServerSideEncryption`, `VersionId`, `MetadataDirective`, ...),
    /// in their serde form. Each transfer takes what boto3's does for its direction (an upload
    /// `ALLOWED_UPLOAD_ARGS`, a download `ALLOWED_DOWNLOAD_ARGS`, a copy `ALLOWED_COPY_ARGS`;
    /// another name is an error before anything is sent) and gives each request the ones
    /// s3transfer gives it.
    pub extra_args: serde_json::Map<String, Json>,
}

impl Default for TransferConfig {
    fn default() -> Self {
        TransferConfig {
            multipart_threshold: 8 * 1024 * 1024,
            multipart_chunksize: 8 * 1024 * 1024,
            max_concurrency: 10,
            progress: None,
            extra_args: serde_json::Map::new(),
        }
    }
}

impl std::fmt::Debug for TransferConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TransferConfig")
            .field("multipart_threshold", &self.multipart_threshold)
            .field("multipart_chunksize", &self.multipart_chunksize)
            .field("max_concurrency", &self.max_concurrency)
            .field("progress", &self.progress.is_some())
            .field("extra_args", &self.extra_args)
            .finish()
    }
}

impl TransferConfig {
    /// Sets [`multipart_threshold`](Self::multipart_threshold).
    pub fn multipart_threshold(mut self, bytes: u64) -> Self {
        self.multipart_threshold = bytes;
        self
    }
    /// Sets [`multipart_chunksize`](Self::multipart_chunksize).
    pub fn multipart_chunksize(mut self, bytes: u64) -> Self {
        self.multipart_chunksize = bytes;
        self
    }
    /// Sets [`max_concurrency`](Self::max_concurrency).
    pub fn max_concurrency(mut self, n: usize) -> Self {
        self.max_concurrency = n;
        self
    }
    /// Sets the progress callback.
    pub fn progress(mut self, f: impl Fn(u64) + Send + Sync + 'static) -> Self {
        self.progress = Some(Arc::new(f));
        self
    }
    /// Adds one of boto3's `ExtraArgs` ([`extra_args`](Self::extra_args)):
    /// `.extra_arg("ContentType", "text/csv")`, `.extra_arg("Metadata", json!({"k": "v"}))`.
    pub fn extra_arg(mut self, name: &str, value: impl Into<Json>) -> Self {
        self.extra_args.insert(name.to_string(), value.into());
        self
    }
    fn report(&self, n: u64) {
        if let Some(p) = &self.progress {
            p(n);
        }
    }
}

/// One operation with its input and output types.
#[derive(Debug)]
pub struct Call {
    /// The operation.
    pub op: &'static Operation,
    /// Its input type.
    pub input: New,
    /// Its output type.
    pub output: New,
}

/// The s3 operations a transfer uses.
#[derive(Debug)]
pub struct S3Ops {
    /// PutObject.
    pub put_object: Call,
    /// CreateMultipartUpload.
    pub create_multipart_upload: Call,
    /// UploadPart.
    pub upload_part: Call,
    /// CompleteMultipartUpload.
    pub complete_multipart_upload: Call,
    /// AbortMultipartUpload.
    pub abort_multipart_upload: Call,
    /// HeadObject.
    pub head_object: Call,
    /// GetObject.
    pub get_object: Call,
    /// CopyObject.
    pub copy_object: Call,
    /// UploadPartCopy.
    pub upload_part_copy: Call,
    /// GetObjectTagging.
    pub get_object_tagging: Call,
}

fn set(input: &mut dyn Structure, member: &str, v: Json) -> Result<()> {
    crate::resource::set_param(input, member, &v, None)
}

/// s3transfer's lists of the `ExtraArgs` each transfer takes (`manager.py`, `upload.py`,
/// `copies.py`, `constants.py`).
mod extra_lists {
    pub const SHARED: &[&str] = &[
        "ACL",
        "CacheControl",
        "ChecksumAlgorithm",
        "ContentDisposition",
        "ContentEncoding",
        "ContentLanguage",
        "ContentType",
        "ExpectedBucketOwner",
        "Expires",
        "GrantFullControl",
        "GrantRead",
        "GrantReadACP",
        "GrantWriteACP",
        "Metadata",
        "ObjectLockLegalHoldStatus",
        "ObjectLockMode",
        "ObjectLockRetainUntilDate",
        "RequestPayer",
        "ServerSideEncryption",
        "StorageClass",
        "SSECustomerAlgorithm",
        "SSECustomerKey",
        "SSECustomerKeyMD5",
        "SSEKMSKeyId",
        "SSEKMSEncryptionContext",
        "Tagging",
        "WebsiteRedirectLocation",
    ];
    pub const FULL_OBJECT_CHECKSUMS: &[&str] = &[
        "ChecksumCRC32",
        "ChecksumCRC32C",
        "ChecksumCRC64NVME",
        "ChecksumMD5",
        "ChecksumSHA1",
        "ChecksumSHA256",
        "ChecksumSHA512",
        "ChecksumXXHASH3",
        "ChecksumXXHASH64",
        "ChecksumXXHASH128",
    ];
    pub const UPLOAD_ONLY: &[&str] = &["ChecksumType", "MpuObjectSize"];
    pub const COPY_ONLY: &[&str] = &[
        "CopySourceIfMatch",
        "CopySourceIfModifiedSince",
        "CopySourceIfNoneMatch",
        "CopySourceIfUnmodifiedSince",
        "CopySourceSSECustomerAlgorithm",
        "CopySourceSSECustomerKey",
        "CopySourceSSECustomerKeyMD5",
        "MetadataDirective",
        "TaggingDirective",
    ];
    pub const DOWNLOAD: &[&str] = &[
        "ChecksumMode",
        "VersionId",
        "SSECustomerAlgorithm",
        "SSECustomerKey",
        "SSECustomerKeyMD5",
        "RequestPayer",
        "ExpectedBucketOwner",
    ];
    pub const UPLOAD_PART: &[&str] = &[
        "ChecksumAlgorithm",
        "SSECustomerKey",
        "SSECustomerAlgorithm",
        "SSECustomerKeyMD5",
        "RequestPayer",
        "ExpectedBucketOwner",
    ];
    pub const UPLOAD_COMPLETE: &[&str] = &[
        "SSECustomerKey",
        "SSECustomerAlgorithm",
        "SSECustomerKeyMD5",
        "RequestPayer",
        "ExpectedBucketOwner",
        "ChecksumType",
        "MpuObjectSize",
    ];
    pub const COPY_PART: &[&str] = &[
        "CopySourceIfMatch",
        "CopySourceIfModifiedSince",
        "CopySourceIfNoneMatch",
        "CopySourceIfUnmodifiedSince",
        "CopySourceSSECustomerKey",
        "CopySourceSSECustomerAlgorithm",
        "CopySourceSSECustomerKeyMD5",
        "SSECustomerKey",
        "SSECustomerAlgorithm",
        "SSECustomerKeyMD5",
        "RequestPayer",
        "ExpectedBucketOwner",
    ];
    pub const COPY_COMPLETE: &[&str] = &[
        "SSECustomerKey",
        "SSECustomerAlgorithm",
        "SSECustomerKeyMD5",
        "RequestPayer",
        "ExpectedBucketOwner",
    ];
    /// A copy's `HeadObject` of its source takes these, renamed.
    pub const COPY_HEAD: &[(&str, &str)] = &[
        ("CopySourceIfMatch", "IfMatch"),
        ("CopySourceIfModifiedSince", "IfModifiedSince"),
        ("CopySourceIfNoneMatch", "IfNoneMatch"),
        ("CopySourceIfUnmodifiedSince", "IfUnmodifiedSince"),
        ("CopySourceSSECustomerKey", "SSECustomerKey"),
        ("CopySourceSSECustomerAlgorithm", "SSECustomerAlgorithm"),
        ("CopySourceSSECustomerKeyMD5", "SSECustomerKeyMD5"),
        ("RequestPayer", "RequestPayer"),
        ("ExpectedBucketOwner", "ExpectedBucketOwner"),
    ];
    pub const ABORT: &[&str] = &["RequestPayer", "ExpectedBucketOwner"];
}

/// Which transfer the `ExtraArgs` are for.
#[derive(Clone, Copy, PartialEq)]
enum Direction {
    Upload,
    Download,
    Copy,
}

/// One transfer's `ExtraArgs`, checked, handed to each request as s3transfer hands them.
struct Extra {
    args: serde_json::Map<String, Json>,
    direction: Direction,
}

impl Extra {
    /// `config`'s extra arguments for a transfer in `direction`; one it does not take is an error
    /// naming it, as boto3's. A full-object checksum (`ChecksumCRC32`, ...) on an upload adds
    /// `ChecksumType` `FULL_OBJECT` and its `ChecksumAlgorithm`, which a multipart upload needs
    /// (s3transfer adds them too).
    fn new(config: &TransferConfig, direction: Direction) -> Result<Extra> {
        use extra_lists::*;
        let (what, lists): (_, &[&[&str]]) = match direction {
            Direction::Upload => ("an upload", &[SHARED, UPLOAD_ONLY, FULL_OBJECT_CHECKSUMS]),
            Direction::Download => ("a download", &[DOWNLOAD]),
            Direction::Copy => ("a copy", &[SHARED, COPY_ONLY]),
        };
        for k in config.extra_args.keys() {
            if !lists.iter().any(|l| l.contains(&k.as_str())) {
                let takes: Vec<&str> = lists.iter().flat_map(|l| l.iter().copied()).collect();
                return Err(Error::validation(format!(
                    "{what} takes no extra argument `{k}`; it takes {}",
                    takes.join(", ")
                )));
            }
        }
        let mut args = config.extra_args.clone();
        let full = FULL_OBJECT_CHECKSUMS
            .iter()
            .find(|c| args.contains_key(**c));
        if let (Direction::Upload, Some(full)) = (direction, full) {
            let algorithm = full.trim_start_matches("Checksum").to_string();
            args.insert("ChecksumType".into(), Json::from("FULL_OBJECT"));
            args.insert("ChecksumAlgorithm".into(), Json::from(algorithm));
        }
        Ok(Extra { args, direction })
    }

    /// Whether the transfer was given `name` with the value `value`.
    fn is(&self, name: &str, value: &str) -> bool {
        self.args.get(name).and_then(Json::as_str) == Some(value)
    }

    /// The checksum algorithm of a multipart upload's parts: the one given, else CRC32 for an
    /// upload (s3transfer's default) and none for a copy.
    fn algorithm(&self) -> Option<String> {
        match self.args.get("ChecksumAlgorithm").and_then(Json::as_str) {
            Some(a) => Some(a.to_ascii_uppercase()),
            None if self.direction == Direction::Upload => Some("CRC32".into()),
            None => None,
        }
    }

    /// A part's checksum in `read`'s output (`ChecksumSHA256` when the algorithm is SHA256), which
    /// `CompleteMultipartUpload` lists with the part, as s3transfer lists it.
    fn part_checksum(&self, read: impl Fn(&str) -> Json) -> Option<(String, String)> {
        let member = format!("Checksum{}", self.algorithm()?);
        let value = read(&member).as_str()?.to_string();
        Some((member, value))
    }

    /// Sets on `input`, the input of `op`, the extra arguments that request takes.
    fn apply(&self, op: &str, input: &mut dyn Structure) -> Result<()> {
        use extra_lists::*;
        use Direction::*;
        for (k, v) in &self.args {
            let k = k.as_str();
            let into = match (self.direction, op) {
                (Upload, "PutObject") => (!UPLOAD_ONLY.contains(&k)).then_some(k),
                (Upload, "CreateMultipartUpload") => {
                    (k != "MpuObjectSize" && !FULL_OBJECT_CHECKSUMS.contains(&k)).then_some(k)
                }
                (Upload, "UploadPart") => UPLOAD_PART.contains(&k).then_some(k),
                (Upload, "CompleteMultipartUpload") => (UPLOAD_COMPLETE.contains(&k)
                    || FULL_OBJECT_CHECKSUMS.contains(&k))
                .then_some(k),
                (Download, "HeadObject" | "GetObject") | (Copy, "CopyObject") => Some(k),
                // What reads the copy's source.
                (Copy, "HeadObject" | "GetObjectTagging") => {
                    COPY_HEAD.iter().find(|(f, _)| *f == k).map(|(_, t)| *t)
                }
                // Without `REPLACE`, the source's headers and tags are the copy's, as with
                // `CopyObject`'s `COPY`: the extra arguments' do not replace them.
                (Copy, "CreateMultipartUpload") => (!COPY_ONLY.contains(&k)
                    && (self.is("MetadataDirective", "REPLACE") || !COPIED_HEADERS.contains(&k))
                    && (self.is("TaggingDirective", "REPLACE") || k != "Tagging"))
                    .then_some(k),
                (Copy, "UploadPartCopy") => COPY_PART.contains(&k).then_some(k),
                (Copy, "CompleteMultipartUpload") => COPY_COMPLETE.contains(&k).then_some(k),
                // (s3transfer aborts with none; the payer and owner checks hold there too.)
                (_, "AbortMultipartUpload") => ABORT.contains(&k).then_some(k),
                _ => None,
            };
            let Some(into) = into else { continue };
            if input.shape().member_index(into).is_none() {
                // `GetObjectTagging` has no conditions or SSE-C keys to take.
                if op == "GetObjectTagging" {
                    continue;
                }
                return Err(Error::validation(format!(
                    "the extra argument `{k}` has no member `{into}` to go to in {op}'s input"
                )));
            }
            set(input, into, v.clone())?;
        }
        // An upload and each of its parts carry one checksum algorithm: the one given (in upper
        // case), else CRC32, as s3transfer asks for by default.
        if self.direction == Upload && matches!(op, "CreateMultipartUpload" | "UploadPart") {
            set(input, "ChecksumAlgorithm", Json::from(self.algorithm()))?;
        }
        Ok(())
    }
}

fn set_body(input: &mut dyn Structure, body: ByteStream) -> Result<()> {
    let i = input
        .shape()
        .member_index("Body")
        .ok_or_else(|| Error::validation("the upload input has no Body"))?;
    input
        .field_mut(i)
        .set_stream(body)
        .map_err(|_| Error::validation("the upload input's Body is not a stream"))
}

fn take_body(out: &mut dyn Structure) -> Result<ByteStream> {
    let i = out
        .shape()
        .member_index("Body")
        .ok_or_else(|| Error::response("GetObject's output has no Body"))?;
    match out.field_mut(i).get_mut() {
        ValueMut::Stream(s) => Ok(std::mem::take(s)),
        _ => Err(Error::response("GetObject's Body is not a stream")),
    }
}

/// Sends `call` with the input `fill` makes and the transfer's extra arguments.
async fn send(
    handle: &ClientHandle,
    call: &Call,
    extra: &Extra,
    fill: impl FnOnce(&mut dyn Structure) -> Result<()>,
) -> Result<Box<dyn Structure>> {
    let mut input = (call.input)();
    // The extra arguments first: what the transfer sets itself (the source's ETag a part copy
    // is pinned to, the headers a copy keeps) is not theirs to replace.
    extra.apply(call.op.name, &mut *input)?;
    fill(&mut *input)?;
    let mut out = (call.output)();
    handle
        .invoke(call.op, Some(&mut *input), Some(&mut *out))
        .await?;
    Ok(out)
}

fn io_error(what: &str, path: &Path, e: std::io::Error) -> Error {
    Error::new(
        ErrorKind::Transport,
        format!("{what} {}: {e}", path.display()),
    )
}

/// [`upload_file`] as a resource method's future.
pub fn upload(
    handle: &ClientHandle,
    ops: &'static S3Ops,
    path: &Path,
    bucket: &str,
    key: &str,
    config: &TransferConfig,
) -> Pending<()> {
    let (h, path, b, k, c) = owned(handle, path, bucket, key, config);
    Pending::boxed(async move { upload_file(&h, ops, &path, &b, &k, &c).await })
}

/// [`download_file`] as a resource method's future.
pub fn download(
    handle: &ClientHandle,
    ops: &'static S3Ops,
    bucket: &str,
    key: &str,
    path: &Path,
    config: &TransferConfig,
) -> Pending<()> {
    let (h, path, b, k, c) = owned(handle, path, bucket, key, config);
    Pending::boxed(async move { download_file(&h, ops, &b, &k, &path, &c).await })
}

fn owned(
    handle: &ClientHandle,
    path: &Path,
    bucket: &str,
    key: &str,
    config: &TransferConfig,
) -> (ClientHandle, PathBuf, String, String, TransferConfig) {
    let (h, b, k, c) = owned_target(handle, bucket, key, config);
    (h, path.to_path_buf(), b, k, c)
}

/// What a transfer's future owns (it outlives the method's borrows).
fn owned_target(
    handle: &ClientHandle,
    bucket: &str,
    key: &str,
    config: &TransferConfig,
) -> (ClientHandle, String, String, TransferConfig) {
    (
        handle.clone(),
        bucket.to_string(),
        key.to_string(),
        config.clone(),
    )
}

/// Uploads the file at `path` to `bucket`/`key`.
pub async fn upload_file(
    handle: &ClientHandle,
    ops: &'static S3Ops,
    path: &Path,
    bucket: &str,
    key: &str,
    config: &TransferConfig,
) -> Result<()> {
    let extra = &Extra::new(config, Direction::Upload)?;
    let size = tokio::fs::metadata(path)
        .await
        .map_err(|e| io_error("cannot read", path, e))?
        .len();
    let target = |i: &mut dyn Structure| {
        set(i, "Bucket", Json::from(bucket))?;
        set(i, "Key", Json::from(key))
    };
    if size < config.multipart_threshold.max(1) {
        // A checksum the caller asks for by algorithm is computed over the body, in memory (a
        // streamed body goes without one; a full-object value given is sent as it is).
        let computed = extra.args.contains_key("ChecksumAlgorithm")
            && !(extra_lists::FULL_OBJECT_CHECKSUMS.iter()).any(|c| extra.args.contains_key(*c));
        let body = if computed {
            let data = tokio::fs::read(path).await;
            ByteStream::from(data.map_err(|e| io_error("cannot read", path, e))?)
        } else {
            ByteStream::from_path(path).await?
        };
        send(handle, &ops.put_object, extra, |i| {
            target(i)?;
            set_body(i, body)
        })
        .await?;
        config.report(size);
        return Ok(());
    }
    multipart(
        handle,
        ops,
        extra,
        &target,
        &|_| Ok(()),
        |upload_id| async move {
            let up = PartsOf {
                handle,
                ops,
                extra,
                target: &target,
                upload_id: &upload_id,
            };
            upload_parts(up, path, size, config).await
        },
    )
    .await
}

/// A multipart upload around `parts`: created (with `create`'s members), its parts made by
/// `parts` from the upload id, completed, or aborted when anything fails (parts left behind are
/// billed); the upload's own error is the one returned.
async fn multipart<F, Fut>(
    handle: &ClientHandle,
    ops: &'static S3Ops,
    extra: &Extra,
    target: &(dyn Fn(&mut dyn Structure) -> Result<()> + Sync),
    create: &(dyn Fn(&mut dyn Structure) -> Result<()> + Sync),
    parts: F,
) -> Result<()>
where
    F: FnOnce(String) -> Fut,
    Fut: std::future::Future<Output = Result<Vec<Part>>>,
{
    let created = send(handle, &ops.create_multipart_upload, extra, |i| {
        target(i)?;
        create(i)
    })
    .await?;
    let upload_id = match member_json(&*created, "UploadId") {
        Json::String(s) => s,
        _ => {
            return Err(Error::response(
                "CreateMultipartUpload returned no UploadId",
            ))
        }
    };
    let result = async {
        let mut parts = parts(upload_id.clone()).await?;
        parts.sort_by_key(|p| p.number);
        send(handle, &ops.complete_multipart_upload, extra, |i| {
            target(i)?;
            set(i, "UploadId", Json::from(upload_id.as_str()))?;
            for (k, part) in parts.iter().enumerate() {
                let base = format!("MultipartUpload.Parts[{k}]");
                set(i, &format!("{base}.PartNumber"), Json::from(part.number))?;
                set(i, &format!("{base}.ETag"), Json::from(part.etag.as_str()))?;
                if let Some((member, c)) = &part.checksum {
                    set(i, &format!("{base}.{member}"), Json::from(c.as_str()))?;
                }
            }
            Ok(())
        })
        .await
    }
    .await;
    match result {
        Ok(_) => Ok(()),
        Err(e) => {
            let _ = send(handle, &ops.abort_multipart_upload, extra, |i| {
                target(i)?;
                set(i, "UploadId", Json::from(upload_id.as_str()))
            })
            .await;
            Err(e)
        }
    }
}

async fn read_range(path: &Path, offset: u64, len: u64) -> Result<Vec<u8>> {
    let mut f = tokio::fs::File::open(path)
        .await
        .map_err(|e| io_error("cannot open", path, e))?;
    f.seek(std::io::SeekFrom::Start(offset))
        .await
        .map_err(|e| io_error("cannot seek in", path, e))?;
    let mut buf = vec![0; len as usize];
    f.read_exact(&mut buf)
        .await
        .map_err(|e| io_error("cannot read", path, e))?;
    Ok(buf)
}

/// An uploaded part: its number, ETag and checksum (when S3 reports one).
struct Part {
    number: i64,
    etag: String,
    /// The part's checksum (`ChecksumCRC32`, or the one `ChecksumAlgorithm` asked for), which
    /// `CompleteMultipartUpload` lists.
    checksum: Option<(String, String)>,
}

/// S3's limits on parts: at least 5 MiB (all but the last), at most 5 GiB, at most 10,000 of
/// them. The configured size is moved into range and doubled until the file fits, as
/// s3transfer's `ChunksizeAdjuster` does.
fn part_size(configured: u64, size: u64) -> u64 {
    const MIN: u64 = 5 * 1024 * 1024;
    const MAX: u64 = 5 * 1024 * 1024 * 1024;
    const MAX_PARTS: u64 = 10_000;
    let mut chunk = configured.clamp(MIN, MAX);
    while size.div_ceil(chunk) > MAX_PARTS && chunk < MAX {
        chunk = (chunk * 2).min(MAX);
    }
    chunk
}

/// What every part of one multipart upload is sent with.
#[derive(Clone, Copy)]
struct PartsOf<'a> {
    handle: &'a ClientHandle,
    ops: &'static S3Ops,
    extra: &'a Extra,
    /// Sets the bucket and key.
    target: &'a (dyn Fn(&mut dyn Structure) -> Result<()> + Sync),
    upload_id: &'a str,
}

async fn upload_parts(
    up: PartsOf<'_>,
    path: &Path,
    size: u64,
    config: &TransferConfig,
) -> Result<Vec<Part>> {
    let chunk = part_size(config.multipart_chunksize, size);
    let count = size.div_ceil(chunk);
    futures::stream::iter(0..count)
        .map(|n| async move {
            let offset = n * chunk;
            let data = read_range(path, offset, chunk.min(size - offset)).await?;
            send_part(up, n as i64 + 1, data, config).await
        })
        .buffer_unordered(config.max_concurrency.max(1))
        .try_collect()
        .await
}

/// Uploads part `number` of an upload.
async fn send_part(
    up: PartsOf<'_>,
    number: i64,
    data: Vec<u8>,
    config: &TransferConfig,
) -> Result<Part> {
    let len = data.len() as u64;
    let out = send(up.handle, &up.ops.upload_part, up.extra, |i| {
        (up.target)(i)?;
        set(i, "UploadId", Json::from(up.upload_id))?;
        set(i, "PartNumber", Json::from(number))?;
        set_body(i, ByteStream::from(data))
    })
    .await?;
    config.report(len);
    let checksum = up.extra.part_checksum(|m| member_json(&*out, m));
    match member_json(&*out, "ETag") {
        Json::String(etag) => Ok(Part {
            number,
            etag,
            checksum,
        }),
        _ => Err(Error::response(format!(
            "UploadPart {number} returned no ETag"
        ))),
    }
}

/// Reads from `reader` until `buf` holds `want` bytes or the reader ends. `buf` grows by exact
/// steps of at most 64 MiB, so a part's buffer is its size, not a doubling past it.
async fn fill<R: AsyncRead + Unpin>(reader: &mut R, buf: &mut Vec<u8>, want: usize) -> Result<()> {
    let missing = want.saturating_sub(buf.len()) as u64;
    let mut source = (&mut *reader).take(missing);
    loop {
        if buf.len() == buf.capacity() {
            let room = want.saturating_sub(buf.len()).min(64 << 20);
            if room == 0 {
                return Ok(());
            }
            buf.reserve_exact(room);
        }
        let n = source.read_buf(buf).await.map_err(|e| {
            Error::new(
                ErrorKind::Transport,
                format!("cannot read the upload's source: {e}"),
            )
        })?;
        if n == 0 {
            return Ok(());
        }
    }
}

/// A transfer from or to a reader or writer the caller lends: `.await` it (or `.wait()` it).
pub type Transfer<'a, T> = futures::future::BoxFuture<'a, Result<T>>;

/// [`upload_reader`] as a resource method's future, which lives as long as the reader (which may
/// be borrowed: `&mut file`, `&bytes[..]`).
pub fn upload_obj<'a, R: AsyncRead + Unpin + Send + 'a>(
    handle: &ClientHandle,
    ops: &'static S3Ops,
    reader: R,
    bucket: &str,
    key: &str,
    config: &TransferConfig,
) -> Transfer<'a, ()> {
    let (h, b, k, c) = owned_target(handle, bucket, key, config);
    Box::pin(async move { upload_reader(&h, ops, reader, &b, &k, &c).await })
}

/// Uploads what `reader` gives to `bucket`/`key` (boto3's `upload_fileobj`): one `PutObject`
/// when it ends below `config.multipart_threshold`, else a multipart upload whose parts are read
/// as earlier ones are sent, so that at most `config.max_concurrency` parts (and the one being
/// read) are in memory, besides what the first read (up to `multipart_threshold`, to choose
/// between the two) took beyond the first part. The size is not known ahead: a source larger
/// than 10,000 parts of `multipart_chunksize` (at least 5 MiB) is an error.
pub async fn upload_reader<R: AsyncRead + Unpin + Send>(
    handle: &ClientHandle,
    ops: &'static S3Ops,
    mut reader: R,
    bucket: &str,
    key: &str,
    config: &TransferConfig,
) -> Result<()> {
    let extra = &Extra::new(config, Direction::Upload)?;
    let target = |i: &mut dyn Structure| {
        set(i, "Bucket", Json::from(bucket))?;
        set(i, "Key", Json::from(key))
    };
    let threshold = usize::try_from(config.multipart_threshold.max(1)).unwrap_or(usize::MAX);
    let mut first = Vec::new();
    fill(&mut reader, &mut first, threshold).await?;
    if first.len() < threshold {
        let len = first.len() as u64;
        send(handle, &ops.put_object, extra, |i| {
            target(i)?;
            set_body(i, ByteStream::from(first))
        })
        .await?;
        config.report(len);
        return Ok(());
    }
    let chunk = part_size(config.multipart_chunksize, 0) as usize;
    let target = &target;
    multipart(
        handle,
        ops,
        extra,
        target,
        &|_| Ok(()),
        |upload_id| async move {
            // The parts as a stream read on demand: `buffer_unordered` asks for the next part only
            // while fewer than `max_concurrency` are in flight.
            let parts = futures::stream::try_unfold(
                (reader, first, 0_i64),
                move |(mut reader, mut buf, number)| async move {
                    if buf.len() < chunk {
                        fill(&mut reader, &mut buf, chunk).await?;
                    }
                    if buf.is_empty() {
                        return Ok(None);
                    }
                    let rest = if buf.len() > chunk {
                        let rest = buf.split_off(chunk);
                        // The part keeps only its own bytes (the first read may hold several).
                        buf.shrink_to_fit();
                        rest
                    } else {
                        Vec::new()
                    };
                    let number = number + 1;
                    if number > 10_000 {
                        return Err(Error::validation(format!(
                            "the upload's source is larger than 10,000 parts of {chunk} bytes; \
                         raise multipart_chunksize"
                        )));
                    }
                    Ok(Some(((number, buf), (reader, rest, number))))
                },
            );
            let up = PartsOf {
                handle,
                ops,
                extra,
                target,
                upload_id: &upload_id,
            };
            parts
                .map_ok(|(number, data)| send_part(up, number, data, config))
                .try_buffer_unordered(config.max_concurrency.max(1))
                .try_collect()
                .await
        },
    )
    .await
}

/// [`download_writer`] as a resource method's future, which lives as long as the writer (which
/// may be borrowed: `&mut file`, `&mut vec`).
pub fn download_obj<'a, W: AsyncWrite + Unpin + Send + 'a>(
    handle: &ClientHandle,
    ops: &'static S3Ops,
    bucket: &str,
    key: &str,
    writer: W,
    config: &TransferConfig,
) -> Transfer<'a, W> {
    let (h, b, k, c) = owned_target(handle, bucket, key, config);
    Box::pin(async move { download_writer(&h, ops, &b, &k, writer, &c).await })
}

/// Downloads `bucket`/`key` into `writer`, in order (boto3's `download_fileobj`), and gives the
/// writer back: one `GetObject` streamed below `config.multipart_threshold`, else ranged
/// `GetObject`s of `multipart_chunksize`, `max_concurrency` at a time, pinned to the object's
/// ETag, each written as soon as the parts before it are.
pub async fn download_writer<W: AsyncWrite + Unpin + Send>(
    handle: &ClientHandle,
    ops: &'static S3Ops,
    bucket: &str,
    key: &str,
    mut writer: W,
    config: &TransferConfig,
) -> Result<W> {
    let extra = &Extra::new(config, Direction::Download)?;
    let target = |i: &mut dyn Structure| {
        set(i, "Bucket", Json::from(bucket))?;
        set(i, "Key", Json::from(key))
    };
    let write_err = |e: std::io::Error| {
        Error::new(
            ErrorKind::Transport,
            format!("cannot write the download: {e}"),
        )
    };
    let head = send(handle, &ops.head_object, extra, target).await?;
    let size = member_json(&*head, "ContentLength").as_u64().unwrap_or(0);
    let etag = member_json(&*head, "ETag");
    let get = |range: Option<String>| {
        send(handle, &ops.get_object, extra, |i| {
            target(i)?;
            if let Some(r) = range {
                set(i, "Range", Json::from(r))?;
            }
            if !etag.is_null() {
                // The object must not change between the parts.
                set(i, "IfMatch", etag.clone())?;
            }
            Ok(())
        })
    };
    if size < config.multipart_threshold.max(1) {
        let mut body = take_body(&mut *get(None).await?)?;
        while let Some(chunk) = body.next().await {
            let chunk = chunk?;
            writer.write_all(&chunk).await.map_err(write_err)?;
            config.report(chunk.len() as u64);
        }
    } else {
        let chunk = config.multipart_chunksize.max(1);
        let count = size.div_ceil(chunk);
        // `buffered` keeps the parts in order and at most `max_concurrency` of them in memory.
        let mut parts = futures::stream::iter(0..count)
            .map(|n| {
                let get = &get;
                async move {
                    let offset = n * chunk;
                    let last = (offset + chunk).min(size) - 1;
                    let mut out = get(Some(format!("bytes={offset}-{last}"))).await?;
                    take_body(&mut *out)?.collect().await
                }
            })
            .buffered(config.max_concurrency.max(1));
        while let Some(part) = parts.next().await {
            let part = part?;
            writer.write_all(&part).await.map_err(write_err)?;
            config.report(part.len() as u64);
        }
    }
    writer.flush().await.map_err(write_err)?;
    Ok(writer)
}

/// The object a managed copy reads (boto3's `CopySource` dict).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CopySource {
    /// The source bucket.
    pub bucket: String,
    /// The source key.
    pub key: String,
    /// A version of the source, when not the latest.
    pub version_id: Option<String>,
}

impl CopySource {
    /// `bucket`/`key`, its latest version.
    pub fn new(bucket: impl Into<String>, key: impl Into<String>) -> CopySource {
        CopySource {
            bucket: bucket.into(),
            key: key.into(),
            version_id: None,
        }
    }

    /// This source at `version_id`.
    pub fn version(mut self, version_id: impl Into<String>) -> CopySource {
        self.version_id = Some(version_id.into());
        self
    }
}

impl From<(&str, &str)> for CopySource {
    fn from((bucket, key): (&str, &str)) -> CopySource {
        CopySource::new(bucket, key)
    }
}

/// [`copy_object`] as a resource method's future.
pub fn copy(
    handle: &ClientHandle,
    ops: &'static S3Ops,
    source: CopySource,
    bucket: &str,
    key: &str,
    config: &TransferConfig,
) -> Pending<()> {
    let (h, b, k, c) = owned_target(handle, bucket, key, config);
    Pending::boxed(async move { copy_object(&h, ops, &source, &b, &k, &c).await })
}

/// The headers an object keeps through a copy (what `CopyObject`'s default `COPY` directive
/// carries), set on a multipart copy's `CreateMultipartUpload` from the source's `HeadObject`.
const COPIED_HEADERS: &[&str] = &[
    "ContentType",
    "CacheControl",
    "ContentDisposition",
    "ContentEncoding",
    "ContentLanguage",
    "WebsiteRedirectLocation",
    "Metadata",
];

/// Copies `source` to `bucket`/`key` (boto3's managed `copy`): one `CopyObject` below
/// `config.multipart_threshold` (and S3's 5 GiB limit for it), else a multipart upload of
/// `UploadPartCopy` ranges, `max_concurrency` at a time, pinned to the source's ETag. Either way
/// the copy keeps the source's metadata, content headers and tags, as `CopyObject` does; a
/// multipart copy sets them from `HeadObject` and `GetObjectTagging` (boto3's drops them).
/// `MetadataDirective` or `TaggingDirective` `REPLACE` in `config.extra_args` gives the copy
/// the extra arguments' headers or `Tagging` instead.
pub async fn copy_object(
    handle: &ClientHandle,
    ops: &'static S3Ops,
    source: &CopySource,
    bucket: &str,
    key: &str,
    config: &TransferConfig,
) -> Result<()> {
    let extra = &Extra::new(config, Direction::Copy)?;
    let of_source = |i: &mut dyn Structure| {
        set(i, "Bucket", Json::from(source.bucket.as_str()))?;
        set(i, "Key", Json::from(source.key.as_str()))?;
        match &source.version_id {
            Some(v) => set(i, "VersionId", Json::from(v.as_str())),
            None => Ok(()),
        }
    };
    let head = send(handle, &ops.head_object, extra, of_source).await?;
    let size = member_json(&*head, "ContentLength").as_u64().unwrap_or(0);
    let etag = member_json(&*head, "ETag");
    let copy_source = match &source.version_id {
        Some(v) => format!("{}/{}?versionId={v}", source.bucket, source.key),
        None => format!("{}/{}", source.bucket, source.key),
    };
    let target = |i: &mut dyn Structure| {
        set(i, "Bucket", Json::from(bucket))?;
        set(i, "Key", Json::from(key))
    };
    if copied_whole(size, config.multipart_threshold) {
        send(handle, &ops.copy_object, extra, |i| {
            target(i)?;
            set(i, "CopySource", Json::from(copy_source.as_str()))
        })
        .await?;
        config.report(size);
        return Ok(());
    }
    // The source's tags and headers are kept unless `TaggingDirective` / `MetadataDirective`
    // say `REPLACE`, as `CopyObject` does (the extra arguments then give the new ones).
    let tags = if extra.is("TaggingDirective", "REPLACE") {
        Json::Null
    } else {
        let tags = send(handle, &ops.get_object_tagging, extra, of_source).await?;
        member_json(&*tags, "TagSet")
    };
    let keep_headers = !extra.is("MetadataDirective", "REPLACE");
    let tagging: Vec<String> = match tags {
        Json::Array(set) => set
            .iter()
            .map(|t| {
                let text = |k: &str| t[k].as_str().unwrap_or_default().to_string();
                crate::wire::percent::form_pair(&text("Key"), &text("Value"))
            })
            .collect(),
        _ => Vec::new(),
    };
    let create = |i: &mut dyn Structure| {
        for name in COPIED_HEADERS.iter().filter(|_| keep_headers) {
            let v = member_json(&*head, name);
            if !v.is_null() {
                set(i, name, v)?;
            }
        }
        if !tagging.is_empty() {
            set(i, "Tagging", Json::from(tagging.join("&")))?;
        }
        Ok(())
    };
    let chunk = part_size(config.multipart_chunksize, size);
    let count = size.div_ceil(chunk);
    let (target, copy_source, etag) = (&target, copy_source.as_str(), &etag);
    multipart(
        handle,
        ops,
        extra,
        target,
        &create,
        |upload_id| async move {
            let upload_id = upload_id.as_str();
            futures::stream::iter(0..count)
                .map(|n| async move {
                    let offset = n * chunk;
                    let last = (offset + chunk).min(size) - 1;
                    let number = n as i64 + 1;
                    let out = send(handle, &ops.upload_part_copy, extra, |i| {
                        target(i)?;
                        set(i, "UploadId", Json::from(upload_id))?;
                        set(i, "PartNumber", Json::from(number))?;
                        set(i, "CopySource", Json::from(copy_source))?;
                        set(
                            i,
                            "CopySourceRange",
                            Json::from(format!("bytes={offset}-{last}")),
                        )?;
                        if !etag.is_null() {
                            set(i, "CopySourceIfMatch", etag.clone())?;
                        }
                        Ok(())
                    })
                    .await?;
                    config.report(last + 1 - offset);
                    let result = member_json(&*out, "CopyPartResult");
                    match result["ETag"].as_str() {
                        Some(tag) => Ok(Part {
                            number,
                            etag: tag.to_string(),
                            checksum: extra.part_checksum(|m| result[m].clone()),
                        }),
                        None => Err(Error::response(format!(
                            "UploadPartCopy {number} returned no ETag"
                        ))),
                    }
                })
                .buffer_unordered(config.max_concurrency.max(1))
                .try_collect()
                .await
        },
    )
    .await
}

/// A file next to `path` to write into, renamed over `path` once complete (as boto3 does); its
/// name is unique to this download, so downloads to the same path do not share it.
fn temp_path(path: &Path) -> PathBuf {
    static NEXT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let mut name = path.file_name().unwrap_or_default().to_os_string();
    name.push(format!(".{:x}-{n:x}.part", std::process::id()));
    path.with_file_name(name)
}

/// Downloads `bucket`/`key` into the file at `path`.
pub async fn download_file(
    handle: &ClientHandle,
    ops: &'static S3Ops,
    bucket: &str,
    key: &str,
    path: &Path,
    config: &TransferConfig,
) -> Result<()> {
    let extra = &Extra::new(config, Direction::Download)?;
    let target = |i: &mut dyn Structure| {
        set(i, "Bucket", Json::from(bucket))?;
        set(i, "Key", Json::from(key))
    };
    let head = send(handle, &ops.head_object, extra, target).await?;
    let size = member_json(&*head, "ContentLength").as_u64().unwrap_or(0);
    let etag = member_json(&*head, "ETag");
    let tmp = temp_path(path);
    let result = async {
        let f = tokio::fs::File::create(&tmp)
            .await
            .map_err(|e| io_error("cannot create", &tmp, e))?;
        f.set_len(size)
            .await
            .map_err(|e| io_error("cannot size", &tmp, e))?;
        drop(f);
        let chunk = if size < config.multipart_threshold.max(1) {
            size.max(1)
        } else {
            config.multipart_chunksize.max(1)
        };
        let count = size.div_ceil(chunk).max(1);
        futures::stream::iter(0..count)
            .map(|n| {
                let (tmp, etag) = (&tmp, &etag);
                async move {
                    let offset = n * chunk;
                    let last = (offset + chunk).min(size).saturating_sub(1);
                    let mut out = send(handle, &ops.get_object, extra, |i| {
                        target(i)?;
                        if count > 1 {
                            set(i, "Range", Json::from(format!("bytes={offset}-{last}")))?;
                        }
                        if !etag.is_null() {
                            // The object must not change between the parts.
                            set(i, "IfMatch", etag.clone())?;
                        }
                        Ok(())
                    })
                    .await?;
                    let body = take_body(&mut *out)?;
                    write_at(tmp, offset, body, config).await
                }
            })
            .buffer_unordered(config.max_concurrency.max(1))
            .try_collect::<Vec<u64>>()
            .await?;
        tokio::fs::rename(&tmp, path)
            .await
            .map_err(|e| io_error("cannot rename into", path, e))
    }
    .await;
    if result.is_err() {
        let _ = tokio::fs::remove_file(&tmp).await;
    }
    result
}

async fn write_at(
    path: &Path,
    offset: u64,
    mut body: ByteStream,
    config: &TransferConfig,
) -> Result<u64> {
    let mut f = tokio::fs::OpenOptions::new()
        .write(true)
        .open(path)
        .await
        .map_err(|e| io_error("cannot open", path, e))?;
    f.seek(std::io::SeekFrom::Start(offset))
        .await
        .map_err(|e| io_error("cannot seek in", path, e))?;
    let mut written = 0;
    while let Some(chunk) = body.next().await {
        let chunk = chunk?;
        f.write_all(&chunk)
            .await
            .map_err(|e| io_error("cannot write", path, e))?;
        written += chunk.len() as u64;
        config.report(chunk.len() as u64);
    }
    f.flush()
        .await
        .map_err(|e| io_error("cannot write", path, e))?;
    Ok(written)
}

/// Whether a copy of `size` bytes is one `CopyObject`: below the threshold, and below the 5 GiB
/// `CopyObject` takes at most (larger objects are copied in parts whatever the threshold).
fn copied_whole(size: u64, multipart_threshold: u64) -> bool {
    const COPY_OBJECT_MAX: u64 = 5 * 1024 * 1024 * 1024;
    size < multipart_threshold.clamp(1, COPY_OBJECT_MAX)
}

#[cfg(test)]
mod tests {
    use super::{copied_whole, part_size};

    const MIB: u64 = 1024 * 1024;

    #[test]
    fn part_sizes_stay_within_s3_limits() {
        // Too small a size is raised to 5 MiB, too large lowered to 5 GiB.
        assert_eq!(part_size(MIB, 100 * MIB), 5 * MIB);
        assert_eq!(part_size(6 * 1024 * MIB, 100 * MIB), 5 * 1024 * MIB);
        // The default fits 78 GiB in 10,000 parts; 100 GiB needs 16 MiB parts.
        assert_eq!(part_size(8 * MIB, 78 * 1024 * MIB), 8 * MIB);
        assert_eq!(part_size(8 * MIB, 100 * 1024 * MIB), 16 * MIB);
        let huge = 5 * 1024 * 1024 * MIB;
        assert!(huge.div_ceil(part_size(8 * MIB, huge)) <= 10_000);
    }

    #[test]
    fn copies_beyond_5_gib_go_in_parts_whatever_the_threshold() {
        const GIB: u64 = 1024 * MIB;
        assert!(copied_whole(7 * MIB, 8 * MIB));
        assert!(!copied_whole(8 * MIB, 8 * MIB));
        // A threshold above CopyObject's limit is held to it.
        assert!(copied_whole(4 * GIB, 100 * GIB));
        assert!(!copied_whole(5 * GIB, 100 * GIB));
        assert!(!copied_whole(6 * GIB, u64::MAX));
        // An empty object is one CopyObject even with a zero threshold.
        assert!(copied_whole(0, 0));
    }
}
