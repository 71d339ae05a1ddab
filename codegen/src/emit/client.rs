//! `lib.rs` and `client.rs`: the crate root with its error enum, and the client.

use super::common::{docs, ident, rust_type};
use super::pagwait::client_methods;
use crate::ir::pagwait::{PaginatorIr, WaiterIr};
use crate::ir::{Ir, ShapeIr};
use proc_macro2::{Ident, TokenStream};
use quote::quote;

/// `lib.rs`: modules, re-exports and the error enum.
pub fn lib_rs(ir: &Ir, paginators: bool, waiters: bool, resources: bool) -> TokenStream {
    let title = ir.service.title.clone();
    let mut doc_lines = vec![
        format!("{title}: a typed boto-rs client, generated from botocore's `{}` model (API version {}).", ir.crate_name, ir.service.api_version),
        String::new(),
        format!("Create a [`Client`] from a [`boto_runtime::Session`]; each operation is an async method named as in boto3. Types are in [`types`]."),
    ];
    if !ir.service.docs.is_empty() {
        doc_lines.push(String::new());
        doc_lines.extend(ir.service.docs.iter().cloned());
    }
    let lines = doc_lines.iter().map(|l| format!(" {l}"));
    let errors = errors_enum(ir);
    let pag_mod = if !paginators {
        quote!()
    } else {
        quote!(
            pub mod paginators;
        )
    };
    let wait_mod = if !waiters {
        quote!()
    } else {
        quote!(
            pub mod waiters;
        )
    };
    let rules_mod = if ir.endpoint_rules.is_some() {
        quote!(
            pub mod endpoint_rules;
        )
    } else {
        quote!()
    };
    let res_mod = if resources {
        quote!(
            pub mod resource;
            pub use resource::ServiceResource;
        )
    } else {
        quote!()
    };
    quote! {
        #( #![doc = #lines] )*
        #![allow(clippy::all)]

        mod client;
        #rules_mod
        pub mod operations;
        #pag_mod
        pub mod schema;
        pub mod types;
        #wait_mod
        #res_mod

        pub use client::Client;
        pub use ::boto_runtime::{ByteStream, Session};

        #errors
    }
}

/// `Error`: the service's modeled exceptions as one enum, taken from a [`boto_runtime::Error`].
fn errors_enum(ir: &Ir) -> TokenStream {
    let title = ir.service.title.clone();
    let exceptions: Vec<&ShapeIr> = ir.error_enum.iter().map(|n| &ir.shapes[n]).collect();
    let vars: Vec<Ident> = exceptions.iter().map(|s| ident(&s.rust)).collect();
    let tys: Vec<Ident> = vars.clone();
    let vdocs = exceptions
        .iter()
        .map(|s| format!(" The `{}` error.", s.wire));
    let doc = format!(
        " The modeled errors of {title}. Every call returns a [`boto_runtime::Error`]; when the service sent one of these, `Error::try_from(&err)` (or [`Error::from_error`]) gives it typed."
    );
    quote! {
        #[doc = #doc]
        #[derive(Debug, Clone, PartialEq)]
        #[non_exhaustive]
        pub enum Error {
            #( #[doc = #vdocs] #vars(crate::types::#tys), )*
        }
        impl Error {
            /// The modeled error `err` carries, if it is one of this service's.
            pub fn from_error(err: &::boto_runtime::Error) -> ::std::option::Option<Self> {
                let m = err.modeled()?;
                #( if let ::std::option::Option::Some(e) = m.downcast_ref::<crate::types::#tys>() {
                    return ::std::option::Option::Some(Error::#vars(e.clone()));
                } )*
                let _ = m;
                ::std::option::Option::None
            }
        }
        impl ::std::convert::TryFrom<&::boto_runtime::Error> for Error {
            type Error = ();
            fn try_from(err: &::boto_runtime::Error) -> ::std::result::Result<Self, ()> {
                Error::from_error(err).ok_or(())
            }
        }
    }
}

/// `client.rs`: a method per operation, paginator and waiter.
pub fn client_rs(ir: &Ir, paginators: &[PaginatorIr], waiters: &[WaiterIr]) -> TokenStream {
    let title = ir.service.title.clone();
    let cdoc =
        format!(" A client for {title}; cheap to clone, shares the session's connection pool.");
    let methods = ir.ops.iter().map(|op| {
        let m = ident(&op.method);
        let st = ident(&op.static_name);
        let d = docs(&op_docs(ir, op, paginators, waiters));
        let out = match &op.output {
            Some(o) => rust_type(ir, o),
            None => quote!(()),
        };
        match &op.input {
            Some(i) => {
                let t = rust_type(ir, i);
                quote! {
                    #d
                    pub fn #m(&self, input: #t) -> ::boto_runtime::OpFuture<#out> {
                        self.handle.send(&crate::operations::#st, input)
                    }
                }
            }
            None => quote! {
                #d
                pub fn #m(&self) -> ::boto_runtime::OpFuture<#out> {
                    self.handle.send_without_input(&crate::operations::#st)
                }
            },
        }
    });
    let pw = client_methods(paginators, waiters, ir);
    let extra = extra_client_methods(&ir.crate_name);
    quote! {
        //! The service client.
        #[doc = #cdoc]
        #[derive(Clone, Debug)]
        pub struct Client {
            handle: ::boto_runtime::ClientHandle,
        }
        impl ::std::convert::From<::boto_runtime::ClientHandle> for Client {
            fn from(handle: ::boto_runtime::ClientHandle) -> Self { Client { handle } }
        }
        impl Client {
            /// A client using the session's region, credentials and endpoint.
            pub fn new(session: &::boto_runtime::Session) -> Self { Self::builder(session).build() }
            /// A builder to override the region or endpoint for this client.
            pub fn builder(session: &::boto_runtime::Session) -> ::boto_runtime::ClientBuilder<Self> {
                ::boto_runtime::ClientBuilder::new(session, &crate::operations::SERVICE)
            }
            /// The runtime handle (endpoint, session) behind this client.
            pub fn handle(&self) -> &::boto_runtime::ClientHandle { &self.handle }
            #(#pw)*
            /// A presigned request for an operation's input (boto3's `generate_presigned_url`): the
            /// URL, valid for `expires_in`, works with any HTTP client.
            pub async fn presign<I: ::boto_runtime::client::OperationInput>(
                &self,
                input: I,
                expires_in: ::std::time::Duration,
            ) -> ::std::result::Result<::boto_runtime::client::PresignedRequest, ::boto_runtime::Error> {
                self.handle.presign(I::operation(), input, expires_in).await
            }
            #extra
            #(#methods)*
        }
    }
}

/// An operation method's documentation: the model's, then the input's required members, the
/// modeled errors, and the paginator and waiters that call the operation, each linked.
fn op_docs(
    ir: &Ir,
    op: &crate::ir::OpIr,
    paginators: &[PaginatorIr],
    waiters: &[WaiterIr],
) -> Vec<String> {
    let mut lines = op.docs.clone();
    let mut push = |line: String| {
        if !lines.is_empty() {
            lines.push(String::new());
        }
        lines.push(line);
    };
    if let Some(input) = op.input.as_ref().and_then(|i| ir.shapes.get(i)) {
        let required: Vec<String> = input
            .members
            .iter()
            .filter(|m| m.required)
            .map(|m| match m.field.strip_prefix("r#") {
                // Intra-doc links cannot name a raw identifier: the type stands in.
                Some(shown) => format!("[`{shown}`](crate::types::{})", input.rust),
                None => format!("[`{0}`](crate::types::{1}::{0})", m.field, input.rust),
            })
            .collect();
        if !required.is_empty() {
            push(format!("**Required input:** {}.", required.join(", ")));
        }
    }
    let errors: Vec<String> = op
        .schema
        .errors
        .iter()
        .filter(|e| ir.error_enum.contains(e))
        .filter_map(|e| ir.shapes.get(e))
        .map(|s| format!("[`{0}`](crate::Error::{0})", s.rust))
        .collect();
    if !errors.is_empty() {
        push(format!(
            "**Modeled errors** (typed by [`Error`](crate::Error)): {}.",
            errors.join(", ")
        ));
    }
    for p in paginators.iter().filter(|p| p.op == op.wire) {
        push(format!("**Paginator:** [`{0}`](Self::{0}).", p.method));
    }
    let used_by: Vec<String> = waiters
        .iter()
        .filter(|w| w.op == op.wire)
        .map(|w| format!("[`{0}`](Self::{0})", w.method))
        .collect();
    if !used_by.is_empty() {
        push(format!("**Waiters:** {}.", used_by.join(", ")));
    }
    lines
}

/// botocore's database token methods for rds and dsql and S3's presigned POST (see
/// [`crate::customize::extra_client_methods`]); other services have none.
fn extra_client_methods(crate_name: &str) -> TokenStream {
    match crate_name {
        "rds" => quote! {
            /// An IAM database authentication token for `db_hostname:port` and `db_username`
            /// (boto3's `generate_db_auth_token`): a presigned `connect` URL without its scheme,
            /// valid for 15 minutes, signed for `region` (the client's when `None`).
            pub async fn generate_db_auth_token(
                &self,
                db_hostname: &str,
                port: u16,
                db_username: &str,
                region: ::std::option::Option<&str>,
            ) -> ::std::result::Result<::std::string::String, ::boto_runtime::Error> {
                self.handle
                    .db_auth_token(
                        &::std::format!("{db_hostname}:{port}"),
                        &[("Action", "connect"), ("DBUser", db_username)],
                        "rds-db",
                        region,
                        ::std::time::Duration::from_secs(900),
                    )
                    .await
            }
        },
        "dsql" => {
            let method = |name: &str, action: &str| {
                let m = ident(name);
                let doc = format!(
                    " A token for the cluster at `hostname` and the `{action}` action (boto3's \
                     `{name}`): a presigned URL without its scheme, valid for `expires_in` (boto3's \
                     default is 15 minutes), signed for `region` (the client's when `None`)."
                );
                quote! {
                    #[doc = #doc]
                    pub async fn #m(
                        &self,
                        hostname: &str,
                        region: ::std::option::Option<&str>,
                        expires_in: ::std::time::Duration,
                    ) -> ::std::result::Result<::std::string::String, ::boto_runtime::Error> {
                        self.handle
                            .db_auth_token(hostname, &[("Action", #action)], "dsql", region, expires_in)
                            .await
                    }
                }
            };
            let a = method("generate_db_connect_auth_token", "DbConnect");
            let b = method("generate_db_connect_admin_auth_token", "DbConnectAdmin");
            quote!(#a #b)
        }
        "s3" => quote! {
            /// A presigned POST for `key` in `bucket` (boto3's `generate_presigned_post`): the URL
            /// and form fields with which any HTTP client, a browser's form included, uploads a
            /// file there (the file's field, `file`, last) until `expires_in` has passed (boto3's
            /// default is an hour). `fields` are added to the form as they are (`acl`,
            /// `Content-Type`, `x-amz-meta-*`, ...), each needing a condition; a key ending in
            /// `${filename}` takes the uploaded file's name. Nothing is sent.
            pub async fn generate_presigned_post(
                &self,
                bucket: &str,
                key: &str,
                fields: &[(::std::string::String, ::std::string::String)],
                conditions: &[::boto_runtime::auth::post::PostCondition],
                expires_in: ::std::time::Duration,
            ) -> ::std::result::Result<::boto_runtime::auth::post::PresignedPost, ::boto_runtime::Error> {
                let input = crate::types::CreateBucketRequest {
                    bucket: ::std::option::Option::Some(bucket.into()),
                    ..::std::default::Default::default()
                };
                self.handle
                    .presigned_post(
                        &crate::operations::OP_CREATE_BUCKET,
                        input,
                        bucket,
                        key,
                        fields,
                        conditions,
                        expires_in,
                    )
                    .await
            }
        },
        _ => quote!(),
    }
}
