//! The editor settings (`flowql.*`): one table from which the VS Code manifest's
//! `contributes.configuration`, the settings table of `docs/configuration.md` and the keys the
//! server accepts are all derived, so they cannot drift apart (tests compare them).

use serde_json::{json, Map, Value};

/// The JSON type of a setting.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    String,
    Boolean,
    StringList,
    /// One of a few strings.
    Choice(&'static [&'static str]),
}

/// One `flowql.*` setting.
#[derive(Debug, Clone, Copy)]
pub struct EditorSetting {
    /// The key under `flowql.` (dotted for nested keys, as VS Code writes them).
    pub key: &'static str,
    pub kind: Kind,
    /// The default, as JSON text.
    pub default: &'static str,
    /// Markdown, one or two sentences.
    pub description: &'static str,
    /// Read by the server (sent as `initializationOptions` and `didChangeConfiguration`);
    /// otherwise only the editor extension uses it.
    pub server: bool,
    /// Machine-specific (a path): VS Code keeps it out of synced and workspace settings.
    pub machine: bool,
}

/// A setting read by the server, not machine-specific: the base of the table's entries.
const SETTING: EditorSetting = EditorSetting {
    key: "",
    kind: Kind::String,
    default: "\"\"",
    description: "",
    server: true,
    machine: false,
};

/// Every `flowql.*` setting, in the order editors show them.
pub const EDITOR_SETTINGS: &[EditorSetting] = &[
    EditorSetting {
        key: "path",
        description: "Path of the `flowql` binary. Empty: the binary shipped inside the extension, else `flowql` on `PATH`.",
        server: false,
        machine: true,
        ..SETTING
    },
    EditorSetting {
        key: "endpoint",
        description: "The project's GraphQL endpoint (Studio, project settings), ending in `/graphql`. A graphql-config file's `extensions.flowql.endpoint` wins over it.",
        ..SETTING
    },
    EditorSetting {
        key: "projectId",
        description: "The project's ID, sent as `x-project-id`.",
        ..SETTING
    },
    EditorSetting {
        key: "apiKeyEnv",
        description: "The name of the environment variable that holds the project API key (the key itself never goes into settings).",
        ..SETTING
    },
    EditorSetting {
        key: "restApi",
        description: "Base URL of the organisation REST API, for Flow input schemas.",
        ..SETTING
    },
    EditorSetting {
        key: "orgId",
        description: "The organisation's ID, for the REST API.",
        ..SETTING
    },
    EditorSetting {
        key: "orgKeyEnv",
        description: "The name of the environment variable that holds the organisation key (`lt-org-...`).",
        ..SETTING
    },
    EditorSetting {
        key: "cacheDir",
        description: "Where fetched schemas and flows are cached. Empty: `$FLOWQL_CACHE_DIR`, else `~/.cache/flowql`.",
        machine: true,
        ..SETTING
    },
    EditorSetting {
        key: "offline",
        kind: Kind::Boolean,
        default: "false",
        description: "Never use the network: the cached or bundled schema is used.",
        ..SETTING
    },
    EditorSetting {
        key: "strict",
        kind: Kind::Boolean,
        default: "false",
        description: "Missing and unknown payload fields are errors, not warnings.",
        ..SETTING
    },
    EditorSetting {
        key: "flowExports",
        kind: Kind::StringList,
        default: "[]",
        description: "Globs of flow export files (`flows/*.json`), relative to the workspace folder, for projects without a configuration file.",
        ..SETTING
    },
    EditorSetting {
        key: "docsBaseUrl",
        description: "Where error-code links in diagnostics point. Empty: flowql's published error reference.",
        ..SETTING
    },
    EditorSetting {
        key: "inlayHints",
        kind: Kind::Boolean,
        default: "true",
        description: "After each flow id flowql resolves (a UUID, an environment variable, a step id), show the name of the flow it runs.",
        ..SETTING
    },
    EditorSetting {
        key: "trace.server",
        kind: Kind::Choice(&["off", "messages", "verbose"]),
        default: "\"off\"",
        description: "Log the messages between the editor and the server in the output channel.",
        server: false,
        ..SETTING
    },
];

/// The keys under `flowql.` the server reads (the first dotted segment of each).
pub fn server_keys() -> impl Iterator<Item = &'static str> {
    EDITOR_SETTINGS.iter().filter(|s| s.server).map(|s| s.key)
}

/// The keys the server ignores because only an editor extension uses them.
pub fn editor_only_keys() -> impl Iterator<Item = &'static str> {
    EDITOR_SETTINGS
        .iter()
        .filter(|s| !s.server)
        .map(|s| s.key.split('.').next().unwrap_or(s.key))
}

fn default_value(s: &EditorSetting) -> Value {
    serde_json::from_str(s.default).expect("defaults in the table are JSON")
}

/// `contributes.configuration.properties` of the VS Code manifest.
pub fn vscode_properties() -> Value {
    let mut properties = Map::new();
    for s in EDITOR_SETTINGS {
        let mut property = match s.kind {
            Kind::String => json!({ "type": "string" }),
            Kind::Boolean => json!({ "type": "boolean" }),
            Kind::StringList => json!({ "type": "array", "items": { "type": "string" } }),
            Kind::Choice(values) => json!({ "type": "string", "enum": values }),
        };
        let object = property.as_object_mut().expect("built as an object");
        object.insert("default".into(), default_value(s));
        object.insert("markdownDescription".into(), s.description.into());
        let scope = if s.machine {
            "machine-overridable"
        } else {
            "resource"
        };
        object.insert("scope".into(), scope.into());
        properties.insert(format!("flowql.{}", s.key), property);
    }
    Value::Object(properties)
}

/// The settings table of `docs/configuration.md`.
pub fn markdown_table() -> String {
    let mut out = String::from("| setting | type | default | meaning |\n|---|---|---|---|\n");
    for s in EDITOR_SETTINGS {
        let kind = match s.kind {
            Kind::String => "string".to_string(),
            Kind::Boolean => "boolean".to_string(),
            Kind::StringList => "list of strings".to_string(),
            Kind::Choice(values) => values.join(" \\| "),
        };
        let used_by = if s.server { "" } else { " (editor only)" };
        out.push_str(&format!(
            "| `flowql.{}` | {kind} | `{}` | {}{used_by} |\n",
            s.key, s.default, s.description
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_server_setting_is_accepted_by_the_server() {
        // Nested as editors send them: `trace.server` arrives as `{"trace": {"server": ...}}`.
        let mut settings = Map::new();
        for s in EDITOR_SETTINGS {
            let mut segments: Vec<&str> = s.key.split('.').collect();
            let last = segments.pop().expect("keys are not empty");
            let mut map = &mut settings;
            for segment in segments {
                map = map
                    .entry(segment)
                    .or_insert_with(|| json!({}))
                    .as_object_mut()
                    .expect("an object");
            }
            map.insert(last.to_string(), default_value(s));
        }
        let (_, problems) = super::super::settings::from_editor(&json!({ "flowql": settings }));
        assert_eq!(problems, Vec::<String>::new());
    }

    #[test]
    fn an_unknown_editor_setting_is_reported() {
        let (_, problems) =
            super::super::settings::from_editor(&json!({ "flowql": { "endpiont": "x" } }));
        assert_eq!(problems.len(), 1, "{problems:?}");
    }

    fn repository_file(path: &str) -> String {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
        std::fs::read_to_string(root.join(path)).unwrap_or_else(|e| panic!("{path}: {e}"))
    }

    #[test]
    fn the_configuration_docs_show_this_table() {
        let docs = repository_file("docs/configuration.md");
        let start = docs
            .find("<!-- editor-settings:start")
            .and_then(|i| docs[i..].find('\n').map(|j| i + j + 1))
            .expect("docs/configuration.md has the start marker");
        let end = docs
            .find("<!-- editor-settings:end -->")
            .expect("docs/configuration.md has the end marker");
        assert_eq!(
            &docs[start..end],
            markdown_table(),
            "docs/configuration.md is out of date: paste `cargo run -q -- settings --format markdown` between its markers"
        );
    }

    #[test]
    fn the_vscode_manifest_offers_these_settings() {
        let manifest: Value =
            serde_json::from_str(&repository_file("editors/vscode/package.json")).unwrap();
        assert_eq!(
            manifest["contributes"]["configuration"]["properties"],
            vscode_properties(),
            "editors/vscode/package.json is out of date: run `npm run sync-settings` in editors/vscode"
        );
    }

    #[test]
    fn every_setting_is_described_and_typed() {
        let properties = vscode_properties();
        for s in EDITOR_SETTINGS {
            assert!(!s.description.is_empty(), "{} has no description", s.key);
            let property = &properties[format!("flowql.{}", s.key)];
            assert!(property["type"].is_string(), "{}", s.key);
        }
    }
}
