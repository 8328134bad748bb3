//! What is at a place in a register: the field under the cursor in the parsed tree (hover), or,
//! read from the indentation of the lines above, where a line being typed sits in the format
//! (completion: the text is often not valid YAML while it is typed).

use std::sync::LazyLock;

use regex::Regex;

use super::schema::Step;
use crate::document::{Node, NodeKind, Span};

/// The key under `offset` in the tree: its path (with the key last) and its span.
pub fn key_at(root: &Node, offset: usize) -> Option<(Vec<Step>, Span)> {
    let on_key = |s: Span| s.start <= offset && offset <= s.end;
    // A value's span includes its start even when empty.
    let in_value = |s: Span| s.start <= offset && offset < s.end.max(s.start + 1);
    let mut path = Vec::new();
    let mut node = root;
    loop {
        node = match &node.kind {
            NodeKind::Map(entries) => {
                let e = entries
                    .iter()
                    .find(|e| on_key(e.key_span) || in_value(e.value.span))?;
                path.push(Step::Key(e.key.clone()));
                if on_key(e.key_span) {
                    return Some((path, e.key_span));
                }
                &e.value
            }
            NodeKind::Seq(items) => {
                path.push(Step::Item);
                items.iter().find(|i| in_value(i.span))?
            }
            _ => return None,
        }
    }
}

/// Where a line being typed sits.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LineContext {
    /// The path of the mapping or list the line is in (keys and list items of the lines above).
    pub parents: Vec<Step>,
    /// The line's own list items (`- - x`: two).
    pub items: usize,
    /// The line's key, when the cursor is after its `:`.
    pub key: Option<String>,
    /// The value typed so far after `key:`, up to the cursor (`[a, b` for a flow list).
    pub value: Option<String>,
    /// The word before the cursor and where it starts (what a completion replaces).
    pub word: (String, usize),
    /// The text of the line up to the cursor is inside a comment.
    pub comment: Option<String>,
}

impl LineContext {
    /// The path of the value at the cursor: the parents, the line's list items, its key, and an
    /// item of a flow list being typed.
    pub fn value_path(&self) -> Vec<Step> {
        let mut p = self.parents.clone();
        p.extend(std::iter::repeat_n(Step::Item, self.items));
        if let Some(k) = &self.key {
            p.push(Step::Key(k.clone()));
            if self
                .value
                .as_deref()
                .is_some_and(|v| v.trim_start().starts_with('['))
            {
                p.push(Step::Item);
            }
        }
        p
    }
}

/// `  - - key: value`: indentation, list dashes, key.
static LINE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"^(?P<indent> *)(?P<dashes>(?:-(?: +|$))*)(?:(?P<key>[A-Za-z_][A-Za-z0-9_-]*|"[^"]*"|'[^']*') *:(?: |$))?"#)
        .expect("static regex")
});

/// A line's shape: the column of each dash, the column and text of its key.
fn shape(line: &str) -> (Vec<usize>, Option<(usize, String)>) {
    let Some(c) = LINE.captures(line) else {
        return (Vec::new(), None);
    };
    let indent = c.name("indent").map_or(0, |m| m.len());
    let dashes = c.name("dashes").map_or(Vec::new(), |d| {
        d.as_str()
            .match_indices('-')
            .map(|(i, _)| indent + i)
            .collect()
    });
    let key = c.name("key").map(|k| {
        let text = k.as_str().trim_matches(['"', '\'']).to_owned();
        (k.start(), text)
    });
    (dashes, key)
}

/// Where the line at `offset` of `text` sits, read from its indentation and the lines above.
pub fn line_context(text: &str, offset: usize) -> LineContext {
    let offset = crate::document::floor_char_boundary(text, offset);
    let start = text[..offset].rfind('\n').map_or(0, |i| i + 1);
    let before = &text[start..offset];
    let word_start = before
        .rfind(|c: char| c.is_whitespace() || "[],:{}\"'".contains(c))
        .map_or(0, |i| {
            i + before[i..].chars().next().map_or(1, char::len_utf8)
        });
    let word = (before[word_start..].to_owned(), start + word_start);
    let comment = comment_start(before).map(|i| before[i..].to_owned());
    let (dashes, key) = shape(before);
    let first_col = dashes
        .first()
        .copied()
        .or(key.as_ref().map(|(c, _)| *c))
        .unwrap_or_else(|| before.len() - before.trim_start_matches(' ').len());
    let (key, value) = match key {
        Some((col, k)) => {
            let after = &before[col..];
            let colon = after.find(':').map_or(after.len(), |i| i + 1);
            (Some(k), Some(after[colon..].to_owned()))
        }
        None => (None, None),
    };
    LineContext {
        parents: parents(&text[..start], first_col),
        items: dashes.len(),
        key,
        value,
        word,
        comment,
    }
}

/// The path of the block a line starting at column `limit` is in, from the lines above it.
fn parents(above: &str, mut limit: usize) -> Vec<Step> {
    let mut path = Vec::new();
    for line in above.lines().rev() {
        if limit == 0 {
            break;
        }
        let line = line.trim_end_matches('\r');
        let content = line.trim_start_matches(' ');
        if content.is_empty() || content.starts_with('#') {
            continue;
        }
        let indent = line.len() - content.len();
        if indent >= limit {
            continue;
        }
        let (dashes, key) = shape(line);
        let mut steps = Vec::new();
        if let Some((col, k)) = key
            && col < limit
        {
            steps.push(Step::Key(k));
            limit = col;
        }
        for col in dashes.into_iter().rev() {
            if col < limit {
                steps.push(Step::Item);
                limit = col;
            }
        }
        if steps.is_empty() {
            // A line of a text (a block scalar, a wrapped plain scalar): not a parent.
            limit = limit.min(indent.max(1));
            continue;
        }
        path.extend(steps);
    }
    path.reverse();
    path
}

/// Where a comment starts in a line (a `#` at the start or after a blank, outside quotes).
fn comment_start(line: &str) -> Option<usize> {
    let mut quote: Option<char> = None;
    let mut prev = ' ';
    for (i, c) in line.char_indices() {
        match quote {
            Some(q) if c == q => quote = None,
            Some(_) => {}
            None if (c == '"' || c == '\'') && " :[,-".contains(prev) => quote = Some(c),
            // `prev` starts as a blank: a `#` at the start of the line is a comment too.
            None if c == '#' && prev.is_whitespace() => return Some(i),
            None => {}
        }
        prev = c;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str) -> LineContext {
        let offset = text.find('|').expect("cursor");
        let text = text.replacen('|', "", 1);
        line_context(&text, offset)
    }

    fn keys(steps: &[Step]) -> Vec<String> {
        steps
            .iter()
            .map(|s| match s {
                Step::Key(k) => k.clone(),
                Step::Item => "[]".to_owned(),
            })
            .collect()
    }

    #[test]
    fn a_value_being_typed_in_a_list_item() {
        let c = at(
            "seloste: 1\npurposes:\n  - id: x\n    description: >-\n      text\n    legal_basis: con|\n",
        );
        assert_eq!(keys(&c.value_path()), ["purposes", "[]", "legal_basis"]);
        assert_eq!(c.word.0, "con");
    }

    #[test]
    fn an_item_of_a_nested_list_and_a_flow_list() {
        let c = at("purposes:\n  - id: x\n    categories:\n      - ba|\n");
        assert_eq!(
            keys(&c.value_path()),
            ["purposes", "[]", "categories", "[]"]
        );
        let c = at("sources:\n  - kind: public\n    categories: [basic, |]\n");
        assert_eq!(keys(&c.value_path()), ["sources", "[]", "categories", "[]"]);
        assert_eq!(c.word.0, "");
    }

    #[test]
    fn a_comment_and_a_key_at_the_top() {
        let c = at("seloste: 1\nid: x # seloste: allow gdpr/|\n");
        assert_eq!(c.comment.as_deref(), Some("# seloste: allow gdpr/"));
        assert_eq!(c.word.0, "gdpr/");
        let c = at("seloste: 1\nlang|");
        assert_eq!(keys(&c.value_path()), Vec::<String>::new());
        assert_eq!(c.key, None);
    }

    #[test]
    fn the_key_under_the_cursor_in_the_tree() {
        let text = "seloste: 1\npurposes:\n  - id: x\n    legal_basis: contract\n";
        let doc = crate::document::load(text.as_bytes(), Default::default()).expect("yaml");
        let (path, span) = key_at(&doc.root, text.find("basis").unwrap()).expect("key");
        assert_eq!(keys(&path), ["purposes", "[]", "legal_basis"]);
        assert_eq!(&text[span.start..span.end], "legal_basis");
        assert!(key_at(&doc.root, text.find("contract").unwrap()).is_none());
    }
}
