//! AWS event streams (`application/vnd.amazon.eventstream`): the binary message framing. Reading
//! messages into the generated event types is [`crate::events`]'s.
//!
//! Each message: total length, headers length and a CRC-32 of those eight bytes; typed headers
//! (`:message-type`, `:event-type`, ...); the payload; a CRC-32 of everything before it.

use crate::error::{Error, Result};
use crate::time::DateTime;
use crate::wire::checksum::crc32;
use crate::wire::text::format_uuid;

/// A header value.
#[derive(Debug, Clone, PartialEq)]
pub enum HeaderValue {
    /// `true` / `false`.
    Bool(bool),
    /// byte, short, integer and long.
    Int(i64),
    /// Raw bytes.
    Bytes(Vec<u8>),
    /// Text.
    String(String),
    /// Milliseconds since the epoch.
    Timestamp(DateTime),
    /// A UUID, as text.
    Uuid(String),
}

/// One decoded message.
#[derive(Debug, Clone, PartialEq)]
pub struct Message {
    /// Headers in order.
    pub headers: Vec<(String, HeaderValue)>,
    /// The payload.
    pub payload: Vec<u8>,
}

impl Message {
    /// The string header `name`.
    pub fn header_str(&self, name: &str) -> Option<&str> {
        self.headers.iter().find_map(|(k, v)| match v {
            HeaderValue::String(s) if k == name => Some(s.as_str()),
            _ => None,
        })
    }
}

fn bad(what: impl Into<String>) -> Error {
    Error::response(format!("invalid event stream: {}", what.into()))
}

fn be_u32(b: &[u8]) -> u32 {
    u32::from_be_bytes([b[0], b[1], b[2], b[3]])
}

/// The largest headers section botocore accepts (128 KiB).
pub const MAX_HEADERS_LENGTH: usize = 128 * 1024;
/// The largest payload botocore accepts (24 MiB).
pub const MAX_PAYLOAD_LENGTH: usize = 24 * 1024 * 1024;

/// Splits a whole event stream body into messages, checking both CRCs of each.
pub fn decode_messages(body: &[u8]) -> Result<Vec<Message>> {
    let mut d = MessageDecoder::new();
    d.push(body);
    let mut out = Vec::new();
    while let Some(m) = d.next_message()? {
        out.push(m);
    }
    d.finish()?;
    Ok(out)
}

/// Decodes messages from bytes as they arrive: [`push`](Self::push) what came, then take every
/// message it completed with [`next_message`](Self::next_message). It holds at most one message
/// and the start of the next. The prelude (lengths and their CRC) is checked as soon as it is
/// there, so a damaged or oversized length is refused before its message is awaited; botocore's
/// limits apply (headers up to 128 KiB, payloads up to 24 MiB), and a header name may not repeat.
#[derive(Debug, Default)]
pub struct MessageDecoder {
    buf: Vec<u8>,
    /// Where the unread bytes of `buf` start.
    start: usize,
    /// A damaged stream stays damaged: every later call reports this.
    failed: Option<String>,
}

impl MessageDecoder {
    /// An empty decoder.
    pub fn new() -> MessageDecoder {
        MessageDecoder::default()
    }

    /// Adds bytes that arrived.
    pub fn push(&mut self, data: &[u8]) {
        if self.start > 0 && self.start >= self.buf.len() / 2 {
            self.buf.drain(..self.start);
            self.start = 0;
        }
        self.buf.extend_from_slice(data);
    }

    /// Bytes received and not yet part of a message.
    pub fn pending(&self) -> usize {
        self.buf.len() - self.start
    }

    /// The next complete message, `None` when more bytes are needed, or why the stream is damaged.
    pub fn next_message(&mut self) -> Result<Option<Message>> {
        if let Some(why) = &self.failed {
            return Err(bad(why.clone()));
        }
        match self.take() {
            Ok(m) => Ok(m),
            Err(why) => {
                self.failed = Some(why.clone());
                Err(bad(why))
            }
        }
    }

    /// Checks the stream ended between messages (what is left is a message cut short).
    pub fn finish(&self) -> Result<()> {
        if let Some(why) = &self.failed {
            return Err(bad(why.clone()));
        }
        match self.pending() {
            0 => Ok(()),
            n => Err(bad(format!(
                "the stream ended inside a message ({n} bytes of it)"
            ))),
        }
    }

    fn take(&mut self) -> std::result::Result<Option<Message>, String> {
        let b = &self.buf[self.start..];
        if b.len() < 12 {
            return Ok(None);
        }
        let total = be_u32(&b[0..4]) as usize;
        let headers_len = be_u32(&b[4..8]) as usize;
        if crc32(&b[0..8]) != be_u32(&b[8..12]) {
            return Err("prelude checksum mismatch".into());
        }
        if headers_len > MAX_HEADERS_LENGTH {
            return Err(format!(
                "headers length {headers_len} exceeds the maximum of {MAX_HEADERS_LENGTH}"
            ));
        }
        let Some(payload_len) = total.checked_sub(16 + headers_len) else {
            return Err(format!(
                "message length {total} cannot hold {headers_len} bytes of headers"
            ));
        };
        if payload_len > MAX_PAYLOAD_LENGTH {
            return Err(format!(
                "payload length {payload_len} exceeds the maximum of {MAX_PAYLOAD_LENGTH}"
            ));
        }
        if b.len() < total {
            return Ok(None);
        }
        let msg = &b[..total];
        if crc32(&msg[..total - 4]) != be_u32(&msg[total - 4..]) {
            return Err("message checksum mismatch".into());
        }
        let headers = decode_headers(&msg[12..12 + headers_len]).map_err(|e| {
            e.message()
                .unwrap_or("bad headers")
                .trim_start_matches("invalid event stream: ")
                .to_string()
        })?;
        let payload = msg[12 + headers_len..total - 4].to_vec();
        self.start += total;
        Ok(Some(Message { headers, payload }))
    }
}

fn decode_headers(mut b: &[u8]) -> Result<Vec<(String, HeaderValue)>> {
    fn take<'a>(b: &mut &'a [u8], n: usize) -> Result<&'a [u8]> {
        if b.len() < n {
            return Err(bad("truncated header"));
        }
        let (head, rest) = b.split_at(n);
        *b = rest;
        Ok(head)
    }
    let mut out = Vec::new();
    while !b.is_empty() {
        let n = take(&mut b, 1)?[0] as usize;
        let name = String::from_utf8(take(&mut b, n)?.to_vec()).map_err(|_| bad("header name"))?;
        let ty = take(&mut b, 1)?[0];
        let int = |b: &mut &[u8], n: usize| -> Result<i64> {
            let v = take(b, n)?;
            Ok(match n {
                1 => v[0] as i8 as i64,
                2 => i16::from_be_bytes([v[0], v[1]]) as i64,
                4 => i32::from_be_bytes([v[0], v[1], v[2], v[3]]) as i64,
                _ => i64::from_be_bytes(v.try_into().expect("8 bytes")),
            })
        };
        let value = match ty {
            0 => HeaderValue::Bool(true),
            1 => HeaderValue::Bool(false),
            2 => HeaderValue::Int(int(&mut b, 1)?),
            3 => HeaderValue::Int(int(&mut b, 2)?),
            4 => HeaderValue::Int(int(&mut b, 4)?),
            5 => HeaderValue::Int(int(&mut b, 8)?),
            6 | 7 => {
                let l = take(&mut b, 2)?;
                let len = u16::from_be_bytes([l[0], l[1]]) as usize;
                let v = take(&mut b, len)?.to_vec();
                if ty == 6 {
                    HeaderValue::Bytes(v)
                } else {
                    HeaderValue::String(String::from_utf8(v).map_err(|_| bad("header text"))?)
                }
            }
            8 => {
                let ms = int(&mut b, 8)?;
                HeaderValue::Timestamp(DateTime::from_secs_and_nanos(
                    ms.div_euclid(1000),
                    (ms.rem_euclid(1000) * 1_000_000) as u32,
                ))
            }
            9 => HeaderValue::Uuid(format_uuid(take(&mut b, 16)?)),
            t => return Err(bad(format!("unknown header type {t}"))),
        };
        if out.iter().any(|(k, _)| *k == name) {
            return Err(bad(format!("duplicate header {name:?}")));
        }
        out.push((name, value));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn message(headers: &[(&str, u8, &[u8])], payload: &[u8]) -> Vec<u8> {
        let mut h = Vec::new();
        for (name, ty, value) in headers {
            h.push(name.len() as u8);
            h.extend_from_slice(name.as_bytes());
            h.push(*ty);
            if *ty == 7 || *ty == 6 {
                h.extend_from_slice(&(value.len() as u16).to_be_bytes());
            }
            h.extend_from_slice(value);
        }
        let total = 16 + h.len() + payload.len();
        let mut m = Vec::new();
        m.extend_from_slice(&(total as u32).to_be_bytes());
        m.extend_from_slice(&(h.len() as u32).to_be_bytes());
        let c = crc32(&m);
        m.extend_from_slice(&c.to_be_bytes());
        m.extend_from_slice(&h);
        m.extend_from_slice(payload);
        let c = crc32(&m);
        m.extend_from_slice(&c.to_be_bytes());
        m
    }

    #[test]
    fn frames_round_trip_and_corruption_is_caught() {
        let mut body = message(
            &[
                (":event-type", 7, b"Records"),
                ("n", 4, &7i32.to_be_bytes()),
            ],
            b"abc",
        );
        body.extend(message(&[("flag", 0, b"")], b""));
        let msgs = decode_messages(&body).unwrap();
        assert_eq!(msgs.len(), 2);
        assert_eq!(msgs[0].header_str(":event-type"), Some("Records"));
        assert_eq!(msgs[0].headers[1].1, HeaderValue::Int(7));
        assert_eq!(msgs[0].payload, b"abc");
        assert_eq!(msgs[1].headers[0].1, HeaderValue::Bool(true));
        let mut broken = body.clone();
        broken[20] ^= 1;
        assert!(decode_messages(&broken).is_err());
        assert!(decode_messages(&body[..body.len() - 1]).is_err());
    }
}
