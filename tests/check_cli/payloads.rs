//! `flowql check` on payloads: inline arguments, payload files mapped by globs, variables
//! files beside their operations, and the same report from one job or many.

use std::path::PathBuf;

use serde_json::Value;

use crate::support::cli::{flowql, temp_dir};

fn flows_project(name: &str, strict: bool) -> PathBuf {
    let dir = temp_dir(name);
    std::fs::create_dir_all(dir.join("flows")).unwrap();
    std::fs::write(
        dir.join("flows/summarize.json"),
        r#"{"url": "string", "maxWords": "int", "lang": "string?"}"#,
    )
    .unwrap();
    std::fs::write(
        dir.join(".graphqlrc.yml"),
        format!(
            "documents: '*.graphql'\nextensions:\n  flowql:\n    strict: {strict}\n    flows:\n      0c6f3b1a-9d2e-4f5a-8b7c-1d2e3f4a5b6c:\n        name: Summarize article\n        schema: flows/summarize.json\n"
        ),
    )
    .unwrap();
    std::fs::write(
        dir.join("run.graphql"),
        "query Run($n: Int!) {\n  executeWorkflow(workflowId: \"0c6f3b1a-9d2e-4f5a-8b7c-1d2e3f4a5b6c\", payload: { url: \"https://x.test\", maxWords: $n, langu: \"en\" }) { status }\n}\n",
    )
    .unwrap();
    dir
}

#[test]
fn check_validates_inline_payloads_against_configured_flows() {
    let dir = flows_project("payloads", false);
    let out = flowql(&["check", "--format", "json"], &dir);
    assert_eq!(
        out.status.code(),
        Some(0),
        "an unknown field alone is a warning"
    );
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    let diagnostic = &report["files"][0]["diagnostics"][0];
    assert_eq!(diagnostic["code"], "PAYLOAD_UNKNOWN_FIELD");
    assert_eq!(diagnostic["severity"], "warning");
    assert_eq!(diagnostic["httpStatus"], 400);
    assert!(diagnostic["message"]
        .as_str()
        .unwrap()
        .contains("did you mean `lang`?"));
    let line = "  executeWorkflow(workflowId: \"0c6f3b1a-9d2e-4f5a-8b7c-1d2e3f4a5b6c\", payload: { url: \"https://x.test\", maxWords: $n, ";
    assert_eq!(
        diagnostic["range"]["start"],
        serde_json::json!({"line": 1, "character": line.len()})
    );

    let strict = flows_project("payloads-strict", true);
    let out = flowql(&["check", "--format", "json"], &strict);
    assert_eq!(
        out.status.code(),
        Some(1),
        "strict: unknown fields are errors"
    );
}

#[test]
fn check_covers_payload_files_mapped_by_payloads_globs() {
    let dir = flows_project("payload-files", false);
    let config = std::fs::read_to_string(dir.join(".graphqlrc.yml")).unwrap();
    std::fs::write(
        dir.join(".graphqlrc.yml"),
        format!("{config}    payloads:\n      - files: payloads/*.json\n        flow: 0c6f3b1a-9d2e-4f5a-8b7c-1d2e3f4a5b6c\n"),
    )
    .unwrap();
    std::fs::create_dir_all(dir.join("payloads")).unwrap();
    std::fs::write(
        dir.join("payloads/good.json"),
        r#"{"url": "https://x.test", "maxWords": 100}"#,
    )
    .unwrap();
    std::fs::write(
        dir.join("payloads/bad.json"),
        "{\n  \"url\": \"https://x.test\",\n  \"maxWords\": \"100\"\n}\n",
    )
    .unwrap();
    std::fs::write(dir.join("unrelated.json"), "{not json").unwrap();
    let out = flowql(&["check", "--format", "json"], &dir);
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    let paths: Vec<&str> = report["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["path"].as_str().unwrap())
        .collect();
    assert_eq!(
        paths,
        vec!["payloads/bad.json", "payloads/good.json", "run.graphql"]
    );
    let bad = &report["files"][0]["diagnostics"][0];
    assert_eq!(bad["code"], "PAYLOAD_TYPE_MISMATCH");
    assert_eq!(
        bad["range"]["start"],
        serde_json::json!({"line": 2, "character": 14})
    );
    assert_eq!(
        bad["range"]["end"],
        serde_json::json!({"line": 2, "character": 19})
    );
    assert_eq!(report["files"][1]["diagnostics"], serde_json::json!([]));
}

#[test]
fn check_covers_variables_files_beside_operations() {
    let dir = flows_project("variables", false);
    std::fs::write(
        dir.join("run2.graphql"),
        "query Run2($id: String!, $payload: JSON!) {\n  executeWorkflow(workflowId: $id, payload: $payload) { status }\n}\n",
    )
    .unwrap();
    std::fs::write(
        dir.join("run2.variables.json"),
        "{\n  \"id\": \"0c6f3b1a-9d2e-4f5a-8b7c-1d2e3f4a5b6c\",\n  \"payload\": {\"url\": \"https://x.test\", \"maxWords\": \"many\"}\n}\n",
    )
    .unwrap();
    let out = flowql(&["check", "--format", "json"], &dir);
    assert_eq!(out.status.code(), Some(1));
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    let files = report["files"].as_array().unwrap();
    let variables = files
        .iter()
        .find(|f| f["path"] == "run2.variables.json")
        .expect("the variables file is checked");
    let diagnostic = &variables["diagnostics"][0];
    assert_eq!(diagnostic["code"], "PAYLOAD_TYPE_MISMATCH");
    let line = "  \"payload\": {\"url\": \"https://x.test\", \"maxWords\": ";
    assert_eq!(
        diagnostic["range"]["start"],
        serde_json::json!({"line": 2, "character": line.len()})
    );
}

#[test]
fn variables_files_named_in_the_config_are_checked() {
    let dir = flows_project("variables-config", false);
    let config = std::fs::read_to_string(dir.join(".graphqlrc.yml")).unwrap();
    std::fs::write(
        dir.join(".graphqlrc.yml"),
        format!("{config}    variables:\n      run3.graphql: fixtures/run3-input.json\n"),
    )
    .unwrap();
    std::fs::write(
        dir.join("run3.graphql"),
        "query Run3($payload: JSON!) {\n  executeWorkflow(workflowId: \"0c6f3b1a-9d2e-4f5a-8b7c-1d2e3f4a5b6c\", payload: $payload) { status }\n}\n",
    )
    .unwrap();
    std::fs::create_dir_all(dir.join("fixtures")).unwrap();
    std::fs::write(
        dir.join("fixtures/run3-input.json"),
        "{\"payload\": {\"url\": 1, \"maxWords\": 2}}",
    )
    .unwrap();
    let out = flowql(&["check", "--format", "json"], &dir);
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    let file = report["files"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["path"] == "fixtures/run3-input.json")
        .expect("checked");
    assert_eq!(file["diagnostics"][0]["code"], "PAYLOAD_TYPE_MISMATCH");
    assert_eq!(
        file["diagnostics"][0]["range"]["start"],
        serde_json::json!({"line": 0, "character": 20})
    );
}

#[test]
fn one_job_or_many_give_the_same_report() {
    let dir = temp_dir("jobs");
    std::fs::write(dir.join(".graphqlrc.yml"), "documents: 'ops/*.graphql'\n").unwrap();
    std::fs::create_dir_all(dir.join("ops")).unwrap();
    for i in 0..40 {
        let text = if i % 3 == 0 {
            format!("query Q{i} {{ checkStatus(requestId: \"r{i}\") {{ nope{i} }} }}\n")
        } else {
            format!("mutation M{i} {{ executeWorkflow(workflowId: \"w\") {{ status }} }}\n")
        };
        std::fs::write(dir.join(format!("ops/op{i:02}.graphql")), text).unwrap();
    }
    let reports: Vec<Value> = ["1", "4"]
        .iter()
        .map(|jobs| {
            let out = flowql(&["check", "--format", "json", "--jobs", jobs], &dir);
            assert_eq!(out.status.code(), Some(1), "{out:?}");
            serde_json::from_slice(&out.stdout).unwrap()
        })
        .collect();
    assert_eq!(reports[0]["summary"]["files"], 40);
    assert!(reports[0]["summary"]["errors"].as_u64().unwrap() >= 26);
    assert_eq!(reports[0], reports[1]);
    let paths: Vec<&str> = reports[0]["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["path"].as_str().unwrap())
        .collect();
    let mut sorted = paths.clone();
    sorted.sort();
    assert_eq!(paths, sorted, "files are reported in path order");
}
