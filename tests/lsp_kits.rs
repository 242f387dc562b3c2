//! A kit-shaped project through the real server, with no configuration: SDK calls' diagnostics
//! at their places, hover on the flow id and on payload keys, completion of payload keys, the
//! payload quick fixes in code, and a flow file changed on disk re-checking its calls. Flows at
//! a glance (hints, lenses, navigation) are in lsp_glance.rs.

mod support;

use std::path::PathBuf;

use serde_json::{json, Value};
use support::kits::{kit_copy, open_the_actions, position_of};
use support::lsp_client::LspClient;

/// A kit written for one test: each `(path, text)` under a fresh temporary folder.
fn temp_kit(name: &str, files: &[(&str, &str)]) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("flowql-lsp-kit-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    for (path, text) in files {
        let path = dir.join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
    dir
}

/// A flow module named `name` whose API trigger declares `schema` (a JSON text, maybe empty).
fn flow_module(name: &str, schema: &str) -> String {
    format!(
        "export const meta = {{ name: {name:?} }};\nexport const nodes = [{{ id: \"triggerNode_1\", type: \"triggerNode\", data: {{ nodeId: \"graphqlNode\", trigger: true, values: {{ advance_schema: {schema:?} }} }} }}];\nexport default {{ meta, nodes }};\n"
    )
}

/// A configuration with one step, `ask`, whose flow id is in `ASK_FLOW_ID`.
const ONE_STEP_CONFIG: &str = "export default { name: \"kit\", steps: [{ id: \"ask\", type: \"mandatory\", envKey: \"ASK_FLOW_ID\" }] };\n";

fn codes(diagnostics: &[Value]) -> Vec<(u64, &str)> {
    diagnostics
        .iter()
        .map(|d| {
            (
                d["range"]["start"]["line"].as_u64().unwrap(),
                d["code"].as_str().unwrap(),
            )
        })
        .collect()
}

#[test]
fn sdk_calls_in_a_kit_are_checked_hovered_completed_and_fixed() {
    let dir = kit_copy("features");
    let (mut client, uri, text, diagnostics) = open_the_actions(&dir);
    assert_eq!(
        codes(&diagnostics),
        [
            (11, "PAYLOAD_TYPE_MISMATCH"),
            (18, "PAYLOAD_MISSING_FIELD"),
            (18, "PAYLOAD_CONSTRAINT"),
            (24, "PAYLOAD_MISSING_FIELD"),
            (34, "FLOW_STEP_MISMATCH"),
        ]
    );

    // Hover on the flow id: the flow, how it was found, its inputs and what it returns.
    let hover = client.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": uri}, "position": position_of(&text, "requireFlowId(\"debate-setup\")", 3)}),
    );
    let markdown = hover["result"]["contents"]["value"].as_str().unwrap();
    for part in [
        "Flow Debate setup",
        "`rounds`: `int`",
        "`positionA`",
        "\"debate-setup\"",
    ] {
        assert!(markdown.contains(part), "{part}: {markdown}");
    }
    // On a call whose flow is only known at run time: why not.
    let hover = client.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": uri}, "position": position_of(&text, "executeFlow(flowId, input)", 13)}),
    );
    let markdown = hover["result"]["contents"]["value"].as_str().unwrap();
    assert!(markdown.contains("cannot tell which flow"), "{markdown}");
    assert!(
        markdown.contains("`flowId` is a parameter of `replay`"),
        "{markdown}"
    );
    // On a payload key: the field, and the diagnostic there.
    let hover = client.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": uri}, "position": position_of(&text, "rounds: \"3\"", 1)}),
    );
    let markdown = hover["result"]["contents"]["value"].as_str().unwrap();
    assert!(markdown.contains("rounds: integer"), "{markdown}");

    // Completion of the keys not written yet, inside the object literal.
    let completion = client.request(
        "textDocument/completion",
        json!({"textDocument": {"uri": uri}, "position": position_of(&text, "{ topic, rounds", 2)}),
    );
    let labels: Vec<&str> = completion["result"]
        .as_array()
        .unwrap_or_else(|| panic!("{completion}"))
        .iter()
        .map(|i| i["label"].as_str().unwrap())
        .collect();
    assert_eq!(labels, ["audience"]);
    // Not after a key's colon.
    let in_value = client.request(
        "textDocument/completion",
        json!({"textDocument": {"uri": uri}, "position": position_of(&text, "\"3\" }", 0)}),
    );
    assert_eq!(in_value["result"], Value::Null, "{in_value}");

    // The quick fix of the quoted number edits the code.
    let actions = client.code_actions(&uri, &diagnostics[0]);
    let titles: Vec<&str> = actions
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["title"].as_str().unwrap())
        .collect();
    assert!(titles.contains(&"Remove the quotes"), "{titles:?}");
    let rename = client.code_actions(&uri, &diagnostics[1]);
    assert!(
        rename
            .to_string()
            .contains("Rename `transcrpt` to `transcript`"),
        "{rename}"
    );

    // The flow file changes on disk: its calls are checked again.
    let flow = dir.join("flows/debate-setup.ts");
    let changed = std::fs::read_to_string(&flow).unwrap().replace(
        "\\\"rounds\\\": \\\"int\\\"",
        "\\\"rounds\\\": \\\"string\\\"",
    );
    assert!(changed.contains("\\\"rounds\\\": \\\"string\\\""));
    std::fs::write(&flow, changed).unwrap();
    client.notify(
        "workspace/didChangeWatchedFiles",
        json!({"changes": [{"uri": format!("file://{}", flow.display()), "type": 2}]}),
    );
    let again = client
        .take(|m| {
            m["method"] == "textDocument/publishDiagnostics"
                && m["params"]["uri"] == uri.as_str()
                && m["params"]["diagnostics"]
                    .as_array()
                    .is_some_and(|d| d.len() == 4)
        })
        .expect("the calls are checked against the changed flow");
    let after: Vec<Value> = again["params"]["diagnostics"].as_array().unwrap().clone();
    assert_eq!(
        codes(&after),
        [
            (18, "PAYLOAD_MISSING_FIELD"),
            (18, "PAYLOAD_CONSTRAINT"),
            (24, "PAYLOAD_MISSING_FIELD"),
            (34, "FLOW_STEP_MISMATCH"),
        ]
    );
    client.finish();
}

#[test]
fn an_unsaved_edit_of_a_flow_file_re_checks_the_calls_that_depend_on_it() {
    let dir = kit_copy("unsaved");
    let app = dir.join("apps/actions/debate.ts");
    let flow = dir.join("flows/debate-setup.ts");
    let (app_uri, flow_uri) = (
        format!("file://{}", app.display()),
        format!("file://{}", flow.display()),
    );
    let app_text = std::fs::read_to_string(&app).unwrap();
    let flow_text = std::fs::read_to_string(&flow).unwrap();
    let mut client = LspClient::start(&["lsp"], &[]);
    client.initialize(&["utf-16"]);
    client.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": app_uri, "languageId": "typescript", "version": 1, "text": app_text}}),
    );
    assert_eq!(
        codes(&client.diagnostics(&app_uri, 1))[0],
        (11, "PAYLOAD_TYPE_MISMATCH")
    );
    client.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": flow_uri, "languageId": "typescript", "version": 1, "text": flow_text}}),
    );
    // `rounds` becomes a string in the buffer, not on disk: `rounds: "3"` is right now.
    let edited = flow_text.replace(
        "\\\"rounds\\\": \\\"int\\\"",
        "\\\"rounds\\\": \\\"string\\\"",
    );
    assert_ne!(edited, flow_text);
    client.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": flow_uri, "version": 2}, "contentChanges": [{"text": edited}]}),
    );
    let without = |client: &mut LspClient, code: &str| {
        client
            .take(|m| {
                m["method"] == "textDocument/publishDiagnostics"
                    && m["params"]["uri"] == app_uri.as_str()
                    && m["params"]["diagnostics"]
                        .as_array()
                        .is_some_and(|d| !d.is_empty() && d.iter().all(|x| x["code"] != code))
            })
            .is_some()
    };
    assert!(
        without(&mut client, "PAYLOAD_TYPE_MISMATCH"),
        "re-checked with the buffer"
    );
    // Closed without saving: the file on disk counts again.
    client.notify(
        "textDocument/didClose",
        json!({"textDocument": {"uri": flow_uri}}),
    );
    let back = client.take(|m| {
        m["method"] == "textDocument/publishDiagnostics"
            && m["params"]["uri"] == app_uri.as_str()
            && m["params"]["diagnostics"]
                .as_array()
                .is_some_and(|d| d.iter().any(|x| x["code"] == "PAYLOAD_TYPE_MISMATCH"))
    });
    assert!(back.is_some(), "the saved flow counts again after close");
    client.finish();
}

/// The diagnostics of the newest `publishDiagnostics` for `uri` that satisfies `wanted`.
fn published(
    client: &mut LspClient,
    uri: &str,
    wanted: impl Fn(&[Value]) -> bool,
) -> Option<Vec<Value>> {
    client
        .take(|m| {
            m["method"] == "textDocument/publishDiagnostics"
                && m["params"]["uri"] == uri
                && m["params"]["diagnostics"]
                    .as_array()
                    .is_some_and(|d| wanted(d))
        })
        .map(|m| m["params"]["diagnostics"].as_array().unwrap().clone())
}

#[test]
fn a_step_no_code_reads_is_flagged_in_the_open_configuration_as_the_code_is_edited() {
    let config_text = "export default {\n  name: \"kit\",\n  steps: [\n    { id: \"ask\", type: \"mandatory\" as const, envKey: \"ASK_FLOW_ID\" },\n    { id: \"tell\", type: \"mandatory\" as const, envKey: \"TELL_FLOW_ID\" },\n  ],\n};\n";
    let misspelt = "export const ask = () => client.executeFlow(process.env.ASK_FLOWID!, {});\nexport const tell = () => client.executeFlow(process.env.TELL_FLOW_ID!, {});\n";
    let dir = temp_kit(
        "steps",
        &[
            ("lamatic.config.ts", config_text),
            ("flows/ask.ts", &flow_module("ask", "")),
            ("flows/tell.ts", &flow_module("tell", "")),
            ("app/run.ts", misspelt),
        ],
    );
    let app = dir.join("app/run.ts");
    let config_uri = format!("file://{}", dir.join("lamatic.config.ts").display());
    let app_uri = format!("file://{}", app.display());

    let mut client = LspClient::start(&["lsp"], &[]);
    client.initialize(&["utf-16"]);
    client.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": config_uri, "languageId": "typescript", "version": 1, "text": config_text}}),
    );
    // The saved code reads `ASK_FLOWID`: the step's envKey is flagged, naming where.
    let diagnostics = client.diagnostics(&config_uri, 1);
    assert_eq!(
        codes(&diagnostics),
        [(3, "FLOW_STEP_MISMATCH")],
        "{diagnostics:#?}"
    );
    let message = diagnostics[0]["message"].as_str().unwrap();
    assert!(
        message.contains("`ASK_FLOW_ID`") && message.contains("`ASK_FLOWID` in app/run.ts"),
        "{message}"
    );
    assert_eq!(
        diagnostics[0]["range"]["start"],
        position_of(config_text, "\"ASK_FLOW_ID\"", 0)
    );
    // The code, opened and mended but not saved: the configuration is checked again with it.
    client.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": app_uri, "languageId": "typescript", "version": 1, "text": misspelt}}),
    );
    client.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": app_uri, "version": 2}, "contentChanges": [{"text": misspelt.replace("ASK_FLOWID", "ASK_FLOW_ID")}]}),
    );
    assert!(
        published(&mut client, &config_uri, |d| d.is_empty()).is_some(),
        "the mended buffer counts"
    );
    // Closed without saving: the saved misspelling counts again.
    client.notify(
        "textDocument/didClose",
        json!({"textDocument": {"uri": app_uri}}),
    );
    let back = published(&mut client, &config_uri, |d| {
        d.iter().any(|x| x["code"] == "FLOW_STEP_MISMATCH")
    });
    assert!(back.is_some(), "the saved file counts after close");
    // Mended on disk: a watched-file change gets the configuration checked again.
    std::fs::write(&app, misspelt.replace("ASK_FLOWID", "ASK_FLOW_ID")).unwrap();
    client.notify(
        "workspace/didChangeWatchedFiles",
        json!({"changes": [{"uri": app_uri, "type": 2}]}),
    );
    assert!(
        published(&mut client, &config_uri, |d| d.is_empty()).is_some(),
        "the saved mend counts"
    );
    client.finish();
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn env_files_get_their_problems_and_the_connection_failures_at_the_names_to_change() {
    use support::fake_platform::{FakePlatform, PROJECT_ID};
    let fake = FakePlatform::start();
    let env_text = format!(
        "LAMATIC_API_URL={}\nLAMATIC_PROJECT_ID={PROJECT_ID}\nLAMATIC_API_KEY=lt-wrong-key-000000\nASK_FLOW_ID=YOUR_ASK_FLOW_ID\nDEFAULT-PRIORITY=3\n",
        fake.url()
    );
    let app_text = "export const ask = () => client.executeFlow(process.env.ASK_FLOW_ID!, {});\n";
    let dir = temp_kit(
        "env",
        &[
            ("lamatic.config.ts", ONE_STEP_CONFIG),
            ("flows/ask.ts", &flow_module("ask", "")),
            (".env", &env_text),
            ("app/run.ts", app_text),
        ],
    );
    let app = dir.join("app/run.ts");
    let env_uri = format!("file://{}", dir.join(".env").display());
    let config_uri = format!("file://{}", dir.join("lamatic.config.ts").display());
    let app_uri = format!("file://{}", app.display());
    let cache = dir.join("cache");
    let mut client = LspClient::start(
        &["lsp"],
        &[
            ("FLOWQL_FETCH_WAIT_MS", "10"),
            ("FLOWQL_FETCH_TIMEOUT_MS", "3000"),
            ("FLOWQL_CACHE_DIR", cache.to_str().unwrap()),
        ],
    );
    client.initialize(&["utf-16"]);
    client.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": app_uri, "languageId": "typescript", "version": 1, "text": app_text}}),
    );
    // `.env` is never opened: its diagnostics come anyway, the refused key's among them once
    // the fetch has failed, each at its line.
    let env = published(&mut client, &env_uri, |d| {
        d.iter().any(|x| x["code"] == "UNAUTHORIZED")
    })
    .unwrap_or_else(|| {
        panic!(
            "no .env diagnostics; server log:\n{}",
            client.stderr.lock().unwrap()
        )
    });
    assert_eq!(
        codes(&env),
        [
            (2, "UNAUTHORIZED"),
            (3, "ENV_FLOW_ID_UNSET"),
            (4, "ENV_LINE_UNREADABLE")
        ],
        "{env:#?}"
    );
    assert_eq!(
        env[1]["range"]["start"],
        position_of(&env_text, "YOUR_ASK_FLOW_ID", 0)
    );
    for diagnostic in &env {
        let message = diagnostic["message"].as_str().unwrap();
        assert!(!message.contains("lt-wrong-key"), "{message}");
    }
    // The kit's configuration is not where the connection is written: nothing lands there.
    assert!(
        client
            .take_within(std::time::Duration::from_millis(300), |m| {
                m["method"] == "textDocument/publishDiagnostics"
                    && m["params"]["uri"] == config_uri.as_str()
            })
            .is_none(),
        "the configuration got the .env's failure"
    );
    // Mended and saved: the watched-file change clears them.
    std::fs::write(
        dir.join(".env"),
        format!(
            "LAMATIC_API_URL={}\nASK_FLOW_ID=3f1c2a9e-0b7d-4c55-9a51-2a7f0c1d9e44\n",
            fake.url()
        ),
    )
    .unwrap();
    client.notify(
        "workspace/didChangeWatchedFiles",
        json!({"changes": [{"uri": env_uri, "type": 2}]}),
    );
    assert!(
        published(&mut client, &env_uri, |d| d.is_empty()).is_some(),
        "the mended .env is clean"
    );
    client.finish();
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_kits_closed_files_have_their_problems_listed_and_cleared_when_fixed() {
    // The platform CLI's layout: YAML config, JSON flows; an editor opens neither with us.
    let config_text =
        "name: desk\nsteps:\n  - id: triage\n    type: mandatory\n    envKey: TRIAGE_FLOW_ID\n";
    let broken = r#"{"name": "triage", "nodes": [{"id": "triggerNode_1", "type": "triggerNode", "data": {"nodeId": "graphqlNode", "trigger": true, "values": {"advance_schema": "{\"ticket\": "}}}]}"#;
    let app_text = "client.execute_flow(os.environ[\"TRIAGE_FLOW_ID\"], {\"ticket\": \"t\"})\n";
    let dir = temp_kit(
        "closed",
        &[
            ("lamatic.config.yaml", config_text),
            (".env.example", "LAMATIC_API_KEY=YOUR_KEY\n"),
            ("flows/triage.json", broken),
            ("app/main.py", app_text),
        ],
    );
    let uri = |p: &str| format!("file://{}", dir.join(p).display());
    let mut client = LspClient::start(&["lsp"], &[]);
    client.initialize(&["utf-16"]);
    client.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": uri("app/main.py"), "languageId": "python", "version": 1, "text": app_text}}),
    );
    let config = published(&mut client, &uri("lamatic.config.yaml"), |d| !d.is_empty())
        .expect("the closed config's problems");
    assert_eq!(codes(&config), [(4, "ENV_KEY_UNDOCUMENTED")], "{config:#?}");
    let flow = published(&mut client, &uri("flows/triage.json"), |d| !d.is_empty())
        .expect("the closed flow's problems");
    assert_eq!(codes(&flow)[0].1, "FLOW_SCHEMA_INVALID", "{flow:#?}");
    // Both fixed on disk: their diagnostics are cleared.
    std::fs::write(
        dir.join(".env.example"),
        "LAMATIC_API_KEY=YOUR_KEY\nTRIAGE_FLOW_ID=YOUR_TRIAGE_FLOW_ID\n",
    )
    .unwrap();
    std::fs::write(
        dir.join("flows/triage.json"),
        broken.replace(r#"{\"ticket\": "}"#, r#"{\"ticket\": \"string\"}"}"#),
    )
    .unwrap();
    client.notify(
        "workspace/didChangeWatchedFiles",
        json!({"changes": [{"uri": uri("flows/triage.json"), "type": 2}]}),
    );
    assert!(published(&mut client, &uri("lamatic.config.yaml"), |d| d.is_empty()).is_some());
    assert!(published(&mut client, &uri("flows/triage.json"), |d| d.is_empty()).is_some());
    client.finish();
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_raw_querys_flow_id_hovers_as_the_flow_its_variables_name() {
    let text = "const workflowId = process.env.ASK_FLOW_ID;\nexport const ask = (question: string) => post({\n  query: `query Ask($workflowId: String!, $question: String!) { executeWorkflow(workflowId: $workflowId, payload: { question: $question }) { status } }`,\n  variables: { workflowId, question },\n});\n";
    let dir = temp_kit(
        "raw",
        &[
            ("lamatic.config.ts", ONE_STEP_CONFIG),
            (
                "flows/ask.ts",
                &flow_module("Ask a question", r#"{"question": "string"}"#),
            ),
            ("route.ts", text),
        ],
    );
    let path = dir.join("route.ts");
    let uri = format!("file://{}", path.display());
    let mut client = LspClient::start(&["lsp"], &[]);
    client.initialize(&["utf-16"]);
    client.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": uri, "languageId": "typescript", "version": 1, "text": text}}),
    );
    assert_eq!(client.diagnostics(&uri, 1), Vec::<Value>::new());
    let hover = client.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": uri}, "position": position_of(text, "workflowId: $workflowId", 14)}),
    );
    let markdown = hover["result"]["contents"]["value"]
        .as_str()
        .unwrap_or_default();
    assert!(
        markdown.contains("Ask a question") && markdown.contains("ASK_FLOW_ID"),
        "{hover:#}"
    );
    client.finish();
    let _ = std::fs::remove_dir_all(&dir);
}
