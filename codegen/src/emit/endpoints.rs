//! `endpoint_rules.rs`: the service's endpoint rule set as static tables for the runtime's
//! rules engine. Endpoints that several rules give are written once.

use crate::ir::endpoints::{
    CondIr, ContextSource, EndpointIr, ExprIr, FnIr, RuleIr, RuleSetIr, SegIr, FUNCTIONS,
};
use proc_macro2::{Literal, TokenStream};
use quote::{format_ident, quote};

/// The file's tokens. Expressions name the runtime's enum variants directly (they are
/// imported), so most conditions and rules fit on one line.
pub fn endpoint_rules_rs(rs: &RuleSetIr, contexts: &[&[(String, ContextSource)]]) -> TokenStream {
    let mut pools = Pools::default();
    let rules = rules(&rs.rules, &mut pools);
    let Pools {
        conditions,
        endpoints,
        properties,
    } = pools;
    let params = rs.params.iter().map(|p| {
        let name = &p.name;
        let kind = format_ident!("{}", p.kind.variant_name());
        let built_in = opt(&p.built_in);
        let required = p.required;
        let default = match &p.default {
            Some(d) => {
                let d = expr(d);
                quote!(Some(#d))
            }
            None => quote!(None),
        };
        let doc = &p.documentation;
        let deprecated = opt(&p.deprecated);
        quote! {
            Param {
                name: #name,
                kind: ParamKind::#kind,
                built_in: #built_in,
                required: #required,
                default: #default,
                documentation: #doc,
                deprecated: #deprecated,
            }
        }
    });
    let cond_statics = conditions.iter().enumerate().map(|(i, c)| {
        let n = format_ident!("C{i}");
        let e = expr(&c.expr);
        let assign = match c.assign {
            Some(s) => {
                let s = num(s);
                quote!(Some(#s))
            }
            None => quote!(None),
        };
        quote!(static #n: Cond = Cond(#e, #assign);)
    });
    let prop_statics = properties.iter().enumerate().map(|(i, p)| {
        let n = format_ident!("P{i}");
        let len = Literal::usize_unsuffixed(p.len());
        let items = p.iter().map(|(k, v)| {
            let v = expr(v);
            quote!((#k, #v))
        });
        quote!(static #n: [(&str, Expr); #len] = [#(#items),*];)
    });
    let statics = endpoints.iter().enumerate().map(|(i, (e, p))| {
        let n = format_ident!("E{i}");
        let url = expr(&e.url);
        let props = match p {
            Some(p) => {
                let p = format_ident!("P{p}");
                quote!(&#p)
            }
            None => quote!(&[]),
        };
        let mut spec = quote!(EndpointSpec::new(#url, #props));
        if !e.headers.is_empty() {
            let headers = e.headers.iter().map(|(k, vs)| {
                let vs = vs.iter().map(expr);
                quote!((#k, &[#(#vs),*]))
            });
            spec = quote!(#spec.headers(&[#(#headers),*]));
        }
        quote!(static #n: EndpointSpec = #spec;)
    });
    let ctx_statics = contexts.iter().enumerate().map(|(i, c)| {
        let n = format_ident!("CTX{i}");
        let len = Literal::usize_unsuffixed(c.len());
        let items = c.iter().map(|(name, src)| {
            let src = match src {
                ContextSource::Static(v) => {
                    let v = expr(v);
                    quote!(ParamSource::Static(#v))
                }
                ContextSource::Member(m) => quote!(ParamSource::Member(#m)),
                ContextSource::Path(ast) => {
                    let p = crate::jmespath::tokens(ast);
                    quote!(ParamSource::Path(&#p))
                }
            };
            quote!((#name, #src))
        });
        let doc = " Endpoint parameters that operations take from their input.";
        quote!(#[doc = #doc] pub static #n: [(&str, ParamSource); #len] = [#(#items),*];)
    });
    let slots = num(rs.slots);
    quote! {
        //! The service's endpoint rule set (botocore's `endpoint-rule-set-1.json`), compiled for
        //! the runtime's rules engine: templates refer to variable slots (`{1}`), and conditions,
        //! endpoints and properties are written once however many rules use them.
        #[allow(unused_imports)]
        use ::boto_runtime::endpoint::rules::{
            Cond, EndpointSpec, Expr, Expr::*, Func::*, Param, ParamKind, Rule, RuleSet, Seg::*,
        };
        #[allow(unused_imports)]
        use ::boto_runtime::endpoint::ParamSource;
        /// The rule set: its parameters (with their built-ins, defaults and documentation) and rules.
        pub static RULE_SET: RuleSet = RuleSet {
            params: &[#(#params),*],
            rules: #rules,
            slots: #slots,
        };
        #(#ctx_statics)*
        #(#cond_statics)*
        #(#statics)*
        #(#prop_statics)*
    }
}

/// The distinct endpoint parameter lists of the operations, in order of first use; an
/// operation's static names its list by index (`CTX3`).
pub fn context_lists(ir: &crate::ir::Ir) -> Vec<&[(String, ContextSource)]> {
    let mut out: Vec<&[(String, ContextSource)]> = Vec::new();
    for op in &ir.ops {
        let p = op.schema.endpoint_params.as_slice();
        if !p.is_empty() {
            intern(&mut out, p);
        }
    }
    out
}

/// A number without a type suffix.
fn num(n: impl Into<u64>) -> Literal {
    Literal::u64_unsuffixed(n.into())
}

fn opt(s: &Option<String>) -> TokenStream {
    match s {
        Some(s) => quote!(Some(#s)),
        None => quote!(None),
    }
}

/// Conditions, endpoints and endpoint properties, each written once however many rules use it.
#[derive(Default)]
struct Pools<'a> {
    conditions: Vec<&'a CondIr>,
    /// Each endpoint with the index of its properties in `properties`.
    endpoints: Vec<(&'a EndpointIr, Option<usize>)>,
    properties: Vec<&'a [(String, ExprIr)]>,
}

/// The index of `x` in `pool`, added if it is new.
fn intern<'a, T: PartialEq + ?Sized>(pool: &mut Vec<&'a T>, x: &'a T) -> usize {
    match pool.iter().position(|p| *p == x) {
        Some(i) => i,
        None => {
            pool.push(x);
            pool.len() - 1
        }
    }
}

fn rules<'a>(rules: &'a [RuleIr], pools: &mut Pools<'a>) -> TokenStream {
    let mut items = Vec::with_capacity(rules.len());
    for r in rules {
        items.push(match r {
            RuleIr::Endpoint(c, e) => {
                let c = conds(c, pools);
                let p = (!e.properties.is_empty())
                    .then(|| intern(&mut pools.properties, e.properties.as_slice()));
                let i = match pools.endpoints.iter().position(|(x, _)| *x == e) {
                    Some(i) => i,
                    None => {
                        pools.endpoints.push((e, p));
                        pools.endpoints.len() - 1
                    }
                };
                let n = format_ident!("E{i}");
                quote!(Rule::Endpoint(#c, &#n))
            }
            RuleIr::Error(c, m) => {
                let (c, m) = (conds(c, pools), expr(m));
                quote!(Rule::Error(#c, #m))
            }
            RuleIr::Tree(c, children) => {
                let c = conds(c, pools);
                let children = self::rules(children, pools);
                quote!(Rule::Tree(#c, #children))
            }
        });
    }
    quote!(&[#(#items),*])
}

fn conds<'a>(c: &'a [CondIr], pools: &mut Pools<'a>) -> TokenStream {
    let items = c.iter().map(|c| {
        let n = format_ident!("C{}", intern(&mut pools.conditions, c));
        quote!(&#n)
    });
    let items: Vec<TokenStream> = items.collect();
    quote!(&[#(#items),*])
}

/// An expression, with the variants as the file imports them.
fn expr(e: &ExprIr) -> TokenStream {
    match e {
        ExprIr::Str(s) => quote!(Str(#s)),
        ExprIr::Tpl(parts) => {
            let t = crate::ir::endpoints::compiled_template(parts);
            quote!(Tpl(#t))
        }
        ExprIr::Bool(b) => quote!(Bool(#b)),
        ExprIr::Int(i) => {
            let i = Literal::i64_unsuffixed(*i);
            quote!(Int(#i))
        }
        ExprIr::Ref(i) => {
            let i = num(*i);
            quote!(Ref(#i))
        }
        ExprIr::Call(f, args) => {
            let f = match f {
                FnIr::Known(name) => {
                    let v = FUNCTIONS
                        .iter()
                        .find(|(n, _, _)| n == name)
                        .map_or("Unsupported", |(_, v, _)| v);
                    let v = format_ident!("{v}");
                    quote!(#v)
                }
                FnIr::Unsupported(n) => quote!(Unsupported(#n)),
            };
            let args = args.iter().map(expr);
            quote!(Call(#f, &[#(#args),*]))
        }
        ExprIr::Attr(base, segs) => {
            let base = expr(base);
            let segs = segs.iter().map(|s| match s {
                SegIr::Key(k) => quote!(Key(#k)),
                SegIr::Index(i) => {
                    let i = num(*i as u64);
                    quote!(Index(#i))
                }
            });
            quote!(Attr(&#base, &[#(#segs),*]))
        }
        ExprIr::Array(items) => {
            let items = items.iter().map(expr);
            quote!(Array(&[#(#items),*]))
        }
        ExprIr::Object(fields) => {
            let fields = fields.iter().map(|(k, v)| {
                let v = expr(v);
                quote!((#k, #v))
            });
            quote!(Object(&[#(#fields),*]))
        }
    }
}

/// `partitions_data.rs` of the runtime: botocore's `partitions.json` as a static table.
pub fn partitions_rs(model: &crate::model::endpoints::PartitionsModel) -> TokenStream {
    let items = model.partitions.iter().map(|p| {
        let (id, regex) = (&p.id, &p.region_regex);
        let regions = p.regions.keys();
        let o = &p.outputs;
        let (dns, dual, fips, ds, global) = (
            &o.dns_suffix,
            &o.dual_stack_dns_suffix,
            o.supports_fips,
            o.supports_dual_stack,
            &o.implicit_global_region,
        );
        quote! {
            Partition {
                name: #id,
                region_regex: #regex,
                regions: &[#(#regions),*],
                dns_suffix: #dns,
                dual_stack_dns_suffix: #dual,
                supports_fips: #fips,
                supports_dual_stack: #ds,
                implicit_global_region: #global,
            }
        }
    });
    quote! {
        /// Every partition of botocore's `partitions.json` (vendored in `models/`), in the file's
        /// order; the first is the fallback. Included by `partition.rs`, which defines `Partition`.
        static PARTITIONS: &[Partition] = &[#(#items),*];
    }
}
