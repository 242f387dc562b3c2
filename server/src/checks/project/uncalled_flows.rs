//! Flows of a kit that no code of the kit calls: a hint at the flow's trigger, from
//! `flowql check` once it has read every code file of the kit (a flow may well be run from
//! elsewhere, a scheduler or another app, so this is never more than a hint). Only flows with
//! an API Request trigger: chat, search, mail and webhook flows are run by their trigger.

use std::collections::HashSet;
use std::path::PathBuf;

use crate::base::catalog::Code;
use crate::base::diagnostic::Diagnostic;
use crate::flows::export::TriggerKind;
use crate::flows::registry::FlowRegistry;
use crate::surfaces::kit::Kit;

use crate::surfaces::call::CallSummary;

/// The hints of `kit`'s flow files, each with the file it is about, given every call of the
/// kit's code.
pub fn check(
    kit: &Kit,
    flows: &FlowRegistry,
    calls: &[&CallSummary],
) -> Vec<(PathBuf, Diagnostic)> {
    let called: HashSet<&str> = calls
        .iter()
        .filter_map(|c| c.target.as_ref().map(|(flow, _)| flow.id.as_str()))
        .collect();
    let mut found = Vec::new();
    for file in &kit.flows {
        let Some(flow) = flows.get(&file.key) else {
            continue;
        };
        if file.export.trigger != TriggerKind::ApiRequest || called.contains(flow.id.as_str()) {
            continue;
        }
        let env = kit
            .steps
            .steps
            .iter()
            .find(|s| s.id == file.key)
            .and_then(|s| s.env_key.as_ref())
            .map_or(String::new(), |(key, _)| {
                format!(" (no code reads `{key}`, its step's envKey)")
            });
        let name = flow.name.as_deref().unwrap_or(&file.key);
        found.push((
            file.file.clone(),
            Diagnostic::new(
                Code::FlowNotCalled,
                file.trigger_range.clone().unwrap_or(0..0),
                format!("no code of this project calls flow \"{name}\"{env}"),
            ),
        ));
    }
    found
}
