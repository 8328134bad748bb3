//! The cel crate's AST compiled for the evaluator: function names resolved to [`Func`],
//! variables to [`Var`], loop variables to stack slots, literals to values.
//!
//! Compiling is where the rule language's subset is enforced (docs/rule-language.md): a construct
//! outside it is an [`Unsupported`] error, which rule loading reports with its span in the rule
//! file.

use std::sync::OnceLock;

use cel::common::ast::{ComprehensionExpr, EntryExpr, Expr as Node, LiteralValue};

use super::value::EvalError;
use crate::rules::validate::{Expr, texts_argument};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Var {
    Register,
    Today,
    Options,
    Data,
    Item,
    Index,
    /// `texts(register)`.
    Texts,
    /// The place a fix is computed for (`fix.replace`, `fix.title`).
    Fix,
}

/// Declares [`Func`] and the names a rule calls its variants by: one list, so that the two
/// cannot drift apart.
macro_rules! functions {
    (global { $($global:literal => $g:ident,)* } method { $($method:literal => $m:ident,)* }) => {
        /// Functions and operators, with the form they are called in (global or method) folded
        /// in; a method's receiver is its first argument.
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub enum Func {
            $($g,)*
            $($m,)*
        }

        /// The global functions and operators of the rule language, by their CEL names.
        const FUNCTIONS: &[(&str, Func)] = &[$(($global, Func::$g),)*];

        /// The methods (`receiver.name(...)`) of the rule language.
        const METHODS: &[(&str, Func)] = &[$(($method, Func::$m),)*];
    };
}

functions! {
    global {
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
    }
    method {
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
    }
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
    /// A name of the rule's `let`: its position among the rule's names.
    Let(usize),
    Select(Box<Ir>, Box<str>),
    Has(Box<Ir>, Box<str>),
    List(Box<[Ir]>),
    Map(Vec<(Ir, Ir)>),
    Cond(Box<[Ir; 3]>),
    And(Box<[Ir; 2]>),
    Or(Box<[Ir; 2]>),
    Not(Box<[Ir; 1]>),
    NotStrictlyFalse(Box<[Ir; 1]>),
    Call(Func, Box<[Ir]>),
    /// A comprehension; the accumulator takes the next slot, the loop variable the one after.
    Fold(Box<Fold>),
    /// `each: range.filter(x, predicate)`, run by the engine (slot 0 is `x`).
    Filter(Box<[Ir; 2]>),
}

#[derive(Debug)]
pub struct Fold {
    pub range: Ir,
    pub init: Ir,
    pub cond: Ir,
    pub step: Ir,
    pub result: Ir,
    /// For `range.exists(v, matches_any(text, v.field) && rest)`: see [`Prefilter`].
    pub prefilter: Option<Prefilter>,
}

/// `range.exists(v, matches_any(text, v.field) && rest)` (or `rest && matches_any(...)`, or the
/// call alone), with `text` free of `v`: when `text` matches none of the patterns of all the
/// elements together (each element's list compiling pattern by pattern), the loop would give
/// `false`, and it is skipped. The dated
/// lists of the packs (repealed acts, abolished authorities) are read so for every text of a
/// register; element by element that was a third of the rules' time (BENCHMARKS.md).
#[derive(Debug)]
pub struct Prefilter {
    /// `text`, compiled where the loop is (it reads no slot of the loop).
    pub text: Ir,
    pub field: Box<str>,
}

/// A construct outside the rule language: the AST node (for its span) and what it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unsupported {
    pub id: u64,
    pub what: String,
}

type C<T> = Result<T, Unsupported>;

fn unsupported<T>(e: &Expr, what: impl Into<String>) -> C<T> {
    Err(Unsupported {
        id: e.id,
        what: what.into(),
    })
}

/// An expression compiled on first use.
#[derive(Debug, Default)]
pub struct Lazy(OnceLock<Result<Ir, String>>);

impl Lazy {
    /// The expression compiled, with the rule's `let` names `lets` in scope.
    pub fn get(&self, e: &Expr, lets: &[String]) -> Result<&Ir, EvalError> {
        self.get_or_compile(|| compile(e, &mut Vec::new(), lets))
    }

    /// For an `each` expression: `xs.filter(x, p)` becomes [`Ir::Filter`].
    pub fn get_each(&self, e: &Expr, lets: &[String]) -> Result<&Ir, EvalError> {
        self.get_or_compile(|| match super::super::engine::as_filter(e) {
            Some((range, var, predicate)) => Ok(Ir::Filter(Box::new([
                compile(range, &mut Vec::new(), lets)?,
                compile(predicate, &mut vec![var.to_owned()], lets)?,
            ]))),
            None => compile(e, &mut Vec::new(), lets),
        })
    }

    fn get_or_compile(&self, compile: impl FnOnce() -> C<Ir>) -> Result<&Ir, EvalError> {
        self.0
            .get_or_init(|| compile().map_err(|u| u.what))
            .as_ref()
            .map_err(|w| EvalError::new(w.as_str()))
    }
}

/// Compiles `e` with `locals` (loop variables, innermost last) and the rule's `let` names in
/// scope; a loop variable hides a `let` name, which hides a variable of the rule.
pub fn compile(e: &Expr, locals: &mut Vec<String>, lets: &[String]) -> C<Ir> {
    let compile = |e: &Expr, locals: &mut Vec<String>| compile(e, locals, lets);
    Ok(match &e.expr {
        Node::Literal(l) => match l {
            LiteralValue::Boolean(b) => Ir::Bool(*b.inner()),
            LiteralValue::Int(i) => Ir::Int(*i.inner()),
            LiteralValue::UInt(u) => Ir::UInt(*u.inner()),
            LiteralValue::Double(d) => Ir::Double(*d.inner()),
            LiteralValue::Null => Ir::Null,
            LiteralValue::String(s) => Ir::Str(s.inner().into()),
            LiteralValue::Bytes(_) => return unsupported(e, "bytes literals"),
        },
        Node::Ident(name) => match locals
            .iter()
            .rposition(|l| l == name)
            .map(Ir::Local)
            .or_else(|| lets.iter().position(|l| l == name).map(Ir::Let))
            .or_else(|| compile_ident(name).map(Ir::Var))
        {
            Some(ir) => ir,
            None => return unsupported(e, format!("the identifier `{name}`")),
        },
        Node::Select(s) => {
            let operand = Box::new(compile(&s.operand, locals)?);
            let field = s.field.as_str().into();
            if s.test {
                Ir::Has(operand, field)
            } else {
                Ir::Select(operand, field)
            }
        }
        Node::List(l) if l.optional_indices.is_empty() => Ir::List(
            l.elements
                .iter()
                .map(|x| compile(x, locals))
                .collect::<C<_>>()?,
        ),
        Node::List(_) => return unsupported(e, "optional list elements (`?x`)"),
        Node::Map(m) => Ir::Map(
            m.entries
                .iter()
                .map(|entry| match &entry.expr {
                    EntryExpr::MapEntry(me) if !me.optional => {
                        Ok((compile(&me.key, locals)?, compile(&me.value, locals)?))
                    }
                    _ => unsupported(e, "optional map entries (`?key: value`)"),
                })
                .collect::<C<_>>()?,
        ),
        Node::Comprehension(c) => fold(e, c, locals, lets)?,
        // `texts(register)` is a variable the engine computes once per register: several rules
        // walk all texts of the register, some once per item, and building that list again on
        // every call was most of the evaluation time.
        Node::Call(c)
            if texts_argument(c)
                .is_some_and(|x| matches!(&x.expr, Node::Ident(n) if n == "register")) =>
        {
            Ir::Var(Var::Texts)
        }
        Node::Call(c) => {
            if let Some(target) = &c.target {
                let Some(f) = method(&c.func_name) else {
                    return unsupported(e, format!("the method `.{}()`", c.func_name));
                };
                let receiver_and_args = std::iter::once(&**target).chain(&c.args);
                return Ok(Ir::Call(
                    f,
                    receiver_and_args
                        .map(|x| compile(x, locals))
                        .collect::<C<_>>()?,
                ));
            }
            let args: Box<[Ir]> = c
                .args
                .iter()
                .map(|x| compile(x, locals))
                .collect::<C<_>>()?;
            let arity = |_| {
                unsupported(
                    e,
                    format!("`{}` with {} arguments", c.func_name, c.args.len()),
                )
            };
            match c.func_name.as_str() {
                "_?_:_" => args.try_into().map(Ir::Cond).or_else(arity)?,
                "_&&_" => args.try_into().map(Ir::And).or_else(arity)?,
                "_||_" => args.try_into().map(Ir::Or).or_else(arity)?,
                "!_" => args.try_into().map(Ir::Not).or_else(arity)?,
                "@not_strictly_false" => {
                    args.try_into().map(Ir::NotStrictlyFalse).or_else(arity)?
                }
                name => match function(name) {
                    Some(f) => Ir::Call(f, args),
                    None => return unsupported(e, format!("the function `{name}()`")),
                },
            }
        }
        Node::Struct(_) => return unsupported(e, "message construction (`Type{...}`)"),
        Node::Unspecified => return unsupported(e, "an empty expression"),
    })
}

/// A variable of the rule's scope.
pub fn compile_ident(name: &str) -> Option<Var> {
    Some(match name {
        "register" => Var::Register,
        "today" => Var::Today,
        "options" => Var::Options,
        "data" => Var::Data,
        "item" => Var::Item,
        "index" => Var::Index,
        "fix" => Var::Fix,
        _ => return None,
    })
}

fn fold(e: &Expr, c: &ComprehensionExpr, locals: &mut Vec<String>, lets: &[String]) -> C<Ir> {
    let compile = |e: &Expr, locals: &mut Vec<String>| compile(e, locals, lets);
    if c.iter_var2.is_some() {
        return unsupported(e, "comprehensions with two variables");
    }
    let range = compile(&c.iter_range, locals)?;
    let init = compile(&c.accu_init, locals)?;
    let base = locals.len();
    locals.push(c.accu_var.clone());
    let cond = compile(&c.loop_cond, locals);
    let result = compile(&c.result, locals);
    locals.push(c.iter_var.clone());
    let step = compile(&c.loop_step, locals);
    let prefilter = prefilter(c, locals, lets, base);
    locals.truncate(base);
    Ok(Ir::Fold(Box::new(Fold {
        range,
        init,
        cond: cond?,
        step: step?,
        result: result?,
        prefilter,
    })))
}

/// The [`Prefilter`] of an `exists` whose predicate is, or is a conjunct of, `matches_any(text,
/// v.field)` with `text` reading no slot of the loop (`locals` has the loop's two from `base`).
fn prefilter(
    c: &ComprehensionExpr,
    locals: &mut Vec<String>,
    lets: &[String],
    base: usize,
) -> Option<Prefilter> {
    let call = |e: &Expr, name: &str| match &e.expr {
        Node::Call(call) if call.func_name == name && call.target.is_none() => {
            Some(call.args.clone())
        }
        _ => None,
    };
    let ident = |e: &Expr, name: &str| matches!(&e.expr, Node::Ident(n) if n == name);
    // The exists macro: `false`, then `accumulator || predicate`, the result the accumulator.
    let is_false =
        matches!(&c.accu_init.expr, Node::Literal(LiteralValue::Boolean(b)) if !*b.inner());
    let step = call(&c.loop_step, "_||_")?;
    if !is_false || !ident(&c.result, &c.accu_var) || !ident(step.first()?, &c.accu_var) {
        return None;
    }
    let predicate = step.get(1)?;
    let conjuncts = call(predicate, "_&&_").unwrap_or_else(|| vec![predicate.clone()]);
    conjuncts.iter().find_map(|e| {
        let args = call(e, "matches_any")?;
        let [text, patterns] = args.as_slice() else {
            return None;
        };
        let Node::Select(select) = &patterns.expr else {
            return None;
        };
        if select.test || !ident(&select.operand, &c.iter_var) {
            return None;
        }
        let text = compile(text, locals, lets).ok()?;
        (!reads_slot(&text, base)).then(|| Prefilter {
            text,
            field: select.field.as_str().into(),
        })
    })
}

/// Whether `ir` reads a loop slot at or above `base` (or has a loop of its own, whose slots are
/// placed for where it was compiled).
fn reads_slot(ir: &Ir, base: usize) -> bool {
    let any = |irs: &[Ir]| irs.iter().any(|i| reads_slot(i, base));
    match ir {
        Ir::Local(slot) => *slot >= base,
        Ir::Fold(_) | Ir::Filter(_) => true,
        Ir::Select(i, _) | Ir::Has(i, _) => reads_slot(i, base),
        Ir::List(items) | Ir::Call(_, items) => any(items),
        Ir::Map(entries) => entries
            .iter()
            .any(|(k, v)| reads_slot(k, base) || reads_slot(v, base)),
        Ir::Not(x) | Ir::NotStrictlyFalse(x) => any(&x[..]),
        Ir::Cond(x) => any(&x[..]),
        Ir::And(x) | Ir::Or(x) => any(&x[..]),
        Ir::Null
        | Ir::Bool(_)
        | Ir::Int(_)
        | Ir::UInt(_)
        | Ir::Double(_)
        | Ir::Str(_)
        | Ir::Var(_)
        | Ir::Let(_) => false,
    }
}

/// The global function or operator `name`.
pub fn function(name: &str) -> Option<Func> {
    FUNCTIONS.iter().find(|(n, _)| *n == name).map(|(_, f)| *f)
}

/// The method `name`.
pub fn method(name: &str) -> Option<Func> {
    METHODS.iter().find(|(n, _)| *n == name).map(|(_, f)| *f)
}

/// The names a rule can call, for "did you mean" (operators left out).
pub fn names() -> impl Iterator<Item = &'static str> {
    FUNCTIONS
        .iter()
        .chain(METHODS)
        .map(|(n, _)| *n)
        .filter(|n| n.starts_with(|c: char| c.is_ascii_alphabetic()))
}

impl Func {
    /// How the function is written in a rule, for error messages (`size`, `==`, `.contains`).
    pub fn name(self) -> String {
        if let Some((n, _)) = METHODS.iter().find(|(_, f)| *f == self) {
            return format!(".{n}");
        }
        let n = FUNCTIONS
            .iter()
            .find(|(_, f)| *f == self)
            .map_or("?", |(n, _)| n);
        match n {
            "_[_]" => "[]".to_owned(),
            "@in" => "in".to_owned(),
            other => other.trim_matches('_').to_owned(),
        }
    }
}
