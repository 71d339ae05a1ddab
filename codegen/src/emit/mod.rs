//! The emit stage: the lowered IR to token streams, one part per generated file. It reads only
//! the IR (names, kinds, forms, schema descriptions) and decides nothing; [`crate::render`] turns
//! the parts into files.
//!
//! [`resources`] still compiles the resource model's requests, parameters and identifier sources
//! as it writes them (checking them against the operations); the layer's names, methods and
//! attributes come from [`crate::ir::resources`].

pub mod client;
pub mod common;
pub mod endpoints;
pub mod package;
pub mod pagwait;
pub mod resources;
pub mod schema;
pub mod types;
