//! A share of traffic, as progressive `@override` spells it in
//! `percent(N)` labels and as `[override] ladder` lists it: a number in
//! (0, 100] with at most 8 decimals (what Apollo's composition accepts).

use std::fmt;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Percent(String);

impl Percent {
    /// A number as typed (`5`, `2.5`, `5.0`): written back in its shortest
    /// form (`5.0` → `5`), refused with the reason when out of range.
    pub fn parse(text: &str) -> Result<Percent, String> {
        let value: f64 = text
            .trim()
            .parse()
            .map_err(|_| format!("`{text}` is not a number: give a percentage such as 5 or 2.5"))?;
        Percent::from_value(value)
    }

    pub fn from_value(value: f64) -> Result<Percent, String> {
        if !(value > 0.0 && value <= 100.0) {
            return Err(format!(
                "{value} is not a percentage above 0 and at most 100"
            ));
        }
        let text = value.to_string();
        Percent::from_text(&text)
            .ok_or_else(|| format!("{text}: a percentage takes at most 8 decimals"))
    }

    /// The number of a `percent(N)` label exactly as written, when composition accepts it.
    pub fn from_label(label: &str) -> Option<Percent> {
        Percent::from_text(label.strip_prefix("percent(")?.strip_suffix(')')?)
    }

    /// `N` as composition's `percent(N)` takes it: `100`, or one or two
    /// digits with up to 8 decimals; above 0.
    fn from_text(text: &str) -> Option<Percent> {
        let (whole, decimals) = match text.split_once('.') {
            Some((whole, decimals)) => (whole, Some(decimals)),
            None => (text, None),
        };
        let digits = |s: &str, max: usize| {
            !s.is_empty() && s.len() <= max && s.bytes().all(|b| b.is_ascii_digit())
        };
        let shaped = if text == "100" {
            true
        } else {
            digits(whole, 2) && decimals.is_none_or(|d| digits(d, 8))
        };
        let value: f64 = text.parse().ok()?;
        (shaped && value > 0.0).then(|| Percent(text.to_string()))
    }

    pub fn value(&self) -> f64 {
        self.0.parse().expect("checked when made")
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// `percent(N)`.
    pub fn label(&self) -> String {
        format!("percent({})", self.0)
    }
}

impl fmt::Display for Percent {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}%", self.0)
    }
}

/// `[override] ladder` when ferry.toml does not say.
pub const DEFAULT_LADDER: [f64; 4] = [1.0, 5.0, 25.0, 50.0];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_kept_in_their_shortest_form_and_checked_as_composition_does() {
        assert_eq!(Percent::parse("5.0").unwrap().label(), "percent(5)");
        assert_eq!(Percent::parse("2.5").unwrap().label(), "percent(2.5)");
        assert_eq!(Percent::parse("100").unwrap().label(), "percent(100)");
        assert!(Percent::parse("0").is_err());
        assert!(Percent::parse("100.5").is_err());
        assert!(Percent::parse("0.123456789").is_err());
        assert!(Percent::parse("many").is_err());
        assert_eq!(Percent::from_label("percent(05)").unwrap().as_str(), "05");
        assert!(Percent::from_label("percent(100.0)").is_none());
        assert!(Percent::from_label("percent(0)").is_none());
        assert!(Percent::from_label("canary:red").is_none());
    }
}
