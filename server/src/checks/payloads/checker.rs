//! The one checker of flow calls: whichever surface a call came from, the flow's existence
//! and status, then the payload against the flow's input schema, with the payload quick fixes
//! (`locate`). See docs/ARCHITECTURE.md for how a surface hands its calls over.

use std::ops::Range;

use crate::base::catalog::Code;
use crate::base::diagnostic::Diagnostic;
use crate::checks::payloads::locate::{locate_all, nullable_leaves};
use crate::flows::registry::{Flow, FlowRegistry};
use crate::flows::validate::{validate, Segment};
use crate::surfaces::call::{from_sdk, CallSummary, CallTarget, FlowCall, PayloadTree};
use crate::surfaces::code::sdk_call::SdkCall;

/// Checks an SDK call and says what became of it.
pub fn check_sdk(
    text: &str,
    call: &SdkCall,
    flows: &FlowRegistry,
    strict: bool,
    out: &mut Vec<Diagnostic>,
) -> CallSummary {
    let flow_call = from_sdk(call, flows);
    let mut summary = check_call(
        text,
        flow_call,
        &call.method,
        call.range.clone(),
        strict,
        out,
    );
    summary.id_range = call.id_range.clone();
    summary
}

/// Checks a call (see [`check`]) and says what became of it: `method` is what runs it (an SDK
/// method, a GraphQL field) and `range` the whole call, for hovers and completion.
pub fn check_call(
    text: &str,
    call: FlowCall,
    method: &str,
    range: Range<usize>,
    strict: bool,
    out: &mut Vec<Diagnostic>,
) -> CallSummary {
    let (flow, checked) = check(text, &call, strict, out);
    CallSummary {
        method: method.to_string(),
        range,
        id_range: call.flow_at,
        flow,
        checked,
        near_miss: match &call.target {
            CallTarget::NearMiss { read, env_key } => Some((read.clone(), env_key.clone())),
            _ => None,
        },
        target: match call.target {
            CallTarget::Flow { flow, via } => Some((flow, via)),
            _ => None,
        },
        payload: call.payload.ok(),
    }
}

/// Checks one call: the flow, then its payload. `text` is the text the ranges are in.
pub fn check(
    text: &str,
    call: &FlowCall,
    strict: bool,
    out: &mut Vec<Diagnostic>,
) -> (Result<String, String>, bool) {
    let flow = match &call.target {
        CallTarget::Flow { flow, .. } => flow,
        CallTarget::NotFound { id, known, closest } => {
            let hint = closest
                .as_ref()
                .map(|c| format!("; did you mean `{c}`?"))
                .unwrap_or_default();
            let known = match known {
                1 => "the one flow this project knows".to_string(),
                n => format!("the {n} flows this project knows"),
            };
            out.push(Diagnostic::new(
                Code::FlowNotFound,
                call.flow_at.clone(),
                format!("no flow `{id}` among {known}{hint}"),
            ));
            return (Err(format!("no flow `{id}`")), false);
        }
        CallTarget::NearMiss { read, env_key } => {
            out.push(Diagnostic::new(
                Code::FlowStepMismatch,
                call.flow_at.clone(),
                format!(
                    "`{read}` is not the envKey of any step of lamatic.config, so it holds no flow id flowql knows of; did you mean `{env_key}`?"
                ),
            ));
            return (
                Err(format!("`{read}` is not an envKey; `{env_key}` is")),
                false,
            );
        }
        CallTarget::Outside { id, known } => {
            let known = match known {
                1 => "is not the one flow".to_string(),
                n => format!("is none of the {n} flows"),
            };
            out.push(Diagnostic::new(
                Code::FlowNotInProject,
                call.flow_at.clone(),
                format!("`{id}` {known} in this project's files, so the payload sent to it is not checked"),
            ));
            return (
                Err(format!(
                    "the id \"{id}\" is not among the flows this project has on disk"
                )),
                false,
            );
        }
        CallTarget::Unresolved(reason) => return (Err(reason.clone()), false),
    };
    if flow.is_inactive() {
        out.push(Diagnostic::new(
            Code::FlowInactive,
            call.flow_at.clone(),
            format!(
                "flow {} is inactive: the platform answers 404 until it is deployed",
                flow.label()
            ),
        ));
    }
    let Ok(payload) = &call.payload else {
        return (Ok(flow.label()), false);
    };
    out.extend(check_payload(text, payload, flow, strict));
    (Ok(flow.label()), true)
}

/// The payload against the flow's input schema: what is not known is not judged; a variable
/// is judged by its declared type.
pub fn check_payload(
    text: &str,
    payload: &PayloadTree,
    flow: &Flow,
    strict: bool,
) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    if !flow.input.is_valid(&payload.value) {
        let root = payload.values.get(&Vec::new()).cloned().unwrap_or(0..0);
        let root_brace = payload
            .root_at
            .clone()
            .unwrap_or(root.start..(root.start + 1).min(root.end));
        let under_unknown =
            |path: &[Segment]| (0..=path.len()).any(|n| payload.unknown.contains(&path[..n]));
        let judged = validate(&flow.input, &payload.value, strict)
            .into_iter()
            .filter(|problem| {
                // A key written out is known even when its value is not (`{ prompt }`): only
                // what is inside an unknown value goes unjudged.
                let maybe_there = problem.code == Code::PayloadMissingField
                    && payload.open.contains(&problem.path);
                !under_unknown(&problem.path) && !maybe_there
            });
        out = locate_all(judged, payload, &root_brace, flow, text);
    }
    nullable_leaves(&flow.input.input.schema, payload, &mut out);
    out
}
