//! The CEL view of a register: our tree → `cel::Value`, with the format's normalisations.
//!
//! Built directly from the tree (no serde detour) so that integers stay `Int` and the few
//! normalisations rules rely on are applied in one place; see docs/rule-language.md.

use std::collections::HashMap;
use std::sync::Arc;

use cel::Value;
use cel::objects::{Key, Map};

use super::tree::{Node, NodeKind};

/// The view of a whole register.
pub fn register_view(root: &Node) -> Value {
    let mut view = plain_view(root);
    normalise(&mut view);
    view
}

/// A tree as CEL values, without normalisations; `null` map values are dropped.
pub fn plain_view(node: &Node) -> Value {
    match &node.kind {
        NodeKind::Null => Value::Null,
        NodeKind::Bool(b) => Value::Bool(*b),
        NodeKind::Int(i) => Value::Int(*i),
        NodeKind::Float(f) => Value::Float(*f),
        NodeKind::Str(s) => Value::String(Arc::new(s.clone())),
        NodeKind::Seq(items) => Value::List(Arc::new(items.iter().map(plain_view).collect())),
        NodeKind::Map(entries) => {
            let map: HashMap<Key, Value> = entries
                .iter()
                .filter(|e| !e.value.is_null())
                .map(|e| (Key::String(Arc::new(e.key.clone())), plain_view(&e.value)))
                .collect();
            Value::Map(Map { map: Arc::new(map) })
        }
    }
}

fn key(k: &str) -> Key {
    Key::String(Arc::new(k.to_owned()))
}

fn map_mut(v: &mut Value) -> Option<&mut HashMap<Key, Value>> {
    match v {
        Value::Map(m) => Some(Arc::make_mut(&mut m.map)),
        _ => None,
    }
}

/// A single value becomes a one-element list.
fn listify(map: &mut HashMap<Key, Value>, field: &str) {
    if let Some(v) = map.get_mut(&key(field))
        && !matches!(v, Value::List(_))
    {
        let one = std::mem::replace(v, Value::Null);
        *v = Value::List(Arc::new(vec![one]));
    }
}

fn for_each_item(map: &mut HashMap<Key, Value>, field: &str, f: impl Fn(&mut HashMap<Key, Value>)) {
    if let Some(Value::List(items)) = map.get_mut(&key(field)) {
        for item in Arc::make_mut(items).iter_mut() {
            if let Some(m) = map_mut(item) {
                f(m);
            }
        }
    }
}

fn normalise(view: &mut Value) {
    let Some(root) = map_mut(view) else { return };
    for_each_item(root, "purposes", |p| listify(p, "legal_basis"));
    for_each_item(root, "transfers", |t| listify(t, "safeguard"));
    if let Some(controller) = root.get_mut(&key("controller")).and_then(map_mut) {
        controller
            .entry(key("country"))
            .or_insert_with(|| Value::String(Arc::new("FI".to_owned())));
    }
    if let Some(v) = root.get_mut(&key("updated"))
        && let Value::String(s) = v
        && let Some(ts) = date_timestamp(s)
    {
        *v = ts;
    }
}

/// `YYYY-MM-DD` → a CEL timestamp at 00:00 UTC.
pub fn date_timestamp(s: &str) -> Option<Value> {
    let date = chrono::NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d").ok()?;
    let dt = date.and_hms_opt(0, 0, 0)?.and_utc().fixed_offset();
    Some(Value::Timestamp(dt))
}
