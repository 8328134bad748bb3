//! Loading a register file into a span-keeping tree, resolving field paths, and the CEL view.
mod emit;
pub mod frozen;
mod lines;
mod load;
mod parse;
mod path;
mod tree;
mod view;

pub use emit::{to_yaml, yaml_string};
pub use lines::{LineIndex, Position};
pub use load::{Document, LoadError, LoadErrorKind, load};
pub use parse::{Budget, DuplicateKey, ParseError, Parsed, parse, resolve_plain};
pub use path::{Located, Segment, first_line, locate, parse_path, render_path};
pub use tree::{Entry, Node, NodeKind, Span};
pub use view::{date_timestamp, plain_view};
