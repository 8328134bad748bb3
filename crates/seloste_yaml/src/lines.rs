//! Byte offset → line and column, computed once per source.

/// A line/column position: both 1-based; the column counts Unicode scalar values, as editors and
/// rustc do, not bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct Position {
    pub line: usize,
    pub column: usize,
}

/// The byte offsets where lines start.
#[derive(Debug, Clone)]
pub struct LineIndex {
    starts: Vec<usize>,
}

impl LineIndex {
    pub fn new(source: &str) -> Self {
        let mut starts = Vec::with_capacity(source.len() / 32 + 1);
        starts.push(0);
        // memchr (SIMD): a byte-by-byte filter was ~17 instructions per byte of every file.
        starts.extend(memchr::memchr_iter(b'\n', source.as_bytes()).map(|i| i + 1));
        LineIndex { starts }
    }

    /// The 0-based line of byte `offset`, the byte its line starts at, and the offset clamped to
    /// the source and rounded down to a char boundary.
    fn line_of(&self, source: &str, offset: usize) -> (usize, usize, usize) {
        let offset = floor_char_boundary(source, offset);
        let line = self.starts.partition_point(|&s| s <= offset).max(1) - 1;
        (line, self.starts[line], offset)
    }

    /// The position of byte `offset` (clamped to the source; rounded down to a char boundary).
    pub fn position(&self, source: &str, offset: usize) -> Position {
        let (line, start, offset) = self.line_of(source, offset);
        let column = source[start..offset].chars().count() + 1;
        Position {
            line: line + 1,
            column,
        }
    }

    /// The number of lines (a source ending in a line break has an empty last line).
    pub fn len(&self) -> usize {
        self.starts.len()
    }

    /// Never: a source has at least one (empty) line.
    pub fn is_empty(&self) -> bool {
        false
    }

    /// The 0-based line of byte `offset` and its column in code units: UTF-16 code units (what
    /// SARIF and the Language Server Protocol count by default) or bytes (`utf16` false).
    pub fn units(&self, source: &str, offset: usize, utf16: bool) -> (usize, usize) {
        let (line, start, offset) = self.line_of(source, offset);
        let column = if utf16 {
            source[start..offset].encode_utf16().count()
        } else {
            offset - start
        };
        (line, column)
    }

    /// The byte offset of 0-based `line` and `column` in code units (see [`LineIndex::units`]):
    /// a column past the end of the line is its end (before `\r\n`), a line past the end of the
    /// source is its end, a column inside a character is that character's start.
    pub fn offset(&self, source: &str, line: usize, column: usize, utf16: bool) -> usize {
        if line >= self.starts.len() {
            return source.len();
        }
        let (start, end) = self.line_span(source, line + 1);
        if !utf16 {
            return floor_char_boundary(source, (start + column).min(end));
        }
        let mut units = 0;
        for (i, c) in source[start..end].char_indices() {
            if units + c.len_utf16() > column {
                return start + i;
            }
            units += c.len_utf16();
        }
        end
    }

    /// The byte range of the 1-based `line` without its line break.
    pub fn line_span(&self, source: &str, line: usize) -> (usize, usize) {
        let start = self
            .starts
            .get(line.saturating_sub(1))
            .copied()
            .unwrap_or(source.len());
        let line = source[start..].split('\n').next().unwrap_or_default();
        (start, start + line.strip_suffix('\r').unwrap_or(line).len())
    }
}

/// `offset` clamped to `source` and rounded down to a char boundary (what
/// `str::floor_char_boundary` does, in Rust 1.91 and later).
pub fn floor_char_boundary(source: &str, offset: usize) -> usize {
    let mut offset = offset.min(source.len());
    while !source.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_count_chars_and_lines() {
        let src = "a: 1\nnimi: Äänekoski\r\nc: 3";
        let idx = LineIndex::new(src);
        assert_eq!(idx.position(src, 0), Position { line: 1, column: 1 });
        let k = src.find("koski").unwrap();
        assert_eq!(
            idx.position(src, k),
            Position {
                line: 2,
                column: 11
            }
        );
        let c = src.find("c:").unwrap();
        assert_eq!(idx.position(src, c), Position { line: 3, column: 1 });
        assert_eq!(idx.line_span(src, 2), (5, 5 + "nimi: Äänekoski".len()));
    }

    #[test]
    fn units_and_offsets_round_trip_in_utf16_and_bytes() {
        let src = "a: 😀x\r\nb: ä\n";
        let idx = LineIndex::new(src);
        let x = src.find('x').unwrap();
        assert_eq!(idx.units(src, x, true), (0, 5));
        assert_eq!(idx.units(src, x, false), (0, 7));
        assert_eq!(idx.offset(src, 0, 5, true), x);
        assert_eq!(idx.offset(src, 0, 7, false), x);
        // Inside the surrogate pair, or the UTF-8 bytes of the emoji: its start.
        assert_eq!(idx.offset(src, 0, 4, true), 3);
        assert_eq!(idx.offset(src, 0, 5, false), 3);
        // Past the end of a CRLF line: before the `\r`.
        assert_eq!(idx.offset(src, 0, 99, true), src.find('\r').unwrap());
        assert_eq!(idx.offset(src, 9, 0, true), src.len());
        let a = src.find('ä').unwrap();
        assert_eq!(idx.units(src, a + 2, true), (1, 4));
    }
}
