//! Rules of the platform on top of GraphQL: which root fields belong to which operation type,
//! `checkStatus` with or without a selection set, and honesty about the bundled schema.

use apollo_compiler::ast::{self, OperationType};
use apollo_compiler::schema::ExtendedType;
use apollo_compiler::{Node, Schema};

use crate::base::catalog::{Code, Severity};
use crate::base::diagnostic::Diagnostic;
use crate::base::span::span;

/// Root fields that are queries, although some prose calls them mutations.
const QUERY_ONLY_FIELDS: &[&str] = &["executeWorkflow", "executeAgent", "checkStatus"];
const STREAM_FIELD: &str = "executeWorkflowWithStream";
const CHECK_STATUS: &str = "checkStatus";

/// A root field of an operation, as written.
struct RootField<'a> {
    operation: OperationType,
    field: &'a Node<ast::Field>,
}

/// Applies the platform rules to the diagnostics of one document: adds their own findings and
/// replaces the generic ones that they explain better. `bundled` says whether the schema is the
/// bundled one, whose object fields are known only from public docs.
pub fn apply(ast: &ast::Document, diagnostics: &mut Vec<Diagnostic>) {
    let roots = root_fields(ast);
    let mut replaced: Vec<(Code, usize)> = Vec::new();
    for root in &roots {
        let name = root.field.name.as_str();
        // Ranges of findings were already narrowed to the field's name.
        let name_range = span(root.field.name.location());
        let field_start = name_range.start;
        if root.operation == OperationType::Mutation && QUERY_ONLY_FIELDS.contains(&name) {
            diagnostics.push(Diagnostic::new(
                Code::QueryFieldInMutation,
                name_range.clone(),
                format!("`{name}` is a query field: the server rejects it under `mutation`; use `query`"),
            ));
            replaced.push((Code::UnknownField, field_start));
        }
        if root.operation == OperationType::Query && name == STREAM_FIELD {
            diagnostics.push(Diagnostic::new(
                Code::StreamAsQuery,
                name_range.clone(),
                format!("`{name}` sent as a query returns plain JSON, not a stream; use `subscription` to receive events"),
            ));
            replaced.push((Code::UnknownField, field_start));
        }
        if name == CHECK_STATUS && root.field.selection_set.is_empty() {
            // Official clients call it both ways, and the server answers both.
            replaced.push((Code::MissingSelectionSet, field_start));
        }
    }
    let replaced: std::collections::HashSet<(Code, usize)> = replaced.into_iter().collect();
    diagnostics.retain(|d| !replaced.contains(&(d.code, d.range.start)));
}

/// Advice on the bundled schema, whose object fields are known only from public docs: an
/// unknown field of a result type is a warning that says so, not an error. Runs after the
/// suggestions, so the caveat ends the message.
pub fn caveat_bundled(schema: &Schema, bundled: bool, diagnostics: &mut [Diagnostic]) {
    if bundled {
        for d in diagnostics.iter_mut() {
            if d.code == Code::UnknownField && is_result_type(schema, &d.message) {
                // The result types of the bundled schema come from public docs, which may not
                // list every field the server has: say so instead of claiming an error.
                d.severity = Severity::Warning;
                d.message.push_str(
                    " (the bundled schema may not list every result field; configure your project's schema to be sure)",
                );
            }
        }
    }
}

/// Whether an "unknown field" message is about an object type that is not a root type.
/// The parent type is read from apollo-compiler's message ("type `X` does not have a field"),
/// which the fixture tests pin.
fn is_result_type(schema: &Schema, message: &str) -> bool {
    let Some(parent) = message
        .strip_prefix("type `")
        .and_then(|rest| rest.split_once('`'))
        .map(|(name, _)| name)
    else {
        return false;
    };
    let is_root = [
        OperationType::Query,
        OperationType::Mutation,
        OperationType::Subscription,
    ]
    .iter()
    .any(|op| schema.root_operation(*op).is_some_and(|n| n == parent));
    !is_root && matches!(schema.types.get(parent), Some(ExtendedType::Object(_)))
}

/// The root fields of every operation, looking through inline fragments at the root.
fn root_fields(ast: &ast::Document) -> Vec<RootField<'_>> {
    let mut out = Vec::new();
    for definition in &ast.definitions {
        if let ast::Definition::OperationDefinition(op) = definition {
            collect(op.operation_type, &op.selection_set, &mut out);
        }
    }
    out
}

fn collect<'a>(
    operation: OperationType,
    selections: &'a [ast::Selection],
    out: &mut Vec<RootField<'a>>,
) {
    for selection in selections {
        match selection {
            ast::Selection::Field(field) => out.push(RootField { operation, field }),
            ast::Selection::InlineFragment(inline) => {
                collect(operation, &inline.selection_set, out)
            }
            ast::Selection::FragmentSpread(_) => {}
        }
    }
}
