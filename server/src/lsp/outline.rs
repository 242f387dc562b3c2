//! Document symbols, folding ranges and selection ranges: the analysis's outline
//! (`analysis/outline.rs`) in protocol types.

use std::sync::Arc;

use tower_lsp_server::ls_types as lsp;

use super::proto;
use super::state::ServerState;
use crate::analysis::outline::{self, FoldKind, Symbol, SymbolKind};
use crate::document::{Document, Encoding};

#[allow(deprecated)] // `deprecated` is a required field of the protocol type.
fn symbol(s: &Symbol, doc: &Document, encoding: Encoding) -> lsp::DocumentSymbol {
    let range = proto::range(doc, &s.range, encoding);
    let mut selection = proto::range(doc, &s.name_range, encoding);
    // The protocol wants the name inside the whole range.
    if selection.start < range.start || selection.end > range.end {
        selection = range;
    }
    lsp::DocumentSymbol {
        name: s.name.clone(),
        detail: s.detail.clone(),
        kind: match s.kind {
            SymbolKind::Operation => lsp::SymbolKind::FUNCTION,
            SymbolKind::Fragment => lsp::SymbolKind::CLASS,
            SymbolKind::Field => lsp::SymbolKind::FIELD,
        },
        tags: None,
        deprecated: None,
        range,
        selection_range: selection,
        children: (!s.children.is_empty()).then(|| {
            s.children
                .iter()
                .map(|c| symbol(c, doc, encoding))
                .collect()
        }),
    }
}

impl ServerState {
    pub async fn document_symbols(self: &Arc<Self>, uri: &lsp::Uri) -> Vec<lsp::DocumentSymbol> {
        let Some((doc, analysis)) = self.current(uri).await else {
            return Vec::new();
        };
        let encoding = self.encoding();
        outline::symbols(&analysis.ast)
            .iter()
            .map(|s| symbol(s, &doc, encoding))
            .collect()
    }

    pub async fn folding_ranges(self: &Arc<Self>, uri: &lsp::Uri) -> Vec<lsp::FoldingRange> {
        let Some((doc, analysis)) = self.current(uri).await else {
            return Vec::new();
        };
        let encoding = self.encoding();
        outline::folding_ranges(&analysis.ast, &doc.text())
            .into_iter()
            .map(|(range, kind)| {
                let range = proto::range(&doc, &range, encoding);
                lsp::FoldingRange {
                    start_line: range.start.line,
                    start_character: None,
                    end_line: range.end.line,
                    end_character: None,
                    kind: Some(match kind {
                        FoldKind::Region => lsp::FoldingRangeKind::Region,
                        FoldKind::Comment => lsp::FoldingRangeKind::Comment,
                    }),
                    collapsed_text: None,
                }
            })
            .collect()
    }

    pub async fn selection_ranges(
        self: &Arc<Self>,
        uri: &lsp::Uri,
        positions: &[lsp::Position],
    ) -> Vec<lsp::SelectionRange> {
        let Some((doc, analysis)) = self.current(uri).await else {
            return Vec::new();
        };
        let encoding = self.encoding();
        let text = doc.text();
        positions
            .iter()
            .map(|position| {
                let offset = doc
                    .position_to_offset(proto::from_position(*position), encoding)
                    .unwrap_or(text.len());
                // Outermost first, each wrapping the next inner one.
                let chain = outline::selection_ranges(&analysis.ast, &text, offset);
                let mut current: Option<lsp::SelectionRange> = None;
                for range in chain.iter().rev() {
                    current = Some(lsp::SelectionRange {
                        range: proto::range(&doc, range, encoding),
                        parent: current.map(Box::new),
                    });
                }
                current.unwrap_or(lsp::SelectionRange {
                    range: lsp::Range::new(*position, *position),
                    parent: None,
                })
            })
            .collect()
    }
}
