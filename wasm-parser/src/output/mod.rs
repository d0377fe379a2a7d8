//! The parse result: the binary format hosts read (written by the parser
//! itself, completed by `binary`), a reader that turns it back into the
//! `ast` types, and a readable dump of that tree for the snapshot tests in
//! wasm-parser/tests/data/.

pub mod binary;
pub mod dump;
pub mod read;
