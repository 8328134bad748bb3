//! The notice as GitHub-flavoured Markdown, for static-site generators: the same sections as the
//! HTML page. Every register value is escaped, including the characters that would start raw HTML
//! (Markdown renderers pass raw HTML through) or a link.

use std::fmt::Write;

use super::notice::{Block, Field, Inline, Notice, PurposeRow};

/// Escapes Markdown punctuation and HTML: the text renders as itself and never as markup. GFM's
/// autolinks are left alone: they only make `http(s):`, `www.` and e-mail links.
pub fn escape(s: &str) -> String {
    const SPECIAL: super::links::ByteSet = super::links::ByteSet::new(b"&<>\\`*_[]|~");
    if !super::links::needs_escape(s, &SPECIAL) {
        return s.to_owned();
    }
    let mut out = String::with_capacity(s.len() + 16);
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '\\' | '`' | '*' | '_' | '[' | ']' | '|' | '~' => {
                out.push('\\');
                out.push(c);
            }
            c if c.is_control() => out.push(' '),
            c if super::links::is_bidi_control(c) => {}
            c => out.push(c),
        }
    }
    out
}

/// Escaped text as a heading: a `#` would close an ATX heading (`## Text #`).
fn heading(escaped: &str) -> String {
    escaped.replace('#', "\\#")
}

/// Text that starts a line: also what would open a list, a quote or a heading there.
fn line_start(text: String) -> String {
    let mut out = text;
    if out.starts_with(['-', '+', '=', '#']) {
        out.insert(0, '\\');
    } else {
        // `1.` or `1)` opens an ordered list.
        let digits = out.bytes().take_while(u8::is_ascii_digit).count();
        if digits > 0 && matches!(out.as_bytes().get(digits), Some(b'.' | b')')) {
            out.insert(digits, '\\');
        }
    }
    out
}

pub fn document(n: &Notice, front_matter: bool) -> String {
    let mut out = String::new();
    if front_matter {
        // JSON strings are YAML scalars: safe quoting for any value.
        let q = |s: &str| serde_json::to_string(s).unwrap_or_default();
        let title = q(&format!("{}: {}", n.kind, n.name_text));
        let (lang, id) = (q(&n.lang), q(&n.id));
        let _ = writeln!(out, "---\ntitle: {title}\nlang: {lang}\nregister: {id}");
        if let Some(u) = &n.updated
            && let Some(Inline::Date { datetime, .. }) = u.last()
        {
            let _ = writeln!(out, "updated: {}", q(datetime));
        }
        out.push_str("---\n\n");
    }
    if let Some(d) = &n.draft {
        let _ = writeln!(out, "> **{}**\n", escape(d));
    }
    let _ = writeln!(out, "# {}\n", heading(&inlines(&n.name)));
    let mut meta = vec![escape(&n.kind)];
    if let Some(u) = &n.updated {
        meta.push(inlines(u));
    }
    let _ = writeln!(out, "*{}*\n", meta.join(" · "));
    if let Some(i) = &n.intro {
        let _ = writeln!(out, "{}\n", line_start(escape(i)));
    }
    for s in &n.sections {
        let _ = writeln!(out, "## {}\n", heading(&escape(&s.heading)));
        for b in &s.blocks {
            block(&mut out, b, 3);
        }
    }
    let _ = writeln!(out, "---\n\n*{}*", escape(&n.generated));
    out
}

fn block(out: &mut String, b: &Block, level: usize) {
    match b {
        Block::Para(i) => {
            let _ = writeln!(out, "{}\n", line_start(inlines(i)));
        }
        Block::Contact(fields) | Block::Fields(fields) => {
            for f in fields {
                let _ = writeln!(out, "- {}", field(f));
            }
            out.push('\n');
        }
        Block::List(items) => {
            for i in items {
                let _ = writeln!(out, "- {}", line_start(inlines(i)));
            }
            out.push('\n');
        }
        Block::Purposes { head, rows } => purposes(out, head, rows),
        Block::Sub { heading, blocks } => {
            let _ = writeln!(
                out,
                "{} {}\n",
                "#".repeat(level),
                self::heading(&escape(heading))
            );
            for b in blocks {
                block(out, b, (level + 1).min(6));
            }
        }
    }
}

fn purposes(out: &mut String, head: &[String; 2], rows: &[PurposeRow]) {
    let _ = writeln!(
        out,
        "| {} | {} |\n|---|---|",
        escape(&head[0]),
        escape(&head[1])
    );
    for r in rows {
        let bases: Vec<String> = r.bases.iter().map(|b| inlines(b)).collect();
        let _ = writeln!(
            out,
            "| {} | {} |",
            inlines(&r.description),
            bases.join("; ")
        );
    }
    out.push('\n');
}

fn field(f: &Field) -> String {
    format!("**{}:** {}", escape(&f.label), inlines(&f.value))
}

fn inlines(items: &[Inline]) -> String {
    let mut out = String::new();
    for i in items {
        match i {
            Inline::Text(t) | Inline::Date { text: t, .. } => out.push_str(&escape(t)),
            Inline::Strong(t) => {
                let _ = write!(out, "**{}**", escape(t));
            }
            Inline::Link { href, text } => {
                // The target was checked (links.rs): no spaces, quotes, brackets or parentheses.
                let _ = write!(out, "[{}](<{href}>)", escape(text));
            }
            // Markdown has no language markup without raw HTML: the passage is shown as is.
            Inline::Foreign { text, .. } => out.push_str(&escape(text)),
        }
    }
    out
}
