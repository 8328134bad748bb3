//! The project functions that take registers, texts and lists, as overloads on the environment.
//!
//! Functions added to a `Context` (the cel crate's "magic" functions) receive their arguments
//! converted into `cel::Value` and convert their result back: for `texts(register)` that deep-copied
//! the whole register on every call, and it made these calls most of the evaluation time. Env
//! overloads see the interpreter's own values (`&dyn Val`) and build their results in place.

use cel::common::types::{self, CelBool, CelInt, CelList, CelMap, CelMapKey, CelString};
use cel::common::value::{CowVal, Val};
use cel::{DeclarationError, Env, ExecutionError};
use std::collections::HashMap;

use super::functions::{cached_regex, is_email, is_url, iso_days};

type Result<'b, 'v> = std::result::Result<CowVal<'b, 'v>, ExecutionError>;

/// Adds the overloads to the environment every rule runs in.
pub fn add(env: &mut Env) -> std::result::Result<(), DeclarationError> {
    env.add_overload("texts", "texts_dyn", vec![types::DYN_TYPE], texts)?;
    env.add_overload("text", "text_dyn", vec![types::DYN_TYPE], text)?;
    env.add_overload(
        "matches_any",
        "matches_any_string_list",
        vec![types::STRING_TYPE, types::LIST_TYPE],
        matches_any,
    )?;
    env.add_overload(
        "is_email",
        "is_email_string",
        vec![types::STRING_TYPE],
        |a| predicate(a, "is_email", is_email),
    )?;
    env.add_overload("is_url", "is_url_string", vec![types::STRING_TYPE], |a| {
        predicate(a, "is_url", is_url)
    })?;
    env.add_overload(
        "y_tunnus_valid",
        "y_tunnus_valid_string",
        vec![types::STRING_TYPE],
        |a| predicate(a, "y_tunnus_valid", crate::fi::y_tunnus_valid),
    )?;
    env.add_overload(
        "hetu_in",
        "hetu_in_string",
        vec![types::STRING_TYPE],
        hetu_in,
    )?;
    env.add_overload(
        "duration_days",
        "duration_days_string",
        vec![types::STRING_TYPE],
        duration_days,
    )?;
    Ok(())
}

fn string_arg<'a>(v: &'a dyn Val, function: &str) -> std::result::Result<&'a str, ExecutionError> {
    v.downcast_ref::<CelString>()
        .map(|s| s.inner())
        .ok_or_else(|| {
            ExecutionError::function_error(
                function,
                format!("expected a string, found {}", v.get_type().name()),
            )
        })
}

fn one<'b, 'v>(
    args: &'b [CowVal<'b, 'v>],
    n: usize,
) -> std::result::Result<&'b (dyn Val + 'v), ExecutionError> {
    args.get(n)
        .map(|a| a.as_ref())
        .ok_or_else(|| ExecutionError::invalid_argument_count(n + 1, args.len()))
}

fn predicate<'b, 'v>(args: Vec<CowVal<'b, 'v>>, name: &str, f: fn(&str) -> bool) -> Result<'b, 'v> {
    let s = string_arg(one(&args, 0)?, name)?;
    Ok(CowVal::owned(CelBool::from(f(s))))
}

/// Map entries with string keys, sorted, so output never depends on hashing.
fn entries<'a, 'v>(m: &'a CelMap<'v>) -> Vec<(&'a str, &'a (dyn Val + 'v))> {
    let mut out: Vec<(&str, &dyn Val)> = m
        .inner()
        .iter()
        .filter_map(|(k, v)| match k {
            CelMapKey::String(s) => Some((s.inner(), v.as_ref())),
            _ => None,
        })
        .collect();
    out.sort_by(|a, b| a.0.cmp(b.0));
    out
}

fn text_of(v: &dyn Val) -> String {
    if let Some(s) = v.downcast_ref::<CelString>() {
        return s.inner().to_owned();
    }
    if let Some(m) = v.downcast_ref::<CelMap>() {
        return entries(m)
            .into_iter()
            .filter_map(|(_, v)| v.downcast_ref::<CelString>().map(|s| s.inner().to_owned()))
            .collect::<Vec<_>>()
            .join("\n");
    }
    String::new()
}

fn text<'b, 'v>(args: Vec<CowVal<'b, 'v>>) -> Result<'b, 'v> {
    Ok(CowVal::owned(CelString::from(text_of(one(&args, 0)?))))
}

fn collect(v: &dyn Val, path: &mut String, out: &mut Vec<(String, String)>) {
    if let Some(s) = v.downcast_ref::<CelString>() {
        out.push((path.clone(), s.inner().to_owned()));
    } else if let Some(l) = v.downcast_ref::<CelList>() {
        for (i, item) in l.inner().iter().enumerate() {
            let len = path.len();
            path.push_str(&format!("[{i}]"));
            collect(item.as_ref(), path, out);
            path.truncate(len);
        }
    } else if let Some(m) = v.downcast_ref::<CelMap>() {
        for (k, item) in entries(m) {
            let len = path.len();
            if !path.is_empty() {
                path.push('.');
            }
            path.push_str(k);
            collect(item, path, out);
            path.truncate(len);
        }
    }
}

/// `texts(x)`: every string leaf under `x` as `{path, value}`, paths sorted.
pub fn texts_list(v: &dyn Val) -> Box<dyn Val> {
    let mut found = Vec::new();
    collect(v, &mut String::new(), &mut found);
    let items: Vec<Box<dyn Val>> = found
        .into_iter()
        .map(|(path, value)| {
            let mut m: HashMap<CelMapKey<'static>, Box<dyn Val>> = HashMap::with_capacity(2);
            m.insert(
                CelMapKey::String(CelString::from("path".to_owned())),
                Box::new(CelString::from(path)),
            );
            m.insert(
                CelMapKey::String(CelString::from("value".to_owned())),
                Box::new(CelString::from(value)),
            );
            Box::new(CelMap::from(m)) as Box<dyn Val>
        })
        .collect();
    Box::new(CelList::from(items))
}

fn texts<'b, 'v>(args: Vec<CowVal<'b, 'v>>) -> Result<'b, 'v> {
    Ok(CowVal::Owned(texts_list(one(&args, 0)?)))
}

/// The list is compiled once per process, each pattern when a text can first match it (see
/// [`super::patterns`]).
fn matches_any<'b, 'v>(args: Vec<CowVal<'b, 'v>>) -> Result<'b, 'v> {
    let s = string_arg(one(&args, 0)?, "matches_any")?;
    let list = one(&args, 1)?.downcast_ref::<CelList>().ok_or_else(|| {
        ExecutionError::function_error("matches_any", "expected a list of patterns")
    })?;
    let mut patterns = Vec::with_capacity(list.inner().len());
    for p in list.inner() {
        patterns.push(string_arg(p.as_ref(), "matches_any")?);
    }
    if patterns.is_empty() {
        return Ok(CowVal::owned(CelBool::from(false)));
    }
    match super::patterns::list(&patterns).and_then(|list| list.is_match(s)) {
        Ok(m) => Ok(CowVal::owned(CelBool::from(m))),
        Err(_) => {
            // Name the pattern that is broken, not the combination.
            for p in &patterns {
                if let Err(e) = cached_regex(p) {
                    return Err(ExecutionError::function_error(
                        "matches_any",
                        format!("bad regex {p:?}: {e}"),
                    ));
                }
            }
            Err(ExecutionError::function_error(
                "matches_any",
                "bad regex list",
            ))
        }
    }
}

fn hetu_in<'b, 'v>(args: Vec<CowVal<'b, 'v>>) -> Result<'b, 'v> {
    let s = string_arg(one(&args, 0)?, "hetu_in")?;
    let items: Vec<Box<dyn Val + 'v>> = crate::fi::hetu_in(s)
        .into_iter()
        .map(|h| Box::new(CelString::from(h)) as Box<dyn Val + 'v>)
        .collect();
    Ok(CowVal::owned(CelList::from(items)))
}

fn duration_days<'b, 'v>(args: Vec<CowVal<'b, 'v>>) -> Result<'b, 'v> {
    let s = string_arg(one(&args, 0)?, "duration_days")?;
    iso_days(s)
        .map(|d| CowVal::owned(CelInt::from(d)))
        .ok_or_else(|| {
            ExecutionError::function_error(
                "duration_days",
                format!("not an ISO 8601 duration like P6M: {s:?}"),
            )
        })
}
