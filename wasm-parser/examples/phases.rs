//! Times the parser's phases on a file (a development aid for performance work):
//! `cargo run --release -p holoroom-parser --example phases -- FILE`.

use std::time::Instant;

use holoroom_parser::diagnostics::Diagnostics;

/// The fastest run: on a shared machine the minimum is the stable statistic.
fn fastest(samples: Vec<f64>) -> f64 {
    samples.into_iter().fold(f64::INFINITY, f64::min)
}

fn main() {
    let file = std::env::args().nth(1).expect("usage: phases FILE");
    let src = std::fs::read(&file).expect("readable file");
    let runs = 2000;
    let mut lex = Vec::new();
    let mut parse = Vec::new();
    let mut buffer = Vec::new();
    let mut len = 0;
    for _ in 0..runs {
        let t0 = Instant::now();
        let mut diags = Diagnostics::default();
        let tokens = holoroom_parser::lexer::tokenize(&src, &mut diags);
        lex.push(t0.elapsed().as_secs_f64() * 1e3);
        drop(tokens);
        let t1 = Instant::now();
        let parsed = holoroom_parser::parse_into(&src, None, std::mem::take(&mut buffer));
        parse.push(t1.elapsed().as_secs_f64() * 1e3);
        len = parsed.len;
        buffer = parsed.result;
    }
    println!(
        "lex {:.3} ms, lex + parse + result {:.3} ms ({} bytes)",
        fastest(lex),
        fastest(parse),
        len
    );
}
