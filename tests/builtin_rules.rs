//! The built-in packs: every rule's embedded tests pass, every rule has passing and failing cases,
//! and the list covers the catalogue.

mod common;

use common::{run, seloste};

#[test]
fn builtin_rule_tests_pass() {
    let (code, out, err) = run(seloste().args(["rules", "test"]));
    assert_eq!(code, 0, "{out}{err}");
    assert!(out.contains("test result: ok."), "{out}");
}

#[test]
fn every_builtin_rule_has_passing_and_failing_cases() {
    // Full validation: every message and help template of every language compiles.
    let rules = seloste::rules::load_rules_checked(&[], true, true)
        .unwrap_or_else(|_| panic!("built-in rules load with full validation"));
    for r in &rules.rules {
        let pass = r.tests.iter().filter(|t| t.expect.is_empty()).count();
        let fail = r.tests.iter().filter(|t| !t.expect.is_empty()).count();
        // Issue 4: at least two passing and two failing cases per built-in rule.
        assert!(
            pass >= 2 && fail >= 2,
            "{}: {pass} passing, {fail} failing cases",
            r.id
        );
        for lang in ["en", "fi"] {
            assert!(r.message.contains_key(lang), "{}: message in {lang}", r.id);
        }
    }
}

#[test]
fn the_core_rules_of_the_pipeline_issue_exist() {
    let (code, out, _) = run(seloste().args(["rules", "--format", "json"]));
    assert_eq!(code, 0);
    let list: Vec<serde_json::Value> = serde_json::from_str(&out).expect("json");
    let ids: Vec<&str> = list.iter().filter_map(|r| r["id"].as_str()).collect();
    for id in [
        "gdpr/controller-identity",
        "gdpr/dpo-contact",
        "gdpr/purpose-described",
        "gdpr/purpose-legal-basis",
        "gdpr/legitimate-interest-described",
        "gdpr/authority-legitimate-interests",
        "gdpr/statutory-basis-cited",
        "gdpr/consent-withdrawal",
        "gdpr/retention-period",
        "gdpr/rights-listed",
        "gdpr/complaint-route",
        "fi/ombudsman-complaint",
        "fi/repealed-personal-data-act",
    ] {
        assert!(ids.contains(&id), "{id} missing");
    }
}

#[test]
fn schema_command_prints_the_register_schema() {
    let (code, out, _) = run(seloste().args(["schema"]));
    assert_eq!(code, 0);
    let schema: serde_json::Value = serde_json::from_str(&out).expect("json");
    assert_eq!(
        schema["properties"]["seloste"]["$ref"],
        "#/$defs/FormatVersion"
    );
    assert!(
        schema["required"]
            .as_array()
            .is_some_and(|r| r.iter().any(|x| x == "purposes"))
    );
}

#[test]
fn messages_follow_the_language() {
    let (_, en, _) = run(seloste().args(["lint", "fixtures/seeds/001-kainuu-te-webropol.yaml"]));
    let (_, fi, _) = run(seloste().args([
        "lint",
        "--lang",
        "fi",
        "fixtures/seeds/001-kainuu-te-webropol.yaml",
    ]));
    assert_ne!(en, fi);
    assert!(
        fi.contains("tietosuojavastaava") || fi.contains("Tietosuojavastaava"),
        "{fi}"
    );
}

#[test]
fn lean_rule_files_load_the_same() {
    // A lint run parses the built-in rule files without their `docs` and `tests` (cut out by text,
    // `strip_top_level`); everything a lint run uses must come out the same as from a full parse.
    use seloste::rules::{RuleSet, builtin};
    let packs = builtin::packs();
    let load = |lean| {
        let sources =
            builtin::builtin_sources(&packs, true, lean).unwrap_or_else(|_| panic!("sources"));
        RuleSet::load(sources).unwrap_or_else(|_| panic!("rules load (lean: {lean})"))
    };
    let (full, lean) = (load(false), load(true));
    assert_eq!(full.rules.len(), lean.rules.len());
    for (a, b) in full.rules.iter().zip(&lean.rules) {
        assert_eq!(a.id, b.id);
        assert_eq!(a.severity, b.severity, "{}", a.id);
        assert_eq!(a.refs, b.refs, "{}", a.id);
        assert_eq!(a.title, b.title, "{}", a.id);
        assert_eq!(a.options, b.options, "{}", a.id);
        assert_eq!(a.check.source, b.check.source, "{}", a.id);
        assert_eq!(
            a.when.as_ref().map(|c| &c.source),
            b.when.as_ref().map(|c| &c.source),
            "{}",
            a.id
        );
        assert_eq!(
            a.each.as_ref().map(|c| &c.source),
            b.each.as_ref().map(|c| &c.source),
            "{}",
            a.id
        );
        assert_eq!(a.at.source, b.at.source, "{}", a.id);
        let texts = |r: &seloste::rules::Rule| {
            let m: Vec<(String, String)> = r
                .message
                .iter()
                .map(|(l, t)| (l.clone(), t.source.clone()))
                .collect();
            let h: Vec<(String, String)> = r
                .help
                .iter()
                .map(|(l, t)| (l.clone(), t.source.clone()))
                .collect();
            (m, h)
        };
        assert_eq!(texts(a), texts(b), "{}", a.id);
        assert!(
            b.docs.is_none() && b.tests.is_empty(),
            "{}: lean keeps no docs or tests",
            a.id
        );
        assert!(a.docs.is_some() && !a.tests.is_empty(), "{}", a.id);
    }
}

#[test]
fn lean_rule_files_keep_the_language_shown_and_english() {
    // A lint run also leaves out the titles, messages and help in the languages not shown
    // (`strip_languages`), and reads the trees build.rs parsed; what it shows must come out the
    // same as from a full parse.
    use seloste::document::{self, Budget, frozen};
    use seloste::rules::{RuleSet, builtin};
    let packs = builtin::packs();
    let full = RuleSet::load(builtin::builtin_sources(&packs, true, false).expect("sources"))
        .unwrap_or_else(|_| panic!("full load"));
    for lang in ["en", "fi", "sv"] {
        let sources = builtin::lean_sources(&packs, lang).expect("sources");
        assert_eq!(sources.len(), full.rules.len());
        for s in &sources {
            let tree = s.frozen.expect("built-in sources come parsed");
            let parsed = document::load(&s.bytes, Budget::default()).expect("parses");
            assert_eq!(frozen::thaw(tree), Some(parsed.root), "{} {lang}", s.name);
        }
        let lean = RuleSet::load(sources).unwrap_or_else(|_| panic!("lean load ({lang})"));
        // A language build.rs did not prepare is cut at load: no docs, same rules.
        let other = RuleSet::load(builtin::lean_sources(&packs, "de").expect("sources"))
            .unwrap_or_else(|_| panic!("lean load (de)"));
        assert_eq!(other.rules.len(), lean.rules.len());
        assert!(
            other
                .rules
                .iter()
                .all(|r| r.docs.is_none() && r.tests.is_empty())
        );
        for (a, b) in full.rules.iter().zip(&lean.rules) {
            assert_eq!(a.id, b.id);
            assert_eq!(a.title_in(lang), b.title_in(lang), "{} {lang}", a.id);
            let pick = |m: &std::collections::BTreeMap<String, seloste::rules::Template>| {
                m.get(lang).or(m.get("en")).map(|t| t.source.clone())
            };
            assert_eq!(pick(&a.message), pick(&b.message), "{} {lang}", a.id);
            assert_eq!(pick(&a.help), pick(&b.help), "{} {lang}", a.id);
            let kept: Vec<&String> = b.message.keys().chain(b.help.keys()).collect();
            assert!(
                kept.iter().all(|l| *l == lang || *l == "en"),
                "{}: {lang} run keeps {kept:?}",
                a.id
            );
            assert_eq!(a.check.source, b.check.source, "{}", a.id);
            assert_eq!(a.options, b.options, "{}", a.id);
        }
    }
}
