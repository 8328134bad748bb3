//! Output files written atomically ([`Sink`]): what `lint --output`, `render`, `export`, `init`,
//! `import` and the baseline write never leaves a partial file.

use std::io::Write;
use std::path::Path;

use crate::paths::display_path;

/// An I/O error as the system says it, without the path of our temporary file that some errors
/// carry (it names a file the user never asked for).
pub fn plain_io_error(e: &std::io::Error) -> String {
    // tempfile adds ` at path "<its temporary file>"` to the system's message.
    let text = e.to_string();
    match text.find(" at path \"") {
        Some(i) => text[..i].to_owned(),
        None => text,
    }
}

/// What to say when writing `what` to `path` (stdout when `None`) failed; `None` for a closed
/// stdout (`| head`): the reader's choice, not an error worth reporting.
pub(crate) fn write_error(e: &std::io::Error, path: Option<&Path>, what: &str) -> Option<String> {
    (e.kind() != std::io::ErrorKind::BrokenPipe || path.is_some()).then(|| {
        let to = path.map_or_else(|| "stdout".to_owned(), display_path);
        format!("cannot write {what} to {to}: {}", plain_io_error(e))
    })
}

/// Where the output goes: stdout, or `--output FILE` written atomically (a temporary file in the
/// same directory, on the same file system, flushed to disk and renamed over FILE at the end), so
/// readers see the old file or the whole new one, never a part. A FILE that is a symbolic link
/// has its target replaced (the link stays); one that exists and is no regular file (`/dev/null`,
/// a FIFO, `/dev/stdout`) is written to directly, since renaming over it would replace the device.
pub enum Sink {
    Stdout(std::io::BufWriter<std::io::Stdout>),
    Device(std::io::BufWriter<std::fs::File>),
    File {
        path: std::path::PathBuf,
        tmp: std::io::BufWriter<tempfile::NamedTempFile>,
        /// Flushed to disk before the rename (the default).
        durable: bool,
    },
}

impl Sink {
    pub(crate) fn open(output: Option<&Path>) -> Result<Sink, String> {
        let Some(path) = output else {
            return Ok(Sink::Stdout(std::io::BufWriter::new(std::io::stdout())));
        };
        let cannot = |e: &std::io::Error| {
            format!(
                "cannot write the output to {}: {}",
                display_path(path),
                plain_io_error(e)
            )
        };
        let target = match std::fs::symlink_metadata(path) {
            Ok(m) if m.file_type().is_symlink() => std::fs::canonicalize(path).ok(),
            _ => None,
        };
        let path = target.as_deref().unwrap_or(path);
        if let Ok(m) = std::fs::metadata(path)
            && !m.is_file()
            && !m.is_dir()
        {
            return std::fs::OpenOptions::new()
                .write(true)
                .open(path)
                .map(|f| Sink::Device(std::io::BufWriter::new(f)))
                .map_err(|e| cannot(&e));
        }
        let dir = path.parent().filter(|d| !d.as_os_str().is_empty());
        tempfile::Builder::new()
            .prefix(".seloste-output-")
            .tempfile_in(dir.unwrap_or(Path::new(".")))
            .map(|tmp| Sink::File {
                path: path.to_path_buf(),
                tmp: std::io::BufWriter::new(tmp),
                durable: true,
            })
            .map_err(|e| cannot(&e))
    }

    /// Whether a file is flushed to disk before it replaces the old one. Without, it still
    /// appears whole (the rename is atomic), but a crash may leave it empty.
    pub(crate) fn set_durable(&mut self, on: bool) {
        if let Sink::File { durable, .. } = self {
            *durable = on;
        }
    }

    pub(crate) fn writer(&mut self) -> &mut dyn Write {
        match self {
            Sink::Stdout(w) => w,
            Sink::Device(w) => w,
            Sink::File { tmp, .. } => tmp,
        }
    }

    pub(crate) fn close(self) -> std::io::Result<()> {
        self.close_replacing(true)
    }

    /// [`Sink::close`]; `replace: false` fails with `AlreadyExists` instead of replacing a file
    /// that appeared at the path meanwhile (the rename does not overwrite).
    pub(crate) fn close_replacing(self, replace: bool) -> std::io::Result<()> {
        match self {
            Sink::Stdout(mut w) => w.flush(),
            Sink::Device(mut w) => w.flush(),
            Sink::File { path, tmp, durable } => {
                let tmp = tmp.into_inner().map_err(|e| e.into_error())?;
                if durable {
                    tmp.as_file().sync_all()?;
                }
                #[cfg(unix)]
                {
                    // The temporary file is private (0600); the output is an ordinary file: keep
                    // the mode of the file being replaced, or make it readable like one the shell
                    // would create.
                    use std::os::unix::fs::PermissionsExt;
                    let mode = std::fs::metadata(&path).map_or(0o644, |m| m.permissions().mode());
                    tmp.as_file()
                        .set_permissions(std::fs::Permissions::from_mode(mode))?;
                }
                if replace {
                    tmp.persist(&path).map_err(|e| e.error)?;
                } else {
                    tmp.persist_noclobber(&path).map_err(|e| e.error)?;
                }
                Ok(())
            }
        }
    }
}

/// Writes `text` (`what` it is, for the error) to stdout, or to `path` atomically. An existing
/// file is replaced only with `force`: a template or an import written over a filled-in register
/// would lose it (`init`, `import`). A closed stdout (`| head`) is no error. The error says what
/// went wrong, naming the path.
pub fn write_new(path: Option<&Path>, text: &str, force: bool, what: &str) -> Result<(), String> {
    if let Some(path) = path {
        let shown = display_path(path);
        if path.is_dir() {
            return Err(format!("{shown} is a directory: name the file to write"));
        }
        if !force && std::fs::symlink_metadata(path).is_ok() {
            return Err(format!(
                "{shown} already exists: not overwritten (use --force to replace it)"
            ));
        }
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty())
            && !dir.is_dir()
        {
            return Err(format!(
                "cannot write {shown}: the directory {} does not exist",
                display_path(dir)
            ));
        }
    }
    let mut sink = Sink::open(path)?;
    let result = sink
        .writer()
        .write_all(text.as_bytes())
        .and_then(|()| sink.close_replacing(force));
    match result {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists && !force => Err(format!(
            "{} already exists: not overwritten (use --force to replace it)",
            path.map(display_path).unwrap_or_default()
        )),
        Err(e) => write_error(&e, path, what).map_or(Ok(()), Err),
    }
}
