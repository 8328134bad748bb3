//! The record written as CSV (RFC 4180, or the `;`-separated UTF-8 with BOM that Finnish Excel
//! opens), JSON (an array of rows, streamed), Markdown (a table) or XLSX (one sheet). Register
//! values come from pull requests: a CSV cell that a spreadsheet would evaluate as a formula is
//! written as text, and XLSX cells are strings or numbers, never formulas.

use std::io::{self, Write};

use super::{COLUMNS, Format, Row};
use crate::render::Texts;
use crate::report::JsonArray;

/// Writes rows as they come; [`RecordWriter::finish`] closes the document.
pub trait RecordWriter {
    fn rows(&mut self, out: &mut dyn Write, rows: &[Row]) -> io::Result<()>;
    fn finish(&mut self, out: &mut dyn Write) -> io::Result<()>;
}

/// The writer of `format`; `excel`: CSV as Finnish Excel reads it (BOM, `;`).
pub fn writer(format: Format, texts: &Texts, excel: bool) -> Box<dyn RecordWriter> {
    use crate::render::markdown::escape;
    let headings: Vec<String> = COLUMNS
        .iter()
        .map(|c| texts.get(&format!("record.{c}")).to_owned())
        .collect();
    let title = texts.get("record.title");
    match format {
        Format::Csv => {
            let separator = if excel { ';' } else { ',' };
            let line = move |cells: &[String]| {
                let fields: Vec<String> = cells.iter().map(|c| csv_field(c, separator)).collect();
                fields.join(&separator.to_string()) + "\r\n"
            };
            let bom = if excel { "\u{feff}" } else { "" };
            Box::new(Table {
                head: Some(bom.to_owned() + &line(&headings)),
                join: "\n",
                line: Box::new(line),
            })
        }
        Format::Json => Box::new(JsonArray::default()),
        Format::Markdown => {
            let line = |cells: &[String]| {
                let cells: Vec<String> = cells.iter().map(|c| escape(c)).collect();
                format!("| {} |\n", cells.join(" | "))
            };
            let rule = "---|".repeat(headings.len());
            Box::new(Table {
                head: Some(format!(
                    "# {}\n\n{}|{rule}\n",
                    escape(title),
                    line(&headings)
                )),
                join: "; ",
                line: Box::new(line),
            })
        }
        Format::Xlsx => Box::new(Xlsx::new(title, &headings)),
    }
}

/// A text table (CSV, Markdown): a head, then a line per row.
struct Table {
    /// Written before the first row (a record of no rows still has it).
    head: Option<String>,
    /// What joins the lines of a cell.
    join: &'static str,
    line: LineWriter,
}

/// Writes one line of a text table from its cells.
type LineWriter = Box<dyn Fn(&[String]) -> String>;

impl RecordWriter for Table {
    fn rows(&mut self, out: &mut dyn Write, rows: &[Row]) -> io::Result<()> {
        if let Some(head) = self.head.take() {
            out.write_all(head.as_bytes())?;
        }
        for r in rows {
            let cells: Vec<String> = r.cells().iter().map(|c| c.join(self.join)).collect();
            out.write_all((self.line)(&cells).as_bytes())?;
        }
        Ok(())
    }

    fn finish(&mut self, out: &mut dyn Write) -> io::Result<()> {
        self.rows(out, &[])
    }
}

/// A CSV field: quoted when it holds the separator, a quote or a line break (RFC 4180); a value
/// that starts like a formula (`=`, `+`, `-`, `@`, tab, carriage return) gets a leading `'` so that
/// spreadsheet programs show it as text (OWASP, CSV injection).
pub fn csv_field(value: &str, separator: char) -> String {
    let mut v = String::with_capacity(value.len() + 2);
    if value.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        v.push('\'');
    }
    v.push_str(value);
    if v.contains([separator, '"', '\n', '\r']) {
        format!("\"{}\"", v.replace('"', "\"\""))
    } else {
        v
    }
}

/// JSON: an array of rows, each written as it comes.
impl RecordWriter for JsonArray {
    fn rows(&mut self, out: &mut dyn Write, rows: &[Row]) -> io::Result<()> {
        rows.iter().try_for_each(|r| self.push(out, r))
    }

    fn finish(&mut self, out: &mut dyn Write) -> io::Result<()> {
        self.close(out)
    }
}

/// XLSX is a zip of the whole sheet: rust_xlsxwriter keeps the cells until the end (about 6 KB
/// per row, measured); the rows go into the sheet as they come. A cell holds at most 32 767
/// characters (Excel's limit): longer texts are cut there, with `…`.
struct Xlsx {
    book: rust_xlsxwriter::Workbook,
    cell: rust_xlsxwriter::Format,
    /// The next row of the sheet (0 is the header).
    next: u32,
    /// The first error of the workbook, reported at the end.
    error: Option<rust_xlsxwriter::XlsxError>,
}

/// Column widths in characters, by column (what a reader needs to see without widening).
const WIDTHS: &[f64] = &[
    22.0, 30.0, 24.0, 36.0, 30.0, 40.0, 40.0, 28.0, 30.0, 40.0, 36.0, 32.0, 36.0, 36.0, 12.0, 8.0,
    10.0, 30.0,
];

impl Xlsx {
    fn new(title: &str, headings: &[String]) -> Xlsx {
        use rust_xlsxwriter::{Format, FormatAlign, FormatBorder, Workbook};
        let mut book = Workbook::new();
        let cell = Format::new().set_text_wrap().set_align(FormatAlign::Top);
        let head = Format::new()
            .set_bold()
            .set_text_wrap()
            .set_align(FormatAlign::Top)
            .set_background_color("#DCE6F1")
            .set_border(FormatBorder::Thin);
        let sheet = book.add_worksheet();
        // A sheet name has at most 31 characters and none of []:*?/\.
        let name: String = title
            .chars()
            .filter(|c| !"[]:*?/\\".contains(*c))
            .take(31)
            .collect();
        let header = || -> Result<(), rust_xlsxwriter::XlsxError> {
            sheet.set_name(name)?;
            for (col, h) in headings.iter().enumerate() {
                let width = WIDTHS.get(col).copied().unwrap_or(24.0);
                sheet
                    .write_string_with_format(0, col as u16, h, &head)?
                    .set_column_width(col as u16, width)?;
            }
            Ok(())
        };
        let error = header().err();
        let _ = sheet.set_freeze_panes(1, 0);
        Xlsx {
            book,
            cell,
            next: 1,
            error,
        }
    }

    fn write(&mut self, rows: &[Row]) -> Result<(), rust_xlsxwriter::XlsxError> {
        let sheet = self.book.worksheet_from_index(0)?;
        for r in rows {
            for (col, (c, lines)) in COLUMNS.iter().zip(r.cells()).enumerate() {
                let (row, col) = (self.next, col as u16);
                match *c {
                    "errors" => {
                        sheet.write_number_with_format(row, col, r.errors as f64, &self.cell)?
                    }
                    "warnings" => {
                        sheet.write_number_with_format(row, col, r.warnings as f64, &self.cell)?
                    }
                    // Strings, never formulas: a value starting with `=` stays text.
                    _ => sheet.write_string_with_format(
                        row,
                        col,
                        excel_cell(&lines.join("\n")),
                        &self.cell,
                    )?,
                };
            }
            self.next += 1;
        }
        Ok(())
    }

    /// The workbook, with a filter over the header and the rows.
    fn save(&mut self) -> Result<Vec<u8>, rust_xlsxwriter::XlsxError> {
        let sheet = self.book.worksheet_from_index(0)?;
        sheet.autofilter(0, 0, self.next - 1, (COLUMNS.len() - 1) as u16)?;
        self.book.save_to_buffer()
    }
}

impl RecordWriter for Xlsx {
    fn rows(&mut self, _: &mut dyn Write, rows: &[Row]) -> io::Result<()> {
        if self.error.is_none()
            && let Err(e) = self.write(rows)
        {
            self.error = Some(e);
        }
        Ok(())
    }

    fn finish(&mut self, out: &mut dyn Write) -> io::Result<()> {
        let bytes = match self.error.take() {
            Some(e) => Err(e),
            None => self.save(),
        };
        out.write_all(&bytes.map_err(io::Error::other)?)
    }
}

/// The most UTF-16 units a cell of Excel holds.
const EXCEL_CELL_LIMIT: usize = 32_767;

/// A cell's text cut to what Excel holds, with `…` where it was cut (the whole text is in the CSV
/// and JSON exports).
fn excel_cell(text: &str) -> std::borrow::Cow<'_, str> {
    if text.len() <= EXCEL_CELL_LIMIT || text.encode_utf16().count() <= EXCEL_CELL_LIMIT {
        return text.into();
    }
    let mut units = 0;
    let mut out = String::new();
    for c in text.chars() {
        units += c.len_utf16();
        if units > EXCEL_CELL_LIMIT - 1 {
            break;
        }
        out.push(c);
    }
    out.push('…');
    out.into()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_longer_than_excel_holds_are_cut() {
        let long = "ä".repeat(40_000);
        let cut = excel_cell(&long);
        assert_eq!(cut.encode_utf16().count(), EXCEL_CELL_LIMIT);
        assert!(cut.ends_with('…'));
        assert_eq!(excel_cell("short"), "short");
    }

    #[test]
    fn csv_fields_are_quoted_and_formulas_defused() {
        assert_eq!(csv_field("plain", ','), "plain");
        assert_eq!(csv_field("a, b", ','), "\"a, b\"");
        assert_eq!(csv_field("say \"x\"", ','), "\"say \"\"x\"\"\"");
        assert_eq!(csv_field("two\nlines", ','), "\"two\nlines\"");
        assert_eq!(
            csv_field("=HYPERLINK(\"x\")", ','),
            "\"'=HYPERLINK(\"\"x\"\")\""
        );
        assert_eq!(csv_field("+1", ','), "'+1");
        assert_eq!(csv_field("-2", ','), "'-2");
        assert_eq!(csv_field("@SUM(A1)", ','), "'@SUM(A1)");
        assert_eq!(csv_field("\tx", ','), "'\tx");
        assert_eq!(csv_field("a;b", ';'), "\"a;b\"");
        assert_eq!(csv_field("a;b", ','), "a;b");
    }
}
