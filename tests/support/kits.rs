//! The example kit (examples/kits/debate-coach) as the LSP tests use it: a copy of their own to
//! change, a position in its text, its actions file open in a fresh server.

use std::path::{Path, PathBuf};

use serde_json::{json, Value};

use super::lsp_client::LspClient;
use super::tools::repository_root;

/// A copy of the example kit in a folder of its own, so the test may change its flows.
pub fn kit_copy(name: &str) -> PathBuf {
    let from = repository_root().join("examples/kits/debate-coach");
    let to = std::env::temp_dir().join(format!("flowql-lsp-kit-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&to);
    copy_dir(&from, &to);
    to
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

/// The 0-based line and character (ASCII text) where `needle` starts, plus `shift`.
pub fn position_of(text: &str, needle: &str, shift: usize) -> Value {
    let at = text
        .find(needle)
        .unwrap_or_else(|| panic!("{needle} not in the text"))
        + shift;
    let line = text[..at].matches('\n').count();
    let character = at - text[..at].rfind('\n').map_or(0, |i| i + 1);
    json!({"line": line, "character": character})
}

/// A server with the kit copy's `apps/actions/debate.ts` open and checked: the client, the
/// document's URI, its text and its first diagnostics.
pub fn open_the_actions(dir: &Path) -> (LspClient, String, String, Vec<Value>) {
    let app = dir.join("apps/actions/debate.ts");
    let uri = format!("file://{}", app.display());
    let text = std::fs::read_to_string(&app).unwrap();
    let mut client = LspClient::start(&["lsp"], &[]);
    client.initialize(&["utf-16"]);
    client.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": uri, "languageId": "typescript", "version": 1, "text": text}}),
    );
    let diagnostics = client.diagnostics(&uri, 1);
    (client, uri, text, diagnostics)
}
