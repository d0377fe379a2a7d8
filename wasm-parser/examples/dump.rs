//! Prints the tree and diagnostics of scene files, as the snapshot tests see them:
//! `cargo run -p holoroom-parser --example dump -- FILE... [--tree]`.

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let show_tree = args.iter().any(|a| a == "--tree");
    for file in args.iter().filter(|a| !a.starts_with("--")) {
        let bytes = match std::fs::read(file) {
            Ok(bytes) => bytes,
            Err(error) => {
                eprintln!("{}: {}", file, error);
                continue;
            }
        };
        let parsed = holoroom_parser::parse(&bytes);
        let errors = parsed
            .diagnostics
            .iter()
            .filter(|d| d.severity == holoroom_parser::diagnostics::Severity::Error)
            .count();
        println!(
            "== {} ({} errors, {} warnings)",
            file,
            errors,
            parsed.diagnostics.len() - errors
        );
        print!(
            "{}",
            holoroom_parser::output::dump::diagnostics(&parsed.diagnostics)
        );
        if show_tree {
            print!(
                "{}",
                holoroom_parser::output::dump::tree(&parsed.document(), &parsed.strings)
            );
        }
    }
}
