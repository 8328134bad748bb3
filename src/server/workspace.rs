//! What each file is checked with: the config that governs it (the nearest `.seloste.yaml` above
//! the file, or the one named in the initialization options), prepared by the library as `lint`
//! prepares it (`settings::prepare`: packs, custom rules, severities, options, language), once per
//! config until a config or rule file changes.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::config::{self, Lang};
use crate::finding::FileFindings;
use crate::report::Catalog;
use crate::settings::{self, ConfigChoice, Prepared, Request, SetupError};

/// What the client asked for in `initializationOptions` (the command line's options of `lint`).
#[derive(Debug, Clone, Default, serde::Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Options {
    /// `--lang`: the language of messages, hovers and titles (default: the config's, else en).
    pub lang: Option<Lang>,
    /// `--config FILE` for every file (default: the nearest `.seloste.yaml` above each file).
    pub config: Option<PathBuf>,
    /// `--no-config`.
    pub no_config: bool,
    /// `--rules DIR` (repeatable).
    pub rules: Vec<PathBuf>,
    /// `--no-builtin`.
    pub no_builtin: bool,
    /// Milliseconds to wait after a change before linting (default 150).
    pub debounce_ms: Option<u64>,
}

/// The rules and options of the files one config governs, and the rule metadata hovers show.
pub struct Checker {
    pub prepared: Prepared,
    pub catalog: Catalog,
    /// The config file, when there is one.
    pub config: Option<PathBuf>,
    /// The custom rule directories it loads (a change under one reloads).
    pub rule_dirs: Vec<PathBuf>,
}

/// Why the files of a config cannot be checked: the config's or a rule file's diagnostics.
pub struct Broken {
    pub config: Option<PathBuf>,
    pub files: Vec<FileFindings>,
}

/// The prepared configs, by config file (`None`: no config).
#[derive(Default)]
pub struct Workspace {
    pub options: Options,
    prepared: HashMap<Option<PathBuf>, Result<Arc<Checker>, Arc<Broken>>>,
    /// Directories looked up, by directory: the config found for it.
    lookups: HashMap<PathBuf, Option<PathBuf>>,
    /// Counts the configs prepared and the reloads: the server republishes the diagnostics of
    /// broken configs when it moves.
    pub generation: u64,
}

impl Workspace {
    pub fn new(options: Options) -> Self {
        Workspace {
            options,
            ..Workspace::default()
        }
    }

    /// Forgets every prepared config (a config or rule file changed): the next file prepares
    /// its config anew.
    pub fn reload(&mut self) {
        self.prepared.clear();
        self.lookups.clear();
        self.generation += 1;
    }

    /// The config that governs `file` (a file without a path, e.g. an unsaved buffer: the working
    /// directory's).
    pub fn config_of(&mut self, file: Option<&Path>) -> Option<PathBuf> {
        if self.options.no_config {
            return None;
        }
        if let Some(c) = &self.options.config {
            return Some(c.clone());
        }
        let dir = match file.and_then(Path::parent) {
            Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
            _ => std::env::current_dir().ok()?,
        };
        self.lookups
            .entry(dir)
            .or_insert_with_key(|d| discover(d))
            .clone()
    }

    /// What `file` is checked with, or why it cannot be.
    pub fn for_file(&mut self, file: Option<&Path>) -> Result<Arc<Checker>, Arc<Broken>> {
        let config = self.config_of(file);
        if let Some(done) = self.prepared.get(&config) {
            return done.clone();
        }
        let prepared = self.prepare(config.clone());
        self.prepared.insert(config, prepared.clone());
        self.generation += 1;
        prepared
    }

    /// Every config prepared so far and its outcome.
    pub fn prepared(&self) -> impl Iterator<Item = &Result<Arc<Checker>, Arc<Broken>>> {
        self.prepared.values()
    }

    /// Whether a change of `path` changes what files are checked with: a config file, or a file
    /// under the custom rule directories of a prepared config.
    pub fn affects(&self, path: &Path) -> bool {
        if path.file_name().is_some_and(|n| n == config::FILE_NAME)
            || self.options.config.as_deref() == Some(path)
        {
            return true;
        }
        let dirs = self.options.rules.iter().chain(
            self.prepared
                .values()
                .filter_map(|p| p.as_ref().ok())
                .flat_map(|c| c.rule_dirs.iter()),
        );
        let canonical = |p: &Path| std::fs::canonicalize(p).unwrap_or_else(|_| p.to_path_buf());
        let target = canonical(path.parent().unwrap_or(path));
        dirs.map(|d| canonical(d))
            .any(|d| target.starts_with(&d) || path.starts_with(&d))
    }

    fn prepare(&self, config: Option<PathBuf>) -> Result<Arc<Checker>, Arc<Broken>> {
        let request = Request {
            config: config
                .clone()
                .map_or(ConfigChoice::None, ConfigChoice::File),
            rule_dirs: self.options.rules.clone(),
            no_builtin: self.options.no_builtin,
            lang: self.options.lang,
            // Hovers show the rules' docs.
            lean: false,
            languages: crate::lint::Languages::Declared,
        };
        let loaded = match &config {
            Some(path) => config::load(path).map_err(SetupError::Config),
            None => Ok(config::Config::default()),
        };
        match loaded.and_then(|c| settings::prepare(&request, c, crate::rules::engine::today())) {
            Ok(prepared) => {
                let catalog = Catalog::new(&prepared.rules, &prepared.opts.lang);
                let mut rule_dirs = prepared.opts.config.rule_dirs.clone();
                rule_dirs.extend(self.options.rules.iter().cloned());
                Ok(Arc::new(Checker {
                    prepared,
                    catalog,
                    config,
                    rule_dirs,
                }))
            }
            Err(SetupError::Config(files) | SetupError::Rules(files)) => {
                Err(Arc::new(Broken { config, files }))
            }
        }
    }
}

/// The nearest `.seloste.yaml` in `dir` or its parents (as `lint` finds a file's config).
fn discover(dir: &Path) -> Option<PathBuf> {
    dir.ancestors()
        .map(|d| d.join(config::FILE_NAME))
        .find(|c| c.is_file())
}
