//! seloste's own words in the run's language: the messages, labels and help of its checks
//! (`seloste/*`), the summary line, the `help:`/`law:` prefixes and the legal references, from
//! `templates/messages/<lang>.yaml` (embedded). A language's catalog is parsed on first use, so a
//! run that finds nothing parses none. Every language has the keys and `{placeholders}` of the
//! English one (a test checks), and a key missing in one falls back to English.

use std::collections::HashMap;
use std::sync::OnceLock;

use crate::document::{self, Budget, NodeKind};

const BUILTIN: [(&str, &str); 3] = [
    ("en", include_str!("../templates/messages/en.yaml")),
    ("fi", include_str!("../templates/messages/fi.yaml")),
    ("sv", include_str!("../templates/messages/sv.yaml")),
];

/// The groups of a catalog, in the order of the files.
const GROUPS: [&str; 10] = [
    "structure",
    "types",
    "lint",
    "suppress",
    "yaml",
    "run",
    "summary",
    "refs",
    "acts",
    "explain",
];

/// The texts of one language by `group.key`, each group parsed on first use: a run that prints
/// only its summary parses only the `summary` group.
#[derive(Debug)]
pub struct Messages {
    pub lang: &'static str,
    source: &'static str,
    groups: [OnceLock<HashMap<String, String>>; GROUPS.len()],
}

static CATALOGS: [Messages; 3] = [
    Messages::new(BUILTIN[0].0, BUILTIN[0].1),
    Messages::new(BUILTIN[1].0, BUILTIN[1].1),
    Messages::new(BUILTIN[2].0, BUILTIN[2].1),
];

/// The catalog of `lang` (English for a language seloste has no texts in).
pub fn get(lang: &str) -> &'static Messages {
    let i = BUILTIN.iter().position(|(l, _)| *l == lang).unwrap_or(0);
    &CATALOGS[i]
}

/// The English catalog.
pub fn en() -> &'static Messages {
    get("en")
}

/// The `group:` block of `source` (the header line and its indented lines), or nothing.
fn group_block<'a>(source: &'a str, group: &str) -> &'a str {
    let header = format!("{group}:");
    let mut start = None;
    let mut offset = 0;
    for line in source.split_inclusive('\n') {
        let top = line.starts_with(|c: char| !c.is_whitespace() && c != '#');
        match start {
            None if top && line.trim_end() == header => start = Some(offset),
            Some(s) if top => return &source[s..offset],
            _ => {}
        }
        offset += line.len();
    }
    start.map_or("", |s| &source[s..])
}

fn parse(block: &str) -> HashMap<String, String> {
    let mut texts = HashMap::new();
    // The built-in catalogs are checked by the test suite: a broken one is a build defect, and
    // its keys then show as themselves.
    if let Ok(doc) = document::load(block.as_bytes(), Budget::default())
        && let NodeKind::Map(groups) = &doc.root.kind
    {
        for group in groups {
            if let NodeKind::Map(entries) = &group.value.kind {
                for e in entries {
                    if let Some(text) = e.value.as_str() {
                        texts.insert(e.key.clone(), text.to_owned());
                    }
                }
            }
        }
    }
    texts
}

impl Messages {
    const fn new(lang: &'static str, source: &'static str) -> Messages {
        Messages {
            lang,
            source,
            groups: [const { OnceLock::new() }; GROUPS.len()],
        }
    }

    /// The texts of `group`, parsed now if not yet.
    fn group(&self, group: &str) -> Option<&HashMap<String, String>> {
        let i = GROUPS.iter().position(|g| *g == group)?;
        Some(self.groups[i].get_or_init(|| parse(group_block(self.source, group))))
    }

    fn lookup(&self, key: &str) -> Option<&String> {
        let (group, name) = key.split_once('.')?;
        self.group(group)?.get(name)
    }

    /// Every `group.key` with its text (for the consistency test).
    #[cfg(test)]
    fn all(&self) -> Vec<(String, &String)> {
        GROUPS
            .iter()
            .flat_map(|g| {
                self.group(g)
                    .into_iter()
                    .flatten()
                    .map(move |(k, v)| (format!("{g}.{k}"), v))
            })
            .collect()
    }

    /// The text `group.key`, in English when this language lacks it, the key itself when both do.
    pub fn text<'a>(&'a self, key: &'a str) -> &'a str {
        match self.lookup(key) {
            Some(t) => t,
            None if self.lang != "en" => en().text(key),
            None => key,
        }
    }

    /// [`Messages::text`] with its `{name}` placeholders filled from `args`.
    pub fn fill(&self, key: &str, args: &[(&str, &str)]) -> String {
        fill(self.text(key), args)
    }

    /// A GDPR reference as the rules write it (`Art. 6(1)(e)`, `Recital 43`, `Art. 44–49`), in
    /// this language's citation style (docs/glossary.md): `GDPR Art. 6(1)(e)`, "tietosuoja-asetuksen
    /// 6 artiklan 1 kohdan e alakohta", "artikel 6.1 e i dataskyddsförordningen". A form it does
    /// not know is kept as written, after the Regulation's name.
    pub fn gdpr_ref(&self, r: &str) -> String {
        let r = r.trim();
        if self.lang == "en" {
            return format!("GDPR {r}");
        }
        if let Some(n) = r.strip_prefix("Recital ") {
            return self.fill("refs.recital", &[("number", n)]);
        }
        let Some(body) = r.strip_prefix("Art. ") else {
            return self.fill("refs.other", &[("text", r)]);
        };
        // `6(1)(e)` → article 6, paragraph 1, point e; `4(11)`: Art. 4 has points, not paragraphs.
        let mut parts = body.split('(').map(|p| p.trim_end_matches(')').trim());
        let article = parts.next().unwrap_or_default();
        let rest: Vec<&str> = parts.collect();
        let well_formed = !article.is_empty()
            && article
                .chars()
                .all(|c| c.is_ascii_digit() || c == '–' || c == '-')
            && rest
                .iter()
                .all(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_alphanumeric()));
        if !well_formed {
            return self.fill("refs.other", &[("text", r)]);
        }
        let article = article.replace('-', "–");
        match rest.as_slice() {
            [] => self.fill("refs.article", &[("article", &article)]),
            [point] if article == "4" => self.fill(
                "refs.definition",
                &[("article", &article), ("point", point)],
            ),
            [paragraph] => self.fill(
                "refs.paragraph",
                &[("article", &article), ("paragraph", paragraph)],
            ),
            [paragraph, point] => self.fill(
                "refs.point",
                &[
                    ("article", &article),
                    ("paragraph", paragraph),
                    ("point", point),
                ],
            ),
            _ => self.fill("refs.other", &[("text", r)]),
        }
    }

    /// A Finnish act as the rules write it (`Tietosuojalaki 1050/2018 29 §`), named in this
    /// language from `acts` by its number (`Dataskyddslagen (1050/2018) 29 §`); an act the catalog
    /// does not name is kept as written.
    pub fn act_ref(&self, r: &str) -> String {
        if self.lang == "en" {
            return r.to_owned();
        }
        let words: Vec<&str> = r.split_whitespace().collect();
        let Some(i) = words.iter().position(|w| {
            w.split_once('/').is_some_and(|(n, y)| {
                !n.is_empty()
                    && n.bytes().all(|b| b.is_ascii_digit())
                    && y.len() == 4
                    && y.bytes().all(|b| b.is_ascii_digit())
            })
        }) else {
            return r.to_owned();
        };
        let number = words[i];
        let key = format!("acts.{}", number.replace('/', "_"));
        let Some(name) = self.lookup(&key) else {
            return r.to_owned();
        };
        let section = words[i + 1..].join(" ");
        let act = format!("{name} ({number})");
        if section.is_empty() {
            act
        } else {
            format!("{act} {section}")
        }
    }
}

/// `a, b and c`, with `and` the language's word for it.
pub fn and_list<S: std::borrow::Borrow<str>>(items: &[S], and: &str) -> String {
    match items {
        [] => String::new(),
        [one] => one.borrow().to_owned(),
        [rest @ .., last] => format!("{} {and} {}", rest.join(", "), last.borrow()),
    }
}

/// `text` with its `{name}` placeholders (lowercase letters and `_`) filled from `args`, in one
/// pass: a value is not filled again, and braces that are no placeholder of `args` (`{fi: ...}`)
/// stay as they are. The notice texts (`render::texts`) are filled the same way.
pub fn fill(text: &str, args: &[(&str, &str)]) -> String {
    let mut out = String::with_capacity(text.len() + 32);
    let mut rest = text;
    while let Some(start) = rest.find('{') {
        out.push_str(&rest[..start]);
        let after = &rest[start + 1..];
        let value = after.find('}').and_then(|e| {
            let name = &after[..e];
            let is_name =
                !name.is_empty() && name.bytes().all(|b| b.is_ascii_lowercase() || b == b'_');
            let (_, v) = args.iter().find(|(n, _)| is_name && *n == name)?;
            Some((e, v))
        });
        match value {
            Some((e, v)) => {
                out.push_str(v);
                rest = &after[e + 1..];
            }
            None => {
                out.push('{');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// Every key of the catalog of `lang` with its placeholders, sorted (for the consistency test).
#[cfg(test)]
fn keys_and_placeholders(lang: &str) -> Vec<(String, Vec<String>)> {
    let m = get(lang);
    let mut out: Vec<(String, Vec<String>)> = m
        .all()
        .into_iter()
        .map(|(k, v)| (k, placeholders(v)))
        .collect();
    out.sort();
    out
}

#[cfg(test)]
#[cfg(test)]
fn placeholders(text: &str) -> Vec<String> {
    let mut names: Vec<String> = Vec::new();
    let mut rest = text;
    while let Some(start) = rest.find('{') {
        let after = &rest[start + 1..];
        match after.find('}') {
            Some(end)
                if !after[..end].is_empty()
                    && after[..end]
                        .bytes()
                        .all(|b| b.is_ascii_lowercase() || b == b'_') =>
            {
                names.push(after[..end].to_owned());
                rest = &after[end + 1..];
            }
            _ => rest = after,
        }
    }
    names.sort();
    names.dedup();
    names
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_language_has_the_keys_and_placeholders_of_english() {
        let en = keys_and_placeholders("en");
        assert!(
            en.len() > 100,
            "the English catalog parses: {} keys",
            en.len()
        );
        for lang in ["fi", "sv"] {
            assert_eq!(keys_and_placeholders(lang), en, "{lang}");
        }
    }

    #[test]
    fn references_follow_the_citation_style_of_the_language() {
        let (en, fi, sv) = (get("en"), get("fi"), get("sv"));
        assert_eq!(en.gdpr_ref("Art. 6(1)(e)"), "GDPR Art. 6(1)(e)");
        assert_eq!(
            fi.gdpr_ref("Art. 6(1)(e)"),
            "tietosuoja-asetuksen 6 artiklan 1 kohdan e alakohta"
        );
        assert_eq!(fi.gdpr_ref("Art. 77"), "tietosuoja-asetuksen 77 artikla");
        assert_eq!(
            fi.gdpr_ref("Art. 4(11)"),
            "tietosuoja-asetuksen 4 artiklan 11 alakohta"
        );
        assert_eq!(
            fi.gdpr_ref("Recital 43"),
            "tietosuoja-asetuksen johdanto-osan 43 kappale"
        );
        assert_eq!(
            sv.gdpr_ref("Art. 9(2)(g)"),
            "artikel 9.2 g i dataskyddsförordningen"
        );
        assert_eq!(
            sv.gdpr_ref("Art. 44-49"),
            "artikel 44–49 i dataskyddsförordningen"
        );
        assert_eq!(
            sv.gdpr_ref("Art. 6(1) second subparagraph"),
            "dataskyddsförordningen: Art. 6(1) second subparagraph"
        );
        assert_eq!(
            sv.act_ref("Tietosuojalaki 1050/2018 29 §"),
            "dataskyddslagen (1050/2018) 29 §"
        );
        assert_eq!(
            fi.act_ref("Kielilaki 423/2003 32 §"),
            "kielilaki (423/2003) 32 §"
        );
        assert_eq!(
            en.act_ref("Kielilaki 423/2003 32 §"),
            "Kielilaki 423/2003 32 §"
        );
        assert_eq!(sv.act_ref("Laki 1/2099 3 §"), "Laki 1/2099 3 §");
    }

    #[test]
    fn placeholders_are_filled_once_and_braces_stay() {
        let m = get("en");
        assert_eq!(
            m.fill("structure.duplicate_key", &[("key", "{key}")]),
            "duplicate key `{key}`"
        );
        assert!(m.text("structure.type_help_comma").contains("`{…}`"));
    }
}
