//! Fixture tests for diagnostics: each file in tests/fixtures/diagnostics is a GraphQL document
//! whose expected diagnostics are marked under the lines they point at.
//!
//! A marker line is a GraphQL comment: `#`, spaces, then `^` under each character of the range
//! (or one `|` for an empty range), a `+` when the range goes on past that line, then the
//! severity and the code: `#        ^^^^^^ error UNKNOWN_FIELD`, and optionally text the message
//! must contain: `#   ^^^ error UNKNOWN_FIELD did you mean `checkStatus`?`. Columns count UTF-16
//! units, as the LSP does. The first line may name the schema: `# schema: github`
//! (tests/fixtures/github/schema.graphql); the default is the bundled schema.

use std::path::Path;
use std::sync::Arc;

use flowql::base::document::{Document, Encoding};
use flowql::checks::document::{analyze, analyze_with_flows};
use flowql::flows::registry::FlowRegistry;
use flowql::schema::{self, ProjectSchema, SchemaSource};

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
struct Expected {
    line: u32,
    start: u32,
    /// `None` when the range continues on a later line.
    end: Option<u32>,
    severity: String,
    code: String,
}

/// Marked diagnostics, and the message text some of them must contain.
fn parse_markers(text: &str) -> (Vec<Expected>, Vec<(Expected, String)>) {
    let mut notes = Vec::new();
    let mut out = Vec::new();
    let mut target_line = 0u32;
    for (i, line) in text.lines().enumerate() {
        let is_marker = line.starts_with('#') && line[1..].trim_start().starts_with(['^', '|']);
        if !is_marker {
            target_line = i as u32;
            continue;
        }
        let start = line[1..].find(['^', '|']).unwrap() + 1;
        let rest = &line[start..];
        let width = if rest.starts_with('|') {
            0
        } else {
            rest.chars().take_while(|c| *c == '^').count()
        };
        let after = &rest[width.max(1)..];
        let continues = after.starts_with('+');
        let mut words = after.trim_start_matches('+').trim_start().splitn(3, ' ');
        let expected = Expected {
            line: target_line,
            start: start as u32,
            end: (!continues).then_some((start + width) as u32),
            severity: words.next().expect("severity").to_string(),
            code: words.next().expect("code").to_string(),
        };
        if let Some(note) = words.next().filter(|n| !n.trim().is_empty()) {
            notes.push((expected.clone(), note.trim().to_string()));
        }
        out.push(expected);
    }
    out.sort();
    (out, notes)
}

/// The flows of tests/fixtures/flows (see its README).
fn fixture_flows() -> FlowRegistry {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures/flows");
    let flows = serde_json::json!({
        "0c6f3b1a-9d2e-4f5a-8b7c-1d2e3f4a5b6c": {"name": "Summarize article", "schema": "summarize.json"},
        "hybrid-flow": {"schema": "hybrid.json"},
    });
    let registry = FlowRegistry::load(&dir, Some(&flows), &["exports/*.json".to_string()]);
    assert!(registry.problems.is_empty(), "{:?}", registry.problems);
    registry
}

fn github_schema() -> Arc<ProjectSchema> {
    static GITHUB: std::sync::OnceLock<Arc<ProjectSchema>> = std::sync::OnceLock::new();
    GITHUB
        .get_or_init(|| {
            let path = Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("../tests/fixtures/github/schema.graphql");
            Arc::new(schema::load_files(&[path]).expect("GitHub schema loads"))
        })
        .clone()
}

fn check_fixture(name: &str) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../tests/fixtures/diagnostics")
        .join(name);
    let text = std::fs::read_to_string(&path).unwrap();
    let schema = if text.starts_with("# schema: github") {
        github_schema()
    } else {
        schema::bundled()
    };
    let analysis = if text.starts_with("# flows: fixtures") {
        analyze_with_flows(&text, schema, std::sync::Arc::new(fixture_flows()), false)
    } else {
        analyze(&text, schema)
    };
    let doc = Document::new(&text, 0);
    let mut with_messages: Vec<(Expected, &str)> = analysis
        .diagnostics
        .iter()
        .map(|d| {
            let start = doc.offset_to_position(d.range.start, Encoding::Utf16);
            let end = doc.offset_to_position(d.range.end, Encoding::Utf16);
            let expected = Expected {
                line: start.line,
                start: start.character,
                end: (end.line == start.line).then_some(end.character),
                severity: d.severity.as_str().to_string(),
                code: d.code.as_str().to_string(),
            };
            (expected, d.message.as_str())
        })
        .collect();
    with_messages.sort();
    let actual: Vec<Expected> = with_messages.iter().map(|(e, _)| e.clone()).collect();
    let (expected, notes) = parse_markers(&text);
    if actual != expected {
        let messages: Vec<String> = analysis
            .diagnostics
            .iter()
            .map(|d| {
                let p = doc.offset_to_position(d.range.start, Encoding::Utf16);
                format!(
                    "  {}:{} {} {}: {}",
                    p.line,
                    p.character,
                    d.severity.as_str(),
                    d.code,
                    d.message
                )
            })
            .collect();
        let show = |list: &[Expected]| {
            list.iter()
                .map(|e| {
                    format!(
                        "  {}:{}-{:?} {} {}",
                        e.line, e.start, e.end, e.severity, e.code
                    )
                })
                .collect::<Vec<_>>()
                .join("\n")
        };
        panic!(
            "{name}: diagnostics differ\nexpected:\n{}\nactual:\n{}\nmessages:\n{}",
            show(&expected),
            show(&actual),
            messages.join("\n")
        );
    }
    for (marker, note) in &notes {
        let message = with_messages
            .iter()
            .find(|(e, _)| e == marker)
            .map(|(_, m)| *m)
            .unwrap_or_default();
        assert!(
            message.contains(note.as_str()),
            "{name}: {marker:?}: message {message:?} lacks {note:?}"
        );
    }
    assert!(
        !expected.is_empty() || name.starts_with("clean"),
        "{name} marks nothing"
    );
}

macro_rules! fixtures {
    ($($test:ident => $file:literal,)*) => {
        $( #[test] fn $test() { check_fixture($file); } )*

        #[test]
        fn every_fixture_file_has_a_test() {
            let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures/diagnostics");
            let mut files: Vec<String> = std::fs::read_dir(dir).unwrap()
                .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
                .collect();
            files.sort();
            let mut listed = vec![$($file.to_string()),*];
            listed.sort();
            assert_eq!(files, listed);
        }
    };
}

fixtures! {
    clean_platform_calls => "clean_platform_calls.graphql",
    syntax_errors => "syntax_errors.graphql",
    unknown_names => "unknown_names.graphql",
    arguments_and_values => "arguments_and_values.graphql",
    variables => "variables.graphql",
    selections => "selections.graphql",
    fragments => "fragments.graphql",
    operations => "operations.graphql",
    platform_rules => "platform_rules.graphql",
    against_github_schema => "github.graphql",
    unicode_ranges => "unicode_ranges.graphql",
    payload_inline => "payload_inline.graphql",
}

#[test]
fn github_schema_has_errors_but_validates() {
    let github = github_schema();
    assert!(
        !github.problems.is_empty(),
        "the GitHub schema is expected to have duplicate fields"
    );
    assert!(matches!(github.source, SchemaSource::Files(_)));
}

/// The range of the `n`-th occurrence of `needle` (0-based) in `text`.
fn nth(text: &str, needle: &str, n: usize) -> std::ops::Range<usize> {
    let start = text.match_indices(needle).nth(n).expect("needle present").0;
    start..start + needle.len()
}

#[test]
fn payload_json_files_get_exact_ranges() {
    let text = "{\n  \"url\": 42,\n  \"maxWords\": 300,\n  \"tags\": [\"a\", 7],\n  \"lang\": \"en\",\n  \"options\": {\"tone\": \"dry\", \"bulets\": true},\n  \"sytle\": \"x\"\n}\n";
    let flows = fixture_flows();
    let found: Vec<(String, std::ops::Range<usize>, String)> =
        flowql::checks::payloads::files::check(
            text,
            "0c6f3b1a-9d2e-4f5a-8b7c-1d2e3f4a5b6c",
            &flows,
            false,
        )
        .into_iter()
        .map(|d| (d.code.to_string(), d.range, d.message))
        .collect();
    let codes: Vec<(&str, std::ops::Range<usize>)> = found
        .iter()
        .map(|(c, r, _)| (c.as_str(), r.clone()))
        .collect();
    assert_eq!(
        codes,
        vec![
            ("PAYLOAD_TYPE_MISMATCH", nth(text, "42", 0)),
            ("PAYLOAD_TYPE_MISMATCH", nth(text, "7", 0)),
            ("PAYLOAD_MISSING_FIELD", nth(text, "\"options\"", 0)),
            ("PAYLOAD_UNKNOWN_FIELD", nth(text, "\"bulets\"", 0)),
            ("PAYLOAD_UNKNOWN_FIELD", nth(text, "\"sytle\"", 0)),
        ],
        "{found:#?}"
    );
    assert!(found[1]
        .2
        .contains("`payload.tags[1]` should be a string, found an integer"));
    assert!(found[2].2.contains("missing `bullets`"));
    assert!(found[3].2.contains("did you mean `bullets`?"));
    assert!(found[4].2.contains("did you mean `style`?"));
}

#[test]
fn payload_json_syntax_errors_and_unknown_flows() {
    let flows = fixture_flows();
    let broken = "{\n  \"url\": \"x\",\n}\n";
    let found = flowql::checks::payloads::files::check(
        broken,
        "0c6f3b1a-9d2e-4f5a-8b7c-1d2e3f4a5b6c",
        &flows,
        false,
    );
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].code.as_str(), "JSON_SYNTAX_ERROR");
    assert_eq!(&broken[found[0].range.clone()], ",", "{:?}", found[0]);
    let unknown = flowql::checks::payloads::files::check("{}", "no-such-flow", &flows, false);
    assert_eq!(unknown[0].code.as_str(), "FLOW_NOT_FOUND");
    let inactive = flowql::checks::payloads::files::check(
        "{\"text\": \"hi\"}",
        "7a8b9c0d-1e2f-4a3b-9c4d-5e6f7a8b9c0d",
        &flows,
        false,
    );
    assert_eq!(
        inactive.iter().map(|d| d.code.as_str()).collect::<Vec<_>>(),
        vec!["FLOW_INACTIVE"]
    );
}

#[test]
fn variables_files_are_checked_through_their_operation() {
    let flows = fixture_flows();
    let operation = "query Run($id: String!, $payload: JSON!) {\n  executeWorkflow(workflowId: $id, payload: $payload) { status }\n}\n";
    let variables = "{\n  \"id\": \"0c6f3b1a-9d2e-4f5a-8b7c-1d2e3f4a5b6c\",\n  \"payload\": {\"url\": 5, \"maxWords\": 3, \"tags\": [], \"lang\": \"en\", \"options\": {\"tone\": \"x\", \"bullets\": true}, \"sytle\": \"s\"}\n}\n";
    let found: Vec<(String, std::ops::Range<usize>, String)> =
        flowql::checks::payloads::files::check_variables(variables, operation, &flows, false)
            .into_iter()
            .map(|d| (d.code.to_string(), d.range, d.message))
            .collect();
    let codes: Vec<(&str, std::ops::Range<usize>)> = found
        .iter()
        .map(|(c, r, _)| (c.as_str(), r.clone()))
        .collect();
    assert_eq!(
        codes,
        vec![
            ("PAYLOAD_TYPE_MISMATCH", {
                let url = nth(variables, "\"url\": 5", 0);
                url.end - 1..url.end
            }),
            ("PAYLOAD_UNKNOWN_FIELD", nth(variables, "\"sytle\"", 0)),
        ],
        "{found:#?}"
    );
    assert!(
        found[0].2.starts_with("`payload.url` should be a string"),
        "{}",
        found[0].2
    );
    assert!(
        found[1].2.contains("did you mean `style`?"),
        "{}",
        found[1].2
    );

    // A missing field of the payload is placed on the payload's key; an unknown id on it too.
    let missing = "{\"id\": \"0c6f3b1a-9d2e-4f5a-8b7c-1d2e3f4a5b6c\", \"payload\": {\"url\": \"u\", \"maxWords\": 3, \"tags\": [], \"options\": {\"tone\": \"x\", \"bullets\": true}}}";
    let found = flowql::checks::payloads::files::check_variables(missing, operation, &flows, false);
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].range, nth(missing, "\"payload\"", 0));
    let unknown = "{\"id\": \"nope\", \"payload\": {}}";
    let found = flowql::checks::payloads::files::check_variables(unknown, operation, &flows, false);
    assert_eq!(found[0].code.as_str(), "FLOW_NOT_FOUND");
    assert_eq!(found[0].range, nth(unknown, "\"payload\"", 0));
}

/// Applies the fix titled `title` of the first diagnostic that has one.
fn apply_fix(
    text: &str,
    diagnostics: &[flowql::base::diagnostic::Diagnostic],
    title: &str,
) -> String {
    let fix = diagnostics
        .iter()
        .flat_map(|d| &d.fixes)
        .find(|f| f.title == title)
        .unwrap_or_else(|| panic!("no fix `{title}` in {diagnostics:#?}"));
    let mut out = text.to_string();
    let mut edits = fix.edits.clone();
    edits.sort_by_key(|e| std::cmp::Reverse(e.range.start));
    for edit in edits {
        out.replace_range(edit.range.clone(), &edit.text);
    }
    out
}

#[test]
fn payload_quick_fixes_edit_the_text_as_promised() {
    let flows = std::sync::Arc::new(fixture_flows());
    let schema = schema::bundled();
    let check =
        |text: &str| analyze_with_flows(text, schema.clone(), flows.clone(), false).diagnostics;
    let head =
        "query { executeWorkflow(workflowId: \"0c6f3b1a-9d2e-4f5a-8b7c-1d2e3f4a5b6c\", payload: ";
    let text = format!("{head}{{ url: \"u\", maxWords: 3, tags: [], options: {{}}, lang: \"en\" }}) {{ status }} }}");
    let fixed = apply_fix(&text, &check(&text), "Add `tone`");
    assert_eq!(fixed, format!("{head}{{ url: \"u\", maxWords: 3, tags: [], options: {{ tone: \"\" }}, lang: \"en\" }}) {{ status }} }}"));

    let text = format!("{head}{{ url: \"u\", maxWords: 3, tags: [], options: {{ tone: \"t\", bullets: true }} }}) {{ status }} }}");
    let fixed = apply_fix(&text, &check(&text), "Add `lang`");
    assert_eq!(fixed, format!("{head}{{ url: \"u\", maxWords: 3, tags: [], options: {{ tone: \"t\", bullets: true }}, lang: \"\" }}) {{ status }} }}"));
    assert!(check(&fixed).is_empty(), "{:#?}", check(&fixed));

    let text = format!("{head}{{ url: \"u\", extra: 1, maxWords: \"3\", tags: [], options: {{ tone: \"t\", bullets: true }}, lang: \"en\" }}) {{ status }} }}");
    let removed = apply_fix(&text, &check(&text), "Remove `extra`");
    assert_eq!(removed, text.replace("extra: 1, ", ""));
    let unquoted = apply_fix(&removed, &check(&removed), "Remove the quotes");
    assert_eq!(unquoted, removed.replace("\"3\"", "3"));
    assert!(check(&unquoted).is_empty(), "{:#?}", check(&unquoted));

    // In a payload file: the last entry takes its preceding comma with it.
    let file = "{\"url\": \"u\", \"maxWords\": 3, \"tags\": [], \"lang\": \"en\", \"options\": {\"tone\": \"t\", \"bullets\": true}, \"sytle\": 1}";
    let found = flowql::checks::payloads::files::check(
        file,
        "0c6f3b1a-9d2e-4f5a-8b7c-1d2e3f4a5b6c",
        &flows,
        false,
    );
    let removed = apply_fix(file, &found, "Remove `sytle`");
    assert_eq!(removed, file.replace(", \"sytle\": 1", ""));
}

/// One payload with the same mistakes, written on each surface that carries payloads: one
/// checker judges them all, so each reads the same (the same codes, messages and places).
#[test]
fn every_surface_reads_a_payload_the_same() {
    let flows = Arc::new(fixture_flows());
    let schema = schema::bundled();
    let id = "0c6f3b1a-9d2e-4f5a-8b7c-1d2e3f4a5b6c";
    let code_payload =
        "{ url: 42, maxWords: 3, tags: [], options: { tone: \"t\", bulets: true }, sytle: \"x\" }";
    let json_payload = "{\"url\": 42, \"maxWords\": 3, \"tags\": [], \"options\": {\"tone\": \"t\", \"bulets\": true}, \"sytle\": \"x\"}";
    // What each diagnostic says, and the text it is on (quotes aside; the payload as a whole
    // is where it is sent from, which differs by surface).
    let read = |text: &str, found: Vec<flowql::base::diagnostic::Diagnostic>| {
        let mut out: Vec<(String, String, String)> = found
            .into_iter()
            .map(|d| {
                let at = text[d.range.clone()].trim_matches('"').to_string();
                let at = if at == "{" || at == "payload" {
                    "<payload>".into()
                } else {
                    at
                };
                (d.code.to_string(), at, d.message)
            })
            .collect();
        out.sort();
        out
    };
    let graphql = format!(
        "query {{ executeWorkflow(workflowId: \"{id}\", payload: {code_payload}) {{ status }} }}"
    );
    let in_graphql = read(
        &graphql,
        analyze_with_flows(&graphql, schema.clone(), flows.clone(), false).diagnostics,
    );
    let in_file = read(
        json_payload,
        flowql::checks::payloads::files::check(json_payload, id, &flows, false),
    );
    let variables = format!("{{\"payload\": {json_payload}}}");
    let operation = format!(
        "query Run($payload: JSON!) {{ executeWorkflow(workflowId: \"{id}\", payload: $payload) {{ status }} }}"
    );
    let in_variables = read(
        &variables,
        flowql::checks::payloads::files::check_variables(&variables, &operation, &flows, false),
    );
    let code = format!("await client.executeFlow(\"{id}\", {code_payload});\n");
    let fragments = flowql::checks::graphql::fragments::ProjectFragments::default();
    let inputs = flowql::checks::code::HostInputs {
        language: flowql::surfaces::code::HostLanguage::TypeScript,
        schema: schema.clone(),
        flows: flows.clone(),
        strict: false,
        project: &fragments,
        previous: None,
    };
    let in_code = read(
        &code,
        flowql::checks::code::analyze_host(&code, &inputs).diagnostics,
    );
    let codes: Vec<(&str, &str)> = in_graphql
        .iter()
        .map(|(c, at, _)| (c.as_str(), at.as_str()))
        .collect();
    assert_eq!(
        codes,
        [
            ("PAYLOAD_MISSING_FIELD", "<payload>"),
            ("PAYLOAD_MISSING_FIELD", "options"),
            ("PAYLOAD_TYPE_MISMATCH", "42"),
            ("PAYLOAD_UNKNOWN_FIELD", "bulets"),
            ("PAYLOAD_UNKNOWN_FIELD", "sytle"),
        ],
        "{in_graphql:#?}"
    );
    assert!(
        in_graphql[1]
            .2
            .contains("`bulets` is written: did you mean `bullets`?"),
        "{in_graphql:#?}"
    );
    assert_eq!(in_file, in_graphql, "a payload file");
    assert_eq!(in_variables, in_graphql, "a variables file");
    assert_eq!(in_code, in_graphql, "an SDK call");
}
