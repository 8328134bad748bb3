//! Running the `tests:` of rules: each test register merged over the pack's base, expected paths
//! compared with the rendered `at` paths of the findings.

use std::fmt::Write;

use crate::document::{Entry, Node, NodeKind};

use super::engine::{evaluate_rules, today};
use super::load::{Rule, RuleSet};

/// The outcome of one test case.
#[derive(Debug, Clone, PartialEq)]
pub struct CaseResult {
    pub rule: String,
    pub name: String,
    pub passed: bool,
    pub expected: Vec<String>,
    pub actual: Vec<String>,
    /// Runtime errors of the rule on this case.
    pub errors: Vec<String>,
}

/// Deep merge: mappings merge, lists and scalars replace, `null` deletes a key.
pub fn merge(base: &Node, over: &Node) -> Node {
    match (&base.kind, &over.kind) {
        (NodeKind::Map(b), NodeKind::Map(o)) => {
            let mut entries: Vec<Entry> = b.clone();
            for e in o {
                let pos = entries.iter().position(|x| x.key == e.key);
                match (pos, e.value.is_null()) {
                    (Some(i), true) => {
                        entries.remove(i);
                    }
                    (None, true) => {}
                    (Some(i), false) => entries[i].value = merge(&entries[i].value, &e.value),
                    (None, false) => entries.push(e.clone()),
                }
            }
            Node::new(base.span, NodeKind::Map(entries))
        }
        _ => over.clone(),
    }
}

/// Runs the tests of every rule in the set.
pub fn run_tests(rules: &RuleSet) -> Vec<CaseResult> {
    let today = &today();
    let cases = rules.rules.iter().enumerate().flat_map(|(i, rule)| {
        rule.tests
            .iter()
            .map(move |case| run_case(i, rule, case, today))
    });
    cases.collect()
}

/// The test register of `case`: merged over the pack's base.
fn case_register(rule: &Rule, case: &super::load::RuleTest) -> Node {
    match &rule.base {
        Some(base) => merge(base, &case.register),
        None => case.register.clone(),
    }
}

/// The languages every message and help text of a rule is rendered in by its tests.
const LANGUAGES: [&str; 3] = ["en", "fi", "sv"];

fn run_case(i: usize, rule: &Rule, case: &super::load::RuleTest, today: &cel::Value) -> CaseResult {
    let register = case_register(rule, case);
    // Every language: a message or help that fails in Finnish or Swedish fails the test as well.
    let by_lang: Vec<(&str, Vec<_>)> = LANGUAGES
        .iter()
        .map(|lang| {
            (
                *lang,
                evaluate_rules(std::iter::once((i, rule)), &register, today, lang),
            )
        })
        .collect();
    let hits = &by_lang[0].1;
    let mut actual: Vec<String> = hits
        .iter()
        .filter(|h| h.error.is_none())
        .map(|h| h.at.clone())
        .collect();
    let mut errors: Vec<String> = by_lang
        .iter()
        .flat_map(|(lang, hits)| {
            hits.iter().filter_map(move |h| {
                let e = h.error.as_ref()?;
                Some(if *lang == "en" {
                    e.clone()
                } else {
                    format!("({lang}) {e}")
                })
            })
        })
        .collect();
    for (path, wanted) in &case.messages {
        for (lang, want) in wanted {
            let Some((_, hits)) = by_lang.iter().find(|(l, _)| l == lang) else {
                errors.push(format!(
                    "messages of {path}: no language `{lang}` (en, fi or sv)"
                ));
                continue;
            };
            let at: Vec<&String> = hits
                .iter()
                .filter(|h| h.error.is_none() && &h.at == path)
                .map(|h| &h.message)
                .collect();
            if at.is_empty() {
                errors.push(format!(
                    "({lang}) no finding at {path} to check the message of"
                ));
            }
            for got in at.into_iter().filter(|got| *got != want) {
                errors.push(format!(
                    "({lang}) the message at {path} is {got:?}, expected {want:?}"
                ));
            }
        }
    }
    for (path, want) in &case.severity {
        for h in hits.iter().filter(|h| h.error.is_none() && &h.at == path) {
            let got = h.severity.unwrap_or(rule.severity);
            if got != *want {
                errors.push(format!("the finding at {path} is {got}, expected {want}"));
            }
        }
    }
    let mut expected = case.expect.clone();
    actual.sort();
    expected.sort();
    CaseResult {
        rule: rule.id.clone(),
        name: case.name.clone(),
        passed: errors.is_empty() && actual == expected,
        expected,
        actual,
        errors,
    }
}

/// What the failing cases of a rule's tests print: for each case that expects findings, every
/// finding's path, message and help in en, fi and sv. The rule-message snapshots
/// (tests/rule_messages.rs) keep these, so that a changed or broken message shows in review.
pub fn case_messages(rules: &RuleSet, i: usize, today: &cel::Value) -> String {
    let rule = &rules.rules[i];
    let mut out = String::new();
    for case in rule.tests.iter().filter(|c| !c.expect.is_empty()) {
        let register = case_register(rule, case);
        _ = writeln!(out, "## {}", case.name);
        for lang in LANGUAGES {
            for h in evaluate_rules(std::iter::once((i, rule)), &register, today, lang) {
                match &h.error {
                    Some(e) => _ = writeln!(out, "[{lang}] {} ERROR {e}", h.at),
                    None => {
                        let severity = match h.severity {
                            Some(s) if s != rule.severity => format!(" ({s})"),
                            _ => String::new(),
                        };
                        _ = writeln!(out, "[{lang}] {}{severity}\n  {}", h.at, h.message);
                        if let Some(label) = &h.label {
                            _ = writeln!(out, "  label: {label}");
                        }
                        if let Some(help) = &h.help {
                            _ = writeln!(out, "  help: {help}");
                        }
                    }
                }
            }
        }
        out.push('\n');
    }
    out
}
