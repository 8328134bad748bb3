//! One row of the record: a purpose of a register with everything Art. 30(1) asks for, in words of
//! the record's language (the notice texts: legal bases with their articles, kinds of recipients,
//! transfer mechanisms, durations, country names).

use serde::Serialize;
use serde_json::Value as Json;

use crate::finding::{FileFindings, Severity};
use crate::render::Texts;

/// One (register, purpose) of the record. Lists are arrays in JSON and lines in a cell elsewhere.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Row {
    pub register: String,
    pub register_name: String,
    pub file: String,
    pub controller: Vec<String>,
    pub dpo: Vec<String>,
    pub purpose: String,
    pub legal_basis: Vec<String>,
    pub laws: Vec<String>,
    pub data_subjects: Vec<String>,
    pub data_categories: Vec<String>,
    pub recipients: Vec<String>,
    pub transfers: Vec<String>,
    pub retention: Vec<String>,
    pub security: Vec<String>,
    pub updated: Option<String>,
    pub errors: usize,
    pub warnings: usize,
    /// Why the row may be incomplete: structure errors, or a file that is not a readable register.
    pub problem: Option<String>,
}

impl Row {
    /// The cells in the order of [`super::COLUMNS`] (the keys of its JSON), each as lines.
    pub fn cells(&self) -> Vec<Vec<String>> {
        let json = serde_json::to_value(self).unwrap_or_default();
        super::COLUMNS
            .iter()
            .map(|c| match &json[*c] {
                Json::Null => Vec::new(),
                Json::String(s) => vec![s.clone()],
                Json::Array(lines) => lines
                    .iter()
                    .filter_map(Json::as_str)
                    .map(str::to_owned)
                    .collect(),
                number => vec![number.to_string()],
            })
            .collect()
    }
}

/// The rows of one file: its `findings` (the lint's) and, when it parsed, its tree as JSON.
pub fn rows_of(file: &FileFindings, tree: Option<&Json>, texts: &Texts) -> Vec<Row> {
    let errors = count(file, Severity::Error);
    let warnings = count(file, Severity::Warning);
    let Some(root) = tree else {
        // Not YAML, not UTF-8, over a limit: one row that says so.
        let message = file
            .findings
            .first()
            .map_or_else(String::new, |f| f.message.clone());
        return vec![Row {
            file: file.file.clone(),
            errors: errors.max(1),
            warnings,
            problem: Some(texts.fill("record.unreadable", &[("message", &message)])),
            ..Row::default()
        }];
    };
    let structure = file
        .findings
        .iter()
        .filter(|f| f.severity == Severity::Error && STRUCTURE.contains(&f.rule.as_str()))
        .count();
    let r = Reader {
        texts,
        primary: root
            .get("language")
            .and_then(Json::as_str)
            .map(str::to_owned),
        root,
    };
    let base = Row {
        register: r.str(root.get("id")),
        register_name: r.text(root.get("name")),
        file: file.file.clone(),
        controller: r.controller(),
        dpo: r.contact(root.get("dpo")).into_iter().collect(),
        data_subjects: r.texts(root.get("data_subjects")),
        security: r.texts(root.get("security")),
        recipients: r.recipients(),
        transfers: r.transfers(),
        updated: root
            .get("updated")
            .and_then(Json::as_str)
            .map(str::to_owned),
        errors,
        warnings,
        problem: (structure > 0).then(|| {
            texts.fill(
                "record.structure_errors",
                &[("count", &structure.to_string())],
            )
        }),
        ..Row::default()
    };
    let purposes: Vec<&Json> = r.list(root.get("purposes")).collect();
    if purposes.is_empty() {
        return vec![base];
    }
    purposes
        .into_iter()
        .map(|p| Row {
            purpose: r.name(p),
            legal_basis: r.bases(p),
            laws: r.laws(p),
            data_categories: r.categories(p),
            retention: r.retention(p),
            ..base.clone()
        })
        .collect()
}

/// The ways to reach a party, in the order the record shows them.
const REACH: &[&str] = &["address", "postal_address", "phone", "email", "url"];

/// The checks whose errors mean that values of the register may not have been read.
const STRUCTURE: &[&str] = &[
    "seloste/yaml",
    "seloste/encoding",
    "seloste/unknown-key",
    "seloste/type",
    "seloste/enum",
    "seloste/required",
    "seloste/format",
    "seloste/duplicate-key",
    "seloste/duplicate-id",
    "seloste/unknown-ref",
];

fn count(file: &FileFindings, severity: Severity) -> usize {
    file.findings
        .iter()
        .filter(|f| f.severity == severity)
        .count()
}

/// Reads values of the register tree leniently: what has the wrong type is left out (the
/// structure findings say so, and the row is marked).
struct Reader<'a> {
    texts: &'a Texts,
    primary: Option<String>,
    root: &'a Json,
}

impl<'a> Reader<'a> {
    fn str(&self, v: Option<&Json>) -> String {
        match v {
            Some(Json::String(s)) => s.trim().to_owned(),
            Some(Json::Number(n)) => n.to_string(),
            _ => String::new(),
        }
    }

    /// A Text in the record's language, else the register's language, else any.
    fn text(&self, v: Option<&Json>) -> String {
        let raw = match v {
            Some(Json::String(s)) => s.as_str(),
            Some(Json::Object(m)) => [Some(self.texts.lang.as_str()), self.primary.as_deref()]
                .into_iter()
                .flatten()
                .find_map(|l| m.get(l).and_then(Json::as_str))
                .or_else(|| m.values().find_map(Json::as_str))
                .unwrap_or(""),
            _ => "",
        };
        raw.split_whitespace().collect::<Vec<_>>().join(" ")
    }

    fn list(&self, v: Option<&'a Json>) -> impl Iterator<Item = &'a Json> {
        v.and_then(Json::as_array).into_iter().flatten()
    }

    /// A list of Texts.
    fn texts(&self, v: Option<&'a Json>) -> Vec<String> {
        self.list(v).map(|t| self.text(Some(t))).collect()
    }

    /// The name of the `country` of `v` in the record's language.
    fn country(&self, v: &Json) -> Option<String> {
        let code = v.get("country").and_then(Json::as_str)?;
        Some(self.texts.country(code))
    }

    /// ` (business id)` of a party that has one.
    fn business_id(&self, party: &Json) -> String {
        match self.str(party.get("business_id")) {
            id if id.is_empty() => id,
            id => format!(" ({id})"),
        }
    }

    /// An enum value in words (`legal_basis.public_task` → its text), or as written when the
    /// texts have no such value.
    fn word(&self, group: &str, v: &Json) -> Option<String> {
        let s = v.as_str()?;
        let key = format!("{group}.{s}");
        let t = self.texts.get(&key);
        Some(if t == key { s.to_owned() } else { t.to_owned() })
    }

    /// The words of one enum value or a list of them (`legal_basis: [a, b]`).
    fn words(&self, group: &str, v: Option<&Json>) -> Vec<String> {
        match v {
            Some(Json::Array(vs)) => vs.iter().filter_map(|v| self.word(group, v)).collect(),
            Some(v) => self.word(group, v).into_iter().collect(),
            None => Vec::new(),
        }
    }

    /// What names a purpose or a data category: its description, else its id.
    fn name(&self, item: &Json) -> String {
        match item.get("description") {
            Some(d) if !d.is_null() => self.text(Some(d)),
            _ => self.str(item.get("id")),
        }
    }

    /// The data categories the purpose `p` uses: those it names, all when it names none.
    fn categories_of(&self, p: &'a Json) -> impl Iterator<Item = &'a Json> {
        let named: Option<Vec<&str>> = p
            .get("categories")
            .and_then(Json::as_array)
            .map(|ids| ids.iter().filter_map(Json::as_str).collect());
        self.list(self.root.get("data_categories"))
            .filter(move |c| {
                named.as_ref().is_none_or(|ids| {
                    let id = c.get("id").and_then(Json::as_str);
                    id.is_some_and(|id| ids.contains(&id))
                })
            })
    }

    /// The values of `keys` of the contact `c` that are given, in one line.
    fn joined(&self, c: &Json, keys: &[&str]) -> Option<String> {
        let parts: Vec<String> = keys
            .iter()
            .map(|k| self.str(c.get(*k)))
            .filter(|s| !s.is_empty())
            .collect();
        (!parts.is_empty()).then(|| parts.join(", "))
    }

    /// `name, phone, e-mail, …` of a contact, in one line.
    fn contact(&self, v: Option<&Json>) -> Option<String> {
        let c = v?;
        let name = self.joined(c, &["name"]);
        let reach = self.joined(c, REACH);
        match (name, reach) {
            (Some(n), Some(r)) => Some(format!("{n}, {r}")),
            (n, r) => n.or(r),
        }
    }

    fn controller(&self) -> Vec<String> {
        let mut lines = Vec::new();
        if let Some(c) = self.root.get("controller") {
            lines.push(self.str(c.get("name")) + &self.business_id(c));
            lines.extend(self.joined(c, REACH));
        }
        for j in self.list(self.root.get("joint_controllers")) {
            if let Some(c) = self.contact(Some(j)) {
                let id = self.business_id(j);
                lines.push(format!("{}: {c}{id}", self.texts.get("record.joint")));
            }
        }
        if let Some(c) = self.contact(self.root.get("representative")) {
            lines.push(format!("{}: {c}", self.texts.get("record.representative")));
        }
        lines.retain(|l| !l.is_empty());
        lines
    }

    /// The laws cited: the purpose's `laws` and `national_basis`, then the register's
    /// `legal_references`, each once.
    fn laws(&self, p: &Json) -> Vec<String> {
        let cited = |v| {
            self.list(v)
                .filter_map(Json::as_str)
                .map(|l| l.trim().to_owned())
        };
        let all = cited(p.get("laws"))
            .chain([self.text(p.get("national_basis"))])
            .chain(cited(self.root.get("legal_references")));
        let mut out: Vec<String> = Vec::new();
        for law in all {
            if !law.is_empty() && !out.contains(&law) {
                out.push(law);
            }
        }
        out
    }

    fn bases(&self, p: &Json) -> Vec<String> {
        let mut out = self.words("legal_basis", p.get("legal_basis"));
        if let Some(c) = p.get("special_category_condition") {
            out.extend(self.word("special_category_condition", c));
        }
        out
    }

    /// The data categories a purpose uses (all when it names none), with what is special about
    /// them.
    fn categories(&self, p: &'a Json) -> Vec<String> {
        self.categories_of(p)
            .map(|c| {
                let mut s = self.name(c);
                let mut marks = Vec::new();
                let special: Vec<String> = self
                    .list(c.get("special"))
                    .filter_map(|v| self.word("special_category", v))
                    .collect();
                if !special.is_empty() {
                    marks.push(format!(
                        "{}: {}",
                        self.texts.get("record.special"),
                        special.join(", ")
                    ));
                }
                if c.get("criminal").and_then(Json::as_bool) == Some(true) {
                    marks.push(self.texts.get("record.criminal").to_owned());
                }
                if c.get("identity_code").and_then(Json::as_bool) == Some(true) {
                    marks.push(self.texts.get("record.identity_code").to_owned());
                }
                if !marks.is_empty() {
                    s.push_str(&format!(" [{}]", marks.join("; ")));
                }
                s
            })
            .collect()
    }

    fn recipients(&self) -> Vec<String> {
        self.list(self.root.get("recipients"))
            .map(|r| {
                let kind = r.get("kind").and_then(|k| self.word("recipient_kind", k));
                let facts: Vec<String> = kind.into_iter().chain(self.country(r)).collect();
                let name = self.str(r.get("name"));
                match (name.is_empty(), facts.is_empty()) {
                    (false, false) => format!("{name} — {}", facts.join("; ")),
                    (false, true) => name,
                    (true, _) => facts.join("; "),
                }
            })
            .filter(|s| !s.is_empty())
            .collect()
    }

    fn transfers(&self) -> Vec<String> {
        self.list(self.root.get("transfers"))
            .map(|t| {
                let who = Some(self.str(t.get("recipient"))).filter(|w| !w.is_empty());
                let parts: Vec<String> = who.into_iter().chain(self.country(t)).collect();
                let safeguards = self.words("safeguard", t.get("safeguard"));
                let mut line = parts.join(", ");
                if !safeguards.is_empty() {
                    line.push_str(&format!(": {}", safeguards.join("; ")));
                }
                // The condition a partial adequacy decision sets is part of the transfer's
                // safeguard (Art. 30(1)(e) with Art. 45).
                if let Some(fw) = t.get("framework").and_then(|v| self.word("framework", v)) {
                    line.push_str(&format!(". {fw}"));
                }
                line
            })
            .filter(|s| !s.is_empty())
            .collect()
    }

    fn retention_line(&self, r: &Json) -> Option<String> {
        let period = r.get("period").and_then(Json::as_str);
        let period = period.map(|p| crate::render::duration::words(p, self.texts));
        let texts = ["criteria", "law"].map(|k| self.text(r.get(k)));
        let mut line = String::new();
        for p in period.into_iter().chain(texts).filter(|p| !p.is_empty()) {
            if !line.is_empty() {
                line.push_str(if line.ends_with(['.', '!', '?']) {
                    " "
                } else {
                    ". "
                });
            }
            line.push_str(&p);
        }
        (!line.is_empty()).then_some(line)
    }

    /// The purpose's own retention, else the register's; and that of the categories it uses.
    fn retention(&self, p: &'a Json) -> Vec<String> {
        let mut out: Vec<String> = p
            .get("retention")
            .or_else(|| self.root.get("retention"))
            .and_then(|r| self.retention_line(r))
            .into_iter()
            .collect();
        for c in self.categories_of(p) {
            if let Some(line) = c.get("retention").and_then(|r| self.retention_line(r)) {
                out.push(format!("{}: {line}", self.name(c)));
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `cells` reads each column from the row's JSON by its key: a key the JSON leaves out (a
    /// `skip_serializing_if`, a rename) would empty that column in CSV, XLSX and Markdown.
    #[test]
    fn the_keys_of_a_rows_json_are_the_columns_in_order() {
        let json = serde_json::to_value(Row::default()).expect("a row serializes");
        let keys: Vec<&str> = json
            .as_object()
            .expect("an object")
            .keys()
            .map(String::as_str)
            .collect();
        let mut columns = super::super::COLUMNS.to_vec();
        columns.sort_unstable();
        assert_eq!(keys, columns);
        let row = Row {
            register: "r".into(),
            errors: 2,
            ..Row::default()
        };
        let cells = row.cells();
        assert_eq!(cells.len(), super::super::COLUMNS.len());
        assert_eq!(cells[0], ["r"]);
        assert_eq!(cells[super::super::COLUMNS.len() - 3], ["2"]);
    }
}
