//! `seloste export`: the record of processing activities (Art. 30(1)) from the registers, one row
//! per (register, purpose), in CSV, XLSX, JSON or Markdown. Rows are read leniently from the tree,
//! so a register with structure errors is still in the record (its rows marked), and a file that
//! does not parse is one row with its file and the error: the record is never silently incomplete.

mod row;
pub mod write;

pub use row::{Row, rows_of};

/// The output format of the record.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Csv,
    Xlsx,
    Json,
    Markdown,
}

/// The columns, in order: the key of the JSON output and the key of its heading text.
pub const COLUMNS: &[&str] = &[
    "register",
    "register_name",
    "file",
    "controller",
    "dpo",
    "purpose",
    "legal_basis",
    "laws",
    "data_subjects",
    "data_categories",
    "recipients",
    "transfers",
    "retention",
    "security",
    "updated",
    "errors",
    "warnings",
    "problem",
];
