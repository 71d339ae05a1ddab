//! XML responses: a pull reader over the body that fills generated structures as it goes, driven
//! by their schemas (ec2, query and rest-xml share it).
//!
//! quick-xml does the tokenising; this module never builds a tree, so a 1.6 MB DescribeInstances
//! response is read in one pass with no intermediate nodes.

use crate::error::{Error, Result};
use crate::schema::{flags, Kind, Location, Member, TimestampFormat};
use crate::value::{Structure, Value, ValueRef};
use crate::wire::text::{scalar_text, set_scalar, set_scalar_owned, snippet};
use quick_xml::events::{BytesStart, Event};
use std::borrow::Cow;

/// A start tag: its local name (namespace prefix removed) and raw attributes.
#[derive(Debug, Clone)]
pub struct Element<'a> {
    start: BytesStart<'a>,
}

impl<'a> Element<'a> {
    /// The local name.
    pub fn name(&self) -> &[u8] {
        local(self.start.name().into_inner())
    }
    /// The name as text, for messages.
    pub fn name_str(&self) -> Cow<'_, str> {
        String::from_utf8_lossy(self.name())
    }
    /// The value of the attribute whose local name is `name`, unescaped.
    pub fn attribute(&self, name: &str) -> Result<Option<String>> {
        for a in self.start.attributes().with_checks(false) {
            let a = a.map_err(|e| {
                Error::response(format!(
                    "invalid XML attribute in <{}>: {e}",
                    self.name_str()
                ))
            })?;
            if local(a.key.into_inner()) == name.as_bytes() {
                let v = a.unescape_value().map_err(|e| {
                    Error::response(format!(
                        "invalid XML attribute in <{}>: {e}",
                        self.name_str()
                    ))
                })?;
                return Ok(Some(v.into_owned()));
            }
        }
        Ok(None)
    }
}

fn push_normalized(out: &mut String, s: &str) {
    if s.contains('\r') {
        out.push_str(&s.replace("\r\n", "\n").replace('\r', "\n"));
    } else {
        out.push_str(s);
    }
}

fn local(name: &[u8]) -> &[u8] {
    match name.iter().position(|&b| b == b':') {
        Some(i) => &name[i + 1..],
        None => name,
    }
}

/// What comes next inside the current element.
enum Next<'a> {
    Start(Element<'a>),
    End,
}

/// A pull reader over one XML body.
pub struct Reader<'a> {
    r: quick_xml::Reader<&'a [u8]>,
    /// Structures being read, innermost last: bounded so hostile nesting cannot exhaust the stack.
    depth: usize,
    body: &'a [u8],
    /// The body, already checked to be UTF-8: text is sliced from it rather than re-validated.
    text: &'a str,
}

impl<'a> Reader<'a> {
    /// A reader over `body`, positioned before its root element.
    pub fn new(body: &'a [u8]) -> Result<Reader<'a>> {
        let text = std::str::from_utf8(body).map_err(|e| {
            Error::response(format!(
                "response body is not UTF-8 ({e}): {}",
                snippet(body)
            ))
        })?;
        let mut r = quick_xml::Reader::from_reader(body);
        let c = r.config_mut();
        c.expand_empty_elements = true;
        c.check_end_names = true;
        Ok(Reader {
            r,
            depth: 0,
            body,
            text,
        })
    }

    /// `bytes` as text: a slice of the body when it is one (always, for this reader), which needs no
    /// second UTF-8 check; otherwise checked.
    fn str_of(&self, bytes: &'a [u8]) -> Result<&'a str> {
        let start = (bytes.as_ptr() as usize).wrapping_sub(self.body.as_ptr() as usize);
        if start <= self.body.len() && bytes.len() <= self.body.len() - start {
            if let Some(s) = self.text.get(start..start + bytes.len()) {
                return Ok(s);
            }
        }
        std::str::from_utf8(bytes).map_err(|e| self.err(e))
    }

    fn err(&self, e: impl std::fmt::Display) -> Error {
        Error::response(format!(
            "invalid XML in response at byte {} ({e}): {}",
            self.r.error_position(),
            snippet(self.body)
        ))
    }

    /// The root element.
    pub fn root(&mut self) -> Result<Element<'a>> {
        match self.next()? {
            Some(Next::Start(e)) => Ok(e),
            _ => Err(self.err("no root element")),
        }
    }

    /// The next start or end tag inside the current element, skipping text, comments and
    /// declarations; `None` at the end of the document.
    fn next(&mut self) -> Result<Option<Next<'a>>> {
        loop {
            let ev = self.r.read_event().map_err(|e| self.err(e))?;
            return Ok(Some(match ev {
                Event::Start(s) => Next::Start(Element { start: s }),
                Event::End(_) => Next::End,
                Event::Eof => return Ok(None),
                Event::DocType(_) => {
                    return Err(self.err("document type declarations are not accepted"))
                }
                _ => continue,
            }));
        }
    }

    fn next_in(&mut self, parent: &Element) -> Result<Next<'a>> {
        match self.next()? {
            Some(n) => Ok(n),
            None => Err(self.err(format!("the document ends inside <{}>", parent.name_str()))),
        }
    }

    /// Skips the rest of the element whose start tag was just read.
    pub fn skip(&mut self, e: &Element) -> Result<()> {
        self.r
            .read_to_end(e.start.name())
            .map(|_| ())
            .map_err(|x| self.err(x))
    }

    /// The text content of the element whose start tag was just read (child elements are skipped,
    /// as botocore keeps only an element's own text).
    pub fn text(&mut self, e: &Element) -> Result<String> {
        let mut out = String::new();
        let mut depth = 0usize;
        loop {
            let ev = self.r.read_event().map_err(|x| self.err(x))?;
            match ev {
                // Line breaks in literal text are normalised to `\n` (XML 1.0 section 2.11);
                // those written as character references are kept.
                Event::Text(t) if depth == 0 => match t.into_inner() {
                    Cow::Borrowed(b) => push_normalized(&mut out, self.str_of(b)?),
                    Cow::Owned(b) => {
                        push_normalized(&mut out, std::str::from_utf8(&b).map_err(|x| self.err(x))?)
                    }
                },
                Event::CData(t) if depth == 0 => match t.into_inner() {
                    Cow::Borrowed(b) => push_normalized(&mut out, self.str_of(b)?),
                    Cow::Owned(b) => {
                        push_normalized(&mut out, std::str::from_utf8(&b).map_err(|x| self.err(x))?)
                    }
                },
                Event::GeneralRef(r) if depth == 0 => {
                    match r.resolve_char_ref().map_err(|x| self.err(x))? {
                        Some(c) => out.push(c),
                        None => {
                            let name = r.decode().map_err(|x| self.err(x))?;
                            match quick_xml::escape::resolve_xml_entity(&name) {
                                Some(v) => out.push_str(v),
                                None => return Err(self.err(format!("unknown entity &{name};"))),
                            }
                        }
                    }
                }
                Event::Start(_) => depth += 1,
                Event::End(_) if depth == 0 => break,
                Event::End(_) => depth -= 1,
                Event::Eof => {
                    return Err(self.err(format!("the document ends inside <{}>", e.name_str())))
                }
                Event::DocType(_) => {
                    return Err(self.err("document type declarations are not accepted"))
                }
                _ => {}
            }
        }
        Ok(out)
    }

    /// Calls `f` for each child element of `e` (whose start tag was just read); `f` must consume
    /// the child (read it, or [`skip`](Self::skip) it).
    pub fn children(
        &mut self,
        e: &Element,
        mut f: impl FnMut(&mut Self, Element<'a>) -> Result<()>,
    ) -> Result<()> {
        loop {
            match self.next_in(e)? {
                Next::Start(c) => f(self, c)?,
                Next::End => return Ok(()),
            }
        }
    }

    /// The byte offset after the last event read.
    fn position(&self) -> usize {
        self.r.buffer_position() as usize
    }
}

/// The XML element name a member is read from: a flattened list's member name, else `locationName`, else the member name.
pub fn member_element_name(m: &Member) -> &'static str {
    if m.target.kind == Kind::List && m.flattened() {
        if let Some(item) = m.target.list_member().and_then(|lm| lm.location_name) {
            return item;
        }
    }
    m.wire_name()
}

fn context(e: Error, m: &Member) -> Error {
    let msg = e.message().unwrap_or("").to_string();
    match msg.strip_prefix("in ") {
        Some(rest) => Error::response(format!("in {}.{rest}", m.name)),
        None => Error::response(format!("in {}: {msg}", m.name)),
    }
}

/// Fills `out` from the children of `e` (whose start tag was just read), the way botocore's XML
/// parsers do: members are matched by element name, unknown elements are skipped.
pub fn read_struct<'a>(r: &mut Reader<'a>, e: &Element<'a>, out: &mut dyn Structure) -> Result<()> {
    read_struct_with(r, e, out, &mut |r, c| r.skip(&c))
}

/// [`read_struct`], with `unknown` called for child elements that are no member (it must consume them).
pub fn read_struct_with<'a>(
    r: &mut Reader<'a>,
    e: &Element<'a>,
    out: &mut dyn Structure,
    unknown: &mut dyn FnMut(&mut Reader<'a>, Element<'a>) -> Result<()>,
) -> Result<()> {
    if r.depth >= MAX_DEPTH {
        return Err(r.err(format!("structures nested deeper than {MAX_DEPTH} levels")));
    }
    r.depth += 1;
    let res = read_struct_inner(r, e, out, unknown);
    r.depth -= 1;
    res
}

/// How deeply structures may nest in a response.
const MAX_DEPTH: usize = 100;

fn read_struct_inner<'a>(
    r: &mut Reader<'a>,
    e: &Element<'a>,
    out: &mut dyn Structure,
    unknown: &mut dyn FnMut(&mut Reader<'a>, Element<'a>) -> Result<()>,
) -> Result<()> {
    let shape = out.shape();
    for (i, m) in shape.members.iter().enumerate() {
        if m.has(flags::XML_ATTRIBUTE) {
            let name = m.wire_name();
            let local = name.rsplit(':').next().unwrap_or(name);
            if let Some(v) = e.attribute(local)? {
                set_scalar(out.field_mut(i), m, &v).map_err(|x| context(x, m))?;
            }
        }
    }
    let n = shape.members.len();
    let mut hint = 0usize;
    // A union whose one element the model does not know keeps its name (botocore's
    // SDK_UNKNOWN_MEMBER), as the JSON reader does.
    let mut unknown_member: Option<String> = None;
    let mut matched = false;
    let is_union = shape.kind == Kind::Union;
    r.children(e, |r, c| {
        let name = c.name();
        // Elements usually arrive in member order, so the search starts at the last match.
        let found = (0..n).map(|k| (hint + k) % n).find(|&i| {
            let m = &shape.members[i];
            m.location.in_response_body()
                && !m.has(flags::XML_ATTRIBUTE)
                && member_element_name(m).as_bytes() == name
        });
        let Some(i) = found else {
            if is_union && unknown_member.is_none() {
                unknown_member = Some(c.name_str().into_owned());
            }
            return unknown(r, c);
        };
        matched = true;
        hint = i;
        let m = &shape.members[i];
        let slot = out.field_mut(i);
        let res = if m.target.kind == Kind::List && m.flattened() {
            let item = m.target.list_member().expect("list shape has a member");
            match slot.push() {
                Some(el) => read_value(r, &c, item, el),
                None => Err(Error::response(format!(" {} is not a list", m.target.name))),
            }
        } else if m.target.kind == Kind::Map && m.flattened() {
            read_map_entry(r, &c, m, slot)
        } else {
            read_value(r, &c, m, slot)
        };
        res.map_err(|x| context(x, m))
    })?;
    if let (Some(name), false) = (unknown_member, matched) {
        out.set_unknown_member(&name);
    }
    Ok(())
}

/// Fills `slot` (of member `m`'s type) from element `e`, whose start tag was just read.
pub fn read_value<'a>(
    r: &mut Reader<'a>,
    e: &Element<'a>,
    m: &Member,
    slot: &mut dyn Value,
) -> Result<()> {
    let t = m.target;
    match t.kind {
        Kind::Structure | Kind::Union => match slot.as_struct_mut() {
            Some(s) => read_struct(r, e, s),
            None => Err(Error::response(format!(" {} is not a structure", t.name))),
        },
        Kind::List => {
            let item = t.list_member().expect("list shape has a member");
            // A present but empty element is an empty list, not an absent one.
            slot.ensure_present();
            r.children(e, |r, c| match slot.push() {
                Some(el) => read_value(r, &c, item, el),
                None => Err(Error::response(format!(" {} is not a list", t.name))),
            })
        }
        Kind::Map => {
            slot.ensure_present();
            r.children(e, |r, c| read_map_entry(r, &c, m, slot))
        }
        _ => {
            let text = r.text(e)?;
            set_scalar_owned(slot, m, text)
        }
    }
}

/// Reads one `<entry><key/><value/></entry>` (or a flattened entry) into the map in `slot`.
fn read_map_entry<'a>(
    r: &mut Reader<'a>,
    entry: &Element<'a>,
    m: &Member,
    slot: &mut dyn Value,
) -> Result<()> {
    let (km, vm) = m.target.map_members().expect("map shape has key and value");
    let kname = km.location_name.unwrap_or("key").as_bytes();
    let vname = vm.location_name.unwrap_or("value").as_bytes();
    let mut key: Option<String> = None;
    // A value that comes before its key is kept as a byte range and read once the key is known.
    let mut early_value: Option<(usize, usize)> = None;
    let mut before = r.position();
    r.children(entry, |r, c| {
        if c.name() == kname {
            key = Some(r.text(&c)?);
        } else if c.name() == vname {
            match &key {
                Some(k) => {
                    let v = slot.insert(k.clone()).ok_or_else(|| {
                        Error::response(format!(" {} is not a map", m.target.name))
                    })?;
                    read_value(r, &c, vm, v)?;
                }
                None => {
                    r.skip(&c)?;
                    early_value = Some((before, r.position()));
                }
            }
        } else {
            r.skip(&c)?;
        }
        before = r.position();
        Ok(())
    })?;
    let key = key.ok_or_else(|| {
        Error::response(format!(
            " map entry without <{}>",
            String::from_utf8_lossy(kname)
        ))
    })?;
    let v = slot
        .insert(key)
        .ok_or_else(|| Error::response(format!(" {} is not a map", m.target.name)))?;
    if let Some((from, to)) = early_value {
        let mut sub = Reader::new(&r.body[from..to])?;
        let ve = sub.root()?;
        read_value(&mut sub, &ve, vm, v)?;
    }
    Ok(())
}

/// The byte range of the element reached by descending from the root through `path` (element
/// names, root excluded; the first match at each level), for reading it again on its own.
pub fn find_element(body: &[u8], path: &[&str]) -> Result<Option<(usize, usize)>> {
    let mut r = Reader::new(body)?;
    let mut parent = r.root()?;
    for (depth, want) in path.iter().enumerate() {
        let last = depth + 1 == path.len();
        loop {
            let before = r.position();
            match r.next_in(&parent)? {
                Next::End => return Ok(None),
                Next::Start(c) if c.name() == want.as_bytes() => {
                    if last {
                        r.skip(&c)?;
                        return Ok(Some((before, r.position())));
                    }
                    parent = c;
                    break;
                }
                Next::Start(c) => r.skip(&c)?,
            }
        }
    }
    Ok(None)
}

/// Writes XML request bodies (rest-xml) from structures, driven by their schemas, as botocore's
/// serializer does: members in model order, `xmlAttribute` members as attributes, wrapped or
/// flattened lists and maps, namespaces from the member or its target.
#[derive(Default)]
pub struct Writer {
    out: String,
    depth: usize,
}

fn escape_into(out: &mut String, s: &str, attr: bool) {
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' if attr => out.push_str("&quot;"),
            '\n' if attr => out.push_str("&#10;"),
            '\r' => out.push_str("&#13;"),
            c => out.push(c),
        }
    }
}

impl Writer {
    /// The document written so far.
    pub fn finish(self) -> Vec<u8> {
        self.out.into_bytes()
    }

    fn open(&mut self, name: &str, ns: Option<(&str, &str)>, attrs: &[(String, String)]) {
        self.out.push('<');
        self.out.push_str(name);
        if let Some((prefix, uri)) = ns {
            if prefix.is_empty() {
                self.out.push_str(" xmlns=\"");
            } else {
                self.out.push_str(" xmlns:");
                self.out.push_str(prefix);
                self.out.push_str("=\"");
            }
            escape_into(&mut self.out, uri, true);
            self.out.push('"');
        }
        for (k, v) in attrs {
            self.out.push(' ');
            self.out.push_str(k);
            self.out.push_str("=\"");
            escape_into(&mut self.out, v, true);
            self.out.push('"');
        }
        self.out.push('>');
    }

    fn close(&mut self, name: &str) {
        self.out.push_str("</");
        self.out.push_str(name);
        self.out.push('>');
    }

    /// Writes `s` as the element `name`; with `body_only`, members bound to the URI, query
    /// string or headers are left out.
    pub fn write_struct(
        &mut self,
        name: &str,
        ns: Option<(&str, &str)>,
        s: &dyn Structure,
        body_only: bool,
    ) -> Result<()> {
        if self.depth >= MAX_DEPTH {
            return Err(Error::validation(format!(
                "{}: values nested deeper than {MAX_DEPTH} levels",
                s.shape().name
            )));
        }
        self.depth += 1;
        let shape = s.shape();
        let mut attrs = Vec::new();
        for (i, m) in shape.members.iter().enumerate() {
            if m.has(flags::XML_ATTRIBUTE) {
                if let Some(t) = scalar_text(m, s.field(i).get(), TimestampFormat::Iso8601) {
                    attrs.push((m.wire_name().to_string(), t));
                }
            }
        }
        self.open(name, ns, &attrs);
        for (i, m) in shape.members.iter().enumerate() {
            if (body_only && m.location != Location::Body) || m.has(flags::XML_ATTRIBUTE) {
                continue;
            }
            let v = s.field(i).get();
            self.write_value(m.wire_name(), m, v).map_err(|e| {
                Error::validation(format!("{}.{}", m.name, e.message().unwrap_or("")))
            })?;
        }
        self.close(name);
        self.depth -= 1;
        Ok(())
    }

    fn write_value(&mut self, name: &str, m: &Member, v: ValueRef) -> Result<()> {
        let ns = m.xml_namespace.or(m.target.xml_namespace);
        match v {
            ValueRef::Null => {}
            ValueRef::Struct(s) => self.write_struct(name, ns, s, false)?,
            ValueRef::List(l) => {
                let item = m.target.list_member().expect("list shape has a member");
                if m.flattened() {
                    for j in 0..l.len() {
                        self.write_value(name, item, l.get(j).get())?;
                    }
                } else {
                    self.open(name, ns, &[]);
                    let iname = item.location_name.unwrap_or("member");
                    for j in 0..l.len() {
                        self.write_value(iname, item, l.get(j).get())?;
                    }
                    self.close(name);
                }
            }
            ValueRef::Map(map) => {
                let (km, vm) = m.target.map_members().expect("map shape has key and value");
                let kname = km.location_name.unwrap_or("key");
                let vname = vm.location_name.unwrap_or("value");
                let flat = m.flattened();
                if !flat {
                    self.open(name, ns, &[]);
                }
                for (k, v) in map.entries() {
                    self.open(if flat { name } else { "entry" }, None, &[]);
                    self.write_value(kname, km, ValueRef::Str(k))?;
                    self.write_value(vname, vm, v.get())?;
                    self.close(if flat { name } else { "entry" });
                }
                if !flat {
                    self.close(name);
                }
            }
            ValueRef::Document(_) | ValueRef::Stream(_) => {
                return Err(Error::validation(
                    ": documents and streams cannot be sent in an XML body",
                ))
            }
            scalar => {
                if let Some(t) = scalar_text(m, scalar, TimestampFormat::Iso8601) {
                    self.open(name, ns, &[]);
                    escape_into(&mut self.out, &t, false);
                    self.close(name);
                }
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_with_entities_cdata_and_children() {
        let body = b"<a>x &amp; y &#233;&#x41;<![CDATA[<raw>]]><b>skip</b> z\r\nw</a>";
        let mut r = Reader::new(body).unwrap();
        let root = r.root().unwrap();
        assert_eq!(r.text(&root).unwrap(), "x & y \u{e9}A<raw> z\nw");
    }

    #[test]
    fn malformed_documents_are_errors() {
        for bad in [
            &b"<a><b></a>"[..],
            b"<a>",
            b"<a>&bogus;</a>",
            b"\xff\xfe",
            b"<!DOCTYPE x><a/>",
        ] {
            let res = Reader::new(bad).and_then(|mut r| {
                let root = r.root()?;
                r.text(&root)
            });
            assert!(
                res.is_err(),
                "{:?} should fail",
                String::from_utf8_lossy(bad)
            );
        }
    }

    #[test]
    fn finds_nested_elements() {
        let body = b"<Response><Other/><Errors><Error><Code>X</Code></Error></Errors></Response>";
        let (from, to) = find_element(body, &["Errors", "Error"]).unwrap().unwrap();
        assert_eq!(&body[from..to], b"<Error><Code>X</Code></Error>");
        assert_eq!(find_element(body, &["Nope"]).unwrap(), None);
    }
}
