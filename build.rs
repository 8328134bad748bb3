//! Two jobs: the lean built-in rule files, and the link mode of release binaries.
//!
//! Lean rule files: every built-in rule file without `docs` and `tests`, and with its titles,
//! messages and help in one language and English, for each language, written to
//! `$OUT_DIR/lean_rules.rs` (see crates/seloste_rulefile/src/lean.rs). A lint run parses these instead of cutting
//! the full files down at every start (validating and cutting 350 kB of text was a sixth of the
//! instructions of a one-file run).
//!
//! Release binaries for Linux with glibc are linked as position-dependent executables (`-no-pie`).
//!
//! A position-independent `seloste` carries ~60 000 relative relocations (vtables, tables of
//! pointers in clap, regex, miette...) that the dynamic loader applies at every start, writing to
//! ~400 pages: ~390 of the ~500 page faults and ~1 ms of the ~2.3 ms start-up of `seloste --version`
//! on the benchmark machine, in a tool that pre-commit starts on every commit (BENCHMARKS.md). The
//! cost: the executable image is not placed at a random address (libraries, heap and stack still
//! are). `SELOSTE_PIE=1` at build time keeps the default. Static builds (`+crt-static`, musl) are
//! left alone: rustc links them as static PIE, and `-no-pie` on top gives a binary that crashes.

use std::fmt::Write as _;
use std::path::Path;

use seloste_rulefile::{cel_ast, lean, literals};
use seloste_yaml as document;

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    lean_rules();
    link_mode();
}

/// Writes `$OUT_DIR/lean_rules.rs`, an array of `(pack, file name, [lean text per language of
/// lean::LANGS], [range of its frozen tree in lean_rules.bin per language])` in the order of packs
/// and file names, and `$OUT_DIR/lean_rules.bin`, the parsed trees (see crates/seloste_yaml/src/frozen.rs). A
/// text that does not parse gets an empty range: the run parses it and reports the error. Never
/// fails the build on a rule file: what is wrong with one is the binary's to report.
fn lean_rules() {
    println!("cargo:rerun-if-changed=rules");
    let mut table = String::from("&[\n");
    let mut data_table = String::from("&[\n");
    let mut trees: Vec<u8> = Vec::new();
    let mut patterns: Vec<String> = Vec::new();
    let mut expressions: Vec<String> = Vec::new();
    for pack in sorted(Path::new("rules")) {
        if !pack.is_dir() {
            continue;
        }
        let pack_name = file_name(&pack);
        // The pack's shared data, parsed here too: the word lists are most of a pack's YAML.
        if let Ok(text) = std::fs::read_to_string(pack.join("_data.yaml")) {
            let start = trees.len();
            if let Ok(document::Parsed {
                root: Some(root), ..
            }) = document::parse(&text, 0, document::Budget::default())
            {
                document::frozen::freeze(&root, &mut trees);
                // Rules match texts against lists of the data too (repealed acts, abolished
                // authorities): their literals are worked out here as for `options` lists.
                strings_in_lists(&root, &mut patterns);
            }
            let _ = writeln!(
                data_table,
                "    ({pack_name:?}, ({start}, {})),",
                trees.len()
            );
        }
        for file in sorted(&pack) {
            let name = file_name(&file);
            if name.starts_with('_') || !(name.ends_with(".yaml") || name.ends_with(".yml")) {
                continue;
            }
            // A file that cannot be read as text is left out: the binary then cuts it at load
            // and reports what is wrong with it, as for a rule file of the user's.
            let Ok(text) = std::fs::read_to_string(&file) else {
                println!(
                    "cargo:warning={} is not UTF-8 text: not prepared",
                    file.display()
                );
                continue;
            };
            let lean: Vec<String> = lean::LANGS
                .iter()
                .map(|lang| lean::lean(&text, Some(lang)))
                .collect();
            let _ = write!(table, "    ({pack_name:?}, \"rules/{pack_name}/{name}\", [");
            for text in &lean {
                let _ = write!(table, "{text:?}, ");
            }
            table.push_str("], [");
            for text in &lean {
                let start = trees.len();
                let budget = document::Budget::default();
                if let Ok(document::Parsed {
                    root: Some(root), ..
                }) = document::parse(text, 0, budget)
                {
                    document::frozen::freeze(&root, &mut trees);
                    if let Some(options) = root.get("options") {
                        strings_in_lists(options, &mut patterns);
                    }
                    cel_sources(&root, &mut expressions);
                }
                let _ = write!(table, "({start}, {}), ", trees.len());
            }
            table.push_str("]),\n");
        }
    }
    table.push_str("]\n");
    data_table.push_str("]\n");
    let out = std::path::PathBuf::from(std::env::var("OUT_DIR").expect("cargo sets OUT_DIR"));
    let literals = literal_table(patterns);
    let (cel_table, cel_trees) = cel_table(expressions);
    for (file, bytes) in [
        ("lean_rules.rs", table.as_bytes()),
        ("lean_rules.bin", &trees),
        ("lean_data.rs", data_table.as_bytes()),
        ("literals.rs", literals.as_bytes()),
        ("cel_trees.rs", cel_table.as_bytes()),
        ("cel_trees.bin", &cel_trees),
    ] {
        let dest = out.join(file);
        std::fs::write(&dest, bytes).unwrap_or_else(|e| panic!("{}: {e}", dest.display()));
    }
}

/// The strings of the lists under a rule's `options` (the pattern lists among them).
fn strings_in_lists(node: &document::Node, out: &mut Vec<String>) {
    use document::NodeKind;
    match &node.kind {
        NodeKind::Seq(items) => {
            for item in items {
                match &item.kind {
                    NodeKind::Str(s) => out.push(s.clone()),
                    _ => strings_in_lists(item, out),
                }
            }
        }
        NodeKind::Map(entries) => entries.iter().for_each(|e| strings_in_lists(&e.value, out)),
        _ => {}
    }
}

/// The CEL of a lean rule file: `check`, `when`, `each`, the values of `let` and
/// `severity_when`, `fix.replace` whole; the `{{...}}` parts of `at`, `message`, `help`, `label`
/// and `fix.title` (in every language given).
fn cel_sources(root: &document::Node, out: &mut Vec<String>) {
    use document::NodeKind;
    fn strings(node: &document::Node, out: &mut Vec<String>) {
        match &node.kind {
            NodeKind::Str(s) => out.push(s.clone()),
            NodeKind::Map(entries) => entries.iter().for_each(|e| strings(&e.value, out)),
            _ => {}
        }
    }
    let mut whole = Vec::new();
    let mut templates = Vec::new();
    for key in ["check", "when", "each", "let", "severity_when"] {
        root.get(key)
            .into_iter()
            .for_each(|n| strings(n, &mut whole));
    }
    for key in ["at", "message", "help", "label"] {
        root.get(key)
            .into_iter()
            .for_each(|n| strings(n, &mut templates));
    }
    if let Some(fix) = root.get("fix") {
        fix.get("replace")
            .into_iter()
            .for_each(|n| strings(n, &mut whole));
        fix.get("title")
            .into_iter()
            .for_each(|n| strings(n, &mut templates));
    }
    for t in &templates {
        out.extend(
            cel_ast::template_expressions(t)
                .into_iter()
                .map(str::to_owned),
        );
    }
    out.extend(whole);
}

/// `$OUT_DIR/cel_trees.rs`: `(source, (start, end))` of every string of `sources` that parses as
/// CEL, sorted by source, and `$OUT_DIR/cel_trees.bin`, their trees (see
/// crates/seloste_rulefile/src/cel_ast.rs).
fn cel_table(mut sources: Vec<String>) -> (String, Vec<u8>) {
    sources.sort();
    sources.dedup();
    let mut table = String::from("&[\n");
    let mut trees = Vec::new();
    for source in sources {
        // What does not parse (or, were the parser to panic, breaks it) is left to the run,
        // which reports it: a rule file never fails the build.
        let Ok(Ok(tree)) = std::panic::catch_unwind(|| cel_ast::parse(&source)) else {
            continue;
        };
        let start = trees.len();
        cel_ast::encode(&tree, &mut trees);
        let _ = writeln!(table, "    ({source:?}, ({start}, {})),", trees.len());
    }
    table.push_str("]\n");
    (table, trees)
}

/// `$OUT_DIR/literals.rs`: `(pattern, literal sets)` of every string that parses as a regex, sorted
/// by pattern (see crates/seloste_rulefile/src/literals.rs and src/rules/patterns.rs).
fn literal_table(mut patterns: Vec<String>) -> String {
    patterns.sort();
    patterns.dedup();
    let mut out = String::from("&[\n");
    for p in patterns {
        let Some(sets) = literals::of(&p) else {
            continue;
        };
        let Ok(sets) = sets
            .into_iter()
            .map(|set| {
                set.into_iter()
                    .map(String::from_utf8)
                    .collect::<Result<Vec<_>, _>>()
            })
            .collect::<Result<Vec<_>, _>>()
        else {
            continue;
        };
        let _ = writeln!(out, "    ({p:?}, &[");
        for set in sets {
            let _ = writeln!(out, "        &{set:?},");
        }
        out.push_str("    ]),\n");
    }
    out.push_str("]\n");
    out
}

fn sorted(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut paths: Vec<_> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|entry| entry.expect("directory entry").path())
        .collect();
    paths.sort();
    paths
}

fn file_name(path: &Path) -> String {
    path.file_name()
        .and_then(|n| n.to_str())
        .expect("UTF-8 file names under rules/")
        .to_owned()
}

/// `-no-pie` for release binaries on Linux with glibc (see the top of this file).
fn link_mode() {
    println!("cargo:rerun-if-env-changed=SELOSTE_PIE");
    let var = |k: &str| std::env::var(k).unwrap_or_default();
    let glibc = var("CARGO_CFG_TARGET_OS") == "linux" && var("CARGO_CFG_TARGET_ENV") == "gnu";
    let crt_static = var("CARGO_CFG_TARGET_FEATURE")
        .split(',')
        .any(|f| f == "crt-static");
    let release = var("PROFILE") == "release";
    if glibc && !crt_static && release && std::env::var_os("SELOSTE_PIE").is_none() {
        println!("cargo:rustc-link-arg-bins=-no-pie");
    }
}
