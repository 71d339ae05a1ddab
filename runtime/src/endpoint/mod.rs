//! Endpoint resolution: which URL a client sends to and which region it signs for.

use crate::auth::config::{Environment, ProfileFiles};
use crate::error::{Error, Result};
use crate::schema::Service;

/// Where requests of one client go.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Endpoint {
    /// `scheme://host[:port][/base/path]`, without a trailing slash.
    pub url: String,
    /// The region used for signing.
    pub signing_region: String,
    /// True when the URL was given by the user rather than derived.
    pub custom: bool,
}

/// Refuses empty or malformed region names (a region must be a valid DNS label).
pub fn validate_region(region: &str) -> Result<()> {
    // botocore's rule: a DNS label of letters, digits and hyphens, not all digits.
    let ok = !region.is_empty()
        && region.len() <= 63
        && region
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-')
        && !region.starts_with('-')
        && !region.ends_with('-')
        && !region.bytes().all(|b| b.is_ascii_digit());
    if ok {
        Ok(())
    } else {
        Err(Error::config(format!(
            "invalid region {region:?}: a region is letters, digits and hyphens, such as \"us-east-1\""
        )))
    }
}

/// Refuses endpoint URLs that are not `http://` or `https://` with a host.
pub fn validate_endpoint_url(url: &str) -> Result<()> {
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))
        .ok_or_else(|| {
            Error::config(format!(
                "invalid endpoint URL {url:?}: it must start with http:// or https://"
            ))
        })?;
    let host = rest.split(['/', '?', '#']).next().unwrap_or("");
    if host.is_empty() {
        return Err(Error::config(format!(
            "invalid endpoint URL {url:?}: it has no host"
        )));
    }
    reqwest::Url::parse(url)
        .map(|_| ())
        .map_err(|e| Error::config(format!("invalid endpoint URL {url:?}: {e}")))
}

/// The DNS suffix of the partition a region belongs to.
pub fn dns_suffix(region: &str) -> &'static str {
    if region.starts_with("cn-") {
        "amazonaws.com.cn"
    } else if region.starts_with("us-isob-") {
        "sc2s.sgov.gov"
    } else if region.starts_with("us-iso-") {
        "c2s.ic.gov"
    } else {
        // aws and aws-us-gov share the suffix.
        "amazonaws.com"
    }
}

/// The configured endpoint URL for a service, in botocore's order: given explicitly (client, then
/// session), `AWS_ENDPOINT_URL_<SERVICE_ID>`, `AWS_ENDPOINT_URL`, then the profile's `endpoint_url`.
pub(crate) fn configured_url(
    explicit: Option<&str>,
    service: &Service,
    env: &Environment,
    files: &ProfileFiles,
    profile: &str,
) -> Option<String> {
    if let Some(u) = explicit {
        return Some(u.to_string());
    }
    if env
        .var("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS")
        .is_some_and(|v| v.eq_ignore_ascii_case("true"))
    {
        return None;
    }
    let id = service
        .service_id
        .to_ascii_uppercase()
        .replace([' ', '-'], "_");
    env.var(&format!("AWS_ENDPOINT_URL_{id}"))
        .or_else(|| env.var("AWS_ENDPOINT_URL"))
        .or_else(|| files.get(profile, "endpoint_url").map(str::to_string))
}

/// Resolves the endpoint for `service` in `region`, or the configured URL.
pub(crate) fn resolve(
    service: &Service,
    region: &str,
    configured: Option<String>,
) -> Result<Endpoint> {
    validate_region(region)?;
    let signing_region = service.global_region.unwrap_or(region).to_string();
    if let Some(url) = configured {
        validate_endpoint_url(&url)?;
        return Ok(Endpoint {
            url: url.trim_end_matches('/').to_string(),
            signing_region: region.to_string(),
            custom: true,
        });
    }
    let url = match service.global_region {
        Some(_) => format!("https://{}.{}", service.endpoint_prefix, dns_suffix(region)),
        // botocore's `us_east_1_regional_endpoint = legacy` for S3.
        None if service.name == "s3" && region == "us-east-1" => "https://s3.amazonaws.com".into(),
        None => format!(
            "https://{}.{}.{}",
            service.endpoint_prefix,
            region,
            dns_suffix(region)
        ),
    };
    Ok(Endpoint {
        url,
        signing_region,
        custom: false,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schema::Protocol;

    static EC2: Service = Service {
        name: "ec2",
        service_id: "EC2",
        api_version: "2016-11-15",
        endpoint_prefix: "ec2",
        signing_name: "ec2",
        protocol: Protocol::Ec2,
        json_version: None,
        target_prefix: None,
        xml_namespace: None,
        query_compatible: false,
        global_region: None,
        errors: &[],
    };

    #[test]
    fn partitions() {
        assert_eq!(
            resolve(&EC2, "us-east-1", None).unwrap().url,
            "https://ec2.us-east-1.amazonaws.com"
        );
        assert_eq!(
            resolve(&EC2, "cn-north-1", None).unwrap().url,
            "https://ec2.cn-north-1.amazonaws.com.cn"
        );
        assert_eq!(
            resolve(&EC2, "us-gov-west-1", None).unwrap().url,
            "https://ec2.us-gov-west-1.amazonaws.com"
        );
        let e = resolve(&EC2, "", None).unwrap_err();
        assert!(e.to_string().contains("invalid region"));
    }

    #[test]
    fn configured_urls() {
        let files = ProfileFiles::parse("[profile p]\nendpoint_url = http://profile:1\n", "");
        let env = Environment::from_vars([
            ("AWS_ENDPOINT_URL_EC2", "http://svc:2"),
            ("AWS_ENDPOINT_URL", "http://all:3"),
        ]);
        assert_eq!(
            configured_url(Some("http://x:4"), &EC2, &env, &files, "p").as_deref(),
            Some("http://x:4")
        );
        assert_eq!(
            configured_url(None, &EC2, &env, &files, "p").as_deref(),
            Some("http://svc:2")
        );
        let env2 = Environment::from_vars([("AWS_ENDPOINT_URL", "http://all:3")]);
        assert_eq!(
            configured_url(None, &EC2, &env2, &files, "p").as_deref(),
            Some("http://all:3")
        );
        let env3 = Environment::from_vars::<&str, &str>([]);
        assert_eq!(
            configured_url(None, &EC2, &env3, &files, "p").as_deref(),
            Some("http://profile:1")
        );
        let ep = resolve(&EC2, "us-east-1", Some("http://127.0.0.1:5000/".into())).unwrap();
        assert_eq!(ep.url, "http://127.0.0.1:5000");
        assert!(resolve(&EC2, "us-east-1", Some("ftp://x".into())).is_err());
        assert!(resolve(&EC2, "us-east-1", Some("http://h:99999".into())).is_err());
        assert!(resolve(&EC2, "us-east-1", Some("http://a b".into())).is_err());
    }
}
