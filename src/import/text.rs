//! The text of a notice as blocks (headings, paragraphs with their lines, list items), from each
//! input kind: plain text, Markdown, HTML and Word (.docx). Never panics on any input: the
//! extractors only read, and a .docx is bounded before it is decompressed.

use std::io::Read;

/// What a block is in the notice.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A heading marked as one by the input (Markdown `#`, HTML `<h2>`, a Word heading style).
    Heading,
    /// A paragraph; its lines are kept (an address block is one paragraph of lines).
    Para,
    /// A list item (a bullet or a number).
    Item,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Block {
    pub kind: Kind,
    /// The lines, each trimmed, with runs of white space as one space; none empty.
    pub lines: Vec<String>,
}

impl Block {
    /// The lines joined with spaces.
    pub fn text(&self) -> String {
        self.lines.join(" ")
    }
}

/// The input kinds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Input {
    Text,
    Markdown,
    Html,
    Docx,
}

/// Why a file gives no text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TextError {
    Empty,
    Binary,
    Docx(String),
}

/// Limits of a .docx (a zip): the number of entries, and the decompressed size of its text.
pub const DOCX_MAX_ENTRIES: usize = 2_000;
pub const DOCX_MAX_XML: u64 = 16 * 1024 * 1024;

/// One line cleaned: control characters out, white space collapsed, trimmed.
pub fn clean(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    let mut space = false;
    for c in line.chars() {
        if c.is_whitespace() || c == '\u{a0}' {
            space = true;
        } else if !c.is_control() && c != '\u{feff}' && c != '\u{200b}' {
            if space && !out.is_empty() {
                out.push(' ');
            }
            space = false;
            out.push(c);
        }
    }
    out
}

/// The text of the bytes: UTF-8, or Windows-1252 when they are no UTF-8 but look like text.
pub fn decode(bytes: &[u8]) -> Result<String, TextError> {
    let bytes = bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(bytes);
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(TextError::Empty);
    }
    if bytes.contains(&0) {
        return Err(TextError::Binary);
    }
    let text = match std::str::from_utf8(bytes) {
        Ok(s) => s.to_owned(),
        // Latin-1 / Windows-1252 text: every byte a character (the C1 range read as Latin-1).
        Err(_) => bytes.iter().map(|&b| b as char).collect(),
    };
    let controls = text
        .chars()
        .filter(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t' | '\u{c}'))
        .count();
    if controls * 100 > text.chars().count().max(1) {
        return Err(TextError::Binary);
    }
    Ok(text)
}

/// The blocks of a file of `kind`.
pub fn blocks(bytes: &[u8], kind: Input) -> Result<Vec<Block>, TextError> {
    let out = match kind {
        Input::Docx => docx(bytes)?,
        Input::Text => text(&decode(bytes)?),
        Input::Markdown => markdown(&decode(bytes)?),
        Input::Html => html(&decode(bytes)?),
    };
    if out.is_empty() {
        return Err(TextError::Empty);
    }
    Ok(out)
}

/// Strips the Markdown-like marks a plain-text notice copied from a web page keeps: `## `,
/// `**bold**`, `[text](#)`.
fn strip_marks(line: &str) -> (bool, String) {
    let t = line.trim();
    let heading = t.starts_with('#');
    let t = t.trim_start_matches('#');
    let mut s = t.replace("**", "").replace("__", "").replace("~~", "");
    // [text](url) → text
    while let Some(open) = s.find('[') {
        let Some(close) = s[open..].find("](").map(|i| open + i) else {
            break;
        };
        let Some(end) = s[close..].find(')').map(|i| close + i) else {
            break;
        };
        let inner = s[open + 1..close].to_owned();
        s.replace_range(open..=end, &inner);
    }
    (heading, clean(&s))
}

/// A bullet or number at the start of a line, and the rest.
fn bullet(line: &str) -> Option<&str> {
    let t = line.trim_start();
    for b in ['•', '·', '▪', '◦', '‣', '–', '-', '*', '○', '●', '■'] {
        if let Some(rest) = t.strip_prefix(b)
            && (rest.starts_with(char::is_whitespace) || b == '•' || b == '▪' || b == '●')
        {
            let rest = rest.trim_start();
            if !rest.is_empty() {
                return Some(rest);
            }
        }
    }
    // "1) text", "a) text"
    let mut chars = t.char_indices();
    let mut end = 0;
    for (i, c) in chars.by_ref() {
        if c.is_ascii_digit() || (i == 0 && c.is_ascii_lowercase()) {
            end = i + c.len_utf8();
        } else {
            break;
        }
    }
    if end > 0 && end <= 3 && t[end..].starts_with(") ") {
        return Some(t[end + 2..].trim_start());
    }
    None
}

/// Plain text: blocks between blank lines; bullet lines are items; `#` lines are headings.
pub fn text(src: &str) -> Vec<Block> {
    let mut out: Vec<Block> = Vec::new();
    let mut para: Vec<String> = Vec::new();
    let flush = |para: &mut Vec<String>, out: &mut Vec<Block>| {
        if !para.is_empty() {
            out.push(Block {
                kind: Kind::Para,
                lines: std::mem::take(para),
            });
        }
    };
    for raw in src.lines() {
        if raw.trim().is_empty() {
            flush(&mut para, &mut out);
            continue;
        }
        if let Some(rest) = bullet(raw) {
            flush(&mut para, &mut out);
            let (_, t) = strip_marks(rest);
            if !t.is_empty() {
                out.push(Block {
                    kind: Kind::Item,
                    lines: vec![t],
                });
            }
            continue;
        }
        let (heading, t) = strip_marks(raw);
        // Code fences and rules of Markdown copied as text.
        if t.is_empty() || t.starts_with("```") || t.starts_with("~~~") || t == "---" {
            continue;
        }
        if heading {
            flush(&mut para, &mut out);
            out.push(Block {
                kind: Kind::Heading,
                lines: vec![t],
            });
        } else {
            para.push(t);
        }
    }
    flush(&mut para, &mut out);
    out
}

/// Collects text into blocks for the structured inputs.
#[derive(Default)]
struct Builder {
    out: Vec<Block>,
    lines: Vec<String>,
    line: String,
}

impl Builder {
    fn push_text(&mut self, s: &str) {
        self.line.push_str(s);
    }
    fn newline(&mut self) {
        let l = clean(&self.line);
        self.line.clear();
        if !l.is_empty() {
            self.lines.push(l);
        }
    }
    fn end(&mut self, kind: Kind) {
        self.newline();
        if !self.lines.is_empty() {
            let lines = std::mem::take(&mut self.lines);
            // A heading is one line.
            let lines = if kind == Kind::Heading {
                vec![lines.join(" ")]
            } else {
                lines
            };
            self.out.push(Block { kind, lines });
        }
    }
}

/// Markdown (CommonMark with tables): headings, paragraphs (soft breaks keep the lines), items.
pub fn markdown(src: &str) -> Vec<Block> {
    use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};
    let mut b = Builder::default();
    let mut kinds: Vec<Kind> = Vec::new();
    for event in Parser::new_ext(src, Options::ENABLE_TABLES) {
        match event {
            Event::Start(Tag::Heading { .. }) => {
                b.end(*kinds.last().unwrap_or(&Kind::Para));
                kinds.push(Kind::Heading);
            }
            Event::Start(Tag::Item) => {
                b.end(*kinds.last().unwrap_or(&Kind::Para));
                kinds.push(Kind::Item);
            }
            Event::Start(Tag::Paragraph | Tag::TableRow | Tag::TableHead)
                if kinds.last() != Some(&Kind::Item) =>
            {
                b.end(Kind::Para);
            }
            Event::End(TagEnd::Heading(_) | TagEnd::Item) => {
                let k = kinds.pop().unwrap_or(Kind::Para);
                b.end(k);
            }
            Event::End(TagEnd::Paragraph | TagEnd::TableRow | TagEnd::TableHead)
                if kinds.last() != Some(&Kind::Item) =>
            {
                b.end(Kind::Para);
            }
            Event::End(TagEnd::TableCell) => b.push_text(" "),
            Event::Text(t) | Event::Code(t) | Event::InlineHtml(t) => b.push_text(&t),
            Event::SoftBreak | Event::HardBreak => b.newline(),
            _ => {}
        }
    }
    b.end(Kind::Para);
    b.out
}

/// HTML: text of the body by block elements; script, style and the head left out.
pub fn html(src: &str) -> Vec<Block> {
    use html5ever::tendril::StrTendril;
    use html5ever::tokenizer::{
        BufferQueue, TagKind, Token, TokenSink, TokenSinkResult, Tokenizer, TokenizerOpts,
    };
    use std::cell::RefCell;

    struct Sink {
        b: RefCell<Builder>,
        kinds: RefCell<Vec<Kind>>,
        skip: RefCell<usize>,
    }
    impl Sink {
        fn kind(&self) -> Kind {
            *self.kinds.borrow().last().unwrap_or(&Kind::Para)
        }
    }
    impl TokenSink for Sink {
        type Handle = ();
        fn process_token(&self, token: Token, _line: u64) -> TokenSinkResult<()> {
            match token {
                Token::TagToken(tag) => {
                    let name: &str = &tag.name;
                    let start = tag.kind == TagKind::StartTag;
                    match name {
                        "script" | "style" | "noscript" | "template" | "head" | "svg" => {
                            let mut skip = self.skip.borrow_mut();
                            if start && !tag.self_closing {
                                *skip += 1;
                                return match name {
                                    "script" => TokenSinkResult::RawData(
                                        html5ever::tokenizer::states::RawKind::ScriptData,
                                    ),
                                    "style" | "noscript" => TokenSinkResult::RawData(
                                        html5ever::tokenizer::states::RawKind::Rawtext,
                                    ),
                                    _ => TokenSinkResult::Continue,
                                };
                            } else if !start {
                                *skip = skip.saturating_sub(1);
                            }
                        }
                        "h1" | "h2" | "h3" | "h4" | "h5" | "h6" | "li" | "dt" => {
                            let k = if name == "li" || name == "dt" {
                                Kind::Item
                            } else {
                                Kind::Heading
                            };
                            let current = self.kind();
                            self.b.borrow_mut().end(current);
                            if start {
                                self.kinds.borrow_mut().push(k);
                            } else {
                                self.kinds.borrow_mut().pop();
                            }
                        }
                        "br" => self.b.borrow_mut().newline(),
                        "td" | "th" => self.b.borrow_mut().push_text(" "),
                        "p" | "div" | "tr" | "ul" | "ol" | "table" | "section" | "article"
                        | "header" | "footer" | "main" | "nav" | "blockquote" | "dd" | "dl"
                        | "address" | "hr" | "body" | "title" | "pre" | "figure" | "figcaption"
                        | "aside" | "form" => {
                            let current = self.kind();
                            self.b.borrow_mut().end(current);
                        }
                        _ => {}
                    }
                }
                Token::CharacterTokens(t) if *self.skip.borrow() == 0 => {
                    self.b.borrow_mut().push_text(&t);
                }
                _ => {}
            }
            TokenSinkResult::Continue
        }
    }
    let sink = Sink {
        b: RefCell::new(Builder::default()),
        kinds: RefCell::new(Vec::new()),
        skip: RefCell::new(0),
    };
    let tok = Tokenizer::new(sink, TokenizerOpts::default());
    let input = BufferQueue::default();
    input.push_back(StrTendril::from_slice(src));
    let _ = tok.feed(&input);
    tok.end();
    let mut b = tok.sink.b.into_inner();
    b.end(Kind::Para);
    b.out
}

/// A Word document: the paragraphs of `word/document.xml`; heading styles are headings, numbered
/// or bulleted paragraphs items. The zip is checked before anything is decompressed: at most
/// [`DOCX_MAX_ENTRIES`] entries, and the document XML is read to at most [`DOCX_MAX_XML`] bytes
/// whatever its header claims, so a zip bomb is an error, not a full disk or memory.
pub fn docx(bytes: &[u8]) -> Result<Vec<Block>, TextError> {
    if bytes.is_empty() {
        return Err(TextError::Empty);
    }
    let bad = |m: String| TextError::Docx(m);
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes))
        .map_err(|e| bad(format!("not a Word document (.docx is a zip file): {e}")))?;
    if zip.len() > DOCX_MAX_ENTRIES {
        return Err(bad(format!(
            "the zip has {} entries, more than the {DOCX_MAX_ENTRIES} a Word document may have",
            zip.len()
        )));
    }
    let entry = zip
        .by_name("word/document.xml")
        .map_err(|_| bad("not a Word document: it has no word/document.xml".into()))?;
    let mut xml = Vec::new();
    entry
        .take(DOCX_MAX_XML + 1)
        .read_to_end(&mut xml)
        .map_err(|e| bad(format!("word/document.xml cannot be read: {e}")))?;
    if xml.len() as u64 > DOCX_MAX_XML {
        return Err(bad(format!(
            "word/document.xml decompresses to more than {} MiB (a zip bomb?)",
            DOCX_MAX_XML / (1024 * 1024)
        )));
    }
    docx_xml(&xml).map_err(bad)
}

/// The paragraphs of WordprocessingML.
fn docx_xml(xml: &[u8]) -> Result<Vec<Block>, String> {
    use quick_xml::events::Event;
    let mut reader = quick_xml::Reader::from_reader(xml);
    let mut b = Builder::default();
    let mut kind = Kind::Para;
    let mut in_text = false;
    let mut buf = Vec::new();
    loop {
        let event = reader
            .read_event_into(&mut buf)
            .map_err(|e| format!("word/document.xml is no well-formed XML: {e}"))?;
        match event {
            Event::Start(e) | Event::Empty(e) => {
                let name = e.name();
                let local = name.local_name();
                let local: &str = local.as_ref();
                match local {
                    "p" => kind = Kind::Para,
                    "t" => in_text = true,
                    "tab" => b.push_text(" "),
                    "br" | "cr" => b.newline(),
                    "numPr" => kind = Kind::Item,
                    "pStyle" => {
                        for a in e.attributes().flatten() {
                            let key = a.key.local_name();
                            let key: &str = key.as_ref();
                            if key == "val" {
                                let v = a.value.to_lowercase();
                                if v.starts_with("heading")
                                    || v.starts_with("otsikko")
                                    || v.starts_with("rubrik")
                                    || v == "title"
                                {
                                    kind = Kind::Heading;
                                } else if v.contains("list") || v.contains("luettelo") {
                                    kind = Kind::Item;
                                }
                            }
                        }
                    }
                    _ => {}
                }
            }
            Event::End(e) => {
                let name = e.name();
                let local = name.local_name();
                let local: &str = local.as_ref();
                match local {
                    "t" => in_text = false,
                    "p" => b.end(kind),
                    "tc" => b.push_text(" "),
                    _ => {}
                }
            }
            Event::Text(t) if in_text => b.push_text(&t.xml10_content()),
            Event::GeneralRef(r) if in_text => {
                let name = r.xml10_content();
                let s = match name.as_ref() {
                    "amp" => "&".to_owned(),
                    "lt" => "<".to_owned(),
                    "gt" => ">".to_owned(),
                    "quot" => "\"".to_owned(),
                    "apos" => "'".to_owned(),
                    n => n
                        .strip_prefix("#x")
                        .and_then(|h| u32::from_str_radix(h, 16).ok())
                        .or_else(|| n.strip_prefix('#').and_then(|d| d.parse().ok()))
                        .and_then(char::from_u32)
                        .map(String::from)
                        .unwrap_or_default(),
                };
                b.push_text(&s);
            }
            Event::Eof => break,
            _ => {}
        }
        buf.clear();
    }
    b.end(kind);
    Ok(b.out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn text_blocks() {
        let b = text("## **1 Rekisterinpitäjä**\n\nKEHA\nPL 1, 00100 X  \n\n • yksi\n • kaksi\n");
        assert_eq!(b[0].kind, Kind::Heading);
        assert_eq!(b[0].lines, vec!["1 Rekisterinpitäjä"]);
        assert_eq!(b[1].lines, vec!["KEHA", "PL 1, 00100 X"]);
        assert_eq!(b[2].kind, Kind::Item);
        assert_eq!(b[3].lines, vec!["kaksi"]);
    }

    #[test]
    fn markdown_blocks() {
        let b = markdown("# Otsikko\n\nrivi 1\nrivi 2\n\n- a\n- b *c*\n");
        assert_eq!(b[0].kind, Kind::Heading);
        assert_eq!(b[1].lines, vec!["rivi 1", "rivi 2"]);
        assert_eq!(b[3].lines, vec!["b c"]);
    }

    #[test]
    fn html_blocks() {
        let b = html(
            "<html><head><title>x</title><style>p{}</style></head><body><h2>1. Rekisterinpitäjä</h2><p>A &amp; B<br>PL 1</p><script>var a='<p>';</script><ul><li>yksi</li><li>kaksi</li></ul></body></html>",
        );
        assert_eq!(b[0].kind, Kind::Heading);
        assert_eq!(b[1].lines, vec!["A & B", "PL 1"]);
        assert_eq!(b[2].kind, Kind::Item);
        assert_eq!(b.len(), 4, "{b:?}");
    }

    #[test]
    fn empty_and_binary() {
        assert_eq!(decode(b" \n\t"), Err(TextError::Empty));
        assert_eq!(decode(b"ab\0cd"), Err(TextError::Binary));
        assert!(decode(b"caf\xe9").is_ok());
        assert!(matches!(docx(b"not a zip"), Err(TextError::Docx(_))));
    }

    proptest! {
        #[test]
        fn extractors_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..400)) {
            for kind in [Input::Text, Input::Markdown, Input::Html, Input::Docx] {
                let _ = blocks(&bytes, kind);
            }
            let _ = docx_xml(&bytes);
        }

        #[test]
        fn extractors_never_panic_on_strings(s in "\\PC{0,300}") {
            let _ = text(&s);
            let _ = markdown(&s);
            let _ = html(&s);
            for b in text(&s).iter().chain(html(&s).iter()) {
                prop_assert!(b.lines.iter().all(|l| !l.is_empty() && l.trim() == l));
            }
        }
    }
}
