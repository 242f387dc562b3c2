//! The GraphQL surface: GraphQL text as its lexer reads it, and the flow calls of a document:
//! each root field that runs a flow (`executeWorkflow(workflowId: "...", payload: {...})`) with
//! its payload object literal as a tree (variables in it known by their declared type).

use crate::base::span::span;
use crate::flows::registry::FlowRegistry;
use crate::flows::validate::Segment;
use crate::surfaces::call::{CallTarget, PayloadTree, TypedLeaf};
use crate::surfaces::code::sdk_call::FlowSource;
use apollo_compiler::ast::{self, Definition, OperationDefinition, Selection, Type, Value};
use apollo_compiler::Node;
use apollo_parser::{Lexer, TokenKind};
use serde_json::{json, Value as Json};
use std::collections::HashMap;
/// The first `limit` tokens of a GraphQL text that mean something (white space, comments and
/// commas left out), with their text.
pub fn significant_tokens(text: &str, limit: usize) -> Vec<(TokenKind, &str)> {
    Lexer::new(text)
        .filter_map(Result::ok)
        .filter(|t| {
            !matches!(
                t.kind(),
                TokenKind::Whitespace | TokenKind::Comment | TokenKind::Comma
            )
        })
        .take(limit)
        .map(|t| (t.kind(), t.data()))
        .collect()
}

/// Root fields that run a flow, and the argument that names it.
pub const FLOW_CALLS: &[(&str, &str)] = &[
    ("executeWorkflow", "workflowId"),
    ("executeWorkflowWithStream", "workflowId"),
    ("executeAgent", "agentId"),
];

/// A root field that runs a flow, with the operation it is in.
pub struct FieldCall<'a> {
    pub op: &'a OperationDefinition,
    pub field: &'a Node<ast::Field>,
    /// The argument that names the flow (`workflowId` or `agentId`).
    pub id_arg: &'static str,
}

impl<'a> FieldCall<'a> {
    pub fn argument(&self, name: &str) -> Option<&'a Node<ast::Argument>> {
        argument(self.field, name)
    }

    /// The flow's id argument, when written.
    pub fn id(&self) -> Option<&'a Node<ast::Argument>> {
        self.argument(self.id_arg)
    }
}

/// Every flow call at the root of the document's operations.
pub fn flow_calls(ast: &ast::Document) -> impl Iterator<Item = FieldCall<'_>> {
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
                Some(FieldCall { op, field, id_arg })
            })
        })
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

/// The flow a call's id argument names.
pub fn target(id_arg: &str, id: &Value, flows: &FlowRegistry) -> CallTarget {
    match id {
        Value::String(id) => match crate::surfaces::call::resolve(&FlowSource::Literal(id.clone()), flows) {
            // Agents are not among the flows a project exports: an unknown one is no error.
            CallTarget::NotFound { .. } if id_arg != "workflowId" => CallTarget::Unresolved(
                format!("the agent \"{id}\" is not among the flows this project has on disk"),
            ),
            target => target,
        },
        Value::Variable(name) => CallTarget::Unresolved(format!(
            "the id is the variable `${name}`, known only from the variables sent with the operation"
        )),
        _ => CallTarget::Unresolved("the id is not a string".into()),
    }
}

/// The call's `payload:` object literal as a tree; a variable payload is checked against a
/// variables file, where there is one.
pub fn payload_tree(call: &FieldCall<'_>) -> Result<PayloadTree, String> {
    let argument = call
        .argument("payload")
        .ok_or_else(|| "no payload is given".to_string())?;
    match argument.value.as_ref() {
        Value::Object(_) => {
            let variables = declared_variables(call.op);
            let mut tree = PayloadTree {
                root_at: Some(span(argument.name.location())),
                ..PayloadTree::default()
            };
            tree.value = to_json(&argument.value, &mut Vec::new(), &variables, &mut tree);
            Ok(tree)
        }
        Value::Variable(name) => Err(format!(
            "the payload is the variable `${name}`, sent with the operation"
        )),
        _ => Err("the payload is not an object".into()),
    }
}

pub fn argument<'a>(field: &'a ast::Field, name: &str) -> Option<&'a Node<ast::Argument>> {
    field.arguments.iter().find(|a| a.name == name)
}

/// The variables an operation declares, by name.
pub fn declared_variables(op: &OperationDefinition) -> HashMap<&str, &Type> {
    op.variables
        .iter()
        .map(|v| (v.name.as_str(), v.ty.as_ref()))
        .collect()
}

/// The literal as JSON, with the range of every key and value recorded in `tree`; variables
/// become values of their declared type, and are recorded as its leaves.
pub fn to_json(
    value: &Node<Value>,
    path: &mut Vec<Segment>,
    variables: &HashMap<&str, &Type>,
    tree: &mut PayloadTree,
) -> Json {
    tree.values.insert(path.clone(), span(value.location()));
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
                    let json = to_json(item, path, variables, tree);
                    path.pop();
                    json
                })
                .collect(),
        ),
        Value::Object(fields) => {
            let mut map = serde_json::Map::new();
            for (name, item) in fields {
                path.push(Segment::Key(name.to_string()));
                tree.keys.insert(path.clone(), span(name.location()));
                map.insert(name.to_string(), to_json(item, path, variables, tree));
                path.pop();
            }
            Json::Object(map)
        }
        Value::Variable(name) => {
            // An undeclared variable is reported by GraphQL validation; treat it as unknown.
            let Some(ty) = variables.get(name.as_str()) else {
                tree.leaves.insert(
                    path.clone(),
                    TypedLeaf {
                        name: name.to_string(),
                        ty: name.to_string(),
                        non_null: false,
                        opaque: true,
                    },
                );
                return Json::Null;
            };
            let (json, opaque) = placeholder(ty);
            tree.leaves.insert(
                path.clone(),
                TypedLeaf {
                    name: name.to_string(),
                    ty: ty.to_string(),
                    non_null: ty.is_non_null(),
                    opaque,
                },
            );
            json
        }
    }
}

/// A value of a GraphQL type, for validation; `true` when the type says nothing about the
/// value (`JSON`, custom scalars, input objects).
pub fn placeholder(ty: &Type) -> (Json, bool) {
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
