//! Diagnostics of a project's `lamatic.config` that depend on the calls of all its code: the
//! open documents' newest calls count, the saved files the others; a code document whose calls
//! change gets its project's open configuration checked again.

use std::collections::hash_map::DefaultHasher;
use std::hash::{Hash, Hasher};
use std::path::PathBuf;
use std::sync::Arc;

use tower_lsp_server::ls_types::Uri;

use super::state::ServerState;
use crate::checks::document::Analysis;
use crate::workspace::Resolved;

/// Whether `resolved` is that of a project's `lamatic.config`.
pub fn is_kit_config(resolved: &Resolved) -> bool {
    resolved
        .kit
        .as_ref()
        .is_some_and(|kit| kit.config_file.is_some() && kit.config_file == resolved.file)
}

/// What of a document's calls its project's configuration depends on: which flow each runs
/// and which near-miss name it reads.
pub fn calls_signature(analysis: &Analysis) -> u64 {
    let mut hasher = DefaultHasher::new();
    for call in &analysis.flow_calls {
        call.target
            .as_ref()
            .map(|(flow, _)| flow.id.as_str())
            .hash(&mut hasher);
        call.near_miss.hash(&mut hasher);
    }
    hasher.finish()
}

impl ServerState {
    /// `analysis` of a `lamatic.config` with the diagnostics that need the project's calls
    /// added, in order; any other analysis as it is.
    pub(super) fn with_project_diagnostics(
        &self,
        mut analysis: Analysis,
        resolved: &Resolved,
    ) -> Analysis {
        if !is_kit_config(resolved) {
            return analysis;
        }
        let open: Vec<(PathBuf, Arc<Analysis>)> = self
            .documents()
            .values()
            .filter_map(|d| Some((d.path.clone()?, d.newest.clone()?)))
            .collect();
        let found = self.workspace.config_diagnostics(resolved, &open);
        if !found.is_empty() {
            analysis.diagnostics.extend(found);
            analysis
                .diagnostics
                .sort_by_key(|d| (d.range.start, d.range.end));
        }
        analysis
    }

    /// After a code document's calls changed: its project's configuration, when open, is to
    /// be checked again; returns it, its analysis marked stale.
    pub(super) fn kit_config_to_recheck(&self, resolved: &Resolved) -> Vec<Uri> {
        let Some(config) = resolved.kit.as_ref().and_then(|k| k.config_file.clone()) else {
            return Vec::new();
        };
        if is_kit_config(resolved) {
            return Vec::new();
        }
        let mut documents = self.documents();
        documents
            .iter_mut()
            .filter(|(_, d)| d.path.as_ref() == Some(&config))
            .map(|(uri, d)| {
                d.mark_stale();
                uri.clone()
            })
            .collect()
    }
}
