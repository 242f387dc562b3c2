//! Makes apollo-compiler's findings precise: ranges narrowed to the name that is wrong, and
//! errors that only follow from another error (a variable "unused" because the field using it
//! is unknown) dropped, so that every diagnostic left is one the user has to act on.

use std::collections::{HashMap, HashSet};
use std::ops::Range;

use apollo_compiler::ast::{self, Definition, Selection, Value};
use apollo_compiler::{Name, Node};

use crate::base::catalog::Code;
use crate::base::diagnostic::Diagnostic;
use crate::base::span::span;

/// A node of the syntax tree as far as ranges go: where it is, where its name is.
struct Located {
    node: Range<usize>,
    name: Range<usize>,
    /// The range to use for "unknown type" errors (a variable definition's type).
    ty: Option<Range<usize>>,
    /// A field written with a selection set (which the typed document may have emptied).
    has_selection: bool,
}

/// Narrows ranges and drops cascading errors, in place.
pub fn apply(ast: &ast::Document, diagnostics: &mut Vec<Diagnostic>) {
    let located = locate(ast);
    // By range, the first node of each (a lookup per diagnostic: thousands of both are real).
    let mut by_range: HashMap<&Range<usize>, &Located> = HashMap::with_capacity(located.len());
    for l in &located {
        by_range.entry(&l.node).or_insert(l);
    }
    let with_selection: HashSet<&Range<usize>> = located
        .iter()
        .filter(|l| l.has_selection)
        .map(|l| &l.node)
        .collect();
    // A selection set whose only fields are unknown is empty in the typed document, and the
    // validator then says it is missing; the unknown fields are the real errors.
    diagnostics
        .retain(|d| d.code != Code::MissingSelectionSet || !with_selection.contains(&d.range));
    for d in diagnostics.iter_mut() {
        let Some(node) = by_range.get(&d.range) else {
            continue;
        };
        match d.code {
            Code::UnknownType => {
                if let Some(ty) = &node.ty {
                    d.range = ty.clone();
                }
            }
            Code::UnknownField
            | Code::UnknownArgument
            | Code::UnknownDirective
            | Code::UnknownFragment
            | Code::MissingRequiredArgument
            | Code::MissingSelectionSet
            | Code::SelectionOnLeafField
            | Code::UnusedFragment
            | Code::FragmentCycle
            | Code::InvalidSubscription
            | Code::TypeDefinitionInOperation
            | Code::DirectiveNotAllowedHere
                if !node.name.is_empty() =>
            {
                d.range = node.name.clone()
            }
            _ => {}
        }
    }

    // A variable or fragment used only inside an unknown field looks unused to the validator;
    // the unknown field is the real error.
    let used_fragments = crate::checks::graphql::fragments::spread_names(ast);
    diagnostics.retain(|d| match d.code {
        Code::UnusedVariable => !mentions_any(&d.message, &used_variable_names(ast, &d.range), "$"),
        Code::UnusedFragment => !mentions_any(&d.message, &used_fragments, ""),
        _ => true,
    });
}

/// The message names the variable or fragment in backticks, e.g. "unused variable: `$x`".
fn mentions_any(message: &str, names: &HashSet<String>, prefix: &str) -> bool {
    names
        .iter()
        .any(|n| message.contains(&format!("`{prefix}{n}`")))
}

fn locate(ast: &ast::Document) -> Vec<Located> {
    let mut out = Vec::new();
    for definition in &ast.definitions {
        match definition {
            Definition::OperationDefinition(op) => {
                if let Some(name) = &op.name {
                    out.push(named(op.location(), name));
                }
                for var in &op.variables {
                    out.push(Located {
                        node: span(var.location()),
                        name: span(var.name.location()),
                        ty: Some(span(var.ty.location())),
                        has_selection: false,
                    });
                }
                directives(&op.directives, &mut out);
                selections(&op.selection_set, &mut out);
            }
            Definition::FragmentDefinition(fragment) => {
                out.push(named(fragment.location(), &fragment.name));
                directives(&fragment.directives, &mut out);
                selections(&fragment.selection_set, &mut out);
            }
            other => {
                if let Some(name) = other.name() {
                    out.push(named(other.location(), name));
                }
            }
        }
    }
    out
}

fn named(node: Option<apollo_compiler::parser::SourceSpan>, name: &Name) -> Located {
    Located {
        node: span(node),
        name: span(name.location()),
        ty: None,
        has_selection: false,
    }
}

fn directives(list: &ast::DirectiveList, out: &mut Vec<Located>) {
    for directive in list.iter() {
        out.push(named(directive.location(), &directive.name));
        arguments(&directive.arguments, out);
    }
}

fn arguments(list: &[Node<ast::Argument>], out: &mut Vec<Located>) {
    for arg in list {
        out.push(named(arg.location(), &arg.name));
    }
}

fn selections(list: &[Selection], out: &mut Vec<Located>) {
    for selection in list {
        match selection {
            Selection::Field(field) => {
                out.push(Located {
                    has_selection: !field.selection_set.is_empty(),
                    ..named(field.location(), &field.name)
                });
                arguments(&field.arguments, out);
                directives(&field.directives, out);
                selections(&field.selection_set, out);
            }
            Selection::FragmentSpread(spread) => {
                out.push(named(spread.location(), &spread.fragment_name));
                directives(&spread.directives, out);
            }
            Selection::InlineFragment(inline) => {
                directives(&inline.directives, out);
                selections(&inline.selection_set, out);
            }
        }
    }
}

/// Every variable name used, as written, by the operation that holds `at`, or by any fragment.
fn used_variable_names(ast: &ast::Document, at: &Range<usize>) -> HashSet<String> {
    let mut names = HashSet::new();
    let visit_value =
        |value: &Node<Value>, names: &mut HashSet<String>| collect_variables(value, names);
    for definition in &ast.definitions {
        let (set, dirs) = match definition {
            Definition::OperationDefinition(op) => (&op.selection_set, &op.directives),
            Definition::FragmentDefinition(f) => (&f.selection_set, &f.directives),
            _ => continue,
        };
        let holds = span(definition.location());
        let is_other_operation = matches!(definition, Definition::OperationDefinition(_))
            && !(holds.start <= at.start && at.end <= holds.end);
        if is_other_operation {
            continue;
        }
        for d in dirs.iter() {
            d.arguments
                .iter()
                .for_each(|a| visit_value(&a.value, &mut names));
        }
        walk_values(set, &mut |v| visit_value(v, &mut names));
    }
    names
}

fn collect_variables(value: &Node<Value>, names: &mut HashSet<String>) {
    match value.as_ref() {
        Value::Variable(name) => {
            names.insert(name.to_string());
        }
        Value::List(items) => items.iter().for_each(|v| collect_variables(v, names)),
        Value::Object(fields) => fields.iter().for_each(|(_, v)| collect_variables(v, names)),
        _ => {}
    }
}

fn walk_values(list: &[Selection], visit: &mut dyn FnMut(&Node<Value>)) {
    for selection in list {
        let (dirs, children) = match selection {
            Selection::Field(field) => {
                field.arguments.iter().for_each(|a| visit(&a.value));
                (&field.directives, Some(&field.selection_set))
            }
            Selection::FragmentSpread(spread) => (&spread.directives, None),
            Selection::InlineFragment(inline) => (&inline.directives, Some(&inline.selection_set)),
        };
        dirs.iter()
            .for_each(|d| d.arguments.iter().for_each(|a| visit(&a.value)));
        if let Some(children) = children {
            walk_values(children, visit);
        }
    }
}
