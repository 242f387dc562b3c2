//! Where the cursor stands in a GraphQL document, read from the tokens before it with the
//! schema at hand: the cursor is usually inside half-typed text that the parser cannot build a
//! tree for, while the tokens before it still say which selection set, argument list or value
//! it is in (the technique of graphql-language-service's online parser).

use std::ops::Range;

use apollo_compiler::ast::{DirectiveLocation, Type};
use apollo_parser::TokenKind;

/// What an argument list belongs to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ArgOwner {
    Field { parent: String, field: String },
    Directive(String),
}

/// What can be written at the cursor.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Context {
    /// Between definitions: an operation or fragment keyword.
    Definition,
    /// A field of `parent` (or a `...`).
    Selection { parent: String },
    /// After `...` in a selection set of `parent`: a fragment's name, or `on`.
    Spread { parent: String },
    /// A type condition: after `... on` (inside `parent`) or `fragment X on` (no parent).
    TypeCondition { parent: Option<String> },
    /// An argument's name; `present` are the ones already written.
    Arguments {
        owner: ArgOwner,
        present: Vec<String>,
    },
    /// A value, of the expected type when known.
    Value { expected: Option<Type> },
    /// A variable (after `$`) used where `expected` is wanted.
    Variable { expected: Option<Type> },
    /// A field of the input object type `ty`.
    InputFields { ty: String, present: Vec<String> },
    /// The type of a variable definition.
    VariableType,
    /// A directive's name (after `@`) at this location.
    Directive { location: DirectiveLocation },
    /// Nothing to offer: a name being defined, a string, a comment, an unknown type.
    Nothing,
}

/// The context, the name being typed and the variables the enclosing operation declares.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Scan {
    pub context: Context,
    /// The name under the cursor (bytes), which an item replaces; empty at the cursor when none.
    /// After `$` it starts at the `$`.
    pub word: Range<usize>,
    /// The variables declared so far by the operation around the cursor, with their types.
    pub variables: Vec<(String, Type)>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum VarPhase {
    Name,
    Type,
    Default,
}

/// An open bracket and what is known inside it.
#[derive(Debug)]
pub(super) enum Frame {
    Selection {
        ty: Option<String>,
        field: Option<String>,
        alias: bool,
        spread: bool,
        on: bool,
        inline_type: Option<String>,
        at: bool,
        directive: Option<String>,
        /// `...Name` was just read: a directive here is on a fragment spread.
        spread_name: bool,
    },
    /// Arguments (`(`) or an input object (`{` in a value).
    Fields {
        owner: Option<ArgOwner>,
        /// The input object type, for `{`.
        object: Option<String>,
        present: Vec<String>,
        value: bool,
        dollar: bool,
    },
    List {
        item: Option<Type>,
        dollar: bool,
    },
    Variables {
        phase: VarPhase,
        name: Option<String>,
        ty: String,
        dollar: bool,
    },
}

impl Frame {
    pub(super) fn selection(ty: Option<String>) -> Frame {
        Frame::Selection {
            ty,
            field: None,
            alias: false,
            spread: false,
            on: false,
            inline_type: None,
            at: false,
            directive: None,
            spread_name: false,
        }
    }

    pub(super) fn fields(owner: Option<ArgOwner>, object: Option<String>) -> Frame {
        Frame::Fields {
            owner,
            object,
            present: Vec::new(),
            value: false,
            dollar: false,
        }
    }

    pub(super) fn closes_with(&self, kind: TokenKind) -> bool {
        match self {
            Frame::Selection { .. } => kind == TokenKind::RCurly,
            Frame::Fields {
                object: Some(_), ..
            } => kind == TokenKind::RCurly,
            Frame::Fields { owner, .. } if owner.is_some() => kind == TokenKind::RParen,
            // An input object of unknown type.
            Frame::Fields { .. } => kind == TokenKind::RCurly,
            Frame::List { .. } => kind == TokenKind::RBracket,
            Frame::Variables { .. } => kind == TokenKind::RParen,
        }
    }
}

/// What is known between definitions.
#[derive(Debug, Default)]
pub(super) struct Top {
    pub(super) keyword: Option<String>,
    /// `fragment Name on` was read.
    pub(super) on: bool,
    pub(super) fragment_name: bool,
    pub(super) fragment_type: Option<String>,
    pub(super) at: bool,
    pub(super) variables: Vec<(String, Type)>,
}

pub(super) fn floor_char_boundary(text: &str, mut offset: usize) -> usize {
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

/// A variable's type as typed so far (`[ID!]`), read from its tokens; `None` when it is not one.
/// apollo-compiler's `Type::parse` asserts inside its tree builder on text that does not start
/// like a type (`]`, `!`, `{`, a letter outside ASCII), which half-typed text often is; what
/// follows a complete type is ignored, as it does.
pub(super) fn parse_type(text: &str) -> Option<Type> {
    let tokens = crate::surfaces::graphql::significant_tokens(text, 256);
    pub(super) fn read(tokens: &[(TokenKind, &str)], at: &mut usize, depth: usize) -> Option<Type> {
        if depth > 64 {
            return None;
        }
        let inner = match tokens.get(*at)? {
            (TokenKind::Name, name) => {
                *at += 1;
                Type::Named(apollo_compiler::Name::new(name).ok()?)
            }
            (TokenKind::LBracket, _) => {
                *at += 1;
                let item = read(tokens, at, depth + 1)?;
                if tokens.get(*at)?.0 != TokenKind::RBracket {
                    return None;
                }
                *at += 1;
                Type::List(Box::new(item))
            }
            _ => return None,
        };
        if tokens.get(*at).is_some_and(|(k, _)| *k == TokenKind::Bang) {
            *at += 1;
            return Some(inner.non_null());
        }
        Some(inner)
    }
    read(&tokens, &mut 0, 0)
}

#[cfg(test)]
mod type_tests {
    use super::parse_type;

    #[test]
    pub(super) fn types_as_typed_and_text_that_made_the_parser_assert() {
        let shown = |t: &str| parse_type(t).map(|t| t.to_string());
        assert_eq!(shown("ID"), Some("ID".into()));
        assert_eq!(shown("[ID!]!"), Some("[ID!]!".into()));
        assert_eq!(shown(" [ [Int] ] = 3"), Some("[[Int]]".into()));
        // Each of these made `Type::parse` panic (found by the random editing session).
        for text in [
            "]", "!", "{", "é", "日本", "\u{feff}", "[", "[ID", "[!]", "",
        ] {
            assert_eq!(shown(text), None, "{text:?}");
        }
    }
}
