//! Running flows from the editor, over stdio against the fake platform: the "Run" lens of each
//! call, `flowql.runFlow` for a realtime and an async flow with progress, a payload asked for
//! when the call does not write one out, a payload the flow would reject not sent, a run
//! cancelled from its progress report, and a saved answer explained. Nothing is sent unless
//! a run is asked for.

mod support;

use std::path::Path;
use std::time::Duration;

use serde_json::{json, Value};
use support::fake_platform::{FakePlatform, API_KEY};
use support::kit_cli::write;
use support::lsp_client::LspClient;
use support::run_kit::kit;

fn open(dir: &Path, file: &str, language: &str) -> (LspClient, String) {
    let path = dir.join(file);
    let uri = format!("file://{}", path.display());
    let text = std::fs::read_to_string(&path).unwrap();
    let mut client = LspClient::start(&["lsp"], &[]);
    client.initialize_with(
        json!({"general": {"positionEncodings": ["utf-16"]}, "window": {"workDoneProgress": true}}),
        json!(null),
    );
    client.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": uri, "languageId": language, "version": 1, "text": text}}),
    );
    if language != "json" {
        // A JSON file that is no payload file gets no diagnostics at all.
        let _ = client.diagnostics(&uri, 1);
    }
    (client, uri)
}

fn lenses(client: &mut LspClient, uri: &str) -> Vec<Value> {
    client.request(
        "textDocument/codeLens",
        json!({"textDocument": {"uri": uri}}),
    )["result"]
        .as_array()
        .cloned()
        .unwrap_or_default()
}

/// Runs `flowql.runFlow` as the lens's `flowql.run` does: at the position the lens gives.
fn run_at(client: &mut LspClient, uri: &str, lens: &Value, extra: Value) -> Value {
    let mut args = json!({"uri": uri, "position": lens["command"]["arguments"][1]});
    if let (Some(args), Some(extra)) = (args.as_object_mut(), extra.as_object()) {
        args.extend(extra.clone());
    }
    let response = client.request(
        "workspace/executeCommand",
        json!({"command": "flowql.runFlow", "arguments": [args]}),
    );
    assert!(response.get("error").is_none(), "{response}");
    response["result"].clone()
}

#[test]
fn run_lenses_run_calls_with_progress_and_nothing_runs_unasked() {
    let fake = FakePlatform::start();
    let dir = kit("lsp-lenses", &fake);
    let (mut client, uri) = open(&dir, "app/route.ts", "typescript");
    let lenses = lenses(&mut client, &uri);
    let runs: Vec<&Value> = lenses
        .iter()
        .filter(|l| l["command"]["title"] == "Run")
        .collect();
    // Every call's flow id is known (each reads a step's envKey): four Run lenses.
    let lines: Vec<u64> = runs
        .iter()
        .map(|l| l["range"]["start"]["line"].as_u64().unwrap())
        .collect();
    assert_eq!(lines, vec![4, 8, 12, 16], "{lenses:?}");
    assert_eq!(runs[0]["command"]["command"], "flowql.run");
    assert_eq!(runs[0]["command"]["arguments"][0], uri.as_str());
    assert!(
        fake.seen_running("executeWorkflow").is_empty(),
        "opening and lenses send no run"
    );
    // The realtime call, as the lens asks.
    let result = run_at(&mut client, &uri, runs[0], json!({}));
    assert_eq!(result["kind"], "report", "{result}");
    assert_eq!(result["outcome"], "finished");
    let markdown = result["markdown"].as_str().unwrap();
    assert!(
        markdown.contains("**Finished**") && markdown.contains("A short summary."),
        "{markdown}"
    );
    assert_eq!(fake.seen_running("executeWorkflow").len(), 1);
    // The async call: polled, with progress reports along the way.
    let result = run_at(&mut client, &uri, runs[1], json!({}));
    assert_eq!(result["outcome"], "finished", "{result}");
    assert!(result["markdown"]
        .as_str()
        .unwrap()
        .contains("3 `checkStatus` polls"));
    let progress = client.drain("$/progress");
    let messages: Vec<&str> = progress
        .iter()
        .filter_map(|p| p["params"]["value"]["message"].as_str())
        .collect();
    assert!(
        messages.iter().any(|m| m.contains("still running")),
        "{messages:?}"
    );
    let begin = progress
        .iter()
        .find(|p| run_progress(p, "begin"))
        .expect("the run's progress report begins");
    assert_eq!(begin["params"]["value"]["cancellable"], true);
    // The payload is only known at run time: the editor is asked for one, then it runs.
    let result = run_at(&mut client, &uri, runs[2], json!({}));
    assert_eq!(result["kind"], "needsPayload", "{result}");
    assert!(result["reason"]
        .as_str()
        .unwrap()
        .contains("when the app runs"));
    let result = run_at(
        &mut client,
        &uri,
        runs[2],
        json!({"payload": {"url": "https://given.example", "maxWords": 3}}),
    );
    assert_eq!(result["outcome"], "finished", "{result}");
    assert!(result["markdown"]
        .as_str()
        .unwrap()
        .contains("given.example"));
    // The flow would reject the payload: not sent, unless the user insists.
    let before = fake.seen_running("executeWorkflow").len();
    let result = run_at(&mut client, &uri, runs[3], json!({}));
    assert_eq!(
        (result["kind"].as_str(), result["canForce"].as_bool()),
        (Some("notSent"), Some(true))
    );
    assert!(result["markdown"]
        .as_str()
        .unwrap()
        .contains("PAYLOAD_TYPE_MISMATCH"));
    assert_eq!(fake.seen_running("executeWorkflow").len(), before);
    let result = run_at(&mut client, &uri, runs[3], json!({"anyway": true}));
    assert_eq!(result["outcome"], "finished", "{result}");
    assert_eq!(fake.seen_running("executeWorkflow").len(), before + 1);
    // The server logs at `info` here; the key is in no line of it.
    let log = client.stderr.lock().unwrap().clone();
    assert!(log.contains("flowql") && !log.contains(API_KEY), "{log}");
    client.finish();
}

/// A run's progress report, `kind` `begin` or `end`.
fn run_progress(m: &Value, kind: &str) -> bool {
    m["method"] == "$/progress"
        && m["params"]["value"]["kind"] == kind
        && m["params"]["token"]
            .as_str()
            .is_some_and(|t| t.starts_with("flowql/run/"))
}

/// A server running the flow that never ends, as request `id`, once a poll said it goes on:
/// the fake, the client and the run's progress token.
fn endless_run(name: &str, id: u64) -> (FakePlatform, LspClient, Value) {
    let fake = FakePlatform::start();
    let dir = kit(name, &fake);
    write(
        &dir,
        "app/forever.ts",
        "import { lamatic } from \"./client\";\nexport const f = () =>\n  lamatic.executeFlow(process.env.FOREVER_FLOW_ID!, { url: \"https://x.example\", maxWords: 1 });\n",
    );
    let (mut client, uri) = open(&dir, "app/forever.ts", "typescript");
    client.send(
        &json!({"jsonrpc": "2.0", "id": id, "method": "workspace/executeCommand",
        "params": {"command": "flowql.runFlow",
                   "arguments": [{"uri": uri, "position": {"line": 2, "character": 4}}]}}),
    );
    let begin = client
        .take(|m| run_progress(m, "begin"))
        .expect("the run reports progress");
    // Wait until the platform has accepted the run and one poll said it goes on.
    client
        .take(|m| {
            m["method"] == "$/progress"
                && m["params"]["value"]["message"]
                    .as_str()
                    .is_some_and(|s| s.contains("still running"))
        })
        .expect("a poll says the run goes on");
    (fake, client, begin["params"]["token"].clone())
}

/// No poll comes within 4 s (more than a poll's interval).
fn assert_no_more_polls(fake: &FakePlatform) {
    let polls = fake.seen_running("checkStatus").len();
    std::thread::sleep(Duration::from_secs(4));
    assert_eq!(
        fake.seen_running("checkStatus").len(),
        polls,
        "no poll after the cancel"
    );
}

#[test]
fn a_run_is_cancelled_from_its_progress_report() {
    let (fake, mut client, token) = endless_run("lsp-cancel", 900);
    client.notify("window/workDoneProgress/cancel", json!({"token": token}));
    let response = client
        .take(|m| m["id"] == 900 && m.get("method").is_none())
        .expect("the run answers once cancelled");
    assert_eq!(response["result"]["outcome"], "cancelled", "{response}");
    assert_no_more_polls(&fake);
    client.finish();
}

#[test]
fn a_run_is_cancelled_with_its_request() {
    let (fake, mut client, _) = endless_run("lsp-cancel-request", 901);
    // What Neovim's :FlowqlCancel and an editor's own cancellation send.
    client.notify("$/cancelRequest", json!({"id": 901}));
    let response = client
        .take(|m| m["id"] == 901 && m.get("method").is_none())
        .expect("the request is answered once cancelled");
    assert_eq!(response["error"]["code"], -32800, "{response}");
    // Its progress report ends too, or the editor would show it running.
    client
        .take(|m| run_progress(m, "end"))
        .expect("the progress report ends");
    assert_no_more_polls(&fake);
    client.finish();
}

#[test]
fn a_saved_answer_is_explained_from_its_lens() {
    let fake = FakePlatform::start();
    let dir = kit("lsp-answer", &fake);
    write(
        &dir,
        "logs/answer.json",
        r#"{"data":{"executeWorkflow":null},"errors":[{"message":"Workflow 123 not found","extensions":{"code":"NOT_FOUND"}}]}"#,
    );
    write(&dir, "logs/other.json", r#"{"name": "not an answer"}"#);
    let (mut client, uri) = open(&dir, "logs/answer.json", "json");
    let lenses = lenses(&mut client, &uri);
    assert_eq!(lenses.len(), 1, "{lenses:?}");
    assert_eq!(lenses[0]["command"]["title"], "Explain this answer");
    assert_eq!(lenses[0]["command"]["command"], "flowql.explainAnswer");
    let response = client.request(
        "workspace/executeCommand",
        json!({"command": "flowql.explainResponse", "arguments": [uri]}),
    );
    let markdown = response["result"]["markdown"].as_str().unwrap();
    assert!(
        markdown.contains("`FLOW_NOT_FOUND` (HTTP 404)"),
        "{markdown}"
    );
    assert!(markdown.contains("**Fix:**"), "{markdown}");
    assert_eq!(response["result"]["outcome"], "failed");
    let other = format!("file://{}", dir.join("logs/other.json").display());
    let text = std::fs::read_to_string(dir.join("logs/other.json")).unwrap();
    client.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": other, "languageId": "json", "version": 1, "text": text}}),
    );
    assert!(self::lenses(&mut client, &other).is_empty());
    assert!(fake.seen_running("executeWorkflow").is_empty());
    client.finish();
}
