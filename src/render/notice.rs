//! The notice as a document model, built from a checked [`Register`] in one language: numbered
//! sections of paragraphs, contact blocks, lists and the purposes table. The HTML and Markdown
//! writers only lay this model out, so both carry the same content.

use crate::register::{
    Contact, Controller, LegalBasis, OneOrMany, Purpose, Register, Retention, Text,
};

use super::duration;
use super::texts::Texts;

/// A run of text: plain, a link, or a passage in another language than the notice's.
#[derive(Debug, Clone, PartialEq)]
pub enum Inline {
    Text(String),
    Strong(String),
    /// A link whose target was checked: `https:`, `http:`, `mailto:` or `tel:`.
    Link {
        href: String,
        text: String,
    },
    /// Text in `lang`, shown because the notice's language has no version of it.
    Foreign {
        lang: String,
        text: String,
    },
    /// A date: `datetime` is `YYYY-MM-DD`, `text` the date in words.
    Date {
        datetime: String,
        text: String,
    },
}

/// A labelled value (`Puhelin: 012 345 6700`).
#[derive(Debug, Clone, PartialEq)]
pub struct Field {
    pub label: String,
    pub value: Vec<Inline>,
}

/// One purpose: a row of the purposes table.
#[derive(Debug, Clone, PartialEq)]
pub struct PurposeRow {
    pub description: Vec<Inline>,
    pub bases: Vec<Vec<Inline>>,
    pub details: Vec<Field>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Block {
    Para(Vec<Inline>),
    /// Contact details of one party (`<address>`).
    Contact(Vec<Field>),
    List(Vec<Vec<Inline>>),
    Fields(Vec<Field>),
    /// The purposes and their legal bases (a table); the details of each follow as subsections.
    Purposes {
        head: [String; 2],
        rows: Vec<PurposeRow>,
    },
    /// A subsection with its own heading.
    Sub {
        heading: String,
        blocks: Vec<Block>,
    },
}

#[derive(Debug, Clone, PartialEq)]
pub struct Section {
    /// A stable anchor (`controller`, `purposes`, …).
    pub anchor: &'static str,
    pub heading: String,
    pub blocks: Vec<Block>,
}

/// The whole notice in one language.
#[derive(Debug, Clone, PartialEq)]
pub struct Notice {
    pub lang: String,
    pub id: String,
    /// "Tietosuojaseloste".
    pub kind: String,
    pub name: Vec<Inline>,
    /// The name as plain text (the page title).
    pub name_text: String,
    pub updated: Option<Vec<Inline>>,
    pub intro: Option<String>,
    /// The draft banner, when rendered despite errors.
    pub draft: Option<String>,
    pub sections: Vec<Section>,
    pub generated: String,
}

/// Builds the notice of `register` in the language of `texts`. `errors`: the error findings the
/// register still has (a draft banner when there are any).
pub fn build(register: &Register, texts: &Texts, errors: usize, version: &str) -> Notice {
    let b = Builder {
        register,
        texts,
        primary: register.language.as_ref().map(key),
    };
    let name = b.text(&register.name);
    let name_text = plain(&name);
    let sections = [
        b.controller(),
        b.contact_section("contact", register.contact.as_ref()),
        b.contact_section("dpo", register.dpo.as_ref()),
        b.purposes(),
        b.data(),
        b.sources(),
        b.recipients(),
        b.transfers(),
        b.retention(),
        b.automated(),
        b.rights(),
        b.complaint(),
        b.security(),
        b.legislation(),
    ]
    .into_iter()
    .flatten()
    .enumerate()
    .map(|(i, mut s)| {
        s.heading = format!("{}. {}", i + 1, s.heading);
        s
    })
    .collect();
    Notice {
        lang: texts.lang.clone(),
        id: register.id.clone(),
        kind: texts.get("document.title").to_owned(),
        name,
        name_text,
        updated: register
            .updated
            .as_deref()
            .map(|d| vec![Inline::Text(format!("{} ", b.updated_prefix())), b.date(d)]),
        // `document.intro_direct`, `_indirect` or `_both`.
        intro: register
            .collection
            .map(|c| b.t(&format!("document.intro_{}", key(&c)))),
        draft: (errors > 0)
            .then(|| texts.fill("document.draft", &[("count", &errors.to_string())])),
        sections,
        generated: texts.fill(
            "document.generated",
            &[("id", &register.id), ("version", version)],
        ),
    }
}

/// The text of inlines without markup.
pub fn plain(inlines: &[Inline]) -> String {
    inlines
        .iter()
        .map(|i| match i {
            Inline::Text(t) | Inline::Strong(t) => t.as_str(),
            Inline::Link { text, .. }
            | Inline::Foreign { text, .. }
            | Inline::Date { text, .. } => text.as_str(),
        })
        .collect()
}

/// The snake_case name of a serde enum value (`public_task`), the key of its text.
fn key<T: serde::Serialize>(value: &T) -> String {
    serde_json::to_value(value)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default()
}

/// The values of a one-or-many field, as a list.
fn all<T: Copy>(value: &Option<OneOrMany<T>>) -> Vec<T> {
    match value {
        None => Vec::new(),
        Some(OneOrMany::One(v)) => vec![*v],
        Some(OneOrMany::Many(vs)) => vs.clone(),
    }
}

/// One run of plain text.
fn run(text: impl Into<String>) -> Vec<Inline> {
    vec![Inline::Text(text.into())]
}

/// A string value when it is given (not blank), trimmed.
fn given(value: Option<&str>) -> Option<&str> {
    value.map(str::trim).filter(|v| !v.is_empty())
}

struct Builder<'a> {
    register: &'a Register,
    texts: &'a Texts,
    primary: Option<String>,
}

impl Builder<'_> {
    fn t(&self, key: &str) -> String {
        self.texts.get(key).to_owned()
    }

    /// The text of the enum value `value` of `group` (`legal_basis.public_task`).
    fn word<T: serde::Serialize>(&self, group: &str, value: &T) -> String {
        self.t(&format!("{group}.{}", key(value)))
    }

    /// A paragraph of the fixed text `key`.
    fn para(&self, key: &str) -> Block {
        Block::Para(run(self.t(key)))
    }

    /// The fields whose value is there, each labelled with the text of its key.
    fn fields<'k>(
        &self,
        fields: impl IntoIterator<Item = (&'k str, Option<Vec<Inline>>)>,
    ) -> Vec<Field> {
        fields
            .into_iter()
            .filter_map(|(label, value)| {
                Some(Field {
                    label: self.t(label),
                    value: value?,
                })
            })
            .collect()
    }

    /// A section of the notice under the heading `headings.<anchor>` (`-` read as `_`).
    fn section(&self, anchor: &'static str, blocks: Vec<Block>) -> Section {
        Section {
            anchor,
            heading: self.t(&format!("headings.{}", anchor.replace('-', "_"))),
            blocks,
        }
    }

    fn updated_prefix(&self) -> String {
        // "Updated {date}": the words before the placeholder (the date is its own inline).
        let full = self.texts.get("document.updated");
        full.split("{date}")
            .next()
            .unwrap_or(full)
            .trim()
            .to_owned()
    }

    /// A Text in the notice's language; another version marked with its language when that one is
    /// missing (only in a draft: the gate reports the missing translation).
    fn text(&self, text: &Text) -> Vec<Inline> {
        let lang = self.texts.lang.as_str();
        let (s, from) = match text {
            Text::Plain(s) => (s.as_str(), self.primary.as_deref().filter(|p| *p != lang)),
            Text::Languages(map) => match map.get(lang).filter(|s| !s.trim().is_empty()) {
                Some(s) => (s.as_str(), None),
                None => self
                    .primary
                    .as_deref()
                    .and_then(|p| map.get_key_value(p))
                    .or_else(|| map.iter().find(|(_, v)| !v.trim().is_empty()))
                    .map_or(("", None), |(l, s)| (s.as_str(), Some(l.as_str()))),
            },
        };
        // Line breaks of YAML block scalars are not the author's layout: one paragraph per Text.
        let folded = s.trim().contains(|c: char| c.is_whitespace() && c != ' ') || s.contains("  ");
        let s = if folded {
            s.split_whitespace().collect::<Vec<_>>().join(" ")
        } else {
            s.trim().to_owned()
        };
        match from {
            Some(l) => vec![Inline::Foreign {
                lang: l.to_owned(),
                text: s,
            }],
            None => run(s),
        }
    }

    /// What names a purpose or a data category: its description, else its id.
    fn name_of(&self, id: &str, description: Option<&Text>) -> Vec<Inline> {
        description.map_or_else(|| run(id), |d| self.text(d))
    }

    fn date(&self, iso: &str) -> Inline {
        let text = match chrono::NaiveDate::parse_from_str(iso, "%Y-%m-%d") {
            Ok(d) => {
                use chrono::Datelike;
                self.texts.fill(
                    "durations.date",
                    &[
                        ("day", &d.day().to_string()),
                        ("month", &d.month().to_string()),
                        (
                            "month_name",
                            self.texts.get(&format!("months.{}", d.month())),
                        ),
                        ("year", &d.year().to_string()),
                    ],
                )
            }
            Err(_) => iso.to_owned(),
        };
        Inline::Date {
            datetime: iso.to_owned(),
            text,
        }
    }

    /// The fields of a party: the `named` ones given (its name, business id), then the ways to
    /// reach it in `c`, the phone, e-mail and web address as links where the target is safe.
    fn party(&self, named: &[(&str, Option<&str>)], c: &Contact) -> Vec<Field> {
        let link = |value: &Option<String>, link: fn(&str) -> Inline| {
            given(value.as_deref()).map(|v| vec![link(v)])
        };
        let named = named
            .iter()
            .map(|&(label, value)| (label, given(value).map(run)));
        self.fields(named.chain([
            ("labels.address", given(c.address.as_deref()).map(run)),
            (
                "labels.postal_address",
                given(c.postal_address.as_deref()).map(run),
            ),
            ("labels.phone", link(&c.phone, super::links::phone)),
            ("labels.email", link(&c.email, super::links::email)),
            ("labels.url", link(&c.url, super::links::web)),
        ]))
    }

    fn contact_fields(&self, c: &Contact) -> Vec<Field> {
        self.party(&[("labels.name", c.name.as_deref())], c)
    }

    fn controller(&self) -> Option<Section> {
        let c: &Controller = &self.register.controller;
        let mut fields = self.party(
            &[
                ("labels.name", c.name.as_deref()),
                ("labels.business_id", c.business_id.as_deref()),
            ],
            &c.reach(),
        );
        fields.extend(self.fields([(
            "labels.country",
            c.country.as_deref().map(|k| run(self.texts.country(k))),
        )]));
        let mut blocks = vec![Block::Contact(fields)];
        let joint = self.register.joint_controllers.as_deref().unwrap_or(&[]);
        if !joint.is_empty() {
            let mut sub = Vec::new();
            for j in joint {
                sub.push(Block::Contact(self.party(
                    &[
                        ("labels.name", j.name.as_deref()),
                        ("labels.business_id", j.business_id.as_deref()),
                    ],
                    &j.reach(),
                )));
                if let Some(a) = &j.arrangement {
                    let f = self.fields([("labels.arrangement", Some(self.text(a)))]);
                    sub.push(Block::Fields(f));
                }
            }
            blocks.push(Block::Sub {
                heading: self.t("headings.joint_controllers"),
                blocks: sub,
            });
        }
        if let Some(r) = &self.register.representative {
            blocks.push(Block::Sub {
                heading: self.t("headings.representative"),
                blocks: vec![Block::Contact(self.contact_fields(r))],
            });
        }
        Some(self.section("controller", blocks))
    }

    fn contact_section(&self, anchor: &'static str, contact: Option<&Contact>) -> Option<Section> {
        let fields = self.contact_fields(contact?);
        (!fields.is_empty()).then(|| self.section(anchor, vec![Block::Contact(fields)]))
    }

    fn purpose_row(&self, p: &Purpose) -> PurposeRow {
        // The data categories the purpose names (none when it names none: then it uses all of
        // them, which section 5 lists).
        let categories = self.descriptions_of(p.categories.as_deref().unwrap_or(&[]));
        let details = self.fields([
            (
                "labels.laws",
                p.laws
                    .as_deref()
                    .filter(|l| !l.is_empty())
                    .map(|l| run(l.join("; "))),
            ),
            (
                "labels.legitimate_interest",
                p.legitimate_interest.as_ref().map(|t| self.text(t)),
            ),
            (
                "labels.special_category_condition",
                p.special_category_condition
                    .map(|c| run(self.word("special_category_condition", &c))),
            ),
            (
                "labels.national_basis",
                p.national_basis.as_ref().map(|t| self.text(t)),
            ),
            (
                "labels.requirement",
                p.requirement.map(|r| run(self.word("requirement", &r))),
            ),
            (
                "labels.consequences",
                p.consequences.as_ref().map(|t| self.text(t)),
            ),
            (
                "labels.categories",
                (!categories.is_empty()).then(|| run(categories.join("; "))),
            ),
        ]);
        PurposeRow {
            description: self.name_of(&p.id, p.description.as_ref()),
            bases: all(&p.legal_basis)
                .iter()
                .map(|b| run(self.word("legal_basis", b)))
                .collect(),
            details,
        }
    }

    /// The descriptions of the data categories `ids` (an unknown id is left out: the structure
    /// check reports it).
    fn descriptions_of(&self, ids: &[String]) -> Vec<String> {
        let all = self.register.data_categories.as_deref().unwrap_or(&[]);
        ids.iter()
            .filter_map(|id| all.iter().find(|c| &c.id == id))
            .map(|c| plain(&self.name_of(&c.id, c.description.as_ref())))
            .collect()
    }

    fn purposes(&self) -> Option<Section> {
        let rows: Vec<PurposeRow> = self
            .register
            .purposes
            .iter()
            .map(|p| self.purpose_row(p))
            .collect();
        let details: Vec<Block> = rows
            .iter()
            .filter(|r| !r.details.is_empty())
            .map(|r| Block::Sub {
                heading: plain(&r.description),
                blocks: vec![Block::Fields(r.details.clone())],
            })
            .collect();
        let mut blocks = vec![Block::Purposes {
            head: [self.t("labels.purpose"), self.t("labels.legal_basis")],
            rows,
        }];
        blocks.extend(details);
        Some(self.section("purposes", blocks))
    }

    fn data(&self) -> Option<Section> {
        let r = self.register;
        let mut blocks = Vec::new();
        if let Some(subjects) = r.data_subjects.as_deref().filter(|s| !s.is_empty()) {
            blocks.push(Block::Sub {
                heading: self.t("labels.data_subjects"),
                blocks: vec![Block::List(subjects.iter().map(|s| self.text(s)).collect())],
            });
        }
        if let Some(cats) = r.data_categories.as_deref().filter(|c| !c.is_empty()) {
            let items = cats
                .iter()
                .map(|c| {
                    let mut item = self.name_of(&c.id, c.description.as_ref());
                    let mut notes = Vec::new();
                    if let Some(special) = c.special.as_deref().filter(|s| !s.is_empty()) {
                        let names: Vec<String> = special
                            .iter()
                            .map(|s| self.word("special_category", s))
                            .collect();
                        notes.push(self.texts.fill(
                            "sentences.category_special",
                            &[("list", &self.texts.and_list(&names))],
                        ));
                        for cond in self.conditions_for(&c.id) {
                            notes.push(format!(
                                "{}: {cond}.",
                                self.t("labels.special_category_condition")
                            ));
                        }
                    }
                    if c.criminal == Some(true) {
                        notes.push(self.t("sentences.category_criminal"));
                    }
                    if c.identity_code == Some(true) {
                        notes.push(self.t("sentences.category_identity_code"));
                    }
                    if !notes.is_empty() {
                        item.push(Inline::Text(format!(
                            " ({})",
                            notes.join(" ").trim_end_matches('.')
                        )));
                    }
                    item
                })
                .collect();
            blocks.push(Block::Sub {
                heading: self.t("labels.data_categories"),
                blocks: vec![Block::List(items)],
            });
        }
        if let Some(ch) = &r.children
            && ch.included == Some(true)
        {
            let mut sub = vec![self.para("sentences.children_included")];
            // Art. 8 is about consent: the age matters only where a purpose rests on it.
            let consent = r
                .purposes
                .iter()
                .any(|p| all(&p.legal_basis).contains(&LegalBasis::Consent));
            if let Some(age) = ch.min_age.filter(|_| consent) {
                sub.push(Block::Para(run(self.texts.fill(
                    "sentences.children_min_age",
                    &[("age", &age.to_string())],
                ))));
            }
            if let Some(g) = &ch.guardian_consent {
                let f = self.fields([("labels.guardian_consent", Some(self.text(g)))]);
                sub.push(Block::Fields(f));
            }
            blocks.push(Block::Sub {
                heading: self.t("headings.children"),
                blocks: sub,
            });
        }
        (!blocks.is_empty()).then(|| self.section("data", blocks))
    }

    /// The Art. 9(2) conditions of the purposes that use the data category `id` (a purpose
    /// without `categories` uses all).
    fn conditions_for(&self, id: &str) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        for p in &self.register.purposes {
            let uses = p
                .categories
                .as_deref()
                .is_none_or(|c| c.iter().any(|c| c == id));
            if let (true, Some(c)) = (uses, p.special_category_condition) {
                let t = self.word("special_category_condition", &c);
                if !out.contains(&t) {
                    out.push(t);
                }
            }
        }
        out
    }

    fn sources(&self) -> Option<Section> {
        let sources = self.register.sources.as_deref()?;
        let items: Vec<Vec<Inline>> = sources
            .iter()
            .map(|s| {
                let mut item = Vec::new();
                if let Some(k) = s.kind {
                    item.push(Inline::Strong(self.word("source_kind", &k)));
                }
                if let Some(d) = &s.description {
                    if !item.is_empty() {
                        item.push(Inline::Text(": ".into()));
                    }
                    item.extend(self.text(d));
                }
                // A source that names the data it supplies says so (Art. 14(1)(d) and (2)(f)
                // read together: which data comes from where).
                let supplied = self.descriptions_of(s.categories.as_deref().unwrap_or(&[]));
                if !supplied.is_empty() {
                    item.push(Inline::Text(format!(
                        " ({}: {})",
                        self.t("labels.source_categories"),
                        supplied.join("; ")
                    )));
                }
                item
            })
            .filter(|i| !i.is_empty())
            .collect();
        (!items.is_empty()).then(|| self.section("sources", vec![Block::List(items)]))
    }

    fn recipients(&self) -> Option<Section> {
        let recipients = self.register.recipients.as_deref()?;
        let blocks = if recipients.is_empty() {
            vec![self.para("sentences.recipients_none")]
        } else {
            let items = recipients
                .iter()
                .map(|r| {
                    let mut item = Vec::new();
                    if let Some(n) = &r.name {
                        item.push(Inline::Strong(n.trim().to_owned()));
                    }
                    let mut facts = Vec::new();
                    if let Some(k) = r.kind {
                        facts.push(self.word("recipient_kind", &k));
                    }
                    if let Some(c) = &r.country {
                        facts.push(format!(
                            "{}: {}",
                            self.t("labels.country"),
                            self.texts.country(c)
                        ));
                    }
                    if !facts.is_empty() {
                        let sep = if item.is_empty() { "" } else { " — " };
                        item.push(Inline::Text(format!("{sep}{}", facts.join("; "))));
                    }
                    if let Some(b) = &r.basis {
                        item.push(Inline::Text(format!(". {}: ", self.t("labels.basis"))));
                        item.extend(self.text(b));
                    }
                    item
                })
                .collect();
            vec![Block::List(items)]
        };
        Some(self.section("recipients", blocks))
    }

    fn transfers(&self) -> Option<Section> {
        let transfers = self.register.transfers.as_deref()?;
        if transfers.is_empty() {
            return Some(self.section("transfers", vec![self.para("sentences.transfers_none")]));
        }
        let mut blocks = vec![self.para("sentences.transfers_some")];
        for t in transfers {
            let safeguards: Vec<String> = all(&t.safeguard)
                .iter()
                .map(|s| self.word("safeguard", s))
                .collect();
            blocks.push(Block::Fields(self.fields([
                ("labels.recipient", given(t.recipient.as_deref()).map(run)),
                (
                    "labels.country",
                    t.country.as_ref().map(|c| run(self.texts.country(c))),
                ),
                (
                    "labels.safeguard",
                    (!safeguards.is_empty()).then(|| run(safeguards.join("; "))),
                ),
                (
                    "labels.framework",
                    t.framework.map(|fw| run(self.word("framework", &fw))),
                ),
                ("labels.copy", t.copy.as_ref().map(|c| self.text(c))),
            ])));
        }
        Some(self.section("transfers", blocks))
    }

    fn retention_value(&self, r: &Retention) -> Vec<Inline> {
        let mut value = Vec::new();
        if let Some(p) = &r.period {
            value.push(Inline::Strong(duration::words(p, self.texts)));
        }
        if let Some(c) = &r.criteria {
            if !value.is_empty() {
                value.push(Inline::Text(". ".into()));
            }
            value.extend(self.text(c));
        }
        if let Some(l) = &r.law {
            value.push(Inline::Text(format!(
                "{}{}: ",
                if value.is_empty() { "" } else { " " },
                self.t("labels.law")
            )));
            value.extend(self.text(l));
        }
        value
    }

    fn retention(&self) -> Option<Section> {
        let r = self.register;
        let mut fields = self.fields([(
            "labels.retention_register",
            r.retention.as_ref().map(|ret| self.retention_value(ret)),
        )]);
        // Per purpose and per data category, each named by its description (its id without one)
        // in `labels.retention_purpose` or `_category`.
        let scoped = r
            .purposes
            .iter()
            .map(|p| ("purpose", &p.id, &p.description, &p.retention))
            .chain(
                r.data_categories
                    .iter()
                    .flatten()
                    .map(|c| ("category", &c.id, &c.description, &c.retention)),
            );
        for (scope, id, description, retention) in scoped {
            let Some(ret) = retention else { continue };
            let name = plain(&self.name_of(id, description.as_ref()));
            let label = format!("labels.retention_{scope}");
            fields.push(Field {
                label: self
                    .texts
                    .fill(&label, &[(scope, name.trim_end_matches('.'))]),
                value: self.retention_value(ret),
            });
        }
        (!fields.is_empty()).then(|| self.section("retention", vec![Block::Fields(fields)]))
    }

    fn automated(&self) -> Option<Section> {
        let a = self.register.automated_decisions.as_ref()?;
        let mut blocks: Vec<Block> = a
            .used
            .map(|used| {
                self.para(if used {
                    "sentences.automated_used"
                } else {
                    "sentences.automated_none"
                })
            })
            .into_iter()
            .collect();
        let f = self.fields([
            ("labels.logic", a.logic.as_ref().map(|l| self.text(l))),
            (
                "labels.significance",
                a.significance.as_ref().map(|s| self.text(s)),
            ),
        ]);
        if !f.is_empty() {
            blocks.push(Block::Fields(f));
        }
        (!blocks.is_empty()).then(|| self.section("automated-decisions", blocks))
    }

    fn rights(&self) -> Option<Section> {
        let r = self.register;
        let mut blocks = Vec::new();
        if let Some(rights) = r.rights.as_deref().filter(|r| !r.is_empty()) {
            let items = rights
                .iter()
                .enumerate()
                // Each right once, where it is first named.
                .filter(|(i, r)| !rights[..*i].contains(r))
                .map(|(_, right)| run(self.word("rights", right)))
                .collect();
            blocks.push(Block::List(items));
        }
        if let Some(how) = &r.rights_how {
            blocks.push(Block::Sub {
                heading: self.t("headings.rights_how"),
                blocks: vec![Block::Para(self.text(how))],
            });
        }
        (!blocks.is_empty()).then(|| self.section("rights", blocks))
    }

    fn complaint(&self) -> Option<Section> {
        let c = self.register.complaint.as_ref()?;
        let fields = self.party(
            &[
                ("labels.authority", c.authority.as_deref()),
                ("labels.name", c.name.as_deref()),
            ],
            &c.reach(),
        );
        let mut blocks = vec![self.para("sentences.complaint")];
        if !fields.is_empty() {
            blocks.push(Block::Contact(fields));
        }
        if let Some(s) = &c.scope {
            blocks.push(Block::Fields(
                self.fields([("labels.scope", Some(self.text(s)))]),
            ));
        }
        Some(self.section("complaint", blocks))
    }

    fn security(&self) -> Option<Section> {
        let s = self
            .register
            .security
            .as_deref()
            .filter(|s| !s.is_empty())?;
        let items = s.iter().map(|t| self.text(t)).collect();
        Some(self.section("security", vec![Block::List(items)]))
    }

    fn legislation(&self) -> Option<Section> {
        let laws = self
            .register
            .legal_references
            .as_deref()
            .filter(|l| !l.is_empty())?;
        let items = laws.iter().map(|l| run(l.trim())).collect();
        Some(self.section("legislation", vec![Block::List(items)]))
    }
}
