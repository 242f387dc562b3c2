//! Payload JSON files (`extensions.flowql.payloads`) and variables files beside an operation:
//! each payload they hold is a flow call (read by `surfaces::json`), checked by the one
//! checker against the flow it is mapped to, with diagnostics on the offending key or value.

use jsonc_parser::CollectOptions;
use serde_json::Value;

use crate::base::catalog::Code;
use crate::base::diagnostic::Diagnostic;
use crate::checks::payloads::checker;
use crate::flows::registry::FlowRegistry;
use crate::flows::validate::Segment;
use crate::surfaces::call::{CallSummary, FlowCall, PayloadTree};
use crate::surfaces::code::sdk_call::FlowSource;
use crate::surfaces::json::{parse_ranged, payload_tree, record_path, strict, JsonPlaces};

/// The file's JSON, or its syntax errors at their ranges.
fn parse(text: &str) -> Result<Value, Vec<Diagnostic>> {
    serde_json::from_str(text).map_err(|_| syntax_errors(text))
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
    for (payload_variable, flow) in crate::surfaces::graphql::variable_payloads(&ast) {
        let flow_id = match flow {
            crate::surfaces::graphql::FlowRef::Literal(id) => id,
            crate::surfaces::graphql::FlowRef::Variable(name) => {
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
