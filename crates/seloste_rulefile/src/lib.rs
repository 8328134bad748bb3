//! What seloste prepares from a rule file before it loads it: the lean text a lint run reads
//! (`lean`), the literals every match of a pattern must contain (`literals`), and the parsed trees
//! of its CEL (`cel_ast`). `build.rs` does it
//! once per build for the built-in rules; the binary does it at load for a user's rule files.
pub mod cel_ast;
pub mod lean;
pub mod literals;
