//! Criterion benches of the per-file pipeline and of start-up, through the public library API:
//!
//! - `compile`: start-up work: rule-set compilation (`rules::load_rules(&[], true)`, and each pack
//!   alone) and the register JSON Schema (`register::json_schema`);
//! - `load`: bytes → YAML tree with spans (`document::load`);
//! - `view`: tree → the register as rules see it (`rules::lang::value::register`);
//! - `structure`: the schema and id checks (`structure::check` + `check_ids`);
//! - `eval`: every rule of a rule set on one register (`rules::evaluate`), for all built-in rules
//!   and for the `gdpr` and `fi` packs alone;
//! - `lint_bytes`: the whole per-file pipeline (`lint::lint_text`), as the CLI runs it per file.
//!
//! Inputs: `fixture` (fixtures/valid/authority.yaml, zero findings), `seed` (the real, defective
//! fixtures/seeds/001-kainuu-te-webropol.yaml) and `generated` (64 registers from the benchmark
//! generator, seed 1, the default valid/defective mix). Per-file time for `generated` is the time
//! shown divided by 64; the `thrpt` line gives files per second.
//!
//! `cargo bench --bench pipeline` (all), `cargo bench --bench pipeline -- eval` (one group). The
//! defaults are short (1 s warm-up, 3 s measurement) because the machine is shared; pass
//! `-- --measurement-time 10` for tighter intervals.

#[path = "common/registers.rs"]
#[allow(dead_code)]
mod registers;

use std::hint::black_box;
use std::time::Duration;

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};

use seloste::document::{self, Budget, Document, date_timestamp};
use seloste::lint::{LintOptions, lint_text};
use seloste::rules::{self, RuleSet, builtin};
use seloste::{register, structure};

const GENERATED: u64 = 64;
const TODAY: &str = "2026-11-01";

struct Input {
    name: &'static str,
    files: Vec<Vec<u8>>,
}

fn inputs() -> Vec<Input> {
    let cfg = registers::Config::default();
    vec![
        Input {
            name: "fixture",
            files: vec![include_bytes!("../fixtures/valid/authority.yaml").to_vec()],
        },
        Input {
            name: "seed",
            files: vec![include_bytes!("../fixtures/seeds/001-kainuu-te-webropol.yaml").to_vec()],
        },
        Input {
            name: "generated",
            files: (0..GENERATED)
                .map(|i| registers::generate(&cfg, i).yaml.into_bytes())
                .collect(),
        },
    ]
}

fn load_all(files: &[Vec<u8>]) -> Vec<Document> {
    files
        .iter()
        .map(|f| document::load(f, Budget::default()).expect("bench inputs are valid YAML"))
        .collect()
}

/// What `seloste lint` compiles at start-up: both built-in packs.
fn builtin_rules() -> RuleSet {
    rules::load_rules(&[], true).unwrap_or_else(|_| panic!("built-in rules compile"))
}

fn pack(name: &str) -> RuleSet {
    let sources =
        builtin::builtin_sources(&[name], true, false).unwrap_or_else(|_| panic!("pack {name}"));
    RuleSet::load(sources).unwrap_or_else(|_| panic!("pack {name} compiles"))
}

fn compile(c: &mut Criterion) {
    let mut g = c.benchmark_group("compile");
    g.bench_function("all-builtin", |b| b.iter(|| black_box(builtin_rules())));
    for name in ["gdpr", "fi"] {
        g.bench_function(BenchmarkId::new("pack", name), |b| {
            b.iter(|| black_box(pack(name)))
        });
    }
    // Also paid once per run: the JSON Schema the structure check walks (built on first use).
    g.bench_function("register-schema", |b| {
        b.iter(|| black_box(register::json_schema()))
    });
    g.finish();
}

fn stages(c: &mut Criterion) {
    let inputs = inputs();
    let all = builtin_rules();
    let gdpr = pack("gdpr");
    let fi = pack("fi");
    let today = date_timestamp(TODAY).expect("date");
    let opts = LintOptions {
        lang: "en".into(),
        today: today.clone(),
        config: Default::default(),
        languages: Default::default(),
    };
    let schema: &'static serde_json::Value = &register::SCHEMA;

    let mut g = c.benchmark_group("load");
    for input in &inputs {
        g.throughput(Throughput::Elements(input.files.len() as u64));
        g.bench_with_input(
            BenchmarkId::from_parameter(input.name),
            &input.files,
            |b, files| {
                b.iter(|| {
                    for f in files {
                        black_box(document::load(f, Budget::default()).ok());
                    }
                })
            },
        );
    }
    g.finish();

    let docs: Vec<(&str, Vec<Document>)> = inputs
        .iter()
        .map(|i| (i.name, load_all(&i.files)))
        .collect();

    let mut g = c.benchmark_group("view");
    for (name, docs) in &docs {
        g.throughput(Throughput::Elements(docs.len() as u64));
        g.bench_with_input(BenchmarkId::from_parameter(name), docs, |b, docs| {
            b.iter(|| {
                for d in docs {
                    black_box(rules::lang::value::register(&d.root));
                }
            })
        });
    }
    g.finish();

    let mut g = c.benchmark_group("structure");
    for (name, docs) in &docs {
        g.throughput(Throughput::Elements(docs.len() as u64));
        g.bench_with_input(BenchmarkId::from_parameter(name), docs, |b, docs| {
            b.iter(|| {
                for d in docs {
                    black_box(structure::check(d, schema, "en"));
                    black_box(structure::check_ids(d, "en"));
                }
            })
        });
    }
    g.finish();

    let views: Vec<(&str, Vec<&document::Node>)> = docs
        .iter()
        .map(|(n, ds)| (*n, ds.iter().map(|d| &d.root).collect()))
        .collect();
    let mut g = c.benchmark_group("eval");
    for (set_name, set) in [("all", &all), ("gdpr", &gdpr), ("fi", &fi)] {
        for (name, views) in &views {
            g.throughput(Throughput::Elements(views.len() as u64));
            g.bench_with_input(BenchmarkId::new(set_name, name), views, |b, views| {
                b.iter(|| {
                    for v in views {
                        black_box(rules::evaluate(set, v, &today, "en"));
                    }
                })
            });
        }
    }
    g.finish();

    let mut g = c.benchmark_group("lint_bytes");
    for input in &inputs {
        g.throughput(Throughput::Elements(input.files.len() as u64));
        g.bench_with_input(
            BenchmarkId::from_parameter(input.name),
            &input.files,
            |b, files| {
                b.iter(|| {
                    for f in files {
                        black_box(lint_text("bench.yaml", None, f, &all, &opts));
                    }
                })
            },
        );
    }
    g.finish();
}

fn config() -> Criterion {
    Criterion::default()
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(3))
        .sample_size(30)
}

criterion_group! {
    name = benches;
    config = config();
    targets = compile, stages
}
criterion_main!(benches);
