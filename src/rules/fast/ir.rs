//! The cel crate's AST compiled for the fast evaluator: function names resolved to [`Func`],
//! variables to [`Var`], loop variables to stack slots, literals to values.
//!
//! Compiling never fails: a construct the fast path does not model becomes [`Ir::Bail`], which
//! bails only if evaluation reaches it (an untaken branch costs nothing), as the interpreter would
//! only fail there.

use std::sync::OnceLock;

use cel::common::ast::{ComprehensionExpr, EntryExpr, Expr as Node, LiteralValue};

use crate::rules::functions::LANGUAGE_VAR;
use crate::rules::validate::{Expr, REGISTER_TEXTS};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Var {
    Register,
    Today,
    Options,
    Data,
    Item,
    Index,
    Texts,
    Language,
}

/// Functions and operators, with the form they are called in (global or method) folded in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Func {
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
    Add,
    Sub,
    Mul,
    Div,
    Rem,
    Neg,
    Index,
    In,
    Size,
    String,
    Int,
    Texts,
    Text,
    Langs,
    DaysSince,
    MatchesAny,
    IsEmail,
    IsUrl,
    YTunnusValid,
    HetuIn,
    DurationDays,
    Matches,
    // Methods: the receiver is the first argument.
    MSize,
    Contains,
    StartsWith,
    EndsWith,
    MMatches,
    Trim,
    LowerAscii,
    UpperAscii,
    Replace,
    Split,
    Substring,
    IndexOf,
    Join,
}

#[derive(Debug)]
pub enum Ir {
    Null,
    Bool(bool),
    Int(i64),
    UInt(u64),
    Double(f64),
    Str(Box<str>),
    Var(Var),
    /// A loop variable: its position on the evaluation's stack of loop variables.
    Local(usize),
    Select(Box<Ir>, Box<str>),
    Has(Box<Ir>, Box<str>),
    List(Vec<Ir>),
    Map(Vec<(Ir, Ir)>),
    Cond(Box<[Ir; 3]>),
    And(Box<[Ir; 2]>),
    Or(Box<[Ir; 2]>),
    Not(Box<Ir>),
    NotStrictlyFalse(Box<Ir>),
    Call(Func, Vec<Ir>),
    /// A comprehension; the accumulator takes the next slot, the loop variable the one after.
    Fold(Box<Fold>),
    /// `each: range.filter(x, predicate)`, run by the engine (slot 0 is `x`).
    Filter(Box<[Ir; 2]>),
    Bail,
}

#[derive(Debug)]
pub struct Fold {
    pub range: Ir,
    pub init: Ir,
    pub cond: Ir,
    pub step: Ir,
    pub result: Ir,
}

/// An expression compiled on first use.
#[derive(Debug, Default)]
pub struct Lazy(OnceLock<Ir>);

impl Lazy {
    pub fn get(&self, e: &Expr) -> &Ir {
        self.0.get_or_init(|| compile(e, &mut Vec::new()))
    }

    /// For an `each` expression: `xs.filter(x, p)` becomes [`Ir::Filter`].
    pub fn get_each(&self, e: &Expr) -> &Ir {
        self.0
            .get_or_init(|| match super::super::engine::as_filter(e) {
                Some((range, var, predicate)) => Ir::Filter(Box::new([
                    compile(range, &mut Vec::new()),
                    compile(predicate, &mut vec![var.to_owned()]),
                ])),
                None => compile(e, &mut Vec::new()),
            })
    }
}

/// Compiles `e` with `locals` (loop variables, innermost last) in scope.
pub fn compile(e: &Expr, locals: &mut Vec<String>) -> Ir {
    match &e.expr {
        Node::Literal(l) => match l {
            LiteralValue::Boolean(b) => Ir::Bool(*b.inner()),
            LiteralValue::Int(i) => Ir::Int(*i.inner()),
            LiteralValue::UInt(u) => Ir::UInt(*u.inner()),
            LiteralValue::Double(d) => Ir::Double(*d.inner()),
            LiteralValue::Null => Ir::Null,
            LiteralValue::String(s) => Ir::Str(s.inner().into()),
            LiteralValue::Bytes(_) => Ir::Bail,
        },
        Node::Ident(name) => ident(name, locals),
        Node::Select(s) => {
            let operand = Box::new(compile(&s.operand, locals));
            let field = s.field.as_str().into();
            if s.test {
                Ir::Has(operand, field)
            } else {
                Ir::Select(operand, field)
            }
        }
        Node::List(l) if l.optional_indices.is_empty() => {
            Ir::List(l.elements.iter().map(|x| compile(x, locals)).collect())
        }
        Node::Map(m) => {
            let mut entries = Vec::with_capacity(m.entries.len());
            for entry in &m.entries {
                match &entry.expr {
                    EntryExpr::MapEntry(e) if !e.optional => {
                        entries.push((compile(&e.key, locals), compile(&e.value, locals)))
                    }
                    _ => return Ir::Bail,
                }
            }
            Ir::Map(entries)
        }
        Node::Comprehension(c) => fold(c, locals),
        Node::Call(c) => {
            let args = |locals: &mut Vec<String>| -> Vec<Ir> {
                c.args.iter().map(|a| compile(a, locals)).collect()
            };
            if let Some(target) = &c.target {
                let Some(f) = method(&c.func_name) else {
                    return Ir::Bail;
                };
                let mut all = vec![compile(target, locals)];
                all.extend(args(locals));
                return Ir::Call(f, all);
            }
            let mut a = args(locals);
            let two = |a: &mut Vec<Ir>| -> Option<Box<[Ir; 2]>> {
                let [x, y]: [Ir; 2] = std::mem::take(a).try_into().ok()?;
                Some(Box::new([x, y]))
            };
            match (c.func_name.as_str(), a.len()) {
                ("_?_:_", 3) => match <[Ir; 3]>::try_from(a) {
                    Ok(x) => Ir::Cond(Box::new(x)),
                    Err(_) => Ir::Bail,
                },
                ("_&&_", 2) => two(&mut a).map_or(Ir::Bail, Ir::And),
                ("_||_", 2) => two(&mut a).map_or(Ir::Bail, Ir::Or),
                ("!_", 1) => Ir::Not(Box::new(a.remove(0))),
                ("@not_strictly_false", 1) => Ir::NotStrictlyFalse(Box::new(a.remove(0))),
                (name, _) => match function(name) {
                    Some(f) => Ir::Call(f, a),
                    None => Ir::Bail,
                },
            }
        }
        _ => Ir::Bail,
    }
}

fn ident(name: &str, locals: &[String]) -> Ir {
    match locals.iter().rposition(|l| l == name) {
        Some(slot) => Ir::Local(slot),
        None => compile_ident(name),
    }
}

/// A variable of the rule's scope.
pub fn compile_ident(name: &str) -> Ir {
    Ir::Var(match name {
        "register" => Var::Register,
        "today" => Var::Today,
        "options" => Var::Options,
        "data" => Var::Data,
        "item" => Var::Item,
        "index" => Var::Index,
        REGISTER_TEXTS => Var::Texts,
        LANGUAGE_VAR => Var::Language,
        _ => return Ir::Bail,
    })
}

fn fold(c: &ComprehensionExpr, locals: &mut Vec<String>) -> Ir {
    if c.iter_var2.is_some() {
        return Ir::Bail;
    }
    let range = compile(&c.iter_range, locals);
    let init = compile(&c.accu_init, locals);
    let base = locals.len();
    locals.push(c.accu_var.clone());
    let cond = compile(&c.loop_cond, locals);
    let result = compile(&c.result, locals);
    locals.push(c.iter_var.clone());
    let step = compile(&c.loop_step, locals);
    locals.truncate(base);
    Ir::Fold(Box::new(Fold {
        range,
        init,
        cond,
        step,
        result,
    }))
}

fn function(name: &str) -> Option<Func> {
    use Func::*;
    Some(match name {
        "_==_" => Eq,
        "_!=_" => Ne,
        "_<_" => Lt,
        "_<=_" => Le,
        "_>_" => Gt,
        "_>=_" => Ge,
        "_+_" => Add,
        "_-_" => Sub,
        "_*_" => Mul,
        "_/_" => Div,
        "_%_" => Rem,
        "-_" => Neg,
        "_[_]" => Index,
        "@in" => In,
        "size" => Size,
        "string" => String,
        "int" => Int,
        "texts" => Texts,
        "text" => Text,
        "langs" => Langs,
        "days_since" => DaysSince,
        "matches_any" => MatchesAny,
        "is_email" => IsEmail,
        "is_url" => IsUrl,
        "y_tunnus_valid" => YTunnusValid,
        "hetu_in" => HetuIn,
        "duration_days" => DurationDays,
        "matches" => Matches,
        _ => return None,
    })
}

fn method(name: &str) -> Option<Func> {
    use Func::*;
    Some(match name {
        "size" => MSize,
        "contains" => Contains,
        "startsWith" => StartsWith,
        "endsWith" => EndsWith,
        "matches" => MMatches,
        "trim" => Trim,
        "lowerAscii" => LowerAscii,
        "upperAscii" => UpperAscii,
        "replace" => Replace,
        "split" => Split,
        "substring" => Substring,
        "indexOf" => IndexOf,
        "join" => Join,
        _ => return None,
    })
}
