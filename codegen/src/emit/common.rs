//! What every part of emit shares: identifiers, doc attributes and the Rust type of a shape.

use crate::ir::{FieldForm, Ir, MemberIr, ScalarKind, ShapeKind};
use proc_macro2::{Ident, Span, TokenStream};
use quote::quote;

/// An identifier, raw (`r#type`) when written so.
pub fn ident(s: &str) -> Ident {
    match s.strip_prefix("r#") {
        Some(raw) => Ident::new_raw(raw, Span::call_site()),
        None => Ident::new(s, Span::call_site()),
    }
}

/// Doc attributes for Markdown lines.
pub fn docs(lines: &[String]) -> TokenStream {
    let lines = lines.iter().map(|l| format!(" {l}"));
    quote! { #( #[doc = #lines] )* }
}

/// The Rust type of a model shape, as generated (`crate::types::X`, `Vec<..>`, ...).
pub fn rust_type(ir: &Ir, shape: &str) -> TokenStream {
    let Some(s) = ir.shapes.get(shape) else {
        return quote!(());
    };
    match s.kind {
        ShapeKind::Structure | ShapeKind::Union | ShapeKind::Enum => {
            let n = ident(&s.rust);
            quote!(crate::types::#n)
        }
        ShapeKind::List => {
            let inner = rust_type(ir, s.item().expect("list member"));
            quote!(::std::vec::Vec<#inner>)
        }
        ShapeKind::Map => {
            let inner = rust_type(ir, s.item().expect("map value"));
            quote!(::std::collections::HashMap<::std::string::String, #inner>)
        }
        ShapeKind::Scalar(k) => match k {
            ScalarKind::String => quote!(::std::string::String),
            ScalarKind::Boolean => quote!(bool),
            ScalarKind::Byte => quote!(i8),
            ScalarKind::Short => quote!(i16),
            ScalarKind::Integer => quote!(i32),
            ScalarKind::Long => quote!(i64),
            ScalarKind::Float => quote!(f32),
            ScalarKind::Double => quote!(f64),
            ScalarKind::Timestamp => quote!(::boto_runtime::DateTime),
            ScalarKind::Blob => quote!(::boto_runtime::Blob),
            ScalarKind::Document => quote!(::boto_runtime::Document),
        },
    }
}

/// The type of a structure member's field, as declared.
pub fn field_type(ir: &Ir, m: &MemberIr) -> TokenStream {
    let t = rust_type(ir, &m.target);
    match m.form {
        FieldForm::Stream { always: true } => quote!(::boto_runtime::ByteStream),
        FieldForm::Stream { always: false } => {
            quote!(::std::option::Option<::boto_runtime::ByteStream>)
        }
        FieldForm::EventStream => quote!(::boto_runtime::EventStream<#t>),
        FieldForm::InputEventStream => quote!(::boto_runtime::InputEvents<#t>),
        FieldForm::Boxed => quote!(::std::option::Option<::std::boxed::Box<#t>>),
        FieldForm::Plain => quote!(::std::option::Option<#t>),
    }
}
