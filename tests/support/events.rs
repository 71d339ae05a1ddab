//! A loopback HTTP/1.1 server that answers each request with an event stream sent step by step
//! (chunked), logging what it sends so tests can compare the order of receipt with the order of
//! sending, and whether the client closed the connection.

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// One step of a scripted answer.
#[derive(Clone)]
pub enum Step {
    /// Sends bytes; a label is logged as `sent LABEL` just before they are written.
    Send(Option<&'static str>, Vec<u8>),
    /// Waits.
    Pause(Duration),
    /// Waits (up to 10 s) for the client to close the connection, logging `client closed` or
    /// `client kept the connection open`; the answer is left unfinished.
    AwaitClose,
}

/// The scripted server.
pub struct EventServer {
    /// `http://127.0.0.1:PORT`
    pub url: String,
    /// What happened, in order: the server's `sent ...` entries and whatever the test adds.
    pub log: Arc<Mutex<Vec<String>>>,
    heads: Arc<Mutex<Vec<String>>>,
    bodies: Arc<Mutex<Vec<Vec<u8>>>>,
}

impl EventServer {
    /// Answers every request with status 200, `headers` (besides chunked transfer encoding and
    /// the event-stream content type) and the `script`.
    pub fn start(headers: &[(&str, &str)], script: Vec<Step>) -> EventServer {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
        let url = format!("http://{}", listener.local_addr().unwrap());
        let log = Arc::new(Mutex::new(Vec::new()));
        let heads = Arc::new(Mutex::new(Vec::new()));
        let bodies = Arc::new(Mutex::new(Vec::new()));
        let headers: Vec<(String, String)> = headers
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        let (l, h, b) = (log.clone(), heads.clone(), bodies.clone());
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                let Ok(stream) = stream else { continue };
                let _ = stream.set_nodelay(true);
                let (l, h, b) = (l.clone(), h.clone(), b.clone());
                let (headers, script) = (headers.clone(), script.clone());
                std::thread::spawn(move || serve(stream, &headers, &script, &l, &h, &b));
            }
        });
        EventServer {
            url,
            log,
            heads,
            bodies,
        }
    }

    /// Adds an entry to the log.
    pub fn note(&self, what: impl Into<String>) {
        self.log.lock().unwrap().push(what.into());
    }

    /// The log so far.
    pub fn entries(&self) -> Vec<String> {
        self.log.lock().unwrap().clone()
    }

    /// Waits up to `timeout` for `entry` to be logged.
    pub fn wait_for(&self, entry: &str, timeout: Duration) -> bool {
        let start = Instant::now();
        while start.elapsed() < timeout {
            if self.entries().iter().any(|e| e == entry) {
                return true;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        false
    }

    /// The request line and headers of each request received so far.
    pub fn heads(&self) -> Vec<String> {
        self.heads.lock().unwrap().clone()
    }

    /// The bodies of the requests received so far.
    pub fn bodies(&self) -> Vec<Vec<u8>> {
        self.bodies.lock().unwrap().clone()
    }

    /// A session pointed at this server.
    pub fn session(&self) -> boto_runtime::Session {
        crate::isolated_session()
            .environment(boto_runtime::Environment::from_vars([(
                "HOME".to_string(),
                "/nonexistent".to_string(),
            )]))
            .region("us-east-1")
            .endpoint_url(&self.url)
            .max_attempts(1)
            .build()
            .expect("session")
    }
}

fn serve(
    mut s: TcpStream,
    headers: &[(String, String)],
    script: &[Step],
    log: &Mutex<Vec<String>>,
    heads: &Mutex<Vec<String>>,
    bodies: &Mutex<Vec<Vec<u8>>>,
) {
    let mut buf = Vec::new();
    let mut tmp = [0u8; 1024];
    loop {
        let Some((head, body)) = crate::read_request(&mut s, &mut buf) else {
            return;
        };
        heads.lock().unwrap().push(head);
        bodies.lock().unwrap().push(body);
        let mut out = String::from("HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n");
        if !headers
            .iter()
            .any(|(k, _)| k.eq_ignore_ascii_case("content-type"))
        {
            out.push_str("content-type: application/vnd.amazon.eventstream\r\n");
        }
        for (k, v) in headers {
            out.push_str(&format!("{k}: {v}\r\n"));
        }
        out.push_str("\r\n");
        if s.write_all(out.as_bytes()).is_err() {
            return;
        }
        for step in script {
            match step {
                Step::Send(label, bytes) => {
                    if let Some(label) = label {
                        log.lock().unwrap().push(format!("sent {label}"));
                    }
                    let mut chunk = format!("{:x}\r\n", bytes.len()).into_bytes();
                    chunk.extend_from_slice(bytes);
                    chunk.extend_from_slice(b"\r\n");
                    if s.write_all(&chunk).and_then(|_| s.flush()).is_err() {
                        return;
                    }
                }
                Step::Pause(d) => std::thread::sleep(*d),
                Step::AwaitClose => {
                    let _ = s.set_read_timeout(Some(Duration::from_secs(10)));
                    let closed = loop {
                        match s.read(&mut tmp) {
                            Ok(0) => break true,
                            Ok(_) => continue,
                            Err(e) => {
                                break !matches!(
                                    e.kind(),
                                    std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
                                )
                            }
                        }
                    };
                    log.lock().unwrap().push(
                        if closed {
                            "client closed"
                        } else {
                            "client kept the connection open"
                        }
                        .to_string(),
                    );
                    return;
                }
            }
        }
        if s.write_all(b"0\r\n\r\n").is_err() {
            return;
        }
    }
}
