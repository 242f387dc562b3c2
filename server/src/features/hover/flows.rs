//! Hover on flows and their input fields, on any surface: a call's flow id (the flow, how it was
//! found, or why it is not known), a payload key of a call, and a key of a payload file.

use std::ops::Range;

use crate::flows::registry::FlowRegistry;
use crate::surfaces::call::{inside, CallSummary};

/// Hover on a flow call: on its flow id, the flow (how it was found, its inputs, what it
/// returns) or, unless `resolved_only`, why flowql cannot tell; on a payload key, the field.
pub fn hover(
    calls: &[CallSummary],
    offset: usize,
    resolved_only: bool,
) -> Option<(Range<usize>, String)> {
    let call = calls.iter().find(|c| inside(&c.range, offset))?;
    if inside(&call.id_range, offset) && !(resolved_only && call.target.is_none()) {
        let text = match (&call.target, &call.flow) {
            (Some((flow, via)), _) => format!(
                "{}\n\nRun by `{}`; the flow is found through {via}.",
                crate::features::hover::flow_text::flow_markdown(flow),
                call.method
            ),
            (None, Err(reason)) => format!(
                "**Flow not known here**\n\nflowql cannot tell which flow this `{}` runs: {reason}. Its payload is not checked.",
                call.method
            ),
            (None, Ok(label)) => format!("**Flow {label}**"),
        };
        return Some((call.id_range.clone(), text));
    }
    let (flow, _) = call.target.as_ref()?;
    let payload = call.payload.as_ref()?;
    let (path, range) = payload.keys.iter().find(|(_, r)| inside(r, offset))?;
    crate::features::hover::flow_text::field_hover(flow, path).map(|text| (range.clone(), text))
}

/// Hover on a key of a payload file: the field's type, whether it is required, its description
/// and the flow.
pub fn in_payload_file(
    text: &str,
    flow_id: &str,
    flows: &FlowRegistry,
    offset: usize,
) -> Option<(Range<usize>, String)> {
    let flow = flows.get(flow_id)?;
    let (path, range) = crate::surfaces::json::key_path_at(text, offset)?;
    crate::features::hover::flow_text::field_hover(flow, &path).map(|markdown| (range, markdown))
}
