//! The GitHub Action and the pre-commit hooks, as far as they run without GitHub or pre-commit:
//! the action's install script (the release archive of its tag from a local release directory,
//! checksum checked) and lint script (both runs, the exit code, the SARIF file, the step output,
//! the job summary) with the real binary, and the consistency of action.yml, the two hook
//! manifests and the version pins. The real pre-commit,
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
            .starts_with("::notice file=fixtures/seeds/000-keha-te-live.yaml,line=25,"),
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
    // `--lang fi`: the summary is in Finnish too.
    assert_eq!(run.stderr, "2 tiedostoa tarkistettu, ei ongelmia\n");
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
    assert_eq!(
        inputs,
        [
            "args",
            "format",
            "install",
            "paths",
            "sarif-file",
            "summary"
        ]
    );
    let steps = action["runs"]["steps"].as_array().expect("steps");
    assert_eq!(action["runs"]["using"], "composite");
    let env_of = |name: &str| {
        steps
            .iter()
            .find(|s| s["name"] == name)
            .unwrap_or_else(|| panic!("a step named {name}"))["env"]
            .as_object()
            .expect("env")
            .clone()
    };
    let (install, lint) = (env_of("Install seloste"), env_of("Lint"));
    for input in &inputs {
        let var = format!("SELOSTE_{}", input.replace("-file", "_FILE").to_uppercase());
        let env = if *input == "install" { &install } else { &lint };
        assert_eq!(
            env.get(&var).and_then(|v| v.as_str()),
            Some(format!("${{{{ inputs.{input} }}}}").as_str()),
            "{var}"
        );
    }
    // The runner fills github.action_ref in `env:` but not inside `run:` of a composite action.
    assert_eq!(install["SELOSTE_ACTION_REF"], "${{ github.action_ref }}");
    assert_eq!(
        install["SELOSTE_ACTION_REPOSITORY"],
        "${{ github.action_repository }}"
    );
    for (step, script) in [(0, "action-install.sh"), (1, "action-lint.sh")] {
        let run = steps[step]["run"].as_str().expect("run");
        assert!(run.contains(&format!("$GITHUB_ACTION_PATH/scripts/{script}")));
        assert!(Path::new(ROOT).join("scripts").join(script).is_file());
    }
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
fn the_job_summary_has_the_totals_and_the_rules_table() {
    let dir = tempfile::tempdir().expect("tempdir");
    let summary = dir.path().join("summary.md");
    fs::write(&summary, "earlier step\n").expect("write");
    let run = |extra: &[(&str, &str)]| {
        let mut cmd = Command::new("bash");
        cmd.arg(Path::new(ROOT).join("scripts/action-lint.sh"))
            .current_dir(ROOT)
            .env("SELOSTE", env!("CARGO_BIN_EXE_seloste"))
            .env("SELOSTE_PATHS", "fixtures/seeds")
            .env("SELOSTE_FORMAT", "short")
            .env("GITHUB_STEP_SUMMARY", &summary)
            .env("SELOSTE_TODAY", TODAY);
        for (k, v) in extra {
            cmd.env(k, v);
        }
        cmd.output().expect("bash runs").status.code()
    };
    assert_eq!(run(&[]), Some(1));
    let text = fs::read_to_string(&summary).expect("summary");
    assert!(text.starts_with("earlier step\n## seloste\n"), "{text}");
    assert!(
        text.contains("| Rule | Title | Severity | Findings |"),
        "{text}"
    );
    assert!(text.contains("errors"), "{text}");
    // `summary: false` writes nothing.
    fs::write(&summary, "").expect("write");
    assert_eq!(run(&[("SELOSTE_SUMMARY", "false")]), Some(1));
    assert_eq!(fs::read_to_string(&summary).expect("summary"), "");
}

/// A release directory as GitHub serves it (`<base>/<repo>/releases/download/<tag>/`), with the
/// archive of the test binary for Linux x86_64 and its SHA256SUMS; `tamper` spoils the sum.
fn fake_release(base: &Path, tamper: bool) -> String {
    let version = env!("CARGO_PKG_VERSION");
    let tag = format!("v{version}");
    let dir = base.join("seloste/seloste/releases/download").join(&tag);
    fs::create_dir_all(&dir).expect("mkdir");
    let stage = base.join("stage");
    fs::create_dir_all(&stage).expect("mkdir");
    fs::copy(env!("CARGO_BIN_EXE_seloste"), stage.join("seloste")).expect("copy");
    let archive = format!("seloste-{tag}-x86_64-unknown-linux-musl.tar.gz");
    // The fastest gzip level: the debug binary is large.
    let status = Command::new("tar")
        .arg("--use-compress-program=gzip -1")
        .arg("-cf")
        .arg(dir.join(&archive))
        .arg("-C")
        .arg(&stage)
        .arg("seloste")
        .status()
        .expect("tar runs");
    assert!(status.success());
    let sum = Command::new("sha256sum")
        .arg(&archive)
        .current_dir(&dir)
        .output()
        .expect("sha256sum runs");
    let mut sums = String::from_utf8_lossy(&sum.stdout).into_owned();
    if tamper {
        sums = format!("{}{}", "0".repeat(64), &sums[64..]);
    }
    fs::write(dir.join("SHA256SUMS"), sums).expect("write");
    tag
}

/// Runs `scripts/action-install.sh` as the action's install step does, on Linux x86_64.
fn install(base: &Path, reference: &str, mode: &str) -> (i32, String, String, Option<String>) {
    let temp = base.join("runner-temp");
    let github_path = base.join("github-path");
    let out = Command::new("bash")
        .arg(Path::new(ROOT).join("scripts/action-install.sh"))
        .env("GITHUB_ACTION_PATH", ROOT)
        .env("RUNNER_TEMP", &temp)
        .env("RUNNER_OS", "Linux")
        .env("RUNNER_ARCH", "X64")
        .env("SELOSTE_ACTION_REF", reference)
        .env("SELOSTE_ACTION_REPOSITORY", "seloste/seloste")
        .env("SELOSTE_INSTALL", mode)
        .env(
            "SELOSTE_DOWNLOAD_BASE",
            format!("file://{}", base.display()),
        )
        .env("GITHUB_PATH", &github_path)
        .output()
        .expect("bash runs");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
        fs::read_to_string(&github_path).ok(),
    )
}

#[test]
fn the_action_installs_the_release_binary_of_its_tag_after_checking_its_sum() {
    let base = tempfile::tempdir().expect("tempdir");
    let tag = fake_release(base.path(), false);
    let (code, out, err, path) = install(base.path(), &tag, "release");
    assert_eq!(code, 0, "{out}{err}");
    assert!(out.contains(&format!(
        "Downloading seloste {tag} for x86_64-unknown-linux-musl"
    )));
    assert!(
        out.contains(&format!("seloste {}", env!("CARGO_PKG_VERSION"))),
        "{out}"
    );
    let bin = base.path().join("runner-temp/seloste/bin");
    assert_eq!(
        path.as_deref(),
        Some(format!("{}\n", bin.display()).as_str())
    );
    assert!(bin.join("seloste").is_file());
}

#[test]
fn the_action_refuses_a_release_archive_whose_sum_differs() {
    let base = tempfile::tempdir().expect("tempdir");
    let tag = fake_release(base.path(), true);
    let (code, out, _, path) = install(base.path(), &tag, "auto");
    assert_eq!(code, 2, "{out}");
    assert!(
        out.contains("::error title=seloste::checksum mismatch for seloste-v"),
        "{out}"
    );
    assert_eq!(path, None, "nothing is put on PATH");
}

#[test]
fn the_action_builds_only_when_its_ref_is_no_release() {
    let base = tempfile::tempdir().expect("tempdir");
    // `install: release` says why it cannot, instead of building for minutes.
    let (code, out, _, _) = install(base.path(), "main", "release");
    assert_eq!(code, 2, "{out}");
    assert!(
        out.contains("install: release needs the action at a release tag"),
        "{out}"
    );
    let (code, out, _, _) = install(base.path(), "main", "sometimes");
    assert_eq!(code, 2, "{out}");
    assert!(
        out.contains("install must be auto, release or source"),
        "{out}"
    );
}

#[test]
fn the_pre_commit_hooks_lint_yaml_files_and_skip_other_yaml() {
    // `seloste-src` here builds with cargo; `seloste` in the hook repository made from
    // pre-commit-hook/ installs the wheel. Both run the same command on the same files.
    let source = yaml(".pre-commit-hooks.yaml");
    let wheel = yaml("pre-commit-hook/.pre-commit-hooks.yaml");
    for (hooks, id, language) in [
        (&source, "seloste-src", "rust"),
        (&wheel, "seloste", "python"),
    ] {
        let hook = &hooks[0];
        assert_eq!(hooks.as_array().map(Vec::len), Some(1));
        assert_eq!(hook["id"], id);
        assert_eq!(hook["language"], language);
        for key in ["entry", "files", "types", "name"] {
            assert_eq!(hook[key], source[0][key], "{id}: {key}");
        }
    }
    let hook = &source[0];
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

#[test]
fn the_hook_repository_pins_the_wheel_of_this_version() {
    let version = env!("CARGO_PKG_VERSION");
    let pyproject =
        fs::read_to_string(Path::new(ROOT).join("pre-commit-hook/pyproject.toml")).expect("read");
    assert!(
        pyproject.contains(&format!("\nversion = \"{version}\"\n")),
        "{pyproject}"
    );
    assert!(
        pyproject.contains(&format!("dependencies = [\"seloste=={version}\"]")),
        "{pyproject}"
    );
    // The wheel's own version comes from Cargo.toml.
    let wheel = fs::read_to_string(Path::new(ROOT).join("pyproject.toml")).expect("read");
    assert!(wheel.contains("dynamic = [\"version\"]"));
    assert!(wheel.contains("bindings = \"bin\""));
}
