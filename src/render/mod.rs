//! `seloste render`: the checked register becomes the published notice. A [`notice::Notice`] model
//! is built from the typed register in one language with the fixed texts of [`texts`], then laid
//! out as HTML ([`html`]) or Markdown ([`markdown`]).

pub mod duration;
pub mod html;
mod links;
pub mod markdown;
pub mod notice;
pub mod texts;

use crate::finding::FileFindings;
use crate::register::Register;

pub use texts::Texts;

/// The output format of a notice.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Html,
    Markdown,
}

impl Format {
    /// The file extension of [`file_name`].
    pub fn extension(self) -> &'static str {
        match self {
            Format::Html => "html",
            Format::Markdown => "md",
        }
    }
}

/// How a notice is laid out.
#[derive(Debug, Clone, Copy)]
pub struct Options {
    pub format: Format,
    /// HTML: only the `<article>` element, for a CMS.
    pub fragment: bool,
    /// Markdown: YAML front matter (title, lang, register, updated) for static-site generators.
    pub front_matter: bool,
}

/// The notice of `register` in the language of `texts`; `errors`: error findings the register
/// still has (rendered anyway: a draft banner).
pub fn render(register: &Register, texts: &Texts, errors: usize, opts: &Options) -> String {
    let n = notice::build(register, texts, errors, env!("CARGO_PKG_VERSION"));
    match opts.format {
        Format::Html => html::page(&n, opts.fragment),
        Format::Markdown => markdown::document(&n, opts.front_matter),
    }
}

/// `<id>.<lang>.html|md`. The id is a slug (the structure check makes sure of it before anything
/// is rendered); anything else is refused here too, so that nothing is written outside the output
/// directory.
pub fn file_name(id: &str, lang: &str, format: Format) -> Option<String> {
    let slug = !id.is_empty()
        && id.len() <= 200
        && id
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !id.starts_with('-');
    slug.then(|| format!("{id}.{lang}.{}", format.extension()))
}

/// What became of one file under `render`.
pub struct FileRender {
    /// The register's findings (or the one finding of a file that is not YAML), when it is a
    /// register or looked like one; printed once, whatever the number of languages.
    pub findings: Option<FileFindings>,
    pub outcome: RenderOutcome,
}

pub enum RenderOutcome {
    /// No `seloste` marker.
    NotRegister,
    /// A usage problem (exit 2): a language the register is not written in, or no language.
    Problem(String),
    /// Not rendered: the register has error findings (or does not fit the format).
    Blocked,
    /// The notice in each language asked for; `draft` when rendered despite errors.
    Notices {
        id: String,
        draft: bool,
        /// (language, notice)
        notices: Vec<(String, String)>,
    },
}

/// Lints one file with the settings of its config (the gate; their `languages` say which
/// languages' translations are checked and rendered) and renders its notice in each of those
/// languages when it has no error, or anyway with `allow_errors` (a draft). `texts`: the fixed
/// texts by language.
pub fn render_file(
    name: &str,
    bytes: &[u8],
    settings: &crate::settings::FileSettings,
    texts: &std::collections::BTreeMap<String, Texts>,
    opts: &Options,
    allow_errors: bool,
) -> FileRender {
    use crate::lint::Linted;
    let (mut file, root) = match crate::lint::lint_file(settings, name, bytes) {
        Linted::NotRegister => {
            return FileRender {
                findings: None,
                outcome: RenderOutcome::NotRegister,
            };
        }
        Linted::Unreadable(file) => {
            return FileRender {
                findings: Some(file),
                outcome: RenderOutcome::Blocked,
            };
        }
        Linted::Register { file, root } => (file, root),
    };
    let outcome = outcome(name, &mut file, &root, settings, texts, opts, allow_errors);
    FileRender {
        findings: Some(file),
        outcome,
    }
}

/// What becomes of the linted register `root` of the file `name` (a finding added to `file`
/// when it does not fit the types).
fn outcome(
    name: &str,
    file: &mut FileFindings,
    root: &crate::document::Node,
    settings: &crate::settings::FileSettings,
    texts: &std::collections::BTreeMap<String, Texts>,
    opts: &Options,
    allow_errors: bool,
) -> RenderOutcome {
    let declared = crate::translations::declared(root);
    let langs = settings.opts().languages.wanted(&declared);
    let errors = file
        .findings
        .iter()
        .filter(|f| f.severity == crate::finding::Severity::Error)
        .count();
    if langs.is_empty() {
        // No language asked for and none declared: the findings say more, when there are any.
        return if errors > 0 {
            RenderOutcome::Blocked
        } else {
            RenderOutcome::Problem(format!(
                "{name}: the register has no `language`: add it, or say which language to render with --lang fi|sv|en"
            ))
        };
    }
    if let Some(missing) = langs.iter().find(|l| !declared.contains(l)) {
        let known = declared
            .iter()
            .map(|l| format!("`{l}`"))
            .collect::<Vec<_>>()
            .join(", ");
        return RenderOutcome::Problem(if declared.is_empty() {
            format!("{name}: the register is not written in `{missing}`: it has no `language`")
        } else {
            format!(
                "{name}: the register is not written in `{missing}`: its languages are {known} (`language` and `translations`)"
            )
        });
    }
    if errors > 0 && !allow_errors {
        return RenderOutcome::Blocked;
    }
    // A register that does not fit the types (its structure findings suppressed, or a draft)
    // cannot be laid out: say so where the register starts.
    let register: Register = match serde_json::from_value(root.to_json()) {
        Ok(r) => r,
        Err(e) => {
            let mut f = crate::finding::Finding::new(
                "seloste/type",
                crate::finding::Severity::Error,
                crate::document::Span::new(root.span.start, root.span.start),
                format!("the register does not fit the format, so it cannot be rendered: {e}"),
            )
            .with_help("fix the structure findings (`seloste lint`); a suppressed one still stops rendering");
            f.locate(
                name,
                &file.source,
                &crate::document::LineIndex::new(&file.source),
            );
            file.findings.insert(0, f);
            return RenderOutcome::Blocked;
        }
    };
    let notices = langs
        .iter()
        .filter_map(|l| {
            let t = texts.get(l)?;
            Some((l.clone(), render(&register, t, errors, opts)))
        })
        .collect();
    RenderOutcome::Notices {
        id: register.id.clone(),
        draft: errors > 0,
        notices,
    }
}
