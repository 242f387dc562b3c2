//! Running a flow as the SDKs do (`executeWorkflow`, then `checkStatus` for an async flow) and
//! explaining every answer with the error catalog: what `flowql run`, `flowql explain
//! --response` and the editor's Run share. Nothing here sends a request unless asked to run.

pub mod answer;
pub mod execute;
pub mod finding;
mod graphql_errors;
pub mod markdown;
pub mod target;
