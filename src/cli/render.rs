//! The `seloste render` command: arguments, the gate's output, where notices are written.

use std::collections::BTreeMap;
use std::io::IsTerminal;
use std::path::PathBuf;
use std::sync::Arc;

use rayon::prelude::*;

use crate::cli::{CheckArgs, EXIT_ERROR, EXIT_FINDINGS, EXIT_OK, Lang, Sink};

use crate::lint::{self, Languages};
use crate::render::{self, FileRender, Format, Options, RenderOutcome, Texts};
use crate::report;
use crate::settings::{Failure, FileSettings};

#[derive(clap::Args, Debug)]
pub struct RenderArgs {
    /// Register files or directories (walked like `lint` does).
    #[arg(default_value = ".")]
    pub paths: Vec<PathBuf>,
    /// Language of the notice, and of the findings that stop it; several (`fi,sv`) with
    /// `--out-dir`. Default: each register's `language`, or with `--out-dir` every language it
    /// declares (`language` and `translations`).
    #[arg(long, value_enum, value_delimiter = ',')]
    pub lang: Vec<Lang>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = RenderFormat::Html)]
    pub format: RenderFormat,
    /// Write the notice to FILE (atomically) instead of stdout (one register only).
    #[arg(long, short = 'o', value_name = "FILE", conflicts_with = "out_dir")]
    pub output: Option<PathBuf>,
    /// Write each notice to DIR/<id>.<lang>.html|md (atomically); needed for several registers.
    #[arg(long, value_name = "DIR")]
    pub out_dir: Option<PathBuf>,
    /// HTML: only the `<article>` element, without page, styles or `<h1>` wrapper, for a CMS.
    #[arg(long)]
    pub fragment: bool,
    /// Markdown: YAML front matter (title, lang, register, updated) for static-site generators.
    #[arg(long)]
    pub front_matter: bool,
    /// Render registers with error findings too, with a draft banner ("not for publication").
    #[arg(long)]
    pub allow_errors: bool,
    /// A directory of notice texts (`fi.yaml`, `sv.yaml`, `en.yaml`, `countries.yaml`) replacing
    /// the built-in ones, e.g. with an organisation's reviewed wording.
    #[arg(long, value_name = "DIR")]
    pub templates: Option<PathBuf>,
    #[command(flatten)]
    pub check: CheckArgs,
}

#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum RenderFormat {
    /// A standalone, accessible HTML page (inline CSS, no JavaScript).
    Html,
    /// GitHub-flavoured Markdown.
    Markdown,
}

/// `seloste render`.
pub fn run(args: &RenderArgs) -> i32 {
    let format = match args.format {
        RenderFormat::Html => Format::Html,
        RenderFormat::Markdown => Format::Markdown,
    };
    if args.fragment && format != Format::Html {
        eprintln!("error: --fragment is for --format html");
        return EXIT_ERROR;
    }
    if args.front_matter && format != Format::Markdown {
        eprintln!("error: --front-matter is for --format markdown");
        return EXIT_ERROR;
    }
    if args.lang.len() > 1 && args.out_dir.is_none() {
        eprintln!(
            "error: several languages need --out-dir DIR (one file per register and language)"
        );
        return EXIT_ERROR;
    }
    let opts = Options {
        format,
        fragment: args.fragment,
        front_matter: args.front_matter,
    };
    // The texts of every language that may be needed, loaded (and checked) before any register:
    // those asked for; else, for a few named files (what a one-notice run is), the languages they
    // declare, read from them (parsing a text file costs more than a register); else all three.
    let wanted: Vec<&str> = if !args.lang.is_empty() {
        args.lang.iter().map(|l| l.code()).collect()
    } else {
        declared_languages(&args.paths, args.out_dir.is_some())
            .unwrap_or_else(|| vec!["fi", "sv", "en"])
    };
    let texts = match render::texts::load_many(&wanted, args.templates.as_deref()) {
        Ok(t) => t,
        Err(errors) => {
            crate::cli::print_problems(&errors, args.check.color, "in the notice texts");
            return EXIT_ERROR;
        }
    };
    // The languages rendered and checked for translations: those asked for; else with --out-dir
    // every language a register declares, and for one notice its own language.
    let languages = match (&args.lang[..], &args.out_dir) {
        ([], Some(_)) => Languages::Declared,
        ([], None) => Languages::Primary,
        (l, _) => Languages::Only(l.iter().map(|l| l.code().to_owned()).collect()),
    };
    let settings =
        crate::cli::settings_of(&args.check, args.lang.first().copied(), true, languages);
    // Each file with the settings of its config, in path order.
    let (jobs, mut problems, failures) =
        match crate::cli::select_files(&settings, &args.paths, args.check.color) {
            Ok(s) => s,
            Err(code) => return code,
        };
    let files: Vec<(String, FileRender)> = jobs
        .par_iter()
        .map(|(t, s)| render_target(t, s, args, &texts, &opts))
        .collect();
    finish(args, format, files, &mut problems, &failures)
}

/// The languages the named files declare, when the paths are a few files; `None` otherwise (a
/// directory, many files, or a file that cannot be read: the run reports those itself).
fn declared_languages(paths: &[PathBuf], all: bool) -> Option<Vec<&'static str>> {
    if paths.len() > 8 || !paths.iter().all(|p| p.is_file()) {
        return None;
    }
    let mut langs: Vec<&'static str> = Vec::new();
    for p in paths {
        let bytes = std::fs::read(p).ok()?;
        let doc = crate::document::load(&bytes, Default::default()).ok()?;
        // One notice (no --out-dir) is in the register's own language only.
        let declared = crate::translations::declared(&doc.root);
        let take = if all { declared.len() } else { 1 };
        for l in declared.into_iter().take(take) {
            let code = ["fi", "sv", "en"].into_iter().find(|c| *c == l)?;
            if !langs.contains(&code) {
                langs.push(code);
            }
        }
    }
    // A register without a language is rendered (and its problem said) in English.
    if langs.is_empty() {
        langs.push("en");
    }
    Some(langs)
}

/// Reads and renders one target; a file that cannot be read, or a named file that is not a
/// register, is a problem (exit 2).
fn render_target(
    t: &lint::Target,
    settings: &FileSettings,
    args: &RenderArgs,
    texts: &BTreeMap<String, Texts>,
    opts: &Options,
) -> (String, FileRender) {
    let name = lint::display_path(&t.path);
    let outcome = match std::fs::read(&t.path) {
        Err(e) => RenderOutcome::Problem(format!("{name}: cannot read: {e}")),
        // A walked file without the marker is not parsed at all (as `lint` and `export` do).
        Ok(bytes) if !t.explicit && !lint::has_marker(&bytes) => RenderOutcome::NotRegister,
        Ok(bytes) => {
            let r = render::render_file(&name, &bytes, settings, texts, opts, args.allow_errors);
            match r.outcome {
                RenderOutcome::NotRegister if t.explicit => RenderOutcome::Problem(format!(
                    "{name}: not a register definition (no top-level `seloste: 1` marker)"
                )),
                _ => return (name, r),
            }
        }
    };
    let not_rendered = FileRender {
        findings: None,
        outcome,
    };
    (name, not_rendered)
}

/// A notice to write.
struct Notice {
    file: String,
    id: String,
    lang: String,
    text: String,
}

fn finish(
    args: &RenderArgs,
    format: Format,
    files: Vec<(String, FileRender)>,
    problems: &mut Vec<String>,
    failures: &[Arc<Failure>],
) -> i32 {
    let mut style = crate::cli::style(args.check.color);
    style.unicode = style.unicode && std::io::stderr().is_terminal();
    let (mut blocked, mut registers) = (0usize, 0usize);
    let mut notices: Vec<Notice> = Vec::new();
    let mut out = String::new();
    for (name, file) in files {
        if let Some(f) = file.findings.as_ref().filter(|f| !f.findings.is_empty()) {
            // The findings' language is the lint's (config or --lang of the messages).
            let lang = f
                .findings
                .iter()
                .map(|x| x.refs.lang)
                .find(|l| !l.is_empty());
            report::human::render_file(&mut out, f, style, lang.unwrap_or("en"));
        }
        registers += usize::from(!matches!(file.outcome, RenderOutcome::NotRegister));
        match file.outcome {
            RenderOutcome::NotRegister => {}
            RenderOutcome::Problem(p) => problems.push(p),
            RenderOutcome::Blocked => {
                blocked += 1;
                out.push_str(&format!(
                    "error: {name}: not rendered: fix the errors above (or render a draft with --allow-errors)\n"
                ));
            }
            RenderOutcome::Notices {
                id,
                draft,
                notices: rendered,
            } => {
                if draft {
                    out.push_str(&format!(
                        "warning: {name}: rendered as a draft despite its errors (--allow-errors)\n"
                    ));
                }
                notices.extend(rendered.into_iter().map(|(lang, text)| Notice {
                    file: name.clone(),
                    id: id.clone(),
                    lang,
                    text,
                }));
            }
        }
    }
    eprint!("{out}");
    if registers > 1 && args.out_dir.is_none() {
        problems.push(format!(
            "{registers} registers to render: use --out-dir DIR to write one file each"
        ));
    }
    // Registers under a broken config were not rendered: one notice to stdout or --output is not
    // written either, as with any other problem.
    let written = if (problems.is_empty() && failures.is_empty()) || args.out_dir.is_some() {
        write_notices(args, format, &notices, problems)
    } else {
        0
    };
    for p in problems.iter() {
        eprintln!("error: {p}");
    }
    crate::cli::print_failures(failures, args.check.color, false);
    if let Some(dir) = &args.out_dir
        && written > 0
    {
        eprintln!(
            "rendered {written} notice{} into {}",
            if written == 1 { "" } else { "s" },
            lint::display_path(dir)
        );
    }
    if !problems.is_empty() || !failures.is_empty() {
        EXIT_ERROR
    } else if blocked > 0 {
        EXIT_FINDINGS
    } else if registers == 0 {
        eprintln!("error: {}", lint::no_registers(&args.paths, "en"));
        EXIT_ERROR
    } else {
        EXIT_OK
    }
}

/// Writes the notices where the arguments say; returns how many were written.
fn write_notices(
    args: &RenderArgs,
    format: Format,
    notices: &[Notice],
    problems: &mut Vec<String>,
) -> usize {
    let Some(dir) = &args.out_dir else {
        let Some(n) = notices.first() else {
            return 0;
        };
        return match write_one(args.output.as_deref(), &n.text, true) {
            Ok(()) => 1,
            Err(e) => {
                problems.push(e);
                0
            }
        };
    };
    if let Err(e) = std::fs::create_dir_all(dir) {
        problems.push(format!("cannot create {}: {e}", lint::display_path(dir)));
        return 0;
    }
    let mut seen: BTreeMap<String, &str> = BTreeMap::new();
    let mut files: Vec<(PathBuf, &str)> = Vec::new();
    for n in notices {
        let Some(name) = render::file_name(&n.id, &n.lang, format) else {
            problems.push(format!(
                "{}: the id `{}` is not a slug; nothing written",
                n.file, n.id
            ));
            continue;
        };
        if let Some(first) = seen.insert(name.clone(), &n.file) {
            problems.push(format!(
                "{}: the id `{}` is also the id of {first}: both would be {name}; not written",
                n.file, n.id
            ));
            continue;
        }
        files.push((dir.join(&name), &n.text));
    }
    // Each file appears whole (a temporary file renamed), without a flush to disk per file (a
    // thousand fsyncs were most of a large run), written on both cores: creating files is most
    // of the system time of a large run.
    let errors: Vec<String> = files
        .par_iter()
        .filter_map(|(path, text)| write_one(Some(path), text, false).err())
        .collect();
    let written = files.len() - errors.len();
    problems.extend(errors);
    written
}

/// `text` to `path` atomically (flushed to disk first when `durable`), or to stdout.
fn write_one(path: Option<&std::path::Path>, text: &str, durable: bool) -> Result<(), String> {
    let mut sink = Sink::open(path)?;
    sink.set_durable(durable);
    sink.writer()
        .write_all(text.as_bytes())
        .and_then(|()| sink.close())
        .or_else(|e| crate::output::write_error(&e, path, "the notice").map_or(Ok(()), Err))
}
