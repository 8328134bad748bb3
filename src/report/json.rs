//! `--format json`: a stable array of findings (documented in docs/output.md).

use serde_json::{Value, json};

use crate::finding::{FileFindings, Finding};

fn finding_json(f: &Finding) -> Value {
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
    })
}

/// All findings of all files as one pretty-printed JSON array.
pub fn render(files: &[FileFindings]) -> String {
    let all: Vec<Value> = files
        .iter()
        .flat_map(|f| f.findings.iter().map(finding_json))
        .collect();
    let mut s = serde_json::to_string_pretty(&all).unwrap_or_else(|_| "[]".into());
    s.push('\n');
    s
}

/// `--format json`.
pub struct Json;

impl super::Emitter for Json {
    fn render(&self, run: &super::Run<'_>) -> String {
        render(&run.report.files)
    }
}
