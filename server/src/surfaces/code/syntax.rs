//! Code as tree-sitter reads it: the host languages, parsing (incremental, with a time
//! budget), and the small tree walks every reader of code shares.

use std::path::Path;

/// A language GraphQL is embedded in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum HostLanguage {
    JavaScript,
    TypeScript,
    Tsx,
    Python,
}

impl HostLanguage {
    /// By file extension: `.js .jsx .mjs .cjs`, `.ts .mts .cts`, `.tsx`, `.py .pyi`.
    pub fn of_path(path: &Path) -> Option<HostLanguage> {
        let extension = path.extension()?.to_str()?.to_ascii_lowercase();
        Some(match extension.as_str() {
            "js" | "jsx" | "mjs" | "cjs" => HostLanguage::JavaScript,
            "ts" | "mts" | "cts" => HostLanguage::TypeScript,
            "tsx" => HostLanguage::Tsx,
            "py" | "pyi" => HostLanguage::Python,
            _ => return None,
        })
    }

    /// By the editor's language id.
    pub fn of_language_id(id: &str) -> Option<HostLanguage> {
        Some(match id {
            "javascript" | "javascriptreact" => HostLanguage::JavaScript,
            "typescript" => HostLanguage::TypeScript,
            "typescriptreact" => HostLanguage::Tsx,
            "python" => HostLanguage::Python,
            _ => return None,
        })
    }
}

/// The syntax tree of a host file, in its language.
pub fn parse(text: &str, language: HostLanguage) -> Option<tree_sitter::Tree> {
    parse_with(text, language, None)
}

/// [`parse`], reusing the tree of the text before its edits (already told of them with
/// [`edit_tree`]): tree-sitter then re-parses only around what changed.
pub fn parse_with(
    text: &str,
    language: HostLanguage,
    previous: Option<&tree_sitter::Tree>,
) -> Option<tree_sitter::Tree> {
    if text.len() > crate::base::document::MAX_DOCUMENT_BYTES {
        return None;
    }
    let grammar: tree_sitter::Language = match language {
        HostLanguage::TypeScript => tree_sitter_typescript::LANGUAGE_TYPESCRIPT.into(),
        HostLanguage::Tsx => tree_sitter_typescript::LANGUAGE_TSX.into(),
        HostLanguage::JavaScript => tree_sitter_javascript::LANGUAGE.into(),
        HostLanguage::Python => tree_sitter_python::LANGUAGE.into(),
    };
    let mut parser = tree_sitter::Parser::new();
    parser.set_language(&grammar).ok()?;
    // Some short inputs make tree-sitter's error recovery take minutes and gigabytes (a
    // 172-byte one found by fuzzing, in the TypeScript grammar): the parse is given up past a
    // budget that a real file of this size never needs.
    let deadline = std::time::Instant::now() + parse_budget(text.len());
    let mut past_deadline = |_: &tree_sitter::ParseState| {
        if std::time::Instant::now() > deadline {
            std::ops::ControlFlow::Break(())
        } else {
            std::ops::ControlFlow::Continue(())
        }
    };
    let options = tree_sitter::ParseOptions::new().progress_callback(&mut past_deadline);
    let bytes = text.as_bytes();
    parser.parse_with_options(
        &mut |i, _| bytes.get(i..).unwrap_or_default(),
        previous,
        Some(options),
    )
}

/// How long the parse of a code file of `len` bytes may take: half a second, and a millisecond
/// more for every 2 KB (tree-sitter reads tens of megabytes a second).
pub fn parse_budget(len: usize) -> std::time::Duration {
    std::time::Duration::from_millis(500 + (len / 2048) as u64)
}

/// Tells a tree of a text about one edit of that text.
pub fn edit_tree(tree: &mut tree_sitter::Tree, edit: &crate::base::document::ByteEdit) {
    let point = |(row, column): (usize, usize)| tree_sitter::Point { row, column };
    tree.edit(&tree_sitter::InputEdit {
        start_byte: edit.start_byte,
        old_end_byte: edit.old_end_byte,
        new_end_byte: edit.new_end_byte,
        start_position: point(edit.start),
        old_end_position: point(edit.old_end),
        new_end_position: point(edit.new_end),
    });
}

/// The source text of a node.
pub(crate) fn node_text<'a>(text: &'a str, node: tree_sitter::Node<'_>) -> &'a str {
    text.get(node.start_byte()..node.end_byte()).unwrap_or("")
}

/// The value a declaration binds to `name`: `const name = v` (also exported, also one of
/// several declarators).
pub(crate) fn declared_value<'t>(
    text: &str,
    statement: tree_sitter::Node<'t>,
    name: &str,
) -> Option<tree_sitter::Node<'t>> {
    let declaration = match statement.kind() {
        "export_statement" => statement.child_by_field_name("declaration")?,
        "lexical_declaration" | "variable_declaration" => statement,
        _ => return None,
    };
    if !matches!(
        declaration.kind(),
        "lexical_declaration" | "variable_declaration"
    ) {
        return None;
    }
    let mut cursor = declaration.walk();
    let found = declaration
        .named_children(&mut cursor)
        .filter(|d| d.kind() == "variable_declarator")
        .find(|d| {
            d.child_by_field_name("name")
                .is_some_and(|n| node_text(text, n) == name)
        })
        .and_then(|d| d.child_by_field_name("value"));
    found
}

/// Every named node of a tree in document order, with one cursor and no allocation (deeply
/// nested code cannot overflow a stack); `visit` says whether to look inside a node.
pub(crate) fn walk<'t>(
    root: tree_sitter::Node<'t>,
    mut visit: impl FnMut(tree_sitter::Node<'t>) -> bool,
) {
    let mut cursor = root.walk();
    let mut descend = visit(root);
    loop {
        if descend && cursor.goto_first_child() {
            let node = cursor.node();
            descend = node.is_named() && visit(node);
            continue;
        }
        // Next sibling, or up until there is one.
        loop {
            if cursor.node() == root {
                return;
            }
            if cursor.goto_next_sibling() {
                let node = cursor.node();
                descend = node.is_named() && visit(node);
                break;
            }
            if !cursor.goto_parent() {
                return;
            }
        }
    }
}
