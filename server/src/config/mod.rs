//! graphql-config discovery and reading: the `schema`, `documents` and `exclude` keys, at the
//! top level or per project of a `projects:` map.

use std::path::{Path, PathBuf};

use globset::{Glob, GlobSet, GlobSetBuilder};
use serde_json::Value;

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

/// Folders never searched for documents.
const SKIPPED_DIRS: &[&str] = &["node_modules", ".git", "target", "dist", "build"];

/// A graphql-config file, read.
#[derive(Debug, Clone)]
pub struct Config {
    /// The config file itself.
    pub path: PathBuf,
    /// At least one: the top level is the project named `default` when there is no `projects:`.
    pub projects: Vec<Project>,
}

/// One project of a config: where its schema is and which files are its documents.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Project {
    pub name: String,
    /// Schema locations as written (paths relative to the config's folder, or URLs).
    pub schema: Vec<String>,
    pub documents: Vec<String>,
    pub exclude: Vec<String>,
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
    },
    #[error("{path}: {message}")]
    Shape { path: PathBuf, message: String },
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
    /// Reads and checks a config file.
    pub fn load(path: &Path) -> Result<Config, ConfigError> {
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
        let value = parse_value(path, &text)?;
        Config::from_value(path, &value)
    }

    fn from_value(path: &Path, value: &Value) -> Result<Config, ConfigError> {
        let shape = |message: String| ConfigError::Shape {
            path: path.to_path_buf(),
            message,
        };
        let Value::Object(top) = value else {
            return Err(shape("expected a map of settings at the top level".into()));
        };
        let mut projects = Vec::new();
        if let Some(map) = top.get("projects") {
            let Value::Object(map) = map else {
                return Err(shape(
                    "`projects` must be a map from project name to settings".into(),
                ));
            };
            for (name, settings) in map {
                projects.push(Project::from_value(name, settings).map_err(shape)?);
            }
        }
        if top.contains_key("schema") || top.contains_key("documents") || projects.is_empty() {
            projects.insert(0, Project::from_value("default", value).map_err(shape)?);
        }
        let config = Config {
            path: path.to_path_buf(),
            projects,
        };
        // Fail early on a bad glob rather than on the first document lookup.
        for project in &config.projects {
            config.globs(&project.documents)?;
            config.globs(&project.exclude)?;
        }
        Ok(config)
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
        let (Ok(documents), Ok(exclude)) =
            (self.globs(&project.documents), self.globs(&project.exclude))
        else {
            return false;
        };
        documents.is_match(relative) && !exclude.is_match(relative)
    }

    /// The project a file belongs to: the first whose documents match it, else the first one.
    pub fn project_for(&self, file: &Path) -> &Project {
        self.projects
            .iter()
            .find(|p| !p.documents.is_empty() && self.matches(p, file))
            .unwrap_or(&self.projects[0])
    }

    /// Every document file of a project, sorted, found under the config's folder.
    pub fn document_files(&self, project: &Project) -> Result<Vec<PathBuf>, ConfigError> {
        let documents = self.globs(&project.documents)?;
        let exclude = self.globs(&project.exclude)?;
        let mut files: Vec<PathBuf> = walkdir::WalkDir::new(self.dir())
            .into_iter()
            .filter_entry(|e| {
                !(e.file_type().is_dir() && e.depth() > 0 && is_skipped_dir(e.path()))
            })
            .filter_map(Result::ok)
            .filter(|e| e.file_type().is_file())
            .filter_map(|e| {
                let relative = e.path().strip_prefix(self.dir()).ok()?;
                (documents.is_match(relative) && !exclude.is_match(relative))
                    .then(|| e.path().to_path_buf())
            })
            .collect();
        files.sort();
        Ok(files)
    }
}

fn is_skipped_dir(path: &Path) -> bool {
    path.file_name()
        .and_then(|n| n.to_str())
        .is_some_and(|n| SKIPPED_DIRS.contains(&n))
}

impl Project {
    fn from_value(name: &str, value: &Value) -> Result<Project, String> {
        let Value::Object(map) = value else {
            return Err(format!("project `{name}` must be a map of settings"));
        };
        Ok(Project {
            name: name.to_string(),
            schema: schema_locations(map.get("schema"))
                .map_err(|m| format!("`schema` of project `{name}`: {m}"))?,
            documents: string_list(map.get("documents"))
                .map_err(|m| format!("`documents` of project `{name}`: {m}"))?,
            exclude: string_list(map.get("exclude"))
                .map_err(|m| format!("`exclude` of project `{name}`: {m}"))?,
        })
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
    let syntax = |format: &'static str, message: String| ConfigError::Syntax {
        path: path.to_path_buf(),
        format,
        message,
    };
    match path.extension().and_then(|e| e.to_str()) {
        Some("json") => serde_json::from_str(text).map_err(|e| syntax("JSON", e.to_string())),
        Some("toml") => toml::from_str(text).map_err(|e| syntax("TOML", e.to_string())),
        // YAML is a superset of JSON, so this also reads a JSON `.graphqlrc`.
        _ => {
            if text.trim().is_empty() {
                return Ok(Value::Object(Default::default()));
            }
            serde_yaml_ng::from_str(text).map_err(|e| syntax("YAML", e.to_string()))
        }
    }
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
            "projects:\n  app:\n    schema:\n      https://example.test/graphql:\n        headers: {}\n    documents: app/*.graphql\n  admin:\n    schema: admin.graphql\n    documents: admin/*.graphql\n",
        );
        let config = Config::load(&path).unwrap();
        assert_eq!(config.projects.len(), 2);
        assert_eq!(
            config.projects[0].schema,
            vec!["https://example.test/graphql"]
        );
        assert_eq!(
            config.project_for(&dir.join("admin/x.graphql")).name,
            "admin"
        );
    }

    #[test]
    fn errors_say_what_is_wrong() {
        let dir = temp_dir("errors");
        let bad = write(&dir, "x/.graphqlrc.yml", "schema: [unclosed\n");
        let err = Config::load(&bad).unwrap_err().to_string();
        assert!(err.contains("not valid YAML"), "{err}");
        let shape = write(&dir, "y/.graphqlrc.json", r#"{"documents": 3}"#);
        let err = Config::load(&shape).unwrap_err().to_string();
        assert!(err.contains("`documents`"), "{err}");
        let script = write(&dir, "z/graphql.config.js", "module.exports = {}");
        assert!(matches!(
            Config::load(&script),
            Err(ConfigError::Script { .. })
        ));
        let glob = write(&dir, "w/.graphqlrc.yml", "documents: 'a/{b'\n");
        assert!(matches!(Config::load(&glob), Err(ConfigError::Glob { .. })));
    }
}
