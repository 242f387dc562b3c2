//! Tests of configuration files: each format, projects, globs, schema locations and headers,
//! broken files.

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
