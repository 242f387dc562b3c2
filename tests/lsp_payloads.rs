//! Payload checks through the real server: inline payloads in GraphQL, payload JSON files
//! mapped by `payloads`, and JSON files that are none of flowql's business.

mod support;

use serde_json::{json, Value};
use support::lsp_client::LspClient;

const FLOW: &str = "0c6f3b1a-9d2e-4f5a-8b7c-1d2e3f4a5b6c";

fn project() -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("flowql-lsp-payloads-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("flows")).unwrap();
    std::fs::write(
        dir.join("flows/summarize.json"),
        r#"{"url": "string", "maxWords": "int"}"#,
    )
    .unwrap();
    std::fs::write(
        dir.join(".graphqlrc.yml"),
        format!("documents: '*.graphql'\nextensions:\n  flowql:\n    flows:\n      {FLOW}:\n        name: Summarize article\n        schema: flows/summarize.json\n    payloads:\n      - files: payloads/*.json\n        flow: {FLOW}\n"),
    )
    .unwrap();
    dir
}

fn open(client: &mut LspClient, uri: &str, language: &str, text: &str) -> Vec<Value> {
    client.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": uri, "languageId": language, "version": 1, "text": text}}),
    );
    client.diagnostics(uri, 1)
}

/// Applies one LSP text edit to a single-line-or-more text (UTF-16 columns; ASCII here).
fn apply(text: &str, edit: &Value) -> String {
    let offset = |position: &Value| {
        let line = position["line"].as_u64().unwrap() as usize;
        let character = position["character"].as_u64().unwrap() as usize;
        text.split_inclusive('\n')
            .take(line)
            .map(str::len)
            .sum::<usize>()
            + character
    };
    let (start, end) = (
        offset(&edit["range"]["start"]),
        offset(&edit["range"]["end"]),
    );
    format!(
        "{}{}{}",
        &text[..start],
        edit["newText"].as_str().unwrap(),
        &text[end..]
    )
}

#[test]
fn inline_payloads_and_payload_files_are_checked() {
    let dir = project();
    let mut client = LspClient::start(&["lsp"], &[]);
    client.initialize(&["utf-16"]);

    let op = format!("file://{}", dir.join("run.graphql").display());
    let text = format!("query {{ executeWorkflow(workflowId: \"{FLOW}\", payload: {{ url: 1, maxWords: 5 }}) {{ status }} }}\n");
    let diagnostics = open(&mut client, &op, "graphql", &text);
    assert_eq!(diagnostics.len(), 1, "{diagnostics:#?}");
    let first = diagnostics[0].clone();
    let first_range = first["range"].clone();
    assert_eq!(diagnostics[0]["code"], "PAYLOAD_TYPE_MISMATCH");
    let column = text.find("url: 1").unwrap() as u64 + 5;
    assert_eq!(
        diagnostics[0]["range"]["start"],
        json!({"line": 0, "character": column})
    );
    assert_eq!(diagnostics[0]["data"]["httpStatus"], 400);

    let hover = |client: &mut LspClient, character: usize| {
        let response = client.request(
            "textDocument/hover",
            json!({"textDocument": {"uri": op}, "position": {"line": 0, "character": character}}),
        );
        response["result"]["contents"]["value"]
            .as_str()
            .unwrap_or_default()
            .to_string()
    };
    let on_key = hover(&mut client, text.find("url: 1").unwrap() + 1);
    assert!(
        on_key.contains("url: string")
            && on_key.contains("Required field")
            && on_key.contains("Summarize article"),
        "{on_key}"
    );
    let on_id = hover(&mut client, text.find(FLOW).unwrap() + 3);
    assert!(
        on_id.contains("**Flow Summarize article") && on_id.contains("- `maxWords`: `int`"),
        "{on_id}"
    );
    assert!(on_id.contains("trigger: API request"), "{on_id}");

    let payload = format!("file://{}", dir.join("payloads/run.json").display());
    let diagnostics = open(
        &mut client,
        &payload,
        "json",
        "{\n  \"url\": \"https://x.test\",\n  \"maxWord\": 5\n}\n",
    );
    let codes: Vec<&str> = diagnostics
        .iter()
        .map(|d| d["code"].as_str().unwrap())
        .collect();
    assert_eq!(
        codes,
        vec!["PAYLOAD_MISSING_FIELD", "PAYLOAD_UNKNOWN_FIELD"],
        "{diagnostics:#?}"
    );
    assert_eq!(
        diagnostics[1]["range"]["start"],
        json!({"line": 2, "character": 2})
    );
    assert!(diagnostics[1]["message"]
        .as_str()
        .unwrap()
        .contains("did you mean `maxWords`?"));

    // The rename offered for the misspelt key, applied, leaves only the missing field.
    let json_text = "{\n  \"url\": \"https://x.test\",\n  \"maxWord\": 5\n}\n";
    let response = client.request(
        "textDocument/codeAction",
        json!({"textDocument": {"uri": payload}, "range": diagnostics[1]["range"], "context": {"diagnostics": [diagnostics[1]]}}),
    );
    let actions = response["result"].as_array().expect("actions");
    let titles: Vec<&str> = actions
        .iter()
        .map(|a| a["title"].as_str().unwrap())
        .collect();
    assert_eq!(
        titles,
        vec!["Rename `maxWord` to `maxWords`", "Remove `maxWord`"]
    );
    let edit = &actions[0]["edit"]["changes"][payload.as_str()][0];
    assert_eq!(edit["newText"], "\"maxWords\"");
    let fixed = apply(json_text, edit);
    assert_eq!(
        fixed,
        "{\n  \"url\": \"https://x.test\",\n  \"maxWords\": 5\n}\n"
    );
    client.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": payload, "version": 2}, "contentChanges": [{"text": fixed}]}),
    );
    assert!(client.diagnostics(&payload, 2).is_empty());

    // In GraphQL, a number where the flow wants a string is offered quotes.
    let graphql_diagnostic = client.request(
        "textDocument/codeAction",
        json!({"textDocument": {"uri": op}, "range": first_range, "context": {"diagnostics": [first]}}),
    );
    let actions = graphql_diagnostic["result"].as_array().expect("actions");
    assert_eq!(actions[0]["title"], "Quote the value");
    assert_eq!(
        apply(&text, &actions[0]["edit"]["changes"][op.as_str()][0]),
        text.replace("url: 1", "url: \"1\"")
    );

    // Another JSON file: nothing published for it at all.
    let other = format!("file://{}", dir.join("package.json").display());
    client.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": other, "languageId": "json", "version": 1, "text": "{ not json at all"}}),
    );
    let published = client.take_within(std::time::Duration::from_millis(500), |m| {
        m["method"] == "textDocument/publishDiagnostics" && m["params"]["uri"] == other
    });
    assert!(published.is_none(), "{published:#?}");
    client.request("shutdown", json!(null));
    client.notify("exit", json!(null));
    let unread: Vec<Value> = client.unread_except_logs().into_iter().cloned().collect();
    assert_eq!(client.wait().code(), Some(0));
    assert!(unread.is_empty(), "{unread:#?}");
}

#[test]
fn completion_offers_payload_keys_and_flow_ids() {
    let dir = project();
    let mut client = LspClient::start(&["lsp"], &[]);
    client.initialize(&["utf-16"]);
    let complete = |client: &mut LspClient, uri: &str, line: usize, character: usize| {
        let response = client.request(
            "textDocument/completion",
            json!({"textDocument": {"uri": uri}, "position": {"line": line, "character": character}}),
        );
        response["result"].as_array().cloned().unwrap_or_default()
    };

    let op = format!("file://{}", dir.join("complete.graphql").display());
    let text = format!("query {{ executeWorkflow(workflowId: \"{FLOW}\", payload: {{ url: \"u\",  }}) {{ status }} }}\n");
    open(&mut client, &op, "graphql", &text);
    let items = complete(&mut client, &op, 0, text.find("\"u\", ").unwrap() + 5);
    let labels: Vec<&str> = items.iter().map(|i| i["label"].as_str().unwrap()).collect();
    assert_eq!(labels, vec!["maxWords"], "url is already there");
    assert_eq!(items[0]["detail"], "integer");
    assert_eq!(items[0]["insertText"], "maxWords: ");

    let ids = format!("file://{}", dir.join("ids.graphql").display());
    let text = "query { executeWorkflow(workflowId: \"\", payload: {}) { status } }\n";
    open(&mut client, &ids, "graphql", text);
    let items = complete(&mut client, &ids, 0, text.find("\"\"").unwrap() + 1);
    assert_eq!(items.len(), 1, "{items:#?}");
    assert_eq!(items[0]["label"], "Summarize article");
    assert_eq!(items[0]["textEdit"]["newText"], FLOW);

    let payload = format!("file://{}", dir.join("payloads/new.json").display());
    let text = "{\n  \"maxWords\": 3,\n  \n}\n";
    open(&mut client, &payload, "json", text);
    let items = complete(&mut client, &payload, 2, 2);
    let inserts: Vec<&str> = items
        .iter()
        .map(|i| i["insertText"].as_str().unwrap())
        .collect();
    assert_eq!(inserts, vec!["\"url\": "]);

    // Hover on a key of the payload file.
    let hover = client.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": payload}, "position": {"line": 1, "character": 5}}),
    );
    let text = hover["result"]["contents"]["value"].as_str().unwrap();
    assert!(
        text.contains("maxWords: integer")
            && text.contains("Required field")
            && text.contains("Summarize article"),
        "{text}"
    );
    assert_eq!(
        hover["result"]["range"]["start"],
        json!({"line": 1, "character": 2})
    );

    client.request("shutdown", json!(null));
    client.notify("exit", json!(null));
    assert_eq!(client.wait().code(), Some(0));
}
