//! The baseline (`lint --write-baseline`, `--baseline`, `baseline:` in `.seloste.yaml`): the
//! findings an estate had when it adopted seloste, recorded so that CI fails only on new ones.
//!
//! A baseline is a versioned JSON file of entries `(path, rule, fingerprint, count)`: `path` is the
//! register relative to the baseline's directory (`/` separators), `fingerprint` the SARIF
//! `partialFingerprints` hash of the finding ([`crate::report::fingerprint`]) computed with that
//! path and the ordinal 0, so identical findings of a file (same rule, field and message) share
//! one entry and `count` says how many the baseline covers. Neither line numbers nor the order of
//! the file take part: an edit elsewhere in the file keeps every entry matching, and an edit of the
//! flagged text (a changed message) makes the finding new (docs/adoption.md).

use std::collections::{BTreeMap, HashMap};
use std::io::{self, Write};
use std::path::{Component, Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::document::Span;
use crate::finding::{FileFindings, Finding, Severity};
use crate::report::fingerprint;

/// The format version this seloste reads and writes.
pub const VERSION: u64 = 1;

/// The built-in check reporting an entry that no longer matches (an info).
pub const STALE: &str = "seloste/baseline-stale";

/// One line of the file.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct Entry {
    path: String,
    rule: String,
    fingerprint: String,
    count: usize,
    /// The message when it was recorded: for the reader of a diff, not part of the match.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    message: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Format {
    seloste_baseline: u64,
    /// The language of the messages the fingerprints were computed from, when every register
    /// recorded had the same (a message in another language is another fingerprint).
    #[serde(default)]
    language: Option<String>,
    entries: Vec<Entry>,
}

/// An entry being matched: how many findings it covers, how many this run found.
#[derive(Debug, Clone)]
struct Slot {
    count: usize,
    matched: usize,
    message: Option<String>,
}

/// The entries of one register: `(rule, fingerprint)` → slot; `checked`: the run linted it.
#[derive(Debug, Default)]
struct Register {
    slots: BTreeMap<(String, String), Slot>,
    checked: bool,
}

/// Registers' paths relative to a directory (the baseline's), each register's directory made
/// canonical once (the files of a walk share a few directories).
#[derive(Debug)]
struct Places {
    dir: PathBuf,
    dirs: HashMap<PathBuf, PathBuf>,
}

impl Places {
    /// Paths relative to the directory of the file `baseline`, which must exist.
    fn of(baseline: &Path, shown: &str) -> Result<Places, String> {
        let parent = match baseline.parent() {
            Some(d) if !d.as_os_str().is_empty() => d,
            _ => Path::new("."),
        };
        let dir = std::fs::canonicalize(parent).map_err(|e| {
            format!(
                "{shown}: the directory of the baseline cannot be used: {}",
                crate::output::plain_io_error(&e)
            )
        })?;
        Ok(Places {
            dir,
            dirs: HashMap::new(),
        })
    }

    /// `file` (as the run names it) relative to the baseline's directory, `/`-separated.
    fn rel(&mut self, file: &str) -> String {
        let path = Path::new(file);
        let dir = match path.parent() {
            Some(d) if !d.as_os_str().is_empty() => d,
            _ => Path::new("."),
        };
        let canonical = self.dirs.entry(dir.to_path_buf()).or_insert_with(|| {
            std::fs::canonicalize(dir)
                .or_else(|_| std::path::absolute(dir))
                .unwrap_or_else(|_| dir.to_path_buf())
        });
        let name = path.file_name().unwrap_or(path.as_os_str());
        relative(&self.dir, &canonical.join(name))
    }
}

/// `target` relative to `base` (both absolute), with `..` where it is not under it, `/`-separated.
fn relative(base: &Path, target: &Path) -> String {
    let b: Vec<Component<'_>> = base.components().collect();
    let t: Vec<Component<'_>> = target.components().collect();
    let common = b.iter().zip(&t).take_while(|(x, y)| x == y).count();
    if common == 0 {
        // Another drive: no relative path.
        return crate::paths::display_path(target);
    }
    let mut parts: Vec<String> = vec!["..".to_owned(); b.len() - common];
    parts.extend(
        t[common..]
            .iter()
            .map(|c| c.as_os_str().to_string_lossy().into_owned()),
    );
    parts.join("/")
}

/// The `(rule, fingerprint)` key of every finding of a file named `rel` (the baseline's name).
/// Whether a baseline may record and hide `f`: not its own stale-entry findings, and not what no
/// comment may silence either (a `TODO` left in a register is no value, whatever was recorded).
fn recordable(f: &Finding) -> bool {
    f.rule != STALE && crate::checks::is_suppressible(&f.rule)
}

fn keys<'f>(findings: &'f [Finding], rel: &str) -> Vec<(&'f Finding, (String, String))> {
    findings
        .iter()
        .map(|f| (f, (f.rule.clone(), fingerprint::of_parts(f, rel, 0))))
        .collect()
}

/// A baseline read for matching (`--baseline`, `baseline:`).
#[derive(Debug)]
pub struct Baseline {
    /// The file as the user named it (in messages).
    pub shown: String,
    /// The file, to write it back (`--prune-baseline`).
    pub path: PathBuf,
    places: Places,
    registers: BTreeMap<String, Register>,
    /// The language of its messages, when it says.
    language: Option<String>,
    /// Entries of checked registers found stale (for the prune's message).
    stale: usize,
}

/// A user error with a baseline file: the message names the file (exit 2).
pub type Error = String;

impl Baseline {
    /// Reads and checks the baseline at `path` (shown as `shown`).
    pub fn load(path: &Path, shown: &str) -> Result<Baseline, Error> {
        let bytes = std::fs::read(path).map_err(|e| {
            format!(
                "cannot read the baseline {shown}: {}",
                crate::output::plain_io_error(&e)
            )
        })?;
        let places = Places::of(path, shown)?;
        let Format {
            entries, language, ..
        } = parse(&bytes, shown)?;
        let mut registers: BTreeMap<String, Register> = BTreeMap::new();
        for e in entries {
            let slot = registers
                .entry(e.path)
                .or_default()
                .slots
                .entry((e.rule, e.fingerprint))
                .or_insert(Slot {
                    count: 0,
                    matched: 0,
                    message: e.message,
                });
            // The same entry twice (a merge of two branches' baselines): both count.
            slot.count += e.count;
        }
        Ok(Baseline {
            shown: shown.to_owned(),
            path: path.to_path_buf(),
            places,
            registers,
            language,
            stale: 0,
        })
    }

    /// Moves the findings of `file` that the baseline covers to `file.baselined` and, unless
    /// `pruning`, adds a `seloste/baseline-stale` info for each of its entries that this file no
    /// longer matches (in `lang`). Returns how many entries were stale.
    ///
    /// A register whose messages are in another language than the baseline's is an error: none
    /// of its fingerprints could match.
    pub fn apply(
        &mut self,
        file: &mut FileFindings,
        lang: &str,
        pruning: bool,
    ) -> Result<usize, Error> {
        let rel = self.places.rel(&file.file);
        // A register the baseline has no entries for keeps all its findings, in any language.
        let Some(register) = self.registers.get_mut(&rel) else {
            return Ok(0);
        };
        if let Some(recorded) = self.language.as_deref()
            && recorded != lang
        {
            return Err(format!(
                "{}: its findings are in `{lang}`, but the baseline {} was written from findings \
                 in `{recorded}` (a message in another language is another fingerprint); lint \
                 with `--lang {recorded}`, or write the baseline again",
                file.file, self.shown
            ));
        }
        register.checked = true;
        let findings = std::mem::take(&mut file.findings);
        let mut covered = vec![false; findings.len()];
        let mut baselined = Vec::new();
        for (i, (f, key)) in keys(&findings, &rel).into_iter().enumerate() {
            if !recordable(f) {
                continue;
            }
            if let Some(slot) = register.slots.get_mut(&key)
                && slot.matched < slot.count
            {
                slot.matched += 1;
                covered[i] = true;
            }
        }
        for (f, covered) in findings.into_iter().zip(covered) {
            if covered {
                baselined.push(f);
            } else {
                file.findings.push(f);
            }
        }
        file.baselined = (!baselined.is_empty()).then(|| Box::new(baselined));
        let mut stale = 0;
        let m = crate::messages::get(lang);
        for ((rule, fp), slot) in &register.slots {
            if slot.matched >= slot.count {
                continue;
            }
            stale += 1;
            if pruning {
                continue;
            }
            let mut f = Finding::new(
                STALE,
                Severity::Info,
                Span::new(0, 0),
                m.fill(
                    "suppress.baseline_stale",
                    &[
                        ("baseline", &self.shown),
                        ("rule", rule),
                        ("fingerprint", fp),
                        ("count", &slot.count.to_string()),
                        ("found", &slot.matched.to_string()),
                    ],
                ),
            )
            .with_help(m.text("suppress.baseline_stale_help"));
            f.file = file.file.clone();
            // Line 1, column 1: the entry is about the file, not a place in it.
            f.start = crate::document::Position { line: 1, column: 1 };
            f.end = f.start;
            file.findings.push(f);
        }
        if stale > 0 && !pruning {
            file.findings
                .sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
        }
        self.stale += stale;
        Ok(stale)
    }

    /// The registers of entries that the run did not check and that no longer exist, with how
    /// many entries each has.
    pub fn gone(&self) -> Vec<(&str, usize)> {
        self.registers
            .iter()
            .filter(|(path, r)| !r.checked && !self.places.dir.join(path).exists())
            .map(|(path, r)| (path.as_str(), r.slots.len()))
            .collect()
    }

    /// Writes the baseline without its stale entries (`--prune-baseline`): a checked register's
    /// entries keep the findings found (their count lowered to it), an unchecked register's stay
    /// as they were unless the file is gone. Returns (entries removed, entries kept).
    pub fn write_pruned(&self, out: &mut dyn Write) -> io::Result<(usize, usize)> {
        let gone: Vec<&str> = self.gone().into_iter().map(|(p, _)| p).collect();
        let mut entries = Vec::new();
        let mut removed = 0;
        for (path, register) in &self.registers {
            for ((rule, fp), slot) in &register.slots {
                let count = if register.checked {
                    slot.matched
                } else if gone.contains(&path.as_str()) {
                    0
                } else {
                    slot.count
                };
                if count == 0 {
                    removed += 1;
                    continue;
                }
                entries.push(Entry {
                    path: path.clone(),
                    rule: rule.clone(),
                    fingerprint: fp.clone(),
                    count,
                    message: slot.message.clone(),
                });
            }
        }
        let kept = entries.len();
        write(out, self.language.as_deref(), &entries)?;
        Ok((removed, kept))
    }
}

/// The entries of a baseline file's bytes, or what is wrong with them (naming `shown`).
fn parse(bytes: &[u8], shown: &str) -> Result<Format, Error> {
    // serde_json's messages end with " at line L column C": the position goes first, as in
    // every diagnostic of seloste.
    let located = |e: &serde_json::Error, what: &str| {
        let text = e.to_string();
        let suffix = format!(" at line {} column {}", e.line(), e.column());
        let text = text.strip_suffix(&suffix).unwrap_or(&text);
        format!("{shown}:{}:{}: {what}: {text}", e.line(), e.column())
    };
    // One typed pass when all is well (a pre-commit run of one file reads the whole baseline: a
    // pass through `serde_json::Value` first doubled its cost); the passes that say what is wrong
    // only when it is not.
    let typed = serde_json::from_slice::<Format>(bytes);
    let again = format!("write it again with `seloste lint --write-baseline {shown}`");
    if let Ok(format) = &typed
        && format.seloste_baseline == VERSION
    {
        return typed.map_err(|e| located(&e, "not a valid baseline"));
    }
    let value: serde_json::Value =
        serde_json::from_slice(bytes).map_err(|e| located(&e, "the baseline is not valid JSON"))?;
    match value.get("seloste_baseline") {
        None => {
            return Err(format!(
                "{shown}: not a seloste baseline (no `seloste_baseline` version); {again}"
            ));
        }
        Some(v) if v.as_u64() == Some(VERSION) => {}
        Some(v) => {
            return Err(format!(
                "{shown}: a baseline of version {v}, but seloste {} reads version {VERSION}; {again}",
                env!("CARGO_PKG_VERSION")
            ));
        }
    }
    // The version is right: the typed pass failed on a misshapen entry (its line and column).
    typed.map_err(|e| located(&e, "not a valid baseline"))
}

/// Writes a baseline: the version, then one entry a line (a diff shows which findings were
/// accepted or fixed), sorted by path, rule and fingerprint, ending with a newline.
fn write(out: &mut dyn Write, language: Option<&str>, entries: &[Entry]) -> io::Result<()> {
    write!(out, "{{\n  \"seloste_baseline\": {VERSION},\n")?;
    if let Some(l) = language {
        writeln!(out, "  \"language\": {},", serde_json::Value::from(l))?;
    }
    out.write_all(b"  \"entries\": [")?;
    for (i, e) in entries.iter().enumerate() {
        let line = serde_json::to_string(e).map_err(io::Error::other)?;
        let sep = if i == 0 { "\n    " } else { ",\n    " };
        write!(out, "{sep}{line}")?;
    }
    if entries.is_empty() {
        out.write_all(b"]\n}\n")
    } else {
        out.write_all(b"\n  ]\n}\n")
    }
}

/// A baseline being recorded (`--write-baseline FILE`): every finding of the run goes into it and
/// is shown as baselined, as a run with the new file would show it.
#[derive(Debug)]
pub struct Recorder {
    places: Places,
    entries: BTreeMap<(String, String, String), (usize, String)>,
    /// The languages of the registers' messages.
    languages: std::collections::BTreeSet<String>,
    /// Findings recorded.
    pub findings: usize,
}

impl Recorder {
    /// A recorder for the baseline `path` (shown as `shown`), whose directory must exist.
    pub fn new(path: &Path, shown: &str) -> Result<Recorder, Error> {
        if path.is_dir() {
            return Err(format!(
                "cannot write the baseline {shown}: it is a directory"
            ));
        }
        Ok(Recorder {
            places: Places::of(path, shown)?,
            entries: BTreeMap::new(),
            languages: Default::default(),
            findings: 0,
        })
    }

    /// Records every finding of `file` (suppressed ones stay suppressed) and moves them to
    /// `file.baselined`.
    /// `file`'s messages are in `lang`.
    pub fn record(&mut self, file: &mut FileFindings, lang: &str) {
        if !self.languages.contains(lang) {
            self.languages.insert(lang.to_owned());
        }
        let rel = self.places.rel(&file.file);
        for (f, (rule, fp)) in keys(&file.findings, &rel) {
            if !recordable(f) {
                continue;
            }
            let entry = self
                .entries
                .entry((rel.clone(), rule, fp))
                .or_insert_with(|| (0, f.message.clone()));
            entry.0 += 1;
            self.findings += 1;
        }
        let (recorded, kept): (Vec<Finding>, Vec<Finding>) = std::mem::take(&mut file.findings)
            .into_iter()
            .partition(recordable);
        file.findings = kept;
        file.baselined = (!recorded.is_empty()).then(|| Box::new(recorded));
    }

    /// How many entries there are.
    pub fn entries(&self) -> usize {
        self.entries.len()
    }

    /// Writes the baseline.
    pub fn write(&self, out: &mut dyn Write) -> io::Result<()> {
        let entries: Vec<Entry> = self
            .entries
            .iter()
            .map(|((path, rule, fp), (count, message))| Entry {
                path: path.clone(),
                rule: rule.clone(),
                fingerprint: fp.clone(),
                count: *count,
                message: Some(message.clone()),
            })
            .collect();
        let language = match self.languages.len() {
            1 => self.languages.first().map(String::as_str),
            _ => None,
        };
        write(out, language, &entries)
    }
}

/// The baselines a lint run reads: `--baseline FILE` for every file, or each file's config's
/// `baseline:` (each file read once, when its first register arrives).
#[derive(Debug, Default)]
pub struct Reading {
    /// `--baseline`: the first and only baseline.
    explicit: bool,
    baselines: Vec<Baseline>,
    /// A configured baseline's path → its index in `baselines`, or `None` if it cannot be read.
    by_path: HashMap<PathBuf, Option<usize>>,
    /// `--prune-baseline`: stale entries are counted for the rewrite, not reported.
    pruning: bool,
    /// The baselines that cannot be used, each once (exit 2).
    pub problems: Vec<Error>,
    /// A register's messages were in another language than its baseline's (said once).
    wrong_language: bool,
}

impl Reading {
    /// `explicit`: `--baseline FILE`, read now (its problem stops the run before any output);
    /// without it, the configs' baselines are read as their files arrive.
    pub fn new(explicit: Option<&Path>, pruning: bool) -> Result<Reading, Error> {
        let mut reading = Reading {
            pruning,
            ..Reading::default()
        };
        if let Some(path) = explicit {
            let shown = crate::paths::display_path(path);
            reading.baselines.push(Baseline::load(path, &shown)?);
            reading.explicit = true;
        }
        Ok(reading)
    }

    /// Applies the baseline of `file` (`configured`: its config's `baseline:`, which `--baseline`
    /// overrides), its stale entries reported in `lang`. False when that baseline cannot be read:
    /// the file is then not reported (as when its config cannot be used), and the run exits 2.
    pub fn apply(
        &mut self,
        file: &mut FileFindings,
        configured: Option<&Path>,
        lang: &str,
    ) -> bool {
        let index = if self.explicit {
            Some(0)
        } else {
            let Some(path) = configured else {
                return true;
            };
            match self.by_path.get(path) {
                Some(known) => *known,
                None => {
                    let shown = crate::paths::display_path(path);
                    let loaded = match Baseline::load(path, &shown) {
                        Ok(b) => {
                            self.baselines.push(b);
                            Some(self.baselines.len() - 1)
                        }
                        Err(e) => {
                            self.problems.push(e);
                            None
                        }
                    };
                    self.by_path.insert(path.to_path_buf(), loaded);
                    loaded
                }
            }
        };
        let Some(baseline) = index.and_then(|i| self.baselines.get_mut(i)) else {
            return false;
        };
        match baseline.apply(file, lang, self.pruning) {
            Ok(_) => true,
            Err(e) => {
                // Said once for a run: every register in that language has the same problem.
                if !self.wrong_language {
                    self.problems.push(e);
                }
                self.wrong_language = true;
                false
            }
        }
    }

    /// The baselines read, in the order they were.
    pub fn baselines(&self) -> &[Baseline] {
        &self.baselines
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `n` identical findings in `dir/a.yaml`, and a baseline there covering `count` of them.
    fn twins(dir: &Path, n: usize, count: usize) -> (FileFindings, Baseline) {
        let name = dir.join("a.yaml").display().to_string();
        let mk = || Finding::new("gdpr/x", Severity::Error, Span::new(0, 1), "m").with_path("dpo");
        let file = FileFindings::new(&name, "x: 1\n".into(), (0..n).map(|_| mk()).collect());
        let mut probe = mk();
        probe.file = name.clone();
        let fp = fingerprint::of_parts(&probe, "a.yaml", 0);
        let text = format!(
            r#"{{"seloste_baseline": 1, "entries": [{{"path": "a.yaml", "rule": "gdpr/x", "fingerprint": "{fp}", "count": {count}}}]}}"#
        );
        let path = dir.join("b.json");
        std::fs::write(&path, text).expect("write");
        (file, Baseline::load(&path, "b.json").expect("loads"))
    }

    #[test]
    fn counts_cover_that_many_identical_findings_and_the_rest_are_new() {
        let dir = tempfile::tempdir().expect("tempdir");
        let (mut file, mut baseline) = twins(dir.path(), 3, 2);
        assert_eq!(baseline.apply(&mut file, "en", false), Ok(0));
        assert_eq!((file.baselined().len(), file.findings.len()), (2, 1));
        // Fewer than the count: the rest of the entry is stale.
        let (mut file, mut baseline) = twins(dir.path(), 1, 2);
        assert_eq!(baseline.apply(&mut file, "en", false), Ok(1));
        assert_eq!(file.baselined().len(), 1);
        assert_eq!(file.findings.len(), 1);
        assert_eq!(file.findings[0].rule, STALE);
        assert!(file.findings[0].message.contains("(2 recorded, 1 found)"));
        let mut out = Vec::new();
        assert_eq!(baseline.write_pruned(&mut out).expect("writes"), (0, 1));
        assert!(String::from_utf8_lossy(&out).contains(r#""count":1"#));
    }

    #[test]
    fn relative_paths_climb_out_of_the_base() {
        let base = Path::new("/a/b");
        assert_eq!(relative(base, Path::new("/a/b/c/x.yaml")), "c/x.yaml");
        assert_eq!(relative(base, Path::new("/a/x.yaml")), "../x.yaml");
        assert_eq!(relative(base, Path::new("/d/x.yaml")), "../../d/x.yaml");
    }

    #[test]
    fn bad_files_are_named_with_their_position() {
        let e = parse(b"{\n  \"seloste_baseline\": 1,\n  x", "b.json").unwrap_err();
        assert!(
            e.starts_with("b.json:3:3: the baseline is not valid JSON: "),
            "{e}"
        );
        let e = parse(br#"{"seloste_baseline": 2, "entries": []}"#, "b.json").unwrap_err();
        assert!(e.contains("version 2"), "{e}");
        let e = parse(br#"{"entries": []}"#, "b.json").unwrap_err();
        assert!(e.contains("not a seloste baseline"), "{e}");
        let e = parse(
            br#"{"seloste_baseline": 1, "entries": [{"path": "a"}]}"#,
            "b.json",
        )
        .unwrap_err();
        assert!(e.starts_with("b.json:1:"), "{e}");
        assert!(parse(br#"{"seloste_baseline": 1, "entries": []}"#, "b.json").is_ok());
    }
}
