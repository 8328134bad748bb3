//! Fingerprints of findings: a hash of what a finding is about, not where it is, so that code
//! scanning (SARIF `partialFingerprints`) and GitLab Code Quality (`fingerprint`) keep one issue
//! open across edits that only move lines, and tell two identical findings of a file apart.

use std::collections::HashMap;

use crate::finding::{FileFindings, Finding, Suppressed};

/// Why a finding is not shown: an inline `# seloste: allow` comment, or the baseline of the run.
#[derive(Debug, Clone, Copy)]
pub enum Silenced<'a> {
    Inline(&'a Suppressed),
    Baseline,
}

/// 64-bit FNV-1a: tiny, and defined by its constants, so fingerprints are the same on every
/// platform and with every Rust version (unlike `std`'s hashers, which promise neither).
fn fnv1a(bytes: &[u8]) -> u64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for b in bytes {
        hash ^= u64::from(*b);
        hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
    }
    hash
}

/// The fingerprint of every finding of a file, in order: FNV-1a 64 (16 hex digits) of rule id,
/// file, field path, message and an ordinal, separated by NUL bytes. The ordinal counts the earlier
/// findings of the file with the same four values (0 for the first), so two identical findings
/// differ, and line numbers play no part at all.
pub fn fingerprints<'a>(findings: impl IntoIterator<Item = &'a Finding>) -> Vec<String> {
    let mut seen: HashMap<(&str, &str, Option<&str>, &str), usize> = HashMap::new();
    findings
        .into_iter()
        .map(|f| {
            let key = (
                f.rule.as_str(),
                f.file.as_str(),
                f.path.as_deref(),
                f.message.as_str(),
            );
            let n = seen.entry(key).or_insert(0);
            let ordinal = *n;
            *n += 1;
            of_parts(f, &f.file, ordinal)
        })
        .collect()
}

/// The fingerprint of `f` as the `ordinal`-th of its identical findings in a file named `file`
/// (the baseline names files relative to its own directory, whatever the working directory).
pub fn of_parts(f: &Finding, file: &str, ordinal: usize) -> String {
    let input = format!(
        "{}\0{file}\0{}\0{}\0{ordinal}",
        f.rule,
        f.path.as_deref().unwrap_or(""),
        f.message
    );
    format!("{:016x}", fnv1a(input.as_bytes()))
}

/// Every finding of a file, suppressed and baselined ones included (with what silenced them), in
/// output order, each with its fingerprint. Silenced findings take part in the ordinals, so adding
/// or removing a suppression, or a baseline, keeps every other fingerprint.
pub fn of_file(file: &FileFindings) -> Vec<(&Finding, Option<Silenced<'_>>, String)> {
    let mut all: Vec<(&Finding, Option<Silenced<'_>>)> = file
        .findings
        .iter()
        .map(|f| (f, None))
        .chain(
            file.suppressed
                .iter()
                .map(|s| (&s.finding, Some(Silenced::Inline(s)))),
        )
        .chain(
            file.baselined()
                .iter()
                .map(|f| (f, Some(Silenced::Baseline))),
        )
        .collect();
    all.sort_by(|a, b| a.0.sort_key().cmp(&b.0.sort_key()));
    let prints = fingerprints(all.iter().map(|(f, _)| *f));
    all.into_iter()
        .zip(prints)
        .map(|((f, s), p)| (f, s, p))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::Span;
    use crate::finding::Severity;

    #[test]
    fn fingerprints_ignore_lines_and_separate_twins() {
        let mk = |line: usize| {
            let mut f = Finding::new("gdpr/x", Severity::Error, Span::new(0, 1), "m");
            f.file = "a.yaml".into();
            f.start.line = line;
            f.path = Some("dpo".into());
            f
        };
        let one = fingerprints(&[mk(3)]);
        let moved = fingerprints(&[mk(30)]);
        assert_eq!(one, moved);
        let twins = fingerprints(&[mk(3), mk(4)]);
        assert_eq!(twins[0], one[0]);
        assert_ne!(twins[0], twins[1]);
        assert_eq!(one[0].len(), 16);
    }
}
