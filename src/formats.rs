//! The checks behind the project functions of the rule language (docs/rule-language.md) that
//! other modules share: e-mail, URL and ISO 8601 duration checks, and the regex cache.

use std::collections::HashMap;
use std::sync::{Arc, LazyLock, RwLock};

use regex::Regex;

/// The project functions of the rule language (docs/rule-language.md), each checked to be in the
/// evaluator's table.
pub const NAMES: &[&str] = &[
    "text",
    "langs",
    "matches_any",
    "is_email",
    "is_url",
    "duration_days",
    "days_since",
    "y_tunnus_valid",
    "hetu_in",
    "texts",
];

static REGEX_CACHE: LazyLock<RwLock<HashMap<String, Arc<Regex>>>> = LazyLock::new(Default::default);

/// A compiled regex from the run-wide cache.
pub fn cached_regex(pattern: &str) -> Result<Arc<Regex>, regex::Error> {
    if let Ok(cache) = REGEX_CACHE.read()
        && let Some(re) = cache.get(pattern)
    {
        return Ok(re.clone());
    }
    let re = Arc::new(Regex::new(pattern)?);
    if let Ok(mut cache) = REGEX_CACHE.write() {
        cache.insert(pattern.to_owned(), re.clone());
    }
    Ok(re)
}

static EMAIL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*\.[A-Za-z]{2,}$")
        .expect("static regex")
});

pub fn is_email(s: &str) -> bool {
    !s.contains("..") && EMAIL.is_match(s.trim())
}

static URL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^https?://[A-Za-z0-9.-]+\.[A-Za-z]{2,}(?::[0-9]+)?(?:[/?#][^\s]*)?$")
        .expect("static regex")
});

pub fn is_url(s: &str) -> bool {
    URL.is_match(s.trim())
}

/// ISO 8601 duration in days (Y = 365, M = 30, W = 7), `None` when malformed.
/// The days of an ISO 8601 duration (a year 365 days, a month 30; a time part in whole days,
/// rounded down: `PT72H` is 3, `PT12H` 0). `None` for what is not a duration, and for a duration of
/// nothing (`P`, `PT`, `P0D`). Read by hand: compiling the equivalent regex was 4 % of a one-file
/// run.
pub fn iso_days(s: &str) -> Option<i64> {
    let rest = s.trim().strip_prefix('P')?;
    let (date, time) = rest
        .split_once('T')
        .map_or((rest, None), |(d, t)| (d, Some(t)));
    if time == Some("") {
        return None;
    }
    let [y, mo, w, d] = amounts(date, ['Y', 'M', 'W', 'D'])?;
    let [h, mi, se] = amounts(time.unwrap_or(""), ['H', 'M', 'S'])?;
    if [y, mo, w, d, h, mi, se].iter().all(|v| *v == 0) {
        return None;
    }
    let seconds = h
        .checked_mul(3600)?
        .checked_add(mi.checked_mul(60)?)?
        .checked_add(se)?;
    y.checked_mul(365)?
        .checked_add(mo.checked_mul(30)?)?
        .checked_add(w.checked_mul(7)?)?
        .checked_add(d)?
        .checked_add(seconds / 86_400)
}

/// The numbers written before each of `units` in `text` (`1Y6M`), the units in this order and
/// each at most once; 0 for a unit not written.
fn amounts<const N: usize>(mut text: &str, units: [char; N]) -> Option<[i64; N]> {
    let mut out = [0; N];
    let mut next = 0;
    while !text.is_empty() {
        let digits = text.find(|c: char| !c.is_ascii_digit())?;
        let unit = text[digits..].chars().next()?;
        let at = next + units.get(next..)?.iter().position(|u| *u == unit)?;
        if digits == 0 {
            return None;
        }
        out[at] = text[..digits].parse().ok()?;
        next = at + 1;
        text = &text[digits + unit.len_utf8()..];
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_documented_function_is_in_the_language() {
        for name in NAMES {
            assert!(
                crate::rules::lang::ir::function(name).is_some(),
                "{name} is not defined"
            );
        }
    }

    #[test]
    fn durations_and_emails() {
        assert_eq!(iso_days("P6M"), Some(180));
        assert_eq!(iso_days("P1Y6M"), Some(545));
        assert_eq!(iso_days("P2W"), Some(14));
        assert_eq!(iso_days("P"), None);
        assert_eq!(iso_days("6 kk"), None);
        assert!(is_email("kirjaamo.kainuu@te-toimisto.fi"));
        assert!(!is_email("tietosuoja(at)om.fi"));
        assert!(!is_email("a@b"));
        assert!(is_url("https://tietosuoja.fi"));
        assert!(!is_url("tietosuoja.fi"));
    }
}

#[cfg(test)]
mod duration_tests {
    use super::iso_days;
    use proptest::prelude::*;

    proptest! {
        /// The reading by hand accepts what the regex it replaced accepted, with the same days.
        #[test]
        fn durations_read_as_the_regex_read_them(s in "P?[0-9PTYMWDHS]{0,10}") {
            let re = regex::Regex::new(
                r"^P(?:([0-9]+)Y)?(?:([0-9]+)M)?(?:([0-9]+)W)?(?:([0-9]+)D)?(?:T(?:([0-9]+)H)?(?:([0-9]+)M)?(?:([0-9]+)S)?)?$",
            ).expect("static regex");
            let by_regex = re.captures(&s).filter(|_| !s.ends_with('T')).and_then(|caps| {
                let n = |i: usize| caps.get(i).map_or(Some(0), |m| m.as_str().parse::<i64>().ok());
                let v = [n(1)?, n(2)?, n(3)?, n(4)?, n(5)?, n(6)?, n(7)?];
                if v.iter().all(|x| *x == 0) { return None; }
                let seconds = v[4].checked_mul(3600)?.checked_add(v[5].checked_mul(60)?)?.checked_add(v[6])?;
                v[0].checked_mul(365)?.checked_add(v[1].checked_mul(30)?)?.checked_add(v[2].checked_mul(7)?)?
                    .checked_add(v[3])?.checked_add(seconds / 86_400)
            });
            prop_assert_eq!(iso_days(&s), by_regex, "{}", s);
        }
    }

    #[test]
    fn durations_with_a_time_part_are_days() {
        assert_eq!(iso_days("P6M"), Some(180));
        assert_eq!(iso_days("P1Y6M"), Some(545));
        assert_eq!(iso_days("PT24H"), Some(1));
        assert_eq!(iso_days("PT72H"), Some(3));
        assert_eq!(iso_days("P1DT12H"), Some(1));
        assert_eq!(iso_days("PT12H"), Some(0));
        assert_eq!(iso_days("PT1440M"), Some(1));
    }

    #[test]
    fn durations_of_nothing_are_none() {
        for s in [
            "P",
            "PT",
            "P0D",
            "PT0H",
            "P0Y0M",
            "P1DT",
            "6 kk",
            "P1M1Y",
            "P99999999999999999999Y",
        ] {
            assert_eq!(iso_days(s), None, "{s}");
        }
    }
}
