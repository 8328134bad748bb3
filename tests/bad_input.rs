//! Hostile and broken input: always a located diagnostic, the right exit code, never a panic, and
//! the other files still linted.

mod common;

use std::fs;

use common::{run, seloste};

const GOOD: &str = "fixtures/valid/company.yaml";

/// Lints `content` written to `name` in a temp dir, next to a copy of a valid register.
fn lint_with_good(name: &str, content: &[u8]) -> (i32, String, String, String) {
    let dir = tempfile::tempdir().expect("tempdir");
    fs::write(dir.path().join(name), content).expect("write");
    fs::copy(GOOD, dir.path().join("good.yaml")).expect("copy");
    let (code, out, err) = run(seloste()
        .args(["lint"])
        .arg(dir.path())
        .current_dir(dir.path()));
    let dir_str = dir.path().display().to_string();
    (
        code,
        out.replace(&dir_str, "[DIR]"),
        err.replace(&dir_str, "[DIR]"),
        dir_str,
    )
}

fn json_of(name: &str, content: &[u8]) -> Vec<serde_json::Value> {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join(name);
    fs::write(&path, content).expect("write");
    let (_, out, err) = run(seloste().args(["lint", "--format", "json"]).arg(&path));
    serde_json::from_str(&out).unwrap_or_else(|e| panic!("{e}: {out} {err}"))
}

fn no_panic(err: &str) {
    assert!(
        !err.contains("panicked") && !err.contains("internal error"),
        "{err}"
    );
}

#[test]
fn malformed_yaml_is_one_finding_and_others_still_run() {
    let (code, out, err, _) = lint_with_good("bad.yaml", b"seloste: 1\nid: x\nname: [unclosed\n");
    no_panic(&err);
    assert_eq!(code, 1);
    insta::assert_snapshot!("malformed_yaml", out);
}

#[test]
fn syntax_and_budget_errors_are_located() {
    let cases: Vec<(&str, Vec<u8>)> = vec![
        ("tabs", b"seloste: 1\n\tid: x\n".to_vec()),
        (
            "unclosed_flow",
            b"seloste: 1\nid: [a, b\nname: x\n".to_vec(),
        ),
        (
            "multi_document",
            b"seloste: 1\nid: a\n---\nseloste: 1\nid: b\n".to_vec(),
        ),
        ("non_utf8", b"seloste: 1\nid: caf\xe9\n".to_vec()),
        ("deep_nesting", {
            let mut v = b"seloste: 1\nid: ".to_vec();
            v.extend("[".repeat(10_000).bytes());
            v.extend("]".repeat(10_000).bytes());
            v
        }),
        ("alias_bomb", {
            let mut s = String::from("seloste: 1\na: &a [x, x, x, x, x, x, x, x, x]\n");
            for i in 0..9 {
                let prev = if i == 0 {
                    "a".to_string()
                } else {
                    format!("b{}", i - 1)
                };
                let refs = vec![format!("*{prev}"); 9].join(", ");
                s.push_str(&format!("b{i}: &b{i} [{refs}]\n"));
            }
            s.into_bytes()
        }),
    ];
    let mut report = String::new();
    for (name, bytes) in cases {
        let findings = json_of(&format!("{name}.yaml"), &bytes);
        assert_eq!(findings.len(), 1, "{name}: {findings:#?}");
        let f = &findings[0];
        report.push_str(&format!(
            "{name}: {} {}:{} {}\n",
            f["rule"].as_str().unwrap_or(""),
            f["start"]["line"],
            f["start"]["column"],
            f["message"].as_str().unwrap_or("")
        ));
    }
    insta::assert_snapshot!("syntax_and_budget_errors", report);
}

#[test]
fn a_huge_file_is_refused_quickly() {
    let mut big = b"seloste: 1\nid: big\nsecurity:\n".to_vec();
    while big.len() < 9 * 1024 * 1024 {
        big.extend_from_slice(b"  - salattu yhteys ja kaksivaiheinen tunnistautuminen\n");
    }
    let f = json_of("big.yaml", &big);
    assert_eq!(f.len(), 1);
    assert!(
        f[0]["message"].as_str().unwrap_or("").contains("bytes"),
        "{f:#?}"
    );
}

#[test]
fn bom_and_crlf_keep_spans_right() {
    let lf = fs::read_to_string("fixtures/seeds/001-kainuu-te-webropol.yaml").expect("read");
    let crlf = format!("\u{feff}{}", lf.replace('\n', "\r\n"));
    let a = json_of("lf.yaml", lf.as_bytes());
    let b = json_of("crlf.yaml", crlf.as_bytes());
    assert_eq!(a.len(), b.len());
    for (x, y) in a.iter().zip(&b) {
        assert_eq!(x["rule"], y["rule"]);
        assert_eq!(x["start"]["line"], y["start"]["line"], "{x} vs {y}");
        assert_eq!(x["end"]["line"], y["end"]["line"]);
        let col_x = x["start"]["column"].as_u64().unwrap_or(0);
        let col_y = y["start"]["column"].as_u64().unwrap_or(0);
        // The BOM is a character of line 1 only.
        let shift = u64::from(x["start"]["line"] == 1);
        assert_eq!(col_x + shift, col_y, "{x} vs {y}");
    }
}

#[test]
fn empty_and_non_register_files() {
    // In a directory walk, files without the marker are not registers: skipped silently.
    let (code, out, err, _) = lint_with_good("empty.yaml", b"");
    no_panic(&err);
    assert_eq!(code, 0, "{out}{err}");
    assert_eq!(out, "no problems in 1 file\n");
    // Named explicitly, a file without the marker is a usage error naming the file.
    let dir = tempfile::tempdir().expect("tempdir");
    let p = dir.path().join("other.yaml");
    fs::write(&p, "foo: bar\n").expect("write");
    let (code, _, err) = run(seloste().args(["lint"]).arg(&p).arg(GOOD));
    assert_eq!(code, 2);
    assert!(
        err.contains("other.yaml: not a register definition"),
        "{err}"
    );
    let (code, _, err) = run(seloste().args(["lint", "does/not/exist.yaml"]));
    assert_eq!(code, 2);
    assert!(err.contains("does/not/exist.yaml"), "{err}");
}

#[test]
fn structure_problems_are_reported_with_did_you_mean() {
    let yaml = "\
seloste: 1
id: rekisteri
name: Asiakasrekisteri
langauge: fi
controller:
  name: Esimerkki Oy
  kind: compnay
  phone: 0295024000
purposes:
  - id: a
    description: Asiakassuhde
    legal_basis: [contract, consnet]
    laws: Kirjanpitolaki
  - id: a
    description: Toinen
    legal_basis: contract
    categories: [identiti]
data_categories:
  - id: identity
retention: {period: 6 kk}
updated: 2026-13-01
controller: {name: again}
";
    let (_, out, err) = {
        let dir = tempfile::tempdir().expect("tempdir");
        let p = dir.path().join("structure.yaml");
        fs::write(&p, yaml).expect("write");
        let (c, o, e) = run(seloste().args(["lint"]).arg(&p).current_dir(dir.path()));
        let d = dir.path().display().to_string();
        (c, o.replace(&d, "[DIR]"), e)
    };
    no_panic(&err);
    insta::assert_snapshot!("structure_problems", out);
}

#[test]
fn symlink_loops_do_not_hang() {
    let dir = tempfile::tempdir().expect("tempdir");
    fs::copy(GOOD, dir.path().join("good.yaml")).expect("copy");
    #[cfg(unix)]
    std::os::unix::fs::symlink(dir.path(), dir.path().join("loop")).expect("symlink");
    let (code, out, err) = run(seloste().args(["lint"]).arg(dir.path()));
    no_panic(&err);
    assert_eq!(code, 0, "{out}{err}");
}

#[test]
fn a_source_supplying_an_unknown_category_is_an_unknown_ref() {
    let base = fs::read_to_string("fixtures/valid/company.yaml").expect("read");
    let register = base.replacen(
        "sources:\n",
        "sources:\n  - {kind: data_subject, description: Asiakas, categories: [contact-detials]}\n",
        1,
    );
    assert_ne!(register, base, "company.yaml has sources");
    let f = json_of("source-ref.yaml", register.as_bytes());
    let refs: Vec<_> = f
        .iter()
        .filter(|f| f["rule"] == "seloste/unknown-ref")
        .collect();
    assert_eq!(refs.len(), 1, "{f:#?}");
    assert_eq!(refs[0]["path"], "sources[0].categories[0]", "{f:#?}");
    assert!(
        refs[0]["message"]
            .as_str()
            .is_some_and(|m| m.contains("source supplies the unknown data category")),
        "{f:#?}"
    );
}
