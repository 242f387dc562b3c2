//! "Did you mean": the closest known name for an unknown field, argument, type, enum value,
//! directive or fragment, added to the diagnostic's message.

use apollo_compiler::ast;
use apollo_compiler::schema::ExtendedType;
use apollo_compiler::Schema;
use std::collections::HashMap;

use crate::base::catalog::Code;
use crate::base::diagnostic::Diagnostic;
use crate::base::spelling::closest;

/// Adds a suggestion to every "unknown ..." diagnostic that has a close match.
///
/// The names involved are read from apollo-compiler's messages, whose backticked parts are
/// pinned by the fixture tests (e.g. "type `Query` does not have a field `executeWorkflowz`").
pub fn apply(ast: &ast::Document, schema: &Schema, diagnostics: &mut [Diagnostic]) {
    for d in diagnostics.iter_mut() {
        let names = backticked(&d.message);
        let suggestion = match (d.code, names.as_slice()) {
            (Code::UnknownField, [parent, field, ..]) => match schema.types.get(*parent) {
                Some(ExtendedType::Object(t)) => {
                    closest(field, t.fields.keys().map(|k| k.as_str()))
                }
                Some(ExtendedType::Interface(t)) => {
                    closest(field, t.fields.keys().map(|k| k.as_str()))
                }
                _ => None,
            },
            (Code::UnknownArgument, [argument, coordinate, ..]) => coordinate
                .split_once('.')
                .and_then(|(ty, field)| schema.type_field(ty, field).ok())
                .and_then(|f| closest(argument, f.arguments.iter().map(|a| a.name.as_str()))),
            (Code::UnknownType, [name, ..]) => {
                closest(name, schema.types.keys().map(|k| k.as_str()))
            }
            (Code::UnknownEnumValue, [value, enum_name, ..]) => {
                match schema.types.get(*enum_name) {
                    Some(ExtendedType::Enum(e)) => {
                        closest(value, e.values.keys().map(|k| k.as_str()))
                    }
                    _ => None,
                }
            }
            (Code::UnknownDirective, [name, ..]) => closest(
                name.trim_start_matches('@'),
                schema.directive_definitions.keys().map(|k| k.as_str()),
            )
            .map(|s| format!("@{s}")),
            (Code::UnknownFragment, [name, ..]) => closest(name, fragment_names(ast)),
            (Code::UnknownInputField, [field, ty, ..]) => match schema.types.get(*ty) {
                Some(ExtendedType::InputObject(t)) => {
                    closest(field, t.fields.keys().map(|k| k.as_str()))
                }
                _ => None,
            },
            _ => None,
        };
        if let Some(suggestion) = suggestion {
            d.message
                .push_str(&format!("; did you mean `{suggestion}`?"));
        }
    }
}

fn fragment_names(ast: &ast::Document) -> impl Iterator<Item = &str> {
    ast.definitions.iter().filter_map(|d| match d {
        ast::Definition::FragmentDefinition(f) => Some(f.name.as_str()),
        _ => None,
    })
}

/// The parts of a message written between backticks, in order.
fn backticked(message: &str) -> Vec<&str> {
    message.split('`').skip(1).step_by(2).collect()
}

/// Rewrites "missing selection set" messages to name the field, its type and the fields to pick.
pub fn explain_missing_selections(
    executable: &apollo_compiler::ExecutableDocument,
    own_file: Option<apollo_compiler::parser::FileId>,
    schema: &Schema,
    diagnostics: &mut [Diagnostic],
) {
    if !diagnostics
        .iter()
        .any(|d| d.code == Code::MissingSelectionSet)
    {
        return;
    }
    let fields = FieldIndex::new(executable, own_file);
    for d in diagnostics
        .iter_mut()
        .filter(|d| d.code == Code::MissingSelectionSet)
    {
        let Some(field) = fields.at(d.range.start) else {
            continue;
        };
        let ty = field.definition.ty.inner_named_type();
        let leaves: Vec<&str> = match schema.types.get(ty) {
            Some(ExtendedType::Object(t)) => {
                leaf_fields(schema, t.fields.values().map(|f| &*f.node))
            }
            Some(ExtendedType::Interface(t)) => {
                leaf_fields(schema, t.fields.values().map(|f| &*f.node))
            }
            _ => Vec::new(),
        };
        let example = if leaves.is_empty() {
            String::new()
        } else {
            format!(", e.g. `{{ {} }}`", leaves.join(" "))
        };
        d.message = format!(
            "`{}` returns `{}`, which has fields: select the ones you need{example}",
            field.name, field.definition.ty
        );
    }
}

/// Up to five fields of scalar or enum type that need no argument and are not deprecated: an
/// example selection.
pub(crate) fn leaf_fields<'a>(
    schema: &Schema,
    fields: impl Iterator<Item = &'a apollo_compiler::schema::FieldDefinition>,
) -> Vec<&'a str> {
    fields
        .filter(|f| {
            matches!(
                schema.types.get(f.ty.inner_named_type()),
                Some(ExtendedType::Scalar(_) | ExtendedType::Enum(_))
            ) && f.arguments.iter().all(|a| !a.is_required())
                && !f.directives.has("deprecated")
        })
        .map(|f| f.name.as_str())
        .take(5)
        .collect()
}

/// The field whose name starts at `offset`, anywhere in the document.
/// The typed fields of a document by the offset of their name: built once per analysis, so
/// that looking up the field of each of thousands of diagnostics stays linear.
/// Only the document's own fields: fragments of other files, added for validation, have offsets
/// in their own texts.
pub struct FieldIndex<'a>(HashMap<usize, &'a apollo_compiler::executable::Field>);

impl<'a> FieldIndex<'a> {
    pub fn new(
        executable: &'a apollo_compiler::ExecutableDocument,
        own_file: Option<apollo_compiler::parser::FileId>,
    ) -> Self {
        use apollo_compiler::executable::{Field, Selection, SelectionSet};
        let walk = |set: &'a SelectionSet, out: &mut HashMap<usize, &'a Field>| {
            // An explicit stack: deeply nested selections must not overflow ours.
            let mut stack = vec![set];
            while let Some(set) = stack.pop() {
                for selection in &set.selections {
                    match selection {
                        Selection::Field(f) => {
                            if let Some(at) =
                                f.name.location().filter(|l| Some(l.file_id()) == own_file)
                            {
                                out.entry(at.offset()).or_insert(f.as_ref());
                            }
                            stack.push(&f.selection_set);
                        }
                        Selection::InlineFragment(i) => stack.push(&i.selection_set),
                        Selection::FragmentSpread(_) => {}
                    }
                }
            }
        };
        let mut out = HashMap::new();
        for op in executable.operations.iter() {
            walk(&op.selection_set, &mut out);
        }
        for fragment in executable.fragments.values() {
            walk(&fragment.selection_set, &mut out);
        }
        FieldIndex(out)
    }

    /// The field whose name starts at `offset`.
    pub fn at(&self, offset: usize) -> Option<&'a apollo_compiler::executable::Field> {
        self.0.get(&offset).copied()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typos_find_their_name() {
        let fields = ["executeWorkflow", "executeAgent", "checkStatus"];
        assert_eq!(
            closest("checkStatuz", fields).as_deref(),
            Some("checkStatus")
        );
        assert_eq!(
            closest("exectueWorkflow", fields).as_deref(),
            Some("executeWorkflow")
        );
        assert_eq!(
            closest("ExecuteWorkflows", fields).as_deref(),
            Some("executeWorkflow")
        );
        assert_eq!(
            closest("results", ["status", "result", "requestId"]).as_deref(),
            Some("result")
        );
    }

    #[test]
    fn unrelated_names_get_no_suggestion() {
        assert_eq!(closest("SHUT", ["OPEN", "CLOSED"]), None);
        assert_eq!(closest("x", ["status"]), None);
    }

    #[test]
    fn backticked_parts() {
        assert_eq!(
            backticked("type `Query` does not have a field `executeWorkflowz`"),
            vec!["Query", "executeWorkflowz"]
        );
    }

    /// `closest` without the lower-bound filters: what the filters must never change.
    fn closest_by_brute_force(wanted: &str, candidates: &[&str]) -> Option<String> {
        let wanted_lower = wanted.to_lowercase();
        let limit = (wanted.chars().count() / 3).max(1);
        candidates
            .iter()
            .filter(|c| !c.starts_with("__") && **c != wanted)
            .map(|c| (strsim::osa_distance(&wanted_lower, &c.to_lowercase()), *c))
            .filter(|(d, _)| *d <= limit)
            .min_by_key(|(d, c)| (*d, c.len()))
            .map(|(_, c)| c.to_string())
    }

    proptest::proptest! {
        #[test]
        fn the_bounds_never_change_the_answer(
            wanted in "[a-dA-D_0-9é]{1,12}",
            candidates in proptest::collection::vec("[a-dA-D_0-9é]{1,12}", 0..40),
        ) {
            let refs: Vec<&str> = candidates.iter().map(String::as_str).collect();
            proptest::prop_assert_eq!(
                closest(&wanted, refs.iter().copied()),
                closest_by_brute_force(&wanted, &refs)
            );
        }
    }
}
