//! A document's structure from its syntax tree (which apollo-compiler builds for half-typed
//! text too): symbols (operations, fragments and their fields), folding ranges, and the nested
//! ranges around a position for "expand selection". Byte ranges; no protocol types.

use std::ops::Range;

use apollo_compiler::ast::{self, Definition, Selection};
use apollo_compiler::Node;

use crate::base::span::span;

/// What a symbol is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SymbolKind {
    Operation,
    Fragment,
    Field,
}

/// An operation, fragment or field, with what it contains.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Symbol {
    pub name: String,
    /// The operation type and variables, the type condition, or the field's alias target.
    pub detail: Option<String>,
    pub kind: SymbolKind,
    /// The whole definition or field.
    pub range: Range<usize>,
    /// Its name.
    pub name_range: Range<usize>,
    pub children: Vec<Symbol>,
}

/// The operations and fragments of a document, each with its fields nested.
pub fn symbols(document: &ast::Document) -> Vec<Symbol> {
    document
        .definitions
        .iter()
        .filter_map(|definition| match definition {
            Definition::OperationDefinition(op) => {
                let kind = op.operation_type.name();
                let variables: Vec<String> = op
                    .variables
                    .iter()
                    .map(|v| format!("${}: {}", v.name, v.ty))
                    .collect();
                let detail = if variables.is_empty() {
                    kind.to_string()
                } else {
                    format!("{kind}({})", variables.join(", "))
                };
                let range = span(op.location());
                Some(Symbol {
                    name: op
                        .name
                        .as_ref()
                        .map_or_else(|| format!("(anonymous {kind})"), |n| n.to_string()),
                    detail: Some(detail),
                    kind: SymbolKind::Operation,
                    name_range: op
                        .name
                        .as_ref()
                        .map_or(range.start..range.start, |n| span(n.location())),
                    range,
                    children: fields(&op.selection_set),
                })
            }
            Definition::FragmentDefinition(fragment) => Some(Symbol {
                name: fragment.name.to_string(),
                detail: Some(format!("on {}", fragment.type_condition)),
                kind: SymbolKind::Fragment,
                range: span(fragment.location()),
                name_range: span(fragment.name.location()),
                children: fields(&fragment.selection_set),
            }),
            _ => None,
        })
        .collect()
}

fn fields(selections: &[Selection]) -> Vec<Symbol> {
    let mut out = Vec::new();
    for selection in selections {
        match selection {
            Selection::Field(field) => out.push(Symbol {
                name: field.alias.as_ref().unwrap_or(&field.name).to_string(),
                detail: field.alias.as_ref().map(|_| field.name.to_string()),
                kind: SymbolKind::Field,
                range: span(field.location()),
                name_range: span(field.alias.as_ref().unwrap_or(&field.name).location()),
                children: fields(&field.selection_set),
            }),
            // An inline fragment's fields belong to the enclosing selection in an outline.
            Selection::InlineFragment(inline) => out.extend(fields(&inline.selection_set)),
            Selection::FragmentSpread(_) => {}
        }
    }
    out
}

/// Whether a symbol's name answers a workspace-symbol query: the query's characters appear in
/// the name in order, case ignored (`rsum` finds `RunSummarizer`); an empty query answers all.
pub fn matches_query(name: &str, query: &str) -> bool {
    let mut name = name.chars().flat_map(char::to_lowercase);
    query
        .chars()
        .flat_map(char::to_lowercase)
        .all(|wanted| name.any(|c| c == wanted))
}

/// What a folding range holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FoldKind {
    /// A definition, a selection set, an argument or variable list, an object or list value.
    Region,
    /// Consecutive `#` comment lines.
    Comment,
}

/// The regions an editor can fold: definitions, fields with selections, inline fragments,
/// argument lists, object and list values, block strings, and runs of comment lines. Ranges
/// on one line are left out (nothing to fold).
pub fn folding_ranges(document: &ast::Document, text: &str) -> Vec<(Range<usize>, FoldKind)> {
    let mut out = Vec::new();
    let mut region = |range: Range<usize>| {
        if text.get(range.clone()).is_some_and(|t| t.contains('\n')) {
            out.push((range, FoldKind::Region));
        }
    };
    for definition in &document.definitions {
        match definition {
            Definition::OperationDefinition(op) => {
                region(span(op.location()));
                if let (Some(first), Some(last)) = (op.variables.first(), op.variables.last()) {
                    region(span(first.location()).start..span(last.location()).end);
                }
                fold_selections(&op.selection_set, &mut region);
            }
            Definition::FragmentDefinition(fragment) => {
                region(span(fragment.location()));
                fold_selections(&fragment.selection_set, &mut region);
            }
            _ => {}
        }
    }
    out.extend(comment_runs(text));
    out.sort_by_key(|(r, _)| (r.start, std::cmp::Reverse(r.end)));
    out.dedup();
    out
}

fn fold_selections(selections: &[Selection], region: &mut dyn FnMut(Range<usize>)) {
    for selection in selections {
        match selection {
            Selection::Field(field) => {
                region(span(field.location()));
                if let (Some(first), Some(last)) = (field.arguments.first(), field.arguments.last())
                {
                    region(span(first.location()).start..span(last.location()).end);
                }
                for argument in &field.arguments {
                    fold_value(&argument.value, region);
                }
                fold_selections(&field.selection_set, region);
            }
            Selection::InlineFragment(inline) => {
                region(span(inline.location()));
                fold_selections(&inline.selection_set, region);
            }
            Selection::FragmentSpread(_) => {}
        }
    }
}

fn fold_value(value: &Node<ast::Value>, region: &mut dyn FnMut(Range<usize>)) {
    match value.as_ref() {
        ast::Value::Object(fields) => {
            region(span(value.location()));
            for (_, v) in fields {
                fold_value(v, region);
            }
        }
        ast::Value::List(items) => {
            region(span(value.location()));
            for v in items {
                fold_value(v, region);
            }
        }
        // A block string spans lines.
        ast::Value::String(_) => region(span(value.location())),
        _ => {}
    }
}

/// Runs of two or more lines that hold only a `#` comment.
fn comment_runs(text: &str) -> Vec<(Range<usize>, FoldKind)> {
    let mut out = Vec::new();
    let mut run: Option<(Range<usize>, usize)> = None;
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let content = line.trim_end_matches(['\n', '\r']);
        let is_comment = content.trim_start().starts_with('#');
        let end = offset + content.len();
        run = match (run, is_comment) {
            (Some((range, lines)), true) => Some((range.start..end, lines + 1)),
            (None, true) => Some((
                offset + (content.len() - content.trim_start().len())..end,
                1,
            )),
            (Some((range, lines)), false) => {
                if lines > 1 {
                    out.push((range, FoldKind::Comment));
                }
                None
            }
            (None, false) => None,
        };
        offset += line.len();
    }
    if let Some((range, lines)) = run {
        if lines > 1 {
            out.push((range, FoldKind::Comment));
        }
    }
    out
}

/// The ranges that contain `offset`, innermost first: a name, an argument, a field, its parent
/// fields, the definition, and the whole document ("expand selection").
pub fn selection_ranges(document: &ast::Document, text: &str, offset: usize) -> Vec<Range<usize>> {
    let mut chain: Vec<Range<usize>> = Vec::new();
    chain.push(0..text.len());
    let contains = |r: &Range<usize>| r.start <= offset && offset <= r.end && r.start < r.end;
    for definition in &document.definitions {
        let range = span(definition.location());
        if !contains(&range) {
            continue;
        }
        chain.push(range);
        match definition {
            Definition::OperationDefinition(op) => {
                for variable in &op.variables {
                    let range = span(variable.location());
                    if contains(&range) {
                        chain.push(range);
                        chain.push(
                            span(variable.name.location()).start.saturating_sub(1)
                                ..span(variable.name.location()).end,
                        );
                    }
                }
                select_in(&op.selection_set, &contains, &mut chain);
            }
            Definition::FragmentDefinition(fragment) => {
                select_in(&fragment.selection_set, &contains, &mut chain)
            }
            _ => {}
        }
    }
    chain.retain(|r| contains(r));
    chain.dedup();
    chain.reverse();
    chain
}

fn select_in(
    selections: &[Selection],
    contains: &dyn Fn(&Range<usize>) -> bool,
    chain: &mut Vec<Range<usize>>,
) {
    for selection in selections {
        let range = span(selection.location());
        if !contains(&range) {
            continue;
        }
        chain.push(range);
        match selection {
            Selection::Field(field) => {
                for argument in &field.arguments {
                    let range = span(argument.location());
                    if contains(&range) {
                        chain.push(range);
                        chain.push(span(argument.value.location()));
                    }
                }
                chain.push(span(field.name.location()));
                select_in(&field.selection_set, contains, chain);
            }
            Selection::InlineFragment(inline) => select_in(&inline.selection_set, contains, chain),
            Selection::FragmentSpread(spread) => chain.push(span(spread.fragment_name.location())),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const DOC: &str = "# Runs a flow.\n# Twice.\nquery Run($id: String!, $n: Int) {\n  executeWorkflow(\n    workflowId: $id\n    payload: {\n      a: 1\n    }\n  ) {\n    status\n    r: result\n  }\n}\n\nfragment F on WorkflowResult { status }\n";

    fn parse(text: &str) -> ast::Document {
        ast::Document::parse(text, "doc.graphql").unwrap_or_else(|e| e.partial)
    }

    fn lines(text: &str, range: &Range<usize>) -> (usize, usize) {
        (
            text[..range.start].matches('\n').count(),
            text[..range.end].matches('\n').count(),
        )
    }

    #[test]
    fn symbols_nest_fields_under_their_definitions() {
        let symbols = symbols(&parse(DOC));
        assert_eq!(symbols.len(), 2);
        assert_eq!(symbols[0].name, "Run");
        assert_eq!(symbols[0].kind, SymbolKind::Operation);
        assert_eq!(
            symbols[0].detail.as_deref(),
            Some("query($id: String!, $n: Int)")
        );
        assert_eq!(&DOC[symbols[0].name_range.clone()], "Run");
        let execute = &symbols[0].children[0];
        assert_eq!(execute.name, "executeWorkflow");
        let names: Vec<(&str, Option<&str>)> = execute
            .children
            .iter()
            .map(|c| (c.name.as_str(), c.detail.as_deref()))
            .collect();
        assert_eq!(names, vec![("status", None), ("r", Some("result"))]);
        assert_eq!(symbols[1].name, "F");
        assert_eq!(symbols[1].detail.as_deref(), Some("on WorkflowResult"));
    }

    #[test]
    fn half_typed_text_still_has_an_outline() {
        let text = "query A { executeWorkflow(workflowId: \"x\") { stat\n\nquery B { checkStatus(requestId: \"r\") }\n";
        let names: Vec<String> = symbols(&parse(text)).into_iter().map(|s| s.name).collect();
        assert!(names.contains(&"A".to_string()), "{names:?}");
    }

    #[test]
    fn folds_cover_multi_line_regions_and_comment_runs() {
        let folds: Vec<((usize, usize), FoldKind)> = folding_ranges(&parse(DOC), DOC)
            .iter()
            .map(|(r, k)| (lines(DOC, r), *k))
            .collect();
        assert!(folds.contains(&((0, 1), FoldKind::Comment)), "{folds:?}");
        assert!(
            folds.contains(&((2, 12), FoldKind::Region)),
            "operation {folds:?}"
        );
        assert!(
            folds.contains(&((3, 11), FoldKind::Region)),
            "field {folds:?}"
        );
        assert!(
            folds.contains(&((4, 7), FoldKind::Region)),
            "arguments {folds:?}"
        );
        assert!(
            folds.contains(&((5, 7), FoldKind::Region)),
            "object value {folds:?}"
        );
        // The one-line fragment has nothing to fold.
        assert!(
            folds.iter().all(|((start, _), _)| *start != 14),
            "{folds:?}"
        );
    }

    #[test]
    fn selection_grows_from_the_name_outwards() {
        let offset = DOC.find("a: 1").unwrap();
        let chain = selection_ranges(&parse(DOC), DOC, offset);
        let texts: Vec<&str> = chain.iter().map(|r| &DOC[r.clone()]).collect();
        assert_eq!(texts[0], "{\n      a: 1\n    }");
        assert!(texts[1].starts_with("payload: {"), "{texts:?}");
        assert!(texts[2].starts_with("executeWorkflow("), "{texts:?}");
        assert!(texts[3].starts_with("query Run"), "{texts:?}");
        assert_eq!(texts.last().unwrap(), &DOC);
        for pair in chain.windows(2) {
            assert!(
                pair[1].start <= pair[0].start && pair[0].end <= pair[1].end,
                "{chain:?}"
            );
        }
    }

    #[test]
    fn a_variable_selects_its_name_then_its_definition() {
        let offset = DOC.find("$n").unwrap() + 1;
        let chain = selection_ranges(&parse(DOC), DOC, offset);
        let texts: Vec<&str> = chain.iter().map(|r| &DOC[r.clone()]).collect();
        assert_eq!(texts[0], "$n", "{texts:?}");
        assert_eq!(texts[1], "$n: Int", "{texts:?}");
    }

    #[test]
    fn queries_match_in_order_ignoring_case() {
        assert!(matches_query("RunSummarizer", "rsum"));
        assert!(matches_query("RunSummarizer", ""));
        assert!(!matches_query("RunSummarizer", "mur"));
        assert!(!matches_query("Run", "runs"));
    }
}
