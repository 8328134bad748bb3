//! The command line, on top of the library: the argument types (clap derive), what the commands
//! share (settings from the arguments, the selection of files, printing problems), one module per
//! larger command (`lint`, `rules` with `explain`, `render`, `export`, `import`); `init` and
//! `server` are a few lines each and stay here.

pub mod export;
pub mod import;
mod lint;
pub mod render;
mod rules;

pub use lint::{LintArgs, run_lint};
pub use rules::{
    ExplainArgs, ListFormat, RulesAction, RulesArgs, run_explain, run_rule_tests, run_rules,
};

use std::io::IsTerminal;
use std::path::PathBuf;
use std::sync::Arc;

use clap::{Parser, Subcommand, ValueEnum};

use crate::finding::FileFindings;
use crate::output::Sink;
use crate::report;
use crate::settings::{self, ConfigChoice, Failure, Settings, SetupError};

/// Exit codes: 0 clean, 1 findings at or above the fail level, 2 usage/config/rule/I-O error.
pub const EXIT_OK: i32 = 0;
pub const EXIT_FINDINGS: i32 = 1;
pub const EXIT_ERROR: i32 = 2;

#[derive(Parser, Debug)]
#[command(
    name = "seloste",
    version,
    about = "Lint GDPR register definitions (tietosuojaseloste) written as YAML"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Check register files (directories are walked for YAML files with the `seloste` marker).
    Lint(LintArgs),
    /// List the rules, or run their tests.
    Rules(RulesArgs),
    /// Explain a rule: what it checks, why, the law, its options and examples.
    Explain(ExplainArgs),
    /// Render checked registers as the published privacy notice (HTML or Markdown).
    Render(crate::cli::render::RenderArgs),
    /// Export the record of processing activities (Art. 30): CSV, XLSX, JSON or Markdown.
    Export(crate::cli::export::ExportArgs),
    /// Write a commented template register for a kind of controller, with TODO placeholders.
    Init(InitArgs),
    /// Turn a prose privacy notice (.txt, .md, .html, .docx) into a register skeleton to check
    /// and complete (docs/import.md).
    Import(crate::cli::import::ImportArgs),
    /// Print the JSON Schema of the register format (for editors).
    Schema,
    /// Run the language server (LSP over stdio) for editors: diagnostics, hovers, completion,
    /// fixes (docs/editors.md).
    Server(ServerArgs),
}

#[derive(clap::Args, Debug)]
pub struct InitArgs {
    /// The kind of controller: decides the fields and hints (e.g. a public authority must have a
    /// data protection officer).
    #[arg(long, value_enum, default_value_t = InitKind::Company)]
    pub kind: InitKind,
    /// The register's language: of its texts and of the template's comments.
    #[arg(long, value_enum, default_value_t = Lang::Fi)]
    pub lang: Lang,
    /// Further languages the notice is published in (comma-separated): every text becomes a map
    /// of languages.
    #[arg(long, value_enum, value_delimiter = ',', value_name = "LANGS")]
    pub translations: Vec<Lang>,
    /// Write the template to FILE (atomically) instead of stdout.
    #[arg(long, short = 'o', value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// With --output: replace FILE if it exists.
    #[arg(long, requires = "output")]
    pub force: bool,
}

/// `controller.kind`.
#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
#[value(rename_all = "snake_case")]
pub enum InitKind {
    PublicAuthority,
    PublicBody,
    Company,
    Association,
    Individual,
}

/// `seloste init`: the template to stdout or to a new file (an existing one only with --force).
pub fn run_init(args: &InitArgs) -> i32 {
    let lang = args.lang.code();
    if args.translations.contains(&args.lang) {
        eprintln!(
            "error: --translations {lang}: `{lang}` is the register's language (--lang {lang})"
        );
        return EXIT_ERROR;
    }
    let mut translations: Vec<String> = Vec::new();
    for code in args.translations.iter().map(|t| t.code().to_owned()) {
        if !translations.contains(&code) {
            translations.push(code);
        }
    }
    let opts = crate::init::Options {
        // clap's name of the value is the code (`public_authority`).
        kind: args
            .kind
            .to_possible_value()
            .map_or_else(String::new, |v| v.get_name().to_owned()),
        lang: lang.to_owned(),
        translations,
    };
    let text = match crate::init::template(&opts) {
        Ok(t) => t,
        Err(e) => {
            eprintln!("error: internal error in the template: {e}");
            return EXIT_ERROR;
        }
    };
    match crate::output::write_new(args.output.as_deref(), &text, args.force, "the template") {
        Ok(()) => EXIT_OK,
        Err(e) => {
            eprintln!("error: {e}");
            EXIT_ERROR
        }
    }
}

#[derive(clap::Args, Debug)]
pub struct ServerArgs {
    /// Talk over stdin and stdout (the only transport; accepted because editors pass it).
    #[arg(long)]
    pub stdio: bool,
}

/// `seloste server`.
pub fn run_server(_args: &ServerArgs) -> i32 {
    let input = Box::new(std::io::BufReader::new(std::io::stdin()));
    let mut output = std::io::stdout().lock();
    crate::server::run(input, &mut output)
}

/// The options of every command that checks registers (`lint`, `render`): language, config, rules.
#[derive(clap::Args, Debug)]
pub struct CheckArgs {
    /// When to use colours.
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,
    /// A directory of custom rules (repeatable), checked like the built-in ones.
    #[arg(long = "rules", value_name = "DIR")]
    pub rule_dirs: Vec<PathBuf>,
    /// Run only custom rules, not the built-in packs.
    #[arg(long)]
    pub no_builtin: bool,
    /// The config file for every file (default: for each file, the nearest `.seloste.yaml` in
    /// its directory or a parent).
    #[arg(long, value_name = "FILE", conflicts_with = "no_config")]
    pub config: Option<PathBuf>,
    /// Ignore any `.seloste.yaml`.
    #[arg(long)]
    pub no_config: bool,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// Annotated source excerpts, like rustc (the default).
    Human,
    /// `file:line:col: severity[rule] message`, one finding per line.
    Short,
    /// A JSON array of findings (docs/output.md).
    Json,
    /// SARIF 2.1.0, for GitHub code scanning.
    Sarif,
    /// GitHub Actions workflow commands (annotations).
    Github,
    /// GitLab Code Quality (Code Climate JSON), for the merge-request widget.
    Gitlab,
    /// JUnit XML: a test case per file, a failure per finding.
    Junit,
    /// A standalone HTML report: totals, registers, rules by findings, every finding.
    Html,
    /// Markdown: totals, rules by findings, a table of findings (for a CI job summary).
    Markdown,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum DenyLevel {
    Warnings,
}

pub use crate::config::Lang;

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

pub(crate) fn style(choice: ColorChoice) -> report::human::Style {
    let tty = std::io::stdout().is_terminal();
    let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
    let color = match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => tty && !no_color,
    };
    // A terminal's width, when `COLUMNS` says it.
    let columns = std::env::var("COLUMNS").ok().filter(|_| tty);
    report::human::Style {
        color,
        unicode: tty && !no_color,
        width: columns.and_then(|c| c.parse().ok()).unwrap_or(100),
    }
}

/// Diagnostics rendered for stderr (excerpts with Unicode only when stderr is a terminal too), and
/// how many there are.
fn diagnostics<'f>(
    files: impl IntoIterator<Item = &'f FileFindings>,
    choice: ColorChoice,
) -> (String, usize) {
    let mut st = style(choice);
    st.unicode = st.unicode && std::io::stderr().is_terminal();
    let (mut out, mut total) = (String::new(), 0);
    for file in files {
        report::human::render_file(&mut out, file, st, "en");
        total += file.findings.len();
    }
    (out, total)
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

/// Prints diagnostics about files that are not registers (rule files, notice texts) to stderr, and
/// that nothing was linted.
pub(crate) fn print_problems(errors: &[FileFindings], choice: ColorChoice, place: &str) {
    let (out, n) = diagnostics(errors, choice);
    eprintln!(
        "{out}error: {n} problem{} {place}; nothing was linted",
        plural(n)
    );
}

/// The settings of each file of a run that checks registers (`lint`, `render`, `export`), from
/// the command line: configs are found per file unless `--config` or `--no-config` says
/// otherwise. `lang`: `--lang`; `lean`: see [`settings::Request::lean`].
pub(crate) fn settings_of(
    args: &CheckArgs,
    lang: Option<Lang>,
    lean: bool,
    languages: crate::lint::Languages,
) -> Settings {
    Settings::new(settings::Request {
        config: match &args.config {
            _ if args.no_config => ConfigChoice::None,
            Some(file) => ConfigChoice::File(file.clone()),
            None => ConfigChoice::Discover,
        },
        rule_dirs: args.rule_dirs.clone(),
        no_builtin: args.no_builtin,
        lang,
        lean,
        languages,
    })
}

/// The files of `paths`, each with the settings of its config (a file whose config cannot be used
/// is left out), the problems of the walk and the configs that failed; or the exit code when no
/// file is left because every config failed (`render` and `export`).
pub(crate) type Selection = (
    Vec<(crate::lint::Target, crate::settings::FileSettings)>,
    Vec<String>,
    Vec<std::sync::Arc<crate::settings::Failure>>,
);

pub(crate) fn select_files(
    settings: &Settings,
    paths: &[PathBuf],
    color: ColorChoice,
) -> Result<Selection, i32> {
    let (targets, problems) = crate::lint::discover(paths);
    let selected: Vec<_> = targets
        .into_iter()
        .filter_map(|t| settings.select(t))
        .collect();
    let failures = settings.failures();
    if selected.is_empty() && !failures.is_empty() {
        return Err(nothing_checked(&problems, &failures, color));
    }
    Ok((selected, problems, failures))
}

/// Every file depended on a broken config: the problems and the configs' diagnostics, and exit 2
/// (no output is written).
pub(crate) fn nothing_checked(
    problems: &[String],
    failures: &[std::sync::Arc<crate::settings::Failure>],
    color: ColorChoice,
) -> i32 {
    for p in problems {
        eprintln!("error: {p}");
    }
    print_failures(failures, color, true);
    EXIT_ERROR
}

/// Prints, on stderr, the diagnostics of the configs and rule files that could not be used (a rule
/// file that several configs load is shown once), then what that meant: with `nothing` (no file
/// was checked), one line as before configs were per file ("1 problem in the config; nothing was
/// linted"); else a line for each config whose files were not checked.
pub(crate) fn print_failures(failures: &[Arc<Failure>], choice: ColorChoice, nothing: bool) {
    if failures.is_empty() {
        return;
    }
    let mut shown = std::collections::HashSet::new();
    let files = failures
        .iter()
        .flat_map(|f| f.error.files())
        .filter(|file| shown.insert((file.file.clone(), file.findings.len(), file.source.len())));
    let (mut out, total) = diagnostics(files, choice);
    if nothing {
        let configs = failures
            .iter()
            .filter(|f| matches!(f.error, SetupError::Config(_)))
            .count();
        let place = match (configs, failures.len() - configs) {
            (1, 0) => "in the config",
            (_, 0) => "in the configs",
            (0, _) => "in rule files",
            _ => "in the configs and rule files",
        };
        out.push_str(&format!(
            "error: {total} problem{} {place}; nothing was linted\n",
            plural(total)
        ));
    } else {
        for f in failures {
            let n = f.problems();
            let place = match (&f.error, &f.config) {
                (SetupError::Config(_), Some(c)) => format!("the config {c}"),
                (SetupError::Config(_), None) => "the config".to_owned(),
                (SetupError::Rules(_), Some(c)) => format!("the rule files of the config {c}"),
                (SetupError::Rules(_), None) => "rule files".to_owned(),
            };
            out.push_str(&format!(
                "error: {n} problem{} in {place}; the files it governs were not checked\n",
                plural(n)
            ));
        }
    }
    eprint!("{out}");
}
