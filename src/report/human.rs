//! Annotated source excerpts like rustc's, through miette's graphical handler.

use std::fmt;
use std::io::{self, Write};

use miette::{
    Diagnostic, GraphicalReportHandler, GraphicalTheme, LabeledSpan, NamedSource, SourceCode,
};

use crate::finding::{FileFindings, Finding, Severity};

/// How to draw: colours and Unicode on a terminal, plain ASCII otherwise.
#[derive(Debug, Clone, Copy)]
pub struct Style {
    pub color: bool,
    pub unicode: bool,
    pub width: usize,
}

struct Shown<'a> {
    finding: &'a Finding,
    /// `None` when the excerpt is not shown; then `place` names the location.
    source: Option<&'a NamedSource<String>>,
    help: Option<String>,
    place: Option<String>,
}

impl fmt::Display for Shown<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.finding.message)?;
        match &self.place {
            Some(p) => write!(f, "\n  at {p}"),
            None => Ok(()),
        }
    }
}

impl fmt::Debug for Shown<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.finding.message)
    }
}

impl std::error::Error for Shown<'_> {}

impl Diagnostic for Shown<'_> {
    fn code<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        Some(Box::new(format!(
            "{}[{}]",
            self.finding.severity, self.finding.rule
        )))
    }

    fn severity(&self) -> Option<miette::Severity> {
        Some(match self.finding.severity {
            Severity::Error => miette::Severity::Error,
            Severity::Warning => miette::Severity::Warning,
            Severity::Info => miette::Severity::Advice,
        })
    }

    fn help<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        self.help
            .as_ref()
            .map(|h| Box::new(h) as Box<dyn fmt::Display>)
    }

    fn source_code(&self) -> Option<&dyn SourceCode> {
        self.source.map(|s| s as &dyn SourceCode)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        let f = self.finding;
        let primary =
            LabeledSpan::new_primary_with_span(f.label.clone(), (f.span.start, f.span.len()));
        let related = f.related.iter().map(|l| {
            LabeledSpan::new_with_span(Some(l.message.clone()), (l.span.start, l.span.len()))
        });
        Some(Box::new(std::iter::once(primary).chain(related)))
    }
}

/// Lines longer than this (in bytes) are not shown as excerpts.
const MAX_EXCERPT_LINE: usize = 1000;

/// The length of the line that contains byte `offset`.
fn line_length(source: &str, offset: usize) -> usize {
    let offset = offset.min(source.len());
    let start = source[..offset].rfind('\n').map_or(0, |i| i + 1);
    let end = source[offset..]
        .find('\n')
        .map_or(source.len(), |i| offset + i);
    end - start
}

/// Renders every finding of one file.
pub fn render_file(out: &mut String, file: &FileFindings, style: Style) {
    let theme = match (style.unicode, style.color) {
        (true, true) => GraphicalTheme::unicode(),
        (true, false) => GraphicalTheme::unicode_nocolor(),
        (false, _) => GraphicalTheme::none(),
    };
    let handler = GraphicalReportHandler::new_themed(theme)
        .with_width(style.width)
        .with_links(false);
    let source = NamedSource::new(&file.file, file.source.clone());
    for finding in &file.findings {
        let mut help = finding.help.clone();
        if !finding.refs.is_empty() {
            let law = format!("law: {}", finding.refs.display());
            help = Some(match help {
                Some(h) => format!("{h}\n{law}"),
                None => law,
            });
        }
        // An excerpt of a line of thousands of characters (minified or hostile input) helps no
        // one: name the place in the message instead.
        let long_line = line_length(&file.source, finding.span.start) > MAX_EXCERPT_LINE;
        let shown = Shown {
            finding,
            source: (!long_line).then_some(&source),
            help,
            place: long_line.then(|| {
                format!(
                    "{}:{}:{} (the line is too long to show)",
                    finding.file, finding.start.line, finding.start.column
                )
            }),
        };
        if handler.render_report(out, &shown).is_err() {
            // Rendering into a String cannot fail on I/O; fall back to the one-line form anyway.
            out.push_str(&format!(
                "{}:{}:{}: {}[{}] {}\n",
                finding.file,
                finding.start.line,
                finding.start.column,
                finding.severity,
                finding.rule,
                finding.message
            ));
        }
        out.push('\n');
    }
}

/// `--format human`: every file's excerpts, then the summary line.
pub struct Human {
    pub style: Style,
}

impl super::Emitter for Human {
    fn file(
        &mut self,
        out: &mut dyn Write,
        file: &FileFindings,
        _: &super::Catalog,
    ) -> io::Result<()> {
        if file.findings.is_empty() {
            return Ok(());
        }
        let mut text = String::new();
        render_file(&mut text, file, self.style);
        out.write_all(text.as_bytes())
    }

    fn finish(
        &mut self,
        out: &mut dyn Write,
        totals: &super::Totals,
        _: &super::Catalog,
    ) -> io::Result<()> {
        writeln!(out, "{}", super::summary(totals))
    }
}
