//! `.seloste.yaml`: read and checked with the same schema walker as registers (unknown keys with
//! did-you-mean, bad severities), then applied to the rule set: severities, `off`, options, and
//! per-path overrides. Which config governs which file is `crate::settings`'s job.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::LazyLock;

use globset::{Glob, GlobSet, GlobSetBuilder};
use schemars::JsonSchema;
use serde::Deserialize;

use crate::document::{self, Budget, Document, Node, Span, plain_view};
use crate::finding::{FileFindings, Finding, Severity};
use crate::rules::RuleSet;
use crate::structure;

/// The file name looked for in a file's directory and its parents.
pub const FILE_NAME: &str = ".seloste.yaml";

/// The config file format (FORMAT.md §3).
#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ConfigFile {
    /// Built-in packs to use (default: all of them).
    pub extends: Option<Vec<String>>,
    /// Language of messages: en (default), fi or sv.
    pub language: Option<Lang>,
    /// Globs (relative to the config file) of files to lint in directory walks.
    pub include: Option<Vec<String>>,
    /// Globs of files never to lint in directory walks (.gitignore is always respected).
    pub exclude: Option<Vec<String>>,
    /// Directories of custom rules, relative to the config file.
    pub rule_dirs: Option<Vec<String>>,
    /// Per-rule severity (`error`, `warning`, `info`, `off`) or `{severity, options}`.
    pub rules: Option<BTreeMap<String, RuleSetting>>,
    /// Settings for files matching globs, applied after `rules`, in order.
    pub overrides: Option<Vec<Override>>,
    /// A baseline file (relative to the config file): the findings it records are hidden and do
    /// not fail the run (`seloste lint --write-baseline FILE` writes one; docs/adoption.md).
    pub baseline: Option<String>,
}

/// A language of messages and docs; the same values on the command line and in the config.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema, clap::ValueEnum)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    En,
    Fi,
    Sv,
}

impl Lang {
    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Fi => "fi",
            Lang::Sv => "sv",
        }
    }
}

/// A severity, or `off` to disable the rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    Error,
    Warning,
    Info,
    Off,
}

impl Level {
    fn severity(self) -> Option<Severity> {
        match self {
            Level::Error => Some(Severity::Error),
            Level::Warning => Some(Severity::Warning),
            Level::Info => Some(Severity::Info),
            Level::Off => None,
        }
    }
}

#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(untagged)]
pub enum RuleSetting {
    Level(Level),
    Detailed(DetailedSetting),
}

#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DetailedSetting {
    pub severity: Option<Level>,
    /// Replaces these keys of the rule's `options`.
    pub options: Option<BTreeMap<String, serde_json::Value>>,
}

#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Override {
    /// Globs relative to the config file.
    pub files: Vec<String>,
    pub rules: BTreeMap<String, RuleSetting>,
}

static SCHEMA: LazyLock<serde_json::Value> =
    LazyLock::new(|| schemars::schema_for!(ConfigFile).to_value());

pub use crate::rules::Adjust;

/// One `rule-id: setting` entry: the id, the span of the key (for diagnostics), the setting.
type Setting = (String, Span, Node);

/// The loaded configuration, paths resolved.
#[derive(Debug, Default, Clone)]
pub struct Config {
    /// The config file, when one was found.
    pub path: Option<PathBuf>,
    /// The directory relative paths and globs are resolved against: the config's directory
    /// (canonical when `crate::settings` found it), or the working directory without a config.
    pub root: PathBuf,
    pub packs: Option<Vec<String>>,
    pub language: Option<Lang>,
    pub include: Option<GlobSet>,
    pub exclude: Option<GlobSet>,
    pub rule_dirs: Vec<PathBuf>,
    /// `baseline:`, joined to the config's directory as the config was named.
    pub baseline: Option<PathBuf>,
    /// Rule id → its setting and the span of the key in the config (for diagnostics).
    rules: Vec<Setting>,
    overrides: Vec<(GlobSet, Vec<Setting>)>,
    doc: Option<(String, String)>,
}

fn problem(file: &str, source: String, findings: Vec<Finding>) -> Vec<FileFindings> {
    vec![FileFindings::new(file, source, findings)]
}

fn config_error(span: Span, message: impl Into<String>, label: &str) -> Finding {
    Finding::new("seloste/config", Severity::Error, span, message).with_label(label)
}

/// A problem of the config file as a whole, shown at its start.
fn file_error(file: &str, source: String, message: String) -> Vec<FileFindings> {
    problem(
        file,
        source,
        vec![config_error(Span::default(), message, "here")],
    )
}

/// Reads and checks a config file. Problems are diagnostics into the file (the caller exits 2).
pub fn load(path: &Path) -> Result<Config, Vec<FileFindings>> {
    let name = crate::paths::display_path(path);
    let bytes = std::fs::read(path)
        .map_err(|e| file_error(&name, String::new(), format!("cannot read the config: {e}")))?;
    let root = path.parent().map(Path::to_path_buf).unwrap_or_default();
    let doc = match document::load(&bytes, Budget::default()) {
        Ok(d) => d,
        Err(e) if e.kind == document::LoadErrorKind::Empty => {
            return Ok(Config {
                path: Some(path.to_path_buf()),
                root,
                ..Config::default()
            });
        }
        Err(e) => return Err(vec![FileFindings::from_load_error(e, &name, "en")]),
    };
    let findings = structure::check_named(&doc, &SCHEMA, "structure.root_config", "en");
    if !findings.is_empty() {
        return Err(problem(&name, doc.source, findings));
    }
    let parsed: ConfigFile = serde_json::from_value(doc.root.to_json())
        .map_err(|e| file_error(&name, doc.source.clone(), format!("invalid config: {e}")))?;
    build(path, root, &doc, parsed).map_err(|f| problem(&name, doc.source.clone(), f))
}

fn globs(doc: &Document, path: &str, patterns: &[String]) -> Result<GlobSet, Vec<Finding>> {
    let mut builder = GlobSetBuilder::new();
    let mut errors = Vec::new();
    for (i, p) in patterns.iter().enumerate() {
        match Glob::new(p) {
            Ok(g) => {
                builder.add(g);
            }
            Err(e) => {
                let span = span_at(doc, &format!("{path}[{i}]"));
                errors.push(config_error(span, format!("bad glob `{p}`: {e}"), "here"));
            }
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    builder.build().map_err(|e| {
        vec![config_error(
            Span::default(),
            format!("bad globs: {e}"),
            "here",
        )]
    })
}

fn node_at<'d>(doc: &'d Document, path: &str) -> Option<&'d Node> {
    let segments = document::parse_path(path)?;
    segments
        .into_iter()
        .try_fold(&doc.root, |node, seg| match seg {
            document::Segment::Key(k) => node.get(&k),
            document::Segment::Index(i) => node.as_seq()?.get(i),
        })
}

fn span_at(doc: &Document, path: &str) -> Span {
    node_at(doc, path).map_or(Span::default(), |n| n.span)
}

/// `(rule id, key span, setting node)` of a `rules:` mapping at `path`.
fn settings(doc: &Document, path: &str) -> Vec<Setting> {
    node_at(doc, path)
        .and_then(Node::as_map)
        .unwrap_or(&[])
        .iter()
        .map(|e| (e.key.clone(), e.key_span, e.value.clone()))
        .collect()
}

fn build(
    path: &Path,
    root: PathBuf,
    doc: &Document,
    parsed: ConfigFile,
) -> Result<Config, Vec<Finding>> {
    let globs_at = |key, patterns: &Option<Vec<String>>| {
        patterns.as_ref().map(|p| globs(doc, key, p)).transpose()
    };
    let include = globs_at("include", &parsed.include)?;
    let exclude = globs_at("exclude", &parsed.exclude)?;
    let mut overrides = Vec::new();
    for (i, o) in parsed.overrides.iter().flatten().enumerate() {
        overrides.push((
            globs(doc, &format!("overrides[{i}].files"), &o.files)?,
            settings(doc, &format!("overrides[{i}].rules")),
        ));
    }
    if let Some(packs) = &parsed.extends {
        let known = crate::rules::builtin::packs();
        let mut errors = Vec::new();
        for (i, p) in packs.iter().enumerate() {
            if !known.contains(&p.as_str()) {
                let span = span_at(doc, &format!("extends[{i}]"));
                let help = match structure::did_you_mean(p, known.iter().copied()) {
                    Some(best) => format!("did you mean `{best}`?"),
                    None => format!("built-in packs: {}", known.join(", ")),
                };
                let f = config_error(span, format!("unknown pack `{p}`"), "not a built-in pack");
                errors.push(f.with_help(help));
            }
        }
        if !errors.is_empty() {
            return Err(errors);
        }
    }
    Ok(Config {
        path: Some(path.to_path_buf()),
        rule_dirs: parsed
            .rule_dirs
            .iter()
            .flatten()
            .map(|d| root.join(d))
            .collect(),
        baseline: parsed.baseline.as_ref().map(|b| root.join(b)),
        root,
        packs: parsed.extends,
        language: parsed.language,
        include,
        exclude,
        rules: settings(doc, "rules"),
        overrides,
        doc: Some((crate::paths::display_path(path), doc.source.clone())),
    })
}

impl Config {
    /// Checks every rule id against the loaded rules (with did-you-mean) and applies the
    /// top-level `rules:` settings to the set. Overrides are resolved per file by [`Config::for_file`].
    pub fn apply(&self, rules: &mut RuleSet) -> Result<(), Vec<FileFindings>> {
        let mut errors = Vec::new();
        let all = self
            .rules
            .iter()
            .chain(self.overrides.iter().flat_map(|(_, s)| s.iter()));
        for (id, span, _) in all {
            if rules.get(id).is_none() {
                let ids = rules.rules.iter().map(|r| r.id.as_str());
                let help = match structure::did_you_mean(id, ids) {
                    Some(best) => format!("did you mean `{best}`?"),
                    None => "`seloste rules` lists the rule ids".to_owned(),
                };
                let message = format!("unknown rule `{id}`");
                errors.push(config_error(*span, message, "no rule has this id").with_help(help));
            }
        }
        if !errors.is_empty() {
            let (file, source) = self.doc.clone().unwrap_or_default();
            return Err(problem(&file, source, errors));
        }
        for (id, _, node) in &self.rules {
            let adjust = adjust_of(node, rules.get(id).map(|r| &r.options));
            if let Some(rule) = rules.rules.iter_mut().find(|r| &r.id == id) {
                if let Some(sev) = adjust.severity {
                    rule.enabled = sev.is_some();
                    if let Some(s) = sev {
                        // The configured severity is every finding's: `severity_when` no longer
                        // applies.
                        rule.severity = s;
                        rule.severity_when.clear();
                    }
                }
                if let Some(o) = adjust.options {
                    rule.set_options(o);
                }
            }
        }
        Ok(())
    }

    /// The per-rule adjustments of the overrides matching `rel`, a file's path relative to
    /// [`Config::root`] (see [`Config::relative`]).
    pub fn for_file(&self, rel: &Path, rules: &RuleSet) -> HashMap<usize, Adjust> {
        let mut out: HashMap<usize, Adjust> = HashMap::new();
        for (set, settings) in &self.overrides {
            if !set.is_match(rel) {
                continue;
            }
            for (id, _, node) in settings {
                let Some(i) = rules.rules.iter().position(|r| &r.id == id) else {
                    continue;
                };
                let a = adjust_of(node, Some(&rules.rules[i].options));
                // What a later override sets wins.
                let entry = out.entry(i).or_default();
                entry.severity = a.severity.or(entry.severity);
                entry.options = a.options.or(entry.options.take());
            }
        }
        out
    }

    /// Whether the config has `overrides` (else [`Config::for_file`] is always empty).
    pub fn has_overrides(&self) -> bool {
        !self.overrides.is_empty()
    }

    /// Whether a file found in a directory walk is to be linted (include/exclude), by its path
    /// `rel` relative to [`Config::root`].
    pub fn selects(&self, rel: &Path) -> bool {
        !self.exclude.as_ref().is_some_and(|e| e.is_match(rel))
            && self.include.as_ref().is_none_or(|i| i.is_match(rel))
    }

    /// `file` (as named, relative to the working directory or absolute) relative to
    /// [`Config::root`] when under it (both made absolute), else absolute. For callers that have
    /// only a file's name; `crate::settings` works it out from the file's canonical directory.
    pub fn relative(&self, file: &Path) -> PathBuf {
        let abs = |p: &Path| std::path::absolute(p).unwrap_or_else(|_| p.to_path_buf());
        let (f, r) = (abs(file), abs(&self.root));
        f.strip_prefix(&r).map(Path::to_path_buf).unwrap_or(f)
    }
}

/// A setting node → severity and options (merged key by key over the rule's `base` options).
fn adjust_of(node: &Node, base: Option<&cel::Value>) -> Adjust {
    let level = |n: &Node| {
        serde_json::from_value(n.to_json())
            .ok()
            .map(Level::severity)
    };
    match &node.kind {
        document::NodeKind::Str(_) => Adjust {
            severity: level(node),
            options: None,
        },
        document::NodeKind::Map(_) => {
            let severity = node.get("severity").and_then(level);
            let options = node
                .get("options")
                .map(|o| merge_options(base, &plain_view(o)));
            Adjust { severity, options }
        }
        _ => Adjust::default(),
    }
}

fn merge_options(base: Option<&cel::Value>, over: &cel::Value) -> cel::Value {
    match (base, over) {
        (Some(cel::Value::Map(b)), cel::Value::Map(o)) => {
            let mut map = (*b.map).clone();
            map.extend(o.map.iter().map(|(k, v)| (k.clone(), v.clone())));
            cel::Value::Map(cel::objects::Map {
                map: std::sync::Arc::new(map),
            })
        }
        _ => over.clone(),
    }
}
