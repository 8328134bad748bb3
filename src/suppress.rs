//! Inline suppressions in a register: `# seloste: allow RULE -- reason` on the line of a finding or
//! the line above it, `# seloste: allow-file RULE -- reason` anywhere. A reason is required, unknown
//! rule ids are reported, and a suppression that matches nothing is `seloste/unused-allow`.

use std::sync::LazyLock;

use regex::Regex;

use crate::document::{LineIndex, Span};
use crate::finding::{Finding, Severity, Suppressed};
use crate::messages::Messages;

/// The check of suppressions that name no rule, an unknown one or one that cannot be suppressed.
const UNKNOWN: &str = "seloste/allow-unknown";

static RULE_ID: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"[^\s,]+").expect("static regex"));

/// A `# seloste:` comment: the text must follow `#` at a line start or after whitespace, so a
/// `#` inside a word or URL is not taken for a comment.
static DIRECTIVE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?m)(?:^|[ \t])#[ \t]*seloste:[ \t]*([A-Za-z-]*)([^\r\n]*)").expect("static regex")
});

#[derive(Debug, Clone, PartialEq, Eq)]
enum Scope {
    Line(usize),
    File,
}

#[derive(Debug, Clone)]
struct Directive {
    scope: Scope,
    rules: Vec<(String, Span)>,
    /// The comment from `#` to the end of the line.
    span: Span,
    /// The text after `--`, trimmed; `None` when empty or absent.
    reason: Option<String>,
}

/// Findings split by the file's suppressions, plus the findings about the suppressions themselves.
#[derive(Debug, Default)]
pub struct Suppressions {
    pub kept: Vec<Finding>,
    /// The silenced findings, each with the reason and place of the comment that silenced it.
    pub suppressed: Vec<Suppressed>,
}

/// Whether some `#` is followed, after spaces and tabs, by `seloste:` (what [`DIRECTIVE`] needs).
fn maybe_directive(source: &str) -> bool {
    let bytes = source.as_bytes();
    memchr::memchr_iter(b'#', bytes).any(|i| {
        let rest = &bytes[i + 1..];
        let text = rest.trim_ascii_start();
        let blanks = &rest[..rest.len() - text.len()];
        blanks.iter().all(|b| *b == b' ' || *b == b'\t') && text.starts_with(b"seloste:")
    })
}

/// What a rule id written in a suppression names: the full id of a rule (the part after the pack
/// is enough when unique), or nothing, with a hint (the nearest id, the packs sharing the name).
pub type Resolve<'a> = &'a dyn Fn(&str) -> Result<String, Option<String>>;

/// Applies the suppressions of `source` to located `findings`. `resolve` turns an id as written
/// into a rule id.
pub fn apply(
    file: &str,
    source: &str,
    findings: Vec<Finding>,
    resolve: Resolve,
    m: &Messages,
) -> Suppressions {
    // Most registers have no suppression: no line index for them, and no regex to compile (a
    // tenth of a millisecond) unless a comment starts with `seloste:`.
    if !maybe_directive(source) || !DIRECTIVE.is_match(source) {
        return Suppressions {
            kept: findings,
            suppressed: Vec::new(),
        };
    }
    let lines = LineIndex::new(source);
    let mut problems = Vec::new();
    let directives = parse(source, &lines, resolve, &mut problems, m);
    let mut used: Vec<Vec<bool>> = directives
        .iter()
        .map(|d| vec![false; d.rules.len()])
        .collect();
    let mut out = Suppressions::default();
    for f in findings {
        let hit = directives.iter().enumerate().find_map(|(i, d)| {
            let applies = match d.scope {
                Scope::File => true,
                Scope::Line(l) => f.start.line == l || f.start.line == l + 1,
            };
            let j = d.rules.iter().position(|(r, _)| *r == f.rule)?;
            applies.then_some((i, j))
        });
        match hit {
            Some((i, j)) => {
                used[i][j] = true;
                let d = &directives[i];
                out.suppressed.push(Suppressed {
                    finding: f,
                    reason: d.reason.clone(),
                    directive: d.span,
                });
            }
            None => out.kept.push(f),
        }
    }
    for (d, u) in directives.iter().zip(&used) {
        for ((rule, span), used) in d.rules.iter().zip(u) {
            if !used {
                problems.push(
                    Finding::new(
                        "seloste/unused-allow",
                        Severity::Warning,
                        *span,
                        m.fill("suppress.unused", &[("rule", rule)]),
                    )
                    .with_label(m.text("suppress.unused_label"))
                    .with_help(m.text(match d.scope {
                        Scope::Line(_) => "suppress.unused_help_line",
                        Scope::File => "suppress.unused_help_file",
                    })),
                );
            }
        }
    }
    for p in &mut problems {
        p.locate(file, source, &lines);
    }
    out.kept.extend(problems);
    out
}

fn parse(
    source: &str,
    lines: &LineIndex,
    resolve: Resolve,
    problems: &mut Vec<Finding>,
    m: &Messages,
) -> Vec<Directive> {
    // A finding about the comment: its message, label and help are `suppress.{key}`,
    // `suppress.{key}_label` and `suppress.{key}_help` of the catalog.
    let problem = |rule: &str, span: Span, key: &str, args: &[(&str, &str)]| {
        Finding::new(
            rule,
            Severity::Error,
            span,
            m.fill(&format!("suppress.{key}"), args),
        )
        .with_label(m.text(&format!("suppress.{key}_label")))
        .with_help(m.fill(&format!("suppress.{key}_help"), args))
    };
    let mut out = Vec::new();
    for caps in DIRECTIVE.captures_iter(source) {
        let (Some(whole), Some(kind), Some(rest)) = (caps.get(0), caps.get(1), caps.get(2)) else {
            continue;
        };
        let start = whole.start() + whole.as_str().find('#').unwrap_or(0);
        let span = Span::new(start, whole.end());
        let scope = match kind.as_str() {
            "allow" => Scope::Line(lines.position(source, start).line),
            "allow-file" => Scope::File,
            // `# seloste: check — from "..."`: what `seloste import` asks a person to confirm.
            // A reminder for the reader, not a suppression.
            "check" => continue,
            other => {
                let args = [("directive", other)];
                problems.push(problem(UNKNOWN, span, "unknown_directive", &args));
                continue;
            }
        };
        let text = rest.as_str();
        let (ids, reason) = text
            .split_once("--")
            .map_or((text, ""), |(i, r)| (i, r.trim()));
        if reason.is_empty() {
            // The format requires a reason: without one the comment silences nothing.
            problems.push(problem("seloste/allow-reason", span, "no_reason", &[]));
        }
        let base = rest.start();
        let mut rules = Vec::new();
        if !RULE_ID.is_match(ids) {
            problems.push(problem(UNKNOWN, span, "no_rule", &[]));
        }
        for found in RULE_ID.find_iter(ids) {
            let id = found.as_str().to_owned();
            let id_span = Span::new(base + found.start(), base + found.end());
            match resolve(&id) {
                // A placeholder is a value not yet written: no reason makes it fit to publish.
                Ok(full) if !crate::checks::is_suppressible(&full) => {
                    let args = [("id", full.as_str())];
                    problems.push(problem(UNKNOWN, id_span, "not_suppressible", &args));
                }
                Ok(full) => rules.push((full, id_span)),
                Err(Some(hint)) => {
                    let args = [("id", id.as_str()), ("hint", &hint)];
                    problems.push(problem(UNKNOWN, id_span, "unknown_rule", &args));
                }
                Err(None) => problems.push(
                    problem(UNKNOWN, id_span, "unknown_rule", &[("id", &id)])
                        .with_help(m.text("suppress.rule_ids_help")),
                ),
            }
        }
        if !reason.is_empty() {
            out.push(Directive {
                scope,
                rules,
                span,
                reason: Some(reason.to_owned()),
            });
        }
    }
    out
}
