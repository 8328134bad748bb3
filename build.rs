//! Links release binaries for Linux with glibc as position-dependent executables (`-no-pie`).
//!
//! A position-independent `seloste` carries ~60 000 relative relocations (vtables, tables of
//! pointers in clap, regex, miette...) that the dynamic loader applies at every start, writing to
//! ~400 pages: ~390 of the ~500 page faults and ~1 ms of the ~2.3 ms start-up of `seloste --version`
//! on the benchmark machine, in a tool that pre-commit starts on every commit (BENCHMARKS.md). The
//! cost: the executable image is not placed at a random address (libraries, heap and stack still
//! are). `SELOSTE_PIE=1` at build time keeps the default. Static builds (`+crt-static`, musl) are
//! left alone: rustc links them as static PIE, and `-no-pie` on top gives a binary that crashes.

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    println!("cargo:rerun-if-env-changed=SELOSTE_PIE");
    let var = |k: &str| std::env::var(k).unwrap_or_default();
    let glibc = var("CARGO_CFG_TARGET_OS") == "linux" && var("CARGO_CFG_TARGET_ENV") == "gnu";
    let crt_static = var("CARGO_CFG_TARGET_FEATURE")
        .split(',')
        .any(|f| f == "crt-static");
    let release = var("PROFILE") == "release";
    if glibc && !crt_static && release && std::env::var_os("SELOSTE_PIE").is_none() {
        println!("cargo:rustc-link-arg-bins=-no-pie");
    }
}
