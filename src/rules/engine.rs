//! Evaluation of a [`RuleSet`] over one register's CEL view.

use std::collections::HashMap;
use std::sync::{Arc, OnceLock};

use crate::config::Adjust;

use cel::common::ast::Expr as Ast;

use crate::document::Node;

use super::fast;
use cel::common::types::{CelBool, CelInt, CelList, CelNull};
use cel::common::value::{CowVal, Val};
use cel::context::VariableResolver;
use cel::{Context, Value};

use super::validate::Expr;

use super::functions::{self, display};
use super::load::{ENV, Rule, RuleSet, Template, TemplatePart};

/// One rule outcome that needs reporting: a failed check or a rule that could not run.
#[derive(Debug, Clone, PartialEq)]
pub struct Hit {
    /// Index into `RuleSet::rules`.
    pub rule: usize,
    /// The rendered `at` path (`""` = the register).
    pub at: String,
    pub message: String,
    pub help: Option<String>,
    /// What is wrong at the span, when the rule says it (`label`).
    pub label: Option<String>,
    /// Set when the rule failed at run time instead of producing a verdict.
    pub error: Option<String>,
    /// The severity `severity_when` gave the finding (`None`: the rule's severity).
    pub severity: Option<crate::finding::Severity>,
}

impl Hit {
    /// A failed check of rule `rule` at `at`.
    pub fn finding(
        rule: usize,
        at: String,
        message: String,
        help: Option<String>,
        label: Option<String>,
    ) -> Self {
        Hit {
            rule,
            at,
            message,
            help,
            label,
            error: None,
            severity: None,
        }
    }

    /// With the severity `severity_when` gave.
    pub fn with_severity(mut self, severity: Option<crate::finding::Severity>) -> Self {
        self.severity = severity;
        self
    }
}

/// Runs every rule over the register `root`; messages are rendered in `lang`.
pub fn evaluate(rules: &RuleSet, root: &Node, today: &Value, lang: &str) -> Vec<Hit> {
    evaluate_adjusted(rules, root, today, lang, &HashMap::new())
}

/// Like [`evaluate`], with per-file adjustments from config overrides (rules off, other options).
pub fn evaluate_adjusted(
    rules: &RuleSet,
    root: &Node,
    today: &Value,
    lang: &str,
    adjust: &HashMap<usize, Adjust>,
) -> Vec<Hit> {
    let enabled = rules.rules.iter().enumerate().filter(|(i, r)| {
        match adjust.get(i).and_then(|a| a.severity) {
            Some(sev) => sev.is_some(),
            None => r.enabled,
        }
    });
    let options = |i: usize| adjust.get(&i).and_then(|a| a.options.clone());
    evaluate_with(enabled, root, today, lang, &options)
}

/// Runs the given `(index, rule)` pairs over the register `root`.
pub fn evaluate_rules<'r>(
    rules: impl Iterator<Item = (usize, &'r Rule)>,
    root: &Node,
    today: &Value,
    lang: &str,
) -> Vec<Hit> {
    evaluate_with(rules, root, today, lang, &|_| None)
}

/// Boxes a value for the interpreter; values it cannot hold become `null`.
pub(crate) fn to_val(v: &Value) -> Box<dyn Val> {
    Box::<dyn Val>::try_from(v.clone()).unwrap_or_else(|_| Box::new(CelNull))
}

/// The variables of one evaluation, lent to the interpreter without copying: the register is
/// converted once per file and the rules' options once per run, instead of once per binding
/// (deep copies that were most of the evaluation time).
struct Vars<'a> {
    register: &'a dyn Val,
    today: &'a dyn Val,
    language: Option<&'a dyn Val>,
    options: &'a dyn Val,
    data: &'a dyn Val,
    item: Option<(&'a dyn Val, i64)>,
    /// `texts(register)`, built on first use (see `validate::rewrite_for_run`).
    texts: &'a OnceLock<Box<dyn Val>>,
    /// The loop variable of an `each: xs.filter(x, ...)` run by the engine.
    extra: Option<(&'a str, &'a dyn Val)>,
}

impl VariableResolver for Vars<'_> {
    fn resolve<'b>(&'b self, variable: &str) -> Option<CowVal<'b, 'b>> {
        if let Some((name, value)) = self.extra
            && name == variable
        {
            return Some(CowVal::Borrowed(value));
        }
        Some(match variable {
            "register" => CowVal::Borrowed(self.register),
            "today" => CowVal::Borrowed(self.today),
            "options" => CowVal::Borrowed(self.options),
            "data" => CowVal::Borrowed(self.data),
            "item" => CowVal::Borrowed(self.item?.0),
            "index" => CowVal::owned(CelInt::from(self.item?.1)),
            functions::LANGUAGE_VAR => CowVal::Borrowed(self.language?),
            super::validate::REGISTER_TEXTS => CowVal::Borrowed(
                self.texts
                    .get_or_init(|| super::native::texts_list(self.register))
                    .as_ref(),
            ),
            _ => return None,
        })
    }
}

fn evaluate_with<'r>(
    rules: impl Iterator<Item = (usize, &'r Rule)>,
    root: &Node,
    today: &Value,
    lang: &str,
    options: &dyn Fn(usize) -> Option<Value>,
) -> Vec<Hit> {
    let fast_on = fast::enabled();
    let register = fast::value::register(root);
    let fast_today = fast::value::from_cel(today).unwrap_or(fast::value::V::Null);
    let fast_texts = OnceLock::new();
    let patterns = fast::eval::PatternCache::default();
    let file = fast::FileScope {
        register: &register,
        today: &fast_today,
        texts: &fast_texts,
        patterns: &patterns,
    };
    // The interpreter's copy of the register, made only when a rule falls back to it.
    let interpreter: OnceLock<Interpreter> = OnceLock::new();
    let mut hits = Vec::new();
    for (i, rule) in rules {
        let adjusted = options(i);
        if fast_on {
            if let Err(e) = run_fast(i, rule, &file, adjusted.as_ref(), lang, &mut hits) {
                hits.push(Hit {
                    rule: i,
                    at: e.at,
                    message: format!("rule `{}` could not run ({})", rule.id, e.part),
                    help: None,
                    label: None,
                    error: Some(e.reason),
                    severity: None,
                });
            }
            continue;
        }
        let it = interpreter.get_or_init(|| Interpreter::new(root, today));
        let adjusted = adjusted.map(|o| to_val(&o));
        let vars = Vars {
            register: it.register.as_ref(),
            today: it.today.as_ref(),
            language: it.language.as_deref(),
            options: adjusted
                .as_deref()
                .unwrap_or_else(|| rule.interpreter_vals().0.as_ref()),
            data: rule.interpreter_vals().1.as_ref(),
            item: None,
            texts: &it.texts,
            extra: None,
        };
        if let Err(e) = run_rule(i, rule, &it.root, &vars, lang, &mut hits) {
            hits.push(Hit {
                rule: i,
                at: e.at,
                message: e.message,
                help: None,
                label: None,
                error: Some(e.reason),
                severity: None,
            });
        }
    }
    hits
}

/// One rule on the fast path, with the rule's options or the ones a config override gave.
fn run_fast<'a>(
    i: usize,
    rule: &'a Rule,
    file: &fast::FileScope<'_, 'a>,
    adjusted: Option<&Value>,
    lang: &str,
    hits: &mut Vec<Hit>,
) -> Result<(), fast::RunError> {
    use fast::value::{from_cel, to_static};
    let unrepresentable = || fast::RunError {
        at: String::new(),
        part: "options".into(),
        reason: "the rule's options or its pack's data hold a value rules cannot read (only \
                 null, bools, numbers, strings, lists and maps with string keys)"
            .into(),
    };
    let (options, data) = rule.fast_vals().ok_or_else(unrepresentable)?;
    match adjusted {
        Some(o) => {
            let o = to_static(&from_cel(o).ok_or_else(unrepresentable)?);
            fast::run_rule(i, rule, file, &o, data, lang, hits)
        }
        None => fast::run_rule(i, rule, file, options, data, lang, hits),
    }
}

/// What the cel interpreter needs for one register.
struct Interpreter {
    root: Context<'static, 'static>,
    register: Box<dyn Val>,
    today: Box<dyn Val>,
    language: Option<Box<dyn Val>>,
    texts: OnceLock<Box<dyn Val>>,
}

impl Interpreter {
    fn new(root: &Node, today: &Value) -> Self {
        let view = crate::document::register_view(root);
        let mut ctx = Context::with_env(ENV.clone());
        functions::register(&mut ctx);
        let language = match &view {
            Value::Map(m) => m
                .map
                .get(&cel::objects::Key::String(Arc::new("language".into())))
                .map(to_val),
            _ => None,
        };
        Interpreter {
            root: ctx,
            register: to_val(&view),
            today: to_val(today),
            language,
            texts: OnceLock::new(),
        }
    }
}

/// Evaluates rules' fixes over one register, made once per file, only for a file with a finding
/// whose rule has a fix.
pub struct FixEval<'a> {
    register: fast::value::V<'a>,
    today: fast::value::V<'static>,
}

impl<'a> FixEval<'a> {
    pub fn new(root: &'a Node, today: &Value) -> Self {
        use fast::value::{V, from_cel, to_static};
        FixEval {
            register: fast::value::register(root),
            today: from_cel(today).map_or(V::Null, |t| to_static(&t)),
        }
    }

    /// Evaluates `cel` of `rule` with `fix` bound to the place `fix`.
    fn with<'r, T>(
        &'r self,
        rule: &'r Rule,
        options: Option<&Value>,
        fix: &Value,
        f: impl FnOnce(&mut fast::eval::Scope<'_, 'r>) -> Result<T, String>,
    ) -> Result<T, String> {
        use fast::value::{from_cel, to_static};
        let unrepresentable = || "the fix's place or the rule's options cannot be read".to_owned();
        let (default_options, data) = rule.fast_vals().ok_or_else(unrepresentable)?;
        let adjusted = match options {
            Some(o) => Some(to_static(&from_cel(o).ok_or_else(unrepresentable)?)),
            None => None,
        };
        let place = to_static(&from_cel(fix).ok_or_else(unrepresentable)?);
        let texts = OnceLock::new();
        let patterns = fast::eval::PatternCache::default();
        let mut scope = fast::eval::Scope {
            register: &self.register,
            today: &self.today,
            options: adjusted.as_ref().unwrap_or(default_options),
            data,
            item: None,
            texts: &texts,
            locals: Vec::new(),
            patterns: &patterns,
            fix: Some(&place),
        };
        f(&mut scope)
    }

    /// The replacement `fix.replace` gives for the place `fix` (`None`: `null`, no fix).
    pub fn replacement<'r>(
        &'r self,
        rule: &'r Rule,
        options: Option<&Value>,
        fix: &Value,
    ) -> Result<Option<String>, String> {
        let Some(spec) = &rule.fix else {
            return Ok(None);
        };
        self.with(rule, options, fix, |scope| {
            let ir = fast::compiled(&spec.replace).map_err(|e| e.0)?;
            match scope.eval(ir).map_err(|e| e.0)? {
                fast::value::V::Null => Ok(None),
                fast::value::V::Str(s) => Ok(Some(s.to_string())),
                other => Err(format!(
                    "`fix.replace` must give a string or null, gave {}",
                    other.kind()
                )),
            }
        })
    }

    /// The fix's title in `lang`, when the rule has one.
    pub fn title<'r>(
        &'r self,
        rule: &'r Rule,
        options: Option<&Value>,
        fix: &Value,
        lang: &str,
    ) -> Result<Option<String>, String> {
        let Some(t) = rule.fix.as_ref().and_then(|f| pick(&f.title, lang)) else {
            return Ok(None);
        };
        self.with(rule, options, fix, |scope| {
            fast::render(t, scope).map(Some).map_err(|e| e.0)
        })
    }
}

struct RuleError {
    at: String,
    message: String,
    reason: String,
}

fn run_rule(
    i: usize,
    rule: &Rule,
    root: &Context,
    vars: &Vars,
    lang: &str,
    hits: &mut Vec<Hit>,
) -> Result<(), RuleError> {
    let fail = |at: &str, what: &str, e: String| RuleError {
        at: at.to_owned(),
        message: format!("rule `{}` could not run ({what})", rule.id),
        reason: e,
    };
    let mut scope = root.new_inner_scope();
    scope.set_variable_resolver(vars);
    let Some(each) = &rule.each else {
        return verdict(i, rule, &scope, lang, hits).map_err(|e| {
            let at = render(&rule.at, &scope).unwrap_or_default();
            fail(&at, "check", e)
        });
    };
    let each = each.program().map_err(|e| fail("", "each", e))?;
    let (range, filter) = match as_filter(each) {
        Some((range, var, predicate)) => (range, Some((var, predicate))),
        None => (each, None),
    };
    let list = Value::resolve_val(range, &scope).map_err(|e| fail("", "each", e.to_string()))?;
    let Some(all) = list.downcast_ref::<CelList>() else {
        return Err(fail(
            "",
            "each",
            format!("`each` must give a list, gave {}", list.get_type().name()),
        ));
    };
    // `each: xs.filter(x, p)` is run here, lending every element to `p` instead of letting the
    // interpreter copy each one into its loop variable and the result list (most of the cost of
    // the rules that iterate over all texts).
    let mut items: Vec<&dyn Val> = Vec::with_capacity(all.inner().len());
    for element in all.inner() {
        let keep = match filter {
            None => true,
            Some((var, predicate)) => {
                let bound = Vars {
                    extra: Some((var, element.as_ref())),
                    ..*vars
                };
                let mut s = root.new_inner_scope();
                s.set_variable_resolver(&bound);
                boolean(Value::resolve_val(predicate, &s), "each")
                    .map_err(|e| fail("", "each", e))?
            }
        };
        if keep {
            items.push(element.as_ref());
        }
    }
    for (index, item) in items.into_iter().enumerate() {
        let item_vars = Vars {
            item: Some((item, index as i64)),
            ..*vars
        };
        let mut inner = root.new_inner_scope();
        inner.set_variable_resolver(&item_vars);
        if let Err(e) = verdict(i, rule, &inner, lang, hits) {
            let at = render(&rule.at, &inner).unwrap_or_default();
            return Err(fail(&at, &format!("item {index}"), e));
        }
    }
    Ok(())
}

/// `range.filter(var, predicate)` as the parser expands the macro, taken apart.
pub(super) fn as_filter(e: &Expr) -> Option<(&Expr, &str, &Expr)> {
    let Ast::Comprehension(c) = &e.expr else {
        return None;
    };
    let is_accu = |x: &Expr| matches!(&x.expr, Ast::Ident(n) if *n == c.accu_var);
    let Ast::Call(step) = &c.loop_step.expr else {
        return None;
    };
    let [predicate, append, keep] = step.args.as_slice() else {
        return None;
    };
    let Ast::Call(add) = &append.expr else {
        return None;
    };
    let appends_var = matches!(add.args.as_slice(), [acc, Expr { expr: Ast::List(l), .. }]
        if is_accu(acc)
            && matches!(l.elements.as_slice(), [x] if matches!(&x.expr, Ast::Ident(n) if *n == c.iter_var)));
    let shape = c.iter_var2.is_none()
        && matches!(&c.accu_init.expr, Ast::List(l) if l.elements.is_empty())
        && matches!(&c.loop_cond.expr, Ast::Literal(cel::common::ast::LiteralValue::Boolean(b)) if *b.inner())
        && is_accu(&c.result)
        && step.func_name == "_?_:_"
        && add.func_name == "_+_"
        && appends_var
        && is_accu(keep);
    shape.then_some((&c.iter_range, c.iter_var.as_str(), predicate))
}

fn verdict(
    i: usize,
    rule: &Rule,
    ctx: &Context,
    lang: &str,
    hits: &mut Vec<Hit>,
) -> Result<(), String> {
    if let Some(when) = &rule.when
        && !boolean(Value::resolve_val(when.program()?, ctx), "when")?
    {
        return Ok(());
    }
    if boolean(Value::resolve_val(rule.check.program()?, ctx), "check")? {
        return Ok(());
    }
    let at = render(&rule.at, ctx).map_err(|e| format!("in `at`: {e}"))?;
    let message = pick(&rule.message, lang)
        .map(|t| render(t, ctx))
        .transpose()
        .map_err(|e| format!("in `message`: {e}"))?
        .unwrap_or_else(|| rule.title_in(lang));
    let help = pick(&rule.help, lang)
        .map(|t| render(t, ctx))
        .transpose()
        .map_err(|e| format!("in `help`: {e}"))?;
    let label = pick(&rule.label, lang)
        .map(|t| render(t, ctx))
        .transpose()
        .map_err(|e| format!("in `label`: {e}"))?;
    let mut severity = None;
    for (sev, cel) in &rule.severity_when {
        if boolean(Value::resolve_val(cel.program()?, ctx), "severity_when")? {
            severity = Some(*sev);
            break;
        }
    }
    hits.push(Hit::finding(i, at, message, help, label).with_severity(severity));
    Ok(())
}

pub(super) fn pick<'a>(
    m: &'a std::collections::BTreeMap<String, Template>,
    lang: &str,
) -> Option<&'a Template> {
    m.get(lang)
        .or_else(|| m.get("en"))
        .or_else(|| m.values().next())
}

fn boolean(r: Result<CowVal<'_, '_>, cel::ExecutionError>, what: &str) -> Result<bool, String> {
    match r {
        Ok(v) => match v.downcast_ref::<CelBool>() {
            Some(b) => Ok(*b.inner()),
            None => Err(format!(
                "`{what}` must give a bool, gave {}",
                v.get_type().name()
            )),
        },
        Err(e) => Err(format!("in `{what}`: {e}")),
    }
}

/// Renders a template in `ctx`.
pub fn render(t: &Template, ctx: &Context) -> Result<String, String> {
    let mut out = String::new();
    for part in t.parts()? {
        match part {
            TemplatePart::Text(s) => out.push_str(s),
            TemplatePart::Path(path) => out.push_str(&display(&read_path(ctx, path)?)),
            TemplatePart::Expr(p, _) => {
                out.push_str(&display(&ctx.resolve(p).map_err(|e| e.to_string())?))
            }
        }
    }
    Ok(out)
}

/// The value of `var.field.field` in `ctx`, as CEL's field selection would give it.
fn read_path(ctx: &Context, path: &[String]) -> Result<Value, String> {
    let Some((var, fields)) = path.split_first() else {
        return Ok(Value::Null);
    };
    let bound = ctx
        .get_variable(var.as_str())
        .ok_or_else(|| format!("undeclared reference to '{var}'"))?;
    let mut value = Value::try_from(&*bound).map_err(|e| format!("{e:?}"))?;
    for field in fields {
        value = match &value {
            Value::Map(m) => m
                .map
                .get(&cel::objects::Key::String(Arc::new(field.clone())))
                .cloned()
                .ok_or_else(|| format!("no such key: {field}"))?,
            other => return Err(format!("no field `{field}` on a {}", other.type_of())),
        };
    }
    Ok(value)
}

/// `today` as a CEL timestamp: `SELOSTE_TODAY=YYYY-MM-DD` wins (for reproducible tests), else the clock.
pub fn today() -> Value {
    crate::document::date_timestamp(&today_date().format("%Y-%m-%d").to_string())
        .unwrap_or(Value::Null)
}

/// Today's date: `SELOSTE_TODAY` (`YYYY-MM-DD`, for tests and reproducible runs) or the UTC date.
pub fn today_date() -> chrono::NaiveDate {
    std::env::var("SELOSTE_TODAY")
        .ok()
        .and_then(|s| chrono::NaiveDate::parse_from_str(&s, "%Y-%m-%d").ok())
        .unwrap_or_else(|| chrono::Utc::now().date_naive())
}

#[allow(dead_code)]
fn _assert_send_sync() {
    fn is<T: Send + Sync>() {}
    is::<Arc<RuleSet>>();
}

#[cfg(test)]
mod parity {
    //! Expression by expression: when the fast evaluator gives a value, the interpreter gives the
    //! same one (tests/engine_parity.rs compares whole runs).
    use super::*;
    use crate::rules::fast::{eval::Scope, value};

    const EXPRESSIONS: &[&str] = &[
        "1 == 1.0",
        "'a' == null",
        "null == null",
        "[1, 2] == [1, 2]",
        "['a'] == ['b']",
        "'b' > 'a'",
        "2 >= 3",
        "size('äö')",
        "'äbc'.size()",
        "'abc'.substring(1)",
        "'abc'.substring(1, 2)",
        "'abc'.substring(2, 1)",
        "'abc'.substring(5)",
        "'a,b'.split(',')",
        "['a', 'b'].join('-')",
        "['a', 'b'].join()",
        "[1].join()",
        "' x '.trim()",
        "'AbÄ'.lowerAscii() + 'AbÄ'.upperAscii()",
        "'héllo'.indexOf('l')",
        "'x'.indexOf('')",
        "'a b'.replace(' ', '_')",
        "'abc'.contains('b') && 'abc'.startsWith('a') && 'abc'.endsWith('c')",
        "'x' in ['x']",
        "1 in [1.0]",
        "'name' in register",
        "has(register.dpo)",
        "has(register.no_such_key)",
        "has(register.name.fi)",
        "register.purposes.exists(p, p.id == 'x')",
        "register.purposes.all(p, has(p.legal_basis))",
        "register.purposes.exists_one(p, true)",
        "register.purposes.map(p, p.id)",
        "register.purposes.filter(p, size(p.legal_basis) > 0).size()",
        "register.purposes[0].legal_basis",
        "register.purposes[9]",
        "register.no_such_key",
        "register.controller.country",
        "register.controller.name.fi.x",
        "texts(register).size()",
        "texts(register.controller)",
        "__register_texts.filter(t, t.path.endsWith('.email'))",
        "text(register.name)",
        "text(1)",
        "langs(register.name)",
        "langs('x')",
        "days_since(register.updated)",
        "days_since('2026-01-01')",
        "days_since('soon')",
        "string(register.updated)",
        "string(today).substring(0, 10)",
        "string(1) + string(2u)",
        "string(1.5)",
        "int('42')",
        "int('x')",
        "-5 + 3 * 2 / 4 % 3",
        "9223372036854775807 + 1",
        "1 / 0",
        "{'a': 1, 'b': 2}['b']",
        "{'a': 1}.a",
        "{'a': 1, 'a': 2}",
        "{'b': 1, 'a': 2}",
        "[1, 2, 3][1]",
        "[1][5]",
        "matches_any('henkilötietolaki', ['(?i)henkilö'])",
        "matches_any('x', [])",
        "matches_any('x', ['('])",
        "'abc'.matches('^a')",
        "'a' + 'b'",
        "[1] + [2]",
        "true ? 1 : 'x'",
        "false || true",
        "1 < 'a'",
        "!true",
        "is_email('a@b.fi') && !is_email('a@b') && is_url('https://x.fi')",
        "y_tunnus_valid('0201256-6')",
        "hetu_in('hetu 131052-308T tässä')",
        "duration_days('P1Y2M')",
        "duration_days('x')",
        "register.name.exists(k, k == 'fi')",
        "size(register) > 3",
        "options.x",
        "data",
        "today > register.updated",
        "1.5 * 2.0",
        "b'x'",
    ];

    /// Deep equality with maps compared entry by entry (`V::equals` leaves maps to the interpreter).
    fn same(a: &value::V, b: &value::V) -> bool {
        use value::V;
        match (a, b) {
            (V::List(x), V::List(y)) => {
                x.len() == y.len() && x.iter().zip(y.iter()).all(|(a, b)| same(a, b))
            }
            (V::Map(x), V::Map(y)) => {
                x.len() == y.len()
                    && x.iter()
                        .zip(y.iter())
                        .all(|(a, b)| *a.0 == *b.0 && same(&a.1, &b.1))
            }
            _ => a.equals(b) == Ok(true),
        }
    }

    #[test]
    fn fast_values_are_the_interpreters() {
        let src = std::fs::read(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/fixtures/valid/authority.yaml"
        ))
        .expect("fixture");
        let doc = crate::document::load(&src, crate::document::Budget::default()).expect("yaml");
        let today = crate::document::date_timestamp("2026-11-23").expect("date");
        let it = Interpreter::new(&doc.root, &today);
        let empty = Value::Map(cel::objects::Map {
            map: Arc::new(Default::default()),
        });
        let empty_val = to_val(&empty);
        let register = value::register(&doc.root);
        let fast_today = value::from_cel(&today).expect("today");
        let fast_empty = value::from_cel(&empty).expect("map");
        let mut fast_count = 0;
        for source in EXPRESSIONS {
            let expr = crate::rules::validate::parse_for_run(source).expect(source);
            let vars = Vars {
                register: it.register.as_ref(),
                today: it.today.as_ref(),
                language: it.language.as_deref(),
                options: empty_val.as_ref(),
                data: empty_val.as_ref(),
                item: None,
                texts: &it.texts,
                extra: None,
            };
            let mut ctx = it.root.new_inner_scope();
            ctx.set_variable_resolver(&vars);
            let cel = Value::resolve_val(&expr, &ctx)
                .map_err(|e| e.to_string())
                .and_then(|v| Value::try_from(&*v).map_err(|e| format!("{e:?}")));
            let texts = OnceLock::new();
            let patterns = crate::rules::fast::eval::PatternCache::default();
            let mut scope = Scope {
                patterns: &patterns,
                register: &register,
                today: &fast_today,
                options: &fast_empty,
                data: &fast_empty,
                item: None,
                texts: &texts,
                locals: Vec::new(),
                fix: None,
            };
            let Ok(ir) = crate::rules::fast::ir::compile(&expr, &mut Vec::new()) else {
                continue;
            };
            let Ok(fast) = scope.eval(&ir) else {
                continue;
            };
            fast_count += 1;
            let cel =
                cel.unwrap_or_else(|e| panic!("{source}: fast gave {fast:?}, cel failed: {e}"));
            let cel = value::from_cel(&cel).unwrap_or_else(|| panic!("{source}: {cel:?}"));
            let (mut a, mut b) = (String::new(), String::new());
            value::display(&fast, &mut a);
            value::display(&cel, &mut b);
            assert_eq!(a, b, "{source}");
            assert!(same(&fast, &cel), "{source}: {fast:?} vs {cel:?}");
        }
        assert!(fast_count > 60, "only {fast_count} expressions ran fast");
    }
}
