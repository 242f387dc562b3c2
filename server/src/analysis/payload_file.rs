//! Payload JSON files (`extensions.flowql.payloads`): parsed with their ranges (jsonc-parser),
//! checked against the flow they are mapped to, diagnostics on the offending key or value.

use jsonc_parser::ast::{ObjectPropName, Value as Node};
use jsonc_parser::common::Ranged;
use jsonc_parser::{CollectOptions, ParseOptions};
use serde_json::Value;

use super::payload::{Source, Spans};
use crate::catalog::Code;
use crate::diagnostic::Diagnostic;
use crate::flows::registry::FlowRegistry;
use crate::flows::validate::{validate, Segment, Target};

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

/// Every problem of a payload file sent to flow `flow_id`.
///
/// A valid payload (the usual case) is only parsed by serde_json and checked with the
/// validator's fast path; the text is parsed again with ranges only when there is something to
/// locate, and then only the paths of the problems are looked up.
pub fn check(
    text: &str,
    flow_id: &str,
    flows: &FlowRegistry,
    strict_mode: bool,
) -> Vec<Diagnostic> {
    let json = match parse(text) {
        Ok(json) => json,
        Err(problems) => return problems,
    };
    check_at(text, &json, &[], flow_id, flows, strict_mode, 0..0)
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
    let json = match parse(text) {
        Ok(json) => json,
        Err(problems) => return problems,
    };
    // A half-typed operation still names its payload variable: use what parsed.
    let ast = apollo_compiler::ast::Document::parse(operation, "operation.graphql")
        .unwrap_or_else(|with_errors| with_errors.partial);
    let mut out = Vec::new();
    for (payload_variable, flow) in super::payload::variable_payloads(&ast) {
        let flow_id = match flow {
            super::payload::FlowRef::Literal(id) => id,
            super::payload::FlowRef::Variable(name) => {
                match json.get(&name).and_then(Value::as_str) {
                    Some(id) => id.to_string(),
                    None => continue,
                }
            }
        };
        if json.get(&payload_variable).is_none() {
            continue;
        }
        // Problems about the flow itself belong at the payload variable.
        let at = key_range(text, &payload_variable).unwrap_or(0..0);
        out.extend(check_at(
            text,
            &json,
            &[Segment::Key(payload_variable)],
            &flow_id,
            flows,
            strict_mode,
            at,
        ));
    }
    out.sort_by_key(|d| (d.range.start, d.range.end));
    out
}

/// Where the parts of a variables file are, for [`super::variable_values::check`].
struct JsonPlaces<'a> {
    root: Node<'a>,
}

impl JsonPlaces<'_> {
    fn spans(&self, path: &[Segment]) -> Spans {
        let mut spans = Spans::default();
        record_path(&self.root, path, &mut spans);
        spans
    }
}

impl super::variable_values::Places for JsonPlaces<'_> {
    fn value(&self, path: &[Segment]) -> Option<std::ops::Range<usize>> {
        self.spans(path).values.get(path).cloned()
    }
    fn key(&self, path: &[Segment]) -> Option<std::ops::Range<usize>> {
        self.spans(path).keys.get(path).cloned()
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
    let Ok(parsed) = jsonc_parser::parse_to_ast(text, &CollectOptions::default(), &strict()) else {
        return Vec::new();
    };
    let Some(root) = parsed.value else {
        return Vec::new();
    };
    let places = JsonPlaces { root };
    super::variable_values::check(&values, op, schema, &places)
}

/// The range of a top-level key of a JSON text.
fn key_range(text: &str, key: &str) -> Option<std::ops::Range<usize>> {
    let parsed = jsonc_parser::parse_to_ast(text, &CollectOptions::default(), &strict()).ok()?;
    let mut spans = Spans::default();
    record_path(&parsed.value?, &[Segment::Key(key.to_string())], &mut spans);
    spans
        .keys
        .get(&vec![Segment::Key(key.to_string())])
        .cloned()
}

/// The payload at `base` of `json`, checked against flow `flow_id`; flow-level problems are
/// placed at `flow_at`.
fn check_at(
    text: &str,
    json: &Value,
    base: &[Segment],
    flow_id: &str,
    flows: &FlowRegistry,
    strict_mode: bool,
    flow_at: std::ops::Range<usize>,
) -> Vec<Diagnostic> {
    let Some(flow) = flows.get(flow_id) else {
        if !flows.is_configured() || flows.incomplete {
            return Vec::new();
        }
        return vec![Diagnostic::new(
            Code::FlowNotFound,
            flow_at,
            format!(
                "the payload goes to flow `{flow_id}`, which is not among the {}",
                super::payload::known_flows(flows.len())
            ),
        )];
    };
    let mut out = Vec::new();
    if flow.is_inactive() {
        out.push(Diagnostic::new(
            Code::FlowInactive,
            flow_at,
            format!(
                "flow {} is inactive: the platform answers 404 until it is deployed",
                flow.label()
            ),
        ));
    }
    let payload = base.iter().try_fold(json, |value, segment| match segment {
        Segment::Key(k) => value.get(k),
        Segment::Index(i) => value.get(i),
    });
    let Some(payload) = payload else {
        return out;
    };
    let problems = if flow.input.is_valid(payload) {
        Vec::new()
    } else {
        validate(&flow.input, payload, strict_mode)
    };
    if problems.is_empty() {
        return out;
    }
    let Ok(parsed) = jsonc_parser::parse_to_ast(text, &CollectOptions::default(), &strict()) else {
        return syntax_errors(text);
    };
    let Some(root) = parsed.value else {
        return out;
    };
    let mut spans = Spans::default();
    let problems: Vec<_> = problems
        .into_iter()
        .map(|mut problem| {
            problem.path = base.iter().cloned().chain(problem.path).collect();
            let mut path = problem.path.clone();
            if let Target::Key(name) = &problem.target {
                path.push(Segment::Key(name.clone()));
            }
            record_path(&root, &path, &mut spans);
            problem
        })
        .collect();
    let start = root.range().start;
    let root_brace = match base.last() {
        // A payload inside a variables file: its key stands for it.
        Some(_) => spans.keys.get(base).cloned().unwrap_or(start..start + 1),
        None => start..(start + 1).min(text.len()),
    };
    let source = Source {
        text,
        json: true,
        base_len: base.len(),
    };
    out.extend(super::payload::locate_all(
        problems,
        &spans,
        &root_brace,
        flow,
        &source,
    ));
    out.sort_by_key(|d| (d.range.start, d.range.end));
    out
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

/// Records the ranges of every node along `path` (keys and values).
fn record_path(root: &Node<'_>, path: &[Segment], spans: &mut Spans) {
    let mut node = root;
    let range = node.range();
    spans.values.insert(Vec::new(), range.start..range.end);
    for (depth, segment) in path.iter().enumerate() {
        let here = path[..=depth].to_vec();
        let next = match (node, segment) {
            (Node::Object(object), Segment::Key(key)) => {
                let Some(property) = object.properties.iter().find(|p| p.name.as_str() == key)
                else {
                    return;
                };
                let name = match &property.name {
                    ObjectPropName::String(s) => s.range(),
                    ObjectPropName::Word(w) => w.range(),
                };
                spans.keys.insert(here.clone(), name.start..name.end);
                &property.value
            }
            (Node::Array(array), Segment::Index(i)) => match array.elements.get(*i) {
                Some(element) => element,
                None => return,
            },
            _ => return,
        };
        let range = next.range();
        spans.values.insert(here, range.start..range.end);
        node = next;
    }
}

/// Hover on a key of a payload file: the field's type, whether it is required, its description
/// and the flow.
pub fn hover(
    text: &str,
    flow_id: &str,
    flows: &FlowRegistry,
    offset: usize,
) -> Option<(std::ops::Range<usize>, String)> {
    let flow = flows.get(flow_id)?;
    let parsed =
        jsonc_parser::parse_to_ast(text, &CollectOptions::default(), &Default::default()).ok()?;
    let root = parsed.value?;
    let (path, range) = key_at(&root, offset, &mut Vec::new())?;
    super::flow_text::field_hover(flow, &path).map(|markdown| (range, markdown))
}

/// The key under `offset`, with its path.
fn key_at(
    node: &Node<'_>,
    offset: usize,
    path: &mut Vec<Segment>,
) -> Option<(Vec<Segment>, std::ops::Range<usize>)> {
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
    use crate::analysis::testing::library;

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
