//! The evaluator of compiled rule expressions ([`Ir`]) over [`Value`] values: the one evaluator of
//! the rule language (docs/rule-language.md).
//!
//! It covers what rules are written with: operators, field selection and `has()`, the macros
//! (`all`, `exists`, `exists_one`, `map`, `filter` as the parser expands them; a map is iterated
//! in key order), the string functions, and the project functions. An error is an [`EvalError`]
//! with the reason, reported as `seloste/rule-error`. The cel crate's interpreter is kept as a
//! test oracle: where both give a value, it is the same (the differential tests).

use std::cell::RefCell;
use std::sync::{Arc, OnceLock};

use super::ir::{self, Fold, Func, Ir, Var};
use super::value::{EvalError, EvalResult, Str, Value, fail};
use crate::formats::{self, cached_regex};
use crate::rules::load::Cel;
use crate::rules::patterns::PatternList;

/// The variables of one evaluation.
pub struct Scope<'s, 'a> {
    pub register: &'s Value<'a>,
    pub today: &'s Value<'a>,
    pub options: &'s Value<'a>,
    pub data: &'s Value<'a>,
    pub item: Option<(Value<'a>, i64)>,
    /// `texts(register)`, built on first use (see [`Var::Texts`]).
    pub texts: &'s OnceLock<Value<'a>>,
    /// Loop variables of comprehensions, innermost last.
    pub locals: Vec<Value<'a>>,
    /// The regexes of the pattern lists seen in this file (see [`PatternCache`]).
    pub patterns: &'s PatternCache<'a>,
    /// The place a fix is computed for (only in `fix.replace` and `fix.title`).
    pub fix: Option<&'s Value<'a>>,
    /// The rule's `let`: names and expressions, and the values of this item so far.
    pub lets: Lets<'a>,
}

/// A rule's `let` names, and their values for the current item, each computed when first used.
#[derive(Default)]
pub struct Lets<'a> {
    pub defs: &'a [(String, Cel)],
    pub names: &'a [String],
    values: Vec<LetValue<'a>>,
}

impl<'a> Lets<'a> {
    pub fn of(defs: &'a [(String, Cel)], names: &'a [String]) -> Self {
        Lets {
            defs,
            names,
            values: Vec::new(),
        }
    }

    /// Forgets the values: the next item computes its own.
    pub fn reset(&mut self) {
        self.values.clear();
    }
}

#[derive(Clone)]
enum LetValue<'a> {
    Unknown,
    Computing,
    Known(Value<'a>),
}

/// The compiled form of each `matches_any` pattern list, by list identity: the lists are rule
/// options, the same `Arc` for every text of every file, so after the first call a pointer
/// comparison replaces hashing the patterns. The cache holds the list, so its address cannot be
/// reused by another list while the entry exists. A list literal is a new `Arc` at every call: it
/// is looked up by content every time (as the interpreter does), and the cache keeps only the
/// first few lists so that it stays small.
#[derive(Default)]
pub struct PatternCache<'a> {
    lists: RefCell<Vec<PatternEntry<'a>>>,
    /// The union of the pattern lists of a list's elements (see [`ir::Prefilter`]), by the list
    /// (held, as above) and the field that has the patterns.
    unions: RefCell<Vec<UnionEntry<'a>>>,
}

/// A pattern list and its compiled form.
type PatternEntry<'a> = (Arc<[Value<'a>]>, Arc<PatternList>);

/// A list, the field of its elements, and the union of their pattern lists (`None`: no union
/// stands for them, see [`PatternCache::union`]).
type UnionEntry<'a> = (Arc<[Value<'a>]>, Box<str>, Option<Arc<PatternList>>);

/// More lists than the built-in rules use with `matches_any` (the dated list of repealed acts has
/// a list per act): a list beyond it is looked up by content on every call.
const PATTERN_LISTS: usize = 64;

impl<'a> PatternCache<'a> {
    fn list(&self, list: &Arc<[Value<'a>]>) -> EvalResult<Option<Arc<PatternList>>> {
        if let Some((_, re)) = self
            .lists
            .borrow()
            .iter()
            .find(|(l, _)| Arc::ptr_eq(l, list))
        {
            return Ok(Some(re.clone()));
        }
        let patterns = list
            .iter()
            .map(Value::as_str)
            .collect::<EvalResult<Vec<_>>>()?;
        if patterns.is_empty() {
            return Ok(None);
        }
        let re = crate::rules::patterns::list(&patterns)
            .map_err(|e| EvalError::new(format!("invalid pattern: {e}")))?;
        let mut cache = self.lists.borrow_mut();
        if cache.len() < PATTERN_LISTS {
            cache.push((list.clone(), re.clone()));
        }
        Ok(Some(re))
    }

    /// The patterns of every element's `field` of `list` as one list, when that stands for them:
    /// every element has a list of strings there, and each of those lists compiles pattern by
    /// pattern (not as one combined regex, which could fail where the union does not).
    fn union(&self, list: &Arc<[Value<'a>]>, field: &str) -> Option<Arc<PatternList>> {
        let found = |(l, f, _): &&UnionEntry<'a>| Arc::ptr_eq(l, list) && &**f == field;
        if let Some((.., union)) = self.unions.borrow().iter().find(found) {
            return union.clone();
        }
        let union = (|| {
            let mut all = Vec::new();
            for element in list.iter() {
                let Ok(Some(Value::List(patterns))) = element.field(field) else {
                    return None;
                };
                let patterns: Vec<&str> = patterns
                    .iter()
                    .map(|p| p.as_str().ok())
                    .collect::<Option<_>>()?;
                if !patterns.is_empty() {
                    let own = crate::rules::patterns::list(&patterns).ok()?;
                    if own.is_combined() {
                        return None;
                    }
                    all.extend(patterns);
                }
            }
            (!all.is_empty())
                .then(|| crate::rules::patterns::list(&all).ok())
                .flatten()
        })();
        let mut cache = self.unions.borrow_mut();
        if cache.len() < PATTERN_LISTS {
            cache.push((list.clone(), field.into(), union.clone()));
        }
        union
    }
}

impl<'a> Scope<'_, 'a> {
    /// A variable of the rule, by reference; `None` for `index`, a number made from the item.
    fn var(&self, var: Var) -> EvalResult<Option<&Value<'a>>> {
        Ok(Some(match var {
            Var::Register => self.register,
            Var::Today => self.today,
            Var::Options => self.options,
            Var::Data => self.data,
            Var::Item => &self.item()?.0,
            Var::Index => return Ok(None),
            Var::Texts => self.texts.get_or_init(|| texts(self.register)),
            Var::Fix => self
                .fix
                .ok_or_else(|| EvalError::new("`fix` exists only in a rule's `fix`"))?,
        }))
    }

    fn var_value(&self, var: Var) -> EvalResult<Value<'a>> {
        match self.var(var)? {
            Some(v) => Ok(v.clone()),
            None => Ok(Value::Int(self.item()?.1)),
        }
    }

    fn item(&self) -> EvalResult<&(Value<'a>, i64)> {
        self.item
            .as_ref()
            .ok_or_else(|| EvalError::new("`item` and `index` exist only in a rule with `each`"))
    }

    fn local(&self, slot: usize) -> EvalResult<&Value<'a>> {
        self.locals
            .get(slot)
            .ok_or_else(|| EvalError::new("a loop variable used outside its loop"))
    }

    /// The value of the variable or `let` name `name` (for a template's `var.field` path).
    pub fn eval_ident(&mut self, name: &str) -> EvalResult<Value<'a>> {
        if let Some(i) = self.lets.names.iter().position(|n| n == name) {
            return self.let_value(i);
        }
        match ir::compile_ident(name) {
            Some(v) => self.var_value(v),
            None => fail(format!("unknown variable `{name}`")),
        }
    }

    /// The value of the `let` name `i` for this item, computed on first use.
    fn let_value(&mut self, i: usize) -> EvalResult<Value<'a>> {
        let lets = &mut self.lets;
        if lets.values.len() < lets.defs.len() {
            lets.values.resize(lets.defs.len(), LetValue::Unknown);
        }
        let Some((name, cel)) = lets.defs.get(i) else {
            return fail("a `let` name out of range");
        };
        match &lets.values[i] {
            LetValue::Known(v) => return Ok(v.clone()),
            LetValue::Computing => return fail(format!("`let.{name}` uses itself")),
            LetValue::Unknown => {}
        }
        let ir = super::compiled(cel, lets.names)?;
        lets.values[i] = LetValue::Computing;
        // A `let` is evaluated in the rule's scope, whatever loop it is used in.
        let loops = std::mem::take(&mut self.locals);
        let result = self.eval(ir);
        self.locals = loops;
        self.lets.values[i] = match &result {
            Ok(v) => LetValue::Known(v.clone()),
            Err(_) => LetValue::Unknown,
        };
        result.map_err(|e| EvalError::new(format!("in `let.{name}`: {}", e.0)))
    }

    /// The value a variable or a field path names, by reference: evaluating `t.path` this way
    /// copies (and reference-counts) only the result, not every step of the path.
    fn place(&self, e: &Ir) -> EvalResult<Option<&Value<'a>>> {
        Ok(match e {
            Ir::Local(slot) => Some(self.local(*slot)?),
            Ir::Var(v) => self.var(*v)?,
            Ir::Select(operand, field) => match self.place(operand)? {
                Some(v) => Some(v.get(field)?),
                None => None,
            },
            _ => None,
        })
    }

    pub fn eval(&mut self, e: &'a Ir) -> EvalResult<Value<'a>> {
        if let Some(v) = self.place(e)? {
            return Ok(v.clone());
        }
        Ok(match e {
            Ir::Null => Value::Null,
            Ir::Bool(b) => Value::Bool(*b),
            Ir::Int(i) => Value::Int(*i),
            Ir::UInt(u) => Value::UInt(*u),
            Ir::Double(d) => Value::Double(*d),
            Ir::Str(s) => Value::Str(Str::Borrowed(s)),
            Ir::Var(v) => self.var_value(*v)?,
            Ir::Local(slot) => self.local(*slot)?.clone(),
            Ir::Let(i) => self.let_value(*i)?,
            Ir::Select(operand, field) => self.eval(operand)?.get(field)?.clone(),
            Ir::Has(operand, field) => Value::Bool(match self.place(operand)? {
                Some(v) => v.field(field)?.is_some(),
                None => self.eval(operand)?.field(field)?.is_some(),
            }),
            Ir::List(items) => Value::list(
                items
                    .iter()
                    .map(|x| self.eval(x))
                    .collect::<EvalResult<_>>()?,
            ),
            Ir::Map(entries) => {
                let mut out = Vec::with_capacity(entries.len());
                for (k, v) in entries {
                    let key = match self.eval(k)? {
                        Value::Str(key) => key,
                        other => {
                            return fail(format!("map keys must be strings, got {}", other.kind()));
                        }
                    };
                    out.push((key, self.eval(v)?));
                }
                let n = out.len();
                let map = Value::map(out);
                // Duplicate keys are an error, as in CEL.
                match &map {
                    Value::Map(m) if m.len() == n => map,
                    _ => return fail("a map literal with a duplicate key"),
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
            Ir::And(x) => Value::Bool(self.logic(&x[0], &x[1], false)?),
            Ir::Or(x) => Value::Bool(self.logic(&x[0], &x[1], true)?),
            Ir::Not(x) => Value::Bool(!self.bool(&x[0])?),
            // An error is "not strictly false": the loop goes on (see `fold_items`).
            Ir::NotStrictlyFalse(x) => {
                Value::Bool(!matches!(self.eval(&x[0]), Ok(Value::Bool(false))))
            }
            Ir::Call(f, args) => self.call(*f, args)?,
            Ir::Fold(f) => self.fold(f)?,
            // Only `each` has a filter, which the rule runner takes apart.
            Ir::Filter(_) => return fail("`filter` here is run by the rule, not evaluated"),
        })
    }

    /// `a && b` (`decisive` false) or `a || b` (`decisive` true), as CEL defines them: a side
    /// that gives the decisive value decides, even when the other side fails.
    #[inline]
    fn logic(&mut self, a: &'a Ir, b: &'a Ir, decisive: bool) -> EvalResult<bool> {
        match self.bool(a) {
            Ok(x) if x == decisive => Ok(decisive),
            Ok(_) => self.bool(b),
            Err(e) => match self.bool(b) {
                Ok(y) if y == decisive => Ok(decisive),
                _ => Err(e),
            },
        }
    }

    pub fn bool(&mut self, e: &'a Ir) -> EvalResult<bool> {
        self.eval(e)?.as_bool()
    }

    fn fold(&mut self, f: &'a Fold) -> EvalResult<Value<'a>> {
        let accu = self.eval(&f.init)?;
        let range = self.eval(&f.range)?;
        if let (Some(p), Value::List(l)) = (&f.prefilter, &range)
            && self.rules_out(p, l)
        {
            return Ok(Value::Bool(false));
        }
        // A map is iterated over its keys, in key order (maps are kept sorted): the same order
        // on every run.
        let keys;
        let items: &[Value<'a>] = match &range {
            Value::List(l) => l,
            Value::Map(m) => {
                keys = m
                    .iter()
                    .map(|(k, _)| Value::Str(k.clone()))
                    .collect::<Vec<_>>();
                &keys
            }
            other => return fail(format!("cannot iterate over a {}", other.kind())),
        };
        let base = self.locals.len();
        self.locals.push(accu);
        let result = self.fold_items(f, items, base);
        // Also on an error: a `||` or `&&` that absorbs it goes on with the loop slots it was
        // compiled for.
        self.locals.truncate(base);
        result
    }

    /// Whether the [`ir::Prefilter`] of an `exists` over `list` shows that no element can match:
    /// its text matches none of the patterns of all the elements together. When it cannot tell
    /// (no union, a text that is no string, a pattern that fails), the loop runs as written.
    fn rules_out(&mut self, p: &'a ir::Prefilter, list: &Arc<[Value<'a>]>) -> bool {
        let Some(union) = self.patterns.union(list, &p.field) else {
            return false;
        };
        matches!(self.eval(&p.text), Ok(Value::Str(s)) if matches!(union.is_match(&s), Ok(false)))
    }

    fn fold_items(
        &mut self,
        f: &'a Fold,
        items: &[Value<'a>],
        base: usize,
    ) -> EvalResult<Value<'a>> {
        // `all` and `exists` fold with `accumulator && p` / `accumulator || p`. As in CEL, an
        // element whose `p` fails does not end the loop: its error is kept pending, and a later
        // element that decides (`false` for `all`, `true` for `exists`) wins over it, so the result
        // does not depend on the order of the elements.
        let deciding = match &f.step {
            Ir::And(x) if matches!(x[0], Ir::Local(slot) if slot == base) => Some((&x[1], false)),
            Ir::Or(x) if matches!(x[0], Ir::Local(slot) if slot == base) => Some((&x[1], true)),
            _ => None,
        };
        let mut pending: Option<EvalError> = None;
        for item in items.iter() {
            if !self.bool(&f.cond)? {
                break;
            }
            self.locals.push(item.clone());
            let step = match deciding {
                Some((p, decisive)) => match &self.locals[base] {
                    Value::Bool(acc) if *acc == decisive => Ok(Value::Bool(decisive)),
                    Value::Bool(_) => match self.bool(p) {
                        Ok(b) => Ok(Value::Bool(b)),
                        Err(e) => {
                            pending.get_or_insert(e);
                            Ok(Value::Bool(!decisive))
                        }
                    },
                    _ => self.eval(&f.step),
                },
                None => self.eval(&f.step),
            };
            self.locals.truncate(base + 1);
            let step = step?;
            if matches!(deciding, Some((_, d)) if matches!(step, Value::Bool(b) if b == d)) {
                pending = None;
            }
            self.locals[base] = step;
        }
        if let Some(e) = pending {
            return Err(e);
        }
        self.eval(&f.result)
    }

    /// Evaluates the arguments into a slice on the stack (no allocation per call).
    fn call(&mut self, f: Func, args: &'a [Ir]) -> EvalResult<Value<'a>> {
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
                let args = more
                    .iter()
                    .map(|a| self.eval(a))
                    .collect::<EvalResult<Vec<_>>>()?;
                function(self, f, &args)
            }
        }
    }
}

fn function<'a>(scope: &Scope<'_, 'a>, f: Func, args: &[Value<'a>]) -> EvalResult<Value<'a>> {
    use Func::*;
    use std::cmp::Ordering::*;
    Ok(match (f, args) {
        (Eq, [a, b]) => Value::Bool(a.equals(b)),
        (Ne, [a, b]) => Value::Bool(!a.equals(b)),
        (Lt, [a, b]) => Value::Bool(a.compare(b)? == Less),
        (Le, [a, b]) => Value::Bool(a.compare(b)? != Greater),
        (Gt, [a, b]) => Value::Bool(a.compare(b)? == Greater),
        (Ge, [a, b]) => Value::Bool(a.compare(b)? != Less),
        (Add | Sub | Mul | Div | Rem, [a, b]) => arith(f, a, b)?,
        (Neg, [Value::Int(i)]) => Value::Int(i.checked_neg().ok_or_else(overflow)?),
        (Neg, [Value::Double(d)]) => Value::Double(-d),
        (Index, [Value::List(l), Value::Int(i)]) => {
            match usize::try_from(*i).ok().and_then(|i| l.get(i)) {
                Some(v) => v.clone(),
                None => return fail(format!("index {i} out of range for a list of {}", l.len())),
            }
        }
        (Index, [m @ Value::Map(_), Value::Str(k)]) => m.get(k)?.clone(),
        (In, [x, Value::List(l)]) => Value::Bool(l.iter().any(|item| x.equals(item))),
        (In, [Value::Str(k), m @ Value::Map(_)]) => Value::Bool(m.field(k)?.is_some()),
        (Size | MSize, [x]) => size(x)?,
        (String, [x]) => match x {
            Value::Str(_) => x.clone(),
            Value::Int(i) => Value::string(i.to_string()),
            Value::UInt(u) => Value::string(u.to_string()),
            Value::Double(d) => Value::string(d.to_string()),
            Value::Bool(b) => Value::string(b.to_string()),
            Value::Timestamp(t) => Value::string(rfc3339(t)),
            _ => return no_overload(f, args),
        },
        (Int, [x]) => match x {
            Value::Int(_) => x.clone(),
            Value::UInt(u) => Value::Int(i64::try_from(*u).map_err(|_| overflow())?),
            Value::Str(s) => match s.parse() {
                Ok(i) => Value::Int(i),
                Err(_) => return fail(format!("cannot convert '{}' to int", &**s)),
            },
            _ => return no_overload(f, args),
        },
        (Texts, [x]) => texts(x),
        (Text, [x]) => Value::string(text(x)),
        (Langs, [x]) => langs(scope, x)?,
        (DaysSince, [x]) => days_since(scope, x)?,
        (MatchesAny, [Value::Str(s), Value::List(patterns)]) => Value::Bool(
            scope
                .patterns
                .list(patterns)?
                .map_or(Ok(false), |list| list.is_match(s))
                .map_err(|e| EvalError::new(format!("invalid pattern: {e}")))?,
        ),
        (IsEmail, [Value::Str(s)]) => Value::Bool(formats::is_email(s)),
        (IsUrl, [Value::Str(s)]) => Value::Bool(formats::is_url(s)),
        (YTunnusValid, [Value::Str(s)]) => Value::Bool(crate::fi::y_tunnus_valid(s)),
        (HetuIn, [Value::Str(s)]) => Value::list(
            crate::fi::hetu_in(s)
                .into_iter()
                .map(Value::string)
                .collect(),
        ),
        (DurationDays, [Value::Str(s)]) => match formats::iso_days(s) {
            Some(d) => Value::Int(d),
            None => return fail(format!("'{}' is not an ISO 8601 duration", &**s)),
        },
        (Matches | MMatches, [Value::Str(s), Value::Str(re)]) => Value::Bool(regex_match(s, re)?),
        (Join, [Value::List(items)]) => join(items, "")?,
        (Join, [Value::List(items), Value::Str(sep)]) => join(items, sep)?,
        (Contains, [Value::Str(s), Value::Str(x)]) => Value::Bool(s.contains(&**x)),
        (StartsWith, [Value::Str(s), Value::Str(x)]) => Value::Bool(s.starts_with(&**x)),
        (EndsWith, [Value::Str(s), Value::Str(x)]) => Value::Bool(s.ends_with(&**x)),
        (Trim, [Value::Str(Str::Borrowed(b))]) => Value::Str(Str::Borrowed(b.trim())),
        (Trim, [Value::Str(s)]) => Value::string(s.trim().to_owned()),
        (LowerAscii, [Value::Str(s)]) => Value::string(s.to_ascii_lowercase()),
        (UpperAscii, [Value::Str(s)]) => Value::string(s.to_ascii_uppercase()),
        (Replace, [Value::Str(s), Value::Str(from), Value::Str(to)]) => {
            Value::string(s.replace(&**from, to))
        }
        // An empty separator splits into characters, as in cel-go's strings extension.
        (Split, [Value::Str(s), Value::Str(sep)]) if sep.is_empty() => {
            Value::list(s.chars().map(|c| Value::string(c.to_string())).collect())
        }
        (Split, [Value::Str(s), Value::Str(sep)]) => Value::list(
            s.split(&**sep)
                .map(|p| Value::string(p.to_owned()))
                .collect(),
        ),
        (Substring, [Value::Str(s), Value::Int(start)]) => substring(s, *start, chars(s))?,
        (Substring, [Value::Str(s), Value::Int(start), Value::Int(end)]) => {
            substring(s, *start, *end)?
        }
        (IndexOf, [Value::Str(s), Value::Str(needle)]) => Value::Int(match s.find(&**needle) {
            Some(byte) => chars(&s[..byte]),
            None => -1,
        }),
        _ => return no_overload(f, args),
    })
}

/// The error for a function called with arguments of kinds it does not take.
fn no_overload<T>(f: Func, args: &[Value]) -> EvalResult<T> {
    let kinds: Vec<&str> = args.iter().map(Value::kind).collect();
    let name = f.name();
    match name.strip_prefix('.') {
        Some(method) if !kinds.is_empty() => fail(format!(
            "no such overload: {}.{method}({})",
            kinds[0],
            kinds[1..].join(", ")
        )),
        _ if name.chars().all(|c| !c.is_alphanumeric()) && kinds.len() == 2 => fail(format!(
            "no such overload: {} {name} {}",
            kinds[0], kinds[1]
        )),
        _ => fail(format!("no such overload: {name}({})", kinds.join(", "))),
    }
}

fn overflow() -> EvalError {
    EvalError::new("integer overflow")
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

fn size(v: &Value) -> EvalResult<Value<'static>> {
    Ok(Value::Int(match v {
        Value::Str(s) => chars(s),
        Value::List(l) => l.len() as i64,
        Value::Map(m) => m.len() as i64,
        other => return fail(format!("no such overload: size({})", other.kind())),
    }))
}

fn arith<'a>(op: Func, a: &Value<'a>, b: &Value<'a>) -> EvalResult<Value<'a>> {
    // The same checked operations on ints and on uints.
    macro_rules! checked {
        ($x:expr, $y:expr) => {
            match op {
                Func::Add => $x.checked_add(*$y),
                Func::Sub => $x.checked_sub(*$y),
                Func::Mul => $x.checked_mul(*$y),
                Func::Div if *$y == 0 => return fail("division by zero"),
                Func::Rem if *$y == 0 => return fail("modulus by zero"),
                Func::Div => $x.checked_div(*$y),
                Func::Rem => $x.checked_rem(*$y),
                _ => None,
            }
            .ok_or_else(overflow)?
        };
    }
    Ok(match (a, b) {
        (Value::Int(x), Value::Int(y)) => Value::Int(checked!(x, y)),
        (Value::UInt(x), Value::UInt(y)) => Value::UInt(checked!(x, y)),
        (Value::Double(x), Value::Double(y)) => Value::Double(match op {
            Func::Add => x + y,
            Func::Sub => x - y,
            Func::Mul => x * y,
            Func::Div => x / y,
            _ => return no_overload(op, &[a.clone(), b.clone()]),
        }),
        (Value::Str(x), Value::Str(y)) if op == Func::Add => {
            Value::string(format!("{}{}", &**x, &**y))
        }
        (Value::List(x), Value::List(y)) if op == Func::Add => {
            Value::list(x.iter().chain(y.iter()).cloned().collect())
        }
        _ => return no_overload(op, &[a.clone(), b.clone()]),
    })
}

fn substring<'a>(s: &str, start: i64, end: i64) -> EvalResult<Value<'a>> {
    if start < 0 || start > end || end > chars(s) {
        return fail(format!(
            "substring({start}, {end}) is out of range for a string of {} characters",
            chars(s)
        ));
    }
    Ok(Value::string(
        s.chars()
            .skip(start as usize)
            .take((end - start) as usize)
            .collect(),
    ))
}

fn join<'a>(items: &[Value<'a>], sep: &str) -> EvalResult<Value<'a>> {
    let parts = items
        .iter()
        .map(Value::as_str)
        .collect::<EvalResult<Vec<_>>>()?;
    Ok(Value::string(parts.join(sep)))
}

fn regex_match(s: &str, pattern: &str) -> EvalResult<bool> {
    let re = cached_regex(pattern)
        .map_err(|e| EvalError::new(format!("invalid regular expression: {e}")))?;
    Ok(re.is_match(s))
}

/// `texts(x)`: every string under `x` as `{parent, path, value}`, in key order (maps are sorted).
/// `parent` is the nearest mapping above the string that is not a Text's language map (absent
/// when there is none under `x`): shared, not copied.
pub fn texts<'a>(v: &Value<'a>) -> Value<'a> {
    fn collect<'a>(
        v: &Value<'a>,
        parent: Option<&Value<'a>>,
        path: &mut String,
        out: &mut Vec<Value<'a>>,
    ) {
        match v {
            Value::Str(s) => {
                let path = Value::Str(Str::Owned(Arc::from(path.as_str())));
                let value = Value::Str(s.clone());
                out.push(Value::Map(match parent {
                    Some(p) => Arc::new([
                        (Str::Borrowed("parent"), p.clone()),
                        (Str::Borrowed("path"), path),
                        (Str::Borrowed("value"), value),
                    ]),
                    None => Arc::new([
                        (Str::Borrowed("path"), path),
                        (Str::Borrowed("value"), value),
                    ]),
                }))
            }
            Value::List(items) => {
                for (i, item) in items.iter().enumerate() {
                    let len = path.len();
                    path.push('[');
                    push_index(path, i);
                    path.push(']');
                    collect(item, parent, path, out);
                    path.truncate(len);
                }
            }
            Value::Map(m) => {
                // The languages of a Text belong to the field that holds it. A Text is a mapping of
                // strings with one of the format's languages among its keys (and maybe others:
                // the structure check takes any language code, `se` for Sámi, say).
                let languages = m.iter().all(|(_, v)| matches!(v, Value::Str(_)))
                    && m.iter().any(|(k, _)| matches!(&**k, "fi" | "sv" | "en"));
                let parent = if languages { parent } else { Some(v) };
                for (k, item) in m.iter() {
                    let len = path.len();
                    if !path.is_empty() {
                        path.push('.');
                    }
                    path.push_str(k);
                    collect(item, parent, path, out);
                    path.truncate(len);
                }
            }
            _ => {}
        }
    }
    let mut out = Vec::new();
    collect(v, None, &mut String::new(), &mut out);
    Value::list(out)
}

fn text(v: &Value) -> String {
    match v {
        Value::Str(s) => s.to_string(),
        Value::Map(m) => m
            .iter()
            .filter_map(|(_, v)| v.as_str().ok())
            .collect::<Vec<_>>()
            .join("\n"),
        _ => String::new(),
    }
}

fn langs<'a>(scope: &Scope<'_, 'a>, v: &Value<'a>) -> EvalResult<Value<'a>> {
    Ok(Value::list(match v {
        Value::Map(m) => m.iter().map(|(k, _)| Value::Str(k.clone())).collect(),
        Value::Str(_) => match scope.register.field("language")? {
            Some(l @ Value::Str(_)) => vec![l.clone()],
            _ => vec![],
        },
        _ => vec![],
    }))
}

fn days_since<'a>(scope: &Scope<'_, 'a>, v: &Value<'a>) -> EvalResult<Value<'a>> {
    let from = match v {
        Value::Timestamp(t) => t.date_naive(),
        Value::Str(s) => match chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d") {
            Ok(d) => d,
            Err(_) => return fail(format!("not a YYYY-MM-DD date: '{}'", &**s)),
        },
        other => return fail(format!("no such overload: days_since({})", other.kind())),
    };
    let Value::Timestamp(today) = scope.today else {
        return fail("`today` is not a date");
    };
    Ok(Value::Int((today.date_naive() - from).num_days()))
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

/// `source` evaluated over `register` (no options, data or date), its value shown by `show`; the
/// error's reason otherwise. For the tests of the evaluator and the oracle.
#[cfg(test)]
pub(super) fn evaluate_for_test(
    register: &Value,
    source: &str,
    show: fn(&Value) -> String,
) -> Result<String, String> {
    let expr = crate::rules::validate::parse_for_run(source).map_err(|e| e.to_string())?;
    let ir = ir::compile(&expr, &mut Vec::new(), &[]).map_err(|u| u.what)?;
    let empty = Value::map(Vec::new());
    let texts = OnceLock::new();
    let patterns = PatternCache::default();
    let mut scope = Scope {
        register,
        today: &Value::Null,
        options: &empty,
        data: &empty,
        item: None,
        texts: &texts,
        locals: Vec::new(),
        patterns: &patterns,
        fix: None,
        lets: Lets::default(),
    };
    let v = scope.eval(&ir).map_err(EvalError::into_message)?;
    Ok(show(&v))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Whether the outermost loop of `source` got a prefilter.
    fn prefiltered(source: &str) -> bool {
        let expr = crate::rules::validate::parse_for_run(source).expect("parses");
        match ir::compile(&expr, &mut Vec::new(), &[]).expect("compiles") {
            Ir::Not(inner) => matches!(&inner[0], Ir::Fold(f) if f.prefilter.is_some()),
            Ir::Fold(f) => f.prefilter.is_some(),
            other => panic!("not a loop: {other:?}"),
        }
    }

    #[test]
    fn exists_over_pattern_lists_is_prefiltered_only_when_the_text_is_free_of_the_element() {
        // The shape of fi/repealed-law-cited's check.
        assert!(prefiltered(
            "!data.acts.exists(a, matches_any(item.value, a.patterns) && days_since(a.repealed) >= 0)"
        ));
        assert!(prefiltered(
            "data.acts.exists(a, a.on && matches_any(item.value, a.patterns))"
        ));
        assert!(!prefiltered(
            "data.acts.exists(a, matches_any(a.text, a.patterns))"
        ));
        assert!(!prefiltered(
            "data.acts.all(a, matches_any(item.value, a.patterns))"
        ));
        assert!(!prefiltered(
            "data.acts.exists(a, matches_any(item.value, a.patterns) || true)"
        ));
        assert!(!prefiltered(
            "data.acts.exists(a, matches_any(item.value.split(' ').map(w, w).join(' '), a.patterns))"
        ));
    }

    /// `source` evaluated over an empty register: its value as a message shows it, or the error.
    fn eval(source: &str) -> Result<String, String> {
        evaluate_for_test(&Value::map(Vec::new()), source, |v| {
            let mut out = String::new();
            super::super::value::display(v, &mut out);
            format!("{}: {out}", v.kind())
        })
    }

    #[test]
    fn values_and_errors_of_the_rule_language() {
        let cases: &[(&str, Result<&str, &str>)] = &[
            // Maps iterate in key order, whatever order they were written in.
            (
                "{'b': 1, 'a': 2, 'c': 3}.map(k, k).join(',')",
                Ok("string: a,b,c"),
            ),
            ("{'b': 1, 'a': 2}.exists(k, k == 'a')", Ok("bool: true")),
            ("1 == 1.0 && 1u == 1 && 2.5 > 2", Ok("bool: true")),
            (
                "{'a': [1]} == {'a': [1]} && {'a': 1} != {'a': 2}",
                Ok("bool: true"),
            ),
            ("'ab'.split('')", Ok("list: a, b")),
            ("string(1.5) + string(true)", Ok("string: 1.5true")),
            ("1.5 * 2.0", Ok("double: 3")),
            // A decisive side of `&&`/`||` wins over an error on the other side.
            ("1 / 0 == 1 || true", Ok("bool: true")),
            ("false && register.x == 1", Ok("bool: false")),
            ("register.x == 1 && false", Ok("bool: false")),
            ("register.x == 1 || false", Err("no such key: x")),
            // A loop that failed leaves no loop variable behind for the other side.
            (
                "('' in [1].map(x, register.x)) || [2].all(y, y == 2)",
                Ok("bool: true"),
            ),
            // An element that fails does not decide `all`/`exists` when another one does.
            ("['a', 0].all(x, x > 0)", Ok("bool: false")),
            // `exists` over a list of pattern lists (the prefilter of ir::Prefilter).
            (
                "[{'p': ['x+']}, {'p': ['ab']}].exists(a, matches_any('cab', a.p) && true)",
                Ok("bool: true"),
            ),
            (
                "[{'p': ['x+']}, {'p': ['ab']}].exists(a, matches_any('zzz', a.p))",
                Ok("bool: false"),
            ),
            (
                "[{'p': ['ab']}].exists(a, size(a.p) > 0 && matches_any('cab', a.p))",
                Ok("bool: true"),
            ),
            // An element with no pattern list: the loop runs as written, with its error.
            (
                "[{'p': ['x']}, {'q': 1}].exists(a, matches_any('zzz', a.p) && true)",
                Err("no such key: p"),
            ),
            // Lists that only compile together (as one combined regex) are not taken together:
            // each element's list fails, as written.
            (
                "[{'p': ['(?:zz']}, {'p': ['q)']}].exists(a, matches_any('x', a.p))",
                Err(
                    "invalid pattern: regex parse error:\n    (?:(?:zz)\n    ^\nerror: unclosed group",
                ),
            ),
            // One loop over two lists: each has its own union.
            (
                "[[{'p': ['a']}], [{'p': ['b']}]].map(l, l.exists(a, matches_any('b', a.p)))",
                Ok("list: false, true"),
            ),
            // The text reads the element: no prefilter.
            (
                "[{'p': ['a'], 't': 'a'}].exists(a, matches_any(a.t, a.p))",
                Ok("bool: true"),
            ),
            ("[0, 'a'].all(x, x > 0)", Ok("bool: false")),
            ("['a', 1].exists(x, x > 0)", Ok("bool: true")),
            (
                "['a', 1].all(x, x > 0)",
                Err("cannot compare a string with an int"),
            ),
            ("[{}, {'k': 1}].exists(m, m.k == 1)", Ok("bool: true")),
            ("[{}, {'k': 2}].exists(m, m.k == 1)", Err("no such key: k")),
            ("register.no_such_key", Err("no such key: no_such_key")),
            ("size(true)", Err("no such overload: size(bool)")),
            (
                "'a'.contains(1)",
                Err("no such overload: string.contains(int)"),
            ),
            ("1 + 'a'", Err("no such overload: int + string")),
            ("1 / 0", Err("division by zero")),
            ("9223372036854775807 + 1", Err("integer overflow")),
            ("[1][3]", Err("index 3 out of range for a list of 1")),
            (
                "'abc'.substring(5)",
                Err("substring(5, 3) is out of range for a string of 3 characters"),
            ),
            (
                "{'a': 1, 'a': 2}",
                Err("a map literal with a duplicate key"),
            ),
            ("int('x')", Err("cannot convert 'x' to int")),
            ("1 < 'a'", Err("cannot compare an int with a string")),
            ("b'x'", Err("bytes literals")),
            ("[1].all(x, y, true)", Err("the method `.all()`")),
        ];
        for (source, want) in cases {
            let got = eval(source);
            let got = got.as_deref().map_err(String::as_str);
            assert_eq!(got, *want, "{source}");
        }
    }

    #[test]
    fn texts_give_the_mapping_that_holds_each_text_as_its_parent() {
        let yaml = "controller: {name: Oy}\nlaws: [L1]\npurposes:\n  - id: a\n    \
                    retention: {period: P1Y, criteria: {fi: Kriteeri, sv: Kriterium}}\n  - id: b\n    \
                    retention: {period: P2Y, criteria: {fi: Kriteeri, se: Eaktu}}\n\
                    data_subjects: [{fi: Asiakkaat}]\n";
        let doc = crate::document::load(yaml.as_bytes(), Default::default()).expect("loads");
        let register = super::super::value::register(&doc.root);
        let show = |v: &Value| {
            let mut out = String::new();
            super::super::value::display(v, &mut out);
            out
        };
        let cases = [
            // A field's parent is the mapping that holds it.
            (
                "texts(register).filter(t, t.path == 'controller.name')[0].parent",
                "country: FI, name: Oy",
            ),
            // A language version's is the mapping that holds its Text.
            (
                "texts(register).filter(t, t.path.endsWith('criteria.sv')).map(t, t.parent.period)",
                "P1Y",
            ),
            // A Text with a language outside the format's three is a Text all the same.
            (
                "texts(register).filter(t, t.path.endsWith('criteria.se')).map(t, t.parent.period)",
                "P2Y",
            ),
            // A list's items belong to the mapping that holds the list.
            (
                "texts(register).filter(t, t.path == 'laws[0]')[0].parent.laws",
                "L1",
            ),
            (
                "texts(register).filter(t, t.path == 'data_subjects[0].fi')[0].parent == register",
                "true",
            ),
            (
                "texts(register.purposes[0]).map(t, has(t.parent.id) ? 'p' : t.parent.period).join(',')",
                "p,P1Y,P1Y,P1Y",
            ),
            // Nothing under a lone Text holds it.
            (
                "texts(register.purposes[0].retention.criteria).exists(t, has(t.parent))",
                "false",
            ),
            ("texts('x')[0].value", "x"),
        ];
        for (source, want) in cases {
            let got = evaluate_for_test(&register, source, show);
            assert_eq!(got.as_deref(), Ok(want), "{source}");
        }
    }

    #[test]
    fn a_list_made_at_every_call_does_not_grow_the_pattern_cache() {
        let cache = PatternCache::default();
        for _ in 0..100 {
            // A list literal: the same patterns, a new `Arc` each time.
            let list: Arc<[Value]> = vec![
                Value::Str(Str::Borrowed("(?i)zz")),
                Value::Str(Str::Borrowed("foo")),
            ]
            .into();
            let re = cache.list(&list).expect("compiles").expect("a regex");
            assert!(re.is_match("FOO zz").expect("compiles"));
        }
        assert_eq!(cache.lists.borrow().len(), PATTERN_LISTS);
        // The same `Arc` again is found by address.
        let list: Arc<[Value]> = vec![Value::Str(Str::Borrowed("x"))].into();
        let cache = PatternCache::default();
        cache.list(&list).expect("compiles");
        cache.list(&list).expect("compiles");
        assert_eq!(cache.lists.borrow().len(), 1);
    }
}
