//! The `seloste import` command: a prose notice to a register skeleton (src/import/).

use std::path::PathBuf;

use crate::cli::{EXIT_ERROR, EXIT_OK, Lang};
use crate::paths::display_path;

/// Files larger than this are no notice (a notice is tens of kilobytes; a .docx with images a few
/// megabytes).
const MAX_INPUT: u64 = 32 * 1024 * 1024;

#[derive(clap::Args, Debug)]
pub struct ImportArgs {
    /// The notice: .txt, .md, .html or .docx (other names are read by their content).
    pub file: PathBuf,
    /// The language of the notice (default: detected from its words).
    #[arg(long, value_enum)]
    pub lang: Option<Lang>,
    /// Write the register to FILE (atomically) instead of stdout.
    #[arg(long, short = 'o', value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Replace FILE when it exists.
    #[arg(long)]
    pub force: bool,
}

/// `seloste import`.
pub fn run(args: &ImportArgs) -> i32 {
    let file = display_path(&args.file);
    let fail = |m: String| {
        eprintln!("error: {m}");
        EXIT_ERROR
    };
    // Refused before the work, and again when writing (`write_new`), should it appear meanwhile.
    if let Some(out) = &args.output
        && !args.force
        && std::fs::symlink_metadata(out).is_ok()
    {
        return fail(format!(
            "{} already exists: not overwritten (use --force to replace it)",
            display_path(out)
        ));
    }
    match std::fs::metadata(&args.file) {
        Ok(m) if m.is_dir() => return fail(format!("{file} is a directory, not a notice")),
        Ok(m) if m.len() > MAX_INPUT => {
            return fail(format!(
                "{file} is larger than {} MiB: no notice is",
                MAX_INPUT / (1024 * 1024)
            ));
        }
        Ok(_) => {}
        Err(e) => {
            return fail(format!(
                "cannot read {file}: {}",
                crate::output::plain_io_error(&e)
            ));
        }
    }
    let bytes = match std::fs::read(&args.file) {
        Ok(b) => b,
        Err(e) => {
            return fail(format!(
                "cannot read {file}: {}",
                crate::output::plain_io_error(&e)
            ));
        }
    };
    let kind = crate::import::input_kind(&args.file, &bytes);
    let name = args
        .file
        .file_name()
        .map_or_else(|| file.clone(), |n| n.to_string_lossy().into_owned());
    let imported = match crate::import::import(&name, &bytes, kind, args.lang.map(Lang::code)) {
        Ok(i) => i,
        Err(e) => return fail(e.message(&file)),
    };
    if let Err(m) = crate::output::write_new(
        args.output.as_deref(),
        &imported.yaml,
        args.force,
        "the register",
    ) {
        return fail(m);
    }
    if let Some(out) = &args.output {
        eprintln!(
            "Wrote {}: {} of the notice's {} lines fit no field (kept as comments at the end). \
             Confirm each `seloste: check`, then run `seloste lint {}`.",
            display_path(out),
            imported.unplaced,
            imported.lines,
            display_path(out)
        );
    }
    EXIT_OK
}
