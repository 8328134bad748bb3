//! The one result type every stage produces and every emitter reads.

use serde::Serialize;

use crate::document::{LineIndex, Position, Span};

/// How serious a finding is. Ordered so that `Error` is the greatest.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Serialize,
    serde::Deserialize,
    schemars::JsonSchema,
)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Info,
    Warning,
    Error,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

impl std::fmt::Display for Severity {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Legal references of the rule behind a finding.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Refs {
    /// GDPR articles, e.g. `Art. 6(3)`.
    pub gdpr: Vec<String>,
    /// National law, e.g. `Tietosuojalaki 1050/2018 4 §`.
    pub law: Vec<String>,
    /// The language they are shown in (`""`: English), in its citation style.
    #[serde(skip)]
    pub lang: &'static str,
}

impl Refs {
    pub fn is_empty(&self) -> bool {
        self.gdpr.is_empty() && self.law.is_empty()
    }

    /// `GDPR Art. 6(3); Tietosuojalaki 1050/2018 4 §`, or in the citation style of `lang`:
    /// "tietosuoja-asetuksen 6 artiklan 3 kohta; tietosuojalaki (1050/2018) 4 §".
    pub fn display(&self) -> String {
        let m = crate::messages::get(self.lang);
        let gdpr = self.gdpr.iter().map(|a| m.gdpr_ref(a));
        gdpr.chain(self.law.iter().map(|l| m.act_ref(l)))
            .collect::<Vec<_>>()
            .join("; ")
    }
}

/// A secondary place related to a finding (e.g. where a duplicated key was first defined).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Label {
    pub span: Span,
    pub message: String,
}

/// Whether a fix can be applied without a person looking at it (as ruff marks them): a safe fix
/// keeps the meaning the author intended (a moved office's address, a citation's number written
/// the right way round); an unsafe one guesses (the nearest known value for a typo).
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Serialize,
    serde::Deserialize,
    schemars::JsonSchema,
)]
#[serde(rename_all = "lowercase")]
pub enum Safety {
    Safe,
    Unsafe,
}

impl Safety {
    pub fn as_str(self) -> &'static str {
        match self {
            Safety::Safe => "safe",
            Safety::Unsafe => "unsafe",
        }
    }
}

/// One replacement of a span of the source.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Edit {
    pub span: Span,
    /// The text that replaces the span, as it is written in the file (quoted and escaped for the
    /// scalar it goes into).
    pub text: String,
}

/// A fix of a finding: edits of its file, never overlapping, in source order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Fix {
    /// What the fix does, e.g. "Replace with `(EU) 2016/679`".
    pub title: String,
    pub safety: Safety,
    pub edits: Vec<Edit>,
}

/// What a structure finding says of a value: rules that read it would build their advice on the
/// mistake, so their findings are held back until it is fixed (`crate::rules::reads`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unusable {
    /// A value of the wrong type: whatever reads it, as data or as text, is off.
    Value,
    /// A value outside its enumeration or format, an unknown reference, a misspelt key: rules
    /// reading it as data are off; the register's texts are still fine to read.
    Data,
}

/// A located problem in one file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    /// Stable id: `<pack>/<slug>` for rules, `seloste/<check>` for built-in checks.
    pub rule: String,
    pub severity: Severity,
    /// The file as the user named it (or as discovered), with `/` separators.
    pub file: String,
    /// The primary span, in bytes.
    pub span: Span,
    pub start: Position,
    pub end: Position,
    /// The field path the finding is about, when it has one (`purposes[0].laws`).
    pub path: Option<String>,
    pub message: String,
    /// Text of the primary label under the source excerpt.
    pub label: Option<String>,
    pub help: Option<String>,
    pub refs: Refs,
    pub related: Vec<Label>,
    /// Edits that would fix the finding (`lint --fix`, the editor's quick fixes, `fixes` in JSON
    /// and SARIF); most findings have none.
    pub fixes: Vec<Fix>,
    /// For a structure finding: the field path of the value it makes unusable (for a misspelt key,
    /// the key it was meant to be) and how. Not part of any output.
    #[serde(skip)]
    pub unusable: Option<(String, Unusable)>,
    /// For a structure finding with a "did you mean": the value meant, whatever the language of
    /// the help that says it (the unsafe fix writes it). Not part of any output.
    #[serde(skip)]
    pub suggestion: Option<String>,
}

impl Finding {
    /// A finding at `span` with positions still to be filled by [`Finding::locate`].
    pub fn new(
        rule: impl Into<String>,
        severity: Severity,
        span: Span,
        message: impl Into<String>,
    ) -> Self {
        let zero = Position { line: 0, column: 0 };
        Finding {
            rule: rule.into(),
            severity,
            file: String::new(),
            span,
            start: zero,
            end: zero,
            path: None,
            message: message.into(),
            label: None,
            help: None,
            refs: Refs::default(),
            related: Vec::new(),
            fixes: Vec::new(),
            suggestion: None,
            unusable: None,
        }
    }

    pub fn with_unusable(mut self, path: impl Into<String>, how: Unusable) -> Self {
        self.unusable = Some((path.into(), how));
        self
    }

    /// With a "did you mean `best`?" help in the words of `m`, and `best` kept for the fix.
    pub fn with_suggestion(mut self, best: &str, m: &crate::messages::Messages) -> Self {
        self.suggestion = Some(best.to_owned());
        self.with_help(m.fill("structure.did_you_mean", &[("best", best)]))
    }

    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    pub fn with_label(mut self, label: impl Into<String>) -> Self {
        self.label = Some(label.into());
        self
    }

    pub fn with_path(mut self, path: impl Into<String>) -> Self {
        self.path = Some(path.into());
        self
    }

    pub fn with_fix(mut self, fix: Fix) -> Self {
        self.fixes.push(fix);
        self
    }

    pub fn with_related(mut self, span: Span, message: impl Into<String>) -> Self {
        self.related.push(Label {
            span,
            message: message.into(),
        });
        self
    }

    /// Fills in the file name and line/column positions from the source.
    pub fn locate(&mut self, file: &str, source: &str, lines: &LineIndex) {
        self.file = file.to_owned();
        self.start = lines.position(source, self.span.start);
        self.end = lines.position(source, self.span.end);
    }

    /// The fix and the legal references as lines (`\nhelp: ...`, `\nlaw: ...`), for the formats that
    /// put everything in one text.
    pub fn help_and_law(&self) -> String {
        let m = crate::messages::get(self.refs.lang);
        let mut text = String::new();
        if let Some(help) = &self.help {
            text += &format!("\n{}{help}", m.text("summary.help"));
        }
        if !self.refs.is_empty() {
            text += &format!("\n{}{}", m.text("summary.law"), self.refs.display());
        }
        text
    }

    /// The order of the output: file, seloste's own checks before the rules (a structure error
    /// explains what follows), line, column, rule id (then message, for ties).
    pub fn sort_key(&self) -> (&str, bool, usize, usize, &str, &str) {
        (
            &self.file,
            !self.rule.starts_with("seloste/"),
            self.start.line,
            self.start.column,
            &self.rule,
            &self.message,
        )
    }
}

/// A finding silenced by an inline `# seloste: allow` comment, with what silenced it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Suppressed {
    pub finding: Finding,
    /// The reason written after `--` in the comment (`None` when it has none, which is itself a
    /// `seloste/allow-reason` finding).
    pub reason: Option<String>,
    /// The `# seloste: ...` comment, in bytes.
    pub directive: Span,
}

/// The findings of one file, with the source they point into (for excerpts).
#[derive(Debug, Clone)]
pub struct FileFindings {
    pub file: String,
    pub source: String,
    pub findings: Vec<Finding>,
    /// Findings silenced by an inline `# seloste: allow`, in output order (counted in the summary,
    /// shown only where a format supports suppressions: SARIF).
    pub suppressed: Vec<Suppressed>,
    /// Findings the run's baseline covers (`lint --baseline`), in output order: not shown, not
    /// counted for the exit code; JSON lists them with `baselined: true`, SARIF as suppressed.
    /// Read with [`FileFindings::baselined`]. A `Vec` behind one pointer: most runs have no
    /// baseline, and a `FileFindings` stays small enough to be an error variant.
    #[allow(clippy::box_collection)]
    pub baselined: Option<Box<Vec<Finding>>>,
    /// What the run needs of the register beyond its findings, when it is one.
    pub register: Option<Box<RegisterInfo>>,
    /// Rule findings not shown because they read a value a structure finding of the file
    /// reports (they would repeat or misread the mistake); shown once it is fixed.
    pub held_back: usize,
}

/// A register's `id` (with the span of its value: ids are unique across the files of a run) and
/// `updated` date (the HTML report shows it), as written, and the language of its rule messages.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RegisterInfo {
    /// The id, the span of its value and its line.
    pub id: Option<(String, Span, usize)>,
    pub updated: Option<String>,
    /// The language of the rule messages (its config's, when configs differ within a run).
    pub lang: String,
}

impl FileFindings {
    /// The findings the run's baseline covers, in output order.
    pub fn baselined(&self) -> &[Finding] {
        self.baselined.as_deref().map_or(&[], Vec::as_slice)
    }

    /// Locates every finding in `source` and sorts them.
    pub fn new(file: &str, source: String, mut findings: Vec<Finding>) -> Self {
        let lines = LineIndex::new(&source);
        for f in &mut findings {
            f.locate(file, &source, &lines);
        }
        findings.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
        FileFindings {
            file: file.to_owned(),
            source,
            findings,
            suppressed: Vec::new(),
            baselined: None,
            register: None,
            held_back: 0,
        }
    }

    /// A file that does not load, as its one finding (`seloste/yaml` or `seloste/encoding`),
    /// with the label and, for the common YAML mistakes, the help in `lang` (the parser's own
    /// message stays as it wrote it).
    pub fn from_load_error(e: crate::document::LoadError, file: &str, lang: &str) -> FileFindings {
        let m = crate::messages::get(lang);
        let help = match e.kind {
            crate::document::LoadErrorKind::Syntax => {
                crate::yaml_help::help_in(&e.message, &e.source, e.span.start, m)
            }
            _ => None,
        };
        let mut f = Finding::new(e.kind.rule(), Severity::Error, e.span, e.message)
            .with_label(m.text("yaml.here"));
        f.help = help.or(e.help);
        FileFindings::new(file, e.source, vec![f])
    }
}
