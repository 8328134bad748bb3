//! The sections of a notice: a heading line recognised by the heading words of
//! `templates/import/words.yaml` starts one, whatever its numbering ("1.", "2)", "III."), case
//! and closing punctuation. A heading may start several sections ("Luovutukset ja siirrot EU:n
//! ulkopuolelle": recipients and transfers). The text before the first heading is the preamble.

use std::sync::LazyLock;

use regex::Regex;

use super::text::{Block, Kind};
use super::words::words;

#[derive(Debug, Clone)]
pub struct Section {
    /// The heading line as the notice writes it; `None` for the preamble.
    pub heading: Option<String>,
    /// The sections it starts (ids of templates/import/words.yaml `headings`).
    pub ids: Vec<String>,
    pub blocks: Vec<Block>,
}

impl Section {
    pub fn is(&self, id: &str) -> bool {
        self.ids.iter().any(|i| i == id)
    }
}

static NUMBERING: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)^\s*(?:\d{1,2}(?:\.\d{1,2})*[.):]?\s+|[ivx]{1,4}[.)]\s+|[a-h][.)]\s+|§\s*\d+\.?\s+)",
    )
    .expect("static regex")
});

/// The heading without its numbering, in lower case, without closing punctuation; and whether
/// it was numbered.
pub fn normalise(line: &str) -> (String, bool) {
    let (rest, numbered) = match NUMBERING.find(line) {
        Some(m) => (&line[m.end()..], true),
        None => (line, false),
    };
    let rest = rest
        .trim()
        .trim_end_matches([':', '?', '.', '!', ';', ' '])
        .to_lowercase();
    (rest, numbered)
}

/// The sections a line starts when it is a heading. `explicit`: the input marks it as a heading.
pub fn heading_ids(line: &str, explicit: bool) -> Option<Vec<String>> {
    let (rest, numbered) = normalise(line);
    if rest.is_empty() || rest.len() > 110 || rest.split_whitespace().count() > 12 {
        return None;
    }
    if !explicit && !numbered && line.trim_end().ends_with('.') {
        return None;
    }
    if !explicit && (line.contains('@') || line.trim_end().ends_with(',')) {
        return None;
    }
    let mut ids: Vec<String> = words()
        .headings
        .iter()
        .filter(|(_, re)| re.is_match(&rest))
        .map(|(id, _)| id.clone())
        .collect();
    if ids.len() > 1 {
        ids.retain(|i| i != "other");
    }
    // A heading about the controller's or DPO's contact data is not the contact person's.
    if ids.iter().any(|i| i == "dpo" || i == "controller") {
        ids.retain(|i| i != "contact" || rest.contains("henkilö") || rest.contains("person"));
    }
    (!ids.is_empty()).then_some(ids)
}

/// Splits the blocks into the preamble and the sections.
pub fn split(blocks: Vec<Block>) -> Vec<Section> {
    let mut out = vec![Section {
        heading: None,
        ids: Vec::new(),
        blocks: Vec::new(),
    }];
    for block in blocks {
        if block.kind == Kind::Item {
            push(&mut out, block);
            continue;
        }
        let explicit = block.kind == Kind::Heading;
        let first = block.lines.first().cloned().unwrap_or_default();
        // "Tietosuojavastaava: Matti Meikäläinen, tietosuoja@x.fi": a heading and its value.
        if let Some((head, value)) = first.split_once(": ")
            && let Some(ids) = heading_ids(head, false)
            && !value.trim().is_empty()
        {
            out.push(Section {
                heading: Some(first.clone()),
                ids,
                blocks: Vec::new(),
            });
            let mut lines = vec![value.trim().to_owned()];
            lines.extend(block.lines[1..].iter().cloned());
            push(
                &mut out,
                Block {
                    kind: Kind::Para,
                    lines,
                },
            );
            continue;
        }
        // The first line of a paragraph of several lines (text wrapped by hand) is a heading
        // only when it looks like one: numbered, or short and without a comma.
        let plausible = explicit
            || block.lines.len() == 1
            || NUMBERING.is_match(&first)
            || (first.split_whitespace().count() <= 6 && !first.contains(','));
        if plausible && let Some(ids) = heading_ids(&first, explicit) {
            out.push(Section {
                heading: Some(first),
                ids,
                blocks: Vec::new(),
            });
            let rest: Vec<String> = block.lines[1..].to_vec();
            if !rest.is_empty() {
                push(
                    &mut out,
                    Block {
                        kind: Kind::Para,
                        lines: rest,
                    },
                );
            }
            continue;
        }
        push(&mut out, block);
    }
    out
}

fn push(out: &mut [Section], block: Block) {
    if let Some(last) = out.last_mut() {
        last.blocks.push(block);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ids(line: &str) -> Vec<String> {
        heading_ids(line, false).unwrap_or_default()
    }

    #[test]
    fn hetil_and_gdpr_headings() {
        assert_eq!(ids("1. Rekisterinpitäjä"), ["controller"]);
        assert_eq!(ids("2) YHTEYSHENKILÖ"), ["contact"]);
        assert_eq!(ids("3 Rekisterin nimi:"), ["name"]);
        assert_eq!(ids("4. Henkilötietojen käsittelyn tarkoitus"), ["purpose"]);
        assert_eq!(
            ids("Mihin tarkoituksiin henkilötietojasi käsitellään ja millä perusteella?"),
            ["purpose", "basis"]
        );
        assert_eq!(
            ids(
                "9 Säännönmukaiset tietojen luovutukset ja tietojen siirto EU:n tai ETA:n ulkopuolelle"
            ),
            ["recipients", "transfers"]
        );
        assert_eq!(ids("Tietosuojavastaavan yhteystiedot"), ["dpo"]);
        assert_eq!(ids("Tietosuojavastaava:"), ["dpo"]);
        assert_eq!(ids("Tiedon säilytysaika"), ["retention"]);
        assert_eq!(ids("Ändamålet med behandlingen"), ["purpose"]);
        assert_eq!(ids("Your rights"), ["rights"]);
        assert_eq!(ids("Evästeiden käyttö"), ["other"]);
        assert!(ids("Tietoja ei luovuteta.").is_empty());
        assert!(
            ids("Asiakkaana sinulla on oikeus saada pääsy itseäsi koskeviin henkilötietoihin,")
                .is_empty()
        );
        assert!(ids("Pirkanmaan työ- ja elinkeinotoimisto (TE-toimisto)").is_empty());
    }

    #[test]
    fn the_first_line_of_a_wrapped_paragraph_is_no_heading() {
        let block = |lines: &[&str]| Block {
            kind: Kind::Para,
            lines: lines.iter().map(|l| (*l).to_owned()).collect(),
        };
        let secs = split(vec![
            block(&["Säännönmukaiset tietolähteet"]),
            block(&[
                "Rekisterinpitäjä tallentaa asiakasrekisteriin ne tiedot, jotka asiakas",
                "luovuttaa kirjautuessaan sovellukseen.",
            ]),
            block(&["Rekisterinpitäjä", "Esimerkki Oy"]),
        ]);
        let ids: Vec<Vec<String>> = secs.iter().map(|s| s.ids.clone()).collect();
        assert_eq!(
            ids,
            [
                vec![],
                vec!["sources".to_owned()],
                vec!["controller".to_owned()]
            ]
        );
        assert_eq!(secs[1].blocks.len(), 1);
        assert_eq!(secs[2].blocks[0].lines, ["Esimerkki Oy"]);
    }
}
