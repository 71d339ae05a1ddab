//! Calls without async: `use boto_runtime::blocking::*;` brings [`Wait::wait`] to every future
//! the crates return (operation calls, waiters, resource loads and actions, presigning,
//! transfers) and [`WaitIter::wait_iter`] to every stream of results (paginator pages and items,
//! collections, event streams, `ByteStream` chunks).
//!
//! ```
//! use boto_runtime::blocking::*;
//! # fn main() -> Result<(), boto_runtime::Error> {
//! // With a generated crate: `let out = client.describe_regions(Default::default()).wait()?;`
//! let answer = async { Ok::<_, boto_runtime::Error>(42) }.wait()?;
//! assert_eq!(answer, 42);
//! let chunks = boto_runtime::ByteStream::from("hello").wait_iter();
//! assert_eq!(chunks.map(|c| c.map(|b| b.len())).sum::<Result<usize, _>>()?, 5);
//! # Ok(()) }
//! ```
//!
//! The caller needs no tokio runtime: one is started in the background the first time it is
//! needed and shared by every session and thread (so they share connection pools too). Where a
//! tokio runtime is already current (inside an async task, or a `spawn_blocking` closure),
//! blocking could stall the very runtime the call needs, so `wait()` returns an error saying to
//! `.await` instead, and `wait_iter()` yields that error once.

use crate::error::{Error, Result};
use futures::{Stream, StreamExt};
use std::future::IntoFuture;
use std::pin::Pin;
use std::sync::OnceLock;

/// The background runtime of blocking callers, started on first use.
fn runtime() -> Result<&'static tokio::runtime::Runtime> {
    static RUNTIME: OnceLock<std::result::Result<tokio::runtime::Runtime, String>> =
        OnceLock::new();
    RUNTIME
        .get_or_init(|| {
            tokio::runtime::Builder::new_multi_thread()
                .worker_threads(2)
                .thread_name("boto-rs-blocking")
                .enable_all()
                .build()
                .map_err(|e| e.to_string())
        })
        .as_ref()
        .map_err(|e| Error::config(format!("cannot start the runtime for blocking calls: {e}")))
}

/// Why a blocking call is refused where a tokio runtime is current.
fn refused() -> Option<Error> {
    tokio::runtime::Handle::try_current().ok().map(|_| {
        Error::config(
            "a blocking call (`.wait()` / `.wait_iter()`) was made where a tokio runtime is \
             running, so nothing was sent: `.await` it instead",
        )
    })
}

/// `.wait()`: runs a future of a `Result` to completion on the shared background runtime.
pub trait Wait<T> {
    /// The future's result, waited for on this thread.
    fn wait(self) -> Result<T>;
}

impl<F, T> Wait<T> for F
where
    F: IntoFuture<Output = Result<T>>,
{
    fn wait(self) -> Result<T> {
        if let Some(e) = refused() {
            return Err(e);
        }
        runtime()?.block_on(self.into_future())
    }
}

/// `.wait_iter()`: a stream of results as an `Iterator` of the same items.
pub trait WaitIter<T>: Sized {
    /// The stream's items, each waited for on this thread.
    fn wait_iter(self) -> BlockingIter<Self>;
}

impl<S, T> WaitIter<T> for S
where
    S: Stream<Item = Result<T>>,
{
    fn wait_iter(self) -> BlockingIter<S> {
        BlockingIter {
            stream: Box::pin(self),
            done: false,
        }
    }
}

/// The iterator of [`WaitIter::wait_iter`].
pub struct BlockingIter<S> {
    stream: Pin<Box<S>>,
    done: bool,
}

impl<S, T> Iterator for BlockingIter<S>
where
    S: Stream<Item = Result<T>>,
{
    type Item = Result<T>;

    fn next(&mut self) -> Option<Result<T>> {
        if self.done {
            return None;
        }
        let stopped = |done: &mut bool, e: Error| {
            *done = true;
            Some(Err(e))
        };
        if let Some(e) = refused() {
            return stopped(&mut self.done, e);
        }
        let rt = match runtime() {
            Ok(rt) => rt,
            Err(e) => return stopped(&mut self.done, e),
        };
        let item = rt.block_on(self.stream.next());
        if item.is_none() {
            self.done = true;
        }
        item
    }
}
