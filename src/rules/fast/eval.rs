//! A tree-walking evaluator of the cel crate's AST over [`V`] values.
//!
//! It covers what rules are written with: operators, field selection and `has()`, the macros
//! (`all`, `exists`, `exists_one`, `map`, `filter` as the parser expands them), the string
//! functions, and the project functions. Anything else, and every error, is a [`Bail`]: the rule
//! then runs in the interpreter, so results and error messages stay the interpreter's. The
//! invariant the differential tests check: when this returns a value, the interpreter returns the
//! same value.

use std::cell::RefCell;
use std::sync::{Arc, OnceLock};

use regex::Regex;

use cel::common::ast::{CallExpr, ComprehensionExpr, EntryExpr, Expr as Node, LiteralValue};

use super::value::{Bail, R, Str, V};
use crate::rules::functions::{self, cached_regex};
use crate::rules::validate::{Expr, REGISTER_TEXTS};

/// The variables of one evaluation.
pub struct Scope<'s, 'a> {
    pub register: &'s V<'a>,
    pub today: &'s V<'a>,
    pub options: &'s V<'a>,
    pub data: &'s V<'a>,
    pub item: Option<(V<'a>, i64)>,
    /// `texts(register)`, built on first use (see `validate::rewrite_for_run`).
    pub texts: &'s OnceLock<V<'a>>,
    /// Loop variables of comprehensions, innermost last.
    pub locals: Vec<(&'a str, V<'a>)>,
    /// The regexes of the pattern lists seen in this file (see [`PatternCache`]).
    pub patterns: &'s PatternCache<'a>,
}

/// The combined regex of each `matches_any` pattern list, by list identity: the lists are rule
/// options, the same `Arc` for every text of every file, so after the first call a pointer
/// comparison replaces hashing the patterns. The cache holds the list, so its address cannot be
/// reused by another list while the entry exists.
#[derive(Default)]
pub struct PatternCache<'a>(RefCell<Vec<PatternEntry<'a>>>);

/// A pattern list and its combined regex.
type PatternEntry<'a> = (Arc<[V<'a>]>, Arc<Regex>);

impl<'a> PatternCache<'a> {
    fn regex(&self, list: &Arc<[V<'a>]>) -> R<Option<Arc<Regex>>> {
        if let Some((_, re)) = self.0.borrow().iter().find(|(l, _)| Arc::ptr_eq(l, list)) {
            return Ok(Some(re.clone()));
        }
        let patterns = list.iter().map(V::as_str).collect::<R<Vec<_>>>()?;
        if patterns.is_empty() {
            return Ok(None);
        }
        let re = crate::rules::native::list_regex(&patterns).map_err(|_| Bail)?;
        self.0.borrow_mut().push((list.clone(), re.clone()));
        Ok(Some(re))
    }
}

impl<'a> Scope<'_, 'a> {
    pub fn eval_ident(&self, name: &str) -> R<V<'a>> {
        if let Some((_, v)) = self.locals.iter().rev().find(|(n, _)| *n == name) {
            return Ok(v.clone());
        }
        Ok(match name {
            "register" => self.register.clone(),
            "today" => self.today.clone(),
            "options" => self.options.clone(),
            "data" => self.data.clone(),
            "item" => self.item.as_ref().ok_or(Bail)?.0.clone(),
            "index" => V::Int(self.item.as_ref().ok_or(Bail)?.1),
            REGISTER_TEXTS => self.texts.get_or_init(|| texts(self.register)).clone(),
            functions::LANGUAGE_VAR => self.register.field("language")?.ok_or(Bail)?.clone(),
            _ => return Err(Bail),
        })
    }

    pub fn eval(&mut self, e: &'a Expr) -> R<V<'a>> {
        match &e.expr {
            Node::Literal(l) => literal(l),
            Node::Ident(name) => self.eval_ident(name),
            Node::Select(s) => {
                let operand = self.eval(&s.operand)?;
                let found = operand.field(&s.field)?;
                if s.test {
                    Ok(V::Bool(found.is_some()))
                } else {
                    found.cloned().ok_or(Bail)
                }
            }
            Node::List(l) => {
                if !l.optional_indices.is_empty() {
                    return Err(Bail);
                }
                let items = l
                    .elements
                    .iter()
                    .map(|x| self.eval(x))
                    .collect::<R<Vec<_>>>()?;
                Ok(V::list(items))
            }
            Node::Map(m) => {
                let mut entries = Vec::with_capacity(m.entries.len());
                for entry in &m.entries {
                    let EntryExpr::MapEntry(e) = &entry.expr else {
                        return Err(Bail);
                    };
                    if e.optional {
                        return Err(Bail);
                    }
                    let V::Str(key) = self.eval(&e.key)? else {
                        return Err(Bail);
                    };
                    entries.push((key, self.eval(&e.value)?));
                }
                let n = entries.len();
                let map = V::map(entries);
                // Duplicate keys are an error in the interpreter.
                match &map {
                    V::Map(m) if m.len() == n => Ok(map),
                    _ => Err(Bail),
                }
            }
            Node::Call(c) => self.call(c),
            Node::Comprehension(c) => self.comprehension(c),
            _ => Err(Bail),
        }
    }

    fn bool(&mut self, e: &'a Expr) -> R<bool> {
        self.eval(e)?.as_bool()
    }

    fn comprehension(&mut self, c: &'a ComprehensionExpr) -> R<V<'a>> {
        if c.iter_var2.is_some() {
            return Err(Bail);
        }
        let accu = self.eval(&c.accu_init)?;
        // Maps iterate in hash order in the interpreter: left to it.
        let range = self.eval(&c.iter_range)?;
        let items = range.as_list()?.clone();
        let base = self.locals.len();
        self.locals.push((c.accu_var.as_str(), accu));
        for item in items.iter() {
            if !self.not_strictly_false(&c.loop_cond)? {
                break;
            }
            self.locals.push((c.iter_var.as_str(), item.clone()));
            let step = self.eval(&c.loop_step)?;
            self.locals.pop();
            if let Some(last) = self.locals.last_mut() {
                last.1 = step;
            }
        }
        let result = self.eval(&c.result);
        self.locals.truncate(base);
        result
    }

    fn not_strictly_false(&mut self, e: &'a Expr) -> R<bool> {
        if let Node::Call(c) = &e.expr
            && c.func_name == "@not_strictly_false"
            && let [x] = c.args.as_slice()
        {
            return Ok(!matches!(self.eval(x)?, V::Bool(false)));
        }
        self.bool(e)
    }

    fn call(&mut self, c: &'a CallExpr) -> R<V<'a>> {
        let name = c.func_name.as_str();
        if let Some(target) = &c.target {
            let this = self.eval(target)?;
            return self.with_args(c, |_, args| method(name, this, args));
        }
        match (name, c.args.as_slice()) {
            ("_?_:_", [cond, yes, no]) => {
                if self.bool(cond)? {
                    self.eval(yes)
                } else {
                    self.eval(no)
                }
            }
            ("_&&_", [l, r]) => Ok(V::Bool(self.bool(l)? && self.bool(r)?)),
            ("_||_", [l, r]) => Ok(V::Bool(self.bool(l)? || self.bool(r)?)),
            ("!_", [x]) => Ok(V::Bool(!self.bool(x)?)),
            ("@not_strictly_false", [_]) => Ok(V::Bool(self.not_strictly_false(&c.args[0])?)),
            _ => self.with_args(c, |scope, args| function(scope, name, args)),
        }
    }

    /// Evaluates the arguments of `c` into a slice on the stack (no allocation per call).
    fn with_args(
        &mut self,
        c: &'a CallExpr,
        f: impl FnOnce(&Self, &[V<'a>]) -> R<V<'a>>,
    ) -> R<V<'a>> {
        match c.args.as_slice() {
            [] => f(self, &[]),
            [a] => {
                let a = self.eval(a)?;
                f(self, &[a])
            }
            [a, b] => {
                let a = self.eval(a)?;
                let b = self.eval(b)?;
                f(self, &[a, b])
            }
            [a, b, c] => {
                let a = self.eval(a)?;
                let b = self.eval(b)?;
                let c = self.eval(c)?;
                f(self, &[a, b, c])
            }
            more => {
                let args = more.iter().map(|a| self.eval(a)).collect::<R<Vec<_>>>()?;
                f(self, &args)
            }
        }
    }
}

fn literal<'a>(l: &'a LiteralValue) -> R<V<'a>> {
    Ok(match l {
        LiteralValue::Boolean(b) => V::Bool(*b.inner()),
        LiteralValue::Int(i) => V::Int(*i.inner()),
        LiteralValue::UInt(u) => V::UInt(*u.inner()),
        LiteralValue::Double(d) => V::Double(*d.inner()),
        LiteralValue::Null => V::Null,
        LiteralValue::String(s) => V::Str(Str::B(s.inner())),
        LiteralValue::Bytes(_) => return Err(Bail),
    })
}

/// `string(timestamp)` as the interpreter writes it (cel-go's format: UTC, `Z`, trimmed fraction).
fn rfc3339(t: &chrono::DateTime<chrono::FixedOffset>) -> String {
    let utc = t.with_timezone(&chrono::Utc);
    let nanos = chrono::Timelike::nanosecond(&utc) % 1_000_000_000;
    let base = utc.format("%Y-%m-%dT%H:%M:%S");
    if nanos == 0 {
        format!("{base}Z")
    } else {
        let frac = format!("{nanos:09}");
        format!("{base}.{}Z", frac.trim_end_matches('0'))
    }
}

fn chars(s: &str) -> i64 {
    s.chars().count() as i64
}

fn size(v: &V) -> R<V<'static>> {
    Ok(V::Int(match v {
        V::Str(s) => chars(s),
        V::List(l) => l.len() as i64,
        V::Map(m) => m.len() as i64,
        _ => return Err(Bail),
    }))
}

fn arith<'a>(op: &str, a: &V<'a>, b: &V<'a>) -> R<V<'a>> {
    Ok(match (a, b) {
        (V::Int(x), V::Int(y)) => V::Int(
            match op {
                "_+_" => x.checked_add(*y),
                "_-_" => x.checked_sub(*y),
                "_*_" => x.checked_mul(*y),
                "_/_" => x.checked_div(*y),
                "_%_" => x.checked_rem(*y),
                _ => None,
            }
            .ok_or(Bail)?,
        ),
        (V::Str(x), V::Str(y)) if op == "_+_" => V::string(format!("{}{}", &**x, &**y)),
        (V::List(x), V::List(y)) if op == "_+_" => {
            V::list(x.iter().chain(y.iter()).cloned().collect())
        }
        _ => return Err(Bail),
    })
}

fn function<'a>(scope: &Scope<'_, 'a>, name: &str, args: &[V<'a>]) -> R<V<'a>> {
    use std::cmp::Ordering::*;
    Ok(match (name, args) {
        ("_==_", [a, b]) => V::Bool(a.equals(b)?),
        ("_!=_", [a, b]) => V::Bool(!a.equals(b)?),
        ("_<_", [a, b]) => V::Bool(a.compare(b)? == Less),
        ("_<=_", [a, b]) => V::Bool(a.compare(b)? != Greater),
        ("_>_", [a, b]) => V::Bool(a.compare(b)? == Greater),
        ("_>=_", [a, b]) => V::Bool(a.compare(b)? != Less),
        ("_+_" | "_-_" | "_*_" | "_/_" | "_%_", [a, b]) => arith(name, a, b)?,
        ("-_", [V::Int(i)]) => V::Int(i.checked_neg().ok_or(Bail)?),
        ("_[_]", [V::List(l), V::Int(i)]) => usize::try_from(*i)
            .ok()
            .and_then(|i| l.get(i))
            .ok_or(Bail)?
            .clone(),
        ("_[_]", [m @ V::Map(_), V::Str(k)]) => m.field(k)?.ok_or(Bail)?.clone(),
        ("@in", [x, V::List(l)]) => {
            for item in l.iter() {
                if x.equals(item)? {
                    return Ok(V::Bool(true));
                }
            }
            V::Bool(false)
        }
        ("@in", [V::Str(k), m @ V::Map(_)]) => V::Bool(m.field(k)?.is_some()),
        ("size", [x]) => size(x)?,
        ("string", [x]) => match x {
            V::Str(_) => x.clone(),
            V::Int(i) => V::string(i.to_string()),
            V::UInt(u) => V::string(u.to_string()),
            V::Timestamp(t) => V::string(rfc3339(t)),
            _ => return Err(Bail),
        },
        ("int", [x]) => match x {
            V::Int(_) => x.clone(),
            V::Str(s) => V::Int(s.parse().map_err(|_| Bail)?),
            _ => return Err(Bail),
        },
        ("texts", [x]) => texts(x),
        ("text", [x]) => V::string(text(x)),
        ("langs", [x]) => langs(scope, x)?,
        ("days_since", [x]) => days_since(scope, x)?,
        ("matches_any", [V::Str(s), V::List(patterns)]) => V::Bool(
            scope
                .patterns
                .regex(patterns)?
                .is_some_and(|re| re.is_match(s)),
        ),
        ("is_email", [V::Str(s)]) => V::Bool(functions::is_email(s)),
        ("is_url", [V::Str(s)]) => V::Bool(functions::is_url(s)),
        ("y_tunnus_valid", [V::Str(s)]) => V::Bool(crate::fi::y_tunnus_valid(s)),
        ("hetu_in", [V::Str(s)]) => {
            V::list(crate::fi::hetu_in(s).into_iter().map(V::string).collect())
        }
        ("duration_days", [V::Str(s)]) => V::Int(functions::iso_days(s).ok_or(Bail)?),
        ("matches", [V::Str(s), V::Str(re)]) => V::Bool(regex_match(s, re)?),
        _ => return Err(Bail),
    })
}

fn method<'a>(name: &str, this: V<'a>, args: &[V<'a>]) -> R<V<'a>> {
    if let V::List(items) = &this {
        return match (name, args) {
            ("size", []) => size(&this),
            ("join", []) => join(items, ""),
            ("join", [V::Str(sep)]) => join(items, sep),
            _ => Err(Bail),
        };
    }
    let s = this.as_str()?;
    Ok(match (name, args) {
        ("size", []) => V::Int(chars(s)),
        ("contains", [V::Str(x)]) => V::Bool(s.contains(&**x)),
        ("startsWith", [V::Str(x)]) => V::Bool(s.starts_with(&**x)),
        ("endsWith", [V::Str(x)]) => V::Bool(s.ends_with(&**x)),
        ("matches", [V::Str(re)]) => V::Bool(regex_match(s, re)?),
        ("trim", []) => match &this {
            V::Str(Str::B(b)) => V::Str(Str::B(b.trim())),
            _ => V::string(s.trim().to_owned()),
        },
        ("lowerAscii", []) => V::string(s.to_ascii_lowercase()),
        ("upperAscii", []) => V::string(s.to_ascii_uppercase()),
        ("replace", [V::Str(from), V::Str(to)]) => V::string(s.replace(&**from, to)),
        ("split", [V::Str(sep)]) if !sep.is_empty() => {
            V::list(s.split(&**sep).map(|p| V::string(p.to_owned())).collect())
        }
        ("substring", [V::Int(start)]) => substring(s, *start, chars(s))?,
        ("substring", [V::Int(start), V::Int(end)]) => substring(s, *start, *end)?,
        ("indexOf", [V::Str(needle)]) => V::Int(match s.find(&**needle) {
            Some(byte) => chars(&s[..byte]),
            None => -1,
        }),
        _ => return Err(Bail),
    })
}

fn substring<'a>(s: &str, start: i64, end: i64) -> R<V<'a>> {
    if start < 0 || start > end || end > chars(s) {
        return Err(Bail);
    }
    Ok(V::string(
        s.chars()
            .skip(start as usize)
            .take((end - start) as usize)
            .collect(),
    ))
}

fn join<'a>(items: &[V<'a>], sep: &str) -> R<V<'a>> {
    let parts = items.iter().map(V::as_str).collect::<R<Vec<_>>>()?;
    Ok(V::string(parts.join(sep)))
}

fn regex_match(s: &str, pattern: &str) -> R<bool> {
    Ok(cached_regex(pattern).map_err(|_| Bail)?.is_match(s))
}

/// `texts(x)`: every string under `x` as `{path, value}`, in key order (maps are sorted).
pub fn texts<'a>(v: &V<'a>) -> V<'a> {
    use std::fmt::Write;
    fn collect<'a>(v: &V<'a>, path: &mut String, out: &mut Vec<V<'a>>) {
        match v {
            V::Str(s) => out.push(V::Map(Arc::new([
                (Str::B("path"), V::Str(Str::O(Arc::from(path.as_str())))),
                (Str::B("value"), V::Str(s.clone())),
            ]))),
            V::List(items) => {
                for (i, item) in items.iter().enumerate() {
                    let len = path.len();
                    let _ = write!(path, "[{i}]");
                    collect(item, path, out);
                    path.truncate(len);
                }
            }
            V::Map(m) => {
                for (k, item) in m.iter() {
                    let len = path.len();
                    if !path.is_empty() {
                        path.push('.');
                    }
                    path.push_str(k);
                    collect(item, path, out);
                    path.truncate(len);
                }
            }
            _ => {}
        }
    }
    let mut out = Vec::new();
    collect(v, &mut String::new(), &mut out);
    V::list(out)
}

fn text(v: &V) -> String {
    match v {
        V::Str(s) => s.to_string(),
        V::Map(m) => m
            .iter()
            .filter_map(|(_, v)| v.as_str().ok())
            .collect::<Vec<_>>()
            .join("\n"),
        _ => String::new(),
    }
}

fn langs<'a>(scope: &Scope<'_, 'a>, v: &V<'a>) -> R<V<'a>> {
    Ok(match v {
        V::Map(m) => V::list(m.iter().map(|(k, _)| V::Str(k.clone())).collect()),
        V::Str(_) => match scope.register.field("language")? {
            Some(l @ V::Str(_)) => V::list(vec![l.clone()]),
            _ => V::list(vec![]),
        },
        _ => V::list(vec![]),
    })
}

fn days_since<'a>(scope: &Scope<'_, 'a>, v: &V<'a>) -> R<V<'a>> {
    let from = match v {
        V::Timestamp(t) => t.date_naive(),
        V::Str(s) => chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").map_err(|_| Bail)?,
        _ => return Err(Bail),
    };
    let V::Timestamp(today) = scope.today else {
        return Err(Bail);
    };
    Ok(V::Int((today.date_naive() - from).num_days()))
}
