//! `--format github`: GitHub Actions workflow commands, which the runner turns into annotations on
//! the pull request's diff:
//!
//! `::error file=F,line=L,col=C,endLine=L2,endColumn=C2,title=T::MESSAGE`
//!
//! `error` findings are `::error`, `warning` `::warning`, `info` `::notice`. The escaping is the
//! runner's own (`@actions/core`'s `escapeData` and `escapeProperty`): in the message `%`, CR and
//! LF become `%25`, `%0D`, `%0A`; in property values `:` and `,` also become `%3A` and `%2C`.

use crate::finding::{Finding, Severity};

/// Escapes a command's message (`escapeData`).
pub fn escape_data(text: &str) -> String {
    // `%` first, so an escape is never escaped again.
    text.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escapes a property value (`escapeProperty`).
pub fn escape_property(text: &str) -> String {
    escape_data(text).replace(':', "%3A").replace(',', "%2C")
}

fn command(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "notice",
    }
}

/// One workflow command. Columns are sent only when the finding starts and ends on the same line:
/// the runner rejects `col`/`endColumn` on an annotation that spans lines.
pub fn annotation(f: &Finding) -> String {
    let mut props = vec![
        format!("file={}", escape_property(&f.file)),
        format!("line={}", f.start.line),
    ];
    let end_line = f.end.line.max(f.start.line);
    if end_line == f.start.line {
        props.push(format!("col={}", f.start.column));
        props.push(format!("endLine={end_line}"));
        props.push(format!("endColumn={}", f.end.column.max(f.start.column)));
    } else {
        props.push(format!("endLine={end_line}"));
    }
    let title = format!("{}[{}]", f.severity, f.rule);
    // The text: the message, then the fix and the legal references on lines of their own.
    let message = f.message.clone() + &f.help_and_law();
    props.push(format!("title={}", escape_property(&title)));
    format!(
        "::{} {}::{}",
        command(f.severity),
        props.join(","),
        escape_data(&message)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escaping_follows_the_runner() {
        assert_eq!(escape_data("50% a\r\nb: c, d"), "50%25 a%0D%0Ab: c, d");
        assert_eq!(escape_property("50% a\nb: c, d"), "50%25 a%0Ab%3A c%2C d");
        // `%` first, so an escape is never escaped twice.
        assert_eq!(escape_property("%3A"), "%253A");
    }
}
