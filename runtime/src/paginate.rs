//! Paginators (botocore's `PageIterator`): pages as a [`Stream`], `page_size`, `max_items`,
//! `starting_token` and resume tokens, driven by a generated [`PaginatorSpec`].

use crate::client::{ClientHandle, Output};
use crate::error::{Error, ErrorKind, Result};
use crate::jmespath::Expr;
use crate::schema::{Kind, Operation};
use crate::value::{Scalar, Structure};
use base64::Engine;
use futures::stream::{BoxStream, Stream, StreamExt};
use serde_json::{Map, Value as Json};
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};

/// One paginator of `paginators-1.json`, compiled.
#[derive(Debug)]
pub struct PaginatorSpec {
    /// The operation paged through.
    pub operation: &'static Operation,
    /// Request members that take the tokens.
    pub input_tokens: &'static [&'static str],
    /// Where each token is found in a response (zipped with `input_tokens`).
    pub output_tokens: &'static [Expr],
    /// A falsy result ends the pagination.
    pub more_results: Option<&'static Expr>,
    /// The request member that receives `page_size`.
    pub limit_key: Option<&'static str>,
    /// The aggregated keys, primary first.
    pub result_keys: &'static [Expr],
    /// Keys taken from the first page only.
    pub non_aggregate_keys: &'static [Expr],
}

/// Takes a page's primary result list (`None` when the primary key is not a list).
pub type Primary<O, T> = fn(&mut O) -> Option<&mut Vec<T>>;

/// A paginator for one operation: configure it, then read [`pages`](Self::pages) or
/// [`items`](Self::items).
pub struct Paginator<I, O, T> {
    handle: ClientHandle,
    spec: &'static PaginatorSpec,
    input: I,
    page_size: Option<i64>,
    max_items: Option<usize>,
    starting_token: Option<String>,
    primary: Primary<O, T>,
}

impl<I, O, T> std::fmt::Debug for Paginator<I, O, T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Paginator")
            .field("operation", &self.spec.operation.name)
            .field("page_size", &self.page_size)
            .field("max_items", &self.max_items)
            .field("starting_token", &self.starting_token)
            .finish()
    }
}

impl<I, O, T> Paginator<I, O, T>
where
    I: Structure + Clone + 'static,
    O: Output + Structure,
    T: Send + 'static,
{
    /// A paginator over `spec.operation` with `input` (used by generated `<op>_paginator` methods).
    pub fn new(
        handle: ClientHandle,
        spec: &'static PaginatorSpec,
        input: I,
        primary: Primary<O, T>,
    ) -> Self {
        Paginator {
            handle,
            spec,
            input,
            page_size: None,
            max_items: None,
            starting_token: None,
            primary,
        }
    }
    /// Items per request (`PaginationConfig.PageSize`, the paginator's `limit_key`).
    pub fn page_size(mut self, n: i64) -> Self {
        self.page_size = Some(n);
        self
    }
    /// Items in all (`PaginationConfig.MaxItems`), counted in the primary result key; the page
    /// where it is reached is truncated and a resume token is kept.
    pub fn max_items(mut self, n: usize) -> Self {
        self.max_items = Some(n);
        self
    }
    /// Where to start (`PaginationConfig.StartingToken`): a resume token from an earlier run.
    pub fn starting_token(mut self, token: impl Into<String>) -> Self {
        self.starting_token = Some(token.into());
        self
    }

    /// The pages, as a stream of outputs; [`Pages::resume_token`] gives where to go on after
    /// `max_items` stopped it.
    pub fn pages(self) -> Pages<O> {
        let resume = Arc::new(Mutex::new(None));
        let state = State {
            p: self,
            resume: resume.clone(),
            next: None,
            previous: None,
            total: 0,
            first: true,
            done: false,
            starting_truncation: 0,
            pending: None,
        };
        let stream = futures::stream::unfold(state, |mut st| async move {
            if st.done {
                return None;
            }
            match st.step().await {
                Ok(page) => Some((Ok(page), st)),
                Err(e) => {
                    st.done = true;
                    Some((Err(e), st))
                }
            }
        })
        .boxed();
        Pages { stream, resume }
    }

    /// The primary result key's items across all pages (`max_items` counts these).
    pub fn items(self) -> Items<T> {
        let primary = self.primary;
        self.items_of(primary)
    }

    /// The items of another result key (paginators with several: the generated
    /// `paginators::<operation>` module has one accessor per key), across all pages.
    pub fn items_of<U: Send + 'static>(self, key: Primary<O, U>) -> Items<U> {
        let pages = self.pages();
        let resume = pages.resume.clone();
        let stream = pages
            .flat_map(move |page| match page {
                Ok(mut o) => {
                    let items = key(&mut o).map(std::mem::take).unwrap_or_default();
                    futures::stream::iter(items.into_iter().map(Ok).collect::<Vec<_>>())
                }
                Err(e) => futures::stream::iter(vec![Err(e)]),
            })
            .boxed();
        Items { stream, resume }
    }
}

struct State<I, O, T> {
    p: Paginator<I, O, T>,
    resume: Arc<Mutex<Option<String>>>,
    /// The tokens of the request about to be sent (or just sent).
    next: Option<Map<String, Json>>,
    previous: Option<Map<String, Json>>,
    total: usize,
    first: bool,
    done: bool,
    starting_truncation: usize,
    /// An error to report after the page just returned (the repeated-token guard, as botocore
    /// yields the page first).
    pending: Option<Error>,
}

fn pagination_error(msg: impl Into<String>) -> Error {
    Error::new(ErrorKind::Response, msg)
}

impl<I, O, T> State<I, O, T>
where
    I: Structure + Clone + 'static,
    O: Output + Structure,
    T: Send + 'static,
{
    async fn step(&mut self) -> Result<O> {
        if let Some(e) = self.pending.take() {
            return Err(e);
        }
        let spec = self.p.spec;
        if self.first {
            let mut tokens: Map<String, Json> = spec
                .input_tokens
                .iter()
                .map(|t| (t.to_string(), Json::Null))
                .collect();
            // Tokens the caller put in the request are kept unless a starting token replaces them.
            if let Some(start) = &self.p.starting_token {
                let (t, truncation) = decode_token(start, spec.input_tokens)?;
                tokens = t;
                self.starting_truncation = truncation;
                inject_tokens(&mut self.p.input, &tokens)?;
            }
            self.next = Some(tokens);
            if let Some(n) = self.p.page_size {
                set_page_size(spec, &mut self.p.input, n)?;
            }
        }
        let mut page: O = self
            .p
            .handle
            .send(spec.operation, self.p.input.clone())
            .await?;
        let starting_truncation = if self.first {
            self.first = false;
            if self.p.starting_token.is_some() {
                if let Some(list) = (self.p.primary)(&mut page) {
                    let n = self.starting_truncation.min(list.len());
                    list.drain(..n);
                }
                clear_secondary_keys(&mut page, spec);
            }
            self.starting_truncation
        } else {
            0
        };
        let count = (self.p.primary)(&mut page).map_or(0, |l| l.len());
        if let Some(max) = self.p.max_items {
            if self.total + count > max {
                let keep = max - self.total;
                if let Some(list) = (self.p.primary)(&mut page) {
                    list.truncate(keep);
                }
                let mut token = self.next.clone().unwrap_or_default();
                token.insert(
                    "boto_truncate_amount".into(),
                    Json::from(keep + starting_truncation),
                );
                self.set_resume(&token);
                self.done = true;
                return Ok(page);
            }
        }
        self.total += count;
        let next = next_tokens(spec, &page);
        if next.values().all(Json::is_null) {
            self.done = true;
            return Ok(page);
        }
        if self.p.max_items == Some(self.total) {
            self.set_resume(&next);
            self.done = true;
            return Ok(page);
        }
        if self.previous.as_ref() == Some(&next) {
            self.pending = Some(repeated_token(spec, next));
            return Ok(page);
        }
        inject_tokens(&mut self.p.input, &next)?;
        self.previous = Some(next.clone());
        self.next = Some(next);
        Ok(page)
    }

    fn set_resume(&self, token: &Map<String, Json>) {
        let text = serde_json::to_string(&Json::Object(token.clone())).unwrap_or_default();
        if let Ok(mut r) = self.resume.lock() {
            *r = Some(base64::engine::general_purpose::STANDARD.encode(text));
        }
    }
}

/// Sets `PageSize` on the request through the paginator's limit key (an error when it has none).
pub(crate) fn set_page_size(spec: &PaginatorSpec, input: &mut dyn Structure, n: i64) -> Result<()> {
    let key = spec.limit_key.ok_or_else(|| {
        Error::validation(format!(
            "{}: page_size is not supported (the paginator has no limit key)",
            spec.operation.name
        ))
    })?;
    set_member(input, key, n)
}

/// The error of a response repeating the previous page's next token (botocore's guard against
/// paging forever); reported after that page.
pub(crate) fn repeated_token(spec: &PaginatorSpec, next: Map<String, Json>) -> Error {
    pagination_error(format!(
        "{}: the same next token was received twice: {}",
        spec.operation.name,
        Json::Object(next)
    ))
}

/// The next request's tokens from a page: null where the output token is falsy; all null when
/// `more_results` says the listing is complete.
pub(crate) fn next_tokens(spec: &PaginatorSpec, page: &dyn Structure) -> Map<String, Json> {
    // Python truthiness, as botocore tests tokens: a 0 is no token either.
    let truthy = |v: &crate::jmespath::J| v.truthy() && v.to_json().as_f64() != Some(0.0);
    let more = spec.more_results.is_none_or(|e| truthy(&e.search(page)));
    spec.input_tokens
        .iter()
        .zip(spec.output_tokens)
        .map(|(name, expr)| {
            let v = expr.search(page);
            let j = if more && truthy(&v) {
                v.to_json()
            } else {
                Json::Null
            };
            (name.to_string(), j)
        })
        .collect()
}

/// Sets each token on the request; a null token (or the text `None`) unsets its member.
pub(crate) fn inject_tokens(input: &mut dyn Structure, tokens: &Map<String, Json>) -> Result<()> {
    for (name, v) in tokens {
        let Some(i) = input.shape().member_index(name) else {
            continue;
        };
        if v.is_null() || v.as_str() == Some("None") {
            input.field_mut(i).clear();
            continue;
        }
        let m = &input.shape().members[i];
        input.field_mut(i).clear();
        let value = match (m.target.kind, v) {
            // Tokens that were numbers or strings in the output may be the other in the input.
            (Kind::String, Json::Number(n)) => Json::String(n.to_string()),
            (k, Json::String(s)) if k.is_integer() => s
                .parse::<i64>()
                .map(Json::from)
                .unwrap_or_else(|_| v.clone()),
            _ => v.clone(),
        };
        crate::wire::json::read_value(&value, m, input.field_mut(i), 0).map_err(|e| {
            Error::validation(format!(
                "invalid pagination token for {name}:{}",
                e.message().unwrap_or("")
            ))
        })?;
    }
    Ok(())
}

/// Sets `page_size` on the limit key: a string member gets text, others a number.
pub(crate) fn set_member(input: &mut dyn Structure, name: &str, n: i64) -> Result<()> {
    let i = input
        .shape()
        .member_index(name)
        .ok_or_else(|| Error::validation(format!("the request has no member {name}")))?;
    let v = match input.shape().members[i].target.kind {
        Kind::String => Scalar::Str(n.to_string()),
        _ => Scalar::Int(n),
    };
    input
        .field_mut(i)
        .set(v)
        .map_err(|e| Error::validation(format!("{name}: {}", e.0)))
}

/// On a resumed first page, secondary result keys are emptied (numbers are kept).
fn clear_secondary_keys(page: &mut dyn Structure, spec: &PaginatorSpec) {
    for key in spec.result_keys.iter().skip(1) {
        if let Expr::Field(name) = key {
            if let Some(i) = page.shape().member_index(name) {
                let kind = page.shape().members[i].target.kind;
                // Lists and text become empty (botocore's [] and ""); numbers are kept.
                if matches!(kind, Kind::List | Kind::String | Kind::Map) {
                    let slot = page.field_mut(i);
                    slot.clear();
                    slot.ensure_present();
                }
            }
        }
    }
}

/// Decodes a starting token: base64 JSON `{token: value, ..., "boto_truncate_amount": n}`, or the
/// older `tok1___tok2___n` form.
pub fn decode_token(token: &str, input_tokens: &[&str]) -> Result<(Map<String, Json>, usize)> {
    // Line breaks in a wrapped token are ignored, as Python's b64decode does.
    let compact: String = token.chars().filter(|c| !c.is_whitespace()).collect();
    let decoded = base64::engine::general_purpose::STANDARD
        .decode(compact)
        .ok()
        .and_then(|b| serde_json::from_slice::<Json>(&b).ok());
    if let Some(Json::Object(mut m)) = decoded {
        let n = m
            .remove("boto_truncate_amount")
            .and_then(|v| v.as_u64())
            .unwrap_or(0) as usize;
        // botocore lists the paths of bytes values; blobs are read from base64 here anyway.
        m.remove("boto_encoded_keys");
        if let Some(k) = m.keys().find(|k| !input_tokens.contains(&k.as_str())) {
            return Err(Error::validation(format!(
                "bad starting token: it names {k:?}, which is not a token of this paginator"
            )));
        }
        return Ok((m, n));
    }
    let mut parts: Vec<&str> = token.split("___").collect();
    let mut n = 0;
    if parts.len() == input_tokens.len() + 1 {
        match parts.last().and_then(|p| p.parse::<usize>().ok()) {
            Some(x) => {
                n = x;
                parts.pop();
            }
            None => parts = vec![token],
        }
    }
    if parts.len() > input_tokens.len() {
        return Err(Error::validation(format!("bad starting token: {token}")));
    }
    let mut m = Map::new();
    for (i, name) in input_tokens.iter().enumerate() {
        let v = match parts.get(i) {
            Some(&"None") | None => Json::Null,
            Some(p) => Json::String(p.to_string()),
        };
        m.insert(name.to_string(), v);
    }
    Ok((m, n))
}

/// The pages of a paginator.
pub struct Pages<O> {
    stream: BoxStream<'static, Result<O>>,
    resume: Arc<Mutex<Option<String>>>,
}

impl<O> Pages<O> {
    /// After the stream ended because `max_items` was reached: the token that `starting_token`
    /// takes to go on from there (botocore's `resume_token`).
    pub fn resume_token(&self) -> Option<String> {
        self.resume.lock().ok().and_then(|r| r.clone())
    }
}

impl<O> Stream for Pages<O> {
    type Item = Result<O>;
    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Result<O>>> {
        self.stream.as_mut().poll_next(cx)
    }
}

impl<O> std::fmt::Debug for Pages<O> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Pages")
    }
}

/// The items of a paginator's primary result key.
pub struct Items<T> {
    stream: BoxStream<'static, Result<T>>,
    resume: Arc<Mutex<Option<String>>>,
}

impl<T> Items<T> {
    /// See [`Pages::resume_token`].
    pub fn resume_token(&self) -> Option<String> {
        self.resume.lock().ok().and_then(|r| r.clone())
    }
}

impl<T> Stream for Items<T> {
    type Item = Result<T>;
    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Result<T>>> {
        self.stream.as_mut().poll_next(cx)
    }
}

impl<T> std::fmt::Debug for Items<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Items")
    }
}
