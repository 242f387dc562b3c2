//! `textDocument/inlayHint`: the name of the flow after each flow id flowql resolved, in code,
//! GraphQL documents and variables files (`flowql.inlayHints` turns them off).

use std::sync::Arc;

use tower_lsp_server::ls_types as lsp;

use super::proto;
use super::state::ServerState;

impl ServerState {
    /// The hints of the flow ids within `range` of an open document.
    pub async fn inlay_hints(
        self: &Arc<Self>,
        uri: &lsp::Uri,
        range: lsp::Range,
    ) -> Vec<lsp::InlayHint> {
        if !self.inlay_hints_setting.on() {
            return Vec::new();
        }
        let Some((doc, analysis)) = self.current(uri).await else {
            return Vec::new();
        };
        let encoding = self.encoding();
        let start = doc.position_to_offset(proto::from_position(range.start), encoding);
        let end = doc.position_to_offset(proto::from_position(range.end), encoding);
        let (Some(start), Some(end)) = (start, end) else {
            return Vec::new();
        };
        let text = doc.text();
        crate::features::hints::hints(&analysis.flow_calls, &text, start..end)
            .into_iter()
            .map(|hint| lsp::InlayHint {
                position: proto::range(&doc, &(hint.at..hint.at), encoding).start,
                label: lsp::InlayHintLabel::String(hint.label),
                kind: None,
                text_edits: None,
                tooltip: Some(lsp::InlayHintTooltip::String(hint.tooltip)),
                padding_left: Some(true),
                padding_right: None,
                data: None,
            })
            .collect()
    }
}
