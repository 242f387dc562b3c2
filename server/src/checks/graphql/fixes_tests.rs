//! Tests of the GraphQL quick fixes: each fix applied to a document, and the text it leaves.

use std::sync::Arc;

use crate::base::catalog::Code;
use crate::checks::document::analyze;
use crate::checks::document::testing::library;
use crate::schema::{bundled, ProjectSchema};

/// The text after applying the one fix of the one `code` diagnostic; the diagnostic is gone
/// from the fixed text.
fn fixed_with(schema: Arc<ProjectSchema>, text: &str, code: Code) -> (String, String) {
    let analysis = analyze(text, schema.clone());
    let found: Vec<_> = analysis
        .diagnostics
        .iter()
        .filter(|d| d.code == code && !d.fixes.is_empty())
        .collect();
    assert_eq!(
        found.len(),
        1,
        "one {code:?} with a fix in {:#?}",
        analysis.diagnostics
    );
    assert_eq!(found[0].fixes.len(), 1, "one fix for {:#?}", found[0]);
    let fix = &found[0].fixes[0];
    let mut out = text.to_string();
    let mut edits = fix.edits.clone();
    edits.sort_by_key(|e| std::cmp::Reverse(e.range.start));
    for edit in edits {
        out.replace_range(edit.range, &edit.text);
    }
    let after = analyze(&out, schema);
    assert!(
        after.diagnostics.iter().all(|d| d.code != code),
        "{out}\n{:#?}",
        after.diagnostics
    );
    (fix.title.clone(), out)
}

fn fixed(text: &str, code: Code) -> String {
    fixed_with(library(), text, code).1
}

#[test]
fn did_you_mean_renames_fields_arguments_types_values_directives_and_fragments() {
    let (title, text) = fixed_with(library(), "{ bok(id: 1) { id } }", Code::UnknownField);
    assert_eq!(title, "Change `bok` to `book`");
    assert_eq!(text, "{ book(id: 1) { id } }");
    assert_eq!(
        fixed("{ b: bok(id: 1) { id } }", Code::UnknownField),
        "{ b: book(id: 1) { id } }"
    );
    assert_eq!(
        fixed("{ book(idd: 1) { id } }", Code::UnknownArgument),
        "{ book(id: 1) { id } }"
    );
    assert_eq!(
        fixed(
            "query Q($f: BookFiltr) { books(filter: $f) { id } }",
            Code::UnknownType
        ),
        "query Q($f: BookFilter) { books(filter: $f) { id } }"
    );
    assert_eq!(
        fixed("{ node(id: 1) { ... on Bok { id } } }", Code::UnknownType),
        "{ node(id: 1) { ... on Book { id } } }"
    );
    assert_eq!(
        fixed("{ books(order: NEWES) { id } }", Code::UnknownEnumValue),
        "{ books(order: NEWEST) { id } }"
    );
    assert_eq!(
        fixed(
            "{ book(id: 1) @skp(if: true) { id } }",
            Code::UnknownDirective
        ),
        "{ book(id: 1) @skip(if: true) { id } }"
    );
    assert_eq!(
        fixed(
            "{ book(id: 1) { ...Prts } }\nfragment Parts on Book { id }",
            Code::UnknownFragment
        ),
        "{ book(id: 1) { ...Parts } }\nfragment Parts on Book { id }"
    );
    assert_eq!(
        fixed(
            "{ books(filter: { knd: NOVEL }) { id } }",
            Code::UnknownInputField
        ),
        "{ books(filter: { kind: NOVEL }) { id } }"
    );
    // Nothing close: no fix rather than a wrong one.
    let analysis = analyze("{ zzzzzz { id } }", library());
    assert!(analysis.diagnostics[0].fixes.is_empty());
}

#[test]
fn missing_required_arguments_are_added_with_valid_placeholders() {
    let (title, text) = fixed_with(library(), "{ book { id } }", Code::MissingRequiredArgument);
    assert_eq!(title, "Add the required argument `id`");
    assert_eq!(text, "{ book(id: \"\") { id } }");
    assert_eq!(
        fixed(
            "{ search(kinds: [NOVEL]) { __typename } }",
            Code::MissingRequiredArgument
        ),
        "{ search(kinds: [NOVEL], text: \"\") { __typename } }"
    );
    let (title, text) = fixed_with(
        library(),
        "{ executeWorkflow { status } }",
        Code::MissingRequiredArgument,
    );
    assert_eq!(title, "Add the required arguments `workflowId`, `payload`");
    assert_eq!(
        text,
        "{ executeWorkflow(workflowId: \"\", payload: {}) { status } }"
    );
    assert_eq!(
        fixed("mutation { addBook { id } }", Code::MissingRequiredArgument),
        "mutation { addBook(input: { title: \"\", kind: NOVEL }) { id } }"
    );
}

#[test]
fn an_undefined_variable_is_declared_with_the_type_its_position_needs() {
    let (title, text) = fixed_with(
        library(),
        "query Q { book(id: $x) { id } }",
        Code::UndefinedVariable,
    );
    assert_eq!(title, "Declare `$x: ID!` in the operation");
    assert_eq!(text, "query Q($x: ID!) { book(id: $x) { id } }");
    assert_eq!(
        fixed(
            "query Q($a: Int) { books(first: $a, order: $o) { id } }",
            Code::UndefinedVariable
        ),
        "query Q($a: Int, $o: Order) { books(first: $a, order: $o) { id } }"
    );
    assert_eq!(
        fixed("{ book(id: $x) { id } }", Code::UndefinedVariable),
        "query($x: ID!) { book(id: $x) { id } }"
    );
    assert_eq!(
        fixed("query { book(id: $x) { id } }", Code::UndefinedVariable),
        "query($x: ID!) { book(id: $x) { id } }"
    );
    assert_eq!(
        fixed(
            "query Q { search(text: \"\", kinds: [$k]) { __typename } }",
            Code::UndefinedVariable
        ),
        "query Q($k: Kind!) { search(text: \"\", kinds: [$k]) { __typename } }"
    );
    assert_eq!(
        fixed(
            "query Q { books(filter: { published: { from: $f } }) { id } }",
            Code::UndefinedVariable
        ),
        "query Q($f: String!) { books(filter: { published: { from: $f } }) { id } }"
    );
}

#[test]
fn unused_variables_and_fragments_are_removed() {
    let (title, text) = fixed_with(
        library(),
        "query Q($y: Int) { book(id: 1) { id } }",
        Code::UnusedVariable,
    );
    assert_eq!(title, "Remove the unused variable `$y`");
    assert_eq!(text, "query Q { book(id: 1) { id } }");
    assert_eq!(
        fixed(
            "query Q($y: Int, $x: ID!) { book(id: $x) { id } }",
            Code::UnusedVariable
        ),
        "query Q($x: ID!) { book(id: $x) { id } }"
    );
    assert_eq!(
        fixed(
            "query Q($x: ID!, $y: Int = 3) { book(id: $x) { id } }",
            Code::UnusedVariable
        ),
        "query Q($x: ID!) { book(id: $x) { id } }"
    );
    let (title, text) = fixed_with(
        library(),
        "query Q { book(id: 1) { ...F } }\nfragment F on Book { id }\nfragment G on Book { id }\n",
        Code::UnusedFragment,
    );
    assert_eq!(title, "Remove the unused fragment `G`");
    assert_eq!(
        text,
        "query Q { book(id: 1) { ...F } }\nfragment F on Book { id }\n"
    );
    assert_eq!(
        fixed(
            "query Q { book(id: 1) { ...G } }\n\nfragment F on Book { id }\n\nfragment G on Book { id }\n",
            Code::UnusedFragment
        ),
        "query Q { book(id: 1) { ...G } }\n\nfragment G on Book { id }\n"
    );
}

#[test]
fn a_selection_set_of_scalar_fields_is_added() {
    let (title, text) = fixed_with(
        library(),
        "{\n  book(id: 1)\n}\n",
        Code::MissingSelectionSet,
    );
    assert_eq!(
        title,
        "Select `id`, `title`, `pages`, `kind`, `identifiers`"
    );
    assert_eq!(
        text,
        "{\n  book(id: 1) {\n    id\n    title\n    pages\n    kind\n    identifiers\n  }\n}\n"
    );
    assert_eq!(
        fixed(
            "{ b: book(id: 1) @skip(if: false) }",
            Code::MissingSelectionSet
        ),
        "{ b: book(id: 1) @skip(if: false) { id title pages kind identifiers } }"
    );
    assert_eq!(
        fixed("{ search(text: \"\") }", Code::MissingSelectionSet),
        "{ search(text: \"\") { __typename } }"
    );
}

#[test]
fn deprecated_fields_and_values_move_to_the_named_replacement() {
    let (title, text) = fixed_with(library(), "{ allBooks { id } }", Code::DeprecatedUsage);
    assert_eq!(title, "Use `books` instead");
    assert_eq!(text, "{ books { id } }");
    assert_eq!(
        fixed(
            "{ books(filter: { kind: COMIC }) { id } }",
            Code::DeprecatedUsage
        ),
        "{ books(filter: { kind: NOVEL }) { id } }"
    );
    // No replacement named: a warning without a fix.
    let analysis = analyze("{ legacy }", library());
    assert_eq!(analysis.diagnostics.len(), 1);
    let d = &analysis.diagnostics[0];
    assert_eq!(d.code, Code::DeprecatedUsage);
    assert_eq!(d.severity, crate::base::catalog::Severity::Warning);
    assert_eq!(
        d.message,
        "`Query.legacy` is deprecated: No longer supported"
    );
    assert!(d.fixes.is_empty());
}

#[test]
fn a_flow_call_under_mutation_becomes_a_query() {
    let text = "mutation Run {\n  executeWorkflow(workflowId: \"a\", payload: {}) { status }\n}";
    let (title, fixed) = fixed_with(bundled(), text, Code::QueryFieldInMutation);
    assert_eq!(title, "Send it as a `query`");
    assert_eq!(
        fixed,
        "query Run {\n  executeWorkflow(workflowId: \"a\", payload: {}) { status }\n}"
    );
    // With a real mutation beside it, changing the keyword would break that one.
    let mixed = "mutation Run {\n  executeWorkflow(workflowId: \"a\", payload: {}) { status }\n  submitFeedback(requestId: \"r\") { success }\n}";
    let analysis = analyze(mixed, bundled());
    let d = analysis
        .diagnostics
        .iter()
        .find(|d| d.code == Code::QueryFieldInMutation)
        .unwrap();
    assert!(d.fixes.is_empty());
}
