//! Conversion of botocore `documentation` HTML fragments into rustdoc Markdown.
//!
//! botocore documents operations, shapes and members with loosely written HTML
//! (`<p>`, `<code>`, `<a href>`, `<ul>`, `<note>`, stray placeholders such as
//! `<region>`, unbalanced tags, ...). [`html_to_markdown`] turns such a fragment
//! into Markdown lines that render well in rustdoc and never trigger rustdoc
//! lints (`broken_intra_doc_links`, `bare_urls`, `invalid_html_tags`) nor
//! create doctests.
//!
//! The converter is a small hand written tokenizer plus a block/inline
//! renderer. It never panics and runs in (near) linear time on any input.

use std::collections::HashSet;

/// Opening marker for strong emphasis inside the paragraph buffer.
const OPEN_STRONG: char = '\u{FDD0}';
/// Closing marker for strong emphasis inside the paragraph buffer.
const CLOSE_STRONG: char = '\u{FDD1}';
/// Opening marker for emphasis inside the paragraph buffer.
const OPEN_EM: char = '\u{FDD2}';
/// Closing marker for emphasis inside the paragraph buffer.
const CLOSE_EM: char = '\u{FDD3}';

/// Deepest list nesting rendered; deeper lists are flattened into the last level.
const MAX_LIST_DEPTH: usize = 16;

/// Converts a botocore HTML documentation fragment to rustdoc Markdown lines (no leading `///`).
///
/// Paragraphs are single lines separated by one empty line; list items are
/// single lines (`- item`, `1. item`, nested lists indented under their
/// parent item). The result has no leading or trailing empty lines, no
/// trailing whitespace and no control characters; empty or whitespace-only
/// input gives an empty vector.
pub fn html_to_markdown(html: &str) -> Vec<String> {
    let tokens = tokenize(html);
    let mut r = Renderer::default();
    for tok in tokens {
        r.token(tok);
    }
    r.finish()
}

// ---------------------------------------------------------------------------
// Tokenizer
// ---------------------------------------------------------------------------

/// One lexical element of the HTML fragment.
#[derive(Debug)]
enum Token {
    /// Text with entities already decoded.
    Text(String),
    /// A start tag (lower-cased name).
    Start {
        name: String,
        attrs: Vec<(String, String)>,
        self_closing: bool,
    },
    /// An end tag (lower-cased name).
    End(String),
}

/// Splits `s` into tokens; anything that does not parse as markup is text.
///
/// Unknown tags that are never closed (or are self-closing) are placeholders
/// such as `<region>` or XML examples, and are kept as literal text.
fn tokenize(s: &str) -> Vec<Token> {
    let b = s.as_bytes();
    let mut memo = Memo::default();
    let mut raw: Vec<(Token, Option<(usize, usize)>)> = Vec::new();
    let mut text_start = 0;
    let mut i = 0;
    while i < b.len() {
        if b[i] != b'<' {
            i += 1;
            continue;
        }
        match parse_markup(s, i, &mut memo) {
            Some((tok, end)) => {
                if text_start < i {
                    raw.push((Token::Text(decode_entities(&s[text_start..i])), None));
                }
                if let Some(tok) = tok {
                    raw.push((tok, Some((i, end))));
                }
                i = end;
                text_start = end;
            }
            None => i += 1,
        }
    }
    if text_start < b.len() {
        raw.push((Token::Text(decode_entities(&s[text_start..])), None));
    }

    let closed: HashSet<&str> = raw
        .iter()
        .filter_map(|(t, _)| match t {
            Token::End(n) => Some(n.as_str()),
            _ => None,
        })
        .collect();
    let literal: Vec<bool> = raw
        .iter()
        .map(|(t, _)| match t {
            Token::Start {
                name, self_closing, ..
            } => !is_known_tag(name) && (*self_closing || !closed.contains(name.as_str())),
            _ => false,
        })
        .collect();
    raw.into_iter()
        .zip(literal)
        .map(|((tok, span), lit)| match (lit, span) {
            (true, Some((a, e))) => Token::Text(decode_entities(&s[a..e])),
            _ => tok,
        })
        .collect()
}

/// Longest tag (in bytes) the tokenizer accepts; keeps pathological input linear.
const MAX_TAG_LEN: usize = 2048;

/// Remembers searches that failed, so that they are not repeated.
#[derive(Default)]
struct Memo {
    no_comment_end: bool,
    no_cdata_end: bool,
    /// Position of the next `>` at or after the last lookup (`None`: none left).
    next_gt: Option<usize>,
    /// Whether `next_gt` has been computed.
    gt_known: bool,
}

impl Memo {
    /// Position of the first `>` at or after `from`.
    fn next_gt(&mut self, b: &[u8], from: usize) -> Option<usize> {
        if !self.gt_known || self.next_gt.is_some_and(|g| g < from) {
            self.next_gt = find(b, from, b">");
            self.gt_known = true;
        }
        self.next_gt
    }
}

/// Tries to parse markup (tag, comment, declaration) starting at byte `i`
/// (which holds `<`). Returns the token (if any) and the end byte offset, or
/// `None` when the `<` is plain text.
fn parse_markup(s: &str, i: usize, memo: &mut Memo) -> Option<(Option<Token>, usize)> {
    let full = s.as_bytes();
    let rest = &full[i + 1..];
    if rest.starts_with(b"!--") {
        if memo.no_comment_end {
            return None;
        }
        let end = find(full, i + 4, b"-->");
        memo.no_comment_end = end.is_none();
        return Some((None, end? + 3));
    }
    if rest.starts_with(b"![CDATA[") {
        if memo.no_cdata_end {
            return None;
        }
        let start = i + 9;
        let end = find(full, start, b"]]>");
        memo.no_cdata_end = end.is_none();
        let end = end?;
        return Some((Some(Token::Text(s[start..end].to_string())), end + 3));
    }
    // Tags and declarations must end within MAX_TAG_LEN bytes.
    if memo.next_gt(full, i)? - i > MAX_TAG_LEN {
        return None;
    }
    let b = &full[..full.len().min(i + MAX_TAG_LEN)];
    if rest.starts_with(b"!") || rest.starts_with(b"?") {
        let end = find(b, i + 1, b">")?;
        return Some((None, end + 1));
    }
    if rest.starts_with(b"/") {
        let name_start = i + 2;
        if !b.get(name_start)?.is_ascii_alphabetic() {
            return None;
        }
        let name_end = scan_name(b, name_start);
        match b.get(name_end) {
            Some(c) if c.is_ascii_whitespace() || *c == b'>' => {}
            _ => return None,
        }
        let end = find(b, name_end, b">")?;
        return Some((
            Some(Token::End(s[name_start..name_end].to_ascii_lowercase())),
            end + 1,
        ));
    }
    if !rest.first()?.is_ascii_alphabetic() {
        return None;
    }
    let name_start = i + 1;
    let name_end = scan_name(b, name_start);
    match b.get(name_end) {
        Some(c) if c.is_ascii_whitespace() || *c == b'>' || *c == b'/' => {}
        _ => return None,
    }
    let name = s[name_start..name_end].to_ascii_lowercase();
    let mut attrs = Vec::new();
    let mut j = name_end;
    loop {
        while j < b.len() && b[j].is_ascii_whitespace() {
            j += 1;
        }
        let c = *b.get(j)?;
        if c == b'>' {
            return Some((
                Some(Token::Start {
                    name,
                    attrs,
                    self_closing: false,
                }),
                j + 1,
            ));
        }
        if c == b'/' {
            if b.get(j + 1) == Some(&b'>') {
                return Some((
                    Some(Token::Start {
                        name,
                        attrs,
                        self_closing: true,
                    }),
                    j + 2,
                ));
            }
            j += 1;
            continue;
        }
        // Attribute name.
        let an_start = j;
        while j < b.len() && !b[j].is_ascii_whitespace() && !matches!(b[j], b'=' | b'>' | b'/') {
            j += 1;
        }
        if j >= b.len() {
            return None;
        }
        if j == an_start {
            // A lone `=`: skip it to guarantee progress.
            j += 1;
            continue;
        }
        let aname = s[an_start..j].to_ascii_lowercase();
        let mut k = j;
        while k < b.len() && b[k].is_ascii_whitespace() {
            k += 1;
        }
        let mut value = String::new();
        if b.get(k) == Some(&b'=') {
            k += 1;
            while k < b.len() && b[k].is_ascii_whitespace() {
                k += 1;
            }
            match b.get(k) {
                Some(&q) if q == b'"' || q == b'\'' => {
                    let end = find(b, k + 1, &[q])?;
                    value = decode_entities(&s[k + 1..end]);
                    j = end + 1;
                }
                Some(_) => {
                    let v_start = k;
                    while k < b.len() && !b[k].is_ascii_whitespace() && b[k] != b'>' {
                        k += 1;
                    }
                    if k >= b.len() {
                        return None;
                    }
                    value = decode_entities(&s[v_start..k]);
                    j = k;
                }
                None => return None,
            }
        }
        attrs.push((aname, value));
    }
}

/// End of a tag name starting at `start`.
fn scan_name(b: &[u8], start: usize) -> usize {
    let mut j = start;
    while j < b.len() && (b[j].is_ascii_alphanumeric() || matches!(b[j], b':' | b'_' | b'.' | b'-'))
    {
        j += 1;
    }
    j
}

/// Byte offset of `needle` in `hay` at or after `from`.
fn find(hay: &[u8], from: usize, needle: &[u8]) -> Option<usize> {
    if from > hay.len() || needle.is_empty() {
        return None;
    }
    hay[from..]
        .windows(needle.len())
        .position(|w| w == needle)
        .map(|p| p + from)
}

/// Tag names the renderer handles (all other tags are "unknown"), separated by spaces.
const KNOWN_TAGS: &str =
    "p div para br hr img wbr code tt kbd samp filename function literal codeph \
     command userinput computeroutput b strong i em emphasis cite u s sup sub small \
     big a ulink link ul ol li dl dt dd table thead tbody tfoot caption tr td th note \
     important warning caution tip pre programlisting h1 h2 h3 h4 h5 h6 fullname \
     examples example title span summary replaceable section blockquote";

/// Tags the renderer understands; any other tag is unknown.
fn is_known_tag(name: &str) -> bool {
    KNOWN_TAGS.split_ascii_whitespace().any(|t| t == name)
}

/// Decodes the supported character references; unknown ones stay as text.
fn decode_entities(s: &str) -> String {
    if !s.contains('&') {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(pos) = rest.find('&') {
        out.push_str(&rest[..pos]);
        rest = &rest[pos..];
        match decode_one(rest) {
            Some((c, len)) => {
                out.push(c);
                rest = &rest[len..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// Decodes the character reference at the start of `s` (which starts with
/// `&`), returning the character and the reference length in bytes.
fn decode_one(s: &str) -> Option<(char, usize)> {
    let semi = s.as_bytes().iter().take(12).position(|&c| c == b';')?;
    let body = &s[1..semi];
    let c = match body {
        "amp" => '&',
        "lt" => '<',
        "gt" => '>',
        "quot" => '"',
        "apos" => '\'',
        "nbsp" => ' ',
        _ => {
            let num = body.strip_prefix('#')?;
            let n = if let Some(hex) = num.strip_prefix(['x', 'X']) {
                if hex.is_empty() || !hex.bytes().all(|c| c.is_ascii_hexdigit()) {
                    return None;
                }
                u32::from_str_radix(hex, 16).ok()?
            } else {
                if num.is_empty() || !num.bytes().all(|c| c.is_ascii_digit()) {
                    return None;
                }
                num.parse::<u32>().ok()?
            };
            numeric_char(n)?
        }
    };
    Some((c, semi + 1))
}

/// Maps a numeric character reference like HTML does (C1 range as Windows-1252).
fn numeric_char(n: u32) -> Option<char> {
    const CP1252: [u32; 32] = [
        0x20AC, 0, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160, 0x2039,
        0x0152, 0, 0x017D, 0, 0, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014, 0x02DC,
        0x2122, 0x0161, 0x203A, 0x0153, 0, 0x017E, 0x0178,
    ];
    let n = if (0x80..0xA0).contains(&n) {
        match CP1252[(n - 0x80) as usize] {
            0 => return None,
            m => m,
        }
    } else {
        n
    };
    if n == 0 {
        return None;
    }
    char::from_u32(n)
}

// ---------------------------------------------------------------------------
// Renderer
// ---------------------------------------------------------------------------

/// Kind of list-like container.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum ListKind {
    Unordered,
    Ordered,
    Definition,
    Table,
}

impl ListKind {
    /// The HTML tag that closes this container.
    fn tag(self) -> &'static str {
        match self {
            ListKind::Unordered => "ul",
            ListKind::Ordered => "ol",
            ListKind::Definition => "dl",
            ListKind::Table => "table",
        }
    }
}

/// What a list item has emitted so far.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum ItemState {
    /// Nothing yet: the next content starts the marker line.
    NoLine,
    /// The last output line belongs to this item and can be extended.
    Line,
    /// A nested block followed; more content needs a blank, indented line.
    Block,
}

/// One list item.
#[derive(Debug)]
struct Item {
    state: ItemState,
    /// Column where the item's content starts.
    content_col: usize,
}

/// One open list-like container.
#[derive(Debug)]
struct List {
    kind: ListKind,
    /// Opened by a stray `<li>`/`<dt>`/`<tr>` without its container tag.
    implicit: bool,
    /// Next number for ordered lists.
    next: u64,
    item: Option<Item>,
    item_open: bool,
    /// Whether any line of this list has been emitted.
    emitted: bool,
    /// Table cells seen in the current row.
    cells: usize,
    /// A `<dt>` term is open (its bold is on the inline stack).
    dt_open: bool,
}

impl List {
    fn new(kind: ListKind, implicit: bool, start: u64) -> Self {
        List {
            kind,
            implicit,
            next: start,
            item: None,
            item_open: false,
            emitted: false,
            cells: 0,
            dt_open: false,
        }
    }
}

/// An open inline element.
#[derive(Debug)]
enum Inline {
    Strong,
    Em,
    /// Emphasis nested in emphasis of the same kind (`true`: strong): writes nothing.
    Nop(bool),
    /// Bold term of a `<dt>`.
    DtStrong,
    Link {
        /// Byte offset in the paragraph buffer where the link text starts.
        start: usize,
        url: Option<String>,
        /// Plain (unescaped) link text, to detect text equal to the URL.
        raw: String,
    },
}

/// Streaming renderer from tokens to Markdown lines.
#[derive(Default)]
struct Renderer {
    lines: Vec<String>,
    /// Current paragraph: escaped Markdown plus emphasis marker characters.
    para: String,
    inline: Vec<Inline>,
    /// Open code span: nesting depth and raw text.
    code: Option<(usize, String)>,
    /// Open preformatted block: nesting depth and raw text.
    pre: Option<(usize, String)>,
    lists: Vec<List>,
    /// Prefix (`**Note:**`) for the next paragraph.
    prefix: Option<&'static str>,
    /// List tags opened beyond [`MAX_LIST_DEPTH`] (ignored, as are their closers).
    list_overflow: usize,
    /// Marker(s) of items without content of their own, to prefix the next line.
    pending_marker: Option<String>,
}

impl Renderer {
    fn token(&mut self, tok: Token) {
        if self.pre.is_some() {
            self.pre_token(tok);
            return;
        }
        match tok {
            Token::Text(t) => self.text(&t),
            Token::Start {
                name,
                attrs,
                self_closing,
            } => self.start_tag(&name, &attrs, self_closing),
            Token::End(name) => self.end_tag(&name),
        }
    }

    /// Handles a token inside `<pre>`: everything is literal text.
    fn pre_token(&mut self, tok: Token) {
        let Some((depth, buf)) = self.pre.as_mut() else {
            return;
        };
        match tok {
            Token::Text(t) => buf.push_str(&t),
            Token::Start {
                name, self_closing, ..
            } => match name.as_str() {
                "pre" | "programlisting" if !self_closing => *depth += 1,
                "br" => buf.push('\n'),
                _ => {}
            },
            Token::End(name) => {
                if matches!(name.as_str(), "pre" | "programlisting") {
                    *depth -= 1;
                    if *depth == 0 {
                        self.close_pre();
                    }
                }
            }
        }
    }

    fn text(&mut self, t: &str) {
        if let Some((_, buf)) = self.code.as_mut() {
            buf.push_str(t);
            return;
        }
        let at_start = self.para.is_empty() || self.para.ends_with(' ');
        let collapsed = collapse(t, at_start);
        if collapsed.is_empty() {
            return;
        }
        let mut in_link = false;
        for i in self.inline.iter_mut() {
            if let Inline::Link { raw, .. } = i {
                raw.push_str(&collapsed);
                in_link = true;
            }
        }
        escape_text(&mut self.para, &collapsed, !in_link);
    }

    /// Appends generated Markdown, avoiding a doubled space.
    fn push_markup(&mut self, s: &str) {
        let s = if self.para.is_empty() || self.para.ends_with(' ') {
            s.trim_start()
        } else {
            s
        };
        self.para.push_str(s);
    }

    fn start_tag(&mut self, name: &str, attrs: &[(String, String)], self_closing: bool) {
        let in_code = self.code.is_some();
        match name {
            "br" => {
                if in_code || !self.inline.is_empty() {
                    self.text(" ");
                } else {
                    self.block_break();
                }
            }
            "code" | "tt" | "kbd" | "samp" | "filename" | "function" | "literal" | "codeph"
            | "command" | "userinput" | "computeroutput" => {
                if self_closing {
                    return;
                }
                match self.code.as_mut() {
                    Some((depth, _)) => *depth += 1,
                    None => self.code = Some((1, String::new())),
                }
            }
            _ if in_code && !is_block_tag(name) => {}
            "p" | "div" | "para" | "hr" | "section" | "blockquote" => {
                self.block_break();
                self.close_implicit_lists();
            }
            "b" | "strong" if !self_closing => self.open_emphasis(true),
            "i" | "em" | "emphasis" | "cite" if !self_closing => self.open_emphasis(false),
            "a" | "ulink" if !self_closing => {
                if self.inline.iter().any(|i| matches!(i, Inline::Link { .. })) {
                    return;
                }
                let url = attrs
                    .iter()
                    .find(|(k, _)| k == "href" || k == "url")
                    .and_then(|(_, v)| normalize_url(v));
                if url.is_some() && self.para.ends_with('!') {
                    self.para.pop();
                    self.para.push_str("\\!");
                }
                self.inline.push(Inline::Link {
                    start: self.para.len(),
                    url,
                    raw: String::new(),
                });
            }
            "ul" | "ol" | "dl" | "table" if !self_closing => {
                self.block_break();
                self.emit_pending_prefix();
                let kind = match name {
                    "ul" => ListKind::Unordered,
                    "ol" => ListKind::Ordered,
                    "dl" => ListKind::Definition,
                    _ => ListKind::Table,
                };
                let start = attrs
                    .iter()
                    .find(|(k, _)| k == "start")
                    .and_then(|(_, v)| v.trim().parse::<u64>().ok())
                    .filter(|n| *n < 100_000_000)
                    .unwrap_or(1);
                if self.lists.len() >= MAX_LIST_DEPTH {
                    self.list_overflow += 1;
                    return;
                }
                self.lists.push(List::new(kind, false, start));
            }
            "li" => {
                self.block_break();
                if self.lists.is_empty() {
                    self.lists.push(List::new(ListKind::Unordered, true, 1));
                }
                self.new_item();
            }
            "dt" => {
                self.block_break();
                self.ensure_list(ListKind::Definition);
                self.new_item();
                if let Some(l) = self.lists.last_mut() {
                    l.dt_open = true;
                }
                self.para.push(OPEN_STRONG);
                self.inline.push(Inline::DtStrong);
            }
            "dd" => {
                if self.lists.last().is_some_and(|l| l.dt_open) {
                    self.close_dt();
                } else {
                    self.block_break();
                    self.ensure_list(ListKind::Definition);
                }
                if let Some(l) = self.lists.last_mut() {
                    l.item_open = true;
                }
            }
            "tr" => {
                self.block_break();
                self.ensure_list(ListKind::Table);
                self.new_item();
            }
            "td" | "th" => {
                self.close_code();
                if self.lists.is_empty() {
                    self.ensure_list(ListKind::Table);
                }
                let Some(l) = self.lists.last_mut() else {
                    return;
                };
                l.item_open = true;
                l.cells += 1;
                if l.cells > 1 {
                    self.push_markup(" | ");
                }
            }
            "note" | "important" | "warning" | "caution" | "tip" if !self_closing => {
                self.block_break();
                self.close_implicit_lists();
                self.prefix = Some(match name {
                    "note" => "**Note:**",
                    "important" => "**Important:**",
                    "warning" => "**Warning:**",
                    "caution" => "**Caution:**",
                    _ => "**Tip:**",
                });
            }
            "pre" | "programlisting" if !self_closing => {
                self.block_break();
                self.close_implicit_lists();
                self.emit_pending_prefix();
                self.pre = Some((1, String::new()));
            }
            "h1" | "h2" | "h3" | "h4" | "h5" | "h6" | "fullname" if !self_closing => {
                self.block_break();
                self.close_implicit_lists();
                self.para.push(OPEN_STRONG);
                self.inline.push(Inline::Strong);
            }
            _ => {}
        }
    }

    fn end_tag(&mut self, name: &str) {
        match name {
            "code" | "tt" | "kbd" | "samp" | "filename" | "function" | "literal" | "codeph"
            | "command" | "userinput" | "computeroutput" => {
                if let Some((depth, _)) = self.code.as_mut() {
                    *depth -= 1;
                    if *depth == 0 {
                        self.close_code();
                    }
                }
            }
            _ if self.code.is_some() && !is_block_tag(name) => {}
            "p" | "div" | "para" | "section" | "blockquote" => self.block_break(),
            "b" | "strong" => {
                self.close_inline(|i| matches!(i, Inline::Strong | Inline::Nop(true)));
            }
            "i" | "em" | "emphasis" | "cite" => {
                self.close_inline(|i| matches!(i, Inline::Em | Inline::Nop(false)));
            }
            "a" | "ulink" => self.close_inline(|i| matches!(i, Inline::Link { .. })),
            "ul" | "ol" | "dl" | "table" => self.pop_list(name),
            "li" | "tr" | "dd" => self.end_item(),
            "dt" if self.lists.last().is_some_and(|l| l.dt_open) => self.close_dt(),
            "note" | "important" | "warning" | "caution" | "tip" => {
                self.block_break();
                self.prefix = None;
            }
            "h1" | "h2" | "h3" | "h4" | "h5" | "h6" | "fullname" => self.block_break(),
            _ => {}
        }
    }

    /// Opens `<b>` (`strong`) or `<i>`; nested emphasis of the same kind is a no-op.
    fn open_emphasis(&mut self, strong: bool) {
        let same = self.inline.iter().any(|i| match i {
            Inline::Strong | Inline::DtStrong => strong,
            Inline::Em => !strong,
            _ => false,
        });
        if same {
            self.inline.push(Inline::Nop(strong));
        } else if strong {
            self.para.push(OPEN_STRONG);
            self.inline.push(Inline::Strong);
        } else {
            self.para.push(OPEN_EM);
            self.inline.push(Inline::Em);
        }
    }

    /// Ends the bold term of a `<dt>` and adds the `:` separator.
    fn close_dt(&mut self) {
        self.close_code();
        self.close_inline(|i| matches!(i, Inline::DtStrong));
        if let Some(l) = self.lists.last_mut() {
            l.dt_open = false;
        }
        if self
            .para
            .chars()
            .any(|c| !c.is_whitespace() && !is_marker(c))
        {
            let trimmed = self.para.trim_end().len();
            self.para.truncate(trimmed);
            self.para.push_str(": ");
        }
    }

    /// Makes sure the innermost container is of `kind`, opening an implicit one.
    fn ensure_list(&mut self, kind: ListKind) {
        if self.lists.last().map(|l| l.kind) != Some(kind) && self.lists.len() < MAX_LIST_DEPTH {
            self.lists.push(List::new(kind, true, 1));
        }
    }

    /// Starts a new item in the innermost container.
    fn new_item(&mut self) {
        if let Some(l) = self.lists.last_mut() {
            l.item = Some(Item {
                state: ItemState::NoLine,
                content_col: 0,
            });
            l.item_open = true;
            l.cells = 0;
            l.dt_open = false;
        }
    }

    /// Handles `</li>`, `</tr>` and `</dd>`.
    fn end_item(&mut self) {
        self.block_break();
        let Some(k) = self.lists.iter().rposition(|l| l.item_open) else {
            return;
        };
        while self.lists.len() > k + 1 {
            self.pop_top_list();
        }
        self.lists[k].item_open = false;
    }

    /// Handles `</ul>` and friends.
    fn pop_list(&mut self, name: &str) {
        self.block_break();
        if self.list_overflow > 0 {
            self.list_overflow -= 1;
            return;
        }
        let Some(k) = self.lists.iter().rposition(|l| l.kind.tag() == name) else {
            return;
        };
        while self.lists.len() > k {
            self.pop_top_list();
        }
    }

    fn pop_top_list(&mut self) {
        if let Some(l) = self.lists.pop() {
            if l.emitted {
                if let Some(item) = self.lists.last_mut().and_then(|p| p.item.as_mut()) {
                    item.state = ItemState::Block;
                }
            }
        }
    }

    /// Closes implicit containers whose item is finished (a block outside them starts).
    fn close_implicit_lists(&mut self) {
        while self
            .lists
            .last()
            .is_some_and(|l| l.implicit && !l.item_open)
        {
            self.pop_top_list();
        }
    }

    /// Closes the innermost open inline element matching `pred` (and all
    /// elements opened after it). Does nothing if none matches.
    fn close_inline(&mut self, pred: impl Fn(&Inline) -> bool) {
        let Some(pos) = self.inline.iter().rposition(pred) else {
            return;
        };
        while self.inline.len() > pos {
            self.close_top_inline();
        }
    }

    fn close_top_inline(&mut self) {
        match self.inline.pop() {
            Some(Inline::Strong | Inline::DtStrong) => self.para.push(CLOSE_STRONG),
            Some(Inline::Em) => self.para.push(CLOSE_EM),
            Some(Inline::Nop(_)) | None => {}
            Some(Inline::Link { start, url, raw }) => self.finish_link(start, url, &raw),
        }
    }

    /// Turns the text collected since `start` into a link.
    fn finish_link(&mut self, start: usize, url: Option<String>, raw: &str) {
        let Some(url) = url else {
            return;
        };
        let Some(seg) = self.para.get(start..).map(str::to_string) else {
            return;
        };
        let empty = seg.chars().all(|c| c.is_whitespace() || is_marker(c));
        let raw = raw.trim();
        self.para.truncate(start);
        if empty || raw == url || raw.trim_end_matches('/') == url.trim_end_matches('/') {
            if !seg.is_empty() && seg.starts_with(' ') {
                self.push_markup(" ");
            }
            self.para.push('<');
            self.para.push_str(&encode_url(&url));
            self.para.push('>');
            if seg.len() > 1 && seg.ends_with(' ') {
                self.para.push(' ');
            }
        } else {
            let inner = seg.trim();
            if seg.starts_with(' ') {
                self.push_markup(" ");
            }
            self.para.push('[');
            self.para.push_str(inner);
            self.para.push_str("](");
            self.para.push_str(&encode_url(&url));
            self.para.push(')');
            if seg.ends_with(' ') {
                self.para.push(' ');
            }
        }
    }

    /// Emits the open code span, if any, into the paragraph.
    fn close_code(&mut self) {
        let Some((_, buf)) = self.code.take() else {
            return;
        };
        let content = collapse(&buf, true);
        let content = content.trim_end();
        if content.is_empty() {
            if !buf.is_empty() {
                self.text(" ");
            }
            return;
        }
        for i in self.inline.iter_mut() {
            if let Inline::Link { raw, .. } = i {
                raw.push_str(content);
            }
        }
        let fence = "`".repeat(longest_run(content, '`') + 1);
        let pad = if content.starts_with('`') || content.ends_with('`') {
            " "
        } else {
            ""
        };
        if self.para.ends_with('`') {
            self.para.push(' ');
        }
        self.para.push_str(&fence);
        self.para.push_str(pad);
        self.para.push_str(content);
        self.para.push_str(pad);
        self.para.push_str(&fence);
    }

    /// Emits the open preformatted block as a fenced code block.
    fn close_pre(&mut self) {
        let Some((_, buf)) = self.pre.take() else {
            return;
        };
        let mut body: Vec<String> = buf
            .replace("\r\n", "\n")
            .replace('\r', "\n")
            .replace('\t', "    ")
            .split('\n')
            .map(|l| {
                l.chars()
                    .filter_map(|c| match c {
                        c if c.is_control() || is_marker(c) => None,
                        c => Some(c),
                    })
                    .collect::<String>()
                    .trim_end()
                    .to_string()
            })
            .collect();
        while body.last().is_some_and(|l| l.is_empty()) {
            body.pop();
        }
        let first = body
            .iter()
            .position(|l| !l.is_empty())
            .unwrap_or(body.len());
        body.drain(..first);
        if body.is_empty() {
            return;
        }
        let dedent = body
            .iter()
            .filter(|l| !l.is_empty())
            .map(|l| l.len() - l.trim_start_matches(' ').len())
            .min()
            .unwrap_or(0);
        let longest = body.iter().map(|l| longest_run(l, '`')).max().unwrap_or(0);
        let fence = "`".repeat(longest.max(2) + 1);
        let mut block = Vec::with_capacity(body.len() + 2);
        block.push(format!("{fence}text"));
        for l in &body {
            block.push(l.get(dedent..).unwrap_or("").to_string());
        }
        block.push(fence);
        self.emit_block(block);
    }

    /// Ends the current paragraph: closes open inline elements and emits it.
    fn block_break(&mut self) {
        self.close_code();
        while !self.inline.is_empty() {
            self.close_top_inline();
        }
        let para = std::mem::take(&mut self.para);
        let content = resolve_emphasis(&para);
        if content.is_empty() {
            return;
        }
        let content = match self.prefix.take() {
            Some(p) => format!("{p} {content}"),
            None => content,
        };
        self.emit_content(&content);
    }

    /// Emits a `**Note:**` prefix that did not get a paragraph of its own.
    fn emit_pending_prefix(&mut self) {
        if let Some(p) = self.prefix.take() {
            self.emit_content(p);
        }
    }

    /// Emits one paragraph of inline Markdown in the current context.
    fn emit_content(&mut self, content: &str) {
        if self.lists.is_empty() {
            if !self.lines.is_empty() {
                self.lines.push(String::new());
            }
            self.lines.push(escape_line_start(content));
            return;
        }
        let k = self.lists.len() - 1;
        self.ensure_item(k);
        let (state, col) = match &self.lists[k].item {
            Some(item) => (item.state, item.content_col),
            None => (ItemState::NoLine, 0),
        };
        match state {
            ItemState::NoLine => self.emit_item_line(k, content),
            ItemState::Line => {
                if let Some(last) = self.lines.last_mut() {
                    last.push(' ');
                    last.push_str(content);
                }
            }
            ItemState::Block => {
                self.lines.push(String::new());
                self.lines
                    .push(format!("{}{}", " ".repeat(col), escape_line_start(content)));
                self.set_item_state(k, ItemState::Line);
                self.mark_ancestors(k);
            }
        }
    }

    /// Emits a code block (already fenced lines) in the current context.
    fn emit_block(&mut self, block: Vec<String>) {
        if self.lists.is_empty() {
            if !self.lines.is_empty() {
                self.lines.push(String::new());
            }
            self.lines.extend(block);
            return;
        }
        let k = self.lists.len() - 1;
        self.ensure_line(k);
        let col = self.lists[k].item.as_ref().map_or(0, |i| i.content_col);
        let indent = " ".repeat(col);
        let mut pending = self.pending_marker.take();
        if pending.is_none() {
            self.lines.push(String::new());
        }
        for l in block {
            if let Some(p) = pending.take() {
                self.lines.push(format!("{p}{l}"));
            } else if l.is_empty() {
                self.lines.push(l);
            } else {
                self.lines.push(format!("{indent}{l}"));
            }
        }
        self.set_item_state(k, ItemState::Block);
        self.mark_ancestors(k);
    }

    fn ensure_item(&mut self, k: usize) {
        if self.lists[k].item.is_none() {
            self.lists[k].item = Some(Item {
                state: ItemState::NoLine,
                content_col: 0,
            });
        }
    }

    /// Makes sure the current item of list `k` has emitted its marker line.
    fn ensure_line(&mut self, k: usize) {
        self.ensure_item(k);
        if self.lists[k]
            .item
            .as_ref()
            .is_some_and(|i| i.state == ItemState::NoLine)
        {
            self.emit_item_line(k, "");
        }
    }

    /// Emits the marker line of the current item of list `k`.
    fn emit_item_line(&mut self, k: usize, content: &str) {
        let indent = if k == 0 {
            0
        } else {
            self.ensure_line(k - 1);
            self.lists[k - 1].item.as_ref().map_or(0, |i| i.content_col)
        };
        if !self.lists[k].emitted && self.pending_marker.is_none() {
            // A nested list may not interrupt the parent's paragraph if it is
            // ordered and does not start at 1.
            let blank = if k == 0 {
                !self.lines.is_empty()
            } else {
                let list = &self.lists[k];
                (list.kind == ListKind::Ordered && list.next != 1)
                    || self.lists[k - 1]
                        .item
                        .as_ref()
                        .is_some_and(|i| i.state == ItemState::Block)
            };
            if blank {
                self.lines.push(String::new());
            }
        }
        let list = &mut self.lists[k];
        let marker = if list.kind == ListKind::Ordered {
            let n = list.next;
            list.next += 1;
            format!("{n}.")
        } else {
            "-".to_string()
        };
        list.emitted = true;
        let content_col = indent + marker.len() + 1;
        list.item = Some(Item {
            state: ItemState::Line,
            content_col,
        });
        let mut line = " ".repeat(indent);
        line.push_str(&marker);
        line.push(' ');
        // An enclosing item without content of its own shares this line
        // (`- - x`): empty items cannot interrupt paragraphs and end at a
        // blank line, which would break the nesting.
        if let Some(p) = self.pending_marker.take() {
            if line.is_char_boundary(p.len()) && line[..p.len()].trim().is_empty() {
                line.replace_range(..p.len(), &p);
            }
        }
        if content.is_empty() {
            self.pending_marker = Some(line);
        } else {
            line.push_str(&escape_line_start(content));
            self.lines.push(line);
        }
        self.mark_ancestors(k);
    }

    fn set_item_state(&mut self, k: usize, state: ItemState) {
        if let Some(item) = self.lists[k].item.as_mut() {
            item.state = state;
        }
    }

    /// Marks the items enclosing list `k` as followed by a nested block.
    fn mark_ancestors(&mut self, k: usize) {
        for j in 0..k {
            self.set_item_state(j, ItemState::Block);
        }
    }

    fn finish(mut self) -> Vec<String> {
        if self.pre.is_some() {
            self.close_pre();
        }
        self.block_break();
        let mut out: Vec<String> = Vec::with_capacity(self.lines.len());
        for l in self.lines {
            let l = l.trim_end().to_string();
            if l.is_empty() && out.last().is_none_or(|p: &String| p.is_empty()) {
                continue;
            }
            out.push(l);
        }
        while out.last().is_some_and(|l| l.is_empty()) {
            out.pop();
        }
        out
    }
}

/// Block-level tag names: they end an open inline code span (space separated).
const BLOCK_TAGS: &str =
    "p div para hr section blockquote ul ol li dl dt dd table tr td th note important \
     warning caution tip pre programlisting h1 h2 h3 h4 h5 h6 fullname";

/// Tags that end an inline code span when they appear inside it.
fn is_block_tag(name: &str) -> bool {
    BLOCK_TAGS.split_ascii_whitespace().any(|t| t == name)
}

fn is_marker(c: char) -> bool {
    ('\u{FDD0}'..='\u{FDEF}').contains(&c)
}

/// Collapses whitespace runs to one space and drops control characters.
/// With `at_start`, leading whitespace is dropped.
fn collapse(s: &str, at_start: bool) -> String {
    let mut out = String::with_capacity(s.len());
    let mut space = at_start;
    for c in s.chars() {
        if c.is_whitespace() {
            if !space {
                out.push(' ');
                space = true;
            }
        } else if c.is_control() || is_marker(c) {
            continue;
        } else {
            out.push(c);
            space = false;
        }
    }
    out
}

/// Length of the longest run of `c` in `s`.
fn longest_run(s: &str, c: char) -> usize {
    let mut best = 0;
    let mut cur = 0;
    for ch in s.chars() {
        if ch == c {
            cur += 1;
            best = best.max(cur);
        } else {
            cur = 0;
        }
    }
    best
}

/// Normalizes an `href`: absolute URLs are kept, docs.aws.amazon.com-relative
/// paths are made absolute, anything else (anchors, bare names) gives `None`.
fn normalize_url(href: &str) -> Option<String> {
    let h: String = href
        .trim()
        .chars()
        .filter(|c| !c.is_control() && !is_marker(*c))
        .collect();
    let lower = h.to_ascii_lowercase();
    let has_body = |prefix: &str| h.len() > prefix.len();
    if (lower.starts_with("https://") && has_body("https://"))
        || (lower.starts_with("http://") && has_body("http://"))
        || (lower.starts_with("mailto:") && has_body("mailto:"))
        || (lower.starts_with("ftp://") && has_body("ftp://"))
    {
        return Some(h);
    }
    if h.starts_with('/') && !h.starts_with("//") && h.len() > 1 {
        return Some(format!("https://docs.aws.amazon.com{h}"));
    }
    if h.contains("/latest/") && h.as_bytes().first().is_some_and(u8::is_ascii_alphabetic) {
        return Some(format!("https://docs.aws.amazon.com/{h}"));
    }
    None
}

/// Percent-encodes characters that would end or break a link destination or autolink.
fn encode_url(url: &str) -> String {
    let mut out = String::with_capacity(url.len());
    for c in url.chars() {
        match c {
            ' ' => out.push_str("%20"),
            '(' => out.push_str("%28"),
            ')' => out.push_str("%29"),
            '<' => out.push_str("%3C"),
            '>' => out.push_str("%3E"),
            '\\' => out.push_str("%5C"),
            '`' => out.push_str("%60"),
            c if c.is_whitespace() || c.is_control() || is_marker(c) => {}
            c => out.push(c),
        }
    }
    out
}

/// Length in bytes of a bare URL at the start of `s`, if there is one.
fn bare_url_len(s: &str) -> Option<usize> {
    let b = s.as_bytes();
    let scheme = if b.len() >= 8 && b[..8].eq_ignore_ascii_case(b"https://") {
        8
    } else if b.len() >= 7 && b[..7].eq_ignore_ascii_case(b"http://") {
        7
    } else {
        return None;
    };
    let mut end = s
        .char_indices()
        .find(|&(_, c)| {
            c.is_whitespace() || matches!(c, ')' | ']' | '}' | '<' | '>' | '"' | '\'' | '`')
        })
        .map_or(s.len(), |(i, _)| i);
    while end > scheme && matches!(b[end - 1], b'.' | b',' | b';' | b':' | b'!' | b'?') {
        end -= 1;
    }
    (end > scheme).then_some(end)
}

/// Whether `s` (after a `&`) looks like the rest of a character reference.
fn entity_like(s: &str) -> bool {
    let b = s.as_bytes();
    let body = b
        .iter()
        .take(33)
        .take_while(|c| c.is_ascii_alphanumeric() || **c == b'#')
        .count();
    body > 0 && b.get(body) == Some(&b';')
}

/// Escapes plain text for Markdown and appends it to `out`, turning bare
/// URLs into autolinks when `autolink` is set.
fn escape_text(out: &mut String, text: &str, autolink: bool) {
    let mut prev: Option<char> = out.chars().next_back();
    let mut iter = text.char_indices().peekable();
    while let Some((i, c)) = iter.next() {
        if autolink && (c == 'h' || c == 'H') && !prev.is_some_and(char::is_alphanumeric) {
            if let Some(len) = bare_url_len(&text[i..]) {
                out.push('<');
                out.push_str(&encode_url(&text[i..i + len]));
                out.push('>');
                prev = Some('>');
                while iter.peek().is_some_and(|&(j, _)| j < i + len) {
                    iter.next();
                }
                continue;
            }
        }
        let next = iter.peek().map(|&(_, n)| n);
        match c {
            '\\' => out.push_str("\\\\"),
            '`' => out.push_str("\\`"),
            '*' => out.push_str("\\*"),
            '~' => out.push_str("\\~"),
            '[' => out.push_str("\\["),
            ']' => out.push_str("\\]"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '_' => {
                if prev.is_some_and(char::is_alphanumeric)
                    && next.is_some_and(char::is_alphanumeric)
                {
                    out.push('_');
                } else {
                    out.push_str("\\_");
                }
            }
            '&' => {
                if entity_like(&text[i + 1..]) {
                    out.push_str("&amp;");
                } else {
                    out.push('&');
                }
            }
            c => out.push(c),
        }
        prev = Some(c);
    }
}

/// Escapes characters at the start of a line that would begin a Markdown block.
fn escape_line_start(content: &str) -> String {
    let Some(first) = content.chars().next() else {
        return String::new();
    };
    if matches!(first, '#' | '>' | '-' | '+' | '=' | ':' | '|') {
        return format!("\\{content}");
    }
    let digits = content.bytes().take_while(u8::is_ascii_digit).count();
    if digits > 0 {
        let b = content.as_bytes();
        if matches!(b.get(digits), Some(b'.' | b')'))
            && matches!(b.get(digits + 1), None | Some(b' '))
        {
            return format!("{}\\{}", &content[..digits], &content[digits..]);
        }
    }
    content.to_string()
}

/// Turns the paragraph buffer (escaped Markdown with emphasis markers) into
/// final Markdown: whitespace is moved out of emphasis, empty emphasis is
/// dropped, and emphasis that `*` delimiters could not express is written as
/// `<strong>`/`<em>` HTML.
fn resolve_emphasis(para: &str) -> String {
    if !para.chars().any(is_marker) {
        return para.trim().to_string();
    }
    // 1. Move spaces out of emphasis and drop empty pairs.
    let mut v: Vec<char> = Vec::with_capacity(para.len());
    for c in para.chars() {
        match c {
            OPEN_STRONG | OPEN_EM => v.push(c),
            CLOSE_STRONG | CLOSE_EM => {
                let mut spaces = 0;
                while v.last() == Some(&' ') {
                    v.pop();
                    spaces += 1;
                }
                let open = if c == CLOSE_STRONG {
                    OPEN_STRONG
                } else {
                    OPEN_EM
                };
                if v.last() == Some(&open) {
                    v.pop();
                } else {
                    v.push(c);
                }
                if spaces > 0 {
                    v.push(' ');
                }
            }
            ' ' => {
                let run = v
                    .iter()
                    .rev()
                    .take_while(|&&x| x == OPEN_STRONG || x == OPEN_EM)
                    .count();
                if run == 0 {
                    v.push(' ');
                } else {
                    let at = v.len() - run;
                    if at > 0 && v[at - 1] != ' ' {
                        v.insert(at, ' ');
                    }
                }
            }
            c => v.push(c),
        }
    }
    // Collapse spaces and trim.
    let mut w: Vec<char> = Vec::with_capacity(v.len());
    for c in v {
        if c == ' ' && (w.is_empty() || w.last() == Some(&' ')) {
            continue;
        }
        w.push(c);
    }
    while w.last() == Some(&' ') {
        w.pop();
    }
    // 2. Pair markers and decide how each pair is written.
    let n = w.len();
    let mut partner: Vec<Option<usize>> = vec![None; n];
    let mut stack: Vec<usize> = Vec::new();
    for (i, &c) in w.iter().enumerate() {
        match c {
            OPEN_STRONG | OPEN_EM => stack.push(i),
            CLOSE_STRONG | CLOSE_EM => {
                if let Some(o) = stack.pop() {
                    partner[o] = Some(i);
                }
            }
            _ => {}
        }
    }
    let mut repr: Vec<&'static str> = vec![""; n];
    let mut done = vec![false; n];
    for o in 0..n {
        let Some(c) = partner[o] else {
            continue;
        };
        if done[o] {
            continue;
        }
        // `<b><i>x</i></b>` (or the reverse) is written `***x***`.
        let inner = partner
            .get(o + 1)
            .copied()
            .flatten()
            .filter(|&ic| ic + 1 == c && w[o + 1] != w[o]);
        let (span_o, span_c) = if inner.is_some() {
            (o + 1, c - 1)
        } else {
            (o, c)
        };
        let prev_o = o.checked_sub(1).map(|j| w[j]);
        let next_o = w.get(span_o + 1).copied();
        let prev_c = span_c.checked_sub(1).map(|j| w[j]);
        let next_c = w.get(c + 1).copied();
        let touching = [prev_o, next_o, prev_c, next_c]
            .iter()
            .any(|x| x.is_some_and(is_marker));
        let open_ok = !(next_o.is_none_or(inner_punct) && prev_o.is_some_and(outer_word));
        let close_ok = !(prev_c.is_none_or(inner_punct) && next_c.is_some_and(outer_word));
        let plain = !touching && open_ok && close_ok;
        let strong = w[o] == OPEN_STRONG;
        if let Some(ic) = inner {
            done[o + 1] = true;
            if plain {
                repr[o] = "***";
                repr[c] = "***";
            } else {
                let (outer_o, outer_c, inner_o, inner_c) = if strong {
                    ("<strong>", "</strong>", "<em>", "</em>")
                } else {
                    ("<em>", "</em>", "<strong>", "</strong>")
                };
                repr[o] = outer_o;
                repr[c] = outer_c;
                repr[o + 1] = inner_o;
                repr[ic] = inner_c;
            }
        } else {
            let (a, b) = match (strong, plain) {
                (true, true) => ("**", "**"),
                (false, true) => ("*", "*"),
                (true, false) => ("<strong>", "</strong>"),
                (false, false) => ("<em>", "</em>"),
            };
            repr[o] = a;
            repr[c] = b;
        }
    }
    let mut out = String::with_capacity(n + 16);
    for (i, &c) in w.iter().enumerate() {
        if is_marker(c) {
            out.push_str(repr[i]);
        } else {
            out.push(c);
        }
    }
    out
}

/// Whether a character just inside an emphasis delimiter may count as
/// punctuation (conservatively: anything not alphanumeric).
fn inner_punct(c: char) -> bool {
    !c.is_alphanumeric()
}

/// Whether a character just outside an emphasis delimiter may count as a
/// word character (conservatively: anything but whitespace and ASCII punctuation).
fn outer_word(c: char) -> bool {
    let unicode_punct = matches!(c, '\u{2010}'..='\u{2027}' | '\u{2030}'..='\u{2043}');
    !c.is_whitespace() && !c.is_ascii_punctuation() && !unicode_punct && !is_marker(c)
}

// ---------------------------------------------------------------------------
// Tests
// ---------------------------------------------------------------------------

#[cfg(test)]
mod tests {
    use super::*;

    fn md(html: &str) -> Vec<String> {
        html_to_markdown(html)
    }

    fn one(html: &str) -> String {
        md(html).join("\n")
    }

    #[test]
    fn empty_input() {
        assert!(md("").is_empty());
        assert!(md("  \n\t ").is_empty());
        assert!(md("<p> </p><p></p>").is_empty());
    }

    #[test]
    fn paragraphs() {
        assert_eq!(
            md("<p>One.</p> <p>Two\n  lines.</p>"),
            vec!["One.", "", "Two lines."]
        );
        assert_eq!(md("plain text"), vec!["plain text"]);
        assert_eq!(md("<P CLASS=\"x\">Up</P>"), vec!["Up"]);
    }

    #[test]
    fn line_breaks() {
        assert_eq!(
            md("a<br>b<br/>c<BR />d"),
            vec!["a", "", "b", "", "c", "", "d"]
        );
        assert_eq!(md("<b>a<br>b</b>"), vec!["**a b**"]);
    }

    #[test]
    fn code_spans() {
        assert_eq!(one("Use <code>Foo</code>."), "Use `Foo`.");
        assert_eq!(one("<code>a`b</code>"), "``a`b``");
        assert_eq!(one("<code>`x`</code>"), "`` `x` ``");
        assert_eq!(one("<code>a*b_c[d]</code>"), "`a*b_c[d]`");
        assert_eq!(one("<code> a \n b </code>"), "`a b`");
        assert_eq!(
            one("<code>https://<i>bucket</i>.s3</code>"),
            "`https://bucket.s3`"
        );
        assert_eq!(one("<code>x</code><code>y</code>"), "`x` `y`");
        assert_eq!(one("x<code></code>y"), "xy");
        assert_eq!(
            one("<tt>t</tt> <filename>/dev/sda</filename>"),
            "`t` `/dev/sda`"
        );
    }

    #[test]
    fn emphasis() {
        assert_eq!(
            one("<b>bold</b> <strong>strong</strong>"),
            "**bold** **strong**"
        );
        assert_eq!(one("<i>it</i> <em>em</em>"), "*it* *em*");
        assert_eq!(one("a<b> spaced </b>b"), "a **spaced** b");
        assert_eq!(one("<b></b>x<i> </i>y"), "x y");
        assert_eq!(one("word<b>(x)</b>word"), "word<strong>(x)</strong>word");
        assert_eq!(
            one("<b><i>both</i></b> <i><b>x</b></i>"),
            "***both*** ***x***"
        );
        assert_eq!(one("a<b><i>(x)</i></b>"), "a<strong><em>(x)</em></strong>");
        assert_eq!(one("<i>in <i>the</i> guide</i>"), "*in the guide*");
        assert_eq!(one("<b>a <i>b</i> c</b>"), "**a *b* c**");
        assert_eq!(one("<i>a</i><b>b</b>"), "<em>a</em><strong>b</strong>");
        assert_eq!(one("<b>Note:</b> text"), "**Note:** text");
        assert_eq!(one("<b>unclosed"), "**unclosed**");
        assert_eq!(one("close</b> only"), "close only");
    }

    #[test]
    fn links() {
        assert_eq!(
            one("See <a href=\"https://x.com/a\">the docs</a>."),
            "See [the docs](https://x.com/a)."
        );
        assert_eq!(
            one("<a href=\"https://x.com\">https://x.com</a>"),
            "<https://x.com>"
        );
        assert_eq!(one("<a href=\"https://x.com\"></a>"), "<https://x.com>");
        assert_eq!(one("<a>RunInstances</a>"), "RunInstances");
        assert_eq!(one("<a href='#anchor'>here</a>"), "here");
        assert_eq!(
            one("<a href=\"https://x.com/a b(c)\"><code>Foo</code></a>"),
            "[`Foo`](https://x.com/a%20b%28c%29)"
        );
        assert_eq!(
            one("<a href=\"/general/latest/gr/arns.html\">ARNs</a>"),
            "[ARNs](https://docs.aws.amazon.com/general/latest/gr/arns.html)"
        );
        assert_eq!(
            one("Wow!<a href=\"https://x.io\">img</a>"),
            "Wow\\![img](https://x.io)"
        );
        assert_eq!(
            one("<a href=\"https://x.io?a=1&amp;b=2\">q</a>"),
            "[q](https://x.io?a=1&b=2)"
        );
    }

    #[test]
    fn lists() {
        assert_eq!(
            md("<p>Intro:</p><ul><li><p>One</p></li><li>Two <code>x</code></li></ul><p>After</p>"),
            vec!["Intro:", "", "- One", "- Two `x`", "", "After"]
        );
        assert_eq!(md("<ol><li>a</li><li>b</li></ol>"), vec!["1. a", "2. b"]);
        assert_eq!(
            md("<ul><li>a<ul><li>b<ul><li>c</li></ul></li></ul></li><li>d</li></ul>"),
            vec!["- a", "  - b", "    - c", "- d"]
        );
        assert_eq!(
            md("<ol><li>a<ul><li>b</li></ul></li></ol>"),
            vec!["1. a", "   - b"]
        );
        assert_eq!(
            md("<ul><li><p>a</p><p>more</p></li></ul>"),
            vec!["- a more"]
        );
        assert_eq!(
            md("<ul><li>a<ul><li>b</li></ul>tail</li></ul>"),
            vec!["- a", "  - b", "", "  tail"]
        );
        assert_eq!(
            md("<ul><li><ul><li>x</li><li>y</li></ul></li></ul>"),
            vec!["- - x", "  - y"]
        );
        assert_eq!(
            md("<ol><li><ul><li><ol><li>x</li></ol></li></ul>t</li></ol>"),
            vec!["1. - 1. x", "", "   t"]
        );
        assert_eq!(
            md("<ul><li>a<ol start=\"3\"><li>b</li></ol></li></ul>"),
            vec!["- a", "", "  3. b"]
        );
        assert_eq!(
            md("<ul><li>a<ul><li><pre>x</pre></li></ul></li></ul>"),
            vec!["- a", "  - ```text", "    x", "    ```"]
        );
        assert_eq!(md("<li>stray</li><p>p</p>"), vec!["- stray", "", "p"]);
        assert_eq!(
            md("<ul><li>a</li> loose <li>b</li></ul>"),
            vec!["- a loose", "- b"]
        );
        assert_eq!(md("<ol start=\"3\"><li>c</li></ol>"), vec!["3. c"]);
        assert_eq!(md("<ul><li></li><li>x</li></ul>"), vec!["- x"]);
        assert_eq!(
            md("<ul><li>- dash</li><li>1. one</li></ul>"),
            vec!["- \\- dash", "- 1\\. one"]
        );
    }

    #[test]
    fn notes() {
        assert_eq!(
            md("<p>A</p><note><p>Be careful.</p><p>Really.</p></note>"),
            vec!["A", "", "**Note:** Be careful.", "", "Really."]
        );
        assert_eq!(
            md("<important>Do it.</important>"),
            vec!["**Important:** Do it."]
        );
        assert_eq!(
            md("<note><ul><li>x</li></ul></note>"),
            vec!["**Note:**", "", "- x"]
        );
        assert_eq!(
            md("<ul><li><p>a</p><note><p>n</p></note></li></ul>"),
            vec!["- a **Note:** n"]
        );
        assert!(md("<note> </note>").is_empty());
    }

    #[test]
    fn preformatted() {
        assert_eq!(
            md("<p>Ex:</p><pre><code>{\n  \"a\": 1,\n\t\"b\": [2]\n}</code></pre>"),
            vec![
                "Ex:",
                "",
                "```text",
                "{",
                "  \"a\": 1,",
                "    \"b\": [2]",
                "}",
                "```"
            ]
        );
        assert_eq!(
            md("<programlisting>  x &lt; y\n  ```\n</programlisting>"),
            vec!["````text", "x < y", "```", "````"]
        );
        assert_eq!(
            md("<ul><li>a<pre>code</pre></li></ul>"),
            vec!["- a", "", "  ```text", "  code", "  ```"]
        );
        assert_eq!(md("<pre>unclosed"), vec!["```text", "unclosed", "```"]);
        assert!(md("<pre> \n </pre>").is_empty());
    }

    #[test]
    fn definition_lists() {
        assert_eq!(
            md("<dl><dt>Permissions</dt><dd><p>You must.</p></dd><dt>Other</dt><dd>x</dd></dl>"),
            vec!["- **Permissions**: You must.", "- **Other**: x"]
        );
        assert_eq!(md("<dt>Term<dd>def"), vec!["- **Term**: def"]);
    }

    #[test]
    fn headings_and_fullname() {
        assert_eq!(md("<h1>Title</h1><p>x</p>"), vec!["**Title**", "", "x"]);
        assert_eq!(
            md("<fullname>Amazon EC2</fullname> Text"),
            vec!["**Amazon EC2**", "", "Text"]
        );
    }

    #[test]
    fn dropped_and_unknown_tags() {
        assert_eq!(
            one("<examples><example><title>T</title><span>s</span><div>d</div></example></examples>"),
            "Ts\n\nd"
        );
        assert_eq!(one("<foo bar=\"1\">kept</foo>"), "kept");
        assert_eq!(
            one("<replaceable>name</replaceable> <summary>s</summary>"),
            "name s"
        );
        assert_eq!(one("<zonbook></zonbook><xhtml></xhtml>"), "");
        // Unclosed unknown tags are placeholders and stay visible.
        assert_eq!(
            one("arn:aws:x:<region>:<account-id>:thing/<uuid>"),
            "arn:aws:x:&lt;region&gt;:&lt;account-id&gt;:thing/&lt;uuid&gt;"
        );
        assert_eq!(one("<code>arn:<region>:</code>"), "`arn:<region>:`");
        assert_eq!(
            one("adds <Role value=\"x\"/>."),
            "adds &lt;Role value=\"x\"/&gt;."
        );
        assert_eq!(one("a <!-- comment --> b"), "a b");
    }

    #[test]
    fn tables() {
        assert_eq!(
            md("<table><tr><th>A</th><th>B</th></tr><tr><td>1</td><td><p>2</p></td></tr></table>"),
            vec!["- A | B", "- 1 | 2"]
        );
    }

    #[test]
    fn entities() {
        assert_eq!(
            one("a &amp; b &lt;c&gt; &quot;d&quot; &apos;e&apos;"),
            "a & b &lt;c&gt; \"d\" 'e'"
        );
        assert_eq!(one("x&nbsp;y &#123;&#x7D;&#X41;"), "x y {}A");
        assert_eq!(
            one("&copy; &bogus; & &#xZZ; &#0;"),
            "&amp;copy; &amp;bogus; & &amp;#xZZ; &amp;#0;"
        );
        assert_eq!(one("a &#150; b"), "a \u{2013} b");
        assert_eq!(one("Services&#x2028; Region"), "Services Region");
        assert_eq!(one("&amp;lt;"), "&amp;lt;");
    }

    #[test]
    fn escaping() {
        assert_eq!(one("see [Foo] and arr[0]"), "see \\[Foo\\] and arr\\[0\\]");
        assert_eq!(one("a * b and *x*"), "a \\* b and \\*x\\*");
        assert_eq!(
            one("snake_case _x_ __init__"),
            "snake_case \\_x\\_ \\_\\_init\\_\\_"
        );
        assert_eq!(one("a < b > c <tag-ish"), "a &lt; b &gt; c &lt;tag-ish");
        assert_eq!(
            one("back`tick and \\ slash ~1"),
            "back\\`tick and \\\\ slash \\~1"
        );
        assert_eq!(one("# not a heading"), "\\# not a heading");
        assert_eq!(
            one("<p>- no list</p><p>+ no</p><p>= no</p><p>&gt; no</p>"),
            "\\- no list\n\n\\+ no\n\n\\= no\n\n&gt; no"
        );
        assert_eq!(one("1. no list"), "1\\. no list");
        assert_eq!(one("2) no"), "2\\) no");
        assert_eq!(one("1.5 is fine"), "1.5 is fine");
        assert_eq!(one("tab\tand\r\nnewline\u{7}bell"), "tab and newlinebell");
    }

    #[test]
    fn bare_urls() {
        assert_eq!(
            one("Go to https://example.com/x_y. Or (http://a.b/c)."),
            "Go to <https://example.com/x_y>. Or (<http://a.b/c>)."
        );
        assert_eq!(
            one("nohttp://x.y and http:// alone"),
            "nohttp://x.y and http:// alone"
        );
        assert_eq!(
            one("<a href=\"https://x.io\">see https://x.io now</a>"),
            "[see https://x.io now](https://x.io)"
        );
    }

    #[test]
    fn output_invariants() {
        let lines = md("<p>a</p>\n\n<ul><li>b</li></ul>\n<p>  c  </p>");
        assert_eq!(lines, vec!["a", "", "- b", "", "c"]);
        for l in &lines {
            assert_eq!(l.trim_end(), l);
        }
    }

    /// Real botocore documentation strings (EC2 and S3).
    const EC2_RUN_INSTANCES: &str = "<p>Launches the specified number of instances using an AMI for which you have permissions.</p> <p>You can specify a number of options, or leave the default options. The following rules apply:</p> <ul> <li> <p>If you don't specify a subnet ID, we choose a default subnet from your default VPC for you. If you don't have a default VPC, you must specify a subnet ID in the request.</p> </li> <li> <p>Not all instance types support IPv6 addresses. For more information, see <a href=\"https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/instance-types.html\">Instance types</a>.</p> </li> </ul> <p>You can create a <a href=\"https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/ec2-launch-templates.html\">launch template</a>, which is a resource that contains the parameters to launch an instance. When you launch an instance using <a>RunInstances</a>, you can specify the launch template instead of specifying the launch parameters.</p> <p> <code>RunInstances</code> is subject to both request rate limiting and resource rate limiting. For more information, see <a href=\"https://docs.aws.amazon.com/ec2/latest/devguide/ec2-api-throttling.html\">Request throttling</a>.</p>";

    const S3_PUT_OBJECT: &str = "<important> <p>End of support notice: As of October 1, 2025, Amazon S3 has discontinued support for Email Grantee Access Control Lists (ACLs). If you attempt to use an Email Grantee ACL in a request after October 1, 2025, the request will receive an <code>HTTP 405</code> (Method Not Allowed) error.</p> </important> <p>Adds an object to a bucket.</p> <note> <ul> <li> <p> <b>Directory buckets</b> - For directory buckets, you must make requests for this API operation to the Zonal endpoint. These endpoints support virtual-hosted-style requests in the format <code>https://<i>amzn-s3-demo-bucket</i>.s3express-<i>zone-id</i>.<i>region-code</i>.amazonaws.com/<i>key-name</i> </code>. Path-style requests are not supported. For more information, see <a href=\"https://docs.aws.amazon.com/AmazonS3/latest/userguide/endpoint-directory-buckets-AZ.html\">Regional and Zonal endpoints for directory buckets in Availability Zones</a> in the <i>Amazon S3 User Guide</i>.</p> </li> </ul> </note> <ul> <li> <p> <b>If-None-Match</b> - Uploads the object only if the object key name does not already exist in the specified bucket. Otherwise, Amazon S3 returns a <code>412 Precondition Failed</code> error.</p> <p>Expects the * character (asterisk).</p> <note> <p>This functionality is not supported for S3 on Outposts.</p> </note> </li> </ul>";

    const EC2_FILTERS: &str = "<p>The filters.</p> <ul> <li> <p> <code>affinity</code> - The affinity setting for an instance running on a Dedicated Host (<code>default</code> | <code>host</code>).</p> </li> <li> <p> <code>tag</code>:&lt;key&gt; - The key/value combination of a tag assigned to the resource. Use the tag key in the filter name and the tag value as the filter value. For example, to find all resources that have a tag with the key <code>Owner</code> and the value <code>TeamA</code>, specify <code>tag:Owner</code> for the filter name and <code>TeamA</code> for the filter value.</p> </li> <li> <p> <code>instance-state-code</code> - The state of the instance, as a 16-bit unsigned integer. The valid values are 0 (pending), 16 (running), 32 (shutting-down).</p> </li> </ul>";

    const EC2_IMPORT_INSTANCE: &str = "<p>Creates an import instance task using metadata from the specified disk image. After importing the image, you then upload it using the <function>ec2-import-volume</function> command in the EC2 command line tools. For more information, see <ulink url=\"http://docs.aws.amazon.com/AWSEC2/latest/UserGuide/UploadingYourInstancesandVolumes.html\">Using the Command Line Tools to Import Your Virtual Machine to Amazon EC2</ulink> in the <emphasis>Amazon Elastic Compute Cloud User Guide</emphasis>.</p> <p>The device name of the root device (for example, <filename>/dev/sda1</filename> or <filename>xvda</filename>). Array of [Ec2InstanceConnectEndpoint] objects.</p>";

    fn assert_clean(lines: &[String]) {
        for l in lines {
            assert!(!l.contains("<p>") && !l.contains("</p>"), "{l}");
            assert!(!l.contains("<code>") && !l.contains("<a "), "{l}");
            assert_eq!(l.trim_end(), l.as_str());
            assert!(!l.chars().any(|c| c.is_control() || is_marker(c)), "{l:?}");
        }
        assert!(lines.first().is_none_or(|l| !l.is_empty()));
        assert!(lines.last().is_none_or(|l| !l.is_empty()));
        assert!(!lines.windows(2).any(|w| w[0].is_empty() && w[1].is_empty()));
    }

    #[test]
    fn real_ec2_run_instances() {
        let lines = md(EC2_RUN_INSTANCES);
        assert_clean(&lines);
        assert_eq!(
            lines[0],
            "Launches the specified number of instances using an AMI for which you have permissions."
        );
        assert!(lines
            .iter()
            .any(|l| l.starts_with("- If you don't specify a subnet ID")));
        assert!(lines.iter().any(|l| l.contains(
            "[Instance types](https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/instance-types.html)."
        )));
        assert!(lines
            .iter()
            .any(|l| l.starts_with("`RunInstances` is subject")));
        assert!(lines.iter().any(|l| l.contains("using RunInstances, you")));
    }

    #[test]
    fn real_s3_put_object() {
        let lines = md(S3_PUT_OBJECT);
        assert_clean(&lines);
        assert!(lines[0].starts_with("**Important:** End of support notice:"));
        assert!(lines.contains(&"**Note:**".to_string()));
        assert!(lines.iter().any(|l| l.starts_with("- **Directory buckets** - For directory")
            && l.contains("`https://amzn-s3-demo-bucket.s3express-zone-id.region-code.amazonaws.com/key-name`")
            && l.contains("in the *Amazon S3 User Guide*.")));
        assert!(lines
            .iter()
            .any(|l| l.contains("Expects the \\* character (asterisk).")
                && l.ends_with(
                    "**Note:** This functionality is not supported for S3 on Outposts."
                )));
    }

    #[test]
    fn real_ec2_filters_and_docbook() {
        let lines = md(EC2_FILTERS);
        assert_clean(&lines);
        assert!(lines.contains(&"- `tag`:&lt;key&gt; - The key/value combination of a tag assigned to the resource. Use the tag key in the filter name and the tag value as the filter value. For example, to find all resources that have a tag with the key `Owner` and the value `TeamA`, specify `tag:Owner` for the filter name and `TeamA` for the filter value.".to_string()));
        assert!(lines.iter().any(|l| l.contains("(`default` | `host`)")));
        let lines = md(EC2_IMPORT_INSTANCE);
        assert_clean(&lines);
        assert!(lines[0].contains("the `ec2-import-volume` command"));
        assert!(lines[0].contains("[Using the Command Line Tools to Import Your Virtual Machine to Amazon EC2](http://docs.aws.amazon.com/AWSEC2/latest/UserGuide/UploadingYourInstancesandVolumes.html)"));
        assert!(lines[0].contains("*Amazon Elastic Compute Cloud User Guide*"));
        assert!(
            lines[2].contains("`/dev/sda1`")
                && lines[2].contains("\\[Ec2InstanceConnectEndpoint\\]")
        );
    }

    /// The line with its code spans removed.
    fn outside_code(l: &str) -> String {
        let b = l.as_bytes();
        let mut out = Vec::new();
        let mut i = 0;
        while i < b.len() {
            if b[i] == b'\\' {
                out.extend_from_slice(&b[i..(i + 2).min(b.len())]);
                i += 2;
                continue;
            }
            if b[i] == b'`' {
                let n = b[i..].iter().take_while(|&&c| c == b'`').count();
                let mut j = i + n;
                let mut end = None;
                while j < b.len() {
                    let m = b[j..].iter().take_while(|&&c| c == b'`').count();
                    if m == n {
                        end = Some(j + m);
                        break;
                    }
                    j += m.max(1);
                }
                match end {
                    Some(e) => i = e,
                    None => {
                        out.extend_from_slice(&b[i..i + n]);
                        i += n;
                    }
                }
                continue;
            }
            out.push(b[i]);
            i += 1;
        }
        String::from_utf8_lossy(&out).into_owned()
    }

    /// Removes leading list markers (`- `, `12. `, also nested like `- 1. `).
    fn strip_list_markers(mut t: &str) -> &str {
        loop {
            let next = strip_list_marker(t);
            if next.len() == t.len() {
                return t;
            }
            t = next;
        }
    }

    /// Removes a leading `- ` or `12. ` list marker.
    fn strip_list_marker(t: &str) -> &str {
        if t == "-" {
            return "";
        }
        if let Some(r) = t.strip_prefix("- ") {
            return r.trim_start();
        }
        let digits = t.bytes().take_while(u8::is_ascii_digit).count();
        if digits > 0 {
            if let Some(r) = t[digits..].strip_prefix(". ") {
                return r.trim_start();
            }
            if &t[digits..] == "." {
                return "";
            }
        }
        t
    }

    /// Deterministic pseudo random generator (xorshift) for the fuzz test.
    struct Rng(u64);

    impl Rng {
        fn next(&mut self) -> u64 {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            self.0
        }
        fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
            items[(self.next() % items.len() as u64) as usize]
        }
    }

    #[test]
    fn robustness_messy_inputs() {
        let pieces = [
            "<p>",
            "</p>",
            "<ul>",
            "</ul>",
            "<ol>",
            "</ol>",
            "<li>",
            "</li>",
            "<b>",
            "</b>",
            "<i>",
            "</i>",
            "<code>",
            "</code>",
            "<a href=\"https://x.io/é\">",
            "<a href=\"x",
            "</a>",
            "<a>",
            "<note>",
            "</note>",
            "<pre>",
            "</pre>",
            "<dl>",
            "<dt>",
            "</dt>",
            "<dd>",
            "</dd>",
            "<br/>",
            "<table>",
            "<tr>",
            "<td>",
            "<h2>",
            "</h2>",
            "<region>",
            "<x y='1'/>",
            "<",
            ">",
            "&",
            "&amp;",
            "&#x1F600;",
            "&#99999999;",
            "&lt;p&gt;",
            "é",
            "😀",
            "字",
            " ",
            "\n",
            "\t",
            "text",
            "[x]",
            "*",
            "_",
            "`",
            "\\",
            "https://a.b/c",
            "1. ",
            "- ",
            "# ",
            "<!--",
            "-->",
            "<![CDATA[",
            "]]>",
            "</",
            "<p",
            "\u{FDD0}",
            "\u{0}",
            "\r",
            "!",
            "|",
            "```",
        ];
        let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
        for _ in 0..3000 {
            let n = (rng.next() % 40) as usize;
            let mut s = String::new();
            for _ in 0..n {
                s.push_str(rng.pick(&pieces));
            }
            let lines = html_to_markdown(&s);
            let mut fence: Option<String> = None;
            for l in &lines {
                let t = l.trim_start();
                if let Some(f) = &fence {
                    if t == f {
                        fence = None;
                    }
                    continue;
                }
                let m = strip_list_markers(t.trim());
                if m.starts_with("```") {
                    fence = Some(m.trim_end_matches("text").to_string());
                    continue;
                }
                assert!(!outside_code(l).contains("<p>"), "{s:?} -> {l:?}");
                assert!(
                    !l.chars().any(|c| c.is_control() || is_marker(c)),
                    "{s:?} -> {l:?}"
                );
                assert_eq!(l.trim_end(), l.as_str(), "{s:?}");
            }
            assert!(lines.first().is_none_or(|l| !l.is_empty()), "{s:?}");
            assert!(lines.last().is_none_or(|l| !l.is_empty()), "{s:?}");
            // Every prefix of the input must also convert (truncated tags).
            let cut = (rng.next() as usize) % (s.len() + 1);
            if let Some(prefix) = s.get(..cut) {
                let _ = html_to_markdown(prefix);
            }
        }
    }

    #[test]
    fn pathological_inputs() {
        let n = 20_000;
        let cases = [
            "<a ".repeat(n),
            "<a href=\"".repeat(n),
            "<ul><li>x".repeat(n),
            "<ol><li><dl><dt>".repeat(n),
            "<b><i>".repeat(n),
            "<b>x</b>".repeat(n),
            "<!--".repeat(n),
            "<pre>".repeat(n),
            "<code>".repeat(n),
            "&#".repeat(n),
            "<".repeat(n),
        ];
        for case in &cases {
            let lines = html_to_markdown(case);
            assert!(lines.iter().all(|l| l.trim_end() == l));
        }
        // List nesting is capped, so indentation stays bounded.
        let deep = html_to_markdown(&"<ul><li>x".repeat(100));
        assert!(deep.iter().all(|l| l.len() < 64), "{deep:?}");
    }

    #[test]
    fn robustness_random_bytes() {
        let mut rng = Rng(12345);
        for _ in 0..2000 {
            let n = (rng.next() % 64) as usize;
            let bytes: Vec<u8> = (0..n)
                .map(|_| {
                    let r = rng.next();
                    if r & 3 == 0 {
                        b"<>&/;#\"'=pab"[(r as usize / 3) % 12]
                    } else {
                        r as u8
                    }
                })
                .collect();
            let s = String::from_utf8_lossy(&bytes);
            let lines = html_to_markdown(&s);
            assert!(lines.iter().all(|l| !l.contains("<p>")));
        }
    }
}
