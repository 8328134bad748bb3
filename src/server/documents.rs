//! The open documents: their text as the editor has it, edits applied in place, and positions
//! converted between byte offsets and the protocol's line/character in the negotiated encoding.

use std::collections::HashMap;
use std::path::PathBuf;
use std::time::Instant;

use lsp_types::{Position, Range, TextDocumentContentChangeEvent};

use crate::document::{LineIndex, Span};
use crate::finding::FileFindings;

/// How the client counts characters in a line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    /// UTF-16 code units: the protocol's default.
    Utf16,
    /// Bytes, when the client offers `utf-8` in `general.positionEncodings`.
    Utf8,
}

/// A source with its line index: converts between byte offsets and protocol positions.
pub struct Lines<'a> {
    pub source: &'a str,
    pub index: LineIndex,
    pub encoding: Encoding,
}

impl<'a> Lines<'a> {
    pub fn new(source: &'a str, encoding: Encoding) -> Self {
        Lines {
            source,
            index: LineIndex::new(source),
            encoding,
        }
    }

    pub fn position(&self, offset: usize) -> Position {
        let (line, column) =
            self.index
                .units(self.source, offset, self.encoding == Encoding::Utf16);
        Position::new(clamp(line), clamp(column))
    }

    pub fn range(&self, span: Span) -> Range {
        Range::new(self.position(span.start), self.position(span.end))
    }

    pub fn offset(&self, position: Position) -> usize {
        self.index.offset(
            self.source,
            position.line as usize,
            position.character as usize,
            self.encoding == Encoding::Utf16,
        )
    }

    pub fn span(&self, range: Range) -> Span {
        let start = self.offset(range.start);
        Span::new(start, self.offset(range.end).max(start))
    }
}

fn clamp(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// One open document.
pub struct Document {
    pub text: String,
    pub version: i32,
    /// The file behind the `file:` URI (for the config lookup and the name in findings).
    pub path: Option<PathBuf>,
    /// Changed since its findings were computed: lint it at this instant (the debounce).
    pub due: Option<Instant>,
    /// The findings of the text as it was last linted, and the version they are of. `None`: not
    /// a register (no diagnostics).
    pub findings: Option<FileFindings>,
    /// The version [`Document::findings`] are of.
    pub linted: Option<i32>,
}

/// Open documents by URI.
#[derive(Default)]
pub struct Documents {
    pub open: HashMap<String, Document>,
}

impl Documents {
    pub fn open(&mut self, uri: &str, text: String, version: i32) {
        self.open.insert(
            uri.to_owned(),
            Document {
                text,
                version,
                path: file_path(uri),
                due: None,
                findings: None,
                linted: None,
            },
        );
    }

    /// Applies the changes of a `didChange`, in order. A range outside the text is clamped to it.
    /// The document, when it is open.
    pub fn change(
        &mut self,
        uri: &str,
        version: i32,
        changes: Vec<TextDocumentContentChangeEvent>,
        encoding: Encoding,
    ) -> Option<&mut Document> {
        let doc = self.open.get_mut(uri)?;
        for change in changes {
            match change.range {
                None => doc.text = change.text,
                Some(range) => {
                    let span = Lines::new(&doc.text, encoding).span(range);
                    doc.text.replace_range(span.start..span.end, &change.text);
                }
            }
        }
        doc.version = version;
        Some(doc)
    }

    pub fn close(&mut self, uri: &str) -> Option<Document> {
        self.open.remove(uri)
    }

    pub fn get(&self, uri: &str) -> Option<&Document> {
        self.open.get(uri)
    }
}

/// The path of a `file:` URI (percent-decoded; `file:///C:/x` → `C:/x` on Windows).
pub fn file_path(uri: &str) -> Option<PathBuf> {
    let rest = uri.strip_prefix("file://")?;
    // `file://host/path` is a UNC path; only the local host is ours.
    let rest = rest.strip_prefix("localhost").unwrap_or(rest);
    if !rest.starts_with('/') {
        return None;
    }
    let decoded = percent_decode(rest)?;
    let bytes = decoded.as_bytes();
    let windows_drive =
        bytes.len() >= 3 && bytes[0] == b'/' && bytes[1].is_ascii_alphabetic() && bytes[2] == b':';
    Some(PathBuf::from(if cfg!(windows) && windows_drive {
        &decoded[1..]
    } else {
        &decoded[..]
    }))
}

/// The `file:` URI of a path (absolute paths only; others are made absolute from the working
/// directory).
pub fn file_uri(path: &std::path::Path) -> String {
    let absolute = if path.is_absolute() {
        path.to_path_buf()
    } else {
        std::env::current_dir().map_or_else(|_| path.to_path_buf(), |d| d.join(path))
    };
    let text = absolute.to_string_lossy().replace('\\', "/");
    let mut out = String::from("file://");
    if !text.starts_with('/') {
        out.push('/');
    }
    for b in text.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' | b'/' | b':' => {
                out.push(b as char)
            }
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

fn percent_decode(s: &str) -> Option<String> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = s.get(i + 1..i + 3)?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn change(range: Option<Range>, text: &str) -> TextDocumentContentChangeEvent {
        TextDocumentContentChangeEvent {
            range,
            range_length: None,
            text: text.to_owned(),
        }
    }

    #[test]
    fn incremental_changes_apply_in_utf16_on_crlf_text() {
        let mut docs = Documents::default();
        docs.open("file:///r.yaml", "a: 😀x\r\nb: ä\r\n".to_owned(), 1);
        let r = |l1, c1, l2, c2| Some(Range::new(Position::new(l1, c1), Position::new(l2, c2)));
        docs.change(
            "file:///r.yaml",
            2,
            vec![change(r(0, 5, 0, 6), "y"), change(r(1, 3, 1, 4), "å")],
            Encoding::Utf16,
        );
        assert_eq!(
            docs.get("file:///r.yaml").unwrap().text,
            "a: 😀y\r\nb: å\r\n"
        );
        // A range past the end is clamped; a whole-text change replaces everything.
        docs.change(
            "file:///r.yaml",
            3,
            vec![change(r(9, 0, 9, 0), "c: 1\n")],
            Encoding::Utf16,
        );
        assert!(docs.get("file:///r.yaml").unwrap().text.ends_with("c: 1\n"));
        docs.change("file:///r.yaml", 4, vec![change(None, "x")], Encoding::Utf8);
        assert_eq!(docs.get("file:///r.yaml").unwrap().text, "x");
    }

    #[test]
    fn file_uris_and_paths() {
        assert_eq!(
            file_path("file:///home/a%20b/r%C3%A4.yaml"),
            Some(PathBuf::from("/home/a b/rä.yaml"))
        );
        assert_eq!(file_path("untitled:Untitled-1"), None);
        assert_eq!(
            file_uri(std::path::Path::new("/home/a b/rä.yaml")),
            "file:///home/a%20b/r%C3%A4.yaml"
        );
    }
}
