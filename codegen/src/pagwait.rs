//! Paginators (`paginators-1.json`, extras merged) and waiters (`waiters-2.json`): every JMESPath
//! expression is compiled here into a static tree; the runtime's `paginate` and `waiter` modules
//! do the rest. Expressions outside the supported subset are generation errors.

use crate::emit::ident;
use crate::ir::{Ir, ShapeKind};
use crate::jmespath::{self, Ast};
use crate::model::waiters::Expected;
use crate::model::{paginators as pmodel, waiters as wmodel};
use crate::naming;
use proc_macro2::{Ident, Span, TokenStream};
use quote::quote;

/// A paginator, lowered.
pub struct PaginatorIr {
    /// Operation wire name.
    pub op: String,
    /// Client method name (`describe_instances_paginator`).
    pub method: String,
    /// Name of its static.
    pub static_name: String,
    input_tokens: Vec<String>,
    output_tokens: Vec<Ast>,
    more_results: Option<Ast>,
    limit_key: Option<String>,
    result_keys: Vec<Ast>,
    non_aggregate_keys: Vec<Ast>,
}

/// A waiter, lowered.
pub struct WaiterIr {
    /// Waiter name (`InstanceRunning`).
    pub name: String,
    /// Operation wire name.
    pub op: String,
    /// Client method name (`wait_until_instance_running`).
    pub method: String,
    /// Name of its static.
    pub static_name: String,
    delay: u64,
    max_attempts: u32,
    description: Option<String>,
    acceptors: Vec<(String, TokenStream)>,
}

fn compile(file: &str, what: &str, field: &str, expr: &str, errs: &mut Vec<String>) -> Option<Ast> {
    match jmespath::parse(expr) {
        Ok(a) => Some(a),
        Err(e) => {
            errs.push(format!("{file}: {what}: {field} `{expr}`: {e}"));
            None
        }
    }
}

/// Lowers `paginators-1.json` (already merged with its extras).
pub fn paginators(ir: &Ir, text: &str, errs: &mut Vec<String>) -> Vec<PaginatorIr> {
    let file = format!("{}/paginators-1.json", ir.crate_name);
    let doc = match pmodel::parse(&file, text) {
        Ok(d) => d,
        Err(e) => {
            errs.push(e);
            return Vec::new();
        }
    };
    let mut out = Vec::new();
    for (op, p) in &doc.pagination {
        let Some(opir) = ir.ops.iter().find(|o| &o.wire == op) else {
            errs.push(format!(
                "{file}: {op}: no such operation in the service model"
            ));
            continue;
        };
        if opir.input.is_none() || opir.output.is_none() {
            errs.push(format!(
                "{file}: {op}: the operation has no input or output shape"
            ));
            continue;
        }
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
        let input_shape = &ir.shapes[opir.input.as_ref().expect("checked")];
        for t in &input_tokens {
            if !input_shape.members.iter().any(|m| &m.wire == t) {
                errs.push(format!(
                    "{file}: {what}: input_token {t} is not a member of {}",
                    input_shape.wire
                ));
            }
        }
        let limit_key = p.limit_key.clone();
        let more_results = p
            .more_results
            .as_deref()
            .and_then(|e| compile(&file, &what, "more_results", e, errs));
        let result_keys = p
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
        out.push(PaginatorIr {
            op: op.clone(),
            method: format!("{}_paginator", opir.method.trim_start_matches("r#")),
            static_name: format!("PAGINATE_{}", opir.static_name.trim_start_matches("OP_")),
            input_tokens,
            output_tokens,
            more_results,
            limit_key,
            result_keys,
            non_aggregate_keys,
        });
    }
    out
}

/// Lowers `waiters-2.json`.
pub fn waiters(ir: &Ir, text: &str, errs: &mut Vec<String>) -> Vec<WaiterIr> {
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
    let w = quote!(::boto_runtime::waiter);
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
                "success" => quote!(#w::State::Success),
                "failure" => quote!(#w::State::Failure),
                "retry" => quote!(#w::State::Retry),
                other => {
                    errs.push(format!(
                        "{file}: {what}: acceptor {i}: unknown state {other:?}"
                    ));
                    continue;
                }
            };
            let expected = match &a.expected {
                Expected::Str(s) => quote!(#w::Expected::Str(#s)),
                Expected::Bool(b) => quote!(#w::Expected::Bool(#b)),
                Expected::Int(n) => {
                    let f = *n as f64;
                    quote!(#w::Expected::Num(#f))
                }
                Expected::Num(f) => quote!(#w::Expected::Num(#f)),
            };
            let matcher = a.matcher.as_str();
            let m = match matcher {
                "path" | "pathAll" | "pathAny" => {
                    let arg = a.argument.as_deref().unwrap_or("");
                    let Some(ast) = compile(&file, &what, "argument", arg, errs) else {
                        continue;
                    };
                    let e = jmespath::tokens(&ast);
                    let v = Ident::new(
                        match matcher {
                            "path" => "Path",
                            "pathAll" => "PathAll",
                            _ => "PathAny",
                        },
                        Span::call_site(),
                    );
                    quote!(#w::Matcher::#v(&#e, #expected))
                }
                "status" => match &a.expected {
                    Expected::Int(n) if u16::try_from(*n).is_ok() => {
                        let s = *n as u16;
                        quote!(#w::Matcher::Status(#s))
                    }
                    _ => {
                        errs.push(format!(
                            "{file}: {what}: acceptor {i}: status expects a number"
                        ));
                        continue;
                    }
                },
                "error" => match &a.expected {
                    Expected::Str(c) => quote!(#w::Matcher::ErrorCode(#c)),
                    Expected::Bool(b) => quote!(#w::Matcher::AnyError(#b)),
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
            acceptors.push((
                a.state.clone(),
                quote!(#w::Acceptor { state: #state, matcher: #m }),
            ));
        }
        let snake = naming::xform_name(name);
        out.push(WaiterIr {
            name: name.clone(),
            op: op.to_string(),
            method: format!("wait_until_{snake}"),
            static_name: format!("WAIT_{}", snake.to_ascii_uppercase()),
            delay: spec.delay,
            max_attempts: spec.max_attempts,
            description: spec.description.clone(),
            acceptors,
        });
    }
    out
}

/// The element type and accessor of a paginator's primary result key, when it is a dotted path to
/// a list: `(item type, |o| o.a.as_mut()?.b.as_mut())`.
fn primary_accessor(ir: &Ir, output: &str, key: Option<&Ast>) -> (TokenStream, TokenStream) {
    let none = (quote!(()), quote!(|_| ::std::option::Option::None));
    let Some(path) = key.and_then(jmespath::dotted_path) else {
        return none;
    };
    let mut shape = match ir.shapes.get(output) {
        Some(s) => s,
        None => return none,
    };
    let mut access = quote!(o);
    for (i, seg) in path.iter().enumerate() {
        let Some(m) = shape.members.iter().find(|m| &m.wire == seg) else {
            return none;
        };
        let f = ident(&m.field);
        let Some(target) = ir.shapes.get(&m.target) else {
            return none;
        };
        let last = i + 1 == path.len();
        if last {
            if target.kind != ShapeKind::List {
                return none;
            }
            let t = crate::emit::rust_type_of(ir, target.item().expect("list member"));
            return (t, quote!(|o| #access.#f.as_mut()));
        }
        if target.kind != ShapeKind::Structure {
            return none;
        }
        access = if m.boxed {
            quote!(#access.#f.as_deref_mut()?)
        } else {
            quote!(#access.#f.as_mut()?)
        };
        shape = target;
    }
    none
}

/// `paginators.rs`: one static per paginator.
pub fn paginators_rs(pags: &[PaginatorIr], ir: &Ir) -> TokenStream {
    let items = pags.iter().map(|p| {
        let n = ident(&p.static_name);
        let op = ident(&ir.ops.iter().find(|o| o.wire == p.op).expect("op").static_name);
        let inputs = &p.input_tokens;
        let outs = p.output_tokens.iter().map(jmespath::tokens);
        let more = match &p.more_results {
            Some(a) => {
                let t = jmespath::tokens(a);
                quote!(::std::option::Option::Some(&#t))
            }
            None => quote!(::std::option::Option::None),
        };
        let limit = match &p.limit_key {
            Some(k) => quote!(::std::option::Option::Some(#k)),
            None => quote!(::std::option::Option::None),
        };
        let results = p.result_keys.iter().map(jmespath::tokens);
        let nonagg = p.non_aggregate_keys.iter().map(jmespath::tokens);
        let doc = format!(" The `{}` paginator.", p.op);
        quote! {
            #[doc = #doc]
            pub static #n: ::boto_runtime::paginate::PaginatorSpec = ::boto_runtime::paginate::PaginatorSpec {
                operation: &crate::operations::#op,
                input_tokens: &[#(#inputs),*],
                output_tokens: &[#(#outs),*],
                more_results: #more,
                limit_key: #limit,
                result_keys: &[#(#results),*],
                non_aggregate_keys: &[#(#nonagg),*],
            };
        }
    });
    // Paginators with several result keys: one accessor per key, for `Paginator::items_of`.
    let keyed = pags.iter().filter(|p| p.result_keys.len() > 1).map(|p| {
        let op = ir.ops.iter().find(|o| o.wire == p.op).expect("op");
        let out_shape = op.output.as_ref().expect("output");
        let o = crate::emit::rust_type_of(ir, out_shape);
        let fns = p.result_keys.iter().filter_map(|k| {
            let path = jmespath::dotted_path(k)?;
            let (t, access) = primary_accessor(ir, out_shape, Some(k));
            if t.to_string() == "()" {
                return None;
            }
            let name = ident(&naming::ident_text(&naming::xform_name(path.last()?)));
            let doc = format!(" The `{}` items of each page.", path.join("."));
            Some(quote! {
                #[doc = #doc]
                pub fn #name(o: &mut #o) -> ::std::option::Option<&mut ::std::vec::Vec<#t>> {
                    let f: fn(&mut #o) -> ::std::option::Option<&mut ::std::vec::Vec<#t>> = #access;
                    f(o)
                }
            })
        });
        let m = ident(&naming::ident_text(&naming::xform_name(&p.op)));
        let doc = format!(
            " The result keys of the `{}` paginator, for `items_of`.",
            p.op
        );
        quote! {
            #[doc = #doc]
            pub mod #m {
                #(#fns)*
            }
        }
    });
    quote! {
        //! Paginators (botocore's `paginators-1.json`), compiled.
        #(#items)*
        #(#keyed)*
    }
}

/// `waiters.rs`: one static per waiter.
pub fn waiters_rs(ws: &[WaiterIr], ir: &Ir) -> TokenStream {
    let items = ws.iter().map(|w| {
        let n = ident(&w.static_name);
        let op = ident(
            &ir.ops
                .iter()
                .find(|o| o.wire == w.op)
                .expect("op")
                .static_name,
        );
        let name = &w.name;
        let (delay, max) = (w.delay, w.max_attempts);
        let acc = w.acceptors.iter().map(|(_, t)| t);
        let doc = format!(" The `{name}` waiter.");
        quote! {
            #[doc = #doc]
            pub static #n: ::boto_runtime::waiter::WaiterSpec = ::boto_runtime::waiter::WaiterSpec {
                name: #name,
                operation: &crate::operations::#op,
                delay: #delay,
                max_attempts: #max,
                acceptors: &[#(#acc),*],
            };
        }
    });
    quote! {
        //! Waiters (botocore's `waiters-2.json`), compiled.
        #(#items)*
    }
}

/// The client methods for paginators and waiters.
pub fn client_methods(pags: &[PaginatorIr], ws: &[WaiterIr], ir: &Ir) -> Vec<TokenStream> {
    let mut out = Vec::new();
    for p in pags {
        let op = ir.ops.iter().find(|o| o.wire == p.op).expect("op");
        let (i, o) = (
            crate::emit::rust_type_of(ir, op.input.as_ref().expect("input")),
            crate::emit::rust_type_of(ir, op.output.as_ref().expect("output")),
        );
        let (item, access) = primary_accessor(
            ir,
            op.output.as_ref().expect("output"),
            p.result_keys.first(),
        );
        let m = ident(&p.method);
        let n = ident(&p.static_name);
        let doc = format!(
            " A paginator over `{}` (boto3's `get_paginator(\"{}\")`): `.pages()` or `.items()`.",
            p.op,
            op.method.trim_start_matches("r#")
        );
        out.push(quote! {
            #[doc = #doc]
            pub fn #m(&self, input: #i) -> ::boto_runtime::paginate::Paginator<#i, #o, #item> {
                ::boto_runtime::paginate::Paginator::new(self.handle.clone(), &crate::paginators::#n, input, #access)
            }
        });
    }
    for w in ws {
        let op = ir.ops.iter().find(|o| o.wire == w.op).expect("op");
        let i = crate::emit::rust_type_of(ir, op.input.as_ref().expect("input"));
        let o = match &op.output {
            Some(o) => crate::emit::rust_type_of(ir, o),
            None => quote!(()),
        };
        let m = ident(&w.method);
        let n = ident(&w.static_name);
        let mut doc = format!(
            " Waits until `{}` (boto3's `get_waiter(\"{}\")`): polls `{}` every {} s, {} attempts at most.",
            w.name,
            naming::xform_name(&w.name),
            w.op,
            w.delay,
            w.max_attempts
        );
        if let Some(d) = &w.description {
            doc = format!("{doc} {}", d.replace('\n', " "));
        }
        out.push(quote! {
            #[doc = #doc]
            pub fn #m(&self, input: #i) -> ::boto_runtime::waiter::Waiter<#i, #o> {
                ::boto_runtime::waiter::Waiter::new(self.handle.clone(), &crate::waiters::#n, input)
            }
        });
    }
    out
}
