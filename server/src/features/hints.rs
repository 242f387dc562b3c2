//! Inlay hints for flow calls: after each flow id flowql resolved, the name of the flow it runs
//! (and `async` / `inactive` when so), since in code a flow is a UUID or an environment variable.

use std::ops::Range;

use crate::surfaces::call::CallSummary;

/// One hint: its label, shown at `at` (the end of the flow id), and what its tooltip says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FlowHint {
    pub at: usize,
    pub label: String,
    pub tooltip: String,
}

/// The hints of the calls whose flow id ends within `within`, in order. A literal id that is
/// already the flow's name (a step id named like its flow) gets none: it would say it twice.
pub fn hints(calls: &[CallSummary], text: &str, within: Range<usize>) -> Vec<FlowHint> {
    let mut out: Vec<FlowHint> = calls
        .iter()
        .filter(|c| within.start <= c.id_range.end && c.id_range.end <= within.end)
        .filter_map(|call| {
            let (flow, via) = call.target.as_ref()?;
            let name = flow.name.as_deref().unwrap_or(&flow.id);
            let written = text.get(call.id_range.clone())?;
            if written.trim_matches(['"', '\'', '`']) == name {
                return None;
            }
            let mut label = name.to_string();
            if flow.response_mode.as_deref() == Some("async") {
                label.push_str(" · async");
            }
            if flow.is_inactive() {
                label.push_str(" · inactive");
            }
            Some(FlowHint {
                at: call.id_range.end,
                label,
                tooltip: format!("Runs flow {}, found from {via}", flow.label()),
            })
        })
        .collect();
    out.sort_by_key(|h| h.at);
    out.dedup();
    out
}
