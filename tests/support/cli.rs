//! Running the `flowql` binary as CI does, in a folder of one's own.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The repository's root folder.
pub fn root() -> PathBuf {
    super::tools::repository_root()
}

/// Runs `flowql` with `args` in `cwd`, with the default documentation links.
pub fn flowql(args: &[&str], cwd: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_flowql"))
        .args(args)
        .current_dir(cwd)
        .env_remove("FLOWQL_DOCS_URL")
        .output()
        .expect("flowql runs")
}

/// An empty folder for one test.
pub fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("flowql-check-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}
