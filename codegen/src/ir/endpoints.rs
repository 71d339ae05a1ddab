//! Lowering of an endpoint rule set: every `ref`, template reference and assigned name becomes a
//! numbered slot, `getAttr` paths and templates are parsed, functions are checked. The result is
//! what `emit::endpoints` writes as static tables and what the conformance runner builds at run
//! time, so both evaluate the same compiled form.

use crate::jmespath;
use crate::model::endpoints::{ConditionModel, EndpointModel, RuleModel, RuleSetModel};
use crate::model::{OperationModel, ShapeModel};
use serde_json::Value;
use std::collections::BTreeMap;

/// Where an operation takes one endpoint parameter from.
#[derive(Debug, Clone, PartialEq)]
pub enum ContextSource {
    /// `staticContextParams`: always this value.
    Static(ExprIr),
    /// `contextParam`: the input member of this (model) name.
    Member(String),
    /// `operationContextParams`: a JMESPath path over the input.
    Path(jmespath::Ast),
}

/// An operation's endpoint parameters, in botocore's order of precedence (static values, then
/// input members, then paths), each with its source.
pub fn operation_params(
    op: &OperationModel,
    shapes: &BTreeMap<String, ShapeModel>,
) -> Result<Vec<(String, ContextSource)>, String> {
    let mut out = Vec::new();
    for (name, p) in &op.static_context_params {
        let v = literal(&p.value).map_err(|e| format!("staticContextParams.{name}: {e}"))?;
        out.push((name.clone(), ContextSource::Static(v)));
    }
    if let Some(input) = op.input.as_ref().and_then(|i| shapes.get(&i.shape)) {
        for (member, r) in &input.members {
            if let Some(c) = &r.context_param {
                out.push((c.name.clone(), ContextSource::Member(member.clone())));
            }
        }
    }
    for (name, p) in &op.operation_context_params {
        let ast = jmespath::parse(&p.path)
            .map_err(|e| format!("operationContextParams.{name}: {:?}: {e}", p.path))?;
        out.push((name.clone(), ContextSource::Path(ast)));
    }
    Ok(out)
}

/// A compiled rule set.
#[derive(Debug, Clone, PartialEq)]
pub struct RuleSetIr {
    /// Parameters, in the file's order; parameter `i` is slot `i`.
    pub params: Vec<ParamIr>,
    /// Top-level rules.
    pub rules: Vec<RuleIr>,
    /// Slots in all (parameters, then assigned names).
    pub slots: u16,
}

/// A parameter's type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParamKindIr {
    /// `string`
    String,
    /// `boolean`
    Boolean,
    /// `stringArray`
    StringArray,
}

impl ParamKindIr {
    /// The runtime's variant name.
    pub fn variant_name(self) -> &'static str {
        match self {
            ParamKindIr::String => "String",
            ParamKindIr::Boolean => "Boolean",
            ParamKindIr::StringArray => "StringArray",
        }
    }
}

/// One parameter.
#[derive(Debug, Clone, PartialEq)]
pub struct ParamIr {
    /// Name.
    pub name: String,
    /// Type.
    pub kind: ParamKindIr,
    /// Built-in (`AWS::Region`).
    pub built_in: Option<String>,
    /// Required.
    pub required: bool,
    /// Default value (a literal).
    pub default: Option<ExprIr>,
    /// Documentation (plain text).
    pub documentation: String,
    /// Deprecation message.
    pub deprecated: Option<String>,
}

/// A rule.
#[derive(Debug, Clone, PartialEq)]
pub enum RuleIr {
    /// Conditions, then an endpoint.
    Endpoint(Vec<CondIr>, EndpointIr),
    /// Conditions, then an error message.
    Error(Vec<CondIr>, ExprIr),
    /// Conditions, then more rules.
    Tree(Vec<CondIr>, Vec<RuleIr>),
}

/// A condition: a call, its result kept in a slot when named.
#[derive(Debug, Clone, PartialEq)]
pub struct CondIr {
    /// The call.
    pub expr: ExprIr,
    /// The slot of its name.
    pub assign: Option<u16>,
}

/// An expression.
#[derive(Debug, Clone, PartialEq)]
pub enum ExprIr {
    /// Plain string.
    Str(String),
    /// Template string.
    Tpl(Vec<PartIr>),
    /// Boolean.
    Bool(bool),
    /// Whole number.
    Int(i64),
    /// A slot's value.
    Ref(u16),
    /// A call.
    Call(FnIr, Vec<ExprIr>),
    /// `getAttr` with its path compiled.
    Attr(Box<ExprIr>, Vec<SegIr>),
    /// List.
    Array(Vec<ExprIr>),
    /// Object.
    Object(Vec<(String, ExprIr)>),
}

/// A piece of a template.
#[derive(Debug, Clone, PartialEq)]
pub enum PartIr {
    /// Text.
    Lit(String),
    /// `{Name}`
    Ref(u16),
    /// `{name#path}`
    Attr(u16, Vec<SegIr>),
}

/// A `getAttr` step.
#[derive(Debug, Clone, PartialEq)]
pub enum SegIr {
    /// `name`
    Key(String),
    /// `[i]`
    Index(usize),
}

/// A function.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FnIr {
    /// One the runtime implements: its rule-set name (see [`FUNCTIONS`]).
    Known(&'static str),
    /// One it does not (`split`, `coalesce`, `ite`): evaluation reports it by name.
    Unsupported(String),
}

/// An endpoint.
#[derive(Debug, Clone, PartialEq)]
pub struct EndpointIr {
    /// URL.
    pub url: ExprIr,
    /// Properties.
    pub properties: Vec<(String, ExprIr)>,
    /// Headers.
    pub headers: Vec<(String, Vec<ExprIr>)>,
}

/// The functions the runtime implements: (rule-set name, the runtime's `Func` variant, arity).
pub const FUNCTIONS: &[(&str, &str, usize)] = &[
    ("isSet", "IsSet", 1),
    ("not", "Not", 1),
    ("booleanEquals", "BooleanEquals", 2),
    ("stringEquals", "StringEquals", 2),
    ("substring", "Substring", 4),
    ("uriEncode", "UriEncode", 1),
    ("parseURL", "ParseUrl", 1),
    ("isValidHostLabel", "IsValidHostLabel", 2),
    ("aws.partition", "Partition", 1),
    ("aws.parseArn", "ParseArn", 1),
    (
        "aws.isVirtualHostableS3Bucket",
        "IsVirtualHostableS3Bucket",
        2,
    ),
];

/// Names in scope while lowering: name -> slot.
struct Lowering {
    slots: BTreeMap<String, u16>,
    next: u16,
}

/// Compiles a parsed rule set.
pub fn lower(model: &RuleSetModel) -> Result<RuleSetIr, String> {
    let mut l = Lowering {
        slots: BTreeMap::new(),
        next: 0,
    };
    let mut params = Vec::with_capacity(model.parameters.len());
    for (name, p) in &model.parameters {
        let kind = match p.kind.to_ascii_lowercase().as_str() {
            "string" => ParamKindIr::String,
            "boolean" => ParamKindIr::Boolean,
            "stringarray" => ParamKindIr::StringArray,
            other => return Err(format!("parameter {name}: unknown type {other:?}")),
        };
        let default = match &p.default {
            Some(v) => Some(literal(v).map_err(|e| format!("parameter {name}: default: {e}"))?),
            None => None,
        };
        let deprecated = p.deprecated.as_ref().map(|d| {
            let mut m = format!("{name} has been deprecated.");
            if let Some(msg) = &d.message {
                m.push(' ');
                m.push_str(msg);
            }
            if let Some(since) = &d.since {
                m.push_str(&format!(" Deprecated since {since}."));
            }
            m
        });
        let slot = l.next;
        l.slots.insert(name.clone(), slot);
        l.next += 1;
        params.push(ParamIr {
            name: name.clone(),
            kind,
            built_in: p.built_in.clone(),
            required: p.required,
            default,
            documentation: p.documentation.clone().unwrap_or_default(),
            deprecated,
        });
    }
    let scope: Vec<String> = model.parameters.keys().cloned().collect();
    let rules = lower_rules(&mut l, &model.rules, &scope, "rules")?;
    Ok(RuleSetIr {
        params,
        rules,
        slots: l.next,
    })
}

fn lower_rules(
    l: &mut Lowering,
    rules: &[RuleModel],
    scope: &[String],
    at: &str,
) -> Result<Vec<RuleIr>, String> {
    let mut out = Vec::with_capacity(rules.len());
    for (i, r) in rules.iter().enumerate() {
        let at = format!("{at}[{i}]");
        let mut scope = scope.to_vec();
        let rule = match r {
            RuleModel::Endpoint {
                conditions,
                endpoint,
            } => {
                let c = lower_conditions(l, conditions, &mut scope, &at)?;
                RuleIr::Endpoint(c, lower_endpoint(l, endpoint, &scope, &at)?)
            }
            RuleModel::Error { conditions, error } => {
                let c = lower_conditions(l, conditions, &mut scope, &at)?;
                RuleIr::Error(c, lower_expr(l, error, &scope, &format!("{at}.error"))?)
            }
            RuleModel::Tree { conditions, rules } => {
                let c = lower_conditions(l, conditions, &mut scope, &at)?;
                RuleIr::Tree(c, lower_rules(l, rules, &scope, &format!("{at}.rules"))?)
            }
        };
        out.push(rule);
    }
    Ok(out)
}

fn lower_conditions(
    l: &mut Lowering,
    conds: &[ConditionModel],
    scope: &mut Vec<String>,
    at: &str,
) -> Result<Vec<CondIr>, String> {
    let mut out = Vec::with_capacity(conds.len());
    for (i, c) in conds.iter().enumerate() {
        let at = format!("{at}.conditions[{i}]");
        let expr = lower_call(l, &c.function, &c.argv, scope, &at)?;
        let assign = match &c.assign {
            Some(name) => {
                if scope.contains(name) {
                    return Err(format!("{at}: `{name}` is assigned twice in one scope"));
                }
                scope.push(name.clone());
                Some(l.slot_for(name))
            }
            None => None,
        };
        out.push(CondIr { expr, assign });
    }
    Ok(out)
}

impl Lowering {
    /// The slot of an assigned name: one per distinct name, as a name is only read after the
    /// condition that assigns it in the same rule path.
    fn slot_for(&mut self, name: &str) -> u16 {
        if let Some(s) = self.slots.get(name) {
            return *s;
        }
        let s = self.next;
        self.slots.insert(name.to_string(), s);
        self.next += 1;
        s
    }

    fn reference(&self, name: &str, scope: &[String], at: &str) -> Result<u16, String> {
        if !scope.iter().any(|s| s == name) {
            return Err(format!(
                "{at}: `{name}` is not a parameter or a name assigned before it"
            ));
        }
        self.slots
            .get(name)
            .copied()
            .ok_or_else(|| format!("{at}: `{name}` has no slot"))
    }
}

fn lower_call(
    l: &Lowering,
    function: &str,
    argv: &[Value],
    scope: &[String],
    at: &str,
) -> Result<ExprIr, String> {
    if function == "getAttr" {
        let [base, Value::String(path)] = argv else {
            return Err(format!("{at}: getAttr takes a value and a literal path"));
        };
        let base = lower_expr(l, base, scope, at)?;
        return Ok(ExprIr::Attr(Box::new(base), attr_path(path, at)?));
    }
    let mut args = Vec::with_capacity(argv.len());
    for a in argv {
        args.push(lower_expr(l, a, scope, at)?);
    }
    let f = match FUNCTIONS.iter().find(|(n, _, _)| *n == function) {
        Some((name, _, arity)) => {
            if args.len() != *arity {
                return Err(format!(
                    "{at}: `{function}` takes {arity} arguments, given {}",
                    args.len()
                ));
            }
            FnIr::Known(name)
        }
        None => FnIr::Unsupported(function.to_string()),
    };
    Ok(ExprIr::Call(f, args))
}

fn lower_expr(l: &Lowering, v: &Value, scope: &[String], at: &str) -> Result<ExprIr, String> {
    Ok(match v {
        Value::String(s) => template(l, s, scope, at)?,
        Value::Bool(b) => ExprIr::Bool(*b),
        Value::Number(n) => ExprIr::Int(
            n.as_i64()
                .ok_or_else(|| format!("{at}: {n} is not a whole number"))?,
        ),
        Value::Array(items) => ExprIr::Array(
            items
                .iter()
                .map(|i| lower_expr(l, i, scope, at))
                .collect::<Result<_, _>>()?,
        ),
        Value::Object(o) if o.contains_key("ref") => match o.get("ref") {
            Some(Value::String(name)) => ExprIr::Ref(l.reference(name, scope, at)?),
            _ => return Err(format!("{at}: a ref must name a variable")),
        },
        Value::Object(o) if o.contains_key("fn") => {
            let Some(Value::String(f)) = o.get("fn") else {
                return Err(format!("{at}: fn must be a name"));
            };
            let argv = match o.get("argv") {
                Some(Value::Array(a)) => a.as_slice(),
                _ => &[],
            };
            lower_call(l, f, argv, scope, at)?
        }
        Value::Object(o) => ExprIr::Object(
            o.iter()
                .map(|(k, v)| Ok((k.clone(), lower_expr(l, v, scope, at)?)))
                .collect::<Result<_, String>>()?,
        ),
        Value::Null => return Err(format!("{at}: null is not an expression")),
    })
}

/// A literal (a parameter default).
fn literal(v: &Value) -> Result<ExprIr, String> {
    Ok(match v {
        Value::String(s) => ExprIr::Str(s.clone()),
        Value::Bool(b) => ExprIr::Bool(*b),
        Value::Array(items) => ExprIr::Array(items.iter().map(literal).collect::<Result<_, _>>()?),
        other => return Err(format!("{other} is not a string, boolean or list")),
    })
}

/// botocore treats a string as a template only when it holds `{name}` or `{name#attr}`; then
/// `{{` and `}}` stand for braces.
fn template(l: &Lowering, s: &str, scope: &[String], at: &str) -> Result<ExprIr, String> {
    if !has_reference(s) {
        return Ok(ExprIr::Str(s.to_string()));
    }
    let mut parts = Vec::new();
    let mut lit = String::new();
    let mut chars = s.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        match c {
            '{' if chars.peek().map(|p| p.1) == Some('{') => {
                chars.next();
                lit.push('{');
            }
            '}' if chars.peek().map(|p| p.1) == Some('}') => {
                chars.next();
                lit.push('}');
            }
            '{' => {
                let rest = &s[i + 1..];
                let end = rest
                    .find('}')
                    .ok_or_else(|| format!("{at}: unclosed `{{` in template {s:?}"))?;
                let field = &rest[..end];
                for _ in 0..field.chars().count() + 1 {
                    chars.next();
                }
                if !lit.is_empty() {
                    parts.push(PartIr::Lit(std::mem::take(&mut lit)));
                }
                parts.push(match field.split_once('#') {
                    None => PartIr::Ref(l.reference(field, scope, at)?),
                    Some((name, path)) => PartIr::Attr(
                        l.reference(name, scope, at)?,
                        path.split('#').map(|p| SegIr::Key(p.to_string())).collect(),
                    ),
                });
            }
            '}' => return Err(format!("{at}: single `}}` in template {s:?}")),
            c => lit.push(c),
        }
    }
    if !lit.is_empty() {
        parts.push(PartIr::Lit(lit));
    }
    Ok(ExprIr::Tpl(parts))
}

/// A template in the runtime's compiled form: `{slot}` and `{slot#key#key}` for references,
/// braces in the text doubled.
pub fn compiled_template(parts: &[PartIr]) -> String {
    let mut t = String::new();
    for p in parts {
        match p {
            PartIr::Lit(s) => t.push_str(&s.replace('{', "{{").replace('}', "}}")),
            PartIr::Ref(i) => t.push_str(&format!("{{{i}}}")),
            PartIr::Attr(i, segs) => {
                t.push_str(&format!("{{{i}"));
                for s in segs {
                    if let SegIr::Key(k) = s {
                        t.push('#');
                        t.push_str(k);
                    }
                }
                t.push('}');
            }
        }
    }
    t
}

/// Whether `s` holds `{` letters or `#` `}` (botocore's `TEMPLATE_STRING_RE`).
fn has_reference(s: &str) -> bool {
    s.match_indices('{').any(|(i, _)| {
        let rest = &s[i + 1..];
        let n = rest
            .bytes()
            .take_while(|b| b.is_ascii_alphabetic() || *b == b'#')
            .count();
        n > 0 && rest.as_bytes().get(n) == Some(&b'}')
    })
}

/// A `getAttr` path: `a.b`, `resourceId[2]`, `[0]`.
fn attr_path(path: &str, at: &str) -> Result<Vec<SegIr>, String> {
    let mut out = Vec::new();
    for part in path.split('.') {
        match part.find('[') {
            Some(open) if part.ends_with(']') => {
                let name = &part[..open];
                let idx = part[open + 1..part.len() - 1]
                    .parse::<usize>()
                    .map_err(|_| format!("{at}: bad index in getAttr path {path:?}"))?;
                if !name.is_empty() {
                    out.push(SegIr::Key(name.to_string()));
                }
                out.push(SegIr::Index(idx));
            }
            _ if part.is_empty() => {
                return Err(format!("{at}: empty step in getAttr path {path:?}"))
            }
            _ => out.push(SegIr::Key(part.to_string())),
        }
    }
    Ok(out)
}

fn lower_endpoint(
    l: &Lowering,
    e: &EndpointModel,
    scope: &[String],
    at: &str,
) -> Result<EndpointIr, String> {
    let url = lower_expr(l, &e.url, scope, &format!("{at}.endpoint.url"))?;
    let mut properties = Vec::with_capacity(e.properties.len());
    for (k, v) in &e.properties {
        properties.push((
            k.clone(),
            lower_expr(l, v, scope, &format!("{at}.endpoint.properties.{k}"))?,
        ));
    }
    let mut headers = Vec::with_capacity(e.headers.len());
    for (k, vs) in &e.headers {
        let vs = vs
            .iter()
            .map(|v| lower_expr(l, v, scope, &format!("{at}.endpoint.headers.{k}")))
            .collect::<Result<_, _>>()?;
        headers.push((k.clone(), vs));
    }
    Ok(EndpointIr {
        url,
        properties,
        headers,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::endpoints::parse_rule_set;

    #[test]
    fn references_become_slots_and_templates_parts() {
        let rs = parse_rule_set(
            "t",
            r#"{"version": "1.0", "parameters": {"Region": {"type": "string", "builtIn": "AWS::Region", "required": true},
                "UseFIPS": {"type": "boolean", "default": false, "required": true}},
              "rules": [{"type": "tree", "conditions": [{"fn": "aws.partition", "argv": [{"ref": "Region"}], "assign": "p"}],
                "rules": [{"type": "endpoint", "conditions": [{"fn": "booleanEquals", "argv": [{"fn": "getAttr", "argv": [{"ref": "p"}, "supportsFIPS"]}, true]}],
                  "endpoint": {"url": "https://x.{Region}.{p#dnsSuffix}", "properties": {"a": "{{literal}}"}, "headers": {}}},
                  {"type": "error", "conditions": [], "error": "no {Region}"}]}]}"#,
        )
        .unwrap();
        let ir = lower(&rs).unwrap();
        assert_eq!(ir.slots, 3);
        let RuleIr::Tree(c, rules) = &ir.rules[0] else {
            panic!("{:?}", ir.rules[0])
        };
        assert_eq!(c[0].assign, Some(2));
        assert_eq!(
            c[0].expr,
            ExprIr::Call(FnIr::Known("aws.partition"), vec![ExprIr::Ref(0)])
        );
        let RuleIr::Endpoint(c, e) = &rules[0] else {
            panic!()
        };
        assert_eq!(
            c[0].expr,
            ExprIr::Call(
                FnIr::Known("booleanEquals"),
                vec![
                    ExprIr::Attr(
                        Box::new(ExprIr::Ref(2)),
                        vec![SegIr::Key("supportsFIPS".into())]
                    ),
                    ExprIr::Bool(true)
                ]
            )
        );
        assert_eq!(
            e.url,
            ExprIr::Tpl(vec![
                PartIr::Lit("https://x.".into()),
                PartIr::Ref(0),
                PartIr::Lit(".".into()),
                PartIr::Attr(2, vec![SegIr::Key("dnsSuffix".into())]),
            ])
        );
        // `{{literal}}` has the shape of a reference, so it is a template: braces unescaped.
        assert_eq!(
            e.properties[0].1,
            ExprIr::Tpl(vec![PartIr::Lit("{literal}".into())])
        );
    }

    #[test]
    fn bad_rule_sets_are_refused_with_where() {
        let bad = parse_rule_set(
            "t",
            r#"{"parameters": {}, "rules": [{"type": "endpoint", "conditions": [], "endpoint": {"url": "https://{Nope}"}}]}"#,
        )
        .unwrap();
        let e = lower(&bad).unwrap_err();
        assert!(
            e.contains("rules[0].endpoint.url") && e.contains("`Nope`"),
            "{e}"
        );
        // A function the runtime lacks is kept, to be reported if evaluation reaches it.
        let newer = parse_rule_set(
            "t",
            r#"{"parameters": {"A": {"type": "string"}}, "rules": [{"type": "error", "conditions": [{"fn": "split", "argv": [{"ref": "A"}, ",", 0]}], "error": "x"}]}"#,
        )
        .unwrap();
        let RuleIr::Error(c, _) = &lower(&newer).unwrap().rules[0] else {
            panic!()
        };
        assert!(matches!(&c[0].expr, ExprIr::Call(FnIr::Unsupported(n), _) if n == "split"));
        assert_eq!(
            attr_path("resourceId[1]", "").unwrap(),
            vec![SegIr::Key("resourceId".into()), SegIr::Index(1)]
        );
        assert!(attr_path("a..b", "").is_err());
        assert!(!has_reference("{\"json\": 1}"));
        assert!(has_reference("a{b#c}d"));
    }
}
