//! Cutting the built-in rule files down to what a lint run reads: no `docs` or `tests`, and the
//! titles, messages and help only in the language shown and English.
//!
//! Those parts are most of the embedded text, and parsing them was a fifth of a one-file run. The
//! cut is done on the text, line by line, by rules that hold for the built-in files (the test
//! suite checks that the lean files load the same as the full ones). `build.rs` uses it to cut the
//! built-in files once per build (seloste's `rules::builtin::lean_sources`); the loader uses it
//! for other languages.

/// The languages `build.rs` prepares lean rule files for.
pub const LANGS: [&str; 3] = ["en", "fi", "sv"];

/// `text` without `docs` and `tests`, and, given a language, without the titles, messages and
/// help in other languages than it and English.
pub fn lean(text: &str, lang: Option<&str>) -> String {
    let text = strip_top_level(text, &["docs", "tests"]);
    match lang {
        Some(lang) => strip_languages(&text, &[lang, "en"]),
        None => text,
    }
}

/// `text` without the given top-level keys and their blocks. Only for the built-in rule files,
/// whose layout the test suite checks (`lean_rule_files_load_the_same`): every top-level key
/// starts at column 0 and everything under it is indented.
pub fn strip_top_level(text: &str, keys: &[&str]) -> String {
    let mut out = String::with_capacity(text.len());
    let mut skipping = false;
    for line in text.split_inclusive('\n') {
        let top = line.starts_with(|c: char| !c.is_whitespace() && c != '#');
        if top {
            skipping = keys
                .iter()
                .any(|k| line.strip_prefix(k).is_some_and(|r| r.starts_with(':')));
        }
        if !skipping {
            out.push_str(line);
        }
    }
    out
}

/// `text` without the titles, messages and help in other languages than `keep`. Same layout
/// assumptions as [`strip_top_level`], and under `title`, `message` and `help` every language is a
/// key indented by two spaces (`  fi: ...`), its text indented further.
pub fn strip_languages(text: &str, keep: &[&str]) -> String {
    let mut out = String::with_capacity(text.len());
    let mut localized = false;
    let mut skipping = false;
    for line in text.split_inclusive('\n') {
        if line.starts_with(|c: char| !c.is_whitespace() && c != '#') {
            localized = ["title", "message", "help", "label"]
                .iter()
                .any(|k| line.strip_prefix(k).is_some_and(|r| r.starts_with(':')));
            skipping = false;
        } else if localized
            && let Some(rest) = line.strip_prefix("  ")
            && let Some((key, _)) = rest.split_once(':')
            && key.len() == 2
            && key.bytes().all(|b| b.is_ascii_lowercase())
        {
            skipping = !keep.contains(&key);
        }
        if !skipping {
            out.push_str(line);
        }
    }
    out
}
