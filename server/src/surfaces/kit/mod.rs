//! The platform's own project layout, understood with no configuration: a folder with
//! `lamatic.config.ts` (or `.yaml`), or with a `flows/` folder of flow files, is a project. Its
//! steps name the flow files and the environment variables that hold the deployed flows' ids,
//! its `.env` files hold those ids and the connection, and its flow files the input schemas.

pub mod env_checks;
pub mod env_files;
pub mod flow_module;
pub mod problem;
pub mod registry;
pub mod schema_places;
pub mod steps;

use std::collections::HashMap;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::base::catalog::{Code, Severity};
use crate::config::{FlowqlSettings, Secret};
use crate::surfaces::kit::env_files::EnvFiles;
use crate::surfaces::kit::flow_module::FlowFile;
pub use crate::surfaces::kit::problem::KitProblem;
use crate::surfaces::kit::steps::StepsFile;

/// The configuration files that make a folder a project, in order of preference.
pub const CONFIG_NAMES: &[&str] = &[
    "lamatic.config.ts",
    "lamatic.config.js",
    "lamatic.config.mjs",
    "lamatic.config.yaml",
    "lamatic.config.yml",
];

/// Folders below the root whose env files count too (where the app lives).
const APP_DIRS: &[&str] = &["apps", "app", "web", "frontend", "backend", "server"];

/// One project in the platform's layout, read.
#[derive(Debug, Clone, Default)]
pub struct Kit {
    pub root: PathBuf,
    pub config_file: Option<PathBuf>,
    pub steps: StepsFile,
    pub env: EnvFiles,
    pub flows: Vec<FlowFile>,
    pub problems: Vec<KitProblem>,
    /// Every file read, for change detection (the flows folder itself included).
    pub files: Vec<PathBuf>,
    /// Distinct for every reading of a project in this process: what was derived from one
    /// reading is current while the reading is.
    pub reading: u64,
}

/// The project root `dir` is in: the nearest folder, `dir` or above, with a `lamatic.config`
/// file or a `flows/` folder holding flow files.
pub fn find_root(dir: &Path) -> Option<PathBuf> {
    dir.ancestors().find(|d| is_root(d)).map(Path::to_path_buf)
}

/// The path that stands for a project root as its configuration: its `lamatic.config` file,
/// or its `flows/` folder when it has none.
pub fn marker(root: &Path) -> PathBuf {
    CONFIG_NAMES
        .iter()
        .map(|n| root.join(n))
        .find(|p| p.is_file())
        .unwrap_or_else(|| root.join("flows"))
}

/// Whether a configuration path is a [`marker`] of a project of the platform's layout.
pub fn is_marker(path: &Path) -> bool {
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
    CONFIG_NAMES.contains(&name) || (name == "flows" && path.is_dir())
}

/// Whether a folder or one below it (not in dependency or build folders) is a project of the
/// platform's layout.
pub fn any_at_or_below(dir: &Path) -> bool {
    walkdir::WalkDir::new(dir)
        .max_depth(6)
        .into_iter()
        .filter_entry(|e| {
            e.depth() == 0
                || !(e.file_name().to_string_lossy().starts_with('.')
                    || crate::config::is_skipped_dir(e.path()))
        })
        .filter_map(Result::ok)
        .any(|e| e.file_type().is_dir() && is_root(e.path()))
}

/// Whether `dir` is a project root of the platform's layout.
pub fn is_root(dir: &Path) -> bool {
    CONFIG_NAMES.iter().any(|n| dir.join(n).is_file()) || has_flow_files(&dir.join("flows"))
}

fn has_flow_files(flows: &Path) -> bool {
    let Ok(entries) = std::fs::read_dir(flows) else {
        return false;
    };
    entries.filter_map(Result::ok).any(|e| {
        let path = e.path();
        match path.extension().and_then(|x| x.to_str()) {
            Some("ts" | "json") => path.is_file(),
            _ => path.join("config.json").is_file(),
        }
    })
}

/// The flow files of a `flows/` folder, sorted: `*.ts`, `*.js`, `*.json`, `<name>/config.json`.
fn flow_files(flows: &Path) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(flows) else {
        return Vec::new();
    };
    let mut files: Vec<PathBuf> = entries
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter_map(|path| {
            if path.is_dir() {
                let config = path.join("config.json");
                return config.is_file().then_some(config);
            }
            let flow_like = matches!(
                path.extension().and_then(|x| x.to_str()),
                Some("ts" | "js" | "mjs" | "json")
            );
            let declaration = path.to_string_lossy().ends_with(".d.ts");
            (flow_like && !declaration && path.is_file()).then_some(path)
        })
        .collect();
    files.sort();
    files
}

/// Whether a file is one of a project's own files that an editor edits as code: its
/// `lamatic.config` or a flow file (`flows/x.ts`, `flows/x.json`, `flows/x/config.json`).
pub fn is_kit_file(path: &Path) -> bool {
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
    let in_flows = |p: Option<&Path>| p.and_then(Path::file_name).is_some_and(|n| n == "flows");
    CONFIG_NAMES.contains(&name)
        || in_flows(path.parent())
        || (name == "config.json" && in_flows(path.parent().and_then(Path::parent)))
}

/// Texts of open editor buffers, by path: read instead of the files on disk.
pub type Overlays = HashMap<PathBuf, Arc<str>>;

impl Kit {
    /// Reads the project at `root`. Never fails: what cannot be read is a problem.
    pub fn load(root: &Path) -> Kit {
        Kit::load_with(root, &Overlays::new())
    }

    /// [`Kit::load`], reading the buffers in `overlays` instead of their files (a flow or the
    /// config being edited and not saved yet).
    pub fn load_with(root: &Path, overlays: &Overlays) -> Kit {
        let read_text = |path: &Path| match overlays.get(path) {
            Some(text) => Ok(text.to_string()),
            None => read_text(path),
        };
        static READINGS: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);
        let mut kit = Kit {
            root: root.to_path_buf(),
            reading: READINGS.fetch_add(1, std::sync::atomic::Ordering::Relaxed),
            ..Kit::default()
        };
        kit.config_file = CONFIG_NAMES
            .iter()
            .map(|n| root.join(n))
            .find(|p| p.is_file());
        if let Some(path) = kit.config_file.clone() {
            kit.files.push(path.clone());
            match read_text(&path) {
                Ok(text) => {
                    kit.steps = crate::surfaces::kit::steps::read(&text, &path);
                    if let Some((message, range)) = kit.steps.problem.clone() {
                        kit.problem(
                            &path,
                            range,
                            Code::ConfigInvalid,
                            Severity::Warning,
                            message,
                        );
                    }
                }
                Err(message) => kit.problem(
                    &path,
                    0..0,
                    Code::FileUnreadable,
                    Severity::Warning,
                    message,
                ),
            }
        }
        let mut env_dirs = vec![root.to_path_buf()];
        env_dirs.extend(APP_DIRS.iter().map(|d| root.join(d)).filter(|d| d.is_dir()));
        kit.env = EnvFiles::load(&env_dirs);
        kit.files.extend(kit.env.files.iter().cloned());
        kit.files.extend(env_dirs);
        let flows_dir = root.join("flows");
        kit.files.push(flows_dir.clone());
        for path in flow_files(&flows_dir) {
            kit.files.push(path.clone());
            let text = match read_text(&path) {
                Ok(text) => text,
                Err(message) => {
                    kit.problem(
                        &path,
                        0..0,
                        Code::FileUnreadable,
                        Severity::Warning,
                        message,
                    );
                    continue;
                }
            };
            let text = if path.file_name().is_some_and(|n| n == "config.json") {
                with_meta(&path, text)
            } else {
                text
            };
            match crate::surfaces::kit::flow_module::read(&path, &text, root) {
                Ok(Some(flow)) => {
                    kit.files.extend(flow.references.iter().cloned());
                    kit.flows.push(flow);
                }
                Ok(None) => {}
                Err(problem) => kit.problem(
                    &problem.file,
                    problem.range,
                    Code::FlowSchemaInvalid,
                    Severity::Warning,
                    problem.message,
                ),
            }
        }
        kit.check_env_keys();
        let env_problems = crate::surfaces::kit::env_checks::check(&kit.env, &kit.steps);
        kit.problems.extend(env_problems);
        kit
    }

    fn problem(
        &mut self,
        file: &Path,
        range: Range<usize>,
        code: Code,
        severity: Severity,
        message: String,
    ) {
        self.problems.push(KitProblem {
            file: file.to_path_buf(),
            range,
            code,
            severity,
            message,
        });
    }

    /// Each step's `envKey` should be documented in `.env.example` when the project has one.
    fn check_env_keys(&mut self) {
        let Some(config) = self.config_file.clone() else {
            return;
        };
        if self.env.documented.is_empty() {
            return;
        }
        let missing: Vec<(String, Range<usize>)> = self
            .steps
            .steps
            .iter()
            .filter_map(|s| s.env_key.clone())
            .filter(|(key, _)| {
                !self.env.documented.contains_key(key) && !self.env.values.contains_key(key)
            })
            .collect();
        for (key, range) in missing {
            self.problem(
                &config,
                range,
                Code::EnvKeyUndocumented,
                Severity::Warning,
                format!("`{key}` holds a flow's id but `.env.example` does not name it, so whoever sets the project up will not define it"),
            );
        }
    }

    /// The flow file of a step: `flows/<step id>.*`.
    pub fn flow_of_step(&self, step: &str) -> Option<&FlowFile> {
        self.flows.iter().find(|f| f.key == step)
    }

    /// The connection `.env` gives (`LAMATIC_API_URL`, `LAMATIC_PROJECT_ID`,
    /// `LAMATIC_API_KEY` and their other spellings), placeholders left out. The key is kept as
    /// a [`Secret`], never printed.
    pub fn settings(&self) -> FlowqlSettings {
        let first = |names: &[&str]| {
            names
                .iter()
                .find_map(|n| self.env.real_value(n))
                .map(str::to_string)
        };
        let endpoint = first(crate::surfaces::kit::env_checks::ENDPOINT_NAMES)
            .filter(|e| e.starts_with("http://") || e.starts_with("https://"))
            .map(|e| {
                let e = e.trim_end_matches('/');
                if e.ends_with("/graphql") {
                    e.to_string()
                } else {
                    // The SDKs append the path to the endpoint they are given.
                    format!("{e}/graphql")
                }
            });
        FlowqlSettings {
            endpoint,
            project_id: first(&["LAMATIC_PROJECT_ID"]),
            api_key: first(&["LAMATIC_API_KEY", "LAMATIC_PROJECT_API_KEY"]).map(Secret::new),
            ..FlowqlSettings::default()
        }
    }
}

/// For the older layout, `flows/<name>/config.json`: its `meta.json` beside it gives the name.
fn with_meta(config: &Path, text: String) -> String {
    let meta = config.with_file_name("meta.json");
    let (Ok(mut flow), Ok(meta_text)) = (
        serde_json::from_str::<serde_json::Value>(&text),
        std::fs::read_to_string(&meta),
    ) else {
        return text;
    };
    if let (Some(map), Ok(meta)) = (
        flow.as_object_mut(),
        serde_json::from_str::<serde_json::Value>(&meta_text),
    ) {
        for key in ["id", "name", "status"] {
            if let Some(value) = meta.get(key) {
                map.entry(key).or_insert(value.clone());
            }
        }
    }
    flow.to_string()
}

/// A file's text, or why it cannot be had.
fn read_text(path: &Path) -> Result<String, String> {
    let bytes = std::fs::read(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    String::from_utf8(bytes).map_err(|_| format!("{} is not UTF-8 text", path.display()))
}
