//! Criterion benches of payload checks: a 1 MB payload file (valid, and with one mistake whose
//! range must be found), a 200-field inline payload, and a registry of 500 flows loaded from
//! export files and from the REST API's cache file. The registry's resident memory is printed
//! once (Criterion measures time only). Run: `cargo bench --bench payloads`.

use std::hint::black_box;
use std::path::PathBuf;
use std::sync::Arc;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use flowql::checks::document::analyze_with_flows;
use flowql::checks::payloads::files as payload_file;
use flowql::flows::registry::FlowRegistry;
use flowql::platform::flows_api::FlowsCache;
use serde_json::{json, Value};

fn folder() -> PathBuf {
    let dir = std::env::temp_dir().join(format!("flowql-bench-payloads-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("exports")).unwrap();
    dir
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

fn payload_file_1mb(c: &mut Criterion) {
    let dir = folder();
    std::fs::write(
        dir.join("items.json"),
        json!({"title": "string", "items": [{"id": "int", "name": "string", "tags": "[string]", "score": "float"}]}).to_string(),
    )
    .unwrap();
    let registry = FlowRegistry::load(
        &dir,
        Some(&json!({"items-flow": {"schema": "items.json"}})),
        &[],
    );
    let mut items = Vec::new();
    let mut payload = String::new();
    while payload.len() < 1_048_576 {
        items.push(json!({"id": items.len(), "name": format!("item {}", items.len()), "tags": ["a", "b", "c"], "score": 0.5}));
        if items.len() % 500 == 0 {
            payload = serde_json::to_string_pretty(&json!({"title": "t", "items": items})).unwrap();
        }
    }
    assert!(payload_file::check(&payload, "items-flow", &registry, false).is_empty());
    // The same file with one mistake in its last item: its range must be found.
    let last = payload.rfind("\"id\": ").unwrap();
    let wrong = format!(
        "{}\"id\": \"x\",{}",
        &payload[..last],
        &payload[payload[last..].find(',').unwrap() + last + 1..]
    );
    assert_eq!(
        payload_file::check(&wrong, "items-flow", &registry, false).len(),
        1
    );
    let mut group = c.benchmark_group("payload_file_1mb");
    group.sample_size(30);
    group.throughput(Throughput::Bytes(payload.len() as u64));
    group.bench_function("valid", |b| {
        b.iter(|| payload_file::check(black_box(&payload), "items-flow", &registry, false))
    });
    group.bench_function("one_mistake", |b| {
        b.iter(|| payload_file::check(black_box(&wrong), "items-flow", &registry, false))
    });
    group.finish();
}

fn inline_payload(c: &mut Criterion) {
    let dir = folder();
    let wide: serde_json::Map<String, Value> = (0..200)
        .map(|i| (format!("field{i}"), json!("string")))
        .collect();
    std::fs::write(dir.join("wide.json"), Value::Object(wide).to_string()).unwrap();
    let registry = Arc::new(FlowRegistry::load(
        &dir,
        Some(&json!({"wide-flow": {"schema": "wide.json"}})),
        &[],
    ));
    let fields: Vec<String> = (0..200)
        .map(|i| format!("field{i}: \"value {i}\""))
        .collect();
    let operation = format!(
        "query Wide {{ executeWorkflow(workflowId: \"wide-flow\", payload: {{ {} }}) {{ status }} }}",
        fields.join(", ")
    );
    let schema = flowql::schema::bundled();
    assert!(
        analyze_with_flows(&operation, schema.clone(), registry.clone(), false)
            .diagnostics
            .is_empty()
    );
    c.bench_function("inline_payload_200_fields", |b| {
        b.iter(|| {
            analyze_with_flows(
                black_box(&operation),
                schema.clone(),
                registry.clone(),
                false,
            )
        })
    });
}

/// The export of one flow whose API Request trigger declares twelve fields.
fn export(i: usize) -> Value {
    let schema: serde_json::Map<String, Value> = (0..12)
        .map(|f| {
            (
                format!("field{f}"),
                json!(if f % 3 == 0 { "int" } else { "string" }),
            )
        })
        .collect();
    json!({"id": format!("flow-{i}"), "name": format!("Flow {i}"), "status": "active",
        "nodes": [{"data": {"trigger": true, "nodeId": "graphqlNode",
            "values": {"advance_schema": Value::Object(schema).to_string()}}}]})
}

fn registry_500(c: &mut Criterion) {
    let dir = folder();
    let exports: Vec<Value> = (0..500).map(export).collect();
    for (i, e) in exports.iter().enumerate() {
        std::fs::write(dir.join(format!("exports/flow-{i}.json")), e.to_string()).unwrap();
    }
    let cache = dir.join("flows-cache.json");
    let cached = json!({"version": 1, "base": "https://api.example.test", "org": "o", "project": "p",
        "fetchedAt": 0, "flows": exports});
    std::fs::write(&cache, cached.to_string()).unwrap();

    let before = rss_kb();
    let loaded = FlowRegistry::load(&dir, None, &["exports/*.json".to_string()]);
    let grown = rss_kb().saturating_sub(before);
    assert_eq!(loaded.len(), 500);
    eprintln!(
        "registry of 500 flows: resident memory +{:.1} MB",
        grown as f64 / 1024.0
    );
    drop(loaded);

    let mut group = c.benchmark_group("registry_500_flows");
    group.sample_size(20);
    group.bench_function("from_export_files", |b| {
        b.iter(|| FlowRegistry::load(&dir, None, &["exports/*.json".to_string()]).len())
    });
    // What a resolution does with the REST API's cache: read, parse, compile every flow.
    group.bench_function("from_rest_api_cache", |b| {
        b.iter(|| {
            let text = std::fs::read_to_string(&cache).unwrap();
            let cached: FlowsCache = serde_json::from_str(&text).unwrap();
            let mut registry = FlowRegistry::default();
            registry.add_exports(&cached.flows, &cache);
            registry.len()
        })
    });
    group.finish();
}

criterion_group!(benches, payload_file_1mb, inline_payload, registry_500);
criterion_main!(benches);
