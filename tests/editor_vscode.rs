//! The VS Code extension (editors/vscode): compiled with tsc and esbuild, linted, packaged into
//! a .vsix with vsce, then its Node tests: the package's contents and manifest, the binary
//! lookup, the status item's text, and `flowql lsp` driven through vscode-jsonrpc with the
//! options the extension sends (see editors/vscode/test/server.test.ts; VS Code itself cannot
//! run here). Needs Node and `npm ci` in editors/vscode, which `.ci/run` does.

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
