//! `seloste render`: the checked register becomes the published notice. A [`notice::Notice`] model
//! is built from the typed register in one language with the fixed texts of [`texts`], then laid
//! out as HTML ([`html`]) or Markdown ([`markdown`]).

mod duration;
pub mod html;
mod links;
pub mod markdown;
pub mod notice;
pub mod texts;

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

/// What became of one register under `render`.
pub enum Rendered {
    /// No `seloste` marker.
    NotRegister,
    /// The register is not in the language asked for (neither `language` nor `translations`).
    Undeclared { file: String, declared: Vec<String> },
    /// Not rendered: the findings (errors among them) that stop it.
    Blocked(FileFindings),
    /// The notice; `findings` are the register's findings (errors only when `draft`).
    Notice {
        id: String,
        text: String,
        draft: bool,
        findings: FileFindings,
    },
}

/// Lints one register (the gate, with the translations of `texts.lang` checked) and renders it
/// when it has no error, or anyway with `allow_errors` (a draft).
pub fn render_bytes(
    name: &str,
    bytes: &[u8],
    rules: &crate::rules::RuleSet,
    lint: &crate::lint::LintOptions,
    texts: &Texts,
    opts: &Options,
    allow_errors: bool,
) -> Rendered {
    use crate::lint::{Linted, lint_register};
    let (file, root) = match lint_register(name, bytes, rules, lint) {
        Linted::NotRegister => return Rendered::NotRegister,
        Linted::Unreadable(file) => return Rendered::Blocked(file),
        Linted::Register { file, root } => (file, root),
    };
    let errors = file
        .findings
        .iter()
        .filter(|f| f.severity == crate::finding::Severity::Error)
        .count();
    if errors > 0 && !allow_errors {
        return Rendered::Blocked(file);
    }
    let declared = crate::translations::declared(&root);
    if !declared.contains(&texts.lang) {
        // A draft in no language of the register is no draft: the findings say what to fix.
        if errors > 0 {
            return Rendered::Blocked(file);
        }
        return Rendered::Undeclared {
            file: if declared.is_empty() {
                format!(
                    "{name}: the register has no `language`: add it, or say which language to render with --lang fi|sv|en"
                )
            } else {
                name.to_owned()
            },
            declared,
        };
    }
    // The structure check has passed (or the user accepts a draft): a register that still does
    // not fit the types cannot be laid out.
    let register: Register = match serde_json::from_value(root.to_json()) {
        Ok(r) => r,
        Err(_) => return Rendered::Blocked(file),
    };
    Rendered::Notice {
        id: register.id.clone(),
        text: render(&register, texts, errors, opts),
        draft: errors > 0,
        findings: file,
    }
}

use crate::finding::FileFindings;
