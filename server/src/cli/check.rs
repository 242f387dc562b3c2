//! `flowql check`: finds the documents to check, analyses them in parallel with the same engine
//! as the server, and reports in the chosen format with CI-friendly exit codes.

use std::collections::HashMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

pub use super::checked::FileResult;
use super::checked::Job;
use crate::base::diagnostic::Diagnostic;
use crate::base::document::Document;
use crate::checks::graphql::fragments::{definitions_in_file, FragmentDef, ProjectFragments};
use crate::config;
use crate::workspace::{check_document_with, Resolved, Workspace};

use super::report::{self, Format};

/// Exit codes: what CI reads.
pub const EXIT_CLEAN: i32 = 0;
pub const EXIT_ERRORS: i32 = 1;
pub const EXIT_CANNOT_RUN: i32 = 2;

pub struct CheckOptions {
    pub config: Option<PathBuf>,
    pub format: Format,
    pub paths: Vec<PathBuf>,
    pub docs_base: String,
    pub color: bool,
    /// Never fetch a schema, even when none is cached.
    pub offline: bool,
    /// How many files are checked at once (default: one per core).
    pub jobs: Option<usize>,
    /// More warnings than this fail the check (exit 1), as errors do.
    pub max_warnings: Option<usize>,
}

/// Why `check` could not run; printed on stderr with exit code 2.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct CannotRun(String);

/// Runs the check and returns the exit code. Reports go to `out`, reasons for exit 2 to `err`.
pub fn run(options: &CheckOptions, out: &mut dyn Write, err: &mut dyn Write) -> i32 {
    let cwd = std::env::current_dir().unwrap_or_else(|_| PathBuf::from("."));
    let threads = options
        .jobs
        .or_else(|| std::thread::available_parallelism().ok().map(|n| n.get()))
        .unwrap_or(1)
        .max(1);
    let result = collect_jobs(options, &cwd, err).and_then(|jobs| check_all(jobs, threads));
    match result {
        Ok(files) => {
            let summary = report::summarize(&files);
            // Reports have a line per diagnostic, or more: one write each would be a system
            // call each on a line-buffered stdout.
            let mut out = std::io::BufWriter::new(out);
            let written = match options.format {
                Format::Json => report::write_json(&mut out, &files, &summary),
                Format::Human => report::write_human(
                    &mut out,
                    &files,
                    &summary,
                    &options.docs_base,
                    options.color,
                ),
                Format::Sarif => {
                    super::report_ci::write_sarif(&mut out, &files, &options.docs_base, &cwd)
                }
                Format::Github => super::report_ci::write_github(&mut out, &files, &summary),
            }
            .and_then(|()| out.flush());
            if let Err(e) = written {
                let _ = writeln!(err, "flowql: cannot write the report: {e}");
                return EXIT_CANNOT_RUN;
            }
            // The process ends after this: freeing every document and analysis one by one
            // would only delay the exit.
            std::mem::forget(files);
            let too_many_warnings = options
                .max_warnings
                .is_some_and(|max| summary.warnings > max);
            if too_many_warnings {
                let _ = writeln!(
                    err,
                    "flowql: {} warnings, more than --max-warnings {}",
                    summary.warnings,
                    options.max_warnings.unwrap_or_default()
                );
            }
            if summary.errors > 0 || too_many_warnings {
                EXIT_ERRORS
            } else {
                EXIT_CLEAN
            }
        }
        Err(CannotRun(reason)) => {
            let _ = writeln!(err, "flowql: {reason}");
            EXIT_CANNOT_RUN
        }
    }
}

fn relative_to(path: &Path, cwd: &Path) -> String {
    path.strip_prefix(cwd).unwrap_or(path).display().to_string()
}

/// GraphQL documents, and code with GraphQL in its literals (JavaScript, TypeScript, Python).
fn is_graphql_file(path: &Path) -> bool {
    matches!(
        path.extension().and_then(|e| e.to_str()),
        Some("graphql" | "gql")
    ) || crate::surfaces::code::HostLanguage::of_path(path).is_some()
}

fn is_json(path: &Path) -> bool {
    path.extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("json"))
}

/// What a folder's walk checks: GraphQL and code, and the platform layout's files that are
/// not code (`lamatic.config.yaml`, JSON flow files, env files), for their own problems.
fn is_checked_file(path: &Path) -> bool {
    if is_graphql_file(path) || crate::surfaces::kit::env_files::is_env_file(path) {
        return true;
    }
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
    let in_flows = |p: &Path| p.file_name().is_some_and(|n| n == "flows");
    let parent = path.parent();
    name.starts_with("lamatic.config.")
        || (name.ends_with(".json")
            && parent.is_some_and(|p| {
                in_flows(p) || (name == "config.json" && p.parent().is_some_and(in_flows))
            }))
}

/// The files to check, each with the schema it is checked against. Problems of the
/// configurations involved go to `err`; errors among them stop the check.
fn collect_jobs(
    options: &CheckOptions,
    cwd: &Path,
    err: &mut dyn Write,
) -> Result<Vec<Job>, CannotRun> {
    let workspace = Workspace::new();
    let mut jobs = find_jobs(options, cwd, &workspace);
    // Endpoints with no cached schema are fetched once, before checking; a failure is
    // reported and the bundled schema stands in (shown on each file it affects).
    if let Ok(found) = &jobs {
        if !options.offline && fetch_missing(found, &workspace, err) {
            jobs = find_jobs(options, cwd, &workspace);
        }
    }
    let mut errors = 0;
    for config in workspace.configs() {
        let doc = Document::new(&config.text, 0);
        for problem in &config.problems {
            let severity = problem.code.entry().severity;
            errors += usize::from(severity == crate::base::catalog::Severity::Error);
            let at =
                doc.offset_to_position(problem.range.start, crate::base::document::Encoding::Utf16);
            let _ = writeln!(
                err,
                "{}:{}:{}: {}[{}]: {}",
                relative_to(&config.path, cwd),
                at.line + 1,
                at.character + 1,
                severity.as_str(),
                problem.code,
                problem.message
            );
        }
    }
    // Problems of flow input schemas, once per registry.
    if let Ok(found) = &jobs {
        let mut seen: Vec<*const crate::flows::registry::FlowRegistry> = Vec::new();
        for registry in found.iter().map(|j| &j.resolved.flows) {
            if seen.contains(&Arc::as_ptr(registry)) {
                continue;
            }
            seen.push(Arc::as_ptr(registry));
            for problem in &registry.problems {
                let _ = writeln!(
                    err,
                    "{}: warning[{}]: {}",
                    relative_to(&problem.file, cwd),
                    crate::base::catalog::Code::FlowSchemaInvalid,
                    problem.message
                );
            }
        }
    }
    if errors > 0 {
        return Err(CannotRun(format!(
            "the configuration has {errors} error{}; fix {} first",
            if errors == 1 { "" } else { "s" },
            if errors == 1 { "it" } else { "them" }
        )));
    }
    jobs
}

/// Fetches the schema of every endpoint the jobs use that has no cached copy; returns whether
/// anything was attempted.
fn fetch_missing(jobs: &[Job], workspace: &Workspace, err: &mut dyn Write) -> bool {
    let mut missing: Vec<crate::platform::Fetchable> = Vec::new();
    let states = jobs
        .iter()
        .flat_map(|j| j.resolved.remote.iter().chain(j.resolved.flows_api.iter()));
    for state in states {
        if state.age.is_none() && !state.what.offline() && !missing.contains(&state.what) {
            missing.push(state.what.clone());
        }
    }
    if missing.is_empty() {
        return false;
    }
    let options = crate::platform::default_options();
    let client = crate::platform::fetch::client(&options);
    let Ok(runtime) = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    else {
        return false;
    };
    for what in missing {
        if let Err(failure) = runtime.block_on(what.refresh(&client, &options)) {
            super::schema::explain_failure(err, &failure);
            workspace.record_failure(&what, failure);
        }
    }
    true
}

fn find_jobs(
    options: &CheckOptions,
    cwd: &Path,
    workspace: &Workspace,
) -> Result<Vec<Job>, CannotRun> {
    let explicit_config = match &options.config {
        Some(path) if !path.is_file() => {
            return Err(CannotRun(format!(
                "config file {} does not exist",
                path.display()
            )))
        }
        Some(path) => Some(path.clone()),
        None => None,
    };
    let resolve = |config_path: Option<&Path>, file: &Path| -> Result<Resolved, CannotRun> {
        let found;
        let config_path = match config_path {
            Some(p) => Some(p),
            None => {
                found = Workspace::config_path_for(file);
                found.as_deref()
            }
        };
        match config_path {
            // A project of the platform's layout never stops the check.
            Some(marker) if crate::surfaces::kit::is_marker(marker) => {
                Ok(workspace.for_file(Some(file)))
            }
            Some(config_path) => workspace
                .resolve(config_path, Some(file))
                .map(|mut resolved| {
                    resolved.file = Some(file.to_path_buf());
                    resolved
                })
                .map_err(|e| CannotRun(e.to_string())),
            // No configuration: the bundled schema; a code file stays code.
            None => Ok(workspace.for_file(Some(file))),
        }
    };

    let mut jobs = Vec::new();
    let mut paths = options.paths.clone();
    let graphql_config = explicit_config.clone().or_else(|| config::find(cwd));
    if paths.is_empty() && graphql_config.is_none() {
        // Projects of the platform's layout need no configuration: check the folder.
        if crate::surfaces::kit::find_root(cwd).is_some()
            || crate::surfaces::kit::any_at_or_below(cwd)
        {
            paths.push(PathBuf::from("."));
        }
    }
    if paths.is_empty() {
        let config_path = match graphql_config {
            Some(path) => path,
            None => {
                return Err(CannotRun(format!(
                    "no graphql-config file (.graphqlrc.yml, graphql.config.yml, ...) and no project of the platform's layout (lamatic.config.ts, flows/) in {} or above; pass the files to check, or create one with `documents`",
                    cwd.display()
                )))
            }
        };
        let config = workspace
            .config(&config_path)
            .map_err(|e| CannotRun(e.to_string()))?;
        let mut any_documents = false;
        // Files already queued (a file can match several projects' globs).
        let mut queued: std::collections::HashSet<PathBuf> = std::collections::HashSet::new();
        for project in &config.projects {
            // Payload JSON files mapped to a flow by `payloads`.
            for (file, _) in config.payload_files(project) {
                any_documents = true;
                if !queued.insert(file.clone()) {
                    continue;
                }
                let resolved = resolve(Some(&config_path), &file)?;
                let shown = relative_to(&file, cwd);
                jobs.push(Job::new(file, shown, resolved));
            }
            if project.documents.is_empty() {
                continue;
            }
            any_documents = true;
            let schema_files = config.schema_files(project);
            for file in config
                .document_files(project)
                .map_err(|e| CannotRun(e.to_string()))?
            {
                if !is_graphql_file(&file)
                    || schema_files.contains(&file)
                    || !queued.insert(file.clone())
                {
                    continue;
                }
                // The variables file beside an operation is checked with it.
                let variables = config
                    .variables_of_operation(project, &file)
                    .filter(|v| v.is_file())
                    .or_else(|| crate::workspace::variables_of_operation(&file));
                for file in std::iter::once(file).chain(variables) {
                    let resolved = resolve(Some(&config_path), &file)?;
                    let shown = relative_to(&file, cwd);
                    jobs.push(Job::new(file, shown, resolved));
                }
            }
        }
        jobs.sort_by(|a, b| a.display_path.cmp(&b.display_path));
        if !any_documents {
            return Err(CannotRun(format!(
                "{} names no `documents`; add a glob such as `documents: '**/*.graphql'`, or pass the files to check",
                config_path.display()
            )));
        }
        return Ok(jobs);
    }

    for given in &paths {
        let absolute = cwd.join(given);
        if absolute.is_dir() {
            let mut found: Vec<PathBuf> = walkdir::WalkDir::new(&absolute)
                .into_iter()
                .filter_entry(|e| {
                    // Hidden, dependency and build folders are skipped unless named; of hidden
                    // files, env files are read (a project's, below).
                    let dir = e.file_type().is_dir();
                    let hidden = e.file_name().to_string_lossy().starts_with('.')
                        && (dir || !crate::surfaces::kit::env_files::is_env_file(e.path()));
                    e.depth() == 0 || !(hidden || dir && config::is_skipped_dir(e.path()))
                })
                .filter_map(Result::ok)
                .filter(|e| {
                    e.file_type().is_file() && (is_checked_file(e.path()) || is_json(e.path()))
                })
                .map(|e| e.into_path())
                .collect();
            found.sort();
            for file in found {
                let resolved = resolve(explicit_config.as_deref(), &file)?;
                // Other JSON files count when a configuration sends them: payload files and
                // the variables of an operation.
                let sent = resolved.payload_flow.is_some() || resolved.variables_of.is_some();
                if !is_checked_file(&file) && !sent {
                    continue;
                }
                // Env files of projects of the platform's layout only.
                if crate::surfaces::kit::env_files::is_env_file(&file) && resolved.kit.is_none() {
                    continue;
                }
                let shown = relative_to(&file, cwd);
                jobs.push(Job::new(file, shown, resolved));
            }
        } else if absolute.is_file() {
            let resolved = resolve(explicit_config.as_deref(), &absolute)?;
            jobs.push(Job::new(absolute, given.display().to_string(), resolved));
        } else {
            return Err(CannotRun(format!("{} does not exist", given.display())));
        }
    }
    Ok(jobs)
}

/// Analyses every file, on as many threads as there are cores, keeping the input order.
/// Reads the GraphQL and code files ahead, on `threads` threads, and gives each the fragments
/// that the files of its project define (the files checked together, grouped by configuration
/// and project). A file's own fragments among them do no harm: its own definitions come first.
fn attach_fragments(jobs: &mut [Job], threads: usize) {
    let chunk = jobs.len().div_ceil(threads.max(1)).max(1);
    let defined: Vec<Vec<Arc<FragmentDef>>> = std::thread::scope(|scope| {
        let handles: Vec<_> = jobs
            .chunks_mut(chunk)
            .map(|part| {
                scope.spawn(move || {
                    part.iter_mut()
                        .map(|job| {
                            if !is_graphql_file(&job.path) {
                                return Vec::new();
                            }
                            job.contents = std::fs::read(&job.path).ok();
                            let text = job
                                .contents
                                .as_deref()
                                .and_then(|b| std::str::from_utf8(b).ok());
                            text.map(|t| definitions_in_file(t, &job.path))
                                .unwrap_or_default()
                                .into_iter()
                                .map(Arc::new)
                                .collect()
                        })
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().unwrap_or_default())
            .collect()
    });
    let mut by_project: HashMap<ProjectKey, Vec<Arc<FragmentDef>>> = HashMap::new();
    for (job, defs) in jobs.iter().zip(defined) {
        by_project
            .entry(project_key(&job.resolved))
            .or_default()
            .extend(defs);
    }
    let read: HashMap<ProjectKey, Arc<ProjectFragments>> = by_project
        .into_iter()
        .map(|(key, defs)| (key, Arc::new(ProjectFragments::new(defs))))
        .collect();
    for job in jobs.iter_mut().filter(|j| is_graphql_file(&j.path)) {
        if let Some(fragments) = read.get(&project_key(&job.resolved)) {
            job.fragments = fragments.clone();
        }
    }
}

type ProjectKey = Option<(PathBuf, Option<String>)>;

fn project_key(resolved: &Resolved) -> ProjectKey {
    let config = resolved.config.as_ref()?;
    Some((config.path.clone(), resolved.project.clone()))
}

fn check_all(mut jobs: Vec<Job>, threads: usize) -> Result<Vec<FileResult>, CannotRun> {
    attach_fragments(&mut jobs, threads);
    let threads = threads.min(jobs.len().max(1));
    let next = AtomicUsize::new(0);
    let jobs = Arc::new(jobs);
    let mut slots: Vec<Option<Result<FileResult, CannotRun>>> =
        (0..jobs.len()).map(|_| None).collect();
    std::thread::scope(|scope| {
        let handles: Vec<_> = (0..threads)
            .map(|_| {
                let jobs = &jobs;
                let next = &next;
                scope.spawn(move || {
                    let mut done = Vec::new();
                    loop {
                        let i = next.fetch_add(1, Ordering::Relaxed);
                        let Some(job) = jobs.get(i) else { break };
                        done.push((i, check_one(job)));
                    }
                    done
                })
            })
            .collect();
        for handle in handles {
            match handle.join() {
                Ok(done) => {
                    for (i, result) in done {
                        slots[i] = Some(result);
                    }
                }
                Err(_) => tracing::error!("a checking thread panicked"),
            }
        }
    });
    let mut files = slots
        .into_iter()
        .enumerate()
        .map(|(i, slot)| {
            slot.unwrap_or_else(|| {
                Err(CannotRun(format!(
                    "checking {} failed unexpectedly",
                    jobs[i].display_path
                )))
            })
        })
        .collect::<Result<Vec<FileResult>, CannotRun>>()?;
    super::project_checks::apply(&jobs, &mut files);
    Ok(files)
}

fn check_one(job: &Job) -> Result<FileResult, CannotRun> {
    let bytes = match &job.contents {
        Some(bytes) => Ok(bytes.clone()),
        None => std::fs::read(&job.path).map_err(|e| format!("cannot read the file: {e}")),
    };
    // A file that cannot be read, or is not text, is one diagnostic; the run goes on. (An env
    // file is read as its project read it, bytes that are not text replaced, line by line.)
    let env_file = crate::surfaces::kit::env_files::is_env_file(&job.path);
    let text = bytes.and_then(|bytes| {
        if env_file {
            return Ok(String::from_utf8_lossy(&bytes).into_owned());
        }
        String::from_utf8(bytes).map_err(|e| {
            format!(
                "not UTF-8 text (invalid byte at offset {}); nothing in it was checked",
                e.utf8_error().valid_up_to()
            )
        })
    });
    let text = match text {
        Ok(text) => text,
        Err(message) => {
            return Ok(FileResult {
                display_path: job.display_path.clone(),
                document: Document::new("", 0),
                diagnostics: vec![Diagnostic::new(
                    crate::base::catalog::Code::FileUnreadable,
                    0..0,
                    message,
                )],
                flow_calls: Vec::new(),
            })
        }
    };
    // A failure of flowql on one file is that file's diagnostic; the run goes on.
    let analysis = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        check_document_with(&text, &job.resolved, &job.fragments)
    }));
    let Ok(analysis) = analysis else {
        return Ok(FileResult {
            display_path: job.display_path.clone(),
            document: Document::new(&text, 0),
            diagnostics: vec![Diagnostic::new(
                crate::base::catalog::Code::InternalError,
                0..0,
                "flowql failed while analysing this file (the log above says where); nothing in it was checked",
            )],
            flow_calls: Vec::new(),
        });
    };
    Ok(FileResult {
        display_path: job.display_path.clone(),
        document: Document::new(&text, 0),
        diagnostics: analysis.diagnostics,
        flow_calls: analysis.flow_calls,
    })
}
