//! Calls that run a flow from code, as apps write them: the SDKs' `executeFlow(flowId,
//! payload)` and `executeAgent(agentId, payload)` in JavaScript and TypeScript on any receiver,
//! `execute_flow` / `async_execute_flow` in Python (positional or keyword arguments). For each,
//! where its flow id comes from (read from the code, never run) and its payload literal.
//!
//! The flow id is followed through the forms apps use: a literal; `process.env.NAME`,
//! `import.meta.env.NAME`, `os.environ[...]`, `os.getenv(...)`; a `const` (or Python name) bound
//! in an enclosing scope; `A || B` / `A ?? B` / `A or B`; a call or lookup given a string
//! literal (a step id or env name: `requireFlowId("debate-setup")`); and a function parameter,
//! through every call of that function in the file. The payload: an object literal, or a name
//! bound to one in an enclosing scope and not changed afterwards.
//!
//! A wrapper (`function run(flowId, input) { return client.executeFlow(flowId, input) }`) whose
//! flow id or payload is its parameter is a call per caller in the file: each caller's own
//! flow and payload, at the caller's arguments.
//!
//! This file finds the calls (`sdk_call.rs` holds what a call is); `flow_source.rs` follows a
//! flow id, `code_scopes.rs` the names, scopes and functions it goes through, with the
//! `Resolver` both extend.

use tree_sitter::Node;

use crate::surfaces::code::code_scopes::Resolver;
use crate::surfaces::code::sdk_call::{method_name, FlowSource, PayloadArg, SdkCall};
use crate::surfaces::code::syntax::{node_text, walk, HostLanguage};

/// The methods that run a flow, and whether they take an agent.
const JS_METHODS: &[&str] = &["executeFlow", "executeAgent"];
const PY_METHODS: &[&str] = &[
    "execute_flow",
    "async_execute_flow",
    "execute_agent",
    "async_execute_agent",
];

/// Every flow call of an already parsed file.
pub fn calls_in(text: &str, tree: &tree_sitter::Tree, language: HostLanguage) -> Vec<SdkCall> {
    let python = language == HostLanguage::Python;
    let mut out = Vec::new();
    walk(tree.root_node(), |node| {
        let is_call = if python {
            node.kind() == "call"
        } else {
            node.kind() == "call_expression"
        };
        if is_call {
            out.extend(sdk_calls(text, node, python));
        }
        true
    });
    out
}

/// The calls `call` stands for: itself, or, when its flow id or payload is a parameter of a
/// named function that the file calls, one call per caller (see the module's documentation).
pub(crate) fn sdk_calls(text: &str, call: Node<'_>, python: bool) -> Vec<SdkCall> {
    let Some(base) = sdk_call(text, call, python) else {
        return Vec::new();
    };
    let resolver = Resolver { text, python };
    let Some(arguments) = call.child_by_field_name("arguments") else {
        return vec![base];
    };
    let (id, payload) = arguments_of(text, arguments, python);
    let (id_parameter, payload_parameter) =
        (resolver.parameter_of(id), resolver.parameter_of(payload));
    let function = match (&id_parameter, &payload_parameter) {
        (Some((f, ..)), Some((g, ..))) if f.id() != g.id() => return vec![base],
        (Some((f, ..)), _) | (None, Some((f, ..))) => *f,
        (None, None) => return vec![base],
    };
    let Some(wrapper) = resolver.function_name(function) else {
        return vec![base];
    };
    let callers = resolver.calls_of(function, wrapper);
    if callers.is_empty() {
        return vec![base];
    }
    callers
        .into_iter()
        .map(|caller| {
            let argument = |index: usize, name: &str| resolver.argument(caller, index, name);
            let (flow, id_range) = match &id_parameter {
                Some((_, index, name)) => match argument(*index, name) {
                    Some(given) => (
                        resolver.flow(given, 1),
                        given.start_byte()..given.end_byte(),
                    ),
                    None => (
                        FlowSource::Unknown(format!("this call of `{wrapper}` gives no `{name}`")),
                        caller.start_byte()..caller.end_byte(),
                    ),
                },
                None => (base.flow.clone(), base.id_range.clone()),
            };
            let payload = match &payload_parameter {
                Some((_, index, name)) => match argument(*index, name) {
                    Some(given) => resolver.payload(given),
                    None => {
                        PayloadArg::Opaque(format!("this call of `{wrapper}` gives no `{name}`"))
                    }
                },
                None => base.payload.clone(),
            };
            SdkCall {
                method: format!("{} through `{wrapper}`", base.method),
                range: caller.start_byte()..caller.end_byte(),
                id_range,
                flow,
                payload,
                quoted_keys: python,
            }
        })
        .collect()
}

fn sdk_call(text: &str, call: Node<'_>, python: bool) -> Option<SdkCall> {
    let function = call.child_by_field_name("function")?;
    let method = method_name(text, function);
    let known = if python { PY_METHODS } else { JS_METHODS };
    if !known.contains(&method) {
        return None;
    }
    let arguments = call.child_by_field_name("arguments")?;
    let (id, payload) = arguments_of(text, arguments, python);
    let resolver = Resolver { text, python };
    let flow = match id {
        Some(id) => resolver.flow(id, 0),
        None => FlowSource::Unknown("the call names no flow".into()),
    };
    let payload = match payload {
        Some(payload) => resolver.payload(payload),
        None => PayloadArg::Opaque("the call sends no payload".into()),
    };
    let name_range = function.start_byte()..function.end_byte();
    Some(SdkCall {
        method: method.to_string(),
        range: call.start_byte()..call.end_byte(),
        id_range: id.map_or(name_range, |n| n.start_byte()..n.end_byte()),
        flow,
        payload,
        quoted_keys: python,
    })
}

/// Where the flow id written at `node` comes from (a value of a `variables` object beside a
/// query, say), followed as a call's flow id argument is.
pub(crate) fn source_at(text: &str, node: Node<'_>, python: bool) -> FlowSource {
    Resolver { text, python }.flow(node, 0)
}

/// The flow id and payload arguments: the first two positional ones, or Python's keywords.
fn arguments_of<'t>(
    text: &str,
    arguments: Node<'t>,
    python: bool,
) -> (Option<Node<'t>>, Option<Node<'t>>) {
    let mut cursor = arguments.walk();
    let all: Vec<Node<'t>> = arguments
        .named_children(&mut cursor)
        .filter(|n| n.kind() != "comment")
        .collect();
    let mut positional = all.iter().filter(|n| n.kind() != "keyword_argument");
    let (mut id, mut payload) = (positional.next().copied(), positional.next().copied());
    if python {
        for keyword in all.iter().filter(|n| n.kind() == "keyword_argument") {
            let name = keyword
                .child_by_field_name("name")
                .map_or("", |n| node_text(text, n));
            let value = keyword.child_by_field_name("value");
            match name {
                "flow_id" | "workflow_id" | "agent_id" => id = value,
                "payload" => payload = value,
                _ => {}
            }
        }
    }
    (id, payload)
}
