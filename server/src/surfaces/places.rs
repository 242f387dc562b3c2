//! Where the parts of a written value (a `variables` object, a payload) are in its text, for
//! the checks that place their problems on keys and values.

use std::ops::Range;

use crate::flows::validate::Segment;

/// Where the parts of the sent values are, and what is unknown about them.
pub trait Places {
    /// The range of the value at `path` (the whole object for `[]`).
    fn value(&self, path: &[Segment]) -> Option<Range<usize>>;
    /// The range of the key of the entry at `path`.
    fn key(&self, path: &[Segment]) -> Option<Range<usize>>;
    /// The value at `path` is an expression whose value is not known.
    fn unknown(&self, path: &[Segment]) -> bool;
    /// The object at `path` has a spread (`...rest`): other keys may be there.
    fn open(&self, path: &[Segment]) -> bool;
}
