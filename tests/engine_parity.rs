//! The fast evaluator (src/rules/fast) and the cel interpreter give the same output.
//!
//! The interpreter is the reference: the fast path must either give its result or fall back to
//! it. These tests run the real binary both ways (`SELOSTE_ENGINE=cel` turns the fast path off)
//! on generated registers, the fixtures and the examples, in every output language.

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
fn built_in_rules_stay_on_the_fast_path() {
    let dir = tempfile::tempdir().expect("tempdir");
    generated(dir.path(), 100, &registers::Config::default());
    let path = dir.path().to_str().expect("utf-8 path");
    let ((_, err), _) = both(
        &["--format", "json", "fixtures", "examples", path],
        &[("SELOSTE_DEBUG", "fast")],
    );
    assert!(
        !err.contains("ran in the interpreter"),
        "a built-in rule left the fast path:\n{err}"
    );
}

#[test]
fn what_the_fast_path_does_not_model_runs_in_the_interpreter() {
    let dir = tempfile::tempdir().expect("tempdir");
    let rules = dir.path().join("rules");
    std::fs::create_dir(&rules).expect("mkdir");
    // Iterating a map (hash order in the interpreter), double arithmetic, and a runtime error
    // (a missing key) are left to the interpreter.
    std::fs::write(
        rules.join("odd.yaml"),
        r#"id: acme/odd
title: Odd constructs
severity: warning
check: >-
  !register.name.exists(k, k == 'fi') || size(register.name) * 1.5 > 3.0
message: "{{register.name.map(k, k).size()}} names"
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
    let args = ["--format", "json", "--rules", rules, "fixtures/valid"];
    let ((fast, err), (cel, _)) = both(&args, &[("SELOSTE_DEBUG", "fast")]);
    assert!(err.contains("`acme/odd` ran in the interpreter"), "{err}");
    assert!(
        err.contains("`acme/missing` ran in the interpreter"),
        "{err}"
    );
    assert!(fast.contains("seloste/rule-error"), "{fast}");
    assert_eq!(fast, cel);
}
