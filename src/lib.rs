pub mod document;
pub mod finding;
pub mod register;
