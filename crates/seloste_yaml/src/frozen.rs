//! A parsed YAML tree as bytes: `build.rs` parses the built-in rule files once per build and
//! embeds their trees, so that a lint run does not parse them again at every start (parsing them
//! was a third of the instructions of a one-file run).
//!
//! The format is private to one build (writer and reader are this file, used by the build script
//! and by the binary): per node a tag byte, the span's start and end, then the value;
//! numbers are LEB128 varints, strings are a length and UTF-8 bytes.

use super::tree::{Entry, Node, NodeKind, Span};

const NULL: u8 = 0;
const FALSE: u8 = 1;
const TRUE: u8 = 2;
const INT: u8 = 3;
const FLOAT: u8 = 4;
const STR: u8 = 5;
const SEQ: u8 = 6;
const MAP: u8 = 7;

/// Appends `node` to `out`.
pub fn freeze(node: &Node, out: &mut Vec<u8>) {
    let tag = match &node.kind {
        NodeKind::Null => NULL,
        NodeKind::Bool(false) => FALSE,
        NodeKind::Bool(true) => TRUE,
        NodeKind::Int(_) => INT,
        NodeKind::Float(_) => FLOAT,
        NodeKind::Str(_) => STR,
        NodeKind::Seq(_) => SEQ,
        NodeKind::Map(_) => MAP,
    };
    out.push(tag);
    span(node.span, out);
    match &node.kind {
        NodeKind::Null | NodeKind::Bool(_) => {}
        // Zigzag: small negative numbers stay short.
        NodeKind::Int(i) => varint(((*i << 1) ^ (*i >> 63)) as u64, out),
        NodeKind::Float(f) => out.extend_from_slice(&f.to_bits().to_le_bytes()),
        NodeKind::Str(s) => string(s, out),
        NodeKind::Seq(items) => {
            varint(items.len() as u64, out);
            items.iter().for_each(|n| freeze(n, out));
        }
        NodeKind::Map(entries) => {
            varint(entries.len() as u64, out);
            for e in entries {
                string(&e.key, out);
                span(e.key_span, out);
                freeze(&e.value, out);
            }
        }
    }
}

/// The tree `freeze` wrote, or `None` when `bytes` is not one (truncated, or trailing bytes).
pub fn thaw(bytes: &[u8]) -> Option<Node> {
    let mut r = Reader { bytes, at: 0 };
    let node = r.node(0)?;
    (r.at == bytes.len()).then_some(node)
}

fn span(s: Span, out: &mut Vec<u8>) {
    varint(s.start as u64, out);
    varint(s.end as u64, out);
}

fn string(s: &str, out: &mut Vec<u8>) {
    varint(s.len() as u64, out);
    out.extend_from_slice(s.as_bytes());
}

fn varint(mut v: u64, out: &mut Vec<u8>) {
    while v >= 0x80 {
        out.push((v as u8) | 0x80);
        v >>= 7;
    }
    out.push(v as u8);
}

struct Reader<'a> {
    bytes: &'a [u8],
    at: usize,
}

/// Deeper than any rule file; bounds the recursion on bytes that are not a frozen tree.
const MAX_DEPTH: usize = 64;

impl Reader<'_> {
    fn node(&mut self, depth: usize) -> Option<Node> {
        if depth > MAX_DEPTH {
            return None;
        }
        let tag = self.byte()?;
        let span = self.span()?;
        let kind = match tag {
            NULL => NodeKind::Null,
            FALSE => NodeKind::Bool(false),
            TRUE => NodeKind::Bool(true),
            INT => {
                let z = self.varint()?;
                NodeKind::Int(((z >> 1) as i64) ^ -((z & 1) as i64))
            }
            FLOAT => {
                let bytes = self.take(8)?.try_into().ok()?;
                NodeKind::Float(f64::from_bits(u64::from_le_bytes(bytes)))
            }
            STR => NodeKind::Str(self.string()?),
            SEQ => {
                let n = self.count(3)?;
                let mut items = Vec::with_capacity(n);
                for _ in 0..n {
                    items.push(self.node(depth + 1)?);
                }
                NodeKind::Seq(items)
            }
            MAP => {
                let n = self.count(3)?;
                let mut entries = Vec::with_capacity(n);
                for _ in 0..n {
                    // Read in the order written: key, its span, value.
                    entries.push(Entry {
                        key: self.string()?,
                        key_span: self.span()?,
                        value: self.node(depth + 1)?,
                    });
                }
                NodeKind::Map(entries)
            }
            _ => return None,
        };
        Some(Node { span, kind })
    }

    fn byte(&mut self) -> Option<u8> {
        let b = *self.bytes.get(self.at)?;
        self.at += 1;
        Some(b)
    }

    fn take(&mut self, n: usize) -> Option<&[u8]> {
        let slice = self.bytes.get(self.at..self.at.checked_add(n)?)?;
        self.at += n;
        Some(slice)
    }

    fn varint(&mut self) -> Option<u64> {
        let mut v = 0u64;
        for shift in (0..64).step_by(7) {
            let b = self.byte()?;
            v |= u64::from(b & 0x7f) << shift;
            if b < 0x80 {
                return Some(v);
            }
        }
        None
    }

    /// A count of things of `size` bytes at least (a string's bytes: 1; nodes or entries: 3, a
    /// tag, a start and an end): no more than fit in what is left to read (bounds what a bad blob
    /// can make us reserve).
    fn count(&mut self, size: usize) -> Option<usize> {
        usize::try_from(self.varint()?)
            .ok()
            .filter(|n| *n <= (self.bytes.len() - self.at) / size)
    }

    fn span(&mut self) -> Option<Span> {
        let start = usize::try_from(self.varint()?).ok()?;
        let end = usize::try_from(self.varint()?).ok()?;
        Some(Span { start, end })
    }

    fn string(&mut self) -> Option<String> {
        let n = self.count(1)?;
        let bytes = self.take(n)?;
        std::str::from_utf8(bytes).ok().map(str::to_owned)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Budget, parse};

    const YAML: &str = "id: a/b\nn: -3\nbig: 9223372036854775807\nf: 1.5\nt: true\nno: false\n\
                        nothing: null\nlist: [x, 'ä', {k: v}]\nmsg: >-\n  two\n  lines\n";

    fn tree() -> Node {
        parse(YAML, 0, Budget::default())
            .ok()
            .and_then(|p| p.root)
            .expect("parses")
    }

    #[test]
    fn a_tree_thaws_as_it_was_frozen() {
        let root = tree();
        let mut bytes = Vec::new();
        freeze(&root, &mut bytes);
        assert_eq!(thaw(&bytes), Some(root));
    }

    #[test]
    fn bytes_that_are_not_a_tree_do_not_thaw() {
        let mut bytes = Vec::new();
        freeze(&tree(), &mut bytes);
        for end in 0..bytes.len() {
            assert_eq!(thaw(&bytes[..end]), None, "cut at {end}");
        }
        let mut longer = bytes.clone();
        longer.push(0);
        assert_eq!(thaw(&longer), None, "trailing byte");
        // Every single-byte change either thaws to some tree or to none: no panic, no hang.
        for i in 0..bytes.len() {
            for b in [0x00, 0x07, 0x08, 0x7f, 0x80, 0xff] {
                let mut changed = bytes.clone();
                changed[i] = b;
                let _ = thaw(&changed);
            }
        }
        assert_eq!(
            thaw(&[SEQ, 0, 0, 0xff, 0xff, 0xff, 0xff, 0x0f]),
            None,
            "huge count"
        );
    }
}
