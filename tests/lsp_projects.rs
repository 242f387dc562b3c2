//! Several projects at once: a graphql-config `projects:` map, and a second workspace folder
//! with a configuration of its own. Each document is checked against its own project's schema,
//! sees only its own project's fragments, in the server and in `flowql check`.

mod support;

use std::path::{Path, PathBuf};

use serde_json::{json, Value};
use support::lsp_client::LspClient;
use support::tools::repository_root;

fn write(dir: &Path, file: &str, text: &str) {
    let path = dir.join(file);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

/// `mono/` with two projects (the library schema from a file; the platform's bundled schema),
/// and `other/`, a second folder with its own configuration and schema.
fn workspace(name: &str) -> PathBuf {
    let root = std::env::temp_dir().join(format!("flowql-projects-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&root);
    let mono = root.join("mono");
    let library =
        std::fs::read_to_string(repository_root().join("tests/fixtures/library/schema.graphql"))
            .unwrap();
    write(&mono, "library.graphql", &library);
    write(
        &mono,
        ".graphqlrc.yml",
        "projects:\n  library:\n    schema: library.graphql\n    documents: \"library/**/*.{graphql,ts}\"\n  platform:\n    documents: \"platform/**/*.{graphql,js}\"\nextensions:\n  flowql:\n    offline: true\n",
    );
    write(
        &mono,
        "library/q.graphql",
        "query Q { book(id: 1) { ...Parts } }\n",
    );
    write(
        &mono,
        "library/parts.graphql",
        "fragment Parts on Book { title }\n",
    );
    write(
        &mono,
        "library/view.ts",
        "export const V = gql`{ books { id } }`;\n",
    );
    write(
        &mono,
        "platform/run.graphql",
        "query Run { checkStatus(requestId: \"r\") { status } }\n",
    );
    // `Parts` belongs to the other project: not known here.
    write(
        &mono,
        "platform/uses.graphql",
        "query Uses { checkStatus(requestId: \"r\") { ...Parts } }\n",
    );
    let other = root.join("other");
    write(&other, "other.graphql", "type Query { hello: String }\n");
    write(
        &other,
        "graphql.config.yml",
        "schema: other.graphql\ndocuments: \"*.graphql\"\n",
    );
    write(&other, "a.graphql", "{ hello }\n");
    root
}

fn codes(diagnostics: &[Value]) -> Vec<String> {
    diagnostics
        .iter()
        .map(|d| d["code"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn each_document_gets_its_own_projects_schema_and_fragments() {
    let root = workspace("lsp");
    let mut client = LspClient::start(&["lsp"], &[]);
    client.initialize_with(
        json!({"general": {"positionEncodings": ["utf-16"]},
               "workspace": {"workspaceFolders": true}}),
        json!(null),
    );
    let expected: [(&str, &str, &[&str]); 6] = [
        ("mono/library/q.graphql", "graphql", &[]),
        ("mono/library/parts.graphql", "graphql", &[]),
        ("mono/library/view.ts", "typescript", &[]),
        ("mono/platform/run.graphql", "graphql", &[]),
        (
            "mono/platform/uses.graphql",
            "graphql",
            &["UNKNOWN_FRAGMENT"],
        ),
        ("other/a.graphql", "graphql", &[]),
    ];
    for (file, language, want) in expected {
        let path = root.join(file);
        let uri = format!("file://{}", path.display());
        client.notify(
            "textDocument/didOpen",
            json!({"textDocument": {"uri": uri, "languageId": language, "version": 1,
                                    "text": std::fs::read_to_string(&path).unwrap()}}),
        );
        let got = client.diagnostics(&uri, 1);
        assert_eq!(codes(&got), want, "{file}: {got:#?}");
    }
    // Each document's status names its own schema.
    let status = |client: &mut LspClient, file: &str| -> Value {
        let uri = format!("file://{}", root.join(file).display());
        client.request("flowql/status", json!({"uri": uri}))["result"].clone()
    };
    assert_eq!(
        status(&mut client, "mono/library/q.graphql")["schema"]["kind"],
        "file"
    );
    assert_eq!(
        status(&mut client, "mono/platform/run.graphql")["schema"]["kind"],
        "bundled"
    );
    let other = status(&mut client, "other/a.graphql");
    assert_eq!(other["schema"]["kind"], "file");
    assert!(
        other["config"]
            .as_str()
            .unwrap()
            .ends_with("other/graphql.config.yml"),
        "{other}"
    );
    client.finish();
}

#[test]
fn check_uses_each_projects_schema_and_fragments() {
    let root = workspace("check");
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_flowql"))
        .args(["check", "--format", "json"])
        .current_dir(root.join("mono"))
        .output()
        .unwrap();
    let report: Value = serde_json::from_slice(&output.stdout).unwrap();
    let found: Vec<(String, Vec<String>)> = report["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["path"].as_str().unwrap().to_string(),
                codes(f["diagnostics"].as_array().unwrap()),
            )
        })
        .collect();
    let expected: Vec<(String, Vec<String>)> = [
        ("library/parts.graphql", vec![]),
        ("library/q.graphql", vec![]),
        ("library/view.ts", vec![]),
        ("platform/run.graphql", vec![]),
        (
            "platform/uses.graphql",
            vec!["UNKNOWN_FRAGMENT".to_string()],
        ),
    ]
    .into_iter()
    .map(|(p, c)| (p.to_string(), c))
    .collect();
    assert_eq!(found, expected, "{report:#}");
    assert_eq!(output.status.code(), Some(1));
}
