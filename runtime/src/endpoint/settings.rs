//! Endpoint settings of a session, and the values of the rule sets' built-in parameters they
//! give a client, with botocore's sources and precedence: the builder, then the environment,
//! then the profile.

use super::rules::Value;
use crate::auth::config::{Environment, ProfileFiles};
use crate::error::{Error, Result};

/// How S3 puts the bucket in the URL.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AddressingStyle {
    /// Virtual-hosted where the bucket name allows it, else path style (botocore's `auto`); path
    /// style for a custom endpoint URL.
    Auto,
    /// Always in the path (`https://s3.region.amazonaws.com/bucket/key`).
    Path,
    /// Always in the host (`https://bucket.s3.region.amazonaws.com/key`).
    Virtual,
}

/// Endpoint settings given to the session builder; each one left unset is read from the
/// environment, then the profile.
#[derive(Debug, Clone, Default)]
pub struct EndpointSettings {
    /// FIPS endpoints (`AWS_USE_FIPS_ENDPOINT`, profile `use_fips_endpoint`).
    pub use_fips_endpoint: Option<bool>,
    /// Dual-stack endpoints (`AWS_USE_DUALSTACK_ENDPOINT`, profile `use_dualstack_endpoint`;
    /// for S3 also the profile's `s3.use_dualstack_endpoint`).
    pub use_dualstack_endpoint: Option<bool>,
    /// S3 addressing (profile `s3.addressing_style`).
    pub s3_addressing_style: Option<AddressingStyle>,
    /// S3 Transfer Acceleration (profile `s3.use_accelerate_endpoint`).
    pub s3_use_accelerate_endpoint: Option<bool>,
    /// Use the region of an ARN bucket (`AWS_S3_USE_ARN_REGION`, profile `s3_use_arn_region`).
    pub s3_use_arn_region: Option<bool>,
    /// `legacy` (S3 in us-east-1 uses `s3.amazonaws.com`) or `regional`
    /// (`AWS_S3_US_EAST_1_REGIONAL_ENDPOINT`, profile `s3_us_east_1_regional_endpoint`).
    pub s3_us_east_1_regional_endpoint: Option<String>,
    /// Refuse Multi-Region Access Points (`AWS_S3_DISABLE_MULTIREGION_ACCESS_POINTS`, profile
    /// `s3.s3_disable_multiregion_access_points`).
    pub s3_disable_multiregion_access_points: Option<bool>,
    /// Sign S3 Express directory buckets with plain SigV4 instead of session credentials
    /// (`AWS_S3_DISABLE_EXPRESS_SESSION_AUTH`, profile `s3_disable_express_session_auth`).
    pub s3_disable_express_session_auth: Option<bool>,
    /// `regional` (default) or `legacy` (STS in the legacy regions uses `sts.amazonaws.com`)
    /// (`AWS_STS_REGIONAL_ENDPOINTS`, profile `sts_regional_endpoints`).
    pub sts_regional_endpoints: Option<String>,
    /// `preferred` (default), `required` or `disabled`: whether endpoints carry the account id
    /// (`AWS_ACCOUNT_ID_ENDPOINT_MODE`, profile `account_id_endpoint_mode`).
    pub account_id_endpoint_mode: Option<String>,
}

/// The regions where `sts_regional_endpoints = legacy` means the global endpoint (botocore's
/// list).
const LEGACY_GLOBAL_STS_REGIONS: &[&str] = &[
    "ap-northeast-1",
    "ap-south-1",
    "ap-southeast-1",
    "ap-southeast-2",
    "aws-global",
    "ca-central-1",
    "eu-central-1",
    "eu-north-1",
    "eu-west-1",
    "eu-west-2",
    "eu-west-3",
    "sa-east-1",
    "us-east-1",
    "us-east-2",
    "us-west-1",
    "us-west-2",
];

/// Where settings are read from, in order.
pub(crate) struct Sources<'a> {
    pub env: &'a Environment,
    pub files: &'a ProfileFiles,
    pub profile: &'a str,
}

impl Sources<'_> {
    /// The first of the environment variable and the profile keys that is set.
    fn text(&self, var: Option<&str>, keys: &[&str]) -> Option<String> {
        var.and_then(|v| self.env.var(v).filter(|s| !s.is_empty()))
            .or_else(|| {
                keys.iter()
                    .find_map(|k| self.files.get(self.profile, k).map(str::to_string))
            })
    }

    /// A boolean setting: botocore's `ensure_boolean` (only `true`, in any case, is true).
    fn flag(&self, given: Option<bool>, var: Option<&str>, keys: &[&str]) -> Option<bool> {
        given.or_else(|| {
            self.text(var, keys)
                .map(|v| v.trim().eq_ignore_ascii_case("true"))
        })
    }

    /// A setting with a fixed set of values.
    fn choice(
        &self,
        given: &Option<String>,
        var: &str,
        keys: &[&str],
        allowed: &[&str],
    ) -> Result<Option<String>> {
        let v = given.clone().or_else(|| self.text(Some(var), keys));
        match v {
            Some(v) if !allowed.contains(&v.as_str()) => Err(Error::config(format!(
                "{} must be one of {}, got {v:?}",
                keys[0],
                allowed.join(", ")
            ))),
            v => Ok(v),
        }
    }
}

/// What a client's built-in parameters are, before any operation adds its own.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct Builtins {
    values: Vec<(&'static str, Value)>,
    /// Client context parameters the configuration sets (botocore passes S3's settings this
    /// way): given per client, they win over these.
    pub(crate) client_context: Vec<(String, Value)>,
}

impl Builtins {
    /// The value of built-in `name` (`AWS::Region`), if it has one.
    pub fn get(&self, name: &str) -> Option<&Value> {
        self.values.iter().find(|(n, _)| *n == name).map(|(_, v)| v)
    }
}

/// The built-in values for a client of `service_name` in `region`, with `endpoint_url` the
/// configured endpoint (given or from the environment/profile).
pub(crate) fn builtins(
    s: &EndpointSettings,
    src: &Sources,
    service_name: &str,
    region: Option<&str>,
    endpoint_url: Option<&str>,
) -> Result<Builtins> {
    let mut v: Vec<(&'static str, Value)> = Vec::new();
    if let Some(r) = region {
        v.push(("AWS::Region", Value::Str(r.to_string())));
    }
    let s3 = matches!(service_name, "s3" | "s3control");
    // An endpoint URL cannot be combined with FIPS or dual-stack (botocore sets both false).
    let custom = endpoint_url.is_some();
    let fips = !custom
        && src
            .flag(
                s.use_fips_endpoint,
                Some("AWS_USE_FIPS_ENDPOINT"),
                &["use_fips_endpoint"],
            )
            .unwrap_or(false);
    // The profile's `s3.use_dualstack_endpoint` only ever turns dual-stack on (botocore).
    let dual_from_s3 = if s3 && s.use_dualstack_endpoint.is_none() {
        src.flag(None, None, &["s3.use_dualstack_endpoint"])
            .filter(|on| *on)
    } else {
        None
    };
    let dual = !custom
        && dual_from_s3
            .or_else(|| {
                src.flag(
                    s.use_dualstack_endpoint,
                    Some("AWS_USE_DUALSTACK_ENDPOINT"),
                    &["use_dualstack_endpoint"],
                )
            })
            .unwrap_or(false);
    v.push(("AWS::UseFIPS", Value::Bool(fips)));
    v.push(("AWS::UseDualStack", Value::Bool(dual)));
    if let Some(u) = endpoint_url {
        v.push(("SDK::Endpoint", Value::Str(u.to_string())));
    }
    let accelerate = src
        .flag(
            s.s3_use_accelerate_endpoint,
            None,
            &["s3.use_accelerate_endpoint"],
        )
        .unwrap_or(false);
    let style = match s.s3_addressing_style {
        Some(a) => a,
        None => match src.text(None, &["s3.addressing_style"]).as_deref() {
            Some("path") => AddressingStyle::Path,
            Some("virtual") => AddressingStyle::Virtual,
            Some("auto") | None => AddressingStyle::Auto,
            Some(other) => {
                return Err(Error::config(format!(
                    "s3.addressing_style must be auto, path or virtual, got {other:?}"
                )))
            }
        },
    };
    // botocore: accelerate never uses path style; a custom endpoint URL (not an accelerate
    // one) uses path style unless virtual is asked for.
    let force_path_style = if accelerate {
        false
    } else if endpoint_url.is_some_and(|u| !is_s3_accelerate_url(u)) {
        style != AddressingStyle::Virtual
    } else {
        style == AddressingStyle::Path
    };
    v.push(("AWS::S3::Accelerate", Value::Bool(accelerate)));
    v.push(("AWS::S3::ForcePathStyle", Value::Bool(force_path_style)));
    let arn_region = src.flag(
        s.s3_use_arn_region,
        Some("AWS_S3_USE_ARN_REGION"),
        &["s3_use_arn_region", "s3.use_arn_region"],
    );
    v.push((
        "AWS::S3::UseArnRegion",
        Value::Bool(arn_region.unwrap_or(true)),
    ));
    v.push((
        "AWS::S3Control::UseArnRegion",
        Value::Bool(arn_region.unwrap_or(false)),
    ));
    let us_east_1 = src
        .choice(
            &s.s3_us_east_1_regional_endpoint,
            "AWS_S3_US_EAST_1_REGIONAL_ENDPOINT",
            &[
                "s3_us_east_1_regional_endpoint",
                "s3.us_east_1_regional_endpoint",
            ],
            &["legacy", "regional"],
        )?
        .unwrap_or_else(|| "legacy".into());
    v.push((
        "AWS::S3::UseGlobalEndpoint",
        Value::Bool(us_east_1 == "legacy" && matches!(region, Some("us-east-1") | None)),
    ));
    let mrap = src
        .flag(
            s.s3_disable_multiregion_access_points,
            Some("AWS_S3_DISABLE_MULTIREGION_ACCESS_POINTS"),
            &["s3.s3_disable_multiregion_access_points"],
        )
        .unwrap_or(false);
    v.push(("AWS::S3::DisableMultiRegionAccessPoints", Value::Bool(mrap)));
    // Not a built-in: S3's rule set takes it as the client context parameter
    // `DisableS3ExpressSessionAuth`, which botocore fills from this setting.
    let mut client_context = Vec::new();
    if let Some(d) = src.flag(
        s.s3_disable_express_session_auth,
        Some("AWS_S3_DISABLE_EXPRESS_SESSION_AUTH"),
        &["s3_disable_express_session_auth"],
    ) {
        if s3 {
            client_context.push(("DisableS3ExpressSessionAuth".to_string(), Value::Bool(d)));
        }
    }
    let sts = src
        .choice(
            &s.sts_regional_endpoints,
            "AWS_STS_REGIONAL_ENDPOINTS",
            &["sts_regional_endpoints"],
            &["legacy", "regional"],
        )?
        .unwrap_or_else(|| "regional".into());
    let sts_global = !custom
        && sts == "legacy"
        && region.is_some_and(|r| LEGACY_GLOBAL_STS_REGIONS.contains(&r));
    v.push(("AWS::STS::UseGlobalEndpoint", Value::Bool(sts_global)));
    let mode = src
        .choice(
            &s.account_id_endpoint_mode,
            "AWS_ACCOUNT_ID_ENDPOINT_MODE",
            &["account_id_endpoint_mode"],
            &["preferred", "disabled", "required"],
        )?
        .unwrap_or_else(|| "preferred".into());
    v.push(("AWS::Auth::AccountIdEndpointMode", Value::Str(mode)));
    Ok(Builtins {
        values: v,
        client_context,
    })
}

/// botocore's `is_s3_accelerate_url`: an `s3-accelerate` host under `amazonaws.com`.
fn is_s3_accelerate_url(url: &str) -> bool {
    let host = url
        .split_once("://")
        .map_or(url, |(_, r)| r)
        .split(['/', '?', ':'])
        .next()
        .unwrap_or("");
    if !host.ends_with("amazonaws.com") {
        return false;
    }
    let parts: Vec<&str> = host.split('.').collect();
    let labels = &parts[..parts.len().saturating_sub(2)];
    labels.first() == Some(&"s3-accelerate")
        && labels[1..]
            .iter()
            .all(|l| *l == "dualstack" || *l == "s3-accelerate")
        && labels.iter().filter(|l| **l == "dualstack").count() <= 1
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(
        settings: EndpointSettings,
        vars: &[(&str, &str)],
        config: &str,
        svc: &str,
        region: &str,
        url: Option<&str>,
    ) -> Builtins {
        let env = Environment::from_vars(vars.iter().copied());
        let files = ProfileFiles::parse(config, "");
        let src = Sources {
            env: &env,
            files: &files,
            profile: "default",
        };
        builtins(&settings, &src, svc, Some(region), url).unwrap()
    }

    fn flag(b: &Builtins, name: &str) -> bool {
        b.get(name) == Some(&Value::Bool(true))
    }

    #[test]
    fn builder_then_environment_then_profile() {
        let profile = "[default]\nuse_fips_endpoint = true\nuse_dualstack_endpoint = false\n";
        let b = run(
            EndpointSettings::default(),
            &[],
            profile,
            "ec2",
            "us-west-2",
            None,
        );
        assert!(flag(&b, "AWS::UseFIPS"));
        let b = run(
            EndpointSettings::default(),
            &[
                ("AWS_USE_FIPS_ENDPOINT", "false"),
                ("AWS_USE_DUALSTACK_ENDPOINT", "TRUE"),
            ],
            profile,
            "ec2",
            "us-west-2",
            None,
        );
        assert!(!flag(&b, "AWS::UseFIPS"));
        assert!(flag(&b, "AWS::UseDualStack"));
        let s = EndpointSettings {
            use_fips_endpoint: Some(true),
            ..Default::default()
        };
        let b = run(
            s,
            &[("AWS_USE_FIPS_ENDPOINT", "false")],
            "",
            "ec2",
            "us-west-2",
            None,
        );
        assert!(flag(&b, "AWS::UseFIPS"));
        // An endpoint URL turns both off, as in botocore.
        let b = run(
            EndpointSettings::default(),
            &[("AWS_USE_FIPS_ENDPOINT", "true")],
            "",
            "ec2",
            "us-west-2",
            Some("http://127.0.0.1:5000"),
        );
        assert!(!flag(&b, "AWS::UseFIPS"));
        assert_eq!(
            b.get("SDK::Endpoint"),
            Some(&Value::Str("http://127.0.0.1:5000".into()))
        );
    }

    #[test]
    fn s3_and_sts_settings() {
        let b = run(
            EndpointSettings::default(),
            &[],
            "",
            "s3",
            "us-east-1",
            None,
        );
        assert!(flag(&b, "AWS::S3::UseGlobalEndpoint"));
        assert!(!flag(&b, "AWS::S3::ForcePathStyle"));
        assert!(flag(&b, "AWS::S3::UseArnRegion"));
        assert!(!flag(&b, "AWS::S3Control::UseArnRegion"));
        let b = run(
            EndpointSettings::default(),
            &[],
            "[default]\ns3 =\n  addressing_style = path\n  use_dualstack_endpoint = true\n",
            "s3",
            "eu-west-1",
            None,
        );
        assert!(flag(&b, "AWS::S3::ForcePathStyle"));
        assert!(flag(&b, "AWS::UseDualStack"));
        assert!(!flag(&b, "AWS::S3::UseGlobalEndpoint"));
        // A custom endpoint means path style unless virtual is asked for.
        let b = run(
            EndpointSettings::default(),
            &[],
            "",
            "s3",
            "eu-west-1",
            Some("http://127.0.0.1:9000"),
        );
        assert!(flag(&b, "AWS::S3::ForcePathStyle"));
        let b = run(
            EndpointSettings::default(),
            &[("AWS_STS_REGIONAL_ENDPOINTS", "legacy")],
            "",
            "sts",
            "eu-west-1",
            None,
        );
        assert!(flag(&b, "AWS::STS::UseGlobalEndpoint"));
        let b = run(
            EndpointSettings::default(),
            &[("AWS_STS_REGIONAL_ENDPOINTS", "legacy")],
            "",
            "sts",
            "af-south-1",
            None,
        );
        assert!(!flag(&b, "AWS::STS::UseGlobalEndpoint"));
        let env = Environment::from_vars([("AWS_STS_REGIONAL_ENDPOINTS", "global")]);
        let files = ProfileFiles::parse("", "");
        let src = Sources {
            env: &env,
            files: &files,
            profile: "default",
        };
        let e = builtins(
            &EndpointSettings::default(),
            &src,
            "sts",
            Some("us-east-1"),
            None,
        )
        .unwrap_err();
        assert!(
            e.to_string()
                .contains("sts_regional_endpoints must be one of legacy, regional"),
            "{e}"
        );
        assert!(is_s3_accelerate_url(
            "https://s3-accelerate.dualstack.amazonaws.com"
        ));
        assert!(!is_s3_accelerate_url("https://s3.amazonaws.com"));
    }
}
