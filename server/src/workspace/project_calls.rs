//! The flow calls of a project's code files as saved, for the editor's checks that need every
//! call of a project at once (a `lamatic.config` step no code reads). Each file's calls are
//! kept until the file or the project's flows change, so a project is read once, not on every
//! keystroke in its configuration.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::SystemTime;

use crate::flows::registry::FlowRegistry;
use crate::surfaces::call::CallSummary;
use crate::surfaces::kit::Kit;

/// Code files larger than this are not read for their calls (no app module is near it).
const MAX_FILE_BYTES: u64 = 1024 * 1024;
/// At most this many code files of a project are read: a project that large is not a kit.
const MAX_FILES: usize = 2_000;

struct Entry {
    stamp: (Option<SystemTime>, u64),
    /// The [`FlowRegistry::names_digest`] of the project's flows the calls were resolved
    /// against: other names, other results.
    names: u64,
    calls: Arc<Vec<CallSummary>>,
}

/// Each code file's calls, by path.
#[derive(Default)]
pub struct ProjectCalls {
    files: Mutex<HashMap<PathBuf, Entry>>,
}

impl ProjectCalls {
    /// The calls of every code file of `kit` (dependency, build and hidden folders and nested
    /// projects left out) but those in `skip`, each file's checked by `check` unless known
    /// from the same text and flows of the same names as `flows` (the project's, as now). The
    /// files are in the order of their paths.
    pub fn of_kit(
        &self,
        kit: &Kit,
        flows: &Arc<FlowRegistry>,
        skip: &dyn Fn(&Path) -> bool,
        check: &dyn Fn(&Path, &str) -> Vec<CallSummary>,
    ) -> Vec<(PathBuf, Arc<Vec<CallSummary>>)> {
        let names = flows.names_digest();
        let mut out = Vec::new();
        for path in code_files(&kit.root) {
            if skip(&path) {
                continue;
            }
            let Ok(meta) = std::fs::metadata(&path) else {
                continue;
            };
            if meta.len() > MAX_FILE_BYTES {
                continue;
            }
            let stamp = (meta.modified().ok(), meta.len());
            let known = self.lock().get(&path).and_then(|e| {
                let fresh = e.stamp == stamp && e.names == names;
                fresh.then(|| e.calls.clone())
            });
            let calls = match known {
                Some(calls) => calls,
                None => {
                    let Ok(text) = std::fs::read_to_string(&path) else {
                        continue;
                    };
                    let mut calls = check(&path, &text);
                    // Only the resolution counts here; payloads are read again when shown.
                    calls.iter_mut().for_each(|c| c.payload = None);
                    let calls = Arc::new(calls);
                    self.lock().insert(
                        path.clone(),
                        Entry {
                            stamp,
                            names,
                            calls: calls.clone(),
                        },
                    );
                    calls
                }
            };
            out.push((path, calls));
        }
        // Files gone from the project are forgotten.
        let present: std::collections::HashSet<&PathBuf> = out.iter().map(|(p, _)| p).collect();
        self.lock()
            .retain(|path, _| !path.starts_with(&kit.root) || present.contains(path));
        out
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<PathBuf, Entry>> {
        self.files.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// The code files of the project at `root`, sorted.
pub(crate) fn code_files(root: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = walkdir::WalkDir::new(root)
        .into_iter()
        .filter_entry(|e| {
            if e.depth() == 0 {
                return true;
            }
            let hidden = e.file_name().to_string_lossy().starts_with('.');
            let dir = e.file_type().is_dir();
            !(hidden
                || (dir && crate::config::is_skipped_dir(e.path()))
                || (dir && crate::surfaces::kit::is_root(e.path())))
        })
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(walkdir::DirEntry::into_path)
        .filter(|p| {
            crate::surfaces::code::HostLanguage::of_path(p).is_some()
                && !crate::surfaces::kit::is_kit_file(p)
        })
        .take(MAX_FILES)
        .collect();
    files.sort();
    files
}
