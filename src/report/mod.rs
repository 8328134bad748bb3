//! Emitters: every output format reads only the findings of a run ([`LintReport`]: the
//! [`FileFindings`](crate::finding::FileFindings) and the names of the checked files) and the rule
//! metadata of [`Catalog`]. One module per format, each behind [`Emitter`].

pub mod catalog;
pub mod github;
pub mod human;
pub mod json;
pub mod junit;
pub mod sarif;
pub mod short;

pub use catalog::Catalog;

use crate::finding::Severity;
use crate::lint::LintReport;

/// What an emitter reads: the findings of one run and the metadata of its rules.
pub struct Run<'a> {
    pub report: &'a LintReport,
    pub rules: &'a Catalog,
}

/// An output format: renders a whole run as the text that goes to stdout or to `--output FILE`.
pub trait Emitter {
    fn render(&self, run: &Run<'_>) -> String;
}

/// `3 errors, 1 warning in 2 files` (files with findings), or `no problems in 4 files`.
pub fn summary(report: &LintReport) -> String {
    let plural = |n: usize, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
    let (e, w, i) = (
        report.count(Severity::Error),
        report.count(Severity::Warning),
        report.count(Severity::Info),
    );
    let suppressed = match report.suppressed() {
        0 => String::new(),
        n => format!(", {n} suppressed"),
    };
    if e + w + i == 0 {
        return format!(
            "no problems in {}{suppressed}",
            plural(report.checked, "file")
        );
    }
    let mut parts = vec![plural(e, "error"), plural(w, "warning")];
    if i > 0 {
        parts.push(format!("{i} info"));
    }
    format!(
        "{} in {} ({} checked{suppressed})",
        parts.join(", "),
        plural(report.files_with_findings(), "file"),
        report.checked
    )
}
