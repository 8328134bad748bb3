//! How well `seloste import` reads real notices: per field precision and recall of the import
//! against hand conversions (docs/import.md).
//!
//!     cargo run --release --example import_score -- DIR [REFDIR]
//!
//! DIR holds the notices (.txt, .md, .html, .docx); each is paired with the hand conversion
//! (.yaml) of the same stem in REFDIR (default DIR), or else with the one whose name starts with
//! the same number (`000_x.txt` ↔ `000-y.yaml`). Prints Markdown: a table per field (micro-averaged
//! over the notices), one per notice, and the lines of each notice that no field holds.
//!
//! Scoring: a scalar field is right when the imported value equals the reference (case, spaces and
//! a closing full stop ignored; phone numbers by their digits); a wrong value is a false positive
//! and a false negative. Set fields (legal bases, rights, kinds of sources and recipients, special
//! categories, act numbers of laws) compare the sets. Text fields (descriptions, criteria,
//! security) compare the bags of their words (3 letters or more).

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use serde_json::Value;

#[derive(Default, Clone, Copy)]
struct Score {
    tp: f64,
    fp: f64,
    fn_: f64,
}

impl Score {
    fn add(&mut self, o: Score) {
        self.tp += o.tp;
        self.fp += o.fp;
        self.fn_ += o.fn_;
    }
    fn precision(&self) -> Option<f64> {
        (self.tp + self.fp > 0.0).then(|| self.tp / (self.tp + self.fp))
    }
    fn recall(&self) -> Option<f64> {
        (self.tp + self.fn_ > 0.0).then(|| self.tp / (self.tp + self.fn_))
    }
}

fn pct(x: Option<f64>) -> String {
    x.map_or("–".into(), |v| format!("{:.0} %", v * 100.0))
}

fn norm(s: &str) -> String {
    s.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .trim_end_matches('.')
        .to_lowercase()
}

fn get<'a>(v: &'a Value, path: &str) -> Option<&'a Value> {
    let mut cur = v;
    for k in path.split('.') {
        cur = cur.get(k)?;
    }
    (!cur.is_null()).then_some(cur)
}

fn scalar(imp: &Value, rf: &Value, path: &str) -> Score {
    let f = |v: &Value| -> Option<String> {
        let s = match get(v, path)? {
            Value::String(s) => s.clone(),
            other => other.to_string(),
        };
        Some(if path.ends_with("phone") {
            s.chars().filter(char::is_ascii_digit).collect()
        } else {
            norm(&s)
        })
    };
    match (f(imp), f(rf)) {
        (Some(a), Some(b)) if a == b => Score {
            tp: 1.0,
            ..Score::default()
        },
        (Some(_), Some(_)) => Score {
            fp: 1.0,
            fn_: 1.0,
            ..Score::default()
        },
        (Some(_), None) => Score {
            fp: 1.0,
            ..Score::default()
        },
        (None, Some(_)) => Score {
            fn_: 1.0,
            ..Score::default()
        },
        (None, None) => Score::default(),
    }
}

fn sets(a: &BTreeSet<String>, b: &BTreeSet<String>) -> Score {
    let tp = a.intersection(b).count() as f64;
    Score {
        tp,
        fp: a.len() as f64 - tp,
        fn_: b.len() as f64 - tp,
    }
}

fn strings(v: &Value) -> Vec<String> {
    match v {
        Value::String(s) => vec![s.clone()],
        Value::Array(a) => a.iter().flat_map(strings).collect(),
        _ => Vec::new(),
    }
}

/// Values of `key` in every item of the list at `list` (lists flattened).
fn each(v: &Value, list: &str, key: &str) -> BTreeSet<String> {
    get(v, list)
        .and_then(Value::as_array)
        .map(|items| {
            items
                .iter()
                .filter_map(|i| i.get(key))
                .flat_map(strings)
                .collect()
        })
        .unwrap_or_default()
}

fn acts(texts: impl IntoIterator<Item = String>) -> BTreeSet<String> {
    let re = regex::Regex::new(r"\d{1,4}/(?:19|20)\d{2}|(?:19|20)\d{2}/\d{1,4}").expect("regex");
    texts
        .into_iter()
        .flat_map(|t| {
            re.find_iter(&t)
                .map(|m| m.as_str().to_owned())
                .collect::<Vec<_>>()
        })
        .collect()
}

fn bag(texts: impl IntoIterator<Item = String>) -> BTreeMap<String, usize> {
    let mut out = BTreeMap::new();
    for t in texts {
        for w in t.split(|c: char| !c.is_alphanumeric()) {
            if w.chars().count() >= 3 {
                *out.entry(w.to_lowercase()).or_insert(0) += 1;
            }
        }
    }
    out
}

fn bags(a: &BTreeMap<String, usize>, b: &BTreeMap<String, usize>) -> Score {
    let tp: usize = a
        .iter()
        .map(|(w, n)| (*n).min(*b.get(w).unwrap_or(&0)))
        .sum();
    let na: usize = a.values().sum();
    let nb: usize = b.values().sum();
    Score {
        tp: tp as f64,
        fp: (na - tp) as f64,
        fn_: (nb - tp) as f64,
    }
}

fn texts_at(v: &Value, list: &str, key: &str) -> Vec<String> {
    match get(v, list) {
        Some(Value::Array(items)) if key.is_empty() => items.iter().flat_map(strings).collect(),
        Some(Value::Array(items)) => items
            .iter()
            .filter_map(|i| i.get(key))
            .flat_map(strings)
            .collect(),
        Some(other) if key.is_empty() => strings(other),
        Some(other) => other.get(key).map(strings).unwrap_or_default(),
        None => Vec::new(),
    }
}

const SCALARS: &[&str] = &[
    "name",
    "updated",
    "collection",
    "controller.name",
    "controller.kind",
    "controller.business_id",
    "controller.address",
    "controller.postal_address",
    "controller.phone",
    "controller.email",
    "contact.name",
    "contact.address",
    "contact.postal_address",
    "contact.phone",
    "contact.email",
    "dpo.name",
    "dpo.address",
    "dpo.phone",
    "dpo.email",
    "complaint.authority",
    "complaint.url",
    "complaint.address",
    "complaint.postal_address",
    "complaint.phone",
    "complaint.email",
    "retention.period",
];

fn score(imp: &Value, rf: &Value) -> Vec<(String, Score)> {
    let mut out: Vec<(String, Score)> = SCALARS
        .iter()
        .map(|p| (p.to_string(), scalar(imp, rf, p)))
        .collect();
    let set = |name: &str, f: &dyn Fn(&Value) -> BTreeSet<String>| {
        (name.to_owned(), sets(&f(imp), &f(rf)))
    };
    out.push(set("purposes.legal_basis", &|v| {
        each(v, "purposes", "legal_basis")
    }));
    out.push((
        "purposes.legal_basis (per purpose)".to_owned(),
        per_purpose(imp, rf),
    ));
    out.push(set("purposes.laws (act numbers)", &|v| {
        acts(texts_at(v, "purposes", "laws"))
    }));
    out.push(set("legal_references (act numbers)", &|v| {
        acts(texts_at(v, "legal_references", ""))
    }));
    out.push(set("rights", &|v| {
        get(v, "rights")
            .map(strings)
            .unwrap_or_default()
            .into_iter()
            .collect()
    }));
    out.push(set("sources.kind", &|v| each(v, "sources", "kind")));
    out.push(set("recipients.kind", &|v| each(v, "recipients", "kind")));
    out.push(set(
        "recipients: [] (none)",
        &|v| match get(v, "recipients") {
            Some(Value::Array(a)) if a.is_empty() => ["none".to_owned()].into(),
            _ => BTreeSet::new(),
        },
    ));
    out.push(set(
        "transfers: [] (none)",
        &|v| match get(v, "transfers") {
            Some(Value::Array(a)) if a.is_empty() => ["none".to_owned()].into(),
            _ => BTreeSet::new(),
        },
    ));
    out.push(set("data_categories.special", &|v| {
        each(v, "data_categories", "special")
    }));
    out.push(set("data_categories.identity_code", &|v| {
        get(v, "data_categories")
            .and_then(Value::as_array)
            .is_some_and(|a| {
                a.iter()
                    .any(|c| c.get("identity_code") == Some(&Value::Bool(true)))
            })
            .then(|| "yes".to_owned())
            .into_iter()
            .collect()
    }));
    let text = |name: &str, list: &str, key: &str| {
        (
            name.to_owned(),
            bags(
                &bag(texts_at(imp, list, key)),
                &bag(texts_at(rf, list, key)),
            ),
        )
    };
    out.push(text(
        "purposes.description (words)",
        "purposes",
        "description",
    ));
    out.push(text(
        "data_categories.description (words)",
        "data_categories",
        "description",
    ));
    out.push(text("data_subjects (words)", "data_subjects", ""));
    out.push(text(
        "sources.description (words)",
        "sources",
        "description",
    ));
    out.push(text("recipients.basis (words)", "recipients", "basis"));
    out.push(text("retention.criteria (words)", "retention", "criteria"));
    out.push(text("rights_how (words)", "rights_how", ""));
    out.push(text("security (words)", "security", ""));
    out
}

/// Legal bases purpose by purpose: each purpose of the reference is paired with the imported
/// purpose whose description shares most of its words (Jaccard), and their bases compared. An
/// imported purpose no reference purpose is paired with is not counted (the import splits
/// purposes finer than people do).
fn per_purpose(imp: &Value, rf: &Value) -> Score {
    let purposes = |v: &Value| -> Vec<(BTreeSet<String>, BTreeSet<String>)> {
        get(v, "purposes")
            .and_then(Value::as_array)
            .map(|a| {
                a.iter()
                    .map(|p| {
                        let words = bag(p.get("description").map(strings).unwrap_or_default())
                            .into_keys()
                            .collect();
                        let bases = p.get("legal_basis").map(strings).unwrap_or_default();
                        (words, bases.into_iter().collect())
                    })
                    .collect()
            })
            .unwrap_or_default()
    };
    let ours = purposes(imp);
    let mut total = Score::default();
    for (words, bases) in purposes(rf) {
        let best = ours
            .iter()
            .map(|(w, b)| {
                let inter = w.intersection(&words).count() as f64;
                let union = w.union(&words).count().max(1) as f64;
                (inter / union, b)
            })
            .max_by(|a, b| a.0.total_cmp(&b.0));
        match best {
            Some((j, b)) if j > 0.1 => total.add(sets(b, &bases)),
            _ => total.add(sets(&BTreeSet::new(), &bases)),
        }
    }
    total
}

/// The groups of the targets in docs/import.md.
fn group(field: &str) -> Option<&'static str> {
    if field.starts_with("controller.") && field != "controller.kind" {
        Some("controller contact fields (≥ 90 %)")
    } else if field.starts_with("dpo.") {
        Some("DPO contact fields (≥ 90 %)")
    } else if field.starts_with("complaint.") {
        Some("complaint contact fields (≥ 90 %)")
    } else if field == "purposes.legal_basis" {
        Some("legal bases (≥ 80 %)")
    } else if field == "rights" {
        Some("rights (≥ 80 %)")
    } else {
        None
    }
}

fn load(path: &Path) -> Value {
    let bytes = std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let doc = seloste::document::load(&bytes, seloste::document::Budget::default())
        .unwrap_or_else(|e| panic!("{}: {}", path.display(), e.message));
    doc.root.to_json()
}

fn pairs(dir: &Path, refs: &Path) -> Vec<(PathBuf, PathBuf)> {
    let list = |d: &Path| -> Vec<PathBuf> {
        let mut v: Vec<PathBuf> = std::fs::read_dir(d)
            .unwrap_or_else(|e| panic!("{}: {e}", d.display()))
            .filter_map(|e| e.ok().map(|e| e.path()))
            .collect();
        v.sort();
        v
    };
    let yamls: Vec<PathBuf> = list(refs)
        .into_iter()
        .filter(|p| p.extension().is_some_and(|e| e == "yaml" || e == "yml"))
        .collect();
    let number = |p: &Path| -> String {
        p.file_name()
            .map(|n| {
                n.to_string_lossy()
                    .chars()
                    .take_while(char::is_ascii_digit)
                    .collect()
            })
            .unwrap_or_default()
    };
    let mut out = Vec::new();
    for notice in list(dir) {
        let ext = notice
            .extension()
            .map(|e| e.to_string_lossy().to_lowercase());
        if !matches!(ext.as_deref(), Some("txt" | "md" | "html" | "htm" | "docx")) {
            continue;
        }
        let same = yamls.iter().find(|y| y.file_stem() == notice.file_stem());
        let n = number(&notice);
        let by_number = || yamls.iter().find(|y| !n.is_empty() && number(y) == n);
        if let Some(y) = same.or_else(by_number) {
            out.push((notice, y.clone()));
        }
    }
    out
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some(dir) = args.first().map(PathBuf::from) else {
        eprintln!("usage: import_score DIR [REFDIR]");
        std::process::exit(2);
    };
    let refs = args.get(1).map_or(dir.clone(), PathBuf::from);
    let pairs = pairs(&dir, &refs);
    if pairs.is_empty() {
        eprintln!("no pairs of a notice and a .yaml in {}", dir.display());
        std::process::exit(2);
    }
    let mut total: BTreeMap<String, Score> = BTreeMap::new();
    let mut order: Vec<String> = Vec::new();
    let mut per_notice = Vec::new();
    let mut lost = Vec::new();
    for (notice, reference) in &pairs {
        let bytes = std::fs::read(notice).expect("notice");
        let kind = seloste::import::input_kind(notice, &bytes);
        let name = notice.file_name().unwrap_or_default().to_string_lossy();
        let imported = match seloste::import::import(&name, &bytes, kind, None) {
            Ok(i) => i,
            Err(e) => {
                eprintln!("{}", e.message(&notice.display().to_string()));
                continue;
            }
        };
        let doc = seloste::document::load(
            imported.yaml.as_bytes(),
            seloste::document::Budget::default(),
        )
        .unwrap_or_else(|e| panic!("{name}: the import is no YAML: {}", e.message));
        let imp = doc.root.to_json();
        let rf = load(reference);
        let mut groups: BTreeMap<&str, Score> = BTreeMap::new();
        let mut all = Score::default();
        for (field, s) in score(&imp, &rf) {
            if !order.contains(&field) {
                order.push(field.clone());
            }
            total.entry(field.clone()).or_default().add(s);
            if let Some(g) = group(&field) {
                groups.entry(g).or_default().add(s);
            }
            if !field.ends_with("(words)") {
                all.add(s);
            }
        }
        per_notice.push((
            name.to_string(),
            groups,
            all,
            imported.lines,
            imported.unplaced,
        ));
        lost.push(name.to_string());
    }

    println!(
        "## Per field (micro-averaged over {} notices)\n",
        per_notice.len()
    );
    println!("| field | precision | recall | right | wrong or extra | missed |");
    println!("|---|---:|---:|---:|---:|---:|");
    let mut groups: BTreeMap<&str, Score> = BTreeMap::new();
    for f in &order {
        let s = total[f];
        if let Some(g) = group(f) {
            groups.entry(g).or_default().add(s);
        }
        let n = |x: f64| {
            if f.ends_with("(words)") {
                format!("{x:.0}")
            } else {
                format!("{x}")
            }
        };
        println!(
            "| {f} | {} | {} | {} | {} | {} |",
            pct(s.precision()),
            pct(s.recall()),
            n(s.tp),
            n(s.fp),
            n(s.fn_)
        );
    }
    println!("\n## Targets\n");
    println!("| group | precision | recall |");
    println!("|---|---:|---:|");
    for (g, s) in &groups {
        println!("| {g} | {} | {} |", pct(s.precision()), pct(s.recall()));
    }
    println!("\n## Per notice\n");
    println!(
        "| notice | structured fields P / R | controller | DPO | complaint | legal bases | rights | lines | in fields | in the closing comment |"
    );
    println!("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
    for (name, groups, all, lines, unplaced) in &per_notice {
        let g = |k: &str| {
            groups
                .iter()
                .find(|(n, _)| n.starts_with(k))
                .map_or("–".to_owned(), |(_, s)| {
                    format!("{} / {}", pct(s.precision()), pct(s.recall()))
                })
        };
        println!(
            "| {name} | {} / {} | {} | {} | {} | {} | {} | {lines} | {} | {unplaced} |",
            pct(all.precision()),
            pct(all.recall()),
            g("controller"),
            g("DPO"),
            g("complaint"),
            g("legal"),
            g("rights"),
            lines - unplaced
        );
    }
    println!(
        "\nEvery line of every notice is in the output (a value, a `check` comment or the closing \
         comment block): the import checks it for each file it writes."
    );
}
