//! The fixed texts of a rendered notice: headings, labels, legal-basis words, rights sentences, in
//! fi, sv and en, read from `templates/notice/<lang>.yaml` (embedded; `--templates DIR` replaces
//! them) and country names from `countries.yaml`. Loaded and validated like rule files, so that a
//! lawyer or translator can review them without reading Rust: every group names its `source` and
//! the date it was `checked`; every language has exactly the keys of the English file, with the same
//! `{placeholders}`. A problem is a `seloste/template` finding in that file (exit 2).

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use crate::document::{self, Budget, Node, NodeKind, Span};
use crate::finding::{FileFindings, Finding, Severity};

/// The built-in files, by name.
const BUILTIN: &[(&str, &str)] = &[
    ("en.yaml", include_str!("../../templates/notice/en.yaml")),
    ("fi.yaml", include_str!("../../templates/notice/fi.yaml")),
    ("sv.yaml", include_str!("../../templates/notice/sv.yaml")),
    (
        "countries.yaml",
        include_str!("../../templates/notice/countries.yaml"),
    ),
];

/// Where the built-in files are in the repository (for diagnostics).
const BUILTIN_DIR: &str = "templates/notice";

/// The texts of one language, by `group.key`, and the country names in that language.
#[derive(Debug, Clone)]
pub struct Texts {
    pub lang: String,
    texts: BTreeMap<String, String>,
    countries: BTreeMap<String, String>,
}

impl Texts {
    /// The text `group.key`; placeholders `{name}` replaced by `args`.
    pub fn get<'a>(&'a self, key: &'a str) -> &'a str {
        self.texts.get(key).map_or(key, String::as_str)
    }

    /// [`Texts::get`] with `{name}` placeholders filled, in one pass (a value that contains a
    /// placeholder is not filled again).
    pub fn fill(&self, key: &str, args: &[(&str, &str)]) -> String {
        crate::messages::fill(self.get(key), args)
    }

    /// `a, b and c` in this language (`durations.and`).
    pub fn and_list(&self, items: &[String]) -> String {
        crate::messages::and_list(items, self.get("durations.and"))
    }

    /// The country of an ISO 3166-1 alpha-2 code in this language; the code itself when the list
    /// has no name for it.
    pub fn country(&self, code: &str) -> String {
        self.countries
            .get(&code.trim().to_ascii_uppercase())
            .cloned()
            .unwrap_or_else(|| code.to_owned())
    }
}

/// The texts of `lang`: from `dir` when given (its `<lang>.yaml` and `countries.yaml` replace the
/// built-in ones where present), checked against the built-in English keys.
pub fn load(lang: &str, dir: Option<&Path>) -> Result<Texts, Vec<FileFindings>> {
    let mut all = load_many(&[lang], dir)?;
    all.remove(lang).ok_or_else(Vec::new)
}

/// [`load`] for several languages, reading the English reference and the country names once.
pub fn load_many(
    langs: &[&str],
    dir: Option<&Path>,
) -> Result<BTreeMap<String, Texts>, Vec<FileFindings>> {
    let read = |name: &str| -> Result<(String, String), Vec<FileFindings>> {
        let Some(path) = dir.map(|d| d.join(name)) else {
            return Ok(read_builtin(name));
        };
        let display = crate::paths::display_path(&path);
        let message = match std::fs::read(&path) {
            Ok(bytes) => match String::from_utf8(bytes) {
                Ok(s) => return Ok((display, s)),
                Err(_) => "the file is not UTF-8".to_owned(),
            },
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(read_builtin(name)),
            Err(e) => format!("cannot read: {e}"),
        };
        let finding = Finding::new(
            "seloste/template",
            Severity::Error,
            Span::default(),
            message,
        );
        Err(vec![FileFindings::new(
            &display,
            String::new(),
            vec![finding],
        )])
    };
    // The built-in files are checked against each other by the test suite; files of `--templates
    // DIR` are checked against the built-in English keys here.
    let reference = dir
        .map(|_| {
            let (en_name, en_source) = read_builtin("en.yaml");
            parse_language(&en_name, &en_source, "en", None)
        })
        .transpose()?;
    let (cname, csource) = read("countries.yaml")?;
    let mut countries = parse_countries(&cname, &csource)?;
    let mut out = BTreeMap::new();
    for lang in langs {
        let (name, source) = read(&format!("{lang}.yaml"))?;
        let texts = parse_language(&name, &source, lang, reference.as_ref())?;
        out.insert(
            (*lang).to_owned(),
            Texts {
                lang: (*lang).to_owned(),
                texts,
                countries: countries.remove(*lang).unwrap_or_default(),
            },
        );
    }
    Ok(out)
}

fn read_builtin(name: &str) -> (String, String) {
    let text = BUILTIN
        .iter()
        .find(|(n, _)| *n == name)
        .map_or("", |(_, t)| *t);
    (format!("{BUILTIN_DIR}/{name}"), text.to_owned())
}

/// Collects the problems of one file.
struct Problems<'a> {
    file: &'a str,
    source: &'a str,
    findings: Vec<Finding>,
}

impl<'a> Problems<'a> {
    fn new(file: &'a str, source: &'a str) -> Self {
        Problems {
            file,
            source,
            findings: Vec::new(),
        }
    }

    fn add(&mut self, span: Span, message: String, help: Option<String>) {
        let mut f = Finding::new("seloste/template", Severity::Error, span, message);
        if let Some(h) = help {
            f = f.with_help(h);
        }
        self.findings.push(f);
    }

    fn finish<T>(self, value: T) -> Result<T, Vec<FileFindings>> {
        if self.findings.is_empty() {
            Ok(value)
        } else {
            Err(vec![FileFindings::new(
                self.file,
                self.source.to_owned(),
                self.findings,
            )])
        }
    }
}

fn load_tree(file: &str, source: &str) -> Result<Node, Vec<FileFindings>> {
    document::load(source.as_bytes(), Budget::default())
        .map(|doc| doc.root)
        .map_err(|e| vec![FileFindings::from_load_error(e, file, "en")])
}

/// Texts whose placeholders a language chooses from a set: a date is "1.10.2026" in Finnish and
/// "1 October 2026" in English. Every other text keeps exactly the English placeholders.
const FREE_PLACEHOLDERS: &[(&str, &[&str])] =
    &[("durations.date", &["day", "month", "month_name", "year"])];

/// `{name}` placeholders of a text.
fn placeholders(text: &str) -> BTreeSet<&str> {
    let mut out = BTreeSet::new();
    let mut rest = text;
    while let Some(start) = rest.find('{') {
        let after = &rest[start + 1..];
        match after.find('}') {
            Some(end) => {
                out.insert(&after[..end]);
                rest = &after[end + 1..];
            }
            None => break,
        }
    }
    out
}

/// One language file: `language`, then groups of `source`, `checked`, `texts`. With a `reference`
/// (the English texts), the keys and placeholders must be the same.
fn parse_language(
    file: &str,
    source: &str,
    lang: &str,
    reference: Option<&BTreeMap<String, String>>,
) -> Result<BTreeMap<String, String>, Vec<FileFindings>> {
    let root = load_tree(file, source)?;
    let mut p = Problems::new(file, source);
    let mut texts = BTreeMap::new();
    let Some(entries) = root.as_map() else {
        p.add(root.span, "expected a mapping of text groups".into(), None);
        return p.finish(texts);
    };
    match root.get("language").and_then(Node::as_str) {
        Some(l) if l == lang => {}
        Some(l) => p.add(
            root.get("language").map_or(root.span, |n| n.span),
            format!("`language: {l}` in the file for `{lang}`"),
            Some(format!("write `language: {lang}`")),
        ),
        None => p.add(
            first_line(root.span),
            "`language` is missing".into(),
            Some(format!("add `language: {lang}` at the top")),
        ),
    }
    for e in entries.iter().filter(|e| e.key != "language") {
        group(&mut p, &e.key, e.key_span, &e.value, &mut texts);
    }
    if let Some(reference) = reference {
        for (key, text) in reference {
            match texts.get(key) {
                None => p.add(
                    first_line(root.span),
                    format!("the text `{key}` is missing"),
                    Some(format!(
                        "every language file has the keys of {BUILTIN_DIR}/en.yaml: add `{key}`"
                    )),
                ),
                Some(ours) => {
                    let (want, have) = (placeholders(text), placeholders(ours));
                    let free = FREE_PLACEHOLDERS.iter().find(|(k, _)| k == key);
                    let fits = match free {
                        Some((_, allowed)) => have.iter().all(|p| allowed.contains(p)),
                        None => want == have,
                    };
                    if !fits {
                        p.add(
                            text_span(&root, key),
                            format!(
                                "the text `{key}` has the placeholders {{{}}}, the English one {{{}}}",
                                have.into_iter().collect::<Vec<_>>().join("}, {"),
                                want.into_iter().collect::<Vec<_>>().join("}, {")
                            ),
                            Some("keep the placeholders of the English text".into()),
                        );
                    }
                }
            }
        }
        for key in texts.keys().filter(|k| !reference.contains_key(*k)) {
            p.add(
                text_span(&root, key),
                format!("`{key}` is not a text of the notice"),
                Some(format!("the keys are those of {BUILTIN_DIR}/en.yaml")),
            );
        }
    }
    p.finish(texts)
}

/// Where the text `key` is written (the file's start when it is not).
fn text_span(root: &Node, key: &str) -> Span {
    let entry = key
        .split_once('.')
        .and_then(|(g, k)| root.get(g)?.get("texts")?.entry(k));
    entry.map_or(root.span, |e| e.key_span)
}

fn first_line(span: Span) -> Span {
    Span::new(span.start, span.start)
}

/// Checks one group and adds its texts as `group.key`.
fn group(
    p: &mut Problems,
    name: &str,
    key_span: Span,
    node: &Node,
    texts: &mut BTreeMap<String, String>,
) {
    let Some(entries) = node.as_map() else {
        return p.add(
            node.span,
            format!("the group `{name}` is not a mapping of `source`, `checked` and `texts`"),
            None,
        );
    };
    dated(p, name, key_span, node);
    let Some(items) = node.get("texts").and_then(Node::as_map) else {
        return p.add(
            key_span,
            format!("the group `{name}` has no `texts` mapping"),
            None,
        );
    };
    for e in items {
        match &e.value.kind {
            NodeKind::Str(s) if !s.trim().is_empty() => {
                texts.insert(format!("{name}.{}", e.key), s.clone());
            }
            _ => p.add(
                e.value.span,
                format!("the text `{name}.{}` is not a non-empty string", e.key),
                None,
            ),
        }
    }
    let unknown = entries
        .iter()
        .filter(|e| !matches!(e.key.as_str(), "source" | "checked" | "texts"));
    for e in unknown {
        p.add(
            e.key_span,
            format!("unknown key `{}` in the group `{name}`", e.key),
            Some("a group has `source`, `checked` and `texts`".into()),
        );
    }
}

/// `source` (non-empty) and `checked` (a date) of a group or a data list.
fn dated(p: &mut Problems, name: &str, key_span: Span, node: &Node) {
    if node
        .get("source")
        .and_then(Node::as_str)
        .is_none_or(|s| s.trim().is_empty())
    {
        p.add(
            key_span,
            format!("`{name}` names no `source`"),
            Some("cite where the wording comes from, e.g. the article of the GDPR in the official language version (EUR-Lex)".into()),
        );
    }
    let checked = node.get("checked");
    if checked
        .and_then(Node::as_str)
        .is_none_or(|d| chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d").is_err())
    {
        p.add(
            checked.map_or(key_span, |c| c.span),
            format!("`{name}` has no `checked` date"),
            Some("write the date the wording was last compared with its source: `checked: YYYY-MM-DD`".into()),
        );
    }
}

/// `countries.yaml`: `source`, `checked`, `countries: {CODE: {fi, sv, en}}`; the names by
/// language, then by code.
fn parse_countries(
    file: &str,
    source: &str,
) -> Result<BTreeMap<String, BTreeMap<String, String>>, Vec<FileFindings>> {
    let root = load_tree(file, source)?;
    let mut p = Problems::new(file, source);
    dated(&mut p, "countries.yaml", first_line(root.span), &root);
    let mut out = BTreeMap::new();
    let Some(list) = root.get("countries").and_then(Node::as_map) else {
        p.add(
            first_line(root.span),
            "`countries` is missing or not a mapping".into(),
            None,
        );
        return p.finish(out);
    };
    for e in list {
        let code_ok = e.key.len() == 2 && e.key.bytes().all(|b| b.is_ascii_uppercase());
        if !code_ok {
            p.add(
                e.key_span,
                format!("`{}` is not an ISO 3166-1 alpha-2 code", e.key),
                Some("write two capital letters, e.g. `SE`".into()),
            );
        }
        for l in ["fi", "sv", "en"] {
            match e.value.get(l).and_then(Node::as_str) {
                Some(name) if !name.trim().is_empty() => {
                    out.entry(l.to_owned())
                        .or_insert_with(BTreeMap::new)
                        .insert(e.key.clone(), name.to_owned());
                }
                _ => p.add(
                    e.value.span,
                    format!("the country `{}` has no name in `{l}`", e.key),
                    None,
                ),
            }
        }
    }
    p.finish(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_builtin_texts_load_in_every_language() {
        // The keys and placeholders of each built-in file against the English one (a run checks
        // only the files of `--templates DIR`).
        let (en_name, en_source) = read_builtin("en.yaml");
        let reference = parse_language(&en_name, &en_source, "en", None).expect("en.yaml");
        for lang in ["fi", "sv"] {
            let (name, source) = read_builtin(&format!("{lang}.yaml"));
            if let Err(e) = parse_language(&name, &source, lang, Some(&reference)) {
                let messages: Vec<&String> = e
                    .iter()
                    .flat_map(|f| &f.findings)
                    .map(|f| &f.message)
                    .collect();
                panic!("{lang}: {messages:?}");
            }
        }
        for lang in ["en", "fi", "sv"] {
            let texts = load(lang, None).unwrap_or_else(|e| {
                panic!(
                    "{lang}: {:?}",
                    e.iter()
                        .flat_map(|f| &f.findings)
                        .map(|f| &f.message)
                        .collect::<Vec<_>>()
                )
            });
            assert_ne!(texts.get("headings.controller"), "headings.controller");
            assert_ne!(texts.country("SE"), "SE", "{lang}");
        }
    }

    /// Every value of every enumeration the notice shows has its text, in every language: a new
    /// value in the format cannot reach a notice as a raw key.
    #[test]
    fn every_enum_value_has_a_text() {
        let schema = &*crate::register::SCHEMA;
        let defs = schema.get("$defs").expect("$defs");
        for (def, group) in [
            ("LegalBasis", "legal_basis"),
            ("SpecialCondition", "special_category_condition"),
            ("SpecialCategory", "special_category"),
            ("Requirement", "requirement"),
            ("SourceKind", "source_kind"),
            ("RecipientKind", "recipient_kind"),
            ("Safeguard", "safeguard"),
            ("Framework", "framework"),
            ("Right", "rights"),
        ] {
            // An enum with documented values is a `oneOf` of `const`s in the schema.
            let values: Vec<serde_json::Value> = match defs[def]["enum"].as_array() {
                Some(v) => v.clone(),
                None => defs[def]["oneOf"]
                    .as_array()
                    .expect("an enum or a oneOf")
                    .iter()
                    .map(|v| v["const"].clone())
                    .collect(),
            };
            assert!(!values.is_empty(), "{def}");
            for lang in ["en", "fi", "sv"] {
                let texts = load(lang, None).expect("texts");
                for v in &values {
                    let key = format!("{group}.{}", v.as_str().expect("a string"));
                    assert_ne!(texts.get(&key), key, "{lang}: no text for {key}");
                }
            }
        }
    }

    #[test]
    fn fill_replaces_each_placeholder_once() {
        let texts = load("en", None).expect("texts");
        let out = texts.fill(
            "document.generated",
            &[("id", "{version}"), ("version", "1.0")],
        );
        assert_eq!(out, "Generated from the register {version} by seloste 1.0.");
    }

    #[test]
    fn placeholders_are_found() {
        let p = placeholders("{n} vuotta {and} {n}");
        assert_eq!(p.into_iter().collect::<Vec<_>>(), ["and", "n"]);
    }
}
