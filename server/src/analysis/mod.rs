//! Analysis of one GraphQL document against a schema: pure functions, no protocol types, no I/O.

pub mod graphql;
pub mod hover;
pub mod platform_rules;
pub mod refine;

use std::ops::Range;
use std::sync::Arc;

use apollo_compiler::ast;
use apollo_compiler::executable::ExecutableDocument;
use apollo_compiler::parser::SourceSpan;

use crate::diagnostic::Diagnostic;
use crate::schema::ProjectSchema;

/// Everything known about one version of a document: kept so that hovers need no re-analysis.
pub struct Analysis {
    pub schema: Arc<ProjectSchema>,
    pub ast: ast::Document,
    pub executable: ExecutableDocument,
    /// Sorted by position.
    pub diagnostics: Vec<Diagnostic>,
}

/// Parses and validates `text` against `schema`, then applies the platform's rules.
pub fn analyze(text: &str, schema: Arc<ProjectSchema>) -> Analysis {
    let validated = graphql::parse_and_validate(text, &schema.schema);
    if is_blank(text) {
        // A new, empty file is not a request: no "unexpected end of input" while typing starts.
        return Analysis {
            schema,
            ast: validated.ast,
            executable: validated.executable,
            diagnostics: Vec::new(),
        };
    }
    let mut diagnostics = validated.diagnostics;
    refine::apply(&validated.ast, &mut diagnostics);
    platform_rules::apply(
        &validated.ast,
        &schema.schema,
        schema.is_bundled(),
        &mut diagnostics,
    );
    diagnostics.sort_by(|a, b| {
        (a.range.start, a.range.end, a.code.as_str()).cmp(&(
            b.range.start,
            b.range.end,
            b.code.as_str(),
        ))
    });
    diagnostics.dedup();
    Analysis {
        schema,
        ast: validated.ast,
        executable: validated.executable,
        diagnostics,
    }
}

/// The byte range of a location, or an empty range at 0 when apollo-compiler has none.
pub(crate) fn span(location: Option<SourceSpan>) -> Range<usize> {
    location.map_or(0..0, |s| s.offset()..s.end_offset())
}

/// Only white space and comments.
fn is_blank(text: &str) -> bool {
    text.lines().all(|line| {
        let line = line.trim_start_matches(['\u{feff}', ' ', '\t', '\r', ',']);
        line.is_empty() || line.starts_with('#')
    })
}
