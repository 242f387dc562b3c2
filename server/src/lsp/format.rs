//! Document and range formatting: the core's formatter (`features/format.rs`) as one edit of
//! the whole text, or of the lines the range touches. Two-space indentation, the GraphQL
//! convention, whatever the editor's tab size; nothing when the text does not parse.

use std::sync::Arc;

use tower_lsp_server::ls_types as lsp;

use super::proto;
use super::state::ServerState;
use crate::features::format;

impl ServerState {
    pub async fn format(
        self: &Arc<Self>,
        uri: &lsp::Uri,
        range: Option<lsp::Range>,
        _options: &lsp::FormattingOptions,
    ) -> Option<Vec<lsp::TextEdit>> {
        let doc = self.graphql_document(uri)?;
        let encoding = self.encoding();
        let text = doc.text();
        let edit = tokio::task::spawn_blocking(move || match range {
            None => {
                let formatted = format::format(&text)?;
                (formatted != text).then(|| lsp::TextEdit {
                    range: proto::range(&doc, &(0..text.len()), encoding),
                    new_text: formatted,
                })
            }
            Some(range) => {
                let (first, last) = (range.start.line as usize, range.end.line as usize);
                // A range ending at the start of a line does not touch that line.
                let last = if range.end.character == 0 && last > first {
                    last - 1
                } else {
                    last
                };
                let formatted = format::format_lines(&text, first, last)?;
                let rope = doc.rope();
                let start = rope.try_line_to_byte(first).ok()?;
                let end_line_start = rope.try_line_to_byte(last).ok()?;
                let end = end_line_start
                    + text[end_line_start..]
                        .find('\n')
                        .unwrap_or(text.len() - end_line_start);
                let end = if text[..end].ends_with('\r') {
                    end - 1
                } else {
                    end
                };
                (formatted != text[start..end]).then(|| lsp::TextEdit {
                    range: proto::range(&doc, &(start..end), encoding),
                    new_text: formatted,
                })
            }
        })
        .await
        .ok()?;
        Some(edit.into_iter().collect())
    }
}
