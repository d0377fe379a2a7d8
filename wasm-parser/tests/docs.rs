//! Docs that stay true: every rule id the parser can report is documented in
//! docs/scene-language.md, and the example there parses without errors.

use std::fs;
use std::path::{Path, PathBuf};

use holoroom_parser::diagnostics::Severity;

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn language_doc() -> String {
    fs::read_to_string(repo().join("docs/scene-language.md")).expect("docs/scene-language.md")
}

fn rust_sources(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_sources(&path, out);
        } else if path.extension().map_or(false, |e| e == "rs") {
            out.push(path);
        }
    }
}

/// String literals shaped like rule ids (`"SYN2"`, `"LIM4"`) in the parser's sources.
fn rule_ids_in_sources() -> Vec<String> {
    let mut files = Vec::new();
    rust_sources(&repo().join("wasm-parser/src"), &mut files);
    let mut ids = Vec::new();
    for file in files {
        let text = fs::read_to_string(&file).unwrap();
        // Every slice between two quotes (escaped quotes upset pairing, so try all).
        for piece in text.split('"') {
            let letters = piece.chars().take_while(|c| c.is_ascii_uppercase()).count();
            let digits = piece
                .chars()
                .skip(letters)
                .take_while(|c| c.is_ascii_digit())
                .count();
            if (3..=4).contains(&letters)
                && digits > 0
                && letters + digits == piece.len()
                && !ids.contains(&piece.to_string())
            {
                ids.push(piece.to_string());
            }
        }
    }
    ids.sort();
    ids
}

#[test]
fn every_reported_rule_id_is_in_the_rule_index() {
    let doc = language_doc();
    let ids = rule_ids_in_sources();
    assert!(ids.len() >= 20, "found only {:?}", ids);
    for id in ids {
        assert!(
            doc.contains(&format!("| {} |", id)),
            "{} is reported but not in the rule index",
            id
        );
        assert!(
            doc.contains(&format!("**{} —", id)),
            "{} has no rule paragraph",
            id
        );
    }
}

#[test]
fn the_documented_example_parses_without_errors() {
    let doc = language_doc();
    let start = doc.find("```holo\n").expect("an example") + "```holo\n".len();
    let end = start + doc[start..].find("```").unwrap();
    let parsed = holoroom_parser::parse(&doc.as_bytes()[start..end]);
    let codes: Vec<&str> = parsed.diagnostics.iter().map(|d| d.code).collect();
    assert!(
        parsed
            .diagnostics
            .iter()
            .all(|d| d.severity == Severity::Warning),
        "{:?}",
        codes
    );
    assert_eq!(codes, ["LANG2", "LANG1"]);
}
