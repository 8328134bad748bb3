//! `seloste rules` (list, test) and `seloste explain`: the rule catalogue on the command line.

use std::io::Write;
use std::path::PathBuf;

use super::Lang;
use clap::{Subcommand, ValueEnum};

use super::{ColorChoice, EXIT_ERROR, EXIT_FINDINGS, EXIT_OK, print_problems, style};
use crate::rules::{self, RuleSet, load_rules, load_rules_checked};

#[derive(clap::Args, Debug)]
pub struct RulesArgs {
    #[command(subcommand)]
    pub action: Option<RulesAction>,
    /// Output format of the list.
    #[arg(long, value_enum, default_value_t = ListFormat::Table)]
    pub format: ListFormat,
    /// Language of titles.
    #[arg(long, value_enum, default_value_t = Lang::En)]
    pub lang: Lang,
}

#[derive(clap::Args, Debug)]
pub struct ExplainArgs {
    /// The rule id, e.g. `gdpr/dpo-contact` (the part after the pack is enough when unique).
    pub rule: String,
    /// Language of the title, docs and labels (docs fall back to English).
    #[arg(long, value_enum, default_value_t = Lang::En)]
    pub lang: Lang,
    /// When to use colours.
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,
    /// A directory of custom rules (repeatable), to explain one of them.
    #[arg(long = "rules", value_name = "DIR")]
    pub rule_dirs: Vec<PathBuf>,
}

#[derive(Subcommand, Debug)]
pub enum RulesAction {
    /// Run the `tests:` of rules: the built-in packs, or the rules in DIR.
    Test {
        /// A directory of custom rules; without it, the built-in packs.
        dir: Option<PathBuf>,
    },
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum ListFormat {
    Table,
    Json,
    /// The rules reference (docs/rules.md): an index by pack and every rule's docs.
    Markdown,
}

/// `seloste rules` and `seloste rules test`.
pub fn run_rules(args: &RulesArgs) -> i32 {
    let loaded = match &args.action {
        Some(RulesAction::Test { dir: Some(d) }) => load_rules(std::slice::from_ref(d), false),
        Some(RulesAction::Test { dir: None }) => load_rules_checked(&[], true, true),
        None => load_rules(&[], true),
    };
    match loaded {
        Err(errors) => {
            print_problems(&errors, ColorChoice::Auto, "in rule files");
            EXIT_ERROR
        }
        Ok(rules) if args.action.is_some() => run_rule_tests(&rules),
        Ok(rules) => {
            print!("{}", list_rules(&rules, args.format, args.lang.code()));
            EXIT_OK
        }
    }
}

fn list_rules(rules: &RuleSet, format: ListFormat, lang: &str) -> String {
    match format {
        ListFormat::Markdown => crate::explain::reference(rules, lang),
        ListFormat::Json => {
            let list: Vec<serde_json::Value> = rules
                .rules
                .iter()
                .map(|r| {
                    serde_json::json!({
                        "id": r.id,
                        "severity": r.severity,
                        "title": r.title_in(lang),
                        "refs": {"gdpr": r.refs.gdpr, "law": r.refs.law},
                    })
                })
                .collect();
            serde_json::to_string_pretty(&list).unwrap_or_default() + "\n"
        }
        ListFormat::Table => {
            let width = rules.rules.iter().map(|r| r.id.len()).max().unwrap_or(2);
            let mut out = format!("{:width$}  {:8}  {}\n", "id", "severity", "title (refs)");
            for r in &rules.rules {
                out.push_str(&format!(
                    "{:width$}  {:8}  {} ({})\n",
                    r.id,
                    r.severity.as_str(),
                    r.title_in(lang),
                    r.refs.display()
                ));
            }
            out
        }
    }
}

/// `seloste explain RULE`.
pub fn run_explain(args: &ExplainArgs) -> i32 {
    let (wanted, lang, style) = (args.rule.trim(), args.lang.code(), style(args.color));
    // seloste's own checks of registers are no rule files: their docs are built in.
    let text = if let Some(check) = crate::checks::get(wanted).filter(|c| c.in_registers) {
        crate::explain::explain_check(check, lang, style)
    } else {
        let rules = match load_rules(&args.rule_dirs, true) {
            Ok(r) => r,
            Err(errors) => {
                print_problems(&errors, args.color, "in rule files");
                return EXIT_ERROR;
            }
        };
        match (find_rule(&rules, wanted), builtin_check(wanted)) {
            (Ok(rule), _) => crate::explain::explain(rule, lang, style),
            (Err(_), Some(check)) => crate::explain::explain_check(check, lang, style),
            (Err(help), None) => {
                eprintln!("error: unknown rule `{wanted}`");
                if let Some(h) = help {
                    eprintln!("  help: {h}");
                }
                eprintln!("  help: `seloste rules` lists every rule");
                return EXIT_ERROR;
            }
        }
    };
    let mut stdout = std::io::stdout().lock();
    let _ = stdout.write_all(text.as_bytes());
    let _ = stdout.flush();
    EXIT_OK
}

/// One of seloste's own checks, by id (`seloste/baseline-stale`) or the part after `seloste/`.
fn builtin_check(wanted: &str) -> Option<&'static crate::checks::BuiltinCheck> {
    let id = wanted.strip_prefix("seloste/").unwrap_or(wanted);
    crate::checks::get(&format!("seloste/{id}"))
}

/// A rule by id, or by the part after the pack when that is unique. Otherwise a help line: the
/// rules sharing that name, or the nearest id (did you mean).
fn find_rule<'r>(rules: &'r RuleSet, wanted: &str) -> Result<&'r rules::Rule, Option<String>> {
    let ids: Vec<&str> = rules.rules.iter().map(|r| r.id.as_str()).collect();
    let id = rules::resolve_id(&ids, wanted, crate::messages::en())?;
    rules.get(id).ok_or(None)
}

/// Prints a `cargo test`-like report of rule tests; exit 1 when any fails.
pub fn run_rule_tests(rules: &RuleSet) -> i32 {
    let results = rules::testing::run_tests(rules);
    let mut out = format!("running {} rule tests\n", results.len());
    for r in &results {
        let status = if r.passed { "ok" } else { "FAILED" };
        out.push_str(&format!("test {} :: {} ... {status}\n", r.rule, r.name));
    }
    let failed: Vec<_> = results.iter().filter(|r| !r.passed).collect();
    if !failed.is_empty() {
        out.push_str("\nfailures:\n");
        for r in &failed {
            out.push_str(&format!(
                "  {} :: {}\n    expected: {:?}\n    actual:   {:?}\n",
                r.rule, r.name, r.expected, r.actual
            ));
            for e in &r.errors {
                out.push_str(&format!("    error:    {e}\n"));
            }
        }
    }
    let passed = results.len() - failed.len();
    let mut ok = failed.is_empty();
    for r in &rules.rules {
        if !r.tests.iter().any(|t| t.expect.is_empty())
            || !r.tests.iter().any(|t| !t.expect.is_empty())
        {
            ok = false;
            out.push_str(&format!(
                "rule {} lacks a passing or a failing test case\n",
                r.id
            ));
        }
    }
    out.push_str(&format!(
        "\ntest result: {}. {passed} passed; {} failed\n",
        if ok { "ok" } else { "FAILED" },
        failed.len()
    ));
    print!("{out}");
    if ok { EXIT_OK } else { EXIT_FINDINGS }
}
