//! The one key table: it dispatches key presses, and the footer and the `?`
//! help popup are printed from it, so what is shown is what the keys do.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

/// What a key asks for. The app decides what it means in its current mode
/// (Up moves the cursor in the list, scrolls the detail pane, moves in a
/// choice list).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Command {
    Up,
    Down,
    PageUp,
    PageDown,
    Top,
    Bottom,
    Collapse,
    Expand,
    Select,
    SelectAll,
    Advance,
    Rollback,
    Mark,
    Canary,
    Finish,
    FinishDeletingPython,
    GenerateGo,
    Plan,
    FilterCluster,
    Undo,
    Redo,
    TogglePreview,
    Edit,
    Log,
    NextMatch,
    PreviousMatch,
    ShrinkList,
    GrowList,
    Zoom,
    ScrollLeft,
    ScrollRight,
    Filter,
    Open,
    Reload,
    Help,
    Back,
    Quit,
    Confirm,
    Force,
    Skip,
}

/// Where a binding applies. Lookups try the mode's own scope first, then
/// `Everywhere`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    Everywhere,
    /// The field list (and, for its actions, the detail pane).
    List,
    /// The detail pane when it has the focus.
    Detail,
    /// A choice list or a prompt (the service to mark into, the canary color).
    Dialog,
    /// The dialog listing refused fields.
    Refusal,
    /// The diff of a change waiting to be written.
    Preview,
    /// "Quit and lose the undo history?"
    Quitting,
}

impl Scope {
    pub fn title(self) -> &'static str {
        match self {
            Scope::Everywhere => "Moving around",
            Scope::List => "Fields",
            Scope::Detail => "Detail pane",
            Scope::Dialog => "Choices and prompts",
            Scope::Refusal => "Refused fields",
            Scope::Preview => "Preview of a change",
            Scope::Quitting => "Quitting with changes to undo",
        }
    }

    /// The scopes a key is looked up in, in order.
    fn chain(self) -> &'static [Scope] {
        match self {
            Scope::Everywhere => &[Scope::Everywhere],
            Scope::List => &[Scope::List, Scope::Everywhere],
            Scope::Detail => &[Scope::Detail, Scope::Everywhere, Scope::List],
            Scope::Dialog => &[Scope::Dialog, Scope::Everywhere],
            Scope::Refusal => &[Scope::Refusal, Scope::Everywhere],
            Scope::Preview => &[Scope::Preview, Scope::Everywhere],
            Scope::Quitting => &[Scope::Quitting, Scope::Everywhere],
        }
    }
}

/// One key: a key code, with or without Ctrl (Shift is part of the character).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Key {
    pub code: KeyCode,
    pub ctrl: bool,
}

const fn key(c: char) -> Key {
    Key {
        code: KeyCode::Char(c),
        ctrl: false,
    }
}

const fn ctrl(c: char) -> Key {
    Key {
        code: KeyCode::Char(c),
        ctrl: true,
    }
}

const fn code(code: KeyCode) -> Key {
    Key { code, ctrl: false }
}

impl Key {
    fn matches(&self, event: &KeyEvent) -> bool {
        let ctrl = event.modifiers.contains(KeyModifiers::CONTROL);
        let alt = event.modifiers.contains(KeyModifiers::ALT);
        !alt && ctrl == self.ctrl && event.code == self.code
    }

    pub fn name(&self) -> String {
        let base = match self.code {
            KeyCode::Char(' ') => "space".to_string(),
            KeyCode::Char(c) => c.to_string(),
            KeyCode::Up => "↑".into(),
            KeyCode::Down => "↓".into(),
            KeyCode::Left => "←".into(),
            KeyCode::Right => "→".into(),
            KeyCode::PageUp => "PgUp".into(),
            KeyCode::PageDown => "PgDn".into(),
            KeyCode::Home => "Home".into(),
            KeyCode::End => "End".into(),
            KeyCode::Enter => "enter".into(),
            KeyCode::Esc => "esc".into(),
            KeyCode::Tab => "tab".into(),
            other => format!("{other:?}"),
        };
        if self.ctrl {
            format!("ctrl-{base}")
        } else {
            base
        }
    }
}

pub struct Binding {
    pub keys: &'static [Key],
    pub command: Command,
    pub scope: Scope,
    /// The word the footer shows; `None` keeps the binding out of the footer.
    pub footer: Option<&'static str>,
    pub help: &'static str,
}

impl Binding {
    /// `↑/k`: every key of the binding.
    pub fn key_names(&self) -> String {
        self.keys
            .iter()
            .map(Key::name)
            .collect::<Vec<_>>()
            .join("/")
    }

    /// The first key only, for the footer.
    pub fn short_key(&self) -> String {
        self.keys.first().map(Key::name).unwrap_or_default()
    }
}

macro_rules! bind {
    ($scope:ident, [$($key:expr),+], $command:ident, $footer:expr, $help:expr) => {
        Binding {
            keys: &[$($key),+],
            command: Command::$command,
            scope: Scope::$scope,
            footer: $footer,
            help: $help,
        }
    };
}

pub const BINDINGS: &[Binding] = &[
    bind!(
        List,
        [key('a')],
        Advance,
        Some("advance"),
        "advance one stage (manual → side-by-side, or canary for mutations; → migrated)"
    ),
    bind!(
        List,
        [key('r')],
        Rollback,
        Some("rollback"),
        "roll back one stage; from manual, remove what mark added"
    ),
    bind!(
        List,
        [key('m')],
        Mark,
        Some("mark"),
        "mark into a Go service (choose it from a list)"
    ),
    bind!(
        List,
        [key('c')],
        Canary,
        Some("canary"),
        "to canary with a color (python fields: mark --canary)"
    ),
    bind!(
        List,
        [key('f')],
        Finish,
        Some("finish"),
        "finish: remove @migrate from migrated or canary fields"
    ),
    bind!(
        List,
        [key('F')],
        FinishDeletingPython,
        None,
        "finish and delete the Python the fields no longer need (shows the diff first)"
    ),
    bind!(
        List,
        [key('g')],
        GenerateGo,
        Some("gen go"),
        "generate Go resolver skeletons"
    ),
    bind!(
        List,
        [key('u')],
        Undo,
        Some("undo"),
        "undo the last change (restores the files byte for byte)"
    ),
    bind!(
        List,
        [key('U'), ctrl('r')],
        Redo,
        None,
        "redo what undo took back"
    ),
    bind!(
        List,
        [key('d')],
        TogglePreview,
        None,
        "preview: each change shows its diff and waits for y (again: off)"
    ),
    bind!(
        List,
        [key('e')],
        Edit,
        None,
        "open the Go resolver (else the Python one) in $EDITOR at its line; in the detail pane, the section at the top"
    ),
    bind!(
        List,
        [key('/')],
        Filter,
        Some("filter"),
        "filter: words match Type.field; stage:NAME, service:NAME, kind:NAME, cluster:N narrow"
    ),
    bind!(
        List,
        [key('p')],
        Plan,
        None,
        "porting plan: each field's calls, models, effort and cluster in the detail pane (computed on first use: reads every function body once)"
    ),
    bind!(
        List,
        [key('C')],
        FilterCluster,
        None,
        "show only the fields of the cursor field's plan cluster (the filter cluster:N)"
    ),
    bind!(
        List,
        [key(' ')],
        Select,
        Some("select"),
        "select the field (on a group: all its shown fields)"
    ),
    bind!(
        List,
        [key('*')],
        SelectAll,
        None,
        "select every field the filter shows (again: clear)"
    ),
    bind!(
        List,
        [code(KeyCode::Enter)],
        Open,
        Some("detail"),
        "detail pane of the field (on a group: fold or unfold)"
    ),
    bind!(
        List,
        [code(KeyCode::Left), key('h')],
        Collapse,
        None,
        "fold the group (on a field: go to its type)"
    ),
    bind!(
        List,
        [code(KeyCode::Right), key('l')],
        Expand,
        None,
        "unfold the group"
    ),
    bind!(
        List,
        [key('n')],
        NextMatch,
        None,
        "next field the filter shows (past the end: the first)"
    ),
    bind!(
        List,
        [key('N')],
        PreviousMatch,
        None,
        "previous field the filter shows"
    ),
    bind!(
        List,
        [key('<')],
        ShrinkList,
        None,
        "narrow the list, widen the detail pane"
    ),
    bind!(
        List,
        [key('>')],
        GrowList,
        None,
        "widen the list, narrow the detail pane"
    ),
    bind!(
        List,
        [key('z')],
        Zoom,
        None,
        "zoom: the list or the focused detail pane takes the whole width (again: both)"
    ),
    bind!(
        List,
        [key('L')],
        Log,
        Some("log"),
        "the message log: every message of the session, whole"
    ),
    bind!(
        List,
        [key('R')],
        Reload,
        None,
        "reload the workspace from disk"
    ),
    bind!(
        List,
        [key('q')],
        Quit,
        Some("quit"),
        "quit (asks first while undo has changes to take back)"
    ),
    bind!(Everywhere, [code(KeyCode::Up), key('k')], Up, None, "up"),
    bind!(
        Everywhere,
        [code(KeyCode::Down), key('j')],
        Down,
        None,
        "down"
    ),
    bind!(
        Everywhere,
        [code(KeyCode::PageUp), ctrl('b'), ctrl('u')],
        PageUp,
        None,
        "page up"
    ),
    bind!(
        Everywhere,
        [code(KeyCode::PageDown), ctrl('f'), ctrl('d')],
        PageDown,
        None,
        "page down"
    ),
    bind!(Everywhere, [code(KeyCode::Home)], Top, None, "to the top"),
    bind!(
        Everywhere,
        [code(KeyCode::End), key('G')],
        Bottom,
        None,
        "to the bottom"
    ),
    bind!(Everywhere, [key('?')], Help, Some("help"), "this help"),
    bind!(
        Everywhere,
        [code(KeyCode::Esc)],
        Back,
        None,
        "close the popup or pane; clear the selection, the filter, the zoom; then quit"
    ),
    bind!(
        Everywhere,
        [ctrl('c')],
        Quit,
        None,
        "quit (asks first while undo has changes to take back)"
    ),
    bind!(
        Detail,
        [code(KeyCode::Enter), code(KeyCode::Tab)],
        Back,
        None,
        "back to the list"
    ),
    bind!(
        Detail,
        [code(KeyCode::Left), key('h')],
        ScrollLeft,
        None,
        "scroll left"
    ),
    bind!(
        Detail,
        [code(KeyCode::Right), key('l')],
        ScrollRight,
        None,
        "scroll right (code is not wrapped)"
    ),
    bind!(Dialog, [code(KeyCode::Enter)], Confirm, None, "confirm"),
    bind!(
        Refusal,
        [key('y')],
        Force,
        None,
        "force the guards that can be overridden (says so in the status line)"
    ),
    bind!(
        Refusal,
        [key('s')],
        Skip,
        None,
        "skip the refused fields, apply the others"
    ),
    bind!(Refusal, [key('n')], Back, None, "cancel: write nothing"),
    bind!(
        Preview,
        [key('y'), code(KeyCode::Enter)],
        Confirm,
        None,
        "write the change"
    ),
    bind!(Preview, [key('n')], Back, None, "cancel: write nothing"),
    bind!(
        Quitting,
        [key('y'), key('q')],
        Quit,
        None,
        "quit; the undo history is lost (the files stay as they are)"
    ),
    bind!(Quitting, [key('n')], Back, None, "stay"),
];

/// The command a key press means in a scope.
pub fn command_for(scope: Scope, event: &KeyEvent) -> Option<Command> {
    scope.chain().iter().find_map(|scope| {
        BINDINGS
            .iter()
            .filter(|b| b.scope == *scope)
            .find(|b| b.keys.iter().any(|k| k.matches(event)))
            .map(|b| b.command)
    })
}

/// The bindings the footer lists, in table order.
pub fn footer() -> impl Iterator<Item = &'static Binding> {
    BINDINGS.iter().filter(|b| b.footer.is_some())
}

/// The footer's width on one line: `key label` items two spaces apart.
pub fn footer_width() -> usize {
    footer()
        .map(|b| {
            b.short_key().chars().count() + 1 + b.footer.unwrap_or_default().chars().count() + 2
        })
        .sum()
}

/// The key names of the first binding of a command in a scope, for hints
/// such as "press y to force".
pub fn keys_of(scope: Scope, command: Command) -> String {
    BINDINGS
        .iter()
        .find(|b| b.scope == scope && b.command == command)
        .map(Binding::key_names)
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_key_means_two_things_in_one_scope() {
        for (i, a) in BINDINGS.iter().enumerate() {
            for b in &BINDINGS[i + 1..] {
                if a.scope != b.scope {
                    continue;
                }
                for key in a.keys {
                    assert!(
                        !b.keys.contains(key),
                        "{} is bound to {:?} and {:?} in {:?}",
                        key.name(),
                        a.command,
                        b.command,
                        a.scope
                    );
                }
            }
        }
    }

    #[test]
    fn the_issue_s_default_keys_dispatch() {
        let press = |c| KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE);
        for (c, command) in [
            ('a', Command::Advance),
            ('r', Command::Rollback),
            ('m', Command::Mark),
            ('c', Command::Canary),
            ('f', Command::Finish),
            ('F', Command::FinishDeletingPython),
            ('g', Command::GenerateGo),
            ('u', Command::Undo),
            ('/', Command::Filter),
            (' ', Command::Select),
            ('?', Command::Help),
            ('q', Command::Quit),
            ('j', Command::Down),
            ('k', Command::Up),
        ] {
            assert_eq!(command_for(Scope::List, &press(c)), Some(command), "{c}");
        }
        let enter = KeyEvent::new(KeyCode::Enter, KeyModifiers::NONE);
        assert_eq!(command_for(Scope::List, &enter), Some(Command::Open));
        assert_eq!(command_for(Scope::Detail, &enter), Some(Command::Back));
        let shift_g = KeyEvent::new(KeyCode::Char('G'), KeyModifiers::SHIFT);
        assert_eq!(command_for(Scope::List, &shift_g), Some(Command::Bottom));
        let ctrl_d = KeyEvent::new(KeyCode::Char('d'), KeyModifiers::CONTROL);
        assert_eq!(command_for(Scope::List, &ctrl_d), Some(Command::PageDown));
    }
}
