//! A kit-shaped project whose `.env` points at the fake platform, for the tests of running
//! flows from the command line and from the editor.

use std::path::PathBuf;

use super::cli::temp_dir;
use super::fake_platform::{
    FakePlatform, API_KEY, ASYNC_FLOW, ENDLESS_FLOW, FAILING_FLOW, PROJECT_ID, REALTIME_FLOW,
    REJECTING_FLOW,
};
use super::kit_cli::{flow_module, kit_config, write};

pub const SCHEMA: &str = r#"{"url": "string", "maxWords": "int"}"#;

/// A kit whose `.env` points at `fake`: steps `summarize` (realtime), `research` (async),
/// `draft` (fails), `intake` (rejects its input) and `forever` (never ends), each with a flow
/// declaring `SCHEMA`; `app/route.ts` calls `summarize` and `research` with literal payloads.
pub fn kit(name: &str, fake: &FakePlatform) -> PathBuf {
    let dir = temp_dir(&format!("run-{name}"));
    let steps = [
        ("summarize", "SUMMARIZE_FLOW_ID", REALTIME_FLOW),
        ("research", "RESEARCH_FLOW_ID", ASYNC_FLOW),
        ("draft", "DRAFT_FLOW_ID", FAILING_FLOW),
        ("intake", "INTAKE_FLOW_ID", REJECTING_FLOW),
        ("forever", "FOREVER_FLOW_ID", ENDLESS_FLOW),
    ];
    let config: Vec<(&str, &str)> = steps.iter().map(|(id, env, _)| (*id, *env)).collect();
    write(&dir, "lamatic.config.ts", &kit_config(&config));
    let mut env = format!(
        "LAMATIC_API_URL=http://{}\nLAMATIC_PROJECT_ID={PROJECT_ID}\nLAMATIC_API_KEY={API_KEY}\n",
        fake.addr
    );
    for (id, key, flow) in steps {
        write(&dir, &format!("flows/{id}.ts"), &flow_module(id, SCHEMA));
        env.push_str(&format!("{key}={flow}\n"));
    }
    write(&dir, ".env", &env);
    write(
        &dir,
        "app/route.ts",
        "import { Lamatic } from \"lamatic\";\nconst client = new Lamatic({ endpoint: process.env.LAMATIC_API_URL!, projectId: process.env.LAMATIC_PROJECT_ID!, apiKey: process.env.LAMATIC_API_KEY! });\n\nexport async function summary() {\n  return client.executeFlow(process.env.SUMMARIZE_FLOW_ID!, { url: \"https://a.example/post\", maxWords: 50 });\n}\n\nexport async function research(topic: string) {\n  return client.executeFlow(process.env.RESEARCH_FLOW_ID!, { url: \"https://b.example\", maxWords: 200 });\n}\n\nexport async function guess(topic: string) {\n  return client.executeFlow(process.env.SUMMARIZE_FLOW_ID!, { url: topic, maxWords: 10 });\n}\n\nexport async function wrong() {\n  return client.executeFlow(process.env.SUMMARIZE_FLOW_ID!, { url: \"https://c.example\", maxWords: \"many\" });\n}\n",
    );
    dir
}
