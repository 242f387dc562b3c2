//! A payload file checked against flows of every dialect, with hover and completion at a few
//! offsets; and a variables file against an operation.
#![no_main]
use std::path::Path;

use flowql::flows::registry::FlowRegistry;
use libfuzzer_sys::fuzz_target;
use serde_json::json;

fn registry() -> FlowRegistry {
    let flow = |id: &str, schema: serde_json::Value| {
        json!({"id": id, "nodes": [{"data": {"trigger": true, "nodeId": "graphqlNode",
            "values": {"advance_schema": schema.to_string()}}}]})
    };
    let mut registry = FlowRegistry::default();
    registry.add_exports(
        &[
            flow("type-map", json!({"topic": "string", "n": "int", "tags": "[string]", "meta": {"lang": "string?"}, "rounds": [{"r": "int"}]})),
            flow("json-schema", json!({"type": "object", "properties": {"mode": {"type": "string", "enum": ["a", "b"]}, "items": {"type": "array", "maxItems": 2}}, "required": ["mode"], "additionalProperties": false})),
            flow("hybrid", json!({"note": {"type": "string", "minLength": 3, "pattern": "^a"}, "n": "int"})),
        ],
        Path::new("/fuzz/flows.json"),
    );
    registry
}

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let flows = registry();
    for id in ["type-map", "json-schema", "hybrid", "missing"] {
        for strict in [false, true] {
            for d in flowql::checks::payloads::files::check(&text, id, &flows, strict) {
                assert!(d.range.end <= text.len(), "{d:?}");
            }
        }
        for offset in [0, text.len() / 3, text.len() / 2, text.len()] {
            if text.is_char_boundary(offset) {
                let _ = flowql::features::hover::flows::in_payload_file(&text, id, &flows, offset);
                let _ = flowql::features::completion::payload::in_payload_file(
                    &text, id, &flows, offset,
                );
            }
        }
    }
    let operation = "query Run($id: String!, $payload: JSON!) { executeWorkflow(workflowId: $id, payload: $payload) { status } }";
    let _ = flowql::checks::payloads::files::check_variables(&text, operation, &flows, false);
});
