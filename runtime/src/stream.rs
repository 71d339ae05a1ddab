//! [`ByteStream`]: a streaming body (S3 `GetObject` output, `PutObject` input) that is never
//! buffered whole unless asked to be.

use crate::error::{Error, ErrorKind, Result};
use bytes::Bytes;
use futures::stream::{BoxStream, Stream, StreamExt};
use std::fmt;
use std::path::{Path, PathBuf};
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};

/// A body as chunks of bytes, read once.
pub type Chunks = BoxStream<'static, Result<Bytes>>;

/// A stream that can be read once; clones share it, and the first to read takes it.
type OneShot = Arc<Mutex<Option<Chunks>>>;

#[derive(Clone)]
enum Source {
    /// Bytes in memory (re-readable).
    Bytes(Bytes),
    /// A file, opened when read (re-readable, so a request body from a file can be retried).
    File { path: PathBuf, len: u64 },
    /// Chunks from elsewhere (a response body, a user's stream): readable once.
    Chunks { chunks: OneShot, len: Option<u64> },
}

/// A body of bytes, read chunk by chunk.
///
/// - From memory: `ByteStream::from(vec)`, `ByteStream::from(bytes)`, `ByteStream::from("text")`.
/// - From a file: `ByteStream::from_path(path).await?` (the file is read as it is sent).
/// - From a stream of chunks with a known length: `ByteStream::from_stream(stream, len)`.
///
/// Read it with [`collect`](Self::collect) (all of it, into memory), [`next`](Self::next) or the
/// [`Stream`] impl (one chunk at a time), or [`write_to_file`](Self::write_to_file). A response body
/// and a stream of chunks can be read once: clones share one underlying stream.
pub struct ByteStream {
    source: Source,
    /// The stream being read. Only touched through `&mut self`; the mutex makes the type `Sync`.
    reading: Mutex<Option<Chunks>>,
}

impl ByteStream {
    /// An empty body.
    pub fn new() -> ByteStream {
        ByteStream::from(Bytes::new())
    }

    /// A body read from the file at `path` as it is sent; its length is taken now.
    pub async fn from_path(path: impl AsRef<Path>) -> Result<ByteStream> {
        let path = path.as_ref().to_path_buf();
        let meta = tokio::fs::metadata(&path).await.map_err(|e| {
            Error::validation(format!("cannot read {}: {e}", path.display())).with_source(e)
        })?;
        if !meta.is_file() {
            return Err(Error::validation(format!(
                "{} is not a file",
                path.display()
            )));
        }
        Ok(ByteStream {
            source: Source::File {
                path,
                len: meta.len(),
            },
            reading: Mutex::new(None),
        })
    }

    /// A body made of the chunks `stream` yields, `len` bytes in all (sent as `Content-Length`;
    /// a stream that yields a different number of bytes fails the request).
    pub fn from_stream<S, E>(stream: S, len: u64) -> ByteStream
    where
        S: Stream<Item = std::result::Result<Bytes, E>> + Send + 'static,
        E: Into<Box<dyn std::error::Error + Send + Sync>> + 'static,
    {
        let chunks = stream
            .map(|r| {
                r.map_err(|e| {
                    let e: Box<dyn std::error::Error + Send + Sync> = e.into();
                    Error::new(ErrorKind::Transport, "the body stream failed").with_source(e)
                })
            })
            .boxed();
        ByteStream::from_chunks(chunks, Some(len))
    }

    /// A one-shot body of chunks with an optional known length (used for response bodies).
    pub fn from_chunks(chunks: Chunks, len: Option<u64>) -> ByteStream {
        ByteStream {
            source: Source::Chunks {
                chunks: Arc::new(Mutex::new(Some(chunks))),
                len,
            },
            reading: Mutex::new(None),
        }
    }

    /// The length in bytes, when known before reading.
    pub fn len(&self) -> Option<u64> {
        match &self.source {
            Source::Bytes(b) => Some(b.len() as u64),
            Source::File { len, .. } => Some(*len),
            Source::Chunks { len, .. } => *len,
        }
    }

    /// True when the body is known to be empty.
    pub fn is_empty(&self) -> bool {
        self.len() == Some(0)
    }

    /// The bytes, when the body is held in memory.
    pub fn as_bytes(&self) -> Option<&Bytes> {
        match &self.source {
            Source::Bytes(b) => Some(b),
            _ => None,
        }
    }

    /// True when the body can be read again after being sent (memory and files can; a stream cannot).
    pub fn is_replayable(&self) -> bool {
        !matches!(self.source, Source::Chunks { .. })
    }

    fn reading(&mut self) -> &mut Option<Chunks> {
        self.reading
            .get_mut()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    fn start(&mut self) -> &mut Chunks {
        let source = self.source.clone();
        self.reading().get_or_insert_with(|| match source {
            Source::Bytes(b) => futures::stream::once(async move { Ok(b) }).boxed(),
            Source::File { path, .. } => file_chunks(path),
            Source::Chunks { chunks, .. } => {
                let taken = chunks.lock().map(|mut g| g.take()).unwrap_or(None);
                taken.unwrap_or_else(|| {
                    futures::stream::once(async {
                        Err(Error::new(
                            ErrorKind::Validation,
                            "this body stream was already read (a stream of chunks can be read once)",
                        ))
                    })
                    .boxed()
                })
            }
        })
    }

    /// The next chunk, or `None` at the end.
    pub async fn next(&mut self) -> Option<Result<Bytes>> {
        StreamExt::next(self.start()).await
    }

    /// Reads the whole body into memory.
    pub async fn collect(mut self) -> Result<Bytes> {
        if self.reading().is_none() {
            if let Source::Bytes(b) = &self.source {
                return Ok(b.clone());
            }
        }
        let mut buf =
            bytes::BytesMut::with_capacity(self.len().unwrap_or(0).min(64 * 1024 * 1024) as usize);
        while let Some(chunk) = self.next().await {
            buf.extend_from_slice(&chunk?);
        }
        Ok(buf.freeze())
    }

    /// Writes the body to the file at `path` (created or truncated) chunk by chunk; returns the
    /// number of bytes written.
    pub async fn write_to_file(mut self, path: impl AsRef<Path>) -> Result<u64> {
        use tokio::io::AsyncWriteExt;
        let path = path.as_ref();
        let io = |e: std::io::Error| {
            Error::new(
                ErrorKind::Transport,
                format!("cannot write {}: {e}", path.display()),
            )
            .with_source(e)
        };
        let mut file = tokio::fs::File::create(path).await.map_err(io)?;
        let mut n = 0u64;
        while let Some(chunk) = self.next().await {
            let chunk = chunk?;
            file.write_all(&chunk).await.map_err(io)?;
            n += chunk.len() as u64;
        }
        file.flush().await.map_err(io)?;
        Ok(n)
    }

    /// A fresh reader over the same body for sending (a clone that starts from the beginning).
    pub(crate) fn replay(&self) -> ByteStream {
        ByteStream {
            source: self.source.clone(),
            reading: Mutex::new(None),
        }
    }

    /// Converts into a stream for the HTTP client.
    pub(crate) fn into_chunks(mut self) -> Chunks {
        self.start();
        self.reading().take().expect("started above")
    }
}

fn file_chunks(path: PathBuf) -> Chunks {
    use tokio::io::AsyncReadExt;
    const CHUNK: usize = 64 * 1024;
    let state: Option<(Option<tokio::fs::File>, PathBuf)> = Some((None, path));
    futures::stream::unfold(state, |state| async move {
        let (file, path) = state?;
        let mut file = match file {
            Some(f) => f,
            None => match tokio::fs::File::open(&path).await {
                Ok(f) => f,
                Err(e) => {
                    let err = Error::new(
                        ErrorKind::Validation,
                        format!("cannot read {}: {e}", path.display()),
                    )
                    .with_source(e);
                    return Some((Err(err), None));
                }
            },
        };
        let mut buf = bytes::BytesMut::with_capacity(CHUNK);
        match file.read_buf(&mut buf).await {
            Ok(0) => None,
            Ok(_) => Some((Ok(buf.freeze()), Some((Some(file), path)))),
            Err(e) => {
                let err = Error::new(
                    ErrorKind::Validation,
                    format!("cannot read {}: {e}", path.display()),
                )
                .with_source(e);
                Some((Err(err), None))
            }
        }
    })
    .boxed()
}

impl Default for ByteStream {
    fn default() -> Self {
        ByteStream::new()
    }
}

impl Clone for ByteStream {
    /// A clone of memory or file bodies reads from the start; a stream of chunks is shared.
    fn clone(&self) -> Self {
        self.replay()
    }
}

impl PartialEq for ByteStream {
    /// Bodies in memory compare by content; files by path; streams by identity.
    fn eq(&self, other: &Self) -> bool {
        match (&self.source, &other.source) {
            (Source::Bytes(a), Source::Bytes(b)) => a == b,
            (Source::File { path: a, .. }, Source::File { path: b, .. }) => a == b,
            (Source::Chunks { chunks: a, .. }, Source::Chunks { chunks: b, .. }) => {
                Arc::ptr_eq(a, b)
            }
            _ => false,
        }
    }
}

impl fmt::Debug for ByteStream {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.source {
            Source::Bytes(b) => write!(f, "ByteStream({} bytes)", b.len()),
            Source::File { path, len } => {
                write!(f, "ByteStream(file {}, {len} bytes)", path.display())
            }
            Source::Chunks { len: Some(n), .. } => write!(f, "ByteStream(stream of {n} bytes)"),
            Source::Chunks { len: None, .. } => f.write_str("ByteStream(stream)"),
        }
    }
}

impl Stream for ByteStream {
    type Item = Result<Bytes>;
    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Result<Bytes>>> {
        self.get_mut().start().as_mut().poll_next(cx)
    }
}

impl From<Bytes> for ByteStream {
    fn from(b: Bytes) -> Self {
        ByteStream {
            source: Source::Bytes(b),
            reading: Mutex::new(None),
        }
    }
}

impl From<Vec<u8>> for ByteStream {
    fn from(v: Vec<u8>) -> Self {
        ByteStream::from(Bytes::from(v))
    }
}

impl From<&'static [u8]> for ByteStream {
    fn from(v: &'static [u8]) -> Self {
        ByteStream::from(Bytes::from_static(v))
    }
}

impl From<String> for ByteStream {
    fn from(s: String) -> Self {
        ByteStream::from(Bytes::from(s))
    }
}

impl From<&str> for ByteStream {
    fn from(s: &str) -> Self {
        ByteStream::from(Bytes::copy_from_slice(s.as_bytes()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn memory_bodies_read_and_clone() {
        let s = ByteStream::from("hello");
        assert_eq!(s.len(), Some(5));
        let c = s.clone();
        assert_eq!(s.collect().await.unwrap(), Bytes::from("hello"));
        assert_eq!(c.collect().await.unwrap(), Bytes::from("hello"));
    }

    #[tokio::test]
    async fn streams_are_read_once() {
        let chunks = futures::stream::iter(vec![
            Ok::<_, std::io::Error>(Bytes::from("ab")),
            Ok(Bytes::from("cd")),
        ]);
        let mut s = ByteStream::from_stream(chunks, 4);
        let other = s.clone();
        assert_eq!(s.next().await.unwrap().unwrap(), Bytes::from("ab"));
        assert_eq!(s.collect().await.unwrap(), Bytes::from("cd"));
        let err = other.collect().await.unwrap_err();
        assert!(err.to_string().contains("already read"), "{err}");
    }

    #[tokio::test]
    async fn files_stream_in_chunks() {
        let dir = std::env::temp_dir().join(format!("bytestream-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let p = dir.join("f");
        let data: Vec<u8> = (0..200_000u32).map(|i| (i % 251) as u8).collect();
        std::fs::write(&p, &data).unwrap();
        let s = ByteStream::from_path(&p).await.unwrap();
        assert_eq!(s.len(), Some(200_000));
        let out = dir.join("g");
        assert_eq!(s.clone().write_to_file(&out).await.unwrap(), 200_000);
        assert_eq!(std::fs::read(&out).unwrap(), data);
        assert_eq!(s.collect().await.unwrap(), Bytes::from(data));
        assert!(ByteStream::from_path(dir.join("missing")).await.is_err());
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
