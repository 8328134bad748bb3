//! Load-time checks of CEL in rule files: syntax with exact spans, variables in scope, known
//! functions, and `at` paths that are real fields of the register format.

use std::collections::{BTreeSet, HashMap};
use std::sync::{Arc, Mutex};

use cel::Env;
use cel::common::ast::{CallExpr, EntryExpr, Expr as Node, IdedExpr, MapExpr, StructExpr};
use serde_json::Value as Json;

use crate::document::{Segment, Span, parse_path};

/// A problem inside one expression: a message and a byte range within the expression's text.
#[derive(Debug, Clone)]
pub struct ExprError {
    pub message: String,
    pub help: Option<String>,
    pub start: usize,
    pub end: usize,
}

/// Identifiers CEL treats as type names; allowed anywhere.
const TYPE_NAMES: &[&str] = &[
    "bool",
    "int",
    "uint",
    "double",
    "string",
    "bytes",
    "list",
    "map",
    "null_type",
    "type",
    "timestamp",
    "duration",
    "dyn",
];

/// A parsed CEL expression, evaluated with `Context::resolve`.
pub type Expr = cel::parser::Expression;

/// Parses CEL with the crate's Pratt parser: the same AST (macros expanded, same node ids) as the
/// default ANTLR parser, measured 20× faster, which is most of seloste's start-up. The ANTLR parser
/// is still used where node positions are needed (to place a diagnostic).
pub fn parse(source: &str) -> Result<Expr, cel::ParseErrors> {
    seloste_rulefile::cel_ast::parse(source)
}

/// The CEL of the built-in rule files, parsed by `build.rs`: `(source, range of its tree in
/// TREES)`, sorted by source.
static PARSED: &[(&str, (usize, usize))] = include!(concat!(env!("OUT_DIR"), "/cel_trees.rs"));
static TREES: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/cel_trees.bin"));

/// The tree `build.rs` parsed for `source`, if it did.
fn parsed_by_build(source: &str) -> Option<Expr> {
    let at = PARSED.binary_search_by_key(&source, |(s, _)| s).ok()?;
    let (start, end) = PARSED[at].1;
    seloste_rulefile::cel_ast::decode(TREES.get(start..end)?)
}

/// Parses an already validated expression for evaluation (the tree `build.rs` parsed, if it did).
pub fn parse_for_run(source: &str) -> Result<Expr, cel::ParseErrors> {
    parsed_by_build(source).map_or_else(|| parse(source), Ok)
}

/// The argument `x` of a call `texts(x)`.
pub fn texts_argument(c: &CallExpr) -> Option<&IdedExpr> {
    match c.args.as_slice() {
        [x] if c.func_name == "texts" && c.target.is_none() => Some(x),
        _ => None,
    }
}

/// Compiles `source` and checks its references. `vars` are the variables in scope.
pub fn compile(env: &Env, source: &str, vars: &[&str]) -> Result<Expr, ExprError> {
    let program = parse(source).map_err(|errs| {
        let first = errs.errors.first();
        let (line, col) = first.map_or((1, 1), |e| {
            (e.pos.0.max(1) as usize, e.pos.1.max(1) as usize)
        });
        let start = line_col_to_byte(source, line, col);
        let msg = first.map_or_else(|| "syntax error".to_owned(), |e| e.msg.clone());
        ExprError {
            message: format!(
                "CEL syntax error: {}",
                lower_first(msg.trim_start_matches("Syntax error: "))
            ),
            help: None,
            start,
            end: (start + 1).min(source.len().max(start)),
        }
    })?;
    let mut scope: Vec<String> = vars.iter().map(|s| (*s).to_owned()).collect();
    let mut errors = Vec::new();
    walk(&program, &mut scope, &mut errors);
    // The names in scope that are no variables of the rule are its `let` names.
    let lets: Vec<String> = vars
        .iter()
        .filter(|v| super::lang::ir::compile_ident(v).is_none())
        .map(|v| (*v).to_owned())
        .collect();
    if errors.is_empty()
        && let Err(u) = super::lang::ir::compile(&program, &mut Vec::new(), &lets)
    {
        errors.push((
            u.id,
            format!("not in seloste's rule language: {}", u.what),
            Some("docs/rule-language.md lists what rules can use".to_owned()),
        ));
    }
    if let Some((id, message, help)) = errors.into_iter().next() {
        let positioned = env.compile(source).ok();
        let (start, end) = positioned
            .as_ref()
            .and_then(|p| p.source_info().offset_for(id))
            .map_or((0, source.len()), |(s, e)| {
                (s as usize, (e as usize).max(s as usize + 1))
            });
        return Err(ExprError {
            message,
            help,
            start: start.min(source.len()),
            end: end.min(source.len()),
        });
    }
    Ok(program)
}

fn lower_first(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map_or_else(String::new, |f| f.to_lowercase().chain(c).collect())
}

/// 1-based line and column (the Pratt parser counts the column in bytes) → byte offset.
pub fn line_col_to_byte(source: &str, line: usize, col: usize) -> usize {
    let mut offset = 0;
    for (i, l) in source.split_inclusive('\n').enumerate() {
        if i + 1 == line {
            let at = offset + (col - 1).min(l.trim_end_matches('\n').len());
            return crate::document::floor_char_boundary(source, at);
        }
        offset += l.len();
    }
    source.len()
}

type WalkError = (u64, String, Option<String>);

fn walk(e: &IdedExpr, scope: &mut Vec<String>, errors: &mut Vec<WalkError>) {
    match &e.expr {
        Node::Ident(name) => {
            if !scope.iter().any(|s| s == name) && !TYPE_NAMES.contains(&name.as_str()) {
                let help = match name.as_str() {
                    "item" | "index" => {
                        Some("`item` and `index` exist only in a rule with `each:`".to_owned())
                    }
                    _ => crate::suggest::did_you_mean(name, scope.iter().map(String::as_str))
                        .map(|b| format!("did you mean `{b}`?"))
                        .or_else(|| Some(format!("variables here: {}", scope.join(", ")))),
                };
                errors.push((e.id, format!("unknown variable `{name}`"), help));
            }
        }
        Node::Call(call) => {
            children(&e.expr)
                .into_iter()
                .for_each(|x| walk(x, scope, errors));
            let operator = call.func_name.starts_with('_')
                || call.func_name.starts_with('@')
                || call.func_name.starts_with('!');
            let known = match call.target {
                Some(_) => super::lang::ir::method(&call.func_name).is_some(),
                None => super::lang::ir::function(&call.func_name).is_some(),
            };
            if !operator && !known {
                let help = crate::suggest::did_you_mean(&call.func_name, super::lang::ir::names())
                    .map(|b| format!("did you mean `{b}`?"))
                    .unwrap_or_else(|| {
                        "see docs/rule-language.md for the functions available".to_owned()
                    });
                errors.push((
                    e.id,
                    format!("unknown function `{}`", call.func_name),
                    Some(help),
                ));
            }
        }
        Node::Comprehension(c) => {
            walk(&c.iter_range, scope, errors);
            walk(&c.accu_init, scope, errors);
            let before = scope.len();
            scope.push(c.iter_var.clone());
            if let Some(v2) = &c.iter_var2 {
                scope.push(v2.clone());
            }
            scope.push(c.accu_var.clone());
            walk(&c.loop_cond, scope, errors);
            walk(&c.loop_step, scope, errors);
            walk(&c.result, scope, errors);
            scope.truncate(before);
        }
        other => children(other)
            .into_iter()
            .for_each(|x| walk(x, scope, errors)),
    }
}

/// The subexpressions of `e`, in source order (a call's target first).
pub fn children(e: &Node) -> Vec<&IdedExpr> {
    match e {
        Node::Call(c) => c.target.as_deref().into_iter().chain(&c.args).collect(),
        Node::Comprehension(c) => {
            vec![
                &c.iter_range,
                &c.accu_init,
                &c.loop_cond,
                &c.loop_step,
                &c.result,
            ]
        }
        Node::List(l) => l.elements.iter().collect(),
        Node::Map(MapExpr { entries }) | Node::Struct(StructExpr { entries, .. }) => entries
            .iter()
            .flat_map(|entry| match &entry.expr {
                EntryExpr::MapEntry(me) => vec![&me.key, &me.value],
                EntryExpr::StructField(f) => vec![&f.value],
            })
            .collect(),
        Node::Select(s) => vec![&s.operand],
        Node::Ident(_) | Node::Literal(_) | Node::Unspecified => Vec::new(),
    }
}

/// An expression's text and the variables in scope where it appears.
type ScopedSource = (String, Vec<String>);

/// Compiles and validates expressions once per distinct (source, scope): the same expression in a
/// message's en/fi/sv variants, or in many rules, is compiled a single time.
pub struct Compiler {
    env: Arc<Env>,
    programs: Mutex<HashMap<ScopedSource, Arc<Expr>>>,
}

impl Compiler {
    pub fn new(env: Arc<Env>) -> Self {
        Compiler {
            env,
            programs: Mutex::new(HashMap::new()),
        }
    }

    pub fn compile(&self, source: &str, vars: &[&str]) -> Result<Arc<Expr>, ExprError> {
        let key = (
            source.to_owned(),
            vars.iter().map(|v| (*v).to_owned()).collect::<Vec<_>>(),
        );
        if let Some(p) = self.programs.lock().ok().and_then(|c| c.get(&key).cloned()) {
            return Ok(p);
        }
        let program = Arc::new(compile(&self.env, source, vars)?);
        if let Ok(mut c) = self.programs.lock() {
            c.insert(key, program.clone());
        }
        Ok(program)
    }
}

/// A `{{...}}` that only reads a variable or its fields (`item.id`, `index`) needs no CEL program:
/// its segments, when the first one is a variable in scope.
pub fn simple_path(source: &str, vars: &[&str]) -> Option<Vec<String>> {
    let segments: Vec<String> = source.trim().split('.').map(str::to_owned).collect();
    let names = segments.iter().all(|s| is_name(s));
    (names && vars.contains(&segments[0].as_str())).then_some(segments)
}

/// Whether `s` is a name (of a variable, a field, a `let`): ASCII letters, digits and `_`, not
/// starting with a digit.
pub fn is_name(s: &str) -> bool {
    s.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_')
        && s.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// Checks that a path (with its `{{...}}` already replaced by `0`) names a field of the format.
pub fn check_path(schema: &Json, path: &str) -> Result<(), String> {
    let Some(segments) = parse_path(path) else {
        return Err(format!(
            "`{path}` is not a field path like `purposes[0].laws`"
        ));
    };
    let defs = schema.get("$defs");
    let mut current: Vec<&Json> = vec![schema];
    for (depth, seg) in segments.iter().enumerate() {
        let candidates = current
            .iter()
            .flat_map(|c| branches(defs, c))
            .flat_map(|b| branches(defs, b));
        let mut next = Vec::new();
        let mut known: BTreeSet<&str> = BTreeSet::new();
        for c in candidates {
            match seg {
                Segment::Key(k) => {
                    if let Some(props) = c.get("properties").and_then(Json::as_object) {
                        known.extend(props.keys().map(String::as_str));
                        if let Some(p) = props.get(k) {
                            next.push(p);
                        }
                    } else if let Some(add @ Json::Object(_)) = c.get("additionalProperties") {
                        next.push(add);
                    }
                }
                Segment::Index(_) => {
                    if let Some(items) = c.get("items") {
                        next.push(items);
                    }
                }
            }
        }
        if next.is_empty() {
            let at = match depth {
                0 => "the register".to_owned(),
                _ => format!("`{}`", crate::document::render_path(&segments[..depth])),
            };
            return Err(match seg {
                Segment::Key(k) => match crate::suggest::did_you_mean(k, known) {
                    Some(b) => format!("{at} has no field `{k}` (did you mean `{b}`?)"),
                    None => format!("{at} has no field `{k}`"),
                },
                Segment::Index(_) => format!("{at} is not a list"),
            });
        }

        current = next;
    }
    Ok(())
}

/// A schema with `$ref`s followed, split into its `anyOf` branches (borrowed: the register schema
/// is large, and cloning it per rule once dominated start-up).
fn branches<'s>(defs: Option<&'s Json>, schema: &'s Json) -> Vec<&'s Json> {
    let mut s = schema;
    for _ in 0..16 {
        let Some(n) = s
            .get("$ref")
            .and_then(Json::as_str)
            .and_then(|r| r.strip_prefix("#/$defs/"))
            .and_then(|n| defs?.get(n))
        else {
            break;
        };
        s = n;
    }
    match s.get("anyOf").and_then(Json::as_array) {
        Some(list) => list.iter().collect(),
        None => vec![s],
    }
}

/// Maps a byte offset inside a scalar's value to a byte offset in the file, by walking the value's
/// non-blank characters through the source text of the node (folding and indentation of block
/// scalars change only whitespace). Falls back to the node's start.
pub fn value_offset_to_source(value: &str, offset: usize, source: &str, node: Span) -> usize {
    let region = source.get(node.start..node.end).unwrap_or("");
    let mut start = 0;
    // saphyr starts a block scalar's span at its header (`>-`) or just inside it (`-`).
    let before = source[..node.start.min(source.len())].chars().next_back();
    if region.starts_with(['"', '\'']) {
        start = 1;
    } else if region.starts_with(['|', '>']) || matches!(before, Some('|' | '>')) {
        start = region.find('\n').map_or(region.len(), |i| i + 1);
    }
    let wanted = value[..offset.min(value.len())]
        .chars()
        .filter(|c| !c.is_whitespace())
        .count();
    let mut seen = 0;
    let mut after_last = None;
    for (i, c) in region[start..].char_indices() {
        if c.is_whitespace() {
            continue;
        }
        if seen == wanted {
            return node.start + start + i;
        }
        seen += 1;
        after_last = Some(node.start + start + i + c.len_utf8());
    }
    // Past the last character (an error "at end of input"): point just after it.
    match after_last {
        Some(end) if seen == wanted => end,
        _ => node.start,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_trees_build_rs_parsed_are_the_parsers_trees() {
        assert!(PARSED.len() > 100, "{}", PARSED.len());
        for (source, _) in PARSED {
            let parsed = parse(source).expect("build.rs kept only what parses");
            assert_eq!(parsed_by_build(source), Some(parsed), "{source}");
        }
    }
}
