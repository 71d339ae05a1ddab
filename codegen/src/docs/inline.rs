//! Inline rendering: emphasis, links, code spans and text escaping inside a paragraph.

/// Opening marker for strong emphasis inside the paragraph buffer.
pub(super) const OPEN_STRONG: char = '\u{FDD0}';
/// Closing marker for strong emphasis inside the paragraph buffer.
const CLOSE_STRONG: char = '\u{FDD1}';
/// Opening marker for emphasis inside the paragraph buffer.
const OPEN_EM: char = '\u{FDD2}';
/// Closing marker for emphasis inside the paragraph buffer.
const CLOSE_EM: char = '\u{FDD3}';

/// An open inline element.
#[derive(Debug)]
pub(super) enum Inline {
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

/// The paragraph being written: its text so far (escaped Markdown plus emphasis marker
/// characters), its open inline elements and an open code span. The block renderer holds one and
/// lays it out when the paragraph ends.
#[derive(Default)]
pub(super) struct Paragraph {
    /// Escaped Markdown plus emphasis marker characters.
    pub(super) para: String,
    /// Open inline elements, innermost last.
    pub(super) inline: Vec<Inline>,
    /// Open code span: nesting depth and raw text.
    pub(super) code: Option<(usize, String)>,
}

impl Paragraph {
    /// Appends text: raw inside a code span, else collapsed and escaped into the paragraph.
    pub(super) fn text(&mut self, t: &str) {
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
    pub(super) fn push_markup(&mut self, s: &str) {
        let s = if self.para.is_empty() || self.para.ends_with(' ') {
            s.trim_start()
        } else {
            s
        };
        self.para.push_str(s);
    }

    /// Opens `<b>` (`strong`) or `<i>`; nested emphasis of the same kind is a no-op.
    pub(super) fn open_emphasis(&mut self, strong: bool) {
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

    /// Closes the innermost open inline element matching `pred` (and all
    /// elements opened after it). Does nothing if none matches.
    pub(super) fn close_inline(&mut self, pred: impl Fn(&Inline) -> bool) {
        let Some(pos) = self.inline.iter().rposition(pred) else {
            return;
        };
        while self.inline.len() > pos {
            self.close_top_inline();
        }
    }

    /// Closes the innermost open inline element.
    pub(super) fn close_top_inline(&mut self) {
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
    pub(super) fn close_code(&mut self) {
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
}

/// Whether `c` is an emphasis marker of the paragraph buffer (never part of the output).
pub(super) fn is_marker(c: char) -> bool {
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
pub(super) fn longest_run(s: &str, c: char) -> usize {
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
pub(super) fn normalize_url(href: &str) -> Option<String> {
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
pub(super) fn escape_line_start(content: &str) -> String {
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
pub(super) fn resolve_emphasis(para: &str) -> String {
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

#[cfg(test)]
mod tests {
    use crate::docs::tests::one;

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
}
