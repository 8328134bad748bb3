//! Finnish identifiers: Y-tunnus (Business ID) and henkilötunnus (personal identity code).
//! Algorithms and test vectors: shared/LAW.md §1.7.

use std::sync::LazyLock;

use regex::Regex;

/// `NNNNNNN-C` with a valid check digit (weights 7, 9, 10, 5, 8, 4, 2; remainder 1 is never issued).
pub fn y_tunnus_valid(s: &str) -> bool {
    let b = s.trim().as_bytes();
    if b.len() != 9 || b[7] != b'-' || !b[..7].iter().chain(&b[8..]).all(u8::is_ascii_digit) {
        return false;
    }
    const WEIGHTS: [u32; 7] = [7, 9, 10, 5, 8, 4, 2];
    let sum: u32 = b[..7]
        .iter()
        .zip(WEIGHTS)
        .map(|(d, w)| u32::from(d - b'0') * w)
        .sum();
    let check = match sum % 11 {
        0 => 0,
        1 => return false,
        r => 11 - r,
    };
    u32::from(b[8] - b'0') == check
}

const HETU_CHECK: &[u8; 31] = b"0123456789ABCDEFHJKLMNPRSTUVWXY";

static HETU: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?-u:\b)([0-9]{2})([0-9]{2})([0-9]{2})([-+YXWVUABCDEF])([0-9]{3})([0-9A-Y])(?-u:\b)",
    )
    .expect("static regex")
});

/// Whether an 11-character code is a valid henkilötunnus (date, individual number 002–999, checksum).
pub fn hetu_valid(code: &str) -> bool {
    let Some(c) = HETU.captures(code.trim()) else {
        return false;
    };
    if c.get(0).map(|m| m.as_str().len()) != Some(code.trim().len()) {
        return false;
    }
    check_captures(&c)
}

fn check_captures(c: &regex::Captures) -> bool {
    let num = |i: usize| {
        c.get(i)
            .and_then(|m| m.as_str().parse::<u32>().ok())
            .unwrap_or(0)
    };
    let (day, month, yy, individual) = (num(1), num(2), num(3), num(5));
    let century = match c.get(4).map(|m| m.as_str()) {
        Some("+") => 1800,
        Some("-" | "Y" | "X" | "W" | "V" | "U") => 1900,
        _ => 2000,
    };
    if chrono::NaiveDate::from_ymd_opt((century + yy) as i32, month, day).is_none() {
        return false;
    }
    // 002–899 are permanent codes, 900–999 temporary ones (DVV's test vectors use them): a
    // temporary code still identifies a person, so it counts too. 000 and 001 are never issued.
    if individual < 2 {
        return false;
    }
    let n = u64::from(day) * 10_000_000
        + u64::from(month) * 100_000
        + u64::from(yy) * 1_000
        + u64::from(individual);
    let expected = HETU_CHECK[(n % 31) as usize];
    c.get(6).map(|m| m.as_str().as_bytes()[0]) == Some(expected)
}

/// Every valid henkilötunnus in a text.
pub fn hetu_in(text: &str) -> Vec<String> {
    // A code starts with six digits in a row: most texts have none, and this scan is much cheaper
    // than the regex search with captures.
    let mut run = 0;
    let six_digits = text.as_bytes().iter().any(|b| {
        run = if b.is_ascii_digit() { run + 1 } else { 0 };
        run >= 6
    });
    if !six_digits {
        return Vec::new();
    }
    HETU.captures_iter(text)
        .filter(|c| check_captures(c))
        .filter_map(|c| c.get(0).map(|m| m.as_str().to_owned()))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn y_tunnus_vectors() {
        for ok in [
            "0124610-9",
            "0165116-3",
            "0171450-7",
            "2844561-8",
            "0246312-1",
            "3221307-8",
            "0245974-7",
            "0313471-7",
        ] {
            assert!(y_tunnus_valid(ok), "{ok}");
        }
        for bad in ["1234567-8", "0245974-6", "245974-7", "0245974 7", ""] {
            assert!(!y_tunnus_valid(bad), "{bad}");
        }
    }

    #[test]
    fn hetu_vectors() {
        for ok in [
            "010594Y9032",
            "010594Y9021",
            "020594X903P",
            "020594X902N",
            "030594W903B",
            "030694W9024",
            "040594V9030",
            "040594V902Y",
            "050594U903M",
            "050594U902L",
            "010516B903X",
            "010516B902W",
            "020516C903K",
            "020516C902J",
            "030516D9037",
            "030516D9026",
            "010501E9032",
            "020502E902X",
            "020503F9037",
            "020504A902E",
            "020504B904H",
            "131052-308T",
        ] {
            assert!(hetu_valid(ok), "{ok}");
        }
        for bad in ["010190-999K", "010190Y999K", "131052-308U", "310252-308T"] {
            assert!(!hetu_valid(bad), "{bad}");
        }
        assert_eq!(
            hetu_in("hetu 131052-308T ja 010190-999K"),
            vec!["131052-308T".to_string()]
        );
    }
}
