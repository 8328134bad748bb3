//! The evaluator of compiled rule expressions ([`Ir`]) over [`V`] values.
//!
//! It covers what rules are written with: operators, field selection and `has()`, the macros
//! (`all`, `exists`, `exists_one`, `map`, `filter` as the parser expands them), the string
//! functions, and the project functions. Anything else, and every error, is a [`Bail`]: the rule
//! then runs in the interpreter, so results and error messages stay the interpreter's. The
//! invariant the differential tests check: when this returns a value, the interpreter returns the
//! same value.

use std::cell::RefCell;
use std::sync::{Arc, OnceLock};

use super::ir::{self, Fold, Func, Ir, Var};
use super::value::{Bail, R, Str, V};
use crate::rules::functions::{self, cached_regex};
use crate::rules::patterns::PatternList;

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
    pub locals: Vec<V<'a>>,
    /// The regexes of the pattern lists seen in this file (see [`PatternCache`]).
    pub patterns: &'s PatternCache<'a>,
}

/// The compiled form of each `matches_any` pattern list, by list identity: the lists are rule
/// options, the same `Arc` for every text of every file, so after the first call a pointer
/// comparison replaces hashing the patterns. The cache holds the list, so its address cannot be
/// reused by another list while the entry exists. A list literal is a new `Arc` at every call: it
/// is looked up by content every time (as the interpreter does), and the cache keeps only the
/// first few lists so that it stays small.
#[derive(Default)]
pub struct PatternCache<'a>(RefCell<Vec<PatternEntry<'a>>>);

/// A pattern list and its compiled form.
type PatternEntry<'a> = (Arc<[V<'a>]>, Arc<PatternList>);

/// More lists than the built-in rules use with `matches_any` (the dated list of repealed acts has
/// a list per act): a list beyond it is looked up by content on every call.
const PATTERN_LISTS: usize = 64;

impl<'a> PatternCache<'a> {
    fn list(&self, list: &Arc<[V<'a>]>) -> R<Option<Arc<PatternList>>> {
        if let Some((_, re)) = self.0.borrow().iter().find(|(l, _)| Arc::ptr_eq(l, list)) {
            return Ok(Some(re.clone()));
        }
        let patterns = list.iter().map(V::as_str).collect::<R<Vec<_>>>()?;
        if patterns.is_empty() {
            return Ok(None);
        }
        let re = crate::rules::patterns::list(&patterns).map_err(|_| Bail)?;
        let mut cache = self.0.borrow_mut();
        if cache.len() < PATTERN_LISTS {
            cache.push((list.clone(), re.clone()));
        }
        Ok(Some(re))
    }
}

impl<'a> Scope<'_, 'a> {
    fn var(&self, var: Var) -> R<V<'a>> {
        Ok(match var {
            Var::Register => self.register.clone(),
            Var::Today => self.today.clone(),
            Var::Options => self.options.clone(),
            Var::Data => self.data.clone(),
            Var::Item => self.item.as_ref().ok_or(Bail)?.0.clone(),
            Var::Index => V::Int(self.item.as_ref().ok_or(Bail)?.1),
            Var::Texts => self.texts.get_or_init(|| texts(self.register)).clone(),
            Var::Language => self.register.field("language")?.ok_or(Bail)?.clone(),
        })
    }

    /// The value of the variable `name` (for a template's `var.field` path).
    pub fn eval_ident(&self, name: &str) -> R<V<'a>> {
        match ir::compile_ident(name) {
            Ir::Var(v) => self.var(v),
            _ => Err(Bail),
        }
    }

    /// The value a variable or a field path names, by reference: evaluating `t.path` this way
    /// copies (and reference-counts) only the result, not every step of the path.
    fn place(&self, e: &Ir) -> R<Option<&V<'a>>> {
        Ok(match e {
            Ir::Local(slot) => Some(self.locals.get(*slot).ok_or(Bail)?),
            Ir::Var(Var::Register) => Some(self.register),
            Ir::Var(Var::Options) => Some(self.options),
            Ir::Var(Var::Data) => Some(self.data),
            Ir::Var(Var::Today) => Some(self.today),
            Ir::Var(Var::Item) => Some(&self.item.as_ref().ok_or(Bail)?.0),
            Ir::Var(Var::Texts) => Some(self.texts.get_or_init(|| texts(self.register))),
            Ir::Select(operand, field) => match self.place(operand)? {
                Some(v) => Some(v.field(field)?.ok_or(Bail)?),
                None => None,
            },
            _ => None,
        })
    }

    pub fn eval(&mut self, e: &'a Ir) -> R<V<'a>> {
        if let Some(v) = self.place(e)? {
            return Ok(v.clone());
        }
        Ok(match e {
            Ir::Null => V::Null,
            Ir::Bool(b) => V::Bool(*b),
            Ir::Int(i) => V::Int(*i),
            Ir::UInt(u) => V::UInt(*u),
            Ir::Double(d) => V::Double(*d),
            Ir::Str(s) => V::Str(Str::B(s)),
            Ir::Var(v) => self.var(*v)?,
            Ir::Local(slot) => self.locals.get(*slot).ok_or(Bail)?.clone(),
            Ir::Select(operand, field) => self.eval(operand)?.field(field)?.cloned().ok_or(Bail)?,
            Ir::Has(operand, field) => V::Bool(match self.place(operand)? {
                Some(v) => v.field(field)?.is_some(),
                None => self.eval(operand)?.field(field)?.is_some(),
            }),
            Ir::List(items) => V::list(items.iter().map(|x| self.eval(x)).collect::<R<_>>()?),
            Ir::Map(entries) => {
                let mut out = Vec::with_capacity(entries.len());
                for (k, v) in entries {
                    let V::Str(key) = self.eval(k)? else {
                        return Err(Bail);
                    };
                    out.push((key, self.eval(v)?));
                }
                let n = out.len();
                let map = V::map(out);
                // Duplicate keys are an error in the interpreter.
                match &map {
                    V::Map(m) if m.len() == n => map,
                    _ => return Err(Bail),
                }
            }
            Ir::Cond(x) => {
                let [cond, yes, no] = &**x;
                if self.bool(cond)? {
                    self.eval(yes)?
                } else {
                    self.eval(no)?
                }
            }
            Ir::And(x) => V::Bool(self.bool(&x[0])? && self.bool(&x[1])?),
            Ir::Or(x) => V::Bool(self.bool(&x[0])? || self.bool(&x[1])?),
            Ir::Not(x) => V::Bool(!self.bool(x)?),
            Ir::NotStrictlyFalse(x) => V::Bool(!matches!(self.eval(x)?, V::Bool(false))),
            Ir::Call(f, args) => self.call(*f, args)?,
            Ir::Fold(f) => self.fold(f)?,
            Ir::Filter(_) | Ir::Bail => return Err(Bail),
        })
    }

    pub fn bool(&mut self, e: &'a Ir) -> R<bool> {
        self.eval(e)?.as_bool()
    }

    fn fold(&mut self, f: &'a Fold) -> R<V<'a>> {
        let accu = self.eval(&f.init)?;
        // Maps iterate in hash order in the interpreter: left to it.
        let range = self.eval(&f.range)?;
        let items = range.as_list()?;
        let base = self.locals.len();
        self.locals.push(accu);
        for item in items.iter() {
            if !self.bool(&f.cond)? {
                break;
            }
            self.locals.push(item.clone());
            let step = self.eval(&f.step)?;
            self.locals.truncate(base + 1);
            self.locals[base] = step;
        }
        let result = self.eval(&f.result);
        self.locals.truncate(base);
        result
    }

    /// Evaluates the arguments into a slice on the stack (no allocation per call).
    fn call(&mut self, f: Func, args: &'a [Ir]) -> R<V<'a>> {
        match args {
            [] => function(self, f, &[]),
            [a] => {
                let a = self.eval(a)?;
                function(self, f, &[a])
            }
            [a, b] => {
                let a = self.eval(a)?;
                let b = self.eval(b)?;
                function(self, f, &[a, b])
            }
            [a, b, c] => {
                let a = self.eval(a)?;
                let b = self.eval(b)?;
                let c = self.eval(c)?;
                function(self, f, &[a, b, c])
            }
            more => {
                let args = more.iter().map(|a| self.eval(a)).collect::<R<Vec<_>>>()?;
                function(self, f, &args)
            }
        }
    }
}

fn function<'a>(scope: &Scope<'_, 'a>, f: Func, args: &[V<'a>]) -> R<V<'a>> {
    use Func::*;
    use std::cmp::Ordering::*;
    Ok(match (f, args) {
        (Eq, [a, b]) => V::Bool(a.equals(b)?),
        (Ne, [a, b]) => V::Bool(!a.equals(b)?),
        (Lt, [a, b]) => V::Bool(a.compare(b)? == Less),
        (Le, [a, b]) => V::Bool(a.compare(b)? != Greater),
        (Gt, [a, b]) => V::Bool(a.compare(b)? == Greater),
        (Ge, [a, b]) => V::Bool(a.compare(b)? != Less),
        (Add | Sub | Mul | Div | Rem, [a, b]) => arith(f, a, b)?,
        (Neg, [V::Int(i)]) => V::Int(i.checked_neg().ok_or(Bail)?),
        (Index, [V::List(l), V::Int(i)]) => usize::try_from(*i)
            .ok()
            .and_then(|i| l.get(i))
            .ok_or(Bail)?
            .clone(),
        (Index, [m @ V::Map(_), V::Str(k)]) => m.field(k)?.ok_or(Bail)?.clone(),
        (In, [x, V::List(l)]) => {
            for item in l.iter() {
                if x.equals(item)? {
                    return Ok(V::Bool(true));
                }
            }
            V::Bool(false)
        }
        (In, [V::Str(k), m @ V::Map(_)]) => V::Bool(m.field(k)?.is_some()),
        (Size, [x]) | (MSize, [x]) => size(x)?,
        (String, [x]) => match x {
            V::Str(_) => x.clone(),
            V::Int(i) => V::string(i.to_string()),
            V::UInt(u) => V::string(u.to_string()),
            V::Timestamp(t) => V::string(rfc3339(t)),
            _ => return Err(Bail),
        },
        (Int, [x]) => match x {
            V::Int(_) => x.clone(),
            V::Str(s) => V::Int(s.parse().map_err(|_| Bail)?),
            _ => return Err(Bail),
        },
        (Texts, [x]) => texts(x),
        (Text, [x]) => V::string(text(x)),
        (Langs, [x]) => langs(scope, x)?,
        (DaysSince, [x]) => days_since(scope, x)?,
        (MatchesAny, [V::Str(s), V::List(patterns)]) => V::Bool(
            scope
                .patterns
                .list(patterns)?
                .map_or(Ok(false), |list| list.is_match(s))
                .map_err(|_| Bail)?,
        ),
        (IsEmail, [V::Str(s)]) => V::Bool(functions::is_email(s)),
        (IsUrl, [V::Str(s)]) => V::Bool(functions::is_url(s)),
        (YTunnusValid, [V::Str(s)]) => V::Bool(crate::fi::y_tunnus_valid(s)),
        (HetuIn, [V::Str(s)]) => {
            V::list(crate::fi::hetu_in(s).into_iter().map(V::string).collect())
        }
        (DurationDays, [V::Str(s)]) => V::Int(functions::iso_days(s).ok_or(Bail)?),
        (Matches, [V::Str(s), V::Str(re)]) | (MMatches, [V::Str(s), V::Str(re)]) => {
            V::Bool(regex_match(s, re)?)
        }
        (Join, [V::List(items)]) => join(items, "")?,
        (Join, [V::List(items), V::Str(sep)]) => join(items, sep)?,
        (MSize, _) | (Join, _) => return Err(Bail),
        (Contains, [V::Str(s), V::Str(x)]) => V::Bool(s.contains(&**x)),
        (StartsWith, [V::Str(s), V::Str(x)]) => V::Bool(s.starts_with(&**x)),
        (EndsWith, [V::Str(s), V::Str(x)]) => V::Bool(s.ends_with(&**x)),
        (Trim, [V::Str(Str::B(b))]) => V::Str(Str::B(b.trim())),
        (Trim, [V::Str(s)]) => V::string(s.trim().to_owned()),
        (LowerAscii, [V::Str(s)]) => V::string(s.to_ascii_lowercase()),
        (UpperAscii, [V::Str(s)]) => V::string(s.to_ascii_uppercase()),
        (Replace, [V::Str(s), V::Str(from), V::Str(to)]) => V::string(s.replace(&**from, to)),
        (Split, [V::Str(s), V::Str(sep)]) if !sep.is_empty() => {
            V::list(s.split(&**sep).map(|p| V::string(p.to_owned())).collect())
        }
        (Substring, [V::Str(s), V::Int(start)]) => substring(s, *start, chars(s))?,
        (Substring, [V::Str(s), V::Int(start), V::Int(end)]) => substring(s, *start, *end)?,
        (IndexOf, [V::Str(s), V::Str(needle)]) => V::Int(match s.find(&**needle) {
            Some(byte) => chars(&s[..byte]),
            None => -1,
        }),
        _ => return Err(Bail),
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

fn arith<'a>(op: Func, a: &V<'a>, b: &V<'a>) -> R<V<'a>> {
    Ok(match (a, b) {
        (V::Int(x), V::Int(y)) => V::Int(
            match op {
                Func::Add => x.checked_add(*y),
                Func::Sub => x.checked_sub(*y),
                Func::Mul => x.checked_mul(*y),
                Func::Div => x.checked_div(*y),
                Func::Rem => x.checked_rem(*y),
                _ => None,
            }
            .ok_or(Bail)?,
        ),
        (V::Str(x), V::Str(y)) if op == Func::Add => V::string(format!("{}{}", &**x, &**y)),
        (V::List(x), V::List(y)) if op == Func::Add => {
            V::list(x.iter().chain(y.iter()).cloned().collect())
        }
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
    fn collect<'a>(v: &V<'a>, path: &mut String, out: &mut Vec<V<'a>>) {
        match v {
            V::Str(s) => out.push(V::Map(Arc::new([
                (Str::B("path"), V::Str(Str::O(Arc::from(path.as_str())))),
                (Str::B("value"), V::Str(s.clone())),
            ]))),
            V::List(items) => {
                for (i, item) in items.iter().enumerate() {
                    let len = path.len();
                    path.push('[');
                    push_index(path, i);
                    path.push(']');
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

/// Appends the decimal digits of `i` (`write!` was a tenth of `texts()`).
fn push_index(path: &mut String, mut i: usize) {
    let mut digits = [0u8; 20];
    let mut n = digits.len();
    loop {
        n -= 1;
        digits[n] = b'0' + (i % 10) as u8;
        i /= 10;
        if i == 0 {
            break;
        }
    }
    for &d in &digits[n..] {
        path.push(char::from(d));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_list_made_at_every_call_does_not_grow_the_pattern_cache() {
        let cache = PatternCache::default();
        for _ in 0..100 {
            // A list literal: the same patterns, a new `Arc` each time.
            let list: Arc<[V]> = vec![V::Str(Str::B("(?i)zz")), V::Str(Str::B("foo"))].into();
            let re = cache.list(&list).expect("compiles").expect("a regex");
            assert!(re.is_match("FOO zz").expect("compiles"));
        }
        assert_eq!(cache.0.borrow().len(), PATTERN_LISTS);
        // The same `Arc` again is found by address.
        let list: Arc<[V]> = vec![V::Str(Str::B("x"))].into();
        let cache = PatternCache::default();
        cache.list(&list).expect("compiles");
        cache.list(&list).expect("compiles");
        assert_eq!(cache.0.borrow().len(), 1);
    }
}
