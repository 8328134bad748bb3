//! The word lists of the import: `templates/import/words.yaml` (headings, legal bases, rights,
//! kinds of sources, ...) and the processor words of the `gdpr` pack (`rules/gdpr/_data.yaml`,
//! the list gdpr/processors-disclosed checks with). Embedded, parsed once.

use std::collections::BTreeMap;
use std::sync::LazyLock;

use regex::Regex;
use serde::Deserialize;

const WORDS: &str = include_str!("../../templates/import/words.yaml");
const GDPR_DATA: &str = include_str!("../../rules/gdpr/_data.yaml");

/// Patterns by an id (a section, an enum value), in the file's order.
pub type Table = Vec<(String, Regex)>;

#[derive(Deserialize)]
struct Raw {
    headings: BTreeMap<String, Vec<String>>,
    basis: BTreeMap<String, Vec<String>>,
    rights: BTreeMap<String, Vec<String>>,
    sources: BTreeMap<String, Vec<String>>,
    none: BTreeMap<String, Vec<String>>,
    safeguards: BTreeMap<String, Vec<String>>,
    special: BTreeMap<String, Vec<String>>,
    identity_code: Vec<String>,
    controller_kind: BTreeMap<String, Vec<String>>,
    complaint_authority: Vec<(String, String)>,
    date_labels: Vec<String>,
    address_labels: Vec<String>,
}

#[derive(Deserialize)]
struct ProcessorWord {
    id: String,
    name: String,
    patterns: Vec<String>,
}

#[derive(Deserialize)]
struct GdprData {
    processor_words: Vec<ProcessorWord>,
}

pub struct Words {
    pub headings: Table,
    pub basis: Table,
    pub rights: Table,
    pub sources: Table,
    pub none_recipients: Regex,
    pub none_transfers: Regex,
    pub safeguards: Table,
    pub special: Table,
    pub identity_code: Regex,
    pub controller_kind: Table,
    /// (pattern, the authority's name as written).
    pub complaint_authority: Vec<(Regex, String)>,
    pub date_label: Regex,
    pub address_label: Regex,
    /// (id, name, pattern) of the gdpr pack's processor words.
    pub processors: Vec<(String, String, Regex)>,
}

fn any(patterns: &[String]) -> Regex {
    let body = patterns
        .iter()
        .map(|p| format!("(?:{p})"))
        .collect::<Vec<_>>()
        .join("|");
    Regex::new(&format!("(?i){body}")).expect("templates/import/words.yaml: a pattern is no regex")
}

/// In the order of the YAML file (a BTreeMap sorts; the order matters where the first match
/// wins, so the file's order is read from the text).
fn table(map: &BTreeMap<String, Vec<String>>, group: &str) -> Table {
    let order = key_order(group);
    let mut keys: Vec<&String> = map.keys().collect();
    keys.sort_by_key(|k| order.iter().position(|o| o == *k).unwrap_or(usize::MAX));
    keys.into_iter()
        .map(|k| (k.clone(), any(&map[k])))
        .collect()
}

/// The keys of a top-level mapping of words.yaml in the file's order.
fn key_order(group: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut inside = false;
    for line in WORDS.lines() {
        if !line.starts_with(' ') && !line.starts_with('#') && !line.is_empty() {
            inside = line.trim_end() == format!("{group}:");
            continue;
        }
        if inside
            && let Some(rest) = line.strip_prefix("  ")
            && !rest.starts_with(' ')
            && !rest.starts_with('#')
            && !rest.starts_with('-')
            && let Some((key, _)) = rest.split_once(':')
        {
            out.push(key.trim().to_owned());
        }
    }
    out
}

fn parse<T: for<'de> Deserialize<'de>>(text: &str, name: &str) -> T {
    let parsed = crate::document::parse(text, 0, crate::document::Budget::default())
        .unwrap_or_else(|e| panic!("{name}: {}", e.message));
    let json = parsed.root.map(|r| r.to_json()).unwrap_or_default();
    serde_json::from_value(json).unwrap_or_else(|e| panic!("{name}: {e}"))
}

pub static WORDS_DATA: LazyLock<Words> = LazyLock::new(|| {
    let raw: Raw = parse(WORDS, "templates/import/words.yaml");
    let gdpr: GdprData = parse(GDPR_DATA, "rules/gdpr/_data.yaml");
    Words {
        headings: table(&raw.headings, "headings"),
        basis: table(&raw.basis, "basis"),
        rights: table(&raw.rights, "rights"),
        sources: table(&raw.sources, "sources"),
        none_recipients: any(raw.none.get("recipients").map_or(&[][..], |v| v)),
        none_transfers: any(raw.none.get("transfers").map_or(&[][..], |v| v)),
        safeguards: table(&raw.safeguards, "safeguards"),
        special: table(&raw.special, "special"),
        identity_code: any(&raw.identity_code),
        controller_kind: table(&raw.controller_kind, "controller_kind"),
        complaint_authority: raw
            .complaint_authority
            .into_iter()
            .map(|(p, n)| (any(&[p]), n))
            .collect(),
        date_label: any(&raw.date_labels),
        address_label: Regex::new(&format!(
            r"(?i)^\s*(?:{})\s*[.:]?\s*",
            raw.address_labels
                .iter()
                .map(|l| regex::escape(l))
                .collect::<Vec<_>>()
                .join("|")
        ))
        .expect("address labels"),
        processors: gdpr
            .processor_words
            .into_iter()
            .map(|w| {
                let re = any(&w
                    .patterns
                    .iter()
                    .map(|p| p.trim_start_matches("(?i)").to_owned())
                    .collect::<Vec<_>>());
                (w.id, w.name, re)
            })
            .collect(),
    }
});

/// The word lists.
pub fn words() -> &'static Words {
    &WORDS_DATA
}

#[cfg(test)]
mod tests {
    #[test]
    fn word_lists_load_in_file_order() {
        let w = super::words();
        assert_eq!(w.headings[0].0, "controller");
        assert_eq!(w.sources[0].0, "observed");
        assert!(w.processors.iter().any(|p| p.0 == "webropol"));
    }
}
