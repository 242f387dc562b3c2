//! Checks that need every call of a project: steps no code reads, API flows no call runs.

pub mod uncalled_flows;
pub mod unread_steps;
