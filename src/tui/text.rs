//! Text measured as the terminal shows it: display columns, not chars
//! (a wide character takes two columns, a combining mark none).

use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

/// The columns `text` takes on screen.
pub fn width(text: &str) -> usize {
    text.width()
}

/// Pads or cuts `text` to exactly `columns` columns; a cut ends in `…`.
pub fn fit(text: &str, columns: usize) -> String {
    let used = width(text);
    if used <= columns {
        return format!("{text}{}", " ".repeat(columns - used));
    }
    if columns == 0 {
        return String::new();
    }
    let mut out = String::new();
    let mut taken = 0;
    for c in text.chars() {
        let w = c.width().unwrap_or(0);
        if taken + w > columns - 1 {
            break;
        }
        out.push(c);
        taken += w;
    }
    out.push('…');
    out.push_str(&" ".repeat(columns - 1 - taken));
    out
}

/// `text` without its first `columns` columns (a wide character cut in
/// half goes whole).
pub fn skip_columns(text: &str, columns: usize) -> &str {
    let mut skipped = 0;
    for (i, c) in text.char_indices() {
        if skipped >= columns {
            return &text[i..];
        }
        skipped += c.width().unwrap_or(0);
    }
    ""
}

/// Word-wraps `text` into lines of at most `columns` columns; a word
/// longer than a line is split.
pub fn wrap(text: &str, columns: usize) -> Vec<String> {
    let columns = columns.max(1);
    let mut lines = Vec::new();
    let mut line = String::new();
    for word in text.split(' ') {
        let needed = if line.is_empty() { 0 } else { 1 } + width(word);
        if !line.is_empty() && width(&line) + needed > columns {
            lines.push(std::mem::take(&mut line));
        }
        if !line.is_empty() {
            line.push(' ');
        }
        for c in word.chars() {
            if width(&line) + c.width().unwrap_or(0) > columns {
                lines.push(std::mem::take(&mut line));
            }
            line.push(c);
        }
    }
    lines.push(line);
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fit_pads_and_cuts_by_display_width() {
        assert_eq!(fit("abc", 5), "abc  ");
        assert_eq!(fit("abcdef", 4), "abc…");
        // Two columns each: three fit in six, a cut keeps room for the ellipsis.
        assert_eq!(fit("課題課題", 6), "課題… ");
        assert_eq!(width(&fit("課題課題", 6)), 6);
    }

    #[test]
    fn skip_columns_counts_display_width() {
        assert_eq!(skip_columns("abcdef", 2), "cdef");
        assert_eq!(skip_columns("課題x", 2), "題x");
        assert_eq!(skip_columns("課題x", 3), "x");
        assert_eq!(skip_columns("ab", 5), "");
    }

    #[test]
    fn wrap_breaks_at_spaces_and_splits_long_words() {
        assert_eq!(wrap("one two three", 7), ["one two", "three"]);
        assert_eq!(wrap("abcdefghij", 4), ["abcd", "efgh", "ij"]);
        assert_eq!(wrap("", 4), [""]);
    }
}
