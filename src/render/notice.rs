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
        primary: register.language.map(|l| lang_code(l).to_owned()),
    };
    let name = b.text(&register.name);
    let name_text = plain(&name);
    let sections = [
        b.controller(),
        b.contact_section("contact", "headings.contact", register.contact.as_ref()),
        b.contact_section("dpo", "headings.dpo", register.dpo.as_ref()),
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
    let intro = register.collection.map(|c| {
        use crate::register::Collection::*;
        texts
            .get(match c {
                Direct => "document.intro_direct",
                Indirect => "document.intro_indirect",
                Both => "document.intro_both",
            })
            .to_owned()
    });
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
        intro,
        draft: (errors > 0)
            .then(|| texts.fill("document.draft", &[("count", &errors.to_string())])),
        sections,
        generated: texts.fill(
            "document.generated",
            &[("id", &register.id), ("version", version)],
        ),
    }
}

pub fn lang_code(l: crate::register::Language) -> &'static str {
    use crate::register::Language::*;
    match l {
        Fi => "fi",
        Sv => "sv",
        En => "en",
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

struct Builder<'a> {
    register: &'a Register,
    texts: &'a Texts,
    primary: Option<String>,
}

impl Builder<'_> {
    fn t(&self, key: &str) -> String {
        self.texts.get(key).to_owned()
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
            Text::Plain(s) => match self.primary.as_deref() {
                Some(p) if p != lang => (s.clone(), Some(p.to_owned())),
                _ => (s.clone(), None),
            },
            Text::Languages(map) => match map.get(lang).filter(|s| !s.trim().is_empty()) {
                Some(s) => (s.clone(), None),
                None => {
                    let other = self
                        .primary
                        .as_deref()
                        .and_then(|p| map.get_key_value(p))
                        .or_else(|| map.iter().find(|(_, v)| !v.trim().is_empty()));
                    match other {
                        Some((l, s)) => (s.clone(), Some(l.clone())),
                        None => (String::new(), None),
                    }
                }
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
            Some(l) => vec![Inline::Foreign { lang: l, text: s }],
            None => vec![Inline::Text(s)],
        }
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

    fn contact_fields(&self, c: &Contact) -> Vec<Field> {
        let mut f = Vec::new();
        self.push_str(&mut f, "labels.name", c.name.as_deref());
        self.push_contact_rest(&mut f, c);
        f
    }

    fn push_str(&self, fields: &mut Vec<Field>, label: &str, value: Option<&str>) {
        if let Some(v) = value.filter(|v| !v.trim().is_empty()) {
            fields.push(Field {
                label: self.t(label),
                value: vec![Inline::Text(v.trim().to_owned())],
            });
        }
    }

    fn push_contact_rest(&self, f: &mut Vec<Field>, c: &Contact) {
        self.push_str(f, "labels.address", c.address.as_deref());
        self.push_str(f, "labels.postal_address", c.postal_address.as_deref());
        if let Some(p) = c.phone.as_deref().filter(|p| !p.trim().is_empty()) {
            f.push(Field {
                label: self.t("labels.phone"),
                value: vec![super::links::phone(p)],
            });
        }
        if let Some(e) = c.email.as_deref().filter(|e| !e.trim().is_empty()) {
            f.push(Field {
                label: self.t("labels.email"),
                value: vec![super::links::email(e)],
            });
        }
        if let Some(u) = c.url.as_deref().filter(|u| !u.trim().is_empty()) {
            f.push(Field {
                label: self.t("labels.url"),
                value: vec![super::links::web(u)],
            });
        }
    }

    fn controller(&self) -> Option<Section> {
        let c: &Controller = &self.register.controller;
        let mut fields = Vec::new();
        self.push_str(&mut fields, "labels.name", c.name.as_deref());
        self.push_str(&mut fields, "labels.business_id", c.business_id.as_deref());
        self.push_contact_rest(&mut fields, &c.reach());
        if let Some(country) = c.country.as_deref() {
            fields.push(Field {
                label: self.t("labels.country"),
                value: vec![Inline::Text(self.texts.country(country))],
            });
        }
        let mut blocks = vec![Block::Contact(fields)];
        let joint = self.register.joint_controllers.as_deref().unwrap_or(&[]);
        if !joint.is_empty() {
            let mut sub = Vec::new();
            for j in joint {
                let mut f = Vec::new();
                self.push_str(&mut f, "labels.name", j.name.as_deref());
                self.push_str(&mut f, "labels.business_id", j.business_id.as_deref());
                self.push_contact_rest(&mut f, &j.reach());
                sub.push(Block::Contact(f));
                if let Some(a) = &j.arrangement {
                    sub.push(Block::Fields(vec![Field {
                        label: self.t("labels.arrangement"),
                        value: self.text(a),
                    }]));
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
        Some(Section {
            anchor: "controller",
            heading: self.t("headings.controller"),
            blocks,
        })
    }

    fn contact_section(
        &self,
        anchor: &'static str,
        heading: &str,
        contact: Option<&Contact>,
    ) -> Option<Section> {
        let fields = self.contact_fields(contact?);
        (!fields.is_empty()).then(|| Section {
            anchor,
            heading: self.t(heading),
            blocks: vec![Block::Contact(fields)],
        })
    }

    fn basis_words(&self, b: LegalBasis) -> Vec<Inline> {
        vec![Inline::Text(self.t(&format!("legal_basis.{}", key(&b))))]
    }

    fn purpose_row(&self, p: &Purpose) -> PurposeRow {
        let bases = match &p.legal_basis {
            None => Vec::new(),
            Some(OneOrMany::One(b)) => vec![self.basis_words(*b)],
            Some(OneOrMany::Many(bs)) => bs.iter().map(|b| self.basis_words(*b)).collect(),
        };
        let mut details = Vec::new();
        let mut field = |label: &str, value: Vec<Inline>| {
            details.push(Field {
                label: self.t(label),
                value,
            });
        };
        if let Some(laws) = p.laws.as_deref().filter(|l| !l.is_empty()) {
            field("labels.laws", vec![Inline::Text(laws.join("; "))]);
        }
        if let Some(li) = &p.legitimate_interest {
            field("labels.legitimate_interest", self.text(li));
        }
        if let Some(c) = p.special_category_condition {
            field(
                "labels.special_category_condition",
                vec![Inline::Text(
                    self.t(&format!("special_category_condition.{}", key(&c))),
                )],
            );
        }
        if let Some(n) = &p.national_basis {
            field("labels.national_basis", self.text(n));
        }
        if let Some(r) = p.requirement {
            field(
                "labels.requirement",
                vec![Inline::Text(self.t(&format!("requirement.{}", key(&r))))],
            );
        }
        if let Some(c) = &p.consequences {
            field("labels.consequences", self.text(c));
        }
        let categories = self.categories_of(p);
        if !categories.is_empty() {
            field(
                "labels.categories",
                vec![Inline::Text(categories.join("; "))],
            );
        }
        PurposeRow {
            description: p
                .description
                .as_ref()
                .map_or_else(|| vec![Inline::Text(p.id.clone())], |d| self.text(d)),
            bases,
            details,
        }
    }

    /// The descriptions of the data categories a purpose names (none when it names none: then it
    /// uses all of them, which section 5 lists).
    fn categories_of(&self, p: &Purpose) -> Vec<String> {
        self.descriptions_of(p.categories.as_deref().unwrap_or(&[]))
    }

    /// The descriptions of the data categories `ids` (an unknown id is left out: the structure
    /// check reports it).
    fn descriptions_of(&self, ids: &[String]) -> Vec<String> {
        let all = self.register.data_categories.as_deref().unwrap_or(&[]);
        ids.iter()
            .filter_map(|id| all.iter().find(|c| &c.id == id))
            .map(|c| {
                c.description
                    .as_ref()
                    .map_or_else(|| c.id.clone(), |d| plain(&self.text(d)))
            })
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
        Some(Section {
            anchor: "purposes",
            heading: self.t("headings.purposes"),
            blocks,
        })
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
                    let mut item = c
                        .description
                        .as_ref()
                        .map_or_else(|| vec![Inline::Text(c.id.clone())], |d| self.text(d));
                    let mut notes = Vec::new();
                    if let Some(special) = c.special.as_deref().filter(|s| !s.is_empty()) {
                        let names: Vec<String> = special
                            .iter()
                            .map(|s| self.t(&format!("special_category.{}", key(s))))
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
            let mut sub = vec![Block::Para(vec![Inline::Text(
                self.t("sentences.children_included"),
            )])];
            // Art. 8 is about consent: the age matters only where a purpose rests on it.
            let consent = r.purposes.iter().any(|p| match &p.legal_basis {
                Some(OneOrMany::One(b)) => *b == LegalBasis::Consent,
                Some(OneOrMany::Many(bs)) => bs.contains(&LegalBasis::Consent),
                None => false,
            });
            if let Some(age) = ch.min_age.filter(|_| consent) {
                sub.push(Block::Para(vec![Inline::Text(self.texts.fill(
                    "sentences.children_min_age",
                    &[("age", &age.to_string())],
                ))]));
            }
            if let Some(g) = &ch.guardian_consent {
                sub.push(Block::Fields(vec![Field {
                    label: self.t("labels.guardian_consent"),
                    value: self.text(g),
                }]));
            }
            blocks.push(Block::Sub {
                heading: self.t("headings.children"),
                blocks: sub,
            });
        }
        (!blocks.is_empty()).then(|| Section {
            anchor: "data",
            heading: self.t("headings.data"),
            blocks,
        })
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
                let t = self.t(&format!("special_category_condition.{}", key(&c)));
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
                    item.push(Inline::Strong(self.t(&format!("source_kind.{}", key(&k)))));
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
        (!items.is_empty()).then(|| Section {
            anchor: "sources",
            heading: self.t("headings.sources"),
            blocks: vec![Block::List(items)],
        })
    }

    fn recipients(&self) -> Option<Section> {
        let recipients = self.register.recipients.as_deref()?;
        let blocks = if recipients.is_empty() {
            vec![Block::Para(vec![Inline::Text(
                self.t("sentences.recipients_none"),
            )])]
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
                        facts.push(self.t(&format!("recipient_kind.{}", key(&k))));
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
        Some(Section {
            anchor: "recipients",
            heading: self.t("headings.recipients"),
            blocks,
        })
    }

    fn transfers(&self) -> Option<Section> {
        let transfers = self.register.transfers.as_deref()?;
        let blocks = if transfers.is_empty() {
            vec![Block::Para(vec![Inline::Text(
                self.t("sentences.transfers_none"),
            )])]
        } else {
            let mut blocks = vec![Block::Para(vec![Inline::Text(
                self.t("sentences.transfers_some"),
            )])];
            for t in transfers {
                let mut f = Vec::new();
                self.push_str(&mut f, "labels.recipient", t.recipient.as_deref());
                if let Some(c) = &t.country {
                    f.push(Field {
                        label: self.t("labels.country"),
                        value: vec![Inline::Text(self.texts.country(c))],
                    });
                }
                let safeguards = match &t.safeguard {
                    None => Vec::new(),
                    Some(OneOrMany::One(s)) => vec![*s],
                    Some(OneOrMany::Many(s)) => s.clone(),
                };
                if !safeguards.is_empty() {
                    let words: Vec<String> = safeguards
                        .iter()
                        .map(|s| self.t(&format!("safeguard.{}", key(s))))
                        .collect();
                    f.push(Field {
                        label: self.t("labels.safeguard"),
                        value: vec![Inline::Text(words.join("; "))],
                    });
                }
                if let Some(fw) = t.framework {
                    f.push(Field {
                        label: self.t("labels.framework"),
                        value: vec![Inline::Text(self.t(&format!("framework.{}", key(&fw))))],
                    });
                }
                if let Some(c) = &t.copy {
                    f.push(Field {
                        label: self.t("labels.copy"),
                        value: self.text(c),
                    });
                }
                blocks.push(Block::Fields(f));
            }
            blocks
        };
        Some(Section {
            anchor: "transfers",
            heading: self.t("headings.transfers"),
            blocks,
        })
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
        let mut fields = Vec::new();
        if let Some(ret) = &r.retention {
            fields.push(Field {
                label: self.t("labels.retention_register"),
                value: self.retention_value(ret),
            });
        }
        // Per purpose and per data category, each named by its description (its id without one).
        let scoped = r
            .purposes
            .iter()
            .map(|p| {
                (
                    "labels.retention_purpose",
                    "purpose",
                    &p.id,
                    &p.description,
                    &p.retention,
                )
            })
            .chain(r.data_categories.iter().flatten().map(|c| {
                (
                    "labels.retention_category",
                    "category",
                    &c.id,
                    &c.description,
                    &c.retention,
                )
            }));
        for (label, placeholder, id, description, retention) in scoped {
            let Some(ret) = retention else { continue };
            let name = description
                .as_ref()
                .map_or_else(|| id.clone(), |d| plain(&self.text(d)));
            fields.push(Field {
                label: self
                    .texts
                    .fill(label, &[(placeholder, name.trim_end_matches('.'))]),
                value: self.retention_value(ret),
            });
        }
        (!fields.is_empty()).then(|| Section {
            anchor: "retention",
            heading: self.t("headings.retention"),
            blocks: vec![Block::Fields(fields)],
        })
    }

    fn automated(&self) -> Option<Section> {
        let a = self.register.automated_decisions.as_ref()?;
        let mut blocks = Vec::new();
        match a.used {
            Some(false) => blocks.push(Block::Para(vec![Inline::Text(
                self.t("sentences.automated_none"),
            )])),
            Some(true) => blocks.push(Block::Para(vec![Inline::Text(
                self.t("sentences.automated_used"),
            )])),
            None => {}
        }
        let mut f = Vec::new();
        if let Some(l) = &a.logic {
            f.push(Field {
                label: self.t("labels.logic"),
                value: self.text(l),
            });
        }
        if let Some(s) = &a.significance {
            f.push(Field {
                label: self.t("labels.significance"),
                value: self.text(s),
            });
        }
        if !f.is_empty() {
            blocks.push(Block::Fields(f));
        }
        (!blocks.is_empty()).then(|| Section {
            anchor: "automated-decisions",
            heading: self.t("headings.automated_decisions"),
            blocks,
        })
    }

    fn rights(&self) -> Option<Section> {
        let r = self.register;
        let mut blocks = Vec::new();
        if let Some(rights) = r.rights.as_deref().filter(|r| !r.is_empty()) {
            let mut seen = Vec::new();
            let items = rights
                .iter()
                .filter(|r| {
                    let new = !seen.contains(*r);
                    seen.push(**r);
                    new
                })
                .map(|right| vec![Inline::Text(self.t(&format!("rights.{}", key(right))))])
                .collect();
            blocks.push(Block::List(items));
        }
        if let Some(how) = &r.rights_how {
            blocks.push(Block::Sub {
                heading: self.t("headings.rights_how"),
                blocks: vec![Block::Para(self.text(how))],
            });
        }
        (!blocks.is_empty()).then(|| Section {
            anchor: "rights",
            heading: self.t("headings.rights"),
            blocks,
        })
    }

    fn complaint(&self) -> Option<Section> {
        let c = self.register.complaint.as_ref()?;
        let mut fields = Vec::new();
        self.push_str(&mut fields, "labels.authority", c.authority.as_deref());
        self.push_str(&mut fields, "labels.name", c.name.as_deref());
        self.push_contact_rest(&mut fields, &c.reach());
        let mut blocks = vec![Block::Para(vec![Inline::Text(
            self.t("sentences.complaint"),
        )])];
        if !fields.is_empty() {
            blocks.push(Block::Contact(fields));
        }
        if let Some(s) = &c.scope {
            blocks.push(Block::Fields(vec![Field {
                label: self.t("labels.scope"),
                value: self.text(s),
            }]));
        }
        Some(Section {
            anchor: "complaint",
            heading: self.t("headings.complaint"),
            blocks,
        })
    }

    fn security(&self) -> Option<Section> {
        let s = self
            .register
            .security
            .as_deref()
            .filter(|s| !s.is_empty())?;
        Some(Section {
            anchor: "security",
            heading: self.t("headings.security"),
            blocks: vec![Block::List(s.iter().map(|t| self.text(t)).collect())],
        })
    }

    fn legislation(&self) -> Option<Section> {
        let laws = self
            .register
            .legal_references
            .as_deref()
            .filter(|l| !l.is_empty())?;
        Some(Section {
            anchor: "legislation",
            heading: self.t("headings.legislation"),
            blocks: vec![Block::List(
                laws.iter()
                    .map(|l| vec![Inline::Text(l.trim().to_owned())])
                    .collect(),
            )],
        })
    }
}
