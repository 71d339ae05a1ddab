//! Paginators and waiters as tokens: `paginators.rs`, `waiters.rs` and their client methods.

use super::common::{ident, rust_type as rust_type_of};
use crate::ir::pagwait::{
    AcceptorIr, ExpectedIr, MatcherIr, PaginatorIr, ResultPath, StateIr, WaiterIr,
};
use crate::ir::Ir;
use crate::jmespath;
use proc_macro2::TokenStream;
use quote::quote;

/// The item type and accessor of a result path: `(item type, |o| o.a.as_mut()?.b.as_mut())`.
fn accessor(ir: &Ir, path: Option<&ResultPath>) -> (TokenStream, TokenStream) {
    let Some(p) = path else {
        return (quote!(()), quote!(|_| ::std::option::Option::None));
    };
    let mut access = quote!(o);
    let last = p.fields.len() - 1;
    for (i, (f, boxed)) in p.fields.iter().enumerate() {
        let f = ident(f);
        access = if i == last {
            quote!(#access.#f.as_mut())
        } else if *boxed {
            quote!(#access.#f.as_deref_mut()?)
        } else {
            quote!(#access.#f.as_mut()?)
        };
    }
    (rust_type_of(ir, &p.item), quote!(|o| #access))
}

/// `Option::Some(v)` or `Option::None`.
fn opt<T: quote::ToTokens>(v: Option<T>) -> TokenStream {
    match v {
        Some(t) => quote!(::std::option::Option::Some(#t)),
        None => quote!(::std::option::Option::None),
    }
}

/// The operation a paginator or waiter polls.
fn op_static<'a>(ir: &'a Ir, op: &str) -> &'a crate::ir::OpIr {
    ir.ops.iter().find(|o| o.wire == op).expect("op")
}

/// `paginators.rs`: one static per paginator.
pub fn paginators_rs(pags: &[PaginatorIr], ir: &Ir) -> TokenStream {
    let items = pags.iter().map(|p| {
        let n = ident(&p.static_name);
        let op = ident(&op_static(ir, &p.op).static_name);
        let inputs = &p.input_tokens;
        let outs = p.output_tokens.iter().map(jmespath::tokens);
        let more = opt(p.more_results.as_ref().map(|a| {
            let t = jmespath::tokens(a);
            quote!(&#t)
        }));
        let limit = opt(p.limit_key.as_ref());
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
    let keyed = pags.iter().filter_map(|p| {
        let a = p.accessors.as_ref()?;
        let op = op_static(ir, &p.op);
        let o = rust_type_of(ir, op.output.as_deref().expect("output"));
        let fns = a.fns.iter().map(|(name, key, path)| {
            let (t, access) = accessor(ir, Some(path));
            let name = ident(name);
            let doc = format!(" The `{key}` items of each page.");
            quote! {
                #[doc = #doc]
                pub fn #name(o: &mut #o) -> ::std::option::Option<&mut ::std::vec::Vec<#t>> {
                    let f: fn(&mut #o) -> ::std::option::Option<&mut ::std::vec::Vec<#t>> = #access;
                    f(o)
                }
            }
        });
        let m = ident(&a.module);
        let doc = format!(
            " The result keys of the `{}` paginator, for `items_of`.",
            p.op
        );
        Some(quote! {
            #[doc = #doc]
            pub mod #m {
                #(#fns)*
            }
        })
    });
    quote! {
        //! Paginators (botocore's `paginators-1.json`), compiled.
        #(#items)*
        #(#keyed)*
    }
}

/// A path matcher's expected value.
fn expected(e: &ExpectedIr) -> TokenStream {
    let w = quote!(::boto_runtime::waiter);
    match e {
        ExpectedIr::Str(s) => quote!(#w::Expected::Str(#s)),
        ExpectedIr::Bool(b) => quote!(#w::Expected::Bool(#b)),
        ExpectedIr::Num(f) => quote!(#w::Expected::Num(#f)),
    }
}

/// One `waiter::Acceptor` value.
fn acceptor(a: &AcceptorIr) -> TokenStream {
    let w = quote!(::boto_runtime::waiter);
    let state = match a.state {
        StateIr::Success => quote!(#w::State::Success),
        StateIr::Failure => quote!(#w::State::Failure),
        StateIr::Retry => quote!(#w::State::Retry),
    };
    let m = match &a.matcher {
        MatcherIr::Path(ast, e) | MatcherIr::PathAll(ast, e) | MatcherIr::PathAny(ast, e) => {
            let v = ident(match &a.matcher {
                MatcherIr::Path(..) => "Path",
                MatcherIr::PathAll(..) => "PathAll",
                _ => "PathAny",
            });
            let t = jmespath::tokens(ast);
            let e = expected(e);
            quote!(#w::Matcher::#v(&#t, #e))
        }
        MatcherIr::Status(s) => quote!(#w::Matcher::Status(#s)),
        MatcherIr::ErrorCode(c) => quote!(#w::Matcher::ErrorCode(#c)),
        MatcherIr::AnyError(b) => quote!(#w::Matcher::AnyError(#b)),
    };
    quote!(#w::Acceptor { state: #state, matcher: #m })
}

/// `waiters.rs`: one static per waiter.
pub fn waiters_rs(ws: &[WaiterIr], ir: &Ir) -> TokenStream {
    let items = ws.iter().map(|w| {
        let n = ident(&w.static_name);
        let op = ident(&op_static(ir, &w.op).static_name);
        let name = &w.name;
        let (delay, max) = (w.delay, w.max_attempts);
        let acc = w.acceptors.iter().map(acceptor);
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
        let op = op_static(ir, &p.op);
        let (i, o) = (
            rust_type_of(ir, op.input.as_ref().expect("input")),
            rust_type_of(ir, op.output.as_ref().expect("output")),
        );
        let (item, access) = accessor(ir, p.primary.as_ref());
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
        let op = op_static(ir, &w.op);
        let i = rust_type_of(ir, op.input.as_ref().expect("input"));
        let o = match &op.output {
            Some(o) => rust_type_of(ir, o),
            None => quote!(()),
        };
        let m = ident(&w.method);
        let n = ident(&w.static_name);
        let mut doc = format!(
            " Waits until `{}` (boto3's `get_waiter(\"{}\")`): polls `{}` every {} s, {} attempts at most.",
            w.name, w.snake, w.op, w.delay, w.max_attempts
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
