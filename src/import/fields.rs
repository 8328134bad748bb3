//! The field extractors: from the sections of a notice to the fields of a register. Every value
//! read from the text by a rule of thumb carries the phrase it came from (a `check` comment).

use std::collections::BTreeSet;
use std::sync::LazyLock;

use regex::Regex;

use super::emit::{Field, Item, V, note};
use super::sections::Section;
use super::text::{Block, Kind};
use super::words::words;

fn re(p: &str) -> Regex {
    Regex::new(p).expect("static regex")
}

static EMAIL: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)[a-z0-9._%+-]+\s?(?:@|\(at\)|\[at\]|\(a\)|\(ät\))\s?[a-z0-9-]+(?:\.[a-z0-9-]+)*\.[a-z]{2,}",
    )
});
static EMAIL_AT: LazyLock<Regex> =
    LazyLock::new(|| re(r"(?i)\s?(?:\(at\)|\[at\]|\(a\)|\(ät\))\s?"));
static PHONE: LazyLock<Regex> =
    LazyLock::new(|| re(r"(?:\+358|\b0)[\s-]?\(?\d{1,3}\)?(?:[\s-]?\d{2,4}){1,3}\b"));
static POSTAL: LazyLock<Regex> =
    LazyLock::new(|| re(r"(?i)\b(?:PL|PB|P\.?\s?O\.?\s?Box|Box|Postilokero|Postbox)\s*\d+"));
static POSTCODE: LazyLock<Regex> = LazyLock::new(|| re(r"\b(?:FI-|AX-)?\d{5}\s+\p{Lu}"));
static BUSINESS_ID: LazyLock<Regex> = LazyLock::new(|| re(r"\b\d{7}-\d\b"));
static URL: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)\bhttps?://[^\s)\]]+|\bwww\.[^\s)\]]+|\b[a-z0-9-]+(?:\.[a-z0-9-]+)*\.(?:fi|se|com|eu|org|net|ax)\b(?:/[^\s)\]]*)?",
    )
});
static ACT: LazyLock<Regex> = LazyLock::new(|| {
    re(r"\b(?:\d{1,2}\.\d{1,2}\.)?(?:\d{1,4}/(?:19|20)\d{2}|(?:19|20)\d{2}/\d{1,4})\b")
});
static PERSON: LazyLock<Regex> =
    LazyLock::new(|| re(r"^\p{Lu}[\p{Ll}'-]+(?:[ -]\p{Lu}[\p{Ll}'-]+){1,2}$"));
static SENTENCE_END: LazyLock<Regex> = LazyLock::new(|| re(r"[.!?]\s+\p{Lu}"));
static BASIS_CUE: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)perustu|peruste|grundar sig|grund för|based on|rests on|lawful basis|legal basis|rättslig grund|artikla 6|artiklan 6|6 artiklan|artikel 6|article 6",
    )
});
static ARTICLE_LINE: LazyLock<Regex> =
    LazyLock::new(|| re(r"(?i)\b(artikla|artiklat|artikel|article|art\.)\s*\d"));
static DATE_DMY: LazyLock<Regex> =
    LazyLock::new(|| re(r"\b(\d{1,2})\.\s?(\d{1,2})\.\s?((?:19|20)\d{2})\b"));
static DATE_ISO: LazyLock<Regex> = LazyLock::new(|| re(r"\b((?:19|20)\d{2})-(\d{2})-(\d{2})\b"));
static DATE_MY: LazyLock<Regex> = LazyLock::new(|| re(r"\b(\d{1,2})[./]((?:19|20)\d{2})\b"));
static DURATION: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)\b(\d{1,3}|yksi|yhden|yhdeksi|kaksi|kahden|kahdeksi|kolme|kolmen|kolmeksi|neljä|neljän|viisi|viiden|kuusi|kuuden|kymmenen|kaksitoista|kahdentoista|kahdeksitoista|en|ett|två|tre|fyra|fem|sex|tio|tolv|one|two|three|four|five|six|ten|twelve)?\s*\(?\d{0,3}\)?\s*(kk\b|kuukau\w*|vuo\w*|päiv\w*|viiko\w*|månad\w*|år\b|åren|dag\w*|veck\w*|months?|years?|days?|weeks?)",
    )
});
static DURATION_MAX: LazyLock<Regex> = LazyLock::new(|| {
    re(r"(?i)(enintään|korkeintaan|maksimissaan|högst|som längst|at most|maximum of|up to)\s*$")
});

static AUTHORITY: LazyLock<Regex> = LazyLock::new(|| re(r"(?i)viranomai|myndighet|authorit"));

/// Lower case ASCII letters, digits and hyphens: an id.
pub fn slug(text: &str, max_words: usize) -> String {
    let mut out = String::new();
    for word in text.split_whitespace().take(max_words) {
        let w: String = word
            .to_lowercase()
            .chars()
            .map(|c| match c {
                'ä' | 'å' | 'á' | 'à' | 'â' => 'a',
                'ö' | 'ó' | 'ò' | 'ô' | 'ø' => 'o',
                'é' | 'è' | 'ê' | 'ë' => 'e',
                'ü' | 'ú' => 'u',
                c if c.is_ascii_alphanumeric() => c,
                _ => '-',
            })
            .collect();
        let w = w.trim_matches('-');
        if w.is_empty() {
            continue;
        }
        if !out.is_empty() {
            out.push('-');
        }
        out.push_str(w);
    }
    let mut s = String::new();
    for c in out.chars() {
        if !(c == '-' && s.ends_with('-')) {
            s.push(c);
        }
    }
    let mut s = s.trim_matches('-').to_owned();
    if s.len() > 48 {
        s.truncate(48);
        if let Some(i) = s.rfind('-') {
            s.truncate(i);
        }
    }
    s
}

fn unique(id: String, taken: &mut BTreeSet<String>, fallback: &str) -> String {
    let base = if id.is_empty() {
        fallback.to_owned()
    } else {
        id
    };
    let mut id = base.clone();
    let mut n = 2;
    while taken.contains(&id) {
        id = format!("{base}-{n}");
        n += 1;
    }
    taken.insert(id.clone());
    id
}

/// The sentences of a text (at ". " before a capital letter).
pub fn sentences(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = 0;
    for m in SENTENCE_END.find_iter(text) {
        let end = m.start() + 1;
        out.push(text[start..end].trim());
        start = m.end() - m.as_str().chars().last().map_or(0, char::len_utf8);
    }
    out.push(text[start..].trim());
    out.retain(|s| !s.is_empty());
    out
}

/// The sentence around a match, shortened to ~140 characters around it.
fn phrase(text: &str, at: usize) -> String {
    let mut pos = 0;
    for s in sentences(text) {
        let begin = text[pos..].find(s).map_or(pos, |i| pos + i);
        let end = begin + s.len();
        if at >= begin && at < end.max(begin + 1) {
            if s.chars().count() <= 140 {
                return s.to_owned();
            }
            let rel = at - begin;
            let from = s[..rel]
                .char_indices()
                .rev()
                .filter(|(_, c)| *c == ' ')
                .nth(6)
                .map_or(0, |(i, _)| i + 1);
            let to = s[rel..]
                .char_indices()
                .filter(|(_, c)| *c == ' ')
                .nth(8)
                .map_or(s.len(), |(i, _)| rel + i);
            return format!("…{}…", &s[from..to]);
        }
        pos = end;
    }
    text.chars().take(140).collect()
}

/// All ids of a table whose words the text has, each with the phrase.
fn matches(table: &[(String, Regex)], text: &str) -> Vec<(String, String)> {
    table
        .iter()
        .filter_map(|(id, r)| r.find(text).map(|m| (id.clone(), phrase(text, m.start()))))
        .collect()
}

/// A block that only titles what follows: one short line, no closing full stop.
fn is_subheading(b: &Block) -> bool {
    if b.kind == Kind::Heading {
        return true;
    }
    b.kind == Kind::Para
        && b.lines.len() == 1
        && b.lines[0].split_whitespace().count() <= 6
        && !b.lines[0].ends_with(['.', ',', ';'])
        && b.lines[0].chars().next().is_some_and(char::is_uppercase)
        && !ACT.is_match(&b.lines[0])
        && !EMAIL.is_match(&b.lines[0])
}

/// Contact data read from the lines of a section.
#[derive(Default, Debug)]
pub struct Contact {
    pub name: Option<(String, String)>,
    pub person: Option<(String, String)>,
    pub address: Option<(String, String)>,
    pub postal_address: Option<(String, String)>,
    pub phone: Option<(String, String)>,
    pub emails: Vec<(String, String)>,
    pub url: Option<(String, String)>,
    pub business_id: Option<(String, String)>,
}

fn is_org(line: &str) -> bool {
    words()
        .controller_kind
        .iter()
        .any(|(_, r)| r.is_match(line))
}

/// Reads the contact lines of `blocks`; `name_first`: the first line without contact data is the
/// name (a controller), else only a person's name is taken.
pub fn contact(blocks: &[&Block], name_first: bool) -> Contact {
    let mut c = Contact::default();
    for b in blocks {
        if b.kind == Kind::Heading {
            continue;
        }
        for line in &merge_address_lines(&b.lines) {
            let src = line.clone();
            let mut rest = line.clone();
            let mut found = false;
            for m in EMAIL.find_iter(line) {
                let e = EMAIL_AT.replace_all(m.as_str(), "@").replace(' ', "");
                c.emails.push((e.to_lowercase(), src.clone()));
                rest = rest.replace(m.as_str(), " ");
                found = true;
            }
            for m in BUSINESS_ID.find_iter(&rest.clone()) {
                // A wrong check digit is kept and said (below): the notice's defect to fix.
                c.business_id
                    .get_or_insert((m.as_str().to_owned(), src.clone()));
                rest = rest.replace(m.as_str(), " ");
                found = true;
            }
            let snapshot = rest.clone();
            for m in PHONE.find_iter(&snapshot) {
                let digits = m.as_str().chars().filter(char::is_ascii_digit).count();
                if (7..=13).contains(&digits) && !POSTCODE.is_match(&snapshot[m.start()..]) {
                    c.phone
                        .get_or_insert((m.as_str().trim().to_owned(), src.clone()));
                    rest = rest.replace(m.as_str(), " ");
                    found = true;
                }
            }
            for m in URL.find_iter(&rest.clone()) {
                let u = m.as_str().trim_end_matches(['.', ',']);
                let url = if u.starts_with("http") {
                    u.to_owned()
                } else {
                    format!("https://{u}")
                };
                c.url.get_or_insert((url, src.clone()));
                rest = rest.replace(m.as_str(), " ");
                found = true;
            }
            let label = words().address_label.replace(rest.trim(), "").into_owned();
            let value = label
                .trim()
                .trim_matches([',', ';', ':', '.', ' '])
                .trim()
                .to_owned();
            let value = super::text::clean(&value.replace(" ,", ","));
            let mut value = value.trim_end_matches([',', ' ']).to_owned();
            // "Example Ltd, 1 Example Street, 00100 Helsinki": the name before the address.
            if name_first
                && c.name.is_none()
                && (POSTAL.is_match(&value) || POSTCODE.is_match(&value))
                && let Some((first, rest)) = value.split_once(", ")
                && !first.chars().any(|ch| ch.is_ascii_digit())
                && !POSTAL.is_match(first)
                && (POSTAL.is_match(rest) || POSTCODE.is_match(rest))
                && rest.chars().any(|ch| ch.is_ascii_digit())
                && (rest.contains(", ") || POSTAL.is_match(rest) || is_org(first))
            {
                c.name = Some((first.to_owned(), src.clone()));
                value = rest.to_owned();
            }
            if let Some(m) = POSTAL.find(&value) {
                let v = value[m.start()..].trim().to_owned();
                c.postal_address.get_or_insert((v, src.clone()));
                continue;
            }
            if POSTCODE.is_match(&value) {
                if value.to_lowercase().starts_with("c/o") {
                    c.postal_address.get_or_insert((value, src.clone()));
                } else {
                    c.address.get_or_insert((value, src.clone()));
                }
                continue;
            }
            if value.is_empty() {
                continue;
            }
            if PERSON.is_match(&value) && !is_org(&value) {
                c.person.get_or_insert((value, src.clone()));
            } else if name_first && c.name.is_none() && !found {
                c.name = Some((value, src.clone()));
            }
        }
    }
    c
}

static NAME_LABEL: LazyLock<Regex> = LazyLock::new(|| {
    re(r"(?i)^(nimi|namn|name|yhteyshenkilö|kontaktperson|contact person)\s*:\s*")
});
static CITY_LABEL: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)^(postinumero|postitoimipaikka|postnummer|postanstalt|postort|postcode|post code|zip code|city)\s*:\s*",
    )
});
static POSTCODE_START: LazyLock<Regex> = LazyLock::new(|| re(r"^(?:FI-)?\d{5}\b"));

/// Lines of an address block as one: "PL 68" + "00014 HELSINGIN YLIOPISTO", "Osoite: Rajatie 6"
/// + "Postinumero: 00730" + "Postitoimipaikka: HELSINKI"; a "Nimi:" label dropped.
fn merge_address_lines(lines: &[String]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for line in lines {
        let stripped = NAME_LABEL.replace(line, "").into_owned();
        if stripped != *line {
            out.push(stripped);
            continue;
        }
        let city = CITY_LABEL.replace(line, "").into_owned();
        let continues = city != *line || POSTCODE_START.is_match(line);
        if continues
            && let Some(prev) = out.last_mut()
            && !EMAIL.is_match(prev)
            && (POSTAL.is_match(prev) || prev.chars().any(|ch| ch.is_ascii_digit()))
            && !POSTCODE.is_match(prev)
        {
            let sep = if POSTCODE_START.is_match(prev.rsplit(", ").next().unwrap_or(""))
                && !POSTCODE_START.is_match(&city)
            {
                " "
            } else {
                ", "
            };
            prev.push_str(sep);
            prev.push_str(&city);
            continue;
        }
        out.push(line.clone());
    }
    out
}

/// ASCII letters of a name in lower case, for matching e-mail addresses.
fn fold(s: &str) -> String {
    slug(s, 5).replace('-', "")
}

impl Contact {
    /// The e-mail of the person when one matches their name, else the first.
    fn email(&self) -> Option<&(String, String)> {
        if let Some((person, _)) = &self.person {
            let parts: Vec<String> = person
                .split_whitespace()
                .map(fold)
                .filter(|p| p.len() > 2)
                .collect();
            if let Some(e) = self
                .emails
                .iter()
                .find(|(e, _)| parts.iter().any(|p| e.contains(p.as_str())))
            {
                return Some(e);
            }
        }
        self.emails.first()
    }

    /// The fields of a Contact (`name` is given by the caller).
    fn fields(&self, name: Option<&(String, String)>) -> Vec<Field> {
        let mut out = Vec::new();
        let mut put = |key: &str, v: Option<&(String, String)>| {
            if let Some((value, from)) = v {
                let check = (value != from).then_some(from.as_str());
                out.push(Field::checked(key, V::Str(value.clone()), check));
            }
        };
        put("name", name);
        put("address", self.address.as_ref());
        put("postal_address", self.postal_address.as_ref());
        put("phone", self.phone.as_ref());
        put("email", self.email());
        put("url", self.url.as_ref());
        out
    }

    fn is_empty(&self) -> bool {
        self.name.is_none()
            && self.person.is_none()
            && self.address.is_none()
            && self.postal_address.is_none()
            && self.phone.is_none()
            && self.emails.is_empty()
            && self.url.is_none()
    }
}

/// The blocks of every section with `id`.
fn blocks_of<'a>(sections: &'a [Section], id: &str) -> Vec<&'a Block> {
    sections
        .iter()
        .filter(|s| s.is(id))
        .flat_map(|s| s.blocks.iter())
        .collect()
}

fn text_of(blocks: &[&Block]) -> String {
    blocks
        .iter()
        .map(|b| b.text())
        .collect::<Vec<_>>()
        .join(" ")
}

/// The legal bases a text names, with their phrases.
fn bases(text: &str) -> Vec<(String, String)> {
    matches(&words().basis, text)
}

fn basis_value(found: &[(String, String)]) -> (V, Option<String>) {
    let ids: Vec<&str> = found.iter().map(|(i, _)| i.as_str()).collect();
    let v = if ids.len() == 1 {
        V::Raw(ids[0].to_owned())
    } else {
        V::Raw(format!("[{}]", ids.join(", ")))
    };
    let mut phrases: Vec<&str> = found.iter().map(|(_, p)| p.as_str()).collect();
    phrases.dedup();
    (v, Some(phrases.join("\" + \"")))
}

/// An act cited in a text: a short text is the citation, a long one gives the words before the
/// number.
fn act_citation(text: &str) -> Option<String> {
    let m = ACT.find(text)?;
    if text.chars().count() <= 100 {
        // The comma-separated part that holds the number ("Tietosuojaseloste, henkilötietolaki
        // (523/1999) 10 ja 24§" → "henkilötietolaki (523/1999) 10 ja 24§").
        let mut start = 0;
        for (i, _) in text.match_indices(", ") {
            if i < m.start() {
                start = i + 2;
            }
        }
        if !text[start..m.start()].chars().any(char::is_alphabetic) {
            start = 0;
        }
        let t = text[start..].trim().trim_end_matches(['.', ';', ':', ',']);
        return Some(t.to_owned());
    }
    let before = &text[..m.start()];
    let from = before
        .char_indices()
        .rev()
        .filter(|(_, c)| *c == ' ')
        .nth(5)
        .map_or(0, |(i, _)| i + 1);
    let end = if text[m.end()..].starts_with(')') {
        m.end() + 1
    } else {
        m.end()
    };
    Some(
        text[from..end]
            .trim()
            .trim_start_matches([',', ' '])
            .to_owned(),
    )
}

fn is_gdpr(text: &str) -> bool {
    text.contains("2016/679") || text.contains("679/2016")
}

/// A date in a line: (ISO date, the line).
fn date_in(line: &str) -> Option<String> {
    let y = |s: &str| s.parse::<u32>().ok();
    if let Some(c) = DATE_ISO.captures(line) {
        return Some(format!("{}-{}-{}", &c[1], &c[2], &c[3]));
    }
    if let Some(c) = DATE_DMY.captures(line) {
        let (d, m) = (y(&c[1])?, y(&c[2])?);
        if (1..=31).contains(&d) && (1..=12).contains(&m) {
            return Some(format!("{}-{m:02}-{d:02}", &c[3]));
        }
    }
    if let Some(c) = DATE_MY.captures(line) {
        let m = y(&c[1])?;
        if (1..=12).contains(&m) {
            return Some(format!("{}-{m:02}-01", &c[2]));
        }
    }
    None
}

fn number_word(w: &str) -> Option<u32> {
    let w = w.to_lowercase();
    if let Ok(n) = w.parse() {
        return Some(n);
    }
    let n = match w.as_str() {
        "yksi" | "yhden" | "yhdeksi" | "en" | "ett" | "one" => 1,
        "kaksi" | "kahden" | "kahdeksi" | "två" | "two" => 2,
        "kolme" | "kolmen" | "kolmeksi" | "tre" | "three" => 3,
        "neljä" | "neljän" | "fyra" | "four" => 4,
        "viisi" | "viiden" | "fem" | "five" => 5,
        "kuusi" | "kuuden" | "sex" | "six" => 6,
        "kymmenen" | "tio" | "ten" => 10,
        "kaksitoista" | "kahdentoista" | "kahdeksitoista" | "tolv" | "twelve" => 12,
        _ => return None,
    };
    Some(n)
}

/// The durations of a text as ISO 8601 (`P3M`), each with its phrase and whether it is a maximum.
fn durations(text: &str) -> Vec<(String, String, bool)> {
    let mut out = Vec::new();
    for c in DURATION.captures_iter(text) {
        let whole = c.get(0).map_or("", |m| m.as_str());
        let start = c.get(0).map_or(0, |m| m.start());
        let unit = c.get(2).map_or("", |m| m.as_str()).to_lowercase();
        let digits_in_parens: Option<u32> = whole
            .split(|ch: char| !ch.is_ascii_digit())
            .find(|s| !s.is_empty())
            .and_then(|s| s.parse().ok());
        let n = c
            .get(1)
            .and_then(|m| number_word(m.as_str()))
            .or(digits_in_parens);
        let letter = if unit.starts_with("kk")
            || unit.starts_with("kuukau")
            || unit.starts_with("månad")
            || unit.starts_with("month")
        {
            'M'
        } else if unit.starts_with("vuo") || unit.starts_with("år") || unit.starts_with("year") {
            'Y'
        } else if unit.starts_with("päiv") || unit.starts_with("dag") || unit.starts_with("day") {
            'D'
        } else {
            'W'
        };
        // "kuukauden ajan" / "vuoden" without a number: one.
        let n = match n {
            Some(n) => n,
            None if unit.ends_with("den") || unit == "kuukauden" || unit == "vuoden" => 1,
            None => continue,
        };
        if n == 0 || n > 200 {
            continue;
        }
        // Ages and article numbers are no durations: "13 vuotta täyttänyt" is rare in retention.
        let max = DURATION_MAX.is_match(&text[..start]);
        out.push((format!("P{n}{letter}"), phrase(text, start), max));
    }
    out
}

/// The register's fields, and the headings with the sections they start (for the header).
pub struct Extracted {
    pub fields: Vec<Field>,
}

pub fn extract(sections: &[Section], lang: &str) -> Extracted {
    let w = words();
    let all_blocks: Vec<&Block> = sections.iter().flat_map(|s| s.blocks.iter()).collect();
    let preamble: Vec<&Block> = sections
        .first()
        .filter(|s| s.heading.is_none())
        .map(|s| s.blocks.iter().collect())
        .unwrap_or_default();
    let mut fields = vec![Field::new("seloste", V::Raw("1".into()))];

    // --- name ---------------------------------------------------------------------------
    let name_blocks = blocks_of(sections, "name");
    let name: Option<(String, Option<String>)> = if let Some(first) = name_blocks.first() {
        let mut t = first.text();
        let items: Vec<String> = name_blocks
            .iter()
            .skip(1)
            .take_while(|b| b.kind == Kind::Item)
            .map(|b| b.text())
            .collect();
        if !items.is_empty() {
            t = format!("{} {}", t.trim_end_matches(':'), items.join(", "));
        }
        let cut = t
            .find(" (jäljempänä")
            .or_else(|| t.find(" (nedan"))
            .or_else(|| t.find(" (hereinafter"))
            .unwrap_or(t.len());
        let v = t[..cut].trim().trim_end_matches('.').to_owned();
        let check = (v != t).then_some(t.clone());
        Some((v, check))
    } else {
        // The title: the first line of the notice, without "tietosuojaseloste".
        let first = preamble.first().and_then(|b| b.lines.first()).cloned();
        first.map(|t| {
            let strip = re(
                r"(?i)[\s,:–-]*\b(tietosuojaseloste|rekisteriseloste|dataskyddsbeskrivning|registerbeskrivning|privacy (notice|policy|statement))\b[\s,:–-]*",
            );
            let v = strip.replace_all(&t, " ").trim().to_owned();
            let v = if v.is_empty() || ACT.is_match(&v) {
                t.clone()
            } else {
                v
            };
            (v, Some(t))
        })
    };
    let (name_value, name_check) =
        name.unwrap_or_else(|| ("TODO: the register's name".to_owned(), None));
    let id = {
        let s = slug(&name_value, 6);
        if s.is_empty() || name_value.starts_with("TODO") {
            "register".to_owned()
        } else {
            s
        }
    };
    fields.push(Field::new("id", V::Str(id)));
    fields.push(Field::checked(
        "name",
        V::Str(name_value),
        name_check.as_deref(),
    ));
    fields.push(Field::new("language", V::Raw(lang.to_owned())));

    // --- updated ------------------------------------------------------------------------
    let mut updated: Option<(String, String)> = None;
    'dates: for b in &all_blocks {
        let t = b.text();
        for m in w.date_label.find_iter(&t) {
            let mut end = (m.end() + 40).min(t.len());
            while !t.is_char_boundary(end) {
                end -= 1;
            }
            if let Some(d) = date_in(&t[m.start()..end]) {
                let from = if t.chars().count() <= 140 {
                    t.clone()
                } else {
                    phrase(&t, m.start())
                };
                updated = Some((d, from));
                break 'dates;
            }
        }
    }
    if let Some((d, from)) = &updated {
        fields.push(Field::checked("updated", V::Raw(d.clone()), Some(from)));
    }

    // --- sources (for collection) --------------------------------------------------------
    let mut sources: Vec<Item> = Vec::new();
    let source_blocks = blocks_of(sections, "sources");
    let split = re(r"\s+(?:ja/tai|sekä|samt|och/eller|and/or)\s+");
    for b in &source_blocks {
        if is_subheading(b) {
            continue;
        }
        let text = b.text();
        let mut parts: Vec<String> = Vec::new();
        for part in split.split(&text) {
            let has_kind = w.sources.iter().any(|(_, r)| r.is_match(part));
            match parts.last_mut() {
                Some(last) if !has_kind => {
                    last.push(' ');
                    last.push_str(part);
                }
                _ => parts.push(part.to_owned()),
            }
        }
        for part in parts {
            let kinds = matches(&w.sources, &part);
            let desc = capitalise(part.trim());
            if kinds.is_empty() {
                sources.push(Item::new(V::Map(vec![Field::new(
                    "description",
                    V::Str(desc.clone()),
                )])));
            }
            for (kind, from) in kinds {
                sources.push(Item::new(V::Map(vec![
                    Field::checked("kind", V::Raw(kind), Some(&from)),
                    Field::new("description", V::Str(desc.clone())),
                ])));
            }
        }
    }
    if source_blocks.is_empty() {
        let direct = re(
            r"(?i)kerätään suoraan|suoraan sinulta|suoraan rekisteröidyltä|direkt från dig|samlas in direkt|directly from you",
        );
        for b in &all_blocks {
            let t = b.text();
            if let Some(m) = direct.find(&t) {
                let s = phrase(&t, m.start());
                sources.push(Item::new(V::Map(vec![
                    Field::checked("kind", V::Raw("data_subject".into()), Some(&s)),
                    Field::new("description", V::Str(s.clone())),
                ])));
                break;
            }
        }
    }
    let kinds: BTreeSet<String> = sources
        .iter()
        .filter_map(|i| match &i.value {
            V::Map(f) => f
                .iter()
                .find(|f| f.key == "kind")
                .and_then(|f| match &f.value {
                    V::Raw(k) => Some(k.clone()),
                    _ => None,
                }),
            _ => None,
        })
        .collect();
    if !kinds.is_empty() {
        let subject = kinds.contains("data_subject");
        let collection = if !subject {
            "indirect"
        } else if kinds.len() == 1 {
            "direct"
        } else {
            "both"
        };
        fields.push(Field::checked(
            "collection",
            V::Raw(collection.into()),
            Some(&format!(
                "the kinds of sources: {}",
                kinds.iter().cloned().collect::<Vec<_>>().join(", ")
            )),
        ));
    }

    // --- legal references ----------------------------------------------------------------
    let mut refs: Vec<(String, String)> = Vec::new();
    for b in &preamble {
        for line in &b.lines {
            if let Some(c) = act_citation(line)
                && !refs.iter().any(|(r, _)| r == &c)
            {
                refs.push((c, line.clone()));
            }
        }
    }
    if !refs.is_empty() {
        fields.push(Field::new(
            "legal_references",
            V::List(
                refs.iter()
                    .map(|(r, from)| Item::checked(V::Str(r.clone()), (r != from).then_some(from)))
                    .collect(),
            ),
        ));
    }

    // --- controller, contact, dpo -----------------------------------------------------------
    let controller = contact(&blocks_of(sections, "controller"), true);
    let contact_blocks = blocks_of(sections, "contact");
    let person_contact = contact(&contact_blocks, true);
    let dpo = contact(&blocks_of(sections, "dpo"), false);

    let mut cf = Vec::new();
    let individual = controller.name.is_none() && controller.person.is_some();
    let cname = controller
        .name
        .clone()
        .or_else(|| controller.person.clone())
        .unwrap_or_else(|| ("TODO: the controller's name".to_owned(), String::new()));
    cf.push(Field::checked(
        "name",
        V::Str(cname.0.clone()),
        (!cname.1.is_empty() && cname.0 != cname.1).then_some(cname.1.as_str()),
    ));
    let kind = w
        .controller_kind
        .iter()
        .find_map(|(k, r)| r.find(&cname.0).map(|m| (k.clone(), m.as_str().to_owned())));
    let kind = if individual {
        Some(("individual".to_owned(), String::new()))
    } else {
        kind
    };
    let (kind, why) = match kind {
        Some((k, word)) if word.is_empty() => (k, note(&cname.0, "a person's name")),
        Some((k, word)) => (k, note(&cname.0, &format!("the word '{word}'"))),
        None => (
            "company".to_owned(),
            note(&cname.0, "no word of its name tells the kind: a guess"),
        ),
    };
    cf.push(Field::checked("kind", V::Raw(kind), Some(&why)));
    if let Some((id, from)) = &controller.business_id {
        let checked = match crate::fi::y_tunnus_valid(id) {
            true => "the check digit is valid",
            false => "the check digit does not match: `fi/business-id-checksum` reports it",
        };
        cf.push(Field::checked(
            "business_id",
            V::Str(id.clone()),
            Some(&note(from, checked)),
        ));
    }
    for f in controller.fields(None) {
        cf.push(f);
    }
    fields.push(Field::new("controller", V::Map(cf)));

    // The contact person: the contact section, else a person named under the controller.
    if !person_contact.is_empty() {
        let name = person_contact
            .person
            .as_ref()
            .or(person_contact.name.as_ref());
        fields.push(Field::new("contact", V::Map(person_contact.fields(name))));
    } else if let Some(p) = controller.person.as_ref().filter(|_| !individual) {
        fields.push(Field::new(
            "contact",
            V::Map(vec![Field::checked(
                "name",
                V::Str(p.0.clone()),
                Some(&note(&p.1, "a person named under the controller")),
            )]),
        ));
    }
    if !dpo.is_empty() {
        let name = dpo.person.as_ref().or(dpo.name.as_ref());
        fields.push(Field::new("dpo", V::Map(dpo.fields(name))));
    }

    // --- data subjects ---------------------------------------------------------------------
    let subjects: Vec<Item> = blocks_of(sections, "subjects")
        .iter()
        .filter(|b| !is_subheading(b) && !b.text().ends_with(':'))
        .map(|b| Item::new(V::Str(b.text())))
        .collect();
    if !subjects.is_empty() {
        fields.push(Field::new("data_subjects", V::List(subjects)));
    }

    // --- purposes ---------------------------------------------------------------------------
    // Bases said for the whole register: sentences with a basis cue in the purpose and basis
    // sections and anywhere else, outside the rights (which name consent when they list the
    // right to withdraw it).
    let mut register_bases: Vec<(String, String)> = Vec::new();
    for s in sections {
        if s.is("rights") || s.is("security") || s.is("recipients") || s.is("other") {
            continue;
        }
        for b in &s.blocks {
            let t = b.text();
            for sentence in sentences(&t) {
                if BASIS_CUE.is_match(sentence) || (s.is("basis") && !s.is("purpose")) {
                    for (id, p) in bases(sentence) {
                        if !register_bases.iter().any(|(i, _)| i == &id) {
                            register_bases.push((id, p));
                        }
                    }
                }
            }
        }
    }
    let mut purposes: Vec<Vec<Field>> = Vec::new();
    let mut purpose_laws: Vec<Vec<(String, String)>> = Vec::new();
    let mut taken = BTreeSet::new();
    let mut group: Option<String> = None;
    let purpose_blocks: Vec<&Block> = sections
        .iter()
        .filter(|s| s.is("purpose"))
        .flat_map(|s| s.blocks.iter())
        .collect();
    for b in &purpose_blocks {
        let t = b.text();
        if is_subheading(b) && !ARTICLE_LINE.is_match(&t) {
            group = Some(t);
            continue;
        }
        if ARTICLE_LINE.is_match(&t)
            && t.chars().count() <= 100
            && !ACT.is_match(&t.replace("2016/679", ""))
        {
            continue;
        }
        // A law of the purpose before it: a short item or paragraph citing an act.
        if ACT.is_match(&t) && !is_gdpr(&t) && t.chars().count() <= 160 && !purposes.is_empty() {
            if let (Some(laws), Some(c)) = (purpose_laws.last_mut(), act_citation(&t)) {
                laws.push((c, t.clone()));
            }
            continue;
        }
        let found = bases(&t);
        let id_words = group.as_deref().unwrap_or(&t);
        let id = unique(slug(id_words, 3), &mut taken, "purpose");
        let mut f = vec![
            Field::new("id", V::Str(id)),
            Field::new("description", V::Str(t.clone())),
        ];
        let own = !found.is_empty();
        let chosen = if own { found } else { register_bases.clone() };
        if !chosen.is_empty() {
            let (v, from) = basis_value(&chosen);
            let from = if own {
                from
            } else {
                from.map(|p| note(&p, "said of the processing as a whole"))
            };
            f.push(Field::checked("legal_basis", v, from.as_deref()));
        }
        let mut laws = Vec::new();
        if ACT.is_match(&t)
            && !is_gdpr(&t)
            && let Some(c) = act_citation(&t)
        {
            laws.push((c, t.clone()));
        }
        purposes.push(f);
        purpose_laws.push(laws);
    }
    let mut purpose_items: Vec<Item> = Vec::new();
    for (mut f, laws) in purposes.into_iter().zip(purpose_laws) {
        if !laws.is_empty() {
            f.push(Field::new(
                "laws",
                V::List(
                    laws.iter()
                        .map(|(l, from)| {
                            Item::checked(V::Str(l.clone()), (l != from).then_some(from))
                        })
                        .collect(),
                ),
            ));
        }
        purpose_items.push(Item::new(V::Map(f)));
    }
    if purpose_items.is_empty() {
        let mut f = vec![
            Field::new("id", V::Str("purpose".into())),
            Field::new(
                "description",
                V::Str("TODO: the purpose of the processing".into()),
            ),
        ];
        if !register_bases.is_empty() {
            let (v, from) = basis_value(&register_bases);
            f.push(Field::checked("legal_basis", v, from.as_deref()));
        }
        purpose_items.push(Item::new(V::Map(f)));
    }
    fields.push(Field::new("purposes", V::List(purpose_items)));

    // --- data categories ----------------------------------------------------------------------
    let cat_blocks = blocks_of(sections, "categories");
    let has_items = cat_blocks.iter().any(|b| b.kind == Kind::Item);
    let mut cats = Vec::new();
    let mut cat_ids = BTreeSet::new();
    for b in &cat_blocks {
        let t = b.text();
        if is_subheading(b) || t.ends_with(':') {
            continue;
        }
        let special = matches(&w.special, &t);
        let is_basis = BASIS_CUE.is_match(&t) && !bases(&t).is_empty();
        let take = if has_items {
            b.kind == Kind::Item || !special.is_empty()
        } else {
            !is_basis
        };
        if !take || is_basis && b.kind != Kind::Item {
            continue;
        }
        let id = unique(slug(&t, 3), &mut cat_ids, "data");
        let mut f = vec![
            Field::new("id", V::Str(id)),
            Field::new("description", V::Str(t.clone())),
        ];
        if !special.is_empty() {
            f.push(Field::new(
                "special",
                V::List(
                    special
                        .iter()
                        .map(|(s, from)| Item::checked(V::Raw(s.clone()), Some(from)))
                        .collect(),
                ),
            ));
        }
        if let Some(m) = w.identity_code.find(&t) {
            f.push(Field::checked(
                "identity_code",
                V::Raw("true".into()),
                Some(&phrase(&t, m.start())),
            ));
        }
        cats.push(Item::new(V::Map(f)));
    }
    if !cats.is_empty() {
        fields.push(Field::new("data_categories", V::List(cats)));
    }

    if !sources.is_empty() {
        fields.push(Field::new("sources", V::List(sources)));
    }

    // --- recipients ---------------------------------------------------------------------------
    let recipient_word = re(
        r"(?i)luovut|viranomai|vastaanottaj|tahoille|organisaatio|käsittelijä|utlämn|lämnas ut|mottagar|myndighet|disclos|recipient|share",
    );
    let mut recipients: Vec<Item> = Vec::new();
    let mut none_said: Option<String> = None;
    let rec_sections: Vec<&Section> = sections.iter().filter(|s| s.is("recipients")).collect();
    let only_transfer_later = rec_sections.len() > 1;
    for (i, s) in rec_sections.iter().enumerate() {
        // "Luovutukset ja siirrot EU:n ulkopuolelle" after a section of disclosures of its own:
        // about transfers.
        if only_transfer_later && i > 0 && s.is("transfers") {
            continue;
        }
        for (j, b) in s.blocks.iter().enumerate() {
            let t = b.text();
            if is_subheading(b) {
                continue;
            }
            if t.ends_with(':') && s.blocks.get(j + 1).is_some_and(|n| n.kind == Kind::Item) {
                continue;
            }
            if let Some(m) = w.none_recipients.find(&t)
                && sentences(&t).len() <= 2
            {
                none_said.get_or_insert(phrase(&t, m.start()));
                continue;
            }
            if !recipient_word.is_match(&t) && !w.processors.iter().any(|(_, _, r)| r.is_match(&t))
            {
                continue;
            }
            let processor = w.processors.iter().find(|(_, _, r)| r.is_match(&t));
            let authority = AUTHORITY.find(&t);
            let (kind, from) = if let Some((_, _, r)) = processor {
                let m = r.find(&t).map_or(0, |m| m.start());
                (Some("processor"), phrase(&t, m))
            } else if let Some(m) = authority {
                (Some("authority"), phrase(&t, m.start()))
            } else {
                (None, String::new())
            };
            let name = if t.chars().count() <= 60 && sentences(&t).len() == 1 {
                t.trim_end_matches(['.', ';']).to_owned()
            } else {
                match (kind, processor) {
                    (Some("processor"), Some((_, n, _))) if !n.contains('/') => n.clone(),
                    (Some("authority"), _) => match lang {
                        "sv" => "Myndigheter".to_owned(),
                        "en" => "Authorities".to_owned(),
                        _ => "Viranomaiset".to_owned(),
                    },
                    _ => "TODO: the recipient's name".to_owned(),
                }
            };
            let mut f = vec![Field::checked(
                "name",
                V::Str(name),
                Some("the recipient as the notice describes it"),
            )];
            if let Some(k) = kind {
                f.push(Field::checked("kind", V::Raw(k.into()), Some(&from)));
            }
            f.push(Field::new("basis", V::Str(t.clone())));
            recipients.push(Item::new(V::Map(f)));
        }
    }
    // Processors named anywhere (the words of gdpr/processors-disclosed), when no recipient is.
    let has_processor = recipients.iter().any(|i| match &i.value {
        V::Map(f) => f
            .iter()
            .any(|f| f.key == "kind" && matches!(&f.value, V::Raw(k) if k == "processor")),
        _ => false,
    });
    if !has_processor {
        let mut seen = BTreeSet::new();
        for b in &all_blocks {
            let t = b.text();
            for (id, name, r) in &w.processors {
                if let Some(m) = r.find(&t)
                    && seen.insert(id.clone())
                {
                    let n = if name.contains('/') {
                        format!("TODO: the service provider ({name})")
                    } else {
                        name.clone()
                    };
                    recipients.push(Item::new(V::Map(vec![
                        Field::checked("name", V::Str(n), Some(&phrase(&t, m.start()))),
                        Field::checked(
                            "kind",
                            V::Raw("processor".into()),
                            Some("a processor word of gdpr/processors-disclosed"),
                        ),
                    ])));
                }
            }
        }
    }
    if !recipients.is_empty() {
        fields.push(Field::new("recipients", V::List(recipients)));
    } else if let Some(from) = &none_said {
        fields.push(Field::checked("recipients", V::List(vec![]), Some(from)));
    }

    // --- transfers ----------------------------------------------------------------------------
    let mut transfer_none: Option<String> = None;
    let mut transfers: Vec<Item> = Vec::new();
    for s in sections
        .iter()
        .filter(|s| s.is("transfers") || s.is("recipients"))
    {
        for b in &s.blocks {
            let t = b.text();
            if let Some(m) = w.none_transfers.find(&t) {
                let p = phrase(&t, m.start());
                // In a section of disclosures only, "ei luovuteta" is no statement on transfers.
                if s.is("transfers") || !p.to_lowercase().contains("luovut") {
                    transfer_none.get_or_insert(p);
                }
                continue;
            }
            if s.is("transfers") {
                let safeguards = matches(&w.safeguards, &t);
                if !safeguards.is_empty() {
                    let mut f = vec![Field::new("recipient", V::Str(t.clone()))];
                    let (v, from) = if safeguards.len() == 1 {
                        (V::Raw(safeguards[0].0.clone()), safeguards[0].1.clone())
                    } else {
                        (
                            V::Raw(format!(
                                "[{}]",
                                safeguards
                                    .iter()
                                    .map(|(s, _)| s.as_str())
                                    .collect::<Vec<_>>()
                                    .join(", ")
                            )),
                            safeguards[0].1.clone(),
                        )
                    };
                    f.push(Field::checked("safeguard", v, Some(&from)));
                    transfers.push(Item::new(V::Map(f)));
                }
            }
        }
    }
    if !transfers.is_empty() {
        fields.push(Field::new("transfers", V::List(transfers)));
    } else if let Some(from) = &transfer_none {
        fields.push(Field::checked("transfers", V::List(vec![]), Some(from)));
    }

    // --- retention ------------------------------------------------------------------------------
    let ret_blocks: Vec<&Block> = blocks_of(sections, "retention")
        .into_iter()
        .filter(|b| !is_subheading(b))
        .collect();
    if !ret_blocks.is_empty() {
        let text = text_of(&ret_blocks);
        let mut f = Vec::new();
        let ds = durations(&text);
        let maxima: Vec<&(String, String, bool)> = ds.iter().filter(|d| d.2).collect();
        let distinct: BTreeSet<&str> = ds.iter().map(|d| d.0.as_str()).collect();
        let chosen = if maxima.len() == 1 {
            Some(maxima[0])
        } else if distinct.len() == 1 {
            ds.first()
        } else {
            None
        };
        if let Some((p, from, _)) = chosen {
            f.push(Field::checked("period", V::Raw(p.clone()), Some(from)));
        }
        f.push(Field::new("criteria", V::Str(text)));
        fields.push(Field::new("retention", V::Map(f)));
    }

    // --- rights ---------------------------------------------------------------------------------
    let complaint_word = re(r"(?i)valitu|valitta|kantelu|klagomål|klaga|complaint|lodge");
    let mut rights: Vec<(String, String)> = Vec::new();
    let mut how: Vec<String> = Vec::new();
    for s in sections.iter().filter(|s| s.is("rights")) {
        let heading = s.heading.clone().unwrap_or_default();
        let texts = std::iter::once(heading).chain(s.blocks.iter().map(|b| b.text()));
        for (k, t) in texts.enumerate() {
            for sentence in sentences(&t) {
                for (id, p) in matches(&w.rights, sentence) {
                    if !rights.iter().any(|(r, _)| r == &id) {
                        rights.push((id, p));
                    }
                }
            }
            if k > 0 && !complaint_word.is_match(&t) {
                how.push(t);
            }
        }
    }
    if !rights.is_empty() {
        fields.push(Field::new(
            "rights",
            V::List(
                rights
                    .iter()
                    .map(|(r, p)| Item::checked(V::Raw(r.clone()), Some(p)))
                    .collect(),
            ),
        ));
    }
    if !how.is_empty() {
        fields.push(Field::new("rights_how", V::Str(how.join(" "))));
    }

    // --- complaint ------------------------------------------------------------------------------
    let complaint_blocks = blocks_of(sections, "complaint");
    let mut authority: Option<(String, String)> = None;
    let search: Vec<String> = if complaint_blocks.is_empty() {
        all_blocks
            .iter()
            .map(|b| b.text())
            .filter(|t| complaint_word.is_match(t))
            .collect()
    } else {
        complaint_blocks.iter().map(|b| b.text()).collect()
    };
    'outer: for (r, name) in &w.complaint_authority {
        for t in &search {
            if let Some(m) = r.find(t) {
                authority = Some((name.clone(), phrase(t, m.start())));
                break 'outer;
            }
        }
    }
    let mut cc = contact(&complaint_blocks, false);
    if complaint_blocks.is_empty()
        && let Some((_, from)) = &authority
        && let Some(b) = all_blocks
            .iter()
            .find(|b| b.text().contains(from.trim_matches('…')))
    {
        cc = contact(&[b], false);
        cc.person = None;
        cc.name = None;
    }
    if authority.is_some() || !cc.is_empty() {
        let mut f = Vec::new();
        if let Some((a, from)) = &authority {
            f.push(Field::checked("authority", V::Str(a.clone()), Some(from)));
        }
        f.extend(cc.fields(None));
        fields.push(Field::new("complaint", V::Map(f)));
    }

    // --- automated decisions ------------------------------------------------------------------
    let auto = blocks_of(sections, "automated");
    if !auto.is_empty() {
        let t = text_of(&auto);
        let no = re(r"(?i)\bei\b|\beikä\b|\binte\b|\bnot\b|\bno\b|\bever\b");
        if let Some(m) = no.find(&t) {
            fields.push(Field::new(
                "automated_decisions",
                V::Map(vec![Field::checked(
                    "used",
                    V::Raw("false".into()),
                    Some(&phrase(&t, m.start())),
                )]),
            ));
        }
    }

    // --- security -------------------------------------------------------------------------------
    let security: Vec<Item> = blocks_of(sections, "security")
        .iter()
        .filter(|b| {
            let t = b.text();
            !(is_subheading(b) || ARTICLE_LINE.is_match(&t) && t.chars().count() <= 100)
        })
        .map(|b| Item::new(V::Str(b.text())))
        .collect();
    if !security.is_empty() {
        fields.push(Field::new("security", V::List(security)));
    }

    Extracted { fields }
}

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().collect::<String>() + c.as_str(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn contact_lines() {
        let b = Block {
            kind: Kind::Para,
            lines: vec![
                "Etelä-Savon ELY-keskus".into(),
                "Stefan Strandberg".into(),
                "Pl 164, 50101 Mikkeli".into(),
                "Käyntiosoite: Jääkärinkatu 14, 50100 Mikkeli".into(),
                "Puh. 0295 024 000, kirjaamo.etela-savo(at)ely-keskus.fi".into(),
                "Y-tunnus 2296962-1".into(),
            ],
        };
        let c = contact(&[&b], true);
        assert_eq!(c.name.unwrap().0, "Etelä-Savon ELY-keskus");
        assert_eq!(c.person.unwrap().0, "Stefan Strandberg");
        assert_eq!(c.postal_address.unwrap().0, "Pl 164, 50101 Mikkeli");
        assert_eq!(c.address.unwrap().0, "Jääkärinkatu 14, 50100 Mikkeli");
        assert_eq!(c.phone.unwrap().0, "0295 024 000");
        assert_eq!(c.emails[0].0, "kirjaamo.etela-savo@ely-keskus.fi");
        assert_eq!(c.business_id.unwrap().0, "2296962-1");
    }

    #[test]
    fn durations_and_dates() {
        assert_eq!(durations("kuitenkin enintään 3 kuukautta")[0].0, "P3M");
        assert!(durations("kuitenkin enintään 3 kuukautta")[0].2);
        assert_eq!(durations("kuukauden ajan")[0].0, "P1M");
        assert_eq!(durations("säilytetään 180 päivää")[0].0, "P180D");
        assert_eq!(date_in("Päivitetty 08.2023").as_deref(), Some("2023-08-01"));
        assert_eq!(
            date_in("Uppdaterad: 18.08.2023").as_deref(),
            Some("2023-08-18")
        );
    }

    #[test]
    fn act_citations() {
        assert_eq!(
            act_citation("Tietosuojaseloste, henkilötietolaki (523/1999) 10 ja 24§").as_deref(),
            Some("henkilötietolaki (523/1999) 10 ja 24§")
        );
        assert_eq!(
            act_citation("Laki julkisesta työvoima- ja yrityspalvelusta, 916/2012").as_deref(),
            Some("Laki julkisesta työvoima- ja yrityspalvelusta, 916/2012")
        );
    }

    #[test]
    fn slugs() {
        assert_eq!(slug("TE-live -palvelu", 6), "te-live-palvelu");
        assert_eq!(slug("Äänestys ja öljy", 3), "aanestys-ja-oljy");
    }
}
