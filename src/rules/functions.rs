//! Project CEL functions (docs/rule-language.md). Regexes are compiled once per run and cached.

use std::collections::HashMap;
use std::sync::{Arc, LazyLock, RwLock};

use cel::objects::{Key, Map};
use cel::{Context, ExecutionError, FunctionContext, Value};
use regex::Regex;

use crate::fi;

type Res = Result<Value, ExecutionError>;

/// The names of the functions [`register`] adds, for load-time validation and docs.
pub const NAMES: &[&str] = &[
    "text",
    "langs",
    "matches_any",
    "is_email",
    "is_url",
    "duration_days",
    "days_since",
    "y_tunnus_valid",
    "hetu_in",
    "texts",
];

/// Adds the project functions to a root context.
pub fn register(ctx: &mut Context) {
    // The names are ours and do not clash with the standard library or the strings extension (a
    // test below checks that every name registers), so these cannot fail.
    let _ = ctx.add_function("text", |v: Value| -> Res { Ok(string(text(&v))) });
    let _ = ctx.add_function("langs", langs);
    let _ = ctx.add_function("matches_any", matches_any);
    let _ = ctx.add_function("is_email", |s: Arc<String>| is_email(&s));
    let _ = ctx.add_function("is_url", |s: Arc<String>| is_url(&s));
    let _ = ctx.add_function("duration_days", duration_days);
    let _ = ctx.add_function("days_since", days_since);
    let _ = ctx.add_function("y_tunnus_valid", |s: Arc<String>| fi::y_tunnus_valid(&s));
    let _ = ctx.add_function("hetu_in", |s: Arc<String>| -> Res {
        Ok(Value::List(Arc::new(
            fi::hetu_in(&s).into_iter().map(string).collect(),
        )))
    });
    let _ = ctx.add_function("texts", |v: Value| -> Res {
        let mut out = Vec::new();
        collect_texts(&v, &mut String::new(), &mut out);
        out.sort_by(|a, b| a.0.cmp(&b.0));
        Ok(Value::List(Arc::new(
            out.into_iter()
                .map(|(path, value)| {
                    let mut m = HashMap::new();
                    m.insert(Key::String(Arc::new("path".into())), string(path));
                    m.insert(Key::String(Arc::new("value".into())), Value::String(value));
                    Value::Map(Map { map: Arc::new(m) })
                })
                .collect(),
        )))
    });
}

fn string(s: impl Into<String>) -> Value {
    Value::String(Arc::new(s.into()))
}

/// Map entries in key order, so that output never depends on hashing.
fn sorted_entries(m: &Map) -> Vec<(String, &Value)> {
    let mut entries: Vec<(String, &Value)> =
        m.map.iter().map(|(k, v)| (key_string(k), v)).collect();
    entries.sort_by(|a, b| a.0.cmp(&b.0));
    entries
}

fn key_string(k: &Key) -> String {
    match k {
        Key::String(s) => s.to_string(),
        Key::Int(i) => i.to_string(),
        Key::Uint(u) => u.to_string(),
        Key::Bool(b) => b.to_string(),
    }
}

/// A Text as one string: language variants joined with newlines in language-code order.
pub fn text(v: &Value) -> String {
    match v {
        Value::String(s) => s.to_string(),
        Value::Map(m) => sorted_entries(m)
            .into_iter()
            .filter_map(|(_, v)| match v {
                Value::String(s) => Some(s.to_string()),
                _ => None,
            })
            .collect::<Vec<_>>()
            .join("\n"),
        _ => String::new(),
    }
}

fn langs(ftx: &FunctionContext, v: Value) -> Res {
    let list = match &v {
        Value::Map(m) => sorted_entries(m)
            .into_iter()
            .map(|(k, _)| string(k))
            .collect(),
        Value::String(_) => match variable(ftx, LANGUAGE_VAR) {
            Some(Value::String(l)) => vec![Value::String(l)],
            _ => vec![],
        },
        _ => vec![],
    };
    Ok(Value::List(Arc::new(list)))
}

/// A hidden variable holding the register's `language`, so `langs()` need not convert the whole
/// register view back from the interpreter's representation on every call.
pub const LANGUAGE_VAR: &str = "__register_language";

fn variable(ftx: &FunctionContext, name: &str) -> Option<Value> {
    let v = ftx.ptx.get_variable(name)?;
    Value::try_from(&*v).ok()
}

static REGEX_CACHE: LazyLock<RwLock<HashMap<String, Arc<Regex>>>> = LazyLock::new(Default::default);

/// A compiled regex from the run-wide cache.
pub fn cached_regex(pattern: &str) -> Result<Arc<Regex>, regex::Error> {
    if let Ok(cache) = REGEX_CACHE.read()
        && let Some(re) = cache.get(pattern)
    {
        return Ok(re.clone());
    }
    let re = Arc::new(Regex::new(pattern)?);
    if let Ok(mut cache) = REGEX_CACHE.write() {
        cache.insert(pattern.to_owned(), re.clone());
    }
    Ok(re)
}

/// One regex for the whole list, cached under the list: one compilation instead of one per
/// pattern (compiling Unicode-aware regexes was a fifth of a one-file run).
fn matches_any(ftx: &FunctionContext, s: Arc<String>, patterns: Arc<Vec<Value>>) -> Res {
    let mut list = Vec::with_capacity(patterns.len());
    for p in patterns.iter() {
        let Value::String(p) = p else {
            return Err(ftx.error(format!("patterns must be strings, found {:?}", p.type_of())));
        };
        list.push(p.as_str());
    }
    if list.is_empty() {
        return Ok(Value::Bool(false));
    }
    let combined = list
        .iter()
        .map(|p| format!("(?:{p})"))
        .collect::<Vec<_>>()
        .join("|");
    match cached_regex(&combined) {
        Ok(re) => Ok(Value::Bool(re.is_match(&s))),
        Err(_) => {
            // Name the pattern that is broken, not the combination.
            for p in &list {
                if let Err(e) = cached_regex(p) {
                    return Err(ftx.error(format!("bad regex {p:?}: {e}")));
                }
            }
            Err(ftx.error("bad regex list"))
        }
    }
}

static EMAIL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*\.[A-Za-z]{2,}$")
        .expect("static regex")
});

pub fn is_email(s: &str) -> bool {
    !s.contains("..") && EMAIL.is_match(s.trim())
}

static URL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^https?://[A-Za-z0-9.-]+\.[A-Za-z]{2,}(?::[0-9]+)?(?:[/?#][^\s]*)?$")
        .expect("static regex")
});

pub fn is_url(s: &str) -> bool {
    URL.is_match(s.trim())
}

static DURATION: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^P(?:([0-9]+)Y)?(?:([0-9]+)M)?(?:([0-9]+)W)?(?:([0-9]+)D)?$")
        .expect("static regex")
});

/// ISO 8601 duration in days (Y = 365, M = 30, W = 7), `None` when malformed.
pub fn iso_days(s: &str) -> Option<i64> {
    let caps = DURATION.captures(s.trim())?;
    if s.trim() == "P" {
        return None;
    }
    let n = |i: usize| {
        caps.get(i)
            .map_or(Some(0), |m| m.as_str().parse::<i64>().ok())
    };
    Some(n(1)? * 365 + n(2)? * 30 + n(3)? * 7 + n(4)?)
}

fn duration_days(ftx: &FunctionContext, s: Arc<String>) -> Res {
    iso_days(&s)
        .map(Value::Int)
        .ok_or_else(|| ftx.error(format!("not an ISO 8601 duration like P6M: {s:?}")))
}

fn days_since(ftx: &FunctionContext, v: Value) -> Res {
    let from = match &v {
        Value::Timestamp(t) => t.date_naive(),
        Value::String(s) => chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d")
            .map_err(|_| ftx.error(format!("not a YYYY-MM-DD date: {s:?}")))?,
        other => return Err(ftx.error(format!("expected a date, found {:?}", other.type_of()))),
    };
    let today = match variable(ftx, "today") {
        Some(Value::Timestamp(t)) => t.date_naive(),
        _ => return Err(ftx.error("`today` is not bound")),
    };
    Ok(Value::Int((today - from).num_days()))
}

/// How a value prints inside a message.
pub fn display(v: &Value) -> String {
    match v {
        Value::String(s) => s.to_string(),
        Value::Int(i) => i.to_string(),
        Value::UInt(u) => u.to_string(),
        Value::Float(f) => f.to_string(),
        Value::Bool(b) => b.to_string(),
        Value::Null => "null".into(),
        Value::List(items) => items.iter().map(display).collect::<Vec<_>>().join(", "),
        Value::Map(m) => sorted_entries(m)
            .into_iter()
            .map(|(k, v)| format!("{k}: {}", display(v)))
            .collect::<Vec<_>>()
            .join(", "),
        Value::Timestamp(t) => t.format("%Y-%m-%d").to_string(),
        other => format!("{other:?}"),
    }
}

fn collect_texts(v: &Value, path: &mut String, out: &mut Vec<(String, Arc<String>)>) {
    match v {
        Value::String(s) => out.push((path.clone(), s.clone())),
        Value::List(items) => {
            for (i, item) in items.iter().enumerate() {
                let len = path.len();
                path.push_str(&format!("[{i}]"));
                collect_texts(item, path, out);
                path.truncate(len);
            }
        }
        Value::Map(m) => {
            for (k, item) in sorted_entries(m) {
                let len = path.len();
                if !path.is_empty() {
                    path.push('.');
                }
                path.push_str(&k);
                collect_texts(item, path, out);
                path.truncate(len);
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_function_registers_without_a_clash() {
        let env = crate::rules::load::ENV.clone();
        for name in NAMES {
            let mut ctx = Context::with_env(env.clone());
            assert!(
                ctx.add_function(name, |s: Arc<String>| s.len() as i64)
                    .is_ok(),
                "{name} clashes"
            );
        }
    }

    #[test]
    fn durations_and_emails() {
        assert_eq!(iso_days("P6M"), Some(180));
        assert_eq!(iso_days("P1Y6M"), Some(545));
        assert_eq!(iso_days("P2W"), Some(14));
        assert_eq!(iso_days("P"), None);
        assert_eq!(iso_days("6 kk"), None);
        assert!(is_email("kirjaamo.kainuu@te-toimisto.fi"));
        assert!(!is_email("tietosuoja(at)om.fi"));
        assert!(!is_email("a@b"));
        assert!(is_url("https://tietosuoja.fi"));
        assert!(!is_url("tietosuoja.fi"));
    }
}
