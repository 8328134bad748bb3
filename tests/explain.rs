//! `seloste explain RULE`: a rule for the terminal, in the chosen language.

mod common;

use common::{run, seloste};

/// The sections every built-in rule's docs have, in this order, per language (other sections may
/// come in between, e.g. the Ombudsman's contact data in `fi/ombudsman-complaint`).
const SECTIONS: &[(&str, [&str; 5])] = &[
    (
        "en",
        [
            "What it checks",
            "Why it matters",
            "Example",
            "Use instead",
            "References",
        ],
    ),
    (
        "fi",
        [
            "Mitä tarkistetaan",
            "Miksi tämä on tärkeää",
            "Esimerkki",
            "Korjaus",
            "Lähteet",
        ],
    ),
    (
        "sv",
        [
            "Vad som kontrolleras",
            "Varför det är viktigt",
            "Exempel",
            "Använd i stället",
            "Källor",
        ],
    ),
];

/// The `## ` headings of a Markdown text.
fn headings(md: &str) -> Vec<&str> {
    md.lines()
        .filter_map(|l| l.strip_prefix("## "))
        .map(str::trim)
        .collect()
}

/// The fenced YAML examples of a Markdown text, without comments (which are translated).
fn yaml_examples(md: &str) -> Vec<Vec<String>> {
    let mut blocks = Vec::new();
    let mut current: Option<Vec<String>> = None;
    for line in md.lines() {
        if line.starts_with("```") {
            match current.take() {
                Some(block) => blocks.push(block),
                None => current = Some(Vec::new()),
            }
            continue;
        }
        if let Some(block) = current.as_mut() {
            if line.trim_start().starts_with('#') {
                continue;
            }
            let code = line.find(" #").map_or(line, |i| &line[..i]);
            block.push(code.trim_end().to_owned());
        }
    }
    blocks
}

fn explain(args: &[&str]) -> (i32, String, String) {
    run(seloste().arg("explain").args(args))
}

#[test]
fn ombudsman_complaint_in_english() {
    let (code, out, err) = explain(&["fi/ombudsman-complaint"]);
    assert_eq!(code, 0, "{err}");
    insta::assert_snapshot!("ombudsman_complaint_en", out);
}

#[test]
fn ombudsman_complaint_in_finnish_has_the_current_contact_data() {
    let (code, out, err) = explain(&["fi/ombudsman-complaint", "--lang", "fi"]);
    assert_eq!(code, 0, "{err}");
    for current in [
        "Tietosuojavaltuutetun toimisto",
        "Lintulahdenkuja 4, 00530 Helsinki",
        "PL 800, 00531 Helsinki",
        "029 566 6700",
        "tietosuoja@om.fi",
        "https://tietosuoja.fi",
    ] {
        assert!(out.contains(current), "{current}: {out}");
    }
    assert!(out.contains("Mitä tarkistetaan"), "{out}");
    insta::assert_snapshot!("ombudsman_complaint_fi", out);
}

#[test]
fn ombudsman_complaint_in_swedish_has_the_current_contact_data() {
    let (code, out, err) = explain(&["fi/ombudsman-complaint", "--lang", "sv"]);
    assert_eq!(code, 0, "{err}");
    for current in [
        "Dataombudsmannens byrå",
        "Fågelviksgränden 4, 00530 Helsingfors",
        "PB 800, 00531 Helsingfors",
        "029 566 6700",
        "tietosuoja@om.fi",
        "https://tietosuoja.fi/sv",
    ] {
        assert!(out.contains(current), "{current}: {out}");
    }
    assert!(out.contains("Vad som kontrolleras"), "{out}");
    insta::assert_snapshot!("ombudsman_complaint_sv", out);
}

#[test]
fn a_gdpr_rule() {
    let (code, out, err) = explain(&["gdpr/statutory-basis-cited"]);
    assert_eq!(code, 0, "{err}");
    insta::assert_snapshot!("statutory_basis_cited_en", out);
}

#[test]
fn an_unknown_rule_exits_2_with_a_suggestion() {
    let (code, out, err) = explain(&["gdpr/dpo-contac"]);
    assert_eq!(code, 2);
    assert!(out.is_empty(), "{out}");
    let (code2, _, err2) = explain(&["ombudsman-complaints"]);
    assert_eq!(code2, 2);
    let (code3, _, err3) = explain(&["no-such-thing-at-all"]);
    assert_eq!(code3, 2);
    insta::assert_snapshot!("unknown_rule", format!("{err}---\n{err2}---\n{err3}"));
}

#[test]
fn the_name_without_the_pack_is_enough_when_unique() {
    let (code, by_slug, _) = explain(&["dpo-contact"]);
    assert_eq!(code, 0);
    let (_, by_id, _) = explain(&["gdpr/dpo-contact"]);
    assert_eq!(by_slug, by_id);
}

#[test]
fn every_rule_explains_in_every_language_and_the_core_rules_in_finnish() {
    let rules =
        seloste::rules::load_rules(&[], true).unwrap_or_else(|_| panic!("built-in rules load"));
    for r in &rules.rules {
        assert!(r.docs.is_some(), "{} has no docs", r.id);
        let (_, en) = r.docs_in("en").unwrap_or_default();
        for (lang, sections) in SECTIONS {
            let (docs_lang, docs) = r.docs_in(lang).unwrap_or_default();
            assert_eq!(&docs_lang, lang, "{} has no docs in {lang}", r.id);
            let found = headings(&docs);
            let mut rest = found.iter();
            assert!(
                sections.iter().all(|s| rest.any(|h| h == s)),
                "{} ({lang}): sections {found:?}, expected {sections:?} in this order",
                r.id
            );
            assert_eq!(
                yaml_examples(&docs),
                yaml_examples(&en),
                "{} ({lang}): the YAML examples differ from the English ones (only comments may)",
                r.id
            );
        }
    }
    let plain = seloste::report::human::Style {
        color: false,
        unicode: false,
        width: 100,
    };
    for lang in ["en", "fi", "sv"] {
        for r in &rules.rules {
            // The library, not the binary: 120 processes would be slow.
            let out = seloste::explain::explain(r, lang, plain);
            assert!(out.starts_with(&format!("{}\n", r.id)), "{out}");
            assert!(!out.contains('\x1b'), "no colour: {out}");
            // Both examples, from the rule's tests.
            let (failing, passing) = match lang {
                "fi" => (
                    "Esimerkki, josta tulee havainto",
                    "Esimerkki, joka on kunnossa",
                ),
                "sv" => ("Exempel som ger ett fynd", "Exempel som godkänns"),
                _ => ("Failing example", "Passing example"),
            };
            assert!(out.contains(failing) && out.contains(passing), "{out}");
        }
    }
    let (code, fi, _) = explain(&["gdpr/updated-date", "--lang", "fi"]);
    assert_eq!(code, 0);
    assert!(!fi.contains('\x1b'), "no colour when piped: {fi}");
    assert!(fi.contains("Mitä tarkistetaan"), "{fi}");
    assert!(
        !fi.contains("Tämän säännön ohjetta ei ole suomeksi"),
        "{fi}"
    );
    let (code, sv, _) = explain(&["gdpr/updated-date", "--lang", "sv"]);
    assert_eq!(code, 0);
    assert!(sv.contains("Vad som kontrolleras"), "{sv}");
    assert!(!sv.contains("visas på engelska"), "{sv}");
}

#[test]
fn docs_missing_in_a_language_fall_back_to_english_with_a_note() {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(
        dir.path().join("owner-unit.yaml"),
        r#"id: acme/owner-unit
title: {en: Every purpose names an owner unit}
severity: warning
each: register.purposes
check: has(item.description)
at: purposes[{{index}}].description
message: {en: "Purpose '{{item.id}}' names no owner unit"}
docs: |
  ## What it checks
  Every purpose names its owner unit.
"#,
    )
    .expect("write");
    for (lang, note) in [
        ("fi", "Tämän säännön ohjetta ei ole suomeksi"),
        ("sv", "Dokumentationen för regeln finns inte på svenska"),
    ] {
        let (code, out, err) = run(seloste()
            .args(["explain", "acme/owner-unit", "--lang", lang, "--rules"])
            .arg(dir.path()));
        assert_eq!(code, 0, "{err}");
        assert!(out.contains(note), "{out}");
        assert!(out.contains("What it checks"), "{out}");
    }
}

#[test]
fn colour_on_request_and_never_with_color_never() {
    let (_, coloured, _) = explain(&["gdpr/dpo-contact", "--color", "always"]);
    assert!(coloured.contains("\x1b[1m"), "{coloured}");
    let (_, plain, _) = explain(&["gdpr/dpo-contact", "--color", "never"]);
    assert!(!plain.contains('\x1b'));
}
