//! Who is calling and how it is proven: the shared config and credentials files and the
//! environment, credentials, the providers of the default chain, and SigV4 signing.

pub(crate) mod chain;
pub mod config;
pub mod credentials;
pub mod post;
mod provider;
pub mod signing;
pub mod token;
