//! Limits that keep a parse bounded on any input (rules LIM1-LIM4 in
//! docs/scene-language.md). A scene script comes from any peer in a room, so
//! neither its size nor its shape may decide how much memory, stack or time
//! a parse takes.

/// LIM1: larger inputs are refused with one error and an empty tree.
/// 1 MiB is about 30 000 lines of a typical scene, far beyond a hand-written room.
pub const MAX_INPUT_BYTES: usize = 1 << 20;

/// LIM2: nesting of blocks, brackets, statements and unary operators, and the
/// height of an expression tree. Every later stage (serialiser, decoder,
/// interpreter) recurses over the tree, so its depth is bounded here once.
pub const MAX_DEPTH: u32 = 64;

/// LIM3: work units per token (one unit per token consumed and per loop turn).
/// A correct parse uses about one per token; the budget is a safety net
/// that turns a hypothetical parser loop into a diagnostic instead of a hang.
pub const STEPS_PER_TOKEN: u64 = 8;
/// LIM3: fixed part of the budget, so tiny inputs still have room.
pub const STEPS_BASE: u64 = 10_000;

/// LIM4: at most this many diagnostics are kept; one more says how many were dropped.
pub const MAX_DIAGNOSTICS: usize = 200;
