//! Python: strings passed to `gql(...)`/`graphql(...)` (the gql library's style), strings
//! after a `# graphql` comment, and strings assigned to a name whose text reads as an operation
//! or fragment. Triple-quoted and ordinary strings; f-strings and bytes are not GraphQL.

use tree_sitter::Node;

use crate::surfaces::code::literals::{
    is_graphql_tag, looks_like_graphql, marked_by_comment, region, Region,
};
use crate::surfaces::code::syntax::{node_text, walk};

/// The syntax tree of Python source (within the parse budget).
pub fn parse(text: &str) -> Option<tree_sitter::Tree> {
    crate::surfaces::code::syntax::parse(text, crate::surfaces::code::syntax::HostLanguage::Python)
}

pub fn extract(text: &str) -> Vec<Region> {
    match parse(text) {
        Some(tree) => extract_from(text, &tree),
        None => Vec::new(),
    }
}

/// The GraphQL literals of an already parsed file.
pub fn extract_from(text: &str, tree: &tree_sitter::Tree) -> Vec<Region> {
    let mut out = Vec::new();
    walk(tree.root_node(), |node| {
        if node.kind() == "string" {
            out.extend(literal(text, node));
            return false;
        }
        true
    });
    out.sort_by_key(|r| r.range.start);
    out
}

pub(crate) fn literal(text: &str, node: Node<'_>) -> Option<Region> {
    let mut cursor = node.walk();
    let children: Vec<Node<'_>> = node.children(&mut cursor).collect();
    let start = children.iter().find(|c| c.kind() == "string_start")?;
    let end = children.iter().rev().find(|c| c.kind() == "string_end")?;
    let prefix = node_text(text, *start).to_ascii_lowercase();
    if prefix.contains('f')
        || prefix.contains('b')
        || children.iter().any(|c| c.kind() == "interpolation")
    {
        return None;
    }
    let content = start.end_byte()..end.start_byte();
    let parent = node.parent()?;
    let called = (parent.kind() == "argument_list")
        .then(|| parent.parent())
        .flatten()
        .filter(|call| call.kind() == "call")
        .and_then(|call| call.child_by_field_name("function"))
        .is_some_and(|function| is_graphql_tag(node_text(text, function)));
    let binding = (parent.kind() == "assignment")
        .then(|| parent.child_by_field_name("left"))
        .flatten()
        .filter(|left| left.kind() == "identifier")
        .map(|left| node_text(text, left).to_string());
    let marked = called
        || marked_by_comment(
            text,
            node,
            &[
                "assignment",
                "expression_statement",
                "argument_list",
                "call",
            ],
        );
    let found = region(text, content, &[], binding.clone(), marked)?;
    let assigned_operation = binding.is_some() && looks_like_graphql(&found.text);
    (marked || assigned_operation).then_some(found)
}
