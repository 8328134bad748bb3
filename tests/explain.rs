//! `seloste explain RULE`: a rule for the terminal, in the chosen language.

mod common;

use common::{run, seloste};

/// The 13 rules whose docs exist in Finnish (issue 4).
const FINNISH_DOCS: &[&str] = &[
    "fi/ombudsman-complaint",
    "fi/repealed-personal-data-act",
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
];

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
    assert!(out.contains("Mitä sääntö tarkistaa"), "{out}");
    insta::assert_snapshot!("ombudsman_complaint_fi", out);
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
        seloste::cli::load_rules(&[], true).unwrap_or_else(|_| panic!("built-in rules load"));
    for r in &rules.rules {
        assert!(r.docs.is_some(), "{} has no docs", r.id);
        let (_, docs_lang) = r.docs_in("fi").map(|(l, d)| (d, l)).unwrap_or_default();
        assert_eq!(
            docs_lang == "fi",
            FINNISH_DOCS.contains(&r.id.as_str()),
            "{}: Finnish docs",
            r.id
        );
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
    assert!(fi.contains("Tämän säännön ohjetta ei ole suomeksi"), "{fi}");
}

#[test]
fn colour_on_request_and_never_with_color_never() {
    let (_, coloured, _) = explain(&["gdpr/dpo-contact", "--color", "always"]);
    assert!(coloured.contains("\x1b[1m"), "{coloured}");
    let (_, plain, _) = explain(&["gdpr/dpo-contact", "--color", "never"]);
    assert!(!plain.contains('\x1b'));
}
