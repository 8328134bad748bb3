//! Generated documentation: docs/rules.md is the output of `seloste rules --format markdown`.

mod common;

use common::{run, seloste};

const REGENERATE: &str = "cargo run -- rules --format markdown > docs/rules.md";

#[test]
fn docs_rules_md_is_current() {
    let (code, generated, err) = run(seloste().args(["rules", "--format", "markdown"]));
    assert_eq!(code, 0, "{err}");
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/docs/rules.md");
    let checked_in = std::fs::read_to_string(path)
        .unwrap_or_else(|e| {
            panic!("cannot read docs/rules.md ({e}); create it with `{REGENERATE}`")
        })
        .replace("\r\n", "\n");
    if checked_in != generated {
        let line = checked_in
            .lines()
            .zip(generated.lines())
            .position(|(a, b)| a != b)
            .map_or_else(
                || checked_in.lines().count().min(generated.lines().count()) + 1,
                |i| i + 1,
            );
        panic!(
            "docs/rules.md is stale (first difference at line {line}): the rule files changed. \
             Regenerate it with `{REGENERATE}` and commit the result."
        );
    }
}

#[test]
fn the_reference_has_an_index_entry_and_a_section_per_rule() {
    let (code, md, _) = run(seloste().args(["rules", "--format", "markdown"]));
    assert_eq!(code, 0);
    let rules =
        seloste::cli::load_rules(&[], true).unwrap_or_else(|_| panic!("built-in rules load"));
    for r in &rules.rules {
        let anchor = r.id.replace('/', "-");
        assert!(
            md.contains(&format!("](#{anchor})")),
            "index link for {}",
            r.id
        );
        assert!(
            md.contains(&format!("<a id=\"{anchor}\"></a>\n\n## {}\n", r.id)),
            "section for {}",
            r.id
        );
    }
    assert!(md.contains("### Pack `gdpr`") && md.contains("### Pack `fi`"));
    assert!(md.contains("<a id=\"gdpr-dpo-contact\"></a>"));
    // The rules' own `## What it checks` become subsections of the rule.
    assert!(md.contains("\n### What it checks\n"));
    assert!(!md.contains("\n## What it checks\n"));
}

#[test]
fn the_reference_follows_the_language() {
    let (code, md, _) = run(seloste().args(["rules", "--format", "markdown", "--lang", "fi"]));
    assert_eq!(code, 0);
    assert!(
        md.starts_with("# Säännöt\n"),
        "{}",
        &md[..100.min(md.len())]
    );
    assert!(md.contains("Valitusreitti nimeää tietosuojavaltuutetun"));
}
