//! Findings → the protocol's diagnostics: the rule id as `code`, its docs as `codeDescription`,
//! the message with the help and the law, the related places.

use lsp_types::{
    CodeDescription, Diagnostic, DiagnosticRelatedInformation, DiagnosticSeverity, Location,
    NumberOrString, Uri,
};
use serde_json::json;

use super::documents::{Encoding, Lines};
use crate::finding::{FileFindings, Finding, Severity};
use crate::report::Catalog;
use crate::report::catalog::DOCS_BASE_URL;

/// The diagnostic `source`: which tool said it.
pub const SOURCE: &str = "seloste";

pub fn severity(s: Severity) -> DiagnosticSeverity {
    match s {
        Severity::Error => DiagnosticSeverity::ERROR,
        Severity::Warning => DiagnosticSeverity::WARNING,
        Severity::Info => DiagnosticSeverity::INFORMATION,
    }
}

/// The web page of a rule or check: what SARIF's `helpUri` says.
pub fn help_uri(catalog: Option<&Catalog>, rule: &str) -> String {
    catalog
        .and_then(|c| c.get(rule))
        .map(|m| m.help_uri.clone())
        .unwrap_or_else(|| format!("{DOCS_BASE_URL}output.md#built-in-check-ids"))
}

/// The diagnostics of one file's findings. `uri` is the document's; `index` of each finding is
/// kept in `data` so a code action finds the finding again.
pub fn of_file(
    file: &FileFindings,
    uri: &Uri,
    catalog: Option<&Catalog>,
    encoding: Encoding,
) -> Vec<Diagnostic> {
    let lines = Lines::new(&file.source, encoding);
    file.findings
        .iter()
        .enumerate()
        .map(|(i, f)| one(f, i, uri, &lines, catalog))
        .collect()
}

fn one(
    f: &Finding,
    index: usize,
    uri: &Uri,
    lines: &Lines,
    catalog: Option<&Catalog>,
) -> Diagnostic {
    let mut message = f.message.clone();
    let title = catalog
        .and_then(|c| c.get(&f.rule))
        .map(|m| m.title.as_str());
    // The label says what is wrong at the span; the rule's title there says nothing new.
    if let Some(label) = &f.label
        && !label.is_empty()
        && !f.message.contains(label.as_str())
        && Some(label.as_str()) != title
    {
        message.push_str(&format!(" ({label})"));
    }
    message.push_str(&f.help_and_law());
    let href = help_uri(catalog, &f.rule).parse::<Uri>().ok();
    let related: Vec<DiagnosticRelatedInformation> = f
        .related
        .iter()
        .map(|l| DiagnosticRelatedInformation {
            location: Location::new(uri.clone(), lines.range(l.span)),
            message: l.message.clone(),
        })
        .collect();
    Diagnostic {
        range: lines.range(f.span),
        severity: Some(severity(f.severity)),
        code: Some(NumberOrString::String(f.rule.clone())),
        code_description: href.map(|href| CodeDescription { href }),
        source: Some(SOURCE.to_owned()),
        message,
        related_information: (!related.is_empty()).then_some(related),
        tags: None,
        data: Some(json!({"index": index, "fixes": f.fixes.len()})),
    }
}
