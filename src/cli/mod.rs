//! The command line: argument types (clap derive) and the commands behind them.

pub mod export;
pub mod import;
pub mod render;

use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::sync::Arc;

use clap::{Parser, Subcommand, ValueEnum};

use crate::finding::FileFindings;
use crate::lint;
use crate::output::{Sink, plain_io_error};
use crate::report;
use crate::rules::{self, RuleSet};
use crate::settings::{self, Failure, FileSettings, Settings, SetupError};

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

impl InitKind {
    pub fn code(self) -> &'static str {
        match self {
            InitKind::PublicAuthority => "public_authority",
            InitKind::PublicBody => "public_body",
            InitKind::Company => "company",
            InitKind::Association => "association",
            InitKind::Individual => "individual",
        }
    }
}

/// `seloste init`: the template to stdout or to a new file (an existing one only with --force).
pub fn run_init(args: &InitArgs) -> i32 {
    let lang = args.lang.code();
    let mut translations: Vec<String> = Vec::new();
    for t in &args.translations {
        let code = t.code().to_owned();
        if code == lang {
            eprintln!(
                "error: --translations {code}: `{code}` is the register's language (--lang {lang})"
            );
            return EXIT_ERROR;
        }
        if !translations.contains(&code) {
            translations.push(code);
        }
    }
    let opts = crate::init::Options {
        kind: args.kind.code().to_owned(),
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

#[derive(clap::Args, Debug)]
pub struct LintArgs {
    /// Files or directories to check.
    #[arg(default_value = ".")]
    pub paths: Vec<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,
    /// Write the output to FILE (atomically: a temporary file in the same directory, then a
    /// rename) instead of stdout.
    #[arg(long, short = 'o', value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Language of rule messages (default: each file's config's `language`, else en).
    #[arg(long, value_enum)]
    pub lang: Option<Lang>,
    #[command(flatten)]
    pub check: CheckArgs,
    /// Instead of the findings, the number of findings of each rule (most first) and the summary.
    #[arg(long, conflicts_with = "format")]
    pub statistics: bool,
    /// Also fail (exit 1) on warnings.
    #[arg(long, value_enum, value_name = "LEVEL")]
    pub deny: Option<DenyLevel>,
    /// Fail (exit 1) when there are more than N warnings.
    #[arg(long, value_name = "N")]
    pub max_warnings: Option<usize>,
    /// Treat files named on the command line like files found in a directory: skip them without
    /// an error when they have no `seloste` marker or the config's include/exclude leave them out
    /// (for pre-commit and other tools that pass every changed YAML file).
    #[arg(long)]
    pub force_exclude: bool,
    /// Apply the safe fixes of the findings to the files in place (each written atomically), then
    /// report the findings that are left.
    #[arg(long)]
    pub fix: bool,
    /// With --fix or --diff: the unsafe fixes too (they guess: check them).
    #[arg(long)]
    pub unsafe_fixes: bool,
    /// Print the fixes as a unified diff instead of the findings, writing nothing (exit 1 when
    /// there is something to fix).
    #[arg(long, conflicts_with = "fix")]
    pub diff: bool,
    /// Hide the findings recorded in this baseline (docs/adoption.md): only new findings fail the
    /// run; entries that no longer match are `seloste/baseline-stale` infos. Default: each file's
    /// config's `baseline:`.
    #[arg(long, value_name = "FILE")]
    pub baseline: Option<PathBuf>,
    /// Record every finding of the run in FILE (written atomically; paths relative to its
    /// directory), and show them as a run with it would: hidden. No baseline is read.
    #[arg(long, value_name = "FILE", conflicts_with_all = ["baseline", "prune_baseline", "diff"])]
    pub write_baseline: Option<PathBuf>,
    /// Rewrite the baseline in use without its stale entries (it adds no new findings).
    #[arg(long, conflicts_with = "diff")]
    pub prune_baseline: bool,
    /// Read no baseline, not even the config's: show every finding (to burn the baseline down).
    #[arg(long, conflicts_with_all = ["baseline", "prune_baseline"])]
    pub no_baseline: bool,
}

/// What a lint run does with baselines.
enum Baselines {
    Off,
    Read(crate::baseline::Reading),
    Write(crate::baseline::Recorder, PathBuf),
}

impl Baselines {
    fn of(args: &LintArgs) -> Result<Baselines, String> {
        if let Some(path) = &args.write_baseline {
            let shown = lint::display_path(path);
            return crate::baseline::Recorder::new(path, &shown)
                .map(|r| Baselines::Write(r, path.clone()));
        }
        if args.no_baseline {
            return Ok(Baselines::Off);
        }
        crate::baseline::Reading::new(args.baseline.as_deref(), args.prune_baseline)
            .map(Baselines::Read)
    }

    /// Applies the run's baseline to a file about to be reported; false when the file is not to
    /// be reported (its baseline cannot be read).
    fn apply(&mut self, file: &mut FileFindings, settings: &FileSettings) -> bool {
        // The language of the file's messages: its config's, or --lang.
        let lang = &settings.opts().lang;
        match self {
            Baselines::Off => true,
            Baselines::Write(recorder, _) => {
                recorder.record(file, lang);
                true
            }
            Baselines::Read(reading) => {
                let configured = settings.opts().config.baseline.as_deref();
                reading.apply(file, configured, lang)
            }
        }
    }

    /// The end of the run: the baseline written (`ok`: the run had no errors), or pruned, or its
    /// entries of registers that are gone named. Messages go to stderr; false on an error.
    fn finish(self, ok: bool, prune: bool, lang: &str) -> bool {
        let m = crate::messages::get(lang);
        let write =
            |path: &std::path::Path,
             what: &mut dyn FnMut(&mut dyn Write) -> std::io::Result<()>| {
                let shown = lint::display_path(path);
                let cannot = |e: String| format!("cannot write the baseline {shown}: {e}");
                let mut sink = Sink::open(Some(path)).map_err(&cannot)?;
                what(sink.writer()).map_err(|e| cannot(plain_io_error(&e)))?;
                sink.close().map_err(|e| cannot(plain_io_error(&e)))
            };
        let error = |e: String| {
            eprintln!("{}{e}", m.text("run.error"));
            false
        };
        match self {
            Baselines::Off => true,
            Baselines::Write(recorder, path) => {
                let shown = lint::display_path(&path);
                if !ok {
                    return error(format!(
                        "the baseline {shown} was not written: the run had errors"
                    ));
                }
                match write(&path, &mut |out| recorder.write(out)) {
                    Err(e) => error(e),
                    Ok(()) => {
                        eprintln!(
                            "{}",
                            m.fill(
                                "suppress.baseline_written",
                                &[
                                    ("baseline", &shown),
                                    ("findings", &recorder.findings.to_string()),
                                    ("entries", &recorder.entries().to_string()),
                                ]
                            )
                        );
                        true
                    }
                }
            }
            Baselines::Read(reading) => {
                let mut fine = reading.problems.is_empty();
                if prune && reading.baselines().is_empty() && fine {
                    return error(
                        "--prune-baseline: no baseline in use (give --baseline FILE, or set `baseline:` in \
                         .seloste.yaml)"
                            .to_owned(),
                    );
                }
                for b in reading.baselines() {
                    if prune {
                        let mut counts = (0, 0);
                        match write(&b.path, &mut |out| b.write_pruned(out).map(|c| counts = c)) {
                            Err(e) => fine = error(e),
                            Ok(()) => eprintln!(
                                "{}",
                                m.fill(
                                    "suppress.baseline_pruned",
                                    &[
                                        ("baseline", &b.shown),
                                        ("removed", &counts.0.to_string()),
                                        ("kept", &counts.1.to_string()),
                                    ]
                                )
                            ),
                        }
                        continue;
                    }
                    let gone = b.gone();
                    if !gone.is_empty() {
                        let n: usize = gone.iter().map(|(_, n)| n).sum();
                        let files: Vec<&str> = gone.iter().map(|(p, _)| *p).collect();
                        eprintln!(
                            "{}",
                            m.fill(
                                "suppress.baseline_gone",
                                &[
                                    ("baseline", &b.shown),
                                    ("n", &n.to_string()),
                                    ("files", &files.join(", ")),
                                ]
                            )
                        );
                    }
                }
                fine
            }
        }
    }
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

#[derive(clap::Args, Debug)]
pub struct RulesArgs {
    #[command(subcommand)]
    pub action: Option<RulesAction>,
    /// Output format of the list.
    #[arg(long, value_enum, default_value_t = ListFormat::Table)]
    pub format: ListFormat,
    /// Language of titles.
    #[arg(long, value_enum, default_value_t = Lang::En)]
    pub lang: Lang,
}

#[derive(clap::Args, Debug)]
pub struct ExplainArgs {
    /// The rule id, e.g. `gdpr/dpo-contact` (the part after the pack is enough when unique).
    pub rule: String,
    /// Language of the title, docs and labels (docs fall back to English).
    #[arg(long, value_enum, default_value_t = Lang::En)]
    pub lang: Lang,
    /// When to use colours.
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,
    /// A directory of custom rules (repeatable), to explain one of them.
    #[arg(long = "rules", value_name = "DIR")]
    pub rule_dirs: Vec<PathBuf>,
}

#[derive(Subcommand, Debug)]
pub enum RulesAction {
    /// Run the `tests:` of rules: the built-in packs, or the rules in DIR.
    Test {
        /// A directory of custom rules; without it, the built-in packs.
        dir: Option<PathBuf>,
    },
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

impl Format {
    /// Formats whose output holds only findings: their summary line goes to stderr.
    fn summary_on_stderr(self) -> bool {
        matches!(self, Format::Short | Format::Github)
    }
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum DenyLevel {
    Warnings,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum ListFormat {
    Table,
    Json,
    /// The rules reference (docs/rules.md): an index by pack and every rule's docs.
    Markdown,
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
    let width = if tty {
        terminal_width().unwrap_or(100)
    } else {
        100
    };
    report::human::Style {
        color,
        unicode: tty && !no_color,
        width,
    }
}

fn terminal_width() -> Option<usize> {
    std::env::var("COLUMNS").ok().and_then(|c| c.parse().ok())
}

/// Prints diagnostics about files that are not registers (rule files, configs) to stderr.
pub(crate) fn print_file_errors(errors: &[FileFindings], choice: ColorChoice) {
    print_problems(errors, choice, "in rule files");
}

pub(crate) fn print_problems(errors: &[FileFindings], choice: ColorChoice, place: &str) {
    let mut out = String::new();
    let mut st = style(choice);
    st.unicode = st.unicode && std::io::stderr().is_terminal();
    for e in errors {
        report::human::render_file(&mut out, e, st, "en");
    }
    let n: usize = errors.iter().map(|e| e.findings.len()).sum();
    out.push_str(&format!(
        "error: {n} problem{} {place}; nothing was linted\n",
        if n == 1 { "" } else { "s" }
    ));
    eprint!("{out}");
}

use crate::rules::{load_rules, load_rules_checked};

/// What `--fix` or `--diff` did.
#[derive(Default)]
struct FixTotals {
    fixes: usize,
    files: usize,
    /// Fixes left unapplied because they are unsafe (without --unsafe-fixes).
    unsafe_left: usize,
}

impl FixTotals {
    fn summary(&self, diff: bool) -> String {
        let plural = |n: usize, w: &str| format!("{n} {w}{}", if n == 1 { "" } else { "es" });
        let mut line = if diff {
            format!(
                "{} would be applied in {} file{}",
                plural(self.fixes, "fix"),
                self.files,
                if self.files == 1 { "" } else { "s" }
            )
        } else {
            format!(
                "{} applied in {} file{}",
                plural(self.fixes, "fix"),
                self.files,
                if self.files == 1 { "" } else { "s" }
            )
        };
        if self.unsafe_left > 0 {
            line.push_str(&format!(
                "; {} left (--unsafe-fixes applies them)",
                plural(self.unsafe_left, "unsafe fix")
            ));
        }
        line
    }
}

/// The most rounds of fixing one file: a fix applied may let another apply (overlapping ones wait
/// for the next round), as ruff does.
const FIX_ROUNDS: usize = 8;

/// `--fix` / `--diff` for one linted file: the fixes applied round by round (each round lints the
/// text the previous one made), then the file written atomically (or its diff printed); the
/// findings of the fixed text are returned.
fn fix_file(
    file: FileFindings,
    which: crate::fix::Apply,
    diff: bool,
    settings: &FileSettings,
    totals: &mut FixTotals,
) -> Result<FileFindings, String> {
    let original = file.source.clone();
    let mut current = file;
    let mut applied_here = 0;
    for _ in 0..FIX_ROUNDS {
        let (text, n) = crate::fix::apply(&current.source, &current.findings, which);
        if n == 0 {
            break;
        }
        match crate::lint::lint_file(settings, &current.file, text.as_bytes()) {
            lint::Linted::Unreadable(f) | lint::Linted::Register { file: f, .. } => current = f,
            lint::Linted::NotRegister => break,
        }
        applied_here += n;
    }
    totals.unsafe_left += current
        .findings
        .iter()
        .filter(|f| !f.fixes.is_empty() && f.fixes.iter().all(|x| !which.takes(x)))
        .count();
    if applied_here == 0 {
        return Ok(current);
    }
    totals.fixes += applied_here;
    totals.files += 1;
    if diff {
        let d = similar::TextDiff::from_lines(&original, &current.source);
        let name = &current.file;
        let text = d
            .unified_diff()
            .context_radius(3)
            .header(&format!("a/{name}"), &format!("b/{name}"))
            .to_string();
        let mut out = std::io::stdout().lock();
        let _ = out.write_all(text.as_bytes());
        let _ = out.flush();
        return Ok(current);
    }
    let cannot = |e: String| format!("{}: cannot write the fixes: {e}", current.file);
    let mut sink = Sink::open(Some(std::path::Path::new(&current.file))).map_err(cannot)?;
    sink.writer()
        .write_all(current.source.as_bytes())
        .map_err(|e| cannot(plain_io_error(&e)))?;
    sink.close().map_err(|e| cannot(plain_io_error(&e)))?;
    Ok(current)
}

/// `seloste lint`.
pub fn run_lint(args: &LintArgs) -> i32 {
    // Only SARIF shows rule docs (as help text): the other formats skip parsing them, and the
    // texts in other languages than the one shown.
    let settings = settings_of(
        &args.check,
        args.lang,
        args.format != Format::Sarif,
        lint::Languages::Declared,
    );
    let lang = settings.language();
    // The rules of each config are added as its first file arrives.
    let mut catalog = report::Catalog::new(&RuleSet::default(), &lang);
    let mut in_catalog = 0;
    let mut totals = report::Totals {
        lang: crate::messages::get(&lang).lang,
        ..Default::default()
    };
    let mut emitter = emitter(args, &lang);
    // A baseline that cannot be used stops the run before any output.
    let mut baselines = match Baselines::of(args) {
        Ok(b) => b,
        Err(e) => {
            eprintln!("{}{e}", crate::messages::get(&lang).text("run.error"));
            return EXIT_ERROR;
        }
    };
    let mut sink = match Sink::open(args.output.as_deref()) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("error: {e}");
            return EXIT_ERROR;
        }
    };
    let mut write_error = None;
    let mut ids = report::RegisterIds::new(&lang);
    let which = if args.unsafe_fixes {
        crate::fix::Apply::All
    } else {
        crate::fix::Apply::Safe
    };
    let mut fixed = FixTotals::default();
    let discover_errors = lint::lint_paths(&args.paths, args.force_exclude, &settings, |outcome| {
        let (mut file, file_settings) = match outcome {
            lint::TargetOutcome::Skipped => return,
            lint::TargetOutcome::Error(e) => return totals.problems.push(e),
            lint::TargetOutcome::Checked(file, settings) => (file, settings),
        };
        if settings.prepared_count() > in_catalog {
            for p in settings.prepared_since(in_catalog) {
                catalog.add(&p.rules, &lang);
                in_catalog += 1;
            }
        }
        if args.fix || args.diff {
            match fix_file(file, which, args.diff, &file_settings, &mut fixed) {
                Ok(f) => file = f,
                Err(e) => return totals.problems.push(e),
            }
            if args.diff {
                totals.add(&file);
                return;
            }
        }
        ids.check(&mut file);
        if !baselines.apply(&mut file, &file_settings) {
            return;
        }
        totals.add(&file);
        if write_error.is_none()
            && let Err(e) = emitter.file(sink.writer(), &file, &catalog)
        {
            write_error = Some(e);
        }
    });
    // Discovery problems first: they concern the paths as given, before any file was read.
    totals.problems.splice(0..0, discover_errors);
    if let Baselines::Read(reading) = &baselines {
        totals.problems.extend(reading.problems.iter().cloned());
    }
    let failures = settings.failures();
    if totals.checked == 0 && !failures.is_empty() {
        // Every file depended on a broken config: its diagnostics, and no output at all (an
        // earlier --output FILE stays as it was).
        drop(sink);
        return nothing_checked(&totals.problems, &failures, args.check.color);
    }
    // A wrong path in CI must not go green: no register at all is an error, except for a hook
    // that passes whatever files were staged (--force-exclude).
    if totals.checked == 0 && totals.problems.is_empty() && !args.force_exclude {
        totals
            .problems
            .push(lint::no_registers_in(&args.paths, &lang));
    }
    crate::timing::mark("files linted");
    if args.diff {
        let _ = sink.close();
        for e in &totals.problems {
            eprintln!("error: {e}");
        }
        eprintln!("{}", fixed.summary(true));
        return if !totals.problems.is_empty() {
            EXIT_ERROR
        } else if fixed.fixes > 0 {
            EXIT_FINDINGS
        } else {
            EXIT_OK
        };
    }
    if args.fix {
        eprintln!("{}", fixed.summary(false));
    }
    let written = match write_error {
        Some(e) => Err(e),
        None => emitter.finish(sink.writer(), &totals, &catalog),
    }
    .and_then(|()| sink.close());
    if args.format.summary_on_stderr() {
        eprintln!("{}", report::summary(&totals));
    }
    for e in &totals.problems {
        eprintln!("{}{e}", crate::messages::get(totals.lang).text("run.error"));
    }
    print_failures(&failures, args.check.color, false);
    if let Err(e) = written {
        // A closed pipe (`| head`) is the reader's choice, not an error worth reporting.
        if e.kind() != std::io::ErrorKind::BrokenPipe || args.output.is_some() {
            let to = args
                .output
                .as_deref()
                .map_or_else(|| "stdout".to_owned(), lint::display_path);
            eprintln!(
                "error: cannot write the output to {to}: {}",
                plain_io_error(&e)
            );
            return EXIT_ERROR;
        }
    }
    let run_ok = totals.problems.is_empty() && failures.is_empty();
    let baseline_ok = baselines.finish(run_ok, args.prune_baseline, totals.lang);
    let denied = args.deny == Some(DenyLevel::Warnings) && totals.warnings > 0;
    let too_many = args.max_warnings.is_some_and(|n| totals.warnings > n);
    // Say why a run with no errors fails.
    if totals.problems.is_empty() && failures.is_empty() && totals.errors == 0 {
        let m = crate::messages::get(totals.lang);
        let w = totals.warnings;
        let warnings = match w {
            1 => m.text("summary.warning_one").to_owned(),
            n => m.fill("summary.warnings", &[("n", &n.to_string())]),
        };
        if denied {
            eprintln!(
                "{}{}",
                m.text("run.error"),
                m.fill("run.deny_warnings", &[("warnings", &warnings)])
            );
        } else if let (true, Some(n)) = (too_many, args.max_warnings) {
            eprintln!(
                "{}{}",
                m.text("run.error"),
                m.fill(
                    "run.max_warnings",
                    &[("warnings", &warnings), ("max", &n.to_string())]
                )
            );
        }
    }
    // The process ends here: freeing the rules and their compiled expressions one by one would
    // only delay the exit (a few percent of a one-file run).
    std::mem::forget(catalog);
    std::mem::forget(settings);
    if !totals.problems.is_empty() || !failures.is_empty() || !baseline_ok {
        EXIT_ERROR
    } else if totals.errors > 0 || denied || too_many {
        EXIT_FINDINGS
    } else {
        EXIT_OK
    }
}

/// The settings of each file of a run that checks registers (`lint`, `render`, `export`), from
/// the command line: configs are found per file unless `--config` or `--no-config` says
/// otherwise. `lang`: `--lang`; `lean`: see [`settings::Request::lean`].
pub(crate) fn settings_of(
    args: &CheckArgs,
    lang: Option<Lang>,
    lean: bool,
    languages: lint::Languages,
) -> Settings {
    Settings::new(settings::Request {
        config: if args.no_config {
            settings::ConfigChoice::None
        } else {
            args.config.clone().map_or(
                settings::ConfigChoice::Discover,
                settings::ConfigChoice::File,
            )
        },
        rule_dirs: args.rule_dirs.clone(),
        no_builtin: args.no_builtin,
        lang,
        lean,
        languages,
    })
}

/// Every file depended on a broken config: the problems and the configs' diagnostics, and exit 2
/// (no output is written).
/// The files of `paths`, each with the settings of its config (a file whose config cannot be used
/// is left out), the problems of the walk and the configs that failed; or the exit code when no
/// file is left because every config failed (`render` and `export`).
pub(crate) type Selection = (
    Vec<(lint::Target, crate::settings::FileSettings)>,
    Vec<String>,
    Vec<std::sync::Arc<crate::settings::Failure>>,
);

pub(crate) fn select_files(
    settings: &Settings,
    paths: &[PathBuf],
    color: ColorChoice,
) -> Result<Selection, i32> {
    let (targets, problems) = lint::discover(paths);
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
    let mut st = style(choice);
    st.unicode = st.unicode && std::io::stderr().is_terminal();
    let mut out = String::new();
    let mut shown = std::collections::HashSet::new();
    let mut total = 0;
    for f in failures {
        for file in f.error.files() {
            if shown.insert((file.file.clone(), file.findings.len(), file.source.len())) {
                report::human::render_file(&mut out, file, st, "en");
                total += file.findings.len();
            }
        }
    }
    let plural = |n: usize| if n == 1 { "" } else { "s" };
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

/// The emitter of `--format`. Human output written to a file gets no colours unless asked for.
fn emitter(args: &LintArgs, lang: &str) -> Box<dyn report::Emitter> {
    if args.statistics {
        return Box::new(report::statistics::Statistics::default());
    }
    match args.format {
        Format::Human => {
            let mut style = style(args.check.color);
            if args.output.is_some() {
                style.color = args.check.color == ColorChoice::Always;
                style.unicode = false;
                style.width = 100;
            }
            Box::new(report::human::Human {
                style,
                lang: lang.to_owned(),
            })
        }
        Format::Short => Box::new(report::Lines(report::short::line)),
        Format::Json => Box::new(report::json::Json::default()),
        Format::Sarif => Box::new(report::sarif::Sarif::default()),
        Format::Github => Box::new(report::Lines(report::github::annotation)),
        Format::Gitlab => Box::new(report::gitlab::Gitlab::new(
            std::env::var_os("CI_PROJECT_DIR").map(PathBuf::from),
        )),
        Format::Junit => Box::new(report::junit::Junit::default()),
        Format::Markdown => Box::new(report::markdown::Markdown::default()),
        Format::Html => Box::new(report::html::Html::new(
            lang,
            Some(rules::engine::today_date()),
        )),
    }
}

/// `seloste rules` and `seloste rules test`.
pub fn run_rules(args: &RulesArgs) -> i32 {
    match &args.action {
        Some(RulesAction::Test { dir }) => {
            let loaded = match dir {
                Some(d) => load_rules(std::slice::from_ref(d), false),
                None => load_rules_checked(&[], true, true),
            };
            match loaded {
                Ok(rules) => run_rule_tests(&rules),
                Err(errors) => {
                    print_file_errors(&errors, ColorChoice::Auto);
                    EXIT_ERROR
                }
            }
        }
        None => match load_rules(&[], true) {
            Ok(rules) => {
                print!("{}", list_rules(&rules, args.format, args.lang.code()));
                EXIT_OK
            }
            Err(errors) => {
                print_file_errors(&errors, ColorChoice::Auto);
                EXIT_ERROR
            }
        },
    }
}

fn list_rules(rules: &RuleSet, format: ListFormat, lang: &str) -> String {
    match format {
        ListFormat::Markdown => crate::explain::reference(rules, lang),
        ListFormat::Json => {
            let list: Vec<serde_json::Value> = rules
                .rules
                .iter()
                .map(|r| {
                    serde_json::json!({
                        "id": r.id,
                        "severity": r.severity,
                        "title": r.title_in(lang),
                        "refs": {"gdpr": r.refs.gdpr, "law": r.refs.law},
                    })
                })
                .collect();
            serde_json::to_string_pretty(&list).unwrap_or_default() + "\n"
        }
        ListFormat::Table => {
            let width = rules.rules.iter().map(|r| r.id.len()).max().unwrap_or(2);
            let mut out = format!("{:width$}  {:8}  {}\n", "id", "severity", "title (refs)");
            for r in &rules.rules {
                out.push_str(&format!(
                    "{:width$}  {:8}  {} ({})\n",
                    r.id,
                    r.severity.as_str(),
                    r.title_in(lang),
                    r.refs.display()
                ));
            }
            out
        }
    }
}

/// `seloste explain RULE`.
pub fn run_explain(args: &ExplainArgs) -> i32 {
    // seloste's own checks of registers are no rule files: their docs are built in.
    if let Some(check) = crate::checks::get(args.rule.trim()).filter(|c| c.in_registers) {
        let text = crate::explain::explain_check(check, args.lang.code(), style(args.color));
        let mut stdout = std::io::stdout().lock();
        let _ = stdout.write_all(text.as_bytes());
        let _ = stdout.flush();
        return EXIT_OK;
    }
    let rules = match load_rules(&args.rule_dirs, true) {
        Ok(r) => r,
        Err(errors) => {
            print_file_errors(&errors, args.color);
            return EXIT_ERROR;
        }
    };
    let rule = match find_rule(&rules, args.rule.trim()) {
        Ok(r) => r,
        Err(_) if builtin_check(args.rule.trim()).is_some() => {
            let check = builtin_check(args.rule.trim());
            let text = check.map_or_else(String::new, |c| {
                crate::explain::explain_check(c, args.lang.code(), style(args.color))
            });
            let mut stdout = std::io::stdout().lock();
            let _ = stdout.write_all(text.as_bytes());
            let _ = stdout.flush();
            return EXIT_OK;
        }
        Err(help) => {
            eprintln!("error: unknown rule `{}`", args.rule.trim());
            if let Some(h) = help {
                eprintln!("  help: {h}");
            }
            eprintln!("  help: `seloste rules` lists every rule");
            return EXIT_ERROR;
        }
    };
    let text = crate::explain::explain(rule, args.lang.code(), style(args.color));
    let mut stdout = std::io::stdout().lock();
    let _ = stdout.write_all(text.as_bytes());
    let _ = stdout.flush();
    EXIT_OK
}

/// One of seloste's own checks, by id (`seloste/baseline-stale`) or the part after `seloste/`.
fn builtin_check(wanted: &str) -> Option<&'static crate::checks::BuiltinCheck> {
    let id = wanted.strip_prefix("seloste/").unwrap_or(wanted);
    crate::checks::BUILTIN_CHECKS
        .iter()
        .find(|c| c.id.strip_prefix("seloste/") == Some(id))
}

/// A rule by id, or by the part after the pack when that is unique. Otherwise a help line: the
/// rules sharing that name, or the nearest id (did you mean).
fn find_rule<'r>(rules: &'r RuleSet, wanted: &str) -> Result<&'r rules::Rule, Option<String>> {
    let ids: Vec<&str> = rules.rules.iter().map(|r| r.id.as_str()).collect();
    let id = rules::resolve_id(&ids, wanted, crate::messages::en())?;
    rules.get(id).ok_or(None)
}

/// Prints a `cargo test`-like report of rule tests; exit 1 when any fails.
pub fn run_rule_tests(rules: &RuleSet) -> i32 {
    let results = rules::testing::run_tests(rules);
    let mut out = String::new();
    out.push_str(&format!("running {} rule tests\n", results.len()));
    for r in &results {
        out.push_str(&format!(
            "test {} :: {} ... {}\n",
            r.rule,
            r.name,
            if r.passed { "ok" } else { "FAILED" }
        ));
    }
    let failed: Vec<_> = results.iter().filter(|r| !r.passed).collect();
    if !failed.is_empty() {
        out.push_str("\nfailures:\n");
        for r in &failed {
            out.push_str(&format!(
                "  {} :: {}\n    expected: {:?}\n    actual:   {:?}\n",
                r.rule, r.name, r.expected, r.actual
            ));
            for e in &r.errors {
                out.push_str(&format!("    error:    {e}\n"));
            }
        }
    }
    let missing: Vec<&str> = rules
        .rules
        .iter()
        .filter(|r| {
            !r.tests.iter().any(|t| t.expect.is_empty())
                || !r.tests.iter().any(|t| !t.expect.is_empty())
        })
        .map(|r| r.id.as_str())
        .collect();
    for m in &missing {
        out.push_str(&format!(
            "rule {m} lacks a passing or a failing test case\n"
        ));
    }
    let passed = results.len() - failed.len();
    out.push_str(&format!(
        "\ntest result: {}. {passed} passed; {} failed\n",
        if failed.is_empty() && missing.is_empty() {
            "ok"
        } else {
            "FAILED"
        },
        failed.len()
    ));
    print!("{out}");
    if failed.is_empty() && missing.is_empty() {
        EXIT_OK
    } else {
        EXIT_FINDINGS
    }
}
