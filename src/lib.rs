//! seloste: a linter for GDPR register definitions (tietosuojaseloste) written as YAML, with rules
//! written in CEL. The pipeline: discover → load → structure → view → rules → findings → report.

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
pub mod resolve;
pub mod rules;
pub mod server;
pub mod setup;
pub mod structure;
pub mod suggest;
pub mod suppress;
pub mod timing;
pub mod translations;
pub mod yaml_help;
