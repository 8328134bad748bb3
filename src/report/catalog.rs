//! Rule metadata for the emitters that describe rules (SARIF's `tool.driver.rules`): a small,
//! language-resolved view of the [`RuleSet`] plus the built-in checks, so emitters never touch
//! compiled CEL programs.

use std::collections::BTreeMap;
use std::collections::btree_map::Entry;

use crate::checks::BUILTIN_CHECKS;
use crate::finding::{Refs, Severity};
use crate::rules::RuleSet;

/// Where the project lives: `informationUri` of SARIF's tool, and the base of every docs link.
/// One constant so a fork or a move of the repository changes one line.
pub const REPOSITORY_URL: &str = "https://github.com/seloste/seloste";

/// The docs are linked on this branch of [`REPOSITORY_URL`].
pub const DOCS_BASE_URL: &str = "https://github.com/seloste/seloste/blob/main/docs/";

/// What the emitters know about one rule or built-in check.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuleMeta {
    pub id: String,
    /// The title in the run's language.
    pub title: String,
    /// One or two sentences: what the rule checks.
    pub description: String,
    pub severity: Severity,
    pub refs: Refs,
    /// The rule's Markdown docs, when it has any.
    pub docs: Option<String>,
    /// Where the rule is documented on the web.
    pub help_uri: String,
}

impl RuleMeta {
    /// `gdpr/purpose-legal-basis` → `GdprPurposeLegalBasis` (SARIF's `name`: an identifier a user can
    /// read, unique because the id is).
    pub fn pascal_name(&self) -> String {
        self.id
            .split(|c: char| !c.is_ascii_alphanumeric())
            .filter(|w| !w.is_empty())
            // ASCII words: the first byte is the first letter.
            .map(|w| w[..1].to_ascii_uppercase() + &w[1..])
            .collect()
    }

    /// A stand-in for an id no rule of the run has (cannot happen through the CLI; keeps the
    /// emitters total).
    pub fn unknown(id: &str) -> RuleMeta {
        RuleMeta {
            id: id.to_owned(),
            title: id.to_owned(),
            description: id.to_owned(),
            severity: Severity::Error,
            refs: Refs::default(),
            docs: None,
            help_uri: format!("{DOCS_BASE_URL}rules.md"),
        }
    }
}

/// The first paragraph under the docs' `## What it checks` heading (or the first paragraph that is
/// not a heading), joined into one line.
fn docs_summary(docs: &str) -> Option<String> {
    let body = docs
        .split_once("## What it checks")
        .map_or(docs, |(_, rest)| rest);
    let paragraph: Vec<&str> = body
        .lines()
        .map(str::trim)
        .skip_while(|l| l.is_empty() || l.starts_with('#'))
        .take_while(|l| !l.is_empty() && !l.starts_with('#'))
        .collect();
    (!paragraph.is_empty()).then(|| paragraph.join(" "))
}

/// All rules and built-in checks of a run, by id.
#[derive(Debug, Default)]
pub struct Catalog {
    rules: BTreeMap<String, RuleMeta>,
}

impl Catalog {
    /// The rules of `set` (titles in `lang`) and the built-in checks.
    pub fn new(set: &RuleSet, lang: &str) -> Catalog {
        let mut catalog = Catalog::default();
        catalog.add(set, lang);
        catalog
    }

    /// Adds the built-in checks and the rules of `set` (titles in `lang`) that the catalog does
    /// not have yet: a run whose files have different configs adds the rules of each config as it
    /// meets it, and a rule keeps the metadata of the first.
    pub fn add(&mut self, set: &RuleSet, lang: &str) {
        let rules = &mut self.rules;
        for c in BUILTIN_CHECKS {
            let Entry::Vacant(slot) = rules.entry(c.id.to_owned()) else {
                continue;
            };
            let mut description = c.description.to_owned();
            if let Some(first) = description.get_mut(..1) {
                first.make_ascii_uppercase();
            }
            description.push('.');
            slot.insert(RuleMeta {
                id: c.id.to_owned(),
                title: c.title.to_owned(),
                description,
                severity: c.severity,
                refs: Refs::default(),
                docs: None,
                help_uri: format!("{DOCS_BASE_URL}output.md#built-in-check-ids"),
            });
        }
        for r in &set.rules {
            let Entry::Vacant(slot) = rules.entry(r.id.clone()) else {
                continue;
            };
            let title = r.title_in(lang);
            let docs = r.docs_in(lang).map(|(_, d)| d);
            let description = docs
                .as_deref()
                .and_then(docs_summary)
                .unwrap_or_else(|| title.clone());
            slot.insert(RuleMeta {
                id: r.id.clone(),
                title,
                description,
                severity: r.severity,
                refs: r.refs.clone(),
                docs,
                help_uri: format!("{DOCS_BASE_URL}rules.md#{}", anchor(&r.id)),
            });
        }
    }

    pub fn get(&self, id: &str) -> Option<&RuleMeta> {
        self.rules.get(id)
    }

    /// The rule `id`, or a stand-in when the run has no such rule.
    pub fn meta(&self, id: &str) -> RuleMeta {
        self.get(id)
            .cloned()
            .unwrap_or_else(|| RuleMeta::unknown(id))
    }
}

/// The HTML anchor of a rule in the reference (docs/rules.md): the id with `/` → `-`
/// (`gdpr-dpo-contact`).
pub fn anchor(id: &str) -> String {
    id.replace('/', "-")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn anchors_follow_github_headings() {
        // Rules have explicit `<a id>` anchors in docs/rules.md (see `explain::anchor`).
        assert_eq!(
            anchor("gdpr/purpose-legal-basis"),
            "gdpr-purpose-legal-basis"
        );
    }

    #[test]
    fn names_are_pascal_case() {
        let m = RuleMeta::unknown("fi/repealed-personal-data-act");
        assert_eq!(m.pascal_name(), "FiRepealedPersonalDataAct");
    }

    #[test]
    fn summary_takes_the_what_it_checks_paragraph() {
        let docs = "## What it checks\nWhen a thing,\nit warns.\n\n## Why\nBecause.";
        assert_eq!(
            docs_summary(docs).as_deref(),
            Some("When a thing, it warns.")
        );
        assert_eq!(docs_summary("Plain text.").as_deref(), Some("Plain text."));
        assert_eq!(docs_summary("## Only a heading\n"), None);
    }

    #[test]
    fn builtin_checks_match_the_docs_table() {
        let docs = include_str!("../../docs/output.md");
        let table: Vec<(String, String)> = docs
            .lines()
            .filter_map(|l| l.strip_prefix("| `seloste/"))
            .filter_map(|l| {
                let (id, rest) = l.split_once("` | ")?;
                Some((
                    format!("seloste/{id}"),
                    rest.trim_end_matches(" |").to_owned(),
                ))
            })
            .collect();
        let ours: Vec<(String, String)> = BUILTIN_CHECKS
            .iter()
            .map(|c| (c.id.to_owned(), c.description.to_owned()))
            .collect();
        assert_eq!(table, ours);
    }
}
