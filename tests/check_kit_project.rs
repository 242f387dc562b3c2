//! `flowql check` on what needs a kit as a whole: environment files (their values name flows,
//! their own diagnostics, the envKeys `.env.example` lacks), steps no code reads while code reads
//! a near name, and the hints about flows no code calls or no file has.

mod support;

use serde_json::Value;

use support::cli::{flowql, temp_dir};
use support::kit_cli::*;

#[test]
fn env_values_name_flows_and_placeholders_do_not() {
    let dir = temp_dir("env-values");
    let id = "3f1c2a9e-0b7d-4c55-9a51-2a7f0c1d9e44";
    ask_kit(&dir, "", "ask", "{\"topic\": \"string\"}");
    write(&dir, ".env.example", "ASK_FLOW_ID=YOUR_ASK_FLOW_ID\n");
    write(
        &dir,
        ".env.local",
        &format!("ASK_FLOW_ID={id}\nLAMATIC_API_KEY=lt-secret-value\n"),
    );
    write(
        &dir,
        "app.ts",
        &format!(
            "c.executeFlow(\"{id}\", {{ topic: 3 }});\nc.executeFlow(\"YOUR_ASK_FLOW_ID\", {{ topic: 3 }});\nc.executeFlow(\"0c6f3b1a-9d2e-4f5a-8b7c-1d2e3f4a5b6c\", {{ topic: 3 }});\n"
        ),
    );
    let out = flowql(&["check", "--format", "json", "--offline"], &dir);
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stdout.contains("lt-secret-value") && !stderr.contains("lt-secret-value"));
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    let found = diagnostics(&report);
    // The other two ids are none of the project's flows: a hint each, nothing more.
    let app_hints: Vec<(String, u64)> = hints(&report)
        .into_iter()
        .map(|(path, code, line, _)| (format!("{path} {code}"), line))
        .collect();
    let at = |line| ("app.ts FLOW_NOT_IN_PROJECT".to_string(), line);
    assert_eq!(app_hints, [at(1), at(2)], "{report:#}");
    // Only the id `.env.local` gives the flow is resolved; an unknown id is not an error (the
    // deployed flows live on the platform).
    assert_eq!(
        found,
        [(
            "app.ts".to_string(),
            "PAYLOAD_TYPE_MISMATCH".to_string(),
            0,
            63
        )]
    );
    assert_eq!(
        report["summary"]["flowCalls"],
        serde_json::json!({"found": 3, "resolved": 1, "checked": 1})
    );
}

#[test]
fn an_env_key_missing_from_env_example_is_flagged_at_the_step() {
    let dir = temp_dir("undocumented");
    write(
        &dir,
        "lamatic.config.ts",
        &kit_config(&[("ask", "ASK_FLOW_ID"), ("tell", "TELL_FLOW_ID")]),
    );
    write(&dir, "flows/ask.ts", &flow_module("ask", ""));
    write(&dir, "flows/tell.ts", &flow_module("tell", ""));
    write(&dir, ".env.example", "ASK_FLOW_ID=YOUR_ID\n");
    let (_, report) = check_json(&dir, &[]);
    let found = diagnostics(&report);
    assert_eq!(
        found,
        [(
            "lamatic.config.ts".to_string(),
            "ENV_KEY_UNDOCUMENTED".to_string(),
            5,
            54
        )]
    );
}

/// A step whose flow no code calls while code reads a name one slip from its `envKey`: a
/// warning at the call (in the editor too) and, with the whole project checked, at the step.
#[test]
fn a_step_no_code_reads_is_flagged_where_code_reads_a_near_name() {
    let dir = temp_dir("step-mismatch");
    ask_and_tell(&dir, "");
    write(
        &dir,
        "app/run.ts",
        "export const ask = () => client.executeFlow(process.env.ASK_FLOWID!, {});
export const tell = () => client.executeFlow(process.env.TELL_FLOW_ID!, {});
",
    );
    let (_, report) = check_json(&dir, &[]);
    let found: Vec<(String, String, u64)> = diagnostics(&report)
        .into_iter()
        .map(|(path, code, line, _)| (path, code, line))
        .collect();
    let mismatch = |path: &str, line| (path.to_string(), "FLOW_STEP_MISMATCH".to_string(), line);
    assert_eq!(
        found,
        [mismatch("app/run.ts", 0), mismatch("lamatic.config.ts", 4)],
        "{report:#}"
    );
    let at_step = report["files"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["path"] == "lamatic.config.ts")
        .unwrap()["diagnostics"][0]["message"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(
        at_step.contains("`ASK_FLOW_ID`") && at_step.contains("`ASK_FLOWID` in app/run.ts"),
        "{at_step}"
    );
    // Once the code reads the step's name, neither end is flagged.
    write(
        &dir,
        "app/run.ts",
        "export const ask = () => client.executeFlow(process.env.ASK_FLOW_ID!, {});
",
    );
    let (_, report) = check_json(&dir, &[]);
    assert_eq!(diagnostics(&report), [], "{report:#}");
    // Checking the code alone says nothing of the configuration it did not read.
    write(
        &dir,
        "app/run.ts",
        "export const ask = () => client.executeFlow(process.env.ASK_FLOWID!, {});
",
    );
    let (_, report) = check_json(&dir, &["app"]);
    assert_eq!(
        diagnostics(&report)
            .into_iter()
            .map(|(path, code, _, _)| (path, code))
            .collect::<Vec<_>>(),
        [("app/run.ts".to_string(), "FLOW_STEP_MISMATCH".to_string())]
    );
}

#[test]
fn env_files_of_a_project_have_their_own_diagnostics_and_others_are_not_read() {
    let dir = temp_dir("env-files");
    ask_and_tell(&dir, "kit/");
    // Stand-ins in `.env.example` are what it is for; in `.env` they are a mistake.
    write(
        &dir,
        "kit/.env.example",
        "LAMATIC_API_URL=YOUR_ENDPOINT\nASK_FLOW_ID=YOUR_ASK_FLOW_ID\nTELL_FLOW_ID=\n",
    );
    let mut env = b"ASK_FLOW_ID=\nTELL_FLOW_ID=<tell flow id>\nLAMATIC_API_URL=localhost:3000\nPEM=\"-----BEGIN\nnot a line, inside quotes\n-----END\"\n".to_vec();
    env.extend_from_slice(b"\xff\xfe\x00junk\n");
    env.extend_from_slice(b"my setting = 1\n");
    std::fs::create_dir_all(dir.join("kit")).unwrap();
    std::fs::write(dir.join("kit/.env"), env).unwrap();
    // Not a project of the platform's layout: its `.env` is none of flowql's business.
    write(&dir, "other/.env", "not = a line\n");
    write(&dir, "other/run.ts", "export const x = 1;\n");
    let (code, report) = check_json(&dir, &["kit", "other"]);
    assert_eq!(code, Some(0), "warnings only: {report:#}");
    let found: Vec<(String, String, u64, u64)> = diagnostics(&report);
    let at =
        |line, character, code: &str| ("kit/.env".to_string(), code.to_string(), line, character);
    assert_eq!(
        found,
        [
            at(0, 0, "ENV_FLOW_ID_UNSET"),
            at(1, 13, "ENV_FLOW_ID_UNSET"),
            at(2, 16, "ENV_ENDPOINT_INVALID"),
            at(6, 0, "ENV_LINE_UNREADABLE"),
            at(7, 0, "ENV_LINE_UNREADABLE"),
        ],
        "{report:#}"
    );
    let messages: Vec<&str> = report["files"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|f| f["diagnostics"].as_array().unwrap())
        .map(|d| d["message"].as_str().unwrap())
        .collect();
    assert!(messages[0].contains("is empty"), "{}", messages[0]);
    assert!(
        messages[1].contains("stand-in `<tell flow id>`"),
        "{}",
        messages[1]
    );
    assert!(
        messages[3].contains("bytes that are not text"),
        "{}",
        messages[3]
    );
    assert!(messages[4].contains("not `NAME=value`"), "{}", messages[4]);
    assert!(
        !paths(&report).contains(&"other/.env"),
        "{:?}",
        paths(&report)
    );
    // `.env.example` is read and checked, and its stand-ins are fine.
    assert!(
        paths(&report).contains(&"kit/.env.example"),
        "{:?}",
        paths(&report)
    );
}

#[test]
fn a_flow_no_code_calls_is_a_hint_once_every_code_file_was_checked() {
    let dir = temp_dir("uncalled");
    ask_and_tell(&dir, "");
    write(
        &dir,
        "flows/chat.ts",
        "export const nodes = [{ id: \"triggerNode_1\", type: \"triggerNode\", data: { nodeId: \"chatTriggerNode\", trigger: true, values: {} } }];\nexport default { nodes };\n",
    );
    write(
        &dir,
        "lamatic.config.ts",
        &kit_config(&[
            ("ask", "ASK_FLOW_ID"),
            ("tell", "TELL_FLOW_ID"),
            ("chat", "CHAT_FLOW_ID"),
        ]),
    );
    write(
        &dir,
        "app/run.ts",
        "export const run = (c: any) => c.executeFlow(process.env.ASK_FLOW_ID!, { q: 1 });\n",
    );
    let (status, report) = check_json(&dir, &["."]);
    // `tell` is called nowhere: a hint at its trigger. `ask` is called; `chat` runs by its
    // chat trigger, not from code. Hints alone do not fail the check.
    assert_eq!(
        hints(&report),
        [(
            "flows/tell.ts".to_string(),
            "FLOW_NOT_CALLED".to_string(),
            2,
            2
        )],
        "{report:#}"
    );
    assert_eq!(status, Some(0), "{report:#}");
    let message = report["files"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["path"] == "flows/tell.ts")
        .unwrap()["diagnostics"][0]["message"]
        .clone();
    assert!(
        message.as_str().unwrap().contains("`TELL_FLOW_ID`"),
        "{message}"
    );
    // A literal id that is none of the kit's flows (deployed elsewhere): a hint at the id,
    // its payload not judged, nothing more.
    write(
        &dir,
        "app/other.ts",
        "export const o = (c: any) => c.executeFlow(\"3f1c2b9e-8d1a-4a57-b6a2-0c1d2e3f4a5b\", { q: 1 });\n",
    );
    let (status, report) = check_json(&dir, &["."]);
    let other = report["files"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["path"] == "app/other.ts")
        .unwrap()["diagnostics"]
        .clone();
    assert_eq!(other.as_array().unwrap().len(), 1, "{other:#}");
    assert_eq!(other[0]["code"], "FLOW_NOT_IN_PROJECT");
    assert_eq!(other[0]["severity"], "hint");
    assert_eq!(other[0]["range"]["start"]["character"], 43);
    assert_eq!(status, Some(0));
    assert_eq!(report["summary"]["hints"], 2, "{:#}", report["summary"]);
    // Without the code among the checked files nothing is known about calls: no hint.
    let (_, report) = check_json(&dir, &["flows", "lamatic.config.ts"]);
    assert_eq!(hints(&report), [], "{report:#}");
    // Called once the code calls it.
    write(
        &dir,
        "app/tell.py",
        "import os\nclient.execute_flow(os.environ[\"TELL_FLOW_ID\"], {})\n",
    );
    let (_, report) = check_json(&dir, &["."]);
    let uncalled = hints(&report)
        .into_iter()
        .filter(|(_, code, _, _)| code == "FLOW_NOT_CALLED")
        .count();
    assert_eq!(uncalled, 0, "{report:#}");
}
