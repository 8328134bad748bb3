//! Rules: the rule-file format, loading with validation, the CEL engine, built-in packs, tests.

pub mod builtin;
pub mod engine;
pub mod fast;
pub mod file;
pub mod functions;
pub mod lean;
pub mod literals;
pub mod load;
pub mod native;
pub mod patterns;
pub mod template;
pub mod testing;
pub mod validate;

pub use engine::{Hit, evaluate};
pub use load::{Rule, RuleSet, RuleSource, Template};
