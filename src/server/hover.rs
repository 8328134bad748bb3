//! Hovers: a rule explained (what `seloste explain` shows, in Markdown) on a rule id in a
//! `# seloste: allow` comment or on a finding's range; a key's meaning from the format's schema.

use std::sync::LazyLock;

use regex::Regex;

use super::cursor;
use super::schema::{self, Step};
use super::workspace::Checker;
use crate::document::{self, Budget, Span};
use crate::finding::FileFindings;

/// A `# seloste: allow[-file] ids -- reason` comment, and where its ids are.
static DIRECTIVE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?:^|[ \t])#[ \t]*seloste:[ \t]*[A-Za-z-]*(?P<ids>[^\r\n]*?)(?:--[^\r\n]*)?$")
        .expect("static regex")
});

static WORD: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"[^\s,]+").expect("static regex"));

/// The rule id written at `offset` in a suppression comment, and its span.
pub fn suppression_id_at(text: &str, offset: usize) -> Option<(String, Span)> {
    let start = text[..offset.min(text.len())]
        .rfind('\n')
        .map_or(0, |i| i + 1);
    let end = text[start..].find('\n').map_or(text.len(), |i| start + i);
    let line = text[start..end].trim_end_matches('\r');
    let caps = DIRECTIVE.captures(line)?;
    let ids = caps.name("ids")?;
    WORD.find_iter(ids.as_str()).find_map(|word| {
        let at = start + ids.start() + word.start();
        let span = Span::new(at, at + word.len());
        (span.start <= offset && offset <= span.end).then(|| (word.as_str().to_owned(), span))
    })
}

/// A rule or built-in check explained in Markdown, with the link to its docs.
pub fn rule_markdown(checker: &Checker, id: &str) -> Option<String> {
    let lang = checker.prepared.opts.lang.as_str();
    let rules = &checker.prepared.rules;
    let ids: Vec<&str> = rules
        .rules
        .iter()
        .map(|r| r.id.as_str())
        .chain(crate::checks::BUILTIN_CHECKS.iter().map(|c| c.id))
        .collect();
    let id = crate::rules::resolve_id(&ids, id, crate::messages::get(lang)).ok()?;
    let link = super::diagnostics::help_uri(Some(&checker.catalog), id);
    let body = match rules.get(id) {
        Some(rule) => crate::explain::rule_markdown(rule, lang),
        None => {
            let check = crate::checks::BUILTIN_CHECKS.iter().find(|c| c.id == id)?;
            format!(
                "**{}**\n\n- {}: {}\n\n{}.\n",
                check.title,
                crate::messages::get(lang).text("explain.severity"),
                check.severity.as_str(),
                check.description
            )
        }
    };
    Some(format!("### `{id}`\n\n{body}\n[{id}]({link})\n"))
}

/// The hover at `offset` of `text`: its Markdown and the span it is about.
pub fn hover(
    text: &str,
    offset: usize,
    findings: Option<&FileFindings>,
    checker: Option<&Checker>,
) -> Option<(String, Span)> {
    if let Some(checker) = checker {
        if let Some((id, span)) = suppression_id_at(text, offset)
            && let Some(md) = rule_markdown(checker, &id)
        {
            return Some((md, span));
        }
        if let Some(file) = findings {
            let mut parts: Vec<String> = Vec::new();
            let mut span: Option<Span> = None;
            for f in &file.findings {
                if f.span.start <= offset && offset <= f.span.end.max(f.span.start) {
                    if let Some(md) = rule_markdown(checker, &f.rule)
                        && !parts.contains(&md)
                    {
                        parts.push(md);
                    }
                    span = Some(span.map_or(f.span, |s| s.join(f.span)));
                }
            }
            if let Some(span) = span
                && !parts.is_empty()
            {
                return Some((parts.join("\n---\n\n"), span));
            }
        }
    }
    key_hover(text, offset)
}

/// The meaning of the key under `offset`, from the schema.
fn key_hover(text: &str, offset: usize) -> Option<(String, Span)> {
    let doc = document::load(text.as_bytes(), Budget::default()).ok()?;
    let (path, span) = cursor::key_at(&doc.root, offset)?;
    let description = schema::description(&crate::register::SCHEMA, &path)?;
    let shown: Vec<String> = path
        .iter()
        .map(|s| match s {
            Step::Key(k) => k.clone(),
            Step::Item => "[]".to_owned(),
        })
        .collect();
    let mut md = format!(
        "**`{}`**\n\n{description}",
        shown.join(".").replace(".[]", "[]")
    );
    let values = schema::enum_values(&crate::register::SCHEMA, &path);
    if !values.is_empty() {
        let list: Vec<String> = values.iter().map(|(v, _)| format!("`{v}`")).collect();
        md.push_str(&format!("\n\nOne of: {}", list.join(", ")));
    }
    md.push_str(
        "\n\n[docs/format.md](https://github.com/seloste/seloste/blob/main/docs/format.md)",
    );
    Some((md, span))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rule_ids_in_a_suppression_comment() {
        let text = "a: 1\nb: 2  # seloste: allow gdpr/x, fi/y -- because\n";
        let at = text.find("fi/y").unwrap() + 1;
        let (id, span) = suppression_id_at(text, at).expect("id");
        assert_eq!(id, "fi/y");
        assert_eq!(&text[span.start..span.end], "fi/y");
        assert!(suppression_id_at(text, text.find("because").unwrap()).is_none());
        assert!(suppression_id_at(text, 1).is_none());
    }

    #[test]
    fn a_key_is_described_by_the_schema() {
        let text = "seloste: 1\npurposes:\n  - id: x\n    legal_basis: contract\n";
        let (md, _) = key_hover(text, text.find("legal_basis").unwrap()).expect("hover");
        assert!(md.contains("Art. 6(1)"), "{md}");
        assert!(md.contains("`contract`"), "{md}");
    }
}
