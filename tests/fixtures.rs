//! A snapshot of the findings (JSON: rule, path, place, message, help, references, fixes) of
//! every fixture, and the acceptance checks on seeds. The human layout is the emitter's unit
//! tests' (src/report/tests.rs).
//!
//! `fixtures/real/` (five further real notices, reviewed in docs/seed-review.md) is snapshotted
//! like the seeds, so a rule change that adds, drops or moves a finding on a real notice shows up
//! as a snapshot diff to review against that table.

mod common;

use common::{fixture_files, run, seloste};

#[test]
fn every_fixture_has_a_json_snapshot() {
    for dir in ["fixtures/seeds", "fixtures/real", "fixtures/valid"] {
        for file in fixture_files(dir) {
            let path = format!("{dir}/{file}");
            let name = path.replace('/', "__");
            let (_, json, _) = run(seloste().args(["lint", "--format", "json", &path]));
            let parsed: serde_json::Value =
                serde_json::from_str(&json).expect("json output parses");
            insta::assert_json_snapshot!(format!("{name}.json"), parsed);
        }
    }
}

#[test]
fn real_notices_keep_the_reviewed_findings() {
    // Counts per notice as judged in docs/seed-review.md ("Five further real notices").
    let reviewed = [
        ("000-visiosto-asiakasrekisteri.yaml", 7),
        ("001-hy-concepts.yaml", 9),
        ("002-lehtimaki-potilasrekisteri.yaml", 9),
        ("003-elonvaalijat-jasenrekisteri.yaml", 6),
        ("004-kiekkohamsteri.yaml", 6),
    ];
    for (file, count) in reviewed {
        let found = findings(&format!("fixtures/real/{file}"));
        assert_eq!(found.len(), count, "{file}: {found:#?}");
    }
    // The false positive of the review: "käyttämällä Euroopan komission hyväksymiä
    // mallilausekkeita" (using the model clauses the Commission adopted) is no acceptance by use.
    let visiosto = findings("fixtures/real/000-visiosto-asiakasrekisteri.yaml");
    assert!(!visiosto.iter().any(|f| f["rule"] == "gdpr/consent-by-use"));
}

#[test]
fn valid_fixtures_are_clean_and_print_only_the_summary() {
    let (code, out, err) = run(seloste().args(["lint", "fixtures/valid"]));
    assert_eq!(code, 0, "{out}{err}");
    assert_eq!(out, "no problems in 4 files\n");
    assert_eq!(err, "");
}

fn findings(path: &str) -> Vec<serde_json::Value> {
    let (_, json, _) = run(seloste().args(["lint", "--format", "json", path]));
    serde_json::from_str(&json).expect("json")
}

fn has(findings: &[serde_json::Value], rule: &str, path: &str) -> bool {
    findings
        .iter()
        .any(|f| f["rule"] == rule && f["path"] == path)
}

#[test]
fn seeds_show_the_known_defects() {
    let (code, _, _) = run(seloste().args(["lint", "fixtures/seeds"]));
    assert_eq!(code, 1);
    let s001 = findings("fixtures/seeds/001-kainuu-te-webropol.yaml");
    assert!(
        has(
            &s001,
            "fi/repealed-personal-data-act",
            "legal_references[0]"
        ),
        "{s001:#?}"
    );
    assert!(has(&s001, "gdpr/dpo-contact", "dpo"));
    assert!(has(
        &s001,
        "gdpr/purpose-legal-basis",
        "purposes[0].legal_basis"
    ));
    let rights = s001
        .iter()
        .find(|f| f["rule"] == "gdpr/rights-listed")
        .expect("rights finding");
    assert_eq!(rights["start"]["line"], 90);
    let s003 = findings("fixtures/seeds/003-pirkanmaa-te-webropol-tiedottaminen.yaml");
    assert!(has(&s003, "gdpr/dpo-contact", "dpo"), "{s003:#?}");
    assert!(s003.iter().any(|f| f["rule"] == "gdpr/purpose-legal-basis"));
}

#[test]
fn a_missing_key_points_at_its_parent() {
    let s001 = findings("fixtures/seeds/001-kainuu-te-webropol.yaml");
    let f = s001
        .iter()
        .find(|f| f["rule"] == "gdpr/purpose-legal-basis")
        .expect("legal basis finding");
    // `purposes[0]` is the mapping that starts at `- id: event-registration`.
    let src = std::fs::read_to_string("fixtures/seeds/001-kainuu-te-webropol.yaml").expect("read");
    let start = f["start"]["offset"].as_u64().expect("offset") as usize;
    assert!(
        src[start..].starts_with("id: event-registration"),
        "{}",
        &src[start..start + 30]
    );
}
