//! `flowql/status` (request and notification) and `flowql.explain`, through the real binary and
//! the fake platform on 127.0.0.1: what the editors' status items show.

mod support;

use std::path::PathBuf;

use serde_json::{json, Value};
use support::fake_platform::{FakePlatform, API_KEY, PROJECT_ID};
use support::lsp_client::LspClient;

fn project(name: &str, fake: &FakePlatform, key: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("flowql-lsp-status-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let config = format!(
        "extensions:\n  flowql:\n    cacheDir: {}\n    endpoint: {}\n    projectId: {PROJECT_ID}\n    apiKey: ${{FLOWQL_TEST_KEY}}\n",
        dir.join("cache").display(),
        fake.url()
    );
    std::fs::write(dir.join(".graphqlrc.yml"), config).unwrap();
    std::fs::write(dir.join(".env"), format!("FLOWQL_TEST_KEY={key}\n")).unwrap();
    dir
}

fn start(experimental: Value) -> LspClient {
    let mut client = LspClient::start(&["lsp"], &[("FLOWQL_FETCH_WAIT_MS", "10")]);
    client.initialize_with(json!({ "experimental": experimental }), json!(null));
    client
}

fn open(client: &mut LspClient, uri: &str) {
    client.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": uri, "languageId": "graphql", "version": 1,
            "text": "query { checkStatus(requestId: \"r\") }\n"}}),
    );
}

fn next_status(client: &mut LspClient, check: impl Fn(&Value) -> bool) -> Value {
    client
        .take(|m| m["method"] == "flowql/status" && check(&m["params"]["status"]))
        .expect("a flowql/status notification")["params"]
        .clone()
}

#[test]
fn the_status_goes_from_bundled_to_live_and_then_reads_from_the_cache() {
    let fake = FakePlatform::start();
    let dir = project("live", &fake, API_KEY);
    let uri = format!("file://{}", dir.join("a.graphql").display());
    let mut client = start(json!({"flowqlStatus": true}));
    open(&mut client, &uri);

    let first = next_status(&mut client, |_| true);
    assert_eq!(first["uri"], uri.as_str());
    assert_eq!(first["status"]["schema"]["kind"], "bundled");
    assert_eq!(
        first["status"]["config"],
        dir.join(".graphqlrc.yml").display().to_string()
    );
    let live = next_status(&mut client, |s| s["schema"]["kind"] == "live");
    assert_eq!(live["status"]["schema"]["endpoint"], fake.url().as_str());
    assert_eq!(live["status"]["schema"]["lastError"], Value::Null);

    // The request answers the same for a document, and the editor's own folder otherwise.
    let asked = client.request("flowql/status", json!({"uri": uri}));
    assert_eq!(asked["result"]["schema"]["kind"], "live", "{asked}");
    let no_uri = client.request("flowql/status", json!(null));
    assert!(no_uri["result"]["schema"]["kind"].is_string(), "{no_uri}");
    client.finish();

    // A new server finds the copy in the cache: not live, but cached, with its age.
    let mut client = start(json!({"flowqlStatus": true}));
    open(&mut client, &uri);
    let cached = next_status(&mut client, |_| true);
    assert_eq!(cached["status"]["schema"]["kind"], "cache");
    assert!(cached["status"]["schema"]["summary"]
        .as_str()
        .unwrap()
        .starts_with("cached "));
    assert_eq!(fake.requests(), 1);
    client.finish();
}

#[test]
fn a_failed_fetch_is_in_the_status_without_the_key() {
    let fake = FakePlatform::start();
    let dir = project("refused", &fake, "lt-wrong-key-123456");
    let uri = format!("file://{}", dir.join("a.graphql").display());
    let mut client = start(json!({"flowqlStatus": true}));
    open(&mut client, &uri);
    let failed = next_status(&mut client, |s| !s["schema"]["lastError"].is_null());
    let error = &failed["status"]["schema"]["lastError"];
    assert_eq!(error["code"], "UNAUTHORIZED");
    assert!(error["status"].as_str().unwrap().contains("401"), "{error}");
    assert!(!failed.to_string().contains("lt-wrong-key"));
    assert_eq!(failed["status"]["schema"]["kind"], "bundled");
    client.finish();
}

#[test]
fn without_the_capability_no_status_is_sent_and_explain_answers() {
    let fake = FakePlatform::start();
    let dir = project("quiet", &fake, API_KEY);
    let uri = format!("file://{}", dir.join("a.graphql").display());
    let mut client = start(json!({}));
    open(&mut client, &uri);
    client.diagnostics(&uri, 1);
    let status = client.take_within(std::time::Duration::from_millis(500), |m| {
        m["method"] == "flowql/status"
    });
    assert!(status.is_none(), "{status:?}");

    let one = client.request(
        "workspace/executeCommand",
        json!({"command": "flowql.explain", "arguments": ["RATE_LIMITED"]}),
    );
    let text = one["result"].as_str().unwrap();
    assert!(
        text.starts_with("# `RATE_LIMITED`") && text.contains("429"),
        "{text}"
    );
    let all = client.request(
        "workspace/executeCommand",
        json!({"command": "flowql.explain", "arguments": []}),
    );
    assert!(all["result"].as_array().unwrap().len() > 20);
    let unknown = client.request(
        "workspace/executeCommand",
        json!({"command": "flowql.explain", "arguments": ["NOPE"]}),
    );
    assert!(unknown["error"]["message"]
        .as_str()
        .unwrap()
        .contains("NOPE"));
    client.finish();
}
