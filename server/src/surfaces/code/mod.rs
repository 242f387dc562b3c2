//! GraphQL embedded in JavaScript, TypeScript (and TSX) and Python: the literals that hold
//! operations, found with tree-sitter's parsers of those languages (no regular expressions over
//! source code), each turned into a GraphQL text of the same length as the literal's content so
//! that every offset maps back by one addition. `${...}` interpolations become neutral
//! placeholders of the same length.

mod code_scopes;
pub mod flow_calls;
mod flow_source;
pub(crate) mod js;
pub mod literal_values;
mod python;

use std::ops::Range;
use std::path::Path;

use apollo_parser::{Lexer, TokenKind};

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

/// The GraphQL regions of a host file, in order.
pub fn extract(text: &str, language: HostLanguage) -> Vec<Region> {
    if text.len() > crate::checks::document::MAX_DOCUMENT_BYTES {
        return Vec::new();
    }
    match language {
        HostLanguage::Python => crate::surfaces::code::python::extract(text),
        _ => crate::surfaces::code::js::extract(text, language),
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
    if text.len() > crate::checks::document::MAX_DOCUMENT_BYTES {
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

/// What one walk over a host file's tree finds: its GraphQL literals (in order), the
/// `variables` objects beside queries, and the calls that run a flow.
pub struct Scan {
    pub regions: Vec<Region>,
    pub variables: Vec<crate::surfaces::code::literal_values::VariablesLiteral>,
    pub calls: Vec<crate::surfaces::code::flow_calls::SdkCall>,
}

/// Walks a parsed host file once for everything the analysis reads in it (three walks cost
/// three times as much on every edit of a large file).
pub fn scan(text: &str, tree: &tree_sitter::Tree, language: HostLanguage) -> Scan {
    let python = language == HostLanguage::Python;
    let mut found = Scan {
        regions: Vec::new(),
        variables: Vec::new(),
        calls: Vec::new(),
    };
    walk(tree.root_node(), |node| match node.kind() {
        "string" => {
            let region = if python {
                crate::surfaces::code::python::literal(text, node)
            } else {
                crate::surfaces::code::js::literal(text, node)
            };
            found.regions.extend(region);
            false
        }
        // Templates nest inside substitutions: look there too.
        "template_string" => {
            found
                .regions
                .extend(crate::surfaces::code::js::literal(text, node));
            true
        }
        "object" | "dictionary" => {
            found
                .variables
                .extend(crate::surfaces::code::literal_values::literal(text, node));
            true
        }
        "call_expression" | "call" => {
            found
                .calls
                .extend(crate::surfaces::code::flow_calls::sdk_calls(
                    text, node, python,
                ));
            found
                .variables
                .extend(crate::surfaces::code::literal_values::wrapper_call(
                    text, node,
                ));
            true
        }
        _ => true,
    });
    found.regions.sort_by_key(|r| r.range.start);
    found
}

/// The GraphQL literals of an already parsed host file, in order.
pub fn extract_from(text: &str, tree: &tree_sitter::Tree, language: HostLanguage) -> Vec<Region> {
    match language {
        HostLanguage::Python => crate::surfaces::code::python::extract_from(text, tree),
        _ => crate::surfaces::code::js::extract_from(text, tree),
    }
}

/// The GraphQL texts of a file and where each starts: the whole text of a GraphQL document,
/// the literals of code, nothing for JSON.
pub fn graphql_parts(text: &str, path: Option<&Path>) -> Vec<(usize, String)> {
    let extension = path
        .and_then(|p| p.extension())
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase);
    if extension.as_deref() == Some("json") {
        return Vec::new();
    }
    match path.and_then(HostLanguage::of_path) {
        Some(language) => extract(text, language)
            .into_iter()
            .map(|r| (r.range.start, r.text))
            .collect(),
        None => vec![(0, text.to_string())],
    }
}

/// A literal's content as a region: interpolations (ranges of the host text) replaced.
fn region(
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
fn inside_brackets(text: &str) -> bool {
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
    let tokens = crate::features::completion::context::significant_tokens(text, 5);
    use TokenKind::{At, LCurly, LParen, Name};
    let operation = |word: &str| matches!(word, "query" | "mutation" | "subscription");
    match tokens.as_slice() {
        [(Name, word), (LCurly | LParen | At, _), ..] => operation(word),
        [(Name, word), (Name, _), (LCurly | LParen | At, _), ..] => operation(word),
        [(Name, "fragment"), (Name, _), (Name, "on"), (Name, _), ..] => true,
        _ => false,
    }
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

/// Whether a marker comment stands right before `node`, or before one of its first few
/// ancestors of the kinds in `through` (the declaration or call the literal is part of).
fn marked_by_comment(text: &str, node: tree_sitter::Node<'_>, through: &[&str]) -> bool {
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
fn is_marker_comment(comment: &str) -> bool {
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
fn is_graphql_tag(name: &str) -> bool {
    let last = name.rsplit('.').next().unwrap_or(name);
    matches!(last, "gql" | "graphql")
}

#[cfg(test)]
mod flow_calls_tests;
#[cfg(test)]
mod tests;
