//! `schema.rs` and `operations.rs`: the schema statics the runtime's codecs read, written from
//! the IR's schema description.

use super::common::{ident, rust_type};
use crate::ir::schema::{AuthOption, Flag, MemberSchema, OpFlag, SchemaKind, ShapeSchema};
use crate::ir::{Ir, ShapeIr};
use proc_macro2::TokenStream;
use quote::{format_ident, quote};

/// A reference to the static of `shape` (the shared `prim` one for plain scalars).
fn target_ref(ir: &Ir, shape: &str) -> TokenStream {
    match ir.shapes.get(shape) {
        Some(s) => match s.schema.prim {
            Some(p) => {
                let p = ident(p.prim_name());
                quote!(&prim::#p)
            }
            None => {
                let n = ident(&s.static_name);
                quote!(&#n)
            }
        },
        None => quote!(&prim::STRING),
    }
}

/// `flags::A | flags::B`, or nothing for no flags.
fn flags_expr(flags: &[Flag]) -> Option<TokenStream> {
    if flags.is_empty() {
        return None;
    }
    let fl = flags.iter().map(|f| ident(f.const_name()));
    Some(quote!(#(flags::#fl)|*))
}

/// One `Member` value.
fn member_expr(ir: &Ir, m: &MemberSchema) -> TokenStream {
    let name = &m.name;
    let target = target_ref(ir, &m.target);
    let mut e = quote!(Member::new(#name, #target));
    let loc = m.location.map(|l| {
        let l = ident(l.variant_name());
        quote!(Location::#l)
    });
    match (loc, &m.location_name) {
        (Some(l), Some(n)) => e = quote!(#e.at(#l, Some(#n))),
        (Some(l), None) => e = quote!(#e.at(#l, None)),
        (None, Some(n)) => e = quote!(#e.name(#n)),
        (None, None) => {}
    }
    if let Some(q) = &m.query_name {
        e = quote!(#e.query_name(#q));
    }
    if m.required {
        e = quote!(#e.required());
    }
    if let Some(f) = flags_expr(&m.flags) {
        e = quote!(#e.flags(#f));
    }
    if let Some((p, u)) = &m.xml_namespace {
        e = quote!(#e.xml_namespace(#p, #u));
    }
    if let Some(t) = m.ts_format {
        let t = ident(t.variant_name());
        e = quote!(#e.ts_format(TimestampFormat::#t));
    }
    e
}

/// The expression of one shape's static.
fn shape_expr(ir: &Ir, s: &ShapeIr) -> TokenStream {
    let m: &ShapeSchema = &s.schema;
    let wire = &m.wire;
    let members = m.members.iter().map(|mm| member_expr(ir, mm));
    let mut e = match m.kind {
        SchemaKind::Structure => quote!(Shape::structure(#wire, &[#(#members),*])),
        SchemaKind::Union => quote!(Shape::union(#wire, &[#(#members),*])),
        SchemaKind::List => quote!(Shape::list(#wire, &[#(#members),*])),
        SchemaKind::Map => quote!(Shape::map(#wire, &[#(#members),*])),
        SchemaKind::Scalar(k) => {
            let k = ident(k.kind_name());
            quote!(Shape::scalar(#wire, Kind::#k))
        }
    };
    if let Some(f) = flags_expr(&m.flags) {
        e = quote!(#e.flags(#f));
    }
    if let Some(l) = &m.xml_name {
        e = quote!(#e.xml_name(#l));
    }
    if let Some((p, u)) = &m.xml_namespace {
        e = quote!(#e.xml_namespace(#p, #u));
    }
    if let Some(t) = m.ts_format {
        let t = ident(t.variant_name());
        e = quote!(#e.ts_format(TimestampFormat::#t));
    }
    if let Some(p) = &m.payload {
        e = quote!(#e.payload(#p));
    }
    if let Some(min) = m.min {
        e = quote!(#e.range(Some(#min), None));
    }
    if let Some((code, status)) = &m.error {
        e = quote!(#e.error(#code, #status));
    }
    if s.constructor {
        let t = ident(&s.rust);
        e = quote!(#e.constructor(::boto_runtime::value::construct::<crate::types::#t>));
    }
    e
}

/// `schema.rs`: one static per shape that needs its own.
pub fn schema_rs(ir: &Ir) -> TokenStream {
    let items = ir
        .shapes
        .values()
        .filter(|s| s.schema.prim.is_none())
        .map(|s| {
            let n = ident(&s.static_name);
            let e = shape_expr(ir, s);
            quote! { pub static #n: Shape = #e; }
        });
    quote! {
        //! Static descriptions of every shape, read by the runtime's protocol codecs.
        #[allow(unused_imports)]
        use ::boto_runtime::schema::{flags, prim, Kind, Location, Member, Shape, TimestampFormat};
        #(#items)*
    }
}

/// `Some("..")` or `None`.
fn opt_str(v: &Option<String>) -> TokenStream {
    match v {
        Some(s) => quote!(Some(#s)),
        None => quote!(None),
    }
}

/// `operations.rs`: the service static, one static per operation, and presignable inputs.
pub fn operations_rs(ir: &Ir) -> TokenStream {
    let md = &ir.service.schema;
    let (name, service_id, api, prefix, signing) = (
        &md.name,
        &md.service_id,
        &md.api_version,
        &md.endpoint_prefix,
        &md.signing_name,
    );
    let proto = ident(md.protocol.variant_name());
    let json_version = opt_str(&md.json_version);
    let target_prefix = opt_str(&md.target_prefix);
    let xml_ns = opt_str(&md.xml_namespace);
    let qc = md.query_compatible;
    let rules = match &ir.endpoint_rules {
        Some(_) => quote!(Some(&crate::endpoint_rules::RULE_SET)),
        None => quote!(None),
    };
    let client_params = &md.client_context_params;
    let contexts = super::endpoints::context_lists(ir);
    let service_errors = md.errors.iter().map(|s| target_ref(ir, s));
    let auth = md.auth.iter().map(|a| match a {
        AuthOption::SigV4 => quote!(AuthOption::SigV4),
        AuthOption::SigV4a => quote!(AuthOption::SigV4a),
        AuthOption::Bearer => quote!(AuthOption::Bearer),
        AuthOption::NoAuth => quote!(AuthOption::NoAuth),
        AuthOption::Unsupported(n) => quote!(AuthOption::Unsupported(#n)),
    });
    let millis = md.timestamp_millis;
    let discovery = match ir
        .ops
        .iter()
        .find(|op| op.schema.flags.contains(&OpFlag::DiscoveryOperation))
    {
        Some(op) => {
            let n = ident(&op.static_name);
            quote!(Some(&#n))
        }
        None => quote!(None),
    };
    let ops = ir.ops.iter().map(|op| {
        let m = &op.schema;
        let n = ident(&op.static_name);
        let wire = &op.wire;
        let mut e = quote!(Operation::new(#wire));
        if let Some((method, uri)) = &m.http {
            e = quote!(#e.http(#method, #uri));
        }
        if let Some(c) = m.response_code {
            e = quote!(#e.response_code(#c));
        }
        if let Some(i) = &m.input {
            let t = target_ref(ir, i);
            e = quote!(#e.input(#t));
        }
        if let Some(o) = &m.output {
            let t = target_ref(ir, o);
            e = quote!(#e.output(#t));
        }
        if let Some(w) = &m.result_wrapper {
            e = quote!(#e.result_wrapper(#w));
        }
        if !m.errors.is_empty() {
            let errs = m.errors.iter().map(|r| target_ref(ir, r));
            e = quote!(#e.errors(&[#(#errs),*]));
        }
        if let Some(h) = &m.host_prefix {
            e = quote!(#e.host_prefix(#h));
        }
        if let Some((n, ns)) = &m.input_xml {
            let ns = match ns {
                Some((p, u)) => quote!(Some((#p, #u))),
                None => quote!(None),
            };
            e = quote!(#e.input_xml(#n, #ns));
        }
        if let Some(m) = &m.checksum_algorithm_member {
            e = quote!(#e.checksum_algorithm_member(#m));
        }
        if let Some((member, algorithms)) = &m.checksum_validation {
            e = quote!(#e.checksum_validation(#member, &[#(#algorithms),*]));
        }
        if !m.flags.is_empty() {
            let fl = m.flags.iter().map(|f| ident(f.const_name()));
            e = quote!(#e.flags(#(op_flags::#fl)|*));
        }
        if let Some(i) = contexts
            .iter()
            .position(|c| *c == m.endpoint_params.as_slice())
            .filter(|_| ir.endpoint_rules.is_some() && !m.endpoint_params.is_empty())
        {
            let n = format_ident!("CTX{i}");
            e = quote!(#e.endpoint_params(&crate::endpoint_rules::#n));
        }
        let d = format!(" The `{wire}` operation.");
        quote! { #[doc = #d] pub static #n: Operation = #e; }
    });
    // Input types that belong to one operation know it, so a value alone can be presigned.
    let inputs = ir.ops.iter().filter(|op| op.owns_input).map(|op| {
        let t = rust_type(ir, op.input.as_deref().unwrap_or_default());
        let n = ident(&op.static_name);
        quote! {
            impl ::boto_runtime::client::OperationInput for #t {
                fn operation() -> &'static Operation { &#n }
            }
        }
    });
    quote! {
        //! Static descriptions of the service and each operation.
        #[allow(unused_imports)]
        use crate::schema::*;
        #[allow(unused_imports)]
        use ::boto_runtime::schema::{op_flags, prim, AuthOption, Operation, Protocol, Service};
        /// The service's metadata.
        pub static SERVICE: Service = Service {
            name: #name,
            service_id: #service_id,
            api_version: #api,
            endpoint_prefix: #prefix,
            signing_name: #signing,
            protocol: Protocol::#proto,
            json_version: #json_version,
            target_prefix: #target_prefix,
            xml_namespace: #xml_ns,
            query_compatible: #qc,
            rules: #rules,
            client_context_params: &[#(#client_params),*],
            errors: &[#(#service_errors),*],
            auth: &[#(#auth),*],
            timestamp_millis: #millis,
            discovery: #discovery,
        };
        #(#ops)*
        #(#inputs)*
    }
}
