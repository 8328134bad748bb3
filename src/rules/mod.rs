//! Rules: the rule-file format, loading with validation, the CEL engine, built-in packs, tests.

pub mod builtin;
pub mod engine;
pub mod file;
pub mod lang;
pub use seloste_rulefile::{lean, literals};
pub mod load;
pub mod patterns;
pub mod reads;
pub mod template;
pub mod testing;
pub mod validate;

use std::path::PathBuf;

use crate::finding::FileFindings;

pub use engine::{Hit, evaluate};

/// A rule id as a person writes it (`seloste explain`, a suppression): the id itself, or the part
/// after the pack when one id has it. Otherwise a hint: the ids that share the name, or the
/// nearest id ("did you mean").
pub fn resolve_id<'a>(
    ids: &[&'a str],
    wanted: &str,
    m: &crate::messages::Messages,
) -> Result<&'a str, Option<String>> {
    if let Some(id) = ids.iter().find(|id| **id == wanted) {
        return Ok(id);
    }
    let slug = |id: &'a str| id.split_once('/').map_or("", |(_, s)| s);
    let same: Vec<&'a str> = ids
        .iter()
        .copied()
        .filter(|id| slug(id) == wanted)
        .collect();
    match same.as_slice() {
        [one] => return Ok(one),
        [] => {}
        several => {
            return Err(Some(
                m.fill("lint.several_packs", &[("ids", &several.join(", "))]),
            ));
        }
    }
    let by_id = crate::suggest::did_you_mean(wanted, ids.iter().copied());
    let by_slug = || {
        let s = crate::suggest::did_you_mean(wanted, ids.iter().copied().map(slug))?;
        ids.iter().copied().find(|id| slug(id) == s)
    };
    Err(by_id
        .or_else(by_slug)
        .map(|id| m.fill("structure.did_you_mean", &[("best", id)])))
}
pub use load::{Rule, RuleSet, RuleSource, Template};

/// What a rule setting changes; `None` fields keep the rule's own.
#[derive(Debug, Clone, Default)]
pub struct Adjust {
    /// `Some(None)` = off.
    pub severity: Option<Option<crate::finding::Severity>>,
    pub options: Option<cel::Value>,
}

/// Loads the built-in packs (unless disabled) and the custom directories: the rules of a run
/// without a config, of `rules test`, and of the tests and benchmarks.
pub fn load_rules(dirs: &[PathBuf], builtin_on: bool) -> Result<RuleSet, Vec<FileFindings>> {
    load_rules_checked(dirs, builtin_on, false)
}

/// Like [`load_rules`]; `validate_builtin` compiles every message of the built-in packs at load,
/// as `rules test` and the test suite do, instead of on first use.
pub fn load_rules_checked(
    dirs: &[PathBuf],
    builtin_on: bool,
    validate_builtin: bool,
) -> Result<RuleSet, Vec<FileFindings>> {
    let packs = if builtin_on {
        builtin::packs()
    } else {
        Vec::new()
    };
    load_rule_packs(&packs, dirs, validate_builtin)
}

/// Loads the given built-in packs and custom directories.
pub fn load_rule_packs(
    packs: &[&str],
    dirs: &[PathBuf],
    validate_builtin: bool,
) -> Result<RuleSet, Vec<FileFindings>> {
    load_packs(packs, dirs, validate_builtin, None)
}

/// Loads packs for a lint run; `lean` (the output language) leaves the built-in rules' docs,
/// tests and other languages unparsed.
pub(crate) fn load_packs(
    packs: &[&str],
    dirs: &[PathBuf],
    validate_builtin: bool,
    lean: Option<&str>,
) -> Result<RuleSet, Vec<FileFindings>> {
    let builtin = (!packs.is_empty()).then(|| match lean {
        Some(lang) => builtin::lean_sources(packs, lang),
        None => builtin::builtin_sources(packs, !validate_builtin, false),
    });
    let mut sources = Vec::new();
    let mut errors = Vec::new();
    let custom = dirs.iter().map(|d| builtin::dir_sources(d));
    for found in builtin.into_iter().chain(custom) {
        match found {
            Ok(s) => sources.extend(s),
            Err(e) => errors.extend(e),
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    RuleSet::load(sources)
}
