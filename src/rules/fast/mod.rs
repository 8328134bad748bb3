//! The fast path of rule evaluation: rules run over the register borrowed from the YAML tree.
//!
//! The cel crate's interpreter converts the whole register into its own boxed values per file and
//! allocates on every field access, map lookup and function call; that was most of the time spent
//! per file (BENCHMARKS.md). Here the same AST is evaluated over [`value::V`], which borrows the
//! tree. The interpreter stays the reference: a rule the fast path cannot finish, for a construct
//! it does not model or any error, is run again by the interpreter (`engine`), so findings and
//! error messages are the interpreter's. `SELOSTE_ENGINE=cel` turns the fast path off (the
//! differential tests compare both).

pub mod eval;
pub mod ir;
pub mod value;

use std::sync::OnceLock;

use eval::Scope;
use value::{Bail, R, V};

use super::engine::{Hit, pick};
use super::load::{Cel, Rule, Template, TemplatePart};
use ir::Ir;

/// What every rule of one file sees.
pub struct FileScope<'s, 'a> {
    pub register: &'s V<'a>,
    pub today: &'s V<'a>,
    pub texts: &'s OnceLock<V<'a>>,
    pub patterns: &'s eval::PatternCache<'a>,
}

/// Whether the fast path is on (`SELOSTE_ENGINE=cel` turns it off).
pub fn enabled() -> bool {
    static ON: OnceLock<bool> = OnceLock::new();
    *ON.get_or_init(|| std::env::var("SELOSTE_ENGINE").map_or(true, |v| v != "cel"))
}

/// Reports a rule that fell back to the interpreter when `SELOSTE_DEBUG=fast` is set: for rule
/// authors who want their rules on the fast path, and for our tests.
pub fn note_fallback(rule: &Rule) {
    static DEBUG: OnceLock<bool> = OnceLock::new();
    if *DEBUG.get_or_init(|| std::env::var("SELOSTE_DEBUG").is_ok_and(|v| v == "fast")) {
        eprintln!("seloste: `{}` ran in the interpreter", rule.id);
    }
}

/// Runs `rule` over the file, appending its hits; `Bail` leaves `hits` as it was.
pub fn run_rule<'a>(
    i: usize,
    rule: &'a Rule,
    file: &FileScope<'_, 'a>,
    options: &V<'a>,
    data: &V<'a>,
    lang: &str,
    hits: &mut Vec<Hit>,
) -> R<()> {
    let scope = Scope {
        register: file.register,
        today: file.today,
        options,
        data,
        item: None,
        texts: file.texts,
        locals: Vec::new(),
        patterns: file.patterns,
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
) -> R<()> {
    let Some(each) = &rule.each else {
        return verdict(i, rule, &mut scope, lang, hits);
    };
    let each = each.fast.get_each(each.program().map_err(|_| Bail)?);
    let (range, filter) = match each {
        Ir::Filter(x) => (&x[0], Some(&x[1])),
        other => (other, None),
    };
    let list = scope.eval(range)?;
    let all = list.as_list()?;
    let mut items = Vec::with_capacity(all.len());
    for element in all.iter() {
        let keep = match filter {
            None => true,
            Some(predicate) => {
                scope.locals.clear();
                scope.locals.push(element.clone());
                scope.bool(predicate)?
            }
        };
        if keep {
            items.push(element);
        }
    }
    scope.locals.clear();
    for (index, item) in items.into_iter().enumerate() {
        scope.item = Some((item.clone(), index as i64));
        verdict(i, rule, &mut scope, lang, hits)?;
    }
    Ok(())
}

fn verdict<'a>(
    i: usize,
    rule: &'a Rule,
    scope: &mut Scope<'_, 'a>,
    lang: &str,
    hits: &mut Vec<Hit>,
) -> R<()> {
    if let Some(when) = &rule.when
        && !scope.bool(compiled(when)?)?
    {
        return Ok(());
    }
    if scope.bool(compiled(&rule.check)?)? {
        return Ok(());
    }
    let at = render(&rule.at, scope)?;
    let message = match pick(&rule.message, lang) {
        Some(t) => render(t, scope)?,
        None => rule.title_in(lang),
    };
    let help = pick(&rule.help, lang)
        .map(|t| render(t, scope))
        .transpose()?;
    let label = pick(&rule.label, lang)
        .map(|t| render(t, scope))
        .transpose()?;
    let mut severity = None;
    for (sev, cel) in &rule.severity_when {
        if scope.bool(compiled(cel)?)? {
            severity = Some(*sev);
            break;
        }
    }
    hits.push(Hit::finding(i, at, message, help, label).with_severity(severity));
    Ok(())
}

fn compiled(cel: &Cel) -> R<&Ir> {
    Ok(cel.fast.get(cel.program().map_err(|_| Bail)?))
}

fn render<'a>(t: &'a Template, scope: &mut Scope<'_, 'a>) -> R<String> {
    let mut out = String::new();
    for part in t.parts().map_err(|_| Bail)? {
        match part {
            TemplatePart::Text(s) => out.push_str(s),
            TemplatePart::Path(path) => {
                let (var, fields) = path.split_first().ok_or(Bail)?;
                let mut v = scope.eval_ident(var)?;
                for f in fields {
                    v = v.field(f)?.ok_or(Bail)?.clone();
                }
                value::display(&v, &mut out);
            }
            TemplatePart::Expr(p, fast) => value::display(&scope.eval(fast.get(p))?, &mut out),
        }
    }
    Ok(out)
}
