//! The example organisation pack (`examples/acme`) and the register repository that uses it
//! (`examples/acme-repo`): the pack's tests pass, a wrong copy fails, and the configured repository
//! lints clean with its options and suppressions doing their part.

mod common;

use std::fs;
use std::path::Path;

use common::{run, seloste};

const PACK: &str = "examples/acme";
const REPO: &str = "examples/acme-repo";

#[test]
fn the_example_pack_passes_its_tests() {
    let (code, out, err) = run(seloste().args(["rules", "test", PACK]));
    assert_eq!(code, 0, "{out}{err}");
    assert!(
        out.contains("test result: ok. 11 passed; 0 failed"),
        "{out}"
    );
    assert!(
        !out.contains("lacks a passing or a failing test case"),
        "{out}"
    );
    for rule in [
        "acme/dpo-mailbox-domain",
        "acme/processor-in-eea",
        "acme/purpose-owner-unit",
    ] {
        assert!(out.contains(&format!("test {rule} :: ")), "{rule}: {out}");
    }
}

/// A copy of the pack in a temporary directory, with `edit` applied to one rule file.
fn broken_copy(file: &str, from: &str, to: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    for entry in fs::read_dir(PACK).expect("pack dir") {
        let path = entry.expect("entry").path();
        let name = path.file_name().expect("file name");
        let mut text = fs::read_to_string(&path).expect("read");
        if name == file {
            let edited = text.replace(from, to);
            assert_ne!(edited, text, "{file} changed: update this test");
            text = edited;
        }
        fs::write(dir.path().join(name), text).expect("write");
    }
    dir
}

#[test]
fn a_wrong_copy_of_the_pack_fails() {
    // A wrong expectation: the failing case expects the finding at the wrong path.
    let dir = broken_copy(
        "dpo-mailbox-domain.yaml",
        "    expect: [dpo.email]",
        "    expect: [dpo]",
    );
    let (code, out, _) = run(seloste().args(["rules", "test"]).arg(dir.path()));
    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains("test acme/dpo-mailbox-domain :: a personal mailbox elsewhere ... FAILED"),
        "{out}"
    );
    assert!(
        out.contains("expected: [\"dpo\"]\n    actual:   [\"dpo.email\"]"),
        "{out}"
    );
    assert!(
        out.contains("test result: FAILED. 10 passed; 1 failed"),
        "{out}"
    );

    // A wrong rule: without `lowerAscii()`, an upper-case address is reported.
    let dir = broken_copy(
        "dpo-mailbox-domain.yaml",
        "register.dpo.email.lowerAscii().endsWith",
        "register.dpo.email.endsWith",
    );
    let (code, out, _) = run(seloste().args(["rules", "test"]).arg(dir.path()));
    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains("test acme/dpo-mailbox-domain :: upper case is the same address ... FAILED"),
        "{out}"
    );

    // A rule that does not load is exit 2, with the diagnostic into the rule file.
    let dir = broken_copy(
        "processor-in-eea.yaml",
        "at: \"recipients[{{index}}].country\"",
        "at: \"recipients[{{index}}].contry\"",
    );
    let (code, out, err) = run(seloste().args(["rules", "test"]).arg(dir.path()));
    assert_eq!(code, 2, "{out}{err}");
    assert!(err.contains("processor-in-eea.yaml"), "{err}");
}

fn lint_repo(extra: &[&str]) -> (i32, String, String) {
    run(seloste()
        .current_dir(Path::new(env!("CARGO_MANIFEST_DIR")).join(REPO))
        .arg("lint")
        .args(extra))
}

#[test]
fn the_example_repository_lints_clean_with_its_config() {
    let (code, out, err) = lint_repo(&[]);
    assert_eq!(code, 0, "{out}{err}");
    assert_eq!(out, "no problems in 1 file, 2 suppressed\n");
    // The suppressed findings are in SARIF, with their reasons.
    let (code, out, _) = lint_repo(&["--format", "sarif"]);
    assert_eq!(code, 0);
    let sarif: serde_json::Value = serde_json::from_str(&out).expect("sarif");
    let mut silenced: Vec<(String, String)> = sarif["runs"][0]["results"]
        .as_array()
        .expect("results")
        .iter()
        .map(|r| {
            (
                r["ruleId"].as_str().unwrap_or("").to_owned(),
                r["suppressions"][0]["justification"]
                    .as_str()
                    .unwrap_or("")
                    .to_owned(),
            )
        })
        .collect();
    silenced.sort();
    assert_eq!(
        silenced,
        [
            (
                "acme/dpo-mailbox-domain".to_owned(),
                "the group DPO's mailbox stays on the group's domain until 2027".to_owned()
            ),
            (
                "acme/purpose-owner-unit".to_owned(),
                "the board owns it, not a unit".to_owned()
            ),
        ]
    );
}

#[test]
fn the_example_config_changes_what_the_pack_reports() {
    // Without the config's `approved: [CH]`, the Swiss processor is an error.
    let dir = tempfile::tempdir().expect("tempdir");
    let config = fs::read_to_string(format!("{REPO}/.seloste.yaml")).expect("config");
    let pack = fs::canonicalize(PACK).expect("pack");
    let edited = config
        .replace("  acme/processor-in-eea: {options: {approved: [CH]}}\n", "")
        .replace(
            "rule_dirs: [../acme]",
            &format!("rule_dirs: [\"{}\"]", pack.display()),
        );
    assert_ne!(edited, config);
    fs::write(dir.path().join(".seloste.yaml"), edited).expect("write");
    fs::create_dir(dir.path().join("registers")).expect("mkdir");
    let register = fs::read_to_string(format!("{REPO}/registers/customers.yaml")).expect("read");
    fs::write(dir.path().join("registers/customers.yaml"), &register).expect("write");
    let (code, out, _) = run(seloste()
        .current_dir(dir.path())
        .args(["lint", "--format", "short"]));
    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains("error[acme/processor-in-eea] Processor 'Helvetia Backup AG' is in CH"),
        "{out}"
    );

    // Without the suppression, a purpose without an owner unit is an error (the config raises the
    // rule's severity), and a warning under `registers/drafts/` (the override).
    let config = config.replace(
        "rule_dirs: [../acme]",
        &format!("rule_dirs: [\"{}\"]", pack.display()),
    );
    fs::write(dir.path().join(".seloste.yaml"), config).expect("write");
    let unsuppressed = register.replace(
        "  # seloste: allow acme/purpose-owner-unit -- the board owns it, not a unit\n",
        "\n",
    );
    assert_ne!(
        unsuppressed, register,
        "the register changed: update this test"
    );
    fs::create_dir(dir.path().join("registers/drafts")).expect("mkdir");
    fs::write(dir.path().join("registers/customers.yaml"), &unsuppressed).expect("write");
    fs::write(
        dir.path().join("registers/drafts/draft.yaml"),
        &unsuppressed,
    )
    .expect("write");
    let (_, out, _) = run(seloste()
        .current_dir(dir.path())
        .args(["lint", "--format", "short"]));
    assert!(
        out.contains("registers/customers.yaml:")
            && out.contains("error[acme/purpose-owner-unit] Purpose 'group-reporting'"),
        "{out}"
    );
    assert!(
        out.contains("registers/drafts/draft.yaml:")
            && out.contains("warning[acme/purpose-owner-unit] Purpose 'group-reporting'"),
        "{out}"
    );
}

#[test]
fn the_example_registers_are_clean_with_the_built_in_packs() {
    // `_base.yaml` is a register too: the pack's tests start from a valid one.
    let (code, out, err) = run(seloste().args(["lint", "--no-config", "examples/acme/_base.yaml"]));
    assert_eq!(code, 0, "{out}{err}");
    assert_eq!(out, "no problems in 1 file\n");
    let (code, out, err) = run(seloste().args([
        "lint",
        "--no-config",
        "--rules",
        PACK,
        "examples/acme/_base.yaml",
    ]));
    assert_eq!(code, 0, "{out}{err}");
    assert_eq!(out, "no problems in 1 file\n");
}
