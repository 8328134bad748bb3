//! The registry of seloste's own checks (`seloste/*`): structure, suppressions, rule failures,
//! translations. One list, read by the lint (which ids a suppression may name), the emitters (SARIF
//! rule metadata) and the docs (the table of docs/output.md, kept in step by a test).

use crate::finding::Severity;

/// A built-in check: id, title, the severity of its findings, and what it reports.
pub struct BuiltinCheck {
    pub id: &'static str,
    pub title: &'static str,
    /// The severity its findings have (the most severe, where a check has several).
    pub severity: Severity,
    pub description: &'static str,
    /// Its findings are in registers (a suppression may name it); otherwise in the files of the
    /// run's setup (config, rule files, notice texts), printed to stderr with exit 2.
    pub in_registers: bool,
    /// A `# seloste: allow` comment may silence its findings. Not so for `seloste/placeholder`: a
    /// `TODO` is no value, and no reason makes a template fit to publish.
    pub suppressible: bool,
    /// The message key of its docs for `seloste explain` (Markdown, in each language's catalog).
    pub docs: Option<&'static str>,
}

const fn check(
    id: &'static str,
    title: &'static str,
    severity: Severity,
    description: &'static str,
) -> BuiltinCheck {
    BuiltinCheck {
        id,
        title,
        severity,
        description,
        in_registers: true,
        suppressible: true,
        docs: None,
    }
}

/// A check of the run's setup files (exit 2), not of registers.
const fn setup_check(
    id: &'static str,
    title: &'static str,
    description: &'static str,
) -> BuiltinCheck {
    BuiltinCheck {
        in_registers: false,
        ..check(id, title, Severity::Error, description)
    }
}

use Severity::{Error, Info, Warning};

/// Every `seloste/*` check.
pub const BUILTIN_CHECKS: &[BuiltinCheck] = &[
    check(
        "seloste/yaml",
        "Valid YAML",
        Error,
        "the file is not valid YAML, is empty, holds several documents, or exceeds a limit",
    ),
    check(
        "seloste/encoding",
        "UTF-8 text",
        Error,
        "the file is not UTF-8",
    ),
    check(
        "seloste/unknown-key",
        "Known keys only",
        Error,
        "a key that is not a field of the format (with did-you-mean)",
    ),
    check(
        "seloste/type",
        "Values of the right type",
        Error,
        "a value of the wrong type",
    ),
    check(
        "seloste/enum",
        "Values from the enumeration",
        Error,
        "a value outside an enumeration (the allowed values are listed), or a format version other than 1",
    ),
    check(
        "seloste/required",
        "Required keys present",
        Error,
        "a key the skeleton requires is missing, or `purposes` is empty",
    ),
    check(
        "seloste/format",
        "Well-formed ids, dates, durations and numbers",
        Error,
        "an id that is not a slug, a malformed date or duration, an `updated` date in the future, or an out-of-range number",
    ),
    check(
        "seloste/duplicate-key",
        "No duplicate keys",
        Error,
        "the same key twice in one mapping",
    ),
    check(
        "seloste/duplicate-id",
        "Unique ids",
        Error,
        "two purposes or data categories of a register, or two registers of a run, with the same id",
    ),
    check(
        "seloste/unknown-ref",
        "References resolve",
        Error,
        "a purpose uses a data category id that does not exist",
    ),
    check(
        "seloste/missing-translation",
        "Every text in every declared language",
        Error,
        "a text has no version in the register's `language` or in one of its `translations`",
    ),
    BuiltinCheck {
        suppressible: false,
        docs: Some("lint.placeholder_docs"),
        ..check(
            "seloste/placeholder",
            "No placeholders left",
            Error,
            "a `TODO` placeholder (a value `TODO`, `TODO: …` or `TODO …`) left in by `seloste init` or an import; it cannot be suppressed",
        )
    },
    check(
        "seloste/rule-error",
        "Rule ran without error",
        Error,
        "a rule failed at run time on this register (a bug in the rule)",
    ),
    check(
        "seloste/allow-reason",
        "Suppressions give a reason",
        Error,
        "a `# seloste: allow` comment without `-- reason` (it silences nothing)",
    ),
    check(
        "seloste/allow-unknown",
        "Suppressions name known rules",
        Error,
        "a `# seloste:` comment that names no rule, an unknown rule, a check that cannot be suppressed, or an unknown directive",
    ),
    check(
        "seloste/unused-allow",
        "Suppressions match a finding",
        Warning,
        "a suppression that matches no finding",
    ),
    BuiltinCheck {
        docs: Some("lint.baseline_stale_docs"),
        ..check(
            "seloste/baseline-stale",
            "Baseline entries still match",
            Info,
            "an entry of the baseline that no longer matches a finding (fixed, or its text changed); `--prune-baseline` removes it",
        )
    },
    setup_check(
        "seloste/config",
        "Valid config",
        "a problem in `.seloste.yaml` (printed to stderr; exit 2)",
    ),
    setup_check(
        "seloste/rule",
        "Valid rule file",
        "a problem in a rule file (printed to stderr; exit 2)",
    ),
    setup_check(
        "seloste/io",
        "Readable rule directory",
        "a rule directory cannot be read (printed to stderr; exit 2)",
    ),
    setup_check(
        "seloste/template",
        "Valid notice texts",
        "a problem in a file of the notice's fixed texts (`templates/notice/`, `--templates DIR`; printed to stderr; exit 2)",
    ),
];

/// The register check `id` (what `seloste explain` shows for a `seloste/*` id).
pub fn get(id: &str) -> Option<&'static BuiltinCheck> {
    BUILTIN_CHECKS.iter().find(|c| c.id == id)
}

/// Whether a `# seloste: allow` comment may silence the findings of `id` (every rule, and every
/// register check but `seloste/placeholder`).
pub fn is_suppressible(id: &str) -> bool {
    get(id).is_none_or(|c| c.suppressible)
}
