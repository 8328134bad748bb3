//! The register format's JSON Schema (the one `seloste schema` prints, generated from the doc
//! comments of `src/register.rs`) read at a field path: a key's description, the values of an
//! enumeration, the keys of a mapping.

use serde_json::Value as Json;

/// One step of a path into the format.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Step {
    Key(String),
    /// An item of a list (any index).
    Item,
}

/// `#/$defs/X` → the definition.
fn follow<'a>(root: &'a Json, node: &'a Json) -> &'a Json {
    let mut node = node;
    for _ in 0..32 {
        let target = node
            .get("$ref")
            .and_then(Json::as_str)
            .and_then(|r| r.strip_prefix("#/"))
            .and_then(|pointer| root.pointer(&format!("/{pointer}")));
        match target {
            Some(target) => node = target,
            None => return node,
        }
    }
    node
}

/// The node and the branches of its `anyOf`/`oneOf`/`allOf`, references followed.
fn branches<'a>(root: &'a Json, node: &'a Json, out: &mut Vec<&'a Json>, depth: usize) {
    if depth > 16 {
        return;
    }
    let node = follow(root, node);
    out.push(node);
    for keyword in ["anyOf", "oneOf", "allOf"] {
        for b in node
            .get(keyword)
            .and_then(Json::as_array)
            .into_iter()
            .flatten()
        {
            branches(root, b, out, depth + 1);
        }
    }
}

fn all<'a>(root: &'a Json, node: &'a Json) -> Vec<&'a Json> {
    let mut out = Vec::new();
    branches(root, node, &mut out, 0);
    out
}

/// The schemas a value at `path` may have to follow: for the last step, the schema as written
/// where it is declared (with its description), not yet followed.
pub fn at<'a>(root: &'a Json, path: &[Step]) -> Vec<&'a Json> {
    let mut here: Vec<&'a Json> = vec![root];
    for step in path {
        let mut next = Vec::new();
        for node in here.iter().flat_map(|n| all(root, n)) {
            match step {
                Step::Key(k) => {
                    if let Some(p) = node.get("properties").and_then(|p| p.get(k)) {
                        next.push(p);
                    } else if let Some(a @ Json::Object(_)) = node.get("additionalProperties") {
                        next.push(a);
                    }
                }
                Step::Item => {
                    if let Some(i) = node.get("items") {
                        next.push(i);
                    }
                }
            }
        }
        if next.is_empty() {
            return next;
        }
        here = next;
    }
    here
}

/// The description of the field at `path`: where it is declared, else of its type.
pub fn description(root: &Json, path: &[Step]) -> Option<String> {
    let found = at(root, path);
    let declared = found
        .iter()
        .find_map(|n| n.get("description").and_then(Json::as_str));
    let typed = || {
        found
            .iter()
            .flat_map(|n| all(root, n))
            .find_map(|n| n.get("description").and_then(Json::as_str))
    };
    declared.or_else(typed).map(str::to_owned)
}

/// The values a scalar at `path` may take (an enumeration, or a list of one), with their
/// descriptions when the schema gives them.
pub fn enum_values(root: &Json, path: &[Step]) -> Vec<(String, Option<String>)> {
    let mut out: Vec<(String, Option<String>)> = Vec::new();
    let mut add = |v: &Json, d: Option<&Json>| {
        if let Some(s) = v.as_str()
            && !out.iter().any(|(x, _)| x == s)
        {
            out.push((s.to_owned(), d.and_then(Json::as_str).map(str::to_owned)));
        }
    };
    let mut nodes: Vec<&Json> = at(root, path)
        .into_iter()
        .flat_map(|n| all(root, n))
        .collect();
    // A list of the values (`legal_basis: [a, b]`) offers them too.
    let items: Vec<&Json> = nodes
        .iter()
        .filter_map(|n| n.get("items"))
        .flat_map(|i| all(root, i))
        .collect();
    nodes.extend(items);
    for n in nodes {
        for v in n.get("enum").and_then(Json::as_array).into_iter().flatten() {
            add(v, None);
        }
        if let Some(c) = n.get("const") {
            add(c, n.get("description"));
        }
    }
    out
}

/// The keys of the mapping at `path`, with their descriptions.
pub fn keys(root: &Json, path: &[Step]) -> Vec<(String, Option<String>)> {
    let mut out: Vec<(String, Option<String>)> = Vec::new();
    for n in at(root, path).into_iter().flat_map(|n| all(root, n)) {
        for (k, v) in n
            .get("properties")
            .and_then(Json::as_object)
            .into_iter()
            .flatten()
        {
            if !out.iter().any(|(x, _)| x == k) {
                let d = v
                    .get("description")
                    .or_else(|| follow(root, v).get("description"));
                out.push((k.clone(), d.and_then(Json::as_str).map(str::to_owned)));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn path(s: &[&str]) -> Vec<Step> {
        s.iter()
            .map(|p| match *p {
                "[]" => Step::Item,
                k => Step::Key(k.to_owned()),
            })
            .collect()
    }

    #[test]
    fn the_register_schema_read_at_paths() {
        let schema = &*crate::register::SCHEMA;
        let basis = enum_values(schema, &path(&["purposes", "[]", "legal_basis"]));
        let names: Vec<&str> = basis.iter().map(|(v, _)| v.as_str()).collect();
        assert!(names.contains(&"legitimate_interests"), "{names:?}");
        assert!(
            description(schema, &path(&["purposes", "[]", "legal_basis"]))
                .is_some_and(|d| d.contains("Art. 6(1)"))
        );
        let purpose_keys = keys(schema, &path(&["purposes", "[]"]));
        assert!(purpose_keys.iter().any(|(k, _)| k == "legal_basis"));
        assert!(enum_values(schema, &path(&["language"])).len() >= 3);
        assert!(at(schema, &path(&["nothing", "here"])).is_empty());
    }
}
