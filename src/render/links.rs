//! Contact values as links, only where the target is safe: `https:`/`http:` web addresses,
//! `mailto:` for an address that is one, `tel:` for a number. Anything else (`javascript:`, a
//! relative path, text with markup) is shown as text. Register values come from pull requests and
//! the page goes onto a public site.

use super::notice::Inline;

/// A web address: a link when it is an absolute `https:` or `http:` URL without spaces or quotes.
pub fn web(url: &str) -> Inline {
    let u = url.trim();
    let lower = u.to_ascii_lowercase();
    let scheme_ok = lower.starts_with("https://") || lower.starts_with("http://");
    let host_ok = u.split("://").nth(1).is_some_and(|rest| {
        rest.split(['/', '?', '#'])
            .next()
            .is_some_and(|h| !h.is_empty())
    });
    if scheme_ok && host_ok && clean(u) {
        Inline::Link {
            href: u.to_owned(),
            text: u.to_owned(),
        }
    } else {
        Inline::Text(u.to_owned())
    }
}

/// An e-mail address: a `mailto:` link when it has the shape of one.
pub fn email(addr: &str) -> Inline {
    let a = addr.trim();
    let shape = a.split_once('@').is_some_and(|(local, domain)| {
        !local.is_empty()
            && domain.contains('.')
            && !domain.starts_with('.')
            && !domain.ends_with('.')
    });
    if shape
        && clean(a)
        && !a.contains(['?', '&', '%', ',', ';', '/', ':'])
        && a.matches('@').count() == 1
    {
        Inline::Link {
            href: format!("mailto:{a}"),
            text: a.to_owned(),
        }
    } else {
        Inline::Text(a.to_owned())
    }
}

/// A telephone number: a `tel:` link of its digits (a leading `+` kept) when it is made of digits,
/// spaces, hyphens and parentheses. A Finnish national number stays national (`tel:0295666700`).
pub fn phone(number: &str) -> Inline {
    let n = number.trim();
    let allowed = n.chars().enumerate().all(|(i, c)| {
        c.is_ascii_digit() || matches!(c, ' ' | '-' | '(' | ')') || (i == 0 && c == '+')
    });
    let digits: String = n
        .chars()
        .filter(|c| c.is_ascii_digit() || *c == '+')
        .collect();
    if allowed && digits.chars().filter(char::is_ascii_digit).count() >= 5 {
        Inline::Link {
            href: format!("tel:{digits}"),
            text: n.to_owned(),
        }
    } else {
        Inline::Text(n.to_owned())
    }
}

/// No whitespace, quotes, angle brackets, backslashes or control characters.
fn clean(s: &str) -> bool {
    !s.chars().any(|c| {
        c.is_whitespace()
            || c.is_control()
            || is_bidi_control(c)
            || matches!(
                c,
                '"' | '\'' | '<' | '>' | '\\' | '`' | '(' | ')' | '[' | ']' | '{' | '}'
            )
    })
}

/// The Unicode bidirectional formatting characters (embeddings, overrides, isolates, marks):
/// they can make an address or a sentence display in another order than it is.
pub fn is_bidi_control(c: char) -> bool {
    matches!(
        c,
        '\u{061c}' | '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}'
    )
}

/// A set of bytes, for [`needs_escape`].
pub struct ByteSet([bool; 256]);

impl ByteSet {
    /// The ASCII bytes of `special` and every control byte.
    pub const fn new(special: &[u8]) -> ByteSet {
        let mut set = [false; 256];
        let mut b = 0;
        while b < 0x20 {
            set[b] = true;
            b += 1;
        }
        set[0x7f] = true;
        let mut i = 0;
        while i < special.len() {
            set[special[i] as usize] = true;
            i += 1;
        }
        ByteSet(set)
    }
}

/// Whether `s` may need escaping: a byte of `special` (control bytes included), a C1 control
/// character or a bidirectional control. Most texts have none of these and are copied as they are.
pub fn needs_escape(s: &str, special: &ByteSet) -> bool {
    let mut wide = false;
    for &b in s.as_bytes() {
        if special.0[b as usize] {
            return true;
        }
        wide |= matches!(b, 0xc2 | 0xd8 | 0xe2);
    }
    // "§" and "–" share those first bytes with the controls: look at the characters.
    wide && s.chars().any(|c| c.is_control() || is_bidi_control(c))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn is_link(i: &Inline) -> bool {
        matches!(i, Inline::Link { .. })
    }

    #[test]
    fn only_safe_targets_become_links() {
        assert!(is_link(&web("https://tietosuoja.fi")));
        assert!(is_link(&web("http://example.fi/a?b=c")));
        for bad in [
            "javascript:alert(1)",
            "JAVASCRIPT:alert(1)",
            "data:text/html,x",
            "//evil.example",
            "https://",
            "https://x\" onmouseover=\"y",
            "vbscript:x",
            "ftp://x.example",
            "https://a.example/<script>",
        ] {
            assert!(!is_link(&web(bad)), "{bad}");
        }
        assert!(is_link(&email("tietosuoja@om.fi")));
        for bad in [
            "a@b",
            "x@y.fi?subject=z",
            "\"a\"@b.fi",
            "a b@c.fi",
            "javascript:a@b.fi",
        ] {
            assert!(!is_link(&email(bad)), "{bad}");
        }
        assert_eq!(
            phone("029 566 6700"),
            Inline::Link {
                href: "tel:0295666700".into(),
                text: "029 566 6700".into()
            }
        );
        assert!(!is_link(&phone("javascript:1")));
        assert!(!is_link(&phone("+358 29+1")));
    }
}
