//! The words a query pattern states its matches always contain
//! (`#set! ferry.requires "…"`): a file or statement holding none of them
//! is not searched for that pattern.
//!
//! A pattern may state several such settings: its matches then contain a
//! word of each (`"Schema build_schema"` and `"query mutation
//! subscription"`: a schema call is named one of the first and passes one
//! of the second as a keyword).

use tree_sitter::Query;

/// The words `pattern` states it requires, every `#set! ferry.requires`
/// its own group, as indices into `words`, which gains each word not in it
/// yet; `None` when the pattern states none. A text may hold a match only
/// if it holds a word of every group.
fn pattern_requirements(
    query: &Query,
    pattern: usize,
    words: &mut Vec<String>,
) -> Option<Vec<Vec<usize>>> {
    let groups: Vec<Vec<usize>> = query
        .property_settings(pattern)
        .iter()
        .filter(|property| &*property.key == "ferry.requires")
        .filter_map(|property| property.value.as_deref())
        .map(|required| {
            required
                .split_whitespace()
                .map(|word| index_of(words, word))
                .collect()
        })
        .collect();
    (!groups.is_empty()).then_some(groups)
}

/// Every word `pattern` names in its requirements, any one of which its
/// matches hold: the groups of [`pattern_requirements`] taken together,
/// for a caller that tests one set of words per pattern (a weaker test,
/// never a wrong one).
pub(super) fn pattern_requires(
    query: &Query,
    pattern: usize,
    words: &mut Vec<String>,
) -> Option<Vec<usize>> {
    pattern_requirements(query, pattern, words).map(|groups| groups.concat())
}

/// Per pattern of a query, what a text must hold for the pattern to match
/// in it: a word of each group, or `None` for anywhere. The same rule
/// whether read from the compiled query or, before compiling it, from its
/// source text.
pub(super) struct Requirements {
    /// Every word some pattern requires, once: each is looked for once per text.
    words: Vec<memchr::memmem::Finder<'static>>,
    /// Per pattern, its groups as indices into `words`.
    patterns: Vec<Option<Vec<Vec<usize>>>>,
}

impl Requirements {
    /// From the compiled query's `#set!` properties: what the reading of
    /// the source is checked against.
    #[cfg(test)]
    pub(super) fn of_query(query: &Query) -> Requirements {
        let mut words = Vec::new();
        let patterns = (0..query.pattern_count())
            .map(|pattern| pattern_requirements(query, pattern, &mut words))
            .collect();
        Requirements::new(&words, patterns)
    }

    /// Read from the query's source, without compiling it: each top-level
    /// form is a pattern, each `ferry.requires "…"` string in it a group.
    pub(super) fn of_source(source: &str) -> Requirements {
        let mut words: Vec<String> = Vec::new();
        let mut patterns = Vec::new();
        let mut groups: Vec<Vec<usize>> = Vec::new();
        let mut depth = 0usize;
        let mut chars = source.char_indices().peekable();
        while let Some((at, c)) = chars.next() {
            match c {
                ';' => while chars.next_if(|&(_, c)| c != '\n').is_some() {},
                '"' => {
                    let start = at + 1;
                    let mut end = source.len();
                    while let Some((at, c)) = chars.next() {
                        match c {
                            '\\' => {
                                chars.next();
                            }
                            '"' => {
                                end = at;
                                break;
                            }
                            _ => {}
                        }
                    }
                    if source[..at].trim_end().ends_with("ferry.requires") {
                        let group = source[start..end]
                            .split_whitespace()
                            .map(|word| index_of(&mut words, word))
                            .collect();
                        groups.push(group);
                    }
                }
                '(' | '[' => depth += 1,
                ')' | ']' => {
                    depth = depth.saturating_sub(1);
                    if depth == 0 {
                        patterns.push((!groups.is_empty()).then(|| std::mem::take(&mut groups)));
                    }
                }
                _ => {}
            }
        }
        Requirements::new(&words, patterns)
    }

    fn new(words: &[String], patterns: Vec<Option<Vec<Vec<usize>>>>) -> Requirements {
        Requirements {
            words: words
                .iter()
                .map(|word| memchr::memmem::Finder::new(word.as_bytes()).into_owned())
                .collect(),
            patterns,
        }
    }

    /// Which patterns may match in a text.
    pub(super) fn enabled(&self, text: &[u8]) -> Vec<bool> {
        let present: Vec<bool> = self
            .words
            .iter()
            .map(|word| word.find(text).is_some())
            .collect();
        self.patterns
            .iter()
            .map(|groups| match groups {
                None => true,
                Some(groups) => groups
                    .iter()
                    .all(|words| words.iter().any(|&word| present[word])),
            })
            .collect()
    }

    /// Per pattern, its groups spelled out, for comparing two readings.
    #[cfg(test)]
    pub(super) fn spelled(&self) -> Vec<Option<Vec<Vec<&str>>>> {
        let word = |index: &usize| {
            std::str::from_utf8(self.words[*index].needle()).expect("words are text")
        };
        self.patterns
            .iter()
            .map(|groups| {
                groups.as_ref().map(|groups| {
                    groups
                        .iter()
                        .map(|group| group.iter().map(word).collect())
                        .collect()
                })
            })
            .collect()
    }
}

/// `word`'s index in `words`, which gains it if it is new.
fn index_of(words: &mut Vec<String>, word: &str) -> usize {
    match words.iter().position(|known| known == word) {
        Some(index) => index,
        None => {
            words.push(word.to_string());
            words.len() - 1
        }
    }
}
