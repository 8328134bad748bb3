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
