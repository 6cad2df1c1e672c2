use clap::Parser;
use ferry::cli::Cli;
use ferry::commands::{Outcome, run};
use std::process::ExitCode;

// Parsing large schemas allocates many small nodes; mimalloc halves that cost.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    ferry::cli::complete::answer_shell_and_exit();
    let cli = Cli::parse();
    match run(cli) {
        Ok(Outcome::Success) => ExitCode::SUCCESS,
        Ok(Outcome::WouldChange | Outcome::Findings) => ExitCode::from(1),
        Err(error) => {
            eprintln!("error: {error:#}");
            ExitCode::from(2)
        }
    }
}
