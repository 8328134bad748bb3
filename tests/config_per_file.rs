//! Config per file (issue 12): each file is checked with the nearest `.seloste.yaml` in its
//! directory or a parent, whatever the working directory; `--config` applies to every file and
//! `--no-config` to none; a broken config stops only the files under it. Every test runs the real
//! binary from a parent directory of the configs.

mod common;

use std::fs;
use std::path::Path;

use common::{fixture_text, run, seloste};

const SEED: &str = "fixtures/seeds/001-kainuu-te-webropol.yaml";
const RIGHTS: &str = "gdpr/rights-listed";
/// An info by default (docs/severity.md), so a config's severity for it shows.
const AUTOMATED: &str = "gdpr/automated-decisions";
const REPEALED: &str = "fi/repealed-personal-data-act";

/// A temporary tree of `(path, text)` files; `SEED` as a text is seed 001.
fn tree(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    for (path, text) in files {
        let path = dir.path().join(path);
        fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
        let text = if *text == SEED {
            fixture_text(SEED)
        } else {
            (*text).to_owned()
        };
        fs::write(path, text).expect("write");
    }
    dir
}

type Triples = Vec<(String, String, String)>;

/// Exit code, `(file, rule, severity)` of every finding, and stderr of `seloste lint --format json
/// ARGS` run in `dir`.
fn findings(dir: &Path, args: &[&str]) -> (i32, Triples, String) {
    let (code, out, err) = run(seloste()
        .current_dir(dir)
        .args(["lint", "--format", "json"])
        .args(args));
    let list: Vec<serde_json::Value> =
        serde_json::from_str(&out).unwrap_or_else(|e| panic!("{e}: {out}{err}"));
    let triples = list
        .iter()
        .map(|f| {
            let s = |k: &str| f[k].as_str().unwrap_or("").to_owned();
            (s("file"), s("rule"), s("severity"))
        })
        .collect();
    (code, triples, err)
}

/// The severity of `rule`'s finding in `file`, if it has one.
fn severity<'l>(list: &'l Triples, file: &str, rule: &str) -> Option<&'l str> {
    list.iter()
        .find(|(f, r, _)| f == file && r == rule)
        .map(|(_, _, s)| s.as_str())
}

/// The files with findings, sorted, once each.
fn files(list: &Triples) -> Vec<&str> {
    let mut files: Vec<&str> = list.iter().map(|(f, _, _)| f.as_str()).collect();
    files.dedup();
    files
}

/// `text` with the temporary directory replaced by `[DIR]`.
fn scrub(text: &str, dir: &Path) -> String {
    let canonical = fs::canonicalize(dir).expect("canonical");
    text.replace(&canonical.display().to_string(), "[DIR]")
        .replace(&dir.display().to_string(), "[DIR]")
}

#[test]
fn a_file_is_checked_with_the_config_above_it_from_a_parent_directory() {
    // The reported bug: `seloste lint cfg/registers/old.yaml` run from the parent of `cfg` ignored
    // `cfg/.seloste.yaml`.
    let dir = tree(&[
        (
            "cfg/.seloste.yaml",
            "rules:\n  gdpr/rights-listed: warning\n  gdpr/automated-decisions: off\n",
        ),
        ("cfg/registers/old.yaml", SEED),
    ]);
    let root = dir.path();
    let absolute = root.join("cfg/registers/old.yaml");
    let absolute = absolute.to_str().expect("utf-8");
    let runs: [(&Path, &str, &str); 5] = [
        (root, "cfg/registers/old.yaml", "cfg/registers/old.yaml"),
        (root, "cfg", "cfg/registers/old.yaml"),
        (root, ".", "cfg/registers/old.yaml"),
        (&root.join("cfg/registers"), "old.yaml", "old.yaml"),
        // From anywhere else, the file named by its absolute path.
        (Path::new(env!("CARGO_MANIFEST_DIR")), absolute, absolute),
    ];
    for (cwd, arg, shown) in runs {
        let (code, list, err) = findings(cwd, &[arg]);
        assert_eq!(code, 1, "{arg}: {err}");
        assert_eq!(
            severity(&list, shown, RIGHTS),
            Some("warning"),
            "{arg}: {list:?}"
        );
        assert_eq!(severity(&list, shown, AUTOMATED), None, "{arg}: {list:?}");
    }
}

/// Two sibling directories with different configs: severities, a rule off, languages.
fn siblings() -> tempfile::TempDir {
    tree(&[
        (
            "a/.seloste.yaml",
            "language: fi\nrules:\n  gdpr/rights-listed: warning\n  gdpr/automated-decisions: off\n",
        ),
        ("a/reg.yaml", SEED),
        (
            "b/.seloste.yaml",
            "language: sv\nrules:\n  gdpr/rights-listed: info\n",
        ),
        ("b/reg.yaml", SEED),
        ("other.yaml", "rules:\n  gdpr/rights-listed: off\n"),
    ])
}

#[test]
fn sibling_directories_with_different_configs_in_one_run() {
    let dir = siblings();
    let (code, list, err) = findings(dir.path(), &["a", "b"]);
    assert_eq!(code, 1, "{err}");
    assert_eq!(severity(&list, "a/reg.yaml", RIGHTS), Some("warning"));
    assert_eq!(severity(&list, "a/reg.yaml", AUTOMATED), None);
    assert_eq!(severity(&list, "b/reg.yaml", RIGHTS), Some("info"));
    assert_eq!(severity(&list, "b/reg.yaml", AUTOMATED), Some("info"));
    // Each file's messages are in its config's language; the summary line is the run's.
    let (_, out, err) = run(seloste()
        .current_dir(dir.path())
        .args(["lint", "--format", "short", "."]));
    insta::assert_snapshot!("siblings_short", format!("{out}--- stderr\n{err}"));
    // --lang wins over every config's language.
    let (_, out, _) = run(seloste()
        .current_dir(dir.path())
        .args(["lint", "--format", "short", "--lang", "en", "."]));
    assert!(
        out.lines()
            .filter(|l| l.contains(RIGHTS))
            .all(|l| l.contains("The notice does not list these rights")),
        "{out}"
    );
    // The HTML report marks each message with its language.
    let (_, out, _) = run(seloste()
        .current_dir(dir.path())
        .args(["lint", "--format", "html", "."]));
    assert!(out.contains("<p class=\"message\" lang=\"fi\">"), "{out}");
    assert!(out.contains("<p class=\"message\" lang=\"sv\">"), "{out}");
}

#[test]
fn config_applies_to_every_file_and_no_config_to_none() {
    let dir = siblings();
    let (_, list, err) = findings(dir.path(), &["--config", "other.yaml", "a", "b"]);
    assert_eq!(files(&list), ["a/reg.yaml", "b/reg.yaml"], "{err}");
    assert!(!list.iter().any(|(_, r, _)| r == RIGHTS), "{list:?}");
    assert_eq!(severity(&list, "a/reg.yaml", AUTOMATED), Some("info"));
    let (_, out, _) = run(seloste().current_dir(dir.path()).args([
        "lint",
        "--format",
        "short",
        "--config",
        "other.yaml",
        "a",
    ]));
    assert!(
        out.contains("states no legal basis"),
        "a's `language: fi` is not used: {out}"
    );
    let (_, list, _) = findings(dir.path(), &["--no-config", "a", "b"]);
    assert_eq!(severity(&list, "a/reg.yaml", RIGHTS), Some("error"));
    assert_eq!(severity(&list, "b/reg.yaml", RIGHTS), Some("error"));
    assert_eq!(severity(&list, "a/reg.yaml", AUTOMATED), Some("info"));
}

#[test]
fn globs_of_a_config_file_in_the_working_directory_are_relative_to_it() {
    // `--config other.yaml` names a file in the working directory: its globs match paths from
    // there (they matched nothing when its directory was the empty path).
    let dir = siblings();
    fs::write(
        dir.path().join("other.yaml"),
        "overrides:\n  - files: [\"a/**\"]\n    rules: {gdpr/rights-listed: off}\nexclude: [\"b/**\"]\n",
    )
    .expect("write");
    let (_, list, err) = findings(dir.path(), &["--config", "other.yaml", "."]);
    assert_eq!(files(&list), ["a/reg.yaml"], "{err}");
    assert_eq!(severity(&list, "a/reg.yaml", RIGHTS), None, "{list:?}");
}

#[test]
fn a_nested_config_replaces_the_outer_one_in_its_subtree() {
    let dir = tree(&[
        (
            ".seloste.yaml",
            "rules:\n  gdpr/rights-listed: warning\n  gdpr/automated-decisions: off\n",
        ),
        ("reg.yaml", SEED),
        (
            "inner/.seloste.yaml",
            "rules:\n  gdpr/rights-listed: info\n",
        ),
        ("inner/reg.yaml", SEED),
        ("inner/deeper/reg.yaml", SEED),
    ]);
    let (_, list, err) = findings(dir.path(), &["."]);
    assert_eq!(
        severity(&list, "reg.yaml", RIGHTS),
        Some("warning"),
        "{err}"
    );
    assert_eq!(severity(&list, "reg.yaml", AUTOMATED), None);
    assert_eq!(severity(&list, "inner/reg.yaml", RIGHTS), Some("info"));
    assert_eq!(
        severity(&list, "inner/deeper/reg.yaml", RIGHTS),
        Some("info")
    );
    // Not merged: the outer config's `off` does not reach the inner subtree.
    assert_eq!(severity(&list, "inner/reg.yaml", AUTOMATED), Some("info"));
    // From inside the subtree, a file above it still gets the outer config.
    let (_, list, _) = findings(&dir.path().join("inner"), &["../reg.yaml", "reg.yaml"]);
    assert_eq!(severity(&list, "../reg.yaml", RIGHTS), Some("warning"));
    assert_eq!(severity(&list, "reg.yaml", RIGHTS), Some("info"));
}

#[test]
fn a_git_directory_is_no_boundary() {
    let dir = tree(&[
        (".seloste.yaml", "rules:\n  gdpr/rights-listed: warning\n"),
        ("repo/.git/HEAD", "ref: refs/heads/main\n"),
        ("repo/reg.yaml", SEED),
    ]);
    let (_, list, err) = findings(&dir.path().join("repo"), &["reg.yaml"]);
    assert_eq!(
        severity(&list, "reg.yaml", RIGHTS),
        Some("warning"),
        "{err}"
    );
}

#[test]
fn a_broken_config_stops_only_the_files_under_it() {
    let dir = tree(&[
        (
            "good/.seloste.yaml",
            "rules:\n  gdpr/rights-listed: warning\n",
        ),
        ("good/reg.yaml", SEED),
        ("bad/.seloste.yaml", "langauge: fi\n"),
        ("bad/one.yaml", SEED),
        ("bad/two.yaml", SEED),
    ]);
    let (code, out, err) = run(seloste()
        .current_dir(dir.path())
        .args(["lint", "--format", "short", "."]));
    assert_eq!(code, 2, "{out}{err}");
    assert!(
        out.lines().all(|l| l.starts_with("good/reg.yaml:")),
        "{out}"
    );
    assert!(
        out.contains("good/reg.yaml:90:9: warning[gdpr/rights-listed]"),
        "{out}"
    );
    assert_eq!(err.matches("unknown key `langauge`").count(), 1, "{err}");
    insta::assert_snapshot!("broken_config_in_one_subtree", scrub(&err, dir.path()));
    // The findings of the good subtree are in every format's output.
    let (code, list, _) = findings(dir.path(), &["."]);
    assert_eq!(code, 2);
    assert_eq!(files(&list), ["good/reg.yaml"]);
    // Render and export leave the same files out and exit 2 too.
    let (code, out, err) = run(seloste().current_dir(dir.path()).args([
        "export",
        "--format",
        "json",
        "--no-fail",
        ".",
    ]));
    assert_eq!(code, 2, "{err}");
    let rows: Vec<serde_json::Value> = serde_json::from_str(&out).expect("json");
    assert!(rows.iter().all(|r| r["file"] == "good/reg.yaml"), "{out}");
    assert!(err.contains("in the config bad/.seloste.yaml;"), "{err}");
    // Run in the broken subtree alone, it is the one config: nothing is linted, as before.
    let (code, out, err) = run(seloste()
        .current_dir(dir.path().join("bad"))
        .args(["lint", "."]));
    assert_eq!(code, 2);
    assert_eq!(out, "");
    assert!(
        err.ends_with("error: 1 problem in the config; nothing was linted\n"),
        "{err}"
    );
}

#[test]
fn render_and_export_use_the_config_of_each_file() {
    // A valid register that cites the repealed Personal Data Act: an error, unless its config
    // turns the rule off.
    let company = fixture_text("fixtures/valid/company.yaml").replace(
        "legal_references:\n",
        "legal_references:\n  - henkilötietolaki 523/1999\n",
    );
    let dir = tree(&[
        (
            "cfg/.seloste.yaml",
            "rules:\n  fi/repealed-personal-data-act: off\n",
        ),
        ("cfg/registers/company.yaml", &company),
        ("sv/.seloste.yaml", "language: sv\n"),
        ("sv/company.yaml", &company),
    ]);
    let at = |args: &[&str]| run(seloste().current_dir(dir.path()).args(args));
    let (code, out, err) = at(&["render", "cfg/registers/company.yaml"]);
    assert_eq!(code, 0, "{err}");
    assert!(out.starts_with("<!DOCTYPE html>"), "{out}");
    let (code, _, err) = at(&["render", "--no-config", "cfg/registers/company.yaml"]);
    assert_eq!(code, 1);
    assert!(err.contains(REPEALED), "{err}");
    // The findings that stop a render are in the file's config's language.
    let (code, _, err) = at(&["render", "sv/company.yaml"]);
    assert_eq!(code, 1);
    assert!(
        err.contains("hänvisar till personuppgiftslagen (523/1999)"),
        "{err}"
    );

    let errors_of = |out: &str| -> Vec<i64> {
        let rows: Vec<serde_json::Value> = serde_json::from_str(out).expect("json");
        rows.iter()
            .map(|r| r["errors"].as_i64().expect("errors"))
            .collect()
    };
    let (code, out, err) = at(&["export", "--format", "json", "cfg"]);
    assert_eq!(code, 0, "{err}");
    assert!(errors_of(&out).iter().all(|e| *e == 0), "{out}");
    let (code, out, _) = at(&["export", "--format", "json", "--no-config", "cfg"]);
    assert_eq!(code, 1);
    assert!(errors_of(&out).iter().all(|e| *e == 1), "{out}");
    // The record is in one language: that of the working directory's config (here none: English),
    // or --lang.
    let (_, english, _) = at(&["export", "--format", "markdown", "cfg", "sv"]);
    let (_, swedish, _) = at(&["export", "--format", "markdown", "--lang", "sv", "cfg"]);
    let (_, from_sv, _) = run(seloste()
        .current_dir(dir.path().join("sv"))
        .args(["export", "--format", "markdown", "."]));
    let heading = |t: &str| t.lines().next().unwrap_or("").to_owned();
    assert_ne!(heading(&english), heading(&swedish));
    assert_eq!(heading(&from_sv), heading(&swedish));
}

#[test]
fn include_exclude_and_overrides_are_relative_to_the_nested_config() {
    let dir = tree(&[
        (
            "sub/.seloste.yaml",
            "exclude: [\"legacy/**\"]\noverrides:\n  - files: [\"drafts/**\"]\n    rules: {gdpr/rights-listed: off}\n",
        ),
        ("sub/reg.yaml", SEED),
        ("sub/legacy/old.yaml", SEED),
        ("sub/drafts/d.yaml", SEED),
        // Outside `sub`, the same paths are not excluded or overridden.
        ("legacy/old.yaml", SEED),
        ("drafts/d.yaml", SEED),
    ]);
    let expected = [
        "drafts/d.yaml",
        "legacy/old.yaml",
        "sub/drafts/d.yaml",
        "sub/reg.yaml",
    ];
    let (_, list, err) = findings(dir.path(), &["."]);
    assert_eq!(files(&list), expected, "{err}");
    assert_eq!(severity(&list, "sub/drafts/d.yaml", RIGHTS), None);
    assert_eq!(severity(&list, "drafts/d.yaml", RIGHTS), Some("error"));
    assert_eq!(severity(&list, "sub/reg.yaml", RIGHTS), Some("error"));
    // The same from inside the subtree, and naming it.
    let (_, list, _) = findings(&dir.path().join("sub"), &["."]);
    assert_eq!(files(&list), ["drafts/d.yaml", "reg.yaml"]);
    let (_, list, _) = findings(dir.path(), &["sub"]);
    assert_eq!(files(&list), ["sub/drafts/d.yaml", "sub/reg.yaml"]);
    // --force-exclude applies the nested config to a named file.
    let (code, out, err) = run(seloste().current_dir(dir.path()).args([
        "lint",
        "--force-exclude",
        "sub/legacy/old.yaml",
    ]));
    assert_eq!(code, 0, "{err}");
    assert_eq!(out, "no problems in 0 files\n");
    // Export and render walk the same files.
    let (_, out, _) = run(seloste().current_dir(dir.path()).args([
        "export",
        "--format",
        "json",
        "--no-fail",
        ".",
    ]));
    let rows: Vec<serde_json::Value> = serde_json::from_str(&out).expect("json");
    let mut exported: Vec<&str> = rows.iter().filter_map(|r| r["file"].as_str()).collect();
    exported.dedup();
    assert_eq!(exported, expected);
}

#[cfg(unix)]
#[test]
fn a_directory_reached_through_a_symbolic_link_has_the_config_above_its_target() {
    let dir = tree(&[
        (
            "real/.seloste.yaml",
            "exclude: [\"sub/legacy/**\"]\nrules:\n  gdpr/rights-listed: warning\n",
        ),
        ("real/sub/reg.yaml", SEED),
        ("real/sub/legacy/old.yaml", SEED),
        ("work/.keep", ""),
    ]);
    std::os::unix::fs::symlink(dir.path().join("real/sub"), dir.path().join("work/link"))
        .expect("symlink");
    let (_, list, err) = findings(&dir.path().join("work"), &["link"]);
    assert_eq!(files(&list), ["link/reg.yaml"], "{err}");
    assert_eq!(severity(&list, "link/reg.yaml", RIGHTS), Some("warning"));
}
