//! `seloste lint`: the files checked with their configs' settings, fixed on request, matched
//! against a baseline, and reported in one format.

use super::{ColorChoice, Lang, style};
use crate::rules;
use std::io::Write;
use std::path::{Path, PathBuf};

use super::{
    CheckArgs, DenyLevel, EXIT_ERROR, EXIT_FINDINGS, EXIT_OK, Format, nothing_checked,
    print_failures, settings_of,
};
use crate::finding::FileFindings;
use crate::lint;
use crate::messages::Messages;
use crate::output::{Sink, plain_io_error, write_error};
use crate::report;
use crate::rules::RuleSet;
use crate::settings::FileSettings;

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
    fn finish(self, ok: bool, prune: bool, m: &Messages) -> bool {
        let cannot = |path: &Path| {
            let shown = lint::display_path(path);
            move |e| format!("cannot write the baseline {shown}: {e}")
        };
        let error = |e: String| {
            eprintln!("{}{e}", m.text("run.error"));
            false
        };
        let say = |key, args: &[(&str, &str)]| eprintln!("{}", m.fill(key, args));
        match self {
            Baselines::Off => true,
            Baselines::Write(recorder, path) => {
                let shown = lint::display_path(&path);
                if !ok {
                    return error(format!(
                        "the baseline {shown} was not written: the run had errors"
                    ));
                }
                if let Err(e) = write_file(&path, cannot(&path), |out| recorder.write(out)) {
                    return error(e);
                }
                say(
                    "suppress.baseline_written",
                    &[
                        ("baseline", &shown),
                        ("findings", &recorder.findings.to_string()),
                        ("entries", &recorder.entries().to_string()),
                    ],
                );
                true
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
                        match write_file(&b.path, cannot(&b.path), |out| {
                            b.write_pruned(out).map(|c| counts = c)
                        }) {
                            Err(e) => fine = error(e),
                            Ok(()) => say(
                                "suppress.baseline_pruned",
                                &[
                                    ("baseline", &b.shown),
                                    ("removed", &counts.0.to_string()),
                                    ("kept", &counts.1.to_string()),
                                ],
                            ),
                        }
                        continue;
                    }
                    let gone = b.gone();
                    if !gone.is_empty() {
                        let n: usize = gone.iter().map(|(_, n)| n).sum();
                        let files: Vec<&str> = gone.iter().map(|(p, _)| *p).collect();
                        say(
                            "suppress.baseline_gone",
                            &[
                                ("baseline", &b.shown),
                                ("n", &n.to_string()),
                                ("files", &files.join(", ")),
                            ],
                        );
                    }
                }
                fine
            }
        }
    }
}

/// Writes `path` atomically with `write`; an error is put into words by `cannot`.
fn write_file(
    path: &Path,
    cannot: impl Fn(String) -> String,
    write: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
) -> Result<(), String> {
    let mut sink = Sink::open(Some(path)).map_err(&cannot)?;
    write(sink.writer())
        .and_then(|()| sink.close())
        .map_err(|e| cannot(plain_io_error(&e)))
}

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
        let mut line = format!(
            "{} {} in {} file{}",
            plural(self.fixes, "fix"),
            if diff { "would be applied" } else { "applied" },
            self.files,
            if self.files == 1 { "" } else { "s" }
        );
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
    mut current: FileFindings,
    which: crate::fix::Apply,
    diff: bool,
    settings: &FileSettings,
    totals: &mut FixTotals,
) -> Result<FileFindings, String> {
    let original = current.source.clone();
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
        let name = &current.file;
        let text = similar::TextDiff::from_lines(&original, &current.source)
            .unified_diff()
            .context_radius(3)
            .header(&format!("a/{name}"), &format!("b/{name}"))
            .to_string();
        let mut out = std::io::stdout().lock();
        let _ = out.write_all(text.as_bytes()).and_then(|()| out.flush());
        return Ok(current);
    }
    write_file(
        Path::new(&current.file),
        |e| format!("{}: cannot write the fixes: {e}", current.file),
        |out| out.write_all(current.source.as_bytes()),
    )?;
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
    let m = crate::messages::get(&lang);
    // The rules of each config are added as its first file arrives.
    let mut catalog = report::Catalog::new(&RuleSet::default(), &lang);
    let mut in_catalog = 0;
    let mut totals = report::Totals {
        lang: m.lang,
        ..Default::default()
    };
    let mut emitter = emitter(args, &lang);
    // A baseline that cannot be used stops the run before any output.
    let run_error = m.text("run.error");
    let Ok(mut baselines) = Baselines::of(args).inspect_err(|e| eprintln!("{run_error}{e}")) else {
        return EXIT_ERROR;
    };
    let Ok(mut sink) = Sink::open(args.output.as_deref()).inspect_err(|e| eprintln!("error: {e}"))
    else {
        return EXIT_ERROR;
    };
    let mut written = Ok(());
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
        for p in settings.prepared_since(in_catalog) {
            catalog.add(&p.rules, &lang);
            in_catalog += 1;
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
        if written.is_ok() {
            written = emitter.file(sink.writer(), &file, &catalog);
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
        totals.problems.push(lint::no_registers(&args.paths, &lang));
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
    let written = written
        .and_then(|()| emitter.finish(sink.writer(), &totals, &catalog))
        .and_then(|()| sink.close());
    // Formats whose output holds only findings: their summary line goes to stderr.
    if matches!(args.format, Format::Short | Format::Github) {
        eprintln!("{}", report::summary(&totals));
    }
    for e in &totals.problems {
        eprintln!("{run_error}{e}");
    }
    print_failures(&failures, args.check.color, false);
    if let Err(e) = written
        && let Some(e) = write_error(&e, args.output.as_deref(), "the output")
    {
        eprintln!("error: {e}");
        return EXIT_ERROR;
    }
    let run_ok = totals.problems.is_empty() && failures.is_empty();
    let baseline_ok = baselines.finish(run_ok, args.prune_baseline, m);
    let denied = args.deny == Some(DenyLevel::Warnings) && totals.warnings > 0;
    let too_many = args.max_warnings.filter(|n| totals.warnings > *n);
    // Say why a run with no errors fails.
    if run_ok && totals.errors == 0 && (denied || too_many.is_some()) {
        let warnings = match totals.warnings {
            1 => m.text("summary.warning_one").to_owned(),
            n => m.fill("summary.warnings", &[("n", &n.to_string())]),
        };
        let why = match too_many {
            Some(max) if !denied => m.fill(
                "run.max_warnings",
                &[("warnings", &warnings), ("max", &max.to_string())],
            ),
            _ => m.fill("run.deny_warnings", &[("warnings", &warnings)]),
        };
        eprintln!("{run_error}{why}");
    }
    // The process ends here: freeing the rules and their compiled expressions one by one would
    // only delay the exit (a few percent of a one-file run).
    std::mem::forget(catalog);
    std::mem::forget(settings);
    if !run_ok || !baseline_ok {
        EXIT_ERROR
    } else if totals.errors > 0 || denied || too_many.is_some() {
        EXIT_FINDINGS
    } else {
        EXIT_OK
    }
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
