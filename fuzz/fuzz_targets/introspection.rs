//! An introspection result (a server's answer) converted to SDL, and the SDL built as a schema.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(json) = serde_json::from_slice::<serde_json::Value>(data) else {
        return;
    };
    if let Ok(sdl) = flowql::schema::introspection::to_sdl(&json) {
        let _ = flowql::schema::from_sdl(
            &[(&sdl, "fuzz.graphql")],
            flowql::schema::SchemaSource::Bundled,
        );
    }
});
