//! Fixes: `lint --fix` (safe fixes, in place), `--unsafe-fixes`, `--diff`, the `fixes` of the JSON
//! and SARIF outputs, on LF and CRLF files; the edits touch only their spans.

mod common;

use common::{run, seloste};

const FIXABLE: &str = "tests/fixes/fixable.yaml";

/// A copy of the fixable register in a temporary directory, with CRLF line ends when asked.
fn copy(crlf: bool) -> (tempfile::TempDir, std::path::PathBuf, String) {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut text = common::fixture_text(FIXABLE);
    if crlf {
        text = text.replace('\n', "\r\n");
    }
    let path = dir.path().join("register.yaml");
    std::fs::write(&path, &text).expect("write");
    (dir, path, text)
}

/// The lines that differ between two texts, as `-old` / `+new`.
fn changed_lines(old: &str, new: &str) -> String {
    let (a, b): (Vec<&str>, Vec<&str>) = (
        old.split_inclusive('\n').collect(),
        new.split_inclusive('\n').collect(),
    );
    assert_eq!(a.len(), b.len(), "fixes change no line count here");
    a.iter()
        .zip(&b)
        .filter(|(x, y)| x != y)
        .map(|(x, y)| format!("-{}+{}", x.escape_debug(), y.escape_debug()))
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn fix_applies_the_safe_fixes_in_place_and_reports_what_is_left() {
    for crlf in [false, true] {
        let (_dir, path, before) = copy(crlf);
        let (code, out, err) = run(seloste()
            .args(["lint", "--fix", "--no-config", "--format", "short"])
            .arg(&path));
        assert_eq!(code, 1, "{out}{err}");
        let after = std::fs::read_to_string(&path).expect("read");
        let changes = changed_lines(&before, &after);
        insta::assert_snapshot!(if crlf { "fix_safe_crlf" } else { "fix_safe" }, changes);
        // What is left: the unsafe ones.
        let rules: Vec<&str> = out
            .lines()
            .filter_map(|l| {
                l.split_once(" error[")
                    .or(l.split_once(" warning["))
                    .map(|(_, r)| r.split(']').next().unwrap_or(""))
            })
            .collect();
        assert_eq!(rules, ["seloste/enum", "fi/business-id-checksum"], "{out}");
        assert!(
            err.contains(
                "4 fixes applied in 1 file; 2 unsafe fixes left (--unsafe-fixes applies them)"
            ),
            "{err}"
        );
        // A second run has nothing safe left to fix.
        let (_, _, err) = run(seloste()
            .args(["lint", "--fix", "--no-config", "--format", "short"])
            .arg(&path));
        assert!(err.contains("0 fixes applied in 0 files"), "{err}");
        assert_eq!(std::fs::read_to_string(&path).expect("read"), after);
    }
}

#[test]
fn unsafe_fixes_apply_the_guesses_too_and_the_register_is_clean() {
    let (_dir, path, before) = copy(true);
    let (code, out, err) = run(seloste()
        .args([
            "lint",
            "--fix",
            "--unsafe-fixes",
            "--no-config",
            "--format",
            "short",
        ])
        .arg(&path));
    assert_eq!(code, 0, "{out}{err}");
    assert!(err.contains("6 fixes applied in 1 file"), "{err}");
    let after = std::fs::read_to_string(&path).expect("read");
    insta::assert_snapshot!("fix_unsafe_crlf", changed_lines(&before, &after));
    // The comments and quotes are kept.
    assert!(
        after.contains("  - \"(EU) 2016/679\"  # the number as the old template had it\r\n"),
        "{after}"
    );
}

#[test]
fn diff_prints_the_fixes_and_writes_nothing() {
    let (_dir, path, before) = copy(false);
    let (code, out, err) = run(seloste().current_dir(path.parent().expect("dir")).args([
        "lint",
        "--diff",
        "--no-config",
        "register.yaml",
    ]));
    assert_eq!(code, 1, "{err}");
    assert_eq!(std::fs::read_to_string(&path).expect("read"), before);
    insta::assert_snapshot!("diff_safe", out);
    assert!(err.contains("4 fixes would be applied in 1 file"), "{err}");
    let (code, out, _) = run(seloste().args([
        "lint",
        "--diff",
        "--no-config",
        "fixtures/valid/company.yaml",
    ]));
    assert_eq!((code, out.as_str()), (0, ""));
}

#[test]
fn json_and_sarif_carry_the_fixes() {
    let (code, out, err) =
        run(seloste().args(["lint", "--format", "json", "--no-config", FIXABLE]));
    assert_eq!(code, 1, "{err}");
    let findings: serde_json::Value = serde_json::from_str(&out).expect("json");
    let all = findings.as_array().expect("array");
    assert!(
        all.iter().all(|f| f["fixes"].is_array()),
        "every finding has `fixes`"
    );
    let cited = all
        .iter()
        .find(|f| f["rule"] == "gdpr/regulation-cited")
        .expect("finding");
    insta::assert_json_snapshot!("json_fixes", cited["fixes"]);
    let enum_fix = &all
        .iter()
        .find(|f| f["rule"] == "seloste/enum")
        .expect("enum")["fixes"][0];
    assert_eq!(enum_fix["safety"], "unsafe");
    assert_eq!(enum_fix["edits"][0]["text"], "direct");

    let (_, out, _) = run(seloste().args(["lint", "--format", "sarif", "--no-config", FIXABLE]));
    let sarif: serde_json::Value = serde_json::from_str(&out).expect("sarif");
    let validator = {
        let text = std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/schemas/sarif-schema-2.1.0.json"
        ))
        .expect("schema");
        let schema: serde_json::Value = serde_json::from_str(&text).expect("schema parses");
        jsonschema::draft4::options()
            .should_validate_formats(true)
            .build(&schema)
            .expect("compiles")
    };
    let errors: Vec<String> = validator
        .iter_errors(&sarif)
        .map(|e| format!("{e} at {}", e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "{errors:#?}");
    let results = sarif["runs"][0]["results"].as_array().expect("results");
    let with_fixes = results.iter().filter(|r| r.get("fixes").is_some()).count();
    assert_eq!(with_fixes, 6);
    let address = results
        .iter()
        .find(|r| {
            r["fixes"][0]["artifactChanges"][0]["replacements"][0]["insertedContent"]["text"]
                == "Lintulahdenkuja 4, 00530 Helsinki"
        })
        .expect("the address fix");
    assert_eq!(address["fixes"][0]["properties"]["safety"], "safe");
}

#[test]
fn the_did_you_mean_fixes_are_the_same_in_every_language() {
    // The fix of a misspelt key, enum value or category id is the suggestion itself, not words
    // read back from the help (which is in the run's language).
    for lang in ["fi", "sv"] {
        let (_dir, path, _) = copy(false);
        let (code, out, err) = run(seloste()
            .args([
                "lint",
                "--fix",
                "--unsafe-fixes",
                "--no-config",
                "--format",
                "short",
                "--lang",
                lang,
            ])
            .arg(&path));
        assert_eq!(code, 0, "{lang}: {out}{err}");
    }
}
