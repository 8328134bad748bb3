//! JSON-RPC 2.0 over the Language Server Protocol's base protocol: `Content-Length` framed
//! messages on a byte stream. Ours rather than `lsp-server`'s, whose reader ends the connection on
//! the first message it cannot parse: here a malformed message gets the protocol's error response
//! (`-32700` parse error, `-32600` invalid request) and the server reads on.

use std::io::{self, BufRead, Read, Write};

use serde_json::{Value, json};

/// JSON-RPC error codes (and the LSP's own).
pub mod code {
    pub const PARSE_ERROR: i64 = -32700;
    pub const INVALID_REQUEST: i64 = -32600;
    pub const METHOD_NOT_FOUND: i64 = -32601;
    pub const INVALID_PARAMS: i64 = -32602;
    pub const INTERNAL_ERROR: i64 = -32603;
    pub const SERVER_NOT_INITIALIZED: i64 = -32002;
}

/// The largest message read: a document is sent whole in `didOpen`, and registers are far smaller
/// (the linter's own limit on a file is 16 MiB); a bigger one is read past and refused.
pub const MAX_MESSAGE: usize = 64 << 20;

/// One message from the client.
#[derive(Debug, Clone, PartialEq)]
pub enum Message {
    Request {
        id: Value,
        method: String,
        params: Value,
    },
    Notification {
        method: String,
        params: Value,
    },
    /// The answer to a request of ours (we send none that need one, but a client may answer).
    Response {
        id: Value,
    },
}

/// What reading the stream gave.
#[derive(Debug)]
pub enum Incoming {
    Message(Message),
    /// A message that is not JSON-RPC: the error response to send (its id is `null` unless the
    /// message had a readable one).
    Malformed(Value),
    /// The stream ended.
    Eof,
}

/// Reads the next message. I/O errors of the stream itself end the connection; everything the
/// client can get wrong in a message is [`Incoming::Malformed`].
pub fn read(input: &mut dyn BufRead) -> io::Result<Incoming> {
    let malformed = |problem: &str| {
        let response = error(Value::Null, code::PARSE_ERROR, problem);
        Ok(Incoming::Malformed(response))
    };
    let mut length: Option<Result<usize, String>> = None;
    let mut header_problem = None;
    let mut line = Vec::new();
    let mut any_header = false;
    loop {
        line.clear();
        // A header line is short: a stream of bytes without a line break is not a header.
        let n = Read::take(&mut *input, 8 << 10).read_until(b'\n', &mut line)?;
        if n == 0 {
            if any_header {
                return malformed("the stream ended inside a message header");
            }
            return Ok(Incoming::Eof);
        }
        any_header = true;
        let text = String::from_utf8_lossy(&line);
        let text = text.trim_end_matches(['\r', '\n']);
        if text.is_empty() {
            break;
        }
        match text.split_once(':') {
            Some((name, value)) if name.trim().eq_ignore_ascii_case("content-length") => {
                length = Some(
                    value
                        .trim()
                        .parse::<usize>()
                        .map_err(|_| format!("Content-Length `{}` is not a number", value.trim())),
                );
            }
            Some(_) => {}
            None => header_problem = Some(format!("malformed header line `{text}`")),
        }
    }
    let length = match (length, header_problem) {
        (_, Some(p)) | (Some(Err(p)), _) => return malformed(&p),
        (None, None) => return malformed("a message without a Content-Length header"),
        (Some(Ok(n)), None) => n,
    };
    if length > MAX_MESSAGE {
        io::copy(&mut Read::take(&mut *input, length as u64), &mut io::sink())?;
        return malformed(&format!(
            "a message of {length} bytes, over the limit of {MAX_MESSAGE}"
        ));
    }
    let mut body = vec![0; length];
    input.read_exact(&mut body)?;
    Ok(parse(&body))
}

/// A message body → a message, or the error response it deserves.
pub fn parse(body: &[u8]) -> Incoming {
    let value: Value = match serde_json::from_slice(body) {
        Ok(v) => v,
        Err(e) => {
            return Incoming::Malformed(error(
                Value::Null,
                code::PARSE_ERROR,
                &format!("not JSON: {e}"),
            ));
        }
    };
    let Value::Object(mut object) = value else {
        return Incoming::Malformed(error(
            Value::Null,
            code::INVALID_REQUEST,
            "a message is a JSON object (batches are not part of the protocol)",
        ));
    };
    let id = object.remove("id");
    let id_ok = |id: &Value| matches!(id, Value::Number(_) | Value::String(_));
    let method = object.remove("method");
    let params = object.remove("params").unwrap_or(Value::Null);
    match (id, method) {
        (Some(id), Some(Value::String(method))) if id_ok(&id) => {
            Incoming::Message(Message::Request { id, method, params })
        }
        (None, Some(Value::String(method))) => {
            Incoming::Message(Message::Notification { method, params })
        }
        (Some(id), None) if object.contains_key("result") || object.contains_key("error") => {
            Incoming::Message(Message::Response { id })
        }
        (id, _) => Incoming::Malformed(error(
            id.filter(id_ok).unwrap_or(Value::Null),
            code::INVALID_REQUEST,
            "not a JSON-RPC request, notification or response",
        )),
    }
}

/// An error response.
pub fn error(id: Value, code: i64, message: &str) -> Value {
    json!({"jsonrpc": "2.0", "id": id, "error": {"code": code, "message": message}})
}

/// A result response.
pub fn response(id: Value, result: Value) -> Value {
    json!({"jsonrpc": "2.0", "id": id, "result": result})
}

/// A notification from the server.
pub fn notification(method: &str, params: Value) -> Value {
    json!({"jsonrpc": "2.0", "method": method, "params": params})
}

/// A request from the server (`client/registerCapability`).
pub fn request(id: Value, method: &str, params: Value) -> Value {
    json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params})
}

/// Writes one message with its header.
pub fn write(out: &mut dyn Write, message: &Value) -> io::Result<()> {
    let body = serde_json::to_string(message).map_err(io::Error::other)?;
    write!(out, "Content-Length: {}\r\n\r\n", body.len())?;
    out.write_all(body.as_bytes())?;
    out.flush()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read_all(bytes: &[u8]) -> Vec<Incoming> {
        let mut input = io::BufReader::new(bytes);
        let mut out = Vec::new();
        loop {
            match read(&mut input).expect("reads") {
                Incoming::Eof => return out,
                other => out.push(other),
            }
        }
    }

    fn framed(body: &str) -> String {
        format!("Content-Length: {}\r\n\r\n{body}", body.len())
    }

    #[test]
    fn messages_and_malformed_ones_are_read_in_turn() {
        let stream = [
            framed(r#"{"jsonrpc":"2.0","id":1,"method":"initialize","params":{}}"#),
            framed("{not json"),
            framed(r#"[1, 2]"#),
            framed(r#"{"jsonrpc":"2.0","id":{"x":1},"method":"m"}"#),
            "Content-Length: many\r\n\r\n".to_owned(),
            "X-Nothing\r\n\r\n".to_owned(),
            framed(r#"{"jsonrpc":"2.0","method":"initialized","params":{}}"#),
        ]
        .concat();
        let got = read_all(stream.as_bytes());
        assert_eq!(got.len(), 7, "{got:?}");
        assert!(
            matches!(&got[0], Incoming::Message(Message::Request { method, .. }) if method == "initialize")
        );
        let codes: Vec<i64> = got[1..6]
            .iter()
            .map(|m| match m {
                Incoming::Malformed(e) => e["error"]["code"].as_i64().expect("code"),
                other => panic!("{other:?}"),
            })
            .collect();
        assert_eq!(
            codes,
            [
                code::PARSE_ERROR,
                code::INVALID_REQUEST,
                code::INVALID_REQUEST,
                code::PARSE_ERROR,
                code::PARSE_ERROR
            ]
        );
        assert!(
            matches!(&got[6], Incoming::Message(Message::Notification { method, .. }) if method == "initialized")
        );
    }

    #[test]
    fn invalid_utf8_and_lone_surrogates_are_parse_errors() {
        let mut body = br#"{"jsonrpc":"2.0","method":"x","params":{"t":""#.to_vec();
        body.extend_from_slice(&[0xff, 0xfe]);
        body.extend_from_slice(br#""}}"#);
        assert!(matches!(parse(&body), Incoming::Malformed(_)));
        let surrogate = br#"{"jsonrpc":"2.0","method":"x","params":{"t":"\ud800"}}"#;
        assert!(matches!(parse(surrogate), Incoming::Malformed(_)));
    }
}
