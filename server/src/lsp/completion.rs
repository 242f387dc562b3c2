//! GraphQL completion for an open document: the core's items, with the fragments of the
//! document and of its project, and snippets when the client expands them.

use std::sync::atomic::Ordering;
use std::sync::Arc;

use super::state::ServerState;
use crate::checks::document::Analysis;
use crate::checks::graphql::fragments;
use crate::features::completion::graphql::{self, FragmentName, Options};
use crate::features::completion::payload::Item;

impl ServerState {
    /// The GraphQL completions at `offset` of an open document.
    pub fn graphql_completion(
        self: &Arc<Self>,
        uri: &tower_lsp_server::ls_types::Uri,
        text: &str,
        analysis: &Analysis,
        offset: usize,
    ) -> Vec<Item> {
        let path = uri.to_file_path().map(|p| p.into_owned());
        let mut names: Vec<FragmentName> = fragments::definitions(text, &analysis.ast, None)
            .into_iter()
            .map(|d| FragmentName {
                name: d.name,
                type_condition: d.type_condition,
            })
            .collect();
        if let Some(resolved) = self.resolved_for(uri) {
            let project = self.project_fragments(uri, &resolved);
            let project = project.without_file(path.as_deref());
            names.extend(project.iter().map(|d| FragmentName {
                name: d.name.clone(),
                type_condition: d.type_condition.clone(),
            }));
        }
        let options = Options {
            snippets: self.snippets.load(Ordering::Relaxed),
            fragments: &names,
        };
        graphql::complete(text, offset, &analysis.schema.schema, &options)
    }
}
