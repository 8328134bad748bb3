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

/// The code of a file without its test modules (everything from the first `#[cfg(test)]`).
fn non_test(source: &str) -> &str {
    source
        .find("#[cfg(test)]")
        .map_or(source, |at| &source[..at])
}

/// The `src` directories of the crates: the root package and those under `crates/`.
fn crate_sources() -> Vec<std::path::PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut out = vec![root.join("src")];
    for e in std::fs::read_dir(root.join("crates"))
        .expect("crates")
        .flatten()
    {
        out.push(e.path().join("src"));
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
            // Comments name modules too ("see `crate::rules::reads`"): only code counts.
            let code: String = non_test(&text)
                .lines()
                .filter(|l| !l.trim_start().starts_with("//"))
                .collect::<Vec<_>>()
                .join("\n");
            let code = code.as_str();
            // In a file directly under `src/`, `super` is the crate root.
            let prefixes: &[&str] = if f.parent() == Some(src) {
                &["crate::", "super::"]
            } else {
                &["crate::"]
            };
            let uses = prefixes
                .iter()
                .flat_map(|p| code.match_indices(p).map(move |(at, _)| at + p.len()));
            for at in uses {
                let rest = &code[at..];
                let target: String = rest
                    .chars()
                    .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                    .collect();
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
