//! `--format markdown`: the totals, the rules by number of findings and a table of findings, as
//! GitHub-flavoured Markdown, for a job summary (`$GITHUB_STEP_SUMMARY`, which the GitHub Action
//! writes) or a merge-request note. Every value is escaped (a message quotes register text).

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::io::{self, Write};

use super::{Catalog, Emitter, Totals};
use crate::finding::{FileFindings, Severity};
use crate::render::markdown::escape;

/// At most this many findings are listed, so a summary stays far below GitHub's 1 MiB limit
/// for a step summary; the rules table still counts them all.
const MAX_FINDINGS: usize = 1000;

#[derive(Default)]
pub struct Markdown {
    rules: BTreeMap<String, (Severity, usize)>,
    findings: String,
    listed: usize,
    left_out: usize,
}

impl Emitter for Markdown {
    fn file(&mut self, _: &mut dyn Write, file: &FileFindings, _: &Catalog) -> io::Result<()> {
        for f in &file.findings {
            super::statistics::count(&mut self.rules, f);
            if self.listed == MAX_FINDINGS {
                self.left_out += 1;
                continue;
            }
            self.listed += 1;
            let _ = writeln!(
                self.findings,
                "| {} | {} | {} | `{}` | {} |",
                escape(&f.file),
                f.start.line,
                f.severity.as_str(),
                f.rule,
                escape(&f.message)
            );
        }
        Ok(())
    }

    fn finish(&mut self, out: &mut dyn Write, totals: &Totals, rules: &Catalog) -> io::Result<()> {
        let mut page = format!("## seloste\n\n**{}**\n", escape(&super::summary(totals)));
        for p in &totals.problems {
            let _ = write!(page, "\n- error: {}", escape(p));
        }
        if !totals.problems.is_empty() {
            page.push('\n');
        }
        if self.rules.is_empty() {
            return out.write_all(page.as_bytes());
        }
        page.push_str("\n| Rule | Title | Severity | Findings |\n|---|---|---|---:|\n");
        for (id, title, severity, n) in super::statistics::by_count(&self.rules, rules) {
            let _ = writeln!(
                page,
                "| [`{id}`](<{}>) | {} | {} | {n} |",
                rules.meta(&id).help_uri.replace(['<', '>', ' '], ""),
                escape(&title),
                severity.as_str()
            );
        }
        page.push_str(
            "\n<details><summary>Findings</summary>\n\n\
             | File | Line | Severity | Rule | Message |\n|---|---:|---|---|---|\n",
        );
        page.push_str(&self.findings);
        if self.left_out > 0 {
            let _ = write!(
                page,
                "\n{} more findings are not listed here; run `seloste lint` for all of them.\n",
                self.left_out
            );
        }
        page.push_str("\n</details>\n");
        out.write_all(page.as_bytes())
    }
}
