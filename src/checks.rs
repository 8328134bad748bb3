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
    /// What `seloste explain` says beyond the description (Markdown), when it has more to say.
    pub docs: &'static str,
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
        docs: "",
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
        "a `# seloste:` comment that names no rule, an unknown rule, or an unknown directive",
    ),
    check(
        "seloste/unused-allow",
        "Suppressions match a finding",
        Warning,
        "a suppression that matches no finding",
    ),
    BuiltinCheck {
        docs: "An entry of the baseline (`seloste lint --baseline FILE`, or `baseline:` in
`.seloste.yaml`) matches fewer findings of the register than it records: the finding was
fixed, or the text it flags changed (which changes its fingerprint; the changed finding, if it
is still one, is reported as new). Reported once per entry, at the top of the register, as an
info: it never fails the run.

Run `seloste lint --prune-baseline` (with the same paths, and `--baseline` if the config does
not name the baseline) to rewrite the baseline without the stale entries; it adds no new
findings. Entries of registers that no longer exist are named on stderr and pruned the same
way. See docs/adoption.md.
",
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

/// Whether `id` is one of seloste's own checks of registers (what a suppression may name).
pub fn is_register_check(id: &str) -> bool {
    BUILTIN_CHECKS.iter().any(|c| c.id == id && c.in_registers)
}
