//! Structure checks: the document against a JSON Schema generated from Rust types.
//!
//! We walk the schemars output ourselves (a small subset: `$ref`, `type`, `enum`, `anyOf`,
//! `properties`, `required`, `additionalProperties`, `items`, `minItems`, `pattern`, `format: date`,
//! `minimum`/`maximum`) instead of using a generic validator, because each problem must become a
//! finding at the exact key or value with a did-you-mean, and every problem, not the first, counts.

use std::cell::RefCell;
use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};
use std::sync::{Arc, LazyLock, Mutex, OnceLock, PoisonError};

use regex::Regex;
use serde_json::Value as Json;

use crate::document::{Document, Node, NodeKind, Segment, Span, first_line, render_path};
use crate::finding::{Finding, Severity, Unusable};
use crate::messages::{self, Messages};

/// What the walker reads of one schema node, looked up once per run instead of once per node of
/// every file: the `serde_json` map lookups (a dozen keywords per node) were half of the structure
/// check. One per schema node and process (the schemas are statics), never freed.
struct Info {
    /// The node with its `$ref`s followed.
    schema: &'static Json,
    defs: Option<&'static Json>,
    /// `anyOf`/`oneOf` branches, made on first use (a schema may refer to itself in a branch).
    branches: OnceLock<Option<Vec<&'static Info>>>,
    /// The node kinds `type` allows (bits of [`kind_bit`]); `None` without `type`.
    kinds: Option<u8>,
    enumeration: Option<&'static [Json]>,
    properties: Option<&'static serde_json::Map<String, Json>>,
    additional: Option<&'static Json>,
    required: Vec<&'static str>,
    pattern: Option<(&'static str, Option<Arc<Regex>>)>,
    date: bool,
    minimum: Option<f64>,
    maximum: Option<f64>,
    min_items: Option<u64>,
    items: Option<&'static Json>,
}

fn kind_bit(kind: &NodeKind) -> u8 {
    match kind {
        NodeKind::Null => 1,
        NodeKind::Bool(_) => 2,
        NodeKind::Int(_) => 4,
        NodeKind::Float(_) => 8,
        NodeKind::Str(_) => 16,
        NodeKind::Seq(_) => 32,
        NodeKind::Map(_) => 64,
    }
}

fn type_bits(t: &str) -> u8 {
    match t {
        "null" => 1,
        "boolean" => 2,
        "integer" => 4,
        "number" => 4 | 8,
        "string" => 16,
        "array" => 32,
        "object" => 64,
        _ => 0,
    }
}

/// Schema nodes are keyed by address: the schemas are statics.
#[derive(Default)]
struct AddressHasher(u64);

impl Hasher for AddressHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.0 = (self.0 << 8 | u64::from(*b)).wrapping_mul(0x9E37_79B9_7F4A_7C15);
        }
    }
    fn write_usize(&mut self, n: usize) {
        self.0 = (n as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    }
}

type Infos = HashMap<usize, &'static Info, BuildHasherDefault<AddressHasher>>;

/// Every [`Info`] made in this process.
static ALL_INFOS: LazyLock<Mutex<Infos>> = LazyLock::new(Default::default);

thread_local! {
    /// This thread's view of [`ALL_INFOS`]: lookups without a lock.
    static INFOS: RefCell<Infos> = RefCell::default();
}

impl Info {
    fn branches(&self) -> Option<&[&'static Info]> {
        self.branches
            .get_or_init(|| {
                self.schema
                    .get("anyOf")
                    .or(self.schema.get("oneOf"))
                    .and_then(Json::as_array)
                    .map(|bs| bs.iter().map(|b| info(b, self.defs)).collect())
            })
            .as_deref()
    }
}

/// The [`Info`] of `schema` (a node of the schema whose `$defs` are `defs`).
fn info(schema: &'static Json, defs: Option<&'static Json>) -> &'static Info {
    let key = schema as *const Json as usize;
    if let Some(i) = INFOS.with(|m| m.borrow().get(&key).copied()) {
        return i;
    }
    // The lock is held for this statement only.
    let i = *ALL_INFOS
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
        .entry(key)
        .or_insert_with(|| Box::leak(Box::new(new_info(schema, defs))));
    INFOS.with(|m| m.borrow_mut().insert(key, i));
    i
}

fn new_info(schema: &'static Json, defs: Option<&'static Json>) -> Info {
    let resolved = resolve(schema, defs);
    let kinds = match resolved.get("type") {
        Some(Json::String(t)) => Some(type_bits(t)),
        Some(Json::Array(ts)) => Some(
            ts.iter()
                .filter_map(Json::as_str)
                .map(type_bits)
                .fold(0, |a, b| a | b),
        ),
        _ => None,
    };
    let pattern = resolved
        .get("pattern")
        .and_then(Json::as_str)
        .map(|p| (p, crate::formats::cached_regex(p).ok()));
    Info {
        schema: resolved,
        defs,
        branches: OnceLock::new(),
        kinds,
        enumeration: resolved
            .get("enum")
            .and_then(Json::as_array)
            .map(Vec::as_slice),
        properties: resolved.get("properties").and_then(Json::as_object),
        additional: resolved.get("additionalProperties"),
        required: resolved
            .get("required")
            .and_then(Json::as_array)
            .into_iter()
            .flatten()
            .filter_map(Json::as_str)
            .collect(),
        pattern,
        date: resolved.get("format").and_then(Json::as_str) == Some("date"),
        minimum: resolved.get("minimum").and_then(Json::as_f64),
        maximum: resolved.get("maximum").and_then(Json::as_f64),
        min_items: resolved.get("minItems").and_then(Json::as_u64),
        items: resolved.get("items"),
    }
}

fn resolve(schema: &'static Json, defs: Option<&'static Json>) -> &'static Json {
    let mut s = schema;
    for _ in 0..16 {
        let target = s
            .get("$ref")
            .and_then(Json::as_str)
            .and_then(|r| r.strip_prefix("#/$defs/"))
            .and_then(|name| defs?.get(name));
        match target {
            Some(next) => s = next,
            None => return s,
        }
    }
    s
}

/// Checks `doc` against `schema` (its `$defs` resolve `$ref`s), in the words of `lang`.
pub fn check(doc: &Document, schema: &'static Json, lang: &str) -> Vec<Finding> {
    walk(doc, schema, "structure.root_register", lang, true)
}

/// Like [`check`], naming the document's root by the message key `root` ("a rule file").
pub fn check_named(
    doc: &Document,
    schema: &'static Json,
    root: &'static str,
    lang: &str,
) -> Vec<Finding> {
    walk(doc, schema, root, lang, false)
}

/// The structure check; `placeholders`: a `TODO` value is a placeholder (in registers only, not in
/// rule files or configs).
fn walk(
    doc: &Document,
    schema: &'static Json,
    root: &'static str,
    lang: &str,
    placeholders: bool,
) -> Vec<Finding> {
    let msgs = messages::get(lang);
    let mut walker = Walker {
        root,
        placeholders,
        msgs,
        defs: schema.get("$defs"),
        source: &doc.source,
        findings: Vec::new(),
        path: Vec::new(),
    };
    walker.node(&doc.root, schema, None);
    for dup in &doc.duplicates {
        walker.findings.push(
            Finding::new(
                "seloste/duplicate-key",
                Severity::Error,
                dup.span,
                msgs.fill("structure.duplicate_key", &[("key", &dup.key)]),
            )
            .with_label(msgs.text("structure.duplicate_key_label"))
            .with_related(dup.first, msgs.text("structure.duplicate_key_first"))
            .with_help(msgs.text("structure.duplicate_key_help")),
        );
    }
    walker.findings
}

struct Walker<'a> {
    root: &'static str,
    placeholders: bool,
    msgs: &'static Messages,
    defs: Option<&'static Json>,
    source: &'a str,
    findings: Vec<Finding>,
    path: Vec<Segment>,
}

impl<'a> Walker<'a> {
    /// The place `path` names in messages: the path, or the document's root by name.
    fn place(&self, path: &[Segment]) -> String {
        let p = render_path(path);
        if p.is_empty() {
            self.msgs.text(self.root).to_owned()
        } else {
            format!("`{p}`")
        }
    }

    fn here(&self) -> String {
        self.place(&self.path)
    }

    /// A `rule` finding at the value of `node`, its message `key` filled with `{where}` and `vars`.
    fn at_value(&self, rule: &str, node: &Node, key: &str, vars: &[(&str, &str)]) -> Finding {
        let here = self.here();
        let mut vars = vars.to_vec();
        vars.push(("where", &here));
        let message = self.msgs.fill(key, &vars);
        Finding::new(rule, Severity::Error, self.value_span(node), message)
    }

    fn push(&mut self, mut f: Finding) {
        let path = render_path(&self.path);
        if f.unusable.is_none() {
            f.unusable = match f.rule.as_str() {
                "seloste/type" => Some(Unusable::Value),
                "seloste/enum" | "seloste/format" => Some(Unusable::Data),
                _ => None,
            }
            .map(|how| (path.clone(), how));
        }
        self.findings.push(f.with_path(path));
    }

    /// `key_span` is the span of the key this node hangs from, if any (for missing-key findings).
    fn node(&mut self, node: &Node, schema: &'static Json, key_span: Option<Span>) {
        self.node_info(node, info(schema, self.defs), key_span)
    }

    fn node_info(&mut self, node: &Node, info: &'static Info, key_span: Option<Span>) {
        // A placeholder stands for a value not yet written, whatever its type or format would be:
        // one finding that says so, not a type, enum or format error as well.
        if self.placeholders && crate::placeholder::is_placeholder_node(node) {
            return self.placeholder(node);
        }
        let matches = |i: &Info| i.kinds.is_none_or(|k| k & kind_bit(&node.kind) != 0);
        if let Some(branches) = info.branches() {
            match branches.iter().find(|b| matches(b)) {
                Some(b) => self.node_info(node, b, key_span),
                None => {
                    let resolved: Vec<&Json> = branches.iter().map(|b| b.schema).collect();
                    let expected = describe_any(&resolved, self).one;
                    self.type_error(node, &expected);
                }
            }
            return;
        }
        if !matches(info) {
            let expected = describe(info.schema, self).one;
            self.type_error(node, &expected);
            return;
        }
        if let Some(allowed) = info.enumeration {
            self.enumeration(node, allowed);
        }
        match &node.kind {
            NodeKind::Map(entries) => self.mapping(node, entries, info, key_span),
            NodeKind::Seq(items) => self.sequence(node, items, info, key_span),
            NodeKind::Str(s) => self.string(node, s, info),
            NodeKind::Int(i) => self.range(node, *i as f64, info),
            NodeKind::Float(f) => self.range(node, *f, info),
            _ => {}
        }
    }

    /// `seloste/placeholder`: a `TODO` left in. Rules that read the value are held back (it is no
    /// value yet), rules over the texts are not (they no longer see it: [`crate::placeholder::blank`]).
    fn placeholder(&mut self, node: &Node) {
        let m = self.msgs;
        let path = render_path(&self.path);
        let f = self
            .at_value("seloste/placeholder", node, "structure.placeholder", &[])
            .with_label(m.text("structure.placeholder_label"))
            .with_help(m.text("structure.placeholder_help"))
            .with_unusable(path, Unusable::Data);
        self.push(f);
    }

    fn type_error(&mut self, node: &Node, expected: &str) {
        let m = self.msgs;
        let found = m.text(match node.type_name() {
            "null" => "types.found_null",
            "string" => "types.found_string",
            "integer" => "types.found_integer",
            "number" => "types.found_float",
            "boolean" => "types.found_boolean",
            "list" => "types.found_list",
            _ => "types.found_mapping",
        });
        let vars = [("expected", expected), ("found", found)];
        let mut f = self
            .at_value("seloste/type", node, "structure.type", &vars)
            .with_label(m.fill("structure.type_label", &[("expected", expected)]));
        // `{fi: Osoite, puhelin, sv: …}`: the comma ended the entry and the rest of the text
        // became a key with no value.
        let text_as_key = matches!(node.kind, NodeKind::Null)
            && matches!(self.path.last(), Some(Segment::Key(k)) if k.contains(' '));
        if text_as_key {
            f = f.with_help(m.text("structure.type_help_comma"));
        } else if expected.starts_with(m.text("types.string"))
            || expected.starts_with(m.text("types.text"))
        {
            if let Some(raw) = self.source.get(node.span.start..node.span.end)
                && !matches!(node.kind, NodeKind::Seq(_) | NodeKind::Map(_))
                && !raw.is_empty()
            {
                f = f.with_help(m.fill("structure.type_help_quote", &[("raw", raw.trim())]));
            }
        } else if expected.starts_with(m.text("types.list"))
            && !matches!(node.kind, NodeKind::Map(_))
            && let Some(raw) = self.source.get(node.span.start..node.span.end)
        {
            f = f.with_help(m.fill("structure.type_help_list", &[("raw", raw.trim())]));
        }
        self.push(f);
    }

    fn value_span(&self, node: &Node) -> Span {
        if node.span.is_empty() {
            return node.span;
        }
        first_line(node.span, self.source)
    }

    fn enumeration(&mut self, node: &Node, allowed: &[Json]) {
        let matched = allowed.iter().any(|a| match (&node.kind, a) {
            (NodeKind::Str(s), Json::String(x)) => s == x,
            (NodeKind::Int(i), Json::Number(n)) => n.as_i64() == Some(*i),
            _ => false,
        });
        if matched {
            return;
        }
        let names = enum_names(allowed);
        let shown = match &node.kind {
            NodeKind::Str(s) => format!("`{s}`"),
            NodeKind::Int(i) => i.to_string(),
            _ => node.type_name().to_owned(),
        };
        let m = self.msgs;
        let mut f = self
            .at_value("seloste/enum", node, "structure.enum", &[("value", &shown)])
            .with_label(m.fill("structure.enum_label", &[("names", &names.join(", "))]));
        if let Some(s) = node.as_str()
            && let Some(best) = did_you_mean(s, names.iter().map(String::as_str))
        {
            f = f.with_suggestion(best, m);
        }
        self.push(f);
    }

    fn mapping(
        &mut self,
        node: &Node,
        entries: &[crate::document::Entry],
        info: &'static Info,
        key_span: Option<Span>,
    ) {
        for entry in entries {
            self.path.push(Segment::Key(entry.key.clone()));
            match info.properties.and_then(|p| p.get(&entry.key)) {
                Some(sub) => self.node(&entry.value, sub, Some(entry.key_span)),
                None => match info.additional {
                    Some(Json::Bool(false)) => {
                        let known = info
                            .properties
                            .map(|p| p.keys().map(String::as_str).collect::<Vec<_>>())
                            .unwrap_or_default();
                        self.unknown_key(entry, &known);
                    }
                    Some(sub @ Json::Object(_)) => {
                        self.node(&entry.value, sub, Some(entry.key_span))
                    }
                    _ => {}
                },
            }
            self.path.pop();
        }
        for &req in &info.required {
            if entries.iter().any(|e| e.key == req && !e.value.is_null()) {
                continue;
            }
            let span = match key_span {
                Some(k) if !self.path.is_empty() => k,
                _ => first_line(node.span, self.source),
            };
            self.path.push(Segment::Key(req.to_owned()));
            let what = self.here();
            self.path.pop();
            let m = self.msgs;
            let f = Finding::new(
                "seloste/required",
                Severity::Error,
                span,
                m.fill("structure.required", &[("where", &what)]),
            )
            .with_label(m.fill("structure.missing_here", &[("key", req)]))
            .with_help(m.fill("structure.required_help", &[("key", req)]));
            self.push(f);
        }
    }

    fn unknown_key(&mut self, entry: &crate::document::Entry, known: &[&str]) {
        let parent = &self.path[..self.path.len() - 1];
        let m = self.msgs;
        let vars = [("key", entry.key.as_str()), ("where", &self.place(parent))];
        let mut f = Finding::new(
            "seloste/unknown-key",
            Severity::Error,
            entry.key_span,
            m.fill("structure.unknown_key", &vars),
        )
        .with_label(m.text("structure.unknown_key_label"));
        f = match did_you_mean(&entry.key, known.iter().copied()) {
            // The key it was meant to be counts as missing for the rules: they would ask for it.
            Some(best) => {
                let meant = [parent, &[Segment::Key(best.to_owned())]].concat();
                f.with_suggestion(best, m)
                    .with_unusable(render_path(&meant), Unusable::Data)
            }
            None => f.with_help(m.fill("structure.known_keys", &[("keys", &known.join(", "))])),
        };
        self.push(f);
    }

    fn sequence(
        &mut self,
        node: &Node,
        items: &[Node],
        info: &'static Info,
        key_span: Option<Span>,
    ) {
        if let Some(min) = info.min_items
            && (items.len() as u64) < min
        {
            let span = key_span.unwrap_or_else(|| self.value_span(node));
            let m = self.msgs;
            let key = if min == 1 {
                "structure.min_items_one"
            } else {
                "structure.min_items"
            };
            let f = Finding::new(
                "seloste/required",
                Severity::Error,
                span,
                m.fill(key, &[("where", &self.here()), ("min", &min.to_string())]),
            )
            .with_label(m.text("structure.min_items_label"));
            self.push(f);
        }
        if let Some(item_schema) = info.items {
            for (i, item) in items.iter().enumerate() {
                self.path.push(Segment::Index(i));
                self.node(item, item_schema, None);
                self.path.pop();
            }
        }
    }

    // Every string of a register comes here: inlined into the walk, the errors are calls.
    #[inline(always)]
    fn string(&mut self, node: &Node, s: &str, info: &Info) {
        if let Some((pattern, re)) = &info.pattern {
            let ok = re.as_ref().is_none_or(|re| re.is_match(s));
            let period = matches!(self.path.last(), Some(Segment::Key(k)) if k == "period");
            if !ok || period && crate::formats::iso_days(s).is_none() {
                self.pattern_error(node, s, pattern, ok);
            }
        }
        if info.date && chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").is_err() {
            let m = self.msgs;
            let label = m.text("structure.not_date_label");
            let help = m.text("structure.not_date_help");
            self.format_error(node, "structure.not_date", s, label, help);
        }
    }

    /// A string that does not match its pattern or, `matched`, a duration of nothing: what it is
    /// not, in words (a raw regex helps nobody).
    fn pattern_error(&mut self, node: &Node, s: &str, pattern: &str, matched: bool) {
        let m = self.msgs;
        let key = match self.path.last() {
            Some(Segment::Key(k)) => k.as_str(),
            _ => "",
        };
        let help = m.text(match key {
            "id" => "structure.slug_help",
            "period" => "structure.duration_help",
            _ => "structure.schema_help",
        });
        let label = match key {
            _ if matched => m.text("structure.duration_zero_label").to_owned(),
            "period" => m.text("structure.not_duration").to_owned(),
            "id" => m.text("structure.not_slug").to_owned(),
            _ => m.fill("structure.no_match", &[("pattern", pattern)]),
        };
        let what = if matched {
            "structure.duration_zero"
        } else {
            "structure.malformed"
        };
        self.format_error(node, what, s, &label, help);
    }

    /// A `seloste/format` finding on the string `value` of `node`: the message `key` (with
    /// `{where}` and `{value}`), its label and help.
    fn format_error(&mut self, node: &Node, key: &str, value: &str, label: &str, help: &str) {
        let f = self.at_value("seloste/format", node, key, &[("value", value)]);
        self.push(f.with_label(label).with_help(help));
    }

    fn range(&mut self, node: &Node, v: f64, info: &Info) {
        let (min, max) = (info.minimum, info.maximum);
        if min.is_some_and(|m| v < m) || max.is_some_and(|m| v > m) {
            let bound = |b: Option<f64>| b.map_or(String::new(), |b| b.to_string());
            let (min, max) = (bound(min), bound(max));
            let label = self
                .msgs
                .fill("structure.range_label", &[("min", &min), ("max", &max)]);
            let f = self.at_value("seloste/format", node, "structure.range", &[]);
            self.push(f.with_label(label));
        }
    }
}

/// The values of an enumeration as the messages show them (strings without their quotes).
fn enum_names(allowed: &[Json]) -> Vec<String> {
    let name = |a: &Json| a.as_str().map_or_else(|| a.to_string(), str::to_owned);
    allowed.iter().map(name).collect()
}

/// What a schema accepts, in words: one value ("a string", "a list of strings", "one of: a, b")
/// and several of them, for a list of it ("strings", "values (one of: a, b)").
struct Phrase {
    one: String,
    many: String,
}

fn phrase(m: &Messages, one: &str, many: &str) -> Phrase {
    Phrase {
        one: m.text(one).to_owned(),
        many: m.text(many).to_owned(),
    }
}

fn describe(schema: &'static Json, w: &Walker) -> Phrase {
    let m = w.msgs;
    let schema = resolve(schema, w.defs);
    if let Some(branches) = schema.get("anyOf").and_then(Json::as_array) {
        let resolved: Vec<&Json> = branches.iter().map(|b| resolve(b, w.defs)).collect();
        return describe_any(&resolved, w);
    }
    if let Some(e) = schema.get("enum").and_then(Json::as_array) {
        let names = enum_names(e).join(", ");
        return Phrase {
            one: m.fill("types.one_of", &[("names", &names)]),
            many: m.fill("types.values_one_of", &[("names", &names)]),
        };
    }
    let types: Vec<&str> = match schema.get("type") {
        Some(Json::String(t)) => vec![t.as_str()],
        Some(Json::Array(ts)) => ts
            .iter()
            .filter_map(Json::as_str)
            .filter(|t| *t != "null")
            .collect(),
        _ => vec![],
    };
    let parts: Vec<Phrase> = types
        .iter()
        .map(|t| match *t {
            "array" => match schema.get("items") {
                Some(items) => {
                    let item = describe(items, w);
                    // English says "a list of strings", the other languages name one item.
                    let items = if m.lang == "en" { item.many } else { item.one };
                    Phrase {
                        one: m.fill("types.list_of", &[("items", &items)]),
                        many: m.text("types.lists").to_owned(),
                    }
                }
                None => phrase(m, "types.list", "types.lists"),
            },
            "object" => phrase(m, "types.mapping", "types.mappings"),
            "integer" => phrase(m, "types.integer", "types.integers"),
            "number" => phrase(m, "types.number", "types.numbers"),
            "boolean" => phrase(m, "types.boolean", "types.booleans"),
            _ => phrase(m, "types.string", "types.strings"),
        })
        .collect();
    if parts.is_empty() {
        return phrase(m, "types.value", "types.value");
    }
    join_phrases(parts, m.text("types.or"))
}

fn join_phrases(parts: Vec<Phrase>, sep: &str) -> Phrase {
    let (one, many): (Vec<String>, Vec<String>) =
        parts.into_iter().map(|p| (p.one, p.many)).unzip();
    Phrase {
        one: one.join(sep),
        many: many.join(sep),
    }
}

fn describe_any(branches: &[&'static Json], w: &Walker) -> Phrase {
    let non_null: Vec<&&Json> = branches
        .iter()
        .filter(|b| b.get("type").and_then(Json::as_str) != Some("null"))
        .collect();
    // Text is the one string-or-language-map union: name it as the format does.
    let is_text = non_null.len() == 2
        && non_null
            .iter()
            .any(|b| b.get("type").and_then(Json::as_str) == Some("string"))
        && non_null.iter().any(|b| {
            b.get("type").and_then(Json::as_str) == Some("object") && b.get("properties").is_none()
        });
    if is_text {
        return phrase(w.msgs, "types.text", "types.texts");
    }
    let parts: Vec<Phrase> = non_null.iter().map(|b| describe(b, w)).collect();
    join_phrases(parts, w.msgs.text("types.or_list"))
}

pub use crate::suggest::did_you_mean;

/// Register-specific structure beyond the schema: unique ids and references between them.
pub fn check_ids(doc: &Document, lang: &str) -> Vec<Finding> {
    let m = messages::get(lang);
    let items = |list| doc.root.get(list).and_then(Node::as_seq).unwrap_or(&[]);
    let mut findings = Vec::new();
    for list in ["purposes", "data_categories"] {
        let mut seen: Vec<(&str, Span)> = Vec::new();
        for (i, item) in items(list).iter().enumerate() {
            let Some(id) = item.get("id") else { continue };
            // Ids left as placeholders are `seloste/placeholder`'s, not duplicates.
            let Some(name) = id
                .as_str()
                .filter(|n| !crate::placeholder::is_placeholder(n))
            else {
                continue;
            };
            if let Some((_, first)) = seen.iter().find(|(n, _)| *n == name) {
                findings.push(
                    Finding::new(
                        "seloste/duplicate-id",
                        Severity::Error,
                        id.span,
                        m.fill("structure.duplicate_id", &[("id", name), ("list", list)]),
                    )
                    .with_path(format!("{list}[{i}].id"))
                    .with_label(m.text("structure.duplicate_id_label"))
                    .with_related(*first, m.text("structure.duplicate_id_first"))
                    .with_help(m.text("structure.duplicate_id_help")),
                );
            } else {
                seen.push((name, id.span));
            }
        }
    }
    let categories: Vec<&str> = items("data_categories")
        .iter()
        .filter_map(|c| c.get("id").and_then(Node::as_str))
        .collect();
    // Purposes use data categories, sources supply them: both refer to them by id.
    for (list, what) in [
        ("purposes", "structure.unknown_ref"),
        ("sources", "structure.unknown_ref_source"),
    ] {
        for (i, item) in items(list).iter().enumerate() {
            let Some(refs) = item.get("categories").and_then(Node::as_seq) else {
                continue;
            };
            for (j, r) in refs.iter().enumerate() {
                let Some(name) = r.as_str() else { continue };
                if categories.contains(&name) || crate::placeholder::is_placeholder(name) {
                    continue;
                }
                let mut f = Finding::new(
                    "seloste/unknown-ref",
                    Severity::Error,
                    r.span,
                    m.fill(what, &[("name", name)]),
                )
                .with_path(format!("{list}[{i}].categories[{j}]"))
                .with_unusable(format!("{list}[{i}].categories[{j}]"), Unusable::Data)
                .with_label(m.text("structure.unknown_ref_label"));
                f = match did_you_mean(name, categories.iter().copied()) {
                    Some(best) => f.with_suggestion(best, m),
                    None if categories.is_empty() => {
                        f.with_help(m.text("structure.unknown_ref_define"))
                    }
                    None => f.with_help(m.fill(
                        "structure.unknown_ref_known",
                        &[("names", &categories.join(", "))],
                    )),
                };
                findings.push(f);
            }
        }
    }
    findings
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_schema_that_refers_to_itself_in_a_branch_is_walked() {
        // `X` is a string or an X: the branches are made on first use, not while making X.
        let schema: &'static Json = Box::leak(Box::new(serde_json::json!({
            "$defs": {"X": {"anyOf": [{"type": "string"}, {"$ref": "#/$defs/X"}]}},
            "type": "object",
            "properties": {"x": {"$ref": "#/$defs/X"}}
        })));
        let doc =
            crate::document::load(b"x: text\n", crate::document::Budget::default()).expect("yaml");
        assert!(check(&doc, schema, "en").is_empty());
    }
}
