//! ISO 8601 durations in words: `P6M` → "6 kuukautta", `PT24H` → "24 hours", `P1Y6M` → "1 år och
//! 6 månader". The words are texts of the notice (`durations.*`), not code.

use super::texts::Texts;

/// The duration `iso` in words, or `iso` itself when it is not a duration of whole numbers.
pub fn words(iso: &str, texts: &Texts) -> String {
    let Some(parts) = parse(iso.trim()) else {
        return iso.to_owned();
    };
    let words: Vec<String> = parts
        .iter()
        .filter(|(_, n)| *n > 0)
        .map(|(unit, n)| {
            let form = if *n == 1 { "one" } else { "other" };
            texts.fill(
                &format!("durations.{unit}_{form}"),
                &[("n", &n.to_string())],
            )
        })
        .collect();
    if words.is_empty() {
        return iso.to_owned();
    }
    texts.and_list(&words)
}

/// The parts of `PnYnMnWnDTnHnMnS` in order, or `None` when it is not such a duration.
fn parse(iso: &str) -> Option<Vec<(&'static str, u64)>> {
    let rest = iso.strip_prefix('P')?;
    let (date, time) = match rest.split_once('T') {
        Some((d, t)) if !t.is_empty() => (d, Some(t)),
        Some(_) => return None,
        None => (rest, None),
    };
    let mut parts = Vec::new();
    units(
        date,
        &[('Y', "year"), ('M', "month"), ('W', "week"), ('D', "day")],
        &mut parts,
    )?;
    if let Some(t) = time {
        units(
            t,
            &[('H', "hour"), ('M', "minute"), ('S', "second")],
            &mut parts,
        )?;
    }
    (!parts.is_empty()).then_some(parts)
}

/// Reads `<digits><designator>` pairs of `s`, designators in the order of `order`.
fn units(
    s: &str,
    order: &[(char, &'static str)],
    parts: &mut Vec<(&'static str, u64)>,
) -> Option<()> {
    let mut next = 0;
    let mut digits = String::new();
    for c in s.chars() {
        if c.is_ascii_digit() {
            digits.push(c);
            continue;
        }
        let at = order[next..].iter().position(|(d, _)| *d == c)? + next;
        if digits.is_empty() {
            return None;
        }
        parts.push((order[at].1, digits.parse().ok()?));
        digits.clear();
        next = at + 1;
    }
    digits.is_empty().then_some(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn en(iso: &str) -> String {
        let texts = crate::render::texts::load("en", None).expect("texts");
        words(iso, &texts)
    }

    #[test]
    fn durations_read_as_words() {
        assert_eq!(en("P6M"), "6 months");
        assert_eq!(en("P1Y"), "1 year");
        assert_eq!(en("P1Y6M"), "1 year and 6 months");
        assert_eq!(en("PT24H"), "24 hours");
        assert_eq!(en("P1DT12H"), "1 day and 12 hours");
        assert_eq!(en("P2Y1M3D"), "2 years, 1 month and 3 days");
    }

    #[test]
    fn what_is_not_a_duration_stays_as_written() {
        for s in ["P", "PT", "P0D", "6 kk", "P6", "PM", "P1M1Y", "P1.5Y"] {
            assert_eq!(en(s), s);
        }
    }
}
