//! Links release binaries on Linux as position-dependent executables (`-no-pie`).
//!
//! A position-independent `seloste` carries ~60 000 relative relocations (vtables, tables of
//! pointers in clap, regex, miette...) that the dynamic loader applies at every start, writing to
//! ~400 pages: ~390 of the ~500 page faults and ~1 ms of the ~2.3 ms start-up of `seloste --version`
//! on the benchmark machine, in a tool that pre-commit starts on every commit (BENCHMARKS.md). The
//! cost: the executable image is not placed at a random address (libraries, heap and stack still
//! are). `SELOSTE_PIE=1` at build time keeps the default.

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    println!("cargo:rerun-if-env-changed=SELOSTE_PIE");
    let linux = std::env::var("CARGO_CFG_TARGET_OS").as_deref() == Ok("linux");
    let release = std::env::var("PROFILE").as_deref() == Ok("release");
    if linux && release && std::env::var_os("SELOSTE_PIE").is_none() {
        println!("cargo:rustc-link-arg-bins=-no-pie");
    }
}
