//! The GitHub Action and the pre-commit hook, as far as they run without GitHub or pre-commit:
//! the action's lint script (both runs, the exit code, the SARIF file, the step output) with the
//! real binary, and the consistency of action.yml and .pre-commit-hooks.yaml. The real pre-commit,
//! actionlint and check-jsonschema run in `.ci/integrations`.

mod common;

use std::fs;
use std::path::Path;
use std::process::Command;

use common::TODAY;

const ROOT: &str = env!("CARGO_MANIFEST_DIR");

struct ActionRun {
    code: i32,
    stdout: String,
    stderr: String,
    /// What the script wrote to `$GITHUB_OUTPUT`.
    outputs: String,
    /// The SARIF file, when one was asked for and written.
    sarif: Option<serde_json::Value>,
}

/// Runs `scripts/action-lint.sh` as the action's lint step does, with the inputs as environment
/// variables; `sarif` is a file name in a temporary directory (or an absolute path).
fn action(paths: &str, format: &str, sarif: Option<&str>, args: &str) -> ActionRun {
    let dir = tempfile::tempdir().expect("tempdir");
    let output = dir.path().join("github-output");
    let sarif_path = sarif.map(|s| dir.path().join(s));
    let mut cmd = Command::new("bash");
    cmd.arg(Path::new(ROOT).join("scripts/action-lint.sh"))
        .current_dir(ROOT)
        .env("SELOSTE", env!("CARGO_BIN_EXE_seloste"))
        .env("SELOSTE_PATHS", paths)
        .env("SELOSTE_FORMAT", format)
        .env("SELOSTE_ARGS", args)
        .env(
            "SELOSTE_SARIF_FILE",
            sarif_path.as_deref().unwrap_or(Path::new("")),
        )
        .env("GITHUB_OUTPUT", &output)
        .env("SELOSTE_TODAY", TODAY)
        .env("NO_COLOR", "1");
    let out = cmd.output().expect("bash runs");
    ActionRun {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        outputs: fs::read_to_string(&output).unwrap_or_default(),
        sarif: sarif_path
            .and_then(|p| fs::read_to_string(p).ok())
            .map(|s| serde_json::from_str(&s).expect("the SARIF file is JSON")),
    }
}

fn results(sarif: &serde_json::Value) -> usize {
    sarif["runs"][0]["results"].as_array().map_or(0, Vec::len)
}

#[test]
fn findings_fail_the_step_after_both_runs() {
    let run = action("fixtures/seeds", "github", Some("seeds.sarif"), "");
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stdout
            .starts_with("::warning file=fixtures/seeds/000-keha-te-live.yaml,line=25,"),
        "{}",
        run.stdout
    );
    assert!(run.stdout.contains("\n::error file=fixtures/seeds/"));
    assert!(
        run.stderr.contains("in 5 files (5 checked)"),
        "{}",
        run.stderr
    );
    let sarif = run
        .sarif
        .expect("the SARIF file is written although the lint failed");
    assert!(results(&sarif) > 0);
    assert_eq!(run.outputs, "exit-code=1\n");
}

#[test]
fn clean_registers_pass_with_paths_on_lines_and_extra_arguments() {
    let run = action(
        "fixtures/valid/company.yaml\n  fixtures/valid/authority.yaml\n",
        "short",
        Some("valid.sarif"),
        "--lang fi --deny warnings",
    );
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    assert_eq!(run.stdout, "");
    assert_eq!(run.stderr, "no problems in 2 files\n");
    assert_eq!(results(&run.sarif.expect("SARIF written")), 0);
    assert_eq!(run.outputs, "exit-code=0\n");
    // Without a SARIF file there is one run; `paths` defaults to `.` only when empty.
    let run = action("fixtures/valid", "github", None, "");
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(run.outputs, "exit-code=0\n");
}

#[test]
fn errors_are_exit_2_and_an_unwritable_sarif_file_is_one() {
    let run = action(
        "fixtures/valid",
        "github",
        None,
        "--config no/such/config.yaml",
    );
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert_eq!(run.outputs, "exit-code=2\n");
    // A clean lint whose SARIF cannot be written fails, with an annotation saying why.
    let run = action(
        "fixtures/valid",
        "github",
        Some("missing-dir/out.sarif"),
        "",
    );
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stdout
            .contains("::error title=seloste::the SARIF file "),
        "{}",
        run.stdout
    );
    assert!(
        run.stderr.contains("cannot write the output"),
        "{}",
        run.stderr
    );
    assert_eq!(run.outputs, "exit-code=2\n");
}

#[test]
fn inputs_cannot_inject_shell_code() {
    let dir = tempfile::tempdir().expect("tempdir");
    let marker = dir.path().join("injected");
    let run = action(
        &format!("fixtures/valid; touch {}", marker.display()),
        "github",
        None,
        &format!("$(touch {})", marker.display()),
    );
    assert_eq!(
        run.code, 2,
        "the words are paths and arguments: {}",
        run.stderr
    );
    assert!(!marker.exists(), "an input ran as shell code");
}

fn yaml(path: &str) -> serde_json::Value {
    let text = fs::read_to_string(Path::new(ROOT).join(path)).expect("read");
    seloste::document::load(text.as_bytes(), Default::default())
        .unwrap_or_else(|e| panic!("{path}: {}", e.message))
        .root
        .to_json()
}

#[test]
fn action_yml_passes_every_input_to_the_script() {
    let action = yaml("action.yml");
    let inputs: Vec<&String> = action["inputs"]
        .as_object()
        .expect("inputs")
        .keys()
        .collect();
    assert_eq!(inputs, ["args", "format", "paths", "sarif-file"]);
    let steps = action["runs"]["steps"].as_array().expect("steps");
    assert_eq!(action["runs"]["using"], "composite");
    let lint = steps
        .iter()
        .find(|s| s["id"] == "lint")
        .expect("a step with id lint");
    let env = lint["env"].as_object().expect("env");
    for input in &inputs {
        let var = format!("SELOSTE_{}", input.replace("-file", "_FILE").to_uppercase());
        assert_eq!(
            env.get(&var).and_then(|v| v.as_str()),
            Some(format!("${{{{ inputs.{input} }}}}").as_str()),
            "{var}"
        );
    }
    let script = lint["run"].as_str().expect("run");
    assert!(script.contains("$GITHUB_ACTION_PATH/scripts/action-lint.sh"));
    assert!(Path::new(ROOT).join("scripts/action-lint.sh").is_file());
    // Inputs reach shell code only through the environment.
    for step in steps {
        let run = step["run"].as_str().unwrap_or("");
        assert!(!run.contains("${{"), "an expression inside a script: {run}");
    }
    assert_eq!(
        action["outputs"]["exit-code"]["value"],
        "${{ steps.lint.outputs.exit-code }}"
    );
}

#[test]
fn the_pre_commit_hook_lints_yaml_files_and_skips_other_yaml() {
    let hooks = yaml(".pre-commit-hooks.yaml");
    let hook = &hooks[0];
    assert_eq!(hook["id"], "seloste");
    assert_eq!(hook["language"], "rust");
    assert_eq!(hook["entry"], "seloste lint --force-exclude");
    assert!(hook.get("pass_filenames").is_none(), "filenames are passed");
    let files = regex::Regex::new(hook["files"].as_str().expect("files")).expect("regex");
    for (name, matched) in [
        ("registers/a.yaml", true),
        ("b.yml", true),
        ("c.json", false),
        ("d.yaml.bak", false),
    ] {
        assert_eq!(files.is_match(name), matched, "{name}");
    }
    // The hook's command on what pre-commit passes: a register with defects and a workflow.
    let (code, out, err) = common::run(common::seloste().args([
        "lint",
        "--force-exclude",
        "fixtures/seeds/001-kainuu-te-webropol.yaml",
        ".github/workflows/ci.yml",
        "action.yml",
    ]));
    assert_eq!(code, 1, "{err}");
    assert!(out.contains("(1 checked)"), "{out}");
}
