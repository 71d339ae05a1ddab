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
}

impl Default for TransferConfig {
    fn default() -> Self {
        TransferConfig {
            multipart_threshold: 8 * 1024 * 1024,
            multipart_chunksize: 8 * 1024 * 1024,
            max_concurrency: 10,
            progress: None,
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

async fn send(
    handle: &ClientHandle,
    call: &Call,
    fill: impl FnOnce(&mut dyn Structure) -> Result<()>,
) -> Result<Box<dyn Structure>> {
    let mut input = (call.input)();
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
    let size = tokio::fs::metadata(path)
        .await
        .map_err(|e| io_error("cannot read", path, e))?
        .len();
    let target = |i: &mut dyn Structure| {
        set(i, "Bucket", Json::from(bucket))?;
        set(i, "Key", Json::from(key))
    };
    if size < config.multipart_threshold.max(1) {
        let body = ByteStream::from_path(path).await?;
        send(handle, &ops.put_object, |i| {
            target(i)?;
            set_body(i, body)
        })
        .await?;
        config.report(size);
        return Ok(());
    }
    // CRC32 for every part and for the whole, as s3transfer asks for by default.
    let crc32 = |i: &mut dyn Structure| set(i, "ChecksumAlgorithm", Json::from("CRC32"));
    multipart(handle, ops, &target, &crc32, |upload_id| async move {
        upload_parts(handle, ops, path, size, &upload_id, &target, config).await
    })
    .await
}

/// A multipart upload around `parts`: created (with `create`'s members), its parts made by
/// `parts` from the upload id, completed, or aborted when anything fails (parts left behind are
/// billed); the upload's own error is the one returned.
async fn multipart<F, Fut>(
    handle: &ClientHandle,
    ops: &'static S3Ops,
    target: &(dyn Fn(&mut dyn Structure) -> Result<()> + Sync),
    create: &(dyn Fn(&mut dyn Structure) -> Result<()> + Sync),
    parts: F,
) -> Result<()>
where
    F: FnOnce(String) -> Fut,
    Fut: std::future::Future<Output = Result<Vec<Part>>>,
{
    let created = send(handle, &ops.create_multipart_upload, |i| {
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
        send(handle, &ops.complete_multipart_upload, |i| {
            target(i)?;
            set(i, "UploadId", Json::from(upload_id.as_str()))?;
            for (k, part) in parts.iter().enumerate() {
                let base = format!("MultipartUpload.Parts[{k}]");
                set(i, &format!("{base}.PartNumber"), Json::from(part.number))?;
                set(i, &format!("{base}.ETag"), Json::from(part.etag.as_str()))?;
                if let Some(c) = &part.crc32 {
                    set(i, &format!("{base}.ChecksumCRC32"), Json::from(c.as_str()))?;
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
            let _ = send(handle, &ops.abort_multipart_upload, |i| {
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

/// An uploaded part: its number, ETag and CRC32 (when S3 reports one).
struct Part {
    number: i64,
    etag: String,
    crc32: Option<String>,
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

async fn upload_parts(
    handle: &ClientHandle,
    ops: &'static S3Ops,
    path: &Path,
    size: u64,
    upload_id: &str,
    target: &(dyn Fn(&mut dyn Structure) -> Result<()> + Sync),
    config: &TransferConfig,
) -> Result<Vec<Part>> {
    let chunk = part_size(config.multipart_chunksize, size);
    let count = size.div_ceil(chunk);
    futures::stream::iter(0..count)
        .map(|n| async move {
            let offset = n * chunk;
            let data = read_range(path, offset, chunk.min(size - offset)).await?;
            send_part(handle, ops, target, upload_id, n as i64 + 1, data, config).await
        })
        .buffer_unordered(config.max_concurrency.max(1))
        .try_collect()
        .await
}

/// Uploads part `number` of an upload.
async fn send_part(
    handle: &ClientHandle,
    ops: &'static S3Ops,
    target: &(dyn Fn(&mut dyn Structure) -> Result<()> + Sync),
    upload_id: &str,
    number: i64,
    data: Vec<u8>,
    config: &TransferConfig,
) -> Result<Part> {
    let len = data.len() as u64;
    let out = send(handle, &ops.upload_part, |i| {
        target(i)?;
        set(i, "UploadId", Json::from(upload_id))?;
        set(i, "PartNumber", Json::from(number))?;
        set_body(i, ByteStream::from(data))
    })
    .await?;
    config.report(len);
    let crc32 = member_json(&*out, "ChecksumCRC32")
        .as_str()
        .map(str::to_string);
    match member_json(&*out, "ETag") {
        Json::String(etag) => Ok(Part {
            number,
            etag,
            crc32,
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
    let target = |i: &mut dyn Structure| {
        set(i, "Bucket", Json::from(bucket))?;
        set(i, "Key", Json::from(key))
    };
    let threshold = usize::try_from(config.multipart_threshold.max(1)).unwrap_or(usize::MAX);
    let mut first = Vec::new();
    fill(&mut reader, &mut first, threshold).await?;
    if first.len() < threshold {
        let len = first.len() as u64;
        send(handle, &ops.put_object, |i| {
            target(i)?;
            set_body(i, ByteStream::from(first))
        })
        .await?;
        config.report(len);
        return Ok(());
    }
    let chunk = part_size(config.multipart_chunksize, 0) as usize;
    let crc32 = |i: &mut dyn Structure| set(i, "ChecksumAlgorithm", Json::from("CRC32"));
    let target = &target;
    multipart(handle, ops, target, &crc32, |upload_id| async move {
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
        let upload_id = upload_id.as_str();
        parts
            .map_ok(|(number, data)| {
                send_part(handle, ops, target, upload_id, number, data, config)
            })
            .try_buffer_unordered(config.max_concurrency.max(1))
            .try_collect()
            .await
    })
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
    let head = send(handle, &ops.head_object, target).await?;
    let size = member_json(&*head, "ContentLength").as_u64().unwrap_or(0);
    let etag = member_json(&*head, "ETag");
    let get = |range: Option<String>| {
        send(handle, &ops.get_object, |i| {
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
pub async fn copy_object(
    handle: &ClientHandle,
    ops: &'static S3Ops,
    source: &CopySource,
    bucket: &str,
    key: &str,
    config: &TransferConfig,
) -> Result<()> {
    let of_source = |i: &mut dyn Structure| {
        set(i, "Bucket", Json::from(source.bucket.as_str()))?;
        set(i, "Key", Json::from(source.key.as_str()))?;
        match &source.version_id {
            Some(v) => set(i, "VersionId", Json::from(v.as_str())),
            None => Ok(()),
        }
    };
    let head = send(handle, &ops.head_object, of_source).await?;
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
        send(handle, &ops.copy_object, |i| {
            target(i)?;
            set(i, "CopySource", Json::from(copy_source.as_str()))
        })
        .await?;
        config.report(size);
        return Ok(());
    }
    let tags = send(handle, &ops.get_object_tagging, of_source).await?;
    let tagging: Vec<String> = match member_json(&*tags, "TagSet") {
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
        for name in COPIED_HEADERS {
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
    multipart(handle, ops, target, &create, |upload_id| async move {
        let upload_id = upload_id.as_str();
        futures::stream::iter(0..count)
            .map(|n| async move {
                let offset = n * chunk;
                let last = (offset + chunk).min(size) - 1;
                let number = n as i64 + 1;
                let out = send(handle, &ops.upload_part_copy, |i| {
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
                        crc32: result["ChecksumCRC32"].as_str().map(str::to_string),
                    }),
                    None => Err(Error::response(format!(
                        "UploadPartCopy {number} returned no ETag"
                    ))),
                }
            })
            .buffer_unordered(config.max_concurrency.max(1))
            .try_collect()
            .await
    })
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
    let target = |i: &mut dyn Structure| {
        set(i, "Bucket", Json::from(bucket))?;
        set(i, "Key", Json::from(key))
    };
    let head = send(handle, &ops.head_object, target).await?;
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
                    let mut out = send(handle, &ops.get_object, |i| {
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
