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

/// What boto3 or boto-rs answered: an output (or the pages of a paginator) or a service error.
///
/// Each output object (each page) carries its serde form (what `serde_json::to_value` makes of a
/// boto-rs output, and boto3's dict in that form) under `"$serde"`, so comparing two answers also
/// compares boto-rs's serialised output with boto3's dict. A boto-rs answer also knows how to read
/// a dict back as its output type, which [`assert_same`] does with boto3's.
pub struct Answer {
    /// The output, or the error.
    pub result: Result<Json, Json>,
    /// Reads JSON as boto-rs's output type and writes that value back.
    reread: Option<Reread>,
}

/// Reads JSON as an output type and writes the value back (or says why it could not).
type Reread = fn(&Json) -> Result<Json, String>;

/// The key an output's serde form is kept under.
pub const SERDE: &str = "$serde";

impl Answer {
    /// The output (panics, showing the error, when there is none).
    pub fn unwrap(self) -> Json {
        match self.result {
            Ok(v) => v,
            Err(e) => panic!("expected an output, found the error {e}"),
        }
    }
    /// The output (panics with `what` and the error when there is none).
    pub fn expect(self, what: &str) -> Json {
        match self.result {
            Ok(v) => v,
            Err(e) => panic!("{what}: {e}"),
        }
    }
    /// The error (panics, showing the output, when there is none).
    pub fn unwrap_err(self) -> Json {
        match self.result {
            Ok(v) => panic!("expected an error, found the output {v}"),
            Err(e) => e,
        }
    }
    /// The output or the error, borrowed.
    pub fn as_ref(&self) -> Result<&Json, &Json> {
        self.result.as_ref()
    }
    /// The output or the error, to change (a change to an output applies to its serde form too
    /// when made through [`edit_both`]).
    pub fn as_mut(&mut self) -> Result<&mut Json, &mut Json> {
        self.result.as_mut()
    }
    /// True for an output.
    pub fn is_ok(&self) -> bool {
        self.result.is_ok()
    }
}

impl From<Result<Json, Json>> for Answer {
    fn from(result: Result<Json, Json>) -> Answer {
        Answer {
            result,
            reread: None,
        }
    }
}

/// Applies `f` to an output and to its serde form (the members both forms show alike).
pub fn edit_both(v: &mut Json, f: impl Fn(&mut Json)) {
    if let Some(form) = v.get_mut(SERDE) {
        f(form);
    }
    f(v);
}

/// `out` as the oracle shows it: the plain form, with its serde form under `"$serde"`. Panics
/// unless the serde form reads back as a value equal to `out`.
pub fn shown<T>(out: &T) -> Json
where
    T: Structure + serde::Serialize + serde::de::DeserializeOwned + PartialEq,
{
    let mut plain = struct_to_json(out);
    let form = serde_json::to_value(out).expect("a generated output serialises");
    let back: T = serde_json::from_value(form.clone())
        .unwrap_or_else(|e| panic!("{form} does not read back as {}: {e}", out.shape().name));
    let again = serde_json::to_value(&back).expect("serialises");
    assert_eq!(
        again,
        form,
        "{} read back from its serde form",
        out.shape().name
    );
    // A streaming body is not serialised, so only an output without one reads back whole.
    let streams = out
        .shape()
        .members
        .iter()
        .any(|m| m.is_streaming() || m.target.has(boto_runtime::schema::flags::EVENTSTREAM));
    // JSON text (IAM's policy documents, `jsonvalue` headers) reads back as the same JSON, not
    // necessarily the same spacing: the plain form shows it parsed.
    assert!(
        streams || back == *out || struct_to_json(&back) == plain,
        "{} read back from its serde form differs:\n{out:?}\n{back:?}",
        out.shape().name
    );
    if form.as_object().is_some_and(|o| !o.is_empty()) {
        plain[SERDE] = form;
    }
    plain
}

fn reread<T: serde::Serialize + serde::de::DeserializeOwned>(v: &Json) -> Result<Json, String> {
    let t: T = serde_json::from_value(v.clone()).map_err(|e| e.to_string())?;
    serde_json::to_value(&t).map_err(|e| e.to_string())
}

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
            Some(e) => Err(e.clone()).into(),
            None => Ok(answer["output"].clone()).into(),
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
pub fn answer<T>(result: &Result<T, boto_runtime::Error>) -> Answer
where
    T: Structure + serde::Serialize + serde::de::DeserializeOwned + PartialEq,
{
    Answer {
        result: match result {
            Ok(out) => Ok(shown(out)),
            Err(e) => Err(error_json(e)),
        },
        reread: Some(reread::<T>),
    }
}

/// The pages of a boto-rs paginator in the oracle's terms.
pub fn pages<T>(result: &Result<Vec<T>, boto_runtime::Error>) -> Answer
where
    T: Structure + serde::Serialize + serde::de::DeserializeOwned + PartialEq,
{
    Answer {
        result: match result {
            Ok(pages) => Ok(Json::Array(pages.iter().map(shown).collect())),
            Err(e) => Err(error_json(e)),
        },
        reread: Some(reread::<T>),
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
///
/// The serde forms are compared the same way (boto-rs's serialised output against boto3's dict),
/// and boto3's dict, read as boto-rs's output type and written back, must come back unchanged.
pub fn assert_same(what: &str, rs: &Answer, py: &Answer, volatile: &[&str]) {
    let mut diffs = Vec::new();
    match (&rs.result, &py.result) {
        (Ok(a), Ok(b)) => {
            diff("", a, b, volatile, &mut diffs);
            if let Some(reread) = rs.reread {
                let forms: Vec<&Json> = match b {
                    Json::Array(pages) => pages.iter().filter_map(|p| p.get(SERDE)).collect(),
                    b => b.get(SERDE).into_iter().collect(),
                };
                for form in forms {
                    match reread(form) {
                        Ok(back) => diff("(boto3's dict read back)", &back, form, &[], &mut diffs),
                        Err(e) => diffs.push(format!("boto3's dict does not read back: {e}")),
                    }
                }
            }
        }
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
    match &a.result {
        Ok(v) => v.to_string(),
        Err(e) => format!("error {e}"),
    }
}

fn path_matches(path: &str, pattern: &str) -> bool {
    // The serde form's members are volatile where the plain form's are.
    let path = path.replacen("$serde.", "", 1);
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
                // boto3 states a few unset members as `None` (GetBucketLocation's
                // `LocationConstraint` in us-east-1); a Rust `Option` has one way to be unset.
                if !x.contains_key(k) && !vb.is_null() {
                    out.push(format!("{}: only boto3 has it ({vb})", join(k)));
                }
            }
        }
        (Json::Array(x), Json::Array(y)) => {
            // DynamoDB's sets are unordered: each server lists one in its own order.
            let set = ["SS", "NS", "BS"]
                .iter()
                .any(|k| path.ends_with(&format!(".{k}")));
            let (x, y) = if set {
                let sorted = |v: &[Json]| {
                    let mut v = v.to_vec();
                    v.sort_by_key(Json::to_string);
                    v
                };
                (sorted(x), sorted(y))
            } else {
                (x.clone(), y.clone())
            };
            if x.len() != y.len() {
                out.push(format!("{shown}: {} items vs {}", x.len(), y.len()));
            }
            let item = format!("{path}[]");
            for (va, vb) in x.iter().zip(&y) {
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
        // Timestamps in the serde form: the same instant to the millisecond.
        (Json::String(x), Json::String(y)) if same_instant(x, y) => {}
        _ => out.push(format!("{shown}: {a} vs {b}")),
    }
}

/// True when both are ISO 8601 UTC timestamps (`...T...Z`) within a millisecond of each other.
fn same_instant(x: &str, y: &str) -> bool {
    let parse = |s: &str| {
        (s.len() >= 20 && s.as_bytes()[10] == b'T' && s.ends_with('Z'))
            .then(|| boto_runtime::DateTime::parse_iso8601(s).ok())
            .flatten()
    };
    match (parse(x), parse(y)) {
        (Some(a), Some(b)) => (a.as_fractional_secs() - b.as_fractional_secs()).abs() <= 1e-3,
        _ => false,
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
