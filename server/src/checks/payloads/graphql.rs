//! The flow calls of a GraphQL document (`surfaces::graphql` finds them), checked by the one
//! checker: the `payload:` object literal against the flow's input schema. Literal leaves are
//! judged as they are, variable leaves by their declared GraphQL type (`JSON` accepts anything).

use apollo_compiler::ast::{self, Value};
use apollo_compiler::Node;

use crate::base::diagnostic::Diagnostic;
use crate::base::span::span;
use crate::checks::payloads::checker;
use crate::flows::registry::FlowRegistry;
use crate::surfaces::call::{CallSummary, CallTarget};
use crate::surfaces::graphql::{flow_calls, payload_tree, target, FieldCall};

/// Checks every flow call of the document (the flow, and an inline payload against its input
/// schema) and says what became of each. A call whose flow id and payload are both variables
/// is a template: it is counted where its variables are written (a variables file, a
/// `variables` object in code), not here.
pub fn check(
    text: &str,
    ast: &ast::Document,
    flows: &FlowRegistry,
    strict: bool,
    out: &mut Vec<Diagnostic>,
) -> Vec<CallSummary> {
    flow_calls(ast)
        .filter_map(|call| {
            let id = call.id()?;
            let is_variable = |arg: Option<&Node<ast::Argument>>| {
                arg.is_some_and(|a| matches!(a.value.as_ref(), Value::Variable(_)))
            };
            if is_variable(Some(id)) && is_variable(call.argument("payload")) {
                return None;
            }
            let target = target(call.id_arg, id.value.as_ref(), flows);
            Some(check_one(text, &call, id, target, strict, out))
        })
        .collect()
}

/// The calls [`check`] left to their variables (a variable flow id, a payload written out), for
/// a surface that knows the variables' values: `target_of` says which flow the variable names,
/// or `None` when it is not known there (the call is left out).
pub fn check_variable_ids(
    text: &str,
    ast: &ast::Document,
    strict: bool,
    target_of: &dyn Fn(&str) -> Option<CallTarget>,
    out: &mut Vec<Diagnostic>,
) -> Vec<CallSummary> {
    flow_calls(ast)
        .filter_map(|call| {
            let id = call.id()?;
            let Value::Variable(name) = id.value.as_ref() else {
                return None;
            };
            if matches!(
                call.argument("payload").map(|a| a.value.as_ref()),
                Some(Value::Variable(_))
            ) {
                return None;
            }
            let target = target_of(name.as_str())?;
            Some(check_one(text, &call, id, target, strict, out))
        })
        .collect()
}

/// One call, to the flow `target` (its `id` argument says where it is named).
fn check_one(
    text: &str,
    call: &FieldCall<'_>,
    id: &Node<ast::Argument>,
    target: CallTarget,
    strict: bool,
    out: &mut Vec<Diagnostic>,
) -> CallSummary {
    let flow_call = crate::surfaces::call::FlowCall {
        target,
        flow_at: span(id.value.location()),
        payload: payload_tree(call),
    };
    checker::check_call(
        text,
        flow_call,
        call.field.name.as_str(),
        span(call.field.location()),
        strict,
        out,
    )
}
