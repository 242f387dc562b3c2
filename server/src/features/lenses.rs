//! Code lenses for flows: above each resolved flow call, what the flow is ("Debate setup ·
//! 3 inputs · realtime"); above a kit flow file's trigger, how many calls of the kit's code run
//! it, or that none does.

use std::ops::Range;
use std::sync::Arc;

use crate::flows::dialect::Dialect;
use crate::flows::registry::Flow;
use crate::surfaces::call::CallSummary;

/// A lens over a call: where it starts, its title, and the flow it opens.
#[derive(Clone)]
pub struct CallLens {
    pub at: Range<usize>,
    pub title: String,
    pub flow: Arc<Flow>,
}

/// What a flow takes and how it answers, in a few words.
pub fn flow_title(flow: &Flow) -> String {
    let name = flow.name.as_deref().unwrap_or(&flow.id);
    let input = &flow.input.input;
    let count = input.fields.len();
    let inputs = match (input.dialect, count) {
        (Dialect::Implicit, 0) => "no input schema".to_string(),
        (Dialect::Inferred, 1) => "1 input read".to_string(),
        (Dialect::Inferred, n) => format!("{n} inputs read"),
        (_, 1) => "1 input".to_string(),
        (_, n) => format!("{n} inputs"),
    };
    let mut title = format!("{name} · {inputs}");
    match flow.response_mode.as_deref() {
        Some("async") => title.push_str(" · async"),
        Some("realtime") => title.push_str(" · realtime"),
        _ => {}
    }
    if flow.is_inactive() {
        title.push_str(" · inactive");
    }
    title
}

/// The lenses of a document's resolved calls, one per call, in order.
pub fn call_lenses(calls: &[CallSummary]) -> Vec<CallLens> {
    let mut lenses: Vec<CallLens> = calls
        .iter()
        .filter_map(|call| {
            let (flow, _) = call.target.as_ref()?;
            Some(CallLens {
                at: call.range.start..call.range.start,
                title: flow_title(flow),
                flow: flow.clone(),
            })
        })
        .collect();
    lenses.sort_by_key(|l| l.at.start);
    // A wrapper's callers are calls of their own; one call site is one lens.
    lenses.dedup_by(|a, b| a.at == b.at && a.flow.id == b.flow.id);
    lenses
}

/// The title over a flow file's trigger, from the number of calls that run the flow.
pub fn calls_title(count: usize) -> String {
    match count {
        0 => "not called in this project".to_string(),
        1 => "1 call".to_string(),
        n => format!("{n} calls"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::flows::dialect::{FieldInfo, InputSchema};
    use crate::flows::export::TriggerKind;
    use crate::flows::validate::CompiledInput;

    fn flow(dialect: Dialect, fields: &[&str], mode: Option<&str>, status: Option<&str>) -> Flow {
        Flow {
            id: "f-1".into(),
            name: Some("Debate setup".into()),
            status: status.map(str::to_string),
            trigger: TriggerKind::ApiRequest,
            response_mode: mode.map(str::to_string),
            input: CompiledInput::new(InputSchema {
                dialect,
                schema: serde_json::json!({ "type": "object" }),
                fields: fields
                    .iter()
                    .map(|name| FieldInfo {
                        name: name.to_string(),
                        type_label: "string".into(),
                        required: true,
                        description: None,
                    })
                    .collect(),
                problems: Vec::new(),
            }),
            outputs: Vec::new(),
            origin: "flows/debate-setup.ts".into(),
            trigger_at: None,
            deployed_id: None,
            env_key: None,
        }
    }

    #[test]
    fn a_flows_title_says_its_inputs_and_how_it_answers() {
        let three = flow(
            Dialect::TypeMap,
            &["topic", "rounds", "audience"],
            Some("realtime"),
            None,
        );
        assert_eq!(flow_title(&three), "Debate setup · 3 inputs · realtime");
        let one = flow(
            Dialect::JsonSchema,
            &["topic"],
            Some("async"),
            Some("inactive"),
        );
        assert_eq!(
            flow_title(&one),
            "Debate setup · 1 input · async · inactive"
        );
        let none = flow(Dialect::Implicit, &[], None, None);
        assert_eq!(flow_title(&none), "Debate setup · no input schema");
        let read = flow(Dialect::Inferred, &["topic", "transcript"], None, None);
        assert_eq!(flow_title(&read), "Debate setup · 2 inputs read");
    }

    #[test]
    fn a_flow_files_title_counts_its_calls() {
        assert_eq!(calls_title(0), "not called in this project");
        assert_eq!(calls_title(1), "1 call");
        assert_eq!(calls_title(4), "4 calls");
    }
}
