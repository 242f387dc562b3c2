//! Pull diagnostics (`textDocument/diagnostic`) through the real binary: the same diagnostics a
//! pushing client gets, nothing pushed for a pulling client's documents, a new result per
//! version, and a refresh request when every document's results change.

mod support;

use std::time::Duration;

use serde_json::{json, Value};
use support::lsp_client::LspClient;
use support::tools::repository_root;

fn open(client: &mut LspClient, uri: &str, text: &str) {
    client.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": uri, "languageId": "graphql", "version": 1, "text": text}}),
    );
}

fn pull(client: &mut LspClient, uri: &str) -> Value {
    let response = client.request(
        "textDocument/diagnostic",
        json!({"textDocument": {"uri": uri}}),
    );
    assert!(response.get("error").is_none(), "{response}");
    assert_eq!(response["result"]["kind"], "full", "{response}");
    response["result"].clone()
}

#[test]
fn pulled_diagnostics_are_the_pushed_ones() {
    let file = repository_root().join("examples/operations/mistakes.graphql");
    let uri = format!("file://{}", file.display());
    let text = std::fs::read_to_string(&file).unwrap();

    let mut pushing = LspClient::start(&["lsp"], &[]);
    let answer = pushing.initialize(&["utf-16"]);
    assert_eq!(
        answer["result"]["capabilities"]["diagnosticProvider"]["identifier"],
        "flowql"
    );
    open(&mut pushing, &uri, &text);
    let pushed = pushing.diagnostics(&uri, 1);
    assert!(pushed.len() >= 5, "{pushed:#?}");
    pushing.finish();

    let mut pulling = LspClient::start(&["lsp"], &[]);
    pulling.initialize_with(
        json!({"textDocument": {"diagnostic": {"dynamicRegistration": false}},
               "workspace": {"diagnostics": {"refreshSupport": true}}}),
        json!(null),
    );
    open(&mut pulling, &uri, &text);
    let report = pull(&mut pulling, &uri);
    assert_eq!(report["items"].as_array().unwrap(), &pushed);
    assert_eq!(report["resultId"], "1");
    let pushed_anyway = pulling.take_within(Duration::from_millis(300), |m| {
        m["method"] == "textDocument/publishDiagnostics" && m["params"]["uri"] == uri
    });
    assert!(pushed_anyway.is_none(), "{pushed_anyway:?}");

    // A new version: its own result, without the mistake that was fixed.
    let fixed = text.replacen("checkStatuz", "checkStatus", 1);
    pulling.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": uri, "version": 2}, "contentChanges": [{"text": fixed}]}),
    );
    let report = pull(&mut pulling, &uri);
    assert_eq!(report["resultId"], "2");
    assert_eq!(
        report["items"].as_array().unwrap().len(),
        pushed.len() - 1,
        "{report:#}"
    );

    // Fetching the schemas again may change every document: the client is asked to pull.
    let response = pulling.request(
        "workspace/executeCommand",
        json!({"command": "flowql.refreshSchemas", "arguments": []}),
    );
    assert!(response.get("error").is_none(), "{response}");
    let refresh = pulling.take(|m| m["method"] == "workspace/diagnostic/refresh");
    assert!(refresh.is_some(), "a workspace/diagnostic/refresh request");

    // A document flowql does not judge, and one that is not open: empty reports.
    let json_uri = format!(
        "file://{}",
        repository_root()
            .join("examples/flows/other.json")
            .display()
    );
    pulling.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": json_uri, "languageId": "json", "version": 1, "text": "{"}}),
    );
    assert_eq!(pull(&mut pulling, &json_uri)["items"], json!([]));
    let closed = format!(
        "file://{}",
        repository_root().join("examples/nowhere.graphql").display()
    );
    assert_eq!(pull(&mut pulling, &closed)["items"], json!([]));
    pulling.finish();
}
