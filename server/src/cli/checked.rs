//! What `flowql check` works on: a file to check with what applies to it (`Job`), and the
//! checked file, ready to report (`FileResult`).

use std::path::PathBuf;
use std::sync::Arc;

use crate::base::diagnostic::Diagnostic;
use crate::base::document::Document;
use crate::checks::graphql::fragments::ProjectFragments;
use crate::workspace::Resolved;

/// One checked file, ready to report.
pub struct FileResult {
    /// As given, or relative to the working directory.
    pub display_path: String,
    pub document: Document,
    pub diagnostics: Vec<Diagnostic>,
    /// The flow calls found in the file (SDK calls), resolved or not.
    pub flow_calls: Vec<crate::surfaces::call::CallSummary>,
}

/// A file to check, with what applies to it.
pub(super) struct Job {
    pub(super) path: PathBuf,
    pub(super) display_path: String,
    pub(super) resolved: Resolved,
    /// The fragments of the GraphQL files checked in the same project.
    pub(super) fragments: Arc<ProjectFragments>,
    /// The file's bytes, when read ahead (GraphQL and code files are, for their fragments).
    pub(super) contents: Option<Vec<u8>>,
}

impl Job {
    /// A file to check, its fragments and contents not read yet.
    pub(super) fn new(path: PathBuf, display_path: String, resolved: Resolved) -> Job {
        Job {
            path,
            display_path,
            resolved,
            fragments: Arc::default(),
            contents: None,
        }
    }
}
