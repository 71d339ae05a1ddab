//! A client's endpoint resolver: the rule set's parameters filled from the client's built-ins
//! and context, the operation's context parameters added per call, results cached per parameter
//! set, and the chosen endpoint turned into what a request needs (URL, headers, how to sign).

use super::rules::{ParamSource, ResolvedEndpoint, RuleError, RuleSet, Value};
use super::settings::Builtins;
use crate::document::Document;
use crate::error::{Error, Result};
use crate::schema::{Operation, Service};
use crate::value::{Structure, ValueRef};
use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, Mutex};

/// How a request to an endpoint is signed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SchemeKind {
    /// SigV4.
    SigV4,
    /// SigV4a, over a set of regions.
    SigV4a,
    /// S3 Express One Zone: SigV4 with session credentials of the directory bucket.
    S3Express,
    /// Not signed.
    None,
    /// A bearer token in `Authorization` (the service's model asks for `smithy.api#httpBearerAuth`).
    Bearer,
}

/// botocore's `auth_scheme_preference`: auth scheme names, most preferred first, as written
/// after the `#` of the models' names (`sigv4`, `sigv4a`, `httpBearerAuth`, `noAuth`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AuthPreference {
    names: Vec<String>,
    /// Given to the session builder rather than read from the environment or a profile
    /// (botocore's "set in code"): a bearer token variable then does not override the choice.
    pub(crate) in_code: bool,
}

impl AuthPreference {
    /// Parses a comma-separated list; blanks inside names are dropped and empty items skipped, as
    /// botocore does.
    pub(crate) fn parse(list: &str, in_code: bool) -> AuthPreference {
        let names = list
            .split(',')
            .map(|n| {
                n.chars()
                    .filter(|c| *c != ' ' && *c != '\t')
                    .collect::<String>()
            })
            .filter(|n| !n.trim().is_empty())
            .collect();
        AuthPreference { names, in_code }
    }

    /// Whether any scheme is preferred.
    pub(crate) fn is_set(&self) -> bool {
        !self.names.is_empty()
    }

    /// The indices of `offered` (scheme names) in the order to try them: the preferred names the
    /// service offers, in preference order, then the rest in the service's order.
    fn order<'a>(&self, offered: impl Iterator<Item = &'a str> + Clone) -> Vec<usize> {
        let mut order: Vec<usize> = Vec::new();
        for p in &self.names {
            if let Some(i) = offered.clone().position(|o| o == p) {
                if !order.contains(&i) {
                    order.push(i);
                }
            }
        }
        for i in 0..offered.count() {
            if !order.contains(&i) {
                order.push(i);
            }
        }
        order
    }
}

/// The auth scheme a service's model prefers: the first of its `auth` list that boto-rs
/// supports, taken in the order of the `auth_scheme_preference` (SigV4a signs for every region,
/// `*`), or why there is none.
pub(crate) fn model_scheme(
    service: &Service,
    prefs: &AuthPreference,
) -> std::result::Result<(SchemeKind, Vec<String>), String> {
    use crate::schema::AuthOption;
    let name = |a: &AuthOption| -> &'static str {
        match a {
            AuthOption::SigV4 => "sigv4",
            AuthOption::SigV4a => "sigv4a",
            AuthOption::Bearer => "httpBearerAuth",
            AuthOption::NoAuth => "noAuth",
            AuthOption::Unsupported(n) => n,
        }
    };
    for i in prefs.order(service.auth.iter().map(name)) {
        match service.auth[i] {
            AuthOption::SigV4 => return Ok((SchemeKind::SigV4, Vec::new())),
            AuthOption::SigV4a => return Ok((SchemeKind::SigV4a, vec!["*".to_string()])),
            AuthOption::Bearer => return Ok((SchemeKind::Bearer, Vec::new())),
            AuthOption::NoAuth => return Ok((SchemeKind::None, Vec::new())),
            AuthOption::Unsupported(_) => {}
        }
    }
    let names: Vec<&str> = service
        .auth
        .iter()
        .filter_map(|a| match a {
            AuthOption::Unsupported(n) => Some(*n),
            _ => None,
        })
        .collect();
    if names.is_empty() {
        // A service model without `auth` or `signatureVersion`: SigV4, as botocore assumes.
        return Ok((SchemeKind::SigV4, Vec::new()));
    }
    Err(format!(
        "{} signs requests with {}, which boto-rs does not support",
        service.name,
        names.join(", ")
    ))
}

/// The auth scheme an endpoint chose (the first supported one of its `authSchemes`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuthScheme {
    /// How to sign.
    pub kind: SchemeKind,
    /// The service name in the credential scope.
    pub signing_name: String,
    /// The region in the credential scope (SigV4, S3 Express).
    pub signing_region: String,
    /// The regions a SigV4a signature is valid in (`*` for all).
    pub region_set: Vec<String>,
    /// The path is not encoded a second time when signing (S3).
    pub disable_double_encoding: bool,
}

/// Where a request goes and how it is signed.
#[derive(Debug, Clone, PartialEq)]
pub struct Endpoint {
    /// `scheme://host[:port][/path]`: the operation's request path joins its path.
    pub url: String,
    /// Headers the endpoint asks for.
    pub headers: Vec<(String, String)>,
    /// How to sign.
    pub auth: AuthScheme,
    /// The endpoint URL was configured (`endpoint_url`), not found by the rules: S3 region
    /// redirects are not followed.
    pub custom: bool,
    /// Every property of the endpoint (`authSchemes`, `backend`, ...).
    pub properties: BTreeMap<String, Document>,
}

/// The cache of endpoints by parameter set (botocore keeps 100).
const CACHE_LIMIT: usize = 256;

/// One client's endpoint resolution.
pub struct Resolver {
    service: &'static Service,
    rules: Option<&'static RuleSet>,
    region: Option<String>,
    configured: Option<String>,
    /// The value of each parameter before an operation adds its own.
    base: Vec<Option<Value>>,
    /// Which parameters a client context parameter set (built-in overrides leave them alone).
    from_client: Vec<bool>,
    /// Which parameters the rules read at all: the others cannot change the endpoint, so an
    /// operation's values for them (S3's `Key`) stay out of the cache key.
    read: Vec<bool>,
    /// The rule set takes the account id of the credentials (`AWS::Auth::AccountId`).
    uses_account_id: bool,
    /// The endpoint for the base values, found once.
    base_endpoint: std::result::Result<Arc<Endpoint>, String>,
    /// The client's configuration is unusable (no region, a bad endpoint URL or setting): every
    /// call fails with `base_endpoint`'s error, whatever its parameters.
    config_error: bool,
    cache: Mutex<HashMap<Vec<Option<Value>>, Arc<Endpoint>>>,
    /// The session's `auth_scheme_preference`.
    prefs: AuthPreference,
}

impl std::fmt::Debug for Resolver {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Resolver")
            .field("service", &self.service.name)
            .field("region", &self.region)
            .field("endpoint", &self.base_endpoint)
            .finish_non_exhaustive()
    }
}

impl Resolver {
    /// The resolver of a client of `service` in `region`, with the configured endpoint URL (if
    /// any), the built-in values and the client context parameters the user set.
    pub(crate) fn new(
        service: &'static Service,
        region: Option<String>,
        configured: Option<String>,
        builtins: &Builtins,
        client_params: &[(String, Value)],
        prefs: AuthPreference,
    ) -> Resolver {
        if let Some(unknown) = client_params
            .iter()
            .find(|(n, _)| !service.client_context_params.contains(&n.as_str()))
        {
            let known = if service.client_context_params.is_empty() {
                "it has none".to_string()
            } else {
                format!("it has {}", service.client_context_params.join(", "))
            };
            return Resolver::failed(
                service,
                region,
                format!(
                    "{} has no client context parameter {:?}; {known}",
                    service.name, unknown.0
                ),
            );
        }
        let rules = service.rules;
        let mut base = Vec::new();
        let mut from_client = Vec::new();
        if let Some(rs) = rules {
            for p in rs.params {
                let ctx = service
                    .client_context_params
                    .contains(&p.name)
                    .then(|| {
                        client_params
                            .iter()
                            .chain(&builtins.client_context)
                            .find(|(n, _)| n == p.name)
                    })
                    .flatten()
                    .map(|(_, v)| v.clone());
                from_client.push(ctx.is_some());
                base.push(ctx.or_else(|| p.built_in.and_then(|b| builtins.get(b).cloned())));
            }
        }
        let mut r = Resolver {
            service,
            rules,
            region,
            configured,
            base,
            from_client,
            read: rules.map(RuleSet::params_read).unwrap_or_default(),
            uses_account_id: rules.is_some_and(|rs| {
                rs.params
                    .iter()
                    .any(|p| p.built_in == Some("AWS::Auth::AccountId"))
            }),
            base_endpoint: Err(String::new()),
            config_error: false,
            cache: Mutex::new(HashMap::new()),
            prefs,
        };
        r.base_endpoint = r.first_endpoint();
        r
    }

    /// A resolver whose configuration is unusable: every call reports `message`.
    pub(crate) fn failed(
        service: &'static Service,
        region: Option<String>,
        message: String,
    ) -> Resolver {
        Resolver {
            service,
            rules: None,
            region,
            configured: None,
            base: Vec::new(),
            from_client: Vec::new(),
            read: Vec::new(),
            uses_account_id: false,
            base_endpoint: Err(message),
            config_error: true,
            cache: Mutex::new(HashMap::new()),
            prefs: AuthPreference::default(),
        }
    }

    fn first_endpoint(&mut self) -> std::result::Result<Arc<Endpoint>, String> {
        // Only a rule set's own verdict may change with an operation's parameters.
        self.config_error = true;
        let Some(region) = &self.region else {
            return Err(format!(
                "no region for {}: pass .region(..) to the session builder, or set AWS_REGION or a region in the profile",
                self.service.name
            ));
        };
        super::validate_region(region).map_err(|e| e.to_string())?;
        if let Some(u) = &self.configured {
            super::validate_endpoint_url(u).map_err(|e| e.to_string())?;
        }
        self.config_error = false;
        match self.rules {
            Some(_) => self.evaluate(&self.base).map_err(|e| e.to_string()),
            None => match &self.configured {
                Some(url) => {
                    let (kind, region_set) = model_scheme(self.service, &self.prefs)?;
                    Ok(Arc::new(Endpoint {
                        url: url.trim_end_matches('/').to_string(),
                        headers: Vec::new(),
                        auth: AuthScheme {
                            kind,
                            signing_name: self.service.signing_name.to_string(),
                            signing_region: region.clone(),
                            region_set,
                            disable_double_encoding: false,
                        },
                        custom: true,
                        properties: BTreeMap::new(),
                    }))
                }
                None => Err(format!(
                    "{} has no endpoint rule set: give it an endpoint_url",
                    self.service.name
                )),
            },
        }
    }

    /// The client's region.
    pub fn region(&self) -> Option<&str> {
        self.region.as_deref()
    }

    /// The endpoint of the client before any operation adds its parameters (or the
    /// configuration error that keeps it from having one).
    pub fn base(&self) -> Result<&Endpoint> {
        self.base_endpoint
            .as_deref()
            .map_err(|m| Error::config(m.clone()))
    }

    /// The rule set's parameters with the client's values (`None` where unset).
    pub fn params(&self) -> Vec<(&'static str, Option<Value>)> {
        match self.rules {
            Some(rs) => rs
                .params
                .iter()
                .zip(&self.base)
                .map(|(p, v)| (p.name, v.clone()))
                .collect(),
            None => Vec::new(),
        }
    }

    /// Whether the rule set takes the account id of the credentials.
    pub fn uses_account_id(&self) -> bool {
        self.uses_account_id
    }

    /// Whether the endpoint URL was configured (`endpoint_url` and its sources).
    pub fn is_custom(&self) -> bool {
        self.configured.is_some()
    }

    /// The endpoint of one call of `op`: its context parameters from `input`, built-in
    /// overrides for this call (`AWS::S3::ForcePathStyle`), the account id of the credentials,
    /// and `region` in place of the client's (S3's region redirect).
    pub fn resolve(
        &self,
        op: &Operation,
        input: Option<&dyn Structure>,
        overrides: &[(&'static str, Value)],
        account_id: Option<&str>,
        region: Option<&str>,
    ) -> Result<Arc<Endpoint>> {
        let base = || {
            self.base_endpoint
                .clone()
                .map_err(|m| Error::config(m.clone()))
        };
        let Some(rs) = self.rules else {
            return base();
        };
        if self.config_error
            || (op.endpoint_params.is_empty()
                && overrides.is_empty()
                && region.is_none()
                && (account_id.is_none() || !self.uses_account_id()))
        {
            return base();
        }
        let mut values = self.base.clone();
        let mut set_by_op = vec![false; values.len()];
        for (name, src) in op.endpoint_params {
            let Some(i) = rs.param_index(name) else {
                continue;
            };
            if set_by_op[i] || !self.read[i] {
                continue;
            }
            if let Some(v) = context_value(src, input) {
                values[i] = Some(v);
                set_by_op[i] = true;
            }
        }
        for (i, p) in rs.params.iter().enumerate() {
            if set_by_op[i] || self.from_client[i] {
                continue;
            }
            let Some(b) = p.built_in else { continue };
            if let Some((_, v)) = overrides.iter().find(|(n, _)| *n == b) {
                values[i] = Some(v.clone());
            }
            match (b, region, account_id) {
                ("AWS::Region", Some(r), _) => values[i] = Some(Value::Str(r.to_string())),
                ("AWS::Auth::AccountId", _, Some(a)) => values[i] = Some(Value::Str(a.to_string())),
                _ => {}
            }
        }
        if values == self.base {
            return base();
        }
        if let Some(e) = self.cache.lock().ok().and_then(|c| c.get(&values).cloned()) {
            return Ok(e);
        }
        let e = self.evaluate(&values).map_err(Error::config)?;
        if let Ok(mut c) = self.cache.lock() {
            if c.len() >= CACHE_LIMIT {
                c.clear();
            }
            c.insert(values, e.clone());
        }
        Ok(e)
    }

    /// The endpoint for explicit parameter values over the client's own (nothing is sent).
    pub fn resolve_with(&self, params: &[(&str, Value)]) -> Result<Endpoint> {
        let Some(rs) = self.rules.filter(|_| !self.config_error) else {
            return self.base().cloned();
        };
        let mut values = self.base.clone();
        for (name, v) in params {
            let i = rs.param_index(name).ok_or_else(|| {
                Error::validation(format!(
                    "{} has no endpoint parameter {name:?}; it has: {}",
                    self.service.name,
                    rs.params
                        .iter()
                        .map(|p| p.name)
                        .collect::<Vec<_>>()
                        .join(", ")
                ))
            })?;
            values[i] = Some(v.clone());
        }
        self.evaluate(&values)
            .map(|e| (*e).clone())
            .map_err(Error::config)
    }

    fn evaluate(&self, values: &[Option<Value>]) -> std::result::Result<Arc<Endpoint>, String> {
        let rs = self.rules.ok_or("no rule set")?;
        let resolved = rs.evaluate(values).map_err(|e: RuleError| {
            format!("cannot resolve the endpoint of {}: {e}", self.service.name)
        })?;
        let region = rs
            .params
            .iter()
            .zip(values)
            .find(|(p, _)| p.built_in == Some("AWS::Region"))
            .and_then(|(_, v)| match v {
                Some(Value::Str(s)) => Some(s.clone()),
                _ => None,
            })
            .or_else(|| self.region.clone())
            .unwrap_or_default();
        let custom = self.configured.is_some();
        endpoint_from(self.service, resolved, &region, custom, &self.prefs).map(Arc::new)
    }
}

/// The value an operation's input gives a parameter.
fn context_value(src: &ParamSource, input: Option<&dyn Structure>) -> Option<Value> {
    match src {
        ParamSource::Static(e) => super::rules::literal_value(e),
        ParamSource::Member(name) => {
            let input = input?;
            let i = input.shape().member_index(name)?;
            from_value_ref(input.field(i).get())
        }
        ParamSource::Path(expr) => from_json(&expr.search(input?).to_json()),
    }
}

fn from_value_ref(v: ValueRef) -> Option<Value> {
    match v {
        ValueRef::Str(s) => Some(Value::Str(s.to_string())),
        ValueRef::Bool(b) => Some(Value::Bool(b)),
        ValueRef::List(l) => Some(Value::Array(
            (0..l.len())
                .filter_map(|i| from_value_ref(l.get(i).get()))
                .collect(),
        )),
        _ => None,
    }
}

fn from_json(j: &serde_json::Value) -> Option<Value> {
    match j {
        serde_json::Value::String(s) => Some(Value::Str(s.clone())),
        serde_json::Value::Bool(b) => Some(Value::Bool(*b)),
        serde_json::Value::Array(a) => Some(Value::Array(a.iter().filter_map(from_json).collect())),
        _ => None,
    }
}

/// The endpoint a rule set gave, with its auth scheme chosen as botocore does: the first of
/// `authSchemes` that is supported, taken in the order of the `auth_scheme_preference`; the
/// model's scheme for the service and region when there are none.
pub(crate) fn endpoint_from(
    service: &Service,
    e: ResolvedEndpoint,
    region: &str,
    custom: bool,
    prefs: &AuthPreference,
) -> std::result::Result<Endpoint, String> {
    let (kind, region_set) = model_scheme(service, prefs)?;
    let mut auth = AuthScheme {
        kind,
        signing_name: service.signing_name.to_string(),
        signing_region: region.to_string(),
        region_set,
        disable_double_encoding: false,
    };
    if let Some(Document::Array(schemes)) = e.properties.get("authSchemes") {
        let offered: Vec<(&str, &BTreeMap<String, Document>)> = schemes
            .iter()
            .filter_map(|s| match s {
                Document::Object(o) => match o.get("name") {
                    Some(Document::String(n)) => Some((n.rsplit('#').next().unwrap_or(n), o)),
                    _ => None,
                },
                _ => None,
            })
            .collect();
        let names: Vec<&str> = offered.iter().map(|(n, _)| *n).collect();
        let chosen = prefs
            .order(names.iter().copied())
            .into_iter()
            .find_map(|i| {
                let (name, o) = offered[i];
                let kind = match name {
                    "sigv4" => SchemeKind::SigV4,
                    "sigv4a" => SchemeKind::SigV4a,
                    "sigv4-s3express" => SchemeKind::S3Express,
                    "none" => SchemeKind::None,
                    _ => return None,
                };
                Some((kind, o))
            });
        let Some((kind, o)) = chosen else {
            return Err(format!(
                "the endpoint asks for auth schemes boto-rs does not support: {}",
                names.join(", ")
            ));
        };
        auth.kind = kind;
        if let Some(Document::String(n)) = o.get("signingName") {
            auth.signing_name = n.clone();
        }
        if let Some(Document::String(r)) = o.get("signingRegion") {
            auth.signing_region = r.clone();
        }
        if let Some(Document::Array(set)) = o.get("signingRegionSet") {
            auth.region_set = set
                .iter()
                .filter_map(|r| match r {
                    Document::String(s) => Some(s.clone()),
                    _ => None,
                })
                .collect();
        }
        if let Some(Document::Bool(b)) = o.get("disableDoubleEncoding") {
            auth.disable_double_encoding = *b;
        }
    }
    Ok(Endpoint {
        url: e.url,
        headers: e
            .headers
            .into_iter()
            .filter_map(|(k, mut v)| (!v.is_empty()).then(|| (k, v.swap_remove(0))))
            .collect(),
        auth,
        custom,
        properties: e.properties,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schema::{AuthOption, Protocol};

    fn service(auth: &'static [AuthOption]) -> Service {
        Service {
            name: "svc",
            service_id: "Svc",
            api_version: "2020-01-01",
            endpoint_prefix: "svc",
            signing_name: "svc",
            protocol: Protocol::Json,
            json_version: None,
            target_prefix: None,
            xml_namespace: None,
            query_compatible: false,
            rules: None,
            client_context_params: &[],
            errors: &[],
            auth,
            timestamp_millis: false,
            discovery: None,
        }
    }

    #[test]
    fn the_first_supported_scheme_of_the_model_is_chosen() {
        let kind = |auth| {
            model_scheme(&service(auth), &AuthPreference::default())
                .map(|(k, set)| (k, set.join(",")))
        };
        assert_eq!(
            kind(&[AuthOption::SigV4]),
            Ok((SchemeKind::SigV4, "".into()))
        );
        assert_eq!(
            kind(&[AuthOption::SigV4a, AuthOption::SigV4]),
            Ok((SchemeKind::SigV4a, "*".into()))
        );
        assert_eq!(
            kind(&[AuthOption::Unsupported("v2"), AuthOption::Bearer]),
            Ok((SchemeKind::Bearer, "".into()))
        );
        assert_eq!(
            kind(&[AuthOption::NoAuth]),
            Ok((SchemeKind::None, "".into()))
        );
        assert_eq!(kind(&[]), Ok((SchemeKind::SigV4, "".into())));
        assert_eq!(
            kind(&[AuthOption::Unsupported("v2")]),
            Err("svc signs requests with v2, which boto-rs does not support".into())
        );
    }

    #[test]
    fn the_auth_scheme_preference_reorders_the_model_and_the_endpoint() {
        let prefs = |list: &str| AuthPreference::parse(list, false);
        let both: &'static [AuthOption] = &[AuthOption::SigV4, AuthOption::Bearer];
        let kind = |auth, p: &str| model_scheme(&service(auth), &prefs(p)).unwrap().0;
        assert_eq!(kind(both, ""), SchemeKind::SigV4);
        assert_eq!(kind(both, "httpBearerAuth"), SchemeKind::Bearer);
        // Blanks are dropped and names the service does not offer are skipped.
        assert_eq!(
            kind(both, " sigv4a , http Bearer\tAuth,,"),
            SchemeKind::Bearer
        );
        assert_eq!(kind(both, "noAuth,sigv4"), SchemeKind::SigV4);
        assert_eq!(
            kind(&[AuthOption::SigV4a, AuthOption::SigV4], "sigv4"),
            SchemeKind::SigV4
        );
        // A preferred scheme boto-rs cannot sign with falls back to the next one.
        assert_eq!(
            kind(&[AuthOption::Unsupported("v2"), AuthOption::SigV4], "v2"),
            SchemeKind::SigV4
        );

        let scheme = |name: &str, region: &str| {
            let mut o = BTreeMap::new();
            o.insert("name".to_string(), Document::String(name.into()));
            o.insert("signingName".to_string(), Document::String("svc".into()));
            o.insert("signingRegion".to_string(), Document::String(region.into()));
            Document::Object(o)
        };
        let endpoint = |p: &str| {
            let mut properties = BTreeMap::new();
            properties.insert(
                "authSchemes".to_string(),
                Document::Array(vec![scheme("sigv4a", "*"), scheme("sigv4", "us-west-2")]),
            );
            let e = ResolvedEndpoint {
                url: "https://svc.example".into(),
                headers: Vec::new(),
                properties,
            };
            endpoint_from(
                &service(&[AuthOption::SigV4]),
                e,
                "us-west-2",
                false,
                &prefs(p),
            )
            .unwrap()
            .auth
        };
        assert_eq!(endpoint("").kind, SchemeKind::SigV4a);
        let a = endpoint("sigv4");
        assert_eq!(
            (a.kind, a.signing_region.as_str()),
            (SchemeKind::SigV4, "us-west-2")
        );
        assert_eq!(endpoint("httpBearerAuth,sigv4a").kind, SchemeKind::SigV4a);
    }
}
