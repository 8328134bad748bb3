//! The baseline (issue 15, part 3): `lint --write-baseline FILE` records the findings of a run,
//! `lint --baseline FILE` (or `baseline:` in `.seloste.yaml`) hides them and fails only on new
//! ones, stale entries are infos that `--prune-baseline` removes, and a baseline that cannot be
//! used is exit 2 naming it. Every test runs the real binary in a temporary tree holding seed 001
//! (11 findings: 5 errors, 3 warnings, 3 infos).

mod common;

use std::fs;
use std::path::Path;

use common::{fixture_text, run, seloste};

const SEED: &str = "fixtures/seeds/001-kainuu-te-webropol.yaml";
const REGISTER: &str = "registers/kainuu.yaml";
/// The line of seed 001 that `fi/repealed-personal-data-act` flags.
const CITATION: &str = r#"legal_references: ["henkilötietolaki (523/1999) 10 ja 24§"]"#;

/// A temporary tree with seed 001 at `REGISTER`.
fn tree() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    write(dir.path(), REGISTER, &fixture_text(SEED));
    dir
}

fn write(dir: &Path, path: &str, text: &str) {
    let path = dir.join(path);
    fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
    fs::write(path, text).expect("write");
}

fn read(dir: &Path, path: &str) -> String {
    fs::read_to_string(dir.join(path)).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// Replaces `from` by `to` in the register (which must contain it).
fn edit(dir: &Path, from: &str, to: &str) {
    let text = read(dir, REGISTER);
    assert!(text.contains(from), "the register has no {from:?}");
    write(dir, REGISTER, &text.replacen(from, to, 1));
}

/// `seloste lint ARGS` in `dir`: exit code, stdout, stderr.
fn lint(dir: &Path, args: &[&str]) -> (i32, String, String) {
    run(seloste().current_dir(dir).arg("lint").args(args))
}

/// The transcript of a run, for a snapshot.
fn transcript((code, out, err): (i32, String, String)) -> String {
    format!("exit {code}\n--- stdout\n{out}--- stderr\n{err}")
}

/// Writes `baseline.json` at the root of the tree for the registers, asserting the run is clean.
fn record(dir: &Path) {
    let (code, out, err) = lint(dir, &["--write-baseline", "baseline.json", "registers"]);
    assert_eq!(code, 0, "{out}{err}");
}

#[test]
fn a_written_baseline_hides_every_finding_of_the_run() {
    let dir = tree();
    let d = dir.path();
    let written = lint(d, &["--write-baseline", "baseline.json", "registers"]);
    insta::assert_snapshot!("write", transcript(written));
    insta::assert_snapshot!("file", read(d, "baseline.json"));
    let read_back = lint(d, &["--baseline", "baseline.json", "registers"]);
    insta::assert_snapshot!("read", transcript(read_back));
    // Written again over the same findings: the same bytes (sorted, newline at the end).
    let first = read(d, "baseline.json");
    record(d);
    assert_eq!(read(d, "baseline.json"), first);
    assert!(first.ends_with("}\n"));
}

#[test]
fn a_new_finding_fails_the_run_and_is_the_only_one_shown() {
    let dir = tree();
    let d = dir.path();
    record(d);
    // A second citation of the repealed act: a new finding of a rule the baseline has already.
    edit(
        d,
        CITATION,
        r#"legal_references: ["henkilötietolaki (523/1999) 10 ja 24§", "henkilötietolaki (523/1999) 8 §"]"#,
    );
    let new = lint(
        d,
        &[
            "--baseline",
            "baseline.json",
            "--format",
            "short",
            "registers",
        ],
    );
    insta::assert_snapshot!("new_finding", transcript(new));
}

#[test]
fn an_edit_elsewhere_in_the_file_keeps_every_entry_matching() {
    let dir = tree();
    let d = dir.path();
    record(d);
    // Lines moved (a comment block on top), a field added, another reworded: no finding changes.
    let text = read(d, REGISTER);
    write(
        d,
        REGISTER,
        &format!("# Reviewed 2026-12-06.\n# Owner: tietosuoja@example.fi\n\n{text}"),
    );
    edit(
        d,
        "address: Kalliokatu 4, 87100 Kajaani",
        "address: Kalliokatu 4 B, 87100 Kajaani",
    );
    edit(
        d,
        "  - Kainuun TE-toimiston järjestämiin tilaisuuksiin tai palveluihin ilmoittautuneet\n",
        "  - Kainuun TE-toimiston järjestämiin tilaisuuksiin tai palveluihin ilmoittautuneet\n  - Tilaisuuksien puhujat\n",
    );
    let (code, out, err) = lint(d, &["--baseline", "baseline.json", "registers"]);
    assert_eq!(code, 0, "{out}{err}");
    assert_eq!(
        out.trim_end(),
        "no problems in 1 file, 11 hidden by the baseline"
    );
}

#[test]
fn a_fixed_finding_is_a_stale_entry_until_pruned() {
    let dir = tree();
    let d = dir.path();
    record(d);
    let before = read(d, "baseline.json");
    edit(d, &format!("{CITATION}\n"), "");
    let stale = lint(
        d,
        &[
            "--baseline",
            "baseline.json",
            "--format",
            "short",
            "registers",
        ],
    );
    insta::assert_snapshot!("stale", transcript(stale));
    // The stale entry is an info with its help in the human output too.
    let (code, out, _) = lint(d, &["--baseline", "baseline.json", "registers"]);
    assert_eq!(code, 0);
    assert!(out.contains("info[seloste/baseline-stale]"), "{out}");
    assert!(out.contains("--prune-baseline"), "{out}");

    let pruned = lint(
        d,
        &[
            "--baseline",
            "baseline.json",
            "--prune-baseline",
            "registers",
        ],
    );
    insta::assert_snapshot!("pruned", transcript(pruned));
    let after = read(d, "baseline.json");
    let removed: Vec<&str> = before.lines().filter(|l| !after.contains(l)).collect();
    assert_eq!(removed.len(), 1, "{removed:?}");
    assert!(removed[0].contains("fi/repealed-personal-data-act"));
    // Nothing stale is left, and nothing new was added.
    let (code, out, err) = lint(d, &["--baseline", "baseline.json", "registers"]);
    assert_eq!((code, err.as_str()), (0, ""));
    assert_eq!(
        out.trim_end(),
        "no problems in 1 file, 10 hidden by the baseline"
    );
}

#[test]
fn pruning_adds_no_new_finding_and_keeps_the_entries_of_files_not_checked() {
    let dir = tree();
    let d = dir.path();
    write(
        d,
        "registers/other.yaml",
        &fixture_text(SEED).replace("kainuu-te-webropol-ilmoittautuminen", "other"),
    );
    record(d);
    let before = read(d, "baseline.json");
    edit(
        d,
        CITATION,
        r#"legal_references: ["henkilötietolaki (523/1999) 10 ja 24§", "henkilötietolaki (523/1999) 8 §"]"#,
    );
    let (code, _, err) = lint(
        d,
        &["--baseline", "baseline.json", "--prune-baseline", REGISTER],
    );
    assert_eq!(code, 1, "the new finding still fails the run: {err}");
    assert_eq!(
        err, "baseline.json: stale entries removed: 0, kept: 22\n",
        "other.yaml was not checked: its entries stay"
    );
    assert_eq!(read(d, "baseline.json"), before);
}

#[test]
fn entries_of_a_deleted_register_are_named_and_pruned() {
    let dir = tree();
    let d = dir.path();
    write(
        d,
        "registers/old.yaml",
        &fixture_text(SEED).replace("kainuu-te-webropol-ilmoittautuminen", "old"),
    );
    record(d);
    fs::remove_file(d.join("registers/old.yaml")).expect("rm");
    let (code, _, err) = lint(d, &["--baseline", "baseline.json", "registers"]);
    assert_eq!(code, 0);
    assert_eq!(
        err,
        "baseline.json: entries for files that no longer exist (registers/old.yaml): 11; \
         `seloste lint --prune-baseline` removes them\n"
    );
    let (code, _, err) = lint(
        d,
        &[
            "--baseline",
            "baseline.json",
            "--prune-baseline",
            "registers",
        ],
    );
    assert_eq!(
        (code, err.as_str()),
        (0, "baseline.json: stale entries removed: 11, kept: 11\n")
    );
    assert!(!read(d, "baseline.json").contains("old.yaml"));
}

#[test]
fn the_config_names_the_baseline_relative_to_itself() {
    let dir = tree();
    let d = dir.path();
    write(d, ".seloste.yaml", "baseline: ci/seloste-baseline.json\n");
    // The baseline's directory must exist (as for --output).
    fs::create_dir_all(d.join("ci")).expect("mkdir");
    let (code, _, err) = lint(d, &["--write-baseline", "ci/seloste-baseline.json", "."]);
    assert_eq!(code, 0, "{err}");
    // Relative to the baseline's directory.
    assert!(read(d, "ci/seloste-baseline.json").contains(r#""path":"../registers/kainuu.yaml""#));
    // From the root and from the registers' directory alike: the paths are the baseline's.
    for (cwd, path) in [(d.to_path_buf(), "."), (d.join("registers"), "kainuu.yaml")] {
        let (code, out, err) = lint(&cwd, &[path]);
        assert_eq!((code, err.as_str()), (0, ""), "{out}");
        assert_eq!(
            out.trim_end(),
            "no problems in 1 file, 11 hidden by the baseline"
        );
    }
    // --no-baseline shows everything again (to burn the baseline down).
    let (code, out, _) = lint(d, &["--no-baseline", "--format", "short", "."]);
    assert_eq!(code, 1);
    assert_eq!(out.lines().count(), 11);
    // A config baseline that cannot be read stops the files it governs (exit 2, named).
    write(d, "ci/seloste-baseline.json", "{\"seloste_baseline\": 1,");
    let broken = lint(d, &["."]);
    insta::assert_snapshot!("config_broken", transcript(broken));
}

#[test]
fn each_bad_baseline_is_exit_2_naming_it_and_writes_nothing() {
    let dir = tree();
    let d = dir.path();
    fs::create_dir_all(d.join("a-directory")).expect("mkdir");
    let cases = [
        (
            "malformed",
            Some(
                "{\n  \"seloste_baseline\": 1,\n  \"entries\": [\n    {\"path\": \"x\",}\n  ]\n}\n",
            ),
        ),
        ("empty", Some("")),
        (
            "version",
            Some("{\"seloste_baseline\": 2, \"entries\": []}\n"),
        ),
        ("unversioned", Some("{\"entries\": []}\n")),
        (
            "misshapen",
            Some(
                "{\"seloste_baseline\": 1, \"entries\": [{\"path\": \"x\", \"rule\": \"r\", \"count\": 1}]}\n",
            ),
        ),
        ("missing", None),
    ];
    let mut all = String::new();
    for (name, text) in cases {
        let file = format!("{name}.json");
        if let Some(text) = text {
            write(d, &file, text);
        }
        let (code, out, err) = lint(
            d,
            &["--baseline", &file, "--output", "out.txt", "registers"],
        );
        assert_eq!(code, 2, "{name}: {out}{err}");
        assert!(err.contains(&file), "{name}: {err}");
        assert!(!d.join("out.txt").exists(), "{name}: no output is written");
        all.push_str(&format!("{name}: {err}"));
    }
    let (code, _, err) = lint(d, &["--baseline", "a-directory", "registers"]);
    assert_eq!(code, 2);
    all.push_str(&format!("directory: {err}"));
    let (code, _, err) = lint(d, &["--write-baseline", "a-directory", "registers"]);
    assert_eq!(code, 2);
    all.push_str(&format!("write to a directory: {err}"));
    let (code, _, err) = lint(d, &["--write-baseline", "no/such/dir/b.json", "registers"]);
    assert_eq!(code, 2);
    all.push_str(&format!("write into a missing directory: {err}"));
    insta::assert_snapshot!("bad_inputs", all.replace('\\', "/"));
}

#[test]
fn conflicting_options_are_usage_errors() {
    let dir = tree();
    let d = dir.path();
    record(d);
    let (code, _, err) = lint(
        d,
        &[
            "--baseline",
            "baseline.json",
            "--write-baseline",
            "b2.json",
            "registers",
        ],
    );
    assert_eq!(code, 2);
    assert!(err.contains("cannot be used with"), "{err}");
    let (code, _, err) = lint(d, &["--no-config", "--prune-baseline", "registers"]);
    assert_eq!(code, 2);
    insta::assert_snapshot!("prune_without_baseline", err);
}

#[test]
fn json_flags_baselined_findings_and_sarif_suppresses_them_as_external() {
    let dir = tree();
    let d = dir.path();
    record(d);
    edit(
        d,
        CITATION,
        r#"legal_references: ["henkilötietolaki (523/1999) 10 ja 24§", "henkilötietolaki (523/1999) 8 §"]"#,
    );
    let (code, out, _) = lint(
        d,
        &[
            "--baseline",
            "baseline.json",
            "--format",
            "json",
            "registers",
        ],
    );
    assert_eq!(code, 1);
    let list: Vec<serde_json::Value> = serde_json::from_str(&out).expect("json");
    let flags: Vec<bool> = list
        .iter()
        .map(|f| {
            f["baselined"]
                .as_bool()
                .expect("a boolean on every finding")
        })
        .collect();
    assert_eq!(flags.len(), 12);
    assert_eq!(flags.iter().filter(|b| !**b).count(), 1);
    let new = list.iter().find(|f| f["baselined"] == false).expect("new");
    assert_eq!(new["rule"], "fi/repealed-personal-data-act");

    let (code, out, _) = lint(
        d,
        &[
            "--baseline",
            "baseline.json",
            "--format",
            "sarif",
            "registers",
        ],
    );
    assert_eq!(code, 1);
    let sarif: serde_json::Value = serde_json::from_str(&out).expect("sarif");
    let schema: serde_json::Value =
        serde_json::from_str(&fixture_text("tests/schemas/sarif-schema-2.1.0.json"))
            .expect("schema");
    let validator = jsonschema::draft4::options()
        .should_validate_formats(true)
        .build(&schema)
        .expect("schema compiles");
    let errors: Vec<String> = validator
        .iter_errors(&sarif)
        .map(|e| e.to_string())
        .collect();
    assert!(errors.is_empty(), "{errors:#?}");
    let results = sarif["runs"][0]["results"].as_array().expect("results");
    assert_eq!(results.len(), 12);
    let suppressed: Vec<&serde_json::Value> = results
        .iter()
        .filter_map(|r| r.get("suppressions"))
        .collect();
    assert_eq!(suppressed.len(), 11);
    assert!(suppressed.iter().all(|s| s[0]["kind"] == "external"));
    // The baseline's fingerprints are SARIF's when lint runs from the baseline's directory.
    let baseline = read(d, "baseline.json");
    for r in results.iter().filter(|r| r.get("suppressions").is_some()) {
        let fp = r["partialFingerprints"]["selosteFinding/v1"]
            .as_str()
            .expect("fp");
        assert!(baseline.contains(fp), "{fp} is not in the baseline");
    }
}

#[test]
fn the_summary_says_how_many_the_baseline_hid_in_each_language() {
    let mut all = String::new();
    for lang in ["en", "fi", "sv"] {
        let dir = tree();
        let d = dir.path();
        let (code, _, err) = lint(
            d,
            &[
                "--lang",
                lang,
                "--write-baseline",
                "baseline.json",
                "registers",
            ],
        );
        assert_eq!(code, 0, "{err}");
        all.push_str(&err);
        edit(d, &format!("{CITATION}\n"), "");
        let (_, out, err) = lint(
            d,
            &[
                "--lang",
                lang,
                "--baseline",
                "baseline.json",
                "--format",
                "short",
                "registers",
            ],
        );
        all.push_str(&out);
        all.push_str(&err);
        let (_, out, _) = lint(
            d,
            &[
                "--lang",
                lang,
                "--baseline",
                "baseline.json",
                "--format",
                "markdown",
                "registers",
            ],
        );
        all.push_str(
            out.lines()
                .find(|l| l.starts_with("**"))
                .unwrap_or("no summary"),
        );
        all.push('\n');
    }
    insta::assert_snapshot!("languages", all);
}

#[test]
fn a_baseline_of_another_message_language_is_refused() {
    // A fingerprint includes the message: linted in Finnish, no English entry could match.
    let dir = tree();
    let d = dir.path();
    record(d);
    let (code, out, err) = lint(
        d,
        &["--lang", "fi", "--baseline", "baseline.json", "registers"],
    );
    assert_eq!(code, 2, "{out}");
    insta::assert_snapshot!("other_language", err);
}

#[test]
fn explain_describes_the_stale_entry_check() {
    let (code, out, err) = run(seloste().args(["explain", "seloste/baseline-stale"]));
    assert_eq!(code, 0, "{err}");
    insta::assert_snapshot!("explain", out);
    let (code, short, _) = run(seloste().args(["explain", "baseline-stale"]));
    assert_eq!((code, short), (0, out));
}

#[test]
fn a_placeholder_is_never_baselined() {
    let dir = tree();
    let d = dir.path();
    // A `TODO` left in the register: what no comment may silence, no baseline hides either.
    edit(d, CITATION, r#"legal_references: ["TODO: the act"]"#);
    let (code, out, err) = lint(
        d,
        &[
            "--write-baseline",
            "baseline.json",
            "--format",
            "short",
            "registers",
        ],
    );
    assert_eq!(code, 1, "{out}{err}");
    assert!(!read(d, "baseline.json").contains("seloste/placeholder"));
    let (code, out, err) = lint(
        d,
        &[
            "--baseline",
            "baseline.json",
            "--format",
            "short",
            "registers",
        ],
    );
    assert_eq!(code, 1, "{out}{err}");
    let shown: Vec<&str> = out.lines().filter(|l| l.contains("error[")).collect();
    assert_eq!(shown.len(), 1, "{out}");
    assert!(shown[0].contains("seloste/placeholder"), "{out}");
}
