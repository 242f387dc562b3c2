//! Payload JSON files (`extensions.flowql.payloads`): parsed with their ranges (jsonc-parser),
//! checked against the flow they are mapped to, diagnostics on the offending key or value.

use std::collections::HashMap;

use jsonc_parser::ast::{ObjectPropName, Value as Node};
use jsonc_parser::common::Ranged;
use jsonc_parser::{CollectOptions, ParseOptions};
use serde_json::{Map, Number, Value};

use super::payload::{locate, Source, Spans};
use crate::catalog::Code;
use crate::diagnostic::Diagnostic;
use crate::flows::registry::FlowRegistry;
use crate::flows::validate::{validate, Segment};

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

/// Every problem of a payload file sent to flow `flow_id`.
pub fn check(
    text: &str,
    flow_id: &str,
    flows: &FlowRegistry,
    strict_mode: bool,
) -> Vec<Diagnostic> {
    let parsed = match jsonc_parser::parse_to_ast(text, &CollectOptions::default(), &strict()) {
        Ok(parsed) => parsed,
        Err(e) => {
            let range = e.range();
            return vec![Diagnostic::new(
                Code::JsonSyntaxError,
                range.start..range.end,
                e.kind().to_string(),
            )];
        }
    };
    let Some(root) = parsed.value else {
        return vec![Diagnostic::new(
            Code::JsonSyntaxError,
            0..0,
            "the payload file is empty",
        )];
    };
    let Some(flow) = flows.get(flow_id) else {
        if !flows.is_configured() {
            return Vec::new();
        }
        return vec![Diagnostic::new(
            Code::FlowNotFound,
            0..0,
            format!("the configuration sends this file to flow `{flow_id}`, which is not among the {} flows this project knows", flows.len()),
        )];
    };
    let mut out = Vec::new();
    if flow.is_inactive() {
        out.push(Diagnostic::new(
            Code::FlowInactive,
            0..0,
            format!(
                "flow {} is inactive: the platform answers 404 until it is deployed",
                flow.label()
            ),
        ));
    }
    let mut spans = Spans::default();
    let json = to_json(&root, &mut Vec::new(), &mut spans);
    let start = root.range().start;
    let root_brace = start..(start + 1).min(text.len());
    let source = Source { text, json: true };
    for problem in validate(&flow.input, &json, strict_mode) {
        if let Some(d) = locate(
            problem,
            &spans,
            &HashMap::new(),
            &root_brace,
            &flow.label(),
            &flow.input.input.schema,
            &source,
        ) {
            out.push(d);
        }
    }
    out.sort_by_key(|d| (d.range.start, d.range.end));
    out
}

fn to_json(node: &Node<'_>, path: &mut Vec<Segment>, spans: &mut Spans) -> Value {
    let range = node.range();
    spans.values.insert(path.clone(), range.start..range.end);
    match node {
        Node::StringLit(s) => Value::String(s.value.to_string()),
        Node::NumberLit(n) => n
            .value
            .parse::<i64>()
            .map(Value::from)
            .ok()
            .or_else(|| {
                n.value
                    .parse::<f64>()
                    .ok()
                    .and_then(Number::from_f64)
                    .map(Value::Number)
            })
            .unwrap_or(Value::Null),
        Node::BooleanLit(b) => Value::Bool(b.value),
        Node::NullKeyword(_) => Value::Null,
        Node::Array(array) => Value::Array(
            array
                .elements
                .iter()
                .enumerate()
                .map(|(i, element)| {
                    path.push(Segment::Index(i));
                    let value = to_json(element, path, spans);
                    path.pop();
                    value
                })
                .collect(),
        ),
        Node::Object(object) => {
            let mut map = Map::new();
            for property in &object.properties {
                let name = property.name.as_str().to_string();
                path.push(Segment::Key(name.clone()));
                let name_range = match &property.name {
                    ObjectPropName::String(s) => s.range(),
                    ObjectPropName::Word(w) => w.range(),
                };
                spans
                    .keys
                    .insert(path.clone(), name_range.start..name_range.end);
                map.insert(name, to_json(&property.value, path, spans));
                path.pop();
            }
            Value::Object(map)
        }
    }
}
