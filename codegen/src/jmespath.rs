//! The JMESPath subset botocore's paginators and waiters (and boto3's resources) use, parsed at
//! generation time and emitted as a static `boto_runtime::jmespath::Expr` tree.
//!
//! The parser follows jmespath.py's Pratt parser (same binding powers), so expressions group as
//! botocore groups them; anything outside the subset is an error naming what was not understood.

use proc_macro2::TokenStream;
use quote::quote;

/// A parsed expression.
#[derive(Debug, Clone, PartialEq)]
pub enum Ast {
    /// `@`
    Identity,
    /// `name`
    Field(String),
    /// `a.b`
    Sub(Box<Ast>, Box<Ast>),
    /// `a[-1]`
    Index(Box<Ast>, i64),
    /// `a[]` (flatten one level)
    Flatten(Box<Ast>),
    /// a list projection: `lhs` evaluated to a list, `rhs` applied to each element
    Project(Box<Ast>, Box<Ast>),
    /// `a.*.b`: `rhs` applied to each value of the object `lhs`
    ValueProject(Box<Ast>, Box<Ast>),
    /// `a[?cond].b`
    Filter(Box<Ast>, Box<Ast>, Box<Ast>),
    /// comparison
    Cmp(&'static str, Box<Ast>, Box<Ast>),
    /// `a && b`
    And(Box<Ast>, Box<Ast>),
    /// `a || b`
    Or(Box<Ast>, Box<Ast>),
    /// `!a`
    Not(Box<Ast>),
    /// `length(a)`
    Length(Box<Ast>),
    /// `keys(a)`
    Keys(Box<Ast>),
    /// a backtick number literal
    Number(f64),
    /// a raw string literal `'x'` (or a backtick string)
    Str(String),
    /// a backtick `true` / `false`
    Bool(bool),
    /// `a | b`
    Pipe(Box<Ast>, Box<Ast>),
    /// `[a, b]`
    MultiList(Vec<Ast>),
}

#[derive(Debug, Clone, PartialEq)]
enum Tok {
    Ident(String),
    Dot,
    LBracket,
    RBracket,
    Flatten,
    Filter,
    Star,
    At,
    Or,
    And,
    Not,
    Cmp(&'static str),
    LParen,
    RParen,
    Comma,
    Pipe,
    Number(i64),
    Literal(serde_json::Value),
    RawString(String),
    Eof,
}

fn bp(t: &Tok) -> u8 {
    match t {
        Tok::Pipe => 1,
        Tok::Or => 2,
        Tok::And => 3,
        Tok::Cmp(_) => 5,
        Tok::Flatten => 9,
        Tok::Star => 20,
        Tok::Filter => 21,
        Tok::Dot => 40,
        Tok::Not => 45,
        Tok::LBracket => 55,
        Tok::LParen => 60,
        _ => 0,
    }
}

fn lex(s: &str) -> Result<Vec<Tok>, String> {
    let b: Vec<char> = s.chars().collect();
    let mut i = 0;
    let mut out = Vec::new();
    while i < b.len() {
        let c = b[i];
        match c {
            ' ' | '\t' | '\n' => i += 1,
            '.' => {
                out.push(Tok::Dot);
                i += 1
            }
            '*' => {
                out.push(Tok::Star);
                i += 1
            }
            '@' => {
                out.push(Tok::At);
                i += 1
            }
            ']' => {
                out.push(Tok::RBracket);
                i += 1
            }
            '(' => {
                out.push(Tok::LParen);
                i += 1
            }
            ')' => {
                out.push(Tok::RParen);
                i += 1
            }
            ',' => {
                out.push(Tok::Comma);
                i += 1
            }
            '[' => {
                if b.get(i + 1) == Some(&']') {
                    out.push(Tok::Flatten);
                    i += 2;
                } else if b.get(i + 1) == Some(&'?') {
                    out.push(Tok::Filter);
                    i += 2;
                } else {
                    out.push(Tok::LBracket);
                    i += 1;
                }
            }
            '|' if b.get(i + 1) == Some(&'|') => {
                out.push(Tok::Or);
                i += 2
            }
            '|' => {
                out.push(Tok::Pipe);
                i += 1
            }
            '&' if b.get(i + 1) == Some(&'&') => {
                out.push(Tok::And);
                i += 2
            }
            '!' if b.get(i + 1) == Some(&'=') => {
                out.push(Tok::Cmp("!="));
                i += 2
            }
            '!' => {
                out.push(Tok::Not);
                i += 1
            }
            '=' if b.get(i + 1) == Some(&'=') => {
                out.push(Tok::Cmp("=="));
                i += 2
            }
            '>' | '<' => {
                let eq = b.get(i + 1) == Some(&'=');
                out.push(Tok::Cmp(match (c, eq) {
                    ('>', false) => ">",
                    ('>', true) => ">=",
                    ('<', false) => "<",
                    _ => "<=",
                }));
                i += if eq { 2 } else { 1 };
            }
            '`' => {
                let end = b[i + 1..]
                    .iter()
                    .position(|&x| x == '`')
                    .ok_or("unterminated literal")?;
                let text: String = b[i + 1..i + 1 + end].iter().collect();
                let v: serde_json::Value = serde_json::from_str(text.trim())
                    .map_err(|e| format!("invalid literal `{text}`: {e}"))?;
                out.push(Tok::Literal(v));
                i += end + 2;
            }
            '\'' => {
                let end = b[i + 1..]
                    .iter()
                    .position(|&x| x == '\'')
                    .ok_or("unterminated raw string")?;
                out.push(Tok::RawString(b[i + 1..i + 1 + end].iter().collect()));
                i += end + 2;
            }
            '-' | '0'..='9' => {
                let start = i;
                i += 1;
                while i < b.len() && b[i].is_ascii_digit() {
                    i += 1;
                }
                let text: String = b[start..i].iter().collect();
                out.push(Tok::Number(
                    text.parse().map_err(|_| format!("invalid number {text}"))?,
                ));
            }
            c if c.is_ascii_alphabetic() || c == '_' => {
                let start = i;
                while i < b.len() && (b[i].is_ascii_alphanumeric() || b[i] == '_') {
                    i += 1;
                }
                out.push(Tok::Ident(b[start..i].iter().collect()));
            }
            other => return Err(format!("unsupported character {other:?}")),
        }
    }
    out.push(Tok::Eof);
    Ok(out)
}

struct Parser {
    toks: Vec<Tok>,
    pos: usize,
}

impl Parser {
    fn peek(&self) -> &Tok {
        &self.toks[self.pos]
    }
    fn next(&mut self) -> Tok {
        let t = self.toks[self.pos].clone();
        if self.pos + 1 < self.toks.len() {
            self.pos += 1;
        }
        t
    }
    fn expect(&mut self, t: Tok) -> Result<(), String> {
        let got = self.next();
        if got == t {
            Ok(())
        } else {
            Err(format!("expected {t:?}, found {got:?}"))
        }
    }

    fn expression(&mut self, rbp: u8) -> Result<Ast, String> {
        let t = self.next();
        let mut left = self.nud(t)?;
        while rbp < bp(self.peek()) {
            let t = self.next();
            left = self.led(t, left)?;
        }
        Ok(left)
    }

    fn nud(&mut self, t: Tok) -> Result<Ast, String> {
        Ok(match t {
            Tok::Ident(n) => Ast::Field(n),
            Tok::At => Ast::Identity,
            Tok::Literal(v) => match v {
                serde_json::Value::Number(n) => {
                    Ast::Number(n.as_f64().ok_or("number literal out of range")?)
                }
                serde_json::Value::String(s) => Ast::Str(s),
                serde_json::Value::Bool(b) => Ast::Bool(b),
                other => return Err(format!("unsupported literal `{other}`")),
            },
            Tok::RawString(s) => Ast::Str(s),
            Tok::Not => Ast::Not(Box::new(self.expression(45)?)),
            Tok::LParen => {
                let e = self.expression(0)?;
                self.expect(Tok::RParen)?;
                e
            }
            Tok::Star => {
                let rhs = self.projection_rhs(20)?;
                Ast::ValueProject(Box::new(Ast::Identity), Box::new(rhs))
            }
            Tok::Flatten => {
                let rhs = self.projection_rhs(9)?;
                Ast::Project(
                    Box::new(Ast::Flatten(Box::new(Ast::Identity))),
                    Box::new(rhs),
                )
            }
            Tok::Filter => self.filter(Ast::Identity)?,
            Tok::LBracket => match self.peek().clone() {
                Tok::Number(n) => {
                    self.next();
                    self.expect(Tok::RBracket)?;
                    Ast::Index(Box::new(Ast::Identity), n)
                }
                Tok::Star => {
                    self.next();
                    self.expect(Tok::RBracket)?;
                    let rhs = self.projection_rhs(20)?;
                    Ast::Project(Box::new(Ast::Identity), Box::new(rhs))
                }
                _ => self.multi_list()?,
            },
            other => return Err(format!("unexpected {other:?}")),
        })
    }

    fn multi_list(&mut self) -> Result<Ast, String> {
        let mut items = vec![self.expression(0)?];
        while *self.peek() == Tok::Comma {
            self.next();
            items.push(self.expression(0)?);
        }
        self.expect(Tok::RBracket)?;
        Ok(Ast::MultiList(items))
    }

    fn filter(&mut self, left: Ast) -> Result<Ast, String> {
        let cond = self.expression(0)?;
        self.expect(Tok::RBracket)?;
        let rhs = self.projection_rhs(21)?;
        Ok(Ast::Filter(Box::new(left), Box::new(cond), Box::new(rhs)))
    }

    fn led(&mut self, t: Tok, left: Ast) -> Result<Ast, String> {
        Ok(match t {
            Tok::Dot => {
                if *self.peek() == Tok::Star {
                    self.next();
                    let rhs = self.projection_rhs(40)?;
                    Ast::ValueProject(Box::new(left), Box::new(rhs))
                } else {
                    let rhs = self.dot_rhs(40)?;
                    Ast::Sub(Box::new(left), Box::new(rhs))
                }
            }
            Tok::LBracket => match self.peek().clone() {
                Tok::Number(n) => {
                    self.next();
                    self.expect(Tok::RBracket)?;
                    Ast::Index(Box::new(left), n)
                }
                Tok::Star => {
                    self.next();
                    self.expect(Tok::RBracket)?;
                    let rhs = self.projection_rhs(20)?;
                    Ast::Project(Box::new(left), Box::new(rhs))
                }
                other => return Err(format!("unsupported index {other:?}")),
            },
            Tok::Flatten => {
                let rhs = self.projection_rhs(9)?;
                Ast::Project(Box::new(Ast::Flatten(Box::new(left))), Box::new(rhs))
            }
            Tok::Filter => self.filter(left)?,
            Tok::Or => Ast::Or(Box::new(left), Box::new(self.expression(2)?)),
            Tok::And => Ast::And(Box::new(left), Box::new(self.expression(3)?)),
            Tok::Pipe => Ast::Pipe(Box::new(left), Box::new(self.expression(1)?)),
            Tok::Cmp(op) => {
                if matches!(op, "<" | "<=" | ">=") {
                    return Err(format!(
                        "the comparator {op} is outside the supported subset"
                    ));
                }
                Ast::Cmp(op, Box::new(left), Box::new(self.expression(5)?))
            }
            Tok::LParen => {
                let Ast::Field(name) = left else {
                    return Err("only named functions can be called".into());
                };
                if name != "length" && name != "keys" {
                    return Err(format!(
                        "the function {name}() is outside the supported subset"
                    ));
                }
                let arg = Box::new(self.expression(0)?);
                self.expect(Tok::RParen)?;
                if name == "keys" {
                    Ast::Keys(arg)
                } else {
                    Ast::Length(arg)
                }
            }
            other => return Err(format!("unexpected {other:?}")),
        })
    }

    fn dot_rhs(&mut self, rbp: u8) -> Result<Ast, String> {
        match self.peek().clone() {
            Tok::Ident(_) => self.expression(rbp),
            Tok::LBracket => {
                self.next();
                self.multi_list()
            }
            other => Err(format!("unexpected {other:?} after '.'")),
        }
    }

    fn projection_rhs(&mut self, rbp: u8) -> Result<Ast, String> {
        let t = self.peek().clone();
        if bp(&t) < 10 {
            return Ok(Ast::Identity);
        }
        match t {
            Tok::LBracket | Tok::Filter => self.expression(rbp),
            Tok::Dot => {
                self.next();
                self.dot_rhs(rbp)
            }
            other => Err(format!("unexpected {other:?} after a projection")),
        }
    }
}

/// Parses an expression of the supported subset.
pub fn parse(expr: &str) -> Result<Ast, String> {
    let mut p = Parser {
        toks: lex(expr)?,
        pos: 0,
    };
    let ast = p.expression(0)?;
    match p.peek() {
        Tok::Eof => Ok(ast),
        other => Err(format!("unexpected {other:?} after the expression")),
    }
}

/// The `Expr` tree as a constant expression for a `static`.
pub fn tokens(ast: &Ast) -> TokenStream {
    tokens_with(ast, &quote!(::boto_runtime::jmespath::Expr))
}

/// [`tokens`] with `e` naming the `Expr` type (a module that imports it writes `Expr`).
pub fn tokens_with(ast: &Ast, e: &TokenStream) -> TokenStream {
    let b = |a: &Ast| {
        let t = tokens_with(a, e);
        quote!(&#t)
    };
    match ast {
        Ast::Identity => quote!(#e::Identity),
        Ast::Field(n) => quote!(#e::Field(#n)),
        Ast::Sub(a, c) => {
            let (a, c) = (b(a), b(c));
            quote!(#e::Sub(#a, #c))
        }
        Ast::Index(a, i) => {
            let a = b(a);
            quote!(#e::Index(#a, #i))
        }
        Ast::Flatten(a) => {
            let a = b(a);
            quote!(#e::Flatten(#a))
        }
        Ast::Project(a, c) => {
            let (a, c) = (b(a), b(c));
            quote!(#e::Project(#a, #c))
        }
        Ast::ValueProject(a, c) => {
            let (a, c) = (b(a), b(c));
            quote!(#e::ValueProject(#a, #c))
        }
        Ast::Filter(a, f, c) => {
            let (a, f, c) = (b(a), b(f), b(c));
            quote!(#e::Filter(#a, #f, #c))
        }
        Ast::Cmp(op, a, c) => {
            let (a, c) = (b(a), b(c));
            let op = match *op {
                "==" => quote!(::boto_runtime::jmespath::CmpOp::Eq),
                "!=" => quote!(::boto_runtime::jmespath::CmpOp::Ne),
                _ => quote!(::boto_runtime::jmespath::CmpOp::Gt),
            };
            quote!(#e::Cmp(#op, #a, #c))
        }
        Ast::And(a, c) => {
            let (a, c) = (b(a), b(c));
            quote!(#e::And(#a, #c))
        }
        Ast::Or(a, c) => {
            let (a, c) = (b(a), b(c));
            quote!(#e::Or(#a, #c))
        }
        Ast::Not(a) => {
            let a = b(a);
            quote!(#e::Not(#a))
        }
        Ast::Length(a) => {
            let a = b(a);
            quote!(#e::Length(#a))
        }
        Ast::Keys(a) => {
            let a = b(a);
            quote!(#e::Keys(#a))
        }
        Ast::Number(n) => quote!(#e::Number(#n)),
        Ast::Str(s) => quote!(#e::Str(#s)),
        Ast::Bool(v) => quote!(#e::Bool(#v)),
        Ast::Pipe(a, c) => {
            let (a, c) = (b(a), b(c));
            quote!(#e::Pipe(#a, #c))
        }
        Ast::MultiList(items) => {
            let items = items.iter().map(tokens);
            quote!(#e::MultiList(&[#(#items),*]))
        }
    }
}

/// The member names of a plain dotted path (`a`, `a.b`), if the expression is one.
pub fn dotted_path(ast: &Ast) -> Option<Vec<String>> {
    match ast {
        Ast::Field(n) => Some(vec![n.clone()]),
        Ast::Sub(a, b) => {
            let mut p = dotted_path(a)?;
            p.extend(dotted_path(b)?);
            Some(p)
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn f(n: &str) -> Box<Ast> {
        Box::new(Ast::Field(n.into()))
    }

    #[test]
    fn groups_like_jmespath_py() {
        assert_eq!(parse("a.b").unwrap(), Ast::Sub(f("a"), f("b")));
        assert_eq!(
            parse("NextMarker || Contents[-1].Key").unwrap(),
            Ast::Or(
                f("NextMarker"),
                Box::new(Ast::Sub(Box::new(Ast::Index(f("Contents"), -1)), f("Key")))
            )
        );
        assert_eq!(
            parse("Reservations[].Instances[].State.Name").unwrap(),
            Ast::Project(
                Box::new(Ast::Flatten(Box::new(Ast::Project(
                    Box::new(Ast::Flatten(f("Reservations"))),
                    f("Instances")
                )))),
                Box::new(Ast::Sub(f("State"), f("Name")))
            )
        );
        assert_eq!(
            parse("length(Items[]) > `0`").unwrap(),
            Ast::Cmp(
                ">",
                Box::new(Ast::Length(Box::new(Ast::Project(
                    Box::new(Ast::Flatten(f("Items"))),
                    Box::new(Ast::Identity)
                )))),
                Box::new(Ast::Number(0.0))
            )
        );
        assert!(parse("length(services[?!(length(deployments) == `1` && runningCount == desiredCount)]) == `0`").is_ok());
        assert!(parse("VerificationAttributes.*.VerificationStatus").is_ok());
        assert!(parse("length(PasswordData || '') > `0`").is_ok());
        assert!(parse("[Versions,DeleteMarkers]|[].Key").is_ok());
    }

    #[test]
    fn outside_the_subset_is_an_error() {
        for bad in ["sort(a)", "a[1:2]", "a < `1`", "{a: b}", "a.\"b\"", "a["] {
            assert!(parse(bad).is_err(), "{bad}");
        }
    }
}
