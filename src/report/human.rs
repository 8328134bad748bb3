//! Annotated source excerpts like rustc's, through miette's graphical handler.

use std::fmt;
use std::io::{self, Write};

use miette::{
    Diagnostic, GraphicalReportHandler, GraphicalTheme, LabeledSpan, MietteError,
    MietteSpanContents, SourceCode, SourceSpan, SpanContents,
};

use super::{Catalog, Emitter, Totals};
use crate::finding::{FileFindings, Finding, Severity};

/// How to draw: colours and Unicode on a terminal, plain ASCII otherwise.
#[derive(Debug, Clone, Copy)]
pub struct Style {
    pub color: bool,
    pub unicode: bool,
    pub width: usize,
}

#[derive(Debug)]
struct Shown<'a> {
    finding: &'a Finding,
    /// `None` when the excerpt is not shown; then `place` names the location.
    source: Option<&'a Excerpt<'a>>,
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

/// A file's source for miette, read around each span instead of from the start of the file.
///
/// miette's own `SourceCode` for strings walks the file from its first byte for every label,
/// which made rendering the human output a fifth of a large run. This one cuts out the lines
/// around the span first (found with memchr), lets miette's reading run on them, and moves its
/// line numbers and offsets back to the whole file: the same contents, so the same output.
#[derive(Debug)]
struct Excerpt<'a> {
    name: &'a str,
    source: &'a str,
    /// The file ends its lines with `\n` or `\r\n` only. A lone `\r` is a line break to miette:
    /// such files are read whole, as miette does.
    plain_breaks: bool,
}

impl<'a> Excerpt<'a> {
    fn new(name: &'a str, source: &'a str) -> Self {
        let bytes = source.as_bytes();
        let plain_breaks =
            memchr::memchr_iter(b'\r', bytes).all(|i| bytes.get(i + 1) == Some(&b'\n'));
        Excerpt {
            name,
            source,
            plain_breaks,
        }
    }
}

impl SourceCode for Excerpt<'_> {
    fn read_span<'b>(
        &'b self,
        span: &SourceSpan,
        before: usize,
        after: usize,
    ) -> Result<Box<dyn SpanContents<'b> + 'b>, MietteError> {
        let bytes = self.source.as_bytes();
        let (start, end) = (span.offset(), span.offset() + span.len());
        let (from, to) = if !self.plain_breaks || end > bytes.len() {
            (0, bytes.len())
        } else {
            // A line more on each side than asked for: miette's reading then stops inside the
            // cut, where it stops in the whole file.
            let from = memchr::memrchr_iter(b'\n', &bytes[..start])
                .nth(before + 1)
                .map_or(0, |i| i + 1);
            let to = memchr::memchr_iter(b'\n', &bytes[end.saturating_sub(1)..])
                .nth(after + 2)
                .map_or(bytes.len(), |i| end.saturating_sub(1) + i + 1);
            (from, to)
        };
        let base = memchr::memchr_iter(b'\n', &bytes[..from]).count();
        let inner_span = SourceSpan::new((start - from).into(), span.len());
        let inner = bytes[from..to].read_span(&inner_span, before, after)?;
        let data: &'b [u8] = inner.data();
        let at = inner.span();
        Ok(Box::new(MietteSpanContents::new_named(
            self.name.to_owned(),
            data,
            SourceSpan::new((at.offset() + from).into(), at.len()),
            inner.line() + base,
            inner.column(),
            inner.line_count() + base,
        )))
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
pub fn render_file(out: &mut String, file: &FileFindings, style: Style, lang: &str) {
    let theme = match (style.unicode, style.color) {
        (true, true) => GraphicalTheme::unicode(),
        (true, false) => GraphicalTheme::unicode_nocolor(),
        (false, _) => GraphicalTheme::none(),
    };
    let handler = GraphicalReportHandler::new_themed(theme)
        .with_width(style.width)
        .with_links(false)
        .with_word_separator(textwrap::WordSeparator::AsciiSpace)
        // Lines break at spaces only: never inside a date (`2026-12-06`), a compound word or a
        // word longer than the line.
        .with_word_splitter(textwrap::WordSplitter::NoHyphenation)
        .with_break_words(false);
    let source = Excerpt::new(&file.file, &file.source);
    let m = crate::messages::get(lang);
    for finding in &file.findings {
        let mut help = finding.help.clone();
        if !finding.refs.is_empty() {
            let law = format!("{}{}", m.text("summary.law"), finding.refs.display());
            help = Some(match help {
                Some(h) => format!("{h}\n{law}"),
                None => law,
            });
        }
        // miette writes `help:` itself: in another language, the help block is written here.
        let own_help = (m.lang != "en").then(|| help.take()).flatten();
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
            out.push_str(&(super::short::line(finding) + "\n"));
        }
        if let Some(text) = own_help {
            out.push_str(&help_block(m.text("summary.help"), &text, style.width));
        }
        out.push('\n');
    }
}

/// `  help: text` wrapped as miette wraps its help (continuation lines under the text), for the
/// languages whose word for "help" miette does not know.
fn help_block(prefix: &str, text: &str, width: usize) -> String {
    let first = format!("  {prefix}");
    let rest = " ".repeat(first.chars().count());
    let mut out = String::new();
    for (i, line) in text.lines().enumerate() {
        let options = textwrap::Options::new(width)
            .initial_indent(if i == 0 { &first } else { &rest })
            .subsequent_indent(&rest)
            .word_separator(textwrap::WordSeparator::AsciiSpace)
            .word_splitter(textwrap::WordSplitter::NoHyphenation)
            .break_words(false);
        for l in textwrap::wrap(line, options) {
            out.push_str(l.trim_end());
            out.push('\n');
        }
    }
    out
}

/// `--format human`: every file's excerpts, then the summary line.
pub struct Human {
    pub style: Style,
    /// The language of the `help:` and `law:` prefixes and the summary.
    pub lang: String,
}

impl Emitter for Human {
    fn file(&mut self, out: &mut dyn Write, file: &FileFindings, _: &Catalog) -> io::Result<()> {
        if file.findings.is_empty() {
            return Ok(());
        }
        let mut text = String::new();
        render_file(&mut text, file, self.style, &self.lang);
        out.write_all(text.as_bytes())
    }

    fn finish(&mut self, out: &mut dyn Write, totals: &Totals, _: &Catalog) -> io::Result<()> {
        writeln!(out, "{}", super::summary(totals))
    }
}

#[cfg(test)]
mod excerpt_tests {
    use super::*;

    #[test]
    fn an_excerpt_reads_what_miette_reads_from_the_whole_file() {
        let sources = [
            "a: 1\nbb: 2\n\nccc: 3\ndddd: 4\ne: 5\n".to_owned(),
            "a: 1\r\nbb: 2\r\n\r\nccc: 3\r\ndddd: 4\r\ne: 5".to_owned(),
            "one line, no break".to_owned(),
            "x: ä\ny: öö\n\n\nz: å\n".to_owned(),
            "lone\rcarriage\rreturns\n".to_owned(),
            include_str!("../../fixtures/valid/authority.yaml").to_owned(),
        ];
        for source in &sources {
            let excerpt = Excerpt::new("f.yaml", source);
            let bounds: Vec<usize> = (0..=source.len())
                .filter(|i| source.is_char_boundary(*i))
                .collect();
            // Every start in the short sources, every fifth in the fixture.
            let every = if source.len() < 200 { 1 } else { 5 };
            for (n, &start) in bounds.iter().enumerate().step_by(every) {
                // Short spans from every start, long ones (several lines) from some.
                let long = bounds[n..].iter().step_by(97).filter(|_| n % 29 == 0);
                for &end in bounds[n..].iter().take(12).chain(long) {
                    let span = SourceSpan::new(start.into(), end - start);
                    for (before, after) in [(0, 0), (1, 1), (2, 3), (3, 0)] {
                        let want = source.as_str().read_span(&span, before, after);
                        let got = excerpt.read_span(&span, before, after);
                        match (want, got) {
                            (Ok(w), Ok(g)) => {
                                let at = format!("{source:?} {start}..{end} ({before}, {after})");
                                assert_eq!(w.data(), g.data(), "{at}");
                                assert_eq!(w.span(), g.span(), "{at}");
                                assert_eq!(w.line(), g.line(), "{at}");
                                assert_eq!(w.column(), g.column(), "{at}");
                                assert_eq!(w.line_count(), g.line_count(), "{at}");
                                assert_eq!(g.name(), Some("f.yaml"));
                            }
                            (w, g) => assert_eq!(w.is_err(), g.is_err()),
                        }
                    }
                }
            }
        }
    }
}
