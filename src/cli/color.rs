//! `--color WHEN`, which also still takes the canary group's color that
//! `mark --color C` and `advance --color C` meant before `--canary-color`.

use crate::render::style::ColorChoice;
use clap::builder::{PossibleValue, TypedValueParser};
use std::ffi::OsStr;

/// What was typed after `--color`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ColorArg {
    When(ColorChoice),
    /// Not auto, always or never: the old spelling of `--canary-color`.
    CanaryGroup(String),
}

impl Default for ColorArg {
    fn default() -> Self {
        ColorArg::When(ColorChoice::Auto)
    }
}

/// Parses `--color`: any text is accepted so that the old canary spelling
/// still reaches `Cli::settle_deprecated`, which refuses it elsewhere; help
/// and completions offer auto, always and never.
#[derive(Debug, Clone, Copy)]
pub struct ColorArgParser;

impl TypedValueParser for ColorArgParser {
    type Value = ColorArg;

    fn parse_ref(
        &self,
        cmd: &clap::Command,
        _arg: Option<&clap::Arg>,
        value: &OsStr,
    ) -> Result<ColorArg, clap::Error> {
        let text = value
            .to_str()
            .ok_or_else(|| clap::Error::new(clap::error::ErrorKind::InvalidUtf8).with_cmd(cmd))?;
        Ok(match ColorChoice::parse(text) {
            Some(choice) => ColorArg::When(choice),
            None => ColorArg::CanaryGroup(text.to_string()),
        })
    }

    fn possible_values(&self) -> Option<Box<dyn Iterator<Item = PossibleValue> + '_>> {
        Some(Box::new(
            ColorChoice::ALL
                .into_iter()
                .map(|choice| PossibleValue::new(choice.as_str())),
        ))
    }
}
