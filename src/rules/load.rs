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
#[derive(Default)]
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
    /// The compiled parts (compiling them now for a lazy template).
    pub fn parts(&self) -> Result<&[TemplatePart], String> {
        self.parts
            .get_or_init(|| {
                let pieces = template::split(&self.source)
                    .map_err(|at| format!("`{{{{` at {at} is never closed"))?;
                let expr = |source: &str, _| {
                    validate::parse_for_run(source)
                        .map(Arc::new)
                        .map_err(|e| e.to_string())
                };
                pieces
                    .into_iter()
                    .map(|piece| TemplatePart::of(piece, self.vars, expr))
                    .collect()
            })
            .as_deref()
            .map_err(Clone::clone)
    }
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

impl TemplatePart {
    /// A piece of a template with the variables `vars`: `expr` compiles an expression that is no
    /// simple path (given its offset in the template).
    fn of<E>(
        piece: Piece,
        vars: &[&str],
        expr: impl FnOnce(&str, usize) -> Result<Arc<Expr>, E>,
    ) -> Result<Self, E> {
        Ok(match piece {
            Piece::Text(t) => TemplatePart::Text(t.to_owned()),
            Piece::Expr { source, offset } => match validate::simple_path(source, vars) {
                Some(path) => TemplatePart::Path(path),
                None => TemplatePart::Expr(expr(source, offset)?, Default::default()),
            },
        })
    }
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
    /// The pack's shared data (`_data.yaml`), visible to CEL as `data` (an empty map without
    /// one), as the evaluator holds it, shared by the pack's rules.
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
        self.converted
            .get_or_init(|| super::lang::value::owned(&self.value))
            .as_ref()
    }
}

impl Rule {
    /// `options` and `data` for the evaluator.
    pub fn rule_vals(&self) -> Option<&RuleVals> {
        self.rule_vals
            .get_or_init(|| {
                let options = super::lang::value::owned(&self.options)?;
                Some((options, self.pack_data.value()?.clone()))
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
        Text::Languages(m) => super::engine::pick(m, lang).cloned().unwrap_or_default(),
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
        let mut ids: BTreeMap<String, String> = BTreeMap::new();
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
                    if let Some(first_file) = ids.get(&rule.id) {
                        let duplicate = rule_problem(
                            id_span,
                            format!("duplicate rule id `{}`", rule.id),
                        )
                        .with_label("already defined")
                        .with_help(format!(
                            "the same id is defined in {first_file}; rule ids must be unique"
                        ));
                        let doc_source = String::from_utf8_lossy(&src.bytes).into_owned();
                        errors.push(FileFindings::new(&src.name, doc_source, vec![duplicate]));
                        continue;
                    }
                    ids.insert(rule.id.clone(), src.name.clone());
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

/// A problem of a rule file (`seloste/rule`, an error).
pub(super) fn rule_problem(span: Span, message: impl Into<String>) -> Finding {
    Finding::new("seloste/rule", Severity::Error, span, message)
}

/// Collects the problems of one rule file, each a finding pointing into it, and compiles its
/// expressions and templates: checked now, or on first use for a trusted (built-in) rule.
struct RuleDoc<'a> {
    doc: &'a Document,
    compiler: &'a Compiler,
    trusted: bool,
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

    /// Where byte `offset` of the scalar at `path` is in the file.
    fn source_offset(&self, path: &str, offset: usize) -> Option<usize> {
        let node = self.node(path)?;
        let value = node.as_str().unwrap_or("");
        let source = &self.doc.source;
        Some(validate::value_offset_to_source(
            value, offset, source, node.span,
        ))
    }

    fn error(
        &mut self,
        span: Span,
        message: impl Into<String>,
        label: impl Into<String>,
        help: Option<String>,
    ) {
        let mut f = rule_problem(span, message).with_label(label);
        if let Some(h) = help {
            f = f.with_help(h);
        }
        self.problems.push(f);
    }

    /// The CEL at `path` (a scalar in the rule file) with the variables `vars`.
    fn cel(&mut self, path: &str, source: &str, vars: &[&str]) -> Option<Cel> {
        let compiled = if self.trusted {
            OnceLock::new()
        } else {
            OnceLock::from(Ok(self.compile(path, source, 0, vars)?))
        };
        Some(Cel {
            source: source.to_owned(),
            compiled,
            ir: Default::default(),
        })
    }

    /// Compiles the CEL at `offset_in_scalar` in the scalar at `path`; errors point inside it.
    fn compile(
        &mut self,
        path: &str,
        source: &str,
        offset_in_scalar: usize,
        vars: &[&str],
    ) -> Option<Arc<Expr>> {
        let e = match self.compiler.compile(source, vars) {
            Ok(program) => return Some(program),
            Err(e) => e,
        };
        let start = self.source_offset(path, offset_in_scalar + e.start);
        let last = self.source_offset(path, offset_in_scalar + e.end.saturating_sub(1));
        let (start, end) = match (start, last) {
            (Some(start), Some(last)) => (start, (last + 1).max(start + 1)),
            _ => (0, 0),
        };
        let mut end = end.min(self.doc.source.len());
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

    /// The template at `path`: `vars` are the rule's variables (a trusted template compiles
    /// lazily with them, a `let` name is then an expression, not a path); `scope` those and the
    /// `let` names, for checking.
    fn template(
        &mut self,
        path: &str,
        text: &str,
        (vars, scope): (&'static [&'static str], &[&str]),
    ) -> Option<Template> {
        let parts = if self.trusted {
            OnceLock::new()
        } else {
            OnceLock::from(Ok(self.template_parts(path, text, scope)?))
        };
        Some(Template {
            source: text.to_owned(),
            vars,
            parts,
        })
    }

    fn template_parts(
        &mut self,
        path: &str,
        text: &str,
        scope: &[&str],
    ) -> Option<Vec<TemplatePart>> {
        let pieces = match template::split(text) {
            Ok(p) => p,
            Err(at) => {
                let span = self
                    .source_offset(path, at)
                    .map_or(Span::new(0, 0), |s| Span::new(s, s + 2));
                self.error(
                    span,
                    format!("in `{path}`: `{{{{` is never closed"),
                    "opened here",
                    Some("close the interpolation with `}}`".into()),
                );
                return None;
            }
        };
        // Every expression is compiled, to report the problems of all of them.
        let parts: Vec<Option<TemplatePart>> = pieces
            .into_iter()
            .map(|piece| {
                let expr =
                    |source: &str, offset| self.compile(path, source, offset, scope).ok_or(());
                TemplatePart::of(piece, scope, expr).ok()
            })
            .collect();
        parts.into_iter().collect()
    }

    fn localized_templates(
        &mut self,
        key: &str,
        text: Option<&Text>,
        scoped: (&'static [&'static str], &[&str]),
    ) -> BTreeMap<String, Template> {
        let texts: Vec<(String, String, &String)> = match text {
            None => vec![],
            Some(Text::Plain(s)) => vec![("en".to_owned(), key.to_owned(), s)],
            Some(Text::Languages(m)) => m
                .iter()
                .map(|(lang, s)| (lang.clone(), format!("{key}.{lang}"), s))
                .collect(),
        };
        texts
            .into_iter()
            .filter_map(|(lang, path, s)| Some((lang, self.template(&path, s, scoped)?)))
            .collect()
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
            vec![rule_problem(
                Span::new(0, 0),
                format!("invalid rule file: {e}"),
            )],
        )
    })?;
    let mut rd = RuleDoc {
        doc: &doc,
        compiler,
        trusted: src.trusted,
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
    let lets_source = parsed.lets.iter().flatten();
    let let_names: Vec<String> = lets_source.clone().map(|(n, _)| n.clone()).collect();
    for name in &let_names {
        if !validate::is_name(name) || vars.contains(&name.as_str()) || name == "fix" {
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
    let with_lets = |vars: &[&'static str]| -> Vec<&str> {
        let lets = let_names.iter().map(String::as_str);
        vars.iter().copied().chain(lets).collect()
    };
    let scope_vars = with_lets(vars);
    let each = parsed
        .each
        .as_deref()
        .and_then(|s| rd.cel("each", s, &with_lets(VARS)));
    // Each expression is compiled, to report the problems of all of them; the rule loads when
    // all did.
    let lets: Option<Vec<_>> = lets_source
        .map(|(name, source)| {
            let cel = rd.cel(&format!("let.{name}"), source, &scope_vars);
            Some((name.clone(), cel?))
        })
        .collect::<Vec<_>>()
        .into_iter()
        .collect();
    let when = parsed
        .when
        .as_deref()
        .and_then(|s| rd.cel("when", s, &scope_vars));
    let check = rd.cel("check", &parsed.check, &scope_vars);
    let severity_when: Option<Vec<_>> = parsed
        .severity_when
        .iter()
        .flat_map(|w| w.cases())
        .map(|(sev, source)| {
            let cel = rd.cel(&format!("severity_when.{sev}"), source, &scope_vars);
            Some((sev, cel?))
        })
        .collect::<Vec<_>>()
        .into_iter()
        .collect();
    let at_text = parsed.at.clone().unwrap_or_default();
    let scoped = (vars, scope_vars.as_slice());
    let at = rd.template("at", &at_text, scoped);
    // Built-in paths are checked by the test suite (which loads them untrusted).
    if at.is_some() && !src.trusted {
        check_at(&mut rd, &at_text);
    }
    let message = rd.localized_templates("message", Some(&parsed.message), scoped);
    let help = rd.localized_templates("help", parsed.help.as_ref(), scoped);
    let label = rd.localized_templates("label", parsed.label.as_ref(), scoped);
    let fix = parsed.fix.as_ref().and_then(|f| {
        if let Some(p) = &f.pattern
            && !src.trusted
            && let Err(e) = crate::formats::cached_regex(p)
        {
            let span = rd.span_of("fix.pattern");
            rd.error(
                span,
                format!("`fix.pattern` is not a regular expression: {e}"),
                "here",
                None,
            );
        }
        let replace = rd.cel("fix.replace", &f.replace, FIX_VARS);
        let title = rd.localized_templates("fix.title", f.title.as_ref(), (FIX_VARS, FIX_VARS));
        Some(RuleFix {
            safety: f.safety,
            pattern: f.pattern.clone(),
            replace: replace?,
            title,
        })
    });
    let tests = collect_tests(&doc, &parsed);
    let (Some(check), Some(at), Some(lets), Some(severity_when), true, true, true) = (
        check,
        at,
        lets,
        severity_when,
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
            Piece::Text(t) => t,
            Piece::Expr { .. } => "0",
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
