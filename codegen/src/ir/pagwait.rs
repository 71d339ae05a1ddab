//! Paginators (`paginators-1.json`, extras merged) and waiters (`waiters-2.json`), lowered: every
//! JMESPath expression is compiled here into a tree and every name is given; emit writes them as
//! statics for the runtime's `paginate` and `waiter` modules. Expressions outside the supported
//! subset are generation errors.

use super::naming::{self, NameRecord, Namespace, Suffix};
use crate::ir::{Ir, ShapeKind};
use crate::jmespath::{self, Ast};
use crate::model::waiters::Expected;
use crate::model::{paginators as pmodel, waiters as wmodel};

/// A paginator, lowered.
#[derive(Debug)]
pub struct PaginatorIr {
    /// Operation wire name.
    pub op: String,
    /// Client method name (`describe_instances_paginator`).
    pub method: String,
    /// Name of its static.
    pub static_name: String,
    /// Input members that take the tokens.
    pub input_tokens: Vec<String>,
    /// Expressions giving the tokens.
    pub output_tokens: Vec<Ast>,
    /// Whether there are more pages.
    pub more_results: Option<Ast>,
    /// The page size member.
    pub limit_key: Option<String>,
    /// Each page's items.
    pub result_keys: Vec<Ast>,
    /// Values not aggregated across pages.
    pub non_aggregate_keys: Vec<Ast>,
    /// The path to the first result key's list, when it is a dotted path to one: what
    /// `Paginator::items` yields.
    pub primary: Option<ResultPath>,
    /// With several result keys: the module of accessors, one per key, for `items_of`.
    pub accessors: Option<AccessorsIr>,
}

/// The fields leading from an output to a list of items.
#[derive(Debug, Clone)]
pub struct ResultPath {
    /// Field names as written, each with whether it is boxed; the last is the list.
    pub fields: Vec<(String, bool)>,
    /// The list's item shape.
    pub item: String,
}

/// A module of result-key accessors.
#[derive(Debug)]
pub struct AccessorsIr {
    /// Module name.
    pub module: String,
    /// (function name, the key as written, path to its list).
    pub fns: Vec<(String, String, ResultPath)>,
}

/// A waiter, lowered.
#[derive(Debug)]
pub struct WaiterIr {
    /// Waiter name (`InstanceRunning`).
    pub name: String,
    /// boto3's name for it (`instance_running`).
    pub snake: String,
    /// Operation wire name.
    pub op: String,
    /// Client method name (`wait_until_instance_running`).
    pub method: String,
    /// Name of its static.
    pub static_name: String,
    /// Seconds between attempts.
    pub delay: u64,
    /// Attempts at most.
    pub max_attempts: u32,
    /// The model's description.
    pub description: Option<String>,
    /// Acceptors, in order.
    pub acceptors: Vec<AcceptorIr>,
}

/// What an acceptor concludes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StateIr {
    /// Done.
    Success,
    /// Failed.
    Failure,
    /// Try again.
    Retry,
}

/// A value a path matcher compares with.
#[derive(Debug, Clone)]
pub enum ExpectedIr {
    /// A string.
    Str(String),
    /// A boolean.
    Bool(bool),
    /// A number.
    Num(f64),
}

/// How an acceptor matches.
#[derive(Debug, Clone)]
pub enum MatcherIr {
    /// `path`.
    Path(Ast, ExpectedIr),
    /// `pathAll`.
    PathAll(Ast, ExpectedIr),
    /// `pathAny`.
    PathAny(Ast, ExpectedIr),
    /// `status`.
    Status(u16),
    /// `error` with a code.
    ErrorCode(String),
    /// `error` with a boolean: any error (or none).
    AnyError(bool),
}

/// One acceptor.
#[derive(Debug, Clone)]
pub struct AcceptorIr {
    /// What it concludes.
    pub state: StateIr,
    /// How it matches.
    pub matcher: MatcherIr,
}

/// Parses one expression; a parse error is reported with the file, the item and the field.
fn compile(file: &str, what: &str, field: &str, expr: &str, errs: &mut Vec<String>) -> Option<Ast> {
    match jmespath::parse(expr) {
        Ok(a) => Some(a),
        Err(e) => {
            errs.push(format!("{file}: {what}: {field} `{expr}`: {e}"));
            None
        }
    }
}

/// Lowers `paginators-1.json` (already merged with its extras); method names join the client's
/// `methods`.
pub fn paginators(
    ir: &Ir,
    text: &str,
    methods: &mut Namespace,
    names: &mut Vec<NameRecord>,
    errs: &mut Vec<String>,
) -> Vec<PaginatorIr> {
    let file = format!("{}/paginators-1.json", ir.crate_name);
    let doc = match pmodel::parse(&file, text) {
        Ok(d) => d,
        Err(e) => {
            errs.push(e);
            return Vec::new();
        }
    };
    let mut statics = Namespace::new();
    let mut modules = Namespace::new();
    let mut out = Vec::new();
    for (op, p) in &doc.pagination {
        let Some(opir) = ir.ops.iter().find(|o| &o.wire == op) else {
            errs.push(format!(
                "{file}: {op}: no such operation in the service model"
            ));
            continue;
        };
        let (Some(input), Some(output)) = (&opir.input, &opir.output) else {
            errs.push(format!(
                "{file}: {op}: the operation has no input or output shape"
            ));
            continue;
        };
        let what = format!("paginator {op}");
        let input_tokens = p.input_token.0.clone();
        let output_tokens: Vec<Ast> = p
            .output_token
            .0
            .iter()
            .filter_map(|e| compile(&file, &what, "output_token", e, errs))
            .collect();
        if input_tokens.len() != output_tokens.len() || input_tokens.is_empty() {
            errs.push(format!(
                "{file}: {what}: {} input tokens for {} output tokens",
                input_tokens.len(),
                output_tokens.len()
            ));
            continue;
        }
        let input_shape = &ir.shapes[input];
        for t in &input_tokens {
            if !input_shape.members.iter().any(|m| &m.wire == t) {
                errs.push(format!(
                    "{file}: {what}: input_token {t} is not a member of {}",
                    input_shape.wire
                ));
            }
        }
        let more_results = p
            .more_results
            .as_deref()
            .and_then(|e| compile(&file, &what, "more_results", e, errs));
        let result_keys: Vec<Ast> = p
            .result_key
            .0
            .iter()
            .filter_map(|e| compile(&file, &what, "result_key", e, errs))
            .collect();
        let non_aggregate_keys = p
            .non_aggregate_keys
            .0
            .iter()
            .filter_map(|e| compile(&file, &what, "non_aggregate_keys", e, errs))
            .collect();
        let base = naming::paginator_method(&opir.method);
        let (method, _) = methods.claim(&base, "paginator", op, Suffix::Number("_"), names);
        names.push(NameRecord::new("paginator", op, &method));
        let base = naming::paginator_static(&opir.static_name);
        let (static_name, _) =
            statics.claim(&base, "paginator_static", op, Suffix::Number("_"), names);
        names.push(NameRecord::new("paginator_static", op, &static_name));
        let primary = result_keys.first().and_then(|k| result_path(ir, output, k));
        // Paginators with several result keys: one accessor per key, for `Paginator::items_of`.
        let accessors = (result_keys.len() > 1).then(|| {
            let (module, _) = modules.claim(
                &naming::xform_name(op),
                "accessor_module",
                op,
                Suffix::Number("_"),
                names,
            );
            let module = naming::ident_text(&module);
            names.push(NameRecord::new("accessor_module", op, &module));
            let mut fn_names = Namespace::new();
            let fns = result_keys
                .iter()
                .filter_map(|k| {
                    let path = jmespath::dotted_path(k)?;
                    let rp = result_path(ir, output, k)?;
                    let key = path.join(".");
                    let wire = format!("{op}.{key}");
                    let base = naming::xform_name(path.last()?);
                    let (f, _) =
                        fn_names.claim(&base, "accessor", &wire, Suffix::Number("_"), names);
                    let f = naming::ident_text(&f);
                    names.push(NameRecord::new("accessor", &wire, format!("{module}::{f}")));
                    Some((f, key, rp))
                })
                .collect();
            AccessorsIr { module, fns }
        });
        out.push(PaginatorIr {
            op: op.clone(),
            method,
            static_name,
            input_tokens,
            output_tokens,
            more_results,
            limit_key: p.limit_key.clone(),
            result_keys,
            non_aggregate_keys,
            primary,
            accessors,
        });
    }
    out
}

/// The fields from `output` to the list a result key names, when it is a dotted path to a list.
fn result_path(ir: &Ir, output: &str, key: &Ast) -> Option<ResultPath> {
    let path = jmespath::dotted_path(key)?;
    let mut shape = ir.shapes.get(output)?;
    let mut fields = Vec::new();
    for (i, seg) in path.iter().enumerate() {
        let m = shape.members.iter().find(|m| &m.wire == seg)?;
        let target = ir.shapes.get(&m.target)?;
        fields.push((m.field.clone(), m.boxed));
        if i + 1 == path.len() {
            return (target.kind == ShapeKind::List).then(|| ResultPath {
                fields,
                item: target.item().unwrap_or_default().to_string(),
            });
        }
        if target.kind != ShapeKind::Structure {
            return None;
        }
        shape = target;
    }
    None
}

/// Lowers `waiters-2.json`; method names join the client's `methods`.
pub fn waiters(
    ir: &Ir,
    text: &str,
    methods: &mut Namespace,
    names: &mut Vec<NameRecord>,
    errs: &mut Vec<String>,
) -> Vec<WaiterIr> {
    let file = format!("{}/waiters-2.json", ir.crate_name);
    let doc = match wmodel::parse(&file, text) {
        Ok(d) => d,
        Err(e) => {
            errs.push(e);
            return Vec::new();
        }
    };
    if doc.version != 2 {
        errs.push(format!("{file}: only version 2 is supported"));
        return Vec::new();
    }
    let mut statics = Namespace::new();
    let mut out = Vec::new();
    for (name, spec) in &doc.waiters {
        let what = format!("waiter {name}");
        let op = spec.operation.as_str();
        let Some(opir) = ir.ops.iter().find(|o| o.wire == op) else {
            errs.push(format!(
                "{file}: {what}: no operation {op:?} in the service model"
            ));
            continue;
        };
        if opir.input.is_none() {
            errs.push(format!(
                "{file}: {what}: the operation {op} has no input shape"
            ));
            continue;
        }
        let mut acceptors = Vec::new();
        for (i, a) in spec.acceptors.iter().enumerate() {
            let state = match a.state.as_str() {
                "success" => StateIr::Success,
                "failure" => StateIr::Failure,
                "retry" => StateIr::Retry,
                other => {
                    errs.push(format!(
                        "{file}: {what}: acceptor {i}: unknown state {other:?}"
                    ));
                    continue;
                }
            };
            let expected = match &a.expected {
                Expected::Str(s) => ExpectedIr::Str(s.clone()),
                Expected::Bool(b) => ExpectedIr::Bool(*b),
                Expected::Int(n) => ExpectedIr::Num(*n as f64),
                Expected::Num(f) => ExpectedIr::Num(*f),
            };
            let matcher = match a.matcher.as_str() {
                m @ ("path" | "pathAll" | "pathAny") => {
                    let arg = a.argument.as_deref().unwrap_or("");
                    let Some(ast) = compile(&file, &what, "argument", arg, errs) else {
                        continue;
                    };
                    match m {
                        "path" => MatcherIr::Path(ast, expected),
                        "pathAll" => MatcherIr::PathAll(ast, expected),
                        _ => MatcherIr::PathAny(ast, expected),
                    }
                }
                "status" => match &a.expected {
                    Expected::Int(n) if u16::try_from(*n).is_ok() => MatcherIr::Status(*n as u16),
                    _ => {
                        errs.push(format!(
                            "{file}: {what}: acceptor {i}: status expects a number"
                        ));
                        continue;
                    }
                },
                "error" => match &a.expected {
                    Expected::Str(c) => MatcherIr::ErrorCode(c.clone()),
                    Expected::Bool(b) => MatcherIr::AnyError(*b),
                    _ => {
                        errs.push(format!(
                            "{file}: {what}: acceptor {i}: error expects a string or boolean"
                        ));
                        continue;
                    }
                },
                other => {
                    errs.push(format!(
                        "{file}: {what}: acceptor {i}: unknown matcher {other:?}"
                    ));
                    continue;
                }
            };
            acceptors.push(AcceptorIr { state, matcher });
        }
        let snake = naming::xform_name(name);
        let (method, _) = methods.claim(
            &naming::waiter_method(name),
            "waiter",
            name,
            Suffix::Number("_"),
            names,
        );
        names.push(NameRecord::new("waiter", name, &method));
        let (static_name, _) = statics.claim(
            &naming::waiter_static(name),
            "waiter_static",
            name,
            Suffix::Number("_"),
            names,
        );
        names.push(NameRecord::new("waiter_static", name, &static_name));
        out.push(WaiterIr {
            name: name.clone(),
            snake,
            op: op.to_string(),
            method,
            static_name,
            delay: spec.delay,
            max_attempts: spec.max_attempts,
            description: spec.description.clone(),
            acceptors,
        });
    }
    out
}
