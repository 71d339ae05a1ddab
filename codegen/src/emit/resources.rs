//! boto3's resource layer (`resources-1.json`): the service resource and one type per resource,
//! with identifiers, lazily loaded attributes, `load`/`reload`, actions (returning resources where
//! the model says so), references, subresources, collections with their batch actions, and
//! resource waiters. Each load, action, reference and collection is a static description; the
//! methods are one-line calls into `boto_runtime::resource`, which does the work. Everything is
//! decided in the lowered [`ResourceItems`]; this module only writes them.

use super::common::{field_type, rust_type};
use crate::ir::naming;
use crate::ir::resource_items::{
    BatchCollectionIr, DynamoDbForm, IdSrcIr, KindIr, MethodIr, ParamIr, PickIr, RequestIr,
    ResourceItems, ResourceTypeIr, SrcIr, StaticIr, StaticValue, SubValue, TransferCallIr,
    TransferForm,
};
use crate::ir::Ir;
use crate::jmespath;
use proc_macro2::{Ident, TokenStream};
use quote::quote;

/// An identifier for a snake-case name, raw when it is a keyword.
fn ident(s: &str) -> Ident {
    super::common::ident(&naming::ident_text(s))
}

const RT: &str = "::boto_runtime::resource";

/// `crate::types::X` written `t::X`.
fn short(t: TokenStream) -> TokenStream {
    let text = t.to_string().replace("crate :: types ::", "t ::");
    text.parse().unwrap_or(t)
}

/// An unsuffixed integer literal.
fn lit(k: usize) -> proc_macro2::Literal {
    proc_macro2::Literal::usize_unsuffixed(k)
}

/// A generated type, as `t::X` (the module imports `crate::types as t`).
fn ty(ir: &Ir, shape: &str) -> TokenStream {
    short(rust_type(ir, shape))
}

/// An output type: `()` without an output shape.
fn out_ty(ir: &Ir, shape: &Option<String>) -> TokenStream {
    match shape {
        Some(o) => ty(ir, o),
        None => quote!(()),
    }
}

/// `Some(new::<T>)` for a shape, else `None`.
fn new_fn(ir: &Ir, shape: &Option<String>) -> TokenStream {
    match shape {
        Some(s) => {
            let t = ty(ir, s);
            quote!(Some(new::<#t>))
        }
        None => quote!(None),
    }
}

/// A reference to the named static.
fn st(name: &str) -> TokenStream {
    let n = ident(name);
    quote!(&#n)
}

/// An optional reference to a static.
fn opt_st(name: &Option<String>) -> TokenStream {
    match name {
        Some(n) => {
            let r = st(n);
            quote!(Some(#r))
        }
        None => quote!(None),
    }
}

/// A `Request` value.
fn request(r: &RequestIr) -> TokenStream {
    let op = ident(&r.op_static);
    let params = match &r.params {
        Some(p) => st(p),
        None => quote!(&[]),
    };
    quote!(Request(&op::#op, #params))
}

/// A `&[Param]` value.
fn params(ps: &[ParamIr]) -> TokenStream {
    let out = ps.iter().map(|p| {
        let target = &p.target;
        let src = match &p.src {
            SrcIr::Id(k) => {
                let k = lit(*k);
                quote!(Src::Id(#k))
            }
            SrcIr::Data(e) => {
                let e = st(e);
                quote!(Src::Data(#e))
            }
            SrcIr::Str(v) => quote!(Src::Str(#v)),
            SrcIr::Int(v) => quote!(Src::Int(#v)),
            SrcIr::Bool(v) => quote!(Src::Bool(#v)),
        };
        quote!(Param(#target, #src))
    });
    quote!(&[#(#out),*])
}

/// A named static's type and value.
fn value(ir: &Ir, v: &StaticValue) -> (TokenStream, TokenStream) {
    match v {
        StaticValue::Path(ast) => (quote!(Expr), jmespath::tokens_with(ast, &quote!(Expr))),
        StaticValue::Params(ps) => (quote!(&[Param]), params(ps)),
        StaticValue::Build(b) => {
            let k = ident(&b.kind_static);
            let values = b.ids.iter().map(|s| match s {
                IdSrcIr::Input => quote!(IdSrc::Input),
                IdSrcIr::Response(e) => {
                    let e = st(e);
                    quote!(IdSrc::Response(#e))
                }
                IdSrcIr::EachRequest(e) => {
                    let e = st(e);
                    quote!(IdSrc::EachRequest(#e))
                }
                IdSrcIr::Request(e) => {
                    let e = st(e);
                    quote!(IdSrc::Request(#e))
                }
                IdSrcIr::Id(k) => {
                    let k = lit(*k);
                    quote!(IdSrc::Id(#k))
                }
                IdSrcIr::Data(e) => {
                    let e = st(e);
                    quote!(IdSrc::Data(#e))
                }
            });
            let path = opt_st(&b.path);
            (
                quote!(Build),
                quote!(Build { kind: &#k, ids: &[#(#values),*], path: #path }),
            )
        }
        StaticValue::Action(r, b) => {
            let (r, b) = (request(r), opt_st(b));
            (quote!(Action), quote!(Action(#r, #b)))
        }
        StaticValue::Collection {
            request: r,
            output,
            paginator,
            build,
        } => {
            let r = request(r);
            let o = ty(ir, output);
            let pag = match paginator {
                Some(p) => {
                    let n = ident(p);
                    quote!(Some(&crate::paginators::#n))
                }
                None => quote!(None),
            };
            let b = st(build);
            (
                quote!(CollectionSpec),
                quote!(CollectionSpec { request: #r, output: new::<#o>, paginator: #pag, build: #b }),
            )
        }
        StaticValue::Request(r) => (quote!(Request), request(r)),
        StaticValue::Load {
            request: r,
            input,
            output,
            pick,
        } => {
            let r = request(r);
            let input = new_fn(ir, input);
            let output = ty(ir, output);
            let pick = match pick {
                PickIr::Find(e, m) => {
                    let e = st(e);
                    quote!(Pick::Find(#e, #m))
                }
                PickIr::Copy(c) => {
                    let pairs = c.iter().map(|(a, b)| quote!((#a, #b)));
                    quote!(Pick::Copy(&[#(#pairs),*]))
                }
                PickIr::Path(e, path) => {
                    let e = st(e);
                    quote!(Pick::Path(#e, #path))
                }
            };
            (
                quote!(Load),
                quote!(Load { request: #r, input: #input, output: new::<#output>, pick: #pick }),
            )
        }
    }
}

/// A `Kind` static.
fn kind_static(ir: &Ir, k: &KindIr) -> TokenStream {
    let n = ident(&k.name);
    let name = &k.wire;
    let ids = &k.identifiers;
    let load = opt_st(&k.load);
    let data = new_fn(ir, &k.data);
    quote! {
        static #n: Kind = Kind { name: #name, identifiers: &[#(#ids),*], load: #load, data: #data };
    }
}

/// The s3 operations the transfer helpers use, as one static.
fn transfer_static(ir: &Ir, calls: &[TransferCallIr]) -> TokenStream {
    let fields = calls.iter().map(|c| {
        let f = ident(&c.field);
        let op = ident(&c.op_static);
        let (i, o) = (ty(ir, &c.input), ty(ir, &c.output));
        quote!(#f: Call { op: &op::#op, input: new::<#i>, output: new::<#o> })
    });
    quote! {
        static TRANSFER: ::boto_runtime::transfer::S3Ops = {
            use ::boto_runtime::transfer::{Call, S3Ops};
            S3Ops { #(#fields),* }
        };
    }
}

/// A private static.
fn static_item(ir: &Ir, s: &StaticIr) -> TokenStream {
    match s {
        StaticIr::Kind(k) => kind_static(ir, k),
        StaticIr::Transfer(calls) => transfer_static(ir, calls),
        StaticIr::Value { name, value: v } => {
            let n = ident(name);
            let (t, v) = value(ir, v);
            quote!(static #n: #t = #v;)
        }
    }
}

/// One method of a resource type or the service resource; `data` is the resource's data shape.
fn method(ir: &Ir, m: &MethodIr, data: Option<&str>) -> TokenStream {
    match m {
        MethodIr::Action {
            method,
            name,
            op,
            input,
            output,
            action,
            returns,
        } => {
            let a = st(action);
            let (arg, pass) = match input {
                Some(i) => {
                    let i = ty(ir, i);
                    (quote!(input: #i), quote!(input))
                }
                None => (quote!(), quote!(())),
            };
            let o = out_ty(ir, output);
            let (ret, call) = match returns {
                Some((t, true)) => {
                    let t = ident(t);
                    (quote!(Vec<#t>), quote!(act_many::<_, #o, _>))
                }
                Some((t, false)) => {
                    let t = ident(t);
                    (quote!(#t), quote!(act_one::<_, #o, _>))
                }
                None => (o, quote!(act)),
            };
            let m = ident(method);
            let doc = format!(
                " The `{name}` action: calls `{op}` with this resource's identifiers filled in."
            );
            quote! {
                #[doc = #doc]
                #[inline]
                pub fn #m(&self, #arg) -> Pending<#ret> {
                    self.0.#call(#a, #pass)
                }
            }
        }
        MethodIr::Subresource {
            method,
            ty,
            rust,
            kind_static,
            args,
            parent,
            values,
        } => {
            let args = args.iter().map(|a| {
                let a = ident(a);
                quote!(#a: impl Into<String>)
            });
            let parent = parent.iter().map(|k| lit(*k));
            let values = values.iter().map(|v| match v {
                SubValue::Parent(k) => {
                    let k = lit(*k);
                    quote!(self.0.id(#k).to_string())
                }
                SubValue::Arg(a) => {
                    let a = ident(a);
                    quote!(#a.into())
                }
            });
            let t = ident(rust);
            let k = ident(kind_static);
            let m = ident(method);
            let doc = format!(" The `{ty}` with these identifiers (no request is sent).");
            quote! {
                #[doc = #doc]
                #[inline]
                pub fn #m(&self, #(#args),*) -> #t {
                    #t(self.0.sub(&#k, &[#(#parent),*], [#(#values),*]))
                }
            }
        }
        MethodIr::Reference {
            method,
            name,
            ty,
            rust,
            build,
            plural,
        } => {
            let b = st(build);
            let t = ident(rust);
            let m = ident(method);
            let doc = format!(" The `{name}` reference: the `{ty}` named in this resource's data (loads it on first use).");
            if *plural {
                quote! {
                    #[doc = #doc]
                    #[inline]
                    pub fn #m(&self) -> Pending<Vec<#t>> { self.0.references(#b) }
                }
            } else {
                quote! {
                    #[doc = #doc]
                    #[inline]
                    pub fn #m(&self) -> Pending<::std::option::Option<#t>> { self.0.reference(#b) }
                }
            }
        }
        MethodIr::Collection {
            method,
            name,
            ty: wire_ty,
            op,
            input,
            spec,
            rust,
            wrapper,
        } => {
            let c = st(spec);
            let i = ty(ir, input);
            let t = ident(rust);
            let m = ident(method);
            let doc = format!(
                " The `{name}` collection: `{wire_ty}` resources from `{op}` (nothing is sent until it is read)."
            );
            match wrapper {
                Some(w) => {
                    let w = ident(w);
                    quote! {
                        #[doc = #doc]
                        #[inline]
                        pub fn #m(&self) -> #w<#i> { #w(self.0.collection(#c)) }
                    }
                }
                None => quote! {
                    #[doc = #doc]
                    #[inline]
                    pub fn #m(&self) -> Collection<#i, #t> { self.0.collection(#c) }
                },
            }
        }
        MethodIr::Waiter {
            method,
            waiter,
            waiter_static,
            input,
            output,
            params,
        } => {
            let s = ident(waiter_static);
            let p = st(params);
            let i = ty(ir, input);
            let o = out_ty(ir, output);
            let m = ident(method);
            let doc = format!(" Waits until the client's `{waiter}` waiter succeeds for this resource (boto3's `{method}`): set `.delay(..)` or `.max_attempts(..)`, then `.await`.");
            quote! {
                #[doc = #doc]
                #[inline]
                pub fn #m(&self) -> ::boto_runtime::waiter::Waiter<#i, #o> {
                    self.0.waiter(&crate::waiters::#s, #p)
                }
            }
        }
        MethodIr::Transfer(form) => transfer_methods(*form),
        MethodIr::DynamoDbItem {
            method,
            name,
            op_static,
            input,
            output,
            form,
        } => dynamodb_item(ir, (method, name), op_static, (input, output), *form),
        MethodIr::BatchWriter {
            op_static,
            input,
            output,
        } => {
            let (op, i, o) = (ident(op_static), ty(ir, input), ty(ir, output));
            let doc = " boto3's `batch_writer()`: puts and deletes of native items buffered and sent 25 to a `BatchWriteItem`, unprocessed ones sent again with a growing pause; `.overwrite_by_pkeys(..)` keeps the last write per key. Finish with `close().await`.";
            quote! {
                #[doc = #doc]
                #[inline]
                pub fn batch_writer(&self) -> ::boto_runtime::dynamodb::BatchWriter<#i, #o> {
                    ::boto_runtime::dynamodb::BatchWriter::new(&self.0, &op::#op)
                }
            }
        }
        MethodIr::Attribute(a) => {
            let shape_name = data.unwrap_or_default();
            let m = &ir.shapes[shape_name].members[a.member];
            let fty = short(field_type(ir, m));
            let mi = ident(&a.method);
            match a.alias {
                Some(k) => {
                    let kl = lit(k);
                    quote! {
                        #[doc = " An alias of the identifier: no request is sent."]
                        #[inline]
                        pub fn #mi(&self) -> Pending<#fty> { self.0.alias(#kl) }
                    }
                }
                None => {
                    let d = ty(ir, shape_name);
                    let f = ident(&m.field);
                    let doc = format!(
                        " The `{}` attribute (loads the resource on first use).",
                        m.wire
                    );
                    quote! {
                        #[doc = #doc]
                        #[inline]
                        pub fn #mi(&self) -> Pending<#fty> { self.0.attr(|d: &#d| d.#f.clone()) }
                    }
                }
            }
        }
    }
}

/// The batch-action collection type of a resource type.
fn batch_collection(ir: &Ir, c: &BatchCollectionIr) -> TokenStream {
    let t = ident(&c.item);
    let w = ident(&c.rust);
    let methods = c.actions.iter().map(|b| {
        let r = st(&b.request);
        let i = ty(ir, &b.input);
        let o = out_ty(ir, &b.output);
        let m = ident(&b.method);
        let doc = format!(
            " The `{}` batch action: one `{}` per page of the collection, with every resource of the page in it; then `input` is merged over it. Stops at the first page that gives nothing. One output per request.",
            b.name, b.op
        );
        quote! {
            #[doc = #doc]
            #[inline]
            pub fn #m(&self, input: #i) -> Pending<Vec<#o>> {
                self.0.batch(#r, input)
            }
        }
    });
    let doc = format!(
        " A collection of [`{}`] with boto3's batch actions for it.",
        c.ty
    );
    quote! {
        #[doc = #doc]
        #[derive(Clone, Debug)]
        pub struct #w<I>(Collection<I, #t>);
        impl<I: ::boto_runtime::Structure + ::std::default::Default + ::std::clone::Clone> #w<I> {
            /// The whole collection (boto3's `all()`).
            #[inline]
            pub fn all(self) -> Self { self }
            /// Adds request parameters, merged deep (lists appended) as boto3 does.
            #[inline]
            pub fn filter(self, input: I) -> Self { #w(self.0.filter(input)) }
            /// At most `n` resources in all.
            #[inline]
            pub fn limit(self, n: usize) -> Self { #w(self.0.limit(n)) }
            /// Items per request (the paginator's `PageSize`).
            #[inline]
            pub fn page_size(self, n: i64) -> Self { #w(self.0.page_size(n)) }
            /// The resources, one `Vec` per response page.
            #[inline]
            pub fn pages(&self) -> BoxStream<'static, ::boto_runtime::Result<Vec<#t>>> { self.0.pages() }
            /// The resources one by one, across pages.
            #[inline]
            pub fn stream(&self) -> BoxStream<'static, ::boto_runtime::Result<#t>> { self.0.stream() }
            #(#methods)*
        }
    }
}

/// A dynamodb `Table` item method: the native request, as boto3's transformed method.
fn dynamodb_item(
    ir: &Ir,
    (method, name): (&str, &str),
    op_static: &str,
    (input, output): (&str, &str),
    form: DynamoDbForm,
) -> TokenStream {
    let (m, op, i, o) = (
        ident(method),
        ident(op_static),
        ty(ir, input),
        ty(ir, output),
    );
    let builder = match form {
        DynamoDbForm::Batch => quote!(Batch),
        _ => quote!(Request),
    };
    let ret = quote!(::boto_runtime::dynamodb::#builder<#i, #o>);
    let start = quote!(::boto_runtime::dynamodb::#builder::new(&self.0, &op::#op));
    let ser = quote!(::boto_runtime::__serde::Serialize);
    let (doc, args, body) = match form {
        DynamoDbForm::Item => (
            " boto3's `put_item`: `item` is any `Serialize` value (a struct, a map); `.condition(..)` and `.input(..)` set the rest.",
            quote!(<T: #ser + ?Sized>(&self, item: &T)),
            quote!(#start.native("Item", item)),
        ),
        DynamoDbForm::Key => (
            " boto3's item method by key: `key` is any `Serialize` value holding the key attributes; read the answer with `.item::<T>()` / `.attributes::<T>()`.",
            quote!(<K: #ser + ?Sized>(&self, key: &K)),
            quote!(#start.native("Key", key)),
        ),
        DynamoDbForm::KeyCondition => (
            " boto3's `query`: the key condition built from `Key(..)`; `.filter(..)` adds a filter; `.await` for one page, `.pages()` or `.items::<T>()` for all.",
            quote!((&self, key_condition: ::boto_runtime::dynamodb::Condition)),
            quote!(#start.key(key_condition)),
        ),
        DynamoDbForm::Batch if name.contains("Get") => (
            " boto3's batch read with native values: `.get(table, &key)` for each key, any tables (a table's `ConsistentRead` or `ProjectionExpression` through `.input(..)`); read the items with `.responses::<T>(table)`, and what was left with `.unprocessed_keys::<K>(table)`.",
            quote!((&self)),
            start.clone(),
        ),
        DynamoDbForm::Batch => (
            " boto3's batch write with native values: `.put(table, &item)` and `.delete(table, &key)`, any tables; read what was left with `.unprocessed_writes(table)`.",
            quote!((&self)),
            start.clone(),
        ),
        DynamoDbForm::Table => (
            " boto3's `scan`: `.filter(..)` adds a filter; `.await` for one page, `.pages()` or `.items::<T>()` for all.",
            quote!((&self)),
            start.clone(),
        ),
    };
    let doc = format!(" The `{name}` action with native items:{doc}");
    quote! {
        #[doc = #doc]
        #[inline]
        pub fn #m #args -> #ret { #body }
    }
}

/// `upload_file` / `download_file` on s3 `Object`, `ObjectSummary` (this object) and `Bucket`
/// (a key in it), as boto3 injects them.
fn transfer_methods(form: TransferForm) -> TokenStream {
    let tr = quote!(::boto_runtime::transfer);
    let doc_up = " Uploads the file at `path` (boto3's `upload_file`): one `PutObject` below `config.multipart_threshold`, else a multipart upload in parts of `config.multipart_chunksize`, `config.max_concurrency` at a time (aborted if a part fails). `config.progress` is called with the bytes sent.";
    let doc_down = " Downloads into the file at `path` (boto3's `download_file`): one `GetObject` below `config.multipart_threshold`, else ranged `GetObject`s of `config.multipart_chunksize`, `config.max_concurrency` at a time, pinned to the object's ETag. The file appears complete or not at all; `config.progress` is called with the bytes received.";
    let doc_up_obj = " Uploads what `reader` gives (boto3's `upload_fileobj`): one `PutObject` when it ends below `config.multipart_threshold`, else a multipart upload whose parts are read as earlier ones go out, so that at most `config.max_concurrency` parts of `config.multipart_chunksize` are in memory (aborted if a part fails). The reader may be borrowed (`&mut file`, `&bytes[..]`).";
    let doc_down_obj = " Downloads into `writer`, in order, and gives it back (boto3's `download_fileobj`): one streamed `GetObject` below `config.multipart_threshold`, else ranged `GetObject`s, `config.max_concurrency` at a time, pinned to the object's ETag. The writer may be borrowed (`&mut vec`, `&mut file`).";
    let doc_copy = " Copies `source` here (boto3's managed `copy`): one `CopyObject` below `config.multipart_threshold`, else a multipart upload of `UploadPartCopy` ranges, `config.max_concurrency` at a time. The copy keeps the source's metadata, content headers and tags either way, unless `MetadataDirective` / `TaggingDirective` `REPLACE` in `config.extra_args` replace them.";
    // boto3's `ExtraArgs`, the same sentence on each.
    let extra = " `config.extra_args` (`TransferConfig::extra_arg`) is boto3's `ExtraArgs`.";
    let [doc_up, doc_down, doc_up_obj, doc_down_obj, doc_copy] =
        [doc_up, doc_down, doc_up_obj, doc_down_obj, doc_copy].map(|d| format!("{d}{extra}"));
    let (up, down) = match form {
        TransferForm::Object => (
            quote! {
                #[doc = #doc_up]
                #[inline]
                pub fn upload_file(&self, path: impl AsRef<::std::path::Path>, config: &#tr::TransferConfig) -> Pending<()> {
                    #tr::upload(self.0.handle(), &TRANSFER, path.as_ref(), self.0.id(0), self.0.id(1), config)
                }
            },
            quote! {
                #[doc = #doc_down]
                #[inline]
                pub fn download_file(&self, path: impl AsRef<::std::path::Path>, config: &#tr::TransferConfig) -> Pending<()> {
                    #tr::download(self.0.handle(), &TRANSFER, self.0.id(0), self.0.id(1), path.as_ref(), config)
                }
                #[doc = #doc_up_obj]
                #[inline]
                pub fn upload_fileobj<'a>(&self, reader: impl #tr::AsyncRead + ::std::marker::Unpin + ::std::marker::Send + 'a, config: &#tr::TransferConfig) -> #tr::Transfer<'a, ()> {
                    #tr::upload_obj(self.0.handle(), &TRANSFER, reader, self.0.id(0), self.0.id(1), config)
                }
                #[doc = #doc_down_obj]
                #[inline]
                pub fn download_fileobj<'a, W: #tr::AsyncWrite + ::std::marker::Unpin + ::std::marker::Send + 'a>(&self, writer: W, config: &#tr::TransferConfig) -> #tr::Transfer<'a, W> {
                    #tr::download_obj(self.0.handle(), &TRANSFER, self.0.id(0), self.0.id(1), writer, config)
                }
                #[doc = #doc_copy]
                #[inline]
                pub fn copy(&self, source: impl Into<#tr::CopySource>, config: &#tr::TransferConfig) -> Pending<()> {
                    #tr::copy(self.0.handle(), &TRANSFER, source.into(), self.0.id(0), self.0.id(1), config)
                }
            },
        ),
        TransferForm::Bucket => (
            quote! {
                #[doc = #doc_up]
                #[inline]
                pub fn upload_file(&self, path: impl AsRef<::std::path::Path>, key: &str, config: &#tr::TransferConfig) -> Pending<()> {
                    #tr::upload(self.0.handle(), &TRANSFER, path.as_ref(), self.0.id(0), key, config)
                }
            },
            quote! {
                #[doc = #doc_down]
                #[inline]
                pub fn download_file(&self, key: &str, path: impl AsRef<::std::path::Path>, config: &#tr::TransferConfig) -> Pending<()> {
                    #tr::download(self.0.handle(), &TRANSFER, self.0.id(0), key, path.as_ref(), config)
                }
                #[doc = #doc_up_obj]
                #[inline]
                pub fn upload_fileobj<'a>(&self, reader: impl #tr::AsyncRead + ::std::marker::Unpin + ::std::marker::Send + 'a, key: &str, config: &#tr::TransferConfig) -> #tr::Transfer<'a, ()> {
                    #tr::upload_obj(self.0.handle(), &TRANSFER, reader, self.0.id(0), key, config)
                }
                #[doc = #doc_down_obj]
                #[inline]
                pub fn download_fileobj<'a, W: #tr::AsyncWrite + ::std::marker::Unpin + ::std::marker::Send + 'a>(&self, key: &str, writer: W, config: &#tr::TransferConfig) -> #tr::Transfer<'a, W> {
                    #tr::download_obj(self.0.handle(), &TRANSFER, self.0.id(0), key, writer, config)
                }
                #[doc = #doc_copy]
                #[inline]
                pub fn copy(&self, source: impl Into<#tr::CopySource>, key: &str, config: &#tr::TransferConfig) -> Pending<()> {
                    #tr::copy(self.0.handle(), &TRANSFER, source.into(), self.0.id(0), key, config)
                }
            },
        ),
    };
    quote!(#up #down)
}

/// `resource.rs` for a service, from its lowered resource layer.
pub fn resources_rs(ir: &Ir, items: &ResourceItems) -> TokenStream {
    let mut types = Vec::new();
    for t in &items.types {
        types.push(resource_type(ir, t));
        if let Some(c) = &t.batch {
            types.push(batch_collection(ir, c));
        }
    }
    let service = service_resource(ir, &items.service);
    let statics = items.statics.iter().map(|s| static_item(ir, s));
    let title = &ir.service.title;
    let mdoc =
        format!(" boto3's resource layer for {title}: [`ServiceResource`] and the resource types.");
    let rt: TokenStream = RT.parse().unwrap_or_default();
    quote! {
        #![doc = #mdoc]
        #![allow(unused_imports)]
        use ::boto_runtime::jmespath::Expr;
        use crate::operations as op;
        use crate::types as t;
        use ::std::sync::Arc;
        use #rt::{new, Action, BoxStream, Build, Collection, CollectionSpec, IdSrc, Kind, Load, Param, Pending, Pick, Request, Res, Resource, Src};
        #service
        #(#types)*
        #(#statics)*
    }
}

/// The service resource, with its methods.
fn service_resource(ir: &Ir, methods: &[MethodIr]) -> TokenStream {
    let methods = methods.iter().map(|m| method(ir, m, None));
    quote! {
        /// The service resource (boto3's `session.resource(...)`): actions, collections and
        /// constructors of the resource types.
        #[derive(Clone, Debug, PartialEq, Eq, Hash)]
        pub struct ServiceResource(Res);
        static K_SERVICE_RESOURCE: Kind = Kind { name: "ServiceResource", identifiers: &[], load: None, data: None };
        impl ServiceResource {
            /// A service resource with a client of its own on `session`.
            pub fn new(session: &::boto_runtime::Session) -> Self {
                Self::from_client(&crate::Client::new(session))
            }
            /// A service resource over an existing client.
            pub fn from_client(client: &crate::Client) -> Self {
                ServiceResource(Res::new(client.handle().clone(), &K_SERVICE_RESOURCE, Vec::new()))
            }
            /// The client behind it.
            #[inline]
            pub fn client(&self) -> crate::Client {
                crate::Client::from(self.0.handle().clone())
            }
            #(#methods)*
        }
    }
}

/// A resource type: identifiers, data accessors, then its methods in order.
fn resource_type(ir: &Ir, r: &ResourceTypeIr) -> TokenStream {
    let t = ident(&r.rust);
    let mut methods = Vec::new();
    let mut new_args = Vec::new();
    let mut new_vals = Vec::new();
    for (k, id) in r.ids.iter().enumerate() {
        let mi = ident(&id.method);
        let a = ident(&id.arg);
        new_args.push(quote!(#a: impl Into<String>));
        new_vals.push(quote!(#a.into()));
        let doc = format!(" The `{}` identifier.", id.wire);
        let kl = lit(k);
        methods.push(quote! {
            #[doc = #doc]
            #[inline]
            pub fn #mi(&self) -> &str { self.0.id(#kl) }
        });
    }
    if let Some(shape) = &r.data {
        let d = ty(ir, shape);
        methods.push(quote! {
            /// Loads (or reloads) the resource's data with its load request (boto3's `load`).
            #[inline]
            pub fn load(&self) -> Pending<()> { self.0.load() }
            /// The same as [`load`](Self::load) (boto3's `reload`).
            #[inline]
            pub fn reload(&self) -> Pending<()> { self.0.load() }
            /// The resource's data, loaded on first use.
            #[inline]
            pub fn data(&self) -> Pending<Arc<#d>> { self.0.data() }
        });
    }
    methods.extend(r.methods.iter().map(|m| method(ir, m, r.data.as_deref())));
    let id_names: Vec<&str> = r.ids.iter().map(|i| i.wire.as_str()).collect();
    let doc = format!(
        " The `{}` resource: identifiers {}.",
        r.wire,
        id_names.join(", ")
    );
    let k = ident(&r.kind_static);
    quote! {
        #[doc = #doc]
        #[derive(Clone, Debug, PartialEq, Eq, Hash)]
        pub struct #t(Res);
        ::boto_runtime::impl_resource!(#t);
        impl #t {
            /// The resource with these identifiers, through `client` (no request is sent).
            #[inline]
            pub fn new(client: &crate::Client, #(#new_args),*) -> Self {
                #t(Res::new(client.handle().clone(), &#k, vec![#(#new_vals),*]))
            }
            /// The client behind it.
            #[inline]
            pub fn client(&self) -> crate::Client {
                crate::Client::from(self.0.handle().clone())
            }
            #(#methods)*
        }
    }
}
