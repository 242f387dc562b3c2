//! Two documents of one project sharing fragments (the input split at its first NUL): each is
//! analysed with the other's fragments, as the server does with another document's text.
#![no_main]
use std::path::Path;
use std::sync::Arc;

use flowql::checks::graphql::fragments::{definitions_in, ProjectFragments};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let (a, b) = text
        .split_once('\0')
        .unwrap_or((&text, "fragment F on Query { ...F }"));
    for (this, other, path) in [(a, b, "/p/b.graphql"), (b, a, "/p/a.graphql")] {
        let fragments = ProjectFragments::new(
            definitions_in(other, Some(Path::new(path)))
                .into_iter()
                .map(Arc::new),
        );
        let analysis = flowql::checks::document::analyze_in_project(
            this,
            flowql::schema::bundled(),
            Arc::default(),
            false,
            &fragments,
        );
        for d in &analysis.diagnostics {
            assert!(d.range.end <= this.len(), "{d:?} beyond {}", this.len());
        }
    }
});
