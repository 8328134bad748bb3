//! The layers of each crate (`src/` and `crates/*/src/`): which top-level modules use which
//! (`crate::x` paths, and `super::x` in a top-level file; test modules left out), and the cycles
//! among them.
//!
//! There is no cycle between top-level modules (issue 18): each layer uses only layers below it,
//! so that any one can be understood, tested and split into a crate on its own. A use that closes
//! a cycle fails this test, naming the edges of the cycle.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

type Graph = BTreeMap<String, BTreeSet<String>>;

/// The `.rs` files of each top-level module of `src/` (a file or a directory).
fn modules(src: &Path) -> BTreeMap<String, Vec<std::path::PathBuf>> {
    fn walk(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
        for e in std::fs::read_dir(dir).expect("read_dir").flatten() {
            let p = e.path();
            if p.is_dir() {
                walk(&p, out);
            } else if p.extension().is_some_and(|x| x == "rs") {
                out.push(p);
            }
        }
    }
    let mut mods = BTreeMap::new();
    for e in std::fs::read_dir(src).expect("src").flatten() {
        let p = e.path();
        let name = p
            .file_stem()
            .and_then(|s| s.to_str())
            .unwrap_or("")
            .to_owned();
        if p.is_dir() {
            let mut files = Vec::new();
            walk(&p, &mut files);
            mods.insert(name, files);
        } else if p.extension().is_some_and(|x| x == "rs") && name != "lib" && name != "main" {
            mods.insert(name, vec![p]);
        }
    }
    mods
}

/// The code of a file: comments, string and character literals blanked (they name modules too:
/// "see `crate::rules::reads`"), and every item marked `#[cfg(test)]` left out (a `mod x;` line, or
/// the item up to its closing brace).
fn code_of(source: &str) -> String {
    let chars: Vec<char> = source.chars().collect();
    // Pass 1: blank comments and literals, keeping newlines and braces of code.
    let mut code = String::with_capacity(source.len());
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let next = chars.get(i + 1).copied();
        if c == '/' && next == Some('/') {
            while i < chars.len() && chars[i] != '\n' {
                i += 1;
            }
        } else if c == '/' && next == Some('*') {
            i += 2;
            while i + 1 < chars.len() && !(chars[i] == '*' && chars[i + 1] == '/') {
                i += 1;
            }
            i += 2;
        } else if c == 'r' && (next == Some('#') || next == Some('"')) && !ident_before(&chars, i) {
            let hashes = chars[i + 1..].iter().take_while(|c| **c == '#').count();
            i += 1 + hashes + 1;
            let end: String = std::iter::once('"')
                .chain(std::iter::repeat_n('#', hashes))
                .collect();
            while i < chars.len() && !chars[i..].starts_with(&end.chars().collect::<Vec<_>>()) {
                i += 1;
            }
            i += end.chars().count();
            code.push_str("\"\"");
        } else if c == '"' {
            i += 1;
            while i < chars.len() && chars[i] != '"' {
                i += if chars[i] == '\\' { 2 } else { 1 };
            }
            i += 1;
            code.push_str("\"\"");
        } else if c == '\'' && (next == Some('\\') || chars.get(i + 2) == Some(&'\'')) {
            i += 1;
            while i < chars.len() && chars[i] != '\'' {
                i += if chars[i] == '\\' { 2 } else { 1 };
            }
            i += 1;
            code.push_str("' '");
        } else {
            code.push(c);
            i += 1;
        }
    }
    // Pass 2: leave out the items under `#[cfg(test)]`.
    let mut out = String::with_capacity(code.len());
    let mut rest = code.as_str();
    while let Some(at) = rest.find("#[cfg(test)]") {
        out.push_str(&rest[..at]);
        let item = &rest[at..];
        let (brace, semicolon) = (item.find('{'), item.find(';'));
        let end = match (brace, semicolon) {
            (Some(b), Some(s)) if s < b => s + 1,
            (Some(b), _) => {
                let mut depth = 0;
                let mut end = item.len();
                for (k, ch) in item[b..].char_indices() {
                    match ch {
                        '{' => depth += 1,
                        '}' => {
                            depth -= 1;
                            if depth == 0 {
                                end = b + k + 1;
                                break;
                            }
                        }
                        _ => {}
                    }
                }
                end
            }
            (None, Some(s)) => s + 1,
            (None, None) => item.len(),
        };
        rest = &item[end..];
    }
    out.push_str(rest);
    out
}

fn ident_before(chars: &[char], i: usize) -> bool {
    i > 0 && (chars[i - 1].is_alphanumeric() || chars[i - 1] == '_')
}

/// The top-level modules a file's code names: `crate::x`, the items of `crate::{x, y::z}`, and
/// `super::x` with as many `super`s as the file is deep (`depth`: 1 for `src/a.rs` and
/// `src/a/mod.rs`, 2 for `src/a/b.rs`...).
fn named_modules(code: &str, depth: usize) -> BTreeSet<String> {
    let ident = |s: &str| -> String {
        s.trim_start()
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
            .collect()
    };
    let mut out = BTreeSet::new();
    let mut roots: Vec<usize> = code
        .match_indices("crate::")
        .filter(|(at, _)| !code[..*at].ends_with("$"))
        .map(|(at, _)| at + "crate::".len())
        .collect();
    let supers = "super::".repeat(depth);
    for (at, _) in code.match_indices(&supers) {
        let after = at + supers.len();
        let preceded = code[..at].ends_with("super::");
        if !preceded && !code[after..].starts_with("super::") {
            roots.push(after);
        }
    }
    for at in roots {
        let rest = &code[at..];
        if let Some(group) = rest.strip_prefix('{') {
            // The top-level items of a group: `{a, b::{c, d}, e}` names a, b and e.
            let mut depth = 0;
            let mut start = 0;
            for (k, ch) in group.char_indices() {
                match ch {
                    '{' => depth += 1,
                    '}' if depth == 0 => {
                        out.insert(ident(&group[start..k]));
                        break;
                    }
                    '}' => depth -= 1,
                    ',' if depth == 0 => {
                        out.insert(ident(&group[start..k]));
                        start = k + 1;
                    }
                    _ => {}
                }
            }
        } else {
            out.insert(ident(rest));
        }
    }
    out
}

/// The `src` directories of the crates: the root package and those under `crates/`.
fn crate_sources() -> Vec<std::path::PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut out = vec![root.join("src")];
    for e in std::fs::read_dir(root.join("crates"))
        .expect("crates")
        .flatten()
    {
        if e.path().join("src").is_dir() {
            out.push(e.path().join("src"));
        }
    }
    out.sort();
    out
}

fn graph(src: &Path) -> Graph {
    let mods = modules(src);
    let mut g = Graph::new();
    for (name, files) in &mods {
        let deps = g.entry(name.clone()).or_default();
        for f in files {
            let text = std::fs::read_to_string(f).expect("read");
            // How deep the file's module is: `src/a.rs` and `src/a/mod.rs` 1, `src/a/b.rs` 2.
            let within = f.strip_prefix(src).expect("under src").components().count();
            let depth = if f.ends_with("mod.rs") {
                within - 1
            } else {
                within
            };
            for target in named_modules(&code_of(&text), depth) {
                if &target != name && mods.contains_key(&target) {
                    deps.insert(target);
                }
            }
        }
    }
    g
}

/// The edges `a -> b` with `a` and `b` in the same strongly connected component.
fn edges_in_cycles(g: &Graph) -> BTreeSet<String> {
    // Reachability by search from each node: small graphs, simple code.
    let reach = |from: &str| -> BTreeSet<String> {
        let mut seen = BTreeSet::new();
        let mut stack = vec![from.to_owned()];
        while let Some(n) = stack.pop() {
            for m in g.get(&n).into_iter().flatten() {
                if seen.insert(m.clone()) {
                    stack.push(m.clone());
                }
            }
        }
        seen
    };
    let reachable: BTreeMap<&String, BTreeSet<String>> = g.keys().map(|k| (k, reach(k))).collect();
    let mut out = BTreeSet::new();
    for (a, deps) in g {
        for b in deps {
            if reachable.get(b).is_some_and(|r| r.contains(a)) {
                out.insert(format!("{a} -> {b}"));
            }
        }
    }
    out
}

#[test]
fn no_cycle_between_top_level_modules() {
    for src in crate_sources() {
        let cycles = edges_in_cycles(&graph(&src));
        assert!(
            cycles.is_empty(),
            "edges in a cycle between top-level modules of {} (depend the other way, or move the \
             shared part down a layer, as `paths`, `suggest`, `formats` and `output` were): \
             {cycles:?}",
            src.display()
        );
    }
}

#[test]
fn how_code_names_modules_is_read() {
    let code = code_of(
        "use crate::{lint, rules::{self, RuleSet}};\n// crate::config\nlet s = \"crate::paths\";\n\
         let c = '{';\nuse super::super::report::x;\n#[cfg(test)]\nmod oracle;\nfn f() { crate::fix::go() }\n\
         #[cfg(test)]\nmod tests { use crate::server; }\nfn g() { crate::output::w() }\n",
    );
    let named = named_modules(&code, 2);
    let want: BTreeSet<String> = ["fix", "lint", "output", "report", "rules"]
        .map(String::from)
        .into();
    assert_eq!(named, want, "{code}");
}

#[test]
fn the_graph_is_read() {
    // Modules known to use others: the reading of `crate::` and `super::` paths works, in the
    // root package and in a crate under `crates/`.
    let sources = crate_sources();
    assert!(sources.len() >= 3, "{sources:?}");
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let g = graph(&root.join("src"));
    let lint = g.get("lint").expect("src/lint.rs");
    assert!(
        lint.contains("finding") && lint.contains("rules"),
        "{lint:?}"
    );
    let g = graph(&root.join("crates/seloste_yaml/src"));
    let load = g.get("load").expect("crates/seloste_yaml/src/load.rs");
    assert!(load.contains("parse") && load.contains("tree"), "{load:?}");
}
