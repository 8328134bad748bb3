//! The parts of a register a rule reads, worked out from its CEL (`each`, `when`, `check` and the
//! messages, help and labels), without running it. Lint uses them to hold back follow-on findings:
//! when a structure check says a value is unusable (a misspelt key, a value outside its
//! enumeration, an unknown reference, a wrong type), a rule that reads that value would only
//! give advice built on the mistake (`legal_basis: consnet` is no legal basis at all, so "list the
//! right to erasure" follows). Rule authors need not know: the analysis is of the expressions.
//!
//! It over-approximates: a value passed whole to a function, a dynamic index or a variable it
//! cannot follow counts as reading everything below it, so a rule is held back rather than shown
//! on a guess. Iterating over a list reads its items, not their fields.

use cel::common::ast::{Expr as Node, IdedExpr, LiteralValue};

use crate::document::{Segment, parse_path};
use crate::finding::Unusable;

use super::load::Rule;
use super::template::{Piece, split};
use super::validate;

/// One step of a path into the register: a field, or any item or key (`[]`).
#[derive(Debug, Clone, PartialEq, Eq)]
enum Step {
    Field(String),
    Any,
    /// Any number of steps: where below `x` the `parent` of an item of `texts(x)` is.
    Below,
    /// An item of `texts(x)`, or its `path` or `value` (last in a path): reading it reads no more
    /// than the `texts` call did (a filter over the texts keeps whole items).
    Text,
}

/// How much below a path an expression reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Depth {
    /// The value and everything in it.
    Deep,
    /// The items of a list or the keys of a map (iterated over), not what is inside them.
    Items,
    /// Only the text values below it (`texts(x)`): enumerations and ids play no part.
    Texts,
}

#[derive(Debug, Clone, PartialEq, Eq)]
struct Read {
    path: Vec<Step>,
    depth: Depth,
}

/// What a rule reads of the register.
#[derive(Debug, Clone, Default)]
pub struct Reads {
    reads: Vec<Read>,
}

impl Reads {
    /// The reads of `rule`, from the sources of its expressions and templates.
    pub fn of(rule: &Rule) -> Reads {
        let mut a = Analysis::default();
        let each_path = rule
            .each
            .as_ref()
            .and_then(|e| a.range(&validate::parse(&e.source).ok()?, &mut Vec::new()));
        // `item` is an element of `each`; `index` and the rest are not register data.
        let mut scope: Scope = Vec::new();
        if rule.each.is_some() {
            scope.push(("item".to_owned(), each_path));
        }
        // A `let` reads what its expression reads, wherever its name is used.
        for cel in rule
            .when
            .iter()
            .chain(std::iter::once(&rule.check))
            .chain(rule.severity_when.iter().map(|(_, c)| c))
            .chain(rule.lets.iter().map(|(_, c)| c))
        {
            if let Ok(expr) = validate::parse(&cel.source) {
                a.walk(&expr, &mut scope);
            }
        }
        for template in rule
            .message
            .values()
            .chain(rule.help.values())
            .chain(rule.label.values())
        {
            for piece in split(&template.source).unwrap_or_default() {
                if let Piece::Expr { source, .. } = piece
                    && let Ok(expr) = validate::parse(source)
                {
                    a.walk(&expr, &mut scope);
                }
            }
        }
        Reads { reads: a.reads }
    }

    /// Whether the rule reads the value at `path` (a field path such as `purposes[0].legal_basis`)
    /// that a structure finding found unusable in the way `how` says.
    pub fn touches(&self, path: &str, how: Unusable) -> bool {
        let Some(segments) = parse_path(path) else {
            return true;
        };
        let target: Vec<Step> = segments
            .into_iter()
            .map(|s| match s {
                Segment::Key(k) => Step::Field(k),
                Segment::Index(_) => Step::Any,
            })
            .collect();
        self.reads.iter().any(|r| r.matches(&r.path, &target, how))
    }
}

impl Read {
    /// Whether the part `path` of the read reaches into `target`.
    fn matches(&self, path: &[Step], target: &[Step], how: Unusable) -> bool {
        match (path.split_first(), target.split_first()) {
            // The unusable value holds what the rule reads.
            (_, None) => true,
            (None, Some(_)) => match self.depth {
                Depth::Deep => true,
                Depth::Texts => how == Unusable::Value,
                // The items themselves: a wrong item (`purposes[2]` not a mapping) or a wrong list.
                Depth::Items => target.len() == 1,
            },
            // A value that `Below` would end inside is one of the texts' (the `texts` read).
            (Some((Step::Below, rest)), Some((_, below))) => {
                self.matches(rest, target, how)
                    || (!below.is_empty() && self.matches(path, below, how))
            }
            (Some((step, rest)), Some((t, below))) => {
                let same = match (step, t) {
                    (Step::Field(x), Step::Field(y)) => x == y,
                    // A key is no list index (what `Below` may pass over).
                    (Step::Field(_), _) => false,
                    _ => true,
                };
                same && self.matches(rest, below, how)
            }
        }
    }
}

#[derive(Default)]
struct Analysis {
    reads: Vec<Read>,
}

/// Variables in scope and the register path each holds the items of (for an item of `texts(x)`,
/// the path of `x` and [`Step::Text`]). `None`: a value computed from what its expression read
/// (already recorded), such as the items of a literal list: reading it reads nothing more of the
/// register.
type Scope = Vec<(String, Option<Vec<Step>>)>;

impl Analysis {
    fn read(&mut self, path: Vec<Step>, depth: Depth) {
        if path.last() == Some(&Step::Text) {
            return;
        }
        let r = Read { path, depth };
        if !self.reads.contains(&r) {
            self.reads.push(r);
        }
    }

    /// The register path `e` stands for, if it is one: `register.a.b`, `item.c`, `x['k']`, a
    /// loop variable over such a path.
    fn path_of(&self, e: &IdedExpr, scope: &Scope) -> Option<Vec<Step>> {
        match &e.expr {
            Node::Ident(name) => match scope.iter().rev().find(|(n, _)| n == name) {
                Some((_, bound)) => bound.clone(),
                None => (name == "register").then(Vec::new),
            },
            Node::Select(s) => Some(then(
                self.path_of(&s.operand, scope)?,
                Step::Field(s.field.clone()),
            )),
            Node::Call(c) if c.func_name == "_[_]" && c.target.is_none() && c.args.len() == 2 => {
                let step = match &c.args[1].expr {
                    Node::Literal(LiteralValue::String(k)) => Step::Field(k.inner().to_owned()),
                    _ => Step::Any,
                };
                Some(then(self.path_of(&c.args[0], scope)?, step))
            }
            _ => None,
        }
    }

    /// The path of the items of a list expression (the range of `each` or of a macro): `p[]` for
    /// a path `p`, the range of a `filter`/`map` over one, `None` when unknown.
    fn items_of(&self, e: &IdedExpr, scope: &Scope) -> Option<Vec<Step>> {
        match self.path_of(e, scope) {
            Some(mut p) => {
                p.push(Step::Any);
                Some(p)
            }
            None => match &e.expr {
                Node::Comprehension(c) => self.items_of(&c.iter_range, scope),
                Node::Call(c) => {
                    let texts_of = self.path_of(validate::texts_argument(c)?, scope)?;
                    Some([texts_of, vec![Step::Text]].concat())
                }
                _ => None,
            },
        }
    }

    /// Reads the range `e` of a loop (its items, when it is a path): the path of its items.
    fn range(&mut self, e: &IdedExpr, scope: &mut Scope) -> Option<Vec<Step>> {
        match self.path_of(e, scope) {
            Some(p) => self.read(p, Depth::Items),
            None => self.walk(e, scope),
        }
        self.items_of(e, scope)
    }

    fn walk(&mut self, e: &IdedExpr, scope: &mut Scope) {
        if let Some(p) = self.path_of(e, scope) {
            self.read(p, Depth::Deep);
            // A dynamic index reads its own operands too.
            if let Node::Call(c) = &e.expr {
                c.args.iter().skip(1).for_each(|a| self.walk(a, scope));
            }
            return;
        }
        if let Node::Call(c) = &e.expr
            && let Some(p) = validate::texts_argument(c).and_then(|x| self.path_of(x, scope))
        {
            self.read(p, Depth::Texts);
            return;
        }
        match &e.expr {
            Node::Comprehension(c) => {
                let items = self.range(&c.iter_range, scope);
                scope.push((c.iter_var.clone(), items.clone()));
                if let Some(v2) = &c.iter_var2 {
                    scope.push((v2.clone(), items));
                }
                // The accumulator holds what the loop computed from the items: not a path.
                scope.push((c.accu_var.clone(), None));
                for x in [&c.accu_init, &c.loop_cond, &c.loop_step, &c.result] {
                    self.walk(x, scope);
                }
                scope.pop();
                if c.iter_var2.is_some() {
                    scope.pop();
                }
                scope.pop();
            }
            other => {
                for x in validate::children(other) {
                    self.walk(x, scope);
                }
            }
        }
    }
}

/// `p`, then `step`. After an item of `texts(x)` only its `path` and `value` stay the item (a
/// `parent`, or a key not known, is a mapping somewhere below `x`).
fn then(mut p: Vec<Step>, step: Step) -> Vec<Step> {
    if p.last() != Some(&Step::Text) {
        p.push(step);
    } else if !matches!(&step, Step::Field(f) if f == "path" || f == "value") {
        p.pop();
        p.push(Step::Below);
    }
    p
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rule(id: &str) -> Rule {
        let mut set = crate::rules::load_rules(&[], true).unwrap_or_default();
        let i = set
            .rules
            .iter()
            .position(|r| r.id == id)
            .unwrap_or_else(|| panic!("no rule {id}"));
        set.rules.swap_remove(i)
    }

    #[test]
    fn a_rule_reads_the_fields_it_names_through_loops_and_each() {
        let rights = rule("gdpr/rights-listed");
        assert!(
            rights
                .reads()
                .touches("purposes[3].legal_basis", Unusable::Data)
        );
        assert!(rights.reads().touches("rights[0]", Unusable::Data));
        assert!(!rights.reads().touches("translations[0]", Unusable::Data));
        // `each: register.purposes` reads the items, not every field of them.
        let described = rule("gdpr/purpose-described");
        assert!(
            described
                .reads()
                .touches("purposes[0].description", Unusable::Value)
        );
        assert!(described.reads().touches("purposes[1]", Unusable::Value));
        assert!(
            !described
                .reads()
                .touches("purposes[0].retention.period", Unusable::Data)
        );
    }

    #[test]
    fn texts_of_the_register_are_spoilt_only_by_values_of_the_wrong_type() {
        let by_use = rule("gdpr/consent-by-use");
        assert!(
            !by_use
                .reads()
                .touches("purposes[0].legal_basis", Unusable::Data)
        );
        assert!(
            by_use
                .reads()
                .touches("purposes[0].description", Unusable::Value)
        );
    }

    #[test]
    fn the_parent_of_a_text_is_any_mapping_below_where_the_texts_were_found() {
        // `when: !has(item.parent.period)` over the criteria texts of `texts(register)`.
        let reads = rule("gdpr/retention-concrete").reads().clone();
        for period in [
            "retention.period",
            "purposes[2].retention.period",
            "data_categories[0].retention.period",
        ] {
            assert!(reads.touches(period, Unusable::Data), "{period}");
        }
        for other in ["purposes[0].legal_basis", "retention", "controller.name"] {
            assert!(!reads.touches(other, Unusable::Data), "{other}");
        }
        assert!(reads.touches("controller.name", Unusable::Value));
    }

    #[test]
    fn literal_lists_and_loop_results_are_no_register_data() {
        // `['email', 'phone'].exists(k, k in register.dpo ...)` reads `dpo`, not everything.
        let dpo = rule("gdpr/dpo-contact");
        assert!(dpo.reads().touches("dpo.email", Unusable::Value));
        assert!(
            !dpo.reads()
                .touches("purposes[0].legal_basis", Unusable::Data)
        );
    }
}
