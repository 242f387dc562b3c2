//! JavaScript, TypeScript and TSX: `gql`/`graphql` tagged templates, `gql(...)` and
//! `graphql(...)` calls, literals after a `/* GraphQL */` comment, and untagged template or
//! string literals that read as an operation or fragment.

use tree_sitter::Node;

use crate::surfaces::code::literals::{
    is_graphql_tag, looks_like_graphql, marked_by_comment, region, Region,
};
use crate::surfaces::code::syntax::{node_text, walk, HostLanguage};

/// What a literal may be part of, with the marker comment before that: `const q = /* GraphQL */`
/// puts the comment inside the declarator.
const THROUGH: &[&str] = &[
    "variable_declarator",
    "lexical_declaration",
    "variable_declaration",
    "call_expression",
    "arguments",
];

/// The syntax tree of JavaScript, TypeScript or TSX source (within the parse budget).
pub fn parse(text: &str, language: HostLanguage) -> Option<tree_sitter::Tree> {
    if language == HostLanguage::Python {
        return None;
    }
    crate::surfaces::code::syntax::parse(text, language)
}

pub fn extract(text: &str, language: HostLanguage) -> Vec<Region> {
    match parse(text, language) {
        Some(tree) => extract_from(text, &tree),
        None => Vec::new(),
    }
}

/// The GraphQL literals of an already parsed file.
pub fn extract_from(text: &str, tree: &tree_sitter::Tree) -> Vec<Region> {
    let mut out = Vec::new();
    walk(tree.root_node(), |node| match node.kind() {
        "template_string" | "string" => {
            out.extend(literal(text, node));
            // Templates nest inside substitutions: look there too.
            node.kind() == "template_string"
        }
        _ => true,
    });
    out.sort_by_key(|r| r.range.start);
    out
}

/// The call whose function `node` is an argument or the tagged template of.
fn calling_function<'t>(node: Node<'t>) -> Option<Node<'t>> {
    let parent = node.parent()?;
    match parent.kind() {
        // gql`...`: the template is the call's `arguments`.
        "call_expression" => parent.child_by_field_name("function"),
        // gql(`...`), graphql("...")
        "arguments" => parent.parent()?.child_by_field_name("function"),
        _ => None,
    }
}

/// The name a literal is assigned to: `const X = gql\`...\``, `X = \`...\``.
fn binding(text: &str, node: Node<'_>) -> Option<String> {
    let mut current = node.parent()?;
    if matches!(current.kind(), "call_expression" | "arguments") {
        current = current.parent()?;
        if current.kind() == "call_expression" {
            current = current.parent()?;
        }
    }
    let name = match current.kind() {
        "variable_declarator" => current.child_by_field_name("name")?,
        "assignment_expression" => current.child_by_field_name("left")?,
        _ => return None,
    };
    (name.kind() == "identifier").then(|| node_text(text, name).to_string())
}

pub(crate) fn literal(text: &str, node: Node<'_>) -> Option<Region> {
    let (start, end) = (node.start_byte(), node.end_byte());
    if end < start + 2 {
        return None;
    }
    let content = start + 1..end - 1;
    let marked = match calling_function(node) {
        Some(function) if is_graphql_tag(node_text(text, function)) => true,
        // Another tag (`css\`...\``, `sql\`...\``): not ours.
        Some(_) if node.parent().is_some_and(|p| p.kind() == "call_expression") => return None,
        _ => marked_by_comment(text, node, THROUGH),
    };
    let mut interpolations = Vec::new();
    if node.kind() == "template_string" {
        let mut cursor = node.walk();
        for child in node.named_children(&mut cursor) {
            if child.kind() == "template_substitution" {
                let expression = child
                    .named_child(0)
                    .filter(|e| e.kind() == "identifier")
                    .map(|e| node_text(text, e).to_string());
                interpolations.push((child.start_byte()..child.end_byte(), expression));
            }
        }
    }
    let found = region(text, content, &interpolations, binding(text, node), marked)?;
    (marked || looks_like_graphql(&found.text)).then_some(found)
}
