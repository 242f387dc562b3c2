//! GraphQL embedded in JavaScript, TypeScript (and TSX) and Python: the literals that hold
//! operations, found with tree-sitter's parsers of those languages (no regular expressions over
//! source code), each turned into a GraphQL text of the same length as the literal's content so
//! that every offset maps back by one addition. `${...}` interpolations become neutral
//! placeholders of the same length.

//!
//! `syntax` parses code; `literals` and the language files (`js`, `python`) find GraphQL
//! literals; `literal_values` reads object literals as JSON with places; `flow_calls` (with
//! `sdk_call`, `flow_source` and `code_scopes`) finds the SDK calls; `scan` walks a file once
//! for all of them.

mod code_scopes;
pub mod flow_calls;
mod flow_source;
pub(crate) mod js;
pub mod literal_values;
pub mod literals;
mod python;
pub mod scan;
pub mod sdk_call;
pub mod syntax;

pub use literals::{looks_like_graphql, Placeholder, Region};
pub use scan::{extract, extract_from, graphql_parts, scan, Scan};
pub(crate) use syntax::{declared_value, node_text, walk};
pub use syntax::{edit_tree, parse, parse_budget, parse_with, HostLanguage};

#[cfg(test)]
mod flow_calls_tests;
#[cfg(test)]
mod tests;
