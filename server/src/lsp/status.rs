//! The `flowql/status` request and notification (what a document is checked against, for
//! status items) and the `flowql.explain` command (one error code, or the list of codes).

use std::sync::atomic::Ordering;

use serde::Deserialize;
use serde_json::{json, Value};
use tower_lsp_server::ls_types::Uri;

use super::state::ServerState;
use crate::base::catalog::{self, Code, ENTRIES};
use crate::workspace::status::Status;
use crate::workspace::Resolved;

/// The custom method of the request and of the notification.
pub const STATUS_METHOD: &str = "flowql/status";

/// The client capability (`experimental.flowqlStatus: true`) that asks for notifications.
pub const STATUS_CAPABILITY: &str = "flowqlStatus";

/// Parameters of the `flowql/status` request: a document (open or not); without one, the
/// server's working directory stands for it.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct StatusParams {
    pub uri: Option<Uri>,
}

/// A status as JSON, without the age in seconds (it changes every second; the summary says
/// the age in words and changes when they do).
fn comparable(status: &Status) -> Value {
    let mut value = serde_json::to_value(status).unwrap_or(Value::Null);
    if let Some(schema) = value.get_mut("schema").and_then(Value::as_object_mut) {
        schema.remove("ageSeconds");
    }
    value
}

/// The answer to `flowql.explain`: with a code, its Markdown; without, every code.
pub fn explain(arguments: &[Value]) -> Result<Value, String> {
    match arguments.first().and_then(Value::as_str) {
        Some(text) => match Code::parse(text) {
            Some(code) => Ok(Value::String(catalog::entry_markdown(code.entry(), "#"))),
            None => Err(format!("unknown error code `{text}`")),
        },
        None => Ok(Value::Array(
            ENTRIES
                .iter()
                .map(|e| {
                    json!({
                        "code": e.code.as_str(),
                        "title": e.title,
                        "status": catalog::status_text(e),
                    })
                })
                .collect(),
        )),
    }
}

impl ServerState {
    /// The status of a document, open or not.
    pub fn status_for(&self, uri: Option<&Uri>) -> Status {
        let resolved = match uri {
            Some(uri) => self.workspace.for_file(uri.to_file_path().as_deref()),
            None => self
                .workspace
                .for_folder(&std::env::current_dir().unwrap_or_default()),
        };
        Status::of(&resolved)
    }

    /// Sends `flowql/status` for a document when it differs from the last one sent, to
    /// clients that asked for it.
    pub(super) async fn notify_status(&self, uri: &Uri, resolved: &Resolved) {
        if !self.status.wanted.load(Ordering::Relaxed) {
            return;
        }
        let Some(client) = self.client() else {
            return;
        };
        let status = Status::of(resolved);
        let key = comparable(&status);
        {
            let mut sent = self.status.sent.lock().unwrap_or_else(|e| e.into_inner());
            if sent.get(uri) == Some(&key) {
                return;
            }
            sent.insert(uri.clone(), key);
        }
        client
            .send_notification::<StatusNotification>(json!({ "uri": uri, "status": status }))
            .await;
    }

    /// Forgets what was sent for a closed document.
    pub(super) fn forget_status(&self, uri: &Uri) {
        self.status
            .sent
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .remove(uri);
    }
}

/// `flowql/status`, sent by the server: `{ uri, status }`.
pub enum StatusNotification {}

impl tower_lsp_server::ls_types::notification::Notification for StatusNotification {
    type Params = Value;
    const METHOD: &'static str = STATUS_METHOD;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn explain_gives_one_code_or_the_list() {
        let one = explain(&[json!("UNKNOWN_FIELD")]).unwrap();
        assert!(one.as_str().unwrap().starts_with("# `UNKNOWN_FIELD`"));
        let list = explain(&[]).unwrap();
        assert_eq!(list.as_array().unwrap().len(), ENTRIES.len());
        assert!(explain(&[json!("NOPE")]).unwrap_err().contains("NOPE"));
    }
}
