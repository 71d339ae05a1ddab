//! boto-runtime: everything the generated boto-rs service crates call.
//!
//! A generated crate holds types, static schemas and one-line operation methods; this crate holds
//! the behaviour: [`Session`] and credentials, endpoint resolution, SigV4 signing, the `reqwest`
//! transport, and the protocol codecs that walk the schemas.
#![warn(missing_docs)]

pub mod auth;
pub mod blocking;
pub mod client;
pub mod customize;
pub mod document;
pub mod dynamodb;
pub mod endpoint;
pub mod error;
pub mod events;
pub mod http;
pub mod input;
pub mod jmespath;
pub mod paginate;
pub mod protocol;
pub mod resource;
pub mod retry;
pub mod schema;
pub mod serde_form;
pub mod session;
pub mod stream;
pub mod stub;
pub mod time;
pub mod transfer;
pub mod validate;
pub mod value;
pub mod waiter;
pub mod wire;

pub use auth::config::Environment;
pub use auth::credentials::Credentials;
pub use client::{ClientBuilder, ClientHandle, OpFuture};
pub use document::Document;
pub use error::{Error, ErrorKind, Result};
pub use events::{EventSender, EventStream, InputEvents};
pub use retry::RetryMode;
pub use session::{Session, SessionBuilder};
pub use stream::ByteStream;
pub use stub::{StubError, Stubber};
pub use time::{Blob, DateTime};
pub use value::{Structure, Value, ValueRef};

/// The `serde` the generated `Serialize` / `Deserialize` impls name (generated crates need no `serde` dependency of their own).
#[doc(hidden)]
pub use serde as __serde;
