//! `--format gitlab`: a GitLab Code Quality report (the subset of the Code Climate issue format
//! that GitLab reads, https://docs.gitlab.com/ci/testing/code_quality/, checked 2026-12-06): a
//! JSON array of issues with `description`, `check_name`, `fingerprint`, `severity` and
//! `location` (`path` relative to the repository, `lines.begin`/`lines.end`). GitLab compares the
//! report of a merge request with its target branch's by fingerprint, so the fingerprint is the
//! SARIF one (no line numbers). Suppressed findings are left out: GitLab has no notion of them.

use std::io::{self, Write};
use std::path::{Path, PathBuf};

use serde_json::{Value, json};

use super::{Catalog, Emitter, Totals};
use crate::finding::{FileFindings, Finding, Severity};

/// GitLab's severities are info, minor, major, critical and blocker: an error-level finding (the
/// notice lacks what the law requires) is `major`, a warning `minor`, info `info`. `critical` and
/// `blocker` are left for security defects, which a notice's wording is not.
fn severity(s: Severity) -> &'static str {
    match s {
        Severity::Error => "major",
        Severity::Warning => "minor",
        Severity::Info => "info",
    }
}

/// `--format gitlab`, written element by element as files arrive.
#[derive(Default)]
pub struct Gitlab {
    issues: super::JsonArray,
    /// `CI_PROJECT_DIR`: absolute paths under it are made relative, as GitLab wants them.
    project_dir: Option<PathBuf>,
}

impl Gitlab {
    pub fn new(project_dir: Option<PathBuf>) -> Gitlab {
        Gitlab {
            project_dir,
            ..Gitlab::default()
        }
    }

    /// The path as GitLab matches it against the repository: relative, `/`-separated, no `./`.
    fn path(&self, file: &str) -> String {
        let p = Path::new(file);
        let rel = self
            .project_dir
            .as_deref()
            .and_then(|dir| p.strip_prefix(dir).ok())
            .unwrap_or(p);
        let s = rel.to_string_lossy().replace('\\', "/");
        s.strip_prefix("./").map(str::to_owned).unwrap_or(s)
    }

    fn issue(&self, f: &Finding, fingerprint: String) -> Value {
        let begin = f.start.line.max(1);
        json!({
            "description": f.message,
            "check_name": f.rule,
            "fingerprint": fingerprint,
            "severity": severity(f.severity),
            "location": {
                "path": self.path(&f.file),
                "lines": {"begin": begin, "end": f.end.line.max(begin)},
            },
        })
    }
}

impl Emitter for Gitlab {
    fn file(&mut self, out: &mut dyn Write, file: &FileFindings, _: &Catalog) -> io::Result<()> {
        for (f, suppressed, fingerprint) in super::fingerprint::of_file(file) {
            if suppressed.is_some() {
                continue;
            }
            let issue = self.issue(f, fingerprint);
            self.issues.push(out, &issue)?;
        }
        Ok(())
    }

    fn finish(&mut self, out: &mut dyn Write, _: &Totals, _: &Catalog) -> io::Result<()> {
        self.issues.close(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_are_relative_to_the_project() {
        let g = Gitlab::new(Some(PathBuf::from("/builds/org/registers")));
        assert_eq!(g.path("/builds/org/registers/a/b.yaml"), "a/b.yaml");
        assert_eq!(g.path("./a/b.yaml"), "a/b.yaml");
        assert_eq!(g.path("a\\b.yaml"), "a/b.yaml");
        assert_eq!(g.path("/elsewhere/b.yaml"), "/elsewhere/b.yaml");
    }
}
