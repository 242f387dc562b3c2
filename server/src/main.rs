//! The `flowql` binary: the language server (`flowql lsp`, or `flowql --stdio` as editors start
//! it), `flowql check` for CI, `flowql run` to run a flow, and `flowql explain` for the error
//! catalog and for saved answers.

use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use flowql::cli::check::{self, CheckOptions};
use flowql::cli::explain::{self, ExplainRequest};
use flowql::cli::report::Format;
use tracing_subscriber::EnvFilter;

#[derive(Parser)]
#[command(
    name = "flowql",
    version,
    about = "Checks GraphQL operations and Flow payloads for the platform's project API"
)]
struct Cli {
    /// Start the language server on stdin/stdout (what editors pass).
    #[arg(long)]
    stdio: bool,
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum SchemaCommand {
    /// Fetch each configured endpoint's schema and cache it (exit 2 with the reason on failure).
    Pull {
        /// The graphql-config file (default: found upward from the working directory).
        #[arg(long)]
        config: Option<PathBuf>,
    },
    /// Print the schema in use (SDL on stdout, its source on stderr).
    Show {
        /// The graphql-config file (default: found upward from the working directory).
        #[arg(long)]
        config: Option<PathBuf>,
    },
}

#[derive(Subcommand)]
enum Command {
    /// Run the language server over stdin/stdout.
    Lsp {
        /// Accepted for editors that pass it; stdio is the only transport.
        #[arg(long)]
        stdio: bool,
    },
    /// Check documents and report diagnostics (exit 0: clean, 1: errors, 2: could not run).
    Check {
        /// The graphql-config file to use (default: found upward from the working directory).
        #[arg(long)]
        config: Option<PathBuf>,
        /// Report format.
        #[arg(long, value_enum, default_value_t = Format::Human)]
        format: Format,
        /// Base URL of the error documentation linked from reports.
        #[arg(long, env = "FLOWQL_DOCS_URL", default_value = flowql::lsp::DEFAULT_DOCS_BASE)]
        docs_url: String,
        /// Never fetch a schema; use the cached or bundled one.
        #[arg(long)]
        offline: bool,
        /// Files checked at once (default: one per core).
        #[arg(long, short = 'j')]
        jobs: Option<usize>,
        /// Fail (exit 1) when there are more warnings than this, as with errors.
        #[arg(long, value_name = "N")]
        max_warnings: Option<usize>,
        /// Files or folders to check (default: the configuration's `documents`).
        paths: Vec<PathBuf>,
    },
    /// Fetch or show the schema of the configured project.
    Schema {
        #[command(subcommand)]
        command: SchemaCommand,
    },
    /// Show what documents here are checked against: configuration, schema source, flows.
    Status {
        /// A file or folder (default: the working directory).
        path: Option<PathBuf>,
        /// Print JSON (what editor plugins read).
        #[arg(long)]
        json: bool,
    },
    /// Print the editor settings (`flowql.*`) as the docs' table or the VS Code manifest's.
    #[command(hide = true)]
    Settings {
        #[arg(long, value_enum, default_value_t = SettingsFormatArg::Markdown)]
        format: SettingsFormatArg,
    },
    /// Run a flow as the SDK does, wait for it, print its result or explain why it failed
    /// (exit 0: finished, 1: failed, 2: not sent, 3: still running when time ran out).
    Run {
        /// The call to run, as FILE:LINE (the flow call on that line of a code, GraphQL,
        /// variables or payload file).
        #[arg(conflicts_with = "flow", required_unless_present = "flow")]
        call: Option<String>,
        /// The flow: a step id, an envKey, a flow of the configuration, or a flow id.
        #[arg(long)]
        flow: Option<String>,
        /// The payload, a JSON file (`-`: standard input); replaces the call's own.
        #[arg(long, value_name = "FILE")]
        payload: Option<PathBuf>,
        /// Seconds to wait for the run in all, polls of an async run included.
        #[arg(long, default_value_t = 300, value_name = "SECONDS")]
        timeout: u64,
        /// Seconds between `checkStatus` polls of an async run (at least 3, the platform's limit).
        #[arg(long, default_value_t = 3.0, value_name = "SECONDS")]
        poll_interval: f64,
        /// Print a JSON report on stdout instead of the result.
        #[arg(long)]
        json: bool,
        /// Send even when the flow's input schema rejects the payload.
        #[arg(long)]
        anyway: bool,
    },
    /// Explain an error code (its HTTP status, cause and fix), or a saved answer of the platform.
    Explain {
        /// The code, e.g. UNKNOWN_FIELD.
        #[arg(required_unless_present_any = ["list", "markdown", "response"])]
        code: Option<String>,
        /// A saved answer to explain: the body, optionally after the status line and headers
        /// as `curl -i` prints them (`-`: standard input). Exit 1 when it is a failure.
        #[arg(long, value_name = "FILE", conflicts_with_all = ["code", "list", "markdown"])]
        response: Option<PathBuf>,
        /// With `--response`: print JSON.
        #[arg(long, requires = "response")]
        json: bool,
        /// List every code.
        #[arg(long)]
        list: bool,
        /// Print the whole catalog as Markdown (this is how docs/errors.md is made).
        #[arg(long)]
        markdown: bool,
    },
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum SettingsFormatArg {
    Markdown,
    Vscode,
}

fn init_logging() {
    let filter = EnvFilter::try_from_env("FLOWQL_LOG").unwrap_or_else(|_| EnvFilter::new("warn"));
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_ansi(false)
        .init();
    // With RUST_BACKTRACE=1, where it came from too (for a report).
    std::panic::set_hook(Box::new(|info| {
        let trace = std::backtrace::Backtrace::capture();
        match trace.status() {
            std::backtrace::BacktraceStatus::Captured => {
                tracing::error!("panic: {info}\n{trace}")
            }
            _ => tracing::error!("panic: {info}"),
        }
    }));
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    init_logging();
    // The server logs from every thread: stdout and stderr are locked only by the commands
    // that print, never around the server.
    let out = || std::io::stdout().lock();
    let err = || std::io::stderr().lock();
    let code = match cli.command {
        None if !cli.stdio => {
            let _ = <Cli as clap::CommandFactory>::command().print_help();
            2
        }
        None | Some(Command::Lsp { .. }) => {
            let runtime = tokio::runtime::Builder::new_multi_thread()
                .enable_all()
                .build()
                .expect("tokio runtime");
            let code = runtime.block_on(flowql::lsp::serve_stdio());
            // Do not wait for an analysis still running: the client asked us to exit.
            runtime.shutdown_background();
            code
        }
        Some(Command::Check {
            config,
            format,
            docs_url,
            offline,
            jobs,
            max_warnings,
            paths,
        }) => {
            let options = CheckOptions {
                config,
                format,
                paths,
                offline,
                jobs,
                max_warnings,
                docs_base: docs_url,
                color: std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none(),
            };
            check::run(&options, &mut out(), &mut err())
        }
        Some(Command::Schema { command }) => match command {
            SchemaCommand::Pull { config } => {
                flowql::cli::schema::pull(config.as_deref(), &mut out(), &mut err())
            }
            SchemaCommand::Show { config } => {
                flowql::cli::schema::show(config.as_deref(), &mut out(), &mut err())
            }
        },
        Some(Command::Status { path, json }) => {
            flowql::cli::status::run(path.as_deref(), json, &mut out(), &mut err())
        }
        Some(Command::Settings { format }) => {
            let format = match format {
                SettingsFormatArg::Markdown => flowql::cli::status::SettingsFormat::Markdown,
                SettingsFormatArg::Vscode => flowql::cli::status::SettingsFormat::Vscode,
            };
            flowql::cli::status::settings(format, &mut out())
        }
        Some(Command::Run {
            call,
            flow,
            payload,
            timeout,
            poll_interval,
            json,
            anyway,
        }) => {
            let args = flowql::cli::run::RunArgs {
                call,
                flow,
                payload,
                timeout: std::time::Duration::from_secs(timeout),
                poll_interval: std::time::Duration::from_secs_f64(poll_interval.clamp(0.0, 3600.0)),
                json,
                anyway,
            };
            flowql::cli::run::run(&args, &mut out(), &mut err())
        }
        Some(Command::Explain {
            code,
            list,
            markdown,
            response,
            json,
        }) => {
            let request = if let Some(source) = response.as_deref() {
                ExplainRequest::Response { source, json }
            } else if markdown {
                ExplainRequest::Markdown
            } else if list {
                ExplainRequest::List
            } else {
                ExplainRequest::Code(code.as_deref().unwrap_or_default())
            };
            explain::run(request, &mut out(), &mut err())
        }
    };
    ExitCode::from(code as u8)
}
