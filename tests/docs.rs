//! Generated documentation: docs/rules.md is the output of `seloste rules --format markdown`.

mod common;

use common::{run, seloste};

const REGENERATE: &str = "cargo run -- rules --format markdown > docs/rules.md";

#[test]
fn docs_rules_md_is_current() {
    let (code, generated, err) = run(seloste().args(["rules", "--format", "markdown"]));
    assert_eq!(code, 0, "{err}");
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/docs/rules.md");
    let checked_in = std::fs::read_to_string(path)
        .unwrap_or_else(|e| {
            panic!("cannot read docs/rules.md ({e}); create it with `{REGENERATE}`")
        })
        .replace("\r\n", "\n");
    if checked_in != generated {
        let line = checked_in
            .lines()
            .zip(generated.lines())
            .position(|(a, b)| a != b)
            .map_or_else(
                || checked_in.lines().count().min(generated.lines().count()) + 1,
                |i| i + 1,
            );
        panic!(
            "docs/rules.md is stale (first difference at line {line}): the rule files changed. \
             Regenerate it with `{REGENERATE}` and commit the result."
        );
    }
}

#[test]
fn the_reference_has_an_index_entry_and_a_section_per_rule() {
    let (code, md, _) = run(seloste().args(["rules", "--format", "markdown"]));
    assert_eq!(code, 0);
    let rules =
        seloste::rules::load_rules(&[], true).unwrap_or_else(|_| panic!("built-in rules load"));
    for r in &rules.rules {
        let anchor = r.id.replace('/', "-");
        assert!(
            md.contains(&format!("](#{anchor})")),
            "index link for {}",
            r.id
        );
        assert!(
            md.contains(&format!("<a id=\"{anchor}\"></a>\n\n## {}\n", r.id)),
            "section for {}",
            r.id
        );
    }
    assert!(md.contains("### Pack `gdpr`") && md.contains("### Pack `fi`"));
    assert!(md.contains("<a id=\"gdpr-dpo-contact\"></a>"));
    // The rules' own `## What it checks` become subsections of the rule.
    assert!(md.contains("\n### What it checks\n"));
    assert!(!md.contains("\n## What it checks\n"));
}

#[test]
fn the_reference_follows_the_language() {
    let (code, md, _) = run(seloste().args(["rules", "--format", "markdown", "--lang", "fi"]));
    assert_eq!(code, 0);
    assert!(
        md.starts_with("# Säännöt\n"),
        "{}",
        &md[..100.min(md.len())]
    );
    assert!(md.contains("Valvontaviranomaiseksi on nimetty tietosuojavaltuutettu"));
}

/// The fenced code blocks of a Markdown file: (info string, text, line of the opening fence).
fn fenced_blocks(markdown: &str) -> Vec<(String, String, usize)> {
    let mut blocks = Vec::new();
    let mut open: Option<(String, String, usize)> = None;
    for (i, line) in markdown.lines().enumerate() {
        match open.take() {
            None => {
                if let Some(info) = line.strip_prefix("```") {
                    open = Some((info.trim().to_owned(), String::new(), i + 1));
                }
            }
            Some((info, mut text, at)) => {
                if line.trim_end() == "```" {
                    blocks.push((info, text, at));
                } else {
                    text.push_str(line);
                    text.push('\n');
                    open = Some((info, text, at));
                }
            }
        }
    }
    assert!(open.is_none(), "an unclosed code block");
    blocks
}

/// Every file a snippet may be taken from: the examples (run by tests/examples.rs and `.ci/run`),
/// the built-in rules, the valid fixtures, the hook and action definitions and the workflows.
fn tested_files() -> Vec<(String, String)> {
    let root = env!("CARGO_MANIFEST_DIR");
    let mut stack = vec![
        format!("{root}/examples"),
        format!("{root}/rules"),
        format!("{root}/fixtures/valid"),
        format!("{root}/.github/workflows"),
    ];
    let mut files = Vec::new();
    for f in [
        "action.yml",
        ".pre-commit-hooks.yaml",
        "pre-commit-hook/.pre-commit-hooks.yaml",
    ] {
        if let Ok(text) = std::fs::read_to_string(format!("{root}/{f}")) {
            files.push((f.to_owned(), text));
        }
    }
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).expect("read dir").flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path.display().to_string());
            } else if let Ok(text) = std::fs::read_to_string(&path) {
                let name = path.display().to_string();
                files.push((name.trim_start_matches(root).to_owned(), text));
            }
        }
    }
    files
}

/// The file `snippet` is taken from, if any: its parts (separated by `# ...` lines, which stand for
/// lines left out) appear in the file in order, each verbatim.
fn source_of<'f>(snippet: &str, files: &'f [(String, String)]) -> Option<&'f str> {
    let mut parts = vec![String::new()];
    for line in snippet.lines() {
        if line.trim() == "# ..." {
            parts.push(String::new());
        } else if let Some(last) = parts.last_mut() {
            last.push_str(line);
            last.push('\n');
        }
    }
    files.iter().find_map(|(name, text)| {
        let mut from = 0;
        for part in parts.iter().filter(|p| !p.is_empty()) {
            from += text[from..].find(part.as_str())? + part.len();
        }
        Some(name.as_str())
    })
}

const CONFIG_KEYS: [&str; 7] = [
    "extends",
    "language",
    "include",
    "exclude",
    "rule_dirs",
    "rules",
    "overrides",
];

/// A YAML snippet that is not taken from a file must be a whole config, and work as one: the
/// config loads (with its `rule_dirs` present, holding the example pack) and lints a register.
fn check_as_config(what: &str, snippet: &str) {
    let doc = seloste::document::load(snippet.as_bytes(), Default::default())
        .unwrap_or_else(|e| panic!("{what}: not YAML: {}", e.message));
    let json = doc.root.to_json();
    let keys: Vec<&String> = json
        .as_object()
        .unwrap_or_else(|| panic!("{what}: not a mapping"))
        .keys()
        .collect();
    assert!(
        keys.iter().all(|k| CONFIG_KEYS.contains(&k.as_str())),
        "{what}: neither taken verbatim from a tested file nor a config (keys {keys:?})"
    );
    let dir = tempfile::tempdir().expect("tempdir");
    for rule_dir in json["rule_dirs"].as_array().into_iter().flatten() {
        let target = dir.path().join(rule_dir.as_str().expect("a path"));
        std::fs::create_dir_all(&target).expect("mkdir");
        for entry in std::fs::read_dir("examples/acme").expect("pack").flatten() {
            std::fs::copy(entry.path(), target.join(entry.file_name())).expect("copy");
        }
    }
    let config = dir.path().join(".seloste.yaml");
    std::fs::write(&config, snippet).expect("write");
    let (code, out, err) = run(seloste()
        .args(["lint", "--config"])
        .arg(&config)
        .arg("fixtures/valid/company.yaml"));
    assert!(
        code == 0 || code == 1,
        "{what}: the config does not load (exit {code}):\n{out}{err}"
    );
}

/// A `text` block that starts with `$ seloste ...` is a command and its exact stdout.
fn check_command(what: &str, block: &str) {
    let mut lines = block.lines();
    let Some(command) = lines.next().and_then(|l| l.strip_prefix("$ seloste ")) else {
        panic!("{what}: a text block must start with `$ seloste ...` (a command and its output)");
    };
    let expected: String = lines.map(|l| format!("{l}\n")).collect();
    let (code, out, err) = run(seloste().args(command.split_whitespace()));
    assert!(code == 0 || code == 1, "{what}: exit {code}: {err}");
    assert_eq!(
        out, expected,
        "{what}: `seloste {command}` prints something else"
    );
}

#[test]
fn every_snippet_of_the_guides_is_tested_or_taken_from_a_tested_file() {
    let files = tested_files();
    let mut checked = 0;
    for doc in [
        "docs/configuration.md",
        "docs/custom-rules.md",
        "docs/integrations.md",
    ] {
        let path = format!("{}/{doc}", env!("CARGO_MANIFEST_DIR"));
        let markdown = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{doc}: {e}"));
        for (info, text, line) in fenced_blocks(&markdown) {
            let what = format!("{doc}:{line} ({info})");
            match info.as_str() {
                "yaml" => {
                    if source_of(&text, &files).is_none() {
                        check_as_config(&what, &text);
                    }
                }
                "text" => check_command(&what, &text),
                other => panic!("{what}: a `{other}` block: use yaml or text, so it is checked"),
            }
            checked += 1;
        }
    }
    assert!(checked >= 10, "only {checked} snippets found");
}

#[test]
fn a_snippet_that_is_not_in_a_file_is_found_out() {
    let files = vec![("a.yaml".to_owned(), "a: 1\nb:\n  c: 2\nd: 3\n".to_owned())];
    assert_eq!(source_of("b:\n  c: 2\n", &files), Some("a.yaml"));
    assert_eq!(source_of("a: 1\n# ...\nd: 3\n", &files), Some("a.yaml"));
    assert_eq!(source_of("d: 3\n# ...\na: 1\n", &files), None);
    assert_eq!(source_of("b:\n  c: 3\n", &files), None);
}

/// docs/severity.md gives every built-in rule with its severities: the default first, then those
/// of `severity_when`, as the rule files have them.
#[test]
fn the_severity_table_matches_the_rules() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/docs/severity.md");
    let doc = std::fs::read_to_string(path).expect("docs/severity.md");
    let mut table: std::collections::BTreeMap<String, Vec<String>> = Default::default();
    for line in doc.lines().filter(|l| l.starts_with("| `")) {
        let cells: Vec<&str> = line.split(" | ").collect();
        let rule = cells[0]
            .trim_start_matches("| ")
            .trim_matches('`')
            .to_owned();
        if !rule.contains('/') {
            continue; // the table of the levels
        }
        let severities: Vec<String> = cells[1]
            .split('`')
            .skip(1)
            .step_by(2)
            .filter(|w| ["error", "warning", "info"].contains(w))
            .map(str::to_owned)
            .collect();
        assert!(
            table.insert(rule.clone(), severities).is_none(),
            "{rule} is in docs/severity.md twice"
        );
    }
    let rules =
        seloste::rules::load_rules(&[], true).unwrap_or_else(|_| panic!("built-in rules load"));
    for r in &rules.rules {
        let expected: Vec<String> = std::iter::once(r.severity)
            .chain(r.severity_when.iter().map(|(s, _)| *s))
            .map(|s| s.as_str().to_owned())
            .collect();
        let documented = table
            .remove(&r.id)
            .unwrap_or_else(|| panic!("{} is missing from the table of docs/severity.md", r.id));
        assert_eq!(
            documented, expected,
            "the severities of {} in docs/severity.md (default first, then severity_when) differ \
             from the rule file",
            r.id
        );
    }
    assert!(
        table.is_empty(),
        "docs/severity.md lists rules that do not exist: {:?}",
        table.keys()
    );
}

/// The anchor GitHub gives a heading: lowercase; letters, digits, `-` and `_` kept, spaces turned
/// into `-`, the rest (backticks, parentheses, `/`, `.`) dropped. Written here, so that the test
/// checks the links the code writes against an oracle of its own.
fn slug(heading: &str) -> String {
    heading
        .chars()
        .flat_map(char::to_lowercase)
        .filter_map(|c| match c {
            ' ' => Some('-'),
            c if c.is_alphanumeric() || c == '-' || c == '_' => Some(c),
            _ => None,
        })
        .collect()
}

/// The lines of a Markdown file outside fenced code blocks (a closing fence line is kept, as
/// neither heading nor link can be on it).
fn outside_code_blocks(markdown: &str) -> impl Iterator<Item = &str> {
    let mut fenced = false;
    markdown.lines().filter(move |line| {
        if line.starts_with("```") {
            fenced = !fenced;
        }
        !fenced
    })
}

/// The anchors of a Markdown file: its headings' (a repeated one gets `-1`, `-2`, ...) and the
/// explicit `<a id="...">` ones (docs/rules.md).
fn anchors(markdown: &str) -> Vec<String> {
    let mut found: Vec<String> = Vec::new();
    for line in outside_code_blocks(markdown) {
        if let Some(text) = line.strip_prefix('#').map(|l| l.trim_start_matches('#'))
            && text.starts_with(' ')
        {
            let base = slug(text.trim());
            let n = found
                .iter()
                .filter(|a| {
                    **a == base
                        || a.strip_prefix(&format!("{base}-"))
                            .is_some_and(|n| n.parse::<usize>().is_ok())
                })
                .count();
            found.push(if n == 0 { base } else { format!("{base}-{n}") });
        }
        for part in line.split("<a id=\"").skip(1) {
            if let Some((id, _)) = part.split_once('"') {
                found.push(id.to_owned());
            }
        }
    }
    found
}

/// The relative link targets of a Markdown file, outside code blocks and spans: `](target)`.
fn links(markdown: &str) -> Vec<String> {
    let mut targets = Vec::new();
    for line in outside_code_blocks(markdown) {
        let prose: String = line.split('`').step_by(2).collect();
        for part in prose.split("](").skip(1) {
            let target = part.split([')', ' ']).next().unwrap_or_default();
            if !target.contains("://") && !target.starts_with("mailto:") {
                targets.push(target.to_owned());
            }
        }
    }
    targets
}

/// Every relative link of the docs and the README names a file that exists and, with `#`, one of
/// its headings (or explicit anchors); so do the links to the docs that the code writes
/// (`output.md#built-in-check-ids` in SARIF, the editor's diagnostics).
#[test]
fn links_between_the_docs_resolve_to_files_and_headings() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut docs: Vec<std::path::PathBuf> = std::fs::read_dir(root.join("docs"))
        .expect("docs")
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "md"))
        .collect();
    docs.push(root.join("README.md"));
    let mut broken = Vec::new();
    let mut checked = 0;
    // `target` as a link of the file `from`, relative to the directory `dir`.
    let mut check = |from: &std::path::Path, dir: &std::path::Path, target: &str| {
        let (file, anchor) = target.split_once('#').unwrap_or((target, ""));
        let path = if file.is_empty() {
            from.to_path_buf()
        } else {
            dir.join(file)
        };
        let Ok(text) = std::fs::read_to_string(&path) else {
            if !path.exists() {
                broken.push(format!("{}: {target}: no such file", from.display()));
            }
            return;
        };
        if !anchor.is_empty() && path.extension().is_some_and(|e| e == "md") {
            checked += 1;
            if !anchors(&text).iter().any(|a| a == anchor) {
                broken.push(format!("{}: {target}: no such heading", from.display()));
            }
        }
    };
    for doc in &docs {
        let text = std::fs::read_to_string(doc).expect("read");
        for target in links(&text) {
            check(doc, doc.parent().expect("a directory"), &target);
        }
    }
    for file in ["src/report/catalog.rs", "src/server/diagnostics.rs"] {
        let file = root.join(file);
        let text = std::fs::read_to_string(&file).expect("read");
        for (at, _) in text.match_indices(".md#") {
            let start = text[..at]
                .rfind(|c: char| !(c.is_alphanumeric() || c == '-' || c == '_'))
                .map_or(0, |i| i + 1);
            let end = text[at + 4..]
                .find(|c: char| !(c.is_alphanumeric() || c == '-' || c == '_'))
                .map_or(text.len(), |i| at + 4 + i);
            let target = &text[start..end];
            // `rules.md#{}`: the rule's anchor, checked by the reference's own test.
            if !target.ends_with('#') {
                check(&file, &root.join("docs"), target);
            }
        }
    }
    assert!(broken.is_empty(), "{broken:#?}");
    assert!(checked > 20, "only {checked} anchors checked");
}

#[test]
fn anchors_are_githubs() {
    let md = "# Output\n## SARIF (`--format sarif`)\n```\n# not a heading\n```\n## Notes\n## Notes\n<a id=\"gdpr-x\"></a>\n";
    assert_eq!(
        anchors(md),
        [
            "output",
            "sarif---format-sarif",
            "notes",
            "notes-1",
            "gdpr-x"
        ]
    );
}
