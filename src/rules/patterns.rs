//! `matches_any` pattern lists: each pattern compiled on its first possible match, found by a
//! literal prefilter.
//!
//! Compiling the Unicode-aware, case-insensitive regexes of the built-in option lists was the
//! largest single cost of a one-file run (a quarter of its instructions), and most texts cannot
//! match most patterns: a complaint address does not contain "ratapihantie". So each pattern is
//! parsed (cheap) and the literals every match must contain are taken from its syntax tree (sets
//! of alternatives: "00521" and "helsin" and one of "ki", "gfors"); a pattern is compiled, once per
//! process, only when a text contains them. A text that contains none of the patterns' longest
//! literals (the gate) is done after a few SIMD substring searches, which in large runs is also
//! cheaper than the combined regex was. The literals are compared ASCII-case-insensitively,
//! which is a necessary condition for both case-sensitive and `(?i)` patterns (see
//! [`literals::FOLDS_TO_ASCII`] for the two non-ASCII characters that match an ASCII letter under `(?i)`).
//!
//! What a list matches is what `(?:p1)|(?:p2)|...` matched before, with two differences a review
//! found, both kept on purpose: each pattern now stands on its own, so a `#` comment in `(?x)`
//! mode ends with its pattern instead of running on into the next one; and a pattern that parses
//! but is over the regex size limit is reported when a text first gets past its literals, not at
//! the list's first use (a list whose patterns are each under the limit but together over it now
//! works). A pattern that does not parse on its own makes the whole list one regex again, with its
//! error if that does not compile either.

use std::cell::RefCell;
use std::collections::HashMap;
use std::hash::{Hash, Hasher};
use std::sync::{Arc, LazyLock, Mutex, OnceLock, PoisonError};

use memchr::memmem::Finder;
use regex::Regex;

use seloste_rulefile::literals::{self, AnyOf};

/// The last text searched and its ASCII-lowercased bytes.
struct Lowered {
    text: Vec<u8>,
    lowered: Vec<u8>,
}

/// Whether `text` contains one of [`literals::FOLDS_TO_ASCII`] (U+212A is E2 84 AA in UTF-8, U+017F is
/// C5 BF): a byte search, as this runs on every text.
fn has_fold(text: &str) -> bool {
    let bytes = text.as_bytes();
    memchr::memchr2_iter(0xE2, 0xC5, bytes).any(|i| {
        let rest = &bytes[i..];
        rest.starts_with("\u{212A}".as_bytes()) || rest.starts_with("\u{17F}".as_bytes())
    })
}

/// A compiled pattern list.
pub struct PatternList {
    patterns: Vec<Pattern>,
    /// Every literal of every pattern (ASCII-lowercased), by id, with its searcher.
    literals: Vec<Finder<'static>>,
    /// The first (longest) literal set of each pattern: a text with none of these matches no
    /// pattern, which most texts show after one search per literal. `None`: a pattern has no
    /// literal, so every text goes on to the patterns.
    gate: Option<Vec<usize>>,
    /// The whole list as one regex, when a pattern does not parse on its own but the combination
    /// `(?:p1)|(?:p2)...` does (such as `a)|(?:b`): matched as before, with no prefilter.
    combined: Option<Regex>,
}

struct Pattern {
    source: String,
    /// Sets of literal ids: a match contains a literal of each set. Empty: nothing to look for,
    /// the regex always runs.
    needles: Vec<Vec<usize>>,
    regex: OnceLock<Result<Regex, regex::Error>>,
}

/// The literals of the patterns in the built-in rules' options, worked out by `build.rs` with
/// [`literals::of`] (only patterns that parse), sorted by pattern.
static BUILTIN_LITERALS: &[(&str, &[&[&str]])] = include!(concat!(env!("OUT_DIR"), "/literals.rs"));

/// The literal sets of a built-in pattern, without parsing it.
fn builtin_literals(pattern: &str) -> Option<Vec<AnyOf>> {
    let at = BUILTIN_LITERALS
        .binary_search_by_key(&pattern, |(p, _)| p)
        .ok()?;
    let sets = BUILTIN_LITERALS[at].1;
    Some(
        sets.iter()
            .map(|set| set.iter().map(|l| l.as_bytes().to_vec()).collect())
            .collect(),
    )
}

thread_local! {
    /// The ASCII-lowercased text being matched, reused from call to call.
    static LOWERED: RefCell<Lowered> = const {
        RefCell::new(Lowered { text: Vec::new(), lowered: Vec::new() })
    };
}

impl PatternList {
    /// Parses every pattern; when one does not parse on its own, the list is one combined regex,
    /// and an error is the error of that regex, as when the list was always compiled as one.
    pub fn new(patterns: &[&str]) -> Result<PatternList, regex::Error> {
        let mut literals: Vec<Finder<'static>> = Vec::new();
        let mut parsed = Vec::with_capacity(patterns.len());
        for p in patterns {
            let Some(found) = builtin_literals(p).or_else(|| literals::of(p)) else {
                return Ok(PatternList {
                    patterns: Vec::new(),
                    literals: Vec::new(),
                    gate: None,
                    combined: Some(Regex::new(&combination(patterns))?),
                });
            };
            let mut id = |literal: Vec<u8>| {
                literals
                    .iter()
                    .position(|l| l.needle() == literal)
                    .unwrap_or_else(|| {
                        literals.push(Finder::new(&literal).into_owned());
                        literals.len() - 1
                    })
            };
            let needles = found
                .into_iter()
                .map(|set| set.into_iter().map(&mut id).collect())
                .collect();
            parsed.push(Pattern {
                source: (*p).to_owned(),
                needles,
                regex: OnceLock::new(),
            });
        }
        let gate = parsed
            .iter()
            .map(|p| p.needles.first().cloned())
            .collect::<Option<Vec<_>>>()
            .map(|firsts| {
                let mut ids: Vec<usize> = firsts.into_iter().flatten().collect();
                ids.sort_unstable();
                ids.dedup();
                ids
            });
        Ok(PatternList {
            patterns: parsed,
            literals,
            gate,
            combined: None,
        })
    }

    /// Whether the list is one combined regex (a pattern does not parse on its own).
    pub fn is_combined(&self) -> bool {
        self.combined.is_some()
    }

    /// Whether any pattern matches `text`. An error is a pattern that parses but does not compile
    /// (over the size limit, say).
    pub fn is_match(&self, text: &str) -> Result<bool, regex::Error> {
        if let Some(re) = &self.combined {
            return Ok(re.is_match(text));
        }
        if self.literals.is_empty() || has_fold(text) {
            return self.run(text, |_| true);
        }
        LOWERED.with(|lowered| {
            let Ok(mut lowered) = lowered.try_borrow_mut() else {
                // Only a re-entrant call could find it borrowed: look for nothing.
                return self.run(text, |_| true);
            };
            // Rules test one text against several lists in a row (a list per repealed act):
            // the text is lowered once for all of them.
            if lowered.text != text.as_bytes() {
                lowered.text.clear();
                lowered.text.extend_from_slice(text.as_bytes());
                lowered.lowered.clear();
                lowered
                    .lowered
                    .extend(text.bytes().map(|b| b.to_ascii_lowercase()));
            }
            let hay = lowered.lowered.as_slice();
            let found = |id: &usize| self.literals[*id].find(hay).is_some();
            if self
                .gate
                .as_ref()
                .is_some_and(|gate| !gate.iter().any(found))
            {
                return Ok(false);
            }
            self.run(text, |p| p.needles.iter().all(|set| set.iter().any(found)))
        })
    }

    /// Runs the regex of each pattern `candidate` accepts, until one matches.
    fn run(&self, text: &str, candidate: impl Fn(&Pattern) -> bool) -> Result<bool, regex::Error> {
        for p in self.patterns.iter().filter(|p| candidate(p)) {
            let re = p
                .regex
                .get_or_init(|| Regex::new(&p.source))
                .as_ref()
                .map_err(Clone::clone)?;
            if re.is_match(text) {
                return Ok(true);
            }
        }
        Ok(false)
    }

    /// The prefilter literals of each pattern (for tests).
    pub fn needles(&self) -> Vec<Vec<Vec<String>>> {
        let finder_literal =
            |id: &usize| String::from_utf8_lossy(self.literals[*id].needle()).into_owned();
        self.patterns
            .iter()
            .map(|p| {
                p.needles
                    .iter()
                    .map(|set| set.iter().map(finder_literal).collect())
                    .collect()
            })
            .collect()
    }
}

/// The list as one regex, `(?:p1)|(?:p2)|...`: what `matches_any` compiled before the
/// prefilter, and the reference the tests compare with.
pub fn combination(patterns: &[&str]) -> String {
    patterns
        .iter()
        .map(|p| format!("(?:{p})"))
        .collect::<Vec<_>>()
        .join("|")
}

type Cell = Arc<OnceLock<Result<Arc<PatternList>, regex::Error>>>;

/// The lists by a hash of their patterns; a bucket keeps each list's patterns to compare.
type Lists = HashMap<u64, Vec<(Vec<String>, Cell)>>;

static LISTS: LazyLock<Mutex<Lists>> = LazyLock::new(Default::default);

/// The pattern list of `patterns` for the whole process, looked up by a hash of the patterns and
/// compared by content: rule options are the same lists for every text of every file.
pub fn list(patterns: &[&str]) -> Result<Arc<PatternList>, regex::Error> {
    let mut h = std::collections::hash_map::DefaultHasher::new();
    patterns.hash(&mut h);
    let key = h.finish();
    let cell = {
        let mut lists = LISTS.lock().unwrap_or_else(PoisonError::into_inner);
        let bucket = lists.entry(key).or_default();
        match bucket.iter().find(|(stored, _)| stored[..] == *patterns) {
            Some((_, cell)) => cell.clone(),
            None => {
                let cell = Cell::default();
                let owned = patterns.iter().map(|p| (*p).to_owned()).collect();
                bucket.push((owned, cell.clone()));
                cell
            }
        }
    };
    cell.get_or_init(|| PatternList::new(patterns).map(Arc::new))
        .clone()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn needles_of(p: &str) -> Vec<Vec<String>> {
        PatternList::new(&[p]).expect("parses").needles().remove(0)
    }

    fn sets(sets: &[&[&str]]) -> Vec<Vec<String>> {
        sets.iter()
            .map(|set| set.iter().map(|n| (*n).to_owned()).collect())
            .collect()
    }

    #[test]
    fn the_literals_build_rs_found_are_those_found_at_run_time() {
        assert!(BUILTIN_LITERALS.len() > 30, "{}", BUILTIN_LITERALS.len());
        assert!(BUILTIN_LITERALS.is_sorted_by_key(|(p, _)| *p));
        for (pattern, _) in BUILTIN_LITERALS {
            assert_eq!(
                builtin_literals(pattern),
                literals::of(pattern),
                "{pattern}"
            );
        }
    }

    #[test]
    fn literals_are_found_in_case_insensitive_and_sensitive_patterns() {
        assert_eq!(
            needles_of(r"(?i)\bratapihantie\s*9\b"),
            sets(&[&["ratapihantie"], &["9"]])
        );
        // A letter outside ASCII ends a run.
        assert_eq!(
            needles_of(r"(?i)\bbangårdsvägen\s*9\b"),
            sets(&[&["bang"], &["rdsv"], &["gen"], &["9"]])
        );
        assert_eq!(
            needles_of(r"(?i)\b00521\s+(?:Helsinki|Helsingfors)\b"),
            sets(&[&["helsin"], &["00521"], &["ki", "gfors"]])
        );
        assert_eq!(
            needles_of(r"\b523/(?:19)?99\b"),
            sets(&[&["523/"], &["99"]])
        );
        assert_eq!(
            needles_of(r"(?i)\b(?:cat|dog)s?\b"),
            sets(&[&["cat", "dog"]])
        );
        assert_eq!(needles_of("Ab+c"), sets(&[&["ab"], &["c"]]));
        assert_eq!(needles_of("§"), sets(&[&["§"]]));
        // Nothing required: optional parts, classes, an empty branch.
        assert!(needles_of("[0-9]").is_empty());
        assert!(needles_of("(?:abc)?").is_empty());
        assert!(needles_of("abc|").is_empty());
        assert!(needles_of(r"\w+").is_empty());
    }

    #[test]
    fn matches_as_the_combined_regex_does() {
        let patterns = [
            r"(?i)\bratapihantie\s*9\b",
            r"(?i)\b(?:PL|PB|P\.?\s*O\.?\s*Box|Box|postilokero)\s*800\b[^0-9]{0,12}\b00521\b",
            r"5\s?6\s?6\s?6\s?7\s?3\s?5\b",
            r"(?i)\bpersonuppgiftslag(?:en|ens)?\b",
            "[0-9]{4}",
            "(?i)straße",
        ];
        let list = PatternList::new(&patterns).expect("parses");
        let combined = Regex::new(&combination(&patterns)).expect("compiles");
        for text in [
            "Ratapihantie 9, Helsinki",
            "RATAPIHANTIE 9",
            "Ratapihantie 19",
            "PL 800, 00521 Helsinki",
            "p.o. box 800, FI-00521",
            "faksi 029 566 6735",
            "PERSONUPPGIFTSLAGEN",
            "personuppgiftslagar",
            // LONG S matches s under (?i).
            "\u{17F}traße",
            "STRASSE",
            "12 a 3",
            "",
        ] {
            assert_eq!(
                list.is_match(text).expect("compiles"),
                combined.is_match(text),
                "{text:?}"
            );
        }
        let kelvin = PatternList::new(&["(?i)kappa"]).expect("parses");
        assert!(kelvin.is_match("\u{212A}appa").expect("compiles"));
    }

    #[test]
    fn each_pattern_stands_on_its_own() {
        // In one combined regex the `(?x)` comment ran on into the next pattern ("ab").
        let list = PatternList::new(&["(?x)a#x", "\nb"]).expect("parses");
        assert!(list.is_match("a").expect("compiles"));
        assert!(list.is_match("\nb").expect("compiles"));
    }

    #[test]
    fn a_list_that_parses_only_as_a_whole_is_matched_as_a_whole() {
        let list = PatternList::new(&["a)|(?:b"]).expect("the combination compiles");
        assert!(list.is_match("b").expect("compiles"));
        assert!(!list.is_match("c").expect("compiles"));
    }

    #[test]
    fn a_broken_pattern_is_the_combined_error() {
        let err = PatternList::new(&["ok", "(unclosed"])
            .err()
            .map(|e| e.to_string());
        let broken = ["(?:ok)", "(?:(unclosed)"].join("|");
        let want = Regex::new(&broken).err().map(|e| e.to_string());
        assert!(err.is_some());
        assert_eq!(err, want);
    }
}
