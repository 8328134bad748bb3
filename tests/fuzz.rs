//! Property tests: no input makes the pipeline panic, and every finding points inside its file.
//! `cargo test` runs a bounded number of cases; `scripts/fuzz.sh` runs many more
//! (`PROPTEST_CASES=200000`).

use std::sync::LazyLock;

use proptest::prelude::*;
use seloste::lint::{LintOptions, lint_text};
use seloste::rules::RuleSet;

static RULES: LazyLock<RuleSet> = LazyLock::new(|| {
    seloste::rules::load_rules(&[], true).unwrap_or_else(|_| panic!("built-in rules load"))
});

fn options() -> LintOptions {
    LintOptions {
        lang: "fi".into(),
        today: seloste::document::date_timestamp("2026-11-23").unwrap_or(cel::Value::Null),
        config: Default::default(),
        languages: Default::default(),
    }
}

/// Lints and checks the invariants every result must keep.
fn check(bytes: &[u8]) {
    let opts = options();
    if let Some(file) = lint_text("fuzz.yaml", None, bytes, &RULES, &opts).findings() {
        for f in &file.findings {
            assert!(f.span.start <= f.span.end, "{f:?}");
            assert!(f.span.end <= bytes.len().max(file.source.len()), "{f:?}");
            assert!(f.start.line >= 1 && f.start.column >= 1, "{f:?}");
            assert!(
                (f.start.line, f.start.column) <= (f.end.line, f.end.column),
                "{f:?}"
            );
            assert!(!f.message.is_empty(), "{f:?}");
        }
    }
}

/// YAML-ish text: the characters YAML gives meaning to, keys of the format, and plain words.
fn yamlish() -> impl Strategy<Value = String> {
    let token = prop_oneof![
        Just("seloste: 1\n".to_owned()),
        Just("\n".to_owned()),
        Just("  ".to_owned()),
        Just("- ".to_owned()),
        Just(": ".to_owned()),
        Just("[".to_owned()),
        Just("]".to_owned()),
        Just("{".to_owned()),
        Just("}".to_owned()),
        Just(", ".to_owned()),
        Just("&a ".to_owned()),
        Just("*a".to_owned()),
        Just("? ".to_owned()),
        Just("|\n".to_owned()),
        Just(">-\n".to_owned()),
        Just("'".to_owned()),
        Just("\"".to_owned()),
        Just("# seloste: allow gdpr/rights-listed -- x\n".to_owned()),
        Just("\t".to_owned()),
        Just("---\n".to_owned()),
        Just("!!str ".to_owned()),
        prop::sample::select(vec![
            "purposes",
            "legal_basis",
            "controller",
            "name",
            "kind",
            "rights",
            "id",
            "updated",
            "retention",
            "period",
            "transfers",
            "safeguard",
            "complaint",
            "authority",
            "dpo",
            "data_categories",
            "categories",
            "special",
            "texts",
            "fi",
            "sv",
            "en",
        ])
        .prop_map(str::to_owned),
        "[a-zA-Z0-9äöÅ_./@-]{1,12}".prop_map(|s| s),
        any::<char>().prop_map(|c| c.to_string()),
    ];
    prop::collection::vec(token, 0..80).prop_map(|v| v.concat())
}

/// A well-formed register skeleton with random values in the fields rules read.
fn register() -> impl Strategy<Value = String> {
    let basis = prop::sample::select(vec![
        "consent",
        "contract",
        "legal_obligation",
        "vital_interests",
        "public_task",
        "legitimate_interests",
        "[consent, contract]",
        "[]",
        "nonsense",
        "1",
        "null",
    ]);
    let kind = prop::sample::select(vec![
        "public_authority",
        "public_body",
        "company",
        "association",
        "individual",
        "x",
    ]);
    let text = prop::sample::select(vec![
        "Asiakassuhde",
        "henkilötietolain 10 §",
        "131052-308T",
        "asian vaatiman ajan",
        "",
        "{fi: Asiakkaat, sv: Kunder}",
        "[a, b]",
        "P6M",
        "2026-13-45",
        "tietosuoja@om.fi",
    ]);
    let optional = |s: &'static str| prop::bool::ANY.prop_map(move |b| if b { s } else { "" });
    (
        kind,
        prop::collection::vec((basis, text.clone()), 0..4),
        text,
        optional("rights: [access, rectification]\n"),
        optional("complaint: {authority: Tietosuojavaltuutetun toimisto}\n"),
        optional("dpo: {email: dpo@example.fi}\n"),
        optional("transfers: [{country: US, safeguard: adequacy}]\n"),
        optional("updated: 2020-01-01\n"),
        optional("children: {included: true, min_age: 9}\n"),
        optional("data_categories: [{id: c, special: [health], identity_code: true, criminal: true}]\n"),
    )
        .prop_map(|(kind, purposes, name, a, b, c, d, e, f, g)| {
            let mut s = format!("seloste: 1\nid: r\nname: {name}\ncontroller: {{name: X, kind: {kind}}}\n{a}{b}{c}{d}{e}{f}{g}purposes:\n");
            for (i, (basis, text)) in purposes.iter().enumerate() {
                s.push_str(&format!("  - id: p{i}\n    legal_basis: {basis}\n    description: {text}\n"));
            }
            if purposes.is_empty() {
                s.push_str("  []\n");
            }
            s
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(
        std::env::var("PROPTEST_CASES").ok().and_then(|c| c.parse().ok()).unwrap_or(128)
    ))]

    #[test]
    fn arbitrary_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..512)) {
        check(&bytes);
    }

    #[test]
    fn yamlish_text_never_panics(text in yamlish()) {
        check(text.as_bytes());
    }

    #[test]
    fn arbitrary_registers_never_panic(text in register()) {
        check(text.as_bytes());
    }
}
