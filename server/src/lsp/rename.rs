//! `textDocument/prepareRename` and `textDocument/rename`: a flow's input field (see
//! [`super::flow_fields`]), else a fragment (across the project's documents) or a variable of a
//! GraphQL document, every occurrence in one `WorkspaceEdit`.

use std::collections::HashMap;
use std::sync::Arc;

use tower_lsp_server::ls_types as lsp;

use super::proto;
use super::state::ServerState;
use crate::analysis::navigate::{self, Target};

impl ServerState {
    pub async fn prepare_rename(
        self: &Arc<Self>,
        uri: &lsp::Uri,
        position: lsp::Position,
    ) -> Option<lsp::PrepareRenameResponse> {
        if let Some(found) = self.prepare_field_rename(uri, position).await {
            return Some(found);
        }
        let (doc, range, name) = self.graphql_name_at(uri, position).await?;
        Some(lsp::PrepareRenameResponse::RangeWithPlaceholder {
            range: proto::range(&doc, &range, self.encoding()),
            placeholder: name,
        })
    }

    pub async fn rename(
        self: &Arc<Self>,
        uri: &lsp::Uri,
        position: lsp::Position,
        name: &str,
    ) -> Result<Option<lsp::WorkspaceEdit>, String> {
        if let Some(edit) = self.rename_field(uri, position, name).await? {
            return Ok(Some(edit));
        }
        let Some((doc, _, _)) = self.graphql_name_at(uri, position).await else {
            return Ok(None);
        };
        if !crate::analysis::flow_fields::is_field_name(name) {
            return Err(format!("`{name}` is not a GraphQL name (letters, digits and `_`, not starting with a digit)"));
        }
        let (_, analysis) = self.current(uri).await.ok_or("the document is not open")?;
        let encoding = self.encoding();
        let Some(offset) = doc.position_to_offset(proto::from_position(position), encoding) else {
            return Ok(None);
        };
        let Some(target) = navigate::target_at(&analysis.ast, offset) else {
            return Ok(None);
        };
        let mut changes: HashMap<lsp::Uri, Vec<lsp::TextEdit>> = HashMap::new();
        let here: Vec<lsp::TextEdit> = navigate::references(&analysis.ast, &target, true)
            .iter()
            .map(|range| lsp::TextEdit {
                range: proto::range(&doc, range, encoding),
                new_text: name.to_string(),
            })
            .collect();
        changes.insert(uri.clone(), here);
        if matches!(target, Target::Fragment(_)) {
            let state = self.clone();
            let from = uri.clone();
            let others = tokio::task::spawn_blocking(move || {
                state.references_elsewhere(&from, &target, true)
            })
            .await
            .unwrap_or_default();
            for location in others {
                changes
                    .entry(location.uri)
                    .or_default()
                    .push(lsp::TextEdit {
                        range: location.range,
                        new_text: name.to_string(),
                    });
            }
        }
        Ok(Some(lsp::WorkspaceEdit {
            changes: Some(changes),
            ..Default::default()
        }))
    }

    /// The fragment or variable name at a position of a GraphQL document, with its range.
    async fn graphql_name_at(
        self: &Arc<Self>,
        uri: &lsp::Uri,
        position: lsp::Position,
    ) -> Option<(crate::document::Document, std::ops::Range<usize>, String)> {
        if super::outline::is_host(uri) {
            return None;
        }
        let (doc, analysis) = self.current(uri).await?;
        let offset = doc.position_to_offset(proto::from_position(position), self.encoding())?;
        let target = navigate::target_at(&analysis.ast, offset)?;
        let range = navigate::references(&analysis.ast, &target, true)
            .into_iter()
            .find(|r| r.start.saturating_sub(1) <= offset && offset <= r.end)?;
        let name = match &target {
            Target::Fragment(name) | Target::Variable { name, .. } => name.clone(),
        };
        Some((doc, range, name))
    }
}
