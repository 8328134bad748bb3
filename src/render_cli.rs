//! The `seloste render` command: arguments, the gate's output, where notices are written.

use std::collections::BTreeMap;

use std::path::PathBuf;

use rayon::prelude::*;

use crate::cli::{CheckArgs, EXIT_ERROR, EXIT_FINDINGS, EXIT_OK, Lang, Sink};
use crate::finding::FileFindings;
use crate::lint::{self, LintOptions};
use crate::render::{self, Format, Options, Rendered, Texts};
use crate::report;
use crate::rules::RuleSet;

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

/// One notice ready to be written, or a reason it is not.
struct Job {
    name: String,
    lang: String,
    outcome: Rendered,
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
    let message_lang = args.lang.first().copied();
    let Some(prepared) = crate::cli::prepare(&args.check, message_lang, true) else {
        return EXIT_ERROR;
    };
    let opts = Options {
        format,
        fragment: args.fragment,
        front_matter: args.front_matter,
    };
    // The texts of every language that may be needed, loaded (and checked) before any register.
    let mut texts: BTreeMap<String, Texts> = BTreeMap::new();
    let wanted: Vec<&str> = if args.lang.is_empty() {
        vec!["fi", "sv", "en"]
    } else {
        args.lang.iter().map(|l| l.code()).collect()
    };
    for l in wanted {
        match render::texts::load(l, args.templates.as_deref()) {
            Ok(t) => {
                texts.insert(l.to_owned(), t);
            }
            Err(errors) => {
                crate::cli::print_problems(&errors, args.check.color, "in the notice texts");
                return EXIT_ERROR;
            }
        }
    }
    let (targets, mut problems) = lint::discover(&args.paths);
    let targets: Vec<lint::Target> = targets
        .into_iter()
        .filter(|t| t.explicit || prepared.opts.config.selects(&t.path))
        .collect();
    let jobs: Vec<Job> = targets
        .par_iter()
        .flat_map_iter(|t| render_target(t, args, &prepared.rules, &prepared.opts, &texts, &opts))
        .collect();
    finish(args, format, jobs, &mut problems)
}

/// The jobs of one file: one per language asked for (or its own language).
fn render_target(
    t: &lint::Target,
    args: &RenderArgs,
    rules: &RuleSet,
    base: &LintOptions,
    texts: &BTreeMap<String, Texts>,
    opts: &Options,
) -> Vec<Job> {
    let name = lint::display_path(&t.path);
    let bytes = match std::fs::read(&t.path) {
        Ok(b) => b,
        Err(e) => {
            return vec![Job {
                name: name.clone(),
                lang: String::new(),
                outcome: Rendered::Undeclared {
                    file: format!("{name}: cannot read: {e}"),
                    declared: Vec::new(),
                },
            }];
        }
    };
    let langs: Vec<String> = if args.lang.is_empty() {
        // The register's own languages, read from the file (the lint parses it again): with
        // --out-dir every language it declares, otherwise its `language`. No language at all:
        // the gate still runs (in English), and a register without errors is a usage error.
        let declared = crate::document::load(&bytes, Default::default())
            .map(|doc| crate::translations::declared(&doc.root))
            .unwrap_or_default();
        let wanted: Vec<String> = if args.out_dir.is_some() {
            declared
        } else {
            declared.into_iter().take(1).collect()
        };
        if wanted.is_empty() {
            vec!["en".to_owned()]
        } else {
            wanted
        }
    } else {
        args.lang.iter().map(|l| l.code().to_owned()).collect()
    };
    langs
        .into_iter()
        .map(|lang| {
            let outcome = match texts.get(&lang) {
                Some(tx) => {
                    let lint_opts = LintOptions {
                        lang: base.lang.clone(),
                        today: base.today.clone(),
                        config: base.config.clone(),
                        languages: Some(vec![lang.clone()]),
                    };
                    let r = render::render_bytes(
                        &name,
                        &bytes,
                        rules,
                        &lint_opts,
                        tx,
                        opts,
                        args.allow_errors,
                    );
                    match r {
                        Rendered::NotRegister if !t.explicit => Rendered::NotRegister,
                        Rendered::NotRegister => Rendered::Undeclared {
                            file: format!(
                                "{name}: not a register definition (no top-level `seloste: 1` marker)"
                            ),
                            declared: Vec::new(),
                        },
                        r => r,
                    }
                }
                // No `--lang` and no `language` in the register.
                None => Rendered::Undeclared {
                    file: format!(
                        "{name}: the register has no `language`: say which to render with --lang fi|sv|en"
                    ),
                    declared: Vec::new(),
                },
            };
            Job {
                name: name.clone(),
                lang,
                outcome,
            }
        })
        .collect()
}

fn finish(args: &RenderArgs, format: Format, jobs: Vec<Job>, problems: &mut Vec<String>) -> i32 {
    let style = {
        let mut s = crate::cli::style(args.check.color);
        s.unicode = s.unicode && std::io::stderr().is_terminal();
        s
    };
    let mut blocked = 0usize;
    let mut notices: Vec<(String, String, String, String, bool)> = Vec::new();
    let mut out = String::new();
    for job in jobs {
        match job.outcome {
            Rendered::NotRegister => {}
            Rendered::Undeclared { file, declared } if declared.is_empty() => problems.push(file),
            Rendered::Undeclared { file, declared } => problems.push(format!(
                "{file}: the register is not written in `{}`: its languages are {} (`language` and `translations`)",
                job.lang,
                declared.iter().map(|l| format!("`{l}`")).collect::<Vec<_>>().join(", ")
            )),
            Rendered::Blocked(file) => {
                blocked += 1;
                print_findings(&mut out, &file, style);
                out.push_str(&format!(
                    "error: {}: not rendered: fix the errors above (or render a draft with --allow-errors)\n",
                    job.name
                ));
            }
            Rendered::Notice {
                id,
                text,
                draft,
                findings,
            } => {
                if draft {
                    print_findings(&mut out, &findings, style);
                    out.push_str(&format!(
                        "warning: {}: rendered as a draft despite its errors (--allow-errors)\n",
                        job.name
                    ));
                }
                notices.push((job.name, id, job.lang, text, draft));
            }
        }
    }
    eprint!("{out}");
    let written = write_notices(args, format, &notices, problems);
    for p in problems.iter() {
        eprintln!("error: {p}");
    }
    if written > 0 && args.out_dir.is_some() {
        eprintln!(
            "rendered {written} notice{} into {}",
            if written == 1 { "" } else { "s" },
            lint::display_path(args.out_dir.as_deref().unwrap_or(std::path::Path::new(".")))
        );
    }
    if !problems.is_empty() {
        EXIT_ERROR
    } else if blocked > 0 {
        EXIT_FINDINGS
    } else if notices.is_empty() {
        eprintln!(
            "error: no register definitions found in {}",
            args.paths
                .iter()
                .map(|p| lint::display_path(p))
                .collect::<Vec<_>>()
                .join(", ")
        );
        EXIT_ERROR
    } else {
        EXIT_OK
    }
}

fn print_findings(out: &mut String, file: &FileFindings, style: report::human::Style) {
    report::human::render_file(out, file, style);
}

/// Writes the notices where the arguments say; returns how many were written.
fn write_notices(
    args: &RenderArgs,
    format: Format,
    notices: &[(String, String, String, String, bool)],
    problems: &mut Vec<String>,
) -> usize {
    let Some(dir) = &args.out_dir else {
        if notices.len() > 1 {
            problems.push(format!(
                "{} registers to render: use --out-dir DIR to write one file each",
                notices.len()
            ));
            return 0;
        }
        let Some((_, _, _, text, _)) = notices.first() else {
            return 0;
        };
        if !problems.is_empty() {
            return 0;
        }
        return match write_one(args.output.as_deref(), text) {
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
    let mut written = 0;
    for (file, id, lang, text, _) in notices {
        let Some(name) = render::file_name(id, lang, format) else {
            problems.push(format!(
                "{file}: the id `{id}` is not a slug; nothing written"
            ));
            continue;
        };
        if let Some(first) = seen.insert(name.clone(), file) {
            problems.push(format!(
                "{file}: the id `{id}` is also the id of {first}: both would be {name}; not written"
            ));
            continue;
        }
        match write_one(Some(&dir.join(&name)), text) {
            Ok(()) => written += 1,
            Err(e) => problems.push(e),
        }
    }
    written
}

/// `text` to `path` atomically, or to stdout.
fn write_one(path: Option<&std::path::Path>, text: &str) -> Result<(), String> {
    let mut sink = Sink::open(path)?;
    let to = || path.map_or_else(|| "stdout".to_owned(), lint::display_path);
    let result = sink
        .writer()
        .write_all(text.as_bytes())
        .and_then(|()| sink.close());
    match result {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe && path.is_none() => Ok(()),
        Err(e) => Err(format!("cannot write the notice to {}: {e}", to())),
    }
}

use std::io::IsTerminal;
