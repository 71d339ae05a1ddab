//! The items of `resource.rs`, lowered: every request, parameter (boto3's target language),
//! identifier source, JMESPath path, batch action and collection of the resource model is
//! checked and compiled here, and every private static gets its name, so that emit only writes.

use super::naming::{self, NameRecord, Namespace, Suffix};
use super::pagwait::{PaginatorIr, WaiterIr};
use super::resources::{data_shape, is_reference, AttributeIr, MethodNames, ResourcesIr};
use super::{Ir, OpIr};
use crate::jmespath::{self, Ast};
use crate::model::resources::{
    ActionModel, BatchActionModel, CollectionModel, Constant, HasModel, ParamModel, RequestModel,
    ResourceModel, ResourceWaiterModel, ResponseResourceModel,
};
use indexmap::IndexMap;
use std::collections::HashMap;

/// `resource.rs`, lowered.
#[derive(Debug, Default)]
pub struct ResourceItems {
    /// The service resource's methods, in order.
    pub service: Vec<MethodIr>,
    /// The resource types, in model order.
    pub types: Vec<ResourceTypeIr>,
    /// The module's private statics, in order.
    pub statics: Vec<StaticIr>,
}

/// A resource type.
#[derive(Debug)]
pub struct ResourceTypeIr {
    /// Its model name.
    pub wire: String,
    /// The type.
    pub rust: String,
    /// The static describing it.
    pub kind_static: String,
    /// Its identifiers, in order.
    pub ids: Vec<IdentifierIr>,
    /// The shape of its data, when it has one (it then gets `load`, `reload` and `data`).
    pub data: Option<String>,
    /// Its methods after the identifiers and data accessors, in order.
    pub methods: Vec<MethodIr>,
    /// Its batch-action collection type, when it has batch actions.
    pub batch: Option<BatchCollectionIr>,
}

/// An identifier of a resource type.
#[derive(Debug)]
pub struct IdentifierIr {
    /// Its model name.
    pub wire: String,
    /// Its accessor.
    pub method: String,
    /// Its argument of `new`.
    pub arg: String,
}

/// A method of a resource type or the service resource.
#[derive(Debug)]
pub enum MethodIr {
    /// An action: a request with the identifiers filled in.
    Action {
        /// The method.
        method: String,
        /// The model entry.
        name: String,
        /// The operation's model name.
        op: String,
        /// The operation's input shape.
        input: Option<String>,
        /// The operation's output shape.
        output: Option<String>,
        /// The `Action` static.
        action: String,
        /// The resource type built (its type), and whether a list is built.
        returns: Option<(String, bool)>,
    },
    /// A subresource constructor (no request).
    Subresource {
        /// The method.
        method: String,
        /// The model name of the type built.
        ty: String,
        /// The type built.
        rust: String,
        /// Its kind static.
        kind_static: String,
        /// The arguments: identifiers the parent does not give.
        args: Vec<String>,
        /// The parent's identifiers that lead the new one's, by position.
        parent: Vec<usize>,
        /// The remaining identifiers.
        values: Vec<SubValue>,
    },
    /// A reference, built from the resource's data.
    Reference {
        /// The method.
        method: String,
        /// The model entry.
        name: String,
        /// The model name of the type built.
        ty: String,
        /// The type built.
        rust: String,
        /// The `Build` static.
        build: String,
        /// A list is built.
        plural: bool,
    },
    /// A collection (`hasMany`).
    Collection {
        /// The method.
        method: String,
        /// The model entry.
        name: String,
        /// The model name of the type listed.
        ty: String,
        /// The operation's model name.
        op: String,
        /// The operation's input shape.
        input: String,
        /// The `CollectionSpec` static.
        spec: String,
        /// The type listed.
        rust: String,
        /// Its batch-action collection type, if it has one.
        wrapper: Option<String>,
    },
    /// A resource waiter.
    Waiter {
        /// The method.
        method: String,
        /// The client waiter's name.
        waiter: String,
        /// The client waiter's static.
        waiter_static: String,
        /// The operation's input shape (empty without one).
        input: String,
        /// The operation's output shape.
        output: Option<String>,
        /// The parameters' static.
        params: String,
    },
    /// s3's `upload_file` and `download_file`.
    Transfer(TransferForm),
    /// A dynamodb `Table` item method with native items (boto3's transformed `put_item`,
    /// `get_item`, ...).
    DynamoDbItem {
        /// The method.
        method: String,
        /// The model entry (`PutItem`).
        name: String,
        /// The operation's static.
        op_static: String,
        /// The operation's input type.
        input: String,
        /// Its output type.
        output: String,
        /// What the method takes.
        form: DynamoDbForm,
    },
    /// dynamodb `Table.batch_writer()` (on `BatchWriteItem`).
    BatchWriter {
        /// The operation's static.
        op_static: String,
        /// Its input type.
        input: String,
        /// Its output type.
        output: String,
    },
    /// An attribute.
    Attribute(AttributeIr),
}

/// An identifier of a subresource that is not one of the parent's leading ones.
#[derive(Debug)]
pub enum SubValue {
    /// The parent's identifier at this position.
    Parent(usize),
    /// The argument of this name.
    Arg(String),
}

/// What a dynamodb `Table` item method takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DynamoDbForm {
    /// A native item (`Item`).
    Item,
    /// A native key (`Key`).
    Key,
    /// A key condition (`KeyConditionExpression`).
    KeyCondition,
    /// Nothing more than the table.
    Table,
    /// A service resource batch call (keys, puts and deletes for any tables).
    Batch,
}

/// Where s3's transfer methods work.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TransferForm {
    /// On this object (`Object`, `ObjectSummary`).
    Object,
    /// On a key in this bucket.
    Bucket,
}

/// A batch-action collection type.
#[derive(Debug)]
pub struct BatchCollectionIr {
    /// The model name of the resource type.
    pub ty: String,
    /// The collection type.
    pub rust: String,
    /// The resource type.
    pub item: String,
    /// Its batch actions.
    pub actions: Vec<BatchActionIr>,
}

/// A batch action.
#[derive(Debug)]
pub struct BatchActionIr {
    /// The method.
    pub method: String,
    /// The model entry.
    pub name: String,
    /// The operation's model name.
    pub op: String,
    /// The operation's input shape (empty without one).
    pub input: String,
    /// The operation's output shape.
    pub output: Option<String>,
    /// The `Request` static.
    pub request: String,
}

/// A private static of `resource.rs`.
#[derive(Debug)]
pub enum StaticIr {
    /// A resource type's `Kind`.
    Kind(KindIr),
    /// The s3 operations of the transfer helpers.
    Transfer(Vec<TransferCallIr>),
    /// A description that methods refer to by name; equal ones are one static.
    Value {
        /// Its name.
        name: String,
        /// What it holds.
        value: StaticValue,
    },
}

/// A resource type's `Kind` static.
#[derive(Debug)]
pub struct KindIr {
    /// The static.
    pub name: String,
    /// The resource type's model name.
    pub wire: String,
    /// Its identifiers' model names.
    pub identifiers: Vec<String>,
    /// Its `Load` static.
    pub load: Option<String>,
    /// The shape of its data.
    pub data: Option<String>,
}

/// One operation of the s3 transfer static.
#[derive(Debug)]
pub struct TransferCallIr {
    /// The field of `S3Ops`.
    pub field: String,
    /// The operation's static.
    pub op_static: String,
    /// Its input shape.
    pub input: String,
    /// Its output shape.
    pub output: String,
}

/// What a named static holds.
#[derive(Debug)]
pub enum StaticValue {
    /// A compiled JMESPath expression.
    Path(Ast),
    /// Request parameters.
    Params(Vec<ParamIr>),
    /// How a response builds resources.
    Build(BuildIr),
    /// An action: its request, and the `Build` static of what it returns.
    Action(RequestIr, Option<String>),
    /// A collection.
    Collection {
        /// Its request.
        request: RequestIr,
        /// The operation's output shape (empty without one).
        output: String,
        /// The operation's paginator static.
        paginator: Option<String>,
        /// The `Build` static.
        build: String,
    },
    /// A batch action's request.
    Request(RequestIr),
    /// A resource type's load.
    Load {
        /// Its request.
        request: RequestIr,
        /// The operation's input shape.
        input: Option<String>,
        /// The operation's output shape (empty without one).
        output: String,
        /// How the data is picked from the output.
        pick: PickIr,
    },
}

/// A request: the operation's static and the `Params` static (none: no parameters).
#[derive(Debug)]
pub struct RequestIr {
    /// The operation's static.
    pub op_static: String,
    /// The parameters' static.
    pub params: Option<String>,
}

/// A request parameter: its target and source.
#[derive(Debug)]
pub struct ParamIr {
    /// boto3's target expression.
    pub target: String,
    /// Where the value comes from.
    pub src: SrcIr,
}

/// The source of a request parameter.
#[derive(Debug)]
pub enum SrcIr {
    /// The identifier at this position.
    Id(usize),
    /// A path (static) into the resource's data.
    Data(String),
    /// A string constant.
    Str(String),
    /// An integer constant.
    Int(i64),
    /// A boolean constant.
    Bool(bool),
}

/// How a response builds resources.
#[derive(Debug)]
pub struct BuildIr {
    /// The kind static of the type built.
    pub kind_static: String,
    /// Each identifier's source.
    pub ids: Vec<IdSrcIr>,
    /// The path (static) of each resource's data in the response.
    pub path: Option<String>,
}

/// The source of a built resource's identifier; paths are statics.
#[derive(Debug)]
pub enum IdSrcIr {
    /// The caller's input.
    Input,
    /// A path into the response.
    Response(String),
    /// A path into the request, one resource per value (the first identifier of a cross build).
    EachRequest(String),
    /// A path into the request.
    Request(String),
    /// The owner's identifier at this position.
    Id(usize),
    /// A path into the owner's data.
    Data(String),
}

/// How a load picks the data from the output.
#[derive(Debug)]
pub enum PickIr {
    /// The list at the path (static), the entry whose member equals the first identifier.
    Find(String, String),
    /// Members copied (from, to).
    Copy(Vec<(String, String)>),
    /// The path (static), and its text.
    Path(String, String),
}

/// A path such as `Instances[]`, `[Versions,DeleteMarkers]|[]` or `Reservations[].Instances[]`
/// gives a list of values.
fn is_plural(path: &str) -> bool {
    path.contains("[]") || path.contains('|') || path.contains("[*]")
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
    res: &'a ResourcesIr,
    pags: &'a [PaginatorIr],
    waiters: &'a [WaiterIr],
    errs: &'a mut Vec<String>,
    names: &'a mut Vec<NameRecord>,
    static_ns: Namespace,
    statics: Vec<StaticIr>,
    /// Named statics by their value: equal ones are written once.
    seen: HashMap<String, String>,
    /// The s3 transfer operations' static is lowered.
    transfer_written: bool,
    counter: usize,
}

impl Ctx<'_> {
    fn defs(&self) -> &IndexMap<String, ResourceModel> {
        &self.res.model.resources
    }

    fn err(&mut self, msg: String) {
        self.errs.push(format!("{}: {msg}", self.file));
    }

    /// The type of resource type `ty`.
    fn rust(&self, ty: &str) -> String {
        self.res
            .types
            .get(ty)
            .map_or(ty, |t| t.rust.as_str())
            .into()
    }

    /// The kind static of resource type `ty`.
    fn kind_static(&self, ty: &str) -> String {
        self.res
            .types
            .get(ty)
            .map_or(ty, |t| t.kind_static.as_str())
            .into()
    }

    /// Adds a static (or finds an equal one) for `what`; returns its name. Statics are numbered
    /// in the order they are made, across prefixes.
    fn add_static(&mut self, prefix: &str, value: StaticValue, what: &str) -> String {
        let key = format!("{value:?}");
        if let Some(n) = self.seen.get(&key) {
            return n.clone();
        }
        self.counter += 1;
        let base = format!("{prefix}_{}", self.counter);
        let wire = format!("{what}: {}", prefix.to_lowercase());
        let (n, _) = self.static_ns.claim(
            &base,
            "resource_static",
            &wire,
            Suffix::Number("_"),
            self.names,
        );
        self.names
            .push(NameRecord::new("resource_static", wire, &n));
        self.statics.push(StaticIr::Value {
            name: n.clone(),
            value,
        });
        self.seen.insert(key, n.clone());
        n
    }

    fn op(&mut self, name: &str, what: &str) -> Option<OpIr> {
        let found = self.ir.ops.iter().find(|o| o.wire == name).cloned();
        if found.is_none() {
            self.err(format!("{what}: no operation {name}"));
        }
        found
    }

    /// A static for an expression; its name.
    fn expr(&mut self, e: &str, what: &str) -> Option<String> {
        let ast = match jmespath::parse(e) {
            Ok(a) => a,
            Err(err) => {
                self.err(format!("{what}: path `{e}`: {err}"));
                return None;
            }
        };
        Some(self.add_static("PATH", StaticValue::Path(ast), what))
    }

    fn shape_of(&self, res: &str) -> Option<String> {
        data_shape(self.ir, &self.res.model, res).map(str::to_string)
    }

    fn id_names(&self, res: &str) -> Vec<String> {
        self.defs()
            .get(res)
            .map(|d| d.identifiers.iter().map(|i| i.name.clone()).collect())
            .unwrap_or_default()
    }

    /// The position of identifier `name` among `ids`; a generation error if absent.
    fn id_pos(&mut self, ids: &[String], name: &Option<String>, what: &str) -> Option<usize> {
        let name = name.as_deref().unwrap_or("");
        let k = ids.iter().position(|i| i == name);
        if k.is_none() {
            self.err(format!("{what}: no identifier {name}"));
        }
        k
    }

    /// The request `params` of a load, action, batch action or waiter.
    fn params(
        &mut self,
        params: &[ParamModel],
        ids: &[String],
        what: &str,
        data: bool,
    ) -> Vec<ParamIr> {
        let mut out = Vec::new();
        for p in params {
            let src = match p.source.as_str() {
                "identifier" => match self.id_pos(ids, &p.name, what) {
                    Some(k) => SrcIr::Id(k),
                    None => continue,
                },
                "data" if data => {
                    let path = p.path.as_deref().unwrap_or("");
                    match self.expr(path, what) {
                        Some(e) => SrcIr::Data(e),
                        None => continue,
                    }
                }
                "string" => SrcIr::Str(match &p.value {
                    Some(Constant::Str(v)) => v.clone(),
                    _ => String::new(),
                }),
                "integer" => SrcIr::Int(match p.value {
                    Some(Constant::Int(v)) => v,
                    _ => 0,
                }),
                "boolean" => SrcIr::Bool(matches!(p.value, Some(Constant::Bool(true)))),
                "input" => continue,
                other => {
                    self.err(format!("{what}: unsupported parameter source {other:?}"));
                    continue;
                }
            };
            out.push(ParamIr {
                target: p.target.clone(),
                src,
            });
        }
        out
    }

    /// A `request` entry, and the operation.
    fn request(
        &mut self,
        req: &RequestModel,
        ids: &[String],
        what: &str,
        data: bool,
    ) -> Option<(RequestIr, OpIr)> {
        let op = self.op(&req.operation, what)?;
        let params = self.params(&req.params, ids, what, data);
        let params = (!params.is_empty())
            .then(|| self.add_static("PARAMS", StaticValue::Params(params), what));
        let r = RequestIr {
            op_static: op.static_name.clone(),
            params,
        };
        Some((r, op))
    }

    /// A static `Build` for a `ResponseResource`; its name, the type built and whether the
    /// identifiers make a list.
    fn build(
        &mut self,
        rr: &ResponseResourceModel,
        ids: &[String],
        what: &str,
        data: bool,
    ) -> Option<(String, String, bool)> {
        let ty = rr.kind.clone();
        if !self.defs().contains_key(&ty) {
            self.err(format!("{what}: unknown resource type {ty}"));
            return None;
        }
        let mut plural = false;
        let mut values = Vec::new();
        for name in self.id_names(&ty) {
            let Some(s) = rr.identifiers.iter().find(|s| s.target == name) else {
                values.push(IdSrcIr::Input);
                continue;
            };
            let path = s.path.as_deref().unwrap_or("");
            plural |= is_plural(path);
            values.push(match s.source.as_str() {
                "response" => IdSrcIr::Response(self.expr(path, what)?),
                "requestParameter" => {
                    let e = self.expr(path, what)?;
                    if values.is_empty() && rr.cross {
                        IdSrcIr::EachRequest(e)
                    } else {
                        IdSrcIr::Request(e)
                    }
                }
                "identifier" => IdSrcIr::Id(self.id_pos(ids, &s.name, what)?),
                "data" if data => IdSrcIr::Data(self.expr(path, what)?),
                "input" => IdSrcIr::Input,
                other => {
                    self.err(format!("{what}: unsupported identifier source {other:?}"));
                    return None;
                }
            });
        }
        let path = match (self.shape_of(&ty), rr.path.as_deref()) {
            (Some(_), Some(p)) => Some(self.expr(p, what)?),
            _ => None,
        };
        let b = BuildIr {
            kind_static: self.kind_static(&ty),
            ids: values,
            path,
        };
        let b = self.add_static("BUILD", StaticValue::Build(b), what);
        Some((b, ty, plural))
    }

    /// A dynamodb `Table` item action with native items, as boto3 transforms it; `None` for the
    /// table's other actions.
    fn dynamodb_item(&mut self, method: &str, action: &str) -> Option<MethodIr> {
        let form = match action {
            "PutItem" => DynamoDbForm::Item,
            "GetItem" | "UpdateItem" | "DeleteItem" => DynamoDbForm::Key,
            "Query" => DynamoDbForm::KeyCondition,
            "Scan" => DynamoDbForm::Table,
            _ => return None,
        };
        let op = self.op(action, "dynamodb Table")?;
        Some(MethodIr::DynamoDbItem {
            method: method.into(),
            name: action.into(),
            op_static: op.static_name,
            input: op.input.unwrap_or_default(),
            output: op.output.unwrap_or_default(),
            form,
        })
    }

    /// One action method.
    fn action(
        &mut self,
        method: &str,
        name: &str,
        def: &ActionModel,
        owner: &Owner,
    ) -> Option<MethodIr> {
        let what = format!("{} action {name}", owner.name);
        let (req, op) = self.request(&def.request, owner.ids, &what, owner.has_data)?;
        let build = match &def.resource {
            Some(rr) => Some(self.build(rr, owner.ids, &what, owner.has_data)?),
            None => None,
        };
        let b = build.as_ref().map(|(b, _, _)| b.clone());
        let action = self.add_static("ACTION", StaticValue::Action(req, b), &what);
        Some(MethodIr::Action {
            method: method.into(),
            name: name.into(),
            op: op.wire,
            input: op.input,
            output: op.output,
            action,
            returns: build.map(|(_, ty, plural)| (self.rust(&ty), plural)),
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
    ) -> Option<MethodIr> {
        let rr = &def.resource;
        let ty = rr.kind.as_str();
        if !self.defs().contains_key(ty) {
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
                Some(k) if values.is_empty() => parent.push(k),
                Some(k) => values.push(SubValue::Parent(k)),
                None => {
                    let a = naming::xform_name(&id);
                    args.push(a.clone());
                    values.push(SubValue::Arg(a));
                }
            }
        }
        Some(MethodIr::Subresource {
            method: method.into(),
            ty: ty.into(),
            rust: self.rust(ty),
            kind_static: self.kind_static(ty),
            args,
            parent,
            values,
        })
    }

    /// A reference (`has` with `data` sources): built from the resource's data.
    fn reference(
        &mut self,
        method: &str,
        name: &str,
        def: &HasModel,
        owner: &Owner,
    ) -> Option<MethodIr> {
        let what = format!("{} reference {name}", owner.name);
        let (build, ty, plural) = self.build(&def.resource, owner.ids, &what, true)?;
        Some(MethodIr::Reference {
            method: method.into(),
            name: name.into(),
            rust: self.rust(&ty),
            ty,
            build,
            plural,
        })
    }

    /// A collection (`hasMany`).
    fn collection(
        &mut self,
        method: &str,
        name: &str,
        def: &CollectionModel,
        owner: &Owner,
    ) -> Option<MethodIr> {
        let what = format!("{} collection {name}", owner.name);
        let (req, op) = self.request(&def.request, owner.ids, &what, owner.has_data)?;
        let (b, ty, _) = self.build(&def.resource, owner.ids, &what, owner.has_data)?;
        let Some(input) = op.input.clone() else {
            self.err(format!("{what}: operation {} has no input", op.wire));
            return None;
        };
        let paginator = self
            .pags
            .iter()
            .find(|p| p.op == op.wire)
            .map(|p| p.static_name.clone());
        let spec = StaticValue::Collection {
            request: req,
            output: op.output.clone().unwrap_or_default(),
            paginator,
            build: b,
        };
        let spec = self.add_static("COLLECTION", spec, &what);
        let wrapper = self.res.batch.contains(&ty).then(|| {
            self.res
                .types
                .get(&ty)
                .map_or(ty.clone(), |t| t.collection.clone())
        });
        Some(MethodIr::Collection {
            method: method.into(),
            name: name.into(),
            rust: self.rust(&ty),
            ty,
            op: op.wire,
            input,
            spec,
            wrapper,
        })
    }

    /// A resource waiter: the client's waiter with parameters from identifiers.
    fn waiter(
        &mut self,
        method: &str,
        name: &str,
        def: &ResourceWaiterModel,
        owner: &Owner,
    ) -> Option<MethodIr> {
        let what = format!("{} waiter {name}", owner.name);
        let wname = def.waiter_name.as_str();
        let Some(w) = self.waiters.iter().find(|w| w.name == wname) else {
            self.err(format!("{what}: no waiter {wname} in waiters-2.json"));
            return None;
        };
        let (waiter_static, op_name) = (w.static_name.clone(), w.op.clone());
        let op = self.op(&op_name, &what)?;
        let params = self.params(&def.params, owner.ids, &what, false);
        let params = self.add_static("WAITER_PARAMS", StaticValue::Params(params), &what);
        Some(MethodIr::Waiter {
            method: method.into(),
            waiter: wname.into(),
            waiter_static,
            input: op.input.unwrap_or_default(),
            output: op.output,
            params,
        })
    }

    /// The batch-action collection type of resource `ty`.
    fn batch_collection(
        &mut self,
        ty: &str,
        batch_actions: &IndexMap<String, BatchActionModel>,
    ) -> BatchCollectionIr {
        let ids = self.id_names(ty);
        let empty = MethodNames::default();
        let res = self.res;
        let names = res.collections.get(ty).unwrap_or(&empty);
        let mut actions = Vec::new();
        for (name, bdef) in batch_actions {
            let what = format!("{ty} batch action {name}");
            let Some((req, op)) = self.request(&bdef.request, &ids, &what, true) else {
                continue;
            };
            let request = self.add_static("BATCH", StaticValue::Request(req), &what);
            actions.push(BatchActionIr {
                method: names.get("resource_batch_action", name),
                name: name.clone(),
                op: op.wire,
                input: op.input.unwrap_or_default(),
                output: op.output,
                request,
            });
        }
        BatchCollectionIr {
            ty: ty.into(),
            rust: res
                .types
                .get(ty)
                .map_or(ty.to_string(), |t| t.collection.clone()),
            item: self.rust(ty),
            actions,
        }
    }

    /// The s3 operations the transfer helpers use, as one static (lowered once).
    fn transfer_ops(&mut self) -> Option<()> {
        if self.transfer_written {
            return Some(());
        }
        let mut calls = Vec::new();
        for op_name in [
            "PutObject",
            "CreateMultipartUpload",
            "UploadPart",
            "CompleteMultipartUpload",
            "AbortMultipartUpload",
            "HeadObject",
            "GetObject",
            "CopyObject",
            "UploadPartCopy",
            "GetObjectTagging",
        ] {
            let op = self.op(op_name, "s3 transfer")?;
            calls.push(TransferCallIr {
                field: naming::xform_name(op_name),
                op_static: op.static_name,
                input: op.input.unwrap_or_default(),
                output: op.output.unwrap_or_default(),
            });
        }
        self.statics.push(StaticIr::Transfer(calls));
        self.transfer_written = true;
        Some(())
    }

    /// The `Kind` static of a resource type, with its load.
    fn kind(&mut self, name: &str, def: &ResourceModel, id_names: &[String]) -> Option<()> {
        let shape = self.shape_of(name);
        let load = match (&def.load, &shape) {
            (Some(load), Some(_)) => {
                let what = format!("{name} load");
                let (request, op) = self.request(&load.request, id_names, &what, false)?;
                let pick = if let Some(f) = &load.find {
                    PickIr::Find(self.expr(&f.path, &what)?, f.member.clone())
                } else if let Some(c) = &load.copy {
                    PickIr::Copy(c.clone())
                } else {
                    let path = load.path.as_deref().unwrap_or("@");
                    let e = self.expr(if path == "$" { "@" } else { path }, &what)?;
                    PickIr::Path(e, path.into())
                };
                let l = StaticValue::Load {
                    request,
                    input: op.input,
                    output: op.output.unwrap_or_default(),
                    pick,
                };
                Some(self.add_static("LOAD", l, &what))
            }
            _ => None,
        };
        let k = KindIr {
            name: self.kind_static(name),
            wire: name.into(),
            identifiers: id_names.to_vec(),
            load,
            data: shape,
        };
        self.statics.push(StaticIr::Kind(k));
        Some(())
    }

    /// A resource type; none when its `Kind` cannot be lowered (an error is reported).
    fn resource_type(&mut self, name: &str, def: &ResourceModel) -> Option<ResourceTypeIr> {
        let id_names: Vec<String> = def.identifiers.iter().map(|i| i.name.clone()).collect();
        let shape = self.shape_of(name);
        self.kind(name, def, &id_names)?;
        let empty = MethodNames::default();
        let res = self.res;
        let names = res.resources.get(name).unwrap_or(&empty);
        let ids = id_names
            .iter()
            .map(|id| IdentifierIr {
                wire: id.clone(),
                method: names.get("resource_identifier", id),
                arg: naming::xform_name(id),
            })
            .collect();
        let owner = Owner {
            name,
            ids: &id_names,
            has_data: shape.is_some(),
        };
        let mut methods = Vec::new();
        let native_table = self.ir.crate_name == "dynamodb" && name == "Table";
        for (aname, adef) in &def.actions {
            let m = names.get("resource_action", aname);
            if native_table {
                if let Some(native) = self.dynamodb_item(&m, aname) {
                    methods.push(native);
                    continue;
                }
            }
            methods.extend(self.action(&m, aname, adef, &owner));
        }
        if native_table {
            if let Some(op) = self.op("BatchWriteItem", "dynamodb batch_writer") {
                methods.push(MethodIr::BatchWriter {
                    op_static: op.static_name,
                    input: op.input.unwrap_or_default(),
                    output: op.output.unwrap_or_default(),
                });
            }
        }
        // Subresources, then references, collections and waiters (boto3 registers their names
        // in this order, before attributes, which are renamed around them).
        for (hname, hdef) in def.has.iter().filter(|(_, h)| !is_reference(h)) {
            let m = names.get("resource_subresource", hname);
            let what = format!("{name} subresource {hname}");
            methods.extend(self.subresource(&m, hdef, &id_names, &what));
        }
        for (hname, hdef) in def.has.iter().filter(|(_, h)| is_reference(h)) {
            let m = names.get("resource_reference", hname);
            methods.extend(self.reference(&m, hname, hdef, &owner));
        }
        for (cname, cdef) in &def.has_many {
            let m = names.get("resource_collection", cname);
            methods.extend(self.collection(&m, cname, cdef, &owner));
        }
        for (wname, wdef) in &def.waiters {
            let m = names.get("resource_waiter", wname);
            methods.extend(self.waiter(&m, wname, wdef, &owner));
        }
        // boto3's s3 transfer methods.
        if self.ir.crate_name == "s3" {
            let form = match name {
                "Object" | "ObjectSummary" => Some(TransferForm::Object),
                "Bucket" => Some(TransferForm::Bucket),
                _ => None,
            };
            if let Some(form) = form {
                if self.transfer_ops().is_some() {
                    methods.push(MethodIr::Transfer(form));
                }
            }
        }
        if shape.is_some() {
            methods.extend(names.attributes.iter().cloned().map(MethodIr::Attribute));
        }
        Some(ResourceTypeIr {
            wire: name.into(),
            rust: self.rust(name),
            kind_static: self.kind_static(name),
            ids,
            data: shape,
            methods,
            batch: None,
        })
    }

    /// The service resource's methods.
    fn service(&mut self) -> Vec<MethodIr> {
        let res = self.res;
        let svc = &res.model.service;
        let names = &res.service;
        let mut methods = Vec::new();
        let owner = Owner {
            name: "service",
            ids: &[],
            has_data: false,
        };
        let native = self.ir.crate_name == "dynamodb";
        for (name, def) in &svc.actions {
            let m = names.get("resource_action", name);
            if native && matches!(name.as_str(), "BatchGetItem" | "BatchWriteItem") {
                if let Some(op) = self.op(name, "dynamodb ServiceResource") {
                    methods.push(MethodIr::DynamoDbItem {
                        method: m,
                        name: name.clone(),
                        op_static: op.static_name,
                        input: op.input.unwrap_or_default(),
                        output: op.output.unwrap_or_default(),
                        form: DynamoDbForm::Batch,
                    });
                }
                continue;
            }
            methods.extend(self.action(&m, name, def, &owner));
        }
        for (name, def) in &svc.has {
            let m = names.get("resource_subresource", name);
            let what = format!("service subresource {name}");
            methods.extend(self.subresource(&m, def, &[], &what));
        }
        for (name, def) in &svc.has_many {
            let m = names.get("resource_collection", name);
            methods.extend(self.collection(&m, name, def, &owner));
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
            let what = format!("service subresource {ty}");
            methods.extend(self.subresource(&m, &def, &[], &what));
        }
        methods
    }
}

/// Lowers the items of `resource.rs`: checks and compiles every entry of the resource model,
/// naming the statics in `static_ns` (and `names`); problems go to `errs`.
pub fn lower(
    ir: &Ir,
    res: &ResourcesIr,
    pags: &[PaginatorIr],
    waiters: &[WaiterIr],
    static_ns: Namespace,
    names: &mut Vec<NameRecord>,
    errs: &mut Vec<String>,
) -> ResourceItems {
    let mut ctx = Ctx {
        ir,
        file: format!("{}/resources-1.json", ir.crate_name),
        res,
        pags,
        waiters,
        errs,
        names,
        static_ns,
        statics: Vec::new(),
        seen: HashMap::new(),
        transfer_written: false,
        counter: 0,
    };
    let mut types = Vec::new();
    for (name, def) in &res.model.resources {
        let t = ctx.resource_type(name, def);
        let batch = res
            .batch
            .contains(name)
            .then(|| ctx.batch_collection(name, &def.batch_actions));
        // A type that failed has reported an error: nothing is written.
        if let Some(mut t) = t {
            t.batch = batch;
            types.push(t);
        }
    }
    let service = ctx.service();
    ResourceItems {
        service,
        types,
        statics: ctx.statics,
    }
}
