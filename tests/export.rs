//! `seloste export`: the record of processing activities in CSV, JSON, Markdown and XLSX.

mod common;

use common::{fixture_text, run, seloste};

/// The keys of a row, in column order.
const COLUMNS: [&str; 18] = [
    "register",
    "register_name",
    "file",
    "controller",
    "dpo",
    "purpose",
    "legal_basis",
    "laws",
    "data_subjects",
    "data_categories",
    "recipients",
    "transfers",
    "retention",
    "security",
    "updated",
    "errors",
    "warnings",
    "problem",
];

#[test]
fn the_record_of_the_fixtures_has_snapshots_in_each_format() {
    for dir in ["fixtures/valid", "fixtures/seeds"] {
        for (format, lang) in [("csv", "fi"), ("json", "en"), ("markdown", "sv")] {
            let (code, out, err) =
                run(seloste().args(["export", dir, "--format", format, "--lang", lang]));
            let expected = if dir.ends_with("seeds") { 1 } else { 0 };
            assert_eq!(code, expected, "{dir} {format}: {err}");
            let name = format!("{}.{format}.{lang}", dir.replace('/', "__"));
            insta::assert_snapshot!(name, format!("{out}--- stderr\n{err}"));
        }
    }
}

#[test]
fn one_row_per_register_and_purpose_with_stable_keys() {
    let (_, out, _) = run(seloste().args(["export", "fixtures/valid", "--format", "json"]));
    let rows: Vec<serde_json::Value> = serde_json::from_str(&out).expect("json");
    // association 3, authority 3, bilingual 2, company 4 purposes (path order).
    assert_eq!(rows.len(), 12);
    let keys: Vec<&str> = rows[0]
        .as_object()
        .expect("object")
        .keys()
        .map(String::as_str)
        .collect();
    let mut sorted = COLUMNS.to_vec();
    sorted.sort();
    assert_eq!(keys, sorted, "serde_json's map sorts the keys");
    // The output itself keeps the column order.
    let first = out.find("\"register\"").expect("register");
    let last = out.find("\"problem\"").expect("problem");
    assert!(first < last);
    assert_eq!(
        rows[0]["register"],
        "jarvilahden-lintuharrastajat-jasenrekisteri"
    );
}

/// An RFC 4180 parser for the tests: fields, quoted fields with doubled quotes, CRLF records.
fn parse_csv(text: &str, sep: char) -> Vec<Vec<String>> {
    let mut records = Vec::new();
    let mut record = Vec::new();
    let mut field = String::new();
    let mut quoted = false;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match (quoted, c) {
            (true, '"') if chars.peek() == Some(&'"') => {
                field.push('"');
                chars.next();
            }
            (true, '"') => quoted = false,
            (true, c) => field.push(c),
            (false, '"') => quoted = true,
            (false, c) if c == sep => record.push(std::mem::take(&mut field)),
            (false, '\r') => {}
            (false, '\n') => {
                record.push(std::mem::take(&mut field));
                records.push(std::mem::take(&mut record));
            }
            (false, c) => field.push(c),
        }
    }
    records
}

/// The JSON record's rows as the cells of the other formats: lists as lines, numbers as text.
fn json_cells(json: &str) -> Vec<Vec<String>> {
    let rows: Vec<serde_json::Value> = serde_json::from_str(json).expect("json");
    rows.iter()
        .map(|r| {
            COLUMNS
                .iter()
                .map(|k| match &r[*k] {
                    serde_json::Value::Array(a) => a
                        .iter()
                        .filter_map(|x| x.as_str())
                        .collect::<Vec<_>>()
                        .join("\n"),
                    serde_json::Value::String(s) => s.clone(),
                    serde_json::Value::Null => String::new(),
                    other => other.to_string(),
                })
                .collect()
        })
        .collect()
}

#[test]
fn csv_parses_into_the_rows_of_the_json_record() {
    for dir in ["fixtures/valid", "fixtures/seeds"] {
        let (_, csv, _) = run(seloste().args(["export", dir, "--format", "csv"]));
        let (_, json, _) = run(seloste().args(["export", dir, "--format", "json"]));
        let records = parse_csv(&csv, ',');
        assert_eq!(records[0][0], "Register");
        assert_eq!(records[1..].to_vec(), json_cells(&json), "{dir}");
    }
}

#[test]
fn excel_csv_has_a_bom_and_semicolons() {
    let (code, csv, _) =
        run(seloste().args(["export", "fixtures/valid", "--excel", "--lang", "fi"]));
    assert_eq!(code, 0);
    let body = csv.strip_prefix('\u{feff}').expect("a byte order mark");
    let records = parse_csv(body, ';');
    assert_eq!(records[0][0], "Rekisteri");
    assert_eq!(records[0].len(), 18);
    assert_eq!(records.len(), 13);
}

#[test]
fn values_that_look_like_formulas_stay_text() {
    let (code, csv, err) = run(seloste().args(["export", "tests/export/hostile.yaml"]));
    assert_eq!(code, 1, "{err}");
    let records = parse_csv(&csv, ',');
    let row = &records[1];
    assert_eq!(row[1], "'=HYPERLINK(\"https://evil.example\",\"click\")");
    assert!(row[3].starts_with("'+SUM(1,2)"), "{}", row[3]);
    assert_eq!(row[5], "'-2+3");
    // A cell of several lines: its first line decides.
    assert_eq!(row[13], "'=1+1\na \"quoted\"; value, with separators");
    // XLSX: strings, never formulas.
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("record.xlsx");
    let (code, _, err) = run(seloste()
        .args([
            "export",
            "tests/export/hostile.yaml",
            "--format",
            "xlsx",
            "-o",
        ])
        .arg(&path));
    assert_eq!(code, 1, "{err}");
    use calamine::{Reader, Xlsx, open_workbook};
    let mut book: Xlsx<_> = open_workbook(&path).expect("xlsx");
    let name = book.sheet_names()[0].clone();
    let formulas = book.worksheet_formula(&name).expect("formulas");
    assert!(
        formulas.used_cells().all(|(_, _, f)| f.is_empty()),
        "no formula cells"
    );
    let range = book.worksheet_range(&name).expect("sheet");
    assert_eq!(
        range.get((1, 1)).map(|c| c.to_string()),
        Some("=HYPERLINK(\"https://evil.example\",\"click\")".to_owned())
    );
}

#[test]
fn a_text_longer_than_an_excel_cell_is_cut_there() {
    use calamine::{Reader, Xlsx, open_workbook};
    let dir = tempfile::tempdir().expect("tempdir");
    let reg = dir.path().join("long.yaml");
    let source = fixture_text("fixtures/valid/company.yaml");
    let long = "pitkä ".repeat(8_000);
    std::fs::write(&reg, source.replace("Electronic direct marketing", &long)).expect("write");
    let path = dir.path().join("record.xlsx");
    let (code, _, err) = run(seloste()
        .args(["export", "--format", "xlsx", "--no-fail", "-o"])
        .arg(&path)
        .arg(&reg));
    assert_eq!(code, 0, "{err}");
    let mut book: Xlsx<_> = open_workbook(&path).expect("xlsx");
    let name = book.sheet_names()[0].clone();
    let range = book.worksheet_range(&name).expect("sheet");
    let cut = range
        .rows()
        .filter_map(|r| r.get(5).map(|c| c.to_string()))
        .find(|c| c.starts_with("pitkä"))
        .expect("the long purpose");
    assert_eq!(cut.encode_utf16().count(), 32_767);
    assert!(cut.ends_with('…'));
}

#[test]
fn xlsx_has_the_rows_of_the_json_record() {
    use calamine::{Data, Reader, Xlsx, open_workbook};
    let dir = tempfile::tempdir().expect("tempdir");
    for (lang, sheet) in [
        ("fi", "Seloste käsittelytoimista"),
        ("en", "Record of processing activities"),
    ] {
        let path = dir.path().join(format!("record-{lang}.xlsx"));
        let (code, _, err) = run(seloste()
            .args([
                "export",
                "fixtures/valid",
                "--format",
                "xlsx",
                "--lang",
                lang,
                "-o",
            ])
            .arg(&path));
        assert_eq!(code, 0, "{err}");
        let (_, json, _) = run(seloste().args([
            "export",
            "fixtures/valid",
            "--format",
            "json",
            "--lang",
            lang,
        ]));
        let mut book: Xlsx<_> = open_workbook(&path).expect("xlsx");
        assert_eq!(book.sheet_names(), [sheet]);
        let range = book.worksheet_range(sheet).expect("sheet");
        let cells: Vec<Vec<String>> = range
            .rows()
            .map(|r| {
                r.iter()
                    .map(|c| match c {
                        Data::Float(f) => format!("{f}"),
                        Data::Empty => String::new(),
                        other => other.to_string(),
                    })
                    .collect()
            })
            .collect();
        assert_eq!(cells.len(), 13, "a header and 12 rows");
        assert_eq!(cells[1..].to_vec(), json_cells(&json), "{lang}");
    }
}

#[test]
fn registers_with_problems_are_in_the_record_marked() {
    let (code, out, err) = run(seloste().args([
        "export",
        "fixtures/invalid/malformed.yaml",
        "fixtures/invalid/wrong-types.yaml",
        "fixtures/invalid/non-utf8.yaml",
        "fixtures/valid/company.yaml",
        "--format",
        "json",
    ]));
    assert_eq!(code, 1, "{err}");
    let rows: Vec<serde_json::Value> = serde_json::from_str(&out).expect("json");
    let files: Vec<&str> = rows.iter().filter_map(|r| r["file"].as_str()).collect();
    for f in [
        "fixtures/invalid/malformed.yaml",
        "fixtures/invalid/wrong-types.yaml",
        "fixtures/invalid/non-utf8.yaml",
    ] {
        let row = rows
            .iter()
            .find(|r| r["file"] == f)
            .unwrap_or_else(|| panic!("{f} in {files:?}"));
        assert!(row["problem"].is_string(), "{f}: {row}");
        assert!(row["errors"].as_u64().unwrap_or(0) > 0, "{f}");
    }
    assert!(
        rows.iter()
            .any(|r| r["file"] == "fixtures/valid/company.yaml" && r["problem"].is_null())
    );
    // --no-fail: the same record, exit 0.
    let (code, again, _) = run(seloste().args([
        "export",
        "fixtures/invalid/malformed.yaml",
        "fixtures/valid/company.yaml",
        "--no-fail",
    ]));
    assert_eq!(code, 0);
    assert!(again.contains("fixtures/invalid/malformed.yaml"));
}

#[test]
fn usage_errors_exit_2_and_write_nothing() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = dir.path().join("record.csv");
    let (code, _, err) = run(seloste()
        .args(["export", "fixtures/invalid/empty.yaml", "-o"])
        .arg(&out));
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("not a register definition"), "{err}");
    assert!(!out.exists(), "no record written");
    // A record from an earlier run is not replaced by an empty one.
    std::fs::write(&out, "the earlier record").expect("write");
    let (code, _, _) = run(seloste().args(["export", "nosuch", "-o"]).arg(&out));
    assert_eq!(code, 2);
    assert_eq!(
        std::fs::read_to_string(&out).expect("read"),
        "the earlier record"
    );
    let (code, _, err) =
        run(seloste().args(["export", "--format", "json", "--excel", "fixtures/valid"]));
    assert_eq!(code, 2);
    assert!(err.contains("--excel is for --format csv"), "{err}");
    let (code, _, err) = run(seloste().args(["export", "docs"]));
    assert_eq!(code, 2);
    assert!(
        err.contains("no register definitions found in docs"),
        "{err}"
    );
}
