//! Checks that need every checked file of a project at once, run by `flowql check` once the
//! files are checked: [`crate::analysis::unread_steps`] given the calls of the checked files,
//! its diagnostics added to the configuration's when that is among them.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use super::check::{FileResult, Job};

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
        let checked: &[FileResult] = files;
        let calls: Vec<(&str, &crate::analysis::flow_call::CallSummary)> = members
            .iter()
            .flat_map(|&i| {
                let file = &checked[i];
                file.flow_calls
                    .iter()
                    .map(move |c| (file.display_path.as_str(), c))
            })
            .collect();
        let found = crate::analysis::unread_steps::check(kit, flows, &calls);
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
