//! The one diagnostic type of the core: a code from the catalog, a byte range and a message.

use std::ops::Range;

use crate::base::catalog::{Code, Severity};

/// A problem found in a document. Ranges are UTF-8 byte offsets into the document's text;
/// the edges (LSP, CLI) convert them to lines and characters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub code: Code,
    pub severity: Severity,
    pub range: Range<usize>,
    pub message: String,
    /// Quick fixes, computed with the diagnostic so a code action needs no second analysis.
    pub fixes: Vec<Fix>,
}

/// One quick fix: a title and the edits of the document that make it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fix {
    pub title: String,
    pub edits: Vec<Edit>,
}

/// Replace `range` (bytes) with `text`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Edit {
    pub range: Range<usize>,
    pub text: String,
}

impl Diagnostic {
    /// A diagnostic with the catalog's default severity for its code.
    pub fn new(code: Code, range: Range<usize>, message: impl Into<String>) -> Self {
        Diagnostic {
            code,
            severity: code.entry().severity,
            range,
            message: message.into(),
            fixes: Vec::new(),
        }
    }

    /// Adds a fix that replaces one range.
    pub fn with_fix(
        mut self,
        title: impl Into<String>,
        range: Range<usize>,
        text: impl Into<String>,
    ) -> Self {
        self.fixes.push(Fix {
            title: title.into(),
            edits: vec![Edit {
                range,
                text: text.into(),
            }],
        });
        self
    }

    pub fn with_severity(mut self, severity: Severity) -> Self {
        self.severity = severity;
        self
    }

    /// The HTTP status the request would get, from the catalog.
    pub fn http_status(&self) -> Option<u16> {
        self.code.entry().http_status
    }

    /// The documented fix, from the catalog.
    pub fn fix(&self) -> &'static str {
        self.code.entry().fix
    }
}
