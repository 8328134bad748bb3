//! `.seloste.yaml`: rules off, severities, options, per-path overrides, include/exclude, broken
//! configs; inline suppressions; `--deny warnings` and `--max-warnings`.

mod common;

use std::fs;
use std::path::Path;

use common::{run, seloste};

const SEED: &str = "fixtures/seeds/001-kainuu-te-webropol.yaml";

/// A temp project: `reg.yaml` (seed 001), `legacy/old.yaml` (the same) and the given config.
fn project(config: Option<&str>) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    let seed = fs::read_to_string(SEED).expect("seed");
    fs::write(dir.path().join("reg.yaml"), &seed).expect("write");
    fs::create_dir(dir.path().join("legacy")).expect("mkdir");
    fs::write(dir.path().join("legacy/old.yaml"), &seed).expect("write");
    if let Some(c) = config {
        fs::write(dir.path().join(".seloste.yaml"), c).expect("write");
    }
    dir
}

/// `(file, rule, severity)` of every finding of `seloste lint --format json .` in `dir`.
fn findings(dir: &Path, extra: &[&str]) -> (i32, Vec<(String, String, String)>) {
    let (code, out, err) = run(seloste()
        .current_dir(dir)
        .args(["lint", "--format", "json"])
        .args(extra)
        .arg("."));
    let list: Vec<serde_json::Value> =
        serde_json::from_str(&out).unwrap_or_else(|e| panic!("{e}: {out}{err}"));
    let triples = list
        .iter()
        .map(|f| {
            let s = |k: &str| f[k].as_str().unwrap_or("").to_owned();
            (s("file"), s("rule"), s("severity"))
        })
        .collect();
    (code, triples)
}

fn has(list: &[(String, String, String)], file: &str, rule: &str, severity: &str) -> bool {
    list.iter()
        .any(|(f, r, s)| f == file && r == rule && s == severity)
}

#[test]
fn without_config_both_files_have_the_same_findings() {
    let dir = project(None);
    let (code, list) = findings(dir.path(), &[]);
    assert_eq!(code, 1);
    assert!(has(&list, "reg.yaml", "gdpr/rights-listed", "error"));
    assert!(has(&list, "legacy/old.yaml", "gdpr/rights-listed", "error"));
    assert!(has(&list, "reg.yaml", "gdpr/automated-decisions", "info"));
}

#[test]
fn a_rule_turned_off_is_gone() {
    let dir = project(Some("rules:\n  gdpr/automated-decisions: off\n"));
    let (_, list) = findings(dir.path(), &[]);
    assert!(
        !list.iter().any(|(_, r, _)| r == "gdpr/automated-decisions"),
        "{list:?}"
    );
}

#[test]
fn a_severity_can_be_changed() {
    let dir = project(Some(
        "rules:\n  gdpr/rights-listed: warning\n  gdpr/statutory-requirement: {severity: info}\n",
    ));
    let (_, list) = findings(dir.path(), &[]);
    assert!(has(&list, "reg.yaml", "gdpr/rights-listed", "warning"));
    assert!(has(&list, "reg.yaml", "gdpr/statutory-requirement", "info"));
}

#[test]
fn options_can_be_changed() {
    // Seed 001 has no `updated`; give it one 100 days old: stale with a 30-day limit only.
    let stale = |config: Option<&str>| {
        let dir = project(config);
        let reg = dir.path().join("reg.yaml");
        let text = fs::read_to_string(&reg)
            .expect("read")
            .replace("seloste: 1\n", "seloste: 1\nupdated: 2026-08-15\n");
        fs::write(&reg, text).expect("write");
        let (_, list) = findings(dir.path(), &[]);
        has(&list, "reg.yaml", "gdpr/register-stale", "info")
    };
    assert!(stale(Some(
        "rules:\n  gdpr/register-stale: {options: {max_age_days: 30}}\n"
    )));
    assert!(!stale(None));
}

#[test]
fn overrides_apply_per_path() {
    let dir = project(Some(
        "overrides:\n  - files: [\"legacy/**\"]\n    rules: {gdpr/rights-listed: off, fi/repealed-personal-data-act: warning}\n",
    ));
    let (_, list) = findings(dir.path(), &[]);
    assert!(has(&list, "reg.yaml", "gdpr/rights-listed", "error"));
    assert!(
        !list
            .iter()
            .any(|(f, r, _)| f == "legacy/old.yaml" && r == "gdpr/rights-listed"),
        "{list:?}"
    );
    assert!(has(
        &list,
        "legacy/old.yaml",
        "fi/repealed-personal-data-act",
        "warning"
    ));
    assert!(has(
        &list,
        "reg.yaml",
        "fi/repealed-personal-data-act",
        "error"
    ));
}

#[test]
fn include_exclude_and_language() {
    let dir = project(Some("exclude: [\"legacy/**\"]\nlanguage: fi\n"));
    let (_, list) = findings(dir.path(), &[]);
    assert!(list.iter().all(|(f, _, _)| f == "reg.yaml"), "{list:?}");
    let (_, out, _) = run(seloste().current_dir(dir.path()).args(["lint", "."]));
    assert!(out.contains("Käyttötarkoitukselle"), "{out}");
    let (_, out, _) = run(seloste()
        .current_dir(dir.path())
        .args(["lint", "--lang", "en", "."]));
    assert!(out.contains("states no legal basis"), "{out}");
}

#[test]
fn broken_configs_exit_2_with_a_spanned_diagnostic() {
    let cases = [
        ("unknown_key", "langauge: fi\n"),
        ("bad_severity", "rules:\n  gdpr/rights-listed: fatal\n"),
        ("unknown_rule", "rules:\n  gdpr/rights-listd: warning\n"),
        ("unknown_pack", "extends: [gdpr, fii]\n"),
        ("bad_glob", "exclude: [\"legacy/[\"]\n"),
        ("bad_yaml", "rules: [\n"),
    ];
    let mut all = String::new();
    for (name, config) in cases {
        let dir = project(Some(config));
        let (code, out, err) = run(seloste().current_dir(dir.path()).args(["lint", "."]));
        assert_eq!(code, 2, "{name}: {out}{err}");
        assert!(out.is_empty(), "{name}: {out}");
        all.push_str(&format!(
            "=== {name}\n{}\n",
            err.replace(&dir.path().display().to_string(), "[DIR]")
        ));
    }
    insta::assert_snapshot!("broken_configs", all);
}

#[test]
fn an_explicit_config_file_and_no_config() {
    let dir = project(Some("rules:\n  gdpr/rights-listed: off\n"));
    fs::write(
        dir.path().join("other.yaml.cfg"),
        "rules:\n  gdpr/dpo-contact: off\n",
    )
    .expect("write");
    let (_, list) = findings(dir.path(), &["--config", "other.yaml.cfg"]);
    assert!(list.iter().any(|(_, r, _)| r == "gdpr/rights-listed"));
    assert!(!list.iter().any(|(_, r, _)| r == "gdpr/dpo-contact"));
    let (_, list) = findings(dir.path(), &["--no-config"]);
    assert!(list.iter().any(|(_, r, _)| r == "gdpr/rights-listed"));
}

#[test]
fn inline_suppressions() {
    let dir = project(None);
    let reg = dir.path().join("reg.yaml");
    let text = fs::read_to_string(&reg)
        .expect("read")
        .replacen(
            "seloste: 1\n",
            "# seloste: allow-file gdpr/automated-decisions -- decided in the DPIA of 2026-01\n# seloste: allow gdpr/dpo-contact\nseloste: 1\n",
            1,
        )
        .replace(
            "rights: [access, rectification]",
            "rights: [access, rectification]  # seloste: allow gdpr/rights-listed, gdpr/nope -- restriction is handled elsewhere",
        )
        .replacen("purposes:\n", "# seloste: allow gdpr/retention-period -- none\n# seloste: alow x\npurposes:\n", 1);
    fs::write(&reg, text).expect("write");
    fs::remove_dir_all(dir.path().join("legacy")).expect("rm");
    let (code, out, _) = run(seloste().current_dir(dir.path()).args(["lint", "reg.yaml"]));
    assert_eq!(code, 1);
    insta::assert_snapshot!("inline_suppressions", out);
}

#[test]
fn deny_warnings_and_max_warnings() {
    let dir = tempfile::tempdir().expect("tempdir");
    // A valid register with only warnings: without `transfers` (transfers-addressed is a warning).
    let text = fs::read_to_string("fixtures/valid/company.yaml").expect("read");
    let cut = drop_top_level_key(&text, "transfers");
    assert_ne!(cut, text);
    fs::write(dir.path().join("w.yaml"), cut).expect("write");
    let lint = |extra: &[&str]| {
        run(seloste()
            .current_dir(dir.path())
            .args(["lint", "w.yaml"])
            .args(extra))
        .0
    };
    assert_eq!(lint(&[]), 0);
    assert_eq!(lint(&["--deny", "warnings"]), 1);
    assert_eq!(lint(&["--max-warnings", "0"]), 1);
    assert_eq!(lint(&["--max-warnings", "5"]), 0);
}

/// `text` without the top-level `key:` and its indented block.
fn drop_top_level_key(text: &str, key: &str) -> String {
    let mut out = String::new();
    let mut skipping = false;
    for line in text.split_inclusive('\n') {
        let top_level = !line.starts_with([' ', '-', '#', '\n']);
        if top_level {
            skipping = line.starts_with(&format!("{key}:"));
        }
        if !skipping {
            out.push_str(line);
        }
    }
    out
}

#[test]
fn force_exclude_skips_named_files_that_are_not_registers_or_excluded() {
    let dir = project(Some("exclude: [\"legacy/**\"]\n"));
    fs::write(dir.path().join("workflow.yaml"), "on: push\njobs: {}\n").expect("write");
    let files = ["reg.yaml", "workflow.yaml", "legacy/old.yaml"];
    // Named files are always linted, and must be registers.
    let (code, _, err) = run(seloste()
        .current_dir(dir.path())
        .args(["lint", "--format", "short"])
        .args(files));
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains("workflow.yaml: not a register definition"),
        "{err}"
    );
    // With --force-exclude they go through the selection of a directory walk.
    let (code, out, err) = run(seloste()
        .current_dir(dir.path())
        .args(["lint", "--format", "short", "--force-exclude"])
        .args(files));
    assert_eq!(code, 1, "{err}");
    assert!(out.lines().all(|l| l.starts_with("reg.yaml:")), "{out}");
    assert!(err.ends_with("in 1 file (1 checked)\n"), "{err}");
    // Nothing left to lint is a clean run.
    let (code, out, err) =
        run(seloste()
            .current_dir(dir.path())
            .args(["lint", "--force-exclude", "workflow.yaml"]));
    assert_eq!(code, 0, "{err}");
    assert_eq!(out, "no problems in 0 files\n");
}
