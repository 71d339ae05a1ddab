//! boto3's resource layer (`resources-1.json`): the service resource and one type per resource,
//! with identifiers, lazily loaded attributes, `load`/`reload`, actions (returning resources where
//! the model says so), references, subresources, collections with their batch actions, and
//! resource waiters. Each load, action, reference and collection becomes a static description;
//! the methods are one-line calls into `boto_runtime::resource`, which does the work. Names come
//! from the lowered [`ResourcesIr`].

use super::common::{field_type, rust_type};
use crate::ir::naming;
use crate::ir::pagwait::{PaginatorIr, WaiterIr};
use crate::ir::resources::{data_shape, is_reference, MethodNames, ResourcesIr, TypeNames};
use crate::ir::{Ir, OpIr};
use crate::jmespath;
use crate::model::resources::{
    ActionModel, BatchActionModel, CollectionModel, Constant, HasModel, ParamModel, RequestModel,
    ResourceModel, ResourceWaiterModel, ResponseResourceModel, ServiceResourceModel,
};
use indexmap::IndexMap;
use proc_macro2::{Ident, Span, TokenStream};
use quote::quote;
use std::collections::{HashMap, HashSet};

/// An identifier for a snake-case name, raw when it is a keyword.
fn ident(s: &str) -> Ident {
    super::common::ident(&naming::ident_text(s))
}

fn snake(s: &str) -> String {
    naming::xform_name(s)
}

/// What a method belongs to: a resource type (or the service resource).
struct Owner<'a> {
    name: &'a str,
    ids: &'a [String],
    /// The resource has a shape: `data` parameter sources can be read.
    has_data: bool,
}

struct Ctx<'a> {
    ir: &'a Ir,
    file: String,
    defs: &'a IndexMap<String, ResourceModel>,
    pags: &'a [PaginatorIr],
    waiters: &'a [WaiterIr],
    errs: &'a mut Vec<String>,
    /// The names lowering gave.
    res: &'a ResourcesIr,
    statics: Vec<TokenStream>,
    /// Statics by their type and value: equal ones are written once.
    seen: HashMap<String, Ident>,
    /// The s3 transfer operations' static is written.
    transfer_written: bool,
    counter: usize,
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

/// A path such as `Instances[]`, `[Versions,DeleteMarkers]|[]` or `Reservations[].Instances[]`
/// gives a list of values.
fn is_plural(path: &str) -> bool {
    path.contains("[]") || path.contains('|') || path.contains("[*]")
}

impl Ctx<'_> {
    fn type_names(&self, ty: &str) -> Option<&TypeNames> {
        self.res.types.get(ty)
    }

    /// The type generated for resource type `ty`.
    fn ty_ident(&self, ty: &str) -> Ident {
        ident(self.type_names(ty).map_or(ty, |t| t.rust.as_str()))
    }

    /// The batch-action collection type of resource type `ty`.
    fn collection_ident(&self, ty: &str) -> Ident {
        ident(self.type_names(ty).map_or(ty, |t| t.collection.as_str()))
    }

    /// The static describing resource type `ty`.
    fn kind_ident(&self, ty: &str) -> Ident {
        ident(self.type_names(ty).map_or(ty, |t| t.kind_static.as_str()))
    }

    fn err(&mut self, msg: String) {
        self.errs.push(format!("{}: {msg}", self.file));
    }

    fn fresh(&mut self, prefix: &str) -> Ident {
        self.counter += 1;
        Ident::new(&format!("{prefix}_{}", self.counter), Span::call_site())
    }

    /// Adds a static (or finds an equal one); returns a reference to it.
    fn add_static(&mut self, prefix: &str, ty: TokenStream, value: TokenStream) -> TokenStream {
        let key = format!("{ty}={value}");
        if let Some(n) = self.seen.get(&key) {
            return quote!(&#n);
        }
        let n = self.fresh(prefix);
        self.statics.push(quote!(static #n: #ty = #value;));
        self.seen.insert(key, n.clone());
        quote!(&#n)
    }

    fn op(&mut self, name: &str, what: &str) -> Option<OpIr> {
        let found = self.ir.ops.iter().find(|o| o.wire == name).cloned();
        if found.is_none() {
            self.err(format!("{what}: no operation {name}"));
        }
        found
    }

    /// A static for an expression; a reference to it.
    fn expr(&mut self, e: &str, what: &str) -> Option<TokenStream> {
        let ast = match jmespath::parse(e) {
            Ok(a) => a,
            Err(err) => {
                self.err(format!("{what}: path `{e}`: {err}"));
                return None;
            }
        };
        let t = jmespath::tokens_with(&ast, &quote!(Expr));
        Some(self.add_static("PATH", quote!(Expr), t))
    }

    fn shape_of(&self, res: &str) -> Option<String> {
        data_shape(self.ir, &self.res.model, res).map(str::to_string)
    }

    fn id_names(&self, res: &str) -> Vec<String> {
        self.defs
            .get(res)
            .map(|d| d.identifiers.iter().map(|i| i.name.clone()).collect())
            .unwrap_or_default()
    }

    /// A generated type, as `t::X` (the module imports `crate::types as t`).
    fn ty(&self, shape: &str) -> TokenStream {
        short(rust_type(self.ir, shape))
    }

    fn new_fn(&self, shape: &Option<String>) -> TokenStream {
        match shape {
            Some(s) => {
                let t = self.ty(s);
                quote!(Some(new::<#t>))
            }
            None => quote!(None),
        }
    }

    /// The position of identifier `name` among `ids`, as a literal; a generation error if absent.
    fn id_pos(
        &mut self,
        ids: &[String],
        name: &Option<String>,
        what: &str,
    ) -> Option<proc_macro2::Literal> {
        let name = name.as_deref().unwrap_or("");
        let k = ids.iter().position(|i| i == name);
        if k.is_none() {
            self.err(format!("{what}: no identifier {name}"));
        }
        k.map(lit)
    }

    /// `Param(..)` values for the request `params` of a load, action, batch action or waiter.
    fn params(
        &mut self,
        params: &[ParamModel],
        ids: &[String],
        what: &str,
        data: bool,
    ) -> TokenStream {
        let mut out = Vec::new();
        for p in params {
            let target = p.target.as_str();
            let src = match p.source.as_str() {
                "identifier" => match self.id_pos(ids, &p.name, what) {
                    Some(k) => quote!(Src::Id(#k)),
                    None => continue,
                },
                "data" if data => {
                    let path = p.path.as_deref().unwrap_or("");
                    match self.expr(path, what) {
                        Some(e) => quote!(Src::Data(#e)),
                        None => continue,
                    }
                }
                "string" => {
                    let v = match &p.value {
                        Some(Constant::Str(v)) => v.as_str(),
                        _ => "",
                    };
                    quote!(Src::Str(#v))
                }
                "integer" => {
                    let v = match p.value {
                        Some(Constant::Int(v)) => v,
                        _ => 0,
                    };
                    quote!(Src::Int(#v))
                }
                "boolean" => {
                    let v = matches!(p.value, Some(Constant::Bool(true)));
                    quote!(Src::Bool(#v))
                }
                "input" => continue,
                other => {
                    self.err(format!("{what}: unsupported parameter source {other:?}"));
                    continue;
                }
            };
            out.push(quote!(Param(#target, #src)));
        }
        quote!(&[#(#out),*])
    }

    /// A `Request` value for a `request` entry, and the operation.
    fn request(
        &mut self,
        req: &RequestModel,
        ids: &[String],
        what: &str,
        data: bool,
    ) -> Option<(TokenStream, OpIr)> {
        let op = self.op(&req.operation, what)?;
        let st = Ident::new(&op.static_name, Span::call_site());
        let params = self.params(&req.params, ids, what, data);
        let params = match params.to_string().as_str() {
            "& []" => params,
            _ => self.add_static("PARAMS", quote!(&[Param]), params),
        };
        let t = quote!(Request(&op::#st, #params));
        Some((t, op))
    }

    /// A static `Build` for a `ResponseResource`; its reference, the type built and whether the
    /// identifiers make a list.
    fn build(
        &mut self,
        rr: &ResponseResourceModel,
        ids: &[String],
        what: &str,
        data: bool,
    ) -> Option<(TokenStream, String, bool)> {
        let ty = rr.kind.clone();
        if !self.defs.contains_key(&ty) {
            self.err(format!("{what}: unknown resource type {ty}"));
            return None;
        }
        let mut plural = false;
        let mut values = Vec::new();
        for name in self.id_names(&ty) {
            let Some(s) = rr.identifiers.iter().find(|s| s.target == name) else {
                values.push(quote!(IdSrc::Input));
                continue;
            };
            let path = s.path.as_deref().unwrap_or("");
            plural |= is_plural(path);
            values.push(match s.source.as_str() {
                "response" => {
                    let e = self.expr(path, what)?;
                    quote!(IdSrc::Response(#e))
                }
                "requestParameter" => {
                    let e = self.expr(path, what)?;
                    if values.is_empty() && rr.cross {
                        quote!(IdSrc::EachRequest(#e))
                    } else {
                        quote!(IdSrc::Request(#e))
                    }
                }
                "identifier" => {
                    let k = self.id_pos(ids, &s.name, what)?;
                    quote!(IdSrc::Id(#k))
                }
                "data" if data => {
                    let e = self.expr(path, what)?;
                    quote!(IdSrc::Data(#e))
                }
                "input" => quote!(IdSrc::Input),
                other => {
                    self.err(format!("{what}: unsupported identifier source {other:?}"));
                    return None;
                }
            });
        }
        let path = match (self.shape_of(&ty), rr.path.as_deref()) {
            (Some(_), Some(p)) => {
                let e = self.expr(p, what)?;
                quote!(Some(#e))
            }
            _ => quote!(None),
        };

        let k = self.kind_ident(&ty);
        let b = self.add_static(
            "BUILD",
            quote!(Build),
            quote!(Build { kind: &#k, ids: &[#(#values),*], path: #path }),
        );
        Some((b, ty, plural))
    }

    /// One action method.
    fn action(
        &mut self,
        method: &str,
        name: &str,
        def: &ActionModel,
        owner: &Owner,
    ) -> Option<TokenStream> {
        let what = format!("{} action {name}", owner.name);
        let (req, op) = self.request(&def.request, owner.ids, &what, owner.has_data)?;
        let build = match &def.resource {
            Some(rr) => Some(self.build(rr, owner.ids, &what, owner.has_data)?),
            None => None,
        };
        let b = match &build {
            Some((b, _, _)) => quote!(Some(#b)),
            None => quote!(None),
        };
        let a = self.add_static("ACTION", quote!(Action), quote!(Action(#req, #b)));
        let (arg, pass) = match &op.input {
            Some(i) => {
                let i = self.ty(i);
                (quote!(input: #i), quote!(input))
            }
            None => (quote!(), quote!(())),
        };
        let o = match &op.output {
            Some(o) => self.ty(o),
            None => quote!(()),
        };
        let (ret, call) = match &build {
            Some((_, ty, true)) => {
                let t = self.ty_ident(ty);
                (quote!(Vec<#t>), quote!(act_many::<_, #o, _>))
            }
            Some((_, ty, false)) => (
                self.ty_ident(ty).into_token_stream(),
                quote!(act_one::<_, #o, _>),
            ),
            None => (o, quote!(act)),
        };
        let m = ident(method);
        let doc = format!(
            " The `{name}` action: calls `{}` with this resource's identifiers filled in.",
            op.wire
        );
        Some(quote! {
            #[doc = #doc]
            #[inline]
            pub fn #m(&self, #arg) -> Pending<#ret> {
                self.0.#call(#a, #pass)
            }
        })
    }

    /// A subresource constructor: identifiers from the parent where the model says so, the rest
    /// as arguments (matched by target name).
    fn subresource(
        &mut self,
        method: &str,
        def: &HasModel,
        ids: &[String],
        what: &str,
    ) -> Option<TokenStream> {
        let rr = &def.resource;
        let ty = rr.kind.as_str();
        if !self.defs.contains_key(ty) {
            self.err(format!("{what}: unknown type {ty}"));
            return None;
        }
        let mut args = Vec::new();
        let mut parent = Vec::new();
        let mut values = Vec::new();
        for id in self.id_names(ty) {
            let spec = rr.identifiers.iter().find(|s| s.target == id);
            let from_parent = spec.and_then(|s| {
                (s.source == "identifier")
                    .then(|| {
                        s.name
                            .as_ref()
                            .and_then(|n| ids.iter().position(|i| i == n))
                    })
                    .flatten()
            });
            match from_parent {
                Some(k) if values.is_empty() => parent.push(lit(k)),
                Some(k) => {
                    let k = lit(k);
                    values.push(quote!(self.0.id(#k).to_string()));
                }
                None => {
                    let a = ident(&snake(&id));
                    args.push(quote!(#a: impl Into<String>));
                    values.push(quote!(#a.into()));
                }
            }
        }
        let t = self.ty_ident(ty);
        let k = self.kind_ident(ty);
        let m = ident(method);
        let doc = format!(" The `{ty}` with these identifiers (no request is sent).");
        Some(quote! {
            #[doc = #doc]
            #[inline]
            pub fn #m(&self, #(#args),*) -> #t {
                #t(self.0.sub(&#k, &[#(#parent),*], [#(#values),*]))
            }
        })
    }

    /// A reference (`has` with `data` sources): built from the resource's data.
    fn reference(
        &mut self,
        method: &str,
        name: &str,
        def: &HasModel,
        owner: &Owner,
    ) -> Option<TokenStream> {
        let what = format!("{} reference {name}", owner.name);
        let (b, ty, plural) = self.build(&def.resource, owner.ids, &what, true)?;
        let t = self.ty_ident(&ty);
        let m = ident(method);
        let doc = format!(" The `{name}` reference: the `{ty}` named in this resource's data (loads it on first use).");
        Some(if plural {
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
        })
    }

    /// A collection (`hasMany`).
    fn collection(
        &mut self,
        method: &str,
        name: &str,
        def: &CollectionModel,
        owner: &Owner,
        batch: &HashSet<String>,
    ) -> Option<TokenStream> {
        let what = format!("{} collection {name}", owner.name);
        let (req, op) = self.request(&def.request, owner.ids, &what, owner.has_data)?;
        let (b, ty, _) = self.build(&def.resource, owner.ids, &what, owner.has_data)?;
        let Some(input) = &op.input else {
            self.err(format!("{what}: operation {} has no input", op.wire));
            return None;
        };
        let i = self.ty(input);
        let o = self.ty(op.output.as_deref().unwrap_or(""));
        let pag = match self.pags.iter().find(|p| p.op == op.wire) {
            Some(p) => {
                let n = Ident::new(&p.static_name, Span::call_site());
                quote!(Some(&crate::paginators::#n))
            }
            None => quote!(None),
        };
        let c = self.add_static(
            "COLLECTION",
            quote!(CollectionSpec),
            quote!(CollectionSpec { request: #req, output: new::<#o>, paginator: #pag, build: #b }),
        );
        let t = self.ty_ident(&ty);
        let m = ident(method);
        let doc = format!(
            " The `{name}` collection: `{ty}` resources from `{}` (nothing is sent until it is read).",
            op.wire
        );
        Some(if batch.contains(&ty) {
            let w = self.collection_ident(&ty);
            quote! {
                #[doc = #doc]
                #[inline]
                pub fn #m(&self) -> #w<#i> { #w(self.0.collection(#c)) }
            }
        } else {
            quote! {
                #[doc = #doc]
                #[inline]
                pub fn #m(&self) -> Collection<#i, #t> { self.0.collection(#c) }
            }
        })
    }

    /// A resource waiter: the client's waiter with parameters from identifiers.
    fn waiter(
        &mut self,
        method: &str,
        name: &str,
        def: &ResourceWaiterModel,
        owner: &Owner,
    ) -> Option<TokenStream> {
        let what = format!("{} waiter {name}", owner.name);
        let wname = def.waiter_name.as_str();
        let Some(w) = self.waiters.iter().find(|w| w.name == wname) else {
            self.err(format!("{what}: no waiter {wname} in waiters-2.json"));
            return None;
        };
        let (st, op_name) = (Ident::new(&w.static_name, Span::call_site()), w.op.clone());
        let op = self.op(&op_name, &what)?;
        let params = self.params(&def.params, owner.ids, &what, false);
        let p = self.add_static("WAITER_PARAMS", quote!(&[Param]), params);
        let i = self.ty(op.input.as_deref().unwrap_or(""));
        let o = match &op.output {
            Some(o) => self.ty(o),
            None => quote!(()),
        };
        let m = ident(method);
        let doc = format!(" Waits until the client's `{wname}` waiter succeeds for this resource (boto3's `{method}`): set `.delay(..)` or `.max_attempts(..)`, then `.await`.");
        Some(quote! {
            #[doc = #doc]
            #[inline]
            pub fn #m(&self) -> ::boto_runtime::waiter::Waiter<#i, #o> {
                self.0.waiter(&crate::waiters::#st, #p)
            }
        })
    }

    /// The batch-action collection type of resource `ty`.
    fn batch_collection(
        &mut self,
        ty: &str,
        batch_actions: &IndexMap<String, BatchActionModel>,
    ) -> TokenStream {
        let ids = self.id_names(ty);
        let t = self.ty_ident(ty);
        let w = self.collection_ident(ty);
        let mut methods = Vec::new();
        let empty = MethodNames::default();
        let res = self.res;
        let names = res.collections.get(ty).unwrap_or(&empty);
        for (name, bdef) in batch_actions {
            let what = format!("{ty} batch action {name}");
            let Some((req, op)) = self.request(&bdef.request, &ids, &what, true) else {
                continue;
            };
            let r = self.add_static("BATCH", quote!(Request), req);
            let i = self.ty(op.input.as_deref().unwrap_or(""));
            let o = match &op.output {
                Some(o) => self.ty(o),
                None => quote!(()),
            };
            let m = ident(&names.get("resource_batch_action", name));
            let doc = format!(
                " The `{name}` batch action: one `{}` per page of the collection, with every resource of the page in it; then `input` is merged over it. Stops at the first page that gives nothing. One output per request.",
                op.wire
            );
            methods.push(quote! {
                #[doc = #doc]
                #[inline]
                pub fn #m(&self, input: #i) -> Pending<Vec<#o>> {
                    self.0.batch(#r, input)
                }
            });
        }
        let doc = format!(" A collection of [`{ty}`] with boto3's batch actions for it.");
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
}

use quote::ToTokens;

/// The s3 operations the transfer helpers use, as one static (written once).
fn transfer_ops(ctx: &mut Ctx) -> Option<()> {
    if ctx.transfer_written {
        return Some(());
    }
    let mut fields = Vec::new();
    for op_name in [
        "PutObject",
        "CreateMultipartUpload",
        "UploadPart",
        "CompleteMultipartUpload",
        "AbortMultipartUpload",
        "HeadObject",
        "GetObject",
    ] {
        let op = ctx.op(op_name, "s3 transfer")?;
        let st = Ident::new(&op.static_name, Span::call_site());
        let (i, o) = (
            ctx.ty(op.input.as_deref().unwrap_or("")),
            ctx.ty(op.output.as_deref().unwrap_or("")),
        );
        let f = ident(&snake(op_name));
        fields.push(quote!(#f: Call { op: &op::#st, input: new::<#i>, output: new::<#o> }));
    }
    ctx.statics.push(quote! {
        static TRANSFER: ::boto_runtime::transfer::S3Ops = {
            use ::boto_runtime::transfer::{Call, S3Ops};
            S3Ops { #(#fields),* }
        };
    });
    ctx.transfer_written = true;
    Some(())
}

/// `upload_file` / `download_file` on s3 `Object`, `ObjectSummary` (this object) and `Bucket`
/// (a key in it), as boto3 injects them.
fn transfer_methods(ctx: &mut Ctx, name: &str) -> Option<TokenStream> {
    let tr = quote!(::boto_runtime::transfer);
    let doc_up = " Uploads the file at `path` (boto3's `upload_file`): one `PutObject` below `config.multipart_threshold`, else a multipart upload in parts of `config.multipart_chunksize`, `config.max_concurrency` at a time (aborted if a part fails). `config.progress` is called with the bytes sent.";
    let doc_down = " Downloads into the file at `path` (boto3's `download_file`): one `GetObject` below `config.multipart_threshold`, else ranged `GetObject`s of `config.multipart_chunksize`, `config.max_concurrency` at a time, pinned to the object's ETag. The file appears complete or not at all; `config.progress` is called with the bytes received.";
    let (up, down) = match name {
        "Object" | "ObjectSummary" => (
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
            },
        ),
        "Bucket" => (
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
            },
        ),
        _ => return None,
    };
    transfer_ops(ctx)?;
    Some(quote!(#up #down))
}

/// `resource.rs` for a service, from its `resources-1.json`.
pub fn resources_rs(
    ir: &Ir,
    res: &ResourcesIr,
    pags: &[PaginatorIr],
    waiters: &[WaiterIr],
    errs: &mut Vec<String>,
) -> Option<TokenStream> {
    let file = format!("{}/resources-1.json", ir.crate_name);
    let defs = &res.model.resources;
    let batch = &res.batch;
    let mut ctx = Ctx {
        ir,
        file,
        defs,
        pags,
        waiters,
        errs,
        res,
        statics: Vec::new(),
        seen: HashMap::new(),
        transfer_written: false,
        counter: 0,
    };
    let mut items = Vec::new();
    for (name, def) in defs {
        if let Some(t) = resource_type(&mut ctx, name, def, batch) {
            items.push(t);
        }
        if batch.contains(name) {
            items.push(ctx.batch_collection(name, &def.batch_actions));
        }
    }
    let service = service_resource(&mut ctx, &res.model.service, batch);
    let statics = std::mem::take(&mut ctx.statics);
    let title = &ir.service.title;
    let mdoc =
        format!(" boto3's resource layer for {title}: [`ServiceResource`] and the resource types.");
    let rt: TokenStream = RT.parse().unwrap_or_default();
    Some(quote! {
        #![doc = #mdoc]
        #![allow(unused_imports)]
        use ::boto_runtime::jmespath::Expr;
        use crate::operations as op;
        use crate::types as t;
        use ::std::sync::Arc;
        use #rt::{new, Action, BoxStream, Build, Collection, CollectionSpec, IdSrc, Kind, Load, Param, Pending, Pick, Request, Res, Resource, Src};
        #service
        #(#items)*
        #(#statics)*
    })
}

fn service_resource(
    ctx: &mut Ctx,
    svc: &ServiceResourceModel,
    batch: &HashSet<String>,
) -> TokenStream {
    let names = &ctx.res.service;
    let mut methods = Vec::new();
    let owner = Owner {
        name: "service",
        ids: &[],
        has_data: false,
    };
    for (name, def) in &svc.actions {
        let m = names.get("resource_action", name);
        if let Some(t) = ctx.action(&m, name, def, &owner) {
            methods.push(t);
        }
    }
    for (name, def) in &svc.has {
        let m = names.get("resource_subresource", name);
        if let Some(t) = ctx.subresource(&m, def, &[], &format!("service subresource {name}")) {
            methods.push(t);
        }
    }
    for (name, def) in &svc.has_many {
        let m = names.get("resource_collection", name);
        if let Some(t) = ctx.collection(&m, name, def, &owner, batch) {
            methods.push(t);
        }
    }
    // boto3's constructors of the resource types the service does not name.
    for ty in &names.implicit {
        let m = names.get("resource_subresource", ty);
        let def = HasModel {
            resource: ResponseResourceModel {
                kind: ty.clone(),
                ..ResponseResourceModel::default()
            },
        };
        if let Some(t) = ctx.subresource(&m, &def, &[], &format!("service subresource {ty}")) {
            methods.push(t);
        }
    }
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

/// The `Kind` static of a resource type, with its load.
fn kind_static(ctx: &mut Ctx, name: &str, def: &ResourceModel, id_names: &[String]) -> Option<()> {
    let shape = ctx.shape_of(name);
    let load = match (&def.load, &shape) {
        (Some(load), Some(_)) => {
            let what = format!("{name} load");
            let (req, op) = ctx.request(&load.request, id_names, &what, false)?;
            let input = ctx.new_fn(&op.input);
            let output = ctx.ty(op.output.as_deref().unwrap_or(""));
            let pick = if let Some(f) = &load.find {
                let e = ctx.expr(&f.path, &what)?;
                let m = &f.member;
                quote!(Pick::Find(#e, #m))
            } else if let Some(c) = &load.copy {
                let pairs = c.iter().map(|(a, b)| quote!((#a, #b)));
                quote!(Pick::Copy(&[#(#pairs),*]))
            } else {
                let path = load.path.as_deref().unwrap_or("@");
                let e = ctx.expr(if path == "$" { "@" } else { path }, &what)?;
                quote!(Pick::Path(#e, #path))
            };
            let l = ctx.add_static(
                "LOAD",
                quote!(Load),
                quote!(Load { request: #req, input: #input, output: new::<#output>, pick: #pick }),
            );
            quote!(Some(#l))
        }
        _ => quote!(None),
    };
    let data = ctx.new_fn(&shape);
    let k = ctx.kind_ident(name);
    ctx.statics.push(quote! {
        static #k: Kind = Kind { name: #name, identifiers: &[#(#id_names),*], load: #load, data: #data };
    });
    Some(())
}

fn resource_type(
    ctx: &mut Ctx,
    name: &str,
    def: &ResourceModel,
    batch: &HashSet<String>,
) -> Option<TokenStream> {
    let t = ctx.ty_ident(name);
    let ids: Vec<(String, Option<String>)> = def
        .identifiers
        .iter()
        .map(|i| (i.name.clone(), i.member_name.clone()))
        .collect();
    let id_names: Vec<String> = ids.iter().map(|(n, _)| n.clone()).collect();
    let shape = ctx.shape_of(name);
    let has_data = shape.is_some();
    kind_static(ctx, name, def, &id_names)?;
    let empty = MethodNames::default();
    let res = ctx.res;
    let names = res.resources.get(name).unwrap_or(&empty);
    let mut methods = Vec::new();

    // Identifiers.
    let mut new_args = Vec::new();
    let mut new_vals = Vec::new();
    for (k, (id, _)) in ids.iter().enumerate() {
        let m = names.get("resource_identifier", id);
        let mi = ident(&m);
        let a = ident(&snake(id));
        new_args.push(quote!(#a: impl Into<String>));
        new_vals.push(quote!(#a.into()));
        let doc = format!(" The `{id}` identifier.");
        let kl = lit(k);
        methods.push(quote! {
            #[doc = #doc]
            #[inline]
            pub fn #mi(&self) -> &str { self.0.id(#kl) }
        });
    }

    // load / reload / data.
    if let Some(shape) = &shape {
        let d = ctx.ty(shape);
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

    let owner = Owner {
        name,
        ids: &id_names,
        has_data,
    };
    // Actions.
    for (aname, adef) in &def.actions {
        let m = names.get("resource_action", aname);
        if let Some(tk) = ctx.action(&m, aname, adef, &owner) {
            methods.push(tk);
        }
    }
    // Subresources, then references, collections and waiters (boto3 registers their names in
    // this order, before attributes, which are renamed around them).
    let has = &def.has;
    for (hname, hdef) in has.iter().filter(|(_, h)| !is_reference(h)) {
        let m = names.get("resource_subresource", hname);
        let what = format!("{name} subresource {hname}");
        if let Some(tk) = ctx.subresource(&m, hdef, &id_names, &what) {
            methods.push(tk);
        }
    }
    for (hname, hdef) in has.iter().filter(|(_, h)| is_reference(h)) {
        let m = names.get("resource_reference", hname);
        if let Some(tk) = ctx.reference(&m, hname, hdef, &owner) {
            methods.push(tk);
        }
    }
    for (cname, cdef) in &def.has_many {
        let m = names.get("resource_collection", cname);
        if let Some(tk) = ctx.collection(&m, cname, cdef, &owner, batch) {
            methods.push(tk);
        }
    }
    for (wname, wdef) in &def.waiters {
        let m = names.get("resource_waiter", wname);
        if let Some(tk) = ctx.waiter(&m, wname, wdef, &owner) {
            methods.push(tk);
        }
    }

    // boto3's s3 transfer methods.
    if ctx.ir.crate_name == "s3" {
        if let Some(t) = transfer_methods(ctx, name) {
            methods.push(t);
        }
    }

    // Attributes.
    if let Some(shape_name) = &shape {
        let shape = &ctx.ir.shapes[shape_name];
        let d = ctx.ty(shape_name);
        for a in &names.attributes {
            let m = &shape.members[a.member];
            let ty = short(field_type(ctx.ir, m));
            let mi = ident(&a.method);
            let f = ident(&m.field);
            let doc = format!(
                " The `{}` attribute (loads the resource on first use).",
                m.wire
            );
            methods.push(match a.alias {
                Some(k) => {
                    let kl = lit(k);
                    quote! {
                        #[doc = " An alias of the identifier: no request is sent."]
                        #[inline]
                        pub fn #mi(&self) -> Pending<#ty> { self.0.alias(#kl) }
                    }
                }
                None => quote! {
                    #[doc = #doc]
                    #[inline]
                    pub fn #mi(&self) -> Pending<#ty> { self.0.attr(|d: &#d| d.#f.clone()) }
                },
            });
        }
    }

    let doc = format!(
        " The `{name}` resource: identifiers {}.",
        id_names.join(", ")
    );
    let k = ctx.kind_ident(name);
    Some(quote! {
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
    })
}
