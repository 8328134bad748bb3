//! Completion: the values of an enumeration, the ids of `data_categories` in
//! `purposes[].categories` and `sources[].categories`, rule ids in a suppression comment, and the
//! keys of the format where a key is being typed.

use std::sync::LazyLock;

use lsp_types::{CompletionItem, CompletionItemKind, Documentation, MarkupContent, MarkupKind};
use regex::Regex;

use super::cursor::{self, LineContext};
use super::schema::{self, Step};
use super::workspace::Checker;
use crate::document::{self, Budget, Node};

/// What to offer at `offset`, and the byte offset where the word it replaces starts.
pub fn complete(
    text: &str,
    offset: usize,
    checker: Option<&Checker>,
) -> (Vec<CompletionItem>, usize) {
    let ctx = cursor::line_context(text, offset);
    let start = ctx.word.1;
    let items = if let Some(comment) = &ctx.comment {
        suppression(comment, checker)
    } else {
        values_or_keys(text, &ctx)
    };
    let prefix = ctx.word.0.to_lowercase();
    let items = items
        .into_iter()
        .filter(|i| i.label.to_lowercase().starts_with(&prefix) || prefix.is_empty())
        .collect();
    (items, start)
}

fn item(
    label: &str,
    kind: CompletionItemKind,
    detail: Option<&str>,
    doc: Option<String>,
) -> CompletionItem {
    CompletionItem {
        label: label.to_owned(),
        kind: Some(kind),
        detail: detail.map(str::to_owned),
        documentation: doc.map(|d| {
            Documentation::MarkupContent(MarkupContent {
                kind: MarkupKind::Markdown,
                value: d,
            })
        }),
        ..Default::default()
    }
}

/// Rule ids (and the directives) in a `# seloste:` comment.
fn suppression(comment: &str, checker: Option<&Checker>) -> Vec<CompletionItem> {
    static AFTER: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"^#[ \t]*seloste:[ \t]*(?P<kind>[A-Za-z-]*)(?P<rest>.*)$")
            .expect("static regex")
    });
    let Some(c) = AFTER.captures(comment) else {
        return Vec::new();
    };
    let rest = c.name("rest").map_or("", |m| m.as_str());
    if rest.is_empty() {
        // Still typing the directive.
        let directive = |d| {
            item(
                d,
                CompletionItemKind::KEYWORD,
                Some("seloste directive"),
                None,
            )
        };
        return ["allow", "allow-file"].map(directive).into();
    }
    if rest.contains("--") {
        return Vec::new();
    }
    let Some(checker) = checker else {
        return Vec::new();
    };
    let lang = checker.prepared.opts.lang.as_str();
    let rules = checker
        .prepared
        .rules
        .rules
        .iter()
        .map(|r| (r.id.clone(), r.title_in(lang)));
    // Only the ids a suppression may name (not `seloste/placeholder`).
    let checks = crate::checks::BUILTIN_CHECKS
        .iter()
        .filter(|c| c.in_registers && c.suppressible)
        .map(|c| (c.id.to_owned(), c.title.to_owned()));
    rules
        .chain(checks)
        .map(|(id, title)| item(&id, CompletionItemKind::VALUE, Some(&title), None))
        .collect()
}

fn values_or_keys(text: &str, ctx: &LineContext) -> Vec<CompletionItem> {
    let path = ctx.value_path();
    let typing_value = ctx.key.is_some() || ctx.items > 0;
    if !typing_value {
        return keys(&path);
    }
    if is_category_ref(&path) {
        return category_ids(text)
            .into_iter()
            .map(|(id, name)| item(&id, CompletionItemKind::REFERENCE, name.as_deref(), None))
            .collect();
    }
    let schema = &*crate::register::SCHEMA;
    let values = schema::enum_values(schema, &path);
    if values.is_empty() && ctx.key.is_none() {
        // `- ` at the start of a list item of mappings: its keys.
        return keys(&path);
    }
    values
        .into_iter()
        .map(|(v, d)| item(&v, CompletionItemKind::ENUM_MEMBER, None, d))
        .collect()
}

fn keys(path: &[Step]) -> Vec<CompletionItem> {
    schema::keys(&crate::register::SCHEMA, path)
        .into_iter()
        .map(|(k, d)| {
            let mut i = item(&k, CompletionItemKind::FIELD, None, d);
            i.insert_text = Some(format!("{k}: "));
            i
        })
        .collect()
}

/// `purposes[].categories[]` or `sources[].categories[]`.
fn is_category_ref(path: &[Step]) -> bool {
    matches!(path, [Step::Key(list), Step::Item, Step::Key(c), Step::Item]
        if (list == "purposes" || list == "sources") && c == "categories")
}

/// The ids of `data_categories` and their names: from the tree, or, while the text is not valid
/// YAML, from the lines under `data_categories:`.
fn category_ids(text: &str) -> Vec<(String, Option<String>)> {
    if let Ok(doc) = document::load(text.as_bytes(), Budget::default()) {
        return doc
            .root
            .get("data_categories")
            .and_then(Node::as_seq)
            .unwrap_or(&[])
            .iter()
            .filter_map(|c| {
                let id = c.get("id")?.as_str()?.to_owned();
                // A name in several languages: the first.
                let name = c
                    .get("name")
                    .and_then(|n| n.as_str().or_else(|| n.as_map()?.first()?.value.as_str()));
                Some((id, name.map(str::to_owned)))
            })
            .collect();
    }
    static ID: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"^[ \t]*(?:-[ \t]+)?id:[ \t]*([A-Za-z0-9_-]+)").expect("static regex")
    });
    let mut out = Vec::new();
    let mut inside = false;
    for line in text.lines() {
        if !line.starts_with([' ', '\t', '-', '#']) && !line.trim().is_empty() {
            inside = line.starts_with("data_categories:");
            continue;
        }
        if inside && let Some(c) = ID.captures(line) {
            out.push((c[1].to_owned(), None));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn labels(text: &str) -> Vec<String> {
        let offset = text.find('|').expect("cursor");
        let text = text.replacen('|', "", 1);
        complete(&text, offset, None)
            .0
            .into_iter()
            .map(|i| i.label)
            .collect()
    }

    #[test]
    fn enum_values_ids_and_keys() {
        let basis = labels("seloste: 1\npurposes:\n  - id: x\n    legal_basis: con|\n");
        assert_eq!(basis, ["consent", "contract"]);
        let list = labels("purposes:\n  - id: x\n    legal_basis: [contract, |]\n");
        assert!(list.contains(&"public_task".to_owned()), "{list:?}");
        let ids = labels(
            "data_categories:\n  - id: basic\n    name: Perustiedot\n  - id: contact\npurposes:\n  - id: x\n    categories:\n      - |\n",
        );
        assert_eq!(ids, ["basic", "contact"]);
        // Broken YAML above: the ids from the lines.
        let ids = labels(
            "data_categories:\n  - id: basic\n  - id: [oops\nsources:\n  - kind: public\n    categories: [b|\n",
        );
        assert_eq!(ids, ["basic"]);
        let keys = labels("seloste: 1\npurposes:\n  - id: x\n    legal_|\n");
        assert!(keys.contains(&"legal_basis".to_owned()), "{keys:?}");
        assert!(labels("seloste: 1\nlanguage: |\n").contains(&"fi".to_owned()));
    }
}
