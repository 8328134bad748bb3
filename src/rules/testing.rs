//! Running the `tests:` of rules: each test register merged over the pack's base, expected paths
//! compared with the rendered `at` paths of the findings.

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
    let today = today();
    let mut out = Vec::new();
    for (i, rule) in rules.rules.iter().enumerate() {
        for case in &rule.tests {
            out.push(run_case(i, rule, case, &today));
        }
    }
    out
}

fn run_case(i: usize, rule: &Rule, case: &super::load::RuleTest, today: &cel::Value) -> CaseResult {
    let register = match &rule.base {
        Some(base) => merge(base, &case.register),
        None => case.register.clone(),
    };
    let hits = evaluate_rules(std::iter::once((i, rule)), &register, today, "en");
    let mut actual: Vec<String> = hits
        .iter()
        .filter(|h| h.error.is_none())
        .map(|h| h.at.clone())
        .collect();
    let errors: Vec<String> = hits.iter().filter_map(|h| h.error.clone()).collect();
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
