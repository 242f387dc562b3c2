//! Completion: the context at the cursor read from the tokens before it (`context`), what
//! GraphQL offers there (`graphql`), and payload keys and flow ids (`payload`).

pub mod context;
pub mod graphql;
pub mod payload;
pub mod scanner;
