//! `flowql check` and `flowql schema pull` against the fake platform: fetches, the cache,
//! refused keys, and configuration problems that stop a check.

use std::path::PathBuf;

use serde_json::Value;

use crate::support;
use crate::support::cli::{flowql, temp_dir};

fn endpoint_project(
    name: &str,
    fake: &support::fake_platform::FakePlatform,
    key: &str,
    offline: bool,
) -> PathBuf {
    let dir = temp_dir(name);
    std::fs::write(
        dir.join(".graphqlrc.yml"),
        format!(
            "documents: '*.graphql'\nextensions:\n  flowql:\n    endpoint: {}\n    projectId: {}\n    apiKey: ${{FLOWQL_TEST_KEY}}\n    cacheDir: {}\n    offline: {offline}\n",
            fake.url(),
            support::fake_platform::PROJECT_ID,
            dir.join("cache").display()
        ),
    )
    .unwrap();
    std::fs::write(dir.join(".env"), format!("FLOWQL_TEST_KEY={key}\n")).unwrap();
    std::fs::write(dir.join("ping.graphql"), "query Ping { ping }\n").unwrap();
    dir
}

#[test]
fn schema_pull_fetches_and_caches_then_check_uses_the_cache() {
    let fake = support::fake_platform::FakePlatform::start();
    fake.set_schema(
        &flowql::schema::BUNDLED_SDL.replace("type Query {", "type Query {\n  ping: String"),
    );
    let dir = endpoint_project("pull", &fake, support::fake_platform::API_KEY, false);

    let out = flowql(&["schema", "pull"], &dir);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.starts_with("default: fetched http://")
            && text.contains("types")
            && text.contains("cached at"),
        "{text}"
    );

    let out = flowql(&["check", "--format", "json"], &dir);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    assert_eq!(fake.requests(), 1, "check used the cache");

    let out = flowql(&["schema", "show"], &dir);
    assert_eq!(out.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&out.stdout).contains("ping: String"));
    let source = String::from_utf8(out.stderr).unwrap();
    assert!(
        source.contains("the schema of http://") && source.contains("fetched"),
        "{source}"
    );
}

#[test]
fn check_fetches_only_when_nothing_is_cached_and_never_offline() {
    let fake = support::fake_platform::FakePlatform::start();
    fake.set_schema(
        &flowql::schema::BUNDLED_SDL.replace("type Query {", "type Query {\n  ping: String"),
    );
    let dir = endpoint_project("fetchonce", &fake, support::fake_platform::API_KEY, false);
    let out = flowql(&["check", "--offline"], &dir);
    assert_eq!(
        out.status.code(),
        Some(1),
        "offline: the bundled schema has no `ping`"
    );
    assert_eq!(fake.requests(), 0);
    let out = flowql(&["check"], &dir);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    let out = flowql(&["check"], &dir);
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(fake.requests(), 1);
}

#[test]
fn schema_pull_explains_a_refused_key_and_exits_2() {
    let fake = support::fake_platform::FakePlatform::start();
    let dir = endpoint_project("refused", &fake, "lt-wrong-key-000000", false);
    let out = flowql(&["schema", "pull"], &dir);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(
        err.contains("401 Unauthorized")
            && err.contains("code: UNAUTHORIZED (HTTP 401)")
            && err.contains("fix: Send the header"),
        "{err}"
    );
    assert!(!err.contains("lt-wrong-key"));

    // check reports the failure, falls back to the bundled schema and says so on the file.
    let out = flowql(&["check", "--format", "json"], &dir);
    assert_eq!(out.status.code(), Some(1));
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    let codes: Vec<&str> = report["files"][0]["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["code"].as_str().unwrap())
        .collect();
    assert_eq!(codes, vec!["SCHEMA_LOAD_FAILED", "UNKNOWN_FIELD"]);
}

#[test]
fn configuration_problems_are_printed_and_errors_stop_the_check() {
    let dir = temp_dir("problems");
    std::fs::write(dir.join(".graphqlrc.yml"), "documents: '*.graphql'\nextensions:\n  flowql:\n    offlne: true\n    apiKey: ${FLOWQL_TEST_NEVER_SET}\n").unwrap();
    std::fs::write(
        dir.join("a.graphql"),
        "query { checkStatus(requestId: \"r\") }\n",
    )
    .unwrap();
    let out = flowql(&["check"], &dir);
    assert_eq!(out.status.code(), Some(0), "warnings do not stop the check");
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(
        err.contains(".graphqlrc.yml:4:5: warning[CONFIG_UNKNOWN_KEY]"),
        "{err}"
    );
    assert!(
        err.contains(".graphqlrc.yml:5:13: warning[ENV_VAR_UNSET]"),
        "{err}"
    );

    std::fs::write(dir.join(".graphqlrc.yml"), "documents: 3\n").unwrap();
    let out = flowql(&["check", "a.graphql"], &dir);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(
        err.contains("error[CONFIG_INVALID]") && err.contains("the configuration has 1 error"),
        "{err}"
    );
}
