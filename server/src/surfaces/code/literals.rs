//! One GraphQL literal of a code file: its region (content, interpolations as placeholders of
//! the same length, binding) and the marks that say a string is GraphQL.

use std::ops::Range;

use apollo_parser::{Lexer, TokenKind};

use crate::surfaces::code::syntax::node_text;

/// What an interpolation stands for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Placeholder {
    /// In a value position (`id: ${id}`): written as `null`, its problems dropped.
    Value,
    /// Elsewhere (`${BookParts}` after an operation): white space; when the expression is a
    /// name bound to another literal of the file, that literal's fragments are known here.
    Other { binding: Option<String> },
}

/// One embedded GraphQL document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Region {
    /// The literal's content in the host text (between its quotes or backticks).
    pub range: Range<usize>,
    /// The GraphQL text: the content with interpolations replaced, the same length.
    pub text: String,
    /// The interpolations, as ranges of `text`.
    pub placeholders: Vec<(Range<usize>, Placeholder)>,
    /// The name the literal is assigned to (`const BookParts = gql\`...\``), if any.
    pub binding: Option<String>,
    /// Whether a tag, call or comment marks it as GraphQL (rather than its first word).
    pub marked: bool,
}

/// A literal's content as a region: interpolations (ranges of the host text) replaced.
pub(super) fn region(
    host: &str,
    content: Range<usize>,
    interpolations: &[(Range<usize>, Option<String>)],
    binding: Option<String>,
    marked: bool,
) -> Option<Region> {
    let mut text = host.get(content.clone())?.to_string();
    let mut placeholders = Vec::new();
    for (range, expression) in interpolations {
        let local =
            range.start.checked_sub(content.start)?..range.end.checked_sub(content.start)?;
        // An unterminated template's last substitution runs past its content: not a literal
        // to read (the text will be typed on).
        if local.start > local.end || local.end > text.len() {
            return None;
        }
        let before = text.get(..local.start)?.trim_end();
        let is_value = before.ends_with(':')
            || before.ends_with('[')
            || before.ends_with('=')
            || (before.ends_with(',') && inside_brackets(before));
        let len = local.len();
        let filler = if is_value && len >= 4 {
            format!("null{}", " ".repeat(len - 4))
        } else {
            " ".repeat(len)
        };
        text.replace_range(local.clone(), &filler);
        let placeholder = if is_value && len >= 4 {
            Placeholder::Value
        } else {
            Placeholder::Other {
                binding: expression.clone(),
            }
        };
        placeholders.push((local, placeholder));
    }
    Some(Region {
        range: content,
        text,
        placeholders,
        binding,
        marked,
    })
}

/// Whether the end of `text` is inside an argument list or a list value (a comma there
/// separates values).
pub(super) fn inside_brackets(text: &str) -> bool {
    let mut depth = 0i32;
    for token in Lexer::new(text).filter_map(Result::ok) {
        match token.kind() {
            TokenKind::LParen | TokenKind::LBracket => depth += 1,
            TokenKind::RParen | TokenKind::RBracket => depth -= 1,
            _ => {}
        }
    }
    depth > 0
}

/// Whether an unmarked literal reads as a GraphQL operation or fragment: after white space and
/// `#` comments, `query`, `mutation`, `subscription` or `fragment`, followed by what GraphQL
/// puts there (`{`, a name and `(`/`{`/`@`, or `Name on Type`). "query the database" is not.
pub fn looks_like_graphql(text: &str) -> bool {
    let tokens = crate::surfaces::graphql::significant_tokens(text, 5);
    use TokenKind::{At, LCurly, LParen, Name};
    let operation = |word: &str| matches!(word, "query" | "mutation" | "subscription");
    match tokens.as_slice() {
        [(Name, word), (LCurly | LParen | At, _), ..] => operation(word),
        [(Name, word), (Name, _), (LCurly | LParen | At, _), ..] => operation(word),
        [(Name, "fragment"), (Name, _), (Name, "on"), (Name, _), ..] => true,
        _ => false,
    }
}

/// Whether a marker comment stands right before `node`, or before one of its first few
/// ancestors of the kinds in `through` (the declaration or call the literal is part of).
pub(super) fn marked_by_comment(text: &str, node: tree_sitter::Node<'_>, through: &[&str]) -> bool {
    let mut current = Some(node);
    for _ in 0..4 {
        let Some(n) = current else { break };
        if let Some(previous) = n.prev_sibling() {
            if previous.kind() == "comment" {
                return is_marker_comment(node_text(text, previous));
            }
        }
        current = n.parent().filter(|p| through.contains(&p.kind()));
    }
    false
}

/// Whether a comment marks the literal after it as GraphQL: `/* GraphQL */` or `# graphql`.
pub(super) fn is_marker_comment(comment: &str) -> bool {
    let inner = comment
        .trim()
        .trim_start_matches("/*")
        .trim_end_matches("*/")
        .trim_start_matches('#')
        .trim_start_matches("//")
        .trim();
    inner.eq_ignore_ascii_case("graphql")
}

/// The tags and functions that mark GraphQL: `gql` and `graphql`, also as a member
/// (`apollo.gql`).
pub(super) fn is_graphql_tag(name: &str) -> bool {
    let last = name.rsplit('.').next().unwrap_or(name);
    matches!(last, "gql" | "graphql")
}
