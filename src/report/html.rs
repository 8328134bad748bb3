//! `--format html`: a standalone report page for the people who own the registers and do not read
//! CI logs: the totals, a table of registers (counts, updated date and age), a table of rules by
//! number of findings, then every finding with its message, help, law, the excerpt with the line
//! marked and a link to the rule's docs. Inline CSS, no JavaScript; every value escaped.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::io::{self, Write};

use super::{Catalog, Emitter, Totals};
use crate::finding::{FileFindings, Finding, Severity};
use crate::render::html::escape;

const CSS: &str = include_str!("../../templates/report/report.css");

/// Collects what the page shows while files stream through; the HTML of the register's row and of
/// its findings is made as each file arrives (its source is not kept).
pub struct Html {
    /// The language of the rule messages (`lang` of the findings).
    pub lang: String,
    /// `today`, for the age of `updated`.
    pub today: Option<chrono::NaiveDate>,
    /// The files so far (the rows of the registers table).
    files: usize,
    registers: String,
    /// Rule id → (severity, count).
    rules: BTreeMap<String, (Severity, usize)>,
    findings: String,
}

impl Html {
    pub fn new(lang: &str, today: Option<chrono::NaiveDate>) -> Html {
        Html {
            lang: lang.to_owned(),
            today,
            files: 0,
            registers: String::new(),
            rules: BTreeMap::new(),
            findings: String::new(),
        }
    }
}

/// The language of a rule's words: seloste's own checks speak English whatever the run's language.
fn words_lang<'a>(rule: &str, lang: &'a str) -> &'a str {
    if rule.starts_with("seloste/") {
        "en"
    } else {
        lang
    }
}

/// Lines longer than this are not shown (minified or hostile input): the place is named instead.
const MAX_LINE: usize = 300;

/// The lines of the source around a finding, its lines marked (`>` in the gutter, and a
/// highlight), or nothing when a line is too long to show.
fn excerpt(lines: &[&str], f: &Finding) -> String {
    if lines.is_empty() || f.start.line == 0 {
        return String::new();
    }
    let first = f.start.line.saturating_sub(2).max(1);
    let last = (f.end.line.max(f.start.line) + 1).min(lines.len());
    let width = last.to_string().len();
    let mut out = String::new();
    if lines[first - 1..last]
        .iter()
        .any(|l| l.chars().nth(MAX_LINE).is_some())
    {
        return String::new();
    }
    for n in first..=last {
        let Some(text) = lines.get(n - 1) else { break };
        let shown = text.trim_end();
        let marked = (f.start.line..=f.end.line.max(f.start.line)).contains(&n);
        // No whitespace at the end of a line (a validator's rule, and invisible anyway).
        let (arrow, open, close) = if marked {
            (">", "<mark>", "</mark>")
        } else {
            (" ", "", "")
        };
        let gutter = format!("{arrow} {n:>width$} |");
        let sep = if shown.is_empty() { "" } else { " " };
        let _ = writeln!(
            out,
            "{open}{}{sep}{}{close}",
            escape(&gutter),
            escape(shown)
        );
    }
    out
}

impl Emitter for Html {
    fn file(&mut self, _: &mut dyn Write, file: &FileFindings, rules: &Catalog) -> io::Result<()> {
        self.files += 1;
        let count = |s: Severity| file.findings.iter().filter(|f| f.severity == s).count();
        let updated = file.register.as_ref().and_then(|r| r.updated.as_deref());
        let age = updated
            .and_then(|u| chrono::NaiveDate::parse_from_str(u, "%Y-%m-%d").ok())
            .zip(self.today)
            .map(|(u, t)| (t - u).num_days().to_string())
            .unwrap_or_default();
        let _ = writeln!(
            self.registers,
            "<tr><th scope=\"row\">{}</th><td class=\"num\">{}</td><td class=\"num\">{}</td>\
             <td class=\"num\">{}</td><td>{}</td><td class=\"num\">{age}</td></tr>",
            escape(&file.file),
            count(Severity::Error),
            count(Severity::Warning),
            count(Severity::Info),
            escape(updated.unwrap_or(""))
        );
        if file.findings.is_empty() {
            return Ok(());
        }
        let lines: Vec<&str> = file.source.lines().collect();
        let out = &mut self.findings;
        let _ = writeln!(
            out,
            "<section aria-labelledby=\"file-{n}\">\n<h3 id=\"file-{n}\">{}</h3>",
            escape(&file.file),
            n = self.files
        );
        for f in &file.findings {
            super::statistics::count(&mut self.rules, f);
            let sev = f.severity.as_str();
            let register_lang = file.register.as_ref().map(|r| r.lang.as_str());
            let lang = words_lang(&f.rule, register_lang.unwrap_or(&self.lang));
            let _ = writeln!(
                out,
                "<div class=\"finding {sev}\">\n<p><span class=\"severity\">{sev}</span> \
                 <a href=\"{href}\">{rule}</a> <span class=\"place\">line {line}, column {col}</span></p>\n\
                 <p class=\"message\" lang=\"{lang}\">{msg}</p>",
                href = escape(&rules.meta(&f.rule).help_uri),
                rule = escape(&f.rule),
                line = f.start.line,
                col = f.start.column,
                lang = escape(lang),
                msg = escape(&f.message),
            );
            let ex = excerpt(&lines, f);
            if !ex.is_empty() {
                let _ = writeln!(out, "<pre class=\"excerpt\">{ex}</pre>");
            }
            if let Some(h) = &f.help {
                let _ = writeln!(
                    out,
                    "<p class=\"help\"><strong>help:</strong> <span lang=\"{}\">{}</span></p>",
                    escape(lang),
                    escape(h)
                );
            }
            if !f.refs.is_empty() {
                let _ = writeln!(
                    out,
                    "<p class=\"law\"><strong>law:</strong> {}</p>",
                    escape(&f.refs.display())
                );
            }
            out.push_str("</div>\n");
        }
        out.push_str("</section>\n");
        Ok(())
    }

    fn finish(&mut self, out: &mut dyn Write, totals: &Totals, rules: &Catalog) -> io::Result<()> {
        let mut page = String::new();
        let _ = write!(
            page,
            "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
             <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
             <meta name=\"generator\" content=\"seloste\">\n\
             <title>seloste report: {}</title>\n<style>\n{CSS}</style>\n</head>\n<body>\n<main>\n\
             <h1>seloste report</h1>\n<p class=\"totals\">{}</p>\n",
            // The counts only: a title stays short in a tab, a window list or a search result
            // (html-validate's `long-title`: 70 characters); the page says the rest.
            match (totals.errors, totals.warnings, totals.infos) {
                (0, 0, 0) => "no problems".to_owned(),
                (e, w, i) => format!("errors {e}, warnings {w}, info {i}"),
            },
            escape(&super::summary(totals)),
        );
        for p in &totals.problems {
            let _ = writeln!(page, "<p><strong>error:</strong> {}</p>", escape(p));
        }
        page.push_str(
            "<h2 id=\"registers\">Registers</h2>\n<table>\n<thead>\n<tr><th scope=\"col\">File</th>\
             <th scope=\"col\" class=\"num\">Errors</th><th scope=\"col\" class=\"num\">Warnings</th>\
             <th scope=\"col\" class=\"num\">Info</th><th scope=\"col\">Updated</th>\
             <th scope=\"col\" class=\"num\">Age (days)</th></tr>\n</thead>\n<tbody>\n",
        );
        page.push_str(&self.registers);
        page.push_str("</tbody>\n</table>\n");
        page.push_str("<h2 id=\"rules\">Rules by number of findings</h2>\n");
        if self.rules.is_empty() {
            page.push_str("<p class=\"clean\">No findings.</p>\n");
        } else {
            page.push_str(
                "<table>\n<thead>\n<tr><th scope=\"col\">Rule</th><th scope=\"col\">Title</th>\
                 <th scope=\"col\">Severity</th><th scope=\"col\" class=\"num\">Findings</th></tr>\n</thead>\n<tbody>\n",
            );
            for (id, title, severity, n) in super::statistics::by_count(&self.rules, rules) {
                let _ = writeln!(
                    page,
                    "<tr><th scope=\"row\"><a href=\"{}\">{}</a></th><td lang=\"{}\">{}</td><td>{}</td>\
                     <td class=\"num\">{n}</td></tr>",
                    escape(&rules.meta(&id).help_uri),
                    escape(&id),
                    escape(words_lang(&id, &self.lang)),
                    escape(&title),
                    severity.as_str()
                );
            }
            page.push_str("</tbody>\n</table>\n");
        }
        page.push_str("<h2 id=\"findings\">Findings</h2>\n");
        if self.findings.is_empty() {
            page.push_str("<p class=\"clean\">No findings.</p>\n");
        }
        page.push_str(&self.findings);
        let _ = write!(
            page,
            "</main>\n<footer>\n<p>Generated by seloste {}.</p>\n</footer>\n</body>\n</html>\n",
            env!("CARGO_PKG_VERSION")
        );
        out.write_all(page.as_bytes())
    }
}
