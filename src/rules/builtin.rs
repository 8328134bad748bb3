//! The built-in packs, embedded in the binary, and custom rule directories.

use std::borrow::Cow;
use std::path::Path;
use std::sync::Arc;

use include_dir::{Dir, include_dir};

use crate::document::{self, Budget, Node};
use crate::finding::{FileFindings, Finding, Severity};

use super::load::{RuleSource, rule_problem};
use seloste_rulefile::lean::LANGS;

static BUILTIN: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/rules");

/// The names of the built-in packs.
pub fn packs() -> Vec<&'static str> {
    let mut names: Vec<&str> = BUILTIN.dirs().filter_map(|d| d.path().to_str()).collect();
    names.sort_unstable();
    names
}

/// The text of a built-in pack's `_data.yaml`, if it has one (`seloste init` reads the
/// Ombudsman's contact data from the `fi` pack's).
pub fn data_source(pack: &str) -> Option<&'static str> {
    BUILTIN
        .get_file(format!("{pack}/_data.yaml"))
        .and_then(|f| f.contents_utf8())
}

/// Rule sources of the built-in packs (`rules/<pack>/*.yaml`, `_`-files excluded). `trusted`
/// skips the eager compilation of messages (the test suite validates them with `false`). `lean`
/// leaves out `docs` and `tests` (cut from the text at load).
pub fn builtin_sources(
    packs: &[&str],
    trusted: bool,
    lean: bool,
) -> Result<Vec<RuleSource>, Vec<FileFindings>> {
    let mut out = Vec::new();
    for (dir, base, data) in pack_dirs(packs, lean)? {
        for f in rule_files(dir) {
            out.push(RuleSource {
                name: format!("rules/{}", f.path().display()),
                bytes: Cow::Borrowed(f.contents()),
                base: base.clone(),
                trusted,
                lean,
                data: data.clone(),
                ..Default::default()
            });
        }
    }
    Ok(out)
}

/// The lean built-in rule files, prepared by `build.rs`: `(pack, file name, text in each language
/// of [`LANGS`], the range of its parsed tree in [`TREES`] in each language)`.
#[allow(clippy::type_complexity)]
static LEAN: &[(
    &str,
    &str,
    [&str; LANGS.len()],
    [(usize, usize); LANGS.len()],
)] = include!(concat!(env!("OUT_DIR"), "/lean_rules.rs"));

/// The parsed trees of the lean rule files (see `crate::document::frozen`).
static TREES: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/lean_rules.bin"));

/// Each pack's `_data.yaml` as parsed by `build.rs`: `(pack, range of its tree in [`TREES`])`.
static DATA: &[(&str, (usize, usize))] = include!(concat!(env!("OUT_DIR"), "/lean_data.rs"));

/// What a lint run loads of the built-in packs: the rule files without docs and tests, with
/// their texts in `lang` and English only, as `build.rs` cut and parsed them (trusted, no base
/// register). A file or a language `build.rs` did not prepare is cut at load.
pub fn lean_sources(packs: &[&str], lang: &str) -> Result<Vec<RuleSource>, Vec<FileFindings>> {
    let at = LANGS.iter().position(|l| *l == lang);
    let mut out = Vec::new();
    for (dir, _, data) in pack_dirs(packs, true)? {
        let pack = dir.path().to_string_lossy();
        for f in rule_files(dir) {
            let file_name = f.path().file_name().and_then(|n| n.to_str());
            let prepared = at.and_then(|at| {
                LEAN.iter()
                    .find(|(p, name, ..)| *p == pack && name.rsplit('/').next() == file_name)
                    .map(|(_, _, texts, trees)| (texts[at], trees[at]))
            });
            let (bytes, frozen, lean, lang) = match prepared {
                Some((text, (start, end))) => {
                    let tree = TREES.get(start..end).unwrap_or_default();
                    (Cow::Borrowed(text.as_bytes()), Some(tree), false, None)
                }
                None => (
                    Cow::Borrowed(f.contents()),
                    None,
                    true,
                    Some(lang.to_owned()),
                ),
            };
            out.push(RuleSource {
                name: format!("rules/{}", f.path().display()),
                bytes,
                trusted: true,
                lean,
                data: data.clone(),
                lang,
                frozen,
                ..Default::default()
            });
        }
    }
    Ok(out)
}

/// The directories of `packs` with their base register (unless `lean`: it only serves the rule
/// tests) and shared data, in the order of the packs.
type Pack = (&'static Dir<'static>, Option<Arc<Node>>, Option<Arc<Node>>);

fn pack_dirs(packs: &[&str], lean: bool) -> Result<Vec<Pack>, Vec<FileFindings>> {
    let mut out = Vec::new();
    let mut errors = Vec::new();
    for dir in BUILTIN.dirs() {
        let pack = dir.path().to_string_lossy();
        if !packs.iter().any(|p| *p == pack) {
            continue;
        }
        let mut parsed = |file: &str, parse: fn(&str, &[u8]) -> Result<Arc<Node>, FileFindings>| {
            let f = dir.get_file(dir.path().join(file))?;
            parse(&format!("rules/{}", f.path().display()), f.contents())
                .map_err(|e| errors.push(e))
                .ok()
        };
        let base = if lean {
            None
        } else {
            parsed("_base.yaml", parse_base)
        };
        // The data tree parsed by build.rs when it thaws and is a mapping; else parsed here
        // (which reports what is wrong with it).
        let frozen = DATA
            .iter()
            .find(|(p, _)| *p == pack)
            .and_then(|(_, (start, end))| TREES.get(*start..*end))
            .and_then(document::frozen::thaw)
            .filter(|root| root.as_map().is_some());
        let data = frozen
            .map(Arc::new)
            .or_else(|| parsed("_data.yaml", parse_data));
        out.push((dir, base, data));
    }
    if errors.is_empty() {
        Ok(out)
    } else {
        Err(errors)
    }
}

/// The rule files of a built-in pack, by name.
fn rule_files(dir: &'static Dir<'static>) -> Vec<&'static include_dir::File<'static>> {
    let mut files: Vec<_> = dir.files().filter(|f| is_rule_file(f.path())).collect();
    files.sort_by_key(|f| f.path());
    files
}

fn is_rule_file(p: &Path) -> bool {
    let name = p.file_name().and_then(|n| n.to_str()).unwrap_or("");
    (name.ends_with(".yaml") || name.ends_with(".yml")) && !name.starts_with('_')
}

/// Parses a pack's `_base.yaml`.
pub fn parse_base(name: &str, bytes: &[u8]) -> Result<Arc<Node>, FileFindings> {
    document::load(bytes, Budget::default())
        .map(|d| Arc::new(d.root))
        .map_err(|e| crate::finding::FileFindings::from_load_error(e, name, "en"))
}

/// Parses a pack's `_data.yaml`: a mapping, visible to the pack's rules as the CEL variable `data`.
pub fn parse_data(name: &str, bytes: &[u8]) -> Result<Arc<Node>, FileFindings> {
    let doc = document::load(bytes, Budget::default())
        .map_err(|e| crate::finding::FileFindings::from_load_error(e, name, "en"))?;
    if doc.root.as_map().is_none() {
        let span = document::first_line(doc.root.span, &doc.source);
        return Err(FileFindings::new(
            name,
            doc.source.clone(),
            vec![
                rule_problem(
                    span,
                    format!(
                        "`_data.yaml` must be a mapping, found a {}",
                        doc.root.type_name()
                    ),
                )
                .with_help(
                    "write named lists, e.g. `eea: [AT, BE, ...]`; rules read them as `data.eea`",
                ),
            ],
        ));
    }
    let problems = dated_list_problems(&doc);
    if !problems.is_empty() {
        return Err(FileFindings::new(name, doc.source.clone(), problems));
    }
    Ok(Arc::new(doc.root))
}

/// A top-level list of mappings in `_data.yaml` is a data list of facts (repealed acts, abolished
/// authorities, processor words): every entry says where the fact was checked (`source`, a
/// non-empty string) and when (`checked`, a `YYYY-MM-DD` date), so that the list can be kept
/// current. Lists of plain values and mappings need neither.
fn dated_list_problems(doc: &document::Document) -> Vec<Finding> {
    let mut problems = Vec::new();
    for entry in doc.root.as_map().unwrap_or(&[]) {
        let Some(items) = entry.value.as_seq() else {
            continue;
        };
        if !items.iter().any(|i| i.as_map().is_some()) {
            continue;
        }
        for (i, item) in items.iter().enumerate() {
            let span = document::first_line(item.span, &doc.source);
            let what = format!("entry {} of `{}`", i + 1, entry.key);
            if item.as_map().is_none() {
                problems.push(
                    rule_problem(
                        span,
                        format!("{what} is a {}, not a mapping", item.type_name()),
                    )
                    .with_label("not a mapping")
                    .with_help("a data list of mappings holds mappings only, each with `source` and `checked`"),
                );
                continue;
            }
            let source_ok = item
                .get("source")
                .and_then(Node::as_str)
                .is_some_and(|s| !s.trim().is_empty());
            let checked = item.get("checked");
            let checked_ok = checked
                .and_then(Node::as_str)
                .is_some_and(|d| chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d").is_ok());
            let mut missing = Vec::new();
            if !source_ok {
                missing.push("`source` (where the fact was checked)");
            }
            if !checked_ok {
                missing.push(if checked.is_some() {
                    "a valid `checked` date (YYYY-MM-DD)"
                } else {
                    "`checked` (the date it was checked, YYYY-MM-DD)"
                });
            }
            if !missing.is_empty() {
                let span = match (source_ok, checked) {
                    (true, Some(c)) => document::first_line(c.span, &doc.source),
                    _ => span,
                };
                problems.push(
                    rule_problem(
                        span,
                        format!("{what} lacks {}", missing.join(" and ")),
                    )
                    .with_label("undated or unsourced")
                    .with_help(
                        "every entry of a data list gives its source and the date it was checked, \
                         e.g. `source: \"Finlex, laki 383/2023 2 §\"` and `checked: 2026-12-06`; \
                         keep the list current (docs/format.md, \"Pack data lists\")",
                    ),
                );
            }
        }
    }
    problems
}

/// Rule sources under a custom directory (recursively); each directory's `_base.yaml` is the base
/// register of the rules beside it, and its `_data.yaml` their `data`.
pub fn dir_sources(dir: &Path) -> Result<Vec<RuleSource>, Vec<FileFindings>> {
    let io_error = |p: &Path, e: std::io::Error| {
        vec![FileFindings::new(
            &p.display().to_string(),
            String::new(),
            vec![Finding::new(
                "seloste/io",
                Severity::Error,
                Default::default(),
                format!("cannot read rule directory: {e}"),
            )],
        )]
    };
    let mut out = Vec::new();
    let mut errors = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    let mut seen_dirs = 0usize;
    while let Some(d) = stack.pop() {
        seen_dirs += 1;
        if seen_dirs > 10_000 {
            break;
        }
        let mut entries: Vec<_> = std::fs::read_dir(&d)
            .map_err(|e| io_error(&d, e))?
            .filter_map(Result::ok)
            .map(|e| e.path())
            .collect();
        entries.sort();
        let mut parsed = |file: &str, parse: fn(&str, &[u8]) -> Result<Arc<Node>, FileFindings>| {
            let path = d.join(file);
            let bytes = std::fs::read(&path).ok()?;
            parse(&path.display().to_string(), &bytes)
                .map_err(|e| errors.push(e))
                .ok()
        };
        let base = parsed("_base.yaml", parse_base);
        let data = parsed("_data.yaml", parse_data);
        for p in entries {
            // Symlinked directories are not followed: a loop must not hang the load.
            if std::fs::symlink_metadata(&p).is_ok_and(|m| m.is_dir()) {
                stack.push(p);
            } else if is_rule_file(&p) {
                match std::fs::read(&p) {
                    Ok(bytes) => out.push(RuleSource {
                        name: p.display().to_string(),
                        bytes: Cow::Owned(bytes),
                        base: base.clone(),
                        data: data.clone(),
                        ..Default::default()
                    }),
                    Err(e) => errors.extend(io_error(&p, e)),
                }
            }
        }
    }
    if errors.is_empty() {
        Ok(out)
    } else {
        Err(errors)
    }
}
