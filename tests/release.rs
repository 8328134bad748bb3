//! The release procedure's script (scripts/release.sh, docs/releasing.md) on a copy of this
//! working tree made into a git repository: `prepare` sets the version everywhere, moves the
//! CHANGELOG's Unreleased section under the version, commits and tags; `check` accepts what it
//! made and refuses a tag that disagrees; the working tree's own pins follow Cargo.toml.

use std::fs;
use std::path::Path;
use std::process::Command;

const ROOT: &str = env!("CARGO_MANIFEST_DIR");

fn git(dir: &Path, args: &[&str]) -> String {
    let out = Command::new("git")
        .args([
            "-c",
            "user.name=test",
            "-c",
            "user.email=test@example.invalid",
        ])
        .args(args)
        .current_dir(dir)
        .output()
        .expect("git runs");
    assert!(
        out.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn release(dir: &Path, args: &[&str]) -> (i32, String, String) {
    let out = Command::new("bash")
        .arg(dir.join("scripts/release.sh"))
        .args(args)
        .current_dir(dir)
        .env("SELOSTE_RELEASE_DATE", "2026-12-07")
        .env("GIT_AUTHOR_NAME", "test")
        .env("GIT_AUTHOR_EMAIL", "test@example.invalid")
        .env("GIT_COMMITTER_NAME", "test")
        .env("GIT_COMMITTER_EMAIL", "test@example.invalid")
        .output()
        .expect("bash runs");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// The tracked (and new, not ignored) files of the working tree as one commit in a new repository.
fn copy_of_the_tree() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    let files = git(
        Path::new(ROOT),
        &["ls-files", "--cached", "--others", "--exclude-standard"],
    );
    for f in files.lines() {
        let from = Path::new(ROOT).join(f);
        if !from.is_file() {
            continue;
        }
        let to = dir.path().join(f);
        fs::create_dir_all(to.parent().expect("parent")).expect("mkdir");
        fs::copy(&from, &to).expect("copy");
    }
    git(dir.path(), &["init", "--quiet"]);
    git(dir.path(), &["add", "--all"]);
    git(dir.path(), &["commit", "--quiet", "-m", "tree"]);
    dir
}

#[test]
fn the_pins_of_the_docs_and_examples_follow_the_version() {
    let (code, out, err) = release(Path::new(ROOT), &["pins"]);
    assert_eq!(code, 0, "{out}{err}");
}

#[test]
fn prepare_sets_the_version_everywhere_and_tags_it() {
    let tree = copy_of_the_tree();
    let dir = tree.path();
    let unreleased = fs::read_to_string(dir.join("CHANGELOG.md")).expect("read");
    let (code, out, err) = release(dir, &["prepare", "9.8.7"]);
    assert_eq!(code, 0, "{out}{err}");
    assert!(out.contains("tagged v9.8.7"), "{out}");
    assert_eq!(git(dir, &["tag", "--list"]).trim(), "v9.8.7");
    assert_eq!(
        git(dir, &["log", "-1", "--format=%s"]).trim(),
        "Release 9.8.7"
    );
    assert!(git(dir, &["status", "--porcelain"]).is_empty());

    let cargo = fs::read_to_string(dir.join("Cargo.toml")).expect("read");
    assert!(cargo.contains("\nversion = \"9.8.7\"\n"));
    let hook = fs::read_to_string(dir.join("pre-commit-hook/pyproject.toml")).expect("read");
    assert!(hook.contains("dependencies = [\"seloste==9.8.7\"]"));
    let docs = fs::read_to_string(dir.join("docs/integrations.md")).expect("read");
    assert!(
        docs.contains("seloste/seloste@v9.8.7"),
        "the action pin moved"
    );
    let changelog = fs::read_to_string(dir.join("CHANGELOG.md")).expect("read");
    assert!(changelog.contains("## Unreleased\n\n## 9.8.7 - 2026-12-07\n"));
    assert_eq!(
        changelog.len(),
        unreleased.len() + "\n## 9.8.7 - 2026-12-07\n".len()
    );

    let (code, out, err) = release(dir, &["check", "v9.8.7"]);
    assert_eq!(code, 0, "{out}{err}");
    let (code, notes, _) = release(dir, &["notes", "9.8.7"]);
    assert_eq!(code, 0);
    assert!(notes.contains("### Render (issue 13)"), "{notes}");
    assert!(!notes.lines().any(|l| l == "## Unreleased"), "{notes}");

    // A tag that is not the version, and a second release of the same version, are refused.
    let (code, _, err) = release(dir, &["check", "v9.8.8"]);
    assert_eq!(code, 1);
    assert!(
        err.contains("Cargo.toml has version 9.8.7, the tag v9.8.8"),
        "{err}"
    );
    assert!(
        err.contains("CHANGELOG.md has no section '## 9.8.8'"),
        "{err}"
    );
    let (code, _, err) = release(dir, &["prepare", "9.8.7"]);
    assert_eq!(code, 2);
    assert!(err.contains("the tag v9.8.7 exists already"), "{err}");
}

#[test]
fn prepare_refuses_a_dirty_tree_and_a_bad_version() {
    let tree = copy_of_the_tree();
    let dir = tree.path();
    let (code, _, err) = release(dir, &["prepare", "1.2"]);
    assert_eq!(code, 2);
    assert!(err.contains("'1.2' is not a version X.Y.Z"), "{err}");
    fs::write(dir.join("stray.txt"), "x").expect("write");
    let (code, _, err) = release(dir, &["prepare", "1.2.3"]);
    assert_eq!(code, 2);
    assert!(err.contains("uncommitted changes"), "{err}");
}
