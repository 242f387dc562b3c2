//! A flow's input fields across code and flow files, through the real binary on a copy of the
//! example kit: go to definition from a payload key into the `advance_schema` string of the
//! flow's file, references from the schema's key to every key that sends it, rename of a
//! field in one edit (a shorthand property kept as the value), a rename refused where a payload
//! spreads another object, and rename of GraphQL fragments (across files), variables and
//! operations, in GraphQL documents and in the GraphQL literals of code.

mod support;

use std::collections::HashMap;
use std::path::Path;

use serde_json::{json, Value};
use support::kits::{kit_copy, open_the_actions, position_of};
use support::lsp_client::LspClient;

fn uri_of(path: &Path) -> String {
    format!("file://{}", path.display())
}

fn at(uri: &str, position: Value) -> Value {
    json!({"textDocument": {"uri": uri}, "position": position})
}

/// The byte offset of an LSP position in `text` (0-based lines, UTF-16 = bytes here).
fn offset(text: &str, position: &Value) -> usize {
    let line = position["line"].as_u64().unwrap() as usize;
    let start: usize = text.split_inclusive('\n').take(line).map(str::len).sum();
    start + position["character"].as_u64().unwrap() as usize
}

/// The text a range covers in `text`.
fn covered(text: &str, range: &Value) -> String {
    text[offset(text, &range["start"])..offset(text, &range["end"])].to_string()
}

/// Applies one file's edits (from the end, as editors do).
fn apply(text: &str, edits: &[Value]) -> String {
    let mut sorted: Vec<&Value> = edits.iter().collect();
    sorted.sort_by_key(|e| std::cmp::Reverse(offset(text, &e["range"]["start"])));
    let mut out = text.to_string();
    for edit in sorted {
        let (from, to) = (
            offset(text, &edit["range"]["start"]),
            offset(text, &edit["range"]["end"]),
        );
        out.replace_range(from..to, edit["newText"].as_str().unwrap());
    }
    out
}

fn open(client: &mut LspClient, path: &Path, language: &str) -> (String, String) {
    let uri = uri_of(path);
    let text = std::fs::read_to_string(path).unwrap();
    client.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": uri, "languageId": language, "version": 1, "text": text}}),
    );
    let _ = client.diagnostics(&uri, 1);
    (uri, text)
}

#[test]
fn payload_keys_lead_to_their_declaration_and_back() {
    let dir = kit_copy("fields-nav");
    let (mut client, actions, text, _) = open_the_actions(&dir);
    let flow_file = dir.join("flows/debate-setup.ts");
    let flow_text = std::fs::read_to_string(&flow_file).unwrap();
    // `rounds: "3"` in the SDK call: its declaration inside the escaped schema string.
    let found = client.request(
        "textDocument/definition",
        at(&actions, position_of(&text, "rounds: \"3\"", 2)),
    )["result"]
        .clone();
    assert_eq!(found["uri"], uri_of(&flow_file), "{found}");
    assert_eq!(covered(&flow_text, &found["range"]), "rounds");
    assert!(flow_text
        .lines()
        .nth(found["range"]["start"]["line"].as_u64().unwrap() as usize)
        .unwrap()
        .contains("advance_schema"));
    // From the schema's key: the keys that send it, and the declaration when asked.
    let (flow_uri, flow_text) = open(&mut client, &flow_file, "typescript");
    let found = client.request(
        "textDocument/references",
        json!({"textDocument": {"uri": flow_uri}, "position": position_of(&flow_text, "rounds\\\"", 2),
               "context": {"includeDeclaration": true}}),
    )["result"]
        .clone();
    let found = found.as_array().cloned().unwrap_or_default();
    let places: Vec<(String, String)> = found
        .iter()
        .map(|l| {
            let uri = l["uri"].as_str().unwrap().to_string();
            let text = if uri == actions { &text } else { &flow_text };
            (uri, covered(text, &l["range"]))
        })
        .collect();
    assert_eq!(
        places,
        vec![
            (flow_uri.clone(), "rounds".to_string()),
            (actions.clone(), "rounds".to_string())
        ],
        "{found:?}"
    );
    client.finish();
}

#[test]
fn a_field_is_renamed_in_its_schema_and_every_payload() {
    let dir = kit_copy("fields-rename");
    let (mut client, actions, text, _) = open_the_actions(&dir);
    let flow_file = dir.join("flows/debate-setup.ts");
    let flow_text = std::fs::read_to_string(&flow_file).unwrap();
    let position = position_of(&text, "{ topic, rounds: \"3\" }", 2);
    let prepared = client.request("textDocument/prepareRename", at(&actions, position.clone()))
        ["result"]
        .clone();
    assert_eq!(prepared["placeholder"], "topic", "{prepared}");
    let mut params = at(&actions, position);
    params["newName"] = json!("subject");
    let response = client.request("textDocument/rename", params);
    let changes: HashMap<String, Vec<Value>> =
        serde_json::from_value(response["result"]["changes"].clone())
            .unwrap_or_else(|_| panic!("{response}"));
    let renamed = apply(&text, &changes[&actions]);
    assert!(
        renamed.contains("{ subject: topic, rounds: \"3\" }"),
        "{renamed}"
    );
    // The call that reads a misspelt variable runs no known flow: it is left alone.
    assert!(
        renamed.contains("DEBATE_SETUP_FLOWID!, { topic, rounds: 1 }"),
        "{renamed}"
    );
    let schema = apply(&flow_text, &changes[&uri_of(&flow_file)]);
    assert!(
        schema.contains("\\\"subject\\\": \\\"string\\\""),
        "{schema}"
    );
    assert!(!schema.contains("\\\"topic\\\""), "{schema}");
    assert_eq!(changes.len(), 2, "{changes:?}");
    // A name a payload could not take unquoted is refused with the reason.
    let mut params = at(&actions, position_of(&text, "{ topic, rounds: \"3\" }", 2));
    params["newName"] = json!("the topic");
    let refused = client.request("textDocument/rename", params);
    assert!(
        refused["error"]["message"]
            .as_str()
            .unwrap()
            .contains("not a name"),
        "{refused}"
    );
    client.finish();
}

#[test]
fn a_rename_that_could_miss_a_key_is_refused() {
    let dir = kit_copy("fields-spread");
    let actions_file = dir.join("apps/actions/debate.ts");
    let mut text = std::fs::read_to_string(&actions_file).unwrap();
    text.push_str("\nexport async function again(extra: Record<string, unknown>) {\n  return getLamaticClient().executeFlow(requireFlowId(\"debate-setup\"), { ...extra, rounds: 2 });\n}\n");
    std::fs::write(&actions_file, &text).unwrap();
    let (mut client, actions, text, _) = open_the_actions(&dir);
    let mut params = at(&actions, position_of(&text, "rounds: 2", 1));
    params["newName"] = json!("turns");
    let refused = client.request("textDocument/rename", params);
    let message = refused["error"]["message"]
        .as_str()
        .unwrap_or_else(|| panic!("{refused}"));
    assert!(
        message.contains("cannot rename this field safely"),
        "{message}"
    );
    assert!(
        message.contains("debate.ts:39") && message.contains("spreads"),
        "{message}"
    );
    client.finish();
}

#[test]
fn graphql_fragments_and_variables_are_renamed() {
    let dir = std::env::temp_dir().join(format!("flowql-rename-graphql-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("ops")).unwrap();
    std::fs::write(dir.join(".graphqlrc.yml"), "documents: \"ops/*.graphql\"\n").unwrap();
    let parts = "fragment Outcome on WorkflowResult {\n  status\n}\n";
    let query = "query Run($id: String!) {\n  executeWorkflow(workflowId: $id, payload: {}) {\n    ...Outcome\n  }\n}\n";
    std::fs::write(dir.join("ops/parts.graphql"), parts).unwrap();
    std::fs::write(dir.join("ops/run.graphql"), query).unwrap();
    let mut client = LspClient::start(&["lsp"], &[]);
    client.initialize(&["utf-16"]);
    let (run, _) = open(&mut client, &dir.join("ops/run.graphql"), "graphql");
    let parts_uri = uri_of(&dir.join("ops/parts.graphql"));
    // The variable: its definition and its use.
    let mut params = at(&run, position_of(query, "$id,", 1));
    params["newName"] = json!("flow");
    let changes: HashMap<String, Vec<Value>> = serde_json::from_value(
        client.request("textDocument/rename", params)["result"]["changes"].clone(),
    )
    .unwrap();
    assert_eq!(apply(query, &changes[&run]), query.replace("$id", "$flow"));
    // The fragment: its definition in a file that is not open, and the spread.
    let mut params = at(&run, position_of(query, "...Outcome", 4));
    params["newName"] = json!("Result");
    let changes: HashMap<String, Vec<Value>> = serde_json::from_value(
        client.request("textDocument/rename", params)["result"]["changes"].clone(),
    )
    .unwrap();
    assert_eq!(
        apply(query, &changes[&run]),
        query.replace("Outcome", "Result")
    );
    assert_eq!(
        apply(parts, &changes[&parts_uri]),
        parts.replace("Outcome", "Result")
    );
    // The operation's name.
    let mut params = at(&run, position_of(query, "Run(", 1));
    params["newName"] = json!("RunFlow");
    let changes = renamed(&mut client, params);
    assert_eq!(
        apply(query, &changes[&run]),
        query.replace("query Run(", "query RunFlow(")
    );
    // In a GraphQL literal of code: the variable, in the host file's offsets.
    let code = "const q = gql`\n  query Poll($request: String!) {\n    checkStatus(requestId: $request)\n  }\n`;\n";
    std::fs::write(dir.join("ops/poll.ts"), code).unwrap();
    let (poll, _) = open(&mut client, &dir.join("ops/poll.ts"), "typescript");
    let prepared = client.request(
        "textDocument/prepareRename",
        at(&poll, position_of(code, "$request)", 2)),
    )["result"]
        .clone();
    assert_eq!(prepared["placeholder"], "request", "{prepared}");
    let mut params = at(&poll, position_of(code, "$request)", 2));
    params["newName"] = json!("id");
    let changes = renamed(&mut client, params);
    assert_eq!(
        apply(code, &changes[&poll]),
        code.replace("$request", "$id")
    );
    client.finish();
}

/// The changes of a rename, by URI.
fn renamed(client: &mut LspClient, params: Value) -> HashMap<String, Vec<Value>> {
    let response = client.request("textDocument/rename", params);
    serde_json::from_value(response["result"]["changes"].clone())
        .unwrap_or_else(|_| panic!("{response}"))
}

#[test]
fn from_a_flow_file_the_keys_of_saved_files_are_found_and_renamed() {
    let dir = kit_copy("fields-saved");
    let mut client = LspClient::start(&["lsp"], &[]);
    client.initialize(&["utf-16"]);
    // Only the flow file is open: the code that calls it is read as saved.
    let (flow_uri, flow_text) = open(
        &mut client,
        &dir.join("flows/debate-setup.ts"),
        "typescript",
    );
    let actions_file = dir.join("apps/actions/debate.ts");
    let actions = uri_of(&actions_file);
    let saved = std::fs::read_to_string(&actions_file).unwrap();
    let position = position_of(&flow_text, "rounds\\\"", 2);
    let found = client.request(
        "textDocument/references",
        json!({"textDocument": {"uri": flow_uri}, "position": position,
               "context": {"includeDeclaration": false}}),
    )["result"]
        .clone();
    let found = found.as_array().cloned().unwrap_or_default();
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0]["uri"], actions.as_str());
    assert_eq!(covered(&saved, &found[0]["range"]), "rounds");
    let mut params = at(&flow_uri, position);
    params["newName"] = json!("turns");
    let changes = renamed(&mut client, params);
    assert!(apply(&saved, &changes[&actions]).contains("{ topic, turns: \"3\" }"));
    assert!(apply(&flow_text, &changes[&flow_uri]).contains("\\\"turns\\\": \\\"int\\\""));
    client.finish();
}

#[test]
fn in_a_graphql_config_project_payload_files_and_documents_are_renamed_together() {
    let from = support::tools::repository_root().join("tests/fixtures/editors");
    let dir = std::env::temp_dir().join(format!("flowql-fields-config-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    for file in [
        ".graphqlrc.yml",
        "app.js",
        "run.graphql",
        "flows/summarize-article.json",
        "payloads/short.json",
    ] {
        std::fs::create_dir_all(dir.join(file).parent().unwrap()).unwrap();
        std::fs::copy(from.join(file), dir.join(file)).unwrap();
    }
    let mut client = LspClient::start(&["lsp"], &[]);
    client.initialize(&["utf-16"]);
    let (payload, text) = open(&mut client, &dir.join("payloads/short.json"), "json");
    let export = dir.join("flows/summarize-article.json");
    let export_text = std::fs::read_to_string(&export).unwrap();
    // From a payload file's key into the export's escaped schema string.
    let found = client.request(
        "textDocument/definition",
        at(&payload, position_of(&text, "maxWords", 2)),
    )["result"]
        .clone();
    assert_eq!(found["uri"], uri_of(&export), "{found}");
    assert_eq!(covered(&export_text, &found["range"]), "maxWords");
    // Renamed in the export, this file and the GraphQL document (not open) that sends it.
    let mut params = at(&payload, position_of(&text, "maxWords", 2));
    params["newName"] = json!("words");
    let changes = renamed(&mut client, params);
    let run = uri_of(&dir.join("run.graphql"));
    let run_text = std::fs::read_to_string(dir.join("run.graphql")).unwrap();
    assert_eq!(changes.len(), 3, "{changes:?}");
    assert!(apply(&text, &changes[&payload]).contains("\"words\": \"many\""));
    assert!(apply(&run_text, &changes[&run]).contains("words: 120"));
    assert!(apply(&export_text, &changes[&uri_of(&export)]).contains("\\\"words\\\": \\\"int\\\""));
    client.finish();
}
