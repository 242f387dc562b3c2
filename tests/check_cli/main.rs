//! `flowql check` and `flowql explain` as CI runs them: the JSON contract on the bundled
//! examples, the human report, and every exit code.

#[path = "../support/mod.rs"]
mod support;

mod payloads;
mod platform;

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
