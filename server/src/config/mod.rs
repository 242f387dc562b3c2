//! graphql-config discovery and reading: the `schema`, `documents` and `exclude` keys and
//! flowql's `extensions.flowql` settings, at the top level or per project of a `projects:` map,
//! with `${VAR}` interpolation. Problems are collected with their place in the file, and the
//! valid settings are still used.

pub mod editor_settings;
pub mod env;
pub mod locate;
mod reading;
pub mod settings;

use std::path::{Path, PathBuf};

use globset::{Glob, GlobSet, GlobSetBuilder};
use serde_json::{Map, Value};

use crate::base::catalog::{Code, Severity};
use env::EnvSource;
pub use reading::ConfigError;
use reading::{parse_value, schema_headers, schema_locations, string_list};
pub use settings::{ConfigProblem, FlowqlSettings, PayloadFiles, Secret, SecretFix};

/// File names graphql-config looks for, in its order of preference.
pub const CONFIG_FILE_NAMES: &[&str] = &[
    ".graphqlrc",
    ".graphqlrc.yml",
    ".graphqlrc.yaml",
    ".graphqlrc.json",
    ".graphqlrc.toml",
    "graphql.config.yml",
    "graphql.config.yaml",
    "graphql.config.json",
    "graphql.config.toml",
];

/// Config files that exist in the graphql-config world but need a JavaScript runtime.
const SCRIPT_CONFIG_NAMES: &[&str] = &[
    ".graphqlrc.js",
    ".graphqlrc.ts",
    "graphql.config.js",
    "graphql.config.ts",
    "graphql.config.cjs",
    "graphql.config.mjs",
];

/// Folders of dependencies, build output and caches: never searched for documents unless named.
pub const SKIPPED_DIRS: &[&str] = &[
    "node_modules",
    ".git",
    ".next",
    ".nuxt",
    ".turbo",
    ".vercel",
    ".venv",
    "venv",
    "__pycache__",
    "target",
    "dist",
    "build",
    "out",
    "coverage",
];

/// A graphql-config file, read.
#[derive(Debug, Clone)]
pub struct Config {
    /// The config file itself.
    pub path: PathBuf,
    /// Its text, for placing problems.
    pub text: String,
    /// At least one: the top level is the project named `default` when there is no `projects:`.
    pub projects: Vec<Project>,
    /// Everything wrong with the file that did not stop it from being used.
    pub problems: Vec<ConfigProblem>,
    /// Each project's globs, compiled on first use (every resolution of a file matches them).
    matchers: std::sync::OnceLock<Vec<ProjectMatchers>>,
}

/// A project's globs, compiled: `documents`, `exclude` (`None` when a glob is invalid, which is
/// reported elsewhere), and the `payloads` mappings with their flows.
#[derive(Debug, Clone)]
struct ProjectMatchers {
    documents: Option<(GlobSet, GlobSet)>,
    payloads: Vec<(globset::GlobMatcher, String)>,
}

/// One project of a config: where its schema is and which files are its documents.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Project {
    pub name: String,
    /// Schema locations as written (paths relative to the config's folder, or URLs).
    pub schema: Vec<String>,
    pub documents: Vec<String>,
    pub exclude: Vec<String>,
    pub settings: FlowqlSettings,
}

/// The nearest config file in `start` or one of its ancestors.
pub fn find(start: &Path) -> Option<PathBuf> {
    for dir in start.ancestors() {
        for name in CONFIG_FILE_NAMES.iter().chain(SCRIPT_CONFIG_NAMES) {
            let candidate = dir.join(name);
            if candidate.is_file() {
                return Some(candidate);
            }
        }
    }
    None
}

impl Config {
    /// Reads and checks a config file, with no editor settings underneath.
    pub fn load(path: &Path) -> Result<Config, ConfigError> {
        Config::load_with(path, &FlowqlSettings::default())
    }

    /// Reads and checks a config file; `base` (the editor's settings) fills in what the file
    /// does not set.
    pub fn load_with(path: &Path, base: &FlowqlSettings) -> Result<Config, ConfigError> {
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
        if SCRIPT_CONFIG_NAMES.contains(&name) {
            return Err(ConfigError::Script {
                path: path.to_path_buf(),
            });
        }
        let text = std::fs::read_to_string(path).map_err(|source| ConfigError::Read {
            path: path.to_path_buf(),
            source,
        })?;
        Config::from_text(path, text, base)
    }

    /// A configuration from its text, as if read from `path` (its format is the file name's;
    /// `.env` beside it is read when there is one).
    pub fn from_text(
        path: &Path,
        text: String,
        base: &FlowqlSettings,
    ) -> Result<Config, ConfigError> {
        let raw = parse_value(path, &text)?;
        let dir = path.parent().unwrap_or(Path::new("."));
        let env = EnvSource::load(dir);
        let mut value = raw.clone();
        let unset = env::interpolate(&mut value, &env);
        let mut problems = settings::unset_problems(&unset, &text);
        if let Some(error) = &env.dotenv_error {
            problems.push(ConfigProblem {
                code: Code::ConfigInvalid,
                range: 0..0,
                message: format!("cannot read .env: {error}"),
                fix: None,
            });
        }
        let mut config = Config {
            path: path.to_path_buf(),
            text,
            projects: Vec::new(),
            problems,
            matchers: std::sync::OnceLock::new(),
        };
        config.read_projects(&value, &raw, base);
        Ok(config)
    }

    /// A configuration made of settings alone (the editor's, when no file exists).
    pub fn from_settings(path: &Path, settings: FlowqlSettings) -> Config {
        Config {
            path: path.to_path_buf(),
            text: String::new(),
            projects: vec![Project::empty("default", settings)],
            problems: Vec::new(),
            matchers: std::sync::OnceLock::new(),
        }
    }

    /// Problems that stop the configuration from being used as written (errors).
    pub fn errors(&self) -> impl Iterator<Item = &ConfigProblem> {
        self.problems
            .iter()
            .filter(|p| p.code.entry().severity == Severity::Error)
    }

    fn problem(&mut self, at: &str, message: String) {
        let range = locate::key(&self.text, at);
        self.problems.push(ConfigProblem {
            code: Code::ConfigInvalid,
            range,
            message,
            fix: None,
        });
    }

    fn read_projects(&mut self, value: &Value, raw: &Value, base: &FlowqlSettings) {
        let empty = Map::new();
        let Value::Object(top) = value else {
            self.problem("", "expected a map of settings at the top level".into());
            self.projects.push(Project::empty("default", base.clone()));
            return;
        };
        let raw_top = raw.as_object();
        let mut problems = Vec::new();
        let top_settings = settings::read(top, raw_top, "", &self.text, base, &mut problems);
        let mut projects = Vec::new();
        match top.get("projects") {
            None => {}
            Some(Value::Object(map)) => {
                for (name, project) in map {
                    let at = format!("projects.{name}");
                    let raw_project = raw_top
                        .and_then(|r| r.get("projects"))
                        .and_then(|p| p.get(name))
                        .and_then(Value::as_object);
                    let map = project.as_object().unwrap_or(&empty);
                    if !project.is_object() {
                        self.problem(&at, format!("project `{name}` must be a map of settings"));
                    }
                    let settings = settings::read(
                        map,
                        raw_project,
                        &at,
                        &self.text,
                        &top_settings,
                        &mut problems,
                    );
                    projects.push(self.project(name, map, &at, settings));
                }
            }
            Some(_) => self.problem(
                "projects",
                "`projects` must be a map from project name to settings".into(),
            ),
        }
        if top.contains_key("schema") || top.contains_key("documents") || projects.is_empty() {
            let project = self.project("default", top, "", top_settings);
            projects.insert(0, project);
        }
        self.problems.extend(problems);
        self.projects = projects;
    }

    fn project(
        &mut self,
        name: &str,
        map: &Map<String, Value>,
        at: &str,
        settings: FlowqlSettings,
    ) -> Project {
        let key = |k: &str| {
            if at.is_empty() {
                k.to_string()
            } else {
                format!("{at}.{k}")
            }
        };
        let mut take = |k: &str, read: fn(Option<&Value>) -> Result<Vec<String>, String>| match read(
            map.get(k),
        ) {
            Ok(list) => list,
            Err(message) => {
                self.problem(&key(k), format!("`{k}`: {message}"));
                Vec::new()
            }
        };
        let mut schema = take("schema", schema_locations);
        let mut documents = take("documents", string_list);
        let mut exclude = take("exclude", string_list);
        let mut settings = settings;
        // A URL in `schema` is an endpoint to fetch from; graphql-config's headers for it may
        // carry the key (`Authorization: Bearer ...`) and the project (`x-project-id`).
        if let Some(url) = schema.iter().find(|s| crate::schema::is_url(s)).cloned() {
            if schema.len() > 1 {
                self.problem(
                    &key("schema"),
                    format!("`schema` mixes a URL with other entries; only {url} is used"),
                );
            }
            for (name, value) in schema_headers(map.get("schema"), &url) {
                match name.to_ascii_lowercase().as_str() {
                    "authorization" => {
                        if let Some(token) = value
                            .strip_prefix("Bearer ")
                            .or_else(|| value.strip_prefix("bearer "))
                        {
                            settings.api_key = Some(Secret::new(token.trim()));
                        }
                    }
                    "x-project-id" => settings.project_id = Some(value),
                    _ => {}
                }
            }
            settings.endpoint = Some(url);
            schema.clear();
        }
        for (list, k) in [(&mut documents, "documents"), (&mut exclude, "exclude")] {
            let mut valid = Vec::new();
            for pattern in list.drain(..) {
                match Glob::new(pattern.trim_start_matches("./")) {
                    Ok(_) => valid.push(pattern),
                    Err(e) => {
                        self.problem(&key(k), format!("invalid glob `{pattern}`: {}", e.kind()))
                    }
                }
            }
            *list = valid;
        }
        Project {
            name: name.to_string(),
            schema,
            documents,
            exclude,
            settings,
        }
    }

    /// The folder that relative paths and globs are resolved against.
    pub fn dir(&self) -> &Path {
        self.path.parent().unwrap_or(Path::new("."))
    }

    /// A schema location resolved against the config's folder (URLs are kept as they are).
    pub fn resolve(&self, location: &str) -> PathBuf {
        if crate::schema::is_url(location) {
            PathBuf::from(location)
        } else {
            self.dir().join(location)
        }
    }

    fn globs(&self, patterns: &[String]) -> Result<GlobSet, ConfigError> {
        let mut builder = GlobSetBuilder::new();
        for pattern in patterns {
            let glob =
                Glob::new(pattern.trim_start_matches("./")).map_err(|e| ConfigError::Glob {
                    path: self.path.clone(),
                    pattern: pattern.clone(),
                    message: e.kind().to_string(),
                })?;
            builder.add(glob);
        }
        builder.build().map_err(|e| ConfigError::Glob {
            path: self.path.clone(),
            pattern: patterns.join(", "),
            message: e.to_string(),
        })
    }

    /// Whether `file` is one of `project`'s documents (and not excluded).
    pub fn matches(&self, project: &Project, file: &Path) -> bool {
        let Ok(relative) = file.strip_prefix(self.dir()) else {
            return false;
        };
        let Some((documents, exclude)) =
            self.matchers_of(project).and_then(|m| m.documents.as_ref())
        else {
            return false;
        };
        documents.is_match(relative) && !exclude.is_match(relative)
    }

    /// The compiled globs of one of this configuration's projects.
    fn matchers_of(&self, project: &Project) -> Option<&ProjectMatchers> {
        let all = self.matchers.get_or_init(|| {
            self.projects
                .iter()
                .map(|p| ProjectMatchers {
                    documents: self
                        .globs(&p.documents)
                        .ok()
                        .zip(self.globs(&p.exclude).ok()),
                    payloads: p
                        .settings
                        .payloads
                        .iter()
                        .filter_map(|mapping| {
                            let glob = Glob::new(mapping.files.trim_start_matches("./")).ok()?;
                            Some((glob.compile_matcher(), mapping.flow.clone()))
                        })
                        .collect(),
                })
                .collect()
        });
        let index = self
            .projects
            .iter()
            .position(|p| std::ptr::eq(p, project))
            .or_else(|| self.projects.iter().position(|p| p.name == project.name))?;
        all.get(index)
    }

    /// The project a file belongs to: the first whose documents match it, else the first one.
    pub fn project_for(&self, file: &Path) -> &Project {
        self.projects
            .iter()
            .find(|p| !p.documents.is_empty() && self.matches(p, file))
            .unwrap_or(&self.projects[0])
    }

    /// The flow a payload JSON file is sent to, from the project's `payloads` globs.
    pub fn payload_flow(&self, project: &Project, file: &Path) -> Option<String> {
        let relative = file.strip_prefix(self.dir()).ok()?;
        self.matchers_of(project)?
            .payloads
            .iter()
            .find(|(glob, _)| glob.is_match(relative))
            .map(|(_, flow)| flow.clone())
    }

    /// The operation a variables file belongs to, by the project's `variables` map.
    pub fn operation_of_variables(&self, project: &Project, file: &Path) -> Option<PathBuf> {
        project
            .settings
            .variables
            .iter()
            .find(|(_, vars)| self.dir().join(vars) == file)
            .map(|(op, _)| self.dir().join(op))
    }

    /// The variables file of an operation, by the project's `variables` map.
    pub fn variables_of_operation(&self, project: &Project, file: &Path) -> Option<PathBuf> {
        project
            .settings
            .variables
            .iter()
            .find(|(op, _)| self.dir().join(op) == file)
            .map(|(_, vars)| self.dir().join(vars))
    }

    /// Every payload JSON file of a project, with its flow, sorted.
    pub fn payload_files(&self, project: &Project) -> Vec<(PathBuf, String)> {
        if project.settings.payloads.is_empty() {
            return Vec::new();
        }
        let mut files: Vec<(PathBuf, String)> = self
            .files()
            .filter_map(|path| {
                let flow = self.payload_flow(project, &path)?;
                Some((path, flow))
            })
            .collect();
        files.sort();
        files
    }

    /// Every file under the config's folder, skipping dependency and build folders.
    fn files(&self) -> impl Iterator<Item = PathBuf> + '_ {
        walkdir::WalkDir::new(self.dir())
            .into_iter()
            .filter_entry(|e| {
                !(e.file_type().is_dir() && e.depth() > 0 && is_skipped_dir(e.path()))
            })
            .filter_map(Result::ok)
            .filter(|e| e.file_type().is_file())
            .map(walkdir::DirEntry::into_path)
    }

    /// The project's schema files (not URLs), resolved: never checked as operations, even
    /// when a `documents` glob matches them.
    pub fn schema_files(&self, project: &Project) -> Vec<PathBuf> {
        project
            .schema
            .iter()
            .filter(|s| !crate::schema::is_url(s))
            .map(|s| self.resolve(s))
            .collect()
    }

    /// Every document file of a project, sorted, found under the config's folder.
    pub fn document_files(&self, project: &Project) -> Result<Vec<PathBuf>, ConfigError> {
        let documents = self.globs(&project.documents)?;
        let exclude = self.globs(&project.exclude)?;
        let mut files: Vec<PathBuf> = self
            .files()
            .filter(|path| {
                path.strip_prefix(self.dir()).is_ok_and(|relative| {
                    documents.is_match(relative) && !exclude.is_match(relative)
                })
            })
            .collect();
        files.sort();
        Ok(files)
    }
}

/// Whether a folder is one of [`SKIPPED_DIRS`].
pub fn is_skipped_dir(path: &Path) -> bool {
    path.file_name()
        .and_then(|n| n.to_str())
        .is_some_and(|n| SKIPPED_DIRS.contains(&n))
}

impl Project {
    fn empty(name: &str, settings: FlowqlSettings) -> Project {
        Project {
            name: name.to_string(),
            schema: Vec::new(),
            documents: Vec::new(),
            exclude: Vec::new(),
            settings,
        }
    }
}

#[cfg(test)]
mod tests;
