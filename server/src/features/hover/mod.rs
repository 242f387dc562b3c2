//! Hover: names of GraphQL documents with their schema types and the diagnostics' fixes
//! (`graphql`), and flows and their input fields on any surface (`flows`, in the words of
//! `flow_text`).

pub mod flow_text;
pub mod flows;
pub mod graphql;
