//! The language server's latency and memory, in process (`server::Server`, no I/O), on a register
//! of 1 000 lines (fixtures/valid/company.yaml with its `security` list grown):
//!
//! - `change`: one `didChange` (the whole text, or one character typed) handled with no debounce
//!   wait: the lint, the diagnostics and their JSON, i.e. the time from the end of the debounce
//!   to the diagnostics being ready to write. Median, 95th percentile and maximum of 500 changes.
//! - `memory`: the resident set size after 1 000, 5 000 and 10 000 changes, alternating a clean
//!   text and one with findings (and fixes): flat when nothing accumulates per change.
//!
//! `cargo bench --bench server`. Figures in BENCHMARKS.md.

use std::time::{Duration, Instant};

use serde_json::json;

use seloste::server::Server;
use seloste::server::transport::Message;

fn register_of_1000_lines() -> String {
    let base = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/fixtures/valid/company.yaml"
    ))
    .expect("fixture");
    let mut text = base.clone();
    let mut n = 0;
    while text.lines().count() < 1000 {
        n += 1;
        text.push_str(&format!(
            "  - Toimenpide {n}: pääsyoikeudet tarkistetaan neljännesvuosittain ja lokit säilytetään vuoden.\n"
        ));
    }
    text
}

fn notify(server: &mut Server, method: &str, params: serde_json::Value) -> usize {
    server.handle(Message::Notification {
        method: method.into(),
        params,
    });
    server.take_output().len()
}

fn started() -> Server {
    let mut server = Server::new();
    server.handle(Message::Request {
        id: json!(1),
        method: "initialize".into(),
        params: json!({"capabilities": {}, "initializationOptions": {"debounceMs": 0}}),
    });
    notify(&mut server, "initialized", json!({}));
    server.take_output();
    server
}

const URI: &str = "file:///bench/register.yaml";

fn stats(mut times: Vec<Duration>) -> String {
    times.sort();
    let at = |q: f64| times[((times.len() - 1) as f64 * q) as usize];
    format!(
        "median {:.2} ms, p95 {:.2} ms, max {:.2} ms ({} changes)",
        at(0.5).as_secs_f64() * 1e3,
        at(0.95).as_secs_f64() * 1e3,
        times[times.len() - 1].as_secs_f64() * 1e3,
        times.len()
    )
}

fn rss_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmRSS:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

fn main() {
    let clean = register_of_1000_lines();
    let defective = clean
        .replacen("  - EU 2016/679\n", "  - EU 679/2016\n", 1)
        .replacen("collection: direct", "collection: dirct", 1);
    assert_ne!(clean, defective);
    println!(
        "register: {} lines, {} bytes",
        clean.lines().count(),
        clean.len()
    );

    let mut server = started();
    notify(
        &mut server,
        "textDocument/didOpen",
        json!({"textDocument": {"uri": URI, "languageId": "yaml", "version": 1, "text": clean}}),
    );
    // Whole-text changes, alternating a clean and a defective text.
    let mut times = Vec::new();
    for v in 0..500 {
        let text = if v % 2 == 0 { &defective } else { &clean };
        let start = Instant::now();
        let sent = notify(
            &mut server,
            "textDocument/didChange",
            json!({"textDocument": {"uri": URI, "version": v + 2}, "contentChanges": [{"text": text}]}),
        );
        times.push(start.elapsed());
        assert_eq!(sent, 1, "one publishDiagnostics");
    }
    println!("change (whole text): {}", stats(times));
    // One character typed at the end of the `id` line, and removed again.
    let line = clean[..clean.find("\nname:").expect("name")]
        .matches('\n')
        .count();
    let col = clean.lines().nth(line).expect("line").len();
    let mut times = Vec::new();
    for v in 0..500 {
        let change = if v % 2 == 0 {
            json!({"range": {"start": {"line": line, "character": col}, "end": {"line": line, "character": col}}, "text": "x"})
        } else {
            json!({"range": {"start": {"line": line, "character": col}, "end": {"line": line, "character": col + 1}}, "text": ""})
        };
        let start = Instant::now();
        notify(
            &mut server,
            "textDocument/didChange",
            json!({"textDocument": {"uri": URI, "version": 1000 + v}, "contentChanges": [change]}),
        );
        times.push(start.elapsed());
    }
    println!("change (one character typed): {}", stats(times));

    // Memory over 10 000 changes.
    let mut samples = Vec::new();
    for v in 1..=10_000 {
        let text = if v % 2 == 0 { &defective } else { &clean };
        notify(
            &mut server,
            "textDocument/didChange",
            json!({"textDocument": {"uri": URI, "version": 10_000 + v}, "contentChanges": [{"text": text}]}),
        );
        if [1, 1_000, 5_000, 10_000].contains(&v) {
            samples.push((v, rss_kib()));
        }
    }
    for (v, rss) in samples {
        match rss {
            Some(k) => println!("memory: RSS {:.1} MiB after {v} changes", k as f64 / 1024.0),
            None => println!("memory: RSS unknown (no /proc) after {v} changes"),
        }
    }
}
