//! A tree as `cel::Value` (rule options, pack data, config overrides), built directly from the
//! tree (no serde detour) so that integers stay `Int`. The register as rules see it, with the
//! format's normalisations, is `rules::lang::value::register`.

use std::collections::HashMap;
use std::sync::Arc;

use cel::Value;
use cel::objects::{Key, Map};

use seloste_yaml::{Node, NodeKind};

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

/// `YYYY-MM-DD` → a CEL timestamp at 00:00 UTC.
pub fn date_timestamp(s: &str) -> Option<Value> {
    let date = chrono::NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d").ok()?;
    let dt = date.and_hms_opt(0, 0, 0)?.and_utc().fixed_offset();
    Some(Value::Timestamp(dt))
}
