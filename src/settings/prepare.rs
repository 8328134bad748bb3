//! What a run asks for ([`Request`]), and what one config makes of it ([`prepare`]: the rule packs
//! loaded and adjusted, the options of the files it governs).

use std::path::PathBuf;

use crate::config::{Config, Lang};
use crate::finding::FileFindings;
use crate::rules::{RuleSet, builtin, load_packs};

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
    let dirs = [config.rule_dirs.clone(), request.rule_dirs.clone()].concat();
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
