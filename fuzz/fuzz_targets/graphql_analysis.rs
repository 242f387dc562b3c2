//! One GraphQL document analysed against the bundled schema: parse, validate, refine, fixes,
//! payload checks, outline, semantic tokens and formatting must never panic.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let analysis = flowql::checks::document::analyze(&text, flowql::schema::bundled());
    for d in &analysis.diagnostics {
        assert!(
            d.range.start <= d.range.end && d.range.end <= text.len(),
            "{d:?}"
        );
        for fix in &d.fixes {
            for edit in &fix.edits {
                assert!(
                    edit.range.end <= text.len()
                        && text.is_char_boundary(edit.range.start)
                        && text.is_char_boundary(edit.range.end)
                );
            }
        }
    }
    let _ = flowql::features::highlight::tokens(&text);
    if let Some(formatted) = flowql::features::format::format(&text) {
        // Formatting is idempotent.
        assert_eq!(
            flowql::features::format::format(&formatted).as_deref(),
            Some(formatted.as_str())
        );
    }
});
