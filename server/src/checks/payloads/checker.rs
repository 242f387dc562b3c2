//! A call to a flow, whatever surface it was written in: which flow it runs (and how that was
//! found) and its payload as a value tree with ranges. One checker turns it into diagnostics:
//! the flow's existence and status, then the payload against the flow's input schema, with the
//! payload quick fixes. Code's SDK calls come here; see docs/ARCHITECTURE.md for how a surface
//! hands its calls over.

use std::collections::{HashMap, HashSet};
use std::ops::Range;
use std::sync::Arc;

use serde_json::Value as Json;

use crate::base::catalog::Code;
use crate::base::diagnostic::Diagnostic;
use crate::checks::payloads::locate::{locate_all, nullable_leaves};
use crate::flows::registry::{Flow, FlowRegistry};
use crate::flows::validate::{validate, value_at, Segment};
use crate::surfaces::code::flow_calls::{FlowSource, PayloadArg, SdkCall};
use crate::surfaces::code::literal_values::ValueTree;

/// A payload as a value tree: the value (unknown parts `null`), where each key and value is in
/// the text, and which parts are not known.
#[derive(Debug, Clone, Default)]
pub struct PayloadTree {
    pub value: Json,
    pub keys: HashMap<Vec<Segment>, Range<usize>>,
    pub values: HashMap<Vec<Segment>, Range<usize>>,
    /// Values only known at run time (expressions): their problems are not reported.
    pub unknown: HashSet<Vec<Segment>>,
    /// Objects that may have more keys than written (a spread): nothing is missing there.
    pub open: HashSet<Vec<Segment>>,
    /// Keys are written quoted (JSON) rather than as names (code, GraphQL).
    pub quoted_keys: bool,
    /// Where problems of the whole payload (a missing top-level field) go: the name it is
    /// sent under (a `payload` key), or else its opening brace.
    pub root_at: Option<Range<usize>>,
    /// Values that are GraphQL variables (`{ topic: $topic }`): judged by their declared type.
    pub leaves: HashMap<Vec<Segment>, TypedLeaf>,
}

/// A value of the payload known only by its declared type: a GraphQL variable.
#[derive(Debug, Clone)]
pub struct TypedLeaf {
    /// The variable's name, without `$`.
    pub name: String,
    /// Its type as declared (`String!`).
    pub ty: String,
    pub non_null: bool,
    /// `JSON` or another type that says nothing of the value: anything goes.
    pub opaque: bool,
}

impl From<ValueTree> for PayloadTree {
    fn from(tree: ValueTree) -> Self {
        PayloadTree {
            value: tree.value,
            keys: tree.places.keys,
            values: tree.places.values,
            unknown: tree.places.unknown,
            open: tree.places.open,
            quoted_keys: false,
            root_at: None,
            leaves: HashMap::new(),
        }
    }
}

/// Which flow a call runs.
#[derive(Clone)]
pub enum CallTarget {
    /// Found, with how (`process.env.SETUP_FLOW_ID, the envKey of step "setup"`).
    Flow { flow: Arc<Flow>, via: String },
    /// A literal id that no flow of the project has: the id, how many flows the project has,
    /// and the closest id of theirs.
    NotFound {
        id: String,
        known: usize,
        closest: Option<String>,
    },
    /// An environment variable that no step names, close to one that a step does: the name
    /// read and the step's `envKey`.
    NearMiss { read: String, env_key: String },
    /// A literal id that none of the project's flows on disk has, where those are known not
    /// to be all its flows (deployed ids live on the platform): the id and how many it has.
    Outside { id: String, known: usize },
    /// Not known from the code, and why.
    Unresolved(String),
}

/// One call, as every surface hands it to the checker.
pub struct FlowCall {
    pub target: CallTarget,
    /// Where problems about the flow itself go (the flow id as written).
    pub flow_at: Range<usize>,
    /// The payload, when its value is written out; `Err` says why it is not judged.
    pub payload: Result<PayloadTree, String>,
}

/// What became of one call: for `flowql check`'s counts, `flowql status`, and the hovers and
/// completion of the editor.
#[derive(Clone)]
pub struct CallSummary {
    pub method: String,
    pub range: Range<usize>,
    /// The flow id argument.
    pub id_range: Range<usize>,
    /// The flow's label when resolved, else why not.
    pub flow: Result<String, String>,
    /// The payload was checked against the flow's input schema.
    pub checked: bool,
    /// The flow and how it was found, when resolved.
    pub target: Option<(Arc<Flow>, String)>,
    /// The payload, when written out.
    pub payload: Option<PayloadTree>,
    /// The environment variable read for the flow id when no step names it but one names a
    /// near-identical one: (read, the step's `envKey`).
    pub near_miss: Option<(String, String)>,
}

/// Maps what the code says about a flow id to a flow of the registry.
pub fn resolve(source: &FlowSource, flows: &FlowRegistry) -> CallTarget {
    match source {
        FlowSource::Literal(id) => match flows.get(id) {
            Some(flow) => CallTarget::Flow {
                flow: flow.clone(),
                via: format!("the id \"{id}\""),
            },
            None if flows.is_configured() && !flows.incomplete => CallTarget::NotFound {
                id: id.clone(),
                known: flows.len(),
                closest: crate::checks::graphql::suggest::closest(
                    id,
                    flows.flows().map(|f| f.id.as_str()),
                ),
            },
            None if !flows.is_empty() => CallTarget::Outside {
                id: id.clone(),
                known: flows.len(),
            },
            None => CallTarget::Unresolved(format!(
                "the id \"{id}\" is not among the flows this project has on disk"
            )),
        },
        FlowSource::Env(name) => match flows.by_env(name).or_else(|| flows.get(name)) {
            Some(flow) => CallTarget::Flow {
                flow: flow.clone(),
                via: format!("`{name}`, the envKey of its step"),
            },
            None => match crate::checks::graphql::suggest::closest(name, flows.env_names()) {
                Some(env_key) => CallTarget::NearMiss {
                    read: name.clone(),
                    env_key: env_key.to_string(),
                },
                None => CallTarget::Unresolved(format!(
                    "`{name}` is not the envKey of any step of the project"
                )),
            },
        },
        FlowSource::Name(name) => match flows.by_step_or_env(name) {
            Some(flow) => CallTarget::Flow {
                flow: flow.clone(),
                via: format!("\"{name}\", passed to the helper that looks it up"),
            },
            None => CallTarget::Unresolved(format!(
                "\"{name}\" is neither a step id nor an envKey of the project"
            )),
        },
        FlowSource::Any(options) => {
            let targets: Vec<CallTarget> = options.iter().map(|o| resolve(o, flows)).collect();
            let found = targets
                .iter()
                .find(|t| matches!(t, CallTarget::Flow { .. } | CallTarget::NotFound { .. }))
                .or_else(|| {
                    targets
                        .iter()
                        .find(|t| matches!(t, CallTarget::NearMiss { .. }))
                });
            match found {
                Some(target) => target.clone(),
                None => targets
                    .into_iter()
                    .next()
                    .unwrap_or(CallTarget::Unresolved("nothing to resolve".into())),
            }
        }
        FlowSource::All(options) => {
            let targets: Vec<CallTarget> = options.iter().map(|o| resolve(o, flows)).collect();
            let mut ids = targets.iter().map(|t| match t {
                CallTarget::Flow { flow, .. } => Some(flow.id.clone()),
                _ => None,
            });
            let first = ids.next().flatten();
            match first {
                Some(id) if ids.all(|other| other.as_ref() == Some(&id)) => {
                    let CallTarget::Flow { flow, via } = &targets[0] else {
                        unreachable!("the first target resolved")
                    };
                    CallTarget::Flow {
                        flow: flow.clone(),
                        via: format!("{via}, by every caller"),
                    }
                }
                _ => CallTarget::Unresolved(
                    "the callers of the function pass different or unknown flows".into(),
                ),
            }
        }
        FlowSource::Unknown(reason) => CallTarget::Unresolved(reason.clone()),
    }
}

/// An SDK call as a flow call.
pub fn from_sdk(call: &SdkCall, flows: &FlowRegistry) -> FlowCall {
    FlowCall {
        target: resolve(&call.flow, flows),
        flow_at: call.id_range.clone(),
        payload: match &call.payload {
            PayloadArg::Literal(tree) => Ok(PayloadTree {
                quoted_keys: call.quoted_keys,
                ..(**tree).clone().into()
            }),
            PayloadArg::Opaque(reason) => Err(reason.clone()),
        },
    }
}

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

/// The flow a call resolved to, when `offset` is on that call's flow id.
pub fn flow_at(calls: &[CallSummary], offset: usize) -> Option<&Arc<Flow>> {
    calls
        .iter()
        .filter(|c| inside(&c.id_range, offset))
        .find_map(|c| c.target.as_ref().map(|(flow, _)| flow))
}

fn inside(range: &Range<usize>, offset: usize) -> bool {
    range.start <= offset && offset <= range.end
}

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

/// Completion of payload keys inside a call's object literal: the fields of the flow's input
/// at that depth that are not written yet, at a key's position only.
pub fn completion(
    calls: &[CallSummary],
    text: &str,
    offset: usize,
) -> Vec<crate::features::completion::payload::Item> {
    let Some(call) = calls.iter().find(|c| inside(&c.range, offset)) else {
        return Vec::new();
    };
    let (Some((flow, _)), Some(payload)) = (&call.target, &call.payload) else {
        return Vec::new();
    };
    // The innermost object of the payload around the cursor (inside its braces).
    let object = payload
        .values
        .iter()
        .filter(|(path, r)| {
            r.start < offset
                && offset < r.end
                && value_at(&payload.value, path).is_some_and(Json::is_object)
        })
        .max_by_key(|(path, _)| path.len());
    let Some((path, _)) = object else {
        return Vec::new();
    };
    if !at_key_position(text, offset) {
        return Vec::new();
    }
    let present: Vec<String> = value_at(&payload.value, path)
        .and_then(Json::as_object)
        .map(|o| o.keys().cloned().collect())
        .unwrap_or_default();
    crate::features::completion::payload::fields(flow, path, &present, payload.quoted_keys)
}

/// Whether the cursor is where a key is written: after `{` or `,`, and the start of a name or
/// a quoted name, not after a `:`.
fn at_key_position(text: &str, offset: usize) -> bool {
    let Some(before) = text.get(..offset) else {
        return false;
    };
    let trimmed = before.trim_end_matches(|c: char| {
        c.is_alphanumeric() || c == '_' || c == '$' || c == '"' || c == '\''
    });
    matches!(trimmed.trim_end().chars().next_back(), Some('{' | ','))
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
