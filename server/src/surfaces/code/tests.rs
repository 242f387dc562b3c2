//! Extraction fixtures in each host language: every way of marking GraphQL, interpolations, and
//! the literals that must be left alone.

use crate::surfaces::code::*;

/// `(binding, marked, text)` of each region, after checking that it maps onto the host.
fn regions(host: &str, language: HostLanguage) -> Vec<(Option<String>, bool, String)> {
    extract(host, language)
        .into_iter()
        .map(|r| {
            assert_eq!(r.text.len(), r.range.len(), "same length as the content");
            // Outside the placeholders the text is the host's.
            let original = &host[r.range.clone()];
            for (i, (a, b)) in r.text.bytes().zip(original.bytes()).enumerate() {
                if !r.placeholders.iter().any(|(p, _)| p.contains(&i)) {
                    assert_eq!(a, b, "byte {i} of {original:?}");
                }
            }
            (r.binding, r.marked, r.text)
        })
        .collect()
}

const JS: &str = r#"// The docs' style: an untagged template sent with axios.
import gql from "graphql-tag";

const BookParts = gql`
  fragment BookParts on Book { title }
`;

const query = `
query Run($workflowId: String!) {
  executeWorkflow(workflowId: $workflowId, payload: {}) { status }
}`;

export const ByTag = gql`
  query ByTag { book(id: 1) { ...BookParts } }
  ${BookParts}
`;

const byCall = graphql(`query ByCall { books(first: ${limit}) { id } }`);
const marked = /* GraphQL */ `{ search(text: "é") { __typename } }`;
const quoted = gql("{ legacy }");
const prose = "query the database for books";
const styles = css`query { color: red }`;
function nested() {
  return client.query({ query: gql`{ legacy }` });
}
"#;

#[test]
fn javascript_tags_calls_comments_and_the_docs_untagged_style() {
    let got = regions(JS, HostLanguage::JavaScript);
    let texts: Vec<&str> = got.iter().map(|(_, _, t)| t.trim()).collect();
    assert_eq!(
        texts,
        [
            "fragment BookParts on Book { title }",
            "query Run($workflowId: String!) {\n  executeWorkflow(workflowId: $workflowId, payload: {}) { status }\n}",
            "query ByTag { book(id: 1) { ...BookParts } }",
            "query ByCall { books(first: null    ) { id } }",
            "{ search(text: \"é\") { __typename } }",
            "{ legacy }",
            "{ legacy }",
        ]
    );
    // Bindings and marks.
    assert_eq!(got[0].0.as_deref(), Some("BookParts"));
    assert!(got[0].1);
    assert_eq!(got[1].0.as_deref(), Some("query"));
    assert!(!got[1].1, "found by its first word");
    assert_eq!(got[2].0.as_deref(), Some("ByTag"));
    assert!(got[4].1, "marked by the comment");
}

#[test]
fn interpolations_are_placeholders_of_the_same_length() {
    let found = extract(JS, HostLanguage::JavaScript);
    let by_tag = &found[2];
    let start = JS[by_tag.range.clone()].find("${BookParts}").unwrap();
    assert_eq!(
        by_tag.placeholders,
        [(
            start..start + "${BookParts}".len(),
            Placeholder::Other {
                binding: Some("BookParts".into())
            }
        )]
    );
    assert_eq!(&by_tag.text[start..start + 12], " ".repeat(12));
    let by_call = &found[3];
    assert_eq!(by_call.placeholders.len(), 1);
    assert_eq!(by_call.placeholders[0].1, Placeholder::Value);
}

#[test]
fn typescript_and_tsx() {
    let ts = "import { gql } from '@apollo/client';\nexport const Q: DocumentNode = gql`\n  query Q { legacy }\n`;\nconst n = <number>count;\n";
    let got = regions(ts, HostLanguage::TypeScript);
    assert_eq!(got.len(), 1);
    assert_eq!(got[0].0.as_deref(), Some("Q"));
    let tsx = "const Q = gql`{ legacy }`;\nexport function View() {\n  const { data } = useQuery(Q);\n  return <div title={`query`}>{data.legacy}</div>;\n}\n";
    let got = regions(tsx, HostLanguage::Tsx);
    assert_eq!(got, [(Some("Q".into()), true, "{ legacy }".into())]);
}

#[test]
fn python_gql_calls_comments_and_assigned_operations() {
    let py = "from gql import gql\n\nQUERY = gql(\"\"\"\n    query Q { legacy }\n\"\"\")\n\n# graphql\nPARTS = '''fragment P on Book { id }'''\n\nRUN = \"\"\"\nquery Run { book(id: 1) { id } }\n\"\"\"\nprose = \"query the database\"\nnot_assigned(\"query X { legacy }\")\nformatted = f\"query {{ legacy }}\"\nraw = b\"query Y { legacy }\"\n";
    let got = regions(py, HostLanguage::Python);
    let summary: Vec<(Option<&str>, bool, &str)> = got
        .iter()
        .map(|(b, m, t)| (b.as_deref(), *m, t.trim()))
        .collect();
    assert_eq!(
        summary,
        [
            (None, true, "query Q { legacy }"),
            (Some("PARTS"), true, "fragment P on Book { id }"),
            (Some("RUN"), false, "query Run { book(id: 1) { id } }"),
        ]
    );
}

#[test]
fn looks_like_graphql_needs_graphql_after_the_keyword() {
    for yes in [
        "query { a }",
        "  # note\n query Q($a: Int) { a }",
        "mutation M @x { a }",
        "subscription S { a }",
        "fragment F on T { a }",
        "query Q { a",
    ] {
        assert!(looks_like_graphql(yes), "{yes}");
    }
    for no in [
        "query the database",
        "fragment of text",
        "mutation",
        "",
        "{ a }",
        "queryX { a }",
    ] {
        assert!(!looks_like_graphql(no), "{no}");
    }
}

#[test]
fn broken_and_huge_host_files_do_not_panic() {
    for text in [
        "const q = gql`{ a ",
        "gql(`",
        "`${`",
        "\"\"\"",
        "def f(:\n  '''query Q { a }'''",
    ] {
        let _ = extract(text, HostLanguage::JavaScript);
        let _ = extract(text, HostLanguage::Python);
    }
    let deep = format!("const a = {}1{};", "(".repeat(50_000), ")".repeat(50_000));
    let _ = extract(&deep, HostLanguage::TypeScript);
}

#[test]
fn a_variables_literal_beside_its_query_becomes_json_with_places() {
    use crate::flows::validate::Segment;
    let js = "const r = post(url, { query: Q, variables: { id: 5, name: 'a\\'b', tags: [true, null], when: now(), ...rest, nested: { n: -2.5 } } });";
    let found = literal_values::variables_literals(js, HostLanguage::JavaScript);
    assert_eq!(found.len(), 1);
    let literal = &found[0];
    assert_eq!(literal.query, literal_values::QueryRef::Binding("Q".into()));
    assert_eq!(
        serde_json::Value::Object(literal.values.clone()),
        serde_json::json!({"id": 5, "name": "a'b", "tags": [true, null], "when": null, "nested": {"n": -2.5}})
    );
    let places = literal.places();
    let key = |k: &str| vec![Segment::Key(k.to_string())];
    assert!(places.unknown(&key("when")));
    assert!(!places.unknown(&key("id")));
    assert!(places.open(&[]));
    assert_eq!(&js[places.value(&key("name")).unwrap()], "'a\\'b'");
    assert_eq!(&js[places.key(&key("tags")).unwrap()], "tags");
    assert_eq!(&js[places.value(&key("id")).unwrap()], "5");
    let nested = [key("nested"), key("n")].concat();
    assert_eq!(&js[places.value(&nested).unwrap()], "-2.5");
    // Without `query` beside it, an object named `variables` is not one.
    assert!(literal_values::variables_literals(
        "x({ variables: { a: 1 } })",
        HostLanguage::JavaScript
    )
    .is_empty());
}

#[test]
fn a_python_request_body_with_query_and_variables() {
    let py = "r = s.post(u, json={'query': Q, \"variables\": {\"id\": 5, 'ok': True, 'none': None, 'f': f\"{x}\", 'n': -1.5, 'items': [1, 2], **extra}})\ninline = {\"query\": \"\"\"query A { a }\"\"\", \"variables\": {}}\n";
    let found = literal_values::variables_literals(py, HostLanguage::Python);
    assert_eq!(found.len(), 2);
    assert_eq!(
        found[0].query,
        literal_values::QueryRef::Binding("Q".into())
    );
    assert_eq!(
        serde_json::Value::Object(found[0].values.clone()),
        serde_json::json!({"id": 5, "ok": true, "none": null, "f": null, "n": -1.5, "items": [1, 2]})
    );
    let key = |k: &str| vec![crate::flows::validate::Segment::Key(k.to_string())];
    assert!(
        found[0].places().unknown(&key("f")),
        "an f-string is not known"
    );
    assert!(!found[0].places().unknown(&key("none")));
    assert!(found[0].places().open(&[]), "`**extra` may add keys");
    let content = py.find("query A").unwrap();
    assert_eq!(
        found[1].query,
        literal_values::QueryRef::Inline(content..content + "query A { a }".len())
    );
}

#[test]
fn an_unterminated_template_with_a_substitution_is_not_read() {
    // Found by the random editing session: the substitution ran past the template's content
    // and replacing it panicked (`range end index N out of range for slice of length N-1`).
    let found = include_str!("../../../../tests/fixtures/regressions/unterminated-template.ts");
    for text in [
        found,
        "const q = gql`query { a ${b}",
        "const q = gql`query { a ${b",
        "const q = `query { a ${b}`;\nconst r = `query { ${",
        "x = /* GraphQL */ `{ a(x: ${y}) ${z}",
    ] {
        for language in [
            HostLanguage::JavaScript,
            HostLanguage::TypeScript,
            HostLanguage::Tsx,
        ] {
            let regions = extract(text, language);
            for region in &regions {
                assert!(region.range.end <= text.len());
                assert_eq!(region.text.len(), region.range.len());
            }
        }
    }
}

#[test]
fn a_parse_that_would_take_minutes_is_given_up() {
    use crate::checks::code::{analyze_host, HostInputs};
    // 172 bytes on which tree-sitter's TypeScript grammar ran for minutes and past 2 GB
    // (found by fuzzing flow_files): the parse stops at its budget, for every reader of code.
    let bytes = include_bytes!("../../../../tests/fixtures/regressions/flow-files-oom.bin");
    let text = String::from_utf8_lossy(bytes);
    let started = std::time::Instant::now();
    assert!(parse(&text, HostLanguage::TypeScript).is_none());
    assert!(started.elapsed() < parse_budget(text.len()) * 4);
    // The same text is no trouble as JavaScript, and every reader copes with no tree.
    assert!(parse(&text, HostLanguage::JavaScript).is_some());
    let root = std::path::Path::new("/nonexistent");
    let _ = crate::surfaces::kit::flow_module::read(&root.join("flows/a.ts"), &text, root);
    let _ = crate::surfaces::kit::steps::read(&text, std::path::Path::new("lamatic.config.ts"));
    let analysis = analyze_host(
        &text,
        &HostInputs {
            language: HostLanguage::TypeScript,
            schema: crate::schema::bundled(),
            flows: Default::default(),
            strict: false,
            project: &crate::checks::graphql::fragments::ProjectFragments::default(),
            previous: None,
        },
    );
    assert_eq!(analysis.diagnostics.len(), 1);
    assert_eq!(
        analysis.diagnostics[0].code,
        crate::base::catalog::Code::DocumentTooComplex
    );
    assert!(started.elapsed() < std::time::Duration::from_secs(10));
}
