//! `flowql check` on projects as the platform's users have them, with no configuration: kits
//! with `lamatic.config`, flows as TypeScript modules or JSON, and SDK calls; and the promise
//! that code is never read as GraphQL. What needs the kit as a whole (env files, steps against
//! code, hints) is in check_kit_project.rs.

mod support;

use serde_json::Value;

use support::cli::{flowql, root, temp_dir};
use support::kit_cli::*;

#[test]
fn the_example_kits_have_their_mistakes_found() {
    let (code, report) = check_json(&root().join("examples"), &["kits"]);
    assert_eq!(code, Some(1));
    let found = diagnostics(&report);
    let codes: Vec<(&str, &str, u64)> = found
        .iter()
        .map(|(p, c, l, _)| (p.rsplit('/').next().unwrap(), c.as_str(), *l))
        .collect();
    assert_eq!(
        codes,
        [
            ("debate.ts", "PAYLOAD_TYPE_MISMATCH", 11),
            ("debate.ts", "PAYLOAD_MISSING_FIELD", 18),
            ("debate.ts", "PAYLOAD_CONSTRAINT", 18),
            ("debate.ts", "PAYLOAD_MISSING_FIELD", 24),
            ("debate.ts", "FLOW_STEP_MISMATCH", 34),
            (".env", "ENV_FLOW_ID_UNSET", 3),
            (".env", "ENV_LINE_UNREADABLE", 4),
            ("main.py", "PAYLOAD_CONSTRAINT", 17),
        ]
    );
    assert_eq!(
        report["summary"]["flowCalls"],
        serde_json::json!({"found": 7, "resolved": 5, "checked": 5})
    );
    let messages: Vec<&str> = report["files"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|f| f["diagnostics"].as_array().unwrap())
        .map(|d| d["message"].as_str().unwrap())
        .collect();
    assert!(messages[1].contains("`transcrpt` is written: did you mean `transcript`?"));
    assert!(
        messages[3].contains("reads in `prompts/debate-judge_user.md`"),
        "{}",
        messages[3]
    );
}

#[test]
fn a_repository_of_kits_is_many_projects_each_with_its_flows() {
    let dir = temp_dir("many-kits");
    // Two kits with a step of the same id whose flows want different inputs.
    for (kit, field) in [("alpha", "topic"), ("beta", "question")] {
        let base = format!("kits/{kit}");
        ask_kit(
            &dir,
            &format!("{base}/"),
            kit,
            &format!("{{\"{field}\": \"string\"}}"),
        );
        write(
            &dir,
            &format!("{base}/.env.example"),
            "ASK_FLOW_ID=YOUR_ASK_FLOW_ID\n",
        );
        write(
            &dir,
            &format!("{base}/apps/run.ts"),
            "export const run = (c: any) => c.executeFlow(process.env.ASK_FLOW_ID, { topic: 'x' });\n",
        );
    }
    let (code, report) = check_json(&dir, &[]);
    assert_eq!(code, Some(0), "{report}");
    let found = diagnostics(&report);
    // alpha's flow takes `topic`; beta's takes `question`: only beta's call is wrong.
    let warned: Vec<(&str, &str)> = found
        .iter()
        .map(|(p, c, _, _)| (p.as_str(), c.as_str()))
        .collect();
    assert_eq!(
        warned,
        [
            ("kits/beta/apps/run.ts", "PAYLOAD_MISSING_FIELD"),
            ("kits/beta/apps/run.ts", "PAYLOAD_UNKNOWN_FIELD"),
        ]
    );
    assert_eq!(report["summary"]["flowCalls"]["resolved"], 2);
}

#[test]
fn code_is_never_read_as_graphql() {
    let dir = temp_dir("code-only");
    write(
        &dir,
        "app.js",
        "// query the database, then mutation of state\nconst q = `query the users table`;\nfunction query() { return 1 }\n",
    );
    write(
        &dir,
        "client.py",
        "query = 'select * from t'\nmutation = {'a': 1}\n",
    );
    write(
        &dir,
        "types.ts",
        "type Query = { a: string };\nexport interface Mutation {}\n",
    );
    let out = flowql(
        &["check", "--offline", "app.js", "client.py", "types.ts"],
        &dir,
    );
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{text}");
    assert!(text.contains("0 errors, 0 warnings in 3 files"), "{text}");
}

#[test]
fn a_schema_file_matched_by_documents_is_not_an_operation() {
    let dir = temp_dir("schema-in-documents");
    write(
        &dir,
        ".graphqlrc.yml",
        "schema: schema.graphql\ndocuments: '**/*.graphql'\n",
    );
    write(&dir, "schema.graphql", "type Query { hello: String }\n");
    write(&dir, "ops/a.graphql", "{ hello }\n");
    let (code, report) = check_json(&dir, &[]);
    assert_eq!(code, Some(0), "{report}");
    assert_eq!(paths(&report), ["ops/a.graphql"]);
}

#[test]
fn unreadable_files_and_dependency_folders() {
    let dir = temp_dir("unreadable");
    write(
        &dir,
        "flows/ask.ts",
        &flow_module("ask", "{\"topic\": \"string\"}"),
    );
    std::fs::write(dir.join("latin1.ts"), b"const s = \"caf\xe9\";\n").unwrap();
    // Would be errors if they were read: they are skipped unless named.
    for skipped in [
        "node_modules/x/index.js",
        "dist/a.js",
        "build/b.js",
        ".next/c.js",
    ] {
        write(&dir, skipped, "client.executeFlow('ask', { topic: 1 });\n");
    }
    write(
        &dir,
        "ok.js",
        "client.executeFlow('ask', { topic: 'fine' });\n",
    );
    let (code, report) = check_json(&dir, &[]);
    assert_eq!(code, Some(1), "{report}");
    let found = diagnostics(&report);
    assert_eq!(
        found,
        [("latin1.ts".to_string(), "FILE_UNREADABLE".to_string(), 0, 0)]
    );
    assert_eq!(paths(&report), ["flows/ask.ts", "latin1.ts", "ok.js"]);
    // Named, a skipped folder is checked.
    let (_, named) = check_json(&dir, &["dist"]);
    assert_eq!(diagnostics(&named)[0].1, "PAYLOAD_TYPE_MISMATCH");
}

#[test]
fn configuration_problems_are_where_they_belong() {
    let dir = temp_dir("config-problems");
    write(
        &dir,
        "kit-a/lamatic.config.ts",
        "export default makeConfig();\n",
    );
    write(
        &dir,
        "kit-a/flows/ask.ts",
        &flow_module("ask", "{\"topic\": \"strng\"}"),
    );
    write(
        &dir,
        "kit-b/lamatic.config.ts",
        &kit_config(&[("ask", "ASK_FLOW_ID"), ("tell", "TELL_FLOW_ID")]),
    );
    write(
        &dir,
        "kit-b/flows/ask.ts",
        "export const nodes = [{ id: 'x', data: {} }];\n",
    );
    write(&dir, "kit-b/flows/tell.ts", "export const nodes = [ { id: ");
    write(&dir, "kit-b/.env.example", "ASK_FLOW_ID=YOUR_ID\n");
    std::fs::write(
        dir.join("kit-b/.env"),
        b"\x00\xff\xfeASK\x01=\n\xc3(\nTELL_FLOW_ID=abc\n",
    )
    .unwrap();
    // A 20 MB flow module is refused, not parsed.
    let mut huge = String::from("export const nodes = [\n");
    while huge.len() < 20 * 1024 * 1024 {
        huge.push_str("  { id: \"n\", data: { values: { text: \"0123456789012345678901234567890123456789\" } } },\n");
    }
    huge.push_str("];\n");
    write(&dir, "kit-b/flows/huge.ts", &huge);
    let (code, report) = check_json(&dir, &[]);
    assert_eq!(code, Some(0), "warnings only: {report}");
    let found: Vec<(String, String, u64)> = diagnostics(&report)
        .into_iter()
        .map(|(p, c, l, _)| (p, c, l))
        .collect();
    let has = |path: &str, code: &str| found.iter().any(|(p, c, _)| p == path && c == code);
    assert!(
        has("kit-a/lamatic.config.ts", "CONFIG_INVALID"),
        "{found:?}"
    );
    assert!(
        has("kit-a/flows/ask.ts", "FLOW_SCHEMA_INVALID"),
        "{found:?}"
    );
    assert!(
        has("kit-b/flows/ask.ts", "FLOW_SCHEMA_INVALID"),
        "{found:?}"
    );
    assert!(
        has("kit-b/flows/huge.ts", "FLOW_SCHEMA_INVALID"),
        "{found:?}"
    );
    // `TELL_FLOW_ID` has a value in `.env` but `.env.example` does not document it.
    assert!(
        !has("kit-b/lamatic.config.ts", "ENV_KEY_UNDOCUMENTED"),
        "a variable set in .env is known: {found:?}"
    );
    // A module that does not parse is said to be so, at the error, as a warning.
    assert!(
        has("kit-b/flows/tell.ts", "FLOW_SCHEMA_INVALID"),
        "{found:?}"
    );
    let huge_message = report["files"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["path"] == "kit-b/flows/huge.ts")
        .map(|f| f["diagnostics"][0]["message"].as_str().unwrap().to_string())
        .unwrap();
    assert!(huge_message.contains("MB"), "{huge_message}");
}

#[test]
fn the_readme_first_command_checks_both_kinds_of_project() {
    let readme = std::fs::read_to_string(root().join("README.md")).unwrap();
    let first = readme
        .lines()
        .find(|l| l.starts_with("cargo run --quiet -- "))
        .expect("the README starts with its two commands");
    let command = first.split('#').next().unwrap().trim();
    let args: Vec<&str> = command
        .trim_start_matches("cargo run --quiet -- ")
        .split_whitespace()
        .collect();
    let mut with_json = args.clone();
    with_json.extend(["--format", "json"]);
    let out = flowql(&with_json, &root());
    assert_eq!(out.status.code(), Some(1), "{command}");
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    let with_problems: Vec<&str> = report["files"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| !f["diagnostics"].as_array().unwrap().is_empty())
        .map(|f| f["path"].as_str().unwrap())
        .collect();
    for expected in [
        "examples/kits/debate-coach/apps/actions/debate.ts",
        "examples/kits/support-desk/app/main.py",
        "examples/operations/mistakes.graphql",
        "examples/payloads/summarize.json",
        "examples/app/summarize.js",
    ] {
        assert!(
            with_problems.contains(&expected),
            "{expected}: {with_problems:?}"
        );
    }
}

#[test]
fn status_lists_the_steps_and_the_unresolved_calls_with_the_reason() {
    let out = flowql(
        &["status", "--json", "examples/kits/debate-coach/apps"],
        &root(),
    );
    assert_eq!(out.status.code(), Some(0));
    let status: Value = serde_json::from_slice(&out.stdout).unwrap();
    let kit = &status["kit"];
    assert_eq!(kit["flows"], 3);
    assert_eq!(kit["steps"][0]["envKey"], "DEBATE_SETUP_FLOW_ID");
    assert_eq!(kit["steps"][0]["hasFlow"], true);
    assert_eq!(
        kit["steps"][0]["deployedIdKnown"], false,
        "placeholders are not ids"
    );
    let calls = &kit["flowCalls"];
    assert_eq!(
        (calls["found"].as_u64(), calls["resolved"].as_u64()),
        (Some(5), Some(3))
    );
    assert_eq!(
        calls["unresolved"],
        serde_json::json!([
            {"file": "apps/actions/debate.ts", "line": 30, "method": "executeFlow",
             "reason": "`flowId` is a parameter of `replay`, which nothing in this file calls"},
            {"file": "apps/actions/debate.ts", "line": 35, "method": "executeFlow",
             "reason": "`DEBATE_SETUP_FLOWID` is not an envKey; `DEBATE_SETUP_FLOW_ID` is"}
        ])
    );
    assert!(status["jsonGlobs"][0]
        .as_str()
        .unwrap()
        .ends_with("debate-coach/flows/*.json"));
}

#[test]
fn a_raw_query_gets_its_flow_id_from_the_variables_written_beside_it() {
    let dir = temp_dir("raw-query-ids");
    ask_kit(
        &dir,
        "",
        "ask",
        r#"{"question": "string", "url": "string"}"#,
    );
    // The id through a name bound to `process.env`, the payload written in the query; and a
    // template whose payload is a variable too, its id read from `process.env` directly.
    write(
        &dir,
        "app/route.ts",
        r#"export async function ask(question: string) {
  const workflowId = process.env.ASK_FLOW_ID;
  return post({
    query: `query Ask($workflowId: String!, $question: String!, $n: Int) {
      executeWorkflow(workflowId: $workflowId, payload: { question: $question, url: $n }) { status }
    }`,
    variables: { workflowId, question, n: 1 },
  });
}
export const run = () => post({
  query: `query Run($workflowId: String!, $payload: JSON!) { executeWorkflow(workflowId: $workflowId, payload: $payload) { status } }`,
  variables: { workflowId: process.env.ASK_FLOW_ID, payload: { question: 7, url: "u" } },
});
export const other = () => post({
  query: `query Other($workflowId: String!) { executeWorkflow(workflowId: $workflowId, payload: { question: "q", url: "u" }) { status } }`,
  variables: { workflowId: process.env.NOBODY_NAMES_THIS },
});
"#,
    );
    let (_, report) = check_json(&dir, &[]);
    let found: Vec<(String, String, u64)> = diagnostics(&report)
        .into_iter()
        .map(|(path, code, line, _)| (path, code, line))
        .collect();
    let at = |code: &str, line| ("app/route.ts".to_string(), code.to_string(), line);
    assert_eq!(
        found,
        [
            at("PAYLOAD_TYPE_MISMATCH", 4),
            at("PAYLOAD_TYPE_MISMATCH", 11)
        ],
        "{report:#}"
    );
    assert_eq!(
        report["summary"]["flowCalls"],
        serde_json::json!({"found": 3, "resolved": 2, "checked": 2}),
        "{report:#}"
    );
    let text = std::fs::read_to_string(dir.join("app/route.ts")).unwrap();
    let first = &report["files"][0]["diagnostics"][0];
    let line = text.lines().nth(4).unwrap();
    let column = first["range"]["start"]["character"].as_u64().unwrap() as usize;
    assert!(line[column..].starts_with("$n"), "{line}");
}

#[test]
fn a_wrapper_with_its_own_flow_id_is_checked_per_caller_and_flagged_once() {
    let dir = temp_dir("wrapper-once");
    ask_kit(&dir, "", "ask", r#"{"topic": "string"}"#);
    write(
        &dir,
        "app/run.ts",
        r#"function ask(input: object) { return client.executeFlow(process.env.ASK_FLOWID!, input); }
function tell(input: object) { return client.executeFlow(process.env.ASK_FLOW_ID!, input); }
export const a = () => ask({ topic: "a" });
export const b = () => ask({ topic: "b" });
export const c = () => tell({ topic: 3 });
export const d = () => tell({ topic: "d" });
"#,
    );
    let (_, report) = check_json(&dir, &[]);
    let found: Vec<(String, u64)> = diagnostics(&report)
        .into_iter()
        .filter(|(path, ..)| path == "app/run.ts")
        .map(|(_, code, line, _)| (code, line))
        .collect();
    // The misspelt variable once for both callers; the wrong payload at its caller.
    assert_eq!(
        found,
        [
            ("FLOW_STEP_MISMATCH".to_string(), 0),
            ("PAYLOAD_TYPE_MISMATCH".to_string(), 4)
        ],
        "{report:#}"
    );
    assert_eq!(
        report["summary"]["flowCalls"],
        serde_json::json!({"found": 4, "resolved": 2, "checked": 2}),
        "{report:#}"
    );
}
