//! Kits written for the `flowql check` tests, and readers of its JSON report.

use std::path::Path;

use serde_json::Value;

use super::cli::flowql;

pub fn write(dir: &Path, file: &str, text: &str) {
    let path = dir.join(file);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

/// A flow module with an API trigger and the given `advance_schema` (a JSON text).
pub fn flow_module(name: &str, schema: &str) -> String {
    format!(
        "export const meta = {{ name: {name:?} }};\nexport const nodes = [\n  {{ id: \"triggerNode_1\", type: \"triggerNode\", data: {{ nodeId: \"graphqlNode\", trigger: true, values: {{ responeType: \"realtime\", advance_schema: {schema:?} }} }} }},\n];\nexport default {{ meta, nodes }};\n"
    )
}

pub fn kit_config(steps: &[(&str, &str)]) -> String {
    let steps: Vec<String> = steps
        .iter()
        .map(|(id, env)| {
            format!("    {{ id: \"{id}\", type: \"mandatory\" as const, envKey: \"{env}\" }},")
        })
        .collect();
    format!(
        "export default {{\n  name: \"kit\",\n  type: \"kit\" as const,\n  steps: [\n{}\n  ],\n}};\n",
        steps.join("\n")
    )
}

/// A kit under `dir/prefix` with one step, `ask` (`ASK_FLOW_ID`), whose flow `name` declares
/// `schema` (a JSON text).
pub fn ask_kit(dir: &Path, prefix: &str, name: &str, schema: &str) {
    write(
        dir,
        &format!("{prefix}lamatic.config.ts"),
        &kit_config(&[("ask", "ASK_FLOW_ID")]),
    );
    write(
        dir,
        &format!("{prefix}flows/ask.ts"),
        &flow_module(name, schema),
    );
}

/// A kit under `dir/prefix` with two steps, `ask` and `tell` (`ASK_FLOW_ID`, `TELL_FLOW_ID`),
/// whose flows declare no schema.
pub fn ask_and_tell(dir: &Path, prefix: &str) {
    write(
        dir,
        &format!("{prefix}lamatic.config.ts"),
        &kit_config(&[("ask", "ASK_FLOW_ID"), ("tell", "TELL_FLOW_ID")]),
    );
    for name in ["ask", "tell"] {
        write(
            dir,
            &format!("{prefix}flows/{name}.ts"),
            &flow_module(name, ""),
        );
    }
}

/// Runs `flowql check --format json ARGS` in `dir`: the exit code and the report.
pub fn check_json(dir: &Path, args: &[&str]) -> (Option<i32>, Value) {
    let mut all = vec!["check", "--format", "json", "--offline"];
    all.extend_from_slice(args);
    let out = flowql(&all, dir);
    let report = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "not JSON ({e}): {}\n{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
    });
    (out.status.code(), report)
}

/// The paths of the files a report lists.
pub fn paths(report: &Value) -> Vec<&str> {
    report["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["path"].as_str().unwrap())
        .collect()
}

/// (path, code, line, character) of every diagnostic, in report order.
/// The errors and warnings of a report: (path, code, line, character). Hints (a flow no code
/// calls, an id none of the project's flows has) are left to the tests about them.
pub fn diagnostics(report: &Value) -> Vec<(String, String, u64, u64)> {
    of_severity(report, |severity| severity != "hint")
}

/// The hints of a report, as [`diagnostics`] gives the rest.
pub fn hints(report: &Value) -> Vec<(String, String, u64, u64)> {
    of_severity(report, |severity| severity == "hint")
}

pub fn of_severity(report: &Value, keep: impl Fn(&str) -> bool) -> Vec<(String, String, u64, u64)> {
    let mut out = Vec::new();
    for file in report["files"].as_array().unwrap() {
        for d in file["diagnostics"].as_array().unwrap() {
            if !keep(d["severity"].as_str().unwrap_or_default()) {
                continue;
            }
            out.push((
                file["path"].as_str().unwrap().to_string(),
                d["code"].as_str().unwrap().to_string(),
                d["range"]["start"]["line"].as_u64().unwrap(),
                d["range"]["start"]["character"].as_u64().unwrap(),
            ));
        }
    }
    out
}
