//! `flowql schema pull` (fetch and cache each configured endpoint's schema) and
//! `flowql schema show` (print the schema in use and where it comes from).

use std::io::Write;
use std::path::{Path, PathBuf};

use crate::base::age::describe_age;
use crate::base::catalog::status_text;
use crate::config::{self, Config};
use crate::platform::failure::FetchFailure;
use crate::platform::{default_options, Remote};
use crate::workspace::Workspace;

/// The configuration to use: the one given, or the nearest above the working directory.
fn config_path(given: Option<&Path>, cwd: &Path, err: &mut dyn Write) -> Option<PathBuf> {
    match given {
        Some(path) if path.is_file() => Some(path.to_path_buf()),
        Some(path) => {
            let _ = writeln!(err, "flowql: config file {} does not exist", path.display());
            None
        }
        None => {
            let found = config::find(cwd);
            if found.is_none() {
                let _ = writeln!(
                    err,
                    "flowql: no graphql-config file in {} or above",
                    cwd.display()
                );
            }
            found
        }
    }
}

/// Prints a failure the way every command does: what happened, the code, and the fix.
pub fn explain_failure(err: &mut dyn Write, failure: &FetchFailure) {
    let entry = failure.code.entry();
    let _ = writeln!(err, "flowql: {}", failure.message);
    let _ = writeln!(err, "  code: {} ({})", failure.code, status_text(entry));
    let _ = writeln!(err, "  fix: {}", entry.fix);
}

/// `flowql schema pull`: 0 when every endpoint was fetched, 2 otherwise.
pub fn pull(given: Option<&Path>, out: &mut dyn Write, err: &mut dyn Write) -> i32 {
    let cwd = std::env::current_dir().unwrap_or_else(|_| PathBuf::from("."));
    let Some(path) = config_path(given, &cwd, err) else {
        return 2;
    };
    let config = match Config::load(&path) {
        Ok(config) => config,
        Err(e) => {
            let _ = writeln!(err, "flowql: {e}");
            return 2;
        }
    };
    let remotes: Vec<(String, Remote)> = config
        .projects
        .iter()
        .filter(|p| p.schema.is_empty())
        .filter_map(|p| Some((p.name.clone(), Remote::from_settings(&p.settings)?)))
        .collect();
    if remotes.is_empty() {
        let _ = writeln!(
            err,
            "flowql: {} sets no `extensions.flowql.endpoint` for a project without `schema`; nothing to fetch",
            path.display()
        );
        return 2;
    }
    let options = default_options();
    let client = crate::platform::fetch::client(&options);
    let Ok(runtime) = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    else {
        let _ = writeln!(err, "flowql: cannot start the network runtime");
        return 2;
    };
    let mut failed = false;
    for (project, remote) in remotes {
        let remote = Remote {
            offline: false,
            ..remote
        };
        match runtime.block_on(remote.refresh(&client, &options)) {
            Ok(entry) => {
                let types = crate::schema::from_sdl(
                    &[(&entry.sdl, &remote.endpoint.url)],
                    crate::schema::SchemaSource::Bundled,
                )
                .schema
                .types
                .len();
                let _ = writeln!(
                    out,
                    "{project}: fetched {} ({types} types, {:.1} KB of SDL), cached at {}",
                    remote.endpoint.url,
                    entry.sdl.len() as f64 / 1024.0,
                    remote.cache_path.display()
                );
            }
            Err(failure) => {
                failed = true;
                explain_failure(err, &failure);
                if let Some(entry) = remote.cached() {
                    let _ = writeln!(
                        err,
                        "  the copy cached {} ago stays in use ({})",
                        describe_age(entry.age()),
                        remote.cache_path.display()
                    );
                }
            }
        }
    }
    if failed {
        2
    } else {
        0
    }
}

/// `flowql schema show`: the SDL in use on stdout, its source on stderr.
pub fn show(given: Option<&Path>, out: &mut dyn Write, err: &mut dyn Write) -> i32 {
    let cwd = std::env::current_dir().unwrap_or_else(|_| PathBuf::from("."));
    let workspace = Workspace::new();
    let resolved = match given {
        Some(path) => match workspace.resolve(path, None) {
            Ok(resolved) => resolved,
            Err(e) => {
                let _ = writeln!(err, "flowql: {e}");
                return 2;
            }
        },
        None => workspace.for_folder(&cwd),
    };
    if let Some(reason) = &resolved.fallback_reason {
        let _ = writeln!(err, "flowql: {reason}");
    }
    let _ = writeln!(err, "flowql: {}", resolved.schema.source.describe());
    match write!(out, "{}", resolved.schema.schema) {
        Ok(()) => 0,
        Err(e) => {
            let _ = writeln!(err, "flowql: cannot write: {e}");
            2
        }
    }
}
