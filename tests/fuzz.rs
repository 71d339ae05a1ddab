//! Fuzzing (proptest): valid responses of every protocol (CBOR and event-stream framing
//! included), and valid service models, mutated
//! byte by byte (cut, flipped, inserted, removed, repeated), with random statuses and header
//! values, must give an `Ok` or an `Error` and never a panic. The suite runs a short pass;
//! `cargo xtask fuzz` runs a long one (`FUZZ_CASES`). A crash found is kept below as a regression
//! case.

use boto_runtime::http::HttpResponse;
use boto_runtime::schema::{Operation, Service};
use boto_runtime::Structure;
use proptest::prelude::*;

fn cases() -> u32 {
    std::env::var("FUZZ_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(400)
}

/// One way to damage a byte string; positions are taken modulo its length.
#[derive(Debug, Clone)]
enum Mutation {
    Truncate(usize),
    Flip(usize, u8),
    Insert(usize, Vec<u8>),
    Remove(usize, usize),
    Repeat(usize, usize),
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        any::<usize>().prop_map(Mutation::Truncate),
        (any::<usize>(), any::<u8>()).prop_map(|(p, b)| Mutation::Flip(p, b)),
        (any::<usize>(), prop::collection::vec(any::<u8>(), 1..16))
            .prop_map(|(p, v)| Mutation::Insert(p, v)),
        (
            any::<usize>(),
            prop_oneof![
                Just(b"<".to_vec()),
                Just(b"</".to_vec()),
                Just(b"{\"".to_vec()),
                Just(b"]".to_vec()),
                Just(b"&#x".to_vec()),
                Just(b"\xff\xfe".to_vec()),
                Just(b"null".to_vec()),
                Just(b"99999999999999999999999".to_vec()),
            ]
        )
            .prop_map(|(p, v)| Mutation::Insert(p, v)),
        (any::<usize>(), 1..64usize).prop_map(|(p, n)| Mutation::Remove(p, n)),
        (any::<usize>(), 1..64usize).prop_map(|(p, n)| Mutation::Repeat(p, n)),
    ]
}

fn apply(mut b: Vec<u8>, muts: &[Mutation]) -> Vec<u8> {
    for m in muts {
        let len = b.len().max(1);
        match m {
            Mutation::Truncate(p) => b.truncate(p % len),
            Mutation::Flip(p, x) => {
                if !b.is_empty() {
                    let i = p % b.len();
                    b[i] ^= x;
                }
            }
            Mutation::Insert(p, v) => {
                let i = p % (b.len() + 1);
                b.splice(i..i, v.iter().copied());
            }
            Mutation::Remove(p, n) => {
                let i = p % len;
                let end = (i + n).min(b.len());
                if i < end {
                    b.drain(i..end);
                }
            }
            Mutation::Repeat(p, n) => {
                let i = p % len;
                let end = (i + n).min(b.len());
                if i < end {
                    let chunk = b[i..end].to_vec();
                    b.splice(end..end, chunk);
                }
            }
        }
    }
    b
}

/// A response seed: service, operation, an empty output of its type, status, headers, body.
struct Seed {
    svc: &'static Service,
    op: &'static Operation,
    out: fn() -> Box<dyn Structure>,
    status: u16,
    headers: &'static [(&'static str, &'static str)],
    body: &'static str,
}

fn out<T: Structure + Default>() -> Box<dyn Structure> {
    Box::new(T::default())
}

fn seeds() -> Vec<Seed> {
    vec![
        Seed {
            svc: &ec2::operations::SERVICE,
            op: &ec2::operations::OP_DESCRIBE_INSTANCES,
            out: out::<ec2::types::DescribeInstancesResult>,
            status: 200,
            headers: &[],
            body: r#"<DescribeInstancesResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/"><requestId>r-1</requestId><reservationSet><item><reservationId>r-1</reservationId><instancesSet><item><instanceId>i-1</instanceId><instanceState><code>16</code><name>running</name></instanceState><launchTime>2020-01-02T03:04:05.000Z</launchTime><tagSet><item><key>k</key><value>v &amp; w</value></item></tagSet><ebsOptimized>false</ebsOptimized><cpuOptions><coreCount>1</coreCount></cpuOptions></item></instancesSet></item></reservationSet><nextToken>t</nextToken></DescribeInstancesResponse>"#,
        },
        Seed {
            svc: &ec2::operations::SERVICE,
            op: &ec2::operations::OP_DESCRIBE_INSTANCES,
            out: out::<ec2::types::DescribeInstancesResult>,
            status: 400,
            headers: &[],
            body: r#"<Response><Errors><Error><Code>InvalidInstanceID.NotFound</Code><Message>none</Message></Error></Errors><RequestID>r-2</RequestID></Response>"#,
        },
        Seed {
            svc: &iam::operations::SERVICE,
            op: &iam::operations::OP_LIST_USERS,
            out: out::<iam::types::ListUsersResponse>,
            status: 200,
            headers: &[],
            body: r#"<ListUsersResponse xmlns="https://iam.amazonaws.com/doc/2010-05-08/"><ListUsersResult><Users><member><UserName>a</UserName><Path>/</Path><UserId>ID</UserId><Arn>arn:aws:iam::1:user/a</Arn><CreateDate>2020-01-01T00:00:00Z</CreateDate><Tags><member><Key>k</Key><Value>v</Value></member></Tags></member></Users><IsTruncated>true</IsTruncated><Marker>m</Marker></ListUsersResult><ResponseMetadata><RequestId>q</RequestId></ResponseMetadata></ListUsersResponse>"#,
        },
        Seed {
            svc: &iam::operations::SERVICE,
            op: &iam::operations::OP_LIST_USERS,
            out: out::<iam::types::ListUsersResponse>,
            status: 400,
            headers: &[],
            body: r#"<ErrorResponse><Error><Type>Sender</Type><Code>NoSuchEntity</Code><Message>no</Message></Error><RequestId>q</RequestId></ErrorResponse>"#,
        },
        Seed {
            svc: &dynamodb::operations::SERVICE,
            op: &dynamodb::operations::OP_SCAN,
            out: out::<dynamodb::types::ScanOutput>,
            status: 200,
            headers: &[("x-amzn-requestid", "q")],
            body: r#"{"Items":[{"pk":{"S":"a"},"n":{"N":"1.5"},"b":{"B":"aGVsbG8="},"l":{"L":[{"BOOL":true},{"NULL":true}]},"m":{"M":{"x":{"SS":["a","b"]}}}}],"Count":1,"ScannedCount":2,"LastEvaluatedKey":{"pk":{"S":"a"}},"ConsumedCapacity":{"TableName":"t","CapacityUnits":0.5}}"#,
        },
        Seed {
            svc: &dynamodb::operations::SERVICE,
            op: &dynamodb::operations::OP_SCAN,
            out: out::<dynamodb::types::ScanOutput>,
            status: 400,
            headers: &[],
            body: r#"{"__type":"com.amazonaws.dynamodb.v20120810#ResourceNotFoundException","message":"no table"}"#,
        },
        Seed {
            svc: &glacier::operations::SERVICE,
            op: &glacier::operations::OP_LIST_VAULTS,
            out: out::<glacier::types::ListVaultsOutput>,
            status: 200,
            headers: &[],
            body: r#"{"VaultList":[{"VaultName":"v","VaultARN":"arn","CreationDate":"2020-01-01T00:00:00.000Z","NumberOfArchives":3,"SizeInBytes":12}],"Marker":"m"}"#,
        },
        Seed {
            svc: &glacier::operations::SERVICE,
            op: &glacier::operations::OP_UPLOAD_ARCHIVE,
            out: out::<glacier::types::ArchiveCreationOutput>,
            status: 201,
            headers: &[
                ("location", "/-/vaults/v/archives/a"),
                ("x-amz-sha256-tree-hash", "abc"),
                ("x-amz-archive-id", "a"),
            ],
            body: "",
        },
        Seed {
            svc: &s3::operations::SERVICE,
            op: &s3::operations::OP_LIST_OBJECTS_V2,
            out: out::<s3::types::ListObjectsV2Output>,
            status: 200,
            headers: &[("x-amz-request-id", "q")],
            body: r#"<?xml version="1.0" encoding="UTF-8"?><ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Name>b</Name><Prefix></Prefix><KeyCount>1</KeyCount><MaxKeys>1000</MaxKeys><IsTruncated>true</IsTruncated><Contents><Key>a%20b</Key><LastModified>2020-01-01T00:00:00.000Z</LastModified><ETag>&quot;x&quot;</ETag><Size>5</Size><StorageClass>STANDARD</StorageClass></Contents><NextContinuationToken>c</NextContinuationToken><EncodingType>url</EncodingType></ListBucketResult>"#,
        },
        Seed {
            svc: &s3::operations::SERVICE,
            op: &s3::operations::OP_HEAD_OBJECT,
            out: out::<s3::types::HeadObjectOutput>,
            status: 200,
            headers: &[
                ("content-length", "5"),
                ("last-modified", "Wed, 01 Jan 2020 00:00:00 GMT"),
                ("etag", "\"x\""),
                ("x-amz-meta-owner", "me"),
                ("x-amz-missing-meta", "2"),
                ("expires", "Thu, 01 Jan 2099 00:00:00 GMT"),
            ],
            body: "",
        },
        Seed {
            svc: &s3::operations::SERVICE,
            op: &s3::operations::OP_LIST_OBJECTS_V2,
            out: out::<s3::types::ListObjectsV2Output>,
            status: 404,
            headers: &[],
            body: r#"<Error><Code>NoSuchBucket</Code><Message>no</Message><BucketName>b</BucketName><RequestId>q</RequestId></Error>"#,
        },
    ]
}

/// dynamodb's service, spoken in `smithy-rpc-v2-cbor`: the CBOR seeds reuse its shapes.
fn dynamodb_cbor() -> &'static Service {
    static CBOR: std::sync::OnceLock<Service> = std::sync::OnceLock::new();
    CBOR.get_or_init(|| {
        let d = &dynamodb::operations::SERVICE;
        Service {
            name: d.name,
            service_id: d.service_id,
            api_version: d.api_version,
            endpoint_prefix: d.endpoint_prefix,
            signing_name: d.signing_name,
            protocol: boto_runtime::schema::Protocol::RpcV2Cbor,
            json_version: None,
            target_prefix: d.target_prefix,
            xml_namespace: None,
            query_compatible: false,
            rules: None,
            client_context_params: &[],
            errors: d.errors,
            auth: d.auth,
            timestamp_millis: false,
            discovery: None,
        }
    })
}

/// A JSON text as CBOR (definite lengths; whole numbers as integers, others as doubles).
fn json_to_cbor(v: &serde_json::Value, out: &mut Vec<u8>) {
    use serde_json::Value as J;
    fn head(out: &mut Vec<u8>, major: u8, n: u64) {
        let m = major << 5;
        match n {
            0..=23 => out.push(m | n as u8),
            24..=0xff => out.extend([m | 24, n as u8]),
            0x100..=0xffff => {
                out.push(m | 25);
                out.extend((n as u16).to_be_bytes());
            }
            0x1_0000..=0xffff_ffff => {
                out.push(m | 26);
                out.extend((n as u32).to_be_bytes());
            }
            _ => {
                out.push(m | 27);
                out.extend(n.to_be_bytes());
            }
        }
    }
    match v {
        J::Null => out.push(0xf6),
        J::Bool(b) => out.push(if *b { 0xf5 } else { 0xf4 }),
        J::Number(n) => match (n.as_u64(), n.as_i64()) {
            (Some(u), _) => head(out, 0, u),
            (None, Some(i)) => head(out, 1, (-1 - i) as u64),
            _ => {
                out.push(0xfb);
                out.extend(n.as_f64().unwrap_or_default().to_be_bytes());
            }
        },
        J::String(t) => {
            head(out, 3, t.len() as u64);
            out.extend(t.as_bytes());
        }
        J::Array(a) => {
            head(out, 4, a.len() as u64);
            for x in a {
                json_to_cbor(x, out);
            }
        }
        J::Object(o) => {
            head(out, 5, o.len() as u64);
            for (k, x) in o {
                json_to_cbor(&J::String(k.clone()), out);
                json_to_cbor(x, out);
            }
        }
    }
}

fn run(seed: &Seed, status: u16, headers: Vec<(String, String)>, body: Vec<u8>) {
    run_on(seed.svc, seed, status, headers, body)
}

fn run_on(
    svc: &'static Service,
    seed: &Seed,
    status: u16,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
) {
    let resp = HttpResponse {
        status,
        headers,
        body: body.into(),
    };
    if status >= 300 {
        let e = boto_runtime::protocol::parse_error(svc, seed.op, &resp);
        let _ = e.to_string();
    } else {
        let mut o = (seed.out)();
        match boto_runtime::protocol::parse(svc, seed.op, &resp, Some(&mut *o)) {
            Ok(_) => {
                let _ = format!("{o:?}");
            }
            Err(e) => {
                let _ = e.to_string();
            }
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: cases(), failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn damaged_responses_of_every_protocol_never_panic(
        which in any::<usize>(),
        muts in prop::collection::vec(mutation(), 0..6),
        header_muts in prop::collection::vec(mutation(), 0..3),
        status in prop_oneof![Just(None), Just(Some(200u16)), Just(Some(400)), Just(Some(500)), Just(Some(301))],
    ) {
        let all = seeds();
        let seed = &all[which % all.len()];
        let headers = seed
            .headers
            .iter()
            .map(|(k, v)| {
                let v = apply(v.as_bytes().to_vec(), &header_muts);
                (k.to_string(), String::from_utf8_lossy(&v).into_owned())
            })
            .collect();
        let body = apply(seed.body.as_bytes().to_vec(), &muts);
        run(seed, status.unwrap_or(seed.status), headers, body);
    }

    #[test]
    fn damaged_cbor_responses_never_panic(
        which in 0..2usize,
        muts in prop::collection::vec(mutation(), 0..6),
        status in prop_oneof![Just(200u16), Just(400), Just(500)],
    ) {
        // dynamodb's JSON seeds (a Scan and its error), as CBOR, damaged byte by byte.
        let all = seeds();
        let seed = all
            .iter()
            .filter(|s| std::ptr::eq(s.svc, &dynamodb::operations::SERVICE))
            .nth(which)
            .expect("two dynamodb seeds");
        let json: serde_json::Value = serde_json::from_str(seed.body).unwrap();
        let mut cbor = Vec::new();
        json_to_cbor(&json, &mut cbor);
        run_on(dynamodb_cbor(), seed, status, Vec::new(), apply(cbor, &muts));
    }

    #[test]
    fn damaged_event_streams_never_panic(
        muts in prop::collection::vec(mutation(), 0..6),
        chunk in 1..64usize,
    ) {
        // Valid frames of every header type, damaged, fed in chunks: messages or an error.
        let stream = [
            boto_tests::event_frame(
                &[(":event-type", 7, b"Records".to_vec()), ("n", 4, 7i32.to_be_bytes().to_vec()),
                  ("id", 9, vec![7; 16]), ("at", 8, 5i64.to_be_bytes().to_vec()),
                  ("b", 6, vec![1, 2]), ("t", 0, Vec::new()), ("s", 3, vec![0, 1])],
                b"payload",
            ),
            boto_tests::event_frame(&[(":message-type", 7, b"exception".to_vec())], b"{}"),
        ]
        .concat();
        let damaged = apply(stream, &muts);
        let mut d = boto_runtime::wire::eventstream::MessageDecoder::new();
        for piece in damaged.chunks(chunk) {
            d.push(piece);
            while let Ok(Some(m)) = d.next_message() {
                let _ = format!("{m:?}");
            }
        }
        let _ = d.finish();
        let _ = boto_runtime::wire::eventstream::decode_messages(&damaged);
    }

    #[test]
    fn damaged_typed_event_streams_never_panic(
        muts in prop::collection::vec(mutation(), 0..6),
        kinesis_stream in any::<bool>(),
        reframe in any::<bool>(),
    ) {
        // Typed events read from a damaged stream (bedrock-runtime rest-json, or kinesis json
        // with its initial response): events, then at most one error. Damaged as bytes (most
        // damage then breaks a CRC), or with each message's payload damaged and framed again with
        // fresh CRCs, so the typed reader meets the damage.
        type Msg = (Vec<(&'static str, u8, Vec<u8>)>, &'static [u8]);
        let json = |ty: &'static str, body: &'static str| -> Msg {
            (vec![(":message-type", 7, b"event".to_vec()), (":event-type", 7, ty.as_bytes().to_vec()),
                  (":content-type", 7, b"application/json".to_vec())], body.as_bytes())
        };
        let exception = |ty: &'static str| -> Msg {
            (vec![(":message-type", 7, b"exception".to_vec()), (":exception-type", 7, ty.as_bytes().to_vec())],
             br#"{"message":"m","originalStatusCode":500}"#)
        };
        let (msgs, svc, op) = if kinesis_stream {
            (vec![
                json("initial-response", "{}"),
                json("SubscribeToShardEvent", r#"{"Records":[{"Data":"aGk=","SequenceNumber":"1","PartitionKey":"p"}],"ContinuationSequenceNumber":"2","MillisBehindLatest":3}"#),
                exception("ResourceInUseException"),
            ], &kinesis::operations::SERVICE, &kinesis::operations::OP_SUBSCRIBE_TO_SHARD)
        } else {
            (vec![
                json("messageStart", r#"{"role":"assistant"}"#),
                json("contentBlockDelta", r#"{"delta":{"text":"Hi"},"contentBlockIndex":0}"#),
                json("metadata", r#"{"usage":{"inputTokens":1,"outputTokens":2,"totalTokens":3},"metrics":{"latencyMs":4}}"#),
                exception("modelStreamErrorException"),
            ], &bedrock_runtime::operations::SERVICE, &bedrock_runtime::operations::OP_CONVERSE_STREAM)
        };
        let body: Vec<u8> = if reframe {
            msgs.iter()
                .flat_map(|(h, p)| boto_tests::event_frame(h, &apply(p.to_vec(), &muts)))
                .collect()
        } else {
            let whole: Vec<u8> = msgs.iter().flat_map(|(h, p)| boto_tests::event_frame(h, p)).collect();
            apply(whole, &muts)
        };
        let resp = HttpResponse { status: 200, headers: Vec::new(), body: body.into() };
        fn drain<E: Structure + Default>(s: &mut boto_runtime::EventStream<E>) {
            futures::executor::block_on(async {
                while let Some(r) = futures::StreamExt::next(s).await {
                    let failed = r.is_err();
                    let _ = format!("{r:?}");
                    if failed {
                        assert!(futures::StreamExt::next(s).await.is_none(), "an error ends the stream");
                    }
                }
            });
        }
        if kinesis_stream {
            let mut out = kinesis::types::SubscribeToShardOutput::default();
            if boto_runtime::protocol::parse(svc, op, &resp, Some(&mut out)).is_ok() {
                drain(&mut out.event_stream);
            }
        } else {
            let mut out = bedrock_runtime::types::ConverseStreamResponse::default();
            if boto_runtime::protocol::parse(svc, op, &resp, Some(&mut out)).is_ok() {
                drain(&mut out.stream);
            }
        }
    }

    #[test]
    fn models_with_damaged_structure_never_panic_the_generator(
        which in 0..2usize,
        edits in prop::collection::vec((any::<usize>(), json_edit()), 1..5),
    ) {
        let root = boto_tests::workspace_root();
        let name = ["small", "obstacle"][which];
        let text = std::fs::read_to_string(root.join("tests/fixtures/models").join(name).join("service-2.json")).unwrap();
        let mut model: serde_json::Value = serde_json::from_str(&text).unwrap();
        for (at, edit) in &edits {
            edit_json(&mut model, *at, edit);
        }
        generate(name, model.to_string());
    }

    #[test]
    fn damaged_models_never_panic_the_generator(
        which in 0..2usize,
        muts in prop::collection::vec(mutation(), 1..4),
    ) {
        let root = boto_tests::workspace_root();
        let name = ["small", "obstacle"][which];
        let text = std::fs::read(root.join("tests/fixtures/models").join(name).join("service-2.json")).unwrap();
        let damaged = String::from_utf8_lossy(&apply(text, &muts)).into_owned();
        generate(name, damaged);
    }
}

fn generate(name: &str, service_json: String) {
    let input = codegen::ServiceInput {
        crate_name: name.to_string(),
        service_json,
        protocol: None,
        runtime_path: String::new(),
        paginators_json: None,
        waiters_json: None,
        resources_json: None,
        endpoint_rules_json: None,
        ..Default::default()
    };
    let _ = codegen::generate(&input);
}

/// A change to one node of a model's JSON tree.
#[derive(Debug, Clone)]
enum JsonEdit {
    /// Remove the node (an object member or a list element).
    Remove,
    /// Replace it with this value.
    Replace(serde_json::Value),
}

fn json_edit() -> impl Strategy<Value = JsonEdit> {
    use serde_json::json;
    prop_oneof![
        Just(JsonEdit::Remove),
        prop_oneof![
            Just(json!(null)),
            Just(json!(0)),
            Just(json!(-1)),
            Just(json!(1e300)),
            Just(json!(true)),
            Just(json!("")),
            Just(json!("NoSuchShape")),
            Just(json!({})),
            Just(json!([])),
            Just(json!("structure")),
            Just(json!("list")),
            Just(json!("map")),
            Just(json!("union")),
            Just(json!("blob")),
            Just(json!("timestamp")),
            Just(json!({"shape": "NoSuchShape"})),
            Just(json!({"type": "structure", "members": {"Self": {"shape": "Self"}}})),
            "[a-zA-Z{}/]{0,12}".prop_map(serde_json::Value::String),
        ]
        .prop_map(JsonEdit::Replace),
    ]
}

/// Applies `edit` to the node numbered `at` (modulo the node count) in a depth-first walk.
fn edit_json(v: &mut serde_json::Value, at: usize, edit: &JsonEdit) {
    fn count(v: &serde_json::Value) -> usize {
        1 + match v {
            serde_json::Value::Object(m) => m.values().map(count).sum(),
            serde_json::Value::Array(a) => a.iter().map(count).sum(),
            _ => 0,
        }
    }
    fn walk(v: &mut serde_json::Value, n: &mut usize, edit: &JsonEdit) -> bool {
        let children: Vec<String> = match v {
            serde_json::Value::Object(m) => m.keys().cloned().collect(),
            serde_json::Value::Array(a) => (0..a.len()).map(|i| i.to_string()).collect(),
            _ => return false,
        };
        for k in children {
            if *n == 0 {
                match (v, edit) {
                    (serde_json::Value::Object(m), JsonEdit::Remove) => {
                        m.remove(&k);
                    }
                    (serde_json::Value::Array(a), JsonEdit::Remove) => {
                        a.remove(k.parse::<usize>().unwrap_or(0));
                    }
                    (serde_json::Value::Object(m), JsonEdit::Replace(x)) => {
                        m.insert(k, x.clone());
                    }
                    (serde_json::Value::Array(a), JsonEdit::Replace(x)) => {
                        a[k.parse::<usize>().unwrap_or(0)] = x.clone();
                    }
                    _ => {}
                }
                return true;
            }
            *n -= 1;
            let child = match v {
                serde_json::Value::Object(m) => m.get_mut(&k),
                serde_json::Value::Array(a) => a.get_mut(k.parse::<usize>().unwrap_or(0)),
                _ => None,
            };
            if let Some(c) = child {
                if walk(c, n, edit) {
                    return true;
                }
            }
        }
        false
    }
    let total = count(v).saturating_sub(1).max(1);
    let mut n = at % total;
    walk(v, &mut n, edit);
}

#[test]
fn an_undamaged_cbor_seed_parses() {
    // The fuzz seed is valid: the CBOR Scan reads as the JSON one does.
    let all = seeds();
    let seed = all
        .iter()
        .find(|s| std::ptr::eq(s.svc, &dynamodb::operations::SERVICE) && s.status == 200)
        .unwrap();
    let mut cbor = Vec::new();
    json_to_cbor(&serde_json::from_str(seed.body).unwrap(), &mut cbor);
    let resp = HttpResponse {
        status: 200,
        headers: Vec::new(),
        body: cbor.into(),
    };
    let mut out = dynamodb::types::ScanOutput::default();
    boto_runtime::protocol::parse(dynamodb_cbor(), seed.op, &resp, Some(&mut out)).unwrap();
    assert_eq!(out.count, Some(1));
    assert_eq!(out.scanned_count, Some(2));
    let items = out.items.unwrap();
    assert_eq!(items.len(), 1);
    let err_seed = all
        .iter()
        .find(|s| std::ptr::eq(s.svc, &dynamodb::operations::SERVICE) && s.status == 400)
        .unwrap();
    let mut cbor = Vec::new();
    json_to_cbor(&serde_json::from_str(err_seed.body).unwrap(), &mut cbor);
    let resp = HttpResponse {
        status: 400,
        headers: Vec::new(),
        body: cbor.into(),
    };
    let e = boto_runtime::protocol::parse_error(dynamodb_cbor(), err_seed.op, &resp);
    assert_eq!(e.code(), Some("ResourceNotFoundException"));
    assert_eq!(e.message(), Some("no table"));
}
