//! What a request reads of an open document: an analysis of its current text (the newest, or
//! one computed now when that is stale), and a position with what is known there: the
//! document, its analysis and the offset, translated into a GraphQL literal's own when the
//! position is in one.

use std::sync::Arc;

use tower_lsp_server::ls_types::{TextDocumentPositionParams, Uri};

use super::proto;
use super::state::ServerState;
use crate::base::document::Document;
use crate::checks::document::Analysis;
use crate::workspace::check_document_with;

/// A request's position in an open document, with what is known there.
pub(super) struct Cursor {
    pub(super) doc: crate::base::document::Document,
    pub(super) analysis: Arc<crate::checks::document::Analysis>,
    pub(super) offset: usize,
    pub(super) resolved: Option<crate::workspace::Resolved>,
    /// In a GraphQL literal of a host file: its text, and where it starts. `analysis` and
    /// `offset` are then the literal's own.
    pub(super) embedded: Option<(String, usize)>,
}

impl Cursor {
    /// The GraphQL text the cursor is in.
    pub(super) fn text(&self) -> String {
        match &self.embedded {
            Some((text, _)) => text.clone(),
            None => self.doc.text(),
        }
    }

    /// How far the literal's offsets are from the host's.
    pub(super) fn shift(&self) -> usize {
        self.embedded.as_ref().map_or(0, |(_, start)| *start)
    }
}

impl ServerState {
    /// The document and an analysis of its current text, computing one if the newest is stale.
    pub async fn current(self: &Arc<Self>, uri: &Uri) -> Option<(Document, Arc<Analysis>)> {
        let (doc, path, ready) = {
            let documents = self.documents();
            let open = documents.get(uri)?;
            // Another document's fragments changed and were not read since: this analysis
            // may know them as they were.
            let fragments_pending = documents.iter().any(|(other, d)| {
                other != uri && !d.is_json() && d.fragments.version != Some(d.doc.version())
            });
            let ready = open
                .analysis
                .as_ref()
                .filter(|(v, _)| *v == open.doc.version() && !fragments_pending)
                .map(|(_, a)| a.clone());
            (open.doc.clone(), open.path.clone(), ready)
        };
        if let Some(analysis) = ready {
            return Some((doc, analysis));
        }
        let text = doc.text();
        let state = self.clone();
        let uri = uri.clone();
        let analysis = tokio::task::spawn_blocking(move || {
            let resolved = state.workspace.for_file(path.as_deref());
            let fragments = state.project_fragments(&uri, &resolved);
            let analysis = check_document_with(&text, &resolved, &fragments);
            state.with_project_diagnostics(analysis, &resolved)
        })
        .await
        .ok()?;
        Some((doc, Arc::new(analysis)))
    }

    /// The document, its current analysis and the byte offset of a request's position.
    pub(super) async fn cursor(
        self: &Arc<Self>,
        position: &TextDocumentPositionParams,
    ) -> Option<Cursor> {
        let uri = &position.text_document.uri;
        let (doc, analysis) = self.current(uri).await?;
        let offset =
            doc.position_to_offset(proto::from_position(position.position), self.encoding())?;
        let resolved = self.resolved_for(uri);
        if resolved.as_ref().is_some_and(|r| r.host.is_some()) {
            // Code: only its GraphQL literals are ours.
            let region = analysis.region_at(offset)?;
            return Some(Cursor {
                offset: offset - region.start,
                embedded: Some((region.text.clone(), region.start)),
                analysis: region.analysis.clone(),
                doc,
                resolved,
            });
        }
        Some(Cursor {
            doc,
            analysis,
            offset,
            resolved,
            embedded: None,
        })
    }
}
