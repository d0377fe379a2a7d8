//! Holoroom scene-script parser.
//!
//! The crate is compiled to `wasm32-unknown-unknown` and loaded by the
//! TypeScript bridge in `app/scene/`. There is no wasm-bindgen: the module
//! exports a small C ABI (see [`abi`]) and the bridge copies bytes in and out of
//! linear memory itself. Everything here is `std`-only and builds with Rust
//! 1.63 (Debian's toolchain, which ships the wasm32 standard library).

pub mod abi;

/// Packed crate version: `major << 16 | minor << 8 | patch`.
pub fn version() -> u32 {
    let major: u32 = env!("CARGO_PKG_VERSION_MAJOR").parse().unwrap_or(0);
    let minor: u32 = env!("CARGO_PKG_VERSION_MINOR").parse().unwrap_or(0);
    let patch: u32 = env!("CARGO_PKG_VERSION_PATCH").parse().unwrap_or(0);
    (major << 16) | (minor << 8) | patch
}

/// Number of lines in `text`, counting a final line without a newline.
/// `\r\n`, `\n` and a lone `\r` each end a line, as editors count them.
pub fn line_count(text: &[u8]) -> u32 {
    if text.is_empty() {
        return 0;
    }
    let mut lines: u32 = 1;
    let mut i = 0;
    while i < text.len() {
        match text[i] {
            b'\n' => lines += 1,
            b'\r' => {
                if text.get(i + 1) == Some(&b'\n') {
                    i += 1;
                }
                lines += 1;
            }
            _ => {}
        }
        i += 1;
    }
    // A trailing newline ends the last line; it does not start a new one.
    if matches!(text.last(), Some(b'\n') | Some(b'\r')) {
        lines -= 1;
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_lines_like_an_editor() {
        assert_eq!(line_count(b""), 0);
        assert_eq!(line_count(b"a"), 1);
        assert_eq!(line_count(b"a\n"), 1);
        assert_eq!(line_count(b"a\nb"), 2);
        assert_eq!(line_count(b"a\r\nb\r\n"), 2);
        assert_eq!(line_count(b"a\rb"), 2);
        assert_eq!(line_count(b"\n\n"), 2);
    }

    #[test]
    fn version_matches_manifest() {
        let packed = version();
        let text = format!(
            "{}.{}.{}",
            packed >> 16,
            (packed >> 8) & 0xff,
            packed & 0xff
        );
        assert_eq!(text, env!("CARGO_PKG_VERSION"));
    }
}
