//! `--format short`: one line per finding, `file:line:col: severity[rule] message`, the form
//! editors' and CI's problem matchers parse (like `gcc` or `ruff --output-format concise`).
//!
//! Only findings go to the output; the summary line is printed to stderr by the CLI, so that the
//! output holds nothing but finding lines (and is empty for a clean run).

use crate::finding::Finding;

/// A message on one line: line breaks (possible in custom rules' messages) become spaces.
fn one_line(text: &str) -> String {
    text.split(['\r', '\n'])
        .filter(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// `fixtures/a.yaml:12:5: error[gdpr/dpo-contact] No DPO ...`
pub fn line(f: &Finding) -> String {
    format!(
        "{}:{}:{}: {}[{}] {}",
        f.file,
        f.start.line,
        f.start.column,
        f.severity,
        f.rule,
        one_line(&f.message)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_stay_on_one_line() {
        assert_eq!(one_line("a\r\nb\n\nc"), "a b c");
    }
}
