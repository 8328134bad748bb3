//! Emitters: every output format reads only the files of a run as they arrive
//! ([`FileFindings`](crate::finding::FileFindings)), the run's [`Totals`] and the rule metadata of
//! [`Catalog`]. One module per format, each behind [`Emitter`].

pub mod catalog;
pub mod fingerprint;
pub mod github;
pub mod gitlab;
pub mod html;
pub mod human;
pub mod json;
pub mod junit;
pub mod markdown;
pub mod sarif;
pub mod short;
pub mod statistics;

pub use catalog::Catalog;

use std::io::{self, Write};

use crate::finding::{FileFindings, Severity};

/// The counts of a run, gathered while files stream through the emitter.
#[derive(Debug, Default, Clone)]
pub struct Totals {
    pub errors: usize,
    pub warnings: usize,
    pub infos: usize,
    pub suppressed: usize,
    /// Findings the baseline covers (not shown, not failing the run).
    pub baselined: usize,
    /// Register files checked.
    pub checked: usize,
    /// Files with at least one (unsuppressed) finding.
    pub files_with_findings: usize,
    /// Problems that are not findings in a register (unreadable paths, non-registers).
    pub problems: Vec<String>,
    /// Rule findings held back until the structure errors they follow from are fixed.
    pub held_back: usize,
    /// The language of the summary line (`""`: English).
    pub lang: &'static str,
}

impl Totals {
    /// Counts one checked file.
    pub fn add(&mut self, file: &FileFindings) {
        self.checked += 1;
        self.suppressed += file.suppressed.len();
        self.baselined += file.baselined().len();
        self.held_back += file.held_back;
        if !file.findings.is_empty() {
            self.files_with_findings += 1;
        }
        for f in &file.findings {
            match f.severity {
                Severity::Error => self.errors += 1,
                Severity::Warning => self.warnings += 1,
                Severity::Info => self.infos += 1,
            }
        }
    }
}

/// Register ids seen so far in a run, in output order: a register whose `id` an earlier file
/// already has gets a `seloste/duplicate-id` finding naming that file (ids name the files of
/// rendered notices and the rows of the record, so they are unique in a repository).
#[derive(Debug, Default)]
pub struct RegisterIds {
    seen: std::collections::HashMap<String, (String, usize)>,
    lang: &'static str,
}

impl RegisterIds {
    /// Ids of a run whose findings are in `lang`.
    pub fn new(lang: &str) -> RegisterIds {
        RegisterIds {
            seen: Default::default(),
            lang: crate::messages::get(lang).lang,
        }
    }

    pub fn check(&mut self, file: &mut FileFindings) {
        let Some((id, span, line)) = file.register.as_ref().and_then(|r| r.id.clone()) else {
            return;
        };
        match self.seen.get(&id) {
            None => {
                self.seen.insert(id, (file.file.clone(), line));
            }
            Some((other, other_line)) => {
                let m = crate::messages::get(self.lang);
                let mut f = crate::finding::Finding::new(
                    "seloste/duplicate-id",
                    Severity::Error,
                    span,
                    m.fill(
                        "lint.duplicate_register_id",
                        &[
                            ("id", &id),
                            ("file", other),
                            ("line", &other_line.to_string()),
                        ],
                    ),
                )
                .with_path("id")
                .with_label(m.text("lint.duplicate_register_id_label"))
                .with_help(m.text("lint.duplicate_register_id_help"));
                let lines = crate::document::LineIndex::new(&file.source);
                f.locate(&file.file, &file.source, &lines);
                file.findings.push(f);
                file.findings
                    .sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
            }
        }
    }
}

/// An output format. Files arrive one at a time, in output order, and are dropped after the
/// call: line formats write them at once, document formats (JSON, SARIF, JUnit) keep only what
/// they will print, never the documents or their sources. So memory does not grow with the
/// number of files linted.
pub trait Emitter {
    /// One checked file (clean ones too, with no findings).
    fn file(&mut self, out: &mut dyn Write, file: &FileFindings, rules: &Catalog)
    -> io::Result<()>;
    /// The end of the run.
    fn finish(&mut self, out: &mut dyn Write, totals: &Totals, rules: &Catalog) -> io::Result<()>;
}

/// `value` pretty-printed, every line indented by `by` spaces (no final newline): an element of a
/// JSON array that is written one element at a time.
pub(crate) fn write_indented(
    out: &mut dyn Write,
    value: &impl serde::Serialize,
    by: usize,
) -> io::Result<()> {
    let text = serde_json::to_vec_pretty(value).map_err(io::Error::other)?;
    let pad = " ".repeat(by);
    // Pretty JSON escapes line breaks inside strings: every b'\n' starts a line to indent.
    let mut buf = Vec::with_capacity(text.len() + text.len() / 4);
    buf.extend_from_slice(pad.as_bytes());
    for &b in &text {
        buf.push(b);
        if b == b'\n' {
            buf.extend_from_slice(pad.as_bytes());
        }
    }
    out.write_all(&buf)
}

/// A pretty-printed JSON array written one element at a time, as elements arrive: the same bytes
/// as pretty-printing the whole array at once.
#[derive(Default)]
pub struct JsonArray {
    written: usize,
}

impl JsonArray {
    pub fn push(&mut self, out: &mut dyn Write, value: &impl serde::Serialize) -> io::Result<()> {
        out.write_all(if self.written == 0 { b"[\n" } else { b",\n" })?;
        self.written += 1;
        write_indented(out, value, 2)
    }

    /// Closes the array (`[]` when it has no element).
    pub fn close(&self, out: &mut dyn Write) -> io::Result<()> {
        out.write_all(if self.written == 0 { b"[]\n" } else { b"\n]\n" })
    }
}

/// A line format (`short`, `github`): one line per finding, written as each file arrives.
pub struct Lines(pub fn(&crate::finding::Finding) -> String);

impl Emitter for Lines {
    fn file(&mut self, out: &mut dyn Write, file: &FileFindings, _: &Catalog) -> io::Result<()> {
        for f in &file.findings {
            writeln!(out, "{}", (self.0)(f))?;
        }
        Ok(())
    }

    fn finish(&mut self, _: &mut dyn Write, _: &Totals, _: &Catalog) -> io::Result<()> {
        Ok(())
    }
}

/// `3 errors, 1 warning in 2 files (5 checked)` (files with findings), or `no problems in 4
/// files`, in the run's language.
pub fn summary(totals: &Totals) -> String {
    let m = crate::messages::get(totals.lang);
    let count = |n: usize, one: &str, many: &str| match n {
        1 => m.text(one).to_owned(),
        n => m.fill(many, &[("n", &n.to_string())]),
    };
    let files = |n: usize| count(n, "summary.file_one", "summary.files");
    // The counts that are said only when there are any.
    let some = |n: usize, key: &str| match n {
        0 => String::new(),
        n => m.fill(key, &[("n", &n.to_string())]),
    };
    let (e, w, i) = (totals.errors, totals.warnings, totals.infos);
    let suppressed = some(totals.suppressed, "summary.suppressed")
        + &some(totals.baselined, "summary.baselined");
    if totals.checked == 0 && !totals.problems.is_empty() {
        // Nothing was linted: "no problems" would read as a pass.
        return m.text("summary.nothing_linted").to_owned();
    }
    if e + w + i == 0 {
        return m.fill("summary.no_problems", &[("files", &files(totals.checked))]) + &suppressed;
    }
    let mut parts = vec![
        count(e, "summary.error_one", "summary.errors"),
        count(w, "summary.warning_one", "summary.warnings"),
    ];
    if i > 0 {
        parts.push(count(i, "summary.info_one", "summary.infos"));
    }
    let held_back = match totals.held_back {
        1 => m.text("summary.held_back_one").to_owned(),
        n => some(n, "summary.held_back"),
    };
    m.fill(
        "summary.findings",
        &[
            ("counts", &parts.join(", ")),
            ("files", &files(totals.files_with_findings)),
            (
                "checked",
                &count(totals.checked, "summary.checked_one", "summary.checked"),
            ),
            ("suppressed", &suppressed),
            ("held_back", &held_back),
        ],
    )
}

#[cfg(test)]
mod tests;
