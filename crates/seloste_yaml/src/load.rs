//! Bytes of a file → [`Document`], or one located [`LoadError`].

use super::lines::LineIndex;
use super::parse::{Budget, DuplicateKey, parse};
use super::tree::{Node, Span};

/// Files larger than this are refused before parsing: a register is a few kilobytes.
pub const MAX_FILE_BYTES: usize = 8 * 1024 * 1024;

/// A parsed YAML file with its source kept for diagnostics.
#[derive(Debug)]
pub struct Document {
    pub source: String,
    pub lines: LineIndex,
    pub root: Node,
    pub duplicates: Vec<DuplicateKey>,
}

impl Document {
    /// A document of `source` whose tree is already parsed (see [`super::frozen`]).
    pub fn from_tree(source: String, root: Node) -> Document {
        Document {
            lines: LineIndex::new(&source),
            source,
            root,
            duplicates: Vec::new(),
        }
    }
}

/// Why a file could not be loaded. `source` is what can be shown of it (lossy for bad UTF-8).
#[derive(Debug)]
pub struct LoadError {
    pub kind: LoadErrorKind,
    pub message: String,
    pub help: Option<String>,
    pub span: Span,
    pub source: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LoadErrorKind {
    /// Not valid YAML, or over a budget limit.
    Syntax,
    /// Not UTF-8.
    Encoding,
    /// No YAML document at all.
    Empty,
    /// Over [`MAX_FILE_BYTES`].
    TooLarge,
}

impl LoadErrorKind {
    /// The stable id of the finding this error becomes.
    pub fn rule(self) -> &'static str {
        match self {
            LoadErrorKind::Syntax | LoadErrorKind::Empty | LoadErrorKind::TooLarge => {
                "seloste/yaml"
            }
            LoadErrorKind::Encoding => "seloste/encoding",
        }
    }
}

/// Loads one file's bytes.
pub fn load(bytes: &[u8], budget: Budget) -> Result<Document, LoadError> {
    if bytes.len() > MAX_FILE_BYTES {
        return Err(LoadError {
            kind: LoadErrorKind::TooLarge,
            message: format!(
                "file is {} bytes; seloste reads register files up to {} bytes",
                bytes.len(),
                MAX_FILE_BYTES
            ),
            help: Some("a register definition is a few kilobytes: is this the right file?".into()),
            span: Span::new(0, 0),
            source: String::new(),
        });
    }
    let source = match std::str::from_utf8(bytes) {
        Ok(s) => s.to_owned(),
        Err(e) => {
            let at = e.valid_up_to();
            return Err(LoadError {
                kind: LoadErrorKind::Encoding,
                message: format!("file is not valid UTF-8 (invalid byte 0x{:02X})", bytes[at]),
                help: Some("save the file as UTF-8 (YAML requires a Unicode encoding)".into()),
                span: Span::new(at, at + 1),
                source: String::from_utf8_lossy(bytes).into_owned(),
            });
        }
    };
    // A byte order mark is not YAML: the text after it is parsed, the spans count it.
    let text = source.strip_prefix('\u{feff}').unwrap_or(&source);
    let parsed = match parse(text, source.len() - text.len(), budget) {
        Ok(p) => p,
        Err(e) => {
            return Err(LoadError {
                kind: LoadErrorKind::Syntax,
                span: syntax_span(&source, &e),
                message: e.message,
                // The help for the common mistakes is added with the finding, in its language
                // (`FileFindings::from_load_error`).
                help: e.help,
                source,
            });
        }
    };
    let Some(root) = parsed.root else {
        return Err(LoadError {
            kind: LoadErrorKind::Empty,
            message: "file holds no YAML document".into(),
            help: Some("a register starts with `seloste: 1`".into()),
            span: Span::new(0, 0),
            source,
        });
    };
    Ok(Document {
        lines: LineIndex::new(&source),
        source,
        root,
        duplicates: parsed.duplicates,
    })
}

/// Where to show a syntax error: the scanner often reports the end of input (an unclosed bracket)
/// or the end of a line (a tab): point at the last real character or at the tab instead.
fn syntax_span(source: &str, e: &super::parse::ParseError) -> Span {
    let at = e.span.start.min(source.len());
    if e.message.contains("tab") {
        let tab = source[at..]
            .find('\t')
            .map(|i| at + i)
            .or_else(|| source[..at].rfind('\t'));
        if let Some(t) = tab {
            return Span::new(t, t + 1);
        }
    }
    let content_end = source.trim_end().len();
    if at >= content_end && content_end > 0 {
        let last = source[..content_end]
            .char_indices()
            .last()
            .map_or(0, |(i, _)| i);
        return Span::new(last, content_end);
    }
    let next = source[at..].chars().next().map_or(0, char::len_utf8);
    Span::new(at, at + next)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::NodeKind;

    fn doc(s: &str) -> Document {
        load(s.as_bytes(), Budget::default()).expect("loads")
    }

    fn text(d: &Document, span: Span) -> &str {
        &d.source[span.start..span.end]
    }

    #[test]
    fn spans_point_at_keys_and_values() {
        let d = doc("seloste: 1\nname: \"Ääni\"\nlist:\n  - a\n  - {b: 2}\n");
        let name = d.root.entry("name").unwrap();
        assert_eq!(text(&d, name.key_span), "name");
        assert_eq!(text(&d, name.value.span), "\"Ääni\"");
        let list = d.root.get("list").unwrap();
        assert_eq!(text(&d, list.span), "- a\n  - {b: 2}");
        let items = list.as_seq().unwrap();
        assert_eq!(text(&d, items[1].span), "{b: 2}");
        assert_eq!(items[1].get("b").unwrap().kind, NodeKind::Int(2));
    }

    #[test]
    fn flow_collections_end_at_their_bracket_not_at_a_comment() {
        let d = doc("a: [x, y]  # one, two\nb: {c: [1]}   # three\nd:\n  - [p,\n     q]  # four\n");
        assert_eq!(text(&d, d.root.get("a").unwrap().span), "[x, y]");
        let b = d.root.get("b").unwrap();
        assert_eq!(text(&d, b.span), "{c: [1]}");
        assert_eq!(text(&d, b.get("c").unwrap().span), "[1]");
        let d_list = d.root.get("d").unwrap();
        assert_eq!(text(&d, d_list.span), "- [p,\n     q]");
    }

    #[test]
    fn crlf_and_bom_keep_byte_spans() {
        let d = doc("\u{feff}seloste: 1\r\nid: äö\r\nx: 3\r\n");
        let id = d.root.entry("id").unwrap();
        assert_eq!(text(&d, id.value.span), "äö");
        assert_eq!(text(&d, d.root.entry("x").unwrap().key_span), "x");
    }

    #[test]
    fn core_schema_scalars() {
        let d = doc("a: no\nb: 0295024000\nc: '12'\nd: 1.5\ne:\nf: 2020-11-25\n");
        assert_eq!(d.root.get("a").unwrap().kind, NodeKind::Str("no".into()));
        assert_eq!(d.root.get("b").unwrap().kind, NodeKind::Int(295024000));
        assert_eq!(d.root.get("c").unwrap().kind, NodeKind::Str("12".into()));
        assert_eq!(d.root.get("d").unwrap().kind, NodeKind::Float(1.5));
        assert!(d.root.get("e").unwrap().is_null());
        assert_eq!(
            d.root.get("f").unwrap().kind,
            NodeKind::Str("2020-11-25".into())
        );
    }

    #[test]
    fn duplicate_keys_are_reported_with_both_places() {
        let d = doc("a: 1\nb: 2\na: 3\n");
        assert_eq!(d.duplicates.len(), 1);
        assert_eq!(d.duplicates[0].span.start, 10);
        assert_eq!(d.duplicates[0].first.start, 0);
    }

    #[test]
    fn hostile_input_is_refused_not_expanded() {
        let mut bomb = String::from("a: &a [x, x, x, x, x, x, x, x, x, x]\n");
        for i in 0..12 {
            let prev = if i == 0 {
                "a".to_string()
            } else {
                format!("l{}", i - 1)
            };
            bomb.push_str(&format!("l{i}: &l{i} [*{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}]\n"));
        }
        let e = load(bomb.as_bytes(), Budget::default()).unwrap_err();
        assert!(e.message.contains("expands to more than"), "{}", e.message);
        let deep = "[".repeat(10_000) + &"]".repeat(10_000);
        let e = load(deep.as_bytes(), Budget::default()).unwrap_err();
        assert!(e.message.contains("nesting"), "{}", e.message);
        let e = load(b"a: \xff\n", Budget::default()).unwrap_err();
        assert_eq!(e.kind, LoadErrorKind::Encoding);
        assert_eq!(e.span.start, 3);
        let e = load(b"a: 1\n---\nb: 2\n", Budget::default()).unwrap_err();
        assert!(e.message.contains("second YAML document"));
        let e = load(b"", Budget::default()).unwrap_err();
        assert_eq!(e.kind, LoadErrorKind::Empty);
        let e = load(b"a: [1, 2\nb: 3\n", Budget::default()).unwrap_err();
        assert_eq!(e.kind, LoadErrorKind::Syntax);
    }
}
