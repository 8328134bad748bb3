//! A tree back to YAML, for showing examples (`seloste explain`, the rules reference): mappings in
//! block style, short lists of scalars in flow style, strings quoted only when they must be.
//! Comments and the original layout are not kept; the result parses back to the same tree.

use super::parse::resolve_plain;
use super::tree::{Node, NodeKind};

/// A flow list (`[a, b]`) is used up to this many characters; longer lists are blocks.
const FLOW_MAX: usize = 72;

/// The tree as block YAML, ending with a newline.
pub fn to_yaml(node: &Node) -> String {
    let mut out = String::new();
    match &node.kind {
        NodeKind::Map(entries) if !entries.is_empty() => map(&mut out, node, 0),
        NodeKind::Seq(items) if !items.is_empty() && flow_list(node).is_none() => {
            seq(&mut out, node, 0)
        }
        _ => {
            out.push_str(&inline(node).unwrap_or_default());
            out.push('\n');
        }
    }
    out
}

/// A node written on one line: scalars, empty collections and short lists of scalars.
fn inline(node: &Node) -> Option<String> {
    match &node.kind {
        NodeKind::Map(e) if e.is_empty() => Some("{}".into()),
        NodeKind::Map(_) => None,
        NodeKind::Seq(_) => flow_list(node),
        NodeKind::Str(s) if s.contains('\n') => None,
        _ => Some(scalar(node, false)),
    }
}

fn flow_list(node: &Node) -> Option<String> {
    let items = node.as_seq()?;
    let parts: Option<Vec<String>> = items
        .iter()
        .map(|i| match &i.kind {
            NodeKind::Map(_) | NodeKind::Seq(_) => None,
            NodeKind::Str(s) if s.contains('\n') => None,
            _ => Some(scalar(i, true)),
        })
        .collect();
    let text = format!("[{}]", parts?.join(", "));
    (text.len() <= FLOW_MAX || items.is_empty()).then_some(text)
}

fn map(out: &mut String, node: &Node, indent: usize) {
    let pad = " ".repeat(indent);
    for e in node.as_map().unwrap_or(&[]) {
        out.push_str(&format!("{pad}{}:", string(&e.key, false)));
        value(out, &e.value, indent);
    }
}

/// The value after `key:` (or `-`): on the same line when it fits, else on the lines below.
fn value(out: &mut String, v: &Node, indent: usize) {
    if let Some(s) = inline(v) {
        return out.push_str(&format!(" {s}\n"));
    }
    match &v.kind {
        NodeKind::Str(s) => block_string(out, s, indent + 2),
        NodeKind::Map(_) => {
            out.push('\n');
            map(out, v, indent + 2);
        }
        _ => {
            out.push('\n');
            seq(out, v, indent + 2);
        }
    }
}

fn seq(out: &mut String, node: &Node, indent: usize) {
    let pad = " ".repeat(indent);
    for item in node.as_seq().unwrap_or(&[]) {
        match &item.kind {
            NodeKind::Map(e) if !e.is_empty() => {
                // The first key goes on the dash's line: render at indent + 2, then put the dash in.
                let mut inner = String::new();
                map(&mut inner, item, indent + 2);
                out.push_str(&format!("{pad}- {}", &inner[indent + 2..]));
            }
            _ => {
                out.push_str(&format!("{pad}-"));
                value(out, item, indent);
            }
        }
    }
}

/// A multi-line string as a literal block (`|`, `|-`), or quoted when a block cannot hold it.
fn block_string(out: &mut String, s: &str, indent: usize) {
    let body = s.strip_suffix('\n').unwrap_or(s);
    let blockable = !body.is_empty()
        && !body.starts_with([' ', '\t'])
        && !body.ends_with('\n')
        && !s.contains('\r')
        && body.lines().all(|l| l == l.trim_end())
        && !body
            .chars()
            .any(|c| c.is_control() && c != '\n' && c != '\t');
    if !blockable {
        return out.push_str(&format!(" {}\n", double_quoted(s)));
    }
    out.push_str(if s.ends_with('\n') { " |\n" } else { " |-\n" });
    let pad = " ".repeat(indent);
    for line in body.split('\n') {
        if !line.is_empty() {
            out.push_str(&pad);
            out.push_str(line);
        }
        out.push('\n');
    }
}

fn scalar(node: &Node, flow: bool) -> String {
    match &node.kind {
        NodeKind::Null => "null".into(),
        NodeKind::Bool(b) => b.to_string(),
        NodeKind::Int(i) => i.to_string(),
        NodeKind::Float(f) if f.is_nan() => ".nan".into(),
        NodeKind::Float(f) if f.is_infinite() => if *f > 0.0 { ".inf" } else { "-.inf" }.into(),
        // Debug writes a finite float with a `.` or an exponent: it reads back as a float.
        NodeKind::Float(f) => format!("{f:?}"),
        NodeKind::Str(s) => string(s, flow),
        NodeKind::Seq(_) | NodeKind::Map(_) => String::new(),
    }
}

/// A string as a YAML scalar in block context: plain when it reads back as the same string, else
/// quoted (for writers of YAML other than [`to_yaml`], e.g. `seloste import`).
pub fn yaml_string(s: &str) -> String {
    string(s, false)
}

/// A string as a plain scalar when it reads back as the same string, else quoted.
fn string(s: &str, flow: bool) -> String {
    if is_plain_safe(s, flow) {
        s.to_owned()
    } else if !s.contains('\'') && !s.chars().any(char::is_control) {
        format!("'{s}'")
    } else {
        double_quoted(s)
    }
}

fn double_quoted(s: &str) -> String {
    // A JSON string is a valid YAML double-quoted scalar with the same value.
    serde_json::to_string(s).unwrap_or_else(|_| format!("\"{}\"", s.escape_default()))
}

fn is_plain_safe(s: &str, flow: bool) -> bool {
    !s.is_empty()
        && s == s.trim()
        && matches!(resolve_plain(s), NodeKind::Str(_))
        && !s.starts_with(|c| "-?:,[]{}#&*!|>'\"%@`".contains(c))
        && !s.chars().any(char::is_control)
        && !(s.contains(": ") || s.contains(" #") || s.ends_with(':'))
        && !(flow && s.contains([',', '[', ']', '{', '}']))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Budget, load};

    fn tree(src: &str) -> Node {
        load(src.as_bytes(), Budget::default())
            .map(|d| d.root)
            .unwrap_or_else(|e| panic!("{src}: {}", e.message))
    }

    fn round_trip(src: &str) -> String {
        let node = tree(src);
        let out = to_yaml(&node);
        assert_eq!(tree(&out).to_json(), node.to_json(), "{src}\n---\n{out}");
        out
    }

    #[test]
    fn block_maps_flow_lists() {
        let out = round_trip(
            "{purposes: [{id: a, description: x, legal_basis: [contract, consent]}], rights: [], c: {}}",
        );
        assert_eq!(
            out,
            "purposes:\n  - id: a\n    description: x\n    legal_basis: [contract, consent]\nrights: []\nc: {}\n"
        );
    }

    #[test]
    fn strings_are_quoted_only_when_needed() {
        let out = round_trip(
            r#"{a: "yes", b: "123", c: "null", d: "x: y", e: "- z", f: "it's", g: "", h: " pad", i: "a # b", j: "2020-11-25", k: '(?i)\bdata\s+x', l: "tab\there", m: [ "a,b", "[c]" ], n: true, o: 1.0, p: ~, q: "a:b"}"#,
        );
        assert!(out.contains("a: yes\n"), "{out}");
        assert!(out.contains("b: '123'\n"), "{out}");
        assert!(out.contains("k: (?i)\\bdata\\s+x\n"), "{out}");
        assert!(out.contains("m: ['a,b', '[c]']\n"), "{out}");
        assert!(out.contains("p: null\n"), "{out}");
    }

    #[test]
    fn multi_line_strings_and_nested_lists() {
        round_trip(
            "a: |\n  one\n  two\nb: |-\n  x\n\n  y\nc: \"  lead\\nx\"\nd: [[1, 2], [{e: f}]]\n",
        );
        let long: Vec<String> = (0..30).map(|i| format!("item{i}")).collect();
        let out = round_trip(&format!("l: [{}]", long.join(", ")));
        assert!(out.starts_with("l:\n  - item0\n"), "{out}");
    }
}
