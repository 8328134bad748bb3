//! `seloste/missing-translation`: every Text of a register in every language the notice is declared
//! in (`language` and `translations`), so that a rendered language version has no gaps.
//!
//! Where the Texts are is read from the register's JSON Schema (every node that refers to the
//! `Text` definition), so a field added to the format is checked without a change here.

use serde_json::Value as Json;

use crate::document::{Node, NodeKind, Segment, render_path};
use crate::finding::{Finding, Severity};

const TEXT_REF: &str = "#/$defs/Text";

/// The languages a register declares: its `language` first, then its `translations`, without
/// repeats; only the codes of the format (`fi`, `sv`, `en`).
pub fn declared(root: &Node) -> Vec<String> {
    let mut langs: Vec<String> = Vec::new();
    let first = root.get("language").and_then(Node::as_str);
    let rest = root
        .get("translations")
        .and_then(Node::as_seq)
        .unwrap_or(&[])
        .iter()
        .filter_map(Node::as_str);
    for l in first.into_iter().chain(rest) {
        if matches!(l, "fi" | "sv" | "en") && !langs.iter().any(|k| k == l) {
            langs.push(l.to_owned());
        }
    }
    langs
}

/// Where the Texts of a register are: the register's schema reduced to the fields that lead to a
/// Text. Made once per process (walking the JSON Schema for every register cost a tenth of a lint).
enum Shape {
    Text,
    Fields(Vec<(String, Shape)>),
    Items(Box<Shape>),
}

static REGISTER_SHAPE: std::sync::LazyLock<Option<Shape>> = std::sync::LazyLock::new(|| {
    shape(
        &crate::register::SCHEMA,
        crate::register::SCHEMA.get("$defs"),
        0,
    )
});

/// The shape of `schema`, or `None` when no Text is under it.
fn shape(schema: &Json, defs: Option<&Json>, depth: usize) -> Option<Shape> {
    if depth > 32 {
        return None;
    }
    if schema.get("$ref").and_then(Json::as_str) == Some(TEXT_REF) {
        return Some(Shape::Text);
    }
    let schema = resolve(schema, defs);
    if let Some(branches) = schema.get("anyOf").and_then(Json::as_array) {
        // `Option<T>`: T and null.
        return branches.iter().find_map(|b| shape(b, defs, depth + 1));
    }
    if let Some(props) = schema.get("properties").and_then(Json::as_object) {
        let fields: Vec<(String, Shape)> = props
            .iter()
            .filter_map(|(k, v)| Some((k.clone(), shape(v, defs, depth + 1)?)))
            .collect();
        return (!fields.is_empty()).then_some(Shape::Fields(fields));
    }
    let item = shape(schema.get("items")?, defs, depth + 1)?;
    Some(Shape::Items(Box::new(item)))
}

fn resolve<'s>(schema: &'s Json, defs: Option<&'s Json>) -> &'s Json {
    let mut s = schema;
    for _ in 0..16 {
        let Some(name) = s
            .get("$ref")
            .and_then(Json::as_str)
            .and_then(|r| r.strip_prefix("#/$defs/"))
        else {
            break;
        };
        match defs.and_then(|d| d.get(name)) {
            Some(next) => s = next,
            None => break,
        }
    }
    s
}

/// Findings for the Texts of a register's tree `root` that have no version in one of `langs`. A
/// plain string is in the register's `language`; an empty string is no version. Nothing is
/// reported when only one language is declared or none.
pub fn check(root: &Node, langs: &[String], lang: &str) -> Vec<Finding> {
    let primary = root.get("language").and_then(Node::as_str);
    let declared = declared(root);
    if declared.len() < 2 && langs.iter().all(|l| Some(l.as_str()) == primary) {
        return Vec::new();
    }
    let Some(shape) = REGISTER_SHAPE.as_ref() else {
        return Vec::new();
    };
    let mut walk = Walk {
        m: crate::messages::get(lang),
        primary,
        langs,
        path: Vec::new(),
        findings: Vec::new(),
    };
    walk.node(root, shape);
    walk.findings
}

struct Walk<'a> {
    m: &'static crate::messages::Messages,
    primary: Option<&'a str>,
    langs: &'a [String],
    path: Vec<Segment>,
    findings: Vec<Finding>,
}

impl Walk<'_> {
    fn node(&mut self, node: &Node, shape: &Shape) {
        match (shape, &node.kind) {
            (Shape::Text, _) => self.text(node),
            (Shape::Fields(fields), NodeKind::Map(entries)) => {
                for e in entries {
                    if let Some((_, s)) = fields.iter().find(|(k, _)| *k == e.key) {
                        self.path.push(Segment::Key(e.key.clone()));
                        self.node(&e.value, s);
                        self.path.pop();
                    }
                }
            }
            (Shape::Items(item), NodeKind::Seq(items)) => {
                for (i, n) in items.iter().enumerate() {
                    self.path.push(Segment::Index(i));
                    self.node(n, item);
                    self.path.pop();
                }
            }
            // Another type: the structure check's business.
            _ => {}
        }
    }

    fn text(&mut self, node: &Node) {
        let has = |lang: &str| match &node.kind {
            // A placeholder stands for every version still to be written (`seloste/placeholder`).
            NodeKind::Str(s) if crate::placeholder::is_placeholder(s) => true,
            NodeKind::Str(s) => Some(lang) == self.primary && !s.trim().is_empty(),
            NodeKind::Map(entries) => entries
                .iter()
                .any(|e| e.key == lang && e.value.as_str().is_some_and(|s| !s.trim().is_empty())),
            // Null is "not addressed"; other types are the structure check's business.
            _ => true,
        };
        let missing: Vec<&str> = self
            .langs
            .iter()
            .map(String::as_str)
            .filter(|l| !has(l))
            .collect();
        if missing.is_empty() {
            return;
        }
        let m = self.m;
        let path = render_path(&self.path);
        let words: Vec<&str> = missing
            .iter()
            .map(|l| {
                m.text(match *l {
                    "fi" => "lint.language_fi",
                    "sv" => "lint.language_sv",
                    _ => "lint.language_en",
                })
            })
            .collect();
        let names = crate::messages::and_list(&words, m.text("lint.and"));
        let help = match &node.kind {
            NodeKind::Str(s) => {
                let example = format!(
                    "{{{}: \"{}\", {}: \"...\"}}",
                    self.primary.unwrap_or("fi"),
                    excerpt(s),
                    missing[0]
                );
                m.fill("lint.missing_translation_map", &[("example", &example)])
            }
            _ => m.fill("lint.missing_translation_add", &[("code", missing[0])]),
        };
        self.findings.push(
            Finding::new(
                "seloste/missing-translation",
                Severity::Error,
                node.span,
                m.fill(
                    "lint.missing_translation",
                    &[("path", &path), ("languages", &names)],
                ),
            )
            .with_path(path)
            .with_label(m.fill("lint.missing_translation_label", &[("languages", &names)]))
            .with_help(help),
        );
    }
}

/// The start of a text for an example: at most 30 characters, on one line.
fn excerpt(s: &str) -> String {
    let line = s.lines().next().unwrap_or("").trim();
    let mut out: String = line.chars().take(30).collect();
    if out.len() < line.len() {
        out.push('…');
    }
    out.replace('"', "'")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn findings(yaml: &str, langs: &[&str]) -> Vec<String> {
        let doc = crate::document::load(yaml.as_bytes(), Default::default()).expect("yaml");
        let langs: Vec<String> = langs.iter().map(|l| (*l).to_owned()).collect();
        check(&doc.root, &langs, "en")
            .into_iter()
            .map(|f| f.message)
            .collect()
    }

    const REGISTER: &str = "seloste: 1\nid: x\nlanguage: fi\ntranslations: [sv]\n\
        name: {fi: Nimi, sv: Namn}\ncontroller: {name: Kunta, kind: public_authority}\n\
        purposes:\n  - id: a\n    description: Vain suomeksi\n    consequences: {fi: X, sv: ''}\n\
        data_subjects: [{fi: A, sv: B}, Asiakkaat]\nretention: {criteria: {sv: C}}\n";

    #[test]
    fn texts_without_a_declared_language_are_found_through_the_schema() {
        assert_eq!(
            findings(REGISTER, &["fi", "sv"]),
            [
                "`purposes[0].description` has no version in `sv`",
                "`purposes[0].consequences` has no version in `sv`",
                "`data_subjects[1]` has no version in `sv`",
                "`retention.criteria` has no version in `fi`",
            ]
        );
    }

    #[test]
    fn only_the_languages_asked_for_are_checked() {
        assert_eq!(
            findings(REGISTER, &["fi"]),
            ["`retention.criteria` has no version in `fi`"]
        );
    }

    #[test]
    fn a_register_in_one_language_has_nothing_to_translate() {
        let one = "seloste: 1\nid: x\nlanguage: fi\nname: Nimi\n\
            controller: {name: K, kind: company}\npurposes: [{id: a, description: D}]\n";
        assert!(findings(one, &["fi"]).is_empty());
    }
}
