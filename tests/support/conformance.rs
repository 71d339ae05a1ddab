//! The protocol conformance runner: loads botocore protocol test files (`input/`, `output/`,
//! `legacy/`), runs every case through the runtime codecs with [`dynamic`] schemas and values,
//! and compares the outcome the way botocore's `tests/unit/test_protocols.py` does (see
//! `tests/protocol/README.md`).

use crate::dynamic::{self, DynStruct, Schema};
use base64::Engine;
use boto_runtime::http::{HttpRequest, HttpResponse};
use boto_runtime::schema::{flags, Kind, Location, Operation, Service};
use boto_runtime::{ErrorKind, Structure};
use codegen::model::{OperationModel, ServiceModel};
use serde_json::{json, Value as Json};
use std::collections::BTreeMap;
use std::fmt;
use std::panic::AssertUnwindSafe;
use std::path::{Path, PathBuf};

/// The ignore list's file name; a folder holding it applies it to every test file below.
pub const IGNORE_LIST: &str = "protocol-tests-ignore-list.json";

/// True when the runtime implements `protocol` (botocore's `metadata.protocol`); cases of other
/// protocols are counted as skipped. The one switch to flip when a codec lands.
pub fn supported(protocol: &str) -> bool {
    matches!(
        protocol,
        "ec2" | "query" | "json" | "rest-json" | "rest-xml" | "smithy-rpc-v2-cbor"
    )
}

/// Whether a case tests serialisation (it has `params`) or parsing (it has `response`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    /// A serialiser case.
    Input,
    /// A parser case.
    Output,
}

impl Direction {
    /// The ignore list's name for the direction.
    pub fn as_str(self) -> &'static str {
        match self {
            Direction::Input => "input",
            Direction::Output => "output",
        }
    }
}

/// What happened to one case.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// Matched botocore's expectation.
    Passed,
    /// Did not match; what differed.
    Failed(String),
    /// Not run; why.
    Skipped(String),
}

/// One case's result.
#[derive(Debug, Clone)]
pub struct CaseResult {
    /// The test file.
    pub file: PathBuf,
    /// The file's ignore-list key: its basename without `.json` (`ec2`, `json_1_0`).
    pub key: String,
    /// The suite's `metadata.protocol`.
    pub protocol: String,
    /// Input or output case, when it is either.
    pub direction: Option<Direction>,
    /// The suite description.
    pub suite: String,
    /// The case id, or `#index` within the suite for legacy cases.
    pub case: String,
    /// The outcome.
    pub outcome: Outcome,
}

impl CaseResult {
    /// `FAIL <file> | <suite> | <case> | <what differed>` for a failed case, with the file shown relative to `base`.
    pub fn fail_line(&self, base: Option<&Path>) -> Option<String> {
        let Outcome::Failed(what) = &self.outcome else {
            return None;
        };
        let file = base
            .and_then(|b| self.file.strip_prefix(b).ok())
            .unwrap_or(&self.file);
        Some(format!(
            "FAIL {} | {} | {} | {}",
            file.display(),
            self.suite,
            self.case,
            one_line(what)
        ))
    }
}

/// Passed, failed and skipped totals.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    /// Cases that passed.
    pub passed: usize,
    /// Cases that failed.
    pub failed: usize,
    /// Cases not run.
    pub skipped: usize,
}

impl Counts {
    fn add(&mut self, o: &Outcome) {
        match o {
            Outcome::Passed => self.passed += 1,
            Outcome::Failed(_) => self.failed += 1,
            Outcome::Skipped(_) => self.skipped += 1,
        }
    }
}

impl fmt::Display for Counts {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} passed, {} failed, {} skipped",
            self.passed, self.failed, self.skipped
        )
    }
}

/// The results of a run.
#[derive(Debug, Default)]
pub struct Report {
    /// Every case, in file and suite order.
    pub cases: Vec<CaseResult>,
}

impl Report {
    /// Totals over all cases.
    pub fn counts(&self) -> Counts {
        self.counts_where(|_| true)
    }
    /// Totals over the cases `keep` selects.
    pub fn counts_where(&self, keep: impl Fn(&CaseResult) -> bool) -> Counts {
        let mut c = Counts::default();
        for r in self.cases.iter().filter(|r| keep(r)) {
            c.add(&r.outcome);
        }
        c
    }
    /// Totals per `metadata.protocol`.
    pub fn counts_by_protocol(&self) -> BTreeMap<String, Counts> {
        let mut m: BTreeMap<String, Counts> = BTreeMap::new();
        for r in &self.cases {
            m.entry(r.protocol.clone()).or_default().add(&r.outcome);
        }
        m
    }
    /// The failed cases.
    pub fn failures(&self) -> impl Iterator<Item = &CaseResult> {
        self.cases
            .iter()
            .filter(|r| matches!(r.outcome, Outcome::Failed(_)))
    }
}

/// `protocol-tests-ignore-list.json`: suites and case ids botocore's runner skips.
#[derive(Debug, Clone)]
pub struct IgnoreList(Json);

impl IgnoreList {
    /// Reads an ignore-list file.
    pub fn load(path: &Path) -> Result<IgnoreList, String> {
        let text = std::fs::read_to_string(path)
            .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
        serde_json::from_str(&text)
            .map(IgnoreList)
            .map_err(|e| format!("{}: {e}", path.display()))
    }

    /// True when botocore skips this case: its suite or id is listed under `general.<direction>`
    /// or `protocols.<key>.<direction>`.
    pub fn ignores(
        &self,
        key: &str,
        direction: Direction,
        suite: &str,
        case_id: Option<&str>,
    ) -> bool {
        let listed = |section: &Json, field: &str, value: &str| {
            section[field]
                .as_array()
                .is_some_and(|a| a.iter().any(|v| v.as_str() == Some(value)))
        };
        let d = direction.as_str();
        [&self.0["general"][d], &self.0["protocols"][key][d]]
            .into_iter()
            .any(|s| listed(s, "suites", suite) || case_id.is_some_and(|c| listed(s, "cases", c)))
    }
}

/// Runs every test file under `paths` (files, or folders walked recursively for `*.json`).
/// Each file honours the ignore list of the nearest folder above it that has one.
pub fn run(paths: &[PathBuf]) -> Report {
    let mut report = Report::default();
    for p in paths {
        let files = if p.is_dir() {
            let mut v = Vec::new();
            collect_json(p, &mut v);
            v
        } else {
            vec![p.clone()]
        };
        for f in files {
            match find_ignore_list(&f) {
                Ok(ignore) => run_file(&f, ignore.as_ref(), &mut report),
                Err(e) => report.cases.push(file_failure(&f, e)),
            }
        }
    }
    report
}

fn collect_json(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let mut paths: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    paths.sort();
    for p in paths {
        if p.is_dir() {
            collect_json(&p, out);
        } else if p.extension().is_some_and(|e| e == "json")
            && p.file_name().is_some_and(|n| n != IGNORE_LIST)
        {
            out.push(p);
        }
    }
}

fn find_ignore_list(file: &Path) -> Result<Option<IgnoreList>, String> {
    let start = file.parent().unwrap_or(Path::new("."));
    let start = if start.as_os_str().is_empty() {
        Path::new(".")
    } else {
        start
    };
    let start = start.canonicalize().unwrap_or_else(|_| start.to_path_buf());
    for dir in start.ancestors() {
        let candidate = dir.join(IGNORE_LIST);
        if candidate.is_file() {
            return IgnoreList::load(&candidate).map(Some);
        }
    }
    Ok(None)
}

fn file_key(file: &Path) -> String {
    file.file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default()
}

fn file_failure(file: &Path, what: String) -> CaseResult {
    CaseResult {
        file: file.to_path_buf(),
        key: file_key(file),
        protocol: String::new(),
        direction: None,
        suite: "-".into(),
        case: "-".into(),
        outcome: Outcome::Failed(what),
    }
}

/// One suite's context for its cases.
struct Suite<'a> {
    protocol: &'a str,
    service: &'static Service,
    schema: Schema,
    endpoint: Option<&'a str>,
}

/// Runs the cases of one test file into `report`.
pub fn run_file(file: &Path, ignore: Option<&IgnoreList>, report: &mut Report) {
    let text = match std::fs::read_to_string(file) {
        Ok(t) => t,
        Err(e) => {
            return report
                .cases
                .push(file_failure(file, format!("cannot read: {e}")))
        }
    };
    // Parsed twice: as plain JSON for the cases, and with codegen's model types, which keep
    // structure members in file order (the wire order of query protocols).
    let suites: Vec<Json> = match serde_json::from_str(&text) {
        Ok(s) => s,
        Err(e) => {
            return report
                .cases
                .push(file_failure(file, format!("not a list of suites: {e}")))
        }
    };
    let models: Vec<ServiceModel> = match serde_json::from_str(&text) {
        Ok(m) => m,
        Err(e) => {
            return report.cases.push(file_failure(
                file,
                format!("invalid metadata or shapes: {e}"),
            ))
        }
    };
    let key = file_key(file);
    for (suite, model) in suites.iter().zip(models) {
        let description = suite["description"].as_str().unwrap_or("").to_string();
        let protocol = model.metadata.protocol.clone();
        let mut ctx = if supported(&protocol) {
            let mut schema = Schema::new(model.shapes);
            dynamic::service(&model.metadata, &mut schema).map(|service| Suite {
                protocol: &protocol,
                service,
                schema,
                endpoint: suite["clientEndpoint"].as_str(),
            })
        } else {
            None
        };
        let cases = suite["cases"].as_array().map(Vec::as_slice).unwrap_or(&[]);
        for (i, case) in cases.iter().enumerate() {
            let id = case["id"].as_str();
            let direction = if case.get("params").is_some() {
                Some(Direction::Input)
            } else if case.get("response").is_some() {
                Some(Direction::Output)
            } else {
                None
            };
            let outcome = match direction {
                None => Outcome::Skipped("no params or response".into()),
                Some(d) if ignore.is_some_and(|l| l.ignores(&key, d, &description, id)) => {
                    Outcome::Skipped("ignore-listed".into())
                }
                Some(_) if !supported(&protocol) => {
                    Outcome::Skipped("protocol not supported yet".into())
                }
                Some(d) => match ctx.as_mut() {
                    None => Outcome::Failed(format!(
                        "the runtime has no Protocol variant for {protocol:?}"
                    )),
                    Some(ctx) => run_case(ctx, d, case),
                },
            };
            report.cases.push(CaseResult {
                file: file.to_path_buf(),
                key: key.clone(),
                protocol: protocol.clone(),
                direction,
                suite: description.clone(),
                case: id.map(str::to_string).unwrap_or_else(|| format!("#{i}")),
                outcome,
            });
        }
    }
}

fn run_case(ctx: &mut Suite, direction: Direction, case: &Json) -> Outcome {
    let result = std::panic::catch_unwind(AssertUnwindSafe(|| match direction {
        Direction::Input => run_input(ctx, case),
        Direction::Output => run_output(ctx, case),
    }));
    match result {
        Ok(Ok(())) => Outcome::Passed,
        Ok(Err(what)) => Outcome::Failed(what),
        Err(panic) => {
            let msg = panic
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| panic.downcast_ref::<&str>().map(|s| s.to_string()))
                .unwrap_or_default();
            Outcome::Failed(format!("panicked: {msg}"))
        }
    }
}

/// The case's `given` as an operation model (`name` defaults to `OperationName`).
fn given(case: &Json) -> Result<OperationModel, String> {
    let mut g = case.get("given").cloned().unwrap_or_else(|| json!({}));
    if let Some(o) = g.as_object_mut() {
        o.entry("name").or_insert_with(|| json!("OperationName"));
    }
    serde_json::from_value(g).map_err(|e| format!("invalid given: {e}"))
}

fn run_input(ctx: &mut Suite, case: &Json) -> Result<(), String> {
    let op = ctx.schema.operation(&given(case)?);
    let params = &case["params"];
    let input = match op.input {
        Some(shape) => {
            Some(DynStruct::from_json(shape, params).map_err(|e| format!("params: {e}"))?)
        }
        None if params.as_object().is_some_and(|o| !o.is_empty()) => {
            return Err("params given, but the operation has no input shape".into())
        }
        None => None,
    };
    let req = boto_runtime::protocol::serialize(
        ctx.service,
        &op,
        input.as_ref().map(|i| i as &dyn Structure),
    )
    .map_err(|e| format!("serialize failed: {e}"))?;
    let prefix =
        boto_runtime::protocol::host_prefix(&op, input.as_ref().map(|i| i as &dyn Structure))
            .map_err(|e| format!("host prefix: {e}"))?;
    compare_request(
        ctx.protocol,
        &op,
        &req,
        &case["serialized"],
        ctx.endpoint,
        prefix.as_deref(),
    )
}

fn run_output(ctx: &mut Suite, case: &Json) -> Result<(), String> {
    let mut op = ctx.schema.operation(&given(case)?);
    let error = case.get("error");
    // botocore's runner gives query outputs the `<Operation>Result` wrapper real models carry.
    if ctx.protocol == "query"
        && error.is_none()
        && op.output.is_some_and(|o| !o.members.is_empty())
    {
        op.result_wrapper = Some(Box::leak(format!("{}Result", op.name).into_boxed_str()));
    }
    let resp = response(ctx.protocol, &op, &case["response"])?;
    match error {
        Some(members) => {
            let err = boto_runtime::protocol::parse_error(ctx.service, &op, &resp);
            if err.kind() != ErrorKind::Service {
                return Err(format!(
                    "the error response was not parsed as a service error: {err}"
                ));
            }
            let mut actual = json!({"Error": {"Code": err.code().unwrap_or(""), "Message": err.message().unwrap_or("")}});
            if let Some(m) = err.modeled() {
                merge(&mut actual, dynamic::struct_to_json(m));
            }
            let mut expected = json!({"Error": {
                "Code": case["errorCode"].as_str().unwrap_or(""),
                "Message": case["errorMessage"].as_str().unwrap_or(""),
            }});
            merge(&mut expected, members.clone());
            compare_values(&actual, &expected).map_err(|d| {
                let hint = if err.modeled().is_none()
                    && members.as_object().is_some_and(|o| !o.is_empty())
                {
                    " (the runtime returned no modeled error members)"
                } else {
                    ""
                };
                format!("error {d}{hint}")
            })
        }
        None => {
            let expected = case
                .get("result")
                .ok_or("the case has neither result nor error")?;
            let mut out = op.output.map(DynStruct::new);
            boto_runtime::protocol::parse(
                ctx.service,
                &op,
                &resp,
                out.as_mut().map(|o| o as &mut dyn Structure),
            )
            .map_err(|e| format!("parse failed: {e}"))?;
            let actual = out.map(|o| o.to_json()).unwrap_or_else(|| json!({}));
            compare_values(&actual, expected).map_err(|d| format!("result {d}"))
        }
    }
}

/// Adds the top-level entries of `extra` to the object `into`.
fn merge(into: &mut Json, extra: Json) {
    if let (Some(o), Json::Object(e)) = (into.as_object_mut(), extra) {
        o.extend(e);
    }
}

fn has_event_stream_output(op: &Operation) -> bool {
    op.output
        .is_some_and(|o| o.members.iter().any(|m| m.target.has(flags::EVENTSTREAM)))
}

/// The case's `response` as the runtime receives it: header names as given; the body UTF-8
/// encoded (base64-decoded for CBOR and event streams); a missing body is empty (`<xml/>` for query).
fn response(protocol: &str, op: &Operation, r: &Json) -> Result<HttpResponse, String> {
    let status = r["status_code"]
        .as_u64()
        .and_then(|s| u16::try_from(s).ok())
        .ok_or("response without a valid status_code")?;
    let headers = r["headers"]
        .as_object()
        .map(|h| {
            h.iter()
                .map(|(k, v)| {
                    (
                        k.clone(),
                        v.as_str()
                            .map(str::to_string)
                            .unwrap_or_else(|| v.to_string()),
                    )
                })
                .collect()
        })
        .unwrap_or_default();
    let body: Vec<u8> = match r["body"].as_str() {
        Some(b) if protocol == "smithy-rpc-v2-cbor" || has_event_stream_output(op) => {
            base64::engine::general_purpose::STANDARD
                .decode(b)
                .map_err(|e| format!("response body is not base64: {e}"))?
        }
        Some(b) => b.as_bytes().to_vec(),
        None if protocol == "query" => b"<xml/>".to_vec(),
        None => Vec::new(),
    };
    Ok(HttpResponse {
        status,
        headers,
        body: body.into(),
    })
}

/// Compares a serialised request with a case's `serialized` expectation; `Err` lists every difference.
pub fn compare_request(
    protocol: &str,
    op: &Operation,
    req: &HttpRequest,
    expected: &Json,
    client_endpoint: Option<&str>,
    host_prefix: Option<&str>,
) -> Result<(), String> {
    let mut diffs = Vec::new();
    if protocol == "smithy-rpc-v2-cbor" && !req.body.is_empty() {
        let exp = base64::engine::general_purpose::STANDARD
            .decode(expected["body"].as_str().unwrap_or(""))
            .map_err(|e| e.to_string())
            .and_then(|b| cbor::decode(&b));
        match (cbor::decode(&req.body), exp) {
            (Ok(a), Ok(e)) => {
                if let Err(d) = compare_values(&a, &e) {
                    diffs.push(format!("CBOR body {d}"));
                }
            }
            (Err(e), _) => diffs.push(format!("body is not CBOR: {e}")),
            (_, Err(e)) => diffs.push(format!("expected body is not base64 CBOR: {e}")),
        }
    } else if let Some(body) = expected["body"].as_str() {
        if let Err(d) = compare_body(protocol, &req.body, body.as_bytes()) {
            diffs.push(d);
        }
    }
    diffs.extend(compare_headers(protocol, op, req, expected));
    let uri = expected["uri"].as_str().unwrap_or("");
    if req.url != uri {
        diffs.push(format!("uri: expected {uri:?}, got {:?}", req.url));
    }
    if let Some(m) = expected["method"].as_str() {
        if req.method != m {
            diffs.push(format!("method: expected {m:?}, got {:?}", req.method));
        }
    }
    if let Some(host) = expected["host"].as_str() {
        match request_host(client_endpoint, host_prefix) {
            Ok(actual) if actual == host => {}
            Ok(actual) => {
                let hint = match op.host_prefix {
                    Some(p) => format!(" (hostPrefix {p:?})"),
                    None => String::new(),
                };
                diffs.push(format!("host: expected {host:?}, got {actual:?}{hint}"));
            }
            Err(e) => diffs.push(e),
        }
    }
    if diffs.is_empty() {
        Ok(())
    } else {
        Err(diffs.join("; "))
    }
}

/// The host a request is sent to: the endpoint's host and port, with the runtime's expansion of
/// the operation's host prefix in front, as the client applies it.
fn request_host(
    client_endpoint: Option<&str>,
    host_prefix: Option<&str>,
) -> Result<String, String> {
    let endpoint = client_endpoint.ok_or("host expected, but the suite has no clientEndpoint")?;
    let prefixed;
    let url = match host_prefix {
        Some(p) => {
            prefixed = boto_runtime::protocol::apply_host_prefix(endpoint, p);
            prefixed.as_str()
        }
        None => endpoint,
    };
    let rest = url.split_once("://").map(|(_, r)| r).unwrap_or(url);
    Ok(rest.split(['/', '?', '#']).next().unwrap_or("").to_string())
}

/// Body comparison by protocol: JSON values for json/rest-json, canonical XML for rest-xml,
/// exact bytes otherwise (and wherever parsing fails, except json, which must parse).
pub fn compare_body(protocol: &str, actual: &[u8], expected: &[u8]) -> Result<(), String> {
    match protocol {
        "json" | "rest-json" => {
            match (
                serde_json::from_slice::<Json>(actual),
                serde_json::from_slice::<Json>(expected),
            ) {
                (Ok(a), Ok(e)) => {
                    return compare_values(&a, &e).map_err(|d| format!("JSON body {d}"))
                }
                (Err(e), _) | (_, Err(e)) if protocol == "json" => {
                    return Err(format!(
                        "body is not JSON ({e}): {}",
                        text_diff(expected, actual)
                    ))
                }
                _ => {}
            }
        }
        "rest-xml" => {
            if let (Some(a), Some(e)) = (xml::canonical(actual), xml::canonical(expected)) {
                return if a == e {
                    Ok(())
                } else {
                    Err(format!(
                        "canonical XML body: {}",
                        text_diff(e.as_bytes(), a.as_bytes())
                    ))
                };
            }
        }
        _ => {}
    }
    if actual == expected {
        Ok(())
    } else {
        Err(format!("body: {}", text_diff(expected, actual)))
    }
}

/// A short account of where two texts differ.
fn text_diff(expected: &[u8], actual: &[u8]) -> String {
    let (e, a) = (
        String::from_utf8_lossy(expected),
        String::from_utf8_lossy(actual),
    );
    if e.len() <= 300 && a.len() <= 300 {
        return format!("expected {e:?}, got {a:?}");
    }
    let at = e.chars().zip(a.chars()).take_while(|(x, y)| x == y).count();
    let window = |s: &str| {
        s.chars()
            .skip(at.saturating_sub(40))
            .take(120)
            .collect::<String>()
    };
    format!(
        "differs at character {at}: expected …{:?}…, got …{:?}…",
        window(&e),
        window(&a)
    )
}

fn header<'a>(h: &'a [(String, String)], name: &str) -> Option<&'a str> {
    // Like botocore's HeadersDict: case-insensitive, the last value wins.
    h.iter()
        .rev()
        .find(|(k, _)| k.eq_ignore_ascii_case(name))
        .map(|(_, v)| v.as_str())
}

fn compare_headers(
    protocol: &str,
    op: &Operation,
    req: &HttpRequest,
    expected: &Json,
) -> Vec<String> {
    let mut exp: Vec<(String, String)> = expected["headers"]
        .as_object()
        .map(|h| {
            h.iter()
                .map(|(k, v)| {
                    (
                        k.clone(),
                        v.as_str()
                            .map(str::to_string)
                            .unwrap_or_else(|| v.to_string()),
                    )
                })
                .collect()
        })
        .unwrap_or_default();
    let mut act = req.headers.clone();
    // Smithy joins list headers with ", "; botocore with "," (and its timestamps with ", ").
    for m in op.input.map(|i| i.members).unwrap_or(&[]) {
        let (Location::Header, Some(name), Kind::List) =
            (m.location, m.location_name, m.target.kind)
        else {
            continue;
        };
        for (_, v) in exp.iter_mut().filter(|(k, _)| k.eq_ignore_ascii_case(name)) {
            *v = v.replace(", ", ",");
        }
        if m.target
            .list_member()
            .is_some_and(|i| i.target.kind == Kind::Timestamp)
        {
            for (_, v) in act.iter_mut().filter(|(k, _)| k.eq_ignore_ascii_case(name)) {
                *v = v.replace(", ", ",");
            }
        }
    }
    let ct = header(&exp, "Content-Type").map(str::to_string);
    exp.retain(|(k, _)| !k.eq_ignore_ascii_case("Content-Type"));
    match (protocol, ct) {
        // botocore sends `application/x-www-form-urlencoded; charset=utf-8`; the runner appends the
        // charset to the expectation unless it is there (even to an absent one, as botocore does).
        ("query" | "ec2", ct) => {
            let ct = ct.unwrap_or_default();
            let ct = if ct.contains("charset=utf-8") {
                ct
            } else {
                format!("{ct}; charset=utf-8")
            };
            exp.push(("Content-Type".into(), ct));
        }
        ("rest-xml", _) => {}
        ("rest-json", Some(ct)) if ct != "application/json" => {}
        (_, Some(ct)) => exp.push(("Content-Type".into(), ct)),
        (_, None) => {}
    }
    let mut diffs = Vec::new();
    for (k, v) in &exp {
        match header(&act, k) {
            None => diffs.push(format!("header {k}: expected {v:?}, missing")),
            Some(a) if a != v => diffs.push(format!("header {k}: expected {v:?}, got {a:?}")),
            Some(_) => {}
        }
    }
    for f in expected["forbidHeaders"]
        .as_array()
        .map(Vec::as_slice)
        .unwrap_or(&[])
    {
        let f = f.as_str().unwrap_or("");
        if let Some(v) = header(&act, f) {
            diffs.push(format!("header {f}: forbidden, but sent as {v:?}"));
        }
    }
    diffs
}

/// Deep equality with Python's rules for numbers (`1 == 1.0`); `Err` names the first difference by path.
pub fn compare_values(actual: &Json, expected: &Json) -> Result<(), String> {
    match diff(actual, expected, "") {
        None => Ok(()),
        Some(d) => Err(d),
    }
}

fn short(v: &Json) -> String {
    let s = v.to_string();
    if s.chars().count() > 200 {
        format!("{}…", s.chars().take(200).collect::<String>())
    } else {
        s
    }
}

fn numbers_equal(a: &serde_json::Number, b: &serde_json::Number) -> bool {
    let int = |n: &serde_json::Number| {
        n.as_i64()
            .map(i128::from)
            .or_else(|| n.as_u64().map(i128::from))
    };
    match (int(a), int(b)) {
        (Some(x), Some(y)) => x == y,
        _ => a.as_f64() == b.as_f64(),
    }
}

fn diff(a: &Json, e: &Json, path: &str) -> Option<String> {
    let at = if path.is_empty() { "(top level)" } else { path };
    match (a, e) {
        (Json::Number(x), Json::Number(y)) if numbers_equal(x, y) => None,
        (Json::Object(x), Json::Object(y)) => {
            for (k, ev) in y {
                let p = format!("{path}.{k}");
                match x.get(k) {
                    None => return Some(format!("at {p}: expected {}, missing", short(ev))),
                    Some(av) => {
                        if let Some(d) = diff(av, ev, &p) {
                            return Some(d);
                        }
                    }
                }
            }
            x.iter()
                .find(|(k, _)| !y.contains_key(*k))
                .map(|(k, av)| format!("at {path}.{k}: not expected, got {}", short(av)))
        }
        (Json::Array(x), Json::Array(y)) if x.len() == y.len() => x
            .iter()
            .zip(y)
            .enumerate()
            .find_map(|(i, (av, ev))| diff(av, ev, &format!("{path}[{i}]"))),
        _ if a == e => None,
        _ => Some(format!("at {at}: expected {}, got {}", short(e), short(a))),
    }
}

fn one_line(s: &str) -> String {
    s.replace('\n', "\\n").replace('\r', "\\r")
}

/// Canonical XML for body comparison, after Python's `ElementTree.canonicalize(strip_text=True)`
/// (C14N 2.0): comments dropped, text trimmed, attributes sorted, namespace declarations only
/// where a name first uses them.
pub mod xml {
    use roxmltree::{Document, Node};

    const XML_NS: &str = "http://www.w3.org/XML/1998/namespace";

    /// The canonical form of an XML document, or `None` when it does not parse.
    pub fn canonical(bytes: &[u8]) -> Option<String> {
        let text = std::str::from_utf8(bytes).ok()?;
        let doc = Document::parse(text).ok()?;
        let mut out = String::new();
        element(doc.root_element(), &mut out, &mut Vec::new());
        Some(out)
    }

    /// The prefixed name for `uri`/`local`, declaring the prefix on this element when no
    /// enclosing output element has (Python's `C14NWriterTarget._qname`).
    fn qname(node: Node, uri: &str, local: &str, declared: &mut [Vec<(String, String)>]) -> String {
        if uri == XML_NS {
            return format!("xml:{local}");
        }
        let with = |p: &str| {
            if p.is_empty() {
                local.to_string()
            } else {
                format!("{p}:{local}")
            }
        };
        let mut seen = Vec::new();
        for level in declared.iter().rev() {
            for (u, p) in level {
                if u == uri && !seen.contains(p) {
                    return with(p);
                }
                seen.push(p.clone());
            }
        }
        if let Some(ns) = node.namespaces().find(|ns| ns.uri() == uri) {
            let p = ns.name().unwrap_or("").to_string();
            if let Some(level) = declared.last_mut() {
                level.push((uri.to_string(), p.clone()));
            }
            return with(&p);
        }
        local.to_string()
    }

    fn escape(s: &str, attr: bool) -> String {
        let mut o = String::with_capacity(s.len());
        for c in s.chars() {
            match c {
                '&' => o.push_str("&amp;"),
                '<' => o.push_str("&lt;"),
                '>' if !attr => o.push_str("&gt;"),
                '"' if attr => o.push_str("&quot;"),
                '\t' if attr => o.push_str("&#x9;"),
                '\n' if attr => o.push_str("&#xA;"),
                '\r' => o.push_str("&#xD;"),
                c => o.push(c),
            }
        }
        o
    }

    fn element(node: Node, out: &mut String, declared: &mut Vec<Vec<(String, String)>>) {
        declared.push(Vec::new());
        let tag = qname(
            node,
            node.tag_name().namespace().unwrap_or(""),
            node.tag_name().name(),
            declared,
        );
        let mut attrs: Vec<(String, String, String)> = node
            .attributes()
            .map(|a| {
                let uri = a.namespace().unwrap_or("");
                let key = if uri.is_empty() {
                    a.name().to_string()
                } else {
                    format!("{{{uri}}}{}", a.name())
                };
                let name = if uri.is_empty() {
                    a.name().to_string()
                } else {
                    qname(node, uri, a.name(), declared)
                };
                (key, name, a.value().to_string())
            })
            .collect();
        attrs.sort();
        let mut decls: Vec<(String, String)> = declared
            .last()
            .map(|l| {
                l.iter()
                    .map(|(u, p)| {
                        (
                            if p.is_empty() {
                                "xmlns".to_string()
                            } else {
                                format!("xmlns:{p}")
                            },
                            u.clone(),
                        )
                    })
                    .collect()
            })
            .unwrap_or_default();
        decls.sort();
        out.push('<');
        out.push_str(&tag);
        decls.extend(attrs.into_iter().map(|(_, name, value)| (name, value)));
        for (k, v) in &decls {
            out.push_str(&format!(" {k}=\"{}\"", escape(v, true)));
        }
        out.push('>');
        let mut text = String::new();
        for c in node.children() {
            if c.is_element() {
                flush(&mut text, out);
                element(c, out, declared);
            } else if c.is_text() {
                text.push_str(c.text().unwrap_or(""));
            }
        }
        flush(&mut text, out);
        out.push_str(&format!("</{tag}>"));
        declared.pop();
    }

    fn flush(text: &mut String, out: &mut String) {
        let t = text.trim();
        if !t.is_empty() {
            out.push_str(&escape(t, false));
        }
        text.clear();
    }
}

/// A small CBOR decoder for comparing RPC v2 CBOR bodies as values.
pub mod cbor {
    use serde_json::Value as Json;

    /// Decodes one CBOR data item into JSON: byte strings become `{"$bytes": base64}`, special
    /// floats become `"NaN"`/`"Infinity"`/`"-Infinity"`, tags are dropped (their content kept).
    pub fn decode(bytes: &[u8]) -> Result<Json, String> {
        let mut r = Reader { b: bytes, pos: 0 };
        let v = r.item()?.ok_or("unexpected break")?;
        if r.pos != bytes.len() {
            return Err(format!("{} bytes left over", bytes.len() - r.pos));
        }
        Ok(v)
    }

    struct Reader<'a> {
        b: &'a [u8],
        pos: usize,
    }

    impl Reader<'_> {
        fn take(&mut self, n: usize) -> Result<&[u8], String> {
            let end = self
                .pos
                .checked_add(n)
                .filter(|&e| e <= self.b.len())
                .ok_or("truncated CBOR")?;
            let s = &self.b[self.pos..end];
            self.pos = end;
            Ok(s)
        }

        fn uint(&mut self, info: u8) -> Result<Option<u64>, String> {
            Ok(Some(match info {
                0..=23 => u64::from(info),
                24 => u64::from(self.take(1)?[0]),
                25 => u64::from(u16::from_be_bytes(self.take(2)?.try_into().unwrap())),
                26 => u64::from(u32::from_be_bytes(self.take(4)?.try_into().unwrap())),
                27 => u64::from_be_bytes(self.take(8)?.try_into().unwrap()),
                31 => return Ok(None),
                _ => return Err(format!("invalid additional info {info}")),
            }))
        }

        fn chunks(&mut self, major: u8, len: Option<u64>) -> Result<Vec<u8>, String> {
            match len {
                Some(n) => Ok(self
                    .take(usize::try_from(n).map_err(|e| e.to_string())?)?
                    .to_vec()),
                None => {
                    let mut out = Vec::new();
                    loop {
                        let ib = self.take(1)?[0];
                        if ib == 0xff {
                            return Ok(out);
                        }
                        if ib >> 5 != major {
                            return Err("mixed chunk types in an indefinite string".into());
                        }
                        let n = self.uint(ib & 31)?.ok_or("nested indefinite string")?;
                        out.extend_from_slice(
                            self.take(usize::try_from(n).map_err(|e| e.to_string())?)?,
                        );
                    }
                }
            }
        }

        /// One item, or `None` for a break code.
        fn item(&mut self) -> Result<Option<Json>, String> {
            let ib = self.take(1)?[0];
            let (major, info) = (ib >> 5, ib & 31);
            if ib == 0xff {
                return Ok(None);
            }
            Ok(Some(match major {
                0 => Json::from(self.uint(info)?.ok_or("indefinite integer")?),
                1 => {
                    let n = self.uint(info)?.ok_or("indefinite integer")?;
                    match i64::try_from(n) {
                        Ok(n) => Json::from(-1 - n),
                        Err(_) => crate::dynamic::float_to_json(-1.0 - n as f64),
                    }
                }
                2 => {
                    let len = self.uint(info)?;
                    let b = self.chunks(2, len)?;
                    use base64::Engine;
                    serde_json::json!({ "$bytes": base64::engine::general_purpose::STANDARD.encode(b) })
                }
                3 => {
                    let len = self.uint(info)?;
                    let b = self.chunks(3, len)?;
                    Json::String(String::from_utf8(b).map_err(|e| e.to_string())?)
                }
                4 => {
                    let mut a = Vec::new();
                    match self.uint(info)? {
                        Some(n) => {
                            for _ in 0..n {
                                a.push(self.item()?.ok_or("unexpected break")?);
                            }
                        }
                        None => {
                            while let Some(v) = self.item()? {
                                a.push(v);
                            }
                        }
                    }
                    Json::Array(a)
                }
                5 => {
                    let mut m = serde_json::Map::new();
                    let n = self.uint(info)?;
                    let mut i = 0u64;
                    loop {
                        if n.is_some_and(|n| i >= n) {
                            break;
                        }
                        let Some(k) = self.item()? else {
                            if n.is_none() {
                                break;
                            }
                            return Err("unexpected break".into());
                        };
                        let v = self.item()?.ok_or("unexpected break")?;
                        let k = match k {
                            Json::String(s) => s,
                            other => other.to_string(),
                        };
                        m.insert(k, v);
                        i += 1;
                    }
                    Json::Object(m)
                }
                6 => {
                    self.uint(info)?;
                    self.item()?.ok_or("unexpected break")?
                }
                _ => match info {
                    20 => Json::Bool(false),
                    21 => Json::Bool(true),
                    22 | 23 => Json::Null,
                    25 => crate::dynamic::float_to_json(half(u16::from_be_bytes(
                        self.take(2)?.try_into().unwrap(),
                    ))),
                    26 => crate::dynamic::float_to_json(f64::from(f32::from_be_bytes(
                        self.take(4)?.try_into().unwrap(),
                    ))),
                    27 => crate::dynamic::float_to_json(f64::from_be_bytes(
                        self.take(8)?.try_into().unwrap(),
                    )),
                    _ => return Err(format!("unsupported simple value {info}")),
                },
            }))
        }
    }

    fn half(h: u16) -> f64 {
        let exp = (h >> 10) & 0x1f;
        let mant = f64::from(h & 0x3ff);
        let v = match exp {
            0 => mant * 2f64.powi(-24),
            31 if mant == 0.0 => f64::INFINITY,
            31 => f64::NAN,
            e => (1.0 + mant / 1024.0) * 2f64.powi(i32::from(e) - 15),
        };
        if h & 0x8000 != 0 {
            -v
        } else {
            v
        }
    }
}
