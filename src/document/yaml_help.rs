//! Help for the YAML mistakes people who are not developers make (issue 12): a `: ` inside a
//! plain value, an unclosed quote, a tab. The help says what to write, with the line fixed as an
//! example. The parser's messages ("mapping values are not allowed in this context") say what
//! the parser saw, not what to do.

/// Help for a syntax error with `message` at byte `offset` of `source`, when it is one of the
/// common mistakes.
pub fn help(message: &str, source: &str, offset: usize) -> Option<String> {
    let offset = offset.min(source.len());
    let start = source[..offset].rfind('\n').map_or(0, |i| i + 1);
    let end = source[offset..]
        .find('\n')
        .map_or(source.len(), |i| offset + i);
    let line = source[start..end].trim_end_matches('\r');
    if message.contains("mapping values are not allowed") {
        return colon_in_value(line);
    }
    if message.contains("quoted scalar") && message.contains("end of stream") {
        return Some(
            "a quoted text is not closed: end it with the same quote it starts with (`\"…\"` or \
             `'…'`); inside double quotes write a quote as `\\\"`, inside single quotes as `''`"
                .to_owned(),
        );
    }
    if message.contains("tab") {
        return Some(
            "YAML indentation must use spaces, not tabs: replace the tab with spaces (two per \
             level, as in the lines above)"
                .to_owned(),
        );
    }
    None
}

/// `key: text: more` → quote the value, or write it as a block.
fn colon_in_value(line: &str) -> Option<String> {
    let indent = &line[..line.len() - line.trim_start().len()];
    let rest = line.trim_start();
    let (dash, rest) = match rest.strip_prefix("- ") {
        Some(r) => ("- ", r),
        None => ("", rest),
    };
    let (key, value) = rest.split_once(": ")?;
    let value = value.trim();
    if key.is_empty() || value.is_empty() || value.starts_with(['"', '\'']) {
        return None;
    }
    let quoted = value.replace('\\', "\\\\").replace('"', "\\\"");
    Some(format!(
        "a `: ` inside a value starts a new key in YAML: put the text in quotes, e.g.\n  \
         {indent}{dash}{key}: \"{quoted}\"\nor write it as a block on the lines below, e.g.\n  \
         {indent}{dash}{key}: >-\n  {indent}{pad}  {value}",
        pad = " ".repeat(dash.len())
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

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
