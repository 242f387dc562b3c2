//! `textDocument/prepareRename` and `textDocument/rename`: a flow's input field (see
//! [`super::flow_fields`]); else, in a GraphQL document or a GraphQL literal of code, a fragment
//! (its spreads across the project's documents too), a variable or an operation; every
//! occurrence in one `WorkspaceEdit`.

use std::collections::HashMap;
use std::ops::Range;
use std::sync::Arc;

use tower_lsp_server::ls_types as lsp;

use super::proto;
use super::state::ServerState;
use crate::base::document::Document;
use crate::features::navigate::in_document::{self, Target};

/// A GraphQL name at a position, in the host document's offsets.
struct NameSite {
    doc: Document,
    /// The occurrence under the cursor.
    at: Range<usize>,
    name: String,
    /// Every occurrence in this document.
    here: Vec<Range<usize>>,
    /// A fragment, whose spreads other documents may hold.
    fragment: Option<Target>,
}

impl ServerState {
    pub async fn prepare_rename(
        self: &Arc<Self>,
        uri: &lsp::Uri,
        position: lsp::Position,
    ) -> Option<lsp::PrepareRenameResponse> {
        if let Some(found) = self.prepare_field_rename(uri, position).await {
            return Some(found);
        }
        let site = self.graphql_name_at(uri, position).await?;
        Some(lsp::PrepareRenameResponse::RangeWithPlaceholder {
            range: proto::range(&site.doc, &site.at, self.encoding()),
            placeholder: site.name,
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
        let Some(site) = self.graphql_name_at(uri, position).await else {
            return Ok(None);
        };
        if !crate::features::navigate::fields::is_field_name(name) {
            return Err(format!(
                "`{name}` is not a GraphQL name (letters, digits and `_`, not starting with a digit)"
            ));
        }
        let encoding = self.encoding();
        let edit = |range: lsp::Range| lsp::TextEdit {
            range,
            new_text: name.to_string(),
        };
        let mut changes: HashMap<lsp::Uri, Vec<lsp::TextEdit>> = HashMap::new();
        changes.insert(
            uri.clone(),
            site.here
                .iter()
                .map(|r| edit(proto::range(&site.doc, r, encoding)))
                .collect(),
        );
        if let Some(target) = site.fragment {
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
                    .push(edit(location.range));
            }
        }
        Ok(Some(lsp::WorkspaceEdit {
            changes: Some(changes),
            ..Default::default()
        }))
    }

    /// The fragment, variable or operation name at a position (in a GraphQL document, or in
    /// the GraphQL literal of code under the cursor).
    async fn graphql_name_at(
        self: &Arc<Self>,
        uri: &lsp::Uri,
        position: lsp::Position,
    ) -> Option<NameSite> {
        let (doc, whole) = self.current(uri).await?;
        let offset = doc.position_to_offset(proto::from_position(position), self.encoding())?;
        let (analysis, shift) = if super::state::is_host(uri) {
            let region = whole.region_at(offset)?;
            (region.analysis.clone(), region.start)
        } else {
            (whole, 0)
        };
        let inner = offset - shift;
        let shifted = |r: Range<usize>| r.start + shift..r.end + shift;
        let (name, here, fragment) = match in_document::target_at(&analysis.ast, inner) {
            Some(target) => {
                let here = in_document::references(&analysis.ast, &target, true);
                let (name, fragment) = match &target {
                    Target::Fragment(name) => (name.clone(), Some(target.clone())),
                    Target::Variable { name, .. } => (name.clone(), None),
                };
                (name, here, fragment)
            }
            None => {
                let (name, range) = in_document::operation_name_at(&analysis.ast, inner)?;
                (name, vec![range], None)
            }
        };
        let at = here
            .iter()
            .find(|r| r.start.saturating_sub(1) <= inner && inner <= r.end)?
            .clone();
        Some(NameSite {
            doc,
            at: shifted(at),
            name,
            here: here.into_iter().map(shifted).collect(),
            fragment,
        })
    }
}
