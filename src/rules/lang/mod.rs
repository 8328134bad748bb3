//! The evaluator of rule expressions: rules run over the register borrowed from the YAML tree.
//!
//! The same AST the cel crate parses is compiled ([`ir`]) and evaluated ([`eval`]) over
//! [`value::Value`], which borrows the tree: no copy of the register per file, no allocation per field
//! access. This is the only evaluator rules run in; the cel crate's interpreter is the oracle of
//! the differential tests ([`oracle`]).

pub mod eval;
pub mod ir;
pub mod value;

#[cfg(test)]
mod oracle;

use std::sync::OnceLock;

use eval::Scope;
use value::{EvalError, EvalResult, Value};

use super::engine::{Hit, pick};
use super::load::{Cel, Rule, Template, TemplatePart};
use ir::Ir;

/// What every rule of one file sees.
pub struct FileScope<'s, 'a> {
    pub register: &'s Value<'a>,
    pub today: &'s Value<'a>,
    pub texts: &'s OnceLock<Value<'a>>,
    pub patterns: &'s eval::PatternCache<'a>,
}

/// A rule that could not run: where (the rendered `at`, when it could be), in which part of the
/// rule, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RunError {
    pub at: String,
    /// `check`, `when`, `each`, `item 3`, ...
    pub part: String,
    pub reason: String,
}

/// Runs `rule` over the file, appending its hits; on an error `hits` is left as it was.
pub fn run_rule<'a>(
    i: usize,
    rule: &'a Rule,
    file: &FileScope<'_, 'a>,
    options: &Value<'a>,
    data: &Value<'a>,
    lang: &str,
    hits: &mut Vec<Hit>,
) -> Result<(), RunError> {
    let scope = Scope {
        register: file.register,
        today: file.today,
        options,
        data,
        item: None,
        texts: file.texts,
        locals: Vec::new(),
        patterns: file.patterns,
        fix: None,
        lets: eval::Lets::of(&rule.lets, &rule.let_names),
    };
    let mark = hits.len();
    let result = run(i, rule, scope, lang, hits);
    if result.is_err() {
        hits.truncate(mark);
    }
    result
}

fn run<'a>(
    i: usize,
    rule: &'a Rule,
    mut scope: Scope<'_, 'a>,
    lang: &str,
    hits: &mut Vec<Hit>,
) -> Result<(), RunError> {
    let Some(each) = &rule.each else {
        return verdict(i, rule, &mut scope, lang, hits).map_err(|(part, e)| RunError {
            at: render(&rule.at, &mut scope).unwrap_or_default(),
            part: part.into(),
            reason: format!("in `{part}`: {}", e.0),
        });
    };
    let each_error = |e: EvalError| RunError {
        at: String::new(),
        part: "each".into(),
        reason: format!("in `each`: {}", e.0),
    };
    let program = each.program().map_err(|e| each_error(EvalError::new(e)))?;
    let (range, filter) = match each
        .ir
        .get_each(program, &rule.let_names)
        .map_err(each_error)?
    {
        Ir::Filter(x) => (&x[0], Some(&x[1])),
        other => (other, None),
    };
    let list = scope.eval(range).map_err(each_error)?;
    let all = match &list {
        Value::List(l) => l,
        other => {
            return Err(each_error(EvalError::new(format!(
                "`each` must give a list, gave {}",
                other.kind()
            ))));
        }
    };
    let mut items = Vec::with_capacity(all.len());
    for element in all.iter() {
        if let Some(predicate) = filter {
            scope.locals.clear();
            scope.locals.push(element.clone());
            match scope.eval(predicate).map_err(each_error)? {
                Value::Bool(true) => {}
                Value::Bool(false) => continue,
                other => {
                    return Err(each_error(EvalError::new(format!(
                        "the filter of `each` must give a bool, gave {}",
                        other.kind()
                    ))));
                }
            }
        }
        items.push(element);
    }
    scope.locals.clear();
    for (index, item) in items.into_iter().enumerate() {
        scope.item = Some((item.clone(), index as i64));
        scope.lets.reset();
        verdict(i, rule, &mut scope, lang, hits).map_err(|(part, e)| RunError {
            at: render(&rule.at, &mut scope).unwrap_or_default(),
            part: format!("item {index}"),
            reason: format!("in `{part}`: {}", e.0),
        })?;
    }
    Ok(())
}

/// A failure inside one part of the rule (`when`, `check`, `message`, ...).
type PartError = (&'static str, EvalError);

fn verdict<'a>(
    i: usize,
    rule: &'a Rule,
    scope: &mut Scope<'_, 'a>,
    lang: &str,
    hits: &mut Vec<Hit>,
) -> Result<(), PartError> {
    if let Some(when) = &rule.when
        && !boolean(scope, when, "when")?
    {
        return Ok(());
    }
    if boolean(scope, &rule.check, "check")? {
        return Ok(());
    }
    let at = render(&rule.at, scope).map_err(|e| ("at", e))?;
    let message = match pick(&rule.message, lang) {
        Some(t) => render(t, scope).map_err(|e| ("message", e))?,
        None => rule.title_in(lang),
    };
    let mut optional = |texts, part| {
        let rendered = pick(texts, lang).map(|t| render(t, scope));
        rendered.transpose().map_err(|e| (part, e))
    };
    let help = optional(&rule.help, "help")?;
    let label = optional(&rule.label, "label")?;
    let mut severity = None;
    for (sev, cel) in &rule.severity_when {
        if boolean(scope, cel, "severity_when")? {
            severity = Some(*sev);
            break;
        }
    }
    hits.push(Hit {
        rule: i,
        at,
        message,
        help,
        label,
        error: None,
        severity,
    });
    Ok(())
}

/// Evaluates a rule's bool expression (`part` names it in an error).
fn boolean<'a>(
    scope: &mut Scope<'_, 'a>,
    cel: &'a Cel,
    part: &'static str,
) -> Result<bool, PartError> {
    let value = compiled(cel, scope.lets.names).and_then(|ir| scope.eval(ir));
    match value.map_err(|e| (part, e))? {
        Value::Bool(b) => Ok(b),
        other => Err((
            part,
            EvalError::new(format!("`{part}` must give a bool, gave {}", other.kind())),
        )),
    }
}

/// The compiled form of a rule's expression, with the rule's `let` names `lets` in scope.
pub fn compiled<'c>(cel: &'c Cel, lets: &[String]) -> EvalResult<&'c Ir> {
    cel.ir.get(cel.program().map_err(EvalError::new)?, lets)
}

/// Renders a message template.
pub fn render<'a>(t: &'a Template, scope: &mut Scope<'_, 'a>) -> EvalResult<String> {
    let mut out = String::new();
    for part in t.parts().map_err(EvalError::new)? {
        match part {
            TemplatePart::Text(s) => out.push_str(s),
            TemplatePart::Path(path) => {
                let Some((var, fields)) = path.split_first() else {
                    continue;
                };
                let mut v = scope.eval_ident(var)?;
                for f in fields {
                    v = v.get(f)?.clone();
                }
                value::display(&v, &mut out);
            }
            TemplatePart::Expr(p, ir) => {
                let ir = ir.get(p, scope.lets.names)?;
                value::display(&scope.eval(ir)?, &mut out)
            }
        }
    }
    Ok(out)
}
