//! Inline payloads: the `payload:` object literal of a Flow call, checked against the input
//! schema of the flow its `workflowId` names. Literal leaves are checked as they are; variable
//! leaves by their declared GraphQL type (`JSON` accepts anything).

use std::collections::HashMap;
use std::ops::Range;

use apollo_compiler::ast::{self, Definition, OperationDefinition, Selection, Type, Value};
use apollo_compiler::Node;
use serde_json::{json, Value as Json};

use super::flow_text::{field_hover, flow_markdown};
use super::span;
use crate::catalog::{Code, Severity};
use crate::diagnostic::Diagnostic;
use crate::flows::registry::FlowRegistry;
use crate::flows::validate::{validate, PayloadProblem, Segment, Target};

/// Root fields that run a flow, and the argument that names it.
const FLOW_CALLS: &[(&str, &str)] = &[
    ("executeWorkflow", "workflowId"),
    ("executeWorkflowWithStream", "workflowId"),
    ("executeAgent", "agentId"),
];

/// A root field that runs a flow, with the operation it is in.
pub(crate) struct FlowCall<'a> {
    pub op: &'a OperationDefinition,
    pub field: &'a ast::Field,
    /// The argument that names the flow (`workflowId` or `agentId`).
    pub id_arg: &'static str,
}

impl<'a> FlowCall<'a> {
    pub fn argument(&self, name: &str) -> Option<&'a Node<ast::Argument>> {
        argument(self.field, name)
    }

    /// The flow's id argument, when written.
    pub fn id(&self) -> Option<&'a Node<ast::Argument>> {
        self.argument(self.id_arg)
    }
}

/// Every flow call at the root of the document's operations.
pub(crate) fn flow_calls(ast: &ast::Document) -> impl Iterator<Item = FlowCall<'_>> {
    ast.definitions
        .iter()
        .filter_map(|definition| match definition {
            Definition::OperationDefinition(op) => Some(op),
            _ => None,
        })
        .flat_map(|op| {
            op.selection_set.iter().filter_map(move |selection| {
                let Selection::Field(field) = selection else {
                    return None;
                };
                let (_, id_arg) = FLOW_CALLS.iter().find(|(name, _)| field.name == *name)?;
                Some(FlowCall { op, field, id_arg })
            })
        })
}

/// Where each part of a payload is in the text: its key (for object fields) and its value.
#[derive(Default)]
pub(crate) struct Spans {
    pub keys: HashMap<Vec<Segment>, Range<usize>>,
    pub values: HashMap<Vec<Segment>, Range<usize>>,
}

/// A variable used as a leaf of the payload.
pub(crate) struct Leaf {
    name: String,
    ty: Type,
    /// `JSON` or another type whose values flowql cannot know: anything goes.
    opaque: bool,
}

/// "the 3 flows this project knows", "the one flow ...".
pub(crate) fn known_flows(count: usize) -> String {
    match count {
        1 => "one flow this project knows".to_string(),
        n => format!("{n} flows this project knows"),
    }
}

/// How a flow call names its flow.
pub enum FlowRef {
    Literal(String),
    Variable(String),
}

/// The flow calls whose payload is a variable (`payload: $payload`): the variable, and the flow.
pub fn variable_payloads(ast: &ast::Document) -> Vec<(String, FlowRef)> {
    flow_calls(ast)
        .filter_map(|call| {
            let Value::Variable(payload) = call.argument("payload")?.value.as_ref() else {
                return None;
            };
            let flow = match call.id()?.value.as_ref() {
                Value::String(id) => FlowRef::Literal(id.clone()),
                Value::Variable(name) => FlowRef::Variable(name.to_string()),
                _ => return None,
            };
            Some((payload.to_string(), flow))
        })
        .collect()
}

/// Checks every inline payload of the document.
pub fn check(
    text: &str,
    ast: &ast::Document,
    flows: &FlowRegistry,
    strict: bool,
    out: &mut Vec<Diagnostic>,
) {
    if !flows.is_configured() {
        return;
    }
    for call in flow_calls(ast) {
        check_call(text, call.op, call.field, call.id_arg, flows, strict, out);
    }
}

fn argument<'a>(field: &'a ast::Field, name: &str) -> Option<&'a Node<ast::Argument>> {
    field.arguments.iter().find(|a| a.name == name)
}

fn check_call(
    text: &str,
    op: &OperationDefinition,
    field: &ast::Field,
    id_arg: &str,
    flows: &FlowRegistry,
    strict: bool,
    out: &mut Vec<Diagnostic>,
) {
    let Some(id_value) = argument(field, id_arg) else {
        return;
    };
    // A variable id is known only from a variables file; nothing to say here.
    let Value::String(id) = id_value.value.as_ref() else {
        return;
    };
    let id_range = span(id_value.value.location());
    let Some(flow) = flows.get(id) else {
        if id_arg == "workflowId" && !flows.incomplete {
            let hint = crate::analysis::suggest::closest(id, flows.flows().map(|f| f.id.as_str()))
                .map(|s| format!("; did you mean `{s}`?"))
                .unwrap_or_default();
            out.push(Diagnostic::new(
                Code::FlowNotFound,
                id_range,
                format!(
                    "no flow `{id}` among the {}{hint}",
                    known_flows(flows.len())
                ),
            ));
        }
        return;
    };
    if flow.is_inactive() {
        out.push(Diagnostic::new(
            Code::FlowInactive,
            id_range.clone(),
            format!(
                "flow {} is inactive: the platform answers 404 until it is deployed",
                flow.label()
            ),
        ));
    }
    let Some(payload) = argument(field, "payload") else {
        return;
    };
    let value = &payload.value;
    if !matches!(value.as_ref(), Value::Object(_)) {
        // `payload: $payload` is checked against a variables file.
        return;
    }
    let variables = declared_variables(op);
    let mut spans = Spans::default();
    let mut leaves: HashMap<Vec<Segment>, Leaf> = HashMap::new();
    let json = to_json(value, &mut Vec::new(), &variables, &mut spans, &mut leaves);
    let payload_name = span(payload.name.location());
    let source = Source {
        text,
        json: false,
        base_len: 0,
    };
    for problem in validate(&flow.input, &json, strict) {
        if let Some(diagnostic) = locate(
            problem,
            &spans,
            &leaves,
            &payload_name,
            &flow.label(),
            &flow.input.input.schema,
            &source,
        ) {
            out.push(diagnostic);
        }
    }
    nullable_leaves(&flow.input.input.schema, &leaves, &spans, out);
}

/// The variables an operation declares, by name.
fn declared_variables(op: &OperationDefinition) -> HashMap<&str, &Type> {
    op.variables
        .iter()
        .map(|v| (v.name.as_str(), v.ty.as_ref()))
        .collect()
}

/// The literal as JSON; variables become values of their declared type, and are recorded.
fn to_json(
    value: &Node<Value>,
    path: &mut Vec<Segment>,
    variables: &HashMap<&str, &Type>,
    spans: &mut Spans,
    leaves: &mut HashMap<Vec<Segment>, Leaf>,
) -> Json {
    spans.values.insert(path.clone(), span(value.location()));
    match value.as_ref() {
        Value::Null => Json::Null,
        Value::Boolean(b) => Json::Bool(*b),
        Value::String(s) => Json::String(s.clone()),
        Value::Enum(name) => Json::String(name.to_string()),
        Value::Int(i) => i
            .as_str()
            .parse::<i64>()
            .map(Json::from)
            .unwrap_or_else(|_| json!(i.as_str().parse::<f64>().unwrap_or(0.0))),
        Value::Float(f) => json!(f.try_to_f64().unwrap_or(0.0)),
        Value::List(items) => Json::Array(
            items
                .iter()
                .enumerate()
                .map(|(i, item)| {
                    path.push(Segment::Index(i));
                    let json = to_json(item, path, variables, spans, leaves);
                    path.pop();
                    json
                })
                .collect(),
        ),
        Value::Object(fields) => {
            let mut map = serde_json::Map::new();
            for (name, item) in fields {
                path.push(Segment::Key(name.to_string()));
                spans.keys.insert(path.clone(), span(name.location()));
                map.insert(
                    name.to_string(),
                    to_json(item, path, variables, spans, leaves),
                );
                path.pop();
            }
            Json::Object(map)
        }
        Value::Variable(name) => {
            // An undeclared variable is reported by GraphQL validation; treat it as unknown.
            let Some(ty) = variables.get(name.as_str()) else {
                leaves.insert(
                    path.clone(),
                    Leaf {
                        name: name.to_string(),
                        ty: Type::Named(name.clone()),
                        opaque: true,
                    },
                );
                return Json::Null;
            };
            let (json, opaque) = placeholder(ty);
            leaves.insert(
                path.clone(),
                Leaf {
                    name: name.to_string(),
                    ty: (*ty).clone(),
                    opaque,
                },
            );
            json
        }
    }
}

/// A value of a GraphQL type, for validation; `true` when the type says nothing about the
/// value (`JSON`, custom scalars, input objects).
fn placeholder(ty: &Type) -> (Json, bool) {
    if ty.is_list() {
        let (item, opaque) = placeholder(ty.item_type());
        return (json!([item]), opaque);
    }
    match ty.inner_named_type().as_str() {
        "String" | "ID" => (json!("text"), false),
        "Int" => (json!(0), false),
        "Float" => (json!(0.5), false),
        "Boolean" => (json!(false), false),
        _ => (Json::Null, true),
    }
}

/// The variable leaf a path is at or under, with its path.
fn leaf_for<'a>(
    path: &[Segment],
    leaves: &'a HashMap<Vec<Segment>, Leaf>,
) -> Option<(&'a [Segment], &'a Leaf)> {
    (0..=path.len()).rev().find_map(|n| {
        leaves
            .get_key_value(&path[..n])
            .map(|(k, v)| (k.as_slice(), v))
    })
}

fn range_at(path: &[Segment], spans: &Spans) -> Option<Range<usize>> {
    (0..=path.len())
        .rev()
        .find_map(|n| spans.values.get(&path[..n]).cloned())
}

/// Turns a validation problem into a diagnostic at the right range, or drops it when it only
/// concerns the placeholder of a variable.
pub(crate) fn locate(
    problem: PayloadProblem,
    spans: &Spans,
    leaves: &HashMap<Vec<Segment>, Leaf>,
    payload_name: &Range<usize>,
    flow: &str,
    schema: &Json,
    source: &Source<'_>,
) -> Option<Diagnostic> {
    if let Some((leaf_path, leaf)) = leaf_for(&problem.path, leaves) {
        if leaf.opaque || problem.code != Code::PayloadTypeMismatch {
            // The value is only known at run time: only its declared type can be wrong.
            return None;
        }
        let expected = problem
            .message
            .split(", found")
            .next()
            .unwrap_or(&problem.message)
            .to_string();
        let range = spans.values.get(leaf_path).cloned()?;
        return Some(Diagnostic::new(
            Code::PayloadTypeMismatch,
            range,
            format!(
                "{expected} for flow {flow}, but `${}` is declared `{}`",
                leaf.name, leaf.ty
            ),
        ));
    }
    let range = match (&problem.target, problem.code) {
        (Target::Key(name), _) => {
            let mut path = problem.path.clone();
            path.push(Segment::Key(name.clone()));
            spans.keys.get(&path).cloned()?
        }
        (Target::Value, Code::PayloadMissingField) if problem.path.is_empty() => {
            payload_name.clone()
        }
        (Target::Value, Code::PayloadMissingField) => spans
            .keys
            .get(&problem.path)
            .cloned()
            .or_else(|| range_at(&problem.path, spans))?,
        (Target::Value, _) => range_at(&problem.path, spans)?,
    };
    let mut message = problem.message.clone();
    let mut fixes = Vec::new();
    let mut renames: Vec<(String, Range<usize>, String)> = Vec::new();
    if let Some(missing) = &problem.missing {
        // A misspelt key is both missing and (when the schema allows others) silently sent.
        let written = spans
            .keys
            .iter()
            .filter_map(|(path, range)| match path.split_last() {
                Some((Segment::Key(key), parent)) if parent == problem.path.as_slice() => {
                    Some((key.as_str(), range))
                }
                _ => None,
            });
        let written: Vec<(&str, &Range<usize>)> = written.collect();
        if let Some(close) =
            crate::analysis::suggest::closest(missing, written.iter().map(|(k, _)| *k))
        {
            if let Some((_, at)) = written.iter().find(|(k, _)| *k == close) {
                message.push_str(&format!(
                    "; `{close}` is written: did you mean `{missing}`?"
                ));
                let text = if source.json {
                    format!("\"{missing}\"")
                } else {
                    missing.clone()
                };
                renames.push((
                    format!("Rename `{close}` to `{missing}`"),
                    (*at).clone(),
                    text,
                ));
            }
        }
    }
    if let (Target::Key(name), Code::PayloadUnknownField) = (&problem.target, problem.code) {
        let declared = schema_at(
            schema,
            &problem.path[source.base_len.min(problem.path.len())..],
        )
        .and_then(|(s, _)| s.get("properties"))
        .and_then(Json::as_object);
        if let Some(suggestion) = declared
            .and_then(|d| crate::analysis::suggest::closest(name, d.keys().map(String::as_str)))
        {
            message.push_str(&format!("; did you mean `{suggestion}`?"));
            let text = if source.json {
                format!("\"{suggestion}\"")
            } else {
                suggestion.clone()
            };
            fixes.push((format!("Rename `{name}` to `{suggestion}`"), text));
        }
    }
    if problem.code == Code::PayloadTypeMismatch {
        if let Some(fix) = source
            .text
            .get(range.clone())
            .and_then(|w| quoting_fix(&problem, w))
        {
            fixes.push(fix);
        }
    }
    let mut other_edits: Vec<(String, Range<usize>, String)> = Vec::new();
    let relative = &problem.path[source.base_len.min(problem.path.len())..];
    if let (Target::Key(name), Code::PayloadUnknownField) = (&problem.target, problem.code) {
        let mut key_path = problem.path.clone();
        key_path.push(Segment::Key(name.clone()));
        if let Some(value) = spans.values.get(&key_path) {
            let remove = removal(source.text, range.start, value.end);
            other_edits.push((format!("Remove `{name}`"), remove, String::new()));
        }
    }
    if let (Some(missing), Some(object)) = (&problem.missing, spans.values.get(&problem.path)) {
        let mut field_path = relative.to_vec();
        field_path.push(Segment::Key(missing.clone()));
        if let Some((field_schema, _)) = schema_at(schema, &field_path) {
            if let Some(insert) = insertion(source, object, missing, field_schema) {
                other_edits.push((format!("Add `{missing}`"), insert.0, insert.1));
            }
        }
    }
    message.push_str(&format!(" (flow {flow})"));
    let mut diagnostic =
        Diagnostic::new(problem.code, range.clone(), message).with_severity(problem.severity);
    for (title, text) in fixes {
        diagnostic = diagnostic.with_fix(title, range.clone(), text);
    }
    for (title, at, text) in renames.into_iter().chain(other_edits) {
        diagnostic = diagnostic.with_fix(title, at, text);
    }
    Some(diagnostic)
}

/// Every problem placed ([`locate`]) in a payload whose leaves are all literal or unknown
/// (code, JSON files), in the order found.
pub(crate) fn locate_all(
    problems: impl IntoIterator<Item = PayloadProblem>,
    spans: &Spans,
    root: &Range<usize>,
    flow: &crate::flows::registry::Flow,
    source: &Source<'_>,
) -> Vec<Diagnostic> {
    let none = HashMap::new();
    let label = flow.label();
    problems
        .into_iter()
        .filter_map(|problem| {
            locate(
                problem,
                spans,
                &none,
                root,
                &label,
                &flow.input.input.schema,
                source,
            )
        })
        .collect()
}

/// The range that removes an object entry from `start` (its key) to `end` (its value's end),
/// with one comma and the spaces around it, so the object stays well formed.
fn removal(text: &str, start: usize, end: usize) -> Range<usize> {
    let after = &text[end..];
    let trimmed = after.trim_start_matches([' ', '\t']);
    if let Some(rest) = trimmed.strip_prefix(',') {
        let spaces = rest.len() - rest.trim_start_matches([' ', '\t', '\n', '\r']).len();
        return start..end + (after.len() - rest.len()) + spaces;
    }
    // The last entry: take the comma before it instead.
    let before = &text[..start];
    let trimmed = before.trim_end_matches([' ', '\t', '\n', '\r']);
    match trimmed.strip_suffix(',') {
        Some(rest) => rest.len()..end,
        None => start..end,
    }
}

/// A placeholder value of a JSON Schema type, as GraphQL and JSON both write it.
fn placeholder_for(schema: &Json) -> &'static str {
    let kind = match schema.get("type") {
        Some(Json::String(t)) => t.as_str(),
        Some(Json::Array(ts)) => ts
            .iter()
            .filter_map(Json::as_str)
            .find(|t| *t != "null")
            .unwrap_or("null"),
        _ => "",
    };
    match kind {
        "string" => "\"\"",
        "integer" | "number" => "0",
        "boolean" => "false",
        "array" => "[]",
        "object" => "{}",
        _ => "null",
    }
}

/// The edit that adds `name` with a placeholder before the closing brace of `object`.
fn insertion(
    source: &Source<'_>,
    object: &Range<usize>,
    name: &str,
    schema: &Json,
) -> Option<(Range<usize>, String)> {
    let text = source.text.get(object.clone())?;
    if !text.ends_with('}') {
        return None;
    }
    let close = object.end - 1;
    let inner = source.text[object.start + 1..close].trim();
    let key = if source.json {
        format!("\"{name}\"")
    } else {
        name.to_string()
    };
    let entry = format!("{key}: {}", placeholder_for(schema));
    let new_text = if inner.is_empty() || inner.ends_with(',') {
        format!(" {entry} ")
    } else {
        format!(", {entry} ")
    };
    // Insert right after the last entry, before the spaces that precede the brace.
    let before_brace = source.text[..close]
        .trim_end_matches([' ', '\t', '\n', '\r'])
        .len();
    let at = if inner.is_empty() {
        close
    } else {
        before_brace
    };
    let new_text = if inner.is_empty() {
        new_text
    } else {
        new_text.trim_end().to_string()
    };
    Some((at..at, new_text))
}

/// The text a payload was written in, for fixes.
pub(crate) struct Source<'a> {
    pub text: &'a str,
    /// JSON (keys are quoted) rather than a GraphQL object literal.
    pub json: bool,
    /// How many leading path segments lead to the payload (a variables file's variable).
    pub base_len: usize,
}

/// A value that is off by quoting: `"5"` where a number is wanted, `5` where a string is.
fn quoting_fix(problem: &PayloadProblem, written: &str) -> Option<(String, String)> {
    let wants = |t: &str| problem.message.contains(&format!("should be {t}"));
    let unquoted = written.strip_prefix('"').and_then(|w| w.strip_suffix('"'));
    match unquoted {
        Some(inner)
            if (wants("an integer") && inner.parse::<i64>().is_ok())
                || (wants("a number") && inner.parse::<f64>().is_ok())
                || (wants("a boolean") && (inner == "true" || inner == "false")) =>
        {
            Some(("Remove the quotes".to_string(), inner.to_string()))
        }
        None if wants("a string")
            && !written.is_empty()
            && !written.starts_with(['{', '[', '$']) =>
        {
            Some(("Quote the value".to_string(), format!("\"{written}\"")))
        }
        _ => None,
    }
}

/// A nullable variable where the flow requires a value: a warning, since the run gets `null`
/// whenever the variable is left out.
fn nullable_leaves(
    schema: &Json,
    leaves: &HashMap<Vec<Segment>, Leaf>,
    spans: &Spans,
    out: &mut Vec<Diagnostic>,
) {
    for (path, leaf) in leaves {
        if leaf.ty.is_non_null() || leaf.opaque {
            continue;
        }
        let Some((field_schema, required)) = schema_at(schema, path) else {
            continue;
        };
        let accepts_null = match field_schema.get("type") {
            None => true,
            Some(Json::String(t)) => t == "null",
            Some(Json::Array(ts)) => ts.iter().any(|t| t == "null"),
            _ => true,
        };
        if required && !accepts_null {
            let Some(range) = spans.values.get(path) else {
                continue;
            };
            // A variable of the wrong type already has its error; one message is enough.
            if out
                .iter()
                .any(|d| d.range == *range && d.severity == Severity::Error)
            {
                continue;
            }
            {
                out.push(
                    Diagnostic::new(
                        Code::PayloadTypeMismatch,
                        range.clone(),
                        format!(
                            "`${}` is nullable (`{}`) but the flow requires this field; declare it `{}!` or always send it",
                            leaf.name, leaf.ty, leaf.ty
                        ),
                    )
                    .with_severity(Severity::Warning),
                );
            }
        }
    }
}

/// The schema of the value at `path`, and whether its parent requires it.
pub(crate) fn schema_at<'a>(schema: &'a Json, path: &[Segment]) -> Option<(&'a Json, bool)> {
    let mut current = schema;
    let mut required = false;
    for segment in path {
        match segment {
            Segment::Key(key) => {
                required = current
                    .get("required")
                    .and_then(Json::as_array)
                    .is_some_and(|r| r.iter().any(|n| n == key.as_str()));
                current = current.get("properties")?.get(key)?;
            }
            Segment::Index(_) => {
                required = false;
                current = current.get("items")?;
            }
        }
    }
    Some((current, required))
}

/// Hover inside a Flow call: on the flow id, the flow and its inputs; on a payload key, the
/// field's type, whether it is required, and its description.
pub fn hover(
    ast: &ast::Document,
    flows: &FlowRegistry,
    offset: usize,
) -> Option<(Range<usize>, String)> {
    let inside = |r: &Range<usize>| r.start <= offset && offset <= r.end;
    for call in flow_calls(ast) {
        let (op, field, id_arg) = (call.op, call.field, call.id_arg);
        let Some(id_value) = argument(field, id_arg) else {
            continue;
        };
        let Value::String(id) = id_value.value.as_ref() else {
            continue;
        };
        let Some(flow) = flows.get(id) else {
            continue;
        };
        let id_range = span(id_value.value.location());
        if inside(&id_range) {
            return Some((id_range, flow_markdown(flow)));
        }
        let Some(payload) = argument(field, "payload") else {
            continue;
        };
        let variables = declared_variables(op);
        let mut spans = Spans::default();
        to_json(
            &payload.value,
            &mut Vec::new(),
            &variables,
            &mut spans,
            &mut HashMap::new(),
        );
        let Some((path, range)) = spans.keys.iter().find(|(_, r)| inside(r)) else {
            continue;
        };
        return field_hover(flow, path).map(|text| (range.clone(), text));
    }
    None
}
