//! The settings of a run that checks registers: what the command line asks for ([`Request`]), and
//! the rule packs loaded and adjusted by one config ([`prepare`]). Which config governs which file,
//! each prepared once, is [`crate::resolve`]; the command line only parses arguments into a
//! [`Request`].

use std::path::PathBuf;

use crate::config::{Config, Lang};
use crate::finding::FileFindings;
use crate::rules::{RuleSet, builtin};

/// The options of the files one config governs.
pub struct LintOptions {
    /// Language of rule messages: `en`, `fi` or `sv`.
    pub lang: String,
    /// `today` for date rules.
    pub today: cel::Value,
    /// The config (per-path overrides, include/exclude); empty without a config file.
    pub config: Config,
    /// The languages whose versions of every Text are checked (`seloste/missing-translation`).
    pub languages: Languages,
}

/// Which of the languages a register declares its Texts must be complete in.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum Languages {
    /// Every one (`lint`).
    #[default]
    Declared,
    /// Its `language` (a render of one notice in the register's own language).
    Primary,
    /// These (a render in the languages asked for).
    Only(Vec<String>),
}

impl Languages {
    /// The languages asked for, of the register's `declared` ones (its `language` first).
    pub fn wanted(&self, declared: &[String]) -> Vec<String> {
        match self {
            Languages::Declared => declared.to_vec(),
            Languages::Primary => declared.iter().take(1).cloned().collect(),
            Languages::Only(l) => l.clone(),
        }
    }
}

/// Which config files a run uses.
#[derive(Debug, Clone)]
pub enum ConfigChoice {
    /// For each file, the nearest `.seloste.yaml` in its directory or a parent.
    Discover,
    /// This file for every file (`--config FILE`).
    File(PathBuf),
    /// None (`--no-config`).
    None,
}

/// What the user asked for.
#[derive(Debug, Clone)]
pub struct Request {
    pub config: ConfigChoice,
    /// Custom rule directories given on the command line (after the config's `rule_dirs`).
    pub rule_dirs: Vec<PathBuf>,
    /// Leave the built-in packs out.
    pub no_builtin: bool,
    /// `--lang`; each config's `language` otherwise, else English.
    pub lang: Option<Lang>,
    /// Load only what a run shows in its language (no docs, tests or other languages of the
    /// built-in rules): every output but SARIF.
    pub lean: bool,
    /// The languages whose Texts are checked for translations (`render` asks for its own).
    pub languages: Languages,
}

/// Why a config cannot be used (its files are not checked, exit 2): diagnostics of the config or
/// of rule files.
#[derive(Debug)]
pub enum SetupError {
    Config(Vec<FileFindings>),
    Rules(Vec<FileFindings>),
}

impl SetupError {
    /// The files with problems and their diagnostics.
    pub fn files(&self) -> &[FileFindings] {
        match self {
            SetupError::Config(f) | SetupError::Rules(f) => f,
        }
    }
}

/// The rules loaded and adjusted by a config, and the options of each file's lint: what every
/// file governed by that config is checked with.
pub struct Prepared {
    pub rules: RuleSet,
    pub opts: LintOptions,
}

/// Loads the packs and custom rules that `config` and the request name, applies the config's
/// severities and options. `today` is the date of the run (one for all its configs).
pub fn prepare(
    request: &Request,
    config: Config,
    today: cel::Value,
) -> Result<Prepared, SetupError> {
    let mut dirs = config.rule_dirs.clone();
    dirs.extend(request.rule_dirs.iter().cloned());
    let packs: Vec<&str> = match &config.packs {
        Some(p) => p.iter().map(String::as_str).collect(),
        None => builtin::packs(),
    };
    let builtin_packs: &[&str] = if request.no_builtin { &[] } else { &packs };
    let lang = request
        .lang
        .or(config.language)
        .map_or("en", Lang::code)
        .to_owned();
    let lean = request.lean.then_some(lang.as_str());
    let mut rules = load_packs(builtin_packs, &dirs, false, lean).map_err(SetupError::Rules)?;
    crate::timing::mark("rules loaded");
    config.apply(&mut rules).map_err(SetupError::Config)?;
    let opts = LintOptions {
        lang,
        today,
        config,
        languages: request.languages.clone(),
    };
    Ok(Prepared { rules, opts })
}

/// Loads the built-in packs (unless disabled) and the custom directories.
pub fn load_rules(dirs: &[PathBuf], builtin_on: bool) -> Result<RuleSet, Vec<FileFindings>> {
    load_rules_checked(dirs, builtin_on, false)
}

/// Like [`load_rules`]; `validate_builtin` compiles every message of the built-in packs at load,
/// as `rules test` and the test suite do, instead of on first use.
pub fn load_rules_checked(
    dirs: &[PathBuf],
    builtin_on: bool,
    validate_builtin: bool,
) -> Result<RuleSet, Vec<FileFindings>> {
    let packs = if builtin_on {
        builtin::packs()
    } else {
        Vec::new()
    };
    load_rule_packs(&packs, dirs, validate_builtin)
}

/// Loads the given built-in packs and custom directories.
pub fn load_rule_packs(
    packs: &[&str],
    dirs: &[PathBuf],
    validate_builtin: bool,
) -> Result<RuleSet, Vec<FileFindings>> {
    load_packs(packs, dirs, validate_builtin, None)
}

/// Loads packs for a lint run; `lean` (the output language) leaves the built-in rules' docs,
/// tests and other languages unparsed.
pub(crate) fn load_packs(
    packs: &[&str],
    dirs: &[PathBuf],
    validate_builtin: bool,
    lean: Option<&str>,
) -> Result<RuleSet, Vec<FileFindings>> {
    let mut sources = Vec::new();
    let mut errors = Vec::new();
    if !packs.is_empty() {
        let builtin = match lean {
            Some(lang) => builtin::lean_sources(packs, lang),
            None => builtin::builtin_sources(packs, !validate_builtin, false),
        };
        match builtin {
            Ok(s) => sources.extend(s),
            Err(e) => errors.extend(e),
        }
    }
    for d in dirs {
        match builtin::dir_sources(d) {
            Ok(s) => sources.extend(s),
            Err(e) => errors.extend(e),
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    RuleSet::load(sources)
}
