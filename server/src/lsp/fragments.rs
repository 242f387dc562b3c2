//! The fragments of each project, for validating a document that spreads a fragment another
//! file defines: the project's document files as saved (read once, forgotten when watched
//! files change) overlaid with the open documents as edited. A document whose fragments change
//! gets the open documents that spread them checked again.

use std::collections::HashSet;
use std::path::PathBuf;
use std::sync::Arc;

use tower_lsp_server::ls_types::Uri;

use super::state::ServerState;
use super::trackers::{project_key, OpenFragments};
use crate::checks::document::Analysis;
use crate::checks::graphql::fragments::{self, FragmentDef, ProjectFragments};
use crate::workspace::Resolved;

impl ServerState {
    /// The fragments a document may spread from elsewhere in its project: the other open
    /// documents as edited, and the saved files that are not open.
    pub fn project_fragments(&self, uri: &Uri, resolved: &Resolved) -> ProjectFragments {
        let key = project_key(resolved);
        let (open_paths, open_defs) = {
            let documents = self.documents();
            let paths: HashSet<PathBuf> =
                documents.values().filter_map(|d| d.path.clone()).collect();
            let mut defs: Vec<Arc<FragmentDef>> = Vec::new();
            let mut unread = Vec::new();
            for (other, open) in documents.iter().filter(|(u, _)| *u != uri) {
                if open.fragments.version == Some(open.doc.version()) {
                    if open.fragments.project == key {
                        defs.extend(open.fragments.defined.iter().cloned());
                    }
                } else {
                    // Opened or edited and not analysed yet: read from its text as it is now.
                    unread.push((other.clone(), open.path.clone(), open.doc.text()));
                }
            }
            drop(documents);
            for (_, path, text) in unread {
                if project_key(&self.workspace.for_file(path.as_deref())) == key {
                    let read = match path.as_deref() {
                        Some(path) => fragments::definitions_in_file(&text, path),
                        None => fragments::definitions_in(&text, None),
                    };
                    defs.extend(read.into_iter().map(Arc::new));
                }
            }
            (paths, defs)
        };
        let disk = self.disk_fragments.of(resolved);
        let saved = disk
            .iter()
            .filter(|d| d.file.as_ref().is_none_or(|f| !open_paths.contains(f)))
            .cloned();
        ProjectFragments::new(open_defs.into_iter().chain(saved))
    }

    /// Records the fragments of a document's new analysis; when they changed, returns the other
    /// open documents that spread one of them (their analyses marked stale), to be checked
    /// again.
    pub fn record_fragments(
        &self,
        uri: &Uri,
        analysis_version: i32,
        text: &str,
        analysis: &Analysis,
        resolved: &Resolved,
    ) -> Vec<Uri> {
        let path = uri.to_file_path().map(|p| p.into_owned());
        let mut defined = fragments::definitions(text, &analysis.ast, path.as_deref());
        let mut spreads = fragments::spread_names(&analysis.ast);
        // Code: its GraphQL literals, in the code's offsets.
        for region in &analysis.regions {
            let ast = &region.analysis.ast;
            defined.extend(
                fragments::definitions(&region.text, ast, path.as_deref())
                    .into_iter()
                    .map(|mut d| {
                        d.name_range =
                            d.name_range.start + region.start..d.name_range.end + region.start;
                        d
                    }),
            );
            spreads.extend(fragments::spread_names(ast));
        }
        let fresh = OpenFragments {
            version: Some(analysis_version),
            project: project_key(resolved),
            defined: defined.into_iter().map(Arc::new).collect(),
            spreads,
        };
        let old = {
            let mut documents = self.documents();
            let Some(open) = documents.get_mut(uri) else {
                return Vec::new();
            };
            std::mem::replace(&mut open.fragments, fresh.clone())
        };
        let changed = if old.version.is_some() {
            changed_names(&old.defined, &fresh.defined)
        } else {
            // Never recorded (edited before its first analysis finished): the others knew it
            // as saved.
            let saved = path
                .as_deref()
                .and_then(|p| std::fs::read_to_string(p).ok())
                .map(|text| fragments::definitions_in(&text, path.as_deref()))
                .unwrap_or_default();
            changed_names(
                &saved.into_iter().map(Arc::new).collect::<Vec<_>>(),
                &fresh.defined,
            )
        };
        if changed.is_empty() {
            return Vec::new();
        }
        let mut documents = self.documents();
        documents
            .iter_mut()
            .filter(|(u, d)| {
                // A document not analysed since it was opened or edited may spread them too.
                let unknown = d.fragments.version != Some(d.doc.version());
                let spreads = d.fragments.project == fresh.project
                    && d.fragments.spreads.iter().any(|s| changed.contains(s));
                *u != uri && (unknown || spreads)
            })
            .map(|(u, d)| {
                // Same text, other results: the current analysis is stale.
                d.analysis = None;
                u.clone()
            })
            .collect()
    }
}

/// The names defined differently (added, removed or edited) between two lists.
fn changed_names(old: &[Arc<FragmentDef>], new: &[Arc<FragmentDef>]) -> HashSet<String> {
    let key = |d: &Arc<FragmentDef>| (d.name.clone(), d.type_condition.clone(), d.source.clone());
    let before: HashSet<_> = old.iter().map(key).collect();
    let after: HashSet<_> = new.iter().map(key).collect();
    before
        .symmetric_difference(&after)
        .map(|(name, _, _)| name.clone())
        .collect()
}
