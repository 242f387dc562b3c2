//! Reading a configuration file: its text parsed by format (a `ConfigError` when it cannot be),
//! and the values of its `schema`, `headers` and list fields.

use std::path::{Path, PathBuf};

use serde_json::Value;

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

/// `schema` may be a string, a list, or graphql-config's `{ "<url>": { headers } }` form.
pub(super) fn schema_locations(value: Option<&Value>) -> Result<Vec<String>, String> {
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
pub(super) fn schema_headers(value: Option<&Value>, url: &str) -> Vec<(String, String)> {
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

pub(super) fn string_list(value: Option<&Value>) -> Result<Vec<String>, String> {
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
pub(super) fn parse_value(path: &Path, text: &str) -> Result<Value, ConfigError> {
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
pub(super) fn line_column_offset(text: &str, line: usize, column: usize) -> Option<usize> {
    let start: usize = text
        .split_inclusive('\n')
        .take(line.checked_sub(1)?)
        .map(str::len)
        .sum();
    Some((start + column.saturating_sub(1)).min(text.len()))
}
