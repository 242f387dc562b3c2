//! Tests of finding flow calls in code and following their flow ids and payloads.

use crate::surfaces::code::flow_calls::calls_in;
use crate::surfaces::code::sdk_call::{FlowSource, PayloadArg, SdkCall};
use crate::surfaces::code::syntax::HostLanguage;

fn calls(text: &str, language: HostLanguage) -> Vec<SdkCall> {
    let tree = crate::surfaces::code::syntax::parse(text, language).expect("parses");
    calls_in(text, &tree, language)
}

fn sources(text: &str, language: HostLanguage) -> Vec<FlowSource> {
    calls(text, language).into_iter().map(|c| c.flow).collect()
}

fn env(name: &str) -> FlowSource {
    FlowSource::Env(name.to_string())
}

#[test]
fn every_form_of_flow_id_in_typescript() {
    let text = r#"
const SETUP = process.env.SETUP_FLOW_ID!;
const either = process.env.A_FLOW || process.env["B_FLOW"];
export async function go(client: any, kit: any) {
  await client.executeFlow("3f1c2a9e-0b7d-4c55-9a51-2a7f0c1d9e44", {});
  await client.executeFlow(SETUP, {});
  await lamatic.executeFlow(either, {});
  await getLamaticClient().executeFlow(import.meta.env.VITE_FLOW, {});
  await client.executeFlow(requireFlowId("debate-setup"), {});
  await client.executeFlow(process.env[kit.steps.find((s) => s.id === "judge").envKey], {});
  await client.executeAgent(`agent-1`, {});
  await client.executeFlow(process.env[name], {});
  await client.executeFlow(makeId(), {});
}
"#;
    let found = sources(text, HostLanguage::TypeScript);
    assert_eq!(found.len(), 9, "{found:?}");
    assert_eq!(
        found[0],
        FlowSource::Literal("3f1c2a9e-0b7d-4c55-9a51-2a7f0c1d9e44".into())
    );
    assert_eq!(found[1], env("SETUP_FLOW_ID"));
    assert_eq!(
        found[2],
        FlowSource::Any(vec![env("A_FLOW"), env("B_FLOW")])
    );
    assert_eq!(found[3], env("VITE_FLOW"));
    assert_eq!(
        found[4],
        FlowSource::Any(vec![FlowSource::Name("debate-setup".into())])
    );
    assert_eq!(
        found[5],
        FlowSource::Any(vec![FlowSource::Name("judge".into())])
    );
    assert_eq!(found[6], FlowSource::Literal("agent-1".into()));
    assert!(matches!(&found[7], FlowSource::Unknown(why) if why.contains("computed")));
    assert!(matches!(&found[8], FlowSource::Unknown(why) if why.contains("makeId()")));
}

#[test]
fn a_lookup_by_step_id_through_the_config() {
    let text = r#"const id = kit.steps.find((s) => s.id === "judge").envKey;
client.executeFlow(process.env[id] ?? "", {});
client.executeFlow(flows["setup"], {});"#;
    let found = sources(text, HostLanguage::JavaScript);
    assert_eq!(
        found[0],
        FlowSource::Any(vec![
            FlowSource::Any(vec![FlowSource::Name("judge".into())]),
            FlowSource::Literal(String::new())
        ])
    );
    assert_eq!(
        found[1],
        FlowSource::Any(vec![FlowSource::Name("setup".into())])
    );
}

#[test]
fn a_property_of_a_config_object() {
    let text = r#"
const FLOWS = { setup: process.env.SETUP_FLOW_ID, "judge": "3f1c2a9e-0b7d-4c55-9a51-2a7f0c1d9e44" } as const;
client.executeFlow(FLOWS.setup, {});
client.executeFlow(FLOWS["judge"], {});
client.executeFlow(FLOWS.other, {});
"#;
    let found = sources(text, HostLanguage::TypeScript);
    assert_eq!(found[0], env("SETUP_FLOW_ID"));
    assert_eq!(
        found[1],
        FlowSource::Literal("3f1c2a9e-0b7d-4c55-9a51-2a7f0c1d9e44".into())
    );
    assert!(
        matches!(&found[2], FlowSource::Unknown(_)),
        "{:?}",
        found[2]
    );
    let python = r#"FLOWS = {"triage": os.environ["TRIAGE_FLOW_ID"]}
client.execute_flow(FLOWS["triage"], {})
"#;
    assert_eq!(
        sources(python, HostLanguage::Python)[0],
        env("TRIAGE_FLOW_ID")
    );
}

#[test]
fn a_wrapper_is_a_call_per_caller_with_the_callers_flow_and_payload() {
    let text = r#"
async function run(flowId: string, input: object) {
  return client.executeFlow(flowId, input);
}
const ask = (id) => client.executeFlow(id, { q: 1 });
export const a = () => run(process.env.ONE_FLOW, { x: 1 });
export const b = () => run(FLOWS.two, payload);
function lonely(id) { return client.executeFlow(id, {}); }
const FLOWS = { two: process.env.TWO_FLOW || "" };
const payload = { y: 2 };
function setup(input) { return client.executeFlow(process.env.SETUP_FLOW, input); }
setup({ topic: "t" });
setup(...args);
"#;
    let found = calls(text, HostLanguage::TypeScript);
    let summary: Vec<(&str, String, &str)> = found
        .iter()
        .map(|c| {
            let payload = match &c.payload {
                PayloadArg::Literal(tree) => tree.value.to_string(),
                PayloadArg::Opaque(why) => format!("opaque: {why}"),
            };
            (c.method.as_str(), payload, &text[c.id_range.clone()])
        })
        .collect();
    assert_eq!(
        summary,
        [
            (
                "executeFlow through `run`",
                r#"{"x":1}"#.to_string(),
                "process.env.ONE_FLOW"
            ),
            (
                "executeFlow through `run`",
                r#"{"y":2}"#.to_string(),
                "FLOWS.two"
            ),
            ("executeFlow", r#"{"q":1}"#.to_string(), "id"),
            ("executeFlow", "{}".to_string(), "id"),
            (
                "executeFlow through `setup`",
                r#"{"topic":"t"}"#.to_string(),
                "process.env.SETUP_FLOW"
            ),
            (
                "executeFlow through `setup`",
                "opaque: this call of `setup` gives no `input`".to_string(),
                "process.env.SETUP_FLOW"
            ),
        ]
    );
    assert_eq!(found[0].flow, env("ONE_FLOW"));
    assert_eq!(
        &text[found[0].range.clone()],
        "run(process.env.ONE_FLOW, { x: 1 })"
    );
    assert_eq!(
        found[1].flow,
        FlowSource::Any(vec![env("TWO_FLOW"), FlowSource::Literal(String::new())])
    );
    assert!(
        matches!(&found[2].flow, FlowSource::Unknown(why) if why.contains("nothing in this file calls")),
        "{:?}",
        found[2].flow
    );
    assert!(matches!(&found[3].flow, FlowSource::Unknown(why) if why.contains("`lonely`")));
    assert_eq!(found[4].flow, env("SETUP_FLOW"));
    // Python callers may name the arguments.
    let python = r#"
def run(flow_id, payload):
    return client.execute_flow(flow_id, payload)

run(payload={"a": 1}, flow_id=os.environ["ONE"])
"#;
    let found = calls(python, HostLanguage::Python);
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].flow, env("ONE"));
    assert!(
        matches!(&found[0].payload, PayloadArg::Literal(t) if t.value == serde_json::json!({"a": 1}))
    );
}

#[test]
fn names_bound_later_in_a_block_or_assigned_twice_are_not_trusted() {
    let text = r#"
function f() {
  client.executeFlow(early, {});
  const early = process.env.LATE;
  let twice = process.env.FIRST;
  twice = process.env.SECOND;
  client.executeFlow(twice, {});
  const loop1 = loop2; const loop2 = loop1;
  client.executeFlow(loop1, {});
}
"#;
    let found = sources(text, HostLanguage::TypeScript);
    assert!(
        matches!(&found[0], FlowSource::Unknown(_)),
        "{:?}",
        found[0]
    );
    assert!(matches!(&found[1], FlowSource::Unknown(why) if why.contains("more than once")));
    assert!(
        matches!(&found[2], FlowSource::Unknown(_)),
        "{:?}",
        found[2]
    );
}

#[test]
fn payloads_literal_bound_changed_or_opaque() {
    let text = r#"
const shared = { topic: "t" };
async function go(extra: object) {
  const payload = { topic: "t", n: 1, ...extra };
  await client.executeFlow("f", payload);
  const changed = { topic: "t" };
  changed.n = 2;
  await client.executeFlow("f", changed);
  await client.executeFlow("f", { topic } as const);
  await client.executeFlow("f", shared);
  await client.executeFlow("f", buildPayload());
  await client.executeFlow("f");
}
"#;
    let found = calls(text, HostLanguage::TypeScript);
    let literal = |i: usize| match &found[i].payload {
        PayloadArg::Literal(tree) => Some((**tree).clone()),
        PayloadArg::Opaque(_) => None,
    };
    let first = literal(0).expect("a bound literal");
    assert_eq!(first.value["n"], 1);
    assert!(
        first.places.open.contains(&Vec::new()),
        "a spread makes it open"
    );
    assert!(matches!(&found[1].payload, PayloadArg::Opaque(why) if why.contains("changed")));
    let shorthand = literal(2).expect("as const is a literal");
    assert!(shorthand.places.unknown.iter().any(|p| p.len() == 1));
    assert!(literal(3).is_some(), "a module-level binding");
    assert!(matches!(&found[4].payload, PayloadArg::Opaque(why) if why.contains("buildPayload()")));
    assert!(matches!(&found[5].payload, PayloadArg::Opaque(why) if why.contains("no payload")));
}

#[test]
fn python_calls_positional_and_keyword() {
    let text = r#"
import os
FLOW = os.getenv("TRIAGE_FLOW_ID") or os.environ.get("OTHER_FLOW")

def go(ticket):
    client.execute_flow(FLOW, {"ticket": ticket, "priority": 2})
    payload = {"ticket": ticket}
    payload["priority"] = 3
    client.execute_flow(flow_id=os.environ["TRIAGE_FLOW_ID"], payload=payload)
    kept = {"ticket": ticket}
    return client.async_execute_flow(os.environ['TRIAGE_FLOW_ID'], kept)
"#;
    let found = calls(text, HostLanguage::Python);
    assert_eq!(found.len(), 3);
    assert_eq!(
        found[0].flow,
        FlowSource::Any(vec![env("TRIAGE_FLOW_ID"), env("OTHER_FLOW")])
    );
    assert!(matches!(&found[0].payload, PayloadArg::Literal(t) if t.value["priority"] == 2));
    assert_eq!(found[1].flow, env("TRIAGE_FLOW_ID"));
    assert!(matches!(&found[1].payload, PayloadArg::Opaque(why) if why.contains("changed")));
    assert_eq!(found[2].method, "async_execute_flow");
    assert!(matches!(&found[2].payload, PayloadArg::Literal(_)));
}

#[test]
fn other_methods_and_strings_are_not_calls() {
    let text = r#"
client.execute("executeFlow", {});
const s = "client.executeFlow(id, {})";
executeFlowLater(id, {});
"#;
    assert!(calls(text, HostLanguage::JavaScript).is_empty());
}

/// A seeded generator (no dependency, reproducible from the seed in a failure).
struct Lcg(u64);

impl Lcg {
    fn below(&mut self, n: usize) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        ((self.0 >> 33) as usize) % n.max(1)
    }
}

#[test]
fn an_incremental_reparse_gives_the_tree_and_the_calls_of_a_full_parse() {
    use crate::base::document::{Change, Document, Encoding, Position};
    let start = "const id = process.env.FLOW_ID;\nexport async function go(t: string) {\n  return client.executeFlow(id, { topic: t, n: 1 });\n}\n// é 😀 done\n";
    let pieces = [
        "x",
        "\n",
        "{",
        "}",
        "'é'",
        "😀",
        ", n: 2",
        "executeFlow(",
        ")",
        "\r\n",
        "// c\n",
        "",
    ];
    for seed in 0..40u64 {
        let mut random = Lcg(seed);
        let mut doc = Document::new(start, 1);
        let mut tree =
            crate::surfaces::code::syntax::parse(start, HostLanguage::TypeScript).unwrap();
        for step in 0..60 {
            let text = doc.text();
            let lines = text.split('\n').count() as u32;
            let line = random.below(lines as usize) as u32;
            let character = random.below(12) as u32;
            let length = random.below(4) as u32;
            let change = Change {
                range: Some((
                    Position::new(line, character),
                    Position::new(line, character + length),
                )),
                text: pieces[random.below(pieces.len())].to_string(),
            };
            let (_, edits) = doc.apply_changes_tracked(step + 2, &[change], Encoding::Utf16);
            for edit in &edits {
                crate::surfaces::code::syntax::edit_tree(&mut tree, edit);
            }
            let text = doc.text();
            let incremental = crate::surfaces::code::syntax::parse_with(
                &text,
                HostLanguage::TypeScript,
                Some(&tree),
            )
            .unwrap();
            let full =
                crate::surfaces::code::syntax::parse(&text, HostLanguage::TypeScript).unwrap();
            assert_eq!(
                incremental.root_node().to_sexp(),
                full.root_node().to_sexp(),
                "seed {seed}, step {step}: {text:?}"
            );
            let ours = calls_in(&text, &incremental, HostLanguage::TypeScript);
            let theirs = calls_in(&text, &full, HostLanguage::TypeScript);
            assert_eq!(
                ours.iter()
                    .map(|c| (c.range.clone(), c.flow.clone()))
                    .collect::<Vec<_>>(),
                theirs
                    .iter()
                    .map(|c| (c.range.clone(), c.flow.clone()))
                    .collect::<Vec<_>>(),
                "seed {seed}, step {step}"
            );
            tree = incremental;
        }
    }
}
