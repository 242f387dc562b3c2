//! flowql's own settings (`extensions.flowql` in graphql-config, or the editor's settings):
//! read, checked, and every problem reported at the key that causes it.

use std::fmt;
use std::ops::Range;
use std::path::PathBuf;

use serde_json::{Map, Value};

use super::env::UnsetVar;
use super::locate;
use crate::base::catalog::Code;
use crate::base::spelling::closest;

/// The keys flowql reads under `extensions.flowql`.
pub const KEYS: &[&str] = &[
    "endpoint",
    "projectId",
    "apiKey",
    "restApi",
    "orgId",
    "orgKey",
    "cacheDir",
    "offline",
    "strict",
    "flows",
    "flowExports",
    "payloads",
    "variables",
];

/// A secret (API key): never printed by `Debug` or `Display`, so it cannot reach a log.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct Secret(String);

impl Secret {
    pub fn new(value: impl Into<String>) -> Self {
        Secret(value.into())
    }

    /// The value, for the one place that needs it: the request header.
    pub fn expose(&self) -> &str {
        &self.0
    }

    pub fn is_org_key(&self) -> bool {
        self.0.starts_with("lt-org-")
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(<redacted>)")
    }
}

impl fmt::Display for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<redacted>")
    }
}

/// flowql's settings for one project. Empty strings count as absent.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FlowqlSettings {
    pub endpoint: Option<String>,
    pub project_id: Option<String>,
    pub api_key: Option<Secret>,
    pub rest_api: Option<String>,
    pub org_id: Option<String>,
    pub org_key: Option<Secret>,
    pub cache_dir: Option<PathBuf>,
    pub offline: bool,
    pub strict: bool,
    /// `flows`: flow id -> `{ name?, schema: <path>, status? }`, as written.
    pub flows: Option<Value>,
    /// `flowExports`: globs of flow export files.
    pub flow_exports: Vec<String>,
    /// `payloads`: payload JSON files and the flow each is sent to.
    pub payloads: Vec<PayloadFiles>,
    /// `variables`: operation file -> its variables file, where the `name.variables.json`
    /// convention does not hold (paths relative to the configuration).
    pub variables: Vec<(String, String)>,
}

/// `{ files: "<glob>", flow: "<flow id>" }` of `payloads`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PayloadFiles {
    pub files: String,
    pub flow: String,
}

/// What the quick fix for a literal key does: put `value` in `.env` as `variable`, and write
/// `${variable}` where the key was.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SecretFix {
    pub variable: String,
    pub value: Secret,
}

/// A problem in a configuration file, at a byte range of its text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigProblem {
    pub code: Code,
    pub range: Range<usize>,
    pub message: String,
    pub fix: Option<SecretFix>,
}

impl ConfigProblem {
    fn new(code: Code, range: Range<usize>, message: impl Into<String>) -> Self {
        ConfigProblem {
            code,
            range,
            message: message.into(),
            fix: None,
        }
    }
}

/// The settings under `extensions.flowql` of a project map (`path` is its dotted location in
/// the file, empty for the top level), read from the interpolated value; `raw` is the same map
/// before interpolation, to tell literal keys from `${...}` references.
pub fn read(
    map: &Map<String, Value>,
    raw: Option<&Map<String, Value>>,
    path: &str,
    text: &str,
    base: &FlowqlSettings,
    problems: &mut Vec<ConfigProblem>,
) -> FlowqlSettings {
    let mut settings = base.clone();
    let prefix = if path.is_empty() {
        "extensions.flowql".to_string()
    } else {
        format!("{path}.extensions.flowql")
    };
    let Some(section) = map.get("extensions").and_then(|e| e.get("flowql")) else {
        return settings;
    };
    let Value::Object(section) = section else {
        problems.push(ConfigProblem::new(
            Code::ConfigInvalid,
            locate::key(text, &prefix),
            "`extensions.flowql` must be a map of settings",
        ));
        return settings;
    };
    let raw_section = raw
        .and_then(|r| r.get("extensions"))
        .and_then(|e| e.get("flowql"))
        .and_then(Value::as_object);
    for (key, value) in section {
        let at = format!("{prefix}.{key}");
        let range = || locate::key(text, &at);
        let string = |problems: &mut Vec<ConfigProblem>| -> Option<String> {
            match value {
                Value::String(s) if s.trim().is_empty() => None,
                Value::String(s) => Some(s.trim().to_string()),
                Value::Null => None,
                _ => {
                    problems.push(ConfigProblem::new(
                        Code::ConfigInvalid,
                        range(),
                        format!("`{key}` must be a string"),
                    ));
                    None
                }
            }
        };
        match key.as_str() {
            "endpoint" => settings.endpoint = string(problems).or(settings.endpoint),
            "projectId" => settings.project_id = string(problems).or(settings.project_id),
            "restApi" => settings.rest_api = string(problems).or(settings.rest_api),
            "orgId" => settings.org_id = string(problems).or(settings.org_id),
            "cacheDir" => {
                settings.cache_dir = string(problems).map(PathBuf::from).or(settings.cache_dir)
            }
            "apiKey" | "orgKey" => {
                let secret = string(problems).map(Secret::new);
                let raw_value = raw_section.and_then(|r| r.get(key)).and_then(Value::as_str);
                if let (Some(secret), Some(raw_value)) = (&secret, raw_value) {
                    if !raw_value.contains("${") {
                        let variable = if key == "apiKey" {
                            "FLOWQL_API_KEY"
                        } else {
                            "FLOWQL_ORG_KEY"
                        };
                        problems.push(ConfigProblem {
                            code: Code::LiteralSecret,
                            range: locate::value(text, &at, raw_value),
                            message: format!(
                                "`{key}` is written in the configuration file, where version control keeps it; move it to `.env` and write `${{{variable}}}` here"
                            ),
                            fix: Some(SecretFix {
                                variable: variable.to_string(),
                                value: secret.clone(),
                            }),
                        });
                    }
                }
                if key == "apiKey" {
                    settings.api_key = secret.or(settings.api_key);
                } else {
                    settings.org_key = secret.or(settings.org_key);
                }
            }
            "offline" | "strict" => {
                let flag = match value {
                    Value::Bool(b) => Some(*b),
                    Value::String(s) if s == "true" || s == "false" => Some(s == "true"),
                    Value::Null => None,
                    _ => {
                        problems.push(ConfigProblem::new(
                            Code::ConfigInvalid,
                            range(),
                            format!("`{key}` must be true or false"),
                        ));
                        None
                    }
                };
                if let Some(flag) = flag {
                    if key == "offline" {
                        settings.offline = flag;
                    } else {
                        settings.strict = flag;
                    }
                }
            }
            "flows" => match value {
                Value::Object(_) => settings.flows = Some(value.clone()),
                Value::Null => {}
                _ => problems.push(ConfigProblem::new(
                    Code::ConfigInvalid,
                    range(),
                    "`flows` must be a map from flow id to `{ name?, schema, status? }`",
                )),
            },
            "flowExports" => match value {
                Value::String(glob) => settings.flow_exports = vec![glob.clone()],
                Value::Array(items) if items.iter().all(Value::is_string) => {
                    settings.flow_exports = items
                        .iter()
                        .filter_map(Value::as_str)
                        .map(str::to_string)
                        .collect()
                }
                _ => problems.push(ConfigProblem::new(
                    Code::ConfigInvalid,
                    range(),
                    "`flowExports` must be a glob or a list of globs",
                )),
            },
            "variables" => match value {
                Value::Object(map) if map.values().all(Value::is_string) => {
                    settings.variables = map
                        .iter()
                        .filter_map(|(op, file)| Some((op.clone(), file.as_str()?.to_string())))
                        .collect()
                }
                _ => problems.push(ConfigProblem::new(
                    Code::ConfigInvalid,
                    range(),
                    "`variables` must map an operation file to its variables file",
                )),
            },
            "payloads" => {
                let entries = value.as_array().map(|items| {
                    items
                        .iter()
                        .map(|item| {
                            Some(PayloadFiles {
                                files: item.get("files")?.as_str()?.to_string(),
                                flow: item.get("flow")?.as_str()?.to_string(),
                            })
                        })
                        .collect::<Option<Vec<_>>>()
                });
                match entries.flatten() {
                    Some(entries) => settings.payloads = entries,
                    None => problems.push(ConfigProblem::new(
                        Code::ConfigInvalid,
                        range(),
                        "`payloads` must be a list of `{ files: \"<glob>\", flow: \"<flow id>\" }`",
                    )),
                }
            }
            unknown => {
                let hint = closest(unknown, KEYS.iter().copied())
                    .map(|s| format!("; did you mean `{s}`?"))
                    .unwrap_or_default();
                problems.push(ConfigProblem::new(
                    Code::ConfigUnknownKey,
                    range(),
                    format!("flowql has no setting `{unknown}`; it is ignored{hint}"),
                ));
            }
        }
    }
    check(&settings, &prefix, text, problems);
    settings
}

/// The editor's settings (`initializationOptions`, or `flowql` of `didChangeConfiguration`):
/// the same keys as `extensions.flowql`, plus `apiKeyEnv`, the name of the environment variable
/// that holds the key (editors should not store keys in their settings files).
pub fn from_editor(value: &Value) -> (FlowqlSettings, Vec<String>) {
    let section = value.get("flowql").unwrap_or(value);
    let mut map = section.as_object().cloned().unwrap_or_default();
    let mut from_env = |name: &str| {
        map.remove(name)
            .and_then(|v| v.as_str().map(str::to_string))
            .filter(|name| !name.is_empty())
            .and_then(|name| std::env::var(name).ok())
            .filter(|value| !value.is_empty())
            .map(Secret::new)
    };
    let key_from_env = from_env("apiKeyEnv");
    let org_key_from_env = from_env("orgKeyEnv");
    // `docsBaseUrl` and `inlayHints` are read by the server's protocol layer, the others by
    // editor extensions.
    map.remove("docsBaseUrl");
    map.remove("inlayHints");
    for editor_only in super::editor_settings::editor_only_keys() {
        map.remove(editor_only);
    }
    let wrapped: Map<String, Value> = [(
        "extensions".to_string(),
        Value::Object(
            [("flowql".to_string(), Value::Object(map))]
                .into_iter()
                .collect(),
        ),
    )]
    .into_iter()
    .collect();
    let mut problems = Vec::new();
    // The raw map is not passed: a key in the editor's settings is not a committed secret.
    let mut settings = read(
        &wrapped,
        None,
        "",
        "",
        &FlowqlSettings::default(),
        &mut problems,
    );
    if settings.api_key.is_none() {
        settings.api_key = key_from_env;
    }
    if settings.org_key.is_none() {
        settings.org_key = org_key_from_env;
    }
    let messages = problems.into_iter().map(|p| p.message).collect();
    (settings, messages)
}

/// Checks of values that are well-typed but wrong.
fn check(settings: &FlowqlSettings, prefix: &str, text: &str, problems: &mut Vec<ConfigProblem>) {
    if let Some(endpoint) = &settings.endpoint {
        let at = format!("{prefix}.endpoint");
        if !(endpoint.starts_with("https://") || endpoint.starts_with("http://")) {
            problems.push(ConfigProblem::new(
                Code::ConfigInvalid,
                locate::key(text, &at),
                format!("`endpoint` must be an http(s) URL, found `{endpoint}`"),
            ));
        } else if !endpoint.trim_end_matches('/').ends_with("/graphql") {
            problems.push(ConfigProblem::new(
                Code::EndpointWithoutGraphqlPath,
                locate::key(text, &at),
                format!("`{endpoint}` does not end in `/graphql`; project endpoints do"),
            ));
        }
    }
    if settings.api_key.as_ref().is_some_and(Secret::is_org_key) {
        problems.push(ConfigProblem::new(
            Code::OrgKeyOnProjectEndpoint,
            locate::key(text, &format!("{prefix}.apiKey")),
            "`apiKey` holds an organisation key (`lt-org-...`); the project endpoint needs a project key",
        ));
    }
}

/// Problems for `${NAME}` references without a value.
pub fn unset_problems(unset: &[UnsetVar], text: &str) -> Vec<ConfigProblem> {
    unset
        .iter()
        .map(|u| {
            let placeholder = format!("${{{}", u.name);
            let range = locate::text_range(text, &placeholder)
                .map(|r| r.start..r.end + 1)
                .unwrap_or_else(|| locate::key(text, &u.setting));
            ConfigProblem::new(
                Code::EnvVarUnset,
                range,
                format!(
                    "`${{{}}}` is not set in the environment or in `.env`, so `{}` has no value",
                    u.name, u.setting
                ),
            )
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn read_top(value: Value, text: &str) -> (FlowqlSettings, Vec<ConfigProblem>) {
        let mut problems = Vec::new();
        let map = value.as_object().unwrap().clone();
        let settings = read(
            &map,
            Some(&map),
            "",
            text,
            &FlowqlSettings::default(),
            &mut problems,
        );
        (settings, problems)
    }

    #[test]
    fn reads_every_setting() {
        let value = json!({"extensions": {"flowql": {
            "endpoint": "https://acme-app.example.test/graphql", "projectId": "p", "restApi": "https://api.test",
            "orgId": "o", "cacheDir": "/tmp/c", "offline": true, "strict": "true"}}});
        let (settings, problems) = read_top(value, "");
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(
            settings.endpoint.as_deref(),
            Some("https://acme-app.example.test/graphql")
        );
        assert!(settings.offline && settings.strict);
        assert_eq!(settings.cache_dir, Some(PathBuf::from("/tmp/c")));
    }

    #[test]
    fn literal_keys_warn_with_a_fix_and_never_print() {
        let text = "extensions:\n  flowql:\n    apiKey: lt-abc123\n";
        let (settings, problems) = read_top(
            json!({"extensions": {"flowql": {"apiKey": "lt-abc123"}}}),
            text,
        );
        assert_eq!(problems.len(), 1);
        assert_eq!(problems[0].code, Code::LiteralSecret);
        assert_eq!(&text[problems[0].range.clone()], "lt-abc123");
        assert!(!problems[0].message.contains("lt-abc123"));
        assert_eq!(problems[0].fix.as_ref().unwrap().variable, "FLOWQL_API_KEY");
        let key = settings.api_key.unwrap();
        assert_eq!(key.expose(), "lt-abc123");
        assert!(!format!("{key:?} {key}").contains("abc"));
    }

    #[test]
    fn wrong_values_are_reported_at_their_key() {
        let text = "extensions:\n  flowql:\n    endpoint: ftp://x\n    offlne: true\n    strict: 3\n    apiKey: ${K}\n";
        let mut value = json!({"extensions": {"flowql": {"endpoint": "ftp://x", "offlne": true, "strict": 3, "apiKey": "lt-org-1"}}});
        let raw = json!({"extensions": {"flowql": {"endpoint": "ftp://x", "offlne": true, "strict": 3, "apiKey": "${K}"}}});
        let mut problems = Vec::new();
        read(
            value.as_object_mut().unwrap(),
            raw.as_object(),
            "",
            text,
            &FlowqlSettings::default(),
            &mut problems,
        );
        let found: Vec<(Code, &str)> = problems
            .iter()
            .map(|p| (p.code, &text[p.range.clone()]))
            .collect();
        assert!(
            found.contains(&(Code::ConfigInvalid, "endpoint")),
            "{found:?}"
        );
        assert!(
            found.contains(&(Code::ConfigUnknownKey, "offlne")),
            "{found:?}"
        );
        assert!(
            found.contains(&(Code::ConfigInvalid, "strict")),
            "{found:?}"
        );
        assert!(
            found.contains(&(Code::OrgKeyOnProjectEndpoint, "apiKey")),
            "{found:?}"
        );
        let unknown = problems
            .iter()
            .find(|p| p.code == Code::ConfigUnknownKey)
            .unwrap();
        assert!(unknown.message.contains("did you mean `offline`?"));
    }

    #[test]
    fn editor_settings_read_the_key_from_a_named_variable() {
        // PATH stands in for the variable holding the key: it is always set.
        let (settings, problems) = from_editor(&json!({"flowql": {
            "endpoint": "https://acme.example.test/graphql", "apiKeyEnv": "PATH",
            "offline": false, "docsBaseUrl": "https://docs.test", "bogus": 1}}));
        assert_eq!(
            settings.api_key.unwrap().expose(),
            std::env::var("PATH").unwrap()
        );
        assert_eq!(
            settings.endpoint.as_deref(),
            Some("https://acme.example.test/graphql")
        );
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert!(problems[0].contains("bogus"));
    }

    #[test]
    fn endpoint_without_graphql_path_warns() {
        let text = "extensions:\n  flowql:\n    endpoint: https://acme.example.test\n";
        let (_, problems) = read_top(
            json!({"extensions": {"flowql": {"endpoint": "https://acme.example.test"}}}),
            text,
        );
        assert_eq!(problems[0].code, Code::EndpointWithoutGraphqlPath);
    }

    #[test]
    fn unset_variables_point_at_the_placeholder() {
        let text = "extensions:\n  flowql:\n    apiKey: ${LAMATIC_API_KEY}\n";
        let problems = unset_problems(
            &[UnsetVar {
                name: "LAMATIC_API_KEY".into(),
                setting: "extensions.flowql.apiKey".into(),
            }],
            text,
        );
        assert_eq!(&text[problems[0].range.clone()], "${LAMATIC_API_KEY}");
        assert_eq!(problems[0].code, Code::EnvVarUnset);
    }
}
