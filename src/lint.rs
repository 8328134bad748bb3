//! The lint run: discover files, then per file load → structure → view → rules → findings.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::LazyLock;

use rayon::prelude::*;

use crate::config::Adjust;
use crate::document::{self, Budget, Document, Node, locate, parse_path};
use crate::finding::{FileFindings, Finding, Severity, Unusable};
use crate::rules::{self, RuleSet};
use crate::settings::{FileSettings, Settings};
use crate::structure;
use crate::suppress;
use crate::translations;

/// A register file has the top-level key `seloste`; a cheap text test picks candidates in directory
/// walks, before any parsing (so that a malformed register is still reported, not skipped).
/// On bytes: no UTF-8 decoding of a file before it is known to be a register.
static MARKER: LazyLock<regex::bytes::Regex> = LazyLock::new(|| {
    regex::bytes::Regex::new(r"(?m)^(?:\x{feff})?seloste\s*:").expect("static regex")
});

/// Whether a file's first MiB has the `seloste:` marker at the start of a line.
pub fn has_marker(bytes: &[u8]) -> bool {
    MARKER.is_match(&bytes[..bytes.len().min(1 << 20)])
}

pub use crate::settings::Target;
pub use crate::settings::{Languages, LintOptions};

/// Expands paths: files as given, directories walked (gitignore-aware, hidden files skipped, symlinks
/// not followed) for `.yaml`/`.yml` files. Errors are collected, not fatal.
pub fn discover(paths: &[PathBuf]) -> (Vec<Target>, Vec<String>) {
    let mut targets = Vec::new();
    let errors = walk(paths, &mut |t| {
        targets.push(t);
        true
    });
    (targets, errors)
}

/// [`discover`], handing each target to `found` as soon as it is known, in path order (each
/// directory's entries are visited sorted by name, which is the order of `Path`, component by
/// component). `found` returns false to stop the walk.
fn walk(paths: &[PathBuf], found: &mut dyn FnMut(Target) -> bool) -> Vec<String> {
    let mut errors = Vec::new();
    for p in paths {
        match std::fs::metadata(p) {
            Err(e) => errors.push(format!("{}: {e}", display_path(p))),
            Ok(m) if m.is_file() => {
                let t = Target {
                    path: p.clone(),
                    explicit: true,
                };
                if !found(t) {
                    break;
                }
            }
            Ok(_) => {
                let walk = ignore::WalkBuilder::new(p)
                    .follow_links(false)
                    .sort_by_file_name(|a, b| a.cmp(b))
                    .build();
                for entry in walk {
                    match entry {
                        Ok(e) => {
                            let is_file = e.file_type().is_some_and(|t| t.is_file());
                            let yaml = e
                                .path()
                                .extension()
                                .is_some_and(|x| x == "yaml" || x == "yml");
                            let t = Target {
                                path: e.into_path(),
                                explicit: false,
                            };
                            if is_file && yaml && !found(t) {
                                return errors;
                            }
                        }
                        Err(e) => errors.push(e.to_string()),
                    }
                }
            }
        }
    }
    errors
}

/// Lints the files of `paths` (see [`discover`]) that their configs select, each with the
/// settings `settings` gives it, handing each outcome to `sink` in path order, and returns the
/// problems of the discovery. A file whose config cannot be used is not linted (the resolver keeps
/// the failure). `force_exclude`: named files are selected like walked ones. A directory is walked,
/// and its files' configs looked up, on a thread of its own while the files found so far are
/// linted (walking 10 000 files took 25 ms before the first was linted); named files only (what
/// pre-commit passes) need neither a walk nor a thread.
pub fn lint_paths(
    paths: &[PathBuf],
    force_exclude: bool,
    settings: &Settings,
    sink: impl FnMut(TargetOutcome),
) -> Vec<String> {
    let select = |mut t: Target| {
        if force_exclude {
            t.explicit = false;
        }
        settings.select(t)
    };
    if paths.iter().all(|p| p.is_file()) {
        let (targets, errors) = discover(paths);
        in_order(targets.into_iter().filter_map(select), outcome, sink);
        return errors;
    }
    std::thread::scope(|scope| {
        let (tx, rx) = std::sync::mpsc::sync_channel::<(Target, FileSettings)>(4 * CHUNK);
        let walker = scope.spawn(move || {
            // A closed channel (the linting stopped on a panic) ends the walk.
            walk(paths, &mut |t| {
                select(t).is_none_or(|job| tx.send(job).is_ok())
            })
        });
        in_order(rx, outcome, sink);
        walker
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
    })
}

/// "no register definitions found in a, b": the problem of a run whose paths hold no register.
pub fn no_registers(paths: &[PathBuf], lang: &str) -> String {
    let shown: Vec<String> = paths.iter().map(|p| display_path(p)).collect();
    crate::messages::get(lang).fill("run.no_registers", &[("paths", &shown.join(", "))])
}

pub use crate::paths::display_path;

/// What became of one target.
pub enum TargetOutcome {
    Skipped,
    /// The file's findings (and its display name), and the settings it was checked with.
    Checked(FileFindings, FileSettings),
    Error(String),
}

/// Items worked on in parallel before their results go to the sink: enough to keep both cores
/// busy, few enough that memory does not grow with the number of files.
const CHUNK: usize = 256;

/// Does `work` on every item, in parallel chunk by chunk, and hands each result to `sink` in item
/// order (so the output is the same whatever the thread count). The calling thread takes one
/// chunk's results while the pool works on the next (writing them in between left the cores idle
/// for a tenth of a large run); at most three chunks' results are alive at a time.
pub fn in_order<T: Send + Sync, R: Send>(
    items: impl IntoIterator<Item = T, IntoIter: Send>,
    work: impl Fn(&T) -> R + Sync,
    mut sink: impl FnMut(R),
) {
    let mut items = items.into_iter();
    let first: Vec<T> = items.by_ref().take(CHUNK + 1).collect();
    if let [item] = first.as_slice() {
        // One file (what pre-commit passes most often): no thread pool to start, ~0.4 ms.
        return sink(work(item));
    }
    if first.len() <= CHUNK {
        // One chunk: nothing to overlap, no thread to start.
        let results: Vec<R> = first.par_iter().map(&work).collect();
        return results.into_iter().for_each(sink);
    }
    std::thread::scope(|scope| {
        let (tx, rx) = std::sync::mpsc::sync_channel::<Vec<R>>(1);
        let work = &work;
        let worker = scope.spawn(move || {
            let mut items = first.into_iter().chain(items);
            loop {
                let chunk: Vec<T> = items.by_ref().take(CHUNK).collect();
                if chunk.is_empty() || tx.send(chunk.par_iter().map(work).collect()).is_err() {
                    return;
                }
            }
        });
        rx.into_iter().flatten().for_each(&mut sink);
        // A panic in the work goes on as itself (the panic hook has reported it once), not as
        // the scope's second "a scoped thread panicked".
        if let Err(panic) = worker.join() {
            std::panic::resume_unwind(panic);
        }
    });
}

/// Reads and lints one target: `None` for a walked file that is not a register (one without the
/// marker is not parsed at all); an error for a file that cannot be read or a named file that is
/// not a register.
pub fn lint_target(
    t: &Target,
    settings: &FileSettings,
) -> Result<Option<(FileFindings, Option<Node>)>, String> {
    let name = display_path(&t.path);
    let bytes = std::fs::read(&t.path).map_err(|e| format!("{name}: cannot read: {e}"))?;
    if !t.explicit && !has_marker(&bytes) {
        return Ok(None);
    }
    match lint_file(settings, &name, &bytes) {
        Linted::NotRegister if t.explicit => Err(format!(
            "{name}: not a register definition (no top-level `seloste: 1` marker)"
        )),
        Linted::NotRegister => Ok(None),
        Linted::Unreadable(file) => Ok(Some((file, None))),
        Linted::Register { file, root } => Ok(Some((file, Some(root)))),
    }
}

/// What became of one target of a lint run.
fn outcome((t, settings): &(Target, FileSettings)) -> TargetOutcome {
    // Lets the test suite check the panic safety net on the main thread (one file) and in the
    // thread pool (more files) (debug builds only: a release binary has no such switch).
    #[cfg(debug_assertions)]
    if std::env::var_os("SELOSTE_DEBUG_PANIC").is_some() {
        panic!("deliberate panic for the test of the safety net");
    }
    match lint_target(t, settings) {
        Ok(Some((file, _))) => TargetOutcome::Checked(file, settings.clone()),
        Ok(None) => TargetOutcome::Skipped,
        Err(e) => TargetOutcome::Error(e),
    }
}

/// A register linted, with its tree for the commands that go on to read it (render).
pub enum Linted {
    /// No `seloste` marker (or an empty file).
    NotRegister,
    /// Not YAML, not UTF-8, or over a limit: one finding, no tree.
    Unreadable(FileFindings),
    Register {
        file: FileFindings,
        root: Node,
    },
}

impl Linted {
    /// The findings of a register or of a file that did not load; `None` for no register.
    pub fn findings(self) -> Option<FileFindings> {
        match self {
            Linted::NotRegister => None,
            Linted::Unreadable(file) | Linted::Register { file, .. } => Some(file),
        }
    }
}

/// Lints one file's content with these rules and options (the language server, the tests and the
/// benchmarks; a run over files uses [`lint_file`]). The config's `overrides` match `rel`, the
/// file's path relative to the config's directory, when given, else `name` (see
/// [`Config::relative`]).
pub fn lint_text(
    name: &str,
    rel: Option<&Path>,
    bytes: &[u8],
    rules: &RuleSet,
    opts: &LintOptions,
) -> Linted {
    crate::timing::mark(format_args!("{name}: read"));
    let mut doc = match document::load(bytes, Budget::default()) {
        Ok(d) => d,
        // An empty file has no marker: it is not a register (a usage error when named explicitly).
        Err(e) if e.kind == document::LoadErrorKind::Empty => return Linted::NotRegister,
        Err(e) => return Linted::Unreadable(FileFindings::from_load_error(e, name, &opts.lang)),
    };
    let Some(marker) = doc.root.get("seloste") else {
        return Linted::NotRegister;
    };
    crate::timing::mark(format_args!("{name}: parsed"));
    // Another format version: the checks of format 1 would only mislead.
    // (A value of another type is the structure check's `seloste/type`.)
    if let document::NodeKind::Int(version) = marker.kind
        && version != 1
    {
        let shown = version.to_string();
        let m = crate::messages::get(&opts.lang);
        let f = Finding::new(
            "seloste/enum",
            Severity::Error,
            marker.span,
            m.fill(
                "lint.format_version",
                &[("version", env!("CARGO_PKG_VERSION")), ("declared", &shown)],
            ),
        )
        .with_path("seloste")
        .with_label(m.text("lint.format_version_label"))
        .with_help(m.text("lint.format_version_help"));
        let Document { source, root, .. } = doc;
        let file = FileFindings::new(name, source, vec![f]);
        return Linted::Register { file, root };
    }
    let mut findings = structure::check(&doc, &crate::register::SCHEMA, &opts.lang);
    crate::timing::mark(format_args!("{name}: structure checked"));
    let placeholders = findings.iter().any(|f| f.rule == "seloste/placeholder");
    findings.extend(structure::check_ids(&doc, &opts.lang));
    // The unsafe fixes of structure findings with one "did you mean" (an unknown key, enum value
    // or data category id): the suggestion the help names.
    for f in &mut findings {
        if let Some(s) = f.suggestion.clone()
            && let Some(fix) = crate::fix::of_structure(f, &doc.source, &doc.root, &s)
        {
            f.fixes.push(fix);
        }
    }
    findings.extend(future_update(&doc.root, &opts.today, &opts.lang));
    // Rule runtime errors are dropped only after structure errors: a missing translation leaves
    // the register well-formed.
    let malformed = !findings.is_empty();
    // Only languages the register is written in: another one is the caller's usage error.
    let declared = translations::declared(&doc.root);
    let mut languages = opts.languages.wanted(&declared);
    languages.retain(|l| declared.contains(l));
    findings.extend(translations::check(&doc.root, &languages, &opts.lang));
    // From here on a placeholder is a value not addressed (docs/format.md, "Placeholders"): the
    // rules, the rendered notice and the record do not read `TODO` as a value.
    if placeholders {
        crate::placeholder::blank(&mut doc.root);
    }
    let adjust = match rel {
        _ if !opts.config.has_overrides() => HashMap::new(),
        Some(rel) => opts.config.for_file(rel, rules),
        None => opts
            .config
            .for_file(&opts.config.relative(Path::new(name)), rules),
    };
    let unusable: Vec<(String, Unusable)> =
        findings.iter().filter_map(|f| f.unusable.clone()).collect();
    let (shown, held_back) = rule_findings(&doc, rules, opts, &adjust, malformed, &unusable);
    findings.extend(shown);
    let id = doc.root.get("id").and_then(|n| {
        let line = doc.lines.position(&doc.source, n.span.start).line;
        Some((n.as_str()?.to_owned(), n.span, line))
    });
    let Document { source, root, .. } = doc;
    let mut file = FileFindings::new(name, source, findings);
    file.held_back = held_back;
    file.register = Some(Box::new(crate::finding::RegisterInfo {
        lang: opts.lang.clone(),
        id,
        updated: root
            .get("updated")
            .and_then(Node::as_str)
            .map(str::to_owned),
    }));
    let resolve = |id: &str| resolve_rule(rules, id, &opts.lang);
    let outcome = suppress::apply(
        name,
        &file.source,
        std::mem::take(&mut file.findings),
        &resolve,
        crate::messages::get(&opts.lang),
    );
    file.findings = outcome.kept;
    file.findings
        .sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    file.suppressed = outcome.suppressed;
    Linted::Register { file, root }
}

/// A rule id as written in a suppression: a rule or register check of the run, or the part after
/// the pack when one of them has it (as `explain` takes it); otherwise a hint.
fn resolve_rule(rules: &RuleSet, id: &str, lang: &str) -> Result<String, Option<String>> {
    let checks = crate::checks::BUILTIN_CHECKS
        .iter()
        .filter(|c| c.in_registers)
        .map(|c| c.id);
    let ids: Vec<&str> = rules
        .rules
        .iter()
        .map(|r| r.id.as_str())
        .chain(checks)
        .collect();
    rules::resolve_id(&ids, id, crate::messages::get(lang)).map(str::to_owned)
}

/// `updated` later than today: the date of the current version cannot be in the future (a typo of
/// the year, usually).
fn future_update(root: &Node, today: &cel::Value, lang: &str) -> Option<Finding> {
    let cel::Value::Timestamp(today) = today else {
        return None;
    };
    let node = root.get("updated")?;
    let date = chrono::NaiveDate::parse_from_str(node.as_str()?, "%Y-%m-%d").ok()?;
    let today = today.date_naive();
    (date > today).then(|| {
        let m = crate::messages::get(lang);
        Finding::new(
            "seloste/format",
            Severity::Error,
            node.span,
            m.fill(
                "lint.future_updated",
                &[("date", &date.to_string()), ("today", &today.to_string())],
            ),
        )
        .with_path("updated")
        .with_label(m.fill(
            "lint.future_updated_label",
            &[("days", &(date - today).num_days().to_string())],
        ))
        .with_help(m.text("lint.future_updated_help"))
    })
}

/// The findings of the rules, and how many were held back: a rule finding is not shown when the
/// rule reads a value that a structure finding of the file makes unusable (`unusable`), since its
/// advice would build on the mistake (`rules::reads`).
fn rule_findings(
    doc: &Document,
    rules: &RuleSet,
    opts: &LintOptions,
    adjust: &HashMap<usize, Adjust>,
    malformed: bool,
    unusable: &[(String, Unusable)],
) -> (Vec<Finding>, usize) {
    let hits = rules::engine::evaluate_adjusted(rules, &doc.root, &opts.today, &opts.lang, adjust);
    crate::timing::mark("rules run");
    let m = crate::messages::get(&opts.lang);
    let mut out = Vec::new();
    let mut held_back = 0;
    // The interpreter's copy of the register, for the fixes of rules that have one.
    let fixes: std::sync::OnceLock<rules::engine::FixEval> = std::sync::OnceLock::new();
    for hit in hits {
        let rule = &rules.rules[hit.rule];
        // Runtime errors in a register that already fails its structure are echoes of that failure.
        if hit.error.is_some() && malformed {
            continue;
        }
        if hit.error.is_none()
            && unusable
                .iter()
                .any(|(path, how)| rule.reads().touches(path, *how))
        {
            held_back += 1;
            continue;
        }
        let segments = parse_path(&hit.at).unwrap_or_default();
        let located = locate(&doc.root, &doc.source, &segments);
        let finding = match &hit.error {
            Some(reason) => Finding::new(
                "seloste/rule-error",
                Severity::Error,
                located.span,
                hit.message.clone(),
            )
            .with_label(m.text("lint.rule_error_label"))
            .with_help(m.fill(
                "lint.rule_error_help",
                &[("reason", reason), ("file", &rule.file)],
            )),
            None => {
                // The label says what is wrong at the span: the rule's own `label`, or what is
                // missing there. A rule without one gets none (its title states the rule's goal,
                // which under the span read as a claim about the register).
                let label = hit.label.clone().or_else(|| {
                    let missing = hit.at.strip_prefix(&located.found).unwrap_or(&hit.at);
                    let key = [("key", missing.trim_start_matches('.'))];
                    (!located.exact).then(|| m.fill("structure.missing_here", &key))
                });
                let severity = adjust
                    .get(&hit.rule)
                    .and_then(|a| a.severity.flatten())
                    .or(hit.severity)
                    .unwrap_or(rule.severity);
                let mut f =
                    Finding::new(rule.id.clone(), severity, located.span, hit.message.clone());
                f.label = label;
                f.help = hit.help.clone();
                f.refs = rule.refs.clone();
                f.refs.lang = m.lang;
                if rule.fix.is_some() {
                    let eval =
                        fixes.get_or_init(|| rules::engine::FixEval::new(&doc.root, &opts.today));
                    let options = adjust.get(&hit.rule).and_then(|a| a.options.as_ref());
                    if let Some(fix) = crate::fix::of_rule(
                        rule,
                        eval,
                        options,
                        &doc.source,
                        &doc.root,
                        &hit.at,
                        &opts.lang,
                    ) {
                        f = f.with_fix(fix);
                    }
                }
                f
            }
        };
        out.push(finding.with_path(hit.at));
    }
    (out, held_back)
}

/// Lints one file's content with the settings of its config (the path relative to the config
/// decides the per-path overrides).
pub fn lint_file(settings: &FileSettings, name: &str, bytes: &[u8]) -> Linted {
    lint_text(
        name,
        Some(&settings.rel),
        bytes,
        settings.rules(),
        settings.opts(),
    )
}

#[cfg(test)]
mod walk_tests {
    use super::*;

    #[test]
    fn a_walk_finds_files_in_path_order() {
        let dir = tempfile::tempdir().expect("tempdir");
        let names = [
            "a.yaml",
            "a-b.yaml",
            "a/b.yaml",
            "a/a/a.yaml",
            "a b/c.yaml",
            "a.b/x.yaml",
            "A.yaml",
            "ä.yaml",
            "z/a.yml",
            "b.txt",
        ];
        for name in names {
            let path = dir.path().join(name);
            std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
            std::fs::write(&path, "seloste: 1\n").expect("write");
        }
        let (targets, errors) = discover(&[dir.path().to_path_buf()]);
        assert!(errors.is_empty(), "{errors:?}");
        let found: Vec<PathBuf> = targets.into_iter().map(|t| t.path).collect();
        let mut sorted = found.clone();
        sorted.sort();
        assert_eq!(found, sorted);
        assert_eq!(found.len(), names.len() - 1, "{found:?}");
    }
}
