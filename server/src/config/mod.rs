//! graphql-config discovery and reading: the `schema`, `documents` and `exclude` keys and
//! flowql's `extensions.flowql` settings, at the top level or per project of a `projects:` map,
//! with `${VAR}` interpolation. Problems are collected with their place in the file, and the
//! valid settings are still used.

pub mod editor_settings;
pub mod env;
pub mod locate;
pub mod settings;

use std::path::{Path, PathBuf};

use globset::{Glob, GlobSet, GlobSetBuilder};
use serde_json::{Map, Value};

use crate::base::catalog::{Code, Severity};
use env::EnvSource;
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

/// Why a config file could not be used.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("cannot read {path}: {source}")]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{path} is not valid {format}: {message}")]
    Syntax {
        path: PathBuf,
        format: &'static str,
        message: String,
        /// Byte offset of the error in the file, when the parser says.
        offset: Option<usize>,
    },
    #[error("{path} needs a JavaScript runtime, which flowql does not run; write the same settings in .graphqlrc.yml")]
    Script { path: PathBuf },
    #[error("{path}: invalid glob `{pattern}`: {message}")]
    Glob {
        path: PathBuf,
        pattern: String,
        message: String,
    },
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

/// `schema` may be a string, a list, or graphql-config's `{ "<url>": { headers } }` form.
fn schema_locations(value: Option<&Value>) -> Result<Vec<String>, String> {
    match value {
        None | Some(Value::Null) => Ok(Vec::new()),
        Some(Value::String(s)) => Ok(vec![s.clone()]),
        Some(Value::Object(map)) => Ok(map.keys().cloned().collect()),
        Some(Value::Array(items)) => {
            let mut out = Vec::new();
            for item in items {
                out.extend(schema_locations(Some(item))?);
            }
            Ok(out)
        }
        Some(_) => Err("expected a path, a URL or a list of them".into()),
    }
}

/// The headers graphql-config gives a schema URL: `schema: { "<url>": { headers: {...} } }`
/// (also inside a list).
fn schema_headers(value: Option<&Value>, url: &str) -> Vec<(String, String)> {
    match value {
        Some(Value::Object(map)) => map
            .get(url)
            .and_then(|entry| entry.get("headers"))
            .and_then(Value::as_object)
            .map(|headers| {
                headers
                    .iter()
                    .filter_map(|(k, v)| Some((k.clone(), v.as_str()?.to_string())))
                    .collect()
            })
            .unwrap_or_default(),
        Some(Value::Array(items)) => items
            .iter()
            .flat_map(|item| schema_headers(Some(item), url))
            .collect(),
        _ => Vec::new(),
    }
}

fn string_list(value: Option<&Value>) -> Result<Vec<String>, String> {
    match value {
        None | Some(Value::Null) => Ok(Vec::new()),
        Some(Value::String(s)) => Ok(vec![s.clone()]),
        Some(Value::Array(items)) => items
            .iter()
            .map(|i| match i {
                Value::String(s) => Ok(s.clone()),
                _ => Err("expected a list of glob strings".to_string()),
            })
            .collect(),
        Some(_) => Err("expected a glob or a list of globs".into()),
    }
}

/// Parses a config file's text by its extension; `.graphqlrc` may hold YAML or JSON.
fn parse_value(path: &Path, text: &str) -> Result<Value, ConfigError> {
    let syntax =
        |format: &'static str, message: String, offset: Option<usize>| ConfigError::Syntax {
            path: path.to_path_buf(),
            format,
            message,
            offset,
        };
    match path.extension().and_then(|e| e.to_str()) {
        Some("json") => serde_json::from_str(text).map_err(|e| {
            let offset = line_column_offset(text, e.line(), e.column());
            syntax("JSON", e.to_string(), offset)
        }),
        Some("toml") => toml::from_str(text).map_err(|e| {
            let offset = e.span().map(|s| s.start);
            syntax("TOML", e.message().to_string(), offset)
        }),
        // YAML is a superset of JSON, so this also reads a JSON `.graphqlrc`.
        _ => {
            if text.trim().is_empty() {
                return Ok(Value::Object(Default::default()));
            }
            serde_yaml_ng::from_str(text).map_err(|e| {
                let offset = e.location().map(|l| l.index());
                syntax("YAML", e.to_string(), offset)
            })
        }
    }
}

/// A byte offset from a 1-based line and column.
fn line_column_offset(text: &str, line: usize, column: usize) -> Option<usize> {
    let start: usize = text
        .split_inclusive('\n')
        .take(line.checked_sub(1)?)
        .map(str::len)
        .sum();
    Some((start + column.saturating_sub(1)).min(text.len()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
        let path = dir.join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, text).unwrap();
        path
    }

    fn temp_dir(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("flowql-config-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        dir
    }

    #[test]
    fn reads_yaml_json_and_toml() {
        let dir = temp_dir("formats");
        let yaml = write(
            &dir,
            "a/.graphqlrc.yml",
            "schema: schema.graphql\ndocuments: 'ops/**/*.graphql'\n",
        );
        let json = write(
            &dir,
            "b/.graphqlrc",
            r#"{"schema": ["a.graphql", "b.graphql"], "documents": ["*.gql"]}"#,
        );
        let toml = write(
            &dir,
            "c/graphql.config.toml",
            "schema = \"s.graphql\"\ndocuments = [\"x/*.graphql\"]\n",
        );
        let yaml = Config::load(&yaml).unwrap();
        assert_eq!(yaml.projects[0].schema, vec!["schema.graphql"]);
        assert_eq!(yaml.projects[0].documents, vec!["ops/**/*.graphql"]);
        let json = Config::load(&json).unwrap();
        assert_eq!(json.projects[0].schema, vec!["a.graphql", "b.graphql"]);
        let toml = Config::load(&toml).unwrap();
        assert_eq!(toml.projects[0].documents, vec!["x/*.graphql"]);
    }

    #[test]
    fn finds_config_upward_and_matches_documents() {
        let dir = temp_dir("upward");
        let config_path = write(
            &dir,
            ".graphqlrc.yml",
            "documents: ['ops/**/*.graphql']\nexclude: 'ops/skip/*'\n",
        );
        write(&dir, "ops/a.graphql", "{ a }");
        write(&dir, "ops/deep/b.graphql", "{ b }");
        write(&dir, "ops/skip/c.graphql", "{ c }");
        write(&dir, "node_modules/ops/d.graphql", "{ d }");
        let found = find(&dir.join("ops/deep")).unwrap();
        assert_eq!(found, config_path);
        let config = Config::load(&found).unwrap();
        let files = config.document_files(&config.projects[0]).unwrap();
        let names: Vec<String> = files
            .iter()
            .map(|f| f.strip_prefix(&dir).unwrap().display().to_string())
            .collect();
        assert_eq!(names, vec!["ops/a.graphql", "ops/deep/b.graphql"]);
    }

    #[test]
    fn projects_map_and_schema_url_map() {
        let dir = temp_dir("projects");
        let path = write(
            &dir,
            "graphql.config.yml",
            "projects:\n  app:\n    schema:\n      https://example.test/graphql:\n        headers:\n          Authorization: Bearer lt-from-header\n          x-project-id: p-1\n    documents: app/*.graphql\n  admin:\n    schema: admin.graphql\n    documents: admin/*.graphql\n",
        );
        let config = Config::load(&path).unwrap();
        assert_eq!(config.projects.len(), 2);
        let app = &config.projects[0];
        assert!(app.schema.is_empty(), "a URL is an endpoint, not a file");
        assert_eq!(
            app.settings.endpoint.as_deref(),
            Some("https://example.test/graphql")
        );
        assert_eq!(
            app.settings.api_key.as_ref().unwrap().expose(),
            "lt-from-header"
        );
        assert_eq!(app.settings.project_id.as_deref(), Some("p-1"));
        assert_eq!(
            config.project_for(&dir.join("admin/x.graphql")).name,
            "admin"
        );
    }

    #[test]
    fn errors_say_what_is_wrong() {
        let dir = temp_dir("errors");
        let bad = write(&dir, "x/.graphqlrc.yml", "schema: [unclosed\n");
        let err = Config::load(&bad).unwrap_err();
        assert!(err.to_string().contains("not valid YAML"), "{err}");
        assert!(matches!(
            err,
            ConfigError::Syntax {
                offset: Some(_),
                ..
            }
        ));
        let bad_json = write(&dir, "v/.graphqlrc.json", "{\n  \"schema\": ,\n}");
        match Config::load(&bad_json).unwrap_err() {
            ConfigError::Syntax {
                offset: Some(offset),
                ..
            } => assert_eq!(offset, 14),
            other => panic!("{other}"),
        }
        let script = write(&dir, "z/graphql.config.js", "module.exports = {}");
        assert!(matches!(
            Config::load(&script),
            Err(ConfigError::Script { .. })
        ));
    }

    #[test]
    fn wrong_shapes_are_problems_and_the_rest_is_used() {
        let dir = temp_dir("shapes");
        let text = "schema: s.graphql\ndocuments: 3\nexclude: 'a/{b'\n";
        let path = write(&dir, ".graphqlrc.yml", text);
        let config = Config::load(&path).unwrap();
        assert_eq!(config.projects[0].schema, vec!["s.graphql"]);
        assert!(config.projects[0].documents.is_empty());
        let found: Vec<(Code, &str)> = config
            .problems
            .iter()
            .map(|p| (p.code, &text[p.range.clone()]))
            .collect();
        assert_eq!(
            found,
            vec![
                (Code::ConfigInvalid, "documents"),
                (Code::ConfigInvalid, "exclude")
            ]
        );
        assert_eq!(config.errors().count(), 2);
    }

    #[test]
    fn projects_inherit_top_level_settings_and_env_is_interpolated() {
        let dir = temp_dir("inherit");
        write(&dir, ".env", "FLOWQL_TEST_PROJECT=1111-2222\n");
        let path = write(
            &dir,
            ".graphqlrc.yml",
            "extensions:\n  flowql:\n    endpoint: https://acme.example.test/graphql\n    projectId: ${FLOWQL_TEST_PROJECT}\nprojects:\n  app:\n    documents: app/*.graphql\n    extensions:\n      flowql:\n        offline: true\n        apiKey: ${FLOWQL_TEST_UNSET_KEY}\n",
        );
        let config = Config::load(&path).unwrap();
        let app = &config.projects[0];
        assert_eq!(app.name, "app");
        assert_eq!(
            app.settings.endpoint.as_deref(),
            Some("https://acme.example.test/graphql")
        );
        assert_eq!(app.settings.project_id.as_deref(), Some("1111-2222"));
        assert!(app.settings.offline);
        assert_eq!(app.settings.api_key, None);
        let unset: Vec<&ConfigProblem> = config
            .problems
            .iter()
            .filter(|p| p.code == Code::EnvVarUnset)
            .collect();
        assert_eq!(unset.len(), 1);
        assert_eq!(
            &config.text[unset[0].range.clone()],
            "${FLOWQL_TEST_UNSET_KEY}"
        );
    }
}
