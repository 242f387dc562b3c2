//! `flowql status`: what a folder's (or file's) documents are checked against, for people and
//! for editor plugins (`--json`); and `flowql settings`, which prints the editor settings table.

use std::io::Write;
use std::path::{Path, PathBuf};

use crate::config::editor_settings;
use crate::workspace::status::Status;
use crate::workspace::Workspace;

/// Prints the status for `target` (a file, or a folder: a document in it). Never fetches.
pub fn run(target: Option<&Path>, json: bool, out: &mut dyn Write, err: &mut dyn Write) -> i32 {
    let cwd = std::env::current_dir().unwrap_or_else(|_| PathBuf::from("."));
    let target = target.map_or(cwd.clone(), |t| cwd.join(t));
    let workspace = Workspace::new();
    let resolved = if target.is_dir() {
        workspace.for_folder(&target)
    } else {
        workspace.for_file(Some(&target))
    };
    let mut status = Status::of(&resolved);
    if let (Some(kit), Some(kit_status)) = (&resolved.kit, status.kit.as_mut()) {
        kit_status.flow_calls = Some(flow_calls(&workspace, &kit.root));
    }
    let written = if json {
        serde_json::to_string_pretty(&status)
            .map_err(std::io::Error::other)
            .and_then(|text| writeln!(out, "{text}"))
    } else {
        write!(out, "{}", status.render())
    };
    match written {
        Ok(()) => 0,
        Err(e) => {
            let _ = writeln!(err, "flowql: cannot write: {e}");
            2
        }
    }
}

/// The flow calls of a project's code, and those that could not be resolved with the reason.
fn flow_calls(workspace: &Workspace, root: &Path) -> crate::workspace::status::FlowCallsStatus {
    let mut calls = crate::workspace::status::FlowCallsStatus {
        found: 0,
        resolved: 0,
        checked: 0,
        unresolved: Vec::new(),
    };
    let files = walkdir::WalkDir::new(root)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| {
            e.depth() == 0
                || !(e.file_name().to_string_lossy().starts_with('.')
                    || e.file_type().is_dir() && crate::config::is_skipped_dir(e.path()))
        })
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .filter(|e| crate::surfaces::code::HostLanguage::of_path(e.path()).is_some());
    for entry in files {
        let path = entry.path();
        let resolved = workspace.for_file(Some(path));
        // Another project nested below this one is its own.
        if resolved.kit.as_ref().is_none_or(|k| k.root != root) {
            continue;
        }
        let Ok(text) = std::fs::read_to_string(path) else {
            continue;
        };
        let analysis = crate::workspace::check_document(&text, &resolved);
        let doc = crate::base::document::Document::new(&text, 0);
        for call in &analysis.flow_calls {
            calls.found += 1;
            calls.checked += usize::from(call.checked);
            match &call.flow {
                Ok(_) => calls.resolved += 1,
                Err(reason) => calls
                    .unresolved
                    .push(crate::workspace::status::UnresolvedCall {
                        file: path.strip_prefix(root).unwrap_or(path).to_path_buf(),
                        line: doc
                            .offset_to_position(
                                call.range.start,
                                crate::base::document::Encoding::Utf16,
                            )
                            .line
                            + 1,
                        method: call.method.clone(),
                        reason: reason.clone(),
                    }),
            }
        }
    }
    calls
}

/// What `flowql settings` prints.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SettingsFormat {
    /// The table in docs/configuration.md.
    Markdown,
    /// `contributes.configuration.properties` of the VS Code manifest.
    Vscode,
}

pub fn settings(format: SettingsFormat, out: &mut dyn Write) -> i32 {
    let text = match format {
        SettingsFormat::Markdown => editor_settings::markdown_table(),
        SettingsFormat::Vscode => {
            let mut text = serde_json::to_string_pretty(&editor_settings::vscode_properties())
                .unwrap_or_default();
            text.push('\n');
            text
        }
    };
    match out.write_all(text.as_bytes()) {
        Ok(()) => 0,
        Err(_) => 2,
    }
}
