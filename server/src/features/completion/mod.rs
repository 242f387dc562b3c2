//! Completion: the contexts a cursor can be in (`context`), read from the tokens before it
//! (`scanner`), what GraphQL offers in each (`graphql`), and payload keys and flow ids
//! (`payload`).

pub mod context;
pub mod graphql;
pub mod payload;
pub mod scanner;
