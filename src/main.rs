//! The `seloste` binary: parse the command line, run the library, map the result to an exit code.

use std::process::ExitCode;

use clap::Parser;
use seloste::cli::{self, Cli, Command};

// mimalloc instead of the system allocator: rules allocate small values for every text of every
// register, and glibc's malloc was an eighth of the instructions of a lint run (BENCHMARKS.md,
// "What was tried and notes", for the figures and the memory it costs).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

// mimalloc's own settings (mimalloc.h); the `mimalloc` crate binds only the allocator.
unsafe extern "C" {
    fn mi_option_set(option: std::ffi::c_int, value: std::ffi::c_long);
    #[cfg(test)]
    fn mi_option_get(option: std::ffi::c_int) -> std::ffi::c_long;
}

/// `mi_option_destroy_on_exit`: above 1, mimalloc skips its work at process exit. That work is
/// returning every freed page to the system one `madvise` at a time (~30 calls, 0.3 ms of a 5 ms
/// one-file run), which the exit does anyway.
const MI_OPTION_DESTROY_ON_EXIT: std::ffi::c_int = 22;

fn main() -> ExitCode {
    seloste::timing::start();
    // SAFETY: sets an option value; mimalloc reads it only at exit.
    unsafe { mi_option_set(MI_OPTION_DESTROY_ON_EXIT, 2) };
    // A panic is our bug, never the user's: report it in one paragraph, not a backtrace, and exit 2.
    std::panic::set_hook(Box::new(|info| {
        let at = info
            .location()
            .map(|l| format!(" at {}:{}", l.file(), l.line()))
            .unwrap_or_default();
        eprintln!(
            "error: internal error in seloste{at}: {}\nThis is a bug in seloste, not in your files: please report it with the command you ran.",
            info.payload()
                .downcast_ref::<&str>()
                .map(|s| (*s).to_owned())
                .or_else(|| info.payload().downcast_ref::<String>().cloned())
                .unwrap_or_default()
        );
    }));
    let cli = Cli::parse();
    seloste::timing::mark("command line parsed");
    let code = std::panic::catch_unwind(|| match &cli.command {
        Command::Lint(args) => cli::run_lint(args),
        Command::Rules(args) => cli::run_rules(args),
        Command::Explain(args) => cli::run_explain(args),
        Command::Render(args) => seloste::cli::render::run(args),
        Command::Export(args) => seloste::cli::export::run(args),
        Command::Import(args) => seloste::cli::import::run(args),
        Command::Server(args) => cli::run_server(args),
        Command::Init(args) => cli::run_init(args),
        Command::Schema => {
            println!(
                "{}",
                serde_json::to_string_pretty(&seloste::register::json_schema()).unwrap_or_default()
            );
            cli::EXIT_OK
        }
    })
    .unwrap_or(cli::EXIT_ERROR);
    seloste::timing::mark("done");
    ExitCode::from(code as u8)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    #[cfg(target_pointer_width = "64")]
    fn the_mimalloc_option_is_the_one_of_the_linked_version() {
        // The options on either side of `destroy_on_exit` in mimalloc.h have these defaults (on
        // 64-bit): if the numbering changed, the constant would set another option. `MIMALLOC_*`
        // variables change the defaults: then there is nothing to compare.
        if std::env::vars_os().any(|(k, _)| k.to_string_lossy().starts_with("MIMALLOC_")) {
            eprintln!("skipped: MIMALLOC_* variables are set");
            return;
        }
        // SAFETY: reads option values.
        unsafe {
            assert_eq!(mi_option_get(MI_OPTION_DESTROY_ON_EXIT - 4), 100, "os_tag");
            assert_eq!(
                mi_option_get(MI_OPTION_DESTROY_ON_EXIT - 3),
                32,
                "max_errors"
            );
            assert_eq!(
                mi_option_get(MI_OPTION_DESTROY_ON_EXIT + 1),
                1 << 20,
                "arena_reserve"
            );
        }
    }
}
