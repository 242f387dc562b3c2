//! A document's check against what [`Resolved`] says applies to it: the surface it is
//! (GraphQL, code, a payload or variables file, a file of the platform's layout) picks the
//! analysis, and the problems the platform's layout found in the file join its diagnostics.

use std::path::Path;

use crate::checks::graphql::fragments::ProjectFragments;
use crate::surfaces::kit::Kit;
use crate::workspace::resolved::Resolved;

/// Analyses one document for its resolved project: the one entry point of the server and
/// `flowql check`, so a diagnostic looks the same in both.
pub fn check_document(text: &str, resolved: &Resolved) -> crate::checks::document::Analysis {
    check_document_with(text, resolved, &ProjectFragments::default())
}

/// [`check_document`], with the fragments the project's other documents define.
pub fn check_document_with(
    text: &str,
    resolved: &Resolved,
    fragments: &ProjectFragments,
) -> crate::checks::document::Analysis {
    check_document_incremental(text, resolved, fragments, None)
}

/// [`check_document_with`], for a code file whose previous syntax tree (told of the edits
/// since) is at hand: it is re-parsed incrementally. The result's `host_tree` is the new tree.
pub fn check_document_incremental(
    text: &str,
    resolved: &Resolved,
    fragments: &ProjectFragments,
    previous: Option<&tree_sitter::Tree>,
) -> crate::checks::document::Analysis {
    if let Some(operation) = &resolved.variables_of {
        let mut analysis = crate::checks::document::analyze_with_flows(
            "",
            resolved.schema.clone(),
            resolved.flows.clone(),
            resolved.strict,
        );
        let operation = std::fs::read_to_string(operation).unwrap_or_default();
        (analysis.diagnostics, analysis.flow_calls) =
            crate::checks::payloads::files::check_variables_file(
                text,
                &operation,
                &resolved.flows,
                resolved.strict,
            );
        analysis
            .diagnostics
            .extend(crate::checks::payloads::files::check_variable_values(
                text,
                &operation,
                &resolved.schema.schema,
            ));
        analysis
            .diagnostics
            .sort_by_key(|d| (d.range.start, d.range.end));
        return analysis;
    }
    if resolved
        .file
        .as_deref()
        .is_some_and(crate::surfaces::kit::env_files::is_env_file)
    {
        // `.env`, `.env.example`: a project's variables, with their own problems only.
        let mut analysis = crate::checks::document::analyze("", resolved.schema.clone());
        analysis.diagnostics = kit_problems(resolved, text);
        return analysis;
    }
    let kit_config = resolved.host.is_none()
        && resolved
            .file
            .as_deref()
            .and_then(Path::file_name)
            .and_then(|n| n.to_str())
            .is_some_and(|n| n.starts_with("lamatic.config."));
    if kit_config {
        // `lamatic.config.yaml`: the platform's configuration, with its own problems only.
        let mut analysis = crate::checks::document::analyze("", resolved.schema.clone());
        analysis.diagnostics = kit_problems(resolved, text);
        return analysis;
    }
    if resolved.is_schema {
        // A schema file matched by `documents`: type definitions, not an operation.
        return crate::checks::document::analyze("", resolved.schema.clone());
    }
    if resolved.is_json && resolved.payload_flow.is_none() {
        // A JSON file no `payloads` glob maps to a flow: not ours to judge (a flow file of the
        // platform's layout has its own problems).
        let mut analysis = crate::checks::document::analyze("", resolved.schema.clone());
        analysis.diagnostics = kit_problems(resolved, text);
        return analysis;
    }
    if let Some(flow) = &resolved.payload_flow {
        let mut analysis = crate::checks::document::analyze_with_flows(
            "",
            resolved.schema.clone(),
            resolved.flows.clone(),
            resolved.strict,
        );
        let (diagnostics, call) = crate::checks::payloads::files::check_file(
            text,
            flow,
            &resolved.flows,
            resolved.strict,
        );
        analysis.diagnostics = diagnostics;
        analysis.flow_calls.extend(call);
        return analysis;
    }
    let mut analysis = match resolved.host {
        Some(language) => crate::checks::code::analyze_host(
            text,
            &crate::checks::code::HostInputs {
                language,
                schema: resolved.schema.clone(),
                flows: resolved.flows.clone(),
                strict: resolved.strict,
                project: fragments,
                previous,
            },
        ),
        None => crate::checks::document::analyze_in_project(
            text,
            resolved.schema.clone(),
            resolved.flows.clone(),
            resolved.strict,
            fragments,
        ),
    };
    if resolved.host.is_some() {
        let own = kit_problems(resolved, text);
        if !own.is_empty() {
            analysis.diagnostics.extend(own);
            analysis
                .diagnostics
                .sort_by_key(|d| (d.range.start, d.range.end));
        }
    }
    if let Some(reason) = &resolved.fallback_reason {
        analysis.diagnostics.insert(
            0,
            crate::base::diagnostic::Diagnostic::new(
                crate::base::catalog::Code::SchemaLoadFailed,
                0..0,
                reason.clone(),
            ),
        );
    }
    analysis
}

/// The problems the platform's layout found in this very file (its `lamatic.config`, a flow
/// file), where they are; ranges past the text (an older version on disk) are clamped.
fn kit_problems(resolved: &Resolved, text: &str) -> Vec<crate::base::diagnostic::Diagnostic> {
    let (Some(kit), Some(file)) = (&resolved.kit, &resolved.file) else {
        return Vec::new();
    };
    kit_problems_of(kit, file, text)
}

/// The problems `kit` found in `file`, placed in `text` (the file as it is now), in order.
pub fn kit_problems_of(
    kit: &Kit,
    file: &Path,
    text: &str,
) -> Vec<crate::base::diagnostic::Diagnostic> {
    let mut found: Vec<crate::base::diagnostic::Diagnostic> = kit
        .problems
        .iter()
        .filter(|p| p.file == file)
        .map(|p| {
            let end = p.range.end.min(text.len());
            let start = p.range.start.min(end);
            let fits = text.is_char_boundary(start) && text.is_char_boundary(end);
            let range = if fits { start..end } else { 0..0 };
            crate::base::diagnostic::Diagnostic::new(p.code, range, p.message.clone())
                .with_severity(p.severity)
        })
        .collect();
    found.sort_by_key(|d| (d.range.start, d.range.end));
    found
}
