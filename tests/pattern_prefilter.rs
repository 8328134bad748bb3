//! `matches_any` skips the patterns a text cannot match by looking for their literals first
//! (src/rules/patterns.rs). This checks the shortcut against the plain combined regex, for every
//! pattern list of the built-in rules, on the texts of the fixtures, the rule files and generated
//! registers, in their own case and in upper and lower case, with KELVIN SIGN and LONG S standing in
//! for k and s (they match k and s under `(?i)`).

#[path = "../benches/common/registers.rs"]
#[allow(dead_code)]
mod registers;

use regex::Regex;
use seloste::document::{self, Budget, Node, NodeKind};
use seloste::rules::patterns::{PatternList, combination};

/// Every list of strings under a rule file's `options`.
fn option_lists(node: &Node, out: &mut Vec<Vec<String>>) {
    match &node.kind {
        NodeKind::Seq(items) => {
            let strings: Vec<String> = items
                .iter()
                .filter_map(|n| n.as_str().map(str::to_owned))
                .collect();
            if !strings.is_empty() && strings.len() == items.len() {
                out.push(strings);
            }
            items.iter().for_each(|n| option_lists(n, out));
        }
        NodeKind::Map(entries) => entries.iter().for_each(|e| option_lists(&e.value, out)),
        _ => {}
    }
}

fn files(dir: &std::path::Path, out: &mut Vec<String>) {
    for entry in std::fs::read_dir(dir).expect("read dir").flatten() {
        let path = entry.path();
        if path.is_dir() {
            files(&path, out);
        } else if let Ok(text) = std::fs::read_to_string(&path) {
            out.push(text);
        }
    }
}

#[test]
fn the_prefilter_never_changes_a_match_of_a_builtin_list() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut lists = Vec::new();
    let mut rule_files = Vec::new();
    files(&root.join("rules"), &mut rule_files);
    for source in &rule_files {
        let doc = document::load(source.as_bytes(), Budget::default()).expect("rule file parses");
        if let Some(options) = doc.root.get("options") {
            option_lists(options, &mut lists);
        }
    }
    assert!(lists.len() >= 8, "found only {} lists", lists.len());

    let mut sources = rule_files;
    files(&root.join("fixtures"), &mut sources);
    let cfg = registers::Config {
        defective: 1.0,
        ..Default::default()
    };
    sources.extend((0..100).map(|i| registers::generate(&cfg, i).yaml));
    let mut texts: Vec<String> = Vec::new();
    for source in &sources {
        for line in source.lines() {
            let line = line.trim();
            texts.push(line.to_owned());
            texts.push(line.to_uppercase());
            texts.push(line.to_lowercase());
            texts.push(line.replace('k', "\u{212A}").replace('s', "\u{17F}"));
            texts.extend(line.split(' ').map(str::to_owned));
        }
    }
    texts.sort();
    texts.dedup();

    let mut matched = 0;
    for list in &lists {
        let patterns: Vec<&str> = list.iter().map(String::as_str).collect();
        let prefiltered = PatternList::new(&patterns).expect("a built-in list compiles");
        let combined = Regex::new(&combination(&patterns)).expect("a built-in list compiles");
        for text in &texts {
            let want = combined.is_match(text);
            matched += usize::from(want);
            assert_eq!(
                prefiltered.is_match(text).expect("compiles"),
                want,
                "list {patterns:?} on {text:?}"
            );
        }
    }
    // The texts exercise the lists, not only their misses.
    assert!(matched > 500, "only {matched} matches");
}
