//! Which configuration and schema apply to a file, shared by the server and `flowql check`:
//! `projects` keeps a session's configurations and kits (schemas built once per configuration
//! and reused until a file they came from changes), `resolved` is what applies to one file, and
//! `check` checks a document as its surface requires. `project_calls` keeps the calls of a
//! kit's files, `status` reports what is checked.

mod check;
pub mod project_calls;
pub mod projects;
pub mod resolved;
pub mod status;

pub use check::{check_document, check_document_incremental, check_document_with, kit_problems_of};
pub use projects::{endpoint_of, FileCalls, Workspace};
pub use resolved::{
    operation_of_variables, variables_of_operation, ConfigFailure, FetchState, ResolveError,
    Resolved, EDITOR_SETTINGS,
};
