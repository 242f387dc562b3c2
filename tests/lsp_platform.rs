//! The server against the fake platform on 127.0.0.1, through the real binary: background
//! fetches with progress, re-validation when the schema arrives, failures shown once and on the
//! configuration file at the key to change, the refresh command, offline mode, the quick fix
//! that moves a literal key into `.env`, and the disk cache.

mod support;

use std::path::PathBuf;

use serde_json::{json, Value};
use support::fake_platform::{FakePlatform, Mode, API_KEY, PROJECT_ID};
use support::lsp_client::LspClient;

/// The platform schema plus one field, so a test can tell the fetched schema from the bundled.
fn served_sdl() -> String {
    flowql::schema::BUNDLED_SDL.replace("type Query {", "type Query {\n  ping: String")
}

struct Project {
    dir: PathBuf,
}

impl Project {
    fn new(name: &str, flowql_settings: &str, dotenv: &str) -> Project {
        let dir =
            std::env::temp_dir().join(format!("flowql-lsp-platform-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        let config = format!(
            "documents: '*.graphql'\nextensions:\n  flowql:\n    cacheDir: {}\n{flowql_settings}",
            dir.join("cache").display()
        );
        std::fs::write(dir.join(".graphqlrc.yml"), config).unwrap();
        std::fs::write(dir.join(".env"), dotenv).unwrap();
        Project { dir }
    }

    fn uri(&self, name: &str) -> String {
        format!("file://{}", self.dir.join(name).display())
    }

    fn config_uri(&self) -> String {
        self.uri(".graphqlrc.yml")
    }

    fn config_text(&self) -> String {
        std::fs::read_to_string(self.dir.join(".graphqlrc.yml")).unwrap()
    }
}

fn start() -> LspClient {
    let mut client = LspClient::start(
        &["lsp"],
        &[
            ("FLOWQL_FETCH_WAIT_MS", "10"),
            ("FLOWQL_FETCH_TIMEOUT_MS", "3000"),
        ],
    );
    client.initialize_with(
        json!({"window": {"workDoneProgress": true}, "workspace": {"didChangeWatchedFiles": {"dynamicRegistration": true}}}),
        json!(null),
    );
    client
}

fn open(client: &mut LspClient, uri: &str, text: &str) {
    client.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": uri, "languageId": "graphql", "version": 1, "text": text}}),
    );
}

/// Opens a document of the project holding one `checkStatus` query; returns its URI.
fn open_status_query(client: &mut LspClient, project: &Project, name: &str) -> String {
    let uri = project.uri(name);
    open(client, &uri, "query { checkStatus(requestId: \"r\") }\n");
    uri
}

/// Waits for a publication for `uri` that satisfies `check`.
fn wait_for(client: &mut LspClient, uri: &str, check: impl Fn(&[Value]) -> bool) -> Vec<Value> {
    let message = client
        .take(|m| {
            m["method"] == "textDocument/publishDiagnostics"
                && m["params"]["uri"] == uri
                && check(m["params"]["diagnostics"].as_array().unwrap())
        })
        .unwrap_or_else(|| {
            panic!(
                "no matching diagnostics for {uri}; server log:\n{}",
                client.stderr.lock().unwrap()
            )
        });
    message["params"]["diagnostics"].as_array().unwrap().clone()
}

fn codes(diagnostics: &[Value]) -> Vec<&str> {
    diagnostics
        .iter()
        .map(|d| d["code"].as_str().unwrap())
        .collect()
}

fn settings(fake: &FakePlatform) -> String {
    format!(
        "    endpoint: {}\n    projectId: ${{FLOWQL_TEST_PROJECT}}\n    apiKey: ${{FLOWQL_TEST_KEY}}\n",
        fake.url()
    )
}

fn dotenv(key: &str) -> String {
    format!("FLOWQL_TEST_PROJECT={PROJECT_ID}\nFLOWQL_TEST_KEY={key}\n")
}

#[test]
fn the_schema_is_fetched_in_the_background_and_documents_are_checked_again() {
    let fake = FakePlatform::start();
    fake.set_schema(&served_sdl());
    let project = Project::new("fetch", &settings(&fake), &dotenv(API_KEY));
    let mut client = start();
    let uri = project.uri("ping.graphql");
    open(&mut client, &uri, "query Ping { ping }\n");

    // First against the bundled schema (no cache yet), then against the fetched one.
    let first = wait_for(&mut client, &uri, |_| true);
    assert_eq!(codes(&first), vec!["UNKNOWN_FIELD"]);
    let second = wait_for(&mut client, &uri, |d| d.is_empty());
    assert!(second.is_empty());

    let progress: Vec<Value> = client.drain("$/progress");
    let kinds: Vec<&str> = progress
        .iter()
        .map(|p| p["params"]["value"]["kind"].as_str().unwrap())
        .collect();
    assert_eq!(kinds, vec!["begin", "end"], "{progress:#?}");
    assert_eq!(client.drain("window/workDoneProgress/create").len(), 1);
    assert_eq!(client.drain("client/registerCapability").len(), 1);

    let seen = fake.seen();
    assert_eq!(seen.len(), 1, "one fetch");
    assert_eq!(
        seen[0].authorization.as_deref(),
        Some(format!("Bearer {API_KEY}").as_str())
    );
    assert_eq!(seen[0].project_id.as_deref(), Some(PROJECT_ID));

    let cached: Vec<PathBuf> = std::fs::read_dir(project.dir.join("cache"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    assert_eq!(cached.len(), 1);
    let text = std::fs::read_to_string(&cached[0]).unwrap();
    assert!(text.contains("ping") && !text.contains(API_KEY));
    assert!(client.drain("window/showMessage").is_empty());
    client.finish();

    // A new server starts from the cache: the first diagnostics already know `ping`, and the
    // fresh copy is not fetched again.
    let mut client = start();
    open(&mut client, &uri, "query Ping { ping }\n");
    assert!(wait_for(&mut client, &uri, |_| true).is_empty());
    assert_eq!(fake.requests(), 1);
    client.finish();
}

#[test]
fn a_refused_key_is_shown_once_and_on_the_config_file() {
    let fake = FakePlatform::start();
    let project = Project::new("refused", &settings(&fake), &dotenv("lt-wrong-key-000000"));
    let mut client = start();
    let uri = open_status_query(&mut client, &project, "run.graphql");
    wait_for(&mut client, &uri, |_| true);

    let config = wait_for(&mut client, &project.config_uri(), |d| !d.is_empty());
    assert_eq!(codes(&config), vec!["UNAUTHORIZED"]);
    let line = project
        .config_text()
        .lines()
        .position(|l| l.contains("apiKey"))
        .unwrap();
    assert_eq!(
        config[0]["range"]["start"]["line"], line,
        "at the apiKey line"
    );
    let message = config[0]["message"].as_str().unwrap();
    assert!(
        message.contains("401") && message.contains("bundled"),
        "{message}"
    );
    assert!(!message.contains("lt-wrong-key"));

    // The document says the bundled schema stands in.
    let doc = wait_for(&mut client, &uri, |d| !d.is_empty());
    assert_eq!(codes(&doc), vec!["SCHEMA_LOAD_FAILED"]);

    // More edits: no more requests within the retry pause, and one message in all.
    for version in 2..=6 {
        client.notify(
            "textDocument/didChange",
            json!({"textDocument": {"uri": uri, "version": version}, "contentChanges": [{"text": format!("query {{ checkStatus(requestId: \"r{version}\") }}\n")}]}),
        );
        client.diagnostics(&uri, version);
    }
    let shown = client.drain("window/showMessage");
    assert_eq!(shown.len(), 1, "{shown:#?}");
    let text = shown[0]["params"]["message"].as_str().unwrap();
    assert!(
        text.contains("UNAUTHORIZED") && text.contains("Settings, API Keys"),
        "{text}"
    );
    assert_eq!(fake.requests(), 1);

    // The key is fixed in `.env`; the refresh command fetches again and the warnings go.
    std::fs::write(project.dir.join(".env"), dotenv(API_KEY)).unwrap();
    let response = client.request(
        "workspace/executeCommand",
        json!({"command": "flowql.refreshSchemas", "arguments": []}),
    );
    assert!(response.get("error").is_none(), "{response}");
    client.drain("$/progress");
    let end = client.take(|m| m["method"] == "$/progress" && m["params"]["value"]["kind"] == "end");
    assert!(end.is_some(), "the refetch reports its end");
    assert_eq!(fake.requests(), 2);
    wait_for(&mut client, &project.config_uri(), |d| d.is_empty());
    wait_for(&mut client, &uri, |d| d.is_empty());
    client.finish();
}

#[test]
fn offline_never_touches_the_network() {
    let fake = FakePlatform::start();
    let settings = format!("{}    offline: true\n", settings(&fake));
    let project = Project::new("offline", &settings, &dotenv(API_KEY));
    let mut client = start();
    let uri = open_status_query(&mut client, &project, "a.graphql");
    assert!(wait_for(&mut client, &uri, |_| true).is_empty());
    let shutdown = client.request("shutdown", json!(null));
    assert_eq!(shutdown["result"], Value::Null);
    client.notify("exit", json!(null));
    assert_eq!(client.wait().code(), Some(0));
    assert_eq!(fake.requests(), 0);
}

#[test]
fn a_literal_key_is_moved_into_dotenv_by_the_quick_fix() {
    let fake = FakePlatform::start();
    fake.set_mode(Mode::Status(503));
    let settings = format!(
        "    endpoint: {}\n    apiKey: lt-literal-key-123456\n    offline: true\n",
        fake.url()
    );
    let project = Project::new("literal", &settings, "OTHER=1");
    let mut client = start();
    open_status_query(&mut client, &project, "a.graphql");
    let config = wait_for(&mut client, &project.config_uri(), |d| !d.is_empty());
    assert_eq!(codes(&config), vec!["LITERAL_SECRET"]);
    assert!(!config[0]["message"]
        .as_str()
        .unwrap()
        .contains("lt-literal-key"));

    let response = client.request(
        "textDocument/codeAction",
        json!({"textDocument": {"uri": project.config_uri()}, "range": config[0]["range"], "context": {"diagnostics": config}}),
    );
    let actions = response["result"].as_array().unwrap();
    assert_eq!(actions.len(), 1);
    assert_eq!(actions[0]["kind"], "quickfix");
    let changes = actions[0]["edit"]["documentChanges"].as_array().unwrap();
    assert_eq!(changes.len(), 2);
    assert_eq!(changes[0]["textDocument"]["uri"], project.config_uri());
    assert_eq!(changes[0]["edits"][0]["newText"], "${FLOWQL_API_KEY}");
    assert_eq!(changes[0]["edits"][0]["range"], config[0]["range"]);
    assert_eq!(changes[1]["textDocument"]["uri"], project.uri(".env"));
    assert_eq!(
        changes[1]["edits"][0]["newText"],
        "\nFLOWQL_API_KEY=lt-literal-key-123456\n"
    );
    assert_eq!(
        changes[1]["edits"][0]["range"]["start"],
        json!({"line": 0, "character": 7})
    );
    client.finish();
}

#[test]
fn unset_variables_are_diagnostics_on_the_config_file() {
    let fake = FakePlatform::start();
    let settings = format!(
        "    endpoint: {}\n    apiKey: ${{FLOWQL_TEST_NEVER_SET}}\n    offline: true\n",
        fake.url()
    );
    let project = Project::new("unset", &settings, "");
    let mut client = start();
    open_status_query(&mut client, &project, "a.graphql");
    let config = wait_for(&mut client, &project.config_uri(), |d| !d.is_empty());
    assert_eq!(codes(&config), vec!["ENV_VAR_UNSET"]);
    let text = project.config_text();
    let line = text
        .lines()
        .position(|l| l.contains("FLOWQL_TEST_NEVER_SET"))
        .unwrap();
    let column = text.lines().nth(line).unwrap().find("${").unwrap();
    assert_eq!(
        config[0]["range"]["start"],
        json!({"line": line, "character": column})
    );
    client.finish();
}

#[test]
fn a_broken_config_file_gets_a_diagnostic_where_it_breaks() {
    let dir =
        std::env::temp_dir().join(format!("flowql-lsp-platform-broken-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(
        dir.join(".graphqlrc.yml"),
        "documents: '*.graphql'\nextensions:\n  flowql: [unclosed\n",
    )
    .unwrap();
    let mut client = start();
    let uri = format!("file://{}", dir.join("a.graphql").display());
    open(
        &mut client,
        &uri,
        "query { checkStatus(requestId: \"r\") }\n",
    );
    let doc = wait_for(&mut client, &uri, |_| true);
    assert_eq!(codes(&doc), vec!["SCHEMA_LOAD_FAILED"]);
    let config_uri = format!("file://{}", dir.join(".graphqlrc.yml").display());
    let config = wait_for(&mut client, &config_uri, |d| !d.is_empty());
    assert_eq!(codes(&config), vec!["CONFIG_INVALID"]);
    assert!(config[0]["message"]
        .as_str()
        .unwrap()
        .contains("not valid YAML"));
    assert!(
        config[0]["range"]["start"]["line"].as_u64().unwrap() >= 2,
        "{config:#?}"
    );

    // Fixed on disk and reported by the watcher: the diagnostic goes.
    std::fs::write(dir.join(".graphqlrc.yml"), "documents: '*.graphql'\n").unwrap();
    client.notify(
        "workspace/didChangeWatchedFiles",
        json!({"changes": [{"uri": config_uri, "type": 2}]}),
    );
    wait_for(&mut client, &config_uri, |d| d.is_empty());
    assert!(wait_for(&mut client, &uri, |_| true).is_empty());
    client.finish();
}

#[test]
fn editor_settings_work_without_a_config_file() {
    let fake = FakePlatform::start();
    fake.set_schema(&served_sdl());
    let dir =
        std::env::temp_dir().join(format!("flowql-lsp-platform-editor-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let mut client = LspClient::start(&["lsp"], &[("FLOWQL_TEST_EDITOR_KEY", API_KEY)]);
    client.initialize_with(
        json!({}),
        json!({"flowql": {
            "endpoint": fake.url(), "projectId": PROJECT_ID, "apiKeyEnv": "FLOWQL_TEST_EDITOR_KEY",
            "cacheDir": dir.join("cache"),
        }}),
    );
    let uri = format!("file://{}", dir.join("ping.graphql").display());
    open(&mut client, &uri, "query Ping { ping }\n");
    wait_for(&mut client, &uri, |d| d.is_empty());
    assert_eq!(
        fake.seen()[0].authorization.as_deref(),
        Some(format!("Bearer {API_KEY}").as_str())
    );

    // New settings: offline, and another cache folder with nothing in it.
    client.notify(
        "workspace/didChangeConfiguration",
        json!({"settings": {"flowql": {"endpoint": fake.url(), "offline": true, "cacheDir": dir.join("empty")}}}),
    );
    wait_for(&mut client, &uri, |d| codes(d) == vec!["UNKNOWN_FIELD"]);
    assert_eq!(fake.requests(), 1);
    client.finish();
}

#[test]
fn a_failed_refresh_keeps_the_cached_copy_and_says_how_old_it_is() {
    let fake = FakePlatform::start();
    fake.set_schema(&served_sdl());
    let project = Project::new("stale", &settings(&fake), &dotenv(API_KEY));
    let mut client = start();
    let uri = project.uri("ping.graphql");
    open(&mut client, &uri, "query Ping { ping }\n");
    wait_for(&mut client, &uri, |d| d.is_empty());

    fake.set_mode(Mode::Status(500));
    let response = client.request(
        "workspace/executeCommand",
        json!({"command": "flowql.refreshSchemas"}),
    );
    assert!(response.get("error").is_none());
    let config = wait_for(&mut client, &project.config_uri(), |d| !d.is_empty());
    assert_eq!(codes(&config), vec!["SERVER_ERROR"]);
    let message = config[0]["message"].as_str().unwrap();
    assert!(
        message.contains("after 4 tries") && message.contains("checking against the copy fetched"),
        "{message}"
    );
    let line = project
        .config_text()
        .lines()
        .position(|l| l.contains("endpoint"))
        .unwrap();
    assert_eq!(config[0]["range"]["start"]["line"], line);

    // The document still uses the cached schema, and its hovers say where it comes from.
    client.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": uri, "version": 2}, "contentChanges": [{"text": "query Ping { ping }\n"}]}),
    );
    assert!(client.diagnostics(&uri, 2).is_empty());
    let hover = client.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": uri}, "position": {"line": 0, "character": 14}}),
    );
    let text = hover["result"]["contents"]["value"].as_str().unwrap();
    assert!(text.contains("Query.ping: String"), "{text}");
    assert!(
        text.contains("_Schema: the schema of http://")
            && text.contains("The last fetch failed")
            && text.contains("SERVER_ERROR"),
        "{text}"
    );
    assert_eq!(fake.requests(), 5, "one fetch, then four tries");
    client.finish();
}

fn rest_settings(fake: &FakePlatform) -> String {
    format!(
        "    restApi: http://{}\n    orgId: {}\n    orgKey: ${{FLOWQL_TEST_ORG_KEY}}\n    projectId: {PROJECT_ID}\n",
        fake.addr,
        support::fake_platform::ORG_ID
    )
}

#[test]
fn flows_come_from_the_organisation_rest_api() {
    let fake = FakePlatform::start();
    let project = Project::new(
        "rest",
        &rest_settings(&fake),
        &format!("FLOWQL_TEST_ORG_KEY={}\n", support::fake_platform::ORG_KEY),
    );
    let mut client = start();
    let uri = project.uri("run.graphql");
    let text = "query { executeWorkflow(workflowId: \"0c6f3b1a-9d2e-4f5a-8b7c-1d2e3f4a5b6c\", payload: { url: 5, maxWords: 10, tags: [] }) { status } }\n";
    open(&mut client, &uri, text);
    // Before the flows arrive nothing is known of them, so nothing is claimed.
    assert!(wait_for(&mut client, &uri, |_| true).is_empty());
    let after = wait_for(&mut client, &uri, |d| !d.is_empty());
    assert_eq!(codes(&after), vec!["PAYLOAD_TYPE_MISMATCH"]);
    assert!(after[0]["message"]
        .as_str()
        .unwrap()
        .contains("Summarize article"));
    let paths: Vec<String> = fake.seen().iter().map(|s| s.path.clone()).collect();
    assert_eq!(paths.len(), 3, "{paths:?}");
    assert!(paths[0].ends_with("/flows"));
    assert!(fake.seen().iter().all(|s| s.authorization.as_deref()
        == Some(format!("Bearer {}", support::fake_platform::ORG_KEY).as_str())));
    client.finish();
}

#[test]
fn a_refused_organisation_key_is_shown_at_org_key() {
    let fake = FakePlatform::start();
    let project = Project::new(
        "rest-refused",
        &rest_settings(&fake),
        "FLOWQL_TEST_ORG_KEY=lt-org-wrong-0000\n",
    );
    let mut client = start();
    open_status_query(&mut client, &project, "run.graphql");
    let config = wait_for(&mut client, &project.config_uri(), |d| !d.is_empty());
    assert_eq!(codes(&config), vec!["UNAUTHORIZED"]);
    let line = project
        .config_text()
        .lines()
        .position(|l| l.contains("orgKey"))
        .unwrap();
    assert_eq!(config[0]["range"]["start"]["line"], line);
    assert!(config[0]["message"]
        .as_str()
        .unwrap()
        .contains("not checked until they can be fetched"));

    // A local export is known, but a flow only the API knows is not claimed missing: a hint
    // says its payload goes unchecked.
    std::fs::create_dir_all(project.dir.join("flows")).unwrap();
    std::fs::write(
        project.dir.join("flows/local.json"),
        r#"{"id": "local-flow", "nodes": [{"data": {"trigger": true, "nodeId": "graphqlNode", "values": {"advance_schema": "{\"a\": \"string\"}"}}}]}"#,
    )
    .unwrap();
    let text = project.config_text().replace(
        "    restApi:",
        "    flowExports: flows/*.json\n    restApi:",
    );
    std::fs::write(project.dir.join(".graphqlrc.yml"), text).unwrap();
    let other = project.uri("other.graphql");
    open(
        &mut client,
        &other,
        "query { a: executeWorkflow(workflowId: \"0c6f3b1a-9d2e-4f5a-8b7c-1d2e3f4a5b6c\", payload: {}) { status } b: executeWorkflow(workflowId: \"local-flow\", payload: { a: 1 }) { status } }\n",
    );
    let diagnostics = wait_for(&mut client, &other, |_| true);
    assert_eq!(
        codes(&diagnostics),
        vec!["FLOW_NOT_IN_PROJECT", "PAYLOAD_TYPE_MISMATCH"],
        "{diagnostics:#?}"
    );
    assert_eq!(diagnostics[0]["severity"], 4, "a hint: {diagnostics:#?}");
    client.finish();
}
