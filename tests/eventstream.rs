//! Event streams.
//!
//! - Framing against botocore's decoder as the oracle: frames built here (every header type, empty
//!   payloads, exception events, initial responses) decode to the same messages in boto-rs and in
//!   botocore, whole or byte by byte, and damaged frames (bad prelude or message CRC, cut short,
//!   oversized lengths, repeated headers) are errors in both.
//! - Live delivery: a scripted server sends events with pauses between them, and the order in
//!   which the test receives them is compared with the order in which the server sent them.
//! - End to end, with boto3 reading the same stream as the oracle: s3 `SelectObjectContent`
//!   against moto; bedrock-runtime `ConverseStream`, lambda `InvokeWithResponseStream`, kinesis
//!   `SubscribeToShard` and logs `StartLiveTail` against scripted servers, each ending with an
//!   exception event that must arrive as the crate's typed error.
//! - Both directions: bedrock-runtime `InvokeModelWithBidirectionalStream` against a local HTTP/2
//!   server that checks the signature of every message in the chain with its own SigV4
//!   computation and answers each input event as it arrives.

use boto_runtime::wire::checksum::crc32;
use boto_runtime::wire::eventstream::{decode_messages, HeaderValue, MessageDecoder};
use boto_runtime::{EventStream, Structure};
use boto_tests::dynamic::struct_to_json;
use boto_tests::event_frame as frame;
use boto_tests::events::{EventServer, Step};
use boto_tests::oracle::{python, Boto3};
use boto_tests::Moto;
use serde_json::{json, Value as Json};
use std::time::Duration;

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

/// An event message of type `ty`.
fn event(ty: &str, content_type: &str, payload: &[u8]) -> Vec<u8> {
    frame(
        &[
            (":message-type", 7, s("event")),
            (":event-type", 7, s(ty)),
            (":content-type", 7, s(content_type)),
        ],
        payload,
    )
}

/// A JSON event message of type `ty`.
fn json_event(ty: &str, payload: Json) -> Step {
    Step::Send(
        None,
        event(ty, "application/json", payload.to_string().as_bytes()),
    )
}

/// A `contentBlockDelta` event of bedrock's `ConverseStream` carrying `text`.
fn text_delta(text: &str) -> Step {
    json_event(
        "contentBlockDelta",
        json!({"delta": {"text": text}, "contentBlockIndex": 0}),
    )
}

/// A modeled exception event.
fn exception(ty: &str, payload: Json) -> Step {
    Step::Send(
        None,
        frame(
            &[
                (":message-type", 7, s("exception")),
                (":exception-type", 7, s(ty)),
                (":content-type", 7, s("application/json")),
            ],
            payload.to_string().as_bytes(),
        ),
    )
}

/// Every event of `stream` as boto3's oracle shows them; an error that ends it becomes a last
/// `{"$error": {code, message}}`, which is returned too.
async fn drain<E: Structure + Default>(
    stream: &mut EventStream<E>,
) -> (Vec<Json>, Option<boto_runtime::Error>) {
    let mut events = Vec::new();
    loop {
        match stream.try_next().await {
            Ok(Some(e)) => events.push(struct_to_json(&e)),
            Ok(None) => return (events, None),
            Err(e) => {
                events.push(json!({"$error": {"code": e.code(), "message": e.message()}}));
                // The stream has ended: nothing follows an error.
                assert!(stream.try_next().await.unwrap().is_none());
                return (events, Some(e));
            }
        }
    }
}

/// An output as boto3's oracle shows it: its members, with the event stream's events under the
/// stream member's name, and its serde form (which leaves the stream out).
fn with_events(out: &dyn Structure, member: &str, events: Vec<Json>) -> Json {
    let mut j = struct_to_json(out);
    j[member] = Json::Array(events);
    let form = serde_json::to_value(boto_runtime::serde_form::AsSerde(out)).unwrap();
    if form.as_object().is_some_and(|o| !o.is_empty()) {
        j[boto_tests::oracle::SERDE] = form;
    }
    j
}

fn select_request(bucket: &str, key: &str) -> s3::types::SelectObjectContentRequest {
    use s3::types::*;
    SelectObjectContentRequest {
        bucket: Some(bucket.into()),
        key: Some(key.into()),
        expression: Some("SELECT * FROM S3Object s".into()),
        expression_type: Some(ExpressionType::Sql),
        input_serialization: Some(InputSerialization {
            csv: Some(CSVInput::default()),
            ..Default::default()
        }),
        output_serialization: Some(OutputSerialization {
            csv: Some(CSVOutput::default()),
            ..Default::default()
        }),
        ..Default::default()
    }
}

fn records(label: Option<&'static str>, text: &str) -> Step {
    Step::Send(
        label,
        event("Records", "application/octet-stream", text.as_bytes()),
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn each_event_is_delivered_as_soon_as_it_arrives() {
    let server = EventServer::start(
        &[],
        vec![
            records(Some("event 1"), "1,one\n"),
            Step::Pause(Duration::from_secs(2)),
            records(Some("event 2"), "2,two\n"),
            Step::Send(None, event("End", "application/octet-stream", b"")),
        ],
    );
    let client = s3::Client::new(&server.session());
    let mut out = client
        .select_object_content(select_request("b", "k.csv"))
        .await
        .unwrap();
    let mut got = Vec::new();
    for n in 1..=3 {
        let e = out.payload.try_next().await.unwrap().expect("an event");
        server.note(format!("received event {n}"));
        got.push(e);
    }
    assert!(out.payload.try_next().await.unwrap().is_none());
    assert_eq!(
        server.entries(),
        [
            "sent event 1",
            "received event 1",
            "sent event 2",
            "received event 2",
            "received event 3"
        ]
    );
    use s3::types::SelectObjectContentEventStream as Ev;
    match &got[..] {
        [Ev::Records(a), Ev::Records(b), Ev::End(_)] => {
            assert_eq!(
                a.payload.as_ref().map(|b| b.as_bytes()),
                Some(&b"1,one\n"[..])
            );
            assert_eq!(
                b.payload.as_ref().map(|b| b.as_bytes()),
                Some(&b"2,two\n"[..])
            );
        }
        other => panic!("unexpected events {other:?}"),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn dropping_the_stream_closes_the_connection() {
    let server = EventServer::start(
        &[],
        vec![records(Some("event 1"), "1,one\n"), Step::AwaitClose],
    );
    let client = s3::Client::new(&server.session());
    let mut out = client
        .select_object_content(select_request("b", "k.csv"))
        .await
        .unwrap();
    assert!(out.payload.try_next().await.unwrap().is_some());
    drop(out);
    let closed = tokio::task::spawn_blocking(move || {
        server.wait_for("client closed", Duration::from_secs(15));
        server.entries()
    })
    .await
    .unwrap();
    assert_eq!(closed, ["sent event 1", "client closed"]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn damaged_and_error_messages_end_the_stream_after_the_events_before_them() {
    // An `error` message (not modeled): botocore's code and message come from its headers.
    let error = frame(
        &[
            (":message-type", 7, s("error")),
            (":error-code", 7, s("InternalError")),
            (":error-message", 7, s("try again")),
        ],
        b"",
    );
    let mut damaged = event("Records", "application/octet-stream", b"2,two\n");
    let last = damaged.len() - 1;
    damaged[last] ^= 0xff;
    for (tail, code) in [(error, Some("InternalError")), (damaged, None)] {
        let server =
            EventServer::start(&[], vec![records(None, "1,one\n"), Step::Send(None, tail)]);
        let client = s3::Client::new(&server.session());
        let mut out = client
            .select_object_content(select_request("b", "k.csv"))
            .await
            .unwrap();
        let (events, err) = drain(&mut out.payload).await;
        assert_eq!(events[0], json!({"Records": {"Payload": "1,one\n"}}));
        let err = err.expect("an error ends the stream");
        assert_eq!(err.code(), code, "{err}");
        if code.is_none() {
            assert!(
                err.to_string().contains("message checksum mismatch"),
                "{err}"
            );
        } else {
            assert_eq!(err.message(), Some("try again"));
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn select_object_content_against_moto_matches_boto3() {
    use s3::types::*;
    let moto = Moto::start();
    let client = s3::Client::new(&moto.session());
    client
        .create_bucket(CreateBucketRequest {
            bucket: Some("select".into()),
            ..Default::default()
        })
        .await
        .unwrap();
    let csv = "name,size\nalpha,1\nbeta,22\ngamma,333\n";
    client
        .put_object(PutObjectRequest {
            bucket: Some("select".into()),
            key: Some("data.csv".into()),
            body: Some(boto_runtime::ByteStream::from(csv)),
            ..Default::default()
        })
        .await
        .unwrap();
    let mut req = select_request("select", "data.csv");
    // moto evaluates only simple queries.
    req.expression = Some("SELECT * FROM S3Object s".into());
    req.input_serialization = Some(InputSerialization {
        csv: Some(CSVInput {
            file_header_info: Some(FileHeaderInfo::Use),
            ..Default::default()
        }),
        ..Default::default()
    });
    let mut boto3 = Boto3::start(&moto, "s3");
    let expected = boto3
        .call("SelectObjectContent", &req)
        .expect("boto3 selects");
    let mut out = client.select_object_content(req).await.unwrap();
    let (events, err) = drain(&mut out.payload).await;
    assert!(err.is_none(), "{err:?}");
    assert_eq!(with_events(&out, "Payload", events.clone()), expected);
    assert!(events
        .iter()
        .any(|e| e["Stats"]["Details"]["BytesScanned"].is_u64()));
    assert!(
        events.iter().any(|e| e["Records"]["Payload"]
            .as_str()
            .is_some_and(|p| p.contains("alpha,1\nbeta,22\ngamma,333"))),
        "{events:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn converse_stream_delivers_tokens_and_a_typed_exception() {
    use bedrock_runtime::types::*;
    let server = EventServer::start(
        &[],
        vec![
            json_event("messageStart", json!({"role": "assistant"})),
            text_delta("Hel"),
            text_delta("lo"),
            json_event("contentBlockStop", json!({"contentBlockIndex": 0})),
            json_event("messageStop", json!({"stopReason": "end_turn"})),
            json_event(
                "metadata",
                json!({"usage": {"inputTokens": 3, "outputTokens": 2, "totalTokens": 5},
                       "metrics": {"latencyMs": 42}}),
            ),
            exception(
                "modelStreamErrorException",
                json!({"message": "the model stopped", "originalStatusCode": 500,
                       "originalMessage": "overloaded"}),
            ),
        ],
    );
    let req = ConverseStreamRequest {
        model_id: Some("anthropic.claude-3-haiku-20240307-v1:0".into()),
        messages: Some(vec![Message {
            role: Some(ConversationRole::User),
            content: Some(vec![ContentBlock::Text("Say hello".into())]),
        }]),
        ..Default::default()
    };
    let expected = Boto3::start_at(&server.url, "bedrock-runtime", &[])
        .call("ConverseStream", &req)
        .expect("boto3 streams");
    let client = bedrock_runtime::Client::new(&server.session());
    let mut out = client.converse_stream(req).await.unwrap();
    let (events, err) = drain(&mut out.stream).await;
    assert_eq!(with_events(&out, "stream", events.clone()), expected);
    let text: String = events
        .iter()
        .filter_map(|e| e["contentBlockDelta"]["delta"]["text"].as_str())
        .collect();
    assert_eq!(text, "Hello");
    let err = err.expect("the exception event ends the stream");
    match bedrock_runtime::Error::from_error(&err) {
        Some(bedrock_runtime::Error::ModelStreamErrorException(e)) => {
            assert_eq!(e.original_status_code, Some(500));
            assert_eq!(e.original_message.as_deref(), Some("overloaded"));
        }
        other => panic!("not the typed exception: {other:?} from {err:?}"),
    }
}

/// Without async: the call `.wait()`ed, its events read with `.wait_iter()`, the exception that
/// ends them an `Err` item, typed.
#[test]
fn an_event_stream_is_read_without_async() {
    use bedrock_runtime::types::*;
    use boto_runtime::blocking::*;
    let server = EventServer::start(
        &[],
        vec![
            text_delta("Hel"),
            text_delta("lo"),
            json_event("messageStop", json!({"stopReason": "end_turn"})),
            exception(
                "modelStreamErrorException",
                json!({"message": "the model stopped", "originalStatusCode": 500}),
            ),
        ],
    );
    let client = bedrock_runtime::Client::new(&server.session());
    let out = client
        .converse_stream(ConverseStreamRequest {
            model_id: Some("anthropic.claude-3-haiku-20240307-v1:0".into()),
            ..Default::default()
        })
        .wait()
        .unwrap();
    let (mut text, mut stops, mut errors) = (String::new(), 0, Vec::new());
    for event in out.stream.wait_iter() {
        match event {
            Ok(ConverseStreamOutput::ContentBlockDelta(d)) => {
                if let Some(ContentBlockDelta::Text(t)) = d.delta {
                    text += &t;
                }
            }
            Ok(ConverseStreamOutput::MessageStop(_)) => stops += 1,
            Ok(other) => panic!("an event the server did not send: {other:?}"),
            Err(e) => errors.push(e),
        }
    }
    assert_eq!((text.as_str(), stops), ("Hello", 1));
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert!(
        matches!(
            bedrock_runtime::Error::from_error(&errors[0]),
            Some(bedrock_runtime::Error::ModelStreamErrorException(_))
        ),
        "{:?}",
        errors[0]
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn invoke_with_response_stream_reads_headers_and_chunks() {
    let server = EventServer::start(
        &[("X-Amz-Executed-Version", "$LATEST")],
        vec![
            Step::Send(
                None,
                event("PayloadChunk", "application/octet-stream", b"{\"part\": 1"),
            ),
            Step::Send(
                None,
                event(
                    "PayloadChunk",
                    "application/octet-stream",
                    b", \"more\": true}",
                ),
            ),
            json_event("InvokeComplete", json!({"LogResult": "bG9ncw=="})),
        ],
    );
    let req = lambda::types::InvokeWithResponseStreamRequest {
        function_name: Some("streamer".into()),
        payload: Some(boto_runtime::Blob::new(b"{}".to_vec())),
        ..Default::default()
    };
    let expected = Boto3::start_at(&server.url, "lambda", &[])
        .call("InvokeWithResponseStream", &req)
        .expect("boto3 streams");
    let client = lambda::Client::new(&server.session());
    let mut out = client.invoke_with_response_stream(req).await.unwrap();
    assert_eq!(out.status_code, Some(200));
    assert_eq!(out.executed_version.as_deref(), Some("$LATEST"));
    let (events, err) = drain(&mut out.event_stream).await;
    assert!(err.is_none(), "{err:?}");
    assert_eq!(events.len(), 3);
    assert_eq!(with_events(&out, "EventStream", events), expected);
}

fn subscribe_request() -> kinesis::types::SubscribeToShardInput {
    use kinesis::types::*;
    SubscribeToShardInput {
        consumer_arn: Some(
            "arn:aws:kinesis:us-east-1:123456789012:stream/orders/consumer/reader:1".into(),
        ),
        shard_id: Some("shardId-000000000000".into()),
        starting_position: Some(StartingPosition {
            r#type: Some(ShardIteratorType::Latest),
            ..Default::default()
        }),
        ..Default::default()
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn subscribe_to_shard_answers_with_the_initial_response_before_any_record() {
    let server = EventServer::start(
        &[],
        vec![
            Step::Send(
                Some("initial response"),
                event("initial-response", "application/json", b"{}"),
            ),
            Step::Pause(Duration::from_millis(1500)),
            Step::Send(
                Some("records"),
                event(
                    "SubscribeToShardEvent",
                    "application/json",
                    json!({"Records": [{"SequenceNumber": "49590338271490256608559692538361571095921575989136588898",
                                        "ApproximateArrivalTimestamp": 1700000000.5,
                                        "Data": "aGVsbG8=", "PartitionKey": "pk-1"}],
                           "ContinuationSequenceNumber": "49590338271490256608559692538361571095921575989136588899",
                           "MillisBehindLatest": 0})
                    .to_string()
                    .as_bytes(),
                ),
            ),
            exception("ResourceInUseException", json!({"message": "another consumer took over"})),
        ],
    );
    let client = kinesis::Client::new(&server.session());
    let mut out = client
        .subscribe_to_shard(subscribe_request())
        .await
        .unwrap();
    server.note("call returned");
    let (events, err) = drain(&mut out.event_stream).await;
    let log = server.entries();
    assert_eq!(
        log,
        ["sent initial response", "call returned", "sent records"],
        "the call must return once the initial response is in, before any record"
    );
    let expected = Boto3::start_at(&server.url, "kinesis", &[])
        .call("SubscribeToShard", &subscribe_request())
        .expect("boto3 subscribes");
    assert_eq!(with_events(&out, "EventStream", events.clone()), expected);
    assert_eq!(
        events[0]["SubscribeToShardEvent"]["Records"][0]["Data"],
        "hello"
    );
    let err = err.expect("the exception ends the stream");
    assert!(
        matches!(
            kinesis::Error::from_error(&err),
            Some(kinesis::Error::ResourceInUseException(_))
        ),
        "{err:?}"
    );
    assert_eq!(err.message(), Some("another consumer took over"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_rpc_stream_without_its_initial_response_is_an_error() {
    let server = EventServer::start(
        &[],
        vec![json_event(
            "SubscribeToShardEvent",
            json!({"Records": [], "ContinuationSequenceNumber": "1", "MillisBehindLatest": 0}),
        )],
    );
    let client = kinesis::Client::new(&server.session());
    let err = client
        .subscribe_to_shard(subscribe_request())
        .await
        .expect_err("botocore refuses a stream whose first event is not the initial response");
    assert!(err.to_string().contains("initial response"), "{err}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn start_live_tail_streams_log_events_until_the_session_times_out() {
    let group = "arn:aws:logs:us-east-1:123456789012:log-group:app";
    let server = EventServer::start(
        &[],
        vec![
            Step::Send(None, event("initial-response", "application/json", b"{}")),
            json_event(
                "sessionStart",
                json!({"requestId": "r-1", "sessionId": "s-1", "logGroupIdentifiers": [group]}),
            ),
            json_event(
                "sessionUpdate",
                json!({"sessionMetadata": {"sampled": false},
                       "sessionResults": [{"logStreamName": "web", "logGroupIdentifier": group,
                                           "message": "GET / 200", "timestamp": 1700000000123i64,
                                           "ingestionTime": 1700000000456i64}]}),
            ),
            exception(
                "SessionTimeoutException",
                json!({"message": "three hours passed"}),
            ),
        ],
    );
    let env = [("AWS_DISABLE_HOST_PREFIX_INJECTION", "true")];
    let req = logs::types::StartLiveTailRequest {
        log_group_identifiers: Some(vec![group.into()]),
        ..Default::default()
    };
    let expected = Boto3::start_at(&server.url, "logs", &env)
        .call("StartLiveTail", &req)
        .expect("boto3 tails");
    let session = boto_tests::isolated_session()
        .environment(boto_runtime::Environment::from_vars(
            env.iter()
                .chain(&[("HOME", "/nonexistent")])
                .map(|(k, v)| (k.to_string(), v.to_string())),
        ))
        .region("us-east-1")
        .endpoint_url(&server.url)
        .max_attempts(1)
        .build()
        .unwrap();
    let client = logs::Client::new(&session);
    let mut out = client.start_live_tail(req).await.unwrap();
    let (events, err) = drain(&mut out.response_stream).await;
    assert_eq!(
        with_events(&out, "responseStream", events.clone()),
        expected
    );
    assert_eq!(
        events[1]["sessionUpdate"]["sessionResults"][0]["message"],
        "GET / 200"
    );
    let err = err.expect("the timeout ends the stream");
    assert!(
        matches!(
            logs::Error::from_error(&err),
            Some(logs::Error::SessionTimeoutException(_))
        ),
        "{err:?}"
    );
}

/// HMAC-SHA256, written here so the signatures the server checks are computed independently of
/// the runtime's signer.
fn hmac(key: &[u8], msg: &[u8]) -> Vec<u8> {
    use sha2::{Digest, Sha256};
    let mut k = [0u8; 64];
    if key.len() > 64 {
        k[..32].copy_from_slice(Sha256::digest(key).as_slice());
    } else {
        k[..key.len()].copy_from_slice(key);
    }
    let mut inner = Sha256::new();
    inner.update(k.map(|b| b ^ 0x36));
    inner.update(msg);
    let mut outer = Sha256::new();
    outer.update(k.map(|b| b ^ 0x5c));
    outer.update(inner.finalize().as_slice());
    outer.finalize().as_slice().to_vec()
}

fn sha256_hex(b: &[u8]) -> String {
    use sha2::{Digest, Sha256};
    Sha256::digest(b)
        .as_slice()
        .iter()
        .map(|x| format!("{x:02x}"))
        .collect()
}

fn hex(b: &[u8]) -> String {
    b.iter().map(|x| format!("{x:02x}")).collect()
}

/// What the HTTP/2 server saw and did, in order.
type Log = std::sync::Arc<std::sync::Mutex<Vec<String>>>;

/// The signature an event-stream message must carry: SigV4's `AWS4-HMAC-SHA256-PAYLOAD` string
/// over the previous signature, the `:date` header as encoded and the payload.
fn event_signature(secret: &str, millis: i64, previous: &str, payload: &[u8]) -> String {
    let t = boto_runtime::DateTime::from_secs_and_nanos(millis.div_euclid(1000), 0);
    let stamp = t.to_basic_iso8601();
    let date = &stamp[..8];
    let mut date_header = vec![5u8];
    date_header.extend_from_slice(b":date");
    date_header.push(8);
    date_header.extend_from_slice(&millis.to_be_bytes());
    let to_sign = format!(
        "AWS4-HMAC-SHA256-PAYLOAD\n{stamp}\n{date}/us-east-1/bedrock/aws4_request\n{previous}\n{}\n{}",
        sha256_hex(&date_header),
        sha256_hex(payload)
    );
    let mut key = hmac(format!("AWS4{secret}").as_bytes(), date.as_bytes());
    for part in ["us-east-1", "bedrock", "aws4_request"] {
        key = hmac(&key, part.as_bytes());
    }
    hex(&hmac(&key, to_sign.as_bytes()))
}

/// A local HTTP/2 server for `InvokeModelWithBidirectionalStream`: it answers at once with the
/// response head, then checks each input message's chained signature and answers each event with
/// an output `chunk` echoing its bytes, and ends the response after the input's end message.
async fn bidirectional_server(log: Log, head_after_first_event: bool) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move {
        while let Ok((socket, _)) = listener.accept().await {
            let log = log.clone();
            tokio::spawn(async move {
                let mut conn = h2::server::handshake(socket)
                    .await
                    .expect("an HTTP/2 client");
                while let Some(Ok((request, respond))) = conn.accept().await {
                    tokio::spawn(answer(
                        request,
                        respond,
                        log.clone(),
                        head_after_first_event,
                    ));
                }
            });
        }
    });
    url
}

async fn answer(
    request: http::Request<h2::RecvStream>,
    mut respond: h2::server::SendResponse<bytes::Bytes>,
    log: Log,
    head_after_first_event: bool,
) {
    let note = |s: String| log.lock().unwrap().push(s);
    let header = |n: &str| {
        request
            .headers()
            .get(n)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_string()
    };
    note(format!(
        "request {} {} content-sha256={} content-type={}",
        request.method(),
        request.uri().path(),
        header("x-amz-content-sha256"),
        header("content-type")
    ));
    let mut previous = header("authorization")
        .split("Signature=")
        .nth(1)
        .unwrap_or("")
        .to_string();
    let head = || {
        http::Response::builder()
            .status(200)
            .header("content-type", "application/vnd.amazon.eventstream")
            .body(())
            .unwrap()
    };
    let mut send = (!head_after_first_event).then(|| respond.send_response(head(), false).unwrap());
    let mut body = request.into_body();
    let mut decoder = MessageDecoder::new();
    while let Some(chunk) = body.data().await {
        let Ok(chunk) = chunk else {
            note("the input was reset".into());
            return;
        };
        let _ = body.flow_control().release_capacity(chunk.len());
        decoder.push(&chunk);
        while let Some(envelope) = decoder.next_message().expect("a well-formed envelope") {
            let millis = envelope.headers.iter().find_map(|(k, v)| match v {
                HeaderValue::Timestamp(t) if k == ":date" => {
                    Some(t.secs() * 1000 + i64::from(t.subsec_nanos() / 1_000_000))
                }
                _ => None,
            });
            let got = envelope.headers.iter().find_map(|(k, v)| match v {
                HeaderValue::Bytes(b) if k == ":chunk-signature" => Some(hex(b)),
                _ => None,
            });
            let (Some(millis), Some(got)) = (millis, got) else {
                note("a message without :date and :chunk-signature".into());
                return;
            };
            let want = event_signature("testing", millis, &previous, &envelope.payload);
            if got != want {
                note(format!("bad signature {got}, expected {want}"));
                return;
            }
            previous = got;
            let send = send.get_or_insert_with(|| respond.send_response(head(), false).unwrap());
            if envelope.payload.is_empty() {
                note("end of input, signed".into());
                let _ = send.send_data(bytes::Bytes::new(), true);
                return;
            }
            let inner = decode_messages(&envelope.payload).expect("an event inside");
            let event = &inner[0];
            let text: Json = serde_json::from_slice(&event.payload).unwrap();
            let bytes = text["bytes"].as_str().unwrap_or("").to_string();
            note(format!(
                "received {} {} {bytes}",
                event.header_str(":event-type").unwrap_or(""),
                event.header_str(":content-type").unwrap_or("")
            ));
            let reply = event_frame_json("chunk", json!({ "bytes": bytes }));
            if send.send_data(reply.into(), false).is_err() {
                note("the answer could not be sent".into());
                return;
            }
        }
    }
    note("the input ended without its end message".into());
}

fn event_frame_json(ty: &str, payload: Json) -> Vec<u8> {
    event(ty, "application/json", payload.to_string().as_bytes())
}

/// A bedrock-runtime client of a new [`bidirectional_server`] that writes to `log`.
async fn bidirectional_client(log: Log, head_after_first_event: bool) -> bedrock_runtime::Client {
    let url = bidirectional_server(log, head_after_first_event).await;
    let session = boto_tests::isolated_session()
        .region("us-east-1")
        .endpoint_url(&url)
        .max_attempts(1)
        .build()
        .unwrap();
    bedrock_runtime::Client::new(&session)
}

fn b64(s: &str) -> String {
    use base64::Engine;
    base64::engine::general_purpose::STANDARD.encode(s)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_bidirectional_stream_sends_signed_events_over_http2_while_reading_the_answers() {
    use bedrock_runtime::types::*;
    let log: Log = Default::default();
    let client = bidirectional_client(log.clone(), false).await;
    let (sender, input) = boto_runtime::InputEvents::channel(4);
    let mut out = client
        .invoke_model_with_bidirectional_stream(InvokeModelWithBidirectionalStreamRequest {
            model_id: Some("amazon.nova-sonic-v1:0".into()),
            body: input,
        })
        .await
        .unwrap();
    let chunk = |text: &str| {
        InvokeModelWithBidirectionalStreamInput::Chunk(BidirectionalInputPayloadPart {
            bytes: Some(boto_runtime::Blob::new(text.as_bytes().to_vec())),
        })
    };
    for word in ["hello", "world"] {
        sender.send(chunk(word)).await.unwrap();
        // The answer to this event arrives before the next event is sent.
        match out.body.try_next().await.unwrap() {
            Some(InvokeModelWithBidirectionalStreamOutput::Chunk(c)) => {
                assert_eq!(
                    c.bytes.as_ref().map(|b| b.as_bytes()),
                    Some(word.as_bytes())
                );
            }
            other => panic!("unexpected {other:?}"),
        }
        log.lock().unwrap().push(format!("answer to {word}"));
    }
    sender.close();
    assert!(out.body.try_next().await.unwrap().is_none());
    let log = log.lock().unwrap().clone();
    assert_eq!(
        log,
        [
            "request POST /model/amazon.nova-sonic-v1%3A0/invoke-with-bidirectional-stream content-sha256=STREAMING-AWS4-HMAC-SHA256-EVENTS content-type=application/vnd.amazon.eventstream".to_string(),
            format!("received chunk application/json {}", b64("hello")),
            "answer to hello".to_string(),
            format!("received chunk application/json {}", b64("world")),
            "answer to world".to_string(),
            "end of input, signed".to_string(),
        ]
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn input_events_from_a_stream_are_all_sent_then_the_input_ends() {
    use bedrock_runtime::types::*;
    let log: Log = Default::default();
    let client = bidirectional_client(log.clone(), false).await;
    let words = ["one", "two", "three"];
    let events = futures::stream::iter(words.map(|w| {
        InvokeModelWithBidirectionalStreamInput::Chunk(BidirectionalInputPayloadPart {
            bytes: Some(boto_runtime::Blob::new(w.as_bytes().to_vec())),
        })
    }));
    let mut out = client
        .invoke_model_with_bidirectional_stream(InvokeModelWithBidirectionalStreamRequest {
            model_id: Some("m".into()),
            body: boto_runtime::InputEvents::from_stream(events),
        })
        .await
        .unwrap();
    let (events, err) = drain(&mut out.body).await;
    assert!(err.is_none(), "{err:?}");
    assert_eq!(
        events,
        words.map(|w| json!({"chunk": {"bytes": w}})).to_vec()
    );
    let log = log.lock().unwrap().clone();
    assert_eq!(log.len(), 5, "{log:?}");
    assert_eq!(log[4], "end of input, signed");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_cbor_event_stream_reads_as_boto3_reads_it() {
    // kinesis made to speak smithy-rpc-v2-cbor (as `generate --protocol` would make it), and boto3
    // made to speak it too: the initial response, the events and the exception are CBOR.
    use boto_runtime::schema::Protocol;
    use kinesis::types::*;
    let cbor = |s: &dyn Structure| {
        let mut b = Vec::new();
        boto_runtime::wire::cbor::write_struct(&mut b, s).unwrap();
        b
    };
    let records = SubscribeToShardEvent {
        records: Some(vec![Record {
            sequence_number: Some("1".into()),
            approximate_arrival_timestamp: Some(boto_runtime::DateTime::from_secs_and_nanos(
                1_700_000_000,
                250_000_000,
            )),
            data: Some(boto_runtime::Blob::new(b"hello".to_vec())),
            partition_key: Some("pk-1".into()),
            ..Default::default()
        }]),
        continuation_sequence_number: Some("2".into()),
        millis_behind_latest: Some(5),
        ..Default::default()
    };
    let taken = ResourceInUseException {
        message: Some("another consumer took over".into()),
    };
    let server = EventServer::start(
        &[("smithy-protocol", "rpc-v2-cbor")],
        vec![
            Step::Send(None, event("initial-response", "application/cbor", &[0xa0])),
            Step::Send(
                None,
                event("SubscribeToShardEvent", "application/cbor", &cbor(&records)),
            ),
            Step::Send(
                None,
                frame(
                    &[
                        (":message-type", 7, s("exception")),
                        (":exception-type", 7, s("ResourceInUseException")),
                        (":content-type", 7, s("application/cbor")),
                    ],
                    &cbor(&taken),
                ),
            ),
        ],
    );
    let client: kinesis::Client = boto_runtime::ClientBuilder::new(
        &server.session(),
        boto_tests::speaking(&kinesis::operations::SERVICE, Protocol::RpcV2Cbor),
    )
    .build();
    let mut out = client
        .subscribe_to_shard(subscribe_request())
        .await
        .unwrap();
    let (events, err) = drain(&mut out.event_stream).await;
    let expected = Boto3::start_at(
        &server.url,
        "kinesis",
        &[("ORACLE_PROTOCOL", "smithy-rpc-v2-cbor")],
    )
    .call("SubscribeToShard", &subscribe_request())
    .expect("boto3 subscribes");
    assert_eq!(with_events(&out, "EventStream", events.clone()), expected);
    assert_eq!(events.len(), 2, "{events:?}");
    assert!(matches!(
        kinesis::Error::from_error(&err.expect("the exception")),
        Some(kinesis::Error::ResourceInUseException(_))
    ));
    // The same request: CBOR asking for an event stream.
    let heads = server.heads();
    let header = |i: usize, name: &str| {
        heads[i].lines().find_map(|l| {
            let (k, v) = l.split_once(':')?;
            k.eq_ignore_ascii_case(name).then(|| v.trim().to_string())
        })
    };
    for h in ["smithy-protocol", "content-type", "accept"] {
        assert_eq!(header(0, h), header(1, h), "{h}: {heads:?}");
    }
    let path = |i: usize| heads[i].lines().next().unwrap_or("").to_string();
    assert_eq!(path(0), path(1));
    assert_eq!(
        boto_runtime::wire::cbor::decode(&server.bodies()[0]).unwrap(),
        boto_runtime::wire::cbor::decode(&server.bodies()[1]).unwrap()
    );
}

fn chunk(text: &str) -> bedrock_runtime::types::InvokeModelWithBidirectionalStreamInput {
    bedrock_runtime::types::InvokeModelWithBidirectionalStreamInput::Chunk(
        bedrock_runtime::types::BidirectionalInputPayloadPart {
            bytes: Some(boto_runtime::Blob::new(text.as_bytes().to_vec())),
        },
    )
}

fn bidirectional_request(
    input: boto_runtime::InputEvents<
        bedrock_runtime::types::InvokeModelWithBidirectionalStreamInput,
    >,
) -> bedrock_runtime::types::InvokeModelWithBidirectionalStreamRequest {
    bedrock_runtime::types::InvokeModelWithBidirectionalStreamRequest {
        model_id: Some("m".into()),
        body: input,
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_service_that_answers_after_the_first_event_gets_the_events_queued_before_the_call() {
    let log: Log = Default::default();
    let client = bidirectional_client(log.clone(), true).await;
    let (sender, input) = boto_runtime::InputEvents::channel(4);
    // Queued before the call is awaited: the call returns with the response head, which this
    // service sends only once an event has arrived.
    sender.send(chunk("first")).await.unwrap();
    let call = client.invoke_model_with_bidirectional_stream(bidirectional_request(input));
    let mut out = tokio::time::timeout(Duration::from_secs(20), call)
        .await
        .expect("the call returns once the first event is in")
        .unwrap();
    let first = out.body.try_next().await.unwrap();
    assert!(
        matches!(&first, Some(bedrock_runtime::types::InvokeModelWithBidirectionalStreamOutput::Chunk(c))
            if c.bytes.as_ref().map(|b| b.as_bytes()) == Some(&b"first"[..])),
        "{first:?}"
    );
    drop(sender);
    assert!(out.body.try_next().await.unwrap().is_none());
    assert_eq!(log.lock().unwrap().last().unwrap(), "end of input, signed");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn dropping_the_output_stops_the_input_and_resets_the_request() {
    let log: Log = Default::default();
    let client = bidirectional_client(log.clone(), false).await;
    let (sender, input) = boto_runtime::InputEvents::channel(1);
    let mut out = client
        .invoke_model_with_bidirectional_stream(bidirectional_request(input))
        .await
        .unwrap();
    sender.send(chunk("one")).await.unwrap();
    assert!(out.body.try_next().await.unwrap().is_some());
    drop(out);
    // Sending fails soon: the input stopped with the output.
    let mut refused = None;
    for _ in 0..200 {
        if let Err(e) = sender.send(chunk("more")).await {
            refused = Some(e);
            break;
        }
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
    let refused = refused.expect("sending fails once the output is dropped");
    assert!(refused.to_string().contains("has ended"), "{refused}");
    let mut seen = Vec::new();
    for _ in 0..200 {
        seen = log.lock().unwrap().clone();
        if seen.last().is_some_and(|l| l == "the input was reset") {
            break;
        }
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
    assert_eq!(
        seen.last().map(String::as_str),
        Some("the input was reset"),
        "{seen:?}"
    );
    assert!(
        !seen.iter().any(|l| l == "end of input, signed"),
        "{seen:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_event_that_cannot_be_sent_is_an_error_that_says_why() {
    use bedrock_runtime::types::InvokeModelWithBidirectionalStreamInput as In;
    let log: Log = Default::default();
    let client = bidirectional_client(log.clone(), false).await;
    // Through the sender: refused at once.
    let (sender, _input) = boto_runtime::InputEvents::channel(1);
    let err = sender.send(In::Unknown(String::new())).await.unwrap_err();
    assert!(err.to_string().contains("no member set"), "{err}");
    // Through a stream: the request is reset and the error reported in place of the reset.
    let events = futures::stream::iter([chunk("one"), In::Unknown(String::new())]);
    let answer = client
        .invoke_model_with_bidirectional_stream(bidirectional_request(
            boto_runtime::InputEvents::from_stream(events),
        ))
        .await;
    let err = match answer {
        Err(e) => e,
        Ok(mut out) => drain(&mut out.body)
            .await
            .1
            .expect("the stream ends with an error"),
    };
    assert!(err.to_string().contains("no member set"), "{err}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_input_events_send_just_the_signed_end() {
    let log: Log = Default::default();
    let client = bidirectional_client(log.clone(), false).await;
    let mut out = client
        .invoke_model_with_bidirectional_stream(bidirectional_request(Default::default()))
        .await
        .unwrap();
    assert!(out.body.try_next().await.unwrap().is_none());
    let log = log.lock().unwrap().clone();
    assert_eq!(log.len(), 2, "{log:?}");
    assert_eq!(log[1], "end of input, signed");
}
