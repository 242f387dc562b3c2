//! Code with GraphQL literals, `variables` objects and SDK flow calls, in each host language:
//! the whole host analysis (with a flow registry), and an incremental re-parse after an edit.
#![no_main]
use std::sync::Arc;

use flowql::checks::code::{analyze_host, HostInputs};
use flowql::checks::graphql::fragments::ProjectFragments;
use flowql::surfaces::code::HostLanguage;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if data.is_empty() {
        return;
    }
    let language = [
        HostLanguage::JavaScript,
        HostLanguage::TypeScript,
        HostLanguage::Tsx,
        HostLanguage::Python,
    ][data[0] as usize % 4];
    let text = String::from_utf8_lossy(&data[1..]);
    let none = ProjectFragments::default();
    let inputs = HostInputs {
        language,
        schema: flowql::schema::bundled(),
        flows: Arc::default(),
        strict: false,
        project: &none,
        previous: None,
    };
    let analysis = analyze_host(&text, &inputs);
    for d in &analysis.diagnostics {
        assert!(d.range.end <= text.len(), "{d:?}");
    }
    for call in &analysis.flow_calls {
        assert!(text.get(call.range.clone()).is_some(), "{:?}", call.range);
        assert!(
            text.get(call.id_range.clone()).is_some(),
            "{:?}",
            call.id_range
        );
    }
    for hint in flowql::features::hints::hints(&analysis.flow_calls, &text, 0..text.len()) {
        assert!(hint.at <= text.len());
    }
    for offset in [0, text.len() / 2, text.len()] {
        if text.is_char_boundary(offset) {
            let _ = flowql::features::hover::flows::hover(&analysis.flow_calls, offset, false);
            let _ = flowql::features::hover::flows::hover(&analysis.flow_calls, offset, true);
            let _ = flowql::surfaces::call::flow_at(&analysis.flow_calls, offset);
            let _ = flowql::features::completion::payload::in_calls(
                &analysis.flow_calls,
                &text,
                offset,
            );
        }
    }
});
