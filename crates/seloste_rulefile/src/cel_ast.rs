//! CEL expressions parsed once per build: `build.rs` parses the expressions of the built-in rule
//! files and embeds their syntax trees as bytes; a lint run decodes a tree instead of parsing its
//! source (parsing the rules' CEL was a fifth of a one-file run). Writer and reader are this file,
//! used by the build script and by the binary, so the format is private to one build; a tree that
//! does not decode is parsed again.

use cel::common::ast::{
    CallExpr, ComprehensionExpr, EntryExpr, Expr, IdedEntryExpr, IdedExpr, ListExpr, LiteralValue,
    MapEntryExpr, MapExpr, SelectExpr, StructExpr, StructFieldExpr,
};
use cel::common::types::{CelBool, CelBytes, CelDouble, CelInt, CelString, CelUInt};

/// Parses CEL as seloste does everywhere: the crate's Pratt parser (the same tree as its ANTLR
/// parser, much faster), with bounds on depth and size.
pub fn parse(source: &str) -> Result<IdedExpr, cel::ParseErrors> {
    cel::parser::PrattParser::new()
        .max_recursion_depth(200)
        .max_expression_node_count(100_000)
        .parse(source)
}

/// The `{{...}}` parts of a template (messages, help, `at`), as the rule loader splits them.
pub fn template_expressions(template: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut rest = 0;
    while let Some(open) = template[rest..].find("{{") {
        let inner = rest + open + 2;
        let Some(close) = template[inner..].find("}}") else {
            break;
        };
        out.push(&template[inner..inner + close]);
        rest = inner + close + 2;
    }
    out
}

pub fn encode(e: &IdedExpr, out: &mut Vec<u8>) {
    uint(e.id, out);
    match &e.expr {
        Expr::Unspecified => out.push(0),
        Expr::Call(c) => {
            out.push(1);
            string(&c.func_name, out);
            out.push(u8::from(c.target.is_some()));
            if let Some(t) = &c.target {
                encode(t, out);
            }
            exprs(&c.args, out);
        }
        Expr::Comprehension(c) => {
            out.push(2);
            encode(&c.iter_range, out);
            string(&c.iter_var, out);
            out.push(u8::from(c.iter_var2.is_some()));
            if let Some(v) = &c.iter_var2 {
                string(v, out);
            }
            string(&c.accu_var, out);
            for e in [&c.accu_init, &c.loop_cond, &c.loop_step, &c.result] {
                encode(e, out);
            }
        }
        Expr::Ident(name) => {
            out.push(3);
            string(name, out);
        }
        Expr::List(l) => {
            out.push(4);
            exprs(&l.elements, out);
            uint(l.optional_indices.len() as u64, out);
            l.optional_indices.iter().for_each(|i| uint(*i as u64, out));
        }
        Expr::Literal(v) => {
            out.push(5);
            literal(v, out);
        }
        Expr::Map(m) => {
            out.push(6);
            entries(&m.entries, out);
        }
        Expr::Select(s) => {
            out.push(7);
            encode(&s.operand, out);
            string(&s.field, out);
            out.push(u8::from(s.test));
        }
        Expr::Struct(s) => {
            out.push(8);
            string(&s.type_name, out);
            entries(&s.entries, out);
        }
    }
}

fn literal(v: &LiteralValue, out: &mut Vec<u8>) {
    match v {
        LiteralValue::Boolean(b) => out.extend([0, u8::from(*b.inner())]),
        LiteralValue::Bytes(b) => {
            out.push(1);
            bytes(b.inner(), out);
        }
        LiteralValue::Double(d) => {
            out.push(2);
            out.extend(d.inner().to_le_bytes());
        }
        LiteralValue::Int(i) => {
            out.push(3);
            out.extend(i.inner().to_le_bytes());
        }
        LiteralValue::Null => out.push(4),
        LiteralValue::String(s) => {
            out.push(5);
            string(s.inner(), out);
        }
        LiteralValue::UInt(u) => {
            out.push(6);
            out.extend(u.inner().to_le_bytes());
        }
    }
}

fn exprs(es: &[IdedExpr], out: &mut Vec<u8>) {
    uint(es.len() as u64, out);
    es.iter().for_each(|e| encode(e, out));
}

fn entries(es: &[IdedEntryExpr], out: &mut Vec<u8>) {
    uint(es.len() as u64, out);
    for e in es {
        uint(e.id, out);
        match &e.expr {
            EntryExpr::MapEntry(m) => {
                out.push(0);
                encode(&m.key, out);
                encode(&m.value, out);
                out.push(u8::from(m.optional));
            }
            EntryExpr::StructField(f) => {
                out.push(1);
                string(&f.field, out);
                encode(&f.value, out);
                out.push(u8::from(f.optional));
            }
        }
    }
}

fn uint(mut n: u64, out: &mut Vec<u8>) {
    while n >= 0x80 {
        out.push(n as u8 | 0x80);
        n >>= 7;
    }
    out.push(n as u8);
}

fn bytes(b: &[u8], out: &mut Vec<u8>) {
    uint(b.len() as u64, out);
    out.extend_from_slice(b);
}

fn string(s: &str, out: &mut Vec<u8>) {
    bytes(s.as_bytes(), out);
}

/// The tree `encode` wrote, or `None` when `bytes` is not one whole tree.
pub fn decode(bytes: &[u8]) -> Option<IdedExpr> {
    let mut r = Reader { bytes, at: 0 };
    let e = r.expr(0)?;
    (r.at == bytes.len()).then_some(e)
}

struct Reader<'b> {
    bytes: &'b [u8],
    at: usize,
}

/// A bound on the depth of a tree read back: the parser's chains (`a + b + c...`, `a.b.c...`) can
/// be deeper than its recursion bound, so a tree deeper than this is not decoded but parsed again
/// (the result is the same, only slower).
const MAX_DEPTH: usize = 400;

impl Reader<'_> {
    fn byte(&mut self) -> Option<u8> {
        let b = *self.bytes.get(self.at)?;
        self.at += 1;
        Some(b)
    }

    fn take(&mut self, n: usize) -> Option<&[u8]> {
        let s = self.bytes.get(self.at..self.at.checked_add(n)?)?;
        self.at += n;
        Some(s)
    }

    fn uint(&mut self) -> Option<u64> {
        let mut n = 0u64;
        for shift in (0..64).step_by(7) {
            let b = self.byte()?;
            n |= u64::from(b & 0x7f) << shift;
            if b & 0x80 == 0 {
                return Some(n);
            }
        }
        None
    }

    fn len(&mut self) -> Option<usize> {
        usize::try_from(self.uint()?).ok()
    }

    fn string(&mut self) -> Option<String> {
        let n = self.len()?;
        String::from_utf8(self.take(n)?.to_vec()).ok()
    }

    fn array<const N: usize>(&mut self) -> Option<[u8; N]> {
        self.take(N)?.try_into().ok()
    }

    fn flag(&mut self) -> Option<bool> {
        match self.byte()? {
            0 => Some(false),
            1 => Some(true),
            _ => None,
        }
    }

    fn expr(&mut self, depth: usize) -> Option<IdedExpr> {
        if depth > MAX_DEPTH {
            return None;
        }
        let id = self.uint()?;
        let d = depth + 1;
        // The fields are read in the order they are written (a struct expression's order).
        let expr = match self.byte()? {
            0 => Expr::Unspecified,
            1 => Expr::Call(CallExpr {
                func_name: self.string()?,
                target: match self.flag()? {
                    true => Some(Box::new(self.expr(d)?)),
                    false => None,
                },
                args: self.exprs(d)?,
            }),
            2 => Expr::Comprehension(Box::new(ComprehensionExpr {
                iter_range: self.expr(d)?,
                iter_var: self.string()?,
                iter_var2: match self.flag()? {
                    true => Some(self.string()?),
                    false => None,
                },
                accu_var: self.string()?,
                accu_init: self.expr(d)?,
                loop_cond: self.expr(d)?,
                loop_step: self.expr(d)?,
                result: self.expr(d)?,
            })),
            3 => Expr::Ident(self.string()?),
            4 => {
                let elements = self.exprs(d)?;
                let n = self.len()?;
                let optional_indices = (0..n).map(|_| self.len()).collect::<Option<Vec<_>>>()?;
                Expr::List(ListExpr::new_with_optionals(elements, optional_indices))
            }
            5 => Expr::Literal(match self.byte()? {
                0 => LiteralValue::Boolean(CelBool::from(self.flag()?)),
                1 => {
                    let n = self.len()?;
                    LiteralValue::Bytes(CelBytes::from(self.take(n)?.to_vec()))
                }
                2 => LiteralValue::Double(CelDouble::from(f64::from_le_bytes(self.array()?))),
                3 => LiteralValue::Int(CelInt::from(i64::from_le_bytes(self.array()?))),
                4 => LiteralValue::Null,
                5 => LiteralValue::String(CelString::from(self.string()?)),
                6 => LiteralValue::UInt(CelUInt::from(u64::from_le_bytes(self.array()?))),
                _ => return None,
            }),
            6 => Expr::Map(MapExpr {
                entries: self.entries(d)?,
            }),
            7 => Expr::Select(SelectExpr {
                operand: Box::new(self.expr(d)?),
                field: self.string()?,
                test: self.flag()?,
            }),
            8 => Expr::Struct(StructExpr {
                type_name: self.string()?,
                entries: self.entries(d)?,
            }),
            _ => return None,
        };
        Some(IdedExpr { id, expr })
    }

    fn exprs(&mut self, depth: usize) -> Option<Vec<IdedExpr>> {
        let n = self.len()?;
        (0..n).map(|_| self.expr(depth)).collect()
    }

    fn entries(&mut self, depth: usize) -> Option<Vec<IdedEntryExpr>> {
        let n = self.len()?;
        (0..n)
            .map(|_| {
                let id = self.uint()?;
                let expr = match self.byte()? {
                    0 => EntryExpr::MapEntry(MapEntryExpr {
                        key: self.expr(depth)?,
                        value: self.expr(depth)?,
                        optional: self.flag()?,
                    }),
                    1 => EntryExpr::StructField(StructFieldExpr {
                        field: self.string()?,
                        value: self.expr(depth)?,
                        optional: self.flag()?,
                    }),
                    _ => return None,
                };
                Some(IdedEntryExpr { id, expr })
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trees_come_back_as_they_were() {
        for source in [
            "register.purposes.exists(p, has(p.retention) && p.retention.period != '')",
            "{'a': [1, 2u, -3.5, true, null, b'xy'], 'b': x.y[0]}.map(k, k + 'z')",
            "!data.acts.exists(a, matches_any(item.value, a.patterns)) ? 'x' : \"y\\n\"",
            "size(texts(register).filter(t, t.path.startsWith('a.')))",
        ] {
            let tree = parse(source).expect("parses");
            let mut bytes = Vec::new();
            encode(&tree, &mut bytes);
            assert_eq!(decode(&bytes), Some(tree), "{source}");
            assert_eq!(decode(&bytes[..bytes.len() - 1]), None);
        }
    }
}
