//! Checks that need every checked file of a project at once, run by `flowql check` once the
//! files are checked: [`crate::checks::project::unread_steps`] given the calls of the checked files,
//! its diagnostics added to the configuration's when that is among them, and, when every code
//! file of a kit was checked, [`crate::checks::project::uncalled_flows`]'s hints in its flow files.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

use super::checked::{FileResult, Job};

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
        // The walk of the kit's code files only where a flow could get a hint.
        if !kit.flows.is_empty()
            && all_code_checked(&kit.root, members.iter().map(|&i| jobs[i].path.as_path()))
        {
            let calls = kit_calls(files, members);
            let every: Vec<_> = calls.iter().map(|(_, c)| *c).collect();
            let hints = crate::checks::project::uncalled_flows::check(kit, flows, &every);
            attach_each(jobs, members, files, hints);
        }
        let calls = kit_calls(files, members);
        let found = crate::checks::project::unread_steps::check(kit, flows, &calls);
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

/// The calls of a kit's checked files, each with the name its file is shown by.
fn kit_calls<'a>(
    files: &'a [FileResult],
    members: &[usize],
) -> Vec<(&'a str, &'a crate::surfaces::call::CallSummary)> {
    members
        .iter()
        .flat_map(|&i| {
            let file = &files[i];
            file.flow_calls
                .iter()
                .map(move |c| (file.display_path.as_str(), c))
        })
        .collect()
}

/// Whether the checked files include every code file of the kit at `root`: only then does no
/// call of a flow hide in a file not read.
fn all_code_checked<'a>(root: &Path, checked: impl Iterator<Item = &'a Path>) -> bool {
    let checked: HashSet<PathBuf> = checked.map(canonical).collect();
    crate::workspace::project_calls::code_files(root)
        .iter()
        .all(|file| checked.contains(&canonical(file)))
}

/// Adds each diagnostic to the checked file it is about, if that file was checked.
fn attach_each(
    jobs: &[Job],
    members: &[usize],
    files: &mut [FileResult],
    found: Vec<(PathBuf, crate::base::diagnostic::Diagnostic)>,
) {
    for (path, diagnostic) in found {
        let path = canonical(&path);
        let Some(at) = members.iter().copied().find(|&i| {
            jobs[i].path.file_name() == path.file_name() && canonical(&jobs[i].path) == path
        }) else {
            continue;
        };
        let diagnostics = &mut files[at].diagnostics;
        diagnostics.push(diagnostic);
        diagnostics.sort_by_key(|d| (d.range.start, d.range.end));
    }
}

fn canonical(path: &Path) -> PathBuf {
    std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf())
}
