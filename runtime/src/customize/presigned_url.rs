//! botocore's `inject_presigned_url_rds` and `inject_presigned_url_ec2`: a copy across regions
//! carries a URL presigned in the source region, which the destination region's service calls
//! to read the source. The caller names the source region (`SourceRegion`); the presigned URL is
//! made here unless the caller gave one.

use crate::auth::credentials::Credentials;
use crate::auth::signing::{sign_with, SignOptions};
use crate::error::Result;
use crate::http::HttpRequest;
use crate::schema::{Operation, Service};
use crate::wire::percent::{form_pair, url_decode_plus};
use std::time::{Duration, SystemTime};

/// The operations that take a presigned URL this way, by service.
fn applies(svc: &str, op: &str) -> Option<Style> {
    match (svc, op) {
        (
            "rds",
            "CopyDBClusterSnapshot"
            | "CreateDBCluster"
            | "CopyDBSnapshot"
            | "CreateDBInstanceReadReplica"
            | "StartDBInstanceAutomatedBackupsReplication",
        )
        | ("neptune" | "docdb", "CopyDBClusterSnapshot" | "CreateDBCluster") => Some(Style::Rds),
        ("ec2", "CopySnapshot") => Some(Style::Ec2),
        _ => None,
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Style {
    /// `SourceRegion` is the SDK's own parameter: taken out, and `PreSignedUrl` added.
    Rds,
    /// `SourceRegion` is sent; `PresignedUrl` and `DestinationRegion` are added.
    Ec2,
}

/// The value of `key` in a form body.
fn form_value(body: &str, key: &str) -> Option<String> {
    body.split('&').find_map(|pair| {
        let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
        (url_decode_plus(k) == key).then(|| url_decode_plus(v))
    })
}

/// `body` without `key`.
fn without(body: &str, key: &str) -> String {
    body.split('&')
        .filter(|pair| url_decode_plus(pair.split_once('=').map_or(*pair, |(k, _)| k)) != key)
        .collect::<Vec<_>>()
        .join("&")
}

/// Adds the presigned URL to a copy across regions of rds, neptune, docdb or ec2, as botocore
/// does; `region` is the client's (the destination), `time` the signing time.
pub(crate) fn inject(
    svc: &Service,
    op: &Operation,
    req: &mut HttpRequest,
    creds: &Credentials,
    region: &str,
    time: SystemTime,
) -> Result<()> {
    let Some(style) = applies(svc.name, op.name) else {
        return Ok(());
    };
    let body = String::from_utf8_lossy(&req.body).into_owned();
    let (url_key, source) = match style {
        Style::Rds => ("PreSignedUrl", form_value(&body, "SourceRegion")),
        Style::Ec2 => ("PresignedUrl", form_value(&body, "SourceRegion")),
    };
    let Some(source) = source else {
        return Ok(());
    };
    let mut body = match style {
        // Not a parameter of the API: it only says where the source is.
        Style::Rds => without(&body, "SourceRegion"),
        Style::Ec2 => body,
    };
    if form_value(&body, url_key).is_some() {
        req.body = body.into_bytes().into();
        return Ok(());
    }
    // The same request, sent to the source region's endpoint with the destination named.
    let query = format!(
        "{}&{}",
        without(&body, "DestinationRegion"),
        form_pair("DestinationRegion", region)
    );
    let base = req
        .url
        .split('?')
        .next()
        .unwrap_or(&req.url)
        .replace(region, &source);
    let mut presign = HttpRequest {
        method: "GET".into(),
        url: format!("{base}?{query}"),
        headers: Vec::new(),
        body: Default::default(),
    };
    let opts = SignOptions::presign(Duration::from_secs(3600));
    sign_with(&mut presign, creds, &source, svc.signing_name, time, &opts)?;
    if style == Style::Ec2 {
        body = format!(
            "{}&{}",
            without(&body, "DestinationRegion"),
            form_pair("DestinationRegion", region)
        );
    }
    body = format!("{body}&{}", form_pair(url_key, &presign.url));
    req.body = body.into_bytes().into();
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn form_bodies_are_read_and_edited_by_key() {
        let body = "Action=CopyDBSnapshot&SourceRegion=us-west-2&Tags.member.1.Key=a%20b";
        assert_eq!(
            form_value(body, "SourceRegion").as_deref(),
            Some("us-west-2")
        );
        assert_eq!(
            form_value(body, "Tags.member.1.Key").as_deref(),
            Some("a b")
        );
        assert_eq!(form_value(body, "Missing"), None);
        assert_eq!(
            without(body, "SourceRegion"),
            "Action=CopyDBSnapshot&Tags.member.1.Key=a%20b"
        );
        assert_eq!(
            form_pair("PreSignedUrl", "https://x/?a=b&c"),
            "PreSignedUrl=https%3A%2F%2Fx%2F%3Fa%3Db%26c"
        );
    }
}
