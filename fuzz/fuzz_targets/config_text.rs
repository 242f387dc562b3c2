//! A graphql-config file's text in each format it may be written in.
#![no_main]
use std::path::Path;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data).into_owned();
    let base = flowql::config::FlowqlSettings::default();
    for name in [
        ".graphqlrc.yml",
        ".graphqlrc.json",
        ".graphqlrc.toml",
        ".graphqlrc",
    ] {
        let path = Path::new("/nonexistent-flowql-fuzz").join(name);
        if let Ok(config) = flowql::config::Config::from_text(&path, text.clone(), &base) {
            for problem in &config.problems {
                assert!(problem.range.end <= text.len(), "{problem:?}");
            }
            let file = Path::new("/nonexistent-flowql-fuzz/a.graphql");
            let project = config.project_for(file);
            let _ = config.payload_flow(project, file);
        }
    }
    if let Ok(value) = serde_json::from_str::<serde_json::Value>(&text) {
        let _ = flowql::config::settings::from_editor(&value);
    }
});
