//! The standard library of the endpoint rules engine (`parseURL`, `aws.parseArn`, `isValidHostLabel`,
//! `aws.isVirtualHostableS3Bucket`, `substring`, `uriEncode` and the partitions' `regionRegex`), with
//! botocore's results, edge cases included.
//!
//! botocore evaluates these with Python's `urllib.parse`, `ipaddress` and `re`, so their quirks are part
//! of the behaviour: a port may be `0080`, `$` also matches before a final newline, `\d` and `\w` are
//! Unicode classes. Where botocore raises an exception instead of returning a value (a URL that
//! `urlparse` rejects, or one without a host), these functions return `None`.

/// `parseURL` result.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParsedUrl {
    /// `http` or `https`, lowercased.
    pub scheme: String,
    /// Everything between `//` and the path, user information and port included.
    pub authority: String,
    /// The path as given (without `;params`), possibly empty.
    pub path: String,
    /// The path without dot segments and empty segments, percent-encoded, ending in `/`.
    pub normalized_path: String,
    /// Whether the host is an IPv4 address or a bracketed IPv6 address.
    pub is_ip: bool,
}

/// Parses an endpoint URL as botocore's `parse_url` does: `http` or `https`, no query string.
pub fn parse_url(url: &str) -> Option<ParsedUrl> {
    let parts = split_url(url)?;
    if parts.scheme != "http" && parts.scheme != "https" || !parts.query.is_empty() {
        return None;
    }
    let (host, port) = host_info(&parts.netloc);
    if !port.is_empty() && !valid_port(port) {
        return None;
    }
    // botocore's IP check reads the host; without one it raises, so there is no result.
    if host.is_empty() {
        return None;
    }
    // `urlparse` moves `;params` of the last path segment out of the path.
    let path = split_params(&parts.path).to_string();
    let mut normalized_path = quote(&remove_dot_segments(&path), "/");
    if !normalized_path.ends_with('/') {
        normalized_path.push('/');
    }
    // botocore matches `[host]` against urllib3's IPv6 pattern (zone included), but says no for any URL
    // containing a tab, CR or LF, even though `urlparse` drops them.
    let addr = host.split('%').next().unwrap_or(host);
    let is_ipv6 = !url.contains(UNSAFE_URL_CHARS)
        && loose_ipv6(addr)
        && host.find('%').is_none_or(|i| valid_zone_id(&host[i..]));
    let is_ip = loose_ipv4(host) || is_ipv6;
    Some(ParsedUrl {
        scheme: parts.scheme,
        authority: parts.netloc,
        path,
        normalized_path,
        is_ip,
    })
}

/// `aws.parseArn` result.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParsedArn {
    /// Such as `aws`; never empty.
    pub partition: String,
    /// Such as `s3`; never empty.
    pub service: String,
    /// Possibly empty.
    pub region: String,
    /// Possibly empty.
    pub account_id: String,
    /// The resource split on `:` and `/`; its first element is never empty.
    pub resource_id: Vec<String>,
}

/// Parses `arn:partition:service:region:account:resource`, or `None` when a required part is missing.
pub fn parse_arn(arn: &str) -> Option<ParsedArn> {
    if !arn.starts_with("arn:") {
        return None;
    }
    let parts: Vec<&str> = arn.splitn(6, ':').collect();
    let [_, partition, service, region, account, resource] = parts[..] else {
        return None;
    };
    if partition.is_empty() || service.is_empty() || resource.is_empty() {
        return None;
    }
    Some(ParsedArn {
        partition: partition.to_string(),
        service: service.to_string(),
        region: region.to_string(),
        account_id: account.to_string(),
        resource_id: resource.split([':', '/']).map(str::to_string).collect(),
    })
}

/// Whether `value` is an RFC 1123 host label, or dot-separated labels when `allow_subdomains`.
pub fn is_valid_host_label(value: &str, allow_subdomains: bool) -> bool {
    if allow_subdomains {
        value.split('.').all(host_label_matches)
    } else {
        !value.contains('.') && host_label_matches(value)
    }
}

/// Whether `value` can be an S3 bucket in a virtual host: a host label (or labels), 3 characters or
/// more, no uppercase, not shaped like an IPv4 address.
pub fn is_virtual_hostable_s3_bucket(value: &str, allow_subdomains: bool) -> bool {
    // botocore refuses `value.lower() != value`; other cased letters fail the host label test anyway.
    value.chars().count() >= 3
        && !value.bytes().any(|b| b.is_ascii_uppercase())
        && !loose_ipv4(value.strip_suffix('\n').unwrap_or(value))
        && is_valid_host_label(value, allow_subdomains)
}

/// None where botocore returns None (start >= stop, too short, non-ASCII).
pub fn substring(value: &str, start: i64, stop: i64, reverse: bool) -> Option<String> {
    if !value.is_ascii() || start >= stop || (value.len() as i64) < stop {
        return None;
    }
    let len = value.len() as i128;
    let (from, to) = if reverse {
        (len - i128::from(stop), len - i128::from(start))
    } else {
        (i128::from(start), i128::from(stop))
    };
    // Python slice semantics: negative indices count from the end, bounds are clamped.
    let clamp = |i: i128| -> usize {
        let i = if i < 0 { i + len } else { i };
        i.clamp(0, len) as usize
    };
    let (from, to) = (clamp(from), clamp(to));
    Some(if from < to { &value[from..to] } else { "" }.to_string())
}

/// Percent-encodes the UTF-8 bytes of `value`, leaving only letters, digits and `-._~`.
pub fn uri_encode(value: &str) -> String {
    quote(value, "")
}

/// Whether `region` matches a partition's `regionRegex` from partitions.json. Supports the regex subset
/// those patterns use (anchors ^ $, literals, escapes like \- \. , classes \w \d, groups with | alternation,
/// quantifiers + * ?); anything outside the subset gives Err with a clear message (never a panic).
pub fn region_matches(pattern: &str, region: &str) -> Result<bool, String> {
    let program = Regex::compile(pattern)
        .map_err(|e| format!("unsupported region pattern {pattern:?}: {e}"))?;
    Ok(program.matches_prefix(region))
}

// ---------------------------------------------------------------------------------------------------
// URLs, as Python 3.11's `urllib.parse.urlparse` splits them.

/// Removed from anywhere in a URL before it is split (and they make it "not IPv6" for botocore).
const UNSAFE_URL_CHARS: [char; 3] = ['\t', '\r', '\n'];

/// Non-ASCII characters whose NFKC form contains one of `/?#@:` (Unicode 14.0, as in Python 3.11);
/// `urlparse` refuses a host with them.
const NFKC_SEPARATORS: [char; 19] = [
    '\u{2047}', '\u{2048}', '\u{2049}', '\u{2100}', '\u{2101}', '\u{2105}', '\u{2106}', '\u{2A74}',
    '\u{FE13}', '\u{FE16}', '\u{FE55}', '\u{FE56}', '\u{FE5F}', '\u{FE6B}', '\u{FF03}', '\u{FF0F}',
    '\u{FF1A}', '\u{FF1F}', '\u{FF20}',
];

/// The parts of a URL that `parse_url` needs.
struct UrlParts {
    scheme: String,
    netloc: String,
    path: String,
    query: String,
}

/// `urlsplit`: scheme, `//netloc`, path, `?query` (the `#fragment` is dropped); `None` where Python
/// raises `ValueError` (unbalanced or invalid brackets, separators hidden in Unicode forms).
fn split_url(url: &str) -> Option<UrlParts> {
    let url: String = url
        .trim_start_matches(|c: char| c <= ' ')
        .chars()
        .filter(|c| !UNSAFE_URL_CHARS.contains(c))
        .collect();
    let mut rest = url.as_str();
    let mut scheme = String::new();
    if let Some((candidate, after)) = rest.split_once(':') {
        let scheme_char = |b: u8| b.is_ascii_alphanumeric() || b"+-.".contains(&b);
        if candidate
            .as_bytes()
            .first()
            .is_some_and(u8::is_ascii_alphabetic)
            && candidate.bytes().all(scheme_char)
        {
            scheme = candidate.to_ascii_lowercase();
            rest = after;
        }
    }
    let mut netloc = "";
    if let Some(after) = rest.strip_prefix("//") {
        let end = after.find(['/', '?', '#']).unwrap_or(after.len());
        (netloc, rest) = after.split_at(end);
        let (open, close) = (netloc.contains('['), netloc.contains(']'));
        if open != close {
            return None;
        }
        if open {
            let after_open = netloc.split_once('[').map_or("", |(_, a)| a);
            let bracketed = after_open.split_once(']').map_or(after_open, |(b, _)| b);
            if !valid_bracketed_host(bracketed) {
                return None;
            }
        }
    }
    if let Some((before, _fragment)) = rest.split_once('#') {
        rest = before;
    }
    let (path, query) = rest.split_once('?').unwrap_or((rest, ""));
    if !netloc.is_ascii() && netloc.contains(NFKC_SEPARATORS) {
        return None;
    }
    Some(UrlParts {
        scheme,
        netloc: netloc.to_string(),
        path: path.to_string(),
        query: query.to_string(),
    })
}

/// `urlparse`'s `_splitparams`: the path before the `;` of its last segment.
fn split_params(path: &str) -> &str {
    let from = path.rfind('/').unwrap_or(0);
    match path[from..].find(';') {
        Some(i) => &path[..from + i],
        None => path,
    }
}

/// The host and port text of a netloc, as `urlparse`'s `hostname` and `port` read them.
fn host_info(netloc: &str) -> (&str, &str) {
    let hostinfo = netloc.rsplit_once('@').map_or(netloc, |(_, h)| h);
    match hostinfo.split_once('[') {
        Some((_, bracketed)) => {
            let (host, after) = bracketed.split_once(']').unwrap_or((bracketed, ""));
            (host, after.split_once(':').map_or("", |(_, p)| p))
        }
        None => hostinfo.split_once(':').unwrap_or((hostinfo, "")),
    }
}

/// A port is ASCII digits (leading zeros allowed) of at most 65535.
fn valid_port(port: &str) -> bool {
    let digits = port.trim_start_matches('0');
    port.bytes().all(|b| b.is_ascii_digit())
        && (digits.is_empty()
            || digits.len() <= 5 && digits.parse::<u32>().is_ok_and(|p| p <= 65535))
}

/// `urlsplit`'s check of a bracketed host: an `IPvFuture` or a valid IPv6 address (not IPv4).
fn valid_bracketed_host(host: &str) -> bool {
    match host.strip_prefix('v') {
        // `\Av[a-fA-F0-9]+\..+\Z`
        Some(rest) => {
            let hex = rest.bytes().take_while(u8::is_ascii_hexdigit).count();
            hex > 0 && rest[hex..].strip_prefix('.').is_some_and(|r| !r.is_empty())
        }
        None => strict_ipv6(host),
    }
}

/// Python's `ipaddress.IPv4Address` parsing: four decimal octets, no leading zeros, at most 255.
fn strict_ipv4(s: &str) -> bool {
    let octets: Vec<&str> = s.split('.').collect();
    octets.len() == 4
        && octets.iter().all(|o| {
            !o.is_empty()
                && o.len() <= 3
                && o.bytes().all(|b| b.is_ascii_digit())
                && (*o == "0" || !o.starts_with('0'))
                && o.parse::<u16>().is_ok_and(|v| v <= 255)
        })
}

/// Python's `ipaddress.IPv6Address` parsing, with its optional `%scope`.
fn strict_ipv6(s: &str) -> bool {
    if s.contains('/') {
        return false;
    }
    let addr = match s.split_once('%') {
        Some((_, scope)) if scope.is_empty() || scope.contains('%') => return false,
        Some((addr, _)) => addr,
        None => s,
    };
    if addr.is_empty() {
        return false;
    }
    let mut parts: Vec<&str> = addr.split(':').collect();
    if parts.len() < 3 {
        return false;
    }
    if let Some(last) = parts.last().filter(|p| p.contains('.')) {
        if !strict_ipv4(last) {
            return false;
        }
        // Two hextets stand for the IPv4 address; their value does not matter, only their validity.
        parts.pop();
        parts.extend(["0", "0"]);
    }
    if parts.len() > 9 {
        return false;
    }
    let n = parts.len();
    let mut skip = None;
    for (i, p) in parts.iter().enumerate().take(n - 1).skip(1) {
        if p.is_empty() {
            if skip.is_some() {
                return false;
            }
            skip = Some(i);
        }
    }
    let hextet =
        |h: &&str| !h.is_empty() && h.len() <= 4 && h.bytes().all(|b| b.is_ascii_hexdigit());
    match skip {
        Some(i) => {
            let (mut hi, mut lo) = (i, n - i - 1);
            if parts[0].is_empty() {
                hi -= 1;
                if hi > 0 {
                    return false;
                }
            }
            if parts[n - 1].is_empty() {
                lo -= 1;
                if lo > 0 {
                    return false;
                }
            }
            hi + lo < 8 && parts[..hi].iter().all(hextet) && parts[n - lo..].iter().all(hextet)
        }
        None => n == 8 && parts.iter().all(hextet),
    }
}

/// compat.IPV4_RE without its anchors: four dot-separated runs of one to three ASCII digits.
fn loose_ipv4(s: &str) -> bool {
    let octets: Vec<&str> = s.split('.').collect();
    octets.len() == 4
        && octets
            .iter()
            .all(|o| (1..=3).contains(&o.len()) && o.bytes().all(|b| b.is_ascii_digit()))
}

/// The IPv6 address grammar of RFC 3986 (compat.IPV6_PAT), whose embedded IPv4 is the loose one.
fn loose_ipv6(addr: &str) -> bool {
    let h16 = |p: &str| (1..=4).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_hexdigit());
    // How many 16-bit groups a `:`-separated run stands for; only its last piece may be IPv4.
    let groups = |run: &str, ipv4_last: bool| -> Option<usize> {
        if run.is_empty() {
            return Some(0);
        }
        let pieces: Vec<&str> = run.split(':').collect();
        let mut n = 0;
        for (i, p) in pieces.iter().enumerate() {
            if ipv4_last && i == pieces.len() - 1 && loose_ipv4(p) {
                n += 2;
            } else if h16(p) {
                n += 1;
            } else {
                return None;
            }
        }
        Some(n)
    };
    match addr.split_once("::") {
        None => !addr.is_empty() && groups(addr, true) == Some(8),
        Some((left, right)) => match (groups(left, false), groups(right, true)) {
            (Some(l), Some(r)) => l + r <= 7,
            _ => false,
        },
    }
}

/// compat.ZONE_ID_PAT: `%` then unreserved characters or `%XX` escapes (`%25` included).
fn valid_zone_id(zone: &str) -> bool {
    let Some(rest) = zone.strip_prefix('%') else {
        return false;
    };
    let b = rest.as_bytes();
    let mut i = 0;
    while i < b.len() {
        if b[i].is_ascii_alphanumeric() || b"._!-~".contains(&b[i]) {
            i += 1;
        } else if b[i] == b'%'
            && b.len() > i + 2
            && b[i + 1].is_ascii_hexdigit()
            && b[i + 2].is_ascii_hexdigit()
        {
            i += 3;
        } else {
            return false;
        }
    }
    !b.is_empty()
}

/// botocore's `normalize_url_path`: no `.`, `..` or empty segments; keeps the leading and trailing `/`.
fn remove_dot_segments(path: &str) -> String {
    if path.is_empty() {
        return "/".into();
    }
    let mut out: Vec<&str> = Vec::new();
    for segment in path.split('/') {
        match segment {
            "" | "." => {}
            ".." => {
                out.pop();
            }
            s => out.push(s),
        }
    }
    let first = if path.starts_with('/') { "/" } else { "" };
    let last = if path.ends_with('/') && !out.is_empty() {
        "/"
    } else {
        ""
    };
    format!("{first}{}{last}", out.join("/"))
}

/// Python's `urllib.parse.quote`: percent-encodes UTF-8 bytes except letters, digits, `_.-~` and `safe`.
fn quote(value: &str, safe: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for &b in value.as_bytes() {
        if b.is_ascii_alphanumeric() || b"_.-~".contains(&b) || safe.as_bytes().contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

// ---------------------------------------------------------------------------------------------------
// Host labels.

/// `^(?!-)[a-zA-Z\d-]{1,63}(?<!-)$` with Python's `re`: `\d` is any Unicode decimal digit, and `$`
/// also matches before a final newline.
fn host_label_matches(s: &str) -> bool {
    let body = s.strip_suffix('\n').unwrap_or(s);
    let count = body.chars().count();
    (1..=63).contains(&count)
        && !body.starts_with('-')
        && !body.ends_with('-')
        && body
            .chars()
            .all(|c| c.is_ascii_alphabetic() || c == '-' || in_table(DECIMAL, c))
}

/// Whether `c` is in a table of inclusive code point ranges, flattened as start, end, start, end...
fn in_table(table: &[u32], c: char) -> bool {
    let c = c as u32;
    // The index of the first range start above `c`; `c` is inside when that index is odd.
    let starts_above = table.partition_point(|&bound| bound <= c);
    starts_above % 2 == 1 || (starts_above > 0 && table[starts_above - 1] == c)
}

// ---------------------------------------------------------------------------------------------------
// The regular expressions of partitions.json, matched as Python's `re.match` (anchored at the start
// only). The pattern is compiled to a small automaton and run over all its states at once, so time is
// linear in the region's length and nothing recurses over the input.

/// One instruction of the automaton.
#[derive(Debug, Clone, Copy)]
enum Inst {
    Char(char),
    Word,
    Digit,
    /// `^`: only at the start.
    Start,
    /// `$`: at the end, or before a final newline.
    End,
    /// Continue at both targets.
    Split(usize, usize),
    Jump(usize),
    Match,
}

/// A compiled pattern.
struct Regex {
    program: Vec<Inst>,
}

/// How deeply groups may nest, so that a hostile pattern cannot exhaust the stack.
const MAX_GROUP_DEPTH: usize = 32;

/// Compiles the pattern subset, by recursive descent over alternation, sequence and atom.
struct Compiler<'a> {
    chars: std::iter::Peekable<std::str::Chars<'a>>,
    program: Vec<Inst>,
    depth: usize,
}

impl Regex {
    /// Compiles `pattern`, or explains which part of it is outside the supported subset.
    fn compile(pattern: &str) -> Result<Regex, String> {
        let mut c = Compiler {
            chars: pattern.chars().peekable(),
            program: Vec::new(),
            depth: 0,
        };
        c.alternation()?;
        if let Some(ch) = c.chars.next() {
            return Err(format!("unbalanced {ch:?}"));
        }
        c.program.push(Inst::Match);
        Ok(Regex { program: c.program })
    }

    /// Whether the pattern matches a prefix of `input` (Python's `re.match`).
    fn matches_prefix(&self, input: &str) -> bool {
        let chars: Vec<char> = input.chars().collect();
        let mut current = Vec::new();
        let mut seen = vec![usize::MAX; self.program.len()];
        if self.add(&mut current, &mut seen, 0, 0, &chars) {
            return true;
        }
        for (pos, &ch) in chars.iter().enumerate() {
            let mut next = Vec::new();
            for &pc in &current {
                let advances = match self.program[pc] {
                    Inst::Char(c) => c == ch,
                    Inst::Word => in_table(WORD, ch),
                    Inst::Digit => in_table(DECIMAL, ch),
                    _ => false,
                };
                if advances && self.add(&mut next, &mut seen, pc + 1, pos + 1, &chars) {
                    return true;
                }
            }
            if next.is_empty() {
                return false;
            }
            current = next;
        }
        false
    }

    /// Adds the consuming states reachable from `pc` at `pos` without consuming; true on a match.
    fn add(
        &self,
        list: &mut Vec<usize>,
        seen: &mut [usize],
        pc: usize,
        pos: usize,
        chars: &[char],
    ) -> bool {
        let mut stack = vec![pc];
        while let Some(pc) = stack.pop() {
            if seen[pc] == pos {
                continue;
            }
            seen[pc] = pos;
            match self.program[pc] {
                Inst::Match => return true,
                Inst::Char(_) | Inst::Word | Inst::Digit => list.push(pc),
                Inst::Start => {
                    if pos == 0 {
                        stack.push(pc + 1);
                    }
                }
                Inst::End => {
                    if pos == chars.len() || (pos + 1 == chars.len() && chars[pos] == '\n') {
                        stack.push(pc + 1);
                    }
                }
                Inst::Split(a, b) => {
                    stack.push(b);
                    stack.push(a);
                }
                Inst::Jump(a) => stack.push(a),
            }
        }
        false
    }
}

impl Compiler<'_> {
    /// `seq ( | seq )*`, up to a `)` or the end.
    fn alternation(&mut self) -> Result<(), String> {
        let mut jumps = Vec::new();
        loop {
            let split = self.program.len();
            self.program.push(Inst::Split(0, 0));
            self.sequence()?;
            if self.chars.peek() != Some(&'|') {
                // The last alternative needs no split: drop it by turning it into a jump to its body.
                self.program[split] = Inst::Jump(split + 1);
                break;
            }
            self.chars.next();
            jumps.push(self.program.len());
            self.program.push(Inst::Jump(0));
            self.program[split] = Inst::Split(split + 1, self.program.len());
        }
        let end = self.program.len();
        for j in jumps {
            self.program[j] = Inst::Jump(end);
        }
        Ok(())
    }

    /// Quantified atoms up to `|`, `)` or the end.
    fn sequence(&mut self) -> Result<(), String> {
        while let Some(&ch) = self.chars.peek() {
            if ch == '|' || ch == ')' {
                return Ok(());
            }
            let start = self.program.len();
            let repeatable = self.atom()?;
            if let Some(&q @ ('*' | '+' | '?')) = self.chars.peek() {
                if !repeatable {
                    return Err(format!("nothing to repeat before {q:?}"));
                }
                self.chars.next();
                self.quantify(start, q);
                if let Some(&q2 @ ('*' | '+' | '?' | '{')) = self.chars.peek() {
                    return Err(format!("{q2:?} after a quantifier is not supported"));
                }
            }
        }
        Ok(())
    }

    /// Wraps the instructions from `start` (one atom) in the loop or option of `q`.
    fn quantify(&mut self, start: usize, q: char) {
        // Shift the atom by one to make room for a leading split; its jumps move with it.
        let shift = |inst: Inst| match inst {
            Inst::Split(a, b) => Inst::Split(a + 1, b + 1),
            Inst::Jump(a) => Inst::Jump(a + 1),
            other => other,
        };
        match q {
            '+' => {
                self.program
                    .push(Inst::Split(start, self.program.len() + 1));
            }
            _ => {
                let body: Vec<Inst> = self.program.drain(start..).map(shift).collect();
                self.program.push(Inst::Split(0, 0));
                self.program.extend(body);
                if q == '*' {
                    self.program.push(Inst::Jump(start));
                }
                self.program[start] = Inst::Split(start + 1, self.program.len());
            }
        }
    }

    /// One atom; returns whether a quantifier may follow it.
    fn atom(&mut self) -> Result<bool, String> {
        let Some(ch) = self.chars.next() else {
            return Ok(false);
        };
        let inst = match ch {
            '^' => {
                self.program.push(Inst::Start);
                return Ok(false);
            }
            '$' => {
                self.program.push(Inst::End);
                return Ok(false);
            }
            '(' => {
                if self.chars.peek() == Some(&'?') {
                    return Err("group extensions `(?...)` are not supported".into());
                }
                self.depth += 1;
                if self.depth > MAX_GROUP_DEPTH {
                    return Err(format!("groups nested deeper than {MAX_GROUP_DEPTH}"));
                }
                self.alternation()?;
                if self.chars.next() != Some(')') {
                    return Err("missing \")\"".into());
                }
                self.depth -= 1;
                return Ok(true);
            }
            '\\' => match self.chars.next() {
                Some('w') => Inst::Word,
                Some('d') => Inst::Digit,
                Some(c) if c.is_ascii_punctuation() => Inst::Char(c),
                Some(c) => return Err(format!("the escape \\{c} is not supported")),
                None => return Err("a pattern cannot end in \\".into()),
            },
            '*' | '+' | '?' => return Err(format!("nothing to repeat before {ch:?}")),
            '.' | '[' | ']' | '{' | '}' => return Err(format!("{ch:?} is not supported")),
            c => Inst::Char(c),
        };
        self.program.push(inst);
        Ok(true)
    }
}

// Python 3.11's `re` classes for str patterns (Unicode 14.0), as inclusive code point ranges flattened
// to start, end, start, end...: `\d` is the decimal digits, `\w` the alphanumerics (`str.isalnum`)
// and `_`.
const DECIMAL: &[u32] = &[
    0x30, 0x39, 0x660, 0x669, 0x6F0, 0x6F9, 0x7C0, 0x7C9, 0x966, 0x96F, 0x9E6, 0x9EF, 0xA66, 0xA6F,
    0xAE6, 0xAEF, 0xB66, 0xB6F, 0xBE6, 0xBEF, 0xC66, 0xC6F, 0xCE6, 0xCEF, 0xD66, 0xD6F, 0xDE6,
    0xDEF, 0xE50, 0xE59, 0xED0, 0xED9, 0xF20, 0xF29, 0x1040, 0x1049, 0x1090, 0x1099, 0x17E0,
    0x17E9, 0x1810, 0x1819, 0x1946, 0x194F, 0x19D0, 0x19D9, 0x1A80, 0x1A89, 0x1A90, 0x1A99, 0x1B50,
    0x1B59, 0x1BB0, 0x1BB9, 0x1C40, 0x1C49, 0x1C50, 0x1C59, 0xA620, 0xA629, 0xA8D0, 0xA8D9, 0xA900,
    0xA909, 0xA9D0, 0xA9D9, 0xA9F0, 0xA9F9, 0xAA50, 0xAA59, 0xABF0, 0xABF9, 0xFF10, 0xFF19,
    0x104A0, 0x104A9, 0x10D30, 0x10D39, 0x11066, 0x1106F, 0x110F0, 0x110F9, 0x11136, 0x1113F,
    0x111D0, 0x111D9, 0x112F0, 0x112F9, 0x11450, 0x11459, 0x114D0, 0x114D9, 0x11650, 0x11659,
    0x116C0, 0x116C9, 0x11730, 0x11739, 0x118E0, 0x118E9, 0x11950, 0x11959, 0x11C50, 0x11C59,
    0x11D50, 0x11D59, 0x11DA0, 0x11DA9, 0x16A60, 0x16A69, 0x16AC0, 0x16AC9, 0x16B50, 0x16B59,
    0x1D7CE, 0x1D7FF, 0x1E140, 0x1E149, 0x1E2F0, 0x1E2F9, 0x1E950, 0x1E959, 0x1FBF0, 0x1FBF9,
];
const WORD: &[u32] = &[
    0x30, 0x39, 0x41, 0x5A, 0x5F, 0x5F, 0x61, 0x7A, 0xAA, 0xAA, 0xB2, 0xB3, 0xB5, 0xB5, 0xB9, 0xBA,
    0xBC, 0xBE, 0xC0, 0xD6, 0xD8, 0xF6, 0xF8, 0x2C1, 0x2C6, 0x2D1, 0x2E0, 0x2E4, 0x2EC, 0x2EC,
    0x2EE, 0x2EE, 0x370, 0x374, 0x376, 0x377, 0x37A, 0x37D, 0x37F, 0x37F, 0x386, 0x386, 0x388,
    0x38A, 0x38C, 0x38C, 0x38E, 0x3A1, 0x3A3, 0x3F5, 0x3F7, 0x481, 0x48A, 0x52F, 0x531, 0x556,
    0x559, 0x559, 0x560, 0x588, 0x5D0, 0x5EA, 0x5EF, 0x5F2, 0x620, 0x64A, 0x660, 0x669, 0x66E,
    0x66F, 0x671, 0x6D3, 0x6D5, 0x6D5, 0x6E5, 0x6E6, 0x6EE, 0x6FC, 0x6FF, 0x6FF, 0x710, 0x710,
    0x712, 0x72F, 0x74D, 0x7A5, 0x7B1, 0x7B1, 0x7C0, 0x7EA, 0x7F4, 0x7F5, 0x7FA, 0x7FA, 0x800,
    0x815, 0x81A, 0x81A, 0x824, 0x824, 0x828, 0x828, 0x840, 0x858, 0x860, 0x86A, 0x870, 0x887,
    0x889, 0x88E, 0x8A0, 0x8C9, 0x904, 0x939, 0x93D, 0x93D, 0x950, 0x950, 0x958, 0x961, 0x966,
    0x96F, 0x971, 0x980, 0x985, 0x98C, 0x98F, 0x990, 0x993, 0x9A8, 0x9AA, 0x9B0, 0x9B2, 0x9B2,
    0x9B6, 0x9B9, 0x9BD, 0x9BD, 0x9CE, 0x9CE, 0x9DC, 0x9DD, 0x9DF, 0x9E1, 0x9E6, 0x9F1, 0x9F4,
    0x9F9, 0x9FC, 0x9FC, 0xA05, 0xA0A, 0xA0F, 0xA10, 0xA13, 0xA28, 0xA2A, 0xA30, 0xA32, 0xA33,
    0xA35, 0xA36, 0xA38, 0xA39, 0xA59, 0xA5C, 0xA5E, 0xA5E, 0xA66, 0xA6F, 0xA72, 0xA74, 0xA85,
    0xA8D, 0xA8F, 0xA91, 0xA93, 0xAA8, 0xAAA, 0xAB0, 0xAB2, 0xAB3, 0xAB5, 0xAB9, 0xABD, 0xABD,
    0xAD0, 0xAD0, 0xAE0, 0xAE1, 0xAE6, 0xAEF, 0xAF9, 0xAF9, 0xB05, 0xB0C, 0xB0F, 0xB10, 0xB13,
    0xB28, 0xB2A, 0xB30, 0xB32, 0xB33, 0xB35, 0xB39, 0xB3D, 0xB3D, 0xB5C, 0xB5D, 0xB5F, 0xB61,
    0xB66, 0xB6F, 0xB71, 0xB77, 0xB83, 0xB83, 0xB85, 0xB8A, 0xB8E, 0xB90, 0xB92, 0xB95, 0xB99,
    0xB9A, 0xB9C, 0xB9C, 0xB9E, 0xB9F, 0xBA3, 0xBA4, 0xBA8, 0xBAA, 0xBAE, 0xBB9, 0xBD0, 0xBD0,
    0xBE6, 0xBF2, 0xC05, 0xC0C, 0xC0E, 0xC10, 0xC12, 0xC28, 0xC2A, 0xC39, 0xC3D, 0xC3D, 0xC58,
    0xC5A, 0xC5D, 0xC5D, 0xC60, 0xC61, 0xC66, 0xC6F, 0xC78, 0xC7E, 0xC80, 0xC80, 0xC85, 0xC8C,
    0xC8E, 0xC90, 0xC92, 0xCA8, 0xCAA, 0xCB3, 0xCB5, 0xCB9, 0xCBD, 0xCBD, 0xCDD, 0xCDE, 0xCE0,
    0xCE1, 0xCE6, 0xCEF, 0xCF1, 0xCF2, 0xD04, 0xD0C, 0xD0E, 0xD10, 0xD12, 0xD3A, 0xD3D, 0xD3D,
    0xD4E, 0xD4E, 0xD54, 0xD56, 0xD58, 0xD61, 0xD66, 0xD78, 0xD7A, 0xD7F, 0xD85, 0xD96, 0xD9A,
    0xDB1, 0xDB3, 0xDBB, 0xDBD, 0xDBD, 0xDC0, 0xDC6, 0xDE6, 0xDEF, 0xE01, 0xE30, 0xE32, 0xE33,
    0xE40, 0xE46, 0xE50, 0xE59, 0xE81, 0xE82, 0xE84, 0xE84, 0xE86, 0xE8A, 0xE8C, 0xEA3, 0xEA5,
    0xEA5, 0xEA7, 0xEB0, 0xEB2, 0xEB3, 0xEBD, 0xEBD, 0xEC0, 0xEC4, 0xEC6, 0xEC6, 0xED0, 0xED9,
    0xEDC, 0xEDF, 0xF00, 0xF00, 0xF20, 0xF33, 0xF40, 0xF47, 0xF49, 0xF6C, 0xF88, 0xF8C, 0x1000,
    0x102A, 0x103F, 0x1049, 0x1050, 0x1055, 0x105A, 0x105D, 0x1061, 0x1061, 0x1065, 0x1066, 0x106E,
    0x1070, 0x1075, 0x1081, 0x108E, 0x108E, 0x1090, 0x1099, 0x10A0, 0x10C5, 0x10C7, 0x10C7, 0x10CD,
    0x10CD, 0x10D0, 0x10FA, 0x10FC, 0x1248, 0x124A, 0x124D, 0x1250, 0x1256, 0x1258, 0x1258, 0x125A,
    0x125D, 0x1260, 0x1288, 0x128A, 0x128D, 0x1290, 0x12B0, 0x12B2, 0x12B5, 0x12B8, 0x12BE, 0x12C0,
    0x12C0, 0x12C2, 0x12C5, 0x12C8, 0x12D6, 0x12D8, 0x1310, 0x1312, 0x1315, 0x1318, 0x135A, 0x1369,
    0x137C, 0x1380, 0x138F, 0x13A0, 0x13F5, 0x13F8, 0x13FD, 0x1401, 0x166C, 0x166F, 0x167F, 0x1681,
    0x169A, 0x16A0, 0x16EA, 0x16EE, 0x16F8, 0x1700, 0x1711, 0x171F, 0x1731, 0x1740, 0x1751, 0x1760,
    0x176C, 0x176E, 0x1770, 0x1780, 0x17B3, 0x17D7, 0x17D7, 0x17DC, 0x17DC, 0x17E0, 0x17E9, 0x17F0,
    0x17F9, 0x1810, 0x1819, 0x1820, 0x1878, 0x1880, 0x1884, 0x1887, 0x18A8, 0x18AA, 0x18AA, 0x18B0,
    0x18F5, 0x1900, 0x191E, 0x1946, 0x196D, 0x1970, 0x1974, 0x1980, 0x19AB, 0x19B0, 0x19C9, 0x19D0,
    0x19DA, 0x1A00, 0x1A16, 0x1A20, 0x1A54, 0x1A80, 0x1A89, 0x1A90, 0x1A99, 0x1AA7, 0x1AA7, 0x1B05,
    0x1B33, 0x1B45, 0x1B4C, 0x1B50, 0x1B59, 0x1B83, 0x1BA0, 0x1BAE, 0x1BE5, 0x1C00, 0x1C23, 0x1C40,
    0x1C49, 0x1C4D, 0x1C7D, 0x1C80, 0x1C88, 0x1C90, 0x1CBA, 0x1CBD, 0x1CBF, 0x1CE9, 0x1CEC, 0x1CEE,
    0x1CF3, 0x1CF5, 0x1CF6, 0x1CFA, 0x1CFA, 0x1D00, 0x1DBF, 0x1E00, 0x1F15, 0x1F18, 0x1F1D, 0x1F20,
    0x1F45, 0x1F48, 0x1F4D, 0x1F50, 0x1F57, 0x1F59, 0x1F59, 0x1F5B, 0x1F5B, 0x1F5D, 0x1F5D, 0x1F5F,
    0x1F7D, 0x1F80, 0x1FB4, 0x1FB6, 0x1FBC, 0x1FBE, 0x1FBE, 0x1FC2, 0x1FC4, 0x1FC6, 0x1FCC, 0x1FD0,
    0x1FD3, 0x1FD6, 0x1FDB, 0x1FE0, 0x1FEC, 0x1FF2, 0x1FF4, 0x1FF6, 0x1FFC, 0x2070, 0x2071, 0x2074,
    0x2079, 0x207F, 0x2089, 0x2090, 0x209C, 0x2102, 0x2102, 0x2107, 0x2107, 0x210A, 0x2113, 0x2115,
    0x2115, 0x2119, 0x211D, 0x2124, 0x2124, 0x2126, 0x2126, 0x2128, 0x2128, 0x212A, 0x212D, 0x212F,
    0x2139, 0x213C, 0x213F, 0x2145, 0x2149, 0x214E, 0x214E, 0x2150, 0x2189, 0x2460, 0x249B, 0x24EA,
    0x24FF, 0x2776, 0x2793, 0x2C00, 0x2CE4, 0x2CEB, 0x2CEE, 0x2CF2, 0x2CF3, 0x2CFD, 0x2CFD, 0x2D00,
    0x2D25, 0x2D27, 0x2D27, 0x2D2D, 0x2D2D, 0x2D30, 0x2D67, 0x2D6F, 0x2D6F, 0x2D80, 0x2D96, 0x2DA0,
    0x2DA6, 0x2DA8, 0x2DAE, 0x2DB0, 0x2DB6, 0x2DB8, 0x2DBE, 0x2DC0, 0x2DC6, 0x2DC8, 0x2DCE, 0x2DD0,
    0x2DD6, 0x2DD8, 0x2DDE, 0x2E2F, 0x2E2F, 0x3005, 0x3007, 0x3021, 0x3029, 0x3031, 0x3035, 0x3038,
    0x303C, 0x3041, 0x3096, 0x309D, 0x309F, 0x30A1, 0x30FA, 0x30FC, 0x30FF, 0x3105, 0x312F, 0x3131,
    0x318E, 0x3192, 0x3195, 0x31A0, 0x31BF, 0x31F0, 0x31FF, 0x3220, 0x3229, 0x3248, 0x324F, 0x3251,
    0x325F, 0x3280, 0x3289, 0x32B1, 0x32BF, 0x3400, 0x4DBF, 0x4E00, 0xA48C, 0xA4D0, 0xA4FD, 0xA500,
    0xA60C, 0xA610, 0xA62B, 0xA640, 0xA66E, 0xA67F, 0xA69D, 0xA6A0, 0xA6EF, 0xA717, 0xA71F, 0xA722,
    0xA788, 0xA78B, 0xA7CA, 0xA7D0, 0xA7D1, 0xA7D3, 0xA7D3, 0xA7D5, 0xA7D9, 0xA7F2, 0xA801, 0xA803,
    0xA805, 0xA807, 0xA80A, 0xA80C, 0xA822, 0xA830, 0xA835, 0xA840, 0xA873, 0xA882, 0xA8B3, 0xA8D0,
    0xA8D9, 0xA8F2, 0xA8F7, 0xA8FB, 0xA8FB, 0xA8FD, 0xA8FE, 0xA900, 0xA925, 0xA930, 0xA946, 0xA960,
    0xA97C, 0xA984, 0xA9B2, 0xA9CF, 0xA9D9, 0xA9E0, 0xA9E4, 0xA9E6, 0xA9FE, 0xAA00, 0xAA28, 0xAA40,
    0xAA42, 0xAA44, 0xAA4B, 0xAA50, 0xAA59, 0xAA60, 0xAA76, 0xAA7A, 0xAA7A, 0xAA7E, 0xAAAF, 0xAAB1,
    0xAAB1, 0xAAB5, 0xAAB6, 0xAAB9, 0xAABD, 0xAAC0, 0xAAC0, 0xAAC2, 0xAAC2, 0xAADB, 0xAADD, 0xAAE0,
    0xAAEA, 0xAAF2, 0xAAF4, 0xAB01, 0xAB06, 0xAB09, 0xAB0E, 0xAB11, 0xAB16, 0xAB20, 0xAB26, 0xAB28,
    0xAB2E, 0xAB30, 0xAB5A, 0xAB5C, 0xAB69, 0xAB70, 0xABE2, 0xABF0, 0xABF9, 0xAC00, 0xD7A3, 0xD7B0,
    0xD7C6, 0xD7CB, 0xD7FB, 0xF900, 0xFA6D, 0xFA70, 0xFAD9, 0xFB00, 0xFB06, 0xFB13, 0xFB17, 0xFB1D,
    0xFB1D, 0xFB1F, 0xFB28, 0xFB2A, 0xFB36, 0xFB38, 0xFB3C, 0xFB3E, 0xFB3E, 0xFB40, 0xFB41, 0xFB43,
    0xFB44, 0xFB46, 0xFBB1, 0xFBD3, 0xFD3D, 0xFD50, 0xFD8F, 0xFD92, 0xFDC7, 0xFDF0, 0xFDFB, 0xFE70,
    0xFE74, 0xFE76, 0xFEFC, 0xFF10, 0xFF19, 0xFF21, 0xFF3A, 0xFF41, 0xFF5A, 0xFF66, 0xFFBE, 0xFFC2,
    0xFFC7, 0xFFCA, 0xFFCF, 0xFFD2, 0xFFD7, 0xFFDA, 0xFFDC, 0x10000, 0x1000B, 0x1000D, 0x10026,
    0x10028, 0x1003A, 0x1003C, 0x1003D, 0x1003F, 0x1004D, 0x10050, 0x1005D, 0x10080, 0x100FA,
    0x10107, 0x10133, 0x10140, 0x10178, 0x1018A, 0x1018B, 0x10280, 0x1029C, 0x102A0, 0x102D0,
    0x102E1, 0x102FB, 0x10300, 0x10323, 0x1032D, 0x1034A, 0x10350, 0x10375, 0x10380, 0x1039D,
    0x103A0, 0x103C3, 0x103C8, 0x103CF, 0x103D1, 0x103D5, 0x10400, 0x1049D, 0x104A0, 0x104A9,
    0x104B0, 0x104D3, 0x104D8, 0x104FB, 0x10500, 0x10527, 0x10530, 0x10563, 0x10570, 0x1057A,
    0x1057C, 0x1058A, 0x1058C, 0x10592, 0x10594, 0x10595, 0x10597, 0x105A1, 0x105A3, 0x105B1,
    0x105B3, 0x105B9, 0x105BB, 0x105BC, 0x10600, 0x10736, 0x10740, 0x10755, 0x10760, 0x10767,
    0x10780, 0x10785, 0x10787, 0x107B0, 0x107B2, 0x107BA, 0x10800, 0x10805, 0x10808, 0x10808,
    0x1080A, 0x10835, 0x10837, 0x10838, 0x1083C, 0x1083C, 0x1083F, 0x10855, 0x10858, 0x10876,
    0x10879, 0x1089E, 0x108A7, 0x108AF, 0x108E0, 0x108F2, 0x108F4, 0x108F5, 0x108FB, 0x1091B,
    0x10920, 0x10939, 0x10980, 0x109B7, 0x109BC, 0x109CF, 0x109D2, 0x10A00, 0x10A10, 0x10A13,
    0x10A15, 0x10A17, 0x10A19, 0x10A35, 0x10A40, 0x10A48, 0x10A60, 0x10A7E, 0x10A80, 0x10A9F,
    0x10AC0, 0x10AC7, 0x10AC9, 0x10AE4, 0x10AEB, 0x10AEF, 0x10B00, 0x10B35, 0x10B40, 0x10B55,
    0x10B58, 0x10B72, 0x10B78, 0x10B91, 0x10BA9, 0x10BAF, 0x10C00, 0x10C48, 0x10C80, 0x10CB2,
    0x10CC0, 0x10CF2, 0x10CFA, 0x10D23, 0x10D30, 0x10D39, 0x10E60, 0x10E7E, 0x10E80, 0x10EA9,
    0x10EB0, 0x10EB1, 0x10F00, 0x10F27, 0x10F30, 0x10F45, 0x10F51, 0x10F54, 0x10F70, 0x10F81,
    0x10FB0, 0x10FCB, 0x10FE0, 0x10FF6, 0x11003, 0x11037, 0x11052, 0x1106F, 0x11071, 0x11072,
    0x11075, 0x11075, 0x11083, 0x110AF, 0x110D0, 0x110E8, 0x110F0, 0x110F9, 0x11103, 0x11126,
    0x11136, 0x1113F, 0x11144, 0x11144, 0x11147, 0x11147, 0x11150, 0x11172, 0x11176, 0x11176,
    0x11183, 0x111B2, 0x111C1, 0x111C4, 0x111D0, 0x111DA, 0x111DC, 0x111DC, 0x111E1, 0x111F4,
    0x11200, 0x11211, 0x11213, 0x1122B, 0x11280, 0x11286, 0x11288, 0x11288, 0x1128A, 0x1128D,
    0x1128F, 0x1129D, 0x1129F, 0x112A8, 0x112B0, 0x112DE, 0x112F0, 0x112F9, 0x11305, 0x1130C,
    0x1130F, 0x11310, 0x11313, 0x11328, 0x1132A, 0x11330, 0x11332, 0x11333, 0x11335, 0x11339,
    0x1133D, 0x1133D, 0x11350, 0x11350, 0x1135D, 0x11361, 0x11400, 0x11434, 0x11447, 0x1144A,
    0x11450, 0x11459, 0x1145F, 0x11461, 0x11480, 0x114AF, 0x114C4, 0x114C5, 0x114C7, 0x114C7,
    0x114D0, 0x114D9, 0x11580, 0x115AE, 0x115D8, 0x115DB, 0x11600, 0x1162F, 0x11644, 0x11644,
    0x11650, 0x11659, 0x11680, 0x116AA, 0x116B8, 0x116B8, 0x116C0, 0x116C9, 0x11700, 0x1171A,
    0x11730, 0x1173B, 0x11740, 0x11746, 0x11800, 0x1182B, 0x118A0, 0x118F2, 0x118FF, 0x11906,
    0x11909, 0x11909, 0x1190C, 0x11913, 0x11915, 0x11916, 0x11918, 0x1192F, 0x1193F, 0x1193F,
    0x11941, 0x11941, 0x11950, 0x11959, 0x119A0, 0x119A7, 0x119AA, 0x119D0, 0x119E1, 0x119E1,
    0x119E3, 0x119E3, 0x11A00, 0x11A00, 0x11A0B, 0x11A32, 0x11A3A, 0x11A3A, 0x11A50, 0x11A50,
    0x11A5C, 0x11A89, 0x11A9D, 0x11A9D, 0x11AB0, 0x11AF8, 0x11C00, 0x11C08, 0x11C0A, 0x11C2E,
    0x11C40, 0x11C40, 0x11C50, 0x11C6C, 0x11C72, 0x11C8F, 0x11D00, 0x11D06, 0x11D08, 0x11D09,
    0x11D0B, 0x11D30, 0x11D46, 0x11D46, 0x11D50, 0x11D59, 0x11D60, 0x11D65, 0x11D67, 0x11D68,
    0x11D6A, 0x11D89, 0x11D98, 0x11D98, 0x11DA0, 0x11DA9, 0x11EE0, 0x11EF2, 0x11FB0, 0x11FB0,
    0x11FC0, 0x11FD4, 0x12000, 0x12399, 0x12400, 0x1246E, 0x12480, 0x12543, 0x12F90, 0x12FF0,
    0x13000, 0x1342E, 0x14400, 0x14646, 0x16800, 0x16A38, 0x16A40, 0x16A5E, 0x16A60, 0x16A69,
    0x16A70, 0x16ABE, 0x16AC0, 0x16AC9, 0x16AD0, 0x16AED, 0x16B00, 0x16B2F, 0x16B40, 0x16B43,
    0x16B50, 0x16B59, 0x16B5B, 0x16B61, 0x16B63, 0x16B77, 0x16B7D, 0x16B8F, 0x16E40, 0x16E96,
    0x16F00, 0x16F4A, 0x16F50, 0x16F50, 0x16F93, 0x16F9F, 0x16FE0, 0x16FE1, 0x16FE3, 0x16FE3,
    0x17000, 0x187F7, 0x18800, 0x18CD5, 0x18D00, 0x18D08, 0x1AFF0, 0x1AFF3, 0x1AFF5, 0x1AFFB,
    0x1AFFD, 0x1AFFE, 0x1B000, 0x1B122, 0x1B150, 0x1B152, 0x1B164, 0x1B167, 0x1B170, 0x1B2FB,
    0x1BC00, 0x1BC6A, 0x1BC70, 0x1BC7C, 0x1BC80, 0x1BC88, 0x1BC90, 0x1BC99, 0x1D2E0, 0x1D2F3,
    0x1D360, 0x1D378, 0x1D400, 0x1D454, 0x1D456, 0x1D49C, 0x1D49E, 0x1D49F, 0x1D4A2, 0x1D4A2,
    0x1D4A5, 0x1D4A6, 0x1D4A9, 0x1D4AC, 0x1D4AE, 0x1D4B9, 0x1D4BB, 0x1D4BB, 0x1D4BD, 0x1D4C3,
    0x1D4C5, 0x1D505, 0x1D507, 0x1D50A, 0x1D50D, 0x1D514, 0x1D516, 0x1D51C, 0x1D51E, 0x1D539,
    0x1D53B, 0x1D53E, 0x1D540, 0x1D544, 0x1D546, 0x1D546, 0x1D54A, 0x1D550, 0x1D552, 0x1D6A5,
    0x1D6A8, 0x1D6C0, 0x1D6C2, 0x1D6DA, 0x1D6DC, 0x1D6FA, 0x1D6FC, 0x1D714, 0x1D716, 0x1D734,
    0x1D736, 0x1D74E, 0x1D750, 0x1D76E, 0x1D770, 0x1D788, 0x1D78A, 0x1D7A8, 0x1D7AA, 0x1D7C2,
    0x1D7C4, 0x1D7CB, 0x1D7CE, 0x1D7FF, 0x1DF00, 0x1DF1E, 0x1E100, 0x1E12C, 0x1E137, 0x1E13D,
    0x1E140, 0x1E149, 0x1E14E, 0x1E14E, 0x1E290, 0x1E2AD, 0x1E2C0, 0x1E2EB, 0x1E2F0, 0x1E2F9,
    0x1E7E0, 0x1E7E6, 0x1E7E8, 0x1E7EB, 0x1E7ED, 0x1E7EE, 0x1E7F0, 0x1E7FE, 0x1E800, 0x1E8C4,
    0x1E8C7, 0x1E8CF, 0x1E900, 0x1E943, 0x1E94B, 0x1E94B, 0x1E950, 0x1E959, 0x1EC71, 0x1ECAB,
    0x1ECAD, 0x1ECAF, 0x1ECB1, 0x1ECB4, 0x1ED01, 0x1ED2D, 0x1ED2F, 0x1ED3D, 0x1EE00, 0x1EE03,
    0x1EE05, 0x1EE1F, 0x1EE21, 0x1EE22, 0x1EE24, 0x1EE24, 0x1EE27, 0x1EE27, 0x1EE29, 0x1EE32,
    0x1EE34, 0x1EE37, 0x1EE39, 0x1EE39, 0x1EE3B, 0x1EE3B, 0x1EE42, 0x1EE42, 0x1EE47, 0x1EE47,
    0x1EE49, 0x1EE49, 0x1EE4B, 0x1EE4B, 0x1EE4D, 0x1EE4F, 0x1EE51, 0x1EE52, 0x1EE54, 0x1EE54,
    0x1EE57, 0x1EE57, 0x1EE59, 0x1EE59, 0x1EE5B, 0x1EE5B, 0x1EE5D, 0x1EE5D, 0x1EE5F, 0x1EE5F,
    0x1EE61, 0x1EE62, 0x1EE64, 0x1EE64, 0x1EE67, 0x1EE6A, 0x1EE6C, 0x1EE72, 0x1EE74, 0x1EE77,
    0x1EE79, 0x1EE7C, 0x1EE7E, 0x1EE7E, 0x1EE80, 0x1EE89, 0x1EE8B, 0x1EE9B, 0x1EEA1, 0x1EEA3,
    0x1EEA5, 0x1EEA9, 0x1EEAB, 0x1EEBB, 0x1F100, 0x1F10C, 0x1FBF0, 0x1FBF9, 0x20000, 0x2A6DF,
    0x2A700, 0x2B738, 0x2B740, 0x2B81D, 0x2B820, 0x2CEA1, 0x2CEB0, 0x2EBE0, 0x2F800, 0x2FA1D,
    0x30000, 0x3134A,
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_url_matches_botocore() {
        for &(input, expected) in PARSE_URL {
            let want =
                expected.map(
                    |(scheme, authority, path, normalized_path, is_ip)| ParsedUrl {
                        scheme: scheme.into(),
                        authority: authority.into(),
                        path: path.into(),
                        normalized_path: normalized_path.into(),
                        is_ip,
                    },
                );
            assert_eq!(parse_url(input), want, "parse_url({input:?})");
        }
    }

    #[test]
    fn parse_arn_matches_botocore() {
        for &(input, expected) in PARSE_ARN {
            let want =
                expected.map(
                    |(partition, service, region, account_id, resource_id)| ParsedArn {
                        partition: partition.into(),
                        service: service.into(),
                        region: region.into(),
                        account_id: account_id.into(),
                        resource_id: resource_id.iter().map(|s| s.to_string()).collect(),
                    },
                );
            assert_eq!(parse_arn(input), want, "parse_arn({input:?})");
        }
    }

    #[test]
    fn host_labels_and_buckets_match_botocore() {
        for &(input, allow, label, bucket) in HOST_LABELS {
            assert_eq!(
                is_valid_host_label(input, allow),
                label,
                "is_valid_host_label({input:?}, {allow})"
            );
            assert_eq!(
                is_virtual_hostable_s3_bucket(input, allow),
                bucket,
                "is_virtual_hostable_s3_bucket({input:?}, {allow})"
            );
        }
    }

    #[test]
    fn substring_matches_botocore() {
        for &(input, start, stop, reverse, expected) in SUBSTRING {
            assert_eq!(
                substring(input, start, stop, reverse).as_deref(),
                expected,
                "substring({input:?}, {start}, {stop}, {reverse})"
            );
        }
        // Extreme indices follow Python's unbounded integers instead of overflowing (botocore 1.43.11
        // gives "bc" and None).
        assert_eq!(substring("abc", i64::MIN, 2, true).as_deref(), Some("bc"));
        assert_eq!(substring("abc", i64::MIN, i64::MAX, false), None);
    }

    #[test]
    fn uri_encode_matches_botocore() {
        for &(input, expected) in URI_ENCODE {
            assert_eq!(uri_encode(input), expected, "uri_encode({input:?})");
        }
    }

    #[test]
    fn partition_patterns_match_python() {
        for &(pattern, matching) in PARTITION_PATTERNS {
            for region in REGIONS {
                assert_eq!(
                    region_matches(pattern, region),
                    Ok(matching.contains(region)),
                    "region_matches({pattern:?}, {region:?})"
                );
            }
        }
        for &(pattern, input, expected) in PATTERNS {
            assert_eq!(
                region_matches(pattern, input),
                Ok(expected),
                "region_matches({pattern:?}, {input:?})"
            );
        }
    }

    #[test]
    fn patterns_outside_the_subset_are_errors() {
        let deep = format!("{}a{}", "(".repeat(100), ")".repeat(100));
        for pattern in [
            "[a-z]", "a{2}", ".", "(?:a)", "\\s", "\\1", "a**", "a+?", "+a", "^*", "$?", "(a",
            "a)", "\\", "]", "}", &deep,
        ] {
            let err = region_matches(pattern, "a").unwrap_err();
            assert!(
                err.starts_with("unsupported region pattern"),
                "{pattern:?}: {err}"
            );
        }
    }

    #[test]
    fn long_inputs_run_without_recursion() {
        let region = "ab".repeat(200_000);
        assert_eq!(region_matches("^(a|b)*c$", &region), Ok(false));
        assert_eq!(region_matches("^(a|b)*$", &region), Ok(true));
        assert_eq!(region_matches("^(a*)*$", &region), Ok(false));
        assert!(!is_valid_host_label(&region, true));
        assert_eq!(
            parse_url(&format!("https://h/{region}")).map(|u| u.path.len()),
            Some(400_001)
        );
    }

    #[test]
    fn class_tables_have_exact_bounds() {
        for table in [DECIMAL, WORD] {
            assert!(table.len() % 2 == 0 && table.windows(2).all(|w| w[0] <= w[1]));
            for range in table.chunks(2) {
                let (start, end) = (range[0], range[1]);
                let inside = |c: u32| char::from_u32(c).is_some_and(|c| in_table(table, c));
                assert!(inside(start) && inside(end), "{start:X}-{end:X}");
                assert!(
                    !inside(start.wrapping_sub(1)) && !inside(end + 1),
                    "{start:X}-{end:X}"
                );
            }
        }
        assert!(in_table(WORD, '_') && in_table(WORD, '\u{E9}') && !in_table(WORD, '-'));
        assert!(in_table(DECIMAL, '\u{661}') && !in_table(DECIMAL, '\u{B2}'));
    }

    // The tables below are vendored test vectors. Their inputs are hand-picked edge cases plus the `params`
    // of the rules engine's own test cases (_engine/test-cases/{parse-url,parse-arn,substring,uri-encode,
    // valid-hostlabel,is-virtual-hostable-s3-bucket}.json of the endpoint test suite).

    /// `parse_url` cases: input, then Some((scheme, authority, path, normalizedPath, isIp)).
    // Produced by botocore 1.43.11 (Python 3.11.7), RuleSetStandardLibrary.parse_url.
    #[allow(clippy::type_complexity)]
    #[rustfmt::skip]
    const PARSE_URL: &[(&str, Option<(&str, &str, &str, &str, bool)>)] = &[
        ("https://example.com", Some(("https", "example.com", "", "/", false))),
        ("https://example.com/", Some(("https", "example.com", "/", "/", false))),
        ("http://example.com/a/b", Some(("http", "example.com", "/a/b", "/a/b/", false))),
        ("HTTPS://Example.COM/Path", Some(("https", "Example.COM", "/Path", "/Path/", false))),
        ("https://example.com:443/", Some(("https", "example.com:443", "/", "/", false))),
        ("http://example.com:0080/", Some(("http", "example.com:0080", "/", "/", false))),
        ("http://example.com:0/", Some(("http", "example.com:0", "/", "/", false))),
        ("http://example.com:65535", Some(("http", "example.com:65535", "", "/", false))),
        ("http://example.com:65536/", None),
        ("http://example.com:/x", Some(("http", "example.com:", "/x", "/x/", false))),
        ("http://example.com:a/", None),
        ("http://example.com:-1/", None),
        ("http://example.com:+80/", None),
        ("http://example.com:8\u{660}/", None),
        ("http://example.com:1:2/", None),
        ("http://example.com:99999999999999999999/", None),
        ("http://1.2.3.4", Some(("http", "1.2.3.4", "", "/", true))),
        ("http://1.2.3.4:80/p", Some(("http", "1.2.3.4:80", "/p", "/p/", true))),
        ("http://999.999.999.999/", Some(("http", "999.999.999.999", "/", "/", true))),
        ("http://1.2.3/", Some(("http", "1.2.3", "/", "/", false))),
        ("http://1.2.3.4.5/", Some(("http", "1.2.3.4.5", "/", "/", false))),
        ("http://01.002.3.4/", Some(("http", "01.002.3.4", "/", "/", true))),
        ("http://[::1]:80/", Some(("http", "[::1]:80", "/", "/", true))),
        ("http://[::1]", Some(("http", "[::1]", "", "/", true))),
        ("https://[2001:DB8::1]/a", Some(("https", "[2001:DB8::1]", "/a", "/a/", true))),
        ("http://[fe80::1%25eth0]:8080/", Some(("http", "[fe80::1%25eth0]:8080", "/", "/", true))),
        ("http://[fe80::1%eth0]/", Some(("http", "[fe80::1%eth0]", "/", "/", true))),
        ("http://[::1%25]/", Some(("http", "[::1%25]", "/", "/", true))),
        ("http://[::1%]/", None), // botocore raises ValueError
        ("http://[::ffff:1.2.3.4]/", Some(("http", "[::ffff:1.2.3.4]", "/", "/", true))),
        ("http://[::ffff:01.2.3.4]/", None), // botocore raises ValueError
        ("http://[::ffff:256.1.1.1]/", None), // botocore raises ValueError
        ("http://[1:2:3:4:5:6:7:8]/", Some(("http", "[1:2:3:4:5:6:7:8]", "/", "/", true))),
        ("http://[1::2::3]/", None), // botocore raises ValueError
        ("http://[1.2.3.4]/", None), // botocore raises ValueError
        ("http://[v1.fe]/", Some(("http", "[v1.fe]", "/", "/", false))),
        ("http://[v1.]/", None), // botocore raises ValueError
        ("http://[zz]/", None), // botocore raises ValueError
        ("http://[::1/", None), // botocore raises ValueError
        ("http://::1]/", None), // botocore raises ValueError
        ("http://a[::1]b/", Some(("http", "a[::1]b", "/", "/", true))),
        ("http://::1/", None),
        ("https://user@example.com/", Some(("https", "user@example.com", "/", "/", false))),
        ("https://user:pass@example.com:8443/p", Some(("https", "user:pass@example.com:8443", "/p", "/p/", false))),
        ("https://a@b@example.com/", Some(("https", "a@b@example.com", "/", "/", false))),
        ("https://user@1.2.3.4/", Some(("https", "user@1.2.3.4", "/", "/", true))),
        ("https://user@[::1]/", Some(("https", "user@[::1]", "/", "/", true))),
        ("https://example.com/?", Some(("https", "example.com", "/", "/", false))),
        ("https://example.com/path?query=1", None),
        ("https://example.com?x", None),
        ("https://example.com/#frag", Some(("https", "example.com", "/", "/", false))),
        ("https://example.com/p#frag?x=1", Some(("https", "example.com", "/p", "/p/", false))),
        ("https://example.com#", Some(("https", "example.com", "", "/", false))),
        ("ftp://example.com/", None),
        ("file:///etc/passwd", None),
        ("example.com", None),
        ("//example.com/", None),
        ("http:example.com", None), // botocore raises TypeError
        ("http:/example.com", None), // botocore raises TypeError
        ("http://", None), // botocore raises TypeError
        ("http:///path", None), // botocore raises TypeError
        ("http://:80/", None), // botocore raises TypeError
        ("http://user@/", None), // botocore raises TypeError
        ("https://example.com/a/./b/../c", Some(("https", "example.com", "/a/./b/../c", "/a/c/", false))),
        ("https://example.com//a//b//", Some(("https", "example.com", "//a//b//", "/a/b/", false))),
        ("https://example.com/..", Some(("https", "example.com", "/..", "/", false))),
        ("https://example.com/../a/", Some(("https", "example.com", "/../a/", "/a/", false))),
        ("https://example.com/.", Some(("https", "example.com", "/.", "/", false))),
        ("https://example.com/a/..", Some(("https", "example.com", "/a/..", "/", false))),
        ("https://example.com/a b/%20/\u{FC}", Some(("https", "example.com", "/a b/%20/\u{FC}", "/a%20b/%2520/%C3%BC/", false))),
        ("https://example.com/~-._:@!$&'()*+,=", Some(("https", "example.com", "/~-._:@!$&'()*+,=", "/~-._%3A%40%21%24%26%27%28%29%2A%2B%2C%3D/", false))),
        ("https://example.com/a;b", Some(("https", "example.com", "/a", "/a/", false))),
        ("https://example.com/a/b;c", Some(("https", "example.com", "/a/b", "/a/b/", false))),
        ("https://example.com/a;b/c", Some(("https", "example.com", "/a;b/c", "/a%3Bb/c/", false))),
        ("https://example.com/;", Some(("https", "example.com", "/", "/", false))),
        ("  https://example.com/", Some(("https", "example.com", "/", "/", false))),
        ("\0https://example.com/", Some(("https", "example.com", "/", "/", false))),
        ("https://example.com/ ", Some(("https", "example.com", "/ ", "/%20/", false))),
        ("https://exa\tmple.com/\n", Some(("https", "example.com", "/", "/", false))),
        ("http://[::1\n]/", Some(("http", "[::1]", "/", "/", false))),
        ("https://ex\u{E4}mple.com/", Some(("https", "ex\u{E4}mple.com", "/", "/", false))),
        ("https://a\u{2100}b.com/", None), // botocore raises ValueError
        ("https://a\u{FF0F}b.com/", None), // botocore raises ValueError
        ("https://99_ab.com", Some(("https", "99_ab.com", "", "/", false))),
        ("https://-a.com/", Some(("https", "-a.com", "/", "/", false))),
        ("http://localhost:8000", Some(("http", "localhost:8000", "", "/", false))),
        ("https://bucket.s3.amazonaws.com/key", Some(("https", "bucket.s3.amazonaws.com", "/key", "/key/", false))),
        ("https://s3.us-east-1.amazonaws.com/prefix/", Some(("https", "s3.us-east-1.amazonaws.com", "/prefix/", "/prefix/", false))),
        ("https://authority.com/custom-path", Some(("https", "authority.com", "/custom-path", "/custom-path/", false))),
        ("https://authority.com", Some(("https", "authority.com", "", "/", false))),
        ("https://authority.com/", Some(("https", "authority.com", "/", "/", false))),
        ("https://authority.com:8000/port", Some(("https", "authority.com:8000", "/port", "/port/", false))),
        ("http://authority.com:8000/port", Some(("http", "authority.com:8000", "/port", "/port/", false))),
        ("acbd://example.com", None),
        ("http://99_ab.com", Some(("http", "99_ab.com", "", "/", false))),
        ("http://99_ab-.com", Some(("http", "99_ab-.com", "", "/", false))),
        ("http://abc.com:a/foo", None),
        ("http://192.168.1.1/foo/", Some(("http", "192.168.1.1", "/foo/", "/foo/", true))),
        ("http://192.168.1.1:1234/foo/", Some(("http", "192.168.1.1:1234", "/foo/", "/foo/", true))),
        ("https://[2001:db8:85a3:8d3:1319:8a2e:370:7348]:443", Some(("https", "[2001:db8:85a3:8d3:1319:8a2e:370:7348]:443", "", "/", true))),
        ("https://999.999.abc.blah", Some(("https", "999.999.abc.blah", "", "/", false))),
        ("https://example.com/path?query1=foo", None),
    ];

    /// `parse_arn` cases: input, then Some((partition, service, region, accountId, resourceId)).
    // Produced by botocore 1.43.11 (Python 3.11.7), RuleSetStandardLibrary.aws_parse_arn.
    #[allow(clippy::type_complexity)]
    #[rustfmt::skip]
    const PARSE_ARN: &[(&str, Option<(&str, &str, &str, &str, &[&str])>)] = &[
        ("arn:aws:s3:us-east-1:123456789012:bucket", Some(("aws", "s3", "us-east-1", "123456789012", &["bucket"]))),
        ("arn:aws:s3:::bucket", Some(("aws", "s3", "", "", &["bucket"]))),
        ("arn:aws:s3:us-east-1:123:a:b/c:d", Some(("aws", "s3", "us-east-1", "123", &["a", "b", "c", "d"]))),
        ("arn:aws:s3:us-east-1:123:a//b", Some(("aws", "s3", "us-east-1", "123", &["a", "", "b"]))),
        ("arn:aws:s3:us-east-1:123::", Some(("aws", "s3", "us-east-1", "123", &["", ""]))),
        ("arn:aws:s3:us-east-1:123:/", Some(("aws", "s3", "us-east-1", "123", &["", ""]))),
        ("arn:aws:s3:us-east-1:123:", None),
        ("arn:aws:s3:us-east-1:123", None),
        ("arn:aws:s3", None),
        ("arn:", None),
        ("arn", None),
        ("ARN:aws:s3:::b", None),
        (" arn:aws:s3:::b", None),
        ("arn::s3:::b", None),
        ("arn:aws::::b", None),
        ("arn:aws:s3:\u{E9}:\u{E9}:\u{1F431}", Some(("aws", "s3", "\u{E9}", "\u{E9}", &["\u{1F431}"]))),
        ("arn:aws-cn:iam::123456789012:role/a/b", Some(("aws-cn", "iam", "", "123456789012", &["role", "a", "b"]))),
        ("arn:aws:sqs:us-west-2:123456789012:queue:with:colons", Some(("aws", "sqs", "us-west-2", "123456789012", &["queue", "with", "colons"]))),
        ("arn:aws:s3:us-west-2:123:accesspoint/ap:extra/x", Some(("aws", "s3", "us-west-2", "123", &["accesspoint", "ap", "extra", "x"]))),
        ("arn:aws:s3:us-east-2:012345678:outpost:op-1234", Some(("aws", "s3", "us-east-2", "012345678", &["outpost", "op-1234"]))),
        ("arn:aws:s3:us-east-2:012345678:outpost", Some(("aws", "s3", "us-east-2", "012345678", &["outpost"]))),
        ("arn:aws:s3:us-east-2:012345678:outpost::", Some(("aws", "s3", "us-east-2", "012345678", &["outpost", "", ""]))),
        ("arn:aws:s3:us-east-2:012345678:outpost:", Some(("aws", "s3", "us-east-2", "012345678", &["outpost", ""]))),
        ("mybucket", None),
        ("99_a", None),
        ("asdf", None),
        ("arn:aws:s3:us-west-2:123456789012:", None),
        ("arn:aws::us-west-2:123456789012:resource-id", None),
        ("arn::s3:us-west-2:123456789012:resource-id", None),
        ("arn:aws:s3::123456789012:resource-id", Some(("aws", "s3", "", "123456789012", &["resource-id"]))),
        ("arn:aws:s3:us-east-1::resource-id", Some(("aws", "s3", "us-east-1", "", &["resource-id"]))),
        ("arn:aws:s3:us-east-1:abcd:resource-id", Some(("aws", "s3", "us-east-1", "abcd", &["resource-id"]))),
    ];

    /// Host label cases: input, whether subdomains are allowed, `is_valid_host_label`,
    /// `is_virtual_hostable_s3_bucket`.
    // Produced by botocore 1.43.11 (Python 3.11.7), RuleSetStandardLibrary.is_valid_host_label and
    // RuleSetStandardLibrary.aws_is_virtual_hostable_s3_bucket.
    #[rustfmt::skip]
    const HOST_LABELS: &[(&str, bool, bool, bool)] = &[
        ("", false, false, false),
        ("", true, false, false),
        ("a", false, true, false),
        ("a", true, true, false),
        ("-", false, false, false),
        ("-", true, false, false),
        ("a-", false, false, false),
        ("a-", true, false, false),
        ("-a", false, false, false),
        ("-a", true, false, false),
        ("a-b", false, true, true),
        ("a-b", true, true, true),
        ("a--b", false, true, true),
        ("a--b", true, true, true),
        ("abc", false, true, true),
        ("abc", true, true, true),
        ("ABC", false, true, false),
        ("ABC", true, true, false),
        ("a.b", false, false, false),
        ("a.b", true, true, true),
        ("a..b", false, false, false),
        ("a..b", true, false, false),
        (".a", false, false, false),
        (".a", true, false, false),
        ("a.", false, false, false),
        ("a.", true, false, false),
        ("a.-b", false, false, false),
        ("a.-b", true, false, false),
        ("a-.b", false, false, false),
        ("a-.b", true, false, false),
        ("a_b", false, false, false),
        ("a_b", true, false, false),
        ("a b", false, false, false),
        ("a b", true, false, false),
        ("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", false, true, true),
        ("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", true, true, true),
        ("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", false, false, false),
        ("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", true, false, false),
        ("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.b", false, false, false),
        ("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.b", true, true, true),
        ("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.b", false, false, false),
        ("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.b", true, false, false),
        ("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\n", false, true, true),
        ("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\n", true, true, true),
        ("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\n", false, false, false),
        ("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\n", true, false, false),
        ("abc\n", false, true, true),
        ("abc\n", true, true, true),
        ("abc\n\n", false, false, false),
        ("abc\n\n", true, false, false),
        ("ab\nc", false, false, false),
        ("ab\nc", true, false, false),
        ("\n", false, false, false),
        ("\n", true, false, false),
        ("a-\n", false, false, false),
        ("a-\n", true, false, false),
        ("a\n.b", false, false, false),
        ("a\n.b", true, true, true),
        ("12", false, true, false),
        ("12", true, true, false),
        ("1.2.3.4", false, false, false),
        ("1.2.3.4", true, true, false),
        ("1.2.3.4\n", false, false, false),
        ("1.2.3.4\n", true, true, false),
        ("01.2.3.400", false, false, false),
        ("01.2.3.400", true, true, false),
        ("1.2.3", false, false, false),
        ("1.2.3", true, true, true),
        ("1.2.3.4.5", false, false, false),
        ("1.2.3.4.5", true, true, true),
        ("999.999.999.999", false, false, false),
        ("999.999.999.999", true, true, false),
        ("a\u{661}b", false, true, true),
        ("a\u{661}b", true, true, true),
        ("\u{661}\u{662}\u{663}", false, true, true),
        ("\u{661}\u{662}\u{663}", true, true, true),
        ("\u{E9}t\u{E9}", false, false, false),
        ("\u{E9}t\u{E9}", true, false, false),
        ("K\u{212A}", false, false, false),
        ("K\u{212A}", true, false, false),
        ("\u{B2}", false, false, false),
        ("\u{B2}", true, false, false),
        ("bucket-name", false, true, true),
        ("bucket-name", true, true, true),
        ("bucket.name.multiple.dots1", false, false, false),
        ("bucket.name.multiple.dots1", true, true, true),
        ("BucketName", false, true, false),
        ("BucketName", true, true, false),
        ("bucket_name", false, false, false),
        ("bucket_name", true, false, false),
        ("aa", false, true, false),
        ("aa", true, true, false),
        ("aaa", false, true, true),
        ("aaa", true, true, true),
        ("us-east-1", false, true, true),
        ("us-east-1", true, true, true),
        ("3aws4", false, true, true),
        ("3aws4", true, true, true),
        ("part1.part2", false, false, false),
        ("part1.part2", true, true, true),
        ("part1 part2", false, false, false),
        ("part1 part2", true, false, false),
        ("my.bucket\n", false, false, false),
        ("my.bucket\n", true, true, true),
        ("bucket-with-number-1", false, true, true),
        ("bucket-with-number-1", true, true, true),
        ("bucket.name", false, false, false),
        ("bucket.name", true, true, true),
        ("-bucket-name", false, false, false),
        ("-bucket-name", true, false, false),
        ("bucket-name-", false, false, false),
        ("bucket-name-", true, false, false),
        (".bucket-name", false, false, false),
        (".bucket-name", true, false, false),
        ("bucket-name.", false, false, false),
        ("bucket-name.", true, false, false),
        ("192.168.5.4", false, false, false),
        ("192.168.5.4", true, true, false),
        ("bucket-.name", false, false, false),
        ("bucket-.name", true, false, false),
        ("bucket.-name", false, false, false),
        ("bucket.-name", true, false, false),
    ];

    /// `substring` cases: input, start, stop, reverse, result.
    // Produced by botocore 1.43.11 (Python 3.11.7), RuleSetStandardLibrary.substring.
    #[rustfmt::skip]
    const SUBSTRING: &[(&str, i64, i64, bool, Option<&str>)] = &[
        ("abcdefg", 0, 4, false, Some("abcd")),
        ("abcdefg", 0, 4, true, Some("defg")),
        ("abcdefg", 1, 3, false, Some("bc")),
        ("abcdefg", 1, 3, true, Some("ef")),
        ("abcdefg", 0, 0, false, None),
        ("abcdefg", 0, 0, true, None),
        ("abcdefg", 2, 1, false, None),
        ("abcdefg", 2, 1, true, None),
        ("abcdefg", 0, 7, false, Some("abcdefg")),
        ("abcdefg", 0, 7, true, Some("abcdefg")),
        ("abcdefg", 0, 8, false, None),
        ("abcdefg", 0, 8, true, None),
        ("abcdefg", -2, 2, false, Some("")),
        ("abcdefg", -2, 2, true, Some("fg")),
        ("abcdefg", -3, -1, false, Some("ef")),
        ("abcdefg", -3, -1, true, Some("")),
        ("abcdefg", -10, 3, false, Some("abc")),
        ("abcdefg", -10, 3, true, Some("efg")),
        ("abc", 0, 4, false, None),
        ("abc", 0, 4, true, None),
        ("abc", 1, 3, false, Some("bc")),
        ("abc", 1, 3, true, Some("ab")),
        ("abc", 0, 0, false, None),
        ("abc", 0, 0, true, None),
        ("abc", 2, 1, false, None),
        ("abc", 2, 1, true, None),
        ("abc", 0, 7, false, None),
        ("abc", 0, 7, true, None),
        ("abc", 0, 8, false, None),
        ("abc", 0, 8, true, None),
        ("abc", -2, 2, false, Some("b")),
        ("abc", -2, 2, true, Some("bc")),
        ("abc", -3, -1, false, Some("ab")),
        ("abc", -3, -1, true, Some("")),
        ("abc", -10, 3, false, Some("abc")),
        ("abc", -10, 3, true, Some("abc")),
        ("", 0, 4, false, None),
        ("", 0, 4, true, None),
        ("", 1, 3, false, None),
        ("", 1, 3, true, None),
        ("", 0, 0, false, None),
        ("", 0, 0, true, None),
        ("", 2, 1, false, None),
        ("", 2, 1, true, None),
        ("", 0, 7, false, None),
        ("", 0, 7, true, None),
        ("", 0, 8, false, None),
        ("", 0, 8, true, None),
        ("", -2, 2, false, None),
        ("", -2, 2, true, None),
        ("", -3, -1, false, Some("")),
        ("", -3, -1, true, Some("")),
        ("", -10, 3, false, None),
        ("", -10, 3, true, None),
        ("\u{FDFD}", 0, 4, false, None),
        ("\u{FDFD}", 0, 4, true, None),
        ("\u{FDFD}", 1, 3, false, None),
        ("\u{FDFD}", 1, 3, true, None),
        ("\u{FDFD}", 0, 0, false, None),
        ("\u{FDFD}", 0, 0, true, None),
        ("\u{FDFD}", 2, 1, false, None),
        ("\u{FDFD}", 2, 1, true, None),
        ("\u{FDFD}", 0, 7, false, None),
        ("\u{FDFD}", 0, 7, true, None),
        ("\u{FDFD}", 0, 8, false, None),
        ("\u{FDFD}", 0, 8, true, None),
        ("\u{FDFD}", -2, 2, false, None),
        ("\u{FDFD}", -2, 2, true, None),
        ("\u{FDFD}", -3, -1, false, None),
        ("\u{FDFD}", -3, -1, true, None),
        ("\u{FDFD}", -10, 3, false, None),
        ("\u{FDFD}", -10, 3, true, None),
        ("abcdef\u{1F431}", 0, 4, false, None),
        ("abcdef\u{1F431}", 0, 4, true, None),
        ("abcdef\u{1F431}", 1, 3, false, None),
        ("abcdef\u{1F431}", 1, 3, true, None),
        ("abcdef\u{1F431}", 0, 0, false, None),
        ("abcdef\u{1F431}", 0, 0, true, None),
        ("abcdef\u{1F431}", 2, 1, false, None),
        ("abcdef\u{1F431}", 2, 1, true, None),
        ("abcdef\u{1F431}", 0, 7, false, None),
        ("abcdef\u{1F431}", 0, 7, true, None),
        ("abcdef\u{1F431}", 0, 8, false, None),
        ("abcdef\u{1F431}", 0, 8, true, None),
        ("abcdef\u{1F431}", -2, 2, false, None),
        ("abcdef\u{1F431}", -2, 2, true, None),
        ("abcdef\u{1F431}", -3, -1, false, None),
        ("abcdef\u{1F431}", -3, -1, true, None),
        ("abcdef\u{1F431}", -10, 3, false, None),
        ("abcdef\u{1F431}", -10, 3, true, None),
        ("\u{7F}abcdef", 0, 4, false, Some("\u{7F}abc")),
        ("\u{7F}abcdef", 0, 4, true, Some("cdef")),
        ("\u{7F}abcdef", 1, 3, false, Some("ab")),
        ("\u{7F}abcdef", 1, 3, true, Some("de")),
        ("\u{7F}abcdef", 0, 0, false, None),
        ("\u{7F}abcdef", 0, 0, true, None),
        ("\u{7F}abcdef", 2, 1, false, None),
        ("\u{7F}abcdef", 2, 1, true, None),
        ("\u{7F}abcdef", 0, 7, false, Some("\u{7F}abcdef")),
        ("\u{7F}abcdef", 0, 7, true, Some("\u{7F}abcdef")),
        ("\u{7F}abcdef", 0, 8, false, None),
        ("\u{7F}abcdef", 0, 8, true, None),
        ("\u{7F}abcdef", -2, 2, false, Some("")),
        ("\u{7F}abcdef", -2, 2, true, Some("ef")),
        ("\u{7F}abcdef", -3, -1, false, Some("de")),
        ("\u{7F}abcdef", -3, -1, true, Some("")),
        ("\u{7F}abcdef", -10, 3, false, Some("\u{7F}ab")),
        ("\u{7F}abcdef", -10, 3, true, Some("def")),
        ("ab", 0, 4, false, None),
        ("ab", 0, 4, true, None),
        ("ab", 1, 3, false, None),
        ("ab", 1, 3, true, None),
        ("ab", 0, 0, false, None),
        ("ab", 0, 0, true, None),
        ("ab", 2, 1, false, None),
        ("ab", 2, 1, true, None),
        ("ab", 0, 7, false, None),
        ("ab", 0, 7, true, None),
        ("ab", 0, 8, false, None),
        ("ab", 0, 8, true, None),
        ("ab", -2, 2, false, Some("ab")),
        ("ab", -2, 2, true, Some("ab")),
        ("ab", -3, -1, false, Some("a")),
        ("ab", -3, -1, true, Some("")),
        ("ab", -10, 3, false, None),
        ("ab", -10, 3, true, None),
        ("h\u{E9}llo", 0, 4, false, None),
        ("h\u{E9}llo", 0, 4, true, None),
        ("h\u{E9}llo", 1, 3, false, None),
        ("h\u{E9}llo", 1, 3, true, None),
        ("h\u{E9}llo", 0, 0, false, None),
        ("h\u{E9}llo", 0, 0, true, None),
        ("h\u{E9}llo", 2, 1, false, None),
        ("h\u{E9}llo", 2, 1, true, None),
        ("h\u{E9}llo", 0, 7, false, None),
        ("h\u{E9}llo", 0, 7, true, None),
        ("h\u{E9}llo", 0, 8, false, None),
        ("h\u{E9}llo", 0, 8, true, None),
        ("h\u{E9}llo", -2, 2, false, None),
        ("h\u{E9}llo", -2, 2, true, None),
        ("h\u{E9}llo", -3, -1, false, None),
        ("h\u{E9}llo", -3, -1, true, None),
        ("h\u{E9}llo", -10, 3, false, None),
        ("h\u{E9}llo", -10, 3, true, None),
        ("abcd", 0, 4, false, Some("abcd")),
        ("abcd", 0, 4, true, Some("abcd")),
        ("abcd", 1, 3, false, Some("bc")),
        ("abcdef\u{80}", 0, 4, false, None),
        ("abcdef\u{80}", 0, 4, true, None),
        ("abcdef\u{80}", 1, 3, false, None),
        ("defg", 0, 4, false, Some("defg")),
        ("defg", 0, 4, true, Some("defg")),
        ("defg", 1, 3, false, Some("ef")),
        ("def", 0, 4, false, None),
        ("def", 0, 4, true, None),
        ("def", 1, 3, false, Some("ef")),
    ];

    /// `uri_encode` cases: input, result.
    // Produced by botocore 1.43.11 (Python 3.11.7), RuleSetStandardLibrary.uri_encode.
    #[rustfmt::skip]
    const URI_ENCODE: &[(&str, &str)] = &[
        ("", ""),
        ("abc", "abc"),
        ("a b", "a%20b"),
        ("a/b", "a%2Fb"),
        ("~-._", "~-._"),
        ("a+b=c&d", "a%2Bb%3Dc%26d"),
        ("100%", "100%25"),
        ("\u{FC}", "%C3%BC"),
        ("\u{E9}t\u{E9}", "%C3%A9t%C3%A9"),
        ("\u{1F639}", "%F0%9F%98%B9"),
        ("\u{20AC}", "%E2%82%AC"),
        ("\0\u{7F}", "%00%7F"),
        ("key/with spaces/and~tilde", "key%2Fwith%20spaces%2Fand~tilde"),
        ("*'()!", "%2A%27%28%29%21"),
        ("\u{FDFD}", "%EF%B7%BD"),
        ("abcdefg", "abcdefg"),
        ("abc:defg", "abc%3Adefg"),
        ("/:,?#[]{}|@! $&'()*+;=%<>\"^`\\", "%2F%3A%2C%3F%23%5B%5D%7B%7D%7C%40%21%20%24%26%27%28%29%2A%2B%3B%3D%25%3C%3E%22%5E%60%5C"),
        ("0123456789.underscore_dash-Tilda~", "0123456789.underscore_dash-Tilda~"),
        (" !\"#$%&'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_`abcdefghijklmnopqrstuvwxyz{|}~", "%20%21%22%23%24%25%26%27%28%29%2A%2B%2C-.%2F0123456789%3A%3B%3C%3D%3E%3F%40ABCDEFGHIJKLMNOPQRSTUVWXYZ%5B%5C%5D%5E_%60abcdefghijklmnopqrstuvwxyz%7B%7C%7D~"),
    ];

    /// Regions tried against every partition pattern below.
    #[rustfmt::skip]
    const REGIONS: &[&str] = &[
        "af-south-1",
        "ap-east-1",
        "ap-east-2",
        "ap-northeast-1",
        "ap-northeast-2",
        "ap-northeast-3",
        "ap-south-1",
        "ap-south-2",
        "ap-southeast-1",
        "ap-southeast-2",
        "ap-southeast-3",
        "ap-southeast-4",
        "ap-southeast-5",
        "ap-southeast-6",
        "ap-southeast-7",
        "aws-global",
        "ca-central-1",
        "ca-west-1",
        "eu-central-1",
        "eu-central-2",
        "eu-north-1",
        "eu-south-1",
        "eu-south-2",
        "eu-west-1",
        "eu-west-2",
        "eu-west-3",
        "il-central-1",
        "me-central-1",
        "me-south-1",
        "mx-central-1",
        "sa-east-1",
        "us-east-1",
        "us-east-2",
        "us-west-1",
        "us-west-2",
        "aws-cn-global",
        "cn-north-1",
        "cn-northwest-1",
        "eusc-de-east-1",
        "aws-iso-global",
        "us-iso-east-1",
        "us-iso-west-1",
        "aws-iso-b-global",
        "us-isob-east-1",
        "us-isob-west-1",
        "aws-iso-e-global",
        "eu-isoe-west-1",
        "aws-iso-f-global",
        "us-isof-east-1",
        "us-isof-south-1",
        "aws-us-gov-global",
        "us-gov-east-1",
        "us-gov-west-1",
        "us-east-1\n",
        "us-east-1\n\n",
        "us-east-1x",
        "us-east-1-fips",
        "fips-us-east-1",
        "us-east-",
        "us--1",
        "us-_-1",
        "US-EAST-1",
        "us-east-\u{661}",
        "us-\u{E9}ast-1",
        "us-\u{B2}ast-1",
        "us-east-\u{B2}",
        "eusc-fr-east-1",
        "xx-east-1",
        "us-iso-",
        "",
        "us",
        "eu-isoe-west-1-x",
    ];

    /// Each `regionRegex` of botocore's data/partitions.json with the REGIONS that Python's `re.match`
    /// matches (botocore 1.43.11, Python 3.11.7).
    #[rustfmt::skip]
    const PARTITION_PATTERNS: &[(&str, &[&str])] = &[
        ("^(us|eu|ap|sa|ca|me|af|il|mx)\\-\\w+\\-\\d+$", &["af-south-1", "ap-east-1", "ap-east-2", "ap-northeast-1", "ap-northeast-2", "ap-northeast-3", "ap-south-1", "ap-south-2", "ap-southeast-1", "ap-southeast-2", "ap-southeast-3", "ap-southeast-4", "ap-southeast-5", "ap-southeast-6", "ap-southeast-7", "ca-central-1", "ca-west-1", "eu-central-1", "eu-central-2", "eu-north-1", "eu-south-1", "eu-south-2", "eu-west-1", "eu-west-2", "eu-west-3", "il-central-1", "me-central-1", "me-south-1", "mx-central-1", "sa-east-1", "us-east-1", "us-east-2", "us-west-1", "us-west-2", "us-east-1\n", "us-_-1", "us-east-\u{661}", "us-\u{E9}ast-1", "us-\u{B2}ast-1"]),
        ("^cn\\-\\w+\\-\\d+$", &["cn-north-1", "cn-northwest-1"]),
        ("^eusc\\-(de)\\-\\w+\\-\\d+$", &["eusc-de-east-1"]),
        ("^us\\-iso\\-\\w+\\-\\d+$", &["us-iso-east-1", "us-iso-west-1"]),
        ("^us\\-isob\\-\\w+\\-\\d+$", &["us-isob-east-1", "us-isob-west-1"]),
        ("^eu\\-isoe\\-\\w+\\-\\d+$", &["eu-isoe-west-1"]),
        ("^us\\-isof\\-\\w+\\-\\d+$", &["us-isof-east-1", "us-isof-south-1"]),
        ("^us\\-gov\\-\\w+\\-\\d+$", &["us-gov-east-1", "us-gov-west-1"]),
    ];

    /// Hand-written patterns of the supported subset: pattern, input, Python 3.11.7's `re.match` result.
    #[rustfmt::skip]
    const PATTERNS: &[(&str, &str, bool)] = &[
        ("^a(b|c)*d?$", "a", true),
        ("^a(b|c)*d?$", "abcbd", true),
        ("^a(b|c)*d?$", "ad", true),
        ("^a(b|c)*d?$", "abx", false),
        ("^a(b|c)*d?$", "a\n", true),
        ("^a(b|c)*d?$", "ax", false),
        ("^a(b|c)*d?$", "", false),
        ("(|x)y+", "y", true),
        ("(|x)y+", "xy", true),
        ("(|x)y+", "xyy", true),
        ("(|x)y+", "x", false),
        ("(|x)y+", "", false),
        ("(|x)y+", "yx", true),
        ("^$", "", true),
        ("^$", "\n", true),
        ("^$", "a", false),
        ("^$", "\n\n", false),
        ("a\\.b", "a.b", true),
        ("a\\.b", "axb", false),
        ("a\\.b", "a.bc", true),
        ("^(a|ab)(c|bcd)(d*)$", "abcd", true),
        ("^(a|ab)(c|bcd)(d*)$", "acd", true),
        ("^(a|ab)(c|bcd)(d*)$", "abcdd", true),
        ("^(a|ab)(c|bcd)(d*)$", "abd", false),
        ("((a))+$", "a", true),
        ("((a))+$", "aa", true),
        ("((a))+$", "aab", false),
        ("((a))+$", "b", false),
        ("()*a", "a", true),
        ("()*a", "b", false),
        ("\\w\\d", "a1", true),
        ("\\w\\d", "_\u{661}", true),
        ("\\w\\d", "\u{E9}1", true),
        ("\\w\\d", "\u{B2}\u{B2}", false),
        ("\\w\\d", "-1", false),
        ("\\w\\d", "a\u{B2}", false),
        ("a?b*$", "", true),
        ("a?b*$", "b", true),
        ("a?b*$", "ab", true),
        ("a?b*$", "ac", false),
        ("a?b*$", "bbb\n", true),
        ("^x|^y", "x", true),
        ("^x|^y", "y", true),
        ("^x|^y", "z", false),
    ];
}
