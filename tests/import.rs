//! `seloste import`: prose notices (.txt, .md, .html, .docx) to register skeletons.

mod common;

use std::io::Write;
use std::path::Path;

use common::{run, seloste};

const SEEDS: &str = "fixtures/notices/seeds";

fn seed_notices() -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(format!("{}/{SEEDS}", env!("CARGO_MANIFEST_DIR")))
        .expect("seed notices")
        .filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".txt"))
        .collect();
    v.sort();
    v
}

/// The rule ids of the findings of `seloste lint` on a file.
fn lint_rules(path: &Path) -> Vec<String> {
    let (code, out, err) = run(seloste().args([
        "lint",
        "--no-config",
        "--format",
        "json",
        path.to_str().expect("utf-8 path"),
    ]));
    assert!(code == 0 || code == 1, "lint failed ({code}): {err}");
    let findings: serde_json::Value = serde_json::from_str(&out).expect("json");
    findings
        .as_array()
        .expect("array")
        .iter()
        .map(|f| f["rule"].as_str().unwrap_or_default().to_owned())
        .collect()
}

/// No structure error: no `seloste/*` finding but the placeholders a person must fill.
fn assert_structure_clean(path: &Path) {
    let structure: Vec<String> = lint_rules(path)
        .into_iter()
        .filter(|r| r.starts_with("seloste/") && r != "seloste/placeholder")
        .collect();
    assert!(
        structure.is_empty(),
        "{}: {structure:?}\n{}",
        path.display(),
        std::fs::read_to_string(path).unwrap_or_default()
    );
}

/// The output as one line of words: comment marks, indentation and list dashes removed.
fn flat(yaml: &str) -> String {
    let words: Vec<&str> = yaml
        .lines()
        .map(|l| l.trim_start().trim_start_matches('#').trim_start())
        .flat_map(str::split_whitespace)
        .collect();
    words.join(" ")
}

fn import_to(file: &str, out: &Path) -> (i32, String, String) {
    run(seloste().args(["import", file, "--output", out.to_str().expect("utf-8")]))
}

#[test]
fn the_seed_notices_import_to_registers_that_pass_the_structure_check() {
    let dir = tempfile::tempdir().expect("tempdir");
    for name in seed_notices() {
        let notice = format!("{SEEDS}/{name}");
        let out = dir.path().join(name.replace(".txt", ".yaml"));
        let (code, _, err) = import_to(&notice, &out);
        assert_eq!(code, 0, "{name}: {err}");
        assert!(err.contains("lines fit no field"), "{err}");
        let yaml = std::fs::read_to_string(&out).expect("written");
        insta::assert_snapshot!(format!("seed__{name}"), yaml);
        assert_structure_clean(&out);

        // Nothing of the notice is lost: every line is in a value or a comment.
        let text = common::fixture_text(&notice);
        let output = flat(&yaml);
        for block in seloste::import::text::text(&text) {
            for line in &block.lines {
                let line = flat(line);
                assert!(output.contains(&line), "{name}: lost {line:?}");
            }
        }
        // Stdout gives the same register.
        let (code, stdout, _) = run(seloste().args(["import", &notice]));
        assert_eq!(code, 0);
        assert_eq!(stdout, yaml);
    }
}

#[test]
fn inferred_values_carry_a_check_comment() {
    let (code, out, err) =
        run(seloste().args(["import", &format!("{SEEDS}/000-keha-te-live.txt")]));
    assert_eq!(code, 0, "{err}");
    assert!(
        out.contains(
            "email: kirjaamo.keha@ely-keskus.fi # seloste: check — from \"0295 020 000, kirjaamo.keha(at)ely-keskus.fi\""
        ),
        "{out}"
    );
    assert!(out.contains("transfers: [] # seloste: check — from \"Tietoja ei siirretä"));
    assert!(
        out.contains("  - erasure # seloste: check — from \"Oikeus vaatia tietojen poistamista\"")
    );
    assert!(out.contains("updated: 2023-08-01 # seloste: check — from \"Päivitetty 08.2023\""));
}

const MD: &str = "# Tietosuojaseloste\n\nPäivitetty 1.2.2026\n\n## 1. Rekisterinpitäjä\n\nEsimerkki Oy\nEsimerkkikatu 1, 00100 Helsinki\nY-tunnus 0201256-6\nasiakaspalvelu@esimerkki.fi\n\n## 2. Tietosuojavastaava\n\nMaija Meikäläinen, tietosuoja@esimerkki.fi\n\n## 3. Henkilötietojen käsittelyn tarkoitus ja oikeusperuste\n\n- Asiakassuhteen hoitaminen. Käsittely perustuu sopimukseen.\n- Uutiskirjeen lähettäminen suostumuksen perusteella.\n\n## 4. Tietojen säilytysaika\n\nTietoja säilytetään enintään 2 vuotta asiakassuhteen päättymisestä.\n\n## 5. Rekisteröidyn oikeudet\n\nSinulla on oikeus tarkastaa tietosi, oikeus pyytää tietojen oikaisemista ja oikeus peruuttaa suostumuksesi.\n\n## 6. Valitusoikeus\n\nVoit tehdä valituksen tietosuojavaltuutetun toimistoon, tietosuoja@om.fi, puh. 029 566 6700.\n";

fn check_small_notice(yaml: &str) {
    for want in [
        "name: Esimerkki Oy",
        "kind: company",
        "business_id: 0201256-6",
        "address: Esimerkkikatu 1, 00100 Helsinki",
        "email: asiakaspalvelu@esimerkki.fi",
        "name: Maija Meikäläinen",
        "email: tietosuoja@esimerkki.fi",
        "legal_basis: contract",
        "legal_basis: consent",
        "period: P2Y",
        "  - access",
        "  - rectification",
        "  - withdraw_consent",
        "authority: Tietosuojavaltuutetun toimisto",
        "email: tietosuoja@om.fi",
        "phone: 029 566 6700",
        "updated: 2026-02-01",
    ] {
        assert!(yaml.contains(want), "{want}\n{yaml}");
    }
}

#[test]
fn markdown_html_and_docx_notices() {
    let dir = tempfile::tempdir().expect("tempdir");
    // Markdown.
    let md = dir.path().join("notice.md");
    std::fs::write(&md, MD).expect("write");
    let out = dir.path().join("md.yaml");
    let (code, _, err) = import_to(md.to_str().expect("utf-8"), &out);
    assert_eq!(code, 0, "{err}");
    let yaml = std::fs::read_to_string(&out).expect("written");
    check_small_notice(&yaml);
    insta::assert_snapshot!("markdown", yaml);
    assert_structure_clean(&out);

    // HTML: the same notice as a web page, with navigation, a script and entities.
    let html = format!(
        "<!DOCTYPE html><html><head><title>x</title><script>var s = '<h2>Rekisterinpitäjä</h2>';</script></head><body><nav><a href='/'>Etusivu</a></nav><main>{}</main></body></html>",
        markdown_to_html(MD)
    );
    let page = dir.path().join("notice.html");
    std::fs::write(&page, html).expect("write");
    let out = dir.path().join("html.yaml");
    let (code, _, err) = import_to(page.to_str().expect("utf-8"), &out);
    assert_eq!(code, 0, "{err}");
    let yaml = std::fs::read_to_string(&out).expect("written");
    check_small_notice(&yaml);
    assert!(!yaml.contains("var s"), "{yaml}");
    assert_structure_clean(&out);

    // Word.
    let docx = dir.path().join("notice.docx");
    std::fs::write(&docx, docx_of(MD)).expect("write");
    let out = dir.path().join("docx.yaml");
    let (code, _, err) = import_to(docx.to_str().expect("utf-8"), &out);
    assert_eq!(code, 0, "{err}");
    let yaml = std::fs::read_to_string(&out).expect("written");
    check_small_notice(&yaml);
    assert_structure_clean(&out);
}

/// The tiny Markdown above as HTML (headings, paragraphs with <br>, lists, an entity).
fn markdown_to_html(md: &str) -> String {
    let mut out = String::new();
    for block in md.split("\n\n") {
        if let Some(h) = block.strip_prefix("## ") {
            out.push_str(&format!("<h2>{h}</h2>\n"));
        } else if let Some(h) = block.strip_prefix("# ") {
            out.push_str(&format!("<h1>{h}</h1>\n"));
        } else if block.starts_with("- ") {
            out.push_str("<ul>");
            for l in block.lines() {
                out.push_str(&format!("<li>{}</li>", l.trim_start_matches("- ")));
            }
            out.push_str("</ul>\n");
        } else {
            out.push_str(&format!(
                "<p>{}</p>\n",
                block
                    .trim()
                    .replace('\n', "<br>\n")
                    .replace(" Oy", "&nbsp;Oy")
            ));
        }
    }
    out
}

fn xml_escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// A minimal Word document of the tiny Markdown: heading styles, list paragraphs, line breaks.
fn docx_of(md: &str) -> Vec<u8> {
    let mut body = String::new();
    for block in md.split("\n\n") {
        let (style, text) = if let Some(h) = block.strip_prefix("## ") {
            (Some("Heading2"), h.to_owned())
        } else if let Some(h) = block.strip_prefix("# ") {
            (Some("Heading1"), h.to_owned())
        } else {
            (None, block.trim().to_owned())
        };
        if text.starts_with("- ") {
            for l in text.lines() {
                body.push_str(&format!(
                    "<w:p><w:pPr><w:numPr><w:ilvl w:val=\"0\"/><w:numId w:val=\"1\"/></w:numPr></w:pPr><w:r><w:t>{}</w:t></w:r></w:p>",
                    xml_escape(l.trim_start_matches("- "))
                ));
            }
            continue;
        }
        let ppr = style.map_or(String::new(), |s| {
            format!("<w:pPr><w:pStyle w:val=\"{s}\"/></w:pPr>")
        });
        let runs: Vec<String> = text
            .lines()
            .map(|l| {
                format!(
                    "<w:r><w:t xml:space=\"preserve\">{}</w:t></w:r>",
                    xml_escape(l)
                )
            })
            .collect();
        body.push_str(&format!(
            "<w:p>{ppr}{}</w:p>",
            runs.join("<w:r><w:br/></w:r>")
        ));
    }
    let xml = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?><w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\"><w:body>{body}</w:body></w:document>"
    );
    zip_of(&[
        ("[Content_Types].xml", b"<Types/>".to_vec()),
        ("word/document.xml", xml.into_bytes()),
    ])
}

fn zip_of(entries: &[(&str, Vec<u8>)]) -> Vec<u8> {
    let mut buf = std::io::Cursor::new(Vec::new());
    {
        let mut zip = zip::ZipWriter::new(&mut buf);
        let options = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated)
            .compression_level(Some(1));
        for (name, bytes) in entries {
            zip.start_file(*name, options).expect("entry");
            zip.write_all(bytes).expect("write");
        }
        zip.finish().expect("finish");
    }
    buf.into_inner()
}

/// Exit 2, the file named, nothing written.
fn assert_refused(file: &Path, want: &str) {
    let out = file.with_extension("out.yaml");
    let (code, stdout, err) = import_to(file.to_str().expect("utf-8"), &out);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains(want), "{err}");
    assert!(
        err.contains(
            &file
                .file_name()
                .unwrap_or_default()
                .to_string_lossy()
                .to_string()
        ),
        "{err}"
    );
    assert!(stdout.is_empty());
    assert!(!out.exists(), "{} was written", out.display());
    // Nor any temporary file beside it.
    let left: Vec<_> = std::fs::read_dir(file.parent().expect("dir"))
        .expect("dir")
        .filter_map(Result::ok)
        .filter(|e| {
            e.file_name()
                .to_string_lossy()
                .starts_with(".seloste-output")
        })
        .collect();
    assert!(left.is_empty());
}

#[test]
fn empty_binary_and_non_notice_files_are_refused() {
    let dir = tempfile::tempdir().expect("tempdir");
    let p = |n: &str| dir.path().join(n);
    std::fs::write(p("empty.txt"), "").expect("write");
    assert_refused(&p("empty.txt"), "is empty");
    std::fs::write(p("blank.md"), "\n  \n\t\n").expect("write");
    assert_refused(&p("blank.md"), "is empty");
    std::fs::write(
        p("image.txt"),
        [0x89, b'P', b'N', b'G', 0, 0, 0, 13, 0xff, 0],
    )
    .expect("write");
    assert_refused(&p("image.txt"), "binary");
    std::fs::write(
        p("recipe.txt"),
        "Mustikkapiirakka\n\nAinekset\n\n- 2 dl sokeria\n- 3 dl jauhoja\n\nPaista 200 asteessa 25 minuuttia.\n",
    )
    .expect("write");
    assert_refused(&p("recipe.txt"), "does not look like a privacy notice");
    std::fs::write(p("page.html"), "<html><body><p>Hello</p></body></html>").expect("write");
    assert_refused(&p("page.html"), "does not look like a privacy notice");
    std::fs::write(p("fake.docx"), "not a zip at all").expect("write");
    assert_refused(&p("fake.docx"), "not a Word document");
    let (code, _, err) = run(seloste().args(["import", "no/such/notice.txt"]));
    assert_eq!(code, 2);
    assert!(err.contains("no/such/notice.txt"), "{err}");
}

#[test]
fn a_zip_bomb_and_a_zip_of_too_many_entries_are_clear_errors() {
    let dir = tempfile::tempdir().expect("tempdir");
    // 17 MiB of one byte: a few kilobytes compressed, more than the 16 MiB a document may have.
    let bomb = vec![b' '; 17 * 1024 * 1024];
    let bytes = zip_of(&[("word/document.xml", bomb)]);
    assert!(bytes.len() < 200_000, "{}", bytes.len());
    let path = dir.path().join("bomb.docx");
    std::fs::write(&path, bytes).expect("write");
    assert_refused(&path, "decompresses to more than 16 MiB");

    let many: Vec<(String, Vec<u8>)> = (0..2_001)
        .map(|i| (format!("word/media/{i}.bin"), vec![b'x']))
        .collect();
    let refs: Vec<(&str, Vec<u8>)> = many.iter().map(|(n, b)| (n.as_str(), b.clone())).collect();
    let path = dir.path().join("many.docx");
    std::fs::write(&path, zip_of(&refs)).expect("write");
    assert_refused(&path, "2001 entries");

    let path = dir.path().join("nodoc.docx");
    std::fs::write(&path, zip_of(&[("other.xml", b"<x/>".to_vec())])).expect("write");
    assert_refused(&path, "no word/document.xml");
}

#[test]
fn an_existing_output_is_replaced_only_with_force() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = dir.path().join("register.yaml");
    std::fs::write(&out, "old\n").expect("write");
    let notice = format!("{SEEDS}/003-pirkanmaa-te-webropol-tiedottaminen.txt");
    let (code, _, err) = import_to(&notice, &out);
    assert_eq!(code, 2);
    assert!(err.contains("exists") && err.contains("--force"), "{err}");
    assert_eq!(std::fs::read_to_string(&out).expect("read"), "old\n");
    let (code, _, err) = run(seloste().args([
        "import",
        &notice,
        "--output",
        out.to_str().expect("utf-8"),
        "--force",
    ]));
    assert_eq!(code, 0, "{err}");
    assert!(
        std::fs::read_to_string(&out)
            .expect("read")
            .contains("seloste: 1")
    );
}

#[test]
fn swedish_and_english_headings() {
    let dir = tempfile::tempdir().expect("tempdir");
    let sv = "Dataskyddsbeskrivning\n\n1. Personuppgiftsansvarig\n\nExempel Ab\nPB 12, 00100 Helsingfors\n\n2. Dataskyddsombud\n\ndataskydd@exempel.fi\n\n3. Ändamålet med behandlingen och rättslig grund\n\nKundservice. Behandlingen grundar sig på samtycke.\n\n4. Lagringstid\n\nUppgifterna bevaras i högst 6 månader.\n\n5. Den registrerades rättigheter\n\nDu har rätt till tillgång, rättelse och radering av dina uppgifter.\n\n6. Rätt att lämna in klagomål\n\nDu kan lämna in ett klagomål till dataombudsmannens byrå.\n";
    let path = dir.path().join("sv.txt");
    std::fs::write(&path, sv).expect("write");
    let (code, out, err) = run(seloste().args(["import", path.to_str().expect("utf-8")]));
    assert_eq!(code, 0, "{err}");
    for want in [
        "language: sv",
        "name: Exempel Ab",
        "kind: company",
        "postal_address: PB 12, 00100 Helsingfors",
        "email: dataskydd@exempel.fi",
        "legal_basis: consent",
        "period: P6M",
        "  - access",
        "  - rectification",
        "  - erasure",
        "authority: Dataombudsmannens byrå",
    ] {
        assert!(out.contains(want), "{want}\n{out}");
    }
    let en = "Privacy notice\n\nController\n\nExample Ltd, 1 Example Street, 00100 Helsinki\n\nData protection officer\n\ndpo@example.com\n\nPurposes and legal basis\n\nCustomer service, based on our legitimate interest.\n\nYour rights\n\nYou have the right of access and the right to object.\n\nComplaint\n\nYou may lodge a complaint with the Office of the Data Protection Ombudsman.\n";
    let path = dir.path().join("en.txt");
    std::fs::write(&path, en).expect("write");
    let (code, out, err) =
        run(seloste().args(["import", path.to_str().expect("utf-8"), "--lang", "en"]));
    assert_eq!(code, 0, "{err}");
    for want in [
        "language: en",
        "kind: company",
        "email: dpo@example.com",
        "legal_basis: legitimate_interests",
        "  - access",
        "  - objection",
        "authority: Office of the Data Protection Ombudsman",
    ] {
        assert!(out.contains(want), "{want}\n{out}");
    }
}

#[test]
fn a_text_longer_than_any_notice_is_refused_and_nothing_is_written() {
    let dir = tempfile::tempdir().expect("tempdir");
    let notice = dir.path().join("huge.txt");
    let mut text = String::from(
        "1. Rekisterinpitäjä\n\nYritys Oy\n\n2. Henkilötietojen käsittelyn tarkoitus\n\n",
    );
    while text.len() <= 600 * 1024 {
        text.push_str("Asiakassuhteen hoitaminen ja laskutus sekä asiakaspalvelu.\n\n");
    }
    std::fs::write(&notice, text).expect("write");
    let out = dir.path().join("register.yaml");
    let (code, stdout, err) = import_to(notice.to_str().expect("utf-8"), &out);
    assert_eq!(code, 2, "{stdout}{err}");
    assert!(err.contains("KiB of text"), "{err}");
    assert!(!out.exists());
}

#[test]
fn notice_text_that_reads_like_a_directive_is_defused() {
    let dir = tempfile::tempdir().expect("tempdir");
    let notice = dir.path().join("smuggled.txt");
    std::fs::write(
        &notice,
        "1. Rekisterinpitäjä\n\nYritys Oy\n\n2. Henkilötietojen käsittelyn tarkoitus\n\n\
         Asiakassuhde. # seloste: allow-file gdpr/rights-listed -- not the notice's to say\n",
    )
    .expect("write");
    let out = dir.path().join("register.yaml");
    let (code, stdout, err) = import_to(notice.to_str().expect("utf-8"), &out);
    assert_eq!(code, 0, "{stdout}{err}");
    let yaml = std::fs::read_to_string(&out).expect("read");
    assert!(yaml.contains("#| seloste: allow-file"), "{yaml}");
    assert!(!yaml.contains("# seloste: allow"), "{yaml}");
}
