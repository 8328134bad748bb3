//! `seloste schema` for editors: the published JSON Schema accepts every valid fixture and example
//! register (YAML → JSON through the crate's own loader), refuses broken ones, and the copy an
//! example repository points yaml-language-server at is current.

mod common;

use std::fs;

use common::{fixture_files, run, seloste};

fn schema() -> serde_json::Value {
    let (code, out, err) = run(seloste().arg("schema"));
    assert_eq!(code, 0, "{err}");
    serde_json::from_str(&out).expect("the schema is JSON")
}

fn validator() -> jsonschema::Validator {
    jsonschema::options()
        .should_validate_formats(true)
        .build(&schema())
        .expect("the schema compiles")
}

/// A register file as the JSON the schema describes.
fn as_json(text: &str) -> serde_json::Value {
    let doc = seloste::document::load(text.as_bytes(), Default::default())
        .unwrap_or_else(|e| panic!("loads: {}", e.message));
    doc.root.to_json()
}

fn errors(validator: &jsonschema::Validator, instance: &serde_json::Value) -> Vec<String> {
    validator
        .iter_errors(instance)
        .map(|e| format!("{e} at {}", e.instance_path()))
        .collect()
}

#[test]
fn every_valid_register_matches_the_schema() {
    let validator = validator();
    let mut files: Vec<String> = fixture_files("fixtures/valid")
        .into_iter()
        .map(|f| format!("fixtures/valid/{f}"))
        .collect();
    files.extend([
        "examples/acme/_base.yaml".to_owned(),
        "examples/acme-repo/registers/customers.yaml".to_owned(),
    ]);
    assert!(files.len() >= 5, "{files:?}");
    for file in files {
        let text = fs::read_to_string(&file).expect("read");
        let errors = errors(&validator, &as_json(&text));
        assert!(errors.is_empty(), "{file}: {errors:#?}");
    }
}

#[test]
fn broken_registers_do_not_match_the_schema() {
    let validator = validator();
    let valid = fs::read_to_string("fixtures/valid/company.yaml").expect("read");
    let cases = [
        // An unknown key (a typo of `legal_basis`).
        ("legal_basis: contract", "legal_bases: contract"),
        // A value outside an enum.
        ("kind: company", "kind: corporation"),
        // A wrong type.
        ("seloste: 1", "seloste: [1]"),
        // A required key missing.
        ("id: kuusiranta-asiakasrekisteri\n", ""),
    ];
    for (from, to) in cases {
        let broken = valid.replacen(from, to, 1);
        assert_ne!(broken, valid, "{from}: the fixture changed");
        let errors = errors(&validator, &as_json(&broken));
        assert!(!errors.is_empty(), "`{to}` passes the schema");
    }
    // The linter agrees: the same unknown key is a structure finding.
    let dir = tempfile::tempdir().expect("tempdir");
    let file = dir.path().join("typo.yaml");
    fs::write(
        &file,
        valid.replacen("legal_basis: contract", "legal_bases: contract", 1),
    )
    .expect("write");
    let (code, out, _) = run(seloste()
        .args(["lint", "--no-config", "--format", "short"])
        .arg(&file));
    assert_eq!(code, 1);
    assert!(out.contains("error[seloste/unknown-key]"), "{out}");
}

#[test]
fn the_example_repository_has_the_current_schema() {
    let root = env!("CARGO_MANIFEST_DIR");
    let (_, generated, _) = run(seloste().arg("schema"));
    let copy = fs::read_to_string(format!("{root}/examples/acme-repo/seloste.schema.json"))
        .expect("examples/acme-repo/seloste.schema.json");
    assert!(
        copy == generated,
        "examples/acme-repo/seloste.schema.json is stale: regenerate it with \
         `cargo run -- schema > examples/acme-repo/seloste.schema.json`"
    );
    // The register's first line points yaml-language-server at that copy.
    let register = fs::read_to_string(format!(
        "{root}/examples/acme-repo/registers/customers.yaml"
    ))
    .expect("read");
    let first = register.lines().next().unwrap_or_default();
    let target = first
        .strip_prefix("# yaml-language-server: $schema=")
        .expect("a yaml-language-server modeline on the first line");
    let resolved = std::path::Path::new(root)
        .join("examples/acme-repo/registers")
        .join(target);
    assert!(resolved.is_file(), "{} does not exist", resolved.display());
}
