//! Event-stream framing against botocore's decoder as the oracle: frames built here (every header
//! type, empty payloads, exception events, initial responses) decode to the same messages in
//! boto-rs and in botocore, whole or byte by byte, and damaged frames (bad prelude or message
//! CRC, cut short, oversized lengths, repeated headers) are errors in both.

use boto_runtime::wire::checksum::crc32;
use boto_runtime::wire::eventstream::{decode_messages, HeaderValue, MessageDecoder};
use boto_tests::event_frame as frame;
use boto_tests::oracle::python;
use serde_json::{json, Value as Json};

fn s(v: &str) -> Vec<u8> {
    v.as_bytes().to_vec()
}

/// Frames covering every header type and the message kinds a response stream carries.
fn frames() -> Vec<Vec<u8>> {
    vec![
        frame(
            &[
                (":message-type", 7, s("event")),
                (":event-type", 7, s("initial-response")),
                (":content-type", 7, s("application/json")),
            ],
            br#"{"ShardId":"s-1"}"#,
        ),
        frame(
            &[
                ("t", 0, vec![]),
                ("f", 1, vec![]),
                ("byte", 2, vec![0xfe]),
                ("short", 3, (-300i16).to_be_bytes().to_vec()),
                ("int", 4, 70_000i32.to_be_bytes().to_vec()),
                ("long", 5, (-5_000_000_000i64).to_be_bytes().to_vec()),
                ("bytes", 6, vec![0, 1, 2, 255]),
                ("text", 7, s("caf\u{e9}")),
                ("when", 8, 1_767_323_045_123i64.to_be_bytes().to_vec()),
                ("id", 9, (0u8..16).collect()),
            ],
            b"payload",
        ),
        frame(
            &[
                (":message-type", 7, s("event")),
                (":event-type", 7, s("End")),
            ],
            b"",
        ),
        frame(&[], b""),
        frame(
            &[
                (":message-type", 7, s("exception")),
                (":exception-type", 7, s("ThrottlingException")),
            ],
            br#"{"message":"slow down"}"#,
        ),
    ]
}

/// The messages of `stream` as botocore's `EventStreamBuffer` decodes them, or its error's class.
fn botocore_decode(stream: &[u8]) -> Result<Json, String> {
    let hex: String = stream.iter().map(|b| format!("{b:02x}")).collect();
    let out: Json = serde_json::from_str(&python(&format!(
        "import base64, json, uuid\n\
         from botocore.eventstream import EventStreamBuffer, ParserError\n\
         def value(v):\n    \
             if isinstance(v, bytes):\n        return {{'bytes': base64.b64encode(v).decode()}}\n    \
             return v\n\
         b = EventStreamBuffer()\n\
         b.add_data(bytes.fromhex('{hex}'))\n\
         out = []\n\
         try:\n    \
             for m in b:\n        \
                 out.append({{'headers': [[k, value(v)] for k, v in m.headers.items()], 'payload': base64.b64encode(m.payload).decode()}})\n    \
             left = len(b._data)\n    \
             print(json.dumps({{'messages': out, 'left': left}}))\n\
         except ParserError as e:\n    \
             print(json.dumps({{'error': type(e).__name__}}))\n"
    )))
    .unwrap();
    match out.get("error") {
        Some(e) => Err(e.as_str().unwrap_or("").to_string()),
        None => Ok(out),
    }
}

/// Our messages in the oracle's form (timestamps in milliseconds, UUIDs as their 16 bytes).
fn ours(msgs: &[boto_runtime::wire::eventstream::Message]) -> Json {
    use base64::Engine;
    let b64 = |b: &[u8]| base64::engine::general_purpose::STANDARD.encode(b);
    Json::Array(
        msgs.iter()
            .map(|m| {
                let headers: Vec<Json> = m
                    .headers
                    .iter()
                    .map(|(k, v)| {
                        let v = match v {
                            HeaderValue::Bool(b) => json!(b),
                            HeaderValue::Int(i) => json!(i),
                            HeaderValue::Bytes(b) => json!({"bytes": b64(b)}),
                            HeaderValue::String(s) => json!(s),
                            HeaderValue::Timestamp(t) => {
                                json!(t.secs() * 1000 + i64::from(t.subsec_nanos() / 1_000_000))
                            }
                            HeaderValue::Uuid(u) => {
                                let hex = u.replace('-', "");
                                let bytes: Vec<u8> = (0..16)
                                    .map(|i| {
                                        u8::from_str_radix(&hex[2 * i..2 * i + 2], 16).unwrap()
                                    })
                                    .collect();
                                json!({"bytes": b64(&bytes)})
                            }
                        };
                        json!([k, v])
                    })
                    .collect();
                json!({"headers": headers, "payload": b64(&m.payload)})
            })
            .collect(),
    )
}

#[test]
fn frames_decode_as_botocore_decodes_them() {
    let stream: Vec<u8> = frames().concat();
    let theirs = botocore_decode(&stream).unwrap();
    assert_eq!(theirs["left"], 0);
    let whole = decode_messages(&stream).unwrap();
    assert_eq!(ours(&whole), theirs["messages"]);
    assert_eq!(whole.len(), 5);

    // Byte by byte: each message as soon as its last byte is there, and nothing held after it.
    let mut d = MessageDecoder::new();
    let mut got = Vec::new();
    let ends: Vec<usize> = frames()
        .iter()
        .scan(0, |at, f| {
            *at += f.len();
            Some(*at)
        })
        .collect();
    for (i, b) in stream.iter().enumerate() {
        d.push(&[*b]);
        while let Some(m) = d.next_message().unwrap() {
            assert!(ends.contains(&(i + 1)), "a message completed at byte {i}");
            got.push(m);
        }
    }
    d.finish().unwrap();
    assert_eq!(d.pending(), 0);
    assert_eq!(got, whole);
}

#[test]
fn damaged_frames_are_errors_in_both() {
    let good = frames()[1].clone();
    let mut bad_prelude = good.clone();
    bad_prelude[9] ^= 0x40;
    let mut bad_message = good.clone();
    bad_message[30] ^= 0x01;
    let cut = good[..good.len() - 3].to_vec();
    let huge_headers = {
        let mut m = Vec::new();
        m.extend_from_slice(&(300_000u32).to_be_bytes());
        m.extend_from_slice(&(200_000u32).to_be_bytes());
        let c = crc32(&m);
        m.extend_from_slice(&c.to_be_bytes());
        m
    };
    let huge_payload = {
        let mut m = Vec::new();
        m.extend_from_slice(&(30_000_000u32).to_be_bytes());
        m.extend_from_slice(&0u32.to_be_bytes());
        let c = crc32(&m);
        m.extend_from_slice(&c.to_be_bytes());
        m
    };
    let repeated = frame(&[("a", 0, vec![]), ("a", 1, vec![])], b"");
    for (what, stream, botocore_error) in [
        ("bad prelude CRC", bad_prelude, Some("ChecksumMismatch")),
        ("bad message CRC", bad_message, Some("ChecksumMismatch")),
        (
            "oversized headers",
            huge_headers,
            Some("InvalidHeadersLength"),
        ),
        (
            "oversized payload",
            huge_payload,
            Some("InvalidPayloadLength"),
        ),
        ("repeated header", repeated, Some("DuplicateHeader")),
        // botocore waits for the rest of a message cut short; the stream's end makes it an error.
        ("cut short", cut, None),
    ] {
        let theirs = botocore_decode(&stream);
        match botocore_error {
            Some(e) => assert_eq!(theirs, Err(e.to_string()), "{what}"),
            None => {
                let t = theirs.unwrap();
                assert_eq!(t["messages"], json!([]), "{what}");
                assert_ne!(t["left"], 0, "{what}");
            }
        }
        let err = decode_messages(&stream).unwrap_err();
        assert!(
            err.to_string().contains("invalid event stream"),
            "{what}: {err}"
        );
        // Fed a byte at a time, the damage is found no later than at the end, and it stays.
        let mut d = MessageDecoder::new();
        let mut failed = false;
        for b in &stream {
            d.push(&[*b]);
            if d.next_message().is_err() {
                failed = true;
                assert!(d.next_message().is_err(), "{what}: the error stays");
                break;
            }
        }
        assert!(failed || d.finish().is_err(), "{what}");
    }
}
