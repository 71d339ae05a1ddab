//! The endpoint conformance runner: botocore-format endpoint test files, each against its rule
//! set compiled by the generator's lowering (`codegen::ir::endpoints`, the same lowering the
//! generated tables are written from) and evaluated by the runtime's engine. The tables written
//! into the generated crates are run against their services' cases too
//! (`endpoint_conformance::generated_tables_pass_their_services_cases`).
//!
//! A folder holds `<service>/endpoint-tests-1.json` (rule set: `models/<service>/`) and may hold
//! `_engine/test-cases/<name>.json` (rule set: `_engine/valid-rules/<name>.json`).

use boto_runtime::endpoint::rules::{
    Cond, EndpointSpec, Expr, Func, Param, ParamKind, Rule, RuleSet, Seg,
};
use boto_runtime::endpoint::{ResolvedEndpoint, Value};
use codegen::ir::endpoints::{
    compiled_template, CondIr, EndpointIr, ExprIr, FnIr, ParamKindIr, RuleIr, RuleSetIr, SegIr,
};
use serde_json::{json, Value as Json};
use std::path::{Path, PathBuf};

fn leak<T>(v: Vec<T>) -> &'static [T] {
    Box::leak(v.into_boxed_slice())
}

fn leak_str(s: &str) -> &'static str {
    Box::leak(s.to_string().into_boxed_str())
}

/// Builds the runtime's rule set from the lowered one (leaked: the runner keeps it to the end).
pub fn build(ir: &RuleSetIr) -> &'static RuleSet {
    let params = ir
        .params
        .iter()
        .map(|p| Param {
            name: leak_str(&p.name),
            kind: match p.kind {
                ParamKindIr::String => ParamKind::String,
                ParamKindIr::Boolean => ParamKind::Boolean,
                ParamKindIr::StringArray => ParamKind::StringArray,
            },
            built_in: p.built_in.as_deref().map(leak_str),
            required: p.required,
            default: p.default.as_ref().map(expr),
            documentation: leak_str(&p.documentation),
            deprecated: p.deprecated.as_deref().map(leak_str),
        })
        .collect();
    Box::leak(Box::new(RuleSet {
        params: leak(params),
        rules: rules(&ir.rules),
        slots: ir.slots,
    }))
}

fn rules(rs: &[RuleIr]) -> &'static [Rule] {
    leak(
        rs.iter()
            .map(|r| match r {
                RuleIr::Endpoint(c, e) => Rule::Endpoint(conds(c), endpoint(e)),
                RuleIr::Error(c, m) => Rule::Error(conds(c), expr(m)),
                RuleIr::Tree(c, children) => Rule::Tree(conds(c), rules(children)),
            })
            .collect(),
    )
}

fn conds(c: &[CondIr]) -> &'static [&'static Cond] {
    leak(
        c.iter()
            .map(|c| &*Box::leak(Box::new(Cond(expr(&c.expr), c.assign))))
            .collect(),
    )
}

fn endpoint(e: &EndpointIr) -> &'static EndpointSpec {
    let props = e
        .properties
        .iter()
        .map(|(k, v)| (leak_str(k), expr(v)))
        .collect();
    let headers = e
        .headers
        .iter()
        .map(|(k, vs)| (leak_str(k), leak(vs.iter().map(expr).collect())))
        .collect();
    Box::leak(Box::new(
        EndpointSpec::new(expr(&e.url), leak(props)).headers(leak(headers)),
    ))
}

fn expr(e: &ExprIr) -> Expr {
    match e {
        ExprIr::Str(s) => Expr::Str(leak_str(s)),
        ExprIr::Tpl(parts) => Expr::Tpl(leak_str(&compiled_template(parts))),
        ExprIr::Bool(b) => Expr::Bool(*b),
        ExprIr::Int(i) => Expr::Int(*i),
        ExprIr::Ref(i) => Expr::Ref(*i),
        ExprIr::Call(f, args) => {
            let f = match f {
                FnIr::Known(name) => Func::from_name(name)
                    .unwrap_or_else(|| panic!("the runtime lacks the function {name}")),
                FnIr::Unsupported(name) => Func::Unsupported(leak_str(name)),
            };
            Expr::Call(f, leak(args.iter().map(expr).collect()))
        }
        ExprIr::Attr(base, segs) => Expr::Attr(
            Box::leak(Box::new(expr(base))),
            leak(
                segs.iter()
                    .map(|s| match s {
                        SegIr::Key(k) => Seg::Key(leak_str(k)),
                        SegIr::Index(i) => Seg::Index(*i),
                    })
                    .collect(),
            ),
        ),
        ExprIr::Array(items) => Expr::Array(leak(items.iter().map(expr).collect())),
        ExprIr::Object(fields) => Expr::Object(leak(
            fields.iter().map(|(k, v)| (leak_str(k), expr(v))).collect(),
        )),
    }
}

/// Compiles a rule set file's text.
pub fn compile(file: &str, text: &str) -> Result<&'static RuleSet, String> {
    let model = codegen::model::endpoints::parse_rule_set(file, text)?;
    let ir = codegen::ir::endpoints::lower(&model).map_err(|e| format!("{file}: {e}"))?;
    Ok(build(&ir))
}

/// A JSON parameter value as the engine's.
pub fn value(j: &Json) -> Option<Value> {
    match j {
        Json::String(s) => Some(Value::Str(s.clone())),
        Json::Bool(b) => Some(Value::Bool(*b)),
        Json::Array(a) => Some(Value::Array(a.iter().filter_map(value).collect())),
        _ => None,
    }
}

/// A resolved endpoint as the test files write it.
pub fn to_json(e: &ResolvedEndpoint) -> Json {
    let props: serde_json::Map<String, Json> = e
        .properties
        .iter()
        .map(|(k, v)| (k.clone(), boto_runtime::document::to_json(v)))
        .collect();
    let headers: serde_json::Map<String, Json> = e
        .headers
        .iter()
        .map(|(k, v)| (k.clone(), json!(v)))
        .collect();
    json!({"url": e.url, "properties": props, "headers": headers})
}

/// The outcome of a run.
#[derive(Debug, Default)]
pub struct Report {
    /// Cases that gave what they expect.
    pub passed: usize,
    /// One description per case that did not.
    pub failures: Vec<String>,
}

/// Runs every case of `file` against `rules`; `label` names the rule set in failures.
pub fn run_file(
    label: &str,
    rules: &RuleSet,
    file: &Path,
    report: &mut Report,
) -> Result<(), String> {
    let text = std::fs::read_to_string(file).map_err(|e| format!("{}: {e}", file.display()))?;
    let doc: Json = serde_json::from_str(&text).map_err(|e| format!("{}: {e}", file.display()))?;
    let cases = doc
        .get("testCases")
        .and_then(Json::as_array)
        .ok_or_else(|| format!("{}: no testCases", file.display()))?;
    for case in cases {
        let doc = case
            .get("documentation")
            .and_then(Json::as_str)
            .unwrap_or("");
        let params = case.get("params").and_then(Json::as_object);
        let values: Vec<Option<Value>> = rules
            .params
            .iter()
            .map(|p| params.and_then(|m| m.get(p.name)).and_then(value))
            .collect();
        let got = rules.evaluate(&values);
        let expect = case.get("expect").cloned().unwrap_or(Json::Null);
        let outcome = match (expect.get("endpoint"), expect.get("error"), &got) {
            (Some(want), _, Ok(e)) => {
                let want = json!({
                    "url": want.get("url").cloned().unwrap_or(Json::Null),
                    "properties": want.get("properties").cloned().unwrap_or(json!({})),
                    "headers": want.get("headers").cloned().unwrap_or(json!({})),
                });
                let have = to_json(e);
                (want == have)
                    .then_some(())
                    .ok_or_else(|| format!("expected {want}\n      got      {have}"))
            }
            (_, Some(Json::String(want)), Err(e)) => {
                (e.message() == want).then_some(()).ok_or_else(|| {
                    format!(
                        "expected error {want:?}\n      got error      {:?}",
                        e.message()
                    )
                })
            }
            (Some(want), _, Err(e)) => Err(format!(
                "expected {want}\n      got error {:?}",
                e.message()
            )),
            (_, Some(want), Ok(e)) => {
                Err(format!("expected error {want}\n      got {}", to_json(e)))
            }
            _ => Err(format!(
                "the case expects neither an endpoint nor an error: {expect}"
            )),
        };
        match outcome {
            Ok(()) => report.passed += 1,
            Err(m) => report.failures.push(format!("{label}: {doc}\n      {m}")),
        }
    }
    Ok(())
}

/// Reads a rule set file (plain or gzip).
fn read_rule_set(dir: &Path) -> Result<Option<String>, String> {
    xtask::models::read_model(dir, "endpoint-rule-set-1.json")
}

/// Runs every test file under each folder of `paths` (see the module documentation).
pub fn run(paths: &[PathBuf]) -> Result<Report, String> {
    let root = crate::workspace_root();
    let mut report = Report::default();
    for dir in paths {
        let mut services: Vec<PathBuf> = std::fs::read_dir(dir)
            .map_err(|e| format!("{}: {e}", dir.display()))?
            .flatten()
            .map(|e| e.path())
            .filter(|p| p.is_dir())
            .collect();
        services.sort();
        for svc_dir in services {
            let name = svc_dir
                .file_name()
                .and_then(|n| n.to_str())
                .unwrap_or_default()
                .to_string();
            if name == "_engine" {
                let mut files: Vec<PathBuf> = std::fs::read_dir(svc_dir.join("test-cases"))
                    .map_err(|e| format!("{}: {e}", svc_dir.display()))?
                    .flatten()
                    .map(|e| e.path())
                    .collect();
                files.sort();
                for f in files {
                    let stem = f
                        .file_name()
                        .and_then(|n| n.to_str())
                        .unwrap_or_default()
                        .to_string();
                    let rules_path = svc_dir.join("valid-rules").join(&stem);
                    let text = std::fs::read_to_string(&rules_path)
                        .map_err(|e| format!("{}: {e}", rules_path.display()))?;
                    let rules = compile(&stem, &text)?;
                    run_file(&format!("_engine/{stem}"), rules, &f, &mut report)?;
                }
                continue;
            }
            let tests = svc_dir.join("endpoint-tests-1.json");
            if !tests.exists() {
                continue;
            }
            let model_dir = root.join("models").join(&name);
            let text = read_rule_set(&model_dir)?.ok_or_else(|| {
                format!(
                    "{}: no endpoint-rule-set-1.json for {name}",
                    model_dir.display()
                )
            })?;
            let rules = compile(&format!("{name}/endpoint-rule-set-1.json"), &text)?;
            run_file(&name, rules, &tests, &mut report)?;
        }
    }
    Ok(report)
}
