//! A host file's analysis: each GraphQL literal analysed as a document of its own (with the
//! fragments of the file's other literals and of the project), its diagnostics and their fixes
//! moved into the host's offsets, and nothing reported that an interpolation may explain.

use std::collections::HashSet;
use std::sync::Arc;

use crate::base::catalog::Code;
use crate::base::diagnostic::Diagnostic;
use crate::checks::document::{analyze_in_project, Analysis, RegionAnalysis};
use crate::checks::graphql::fragments::{self, FragmentDef, ProjectFragments};
use crate::checks::payloads::checker;
use crate::flows::registry::FlowRegistry;
use crate::schema::ProjectSchema;
use crate::surfaces::code::literal_values::{QueryRef, VariablesLiteral};
use crate::surfaces::code::{HostLanguage, Placeholder, Region};

/// What the analysis of a host file needs.
pub struct HostInputs<'a> {
    pub language: HostLanguage,
    pub schema: Arc<ProjectSchema>,
    pub flows: Arc<FlowRegistry>,
    pub strict: bool,
    pub project: &'a ProjectFragments,
    /// The tree of the file's previous text, told of the edits since: re-parsed incrementally.
    pub previous: Option<&'a tree_sitter::Tree>,
}

/// Analyses every GraphQL literal of `text`.
pub fn analyze_host(text: &str, inputs: &HostInputs<'_>) -> Analysis {
    // Parsed once for the literals, the `variables` objects and the flow calls.
    let tree = crate::surfaces::code::parse_with(text, inputs.language, inputs.previous);
    let crate::surfaces::code::Scan {
        regions,
        variables,
        calls,
    } = match &tree {
        Some(tree) => crate::surfaces::code::scan(text, tree, inputs.language),
        None => crate::surfaces::code::Scan {
            regions: Vec::new(),
            variables: Vec::new(),
            calls: Vec::new(),
        },
    };
    let defined: Vec<Vec<Arc<FragmentDef>>> = regions
        .iter()
        .map(|r| {
            fragments::definitions_in(&r.text, None)
                .into_iter()
                .map(Arc::new)
                .collect()
        })
        .collect();
    let mut diagnostics = Vec::new();
    if tree.is_none()
        && !text.trim().is_empty()
        && text.len() <= crate::base::document::MAX_DOCUMENT_BYTES
    {
        diagnostics.push(
            Diagnostic::new(
                Code::DocumentTooComplex,
                0..0,
                format!(
                    "flowql gave up parsing this file after {} ms, so its GraphQL literals and flow calls are not checked; this is rare: please report the file",
                    crate::surfaces::code::parse_budget(text.len()).as_millis()
                ),
            )
            .with_severity(crate::base::catalog::Severity::Warning),
        );
    }
    let mut analysed = Vec::new();
    for (index, region) in regions.iter().enumerate() {
        // The file's other literals first (an interpolated fragment is usually one of them),
        // then the project's files.
        let others = defined
            .iter()
            .enumerate()
            .filter(|(i, _)| *i != index)
            .flat_map(|(_, defs)| defs.iter().cloned());
        let known = ProjectFragments::new(others.chain(inputs.project.iter().cloned()));
        let analysis = analyze_in_project(
            &region.text,
            inputs.schema.clone(),
            inputs.flows.clone(),
            inputs.strict,
            &known,
        );
        let unresolved = unresolved_interpolation(region, &regions);
        for d in &analysis.diagnostics {
            if explained_by_interpolation(d, region, unresolved) {
                continue;
            }
            diagnostics.push(shifted(d, region.range.start));
        }
        analysed.push(RegionAnalysis {
            start: region.range.start,
            text: region.text.clone(),
            analysis: Arc::new(analysis),
        });
    }
    let mut flow_calls: Vec<_> = calls
        .iter()
        .map(|call| checker::check_sdk(text, call, &inputs.flows, inputs.strict, &mut diagnostics))
        .collect();
    // The flow calls written in GraphQL literals count too, in the host's offsets (their
    // hovers are the literal's own analysis).
    for region in &analysed {
        flow_calls.extend(region.analysis.flow_calls.iter().map(|call| {
            let mut call = call.clone();
            call.range = call.range.start + region.start..call.range.end + region.start;
            call.id_range = call.id_range.start + region.start..call.id_range.end + region.start;
            call.payload = None;
            call
        }));
    }
    for literal in variables {
        diagnostics.extend(check_variables(
            text,
            tree.as_ref(),
            &literal,
            &regions,
            &analysed,
            inputs,
            &mut flow_calls,
        ));
    }
    diagnostics.sort_by_key(|d| (d.range.start, d.range.end));
    // A wrapper's callers share its flow id argument: a problem there is said once.
    let mut seen = HashSet::new();
    diagnostics.retain(|d| seen.insert((d.range.clone(), d.code, d.message.clone())));
    let empty = analyze_in_project(
        "",
        inputs.schema.clone(),
        inputs.flows.clone(),
        inputs.strict,
        &ProjectFragments::default(),
    );
    Analysis {
        diagnostics,
        regions: analysed,
        flow_calls,
        host_tree: tree,
        ..empty
    }
}

/// The `variables` object written beside a query: its values against the operation's variable
/// definitions, and a payload among them against its flow's input schema; a flow id among them
/// is followed in the code as an SDK call's is (`workflowId: process.env.X`, or a name bound to
/// it). Records each call it resolves in `calls` (in place of the query's own summary of it).
fn check_variables(
    text: &str,
    tree: Option<&tree_sitter::Tree>,
    literal: &VariablesLiteral,
    regions: &[Region],
    analysed: &[RegionAnalysis],
    inputs: &HostInputs<'_>,
    calls: &mut Vec<crate::surfaces::call::CallSummary>,
) -> Vec<Diagnostic> {
    let Some(index) = regions.iter().position(|r| match &literal.query {
        QueryRef::Binding(name) => r.binding.as_deref() == Some(name.as_str()),
        QueryRef::Inline(range) => &r.range == range,
    }) else {
        return Vec::new();
    };
    let ast = &analysed[index].analysis.ast;
    let mut operations = ast.definitions.iter().filter_map(|d| match d {
        apollo_compiler::ast::Definition::OperationDefinition(op) => Some(op),
        _ => None,
    });
    let (Some(operation), None) = (operations.next(), operations.next()) else {
        // None, or several (which one is sent depends on `operationName`).
        return Vec::new();
    };
    let declares = |key: &String| operation.variables.iter().any(|v| v.name == key.as_str());
    if literal.only_if_declared && !literal.values.keys().all(declares) {
        // A wrapper's options object, not its variables.
        return Vec::new();
    }
    let mut out = crate::checks::graphql::variable_values::check(
        &literal.values,
        operation,
        &inputs.schema.schema,
        literal.places(),
    );
    let python = inputs.language == HostLanguage::Python;
    // Which flow a variable of this object names: a string, or what the code gives it.
    let target_of = |name: &str| -> Option<crate::surfaces::call::CallTarget> {
        use crate::surfaces::code::sdk_call::FlowSource;
        let source = match literal.values.get(name)? {
            serde_json::Value::String(id) => FlowSource::Literal(id.clone()),
            _ => {
                let at = literal
                    .places()
                    .value(&[crate::flows::validate::Segment::Key(name.to_string())])?;
                let node = tree?
                    .root_node()
                    .descendant_for_byte_range(at.start, at.end)?;
                crate::surfaces::code::flow_calls::source_at(text, node, python)
            }
        };
        Some(crate::surfaces::call::resolve(&source, &inputs.flows))
    };
    // A query whose flow id is one of these variables, with its payload written in the query.
    let region = &analysed[index];
    let mut in_query = Vec::new();
    let resolved = crate::checks::payloads::graphql::check_variable_ids(
        &region.text,
        ast,
        inputs.strict,
        &target_of,
        &mut in_query,
    );
    let unresolved = unresolved_interpolation(&regions[index], regions);
    out.extend(
        in_query
            .iter()
            .filter(|d| !explained_by_interpolation(d, &regions[index], unresolved))
            .map(|d| shifted(d, region.start)),
    );
    for mut call in resolved {
        call.range = call.range.start + region.start..call.range.end + region.start;
        call.id_range = call.id_range.start + region.start..call.id_range.end + region.start;
        call.payload = None;
        // The query's own summary said the id was only known from its variables.
        match calls.iter_mut().find(|c| c.range == call.range) {
            Some(summary) => *summary = call,
            None => calls.push(call),
        }
    }
    // Each payload variable is a call to the flow its `workflowId` names: the one checker.
    for (payload, flow) in crate::surfaces::graphql::variable_payloads(ast) {
        let target = match flow {
            crate::surfaces::graphql::FlowRef::Literal(id) => crate::surfaces::call::resolve(
                &crate::surfaces::code::sdk_call::FlowSource::Literal(id),
                &inputs.flows,
            ),
            crate::surfaces::graphql::FlowRef::Variable(name) => match target_of(&name) {
                Some(target) => target,
                None => continue,
            },
        };
        let Some(tree) = literal.variable_tree(&payload) else {
            continue;
        };
        let tree = crate::surfaces::call::PayloadTree {
            quoted_keys: python,
            root_at: literal.key_range(&payload),
            ..tree.into()
        };
        let call = crate::surfaces::call::FlowCall {
            target,
            flow_at: literal.key_range(&payload).unwrap_or(0..0),
            payload: Ok(tree),
        };
        let range = call.flow_at.clone();
        calls.push(checker::check_call(
            text,
            call,
            "executeWorkflow",
            range,
            inputs.strict,
            &mut out,
        ));
    }
    out
}

/// Whether an interpolation outside values names nothing this file binds to a literal: it may
/// hold fragments flowql cannot see.
fn unresolved_interpolation(region: &Region, regions: &[Region]) -> bool {
    let bound: HashSet<&str> = regions
        .iter()
        .filter_map(|r| r.binding.as_deref())
        .collect();
    region.placeholders.iter().any(|(_, p)| match p {
        Placeholder::Other {
            binding: Some(name),
        } => !bound.contains(name.as_str()),
        Placeholder::Other { binding: None } => true,
        Placeholder::Value => false,
    })
}

/// Problems an interpolation may explain: any at a value placeholder (its value is unknown),
/// and unknown fragments when an interpolation could bring them.
fn explained_by_interpolation(d: &Diagnostic, region: &Region, unresolved: bool) -> bool {
    let at_value = region.placeholders.iter().any(|(range, p)| {
        *p == Placeholder::Value
            && d.range.start < range.end
            && range.start < d.range.end.max(d.range.start + 1)
    });
    at_value || (unresolved && d.code == Code::UnknownFragment)
}

/// A diagnostic of a literal in the host's offsets (its fixes too).
fn shifted(d: &Diagnostic, by: usize) -> Diagnostic {
    let mut moved = d.clone();
    moved.range = d.range.start + by..d.range.end + by;
    for fix in &mut moved.fixes {
        for edit in &mut fix.edits {
            edit.range = edit.range.start + by..edit.range.end + by;
        }
    }
    moved
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_wrapper_s_variables_are_checked_and_its_options_are_not() {
        use crate::checks::graphql::fragments::ProjectFragments;
        let none = ProjectFragments::default();
        let inputs = HostInputs {
            language: HostLanguage::TypeScript,
            schema: crate::checks::document::testing::library(),
            flows: Default::default(),
            strict: false,
            project: &none,
            previous: None,
        };
        let codes = |text: &str| -> Vec<crate::base::catalog::Code> {
            analyze_host(text, &inputs)
                .diagnostics
                .iter()
                .map(|d| d.code)
                .collect()
        };
        let query = "const Q = gql`query Q($id: ID!) { book(id: $id) { title } }`;\n";
        // Variables straight after the query: a missing required one is the 400 it would be.
        assert_eq!(
            codes(&format!("{query}request(Q, {{ id: 1, first: 2 }});")),
            [] as [crate::base::catalog::Code; 0],
            "a key the operation does not declare: maybe options, not judged"
        );
        assert_eq!(
            codes(&format!("{query}request(Q, {{ id: {{ a: 1 }} }});")),
            [crate::base::catalog::Code::VariableValueInvalid]
        );
        // Apollo's style: the options' `variables`.
        assert_eq!(
            codes(&format!(
                "{query}useQuery(Q, {{ variables: {{}}, skip: false }});"
            )),
            [crate::base::catalog::Code::VariableValueMissing]
        );
        // Options alone: nothing.
        assert!(codes(&format!(
            "{query}useQuery(Q, {{ fetchPolicy: \"no-cache\" }});"
        ))
        .is_empty());
    }
}
