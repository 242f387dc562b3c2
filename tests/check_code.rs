//! `flowql check` on code and for CI: GraphQL inside JavaScript, TypeScript and Python at its
//! place in the host file, fragments across files, SARIF 2.1.0 validated against its schema,
//! GitHub annotations and `--max-warnings`.

mod support;

use std::path::PathBuf;

use serde_json::Value;
use support::cli::{flowql, root, temp_dir};

#[test]
fn fragments_of_other_files_in_the_project_are_known() {
    let dir = temp_dir("fragments");
    std::fs::write(
        dir.join("schema.graphql"),
        "type Query { book: Book }\ntype Book { id: ID title: String }\n",
    )
    .unwrap();
    std::fs::write(
        dir.join("graphql.config.json"),
        r#"{"schema": "schema.graphql", "documents": "ops/*.graphql"}"#,
    )
    .unwrap();
    std::fs::create_dir_all(dir.join("ops")).unwrap();
    // A file of fragments alone, one of them with a mistake; a query that spreads one.
    std::fs::write(
        dir.join("ops/parts.graphql"),
        "fragment BookParts on Book { id title }\nfragment Broken on Book { titel }\n",
    )
    .unwrap();
    std::fs::write(dir.join("ops/q.graphql"), "{ book { ...BookParts } }\n").unwrap();
    let out = flowql(&["check", "--format", "json"], &dir);
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    let files = report["files"].as_array().unwrap();
    let parts = files
        .iter()
        .find(|f| f["path"] == "ops/parts.graphql")
        .unwrap();
    let query = files.iter().find(|f| f["path"] == "ops/q.graphql").unwrap();
    // The mistake is reported once, in its own file; nothing is "unknown" or "unused".
    let codes: Vec<&Value> = parts["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| &d["code"])
        .collect();
    assert_eq!(codes, ["UNKNOWN_FIELD"], "{report:#}");
    assert_eq!(query["diagnostics"], serde_json::json!([]), "{report:#}");
    assert_eq!(out.status.code(), Some(1));
}

fn embedded_project() -> PathBuf {
    root().join("tests/fixtures/embedded")
}

/// `(path, code, line, character)` of every diagnostic of a JSON report, 0-based UTF-16.
fn found(report: &Value) -> Vec<(String, String, u64, u64)> {
    report["files"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|f| {
            f["diagnostics"].as_array().unwrap().iter().map(move |d| {
                (
                    f["path"].as_str().unwrap().to_string(),
                    d["code"].as_str().unwrap().to_string(),
                    d["range"]["start"]["line"].as_u64().unwrap(),
                    d["range"]["start"]["character"].as_u64().unwrap(),
                )
            })
        })
        .collect()
}

#[test]
fn operations_inside_code_are_checked_at_their_place_in_the_host_file() {
    let out = flowql(&["check", "--format", "json"], &embedded_project());
    assert_eq!(out.status.code(), Some(1));
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    let expected = [
        // The docs' untagged template; then a line with multi-byte characters before the name.
        ("src/app.js", "UNKNOWN_FIELD", 7, 4),
        ("src/app.js", "UNKNOWN_FIELD", 20, 47),
        // The `variables` literal beside the query: a payload value against the Flow's input
        // schema, a payload key it does not have, a variable the operation does not declare.
        ("src/app.js", "PAYLOAD_TYPE_MISMATCH", 28, 55),
        ("src/app.js", "PAYLOAD_UNKNOWN_FIELD", 28, 109),
        ("src/app.js", "VARIABLE_NOT_DECLARED", 29, 6),
        // `# graphql` marker and a gql() call.
        ("src/client.py", "MISSING_REQUIRED_INPUT_FIELD", 5, 17),
        ("src/client.py", "UNKNOWN_FIELD", 10, 28),
        // The SDK's style: `json={"query": RUN, "variables": {...}}`, a payload value.
        ("src/client.py", "PAYLOAD_TYPE_MISMATCH", 27, 48),
        // `/* GraphQL */` marker; `first: ${limit}` is a neutral value.
        ("src/search.ts", "UNKNOWN_ENUM_VALUE", 4, 34),
        // src/view.tsx: `...BookParts` resolves through `${BookParts}`, `...AuthorBits` may come
        // from `${AuthorFragment}`, which flowql cannot see: nothing to report.
        // A document sent through the app's own wrapper with its variables: the payload checked.
        ("src/wrapper.ts", "PAYLOAD_MISSING_FIELD", 8, 76),
        ("src/wrapper.ts", "PAYLOAD_TYPE_MISMATCH", 8, 92),
    ];
    let expected: Vec<(String, String, u64, u64)> = expected
        .iter()
        .map(|(p, c, l, ch)| (p.to_string(), c.to_string(), *l, *ch))
        .collect();
    assert_eq!(found(&report), expected, "{report:#}");
    assert_eq!(report["summary"]["files"], 5);
}

#[test]
fn sarif_report_is_valid_sarif_2_1_0() {
    let schema_file = root()
        .join("tests/sarif/node_modules/@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json");
    if !support::tools::require(
        schema_file.is_file(),
        "the SARIF schema is not installed (bash scripts/setup-tests.sh)",
    ) {
        return;
    }
    let mut schema: Value =
        serde_json::from_str(&std::fs::read_to_string(schema_file).unwrap()).unwrap();
    // The schema's patterns for `language` have an unescaped `]`, which ECMAScript regexes
    // take literally and Rust's regex engines reject: escape it, the meaning unchanged.
    fn escape_bracket(value: &mut Value, count: &mut usize) {
        match value {
            Value::Object(map) => {
                for (key, item) in map.iter_mut() {
                    if key == "pattern" && item == "^[a-zA-Z]{2}|^[a-zA-Z]{2}-[a-zA-Z]{2}]?$" {
                        *item = Value::String("^[a-zA-Z]{2}|^[a-zA-Z]{2}-[a-zA-Z]{2}\\]?$".into());
                        *count += 1;
                    } else {
                        escape_bracket(item, count);
                    }
                }
            }
            Value::Array(items) => items.iter_mut().for_each(|i| escape_bracket(i, count)),
            _ => {}
        }
    }
    let mut escaped = 0;
    escape_bracket(&mut schema, &mut escaped);
    assert!(escaped >= 1);
    let validator = jsonschema::validator_for(&schema).expect("the SARIF schema compiles");
    // A mixed project: code in three languages, with errors; and one with a warning only.
    let out = flowql(&["check", "--format", "sarif"], &embedded_project());
    assert_eq!(out.status.code(), Some(1));
    let log: Value = serde_json::from_slice(&out.stdout).unwrap();
    let problems: Vec<String> = validator
        .iter_errors(&log)
        .map(|e| format!("{e} at {}", e.instance_path()))
        .collect();
    assert!(problems.is_empty(), "{problems:#?}");
    // The validation can fail: a level SARIF does not know is refused.
    let mut broken = log.clone();
    broken["runs"][0]["results"][0]["level"] = Value::String("fatal".into());
    assert!(!validator.is_valid(&broken));
    let run = &log["runs"][0];
    assert_eq!(run["tool"]["driver"]["name"], "flowql");
    let results = run["results"].as_array().unwrap();
    assert_eq!(results.len(), 11);
    let first = &results[0];
    assert_eq!(first["ruleId"], "UNKNOWN_FIELD");
    assert_eq!(first["level"], "error");
    let location = &first["locations"][0]["physicalLocation"];
    assert_eq!(location["artifactLocation"]["uri"], "src/app.js");
    assert_eq!(location["region"]["startLine"], 8);
    assert_eq!(location["region"]["startColumn"], 5);
    // Every result's rule is in the driver's rules, at its index.
    let rules = run["tool"]["driver"]["rules"].as_array().unwrap();
    for result in results {
        let index = result["ruleIndex"].as_u64().unwrap() as usize;
        assert_eq!(rules[index]["id"], result["ruleId"]);
    }
    let dir = temp_dir("sarif-warning");
    std::fs::write(
        dir.join("stream.graphql"),
        "query S($p: JSON!) { executeWorkflowWithStream(payload: $p) }\n",
    )
    .unwrap();
    let out = flowql(&["check", "--format", "sarif", "stream.graphql"], &dir);
    assert_eq!(out.status.code(), Some(0));
    let log: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(validator.is_valid(&log));
    assert_eq!(log["runs"][0]["results"][0]["level"], "warning");
}

#[test]
fn github_annotations_and_max_warnings() {
    let out = flowql(&["check", "--format", "github"], &embedded_project());
    let text = String::from_utf8(out.stdout).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 12, "{text}");
    assert!(
        lines[0].starts_with("::error file=src/app.js,line=8,col=5,endLine=8,endColumn=10,title=flowql UNKNOWN_FIELD::type `WorkflowResult` does not have a field `reslt`; did you mean `result`? (HTTP 400 if sent). Fix: "),
        "{}",
        lines[0]
    );
    assert!(
        lines[4].starts_with("::warning file=src/app.js,line=30,col=7,"),
        "{}",
        lines[4]
    );
    assert_eq!(lines[11], "flowql: 8 errors, 3 warnings in 5 files checked");

    let dir = temp_dir("max-warnings");
    std::fs::write(
        dir.join("stream.graphql"),
        "query S($p: JSON!) { executeWorkflowWithStream(payload: $p) }\n",
    )
    .unwrap();
    let out = flowql(&["check", "--max-warnings", "0", "stream.graphql"], &dir);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("1 warnings, more than --max-warnings 0"));
    let out = flowql(
        &[
            "check",
            "--max-warnings",
            "1",
            "--format",
            "github",
            "stream.graphql",
        ],
        &dir,
    );
    assert_eq!(out.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&out.stdout)
        .starts_with("::warning file=stream.graphql,line=1,col=22,"));
}
