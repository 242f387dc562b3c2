//! An input schema in any dialect compiled, then a payload validated against it (the input
//! split at its first NUL: schema JSON, payload JSON).
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let (schema, payload) = text.split_once('\0').unwrap_or((&text, "{}"));
    let Ok(schema) = serde_json::from_str::<serde_json::Value>(schema) else {
        return;
    };
    let payload = serde_json::from_str::<serde_json::Value>(payload).unwrap_or_default();
    let input =
        flowql::flows::validate::CompiledInput::new(flowql::flows::dialect::compile(&schema));
    for strict in [false, true] {
        let problems = flowql::flows::validate::validate(&input, &payload, strict);
        if input.is_valid(&payload) {
            assert!(problems.is_empty(), "{problems:?}");
        }
    }
});
