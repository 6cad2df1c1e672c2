//! gqlgen's naming rules, ported so that ferry names Go things exactly as
//! `gqlgen generate` would: a method ferry writes must be the one gqlgen's
//! generated interfaces ask for, or the package does not compile.
//!
//! The word splitting follows gqlgen's `codegen/templates.wordWalker` (itself
//! from golint), `ToGo`, `ToGoPrivate` and `sanitizeKeywords`.

use crate::workspace::gqlgen_config::GoInitialisms;
use std::collections::HashSet;

/// gqlgen's `commonInitialisms`: words written in capitals in Go names.
const COMMON_INITIALISMS: &[&str] = &[
    "ACL", "API", "ASCII", "CPU", "CSS", "DNS", "EOF", "GUID", "HTML", "HTTP", "HTTPS", "ICMP",
    "ID", "IP", "JSON", "KVK", "LHS", "PGP", "QPS", "QR", "RAM", "RHS", "RPC", "SLA", "SMTP",
    "SQL", "SSH", "SVG", "TCP", "TLS", "TTL", "UDP", "UI", "UID", "URI", "URL", "UTF8", "UUID",
    "VM", "XML", "XMPP", "XSRF", "XSS",
];

/// Go keywords (and `_`) that gqlgen renames when they are argument names.
const GO_KEYWORDS: &[&str] = &[
    "break",
    "default",
    "func",
    "interface",
    "select",
    "case",
    "defer",
    "go",
    "map",
    "struct",
    "chan",
    "else",
    "goto",
    "package",
    "switch",
    "const",
    "fallthrough",
    "if",
    "range",
    "type",
    "continue",
    "for",
    "import",
    "return",
    "var",
    "_",
];

/// The set of initialisms in force: gqlgen's defaults, changed by
/// `go_initialisms` in `gqlgen.yml`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Initialisms {
    words: HashSet<String>,
}

impl Default for Initialisms {
    fn default() -> Self {
        Initialisms {
            words: COMMON_INITIALISMS.iter().map(|w| w.to_string()).collect(),
        }
    }
}

impl Initialisms {
    /// gqlgen's `go_initialisms`: `extra` are added to the defaults, or
    /// replace them when `replace_defaults` is set.
    pub fn configured(config: &GoInitialisms) -> Initialisms {
        let mut set = if config.replace_defaults {
            Initialisms {
                words: HashSet::new(),
            }
        } else {
            Initialisms::default()
        };
        set.words
            .extend(config.extra.iter().map(|w| w.to_uppercase()));
        set
    }

    fn contains(&self, word: &str) -> bool {
        self.words.contains(word)
    }

    /// gqlgen's `ToGo`: the exported Go name of a GraphQL name.
    pub fn to_go(&self, name: &str) -> String {
        if name == "_" {
            return "_".to_string();
        }
        let mut out = String::with_capacity(name.len());
        self.walk_words(name, |word| {
            let text = if word.matches_initialism {
                word.text.to_uppercase()
            } else if !word.has_initialism && is_single_case(&word.text) {
                uc_first(&word.text.to_lowercase())
            } else {
                word.text
            };
            out.push_str(&text);
        });
        out
    }

    /// gqlgen's `ToGoPrivate`: the unexported Go name, with Go keywords renamed.
    pub fn to_go_private(&self, name: &str) -> String {
        if name == "_" {
            return "_".to_string();
        }
        let mut out = String::with_capacity(name.len());
        let mut first = true;
        self.walk_words(name, |word| {
            let text = if first {
                first = false;
                if is_single_case(&word.text) {
                    word.text.to_lowercase()
                } else {
                    lc_first(&word.text)
                }
            } else if word.matches_initialism {
                word.text.to_uppercase()
            } else if !word.has_initialism {
                uc_first(&word.text.to_lowercase())
            } else {
                word.text
            };
            out.push_str(&text);
        });
        sanitize_keyword(out)
    }

    /// gqlgen's `wordWalker`: splits a name into words at delimiters and at
    /// lower→upper changes, keeping initialisms (`URLs`, `IDFoo` → `ID`, `Foo`).
    fn walk_words(&self, name: &str, mut on_word: impl FnMut(Word)) {
        let mut runes: Vec<char> = name.trim_matches(is_delimiter).chars().collect();
        let (mut start, mut i) = (0usize, 0usize);
        let mut has_initialism = false;
        while i < runes.len() {
            let mut end_of_word = false;
            if i + 1 == runes.len() {
                end_of_word = true;
            } else if is_delimiter(runes[i + 1]) {
                end_of_word = true;
                let mut n = 1;
                while i + n + 1 < runes.len() && is_delimiter(runes[i + n + 1]) {
                    n += 1;
                }
                // Leave one delimiter between two digits.
                if i + n + 1 < runes.len() && is_digit(runes[i]) && is_digit(runes[i + n + 1]) {
                    n -= 1;
                }
                runes.drain(i + 1..i + 1 + n);
            } else if runes[i].is_lowercase() && !runes[i + 1].is_lowercase() {
                end_of_word = true;
            }
            i += 1;

            let word: String = runes[start..i].iter().collect();
            if !end_of_word && self.contains(&word) && !runes[i].is_lowercase() {
                // An initialism followed by a new word: `IDFoo` → `ID`, `Foo`.
            } else if !end_of_word {
                if self.contains(&word) {
                    has_initialism = true;
                }
                continue;
            }

            let matches_initialism = self.contains(&word.to_uppercase());
            if matches_initialism {
                has_initialism = true;
            }
            on_word(Word {
                text: word,
                matches_initialism,
                has_initialism,
            });
            has_initialism = false;
            start = i;
        }
    }
}

struct Word {
    text: String,
    matches_initialism: bool,
    has_initialism: bool,
}

fn is_delimiter(c: char) -> bool {
    c == '-' || c == '_' || c.is_whitespace()
}

fn is_digit(c: char) -> bool {
    c.is_ascii_digit() || (!c.is_ascii() && c.is_numeric())
}

/// `FOO` or `foo`, as opposed to `FOo`.
fn is_single_case(word: &str) -> bool {
    word.to_uppercase() == word || word.to_lowercase() == word
}

fn sanitize_keyword(name: String) -> String {
    if GO_KEYWORDS.contains(&name.as_str()) {
        name + "Arg"
    } else {
        name
    }
}

/// gqlgen's `UcFirst`: the first rune in upper case, the rest untouched.
pub fn uc_first(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// gqlgen's `LcFirst`: the first rune in lower case, the rest untouched.
pub fn lc_first(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(first) => first.to_lowercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// gqlgen's Go name for a GraphQL field (`id` → `ID`, `userId` → `UserID`,
/// `url` → `URL`), with gqlgen's default initialisms.
pub fn go_field_name(graphql_name: &str) -> String {
    Initialisms::default().to_go(graphql_name)
}

/// gqlgen's Go name for a resolver argument (`userId` → `userID`,
/// `package` → `packageArg`), with gqlgen's default initialisms.
pub fn go_argument_name(graphql_name: &str) -> String {
    Initialisms::default().to_go_private(graphql_name)
}

/// The struct gqlgen's resolvers for a GraphQL type hang on, with the default
/// resolver type `Resolver`: `Assignment` → `assignmentResolver`.
pub fn resolver_type_name(graphql_type: &str) -> String {
    resolver_type_name_for(graphql_type, "Resolver")
}

/// As [`resolver_type_name`], for a `resolver.type` other than `Resolver`.
pub fn resolver_type_name_for(graphql_type: &str, root_resolver_type: &str) -> String {
    lc_first(graphql_type) + &uc_first(root_resolver_type)
}

#[cfg(test)]
mod tests {
    use super::*;

    // The cases of gqlgen's own `TestToGo` and `TestToGoPrivate`.
    #[test]
    fn to_go_matches_gqlgen_cases() {
        let cases = [
            ("TO_CAMEL", "ToCamel"),
            ("to_camel", "ToCamel"),
            ("toCamel", "ToCamel"),
            ("ToCamel", "ToCamel"),
            ("to-camel", "ToCamel"),
            ("RelatedURLs", "RelatedURLs"),
            ("ImageIDs", "ImageIDs"),
            ("FooID", "FooID"),
            ("IDFoo", "IDFoo"),
            ("FooASCII", "FooASCII"),
            ("ASCIIFoo", "ASCIIFoo"),
            ("FooUTF8", "FooUTF8"),
            ("UTF8Foo", "UTF8Foo"),
            ("JSONEncoding", "JSONEncoding"),
            ("A", "A"),
            ("ID", "ID"),
            ("id", "ID"),
            ("", ""),
            ("RelatedUrls", "RelatedUrls"),
            ("ITicket", "ITicket"),
            ("fooTicket", "FooTicket"),
        ];
        for (input, want) in cases {
            assert_eq!(go_field_name(input), want, "ToGo({input:?})");
        }
    }

    #[test]
    fn to_go_private_matches_gqlgen_cases() {
        let cases = [
            ("TO_CAMEL", "toCamel"),
            ("to_camel", "toCamel"),
            ("toCamel", "toCamel"),
            ("ToCamel", "toCamel"),
            ("to-camel", "toCamel"),
            ("RelatedURLs", "relatedURLs"),
            ("ImageIDs", "imageIDs"),
            ("FooID", "fooID"),
            ("IDFoo", "idFoo"),
            ("FooASCII", "fooASCII"),
            ("ASCIIFoo", "asciiFoo"),
            ("FooUTF8", "fooUTF8"),
            ("UTF8Foo", "utf8Foo"),
            ("JSONEncoding", "jsonEncoding"),
            ("RelatedUrls", "relatedUrls"),
            ("ITicket", "iTicket"),
            ("Range", "rangeArg"),
            ("A", "a"),
            ("ID", "id"),
            ("id", "id"),
            ("", ""),
        ];
        for (input, want) in cases {
            assert_eq!(go_argument_name(input), want, "ToGoPrivate({input:?})");
        }
    }

    #[test]
    fn field_names_seen_in_graphql_schemas() {
        let cases = [
            ("createdDate", "CreatedDate"),
            ("url", "URL"),
            ("userId", "UserID"),
            ("avatarUrl", "AvatarURL"),
            ("kaid", "Kaid"),
            ("street_address_1", "StreetAddress1"),
            ("htmlBody", "HTMLBody"),
            ("_entities", "Entities"),
            ("findAssignmentByID", "FindAssignmentByID"),
            ("ids", "Ids"),
            ("apiKeys", "APIKeys"),
            ("v1_2", "V1_2"),
        ];
        for (input, want) in cases {
            assert_eq!(go_field_name(input), want, "ToGo({input:?})");
        }
    }

    #[test]
    fn keyword_arguments_are_renamed() {
        assert_eq!(go_argument_name("package"), "packageArg");
        assert_eq!(go_argument_name("type"), "typeArg");
        assert_eq!(go_argument_name("func"), "funcArg");
        assert_eq!(go_argument_name("input"), "input");
        assert_eq!(go_argument_name("userId"), "userID");
    }

    #[test]
    fn resolver_types_lowercase_the_first_letter_only() {
        assert_eq!(resolver_type_name("Assignment"), "assignmentResolver");
        assert_eq!(resolver_type_name("Query"), "queryResolver");
        assert_eq!(resolver_type_name("Entity"), "entityResolver");
        assert_eq!(resolver_type_name("URLInfo"), "uRLInfoResolver");
        assert_eq!(
            resolver_type_name_for("Query", "CustomResolverType"),
            "queryCustomResolverType"
        );
    }

    #[test]
    fn configured_initialisms_extend_or_replace_the_defaults() {
        let extended = Initialisms::configured(&GoInitialisms {
            replace_defaults: false,
            extra: vec!["cc".to_string()],
        });
        assert_eq!(extended.to_go("ccEmail"), "CCEmail");
        assert_eq!(extended.to_go("userId"), "UserID");
        let replaced = Initialisms::configured(&GoInitialisms {
            replace_defaults: true,
            extra: vec!["CC".to_string()],
        });
        assert_eq!(replaced.to_go("userId"), "UserId");
    }
}
