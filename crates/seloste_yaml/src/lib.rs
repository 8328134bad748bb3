//! YAML into a tree that keeps the byte span of every key and value, under a budget (nodes,
//! aliases, depth, size); a line index; field paths to spans; a tree back to YAML; a tree as bytes
//! (`frozen`). It knows nothing of registers, rules or findings: `seloste` (src/document) and its
//! `build.rs` both use it, so the build and the binary parse the same way.
mod emit;
pub mod frozen;
mod lines;
mod load;
mod parse;
mod path;
mod tree;

pub use emit::{to_yaml, yaml_string};
pub use lines::{LineIndex, Position, floor_char_boundary};
pub use load::{Document, LoadError, LoadErrorKind, load};
pub use parse::{Budget, DuplicateKey, ParseError, Parsed, parse, resolve_plain};
pub use path::{Located, Segment, first_line, locate, parse_path, render_path};
pub use tree::{Entry, Node, NodeKind, Span};
