//! The VS Code extension (editors/vscode): compiled with tsc and esbuild, linted, packaged into
//! a .vsix with vsce, then its Node tests: the package's contents and manifest, the binary
//! lookup, the status item's text, and `flowql lsp` driven through vscode-jsonrpc with the
//! options the extension sends (see editors/vscode/test/server.test.ts). The extension in real
//! VS Code is tests/editor_vscode_real.rs. Needs Node and `npm ci` in editors/vscode, which
//! `.ci/run` does.

mod support;

use std::process::Command;

use support::tools::{available, repository_root, require, run_ok};

#[test]
fn the_extension_compiles_lints_packages_and_drives_the_server() {
    if !available("npm", "Node.js 18+ with npm, from Debian's nodejs and npm") {
        return;
    }
    let dir = repository_root().join("editors").join("vscode");
    if !require(
        dir.join("node_modules")
            .join(".package-lock.json")
            .is_file(),
        "editors/vscode has no node_modules: run `npm ci` there",
    ) {
        return;
    }
    for script in ["compile", "lint", "package"] {
        run_ok(
            Command::new("npm")
                .args(["run", "--silent", script])
                .current_dir(&dir),
            &format!("npm run {script}"),
        );
    }
    let output = run_ok(
        Command::new("npm")
            .args(["test", "--silent"])
            .current_dir(&dir)
            .env("FLOWQL_BIN", env!("CARGO_BIN_EXE_flowql")),
        "npm test",
    );
    let report = String::from_utf8_lossy(&output.stdout);
    // The runner's summary: every Node test ran and passed.
    assert!(report.contains("# fail 0"), "{report}");
    let passed: usize = report
        .lines()
        .find_map(|l| l.strip_prefix("# pass "))
        .and_then(|n| n.trim().parse().ok())
        .unwrap_or(0);
    assert!(passed >= 15, "only {passed} Node tests passed:\n{report}");
}

#[test]
fn the_extension_activates_in_workspaces_with_any_configuration_file() {
    let manifest: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(repository_root().join("editors/vscode/package.json")).unwrap(),
    )
    .unwrap();
    let patterns: Vec<globset::GlobMatcher> = manifest["activationEvents"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|e| e.as_str()?.strip_prefix("workspaceContains:"))
        .map(|glob| globset::Glob::new(glob).unwrap().compile_matcher())
        .collect();
    for name in flowql::config::CONFIG_FILE_NAMES {
        let file = format!("app/{name}");
        assert!(
            patterns.iter().any(|p| p.is_match(&file)),
            "no activation event for {name}"
        );
    }
}
