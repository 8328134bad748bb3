//! Code actions: the fixes findings carry (quick fixes; safe ones preferred), "allow this finding"
//! (a `# seloste: allow RULE -- ` comment above its line, the reason left to write), and "fix all"
//! (`source.fixAll.seloste`: every safe fix, as `lint --fix`).

use std::collections::HashMap;

use lsp_types::{
    CodeAction, CodeActionKind, Diagnostic, NumberOrString, Range, TextEdit, Uri, WorkspaceEdit,
};

use super::documents::Lines;
use crate::document::Span;
use crate::finding::{FileFindings, Finding, Safety};
use crate::fix::{self, Apply};

/// The kind of "fix all".
pub const FIX_ALL: &str = "source.fixAll.seloste";

fn edit(uri: &Uri, edits: Vec<TextEdit>) -> WorkspaceEdit {
    WorkspaceEdit {
        changes: Some(HashMap::from([(uri.clone(), edits)])),
        ..Default::default()
    }
}

fn overlaps(a: Span, b: Span) -> bool {
    a.start <= b.end && b.start <= a.end
}

/// The diagnostic of `f` among those the client sent (so the action is shown with it).
fn diagnostic_of<'d>(f: &Finding, index: usize, sent: &'d [Diagnostic]) -> Option<&'d Diagnostic> {
    sent.iter().find(|d| {
        d.data
            .as_ref()
            .and_then(|x| x.get("index"))
            .and_then(serde_json::Value::as_u64)
            == Some(index as u64)
            && d.code == Some(NumberOrString::String(f.rule.clone()))
    })
}

/// The actions for `range` of a document linted into `file`.
pub fn actions(
    uri: &Uri,
    file: &FileFindings,
    lines: &Lines,
    range: Range,
    sent: &[Diagnostic],
    only: Option<&[CodeActionKind]>,
) -> Vec<CodeAction> {
    let wanted = |kind: &CodeActionKind| {
        only.is_none_or(|o| {
            o.iter().any(|k| {
                kind.as_str() == k.as_str()
                    || kind.as_str().starts_with(&format!("{}.", k.as_str()))
            })
        })
    };
    let span = lines.span(range);
    let mut out = Vec::new();
    if wanted(&CodeActionKind::QUICKFIX) {
        for (i, f) in file.findings.iter().enumerate() {
            if !overlaps(f.span, span) {
                continue;
            }
            let diagnostics = diagnostic_of(f, i, sent).map(|d| vec![d.clone()]);
            for fx in &f.fixes {
                let edits = fx
                    .edits
                    .iter()
                    .map(|e| TextEdit::new(lines.range(e.span), e.text.clone()))
                    .collect();
                let title = match fx.safety {
                    Safety::Safe => fx.title.clone(),
                    Safety::Unsafe => format!("{} (unsafe fix: check it)", fx.title),
                };
                out.push(CodeAction {
                    title,
                    kind: Some(CodeActionKind::QUICKFIX),
                    diagnostics: diagnostics.clone(),
                    edit: Some(edit(uri, edits)),
                    is_preferred: Some(fx.safety == Safety::Safe),
                    ..Default::default()
                });
            }
            if let Some(allow) = allow(uri, f, lines) {
                out.push(CodeAction {
                    diagnostics,
                    ..allow
                });
            }
        }
    }
    let kind = CodeActionKind::new(FIX_ALL);
    if wanted(&kind)
        && file
            .findings
            .iter()
            .any(|f| f.fixes.iter().any(|x| x.safety == Safety::Safe))
    {
        let (fixed, n) = fix::apply(&file.source, &file.findings, Apply::Safe);
        if n > 0 {
            let whole = lines.range(Span::new(0, file.source.len()));
            out.push(CodeAction {
                title: format!(
                    "Fix all: {n} safe fix{} of seloste",
                    if n == 1 { "" } else { "es" }
                ),
                kind: Some(kind),
                edit: Some(edit(uri, vec![TextEdit::new(whole, fixed)])),
                ..Default::default()
            });
        }
    }
    out
}

/// "Allow `rule` here": a suppression comment on a line of its own above the finding's line, at its
/// indentation, with `-- ` for the reason (a suppression without one is an error that silences
/// nothing: the diagnostic asks for it). Not for findings a suppression cannot silence.
fn allow(uri: &Uri, f: &Finding, lines: &Lines) -> Option<CodeAction> {
    const NOT_SILENCED: &[&str] = &[
        "seloste/yaml",
        "seloste/encoding",
        "seloste/allow-reason",
        "seloste/allow-unknown",
        "seloste/unused-allow",
        "seloste/rule-error",
    ];
    let suppressible = !f.rule.starts_with("seloste/")
        || (!NOT_SILENCED.contains(&f.rule.as_str())
            && crate::checks::is_suppressible(&f.rule)
            && crate::checks::BUILTIN_CHECKS
                .iter()
                .any(|c| c.id == f.rule && c.in_registers));
    if !suppressible {
        return None;
    }
    let source = lines.source;
    let line_start = source[..f.span.start.min(source.len())]
        .rfind('\n')
        .map_or(0, |i| i + 1);
    let rest = &source[line_start..];
    let indent: String = rest.chars().take_while(|c| *c == ' ').collect();
    let newline = if source.contains("\r\n") {
        "\r\n"
    } else {
        "\n"
    };
    let text = format!("{indent}# seloste: allow {} -- {newline}", f.rule);
    let at = lines.position(line_start);
    Some(CodeAction {
        title: format!(
            "Allow {} on this line (write the reason after `--`)",
            f.rule
        ),
        kind: Some(CodeActionKind::QUICKFIX),
        edit: Some(edit(uri, vec![TextEdit::new(Range::new(at, at), text)])),
        is_preferred: Some(false),
        ..Default::default()
    })
}
