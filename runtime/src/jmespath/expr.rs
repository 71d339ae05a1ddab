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
