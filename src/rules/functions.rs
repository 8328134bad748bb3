//! Project CEL functions (docs/rule-language.md). Regexes are compiled once per run and cached.

use std::collections::HashMap;
use std::sync::{Arc, LazyLock, RwLock};

use cel::objects::{Key, Map};
use cel::{Context, ExecutionError, FunctionContext, Value};
use regex::Regex;

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
    // `langs` and `days_since` read the run's variables, which Env overloads cannot: they stay
    // context functions. The others are Env overloads (see `native`).
    let _ = ctx.add_function("langs", langs);
    let _ = ctx.add_function("days_since", days_since);
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_function_is_defined_once() {
        // The Env overloads register without a clash on a fresh standard environment...
        let mut env = cel::Env::stdlib();
        assert!(env.add_extension(cel::extensions::strings).is_ok());
        assert!(env.add_extension(crate::rules::native::add).is_ok());
        // ...and every documented name is callable in the rules' environment.
        let probe = crate::rules::validate::FunctionProbe::new(crate::rules::load::ENV.clone());
        for name in NAMES {
            assert!(probe.known(name, false), "{name} is not defined");
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
