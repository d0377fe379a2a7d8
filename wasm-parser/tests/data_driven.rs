//! Tests as data: every `tests/data/{ok,err}/NAME.holo` is parsed and its tree
//! and diagnostics are compared with `NAME.tree` and `NAME.diagnostics`
//! (formats in `output::dump`). Files under `ok/` must have no errors (warnings
//! are pinned like everything else); files under `err/` must have at least one,
//! and their snapshots pin the exact diagnostics and the recovered tree.
//!
//! After an intended change, rewrite the snapshots and review the diff:
//! `HOLO_BLESS=1 cargo test -p holoroom-parser --test data_driven`.

use std::fs;
use std::path::{Path, PathBuf};

use holoroom_parser::diagnostics::Severity;
use holoroom_parser::output::dump;

fn data_files(folder: &str) -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data")
        .join(folder);
    let mut files: Vec<PathBuf> = fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {}", dir.display(), e))
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.extension().map_or(false, |ext| ext == "holo"))
        .collect();
    files.sort();
    assert!(!files.is_empty(), "no .holo files in {}", dir.display());
    files
}

fn check_snapshot(path: &Path, actual: &str, failures: &mut Vec<String>) {
    if std::env::var_os("HOLO_BLESS").is_some() {
        fs::write(path, actual).unwrap();
        return;
    }
    let expected = fs::read_to_string(path).unwrap_or_default();
    if expected != actual {
        let first_difference = expected
            .lines()
            .zip(actual.lines())
            .position(|(e, a)| e != a)
            .unwrap_or_else(|| expected.lines().count().min(actual.lines().count()));
        failures.push(format!(
            "{} differs at line {}:\n  expected: {:?}\n  actual:   {:?}\n(run with HOLO_BLESS=1 to accept)",
            path.display(),
            first_difference + 1,
            expected.lines().nth(first_difference).unwrap_or("<end>"),
            actual.lines().nth(first_difference).unwrap_or("<end>"),
        ));
    }
}

fn run(folder: &str, want_errors: bool) {
    let mut failures = Vec::new();
    for file in data_files(folder) {
        let bytes = fs::read(&file).unwrap();
        let parsed = holoroom_parser::parse(&bytes);
        let errors = parsed
            .diagnostics
            .iter()
            .filter(|d| d.severity == Severity::Error)
            .count();
        if want_errors && errors == 0 {
            failures.push(format!(
                "{}: expected at least one error, got none",
                file.display()
            ));
        }
        if !want_errors && errors > 0 {
            failures.push(format!(
                "{}: expected no errors, got:\n{}",
                file.display(),
                dump::diagnostics(&parsed.diagnostics)
            ));
        }
        let tree = dump::tree(&parsed.document(), &parsed.strings);
        let diagnostics = dump::diagnostics(&parsed.diagnostics);
        check_snapshot(&file.with_extension("tree"), &tree, &mut failures);
        check_snapshot(
            &file.with_extension("diagnostics"),
            &diagnostics,
            &mut failures,
        );
    }
    assert!(failures.is_empty(), "\n{}", failures.join("\n\n"));
}

#[test]
fn ok_files_parse_without_errors_and_match_snapshots() {
    run("ok", false);
}

#[test]
fn err_files_report_exact_diagnostics_and_recover() {
    run("err", true);
}
