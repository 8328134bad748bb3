//! Placeholders: the `TODO` values a template (`seloste init`) or an import leaves for a person to
//! fill in. A placeholder is a string scalar whose trimmed value is `TODO` or starts with `TODO:`
//! or `TODO ` (case-sensitive). `seloste/placeholder` reports each one (structure check), and the
//! rest of the lint reads it as *not addressed* (like `key:` with no value): a `TODO` in a field
//! with a format (a date, an e-mail address, a Business ID, an enumeration) is one placeholder
//! finding, not a format error too, and rules that read it are held back (docs/format.md,
//! "Placeholders").

use crate::document::{Node, NodeKind};

/// Whether `s` is a placeholder value.
pub fn is_placeholder(s: &str) -> bool {
    let t = s.trim();
    t == "TODO" || t.starts_with("TODO:") || t.starts_with("TODO ")
}

/// Whether `node` is a string scalar holding a placeholder.
pub fn is_placeholder_node(node: &Node) -> bool {
    matches!(&node.kind, NodeKind::Str(s) if is_placeholder(s))
}

/// Turns every placeholder in the tree into null (spans kept), so that what comes after the
/// structure checks (the rules, the rendered notice, the record) reads it as not addressed.
/// Returns how many it blanked.
pub fn blank(node: &mut Node) -> usize {
    match &mut node.kind {
        NodeKind::Str(s) if is_placeholder(s) => {
            node.kind = NodeKind::Null;
            1
        }
        NodeKind::Seq(items) => items.iter_mut().map(blank).sum(),
        NodeKind::Map(entries) => entries.iter_mut().map(|e| blank(&mut e.value)).sum(),
        _ => 0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_are_todo_alone_or_followed_by_a_colon_or_a_space() {
        for yes in [
            "TODO",
            "  TODO  ",
            "TODO: the controller's postal address",
            "TODO:",
            "TODO fill in",
            "\nTODO\n",
        ] {
            assert!(is_placeholder(yes), "{yes:?}");
        }
        for no in [
            "todo",
            "Todo",
            "TODOs",
            "TODO-list",
            "a TODO",
            "Laaditaan todo-lista",
            "TODOS: x",
            "",
        ] {
            assert!(!is_placeholder(no), "{no:?}");
        }
    }

    #[test]
    fn blanking_keeps_the_shape_and_the_other_values() {
        let doc = crate::document::load(
            b"a: TODO\nb: [x, 'TODO: y', z]\nc: {d: todo, e: TODO}\n",
            crate::document::Budget::default(),
        )
        .expect("loads");
        let mut root = doc.root;
        assert_eq!(blank(&mut root), 3);
        assert!(root.get("a").is_some_and(Node::is_null));
        let b = root.get("b").and_then(Node::as_seq).expect("list");
        assert_eq!(b.len(), 3);
        assert!(b[1].is_null());
        assert_eq!(b[2].as_str(), Some("z"));
        assert_eq!(
            root.get("c")
                .and_then(|c| c.get("d"))
                .and_then(Node::as_str),
            Some("todo")
        );
    }
}
