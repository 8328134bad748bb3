//! The output formats (`--format short|json|sarif|github|junit|gitlab|markdown|human`) and `--output FILE`:
//! one snapshot per format (the binary wires it up; each format's layout is pinned by the
//! emitters' unit tests, src/report/tests.rs), SARIF validated against the OASIS schema, escaping
//! of GitHub workflow commands and JUnit XML, UTF-16 columns, stable fingerprints, atomic writes.

mod common;

use std::fs;
use std::path::Path;

use common::{run, seloste};

const FORMATS: [&str; 8] = [
    "human", "short", "json", "sarif", "github", "junit", "gitlab", "markdown",
];

/// `exit`, stdout and stderr of one run, in one text for a snapshot; the crate version (SARIF's
/// `tool.driver.version`) is redacted so that a release does not change the snapshots.
fn transcript(code: i32, out: &str, err: &str) -> String {
    let version = format!("\"{}\"", env!("CARGO_PKG_VERSION"));
    let out = out.replace(&version, "\"[VERSION]\"");
    format!("exit: {code}\n--- stdout\n{out}--- stderr\n{err}")
}

/// Each format from the command line: exit code, stdout and stderr (the summary line of `short`
/// and `github`). Acme's pack stands in for the built-in rules, so that no built-in rule's
/// wording is in these snapshots, on a register it passes and one it does not.
#[test]
fn every_format_is_wired_up() {
    for format in FORMATS {
        let (code, out, err) = run(seloste().args([
            "lint",
            "--format",
            format,
            "--no-builtin",
            "--rules",
            "examples/acme",
            "examples/acme/_base.yaml",
            "fixtures/valid/company.yaml",
        ]));
        insta::assert_snapshot!(format!("wired.{format}"), transcript(code, &out, &err));
    }
}

fn sarif_validator() -> jsonschema::Validator {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/schemas/sarif-schema-2.1.0.json"
    );
    let text = fs::read_to_string(path).expect("schema file");
    let schema: serde_json::Value = serde_json::from_str(&text).expect("schema parses");
    jsonschema::draft4::options()
        .should_validate_formats(true)
        .build(&schema)
        .expect("schema compiles")
}

fn assert_valid_sarif(validator: &jsonschema::Validator, sarif: &serde_json::Value, what: &str) {
    let errors: Vec<String> = validator
        .iter_errors(sarif)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "{what}: {errors:#?}");
}

fn sarif_of(args: &[&str]) -> serde_json::Value {
    let (code, out, err) = run(seloste().args(["lint", "--format", "sarif"]).args(args));
    assert!(code == 0 || code == 1, "{args:?}: exit {code}: {err}");
    serde_json::from_str(&out).expect("sarif parses")
}

#[test]
fn sarif_is_valid_against_the_oasis_schema() {
    let validator = sarif_validator();
    // The schema is not vacuous: a log without `runs` fails it.
    assert!(!validator.is_valid(&serde_json::json!({"version": "2.1.0"})));
    for dir in ["fixtures/seeds", "fixtures/valid"] {
        let sarif = sarif_of(&[dir]);
        assert_valid_sarif(&validator, &sarif, dir);
    }
    // An unreadable path becomes a notification of an unsuccessful invocation, still valid.
    let (code, out, _) =
        run(seloste().args(["lint", "--format", "sarif", "fixtures/valid", "no/such/dir"]));
    assert_eq!(code, 2);
    let sarif: serde_json::Value = serde_json::from_str(&out).expect("sarif parses");
    assert_valid_sarif(&validator, &sarif, "with an error");
    let invocation = &sarif["runs"][0]["invocations"][0];
    assert_eq!(invocation["executionSuccessful"], false);
    assert_eq!(
        invocation["toolExecutionNotifications"][0]["level"],
        "error"
    );
}

#[test]
fn sarif_rules_describe_every_result() {
    let sarif = sarif_of(&["fixtures/seeds"]);
    let run0 = &sarif["runs"][0];
    assert_eq!(run0["columnKind"], "utf16CodeUnits");
    let rules = run0["tool"]["driver"]["rules"].as_array().expect("rules");
    let results = run0["results"].as_array().expect("results");
    assert!(!results.is_empty());
    for r in results {
        let i = r["ruleIndex"].as_u64().expect("ruleIndex") as usize;
        assert_eq!(rules[i]["id"], r["ruleId"], "{r:#}");
        assert!(["error", "warning", "note"].contains(&r["level"].as_str().unwrap_or("")));
        let uri = r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
            .as_str()
            .expect("uri");
        assert!(uri.starts_with("fixtures/seeds/"), "{uri}");
    }
    for rule in rules {
        assert!(rule["shortDescription"]["text"].is_string(), "{rule:#}");
        assert!(rule["fullDescription"]["text"].is_string(), "{rule:#}");
        assert!(rule["help"]["text"].is_string(), "{rule:#}");
        let uri = rule["helpUri"].as_str().expect("helpUri");
        assert!(uri.contains("/docs/"), "{uri}");
    }
    // Built-in checks are rules too: a broken register yields a `seloste/*` descriptor.
    let dir = tempfile::tempdir().expect("tempdir");
    let file = dir.path().join("broken.yaml");
    fs::write(&file, "seloste: 1\nid: x\nnmae: typo\nid: y\n").expect("write");
    let sarif = sarif_of(&[file.to_str().expect("utf-8 path")]);
    let rules = sarif["runs"][0]["tool"]["driver"]["rules"]
        .as_array()
        .expect("rules");
    let unknown = rules
        .iter()
        .find(|r| r["id"] == "seloste/unknown-key")
        .expect("a descriptor for seloste/unknown-key");
    assert!(
        unknown["helpUri"]
            .as_str()
            .is_some_and(|u| u.ends_with("docs/output.md#built-in-check-ids"))
    );
    let duplicate = sarif["runs"][0]["results"]
        .as_array()
        .expect("results")
        .iter()
        .find(|r| r["ruleId"] == "seloste/duplicate-key")
        .expect("a duplicate-key result");
    let related = &duplicate["relatedLocations"][0];
    assert_eq!(related["message"]["text"], "first defined here");
    assert_eq!(related["physicalLocation"]["region"]["startLine"], 2);
    assert_valid_sarif(&sarif_validator(), &sarif, "broken register");
}

/// A rule that always fires, with every character the formats must escape in its message.
const ESCAPES_RULE: &str = r#"id: acme/escapes
title: {en: "Escapes: 100%, really"}
severity: warning
check: "false"
at: legal_references[1]
message:
  en: |-
    50% done: a, b <c> & "d"
    second line
help: {en: "fix: it, now"}
tests:
  - name: always
    register: {}
    expect: ["legal_references[1]"]
"#;

/// A register named `reg,1:a.yaml` (a `,` and a `:` for property escaping) whose second legal
/// reference stands after a flag emoji (2 characters, 4 UTF-16 code units).
fn escapes_setup() -> (tempfile::TempDir, Vec<String>) {
    let dir = tempfile::tempdir().expect("tempdir");
    let rules = dir.path().join("rules");
    fs::create_dir(&rules).expect("mkdir");
    fs::write(rules.join("escapes.yaml"), ESCAPES_RULE).expect("write rule");
    let base = fs::read_to_string("fixtures/valid/company.yaml").expect("read");
    let register = base.replace(
        "legal_references:\n  - EU 2016/679\n  - Tietosuojalaki 1050/2018\n  - Kirjanpitolaki 1336/1997\n",
        "legal_references: [\"EU 2016/679 🇪🇺\", \"Tietosuojalaki 1050/2018\", \"Kirjanpitolaki 1336/1997\"]\n",
    );
    assert_ne!(register, base, "the fixture changed: update this test");
    fs::write(dir.path().join("reg,1:a.yaml"), register).expect("write register");
    let args = ["--no-builtin", "--rules", "rules", "reg,1:a.yaml"]
        .map(str::to_owned)
        .to_vec();
    (dir, args)
}

fn lint_in(dir: &Path, format: &str, args: &[String]) -> (i32, String, String) {
    run(seloste()
        .current_dir(dir)
        .args(["lint", "--format", format])
        .args(args))
}

#[test]
fn github_commands_escape_messages_and_properties() {
    let (dir, args) = escapes_setup();
    let (code, out, err) = lint_in(dir.path(), "github", &args);
    assert_eq!(code, 0, "{err}");
    assert_eq!(
        out,
        "::warning file=reg%2C1%3Aa.yaml,line=14,col=38,endLine=14,endColumn=64,\
         title=warning[acme/escapes]::50%25 done: a, b <c> & \"d\"%0Asecond line%0Ahelp: fix: it, now\n"
    );
    assert_eq!(err, "0 errors, 1 warning in 1 file (1 checked)\n");
}

#[test]
fn short_junit_and_sarif_escape_the_same_message() {
    let (dir, args) = escapes_setup();
    let (_, short, _) = lint_in(dir.path(), "short", &args);
    assert_eq!(
        short,
        "reg,1:a.yaml:14:38: warning[acme/escapes] 50% done: a, b <c> & \"d\" second line\n"
    );
    let (_, junit, _) = lint_in(dir.path(), "junit", &args);
    assert!(
        junit.contains(
            "<failure message=\"50% done: a, b &lt;c&gt; &amp; &quot;d&quot;&#10;second line\" \
             type=\"warning[acme/escapes]\">reg,1:a.yaml:14:38: warning[acme/escapes] 50% done: a, \
             b &lt;c&gt; &amp; \"d\" second line\nhelp: fix: it, now</failure>"
        ),
        "{junit}"
    );
    let (_, sarif, _) = lint_in(dir.path(), "sarif", &args);
    let sarif: serde_json::Value = serde_json::from_str(&sarif).expect("sarif parses");
    assert_valid_sarif(&sarif_validator(), &sarif, "escapes");
    let result = &sarif["runs"][0]["results"][0];
    assert_eq!(
        result["message"]["text"],
        "50% done: a, b <c> & \"d\"\nsecond line\n\nhelp: fix: it, now"
    );
    let location = &result["locations"][0]["physicalLocation"];
    assert_eq!(location["artifactLocation"]["uri"], "reg,1%3Aa.yaml");
    // Characters: column 38; UTF-16 code units: the flag's two regional indicators count twice.
    let region = &location["region"];
    assert_eq!(region["startLine"], 14);
    assert_eq!(region["startColumn"], 40);
    assert_eq!(region["endColumn"], 66);
    let rule = &sarif["runs"][0]["tool"]["driver"]["rules"][0];
    assert_eq!(rule["shortDescription"]["text"], "Escapes: 100%, really");
    assert_eq!(rule["name"], "AcmeEscapes");
}

#[test]
fn junit_has_a_passing_test_case_for_every_clean_file() {
    let (code, out, _) = run(seloste().args(["lint", "--format", "junit", "fixtures/valid"]));
    assert_eq!(code, 0);
    assert_eq!(out.matches("<testcase ").count(), 4, "{out}");
    assert!(!out.contains("<failure"), "{out}");
    assert!(out.contains("tests=\"4\" failures=\"0\""), "{out}");
}

/// The `partialFingerprints` of every result of one file, in order.
fn fingerprints(path: &Path) -> (Vec<String>, Vec<u64>) {
    let sarif = sarif_of(&[path.to_str().expect("utf-8 path")]);
    let results = sarif["runs"][0]["results"].as_array().expect("results");
    let fps = results
        .iter()
        .map(|r| r["partialFingerprints"]["selosteFinding/v1"].to_string())
        .collect();
    let lines = results
        .iter()
        .map(|r| r["locations"][0]["physicalLocation"]["region"]["startLine"].as_u64())
        .map(|l| l.expect("startLine"))
        .collect();
    (fps, lines)
}

#[test]
fn fingerprints_survive_moved_lines() {
    let dir = tempfile::tempdir().expect("tempdir");
    let file = dir.path().join("register.yaml");
    let seed = fs::read_to_string("fixtures/seeds/001-kainuu-te-webropol.yaml").expect("read");
    fs::write(&file, &seed).expect("write");
    let (before, lines_before) = fingerprints(&file);
    fs::write(&file, format!("# a new comment\n\n\n{seed}")).expect("write");
    let (after, lines_after) = fingerprints(&file);
    assert!(!before.is_empty());
    assert_eq!(before, after);
    assert_ne!(lines_before, lines_after);
    let unique: std::collections::BTreeSet<&String> = before.iter().collect();
    assert_eq!(
        unique.len(),
        before.len(),
        "fingerprints are unique per file"
    );
}

#[test]
fn output_file_gets_the_report_and_stdout_stays_empty() {
    let dir = tempfile::tempdir().expect("tempdir");
    let target = dir.path().join("seloste.sarif");
    let (code, out, err) = run(seloste()
        .args(["lint", "--format", "sarif", "fixtures/seeds", "--output"])
        .arg(&target));
    assert_eq!(code, 1, "the exit code still reflects the findings: {err}");
    assert_eq!(out, "");
    assert_eq!(err, "");
    let written = fs::read_to_string(&target).expect("output written");
    let (_, direct, _) = run(seloste().args(["lint", "--format", "sarif", "fixtures/seeds"]));
    assert_eq!(written, direct);
    // Nothing but the output is left in the directory (no temporary file).
    let entries: Vec<_> = fs::read_dir(dir.path())
        .expect("read dir")
        .filter_map(Result::ok)
        .map(|e| e.file_name())
        .collect();
    assert_eq!(entries, vec![std::ffi::OsString::from("seloste.sarif")]);
    // A second run replaces the file.
    let (code, _, _) = run(seloste()
        .args(["lint", "--format", "short", "fixtures/valid", "-o"])
        .arg(&target));
    assert_eq!(code, 0);
    assert_eq!(fs::read_to_string(&target).expect("read"), "");
}

#[test]
fn an_unwritable_output_is_exit_2_with_a_message() {
    let dir = tempfile::tempdir().expect("tempdir");
    let target = dir.path().join("missing-dir").join("out.json");
    let (code, out, err) = run(seloste()
        .args(["lint", "--format", "json", "fixtures/valid", "--output"])
        .arg(&target));
    assert_eq!(code, 2, "{err}");
    assert_eq!(out, "");
    assert!(
        err.starts_with("error: cannot write the output to ") && err.contains("missing-dir"),
        "{err}"
    );
    // A directory cannot be replaced by the output either.
    let (code, _, err) = run(seloste()
        .args(["lint", "--format", "json", "fixtures/valid", "--output"])
        .arg(dir.path()));
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("cannot write the output"), "{err}");
}

/// Seed 001 with three suppressions: file-wide with a reason, on the line with a reason, and one
/// above the line without a reason (a `seloste/allow-reason` error that silences nothing).
fn suppressed_seed(seed: &str) -> String {
    let text = seed
        .replacen(
            "seloste: 1\n",
            "# seloste: allow-file gdpr/automated-decisions -- decided in the DPIA of 2026-01\nseloste: 1\n",
            1,
        )
        .replace(
            "rights: [access, rectification]",
            "rights: [access, rectification]  # seloste: allow gdpr/rights-listed -- restriction is handled by the state registry",
        )
        .replace(
            "purposes:\n  - id: event-registration\n",
            "purposes:\n  # seloste: allow gdpr/purpose-legal-basis\n  - id: event-registration\n",
        );
    assert_eq!(
        text.matches("# seloste: allow").count(),
        3,
        "the seed changed"
    );
    text
}

#[test]
fn sarif_has_suppressed_results_with_their_reason() {
    let dir = tempfile::tempdir().expect("tempdir");
    let seed = fs::read_to_string("fixtures/seeds/001-kainuu-te-webropol.yaml").expect("read");
    let reg = dir.path().join("reg.yaml");
    fs::write(&reg, &seed).expect("write");
    let args = ["reg.yaml".to_owned()];
    let (_, before, _) = lint_in(dir.path(), "sarif", &args);
    let before: serde_json::Value = serde_json::from_str(&before).expect("sarif parses");
    fs::write(&reg, suppressed_seed(&seed)).expect("write");
    let (code, after, err) = lint_in(dir.path(), "sarif", &args);
    assert_eq!(code, 1, "{err}");
    let log: serde_json::Value = serde_json::from_str(&after).expect("sarif parses");
    assert_valid_sarif(&sarif_validator(), &log, "suppressions");

    let results = |log: &serde_json::Value| log["runs"][0]["results"].as_array().cloned();
    let (before, after) = (
        results(&before).expect("results"),
        results(&log).expect("results"),
    );
    let suppressed: Vec<&serde_json::Value> = after
        .iter()
        .filter(|r| r.get("suppressions").is_some())
        .collect();
    let rules: Vec<&str> = suppressed
        .iter()
        .map(|r| r["ruleId"].as_str().unwrap_or(""))
        .collect();
    assert_eq!(rules, ["gdpr/automated-decisions", "gdpr/rights-listed"]);
    // Every finding of the plain run is still a result, with the same fingerprint; the run with
    // suppressions adds only the error about the suppression without a reason.
    let print = |r: &serde_json::Value| {
        (
            r["ruleId"].as_str().unwrap_or("").to_owned(),
            r["partialFingerprints"]["selosteFinding/v1"].to_string(),
        )
    };
    let mut plain: Vec<_> = before.iter().map(print).collect();
    let mut with: Vec<_> = after
        .iter()
        .filter(|r| r["ruleId"] != "seloste/allow-reason")
        .map(print)
        .collect();
    plain.sort();
    with.sort();
    assert_eq!(plain, with);
    assert_eq!(after.len(), before.len() + 1);
    // The rules of suppressed results are described like any other, and `ruleIndex` finds them.
    let descriptors = log["runs"][0]["tool"]["driver"]["rules"]
        .as_array()
        .expect("rules");
    for r in &suppressed {
        let i = r["ruleIndex"].as_u64().expect("ruleIndex") as usize;
        assert_eq!(descriptors[i]["id"], r["ruleId"]);
    }
    insta::assert_json_snapshot!("sarif_suppressed_results", suppressed);
}

fn gitlab_of(args: &[&str]) -> serde_json::Value {
    let (code, out, err) = run(seloste().args(["lint", "--format", "gitlab"]).args(args));
    assert!(code == 0 || code == 1, "{args:?}: exit {code}: {err}");
    serde_json::from_str(&out).expect("gitlab report parses")
}

#[test]
fn gitlab_reports_have_the_documented_fields_and_the_sarif_fingerprints() {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/schemas/gitlab-code-quality.json"
    );
    let schema: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(path).expect("schema file")).expect("schema");
    let validator = jsonschema::validator_for(&schema).expect("schema compiles");
    for dir in [
        "fixtures/seeds",
        "fixtures/valid",
        "examples/acme-repo/registers",
    ] {
        let report = gitlab_of(&[dir]);
        let errors: Vec<String> = validator
            .iter_errors(&report)
            .map(|e| format!("{} at {}", e, e.instance_path()))
            .collect();
        assert!(errors.is_empty(), "{dir}: {errors:#?}");
        let prints: Vec<&str> = report
            .as_array()
            .expect("array")
            .iter()
            .map(|i| i["fingerprint"].as_str().expect("fingerprint"))
            .collect();
        let unique: std::collections::BTreeSet<&&str> = prints.iter().collect();
        assert_eq!(unique.len(), prints.len(), "{dir}: fingerprints are unique");
    }
    // The same finding has the same fingerprint in both reports (code scanning and GitLab
    // follow one issue the same way), and suppressed findings are not GitLab issues.
    let sarif = sarif_of(&["fixtures/seeds"]);
    let sarif_prints: std::collections::BTreeSet<String> = sarif["runs"][0]["results"]
        .as_array()
        .expect("results")
        .iter()
        .filter(|r| r.get("suppressions").is_none())
        .map(|r| {
            r["partialFingerprints"]["selosteFinding/v1"]
                .as_str()
                .expect("fp")
                .to_owned()
        })
        .collect();
    let gitlab_prints: std::collections::BTreeSet<String> = gitlab_of(&["fixtures/seeds"])
        .as_array()
        .expect("array")
        .iter()
        .map(|i| i["fingerprint"].as_str().expect("fp").to_owned())
        .collect();
    assert_eq!(sarif_prints, gitlab_prints);
}

#[test]
fn gitlab_paths_are_relative_to_the_project_directory() {
    let root = std::env::current_dir().expect("cwd");
    let abs = root.join("fixtures/seeds/001-kainuu-te-webropol.yaml");
    let (_, out, _) = run(seloste()
        .env("CI_PROJECT_DIR", &root)
        .args(["lint", "--format", "gitlab"])
        .arg(&abs));
    let report: serde_json::Value = serde_json::from_str(&out).expect("parses");
    assert_eq!(
        report[0]["location"]["path"],
        "fixtures/seeds/001-kainuu-te-webropol.yaml"
    );
}

#[test]
fn markdown_summary_lists_at_most_a_thousand_findings_but_counts_all() {
    let dir = tempfile::tempdir().expect("tempdir");
    let seed = fs::read_to_string("fixtures/seeds/001-kainuu-te-webropol.yaml").expect("read");
    for i in 0..150 {
        let text = seed.replace("id: ", &format!("id: x{i}-"));
        fs::write(dir.path().join(format!("r{i}.yaml")), text).expect("write");
    }
    let (code, out, _) = run(seloste()
        .args(["lint", "--format", "markdown"])
        .arg(dir.path()));
    assert_eq!(code, 1);
    let rows = out
        .lines()
        .filter(|l| l.starts_with("| ") && l.contains(".yaml |"))
        .count();
    assert_eq!(rows, 1000, "{out}");
    assert!(out.contains("more findings are not listed here"), "{out}");
}

/// `--output` onto what is no regular file: a FIFO (as `/dev/null` or `/dev/stdout` are devices)
/// is written to, not replaced by a regular file; a symbolic link keeps pointing at its target,
/// which gets the output. (Renaming a temporary file over `/dev/null` replaced the device.)
#[cfg(unix)]
#[test]
fn output_to_a_device_or_a_link_writes_through_it() {
    use std::os::unix::fs::FileTypeExt;
    let dir = tempfile::tempdir().expect("tempdir");
    let fifo = dir.path().join("pipe");
    let made = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .expect("mkfifo runs");
    assert!(made.success());
    let reader = {
        let fifo = fifo.clone();
        std::thread::spawn(move || fs::read_to_string(fifo).expect("read the fifo"))
    };
    let (code, out, err) = run(seloste()
        .args(["lint", "--format", "short", "--output"])
        .arg(&fifo)
        .arg("fixtures/seeds/001-kainuu-te-webropol.yaml"));
    assert_eq!(code, 1, "{err}");
    assert!(out.is_empty());
    let piped = reader.join().expect("reader");
    assert!(piped.contains("error[gdpr/dpo-contact]"), "{piped}");
    let kind = fs::symlink_metadata(&fifo)
        .expect("still there")
        .file_type();
    assert!(kind.is_fifo(), "the FIFO was replaced: {kind:?}");

    let target = dir.path().join("report.json");
    fs::write(&target, "old").expect("write");
    let link = dir.path().join("link.json");
    std::os::unix::fs::symlink(&target, &link).expect("symlink");
    let (code, _, err) = run(seloste()
        .args(["lint", "--format", "json", "--output"])
        .arg(&link)
        .arg("fixtures/valid"));
    assert_eq!(code, 0, "{err}");
    assert!(
        fs::symlink_metadata(&link)
            .expect("link")
            .file_type()
            .is_symlink()
    );
    assert_eq!(fs::read_to_string(&target).expect("target"), "[]\n");
}
