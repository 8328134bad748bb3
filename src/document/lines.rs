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

    /// The position of byte `offset` (clamped to the source; rounded down to a char boundary).
    pub fn position(&self, source: &str, offset: usize) -> Position {
        let mut offset = offset.min(source.len());
        while !source.is_char_boundary(offset) {
            offset -= 1;
        }
        let line = self.starts.partition_point(|&s| s <= offset).max(1);
        let start = self.starts[line - 1];
        let column = source[start..offset].chars().count() + 1;
        Position { line, column }
    }

    /// The byte range of the 1-based `line` without its line break.
    pub fn line_span(&self, source: &str, line: usize) -> (usize, usize) {
        let start = self
            .starts
            .get(line.saturating_sub(1))
            .copied()
            .unwrap_or(source.len());
        let end = source[start..]
            .find('\n')
            .map_or(source.len(), |i| start + i);
        let end = if end > start && source.as_bytes()[end - 1] == b'\r' {
            end - 1
        } else {
            end
        };
        (start, end)
    }
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
}
