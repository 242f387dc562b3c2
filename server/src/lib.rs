//! flowql: checks GraphQL operations and Flow payloads for the platform's project API.

pub mod analysis;
pub mod catalog;
pub mod cli;
pub mod config;
pub mod diagnostic;
pub mod document;
pub mod embedded;
pub mod flows;
pub mod kit;
pub mod lsp;
pub mod platform;
pub mod project_calls;
pub mod run;
pub mod schema;
pub mod status;
pub mod workspace;
