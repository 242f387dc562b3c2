//! An SDK call as the code writes it: what runs it, where its flow id comes from (as far as
//! the code says) and its payload argument. `flow_calls` finds them.

use std::ops::Range;

use tree_sitter::Node;

use crate::surfaces::code::literal_values::ValueTree;
use crate::surfaces::code::syntax::node_text;

/// Where a call's flow id comes from, as far as the code says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FlowSource {
    /// A string literal: the flow's id.
    Literal(String),
    /// An environment variable.
    Env(String),
    /// A string given to a helper that looks the flow up: a step id or an env name.
    Name(String),
    /// The first of these that names a known flow (`A || B`, a call with several strings).
    Any(Vec<FlowSource>),
    /// All of these, which must name the same flow (a parameter and its callers).
    All(Vec<FlowSource>),
    /// Why it cannot be known here.
    Unknown(String),
}

/// A call's payload argument.
#[derive(Debug, Clone)]
pub enum PayloadArg {
    /// An object literal, directly or through a name bound to it.
    Literal(Box<ValueTree>),
    /// Why the payload is not judged.
    Opaque(String),
}

/// One call that runs a flow.
#[derive(Debug, Clone)]
pub struct SdkCall {
    /// `executeFlow`, `execute_flow`, ...
    pub method: String,
    pub range: Range<usize>,
    /// The flow id argument (the call's name when it has none).
    pub id_range: Range<usize>,
    pub flow: FlowSource,
    pub payload: PayloadArg,
    /// Keys are written quoted in this language (Python's dicts).
    pub quoted_keys: bool,
}

/// How deep names and parameters are followed.
pub const MAX_HOPS: usize = 8;

/// The method name a call invokes: `client.executeFlow(...)` and `executeFlow(...)` alike.
pub fn method_name<'a>(text: &'a str, function: Node<'_>) -> &'a str {
    let name = match function.kind() {
        "member_expression" => function.child_by_field_name("property"),
        "attribute" => function.child_by_field_name("attribute"),
        _ => Some(function),
    };
    name.map_or("", |n| node_text(text, n))
}
