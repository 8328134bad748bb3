//! YAML text → [`Node`] tree, from saphyr-parser's spanned events, under a budget.
//!
//! The budget makes hostile input cheap to reject: alias bombs are counted as the nodes they expand
//! to, nesting is capped, and the walk is iterative, so neither the stack nor memory can run away.

use std::collections::HashMap;

use saphyr_parser::{Event, Parser, ScalarStyle, ScanError};

use super::tree::{Entry, Node, NodeKind, Span};

/// Limits for one document. The defaults are far above any real register and far below harm.
#[derive(Debug, Clone, Copy)]
pub struct Budget {
    /// Nodes in the tree, with every alias counted as the nodes it expands to.
    pub max_nodes: usize,
    /// Nesting depth of mappings and sequences.
    pub max_depth: usize,
}

impl Default for Budget {
    fn default() -> Self {
        Budget {
            max_nodes: 200_000,
            max_depth: 64,
        }
    }
}

/// Why a source did not become a tree; always with the place it happened.
#[derive(Debug, Clone, PartialEq)]
pub struct ParseError {
    pub message: String,
    pub span: Span,
    /// A fix to suggest, when we know one.
    pub help: Option<String>,
}

impl ParseError {
    fn new(message: impl Into<String>, span: Span) -> Self {
        ParseError {
            message: message.into(),
            span,
            help: None,
        }
    }

    fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }
}

/// A problem found while building the tree that does not stop it (a duplicate key).
#[derive(Debug, Clone, PartialEq)]
pub struct DuplicateKey {
    pub key: String,
    pub span: Span,
    pub first: Span,
}

/// The parsed document: `None` when the stream holds no document at all (an empty file).
#[derive(Debug)]
pub struct Parsed {
    pub root: Option<Node>,
    pub duplicates: Vec<DuplicateKey>,
}

/// saphyr-parser reports positions in characters; we keep bytes. Events arrive almost in source
/// order, so a forward-moving cursor converts in amortised O(1) and restarts when it must go back.
struct Offsets<'a> {
    src: &'a str,
    base: usize,
    ascii: bool,
    /// For each non-ASCII char: the index of the char after it and the bytes beyond one per char
    /// up to there. Built on the first lookup in a non-ASCII source: saphyr's markers count
    /// chars, our spans count bytes, and events do not come in source order.
    wide: Vec<(usize, usize)>,
    /// How many entries of `wide` the last lookup was past: lookups mostly move a little forward.
    cursor: usize,
}

impl<'a> Offsets<'a> {
    fn new(src: &'a str, base: usize) -> Self {
        Offsets {
            src,
            base,
            ascii: src.is_ascii(),
            wide: Vec::new(),
            cursor: 0,
        }
    }

    fn byte(&mut self, char_index: usize) -> usize {
        if self.ascii {
            return self.base + char_index.min(self.src.len());
        }
        if self.wide.is_empty() {
            let mut extra = 0;
            for (i, &b) in self.src.as_bytes().iter().enumerate() {
                if b >= 0xC0 {
                    // A leading byte: its leading ones are the char's length.
                    let len = b.leading_ones() as usize;
                    extra += len - 1;
                    // `i - (extra - (len - 1))` is this char's index; the next one follows it.
                    self.wide.push((i + len - extra, extra));
                }
            }
        }
        // A few steps from the last position, else a binary search (no quadratic worst case).
        let mut at = self.cursor;
        let mut steps = 0;
        while steps < 8 && at < self.wide.len() && self.wide[at].0 <= char_index {
            at += 1;
            steps += 1;
        }
        while steps < 8 && at > 0 && self.wide[at - 1].0 > char_index {
            at -= 1;
            steps += 1;
        }
        let settled = (at == 0 || self.wide[at - 1].0 <= char_index)
            && (at == self.wide.len() || self.wide[at].0 > char_index);
        if !settled {
            at = self.wide.partition_point(|&(next, _)| next <= char_index);
        }
        self.cursor = at;
        let extra = at.checked_sub(1).map_or(0, |k| self.wide[k].1);
        self.base + (char_index + extra).min(self.src.len())
    }

    fn span(&mut self, s: saphyr_parser::Span) -> Span {
        let start = self.byte(s.start.index());
        let end = self.byte(s.end.index()).max(start);
        Span::new(start, end)
    }
}

/// A collection being read: where it starts, whether it is a flow one (`[`, `{`), its anchor,
/// what it holds so far.
struct Frame {
    start: Span,
    flow: bool,
    anchor: usize,
    body: Body,
}

enum Body {
    Seq(Vec<Node>),
    /// The entries, and the key whose value comes next.
    Map(Vec<Entry>, Option<(String, Span)>),
}

#[derive(Default)]
struct Builder {
    budget: Budget,
    nodes: usize,
    stack: Vec<Frame>,
    anchors: HashMap<usize, (Node, usize)>,
    root: Option<Node>,
    duplicates: Vec<DuplicateKey>,
}

impl Builder {
    fn charge(&mut self, n: usize, span: Span) -> Result<(), ParseError> {
        self.nodes = self.nodes.saturating_add(n);
        if self.nodes > self.budget.max_nodes {
            return Err(ParseError::new(
                format!(
                    "the document expands to more than {} nodes (aliases counted as what they expand to)",
                    self.budget.max_nodes
                ),
                span,
            )
            .with_help("a register is a few hundred nodes; remove the alias chain or split the file"));
        }
        Ok(())
    }

    fn open(
        &mut self,
        span: Span,
        anchor: usize,
        flow: bool,
        body: Body,
    ) -> Result<(), ParseError> {
        if self.stack.len() >= self.budget.max_depth {
            return Err(ParseError::new(
                format!("nesting deeper than {} levels", self.budget.max_depth),
                span,
            )
            .with_help("a register nests only a few levels; flatten this structure"));
        }
        self.charge(1, span)?;
        self.stack.push(Frame {
            start: span,
            flow,
            anchor,
            body,
        });
        Ok(())
    }

    /// Adds a finished node to its parent (or makes it the root) and records its anchor.
    fn finish(&mut self, node: Node, anchor: usize) -> Result<(), ParseError> {
        if anchor > 0 {
            self.anchors.insert(anchor, (node.clone(), node.count()));
        }
        match self.stack.last_mut().map(|f| &mut f.body) {
            None => self.root = Some(node),
            Some(Body::Seq(items)) => items.push(node),
            Some(Body::Map(entries, key)) => match key.take() {
                None => {
                    let name = match node.kind {
                        NodeKind::Str(s) => s,
                        NodeKind::Null => String::new(),
                        NodeKind::Bool(b) => b.to_string(),
                        NodeKind::Int(i) => i.to_string(),
                        NodeKind::Float(f) => f.to_string(),
                        NodeKind::Seq(_) | NodeKind::Map(_) => {
                            return Err(ParseError::new(
                                "a mapping key must be a plain string, not a list or mapping",
                                node.span,
                            ));
                        }
                    };
                    *key = Some((name, node.span));
                }
                Some((name, key_span)) => {
                    if let Some(first) = entries.iter().find(|e| e.key == name) {
                        self.duplicates.push(DuplicateKey {
                            key: name,
                            span: key_span,
                            first: first.key_span,
                        });
                    } else {
                        entries.push(Entry {
                            key: name,
                            key_span,
                            value: node,
                        });
                    }
                }
            },
        }
        Ok(())
    }

    fn close(&mut self, end: Span) -> Result<(), ParseError> {
        let Some(frame) = self.stack.pop() else {
            return Err(ParseError::new("unbalanced end of collection", end));
        };
        let (last, kind) = match frame.body {
            Body::Seq(items) => (items.last().map(|n| n.span.end), NodeKind::Seq(items)),
            Body::Map(entries, _) => (
                entries.last().map(|e| e.value.span.end),
                NodeKind::Map(entries),
            ),
        };
        let last = last.unwrap_or(frame.start.end);
        let span_end = if frame.flow { end.end.max(last) } else { last };
        let node = Node::new(Span::new(frame.start.start, span_end), kind);
        self.finish(node, frame.anchor)
    }
}

/// Parses one YAML document. `base` is the byte offset of `text` inside the file (after a BOM).
pub fn parse(text: &str, base: usize, budget: Budget) -> Result<Parsed, ParseError> {
    let mut offsets = Offsets::new(text, base);
    let mut parser = Parser::new_from_str(text);
    let mut builder = Builder {
        budget,
        ..Builder::default()
    };
    let mut documents = 0usize;
    while let Some(event) = parser.next_event() {
        let (event, raw_span) = event.map_err(|e| scan_error(&e, &mut offsets))?;
        let span = offsets.span(raw_span);
        match event {
            Event::StreamStart | Event::Nothing | Event::DocumentEnd => {}
            Event::StreamEnd => break,
            Event::DocumentStart(_) => {
                documents += 1;
                if documents > 1 {
                    return Err(ParseError::new(
                        "a second YAML document starts here; a register file holds exactly one",
                        span,
                    )
                    .with_help("move each register into a file of its own"));
                }
            }
            Event::Alias(id) => {
                let Some((node, count)) = builder.anchors.get(&id).cloned() else {
                    return Err(ParseError::new("alias to an unknown anchor", span));
                };
                builder.charge(count, span)?;
                builder.finish(node, 0)?;
            }
            Event::Scalar(value, style, anchor, tag) => {
                builder.charge(1, span)?;
                let is_str = tag
                    .as_deref()
                    .is_some_and(|t| t.suffix == "str" || t.suffix.ends_with(":str"));
                let kind = if style != ScalarStyle::Plain || is_str {
                    NodeKind::Str(value.into_owned())
                } else {
                    resolve_plain(&value)
                };
                builder.finish(Node::new(span, kind), anchor)?;
            }
            Event::SequenceStart(anchor, _) => {
                let flow = text_at(text, span.start - base) == Some('[');
                builder.open(span, anchor, flow, Body::Seq(Vec::new()))?;
            }
            Event::MappingStart(anchor, _) => {
                let flow = text_at(text, span.start - base) == Some('{');
                builder.open(span, anchor, flow, Body::Map(Vec::new(), None))?;
            }
            Event::SequenceEnd | Event::MappingEnd => {
                // The end event of a flow collection also covers the blanks and a comment after
                // the closing bracket: the collection ends at the bracket.
                let end = match text_at(text, span.start - base) {
                    Some(']' | '}') => Span::new(span.start, span.start + 1),
                    _ => span,
                };
                builder.close(end)?
            }
        }
    }
    Ok(Parsed {
        root: builder.root,
        duplicates: builder.duplicates,
    })
}

fn text_at(text: &str, byte: usize) -> Option<char> {
    text.get(byte..).and_then(|s| s.chars().next())
}

fn scan_error(e: &ScanError, offsets: &mut Offsets) -> ParseError {
    let at = offsets.byte(e.marker().index());
    let info = e.info();
    if info.contains("recursion limit") {
        return ParseError::new("nesting too deep for a register", Span::new(at, at))
            .with_help("a register nests only a few levels; flatten this structure");
    }
    let mut err = ParseError::new(format!("invalid YAML: {info}"), Span::new(at, at));
    if info.contains("tab") {
        err = err.with_help("YAML indentation must use spaces, not tabs");
    }
    err
}

/// Resolves a plain scalar with the YAML 1.2 core schema.
pub fn resolve_plain(v: &str) -> NodeKind {
    // Most plain scalars are words: only these first bytes can start a null, a boolean or a
    // number of the core schema.
    let special = |b: u8| b.is_ascii_digit() || b"-+.~nNtTfF".contains(&b);
    if v.as_bytes().first().is_some_and(|&b| !special(b)) {
        return NodeKind::Str(v.to_owned());
    }
    match v {
        "" | "~" | "null" | "Null" | "NULL" => return NodeKind::Null,
        "true" | "True" | "TRUE" => return NodeKind::Bool(true),
        "false" | "False" | "FALSE" => return NodeKind::Bool(false),
        ".inf" | ".Inf" | ".INF" | "+.inf" | "+.Inf" | "+.INF" => {
            return NodeKind::Float(f64::INFINITY);
        }
        "-.inf" | "-.Inf" | "-.INF" => return NodeKind::Float(f64::NEG_INFINITY),
        ".nan" | ".NaN" | ".NAN" => return NodeKind::Float(f64::NAN),
        _ => {}
    }
    if let Some(i) = parse_int(v) {
        return NodeKind::Int(i);
    }
    if is_float(v)
        && let Ok(f) = v.parse::<f64>()
    {
        return NodeKind::Float(f);
    }
    NodeKind::Str(v.to_owned())
}

fn parse_int(v: &str) -> Option<i64> {
    if let Some(hex) = v.strip_prefix("0x") {
        return i64::from_str_radix(hex, 16).ok();
    }
    if let Some(oct) = v.strip_prefix("0o") {
        return i64::from_str_radix(oct, 8).ok();
    }
    let digits = v.strip_prefix(['-', '+']).unwrap_or(v);
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    v.parse::<i64>().ok()
}

fn is_float(v: &str) -> bool {
    let s = v.strip_prefix(['-', '+']).unwrap_or(v);
    let (mantissa, exp) = s
        .split_once(['e', 'E'])
        .map_or((s, None), |(m, e)| (m, Some(e)));
    let (int_part, frac) = mantissa
        .split_once('.')
        .map_or((mantissa, None), |(i, f)| (i, Some(f)));
    let digits = |x: &str| x.bytes().all(|b| b.is_ascii_digit());
    let mantissa_ok = match frac {
        Some(f) => digits(int_part) && digits(f) && !(int_part.is_empty() && f.is_empty()),
        None => !int_part.is_empty() && digits(int_part),
    };
    let exp_ok = exp.is_none_or(|e| {
        let e = e.strip_prefix(['-', '+']).unwrap_or(e);
        !e.is_empty() && digits(e)
    });
    mantissa_ok && exp_ok && (frac.is_some() || exp.is_some())
}

#[cfg(test)]
mod tests {
    use super::Offsets;

    #[test]
    fn char_offsets_become_byte_offsets_in_any_order() {
        let src = "a: Äänekoski € 𝄞\nb: ö\n";
        let expected: Vec<usize> = src
            .char_indices()
            .map(|(i, _)| i)
            .chain([src.len()])
            .collect();
        let mut offsets = Offsets::new(src, 3);
        // Backwards, then forwards: events do not come in source order.
        for k in (0..expected.len()).rev().chain(0..expected.len()) {
            assert_eq!(offsets.byte(k), 3 + expected[k], "char {k}");
        }
        assert_eq!(offsets.byte(expected.len() + 5), 3 + src.len());
        let mut ascii = Offsets::new("abc", 0);
        assert_eq!((ascii.byte(1), ascii.byte(9)), (1, 3));
    }
}
