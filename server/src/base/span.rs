//! Byte ranges of apollo-compiler's source locations.

use std::ops::Range;

use apollo_compiler::parser::SourceSpan;

/// The byte range of a location, or an empty range at 0 when apollo-compiler has none.
pub fn span(location: Option<SourceSpan>) -> Range<usize> {
    location.map_or(0..0, |s| s.offset()..s.end_offset())
}
