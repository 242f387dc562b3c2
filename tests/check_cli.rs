//! `flowql check` and `flowql explain` as CI runs them: the JSON contract on the bundled
//! examples, the human report, and every exit code.

mod support;

use std::path::PathBuf;

use serde_json::Value;

use support::cli::{flowql, root, temp_dir};

#[test]
fn examples_json_contract() {
    let out = flowql(
        &[
            "check",
            "--config",
            "examples/.graphqlrc.yml",
            "--format",
            "json",
        ],
        &root(),
    );
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let report: Value = serde_json::from_slice(&out.stdout).expect("stdout is JSON");
    let files = report["files"].as_array().unwrap();
    let paths: Vec<&str> = files.iter().map(|f| f["path"].as_str().unwrap()).collect();
    assert_eq!(
        paths,
        vec![
            "examples/app/summarize.js",
            "examples/operations/inline-payload.graphql",
            "examples/operations/mistakes.graphql",
            "examples/operations/payload-mistakes.graphql",
            "examples/operations/poll-status.graphql",
            "examples/operations/run-summarizer.graphql",
            "examples/operations/run-summarizer.variables.json",
            "examples/payloads/summarize.json",
        ]
    );
    for clean in [1, 4, 5, 6] {
        assert_eq!(
            files[clean]["diagnostics"],
            Value::Array(vec![]),
            "{}",
            paths[clean]
        );
    }
    let summary = |file: &Value| -> Vec<(String, String, u64, u64, u64)> {
        file["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .map(|d| {
                (
                    d["severity"].as_str().unwrap().to_string(),
                    d["code"].as_str().unwrap().to_string(),
                    d["range"]["start"]["line"].as_u64().unwrap(),
                    d["range"]["start"]["character"].as_u64().unwrap(),
                    d["range"]["end"]["character"].as_u64().unwrap(),
                )
            })
            .collect()
    };
    let owned = |list: &[(&str, &str, u64, u64, u64)]| -> Vec<(String, String, u64, u64, u64)> {
        list.iter()
            .map(|(s, c, l, a, b)| (s.to_string(), c.to_string(), *l, *a, *b))
            .collect()
    };
    // The docs' axios call: a payload value in the `variables` beside the query.
    assert_eq!(
        summary(&files[0]),
        owned(&[("error", "PAYLOAD_TYPE_MISMATCH", 19, 34, 39)])
    );
    assert_eq!(
        summary(&files[2]),
        owned(&[
            ("error", "QUERY_FIELD_IN_MUTATION", 4, 2, 17),
            ("error", "VARIABLE_TYPE_MISMATCH", 12, 18, 41),
            ("warning", "UNKNOWN_FIELD", 14, 4, 11),
            ("error", "UNKNOWN_FIELD", 16, 2, 13),
            ("warning", "STREAM_AS_QUERY", 21, 2, 27),
            ("error", "FLOW_NOT_FOUND", 21, 40, 78),
        ])
    );
    assert_eq!(
        summary(&files[3]),
        owned(&[
            ("error", "PAYLOAD_TYPE_MISMATCH", 4, 55, 61),
            ("warning", "PAYLOAD_MISSING_FIELD", 4, 63, 71),
            ("warning", "PAYLOAD_UNKNOWN_FIELD", 4, 90, 96),
        ])
    );
    assert_eq!(
        summary(&files[7]),
        owned(&[("error", "PAYLOAD_TYPE_MISMATCH", 2, 14, 19)])
    );
    let first = &files[2]["diagnostics"][0];
    assert_eq!(first["httpStatus"], 400);
    assert!(first["fix"].as_str().unwrap().contains("`query`"));
    assert!(first["message"]
        .as_str()
        .unwrap()
        .contains("executeWorkflow"));
    assert_eq!(
        report["summary"],
        serde_json::json!({"files": 8, "errors": 7, "warnings": 4, "hints": 0,
            "flowCalls": {"found": 6, "resolved": 4, "checked": 4}})
    );
}

#[test]
fn human_report_annotates_the_source() {
    let out = flowql(
        &["check", "operations/mistakes.graphql"],
        &root().join("examples"),
    );
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("error[QUERY_FIELD_IN_MUTATION]"), "{text}");
    assert!(text.contains("operations/mistakes.graphql:5:3"), "{text}");
    assert!(text.contains("^^^^^^^^^^^^^^^"), "{text}");
    assert!(text.contains("fix: Change the operation keyword"), "{text}");
    assert!(
        text.ends_with("flowql: 4 errors, 2 warnings in 1 file checked\n"),
        "{text}"
    );
}

#[test]
fn clean_files_exit_0() {
    let out = flowql(
        &[
            "check",
            "--format",
            "json",
            "examples/operations/run-summarizer.graphql",
            "examples/operations/poll-status.graphql",
        ],
        &root(),
    );
    assert_eq!(out.status.code(), Some(0));
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["summary"]["errors"], 0);
    assert_eq!(
        report["files"][0]["path"],
        "examples/operations/run-summarizer.graphql"
    );
}

#[test]
fn warnings_alone_exit_0() {
    let dir = temp_dir("warnings");
    std::fs::write(
        dir.join("stream.graphql"),
        "query S($p: JSON!) { executeWorkflowWithStream(payload: $p) }\n",
    )
    .unwrap();
    let out = flowql(&["check", "stream.graphql"], &dir);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("0 errors, 1 warning"));
}

#[test]
fn missing_file_exits_2_with_reason() {
    let out = flowql(&["check", "nope.graphql"], &root());
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty());
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(err.contains("nope.graphql does not exist"), "{err}");
}

#[test]
fn unreadable_config_exits_2_with_reason() {
    let dir = temp_dir("badconfig");
    std::fs::write(dir.join(".graphqlrc.yml"), "documents: [unclosed\n").unwrap();
    let out = flowql(&["check"], &dir);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(err.contains(".graphqlrc.yml is not valid YAML"), "{err}");
}

#[test]
fn missing_schema_file_exits_2_with_reason() {
    let dir = temp_dir("noschema");
    std::fs::write(
        dir.join(".graphqlrc.yml"),
        "schema: missing.graphql\ndocuments: '*.graphql'\n",
    )
    .unwrap();
    std::fs::write(dir.join("op.graphql"), "{ a }\n").unwrap();
    let out = flowql(&["check"], &dir);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(
        err.contains("cannot read schema file") && err.contains("missing.graphql"),
        "{err}"
    );
}

#[test]
fn no_config_and_no_paths_exits_2() {
    let dir = temp_dir("empty");
    let out = flowql(&["check"], &dir);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8(out.stderr)
        .unwrap()
        .contains("no graphql-config file"));
}

#[test]
fn configured_schema_file_is_used() {
    let dir = temp_dir("schema");
    std::fs::write(
        dir.join("schema.graphql"),
        "type Query { hello(name: String!): String }\n",
    )
    .unwrap();
    std::fs::write(
        dir.join("graphql.config.json"),
        r#"{"schema": "schema.graphql", "documents": "ops/*.graphql"}"#,
    )
    .unwrap();
    std::fs::create_dir_all(dir.join("ops")).unwrap();
    std::fs::write(dir.join("ops/a.graphql"), "{ hello }\n").unwrap();
    let out = flowql(&["check", "--format", "json"], &dir);
    assert_eq!(out.status.code(), Some(1));
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["files"][0]["path"], "ops/a.graphql");
    assert_eq!(
        report["files"][0]["diagnostics"][0]["code"],
        "MISSING_REQUIRED_ARGUMENT"
    );
}

#[test]
fn explain_prints_the_entry_and_rejects_unknown_codes() {
    let out = flowql(&["explain", "unauthorized"], &root());
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.starts_with("UNAUTHORIZED: "), "{text}");
    assert!(text.contains("HTTP status: HTTP 401"), "{text}");
    assert!(text.contains("Authorization: Bearer"), "{text}");

    let out = flowql(&["explain", "NOT_A_CODE"], &root());
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty());
    assert!(String::from_utf8(out.stderr)
        .unwrap()
        .contains("unknown error code `NOT_A_CODE`"));
}

#[test]
fn docs_errors_md_matches_the_catalog() {
    let out = flowql(&["explain", "--markdown"], &root());
    let generated = String::from_utf8(out.stdout).unwrap();
    let committed = std::fs::read_to_string(root().join("docs/errors.md")).unwrap_or_default();
    assert!(
        generated == committed,
        "docs/errors.md is out of date: run `cargo run -q -- explain --markdown > docs/errors.md`"
    );
}

fn endpoint_project(
    name: &str,
    fake: &support::fake_platform::FakePlatform,
    key: &str,
    offline: bool,
) -> PathBuf {
    let dir = temp_dir(name);
    std::fs::write(
        dir.join(".graphqlrc.yml"),
        format!(
            "documents: '*.graphql'\nextensions:\n  flowql:\n    endpoint: {}\n    projectId: {}\n    apiKey: ${{FLOWQL_TEST_KEY}}\n    cacheDir: {}\n    offline: {offline}\n",
            fake.url(),
            support::fake_platform::PROJECT_ID,
            dir.join("cache").display()
        ),
    )
    .unwrap();
    std::fs::write(dir.join(".env"), format!("FLOWQL_TEST_KEY={key}\n")).unwrap();
    std::fs::write(dir.join("ping.graphql"), "query Ping { ping }\n").unwrap();
    dir
}

#[test]
fn schema_pull_fetches_and_caches_then_check_uses_the_cache() {
    let fake = support::fake_platform::FakePlatform::start();
    fake.set_schema(
        &flowql::schema::BUNDLED_SDL.replace("type Query {", "type Query {\n  ping: String"),
    );
    let dir = endpoint_project("pull", &fake, support::fake_platform::API_KEY, false);

    let out = flowql(&["schema", "pull"], &dir);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.starts_with("default: fetched http://")
            && text.contains("types")
            && text.contains("cached at"),
        "{text}"
    );

    let out = flowql(&["check", "--format", "json"], &dir);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    assert_eq!(fake.requests(), 1, "check used the cache");

    let out = flowql(&["schema", "show"], &dir);
    assert_eq!(out.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&out.stdout).contains("ping: String"));
    let source = String::from_utf8(out.stderr).unwrap();
    assert!(
        source.contains("the schema of http://") && source.contains("fetched"),
        "{source}"
    );
}

#[test]
fn check_fetches_only_when_nothing_is_cached_and_never_offline() {
    let fake = support::fake_platform::FakePlatform::start();
    fake.set_schema(
        &flowql::schema::BUNDLED_SDL.replace("type Query {", "type Query {\n  ping: String"),
    );
    let dir = endpoint_project("fetchonce", &fake, support::fake_platform::API_KEY, false);
    let out = flowql(&["check", "--offline"], &dir);
    assert_eq!(
        out.status.code(),
        Some(1),
        "offline: the bundled schema has no `ping`"
    );
    assert_eq!(fake.requests(), 0);
    let out = flowql(&["check"], &dir);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    let out = flowql(&["check"], &dir);
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(fake.requests(), 1);
}

#[test]
fn schema_pull_explains_a_refused_key_and_exits_2() {
    let fake = support::fake_platform::FakePlatform::start();
    let dir = endpoint_project("refused", &fake, "lt-wrong-key-000000", false);
    let out = flowql(&["schema", "pull"], &dir);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(
        err.contains("401 Unauthorized")
            && err.contains("code: UNAUTHORIZED (HTTP 401)")
            && err.contains("fix: Send the header"),
        "{err}"
    );
    assert!(!err.contains("lt-wrong-key"));

    // check reports the failure, falls back to the bundled schema and says so on the file.
    let out = flowql(&["check", "--format", "json"], &dir);
    assert_eq!(out.status.code(), Some(1));
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    let codes: Vec<&str> = report["files"][0]["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["code"].as_str().unwrap())
        .collect();
    assert_eq!(codes, vec!["SCHEMA_LOAD_FAILED", "UNKNOWN_FIELD"]);
}

#[test]
fn configuration_problems_are_printed_and_errors_stop_the_check() {
    let dir = temp_dir("problems");
    std::fs::write(dir.join(".graphqlrc.yml"), "documents: '*.graphql'\nextensions:\n  flowql:\n    offlne: true\n    apiKey: ${FLOWQL_TEST_NEVER_SET}\n").unwrap();
    std::fs::write(
        dir.join("a.graphql"),
        "query { checkStatus(requestId: \"r\") }\n",
    )
    .unwrap();
    let out = flowql(&["check"], &dir);
    assert_eq!(out.status.code(), Some(0), "warnings do not stop the check");
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(
        err.contains(".graphqlrc.yml:4:5: warning[CONFIG_UNKNOWN_KEY]"),
        "{err}"
    );
    assert!(
        err.contains(".graphqlrc.yml:5:13: warning[ENV_VAR_UNSET]"),
        "{err}"
    );

    std::fs::write(dir.join(".graphqlrc.yml"), "documents: 3\n").unwrap();
    let out = flowql(&["check", "a.graphql"], &dir);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(
        err.contains("error[CONFIG_INVALID]") && err.contains("the configuration has 1 error"),
        "{err}"
    );
}

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
