//! GraphQL text as its lexer reads it, for the surfaces and the editor alike.

use apollo_parser::{Lexer, TokenKind};

/// The first `limit` tokens of a GraphQL text that mean something (white space, comments and
/// commas left out), with their text.
pub fn significant_tokens(text: &str, limit: usize) -> Vec<(TokenKind, &str)> {
    Lexer::new(text)
        .filter_map(Result::ok)
        .filter(|t| {
            !matches!(
                t.kind(),
                TokenKind::Whitespace | TokenKind::Comment | TokenKind::Comma
            )
        })
        .take(limit)
        .map(|t| (t.kind(), t.data()))
        .collect()
}
