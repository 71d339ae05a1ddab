//! The wire formats the protocols are made of, each driven by the schemas: JSON and XML bodies,
//! event-stream framing, scalars as text, percent-encoding, checksums. Nothing here knows about
//! a protocol, a service or the transport.

pub mod cbor;
pub mod checksum;
pub mod eventstream;
pub mod json;
pub mod percent;
pub mod text;
pub mod xml;
