//! One cause of a failed answer, as a catalog entry and what the answer said; and where in an
//! answer the platform puts its run.

use crate::base::catalog::Code;

/// One cause of a failure: the catalog entry (its status, title and fix) and what this answer
/// said.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    pub code: Code,
    pub message: String,
}

impl Finding {
    /// " (HTTP 404)" for a code the platform answers with, else nothing.
    pub fn status_note(&self) -> String {
        self.code
            .entry()
            .http_status
            .map(|s| format!(" (HTTP {s})"))
            .unwrap_or_default()
    }
}

/// The fields an answer of the platform carries its run in, most telling first.
pub(super) const RUN_FIELDS: &[&str] = &[
    "executeWorkflow",
    "checkStatus",
    "executeAgent",
    "executeWorkflowWithStream",
];
