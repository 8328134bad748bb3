//! Writes N generated register definitions for benchmarks:
//!
//! ```sh
//! cargo run --release --example gen_registers -- --count 10000 --seed 1 --out target/bench-data/10000
//! ```
//!
//! Options: `--count N` (default 1000), `--seed S` (default 1), `--out DIR` (required),
//! `--defective F` share of registers with 1–4 defects (default 0.6), `--broken F` share of
//! registers with broken YAML (default 0). Output is deterministic: the same seed gives the same
//! bytes, and register `i` does not depend on `--count`. Files are `reg-NNNNNN.yaml`; stale
//! `reg-*.yaml` files in DIR are removed first. `MANIFEST.tsv` lists each file's controller kind
//! and the defects applied. See benches/common/registers.rs for what is generated.

#[path = "../benches/common/registers.rs"]
#[allow(dead_code)]
mod registers;

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use registers::{Config, generate};

fn usage() -> &'static str {
    "usage: gen_registers --out DIR [--count N] [--seed S] [--defective 0.6] [--broken 0.0]"
}

fn main() -> ExitCode {
    let mut cfg = Config::default();
    let mut count: u64 = 1000;
    let mut out: Option<PathBuf> = None;
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        let mut value = |name: &str| {
            args.next()
                .ok_or_else(|| format!("{name} needs a value\n{}", usage()))
        };
        let parsed: Result<(), String> = match a.as_str() {
            "--count" => value("--count").and_then(|v| {
                count = v.parse().map_err(|e| format!("--count {v}: {e}"))?;
                Ok(())
            }),
            "--seed" => value("--seed").and_then(|v| {
                cfg.seed = v.parse().map_err(|e| format!("--seed {v}: {e}"))?;
                Ok(())
            }),
            "--defective" => value("--defective").and_then(|v| {
                cfg.defective = v.parse().map_err(|e| format!("--defective {v}: {e}"))?;
                Ok(())
            }),
            "--broken" => value("--broken").and_then(|v| {
                cfg.broken = v.parse().map_err(|e| format!("--broken {v}: {e}"))?;
                Ok(())
            }),
            "--out" => value("--out").map(|v| out = Some(PathBuf::from(v))),
            "-h" | "--help" => {
                println!("{}", usage());
                return ExitCode::SUCCESS;
            }
            other => Err(format!("unknown argument `{other}`\n{}", usage())),
        };
        if let Err(e) = parsed {
            eprintln!("error: {e}");
            return ExitCode::from(2);
        }
    }
    let Some(out) = out else {
        eprintln!("error: --out DIR is required\n{}", usage());
        return ExitCode::from(2);
    };
    match write_all(&out, count, &cfg) {
        Ok((valid, defective)) => {
            println!(
                "wrote {count} registers ({valid} valid, {defective} defective) to {} (seed {})",
                out.display(),
                cfg.seed
            );
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: {}: {e}", out.display());
            ExitCode::FAILURE
        }
    }
}

fn write_all(out: &PathBuf, count: u64, cfg: &Config) -> std::io::Result<(u64, u64)> {
    std::fs::create_dir_all(out)?;
    for entry in std::fs::read_dir(out)? {
        let path = entry?.path();
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
        if name.starts_with("reg-") && name.ends_with(".yaml") {
            std::fs::remove_file(&path)?;
        }
    }
    let mut manifest = std::io::BufWriter::new(std::fs::File::create(out.join("MANIFEST.tsv"))?);
    writeln!(manifest, "file\tkind\tdefects")?;
    let (mut valid, mut defective) = (0, 0);
    for i in 0..count {
        let g = generate(cfg, i);
        std::fs::write(out.join(&g.file_name), &g.yaml)?;
        if g.defects.is_empty() {
            valid += 1;
        } else {
            defective += 1;
        }
        writeln!(
            manifest,
            "{}\t{}\t{}",
            g.file_name,
            g.kind,
            g.defects.join(",")
        )?;
    }
    manifest.flush()?;
    Ok((valid, defective))
}
