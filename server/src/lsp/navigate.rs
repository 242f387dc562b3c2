//! Go to definition and find references inside a document (fragments and variables), in
//! protocol types.

use std::sync::Arc;

use tower_lsp_server::ls_types as lsp;

use super::proto;
use super::state::ServerState;
use crate::analysis::navigate;

impl ServerState {
    /// The definition of the fragment or variable at a position.
    pub async fn definition(
        self: &Arc<Self>,
        uri: &lsp::Uri,
        position: lsp::Position,
    ) -> Option<lsp::Location> {
        let (doc, analysis) = self.current(uri).await?;
        let encoding = self.encoding();
        let offset = doc.position_to_offset(proto::from_position(position), encoding)?;
        let target = navigate::target_at(&analysis.ast, offset)?;
        let range = navigate::definition(&analysis.ast, &target)?;
        Some(lsp::Location::new(
            uri.clone(),
            proto::range(&doc, &range, encoding),
        ))
    }

    /// The uses of the fragment or variable at a position (and its definition, if asked).
    pub async fn references(
        self: &Arc<Self>,
        uri: &lsp::Uri,
        position: lsp::Position,
        include_declaration: bool,
    ) -> Vec<lsp::Location> {
        let Some((doc, analysis)) = self.current(uri).await else {
            return Vec::new();
        };
        let encoding = self.encoding();
        let Some(target) = doc
            .position_to_offset(proto::from_position(position), encoding)
            .and_then(|offset| navigate::target_at(&analysis.ast, offset))
        else {
            return Vec::new();
        };
        navigate::references(&analysis.ast, &target, include_declaration)
            .iter()
            .map(|range| lsp::Location::new(uri.clone(), proto::range(&doc, range, encoding)))
            .collect()
    }
}
