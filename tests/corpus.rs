//! The bad-input corpus (fixtures/invalid/): each case gives a clear diagnostic at the right place
//! with the right exit code, never a panic, and the other files of the run are still linted.

mod common;

use std::fs;

use common::{run, seloste};

/// A register with known findings, linted next to every corpus file.
const OTHER: &str = "fixtures/seeds/001-kainuu-te-webropol.yaml";

fn no_panic(err: &str) {
    assert!(
        !err.contains("panicked") && !err.contains("internal error"),
        "{err}"
    );
}

/// Lints `fixtures/invalid/<name>` and the other register; returns (exit, the corpus file's human
/// output, stderr) after checking that the other file's findings are all there.
fn lint_case(name: &str) -> (i32, String, String) {
    let path = format!("fixtures/invalid/{name}");
    let (code, out, err) = run(seloste().args(["lint", "--format", "short", &path, OTHER]));
    no_panic(&err);
    let (_, alone, _) = run(seloste().args(["lint", "--format", "short", OTHER]));
    for line in alone.lines() {
        assert!(out.contains(line), "{name}: the other file lost `{line}`");
    }
    let (_, human, _) = run(seloste().args(["lint", &path]));
    (code, human, err)
}

macro_rules! corpus_case {
    ($test:ident, $file:literal, $exit:expr, $rule:literal) => {
        #[test]
        fn $test() {
            let (code, human, err) = lint_case($file);
            assert_eq!(code, $exit, "{human}{err}");
            assert!(human.contains($rule), "{human}");
            insta::assert_snapshot!(stringify!($test), human);
        }
    };
}

corpus_case!(malformed_yaml, "malformed.yaml", 1, "seloste/yaml");
corpus_case!(tabs, "tabs.yaml", 1, "seloste/yaml");
corpus_case!(
    duplicate_keys,
    "duplicate-keys.yaml",
    1,
    "seloste/duplicate-key"
);
corpus_case!(alias_bomb, "alias-bomb.yaml", 1, "seloste/yaml");
corpus_case!(deep_nesting, "deep-nesting.yaml", 1, "seloste/yaml");
corpus_case!(non_utf8, "non-utf8.yaml", 1, "seloste/encoding");
corpus_case!(multi_document, "multi-document.yaml", 1, "seloste/yaml");
corpus_case!(wrong_types, "wrong-types.yaml", 1, "seloste/type");

#[test]
fn bom_is_accepted() {
    let (_, human, err) = lint_case("bom.yaml");
    assert_eq!(human, "no problems in 1 file\n", "{err}");
}

#[test]
fn crlf_keeps_lines_and_columns() {
    let (_, crlf, _) =
        run(seloste().args(["lint", "--format", "short", "fixtures/invalid/crlf.yaml"]));
    let (_, lf, _) = run(seloste().args(["lint", "--format", "short", OTHER]));
    assert_eq!(
        crlf.replace("fixtures/invalid/crlf.yaml", "F"),
        lf.replace(OTHER, "F")
    );
    let (code, human, _) = lint_case("crlf.yaml");
    assert_eq!(code, 1);
    assert!(
        !human.contains('\r'),
        "no carriage returns leak into the excerpts"
    );
}

#[test]
fn empty_file_named_explicitly_is_a_usage_error() {
    let (code, _, err) = lint_case("empty.yaml");
    assert_eq!(code, 2);
    assert!(
        err.contains("fixtures/invalid/empty.yaml: not a register definition"),
        "{err}"
    );
}

#[test]
fn a_100_mb_file_is_refused_without_reading_it_into_a_tree() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("huge.yaml");
    let mut text = String::with_capacity(100 * 1024 * 1024 + 64);
    text.push_str("seloste: 1\nid: huge\nsecurity:\n");
    while text.len() < 100 * 1024 * 1024 {
        text.push_str("  - Pääsy tietoihin on rajattu käyttöoikeuksin ja lokitetaan.\n");
    }
    fs::write(&path, text).expect("write");
    let (code, out, err) = run(seloste()
        .args(["lint", "--format", "short"])
        .arg(&path)
        .arg(OTHER));
    no_panic(&err);
    assert_eq!(code, 1);
    assert!(out.contains("seloste/yaml] file is"), "{out}");
    assert!(out.contains("fi/repealed-personal-data-act"), "{out}");
}

#[test]
fn a_symlink_loop_in_a_walked_directory_does_not_hang() {
    let dir = tempfile::tempdir().expect("tempdir");
    fs::copy(OTHER, dir.path().join("reg.yaml")).expect("copy");
    #[cfg(unix)]
    {
        std::os::unix::fs::symlink(dir.path(), dir.path().join("loop")).expect("symlink");
        std::os::unix::fs::symlink(dir.path().join("a.yaml"), dir.path().join("b.yaml"))
            .expect("symlink");
        std::os::unix::fs::symlink(dir.path().join("b.yaml"), dir.path().join("a.yaml"))
            .expect("symlink");
    }
    let (code, out, err) = run(seloste()
        .args(["lint", "--format", "short"])
        .arg(dir.path()));
    no_panic(&err);
    assert_eq!(code, 1, "{out}{err}");
    assert!(out.contains("fi/repealed-personal-data-act"), "{out}");
}

#[test]
fn an_unreadable_file_is_an_io_error_and_the_others_are_linted() {
    let dir = tempfile::tempdir().expect("tempdir");
    // A dangling symlink cannot be read even by root (a chmod 000 file can).
    #[cfg(unix)]
    std::os::unix::fs::symlink(
        dir.path().join("missing.yaml"),
        dir.path().join("gone.yaml"),
    )
    .expect("symlink");
    let gone = dir.path().join("gone.yaml");
    let (code, out, err) = run(seloste()
        .args(["lint", "--format", "short"])
        .arg(&gone)
        .arg(OTHER));
    no_panic(&err);
    assert_eq!(code, 2, "{out}{err}");
    assert!(err.contains("gone.yaml"), "{err}");
    assert!(out.contains("fi/repealed-personal-data-act"), "{out}");
}

fn rule_case(dir: &str) -> (i32, String, String) {
    let (code, out, err) = run(seloste().args([
        "lint",
        "--no-builtin",
        "--rules",
        &format!("fixtures/invalid/rules/{dir}"),
        OTHER,
    ]));
    no_panic(&err);
    (code, out, err)
}

#[test]
fn a_rule_with_broken_cel_is_a_usage_error_pointing_into_the_rule() {
    let (code, out, err) = rule_case("broken-cel");
    assert_eq!(code, 2);
    assert!(out.is_empty());
    insta::assert_snapshot!("rule_broken_cel", err);
}

#[test]
fn a_rule_failing_at_run_time_is_a_finding_and_does_not_stop_the_others() {
    let (code, out, err) = run(seloste().args([
        "lint",
        "--rules",
        "fixtures/invalid/rules/runtime-error",
        "--format",
        "short",
        OTHER,
    ]));
    no_panic(&err);
    assert_eq!(code, 1);
    assert!(
        out.contains("seloste/rule-error] rule `acme/runtime-error` could not run"),
        "{out}"
    );
    assert!(
        out.contains("fi/repealed-personal-data-act"),
        "the built-in rules still ran: {out}"
    );
    let (_, human, _) = rule_case("runtime-error");
    insta::assert_snapshot!("rule_runtime_error", human);
}

#[test]
fn a_message_interpolation_error_is_a_usage_error() {
    let (code, out, err) = rule_case("interpolation-error");
    assert_eq!(code, 2);
    assert!(out.is_empty());
    insta::assert_snapshot!("rule_interpolation_error", err);
}

#[test]
fn a_panic_becomes_an_internal_error_with_exit_2() {
    // One file is linted on the main thread; two go to the thread pool.
    for files in [&[OTHER][..], &[OTHER, OTHER]] {
        let (code, out, err) = run(seloste()
            .env("SELOSTE_DEBUG_PANIC", "1")
            .arg("lint")
            .args(files));
        assert_eq!(code, 2, "{out}{err}");
        assert!(err.contains("error: internal error in seloste"), "{err}");
        assert!(err.contains("please report it"), "{err}");
        assert!(
            !err.contains("stack backtrace") && !err.contains("RUST_BACKTRACE"),
            "{err}"
        );
    }
}

#[test]
fn a_panic_while_chunks_overlap_is_still_an_internal_error() {
    // Over one chunk of files: the panic happens on the pool while the main thread writes.
    let dir = tempfile::tempdir().expect("tempdir");
    let text = std::fs::read_to_string(OTHER).expect("fixture");
    for i in 0..300 {
        std::fs::write(dir.path().join(format!("r{i:03}.yaml")), &text).expect("write");
    }
    let (code, out, err) = run(seloste()
        .env("SELOSTE_DEBUG_PANIC", "1")
        .args(["lint"])
        .arg(dir.path()));
    assert_eq!(code, 2, "{out}{err}");
    assert!(err.contains("error: internal error in seloste"), "{err}");
    // The panic goes on as itself, not also as the thread scope's own panic.
    assert!(!err.contains("scoped thread panicked"), "{err}");
    assert!(!err.contains("stack backtrace"), "{err}");
}
