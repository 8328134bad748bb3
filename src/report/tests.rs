//! Every emitter over one synthetic run: findings made here, not by rules, so each format's
//! layout is pinned without any rule's wording (a rule's message can change without touching
//! these snapshots). The end-to-end tests (tests/formats.rs) only check that the binary wires
//! each format up.

use super::*;
use crate::document::{Budget, Span};
use crate::finding::{
    Edit, FileFindings, Finding, Fix, Refs, RegisterInfo, Safety, Severity, Suppressed,
};
use crate::rules::RuleSet;
use crate::rules::load::RuleSource;

const REGISTER: &str = "\
seloste: 1
id: asiakasrekisteri
name: Säilytysaika ä ö å
updated: 2026-10-01
controller:
  name: Esimerkki Oy
  business_id: 1234567-8
purposes:
  - id: markkinointi
    # seloste: allow test/retention -- decided in the DPIA of 2026-01
    description: Markkinointi
    retention:
      criteria: Toistaiseksi
";

/// A help text with what must never be split at the end of a line: a date, hyphenated words and
/// a word longer than a narrow terminal.
const LONG_HELP: &str = "Add a `period` (ISO 8601, e.g. `period: P2Y`) next to these criteria, or name \
    the event it starts from: the data protection officer checked this on 2026-12-06; the \
    Y-tunnus and the EU-US Data Privacy Framework are examples of words with hyphens, and \
    henkilötietojenkäsittelytoimenpiteidenrekisteriseloste is one long word.";

/// The rules of the catalog, as SARIF, Markdown and HTML describe them: one with docs, one
/// without (`test/no-span` is in no catalog at all).
const RULES: [&str; 2] = [
    r#"id: test/business-id
title: {en: "The Business ID has a valid check digit", fi: "Y-tunnuksen tarkiste on oikein"}
severity: error
gdpr: ["Art. 13(1)(a)"]
law: ["Tietosuojalaki 1050/2018 4 §"]
check: "true"
at: controller.business_id
message: {en: "never shown"}
docs:
  en: |
    ## What it checks
    The check digit of `controller.business_id`.

    ## Why it matters
    A wrong Y-tunnus names no one.
"#,
    r#"id: test/retention
title: {en: "Retention criteria are concrete"}
severity: warning
gdpr: ["Art. 13(2)(a)"]
check: "true"
message: {en: "never shown"}
"#,
];

fn span(source: &str, text: &str) -> Span {
    let start = source
        .find(text)
        .unwrap_or_else(|| panic!("{text} is not in the source"));
    Span::new(start, start + text.len())
}

fn catalog() -> Catalog {
    let sources = RULES.map(|rule| RuleSource {
        name: "test.yaml".to_owned(),
        bytes: rule.as_bytes().to_vec().into(),
        base: None,
        trusted: false,
        lean: false,
        data: None,
        lang: None,
        frozen: None,
    });
    let set = RuleSet::load(sources.into()).unwrap_or_else(|_| panic!("the test rules load"));
    Catalog::new(&set, "en")
}

fn refs(gdpr: &[&str], law: &[&str]) -> Refs {
    Refs {
        gdpr: gdpr.iter().map(|s| (*s).to_owned()).collect(),
        law: law.iter().map(|s| (*s).to_owned()).collect(),
        lang: "",
    }
}

/// The register with one finding of each kind, a suppressed one and one the baseline covers.
fn register_file() -> FileFindings {
    let file = "registers/asiakasrekisteri.yaml";
    let s = |text| span(REGISTER, text);
    let mapping = Span::new(s("id: markkinointi").start, s("Toistaiseksi").end);
    let findings = vec![
        Finding::new(
            "seloste/type",
            Severity::Error,
            mapping,
            "`purposes[0]` is a wrong value",
        )
        .with_path("purposes[0]")
        .with_label("here"),
        Finding::new(
            "test/business-id",
            Severity::Error,
            s("1234567-8"),
            "The Business ID 1234567-8 has a wrong check digit",
        )
        .with_path("controller.business_id")
        .with_label("check digit")
        .with_help("the check digit of 1234567 is 9")
        .with_related(s("Esimerkki Oy"), "the controller it names"),
        Finding::new(
            "test/retention",
            Severity::Warning,
            s("Toistaiseksi"),
            "Säilytysaika ä ö å: 'Toistaiseksi' does not tell how long",
        )
        .with_path("purposes[0].retention.criteria")
        .with_label("how long?")
        .with_help(LONG_HELP)
        .with_fix(Fix {
            title: "Write `Kaksi vuotta`".to_owned(),
            safety: Safety::Unsafe,
            edits: vec![Edit {
                span: s("Toistaiseksi"),
                text: "Kaksi vuotta".to_owned(),
            }],
        }),
        Finding::new(
            "test/no-span",
            Severity::Info,
            Span::new(0, 0),
            "The register has no `dpo`",
        ),
    ];
    let mut f = FileFindings::new(file, REGISTER.to_owned(), findings);
    for finding in &mut f.findings {
        if finding.rule == "test/retention" {
            finding.refs = refs(&["Art. 13(2)(a)"], &[]);
        } else if finding.rule == "test/business-id" {
            finding.refs = refs(&["Art. 13(1)(a)"], &["Tietosuojalaki 1050/2018 4 §"]);
        }
    }
    let lines = crate::document::LineIndex::new(REGISTER);
    let located = |mut finding: Finding| {
        finding.locate(file, REGISTER, &lines);
        finding
    };
    f.suppressed.push(Suppressed {
        finding: located(Finding::new(
            "test/retention",
            Severity::Warning,
            s("Markkinointi"),
            "Suppressed in the source",
        )),
        reason: Some("decided in the DPIA of 2026-01".to_owned()),
        directive: s("# seloste: allow test/retention -- decided in the DPIA of 2026-01"),
    });
    f.baselined = Some(Box::new(vec![located(Finding::new(
        "test/retention",
        Severity::Warning,
        s("Esimerkki Oy"),
        "Recorded in the baseline",
    ))]));
    f.held_back = 1;
    f.register = Some(Box::new(RegisterInfo {
        id: Some(("asiakasrekisteri".to_owned(), s("asiakasrekisteri"), 2)),
        updated: Some("2026-10-01".to_owned()),
        lang: "en".to_owned(),
    }));
    f
}

/// The run: the register above, a file that does not load (a space in its name, for URIs) and a
/// clean register, with their totals and a problem that is no finding.
fn run() -> (Vec<FileFindings>, Totals) {
    let broken = "seloste: 1\nname: \"unclosed\n";
    let error = crate::document::load(broken.as_bytes(), Budget::default())
        .err()
        .unwrap_or_else(|| panic!("the broken file does not load"));
    let files = vec![
        register_file(),
        FileFindings::from_load_error(error, "registers/rikki rekisteri.yaml", "en"),
        FileFindings::new(
            "registers/puhdas.yaml",
            "seloste: 1\nid: puhdas\n".to_owned(),
            vec![],
        ),
    ];
    let mut totals = Totals::default();
    files.iter().for_each(|f| totals.add(f));
    totals
        .problems
        .push("no/such/dir: no such file or directory".to_owned());
    (files, totals)
}

/// The emitters, by name, as the command line makes them (without colour, width 100).
fn emitters(lang: &str) -> Vec<(&'static str, Box<dyn Emitter>)> {
    let style = human::Style {
        color: false,
        unicode: false,
        width: 100,
    };
    let today = chrono::NaiveDate::from_ymd_opt(2026, 11, 23);
    vec![
        (
            "human",
            Box::new(human::Human {
                style,
                lang: lang.to_owned(),
            }),
        ),
        ("short", Box::new(Lines(short::line))),
        ("json", Box::new(json::Json::default())),
        ("sarif", Box::new(sarif::Sarif::default())),
        ("github", Box::new(Lines(github::annotation))),
        ("junit", Box::new(junit::Junit::default())),
        ("gitlab", Box::new(gitlab::Gitlab::new(None))),
        ("markdown", Box::new(markdown::Markdown::default())),
        ("html", Box::new(html::Html::new(lang, today))),
        ("statistics", Box::new(statistics::Statistics::default())),
    ]
}

fn emit(emitter: &mut dyn Emitter, files: &[FileFindings], totals: &Totals) -> String {
    let catalog = catalog();
    let mut out = Vec::new();
    for f in files {
        emitter.file(&mut out, f, &catalog).expect("writes");
    }
    emitter.finish(&mut out, totals, &catalog).expect("writes");
    // The crate's version (SARIF's tool, the HTML footer) changes with every release; the
    // report's stylesheet is a file of its own.
    let out = String::from_utf8(out)
        .expect("UTF-8")
        .replace(env!("CARGO_PKG_VERSION"), "[VERSION]");
    match (out.find("<style>\n"), out.find("</style>")) {
        (Some(a), Some(b)) => format!("{}[CSS]{}", &out[..a + 8], &out[b..]),
        _ => out,
    }
}

#[test]
fn every_emitter_over_the_synthetic_run() {
    let (files, totals) = run();
    for (name, mut emitter) in emitters("en") {
        insta::assert_snapshot!(name, emit(emitter.as_mut(), &files, &totals));
    }
}

#[test]
fn every_emitter_over_a_clean_run() {
    let files = [FileFindings::new(
        "puhdas.yaml",
        "seloste: 1\n".to_owned(),
        vec![],
    )];
    let mut totals = Totals::default();
    totals.add(&files[0]);
    let mut all = String::new();
    for (name, mut emitter) in emitters("en") {
        all.push_str(&format!(
            "--- {name}\n{}",
            emit(emitter.as_mut(), &files, &totals)
        ));
    }
    insta::assert_snapshot!("clean", all);
}

#[test]
fn human_output_in_another_language_writes_its_own_help_block() {
    let (mut files, mut totals) = run();
    totals.lang = crate::messages::get("fi").lang;
    for f in &mut files[0].findings {
        f.refs.lang = totals.lang;
    }
    let mut human = human::Human {
        style: human::Style {
            color: false,
            unicode: true,
            width: 100,
        },
        lang: "fi".to_owned(),
    };
    insta::assert_snapshot!("human_fi_unicode", emit(&mut human, &files[..1], &totals));
}

/// Lines break at spaces only: a date, a hyphenated word or a word longer than the line stays
/// whole, in miette's help and in the help block of other languages.
#[test]
fn help_is_never_wrapped_inside_a_word() {
    let (files, totals) = run();
    for lang in ["en", "fi"] {
        for width in [30, 50, 80] {
            let mut human = human::Human {
                style: human::Style {
                    color: false,
                    unicode: false,
                    width,
                },
                lang: lang.to_owned(),
            };
            let out = emit(&mut human, &files[..1], &totals);
            for word in [
                "2026-12-06",
                "Y-tunnus",
                "EU-US",
                "henkilötietojenkäsittelytoimenpiteidenrekisteriseloste",
                "`period:",
            ] {
                assert!(
                    out.contains(word),
                    "{lang}, width {width}: {word} split in\n{out}"
                );
            }
        }
    }
}

/// What the synthetic run puts in SARIF and GitLab's report (fixes, related places, both kinds
/// of suppression, a notification) is valid against their schemas.
#[test]
fn sarif_and_gitlab_reports_are_valid() {
    let (files, totals) = run();
    let schema = |name: &str| -> serde_json::Value {
        let path = format!("{}/tests/schemas/{name}", env!("CARGO_MANIFEST_DIR"));
        serde_json::from_str(&std::fs::read_to_string(path).expect("schema")).expect("JSON")
    };
    let sarif = jsonschema::draft4::options()
        .should_validate_formats(true)
        .build(&schema("sarif-schema-2.1.0.json"))
        .expect("compiles");
    let gitlab = jsonschema::validator_for(&schema("gitlab-code-quality.json")).expect("compiles");
    for (name, validator) in [("sarif", sarif), ("gitlab", gitlab)] {
        let mut emitter = emitters("en")
            .into_iter()
            .find(|(n, _)| *n == name)
            .map(|(_, e)| e)
            .expect("the emitter");
        let report: serde_json::Value =
            serde_json::from_str(&emit(emitter.as_mut(), &files, &totals)).expect("JSON");
        let errors: Vec<String> = validator
            .iter_errors(&report)
            .map(|e| e.to_string())
            .collect();
        assert!(errors.is_empty(), "{name}: {errors:#?}");
    }
}
