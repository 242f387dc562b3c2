//! Semantic tokens for GraphQL: what each name is (field, argument, variable, type, fragment,
//! operation, directive, enum value, input field, alias), and keywords, strings, numbers and
//! comments, from apollo-parser's lossless tree, so that editors without a GraphQL grammar still
//! colour queries and half-typed text is coloured as far as it parses.

use std::ops::Range;

use apollo_parser::cst::CstNode;
use apollo_parser::{SyntaxKind, SyntaxNode};

/// A token's kind, in the order of the legend the server announces.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenType {
    Keyword,
    Property,
    Parameter,
    Variable,
    Type,
    Function,
    Decorator,
    EnumMember,
    String,
    Number,
    Comment,
}

impl TokenType {
    /// Every type, in legend order.
    pub const ALL: [TokenType; 11] = [
        TokenType::Keyword,
        TokenType::Property,
        TokenType::Parameter,
        TokenType::Variable,
        TokenType::Type,
        TokenType::Function,
        TokenType::Decorator,
        TokenType::EnumMember,
        TokenType::String,
        TokenType::Number,
        TokenType::Comment,
    ];

    /// The protocol's standard name for it.
    pub fn name(self) -> &'static str {
        match self {
            TokenType::Keyword => "keyword",
            TokenType::Property => "property",
            TokenType::Parameter => "parameter",
            TokenType::Variable => "variable",
            TokenType::Type => "type",
            TokenType::Function => "function",
            TokenType::Decorator => "decorator",
            TokenType::EnumMember => "enumMember",
            TokenType::String => "string",
            TokenType::Number => "number",
            TokenType::Comment => "comment",
        }
    }

    pub fn index(self) -> u32 {
        Self::ALL.iter().position(|t| *t == self).unwrap_or(0) as u32
    }
}

/// One coloured range of bytes; `declaration` marks where a name is defined.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Token {
    pub range: Range<usize>,
    pub ty: TokenType,
    pub declaration: bool,
}

/// The tokens of `text`, in order, not overlapping.
pub fn tokens(text: &str) -> Vec<Token> {
    if text.len() > crate::base::document::MAX_DOCUMENT_BYTES {
        return Vec::new();
    }
    let tree = apollo_parser::Parser::new(text).parse();
    let root = tree.document().syntax().clone();
    let mut out: Vec<Token> = Vec::new();
    for element in root.descendants_with_tokens() {
        let Some(token) = element.into_token() else {
            continue;
        };
        let range: Range<usize> =
            usize::from(token.text_range().start())..usize::from(token.text_range().end());
        let kind = token.kind();
        let classified = match kind {
            SyntaxKind::COMMENT => Some((TokenType::Comment, false)),
            SyntaxKind::STRING => Some((TokenType::String, false)),
            SyntaxKind::INT | SyntaxKind::FLOAT => Some((TokenType::Number, false)),
            SyntaxKind::query_KW
            | SyntaxKind::mutation_KW
            | SyntaxKind::subscription_KW
            | SyntaxKind::fragment_KW
            | SyntaxKind::on_KW
            | SyntaxKind::true_KW
            | SyntaxKind::false_KW
            | SyntaxKind::null_KW => Some((TokenType::Keyword, false)),
            SyntaxKind::IDENT => token.parent().and_then(|name| classify_name(&name)),
            SyntaxKind::DOLLAR | SyntaxKind::AT => {
                token.parent().and_then(|p| classify_sigil(&p, kind))
            }
            _ => None,
        };
        if let Some((ty, declaration)) = classified {
            // `$` and `@` join the name after them into one token.
            if let Some(last) = out.last_mut() {
                if last.range.end == range.start
                    && last.ty == ty
                    && matches!(ty, TokenType::Variable | TokenType::Decorator)
                    && text[last.range.clone()].len() == 1
                {
                    last.range.end = range.end;
                    last.declaration |= declaration;
                    continue;
                }
            }
            out.push(Token {
                range,
                ty,
                declaration,
            });
        }
    }
    out
}

fn classify_sigil(parent: &SyntaxNode, kind: SyntaxKind) -> Option<(TokenType, bool)> {
    match (kind, parent.kind()) {
        (SyntaxKind::DOLLAR, SyntaxKind::VARIABLE) => Some((
            TokenType::Variable,
            parent
                .parent()
                .is_some_and(|p| p.kind() == SyntaxKind::VARIABLE_DEFINITION),
        )),
        (SyntaxKind::AT, SyntaxKind::DIRECTIVE) => Some((TokenType::Decorator, false)),
        _ => None,
    }
}

/// What the NAME node `name` names, by where it stands.
fn classify_name(name: &SyntaxNode) -> Option<(TokenType, bool)> {
    if name.kind() != SyntaxKind::NAME {
        // A keyword spelled as a name (`query` as a field name is an IDENT in a NAME).
        return None;
    }
    let parent = name.parent()?;
    Some(match parent.kind() {
        SyntaxKind::FIELD => (TokenType::Property, false),
        SyntaxKind::ALIAS => (TokenType::Property, true),
        SyntaxKind::ARGUMENT => (TokenType::Parameter, false),
        SyntaxKind::OBJECT_FIELD => (TokenType::Property, false),
        SyntaxKind::VARIABLE => (
            TokenType::Variable,
            parent
                .parent()
                .is_some_and(|p| p.kind() == SyntaxKind::VARIABLE_DEFINITION),
        ),
        SyntaxKind::NAMED_TYPE => (TokenType::Type, false),
        SyntaxKind::FRAGMENT_NAME => (
            TokenType::Function,
            parent
                .parent()
                .is_some_and(|p| p.kind() == SyntaxKind::FRAGMENT_DEFINITION),
        ),
        SyntaxKind::OPERATION_DEFINITION => (TokenType::Function, true),
        SyntaxKind::DIRECTIVE => (TokenType::Decorator, false),
        SyntaxKind::ENUM_VALUE => (TokenType::EnumMember, false),
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `(text, type, declaration)` of every token.
    fn coloured(text: &str) -> Vec<(&str, &'static str, bool)> {
        tokens(text)
            .into_iter()
            .map(|t| (&text[t.range.clone()], t.ty.name(), t.declaration))
            .collect()
    }

    #[test]
    fn every_kind_of_name_and_literal() {
        let text = "# Run it\nquery Run($id: ID!, $n: Int = 3) {\n  b: book(id: $id) @cached(ttl: 5) {\n    ...Parts\n    ... on Book { kind }\n  }\n  books(filter: { kind: NOVEL, author: \"é\" }, first: 2.5) { id }\n}\nfragment Parts on Book { title }\n";
        assert_eq!(
            coloured(text),
            [
                ("# Run it", "comment", false),
                ("query", "keyword", false),
                ("Run", "function", true),
                ("$id", "variable", true),
                ("ID", "type", false),
                ("$n", "variable", true),
                ("Int", "type", false),
                ("3", "number", false),
                ("b", "property", true),
                ("book", "property", false),
                ("id", "parameter", false),
                ("$id", "variable", false),
                ("@cached", "decorator", false),
                ("ttl", "parameter", false),
                ("5", "number", false),
                ("Parts", "function", false),
                ("on", "keyword", false),
                ("Book", "type", false),
                ("kind", "property", false),
                ("books", "property", false),
                ("filter", "parameter", false),
                ("kind", "property", false),
                ("NOVEL", "enumMember", false),
                ("author", "property", false),
                ("\"é\"", "string", false),
                ("first", "parameter", false),
                ("2.5", "number", false),
                ("id", "property", false),
                ("fragment", "keyword", false),
                ("Parts", "function", true),
                ("on", "keyword", false),
                ("Book", "type", false),
                ("title", "property", false),
            ]
        );
    }

    #[test]
    fn broken_text_is_coloured_as_far_as_it_parses() {
        let got = coloured("query Q { book(id: \"1\") { ti");
        assert!(got.contains(&("book", "property", false)), "{got:?}");
        assert!(got.contains(&("\"1\"", "string", false)), "{got:?}");
        assert!(coloured("").is_empty());
        let ranges: Vec<Range<usize>> = tokens("{ a { b } } }}} ((( \"x")
            .into_iter()
            .map(|t| t.range)
            .collect();
        assert!(
            ranges.windows(2).all(|w| w[0].end <= w[1].start),
            "{ranges:?}"
        );
    }
}
