//! The register skeleton as YAML with comments: a value that a person must confirm carries
//! `# seloste: check — from "<the phrase it was read from>"` on its line. Long texts are folded
//! scalars (`>-`), so that the file reads like the hand-written registers.

use crate::document::yaml_string;

/// A value of the skeleton.
#[derive(Debug, Clone)]
pub enum V {
    /// A string (quoted when YAML needs it; folded when long).
    Str(String),
    /// Written as is: enum values, dates, numbers, `[]`.
    Raw(String),
    List(Vec<Item>),
    Map(Vec<Field>),
}

/// A list item with its comment.
#[derive(Debug, Clone)]
pub struct Item {
    pub value: V,
    pub check: Option<String>,
}

#[derive(Debug, Clone)]
pub struct Field {
    pub key: String,
    pub value: V,
    pub check: Option<String>,
}

impl Field {
    pub fn new(key: &str, value: V) -> Field {
        Field {
            key: key.to_owned(),
            value,
            check: None,
        }
    }
    pub fn checked(key: &str, value: V, from: Option<&str>) -> Field {
        Field {
            key: key.to_owned(),
            value,
            check: from.map(check),
        }
    }
}

impl Item {
    pub fn new(value: V) -> Item {
        Item { value, check: None }
    }
    pub fn checked(value: V, from: Option<&str>) -> Item {
        Item {
            value,
            check: from.map(check),
        }
    }
}

/// Separates the quoted phrase from a note after it in a `check` text (see [`note`]).
pub const NOTE: char = '\u{1}';

/// A phrase with a note: `from "<phrase>" (<note>)`.
pub fn note(phrase: &str, note: &str) -> String {
    format!("{phrase}{NOTE}{note}")
}

/// The comment of an inferred value.
pub fn check(from: &str) -> String {
    let from = from.replace(['\r', '\n'], " ");
    match from.split_once(NOTE) {
        Some((phrase, note)) => format!("seloste: check — from \"{phrase}\" ({note})"),
        None => format!("seloste: check — from \"{from}\""),
    }
}

/// Lines of a folded scalar or comment block.
const WIDTH: usize = 96;

/// Writes YAML, and keeps every text it writes (values and comments) for the check that no line
/// of the notice is lost.
#[derive(Default)]
pub struct Writer {
    pub out: String,
    pub written: Vec<String>,
}

impl Writer {
    pub fn comment_lines(&mut self, text: &str, prefix: &str) {
        for line in wrap(text, WIDTH.saturating_sub(prefix.len() + 2).max(20)) {
            // A notice's line that reads like a `# seloste:` directive must not become one.
            let line = if line.trim_start().starts_with("seloste:") {
                format!("| {line}")
            } else {
                line
            };
            self.out.push('#');
            if !line.is_empty() || !prefix.is_empty() {
                self.out.push(' ');
            }
            self.out.push_str(prefix);
            self.out.push_str(&line);
            self.out.push('\n');
        }
        self.written.push(text.to_owned());
    }

    pub fn blank(&mut self) {
        self.out.push('\n');
    }

    pub fn fields(&mut self, fields: &[Field], indent: usize) {
        for f in fields {
            self.out.push_str(&" ".repeat(indent));
            self.out.push_str(&f.key);
            self.out.push(':');
            self.value(&f.value, f.check.as_deref(), indent);
        }
    }

    /// The value after `key:` or `-`.
    fn value(&mut self, v: &V, check: Option<&str>, indent: usize) {
        if let Some(c) = check {
            self.written.push(c.to_owned());
        }
        let comment = |out: &mut String| {
            if let Some(c) = check {
                out.push_str(" # ");
                out.push_str(c);
            }
        };
        match v {
            V::Raw(s) => {
                self.out.push(' ');
                self.out.push_str(s);
                comment(&mut self.out);
                self.out.push('\n');
            }
            V::Str(s) => {
                self.written.push(s.clone());
                let quoted = yaml_string(s);
                if !s.contains('\n') && indent + quoted.len() + 12 <= WIDTH {
                    self.out.push(' ');
                    self.out.push_str(&quoted);
                    comment(&mut self.out);
                    self.out.push('\n');
                } else {
                    self.out.push_str(" >-");
                    comment(&mut self.out);
                    self.out.push('\n');
                    let pad = " ".repeat(indent + 2);
                    for line in wrap(s, WIDTH.saturating_sub(indent + 2).max(40)) {
                        self.out.push_str(&pad);
                        self.out.push_str(&line);
                        self.out.push('\n');
                    }
                }
            }
            V::List(items) if items.is_empty() => {
                self.out.push_str(" []");
                comment(&mut self.out);
                self.out.push('\n');
            }
            V::Map(fields) if fields.is_empty() => {
                self.out.push_str(" {}");
                comment(&mut self.out);
                self.out.push('\n');
            }
            V::Map(fields) => {
                comment(&mut self.out);
                self.out.push('\n');
                self.fields(fields, indent + 2);
            }
            V::List(items) => {
                comment(&mut self.out);
                self.out.push('\n');
                let pad = " ".repeat(indent + 2);
                for item in items {
                    match &item.value {
                        V::Map(fields) if !fields.is_empty() => {
                            let mut inner = Writer::default();
                            inner.fields(fields, indent + 4);
                            self.out.push_str(&pad);
                            self.out.push_str("- ");
                            self.out.push_str(&inner.out[indent + 4..]);
                            self.written.extend(inner.written);
                        }
                        other => {
                            self.out.push_str(&pad);
                            self.out.push('-');
                            self.value(other, item.check.as_deref(), indent + 2);
                        }
                    }
                }
            }
        }
    }
}

/// Text in lines of at most `width` characters, broken at single spaces (a folded scalar turns
/// each break back into one space: the text must have no runs of spaces, which cleaned text has
/// not).
pub fn wrap(text: &str, width: usize) -> Vec<String> {
    let mut lines = Vec::new();
    let mut line = String::new();
    let mut len = 0;
    for word in text.split(' ') {
        let w = word.chars().count();
        if len > 0 && len + 1 + w > width {
            lines.push(std::mem::take(&mut line));
            len = 0;
        }
        if len > 0 {
            line.push(' ');
            len += 1;
        }
        line.push_str(word);
        len += w;
    }
    lines.push(line);
    lines
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::{Budget, load};

    #[test]
    fn folded_and_commented_values_read_back() {
        let long = "Tietoja säilytetään kuukauden ajan: käyttäjän palautteen # lähettämisestä, \
                    - ja sitten 'poistetaan' \"kokonaan\" järjestelmästä kuukauden välein ja niin edelleen.";
        let fields = vec![
            Field::checked("name", V::Str("KEHA: keskus".into()), Some("KEHA \"x\"")),
            Field::new("description", V::Str(long.into())),
            Field::checked("criteria", V::Str(long.into()), Some("a")),
            Field::new(
                "rights",
                V::List(vec![Item::checked(
                    V::Raw("access".into()),
                    Some("tarkastaa"),
                )]),
            ),
            Field::new(
                "purposes",
                V::List(vec![Item::new(V::Map(vec![
                    Field::new("id", V::Str("a".into())),
                    Field::checked("legal_basis", V::Raw("consent".into()), Some("suostumus")),
                ]))]),
            ),
            Field::new("transfers", V::List(vec![])),
        ];
        let mut w = Writer::default();
        w.fields(&fields, 0);
        let doc = load(w.out.as_bytes(), Budget::default()).expect(&w.out);
        let json = doc.root.to_json();
        assert_eq!(json["name"], "KEHA: keskus");
        assert_eq!(json["description"], long);
        assert_eq!(json["criteria"], long);
        assert_eq!(json["rights"][0], "access");
        assert_eq!(json["purposes"][0]["legal_basis"], "consent");
        assert!(
            w.out.contains("# seloste: check — from \"tarkastaa\""),
            "{}",
            w.out
        );
    }
}
