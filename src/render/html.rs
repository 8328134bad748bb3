//! The notice as an accessible HTML page (or only its `<article>`, for a CMS): one `<h1>`, an `<h2>`
//! per section, the purposes as a table with header cells, contact details in `<address>`, inline
//! CSS, no script, nothing fetched. Every register value is escaped.

use std::fmt::Write;

use super::notice::{Block, Inline, Notice, PurposeRow};

const CSS: &str = include_str!("../../templates/notice/notice.css");

/// `&`, `<`, `>`, `"` and `'` as entities: safe in text and in quoted attributes.
pub fn escape(s: &str) -> String {
    const SPECIAL: super::links::ByteSet = super::links::ByteSet::new(b"&<>\"'");
    if !super::links::needs_escape(s, &SPECIAL) {
        return s.to_owned();
    }
    let mut out = String::with_capacity(s.len() + 16);
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            // Control characters have no place in a page (the validator rejects them).
            c if c.is_control() && !matches!(c, '\n' | '\t') => out.push('\u{fffd}'),
            // Bidirectional controls could make a value read differently from what it is.
            c if super::links::is_bidi_control(c) => {}
            c => out.push(c),
        }
    }
    out
}

/// The whole page; `fragment`: only the `<article>`.
pub fn page(n: &Notice, fragment: bool) -> String {
    let mut out = String::new();
    if !fragment {
        let _ = write!(
            out,
            "<!DOCTYPE html>\n<html lang=\"{lang}\">\n<head>\n<meta charset=\"utf-8\">\n\
             <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
             <meta name=\"generator\" content=\"seloste\">\n\
             <title>{kind}: {name}</title>\n<style>\n{CSS}</style>\n</head>\n<body>\n<main>\n",
            lang = escape(&n.lang),
            kind = escape(&n.kind),
            name = page_title(&n.name_text, &n.kind),
        );
    }
    article(&mut out, n, fragment);
    if !fragment {
        out.push_str("</main>\n</body>\n</html>\n");
    }
    out
}

/// The escaped name for `<title>`: with the kind ("Tietosuojaseloste: "), at most 70 characters
/// as written in the page (html-validate counts entities as written).
fn page_title(name: &str, kind: &str) -> String {
    let room = 70usize.saturating_sub(escape(kind).chars().count() + 2);
    let mut max = room;
    loop {
        let t = escape(&title(name, max));
        if t.chars().count() <= room || max == 0 {
            return t;
        }
        max -= 1;
    }
}

/// The register's name cut to `max` characters at a word (a browser tab shows little more; the
/// `<h1>` has the whole name).
fn title(name: &str, max: usize) -> String {
    if name.chars().count() <= max {
        return name.to_owned();
    }
    let mut out = String::new();
    for word in name.split_whitespace() {
        if out.chars().count() + word.chars().count() + 2 > max {
            break;
        }
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    if out.is_empty() {
        // One word longer than the room: cut it.
        out = name.chars().take(max.saturating_sub(1)).collect();
    }
    out.push('…');
    out
}

fn article(out: &mut String, n: &Notice, fragment: bool) {
    // A fragment carries its language itself; in a page the `<html>` does.
    let lang = if fragment {
        format!(" lang=\"{}\"", escape(&n.lang))
    } else {
        String::new()
    };
    let _ = writeln!(out, "<article class=\"seloste-notice\"{lang}>\n<header>");
    if let Some(d) = &n.draft {
        let _ = writeln!(out, "<p class=\"draft\">{}</p>", escape(d));
    }
    let _ = writeln!(out, "<p class=\"doc-kind\">{}</p>", escape(&n.kind));
    let _ = writeln!(out, "<h1>{}</h1>", inlines(&n.name));
    if let Some(u) = &n.updated {
        let _ = writeln!(out, "<p class=\"updated\">{}</p>", inlines(u));
    }
    if let Some(i) = &n.intro {
        let _ = writeln!(out, "<p class=\"intro\">{}</p>", escape(i));
    }
    out.push_str("</header>\n");
    for s in &n.sections {
        let _ = writeln!(
            out,
            "<section id=\"{a}\" aria-labelledby=\"{a}-heading\">\n<h2 id=\"{a}-heading\">{h}</h2>",
            a = s.anchor,
            h = escape(&s.heading)
        );
        for b in &s.blocks {
            block(out, b, 3);
        }
        out.push_str("</section>\n");
    }
    let _ = write!(out, "<footer>\n<p>");
    if let Some(u) = &n.updated {
        let _ = write!(out, "{}. ", inlines(u));
    }
    let _ = writeln!(out, "{}</p>\n</footer>\n</article>", escape(&n.generated));
}

fn block(out: &mut String, b: &Block, level: u8) {
    match b {
        Block::Para(i) => {
            let _ = writeln!(out, "<p>{}</p>", inlines(i));
        }
        Block::Contact(fields) => element(out, "address", fields, |f| {
            let (label, value) = (escape(&f.label), inlines(&f.value));
            format!(
                "<span class=\"field\"><span class=\"label\">{label}:</span> {value}</span><br>\n"
            )
        }),
        Block::Fields(fields) => element(out, "dl", fields, |f| {
            let (label, value) = (escape(&f.label), inlines(&f.value));
            format!("<dt>{label}</dt>\n<dd>{value}</dd>\n")
        }),
        Block::List(items) => element(out, "ul", items, |i| format!("<li>{}</li>\n", inlines(i))),
        Block::Purposes { head, rows } => purposes(out, head, rows),
        Block::Sub { heading, blocks } => {
            let _ = writeln!(out, "<h{level}>{}</h{level}>", escape(heading));
            for b in blocks {
                block(out, b, (level + 1).min(6));
            }
        }
    }
}

/// The element `tag` (on lines of its own) around `items`, each as `each` writes it.
fn element<T>(out: &mut String, tag: &str, items: &[T], each: impl Fn(&T) -> String) {
    let inner: String = items.iter().map(each).collect();
    let _ = write!(out, "<{tag}>\n{inner}</{tag}>\n");
}

fn purposes(out: &mut String, head: &[String; 2], rows: &[PurposeRow]) {
    let _ = writeln!(
        out,
        "<table class=\"purposes\">\n<thead>\n<tr><th scope=\"col\">{}</th><th scope=\"col\">{}</th></tr>\n</thead>\n<tbody>",
        escape(&head[0]),
        escape(&head[1])
    );
    for r in rows {
        let _ = write!(
            out,
            "<tr>\n<th scope=\"row\">{}</th>\n<td>",
            inlines(&r.description)
        );
        for b in &r.bases {
            let _ = write!(out, "<p>{}</p>", inlines(b));
        }
        out.push_str("</td>\n</tr>\n");
    }
    out.push_str("</tbody>\n</table>\n");
}

fn inlines(items: &[Inline]) -> String {
    let mut out = String::new();
    for i in items {
        match i {
            Inline::Text(t) => out.push_str(&escape(t)),
            Inline::Strong(t) => {
                let _ = write!(out, "<strong>{}</strong>", escape(t));
            }
            Inline::Link { href, text } => {
                let class = if href == text { " class=\"url\"" } else { "" };
                let mut shown = escape(text);
                if href.starts_with("tel:") {
                    // A telephone number is not broken across lines (no-break spaces).
                    shown = shown.replace(' ', "&nbsp;");
                }
                let _ = write!(out, "<a href=\"{}\"{class}>{shown}</a>", escape(href));
            }
            Inline::Foreign { lang, text } => {
                let _ = write!(
                    out,
                    "<span lang=\"{}\">{}</span>",
                    escape(lang),
                    escape(text)
                );
            }
            Inline::Date { datetime, text } => {
                let _ = write!(
                    out,
                    "<time datetime=\"{}\">{}</time>",
                    escape(datetime),
                    escape(text)
                );
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn page_titles_stay_within_70_characters_as_written() {
        let long = "Järvilahden kunnan sosiaali- ja terveyspalvelujen asiakas- ja potilasrekisteri";
        let t = page_title(long, "Tietosuojaseloste");
        assert!(t.chars().count() <= 70 - 19, "{t}");
        assert!(t.ends_with('…'), "{t}");
        let t = page_title("<&>\"'<&>\"'<&>\"'<&>\"'<&>\"'<&>\"'", "Privacy notice");
        assert!(t.chars().count() <= 70 - 16, "{t}");
        let one_word = "x".repeat(200);
        assert!(page_title(&one_word, "K").chars().count() <= 67);
        // A kind longer than the room never panics.
        assert_eq!(page_title("Name", &"k".repeat(100)), "…");
        assert_eq!(page_title("Short name", "Privacy notice"), "Short name");
    }
}
