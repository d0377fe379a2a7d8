//! Real scene files: the shared corpus of HoloScript scenes people wrote
//! (`../shared/corpus/holoscript/` beside the repository, present in CI; not
//! part of the project) must parse without errors in at least 95 % of the
//! files, and every file must give a readable result. The files that still
//! fail, and why, are listed in docs/scene-language.md ("Real files").

use std::fs;
use std::path::{Path, PathBuf};

use holoroom_parser::diagnostics::Severity;
use holoroom_parser::output::read;

/// The clean share the language promises for real files.
const MIN_CLEAN: f64 = 0.95;

/// `shared/corpus/holoscript` beside the repository. A git worktree's own
/// folder may be elsewhere: then beside the main working tree, found
/// through the worktree's `.git` file (`gitdir: <main>/.git/worktrees/<name>`).
fn corpus_dir() -> PathBuf {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let mut roots = vec![repo.clone()];
    if let Ok(link) = fs::read_to_string(repo.join(".git")) {
        if let Some(gitdir) = link.trim().strip_prefix("gitdir:") {
            // <main>/.git/worktrees/<name> -> <main>
            if let Some(main) = Path::new(gitdir.trim()).ancestors().nth(3) {
                roots.push(main.to_path_buf());
            }
        }
    }
    for root in &roots {
        let dir = root.join("../shared/corpus/holoscript");
        if dir.is_dir() {
            return dir;
        }
    }
    panic!(
        "the shared corpus is missing: it belongs at ../shared/corpus/holoscript beside the \
         repository (looked beside {:?})",
        roots
    );
}

#[test]
fn at_least_95_percent_of_the_shared_corpus_parses_clean() {
    let dir = corpus_dir();
    let mut files: Vec<PathBuf> = fs::read_dir(&dir)
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.extension().map_or(false, |ext| ext == "holo"))
        .collect();
    files.sort();
    assert!(
        files.len() >= 100,
        "only {} files in {}",
        files.len(),
        dir.display()
    );
    let mut failing = Vec::new();
    for file in &files {
        let bytes = fs::read(file).unwrap();
        let parsed = holoroom_parser::parse(&bytes);
        if let Err(error) = read::document(&parsed.result, parsed.len, &parsed.positions) {
            panic!("{}: unreadable result: {}", file.display(), error);
        }
        let first_error = parsed
            .diagnostics
            .iter()
            .find(|d| d.severity == Severity::Error);
        if let Some(d) = first_error {
            failing.push(format!(
                "{}:{}:{} {} {}",
                file.file_name().unwrap().to_string_lossy(),
                d.at.line,
                d.at.column,
                d.code,
                d.message
            ));
        }
    }
    let clean = files.len() - failing.len();
    let share = clean as f64 / files.len() as f64;
    println!(
        "{} of {} corpus files parse clean ({:.1} %)",
        clean,
        files.len(),
        share * 100.0
    );
    for line in &failing {
        println!("  still failing: {}", line);
    }
    assert!(
        share >= MIN_CLEAN,
        "only {} of {} files parse clean; failing:\n{}",
        clean,
        files.len(),
        failing.join("\n")
    );
}
