//! Field paths (`purposes[1].legal_basis`) and their resolution to spans.

use super::tree::{Node, NodeKind, Span};

/// One step of a field path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Segment {
    Key(String),
    Index(usize),
}

/// Parses `a.b[0].c`; `""` is the root. Returns `None` when malformed.
pub fn parse_path(path: &str) -> Option<Vec<Segment>> {
    let mut segments = Vec::new();
    if path.is_empty() {
        return Some(segments);
    }
    for part in path.split('.') {
        let (key, mut rest) = part.split_at(part.find('[').unwrap_or(part.len()));
        if key.is_empty() && (segments.is_empty() || rest.is_empty()) {
            return None;
        }
        if !key.is_empty() {
            segments.push(Segment::Key(key.to_owned()));
        }
        while let Some(stripped) = rest.strip_prefix('[') {
            let close = stripped.find(']')?;
            segments.push(Segment::Index(stripped[..close].trim().parse().ok()?));
            rest = &stripped[close + 1..];
        }
        if !rest.is_empty() {
            return None;
        }
    }
    Some(segments)
}

/// Renders segments back to the canonical text form.
pub fn render_path(segments: &[Segment]) -> String {
    let mut out = String::new();
    for s in segments {
        match s {
            Segment::Key(k) => {
                if !out.is_empty() {
                    out.push('.');
                }
                out.push_str(k);
            }
            Segment::Index(i) => out.push_str(&format!("[{i}]")),
        }
    }
    out
}

/// Where a path landed in a document.
#[derive(Debug, Clone, PartialEq)]
pub struct Located {
    /// The span to show: the value, or for a missing path the nearest existing ancestor.
    pub span: Span,
    /// Whether the whole path exists.
    pub exact: bool,
    /// The path that was found (equal to the asked one when `exact`).
    pub found: String,
}

/// Resolves `segments` in `root`, falling back to the nearest existing ancestor.
pub fn locate(root: &Node, source: &str, segments: &[Segment]) -> Located {
    let mut node = root;
    let mut key_span: Option<Span> = None;
    let mut depth = 0;
    for seg in segments {
        let next = match (seg, &node.kind) {
            (Segment::Key(k), NodeKind::Map(_)) => {
                node.entry(k).map(|e| (&e.value, Some(e.key_span)))
            }
            (Segment::Index(i), NodeKind::Seq(items)) => items.get(*i).map(|n| (n, None)),
            _ => None,
        };
        let Some(next) = next else { break };
        (node, key_span) = next;
        depth += 1;
    }
    let exact = depth == segments.len();
    Located {
        span: display_span(root, node, key_span, source),
        exact,
        found: render_path(&segments[..depth]),
    }
}

/// The span that best shows `node`: a one-line value as is; a block container by its key, or by its
/// first line when it has no key (a list item); the root by its first entry (the `seloste` marker).
fn display_span(root: &Node, node: &Node, key_span: Option<Span>, source: &str) -> Span {
    if std::ptr::eq(root, node) {
        return match &node.kind {
            NodeKind::Map(entries) => entries
                .iter()
                .find(|e| e.key == "seloste")
                .or(entries.first())
                .map_or(Span::new(0, 0), |e| {
                    e.key_span.join(first_line(e.value.span, source))
                }),
            _ => first_line(node.span, source),
        };
    }
    let multiline = source
        .get(node.span.start..node.span.end)
        .is_some_and(|s| s.contains('\n'));
    match key_span {
        Some(k) if node.span.is_empty() || multiline => k,
        _ if multiline => first_line(node.span, source),
        _ => node.span,
    }
}

/// `span` cut at the end of its first line (trailing whitespace trimmed).
pub fn first_line(span: Span, source: &str) -> Span {
    let text = source.get(span.start..span.end).unwrap_or("");
    let line = text.split('\n').next().unwrap_or("");
    Span::new(span.start, span.start + line.trim_end().len())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_renders_paths() {
        let p = parse_path("purposes[1].legal_basis").unwrap();
        assert_eq!(
            p,
            vec![
                Segment::Key("purposes".into()),
                Segment::Index(1),
                Segment::Key("legal_basis".into())
            ]
        );
        assert_eq!(render_path(&p), "purposes[1].legal_basis");
        assert_eq!(parse_path(""), Some(vec![]));
        assert_eq!(parse_path("a[x]"), None);
        assert_eq!(parse_path("a..b"), None);
        assert_eq!(parse_path("a[0][1]").unwrap().len(), 3);
    }
}
