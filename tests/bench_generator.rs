//! The benchmark generator (benches/common/registers.rs) keeps its promises: deterministic output,
//! registers drawn valid have no finding with the built-in rules, defective ones have some.

#[path = "../benches/common/registers.rs"]
#[allow(dead_code)]
mod registers;

use registers::{Config, generate};
use seloste::document::date_timestamp;
use seloste::lint::{LintOptions, lint_text};

fn opts() -> LintOptions {
    LintOptions {
        lang: "en".into(),
        // The date the bench scripts set: generated dates are 2025-01 … 2026-10.
        today: date_timestamp("2026-11-01").expect("date"),
        config: Default::default(),
        languages: Default::default(),
    }
}

fn findings(yaml: &str, rules: &seloste::rules::RuleSet) -> Vec<String> {
    match lint_text("gen.yaml", None, yaml.as_bytes(), rules, &opts()).findings() {
        Some(f) => f.findings.iter().map(|f| f.rule.clone()).collect(),
        None => panic!("a generated file is not a register"),
    }
}

#[test]
fn output_is_deterministic_and_independent_of_count() {
    let cfg = Config::default();
    for i in [0, 1, 17, 999] {
        let a = generate(&cfg, i);
        let b = generate(&cfg, i);
        assert_eq!(a.yaml, b.yaml);
        assert_eq!(a.defects, b.defects);
    }
    let other = Config { seed: 2, ..cfg };
    assert_ne!(generate(&cfg, 3).yaml, generate(&other, 3).yaml);
}

#[test]
fn valid_registers_have_no_finding_and_defective_ones_do() {
    let rules = seloste::rules::load_rules(&[], true).unwrap_or_else(|_| panic!("built-in rules"));
    let valid = Config {
        defective: 0.0,
        ..Config::default()
    };
    for i in 0..120 {
        let g = generate(&valid, i);
        assert!(g.defects.is_empty());
        let f = findings(&g.yaml, &rules);
        assert!(
            f.is_empty(),
            "register {i} ({}) has findings {f:?}:\n{}",
            g.kind,
            g.yaml
        );
    }
    let defective = Config {
        defective: 1.0,
        ..Config::default()
    };
    for i in 0..120 {
        let g = generate(&defective, i);
        assert!(!g.defects.is_empty(), "register {i} got no defect");
        let f = findings(&g.yaml, &rules);
        assert!(
            !f.is_empty(),
            "register {i} with defects {:?} has no finding",
            g.defects
        );
    }
}

#[test]
fn broken_registers_are_yaml_findings() {
    let rules = seloste::rules::load_rules(&[], true).unwrap_or_else(|_| panic!("built-in rules"));
    let cfg = Config {
        broken: 1.0,
        ..Config::default()
    };
    for i in 0..20 {
        let g = generate(&cfg, i);
        assert_eq!(g.defects.last(), Some(&"broken-yaml"));
        let f = findings(&g.yaml, &rules);
        assert!(
            f.iter().any(|r| r == "seloste/yaml"),
            "register {i}: {f:?}\n{}",
            g.yaml
        );
    }
}
