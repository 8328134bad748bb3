//! Every built-in rule's messages and help, as its failing test cases print them in en, fi and sv
//! (as ruff's `assert_messages!` and oxlint's snapshot tester do): a changed message shows in the
//! review, and a message that breaks in one language fails here and in `seloste rules test`.

#[test]
fn every_rule_prints_its_messages_in_every_language() {
    let rules = seloste::rules::load_rules_checked(&[], true, true)
        .unwrap_or_else(|_| panic!("built-in rules load"));
    // The date every test runs on (tests/common/mod.rs), so date rules print the same days.
    let today = seloste::document::date_timestamp("2026-11-23").expect("date");
    for (i, rule) in rules.rules.iter().enumerate() {
        let text = seloste::rules::testing::case_messages(&rules, i, &today);
        assert!(!text.contains(" ERROR "), "{}: {text}", rule.id);
        for lang in ["[en]", "[fi]", "[sv]"] {
            assert!(text.contains(lang), "{} prints nothing in {lang}", rule.id);
        }
        insta::assert_snapshot!(format!("rule_{}", rule.id.replace('/', "__")), text);
    }
}
