//! The settings of a run that checks registers ([`Settings`], built once from what the command
//! line asks for, a [`Request`]), and which of them check each file, found as ruff and ESLint
//! find theirs: the nearest
//! `.seloste.yaml` in the file's directory or a parent, up to the filesystem root (a `.git`
//! directory is no boundary); or `--config FILE` for every file; or none (`--no-config`). A config
//! is the whole configuration of the files it governs: a nested one does not inherit from the one
//! above it. Each config is read and prepared ([`prepare()`]: its packs and custom rules
//! loaded, its severities applied) once per run, and each directory is looked up once, so a run
//! over 10 000 files of one tree reads its config once. `lint`, `render` and `export` all ask a
//! [`Settings`]; the language server prepares one config at a time with [`prepare()`].

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use crate::config::{self, Config, FILE_NAME, Lang};
use crate::rules::RuleSet;
mod prepare;

pub use prepare::{ConfigChoice, Languages, LintOptions, Prepared, Request, SetupError, prepare};

/// A file to lint and whether the user named it (then it must be a register).
#[derive(Debug, Clone)]
pub struct Target {
    pub path: PathBuf,
    pub explicit: bool,
}

/// The settings one file is checked with.
#[derive(Clone)]
pub struct FileSettings {
    /// The rules and options of the file's config, shared by every file it governs.
    pub prepared: Arc<Prepared>,
    /// The file's path relative to its config's directory, which `include`, `exclude` and
    /// `overrides` match: worked out from the canonical directory of the file (a symbolic link
    /// to a file counts where the link is). A file outside that directory (`--config` elsewhere)
    /// has its canonical path here, which relative globs do not match.
    pub rel: PathBuf,
}

impl FileSettings {
    pub fn rules(&self) -> &RuleSet {
        &self.prepared.rules
    }

    pub fn opts(&self) -> &LintOptions {
        &self.prepared.opts
    }

    /// Whether a file found in a directory walk is to be checked: its config's include/exclude.
    pub fn selects(&self) -> bool {
        self.prepared.opts.config.selects(&self.rel)
    }
}

/// A config that cannot be used: the files it governs are not checked, and the run exits 2.
#[derive(Debug)]
pub struct Failure {
    /// The config as shown (relative to the working directory when under it, `--config` as
    /// given); `None` for a run without a config whose `--rules` are broken.
    pub config: Option<String>,
    pub error: SetupError,
}

impl Failure {
    /// How many diagnostics it has.
    pub fn problems(&self) -> usize {
        self.error.files().iter().map(|f| f.findings.len()).sum()
    }
}

/// What a file's settings are, or why there are none.
type Loaded = Result<Arc<Prepared>, Arc<Failure>>;

/// A file's directory, resolved.
struct Dir {
    /// The directory relative to its config's directory (see [`FileSettings::rel`]).
    rel: PathBuf,
    settings: Loaded,
}

#[derive(Default)]
struct State {
    /// A file's directory as named (`a/b` of `a/b/x.yaml`, `.` for `x.yaml`) → its settings.
    dirs: HashMap<PathBuf, Arc<Dir>>,
    /// The directory of the last file asked for, and its settings.
    last: Option<(PathBuf, Arc<Dir>)>,
    /// A canonical directory → the nearest `.seloste.yaml` (the lookup, memoised for every
    /// directory it passed).
    nearest: HashMap<PathBuf, Option<PathBuf>>,
    /// A config file (its canonical directory joined with its name; `None`: no config) → the
    /// config read.
    configs: HashMap<Option<PathBuf>, Result<Config, Arc<Failure>>>,
    /// The same keys → the settings prepared from the config.
    prepared: HashMap<Option<PathBuf>, Loaded>,
    /// Every settings prepared, in the order they were (the rule catalog of a run grows with them).
    order: Vec<Arc<Prepared>>,
    /// The failures a file depended on, each once, in the order first met.
    failures: Vec<Arc<Failure>>,
}

/// The settings of a run: what it asks for, and each file's settings (its config's, prepared
/// once); safe to share between threads.
pub struct Settings {
    request: Request,
    /// The working directory, canonical: configs under it are shown relative to it.
    cwd: Option<PathBuf>,
    /// `--config FILE`: its canonical directory joined with its name.
    explicit: Option<PathBuf>,
    /// The date of the run, the same for every config.
    today: cel::Value,
    state: Mutex<State>,
}

impl Settings {
    pub fn new(request: Request) -> Settings {
        let explicit = match &request.config {
            ConfigChoice::File(p) => Some(
                p.file_name()
                    .and_then(|name| Some(canonical(dir_of(p)).ok()?.join(name)))
                    .unwrap_or_else(|| p.clone()),
            ),
            _ => None,
        };
        Settings {
            cwd: std::env::current_dir()
                .ok()
                .and_then(|d| std::fs::canonicalize(d).ok()),
            explicit,
            today: crate::rules::engine::today(),
            request,
            state: Mutex::default(),
        }
    }

    /// The settings of `file` (a path as named, relative to the working directory or absolute),
    /// or the failure of the config that governs it (also kept for [`Settings::failures`]).
    /// A directory is resolved once: the next files in it cost a lookup in a map.
    pub fn for_file(&self, file: &Path) -> Result<FileSettings, Arc<Failure>> {
        let dir = dir_of(file);
        let name = file.file_name().unwrap_or(file.as_os_str());
        let mut st = self.lock();
        let d = match &st.last {
            // A walk gives the files of a directory one after another: no hashing for those.
            Some((last, d)) if last.as_os_str() == dir.as_os_str() => Arc::clone(d),
            _ => {
                let known = st.dirs.get(dir).cloned();
                let d = known.unwrap_or_else(|| self.resolve_dir(&mut st, dir));
                st.last = Some((dir.to_path_buf(), Arc::clone(&d)));
                d
            }
        };
        drop(st);
        Ok(FileSettings {
            prepared: d.settings.clone()?,
            rel: d.rel.join(name),
        })
    }

    /// A found file with its settings, when it is to be checked: named on the command line
    /// (`explicit`), or selected by its config's include/exclude. A file whose config cannot be
    /// used is left out (the config is reported through [`Settings::failures`]).
    pub fn select(&self, t: Target) -> Option<(Target, FileSettings)> {
        let s = self.for_file(&t.path).ok()?;
        (t.explicit || s.selects()).then_some((t, s))
    }

    /// The language of what a run says as a whole (the rule titles of `--statistics`, SARIF and
    /// the HTML report; the record of `export`): `--lang`, else the `language` of the config
    /// that governs the working directory (or of `--config`), else English. A broken config gives
    /// English here; it is reported through the files that depend on it.
    pub fn language(&self) -> String {
        if let Some(l) = self.request.lang {
            return l.code().to_owned();
        }
        let mut st = self.lock();
        let key = self.config_of(&mut st, self.cwd.as_deref());
        let lang = self.config(&mut st, &key).ok().and_then(|c| c.language);
        lang.map_or("en", Lang::code).to_owned()
    }

    /// The settings prepared so far, from the `from`-th on, in the order they were.
    pub fn prepared_since(&self, from: usize) -> Vec<Arc<Prepared>> {
        self.lock().order.get(from..).unwrap_or_default().to_vec()
    }

    /// The configs that could not be used and that files depended on, each once, in the order
    /// first met. `--config FILE` governs the whole run: a broken one is here even when no file
    /// was found.
    pub fn failures(&self) -> Vec<Arc<Failure>> {
        let mut st = self.lock();
        if let ConfigChoice::File(_) = self.request.config {
            let _ = self.prepared(&mut st, &self.explicit.clone());
        }
        st.failures.clone()
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// The settings of the files in `dir` (as named), resolved and kept for the next files in it.
    fn resolve_dir(&self, st: &mut State, dir: &Path) -> Arc<Dir> {
        let canonical_dir = canonical(dir).unwrap_or_else(|_| dir.to_path_buf());
        let key = self.config_of(st, Some(&canonical_dir));
        let settings = self.prepared(st, &key);
        let root = key.as_deref().and_then(Path::parent);
        let rel = root
            .and_then(|r| canonical_dir.strip_prefix(r).ok())
            .map_or_else(|| canonical_dir.clone(), Path::to_path_buf);
        let d = Arc::new(Dir { rel, settings });
        st.dirs.insert(dir.to_path_buf(), Arc::clone(&d));
        d
    }

    /// The config file that governs the canonical directory `dir` (the key of [`State::configs`]).
    fn config_of(&self, st: &mut State, dir: Option<&Path>) -> Option<PathBuf> {
        match &self.request.config {
            ConfigChoice::None => None,
            ConfigChoice::File(_) => self.explicit.clone(),
            ConfigChoice::Discover => nearest(st, dir?),
        }
    }

    /// The settings prepared from the config `key`, once (a failure is kept for
    /// [`Settings::failures`] then).
    fn prepared(&self, st: &mut State, key: &Option<PathBuf>) -> Loaded {
        if let Some(p) = st.prepared.get(key) {
            return p.clone();
        }
        let result = self.config(st, key).and_then(|config| {
            let shown = config.path.as_deref().map(crate::paths::display_path);
            crate::timing::mark("config read");
            prepare(&self.request, config, self.today.clone())
                .map(Arc::new)
                .map_err(|error| {
                    Arc::new(Failure {
                        config: shown,
                        error,
                    })
                })
        });
        match &result {
            Ok(p) => st.order.push(Arc::clone(p)),
            Err(f) => st.failures.push(Arc::clone(f)),
        }
        st.prepared.insert(key.clone(), result.clone());
        result
    }

    /// The config file `key` read and checked, once.
    fn config(&self, st: &mut State, key: &Option<PathBuf>) -> Result<Config, Arc<Failure>> {
        if let Some(c) = st.configs.get(key) {
            return c.clone();
        }
        let result = match key {
            None => Ok(Config::default()),
            Some(path) => {
                let shown = self.shown(path);
                config::load(&shown)
                    .map(|mut c| {
                        // Globs match paths worked out from canonical directories.
                        c.root = path.parent().map(Path::to_path_buf).unwrap_or_default();
                        c
                    })
                    .map_err(|e| {
                        Arc::new(Failure {
                            config: Some(crate::paths::display_path(&shown)),
                            error: SetupError::Config(e),
                        })
                    })
            }
        };
        st.configs.insert(key.clone(), result.clone());
        result
    }

    /// A config file as the user sees it: `--config` as given; a found one relative to the working
    /// directory when under it (`registers/.seloste.yaml`), else its canonical path. Its
    /// diagnostics name it so, and its `rule_dirs` are joined to it.
    fn shown(&self, key: &Path) -> PathBuf {
        if let ConfigChoice::File(p) = &self.request.config {
            return p.clone();
        }
        self.cwd
            .as_deref()
            .and_then(|cwd| key.strip_prefix(cwd).ok())
            .map_or_else(|| key.to_path_buf(), Path::to_path_buf)
    }
}

/// The directory of a file as named: `a/b` of `a/b/x.yaml`, `.` of `x.yaml`.
fn dir_of(file: &Path) -> &Path {
    file.parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."))
}

/// A directory made canonical (symbolic links resolved); a directory that does not exist is made
/// absolute (its files cannot be read: the run says so).
fn canonical(dir: &Path) -> std::io::Result<PathBuf> {
    std::fs::canonicalize(dir).or_else(|_| std::path::absolute(dir))
}

/// The `.seloste.yaml` nearest to the canonical directory `dir`: in it or in a parent, up to the
/// filesystem root. Every directory passed on the way is memoised with the answer, so the
/// directories of one tree are each looked at once.
fn nearest(st: &mut State, dir: &Path) -> Option<PathBuf> {
    let mut passed = Vec::new();
    let mut at = Some(dir);
    let found = loop {
        let Some(d) = at else { break None };
        if let Some(known) = st.nearest.get(d) {
            break known.clone();
        }
        passed.push(d.to_path_buf());
        let candidate = d.join(FILE_NAME);
        if candidate.is_file() {
            break Some(candidate);
        }
        at = d.parent();
    };
    for d in passed {
        st.nearest.insert(d, found.clone());
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request(config: ConfigChoice) -> Request {
        Request {
            config,
            rule_dirs: Vec::new(),
            no_builtin: false,
            lang: None,
            lean: true,
            languages: Default::default(),
        }
    }

    #[test]
    fn a_config_is_read_and_prepared_once_and_a_directory_looked_up_once() {
        let dir = tempfile::tempdir().expect("tempdir");
        let root = dir.path();
        std::fs::create_dir_all(root.join("a/b")).expect("mkdir");
        std::fs::create_dir_all(root.join("c")).expect("mkdir");
        std::fs::write(root.join(FILE_NAME), "language: fi\n").expect("write");
        let run = Settings::new(request(ConfigChoice::Discover));
        let names = ["a/1.yaml", "a/b/2.yaml", "a/b/3.yaml", "c/4.yaml", "5.yaml"];
        let settings: Vec<FileSettings> = names
            .iter()
            .map(|n| run.for_file(&root.join(n)).expect("settings"))
            .collect();
        assert!(
            settings
                .iter()
                .all(|s| Arc::ptr_eq(&s.prepared, &settings[0].prepared))
        );
        assert_eq!(run.prepared_since(0).len(), 1);
        assert_eq!(settings[0].opts().lang, "fi");
        let rels: Vec<&Path> = settings.iter().map(|s| s.rel.as_path()).collect();
        assert_eq!(rels, names.map(Path::new));
        let st = run.lock();
        assert_eq!(st.dirs.len(), 4, "a, a/b, c and the root, each once");
        assert_eq!(st.configs.len(), 1);
        // The lookup from a/b passed a/b and stopped at a, already known.
        let canonical = std::fs::canonicalize(root).expect("canonical");
        assert_eq!(
            st.nearest.get(&canonical.join("a/b")),
            Some(&Some(canonical.join(FILE_NAME)))
        );
        drop(st);
        assert!(run.failures().is_empty());
    }

    #[test]
    fn a_broken_config_is_one_failure_for_all_its_files() {
        let dir = tempfile::tempdir().expect("tempdir");
        let root = dir.path();
        std::fs::create_dir_all(root.join("bad")).expect("mkdir");
        std::fs::write(root.join("bad").join(FILE_NAME), "langauge: fi\n").expect("write");
        let settings = Settings::new(request(ConfigChoice::Discover));
        for n in ["bad/1.yaml", "bad/2.yaml", "ok.yaml"] {
            let _ = settings.for_file(&root.join(n));
        }
        assert!(settings.for_file(&root.join("bad/3.yaml")).is_err());
        assert!(settings.for_file(&root.join("ok.yaml")).is_ok());
        let failures = settings.failures();
        assert_eq!(failures.len(), 1);
        assert_eq!(failures[0].problems(), 1);
        assert!(matches!(failures[0].error, SetupError::Config(_)));
    }
}
