//! Percent-encoding of URIs, query strings and form bodies with the `percent-encoding` crate's
//! character sets, and Python's `unquote` / `unquote_plus` for what services send back encoded.

use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};

/// Escapes all but the unreserved characters `A-Z a-z 0-9 - . _ ~` (RFC 3986): query strings,
/// form bodies, URI labels and SigV4's canonical query.
pub const UNRESERVED: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// [`UNRESERVED`] that keeps `/`: greedy URI labels (`{Key+}`) and S3's `CopySource`.
pub const PATH: &AsciiSet = &UNRESERVED.remove(b'/');

/// `key=value` of a query string or form body, both escaped with [`UNRESERVED`].
pub fn form_pair(key: &str, value: &str) -> String {
    let mut out = String::with_capacity(key.len() + value.len() + 1);
    encode_into(&mut out, key, UNRESERVED);
    out.push('=');
    encode_into(&mut out, value, UNRESERVED);
    out
}

/// Appends `s` to `out`, each byte in `set` (and every non-ASCII byte) as `%XX` in uppercase hex.
pub fn encode_into(out: &mut String, s: &str, set: &'static AsciiSet) {
    out.extend(utf8_percent_encode(s, set));
}

/// Python's `unquote`: `%XX` escapes decoded, `+` kept.
pub fn url_decode(s: &str) -> String {
    percent_encoding::percent_decode_str(s)
        .decode_utf8_lossy()
        .into_owned()
}

/// Python's `unquote_plus`: `+` is a space, `%XX` a byte; invalid escapes are kept.
pub fn url_decode_plus(s: &str) -> String {
    url_decode(&s.replace('+', " "))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percent_encoding_keeps_unreserved_and_safe() {
        let mut s = String::new();
        encode_into(&mut s, "a b/c~d+é", PATH);
        assert_eq!(s, "a%20b/c~d%2B%C3%A9");
    }

    #[test]
    fn percent_encoding() {
        let mut s = String::new();
        encode_into(&mut s, "a b&c<d>é~-._/+=", UNRESERVED);
        assert_eq!(s, "a%20b%26c%3Cd%3E%C3%A9~-._%2F%2B%3D");
    }

    #[test]
    fn unquote_plus() {
        assert_eq!(url_decode_plus("a+b%2Bc%20d%E2%82%AC%"), "a b+c d€%");
        assert_eq!(url_decode_plus("100%zz"), "100%zz");
        assert_eq!(url_decode_plus("%+5x"), "% 5x");
    }
}
