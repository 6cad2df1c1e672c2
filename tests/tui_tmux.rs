//! End to end: the real `ferry tui` in a real terminal (tmux), on a copy of
//! the demo workspace. Keys go in with `send-keys`, the screen comes back
//! with `capture-pane`. Without tmux the test says so and passes, except on
//! CI (`CI=true`), where tmux must be there (`scripts/test` installs it).

mod common;

use common::Workspace;
use std::process::{Command, Output};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

const ASSIGNMENTS: &str = "services/assignments/graph/schema.graphqls";

/// A tmux server of the test's own (`-L`), killed when dropped.
struct Tmux {
    socket: String,
    session: String,
}

impl Tmux {
    fn run(&self, args: &[&str]) -> Output {
        Command::new("tmux")
            .arg("-L")
            .arg(&self.socket)
            .args(args)
            .output()
            .expect("tmux runs")
    }

    fn start(command: &str) -> Tmux {
        static SESSIONS: AtomicUsize = AtomicUsize::new(0);
        let tmux = Tmux {
            socket: format!(
                "ferry-test-{}-{}",
                std::process::id(),
                SESSIONS.fetch_add(1, Ordering::SeqCst)
            ),
            session: "tui".into(),
        };
        let out = tmux.run(&[
            "new-session",
            "-d",
            "-x",
            "120",
            "-y",
            "40",
            "-s",
            &tmux.session,
            command,
        ]);
        assert!(
            out.status.success(),
            "tmux new-session: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        tmux
    }

    fn keys(&self, keys: &[&str]) {
        let mut args = vec!["send-keys", "-t", &self.session];
        args.extend(keys);
        assert!(self.run(&args).status.success());
    }

    /// Types text literally.
    fn text(&self, text: &str) {
        assert!(
            self.run(&["send-keys", "-t", &self.session, "-l", text])
                .status
                .success()
        );
    }

    fn screen(&self) -> String {
        String::from_utf8_lossy(
            &self
                .run(&["capture-pane", "-p", "-t", &self.session])
                .stdout,
        )
        .into_owned()
    }

    /// Waits until the screen shows `text`; panics with the screen if it
    /// does not within ten seconds.
    #[track_caller]
    fn wait_for(&self, text: &str) -> String {
        let start = Instant::now();
        loop {
            let screen = self.screen();
            if screen.contains(text) {
                return screen;
            }
            // Generous: a panicking debug build prints its backtrace
            // slowly while the rest of the suite runs beside it.
            if start.elapsed() > Duration::from_secs(30) {
                panic!("the screen never showed {text:?}; it shows:\n{screen}");
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

impl Tmux {
    /// Waits until the screen no longer shows `text`.
    #[track_caller]
    fn wait_without(&self, text: &str) -> String {
        let start = Instant::now();
        loop {
            let screen = self.screen();
            if !screen.contains(text) {
                return screen;
            }
            if start.elapsed() > Duration::from_secs(10) {
                panic!("the screen still shows {text:?}:\n{screen}");
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

impl Drop for Tmux {
    fn drop(&mut self) {
        let _ = self.run(&["kill-server"]);
    }
}

fn tmux_available() -> bool {
    Command::new("tmux")
        .arg("-V")
        .output()
        .is_ok_and(|o| o.status.success())
}

/// False (after saying why) when the test cannot run here.
fn need_tmux() -> bool {
    if tmux_available() {
        return true;
    }
    if std::env::var("CI").as_deref() == Ok("true") {
        panic!("tmux is missing on CI; scripts/test installs it (apt-get install tmux)");
    }
    eprintln!("notice: tmux is not installed; skipping the end-to-end TUI test");
    false
}

/// Nothing but the TUI drew on the screen: every line between the list's
/// top and bottom borders starts with its left border. (A progress line on
/// stderr, say, would erase a line behind ratatui's back.)
#[track_caller]
fn assert_frame_intact(screen: &str) {
    let lines: Vec<&str> = screen.lines().collect();
    let top = lines
        .iter()
        .position(|l| l.starts_with('┌'))
        .expect("the list's top border");
    let bottom = lines
        .iter()
        .position(|l| l.starts_with('└'))
        .expect("the list's bottom border");
    for line in &lines[top + 1..bottom] {
        assert!(
            line.starts_with('│'),
            "a line of the frame was overwritten:\n{screen}"
        );
    }
}

fn shell_quote(s: &str) -> String {
    format!("'{}'", s.replace('\'', "'\\''"))
}

#[test]
fn advance_in_the_real_terminal_writes_the_schema_and_quits_cleanly() {
    if !need_tmux() {
        return;
    }
    let ws = Workspace::demo();
    ws.clean_evidence(&["Assignment.title"]);
    let command = format!(
        "TERM=xterm-256color {} --root {} tui; echo \"ferry exited: $?\"; sleep 60",
        shell_quote(env!("CARGO_BIN_EXE_ferry")),
        shell_quote(&ws.root().to_string_lossy()),
    );
    let tmux = Tmux::start(&command);
    tmux.wait_for("Fields");

    // A field whose guard passes: side-by-side → migrated.
    tmux.text("/title");
    tmux.keys(&["Enter"]);
    tmux.wait_for("filter: title");
    tmux.text("a");
    let screen = tmux.wait_for(&format!("wrote {ASSIGNMENTS}"));
    assert!(
        screen.contains("advance: Assignment.title side-by-side → migrated"),
        "{screen}"
    );
    assert_frame_intact(&screen);

    // A field the guard refuses (no Go resolver yet): forced after the
    // confirmation.
    tmux.text("/");
    tmux.keys(&["C-u"]);
    tmux.text("Assignment.createdDate");
    tmux.keys(&["Enter"]);
    tmux.wait_for("filter: Assignment.createdDate");
    tmux.text("a");
    tmux.wait_for("refused");
    tmux.text("y");
    let screen = tmux.wait_for("FORCED");
    assert_frame_intact(&screen);

    // Undo has two changes to take back: quitting asks first.
    tmux.text("q");
    let screen = tmux.wait_for("Quit?");
    assert!(
        screen.contains("Undo has 2 changes to take back"),
        "{screen}"
    );
    tmux.text("n");
    tmux.wait_without("Quit?");
    tmux.keys(&["Escape"]); // the filter goes
    tmux.wait_for("Fields · 75 rows");
    tmux.keys(&["Escape"]); // then esc asks too
    tmux.wait_for("Quit?");
    tmux.text("y");
    let screen = tmux.wait_for("ferry exited: 0");
    // The alternate screen is gone: the shell's screen is back.
    assert!(!screen.contains("Fields ·"), "{screen}");

    let schema = ws.read(ASSIGNMENTS);
    assert!(
        schema.contains("title: String! @migrate(from: \"python\", state: \"migrated\")"),
        "{schema}"
    );
    assert!(
        schema.contains("createdDate: Time @migrate(from: \"python\", state: \"side-by-side\")"),
        "{schema}"
    );
}

#[test]
fn e_opens_the_editor_at_the_resolver_and_gives_the_screen_back() {
    if !need_tmux() {
        return;
    }
    let ws = Workspace::demo();
    // An editor that records its arguments and the terminal's mode, then
    // exits: ferry must have given the terminal back (canonical mode) and
    // take it again afterwards.
    let record = ws.root().join("editor-args.txt");
    let editor = ws.root().join("record-editor.sh");
    std::fs::write(
        &editor,
        format!(
            "#!/bin/sh\nprintf '%s\\n' \"$@\" > {record}\nstty -a | tr ' ' '\\n' | grep -x -- '-\\?icanon' >> {record}\n",
            record = shell_quote(&record.to_string_lossy())
        ),
    )
    .unwrap();
    let mut permissions = std::fs::metadata(&editor).unwrap().permissions();
    std::os::unix::fs::PermissionsExt::set_mode(&mut permissions, 0o755);
    std::fs::set_permissions(&editor, permissions).unwrap();
    let command = format!(
        "env -u VISUAL TERM=xterm-256color EDITOR={} {} --root {} tui; echo \"ferry exited: $?\"; sleep 60",
        shell_quote(&editor.to_string_lossy()),
        shell_quote(env!("CARGO_BIN_EXE_ferry")),
        shell_quote(&ws.root().to_string_lossy()),
    );
    let tmux = Tmux::start(&command);
    tmux.wait_for("Fields");
    tmux.text("/Assignment.createdDate");
    tmux.keys(&["Enter"]);
    tmux.wait_for("filter: Assignment.createdDate");
    tmux.text("e");
    let screen = tmux.wait_for("back from the editor");
    assert!(
        screen.contains("back from the editor (services/assignments/graph/schema.resolvers.go:17)"),
        "{screen}"
    );
    assert_frame_intact(&screen);
    let recorded = std::fs::read_to_string(&record).unwrap();
    let resolvers = ws.path("services/assignments/graph/schema.resolvers.go");
    assert_eq!(
        recorded,
        format!("+17\n{}\nicanon\n", resolvers.display()),
        "the editor's arguments, then its terminal mode"
    );
    // The keys work again: the TUI has the terminal back.
    tmux.text("q");
    tmux.wait_for("ferry exited: 0");
}

#[test]
fn a_workspace_that_does_not_load_is_reported_before_the_screen_opens() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("ferry.toml"),
        "[python]\nschema = [\"missing.graphql\"]\n",
    )
    .unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_ferry"))
        .arg("--root")
        .arg(dir.path())
        .arg("tui")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.starts_with("error: "), "{stderr}");
    // Nothing was drawn: no escape sequences for the alternate screen.
    assert!(out.stdout.is_empty());
}

#[test]
fn without_a_terminal_it_says_to_use_status() {
    let ws = Workspace::demo();
    let out = Command::new(env!("CARGO_BIN_EXE_ferry"))
        .arg("--root")
        .arg(ws.root())
        .arg("tui")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("not one; use `ferry status`"), "{stderr}");
    assert!(out.stdout.is_empty());
}

/// Run by `a_panic_gives_the_terminal_back` in its own terminal: takes the
/// terminal as `ferry tui` does, then panics. Does nothing otherwise.
#[test]
fn panicking_child() {
    if std::env::var_os("FERRY_TUI_PANIC_CHILD").is_none() {
        return;
    }
    let mut guard = ferry::tui::terminal::TerminalGuard::enter().unwrap();
    guard
        .terminal
        .draw(|frame| {
            frame.render_widget(
                ratatui::widgets::Paragraph::new("inside the alternate screen"),
                frame.area(),
            )
        })
        .unwrap();
    panic!("a deliberate panic inside the TUI");
}

#[test]
fn a_panic_gives_the_terminal_back() {
    if !need_tmux() {
        return;
    }
    let exe = std::env::current_exe().unwrap();
    // After the panic: is the terminal out of raw mode (icanon, echo on)?
    let command = format!(
        "FERRY_TUI_PANIC_CHILD=1 {} --exact panicking_child --nocapture --test-threads=1; stty -a | tr ' ' '\\n' | grep -x -- '-\\?icanon'; echo child finished; sleep 60",
        shell_quote(&exe.to_string_lossy())
    );
    let tmux = Tmux::start(&command);
    let screen = tmux.wait_for("child finished");
    assert!(
        screen.contains("a deliberate panic inside the TUI"),
        "{screen}"
    );
    assert!(!screen.contains("inside the alternate screen"), "{screen}");
    let modes: Vec<&str> = screen
        .lines()
        .filter(|l| l.trim().ends_with("icanon"))
        .collect();
    assert_eq!(modes, ["icanon"], "{screen}");
}
