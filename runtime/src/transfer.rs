//! S3 transfers (boto3's `upload_file` / `download_file`): one request below the multipart
//! threshold, else a multipart upload or ranged downloads in parts, at most `max_concurrency`
//! at a time, with a progress callback. The generated s3 crate names the operations
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
    (
        handle.clone(),
        path.to_path_buf(),
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
    let created = send(handle, &ops.create_multipart_upload, |i| {
        target(i)?;
        set(i, "ChecksumAlgorithm", Json::from("CRC32"))
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
        let parts = upload_parts(handle, ops, path, size, &upload_id, &target, config).await?;
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
            // Leave no parts behind (they are billed), whether a part or the completion failed;
            // the upload's own error is the one to report.
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
    let mut parts: Vec<Part> = futures::stream::iter(0..count)
        .map(|n| async move {
            let offset = n * chunk;
            let len = chunk.min(size - offset);
            let data = read_range(path, offset, len).await?;
            let number = n as i64 + 1;
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
        })
        .buffer_unordered(config.max_concurrency.max(1))
        .try_collect()
        .await?;
    parts.sort_by_key(|p| p.number);
    Ok(parts)
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

#[cfg(test)]
mod tests {
    use super::part_size;

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
}
