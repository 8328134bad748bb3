//! The values of the fast evaluator: a register borrowed from the YAML tree, without copies.
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

/// Evaluation failed: why, in the words `seloste/rule-error` shows the rule's author.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EvalError(pub String);

pub type R<T> = Result<T, EvalError>;

/// An [`EvalError`] with `message`.
pub fn fail<T>(message: impl Into<String>) -> R<T> {
    Err(EvalError(message.into()))
}

/// A string borrowed from the register or the rules, or made during evaluation.
#[derive(Debug, Clone)]
pub enum Str<'a> {
    B(&'a str),
    O(Arc<str>),
}

impl Deref for Str<'_> {
    type Target = str;
    fn deref(&self) -> &str {
        match self {
            Str::B(s) => s,
            Str::O(s) => s,
        }
    }
}

impl From<String> for Str<'_> {
    fn from(s: String) -> Self {
        Str::O(Arc::from(s))
    }
}

#[derive(Debug, Clone)]
pub enum V<'a> {
    Null,
    Bool(bool),
    Int(i64),
    UInt(u64),
    Double(f64),
    Str(Str<'a>),
    List(Arc<[V<'a>]>),
    /// Entries sorted by key, keys unique.
    Map(Arc<[(Str<'a>, V<'a>)]>),
    Timestamp(DateTime<FixedOffset>),
}

impl<'a> V<'a> {
    pub fn string(s: String) -> Self {
        V::Str(s.into())
    }

    pub fn list(items: Vec<V<'a>>) -> Self {
        V::List(items.into())
    }

    /// A map from entries in any order; the last of duplicate keys wins.
    pub fn map(mut entries: Vec<(Str<'a>, V<'a>)>) -> Self {
        // A stable sort keeps duplicates in source order, so the last one is kept below.
        entries.sort_by(|a, b| a.0.cmp(&b.0));
        let mut out: Vec<(Str<'a>, V<'a>)> = Vec::with_capacity(entries.len());
        for e in entries {
            match out.last_mut() {
                Some(last) if *last.0 == *e.0 => *last = e,
                _ => out.push(e),
            }
        }
        V::Map(out.into())
    }

    /// The CEL name of the value's type, for error messages.
    pub fn kind(&self) -> &'static str {
        match self {
            V::Null => "null",
            V::Bool(_) => "bool",
            V::Int(_) => "int",
            V::UInt(_) => "uint",
            V::Double(_) => "double",
            V::Str(_) => "string",
            V::List(_) => "list",
            V::Map(_) => "map",
            V::Timestamp(_) => "timestamp",
        }
    }

    pub fn as_str(&self) -> R<&str> {
        match self {
            V::Str(s) => Ok(s),
            other => fail(format!("expected a string, got {}", other.kind())),
        }
    }

    pub fn as_bool(&self) -> R<bool> {
        match self {
            V::Bool(b) => Ok(*b),
            other => fail(format!("expected a bool, got {}", other.kind())),
        }
    }

    pub fn as_list(&self) -> R<&Arc<[V<'a>]>> {
        match self {
            V::List(l) => Ok(l),
            other => fail(format!("expected a list, got {}", other.kind())),
        }
    }

    /// The value under `key` of a map; `None` when absent, an error when not a map.
    pub fn field(&self, key: &str) -> R<Option<&V<'a>>> {
        match self {
            V::Map(m) => Ok(m
                .binary_search_by(|(k, _)| key_cmp(k, key))
                .ok()
                .map(|i| &m[i].1)),
            other => fail(format!("no field `{key}` on a {}", other.kind())),
        }
    }

    /// The value under `key` of a map, which must be there.
    pub fn get(&self, key: &str) -> R<&V<'a>> {
        match self.field(key)? {
            Some(v) => Ok(v),
            None => fail(format!("no such key: {key}")),
        }
    }

    /// CEL `==`: values of different kinds are unequal, numbers compare by value whatever their
    /// kind, lists and maps compare element by element.
    pub fn equals(&self, other: &V) -> R<bool> {
        Ok(match (self, other) {
            (V::Null, V::Null) => true,
            (V::Bool(a), V::Bool(b)) => a == b,
            (V::Int(a), V::Int(b)) => a == b,
            (V::UInt(a), V::UInt(b)) => a == b,
            (V::Double(a), V::Double(b)) => a == b,
            (V::Str(a), V::Str(b)) => **a == **b,
            (V::Timestamp(a), V::Timestamp(b)) => a == b,
            (V::List(a), V::List(b)) => {
                if a.len() != b.len() {
                    return Ok(false);
                }
                for (x, y) in a.iter().zip(b.iter()) {
                    if !x.equals(y)? {
                        return Ok(false);
                    }
                }
                true
            }
            (V::Map(a), V::Map(b)) => {
                if a.len() != b.len() {
                    return Ok(false);
                }
                // Both sorted by key: equal maps have equal entries in the same order.
                for ((ka, va), (kb, vb)) in a.iter().zip(b.iter()) {
                    if **ka != **kb || !va.equals(vb)? {
                        return Ok(false);
                    }
                }
                true
            }
            (a @ (V::Int(_) | V::UInt(_) | V::Double(_)), b) => {
                numeric_cmp(a, b) == Some(Ordering::Equal)
            }
            _ => false,
        })
    }

    /// CEL ordering: numbers of any kind, strings, bools and timestamps each among themselves.
    pub fn compare(&self, other: &V) -> R<Ordering> {
        let order = match (self, other) {
            (V::Str(a), V::Str(b)) => Some((**a).cmp(&**b)),
            (V::Bool(a), V::Bool(b)) => Some(a.cmp(b)),
            (V::Timestamp(a), V::Timestamp(b)) => Some(a.cmp(b)),
            (a, b) => numeric_cmp(a, b),
        };
        match order {
            Some(o) => Ok(o),
            None => fail(format!(
                "cannot compare a {} with a {}",
                self.kind(),
                other.kind()
            )),
        }
    }
}

/// The order of two numbers of any kinds (`None`: not two numbers, or NaN).
fn numeric_cmp(a: &V, b: &V) -> Option<Ordering> {
    let wide = |v: &V| match v {
        V::Int(i) => Some(i128::from(*i)),
        V::UInt(u) => Some(i128::from(*u)),
        _ => None,
    };
    match (a, b) {
        (V::Double(x), V::Double(y)) => x.partial_cmp(y),
        (V::Double(x), other) => wide(other).and_then(|y| x.partial_cmp(&(y as f64))),
        (other, V::Double(y)) => wide(other).and_then(|x| (x as f64).partial_cmp(y)),
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
pub fn register(root: &Node) -> V<'_> {
    let mut view = plain(root);
    normalise(&mut view);
    view
}

fn plain(node: &Node) -> V<'_> {
    match &node.kind {
        NodeKind::Null => V::Null,
        NodeKind::Bool(b) => V::Bool(*b),
        NodeKind::Int(i) => V::Int(*i),
        NodeKind::Float(f) => V::Double(*f),
        NodeKind::Str(s) => V::Str(Str::B(s)),
        NodeKind::Seq(items) => V::list(items.iter().map(plain).collect()),
        NodeKind::Map(entries) => V::map(
            entries
                .iter()
                .filter(|e| !e.value.is_null())
                .map(|e| (Str::B(e.key.as_str()), plain(&e.value)))
                .collect(),
        ),
    }
}

/// Rebuilds the map `v` with `f` applied to its entries (maps are shared, so edits copy).
fn edit_map<'a>(v: &mut V<'a>, f: impl FnOnce(&mut Vec<(Str<'a>, V<'a>)>)) {
    if let V::Map(m) = v {
        let mut entries = m.to_vec();
        f(&mut entries);
        *v = V::map(entries);
    }
}

fn edit_field<'a>(entries: &mut [(Str<'a>, V<'a>)], key: &str, f: impl FnOnce(&mut V<'a>)) {
    if let Some((_, v)) = entries.iter_mut().find(|(k, _)| &**k == key) {
        f(v);
    }
}

fn listify(v: &mut V) {
    if !matches!(v, V::List(_)) {
        let one = std::mem::replace(v, V::Null);
        *v = V::list(vec![one]);
    }
}

fn for_each_item<'a>(items: &mut V<'a>, f: impl Fn(&mut V<'a>)) {
    if let V::List(l) = items {
        let mut items = l.to_vec();
        items.iter_mut().for_each(f);
        *l = items.into();
    }
}

fn normalise(view: &mut V) {
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
                    c.push((Str::B("country"), V::Str(Str::B("FI"))));
                }
            })
        });
        edit_field(root, "updated", |u| {
            if let V::Str(s) = u
                && let Some(cel::Value::Timestamp(t)) = crate::document::date_timestamp(s)
            {
                *u = V::Timestamp(t);
            }
        });
    });
}

/// An interpreter value (rule options, pack data, `today`) as a fast value; `None` for what the
/// fast evaluator does not model.
pub fn from_cel(v: &cel::Value) -> Option<V<'_>> {
    use cel::Value as C;
    Some(match v {
        C::Null => V::Null,
        C::Bool(b) => V::Bool(*b),
        C::Int(i) => V::Int(*i),
        C::UInt(u) => V::UInt(*u),
        C::Float(f) => V::Double(*f),
        C::String(s) => V::Str(Str::B(s.as_str())),
        C::Timestamp(t) => V::Timestamp(*t),
        C::List(items) => V::list(items.iter().map(from_cel).collect::<Option<Vec<_>>>()?),
        C::Map(m) => V::map(
            m.map
                .iter()
                .map(|(k, v)| match k {
                    cel::objects::Key::String(s) => Some((Str::B(s.as_str()), from_cel(v)?)),
                    _ => None,
                })
                .collect::<Option<Vec<_>>>()?,
        ),
        _ => return None,
    })
}

/// An owned copy, for values kept across evaluations (rule options in the rule set).
pub fn to_static(v: &V) -> V<'static> {
    let s = |s: &Str| Str::O(Arc::from(&**s));
    match v {
        V::Null => V::Null,
        V::Bool(b) => V::Bool(*b),
        V::Int(i) => V::Int(*i),
        V::UInt(u) => V::UInt(*u),
        V::Double(f) => V::Double(*f),
        V::Str(x) => V::Str(s(x)),
        V::Timestamp(t) => V::Timestamp(*t),
        V::List(l) => V::List(l.iter().map(to_static).collect()),
        V::Map(m) => V::Map(m.iter().map(|(k, v)| (s(k), to_static(v))).collect()),
    }
}

/// How a value prints inside a message.
pub fn display(v: &V, out: &mut String) {
    use std::fmt::Write;
    match v {
        V::Str(s) => out.push_str(s),
        V::Int(i) => {
            let _ = write!(out, "{i}");
        }
        V::UInt(u) => {
            let _ = write!(out, "{u}");
        }
        V::Double(f) => {
            let _ = write!(out, "{f}");
        }
        V::Bool(b) => {
            let _ = write!(out, "{b}");
        }
        V::Null => out.push_str("null"),
        V::List(items) => {
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                display(item, out);
            }
        }
        V::Map(m) => {
            for (i, (k, v)) in m.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                out.push_str(k);
                out.push_str(": ");
                display(v, out);
            }
        }
        V::Timestamp(t) => {
            let _ = write!(out, "{}", t.format("%Y-%m-%d"));
        }
    }
}
