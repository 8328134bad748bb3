//! The literals a regex match must contain, taken from the pattern's syntax tree: what
//! seloste's `rules::patterns` looks for before it compiles or runs a pattern.
//!
//! `build.rs` uses this module to work out the literals of the built-in rules' option lists once
//! per build: parsing the patterns (Unicode case folding of `(?i)`) was a tenth of a one-file run.

use regex_syntax::hir::{Class, Hir, HirKind};

/// The characters outside ASCII that Unicode simple case folding (what `(?i)` uses) maps to an
/// ASCII letter: KELVIN SIGN (k) and LATIN SMALL LETTER LONG S (s). A text containing one of them
/// skips the prefilter. A test checks every character for this.
pub const FOLDS_TO_ASCII: [char; 2] = ['\u{212A}', '\u{17F}'];

/// The literal sets of `pattern` (see [`needles`]), or `None` when it does not parse.
pub fn of(pattern: &str) -> Option<Vec<AnyOf>> {
    regex_syntax::Parser::new()
        .parse(pattern)
        .ok()
        .map(|hir| needles(&hir))
}

/// A set of literals one of which a match contains (ASCII-lowercased).
pub type AnyOf = Vec<Vec<u8>>;

/// At most this many sets per pattern are checked: the ones with the longest literals.
const MAX_SETS: usize = 4;

/// The sets of literals every match of `hir` contains one of each: all of them must be found in a
/// text for the pattern to be able to match it. Empty: nothing to look for.
fn needles(hir: &Hir) -> Vec<AnyOf> {
    let mut all = required(hir);
    all.retain(|set| !set.is_empty() && set.iter().all(|n| !n.is_empty()));
    all.sort_by_key(|set| std::cmp::Reverse(shortest(set)));
    all.dedup();
    all.truncate(MAX_SETS);
    all
}

fn shortest(set: &AnyOf) -> usize {
    set.iter().map(Vec::len).min().unwrap_or(0)
}

/// What every match of `hir` contains: one literal of each set.
fn required(hir: &Hir) -> Vec<AnyOf> {
    match hir.kind() {
        HirKind::Literal(_) | HirKind::Class(_) => {
            single(hir).map(|b| vec![vec![b]]).unwrap_or_default()
        }
        HirKind::Capture(cap) => required(&cap.sub),
        HirKind::Repetition(rep) if rep.min >= 1 => required(&rep.sub),
        HirKind::Concat(subs) => concat(subs),
        HirKind::Alternation(subs) => {
            // One set for the whole alternation: the best set of each branch, together.
            let mut any: AnyOf = Vec::new();
            for sub in subs {
                let Some(best) = required(sub).into_iter().max_by_key(shortest) else {
                    return Vec::new();
                };
                for n in best {
                    if !any.contains(&n) {
                        any.push(n);
                    }
                }
            }
            vec![any]
        }
        _ => Vec::new(),
    }
}

/// The requirements of a concatenation: each run of adjacent literal characters, and those of
/// the other parts.
fn concat(subs: &[Hir]) -> Vec<AnyOf> {
    let mut all = Vec::new();
    let mut run: Vec<u8> = Vec::new();
    for sub in subs {
        if let Some(bytes) = single(sub) {
            run.extend(bytes);
            continue;
        }
        match sub.kind() {
            // `b+` after `a`: the text has "ab", then more b's; the run ends after one b.
            HirKind::Repetition(rep) if rep.min >= 1 && single(&rep.sub).is_some() => {
                run.extend(single(&rep.sub).unwrap_or_default());
                all.push(vec![std::mem::take(&mut run)]);
            }
            _ => {
                if !run.is_empty() {
                    all.push(vec![std::mem::take(&mut run)]);
                }
                all.extend(required(sub));
            }
        }
    }
    if !run.is_empty() {
        all.push(vec![run]);
    }
    all
}

/// The bytes of a literal or of a one-letter class (as the run of a concatenation takes them).
fn single(hir: &Hir) -> Option<Vec<u8>> {
    match hir.kind() {
        HirKind::Literal(lit) => Some(lit.0.to_ascii_lowercase()),
        HirKind::Class(class) => ascii_letter(class).map(|c| vec![c]),
        _ => None,
    }
}

/// The lowercase ASCII letter a class stands for when it holds only that letter's cases (what
/// `(?i)k` becomes: `[Kk\u{212A}]`).
fn ascii_letter(class: &Class) -> Option<u8> {
    let chars: Vec<u32> = match class {
        Class::Unicode(u) => u
            .iter()
            .flat_map(|r| u32::from(r.start())..=u32::from(r.end()))
            .take(5)
            .collect(),
        Class::Bytes(b) => b
            .iter()
            .flat_map(|r| u32::from(r.start())..=u32::from(r.end()))
            .take(5)
            .collect(),
    };
    // A letter's cases are at most three characters (k, K and KELVIN SIGN).
    if chars.len() > 3 {
        return None;
    }
    let mut letter = None;
    for c in chars {
        if char::from_u32(c).is_some_and(|ch| FOLDS_TO_ASCII.contains(&ch)) {
            // When the text contains it, the prefilter is skipped (see `is_match`).
            continue;
        }
        let b = u8::try_from(c).ok().filter(u8::is_ascii_alphabetic)?;
        if *letter.get_or_insert(b.to_ascii_lowercase()) != b.to_ascii_lowercase() {
            return None;
        }
    }
    letter
}

#[cfg(test)]
mod tests {
    use super::*;
    use regex::Regex;

    #[test]
    fn only_two_characters_outside_ascii_fold_to_an_ascii_letter() {
        let letter = Regex::new("(?i)^[a-z]$").expect("static regex");
        let folding: Vec<char> = (0x80..=0x10FFFF)
            .filter_map(char::from_u32)
            .filter(|c| letter.is_match(c.encode_utf8(&mut [0; 4])))
            .collect();
        assert_eq!(folding, {
            let mut f = FOLDS_TO_ASCII.to_vec();
            f.sort();
            f
        });
    }
}
