//! Document and workspace symbols, folding ranges, selection ranges, definitions and references through the
//! real binary, in UTF-16 positions, on documents with multi-byte characters before the ranges.

mod support;

use serde_json::{json, Value};
use support::lsp_client::LspClient;

const TEXT: &str = "# Résumé flow.\n# Runs it.\nquery Run($id: String!) {\n  executeWorkflow(workflowId: $id, payload: {\n    a: \"é\"\n  }) {\n    status\n  }\n}\n";

fn start() -> (LspClient, String) {
    let mut client = LspClient::start(&["lsp"], &[]);
    let answer = client.initialize(&["utf-16"]);
    let capabilities = &answer["result"]["capabilities"];
    assert_eq!(capabilities["documentSymbolProvider"], true);
    assert_eq!(capabilities["foldingRangeProvider"], true);
    assert_eq!(capabilities["selectionRangeProvider"], true);
    let uri = "file:///tmp/flowql-outline/run.graphql".to_string();
    client.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": uri, "languageId": "graphql", "version": 1, "text": TEXT}}),
    );
    (client, uri)
}

#[test]
fn outline_folds_and_selections() {
    let (mut client, uri) = start();
    let symbols = client.request(
        "textDocument/documentSymbol",
        json!({"textDocument": {"uri": uri}}),
    )["result"]
        .clone();
    assert_eq!(symbols[0]["name"], "Run");
    assert_eq!(symbols[0]["kind"], 12, "function");
    assert_eq!(symbols[0]["detail"], "query($id: String!)");
    assert_eq!(
        symbols[0]["selectionRange"]["start"],
        json!({"line": 2, "character": 6})
    );
    assert_eq!(symbols[0]["children"][0]["name"], "executeWorkflow");
    assert_eq!(symbols[0]["children"][0]["children"][0]["name"], "status");
    assert_eq!(symbols[0]["children"][0]["children"][0]["kind"], 8, "field");

    let folds = client.request(
        "textDocument/foldingRange",
        json!({"textDocument": {"uri": uri}}),
    )["result"]
        .clone();
    let lines: Vec<(u64, u64, &str)> = folds
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["startLine"].as_u64().unwrap(),
                f["endLine"].as_u64().unwrap(),
                f["kind"].as_str().unwrap(),
            )
        })
        .collect();
    assert!(lines.contains(&(0, 1, "comment")), "{lines:?}");
    assert!(lines.contains(&(2, 8, "region")), "{lines:?}");
    assert!(lines.contains(&(3, 7, "region")), "{lines:?}");
    assert!(
        lines.contains(&(3, 5, "region")),
        "the payload object {lines:?}"
    );

    // Inside the string after `é`: UTF-16 columns all the way out.
    let ranges = client.request(
        "textDocument/selectionRange",
        json!({"textDocument": {"uri": uri}, "positions": [{"line": 4, "character": 8}]}),
    )["result"]
        .clone();
    let mut chain: Vec<Value> = Vec::new();
    let mut current = ranges[0].clone();
    while !current.is_null() {
        chain.push(current["range"].clone());
        current = current["parent"].clone();
    }
    assert_eq!(
        chain[0],
        json!({"start": {"line": 3, "character": 44}, "end": {"line": 5, "character": 3}}),
        "the payload object first: {chain:#?}"
    );
    assert_eq!(
        chain.last().unwrap()["end"],
        json!({"line": 9, "character": 0}),
        "the whole document last"
    );
    client.finish();
}

#[test]
fn definitions_and_references_of_fragments_and_variables() {
    let cache = std::env::temp_dir().join(format!("flowql-outline-cache-{}", std::process::id()));
    let mut client = LspClient::start(&["lsp"], &[("FLOWQL_CACHE_DIR", cache.to_str().unwrap())]);
    let answer = client.initialize(&["utf-16"]);
    assert_eq!(answer["result"]["capabilities"]["definitionProvider"], true);
    assert_eq!(answer["result"]["capabilities"]["referencesProvider"], true);
    let uri = "file:///tmp/flowql-outline/nav.graphql";
    let text = "query Q($id: String!) { a: checkStatus(requestId: \"é\") { status } b: checkStatus(requestId: $id) { ...R } }\nfragment R on WorkflowResult { status }\nquery P { checkStatus(requestId: \"x\") { ...R } }\n";
    client.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": uri, "languageId": "graphql", "version": 1, "text": text}}),
    );
    // From the `$` of `$id`, after a multi-byte string (UTF-16 column 92, byte 93), to its
    // definition at column 9.
    let definition = client.request(
        "textDocument/definition",
        json!({"textDocument": {"uri": uri}, "position": {"line": 0, "character": 92}}),
    )["result"]
        .clone();
    assert_eq!(definition["uri"], uri);
    assert_eq!(
        definition["range"],
        json!({"start": {"line": 0, "character": 9}, "end": {"line": 0, "character": 11}})
    );
    // From a spread to the fragment.
    let definition = client.request(
        "textDocument/definition",
        json!({"textDocument": {"uri": uri}, "position": {"line": 2, "character": 44}}),
    )["result"]
        .clone();
    assert_eq!(
        definition["range"]["start"],
        json!({"line": 1, "character": 9})
    );
    let references = client.request(
        "textDocument/references",
        json!({"textDocument": {"uri": uri}, "position": {"line": 1, "character": 9},
               "context": {"includeDeclaration": false}}),
    )["result"]
        .clone();
    let lines: Vec<u64> = references
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["range"]["start"]["line"].as_u64().unwrap())
        .collect();
    assert_eq!(lines, vec![0, 2]);
    // A field leads into the schema (here a copy of the bundled one); white space nowhere.
    let field = client.request(
        "textDocument/definition",
        json!({"textDocument": {"uri": uri}, "position": {"line": 1, "character": 32}}),
    );
    let target = field["result"]["uri"].as_str().unwrap_or_default();
    assert!(target.contains("/sdl/bundled-"), "{field}");
    let nothing = client.request(
        "textDocument/definition",
        json!({"textDocument": {"uri": uri}, "position": {"line": 1, "character": 30}}),
    );
    assert_eq!(nothing["result"], Value::Null);
    client.finish();
}

#[test]
fn workspace_symbols_come_from_open_documents_and_the_projects_files() {
    let dir = std::env::temp_dir().join(format!("flowql-lsp-symbols-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join(".graphqlrc.yml"), "documents: '*.graphql'\n").unwrap();
    std::fs::write(
        dir.join("b.graphql"),
        "fragment SummaryFields on WorkflowResult { status }\nquery Other { checkStatus(requestId: \"r\") }\n",
    )
    .unwrap();
    // On disk the open document says something else: the editor's text is what counts.
    std::fs::write(dir.join("a.graphql"), "query Stale { __typename }\n").unwrap();
    let mut client = LspClient::start(&["lsp"], &[]);
    let answer = client.initialize(&["utf-16"]);
    assert_eq!(
        answer["result"]["capabilities"]["workspaceSymbolProvider"],
        true
    );
    let open_uri = format!("file://{}", dir.join("a.graphql").display());
    client.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": open_uri, "languageId": "graphql", "version": 1,
            "text": "query RunSummarizer { checkStatus(requestId: \"r\") }\n"}}),
    );
    client.diagnostics(&open_uri, 1);
    let names = |client: &mut LspClient, query: &str| -> Vec<(String, String, u64)> {
        let mut found: Vec<(String, String, u64)> = client
            .request("workspace/symbol", json!({"query": query}))["result"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| {
                let uri = s["location"]["uri"].as_str().unwrap();
                (
                    s["name"].as_str().unwrap().to_string(),
                    uri.rsplit('/').next().unwrap().to_string(),
                    s["location"]["range"]["start"]["character"]
                        .as_u64()
                        .unwrap(),
                )
            })
            .collect();
        found.sort();
        found
    };
    assert_eq!(
        names(&mut client, "sum"),
        vec![
            ("RunSummarizer".to_string(), "a.graphql".to_string(), 6),
            ("SummaryFields".to_string(), "b.graphql".to_string(), 9),
        ]
    );
    assert_eq!(names(&mut client, "").len(), 3);
    assert!(names(&mut client, "stale").is_empty());
    client.finish();
}
