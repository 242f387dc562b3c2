//! Completion, hover, definition and selection ranges at every character boundary of a document
//! (at most 64 of them, spread over it).
#![no_main]
use flowql::features::completion::graphql::{complete, Options};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let schema = flowql::schema::bundled();
    let analysis = flowql::checks::document::analyze(&text, schema.clone());
    let options = Options {
        snippets: true,
        fragments: &[],
    };
    let boundaries: Vec<usize> = (0..=text.len())
        .filter(|i| text.is_char_boundary(*i))
        .collect();
    let step = (boundaries.len() / 64).max(1);
    for offset in boundaries.into_iter().step_by(step) {
        for item in complete(&text, offset, &schema.schema, &options) {
            if let Some(r) = item.replace {
                assert!(r.start <= r.end && r.end <= text.len());
            }
        }
        if let Some(info) = flowql::features::hover::graphql::hover(&analysis, offset, "https://x")
        {
            assert!(info.range.end <= text.len());
        }
        let _ = flowql::features::symbols::selection_ranges(&analysis.ast, &text, offset);
    }
});
