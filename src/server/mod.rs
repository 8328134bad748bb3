//! `seloste server`: a Language Server Protocol server over stdio, a client of the library like
//! `lint` (the same config lookup, rules, suppressions and findings).
//!
//! | module | job |
//! |---|---|
//! | `transport` | the base protocol: framed JSON-RPC messages, the errors of malformed ones |
//! | this file | the protocol loop: lifecycle, dispatch, the debounce, publishing diagnostics |
//! | `documents` | open documents, edits, positions in UTF-16 or UTF-8 |
//! | `workspace` | the config of each file, prepared once, reloaded when a config or rule changes |
//! | `diagnostics` | findings → diagnostics |
//! | `hover`, `completion`, `actions` | the requests of the same names |
//! | `cursor`, `schema` | what is at a position; the format's schema at a path |

pub mod actions;
pub mod completion;
pub mod cursor;
pub mod diagnostics;
pub mod documents;
pub mod hover;
pub mod schema;
pub mod transport;
pub mod workspace;

use std::collections::BTreeSet;
use std::io::{BufRead, Write};
use std::panic::AssertUnwindSafe;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::mpsc::RecvTimeoutError;
use std::time::{Duration, Instant};

use lsp_types::{
    CodeActionParams, CompletionList, CompletionParams, CompletionResponse, CompletionTextEdit,
    Diagnostic, DiagnosticSeverity, DidChangeTextDocumentParams, DidChangeWatchedFilesParams,
    DidCloseTextDocumentParams, DidOpenTextDocumentParams, DidSaveTextDocumentParams, Hover,
    HoverContents, HoverParams, InitializeParams, MarkupContent, MarkupKind, NumberOrString,
    PositionEncodingKind, Range, TextEdit, Uri,
};
use serde_json::{Value, json};

use documents::{Documents, Encoding, Lines};
use transport::{Incoming, Message, code};
use workspace::{Checker, Options, Workspace};

use crate::lint;

/// The wait after a change before the document is linted, unless the client says otherwise.
pub const DEFAULT_DEBOUNCE: Duration = Duration::from_millis(150);

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Phase {
    Uninitialized,
    Running,
    ShuttingDown,
}

/// What the loop does after a message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Flow {
    Continue,
    /// `exit`: 0 after `shutdown`, 1 without (as the protocol says).
    Exit(i32),
}

/// The server's state. [`Server::handle`] takes one message; what is to be sent collects in
/// [`Server::take_output`]. No I/O here: [`run`] reads and writes, tests and benchmarks drive it
/// directly.
pub struct Server {
    docs: Documents,
    workspace: Workspace,
    encoding: Encoding,
    debounce: Duration,
    phase: Phase,
    watch: bool,
    out: Vec<Value>,
    /// Config and rule files with diagnostics published (so they are cleared once fixed).
    setup_uris: BTreeSet<String>,
    /// The [`Workspace::generation`] whose setup diagnostics are published.
    setup_seen: u64,
}

impl Default for Server {
    fn default() -> Self {
        Self::new()
    }
}

impl Server {
    pub fn new() -> Self {
        Server {
            docs: Documents::default(),
            workspace: Workspace::new(Options::default()),
            encoding: Encoding::Utf16,
            debounce: DEFAULT_DEBOUNCE,
            phase: Phase::Uninitialized,
            watch: false,
            out: Vec::new(),
            setup_uris: BTreeSet::new(),
            setup_seen: 0,
        }
    }

    /// The messages to send, in order.
    pub fn take_output(&mut self) -> Vec<Value> {
        std::mem::take(&mut self.out)
    }

    /// When the next changed document is to be linted.
    pub fn due(&self) -> Option<Instant> {
        self.docs.open.values().filter_map(|d| d.due).min()
    }

    /// Lints the documents whose debounce has passed at `now`.
    pub fn lint_due(&mut self, now: Instant) {
        let due: Vec<String> = self
            .docs
            .open
            .iter()
            .filter(|(_, d)| d.due.is_some_and(|t| t <= now))
            .map(|(u, _)| u.clone())
            .collect();
        for uri in due {
            self.guarded(|s| s.lint(&uri));
        }
    }

    /// A message that could not be read: its error response.
    pub fn malformed(&mut self, error: Value) {
        self.out.push(error);
    }

    /// Runs `f`; a panic in it (a bug of ours) is logged, and the server goes on.
    fn guarded<T>(&mut self, f: impl FnOnce(&mut Self) -> T) -> Option<T> {
        let result = std::panic::catch_unwind(AssertUnwindSafe(|| f(self)));
        if result.is_err() {
            self.log("internal error in seloste (reported on stderr); the server goes on");
        }
        result.ok()
    }

    /// `exit`, or the end of the input: 0 after `shutdown`, 1 without (as the protocol says).
    fn exit(&self) -> Flow {
        Flow::Exit(i32::from(self.phase != Phase::ShuttingDown))
    }

    fn log(&mut self, message: &str) {
        self.out.push(transport::notification(
            "window/logMessage",
            json!({"type": 1, "message": message}),
        ));
    }

    /// Handles one message.
    pub fn handle(&mut self, message: Message) -> Flow {
        match message {
            Message::Request { id, method, params } => {
                let reply = self.guarded(|s| s.request(&method, params));
                let reply = reply.unwrap_or_else(|| {
                    let message = format!("internal error in seloste while answering {method}");
                    Err((code::INTERNAL_ERROR, message))
                });
                self.out.push(match reply {
                    Ok(result) => transport::response(id, result),
                    Err((c, m)) => transport::error(id, c, &m),
                });
                Flow::Continue
            }
            Message::Notification { method, params } => {
                if method == "exit" {
                    return self.exit();
                }
                if self.phase == Phase::Running {
                    self.guarded(|s| s.notification(&method, params));
                }
                Flow::Continue
            }
            Message::Response { .. } => Flow::Continue,
        }
    }

    fn request(&mut self, method: &str, params: Value) -> Result<Value, (i64, String)> {
        match (self.phase, method) {
            (Phase::Uninitialized, "initialize") => self.initialize(params),
            (Phase::Uninitialized, _) => Err((
                code::SERVER_NOT_INITIALIZED,
                "the server is not initialized: send `initialize` first".into(),
            )),
            (_, "initialize") => Err((code::INVALID_REQUEST, "already initialized".into())),
            (_, "shutdown") => {
                self.phase = Phase::ShuttingDown;
                Ok(Value::Null)
            }
            (Phase::ShuttingDown, _) => {
                Err((code::INVALID_REQUEST, "the server is shutting down".into()))
            }
            (_, "textDocument/hover") => self.hover(parse(params)?),
            (_, "textDocument/completion") => self.completion(parse(params)?),
            (_, "textDocument/codeAction") => self.code_action(parse(params)?),
            _ => Err((code::METHOD_NOT_FOUND, format!("unknown method `{method}`"))),
        }
    }

    fn initialize(&mut self, params: Value) -> Result<Value, (i64, String)> {
        let params: InitializeParams = parse(params)?;
        if let Some(o) = params.initialization_options {
            match serde_json::from_value::<Options>(o) {
                Ok(o) => {
                    if let Some(ms) = o.debounce_ms {
                        self.debounce = Duration::from_millis(ms.min(10_000));
                    }
                    self.workspace = Workspace::new(o);
                }
                Err(e) => self.out.push(transport::notification(
                    "window/showMessage",
                    json!({"type": 2, "message": format!("initializationOptions ignored: {e}")}),
                )),
            }
        }
        let offered = params
            .capabilities
            .general
            .as_ref()
            .and_then(|g| g.position_encodings.as_ref());
        if offered.is_some_and(|o| o.contains(&PositionEncodingKind::UTF8)) {
            self.encoding = Encoding::Utf8;
        }
        self.watch = params
            .capabilities
            .workspace
            .as_ref()
            .and_then(|w| w.did_change_watched_files)
            .and_then(|d| d.dynamic_registration)
            .unwrap_or(false);
        self.phase = Phase::Running;
        let encoding = match self.encoding {
            Encoding::Utf8 => "utf-8",
            Encoding::Utf16 => "utf-16",
        };
        Ok(json!({
            "capabilities": {
                "positionEncoding": encoding,
                "textDocumentSync": {"openClose": true, "change": 2, "save": {"includeText": false}},
                "hoverProvider": true,
                "completionProvider": {"triggerCharacters": [":", " ", "[", ",", "-", "/"]},
                "codeActionProvider": {"codeActionKinds": ["quickfix", actions::FIX_ALL]},
            },
            "serverInfo": {"name": "seloste", "version": env!("CARGO_PKG_VERSION")},
        }))
    }

    fn notification(&mut self, method: &str, params: Value) {
        match method {
            "initialized" if self.watch => {
                // Configs and custom rules are reloaded when they change on disk.
                self.out.push(transport::request(
                    json!("seloste-watch"),
                    "client/registerCapability",
                    json!({"registrations": [{
                        "id": "seloste-watch",
                        "method": "workspace/didChangeWatchedFiles",
                        "registerOptions": {"watchers": [
                            {"globPattern": "**/.seloste.yaml"},
                            {"globPattern": "**/*.yaml"},
                            {"globPattern": "**/*.yml"},
                        ]},
                    }]}),
                ));
            }
            "textDocument/didOpen" => {
                let Ok(p) = serde_json::from_value::<DidOpenTextDocumentParams>(params) else {
                    return self.log("textDocument/didOpen: malformed parameters, ignored");
                };
                let uri = p.text_document.uri.as_str().to_owned();
                self.docs
                    .open(&uri, p.text_document.text, p.text_document.version);
                self.check_config(&uri);
                self.lint(&uri);
            }
            "textDocument/didChange" => {
                let Ok(p) = serde_json::from_value::<DidChangeTextDocumentParams>(params) else {
                    return self.log("textDocument/didChange: malformed parameters, ignored");
                };
                let uri = p.text_document.uri.as_str();
                let (version, changes) = (p.text_document.version, p.content_changes);
                if let Some(doc) = self.docs.change(uri, version, changes, self.encoding) {
                    if self.debounce.is_zero() {
                        self.lint(uri);
                    } else {
                        doc.due = Some(Instant::now() + self.debounce);
                    }
                }
            }
            "textDocument/didClose" => {
                if let Ok(p) = serde_json::from_value::<DidCloseTextDocumentParams>(params)
                    && self.docs.close(p.text_document.uri.as_str()).is_some()
                    && !self.setup_uris.contains(p.text_document.uri.as_str())
                {
                    self.publish(p.text_document.uri.as_str(), None, Vec::new());
                }
            }
            "textDocument/didSave" => {
                if let Ok(p) = serde_json::from_value::<DidSaveTextDocumentParams>(params)
                    && let Some(path) = documents::file_path(p.text_document.uri.as_str())
                {
                    self.changed_on_disk(&[path]);
                }
            }
            "workspace/didChangeWatchedFiles" => {
                if let Ok(p) = serde_json::from_value::<DidChangeWatchedFilesParams>(params) {
                    let paths: Vec<PathBuf> = p
                        .changes
                        .iter()
                        .filter_map(|c| documents::file_path(c.uri.as_str()))
                        .collect();
                    self.changed_on_disk(&paths);
                }
            }
            _ => {}
        }
    }

    /// When `uri` is a config file: prepared now, so its problems show even before a register it
    /// governs is opened.
    fn check_config(&mut self, uri: &str) {
        if let Some(path) = documents::file_path(uri)
            && path
                .file_name()
                .is_some_and(|n| n == crate::config::FILE_NAME)
            && let Some(dir) = path.parent()
        {
            let probe = dir.join("seloste-probe.yaml");
            let _ = self.workspace.for_file(Some(&probe));
            self.publish_setup();
        }
    }

    /// Files changed on disk: when a config or a custom rule is among them, every config is
    /// prepared anew and every open register linted again.
    fn changed_on_disk(&mut self, paths: &[PathBuf]) {
        if !paths.iter().any(|p| self.workspace.affects(p)) {
            return;
        }
        self.workspace.reload();
        let uris: Vec<String> = self.docs.open.keys().cloned().collect();
        for uri in &uris {
            self.check_config(uri);
        }
        for uri in uris {
            self.lint_one(&uri);
        }
        self.publish_setup();
    }

    /// Publishes the diagnostics of broken configs and rule files, and clears those fixed.
    fn publish_setup(&mut self) {
        self.setup_seen = self.workspace.generation;
        let mut now: std::collections::BTreeMap<String, Vec<Diagnostic>> = Default::default();
        for b in self.workspace.prepared().filter_map(|p| p.as_ref().err()) {
            for file in &b.files {
                let uri = documents::file_uri(Path::new(&file.file));
                let Ok(parsed) = uri.parse::<Uri>() else {
                    continue;
                };
                let diags = diagnostics::of_file(file, &parsed, None, self.encoding);
                let entry = now.entry(uri).or_default();
                for d in diags {
                    if !entry.contains(&d) {
                        entry.push(d);
                    }
                }
            }
        }
        let before = std::mem::replace(&mut self.setup_uris, now.keys().cloned().collect());
        // Fixed: cleared, or linted again when open.
        for uri in before.into_iter().filter(|u| !now.contains_key(u)) {
            if self.docs.open.contains_key(&uri) {
                self.lint_one(&uri);
            } else {
                self.publish(&uri, None, Vec::new());
            }
        }
        for (uri, diags) in now {
            let version = self.docs.get(&uri).map(|d| d.version);
            self.publish(&uri, version, diags);
        }
    }

    fn publish(&mut self, uri: &str, version: Option<i32>, diagnostics: Vec<Diagnostic>) {
        let mut params = json!({"uri": uri, "diagnostics": diagnostics});
        if let Some(v) = version {
            params["version"] = json!(v);
        }
        self.out.push(transport::notification(
            "textDocument/publishDiagnostics",
            params,
        ));
    }

    /// Lints an open document now and publishes its diagnostics.
    fn lint_one(&mut self, uri: &str) {
        let Some(doc) = self.docs.open.get_mut(uri) else {
            return;
        };
        let version = doc.version;
        let had = doc.findings.take().is_some() || doc.linted.is_none();
        doc.due = None;
        doc.linted = Some(version);
        if !lint::has_marker(doc.text.as_bytes()) {
            if had && !self.setup_uris.contains(uri) {
                self.publish(uri, Some(version), Vec::new());
            }
            return;
        }
        let checker = self.workspace.for_file(doc.path.as_deref());
        let parsed_uri = uri.parse::<Uri>().ok();
        let diags = match checker {
            Err(broken) => {
                let config = broken
                    .config
                    .as_deref()
                    .map_or_else(|| "the custom rules".to_owned(), lint::display_path);
                vec![Diagnostic {
                    range: Range::default(),
                    severity: Some(DiagnosticSeverity::ERROR),
                    code: Some(NumberOrString::String("seloste/config".into())),
                    source: Some(diagnostics::SOURCE.into()),
                    message: format!(
                        "not checked: {config} has problems (see its diagnostics); `seloste lint` stops on them too"
                    ),
                    ..Default::default()
                }]
            }
            Ok(checker) => {
                let path = doc.path.as_deref();
                let selected = path.is_none_or(|p| checker.prepared.opts.config.selects(p));
                let name =
                    path.map_or_else(|| uri.to_owned(), |p| p.to_string_lossy().into_owned());
                let (rules, opts) = (&checker.prepared.rules, &checker.prepared.opts);
                doc.findings = match parsed_uri {
                    Some(_) if selected => {
                        lint::lint_text(&name, None, doc.text.as_bytes(), rules, opts).findings()
                    }
                    _ => None,
                };
                match (&doc.findings, &parsed_uri) {
                    (Some(file), Some(u)) => {
                        diagnostics::of_file(file, u, Some(&checker.catalog), self.encoding)
                    }
                    _ => Vec::new(),
                }
            }
        };
        self.publish(uri, Some(version), diags);
    }

    /// Lints an open document and publishes the diagnostics of configs prepared meanwhile.
    fn lint(&mut self, uri: &str) {
        self.lint_one(uri);
        if self.workspace.generation != self.setup_seen {
            self.publish_setup();
        }
    }

    /// The open document at `uri`: a request about another is an error.
    fn doc(&self, uri: &Uri) -> Result<&documents::Document, (i64, String)> {
        let uri = uri.as_str();
        let not_open = || (code::INVALID_PARAMS, format!("{uri} is not open"));
        self.docs.get(uri).ok_or_else(not_open)
    }

    /// The document, linted if a change is waiting for its debounce.
    fn fresh(&mut self, uri: &Uri) -> Result<(), (i64, String)> {
        let doc = self.doc(uri)?;
        if doc.due.is_some() || doc.linted != Some(doc.version) {
            self.lint(uri.as_str());
        }
        Ok(())
    }

    fn checker_of(&mut self, uri: &Uri) -> Option<Arc<Checker>> {
        let path = self.docs.get(uri.as_str())?.path.clone();
        self.workspace.for_file(path.as_deref()).ok()
    }

    fn hover(&mut self, p: HoverParams) -> Result<Value, (i64, String)> {
        let uri = p.text_document_position_params.text_document.uri;
        self.fresh(&uri)?;
        let checker = self.checker_of(&uri);
        let doc = self.doc(&uri)?;
        if !lint::has_marker(doc.text.as_bytes()) {
            return Ok(Value::Null);
        }
        let lines = Lines::new(&doc.text, self.encoding);
        let offset = lines.offset(p.text_document_position_params.position);
        let found = hover::hover(&doc.text, offset, doc.findings.as_ref(), checker.as_deref());
        Ok(found.map_or(Value::Null, |(markdown, span)| {
            to_value(&Hover {
                contents: HoverContents::Markup(MarkupContent {
                    kind: MarkupKind::Markdown,
                    value: markdown,
                }),
                range: Some(lines.range(span)),
            })
        }))
    }

    fn completion(&mut self, p: CompletionParams) -> Result<Value, (i64, String)> {
        let uri = p.text_document_position.text_document.uri;
        let checker = self.checker_of(&uri);
        let doc = self.doc(&uri)?;
        if !lint::has_marker(doc.text.as_bytes()) {
            return Ok(Value::Null);
        }
        let lines = Lines::new(&doc.text, self.encoding);
        let offset = lines.offset(p.text_document_position.position);
        let (mut items, start) = completion::complete(&doc.text, offset, checker.as_deref());
        let range = Range::new(lines.position(start), lines.position(offset));
        for item in &mut items {
            let text = item
                .insert_text
                .take()
                .unwrap_or_else(|| item.label.clone());
            item.text_edit = Some(CompletionTextEdit::Edit(TextEdit::new(range, text)));
        }
        Ok(to_value(&CompletionResponse::List(CompletionList {
            is_incomplete: false,
            items,
        })))
    }

    fn code_action(&mut self, p: CodeActionParams) -> Result<Value, (i64, String)> {
        self.fresh(&p.text_document.uri)?;
        let doc = self.doc(&p.text_document.uri)?;
        let Some(file) = &doc.findings else {
            return Ok(json!([]));
        };
        let lines = Lines::new(&doc.text, self.encoding);
        let found = actions::actions(
            &p.text_document.uri,
            file,
            &lines,
            p.range,
            &p.context.diagnostics,
            p.context.only.as_deref(),
        );
        Ok(to_value(&found))
    }
}

fn parse<T: serde::de::DeserializeOwned>(params: Value) -> Result<T, (i64, String)> {
    serde_json::from_value(params)
        .map_err(|e| (code::INVALID_PARAMS, format!("invalid params: {e}")))
}

fn to_value(v: &impl serde::Serialize) -> Value {
    serde_json::to_value(v).unwrap_or(Value::Null)
}

/// Serves the protocol on `input` and `output` until `exit` or the end of the input; the exit
/// code of the process.
pub fn run(mut input: Box<dyn BufRead + Send>, output: &mut dyn Write) -> i32 {
    let (tx, rx) = std::sync::mpsc::sync_channel::<Incoming>(64);
    // Reading on a thread of its own: the loop waits for a message or a debounce, whichever
    // comes first.
    std::thread::spawn(move || {
        loop {
            let next = transport::read(&mut input).unwrap_or(Incoming::Eof);
            let end = matches!(next, Incoming::Eof);
            if tx.send(next).is_err() || end {
                return;
            }
        }
    });
    let mut server = Server::new();
    loop {
        let next = match server.due() {
            Some(due) => match rx.recv_timeout(due.saturating_duration_since(Instant::now())) {
                Ok(m) => Some(m),
                Err(RecvTimeoutError::Timeout) => None,
                Err(RecvTimeoutError::Disconnected) => Some(Incoming::Eof),
            },
            None => Some(rx.recv().unwrap_or(Incoming::Eof)),
        };
        let flow = match next {
            None => {
                server.lint_due(Instant::now());
                Flow::Continue
            }
            Some(Incoming::Message(m)) => server.handle(m),
            Some(Incoming::Malformed(e)) => {
                server.malformed(e);
                Flow::Continue
            }
            Some(Incoming::Eof) => server.exit(),
        };
        for m in server.take_output() {
            if transport::write(output, &m).is_err() {
                return 1;
            }
        }
        if let Flow::Exit(code) = flow {
            return code;
        }
    }
}
