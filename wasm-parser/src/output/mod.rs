//! Serialisations of a parse: the binary and JSON result formats for hosts,
//! and a readable dump for the snapshot tests in wasm-parser/tests/data/.

pub mod binary;
pub mod dump;
pub mod json;
