//! End-to-end sessions against the built `flowql` binary over stdio: the handshake, position
//! encodings, diagnostics with codes and exact ranges, incremental edits (including a bad one),
//! hovers, a request that panics on purpose, and the exit codes of the LSP specification.

mod support;

use serde_json::{json, Value};
use support::lsp_client::LspClient;

const URI: &str = "file:///flowql-e2e-no-config/ops.graphql";

const TEXT: &str = "query Run($id: String, $payload: JSON!) {\n  executeWorkflow(workflowId: $id, payload: $payload) {\n    status\n  }\n  s: checkStatus(requestId: \"🚀 launch\", nope: 1)\n}\n";

/// The column of `needle` in `line`, counted in UTF-16 units or bytes.
fn column(line: &str, needle: &str, utf8: bool) -> u64 {
    let prefix = &line[..line.find(needle).unwrap()];
    if utf8 {
        prefix.len() as u64
    } else {
        prefix.encode_utf16().count() as u64
    }
}

fn line(n: usize) -> &'static str {
    TEXT.lines().nth(n).unwrap()
}

fn find<'a>(diagnostics: &'a [Value], code: &str) -> &'a Value {
    diagnostics
        .iter()
        .find(|d| d["code"] == code)
        .unwrap_or_else(|| panic!("no {code} in {diagnostics:#?}"))
}

fn open(client: &mut LspClient) {
    client.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": URI, "languageId": "graphql", "version": 1, "text": TEXT}}),
    );
}

fn hover(client: &mut LspClient, line: u64, character: u64) -> Value {
    client.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": URI}, "position": {"line": line, "character": character}}),
    )
}

#[test]
fn full_session_in_utf16() {
    let mut client = LspClient::start(&["lsp", "--stdio"], &[("FLOWQL_ENABLE_DEBUG_PANIC", "1")]);
    let init = client.initialize(&["utf-16"]);
    let caps = &init["result"]["capabilities"];
    assert_eq!(caps["positionEncoding"], "utf-16");
    assert_eq!(caps["textDocumentSync"]["change"], 2, "incremental sync");
    assert_eq!(caps["hoverProvider"], true);
    assert_eq!(init["result"]["serverInfo"]["name"], "flowql");

    open(&mut client);
    let diagnostics = client.diagnostics(URI, 1);
    assert_eq!(diagnostics.len(), 2, "{diagnostics:#?}");

    let mismatch = find(&diagnostics, "VARIABLE_TYPE_MISMATCH");
    let start = column(line(1), "workflowId: $id", false);
    assert_eq!(
        mismatch["range"],
        json!({"start": {"line": 1, "character": start}, "end": {"line": 1, "character": start + 15}})
    );
    assert_eq!(mismatch["severity"], 1);
    assert_eq!(mismatch["source"], "flowql");
    assert_eq!(mismatch["data"]["httpStatus"], 400);
    assert!(mismatch["codeDescription"]["href"]
        .as_str()
        .unwrap()
        .ends_with("docs/errors.md#VARIABLE_TYPE_MISMATCH"));

    // After the emoji (two UTF-16 units), columns count UTF-16 units.
    let unknown = find(&diagnostics, "UNKNOWN_ARGUMENT");
    let nope = column(line(4), "nope", false);
    assert_eq!(nope, 41, "the emoji counts two units");
    assert_eq!(
        unknown["range"],
        json!({"start": {"line": 4, "character": nope}, "end": {"line": 4, "character": nope + 4}})
    );

    // Make `$id` non-null: an incremental insert at the end of `String` on line 0.
    let at = column(line(0), ", $payload", false);
    client.notify(
        "textDocument/didChange",
        json!({
            "textDocument": {"uri": URI, "version": 2},
            "contentChanges": [{"range": {"start": {"line": 0, "character": at}, "end": {"line": 0, "character": at}}, "text": "!"}],
        }),
    );
    let diagnostics = client.diagnostics(URI, 2);
    let codes: Vec<&Value> = diagnostics.iter().map(|d| &d["code"]).collect();
    assert_eq!(codes, vec!["UNKNOWN_ARGUMENT"]);

    // A bad edit (line 99) is skipped; the good edit in the same notification still applies.
    let nope = column(line(4), "nope: 1", false);
    client.notify(
        "textDocument/didChange",
        json!({
            "textDocument": {"uri": URI, "version": 3},
            "contentChanges": [
                {"range": {"start": {"line": 99, "character": 0}, "end": {"line": 99, "character": 1}}, "text": "x"},
                {"range": {"start": {"line": 4, "character": nope - 2}, "end": {"line": 4, "character": nope + 7}}, "text": ""},
            ],
        }),
    );
    assert_eq!(client.diagnostics(URI, 3), Vec::<Value>::new());

    // Hover on a field: its signature and the schema's description.
    let on_field = hover(&mut client, 1, 4);
    let text = on_field["result"]["contents"]["value"].as_str().unwrap();
    assert!(
        text.contains("Query.executeWorkflow(workflowId: String!, payload: JSON!): WorkflowResult"),
        "{text}"
    );
    assert!(text.contains("Runs a Flow"), "{text}");
    assert_eq!(
        on_field["result"]["range"],
        json!({"start": {"line": 1, "character": 2}, "end": {"line": 1, "character": 17}})
    );

    // Hover inside a diagnostic: message, code, HTTP status and fix.
    client.notify(
        "textDocument/didChange",
        json!({
            "textDocument": {"uri": URI, "version": 4},
            "contentChanges": [{"range": {"start": {"line": 2, "character": 4}, "end": {"line": 2, "character": 10}}, "text": "state"}],
        }),
    );
    let diagnostics = client.diagnostics(URI, 4);
    assert_eq!(
        find(&diagnostics, "UNKNOWN_FIELD")["severity"],
        2,
        "result fields of the bundled schema warn"
    );
    let on_error = hover(&mut client, 2, 6);
    let text = on_error["result"]["contents"]["value"].as_str().unwrap();
    assert!(text.contains("UNKNOWN_FIELD"), "{text}");
    assert!(text.contains("HTTP 400"), "{text}");
    assert!(text.contains("**Fix:** Check the spelling"), "{text}");

    // A request that panics gets an error response, and the server keeps serving.
    let panicked = client.request("flowql/debugPanic", json!(null));
    assert_eq!(panicked["error"]["code"], -32603, "{panicked}");
    assert!(panicked["error"]["message"]
        .as_str()
        .unwrap()
        .contains("flowql/debugPanic"));
    let after = hover(&mut client, 1, 4);
    assert!(after["result"]["contents"]["value"]
        .as_str()
        .unwrap()
        .contains("executeWorkflow"));

    // Closing clears the document's diagnostics.
    client.notify(
        "textDocument/didClose",
        json!({"textDocument": {"uri": URI}}),
    );
    let cleared = client
        .take(|m| {
            m["method"] == "textDocument/publishDiagnostics"
                && m["params"]["diagnostics"] == json!([])
                && m["params"]["version"].is_null()
        })
        .expect("diagnostics cleared on close");
    assert_eq!(cleared["params"]["uri"], URI);

    let shutdown = client.request("shutdown", json!(null));
    assert_eq!(shutdown["result"], Value::Null);
    client.notify("exit", json!(null));
    let unread: Vec<Value> = client.unread_except_logs().into_iter().cloned().collect();
    let stderr = client.stderr.clone();
    let status = client.wait();
    assert_eq!(status.code(), Some(0));
    assert!(
        unread.is_empty(),
        "messages the test did not expect: {unread:#?}"
    );
    let log = stderr.lock().unwrap().clone();
    assert!(log.contains("skipped an edit"), "bad edit logged: {log}");
    assert!(
        log.contains("flowql/debugPanic was called"),
        "panic logged: {log}"
    );
}

#[test]
fn utf8_is_negotiated_when_offered() {
    let mut client = LspClient::start(&["--stdio"], &[]);
    let init = client.initialize(&["utf-8", "utf-16"]);
    assert_eq!(init["result"]["capabilities"]["positionEncoding"], "utf-8");
    open(&mut client);
    let diagnostics = client.diagnostics(URI, 1);
    let nope = column(line(4), "nope", true);
    assert_eq!(nope, 43, "the emoji counts four bytes");
    assert_eq!(
        find(&diagnostics, "UNKNOWN_ARGUMENT")["range"]["start"],
        json!({"line": 4, "character": nope})
    );
    client.request("shutdown", json!(null));
    client.notify("exit", json!(null));
    assert_eq!(client.wait().code(), Some(0));
}

#[test]
fn exit_without_shutdown_is_code_1() {
    let mut client = LspClient::start(&["lsp"], &[]);
    client.initialize(&[]);
    client.notify("exit", json!(null));
    assert_eq!(client.wait().code(), Some(1));
}

#[test]
fn end_of_input_without_shutdown_is_code_1() {
    let mut client = LspClient::start(&["lsp"], &[]);
    client.initialize(&[]);
    client.close_stdin();
    assert_eq!(client.wait().code(), Some(1));
}

#[test]
fn debug_panic_is_refused_without_the_test_switch() {
    let mut client = LspClient::start(&["lsp"], &[]);
    client.initialize(&[]);
    let response = client.request("flowql/debugPanic", json!(null));
    assert_eq!(response["error"]["code"], -32601, "{response}");
    client.request("shutdown", json!(null));
    client.notify("exit", json!(null));
    assert_eq!(client.wait().code(), Some(0));
}

fn file_uri(path: &std::path::Path) -> String {
    format!("file://{}", path.display())
}

#[test]
fn documents_use_the_schema_of_their_graphql_config() {
    let dir = std::env::temp_dir().join(format!("flowql-lsp-config-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("ops")).unwrap();
    std::fs::create_dir_all(dir.join("broken")).unwrap();
    std::fs::write(
        dir.join("schema.graphql"),
        "type Query { hello(name: String!): String }\n",
    )
    .unwrap();
    std::fs::write(
        dir.join("ops/.graphqlrc.yml"),
        "schema: ../schema.graphql\n",
    )
    .unwrap();
    std::fs::write(
        dir.join("broken/.graphqlrc.yml"),
        "schema: missing.graphql\n",
    )
    .unwrap();

    let mut client = LspClient::start(&["lsp"], &[]);
    client.initialize(&["utf-16"]);
    let ops = file_uri(&dir.join("ops/a.graphql"));
    client.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": ops, "languageId": "graphql", "version": 1, "text": "{ hello }\n"}}),
    );
    let diagnostics = client.diagnostics(&ops, 1);
    assert_eq!(diagnostics.len(), 1, "{diagnostics:#?}");
    assert_eq!(diagnostics[0]["code"], "MISSING_REQUIRED_ARGUMENT");

    // A configured schema that cannot be read: the bundled schema stands in, and the document
    // says why at its top.
    let broken = file_uri(&dir.join("broken/b.graphql"));
    client.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": broken, "languageId": "graphql", "version": 7, "text": "query Q { checkStatus(requestId: \"r\") }\n"}}),
    );
    let diagnostics = client.diagnostics(&broken, 7);
    assert_eq!(diagnostics.len(), 1, "{diagnostics:#?}");
    assert_eq!(diagnostics[0]["code"], "SCHEMA_LOAD_FAILED");
    assert_eq!(diagnostics[0]["severity"], 2);
    let message = diagnostics[0]["message"].as_str().unwrap();
    assert!(
        message.contains("missing.graphql") && message.contains("bundled"),
        "{message}"
    );

    // Files that are not GraphQL are left alone.
    let json_uri = file_uri(&dir.join("ops/data.json"));
    client.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": json_uri, "languageId": "json", "version": 1, "text": "{}"}}),
    );
    let hover = client.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": json_uri}, "position": {"line": 0, "character": 0}}),
    );
    assert_eq!(hover["result"], Value::Null);

    client.request("shutdown", json!(null));
    client.notify("exit", json!(null));
    let unread: Vec<Value> = client.unread_except_logs().into_iter().cloned().collect();
    assert_eq!(client.wait().code(), Some(0));
    assert!(unread.is_empty(), "{unread:#?}");
}

#[test]
fn a_burst_of_edits_ends_with_the_last_version_published() {
    let mut client = LspClient::start(&["lsp"], &[]);
    client.initialize(&["utf-16"]);
    open(&mut client);
    client.diagnostics(URI, 1);
    // 50 edits as fast as the pipe takes them: typing `xxxxx...` after `status`.
    for version in 2..=51 {
        client.notify(
            "textDocument/didChange",
            json!({
                "textDocument": {"uri": URI, "version": version},
                "contentChanges": [{"range": {"start": {"line": 2, "character": 10}, "end": {"line": 2, "character": 10}}, "text": "x"}],
            }),
        );
    }
    let diagnostics = client.diagnostics(URI, 51);
    let unknown = find(&diagnostics, "UNKNOWN_FIELD");
    assert!(unknown["message"]
        .as_str()
        .unwrap()
        .contains(&format!("status{}", "x".repeat(50))));
    // Every publication seen carries a version, and none is newer than the last edit.
    client.request("shutdown", json!(null));
    client.notify("exit", json!(null));
    let unread: Vec<Value> = client.unread_except_logs().into_iter().cloned().collect();
    assert_eq!(client.wait().code(), Some(0));
    assert!(
        unread.is_empty(),
        "stale publications must not follow the newest: {unread:#?}"
    );
}

#[test]
fn a_panicking_analysis_still_gets_diagnostics_and_the_next_edit_recovers() {
    let mut client = LspClient::start(&["lsp"], &[("FLOWQL_ENABLE_DEBUG_PANIC", "1")]);
    client.initialize(&["utf-16"]);
    let uri = "file:///flowql-e2e-no-config/panics.graphql";
    // Big enough to be analysed on the blocking pool, and small: both paths are covered.
    for (text, version) in [
        ("# flowql:debug-panic\n{ nope }\n".to_string(), 1),
        (
            format!("# flowql:debug-panic\n{}{{ nope }}\n", "#\n".repeat(9000)),
            2,
        ),
    ] {
        if version == 1 {
            client.notify(
                "textDocument/didOpen",
                json!({"textDocument": {"uri": uri, "languageId": "graphql", "version": 1, "text": text}}),
            );
        } else {
            client.notify(
                "textDocument/didChange",
                json!({"textDocument": {"uri": uri, "version": version}, "contentChanges": [{"text": text}]}),
            );
        }
        let diagnostics = client.diagnostics(uri, version);
        assert_eq!(diagnostics.len(), 1, "{diagnostics:#?}");
        assert_eq!(diagnostics[0]["code"], "INTERNAL_ERROR");
        assert!(diagnostics[0]["message"]
            .as_str()
            .unwrap()
            .contains("the next edit tries again"));
    }
    // The next version is analysed afresh.
    client.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": uri, "version": 3}, "contentChanges": [{"text": "{ nope }\n"}]}),
    );
    let diagnostics = client.diagnostics(uri, 3);
    assert_eq!(diagnostics.len(), 1);
    assert_eq!(diagnostics[0]["code"], "UNKNOWN_FIELD");
    // Requests still work, and the log names each failed version once.
    let hover = client.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": uri}, "position": {"line": 0, "character": 3}}),
    );
    assert!(hover.get("error").is_none(), "{hover}");
    let log = client.stderr.lock().unwrap().clone();
    for version in [1, 2] {
        let said = log
            .lines()
            .filter(|l| l.contains(&format!("version {version} failed")))
            .count();
        assert_eq!(said, 1, "{log}");
    }
    client.finish();
}
