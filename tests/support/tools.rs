//! External tools the editor tests drive (Neovim, Node): found, or skipped with a printed reason,
//! except under `CI=true`, where a missing tool fails the test.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The repository's root folder.
pub fn repository_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("the crate is in a folder of the repository")
        .to_path_buf()
}

fn in_ci() -> bool {
    std::env::var("CI").is_ok_and(|v| v == "true" || v == "1")
}

/// Whether `program --version` runs. When it does not: under CI a failure, else a skip whose
/// reason is printed (`hint` says how to get the tool).
pub fn available(program: &str, hint: &str) -> bool {
    let runs = Command::new(program)
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    require(runs, &format!("`{program}` is not installed ({hint})"))
}

/// Whether a precondition holds: under CI a failure when not, else a skip with the reason.
pub fn require(holds: bool, reason: &str) -> bool {
    if !holds {
        assert!(!in_ci(), "CI=true and {reason}");
        eprintln!("SKIPPED: {reason}");
    }
    holds
}

/// Runs a command to completion and fails the test, with everything it printed, unless it
/// succeeded.
pub fn run_ok(command: &mut Command, what: &str) -> Output {
    let output = command
        .output()
        .unwrap_or_else(|e| panic!("{what}: cannot start: {e}"));
    assert!(
        output.status.success(),
        "{what} failed ({}):\n--- stdout\n{}\n--- stderr\n{}",
        output.status,
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    output
}
