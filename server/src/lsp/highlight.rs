//! Semantic tokens (full and range) in the protocol's relative encoding, with positions and
//! lengths in the negotiated encoding and multi-line tokens (block strings) cut at line ends.

use std::sync::Arc;

use tower_lsp_server::ls_types as lsp;

use super::proto;
use super::state::ServerState;
use crate::base::document::{Document, Encoding};
use crate::features::highlight::{self, TokenType};

/// The legend announced in the capabilities: the core's token types, and one modifier.
pub fn legend() -> lsp::SemanticTokensLegend {
    lsp::SemanticTokensLegend {
        token_types: TokenType::ALL
            .iter()
            .map(|t| lsp::SemanticTokenType::new(t.name()))
            .collect(),
        token_modifiers: vec![lsp::SemanticTokenModifier::DECLARATION],
    }
}

/// Encodes tokens (in order) that overlap `within` (bytes).
fn encode(
    doc: &Document,
    text: &str,
    tokens: &[highlight::Token],
    within: std::ops::Range<usize>,
    encoding: Encoding,
) -> Vec<lsp::SemanticToken> {
    let mut out = Vec::new();
    let (mut line, mut character) = (0u32, 0u32);
    for token in tokens
        .iter()
        .filter(|t| t.range.end > within.start && t.range.start < within.end)
    {
        // One piece per line of the token.
        let mut start = token.range.start;
        for piece in text[token.range.clone()].split_inclusive('\n') {
            let end = start + piece.trim_end_matches(['\n', '\r']).len();
            if end > start {
                let from = doc.offset_to_position(start, encoding);
                let to = doc.offset_to_position(end, encoding);
                out.push(lsp::SemanticToken {
                    delta_line: from.line - line,
                    delta_start: if from.line == line {
                        from.character - character
                    } else {
                        from.character
                    },
                    length: to.character.saturating_sub(from.character),
                    token_type: token.ty.index(),
                    token_modifiers_bitset: u32::from(token.declaration),
                });
                line = from.line;
                character = from.character;
            }
            start += piece.len();
        }
    }
    out
}

impl ServerState {
    /// The semantic tokens of an open GraphQL document, all of them or those in `range`.
    pub async fn semantic_tokens(
        self: &Arc<Self>,
        uri: &lsp::Uri,
        range: Option<lsp::Range>,
    ) -> Option<lsp::SemanticTokens> {
        let doc = self.graphql_document(uri)?;
        let encoding = self.encoding();
        let text = doc.text();
        let within = match range {
            Some(r) => {
                let start = doc.position_to_offset(proto::from_position(r.start), encoding)?;
                let end = doc.position_to_offset(proto::from_position(r.end), encoding)?;
                start..end
            }
            None => 0..text.len(),
        };
        let tokens = tokio::task::spawn_blocking(move || {
            let tokens = highlight::tokens(&text);
            encode(&doc, &text, &tokens, within, encoding)
        })
        .await
        .ok()?;
        Some(lsp::SemanticTokens {
            result_id: None,
            data: tokens,
        })
    }
}
