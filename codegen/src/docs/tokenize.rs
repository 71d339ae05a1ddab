//! Tokenizer: splits a documentation HTML fragment into text, start tags and end tags.

use std::collections::HashSet;

/// One lexical element of the HTML fragment.
#[derive(Debug)]
pub(super) enum Token {
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
pub(super) fn tokenize(s: &str) -> Vec<Token> {
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

#[cfg(test)]
mod tests {
    use crate::docs::tests::one;

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
}
