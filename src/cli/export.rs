//! The `seloste export` command: the record of processing activities from the registers.

use std::io::IsTerminal;
use std::path::PathBuf;

use crate::cli::{CheckArgs, EXIT_ERROR, EXIT_FINDINGS, EXIT_OK, Lang, Sink};
use crate::export::{self, Format};
use crate::lint::{self, Languages};
use crate::output::write_error;
use crate::settings::FileSettings;

#[derive(clap::Args, Debug)]
pub struct ExportArgs {
    /// Register files or directories (walked like `lint` does).
    #[arg(default_value = ".")]
    pub paths: Vec<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = ExportFormat::Csv)]
    pub format: ExportFormat,
    /// Language of the headings and of the words for legal bases, recipients and the like (and of
    /// the texts of registers written in several); default: the `language` of the working
    /// directory's config, else en. Each register's findings are in its own config's language.
    #[arg(long, value_enum)]
    pub lang: Option<Lang>,
    /// Write the record to FILE (atomically) instead of stdout; XLSX needs it on a terminal.
    #[arg(long, short = 'o', value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// CSV as Finnish Excel opens it: UTF-8 with a byte order mark, `;` between fields.
    #[arg(long)]
    pub excel: bool,
    /// Exit 0 even when registers have error findings (the record is written in every case).
    #[arg(long)]
    pub no_fail: bool,
    #[command(flatten)]
    pub check: CheckArgs,
}

#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum ExportFormat {
    /// RFC 4180 CSV, UTF-8 (with --excel: BOM and `;`).
    Csv,
    /// An Excel workbook: one sheet, styled header, frozen header row, autofilter.
    Xlsx,
    /// An array of objects with stable snake_case keys (docs/output.md).
    Json,
    /// A GitHub-flavoured Markdown table.
    Markdown,
}

/// `seloste export`.
pub fn run(args: &ExportArgs) -> i32 {
    let format = match args.format {
        ExportFormat::Csv => Format::Csv,
        ExportFormat::Xlsx => Format::Xlsx,
        ExportFormat::Json => Format::Json,
        ExportFormat::Markdown => Format::Markdown,
    };
    if args.excel && format != Format::Csv {
        eprintln!("error: --excel is for --format csv");
        return EXIT_ERROR;
    }
    if format == Format::Xlsx && args.output.is_none() && std::io::stdout().is_terminal() {
        eprintln!("error: an XLSX workbook is binary: write it with --output FILE.xlsx");
        return EXIT_ERROR;
    }
    let settings = crate::cli::settings_of(&args.check, args.lang, true, Languages::Declared);
    // One record, in one language: --lang, else the working directory's config's, else English.
    // Each register's findings are in its own config's language.
    let texts = match crate::render::texts::load(&settings.language(), None) {
        Ok(t) => t,
        Err(errors) => {
            crate::cli::print_problems(&errors, args.check.color, "in the notice texts");
            return EXIT_ERROR;
        }
    };
    let (targets, mut problems, failures) =
        match crate::cli::select_files(&settings, &args.paths, args.check.color) {
            Ok(s) => s,
            Err(code) => return code,
        };
    let Ok(mut sink) = Sink::open(args.output.as_deref()).inspect_err(|e| eprintln!("error: {e}"))
    else {
        return EXIT_ERROR;
    };
    let mut writer = export::write::writer(format, &texts, args.excel);
    let (mut registers, mut failing, mut rows_written) = (0usize, 0usize, 0usize);
    let mut written = Ok(());
    // The rows of each register (`None` for a walked file that is not one), in path order.
    let rows_of = |(t, s): &&(lint::Target, FileSettings)| -> Result<_, String> {
        let Some((file, root)) = lint::lint_target(t, s)? else {
            return Ok(None);
        };
        Ok(Some(export::rows_of(
            &file,
            root.map(|r| r.to_json()).as_ref(),
            &texts,
        )))
    };
    lint::in_order(&targets, rows_of, |rows| match rows {
        Err(p) => problems.push(p),
        Ok(None) => {}
        Ok(Some(rows)) => {
            registers += 1;
            failing += usize::from(rows.first().is_some_and(|r| r.errors > 0));
            rows_written += rows.len();
            if written.is_ok() {
                written = writer.rows(sink.writer(), &rows);
            }
        }
    });
    // No register: the run failed, and an earlier record at --output stays as it was (the sink's
    // temporary file is dropped unused).
    let written = match registers {
        0 => Ok(()),
        _ => written
            .and_then(|()| writer.finish(sink.writer()))
            .and_then(|()| sink.close()),
    };
    for p in &problems {
        eprintln!("error: {p}");
    }
    crate::cli::print_failures(&failures, args.check.color, false);
    if registers == 0 {
        if problems.is_empty() && failures.is_empty() {
            eprintln!("error: {}", lint::no_registers(&args.paths, "en"));
        }
        return EXIT_ERROR;
    }
    if let Err(e) = written
        && let Some(e) = write_error(&e, args.output.as_deref(), "the record")
    {
        eprintln!("error: {e}");
        return EXIT_ERROR;
    }
    eprintln!(
        "exported {rows_written} row{} from {registers} register{}; {failing} with errors",
        if rows_written == 1 { "" } else { "s" },
        if registers == 1 { "" } else { "s" },
    );
    if !problems.is_empty() || !failures.is_empty() {
        EXIT_ERROR
    } else if failing > 0 && !args.no_fail {
        EXIT_FINDINGS
    } else {
        EXIT_OK
    }
}
