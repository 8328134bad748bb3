//! Emitters: every output format reads only [`FileFindings`].

pub mod human;
pub mod json;

use crate::finding::Severity;
use crate::lint::LintReport;

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
