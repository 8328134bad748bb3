//! Register files as span-keeping trees: the loader is the `seloste_yaml` crate (shared with
//! `build.rs`); this module adds the trees as `cel::Value`s (rule options, pack data).
mod view;

pub use seloste_yaml::*;
pub use view::{date_timestamp, plain_view};
