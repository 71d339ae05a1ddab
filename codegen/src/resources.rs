//! boto3's resource layer (`resources-1.json`): the service resource and one type per resource,
//! with identifiers, lazily loaded attributes, `load`/`reload`, actions (returning resources where
//! the model says so) and subresources. Behaviour lives in `boto_runtime::resource`.

use crate::ir::{Ir, OpIr, ShapeKind};
use crate::jmespath;
use crate::naming;
use proc_macro2::{Ident, Span, TokenStream};
use quote::quote;
use serde_json::Value as Json;
use std::collections::{BTreeMap, HashSet};

/// An identifier for a snake-case name, raw when it is a keyword.
fn ident(s: &str) -> Ident {
    crate::emit::ident(&naming::ident_text(s))
}

fn snake(s: &str) -> String {
    naming::xform_name(s)
}

/// Method names of one resource type, registered in boto3's order with its collision renames.
struct Names {
    taken: HashSet<String>,
}

impl Names {
    fn new() -> Names {
        let reserved = [
            "new",
            "client",
            "load",
            "reload",
            "data",
            "clone",
            "fmt",
            "eq",
            "from_parts",
            "ids",
        ];
        Names {
            taken: reserved.iter().map(|s| s.to_string()).collect(),
        }
    }
    fn register(&mut self, name: &str, category: &str) -> String {
        let mut n = name.to_string();
        if self.taken.contains(&n) {
            n = format!("{name}_{category}");
        }
        let mut k = 2;
        while self.taken.contains(&n) {
            n = format!("{name}_{category}{k}");
            k += 1;
        }
        self.taken.insert(n.clone());
        n
    }
}

/// What an action belongs to: a resource type (or the service resource).
struct Owner<'a> {
    name: &'a str,
    ids: &'a [String],
    has_data: bool,
    /// The resource has a load: a non-load action forgets its data.
    clears: bool,
}

struct Ctx<'a> {
    ir: &'a Ir<'a>,
    file: String,
    defs: &'a serde_json::Map<String, Json>,
    errs: &'a mut Vec<String>,
    statics: Vec<TokenStream>,
    counter: usize,
}

impl Ctx<'_> {
    fn op(&mut self, name: &str, what: &str) -> Option<&OpIr> {
        let found = self.ir.ops.iter().find(|o| o.wire == name);
        if found.is_none() {
            self.errs
                .push(format!("{}: {what}: no operation {name}", self.file));
        }
        found
    }

    /// A static for an expression; its path for use in code.
    fn expr(&mut self, e: &str, what: &str) -> Option<TokenStream> {
        let ast = match jmespath::parse(e) {
            Ok(a) => a,
            Err(err) => {
                self.errs
                    .push(format!("{}: {what}: path `{e}`: {err}", self.file));
                return None;
            }
        };
        let t = jmespath::tokens(&ast);
        self.counter += 1;
        let n = Ident::new(&format!("PATH_{}", self.counter), Span::call_site());
        self.statics
            .push(quote!(static #n: ::boto_runtime::jmespath::Expr = #t;));
        Some(quote!(&#n))
    }

    fn data_type(&self, res: &str) -> TokenStream {
        match self.defs.get(res).and_then(|d| d["shape"].as_str()) {
            Some(shape) if self.ir.shapes.contains_key(shape) => {
                crate::emit::rust_type_of(self.ir, shape)
            }
            _ => quote!(()),
        }
    }

    fn has_shape(&self, res: &str) -> bool {
        self.defs
            .get(res)
            .and_then(|d| d["shape"].as_str())
            .is_some_and(|s| self.ir.shapes.contains_key(s))
    }

    fn id_names(&self, res: &str) -> Vec<String> {
        self.defs
            .get(res)
            .and_then(|d| d["identifiers"].as_array())
            .map(|a| {
                a.iter()
                    .filter_map(|i| i["name"].as_str().map(str::to_string))
                    .collect()
            })
            .unwrap_or_default()
    }

    /// Statements filling `req` from the request `params` of a load or action.
    fn params(&mut self, params: &Json, ids: &[String], what: &str, has_data: bool) -> TokenStream {
        let mut out = Vec::new();
        for p in params.as_array().map(Vec::as_slice).unwrap_or(&[]) {
            let target = p["target"].as_str().unwrap_or("");
            match p["source"].as_str().unwrap_or("") {
                "identifier" => {
                    let name = p["name"].as_str().unwrap_or("");
                    match ids.iter().position(|i| i == name) {
                        Some(k) => out.push(quote! {
                            ::boto_runtime::resource::set_param_str(&mut req, #target, &self.core.ids[#k], None)?;
                        }),
                        None => self.errs.push(format!("{}: {what}: no identifier {name}", self.file)),
                    }
                }
                "data" if has_data => {
                    let path = p["path"].as_str().unwrap_or("");
                    if let Some(e) = self.expr(path, what) {
                        out.push(quote! {
                            ::boto_runtime::resource::set_param_from(&mut req, #target, #e, &*self.data().await?)?;
                        });
                    }
                }
                "string" => {
                    let v = p["value"].as_str().unwrap_or("");
                    out.push(quote!(::boto_runtime::resource::set_param_str(&mut req, #target, #v, None)?;));
                }
                "integer" => {
                    let v = p["value"].as_i64().unwrap_or(0);
                    out.push(
                        quote!(::boto_runtime::resource::set_param_int(&mut req, #target, #v)?;),
                    );
                }
                "boolean" => {
                    let v = p["value"].as_bool().unwrap_or(false);
                    out.push(
                        quote!(::boto_runtime::resource::set_param_bool(&mut req, #target, #v)?;),
                    );
                }
                "input" => {}
                other => self.errs.push(format!(
                    "{}: {what}: unsupported parameter source {other:?}",
                    self.file
                )),
            }
        }
        quote!(#(#out)*)
    }

    /// The expression building the resources an action returns, and its Rust type.
    fn response_resources(
        &mut self,
        rr: &Json,
        ids: &[String],
        has_data: bool,
        what: &str,
    ) -> Option<(TokenStream, TokenStream)> {
        let ty = rr["type"].as_str().unwrap_or("");
        if !self.defs.contains_key(ty) {
            self.errs
                .push(format!("{}: {what}: unknown resource type {ty}", self.file));
            return None;
        }
        let t = ident(ty);
        let specs = rr["identifiers"].as_array().cloned().unwrap_or_default();
        let mut plural = false;
        let mut values = Vec::new();
        for name in self.id_names(ty) {
            let spec = specs
                .iter()
                .find(|s| s["target"].as_str() == Some(name.as_str()));
            let v = match spec {
                None => quote!(::boto_runtime::resource::id_json("")),
                Some(s) => {
                    let path = s["path"].as_str().unwrap_or("");
                    if path.contains("[]") || path.contains('|') || path.contains("[*]") {
                        plural = true;
                    }
                    match s["source"].as_str().unwrap_or("") {
                        "response" => {
                            let e = self.expr(path, what)?;
                            quote!(::boto_runtime::resource::search_json(#e, &out))
                        }
                        "requestParameter" => {
                            let e = self.expr(path, what)?;
                            quote!(::boto_runtime::resource::search_json(#e, &req))
                        }
                        "identifier" => {
                            let n = s["name"].as_str().unwrap_or("");
                            let k = ids.iter().position(|i| i == n)?;
                            quote!(::boto_runtime::resource::id_json(&self.core.ids[#k]))
                        }
                        "data" if has_data => {
                            let e = self.expr(path, what)?;
                            quote!(::boto_runtime::resource::search_json(#e, &*self.data().await?))
                        }
                        other => {
                            self.errs.push(format!(
                                "{}: {what}: unsupported identifier source {other:?}",
                                self.file
                            ));
                            return None;
                        }
                    }
                }
            };
            values.push(v);
        }
        let with_data = self.has_shape(ty);
        let d = self.data_type(ty);
        let path = if with_data {
            match rr["path"].as_str() {
                Some(p) => Some(self.expr(p, what)?),
                None => None,
            }
        } else {
            None
        };
        let sets = quote! {
            let sets = ::boto_runtime::resource::identifier_sets(::std::vec![#(#values),*], #ty)?;
        };
        Some(if plural {
            let data = match &path {
                Some(p) => {
                    quote!(let mut data: ::std::vec::Vec<::std::option::Option<#d>> = ::boto_runtime::resource::extract_list(#p, &out);)
                }
                None => {
                    quote!(let mut data: ::std::vec::Vec<::std::option::Option<#d>> = ::std::vec::Vec::new();)
                }
            };
            (
                quote! {
                    #sets
                    #data
                    ::std::result::Result::Ok(sets.into_iter().enumerate().map(|(i, ids)| {
                        #t::from_parts(self.core.handle.clone(), ids, data.get_mut(i).and_then(::std::option::Option::take))
                    }).collect())
                },
                quote!(::std::vec::Vec<#t>),
            )
        } else {
            let data = match &path {
                Some(p) => quote!(::boto_runtime::resource::extract::<#d>(#p, &out)),
                None => quote!(::std::option::Option::None),
            };
            (
                quote! {
                    #sets
                    let ids = sets.into_iter().next().unwrap_or_default();
                    ::std::result::Result::Ok(#t::from_parts(self.core.handle.clone(), ids, #data))
                },
                quote!(#t),
            )
        })
    }

    /// One action method.
    fn action(
        &mut self,
        method: &str,
        name: &str,
        def: &Json,
        owner: &Owner,
    ) -> Option<TokenStream> {
        let (ids, has_data, clears) = (owner.ids, owner.has_data, owner.clears);
        let what = format!("{} action {name}", owner.name);
        let op_name = def["request"]["operation"]
            .as_str()
            .unwrap_or("")
            .to_string();
        let op = self.op(&op_name, &what)?;
        let (input, output, st) = (op.input.clone(), op.output.clone(), op.static_name.clone());
        let st = Ident::new(&st, Span::call_site());
        let params = self.params(&def["request"]["params"], ids, &what, has_data);
        let o = match &output {
            Some(o) => crate::emit::rust_type_of(self.ir, o),
            None => quote!(()),
        };
        let (ret_expr, ret_ty) = match def.get("resource") {
            Some(rr) => self.response_resources(rr, ids, has_data, &what)?,
            None => (quote!(::std::result::Result::Ok(out)), o.clone()),
        };
        let clear = if clears {
            quote!(self.core.clear();)
        } else {
            quote!()
        };
        let m = ident(method);
        let doc = format!(
            " The `{name}` action: calls `{op_name}` with this resource's identifiers filled in."
        );
        Some(match input {
            Some(i) => {
                let i = crate::emit::rust_type_of(self.ir, &i);
                quote! {
                    #[doc = #doc]
                    #[allow(unused_mut, unused_variables)]
                    pub async fn #m(&self, input: #i) -> ::std::result::Result<#ret_ty, ::boto_runtime::Error> {
                        let mut req = <#i>::default();
                        #params
                        ::boto_runtime::resource::merge_shallow(&mut req, &input);
                        let out: #o = self.core.handle.send(&crate::operations::#st, ::std::clone::Clone::clone(&req)).await?;
                        #clear
                        #ret_expr
                    }
                }
            }
            None => quote! {
                #[doc = #doc]
                #[allow(unused_variables)]
                pub async fn #m(&self) -> ::std::result::Result<#ret_ty, ::boto_runtime::Error> {
                    let out: #o = self.core.handle.send_without_input(&crate::operations::#st).await?;
                    #clear
                    #ret_expr
                }
            },
        })
    }

    /// A subresource constructor: identifiers from the parent where the model says so, the rest
    /// as arguments (matched by target name).
    fn subresource(
        &mut self,
        method: &str,
        def: &Json,
        ids: &[String],
        owner: &str,
        name: &str,
    ) -> Option<TokenStream> {
        let rr = &def["resource"];
        let ty = rr["type"].as_str().unwrap_or("");
        if !self.defs.contains_key(ty) {
            self.errs.push(format!(
                "{}: {owner} subresource {name}: unknown type {ty}",
                self.file
            ));
            return None;
        }
        let specs = rr["identifiers"].as_array().cloned().unwrap_or_default();
        let mut args = Vec::new();
        let mut values = Vec::new();
        for id in self.id_names(ty) {
            let spec = specs
                .iter()
                .find(|s| s["target"].as_str() == Some(id.as_str()));
            let from_parent = spec.and_then(|s| {
                (s["source"].as_str() == Some("identifier"))
                    .then(|| {
                        s["name"]
                            .as_str()
                            .and_then(|n| ids.iter().position(|i| i == n))
                    })
                    .flatten()
            });
            match from_parent {
                Some(k) => values.push(quote!(self.core.ids[#k].clone())),
                None => {
                    let a = ident(&snake(&id));
                    args.push(quote!(#a: impl ::std::convert::Into<::std::string::String>));
                    values.push(quote!(#a.into()));
                }
            }
        }
        let t = ident(ty);
        let m = ident(method);
        let doc = format!(" The `{ty}` with these identifiers (no request is sent).");
        Some(quote! {
            #[doc = #doc]
            pub fn #m(&self, #(#args),*) -> #t {
                #t::from_parts(self.core.handle.clone(), ::std::vec![#(#values),*], ::std::option::Option::None)
            }
        })
    }
}

/// `resource.rs` for a service, from its `resources-1.json`.
pub fn resources_rs(ir: &Ir, text: &str, errs: &mut Vec<String>) -> Option<TokenStream> {
    let file = format!("{}/resources-1.json", ir.crate_name);
    let doc: Json = match serde_json::from_str(text) {
        Ok(d) => d,
        Err(e) => {
            errs.push(format!("{file}: {e}"));
            return None;
        }
    };
    let empty = serde_json::Map::new();
    let defs = doc["resources"].as_object().unwrap_or(&empty);
    let mut ctx = Ctx {
        ir,
        file,
        defs,
        errs,
        statics: Vec::new(),
        counter: 0,
    };
    let mut items = Vec::new();
    for (name, def) in defs {
        if let Some(t) = resource_type(&mut ctx, name, def) {
            items.push(t);
        }
    }
    let service = service_resource(&mut ctx, &doc["service"]);
    let statics = std::mem::take(&mut ctx.statics);
    let title = ir
        .model
        .metadata
        .service_full_name
        .clone()
        .unwrap_or_else(|| ir.crate_name.clone());
    let mdoc =
        format!(" boto3's resource layer for {title}: [`ServiceResource`] and the resource types.");
    Some(quote! {
        #![doc = #mdoc]
        #service
        #(#items)*
        #(#statics)*
    })
}

fn service_resource(ctx: &mut Ctx, svc: &Json) -> TokenStream {
    let mut names = Names::new();
    let mut methods = Vec::new();
    let empty = serde_json::Map::new();
    for (name, def) in svc["actions"].as_object().unwrap_or(&empty) {
        let m = names.register(&snake(name), "action");
        let owner = Owner {
            name: "service",
            ids: &[],
            has_data: false,
            clears: false,
        };
        if let Some(t) = ctx.action(&m, name, def, &owner) {
            methods.push(t);
        }
    }
    let mut targeted = HashSet::new();
    for (name, def) in svc["has"].as_object().unwrap_or(&empty) {
        let ty = def["resource"]["type"].as_str().unwrap_or("").to_string();
        targeted.insert(ty);
        let m = names.register(&snake(name), "subresource");
        if let Some(t) = ctx.subresource(&m, def, &[], "service", name) {
            methods.push(t);
        }
    }
    // boto3 adds a constructor for every resource type the service does not name; a name that
    // an explicit entry already uses keeps the explicit one (ec2 `key_pair` builds a KeyPairInfo).
    let implicit: Vec<String> = ctx
        .defs
        .keys()
        .filter(|k| !targeted.contains(*k))
        .cloned()
        .collect();
    for ty in implicit {
        let snake_ty = snake(&ty);
        if names.taken.contains(&snake_ty) {
            continue;
        }
        let m = names.register(&snake_ty, "subresource");
        let def = serde_json::json!({"resource": {"type": ty, "identifiers": []}});
        if let Some(t) = ctx.subresource(&m, &def, &[], "service", &ty) {
            methods.push(t);
        }
    }
    quote! {
        /// The service resource (boto3's `session.resource(...)`): actions and constructors of
        /// the resource types.
        #[derive(Clone, Debug)]
        pub struct ServiceResource {
            core: ::std::sync::Arc<::boto_runtime::resource::ResourceCore<()>>,
        }
        impl ServiceResource {
            /// A service resource with a client of its own on `session`.
            pub fn new(session: &::boto_runtime::Session) -> Self {
                Self::from_client(&crate::Client::new(session))
            }
            /// A service resource over an existing client.
            pub fn from_client(client: &crate::Client) -> Self {
                ServiceResource { core: ::std::sync::Arc::new(::boto_runtime::resource::ResourceCore::new(client.handle().clone(), ::std::vec::Vec::new())) }
            }
            /// The client behind it.
            pub fn client(&self) -> crate::Client {
                crate::Client::from(self.core.handle.clone())
            }
            #(#methods)*
        }
    }
}

/// A `has` entry with a `data` identifier source is a reference; others are subresources.
fn is_reference(has: &Json) -> bool {
    has["resource"]["identifiers"]
        .as_array()
        .is_some_and(|a| a.iter().any(|i| i["source"].as_str() == Some("data")))
}

fn resource_type(ctx: &mut Ctx, name: &str, def: &Json) -> Option<TokenStream> {
    let t = ident(name);
    let ids: Vec<(String, Option<String>)> = def["identifiers"]
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(|i| {
                    Some((
                        i["name"].as_str()?.to_string(),
                        i["memberName"].as_str().map(str::to_string),
                    ))
                })
                .collect()
        })
        .unwrap_or_default();
    let id_names: Vec<String> = ids.iter().map(|(n, _)| n.clone()).collect();
    let has_data = ctx.has_shape(name);
    let d = ctx.data_type(name);
    let mut names = Names::new();
    let mut methods = Vec::new();

    // Identifiers.
    let mut new_args = Vec::new();
    let mut new_vals = Vec::new();
    for (k, (id, _)) in ids.iter().enumerate() {
        let m = names.register(&snake(id), "identifier");
        let mi = ident(&m);
        let a = ident(&snake(id));
        new_args.push(quote!(#a: impl ::std::convert::Into<::std::string::String>));
        new_vals.push(quote!(#a.into()));
        let doc = format!(" The `{id}` identifier.");
        methods.push(quote! {
            #[doc = #doc]
            pub fn #mi(&self) -> &str { &self.core.ids[#k] }
        });
    }

    // load / reload / data.
    let has_load = def.get("load").is_some();
    if has_data {
        let load_body = match def.get("load") {
            Some(load) => {
                let what = format!("{name} load");
                let op_name = load["request"]["operation"]
                    .as_str()
                    .unwrap_or("")
                    .to_string();
                let op = ctx.op(&op_name, &what)?;
                let (input, output, st) =
                    (op.input.clone(), op.output.clone(), op.static_name.clone());
                let st = Ident::new(&st, Span::call_site());
                let params = ctx.params(&load["request"]["params"], &id_names, &what, false);
                let path = load["path"].as_str().unwrap_or("@");
                let p = ctx.expr(if path == "$" { "@" } else { path }, &what)?;
                let o = crate::emit::rust_type_of(ctx.ir, output.as_deref().unwrap_or(""));
                let send = match input {
                    Some(i) => {
                        let i = crate::emit::rust_type_of(ctx.ir, &i);
                        quote! {
                            let mut req = <#i>::default();
                            #params
                            let out: #o = self.core.handle.send(&crate::operations::#st, req).await?;
                        }
                    }
                    None => {
                        quote!(let out: #o = self.core.handle.send_without_input(&crate::operations::#st).await?;)
                    }
                };
                quote! {
                    #send
                    match ::boto_runtime::resource::extract::<#d>(#p, &out) {
                        ::std::option::Option::Some(data) => {
                            self.core.set(::std::option::Option::Some(data));
                            ::std::result::Result::Ok(())
                        }
                        ::std::option::Option::None => ::std::result::Result::Err(::boto_runtime::resource::not_found(#name, &self.core.ids, #op_name, #path)),
                    }
                }
            }
            None => quote! {
                ::std::result::Result::Err(::boto_runtime::resource::no_load(#name))
            },
        };
        methods.push(quote! {
            /// Loads (or reloads) the resource's data with its load request (boto3's `load`).
            #[allow(unused_mut)]
            pub async fn load(&self) -> ::std::result::Result<(), ::boto_runtime::Error> {
                #load_body
            }
            /// The same as [`load`](Self::load) (boto3's `reload`).
            pub async fn reload(&self) -> ::std::result::Result<(), ::boto_runtime::Error> {
                self.load().await
            }
            /// The resource's data, loaded on first use.
            pub async fn data(&self) -> ::std::result::Result<::std::sync::Arc<#d>, ::boto_runtime::Error> {
                if let ::std::option::Option::Some(d) = self.core.cached() {
                    return ::std::result::Result::Ok(d);
                }
                self.load().await?;
                self.core.cached().ok_or_else(|| ::boto_runtime::resource::no_load(#name))
            }
        });
    }

    // Actions.
    let empty = serde_json::Map::new();
    for (aname, adef) in def["actions"].as_object().unwrap_or(&empty) {
        let m = names.register(&snake(aname), "action");
        let owner = Owner {
            name,
            ids: &id_names,
            has_data,
            clears: has_load,
        };
        if let Some(tk) = ctx.action(&m, aname, adef, &owner) {
            methods.push(tk);
        }
    }
    // Subresources (`has` entries without a data source; references come with collections).
    for (hname, hdef) in def["has"].as_object().unwrap_or(&empty) {
        if is_reference(hdef) {
            continue;
        }
        let m = names.register(&snake(hname), "subresource");
        if let Some(tk) = ctx.subresource(&m, hdef, &id_names, name, hname) {
            methods.push(tk);
        }
    }
    // Names boto3 registers before attributes, so attributes are renamed around them.
    for (hname, hdef) in def["has"].as_object().unwrap_or(&empty) {
        if is_reference(hdef) {
            names.register(&snake(hname), "reference");
        }
    }
    for (cname, _) in def["hasMany"].as_object().unwrap_or(&empty) {
        names.register(&snake(cname), "collection");
    }
    for (wname, _) in def["waiters"].as_object().unwrap_or(&empty) {
        names.register(&snake(&format!("WaitUntil{wname}")), "waiter");
    }

    // Attributes.
    if has_data {
        let shape_name = def["shape"].as_str().unwrap_or("");
        let shape = &ctx.ir.shapes[shape_name];
        if shape.kind == ShapeKind::Structure {
            let id_snakes: Vec<String> = id_names.iter().map(|i| snake(i)).collect();
            let aliases: BTreeMap<String, usize> = ids
                .iter()
                .enumerate()
                .filter_map(|(k, (_, m))| m.as_ref().map(|m| (snake(m), k)))
                .collect();
            for m in &shape.members {
                let s = snake(&m.wire);
                if id_snakes.contains(&s) {
                    continue;
                }
                let ty = crate::emit::field_type_of(ctx.ir, shape, m);
                if !ty.to_string().starts_with(":: std :: option :: Option") {
                    continue;
                }
                let method = names.register(&s, "attribute");
                let mi = ident(&method);
                let f = ident(&m.field);
                let is_string = ctx
                    .ir
                    .shapes
                    .get(&m.r.shape)
                    .is_none_or(|t| t.model.kind == "string" && t.kind != ShapeKind::Enum);
                let doc = format!(
                    " The `{}` attribute (loads the resource on first use).",
                    m.wire
                );
                match aliases.get(&s) {
                    Some(k) if is_string => methods.push(quote! {
                        #[doc = " An alias of the identifier: no request is sent."]
                        pub async fn #mi(&self) -> ::std::result::Result<#ty, ::boto_runtime::Error> {
                            ::std::result::Result::Ok(::std::option::Option::Some(self.core.ids[#k].clone()))
                        }
                    }),
                    _ => methods.push(quote! {
                        #[doc = #doc]
                        pub async fn #mi(&self) -> ::std::result::Result<#ty, ::boto_runtime::Error> {
                            ::std::result::Result::Ok(::std::clone::Clone::clone(&self.data().await?.#f))
                        }
                    }),
                }
            }
        }
    }

    let doc = format!(
        " The `{name}` resource: identifiers {}.",
        id_names.join(", ")
    );
    Some(quote! {
        #[doc = #doc]
        #[derive(Clone, Debug)]
        pub struct #t {
            core: ::std::sync::Arc<::boto_runtime::resource::ResourceCore<#d>>,
        }
        impl ::std::cmp::PartialEq for #t {
            fn eq(&self, other: &Self) -> bool { self.core.ids == other.core.ids }
        }
        impl #t {
            /// The resource with these identifiers, through `client` (no request is sent).
            pub fn new(client: &crate::Client, #(#new_args),*) -> Self {
                Self::from_parts(client.handle().clone(), ::std::vec![#(#new_vals),*], ::std::option::Option::None)
            }
            #[doc(hidden)]
            pub fn from_parts(handle: ::boto_runtime::ClientHandle, ids: ::std::vec::Vec<::std::string::String>, data: ::std::option::Option<#d>) -> Self {
                #t { core: ::std::sync::Arc::new(::boto_runtime::resource::ResourceCore::with_data(handle, ids, data)) }
            }
            /// The client behind it.
            pub fn client(&self) -> crate::Client {
                crate::Client::from(self.core.handle.clone())
            }
            #(#methods)*
        }
    })
}
