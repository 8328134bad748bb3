//! How a file's path prints in findings and messages.

use std::path::Path;

/// `./a/b.yaml` → `a/b.yaml`, with `/` separators on every platform.
pub fn display_path(p: &Path) -> String {
    let s = p.to_string_lossy().replace('\\', "/");
    s.strip_prefix("./").map(str::to_owned).unwrap_or(s)
}
