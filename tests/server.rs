//! `seloste server`: the real binary spoken to over its stdin and stdout with JSON-RPC, as an
//! editor does. Every wait is bounded (a message that does not come fails the test after
//! `WAIT`); nothing sleeps to make an assertion true.

mod common;

use std::io::{BufRead, BufReader, Read, Write};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{Receiver, RecvTimeoutError, channel};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

/// The longest wait for one message (a debug build on a busy machine).
const WAIT: Duration = Duration::from_secs(20);

struct Client {
    child: Child,
    stdin: Option<ChildStdin>,
    rx: Receiver<Value>,
    /// Messages read while waiting for another one.
    seen: Vec<Value>,
    next: i64,
}

impl Client {
    fn start(options: Value) -> Client {
        Client::start_with(options, json!({}))
    }

    fn start_with(options: Value, capabilities: Value) -> Client {
        let mut c = Client::spawn(".");
        let init = c.request(
            "initialize",
            json!({"processId": null, "rootUri": null, "capabilities": capabilities,
                   "initializationOptions": options}),
        );
        assert!(
            init["result"]["capabilities"]["hoverProvider"] == json!(true),
            "{init}"
        );
        c.notify("initialized", json!({}));
        c
    }

    fn spawn(dir: &str) -> Client {
        let mut child = Command::new(assert_cmd::cargo::cargo_bin("seloste"))
            .arg("server")
            .current_dir(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(dir))
            .env("SELOSTE_TODAY", common::TODAY)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("starts");
        let stdout = child.stdout.take().expect("stdout");
        let (tx, rx) = channel();
        std::thread::spawn(move || {
            let mut r = BufReader::new(stdout);
            loop {
                let mut length = None;
                loop {
                    let mut line = String::new();
                    if r.read_line(&mut line).unwrap_or(0) == 0 {
                        return;
                    }
                    let line = line.trim_end();
                    if line.is_empty() {
                        break;
                    }
                    if let Some(n) = line.strip_prefix("Content-Length: ") {
                        length = n.parse::<usize>().ok();
                    }
                }
                let mut body = vec![0; length.expect("Content-Length")];
                if r.read_exact(&mut body).is_err() {
                    return;
                }
                let v: Value = serde_json::from_slice(&body).expect("the server writes JSON");
                if tx.send(v).is_err() {
                    return;
                }
            }
        });
        let stdin = child.stdin.take();
        Client {
            child,
            stdin,
            rx,
            seen: Vec::new(),
            next: 1,
        }
    }

    fn raw(&mut self, bytes: &[u8]) {
        let stdin = self.stdin.as_mut().expect("stdin open");
        stdin.write_all(bytes).expect("writes");
        stdin.flush().expect("flushes");
    }

    fn send(&mut self, v: &Value) {
        let body = serde_json::to_vec(v).expect("json");
        self.raw(format!("Content-Length: {}\r\n\r\n", body.len()).as_bytes());
        self.raw(&body);
    }

    fn notify(&mut self, method: &str, params: Value) {
        self.send(&json!({"jsonrpc": "2.0", "method": method, "params": params}));
    }

    fn request(&mut self, method: &str, params: Value) -> Value {
        let id = self.next;
        self.next += 1;
        self.send(&json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params}));
        self.wait_for(&format!("the response to {method}"), |m| {
            m["id"] == json!(id) && m.get("method").is_none()
        })
    }

    /// The first message (already read or still to come) that `pred` accepts.
    fn wait_for(&mut self, what: &str, pred: impl Fn(&Value) -> bool) -> Value {
        if let Some(i) = self.seen.iter().position(&pred) {
            return self.seen.remove(i);
        }
        let deadline = Instant::now() + WAIT;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.rx.recv_timeout(left) {
                Ok(m) if pred(&m) => return m,
                Ok(m) => self.seen.push(m),
                Err(RecvTimeoutError::Timeout) => {
                    panic!("no {what} within {WAIT:?}; seen: {:#?}", self.seen)
                }
                Err(RecvTimeoutError::Disconnected) => panic!(
                    "the server ended while waiting for {what}; seen: {:#?}",
                    self.seen
                ),
            }
        }
    }

    /// The diagnostics published for `uri` at `version`.
    fn diagnostics(&mut self, uri: &str, version: Option<i64>) -> Vec<Value> {
        let m = self.wait_for(&format!("diagnostics of {uri} v{version:?}"), |m| {
            m["method"] == "textDocument/publishDiagnostics"
                && m["params"]["uri"] == uri
                && version.is_none_or(|v| m["params"]["version"] == json!(v))
        });
        m["params"]["diagnostics"].as_array().expect("list").clone()
    }

    fn open(&mut self, uri: &str, text: &str) -> Vec<Value> {
        self.notify(
            "textDocument/didOpen",
            json!({"textDocument": {"uri": uri, "languageId": "yaml", "version": 1, "text": text}}),
        );
        self.diagnostics(uri, Some(1))
    }

    fn change(&mut self, uri: &str, version: i64, changes: Value) -> Vec<Value> {
        self.notify(
            "textDocument/didChange",
            json!({"textDocument": {"uri": uri, "version": version}, "contentChanges": changes}),
        );
        self.diagnostics(uri, Some(version))
    }

    /// `shutdown`, `exit`, and the exit code.
    fn stop(mut self) -> i32 {
        let r = self.request("shutdown", Value::Null);
        assert_eq!(r["result"], Value::Null, "{r}");
        self.notify("exit", Value::Null);
        self.exit_code()
    }

    fn exit_code(&mut self) -> i32 {
        drop(self.stdin.take());
        let deadline = Instant::now() + WAIT;
        loop {
            if let Some(status) = self.child.try_wait().expect("waits") {
                return status.code().unwrap_or(-1);
            }
            assert!(Instant::now() < deadline, "the server did not exit");
            std::thread::sleep(Duration::from_millis(10));
        }
    }
}

impl Drop for Client {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn seed_uri(name: &str) -> (String, String) {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures/seeds")
        .join(name);
    let text = std::fs::read_to_string(&path).expect("seed");
    (format!("file://{}", path.display()), text)
}

fn codes(diags: &[Value]) -> Vec<String> {
    diags
        .iter()
        .map(|d| d["code"].as_str().unwrap_or("").to_owned())
        .collect()
}

/// The range of the first occurrence of `needle` in `text` (UTF-16 columns).
fn range_of(text: &str, needle: &str) -> Value {
    range_after(text, "", needle)
}

/// The range of the first occurrence of `needle` after the first of `after`.
fn range_after(text: &str, after: &str, needle: &str) -> Value {
    let from = text.find(after).expect("context");
    let at = from + text[from..].find(needle).expect("needle");
    let pos = |offset: usize| {
        let line = text[..offset].matches('\n').count();
        let start = text[..offset].rfind('\n').map_or(0, |i| i + 1);
        json!({"line": line, "character": text[start..offset].encode_utf16().count()})
    };
    json!({"start": pos(at), "end": pos(at + needle.len())})
}

/// The text after a `WorkspaceEdit`'s edits of one document (applied from the end).
fn apply_edit(text: &str, uri: &str, edit: &Value) -> String {
    let lines: Vec<usize> = std::iter::once(0)
        .chain(text.match_indices('\n').map(|(i, _)| i + 1))
        .collect();
    let offset = |p: &Value| {
        let start = lines[p["line"].as_u64().expect("line") as usize];
        let col = p["character"].as_u64().expect("character") as usize;
        let mut units = 0;
        for (i, c) in text[start..].char_indices() {
            if units >= col || c == '\n' {
                return start + i;
            }
            units += c.len_utf16();
        }
        text.len()
    };
    let mut edits: Vec<(usize, usize, String)> = edit["changes"][uri]
        .as_array()
        .expect("edits of the document")
        .iter()
        .map(|e| {
            (
                offset(&e["range"]["start"]),
                offset(&e["range"]["end"]),
                e["newText"].as_str().expect("text").to_owned(),
            )
        })
        .collect();
    edits.sort_by_key(|e| std::cmp::Reverse(e.0));
    let mut out = text.to_owned();
    for (s, e, t) in edits {
        out.replace_range(s..e, &t);
    }
    out
}

#[test]
fn a_seed_is_diagnosed_and_an_edit_that_fixes_a_finding_updates_them() {
    let mut c = Client::start(json!({"debounceMs": 20}));
    let (uri, text) = seed_uri("001-kainuu-te-webropol.yaml");
    let diags = c.open(&uri, &text);
    assert!(
        codes(&diags).contains(&"fi/repealed-personal-data-act".to_owned()),
        "{diags:#?}"
    );
    let repealed = diags
        .iter()
        .find(|d| d["code"] == "fi/repealed-personal-data-act")
        .expect("finding");
    assert_eq!(repealed["source"], "seloste");
    assert_eq!(repealed["severity"], 1);
    assert_eq!(
        repealed["codeDescription"]["href"],
        "https://github.com/seloste/seloste/blob/main/docs/rules.md#fi-repealed-personal-data-act"
    );
    assert!(
        repealed["message"]
            .as_str()
            .expect("message")
            .contains("\nhelp: "),
        "{repealed}"
    );
    assert_eq!(
        repealed["range"],
        range_after(
            &text,
            "legal_references:",
            "\"henkilötietolaki (523/1999) 10 ja 24§\""
        )
    );
    // The citation replaced by an incremental edit: the finding goes, the others stay.
    let before = diags.len();
    let diags = c.change(
        &uri,
        2,
        json!([{"range": range_after(&text, "legal_references:", "\"henkilötietolaki (523/1999) 10 ja 24§\""), "text": "\"EU 2016/679\""}]),
    );
    assert!(
        !codes(&diags).contains(&"fi/repealed-personal-data-act".to_owned()),
        "{diags:#?}"
    );
    assert_eq!(diags.len(), before - 1, "{diags:#?}");
    assert_eq!(c.stop(), 0);
}

#[test]
fn changes_within_the_debounce_are_linted_once_at_the_last_version() {
    let mut c = Client::start(json!({"debounceMs": 300}));
    let (uri, text) = seed_uri("002-pirkanmaa-te-ohjaustaverkossa.yaml");
    c.open(&uri, &text);
    for v in 2..=6 {
        c.notify(
            "textDocument/didChange",
            json!({"textDocument": {"uri": uri, "version": v}, "contentChanges": [{"text": text}]}),
        );
    }
    c.diagnostics(&uri, Some(6));
    assert!(
        !c.seen
            .iter()
            .any(|m| m["method"] == "textDocument/publishDiagnostics"
                && m["params"]["version"]
                    .as_i64()
                    .is_some_and(|v| (2..6).contains(&v))),
        "{:#?}",
        c.seen
    );
    assert_eq!(c.stop(), 0);
}

#[test]
fn hovers_explain_rules_and_keys() {
    let mut c = Client::start(json!({}));
    let (uri, text) = seed_uri("001-kainuu-te-webropol.yaml");
    let text = text.replace(
        "legal_references: [",
        "# seloste: allow fi/repealed-personal-data-act -- quoted from the old notice\nlegal_references: [",
    );
    let diags = c.open(&uri, &text);
    assert!(!codes(&diags).contains(&"fi/repealed-personal-data-act".to_owned()));
    let hover = |c: &mut Client, needle: &str| {
        let r = range_of(&text, needle);
        c.request(
            "textDocument/hover",
            json!({"textDocument": {"uri": uri}, "position": r["start"]}),
        )
    };
    let on_id = hover(&mut c, "repealed-personal-data-act --");
    let md = on_id["result"]["contents"]["value"]
        .as_str()
        .expect("markdown");
    assert!(md.contains("### `fi/repealed-personal-data-act`"), "{md}");
    assert!(md.contains("Tietosuojalaki 1050/2018"), "{md}");
    assert!(
        md.contains("## What it checks") || md.contains("### What it checks"),
        "{md}"
    );
    // On a finding's range: its rule.
    let purpose = diags
        .iter()
        .find(|d| d["code"] == "gdpr/purpose-legal-basis")
        .expect("finding");
    let on_finding = c.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": uri}, "position": purpose["range"]["start"]}),
    );
    assert!(
        on_finding["result"]["contents"]["value"]
            .as_str()
            .expect("md")
            .contains("gdpr/purpose-legal-basis")
    );
    // On a key: the format's description of it.
    let on_key = hover(&mut c, "legal_references:");
    let md = on_key["result"]["contents"]["value"]
        .as_str()
        .expect("markdown");
    assert!(
        md.contains("**`legal_references`**") && md.contains("Laws the register refers to"),
        "{md}"
    );
    assert_eq!(c.stop(), 0);
}

#[test]
fn completion_of_enum_values_category_ids_and_rule_ids() {
    let mut c = Client::start(json!({}));
    let (uri, text) = seed_uri("002-pirkanmaa-te-ohjaustaverkossa.yaml");
    c.open(&uri, &text);
    let complete = |c: &mut Client, line: usize, character: usize| -> Vec<String> {
        let r = c.request(
            "textDocument/completion",
            json!({"textDocument": {"uri": uri}, "position": {"line": line, "character": character}}),
        );
        r["result"]["items"]
            .as_array()
            .expect("items")
            .iter()
            .map(|i| i["label"].as_str().expect("label").to_owned())
            .collect()
    };
    // A new line in the first purpose: `    legal_basis: ` → the six bases.
    let at = text.find("purposes:\n  - id:").expect("purposes");
    let line = text[..at].matches('\n').count() + 2;
    let (v, mut text2) = (2, text.clone());
    let insert_at =
        |t: &str, l: usize| -> usize { t.match_indices('\n').nth(l - 1).map_or(0, |(i, _)| i + 1) };
    let offset = insert_at(&text2, line);
    text2.insert_str(offset, "    legal_basis: \n");
    c.change(&uri, v, json!([{"text": text2}]));
    let items = complete(&mut c, line, "    legal_basis: ".len());
    assert!(
        items.contains(&"public_task".to_owned()) && items.len() == 6,
        "{items:?}"
    );
    // `categories: [` in the first purpose: the data categories' ids.
    let mut text3 = text.clone();
    text3.insert_str(offset, "    categories: [\n");
    c.change(&uri, 3, json!([{"text": text3}]));
    let ids = complete(&mut c, line, "    categories: [".len());
    let doc = seloste::document::load(text.as_bytes(), Default::default()).expect("yaml");
    let expected: Vec<String> = doc
        .root
        .get("data_categories")
        .and_then(|d| d.as_seq())
        .expect("categories")
        .iter()
        .filter_map(|c| c.get("id").and_then(|i| i.as_str()).map(str::to_owned))
        .collect();
    assert_eq!(ids, expected);
    // A suppression comment: rule ids.
    let mut text4 = text.clone();
    text4.insert_str(0, "# seloste: allow gdpr/purp\n");
    c.change(&uri, 4, json!([{"text": text4}]));
    let rules = complete(&mut c, 0, "# seloste: allow gdpr/purp".len());
    assert!(
        rules.contains(&"gdpr/purpose-legal-basis".to_owned()),
        "{rules:?}"
    );
    assert!(
        rules.iter().all(|r| r.starts_with("gdpr/purp")),
        "{rules:?}"
    );
    assert_eq!(c.stop(), 0);
}

#[test]
fn code_action_allow_inserts_a_suppression_that_takes_effect_with_a_reason() {
    let mut c = Client::start(json!({"debounceMs": 0}));
    let (uri, text) = seed_uri("001-kainuu-te-webropol.yaml");
    let diags = c.open(&uri, &text);
    let d = diags
        .iter()
        .find(|d| d["code"] == "fi/repealed-personal-data-act")
        .expect("finding")
        .clone();
    let r = c.request(
        "textDocument/codeAction",
        json!({"textDocument": {"uri": uri}, "range": d["range"], "context": {"diagnostics": [d]}}),
    );
    let actions = r["result"].as_array().expect("actions");
    let allow = actions
        .iter()
        .find(|a| {
            a["title"]
                .as_str()
                .is_some_and(|t| t.starts_with("Allow fi/repealed-personal-data-act"))
        })
        .expect("allow action");
    assert_eq!(allow["kind"], "quickfix");
    assert_eq!(
        allow["diagnostics"][0]["code"],
        "fi/repealed-personal-data-act"
    );
    let edited = apply_edit(&text, &uri, &allow["edit"]);
    assert!(
        edited.contains("# seloste: allow fi/repealed-personal-data-act -- \nlegal_references:"),
        "{edited}"
    );
    // Without a reason the comment silences nothing and says so; with one, the finding goes.
    let diags = c.change(&uri, 2, json!([{"text": edited}]));
    assert!(
        codes(&diags).contains(&"seloste/allow-reason".to_owned()),
        "{diags:#?}"
    );
    let reasoned = edited.replace("-- \n", "-- quoted from the decision\n");
    let diags = c.change(&uri, 3, json!([{"text": reasoned}]));
    let found = codes(&diags);
    assert!(
        !found.contains(&"fi/repealed-personal-data-act".to_owned())
            && !found.contains(&"seloste/allow-reason".to_owned()),
        "{found:?}"
    );
    assert_eq!(c.stop(), 0);
}

#[test]
fn a_placeholder_gets_a_diagnostic_and_no_allow_action() {
    let mut c = Client::start(json!({"debounceMs": 0}));
    let (uri, text) = seed_uri("001-kainuu-te-webropol.yaml");
    let text = text.replacen("\nid: ", "\nid: TODO\nx_old_id: ", 1);
    let diags = c.open(&uri, &text);
    let d = diags
        .iter()
        .find(|d| d["code"] == "seloste/placeholder")
        .unwrap_or_else(|| panic!("{diags:#?}"))
        .clone();
    let r = c.request(
        "textDocument/codeAction",
        json!({"textDocument": {"uri": uri}, "range": d["range"], "context": {"diagnostics": [d]}}),
    );
    let actions = r["result"].as_array().cloned().unwrap_or_default();
    assert!(
        !actions.iter().any(|a| a["title"]
            .as_str()
            .is_some_and(|t| t.starts_with("Allow seloste/placeholder"))),
        "{actions:#?}"
    );
    assert_eq!(c.stop(), 0);
}

#[test]
fn utf8_positions_when_the_client_offers_them_and_the_language_from_the_options() {
    let mut c = Client::spawn(".");
    let init = c.request(
        "initialize",
        json!({"capabilities": {"general": {"positionEncodings": ["utf-8", "utf-16"]}},
               "initializationOptions": {"lang": "fi"}}),
    );
    assert_eq!(init["result"]["capabilities"]["positionEncoding"], "utf-8");
    c.notify("initialized", json!({}));
    let (uri, text) = seed_uri("001-kainuu-te-webropol.yaml");
    let diags = c.open(&uri, &text);
    let d = diags
        .iter()
        .find(|d| d["code"] == "fi/repealed-personal-data-act")
        .expect("finding");
    assert!(
        d["message"]
            .as_str()
            .expect("message")
            .contains("henkilötietolaki"),
        "{d}"
    );
    assert!(
        d["message"].as_str().expect("message").contains("kumottu")
            || d["message"].as_str().expect("m").contains("kumo"),
        "{d}"
    );
    let at = text
        .find("legal_references: [\"henkilötietolaki (523")
        .expect("citation")
        + "legal_references: [".len();
    let line_start = text[..at].rfind('\n').map_or(0, |i| i + 1);
    let end = at + "\"henkilötietolaki (523/1999) 10 ja 24§\"".len();
    assert_eq!(d["range"]["start"]["character"], json!(at - line_start));
    assert_eq!(
        d["range"]["end"]["character"],
        json!(end - line_start),
        "bytes, not UTF-16 units"
    );
    assert_eq!(c.stop(), 0);
}

#[test]
fn bad_input_gets_errors_or_diagnostics_and_never_ends_the_server() {
    let mut c = Client::spawn(".");
    // Before `initialize`: the protocol's error.
    let early = c.request("textDocument/hover", json!({}));
    assert_eq!(early["error"]["code"], -32002);
    c.request(
        "initialize",
        json!({"capabilities": {}, "initializationOptions": {"debounceMs": 0}}),
    );
    c.notify("initialized", json!({}));
    // Malformed JSON-RPC: parse error and invalid request, with id null.
    c.raw(b"Content-Length: 9\r\n\r\n{\"id\": 1,");
    let e = c.wait_for("a parse error", |m| m["error"]["code"] == -32700);
    assert_eq!(e["id"], Value::Null);
    c.send(&json!([1, 2, 3]));
    c.wait_for("an invalid request error", |m| m["error"]["code"] == -32600);
    c.raw(b"Content-Length: nine\r\n\r\n");
    c.wait_for("a header error", |m| {
        m["error"]["code"] == -32700
            && m["error"]["message"]
                .as_str()
                .is_some_and(|s| s.contains("Content-Length"))
    });
    // Invalid UTF-8 in a body, and a lone surrogate escaped in the text of a document.
    c.raw(b"Content-Length: 4\r\n\r\n\"\xff\xfe\"");
    c.wait_for("a parse error for bytes that are not UTF-8", |m| {
        m["error"]["code"] == -32700
    });
    let surrogate = br#"{"jsonrpc":"2.0","method":"textDocument/didOpen","params":{"textDocument":{"uri":"file:///x.yaml","languageId":"yaml","version":1,"text":"seloste: 1\n\ud800"}}}"#;
    c.raw(format!("Content-Length: {}\r\n\r\n", surrogate.len()).as_bytes());
    c.raw(surrogate);
    c.wait_for("a parse error for a lone surrogate", |m| {
        m["error"]["code"] == -32700
    });
    // Unknown method; invalid params of a known one.
    let r = c.request("seloste/unknown", json!({}));
    assert_eq!(r["error"]["code"], -32601);
    let r = c.request("textDocument/hover", json!({"textDocument": 5}));
    assert_eq!(r["error"]["code"], -32602);
    let r = c.request("textDocument/hover", json!({"textDocument": {"uri": "file:///not-open.yaml"}, "position": {"line": 0, "character": 0}}));
    assert_eq!(r["error"]["code"], -32602);
    // Broken YAML, binary-looking text, an enormous document, a change outside the text.
    let broken = c.open(
        "file:///tmp/seloste-broken.yaml",
        "seloste: 1\nid: [unclosed\n  name: {\n",
    );
    assert_eq!(codes(&broken), ["seloste/yaml"]);
    let binary: String = (0..2000u32)
        .filter_map(|i| char::from_u32(i * 7 % 0x2FFF))
        .collect();
    c.open(
        "file:///tmp/seloste-binary.yaml",
        &format!("seloste: 1\n{binary}"),
    );
    let huge = format!("seloste: 1\nid: x\nname: {}\n", "a".repeat(40 << 20));
    let d = c.open("file:///tmp/seloste-huge.yaml", &huge);
    assert!(d.len() <= 1, "{d:#?}");
    c.change("file:///tmp/seloste-broken.yaml", 2, json!([{"range": {"start": {"line": 999, "character": 5}, "end": {"line": 1999, "character": 0}}, "text": "x"}]));
    // Hover, completion and actions on all of them still answer.
    for uri in [
        "file:///tmp/seloste-broken.yaml",
        "file:///tmp/seloste-binary.yaml",
        "file:///tmp/seloste-huge.yaml",
    ] {
        for method in ["textDocument/hover", "textDocument/completion"] {
            let r = c.request(
                method,
                json!({"textDocument": {"uri": uri}, "position": {"line": 1, "character": 3}}),
            );
            assert!(r.get("error").is_none(), "{method} {uri}: {r}");
        }
        let r = c.request("textDocument/codeAction", json!({"textDocument": {"uri": uri}, "range": {"start": {"line": 0, "character": 0}, "end": {"line": 9, "character": 0}}, "context": {"diagnostics": []}}));
        assert!(r.get("error").is_none(), "{r}");
    }
    assert_eq!(c.stop(), 0);
}

#[test]
fn exit_without_shutdown_is_exit_code_1_and_end_of_input_ends_the_server() {
    let mut c = Client::start(json!({}));
    c.notify("exit", Value::Null);
    assert_eq!(c.exit_code(), 1);
    let mut c = Client::start(json!({}));
    assert_eq!(c.exit_code(), 1, "stdin closed without shutdown");
}

#[test]
fn a_broken_config_is_a_diagnostic_on_it_and_a_fixed_one_is_reloaded() {
    let dir = tempfile::tempdir().expect("tempdir");
    let config = dir.path().join(".seloste.yaml");
    std::fs::write(&config, "rules:\n  gdpr/purpose-legal-basis: sometimes\n").expect("write");
    let (_, text) = seed_uri("001-kainuu-te-webropol.yaml");
    let register = dir.path().join("r.yaml");
    std::fs::write(&register, &text).expect("write");
    let mut c = Client::start(json!({"debounceMs": 0}));
    let reg_uri = format!("file://{}", register.display());
    let cfg_uri = format!("file://{}", config.display());
    let diags = c.open(&reg_uri, &text);
    assert_eq!(codes(&diags), ["seloste/config"], "{diags:#?}");
    let on_config = c.diagnostics(&cfg_uri, None);
    assert!(!on_config.is_empty(), "the config's own diagnostics");
    assert!(
        on_config.iter().any(|d| d["message"]
            .as_str()
            .is_some_and(|m| m.contains("sometimes"))),
        "{on_config:#?}"
    );
    // Fixed on disk: the watcher's notification reloads it; the rule is off now.
    std::fs::write(&config, "rules:\n  gdpr/purpose-legal-basis: off\n").expect("write");
    c.notify(
        "workspace/didChangeWatchedFiles",
        json!({"changes": [{"uri": cfg_uri, "type": 2}]}),
    );
    let cleared = c.diagnostics(&cfg_uri, None);
    assert!(cleared.is_empty(), "{cleared:#?}");
    let diags = c.diagnostics(&reg_uri, Some(1));
    let found = codes(&diags);
    assert!(
        !found.contains(&"seloste/config".to_owned()) && !found.is_empty(),
        "{found:?}"
    );
    assert!(
        !found.contains(&"gdpr/purpose-legal-basis".to_owned()),
        "{found:?}"
    );
    assert_eq!(c.stop(), 0);
}

#[test]
fn files_without_the_marker_get_no_diagnostics() {
    let mut c = Client::start(json!({}));
    let d = c.open(
        "file:///tmp/other.yaml",
        "name: not a register\nlist: [1, 2\n",
    );
    assert!(d.is_empty());
    assert_eq!(c.stop(), 0);
}

#[test]
fn a_safe_fix_from_a_code_action_and_fix_all() {
    let mut c = Client::start(json!({"debounceMs": 0}));
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixes/fixable.yaml");
    let text = std::fs::read_to_string(&path)
        .expect("fixture")
        .replace('\n', "\r\n");
    let uri = format!("file://{}", path.display());
    let diags = c.open(&uri, &text);
    let cited = diags
        .iter()
        .find(|d| d["code"] == "gdpr/regulation-cited")
        .expect("finding")
        .clone();
    assert_eq!(cited["data"]["fixes"], 1);
    let r = c.request(
        "textDocument/codeAction",
        json!({"textDocument": {"uri": uri}, "range": cited["range"], "context": {"diagnostics": [cited]}}),
    );
    let actions = r["result"].as_array().expect("actions");
    let fix = actions
        .iter()
        .find(|a| a["isPreferred"] == true)
        .expect("a preferred fix");
    assert_eq!(fix["title"], "Cite the GDPR as (EU) 2016/679");
    let fixed = apply_edit(&text, &uri, &fix["edit"]);
    assert!(fixed.contains("  - \"(EU) 2016/679\"  # the number as the old template had it\r\n"));
    let diags = c.change(&uri, 2, json!([{"text": fixed}]));
    assert!(!codes(&diags).contains(&"gdpr/regulation-cited".to_owned()));
    // An unsafe fix says so and is not preferred.
    let typo = diags
        .iter()
        .find(|d| d["code"] == "seloste/enum")
        .expect("enum")
        .clone();
    let r = c.request(
        "textDocument/codeAction",
        json!({"textDocument": {"uri": uri}, "range": typo["range"], "context": {"diagnostics": [typo]}}),
    );
    let unsafe_fix = &r["result"][0];
    assert_eq!(
        unsafe_fix["title"],
        "Replace with 'direct' (unsafe fix: check it)"
    );
    assert_eq!(unsafe_fix["isPreferred"], false);
    // Fix all: the three safe fixes left (the Ombudsman's data), the unsafe ones not.
    let r = c.request(
        "textDocument/codeAction",
        json!({"textDocument": {"uri": uri}, "range": {"start": {"line": 0, "character": 0}, "end": {"line": 0, "character": 0}},
               "context": {"diagnostics": [], "only": ["source.fixAll"]}}),
    );
    let all = &r["result"][0];
    assert_eq!(all["kind"], "source.fixAll.seloste");
    let fixed_all = apply_edit(&fixed, &uri, &all["edit"]);
    let diags = c.change(&uri, 3, json!([{"text": fixed_all}]));
    let left = codes(&diags);
    assert!(
        !left.contains(&"fi/ombudsman-contact-current".to_owned()),
        "{left:?}"
    );
    assert!(
        left.contains(&"seloste/enum".to_owned())
            && left.contains(&"fi/business-id-checksum".to_owned()),
        "{left:?}"
    );
    assert_eq!(c.stop(), 0);
}
