//! A call to a flow, whatever surface it was written in: which flow it runs (and how that was
//! found), its payload as a value tree with ranges, and what became of it once checked
//! (`CallSummary`). Every surface produces these; `checks::payloads::checker` judges them.

use std::collections::{HashMap, HashSet};
use std::ops::Range;
use std::sync::Arc;

use serde_json::Value as Json;

use crate::flows::registry::{Flow, FlowRegistry};
use crate::flows::validate::Segment;
use crate::surfaces::code::literal_values::ValueTree;
use crate::surfaces::code::sdk_call::{FlowSource, PayloadArg, SdkCall};

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
                closest: crate::base::spelling::closest(id, flows.flows().map(|f| f.id.as_str())),
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
            None => match crate::base::spelling::closest(name, flows.env_names()) {
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

/// The flow a call resolved to, when `offset` is on that call's flow id.
pub fn flow_at(calls: &[CallSummary], offset: usize) -> Option<&Arc<Flow>> {
    calls
        .iter()
        .filter(|c| inside(&c.id_range, offset))
        .find_map(|c| c.target.as_ref().map(|(flow, _)| flow))
}

pub fn inside(range: &Range<usize>, offset: usize) -> bool {
    range.start <= offset && offset <= range.end
}
