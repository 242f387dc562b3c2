//! JavaScript, TypeScript and TSX: `gql`/`graphql` tagged templates, `gql(...)` and
//! `graphql(...)` calls, literals after a `/* GraphQL */` comment, and untagged template or
//! string literals that read as an operation or fragment.

use tree_sitter::{Node, Parser};

use super::{is_graphql_tag, is_marker_comment, looks_like_graphql, region, HostLanguage, Region};

/// The syntax tree of JavaScript, TypeScript or TSX source.
pub fn parse(text: &str, language: HostLanguage) -> Option<tree_sitter::Tree> {
    let grammar: tree_sitter::Language = match language {
        HostLanguage::TypeScript => tree_sitter_typescript::LANGUAGE_TYPESCRIPT.into(),
        HostLanguage::Tsx => tree_sitter_typescript::LANGUAGE_TSX.into(),
        HostLanguage::JavaScript => tree_sitter_javascript::LANGUAGE.into(),
        HostLanguage::Python => return None,
    };
    let mut parser = Parser::new();
    parser.set_language(&grammar).ok()?;
    parser.parse(text, None)
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
    // An explicit stack: deeply nested code must not overflow ours.
    let mut stack = vec![tree.root_node()];
    while let Some(node) = stack.pop() {
        match node.kind() {
            "template_string" | "string" => {
                if let Some(found) = literal(text, node) {
                    out.push(found);
                }
                // Templates nest inside substitutions: look there too.
                if node.kind() == "template_string" {
                    push_children(node, &mut stack);
                }
            }
            _ => push_children(node, &mut stack),
        }
    }
    out.sort_by_key(|r| r.range.start);
    out
}

fn push_children<'t>(node: Node<'t>, stack: &mut Vec<Node<'t>>) {
    let mut cursor = node.walk();
    let children: Vec<Node<'t>> = node.named_children(&mut cursor).collect();
    stack.extend(children.into_iter().rev());
}

fn node_text<'a>(text: &'a str, node: Node<'_>) -> &'a str {
    text.get(node.start_byte()..node.end_byte()).unwrap_or("")
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

/// The comment right before `node` (or before the declaration it is the value of).
fn marked_by_comment(text: &str, node: Node<'_>) -> bool {
    let mut current = Some(node);
    for _ in 0..3 {
        let Some(n) = current else { break };
        if let Some(previous) = n.prev_sibling() {
            if previous.kind() == "comment" {
                return is_marker_comment(node_text(text, previous));
            }
        }
        current = n.parent().filter(|p| {
            matches!(
                p.kind(),
                "variable_declarator"
                    | "lexical_declaration"
                    | "variable_declaration"
                    | "call_expression"
                    | "arguments"
            )
        });
    }
    false
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

fn literal(text: &str, node: Node<'_>) -> Option<Region> {
    let (start, end) = (node.start_byte(), node.end_byte());
    if end < start + 2 {
        return None;
    }
    let content = start + 1..end - 1;
    let marked = match calling_function(node) {
        Some(function) if is_graphql_tag(node_text(text, function)) => true,
        // Another tag (`css\`...\``, `sql\`...\``): not ours.
        Some(_) if node.parent().is_some_and(|p| p.kind() == "call_expression") => return None,
        _ => marked_by_comment(text, node),
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
