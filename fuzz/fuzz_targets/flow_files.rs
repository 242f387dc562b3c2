//! The platform layout's files: a flow module (TypeScript), a flow export (JSON), a
//! `lamatic.config` (TypeScript and YAML) and a `.env`, read from the same text; and the places
//! of a flow's input fields in its schema string, which every key maps back into the file.
#![no_main]
use std::path::Path;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let root = Path::new("/nonexistent-flowql-fuzz");
    for name in ["flows/a.ts", "flows/a.json"] {
        match flowql::surfaces::kit::flow_module::read(&root.join(name), &text, root) {
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
        let steps = flowql::surfaces::kit::steps::read(&text, Path::new(name));
        for step in &steps.steps {
            assert!(step.id_range.end <= text.len());
        }
    }
    for name in ["flows/a.ts", "flows/a.json"] {
        let Some(schema) =
            flowql::surfaces::kit::schema_places::schema_text(&root.join(name), &text)
        else {
            continue;
        };
        for offset in (0..=schema.text.len()).step_by(7) {
            if let Some((path, name)) =
                flowql::surfaces::kit::schema_places::field_at(&schema.text, offset)
            {
                let in_file = schema
                    .to_file(&name)
                    .expect("a field's name maps into the file");
                assert!(in_file.start <= in_file.end && in_file.end <= text.len());
                assert!(
                    flowql::surfaces::kit::schema_places::declaration(&schema.text, &path)
                        .is_some()
                );
            }
        }
    }
    let env = flowql::surfaces::kit::env_files::parse(&text, Path::new(".env"));
    for entry in &env.entries {
        assert_eq!(&text[entry.range.clone()], entry.name);
        assert!(text.get(entry.value_range.clone()).is_some());
    }
    for line in &env.unreadable {
        assert!(text
            .get(line.range.clone())
            .is_some_and(|l| !l.contains('\n')));
    }
});
