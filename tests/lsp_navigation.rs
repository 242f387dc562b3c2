//! Navigation and completion across a project's files through the real binary: a fragment of
//! another file is known, found (definition, references) and completed; a change of it
//! re-validates its users (pushed, and pulled after a refresh request); go to definition leads
//! into the workspace's schema file, or into a read-only copy of the bundled schema.

mod support;

use std::path::{Path, PathBuf};

use serde_json::{json, Value};
use support::lsp_client::LspClient;
use support::tools::repository_root;

const PARTS: &str = "# Shared by the operations.\nfragment BookParts on Book {\n  title\n}\n";
const QUERY: &str = "query Q {\n  book(id: 1) {\n    ...BookParts\n  }\n}\n";

fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("flowql-nav-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("ops")).unwrap();
    dir
}

/// A project with the library schema in a file and two operation files on disk.
fn project(name: &str) -> PathBuf {
    let dir = temp_dir(name);
    let schema = repository_root().join("tests/fixtures/library/schema.graphql");
    std::fs::copy(schema, dir.join("schema.graphql")).unwrap();
    std::fs::write(
        dir.join(".graphqlrc.yml"),
        "schema: schema.graphql\ndocuments: \"ops/*.graphql\"\nextensions:\n  flowql:\n    offline: true\n",
    )
    .unwrap();
    std::fs::write(dir.join("ops/parts.graphql"), PARTS).unwrap();
    std::fs::write(dir.join("ops/query.graphql"), QUERY).unwrap();
    dir
}

fn uri_of(path: &Path) -> String {
    format!("file://{}", path.display())
}

fn open(client: &mut LspClient, uri: &str, text: &str) {
    client.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": uri, "languageId": "graphql", "version": 1, "text": text}}),
    );
}

fn at(uri: &str, line: u32, character: u32) -> Value {
    json!({"textDocument": {"uri": uri}, "position": {"line": line, "character": character}})
}

fn range(start: (u32, u32), end: (u32, u32)) -> Value {
    json!({"start": {"line": start.0, "character": start.1}, "end": {"line": end.0, "character": end.1}})
}

/// `(line, character)` of the first occurrence of `needle` in `text`.
fn position_of(text: &str, needle: &str) -> (u32, u32) {
    let offset = text.find(needle).expect("needle in text");
    let line = text[..offset].matches('\n').count() as u32;
    let column = offset - text[..offset].rfind('\n').map_or(0, |i| i + 1);
    (line, column as u32)
}

#[test]
fn definitions_and_references_across_files_and_into_the_schema_file() {
    let dir = project("files");
    let query = uri_of(&dir.join("ops/query.graphql"));
    let parts = uri_of(&dir.join("ops/parts.graphql"));
    let schema = uri_of(&dir.join("schema.graphql"));
    let mut client = LspClient::start(&["lsp"], &[]);
    client.initialize(&["utf-16"]);
    open(&mut client, &query, QUERY);
    // The fragment is defined in a file that is not open: no "unknown fragment".
    assert_eq!(client.diagnostics(&query, 1), Vec::<Value>::new());

    let found = client.request("textDocument/definition", at(&query, 2, 10))["result"].clone();
    assert_eq!(found["uri"], parts);
    assert_eq!(found["range"], range((1, 9), (1, 18)));

    // Into the schema file of the workspace, at the field's name.
    let sdl = std::fs::read_to_string(dir.join("schema.graphql")).unwrap();
    let (line, column) = position_of(&sdl, "book(id: ID!)");
    let found = client.request("textDocument/definition", at(&query, 1, 3))["result"].clone();
    assert_eq!(found["uri"], schema);
    assert_eq!(found["range"], range((line, column), (line, column + 4)));
    let (line, column) = position_of(&sdl, "Book implements");
    let found = client.request("textDocument/definition", at(&parts, 0, 0));
    assert!(found["result"].is_null(), "parts is not open: {found}");
    open(&mut client, &parts, PARTS);
    client.diagnostics(&parts, 1);
    let found = client.request("textDocument/definition", at(&parts, 1, 23))["result"].clone();
    assert_eq!(found["uri"], schema);
    assert_eq!(found["range"], range((line, column), (line, column + 4)));

    // References: the definition and every spread, in open and saved files alike; an unsaved
    // buffer counts as edited.
    let scratch = uri_of(&dir.join("ops/scratch.graphql"));
    open(
        &mut client,
        &scratch,
        "query S {\n  node(id: 2) {\n    ... on Book { ...BookParts }\n  }\n}\n",
    );
    client.diagnostics(&scratch, 1);
    let found = client.request(
        "textDocument/references",
        json!({"textDocument": {"uri": parts}, "position": {"line": 1, "character": 12},
               "context": {"includeDeclaration": true}}),
    )["result"]
        .clone();
    let mut got: Vec<(String, Value)> = found
        .as_array()
        .unwrap()
        .iter()
        .map(|l| (l["uri"].as_str().unwrap().to_string(), l["range"].clone()))
        .collect();
    got.sort_by(|a, b| a.0.cmp(&b.0));
    assert_eq!(
        got,
        vec![
            (parts.clone(), range((1, 9), (1, 18))),
            (query.clone(), range((2, 7), (2, 16))),
            (scratch.clone(), range((2, 21), (2, 30))),
        ]
    );
    // Without the declaration, from a spread.
    let found = client.request(
        "textDocument/references",
        json!({"textDocument": {"uri": query}, "position": {"line": 2, "character": 9},
               "context": {"includeDeclaration": false}}),
    )["result"]
        .clone();
    assert_eq!(found.as_array().unwrap().len(), 2, "{found}");
    client.finish();
}

/// The next diagnostics pushed for `uri` that are empty, or not, as `empty` says.
fn pushed_to(client: &mut LspClient, uri: &str, empty: bool) -> Option<Value> {
    client.take(|m| {
        m["method"] == "textDocument/publishDiagnostics"
            && m["params"]["uri"] == uri
            && m["params"]["diagnostics"]
                .as_array()
                .is_some_and(|d| d.is_empty() == empty)
    })
}

#[test]
fn a_changed_fragment_is_pushed_to_its_users_without_their_edit() {
    let dir = project("push");
    let query = uri_of(&dir.join("ops/query.graphql"));
    let parts = uri_of(&dir.join("ops/parts.graphql"));
    let mut client = LspClient::start(&["lsp"], &[]);
    client.initialize(&["utf-16"]);
    open(&mut client, &parts, PARTS);
    open(&mut client, &query, QUERY);
    assert_eq!(client.diagnostics(&parts, 1), Vec::<Value>::new());
    assert_eq!(client.diagnostics(&query, 1), Vec::<Value>::new());

    // The fragment is renamed in its open, unsaved file; the user is not touched, and still
    // gets its new diagnostics pushed: the spread no longer names a fragment.
    let renamed = PARTS.replace("BookParts", "BookFields");
    client.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": parts, "version": 2}, "contentChanges": [{"text": renamed}]}),
    );
    let pushed =
        pushed_to(&mut client, &query, false).expect("the user's diagnostics pushed again");
    let items = pushed["params"]["diagnostics"].as_array().unwrap();
    assert_eq!(items.len(), 1, "{items:#?}");
    assert_eq!(items[0]["code"], "UNKNOWN_FRAGMENT", "{items:#?}");
    assert_eq!(items[0]["range"], range((2, 7), (2, 16)));
    assert_eq!(pushed["params"]["version"], 1);

    // Renamed back: the user is clean again.
    client.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": parts, "version": 3}, "contentChanges": [{"text": PARTS}]}),
    );
    let pushed = pushed_to(&mut client, &query, true).expect("the user's diagnostics cleared");
    assert_eq!(pushed["params"]["version"], 1);
    client.finish();
}

#[test]
fn a_changed_fragment_revalidates_its_users_and_completion_knows_it() {
    let dir = project("pull");
    let query = uri_of(&dir.join("ops/query.graphql"));
    let parts = uri_of(&dir.join("ops/parts.graphql"));
    let mut client = LspClient::start(&["lsp"], &[]);
    client.initialize_with(
        json!({"textDocument": {"diagnostic": {"dynamicRegistration": false},
                                "completion": {"completionItem": {"snippetSupport": true}}},
               "workspace": {"diagnostics": {"refreshSupport": true}}}),
        json!(null),
    );
    open(&mut client, &parts, PARTS);
    open(&mut client, &query, QUERY);
    let pull = |client: &mut LspClient, uri: &str| -> Vec<Value> {
        let response = client.request(
            "textDocument/diagnostic",
            json!({"textDocument": {"uri": uri}}),
        );
        response["result"]["items"].as_array().unwrap().clone()
    };
    assert_eq!(pull(&mut client, &query), Vec::<Value>::new());

    // The fragment is renamed in its (open, unsaved) file: the user is stale, the client is
    // asked to pull again, and then sees the unknown fragment with a suggestion.
    let renamed = PARTS.replace("BookParts", "BookFields");
    client.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": parts, "version": 2}, "contentChanges": [{"text": renamed}]}),
    );
    assert_eq!(pull(&mut client, &parts), Vec::<Value>::new());
    let refresh = client.take(|m| m["method"] == "workspace/diagnostic/refresh");
    assert!(
        refresh.is_some(),
        "a refresh request after the fragment changed"
    );
    let items = pull(&mut client, &query);
    assert_eq!(items.len(), 1, "{items:#?}");
    assert_eq!(items[0]["code"], "UNKNOWN_FRAGMENT", "{items:#?}");
    assert_eq!(items[0]["range"], range((2, 7), (2, 16)));

    // Completion after `...` offers the project's fragment that fits, and snippets elsewhere.
    let typing = "query Q {\n  book(id: 1) {\n    ...\n  }\n}\n";
    client.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": query, "version": 2}, "contentChanges": [{"text": typing}]}),
    );
    let items = client.request("textDocument/completion", at(&query, 2, 7))["result"].clone();
    let labels: Vec<&str> = items
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["label"].as_str().unwrap())
        .collect();
    assert_eq!(labels, ["BookFields", "on"], "{items:#}");
    // In the middle of a name: the whole name is replaced.
    let items = client.request("textDocument/completion", at(&query, 1, 4))["result"].clone();
    let book = items
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["label"] == "book")
        .unwrap()
        .clone();
    assert_eq!(book["insertTextFormat"], 2, "a snippet");
    assert_eq!(book["textEdit"]["newText"], "book(id: $1) {\n\t$0\n}");
    assert_eq!(book["textEdit"]["range"], range((1, 2), (1, 6)));
    assert_eq!(book["detail"], "Book");
    client.finish();
}

#[test]
fn definition_in_the_bundled_schema_opens_a_read_only_copy() {
    let dir = temp_dir("bundled");
    let cache = dir.join("cache");
    let uri = uri_of(&dir.join("run.graphql"));
    let text = "query {\n  executeWorkflow(workflowId: \"a\", payload: {}) { status }\n}\n";
    let mut client = LspClient::start(&["lsp"], &[("FLOWQL_CACHE_DIR", cache.to_str().unwrap())]);
    client.initialize(&["utf-16"]);
    open(&mut client, &uri, text);
    client.diagnostics(&uri, 1);
    let found = client.request("textDocument/definition", at(&uri, 1, 4))["result"].clone();
    let target = found["uri"].as_str().unwrap();
    let path = PathBuf::from(target.strip_prefix("file://").unwrap());
    assert!(path.starts_with(cache.join("sdl")), "{path:?}");
    assert!(std::fs::metadata(&path).unwrap().permissions().readonly());
    let sdl = std::fs::read_to_string(&path).unwrap();
    let (line, column) = position_of(&sdl, "executeWorkflow(");
    assert_eq!(found["range"], range((line, column), (line, column + 15)));
    // The same copy the next time; the result type leads into it too.
    let again = client.request("textDocument/definition", at(&uri, 1, 4))["result"].clone();
    assert_eq!(again["uri"], found["uri"]);
    let status = client.request("textDocument/definition", at(&uri, 1, 53))["result"].clone();
    assert_eq!(status["uri"], found["uri"]);
    client.finish();
}

#[test]
fn graphql_quick_fixes_arrive_as_code_actions_with_tags() {
    let dir = project("fixes");
    let uri = uri_of(&dir.join("ops/fix.graphql"));
    let text = "query Q($unused: Int) {\n  allBooks { id }\n  bok(id: 1) { id }\n}\n";
    let mut client = LspClient::start(&["lsp"], &[]);
    client.initialize(&["utf-16"]);
    open(&mut client, &uri, text);
    let diagnostics = client.diagnostics(&uri, 1);
    let by_code = |code: &str| -> Value {
        diagnostics
            .iter()
            .find(|d| d["code"] == code)
            .unwrap_or_else(|| panic!("{code} in {diagnostics:#?}"))
            .clone()
    };
    assert_eq!(by_code("DEPRECATED_USAGE")["tags"], json!([2]));
    assert_eq!(by_code("UNUSED_VARIABLE")["tags"], json!([1]));
    let unknown = by_code("UNKNOWN_FIELD");
    let actions = client.code_actions(&uri, &unknown);
    assert_eq!(actions[0]["title"], "Change `bok` to `book`");
    assert_eq!(actions[0]["isPreferred"], true);
    assert_eq!(
        actions[0]["edit"]["changes"][&uri],
        json!([{"range": range((2, 2), (2, 5)), "newText": "book"}])
    );
    let unused = by_code("UNUSED_VARIABLE");
    let actions = client.code_actions(&uri, &unused);
    assert_eq!(
        actions[0]["edit"]["changes"][&uri],
        json!([{"range": range((0, 7), (0, 21)), "newText": ""}])
    );
    client.finish();
}

#[test]
fn semantic_tokens_and_formatting() {
    let uri = "file:///tmp/flowql-nav-tokens/run.graphql";
    let text = "# é\nquery Run($id: String!) {\n  executeWorkflow(workflowId: $id,payload:{a:\"é\"}){status}\n}\n";
    let mut client = LspClient::start(&["lsp"], &[]);
    let answer = client.initialize(&["utf-16"]);
    let provider = &answer["result"]["capabilities"]["semanticTokensProvider"];
    let legend: Vec<&str> = provider["legend"]["tokenTypes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t.as_str().unwrap())
        .collect();
    assert_eq!(provider["range"], true);
    open(&mut client, uri, text);
    let data = client.request(
        "textDocument/semanticTokens/full",
        json!({"textDocument": {"uri": uri}}),
    )["result"]["data"]
        .clone();
    let data: Vec<u64> = data
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_u64().unwrap())
        .collect();
    // Decode the relative encoding: (line, column, length, type name).
    let mut decoded = Vec::new();
    let (mut line, mut column) = (0, 0);
    for chunk in data.chunks(5) {
        if chunk[0] > 0 {
            column = 0;
        }
        line += chunk[0];
        column += chunk[1];
        decoded.push((line, column, chunk[2], legend[chunk[3] as usize]));
    }
    assert_eq!(decoded[0], (0, 0, 3, "comment"), "UTF-16 length of `# é`");
    assert!(decoded.contains(&(1, 10, 3, "variable")), "{decoded:?}");
    assert!(decoded.contains(&(2, 2, 15, "property")), "{decoded:?}");
    // `"é"` after the multi-byte character: UTF-16 units.
    assert!(decoded.contains(&(2, 45, 3, "string")), "{decoded:?}");
    let ranged = client.request(
        "textDocument/semanticTokens/range",
        json!({"textDocument": {"uri": uri}, "range": range((1, 0), (1, 30))}),
    )["result"]["data"]
        .clone();
    assert_eq!(
        ranged.as_array().unwrap().len() / 5,
        4,
        "query Run $id String"
    );

    let edits = client.request(
        "textDocument/formatting",
        json!({"textDocument": {"uri": uri}, "options": {"tabSize": 4, "insertSpaces": true}}),
    )["result"]
        .clone();
    assert_eq!(
        edits[0]["newText"],
        "# é\nquery Run($id: String!) {\n  executeWorkflow(workflowId: $id, payload: { a: \"é\" }) { status }\n}\n"
    );
    assert_eq!(edits[0]["range"], range((0, 0), (4, 0)));
    let edits = client.request(
        "textDocument/rangeFormatting",
        json!({"textDocument": {"uri": uri}, "range": range((2, 0), (2, 10)),
               "options": {"tabSize": 2, "insertSpaces": true}}),
    )["result"]
        .clone();
    assert_eq!(
        edits,
        json!([{"range": range((2, 0), (2, 58)),
                "newText": "  executeWorkflow(workflowId: $id, payload: { a: \"é\" }) { status }"}])
    );
    client.finish();
}
