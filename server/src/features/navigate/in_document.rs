//! Navigation inside a document: from a fragment spread to its fragment and from a variable to
//! its definition, and the references of either. Byte ranges of names; no protocol types.

use std::ops::Range;

use apollo_compiler::ast::{self, Definition, Selection, Value};
use apollo_compiler::{Name, Node};

use crate::base::span::span;

/// What a name at the cursor stands for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    Fragment(String),
    /// A variable of the operation at this index of the document's definitions.
    Variable {
        definition: usize,
        name: String,
    },
}

/// Where a name is used or defined.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Occurrence {
    target: Target,
    range: Range<usize>,
    is_definition: bool,
}

fn name_range(name: &Name) -> Range<usize> {
    span(name.location())
}

/// Every fragment and variable name of the document, where it stands.
fn occurrences(document: &ast::Document) -> Vec<Occurrence> {
    let mut out = Vec::new();
    for (index, definition) in document.definitions.iter().enumerate() {
        match definition {
            Definition::OperationDefinition(op) => {
                for variable in &op.variables {
                    out.push(Occurrence {
                        target: Target::Variable {
                            definition: index,
                            name: variable.name.to_string(),
                        },
                        range: name_range(&variable.name),
                        is_definition: true,
                    });
                    if let Some(default) = &variable.default_value {
                        values(default, index, &mut out);
                    }
                }
                directives(&op.directives, index, &mut out);
                selections(&op.selection_set, index, &mut out);
            }
            Definition::FragmentDefinition(fragment) => {
                out.push(Occurrence {
                    target: Target::Fragment(fragment.name.to_string()),
                    range: name_range(&fragment.name),
                    is_definition: true,
                });
                directives(&fragment.directives, index, &mut out);
                selections(&fragment.selection_set, index, &mut out);
            }
            _ => {}
        }
    }
    out
}

fn selections(list: &[Selection], index: usize, out: &mut Vec<Occurrence>) {
    for selection in list {
        match selection {
            Selection::Field(field) => {
                for argument in &field.arguments {
                    values(&argument.value, index, out);
                }
                directives(&field.directives, index, out);
                selections(&field.selection_set, index, out);
            }
            Selection::FragmentSpread(spread) => {
                out.push(Occurrence {
                    target: Target::Fragment(spread.fragment_name.to_string()),
                    range: name_range(&spread.fragment_name),
                    is_definition: false,
                });
                directives(&spread.directives, index, out);
            }
            Selection::InlineFragment(inline) => {
                directives(&inline.directives, index, out);
                selections(&inline.selection_set, index, out);
            }
        }
    }
}

fn directives(list: &ast::DirectiveList, index: usize, out: &mut Vec<Occurrence>) {
    for directive in list.iter() {
        for argument in &directive.arguments {
            values(&argument.value, index, out);
        }
    }
}

fn values(value: &Node<Value>, index: usize, out: &mut Vec<Occurrence>) {
    match value.as_ref() {
        Value::Variable(name) => {
            // The name's own location leaves out the `$`; the value's covers it.
            let whole = span(value.location());
            let range = if name.location().is_some() {
                name_range(name)
            } else {
                whole.start + 1..whole.end
            };
            out.push(Occurrence {
                target: Target::Variable {
                    definition: index,
                    name: name.to_string(),
                },
                range,
                is_definition: false,
            });
        }
        Value::List(items) => items.iter().for_each(|v| values(v, index, out)),
        Value::Object(fields) => fields.iter().for_each(|(_, v)| values(v, index, out)),
        _ => {}
    }
}

/// The fragment or variable whose name is at `offset` (the `$` of a variable counts).
pub fn target_at(document: &ast::Document, offset: usize) -> Option<Target> {
    occurrences(document)
        .into_iter()
        .find(|o| o.range.start.saturating_sub(1) <= offset && offset <= o.range.end)
        .map(|o| o.target)
}

/// The operation whose name is at `offset`: its name and the name's range.
pub fn operation_name_at(
    document: &ast::Document,
    offset: usize,
) -> Option<(String, Range<usize>)> {
    document.definitions.iter().find_map(|d| {
        let Definition::OperationDefinition(op) = d else {
            return None;
        };
        let name = op.name.as_ref()?;
        let range = name_range(name);
        (range.start <= offset && offset <= range.end).then(|| (name.to_string(), range))
    })
}

/// Where the target is defined in this document.
pub fn definition(document: &ast::Document, target: &Target) -> Option<Range<usize>> {
    occurrences(document)
        .into_iter()
        .find(|o| o.is_definition && &o.target == target)
        .map(|o| o.range)
}

/// Every place the target is used in this document, and its definition if asked for.
pub fn references(
    document: &ast::Document,
    target: &Target,
    include_definition: bool,
) -> Vec<Range<usize>> {
    occurrences(document)
        .into_iter()
        .filter(|o| &o.target == target && (include_definition || !o.is_definition))
        .map(|o| o.range)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const DOC: &str = "query A($id: String!, $n: Int = 3) {\n  executeWorkflow(workflowId: $id, payload: { list: [$n] }) { ...R }\n}\nquery B($id: String!) { checkStatus(requestId: $id) { ...R } }\nfragment R on WorkflowResult { status }\n";

    fn parse() -> ast::Document {
        ast::Document::parse(DOC, "doc.graphql").unwrap_or_else(|e| e.partial)
    }

    fn texts(ranges: &[Range<usize>]) -> Vec<(usize, &str)> {
        ranges.iter().map(|r| (r.start, &DOC[r.clone()])).collect()
    }

    #[test]
    fn a_spread_leads_to_its_fragment() {
        let doc = parse();
        let at = DOC.find("...R").unwrap() + 3;
        let target = target_at(&doc, at).unwrap();
        assert_eq!(target, Target::Fragment("R".into()));
        let defined = definition(&doc, &target).unwrap();
        assert_eq!(defined.start, DOC.find("fragment R").unwrap() + 9);
        let refs = references(&doc, &target, false);
        assert_eq!(refs.len(), 2);
        assert_eq!(references(&doc, &target, true).len(), 3);
    }

    #[test]
    fn a_variable_leads_to_its_own_operations_definition() {
        let doc = parse();
        // `$id` in B, not A's.
        let at = DOC.find("requestId: $id").unwrap() + "requestId: $".len();
        let target = target_at(&doc, at).unwrap();
        let defined = definition(&doc, &target).unwrap();
        assert_eq!(
            defined.start,
            DOC.find("query B($id").unwrap() + "query B($".len()
        );
        assert_eq!(&DOC[defined], "id");
        let refs = references(&doc, &target, true);
        assert_eq!(refs.len(), 2, "{:?}", texts(&refs));
    }

    #[test]
    fn variables_inside_objects_and_lists_are_found_and_the_dollar_counts() {
        let doc = parse();
        let dollar = DOC.find("[$n]").unwrap() + 1;
        let target = target_at(&doc, dollar).unwrap();
        assert_eq!(
            target,
            Target::Variable {
                definition: 0,
                name: "n".into()
            }
        );
        assert_eq!(references(&doc, &target, false).len(), 1);
        assert!(target_at(&doc, DOC.find("status }").unwrap()).is_none());
    }
}
