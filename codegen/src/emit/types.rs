//! `types.rs`: a struct per structure, an enum per union and string enum.

use super::common::{docs, field_type, ident, rust_type};
use crate::ir::{Ir, ShapeIr, ShapeKind};
use proc_macro2::{Ident, Literal, TokenStream};
use quote::quote;

/// The types of `shapes` (one half of `types.rs`; the `first` carries the module doc).
pub fn types_rs(ir: &Ir, shapes: &[&ShapeIr], first: bool) -> TokenStream {
    let mut items = Vec::new();
    for s in shapes {
        match s.kind {
            ShapeKind::Structure => items.push(structure(ir, s)),
            ShapeKind::Union => items.push(union(ir, s)),
            ShapeKind::Enum => items.push(string_enum(s)),
            _ => {}
        }
    }
    let doc = if first {
        quote!(//! Input, output and data types of every operation.
        )
    } else {
        quote!()
    };
    quote! {
        #doc
        #(#items)*
    }
}

/// A struct with its `structure!` glue.
fn structure(ir: &Ir, s: &ShapeIr) -> TokenStream {
    let name = ident(&s.rust);
    let doc = docs(&s.docs);
    let schema = ident(&s.static_name);
    let fields = s.members.iter().map(|m| {
        let f = ident(&m.field);
        let t = field_type(ir, m);
        let mut lines = m.docs.clone();
        if m.required {
            if !lines.is_empty() {
                lines.push(String::new());
            }
            lines.push("Required.".into());
        }
        let d = docs(&lines);
        quote! { #d pub #f: #t, }
    });
    let idx: Vec<usize> = (0..s.members.len()).collect();
    let fnames: Vec<Ident> = s.members.iter().map(|m| ident(&m.field)).collect();
    let idx = idx.iter().map(|i| Literal::usize_unsuffixed(*i));
    // `structure!` writes `Default` as all `None`s; a struct with a field of another kind (a
    // streaming body, an event stream) derives it.
    if s.members.iter().all(|m| m.form.is_option()) {
        quote! {
            #doc
            pub struct #name { #(#fields)* }
            ::boto_runtime::structure!(#name = crate::schema::#schema { #(#idx #fnames)* });
        }
    } else {
        quote! {
            #doc
            #[derive(Default)]
            pub struct #name { #(#fields)* }
            ::boto_runtime::structure!(#name: Default = crate::schema::#schema { #(#idx #fnames)* });
        }
    }
}

/// An enum for a union, with its `Structure` glue.
fn union(ir: &Ir, s: &ShapeIr) -> TokenStream {
    let name = ident(&s.rust);
    let doc = docs(&s.docs);
    let schema = ident(&s.static_name);
    let variants: Vec<Ident> = s.members.iter().map(|m| ident(&m.field)).collect();
    let types: Vec<TokenStream> = s
        .members
        .iter()
        .map(|m| {
            let t = rust_type(ir, &m.target);
            if m.boxed {
                quote!(::std::boxed::Box<#t>)
            } else {
                t
            }
        })
        .collect();
    let vdocs = s.members.iter().map(|m| docs(&m.docs));
    let idx: Vec<Literal> = (0..s.members.len())
        .map(Literal::usize_unsuffixed)
        .collect();
    let native = crate::customize::native_attribute_value(&ir.crate_name, &s.rust)
        .then(|| quote!(::boto_runtime::attribute_value!(#name);));
    quote! {
        #doc
        #[derive(Debug, Clone, PartialEq)]
        pub enum #name {
            #( #vdocs #variants(#types), )*
            /// A member this version of the model does not know (its wire name), or none set yet (empty).
            Unknown(::std::string::String),
        }
        ::boto_runtime::union!(#name = crate::schema::#schema { #(#idx #variants)* });
        #native
    }
}

/// A string enum with its conversions.
fn string_enum(s: &ShapeIr) -> TokenStream {
    let name = ident(&s.rust);
    let doc = docs(&s.docs);
    let vars: Vec<Ident> = s.variants.iter().map(|(_, v)| ident(v)).collect();
    let vals: Vec<Literal> = s.variants.iter().map(|(v, _)| Literal::string(v)).collect();
    let vdocs = s
        .variants
        .iter()
        .map(|(v, _)| format!(" `{}`", v.replace('`', "'")));
    quote! {
        #doc
        #[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[non_exhaustive]
        pub enum #name {
            #( #[doc = #vdocs] #vars, )*
            /// A value this version of the model does not know.
            Unknown(::std::string::String),
        }
        impl #name {
            /// The wire value.
            pub fn as_str(&self) -> &str {
                match self { #( Self::#vars => #vals, )* Self::Unknown(s) => s }
            }
            /// Every value the model knows.
            pub const VALUES: &'static [&'static str] = &[#(#vals),*];
        }
        impl ::std::convert::From<&str> for #name {
            fn from(s: &str) -> Self {
                match s { #( #vals => Self::#vars, )* other => Self::Unknown(other.to_owned()) }
            }
        }
        ::boto_runtime::string_enum!(#name);
    }
}
