//! boto3's DynamoDB `Table` resource, typed: its item methods take and return native values
//! (anything `Serialize` / `Deserialize`), conditions are [`Condition`]s, and `batch_writer`
//! buffers writes. The generated `Table` calls into here; the raw client is untouched.

use super::conditions::{Condition, ExpressionBuilder};
use super::{to_item, ConvertError, Item, Number, Value};
use crate::client::ClientHandle;
use crate::error::{Error, Result};
use crate::jmespath::member_json;
use crate::resource::Res;
use crate::schema::Operation;
use crate::value::Structure;
use futures::stream::BoxStream;
use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::{Map, Value as Json};
use std::collections::BTreeMap;
use std::future::{Future, IntoFuture};
use std::marker::PhantomData;
use std::pin::Pin;
use std::time::Duration;

/// A value as the DynamoDB protocol writes it (`{"S": "x"}`, `{"B": "<base64>"}`).
pub(crate) fn wire_json(v: &Value) -> Json {
    use base64::Engine;
    let b64 = |b: &[u8]| Json::from(base64::engine::general_purpose::STANDARD.encode(b));
    let (k, v) = match v {
        Value::Null => ("NULL", Json::Bool(true)),
        Value::Bool(b) => ("BOOL", Json::Bool(*b)),
        Value::Number(n) => ("N", Json::from(n.as_str())),
        Value::String(s) => ("S", Json::from(s.as_str())),
        Value::Binary(b) => ("B", b64(b)),
        Value::StringSet(s) => ("SS", Json::from(s.clone())),
        Value::NumberSet(s) => ("NS", s.iter().map(|n| Json::from(n.as_str())).collect()),
        Value::BinarySet(s) => ("BS", s.iter().map(|b| b64(b)).collect()),
        Value::List(l) => ("L", l.iter().map(wire_json).collect()),
        Value::Map(m) => ("M", item_json(m)),
    };
    Json::Object(Map::from_iter([(k.to_string(), v)]))
}

/// An item as the DynamoDB protocol writes it.
pub(crate) fn item_json(item: &Item) -> Json {
    Json::Object(
        item.iter()
            .map(|(k, v)| (k.clone(), wire_json(v)))
            .collect(),
    )
}

/// A value from the DynamoDB protocol's form.
pub(crate) fn from_wire_json(j: &Json) -> std::result::Result<Value, ConvertError> {
    use base64::Engine;
    let bad = || ConvertError::new(format!("not a DynamoDB attribute value: {j}"));
    let o = j.as_object().filter(|o| o.len() == 1).ok_or_else(bad)?;
    let (k, v) = o.iter().next().ok_or_else(bad)?;
    let text = |v: &Json| v.as_str().map(str::to_string).ok_or_else(bad);
    let number = |v: &Json| Number::from_wire(text(v)?).map_err(ConvertError::new);
    let bytes = |v: &Json| {
        base64::engine::general_purpose::STANDARD
            .decode(text(v)?)
            .map_err(|_| bad())
    };
    fn list(v: &Json) -> std::result::Result<&Vec<Json>, ConvertError> {
        v.as_array()
            .ok_or_else(|| ConvertError::new(format!("not a DynamoDB set or list: {v}")))
    }
    Ok(match k.as_str() {
        "NULL" => Value::Null,
        "BOOL" => Value::Bool(v.as_bool().ok_or_else(bad)?),
        "N" => Value::Number(number(v)?),
        "S" => Value::String(text(v)?),
        "B" => Value::Binary(bytes(v)?),
        "SS" => Value::StringSet(
            list(v)?
                .iter()
                .map(text)
                .collect::<std::result::Result<_, _>>()?,
        ),
        "NS" => Value::NumberSet(
            list(v)?
                .iter()
                .map(number)
                .collect::<std::result::Result<_, _>>()?,
        ),
        "BS" => Value::BinarySet(
            list(v)?
                .iter()
                .map(bytes)
                .collect::<std::result::Result<_, _>>()?,
        ),
        "L" => Value::List(
            (list(v)?.iter().enumerate())
                .map(|(i, x)| from_wire_json(x).map_err(|e| e.at_index(i)))
                .collect::<std::result::Result<_, _>>()?,
        ),
        "M" => Value::Map(item_from_json(v)?),
        _ => return Err(bad()),
    })
}

/// An item from the DynamoDB protocol's form.
pub(crate) fn item_from_json(j: &Json) -> std::result::Result<Item, ConvertError> {
    let o = j
        .as_object()
        .ok_or_else(|| ConvertError::new(format!("not an item: {j}")))?;
    o.iter()
        .map(|(k, v)| {
            from_wire_json(v)
                .map(|v| (k.clone(), v))
                .map_err(|e| e.at_key(k))
        })
        .collect()
}

fn set(input: &mut dyn Structure, member: &str, v: Json) -> Result<()> {
    crate::resource::set_param(input, member, &v, None)
}

/// A map-valued member as `.input(..)` set it (empty when unset), to add to.
fn map_member(input: &dyn Structure, member: &str) -> Map<String, Json> {
    match member_json(input, member) {
        Json::Object(m) => m,
        _ => Map::new(),
    }
}

/// [`set`] for a member the request builds (`by` says from what), unless `.input(..)` set it
/// already: one would silently replace the other.
fn set_built(input: &mut dyn Structure, member: &str, v: Json, by: &str) -> Result<()> {
    if !member_json(input, member).is_null() {
        return Err(Error::validation(format!(
            "{member} is given twice: by {by} and through `.input(..)`"
        )));
    }
    set(input, member, v)
}

/// A call on a table with native items and conditions (what the generated `Table`'s item methods
/// return): set what else the call takes with [`condition`](Self::condition),
/// [`filter`](Self::filter), [`name`](Self::name), [`value`](Self::value) or any member of the
/// operation's input with [`input`](Self::input), then `.await` it (or `.pages()` /
/// `.items::<T>()` for a query or scan, every page).
#[must_use = "a request does nothing until it is awaited"]
pub struct Request<I, O> {
    res: Res,
    op: &'static Operation,
    input: I,
    items: Vec<(&'static str, std::result::Result<Item, ConvertError>)>,
    condition: Option<Condition>,
    filter: Option<Condition>,
    key_condition: Option<Condition>,
    names: BTreeMap<String, String>,
    values: Vec<(String, std::result::Result<Value, ConvertError>)>,
    out: PhantomData<fn() -> O>,
}

impl<I, O> Request<I, O>
where
    I: Structure + Default + Send + 'static,
    O: Structure + Default + Send + 'static,
{
    /// A call of `op` on the table `res` (for generated code). As any resource action, a call
    /// that succeeds drops the table's cached data.
    #[doc(hidden)]
    pub fn new(res: &Res, op: &'static Operation) -> Self {
        Request {
            res: res.clone(),
            op,
            input: I::default(),
            items: Vec::new(),
            condition: None,
            filter: None,
            key_condition: None,
            names: BTreeMap::new(),
            values: Vec::new(),
            out: PhantomData,
        }
    }

    /// Sets the item-valued `member` (`Item`, `Key`, `ExclusiveStartKey`) from a native value (for
    /// generated code).
    #[doc(hidden)]
    pub fn native<T: Serialize + ?Sized>(mut self, member: &'static str, v: &T) -> Self {
        self.items.push((member, to_item(v)));
        self
    }

    /// The key condition of a query (for generated code).
    #[doc(hidden)]
    pub fn key(mut self, c: Condition) -> Self {
        self.key_condition = Some(c);
        self
    }

    /// `ConditionExpression`: the write happens only if `c` holds (else
    /// `ConditionalCheckFailedException`).
    pub fn condition(mut self, c: Condition) -> Self {
        self.condition = Some(c);
        self
    }

    /// `FilterExpression`: a query's or scan's items are kept only if `c` holds.
    pub fn filter(mut self, c: Condition) -> Self {
        self.filter = Some(c);
        self
    }

    /// An entry of `ExpressionAttributeNames` of your own (for an expression you write as text,
    /// such as an `UpdateExpression`); the builders' `#n` entries are added to them.
    pub fn name(mut self, placeholder: &str, name: &str) -> Self {
        self.names.insert(placeholder.to_string(), name.to_string());
        self
    }

    /// An entry of `ExpressionAttributeValues` of your own, any `Serialize` value; the builders'
    /// `:v` entries are added to them.
    pub fn value<T: Serialize + ?Sized>(mut self, placeholder: &str, v: &T) -> Self {
        self.values
            .push((placeholder.to_string(), super::to_value(v)));
        self
    }

    /// Sets any other member of the operation's input (`ReturnValues`, `IndexName`, `Limit`,
    /// `UpdateExpression`, ...).
    pub fn input(mut self, f: impl FnOnce(&mut I)) -> Self {
        f(&mut self.input);
        self
    }

    /// The input as sent: the table, native items converted, conditions built (the condition
    /// or filter first, then the key condition, one placeholder count, as boto3 does) and the
    /// placeholders merged over yours.
    fn build(self) -> Result<(Res, &'static Operation, I)> {
        let Request {
            res,
            op,
            mut input,
            items,
            condition,
            filter,
            key_condition,
            mut names,
            values,
            ..
        } = self;
        set(&mut input, "TableName", Json::from(res.id(0)))?;
        for (member, item) in items {
            let item = item.map_err(|e| Error::validation(format!("{member}: {e}")))?;
            set_built(&mut input, member, item_json(&item), "the call's argument")?;
        }
        let mut all_values = Item::new();
        for (placeholder, v) in values {
            let v = v.map_err(|e| Error::validation(format!("{placeholder}: {e}")))?;
            all_values.insert(placeholder, v);
        }
        let mut b = ExpressionBuilder::new();
        for (member, c, by) in [
            ("ConditionExpression", condition, "`.condition(..)`"),
            ("FilterExpression", filter, "`.filter(..)`"),
        ] {
            if let Some(c) = c {
                let e = b.condition(&c)?;
                set_built(&mut input, member, Json::from(e.text), by)?;
            }
        }
        if let Some(c) = key_condition {
            let e = b.key_condition(&c)?;
            let text = Json::from(e.text);
            set_built(
                &mut input,
                "KeyConditionExpression",
                text,
                "the key condition",
            )?;
        }
        names.extend(b.names());
        all_values.extend(b.native_values());
        // Added to what `.input(..)` set, as boto3 updates the caller's maps.
        if !names.is_empty() {
            let mut merged = map_member(&input, "ExpressionAttributeNames");
            merged.extend(names.into_iter().map(|(k, v)| (k, Json::from(v))));
            set(&mut input, "ExpressionAttributeNames", Json::Object(merged))?;
        }
        if !all_values.is_empty() {
            let mut merged = map_member(&input, "ExpressionAttributeValues");
            if let Json::Object(ours) = item_json(&all_values) {
                merged.extend(ours);
            }
            set(
                &mut input,
                "ExpressionAttributeValues",
                Json::Object(merged),
            )?;
        }
        Ok((res, op, input))
    }

    /// Sends the call.
    pub async fn send(self) -> Result<Native<O>> {
        let (res, op, mut input) = self.build()?;
        let mut out = O::default();
        res.handle()
            .invoke(op, Some(&mut input), Some(&mut out))
            .await?;
        res.clear();
        Ok(Native(out))
    }

    /// A query's or scan's every page, each read as it is needed (`LastEvaluatedKey` sent back as
    /// `ExclusiveStartKey` until there is none).
    pub fn pages(self) -> BoxStream<'static, Result<Native<O>>> {
        let built = self.build();
        Box::pin(futures::stream::try_unfold(
            Some(built),
            |state| async move {
                let Some(built) = state else { return Ok(None) };
                let (res, op, mut input) = built?;
                let mut out = O::default();
                res.handle()
                    .invoke(op, Some(&mut input), Some(&mut out))
                    .await?;
                res.clear();
                let next = match member_json(&out, "LastEvaluatedKey") {
                    Json::Object(key) if !key.is_empty() => {
                        set(&mut input, "ExclusiveStartKey", Json::Object(key))?;
                        Some(Ok((res, op, input)))
                    }
                    _ => None,
                };
                Ok(Some((Native(out), next)))
            },
        ))
    }

    /// A query's or scan's items from every page, each read as a `T`.
    pub fn items<T: DeserializeOwned + Send + 'static>(self) -> BoxStream<'static, Result<T>> {
        use futures::{StreamExt, TryStreamExt};
        self.pages()
            .map_ok(|page| {
                futures::stream::iter(
                    page.items::<T>()
                        .map_or_else(|e| vec![Err(e)], |v| v.into_iter().map(Ok).collect()),
                )
            })
            .try_flatten()
            .boxed()
    }
}

/// `.await` on a call sends it.
macro_rules! into_future {
    ($($t:ident),*) => {$(
        impl<I, O> IntoFuture for $t<I, O>
        where
            I: Structure + Default + Send + 'static,
            O: Structure + Default + Send + 'static,
        {
            type Output = Result<Native<O>>;
            type IntoFuture = Pin<Box<dyn Future<Output = Result<Native<O>>> + Send>>;
            fn into_future(self) -> Self::IntoFuture {
                Box::pin(self.send())
            }
        }
    )*};
}
into_future!(Request, Batch);

/// An output whose items read as native values: [`item`](Self::item) (`GetItem`),
/// [`attributes`](Self::attributes) (`PutItem`, `UpdateItem`, `DeleteItem` with `ReturnValues`),
/// [`items`](Self::items) (`Query`, `Scan`); the rest of the output through `Deref` (or
/// [`into_inner`](Self::into_inner)).
#[derive(Debug)]
pub struct Native<O>(pub O);

impl<O: Structure> Native<O> {
    fn item_of<T: DeserializeOwned>(&self, member: &str) -> Result<Option<T>> {
        match member_json(&self.0, member) {
            Json::Null => Ok(None),
            j => {
                let item =
                    item_from_json(&j).map_err(|e| Error::response(format!("{member}: {e}")))?;
                super::from_item(item)
                    .map(Some)
                    .map_err(|e| Error::validation(format!("{member}: {e}")))
            }
        }
    }

    /// `Item`, read as a `T` (`None` when there is no such item).
    pub fn item<T: DeserializeOwned>(&self) -> Result<Option<T>> {
        self.item_of("Item")
    }

    /// `Attributes` (what `ReturnValues` asked for), read as a `T`.
    pub fn attributes<T: DeserializeOwned>(&self) -> Result<Option<T>> {
        self.item_of("Attributes")
    }

    /// `Items`, each read as a `T`.
    pub fn items<T: DeserializeOwned>(&self) -> Result<Vec<T>> {
        read_items(&member_json(&self.0, "Items"), "Items")
    }

    /// `Responses` of a batch read: the items read from `table`, each as a `T`.
    pub fn responses<T: DeserializeOwned>(&self, table: &str) -> Result<Vec<T>> {
        let responses = member_json(&self.0, "Responses");
        read_items(&responses[table], &format!("Responses.{table}"))
    }

    /// `LastEvaluatedKey`, when a query or scan stopped before the end.
    pub fn last_evaluated_key(&self) -> Result<Option<Item>> {
        match member_json(&self.0, "LastEvaluatedKey") {
            Json::Null => Ok(None),
            j => item_from_json(&j)
                .map(Some)
                .map_err(|e| Error::response(format!("LastEvaluatedKey: {e}"))),
        }
    }

    /// `UnprocessedKeys` of a batch read: the keys of `table` DynamoDB left unread, each as a `K`
    /// (send them again with [`Batch::get`]).
    pub fn unprocessed_keys<K: DeserializeOwned>(&self, table: &str) -> Result<Vec<K>> {
        let left = member_json(&self.0, "UnprocessedKeys");
        read_items(
            &left[table]["Keys"],
            &format!("UnprocessedKeys.{table}.Keys"),
        )
    }

    /// `UnprocessedItems` of a batch write: the writes to `table` DynamoDB left undone, in order
    /// (send them again with [`Batch::put`] and [`Batch::delete`]).
    pub fn unprocessed_writes(&self, table: &str) -> Result<Vec<Write>> {
        let left = member_json(&self.0, "UnprocessedItems");
        let Json::Array(writes) = &left[table] else {
            return Ok(Vec::new());
        };
        (writes.iter().enumerate())
            .map(|(i, w)| {
                let at = format!("UnprocessedItems.{table}[{i}]");
                let (item, make): (_, fn(Item) -> Write) =
                    match (&w["PutRequest"], &w["DeleteRequest"]) {
                        (Json::Object(p), _) => (p.get("Item"), Write::Put),
                        (_, Json::Object(d)) => (d.get("Key"), Write::Delete),
                        _ => {
                            return Err(Error::response(format!(
                                "{at}: neither a put nor a delete"
                            )))
                        }
                    };
                let item = item.unwrap_or(&Json::Null);
                item_from_json(item)
                    .map(make)
                    .map_err(|e| Error::response(format!("{at}: {e}")))
            })
            .collect()
    }

    /// The output itself.
    pub fn into_inner(self) -> O {
        self.0
    }
}

/// A list of items in the protocol's form (at `what` in the output), each read as a `T`.
fn read_items<T: DeserializeOwned>(list: &Json, what: &str) -> Result<Vec<T>> {
    let Json::Array(items) = list else {
        return Ok(Vec::new());
    };
    (items.iter().enumerate())
        .map(|(i, j)| {
            item_from_json(j)
                .and_then(super::from_item)
                .map_err(|e| Error::validation(format!("{what}[{i}]: {e}")))
        })
        .collect()
}

/// A write a batch left undone ([`Native::unprocessed_writes`]), native.
#[derive(Clone, Debug, PartialEq)]
pub enum Write {
    /// A `PutRequest`: the item.
    Put(Item),
    /// A `DeleteRequest`: the key.
    Delete(Item),
}

impl<O> std::ops::Deref for Native<O> {
    type Target = O;
    fn deref(&self) -> &O {
        &self.0
    }
}

/// boto3's `ServiceResource.batch_get_item` / `batch_write_item` with native keys and items (what
/// the generated service resource's batch methods return): add keys with [`get`](Self::get), or
/// puts and deletes with [`put`](Self::put) and [`delete`](Self::delete), for any tables, then
/// `.await`; read `Responses` with [`Native::responses`]. One call, as in boto3: what DynamoDB
/// leaves unprocessed is in the output (`batch_writer` resends it for you).
#[must_use = "a request does nothing until it is awaited"]
pub struct Batch<I, O> {
    handle: ClientHandle,
    op: &'static Operation,
    /// `RequestItems`, table by table, in the protocol's form.
    requests: BTreeMap<String, Vec<Json>>,
    /// Whether keys to read and writes were added.
    reads: bool,
    writes: bool,
    error: Option<Error>,
    input: I,
    out: PhantomData<fn() -> O>,
}

impl<I, O> Batch<I, O>
where
    I: Structure + Default + Send + 'static,
    O: Structure + Default + Send + 'static,
{
    /// A batch call of `op` (for generated code).
    #[doc(hidden)]
    pub fn new(res: &Res, op: &'static Operation) -> Self {
        Batch {
            handle: res.handle().clone(),
            op,
            requests: BTreeMap::new(),
            reads: false,
            writes: false,
            error: None,
            input: I::default(),
            out: PhantomData,
        }
    }

    fn add<T: Serialize + ?Sized>(
        mut self,
        table: &str,
        what: &str,
        v: &T,
        wrap: fn(Json) -> Json,
    ) -> Self {
        match to_item(v) {
            Ok(item) => self
                .requests
                .entry(table.to_string())
                .or_default()
                .push(wrap(item_json(&item))),
            Err(e) => {
                let e = Error::validation(format!("{what} for {table}: {e}"));
                self.error.get_or_insert(e);
            }
        }
        self
    }

    /// A key to read from `table` (`BatchGetItem`).
    pub fn get<K: Serialize + ?Sized>(mut self, table: &str, key: &K) -> Self {
        self.reads = true;
        self.add(table, "a key", key, |k| k)
    }

    /// An item to put in `table` (`BatchWriteItem`).
    pub fn put<T: Serialize + ?Sized>(mut self, table: &str, item: &T) -> Self {
        self.writes = true;
        self.add(
            table,
            "an item",
            item,
            |i| serde_json::json!({ "PutRequest": { "Item": i } }),
        )
    }

    /// The item at `key` to delete from `table` (`BatchWriteItem`).
    pub fn delete<K: Serialize + ?Sized>(mut self, table: &str, key: &K) -> Self {
        self.writes = true;
        self.add(
            table,
            "a key",
            key,
            |k| serde_json::json!({ "DeleteRequest": { "Key": k } }),
        )
    }

    /// Sets any other member of the operation's input (`ReturnConsumedCapacity`, ...).
    pub fn input(mut self, f: impl FnOnce(&mut I)) -> Self {
        f(&mut self.input);
        self
    }

    /// Sends the call.
    pub async fn send(self) -> Result<Native<O>> {
        if let Some(e) = self.error {
            return Err(e);
        }
        let mut input = self.input;
        let gets = self.op.name == "BatchGetItem";
        if (gets && self.writes) || (!gets && self.reads) {
            return Err(Error::validation(format!(
                "{} takes {}",
                self.op.name,
                if gets {
                    "keys to read (.get), not puts or deletes"
                } else {
                    "puts and deletes, not keys to read (.get)"
                }
            )));
        }
        // Added to what `.input(..)` set (a table's `ConsistentRead` or `ProjectionExpression`,
        // as boto3 takes them in `RequestItems`).
        let mut items = map_member(&input, "RequestItems");
        for (table, list) in self.requests {
            let entry = (items.entry(table.clone())).or_insert_with(|| {
                if gets {
                    Json::Object(Map::new())
                } else {
                    Json::Array(Vec::new())
                }
            });
            let into = match entry {
                Json::Object(o) if gets => o.entry("Keys").or_insert(Json::Array(Vec::new())),
                other => other,
            };
            match into {
                Json::Array(a) => a.extend(list),
                _ => {
                    return Err(Error::validation(format!(
                        "RequestItems.{table} set through `.input(..)` is not what {} takes",
                        self.op.name
                    )))
                }
            }
        }
        set(&mut input, "RequestItems", Json::Object(items))?;
        let mut out = O::default();
        self.handle
            .invoke(self.op, Some(&mut input), Some(&mut out))
            .await?;
        Ok(Native(out))
    }
}

/// The most write requests one `BatchWriteItem` takes.
const BATCH_SIZE: usize = 25;

/// boto3's `Table.batch_writer()`: puts and deletes buffered and sent 25 to a `BatchWriteItem`,
/// what DynamoDB leaves unprocessed sent again until all is written. While batches come back with
/// writes left unprocessed, each next batch waits first (50 ms, doubling up to 5 s), whether a
/// put, a delete or a flush sends it. [`flush`](Self::flush) sends what is buffered;
/// [`close`](Self::close) does and ends the writer. Dropping a writer that still holds writes
/// logs a warning (they are not sent: sending needs an `.await`).
#[must_use = "writes are sent by flush() and close()"]
pub struct BatchWriter<I, O> {
    handle: ClientHandle,
    op: &'static Operation,
    table: String,
    /// Write requests in the protocol's form, with the key values that identify them when
    /// `overwrite_by_pkeys` is set.
    buffer: Vec<(Json, Option<Vec<Json>>)>,
    pkeys: Option<Vec<String>>,
    /// The wait before the next batch: zero until a batch leaves writes unprocessed.
    pause: Duration,
    out: PhantomData<fn() -> (I, O)>,
}

impl<I, O> BatchWriter<I, O>
where
    I: Structure + Default + Send + 'static,
    O: Structure + Default + Send + 'static,
{
    /// A writer for the table `res` calling `op` (`BatchWriteItem`; for generated code).
    #[doc(hidden)]
    pub fn new(res: &Res, op: &'static Operation) -> Self {
        BatchWriter {
            handle: res.handle().clone(),
            op,
            table: res.id(0).to_string(),
            buffer: Vec::new(),
            pkeys: None,
            pause: Duration::ZERO,
            out: PhantomData,
        }
    }

    /// boto3's `overwrite_by_pkeys`: a write to a key already buffered replaces that write (the
    /// last one wins), so one batch never names a key twice, which DynamoDB refuses.
    pub fn overwrite_by_pkeys(mut self, keys: &[&str]) -> Self {
        self.pkeys = Some(keys.iter().map(|k| k.to_string()).collect());
        self
    }

    /// The writes buffered and not yet sent.
    pub fn pending(&self) -> usize {
        self.buffer.len()
    }

    /// Buffers a put of `item`, sending a batch when 25 are buffered. An error from that batch
    /// leaves its writes (this one included) buffered for the next flush: do not put it again.
    pub async fn put_item<T: Serialize + ?Sized>(&mut self, item: &T) -> Result<()> {
        let item = to_item(item).map_err(|e| Error::validation(format!("Item: {e}")))?;
        let request = serde_json::json!({ "PutRequest": { "Item": item_json(&item) } });
        self.add(request).await
    }

    /// Buffers a delete of the item at `key`, sending a batch when 25 are buffered.
    pub async fn delete_item<K: Serialize + ?Sized>(&mut self, key: &K) -> Result<()> {
        let key = to_item(key).map_err(|e| Error::validation(format!("Key: {e}")))?;
        let request = serde_json::json!({ "DeleteRequest": { "Key": item_json(&key) } });
        self.add(request).await
    }

    /// The key values that identify `request` under `overwrite_by_pkeys` (from its `Item` or
    /// `Key`, as boto3 reads them from the request), or `None` without it. Numbers are compared
    /// by value, as boto3 compares its `Decimal`s (`1` and `1.0` are one key).
    fn id_of(&self, request: &Json) -> Result<Option<Vec<Json>>> {
        let Some(keys) = &self.pkeys else {
            return Ok(None);
        };
        let attrs =
            (request.pointer("/PutRequest/Item")).or_else(|| request.pointer("/DeleteRequest/Key"));
        keys.iter()
            .map(|k| {
                let v = attrs.and_then(|a| a.get(k)).ok_or_else(|| {
                    Error::validation(format!(
                        "overwrite_by_pkeys names {k:?}, which this write does not have"
                    ))
                })?;
                let number = v.get("N").and_then(Json::as_str);
                Ok(match number.and_then(super::number::canonical) {
                    Some(n) => serde_json::json!({ "N": n }),
                    None => v.clone(),
                })
            })
            .collect::<Result<Vec<_>>>()
            .map(Some)
    }

    async fn add(&mut self, request: Json) -> Result<()> {
        let id = self.id_of(&request)?;
        if let Some(id) = &id {
            self.buffer.retain(|(_, other)| other.as_ref() != Some(id));
        }
        self.buffer.push((request, id));
        if self.buffer.len() >= BATCH_SIZE {
            self.send_batch().await?;
        }
        Ok(())
    }

    /// Sends one batch (the oldest 25 writes), after the pause the last batch asked for; what
    /// DynamoDB leaves unprocessed goes back to the end of the buffer, and makes the next pause
    /// longer.
    async fn send_batch(&mut self) -> Result<()> {
        if !self.pause.is_zero() {
            tokio::time::sleep(self.pause).await;
        }
        let n = self.buffer.len().min(BATCH_SIZE);
        let batch: Vec<(Json, Option<Vec<Json>>)> = self.buffer.drain(..n).collect();
        let mut input = I::default();
        let mut requests = Map::new();
        let list = batch.iter().map(|(r, _)| r.clone()).collect();
        requests.insert(self.table.clone(), Json::Array(list));
        let sent = set(&mut input, "RequestItems", Json::Object(requests));
        let mut out = O::default();
        let result = match sent {
            Ok(()) => {
                self.handle
                    .invoke(self.op, Some(&mut input), Some(&mut out))
                    .await
            }
            Err(e) => Err(e),
        };
        if let Err(e) = result {
            // Nothing of the batch is lost: it goes back to the front.
            self.buffer.splice(0..0, batch);
            return Err(e);
        }
        let unprocessed = match member_json(&out, "UnprocessedItems").get(&self.table) {
            Some(Json::Array(left)) => left.clone(),
            _ => Vec::new(),
        };
        self.pause = if unprocessed.is_empty() {
            Duration::ZERO
        } else {
            (self.pause * 2).clamp(Duration::from_millis(50), Duration::from_secs(5))
        };
        for r in unprocessed {
            // Still identified by key, so a later write to the key replaces it.
            let id = self.id_of(&r).ok().flatten();
            self.buffer.push((r, id));
        }
        Ok(())
    }

    /// Sends everything buffered, again and again for what DynamoDB leaves unprocessed.
    pub async fn flush(&mut self) -> Result<()> {
        while !self.buffer.is_empty() {
            self.send_batch().await?;
        }
        Ok(())
    }

    /// Sends everything buffered (boto3's leaving the `with` block). A close that fails keeps
    /// what it could not send, as [`flush`](Self::flush) does, so it can be called again; the
    /// writer is done with once it is dropped.
    pub async fn close(&mut self) -> Result<()> {
        self.flush().await
    }
}

impl<I, O> Drop for BatchWriter<I, O> {
    fn drop(&mut self) {
        if self.buffer.is_empty() {
            return;
        }
        let (table, unsent) = (&self.table, self.buffer.len());
        let what =
            "a DynamoDB batch_writer was dropped with writes it never sent; call close().await";
        // Through `tracing` when the program listens to its warnings; else where they cannot go
        // unseen.
        if tracing::enabled!(tracing::Level::WARN) {
            tracing::warn!(%table, unsent, "{what}");
        } else {
            eprintln!("warning: {what} (table {table}, {unsent} unsent)");
        }
    }
}
