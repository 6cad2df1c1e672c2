//! Selectors: `Type.field`, `Type.*`, `*.field`, globs, with `--service` and
//! `--state` filters.

use crate::model::inventory::{FieldCoordinate, FieldRecord, Inventory};
use crate::model::stage::Stage;
use globset::{Glob, GlobMatcher};
use std::collections::BTreeSet;

#[derive(Debug, thiserror::Error)]
pub enum SelectorError {
    #[error("bad selector `{selector}`: {reason}")]
    Malformed { selector: String, reason: String },
    #[error("selector `{selector}` matches no field{}", suggestion(.suggestions))]
    NoMatch {
        selector: String,
        suggestions: Vec<String>,
    },
    #[error("reading selectors from standard input: {0}")]
    Stdin(String),
    #[error(
        "unknown stage `{0}`: use one of python, manual, side-by-side, canary, migrated, done, go, key"
    )]
    UnknownStage(String),
}

fn suggestion(suggestions: &[String]) -> String {
    if suggestions.is_empty() {
        String::new()
    } else {
        format!("; did you mean {}?", suggestions.join(", "))
    }
}

#[derive(Debug, Clone)]
pub struct Selector {
    pub raw: String,
    matcher: GlobMatcher,
    /// `Type.field` without glob characters: looked up, not matched.
    exact: Option<FieldCoordinate>,
}

impl Selector {
    pub fn parse(raw: &str) -> Result<Selector, SelectorError> {
        let malformed = |reason: &str| SelectorError::Malformed {
            selector: raw.to_string(),
            reason: reason.to_string(),
        };
        let Some((type_part, field_part)) = raw.split_once('.') else {
            return Err(malformed(&format!(
                "write Type.field (or {raw}.* for every field of a type)"
            )));
        };
        if type_part.is_empty() || field_part.is_empty() || field_part.contains('.') {
            return Err(malformed(
                "write Type.field, Type.*, *.field or a glob such as Assignment.created*",
            ));
        }
        let matcher = Glob::new(raw)
            .map_err(|e| malformed(&e.to_string()))?
            .compile_matcher();
        let exact = (!raw.contains(['*', '?', '[', '{', '\\']))
            .then(|| FieldCoordinate::new(type_part, field_part));
        Ok(Selector {
            raw: raw.to_string(),
            matcher,
            exact,
        })
    }

    /// The fields this selector names, in inventory order.
    fn matching(&self, inventory: &Inventory, names: &[String]) -> Vec<usize> {
        match &self.exact {
            Some(exact) => inventory
                .fields
                .binary_search_by(|f| f.coordinate.cmp(exact))
                .ok()
                .into_iter()
                .collect(),
            None => names
                .iter()
                .enumerate()
                .filter(|(_, name)| self.matcher.is_match(name.as_str()))
                .map(|(i, _)| i)
                .collect(),
        }
    }
}

/// Standard input as text: UTF-8, a leading byte-order mark dropped (a
/// file saved by some editors); anything else is an error, not "no
/// selectors".
fn read_stdin(stdin: &mut dyn std::io::BufRead) -> Result<String, SelectorError> {
    let mut bytes = Vec::new();
    stdin
        .read_to_end(&mut bytes)
        .map_err(|e| SelectorError::Stdin(e.to_string()))?;
    let bytes = bytes.strip_prefix("\u{feff}".as_bytes()).unwrap_or(&bytes);
    String::from_utf8(bytes.to_vec()).map_err(|e| {
        let at = e.utf8_error().valid_up_to();
        let line = bytes[..at].iter().filter(|&&b| b == b'\n').count() + 1;
        SelectorError::Stdin(format!(
            "line {line}: not valid UTF-8 (byte {:#04x}); write selectors as UTF-8 text",
            bytes[at]
        ))
    })
}

/// Everything that narrows a command to some fields.
#[derive(Debug, Clone, Default)]
pub struct Selection {
    pub selectors: Vec<Selector>,
    pub service: Option<String>,
    pub states: Vec<Stage>,
}

impl Selection {
    /// Parses selectors as typed; `-` reads more from `stdin` (whitespace
    /// separated, `#` starts a comment).
    pub fn parse(
        raw: &[String],
        service: Option<String>,
        states: &[String],
        stdin: &mut dyn std::io::BufRead,
    ) -> Result<Selection, SelectorError> {
        let mut selectors = Vec::new();
        for item in raw {
            if item == "-" {
                for line in read_stdin(stdin)?.lines() {
                    let content = line.split('#').next().unwrap_or_default();
                    for word in content.split_whitespace() {
                        selectors.push(Selector::parse(word)?);
                    }
                }
            } else {
                selectors.push(Selector::parse(item)?);
            }
        }
        let states = states
            .iter()
            .map(|s| Stage::parse(s).ok_or_else(|| SelectorError::UnknownStage(s.clone())))
            .collect::<Result<_, _>>()?;
        Ok(Selection {
            selectors,
            service,
            states,
        })
    }

    /// `--service`: the fields the service claims, those it plans to take
    /// over (`owns`) that no service claims yet, and those its schema
    /// declares (key fields, `@external`s); the same scope as its progress.
    fn passes_filters(&self, field: &FieldRecord) -> bool {
        let service_ok = self.service.as_ref().is_none_or(|s| {
            field.service.as_deref() == Some(s.as_str())
                || field.planned_for.as_deref() == Some(s.as_str())
                || field.definitions.iter().any(|d| &d.service == s)
        });
        let state_ok = self.states.is_empty() || self.states.contains(&field.stage);
        service_ok && state_ok
    }

    /// The fields selected, in inventory order. A selector that matches no
    /// field at all is an error naming the closest real names.
    pub fn select<'a>(
        &self,
        inventory: &'a Inventory,
    ) -> Result<Vec<&'a FieldRecord>, SelectorError> {
        let names: Vec<String> = if self.selectors.iter().any(|s| s.exact.is_none()) {
            inventory
                .fields
                .iter()
                .map(|f| f.coordinate.to_string())
                .collect()
        } else {
            Vec::new()
        };
        let mut chosen = vec![self.selectors.is_empty(); inventory.fields.len()];
        for selector in &self.selectors {
            let matching = selector.matching(inventory, &names);
            if matching.is_empty() {
                return Err(SelectorError::NoMatch {
                    selector: selector.raw.clone(),
                    suggestions: closest(inventory, &selector.raw),
                });
            }
            for i in matching {
                chosen[i] = true;
            }
        }
        Ok(inventory
            .fields
            .iter()
            .zip(chosen)
            .filter(|(f, chosen)| *chosen && self.passes_filters(f))
            .map(|(f, _)| f)
            .collect())
    }
}

/// Up to three real names close to what was typed: whole coordinates for a
/// `Type.field`, type names (as `Type.*`) when the type part is wrong.
fn closest(inventory: &Inventory, typed: &str) -> Vec<String> {
    let (type_part, field_part) = typed.split_once('.').unwrap_or((typed, ""));
    let types: BTreeSet<&str> = inventory
        .fields
        .iter()
        .map(|f| f.coordinate.type_name.as_str())
        .collect();
    let type_known = types.contains(type_part) || type_part.contains(['*', '?', '[']);
    let candidates: Vec<String> = if type_known {
        inventory
            .fields
            .iter()
            .map(|f| f.coordinate.to_string())
            .collect()
    } else if field_part == "*" {
        types.iter().map(|t| format!("{t}.*")).collect()
    } else {
        inventory
            .fields
            .iter()
            .map(|f| f.coordinate.to_string())
            .collect()
    };
    let target = typed.to_lowercase();
    let mut scored: Vec<(f64, String)> = candidates
        .into_iter()
        .map(|c| (strsim::jaro_winkler(&target, &c.to_lowercase()), c))
        .filter(|(score, _)| *score > 0.75)
        .collect();
    scored.sort_by(|a, b| b.0.total_cmp(&a.0).then_with(|| a.1.cmp(&b.1)));
    scored.dedup_by(|a, b| a.1 == b.1);
    // The best guess always; others only when they are close too.
    let best = scored.first().map(|(score, _)| *score).unwrap_or(0.0);
    scored
        .into_iter()
        .take(3)
        .filter(|(score, _)| *score >= best - 0.05)
        .map(|(_, c)| c)
        .collect()
}
