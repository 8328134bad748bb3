//! Finnish identifiers: Y-tunnus (Business ID) and henkilötunnus (personal identity code).
//! Algorithms and test vectors: shared/LAW.md §1.7.

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

/// Whether an 11-character code is a valid henkilötunnus (date, individual number 002–999, checksum).
pub fn hetu_valid(code: &str) -> bool {
    let b = code.trim().as_bytes();
    b.len() == 11 && hetu_shape(b) && hetu_check(b)
}

/// `DDMMYY`, a century sign, `NNN` and a check character at the start of `b`: the shape the
/// checks are tried on. A hand-written scan, not a regex: compiling one cost a tenth of the
/// instructions of a one-file run, and searching with captures was slower than this scan.
fn hetu_shape(b: &[u8]) -> bool {
    b.len() >= 11
        && b[..6].iter().all(u8::is_ascii_digit)
        && b"-+YXWVUABCDEF".contains(&b[6])
        && b[7..10].iter().all(u8::is_ascii_digit)
        && matches!(b[10], b'0'..=b'9' | b'A'..=b'Y')
}

fn ascii_word(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_'
}

/// Date, individual number and check character of a code of [`hetu_shape`].
fn hetu_check(b: &[u8]) -> bool {
    let num =
        |r: std::ops::Range<usize>| b[r].iter().fold(0u32, |n, d| n * 10 + u32::from(d - b'0'));
    let (day, month, yy, individual) = (num(0..2), num(2..4), num(4..6), num(7..10));
    let century = match b[6] {
        b'+' => 1800,
        b'-' | b'Y' | b'X' | b'W' | b'V' | b'U' => 1900,
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
    b[10] == HETU_CHECK[(n % 31) as usize]
}

/// Every valid henkilötunnus in a text: the leftmost, non-overlapping substrings of
/// [`hetu_shape`] between ASCII word boundaries, as the regex
/// `\b[0-9]{6}[-+YXWVUABCDEF][0-9]{3}[0-9A-Y]\b` (ASCII `\b`) would find them, that pass the checks.
pub fn hetu_in(text: &str) -> Vec<String> {
    let b = text.as_bytes();
    let mut found = Vec::new();
    // A henkilötunnus has nine digits at least; most texts have fewer, and counting them is a
    // vectorised pass instead of the scan's work at every byte.
    if b.iter().filter(|c| c.is_ascii_digit()).count() < 9 {
        return found;
    }
    let mut i = 0;
    while i + 11 <= b.len() {
        let starts = i == 0 || !ascii_word(b[i - 1]);
        let ends = || i + 11 == b.len() || !ascii_word(b[i + 11]);
        if starts && hetu_shape(&b[i..]) && ends() {
            // All 11 bytes are ASCII: the slice is on char boundaries.
            if hetu_check(&b[i..i + 11]) {
                found.push(text[i..i + 11].to_owned());
            }
            i += 11;
        } else {
            i += 1;
        }
    }
    found
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

    #[test]
    fn the_scan_finds_what_the_regex_found() {
        // The regex `hetu_in` used before the hand-written scan, with the same checks after it.
        let re = regex::Regex::new(r"(?-u:\b)[0-9]{6}[-+YXWVUABCDEF][0-9]{3}[0-9A-Y](?-u:\b)")
            .expect("regex");
        let by_regex = |t: &str| -> Vec<String> {
            re.find_iter(t)
                .filter(|m| hetu_check(m.as_str().as_bytes()))
                .map(|m| m.as_str().to_owned())
                .collect()
        };
        let texts = [
            "131052-308T",
            "x131052-308T",
            "131052-308Tx",
            "ä131052-308Tä",
            "(131052-308T), 010594Y9032.",
            "131052-308T010594Y9032",
            "131052-308T 131052-308T",
            "1131052-308T",
            "131052-308T_",
            "131052-308131052-308T",
            "010190-999K 020504B904H",
            "puh. 040 123 4567, y-tunnus 0201256-6",
            "",
            "1234567890123456789012345",
            "010594Y9032\n020594X903P",
        ];
        for t in texts {
            assert_eq!(hetu_in(t), by_regex(t), "{t:?}");
        }
        // Every 11-character window of a text made of code characters and separators.
        let alphabet = b"0123456789-+ABY_ x";
        let mut state = 12345u64;
        for round in 0..3000 {
            let len = (state % 30) as usize;
            let mut t: String = (0..len)
                .map(|_| {
                    state = state
                        .wrapping_mul(6364136223846793005)
                        .wrapping_add(1442695040888963407);
                    alphabet[(state >> 33) as usize % alphabet.len()] as char
                })
                .collect();
            // Valid codes spliced in, so that real matches (and their neighbours) are tried too.
            if round % 2 == 0 {
                let at = (state >> 40) as usize % (t.len() + 1);
                let code = ["131052-308T", "010594Y9032", "020504B904H"][round % 3];
                t.insert_str(at, code);
            }
            assert_eq!(hetu_in(&t), by_regex(&t), "{t:?}");
        }
    }
}
