//! `--format sarif`: SARIF 2.1.0 (OASIS), for GitHub code scanning and other SARIF viewers.
//!
//! One run, written as files arrive. `tool.driver.rules` describes every rule that has a result
//! (rules and built-in checks alike), in order of first use; each result points at it with
//! `ruleId` and `ruleIndex`. Regions count
//! columns in UTF-16 code units (`columnKind: utf16CodeUnits`, SARIF's default and what GitHub
//! reads), computed from the source, so a line with characters outside the BMP is still exact.
//! `partialFingerprints` holds a hash of what the finding is about, not where it is (see
//! [`super::fingerprint`]), so code scanning keeps an alert open across edits that only move lines.
//! Findings silenced by an inline `# seloste: allow` are results too, with `suppressions` (kind
//! `inSource`, the comment's reason as the justification); findings the run's baseline covers
//! (`lint --baseline`) too, with a suppression of kind `external` (the baseline is a file apart
//! from the source).

use std::collections::HashMap;

use serde_json::{Value, json};

use crate::document::{LineIndex, Span};
use crate::finding::{FileFindings, Finding, Severity};

use super::fingerprint::Silenced;

use super::catalog::{REPOSITORY_URL, RuleMeta};
use std::io::{self, Write};

use super::{Catalog, Emitter, Totals};

/// The `$schema` of the output: the OASIS SARIF 2.1.0 schema (errata 01), the one the tests
/// validate against.
pub const SCHEMA_URI: &str =
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json";

/// The key of our fingerprint in `partialFingerprints`; the version changes if its input does.
pub const FINGERPRINT_KEY: &str = "selosteFinding/v1";

/// `--format sarif`: results are written as files arrive; the rules they use, numbered in order
/// of first use, follow at the end (JSON members may come in any order).
#[derive(Default)]
pub struct Sarif {
    written: usize,
    index: HashMap<String, usize>,
    used: Vec<RuleMeta>,
}

fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

/// Percent-encodes what may not stand in a URI path (RFC 3986 `pchar` and `/`, less `:` so a
/// relative path is never read as a scheme); non-ASCII is encoded as UTF-8 bytes.
fn encode_path(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for b in path.bytes() {
        let keep = b.is_ascii_alphanumeric() || b"-._~!$&'()*+,;=@/".contains(&b);
        if keep {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// The file as a URI reference: relative paths stay relative (GitHub resolves them against the
/// repository root), absolute ones become `file:` URIs.
pub fn artifact_uri(file: &str) -> String {
    let bytes = file.as_bytes();
    let drive =
        bytes.len() >= 3 && bytes[0].is_ascii_alphabetic() && bytes[1] == b':' && bytes[2] == b'/';
    if drive {
        format!("file:///{}:{}", &file[..1], encode_path(&file[2..]))
    } else if file.starts_with('/') {
        format!("file://{}", encode_path(file))
    } else {
        encode_path(file)
    }
}

/// Byte offsets → SARIF line and UTF-16 column, over one file's source.
struct Locator<'a> {
    source: &'a str,
    lines: LineIndex,
}

impl<'a> Locator<'a> {
    fn new(source: &'a str) -> Self {
        Locator {
            source,
            lines: LineIndex::new(source),
        }
    }

    /// 1-based line and 1-based column in UTF-16 code units of byte `offset`.
    fn point(&self, offset: usize) -> (usize, usize) {
        let offset = crate::document::floor_char_boundary(self.source, offset);
        let (line, column) = self.lines.units(self.source, offset, true);
        (line + 1, column + 1)
    }

    fn region(&self, span: Span) -> Value {
        let (start_line, start_column) = self.point(span.start);
        let (end_line, end_column) = self.point(span.end.max(span.start));
        json!({
            "startLine": start_line,
            "startColumn": start_column,
            "endLine": end_line,
            "endColumn": end_column,
        })
    }

    fn location(&self, file: &str, span: Span) -> Value {
        json!({
            "physicalLocation": {
                "artifactLocation": {"uri": artifact_uri(file)},
                "region": self.region(span),
            }
        })
    }
}

/// `message.text`: the message, then the concrete fix as its own paragraph.
fn result_text(f: &Finding) -> String {
    match &f.help {
        Some(help) => format!("{}\n\nhelp: {help}", f.message),
        None => f.message.clone(),
    }
}

/// `suppressions` of a silenced result: for a comment in the source, its reason as the
/// justification and its place as the location.
fn suppressions(file: &str, how: Silenced<'_>, at: &Locator<'_>) -> Value {
    match how {
        Silenced::Inline(s) => {
            let mut suppression =
                json!({"kind": "inSource", "location": at.location(file, s.directive)});
            if let Some(reason) = &s.reason {
                suppression["justification"] = json!(reason);
            }
            json!([suppression])
        }
        Silenced::Baseline => json!([{
            "kind": "external",
            "justification": "recorded in the baseline (seloste lint --baseline)",
        }]),
    }
}

fn result(f: &Finding, rule_index: usize, fingerprint: String, at: &Locator<'_>) -> Value {
    let mut location = at.location(&f.file, f.span);
    if let Some(path) = &f.path {
        location["logicalLocations"] = json!([{"fullyQualifiedName": path, "kind": "member"}]);
    }
    let mut r = json!({
        "ruleId": f.rule,
        "ruleIndex": rule_index,
        "level": level(f.severity),
        "message": {"text": result_text(f)},
        "locations": [location],
        "partialFingerprints": {FINGERPRINT_KEY: fingerprint},
    });
    if !f.related.is_empty() {
        let related: Vec<Value> = f
            .related
            .iter()
            .enumerate()
            .map(|(i, l)| {
                let mut loc = at.location(&f.file, l.span);
                loc["id"] = json!(i + 1);
                loc["message"] = json!({"text": l.message});
                loc
            })
            .collect();
        r["relatedLocations"] = json!(related);
    }
    if !f.fixes.is_empty() {
        // SARIF's `fix`: the replacements of the file; whether it is safe to apply unreviewed in
        // the property bag (SARIF has no such notion).
        let fixes: Vec<Value> = f
            .fixes
            .iter()
            .map(|x| {
                let replacements: Vec<Value> = x
                    .edits
                    .iter()
                    .map(|e| json!({"deletedRegion": at.region(e.span), "insertedContent": {"text": e.text}}))
                    .collect();
                json!({
                    "description": {"text": x.title},
                    "artifactChanges": [{
                        "artifactLocation": {"uri": artifact_uri(&f.file)},
                        "replacements": replacements,
                    }],
                    "properties": {"safety": x.safety},
                })
            })
            .collect();
        r["fixes"] = json!(fixes);
    }
    if !f.refs.is_empty() {
        r["properties"] = json!({"refs": f.refs});
    }
    r
}

/// A `reportingDescriptor` for `tool.driver.rules`.
fn descriptor(m: &RuleMeta) -> Value {
    let law = (!m.refs.is_empty()).then(|| m.refs.display());
    let help_text = match (&m.docs, &law) {
        (Some(docs), _) => docs.trim_end().to_owned(),
        (None, Some(law)) => format!("{}\n\nlaw: {law}", m.description),
        (None, None) => m.description.clone(),
    };
    let mut help = json!({"text": help_text});
    if let Some(docs) = &m.docs {
        help["markdown"] = json!(docs.trim_end());
    }
    let pack = m.id.split('/').next().unwrap_or_default();
    json!({
        "id": m.id,
        "name": m.pascal_name(),
        "shortDescription": {"text": m.title},
        "fullDescription": {"text": m.description},
        "help": help,
        "helpUri": m.help_uri,
        "defaultConfiguration": {"level": level(m.severity)},
        "properties": {"tags": [pack], "refs": m.refs},
    })
}

/// Problems that stopped files from being checked, as the invocation's notifications.
fn invocation(errors: &[String]) -> Value {
    let notes: Vec<Value> = errors
        .iter()
        .map(|e| json!({"level": "error", "message": {"text": e}}))
        .collect();
    let mut inv = json!({"executionSuccessful": errors.is_empty()});
    if !notes.is_empty() {
        inv["toolExecutionNotifications"] = json!(notes);
    }
    inv
}

impl Sarif {
    /// Writes one element of `"results"`, opening the log before the first.
    fn write_result(&mut self, out: &mut dyn Write, result: &Value) -> io::Result<()> {
        if self.written == 0 {
            write_head(out)?;
            out.write_all(b"\n")?;
        } else {
            out.write_all(b",\n")?;
        }
        self.written += 1;
        super::write_indented(out, result, 8)
    }
}

impl Emitter for Sarif {
    fn file(
        &mut self,
        out: &mut dyn Write,
        file: &FileFindings,
        rules: &Catalog,
    ) -> io::Result<()> {
        let at = Locator::new(&file.source);
        // Suppressed findings are results too, in the same order, and take part in the
        // fingerprints' ordinals: adding or removing a suppression keeps every fingerprint.
        for (f, silenced, fp) in super::fingerprint::of_file(file) {
            // Rules are numbered in order of first use, so a result can be written at once.
            let next = self.used.len();
            let index = *self.index.entry(f.rule.clone()).or_insert_with(|| next);
            if index == next {
                self.used.push(rules.meta(&f.rule));
            }
            let mut r = result(f, index, fp, &at);
            if let Some(s) = silenced {
                r["suppressions"] = suppressions(&f.file, s, &at);
            }
            self.write_result(out, &r)?;
        }
        Ok(())
    }

    fn finish(&mut self, out: &mut dyn Write, totals: &Totals, _: &Catalog) -> io::Result<()> {
        if self.written == 0 {
            write_head(out)?;
        } else {
            out.write_all(b"\n      ")?;
        }
        out.write_all(b"],\n      \"invocations\": ")?;
        write_nested(out, &json!([invocation(&totals.problems)]))?;
        let version = env!("CARGO_PKG_VERSION");
        let tool = json!({"driver": {
            "name": "seloste",
            "version": version,
            "semanticVersion": version,
            "informationUri": REPOSITORY_URL,
            "rules": self.used.iter().map(descriptor).collect::<Vec<_>>(),
        }});
        out.write_all(b",\n      \"tool\": ")?;
        write_nested(out, &tool)?;
        out.write_all(b"\n    }\n  ]\n}\n")
    }
}

/// The log up to the opening bracket of `"results"`.
fn write_head(out: &mut dyn Write) -> io::Result<()> {
    write!(
        out,
        "{{\n  \"$schema\": {},\n  \"version\": \"2.1.0\",\n  \"runs\": [\n    {{\n      \"columnKind\": \"utf16CodeUnits\",\n      \"results\": [",
        json!(SCHEMA_URI)
    )
}

/// A value as the member of an object at depth 3 (6 spaces): its first line follows the key.
fn write_nested(out: &mut dyn Write, value: &Value) -> io::Result<()> {
    let text = serde_json::to_string_pretty(value).map_err(io::Error::other)?;
    let mut lines = text.lines();
    if let Some(first) = lines.next() {
        out.write_all(first.as_bytes())?;
    }
    for l in lines {
        write!(out, "\n      {l}")?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_count_utf16_code_units() {
        let src = "a: 1\nb: \"😀ä\" x\n";
        let at = Locator::new(src);
        let x = src.find(" x").unwrap_or_default() + 1;
        // `b: "` is 4 units, the emoji 2, `ä` 1, `" ` 2: x is the 10th unit.
        assert_eq!(at.point(x), (2, 10));
        assert_eq!(at.point(0), (1, 1));
        assert_eq!(at.point(src.len()), (3, 1));
    }

    #[test]
    fn uris_are_relative_references_or_file_uris() {
        assert_eq!(
            artifact_uri("fixtures/seeds/a b.yaml"),
            "fixtures/seeds/a%20b.yaml"
        );
        assert_eq!(
            artifact_uri("rekisteri/ä:1.yaml"),
            "rekisteri/%C3%A4%3A1.yaml"
        );
        assert_eq!(artifact_uri("/tmp/x.yaml"), "file:///tmp/x.yaml");
        assert_eq!(artifact_uri("C:/r/x.yaml"), "file:///C:/r/x.yaml");
    }
}
