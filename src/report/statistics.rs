//! `--statistics`: instead of the findings, the number of findings of each rule, most first (as
//! ruff's `--statistics`), and the summary.

use std::collections::BTreeMap;
use std::io::{self, Write};

use super::{Catalog, Emitter, Totals};
use crate::finding::{FileFindings, Severity};

#[derive(Default)]
pub struct Statistics {
    counts: BTreeMap<String, (Severity, usize)>,
}

impl Emitter for Statistics {
    fn file(&mut self, _: &mut dyn Write, file: &FileFindings, _: &Catalog) -> io::Result<()> {
        for f in &file.findings {
            count(&mut self.counts, f);
        }
        Ok(())
    }

    fn finish(&mut self, out: &mut dyn Write, totals: &Totals, rules: &Catalog) -> io::Result<()> {
        let rows = by_count(&self.counts, rules);
        let id_width = rows.iter().map(|r| r.0.len()).max().unwrap_or(0);
        let n_width = rows
            .iter()
            .map(|r| r.3.to_string().len())
            .max()
            .unwrap_or(1);
        for (id, title, severity, n) in &rows {
            writeln!(
                out,
                "{n:>n_width$}  {id:<id_width$}  {:<7}  {title}",
                severity.as_str()
            )?;
        }
        if !rows.is_empty() {
            writeln!(out)?;
        }
        writeln!(out, "{}", super::summary(totals))
    }
}

/// Counts `f` for its rule: one more finding, and the most severe severity seen.
pub(crate) fn count(counts: &mut BTreeMap<String, (Severity, usize)>, f: &crate::finding::Finding) {
    let e = counts.entry(f.rule.clone()).or_insert((f.severity, 0));
    e.0 = e.0.max(f.severity);
    e.1 += 1;
}

/// The rules by number of findings (most first, then by id): id, title, severity, count.
pub fn by_count(
    counts: &BTreeMap<String, (Severity, usize)>,
    rules: &Catalog,
) -> Vec<(String, String, Severity, usize)> {
    let mut rows: Vec<(String, String, Severity, usize)> = counts
        .iter()
        .map(|(id, (s, n))| {
            let title = rules
                .get(id)
                .map_or_else(|| id.clone(), |m| m.title.clone());
            (id.clone(), title, *s, *n)
        })
        .collect();
    rows.sort_by(|a, b| b.3.cmp(&a.3).then_with(|| a.0.cmp(&b.0)));
    rows
}
