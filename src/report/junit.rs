//! `--format junit`: JUnit XML, the test report CI systems (GitLab, Jenkins, Azure) show.
//!
//! One `<testsuite>` for the run, one `<testcase>` per checked register file (clean files pass), one
//! `<failure>` per finding with the message as attribute and the location, fix and references as
//! text. Nothing in the output depends on the clock or the machine, so it is reproducible.

use std::io::{self, Write};

use crate::finding::{FileFindings, Finding};

use super::{Catalog, Emitter, Totals};

/// `--format junit`.
#[derive(Default)]
pub struct Junit {
    cases: String,
    tests: usize,
    failed: usize,
}

/// The name of the suite and the `classname` of every test case.
const SUITE: &str = "seloste";

/// Escapes text for XML 1.0: the five special characters, and characters XML cannot hold at all
/// (C0 controls other than tab, LF and CR) are replaced by U+FFFD. In attributes, tab, LF and CR
/// are written as character references so that parsers do not normalise them to spaces.
fn escape(text: &str, attribute: bool) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' if attribute => out.push_str("&quot;"),
            '\'' if attribute => out.push_str("&apos;"),
            '\t' if attribute => out.push_str("&#9;"),
            '\n' if attribute => out.push_str("&#10;"),
            '\r' => out.push_str("&#13;"),
            '\t' | '\n' => out.push(c),
            c if (c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => out.push('\u{FFFD}'),
            c => out.push(c),
        }
    }
    out
}

fn testcase(out: &mut String, file: &str, findings: &[Finding]) {
    let name = escape(file, true);
    out.push_str(&format!(
        "    <testcase name=\"{name}\" classname=\"{SUITE}\" file=\"{name}\""
    ));
    if findings.is_empty() {
        out.push_str("/>\n");
        return;
    }
    out.push_str(">\n");
    for f in findings {
        // The failure's text: where, what, the fix and the references.
        let text = super::short::line(f) + &f.help_and_law();
        out.push_str(&format!(
            "      <failure message=\"{}\" type=\"{}\">{}</failure>\n",
            escape(&f.message, true),
            escape(&format!("{}[{}]", f.severity, f.rule), true),
            escape(&text, false)
        ));
    }
    out.push_str("    </testcase>\n");
}

impl Emitter for Junit {
    fn file(&mut self, _: &mut dyn Write, file: &FileFindings, _: &Catalog) -> io::Result<()> {
        // The suite's header carries the counts, known only at the end: keep the test cases
        // (their text only, not the files) until then.
        testcase(&mut self.cases, &file.file, &file.findings);
        self.tests += 1;
        if !file.findings.is_empty() {
            self.failed += 1;
        }
        Ok(())
    }

    fn finish(&mut self, out: &mut dyn Write, _: &Totals, _: &Catalog) -> io::Result<()> {
        let (tests, failed) = (self.tests, self.failed);
        write!(
            out,
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\
             <testsuites name=\"{SUITE}\" tests=\"{tests}\" failures=\"{failed}\" errors=\"0\">\n  \
             <testsuite name=\"{SUITE}\" tests=\"{tests}\" failures=\"{failed}\" errors=\"0\" skipped=\"0\">\n{}  \
             </testsuite>\n</testsuites>\n",
            self.cases
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup_quotes_and_controls() {
        assert_eq!(
            escape("a<b>&\"c\"'\n\t\u{1}", true),
            "a&lt;b&gt;&amp;&quot;c&quot;&apos;&#10;&#9;\u{FFFD}"
        );
        assert_eq!(escape("a<b>\n\"x\"\r", false), "a&lt;b&gt;\n\"x\"&#13;");
    }
}
