//! The evaluator (src/rules/fast) and the cel crate's interpreter give the same output.
//!
//! The interpreter is the oracle: on the built-in rules, the generated registers, the fixtures
//! and the examples, in every output language, both give byte-identical output. These tests run
//! the real binary both ways (`SELOSTE_ENGINE=cel` runs the interpreter). Where the two are
//! meant to differ (map iteration order, error messages), the evaluator's output is asserted.

mod common;

#[path = "../benches/common/registers.rs"]
#[allow(dead_code)]
mod registers;

use common::{run, seloste};

/// `seloste lint ARGS` with the fast path on and off: (stdout, stderr) of each.
fn both(args: &[&str], extra_env: &[(&str, &str)]) -> ((String, String), (String, String)) {
    let go = |engine: Option<&str>| {
        let mut cmd = seloste();
        cmd.arg("lint").args(args);
        for (k, v) in extra_env {
            cmd.env(k, v);
        }
        if let Some(e) = engine {
            cmd.env("SELOSTE_ENGINE", e);
        }
        let (_, out, err) = run(&mut cmd);
        (out, err)
    };
    (go(None), go(Some("cel")))
}

fn generated(dir: &std::path::Path, count: u64, cfg: &registers::Config) {
    for i in 0..count {
        let g = registers::generate(cfg, i);
        std::fs::write(dir.join(format!("r{i:04}.yaml")), g.yaml).expect("write");
    }
}

#[test]
fn generated_registers_get_the_same_findings_from_both_engines() {
    let dir = tempfile::tempdir().expect("tempdir");
    // Every register defective, so that every rule's message templates are rendered too.
    let cfg = registers::Config {
        defective: 1.0,
        ..Default::default()
    };
    generated(dir.path(), 200, &cfg);
    let path = dir.path().to_str().expect("utf-8 path");
    for lang in ["en", "fi", "sv"] {
        let ((fast, _), (cel, _)) = both(&["--format", "json", "--lang", lang, path], &[]);
        assert!(
            fast.matches("\"rule\"").count() > 300,
            "few findings:\n{fast}"
        );
        assert_eq!(fast, cel, "the engines differ in {lang}");
    }
}

#[test]
fn fixtures_and_examples_get_the_same_output_from_both_engines() {
    for lang in ["en", "fi", "sv"] {
        let ((fast, _), (cel, _)) = both(
            &["--format", "json", "--lang", lang, "fixtures", "examples"],
            &[],
        );
        assert!(fast.contains("fi/repealed-personal-data-act"));
        assert_eq!(fast, cel, "the engines differ in {lang}");
    }
    let acme = [
        "--config",
        "examples/acme-repo/.seloste.yaml",
        "examples/acme-repo",
    ];
    let ((fast, _), (cel, _)) = both(&acme, &[]);
    assert_eq!(fast, cel);
}

#[test]
fn maps_iterate_in_key_order_and_errors_are_the_evaluators_own() {
    let dir = tempfile::tempdir().expect("tempdir");
    let rules = dir.path().join("rules");
    std::fs::create_dir(&rules).expect("mkdir");
    // A map iterated in a message: the cel interpreter follows its hash map, which printed the
    // keys in a different order from run to run; the evaluator iterates in key order.
    std::fs::write(
        rules.join("odd.yaml"),
        r#"id: acme/odd
title: Odd constructs
severity: warning
check: "!register.name.exists(k, k == 'fi') || 1.5 * 2.0 > 3.5"
message: "names in {{register.name.map(k, k).join(',')}}"
"#,
    )
    .expect("write");
    std::fs::write(
        rules.join("missing.yaml"),
        r#"id: acme/missing
title: Reads a key that is not there
severity: warning
check: register.no_such_key == 1
message: never shown
"#,
    )
    .expect("write");
    let rules = rules.to_str().expect("utf-8 path");
    let args = [
        "--format",
        "json",
        "--rules",
        rules,
        "fixtures/valid/bilingual.yaml",
    ];
    for _ in 0..3 {
        let ((fast, _), _) = both(&args, &[]);
        assert!(fast.contains("names in fi,sv"), "{fast}");
        assert!(fast.contains("no such key: no_such_key"), "{fast}");
    }
}
