//! The parser must survive any input: in WebAssembly a panic aborts the
//! instance (LIM rules, docs/scene-language.md). This feeds it many seeded
//! random and mutated inputs on the host, where debug builds also check
//! integer overflow, and checks that every result is well-formed: diagnostics
//! lie inside the input and the serialisers run.

use holoroom_parser::limits::{MAX_DEPTH, MAX_DIAGNOSTICS};

// Deeper trees would need a re-check of stack use in wasm (64 KiB frames budget).
const _: () = assert!(MAX_DEPTH <= 64);
use holoroom_parser::output::read;

/// xorshift64*: a tiny deterministic generator (std only, reproducible by seed).
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

const SEEDS: &[&str] = &[
    include_str!("data/ok/handlers.holo"),
    include_str!("data/ok/values.holo"),
    include_str!("data/ok/traits.holo"),
    include_str!("data/ok/blocks.holo"),
    include_str!("data/ok/separators.holo"),
    include_str!("data/ok/comments-imports.holo"),
    include_str!("data/ok/templates.holo"),
    include_str!("data/ok/expressions-js.holo"),
    include_str!("data/ok/handlers-on.holo"),
    include_str!("data/ok/statements-js.holo"),
    include_str!("data/ok/members-relaxed.holo"),
    include_str!("data/ok/strings-multiline.holo"),
];

/// Fragments that stress the grammar's edges when spliced in anywhere.
const FRAGMENTS: &[&str] = &[
    "{",
    "}",
    "[",
    "]",
    "(",
    ")",
    ":",
    ",",
    ";",
    "\n",
    "@",
    "@x(",
    "\"",
    "'",
    "/*",
    "*/",
    "//",
    "#",
    "#fff",
    "-",
    "--",
    "++",
    "=",
    "+=",
    "!",
    ".",
    ".5",
    "1e",
    "1e999",
    "if",
    "else",
    "let",
    "return",
    "import",
    "object \"A\" {",
    "on_click {",
    "onX: {",
    "f(a) {",
    "set x -1",
    "\\",
    "\u{e9}",
    "\u{1F600}",
    "\r",
    "\r\n",
    "using",
    "x.y.z",
    "a[0]",
    "`",
    "\0",
    "\u{FEFF}",
    "${",
    "`a${",
    "}`",
    "?",
    "?.",
    "??",
    "=>",
    "->",
    "|",
    "&",
    "**",
    "...",
    "'''",
    "\"\"\"",
    "\"\n",
    "0x1f",
    "20m",
    "50%",
    "45\u{b0}",
    "# note\n",
    "on ",
    "on(",
    "on \"tap\" {",
    "action a(",
    "function (",
    "(a) => ",
    "for (x of y) {",
    "a<b>",
    "x?:",
    "= 1",
    "\u{a0}",
];

fn check(input: &[u8]) {
    let parsed = holoroom_parser::parse(input);
    let len = input.len() as u32;
    assert!(parsed.diagnostics.len() <= MAX_DIAGNOSTICS + 1);
    for d in &parsed.diagnostics {
        assert!(
            d.span.start <= d.span.end && d.span.end <= len,
            "diagnostic span {:?} outside 0..{}",
            d.span,
            len
        );
        assert!(!d.message.is_empty());
    }
    // The result is complete and well-formed whatever was rolled back.
    if let Err(error) = read::document(&parsed.result, parsed.len, &parsed.positions) {
        panic!("{}: {:?}", error, String::from_utf8_lossy(input));
    }
    assert_eq!(parsed.bytes().len(), parsed.len);
}

#[test]
fn random_bytes_never_panic() {
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    for _ in 0..3000 {
        let len = rng.below(200);
        let input: Vec<u8> = (0..len).map(|_| rng.next() as u8).collect();
        check(&input);
    }
}

#[test]
fn random_token_soup_never_panics() {
    let mut rng = Rng(42);
    for _ in 0..3000 {
        let mut input = String::new();
        for _ in 0..rng.below(60) {
            input.push_str(FRAGMENTS[rng.below(FRAGMENTS.len())]);
            if rng.below(3) == 0 {
                input.push(' ');
            }
        }
        check(input.as_bytes());
    }
}

#[test]
fn mutated_scenes_never_panic() {
    let mut rng = Rng(7);
    for round in 0..4000 {
        let mut input = SEEDS[round % SEEDS.len()].as_bytes().to_vec();
        for _ in 0..1 + rng.below(6) {
            let at = rng.below(input.len() + 1);
            match rng.below(4) {
                0 if !input.is_empty() => {
                    let end = (at + rng.below(20)).min(input.len());
                    input.drain(at.min(end)..end);
                }
                1 => {
                    let fragment = FRAGMENTS[rng.below(FRAGMENTS.len())].as_bytes();
                    input.splice(at..at, fragment.iter().copied());
                }
                2 if at < input.len() => input[at] = rng.next() as u8,
                _ => {
                    // Duplicate a slice: grows nesting and repetition.
                    let end = (at + rng.below(80)).min(input.len());
                    let copy = input[at..end].to_vec();
                    input.splice(at..at, copy);
                }
            }
        }
        check(&input);
    }
}

#[test]
fn pathological_shapes_are_bounded() {
    let deep =
        |open: &str, close: &str, n: usize| format!("x: {}1{}", open.repeat(n), close.repeat(n));
    let shapes = [
        deep("[", "]", 100_000),
        deep("(", ")", 100_000),
        deep("{a: ", "}", 50_000),
        format!("x: {}1", "-".repeat(100_000)),
        format!("x: {}1", "!".repeat(100_000)),
        format!("x: 1{}", " + 1".repeat(100_000)),
        format!("x: a{}", ".b".repeat(100_000)),
        format!("x: f{}", "()".repeat(100_000)),
        "object A {".repeat(100_000),
        format!("h() {{ {} }}", "if x { ".repeat(100_000)),
        "@".repeat(100_000),
        "}".repeat(100_000),
        "\"".repeat(100_001),
        "a: \"x\"b: 1 ".repeat(100_000),
        format!("x: {}1{}", "`${".repeat(50_000), "}`".repeat(50_000)),
        format!("x: {}1", "a => ".repeat(100_000)),
        format!("x: {}1", "() => ".repeat(100_000)),
        format!("x: {}1", "a ? ".repeat(100_000)),
        format!("x: 1{}", " ? 1 : 1".repeat(100_000)),
        format!("x: a{}", "?.b".repeat(100_000)),
        format!("x: a{}", " | f [".repeat(100_000)),
        format!("x: {}", "a<".repeat(100_000)),
        format!("x: {}1", "...".repeat(100_000)),
        format!("x: {}1", "@t(".repeat(100_000)),
        format!("h() {{ {} }}", "if (x) ".repeat(100_000)),
        format!("h() {{ {} }}", "f() {".repeat(100_000)),
        format!("h() {{ {} }}", "for (x of y) {".repeat(100_000)),
        "on(".repeat(100_000),
        "'''".repeat(100_001),
        "`".repeat(100_001),
        format!("x: {}", "function () {".repeat(100_000)),
    ];
    for shape in &shapes {
        let parsed = holoroom_parser::parse(shape.as_bytes());
        assert!(!parsed.diagnostics.is_empty(), "{}...", &shape[..20]);
        check(shape.as_bytes());
    }
}
