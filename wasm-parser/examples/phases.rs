//! Times the parser's phases on a file (a development aid for performance work):
//! `cargo run --release -p holoroom-parser --example phases -- FILE`.

use std::time::Instant;

use holoroom_parser::diagnostics::Diagnostics;
use holoroom_parser::output::binary;

/// The fastest run: on a shared machine the minimum is the stable statistic.
fn median(samples: Vec<f64>) -> f64 {
    samples.into_iter().fold(f64::INFINITY, f64::min)
}

fn main() {
    let file = std::env::args().nth(1).expect("usage: phases FILE");
    let src = std::fs::read(&file).expect("readable file");
    let runs = 2000;
    let mut lex = Vec::new();
    let mut parse = Vec::new();
    let mut write = Vec::new();
    let mut out = Vec::new();
    for _ in 0..runs {
        let t0 = Instant::now();
        let mut diags = Diagnostics::default();
        let tokens = holoroom_parser::lexer::tokenize(&src, &mut diags);
        lex.push(t0.elapsed().as_secs_f64() * 1e3);
        drop(tokens);
        let t1 = Instant::now();
        let mut parsed = holoroom_parser::parse(&src);
        parse.push(t1.elapsed().as_secs_f64() * 1e3);
        let t2 = Instant::now();
        binary::write(
            &mut out,
            &parsed.document,
            &mut parsed.strings,
            &parsed.diagnostics,
            &parsed.positions,
        );
        write.push(t2.elapsed().as_secs_f64() * 1e3);
    }
    println!(
        "lex {:.3} ms, lex+parse {:.3} ms, binary write {:.3} ms ({} bytes)",
        median(lex),
        median(parse),
        median(write),
        out.len()
    );
}
