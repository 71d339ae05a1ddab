//! The emit stage: the lowered IR to token streams, one part per generated file. It reads only
//! the IR (names, kinds, forms, schema descriptions) and decides nothing; [`crate::render`] turns
//! the parts into files.
//!
//! [`resources`] is the exception that still lowers as it writes: boto3's resource model is
//! walked once, its names given through [`crate::naming`].

pub mod client;
pub mod common;
pub mod pagwait;
pub mod resources;
pub mod schema;
pub mod types;
