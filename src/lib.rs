//! seloste: a linter for GDPR register definitions (tietosuojaseloste) written as YAML, with rules
//! written in CEL. The pipeline: discover → load → structure → view → rules → findings → report.
//!
//! The command line (`cli`) is one client of this library; `render`, `export` and the language
//! server (`server`) are others. A run's [`settings::Settings`] is built once from what it asks for
//! (a [`settings::Request`]: config choice, rule directories, language) and gives each file the
//! settings of its config, each config read and its rules loaded once:
//!
//! ```
//! use seloste::settings::{ConfigChoice, Languages, Request, Settings};
//!
//! let settings = Settings::new(Request {
//!     config: ConfigChoice::None,
//!     rule_dirs: Vec::new(),
//!     no_builtin: false,
//!     lang: None,
//!     lean: true,
//!     languages: Languages::Declared,
//! });
//! let path = std::path::Path::new("fixtures/valid/company.yaml");
//! let file_settings = settings.for_file(path).expect("no config, so nothing to fail");
//! let bytes = std::fs::read(path).expect("the fixture");
//! let file = seloste::lint::lint_file(&file_settings, "company.yaml", &bytes)
//!     .findings()
//!     .expect("a register");
//! // A valid register: no finding of the format's own checks (the rules' findings depend on the
//! // day the test runs: a notice not updated for two years is stale).
//! assert!(file.findings.iter().all(|f| !f.rule.starts_with("seloste/")), "{:?}", file.findings);
//! ```
//!
//! Files on disk are linted in parallel, in a fixed order, by [`lint::lint_paths`]; rules without
//! a config are loaded by [`rules::load_rules`]; findings are written by the emitters of
//! [`report`].

pub mod baseline;
pub mod checks;
pub mod cli;
pub mod config;
pub mod document;
pub mod explain;
pub mod export;
pub mod fi;
pub mod finding;
pub mod fix;
pub mod formats;
pub mod import;
pub mod init;
pub mod lint;
pub mod messages;
pub mod output;
pub mod paths;
pub mod placeholder;
pub mod register;
pub mod render;
pub mod report;
pub mod rules;
pub mod server;
pub mod settings;
pub mod structure;
pub mod suggest;
pub mod suppress;
pub mod timing;
pub mod translations;
pub mod yaml_help;
