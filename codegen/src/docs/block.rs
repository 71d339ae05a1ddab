//! Block renderer: paragraphs, lists, tables, notes and code blocks, laid out as Markdown lines.

use super::inline::{
    escape_line_start, is_marker, longest_run, normalize_url, resolve_emphasis, Inline, Paragraph,
    OPEN_STRONG,
};
use super::tokenize::Token;

/// Deepest list nesting rendered; deeper lists are flattened into the last level.
const MAX_LIST_DEPTH: usize = 16;

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
    /// An empty container of `kind`; ordered lists count from `start`.
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

/// Streaming renderer from tokens to Markdown lines.
#[derive(Default)]
pub(super) struct Renderer {
    lines: Vec<String>,
    /// The paragraph being written, with its open inline elements.
    p: Paragraph,
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
    /// Feeds one token to the renderer.
    pub(super) fn token(&mut self, tok: Token) {
        if self.pre.is_some() {
            self.pre_token(tok);
            return;
        }
        match tok {
            Token::Text(t) => self.p.text(&t),
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

    /// Handles a start tag: opens blocks, lists, inline elements or code.
    fn start_tag(&mut self, name: &str, attrs: &[(String, String)], self_closing: bool) {
        let in_code = self.p.code.is_some();
        match name {
            "br" => {
                if in_code || !self.p.inline.is_empty() {
                    self.p.text(" ");
                } else {
                    self.block_break();
                }
            }
            "code" | "tt" | "kbd" | "samp" | "filename" | "function" | "literal" | "codeph"
            | "command" | "userinput" | "computeroutput" => {
                if self_closing {
                    return;
                }
                match self.p.code.as_mut() {
                    Some((depth, _)) => *depth += 1,
                    None => self.p.code = Some((1, String::new())),
                }
            }
            _ if in_code && !is_block_tag(name) => {}
            "p" | "div" | "para" | "hr" | "section" | "blockquote" => {
                self.block_break();
                self.close_implicit_lists();
            }
            "b" | "strong" if !self_closing => self.p.open_emphasis(true),
            "i" | "em" | "emphasis" | "cite" if !self_closing => self.p.open_emphasis(false),
            "a" | "ulink" if !self_closing => {
                if self
                    .p
                    .inline
                    .iter()
                    .any(|i| matches!(i, Inline::Link { .. }))
                {
                    return;
                }
                let url = attrs
                    .iter()
                    .find(|(k, _)| k == "href" || k == "url")
                    .and_then(|(_, v)| normalize_url(v));
                if url.is_some() && self.p.para.ends_with('!') {
                    self.p.para.pop();
                    self.p.para.push_str("\\!");
                }
                self.p.inline.push(Inline::Link {
                    start: self.p.para.len(),
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
                self.p.para.push(OPEN_STRONG);
                self.p.inline.push(Inline::DtStrong);
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
                self.p.close_code();
                if self.lists.is_empty() {
                    self.ensure_list(ListKind::Table);
                }
                let Some(l) = self.lists.last_mut() else {
                    return;
                };
                l.item_open = true;
                l.cells += 1;
                if l.cells > 1 {
                    self.p.push_markup(" | ");
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
                self.p.para.push(OPEN_STRONG);
                self.p.inline.push(Inline::Strong);
            }
            _ => {}
        }
    }

    /// Handles an end tag: closes the matching block, list, item, inline element or code span.
    fn end_tag(&mut self, name: &str) {
        match name {
            "code" | "tt" | "kbd" | "samp" | "filename" | "function" | "literal" | "codeph"
            | "command" | "userinput" | "computeroutput" => {
                if let Some((depth, _)) = self.p.code.as_mut() {
                    *depth -= 1;
                    if *depth == 0 {
                        self.p.close_code();
                    }
                }
            }
            _ if self.p.code.is_some() && !is_block_tag(name) => {}
            "p" | "div" | "para" | "section" | "blockquote" => self.block_break(),
            "b" | "strong" => {
                self.p
                    .close_inline(|i| matches!(i, Inline::Strong | Inline::Nop(true)));
            }
            "i" | "em" | "emphasis" | "cite" => {
                self.p
                    .close_inline(|i| matches!(i, Inline::Em | Inline::Nop(false)));
            }
            "a" | "ulink" => self.p.close_inline(|i| matches!(i, Inline::Link { .. })),
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

    /// Ends the bold term of a `<dt>` and adds the `:` separator.
    fn close_dt(&mut self) {
        self.p.close_code();
        self.p.close_inline(|i| matches!(i, Inline::DtStrong));
        if let Some(l) = self.lists.last_mut() {
            l.dt_open = false;
        }
        if self
            .p
            .para
            .chars()
            .any(|c| !c.is_whitespace() && !is_marker(c))
        {
            let trimmed = self.p.para.trim_end().len();
            self.p.para.truncate(trimmed);
            self.p.para.push_str(": ");
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

    /// Closes the innermost container; an item that enclosed it now continues after a block.
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
        self.p.close_code();
        while !self.p.inline.is_empty() {
            self.p.close_top_inline();
        }
        let para = std::mem::take(&mut self.p.para);
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

    /// Makes sure list `k` has a current item.
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

    /// Records what the current item of list `k` has emitted.
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

    /// Closes everything still open and returns the lines without extra blank lines.
    pub(super) fn finish(mut self) -> Vec<String> {
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

#[cfg(test)]
mod tests {
    use crate::docs::tests::md;

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
    fn tables() {
        assert_eq!(
            md("<table><tr><th>A</th><th>B</th></tr><tr><td>1</td><td><p>2</p></td></tr></table>"),
            vec!["- A | B", "- 1 | 2"]
        );
    }
}
