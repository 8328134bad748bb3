//! `--format json`: a stable array of findings (documented in docs/output.md).

use std::io::{self, Write};

use serde_json::{Value, json};

use super::{Catalog, Emitter, Totals};
use crate::document::LineIndex;
use crate::finding::{FileFindings, Finding};

fn finding_json(f: &Finding, baselined: bool, lines: Option<&LineIndex>, source: &str) -> Value {
    let point = |offset: usize| match lines {
        Some(l) => {
            let p = l.position(source, offset);
            json!({"line": p.line, "column": p.column, "offset": offset})
        }
        None => json!({"offset": offset}),
    };
    let fixes: Vec<Value> = f
        .fixes
        .iter()
        .map(|x| {
            json!({
                "title": x.title,
                "safety": x.safety,
                "edits": x.edits.iter().map(|e| json!({
                    "start": point(e.span.start),
                    "end": point(e.span.end),
                    "text": e.text,
                })).collect::<Vec<_>>(),
            })
        })
        .collect();
    json!({
        "rule": f.rule,
        "severity": f.severity,
        "file": f.file,
        "path": f.path,
        "start": {"line": f.start.line, "column": f.start.column, "offset": f.span.start},
        "end": {"line": f.end.line, "column": f.end.column, "offset": f.span.end},
        "message": f.message,
        "help": f.help,
        "refs": f.refs,
        "related": f.related.iter().map(|l| json!({
            "message": l.message,
            "start": {"offset": l.span.start},
            "end": {"offset": l.span.end},
        })).collect::<Vec<_>>(),
        "fixes": fixes,
        "baselined": baselined,
    })
}

/// `--format json`: one pretty-printed array, written element by element as files arrive (the
/// same bytes as pretty-printing the whole array at once).
#[derive(Default)]
pub struct Json(super::JsonArray);

impl Emitter for Json {
    fn file(&mut self, out: &mut dyn Write, file: &FileFindings, _: &Catalog) -> io::Result<()> {
        // Findings the baseline covers are listed too, flagged, in output order among the others.
        let mut all: Vec<(&Finding, bool)> = file.findings.iter().map(|f| (f, false)).collect();
        if !file.baselined().is_empty() {
            all.extend(file.baselined().iter().map(|f| (f, true)));
            all.sort_by(|a, b| a.0.sort_key().cmp(&b.0.sort_key()));
        }
        let lines = all
            .iter()
            .any(|(f, _)| !f.fixes.is_empty())
            .then(|| LineIndex::new(&file.source));
        for (f, baselined) in all {
            let value = finding_json(f, baselined, lines.as_ref(), &file.source);
            self.0.push(out, &value)?;
        }
        Ok(())
    }

    fn finish(&mut self, out: &mut dyn Write, _: &Totals, _: &Catalog) -> io::Result<()> {
        self.0.close(out)
    }
}
