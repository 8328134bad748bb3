//! `seloste import`: a prose privacy notice (.txt, .md, .html, .docx) to a register skeleton.
//!
//! The pipeline: [`text`] extracts blocks (headings, paragraphs, list items) from each input kind;
//! [`sections`] recognises the sections by their headings (the words are data:
//! `templates/import/words.yaml`); [`fields`] fills the register's fields from them; [`emit`]
//! writes the YAML, every inferred value with a `# seloste: check — from "..."` comment. Lines of
//! the notice that no value or comment holds are kept in a comment block at the end, so nothing of
//! the notice is lost. docs/import.md describes what it gets right and wrong.

pub mod emit;
pub mod fields;
pub mod sections;
pub mod text;
pub mod words;

use std::path::Path;

use text::{Input, TextError};

/// The most text an import reads (real notices are 4–12 KB). Checking that every line of the
/// notice is in the output compares each line with the output, so the work grows with the
/// square of the text: this bound keeps it well under a second.
pub const MAX_TEXT: usize = 512 * 1024;

/// `#`, spaces, `seloste:`: what `suppress` reads as a directive.
static DIRECTIVE_LIKE: std::sync::LazyLock<regex::Regex> =
    std::sync::LazyLock::new(|| regex::Regex::new(r"#([ \t]*)seloste:").expect("static regex"));

/// Why a file cannot be imported (the CLI's exit 2).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ImportError {
    Empty,
    Binary,
    Docx(String),
    NotANotice,
    /// More text than a notice has (the bound keeps the import fast on any input).
    TooLong(usize),
}

impl ImportError {
    /// The message, naming the file.
    pub fn message(&self, file: &str) -> String {
        match self {
            ImportError::Empty => format!("{file} is empty: there is no notice to import"),
            ImportError::Binary => format!(
                "{file} is a binary file, not a notice: import reads .txt, .md, .html and .docx"
            ),
            ImportError::Docx(why) => format!("{file}: {why}"),
            ImportError::TooLong(n) => format!(
                "{file} has {} KiB of text; a privacy notice has tens of KiB, and at most {} KiB \
                 is imported",
                n / 1024,
                MAX_TEXT / 1024
            ),
            ImportError::NotANotice => format!(
                "{file} does not look like a privacy notice: no two sections of one were recognised \
                 by their headings (such as 'Rekisterinpitäjä', 'Personuppgiftsansvarig', \
                 'Controller', 'Henkilötietojen käsittelyn tarkoitus', 'Purposes')"
            ),
        }
    }
}

impl From<TextError> for ImportError {
    fn from(e: TextError) -> Self {
        match e {
            TextError::Empty => ImportError::Empty,
            TextError::Binary => ImportError::Binary,
            TextError::Docx(m) => ImportError::Docx(m),
        }
    }
}

/// The input kind of a file: by its extension, else by its first bytes.
pub fn input_kind(path: &Path, bytes: &[u8]) -> Input {
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or("")
        .to_ascii_lowercase();
    match ext.as_str() {
        "md" | "markdown" => Input::Markdown,
        "html" | "htm" | "xhtml" => Input::Html,
        "docx" => Input::Docx,
        "txt" | "text" => Input::Text,
        _ if bytes.starts_with(b"PK\x03\x04") => Input::Docx,
        _ => {
            let head = String::from_utf8_lossy(&bytes[..bytes.len().min(512)]).to_lowercase();
            if head.trim_start().starts_with("<!doctype html") || head.contains("<html") {
                Input::Html
            } else {
                Input::Text
            }
        }
    }
}

/// The language of a notice by its commonest small words.
pub fn detect_language(blocks: &[text::Block]) -> &'static str {
    let mut n = [0usize; 3];
    for b in blocks {
        for line in &b.lines {
            for w in line.split_whitespace() {
                match w.to_lowercase().trim_matches(|c: char| !c.is_alphabetic()) {
                    "ja" | "tai" | "on" | "tiedot" | "tietoja" | "henkilötietoja" | "ei" => {
                        n[0] += 1
                    }
                    "och" | "att" | "för" | "är" | "uppgifter" | "personuppgifter" | "inte" => {
                        n[1] += 1
                    }
                    "the" | "and" | "of" | "to" | "your" | "data" | "is" | "we" => n[2] += 1,
                    _ => {}
                }
            }
        }
    }
    if n[1] > n[0] && n[1] >= n[2] {
        "sv"
    } else if n[2] > n[0] && n[2] > n[1] {
        "en"
    } else {
        "fi"
    }
}

/// What an import made.
pub struct Imported {
    /// The register skeleton (YAML with comments).
    pub yaml: String,
    /// The lines of the notice that fit no field (kept in the closing comment block).
    pub unplaced: usize,
    /// The lines of the notice.
    pub lines: usize,
}

/// Imports a notice: `name` names it in the header comment, `lang` is the notice's language
/// (detected when `None`).
pub fn import(
    name: &str,
    bytes: &[u8],
    kind: Input,
    lang: Option<&str>,
) -> Result<Imported, ImportError> {
    let mut blocks = text::blocks(bytes, kind)?;
    // Notice text that would read as a `# seloste:` directive wherever it lands (a comment, a
    // folded value: suppressions are found in the source text) is defused.
    for line in blocks.iter_mut().flat_map(|b| b.lines.iter_mut()) {
        if line.contains("seloste:") {
            *line = DIRECTIVE_LIKE
                .replace_all(line, "#|${1}seloste:")
                .into_owned();
        }
    }
    let length: usize = blocks
        .iter()
        .flat_map(|b| &b.lines)
        .map(|l| l.len() + 1)
        .sum();
    if length > MAX_TEXT {
        return Err(ImportError::TooLong(length));
    }
    crate::timing::mark("import: text read");
    let _ = words::words();
    crate::timing::mark("import: word lists compiled");
    let lang = lang.unwrap_or_else(|| detect_language(&blocks));
    let secs = sections::split(blocks.clone());
    let recognised: std::collections::BTreeSet<&str> = secs
        .iter()
        .flat_map(|s| s.ids.iter().map(String::as_str))
        .filter(|i| *i != "other")
        .collect();
    if recognised.len() < 2 {
        return Err(ImportError::NotANotice);
    }
    crate::timing::mark("import: sections");
    let extracted = fields::extract(&secs, lang);
    crate::timing::mark("import: fields");

    let mut w = emit::Writer::default();
    let kind_name = match kind {
        Input::Text => "text",
        Input::Markdown => "Markdown",
        Input::Html => "HTML",
        Input::Docx => "Word",
    };
    w.comment_lines(
        &format!(
            "Imported by `seloste import` from {name} ({kind_name}). A skeleton, not a finished \
             register: confirm every value marked `seloste: check`, replace every TODO, then run \
             `seloste lint` for what the notice lacks."
        ),
        "",
    );
    w.out
        .push_str("#\n# The notice's sections, as recognised:\n");
    for s in &secs {
        if let Some(h) = &s.heading {
            w.out
                .push_str(&format!("#   {h:?} → {}\n", s.ids.join(", ")));
            w.written.push(h.clone());
        }
    }
    w.blank();
    // Top-level fields with a blank line between the groups, like the hand-written registers.
    for f in &extracted.fields {
        let group = matches!(
            f.key.as_str(),
            "controller" | "contact" | "dpo" | "data_subjects" | "purposes" | "data_categories"
        ) || (f.key == "sources")
            || f.key == "recipients"
            || f.key == "retention"
            || f.key == "rights"
            || f.key == "complaint"
            || f.key == "security";
        if group {
            w.blank();
        }
        w.fields(std::slice::from_ref(f), 0);
    }

    // Every line of the notice is in a value or a comment; the rest goes in a closing block.
    let written = normalise(&w.written.join(" \u{b6} "));
    let mut unplaced: Vec<&str> = Vec::new();
    let mut lines = 0;
    for b in &blocks {
        for line in &b.lines {
            lines += 1;
            if !written.contains(&normalise(line)) {
                unplaced.push(line);
            }
        }
    }
    if !unplaced.is_empty() {
        w.blank();
        w.out.push_str(
            "# ---------------------------------------------------------------------------------------------\n\
             # The notice's text that fits no field, kept so that nothing of it is lost: move what\n\
             # matters into the fields above, or delete it.\n#\n",
        );
        for line in &unplaced {
            w.comment_lines(line, "");
        }
    }
    crate::timing::mark("import: written");
    Ok(Imported {
        yaml: w.out,
        unplaced: unplaced.len(),
        lines,
    })
}

/// Text compared for coverage: white space collapsed.
fn normalise(s: &str) -> String {
    text::clean(s)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// Pieces of notices, so that random texts reach the field extractors.
    const PIECES: &[&str] = &[
        "1. Rekisterinpitäjä\n",
        "Tietosuojavastaava: ",
        "\n\n",
        "\n",
        "Henkilötietojen käsittelyn tarkoitus\n",
        "Oikeudet\n",
        "Tietojen säilytysaika\n",
        "Valitus tietosuojavaltuutetulle. ",
        "Säännönmukaiset tietolähteet\n",
        "Luovutukset ja siirrot EU:n ulkopuolelle\n",
        "• ",
        "- ",
        "PL 1000, 50101 Mikkeli",
        "0295 020 000",
        "x(at)y.fi",
        "Y-tunnus 0201256-6",
        "enintään 3 kuukautta",
        "perustuu suostumukseen. ",
        "laki 916/2012",
        "Päivitetty 08.2023",
        "Webropol",
        "ei siirretä",
        "…",
        "Ä",
        "ö: ",
        " (",
        ")",
        ":",
        ".",
        "Matti Meikäläinen",
        "c/o",
        "00100 HELSINKI",
    ];

    proptest! {
        #[test]
        fn import_never_panics_and_writes_yaml(
            parts in proptest::collection::vec(0..PIECES.len(), 0..60),
            tail in "\\PC{0,40}",
        ) {
            let text: String = parts.iter().map(|&i| PIECES[i]).collect::<String>() + &tail;
            if let Ok(out) = import("x.txt", text.as_bytes(), Input::Text, None) {
                let doc = crate::document::load(out.yaml.as_bytes(), crate::document::Budget::default());
                prop_assert!(doc.is_ok(), "{}", out.yaml);
            }
        }
    }
}
