//! The engine under generated resources. A generated crate describes each resource type, load,
//! action, reference and collection as a static (the types below); the work of running them
//! (filling parameters, calling, reading identifiers and data out of responses) is done here,
//! once, without generics, so generated crates hold declarations and one-line methods.

use super::{build_identifiers, identifier_text, merge_deep, merge_shallow, set_param, Built};
use crate::client::{ClientHandle, Output};
use crate::error::{Error, ErrorKind, Result};
use crate::jmespath::{Expr, J};
use crate::paginate::PaginatorSpec;
use crate::schema::Operation;
use crate::value::{Structure, ValueRef};
use crate::waiter::{Waiter, WaiterSpec};
use serde_json::Value as Json;
use std::any::Any;
use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};

/// Makes an empty value of a generated structure type.
pub type New = fn() -> Box<dyn Structure>;

/// An empty `T`, boxed: the [`New`] of a generated type.
pub fn new<T: Structure + Default>() -> Box<dyn Structure> {
    Box::new(T::default())
}

/// Where a request parameter's value comes from (a `params` entry of `resources-1.json`).
#[derive(Debug)]
pub enum Src {
    /// The resource's identifier at this position.
    Id(usize),
    /// A value in the resource's data (which is loaded first if need be).
    Data(&'static Expr),
    /// A string literal.
    Str(&'static str),
    /// An integer literal.
    Int(i64),
    /// A boolean literal.
    Bool(bool),
}

/// One request parameter: its target in boto3's mini-language and its source.
#[derive(Debug)]
pub struct Param(pub &'static str, pub Src);

/// Where an identifier of a resource built from a response comes from.
#[derive(Debug)]
pub enum IdSrc {
    /// `jmespath(path, response)` (for references: the parent's data).
    Response(&'static Expr),
    /// `jmespath(path, request)`, the request as sent.
    Request(&'static Expr),
    /// As `Request`, and one resource per element of this list and per element of the other
    /// identifiers' zipped lists: boto3's hand-written ec2 `create_tags` (resources times tags).
    EachRequest(&'static Expr),
    /// The parent resource's identifier at this position.
    Id(usize),
    /// `jmespath(path, parent data)`.
    Data(&'static Expr),
    /// Not given by the model.
    Input,
}

/// An operation call: the operation and the model's parameters. (The input and output types
/// come from the generated method that makes the call.)
#[derive(Debug)]
pub struct Request(
    /// The operation.
    pub &'static Operation,
    /// Parameters filled from the resource.
    pub &'static [Param],
);

/// How a load finds the resource's data in its response.
#[derive(Debug)]
pub enum Pick {
    /// `jmespath(path, response)`; the text names the path in errors.
    Path(&'static Expr, &'static str),
    /// The element of the list at the path whose `member` equals the first identifier (boto3's
    /// hand-written s3 `Bucket.load`, which lists the buckets).
    Find(&'static Expr, &'static str),
    /// The response's members copied by name, with renames (boto3's hand-written s3
    /// `ObjectSummary.load`: HeadObject, with `ContentLength` as `Size`).
    Copy(&'static [(&'static str, &'static str)]),
}

/// A resource type's load request.
#[derive(Debug)]
pub struct Load {
    /// The call.
    pub request: Request,
    /// The operation's input type, if it has one.
    pub input: Option<New>,
    /// The operation's output type.
    pub output: New,
    /// Where the data is in the response.
    pub pick: Pick,
}

/// A resource type.
#[derive(Debug)]
pub struct Kind {
    /// The name in `resources-1.json`.
    pub name: &'static str,
    /// Its identifier names, in order.
    pub identifiers: &'static [&'static str],
    /// Its load request, if it has one.
    pub load: Option<&'static Load>,
    /// Its data type, if it has a shape.
    pub data: Option<New>,
}

/// How an action, reference or collection builds resources (a `ResponseResource`).
#[derive(Debug)]
pub struct Build {
    /// The type built.
    pub kind: &'static Kind,
    /// One source per identifier of `kind`, in order.
    pub ids: &'static [IdSrc],
    /// Where each resource's data is.
    pub path: Option<&'static Expr>,
}

/// An action: the call (when the resource has a load, the action forgets its data afterwards,
/// as boto3 does after any action) and the resources it returns, if any.
#[derive(Debug)]
pub struct Action(pub Request, pub Option<&'static Build>);

/// A collection (`hasMany`).
#[derive(Debug)]
pub struct CollectionSpec {
    /// The call.
    pub request: Request,
    /// The operation's output type.
    pub output: New,
    /// The operation's paginator, if it has one (else one call is one page).
    pub paginator: Option<&'static PaginatorSpec>,
    /// The resources of each page.
    pub build: &'static Build,
}

/// An action's input: a generated input structure, or `()` for operations without input.
///
/// Hidden from the docs, like the other traits every generated type implements through a blanket
/// impl, so they stay out of each type's trait list.
#[doc(hidden)]
pub trait IntoInput: Send + 'static {
    /// The input, boxed.
    fn into_input(self) -> Option<Box<dyn Structure>>;
    /// An empty input of this type, for the model's parameters.
    fn base() -> Option<Box<dyn Structure>>;
}

impl<T: Structure + Default> IntoInput for T {
    fn into_input(self) -> Option<Box<dyn Structure>> {
        Some(Box::new(self))
    }
    fn base() -> Option<Box<dyn Structure>> {
        Some(Box::new(T::default()))
    }
}

impl IntoInput for () {
    fn into_input(self) -> Option<Box<dyn Structure>> {
        None
    }
    fn base() -> Option<Box<dyn Structure>> {
        None
    }
}

/// An empty output of type `O`, boxed (`None` for `()`).
pub(crate) fn fresh<O: Output>() -> Option<Box<dyn Structure>> {
    Box::new(O::default()).into_structure()
}

/// The generated resource types: a newtype over [`Res`].
pub trait Resource: Sized + Send + 'static {
    /// Wraps a resource of this type.
    fn from_res(res: Res) -> Self;
    /// The resource.
    fn res(&self) -> &Res;
}

/// A resource: its client, type, identifiers and cached data. Clones share the data.
#[derive(Clone)]
pub struct Res(Arc<Inner>);

struct Inner {
    handle: ClientHandle,
    kind: &'static Kind,
    ids: Vec<String>,
    data: Mutex<Option<Arc<dyn Structure>>>,
}

impl std::fmt::Debug for Res {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let mut d = f.debug_struct(self.0.kind.name);
        for (name, v) in self.0.kind.identifiers.iter().zip(&self.0.ids) {
            d.field(name, v);
        }
        d.finish()
    }
}

/// As in boto3: the same type with the same identifiers; data does not count.
impl PartialEq for Res {
    fn eq(&self, other: &Self) -> bool {
        self.0.kind.name == other.0.kind.name && self.0.ids == other.0.ids
    }
}

impl Eq for Res {}

impl std::hash::Hash for Res {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.0.kind.name.hash(state);
        self.0.ids.hash(state);
    }
}

/// What a piece of resource work produced, before it is given its type.
#[derive(Default)]
struct Done {
    data: Option<Arc<dyn Structure>>,
    outputs: Vec<Option<Box<dyn Structure>>>,
    built: Vec<Res>,
}

/// An action's empty input, the caller's input and an empty output.
type Io = (
    Option<Box<dyn Structure>>,
    Option<Box<dyn Structure>>,
    Option<Box<dyn Structure>>,
);

fn io<I: IntoInput, O: Output>(input: I) -> Io {
    (I::base(), input.into_input(), fresh::<O>())
}

type Work = Pin<Box<dyn Future<Output = Result<Done>> + Send>>;
type Finish<T> = Box<dyn FnOnce(Done) -> Result<T> + Send>;

/// The future of a resource method (an attribute, `load`, an action, a reference): `.await` it.
#[must_use = "resource methods do nothing until awaited"]
pub struct Pending<T> {
    state: State<T>,
}

enum State<T> {
    Ready(Option<Result<T>>),
    Boxed(Pin<Box<dyn Future<Output = Result<T>> + Send>>),
    Work(Work, Option<Finish<T>>),
}

// Nothing in `Pending` is pinned structurally: the work is boxed and `T` is only moved out.
impl<T> Unpin for Pending<T> {}

impl<T> Pending<T> {
    /// An answer known at once.
    pub fn ready(r: Result<T>) -> Self {
        Pending {
            state: State::Ready(Some(r)),
        }
    }
    /// Any future (the transfer helpers).
    pub fn boxed(f: impl Future<Output = Result<T>> + Send + 'static) -> Self {
        Pending {
            state: State::Boxed(Box::pin(f)),
        }
    }
    fn work(
        work: impl Future<Output = Result<Done>> + Send + 'static,
        finish: impl FnOnce(Done) -> Result<T> + Send + 'static,
    ) -> Self {
        Pending {
            state: State::Work(Box::pin(work), Some(Box::new(finish))),
        }
    }
}

impl<T> Future for Pending<T> {
    type Output = Result<T>;
    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Result<T>> {
        let this = self.get_mut();
        let out = match &mut this.state {
            State::Ready(r) => return Poll::Ready(r.take().unwrap_or_else(|| Err(polled_twice()))),
            State::Boxed(f) => match f.as_mut().poll(cx) {
                Poll::Pending => return Poll::Pending,
                Poll::Ready(r) => r,
            },
            State::Work(work, finish) => match work.as_mut().poll(cx) {
                Poll::Pending => return Poll::Pending,
                Poll::Ready(done) => match finish.take() {
                    Some(f) => done.and_then(f),
                    None => Err(polled_twice()),
                },
            },
        };
        // Completed: a later poll answers with an error instead of polling the work again.
        this.state = State::Ready(None);
        Poll::Ready(out)
    }
}

impl<T> std::fmt::Debug for Pending<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Pending")
    }
}

fn polled_twice() -> Error {
    Error::new(
        ErrorKind::Validation,
        "a resource future was polled after it completed",
    )
}

fn mismatch(what: &str) -> Error {
    Error::new(
        ErrorKind::Response,
        format!("{what}: the value is not of the generated type (model mismatch)"),
    )
}

/// The output of a call as `O` (`()` for operations without output).
fn output_as<O: Output>(out: Option<Box<dyn Structure>>) -> Result<O> {
    match out {
        None => Ok(O::default()),
        Some(b) => {
            let any: Box<dyn Any> = b;
            any.downcast::<O>()
                .map(|b| *b)
                .map_err(|_| mismatch("operation output"))
        }
    }
}

fn data_as<D: Structure>(d: Option<Arc<dyn Structure>>, kind: &Kind) -> Result<Arc<D>> {
    let d = d.ok_or_else(|| no_load(kind.name))?;
    let any: Arc<dyn Any + Send + Sync> = d;
    any.downcast::<D>().map_err(|_| mismatch(kind.name))
}

fn needs_data(params: &[Param]) -> bool {
    params.iter().any(|p| matches!(p.1, Src::Data(_)))
}

/// Whether a call with `params` that builds with `build` reads the parent's data.
fn wants_data(params: &[Param], build: Option<&Build>) -> bool {
    needs_data(params) || build.is_some_and(|b| b.ids.iter().any(|s| matches!(s, IdSrc::Data(_))))
}

/// A copy of `s` as a value of `new`'s type, when it is of that shape.
/// A structure of another shape (ec2 `NetworkInterfaceAssociation` loads an
/// `AddressAssociation`-like element; s3 `ObjectVersion`s include `DeleteMarkerEntry`s) is copied
/// member by member by name, as boto3 keeps whatever dict the response had.
fn copy_into(s: &dyn Structure, new: New) -> Option<Box<dyn Structure>> {
    let mut d = new();
    if std::ptr::eq(s.shape(), d.shape()) {
        crate::value::copy_struct(s, &mut *d);
    } else {
        copy_by_name(s, &mut *d, &[]);
    }
    Some(d)
}

fn struct_of(j: &J, new: New) -> Option<Box<dyn Structure>> {
    match j {
        J::Val(ValueRef::Struct(s)) => copy_into(*s, new),
        _ => None,
    }
}

/// The structures `expr` selects (a projection or a list, element by element, or one structure).
fn picked(j: J, new: New) -> Vec<Option<Box<dyn Structure>>> {
    match j {
        J::List(l) => l.iter().map(|x| struct_of(x, new)).collect(),
        J::Val(ValueRef::List(l)) => (0..l.len())
            .map(|i| match l.get(i).get() {
                ValueRef::Struct(s) => copy_into(s, new),
                _ => None,
            })
            .collect(),
        other => vec![struct_of(&other, new)],
    }
}

/// True when no member of `s` is set (a batch action's page gave no parameters).
fn is_empty(s: &dyn Structure) -> bool {
    (0..s.shape().members.len()).all(|i| matches!(s.field(i).get(), ValueRef::Null))
}

impl Res {
    /// A resource with identifiers and no data yet (no request is sent).
    pub fn new(handle: ClientHandle, kind: &'static Kind, ids: Vec<String>) -> Res {
        Res::with_data(handle, kind, ids, None)
    }

    /// A resource with identifiers and data (from a response).
    pub fn with_data(
        handle: ClientHandle,
        kind: &'static Kind,
        ids: Vec<String>,
        data: Option<Box<dyn Structure>>,
    ) -> Res {
        Res(Arc::new(Inner {
            handle,
            kind,
            ids,
            data: Mutex::new(data.map(Arc::from)),
        }))
    }

    /// A resource of `kind` through the same client (a subresource: no request is sent): its
    /// identifiers are this resource's at positions `parent`, then `rest`.
    pub fn sub(
        &self,
        kind: &'static Kind,
        parent: &[usize],
        rest: impl IntoIterator<Item = String>,
    ) -> Res {
        let ids = parent.iter().map(|k| self.id(*k).to_string()).chain(rest);
        Res::new(self.0.handle.clone(), kind, ids.collect())
    }

    /// The client.
    pub fn handle(&self) -> &ClientHandle {
        &self.0.handle
    }

    /// The type.
    pub fn kind(&self) -> &'static Kind {
        self.0.kind
    }

    /// The identifiers, in the model's order.
    pub fn ids(&self) -> &[String] {
        &self.0.ids
    }

    /// The identifier at position `k`.
    pub fn id(&self, k: usize) -> &str {
        self.0.ids.get(k).map_or("", String::as_str)
    }

    /// The data, when loaded or received.
    pub fn cached(&self) -> Option<Arc<dyn Structure>> {
        self.0.data.lock().ok().and_then(|d| d.clone())
    }

    fn set(&self, d: Option<Arc<dyn Structure>>) {
        if let Ok(mut g) = self.0.data.lock() {
            *g = d;
        }
    }

    /// Forgets the data, so the next attribute loads again.
    pub fn clear(&self) {
        self.set(None);
    }

    /// Runs the load request and keeps the data it finds.
    async fn fetch(&self) -> Result<Arc<dyn Structure>> {
        let kind = self.0.kind;
        let (Some(load), Some(new)) = (kind.load, kind.data) else {
            return Err(no_load(kind.name));
        };
        let base = load.input.map(|f| f());
        let out = Some((load.output)());
        let called = self.call(&load.request, base, None, false, None, out).await;
        let (_, out) = match called {
            // boto3's `bucket_load` lets a caller without ListBuckets rights use the bucket.
            Err(e) if matches!(load.pick, Pick::Find(..)) && e.code() == Some("AccessDenied") => {
                let data: Arc<dyn Structure> = Arc::from(new());
                self.set(Some(data.clone()));
                return Ok(data);
            }
            r => r?,
        };
        let op = load.request.0.name;
        let out = out.ok_or_else(|| mismatch(op))?;
        let found = match load.pick {
            Pick::Path(e, text) => {
                let d = picked(e.search(&*out), new).into_iter().next().flatten();
                d.ok_or_else(|| not_found(kind.name, &self.0.ids, op, text))?
            }
            Pick::Find(list, member) => {
                // boto3's `bucket_load`: the listed bucket's data, or empty data when it is not
                // listed (another account's bucket).
                let want = Json::String(self.id(0).to_string());
                let found = picked(list.search(&*out), new)
                    .into_iter()
                    .flatten()
                    .find(|s| crate::jmespath::member_json(&**s, member) == want);
                found.unwrap_or_else(new)
            }
            Pick::Copy(renames) => {
                let mut d = new();
                copy_by_name(&*out, &mut *d, renames);
                d
            }
        };
        let data: Arc<dyn Structure> = Arc::from(found);
        self.set(Some(data.clone()));
        Ok(data)
    }

    /// The data: cached, else loaded.
    async fn current(&self) -> Result<Arc<dyn Structure>> {
        match self.cached() {
            Some(d) => Ok(d),
            None => self.fetch().await,
        }
    }

    /// The data when `wanted` (loaded if need be), else nothing.
    async fn data_if(&self, wanted: bool) -> Result<Option<Arc<dyn Structure>>> {
        match wanted {
            true => self.current().await.map(Some),
            false => Ok(None),
        }
    }

    /// Writes the model's parameters into `input`; `item` is the position for `[*]` targets.
    fn fill(
        &self,
        input: &mut dyn Structure,
        params: &'static [Param],
        data: Option<&dyn Structure>,
        item: Option<usize>,
    ) -> Result<()> {
        for Param(target, src) in params {
            let v = match src {
                Src::Id(k) => {
                    let id = self.id(*k);
                    let text = Json::String(id.to_string());
                    match set_param(input, target, &text, item) {
                        // An integer member (s3 `MultipartUploadPart.PartNumber`) takes the
                        // identifier's number.
                        Err(e) => match id.parse::<i64>() {
                            Ok(n) => Json::from(n),
                            Err(_) => return Err(e),
                        },
                        Ok(()) => continue,
                    }
                }
                Src::Data(e) => {
                    let d = data.ok_or_else(|| no_load(self.0.kind.name))?;
                    match e.search(d).to_json() {
                        Json::Null => continue,
                        v => v,
                    }
                }
                Src::Str(s) => Json::String(s.to_string()),
                Src::Int(n) => Json::from(*n),
                Src::Bool(b) => Json::Bool(*b),
            };
            set_param(input, target, &v, item)?;
        }
        Ok(())
    }

    /// Builds the request (model parameters, then the caller's, merged shallow or deep), sends
    /// it and returns the request as sent and the output.
    async fn call(
        &self,
        req: &'static Request,
        mut input: Option<Box<dyn Structure>>,
        user: Option<Box<dyn Structure>>,
        deep: bool,
        data: Option<&(dyn Structure + 'static)>,
        mut output: Option<Box<dyn Structure>>,
    ) -> Result<(Option<Box<dyn Structure>>, Option<Box<dyn Structure>>)> {
        if let Some(i) = input.as_deref_mut() {
            self.fill(i, req.1, data, None)?;
            if let Some(u) = user.as_deref() {
                if deep {
                    merge_deep(i, u);
                } else {
                    merge_shallow(i, u);
                }
            }
        }
        self.0
            .handle
            .invoke(req.0, input.as_deref_mut(), output.as_deref_mut())
            .await?;
        Ok((input, output))
    }

    /// boto3's `ResponseResource` handling: the resources `b` describes in `raw` (a response, or
    /// the parent's data for references). `None` when an identifier is missing and none is a list.
    fn build(
        &self,
        b: &'static Build,
        req: Option<&dyn Structure>,
        raw: Option<&dyn Structure>,
        data: Option<&dyn Structure>,
    ) -> Result<Option<Vec<Res>>> {
        let search = |e: &'static Expr, s: Option<&dyn Structure>| {
            s.map_or(Json::Null, |s| e.search(s).to_json())
        };
        let values: Vec<Json> = b
            .ids
            .iter()
            .map(|src| match src {
                IdSrc::Response(e) => search(e, raw),
                IdSrc::Request(e) | IdSrc::EachRequest(e) => search(e, req),
                IdSrc::Id(k) => match self.id(*k) {
                    "" => Json::Null,
                    s => Json::String(s.to_string()),
                },
                IdSrc::Data(e) => search(e, data),
                IdSrc::Input => Json::Null,
            })
            .collect();
        let sets = if matches!(b.ids.first(), Some(IdSrc::EachRequest(_))) {
            cross(values)
        } else {
            match build_identifiers(values) {
                Built::Empty => return Ok(None),
                Built::One(v) => vec![v],
                Built::Many(vs) => vs,
            }
        };
        let mut datas = match (b.path, b.kind.data, raw) {
            (Some(p), Some(new), Some(r)) => picked(p.search(r), new),
            _ => Vec::new(),
        }
        .into_iter();
        let kind = b.kind;
        sets.into_iter()
            .map(|vals| {
                let ids = vals
                    .iter()
                    .zip(kind.identifiers)
                    .map(|(v, name)| {
                        identifier_text(v).ok_or_else(|| {
                            Error::response(format!(
                                "{}: the response gives no value for its identifier {name} ({v})",
                                kind.name
                            ))
                        })
                    })
                    .collect::<Result<Vec<_>>>()?;
                let d = datas.next().flatten();
                Ok(Res::with_data(self.0.handle.clone(), kind, ids, d))
            })
            .collect::<Result<Vec<_>>>()
            .map(Some)
    }

    async fn run_action(self, spec: &'static Action, (base, user, out): Io) -> Result<Done> {
        let data = self.data_if(wants_data(spec.0 .1, spec.1)).await?;
        let (input, output) = self
            .call(&spec.0, base, user, false, data.as_deref(), out)
            .await?;
        if self.0.kind.load.is_some() {
            self.clear();
        }
        let built = match spec.1 {
            Some(b) => self
                .build(b, input.as_deref(), output.as_deref(), data.as_deref())?
                .unwrap_or_default(),
            None => Vec::new(),
        };
        Ok(Done {
            outputs: vec![output],
            built,
            ..Done::default()
        })
    }

    /// `load()` / `reload()`: runs the load request and keeps the data.
    pub fn load(&self) -> Pending<()> {
        let me = self.clone();
        Pending::work(
            async move {
                me.fetch().await?;
                Ok(Done::default())
            },
            |_| Ok(()),
        )
    }

    fn data_work(&self) -> impl Future<Output = Result<Done>> + Send + 'static {
        let me = self.clone();
        async move {
            Ok(Done {
                data: Some(me.current().await?),
                ..Done::default()
            })
        }
    }

    /// The data as `D`, loaded on first use.
    pub fn data<D: Structure>(&self) -> Pending<Arc<D>> {
        let kind = self.0.kind;
        Pending::work(self.data_work(), move |d| data_as::<D>(d.data, kind))
    }

    /// An attribute: `get` applied to the data, loaded on first use.
    pub fn attr<D: Structure, T: Send + 'static>(&self, get: fn(&D) -> T) -> Pending<T> {
        let kind = self.0.kind;
        Pending::work(self.data_work(), move |d| {
            data_as::<D>(d.data, kind).map(|d| get(&d))
        })
    }

    /// An attribute that is the identifier at `k` (boto3's `memberName` alias): no request.
    pub fn alias(&self, k: usize) -> Pending<Option<String>> {
        Pending::ready(Ok(Some(self.id(k).to_string())))
    }

    /// An action returning the operation's output.
    pub fn act<I: IntoInput, O: Output>(&self, spec: &'static Action, input: I) -> Pending<O> {
        Pending::work(self.clone().run_action(spec, io::<I, O>(input)), |d| {
            output_as(d.outputs.into_iter().next().flatten())
        })
    }

    /// An action returning one resource.
    pub fn act_one<I: IntoInput, O: Output, R: Resource>(
        &self,
        spec: &'static Action,
        input: I,
    ) -> Pending<R> {
        let name = spec.1.map_or("resource", |b| b.kind.name);
        Pending::work(self.clone().run_action(spec, io::<I, O>(input)), move |d| {
            d.built
                .into_iter()
                .next()
                .map(R::from_res)
                .ok_or_else(|| Error::response(format!("the response did not identify a {name}")))
        })
    }

    /// An action returning a list of resources.
    pub fn act_many<I: IntoInput, O: Output, R: Resource>(
        &self,
        spec: &'static Action,
        input: I,
    ) -> Pending<Vec<R>> {
        Pending::work(self.clone().run_action(spec, io::<I, O>(input)), |d| {
            Ok(d.built.into_iter().map(R::from_res).collect())
        })
    }

    fn reference_work(&self, b: &'static Build) -> impl Future<Output = Result<Done>> + Send {
        let me = self.clone();
        async move {
            // boto3 loads the parent when it has a load and no data yet.
            let data = match (me.cached(), me.0.kind.load) {
                (Some(d), _) => Some(d),
                (None, Some(_)) => Some(me.fetch().await?),
                // Data is needed and there is no way to get it: boto3 raises here too.
                (None, None) => return Err(no_load(me.0.kind.name)),
            };
            let built = me.build(b, None, data.as_deref(), data.as_deref())?;
            Ok(Done {
                built: built.unwrap_or_default(),
                ..Done::default()
            })
        }
    }

    /// A reference (`has` with data sources): `None` when the data does not name one.
    pub fn reference<R: Resource>(&self, b: &'static Build) -> Pending<Option<R>> {
        Pending::work(self.reference_work(b), |d| {
            Ok(d.built.into_iter().next().map(R::from_res))
        })
    }

    /// A reference whose data path is a list.
    pub fn references<R: Resource>(&self, b: &'static Build) -> Pending<Vec<R>> {
        Pending::work(self.reference_work(b), |d| {
            Ok(d.built.into_iter().map(R::from_res).collect())
        })
    }

    /// A resource waiter: the client's waiter with the parameters filled from identifiers.
    pub fn waiter<I, O>(&self, spec: &'static WaiterSpec, params: &'static [Param]) -> Waiter<I, O>
    where
        I: Structure + Default + Clone + 'static,
        O: Output + Structure,
    {
        let mut input = I::default();
        let filled = self.fill(&mut input, params, None, None);
        let w = Waiter::new(self.0.handle.clone(), spec, input);
        match filled {
            Ok(()) => w,
            Err(e) => w.fail_with(e),
        }
    }

    /// One page's worth of batch parameters: each resource writes its parameters with its
    /// position as the `[*]` index. `None` when the page gave none (boto3 stops there).
    pub(crate) async fn batch_params(
        page: &[Res],
        req: &'static Request,
        base: Option<Box<dyn Structure>>,
    ) -> Result<Option<Box<dyn Structure>>> {
        let mut params = base.ok_or_else(|| mismatch(req.0.name))?;
        for (i, r) in page.iter().enumerate() {
            let data = r.data_if(needs_data(req.1)).await?;
            r.fill(&mut *params, req.1, data.as_deref(), Some(i))?;
        }
        Ok((!is_empty(&*params)).then_some(params))
    }

    pub(crate) async fn invoke_batch(
        &self,
        req: &'static Request,
        mut params: Box<dyn Structure>,
        user: Option<&dyn Structure>,
        mut out: Option<Box<dyn Structure>>,
    ) -> Result<Option<Box<dyn Structure>>> {
        if let Some(u) = user {
            merge_shallow(&mut *params, u);
        }
        self.0
            .handle
            .invoke(req.0, Some(&mut *params), out.as_deref_mut())
            .await?;
        Ok(out)
    }

    /// The collection's request for its first page.
    pub(crate) async fn collection_input(
        &self,
        spec: &'static CollectionSpec,
        mut input: Box<dyn Structure>,
        user: &dyn Structure,
    ) -> Result<(Box<dyn Structure>, Option<Arc<dyn Structure>>)> {
        let data = self
            .data_if(wants_data(spec.request.1, Some(spec.build)))
            .await?;
        self.fill(&mut *input, spec.request.1, data.as_deref(), None)?;
        merge_deep(&mut *input, user);
        Ok((input, data))
    }

    /// One page of a collection: the call and the resources built from it.
    pub(crate) async fn collection_page(
        &self,
        spec: &'static CollectionSpec,
        input: &mut dyn Structure,
        data: Option<&(dyn Structure + 'static)>,
    ) -> Result<(Box<dyn Structure>, Vec<Res>)> {
        let mut out = (spec.output)();
        self.0
            .handle
            .invoke(spec.request.0, Some(&mut *input), Some(&mut *out))
            .await?;
        let built = self
            .build(spec.build, Some(&*input), Some(&*out), data)?
            .unwrap_or_default();
        Ok((out, built))
    }
}

/// boto3's ec2 `create_tags`: one identifier set per first value (each resource id) and per
/// element of the other, zipped, lists (each tag's key and value).
fn cross(values: Vec<Json>) -> Vec<Vec<Json>> {
    let as_list = |v: &Json| match v {
        Json::Array(a) => a.clone(),
        Json::Null => Vec::new(),
        s => vec![s.clone()],
    };
    let firsts = values.first().map(as_list).unwrap_or_default();
    let rest: Vec<Vec<Json>> = values.iter().skip(1).map(as_list).collect();
    let n = rest.iter().map(Vec::len).min().unwrap_or(0);
    let mut out = Vec::new();
    for f in firsts {
        for i in 0..n {
            let mut set = vec![f.clone()];
            set.extend(rest.iter().map(|r| r[i].clone()));
            out.push(set);
        }
    }
    out
}

/// `outputs` of a batch action, each as `O`.
pub(crate) fn outputs_as<O: Output>(outs: Vec<Option<Box<dyn Structure>>>) -> Result<Vec<O>> {
    outs.into_iter().map(output_as).collect()
}

/// Wraps batch-action work into a [`Pending`].
pub(crate) fn pending_outputs<O: Output>(
    work: impl Future<Output = Result<Vec<Option<Box<dyn Structure>>>>> + Send + 'static,
) -> Pending<Vec<O>> {
    Pending::work(
        async move {
            Ok(Done {
                outputs: work.await?,
                ..Done::default()
            })
        },
        |d| outputs_as(d.outputs),
    )
}

/// Copies the members `from` and `to` share by name (`renames` maps a name in `from` to one in
/// `to`), as JSON so that members of different enum or list types still carry over.
fn copy_by_name(from: &dyn Structure, to: &mut dyn Structure, renames: &[(&str, &str)]) {
    let shape = from.shape();
    for (i, m) in shape.members.iter().enumerate() {
        let name = renames
            .iter()
            .find(|(a, _)| *a == m.name)
            .map_or(m.name, |(_, b)| *b);
        let Some(j) = to.shape().member_index(name) else {
            continue;
        };
        let v = crate::jmespath::value_to_json(from.field(i).get());
        if v.is_null() {
            continue;
        }
        let target = &to.shape().members[j];
        let _ = crate::wire::json::read_value(&v, target, to.field_mut(j), 0);
    }
}

/// The error of a load that found nothing (boto3 fails on the next attribute access instead).
pub fn not_found(resource: &str, ids: &[String], operation: &str, path: &str) -> Error {
    Error::new(
        ErrorKind::Response,
        format!("{resource} {ids:?} was not found: {operation} returned nothing at `{path}`"),
    )
}

/// The error of data needed from a resource that has no load request and came without data.
pub fn no_load(resource: &str) -> Error {
    Error::new(
        ErrorKind::Validation,
        format!("{resource} has no load request and was made without data, so its attributes are unknown"),
    )
}
