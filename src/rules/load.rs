//! Rule files → a validated, compiled [`RuleSet`].

use std::collections::BTreeMap;
use std::sync::{Arc, LazyLock};

use cel::{Env, Program};

use crate::document::{self, Budget, Document, Node, Span, plain_view};
use crate::finding::{FileFindings, Finding, Refs, Severity};
use crate::register::Text;
use crate::structure;

use super::file::{self, RuleFile};
use super::template::{self, Piece};
use super::validate::{self, FunctionProbe};

/// The CEL environment every rule runs in: the standard library plus the strings extension.
pub static ENV: LazyLock<Arc<Env>> = LazyLock::new(|| {
    let mut env = Env::stdlib();
    // The strings extension declares names the standard library does not: adding it cannot clash.
    let _ = env.add_extension(cel::extensions::strings);
    Arc::new(env)
});

static RULE_SCHEMA: LazyLock<serde_json::Value> = LazyLock::new(file::json_schema);
static REGISTER_SCHEMA: LazyLock<serde_json::Value> = LazyLock::new(crate::register::json_schema);

/// A rule file to load: its name for diagnostics, its bytes, and the pack's base register for tests.
pub struct RuleSource {
    pub name: String,
    pub bytes: Vec<u8>,
    pub base: Option<Arc<Node>>,
    /// The pack's `_data.yaml` (a mapping), visible to CEL as `data`.
    pub data: Option<Arc<Node>>,
}

/// Text with `{{CEL}}` holes, compiled.
pub struct Template {
    pub source: String,
    pub parts: Vec<TemplatePart>,
}

pub enum TemplatePart {
    Text(String),
    Expr(Program),
}

/// One test of a rule, kept as a tree so it can be merged over the base register.
pub struct RuleTest {
    pub name: String,
    pub register: Node,
    pub expect: Vec<String>,
}

/// A compiled rule.
pub struct Rule {
    pub id: String,
    pub title: Text,
    pub severity: Severity,
    pub refs: Refs,
    pub each: Option<Program>,
    pub when: Option<Program>,
    pub check: Program,
    pub at: Template,
    pub message: BTreeMap<String, Template>,
    pub help: BTreeMap<String, Template>,
    pub options: cel::Value,
    /// The pack's shared data (`_data.yaml`), visible to CEL as `data`; an empty map without one.
    pub data: cel::Value,
    /// Markdown docs: a plain string is English, a map gives them per language.
    pub docs: Option<Text>,
    /// The `options` of the rule file as written (key order and values kept), for `explain` and docs.
    pub option_defaults: Option<Node>,
    pub tests: Vec<RuleTest>,
    pub base: Option<Arc<Node>>,
    /// The file the rule came from.
    pub file: String,
}

impl Rule {
    /// The pack: the part of the id before `/`.
    pub fn pack(&self) -> &str {
        self.id.split('/').next().unwrap_or("")
    }

    /// The title in `lang`, falling back to English, then to any.
    pub fn title_in(&self, lang: &str) -> String {
        localized(&self.title, lang)
    }

    /// The docs in `lang` and the language they are actually in: a plain string is English; a
    /// language that is missing falls back to English, then to any.
    pub fn docs_in(&self, lang: &str) -> Option<(String, String)> {
        match self.docs.as_ref()? {
            Text::Plain(s) => Some(("en".to_owned(), s.clone())),
            Text::Languages(m) => [lang, "en"]
                .iter()
                .find_map(|l| m.get_key_value(*l))
                .or_else(|| m.iter().next())
                .map(|(l, s)| (l.clone(), s.clone())),
        }
    }
}

/// A Text in `lang`, falling back to English, then to the first language.
pub fn localized(text: &Text, lang: &str) -> String {
    match text {
        Text::Plain(s) => s.clone(),
        Text::Languages(m) => m
            .get(lang)
            .or_else(|| m.get("en"))
            .or_else(|| m.values().next())
            .cloned()
            .unwrap_or_default(),
    }
}

/// All rules of a run, compiled once and shared read-only by every file.
#[derive(Default)]
pub struct RuleSet {
    pub rules: Vec<Rule>,
}

impl RuleSet {
    /// Loads and validates every source; all problems of all files are returned together.
    pub fn load(sources: Vec<RuleSource>) -> Result<RuleSet, Vec<FileFindings>> {
        let mut probe = FunctionProbe::new(ENV.clone());
        let mut rules: Vec<Rule> = Vec::new();
        let mut errors = Vec::new();
        let mut ids: BTreeMap<String, (String, Span)> = BTreeMap::new();
        for src in sources {
            match load_one(&src, &mut probe) {
                Ok((rule, id_span)) => {
                    if let Some((first_file, _)) = ids.get(&rule.id) {
                        let doc_source = String::from_utf8_lossy(&src.bytes).into_owned();
                        errors.push(file_error(
                            &src.name,
                            doc_source,
                            Finding::new(
                                "seloste/rule",
                                Severity::Error,
                                id_span,
                                format!("duplicate rule id `{}`", rule.id),
                            )
                            .with_label("already defined")
                            .with_help(format!(
                                "the same id is defined in {first_file}; rule ids must be unique"
                            )),
                        ));
                        continue;
                    }
                    ids.insert(rule.id.clone(), (src.name.clone(), id_span));
                    rules.push(rule);
                }
                Err(e) => errors.push(e),
            }
        }
        if errors.is_empty() {
            rules.sort_by(|a, b| a.id.cmp(&b.id));
            Ok(RuleSet { rules })
        } else {
            Err(errors)
        }
    }

    pub fn get(&self, id: &str) -> Option<&Rule> {
        self.rules.iter().find(|r| r.id == id)
    }
}

fn file_error(name: &str, source: String, finding: Finding) -> FileFindings {
    FileFindings::new(name, source, vec![finding])
}

/// Collects the problems of one rule file, each a finding pointing into it.
struct RuleDoc<'a> {
    doc: &'a Document,
    problems: Vec<Finding>,
}

impl RuleDoc<'_> {
    fn node(&self, path: &str) -> Option<&Node> {
        let segs = document::parse_path(path)?;
        let mut node = &self.doc.root;
        for s in segs {
            node = match s {
                document::Segment::Key(k) => node.get(&k)?,
                document::Segment::Index(i) => node.as_seq()?.get(i)?,
            };
        }
        Some(node)
    }

    fn span_of(&self, path: &str) -> Span {
        self.node(path).map_or(Span::new(0, 0), |n| {
            document::first_line(n.span, &self.doc.source)
        })
    }

    fn error(
        &mut self,
        span: Span,
        message: impl Into<String>,
        label: impl Into<String>,
        help: Option<String>,
    ) {
        let mut f = Finding::new("seloste/rule", Severity::Error, span, message).with_label(label);
        if let Some(h) = help {
            f = f.with_help(h);
        }
        self.problems.push(f);
    }

    /// Compiles the CEL at `path` (a scalar in the rule file); errors point inside the scalar.
    fn cel(
        &mut self,
        path: &str,
        source: &str,
        offset_in_scalar: usize,
        vars: &[&str],
        probe: &mut FunctionProbe,
    ) -> Option<Program> {
        match validate::compile(&ENV, probe, source, vars) {
            Ok(p) => Some(p),
            Err(e) => {
                let (start, end) = match self.node(path) {
                    Some(node) => {
                        let value = node.as_str().unwrap_or("");
                        let s = validate::value_offset_to_source(
                            value,
                            offset_in_scalar + e.start,
                            &self.doc.source,
                            node.span,
                        );
                        let e2 = validate::value_offset_to_source(
                            value,
                            offset_in_scalar + e.end.saturating_sub(1),
                            &self.doc.source,
                            node.span,
                        );
                        (s, (e2 + 1).max(s + 1))
                    }
                    None => (0, 0),
                };
                let end = end.min(self.doc.source.len());
                let mut end = end;
                while end < self.doc.source.len() && !self.doc.source.is_char_boundary(end) {
                    end += 1;
                }
                self.error(
                    Span::new(start, end),
                    format!("in `{path}`: {}", e.message),
                    "here",
                    e.help,
                );
                None
            }
        }
    }

    fn template(
        &mut self,
        path: &str,
        text: &str,
        vars: &[&str],
        probe: &mut FunctionProbe,
    ) -> Option<Template> {
        let pieces = match template::split(text) {
            Ok(p) => p,
            Err(at) => {
                let span = match self.node(path) {
                    Some(n) => {
                        let s = validate::value_offset_to_source(
                            n.as_str().unwrap_or(""),
                            at,
                            &self.doc.source,
                            n.span,
                        );
                        Span::new(s, s + 2)
                    }
                    None => Span::new(0, 0),
                };
                self.error(
                    span,
                    format!("in `{path}`: `{{{{` is never closed"),
                    "opened here",
                    Some("close the interpolation with `}}`".into()),
                );
                return None;
            }
        };
        let mut parts = Vec::new();
        let mut ok = true;
        for piece in pieces {
            match piece {
                Piece::Text(t) => parts.push(TemplatePart::Text(t.to_owned())),
                Piece::Expr { source, offset } => match self.cel(path, source, offset, vars, probe)
                {
                    Some(p) => parts.push(TemplatePart::Expr(p)),
                    None => ok = false,
                },
            }
        }
        ok.then(|| Template {
            source: text.to_owned(),
            parts,
        })
    }

    fn localized_templates(
        &mut self,
        key: &str,
        text: Option<&Text>,
        vars: &[&str],
        probe: &mut FunctionProbe,
    ) -> BTreeMap<String, Template> {
        let mut out = BTreeMap::new();
        match text {
            None => {}
            Some(Text::Plain(s)) => {
                if let Some(t) = self.template(key, s, vars, probe) {
                    out.insert("en".to_owned(), t);
                }
            }
            Some(Text::Languages(m)) => {
                for (lang, s) in m {
                    if let Some(t) = self.template(&format!("{key}.{lang}"), s, vars, probe) {
                        out.insert(lang.clone(), t);
                    }
                }
            }
        }
        out
    }
}

fn load_one(src: &RuleSource, probe: &mut FunctionProbe) -> Result<(Rule, Span), FileFindings> {
    let doc = document::load(&src.bytes, Budget::default()).map_err(|e| {
        let mut f = Finding::new(e.kind.rule(), Severity::Error, e.span, e.message);
        if let Some(h) = e.help {
            f = f.with_help(h);
        }
        FileFindings::new(&src.name, e.source, vec![f])
    })?;
    let structural = structure::check_named(&doc, &RULE_SCHEMA, "a rule file");
    if !structural.is_empty() {
        return Err(FileFindings::new(&src.name, doc.source.clone(), structural));
    }
    let parsed: RuleFile = serde_json::from_value(doc.root.to_json()).map_err(|e| {
        FileFindings::new(
            &src.name,
            doc.source.clone(),
            vec![Finding::new(
                "seloste/rule",
                Severity::Error,
                Span::new(0, 0),
                format!("invalid rule file: {e}"),
            )],
        )
    })?;
    let mut rd = RuleDoc {
        doc: &doc,
        problems: Vec::new(),
    };
    let id_span = rd.span_of("id");
    let valid_id = parsed.id.split_once('/').is_some_and(|(pack, slug)| {
        let ok = |s: &str| {
            !s.is_empty()
                && s.bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        };
        ok(pack) && ok(slug) && pack != "seloste"
    });
    if !valid_id {
        rd.error(
            id_span,
            format!("rule id `{}` is not of the form `<pack>/<slug>`", parsed.id),
            "bad id",
            Some("use lowercase letters, digits and `-`, e.g. `acme/owner-unit` (the pack `seloste` is reserved)".into()),
        );
    }
    let scalar = |s: &Option<String>| s.as_deref().map(str::to_owned);
    let each = scalar(&parsed.each).and_then(|s| {
        rd.cel(
            "each",
            &s,
            0,
            &["register", "options", "data", "today"],
            probe,
        )
    });
    let vars: &[&str] = if parsed.each.is_some() {
        &["register", "options", "data", "today", "item", "index"]
    } else {
        &["register", "options", "data", "today"]
    };
    let when = scalar(&parsed.when).and_then(|s| rd.cel("when", &s, 0, vars, probe));
    let check = rd.cel("check", &parsed.check, 0, vars, probe);
    let at_text = parsed.at.clone().unwrap_or_default();
    let at = rd.template("at", &at_text, vars, probe);
    if at.is_some() {
        check_at(&mut rd, &at_text);
    }
    let message = rd.localized_templates("message", Some(&parsed.message), vars, probe);
    let help = rd.localized_templates("help", parsed.help.as_ref(), vars, probe);
    let tests = collect_tests(&doc, &parsed);
    let (Some(check), Some(at), true, true, true) = (
        check,
        at,
        rd.problems.is_empty(),
        parsed.each.is_none() || each.is_some(),
        parsed.when.is_none() || when.is_some(),
    ) else {
        return Err(FileFindings::new(
            &src.name,
            doc.source.clone(),
            rd.problems,
        ));
    };
    let empty = || plain_view(&Node::new(Span::default(), document::NodeKind::Map(vec![])));
    let options = doc.root.get("options").map_or_else(empty, plain_view);
    let data = src.data.as_deref().map_or_else(empty, plain_view);
    Ok((
        Rule {
            id: parsed.id,
            title: parsed.title,
            severity: parsed.severity,
            refs: Refs {
                gdpr: parsed.gdpr.unwrap_or_default(),
                law: parsed.law.unwrap_or_default(),
            },
            each,
            when,
            check,
            at,
            message,
            help,
            options,
            data,
            docs: parsed.docs,
            option_defaults: doc.root.get("options").cloned(),
            tests,
            base: src.base.clone(),
            file: src.name.clone(),
        },
        id_span,
    ))
}

/// `at` must name a field of the format (indices stand in as `0`), unless it is one whole
/// interpolation such as `{{item.path}}`, which can only be known at run time.
fn check_at(rd: &mut RuleDoc, at: &str) {
    let Ok(pieces) = template::split(at) else {
        return;
    };
    if pieces.len() == 1 && matches!(pieces[0], Piece::Expr { .. }) {
        return;
    }
    let static_path: String = pieces
        .iter()
        .map(|p| match p {
            Piece::Text(t) => (*t).to_owned(),
            Piece::Expr { .. } => "0".to_owned(),
        })
        .collect();
    if let Err(msg) = validate::check_path(&REGISTER_SCHEMA, &static_path) {
        let span = rd.span_of("at");
        rd.error(
            span,
            format!("`at` path is not a field of the register format: {msg}"),
            "unknown path",
            Some("see `seloste schema` for the fields".into()),
        );
    }
}

fn collect_tests(doc: &Document, parsed: &RuleFile) -> Vec<RuleTest> {
    let nodes = doc.root.get("tests").and_then(Node::as_seq).unwrap_or(&[]);
    parsed
        .tests
        .iter()
        .flatten()
        .zip(nodes)
        .map(|(t, node)| RuleTest {
            name: t.name.clone(),
            register: node
                .get("register")
                .cloned()
                .unwrap_or_else(|| Node::new(Span::default(), document::NodeKind::Null)),
            expect: t.expect.clone(),
        })
        .collect()
}
