//! S3 presigned POST (boto3's `generate_presigned_post`): a policy and the form fields a browser
//! or any HTTP client posts with a file to upload it without credentials of its own.

use crate::auth::credentials::Credentials;
use crate::error::{Error, Result};
use crate::time::DateTime;
use crate::wire::json::write_str_ascii;
use base64::Engine;
use std::time::{Duration, SystemTime};

/// A condition of a presigned POST's policy, as boto3's `Conditions` take them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PostCondition {
    /// The form field must be exactly this value (`{"acl": "public-read"}`).
    Equals(String, String),
    /// The form field must start with this prefix (`["starts-with", "$key", "uploads/"]`); the
    /// field is named with or without its `$`.
    StartsWith(String, String),
    /// The file's size in bytes must be within this range (`["content-length-range", 1, 1048576]`).
    ContentLengthRange(u64, u64),
}

/// Where to post and what to post with the file (its field, `file`, goes last).
#[derive(Clone, PartialEq, Eq)]
pub struct PresignedPost {
    /// The URL to post the form to.
    pub url: String,
    /// The form fields, in boto3's order: the given fields, `key`, the signing fields, `policy`
    /// and `x-amz-signature`.
    pub fields: Vec<(String, String)>,
}

impl std::fmt::Debug for PresignedPost {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // The session token is a secret; the rest is meant to be handed out.
        let fields: Vec<(&str, &str)> = self
            .fields
            .iter()
            .map(|(k, v)| {
                let v = if k == "x-amz-security-token" {
                    "** redacted **"
                } else {
                    v.as_str()
                };
                (k.as_str(), v)
            })
            .collect();
        f.debug_struct("PresignedPost")
            .field("url", &self.url)
            .field("fields", &fields)
            .finish()
    }
}

fn py_json_condition(out: &mut String, c: &PostCondition) {
    match c {
        PostCondition::Equals(k, v) => {
            out.push('{');
            write_str_ascii(out, k);
            out.push_str(": ");
            write_str_ascii(out, v);
            out.push('}');
        }
        PostCondition::StartsWith(k, v) => {
            out.push_str("[\"starts-with\", ");
            let field = if k.starts_with('$') {
                k.clone()
            } else {
                format!("${k}")
            };
            write_str_ascii(out, &field);
            out.push_str(", ");
            write_str_ascii(out, v);
            out.push(']');
        }
        PostCondition::ContentLengthRange(min, max) => {
            out.push_str(&format!("[\"content-length-range\", {min}, {max}]"));
        }
    }
}

/// The presigned POST for `key` in `bucket` at `url` (the bucket's endpoint), as botocore's
/// `generate_presigned_post` makes it at `now`: the policy lists `conditions`, the bucket, the key
/// (a key ending in `${filename}` only fixes its prefix), the signing fields and the session
/// token, and expires after `expires_in`; it is signed with SigV4 for `region` and `s3`.
#[allow(clippy::too_many_arguments)]
pub fn presigned_post(
    url: &str,
    bucket: &str,
    key: &str,
    fields: &[(String, String)],
    conditions: &[PostCondition],
    creds: &Credentials,
    region: &str,
    expires_in: Duration,
    now: SystemTime,
) -> Result<PresignedPost> {
    if bucket.is_empty() || key.is_empty() {
        return Err(Error::validation(
            "a presigned POST needs a bucket and a key",
        ));
    }
    let secs = |t: SystemTime| {
        t.duration_since(SystemTime::UNIX_EPOCH)
            .map(|d| d.as_secs() as i64)
            .unwrap_or(0)
    };
    // Whole seconds, at least one, and an expiry a date can hold (botocore's stops at year 9999).
    const LATEST: i64 = 253_402_300_799; // 9999-12-31T23:59:59Z
    let expires = i64::try_from(expires_in.as_secs())
        .ok()
        .filter(|s| *s >= 1)
        .and_then(|s| secs(now).checked_add(s))
        .filter(|t| *t <= LATEST);
    let Some(expires) = expires else {
        return Err(Error::validation(format!(
            "expires_in must be at least one second and end before the year 10000, got {expires_in:?}"
        )));
    };
    let signed_at = DateTime::from_secs(secs(now));
    let expiration = DateTime::from_secs(expires);
    let amz_date = signed_at.to_basic_iso8601();
    let scope = format!(
        "{}/{}/{region}/s3/aws4_request",
        creds.access_key_id(),
        &amz_date[..8]
    );
    let mut all: Vec<PostCondition> = conditions.to_vec();
    all.push(PostCondition::Equals("bucket".into(), bucket.into()));
    match key.strip_suffix("${filename}") {
        Some(prefix) => all.push(PostCondition::StartsWith("$key".into(), prefix.into())),
        None => all.push(PostCondition::Equals("key".into(), key.into())),
    }
    let mut out: Vec<(String, String)> =
        fields.iter().filter(|(k, _)| k != "key").cloned().collect();
    out.push(("key".into(), key.into()));
    let mut signing = vec![
        (
            "x-amz-algorithm".to_string(),
            "AWS4-HMAC-SHA256".to_string(),
        ),
        ("x-amz-credential".to_string(), scope),
        ("x-amz-date".to_string(), amz_date),
    ];
    if let Some(token) = creds.session_token() {
        signing.push(("x-amz-security-token".into(), token.to_string()));
    }
    for (k, v) in &signing {
        all.push(PostCondition::Equals(k.clone(), v.clone()));
    }
    out.extend(signing);
    let mut policy = String::from("{\"expiration\": ");
    write_str_ascii(&mut policy, &expiration.to_iso8601());
    policy.push_str(", \"conditions\": [");
    for (i, c) in all.iter().enumerate() {
        if i > 0 {
            policy.push_str(", ");
        }
        py_json_condition(&mut policy, c);
    }
    policy.push_str("]}");
    let policy = base64::engine::general_purpose::STANDARD.encode(policy);
    let key =
        aws_sigv4::sign::v4::generate_signing_key(creds.secret_access_key(), now, region, "s3");
    let signature = aws_sigv4::sign::v4::calculate_signature(key, policy.as_bytes());
    out.push(("policy".into(), policy));
    out.push(("x-amz-signature".into(), signature));
    Ok(PresignedPost {
        url: url.to_string(),
        fields: out,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn expiry_out_of_range_is_an_error() {
        let creds = Credentials::new("AKID", "SECRET", None);
        let post = |d: Duration| {
            presigned_post(
                "https://b/",
                "b",
                "k",
                &[],
                &[],
                &creds,
                "us-east-1",
                d,
                SystemTime::now(),
            )
        };
        assert!(post(Duration::from_secs(60)).is_ok());
        for bad in [
            Duration::ZERO,
            Duration::from_millis(500),
            Duration::MAX,
            Duration::from_secs(i64::MAX as u64),
        ] {
            let e = post(bad).unwrap_err();
            assert!(e.to_string().contains("expires_in"), "{e}");
        }
    }

    #[test]
    fn strings_are_written_as_python_writes_them() {
        let mut s = String::new();
        write_str_ascii(&mut s, "a\"b\\c\nd\u{1}\u{8}é😀~");
        assert_eq!(s, r#""a\"b\\c\nd\u0001\b\u00e9\ud83d\ude00~""#);
    }
}
