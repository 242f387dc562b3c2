//! The platform layout's files: a flow module (TypeScript), a flow export (JSON), a
//! `lamatic.config` (TypeScript and YAML) and a `.env`, read from the same text.
#![no_main]
use std::path::Path;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let root = Path::new("/nonexistent-flowql-fuzz");
    for name in ["flows/a.ts", "flows/a.json"] {
        match flowql::kit::flow_module::read(&root.join(name), &text, root) {
            Ok(Some(flow)) => {
                if let Some(r) = flow.schema_range {
                    assert!(r.end <= text.len());
                }
            }
            Ok(None) => {}
            Err(problem) => assert!(problem.range.end <= text.len()),
        }
    }
    for name in ["lamatic.config.ts", "lamatic.config.yaml"] {
        let steps = flowql::kit::steps::read(&text, Path::new(name));
        for step in &steps.steps {
            assert!(step.id_range.end <= text.len());
        }
    }
    let env = flowql::kit::env_files::parse(&text, Path::new(".env"));
    for entry in &env.entries {
        assert_eq!(&text[entry.range.clone()], entry.name);
        assert!(text.get(entry.value_range.clone()).is_some());
    }
    for line in &env.unreadable {
        assert!(text.get(line.range.clone()).is_some_and(|l| !l.contains('\n')));
    }
});
