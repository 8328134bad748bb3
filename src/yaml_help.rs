//! Help for the YAML mistakes people who are not developers make (issue 12): a `: ` inside a
//! plain value, an unclosed quote, a tab. The help says what to write, with the line fixed as an
//! example. The parser's messages ("mapping values are not allowed in this context") say what
//! the parser saw, not what to do.

/// Help for a syntax error with `message` at byte `offset` of `source`, when it is one of the
/// common mistakes, in the words of `m`.
pub fn help_in(
    message: &str,
    source: &str,
    offset: usize,
    m: &crate::messages::Messages,
) -> Option<String> {
    let offset = crate::document::floor_char_boundary(source, offset);
    let start = source[..offset].rfind('\n').map_or(0, |i| i + 1);
    let end = source[offset..]
        .find('\n')
        .map_or(source.len(), |i| offset + i);
    let line = source[start..end].trim_end_matches('\r');
    if message.contains("mapping values are not allowed") {
        return colon_in_value(line, m);
    }
    if message.contains("quoted scalar") && message.contains("end of stream") {
        return Some(m.text("yaml.unclosed_quote").to_owned());
    }
    if message.contains("tab") {
        return Some(m.text("yaml.tab").to_owned());
    }
    None
}

/// `key: text: more` → quote the value, or write it as a block.
fn colon_in_value(line: &str, m: &crate::messages::Messages) -> Option<String> {
    let indent = &line[..line.len() - line.trim_start().len()];
    let rest = line.trim_start();
    let (dash, rest) = rest.strip_prefix("- ").map_or(("", rest), |r| ("- ", r));
    let (key, value) = rest.split_once(": ")?;
    let value = value.trim();
    if key.is_empty() || value.is_empty() || value.starts_with(['"', '\'']) {
        return None;
    }
    let quoted = value.replace('\\', "\\\\").replace('"', "\\\"");
    let pad = " ".repeat(dash.len());
    let quoted_line = format!("{indent}{dash}{key}: \"{quoted}\"");
    let block = format!("{indent}{dash}{key}: >-\n  {indent}{pad}  {value}");
    Some(m.fill(
        "yaml.colon_in_value",
        &[("quoted", &quoted_line), ("block", &block)],
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn help(message: &str, source: &str, offset: usize) -> Option<String> {
        help_in(message, source, offset, crate::messages::en())
    }

    #[test]
    fn a_colon_in_a_value_gets_the_line_quoted() {
        let src = "purposes:\n  - id: a\n    description: Huom: yhteydenpito\n";
        let at = src.find("Huom:").expect("text") + 4;
        let h = help("mapping values are not allowed in this context", src, at).expect("help");
        assert!(h.contains("    description: \"Huom: yhteydenpito\""), "{h}");
        assert!(
            h.contains("    description: >-\n        Huom: yhteydenpito"),
            "{h}"
        );
    }

    #[test]
    fn other_errors_get_no_colon_help() {
        assert!(help("did not find expected key", "a: b\n", 2).is_none());
        assert!(
            help(
                "while scanning a quoted scalar, found unexpected end of stream",
                "a: \"b\n",
                3
            )
            .is_some()
        );
    }
}
