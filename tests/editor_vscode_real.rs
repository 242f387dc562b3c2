//! The VS Code extension in real VS Code: code-server 4.139 (VS Code 1.139) with the packaged
//! .vsix installed, driven through its UI by headless Chromium with Playwright
//! (tests/vscode_e2e/run.mjs says what each window checks). Needs Debian's `chromium` and the
//! packages of tests/vscode_e2e, which `scripts/setup-tests.sh` installs; screenshots are left
//! in `target/tmp/vscode-e2e/screenshots`.

mod support;

use std::path::{Path, PathBuf};
use std::process::Command;

use support::fake_platform::FakePlatform;
use support::tools::{available, repository_root, require, run_ok};

/// A copy of the built flowql without its line tables: the .vsix is zipped and unzipped.
fn slim_binary(out: &Path) -> PathBuf {
    let copy = out.join("flowql");
    std::fs::copy(env!("CARGO_BIN_EXE_flowql"), &copy).unwrap();
    // Without `strip` the full binary is packaged, which only makes the .vsix larger.
    let _ = Command::new("strip").arg(&copy).status();
    copy
}

#[test]
fn the_extension_works_in_real_vs_code_in_a_local_and_a_remote_window() {
    if !available("npm", "Node.js 18+ with npm, from Debian's nodejs and npm")
        || !require(
            Path::new("/usr/bin/chromium").is_file(),
            "Debian's chromium is not installed",
        )
    {
        return;
    }
    let root = repository_root();
    let e2e = root.join("tests").join("vscode_e2e");
    let extension = root.join("editors").join("vscode");
    if !require(
        e2e.join("node_modules").join(".flowql-built").is_file()
            && extension
                .join("node_modules")
                .join(".package-lock.json")
                .is_file(),
        "code-server or the extension's packages are not installed: run scripts/setup-tests.sh",
    ) {
        return;
    }
    let out = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("vscode-e2e");
    let packages = out.join("packages");
    let _ = std::fs::remove_dir_all(&packages);
    std::fs::create_dir_all(&packages).unwrap();
    let binary = slim_binary(&packages);
    let universal = packages.join("flowql.vsix");
    let platform = packages.join("flowql-linux-x64.vsix");
    run_ok(
        Command::new("npx")
            .args(["vsce", "package", "--no-dependencies", "--out"])
            .arg(&universal)
            .current_dir(&extension),
        "vsce package",
    );
    run_ok(
        Command::new("node")
            .args(["scripts/package-platform.mjs", "linux-x64"])
            .arg(&binary)
            .arg(&platform)
            .current_dir(&extension),
        "package-platform.mjs linux-x64",
    );

    // A kit whose .env points at the fake platform, for the Run lens.
    let fake = FakePlatform::start();
    let run_kit = support::run_kit::kit("vscode-real", &fake);
    let run = out.join("run");
    let output = Command::new("node")
        .arg(e2e.join("run.mjs"))
        .current_dir(&e2e)
        .env("FLOWQL_VSIX_PLATFORM", &platform)
        .env("FLOWQL_VSIX_UNIVERSAL", &universal)
        .env("FLOWQL_BIN", &binary)
        .env("FLOWQL_EXAMPLES", root.join("examples"))
        .env("FLOWQL_RUN_KIT", &run_kit)
        .env("FLOWQL_E2E_OUT", &run)
        .env("CHROMIUM", "/usr/bin/chromium")
        .output()
        .expect("node runs");
    let report = String::from_utf8_lossy(&output.stdout);
    let errors = String::from_utf8_lossy(&output.stderr);
    let shots = run.join("screenshots");
    assert!(
        output.status.success(),
        "the real VS Code run failed ({}); screenshots in {}\n--- stdout\n{report}\n--- stderr\n{errors}",
        output.status,
        shots.display()
    );
    // Each check the run makes, by the name it prints once it held.
    for check in [
        "squiggles",
        "bundled binary",
        "problems",
        "hover",
        "language status",
        "quick fix",
        "typescript sdk call",
        "inlay hint",
        "code lens",
        "run lens",
        "payload asked",
        "field definition",
        "answer explained",
        "remote window",
        "remote window without flowql",
    ] {
        assert!(
            report
                .lines()
                .any(|l| l.starts_with(&format!("ok {check}:"))),
            "no `ok {check}` in the run's report:\n{report}"
        );
    }
    assert!(report.contains("all checks passed"), "{report}");
    // The two runs the user asked for, the second with the payload typed in; nothing else.
    let runs = fake.seen_running("executeWorkflow");
    assert_eq!(runs.len(), 2, "{report}");
    assert_eq!(
        runs[1].body["variables"]["payload"]["url"],
        "https://typed.example"
    );
    // The screenshots are real PNG files of the window, one per step.
    let mut pngs = 0;
    for window in ["bundled", "remote", "remote-missing"] {
        for entry in std::fs::read_dir(shots.join(window)).unwrap() {
            let bytes = std::fs::read(entry.unwrap().path()).unwrap();
            assert!(bytes.starts_with(b"\x89PNG") && bytes.len() > 10_000);
            pngs += 1;
        }
    }
    assert!(pngs >= 9, "only {pngs} screenshots in {}", shots.display());
}
