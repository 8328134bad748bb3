//! Custom rule directories: load-time validation with diagnostics into the rule file, runtime
//! errors as findings, and the rule test runner.

mod common;

use std::fs;

use common::{run, seloste};

const GOOD: &str = "fixtures/valid/company.yaml";

fn rule_dir(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    for (name, content) in files {
        fs::write(dir.path().join(name), content).expect("write");
    }
    dir
}

fn lint_with_rules(dir: &tempfile::TempDir, extra: &[&str]) -> (i32, String, String) {
    let (code, out, err) = run(seloste()
        .args(["lint", "--no-builtin", "--rules"])
        .arg(dir.path())
        .args(extra)
        .arg(GOOD));
    let d = dir.path().display().to_string();
    (code, out.replace(&d, "[DIR]"), err.replace(&d, "[DIR]"))
}

const OWNER_RULE: &str = r#"id: acme/owner-unit
title: {en: Every purpose names an owner unit, fi: Jokaisella käyttötarkoituksella on vastuuyksikkö}
severity: warning
each: register.purposes
check: has(item.description) && text(item.description).contains('yksikkö')
at: purposes[{{index}}].description
message: {en: "Purpose '{{item.id}}' names no owner unit", fi: "Käyttötarkoitus '{{item.id}}' ei nimeä vastuuyksikköä"}
help: {en: Name the unit responsible for the purpose in its description}
tests:
  - name: named
    register: {purposes: [{id: a, description: Myyntiyksikkö hoitaa, legal_basis: contract}]}
    expect: []
  - name: not named
    register: {purposes: [{id: a, description: Myynti, legal_basis: contract}]}
    expect: ["purposes[0].description"]
"#;

#[test]
fn a_custom_rule_runs_and_its_tests_pass() {
    let base = fs::read_to_string(GOOD).expect("read");
    let dir = rule_dir(&[("owner-unit.yaml", OWNER_RULE), ("_base.yaml", &base)]);
    let (code, out, err) = lint_with_rules(&dir, &["--format", "json"]);
    assert_eq!(code, 0, "{err}");
    let findings: serde_json::Value = serde_json::from_str(&out).expect("json");
    let list = findings.as_array().expect("array");
    assert!(!list.is_empty());
    assert!(
        list.iter()
            .all(|f| f["rule"] == "acme/owner-unit" && f["severity"] == "warning")
    );
    let (code, out, _) = run(seloste().args(["rules", "test"]).arg(dir.path()));
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("test result: ok. 2 passed; 0 failed"), "{out}");
}

#[test]
fn a_test_case_checks_the_messages_in_each_language() {
    let base = fs::read_to_string(GOOD).expect("read");
    let with = |messages: &str| {
        OWNER_RULE.replace(
            "    expect: [\"purposes[0].description\"]\n",
            &format!("    expect: [\"purposes[0].description\"]\n    messages: {messages}\n"),
        )
    };
    let right = with(
        r#"{"purposes[0].description": {en: "Purpose 'a' names no owner unit", fi: "Käyttötarkoitus 'a' ei nimeä vastuuyksikköä"}}"#,
    );
    let dir = rule_dir(&[("owner-unit.yaml", &right), ("_base.yaml", &base)]);
    let (code, out, _) = run(seloste().args(["rules", "test"]).arg(dir.path()));
    assert_eq!(code, 0, "{out}");
    // A wrong message fails the case, with both texts; so does a path with no finding.
    let wrong = with(
        r#"{"purposes[0].description": "Purpose 'a' has no unit", "purposes[1].description": "x"}"#,
    );
    let dir = rule_dir(&[("owner-unit.yaml", &wrong), ("_base.yaml", &base)]);
    let (code, out, _) = run(seloste().args(["rules", "test"]).arg(dir.path()));
    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains(
            "(en) the message at purposes[0].description is \"Purpose 'a' names no owner unit\", \
             expected \"Purpose 'a' has no unit\""
        ),
        "{out}"
    );
    assert!(
        out.contains("(en) no finding at purposes[1].description to check the message of"),
        "{out}"
    );
}

#[test]
fn a_wrong_rule_test_fails_the_runner() {
    let base = fs::read_to_string(GOOD).expect("read");
    let wrong = OWNER_RULE.replace("expect: [\"purposes[0].description\"]", "expect: []");
    let dir = rule_dir(&[("owner-unit.yaml", &wrong), ("_base.yaml", &base)]);
    let (code, out, _) = run(seloste().args(["rules", "test"]).arg(dir.path()));
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("FAILED"), "{out}");
}

#[test]
fn broken_rules_exit_2_with_diagnostics_into_the_rule_file() {
    let cases = [
        ("syntax", OWNER_RULE.replace("text(item.description).contains('yksikkö')", "text(item.description).contains('yksikkö'")),
        ("unknown_variable", OWNER_RULE.replace("check: has(item.description)", "check: has(itme.description)")),
        ("unknown_function", OWNER_RULE.replace("text(item.description)", "txet(item.description)")),
        ("item_without_each", OWNER_RULE.replace("each: register.purposes\n", "")),
        ("bad_at", OWNER_RULE.replace("at: purposes[{{index}}].description", "at: purposes[{{index}}].descripton")),
        ("bad_interpolation", OWNER_RULE.replace("'{{item.id}}' names", "'{{item.id +}}' names")),
        ("unclosed_interpolation", OWNER_RULE.replace("'{{item.id}}' names", "'{{item.id names")),
        ("unknown_key", OWNER_RULE.replace("severity: warning", "severity: warning\nseverty: error")),
        ("bad_severity", OWNER_RULE.replace("severity: warning", "severity: fatal")),
        ("bad_id", OWNER_RULE.replace("id: acme/owner-unit", "id: OwnerUnit")),
        // Constructs outside the rule language (docs/rule-language.md) are load errors.
        ("bytes_literal", OWNER_RULE.replace("contains('yksikkö')", "contains('yksikkö') && b'x' == b'x'")),
        ("interpreter_only_function", OWNER_RULE.replace("has(item.description) &&", "type(item) == map &&")),
        ("folded_block", OWNER_RULE.replace(
            "check: has(item.description) && text(item.description).contains('yksikkö')",
            "check: >-\n  has(item.description) &&\n  text(item.description).contains('yksikkö') ) ",
        )),
    ];
    let mut all = String::new();
    for (name, content) in cases {
        let dir = rule_dir(&[("rule.yaml", &content)]);
        let (code, out, err) = lint_with_rules(&dir, &[]);
        assert_eq!(code, 2, "{name}: {out}{err}");
        assert!(out.is_empty(), "{name}: nothing is linted: {out}");
        assert!(!err.contains("panicked"), "{err}");
        all.push_str(&format!("=== {name}\n{err}\n"));
    }
    insta::assert_snapshot!("broken_rules", all);
}

#[test]
fn a_runtime_error_is_a_finding_against_the_rule_and_others_still_run() {
    let failing = r#"id: acme/boom
title: {en: Boom}
severity: error
check: register.controller.no_such_key == 'x'
at: controller
message: {en: never}
"#;
    let dir = rule_dir(&[("boom.yaml", failing), ("owner-unit.yaml", OWNER_RULE)]);
    let (code, out, err) = lint_with_rules(&dir, &[]);
    assert_eq!(code, 1, "{err}");
    insta::assert_snapshot!("runtime_error", out);
}

const UNIT_RULE: &str = r#"id: acme/known-unit
title: {en: The contact is a known unit}
severity: error
when: has(register.contact) && has(register.contact.name)
check: register.contact.name in data.units
at: contact.name
message: {en: "'{{register.contact.name}}' is not one of {{data.units}}"}
tests:
  - name: known
    register: {contact: {name: Tietosuoja}}
    expect: []
  - name: unknown
    register: {contact: {name: Somewhere else}}
    expect: [contact.name]
"#;

#[test]
fn a_data_file_is_shared_by_the_rules_beside_it() {
    let base = fs::read_to_string(GOOD).expect("read");
    let dir = rule_dir(&[
        ("known-unit.yaml", UNIT_RULE),
        ("_base.yaml", &base),
        (
            "_data.yaml",
            "# shared lists\nunits: [Tietosuoja, Asiakaspalvelu]\n",
        ),
    ]);
    let (code, out, _) = run(seloste().args(["rules", "test"]).arg(dir.path()));
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("test result: ok. 2 passed; 0 failed"), "{out}");

    // Without the data file, `data` is an empty map: the rule runs and reports its runtime error.
    let dir = rule_dir(&[("known-unit.yaml", UNIT_RULE), ("_base.yaml", &base)]);
    let (code, out, _) = run(seloste().args(["rules", "test"]).arg(dir.path()));
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("error:"), "{out}");

    // A data file that is not a mapping is a rule-file error.
    let dir = rule_dir(&[("known-unit.yaml", UNIT_RULE), ("_data.yaml", "- a\n- b\n")]);
    let (code, out, err) = lint_with_rules(&dir, &[]);
    assert_eq!(code, 2, "{out}{err}");
    assert!(err.contains("`_data.yaml` must be a mapping"), "{err}");
}

const SEVERITY_RULE: &str = r#"id: acme/owner-unit
title: {en: Every purpose names an owner unit}
severity: warning
severity_when:
  info: "item.id == 'marketing'"
  error: "item.id == 'bookkeeping'"
each: register.purposes
check: has(item.description) && text(item.description).contains('yksikkö')
at: purposes[{{index}}].description
message: {en: "Purpose '{{item.id}}' names no owner unit"}
tests:
  - name: named
    register: {purposes: [{id: a, description: Myyntiyksikkö hoitaa, legal_basis: contract}]}
    expect: []
  - name: not named, the severity of the purpose
    register:
      purposes:
        - {id: marketing, description: Myynti, legal_basis: contract}
        - {id: bookkeeping, description: Kirjanpito, legal_basis: contract}
        - {id: other, description: Muu, legal_basis: contract}
    expect: ["purposes[0].description", "purposes[1].description", "purposes[2].description"]
    severity: {"purposes[0].description": info, "purposes[1].description": error, "purposes[2].description": warning}
"#;

#[test]
fn severity_when_gives_findings_their_own_severity_and_config_overrides_it() {
    let base = fs::read_to_string(GOOD).expect("read");
    let dir = rule_dir(&[("owner-unit.yaml", SEVERITY_RULE), ("_base.yaml", &base)]);
    let (code, out, _) = run(seloste().args(["rules", "test"]).arg(dir.path()));
    assert_eq!(code, 0, "{out}");
    // A wrong expected severity fails the case.
    let wrong = SEVERITY_RULE.replace(
        "\"purposes[0].description\": info",
        "\"purposes[0].description\": error",
    );
    let wrong_dir = rule_dir(&[("owner-unit.yaml", &wrong), ("_base.yaml", &base)]);
    let (code, out, _) = run(seloste().args(["rules", "test"]).arg(wrong_dir.path()));
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("is info, expected error"), "{out}");
    // In a lint, each finding has the severity `severity_when` gave it.
    let (_, out, err) = lint_with_rules(&dir, &["--format", "json"]);
    let findings: serde_json::Value = serde_json::from_str(&out).expect(&err);
    let severity_of = |id: &str| {
        findings
            .as_array()
            .expect("array")
            .iter()
            .find(|f| {
                f["message"]
                    .as_str()
                    .is_some_and(|m| m.contains(&format!("'{id}'")))
            })
            .map(|f| f["severity"].as_str().unwrap_or_default().to_owned())
    };
    assert_eq!(severity_of("marketing").as_deref(), Some("info"), "{out}");
    assert_eq!(
        severity_of("bookkeeping").as_deref(),
        Some("error"),
        "{out}"
    );
    // A severity set in config is every finding's.
    let config_dir = tempfile::tempdir().expect("tempdir");
    let config = config_dir.path().join(".seloste.yaml");
    fs::write(&config, "rules:\n  acme/owner-unit: warning\n").expect("write");
    let (_, out, err) = lint_with_rules(
        &dir,
        &[
            "--format",
            "json",
            "--config",
            config.to_str().expect("utf-8"),
        ],
    );
    let findings: serde_json::Value = serde_json::from_str(&out).expect(&err);
    assert!(
        findings
            .as_array()
            .expect("array")
            .iter()
            .all(|f| f["severity"] == "warning"),
        "{out}"
    );
}

#[test]
fn a_broken_severity_when_is_a_rule_error() {
    let base = fs::read_to_string(GOOD).expect("read");
    let broken = SEVERITY_RULE.replace("item.id == 'marketing'", "item.id ==");
    let dir = rule_dir(&[("owner-unit.yaml", &broken), ("_base.yaml", &base)]);
    let (code, _, err) = lint_with_rules(&dir, &[]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("severity_when"), "{err}");
}

#[test]
fn a_data_list_entry_without_source_or_date_is_a_load_error_naming_the_file_and_line() {
    let base = fs::read_to_string(GOOD).expect("read");
    let data = "# facts\nunits: [Sales]\nacts:\n  - {id: a, source: Finlex, checked: \"2026-12-06\"}\n  - {id: b, source: Finlex}\n  - id: c\n    checked: \"2026-13-45\"\n";
    let dir = rule_dir(&[
        ("owner-unit.yaml", OWNER_RULE),
        ("_base.yaml", &base),
        ("_data.yaml", data),
    ]);
    let (code, out, err) = lint_with_rules(&dir, &["--format", "short"]);
    assert_eq!(code, 2, "{out}{err}");
    let all = format!("{out}{err}");
    assert!(all.contains("_data.yaml:5:"), "{all}");
    assert!(all.contains("entry 2 of `acts` lacks `checked`"), "{all}");
    assert!(
        all.contains("_data.yaml:6:") || all.contains("_data.yaml:7:"),
        "{all}"
    );
    assert!(
        all.contains("entry 3 of `acts` lacks `source` (where the fact was checked) and a valid `checked` date"),
        "{all}"
    );
    // Dated entries, plain lists and mappings load.
    let good = "units: [Sales]\nwords: {a: b}\nacts:\n  - {id: a, source: Finlex, checked: \"2026-12-06\"}\n";
    let dir = rule_dir(&[
        ("owner-unit.yaml", OWNER_RULE),
        ("_base.yaml", &base),
        ("_data.yaml", good),
    ]);
    let (code, out, err) = lint_with_rules(&dir, &["--format", "short"]);
    assert!(code == 0 || code == 1, "{out}{err}");
}

#[test]
fn maps_iterate_in_key_order_and_errors_are_the_evaluators_own() {
    let dir = tempfile::tempdir().expect("tempdir");
    let rules = dir.path().join("rules");
    std::fs::create_dir(&rules).expect("mkdir");
    // A map iterated in a message: the cel interpreter follows its hash map, which printed the
    // keys in a different order from run to run; the evaluator iterates in key order.
    std::fs::write(
        rules.join("odd.yaml"),
        r#"id: acme/odd
title: Odd constructs
severity: warning
check: "!register.name.exists(k, k == 'fi') || 1.5 * 2.0 > 3.5"
message: "names in {{register.name.map(k, k).join(',')}}"
"#,
    )
    .expect("write");
    std::fs::write(
        rules.join("missing.yaml"),
        r#"id: acme/missing
title: Reads a key that is not there
severity: warning
check: register.no_such_key == 1
message: never shown
"#,
    )
    .expect("write");
    let rules = rules.to_str().expect("utf-8 path");
    let args = [
        "--format",
        "json",
        "--rules",
        rules,
        "fixtures/valid/bilingual.yaml",
    ];
    for _ in 0..3 {
        let (_, out, _) = run(seloste().arg("lint").args(args));
        assert!(out.contains("names in fi,sv"), "{out}");
        assert!(out.contains("no such key: no_such_key"), "{out}");
    }
}

#[test]
fn let_names_an_expression_once_for_the_check_and_the_messages() {
    let rule = r#"id: acme/let-demo
title: {en: Purposes on consent name it}
severity: warning
each: register.purposes
let:
  bases: "has(item.legal_basis) ? item.legal_basis : []"
  consent: "'consent' in bases"
  shown: "bases.map(b, b.upperAscii()).join(', ')"
check: "!consent"
at: "purposes[{{index}}].legal_basis"
message: {en: "'{{item.id}}' rests on {{shown}} ({{size(bases)}} of them: {{bases}})"}
"#;
    let looping = r#"id: acme/let-loop
title: {en: A let that uses itself}
severity: warning
let:
  a: "b + 1"
  b: "a + 1"
check: "a > 0"
message: {en: never}
"#;
    let dir = rule_dir(&[("demo.yaml", rule), ("loop.yaml", looping)]);
    let (code, out, err) = lint_with_rules(&dir, &[]);
    assert_eq!(code, 1, "{err}");
    assert!(
        out.contains("'marketing' rests on CONSENT (1 of them: consent)"),
        "{out}"
    );
    assert!(
        out.contains("in `let.a`: in `let.b`: `let.a` uses itself"),
        "{out}"
    );
    // A name that is a variable, or no name at all, is a load error in the rule file.
    for bad in ["register", "two words"] {
        let broken = rule.replace("  consent:", &format!("  {bad}: \"true\"\n  consent:"));
        let dir = rule_dir(&[("demo.yaml", &broken)]);
        let (code, _, err) = lint_with_rules(&dir, &[]);
        assert_eq!(code, 2, "{bad}: {err}");
        assert!(
            err.contains(&format!("`let.{bad}` is not a name a rule can use")),
            "{err}"
        );
    }
}
