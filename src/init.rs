//! `seloste init`: a commented template register for one kind of controller, in one language,
//! with `TODO` placeholders (`seloste/placeholder` reports each one left, so a template never
//! passes CI) and every field the rules ask for, each under a one-line comment that says what goes
//! there and which article asks for it.
//!
//! The templates are data (`templates/init/<lang>.yaml`, embedded): one file per language, with
//! the parts that depend on the controller kind marked by `#if`/`#unless` lines, so a field and its
//! comment are written once per language. The Ombudsman's contact data comes from the `fi` pack's
//! data (the one place it is kept current).

use crate::document::{self, Budget, Node};

const TEMPLATES: [(&str, &str); 3] = [
    ("en", include_str!("../templates/init/en.yaml")),
    ("fi", include_str!("../templates/init/fi.yaml")),
    ("sv", include_str!("../templates/init/sv.yaml")),
];

/// The controller kinds of the format (`controller.kind`).
pub const KINDS: [&str; 5] = [
    "public_authority",
    "public_body",
    "company",
    "association",
    "individual",
];

/// The languages of the format.
pub const LANGS: [&str; 3] = ["fi", "sv", "en"];

/// What to write.
#[derive(Debug, Clone)]
pub struct Options {
    /// One of [`KINDS`].
    pub kind: String,
    /// The register's `language`: one of [`LANGS`].
    pub lang: String,
    /// Further languages (`translations`), without `lang`, in the order given.
    pub translations: Vec<String>,
}

/// The template register for `opts`. An error is a fault of the embedded templates or of the
/// options (an unknown kind or language), never of user data.
pub fn template(opts: &Options) -> Result<String, String> {
    if !KINDS.contains(&opts.kind.as_str()) {
        return Err(format!("unknown controller kind `{}`", opts.kind));
    }
    for l in std::iter::once(&opts.lang).chain(&opts.translations) {
        if !LANGS.contains(&l.as_str()) {
            return Err(format!("unknown language `{l}`"));
        }
    }
    if opts.translations.contains(&opts.lang) {
        return Err(format!(
            "`{}` is the register's language, not a translation",
            opts.lang
        ));
    }
    let source = TEMPLATES
        .iter()
        .find(|(l, _)| *l == opts.lang)
        .map(|(_, t)| *t)
        .ok_or_else(|| format!("no template in `{}`", opts.lang))?;
    let data = document::load(
        crate::rules::builtin::data_source("fi")
            .unwrap_or_default()
            .as_bytes(),
        Budget::default(),
    )
    .map_err(|e| format!("rules/fi/_data.yaml: {}", e.message))?;
    Render {
        opts,
        ombudsman: data.root.get("ombudsman"),
        in_language: language_words(source),
    }
    .run(source)
}

/// The `#:<code> <words>` lines of a template: how it says "in Swedish" etc. for the placeholders
/// of translations.
fn language_words(source: &str) -> Vec<(&str, &str)> {
    source
        .lines()
        .filter_map(|l| l.strip_prefix("#:"))
        .filter_map(|l| l.split_once(' '))
        .collect()
}

struct Render<'a> {
    opts: &'a Options,
    ombudsman: Option<&'a Node>,
    in_language: Vec<(&'a str, &'a str)>,
}

impl Render<'_> {
    fn run(&self, source: &str) -> Result<String, String> {
        let mut out = String::new();
        // Whether the lines are kept, and the line of the open `#if`/`#unless` (no nesting).
        let mut keep = true;
        let mut open: Option<usize> = None;
        for (i, line) in source.lines().enumerate() {
            let n = i + 1;
            if line.starts_with("#!") || line.starts_with("#:") {
                continue;
            }
            let directive = line
                .strip_prefix("#if ")
                .map(|t| (true, t))
                .or_else(|| line.strip_prefix("#unless ").map(|t| (false, t)));
            if let Some((positive, tokens)) = directive {
                if let Some(at) = open {
                    return Err(format!("line {n}: `#if` inside the one of line {at}"));
                }
                let mut any = false;
                for t in tokens.split_whitespace() {
                    any |= self
                        .holds(t)
                        .ok_or_else(|| format!("line {n}: unknown `{t}`"))?;
                }
                keep = any == positive;
                open = Some(n);
                continue;
            }
            if line == "#end" {
                if open.take().is_none() {
                    return Err(format!("line {n}: `#end` without `#if`"));
                }
                keep = true;
                continue;
            }
            if keep {
                out.push_str(&self.fill(line).map_err(|e| format!("line {n}: {e}"))?);
                out.push('\n');
            }
        }
        if let Some(at) = open {
            return Err(format!("line {at}: `#if` without `#end`"));
        }
        Ok(out)
    }

    /// Whether a condition of `#if` holds: a controller kind, or `translations`.
    fn holds(&self, token: &str) -> Option<bool> {
        if token == "translations" {
            return Some(!self.opts.translations.is_empty());
        }
        KINDS.contains(&token).then(|| token == self.opts.kind)
    }

    /// A line with its `{{...}}` filled in.
    fn fill(&self, line: &str) -> Result<String, String> {
        let mut out = String::new();
        let mut rest = line;
        while let Some(start) = rest.find("{{") {
            out.push_str(&rest[..start]);
            let after = &rest[start + 2..];
            let end = after.find("}}").ok_or("`{{` without `}}`")?;
            out.push_str(&self.value(after[..end].trim())?);
            rest = &after[end + 2..];
        }
        out.push_str(rest);
        Ok(out)
    }

    fn value(&self, what: &str) -> Result<String, String> {
        let (head, hint) = what.split_once(' ').unwrap_or((what, ""));
        let o = self.opts;
        Ok(match head {
            "kind" => o.kind.clone(),
            "lang" => o.lang.clone(),
            "translations" => format!("[{}]", o.translations.join(", ")),
            "s" => quote(&todo(hint)),
            "t" if o.translations.is_empty() => quote(&todo(hint)),
            "t" => {
                let mut parts = vec![format!("{}: {}", o.lang, quote(&todo(hint)))];
                for l in &o.translations {
                    let words = self
                        .in_language
                        .iter()
                        .find(|(c, _)| c == l)
                        .map(|(_, w)| *w)
                        .ok_or_else(|| format!("no `#:{l}` line"))?;
                    parts.push(format!(
                        "{l}: {}",
                        quote(&todo(&format!("{hint}, {words}")))
                    ));
                }
                format!("{{{}}}", parts.join(", "))
            }
            _ => match head.strip_prefix("ombudsman.") {
                Some(key) => {
                    let v = self
                        .ombudsman
                        .and_then(|d| d.get(key))
                        .and_then(|d| d.get(&o.lang))
                        .and_then(Node::as_str)
                        .ok_or_else(|| {
                            format!("no `ombudsman.{key}.{}` in the fi pack's data", o.lang)
                        })?;
                    quote(v)
                }
                None => return Err(format!("unknown `{{{{{what}}}}}`")),
            },
        })
    }
}

/// The placeholder with `hint`: `TODO: hint`, or `TODO` alone.
fn todo(hint: &str) -> String {
    if hint.is_empty() {
        "TODO".to_owned()
    } else {
        format!("TODO: {hint}")
    }
}

/// `s` as a YAML double-quoted scalar (a placeholder has `: ` in it, which a plain scalar cannot
/// hold).
fn quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn opts(kind: &str, lang: &str, translations: &[&str]) -> Options {
        Options {
            kind: kind.to_owned(),
            lang: lang.to_owned(),
            translations: translations.iter().map(|s| (*s).to_owned()).collect(),
        }
    }

    #[test]
    fn every_kind_and_language_renders_and_parses() {
        for kind in KINDS {
            for lang in LANGS {
                let others: Vec<&str> = LANGS.iter().copied().filter(|l| *l != lang).collect();
                for t in [&[][..], &others[..1], &others[..]] {
                    let text = template(&opts(kind, lang, t))
                        .unwrap_or_else(|e| panic!("{kind} {lang} {t:?}: {e}"));
                    let doc = document::load(text.as_bytes(), Budget::default())
                        .unwrap_or_else(|e| panic!("{kind} {lang} {t:?}: {}", e.message));
                    let root = &doc.root;
                    assert_eq!(
                        root.get("controller")
                            .and_then(|c| c.get("kind"))
                            .and_then(Node::as_str),
                        Some(kind)
                    );
                    assert!(!text.contains("{{") && !text.contains("#if") && !text.contains("#!"));
                }
            }
        }
    }

    #[test]
    fn bad_options_are_errors() {
        assert!(template(&opts("state", "fi", &[])).is_err());
        assert!(template(&opts("company", "de", &[])).is_err());
        assert!(template(&opts("company", "fi", &["fi"])).is_err());
    }

    #[test]
    fn a_quoted_placeholder_keeps_quotes_and_backslashes() {
        assert_eq!(quote(r#"TODO: "a" \ b"#), r#""TODO: \"a\" \\ b""#);
    }
}
