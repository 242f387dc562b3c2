//! Payload-check timings (no Criterion yet: a plain timing harness, `harness = false`).
//! Run: `cargo bench --bench payloads`. Prints the median of repeated runs.

use std::sync::Arc;
use std::time::{Duration, Instant};

use flowql::analysis::{analyze_with_flows, payload_file};
use flowql::flows::registry::FlowRegistry;
use serde_json::json;

fn median(mut samples: Vec<Duration>) -> Duration {
    samples.sort();
    samples[samples.len() / 2]
}

fn time(runs: usize, mut f: impl FnMut()) -> Duration {
    median(
        (0..runs)
            .map(|_| {
                let start = Instant::now();
                f();
                start.elapsed()
            })
            .collect(),
    )
}

fn rss_kb() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmRSS:"))
                .and_then(|l| l.split_whitespace().nth(1)?.parse().ok())
        })
        .unwrap_or(0)
}

fn main() {
    let dir = std::env::temp_dir().join(format!("flowql-bench-payloads-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("exports")).unwrap();

    // 1. A 1 MB payload file against a type-map with an array of objects.
    std::fs::write(
        dir.join("items.json"),
        json!({"title": "string", "items": [{"id": "int", "name": "string", "tags": "[string]", "score": "float"}]}).to_string(),
    )
    .unwrap();
    let flows =
        json!({"items-flow": {"schema": "items.json"}, "wide-flow": {"schema": "wide.json"}});
    let wide: serde_json::Map<String, serde_json::Value> = (0..200)
        .map(|i| (format!("field{i}"), json!("string")))
        .collect();
    std::fs::write(
        dir.join("wide.json"),
        serde_json::Value::Object(wide).to_string(),
    )
    .unwrap();
    let registry = Arc::new(FlowRegistry::load(&dir, Some(&flows), &[]));
    let mut items = Vec::new();
    let mut payload = String::new();
    while payload.len() < 1_048_576 {
        items.push(json!({"id": items.len(), "name": format!("item {}", items.len()), "tags": ["a", "b", "c"], "score": 0.5}));
        if items.len() % 500 == 0 {
            payload = serde_json::to_string_pretty(&json!({"title": "t", "items": items})).unwrap();
        }
    }
    let problems = payload_file::check(&payload, "items-flow", &registry, false);
    assert!(problems.is_empty(), "{problems:?}");
    let file = time(20, || {
        payload_file::check(&payload, "items-flow", &registry, false);
    });
    println!(
        "payload file {:.2} MB, {} items, valid: median {:.2} ms",
        payload.len() as f64 / 1_048_576.0,
        items.len(),
        file.as_secs_f64() * 1000.0
    );
    // The same file with one mistake in its last item: the ranges must be found.
    let last = payload.rfind("\"id\": ").unwrap();
    let wrong = format!(
        "{}\"id\": \"x\",{}",
        &payload[..last],
        &payload[payload[last..].find(',').unwrap() + last + 1..]
    );
    let problems = payload_file::check(&wrong, "items-flow", &registry, false);
    assert_eq!(problems.len(), 1, "{problems:?}");
    let with_error = time(20, || {
        payload_file::check(&wrong, "items-flow", &registry, false);
    });
    println!(
        "the same file with one wrong value: median {:.2} ms (validate, then parse with ranges to place it)",
        with_error.as_secs_f64() * 1000.0
    );

    // 2. A 200-field inline payload in a GraphQL operation.
    let fields: Vec<String> = (0..200)
        .map(|i| format!("field{i}: \"value {i}\""))
        .collect();
    let operation = format!(
        "query Wide {{ executeWorkflow(workflowId: \"wide-flow\", payload: {{ {} }}) {{ status }} }}",
        fields.join(", ")
    );
    let schema = flowql::schema::bundled();
    let analysis = analyze_with_flows(&operation, schema.clone(), registry.clone(), false);
    assert!(
        analysis.diagnostics.is_empty(),
        "{:?}",
        analysis.diagnostics
    );
    let inline = time(50, || {
        analyze_with_flows(&operation, schema.clone(), registry.clone(), false);
    });
    println!(
        "inline payload of 200 fields: median {:.2} ms (whole document: parse, validate, payload)",
        inline.as_secs_f64() * 1000.0
    );

    // 3. A registry of 500 flows from export files.
    for i in 0..500 {
        let schema: serde_json::Map<String, serde_json::Value> = (0..12)
            .map(|f| {
                (
                    format!("field{f}"),
                    json!(if f % 3 == 0 { "int" } else { "string" }),
                )
            })
            .collect();
        let export = json!({"id": format!("flow-{i}"), "name": format!("Flow {i}"), "status": "active",
            "nodes": [{"data": {"trigger": true, "nodeId": "graphqlNode",
                "values": {"advance_schema": serde_json::Value::Object(schema).to_string()}}}]});
        std::fs::write(
            dir.join(format!("exports/flow-{i}.json")),
            export.to_string(),
        )
        .unwrap();
    }
    let before = rss_kb();
    let start = Instant::now();
    let big = FlowRegistry::load(&dir, None, &["exports/*.json".to_string()]);
    let elapsed = start.elapsed();
    let after = rss_kb();
    assert_eq!(big.len(), 500);
    println!(
        "registry of 500 flows (12 fields each) from export files: {:.1} ms, resident memory +{:.1} MB",
        elapsed.as_secs_f64() * 1000.0,
        after.saturating_sub(before) as f64 / 1024.0
    );
    drop(big);
    let _ = std::fs::remove_dir_all(&dir);
}
