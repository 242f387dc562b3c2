//! Steps of a project's `lamatic.config` that no code calls while code reads an environment
//! variable one slip from the step's `envKey`: a diagnostic at the `envKey`, since either name
//! may be the misspelt one (the call has its own warning in the code). Needs every call of the
//! project at once: `flowql check` gives the files it checked, the editor the project's code
//! files as saved, overlaid with the open ones.

use std::collections::{BTreeSet, HashSet};

use crate::base::catalog::Code;
use crate::base::diagnostic::Diagnostic;
use crate::flows::registry::FlowRegistry;
use crate::surfaces::kit::Kit;

use crate::surfaces::call::CallSummary;

/// The diagnostics of `kit`'s configuration file, from the calls of its code: `calls` gives
/// each call with the name its file is shown by.
pub fn check<'a>(
    kit: &Kit,
    flows: &FlowRegistry,
    calls: &[(&'a str, &'a CallSummary)],
) -> Vec<Diagnostic> {
    let called: HashSet<&str> = calls
        .iter()
        .filter_map(|(_, c)| c.target.as_ref().map(|(flow, _)| flow.id.as_str()))
        .collect();
    let mut found = Vec::new();
    for step in &kit.steps.steps {
        let Some((env_key, range)) = &step.env_key else {
            continue;
        };
        if flows
            .by_env(env_key)
            .is_some_and(|flow| called.contains(flow.id.as_str()))
        {
            continue;
        }
        let readers: BTreeSet<String> = calls
            .iter()
            .filter_map(|(file, c)| match &c.near_miss {
                Some((read, key)) if key == env_key => Some(format!("`{read}` in {file}")),
                _ => None,
            })
            .collect();
        if readers.is_empty() {
            continue;
        }
        found.push(Diagnostic::new(
            Code::FlowStepMismatch,
            range.clone(),
            format!(
                "no code of this project reads `{env_key}`, the envKey of step \"{}\", but code reads {}: one of the two names is misspelt",
                step.id,
                readers.into_iter().collect::<Vec<_>>().join(", ")
            ),
        ));
    }
    found
}
