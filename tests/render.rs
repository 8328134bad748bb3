//! `seloste render`: snapshots of the notices of the valid fixtures in each declared language, the
//! completeness of a notice, the gate, hostile registers, output files.

mod common;

use common::{fixture_files, fixture_text, run, seloste};

/// The languages a fixture declares (`language`, then `translations`).
fn declared(path: &str) -> Vec<String> {
    let text = fixture_text(path);
    let doc = seloste::document::load(text.as_bytes(), Default::default()).expect("yaml");
    seloste::translations::declared(&doc.root)
}

#[test]
fn every_valid_fixture_renders_in_each_declared_language() {
    let mut rendered = 0;
    for file in fixture_files("fixtures/valid") {
        let path = format!("fixtures/valid/{file}");
        for lang in declared(&path) {
            for format in ["html", "markdown"] {
                let (code, out, err) =
                    run(seloste().args(["render", &path, "--lang", &lang, "--format", format]));
                assert_eq!(code, 0, "{path} {lang} {format}: {err}");
                assert_eq!(err, "", "{path} {lang} {format}");
                let name = format!("{}.{lang}.{format}", file.trim_end_matches(".yaml"));
                insta::assert_snapshot!(name, out);
                rendered += 1;
            }
        }
    }
    // Four fixtures, one of them in two languages, two formats.
    assert_eq!(rendered, 10);
}

#[test]
fn a_bilingual_register_renders_each_language_with_its_own_texts() {
    let (_, fi, _) =
        run(seloste().args(["render", "fixtures/valid/bilingual.yaml", "--lang", "fi"]));
    let (_, sv, _) =
        run(seloste().args(["render", "fixtures/valid/bilingual.yaml", "--lang", "sv"]));
    assert!(fi.contains("<html lang=\"fi\">") && sv.contains("<html lang=\"sv\">"));
    assert!(fi.contains("Kuusirannan kaupungin varhaiskasvatuksen asiakasrekisteri"));
    assert!(sv.contains("Granstrands stads kundregister för småbarnspedagogik"));
    assert!(
        !sv.contains("Kuusirannan kaupungin varhaiskasvatuksen"),
        "{sv}"
    );
    assert!(sv.contains("10 år"), "durations in words");
    assert!(fi.contains("10 vuotta"), "durations in words");
}

/// Collapses whitespace, as the renderer does for one paragraph.
fn squash(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[test]
fn a_register_with_every_field_renders_every_value() {
    // Every field includes `complaint.scope`, itself an error (gdpr/complaint-unconditional):
    // rendered as a draft.
    let (code, html, err) =
        run(seloste().args(["render", "tests/render/complete.yaml", "--allow-errors"]));
    assert_eq!(code, 0, "{err}");
    let (code, md, err) = run(seloste().args([
        "render",
        "tests/render/complete.yaml",
        "--allow-errors",
        "--format",
        "markdown",
    ]));
    assert_eq!(code, 0, "{err}");
    let source = fixture_text("tests/render/complete.yaml");
    let doc = seloste::document::load(source.as_bytes(), Default::default()).expect("yaml");
    // Values that are not shown as written: enums (shown as words), ids, codes, dates, durations.
    let coded = [
        "seloste",
        "id",
        "kind",
        "language",
        "collection",
        "legal_basis",
        "categories",
        "special_category_condition",
        "requirement",
        "special",
        "safeguard",
        "rights",
        "country",
        "updated",
        "period",
        "aland",
        "bilingual",
        "criminal",
        "identity_code",
        "included",
        "min_age",
        "used",
    ];
    let mut checked = 0;
    let mut stack = vec![(String::new(), &doc.root)];
    while let Some((key, node)) = stack.pop() {
        use seloste::document::NodeKind;
        match &node.kind {
            NodeKind::Map(entries) => {
                stack.extend(entries.iter().map(|e| (e.key.clone(), &e.value)));
            }
            NodeKind::Seq(items) => stack.extend(items.iter().map(|i| (key.clone(), i))),
            NodeKind::Str(s) if !coded.contains(&key.as_str()) => {
                let mut escaped = seloste::render::html::escape(&squash(s));
                if key == "phone" {
                    // Numbers do not break across lines.
                    escaped = escaped.replace(' ', "&nbsp;");
                }
                assert!(html.contains(&escaped), "HTML lacks {key}: {s}");
                assert!(md.contains(&squash(s)), "Markdown lacks {key}: {s}");
                checked += 1;
            }
            _ => {}
        }
    }
    assert!(checked > 60, "{checked}");
    // The coded values, as words.
    for words in [
        "Sweden",
        "United States",
        "1 year and 6 months",
        "72 hours",
        "6 months",
        "4 May 2026",
        "Articles 13 and 14",
        "Article 6(1)(b)",
        "Article 6(1)(c)",
        "Article 6(1)(a)",
        "Article 9(2)(h)",
        "data concerning health",
        "biometric data",
        "Article 10",
        "personal identity code",
        "A child aged 13 or older",
        "a requirement necessary to enter into a contract",
        "Article 46(2)(c)",
        "Article 45",
        "Article 15",
        "Article 16",
        "Article 17",
        "Article 18",
        "Article 20",
        "Article 21",
        "Article 7(3)",
        "Article 22(3)",
        "takes place",
    ] {
        assert!(html.contains(words), "HTML lacks {words}");
        assert!(md.contains(words), "Markdown lacks {words}");
    }
}

#[test]
fn a_register_with_errors_is_not_rendered_and_its_findings_are_shown() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = dir.path().join("notice.html");
    let (code, stdout, err) = run(seloste()
        .args(["render", "fixtures/seeds/000-keha-te-live.yaml", "-o"])
        .arg(&out));
    assert_eq!(code, 1, "{err}");
    assert_eq!(stdout, "");
    assert!(err.contains("error[gdpr/rights-listed]"), "{err}");
    assert!(err.contains("not rendered"), "{err}");
    assert!(!out.exists());
    assert_eq!(
        std::fs::read_dir(dir.path()).expect("dir").count(),
        0,
        "no temporary file left"
    );
}

#[test]
fn allow_errors_renders_a_draft_with_a_banner() {
    let (code, out, err) = run(seloste().args([
        "render",
        "fixtures/seeds/000-keha-te-live.yaml",
        "--allow-errors",
    ]));
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("<p class=\"draft\">"), "{out}");
    assert!(err.contains("rendered as a draft"), "{err}");
    let (_, md, _) = run(seloste().args([
        "render",
        "fixtures/seeds/000-keha-te-live.yaml",
        "--allow-errors",
        "--format",
        "markdown",
    ]));
    assert!(md.starts_with("> **"), "{md}");
}

#[test]
fn a_language_the_register_is_not_written_in_is_a_usage_error() {
    let (code, out, err) =
        run(seloste().args(["render", "fixtures/valid/authority.yaml", "--lang", "sv"]));
    assert_eq!(code, 2);
    assert_eq!(out, "");
    insta::assert_snapshot!("undeclared_language", err);
}

#[test]
fn a_text_without_the_language_is_a_finding_at_its_span() {
    let dir = tempfile::tempdir().expect("tempdir");
    let source = fixture_text("fixtures/valid/bilingual.yaml").replace(
        "      sv: Om inkomsterna inte uppges fastställs den högsta avgiften.\n",
        "",
    );
    // The Text's span starts at its remaining `fi:` version.
    let line = 1 + source
        .lines()
        .position(|l| l.starts_with("      fi: Jos tuloja ei ilmoiteta"))
        .expect("the Finnish text");
    let at = format!("bilingual.yaml:{line}:7");
    let file = dir.path().join("bilingual.yaml");
    std::fs::write(&file, source).expect("write");
    let (code, _, err) = run(seloste().args(["render", "--lang", "sv"]).arg(&file));
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("error[seloste/missing-translation]"), "{err}");
    assert!(err.contains(&format!("{at}]")), "{at}: {err}");
    assert!(
        // The render's language is the messages' language too.
        err.contains("`purposes[1].consequences`: svensk version saknas"),
        "{err}"
    );
    // Finnish is complete: rendered (`--lang fi` checks only Finnish).
    let (code, _, err) = run(seloste().args(["render", "--lang", "fi"]).arg(&file));
    assert_eq!(code, 0, "{err}");
    // Lint reports it for every declared language, and so does a render of them all.
    let (code, out, _) = run(seloste().args(["lint", "--format", "short"]).arg(&file));
    assert_eq!(code, 1);
    assert!(
        out.contains(&format!("{at}: error[seloste/missing-translation]")),
        "{out}"
    );
    let out_dir = dir.path().join("out");
    let (code, _, err) = run(seloste()
        .args(["render", "--out-dir"])
        .arg(&out_dir)
        .arg(&file));
    assert_eq!(code, 1, "{err}");
    assert_eq!(
        err.matches("error[seloste/missing-translation]").count(),
        1,
        "{err}"
    );
    assert!(!out_dir.join("kuusiranta-varhaiskasvatus.fi.html").exists());
}

#[test]
fn hostile_values_are_text_never_markup() {
    let (code, html, err) =
        run(seloste().args(["render", "tests/render/hostile.yaml", "--allow-errors"]));
    assert_eq!(code, 0, "{err}");
    let body = &html[html.find("</style>").expect("style")..];
    for bad in [
        "<script",
        "<img",
        "<iframe",
        "<b>",
        "javascript:",
        "onmouseover=\"",
        "onclick=\"",
        "href=\"https://tietosuoja.fi\"",
    ] {
        let found = match bad {
            "javascript:" => body.contains("href=\"javascript:"),
            _ => body.contains(bad),
        };
        assert!(!found, "{bad} in {body}");
    }
    assert!(body.contains("&lt;script&gt;alert(&#39;name&#39;)"));
    // A right-to-left override would show "abcexe.png": dropped.
    assert!(
        body.contains("abcgnp.exe") && !body.contains('\u{202e}'),
        "{body}"
    );
    let (_, md, _) = run(seloste().args([
        "render",
        "tests/render/hostile.yaml",
        "--allow-errors",
        "--format",
        "markdown",
    ]));
    for bad in [
        "<script",
        "<img",
        "<iframe",
        "[click](",
        "<!--",
        "\n- # heading",
        "\n- - item",
    ] {
        assert!(!md.contains(bad), "{bad} in {md}");
    }
    assert!(md.contains("\\[click\\](javascript:alert(5))"), "{md}");
    insta::assert_snapshot!("hostile.markdown", md);
}

#[test]
fn an_id_that_is_not_a_slug_is_a_finding_and_nothing_is_written() {
    let dir = tempfile::tempdir().expect("tempdir");
    let source = fixture_text("fixtures/valid/company.yaml");
    let id_line = source.lines().find(|l| l.starts_with("id: ")).expect("id");
    let file = dir.path().join("evil.yaml");
    std::fs::write(&file, source.replace(id_line, "id: ../../escape")).expect("write");
    let out = dir.path().join("out");
    let (code, _, err) = run(seloste()
        .args(["render", "--allow-errors", "--out-dir"])
        .arg(&out)
        .arg(&file));
    assert!(err.contains("error[seloste/format]"), "{err}");
    assert!(err.contains("not a slug"), "{err}");
    assert_eq!(code, 2, "{err}");
    assert!(!dir.path().join("escape.fi.html").exists());
    let written: Vec<_> = std::fs::read_dir(&out).map_or(Vec::new(), |d| d.collect());
    assert!(written.is_empty(), "{written:?}");
}

#[test]
fn several_registers_go_to_an_output_directory_identically_on_any_thread_count() {
    let (code, _, err) = run(seloste().args(["render", "fixtures/valid"]));
    assert_eq!(code, 2);
    assert!(err.contains("use --out-dir DIR"), "{err}");
    let mut listings = Vec::new();
    for threads in ["1", "2"] {
        let dir = tempfile::tempdir().expect("tempdir");
        let (code, _, err) = run(seloste()
            .env("RAYON_NUM_THREADS", threads)
            .args(["render", "fixtures/valid", "--lang", "fi", "--out-dir"])
            .arg(dir.path()));
        assert_eq!(code, 0, "{err}");
        let mut files: Vec<(String, Vec<u8>)> = std::fs::read_dir(dir.path())
            .expect("dir")
            .filter_map(Result::ok)
            .map(|e| {
                (
                    e.file_name().to_string_lossy().into_owned(),
                    std::fs::read(e.path()).expect("read"),
                )
            })
            .collect();
        files.sort();
        listings.push(files);
    }
    let names: Vec<&str> = listings[0].iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(
        names,
        [
            "jarvilahden-lintuharrastajat-jasenrekisteri.fi.html",
            "jarvilahti-asiakaspalvelu.fi.html",
            "kuusiranta-asiakasrekisteri.fi.html",
            "kuusiranta-varhaiskasvatus.fi.html",
        ]
    );
    assert!(
        listings[0] == listings[1],
        "output differs between thread counts"
    );
}

#[test]
fn an_output_directory_gets_every_declared_language_by_default() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (code, _, err) = run(seloste()
        .args([
            "render",
            "fixtures/valid",
            "--format",
            "markdown",
            "--out-dir",
        ])
        .arg(dir.path()));
    assert_eq!(code, 0, "{err}");
    assert_eq!(
        err,
        format!("rendered 5 notices into {}\n", dir.path().display())
    );
    assert!(dir.path().join("kuusiranta-varhaiskasvatus.sv.md").exists());
    assert!(dir.path().join("kuusiranta-varhaiskasvatus.fi.md").exists());
}

#[test]
fn bad_input_gives_the_lint_findings_and_no_file() {
    for (file, code) in [
        ("fixtures/invalid/malformed.yaml", 1),
        ("fixtures/invalid/wrong-types.yaml", 1),
        ("fixtures/invalid/non-utf8.yaml", 1),
        ("fixtures/invalid/alias-bomb.yaml", 1),
        ("fixtures/invalid/empty.yaml", 2),
    ] {
        let dir = tempfile::tempdir().expect("tempdir");
        let (got, out, err) = run(seloste()
            .args(["render", file, "--allow-errors", "--out-dir"])
            .arg(dir.path()));
        let (_, lint, _) = run(seloste().args(["lint", "--format", "short", file]));
        assert_eq!(got, code, "{file}: {err}");
        assert_eq!(out, "");
        for line in lint.lines().filter(|l| l.contains("error[")) {
            let rule = line
                .split("error[")
                .nth(1)
                .and_then(|r| r.split(']').next())
                .unwrap_or("");
            assert!(
                err.contains(&format!("error[{rule}]")),
                "{file}: {rule} missing in {err}"
            );
        }
        assert_eq!(
            std::fs::read_dir(dir.path()).map_or(0, |d| d.count()),
            0,
            "{file}"
        );
    }
}

#[test]
fn notice_texts_with_a_missing_key_are_a_load_error_naming_the_file() {
    let dir = tempfile::tempdir().expect("tempdir");
    let en = fixture_text("templates/notice/en.yaml");
    let broken = en.replace("    title: Privacy notice\n", "").replace(
        "  checked: 2026-12-06\n  texts:\n    controller:",
        "  texts:\n    controller:",
    );
    std::fs::write(dir.path().join("en.yaml"), broken).expect("write");
    let (code, out, err) = run(seloste()
        .args(["render", "tests/render/complete.yaml", "--templates"])
        .arg(dir.path()));
    assert_eq!(code, 2, "{err}");
    assert_eq!(out, "");
    assert!(err.contains("en.yaml"), "{err}");
    assert!(
        err.contains("the text `document.title` is missing"),
        "{err}"
    );
    assert!(err.contains("`headings` has no `checked` date"), "{err}");
}

#[test]
fn several_registers_without_an_output_directory_write_nothing() {
    // One clean, one with errors: still two registers for one stdout.
    let (code, out, err) = run(seloste().args([
        "render",
        "fixtures/valid/company.yaml",
        "fixtures/seeds/000-keha-te-live.yaml",
    ]));
    assert_eq!(code, 2, "{err}");
    assert_eq!(out, "");
    assert!(
        err.contains("2 registers to render: use --out-dir DIR"),
        "{err}"
    );
}

#[test]
fn warnings_of_a_rendered_register_are_shown() {
    let (code, out, err) =
        run(seloste().args(["render", "tests/render/complete.yaml", "--allow-errors"]));
    assert_eq!(code, 0, "{err}");
    assert!(out.starts_with("<!DOCTYPE html>"));
    assert!(
        err.contains("warning[fi/special-category-national-basis]"),
        "{err}"
    );
}

#[test]
fn fragment_is_the_article_only() {
    let (code, out, _) =
        run(seloste().args(["render", "fixtures/valid/company.yaml", "--fragment"]));
    assert_eq!(code, 0);
    assert!(
        out.starts_with("<article class=\"seloste-notice\" lang=\"fi\">"),
        "{out}"
    );
    assert!(out.trim_end().ends_with("</article>"));
    assert!(!out.contains("<style") && !out.contains("<html"));
}

#[test]
fn the_publishing_docs_show_the_example_workflow() {
    let root = env!("CARGO_MANIFEST_DIR");
    let docs = std::fs::read_to_string(format!("{root}/docs/publishing.md")).expect("docs");
    let workflow = std::fs::read_to_string(format!(
        "{root}/examples/acme-repo/.github/workflows/publish.yml"
    ))
    .expect("workflow");
    let snippet = docs
        .split("```yaml\n")
        .nth(1)
        .and_then(|s| s.split("```").next())
        .expect("a yaml block");
    assert!(
        workflow.contains(snippet),
        "the snippet of docs/publishing.md is not in publish.yml"
    );
    // The workflow's commands work on the example repository.
    let dir = tempfile::tempdir().expect("tempdir");
    let (code, _, err) = run(seloste()
        .current_dir(format!("{root}/examples/acme-repo"))
        .args(["render", "registers", "--out-dir"])
        .arg(dir.path()));
    assert_eq!(code, 0, "{err}");
    assert!(dir.path().join("acme-customers.en.html").exists());
}
