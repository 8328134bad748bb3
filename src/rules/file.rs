//! The rule file format (FORMAT.md §2) as Rust types; its JSON Schema drives the rule-file check.

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::Deserialize;

use crate::finding::Severity;
use crate::register::Text;

/// One rule file: `rules/<pack>/<slug>.yaml`.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RuleFile {
    /// `<pack>/<slug>`, unique.
    pub id: String,
    /// Short title per language (`en` required in built-in packs).
    pub title: Text,
    /// Default severity; config may change it.
    pub severity: Severity,
    /// Another severity for some findings: a CEL bool per severity, evaluated for each finding
    /// (with the same variables as `check`), the most severe first; the first that is true gives
    /// the finding its severity, none gives `severity`. A severity set in config wins over both.
    pub severity_when: Option<SeverityWhen>,
    /// GDPR articles, e.g. `Art. 6(3)`.
    pub gdpr: Option<Vec<String>>,
    /// National law, e.g. `Tietosuojalaki 1050/2018 4 §`.
    pub law: Option<Vec<String>>,
    /// CEL list to iterate; binds `item` and `index`.
    pub each: Option<String>,
    /// Named CEL expressions, for the other expressions and the templates of the rule to use
    /// by name (`check: required.all(r, r in register.rights)`): an expression written once
    /// instead of in `check`, `message` and `help` alike. Each is evaluated at most once per
    /// item, when first used; one may use another (not itself).
    #[serde(rename = "let")]
    pub lets: Option<BTreeMap<String, String>>,
    /// CEL bool precondition.
    pub when: Option<String>,
    /// CEL bool: true = compliant.
    pub check: String,
    /// Field path of the finding, with `{{CEL}}` interpolation.
    pub at: Option<String>,
    /// Message per language, with `{{CEL}}` interpolation.
    pub message: Text,
    /// The concrete fix per language, with `{{CEL}}` interpolation.
    pub help: Option<Text>,
    /// A few words under the underlined span saying what is wrong there ("updated 1 134 days ago"),
    /// per language, with `{{CEL}}` interpolation; without it the span shows the rule's title.
    pub label: Option<Text>,
    /// A fix of the finding: an edit of the text at `at` (docs/custom-rules.md, "Fixes").
    pub fix: Option<FixFile>,
    /// Defaults visible to CEL as `options`.
    pub options: Option<BTreeMap<String, serde_json::Value>>,
    /// Markdown docs shown by `seloste explain` and in the rules reference: one Markdown string
    /// (English), or a map of language codes to Markdown (`{en: ..., fi: ...}`); a language that is
    /// missing falls back to English.
    pub docs: Option<Text>,
    /// Examples run by `cargo test` and `seloste rules test`.
    pub tests: Option<Vec<RuleTest>>,
}

/// How a rule fixes its finding: the string at `at` is edited, each match of `pattern` (or the
/// whole value) replaced by what `replace` gives. The edit keeps the scalar's quoting, comments and
/// line breaks, and is checked by parsing the result; when it cannot be made so, the finding has
/// no fix.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct FixFile {
    /// `safe`: `lint --fix` applies it; `unsafe` (it guesses): only with `--unsafe-fixes`, and the
    /// editor marks it.
    pub safety: crate::finding::Safety,
    /// A regular expression matched in the value at `at`; each match is replaced. Without it, the
    /// whole value is.
    pub pattern: Option<String>,
    /// CEL giving the replacement of a match (a string; `null` for no fix here). Sees `register`,
    /// `options`, `data`, `today` and `fix`: `fix.at` (the finding's path), `fix.value` (the
    /// string there), `fix.match` (the text matched, or the value) and `fix.groups` (the match and
    /// its capture groups, unmatched ones `""`).
    pub replace: String,
    /// What the fix does, per language, with `{{CEL}}` over the same variables (default: "Replace
    /// with '...'").
    pub title: Option<Text>,
}

/// `severity_when`: for each severity, the CEL bool under which a finding gets it.
#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SeverityWhen {
    pub error: Option<String>,
    pub warning: Option<String>,
    pub info: Option<String>,
}

impl SeverityWhen {
    /// `(severity, CEL)` pairs, the most severe first.
    pub fn cases(&self) -> Vec<(Severity, &str)> {
        [
            (Severity::Error, &self.error),
            (Severity::Warning, &self.warning),
            (Severity::Info, &self.info),
        ]
        .into_iter()
        .filter_map(|(s, c)| c.as_deref().map(|c| (s, c)))
        .collect()
    }
}

/// One example of a rule: a register (merged over the pack's `_base.yaml`) and the expected paths.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RuleTest {
    pub name: String,
    /// Deep-merged over `_base.yaml`: mappings merge, lists and scalars replace, `null` deletes.
    pub register: serde_json::Value,
    /// Rendered `at` paths of the expected findings, in any order; `[]` = compliant.
    pub expect: Vec<String>,
    /// The severity expected of the findings at these paths (for rules with `severity_when`);
    /// a path not listed is not checked.
    pub severity: Option<BTreeMap<String, Severity>>,
    /// The message expected of the findings at these paths: a string is the English message, a
    /// map gives it per language (`en`, `fi`, `sv`); a path not listed is not checked.
    pub messages: Option<BTreeMap<String, Text>>,
}

/// The JSON Schema of rule files.
pub fn json_schema() -> serde_json::Value {
    schemars::schema_for!(RuleFile).to_value()
}
