//! `${VAR}` and `${VAR:default}` in configuration values, read from the environment and from a
//! `.env` file beside the configuration. An unset variable is reported, never silently empty.

use std::collections::HashMap;
use std::path::Path;

use serde_json::Value;

/// Where variable values come from: the process environment first, then `.env`.
#[derive(Debug, Default, Clone)]
pub struct EnvSource {
    process: HashMap<String, String>,
    dotenv: HashMap<String, String>,
    /// A `.env` file that exists but could not be read, with the reason.
    pub dotenv_error: Option<String>,
}

/// A `${NAME}` without a value, and the setting (dotted path) it was in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnsetVar {
    pub name: String,
    pub setting: String,
}

impl EnvSource {
    /// The process environment and the `.env` file in `dir`, if any.
    pub fn load(dir: &Path) -> EnvSource {
        let mut source = EnvSource {
            process: std::env::vars().collect(),
            ..EnvSource::default()
        };
        let path = dir.join(".env");
        if path.is_file() {
            match dotenvy::from_path_iter(&path) {
                Ok(iter) => {
                    for item in iter {
                        match item {
                            Ok((key, value)) => {
                                source.dotenv.insert(key, value);
                            }
                            Err(e) => {
                                source.dotenv_error = Some(format!("{}: {e}", path.display()));
                                break;
                            }
                        }
                    }
                }
                Err(e) => source.dotenv_error = Some(format!("{}: {e}", path.display())),
            }
        }
        source
    }

    /// A source with exactly these variables (tests, editor settings).
    pub fn from_pairs(pairs: &[(&str, &str)]) -> EnvSource {
        EnvSource {
            process: pairs
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
            ..EnvSource::default()
        }
    }

    pub fn get(&self, name: &str) -> Option<&str> {
        self.process
            .get(name)
            .or_else(|| self.dotenv.get(name))
            .map(String::as_str)
    }
}

/// Replaces every `${NAME}` / `${NAME:default}` in the string values of `value`, in place, and
/// returns the variables that had neither a value nor a default.
pub fn interpolate(value: &mut Value, env: &EnvSource) -> Vec<UnsetVar> {
    let mut unset = Vec::new();
    walk(value, &mut String::new(), env, &mut unset);
    unset
}

fn walk(value: &mut Value, path: &mut String, env: &EnvSource, unset: &mut Vec<UnsetVar>) {
    match value {
        Value::String(text) if text.contains("${") => {
            let (replaced, missing) = substitute(text, env);
            for name in missing {
                unset.push(UnsetVar {
                    name,
                    setting: path.clone(),
                });
            }
            *text = replaced;
        }
        Value::Array(items) => {
            for (i, item) in items.iter_mut().enumerate() {
                let len = path.len();
                path.push_str(&format!("[{i}]"));
                walk(item, path, env, unset);
                path.truncate(len);
            }
        }
        Value::Object(map) => {
            for (key, item) in map.iter_mut() {
                let len = path.len();
                if !path.is_empty() {
                    path.push('.');
                }
                path.push_str(key);
                walk(item, path, env, unset);
                path.truncate(len);
            }
        }
        _ => {}
    }
}

/// One string's substitution; unknown variables without a default become empty and are listed.
pub fn substitute(text: &str, env: &EnvSource) -> (String, Vec<String>) {
    let mut out = String::with_capacity(text.len());
    let mut missing = Vec::new();
    let mut rest = text;
    while let Some(start) = rest.find("${") {
        out.push_str(&rest[..start]);
        let after = &rest[start + 2..];
        let Some(end) = after.find('}') else {
            // No closing brace: not a placeholder.
            out.push_str(&rest[start..]);
            return (out, missing);
        };
        let inner = &after[..end];
        let (name, default) = match inner.split_once(':') {
            Some((name, default)) => (name.trim(), Some(default)),
            None => (inner.trim(), None),
        };
        match (env.get(name), default) {
            (Some(value), _) => out.push_str(value),
            (None, Some(default)) => out.push_str(default),
            (None, None) => missing.push(name.to_string()),
        }
        rest = &after[end + 1..];
    }
    out.push_str(rest);
    (out, missing)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn substitutes_values_and_defaults() {
        let env = EnvSource::from_pairs(&[("HOST", "api.test"), ("EMPTY", "")]);
        let (text, missing) =
            substitute("https://${HOST}/graphql?x=${EMPTY}&t=${TIMEOUT:15}", &env);
        assert_eq!(text, "https://api.test/graphql?x=&t=15");
        assert!(missing.is_empty());
    }

    #[test]
    fn unset_variables_are_reported_with_their_setting() {
        let env = EnvSource::from_pairs(&[]);
        let mut value =
            json!({"extensions": {"flowql": {"apiKey": "${LAMATIC_API_KEY}", "list": ["${A}"]}}});
        let unset = interpolate(&mut value, &env);
        assert_eq!(
            unset,
            vec![
                UnsetVar {
                    name: "LAMATIC_API_KEY".into(),
                    setting: "extensions.flowql.apiKey".into()
                },
                UnsetVar {
                    name: "A".into(),
                    setting: "extensions.flowql.list[0]".into()
                },
            ]
        );
        assert_eq!(value["extensions"]["flowql"]["apiKey"], "");
    }

    #[test]
    fn process_environment_wins_over_dotenv() {
        let dir = std::env::temp_dir().join(format!("flowql-env-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(
            dir.join(".env"),
            "FLOWQL_TEST_ONLY_IN_DOTENV=from-dotenv\nPATH=not-this\n",
        )
        .unwrap();
        let env = EnvSource::load(&dir);
        assert_eq!(env.get("FLOWQL_TEST_ONLY_IN_DOTENV"), Some("from-dotenv"));
        assert_ne!(env.get("PATH"), Some("not-this"));
        assert!(env.dotenv_error.is_none());
    }

    #[test]
    fn unclosed_placeholder_is_kept_as_text() {
        let (text, missing) = substitute("a${B", &EnvSource::default());
        assert_eq!(text, "a${B");
        assert!(missing.is_empty());
    }
}
