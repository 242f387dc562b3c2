//! A small LSP client for end-to-end tests: starts the real `flowql` binary, speaks JSON-RPC
//! over its stdin/stdout with Content-Length framing, and keeps every message it receives so a
//! test can assert that nothing it did not expect was sent.

use std::collections::VecDeque;
use std::io::{BufRead, BufReader, Write};
use std::process::{Child, ChildStdin, Command, ExitStatus, Stdio};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde_json::{json, Value};

pub const TIMEOUT: Duration = Duration::from_secs(20);

pub struct LspClient {
    child: Child,
    stdin: Option<ChildStdin>,
    incoming: Receiver<Value>,
    /// Messages received but not yet consumed by the test.
    unread: VecDeque<Value>,
    next_id: i64,
    pub stderr: Arc<Mutex<String>>,
}

fn read_message(reader: &mut impl BufRead) -> Option<Value> {
    let mut length = None;
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).ok()? == 0 {
            return None;
        }
        let line = line.trim_end();
        if line.is_empty() {
            break;
        }
        if let Some(value) = line.strip_prefix("Content-Length: ") {
            length = value.parse::<usize>().ok();
        }
    }
    let mut body = vec![0; length?];
    reader.read_exact(&mut body).ok()?;
    Some(serde_json::from_slice(&body).expect("server sent invalid JSON"))
}

impl LspClient {
    /// Starts `flowql` with the given arguments and extra environment.
    pub fn start(args: &[&str], env: &[(&str, &str)]) -> LspClient {
        let mut command = Command::new(env!("CARGO_BIN_EXE_flowql"));
        command
            .args(args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .env("FLOWQL_LOG", "info");
        for (k, v) in env {
            command.env(k, v);
        }
        let mut child = command.spawn().expect("flowql starts");
        let stdout = child.stdout.take().unwrap();
        let (tx, incoming) = mpsc::channel();
        std::thread::spawn(move || {
            let mut reader = BufReader::new(stdout);
            while let Some(message) = read_message(&mut reader) {
                if tx.send(message).is_err() {
                    break;
                }
            }
        });
        let stderr = Arc::new(Mutex::new(String::new()));
        let sink = stderr.clone();
        let err = child.stderr.take().unwrap();
        std::thread::spawn(move || {
            for line in BufReader::new(err).lines().map_while(Result::ok) {
                let mut log = sink.lock().unwrap();
                log.push_str(&line);
                log.push('\n');
            }
        });
        LspClient {
            stdin: child.stdin.take(),
            child,
            incoming,
            unread: VecDeque::new(),
            next_id: 1,
            stderr,
        }
    }

    pub fn send(&mut self, message: &Value) {
        let body = serde_json::to_string(message).unwrap();
        let stdin = self.stdin.as_mut().expect("stdin open");
        write!(stdin, "Content-Length: {}\r\n\r\n{}", body.len(), body).unwrap();
        stdin.flush().unwrap();
    }

    pub fn notify(&mut self, method: &str, params: Value) {
        self.send(&json!({"jsonrpc": "2.0", "method": method, "params": params}));
    }

    /// Sends a request and waits for its response (the whole message, `result` or `error`).
    pub fn request(&mut self, method: &str, params: Value) -> Value {
        let id = self.next_id;
        self.next_id += 1;
        self.send(&json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params}));
        self.take(|m| m.get("id") == Some(&json!(id)) && m.get("method").is_none())
            .unwrap_or_else(|| panic!("no response to {method}"))
    }

    /// The code actions offered for one diagnostic of `uri` (the `result` of the response).
    pub fn code_actions(&mut self, uri: &str, diagnostic: &Value) -> Value {
        self.request(
            "textDocument/codeAction",
            json!({"textDocument": {"uri": uri}, "range": diagnostic["range"],
                   "context": {"diagnostics": [diagnostic]}}),
        )["result"]
            .clone()
    }

    /// Waits for the first message that matches, leaving the others unread.
    pub fn take(&mut self, wanted: impl Fn(&Value) -> bool) -> Option<Value> {
        self.take_within(TIMEOUT, wanted)
    }

    /// [`take`](Self::take) with a deadline of its own (to assert that something does not come).
    pub fn take_within(
        &mut self,
        limit: Duration,
        wanted: impl Fn(&Value) -> bool,
    ) -> Option<Value> {
        if let Some(i) = self.unread.iter().position(&wanted) {
            return self.unread.remove(i);
        }
        let deadline = Instant::now() + limit;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.incoming.recv_timeout(left) {
                Ok(message) => {
                    // A request from the server (progress tokens, registrations): answer it
                    // as an editor would, and keep it for the test to see.
                    if message.get("id").is_some() && message.get("method").is_some() {
                        self.send(&json!({"jsonrpc": "2.0", "id": message["id"], "result": null}));
                    }
                    if wanted(&message) {
                        return Some(message);
                    }
                    self.unread.push_back(message);
                }
                Err(RecvTimeoutError::Timeout | RecvTimeoutError::Disconnected) => return None,
            }
        }
    }

    /// The diagnostics published for `uri` at `version`; earlier versions' publications for it
    /// are consumed on the way.
    pub fn diagnostics(&mut self, uri: &str, version: i64) -> Vec<Value> {
        let message = self
            .take(|m| {
                m["method"] == "textDocument/publishDiagnostics"
                    && m["params"]["uri"] == uri
                    && m["params"]["version"] == version
            })
            .unwrap_or_else(|| {
                panic!(
                    "no diagnostics for {uri} v{version}; unread: {:#?}",
                    self.unread
                )
            });
        self.unread.retain(|m| {
            !(m["method"] == "textDocument/publishDiagnostics"
                && m["params"]["uri"] == uri
                && m["params"]["version"].as_i64().is_some_and(|v| v < version))
        });
        message["params"]["diagnostics"].as_array().unwrap().clone()
    }

    /// Messages received and not consumed, except log messages.
    pub fn unread_except_logs(&self) -> Vec<&Value> {
        self.unread
            .iter()
            .filter(|m| m["method"] != "window/logMessage")
            .collect()
    }

    pub fn initialize(&mut self, encodings: &[&str]) -> Value {
        self.initialize_with(
            json!({"general": {"positionEncodings": encodings}}),
            json!(null),
        )
    }

    /// `initialize` with these client capabilities and initialization options.
    pub fn initialize_with(&mut self, capabilities: Value, options: Value) -> Value {
        let response = self.request(
            "initialize",
            json!({
                "processId": null,
                "rootUri": null,
                "capabilities": capabilities,
                "initializationOptions": options,
            }),
        );
        self.notify("initialized", json!({}));
        response
    }

    /// Every unread message with this method, removed from the unread ones.
    pub fn drain(&mut self, method: &str) -> Vec<Value> {
        // Pick up whatever has arrived by now.
        while let Ok(message) = self.incoming.try_recv() {
            if message.get("id").is_some() && message.get("method").is_some() {
                self.send(&json!({"jsonrpc": "2.0", "id": message["id"], "result": null}));
            }
            self.unread.push_back(message);
        }
        let (taken, kept): (Vec<Value>, Vec<Value>) =
            self.unread.drain(..).partition(|m| m["method"] == method);
        self.unread = kept.into();
        taken
    }

    /// The server's process id (to read its memory from /proc).
    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    pub fn close_stdin(&mut self) {
        self.stdin.take();
    }

    /// Ends the session as an editor does (`shutdown`, then `exit`) and checks the exit code 0
    /// the specification asks for.
    pub fn finish(mut self) {
        self.request("shutdown", json!(null));
        self.notify("exit", json!(null));
        assert_eq!(self.wait().code(), Some(0));
    }

    /// Waits for the process to end, killing it after the timeout.
    pub fn wait(mut self) -> ExitStatus {
        let deadline = Instant::now() + TIMEOUT;
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                return status;
            }
            if Instant::now() > deadline {
                let _ = self.child.kill();
                panic!("flowql did not exit");
            }
            std::thread::sleep(Duration::from_millis(10));
        }
    }
}
