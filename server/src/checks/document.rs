//! The check of one GraphQL document: each rule family once, in the order `analyze_in_project`
//! shows, then the fixes. Pure functions: no protocol types, no I/O.

use std::sync::Arc;

use apollo_compiler::ast;
use apollo_compiler::executable::ExecutableDocument;

use crate::base::catalog::Code;
use crate::base::diagnostic::Diagnostic;
use crate::base::document::MAX_DOCUMENT_BYTES;
use crate::checks::deprecation;
use crate::checks::graphql::fragments::ProjectFragments;
use crate::checks::graphql::{fixes, refine, suggest};
use crate::checks::payloads;
use crate::checks::platform_rules;
use crate::flows::registry::FlowRegistry;
use crate::schema::ProjectSchema;

/// Everything known about one version of a document: kept so that hovers need no re-analysis.
pub struct Analysis {
    pub schema: Arc<ProjectSchema>,
    pub ast: ast::Document,
    pub executable: ExecutableDocument,
    /// Sorted by position.
    pub diagnostics: Vec<Diagnostic>,
    /// The project's flows, for hovers on payloads and flow ids.
    pub flows: Arc<FlowRegistry>,
    /// For a host file (JavaScript, TypeScript, Python): the analysis of each GraphQL literal
    /// in it; `diagnostics` above are theirs, in the host's offsets.
    pub regions: Vec<RegionAnalysis>,
    /// The calls that run a flow (GraphQL fields; in a host file, its SDK calls and the
    /// payloads of its `variables` objects), resolved or not.
    pub flow_calls: Vec<crate::surfaces::call::CallSummary>,
    /// For a host file: its syntax tree, kept for the next edit's incremental re-parse.
    pub host_tree: Option<tree_sitter::Tree>,
}

/// The analysis of one GraphQL literal of a host file.
pub struct RegionAnalysis {
    /// Where its text starts in the host file (byte offset).
    pub start: usize,
    /// Its GraphQL text (interpolations replaced), as long as the literal's content.
    pub text: String,
    pub analysis: Arc<Analysis>,
}

impl Analysis {
    /// The literal of a host file that holds `offset` (its end included: the cursor after the
    /// last character is still in it).
    pub fn region_at(&self, offset: usize) -> Option<&RegionAnalysis> {
        self.regions
            .iter()
            .find(|r| r.start <= offset && offset <= r.start + r.text.len())
    }
}

/// At most this many diagnostics are reported for one document: past it the first ones (by
/// position) are kept and one more says how many are not shown. No editor shows thousands
/// usefully, and each costs time to place and to fix.
pub const MAX_DIAGNOSTICS: usize = 500;

/// Keeps the first [`MAX_DIAGNOSTICS`] (by position) and says how many more there were (with
/// `already` left out before); returns how many are left out in all. The note is added only
/// when something is left out, and counts itself out of the cap.
pub fn cap_diagnostics(diagnostics: &mut Vec<Diagnostic>, already: usize) -> usize {
    diagnostics.retain(|d| !is_cap_note(d));
    let over = diagnostics.len().saturating_sub(MAX_DIAGNOSTICS);
    let omitted = already + over;
    if over > 0 {
        diagnostics.sort_by_key(|d| (d.range.start, d.range.end));
        diagnostics.truncate(MAX_DIAGNOSTICS);
    }
    if omitted > 0 {
        diagnostics.push(
            Diagnostic::new(
                Code::DocumentTooComplex,
                0..0,
                format!("{omitted} more problems in this document are not shown: flowql reports the first {MAX_DIAGNOSTICS} of a document; fix these and the rest appear"),
            )
            .with_severity(crate::base::catalog::Severity::Warning),
        );
    }
    omitted
}

/// In position order (then code), each diagnostic once.
fn sort_and_dedup(diagnostics: &mut Vec<Diagnostic>) {
    diagnostics.sort_by(|a, b| {
        (a.range.start, a.range.end, a.code.as_str()).cmp(&(
            b.range.start,
            b.range.end,
            b.code.as_str(),
        ))
    });
    diagnostics.dedup();
}

fn is_cap_note(d: &Diagnostic) -> bool {
    d.code == Code::DocumentTooComplex
        && d.message
            .contains("more problems in this document are not shown")
}

/// Parses and validates `text` against `schema`, then applies the platform's rules.
pub fn analyze(text: &str, schema: Arc<ProjectSchema>) -> Analysis {
    analyze_with_flows(text, schema, Arc::default(), false)
}

/// [`analyze`], and the inline payloads checked against the flows' input schemas.
pub fn analyze_with_flows(
    text: &str,
    schema: Arc<ProjectSchema>,
    flows: Arc<FlowRegistry>,
    strict: bool,
) -> Analysis {
    analyze_in_project(text, schema, flows, strict, &ProjectFragments::default())
}

/// [`analyze_with_flows`], knowing the fragments that the project's other documents define.
pub fn analyze_in_project(
    text: &str,
    schema: Arc<ProjectSchema>,
    flows: Arc<FlowRegistry>,
    strict: bool,
    fragments: &ProjectFragments,
) -> Analysis {
    if text.len() > MAX_DOCUMENT_BYTES {
        let message = format!(
            "document is {:.1} MB; flowql checks GraphQL documents up to {} MB, so this one was not checked",
            text.len() as f64 / 1_048_576.0,
            MAX_DOCUMENT_BYTES / 1_048_576
        );
        let validated = crate::checks::graphql::validate::parse_and_validate("", &schema.schema);
        return Analysis {
            schema,
            ast: validated.ast,
            executable: validated.executable,
            diagnostics: vec![Diagnostic::new(Code::DocumentTooComplex, 0..0, message)
                .with_severity(crate::base::catalog::Severity::Warning)],
            flows,
            regions: Vec::new(),
            flow_calls: Vec::new(),
            host_tree: None,
        };
    }
    let validated =
        crate::checks::graphql::validate::parse_and_validate_with(text, &schema.schema, fragments);
    if is_blank(text) {
        // A new, empty file is not a request: no "unexpected end of input" while typing starts.
        return Analysis {
            schema,
            ast: validated.ast,
            executable: validated.executable,
            diagnostics: Vec::new(),
            flows,
            regions: Vec::new(),
            flow_calls: Vec::new(),
            host_tree: None,
        };
    }
    // The document's own file: fragments of others, added for validation, have theirs.
    let own_file = validated.ast.sources.keys().last().copied();

    // 1. Diagnostics, each rule family once, in this order.
    //    GraphQL's rules (validated above), their ranges narrowed and cascades dropped.
    let mut diagnostics = validated.diagnostics;
    let has_operations = validated
        .ast
        .definitions
        .iter()
        .any(|d| matches!(d, ast::Definition::OperationDefinition(_)));
    if !has_operations {
        // A file of fragments alone is never sent as it is: other documents spread them.
        diagnostics.retain(|d| d.code != Code::UnusedFragment);
    }
    refine::apply(&validated.ast, &mut diagnostics);
    //    Payloads of the flow calls, against the flows' input schemas.
    let flow_calls =
        payloads::graphql::check(text, &validated.ast, &flows, strict, &mut diagnostics);
    //    The platform's rules, which replace the generic findings they explain better.
    platform_rules::apply(&validated.ast, &mut diagnostics);
    //    Deprecations.
    deprecation::check(
        &validated.executable,
        &schema.schema,
        own_file,
        &mut diagnostics,
    );

    // 2. The first MAX_DIAGNOSTICS by position, each once: advice is looked up per diagnostic.
    sort_and_dedup(&mut diagnostics);
    let omitted = cap_diagnostics(&mut diagnostics, 0);

    // 3. Advice on what is kept, in one pass: "did you mean" and what to select in the
    //    messages, the bundled schema's caveat, then the quick fixes (which read the
    //    suggestions).
    suggest::apply(&validated.ast, &schema.schema, &mut diagnostics);
    suggest::explain_missing_selections(
        &validated.executable,
        own_file,
        &schema.schema,
        &mut diagnostics,
    );
    platform_rules::caveat_bundled(&schema.schema, schema.is_bundled(), &mut diagnostics);
    fixes::apply(
        &fixes::Inputs {
            text,
            ast: &validated.ast,
            executable: &validated.executable,
            schema: &schema.schema,
            fields: &suggest::FieldIndex::new(&validated.executable, own_file),
        },
        &mut diagnostics,
    );
    sort_and_dedup(&mut diagnostics);
    cap_diagnostics(&mut diagnostics, omitted);
    Analysis {
        schema,
        ast: validated.ast,
        executable: validated.executable,
        diagnostics,
        flows,
        regions: Vec::new(),
        flow_calls,
        host_tree: None,
    }
}

/// Only white space and comments.
fn is_blank(text: &str) -> bool {
    text.lines().all(|line| {
        let line = line.trim_start_matches(['\u{feff}', ' ', '\t', '\r', ',']);
        line.is_empty() || line.starts_with('#')
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::base::catalog::Severity;
    use crate::schema::bundled;

    #[test]
    fn thousands_of_problems_are_capped_and_said_so() {
        // 20,000 aliases of one field, each with an unknown argument, on one line: every
        // lookup per diagnostic used to scan the whole document (minutes in a debug build).
        let fields: Vec<String> = (0..20_000)
            .map(|i| format!("f{i}: checkStatus(requestId: \"x\", bad{i}: 1)"))
            .collect();
        let text = format!("query Q {{ {} }}", fields.join(" "));
        let analysis = analyze(&text, bundled());
        assert_eq!(analysis.diagnostics.len(), MAX_DIAGNOSTICS + 1);
        let note = analysis.diagnostics.last().unwrap();
        assert_eq!(note.code, Code::DocumentTooComplex);
        assert_eq!(note.severity, Severity::Warning);
        assert!(
            note.message.starts_with("19500 more problems"),
            "{}",
            note.message
        );
        assert!(analysis.diagnostics[..MAX_DIAGNOSTICS]
            .iter()
            .all(|d| d.code == Code::UnknownArgument));
        // Below the cap, nothing is left out and nothing is said.
        let few = format!("query Q {{ {} }}", fields[..300].join(" "));
        assert_eq!(analyze(&few, bundled()).diagnostics.len(), 300);
    }

    #[test]
    fn deep_nesting_is_a_diagnostic_not_a_stack_overflow() {
        for text in [
            "{".repeat(100_000),
            format!(
                "query {{ checkStatus(requestId: {}) }}",
                "[".repeat(100_000)
            ),
            format!("query {}", "{ a ".repeat(50_000)),
        ] {
            let analysis = analyze(&text, bundled());
            assert!(!analysis.diagnostics.is_empty());
            assert!(analysis
                .diagnostics
                .iter()
                .all(|d| d.range.end <= text.len()));
        }
    }

    #[test]
    fn oversized_document_gets_one_warning() {
        let text = "# padding\n".repeat(MAX_DOCUMENT_BYTES / 10 + 1);
        let analysis = analyze(&text, bundled());
        assert_eq!(analysis.diagnostics.len(), 1);
        assert_eq!(analysis.diagnostics[0].code, Code::DocumentTooComplex);
        assert_eq!(analysis.diagnostics[0].severity, Severity::Warning);
        assert!(analysis.diagnostics[0].message.contains("MB"));
    }

    #[test]
    fn blank_and_comment_only_documents_are_quiet() {
        for text in ["", "\n\n", "# just a note\r\n  # another\n"] {
            assert!(analyze(text, bundled()).diagnostics.is_empty(), "{text:?}");
        }
    }

    #[test]
    fn binary_garbage_does_not_panic() {
        let text: String = (0..5_000u32)
            .filter_map(|i| char::from_u32((i * 7919) % 0x11_0000))
            .collect();
        let analysis = analyze(&text, bundled());
        assert!(!analysis.diagnostics.is_empty());
    }
}

/// What the core's tests share: a schema with every kind of type, and `$0` fixtures.
#[cfg(test)]
pub(crate) mod testing {
    use std::sync::Arc;

    use crate::schema::{from_sdl, ProjectSchema, SchemaSource};

    pub const LIBRARY_SDL: &str = include_str!("../../../tests/fixtures/library/schema.graphql");

    /// The library schema (enums, inputs, an interface, a union, deprecations, a directive).
    pub fn library() -> Arc<ProjectSchema> {
        let schema = from_sdl(&[(LIBRARY_SDL, "schema.graphql")], SchemaSource::Bundled);
        assert!(schema.problems.is_empty(), "{:?}", schema.problems);
        Arc::new(schema)
    }

    /// The text without its `$0` marker, and the marker's byte offset.
    pub fn cursor(fixture: &str) -> (String, usize) {
        let offset = fixture.find("$0").expect("the fixture has a $0 cursor");
        (fixture.replacen("$0", "", 1), offset)
    }
}
