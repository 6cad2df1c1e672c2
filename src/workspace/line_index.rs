//! Byte offsets turned into the 1-based `line:column` that error messages
//! and reports name (columns count characters, as editors do).

/// Where each line of a text starts, so that many offsets of one file are
/// looked up without rescanning it.
#[derive(Debug, Clone)]
pub struct LineIndex {
    line_starts: Vec<usize>,
}

impl LineIndex {
    pub fn new(text: &str) -> LineIndex {
        let line_starts = std::iter::once(0)
            .chain(memchr::memchr_iter(b'\n', text.as_bytes()).map(|i| i + 1))
            .collect();
        LineIndex { line_starts }
    }

    /// 1-based line and column of a byte offset into `text` (the text the
    /// index was built from); an offset past the end is the end.
    pub fn line_col(&self, text: &str, offset: usize) -> (usize, usize) {
        let offset = offset.min(text.len());
        let line = self.line_starts.partition_point(|&start| start <= offset);
        let start = self.line_starts[line - 1];
        (line, text[start..offset].chars().count() + 1)
    }
}

/// 1-based line and column of one byte offset.
pub fn line_col(text: &str, offset: usize) -> (usize, usize) {
    LineIndex::new(text).line_col(text, offset)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_and_character_columns() {
        let text = "ab\ncé d\r\n\nlast";
        assert_eq!(line_col(text, 0), (1, 1));
        assert_eq!(line_col(text, 2), (1, 3));
        assert_eq!(line_col(text, 3), (2, 1));
        // `é` is two bytes and one column.
        assert_eq!(line_col(text, text.find('d').unwrap()), (2, 4));
        assert_eq!(line_col(text, text.find("last").unwrap()), (4, 1));
        assert_eq!(line_col(text, text.len()), (4, 5));
        assert_eq!(line_col(text, text.len() + 10), (4, 5));
        assert_eq!(line_col("", 0), (1, 1));
    }
}
