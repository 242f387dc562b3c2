//! Problems of a project's env files, each at its line: lines no loader reads as `NAME=value`,
//! a step's flow id left empty or as a stand-in in `.env`, an endpoint that is not a URL.

use std::ops::Range;
use std::path::PathBuf;

use crate::base::catalog::{Code, Severity};
use crate::surfaces::kit::env_files::is_placeholder;
use crate::surfaces::kit::env_files::EnvFiles;
use crate::surfaces::kit::problem::KitProblem;
use crate::surfaces::kit::steps::StepsFile;

/// At most this many unreadable lines are reported per file (a binary file has thousands).
const MAX_LINES_REPORTED: usize = 5;

/// The names `.env` gives the project's endpoint by (see `Kit::settings`).
pub const ENDPOINT_NAMES: &[&str] = &[
    "LAMATIC_API_URL",
    "LAMATIC_ENDPOINT",
    "LAMATIC_PROJECT_ENDPOINT",
];

/// The problems of a kit's env files, given its steps.
pub fn check(env: &EnvFiles, steps: &StepsFile) -> Vec<KitProblem> {
    let mut out = Vec::new();
    let problem = |file: &PathBuf, range: Range<usize>, code: Code, message: String| KitProblem {
        file: file.clone(),
        range,
        code,
        severity: Severity::Warning,
        message,
    };
    for file in &env.too_large {
        out.push(problem(
            file,
            0..0,
            Code::EnvLineUnreadable,
            "this env file is larger than 1 MiB, far beyond any real one; flowql did not read it"
                .to_string(),
        ));
    }
    for (file, lines) in &env.unreadable {
        for (i, line) in lines.iter().take(MAX_LINES_REPORTED).enumerate() {
            let what = if line.binary {
                "this line holds bytes that are not text"
            } else {
                "this line is not `NAME=value`"
            };
            let more = lines.len().saturating_sub(MAX_LINES_REPORTED);
            let tail = if i + 1 == MAX_LINES_REPORTED && more > 0 {
                format!(" ({more} more lines of this file are like it)")
            } else {
                String::new()
            };
            out.push(problem(
                file,
                line.range.clone(),
                Code::EnvLineUnreadable,
                format!("{what}: loaders of env files skip it, so whatever it was meant to set stays unset{tail}"),
            ));
        }
    }
    for step in &steps.steps {
        let Some((key, _)) = &step.env_key else {
            continue;
        };
        let Some(entry) = env.values.get(key) else {
            continue;
        };
        if !is_placeholder(&entry.value) {
            continue;
        }
        let (range, held) = if entry.value.trim().is_empty() {
            (entry.range.clone(), "is empty".to_string())
        } else {
            (
                entry.value_range.clone(),
                format!("holds the stand-in `{}`", entry.value.trim()),
            )
        };
        out.push(problem(
            &entry.file,
            range,
            Code::EnvFlowIdUnset,
            format!(
                "`{key}`, the envKey of step \"{}\", {held}: the app would send it as the flow's id, and no flow has that id",
                step.id
            ),
        ));
    }
    for name in ENDPOINT_NAMES {
        let Some(entry) = env.values.get(*name) else {
            continue;
        };
        let value = entry.value.trim();
        if is_placeholder(value) || value.starts_with("http://") || value.starts_with("https://") {
            continue;
        }
        out.push(problem(
            &entry.file,
            entry.value_range.clone(),
            Code::EnvEndpointInvalid,
            format!("`{name}` is `{value}`, not an http:// or https:// URL: the SDK cannot reach the project with it, and flowql checks against the bundled schema"),
        ));
    }
    out
}
