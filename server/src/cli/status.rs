//! `flowql status`: what a folder's (or file's) documents are checked against, for people and
//! for editor plugins (`--json`); and `flowql settings`, which prints the editor settings table.

use std::io::Write;
use std::path::{Path, PathBuf};

use crate::config::editor_settings;
use crate::status::Status;
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
    let status = Status::of(&resolved);
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
