//! `seloste init` and `seloste/placeholder`: the template of every controller kind in every
//! language (snapshots), each passing the structure check with only placeholder findings, a filled
//! template with none, the file handling of `--output` and `--force`, bad options, and the
//! placeholder convention (docs/format.md, "Placeholders").

mod common;

use std::fs;
use std::path::Path;

use common::{run, seloste};

const KINDS: [&str; 5] = [
    "public_authority",
    "public_body",
    "company",
    "association",
    "individual",
];
const LANGS: [&str; 3] = ["fi", "sv", "en"];

/// The template `seloste init ARGS` prints (exit 0, nothing on stderr).
fn init(args: &[&str]) -> String {
    let (code, out, err) = run(seloste().arg("init").args(args));
    assert_eq!(code, 0, "init {args:?}: {err}");
    assert!(err.is_empty(), "init {args:?}: {err}");
    out
}

/// The JSON findings of `seloste lint` on `text` (written to a temp file), with the exit code.
fn lint(text: &str) -> (i32, Vec<serde_json::Value>) {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("register.yaml");
    fs::write(&path, text).expect("write");
    let (code, out, err) = run(seloste()
        .args(["lint", "--no-config", "--format", "json"])
        .arg(&path));
    let findings: Vec<serde_json::Value> =
        serde_json::from_str(&out).unwrap_or_else(|e| panic!("{e}: {out} {err}"));
    (code, findings)
}

fn rules_of(findings: &[serde_json::Value]) -> Vec<String> {
    findings
        .iter()
        .map(|f| f["rule"].as_str().unwrap_or_default().to_owned())
        .collect()
}

/// The findings of `seloste lint` other than `seloste/placeholder`, as `rule at path`.
fn others(findings: &[serde_json::Value]) -> Vec<String> {
    findings
        .iter()
        .filter(|f| f["rule"] != "seloste/placeholder")
        .map(|f| format!("{} at {}", f["rule"], f["path"]))
        .collect()
}

#[test]
fn the_template_of_every_kind_in_every_language() {
    for kind in KINDS {
        for lang in LANGS {
            let out = init(&["--kind", kind, "--lang", lang]);
            insta::assert_snapshot!(format!("template_{kind}_{lang}"), out);
        }
    }
    let out = init(&[
        "--kind",
        "public_authority",
        "--lang",
        "fi",
        "--translations",
        "sv,en",
    ]);
    insta::assert_snapshot!("template_public_authority_fi_translations_sv_en", out);
}

#[test]
fn the_defaults_are_a_company_in_finnish() {
    assert_eq!(
        init(&[]),
        init(&["--kind", "company", "--lang", "fi"]),
        "the defaults changed: update README and docs/format.md"
    );
}

#[test]
fn every_template_passes_the_structure_check_with_only_placeholders_left() {
    for kind in KINDS {
        for lang in LANGS {
            let translated: Vec<&str> = LANGS.iter().copied().filter(|l| *l != lang).collect();
            let all = translated.join(",");
            for translations in [None, Some(translated[0]), Some(all.as_str())] {
                let mut args = vec!["--kind", kind, "--lang", lang];
                if let Some(t) = translations {
                    args.extend(["--translations", t]);
                }
                let (code, findings) = lint(&init(&args));
                assert_eq!(code, 1, "{args:?}: a template never passes");
                assert!(
                    !findings.is_empty() && others(&findings).is_empty(),
                    "{args:?}: {:?}",
                    others(&findings)
                );
            }
        }
    }
}

/// The values a person would write over the placeholders of the English templates.
fn fill(template: &str) -> String {
    let re = regex::Regex::new(r#""(TODO[^"]*)""#).expect("regex");
    re.replace_all(template, |c: &regex::Captures| {
        let todo = &c[1];
        let value = match todo.strip_prefix("TODO: ").unwrap_or(todo) {
            "the-register-id" => "customer-register",
            "the name of the register" => "Customer register",
            "YYYY-MM-DD" => "2026-11-01",
            "direct | indirect | both" => "direct",
            "the controller's name" => "Järvilahti Municipality",
            "NNNNNNN-C" => "0193728-4",
            "true | false" => "false",
            "street, postcode and town" => "Kunnantalontie 1, 99990 Järvilahti",
            "postal address" => "PL 10, 99991 Järvilahti",
            "phone number" => "012 345 6700",
            "e-mail address" => "info@jarvilahti.example",
            "https://..." => "https://www.jarvilahti.example",
            "name of the person or unit" => "Customer service",
            "data protection officer" => "Data protection officer",
            "the people whose data is processed, e.g. customers" => "Customers",
            "the-purpose-id" => "customer-service",
            "the purpose of the processing" => "Answering the questions and requests of customers.",
            "public_task | legal_obligation" => "public_task",
            "public_task | legal_obligation | contract | consent | legitimate_interests" => {
                "contract"
            }
            "contract | legal_obligation | legitimate_interests | consent" => "contract",
            "name of the act number/year" => "Local Government Act 410/2015",
            "statutory | contractual | contract_precondition | voluntary" => "voluntary",
            "what follows if the data is not provided" => {
                "Without contact details a request cannot be answered."
            }
            "the-category-id" => "contact-details",
            "the personal data of this category" => "Name, e-mail address and phone number",
            "data_subject | authority | third_party | public_source | observed | internal" => {
                "data_subject"
            }
            "where the data comes from" => "The customer gives the data.",
            "the recipient" => "The supplier of the customer service system",
            "processor | authority | third_party | joint_controller" => "processor",
            "FI" => "FI",
            "the basis of the disclosure" => "A processing agreement under Art. 28 GDPR.",
            "[] or the transfers" => "[]",
            "P2Y" => "P2Y",
            "when the period starts and what happens at its end" => {
                "Two years from the last contact; then the data is deleted."
            }
            "objection (with public_task, Art. 21(1)) | erasure (only if a purpose rests on neither legal_obligation nor public_task, Art. 17(3)(b))" => {
                "objection"
            }
            // A contract: erasure and portability (Art. 17, 20(1)), one item each.
            "erasure | objection | portability | withdraw_consent" => "erasure\n  - portability",
            "how to make a request" => "Send the request to info@jarvilahti.example.",
            "a security measure" => "Access rights by role; strong authentication.",
            other => panic!("no value for the placeholder `{other}`"),
        };
        value.to_owned()
    })
    .into_owned()
}

#[test]
fn a_filled_template_has_no_placeholder_and_no_structure_finding() {
    for kind in KINDS {
        let filled = fill(&init(&["--kind", kind, "--lang", "en"]));
        assert!(!filled.contains("\"TODO"), "{kind}: {filled}");
        let (_, findings) = lint(&filled);
        let seloste: Vec<String> = rules_of(&findings)
            .into_iter()
            .filter(|r| r.starts_with("seloste/"))
            .collect();
        assert!(seloste.is_empty(), "{kind}: {seloste:?}");
        let errors: Vec<String> = findings
            .iter()
            .filter(|f| f["severity"] == "error")
            .map(|f| format!("{} at {}", f["rule"], f["path"]))
            .collect();
        assert!(errors.is_empty(), "{kind}: {errors:?}");
    }
}

#[test]
fn output_writes_a_new_file_and_refuses_to_overwrite_without_force() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("register.yaml");
    let (code, out, err) = run(seloste()
        .args(["init", "--kind", "company", "--lang", "en", "--output"])
        .arg(&path));
    assert_eq!((code, out.as_str(), err.as_str()), (0, "", ""));
    let written = fs::read_to_string(&path).expect("written");
    assert_eq!(written, init(&["--kind", "company", "--lang", "en"]));

    // An existing file (a register being filled in) is kept.
    fs::write(&path, "seloste: 1\n# my work\n").expect("write");
    let (code, out, err) = run(seloste()
        .args(["init", "--lang", "en", "--output"])
        .arg(&path));
    assert_eq!(code, 2, "{err}");
    assert!(out.is_empty());
    assert!(
        err.contains("register.yaml already exists") && err.contains("--force"),
        "{err}"
    );
    assert_eq!(
        fs::read_to_string(&path).expect("read"),
        "seloste: 1\n# my work\n"
    );

    let (code, _, err) = run(seloste()
        .args(["init", "--lang", "en", "--force", "--output"])
        .arg(&path));
    assert_eq!(code, 0, "{err}");
    assert!(fs::read_to_string(&path).expect("read").contains("TODO"));
    // Only the file itself: no temporary file left behind.
    assert_eq!(fs::read_dir(dir.path()).expect("dir").count(), 1);
}

#[test]
fn output_into_a_missing_directory_or_onto_a_directory_is_an_error() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("missing").join("register.yaml");
    let (code, out, err) = run(seloste().args(["init", "--output"]).arg(&path));
    assert_eq!(code, 2, "{err}");
    assert!(out.is_empty());
    assert!(
        err.contains("does not exist")
            && err.contains(&format!("{}", Path::new("missing").display())),
        "{err}"
    );
    assert!(!dir.path().join("missing").exists());

    let (code, _, err) = run(seloste().args(["init", "--output"]).arg(dir.path()));
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("is a directory"), "{err}");
}

#[test]
fn bad_options_are_usage_errors() {
    for args in [
        &["--kind", "state"][..],
        &["--lang", "de"],
        &["--translations", "sv,de"],
        &["--force"],
        &["--kind"],
        &["extra"],
    ] {
        let (code, out, err) = run(seloste().arg("init").args(args));
        assert_eq!(code, 2, "{args:?}: {err}");
        assert!(out.is_empty(), "{args:?}");
        assert!(
            err.starts_with("error:") && (err.contains("Usage") || err.contains("--help")),
            "{args:?}: {err}"
        );
    }
    let (code, out, err) = run(seloste().args(["init", "--lang", "sv", "--translations", "fi,sv"]));
    assert_eq!(code, 2, "{err}");
    assert!(out.is_empty());
    assert!(
        err.contains("--translations") && err.contains("register's language"),
        "{err}"
    );
}

#[test]
fn repeated_translations_are_written_once() {
    assert_eq!(
        init(&["--lang", "en", "--translations", "fi,fi"]),
        init(&["--lang", "en", "--translations", "fi"])
    );
}

// -------------------------------------------------------------------------------------------
// seloste/placeholder

/// A valid register of the fixtures with `from` replaced by `to` (which must be there).
fn valid_with(from: &str, to: &str) -> String {
    let text = common::fixture_text("fixtures/valid/company.yaml");
    assert!(text.contains(from), "{from}");
    text.replacen(from, to, 1)
}

#[test]
fn the_valid_fixture_the_placeholder_tests_start_from_is_clean() {
    let (code, findings) = lint(&common::fixture_text("fixtures/valid/company.yaml"));
    assert_eq!((code, rules_of(&findings)), (0, vec![]));
}

#[test]
fn a_placeholder_in_a_field_with_a_format_is_one_placeholder_finding() {
    let company = common::fixture_text("fixtures/valid/company.yaml");
    let date = company
        .lines()
        .find(|l| l.starts_with("updated: "))
        .expect("updated")
        .to_owned();
    let email = company
        .lines()
        .find(|l| l.starts_with("  email: "))
        .expect("email")
        .to_owned();
    let business_id = company
        .lines()
        .find(|l| l.starts_with("  business_id: "))
        .expect("business_id")
        .to_owned();
    for (from, to, path) in [
        (date.as_str(), "updated: TODO".to_owned(), "updated"),
        (
            email.as_str(),
            "  email: \"TODO: the controller's e-mail\"".to_owned(),
            "controller.email",
        ),
        (
            business_id.as_str(),
            "  business_id: TODO Y-tunnus".to_owned(),
            "controller.business_id",
        ),
        ("kind: company", "kind: TODO".to_owned(), "controller.kind"),
        (
            "seloste: 1\nid: ",
            "seloste: 1\nid: 'TODO: id'\nx-: ".to_owned(),
            "id",
        ),
    ] {
        // The last case also has an unknown key, to show placeholders do not hide the rest.
        let (code, findings) = lint(&valid_with(from, &to));
        assert_eq!(code, 1, "{to}");
        let placeholders: Vec<&serde_json::Value> = findings
            .iter()
            .filter(|f| f["rule"] == "seloste/placeholder")
            .collect();
        assert_eq!(placeholders.len(), 1, "{to}: {findings:?}");
        assert_eq!(placeholders[0]["path"], path, "{to}");
        assert_eq!(placeholders[0]["severity"], "error");
        let rest = others(&findings);
        if to.contains("x-:") {
            assert_eq!(rest, vec!["\"seloste/unknown-key\" at \"x-\""], "{to}");
        } else {
            assert!(
                rest.is_empty(),
                "{to}: no format, enum or rule finding: {rest:?}"
            );
        }
    }
}

#[test]
fn a_placeholder_is_located_at_its_value() {
    let text = valid_with("kind: company", "kind: \"TODO: the kind\"");
    let line = text
        .lines()
        .position(|l| l.contains("TODO: the kind"))
        .expect("line")
        + 1;
    let (_, findings) = lint(&text);
    let f = findings
        .iter()
        .find(|f| f["rule"] == "seloste/placeholder")
        .expect("finding");
    assert_eq!(f["start"]["line"], line as u64, "{f}");
    assert_eq!(f["start"]["column"], 9, "{f}");
}

#[test]
fn placeholders_in_lists_and_texts_and_what_is_not_one() {
    let text = valid_with(
        "\ndata_subjects:\n",
        "\ndata_subjects:\n  - TODO\n  - \"TODO: the other group\"\n  - Todo-listan käyttäjät\n  - Our TODO list\n  - todo\n",
    );
    let (_, findings) = lint(&text);
    let paths: Vec<&str> = findings
        .iter()
        .filter(|f| f["rule"] == "seloste/placeholder")
        .filter_map(|f| f["path"].as_str())
        .collect();
    assert_eq!(
        paths,
        ["data_subjects[0]", "data_subjects[1]"],
        "{findings:?}"
    );
    assert!(others(&findings).is_empty(), "{:?}", others(&findings));
}

#[test]
fn placeholder_ids_are_neither_duplicates_nor_unknown_references() {
    let text = valid_with(
        "purposes:\n",
        "purposes:\n  - id: TODO\n  - id: TODO\n    categories: [TODO]\n",
    );
    let (_, findings) = lint(&text);
    assert_eq!(
        rules_of(&findings),
        ["seloste/placeholder"; 3],
        "{findings:?}"
    );
}

#[test]
fn a_placeholder_cannot_be_suppressed() {
    let text = valid_with(
        "kind: company",
        "kind: TODO  # seloste: allow seloste/placeholder -- filled in later",
    );
    let (code, findings) = lint(&text);
    assert_eq!(code, 1);
    let mut rules = rules_of(&findings);
    rules.sort();
    assert_eq!(
        rules,
        ["seloste/allow-unknown", "seloste/placeholder"],
        "{findings:?}"
    );
    let allow = findings
        .iter()
        .find(|f| f["rule"] == "seloste/allow-unknown")
        .expect("allow");
    assert!(
        allow["message"]
            .as_str()
            .is_some_and(|m| m.contains("cannot be suppressed")),
        "{allow}"
    );
}

#[test]
fn placeholder_messages_in_every_language() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("r.yaml");
    fs::write(&path, valid_with("kind: company", "kind: TODO")).expect("write");
    let mut shown = String::new();
    for lang in ["en", "fi", "sv"] {
        let (code, out, err) = run(seloste()
            .args(["lint", "--no-config", "--format", "human", "--lang", lang])
            .arg(&path)
            .current_dir(dir.path()));
        assert_eq!(code, 1, "{err}");
        shown.push_str(&out.replace(&dir.path().display().to_string(), "[DIR]"));
    }
    insta::assert_snapshot!("placeholder_messages", shown);
}

#[test]
fn explain_shows_the_placeholder_check() {
    for lang in ["en", "fi", "sv"] {
        let (code, out, err) =
            run(seloste().args(["explain", "seloste/placeholder", "--lang", lang]));
        assert_eq!(code, 0, "{err}");
        assert!(out.starts_with("seloste/placeholder\n"), "{out}");
        assert!(out.contains("period: \"TODO: P2Y\""), "{out}");
    }
}

#[test]
fn a_template_renders_nothing_until_filled_in() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("register.yaml");
    fs::write(&path, init(&["--lang", "en"])).expect("write");
    let (code, _, err) = run(seloste().args(["render", "--no-config"]).arg(&path));
    assert_ne!(code, 0, "{err}");
}

#[test]
fn the_fields_in_comments_are_valid_when_uncommented() {
    // `# key: value` lines (and the indented lines of a commented block) are ready to uncomment:
    // doing so to all of them keeps the template free of any structure finding but placeholders.
    let field = regex::Regex::new(r"(?m)^(\s*)# (\s*[a-z_]+:(?: .*)?)$").expect("regex");
    for kind in KINDS {
        for lang in LANGS {
            let template = init(&["--kind", kind, "--lang", lang]);
            let uncommented = field.replace_all(&template, "$1$2").into_owned();
            assert!(uncommented.contains("\nchildren:"), "{kind} {lang}");
            let (_, findings) = lint(&uncommented);
            let structure: Vec<String> = others(&findings)
                .into_iter()
                .filter(|f| f.starts_with("\"seloste/"))
                .collect();
            assert!(
                structure.is_empty(),
                "{kind} {lang}: {structure:?}\n{uncommented}"
            );
        }
    }
}

#[test]
fn a_placeholder_stands_for_every_language_of_a_text() {
    // A bilingual register: a plain `TODO` where a {fi, sv} text goes is one placeholder, not
    // also a missing Swedish version; a `TODO` as one version is that version's placeholder.
    let text = common::fixture_text("fixtures/valid/bilingual.yaml");
    let name = "name:\n  fi: Kuusirannan kaupungin varhaiskasvatuksen asiakasrekisteri\n  sv: Granstrands stads kundregister för småbarnspedagogik\n";
    assert!(text.contains(name));
    for (to, path) in [
        ("name: TODO\n", "name"),
        (
            "name:\n  fi: Kuusirannan kaupungin varhaiskasvatuksen asiakasrekisteri\n  sv: \"TODO: på svenska\"\n",
            "name.sv",
        ),
    ] {
        let (_, findings) = lint(&text.replacen(name, to, 1));
        let placeholders: Vec<&str> = findings
            .iter()
            .filter(|f| f["rule"] == "seloste/placeholder")
            .filter_map(|f| f["path"].as_str())
            .collect();
        assert_eq!(placeholders, [path], "{findings:?}");
        assert!(
            others(&findings).is_empty(),
            "{to}: {:?}",
            others(&findings)
        );
    }
}
