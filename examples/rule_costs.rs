//! Where evaluation time goes: the cost of each built-in rule per register, measured on 64
//! generated registers (seed 1, the default mix), slowest first.
//!
//! ```sh
//! cargo run --release --example rule_costs [-- --ms 300]
//! ```
//!
//! For each rule, `rules::engine::evaluate_rules` runs that rule alone over every register until
//! `--ms` milliseconds have passed (default 300); the cost of an evaluation with no rule at all (the
//! CEL context, the functions and the `register` variable, paid once per register) is measured the
//! same way and subtracted. A quick look, not criterion: see benches/pipeline.rs for the figures.

#[path = "../benches/common/registers.rs"]
#[allow(dead_code)]
mod registers;

use std::hint::black_box;
use std::time::{Duration, Instant};

use seloste::document::{Budget, date_timestamp, load};
use seloste::rules::engine::evaluate_rules;

fn main() {
    let mut budget = Duration::from_millis(300);
    let args: Vec<String> = std::env::args().skip(1).collect();
    if let [flag, ms] = args.as_slice()
        && flag == "--ms"
        && let Ok(ms) = ms.parse()
    {
        budget = Duration::from_millis(ms);
    }
    let rules = seloste::rules::load_rules(&[], true).unwrap_or_else(|_| panic!("built-in rules"));
    let today = date_timestamp("2026-11-01").expect("date");
    let cfg = registers::Config::default();
    let views: Vec<seloste::document::Node> = (0..64)
        .map(|i| {
            let g = registers::generate(&cfg, i);
            let doc = load(g.yaml.as_bytes(), Budget::default()).expect("valid YAML");
            doc.root
        })
        .collect();

    // Mean time per register of evaluating `pick`ed rules.
    let per_file = |pick: &dyn Fn() -> Vec<usize>| -> f64 {
        let start = Instant::now();
        let mut n = 0u64;
        while start.elapsed() < budget {
            for v in &views {
                let set = pick();
                black_box(evaluate_rules(
                    set.iter().map(|&i| (i, &rules.rules[i])),
                    v,
                    &today,
                    "en",
                ));
                n += 1;
            }
        }
        start.elapsed().as_secs_f64() * 1e6 / n as f64
    };

    let base = per_file(&Vec::new);
    // `texts(register)`, which the text rules share in a full run.
    let texts = {
        let start = Instant::now();
        let mut n = 0u64;
        while start.elapsed() < budget {
            for v in &views {
                let register = seloste::rules::lang::value::register(v);
                black_box(seloste::rules::lang::eval::texts(&register));
                n += 1;
            }
        }
        start.elapsed().as_secs_f64() * 1e6 / n as f64
    };
    let all = per_file(&|| (0..rules.rules.len()).collect());
    let mut costs: Vec<(String, f64)> = (0..rules.rules.len())
        .map(|i| {
            (
                rules.rules[i].id.clone(),
                (per_file(&|| vec![i]) - base).max(0.0),
            )
        })
        .collect();
    costs.sort_by(|a, b| b.1.total_cmp(&a.1));
    let sum: f64 = costs.iter().map(|c| c.1).sum();

    println!(
        "{} rules on {} generated registers; µs per register",
        rules.rules.len(),
        views.len()
    );
    println!("all rules together: {all:9.1}");
    println!("context set-up:     {base:9.1}  (paid once per register)");
    println!("texts(register):    {texts:9.1}  (with the register view; once per register)");
    println!("sum of the rules:   {sum:9.1}");
    println!();
    for (id, c) in &costs {
        println!("{c:9.1}  {:5.1}%  {id}", 100.0 * c / sum);
    }
}
