//! The compiled form of a JMESPath expression: plain data the generator writes into statics
//! (paginators, waiters, endpoint context parameters), apart from its evaluation so that static
//! descriptions can hold expressions without depending on values.

/// A comparison operator.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CmpOp {
    /// `==` (deep equality)
    Eq,
    /// `!=`
    Ne,
    /// `>` (numbers only; otherwise null)
    Gt,
}

/// A compiled expression.
#[derive(Debug)]
pub enum Expr {
    /// `@`
    Identity,
    /// `name`
    Field(&'static str),
    /// `a.b`
    Sub(&'static Expr, &'static Expr),
    /// `a[-1]`
    Index(&'static Expr, i64),
    /// `a[]`
    Flatten(&'static Expr),
    /// list projection: left to a list, right on each element, nulls dropped
    Project(&'static Expr, &'static Expr),
    /// object value projection `a.*.b`
    ValueProject(&'static Expr, &'static Expr),
    /// `a[?cond].b`
    Filter(&'static Expr, &'static Expr, &'static Expr),
    /// comparison
    Cmp(CmpOp, &'static Expr, &'static Expr),
    /// `&&`
    And(&'static Expr, &'static Expr),
    /// `||`
    Or(&'static Expr, &'static Expr),
    /// `!`
    Not(&'static Expr),
    /// `length(a)`
    Length(&'static Expr),
    /// `keys(a)`: the keys of a map (or the set members of a structure), sorted
    Keys(&'static Expr),
    /// number literal
    Number(f64),
    /// string literal
    Str(&'static str),
    /// boolean literal
    Bool(bool),
    /// `a | b`
    Pipe(&'static Expr, &'static Expr),
    /// `[a, b]`
    MultiList(&'static [Expr]),
}

/// The expression as JMESPath text (the form waiter messages quote, as botocore quotes the
/// model's `argument`): paths come back as written (`Reservations[].Instances[].State.Name`);
/// literals are written as JSON literals.
impl std::fmt::Display for Expr {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        fn name(f: &mut std::fmt::Formatter<'_>, n: &str) -> std::fmt::Result {
            let plain = n.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_')
                && n.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
            if plain {
                f.write_str(n)
            } else {
                write!(f, "{}", serde_json::Value::from(n))
            }
        }
        /// `right` after a projection's left side: nothing for `@`, `.x` for a field path,
        /// brackets as they are.
        fn then(f: &mut std::fmt::Formatter<'_>, right: &Expr) -> std::fmt::Result {
            match right {
                Expr::Identity => Ok(()),
                Expr::Index(..) | Expr::Flatten(_) | Expr::Filter(..) => write!(f, "{right}"),
                _ => write!(f, ".{right}"),
            }
        }
        match self {
            Expr::Identity => f.write_str("@"),
            Expr::Field(n) => name(f, n),
            Expr::Sub(a, b) => {
                write!(f, "{a}")?;
                then(f, b)
            }
            Expr::Index(a, i) => match a {
                Expr::Identity => write!(f, "[{i}]"),
                _ => write!(f, "{a}[{i}]"),
            },
            Expr::Flatten(a) => match a {
                Expr::Identity => f.write_str("[]"),
                _ => write!(f, "{a}[]"),
            },
            Expr::Project(l, r) => {
                write!(f, "{l}")?;
                then(f, r)
            }
            Expr::ValueProject(l, r) => {
                write!(f, "{l}.*")?;
                then(f, r)
            }
            Expr::Filter(l, cond, r) => {
                match l {
                    Expr::Identity => {}
                    _ => write!(f, "{l}")?,
                }
                write!(f, "[?{cond}]")?;
                then(f, r)
            }
            Expr::Cmp(op, a, b) => {
                let op = match op {
                    CmpOp::Eq => "==",
                    CmpOp::Ne => "!=",
                    CmpOp::Gt => ">",
                };
                write!(f, "{a} {op} {b}")
            }
            Expr::And(a, b) => write!(f, "{a} && {b}"),
            Expr::Or(a, b) => write!(f, "{a} || {b}"),
            Expr::Not(a) => write!(f, "!{a}"),
            Expr::Length(a) => write!(f, "length({a})"),
            Expr::Keys(a) => write!(f, "keys({a})"),
            Expr::Number(n) if n.fract() == 0.0 && n.abs() < 1e15 => write!(f, "`{}`", *n as i64),
            Expr::Number(n) => write!(f, "`{n}`"),
            Expr::Str(s) => write!(f, "`{}`", serde_json::Value::from(*s)),
            Expr::Bool(b) => write!(f, "`{b}`"),
            Expr::Pipe(a, b) => write!(f, "{a} | {b}"),
            Expr::MultiList(items) => {
                f.write_str("[")?;
                for (i, e) in items.iter().enumerate() {
                    if i > 0 {
                        f.write_str(", ")?;
                    }
                    write!(f, "{e}")?;
                }
                f.write_str("]")
            }
        }
    }
}
