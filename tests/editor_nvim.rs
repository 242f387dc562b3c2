//! The Neovim plugin (editors/nvim) in real headless Neovim (Debian's 0.7.2 in CI, which `.ci/run`
//! installs): tests/nvim/flowql_spec.lua opens a document with a payload mistake and a GraphQL
//! mistake and checks the diagnostics Neovim received (codes, lines, columns), a hover, the quick
//! fix applied to the buffer, a payload file, the statusline status and `:checkhealth flowql`.

mod support;

use std::process::Command;

use support::tools::{available, repository_root};

#[test]
fn the_plugin_gets_diagnostics_hovers_and_quick_fixes_in_headless_neovim() {
    if !available("nvim", "apt-get install neovim") {
        return;
    }
    let root = repository_root();
    let output = Command::new("timeout")
        .args([
            "120",
            "nvim",
            "--headless",
            "-u",
            "NONE",
            "-i",
            "NONE",
            "-c",
        ])
        .arg("luafile tests/nvim/flowql_spec.lua")
        .current_dir(&root)
        .env("FLOWQL_BIN", env!("CARGO_BIN_EXE_flowql"))
        .env("FLOWQL_PLUGIN", root.join("editors").join("nvim"))
        .env(
            "FLOWQL_FIXTURE",
            root.join("tests").join("fixtures").join("editors"),
        )
        .output()
        .expect("nvim starts");
    let report = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        output.status.success() && report.contains("\n0 failed"),
        "Neovim reported ({}):\n{report}\n--- stderr\n{stderr}",
        output.status
    );
    for timing in report.lines().filter(|l| l.starts_with("time - ")) {
        eprintln!("{timing}");
    }
    let passed = report.lines().filter(|l| l.starts_with("ok - ")).count();
    assert!(passed >= 20, "only {passed} checks ran:\n{report}");
    assert!(!report.contains("not ok"), "{report}");
}

#[test]
fn the_plugin_roots_at_every_configuration_file_flowql_reads() {
    let plugin =
        std::fs::read_to_string(repository_root().join("editors/nvim/lua/flowql/init.lua"))
            .unwrap();
    for name in flowql::config::CONFIG_FILE_NAMES {
        assert!(
            plugin.contains(&format!("\"{name}\",")),
            "{name} is missing from the plugin's root_markers"
        );
    }
}
