//! Collections (`hasMany`): boto3's `CollectionManager` and `ResourceCollection` in one builder.
//! Pages come from the operation's paginator when it has one (else one call is one page) and are
//! turned into resources one page at a time, so a stream holds at most one page.

use super::core::{
    fresh, pending_outputs, CollectionSpec, IntoInput, Pending, Request, Res, Resource,
};
use crate::error::{Error, Result};
use crate::paginate::{inject_tokens, next_tokens, repeated_token, set_page_size};
use crate::value::Structure;
use futures::stream::{BoxStream, StreamExt, TryStreamExt};
use serde_json::{Map, Value as Json};
use std::marker::PhantomData;
use std::sync::Arc;

/// A collection of `R` from an operation taking `I`: refine it with [`filter`](Self::filter),
/// [`limit`](Self::limit) and [`page_size`](Self::page_size), then read
/// [`pages`](Self::pages) or [`stream`](Self::stream). Nothing is sent until a stream is read.
pub struct Collection<I, R> {
    parent: Res,
    spec: &'static CollectionSpec,
    params: I,
    limit: Option<usize>,
    page_size: Option<i64>,
    _r: PhantomData<fn() -> R>,
}

impl<I: Clone, R> Clone for Collection<I, R> {
    fn clone(&self) -> Self {
        Collection {
            parent: self.parent.clone(),
            spec: self.spec,
            params: self.params.clone(),
            limit: self.limit,
            page_size: self.page_size,
            _r: PhantomData,
        }
    }
}

impl<I: std::fmt::Debug, R> std::fmt::Debug for Collection<I, R> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Collection")
            .field("of", &self.spec.build.kind.name)
            .field("operation", &self.spec.request.0.name)
            .field("params", &self.params)
            .field("limit", &self.limit)
            .field("page_size", &self.page_size)
            .finish()
    }
}

impl Res {
    /// A collection of this resource (`hasMany`).
    pub fn collection<I, R>(&self, spec: &'static CollectionSpec) -> Collection<I, R>
    where
        I: Structure + Default + Clone,
        R: Resource,
    {
        Collection::new(self.clone(), spec)
    }
}

impl<I, R> Collection<I, R>
where
    I: Structure + Default + Clone,
    R: Resource,
{
    /// The collection `spec` of `parent` (used by generated methods).
    pub fn new(parent: Res, spec: &'static CollectionSpec) -> Self {
        Collection {
            parent,
            spec,
            params: I::default(),
            limit: None,
            page_size: None,
            _r: PhantomData,
        }
    }

    /// The whole collection (boto3's `all()`).
    pub fn all(self) -> Self {
        self
    }

    /// Adds request parameters, merged deep into the earlier ones as boto3 does (structures member
    /// by member, lists appended: a filter adds to the model's filters).
    pub fn filter(mut self, input: I) -> Self {
        super::merge_deep(&mut self.params, &input);
        self
    }

    /// At most `n` resources in all; with a paginator also its `MaxItems`.
    pub fn limit(mut self, n: usize) -> Self {
        self.limit = Some(n);
        self
    }

    /// Items per request (the paginator's `PageSize`); ignored when the operation has no
    /// paginator, as in boto3.
    pub fn page_size(mut self, n: i64) -> Self {
        self.page_size = Some(n);
        self
    }

    /// The pages as untyped resources.
    fn raw(&self) -> BoxStream<'static, Result<Vec<Res>>> {
        raw_pages(
            self.parent.clone(),
            self.spec,
            Box::new(I::default()),
            Box::new(self.params.clone()),
            self.limit,
            self.page_size,
        )
    }

    /// The resources, one `Vec` per response page.
    pub fn pages(&self) -> BoxStream<'static, Result<Vec<R>>> {
        self.raw()
            .map_ok(|page| page.into_iter().map(R::from_res).collect())
            .boxed()
    }

    /// The resources one by one, across pages.
    pub fn stream(&self) -> BoxStream<'static, Result<R>> {
        self.pages()
            .map_ok(|page| futures::stream::iter(page.into_iter().map(Ok)))
            .try_flatten()
            .boxed()
    }

    /// A batch action (used by generated methods): for each page, the resources' parameters go
    /// into one request, then the caller's `input` is merged over it (shallow) and it is sent.
    /// Stops at the first page that gives no parameters. One output per request sent.
    pub fn batch<B: IntoInput, O: crate::client::Output>(
        &self,
        req: &'static Request,
        input: B,
    ) -> Pending<Vec<O>> {
        let input = input.into_input();
        let mut pages = self.raw();
        pending_outputs(async move {
            let mut outs = Vec::new();
            while let Some(page) = pages.next().await {
                let page = page?;
                let Some(params) = Res::batch_params(&page, req, B::base()).await? else {
                    break;
                };
                let first = &page[0];
                let out = fresh::<O>();
                outs.push(
                    first
                        .invoke_batch(req, params, input.as_deref(), out)
                        .await?,
                );
            }
            Ok(outs)
        })
    }
}

type Prepared = (Box<dyn Structure>, Option<Arc<dyn Structure>>);

struct PageState {
    parent: Res,
    spec: &'static CollectionSpec,
    base: Option<Box<dyn Structure>>,
    user: Box<dyn Structure>,
    /// The request (tokens advance it page by page) and the parent's data it was built with.
    input: Option<Prepared>,
    limit: Option<usize>,
    page_size: Option<i64>,
    /// Resources yielded so far.
    count: usize,
    /// Items of the paginator's primary result key so far (its `MaxItems` counts these).
    primary: usize,
    previous: Option<Map<String, Json>>,
    pending: Option<Error>,
    done: bool,
}

impl PageState {
    async fn step(&mut self) -> Result<Vec<Res>> {
        if let Some(e) = self.pending.take() {
            self.done = true;
            return Err(e);
        }
        let spec = self.spec;
        if self.input.is_none() {
            let base = self.base.take().ok_or_else(|| {
                Error::validation(format!(
                    "{}: the collection was read twice",
                    spec.request.0.name
                ))
            })?;
            let (mut input, data) = self
                .parent
                .collection_input(spec, base, &*self.user)
                .await?;
            if let (Some(n), Some(p)) = (self.page_size, spec.paginator) {
                set_page_size(p, &mut *input, n)?;
            }
            self.input = Some((input, data));
        }
        let Some((input, data)) = self.input.as_mut() else {
            return Ok(Vec::new());
        };
        let (out, mut items) = self
            .parent
            .collection_page(spec, &mut **input, data.as_deref())
            .await?;
        if let Some(limit) = self.limit {
            items.truncate(limit.saturating_sub(self.count));
        }
        self.count += items.len();
        let limited = |n: usize| self.limit.is_some_and(|l| n >= l);
        let Some(p) = spec.paginator else {
            self.done = true;
            return Ok(items);
        };
        if let Some(key) = p.result_keys.first() {
            self.primary += match key.search(&*out) {
                crate::jmespath::J::List(l) => l.len(),
                crate::jmespath::J::Val(crate::value::ValueRef::List(l)) => l.len(),
                _ => 0,
            };
        }
        if limited(self.count) || limited(self.primary) {
            self.done = true;
            return Ok(items);
        }
        let next = next_tokens(p, &*out);
        if next.values().all(Json::is_null) {
            self.done = true;
        } else if self.previous.as_ref() == Some(&next) {
            self.pending = Some(repeated_token(p, next));
        } else {
            inject_tokens(&mut **input, &next)?;
            self.previous = Some(next);
        }
        Ok(items)
    }
}

/// The pages of a collection as untyped resources.
fn raw_pages(
    parent: Res,
    spec: &'static CollectionSpec,
    base: Box<dyn Structure>,
    user: Box<dyn Structure>,
    limit: Option<usize>,
    page_size: Option<i64>,
) -> BoxStream<'static, Result<Vec<Res>>> {
    let state = PageState {
        parent,
        spec,
        base: Some(base),
        user,
        input: None,
        limit,
        page_size,
        count: 0,
        primary: 0,
        previous: None,
        pending: None,
        done: limit == Some(0),
    };
    futures::stream::unfold(state, |mut st| async move {
        if st.done {
            return None;
        }
        match st.step().await {
            Ok(items) => Some((Ok(items), st)),
            Err(e) => {
                st.done = true;
                Some((Err(e), st))
            }
        }
    })
    .boxed()
}
