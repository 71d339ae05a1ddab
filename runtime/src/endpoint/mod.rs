//! Endpoint resolution: which URL a client sends to, and how it signs, from the service's
//! endpoint rule set ([`rules`]), its built-in parameters filled from the configuration
//! ([`settings`]) and the operation's context parameters. Results are cached per parameter set.

pub mod discovery;
pub mod functions;
pub mod partition;
mod resolver;
pub mod rules;
pub mod settings;

pub use partition::{partition_of, partitions, Partition};
pub use resolver::{AuthPreference, AuthScheme, Endpoint, Resolver, SchemeKind};
pub use rules::{ParamSource, ResolvedEndpoint, Value};
pub use settings::EndpointSettings;

use crate::auth::config::{Environment, ProfileFiles};
use crate::error::{Error, Result};
use crate::schema::Service;

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
        rules: None,
        client_context_params: &[],
        errors: &[],
        auth: &[crate::schema::AuthOption::SigV4],
        timestamp_millis: false,
        discovery: None,
    };

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
        assert!(validate_endpoint_url("http://127.0.0.1:5000/").is_ok());
        assert!(validate_endpoint_url("ftp://x").is_err());
        assert!(validate_endpoint_url("http://h:99999").is_err());
        assert!(validate_endpoint_url("http://a b").is_err());
        assert!(validate_region("").is_err());
    }
}
