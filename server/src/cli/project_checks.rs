//! Checks that need every checked file of a project at once, run by `flowql check` once the
//! files are checked: a step of `lamatic.config` whose flow no code calls, while code reads an
//! environment variable whose name is one slip from the step's `envKey`. (The call itself has
//! its own warning in the code, in the editor too; this one points at the other end, since
//! either name may be the misspelt one.)

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

use super::check::{FileResult, Job};
use crate::catalog::Code;
use crate::diagnostic::Diagnostic;

/// Adds the project-wide diagnostics to the files they are about (`files[i]` is `jobs[i]`'s).
pub(super) fn apply(jobs: &[Job], files: &mut [FileResult]) {
    // The checked files of each kit, by its root.
    let mut kits: HashMap<&Path, Vec<usize>> = HashMap::new();
    for (i, job) in jobs.iter().enumerate() {
        if let Some(kit) = &job.resolved.kit {
            kits.entry(kit.root.as_path()).or_default().push(i);
        }
    }
    for members in kits.values() {
        let job = &jobs[members[0]];
        let (Some(kit), flows) = (&job.resolved.kit, &job.resolved.flows) else {
            continue;
        };
        let Some(config) = kit.config_file.as_deref() else {
            continue;
        };
        let calls = || {
            members
                .iter()
                .flat_map(|&i| files[i].flow_calls.iter().map(move |c| (i, c)))
        };
        let called: HashSet<&str> = calls()
            .filter_map(|(_, c)| c.target.as_ref().map(|(flow, _)| flow.id.as_str()))
            .collect();
        let mut found = Vec::new();
        for step in &kit.steps.steps {
            let Some((env_key, range)) = &step.env_key else {
                continue;
            };
            if flows
                .by_env(env_key)
                .is_some_and(|flow| called.contains(flow.id.as_str()))
            {
                continue;
            }
            let readers: Vec<String> = calls()
                .filter_map(|(i, c)| match &c.near_miss {
                    Some((read, key)) if key == env_key => {
                        Some(format!("`{read}` in {}", files[i].display_path))
                    }
                    _ => None,
                })
                .collect::<std::collections::BTreeSet<_>>()
                .into_iter()
                .collect();
            if readers.is_empty() {
                continue;
            }
            found.push(Diagnostic::new(
                Code::FlowStepMismatch,
                range.clone(),
                format!(
                    "no code of this project reads `{env_key}`, the envKey of step \"{}\", but code reads {}: one of the two names is misspelt",
                    step.id,
                    readers.join(", ")
                ),
            ));
        }
        if found.is_empty() {
            continue;
        }
        // Only now, and only for files named like it, is a path resolved on disk.
        let config = canonical(config);
        let config_at = members.iter().copied().find(|&i| {
            jobs[i].path.file_name() == config.file_name() && canonical(&jobs[i].path) == config
        });
        // The configuration may not be among the files checked: nothing to attach to then.
        if let Some(config_at) = config_at {
            let diagnostics = &mut files[config_at].diagnostics;
            diagnostics.extend(found);
            diagnostics.sort_by_key(|d| (d.range.start, d.range.end));
        }
    }
}

fn canonical(path: &Path) -> PathBuf {
    std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf())
}
