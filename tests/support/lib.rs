//! Support for the integration tests: a moto server launcher and a canned-response HTTP server.

/// The README's example program, compiled as a doctest so it keeps up with the API.
#[doc = include_str!("../../README.md")]
pub mod readme {}

pub mod conformance;
pub mod dynamic;
pub mod endpoints;
pub mod events;
pub mod oracle;

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// A `moto_server` on a free loopback port, stopped when dropped (or when the test process dies).
pub struct Moto {
    watcher: Child,
    moto_pid: u32,
    /// `http://127.0.0.1:PORT`
    pub url: String,
}

/// A session builder with dummy credentials that reads nothing from this machine's environment or
/// `~/.aws` files, so tests do not depend on who runs them.
pub fn isolated_session() -> boto_runtime::SessionBuilder {
    boto_runtime::Session::builder()
        .credentials(boto_runtime::Credentials::new("testing", "testing", None))
        .environment(boto_runtime::Environment::from_vars([(
            "HOME",
            "/nonexistent",
        )]))
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .expect("bind a loopback port")
        .local_addr()
        .unwrap()
        .port()
}

impl Moto {
    /// Starts moto's server and waits until it answers. Panics (failing the test) when it cannot start.
    pub fn start() -> Moto {
        let port = free_port();
        // The shell reports moto's pid, then watches this test process and stops moto if it dies first.
        let script = format!(
            "python3 -m moto.server -H 127.0.0.1 -p {port} >/dev/null 2>&1 & m=$!; echo $m; \
             while kill -0 {pid} 2>/dev/null && kill -0 $m 2>/dev/null; do sleep 1; done; kill $m 2>/dev/null",
            pid = std::process::id()
        );
        let mut watcher = Command::new("sh")
            .args(["-c", &script])
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .spawn()
            .expect("cannot run sh to start moto_server");
        let mut line = String::new();
        std::io::BufRead::read_line(
            &mut std::io::BufReader::new(watcher.stdout.take().expect("piped stdout")),
            &mut line,
        )
        .expect("read moto's pid");
        let moto_pid: u32 = line.trim().parse().expect("moto's pid");
        let url = format!("http://127.0.0.1:{port}");
        let moto = Moto {
            watcher,
            moto_pid,
            url,
        };
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            if let Ok(mut s) = TcpStream::connect(("127.0.0.1", port)) {
                let _ = s.write_all(b"GET /moto-api/ HTTP/1.0\r\n\r\n");
                let mut buf = [0u8; 12];
                if s.read(&mut buf).map(|n| n > 0).unwrap_or(false) {
                    return moto;
                }
            }
            if Instant::now() > deadline {
                panic!("moto_server did not start on port {port} within 60 s; is `moto[server]` installed? (`cargo xtask test` installs it)");
            }
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    /// Runs Python code with boto3 against this server, as the oracle: `session` is a boto3
    /// session with dummy credentials and `url` this server's address. Returns what the code
    /// prints, read as JSON; panics (failing the test) when the code fails.
    pub fn boto3(&self, code: &str) -> serde_json::Value {
        let script = format!(
            "import boto3, json\n\
             session = boto3.Session(aws_access_key_id='testing', aws_secret_access_key='testing', \
             region_name='us-east-1')\nurl = {url:?}\n{code}",
            url = self.url
        );
        let out = oracle::python(&script);
        serde_json::from_str(&out)
            .unwrap_or_else(|e| panic!("boto3 script printed no JSON ({e}): {out}"))
    }

    /// A session for this server with dummy credentials.
    pub fn session(&self) -> boto_runtime::Session {
        isolated_session()
            .region("us-east-1")
            .endpoint_url(&self.url)
            .build()
            .expect("session")
    }
}

impl Drop for Moto {
    fn drop(&mut self) {
        let _ = Command::new("sh")
            .args(["-c", &format!("kill {} 2>/dev/null", self.moto_pid)])
            .status();
        let _ = self.watcher.kill();
        let _ = self.watcher.wait();
    }
}

/// A loopback HTTP/1.1 server that answers every request with one canned response and counts requests.
pub struct CannedServer {
    /// `http://127.0.0.1:PORT`
    pub url: String,
    requests: Arc<AtomicUsize>,
    connections: Arc<AtomicUsize>,
    bodies: Arc<std::sync::Mutex<Vec<Vec<u8>>>>,
    heads: Arc<std::sync::Mutex<Vec<String>>>,
}

impl CannedServer {
    /// A scripted "status" that drops the connection instead of answering.
    pub const RESET: u16 = 0;
    /// A scripted "status" that answers nothing for a while, then drops the connection.
    pub const STALL: u16 = 1;

    /// A scripted stall of `ms` milliseconds (see [`STALL`](Self::STALL)).
    pub fn stall(ms: u64) -> (u16, Vec<u8>) {
        (Self::STALL, ms.to_string().into_bytes())
    }

    /// Starts the server; each request gets `status` and `body` (XML content type).
    pub fn start(status: u16, body: Vec<u8>) -> CannedServer {
        CannedServer::sequence(vec![(status, body)])
    }
    /// Starts the server; each request gets `status`, `body` and the `headers` (the content type
    /// among them replaces the XML one).
    pub fn with_headers(status: u16, headers: &[(&str, &str)], body: Vec<u8>) -> CannedServer {
        let headers = headers
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        CannedServer::serving(vec![(status, headers, body)])
    }
    /// Starts a server that answers requests with `responses` in turn, the last one repeated.
    pub fn sequence(responses: Vec<(u16, Vec<u8>)>) -> CannedServer {
        CannedServer::serving(
            responses
                .into_iter()
                .map(|(status, body)| (status, Vec::new(), body))
                .collect(),
        )
    }
    /// Starts a server that answers requests with `responses` (status, headers, body) in turn,
    /// the last one repeated.
    pub fn scripted(responses: Vec<Scripted>) -> CannedServer {
        CannedServer::serving(
            responses
                .into_iter()
                .map(|(status, headers, body)| {
                    let headers = headers
                        .into_iter()
                        .map(|(k, v)| (k.to_string(), v.to_string()))
                        .collect();
                    (status, headers, body)
                })
                .collect(),
        )
    }
    fn serving(responses: Vec<Canned>) -> CannedServer {
        assert!(!responses.is_empty(), "at least one response");
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
        let addr: SocketAddr = listener.local_addr().unwrap();
        let requests = Arc::new(AtomicUsize::new(0));
        let connections = Arc::new(AtomicUsize::new(0));
        let bodies = Arc::new(std::sync::Mutex::new(Vec::new()));
        let heads = Arc::new(std::sync::Mutex::new(Vec::new()));
        let (r, b, h) = (requests.clone(), bodies.clone(), heads.clone());
        let accepted = connections.clone();
        let responses = Arc::new(responses);
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                let Ok(stream) = stream else { continue };
                accepted.fetch_add(1, Ordering::SeqCst);
                // The head and body go out in two writes: without this, Nagle's algorithm holds
                // the body until the client's delayed ACK (about 40 ms), which swamps small calls.
                let _ = stream.set_nodelay(true);
                let (r, b, h, responses) = (r.clone(), b.clone(), h.clone(), responses.clone());
                std::thread::spawn(move || serve(stream, &responses, &r, &b, &h));
            }
        });
        CannedServer {
            url: format!("http://{addr}"),
            requests,
            connections,
            bodies,
            heads,
        }
    }
    /// Requests received so far.
    pub fn requests(&self) -> usize {
        self.requests.load(Ordering::SeqCst)
    }
    /// Bodies of the requests received so far.
    pub fn bodies(&self) -> Vec<Vec<u8>> {
        self.bodies.lock().unwrap().clone()
    }
    /// Connections accepted so far.
    pub fn connections(&self) -> usize {
        self.connections.load(Ordering::SeqCst)
    }
    /// The request line and headers of each request received so far (names lowercased).
    pub fn heads(&self) -> Vec<String> {
        self.heads.lock().unwrap().clone()
    }
    /// The value of header `name` in request `i`.
    pub fn header(&self, i: usize, name: &str) -> Option<String> {
        let heads = self.heads();
        let prefix = format!("{}:", name.to_ascii_lowercase());
        heads.get(i)?.lines().find_map(|l| {
            l.to_ascii_lowercase()
                .starts_with(&prefix)
                .then(|| l[prefix.len()..].trim().to_string())
        })
    }
    /// A session pointed at this server.
    pub fn session(&self) -> boto_runtime::Session {
        self.session_with_env(&[])
    }
    /// [`session`](Self::session) with these environment variables (and `HOME` nowhere).
    pub fn session_with_env(&self, vars: &[(&str, &str)]) -> boto_runtime::Session {
        let vars = vars
            .iter()
            .chain(&[("HOME", "/nonexistent")])
            .map(|(k, v)| (k.to_string(), v.to_string()));
        isolated_session()
            .environment(boto_runtime::Environment::from_vars(vars))
            .region("us-east-1")
            .endpoint_url(&self.url)
            .max_attempts(1)
            .build()
            .expect("session")
    }
}

/// A scripted response as tests write it: status, headers, body.
pub type Scripted<'a> = (u16, Vec<(&'a str, &'a str)>, Vec<u8>);

/// A scripted response: status, extra headers, body.
type Canned = (u16, Vec<(String, String)>, Vec<u8>);

fn serve(
    mut s: TcpStream,
    responses: &[Canned],
    count: &AtomicUsize,
    bodies: &std::sync::Mutex<Vec<Vec<u8>>>,
    heads: &std::sync::Mutex<Vec<String>>,
) {
    let mut buf = Vec::new();
    loop {
        let Some((raw_head, body)) = read_request(&mut s, &mut buf) else {
            return;
        };
        let is_head = raw_head.to_lowercase().starts_with("head ");
        bodies.lock().unwrap().push(body);
        heads.lock().unwrap().push(raw_head);
        let n = count.fetch_add(1, Ordering::SeqCst);
        let (status, extra, body) = &responses[n.min(responses.len() - 1)];
        let (status, body) = (*status, &body[..]);
        match status {
            // Drop the connection without answering.
            CannedServer::RESET => return,
            // Say nothing for the time the body gives (in ms), then drop the connection.
            CannedServer::STALL => {
                let ms = String::from_utf8_lossy(body).parse().unwrap_or(0);
                std::thread::sleep(std::time::Duration::from_millis(ms));
                return;
            }
            _ => {}
        }
        let mut header = format!("HTTP/1.1 {status} X\r\n");
        if !extra
            .iter()
            .any(|(k, _)| k.eq_ignore_ascii_case("content-type"))
        {
            header.push_str("content-type: text/xml;charset=UTF-8\r\n");
        }
        for (k, v) in extra {
            header.push_str(&format!("{k}: {v}\r\n"));
        }
        header.push_str(&format!(
            "date: {}\r\ncontent-length: {}\r\n\r\n",
            boto_runtime::DateTime::now().to_http_date(),
            body.len()
        ));
        let body = if is_head { &[][..] } else { body };
        if s.write_all(header.as_bytes())
            .and_then(|_| s.write_all(body))
            .is_err()
        {
            return;
        }
    }
}

/// Reads one HTTP/1.1 request from `s` (`buf` keeps what arrived beyond it): its request line
/// and headers, and its `Content-Length` bytes of body; `None` when the connection ends first.
pub fn read_request(s: &mut TcpStream, buf: &mut Vec<u8>) -> Option<(String, Vec<u8>)> {
    let mut tmp = [0u8; 65536];
    let head_end = loop {
        if let Some(p) = find(buf, b"\r\n\r\n") {
            break p + 4;
        }
        match s.read(&mut tmp) {
            Ok(0) | Err(_) => return None,
            Ok(n) => buf.extend_from_slice(&tmp[..n]),
        }
    };
    let head = String::from_utf8_lossy(&buf[..head_end]).into_owned();
    let len: usize = head
        .to_lowercase()
        .lines()
        .find_map(|l| {
            l.strip_prefix("content-length:")
                .map(|v| v.trim().parse().unwrap_or(0))
        })
        .unwrap_or(0);
    while buf.len() < head_end + len {
        match s.read(&mut tmp) {
            Ok(0) | Err(_) => return None,
            Ok(n) => buf.extend_from_slice(&tmp[..n]),
        }
    }
    let body = buf[head_end..head_end + len].to_vec();
    buf.drain(..head_end + len);
    Some((head, body))
}

fn find(h: &[u8], n: &[u8]) -> Option<usize> {
    h.windows(n.len()).position(|w| w == n)
}

/// `service` speaking `protocol`: what `cargo xtask generate --protocol` changes, and all it
/// changes (`tests/protocol_conformance.rs` checks it for cloudwatch).
pub fn speaking(
    service: &'static boto_runtime::schema::Service,
    protocol: boto_runtime::schema::Protocol,
) -> &'static boto_runtime::schema::Service {
    let s = service;
    Box::leak(Box::new(boto_runtime::schema::Service {
        name: s.name,
        service_id: s.service_id,
        api_version: s.api_version,
        endpoint_prefix: s.endpoint_prefix,
        signing_name: s.signing_name,
        protocol,
        json_version: s.json_version,
        target_prefix: s.target_prefix,
        xml_namespace: s.xml_namespace,
        query_compatible: s.query_compatible,
        rules: s.rules,
        client_context_params: s.client_context_params,
        errors: s.errors,
        auth: s.auth,
        timestamp_millis: s.timestamp_millis,
        discovery: s.discovery,
    }))
}

/// The repository's top folder (models, test data, protocol suites).
pub fn workspace_root() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_path_buf()
}

/// The captured DescribeInstances response (502 instances, 1.6 MB) kept gzipped in `tests/data/`.
pub fn large_describe_instances() -> Vec<u8> {
    use std::io::Read;
    let path = workspace_root().join("tests/data/describe_instances_large.xml.gz");
    let file = std::fs::File::open(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let mut body = Vec::new();
    flate2::read::GzDecoder::new(file)
        .read_to_end(&mut body)
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    body
}

/// One event-stream header: name, type byte (0 to 9) and the value's bytes (the length prefix of
/// types 6 and 7 is added by [`event_frame`]).
pub type EventHeader<'a> = (&'a str, u8, Vec<u8>);

/// An event-stream message (`application/vnd.amazon.eventstream`) with both CRCs, built
/// independently of the runtime's decoder.
pub fn event_frame(headers: &[EventHeader], payload: &[u8]) -> Vec<u8> {
    let mut h = Vec::new();
    for (name, ty, value) in headers {
        h.push(name.len() as u8);
        h.extend_from_slice(name.as_bytes());
        h.push(*ty);
        if *ty == 6 || *ty == 7 {
            h.extend_from_slice(&(value.len() as u16).to_be_bytes());
        }
        h.extend_from_slice(value);
    }
    let total = 16 + h.len() + payload.len();
    let mut m = Vec::new();
    m.extend_from_slice(&(total as u32).to_be_bytes());
    m.extend_from_slice(&(h.len() as u32).to_be_bytes());
    let c = crc32fast::hash(&m);
    m.extend_from_slice(&c.to_be_bytes());
    m.extend_from_slice(&h);
    m.extend_from_slice(payload);
    let c = crc32fast::hash(&m);
    m.extend_from_slice(&c.to_be_bytes());
    m
}
