//! Payload JSON files (`extensions.flowql.payloads`) and variables files beside an operation:
//! each payload they hold is a flow call, checked by the one checker (`flow_call`) against the
//! flow it is mapped to, with diagnostics on the offending key or value (ranges from
//! jsonc-parser).

use std::ops::Range;

use jsonc_parser::ast::{ObjectPropName, Value as Node};
use jsonc_parser::common::Ranged;
use jsonc_parser::{CollectOptions, ParseOptions};
use serde_json::Value;

use crate::base::catalog::Code;
use crate::base::diagnostic::Diagnostic;
use crate::checks::payloads::checker;
use crate::flows::registry::FlowRegistry;
use crate::flows::validate::{validate, Segment, Target};
use crate::surfaces::call::{CallSummary, FlowCall, PayloadTree};
use crate::surfaces::code::sdk_call::FlowSource;

/// Strict JSON: what the platform's API accepts.
fn strict() -> ParseOptions {
    ParseOptions {
        allow_comments: false,
        allow_loose_object_property_names: false,
        allow_trailing_commas: false,
        allow_missing_commas: false,
        allow_single_quoted_strings: false,
        allow_hexadecimal_numbers: false,
        allow_unary_plus_numbers: false,
        allow_bare_decimal_point_numbers: false,
        allow_extended_string_escapes: false,
        allow_non_finite_numbers: false,
    }
}

/// The file's JSON, or its syntax errors at their ranges.
fn parse(text: &str) -> Result<Value, Vec<Diagnostic>> {
    serde_json::from_str(text).map_err(|_| syntax_errors(text))
}

/// The file's syntax tree with ranges (strict JSON), when it parses.
fn parse_ranged(text: &str) -> Option<Node<'_>> {
    jsonc_parser::parse_to_ast(text, &CollectOptions::default(), &strict())
        .ok()?
        .value
}

/// Every problem of a payload file sent to flow `flow_id`.
pub fn check(
    text: &str,
    flow_id: &str,
    flows: &FlowRegistry,
    strict_mode: bool,
) -> Vec<Diagnostic> {
    check_file(text, flow_id, flows, strict_mode).0
}

/// [`check`], and the file as a flow call, for `flowql check`'s counts.
///
/// A valid payload (the usual case) is only parsed by serde_json and checked with the
/// validator's fast path; the text is parsed again with ranges only when there is something to
/// place.
pub fn check_file(
    text: &str,
    flow_id: &str,
    flows: &FlowRegistry,
    strict_mode: bool,
) -> (Vec<Diagnostic>, Option<CallSummary>) {
    let json = match parse(text) {
        Ok(json) => json,
        Err(problems) => return (problems, None),
    };
    let target = crate::surfaces::call::resolve(&FlowSource::Literal(flow_id.to_string()), flows);
    let Some(tree) = payload_tree(text, json, &[], &target, strict_mode) else {
        return (syntax_errors(text), None);
    };
    let call = FlowCall {
        target,
        flow_at: 0..0,
        payload: Ok(tree),
    };
    let mut out = Vec::new();
    let mut summary = checker::check_call(
        text,
        call,
        "payload file",
        0..text.len(),
        strict_mode,
        &mut out,
    );
    // Hovers in a JSON file read its text (`hover`); the value need not be kept.
    summary.payload = None;
    out.sort_by_key(|d| (d.range.start, d.range.end));
    (out, Some(summary))
}

/// The payload at `base` of a file's JSON as a tree. Its ranges are read only when the flow
/// is known and the payload breaks its schema, and then only those the problems need: each
/// problem's path and key, and the keys beside a missing field (a misspelt one is named
/// there). A table of every node's range took ten times as long on a 1 MB file. `None` when
/// the text then does not parse.
fn payload_tree(
    text: &str,
    mut json: Value,
    base: &[Segment],
    target: &crate::surfaces::call::CallTarget,
    strict_mode: bool,
) -> Option<PayloadTree> {
    let value = base
        .iter()
        .try_fold(&mut json, |value, segment| match segment {
            Segment::Key(k) => value.get_mut(k),
            Segment::Index(i) => value.get_mut(*i),
        })
        .map(Value::take)
        .unwrap_or(Value::Null);
    let mut tree = PayloadTree {
        quoted_keys: true,
        ..PayloadTree::default()
    };
    let crate::surfaces::call::CallTarget::Flow { flow, .. } = target else {
        tree.value = value;
        return Some(tree);
    };
    if flow.input.is_valid(&value) {
        tree.value = value;
        return Some(tree);
    }
    let root = parse_ranged(text)?;
    let mut whole = PayloadTree::default();
    record_path(&root, base, &mut whole);
    for problem in validate(&flow.input, &value, strict_mode) {
        let mut path = base.to_vec();
        path.extend(problem.path);
        if let Target::Key(name) = &problem.target {
            let mut key = path.clone();
            key.push(Segment::Key(name.clone()));
            record_path(&root, &key, &mut whole);
        }
        let node = record_path(&root, &path, &mut whole);
        if let (Some(_), Some(Node::Object(object))) = (&problem.missing, node) {
            for property in &object.properties {
                let mut key = path.clone();
                key.push(Segment::Key(property.name.as_str().to_string()));
                record_path(&root, &key, &mut whole);
            }
        }
    }
    let under = |path: &Vec<Segment>| path.strip_prefix(base).map(<[Segment]>::to_vec);
    let relative = |map: &std::collections::HashMap<Vec<Segment>, Range<usize>>| {
        map.iter()
            .filter_map(|(p, r)| Some((under(p)?, r.clone())))
            .collect()
    };
    tree.values = relative(&whole.values);
    tree.keys = relative(&whole.keys);
    // The payload's own key (a variables file's variable) is not one of the payload's.
    tree.keys.remove(&Vec::new());
    tree.root_at = match base {
        [] => tree
            .values
            .get(&Vec::new())
            .map(|r| r.start..(r.start + 1).min(r.end)),
        _ => whole.keys.get(base).cloned(),
    };
    tree.value = value;
    Some(tree)
}

/// Records the ranges of every node along `path` (keys and values); the node at its end.
fn record_path<'a>(
    root: &'a Node<'a>,
    path: &[Segment],
    tree: &mut PayloadTree,
) -> Option<&'a Node<'a>> {
    let mut node = root;
    let range = node.range();
    tree.values.insert(Vec::new(), range.start..range.end);
    for (depth, segment) in path.iter().enumerate() {
        let here = path[..=depth].to_vec();
        let next = match (node, segment) {
            (Node::Object(object), Segment::Key(key)) => {
                // The last of duplicate keys is the one serde_json keeps.
                let property = object
                    .properties
                    .iter()
                    .rev()
                    .find(|p| p.name.as_str() == key)?;
                let name = match &property.name {
                    ObjectPropName::String(s) => s.range(),
                    ObjectPropName::Word(w) => w.range(),
                };
                tree.keys.insert(here.clone(), name.start..name.end);
                &property.value
            }
            (Node::Array(array), Segment::Index(i)) => array.elements.get(*i)?,
            _ => return None,
        };
        let range = next.range();
        tree.values.insert(here, range.start..range.end);
        node = next;
    }
    Some(node)
}

/// A variables file (`name.variables.json` beside `name.graphql`): the operation says which
/// variable is the payload and which flow it goes to (a literal `workflowId`, or another
/// variable of the same file).
pub fn check_variables(
    text: &str,
    operation: &str,
    flows: &FlowRegistry,
    strict_mode: bool,
) -> Vec<Diagnostic> {
    check_variables_file(text, operation, flows, strict_mode).0
}

/// [`check_variables`], and each payload of the file as a flow call.
pub fn check_variables_file(
    text: &str,
    operation: &str,
    flows: &FlowRegistry,
    strict_mode: bool,
) -> (Vec<Diagnostic>, Vec<CallSummary>) {
    let json = match parse(text) {
        Ok(json) => json,
        Err(problems) => return (problems, Vec::new()),
    };
    // A half-typed operation still names its payload variable: use what parsed.
    let ast = apollo_compiler::ast::Document::parse(operation, "operation.graphql")
        .unwrap_or_else(|with_errors| with_errors.partial);
    let root = parse_ranged(text);
    let mut out = Vec::new();
    let mut calls = Vec::new();
    for (payload_variable, flow) in crate::checks::payloads::graphql::variable_payloads(&ast) {
        let flow_id = match flow {
            crate::checks::payloads::graphql::FlowRef::Literal(id) => id,
            crate::checks::payloads::graphql::FlowRef::Variable(name) => {
                match json.get(&name).and_then(Value::as_str) {
                    Some(id) => id.to_string(),
                    None => continue,
                }
            }
        };
        if json.get(&payload_variable).is_none() {
            continue;
        }
        let base = [Segment::Key(payload_variable)];
        let target = crate::surfaces::call::resolve(&FlowSource::Literal(flow_id), flows);
        let Some(tree) = payload_tree(text, json.clone(), &base, &target, strict_mode) else {
            continue;
        };
        // Problems about the flow itself belong at the payload variable.
        let at = root
            .as_ref()
            .and_then(|root| {
                let mut places = PayloadTree::default();
                record_path(root, &base, &mut places);
                places.keys.get(base.as_slice()).cloned()
            })
            .unwrap_or(0..0);
        let call = FlowCall {
            target,
            flow_at: at.clone(),
            payload: Ok(tree),
        };
        calls.push(checker::check_call(
            text,
            call,
            "variables file",
            at,
            strict_mode,
            &mut out,
        ));
    }
    out.sort_by_key(|d| (d.range.start, d.range.end));
    // Hovers in a JSON file read its text (`hover`); the values need not be kept.
    for call in &mut calls {
        call.payload = None;
    }
    (out, calls)
}

/// Where the parts of a variables file are, for [`crate::checks::graphql::variable_values::check`]: looked up
/// along each path asked for, not tabled for the whole file (which may hold a large payload).
struct JsonPlaces<'a> {
    root: Node<'a>,
}

impl JsonPlaces<'_> {
    fn along(&self, path: &[Segment]) -> PayloadTree {
        let mut places = PayloadTree::default();
        record_path(&self.root, path, &mut places);
        places
    }
}

impl crate::checks::graphql::variable_values::Places for JsonPlaces<'_> {
    fn value(&self, path: &[Segment]) -> Option<Range<usize>> {
        self.along(path).values.get(path).cloned()
    }
    fn key(&self, path: &[Segment]) -> Option<Range<usize>> {
        self.along(path).keys.get(path).cloned()
    }
    fn unknown(&self, _: &[Segment]) -> bool {
        false
    }
    fn open(&self, _: &[Segment]) -> bool {
        false
    }
}

/// The values of a variables file against its operation's variable definitions (required ones
/// sent, each readable as its declared type, none undeclared). Only when the operation file
/// has one operation: with several, which one is sent is not known here.
pub fn check_variable_values(
    text: &str,
    operation: &str,
    schema: &apollo_compiler::Schema,
) -> Vec<Diagnostic> {
    let Ok(Value::Object(values)) = serde_json::from_str::<Value>(text) else {
        return Vec::new();
    };
    let ast = apollo_compiler::ast::Document::parse(operation, "operation.graphql")
        .unwrap_or_else(|with_errors| with_errors.partial);
    let mut operations = ast.definitions.iter().filter_map(|d| match d {
        apollo_compiler::ast::Definition::OperationDefinition(op) => Some(op),
        _ => None,
    });
    let (Some(op), None) = (operations.next(), operations.next()) else {
        return Vec::new();
    };
    let Some(root) = parse_ranged(text) else {
        return Vec::new();
    };
    let places = JsonPlaces { root };
    crate::checks::graphql::variable_values::check(&values, op, schema, &places)
}

/// The syntax error of a text serde_json refused, where jsonc-parser places it.
fn syntax_errors(text: &str) -> Vec<Diagnostic> {
    match jsonc_parser::parse_to_ast(text, &CollectOptions::default(), &strict()) {
        Err(e) => {
            let range = e.range();
            vec![Diagnostic::new(
                Code::JsonSyntaxError,
                range.start..range.end,
                e.kind().to_string(),
            )]
        }
        Ok(parsed) if parsed.value.is_none() => {
            vec![Diagnostic::new(
                Code::JsonSyntaxError,
                0..0,
                "the payload file is empty",
            )]
        }
        Ok(_) => vec![Diagnostic::new(
            Code::JsonSyntaxError,
            0..0,
            "the payload file is not valid JSON",
        )],
    }
}

/// The path of the key under `offset` of a JSON text, and the key's range (with its quotes).
pub fn key_path_at(text: &str, offset: usize) -> Option<(Vec<Segment>, Range<usize>)> {
    let parsed =
        jsonc_parser::parse_to_ast(text, &CollectOptions::default(), &Default::default()).ok()?;
    key_at(&parsed.value?, offset, &mut Vec::new())
}

/// The ranges (with quotes) of the keys of a JSON text that send the field at `path`: from the
/// top (a payload file) or under one top-level key (a variables file's payload variable); list
/// indexes match every element.
pub fn key_ranges(text: &str, path: &[Segment]) -> Vec<Range<usize>> {
    let Some(root) = parse_ranged(text) else {
        return Vec::new();
    };
    let mut found = Vec::new();
    keys_along(&root, path, &mut found);
    if let Node::Object(object) = &root {
        for property in &object.properties {
            keys_along(&property.value, path, &mut found);
        }
    }
    found.sort_by_key(|r| r.start);
    found.dedup();
    found
}

fn keys_along(node: &Node<'_>, path: &[Segment], found: &mut Vec<Range<usize>>) {
    let Some((first, rest)) = path.split_first() else {
        return;
    };
    match (node, first) {
        (Node::Object(object), Segment::Key(key)) => {
            for property in object.properties.iter().filter(|p| p.name.as_str() == key) {
                if rest.is_empty() {
                    let name = match &property.name {
                        ObjectPropName::String(s) => s.range(),
                        ObjectPropName::Word(w) => w.range(),
                    };
                    found.push(name.start..name.end);
                } else {
                    keys_along(&property.value, rest, found);
                }
            }
        }
        (Node::Array(array), Segment::Index(_)) => {
            for element in &array.elements {
                keys_along(element, rest, found);
            }
        }
        _ => {}
    }
}

/// The key under `offset`, with its path.
fn key_at(
    node: &Node<'_>,
    offset: usize,
    path: &mut Vec<Segment>,
) -> Option<(Vec<Segment>, Range<usize>)> {
    match node {
        Node::Object(object) => object.properties.iter().find_map(|property| {
            path.push(Segment::Key(property.name.as_str().to_string()));
            let name = match &property.name {
                ObjectPropName::String(s) => s.range(),
                ObjectPropName::Word(w) => w.range(),
            };
            let found = if name.start <= offset && offset <= name.end {
                Some((path.clone(), name.start..name.end))
            } else {
                key_at(&property.value, offset, path)
            };
            path.pop();
            found
        }),
        Node::Array(array) => array.elements.iter().enumerate().find_map(|(i, element)| {
            path.push(Segment::Index(i));
            let found = key_at(element, offset, path);
            path.pop();
            found
        }),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::document::testing::library;

    #[test]
    fn variables_files_are_read_as_their_operation_declares() {
        let operation = "query Q($id: ID!, $first: Int, $order: Order) { book(id: $id) { id } }";
        let text = "{\n  \"first\": \"3\",\n  \"order\": \"NEWEST\",\n  \"extra\": true\n}\n";
        let found: Vec<(Code, &str)> = check_variable_values(text, operation, &library().schema)
            .iter()
            .map(|d| (d.code, &text[d.range.clone()]))
            .collect();
        assert_eq!(
            found,
            [
                (Code::VariableValueMissing, text.trim_end()),
                (Code::VariableValueInvalid, "\"3\""),
                (Code::VariableNotDeclared, "\"extra\""),
            ]
        );
        // With two operations, which one is sent is not known: nothing is said.
        let two = format!("{operation}\nquery R {{ legacy }}");
        assert!(check_variable_values(text, &two, &library().schema).is_empty());
        // Broken JSON is the syntax check's to report.
        assert!(check_variable_values("{", operation, &library().schema).is_empty());
    }
}
