//! Flows at a glance through the real server, on a copy of the example kit: inlay hints with
//! the flow's name after each flow id, go to definition to the flow's trigger, references from
//! a flow file to its calls, flows as workspace symbols, and the code lenses over calls and
//! over flow files.

mod support;

use serde_json::{json, Value};
use support::kits::{kit_copy, open_the_actions, position_of};
use support::lsp_client::LspClient;

#[test]
fn flow_ids_show_their_flows_name_and_lead_to_its_trigger() {
    let dir = kit_copy("glance");
    let (mut client, uri, text, _) = open_the_actions(&dir);
    let lines = text.lines().count();
    let whole =
        json!({"start": {"line": 0, "character": 0}, "end": {"line": lines, "character": 0}});
    let hints = |client: &mut LspClient| {
        client.request(
            "textDocument/inlayHint",
            json!({"textDocument": {"uri": uri}, "range": whole}),
        )["result"]
            .as_array()
            .cloned()
            .unwrap_or_default()
    };
    let found = hints(&mut client);
    let labels: Vec<(u64, &str)> = found
        .iter()
        .map(|h| {
            (
                h["position"]["line"].as_u64().unwrap(),
                h["label"].as_str().unwrap(),
            )
        })
        .collect();
    // The three resolved calls; the unresolved ones (a parameter, a misspelt variable) get none.
    assert_eq!(
        labels,
        [
            (11, "Debate setup"),
            (19, "Debate round"),
            (24, "Debate judge")
        ],
        "{found:#?}"
    );
    // Right after the id: `requireFlowId("debate-setup")`.
    let setup = &found[0]["position"];
    let line = text.lines().nth(11).unwrap();
    let before = &line[..setup["character"].as_u64().unwrap() as usize];
    assert!(
        before.ends_with("requireFlowId(\"debate-setup\")"),
        "{before}"
    );
    // Definition from the environment variable: the judge flow's trigger.
    let at = position_of(&text, "process.env.DEBATE_JUDGE_FLOW_ID", 14);
    let definition = client.request(
        "textDocument/definition",
        json!({"textDocument": {"uri": uri}, "position": at}),
    );
    let flow = dir.join("flows/debate-judge.ts");
    assert_eq!(
        definition["result"]["uri"],
        format!("file://{}", flow.display()),
        "{definition:#}"
    );
    let flow_text = std::fs::read_to_string(&flow).unwrap();
    let trigger_line = flow_text
        .lines()
        .position(|l| l.contains("triggerNode"))
        .unwrap() as u64;
    let line = definition["result"]["range"]["start"]["line"]
        .as_u64()
        .unwrap();
    assert!(
        line + 1 >= trigger_line && line <= trigger_line,
        "the trigger is at line {trigger_line}, the definition at {line}"
    );
    // From a flow file, its calls: the resolved ones (`rematch` misspells the variable).
    let setup = dir.join("flows/debate-setup.ts");
    let setup_uri = format!("file://{}", setup.display());
    client.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": setup_uri, "languageId": "typescript", "version": 1, "text": std::fs::read_to_string(&setup).unwrap()}}),
    );
    let references = client.request(
        "textDocument/references",
        json!({"textDocument": {"uri": setup_uri}, "position": {"line": 0, "character": 0}, "context": {"includeDeclaration": false}}),
    );
    let places: Vec<(&str, u64)> = references["result"]
        .as_array()
        .unwrap_or_else(|| panic!("{references:#}"))
        .iter()
        .map(|l| {
            (
                l["uri"].as_str().unwrap(),
                l["range"]["start"]["line"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(places, [(uri.as_str(), 11)], "{references:#}");
    // The code closed: read as saved, the same.
    client.notify(
        "textDocument/didClose",
        json!({"textDocument": {"uri": uri}}),
    );
    let again = client.request(
        "textDocument/references",
        json!({"textDocument": {"uri": setup_uri}, "position": {"line": 0, "character": 0}, "context": {"includeDeclaration": false}}),
    );
    assert_eq!(again["result"], references["result"], "{again:#}");
    client.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": uri, "languageId": "typescript", "version": 2, "text": text}}),
    );
    // Flows are workspace symbols, at their triggers.
    let symbols = client.request("workspace/symbol", json!({"query": "judge"}));
    let flows: Vec<(&str, &str)> = symbols["result"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|s| s["kind"] == 24)
        .map(|s| {
            (
                s["name"].as_str().unwrap(),
                s["location"]["uri"].as_str().unwrap(),
            )
        })
        .collect();
    let judge = format!("file://{}", flow.display());
    assert_eq!(flows, [("Debate judge", judge.as_str())], "{symbols:#}");
    // Turned off in the editor's settings: none.
    client.notify(
        "workspace/didChangeConfiguration",
        json!({"settings": {"flowql": {"inlayHints": false}}}),
    );
    assert_eq!(hints(&mut client), Vec::<Value>::new());
    client.finish();
}

/// A code lens as the test reads it: its line, its title, and the (uri, line) of each location
/// it opens.
type Lens = (u64, String, Vec<(String, u64)>);

/// The lenses of an open document.
fn lenses(client: &mut LspClient, uri: &str) -> Vec<Lens> {
    let answer = client.request(
        "textDocument/codeLens",
        json!({"textDocument": {"uri": uri}}),
    );
    answer["result"]
        .as_array()
        .unwrap_or_else(|| panic!("{answer:#}"))
        .iter()
        .map(|lens| {
            let command = &lens["command"];
            assert_eq!(command["command"], "flowql.showLocations", "{lens:#}");
            assert_eq!(command["arguments"][0], uri, "{lens:#}");
            assert_eq!(command["arguments"][1], lens["range"]["start"], "{lens:#}");
            let places = command["arguments"][2]
                .as_array()
                .unwrap()
                .iter()
                .map(|l| {
                    (
                        l["uri"].as_str().unwrap().to_string(),
                        l["range"]["start"]["line"].as_u64().unwrap(),
                    )
                })
                .collect();
            (
                lens["range"]["start"]["line"].as_u64().unwrap(),
                command["title"].as_str().unwrap().to_string(),
                places,
            )
        })
        .collect()
}

#[test]
fn flows_have_lenses_over_their_calls_and_their_triggers() {
    let dir = kit_copy("lenses");
    // A fourth step whose flow no code calls.
    let config = dir.join("lamatic.config.ts");
    let text = std::fs::read_to_string(&config).unwrap().replace(
        "  ],\n};",
        "    { id: \"debate-recap\", type: \"optional\" as const, envKey: \"DEBATE_RECAP_FLOW_ID\" },\n  ],\n};",
    );
    std::fs::write(&config, text).unwrap();
    let setup_text = std::fs::read_to_string(dir.join("flows/debate-setup.ts")).unwrap();
    std::fs::write(
        dir.join("flows/debate-recap.ts"),
        setup_text.replace("Debate setup", "Debate recap"),
    )
    .unwrap();
    let (mut client, uri, text, _) = open_the_actions(&dir);
    let flow_uri = |name: &str| format!("file://{}", dir.join("flows").join(name).display());
    let trigger_line = |name: &str| {
        std::fs::read_to_string(dir.join("flows").join(name))
            .unwrap()
            .lines()
            .position(|l| l.contains("triggerNode"))
            .unwrap() as u64
    };
    let found = lenses(&mut client, &uri);
    let titles: Vec<(u64, &str)> = found.iter().map(|(l, t, _)| (*l, t.as_str())).collect();
    // The resolved calls, each over its line; the unresolved ones have none.
    assert_eq!(
        titles,
        [
            (11, "Debate setup · 3 inputs · realtime"),
            (19, "Debate round · 3 inputs · realtime"),
            (24, "Debate judge · 2 inputs read · realtime"),
        ],
        "{found:#?}"
    );
    // Each opens its flow's trigger.
    for ((_, _, places), file) in
        found
            .iter()
            .zip(["debate-setup.ts", "debate-round.ts", "debate-judge.ts"])
    {
        assert_eq!(places.len(), 1);
        assert_eq!(places[0].0, flow_uri(file));
        let line = places[0].1;
        assert!(
            line + 1 >= trigger_line(file) && line <= trigger_line(file),
            "{places:?}"
        );
    }
    // Over a flow file's trigger: its calls, or that there is none.
    let open = |client: &mut LspClient, name: &str| {
        let path = dir.join("flows").join(name);
        client.notify(
            "textDocument/didOpen",
            json!({"textDocument": {"uri": flow_uri(name), "languageId": "typescript", "version": 1, "text": std::fs::read_to_string(path).unwrap()}}),
        );
    };
    open(&mut client, "debate-setup.ts");
    open(&mut client, "debate-recap.ts");
    let setup = lenses(&mut client, &flow_uri("debate-setup.ts"));
    assert_eq!(setup.len(), 1, "{setup:#?}");
    assert_eq!(setup[0].1, "1 call");
    assert_eq!(setup[0].2, [(uri.clone(), 11)]);
    let recap = lenses(&mut client, &flow_uri("debate-recap.ts"));
    assert_eq!(
        recap,
        [(recap[0].0, "not called in this project".to_string(), vec![])],
        "{recap:#?}"
    );
    // The misspelt variable mended, unsaved: the setup flow has two calls.
    let mended = text.replace("DEBATE_SETUP_FLOWID", "DEBATE_SETUP_FLOW_ID");
    client.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": uri, "version": 2}, "contentChanges": [{"text": mended}]}),
    );
    client.diagnostics(&uri, 2);
    let setup = lenses(&mut client, &flow_uri("debate-setup.ts"));
    assert_eq!(setup[0].1, "2 calls", "{setup:#?}");
    assert_eq!(setup[0].2, [(uri.clone(), 11), (uri.clone(), 34)]);
    let _ = std::fs::remove_dir_all(&dir);
}
