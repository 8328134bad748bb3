//! Rules explained to people: `seloste explain RULE` (one rule for the terminal) and
//! `seloste rules --format markdown` (the rules reference, checked in as docs/rules.md).

use std::path::Path;

use crate::document::{self, Node, NodeKind};
use crate::finding::Severity;
use crate::messages::Messages;
use crate::report::human::Style;
use crate::rules::load::RuleTest;
use crate::rules::{Rule, RuleSet};

pub use crate::report::catalog::anchor;

// ---------------------------------------------------------------------------------------------
// Terminal

/// No styling at all.
const PLAIN: Paint = Paint {
    color: false,
    unicode: false,
};

/// ANSI styling, or nothing when colour is off.
#[derive(Clone, Copy)]
struct Paint {
    color: bool,
    unicode: bool,
}

impl Paint {
    fn of(st: Style) -> Paint {
        Paint {
            color: st.color,
            unicode: st.unicode,
        }
    }

    fn wrap(self, code: &str, s: &str) -> String {
        if self.color {
            format!("\x1b[{code}m{s}\x1b[0m")
        } else {
            s.to_owned()
        }
    }
    fn bold(self, s: &str) -> String {
        self.wrap("1", s)
    }
    fn italic(self, s: &str) -> String {
        self.wrap("3", s)
    }
    fn code(self, s: &str) -> String {
        self.wrap("36", s)
    }
    fn dim(self, s: &str) -> String {
        self.wrap("2", s)
    }
    fn severity(self, sev: Severity) -> String {
        let code = match sev {
            Severity::Error => "1;31",
            Severity::Warning => "1;33",
            Severity::Info => "1;34",
        };
        self.wrap(code, sev.as_str())
    }
    /// A section heading, underlined.
    fn heading(self, out: &mut String, text: &str) {
        let line = if self.unicode { "─" } else { "-" };
        let underline = self.dim(&line.repeat(text.chars().count()));
        out.push_str(&format!("{}\n{underline}\n", self.bold(text)));
    }
}

/// `seloste explain seloste/...`: one of seloste's own checks, in `lang` where it has docs.
pub fn explain_check(check: &crate::checks::BuiltinCheck, lang: &str, st: Style) -> String {
    let l = crate::messages::get(lang);
    let p = Paint::of(st);
    let m = crate::messages::get(lang);
    let mut out = format!("{}\n  {}\n\n", p.bold(check.id), p.bold(check.title));
    out.push_str(&format!(
        "  {}: {}\n\n",
        l.text("explain.severity"),
        p.severity(check.severity)
    ));
    match check.docs {
        Some(key) => out.push_str(&terminal_markdown(m.text(key), p)),
        None => out.push_str(&format!("{}\n", inline_markdown(check.description, p))),
    }
    out
}

/// `seloste explain`: a rule for the terminal in `lang` (plain text unless `st.color`).
pub fn explain(rule: &Rule, lang: &str, st: Style) -> String {
    let l = crate::messages::get(lang);
    let p = Paint::of(st);
    let mut out = format!(
        "{}\n  {}\n\n",
        p.bold(&rule.id),
        p.bold(&rule.title_in(lang))
    );

    let width = [
        l.text("explain.severity"),
        l.text("explain.references"),
        l.text("explain.options"),
    ]
    .iter()
    .map(|s| s.chars().count())
    .max()
    .unwrap_or(0)
        + 1;
    let field = |label: &str| format!("  {:width$} ", format!("{label}:"));
    out.push_str(&field(l.text("explain.severity")));
    out.push_str(&severities(rule, l, |s| p.severity(s)));
    out.push('\n');
    out.push_str(&field(l.text("explain.references")));
    // One reference is never split over two lines.
    let refs = rule.refs.display();
    let hang = 2 + width + 1;
    let wrapped = wrap(
        &refs.replace(' ', "\u{a0}").replace(";\u{a0}", "; "),
        st.width.max(hang + 20) - hang,
        &" ".repeat(hang),
    );
    out.push_str(&if refs.is_empty() {
        l.text("explain.none").to_owned()
    } else {
        wrapped.replace('\u{a0}', " ")
    });
    out.push('\n');
    out.push_str(&field(l.text("explain.options")));
    match rule.option_defaults.as_ref().filter(|o| !is_empty_map(o)) {
        None => out.push_str(&format!("{}\n", l.text("explain.none"))),
        Some(options) => {
            out.push_str(&format!(
                "{}\n",
                inline_markdown(l.text("explain.options_note"), p)
            ));
            yaml_block(&mut out, options, p);
        }
    }
    out.push('\n');

    match rule.docs_in(lang) {
        Some((docs_lang, docs)) => {
            if docs_lang != lang && !l.text("explain.docs_fallback").is_empty() {
                out.push_str(&format!(
                    "{}\n\n",
                    p.italic(l.text("explain.docs_fallback"))
                ));
            }
            out.push_str(&terminal_markdown(&docs, p));
        }
        None => out.push_str(&format!("{}\n", l.text("explain.no_docs"))),
    }

    let (failing, passing) = examples(rule);
    let base = base_file(rule);
    for (label, test) in [
        (l.text("explain.failing"), failing),
        (l.text("explain.passing"), passing),
    ] {
        let Some(test) = test else { continue };
        end_with_blank_line(&mut out);
        p.heading(&mut out, label);
        let from = match &base {
            Some(b) => l.text("explain.from_test").replace("{base}", b),
            None => l.text("explain.from_test_no_base").to_owned(),
        };
        out.push_str(&format!("  {}\n\n", from.replace("{name}", &test.name)));
        if is_empty_map(&test.register) {
            out.push_str(&format!(
                "    {}\n",
                p.italic(l.text("explain.base_unchanged"))
            ));
        } else {
            yaml_block(&mut out, &test.register, p);
            if has_null(&test.register) && base.is_some() {
                out.push_str(&format!(
                    "  {}\n",
                    inline_markdown(l.text("explain.null_deletes"), p)
                ));
            }
        }
        if !test.expect.is_empty() {
            out.push_str(&format!(
                "\n  {}: {}\n",
                l.text("explain.finding_at"),
                test.expect
                    .iter()
                    .map(|e| p.code(if e.is_empty() { "(register)" } else { e }))
                    .collect::<Vec<_>>()
                    .join(", ")
            ));
        }
    }
    out
}

/// `node` as YAML, indented by four.
fn yaml_block(out: &mut String, node: &Node, p: Paint) {
    for line in document::to_yaml(node).lines() {
        out.push_str(&format!("    {}\n", p.code(line)));
    }
}

/// `error (default; some findings: warning)`: the rule's severity, then those of `severity_when`.
fn severities(rule: &Rule, l: &Messages, show: impl Fn(Severity) -> String) -> String {
    let mut out = format!("{} ({}", show(rule.severity), l.text("explain.default"));
    for (sev, _) in &rule.severity_when {
        out.push_str(&format!(
            "; {}: {}",
            l.text("explain.some_findings"),
            show(*sev)
        ));
    }
    out + ")"
}

/// `text` wrapped at spaces to lines of at most `width` characters (a longer word stays whole);
/// lines after the first start with `indent`.
fn wrap(text: &str, width: usize, indent: &str) -> String {
    let mut out = String::new();
    let mut len = 0;
    for word in text.split(' ').filter(|w| !w.is_empty()) {
        let n = word.chars().count();
        if len > 0 && len + 1 + n > width {
            out.push('\n');
            out.push_str(indent);
            len = 0;
        } else if len > 0 {
            out.push(' ');
            len += 1;
        }
        out.push_str(word);
        len += n;
    }
    out
}

/// The first failing test, and the first passing one that changes the base register (or, when
/// every passing test is the base itself, the first passing one).
fn examples(rule: &Rule) -> (Option<&RuleTest>, Option<&RuleTest>) {
    let failing = rule.tests.iter().find(|t| !t.expect.is_empty());
    let passing = rule
        .tests
        .iter()
        .find(|t| t.expect.is_empty() && !is_empty_map(&t.register))
        .or_else(|| rule.tests.iter().find(|t| t.expect.is_empty()));
    (failing, passing)
}

/// The base register file the rule's tests are merged over, when there is one.
fn base_file(rule: &Rule) -> Option<String> {
    rule.base.as_ref()?;
    let dir = Path::new(&rule.file).parent()?;
    Some(dir.join("_base.yaml").to_string_lossy().replace('\\', "/"))
}

fn is_empty_map(n: &Node) -> bool {
    matches!(&n.kind, NodeKind::Map(e) if e.is_empty())
}

fn has_null(n: &Node) -> bool {
    match &n.kind {
        NodeKind::Null => true,
        NodeKind::Seq(items) => items.iter().any(has_null),
        NodeKind::Map(entries) => entries.iter().any(|e| has_null(&e.value)),
        _ => false,
    }
}

/// Ends `out` with exactly one blank line (unless it is empty).
fn end_with_blank_line(out: &mut String) {
    if !out.is_empty() {
        out.truncate(out.trim_end_matches('\n').len());
        out.push_str("\n\n");
    }
}

/// Markdown → terminal text: headings underlined, paragraphs and lists indented by two, fenced code
/// indented by four, inline markup resolved (`code` keeps its backticks without colour).
fn terminal_markdown(md: &str, p: Paint) -> String {
    let mut out = String::new();
    let mut fence: Option<&str> = None;
    let mut after_heading = false;
    let mut table: Vec<&str> = Vec::new();
    for line in md.lines() {
        let trimmed = line.trim_start();
        if fence.is_none() && trimmed.starts_with('|') {
            table.push(trimmed);
            continue;
        }
        if !table.is_empty() {
            terminal_table(&mut out, &std::mem::take(&mut table), p);
        }
        let was_after_heading = std::mem::replace(&mut after_heading, false);
        if let Some(marker) = fence {
            if trimmed.starts_with(marker) && trimmed.trim_start_matches(marker).trim().is_empty() {
                fence = None;
                out.push('\n');
            } else {
                out.push_str(&format!("    {}\n", p.code(line)));
            }
            continue;
        }
        if let Some(marker) = ["```", "~~~"].into_iter().find(|m| trimmed.starts_with(m)) {
            fence = Some(marker);
            // A blank line before the code, except right under a heading.
            if !was_after_heading && !out.is_empty() && !out.ends_with("\n\n") {
                out.push('\n');
            }
            continue;
        }
        if let Some((level, text)) = heading(line) {
            end_with_blank_line(&mut out);
            if level <= 2 {
                p.heading(&mut out, &plain_inline(text));
            } else {
                out.push_str(&format!("{}\n", p.bold(&plain_inline(text))));
            }
            after_heading = true;
            continue;
        }
        if line.trim().is_empty() {
            if !out.is_empty() && !out.ends_with("\n\n") {
                out.push('\n');
            }
            continue;
        }
        out.push_str(&format!("  {}\n", inline_markdown(line, p)));
    }
    if !table.is_empty() {
        terminal_table(&mut out, &table, p);
    }
    end_with_blank_line(&mut out);
    out
}

/// A Markdown table as aligned columns: the header in bold, the `|---|` row dropped.
fn terminal_table(out: &mut String, rows: &[&str], p: Paint) {
    let cells = |row: &str| -> Vec<String> {
        let inner = row.trim().trim_start_matches('|');
        let inner = inner.strip_suffix('|').unwrap_or(inner);
        inner.split('|').map(|c| c.trim().to_owned()).collect()
    };
    let is_rule = |row: &str| row.chars().all(|c| matches!(c, '|' | '-' | ':' | ' '));
    // Each cell as shown (the header in bold), padded by its visible width.
    let rows: Vec<Vec<String>> = rows
        .iter()
        .filter(|r| !is_rule(r))
        .enumerate()
        .map(|(n, r)| {
            cells(r)
                .iter()
                .map(|c| {
                    if n == 0 {
                        p.bold(&plain_inline(c))
                    } else {
                        inline_markdown(c, p)
                    }
                })
                .collect()
        })
        .collect();
    let columns = rows.iter().map(Vec::len).max().unwrap_or(0);
    let widths: Vec<usize> = (0..columns)
        .map(|i| {
            rows.iter()
                .filter_map(|r| r.get(i))
                .map(|c| visible_len(c))
                .max()
                .unwrap_or(0)
        })
        .collect();
    for row in &rows {
        // Every cell padded to its column and two spaces; the line's end trimmed.
        let mut line = String::from("  ");
        for (shown, width) in row.iter().zip(&widths) {
            let pad = width.saturating_sub(visible_len(shown));
            line.push_str(&format!("{shown}{}", " ".repeat(pad + 2)));
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
}

/// Characters a terminal shows: ANSI escape sequences (`ESC [ ... m`) take no room.
fn visible_len(s: &str) -> usize {
    let mut n = 0;
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        if c == '\x1b' {
            chars.find(|e| *e == 'm');
        } else {
            n += 1;
        }
    }
    n
}

/// `## Text` → (2, "Text").
fn heading(line: &str) -> Option<(usize, &str)> {
    let level = line.bytes().take_while(|b| *b == b'#').count();
    let rest = &line[level..];
    (1..=6)
        .contains(&level)
        .then_some(())
        .and(rest.strip_prefix(' '))
        .map(|t| (level, t.trim()))
}

/// Inline Markdown without any styling (for headings, which are styled as a whole).
fn plain_inline(s: &str) -> String {
    inline_markdown(s, PLAIN)
}

/// Inline Markdown: `code`, **strong**, *emphasis*, [text](url). Without colour, code keeps its
/// backticks and the other markers are dropped.
fn inline_markdown(s: &str, p: Paint) -> String {
    let mut out = String::new();
    let mut rest = s;
    while let Some(c) = rest.chars().next() {
        if c == '`' {
            let ticks = rest.len() - rest.trim_start_matches('`').len();
            let marker = &rest[..ticks];
            if let Some(end) = rest[ticks..].find(marker) {
                let code = &rest[ticks..ticks + end];
                if p.color {
                    out.push_str(&p.code(code.trim()));
                } else {
                    out.push_str(&rest[..2 * ticks + end]);
                }
                rest = &rest[2 * ticks + end..];
                continue;
            }
        } else if c == '*' {
            let strong = rest.starts_with("**");
            let marker = if strong { "**" } else { "*" };
            let inner = &rest[marker.len()..];
            if !inner.starts_with(char::is_whitespace)
                && let Some(end) = inner.find(marker)
                && end > 0
                && !inner[..end].ends_with(char::is_whitespace)
            {
                let text = inline_markdown(&inner[..end], p);
                out.push_str(&if strong {
                    p.bold(&text)
                } else {
                    p.italic(&text)
                });
                rest = &inner[end + marker.len()..];
                continue;
            }
        } else if c == '['
            && let Some(close) = rest.find(']')
            && rest[close..].starts_with("](")
            && let Some(end) = rest[close + 2..].find(')')
        {
            let text = &rest[1..close];
            let url = &rest[close + 2..close + 2 + end];
            let text = inline_markdown(text, p);
            if text == url {
                out.push_str(url);
            } else {
                out.push_str(&format!("{text} ({url})"));
            }
            rest = &rest[close + 3 + end..];
            continue;
        }
        out.push(c);
        rest = &rest[c.len_utf8()..];
    }
    out
}

// ---------------------------------------------------------------------------------------------
// Markdown reference

/// `seloste rules --format markdown`: an index grouped by pack, then one section per rule.
pub fn reference(rules: &RuleSet, lang: &str) -> String {
    let l = crate::messages::get(lang);
    let mut out = format!(
        "# {}\n\n<!-- Generated by `seloste rules --format markdown` from the rule files; do not edit by hand.\n     \
         Regenerate with: cargo run -- rules --format markdown > docs/rules.md -->\n\n{}\n\n## {}\n",
        l.text("explain.reference_title"),
        l.text("explain.reference_intro"),
        l.text("explain.index")
    );
    let mut pack = "";
    for r in &rules.rules {
        if r.pack() != pack {
            pack = r.pack();
            out.push_str(&format!(
                "\n### {} `{pack}`\n\n| {} | {} | {} | {} |\n|---|---|---|---|\n",
                l.text("explain.pack"),
                l.text("explain.rule"),
                l.text("explain.severity"),
                l.text("explain.title"),
                l.text("explain.references")
            ));
        }
        let severities: Vec<&str> = std::iter::once(r.severity)
            .chain(r.severity_when.iter().map(|(s, _)| *s))
            .map(Severity::as_str)
            .collect();
        out.push_str(&format!(
            "| [`{}`](#{}) | {} | {} | {} |\n",
            r.id,
            anchor(&r.id),
            severities.join(" / "),
            cell(&r.title_in(lang)),
            cell(&r.refs.display())
        ));
    }
    for r in &rules.rules {
        out.push_str(&format!(
            "\n<a id=\"{}\"></a>\n\n## {}\n\n",
            anchor(&r.id),
            r.id,
        ));
        out.push_str(&rule_markdown(r, lang));
    }
    out
}

/// One rule in Markdown: its title, severity, references, options and docs (the rules reference's
/// section of the rule, and the editor's hover).
pub fn rule_markdown(rule: &Rule, lang: &str) -> String {
    let l = crate::messages::get(lang);
    let mut out = format!("**{}**\n\n", rule.title_in(lang).trim());
    let severities = severities(rule, l, |s| s.as_str().to_owned());
    out.push_str(&format!("- {}: {severities}\n", l.text("explain.severity")));
    let refs = rule.refs.display();
    out.push_str(&format!(
        "- {}: {}\n",
        l.text("explain.references"),
        if refs.is_empty() {
            l.text("explain.none")
        } else {
            &refs
        }
    ));
    match rule.option_defaults.as_ref().filter(|o| !is_empty_map(o)) {
        None => out.push_str(&format!(
            "- {}: {}\n",
            l.text("explain.options"),
            l.text("explain.none")
        )),
        Some(options) => {
            out.push_str(&format!(
                "- {} ({}):\n\n  ```yaml\n",
                l.text("explain.options"),
                l.text("explain.options_note")
            ));
            for line in document::to_yaml(options).lines() {
                out.push_str(&format!("  {line}\n"));
            }
            out.push_str("  ```\n");
        }
    }
    if let Some((_, docs)) = rule.docs_in(lang) {
        out.push('\n');
        out.push_str(demote_headings(docs.trim_end(), 1).trim_start());
        out.push('\n');
    }
    out
}

/// A table cell: one line, `|` escaped.
fn cell(s: &str) -> String {
    s.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .replace('|', "\\|")
}

/// Every heading outside code blocks `by` levels deeper (at most `######`).
pub fn demote_headings(md: &str, by: usize) -> String {
    let mut out = String::new();
    let mut fence: Option<&str> = None;
    for line in md.lines() {
        let trimmed = line.trim_start();
        match fence {
            Some(marker) if trimmed.starts_with(marker) => fence = None,
            Some(_) => {}
            None => {
                if let Some(marker) = ["```", "~~~"].into_iter().find(|m| trimmed.starts_with(m)) {
                    fence = Some(marker);
                } else if let Some((level, text)) = heading(line) {
                    out.push_str(&format!("{} {text}\n", "#".repeat((level + by).min(6))));
                    continue;
                }
            }
        }
        out.push_str(line);
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inline_markup_in_plain_text() {
        assert_eq!(
            inline_markdown(
                "a `b*c*` **d** *e* [f](https://x) [https://y](https://y) 2 * 3 x[0] [a](b)",
                PLAIN
            ),
            "a `b*c*` d e f (https://x) https://y 2 * 3 x[0] a (b)"
        );
        assert_eq!(
            inline_markdown("unclosed `x and *y", PLAIN),
            "unclosed `x and *y"
        );
    }

    #[test]
    fn inline_markup_in_colour() {
        let p = Paint {
            color: true,
            unicode: true,
        };
        assert_eq!(inline_markdown("`x`", p), "\x1b[36mx\x1b[0m");
        assert_eq!(inline_markdown("*y*", p), "\x1b[3my\x1b[0m");
        // Columns line up by what the terminal shows, not by bytes.
        let table = terminal_markdown("| a | b |\n|---|---|\n| `xy` | z |\n| long text | w |\n", p);
        let second_column: Vec<usize> = table
            .lines()
            .filter(|l| !l.is_empty())
            .map(|l| {
                let shown: String = {
                    let mut t = String::new();
                    let mut chars = l.chars();
                    while let Some(c) = chars.next() {
                        if c == '\x1b' {
                            chars.by_ref().find(|e| *e == 'm');
                        } else {
                            t.push(c);
                        }
                    }
                    t
                };
                shown.trim_end().rfind(' ').map_or(0, |i| i + 1)
            })
            .collect();
        assert_eq!(second_column, [13, 13, 13], "{table:?}");
    }

    #[test]
    fn tables_are_aligned() {
        let md = "| right | when |\n|---|---|\n| `access` | always |\n| `objection` | some purpose |\nAfter.\n";
        assert_eq!(
            terminal_markdown(md, PLAIN),
            "  right        when\n  `access`     always\n  `objection`  some purpose\n  After.\n\n"
        );
    }

    #[test]
    fn headings_and_code_blocks() {
        let md = "## What it checks\nThe `x`.\n\n## Example\n```yaml\n# a comment\na: 1\n```\n## References\n- GDPR\n";
        assert_eq!(
            terminal_markdown(md, PLAIN),
            "What it checks\n--------------\n  The `x`.\n\nExample\n-------\n    # a comment\n    a: 1\n\nReferences\n----------\n  - GDPR\n\n"
        );
        assert_eq!(
            demote_headings(md, 1),
            "### What it checks\nThe `x`.\n\n### Example\n```yaml\n# a comment\na: 1\n```\n### References\n- GDPR\n"
        );
    }

    #[test]
    fn wrapping() {
        assert_eq!(wrap("aa bb cc dd", 5, "  "), "aa bb\n  cc dd");
        assert_eq!(wrap("toolongword x", 4, ""), "toolongword\nx");
        // Only at spaces: never inside a date or a hyphenated word.
        assert_eq!(
            wrap("on 2026-12-06 the Y-tunnus and EU-US", 8, ""),
            "on\n2026-12-06\nthe\nY-tunnus\nand\nEU-US"
        );
    }

    #[test]
    fn anchors() {
        assert_eq!(anchor("gdpr/dpo-contact"), "gdpr-dpo-contact");
    }
}
