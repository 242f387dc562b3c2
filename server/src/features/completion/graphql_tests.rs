//! Tests of GraphQL completion: what each context offers, in order, with its snippets.

use super::*;
use crate::checks::document::testing::{cursor, library};

fn fragments() -> Vec<FragmentName> {
    [
        ("BookParts", "Book"),
        ("AuthorParts", "Author"),
        ("NodeParts", "Node"),
    ]
    .iter()
    .map(|(name, on)| FragmentName {
        name: name.to_string(),
        type_condition: on.to_string(),
    })
    .collect()
}

/// The items at the `$0` of `fixture`, in the order the editor shows them.
fn items(fixture: &str, snippets: bool) -> Vec<Item> {
    let (text, offset) = cursor(fixture);
    let fragments = fragments();
    let options = Options {
        snippets,
        fragments: &fragments,
    };
    let mut items = complete(&text, offset, &library().schema, &options);
    items.sort_by(|a, b| a.sort.cmp(&b.sort));
    items
}

fn labels(fixture: &str) -> Vec<String> {
    items(fixture, false).into_iter().map(|i| i.label).collect()
}

fn find(items: &[Item], label: &str) -> Item {
    items
        .iter()
        .find(|i| i.label == label)
        .unwrap_or_else(|| {
            panic!(
                "no `{label}` in {:?}",
                items.iter().map(|i| &i.label).collect::<Vec<_>>()
            )
        })
        .clone()
}

#[test]
fn fields_of_the_type_at_the_cursor_with_deprecated_last() {
    let got = labels("{ book(id: \"1\") { $0 } }");
    assert_eq!(
        got,
        [
            "id",
            "title",
            "author",
            "pages",
            "kind",
            "identifiers",
            "isbn",
            "__typename"
        ]
    );
    let all = items("{ book(id: \"1\") { $0 } }", false);
    let title = find(&all, "title");
    assert_eq!(title.detail, "String!");
    assert_eq!(title.kind, ItemKind::Field);
    let isbn = find(&all, "isbn");
    assert!(isbn.deprecated);
    assert_eq!(
        isbn.documentation.as_deref(),
        Some("**Deprecated:** Use `identifiers`.")
    );
    let root = items("{ $0 }", false);
    assert_eq!(
        find(&root, "book").documentation.as_deref(),
        Some("A book by its id.")
    );
}

#[test]
fn fields_inside_half_typed_and_broken_text() {
    // Unclosed braces, a half-typed name: the word is replaced, the parent type still known.
    let (text, offset) = cursor("query Q {\n  book(id: \"1\") {\n    ti$0");
    let got = complete(&text, offset, &library().schema, &Options::default());
    assert!(got.iter().any(|i| i.label == "title"));
    assert_eq!(got[0].replace, Some(offset - 2..offset));
    // A syntax error before the cursor (an unclosed argument list) and after it.
    let got = labels("{ books(first: 3 { author { $0 } ) ) } }");
    assert_eq!(got, ["id", "name", "books", "__typename"]);
    // After an alias; and a field without arguments before the cursor.
    assert!(labels("{ b: bo$0 }").contains(&"book".to_string()));
    assert!(labels("{ legacy $0 }").contains(&"books".to_string()));
    // Under a mutation.
    assert_eq!(labels("mutation { $0 }"), ["addBook", "__typename"]);
}

#[test]
fn snippets_fill_required_arguments_and_open_a_selection() {
    let root = items("{ $0 }", true);
    let book = find(&root, "book");
    assert!(book.snippet);
    assert_eq!(book.insert, "book(id: $1) {\n\t$0\n}");
    assert_eq!(find(&root, "legacy").insert, "legacy");
    assert!(!find(&root, "legacy").snippet);
    assert_eq!(find(&root, "books").insert, "books {\n\t$0\n}");
    assert_eq!(
        find(&root, "executeWorkflow").insert,
        "executeWorkflow(workflowId: $1, payload: $2) {\n\t$0\n}"
    );
    // Without snippet support: the name alone.
    assert_eq!(find(&items("{ $0 }", false), "book").insert, "book");
}

#[test]
fn arguments_required_first_and_not_repeated() {
    assert_eq!(labels("{ search($0) }"), ["text", "kinds"]);
    assert_eq!(labels("{ search(text: \"a\", $0) }"), ["kinds"]);
    assert_eq!(labels("{ search(kinds: [NOVEL] $0"), ["text"]);
    assert_eq!(labels("{ books($0) { id } }"), ["filter", "first", "order"]);
    let text = find(&items("{ search(t$0) }", false), "text");
    assert_eq!(text.detail, "String! (required)");
    assert_eq!(text.insert, "text: ");
    assert_eq!(text.kind, ItemKind::Argument);
    // A directive's arguments.
    assert_eq!(labels("{ book(id: 1) @cached($0) { id } }"), ["ttl"]);
    assert_eq!(labels("{ book(id: 1) @include($0) { id } }"), ["if"]);
}

#[test]
fn enum_values_with_deprecated_last_and_booleans() {
    assert_eq!(labels("{ books(order: $0) { id } }"), ["NEWEST", "OLDEST"]);
    assert_eq!(
        labels("{ search(text: \"\", kinds: [NOVEL, $0]) }"),
        ["NOVEL", "POETRY", "ESSAY", "COMIC"]
    );
    assert!(find(&items("{ search(text: \"\", kinds: [$0", false), "COMIC").deprecated);
    assert_eq!(
        labels("{ book(id: 1) @include(if: $0) { id } }"),
        ["true", "false"]
    );
    // Half-typed value with nothing after it.
    assert_eq!(labels("{ books(order: NE$0"), ["NEWEST", "OLDEST"]);
}

#[test]
fn input_object_fields_nested_and_required_first() {
    assert_eq!(
        labels("{ books(filter: { $0 }) { id } }"),
        ["kind", "author", "published"]
    );
    assert_eq!(
        labels("{ books(filter: { kind: NOVEL, $0 }) { id } }"),
        ["author", "published"]
    );
    assert_eq!(
        labels("{ books(filter: { published: { $0 } }) { id } }"),
        ["from", "to"]
    );
    assert_eq!(
        labels("mutation { addBook(input: { $0"),
        ["title", "kind", "pages"]
    );
    // A value inside an input object.
    assert_eq!(
        labels("{ books(filter: { kind: $0 }) { id } }"),
        ["NOVEL", "POETRY", "ESSAY", "COMIC"]
    );
    // A default value of a variable.
    assert_eq!(
        labels("query Q($f: BookFilter = { $0 }) { books { id } }"),
        ["kind", "author", "published"]
    );
}

#[test]
fn variables_in_scope_with_fitting_types_first() {
    let fixture = "query Q($k: Kind, $n: Int, $t: String!, $m: Int!) { books(first: $0) { id } }";
    assert_eq!(labels(fixture), ["$n", "$m", "$k", "$t"]);
    // After `$`, the item replaces the `$` too.
    let (text, offset) = cursor("query Q($k: Kind, $s: String!) { search(text: $$0) }");
    let got = complete(&text, offset, &library().schema, &Options::default());
    assert_eq!(got.len(), 2);
    let s = got.iter().find(|i| i.label == "$s").unwrap();
    assert_eq!(s.replace, Some(offset - 1..offset));
    assert!(s.sort < got.iter().find(|i| i.label == "$k").unwrap().sort);
    assert!(got
        .iter()
        .find(|i| i.label == "$k")
        .unwrap()
        .detail
        .contains("expected String!"));
    // In a list: the item type decides; variables of another operation are not in scope.
    let fixture = "query A($x: Kind) { book(id: 1) { id } }\nquery B($k: Kind!, $n: Int) { search(text: \"\", kinds: [$$0]) }";
    assert_eq!(labels(fixture), ["$k", "$n"]);
}

#[test]
fn fragments_whose_type_condition_fits() {
    assert_eq!(
        labels("{ book(id: 1) { ...$0 } }"),
        ["BookParts", "NodeParts", "on"]
    );
    // On an interface: the fragments on its implementations fit too.
    assert_eq!(
        labels("{ node(id: 1) { ...$0 } }"),
        ["NodeParts", "AuthorParts", "BookParts", "on"]
    );
    // Half-typed.
    assert!(labels("{ node(id: 1) { ...Bo$0").contains(&"BookParts".to_string()));
    assert_eq!(
        find(&items("{ book(id: 1) { ...$0", false), "BookParts").detail,
        "fragment on Book"
    );
}

#[test]
fn type_names_in_conditions_and_variable_definitions() {
    // Every type whose objects may be there: implementations, and unions sharing one.
    assert_eq!(
        labels("{ node(id: 1) { ... on $0 } }"),
        ["Node", "Author", "Book", "SearchResult"]
    );
    assert_eq!(
        labels("{ search(text: \"\") { ... on $0 } }"),
        ["SearchResult", "Author", "Book", "Node"]
    );
    assert!(!labels("{ book(id: 1) { ... on $0 } }").contains(&"Author".to_string()));
    let all = labels("fragment F on $0");
    for name in ["Book", "Author", "Node", "SearchResult", "Query"] {
        assert!(all.contains(&name.to_string()), "{name} in {all:?}");
    }
    assert!(!all.contains(&"Kind".to_string()));
    let types = labels("query Q($a: $0");
    for name in ["Kind", "BookFilter", "BookInput", "Int", "String", "JSON"] {
        assert!(types.contains(&name.to_string()), "{name} in {types:?}");
    }
    assert!(!types.contains(&"Book".to_string()));
    // Inside a list type, after another variable.
    assert!(labels("query Q($a: Int, $b: [Ki$0").contains(&"Kind".to_string()));
}

#[test]
fn union_members_as_inline_fragments() {
    let all = items("{ search(text: \"x\") { $0 } }", true);
    let labels: Vec<&str> = all.iter().map(|i| i.label.as_str()).collect();
    assert_eq!(labels, ["... on Book", "... on Author", "__typename"]);
    assert_eq!(all[0].insert, "... on Book {\n\t$0\n}");
}

#[test]
fn directives_valid_at_the_location() {
    assert_eq!(
        labels("{ book(id: 1) @$0 { id } }"),
        ["cached", "include", "skip"]
    );
    let at_field = items("{ book(id: 1) @$0 { id } }", true);
    assert_eq!(find(&at_field, "cached").insert, "cached(ttl: $1)");
    assert_eq!(find(&at_field, "include").insert, "include(if: $1)");
    // On an inline fragment: no @cached (FIELD only).
    assert_eq!(
        labels("{ node(id: 1) { ... on Book @$0 { id } } }"),
        ["include", "skip"]
    );
    // On a fragment spread: no @cached either.
    assert_eq!(
        labels("{ node(id: 1) { ...NodeParts @$0 } }"),
        ["include", "skip"]
    );
    // On the operation: none of these.
    assert!(labels("query Q @$0 { book(id: 1) { id } }").is_empty());
}

#[test]
fn definition_keywords_and_nothing_in_strings_or_comments() {
    assert_eq!(labels("$0"), ["fragment", "mutation", "query"]);
    assert_eq!(
        labels("query A { legacy }\nqu$0"),
        ["fragment", "mutation", "query"]
    );
    assert!(labels("{ book(id: \"ab$0c\") { id } }").is_empty());
    assert!(labels("{ book(id: \"ab$0").is_empty());
    assert!(labels("{ # a comment $0\n book(id: 1) { id } }").is_empty());
    // An operation's own name is being defined.
    assert!(labels("query Na$0").is_empty());
    // A field of a scalar: nothing, rather than a wrong list.
    assert!(labels("{ legacy { $0 } }").is_empty());
}
