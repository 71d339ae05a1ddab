//! Event streams delivered as they happen: [`EventStream`], the type of every event-stream output
//! member (s3 `SelectObjectContent`, bedrock-runtime `ConverseStream`, kinesis `SubscribeToShard`,
//! logs `StartLiveTail`, ...).
//!
//! The response body is read as it arrives. Each message is checked (both CRCs, botocore's size
//! limits) and typed as soon as it is complete, so a stream holds one read of the transport's
//! (which may hold several messages) and at most one message in part, however long it runs. An exception event ends the stream with an error
//! that carries the modeled exception (the events before it have been delivered); events this
//! model does not know are skipped, as botocore skips them. Dropping the stream drops the response
//! body, which closes the connection.

use crate::error::{Error, Result};
use crate::schema::{flags, Kind, Shape};
use crate::stream::Chunks;
use crate::value::{
    construct_empty, EventInput, EventSlot, EventSource, Scalar, Structure, Value, ValueMut,
    ValueRef,
};
use crate::wire::eventstream::{HeaderValue, Message, MessageDecoder};
use futures::Stream;
use std::fmt;
use std::marker::PhantomData;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};

/// Reads an event payload that is a structure, in the protocol's body format (JSON, XML or CBOR).
pub type PayloadReader = fn(&[u8], &mut dyn Structure) -> Result<()>;

/// The events of one response before they are typed: the body (as it arrives, or in memory), the
/// message decoder, the event union's shape and the protocol's payload reader.
pub struct RawEvents {
    /// The body still to read; `None` once it has ended or when it was all in memory.
    chunks: Option<Chunks>,
    decoder: MessageDecoder,
    union: &'static Shape,
    read_payload: PayloadReader,
    ended: bool,
    /// The call's input event stream, when it has one: kept going while this stream lives.
    input: Option<InputLink>,
}

impl RawEvents {
    /// Events read from a response body as it arrives.
    pub fn new(chunks: Chunks, union: &'static Shape, read_payload: PayloadReader) -> RawEvents {
        RawEvents {
            chunks: Some(chunks),
            decoder: MessageDecoder::new(),
            union,
            read_payload,
            ended: false,
            input: None,
        }
    }

    /// Ties the call's input event stream to this one: the input stops (and the request is
    /// reset) once this stream ends or is dropped, and an input that failed reports its error in
    /// place of the transport's.
    pub fn with_input(mut self, link: Option<InputLink>) -> RawEvents {
        self.input = link;
        self
    }

    /// Events of a body held in memory.
    pub fn from_bytes(
        body: &[u8],
        union: &'static Shape,
        read_payload: PayloadReader,
    ) -> RawEvents {
        let mut decoder = MessageDecoder::new();
        decoder.push(body);
        RawEvents {
            chunks: None,
            decoder,
            union,
            read_payload,
            ended: false,
            input: None,
        }
    }

    /// The next message: from what has been received, else after reading more of the body.
    fn poll_message(&mut self, cx: &mut Context<'_>) -> Poll<Option<Result<Message>>> {
        loop {
            if self.ended {
                return Poll::Ready(None);
            }
            match self.decoder.next_message() {
                Ok(Some(m)) => return Poll::Ready(Some(Ok(m))),
                Ok(None) => {}
                Err(e) => return Poll::Ready(Some(Err(self.end_with(e)))),
            }
            let Some(chunks) = self.chunks.as_mut() else {
                let rest = self.decoder.finish();
                self.end();
                return Poll::Ready(rest.err().map(Err));
            };
            match chunks.as_mut().poll_next(cx) {
                Poll::Pending => return Poll::Pending,
                Poll::Ready(Some(Ok(bytes))) => self.decoder.push(&bytes),
                Poll::Ready(Some(Err(e))) => {
                    let e = self
                        .input
                        .as_ref()
                        .and_then(InputLink::failure)
                        .unwrap_or(e);
                    return Poll::Ready(Some(Err(self.end_with(e))));
                }
                Poll::Ready(None) => self.chunks = None,
            }
        }
    }

    /// Ends the stream: the body is dropped (closing its connection) and nothing more is read.
    fn end(&mut self) {
        self.ended = true;
        self.chunks = None;
        self.input = None;
        self.decoder = MessageDecoder::new();
    }

    fn end_with(&mut self, e: Error) -> Error {
        self.end();
        e
    }

    /// Reads the initial response of an RPC event stream (json, smithy-rpc-v2-cbor) into `out`:
    /// the output's members besides the stream, which arrive as the first message (botocore's
    /// `get_initial_response`). An exception in its place is returned as the error.
    pub async fn initial_response(&mut self, out: &mut dyn Structure) -> Result<()> {
        let msg = futures::future::poll_fn(|cx| self.poll_message(cx)).await;
        self.read_initial(msg, out)
    }

    /// [`initial_response`](Self::initial_response) of a body held in memory.
    pub fn initial_response_now(&mut self, out: &mut dyn Structure) -> Result<()> {
        let mut cx = Context::from_waker(futures::task::noop_waker_ref());
        match self.poll_message(&mut cx) {
            Poll::Ready(msg) => self.read_initial(msg, out),
            Poll::Pending => Err(Error::response(
                "the event stream's initial response is not in memory",
            )),
        }
    }

    fn read_initial(
        &mut self,
        msg: Option<Result<Message>>,
        out: &mut dyn Structure,
    ) -> Result<()> {
        let msg = msg.ok_or_else(|| {
            Error::response("the event stream ended before its initial response")
        })??;
        if let Some(err) = self.failure(&msg) {
            return Err(self.end_with(err));
        }
        match msg.header_str(":event-type") {
            Some("initial-response") => {}
            other => {
                return Err(self.end_with(Error::response(format!(
                    "the first event is not the initial response (it is {:?})",
                    other.unwrap_or("untyped")
                ))))
            }
        }
        if msg.payload.is_empty() {
            return Ok(());
        }
        (self.read_payload)(&msg.payload, out).map_err(|e| {
            self.end_with(Error::response(format!(
                "in the initial response: {}",
                e.message().unwrap_or("unreadable")
            )))
        })
    }

    /// The error an `error` or `exception` message stands for, as botocore reads it: an exception
    /// the event union models is filled and carried as the modeled error, with its code and its
    /// `Message`/`message`; otherwise `:error-code` and `:error-message`.
    fn failure(&self, msg: &Message) -> Option<Error> {
        // Other message types are read as events, as botocore reads them.
        let kind = msg.header_str(":message-type").unwrap_or("event");
        if kind != "error" && kind != "exception" {
            return None;
        }
        let header = |name| msg.header_str(name).map(str::to_string);
        let plain = || {
            let code = header(":error-code")
                .or_else(|| header(":exception-type"))
                .unwrap_or_else(|| "EventStreamError".to_string());
            let message = header(":error-message")
                .or_else(|| (!msg.payload.is_empty()).then(|| text(&msg.payload)));
            Error::service(code, message, 400)
        };
        if kind != "exception" {
            return Some(plain());
        }
        let Some(code) = msg.header_str(":exception-type") else {
            return Some(plain());
        };
        let Some(member) = self.union.members.iter().find(|m| m.name == code) else {
            return Some(plain());
        };
        let Some(mut modeled) = construct_empty(member.target) else {
            return Some(Error::service(code, Some(text(&msg.payload)), 400));
        };
        if let Err(e) = read_event(msg.clone(), &mut *modeled, self.read_payload) {
            return Some(Error::service(code, Some(text(&msg.payload)), 400).with_source(e));
        }
        let message = ["Message", "message"]
            .iter()
            .filter_map(|n| modeled.shape().member_index(n))
            .find_map(|i| match modeled.field(i).get() {
                ValueRef::Str(s) => Some(s.to_string()),
                _ => None,
            })
            .unwrap_or_default();
        Some(Error::service(code, Some(message), 400).with_modeled(modeled))
    }
}

impl EventSource for RawEvents {
    fn poll_next_into(
        &mut self,
        cx: &mut Context<'_>,
        into: &mut dyn Structure,
    ) -> Poll<Option<Result<()>>> {
        loop {
            let msg = match self.poll_message(cx) {
                Poll::Pending => return Poll::Pending,
                Poll::Ready(None) => return Poll::Ready(None),
                Poll::Ready(Some(Err(e))) => return Poll::Ready(Some(Err(e))),
                Poll::Ready(Some(Ok(m))) => m,
            };
            if let Some(err) = self.failure(&msg) {
                return Poll::Ready(Some(Err(self.end_with(err))));
            }
            let event_type = msg.header_str(":event-type").unwrap_or("");
            // The initial response of a REST stream and events this model does not know are
            // skipped, as botocore does.
            let Some(i) = self.union.member_index(event_type) else {
                continue;
            };
            let event_type = event_type.to_string();
            let Some(event) = into.field_mut(i).as_struct_mut() else {
                let e = Error::response(format!("event {event_type} is not a structure"));
                return Poll::Ready(Some(Err(self.end_with(e))));
            };
            if let Err(e) = read_event(msg, event, self.read_payload) {
                let e = Error::response(format!(
                    "in event {event_type}: {}",
                    e.message().unwrap_or("unreadable")
                ));
                return Poll::Ready(Some(Err(self.end_with(e))));
            }
            return Poll::Ready(Some(Ok(())));
        }
    }
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

/// Fills one event (or modeled exception) from its message: `eventheader` members from the
/// headers, an `eventpayload` member from the payload (bytes, text or a structure), else the
/// event's other members from the payload.
fn read_event(msg: Message, event: &mut dyn Structure, read_payload: PayloadReader) -> Result<()> {
    let shape: &Shape = event.shape();
    let Message { headers, payload } = msg;
    let mut payload = Some(payload);
    for (i, em) in shape.members.iter().enumerate() {
        if em.has(flags::EVENT_HEADER) {
            let Some((_, v)) = headers.iter().find(|(k, _)| k == em.wire_name()) else {
                continue;
            };
            let s = match v.clone() {
                HeaderValue::Bool(b) => Scalar::Bool(b),
                HeaderValue::Int(n) => Scalar::Int(n),
                HeaderValue::Bytes(b) => Scalar::Blob(b),
                HeaderValue::String(s) | HeaderValue::Uuid(s) => Scalar::Str(s),
                HeaderValue::Timestamp(t) => Scalar::Timestamp(t),
            };
            event
                .field_mut(i)
                .set(s)
                .map_err(|e| Error::response(format!("header {}: {}", em.name, e.0)))?;
        } else if em.has(flags::EVENT_PAYLOAD) {
            let body = payload.take().unwrap_or_default();
            let slot = event.field_mut(i);
            let stored = match em.target.kind {
                Kind::Blob => slot.set(Scalar::Blob(body)),
                Kind::String => slot.set(Scalar::Str(match String::from_utf8(body) {
                    Ok(s) => s,
                    Err(e) => text(e.as_bytes()),
                })),
                _ => {
                    let s = slot.as_struct_mut().ok_or_else(|| {
                        Error::response(format!("{} is not a structure", em.target.name))
                    })?;
                    // An empty payload is an empty structure, as botocore reads it.
                    if !body.is_empty() {
                        read_payload(&body, s)?;
                    }
                    continue;
                }
            };
            stored.map_err(|e| Error::response(format!("{}: {}", em.name, e.0)))?;
        }
    }
    match payload {
        Some(body) if !body.is_empty() => read_payload(&body, event),
        _ => Ok(()),
    }
}

/// An event stream: the events of a response, each delivered as soon as its message has arrived
/// and been checked.
///
/// `E` is the service's event union (`SelectObjectContentEventStream`, `ConverseStreamOutput`,
/// ...). Read it with [`try_next`](Self::try_next), or as a [`futures::Stream`] of
/// `Result<E, Error>`. An exception event is an `Err` carrying the modeled exception (the crate's
/// `Error::from_error` types it), after which the stream ends. A default `EventStream` is empty.
pub struct EventStream<E> {
    /// Only touched through `&mut self`; the mutex makes the type `Sync`.
    source: Mutex<Option<Box<dyn EventSource>>>,
    _event: PhantomData<fn() -> E>,
}

impl<E> Default for EventStream<E> {
    fn default() -> Self {
        EventStream {
            source: Mutex::new(None),
            _event: PhantomData,
        }
    }
}

impl<E> fmt::Debug for EventStream<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("EventStream")
    }
}

impl<E: Structure + Default> EventStream<E> {
    /// A stream over `source`'s events.
    pub fn from_source(source: Box<dyn EventSource>) -> Self {
        EventStream {
            source: Mutex::new(Some(source)),
            _event: PhantomData,
        }
    }

    /// The next event, `None` at the end of the stream.
    pub async fn try_next(&mut self) -> Result<Option<E>> {
        futures::future::poll_fn(|cx| Pin::new(&mut *self).poll_next(cx))
            .await
            .transpose()
    }
}

impl<E: Structure + Default> Stream for EventStream<E> {
    type Item = Result<E>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Result<E>>> {
        let slot = self
            .get_mut()
            .source
            .get_mut()
            .unwrap_or_else(|p| p.into_inner());
        let Some(source) = slot.as_mut() else {
            return Poll::Ready(None);
        };
        let mut event = E::default();
        match source.poll_next_into(cx, &mut event) {
            Poll::Pending => Poll::Pending,
            Poll::Ready(Some(Ok(()))) => Poll::Ready(Some(Ok(event))),
            Poll::Ready(Some(Err(e))) => {
                *slot = None;
                Poll::Ready(Some(Err(e)))
            }
            Poll::Ready(None) => {
                *slot = None;
                Poll::Ready(None)
            }
        }
    }
}

impl<E: Structure + Default> EventSlot for EventStream<E> {
    fn attach(&mut self, events: Box<dyn EventSource>) {
        *self.source.get_mut().unwrap_or_else(|p| p.into_inner()) = Some(events);
    }
}

impl<E: Structure + Default> Value for EventStream<E> {
    /// Streams are not values the codecs read: they are read by their owner.
    fn get(&self) -> ValueRef<'_> {
        ValueRef::Null
    }
    fn get_mut(&mut self) -> ValueMut<'_> {
        ValueMut::Events(self)
    }
}

/// Attaches the events of a body held in memory to member `index` of `out`, first reading the
/// initial response into `out` when the protocol sends one (json, smithy-rpc-v2-cbor). An empty
/// body has no events and no initial response (the client parses a streamed response's head with
/// an empty body, then attaches the body as it arrives in place of this empty stream).
pub fn attach_in_memory(
    body: &[u8],
    out: &mut dyn Structure,
    index: usize,
    initial_response: bool,
    read_payload: PayloadReader,
) -> Result<()> {
    let union = out.shape().members[index].target;
    let mut raw = RawEvents::from_bytes(body, union, read_payload);
    if initial_response && !body.is_empty() {
        raw.initial_response_now(out)?;
    }
    out.field_mut(index)
        .set_events(Box::new(raw))
        .map_err(|e| Error::response(e.0))
}

/// The events a caller sends on an input event stream (the bidirectional operations:
/// bedrock-runtime `InvokeModelWithBidirectionalStream`, lexv2-runtime `StartConversation`, ...).
///
/// `E` is the service's input event union. Give the events as any `Stream`
/// ([`from_stream`](Self::from_stream)), or write them one by one through the
/// [`EventSender`] of [`channel`](Self::channel). The request goes out over HTTP/2 and the events
/// are sent as they come, each signed in the SigV4 event-stream chain, while the output's event
/// stream is read; the end of the events ends the input with an empty signed message. A default
/// `InputEvents` has no events, and a clone of a request holds none (events are sent once: they
/// stay with the original).
pub struct InputEvents<E> {
    events: Mutex<Option<futures::stream::BoxStream<'static, E>>>,
}

impl<E> Default for InputEvents<E> {
    fn default() -> Self {
        InputEvents {
            events: Mutex::new(None),
        }
    }
}

impl<E> fmt::Debug for InputEvents<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("InputEvents")
    }
}

impl<E: Structure> InputEvents<E> {
    /// The events of `stream`, sent as it yields them; its end ends the input.
    pub fn from_stream(stream: impl Stream<Item = E> + Send + 'static) -> Self {
        InputEvents {
            events: Mutex::new(Some(Box::pin(stream))),
        }
    }

    /// A sender to write events to, and the input that sends them; dropping the sender (or
    /// [`EventSender::close`]) ends the input. Up to `capacity` events wait to be sent.
    pub fn channel(capacity: usize) -> (EventSender<E>, Self) {
        let (tx, rx) = tokio::sync::mpsc::channel(capacity.max(1));
        let events =
            futures::stream::unfold(rx, |mut rx| async move { rx.recv().await.map(|e| (e, rx)) });
        (EventSender { tx }, InputEvents::from_stream(events))
    }
}

impl<E: Structure> EventInput for InputEvents<E> {
    fn take_events(&self) -> Option<futures::stream::BoxStream<'static, Box<dyn Structure>>> {
        use futures::StreamExt;
        let taken = self
            .events
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .take()?;
        Some(taken.map(|e| Box::new(e) as Box<dyn Structure>).boxed())
    }
}

impl<E: Structure> Value for InputEvents<E> {
    /// Input streams are not values the codecs write: they are sent by the client.
    fn get(&self) -> ValueRef<'_> {
        ValueRef::Null
    }
    fn get_mut(&mut self) -> ValueMut<'_> {
        ValueMut::None
    }
    fn input_events(&self) -> Option<&dyn EventInput> {
        Some(self)
    }
}

/// The output's side of an input event stream: the first error met while encoding or signing the
/// input, and the output's life (dropping the link ends the input).
pub struct InputLink {
    failure: Arc<Mutex<Option<Error>>>,
    _alive: tokio::sync::oneshot::Sender<()>,
}

impl InputLink {
    /// The error that ended the input, if one did (taken: it is reported once).
    pub fn failure(&self) -> Option<Error> {
        self.failure
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .take()
    }
}

/// The input's side of [`InputLink`].
pub struct InputWatch {
    failure: Arc<Mutex<Option<Error>>>,
    closed: tokio::sync::oneshot::Receiver<()>,
}

impl InputWatch {
    /// Keeps `e` for the output to report, returning the error the transport is given.
    pub fn fail(&self, e: Error) -> Error {
        let message = format!("the input event stream failed: {e}");
        *self.failure.lock().unwrap_or_else(|p| p.into_inner()) = Some(e);
        Error::validation(message)
    }

    /// Resolves once the output stream has ended or been dropped.
    pub async fn closed(&mut self) {
        let _ = (&mut self.closed).await;
    }
}

/// A link between a call's input event stream and its output.
pub fn input_link() -> (InputLink, InputWatch) {
    let failure = Arc::new(Mutex::new(None));
    let (tx, rx) = tokio::sync::oneshot::channel();
    (
        InputLink {
            failure: failure.clone(),
            _alive: tx,
        },
        InputWatch {
            failure,
            closed: rx,
        },
    )
}

/// Writes events to an [`InputEvents`] made by [`InputEvents::channel`].
pub struct EventSender<E> {
    tx: tokio::sync::mpsc::Sender<E>,
}

impl<E> fmt::Debug for EventSender<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("EventSender")
    }
}

impl<E: Structure> EventSender<E> {
    /// Queues `event` to be sent, waiting while the queue is full; an error for an event with no
    /// member set, and once the request has ended (or was never sent).
    pub async fn send(&self, event: E) -> Result<()> {
        set_member(&event)?;
        self.tx.send(event).await.map_err(|_| {
            Error::new(
                crate::error::ErrorKind::Validation,
                "the event stream's request has ended: the event was not sent",
            )
        })
    }

    /// Ends the input: the request sends its end message once the queued events are sent.
    pub fn close(self) {}
}

/// The member an input event union has set, and its event.
fn set_member(union: &dyn Structure) -> Result<(&'static crate::schema::Member, &dyn Structure)> {
    let shape = union.shape();
    shape
        .members
        .iter()
        .enumerate()
        .find_map(|(i, m)| match union.field(i).get() {
            ValueRef::Struct(s) => Some((m, s)),
            _ => None,
        })
        .ok_or_else(|| {
            Error::validation(format!(
                "an input event of {} has no member set: nothing to send",
                shape.name
            ))
        })
}

/// Writes an input event's payload (a structure) in the protocol's body format.
pub type PayloadWriter = fn(&dyn Structure) -> Result<Vec<u8>>;

/// The message for one input event (an event union with one member set): `:message-type`
/// `event`, `:event-type` the member's name, `eventheader` members as typed headers, and the
/// payload: an `eventpayload` member (bytes, text or a structure), else the event's members in
/// the protocol's body format (`content_type`).
pub fn encode_input_event(
    union: &dyn Structure,
    write_payload: PayloadWriter,
    content_type: &str,
) -> Result<aws_smithy_types::event_stream::Message> {
    use aws_smithy_types::event_stream::{Header, HeaderValue as H, Message as M};
    let (member, event) = set_member(union)?;
    let s = |v: &str| H::String(v.to_string().into());
    let mut headers = vec![
        Header::new(":message-type", s("event")),
        Header::new(":event-type", s(member.name)),
    ];
    let eshape = event.shape();
    let mut payload = None;
    let mut kind = content_type;
    for (i, em) in eshape.members.iter().enumerate() {
        let v = event.field(i).get();
        if em.has(flags::EVENT_HEADER) {
            let value = match v {
                ValueRef::Null => continue,
                ValueRef::Bool(b) => H::Bool(b),
                ValueRef::Int(n) => match em.target.kind {
                    Kind::Byte => H::Byte(n as i8),
                    Kind::Short => H::Int16(n as i16),
                    Kind::Integer => H::Int32(n as i32),
                    _ => H::Int64(n),
                },
                ValueRef::Str(t) => s(t),
                ValueRef::Blob(b) => H::ByteArray(b.to_vec().into()),
                ValueRef::Timestamp(t) => H::Timestamp(
                    aws_smithy_types::DateTime::from_secs_and_nanos(t.secs(), t.subsec_nanos()),
                ),
                other => {
                    return Err(Error::validation(format!(
                        "event header {} cannot hold {other:?}",
                        em.name
                    )))
                }
            };
            headers.push(Header::new(em.wire_name().to_string(), value));
        } else if em.has(flags::EVENT_PAYLOAD) {
            payload = Some(match v {
                ValueRef::Null => Vec::new(),
                ValueRef::Blob(b) => {
                    kind = "application/octet-stream";
                    b.to_vec()
                }
                ValueRef::Str(t) => {
                    kind = "text/plain";
                    t.as_bytes().to_vec()
                }
                ValueRef::Struct(inner) => write_payload(inner)?,
                other => {
                    return Err(Error::validation(format!(
                        "event payload {} cannot hold {other:?}",
                        em.name
                    )))
                }
            });
        }
    }
    let payload = match payload {
        Some(p) => p,
        None => write_payload(event)?,
    };
    headers.push(Header::new(":content-type", s(kind)));
    let mut msg = M::new(payload);
    for h in headers {
        msg = msg.add_header(h);
    }
    Ok(msg)
}
