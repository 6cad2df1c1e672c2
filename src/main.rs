use clap::Parser;
use ferry::cli::Cli;
use ferry::commands::{Outcome, run};
use std::process::ExitCode;

// Parsing large schemas allocates many small nodes; mimalloc halves that cost.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    // SAFETY: first thing, on the only thread, before any tree-sitter call.
    unsafe { ferry::commands::allocator::set_up() };
    ferry::cli::complete::answer_shell_and_exit();
    let cli = Cli::parse();
    match run(cli) {
        Ok(Outcome::Success) => ExitCode::SUCCESS,
        Ok(Outcome::WouldChange | Outcome::Findings | Outcome::Mismatches) => ExitCode::from(1),
        Err(error) => {
            eprintln!("error: {error:#}");
            let interrupted = error
                .downcast_ref::<ferry::edit::write::WriteError>()
                .is_some_and(|e| e.is_interrupt());
            // A signal stops ferry the way it stops a shell's commands.
            ExitCode::from(if interrupted { 130 } else { 2 })
        }
    }
}
