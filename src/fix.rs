//! Fixes: applying the edits findings carry (`lint --fix`, `--diff`, the editor's "fix all"), and
//! writing a replacement value into a YAML scalar so that only its text changes (quoting style,
//! comments, indentation and line breaks kept), checked by parsing the result.

use crate::document::{self, Budget, Node, Segment, Span};
use crate::finding::{Edit, Finding, Fix, Safety};

/// Which fixes to apply.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Apply {
    /// Only fixes marked safe (`--fix`).
    Safe,
    /// Unsafe ones too (`--fix --unsafe-fixes`).
    All,
}

impl Apply {
    pub fn takes(self, fix: &Fix) -> bool {
        self == Apply::All || fix.safety == Safety::Safe
    }
}

/// The source with the chosen fixes of `findings` applied, and how many were. A fix whose edits
/// overlap the edits of one applied before it is left out (the next run offers it again, on the
/// text that the first fix made). Edits are applied from the end, so spans stay valid.
pub fn apply<'f>(
    source: &str,
    findings: impl IntoIterator<Item = &'f Finding>,
    which: Apply,
) -> (String, usize) {
    let mut chosen: Vec<&Edit> = Vec::new();
    let mut applied = 0;
    for f in findings {
        let Some(fix) = f.fixes.iter().find(|x| which.takes(x)) else {
            continue;
        };
        let overlaps = fix.edits.iter().any(|e| {
            chosen.iter().any(|c| {
                e.span.start < c.span.end.max(c.span.start + 1)
                    && c.span.start < e.span.end.max(e.span.start + 1)
            })
        });
        let inside = fix.edits.iter().all(|e| {
            e.span.start <= e.span.end
                && e.span.end <= source.len()
                && source.is_char_boundary(e.span.start)
                && source.is_char_boundary(e.span.end)
        });
        if overlaps || !inside {
            continue;
        }
        chosen.extend(fix.edits.iter());
        applied += 1;
    }
    chosen.sort_by_key(|e| std::cmp::Reverse(e.span.start));
    let mut out = source.to_owned();
    for e in chosen {
        out.replace_range(e.span.start..e.span.end, &e.text);
    }
    (out, applied)
}

/// How a scalar is written in the source.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Style {
    Plain,
    Single,
    Double,
    /// `|` or `>`: the text follows on the next lines.
    Block,
}

fn style(source: &str, span: Span) -> Style {
    match source.as_bytes().get(span.start) {
        Some(b'\'') => Style::Single,
        Some(b'"') => Style::Double,
        Some(b'|' | b'>') => Style::Block,
        _ => Style::Plain,
    }
}

/// `text` as it is written inside a scalar of `style`.
fn escape(text: &str, style: Style) -> String {
    match style {
        Style::Plain | Style::Block => text.to_owned(),
        Style::Single => text.replace('\'', "''"),
        // Backslashes first: those of the other escapes are not to be doubled.
        Style::Double => text
            .replace('\\', "\\\\")
            .replace('"', "\\\"")
            .replace('\n', "\\n")
            .replace('\t', "\\t"),
    }
}

/// The node at `path` in `root`.
pub fn node_at<'a>(root: &'a Node, path: &[Segment]) -> Option<&'a Node> {
    let mut node = root;
    for s in path {
        node = match s {
            Segment::Key(k) => node.get(k)?,
            Segment::Index(i) => node.as_seq()?.get(*i)?,
        };
    }
    Some(node)
}

/// An edit that changes the string value of the scalar at `path` from `value` to `new_value` by
/// replacing `find` (a part of the value) with `replace`: the part is looked up in the scalar's
/// source text, written in the scalar's own quoting, and the result is parsed to check that the
/// scalar now holds `new_value` and nothing else changed shape. `None` when the part is not
/// written as such in the source (split over lines, escaped) or the check fails: no fix then,
/// rather than a wrong one.
pub fn scalar_edit(
    source: &str,
    root: &Node,
    path: &str,
    find: std::ops::Range<usize>,
    replace: &str,
) -> Option<Edit> {
    let segments = document::parse_path(path)?;
    let node = node_at(root, &segments)?;
    let value = node.as_str()?;
    let part = value.get(find.clone())?;
    let new_value = format!("{}{replace}{}", &value[..find.start], &value[find.end..]);
    let st = style(source, node.span);
    let written = source.get(node.span.start..node.span.end)?;
    let escaped_part = escape(part, st);
    // The part as written: the one occurrence, or the one at the same place (the n-th).
    let nth = value[..find.start].matches(part).count();
    let at = if part.is_empty() {
        // Only a whole empty value can be replaced from nothing.
        if !value.is_empty() {
            return None;
        }
        match st {
            Style::Plain => 0,
            Style::Single | Style::Double => 1,
            Style::Block => return None,
        }
    } else {
        written.match_indices(&escaped_part).nth(nth)?.0
    };
    let start = node.span.start + at;
    let edit = Edit {
        span: Span::new(start, start + escaped_part.len()),
        text: escape(replace, st),
    };
    let root = reparsed(source, &edit)?;
    (node_at(&root, &segments)?.as_str() == Some(new_value.as_str())).then_some(edit)
}

/// An edit that replaces the key at `path` (its last segment a key) with `new_key`, checked.
pub fn key_edit(source: &str, root: &Node, path: &[Segment], new_key: &str) -> Option<Edit> {
    let (Segment::Key(old), parent) = path.split_last()? else {
        return None;
    };
    let entry = node_at(root, parent)?.entry(old)?;
    let st = style(source, entry.key_span);
    if st == Style::Block {
        return None;
    }
    let written = source.get(entry.key_span.start..entry.key_span.end)?;
    let inner = match st {
        Style::Plain => Span::new(entry.key_span.start, entry.key_span.end),
        _ if written.len() >= 2 => Span::new(entry.key_span.start + 1, entry.key_span.end - 1),
        _ => return None,
    };
    let edit = Edit {
        span: inner,
        text: escape(new_key, st),
    };
    let root = reparsed(source, &edit)?;
    let parent_node = node_at(&root, parent)?;
    (parent_node.get(new_key).is_some() && parent_node.get(old).is_none()).then_some(edit)
}

fn edited(source: &str, edit: &Edit) -> String {
    let mut out = source.to_owned();
    out.replace_range(edit.span.start..edit.span.end, &edit.text);
    out
}

/// The tree of the edited source, when it parses (to check what the edit made of it).
fn reparsed(source: &str, edit: &Edit) -> Option<Node> {
    let doc = document::load(edited(source, edit).as_bytes(), Budget::default()).ok()?;
    Some(doc.root)
}

/// The fix a rule's `fix` gives for its finding at `at`: an edit of each match of its pattern in
/// the string there (or of the whole string), each replacement computed by its CEL. `None` when
/// the value is no string, nothing matches, the CEL gives `null` for a match, or an edit cannot be
/// written so that the file says what it should (then no fix rather than a wrong one).
pub fn of_rule(
    rule: &crate::rules::Rule,
    eval: &crate::rules::engine::FixEval,
    options: Option<&cel::Value>,
    source: &str,
    root: &Node,
    at: &str,
    lang: &str,
) -> Option<Fix> {
    let spec = rule.fix.as_ref()?;
    let node = node_at(root, &document::parse_path(at)?)?;
    let value = node.as_str()?;
    let mut places: Vec<(std::ops::Range<usize>, Vec<String>)> = Vec::new();
    match &spec.pattern {
        Some(p) => {
            let p = crate::formats::cached_regex(p).ok()?;
            for c in p.captures_iter(value) {
                let whole = c.get(0)?;
                let groups = c
                    .iter()
                    .map(|g| g.map_or_else(String::new, |g| g.as_str().to_owned()))
                    .collect();
                places.push((whole.range(), groups));
            }
        }
        None => places.push((0..value.len(), vec![value.to_owned()])),
    }
    let mut edits = Vec::new();
    let mut title = None;
    for (range, groups) in places {
        let place = cel::to_value(serde_json::json!({
            "at": at,
            "value": value,
            "match": &value[range.clone()],
            "groups": groups,
        }))
        .ok()?;
        let replace = eval.replacement(rule, options, &place).ok()??;
        // The title of the first replacement.
        title.get_or_insert_with(|| {
            let title = eval.title(rule, options, &place, lang).ok().flatten();
            title.unwrap_or_else(|| format!("Replace with '{replace}'"))
        });
        edits.push(scalar_edit(source, root, at, range, &replace)?);
    }
    // No title: nothing matched, nothing to fix.
    Some(Fix {
        title: title?,
        safety: spec.safety,
        edits,
    })
}

/// The unsafe fix of a structure finding with one "did you mean": an unknown key renamed, an
/// unknown value or reference replaced, by the nearest known one.
pub fn of_structure(finding: &Finding, source: &str, root: &Node, suggestion: &str) -> Option<Fix> {
    let path = finding.path.as_deref()?;
    let edit = match finding.rule.as_str() {
        "seloste/unknown-key" => key_edit(source, root, &document::parse_path(path)?, suggestion)?,
        "seloste/enum" | "seloste/unknown-ref" => {
            let value = node_at(root, &document::parse_path(path)?)?.as_str()?;
            scalar_edit(source, root, path, 0..value.len(), suggestion)?
        }
        _ => return None,
    };
    let title = format!("Replace with '{suggestion}'");
    Some(single(title, Safety::Unsafe, edit))
}

/// A fix of one edit.
pub fn single(title: impl Into<String>, safety: Safety, edit: Edit) -> Fix {
    Fix {
        title: title.into(),
        safety,
        edits: vec![edit],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn load(text: &str) -> Node {
        document::load(text.as_bytes(), Budget::default())
            .expect("yaml")
            .root
    }

    fn fixed(text: &str, path: &str, find: &str, replace: &str) -> Option<String> {
        let root = load(text);
        let value = node_at(&root, &document::parse_path(path)?)?
            .as_str()?
            .to_owned();
        let i = value.find(find)?;
        let e = scalar_edit(text, &root, path, i..i + find.len(), replace)?;
        Some(edited(text, &e))
    }

    #[test]
    fn a_part_of_a_scalar_is_replaced_in_its_own_quoting() {
        let crlf = "a: x\r\nrefs: [\"EU 679/2016\", 'b''s']  # keep\r\nc: >-\r\n  EU 679/2016 on\r\n  two lines\r\n";
        assert_eq!(
            fixed(crlf, "refs[0]", "679/2016", "2016/679").as_deref(),
            Some(
                "a: x\r\nrefs: [\"EU 2016/679\", 'b''s']  # keep\r\nc: >-\r\n  EU 679/2016 on\r\n  two lines\r\n"
            )
        );
        assert_eq!(
            fixed(crlf, "refs[1]", "b's", "it's").as_deref(),
            Some(
                "a: x\r\nrefs: [\"EU 679/2016\", 'it''s']  # keep\r\nc: >-\r\n  EU 679/2016 on\r\n  two lines\r\n"
            )
        );
        // A block scalar: the part is on one line, so it is found and replaced.
        assert!(
            fixed(crlf, "c", "679/2016", "2016/679")
                .is_some_and(|t| t.contains("  EU 2016/679 on\r\n  two lines"))
        );
        // Quotes in a double-quoted scalar are escaped.
        assert_eq!(
            fixed("a: \"x\"\n", "a", "x", "say \"hi\"").as_deref(),
            Some("a: \"say \\\"hi\\\"\"\n")
        );
    }

    #[test]
    fn a_replacement_that_would_change_the_yaml_is_no_fix() {
        // `: ` in a plain scalar would make a mapping.
        assert_eq!(fixed("a: x\n", "a", "x", "b: c"), None);
        // A part folded over two lines is not written as such.
        assert_eq!(fixed("a: >-\n  one\n  two\n", "a", "one two", "x"), None);
    }

    #[test]
    fn keys_are_renamed_in_place() {
        let text = "seloste: 1\npurposes:\n  - id: x\n    legal_bases: contract # c\n";
        let root = load(text);
        let path = document::parse_path("purposes[0].legal_bases").unwrap();
        let e = key_edit(text, &root, &path, "legal_basis").expect("edit");
        assert_eq!(
            edited(text, &e),
            "seloste: 1\npurposes:\n  - id: x\n    legal_basis: contract # c\n"
        );
    }

    #[test]
    fn overlapping_fixes_are_applied_one_per_run() {
        let mut a = Finding::new("r", crate::finding::Severity::Error, Span::new(0, 1), "m");
        a.fixes.push(single(
            "x",
            Safety::Safe,
            Edit {
                span: Span::new(0, 3),
                text: "XYZ".into(),
            },
        ));
        let mut b = a.clone();
        b.fixes[0].edits[0] = Edit {
            span: Span::new(2, 4),
            text: "__".into(),
        };
        let mut c = a.clone();
        c.fixes[0] = single(
            "u",
            Safety::Unsafe,
            Edit {
                span: Span::new(5, 6),
                text: "!".into(),
            },
        );
        let (out, n) = apply("abcdefg", [&a, &b, &c], Apply::Safe);
        assert_eq!((out.as_str(), n), ("XYZdefg", 1));
        let (out, n) = apply("abcdefg", [&a, &b, &c], Apply::All);
        assert_eq!((out.as_str(), n), ("XYZde!g", 2));
    }
}
