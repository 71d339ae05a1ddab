//! Condition expressions built from Rust values, as boto3's `boto3.dynamodb.conditions`:
//! `Key("pk").eq("u#1") & Key("sk").begins_with("2024-")` for a `KeyConditionExpression`,
//! `Attr("age").gte(18) & !Attr("banned").exists()` for a `FilterExpression` or
//! `ConditionExpression`.
//!
//! [`ExpressionBuilder`] turns conditions into expression text with `#n0`, `#n1`, ... for
//! attribute names and `:v0`, `:v1`, ... for values, numbered as boto3 numbers them (one count per
//! request, condition and filter expressions first, then the key condition), with the
//! `ExpressionAttributeNames` and `ExpressionAttributeValues` they need.
//!
//! A comparison's right side (`impl Operand`) is any `Serialize` value, another attribute
//! (`Attr("low").lt(Attr("high"))`) or an attribute's size (`Attr("tags").size()`).

use super::{item_to_attributes, to_value, AttributeValueType, ConvertError, Value};
use serde::Serialize;
use std::collections::{BTreeMap, HashMap};
use std::ops::{BitAnd, BitOr, Not};

/// A key attribute in a key condition (boto3's `Key`): `Key("pk").eq("u#1")`.
#[derive(Clone, Copy, Debug)]
#[allow(non_snake_case)]
pub struct Key<'a>(pub &'a str);

/// An attribute in a filter or condition (boto3's `Attr`): `Attr("age").gt(30)`. A name may be a
/// document path (`"address.city"`, `"tags[0]"`); each name in it gets its own placeholder.
#[derive(Clone, Copy, Debug)]
#[allow(non_snake_case)]
pub struct Attr<'a>(pub &'a str);

/// The size of an attribute (`Attr("tags").size()`), compared as an attribute is.
#[derive(Clone, Debug)]
pub struct Size(String);

/// A condition: built with [`Key`] or [`Attr`] and combined with `&`, `|` and `!`.
#[derive(Clone, Debug)]
pub struct Condition(Node);

#[derive(Clone, Debug)]
enum Term {
    /// An attribute path; `true` when it is a [`Key`].
    Path(String, bool),
    Size(String),
    Value(Result<Value, ConvertError>),
}

#[derive(Clone, Debug)]
enum Node {
    Compare(Term, &'static str, Term),
    In(Term, Vec<Result<Value, ConvertError>>),
    Between(Term, Term, Term),
    Function(&'static str, Term, Option<Term>),
    And(Box<Node>, Box<Node>),
    Or(Box<Node>, Box<Node>),
    Not(Box<Node>),
}

/// What a comparison's right side may be: any `Serialize` value, or another attribute
/// (`Attr("a").lt(Attr("b"))`) or attribute size. Hidden from the docs: every `Serialize` type
/// implements it through a blanket impl, which would put it in each type's trait list.
#[doc(hidden)]
pub trait Operand {
    #[doc(hidden)]
    fn operand(&self) -> TermBox;
}

/// An operand as `Operand` gives it (opaque).
#[doc(hidden)]
pub struct TermBox(Term);

impl<T: Serialize + ?Sized> Operand for T {
    fn operand(&self) -> TermBox {
        TermBox(Term::Value(to_value(self)))
    }
}

impl Operand for Key<'_> {
    fn operand(&self) -> TermBox {
        TermBox(Term::Path(self.0.to_string(), true))
    }
}

impl Operand for Attr<'_> {
    fn operand(&self) -> TermBox {
        TermBox(Term::Path(self.0.to_string(), false))
    }
}

impl Operand for Size {
    fn operand(&self) -> TermBox {
        TermBox(Term::Size(self.0.clone()))
    }
}

fn operand(v: &(impl Operand + ?Sized)) -> Term {
    v.operand().0
}

/// The comparisons keys and attributes (and sizes) share.
macro_rules! comparisons {
    ($me:expr) => {
        /// `= value` (boto3's `eq`).
        pub fn eq(&self, value: impl Operand) -> Condition {
            Condition(Node::Compare($me(self), "=", operand(&value)))
        }
        /// `< value`.
        pub fn lt(&self, value: impl Operand) -> Condition {
            Condition(Node::Compare($me(self), "<", operand(&value)))
        }
        /// `<= value`.
        pub fn lte(&self, value: impl Operand) -> Condition {
            Condition(Node::Compare($me(self), "<=", operand(&value)))
        }
        /// `> value`.
        pub fn gt(&self, value: impl Operand) -> Condition {
            Condition(Node::Compare($me(self), ">", operand(&value)))
        }
        /// `>= value`.
        pub fn gte(&self, value: impl Operand) -> Condition {
            Condition(Node::Compare($me(self), ">=", operand(&value)))
        }
        /// `BETWEEN low AND high` (both ends included).
        pub fn between(&self, low: impl Operand, high: impl Operand) -> Condition {
            Condition(Node::Between($me(self), operand(&low), operand(&high)))
        }
        /// `begins_with(name, prefix)`.
        pub fn begins_with(&self, prefix: impl Operand) -> Condition {
            Condition(Node::Function(
                "begins_with",
                $me(self),
                Some(operand(&prefix)),
            ))
        }
    };
}

impl Key<'_> {
    comparisons!(|k: &Key| Term::Path(k.0.to_string(), true));
}

impl Attr<'_> {
    comparisons!(|a: &Attr| Term::Path(a.0.to_string(), false));

    /// `<> value`.
    pub fn ne(&self, value: impl Operand) -> Condition {
        Condition(Node::Compare(self.path(), "<>", operand(&value)))
    }
    /// `IN (v0, v1, ...)`: equal to one of `values`.
    pub fn is_in<T: Serialize>(&self, values: impl IntoIterator<Item = T>) -> Condition {
        let values = values.into_iter().map(|v| to_value(&v)).collect();
        Condition(Node::In(self.path(), values))
    }
    /// `attribute_exists(name)`.
    pub fn exists(&self) -> Condition {
        Condition(Node::Function("attribute_exists", self.path(), None))
    }
    /// `attribute_not_exists(name)`.
    pub fn not_exists(&self) -> Condition {
        Condition(Node::Function("attribute_not_exists", self.path(), None))
    }
    /// `contains(name, value)`: a string holding a substring, or a set or list holding a member.
    pub fn contains(&self, value: impl Operand) -> Condition {
        Condition(Node::Function(
            "contains",
            self.path(),
            Some(operand(&value)),
        ))
    }
    /// `attribute_type(name, type)`, the type as DynamoDB names it (`"S"`, `"N"`, `"SS"`, ...).
    pub fn attribute_type(&self, type_name: &str) -> Condition {
        Condition(Node::Function(
            "attribute_type",
            self.path(),
            Some(Term::Value(Ok(Value::String(type_name.to_string())))),
        ))
    }
    /// `size(name)`, to compare: `Attr("tags").size().gt(2)`.
    pub fn size(&self) -> Size {
        Size(self.0.to_string())
    }

    fn path(&self) -> Term {
        Term::Path(self.0.to_string(), false)
    }
}

impl Size {
    comparisons!(|s: &Size| Term::Size(s.0.clone()));

    /// `<> value`.
    pub fn ne(&self, value: impl Operand) -> Condition {
        Condition(Node::Compare(
            Term::Size(self.0.clone()),
            "<>",
            operand(&value),
        ))
    }
}

impl BitAnd for Condition {
    type Output = Condition;
    fn bitand(self, other: Condition) -> Condition {
        Condition(Node::And(Box::new(self.0), Box::new(other.0)))
    }
}

impl BitOr for Condition {
    type Output = Condition;
    fn bitor(self, other: Condition) -> Condition {
        Condition(Node::Or(Box::new(self.0), Box::new(other.0)))
    }
}

impl Not for Condition {
    type Output = Condition;
    fn not(self) -> Condition {
        Condition(Node::Not(Box::new(self.0)))
    }
}

/// A built expression: its text and the placeholders it uses.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct Expression {
    /// The expression, with placeholders (`(#n0 = :v0 AND begins_with(#n1, :v1))`).
    pub text: String,
    /// `#n0` → attribute name.
    pub names: BTreeMap<String, String>,
    /// `:v0` → value.
    pub values: BTreeMap<String, Value>,
}

/// A condition that cannot be built: a value that does not convert, or a key condition DynamoDB
/// would refuse.
#[derive(Clone, Debug, PartialEq)]
pub struct ConditionError(String);

impl std::fmt::Display for ConditionError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for ConditionError {}

impl From<ConditionError> for crate::Error {
    fn from(e: ConditionError) -> crate::Error {
        crate::Error::validation(e.0)
    }
}

/// Builds conditions into expressions, numbering placeholders across one request (boto3's
/// `ConditionExpressionBuilder`).
///
/// It also gathers the placeholders of everything it built, for the request's
/// `ExpressionAttributeNames` ([`names`](Self::names)) and `ExpressionAttributeValues`
/// ([`values`](Self::values)).
#[derive(Debug, Default)]
pub struct ExpressionBuilder {
    names: usize,
    values: usize,
    all_names: BTreeMap<String, String>,
    all_values: BTreeMap<String, Value>,
}

impl ExpressionBuilder {
    /// A builder whose first placeholders are `#n0` and `:v0`.
    pub fn new() -> ExpressionBuilder {
        ExpressionBuilder::default()
    }

    /// A `ConditionExpression` or `FilterExpression`.
    pub fn condition(&mut self, c: &Condition) -> Result<Expression, ConditionError> {
        self.build(c, false)
    }

    /// A `KeyConditionExpression`: only [`Key`]s, compared with `=`, `<`, `<=`, `>`, `>=`,
    /// `BETWEEN` or `begins_with` and joined with `&`; anything else is an error here rather than
    /// DynamoDB's `ValidationException`.
    pub fn key_condition(&mut self, c: &Condition) -> Result<Expression, ConditionError> {
        self.build(c, true)
    }

    /// Every name placeholder built so far (`#n0` → name), as a request's
    /// `ExpressionAttributeNames`.
    pub fn names(&self) -> HashMap<String, String> {
        self.all_names.clone().into_iter().collect()
    }

    /// Every value placeholder built so far (`:v0` → value), as a request's
    /// `ExpressionAttributeValues` of the generated `AttributeValue`.
    pub fn values<A: AttributeValueType>(&self) -> HashMap<String, A> {
        item_to_attributes(self.all_values.clone())
    }

    /// [`values`](Self::values) as native values.
    pub fn native_values(&self) -> BTreeMap<String, Value> {
        self.all_values.clone()
    }

    fn build(&mut self, c: &Condition, key: bool) -> Result<Expression, ConditionError> {
        let mut e = Expression::default();
        e.text = self.node(&c.0, key, &mut e)?;
        self.all_names.extend(e.names.clone());
        self.all_values.extend(e.values.clone());
        Ok(e)
    }

    fn node(&mut self, n: &Node, key: bool, e: &mut Expression) -> Result<String, ConditionError> {
        let refuse = |what: &str| {
            Err(ConditionError(format!(
                "a key condition cannot use {what}: only Key(..) comparisons, BETWEEN and \
                 begins_with, joined with &"
            )))
        };
        Ok(match n {
            Node::Compare(a, op, b) => {
                if key && *op == "<>" {
                    return refuse("<>");
                }
                let a = self.operand(a, key, e)?;
                let b = self.operand(b, key, e)?;
                format!("{a} {op} {b}")
            }
            Node::In(a, values) => {
                if key {
                    return refuse("IN");
                }
                let a = self.operand(a, key, e)?;
                let mut list = Vec::with_capacity(values.len());
                for v in values {
                    list.push(self.value(v, e)?);
                }
                format!("{a} IN ({})", list.join(", "))
            }
            Node::Between(a, low, high) => {
                let a = self.operand(a, key, e)?;
                let low = self.operand(low, key, e)?;
                let high = self.operand(high, key, e)?;
                format!("{a} BETWEEN {low} AND {high}")
            }
            Node::Function(f, a, b) => {
                if key && *f != "begins_with" {
                    return refuse(f);
                }
                let a = self.operand(a, key, e)?;
                match b {
                    Some(b) => format!("{f}({a}, {})", self.operand(b, key, e)?),
                    None => format!("{f}({a})"),
                }
            }
            Node::And(a, b) => {
                let a = self.node(a, key, e)?;
                let b = self.node(b, key, e)?;
                format!("({a} AND {b})")
            }
            Node::Or(a, b) => {
                if key {
                    return refuse("OR (|)");
                }
                let a = self.node(a, key, e)?;
                let b = self.node(b, key, e)?;
                format!("({a} OR {b})")
            }
            Node::Not(a) => {
                if key {
                    return refuse("NOT (!)");
                }
                format!("(NOT {})", self.node(a, key, e)?)
            }
        })
    }

    fn operand(
        &mut self,
        o: &Term,
        key: bool,
        e: &mut Expression,
    ) -> Result<String, ConditionError> {
        match o {
            Term::Path(p, is_key) => {
                if key && !is_key {
                    return Err(ConditionError(format!(
                        "a key condition names its attributes with Key(..), not Attr({p:?})"
                    )));
                }
                Ok(self.path(p, e))
            }
            Term::Size(p) => {
                if key {
                    return Err(ConditionError(format!(
                        "a key condition cannot use size({p})"
                    )));
                }
                Ok(format!("size({})", self.path(p, e)))
            }
            Term::Value(v) => self.value(v, e),
        }
    }

    /// A placeholder for each name of a document path, as boto3 makes them: `a.b[2].c` is
    /// `#n0.#n1[2].#n2`.
    fn path(&mut self, p: &str, e: &mut Expression) -> String {
        let mut out = String::with_capacity(p.len() + 8);
        let mut name = String::new();
        let mut depth = 0usize;
        let mut flush = |name: &mut String, out: &mut String, this: &mut Self| {
            if !name.is_empty() {
                let ph = format!("#n{}", this.names);
                this.names += 1;
                out.push_str(&ph);
                e.names.insert(ph, std::mem::take(name));
            }
        };
        for c in p.chars() {
            match c {
                '[' => {
                    flush(&mut name, &mut out, self);
                    depth += 1;
                    out.push(c);
                }
                ']' => {
                    depth = depth.saturating_sub(1);
                    out.push(c);
                }
                '.' if depth == 0 => {
                    flush(&mut name, &mut out, self);
                    out.push(c);
                }
                c if depth > 0 => out.push(c),
                c => name.push(c),
            }
        }
        flush(&mut name, &mut out, self);
        out
    }

    fn value(
        &mut self,
        v: &Result<Value, ConvertError>,
        e: &mut Expression,
    ) -> Result<String, ConditionError> {
        let ph = format!(":v{}", self.values);
        let v = v
            .clone()
            .map_err(|err| ConditionError(format!("the value for {ph}: {err}")))?;
        self.values += 1;
        e.values.insert(ph.clone(), v);
        Ok(ph)
    }
}

impl Condition {
    /// This condition built alone (placeholders from `#n0` and `:v0`).
    pub fn build(&self) -> Result<Expression, ConditionError> {
        ExpressionBuilder::new().condition(self)
    }
}
