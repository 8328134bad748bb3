//! `--format json`: a stable array of findings (documented in docs/output.md).

use std::io::{self, Write};

use serde_json::{Value, json};

use crate::document::LineIndex;
use crate::finding::{FileFindings, Finding};

fn finding_json(f: &Finding, lines: Option<&LineIndex>, source: &str) -> Value {
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
    })
}

/// `--format json`: one pretty-printed array, written element by element as files arrive (the
/// same bytes as pretty-printing the whole array at once).
#[derive(Default)]
pub struct Json {
    written: usize,
}

impl super::Emitter for Json {
    fn file(
        &mut self,
        out: &mut dyn Write,
        file: &FileFindings,
        _: &super::Catalog,
    ) -> io::Result<()> {
        let lines = file
            .findings
            .iter()
            .any(|f| !f.fixes.is_empty())
            .then(|| LineIndex::new(&file.source));
        for f in &file.findings {
            out.write_all(if self.written == 0 {
                b"[
"
            } else {
                b",
"
            })?;
            super::write_indented(out, &finding_json(f, lines.as_ref(), &file.source), 2)?;
            self.written += 1;
        }
        Ok(())
    }

    fn finish(
        &mut self,
        out: &mut dyn Write,
        _: &super::Totals,
        _: &super::Catalog,
    ) -> io::Result<()> {
        out.write_all(if self.written == 0 { b"[]\n" } else { b"\n]\n" })
    }
}
