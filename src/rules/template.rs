//! `{{CEL}}` interpolation in messages, help and `at` paths.

/// A piece of a template: literal text, or an expression with its byte offset in the template.
#[derive(Debug, Clone, PartialEq)]
pub enum Piece<'a> {
    Text(&'a str),
    Expr { source: &'a str, offset: usize },
}

/// Splits a template; `Err(offset)` points at an unclosed `{{`.
pub fn split(template: &str) -> Result<Vec<Piece<'_>>, usize> {
    let mut pieces = Vec::new();
    let mut rest = 0;
    while let Some(open) = template[rest..].find("{{") {
        let open = rest + open;
        if open > rest {
            pieces.push(Piece::Text(&template[rest..open]));
        }
        let inner = open + 2;
        let Some(close) = template[inner..].find("}}") else {
            return Err(open);
        };
        pieces.push(Piece::Expr {
            source: &template[inner..inner + close],
            offset: inner,
        });
        rest = inner + close + 2;
    }
    if rest < template.len() {
        pieces.push(Piece::Text(&template[rest..]));
    }
    Ok(pieces)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_text_and_expressions() {
        let p = split("Purpose '{{item.id}}' at [{{index}}]").unwrap();
        assert_eq!(p.len(), 5);
        assert_eq!(
            p[1],
            Piece::Expr {
                source: "item.id",
                offset: 11
            }
        );
        assert_eq!(split("a {{ b").unwrap_err(), 2);
        assert!(split("").unwrap().is_empty());
    }

    #[test]
    fn build_rs_finds_the_expressions_the_loader_splits() {
        // build.rs parses the `{{...}}` parts it finds; the run looks them up by their text.
        for t in [
            "Purpose '{{item.id}}' at [{{ index }}]",
            "{{a}}{{b}}",
            "x {{}} y",
            "a }} {{b}}",
        ] {
            let exprs: Vec<&str> = split(t)
                .unwrap()
                .into_iter()
                .filter_map(|p| match p {
                    Piece::Expr { source, .. } => Some(source),
                    Piece::Text(_) => None,
                })
                .collect();
            assert_eq!(
                seloste_rulefile::cel_ast::template_expressions(t),
                exprs,
                "{t}"
            );
        }
    }
}
