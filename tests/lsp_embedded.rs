//! GraphQL inside code through the real binary: diagnostics, hover, completion and quick fixes
//! in JavaScript, TypeScript and Python files, at positions of the host file (UTF-16, after
//! multi-byte characters), and nothing from the code around the literals.

mod support;

use serde_json::{json, Value};
use support::lsp_client::LspClient;
use support::tools::repository_root;

fn open(client: &mut LspClient, file: &str, language: &str) -> (String, String) {
    let path = repository_root().join("tests/fixtures/embedded").join(file);
    let uri = format!("file://{}", path.display());
    let text = std::fs::read_to_string(&path).unwrap();
    client.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": uri, "languageId": language, "version": 1, "text": text}}),
    );
    (uri, text)
}

fn at(uri: &str, line: u32, character: u32) -> Value {
    json!({"textDocument": {"uri": uri}, "position": {"line": line, "character": character}})
}

/// The labels of a completion response, in order.
fn labels(items: &Value) -> Vec<String> {
    items
        .as_array()
        .unwrap_or_else(|| panic!("completion items: {items}"))
        .iter()
        .map(|i| i["label"].as_str().unwrap().to_string())
        .collect()
}

fn start() -> LspClient {
    let mut client = LspClient::start(&["lsp"], &[]);
    client.initialize_with(
        json!({"general": {"positionEncodings": ["utf-16"]},
               "textDocument": {"completion": {"completionItem": {"snippetSupport": true}}}}),
        json!(null),
    );
    client
}

#[test]
fn javascript_diagnostics_hover_completion_and_fixes_at_host_positions() {
    let mut client = start();
    let (uri, _) = open(&mut client, "src/app.js", "javascript");
    let diagnostics = client.diagnostics(&uri, 1);
    let places: Vec<(u64, u64, &str)> = diagnostics
        .iter()
        .map(|d| {
            (
                d["range"]["start"]["line"].as_u64().unwrap(),
                d["range"]["start"]["character"].as_u64().unwrap(),
                d["code"].as_str().unwrap(),
            )
        })
        .collect();
    // The second is after `résumé` and `"é"` on its line: UTF-16 columns.
    assert_eq!(
        places,
        [
            (7, 4, "UNKNOWN_FIELD"),
            (20, 47, "UNKNOWN_FIELD"),
            (28, 55, "PAYLOAD_TYPE_MISMATCH"),
            (28, 109, "PAYLOAD_UNKNOWN_FIELD"),
            (29, 6, "VARIABLE_NOT_DECLARED"),
        ]
    );

    // Hover inside the literal.
    let hover = client.request("textDocument/hover", at(&uri, 6, 6))["result"].clone();
    let text = hover["contents"]["value"].as_str().unwrap();
    assert!(text.contains("WorkflowResult.status"), "{text}");
    assert_eq!(
        hover["range"],
        json!({"start": {"line": 6, "character": 4}, "end": {"line": 6, "character": 10}})
    );
    // Outside any literal: nothing.
    let hover = client.request("textDocument/hover", at(&uri, 11, 10));
    assert!(hover["result"].is_null(), "{hover}");

    // Completion in the literal, replacing the half-typed name in host positions.
    let items = client.request("textDocument/completion", at(&uri, 7, 6))["result"].clone();
    let result = items
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["label"] == "result")
        .unwrap_or_else(|| panic!("{items:#}"));
    assert_eq!(
        result["textEdit"]["range"],
        json!({"start": {"line": 7, "character": 4}, "end": {"line": 7, "character": 9}})
    );
    let none = client.request("textDocument/completion", at(&uri, 12, 4));
    assert!(none["result"].is_null(), "{none}");

    // The quick fix edits the host file where the name is.
    let unknown = diagnostics[1].clone();
    let actions = client.code_actions(&uri, &unknown);
    assert_eq!(actions[0]["title"], "Change `titel` to `title`");
    assert_eq!(
        actions[0]["edit"]["changes"][&uri],
        json!([{"range": {"start": {"line": 20, "character": 47}, "end": {"line": 20, "character": 52}},
                "newText": "title"}])
    );
    // The payload's fixes edit the code too (they were the JSON text's before).
    let unknown_key = diagnostics[3].clone();
    assert_eq!(unknown_key["code"], "PAYLOAD_UNKNOWN_FIELD");
    let actions = client.code_actions(&uri, &unknown_key);
    let remove = actions
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["title"] == "Remove `prompt`")
        .unwrap_or_else(|| panic!("{actions}"));
    let edit = &remove["edit"]["changes"][&uri][0];
    assert_eq!(edit["newText"], "");
    assert_eq!(edit["range"]["start"]["line"], 28);
    // Go to definition from a literal: a variable to its declaration, a field into the schema.
    let found = client.request("textDocument/definition", at(&uri, 5, 33))["result"].clone();
    assert_eq!(found["uri"], uri);
    assert_eq!(
        found["range"],
        json!({"start": {"line": 4, "character": 23}, "end": {"line": 4, "character": 33}})
    );
    let found = client.request("textDocument/definition", at(&uri, 5, 4))["result"].clone();
    assert!(
        found["uri"]
            .as_str()
            .unwrap()
            .ends_with("tests/fixtures/library/schema.graphql"),
        "{found}"
    );
    // Workspace symbols find operations in code too, at their place in the host file (here the
    // TypeScript file of the project, which is not open).
    let symbols = client.request("workspace/symbol", json!({"query": "Search"}))["result"].clone();
    let search = symbols
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["name"] == "Search")
        .unwrap_or_else(|| panic!("{symbols:#}"));
    assert!(search["location"]["uri"]
        .as_str()
        .unwrap()
        .ends_with("src/search.ts"));
    assert_eq!(
        search["location"]["range"]["start"],
        json!({"line": 3, "character": 8})
    );
    // No GraphQL outline, tokens or formatting for code: the editor's own server does those.
    let tokens = client.request(
        "textDocument/semanticTokens/full",
        json!({"textDocument": {"uri": uri}}),
    );
    assert!(tokens["result"].is_null(), "{tokens}");
    client.finish();
}

#[test]
fn typescript_interpolations_and_python_literals() {
    let mut client = start();
    let (view, _) = open(&mut client, "src/view.tsx", "typescriptreact");
    assert_eq!(client.diagnostics(&view, 1), Vec::<Value>::new());
    let (search, _) = open(&mut client, "src/search.ts", "typescript");
    let diagnostics = client.diagnostics(&search, 1);
    assert_eq!(diagnostics.len(), 1, "{diagnostics:#?}");
    assert_eq!(diagnostics[0]["code"], "UNKNOWN_ENUM_VALUE");
    // Fields of `Query` in the TypeScript template, and `books`' arguments beside the
    // interpolation (`first` and `order` are already given).
    let items = client.request("textDocument/completion", at(&search, 4, 6))["result"].clone();
    assert!(labels(&items).contains(&"books".to_string()), "{items:#}");
    let items = client.request("textDocument/completion", at(&search, 4, 10))["result"].clone();
    assert_eq!(labels(&items), ["filter", "first", "order"]);

    let (client_py, text) = open(&mut client, "src/client.py", "python");
    let diagnostics = client.diagnostics(&client_py, 1);
    let codes: Vec<&str> = diagnostics
        .iter()
        .map(|d| d["code"].as_str().unwrap())
        .collect();
    assert_eq!(
        codes,
        [
            "MISSING_REQUIRED_INPUT_FIELD",
            "UNKNOWN_FIELD",
            "PAYLOAD_TYPE_MISMATCH"
        ]
    );
    // An input field of `BookInput` inside the Python string.
    let line = text.lines().position(|l| l.contains("addBook")).unwrap() as u32;
    let column = text
        .lines()
        .nth(line as usize)
        .unwrap()
        .find("title")
        .unwrap() as u32;
    let items =
        client.request("textDocument/completion", at(&client_py, line, column))["result"].clone();
    assert_eq!(labels(&items), ["title", "kind", "pages"], "{items:#}");
    client.finish();
}
