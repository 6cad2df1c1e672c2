//! The popups' answers: help and the message log scroll, the choices lead
//! to an edit, the refusal dialog forces or skips, the preview writes,
//! quitting is confirmed.

use super::{Action, App, ColorFor, EditRequest, Level, Mode, Pending, Verb};
use crate::migration::plan::EditOptions;
use crate::model::stage::Stage;
use crate::tui::keys::Command;

/// Lines one page key scrolls a popup.
const POPUP_PAGE: u16 = 10;

/// A popup's scroll after a movement key (`None`: the key closes it).
fn scrolled(scroll: u16, command: Command) -> Option<u16> {
    match command {
        Command::Down => Some(scroll.saturating_add(1)),
        Command::Up => Some(scroll.saturating_sub(1)),
        Command::PageDown => Some(scroll.saturating_add(POPUP_PAGE)),
        Command::PageUp => Some(scroll.saturating_sub(POPUP_PAGE)),
        Command::Top => Some(0),
        _ => None,
    }
}

impl App {
    pub(super) fn on_dialog_command(&mut self, mode: Mode, command: Command) -> Action {
        if command == Command::Quit && !matches!(mode, Mode::ConfirmQuit) {
            return self.quit();
        }
        match mode {
            Mode::Help { scroll } => {
                self.mode = match scrolled(scroll, command) {
                    Some(scroll) => Mode::Help { scroll },
                    None => Mode::List,
                };
            }
            Mode::Log { from_end } => {
                // Up goes back in time: further from the newest line.
                let flipped = match command {
                    Command::Up => Command::Down,
                    Command::Down => Command::Up,
                    Command::PageUp => Command::PageDown,
                    Command::PageDown => Command::PageUp,
                    Command::Top => Command::Bottom,
                    Command::Bottom => Command::Top,
                    other => other,
                };
                // The popup's text rows: the screen less a margin and the border.
                let room = self.screen.area.height.saturating_sub(4) as usize;
                let most = self.log_lines(self.log_width()).len().saturating_sub(room) as u16;
                self.mode = match (flipped, scrolled(from_end, flipped)) {
                    (Command::Bottom, _) => Mode::Log { from_end: most },
                    (_, Some(from_end)) => Mode::Log {
                        from_end: from_end.min(most),
                    },
                    (_, None) => Mode::List,
                };
            }
            Mode::Message { .. } => self.mode = Mode::List,
            Mode::ChooseService {
                canary,
                choices,
                cursor,
                fields,
            } => {
                let last = choices.len().saturating_sub(1);
                let cursor = match command {
                    Command::Up => cursor.saturating_sub(1),
                    Command::Down => (cursor + 1).min(last),
                    Command::Top | Command::PageUp => 0,
                    Command::Bottom | Command::PageDown => last,
                    Command::Confirm => {
                        let into = choices[cursor].clone();
                        if canary {
                            self.mode = Mode::ChooseColor {
                                input: String::new(),
                                then: ColorFor::Mark { into },
                                fields,
                            };
                        } else {
                            self.mode = Mode::List;
                            self.execute(
                                EditRequest {
                                    verb: Verb::Mark {
                                        into,
                                        canary: false,
                                        color: None,
                                    },
                                    fields,
                                },
                                EditOptions::default(),
                            );
                        }
                        return Action::Continue;
                    }
                    Command::Back => {
                        self.mode = Mode::List;
                        return Action::Continue;
                    }
                    _ => cursor,
                };
                if let Mode::ChooseService { cursor: c, .. } = &mut self.mode {
                    *c = cursor;
                }
            }
            Mode::ChooseColor {
                input,
                then,
                fields,
            } => match command {
                Command::Confirm => {
                    self.mode = Mode::List;
                    let color = (!input.is_empty()).then_some(input);
                    let verb = match then {
                        ColorFor::Mark { into } => Verb::Mark {
                            into,
                            canary: true,
                            color,
                        },
                        ColorFor::Advance => Verb::Advance {
                            to: Some(Stage::Canary),
                            color,
                        },
                    };
                    self.execute(EditRequest { verb, fields }, EditOptions::default());
                }
                Command::Back => self.mode = Mode::List,
                _ => {}
            },
            Mode::Refused {
                request,
                refusals,
                delete_python,
            } => match (command, request) {
                (Command::Force, Pending::Edit(request))
                    if refusals.iter().any(|r| r.overridable()) =>
                {
                    self.mode = Mode::List;
                    let keep_going = refusals.iter().any(|r| !r.overridable());
                    self.execute(
                        request,
                        EditOptions {
                            force: true,
                            keep_going,
                            delete_python,
                        },
                    );
                }
                (Command::Skip, request) if refusals.len() < request.fields().len() => {
                    self.mode = Mode::List;
                    match request {
                        Pending::Edit(request) => self.execute(
                            request,
                            EditOptions {
                                force: false,
                                keep_going: true,
                                delete_python,
                            },
                        ),
                        Pending::GenerateGo(fields) => {
                            let kept = fields
                                .into_iter()
                                .filter(|c| !refusals.iter().any(|r| r.field == c.to_string()))
                                .collect();
                            self.generate_go_for(kept, refusals.len());
                        }
                    }
                }
                (Command::Back, _) => {
                    self.mode = Mode::List;
                    self.say(Level::Info, "cancelled: nothing was written");
                }
                _ => {}
            },
            Mode::Preview { pending, scroll } => match command {
                Command::Confirm => {
                    self.mode = Mode::List;
                    self.write_now(*pending);
                }
                Command::Back => {
                    self.mode = Mode::List;
                    self.say(
                        Level::Info,
                        format!("not written: {} (nothing changed)", pending.summary),
                    );
                }
                other => {
                    if let Some(scroll) = scrolled(scroll, other) {
                        self.mode = Mode::Preview { pending, scroll };
                    }
                }
            },
            Mode::ConfirmQuit => match command {
                Command::Quit => return Action::Quit,
                Command::Back => self.mode = Mode::List,
                _ => {}
            },
            Mode::List | Mode::Detail | Mode::Filter { .. } => {}
        }
        Action::Continue
    }

    /// How far the log scrolls up: until its oldest line is at the top.
    pub(super) fn log_scroll_limit(&self) -> u16 {
        // The popup's text rows: the screen less a margin and the border.
        let room = self.screen.area.height.saturating_sub(4) as usize;
        self.log_lines(self.log_width()).len().saturating_sub(room) as u16
    }

    /// The message log's text width: the popup's, inside its border.
    pub fn log_width(&self) -> usize {
        crate::tui::layout::popup_width(self.screen.area.width, crate::tui::layout::POPUP_WIDTH)
            .saturating_sub(2) as usize
    }
}
