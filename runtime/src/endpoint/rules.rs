//! Endpoint rule sets: the static form generated crates declare (compiled from botocore's
//! `endpoint-rule-set-1.json`), and the engine that evaluates one for a set of parameter values.
//!
//! Variables live in numbered slots: the parameters first, in the rule set's order, then each
//! name a condition assigns. The generator resolves every `ref` and template reference to its
//! slot, so evaluation never looks a name up.

use super::functions;
use super::partition::partition_of;
use crate::document::Document;
use std::collections::BTreeMap;
use std::fmt;

/// A compiled rule set.
#[derive(Debug)]
pub struct RuleSet {
    /// The parameters, in the rule set's order; parameter `i` is slot `i`.
    pub params: &'static [Param],
    /// The top-level rules, tried in order.
    pub rules: &'static [Rule],
    /// How many variable slots evaluation needs (parameters and assigned names).
    pub slots: u16,
}

/// The type of a parameter.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParamKind {
    /// `string`
    String,
    /// `boolean`
    Boolean,
    /// `stringArray`
    StringArray,
}

/// One parameter of a rule set.
#[derive(Debug)]
pub struct Param {
    /// Its name (`Region`, `Bucket`, `UseFIPS`).
    pub name: &'static str,
    /// Its type.
    pub kind: ParamKind,
    /// The built-in that fills it (`AWS::Region`), if any.
    pub built_in: Option<&'static str>,
    /// Evaluation fails when it has no value (and no default).
    pub required: bool,
    /// The value it takes when none is given.
    pub default: Option<Expr>,
    /// What it means, from the rule set.
    pub documentation: &'static str,
    /// The deprecation message, when it is deprecated.
    pub deprecated: Option<&'static str>,
}

/// A rule: conditions, all of which must hold, then an endpoint, an error or more rules.
#[derive(Debug)]
pub enum Rule {
    /// The endpoint, when the conditions hold.
    Endpoint(&'static [&'static Cond], &'static EndpointSpec),
    /// An error with this message (a string or template), when the conditions hold.
    Error(&'static [&'static Cond], Expr),
    /// Rules tried in order when the conditions hold; when none matches, evaluation goes on after
    /// the tree (as botocore's does).
    Tree(&'static [&'static Cond], &'static [Rule]),
}

/// One condition: a function call that holds unless it gives `false` or no value; its result is
/// kept in a slot when the rule set assigns it a name.
#[derive(Debug)]
pub struct Cond(pub Expr, pub Option<u16>);

/// An expression: a literal, a variable, or a function call.
#[derive(Debug)]
pub enum Expr {
    /// A string without references.
    Str(&'static str),
    /// A template string with its references compiled to slots: `{3}` is slot 3's value,
    /// `{17#dnsSuffix}` an attribute of slot 17's value, `{{` and `}}` are braces.
    Tpl(&'static str),
    /// A boolean.
    Bool(bool),
    /// A whole number.
    Int(i64),
    /// The value of a slot (`{"ref": "Region"}`).
    Ref(u16),
    /// A function call.
    Call(Func, &'static [Expr]),
    /// `getAttr(value, "path")`, the path compiled.
    Attr(&'static Expr, &'static [Seg]),
    /// A list.
    Array(&'static [Expr]),
    /// An object (endpoint properties).
    Object(&'static [(&'static str, Expr)]),
}

/// One step of a `getAttr` path.
#[derive(Debug)]
pub enum Seg {
    /// `.name`
    Key(&'static str),
    /// `[i]`
    Index(usize),
}

/// The functions rule sets call.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Func {
    /// `isSet(value)`
    IsSet,
    /// `not(bool)`
    Not,
    /// `booleanEquals(a, b)`
    BooleanEquals,
    /// `stringEquals(a, b)`
    StringEquals,
    /// `substring(s, start, stop, reverse)`
    Substring,
    /// `uriEncode(s)`
    UriEncode,
    /// `parseURL(s)`
    ParseUrl,
    /// `isValidHostLabel(s, allowSubDomains)`
    IsValidHostLabel,
    /// `aws.partition(region)`
    Partition,
    /// `aws.parseArn(s)`
    ParseArn,
    /// `aws.isVirtualHostableS3Bucket(s, allowSubDomains)`
    IsVirtualHostableS3Bucket,
    /// A function this engine does not implement (`split`, `coalesce`, `ite`, ...): evaluating it
    /// is an error naming it.
    Unsupported(&'static str),
}

impl Func {
    /// The function a rule set names (`aws.partition`), if this engine has it.
    pub fn from_name(name: &str) -> Option<Func> {
        [
            Func::IsSet,
            Func::Not,
            Func::BooleanEquals,
            Func::StringEquals,
            Func::Substring,
            Func::UriEncode,
            Func::ParseUrl,
            Func::IsValidHostLabel,
            Func::Partition,
            Func::ParseArn,
            Func::IsVirtualHostableS3Bucket,
        ]
        .into_iter()
        .find(|f| f.name() == name)
    }

    /// How many arguments it takes (`None` for an unsupported function).
    pub fn arity(self) -> Option<usize> {
        Some(match self {
            Func::IsSet
            | Func::Not
            | Func::UriEncode
            | Func::ParseUrl
            | Func::Partition
            | Func::ParseArn => 1,
            Func::BooleanEquals
            | Func::StringEquals
            | Func::IsValidHostLabel
            | Func::IsVirtualHostableS3Bucket => 2,
            Func::Substring => 4,
            Func::Unsupported(_) => return None,
        })
    }

    /// The rule set's name of the function.
    pub fn name(self) -> &'static str {
        match self {
            Func::IsSet => "isSet",
            Func::Not => "not",
            Func::BooleanEquals => "booleanEquals",
            Func::StringEquals => "stringEquals",
            Func::Substring => "substring",
            Func::UriEncode => "uriEncode",
            Func::ParseUrl => "parseURL",
            Func::IsValidHostLabel => "isValidHostLabel",
            Func::Partition => "aws.partition",
            Func::ParseArn => "aws.parseArn",
            Func::IsVirtualHostableS3Bucket => "aws.isVirtualHostableS3Bucket",
            Func::Unsupported(n) => n,
        }
    }
}

/// Where an operation takes one endpoint parameter from.
#[derive(Debug)]
pub enum ParamSource {
    /// `staticContextParams`: always this value.
    Static(Expr),
    /// `contextParam`: the input member with this (model) name.
    Member(&'static str),
    /// `operationContextParams`: a JMESPath path over the input.
    Path(&'static crate::jmespath::expr::Expr),
}

/// The endpoint a rule gives.
#[derive(Debug)]
pub struct EndpointSpec {
    /// The URL (a string or template).
    pub url: Expr,
    /// `properties` (such as `authSchemes`), templates inside resolved.
    pub properties: &'static [(&'static str, Expr)],
    /// `headers`: each name with its values.
    pub headers: &'static [(&'static str, &'static [Expr])],
}

impl EndpointSpec {
    /// An endpoint without headers.
    pub const fn new(url: Expr, properties: &'static [(&'static str, Expr)]) -> EndpointSpec {
        EndpointSpec {
            url,
            properties,
            headers: &[],
        }
    }
    /// Sets the headers.
    pub const fn headers(mut self, h: &'static [(&'static str, &'static [Expr])]) -> EndpointSpec {
        self.headers = h;
        self
    }
}

/// A value during evaluation, and a parameter's value.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Value {
    /// A string.
    Str(String),
    /// A boolean.
    Bool(bool),
    /// A whole number.
    Int(i64),
    /// A list.
    Array(Vec<Value>),
    /// An object (the result of `parseURL`, `aws.parseArn`, `aws.partition`).
    Object(Vec<(&'static str, Value)>),
}

impl Value {
    fn to_document(&self) -> Document {
        match self {
            Value::Str(s) => Document::String(s.clone()),
            Value::Bool(b) => Document::Bool(*b),
            Value::Int(i) => Document::Int(*i),
            Value::Array(a) => Document::Array(a.iter().map(Value::to_document).collect()),
            Value::Object(o) => Document::Object(
                o.iter()
                    .map(|(k, v)| (k.to_string(), v.to_document()))
                    .collect(),
            ),
        }
    }

    fn type_name(&self) -> &'static str {
        match self {
            Value::Str(_) => "a string",
            Value::Bool(_) => "a boolean",
            Value::Int(_) => "a number",
            Value::Array(_) => "a list",
            Value::Object(_) => "an object",
        }
    }
}

impl From<bool> for Value {
    fn from(b: bool) -> Value {
        Value::Bool(b)
    }
}

impl From<&str> for Value {
    fn from(s: &str) -> Value {
        Value::Str(s.to_string())
    }
}

impl From<String> for Value {
    fn from(s: String) -> Value {
        Value::Str(s)
    }
}

impl From<Vec<String>> for Value {
    fn from(v: Vec<String>) -> Value {
        Value::Array(v.into_iter().map(Value::Str).collect())
    }
}

impl fmt::Display for Value {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Value::Str(s) => f.write_str(s),
            Value::Bool(b) => write!(f, "{b}"),
            Value::Int(i) => write!(f, "{i}"),
            other => write!(f, "{}", to_json_text(&other.to_document())),
        }
    }
}

fn to_json_text(d: &Document) -> String {
    crate::document::to_json(d).to_string()
}

/// What a rule set resolved to.
#[derive(Debug, Clone, PartialEq)]
pub struct ResolvedEndpoint {
    /// The URL.
    pub url: String,
    /// Headers to send, each name with its values.
    pub headers: Vec<(String, Vec<String>)>,
    /// The endpoint's properties (`authSchemes`, ...), as a document object.
    pub properties: BTreeMap<String, Document>,
}

/// Why a rule set gave no endpoint.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RuleError {
    /// An error rule matched: its message, as the rule set words it.
    Rule(String),
    /// The parameters or the rule set itself are not usable (a missing required parameter, a
    /// value of the wrong type, an unsupported function, no rule matched).
    Invalid(String),
}

impl RuleError {
    /// The message.
    pub fn message(&self) -> &str {
        match self {
            RuleError::Rule(m) | RuleError::Invalid(m) => m,
        }
    }
}

impl fmt::Display for RuleError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.message())
    }
}

impl std::error::Error for RuleError {}

type Slots = Vec<Option<Value>>;

impl RuleSet {
    /// For each parameter, whether any rule reads it (a `ref`, a template, a `getAttr`).
    pub fn params_read(&self) -> Vec<bool> {
        fn expr(e: &Expr, read: &mut [bool]) {
            let mut mark = |i: usize| {
                if let Some(r) = read.get_mut(i) {
                    *r = true;
                }
            };
            match e {
                Expr::Ref(i) => mark(usize::from(*i)),
                Expr::Tpl(t) => {
                    for field in t.split('{').skip(1) {
                        let digits: String =
                            field.chars().take_while(char::is_ascii_digit).collect();
                        if let Ok(i) = digits.parse::<usize>() {
                            mark(i);
                        }
                    }
                }
                Expr::Call(_, args) | Expr::Array(args) => {
                    args.iter().for_each(|a| expr(a, read));
                }
                Expr::Attr(base, _) => expr(base, read),
                Expr::Object(fields) => fields.iter().for_each(|(_, v)| expr(v, read)),
                Expr::Str(_) | Expr::Bool(_) | Expr::Int(_) => {}
            }
        }
        fn rules(rs: &[Rule], read: &mut [bool]) {
            for r in rs {
                let conds = match r {
                    Rule::Endpoint(c, spec) => {
                        expr(&spec.url, read);
                        spec.properties.iter().for_each(|(_, v)| expr(v, read));
                        spec.headers
                            .iter()
                            .for_each(|(_, vs)| vs.iter().for_each(|v| expr(v, read)));
                        c
                    }
                    Rule::Error(c, m) => {
                        expr(m, read);
                        c
                    }
                    Rule::Tree(c, children) => {
                        rules(children, read);
                        c
                    }
                };
                conds.iter().for_each(|Cond(e, _)| expr(e, read));
            }
        }
        let mut read = vec![false; self.params.len()];
        rules(self.rules, &mut read);
        read
    }

    /// The index of the parameter called `name`.
    pub fn param_index(&self, name: &str) -> Option<usize> {
        self.params.iter().position(|p| p.name == name)
    }

    /// Evaluates the rules for `values` (one per parameter, in order; `None` for unset).
    /// Defaults are applied, required parameters and types checked, as botocore does.
    pub fn evaluate(&self, values: &[Option<Value>]) -> Result<ResolvedEndpoint, RuleError> {
        let mut slots: Slots = vec![None; usize::from(self.slots).max(self.params.len())];
        for (i, p) in self.params.iter().enumerate() {
            let v = match values.get(i).cloned().flatten() {
                Some(v) => {
                    check_kind(p, &v)?;
                    Some(v)
                }
                None => match &p.default {
                    Some(d) => Some(literal(d)?),
                    None if p.required => {
                        return Err(RuleError::Invalid(format!(
                            "Cannot find value for required parameter {}",
                            p.name
                        )))
                    }
                    None => None,
                },
            };
            slots[i] = v;
        }
        match eval_rules(self.rules, &mut slots)? {
            Some(e) => Ok(e),
            None => {
                let given: Vec<String> = self
                    .params
                    .iter()
                    .zip(&slots)
                    .filter_map(|(p, v)| v.as_ref().map(|v| format!("{}: {v}", p.name)))
                    .collect();
                Err(RuleError::Invalid(format!(
                    "No endpoint found for parameters:\n{}",
                    given.join("\n")
                )))
            }
        }
    }
}

fn check_kind(p: &Param, v: &Value) -> Result<(), RuleError> {
    let ok = match (p.kind, v) {
        (ParamKind::String, Value::Str(_)) | (ParamKind::Boolean, Value::Bool(_)) => true,
        (ParamKind::StringArray, Value::Array(a)) => a.iter().all(|x| matches!(x, Value::Str(_))),
        _ => false,
    };
    if ok {
        Ok(())
    } else {
        let want = match p.kind {
            ParamKind::String => "a string",
            ParamKind::Boolean => "a boolean",
            ParamKind::StringArray => "a list of strings",
        };
        Err(RuleError::Invalid(format!(
            "Value ({}) is the wrong type: it must be {want}, not {}",
            p.name,
            v.type_name()
        )))
    }
}

/// The value of a literal expression (a static context parameter), if it is one.
pub fn literal_value(e: &Expr) -> Option<Value> {
    eval(e, &[]).ok().flatten()
}

/// A literal (a default value): no slot may be read.
fn literal(e: &Expr) -> Result<Value, RuleError> {
    eval(e, &[])?.ok_or_else(|| RuleError::Invalid("a default value is not a literal".into()))
}

fn eval_rules(
    rules: &'static [Rule],
    slots: &mut Slots,
) -> Result<Option<ResolvedEndpoint>, RuleError> {
    for rule in rules {
        // Names a rule assigns are only visible inside it, and a later rule assigns before it
        // reads, so slots need no restoring between rules.
        match rule {
            Rule::Endpoint(conds, spec) => {
                if conditions_hold(conds, slots)? {
                    return endpoint(spec, slots).map(Some);
                }
            }
            Rule::Error(conds, msg) => {
                if conditions_hold(conds, slots)? {
                    let m = eval(msg, slots)?.map(|v| v.to_string()).unwrap_or_default();
                    return Err(RuleError::Rule(m));
                }
            }
            Rule::Tree(conds, children) => {
                if conditions_hold(conds, slots)? {
                    if let Some(e) = eval_rules(children, slots)? {
                        return Ok(Some(e));
                    }
                }
            }
        }
    }
    Ok(None)
}

fn conditions_hold(conds: &[&Cond], slots: &mut Slots) -> Result<bool, RuleError> {
    for Cond(expr, assign) in conds {
        let v = eval(expr, slots)?;
        let holds = !matches!(v, None | Some(Value::Bool(false)));
        if let Some(i) = assign {
            match slots.get_mut(usize::from(*i)) {
                Some(s) => *s = v,
                None => {
                    return Err(RuleError::Invalid(format!(
                        "the rule set assigns variable slot {i}, which it does not have"
                    )))
                }
            }
        }
        if !holds {
            return Ok(false);
        }
    }
    Ok(true)
}

fn endpoint(spec: &EndpointSpec, slots: &Slots) -> Result<ResolvedEndpoint, RuleError> {
    let url = match eval(&spec.url, slots)? {
        Some(Value::Str(s)) => s,
        Some(other) => {
            return Err(RuleError::Invalid(format!(
                "an endpoint URL must be a string, not {}",
                other.type_name()
            )))
        }
        None => return Err(RuleError::Invalid("an endpoint URL has no value".into())),
    };
    let mut properties = BTreeMap::new();
    for (k, v) in spec.properties {
        if let Some(v) = eval(v, slots)? {
            properties.insert(k.to_string(), v.to_document());
        }
    }
    let mut headers = Vec::with_capacity(spec.headers.len());
    for (name, values) in spec.headers {
        let mut vs = Vec::with_capacity(values.len());
        for v in *values {
            vs.push(eval(v, slots)?.map(|v| v.to_string()).unwrap_or_default());
        }
        headers.push((name.to_string(), vs));
    }
    Ok(ResolvedEndpoint {
        url,
        headers,
        properties,
    })
}

fn slot(slots: &[Option<Value>], i: u16) -> Result<Option<&Value>, RuleError> {
    slots
        .get(usize::from(i))
        .map(Option::as_ref)
        .ok_or_else(|| {
            RuleError::Invalid(format!(
                "the rule set reads variable slot {i}, which it does not have"
            ))
        })
}

fn eval(e: &Expr, slots: &[Option<Value>]) -> Result<Option<Value>, RuleError> {
    Ok(match e {
        Expr::Str(s) => Some(Value::Str((*s).to_string())),
        Expr::Tpl(t) => Some(Value::Str(template(t, slots)?)),
        Expr::Bool(b) => Some(Value::Bool(*b)),
        Expr::Int(i) => Some(Value::Int(*i)),
        Expr::Ref(i) => slot(slots, *i)?.cloned(),
        Expr::Attr(base, path) => eval(base, slots)?.and_then(|v| get_attr(&v, path).cloned()),
        Expr::Array(items) => {
            let mut out = Vec::with_capacity(items.len());
            for i in *items {
                if let Some(v) = eval(i, slots)? {
                    out.push(v);
                }
            }
            Some(Value::Array(out))
        }
        Expr::Object(fields) => {
            let mut out = Vec::with_capacity(fields.len());
            for (k, v) in *fields {
                if let Some(v) = eval(v, slots)? {
                    out.push((*k, v));
                }
            }
            Some(Value::Object(out))
        }
        Expr::Call(f, args) => call(*f, args, slots)?,
    })
}

/// Fills a compiled template (see [`Expr::Tpl`]).
fn template(t: &str, slots: &[Option<Value>]) -> Result<String, RuleError> {
    let mut out = String::with_capacity(t.len() + 32);
    let mut rest = t;
    while let Some(at) = rest.find(['{', '}']) {
        out.push_str(&rest[..at]);
        let (c, after) = (rest.as_bytes()[at], &rest[at + 1..]);
        if after.as_bytes().first() == Some(&c) {
            out.push(c as char);
            rest = &after[1..];
            continue;
        }
        let end = match (c, after.find('}')) {
            (b'{', Some(end)) => end,
            _ => return Err(RuleError::Invalid(format!("malformed template {t:?}"))),
        };
        let mut path = after[..end].split('#');
        let i: u16 = path
            .next()
            .and_then(|n| n.parse().ok())
            .ok_or_else(|| RuleError::Invalid(format!("malformed template {t:?}")))?;
        let mut v = slot(slots, i)?;
        for key in path {
            v = v.and_then(|v| match v {
                Value::Object(fields) => fields.iter().find(|(n, _)| *n == key).map(|(_, v)| v),
                _ => None,
            });
        }
        if let Some(v) = v {
            out.push_str(&v.to_string());
        }
        rest = &after[end + 1..];
    }
    out.push_str(rest);
    Ok(out)
}

/// `getAttr`: object keys and list indexes; `None` where the path leads nowhere.
fn get_attr<'v>(mut v: &'v Value, path: &[Seg]) -> Option<&'v Value> {
    for seg in path {
        v = match (seg, v) {
            (Seg::Key(k), Value::Object(fields)) => &fields.iter().find(|(n, _)| n == k)?.1,
            (Seg::Index(i), Value::Array(items)) => items.get(*i)?,
            _ => return None,
        };
    }
    Some(v)
}

fn call(f: Func, args: &[Expr], slots: &[Option<Value>]) -> Result<Option<Value>, RuleError> {
    let Some(arity) = f.arity() else {
        return Err(RuleError::Invalid(format!(
            "the endpoint rule set calls the function `{}`, which this version of boto-rs does not support",
            f.name()
        )));
    };
    if args.len() != arity {
        return Err(RuleError::Invalid(format!(
            "`{}` takes {arity} arguments, the rule set gives {}",
            f.name(),
            args.len()
        )));
    }
    let mut vals = Vec::with_capacity(arity);
    for a in args {
        vals.push(eval(a, slots)?);
    }
    let bad = |what: &str| RuleError::Invalid(format!("`{}` was given {what}", f.name()));
    let s = |i: usize| -> Result<Option<&str>, RuleError> {
        match &vals[i] {
            None => Ok(None),
            Some(Value::Str(s)) => Ok(Some(s.as_str())),
            Some(v) => Err(bad(&format!("{} where it takes a string", v.type_name()))),
        }
    };
    let b = |i: usize| -> Result<Option<bool>, RuleError> {
        match &vals[i] {
            None => Ok(None),
            Some(Value::Bool(b)) => Ok(Some(*b)),
            Some(v) => Err(bad(&format!("{} where it takes a boolean", v.type_name()))),
        }
    };
    Ok(match f {
        Func::IsSet => Some(Value::Bool(vals[0].is_some())),
        Func::Not => Some(Value::Bool(!matches!(vals[0], Some(Value::Bool(true))))),
        Func::BooleanEquals => match (b(0)?, b(1)?) {
            (Some(x), Some(y)) => Some(Value::Bool(x == y)),
            _ => return Err(bad("a value that is not set where it takes a boolean")),
        },
        Func::StringEquals => match (s(0)?, s(1)?) {
            (Some(x), Some(y)) => Some(Value::Bool(x == y)),
            _ => return Err(bad("a value that is not set where it takes a string")),
        },
        Func::Substring => {
            let (Some(v), Some(Value::Int(start)), Some(Value::Int(stop)), reverse) =
                (s(0)?, &vals[1], &vals[2], b(3)?)
            else {
                return Err(bad("arguments of the wrong types"));
            };
            functions::substring(v, *start, *stop, reverse.unwrap_or(false)).map(Value::Str)
        }
        Func::UriEncode => s(0)?.map(|v| Value::Str(functions::uri_encode(v))),
        Func::ParseUrl => s(0)?.and_then(functions::parse_url).map(|u| {
            Value::Object(vec![
                ("scheme", Value::Str(u.scheme)),
                ("authority", Value::Str(u.authority)),
                ("path", Value::Str(u.path)),
                ("normalizedPath", Value::Str(u.normalized_path)),
                ("isIp", Value::Bool(u.is_ip)),
            ])
        }),
        Func::IsValidHostLabel => Some(Value::Bool(match s(0)? {
            Some(v) => functions::is_valid_host_label(v, b(1)?.unwrap_or(false)),
            None => false,
        })),
        Func::IsVirtualHostableS3Bucket => Some(Value::Bool(match s(0)? {
            Some(v) => functions::is_virtual_hostable_s3_bucket(v, b(1)?.unwrap_or(false)),
            None => false,
        })),
        Func::ParseArn => s(0)?.and_then(functions::parse_arn).map(|a| {
            Value::Object(vec![
                ("partition", Value::Str(a.partition)),
                ("service", Value::Str(a.service)),
                ("region", Value::Str(a.region)),
                ("accountId", Value::Str(a.account_id)),
                (
                    "resourceId",
                    Value::Array(a.resource_id.into_iter().map(Value::Str).collect()),
                ),
            ])
        }),
        Func::Partition => {
            let p = partition_of(s(0)?.unwrap_or(""));
            Some(Value::Object(vec![
                ("name", Value::Str(p.name.to_string())),
                ("dnsSuffix", Value::Str(p.dns_suffix.to_string())),
                (
                    "dualStackDnsSuffix",
                    Value::Str(p.dual_stack_dns_suffix.to_string()),
                ),
                ("supportsFIPS", Value::Bool(p.supports_fips)),
                ("supportsDualStack", Value::Bool(p.supports_dual_stack)),
                (
                    "implicitGlobalRegion",
                    Value::Str(p.implicit_global_region.to_string()),
                ),
            ]))
        }
        Func::Unsupported(name) => {
            return Err(RuleError::Invalid(format!("`{name}` is not supported")))
        }
    })
}
