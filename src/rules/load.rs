//! Rule files → a validated, compiled [`RuleSet`].

use std::collections::BTreeMap;
use std::sync::{Arc, LazyLock, OnceLock};

use cel::Env;
use rayon::prelude::*;

use crate::document::{self, Budget, Document, Node, Span, plain_view};
use crate::finding::{FileFindings, Finding, Refs, Severity};
use crate::register::Text;
use crate::structure;

use super::file::{self, RuleFile};
use super::template::{self, Piece};
use super::validate::{self, Compiler, Expr};

/// The CEL environment every rule runs in: the standard library plus the strings extension.
pub static ENV: LazyLock<Arc<Env>> = LazyLock::new(|| {
    let mut env = Env::stdlib();
    // The strings extension declares names the standard library does not: adding it cannot clash.
    let _ = env.add_extension(cel::extensions::strings);
    Arc::new(env)
});

static RULE_SCHEMA: LazyLock<serde_json::Value> = LazyLock::new(file::json_schema);

/// A rule file to load: its name for diagnostics, its bytes, and the pack's base register for tests.
pub struct RuleSource {
    pub name: String,
    pub bytes: std::borrow::Cow<'static, [u8]>,
    pub base: Option<Arc<Node>>,
    /// Built-in rules are validated by the test suite: their messages compile lazily.
    pub trusted: bool,
    /// Leave out `docs` and `tests` (not parsed at all): a lint run that shows no docs needs
    /// neither, and they are most of the embedded text.
    pub lean: bool,
    /// The pack's `_data.yaml` (a mapping), visible to CEL as `data`.
    pub data: Option<Arc<Node>>,
    /// With `lean`: the language messages are shown in; the other languages' titles, messages
    /// and help are left out too (English stays, as the fallback). `None` keeps them all.
    pub lang: Option<String>,
    /// The tree of `bytes`, parsed by `build.rs` (see [`super::builtin::lean_sources`]); a tree
    /// that does not thaw is parsed from `bytes`.
    pub frozen: Option<&'static [u8]>,
}

/// Text with `{{CEL}}` holes. Custom rules compile every template at load, to report errors
/// before any file is linted; built-in rules (validated by the test suite) compile a message only
/// when a finding needs it, in the language asked for: most of start-up was compiling messages
/// in three languages that a run never shows.
pub struct Template {
    pub source: String,
    vars: &'static [&'static str],
    parts: OnceLock<Result<Vec<TemplatePart>, String>>,
}

impl Template {
    fn compiled(source: &str, parts: Vec<TemplatePart>) -> Self {
        Template {
            source: source.to_owned(),
            vars: &[],
            parts: OnceLock::from(Ok(parts)),
        }
    }

    fn lazy(source: &str, vars: &'static [&'static str]) -> Self {
        Template {
            source: source.to_owned(),
            vars,
            parts: OnceLock::new(),
        }
    }

    /// The compiled parts (compiling them now for a lazy template).
    pub fn parts(&self) -> Result<&[TemplatePart], String> {
        self.parts
            .get_or_init(|| compile_template(&self.source, self.vars))
            .as_deref()
            .map_err(Clone::clone)
    }
}

/// Compiles a template without diagnostics (for trusted, already-validated rules).
fn compile_template(source: &str, vars: &[&str]) -> Result<Vec<TemplatePart>, String> {
    let pieces = template::split(source).map_err(|at| format!("`{{{{` at {at} is never closed"))?;
    pieces
        .into_iter()
        .map(|piece| match piece {
            Piece::Text(t) => Ok(TemplatePart::Text(t.to_owned())),
            Piece::Expr { source, .. } => match validate::simple_path(source, vars) {
                Some(path) => Ok(TemplatePart::Path(path)),
                None => validate::parse_for_run(source)
                    .map(|p| TemplatePart::Expr(Arc::new(p), Default::default()))
                    .map_err(|e| e.to_string()),
            },
        })
        .collect()
}

/// A CEL expression of a rule: compiled at load for custom rules (to report errors first), on
/// first use for built-in ones (a one-file run never needs the `check` of a rule whose `when` is
/// false, and compiling is most of start-up).
pub struct Cel {
    pub source: String,
    compiled: OnceLock<Result<Arc<Expr>, String>>,
    /// The program compiled for the evaluator, on first use.
    pub ir: super::lang::ir::Lazy,
}

impl Cel {
    fn compiled(source: &str, program: Arc<Expr>) -> Self {
        Cel {
            source: source.to_owned(),
            compiled: OnceLock::from(Ok(program)),
            ir: Default::default(),
        }
    }

    fn lazy(source: &str) -> Self {
        Cel {
            source: source.to_owned(),
            compiled: OnceLock::new(),
            ir: Default::default(),
        }
    }

    /// The program (compiling it now for a lazy expression).
    pub fn program(&self) -> Result<&Expr, String> {
        self.compiled
            .get_or_init(|| {
                validate::parse_for_run(&self.source)
                    .map(Arc::new)
                    .map_err(|e| e.to_string())
            })
            .as_ref()
            .map(|p| p.as_ref())
            .map_err(Clone::clone)
    }
}

/// Variables in scope without and with `each`.
const VARS: &[&str] = &["register", "options", "data", "today"];
const VARS_EACH: &[&str] = &["register", "options", "data", "today", "item", "index"];

pub enum TemplatePart {
    Text(String),
    /// A variable and its fields, read without CEL (see `validate::simple_path`).
    Path(Vec<String>),
    /// An expression, and its compilation for the evaluator.
    Expr(Arc<Expr>, super::lang::ir::Lazy),
}

/// A rule's fix (the rule file's `fix`), compiled.
pub struct RuleFix {
    pub safety: crate::finding::Safety,
    /// The regex whose matches are replaced (the whole value without one), compiled when a fix
    /// is first computed (`formats::cached_regex`); a user's rule file has it checked at load.
    pub pattern: Option<String>,
    pub replace: Cel,
    pub title: BTreeMap<String, Template>,
}

/// The variables of a fix's CEL (`fix` is the place: at, value, match, groups).
pub const FIX_VARS: &[&str] = &["register", "options", "data", "today", "fix"];

/// One test of a rule, kept as a tree so it can be merged over the base register.
pub struct RuleTest {
    pub name: String,
    pub register: Node,
    pub expect: Vec<String>,
    /// Expected severities of findings at some paths (`severity` of the test case).
    pub severity: BTreeMap<String, Severity>,
    /// Expected messages of findings at some paths, by language (`messages` of the test case).
    pub messages: BTreeMap<String, Vec<(String, String)>>,
}

/// A compiled rule.
pub struct Rule {
    pub id: String,
    pub title: Text,
    pub severity: Severity,
    /// `severity_when`: `(severity, CEL bool)`, the most severe first; the first true one gives
    /// a finding its severity instead of `severity`.
    pub severity_when: Vec<(Severity, Cel)>,
    pub refs: Refs,
    pub each: Option<Cel>,
    /// `let`: the names (sorted) and their expressions; `let_names` the same names, for compiling.
    pub lets: Vec<(String, Cel)>,
    pub let_names: Vec<String>,
    pub when: Option<Cel>,
    pub check: Cel,
    pub at: Template,
    pub message: BTreeMap<String, Template>,
    pub help: BTreeMap<String, Template>,
    /// What is wrong at the span, per language (empty: the title is shown).
    pub label: BTreeMap<String, Template>,
    /// How the finding is fixed, when the rule says.
    pub fix: Option<RuleFix>,
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
    /// False when the config turned the rule `off`.
    pub enabled: bool,
    /// `options` and `data` for the evaluator, converted on first use (`None`: a value rules
    /// cannot read, reported as a rule error).
    pub rule_vals: OnceLock<Option<RuleVals>>,
    /// The pack's data as the evaluator holds it, shared by the pack's rules.
    pack_data: PackData,
    /// What the rule reads of a register, worked out on first use (only for registers with
    /// structure findings, whose follow-on findings are held back).
    reads: OnceLock<super::reads::Reads>,
}

/// A rule's `options` and `data` as evaluator values.
pub type RuleVals = (
    super::lang::value::Value<'static>,
    super::lang::value::Value<'static>,
);

/// A pack's `_data.yaml` as CEL sees it, and its evaluator form made on first use; cloning
/// shares both.
#[derive(Clone)]
pub struct PackData {
    value: cel::Value,
    converted: Arc<OnceLock<Option<super::lang::value::Value<'static>>>>,
}

impl PackData {
    fn new(value: cel::Value) -> PackData {
        PackData {
            value,
            converted: Arc::default(),
        }
    }

    fn value(&self) -> Option<&super::lang::value::Value<'static>> {
        use super::lang::value::{from_cel, to_static};
        self.converted
            .get_or_init(|| from_cel(&self.value).map(|v| to_static(&v)))
            .as_ref()
    }
}

impl Rule {
    /// `options` and `data` for the evaluator.
    pub fn rule_vals(&self) -> Option<&RuleVals> {
        use super::lang::value::{from_cel, to_static};
        self.rule_vals
            .get_or_init(|| {
                let o = from_cel(&self.options)?;
                let d = self.pack_data.value()?.clone();
                Some((to_static(&o), d))
            })
            .as_ref()
    }

    /// What the rule reads of a register.
    pub fn reads(&self) -> &super::reads::Reads {
        self.reads.get_or_init(|| super::reads::Reads::of(self))
    }

    /// Replaces the options (from config); the evaluators' copies follow.
    pub fn set_options(&mut self, options: cel::Value) {
        self.options = options;
        self.rule_vals = OnceLock::new();
    }

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
        let compiler = Compiler::new(ENV.clone());
        let mut rules: Vec<Rule> = Vec::new();
        let mut errors = Vec::new();
        let mut ids: BTreeMap<String, (String, Span)> = BTreeMap::new();
        // Custom rules compile their CEL at load: spread them over the cores. Built-in rules
        // (trusted, compiled on first use, parsed by build.rs) load in ~0.5 ms on one thread,
        // less than starting the thread pool takes, and a one-file run then never starts it.
        // A pack's data (`_data.yaml`) is shared by all its rules: converted once per pack, not
        // once per rule (the word lists made it a third of a one-file run).
        let mut packs: Vec<(Arc<Node>, PackData)> = Vec::new();
        for src in &sources {
            if let Some(d) = &src.data
                && !packs.iter().any(|(p, _)| Arc::ptr_eq(p, d))
            {
                packs.push((d.clone(), PackData::new(plain_view(d))));
            }
        }
        let no_data = PackData::new(plain_view(&Node::new(
            Span::default(),
            document::NodeKind::Map(vec![]),
        )));
        let data_of = |src: &RuleSource| {
            src.data
                .as_ref()
                .and_then(|d| packs.iter().find(|(p, _)| Arc::ptr_eq(p, d)))
                .map_or_else(|| no_data.clone(), |(_, v)| v.clone())
        };
        let load = |src: &RuleSource| load_one(src, &compiler, data_of(src));
        let loaded: Vec<_> = if sources.iter().all(|s| s.trusted) {
            sources.iter().map(load).collect()
        } else {
            sources.par_iter().map(load).collect()
        };
        for (src, result) in sources.iter().zip(loaded) {
            match result {
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
        compiler: &Compiler,
    ) -> Option<Arc<Expr>> {
        match compiler.compile(source, vars) {
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
        compiler: &Compiler,
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
                Piece::Expr { source, offset } => match validate::simple_path(source, vars) {
                    Some(path) => parts.push(TemplatePart::Path(path)),
                    None => match self.cel(path, source, offset, vars, compiler) {
                        Some(p) => parts.push(TemplatePart::Expr(p, Default::default())),
                        None => ok = false,
                    },
                },
            }
        }
        ok.then(|| Template::compiled(text, parts))
    }

    /// `vars`: the rule's variables (a trusted template compiles lazily with them; a `let` name
    /// is then an expression, not a path); `scope`: those and the `let` names, for checking.
    fn localized_templates(
        &mut self,
        key: &str,
        text: Option<&Text>,
        (vars, scope): (&'static [&'static str], &[&str]),
        compiler: &Compiler,
        trusted: bool,
    ) -> BTreeMap<String, Template> {
        let texts: Vec<(String, String, &String)> = match text {
            None => vec![],
            Some(Text::Plain(s)) => vec![("en".to_owned(), key.to_owned(), s)],
            Some(Text::Languages(m)) => m
                .iter()
                .map(|(lang, s)| (lang.clone(), format!("{key}.{lang}"), s))
                .collect(),
        };
        let mut out = BTreeMap::new();
        for (lang, path, s) in texts {
            let t = if trusted {
                Some(Template::lazy(s, vars))
            } else {
                self.template(&path, s, scope, compiler)
            };
            if let Some(t) = t {
                out.insert(lang, t);
            }
        }
        out
    }
}

fn load_one(
    src: &RuleSource,
    compiler: &Compiler,
    data: PackData,
) -> Result<(Rule, Span), FileFindings> {
    let lean;
    let bytes = if src.lean && src.trusted {
        lean =
            seloste_rulefile::lean::lean(&String::from_utf8_lossy(&src.bytes), src.lang.as_deref());
        lean.as_bytes()
    } else {
        &src.bytes[..]
    };
    let thawed = src
        .frozen
        .and_then(document::frozen::thaw)
        .and_then(|root| {
            let text = std::str::from_utf8(bytes).ok()?;
            Some(Document::from_tree(text.to_owned(), root))
        });
    let doc = match thawed {
        Some(doc) => doc,
        None => document::load(bytes, Budget::default())
            .map_err(|e| crate::finding::FileFindings::from_load_error(e, &src.name, "en"))?,
    };
    // Built-in rule files are checked by the test suite; re-walking their schema on every run
    // would cost a tenth of a one-file run.
    let structural = if src.trusted {
        Vec::new()
    } else {
        structure::check_named(&doc, &RULE_SCHEMA, "structure.root_rule_file", "en")
    };
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
    let vars = if parsed.each.is_some() {
        VARS_EACH
    } else {
        VARS
    };
    let let_sources: Vec<(String, String)> = parsed
        .lets
        .clone()
        .unwrap_or_default()
        .into_iter()
        .collect();
    let let_names: Vec<String> = let_sources.iter().map(|(n, _)| n.clone()).collect();
    for name in &let_names {
        let ident = name
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
            && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
        if !ident || vars.contains(&name.as_str()) || name == "fix" {
            let span = rd.span_of(&format!("let.{name}"));
            rd.error(
                span,
                format!("`let.{name}` is not a name a rule can use"),
                "here",
                Some(format!(
                    "a `let` name is letters, digits and `_`, and not one of the variables ({})",
                    vars.join(", ")
                )),
            );
        }
    }
    // The variables the rule's expressions and templates may use: the rule's and its `let` names.
    let scope_vars: Vec<&str> = vars
        .iter()
        .copied()
        .chain(let_names.iter().map(String::as_str))
        .collect();
    let mut cel = |key: &str, source: &str, vars: &[&str]| {
        if src.trusted {
            Some(Cel::lazy(source))
        } else {
            rd.cel(key, source, 0, vars, compiler)
                .map(|p| Cel::compiled(source, p))
        }
    };
    let each_vars: Vec<&str> = VARS
        .iter()
        .copied()
        .chain(let_names.iter().map(String::as_str))
        .collect();
    let each = parsed
        .each
        .as_deref()
        .and_then(|s| cel("each", s, &each_vars));
    let mut lets = Vec::new();
    let mut lets_ok = true;
    for (name, source) in &let_sources {
        match cel(&format!("let.{name}"), source, &scope_vars) {
            Some(c) => lets.push((name.clone(), c)),
            None => lets_ok = false,
        }
    }
    let when = parsed
        .when
        .as_deref()
        .and_then(|s| cel("when", s, &scope_vars));
    let check = cel("check", &parsed.check, &scope_vars);
    let severity_cases = parsed
        .severity_when
        .as_ref()
        .map(|w| w.cases())
        .unwrap_or_default();
    let mut severity_when = Vec::new();
    let mut severity_when_ok = true;
    for (sev, source) in severity_cases {
        match cel(&format!("severity_when.{sev}"), source, &scope_vars) {
            Some(c) => severity_when.push((sev, c)),
            None => severity_when_ok = false,
        }
    }
    let at_text = parsed.at.clone().unwrap_or_default();
    let at = if src.trusted {
        Some(Template::lazy(&at_text, vars))
    } else {
        rd.template("at", &at_text, &scope_vars, compiler)
    };
    // Built-in paths are checked by the test suite (which loads them untrusted).
    if at.is_some() && !src.trusted {
        check_at(&mut rd, &at_text);
    }
    let scoped = (vars, scope_vars.as_slice());
    let message = rd.localized_templates(
        "message",
        Some(&parsed.message),
        scoped,
        compiler,
        src.trusted,
    );
    let help = rd.localized_templates("help", parsed.help.as_ref(), scoped, compiler, src.trusted);
    let label = rd.localized_templates(
        "label",
        parsed.label.as_ref(),
        scoped,
        compiler,
        src.trusted,
    );
    let fix = match &parsed.fix {
        None => None,
        Some(f) => {
            let checked = match &f.pattern {
                Some(p) if !src.trusted => crate::formats::cached_regex(p).map(|_| ()),
                _ => Ok(()),
            };
            let pattern = match checked {
                Ok(()) => f.pattern.clone(),
                Err(e) => {
                    let span = rd.span_of("fix.pattern");
                    rd.error(
                        span,
                        format!("`fix.pattern` is not a regular expression: {e}"),
                        "here",
                        None,
                    );
                    None
                }
            };
            let replace = if src.trusted {
                Some(Cel::lazy(&f.replace))
            } else {
                rd.cel("fix.replace", &f.replace, 0, FIX_VARS, compiler)
                    .map(|p| Cel::compiled(&f.replace, p))
            };
            let title = rd.localized_templates(
                "fix.title",
                f.title.as_ref(),
                (FIX_VARS, FIX_VARS),
                compiler,
                src.trusted,
            );
            replace.map(|replace| RuleFix {
                safety: f.safety,
                pattern,
                replace,
                title,
            })
        }
    };
    let tests = collect_tests(&doc, &parsed);
    let (Some(check), Some(at), true, true, true) = (
        check,
        at,
        rd.problems.is_empty() && severity_when_ok && lets_ok,
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

    Ok((
        Rule {
            id: parsed.id,
            title: parsed.title,
            severity: parsed.severity,
            severity_when,
            refs: Refs {
                gdpr: parsed.gdpr.unwrap_or_default(),
                law: parsed.law.unwrap_or_default(),
                lang: "",
            },
            each,
            lets,
            let_names,
            when,
            check,
            at,
            message,
            help,
            label,
            fix,
            options,
            data: data.value.clone(),
            docs: parsed.docs,
            option_defaults: doc.root.get("options").cloned(),
            tests,
            base: src.base.clone(),
            file: src.name.clone(),
            enabled: true,
            rule_vals: OnceLock::new(),
            pack_data: data,
            reads: OnceLock::new(),
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
    if let Err(msg) = validate::check_path(&crate::register::SCHEMA, &static_path) {
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
            severity: t.severity.clone().unwrap_or_default(),
            messages: t
                .messages
                .iter()
                .flatten()
                .map(|(path, text)| {
                    let by_lang = match text {
                        crate::register::Text::Plain(m) => vec![("en".to_owned(), m.clone())],
                        crate::register::Text::Languages(m) => m.clone().into_iter().collect(),
                    };
                    (path.clone(), by_lang)
                })
                .collect(),
        })
        .collect()
}
