//! Evaluation of a [`RuleSet`] over one register.

use std::collections::HashMap;
use std::sync::OnceLock;

use cel::Value;
use cel::common::ast::Expr as Ast;

use crate::document::Node;
use crate::rules::Adjust;

use super::lang;
use super::lang::value::{EvalError, EvalResult, Value as RuleValue, fail, owned};
use super::load::{Rule, RuleSet};
use super::validate::Expr;

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
    // A severity set in config turns the rule on or off (`None`), else the rule's own state.
    let on = |(i, r): &(usize, &Rule)| match adjust.get(i).and_then(|a| a.severity) {
        Some(severity) => severity.is_some(),
        None => r.enabled,
    };
    let enabled = rules.rules.iter().enumerate().filter(on);
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

fn evaluate_with<'r>(
    rules: impl Iterator<Item = (usize, &'r Rule)>,
    root: &Node,
    today: &Value,
    lang: &str,
    options: &dyn Fn(usize) -> Option<Value>,
) -> Vec<Hit> {
    let register = lang::value::register(root);
    let today_value = lang::value::from_cel(today).unwrap_or(RuleValue::Null);
    let texts = OnceLock::new();
    let patterns = lang::eval::PatternCache::default();
    let file = lang::FileScope {
        register: &register,
        today: &today_value,
        texts: &texts,
        patterns: &patterns,
    };
    let mut hits = Vec::new();
    for (i, rule) in rules {
        let adjusted = options(i);
        if let Err(e) = run_rule(i, rule, &file, adjusted.as_ref(), lang, &mut hits) {
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
    }
    hits
}

/// One rule on the evaluator, with the rule's options or the ones a config override gave.
fn run_rule<'a>(
    i: usize,
    rule: &'a Rule,
    file: &lang::FileScope<'_, 'a>,
    adjusted: Option<&Value>,
    lang: &str,
    hits: &mut Vec<Hit>,
) -> Result<(), lang::RunError> {
    let unrepresentable = || lang::RunError {
        at: String::new(),
        part: "options".into(),
        reason: "the rule's options or its pack's data hold a value rules cannot read (only \
                 null, bools, numbers, strings, lists and maps with string keys)"
            .into(),
    };
    let (defaults, data) = rule.rule_vals().ok_or_else(unrepresentable)?;
    let adjusted = adjusted
        .map(|o| owned(o).ok_or_else(unrepresentable))
        .transpose()?;
    let options = adjusted.as_ref().unwrap_or(defaults);
    lang::run_rule(i, rule, file, options, data, lang, hits)
}

/// Evaluates rules' fixes over one register, made once per file, only for a file with a finding
/// whose rule has a fix.
pub struct FixEval<'a> {
    register: RuleValue<'a>,
    today: RuleValue<'static>,
}

impl<'a> FixEval<'a> {
    pub fn new(root: &'a Node, today: &Value) -> Self {
        FixEval {
            register: lang::value::register(root),
            today: owned(today).unwrap_or(RuleValue::Null),
        }
    }

    /// Evaluates `cel` of `rule` with `fix` bound to the place `fix`.
    fn with<'r, T>(
        &'r self,
        rule: &'r Rule,
        options: Option<&Value>,
        fix: &Value,
        f: impl FnOnce(&mut lang::eval::Scope<'_, 'r>) -> EvalResult<T>,
    ) -> Result<T, String> {
        let unrepresentable = || "the fix's place or the rule's options cannot be read".to_owned();
        let (default_options, data) = rule.rule_vals().ok_or_else(unrepresentable)?;
        let adjusted = options
            .map(|o| owned(o).ok_or_else(unrepresentable))
            .transpose()?;
        let place = owned(fix).ok_or_else(unrepresentable)?;
        let texts = OnceLock::new();
        let patterns = lang::eval::PatternCache::default();
        let mut scope = lang::eval::Scope {
            register: &self.register,
            today: &self.today,
            options: adjusted.as_ref().unwrap_or(default_options),
            data,
            item: None,
            texts: &texts,
            locals: Vec::new(),
            patterns: &patterns,
            fix: Some(&place),
            lets: lang::eval::Lets::default(),
        };
        f(&mut scope).map_err(EvalError::into_message)
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
            match scope.eval(lang::compiled(&spec.replace, &[])?)? {
                RuleValue::Null => Ok(None),
                RuleValue::Str(s) => Ok(Some(s.to_string())),
                other => fail(format!(
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
        self.with(rule, options, fix, |scope| lang::render(t, scope).map(Some))
    }
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

/// The entry of `m` in `lang`, falling back to English, then to the first language.
pub(super) fn pick<'a, T>(
    m: &'a std::collections::BTreeMap<String, T>,
    lang: &str,
) -> Option<&'a T> {
    m.get(lang)
        .or_else(|| m.get("en"))
        .or_else(|| m.values().next())
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
    is::<std::sync::Arc<RuleSet>>();
}
