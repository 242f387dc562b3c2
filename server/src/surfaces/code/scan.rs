//! One walk over a code file's tree for everything the checks read: its GraphQL literals,
//! the `variables` objects beside them and its flow calls.

use std::path::Path;

use crate::surfaces::code::literals::Region;
use crate::surfaces::code::syntax::{walk, HostLanguage};

/// The GraphQL regions of a host file, in order.
pub fn extract(text: &str, language: HostLanguage) -> Vec<Region> {
    if text.len() > crate::base::document::MAX_DOCUMENT_BYTES {
        return Vec::new();
    }
    match language {
        HostLanguage::Python => crate::surfaces::code::python::extract(text),
        _ => crate::surfaces::code::js::extract(text, language),
    }
}

/// What one walk over a host file's tree finds: its GraphQL literals (in order), the
/// `variables` objects beside queries, and the calls that run a flow.
pub struct Scan {
    pub regions: Vec<Region>,
    pub variables: Vec<crate::surfaces::code::literal_values::VariablesLiteral>,
    pub calls: Vec<crate::surfaces::code::sdk_call::SdkCall>,
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
