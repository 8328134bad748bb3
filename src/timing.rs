//! `SELOSTE_DEBUG=timing`: the time since start-up at each phase of a run, on stderr, for finding
//! where a run spends its time (see BENCHMARKS.md). Off, a mark costs one atomic load.

use std::sync::OnceLock;
use std::time::Instant;

static START: OnceLock<Instant> = OnceLock::new();
static ON: OnceLock<bool> = OnceLock::new();

/// Sets the start of the clock (the first thing `main` does).
pub fn start() {
    START.get_or_init(Instant::now);
}

/// Reports that the phase `label` has ended, when `SELOSTE_DEBUG=timing` is set.
pub fn mark(label: impl std::fmt::Display) {
    if *ON.get_or_init(|| std::env::var("SELOSTE_DEBUG").is_ok_and(|v| v == "timing")) {
        let t = START.get_or_init(Instant::now).elapsed();
        let thread = std::thread::current();
        eprintln!(
            "{:9.3} ms  {:<16} {label}",
            t.as_secs_f64() * 1e3,
            thread.name().unwrap_or("?")
        );
    }
}
