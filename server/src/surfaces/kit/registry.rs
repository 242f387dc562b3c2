//! A kit's flows as a registry: each flow file under its file name, each step's `envKey`
//! pointing at its flow, the ids `.env` gives as aliases.

use crate::flows::registry::{Flow, FlowRegistry};
use crate::surfaces::kit::Kit;

/// The flows of a project in the platform's layout: each flow file under its file name,
/// each step's `envKey` pointing at its flow, and the ids `.env` gives them as aliases.
/// Deployed ids live on the platform, so an id not known here is not flagged.
pub fn registry(kit: &Kit) -> FlowRegistry {
    let mut registry = FlowRegistry::of_deployed_project();
    for file in &kit.flows {
        let mut export = file.export.clone();
        if export.name.is_none() {
            export.name = Some(file.key.clone());
        }
        let real_id = export.id.take();
        // The flow files are not in `files`: their problems are diagnostics of their own
        // analysis (they are code), not published beside it.
        let mut flow = Flow::from_export(file.key.clone(), export, &file.file);
        flow.trigger_at = file.trigger_range.clone();
        let step = kit.steps.steps.iter().find(|s| s.id == file.key);
        flow.env_key = step
            .and_then(|s| s.env_key.as_ref())
            .map(|(k, _)| k.clone());
        flow.deployed_id = flow
            .env_key
            .as_deref()
            .and_then(|k| kit.env.real_value(k))
            .map(str::to_string)
            .or_else(|| step.and_then(|s| s.workflow_id.clone()))
            .or_else(|| real_id.clone());
        if let Some(id) = real_id {
            registry.add_alias(id, file.key.clone());
        }
        registry.add(flow);
    }
    for step in &kit.steps.steps {
        // A step's flow file is `flows/<step id>.*`.
        if registry.has_key(&step.id) {
            if let Some((key, _)) = &step.env_key {
                registry.add_env_name(key.clone(), step.id.clone());
                if let Some(value) = kit.env.real_value(key) {
                    registry.add_alias(value.to_string(), step.id.clone());
                }
            }
            if let Some(id) = &step.workflow_id {
                registry.add_alias(id.clone(), step.id.clone());
            }
        }
    }
    registry
}
