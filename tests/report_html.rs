//! `lint --format html` (the findings report page) and `lint --statistics`.

mod common;

use common::{run, seloste};

#[test]
fn the_report_of_the_fixtures() {
    let (code, out, err) = run(seloste().args(["lint", "fixtures", "--format", "html"]));
    assert_eq!(code, 1, "{err}");
    assert!(out.starts_with("<!DOCTYPE html>\n<html lang=\"en\">"));
    // One row per register, with its date and age on the test's date (2026-11-23): 5 seeds, 5
    // real notices, 4 valid fixtures (fixtures/invalid/ holds no register that lints).
    assert_eq!(out.matches("<tr><th scope=\"row\">fixtures/").count(), 14);
    assert!(out.contains(
        "<tr><th scope=\"row\">fixtures/valid/authority.yaml</th><td class=\"num\">0</td>\
         <td class=\"num\">0</td><td class=\"num\">0</td><td>2026-10-01</td><td class=\"num\">53</td></tr>"
    ), "{out}");
    // Every finding of the human output is on the page, with its rule's docs link.
    let (_, short, _) = run(seloste().args(["lint", "fixtures", "--format", "short"]));
    let findings = short.lines().count();
    assert_eq!(out.matches("<div class=\"finding ").count(), findings);
    assert!(out.contains("<a href=\"https://github.com/seloste/seloste/blob/main/docs/rules.md#gdpr-rights-listed\">gdpr/rights-listed</a>"));
    assert!(out.contains("<pre class=\"excerpt\">"));
    assert!(out.contains("<mark>"));
    assert!(!out.contains("<script"));
    insta::assert_snapshot!(
        "report_valid",
        run(seloste().args(["lint", "fixtures/valid", "--format", "html"])).1
    );
}

#[test]
fn register_values_in_the_report_are_escaped() {
    let (_, out, _) =
        run(seloste().args(["lint", "tests/render/hostile.yaml", "--format", "html"]));
    let body = &out[out.find("</style>").expect("style")..];
    assert!(!body.contains("<script") && !body.contains("<iframe") && !body.contains("<img"));
    // The excerpt of the e-mail finding shows the attribute injection as text.
    assert!(body.contains("onclick=\\&quot;alert(2)"), "{body}");
    assert!(!body.contains("onclick=\""), "{body}");
}

#[test]
fn the_report_is_written_atomically_to_a_file() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("report.html");
    let (code, out, _) = run(seloste()
        .args(["lint", "fixtures/valid", "--format", "html", "-o"])
        .arg(&path));
    assert_eq!(code, 0);
    assert_eq!(out, "");
    let page = std::fs::read_to_string(&path).expect("written");
    assert!(page.trim_end().ends_with("</html>"));
    assert!(page.contains("No findings."));
}

#[test]
fn statistics_count_findings_per_rule() {
    let (code, out, err) = run(seloste().args(["lint", "fixtures", "--statistics"]));
    assert_eq!(code, 1, "{err}");
    insta::assert_snapshot!("statistics_fixtures", out);
    let (code, out, _) = run(seloste().args(["lint", "fixtures/valid", "--statistics"]));
    assert_eq!(code, 0);
    assert_eq!(out, "no problems in 4 files\n");
    let (code, _, err) =
        run(seloste().args(["lint", "fixtures", "--statistics", "--format", "json"]));
    assert_eq!(code, 2);
    assert!(err.contains("cannot be used with"), "{err}");
}
