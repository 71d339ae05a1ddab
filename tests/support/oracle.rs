//! boto3 as the oracle of the end-to-end tests: the same call goes through boto-rs and through
//! boto3 (a long-lived `tests/oracle/boto3_calls.py` process) against the same moto server, and
//! the two answers are compared member by member.

use crate::dynamic::{struct_to_json, struct_to_json_as, BlobAs};
use crate::Moto;
use boto_runtime::Structure;
use serde_json::{json, Value as Json};
use std::io::{BufRead, BufReader, Write};
use std::process::{Child, ChildStdin, ChildStdout, Command, Stdio};

/// A running boto3 oracle for one moto server.
pub struct Boto3 {
    child: Child,
    stdin: ChildStdin,
    stdout: BufReader<ChildStdout>,
    service: String,
}

/// What boto3 answered: an output (or the pages of a paginator) or a service error.
pub type Answer = Result<Json, Json>;

impl Boto3 {
    /// Starts boto3 for `service` (botocore's name, e.g. `cognito-idp`) against `moto`.
    pub fn start(moto: &Moto, service: &str) -> Boto3 {
        Boto3::start_at(&moto.url, service, &[])
    }

    /// Starts boto3 for `service` against the server at `url`, with extra environment variables.
    pub fn start_at(url: &str, service: &str, env: &[(&str, &str)]) -> Boto3 {
        let script = crate::workspace_root().join("tests/oracle/boto3_calls.py");
        let mut cmd = Command::new("python3");
        cmd.arg(script)
            .arg(url)
            .env_remove("AWS_PROFILE")
            .env("AWS_CONFIG_FILE", "/dev/null")
            .env("AWS_SHARED_CREDENTIALS_FILE", "/dev/null");
        for (k, v) in env {
            cmd.env(k, v);
        }
        let mut child = cmd
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .expect("run python3 tests/oracle/boto3_calls.py");
        let stdin = child.stdin.take().expect("piped stdin");
        let stdout = BufReader::new(child.stdout.take().expect("piped stdout"));
        Boto3 {
            child,
            stdin,
            stdout,
            service: service.to_string(),
        }
    }

    fn ask(&mut self, request: Json) -> Answer {
        writeln!(self.stdin, "{request}").expect("write to the boto3 oracle");
        self.stdin.flush().expect("flush");
        let mut line = String::new();
        self.stdout
            .read_line(&mut line)
            .expect("read from the boto3 oracle");
        let answer: Json = serde_json::from_str(&line)
            .unwrap_or_else(|e| panic!("the boto3 oracle answered {line:?} ({e}); {request}"));
        if let Some(f) = answer.get("failure") {
            panic!("boto3 could not make the call {request}: {f}");
        }
        match answer.get("error") {
            Some(e) => Err(e.clone()),
            None => Ok(answer["output"].clone()),
        }
    }

    /// Calls `op` (its model name, `CreateKey`) with the members set in `input`.
    pub fn call(&mut self, op: &str, input: &dyn Structure) -> Answer {
        let params = struct_to_json_as(input, BlobAs::Tagged);
        self.ask(json!({ "service": self.service, "op": op, "params": params }))
    }

    /// Calls `op` with parameters given as botocore would take them (JSON).
    pub fn call_json(&mut self, op: &str, params: Json) -> Answer {
        self.ask(json!({ "service": self.service, "op": op, "params": params }))
    }

    /// Every page of `op`'s paginator, with `PaginationConfig` and the members of `input`.
    pub fn paginate(&mut self, op: &str, input: &dyn Structure, config: Json) -> Answer {
        let mut params = struct_to_json_as(input, BlobAs::Tagged);
        params["PaginationConfig"] = config;
        self.ask(json!({ "service": self.service, "op": op, "params": params, "paginate": true }))
    }
}

impl Drop for Boto3 {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// boto-rs's answer in the oracle's terms.
pub fn answer<T: Structure>(result: &Result<T, boto_runtime::Error>) -> Answer {
    match result {
        Ok(out) => Ok(struct_to_json(out)),
        Err(e) => Err(error_json(e)),
    }
}

/// The pages of a boto-rs paginator in the oracle's terms.
pub fn pages<T: Structure>(result: &Result<Vec<T>, boto_runtime::Error>) -> Answer {
    match result {
        Ok(pages) => Ok(Json::Array(
            pages.iter().map(|p| struct_to_json(p)).collect(),
        )),
        Err(e) => Err(error_json(e)),
    }
}

/// A boto-rs error as the oracle shows boto3's: code, message and HTTP status.
pub fn error_json(e: &boto_runtime::Error) -> Json {
    json!({ "code": e.code(), "message": e.message(), "status": e.status() })
}

/// Asserts that boto-rs's and boto3's answers agree member by member. A member whose path
/// matches one of `volatile` (`KeyMetadata.CreationDate`, `Functions[].LastModified`; `*`
/// matches any one name) differs between two calls by nature (a new id, a clock), so it is
/// compared only for presence. Lists the differences when there are any.
pub fn assert_same(what: &str, rs: &Answer, py: &Answer, volatile: &[&str]) {
    let mut diffs = Vec::new();
    match (rs, py) {
        (Ok(a), Ok(b)) => diff("", a, b, volatile, &mut diffs),
        (Err(a), Err(b)) => diff("error", a, b, volatile, &mut diffs),
        (Ok(_), Err(e)) => diffs.push(format!("boto-rs succeeded, boto3 failed with {e}")),
        (Err(e), Ok(_)) => diffs.push(format!("boto-rs failed with {e}, boto3 succeeded")),
    }
    assert!(
        diffs.is_empty(),
        "{what}: boto-rs and boto3 differ:\n  {}\nboto-rs: {}\nboto3:   {}",
        diffs.join("\n  "),
        show(rs),
        show(py)
    );
}

fn show(a: &Answer) -> String {
    match a {
        Ok(v) => v.to_string(),
        Err(e) => format!("error {e}"),
    }
}

fn path_matches(path: &str, pattern: &str) -> bool {
    let p: Vec<&str> = path.split('.').collect();
    let q: Vec<&str> = pattern.split('.').collect();
    p.len() == q.len() && p.iter().zip(&q).all(|(a, b)| b == &"*" || a == b)
}

fn diff(path: &str, a: &Json, b: &Json, volatile: &[&str], out: &mut Vec<String>) {
    let shown = if path.is_empty() { "(top)" } else { path };
    if volatile.iter().any(|v| path_matches(path, v)) {
        if a.is_null() != b.is_null() {
            out.push(format!("{shown}: {a} vs {b}"));
        }
        return;
    }
    let join = |k: &str| {
        if path.is_empty() {
            k.to_string()
        } else {
            format!("{path}.{k}")
        }
    };
    match (a, b) {
        (Json::Object(x), Json::Object(y)) => {
            for (k, va) in x {
                match y.get(k) {
                    Some(vb) => diff(&join(k), va, vb, volatile, out),
                    None => out.push(format!("{}: only boto-rs has it ({va})", join(k))),
                }
            }
            for (k, vb) in y {
                if !x.contains_key(k) {
                    out.push(format!("{}: only boto3 has it ({vb})", join(k)));
                }
            }
        }
        (Json::Array(x), Json::Array(y)) => {
            if x.len() != y.len() {
                out.push(format!("{shown}: {} items vs {}", x.len(), y.len()));
            }
            let item = format!("{path}[]");
            for (va, vb) in x.iter().zip(y) {
                diff(&item, va, vb, volatile, out);
            }
        }
        (Json::Number(x), Json::Number(y)) => {
            let (x, y) = (
                x.as_f64().unwrap_or(f64::NAN),
                y.as_f64().unwrap_or(f64::NAN),
            );
            // Relative for a float shown at f32 precision, but never looser than a millisecond,
            // so timestamps (epoch seconds) are compared to the millisecond.
            if (x - y).abs() > (1e-6 * x.abs().max(1.0)).min(1e-3) {
                out.push(format!("{shown}: {a} vs {b}"));
            }
        }
        _ if a == b => {}
        _ => out.push(format!("{shown}: {a} vs {b}")),
    }
}

/// What a Python script (with boto3, the oracle) prints, trimmed; the script's failure fails the
/// test with its error output.
pub fn python(script: &str) -> String {
    python_with_env(script, &[])
}

/// [`python`] with extra environment variables (the shared files and profile are isolated first).
pub fn python_with_env(script: &str, env: &[(&str, &str)]) -> String {
    let mut cmd = Command::new("python3");
    cmd.args(["-c", script])
        .env_remove("AWS_PROFILE")
        .env("AWS_CONFIG_FILE", "/dev/null")
        .env("AWS_SHARED_CREDENTIALS_FILE", "/dev/null");
    for (k, v) in env {
        cmd.env(k, v);
    }
    let out = cmd.output().expect("run python3");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap().trim().to_string()
}

/// What botocore sends for `call` on `service` (method, URL, body, content type, and every header
/// by its lowercased name), captured before sending, with test keys in us-east-1.
pub fn botocore_request(service: &str, url: &str, call: &str) -> Json {
    let client = format!(
        "boto3.client('{service}', region_name='us-east-1', endpoint_url='{url}', \
         aws_access_key_id='AKID', aws_secret_access_key='SECRET')"
    );
    botocore_request_from(&client, call, &[])
}

/// [`botocore_request`] for a client made by the Python expression `client` (boto3 imported),
/// with extra environment variables.
pub fn botocore_request_from(client: &str, call: &str, env: &[(&str, &str)]) -> Json {
    let text = |v: &str| format!("({v}.decode() if isinstance({v}, bytes) else {v})");
    let out = python_with_env(
        &format!(
            "import boto3, json\n\
             c = {client}\n\
             class Captured(Exception): pass\n\
             def before_send(request, **kw): raise Captured(request)\n\
             c.meta.events.register('before-send', before_send)\n\
             try:\n    c.{call}\n\
             except Captured as e:\n    r = e.args[0]\n    b = r.body\n    \
             b = b.read() if hasattr(b, 'read') else b\n    \
             b = b.decode('utf-8', 'replace') if isinstance(b, bytes) else (b or '')\n    \
             h = {{k.lower(): {v} for k, v in r.headers.items()}}\n    \
             print(json.dumps({{'method': r.method, 'url': r.url, 'body': b, 'type': h.get('content-type'), 'headers': h}}))\n",
            v = text("v")
        ),
        env,
    );
    serde_json::from_str(&out).unwrap_or_else(|e| panic!("botocore's request: {e}: {out}"))
}
