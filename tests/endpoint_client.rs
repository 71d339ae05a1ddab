//! botocore's endpoint test cases that say how a client reaches them (`operationInputs`), run
//! through the real client path of the generated crates: the built-ins are set through session
//! configuration (the builder, the environment or the profile, in turn), the operation's input
//! carries its context parameters, and the presigned request (nothing is sent) must go to the
//! expected URL and be signed for the expected name and region. Where a case expects an error,
//! presigning must fail with the rule set's message.
//!
//! botocore's own end-to-end run of these cases writes the built-ins straight into its resolver;
//! here they come from configuration, as a user sets them. So a built-in a case leaves out is
//! configured to its neutral value (S3 `addressing_style = virtual`, `us_east_1_regional_endpoint
//! = regional`), host prefixes are off (as in botocore's run), and the few inputs configuration
//! cannot express are counted apart with the reason (see [`unreachable_by_configuration`]); the
//! rule-level form of every case still runs in `endpoint_conformance`.

use boto_runtime::client::{ClientBuilder, ClientHandle};
use boto_runtime::endpoint::settings::AddressingStyle;
use boto_runtime::endpoint::SchemeKind;
use boto_runtime::schema::Operation;
use boto_runtime::{Credentials, Environment, Session};
use boto_tests::dynamic::DynStruct;
use boto_tests::workspace_root;
use serde_json::Value as Json;
use std::time::Duration;

/// The operations the cases name, by service.
fn operation(service: &str, name: &str) -> &'static Operation {
    match (service, name) {
        ("s3", "GetObject") => &s3::operations::OP_GET_OBJECT,
        ("s3", "CreateBucket") => &s3::operations::OP_CREATE_BUCKET,
        ("s3", "ListBuckets") => &s3::operations::OP_LIST_BUCKETS,
        ("s3", "ListObjects") => &s3::operations::OP_LIST_OBJECTS,
        ("s3", "WriteGetObjectResponse") => &s3::operations::OP_WRITE_GET_OBJECT_RESPONSE,
        ("s3", "ListDirectoryBuckets") => &s3::operations::OP_LIST_DIRECTORY_BUCKETS,
        ("sts", "GetCallerIdentity") => &sts::operations::OP_GET_CALLER_IDENTITY,
        ("dynamodb", "ListTables") => &dynamodb::operations::OP_LIST_TABLES,
        ("dynamodb", "BatchGetItem") => &dynamodb::operations::OP_BATCH_GET_ITEM,
        ("dynamodb", "DescribeTable") => &dynamodb::operations::OP_DESCRIBE_TABLE,
        _ => panic!("add {service}.{name} to the table"),
    }
}

fn service(name: &str) -> &'static boto_runtime::schema::Service {
    match name {
        "s3" => &s3::operations::SERVICE,
        "sts" => &sts::operations::SERVICE,
        "dynamodb" => &dynamodb::operations::SERVICE,
        _ => unreachable!(),
    }
}

/// Where the built-ins of one case are set.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Source {
    Builder,
    Environment,
    Profile,
}

/// A session whose configuration gives `builtins`, each set through `source` where that source
/// can carry it (botocore has no environment variable for S3's addressing style or
/// acceleration; those fall back to the profile, then the builder).
fn session(
    builtins: &serde_json::Map<String, Json>,
    source: Source,
    tag: &str,
) -> (Session, Option<String>) {
    let mut b = Session::builder();
    // Endpoint tests leave out the operation's host prefix, as botocore's run does.
    let mut env: Vec<(String, String)> = vec![
        ("HOME".into(), "/nonexistent".into()),
        ("AWS_DISABLE_HOST_PREFIX_INJECTION".into(), "true".into()),
    ];
    let mut builtins = builtins.clone();
    for (name, neutral) in [
        ("AWS::S3::ForcePathStyle", false),
        ("AWS::S3::UseGlobalEndpoint", false),
    ] {
        if tag.starts_with("s3") && !builtins.contains_key(name) {
            builtins.insert(name.into(), neutral.into());
        }
    }
    let builtins = &builtins;
    let mut profile = String::from("[default]\n");
    let mut s3_section = String::new();
    let mut endpoint_url = None;
    let mut creds = Credentials::new("AKID", "SECRET", None);
    let flag = |v: &Json| v.as_bool().unwrap_or(false);
    let text = |v: &Json| v.as_str().unwrap_or_default().to_string();
    for (name, v) in builtins {
        let legacy = |on: bool| if on { "legacy" } else { "regional" };
        // (environment variable, profile key, s3-section key) for this built-in.
        let (var, key, s3key): (Option<&str>, Option<&str>, Option<&str>) = match name.as_str() {
            "AWS::Region" => (Some("AWS_REGION"), Some("region"), None),
            "AWS::UseFIPS" => (
                Some("AWS_USE_FIPS_ENDPOINT"),
                Some("use_fips_endpoint"),
                None,
            ),
            "AWS::UseDualStack" => (
                Some("AWS_USE_DUALSTACK_ENDPOINT"),
                Some("use_dualstack_endpoint"),
                None,
            ),
            "SDK::Endpoint" => (Some("AWS_ENDPOINT_URL"), Some("endpoint_url"), None),
            "AWS::S3::Accelerate" => (None, None, Some("use_accelerate_endpoint")),
            "AWS::S3::ForcePathStyle" => (None, None, Some("addressing_style")),
            "AWS::S3::UseArnRegion" => (
                Some("AWS_S3_USE_ARN_REGION"),
                Some("s3_use_arn_region"),
                None,
            ),
            "AWS::S3::UseGlobalEndpoint" => (
                Some("AWS_S3_US_EAST_1_REGIONAL_ENDPOINT"),
                Some("s3_us_east_1_regional_endpoint"),
                None,
            ),
            "AWS::S3::DisableMultiRegionAccessPoints" => (
                Some("AWS_S3_DISABLE_MULTIREGION_ACCESS_POINTS"),
                None,
                Some("s3_disable_multiregion_access_points"),
            ),
            "AWS::STS::UseGlobalEndpoint" => (
                Some("AWS_STS_REGIONAL_ENDPOINTS"),
                Some("sts_regional_endpoints"),
                None,
            ),
            "AWS::Auth::AccountId" => (Some("AWS_ACCOUNT_ID"), Some("aws_account_id"), None),
            "AWS::Auth::AccountIdEndpointMode" => (
                Some("AWS_ACCOUNT_ID_ENDPOINT_MODE"),
                Some("account_id_endpoint_mode"),
                None,
            ),
            other => panic!("no configuration for the built-in {other}"),
        };
        let value = match name.as_str() {
            "AWS::S3::UseGlobalEndpoint" | "AWS::STS::UseGlobalEndpoint" => {
                legacy(flag(v)).to_string()
            }
            "AWS::S3::ForcePathStyle" => (if flag(v) { "path" } else { "virtual" }).to_string(),
            _ => match v {
                Json::Bool(b) => b.to_string(),
                other => text(other),
            },
        };
        if name == "SDK::Endpoint" {
            endpoint_url = Some(value.clone());
        }
        let mut how = source;
        if how == Source::Environment && var.is_none() {
            how = Source::Profile;
        }
        if how == Source::Profile && key.is_none() && s3key.is_none() {
            how = Source::Builder;
        }
        match how {
            Source::Environment => env.push((var.unwrap().into(), value)),
            Source::Profile => match (key, s3key) {
                (Some(k), _) => profile.push_str(&format!("{k} = {value}\n")),
                (None, Some(k)) => s3_section.push_str(&format!("  {k} = {value}\n")),
                (None, None) => unreachable!(),
            },
            Source::Builder => {
                b = match name.as_str() {
                    "AWS::Region" => b.region(value),
                    "AWS::UseFIPS" => b.use_fips_endpoint(flag(v)),
                    "AWS::UseDualStack" => b.use_dualstack_endpoint(flag(v)),
                    "SDK::Endpoint" => b.endpoint_url(value),
                    "AWS::S3::Accelerate" => b.s3_use_accelerate_endpoint(flag(v)),
                    "AWS::S3::ForcePathStyle" => b.s3_addressing_style(if flag(v) {
                        AddressingStyle::Path
                    } else {
                        AddressingStyle::Virtual
                    }),
                    "AWS::S3::UseArnRegion" => b.s3_use_arn_region(flag(v)),
                    "AWS::S3::UseGlobalEndpoint" => b.s3_us_east_1_regional_endpoint(value),
                    "AWS::S3::DisableMultiRegionAccessPoints" => {
                        b.s3_disable_multiregion_access_points(flag(v))
                    }
                    "AWS::STS::UseGlobalEndpoint" => b.sts_regional_endpoints(value),
                    "AWS::Auth::AccountId" => {
                        creds = creds.with_account_id(value);
                        b
                    }
                    "AWS::Auth::AccountIdEndpointMode" => b.account_id_endpoint_mode(value),
                    _ => unreachable!(),
                };
            }
        }
    }
    if !s3_section.is_empty() {
        profile.push_str("s3 =\n");
        profile.push_str(&s3_section);
    }
    // The credentials come from the same place as the account id, when there is one.
    match source {
        Source::Environment if builtins.contains_key("AWS::Auth::AccountId") => {
            env.push(("AWS_ACCESS_KEY_ID".into(), "AKID".into()));
            env.push(("AWS_SECRET_ACCESS_KEY".into(), "SECRET".into()));
        }
        Source::Profile if builtins.contains_key("AWS::Auth::AccountId") => {
            profile.push_str("aws_access_key_id = AKID\naws_secret_access_key = SECRET\n");
        }
        _ => b = b.credentials(creds),
    }
    let dir = std::env::temp_dir().join(format!(
        "boto-rs-endpoint-client-{}-{tag}",
        std::process::id()
    ));
    std::fs::create_dir_all(&dir).unwrap();
    let config = dir.join("config");
    std::fs::write(&config, &profile).unwrap();
    env.push(("AWS_CONFIG_FILE".into(), config.display().to_string()));
    env.push((
        "AWS_SHARED_CREDENTIALS_FILE".into(),
        dir.join("none").display().to_string(),
    ));
    let session = b.environment(Environment::from_vars(env)).build().unwrap();
    std::fs::remove_dir_all(&dir).unwrap();
    (session, endpoint_url)
}

/// Why configuration cannot give these built-ins, if it cannot: the same rules botocore's
/// configuration follows.
fn unreachable_by_configuration(
    builtins: &serde_json::Map<String, Json>,
    params: &Json,
) -> Option<&'static str> {
    let on = |k: &str| builtins.get(k).and_then(Json::as_bool).unwrap_or(false);
    if builtins.contains_key("SDK::Endpoint") && (on("AWS::UseFIPS") || on("AWS::UseDualStack")) {
        return Some("an endpoint URL turns FIPS and dual-stack off");
    }
    if on("AWS::S3::ForcePathStyle") && on("AWS::S3::Accelerate") {
        return Some("acceleration turns path style off");
    }
    if on("AWS::S3::ForcePathStyle")
        && params["Bucket"]
            .as_str()
            .is_some_and(|b| b.starts_with("arn:"))
    {
        return Some("an ARN bucket turns path style off");
    }
    None
}

/// The credential scope of a presigned URL: (region or region set, service).
fn scope(url: &str) -> Option<(String, String)> {
    let cred = url
        .split(['?', '&'])
        .find_map(|p| p.strip_prefix("X-Amz-Credential="))?;
    let cred = cred.replace("%2F", "/");
    let parts: Vec<&str> = cred.split('/').collect();
    match parts.as_slice() {
        // SigV4a: no region in the scope; the set travels beside it.
        [_, _, service, "aws4_request"] => {
            let set = url
                .split(['?', '&'])
                .find_map(|p| p.strip_prefix("X-Amz-Region-Set="))?
                .replace("%2C", ",")
                .replace("%2A", "*");
            Some((set, service.to_string()))
        }
        [_, _, region, service, "aws4_request"] => Some((region.to_string(), service.to_string())),
        _ => None,
    }
}

/// The operation's request path with the input's values in its labels (`/{Key+}` -> `/key`),
/// its query left out.
fn request_path(op: &Operation, params: &Json) -> String {
    let uri = op.request_uri.split('?').next().unwrap_or("");
    let mut out = String::new();
    let mut rest = uri;
    while let Some(start) = rest.find('{') {
        out.push_str(&rest[..start]);
        let end = start + rest[start..].find('}').unwrap();
        let name = rest[start + 1..end].trim_end_matches('+');
        out.push_str(params[name].as_str().unwrap_or(""));
        rest = &rest[end + 1..];
    }
    out.push_str(rest);
    out
}

/// What the case expects of the signature: (region or set, name), from its first auth scheme.
fn expected_scope(endpoint: &Json) -> Option<(String, String)> {
    let scheme = endpoint["properties"]["authSchemes"].as_array()?.first()?;
    let name = scheme["signingName"].as_str()?.to_string();
    let region = match scheme.get("signingRegionSet") {
        Some(set) => set
            .as_array()?
            .iter()
            .filter_map(Json::as_str)
            .collect::<Vec<_>>()
            .join(","),
        None => scheme["signingRegion"].as_str()?.to_string(),
    };
    Some((region, name))
}

#[tokio::test]
async fn operation_inputs_go_through_the_client() {
    let mut failures = Vec::new();
    let mut checked = 0;
    let mut by_source = [0usize; 3];
    let mut n = 0usize;
    let mut unreachable = std::collections::BTreeMap::new();
    let mut invalid_buckets = 0;
    for svc in ["s3", "sts", "dynamodb"] {
        let path = workspace_root().join(format!("tests/endpoints/{svc}/endpoint-tests-1.json"));
        let doc: Json = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
        for case in doc["testCases"].as_array().unwrap() {
            let Some(inputs) = case["operationInputs"].as_array() else {
                continue;
            };
            let documentation = case["documentation"].as_str().unwrap_or("");
            for input in inputs {
                n += 1;
                let source = [Source::Builder, Source::Environment, Source::Profile][n % 3];
                let builtins = input["builtInParams"]
                    .as_object()
                    .cloned()
                    .unwrap_or_default();
                let params = input
                    .get("operationParams")
                    .cloned()
                    .unwrap_or(Json::Object(Default::default()));
                // An empty account id in the environment or profile counts as unset: only the
                // builder can give one.
                let source =
                    if builtins.get("AWS::Auth::AccountId") == Some(&Json::String(String::new())) {
                        Source::Builder
                    } else {
                        source
                    };
                if let Some(why) = unreachable_by_configuration(&builtins, &params) {
                    *unreachable.entry(why).or_insert(0) += 1;
                    continue;
                }
                let (session, _) = session(&builtins, source, &format!("{svc}-{n}"));
                let mut client = ClientBuilder::<ClientHandle>::new(&session, service(svc));
                if let Some(params) = input["clientParams"].as_object() {
                    for (k, v) in params {
                        client = client
                            .client_context_param(k, boto_tests::endpoints::value(v).unwrap());
                    }
                }
                let handle: ClientHandle = client.build();
                let op = operation(svc, input["operationName"].as_str().unwrap());
                let dyn_input = DynStruct::from_json(op.input.unwrap(), &params).unwrap();
                let label = format!("{svc}: {documentation} [{source:?}]");
                let expect = &case["expect"];
                // botocore validates bucket names before it resolves endpoints: such inputs
                // never reach the rules.
                if let Some(b) = params["Bucket"]
                    .as_str()
                    .filter(|b| ["bucket name", "example.com#"].contains(b))
                {
                    match handle
                        .presign(op, dyn_input, Duration::from_secs(900))
                        .await
                    {
                        Err(e)
                            if e.kind() == boto_runtime::ErrorKind::Validation
                                && e.to_string().contains(b) => {}
                        other => failures.push(format!(
                            "{label}\n    expected the bucket name to be refused, got {other:?}"
                        )),
                    }
                    invalid_buckets += 1;
                    continue;
                }
                // S3 Express endpoints sign with session credentials from the bucket itself:
                // check the endpoint and its auth scheme without fetching them.
                let express =
                    expect["endpoint"]["properties"]["authSchemes"][0]["name"] == "sigv4-s3express";
                if express {
                    let want = &expect["endpoint"];
                    match handle.endpoint_for(op, Some(&dyn_input)) {
                        Ok(e) => {
                            let have = (
                                e.url.clone(),
                                e.auth.kind,
                                e.auth.signing_name.clone(),
                                e.auth.signing_region.clone(),
                            );
                            let (region, name) = expected_scope(want).unwrap();
                            let wanted = (
                                want["url"].as_str().unwrap().to_string(),
                                SchemeKind::S3Express,
                                name,
                                region,
                            );
                            if have != wanted {
                                failures.push(format!(
                                    "{label}\n    expected {wanted:?}\n    got      {have:?}"
                                ));
                            }
                        }
                        Err(e) => failures
                            .push(format!("{label}\n    expected {want}\n    got error {e}")),
                    }
                    by_source[source as usize] += 1;
                    checked += 1;
                    continue;
                }
                let got = handle
                    .presign(op, dyn_input, Duration::from_secs(900))
                    .await;
                match (expect.get("endpoint"), expect["error"].as_str(), got) {
                    (Some(want), _, Ok(p)) => {
                        let url = want["url"].as_str().unwrap();
                        // After the endpoint's URL comes exactly the operation's own path (the
                        // bucket is not repeated in it), then the query.
                        let want_path = request_path(op, &params);
                        let rest_path = p
                            .url
                            .strip_prefix(url)
                            .map(|r| r.split('?').next().unwrap_or(""));
                        let url_ok = rest_path.is_some_and(|r| {
                            r == want_path
                                || (matches!(want_path.as_str(), "" | "/") && matches!(r, "" | "/"))
                        });
                        let want_scope = expected_scope(want);
                        let have_scope = scope(&p.url);
                        if !url_ok || (want_scope.is_some() && want_scope != have_scope) {
                            failures.push(format!(
                                "{label}\n    expected {url} signed for {want_scope:?}\n    got      {} signed for {have_scope:?}",
                                p.url
                            ));
                        }
                        by_source[source as usize] += 1;
                    }
                    (_, Some(want), Err(e)) => {
                        if !e.to_string().contains(want) {
                            failures.push(format!(
                                "{label}\n    expected error {want:?}\n    got error      {e}"
                            ));
                        }
                        by_source[source as usize] += 1;
                    }
                    (_, want, Ok(p)) => failures.push(format!(
                        "{label}\n    expected error {want:?}\n    got {}",
                        p.url
                    )),
                    (want, _, Err(e)) => {
                        failures.push(format!("{label}\n    expected {want:?}\n    got error {e}"))
                    }
                }
                checked += 1;
            }
        }
    }
    println!("{checked} operation inputs checked, {invalid_buckets} invalid bucket names refused; not expressible by configuration: {unreachable:?}");
    assert!(checked >= 250, "only {checked} operation inputs");
    assert!(unreachable.values().sum::<usize>() < 40, "{unreachable:?}");
    assert!(
        by_source.iter().all(|n| *n > 50),
        "each source is used: {by_source:?}"
    );
    assert!(
        failures.is_empty(),
        "{} of {checked} operation inputs failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

/// Settings that reach the rules other than as built-ins, and misuse reported clearly.
#[tokio::test]
async fn settings_reach_the_rules_and_misuse_is_reported() {
    use boto_runtime::endpoint::Value;
    let base = || {
        Session::builder()
            .region("us-west-2")
            .credentials(Credentials::new("AKID", "SECRET", None))
    };
    let env = |vars: &[(&str, &str)]| {
        let mut v = vec![
            ("HOME".to_string(), "/nonexistent".to_string()),
            (
                "AWS_CONFIG_FILE".to_string(),
                "/nonexistent/config".to_string(),
            ),
        ];
        v.extend(vars.iter().map(|(k, x)| (k.to_string(), x.to_string())));
        Environment::from_vars(v)
    };
    let directory_bucket = [("Bucket", Value::from("mybucket--usw2-az1--x-s3"))];
    let kind = |s: &Session| {
        s3::Client::new(s)
            .handle()
            .resolve_endpoint(&directory_bucket)
            .unwrap()
            .auth
            .kind
    };
    // A directory bucket signs with session credentials, unless the setting turns them off
    // (botocore passes it to S3's rules as a client context parameter).
    assert_eq!(
        kind(&base().environment(env(&[])).build().unwrap()),
        SchemeKind::S3Express
    );
    for s in [
        base()
            .environment(env(&[]))
            .s3_disable_express_session_auth(true),
        base().environment(env(&[("AWS_S3_DISABLE_EXPRESS_SESSION_AUTH", "true")])),
    ] {
        assert_eq!(kind(&s.build().unwrap()), SchemeKind::SigV4);
    }
    // The profile's `s3.use_dualstack_endpoint = false` does not turn off the environment's.
    let dir = std::env::temp_dir().join(format!("boto-rs-settings-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(
        dir.join("config"),
        "[default]\ns3 =\n  use_dualstack_endpoint = false\n",
    )
    .unwrap();
    let s = base()
        .environment(Environment::from_vars([
            ("HOME", "/nonexistent"),
            ("AWS_CONFIG_FILE", dir.join("config").to_str().unwrap()),
            ("AWS_USE_DUALSTACK_ENDPOINT", "true"),
        ]))
        .build()
        .unwrap();
    std::fs::remove_dir_all(&dir).unwrap();
    let e = s3::Client::new(&s)
        .handle()
        .resolve_endpoint(&[("Bucket", Value::from("bkt"))])
        .unwrap();
    assert_eq!(e.url, "https://bkt.s3.dualstack.us-west-2.amazonaws.com");
    // A client context parameter by its model name reaches the rules; another name is an error
    // that lists the right ones, before anything is sent.
    let s = base().environment(env(&[])).build().unwrap();
    let c: s3::Client = s3::Client::builder(&s)
        .client_context_param("Accelerate", true)
        .build();
    let e = c
        .handle()
        .resolve_endpoint(&[("Bucket", Value::from("bkt"))])
        .unwrap();
    assert_eq!(e.url, "https://bkt.s3-accelerate.amazonaws.com");
    let c: s3::Client = s3::Client::builder(&s)
        .client_context_param("accelerate", true)
        .build();
    let err = c.handle().endpoint().unwrap_err().to_string();
    assert!(
        err.contains("no client context parameter \"accelerate\"") && err.contains("Accelerate, "),
        "{err}"
    );
    // An unknown endpoint parameter is named, with the known ones.
    let err = s3::Client::new(&s)
        .handle()
        .resolve_endpoint(&[("Buckett", Value::from("b"))])
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("\"Buckett\"") && err.contains("Bucket, "),
        "{err}"
    );
    // Without a region, resolving for parameters fails as every call would.
    let s = Session::builder()
        .credentials(Credentials::new("AKID", "SECRET", None))
        .environment(env(&[]))
        .build()
        .unwrap();
    let err = s3::Client::new(&s)
        .handle()
        .resolve_endpoint(&[("Bucket", Value::from("b"))])
        .unwrap_err()
        .to_string();
    assert!(err.contains("no region for s3"), "{err}");
}
