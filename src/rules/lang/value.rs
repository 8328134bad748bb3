//! The values of the evaluator: a register borrowed from the YAML tree, without copies.
//!
//! Strings borrow from the tree; lists and maps are shared (`Arc`) so binding a variable or
//! returning a field is a reference-count increment. Map entries are sorted by key and unique (the
//! last of duplicate keys wins, as in the interpreter's hash map), which gives `texts()` and
//! messages their key order for free and lets lookups use a binary search.

use std::cmp::Ordering;
use std::ops::Deref;
use std::sync::Arc;

use chrono::{DateTime, FixedOffset};

use crate::document::{Node, NodeKind};

/// Evaluation failed: why, in the words `seloste/rule-error` shows the rule's author. Boxed, so
/// that every `EvalResult` the evaluator returns stays the size of a value: results are copied
/// at every step of an evaluation (BENCHMARKS.md has what an unboxed reason cost).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EvalError(pub Box<String>);

impl EvalError {
    pub fn new(message: impl Into<String>) -> Self {
        EvalError(Box::new(message.into()))
    }

    /// The reason, for a report.
    pub fn into_message(self) -> String {
        *self.0
    }
}

pub type EvalResult<T> = Result<T, EvalError>;

/// An [`EvalError`] with `message`.
pub fn fail<T>(message: impl Into<String>) -> EvalResult<T> {
    Err(EvalError::new(message))
}

/// A string borrowed from the register or the rules, or made during evaluation.
#[derive(Debug, Clone)]
pub enum Str<'a> {
    Borrowed(&'a str),
    Owned(Arc<str>),
}

impl Deref for Str<'_> {
    type Target = str;
    fn deref(&self) -> &str {
        match self {
            Str::Borrowed(s) => s,
            Str::Owned(s) => s,
        }
    }
}

impl From<String> for Str<'_> {
    fn from(s: String) -> Self {
        Str::Owned(Arc::from(s))
    }
}

#[derive(Debug, Clone)]
pub enum Value<'a> {
    Null,
    Bool(bool),
    Int(i64),
    UInt(u64),
    Double(f64),
    Str(Str<'a>),
    List(Arc<[Value<'a>]>),
    /// Entries sorted by key, keys unique.
    Map(Arc<[(Str<'a>, Value<'a>)]>),
    Timestamp(DateTime<FixedOffset>),
}

impl<'a> Value<'a> {
    pub fn string(s: String) -> Self {
        Value::Str(s.into())
    }

    pub fn list(items: Vec<Value<'a>>) -> Self {
        Value::List(items.into())
    }

    /// A map from entries in any order; the last of duplicate keys wins.
    pub fn map(mut entries: Vec<(Str<'a>, Value<'a>)>) -> Self {
        // A stable sort keeps duplicates in source order, so the last one is kept below.
        entries.sort_by(|a, b| a.0.cmp(&b.0));
        let mut out: Vec<(Str<'a>, Value<'a>)> = Vec::with_capacity(entries.len());
        for e in entries {
            match out.last_mut() {
                Some(last) if *last.0 == *e.0 => *last = e,
                _ => out.push(e),
            }
        }
        Value::Map(out.into())
    }

    /// The CEL name of the value's type, for error messages.
    pub fn kind(&self) -> &'static str {
        match self {
            Value::Null => "null",
            Value::Bool(_) => "bool",
            Value::Int(_) => "int",
            Value::UInt(_) => "uint",
            Value::Double(_) => "double",
            Value::Str(_) => "string",
            Value::List(_) => "list",
            Value::Map(_) => "map",
            Value::Timestamp(_) => "timestamp",
        }
    }

    pub fn as_str(&self) -> EvalResult<&str> {
        match self {
            Value::Str(s) => Ok(s),
            other => fail(format!("expected a string, got {}", other.kind())),
        }
    }

    pub fn as_bool(&self) -> EvalResult<bool> {
        match self {
            Value::Bool(b) => Ok(*b),
            other => fail(format!("expected a bool, got {}", other.kind())),
        }
    }

    /// The value under `key` of a map; `None` when absent, an error when not a map.
    pub fn field(&self, key: &str) -> EvalResult<Option<&Value<'a>>> {
        match self {
            // A scan of a few entries compares lengths first (a text of `texts()` has three).
            Value::Map(m) if m.len() <= 4 => Ok(m.iter().find(|(k, _)| **k == *key).map(|e| &e.1)),
            Value::Map(m) => Ok(m
                .binary_search_by(|(k, _)| key_cmp(k, key))
                .ok()
                .map(|i| &m[i].1)),
            other => fail(format!("no field `{key}` on a {}", other.kind())),
        }
    }

    /// The value under `key` of a map, which must be there.
    pub fn get(&self, key: &str) -> EvalResult<&Value<'a>> {
        self.field(key)?
            .ok_or_else(|| EvalError::new(format!("no such key: {key}")))
    }

    /// CEL `==`: values of different kinds are unequal, numbers compare by value whatever their
    /// kind, lists and maps compare element by element.
    pub fn equals(&self, other: &Value) -> bool {
        match (self, other) {
            (Value::Null, Value::Null) => true,
            (Value::Bool(a), Value::Bool(b)) => a == b,
            (Value::Int(a), Value::Int(b)) => a == b,
            (Value::UInt(a), Value::UInt(b)) => a == b,
            (Value::Double(a), Value::Double(b)) => a == b,
            (Value::Str(a), Value::Str(b)) => **a == **b,
            (Value::Timestamp(a), Value::Timestamp(b)) => a == b,
            (Value::List(a), Value::List(b)) => {
                a.len() == b.len() && a.iter().zip(b.iter()).all(|(x, y)| x.equals(y))
            }
            // Both sorted by key: equal maps have equal entries in the same order.
            (Value::Map(a), Value::Map(b)) => {
                a.len() == b.len()
                    && a.iter()
                        .zip(b.iter())
                        .all(|((ka, va), (kb, vb))| **ka == **kb && va.equals(vb))
            }
            (a @ (Value::Int(_) | Value::UInt(_) | Value::Double(_)), b) => {
                numeric_cmp(a, b) == Some(Ordering::Equal)
            }
            _ => false,
        }
    }

    /// CEL ordering: numbers of any kind, strings, bools and timestamps each among themselves.
    pub fn compare(&self, other: &Value) -> EvalResult<Ordering> {
        let order = match (self, other) {
            (Value::Str(a), Value::Str(b)) => Some((**a).cmp(&**b)),
            (Value::Bool(a), Value::Bool(b)) => Some(a.cmp(b)),
            (Value::Timestamp(a), Value::Timestamp(b)) => Some(a.cmp(b)),
            (a, b) => numeric_cmp(a, b),
        };
        order.ok_or_else(|| {
            let (a, b) = (a_kind(self.kind()), a_kind(other.kind()));
            EvalError::new(format!("cannot compare {a} with {b}"))
        })
    }
}

/// A type name with its article: "an int", "a string".
fn a_kind(kind: &str) -> String {
    match kind.as_bytes().first() {
        Some(b'a' | b'e' | b'i' | b'o' | b'u') => format!("an {kind}"),
        _ => format!("a {kind}"),
    }
}

/// The order of two numbers of any kinds (`None`: not two numbers, or NaN).
fn numeric_cmp(a: &Value, b: &Value) -> Option<Ordering> {
    let wide = |v: &Value| match v {
        Value::Int(i) => Some(i128::from(*i)),
        Value::UInt(u) => Some(i128::from(*u)),
        _ => None,
    };
    match (a, b) {
        (Value::Double(x), Value::Double(y)) => x.partial_cmp(y),
        (Value::Double(x), other) => wide(other).and_then(|y| x.partial_cmp(&(y as f64))),
        (other, Value::Double(y)) => wide(other).and_then(|x| (x as f64).partial_cmp(y)),
        (x, y) => Some(wide(x)?.cmp(&wide(y)?)),
    }
}

/// `str` ordering, deciding on the first byte when it differs (most comparisons of a lookup):
/// cheaper than a `memcmp` call per step of the binary search.
fn key_cmp(a: &str, b: &str) -> Ordering {
    match a.as_bytes().first().cmp(&b.as_bytes().first()) {
        Ordering::Equal => a.cmp(b),
        other => other,
    }
}

/// The register as the rules see it (docs/rule-language.md, "The view"): the tree with the
/// format's normalisations (single values of list fields as lists, the controller's country,
/// `updated` as a timestamp).
pub fn register(root: &Node) -> Value<'_> {
    let mut view = plain(root);
    normalise(&mut view);
    view
}

fn plain(node: &Node) -> Value<'_> {
    match &node.kind {
        NodeKind::Null => Value::Null,
        NodeKind::Bool(b) => Value::Bool(*b),
        NodeKind::Int(i) => Value::Int(*i),
        NodeKind::Float(f) => Value::Double(*f),
        NodeKind::Str(s) => Value::Str(Str::Borrowed(s)),
        NodeKind::Seq(items) => Value::list(items.iter().map(plain).collect()),
        NodeKind::Map(entries) => Value::map(
            entries
                .iter()
                .filter(|e| !e.value.is_null())
                .map(|e| (Str::Borrowed(e.key.as_str()), plain(&e.value)))
                .collect(),
        ),
    }
}

/// Rebuilds the map `v` with `f` applied to its entries (maps are shared, so edits copy).
fn edit_map<'a>(v: &mut Value<'a>, f: impl FnOnce(&mut Vec<(Str<'a>, Value<'a>)>)) {
    if let Value::Map(m) = v {
        let mut entries = m.to_vec();
        f(&mut entries);
        *v = Value::map(entries);
    }
}

fn edit_field<'a>(entries: &mut [(Str<'a>, Value<'a>)], key: &str, f: impl FnOnce(&mut Value<'a>)) {
    if let Some((_, v)) = entries.iter_mut().find(|(k, _)| &**k == key) {
        f(v);
    }
}

fn listify(v: &mut Value) {
    if !matches!(v, Value::List(_)) {
        let one = std::mem::replace(v, Value::Null);
        *v = Value::list(vec![one]);
    }
}

fn for_each_item<'a>(items: &mut Value<'a>, f: impl Fn(&mut Value<'a>)) {
    if let Value::List(l) = items {
        let mut items = l.to_vec();
        items.iter_mut().for_each(f);
        *l = items.into();
    }
}

fn normalise(view: &mut Value) {
    edit_map(view, |root| {
        edit_field(root, "purposes", |ps| {
            for_each_item(ps, |p| {
                edit_map(p, |p| edit_field(p, "legal_basis", listify));
            })
        });
        edit_field(root, "transfers", |ts| {
            for_each_item(ts, |t| {
                edit_map(t, |t| edit_field(t, "safeguard", listify));
            })
        });
        edit_field(root, "controller", |c| {
            edit_map(c, |c| {
                if !c.iter().any(|(k, _)| &**k == "country") {
                    c.push((Str::Borrowed("country"), Value::Str(Str::Borrowed("FI"))));
                }
            })
        });
        edit_field(root, "updated", |u| {
            if let Value::Str(s) = u
                && let Some(cel::Value::Timestamp(t)) = crate::document::date_timestamp(s)
            {
                *u = Value::Timestamp(t);
            }
        });
    });
}

/// A `cel::Value` (rule options, pack data, `today`) as an evaluator value; `None` for what the
/// rule language has no value for (bytes, durations, non-string map keys).
pub fn from_cel(v: &cel::Value) -> Option<Value<'_>> {
    use cel::Value as C;
    Some(match v {
        C::Null => Value::Null,
        C::Bool(b) => Value::Bool(*b),
        C::Int(i) => Value::Int(*i),
        C::UInt(u) => Value::UInt(*u),
        C::Float(f) => Value::Double(*f),
        C::String(s) => Value::Str(Str::Borrowed(s.as_str())),
        C::Timestamp(t) => Value::Timestamp(*t),
        C::List(items) => Value::list(items.iter().map(from_cel).collect::<Option<Vec<_>>>()?),
        C::Map(m) => Value::map(
            m.map
                .iter()
                .map(|(k, v)| match k {
                    cel::objects::Key::String(s) => Some((Str::Borrowed(s.as_str()), from_cel(v)?)),
                    _ => None,
                })
                .collect::<Option<Vec<_>>>()?,
        ),
        _ => return None,
    })
}

/// A `cel::Value` as an owned evaluator value, for values kept across evaluations (rule options
/// in the rule set).
pub fn owned(v: &cel::Value) -> Option<Value<'static>> {
    from_cel(v).map(|v| to_static(&v))
}

fn to_static(v: &Value) -> Value<'static> {
    let s = |s: &Str| Str::Owned(Arc::from(&**s));
    match v {
        Value::Null => Value::Null,
        Value::Bool(b) => Value::Bool(*b),
        Value::Int(i) => Value::Int(*i),
        Value::UInt(u) => Value::UInt(*u),
        Value::Double(f) => Value::Double(*f),
        Value::Str(x) => Value::Str(s(x)),
        Value::Timestamp(t) => Value::Timestamp(*t),
        Value::List(l) => Value::List(l.iter().map(to_static).collect()),
        Value::Map(m) => Value::Map(m.iter().map(|(k, v)| (s(k), to_static(v))).collect()),
    }
}

/// How a value prints inside a message.
pub fn display(v: &Value, out: &mut String) {
    use std::fmt::Write;
    match v {
        Value::Str(s) => out.push_str(s),
        Value::Int(i) => _ = write!(out, "{i}"),
        Value::UInt(u) => _ = write!(out, "{u}"),
        Value::Double(f) => _ = write!(out, "{f}"),
        Value::Bool(b) => _ = write!(out, "{b}"),
        Value::Null => out.push_str("null"),
        Value::List(items) => {
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                display(item, out);
            }
        }
        Value::Map(m) => {
            for (i, (k, v)) in m.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                out.push_str(k);
                out.push_str(": ");
                display(v, out);
            }
        }
        Value::Timestamp(t) => _ = write!(out, "{}", t.format("%Y-%m-%d")),
    }
}
