//! Helpers shared by the CLI tests: run the real binary in a fixed environment.

#![allow(dead_code)]

use assert_cmd::Command;

/// The date every test runs on, so date rules (register-stale) do not drift.
pub const TODAY: &str = "2026-11-23";

/// `seloste` with a deterministic environment: no colour, a fixed date, a fixed width.
pub fn seloste() -> Command {
    let mut cmd = Command::cargo_bin("seloste").expect("binary builds");
    cmd.current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("SELOSTE_TODAY", TODAY)
        .env("NO_COLOR", "1")
        .env_remove("COLUMNS")
        .env("RAYON_NUM_THREADS", "2");
    cmd
}

/// Runs and returns (exit code, stdout, stderr).
pub fn run(cmd: &mut Command) -> (i32, String, String) {
    let out = cmd.output().expect("runs");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// The YAML files of a fixture directory, sorted.
pub fn fixture_files(dir: &str) -> Vec<String> {
    let mut files: Vec<String> = std::fs::read_dir(format!("{}/{dir}", env!("CARGO_MANIFEST_DIR")))
        .expect("fixture dir")
        .filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".yaml"))
        .collect();
    files.sort();
    files
}

/// The text of a file of the repository (a fixture), by its path from the repository root.
pub fn fixture_text(path: &str) -> String {
    std::fs::read_to_string(format!("{}/{path}", env!("CARGO_MANIFEST_DIR")))
        .unwrap_or_else(|e| panic!("{path}: {e}"))
}
