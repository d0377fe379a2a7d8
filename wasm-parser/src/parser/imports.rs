//! Imports (rules SYN10, LANG2): accepted at the top level and reported,
//! not resolved.

use super::Parser;
use crate::lexer::Tok;
use crate::schema::NodeKind;

impl<'a> Parser<'a> {
    /// Whether `import` at the current token begins an import (not a
    /// property named `import`).
    /// The word is reserved at the start of a member, so a malformed
    /// import is an import error rather than, say, a block named `import`.
    pub(super) fn starts_import(&self) -> bool {
        !matches!(
            self.nth(1).kind,
            Tok::Colon | Tok::Eq | Tok::Arrow | Tok::Question | Tok::Dot
        )
    }

    /// `import "src"`, `import Name from "src"`, `import { A, B as C } from "src"`,
    /// `import * as Name from "src"` (SYN10); reported with LANG2.
    /// `Import, from, to, source, name count, names…`
    pub(super) fn import(&mut self) -> Option<()> {
        let keyword = self.bump();
        let mut names = Vec::new();
        let token = self.tok();
        match token.kind {
            Tok::Str => {}
            Tok::Ident => {
                names.push(self.intern_token(token));
                self.advance();
                self.expect_word("from")?;
            }
            Tok::Star => {
                self.advance();
                self.expect_word("as")?;
                let name = self.expect(Tok::Ident, "SYN10", "a name")?;
                names.push(self.intern_token(name));
                self.expect_word("from")?;
            }
            _ => {
                let open = self.bump();
                loop {
                    self.tick();
                    let token = self.tok();
                    match token.kind {
                        Tok::RBrace => {
                            self.advance();
                            break;
                        }
                        Tok::Ident => {
                            self.advance();
                            let mut local = token;
                            if self.is_word(self.tok(), "as") {
                                self.advance();
                                local = self.expect(Tok::Ident, "SYN10", "a name after `as`")?;
                            }
                            names.push(self.intern_token(local));
                            if self.at(Tok::Comma) {
                                self.advance();
                            } else if !self.at(Tok::RBrace) {
                                self.unexpected("SYN10", &["`,`", "`}`"]);
                                return None;
                            }
                        }
                        Tok::Eof => {
                            self.unclosed("the import list", open, "`}`");
                            return None;
                        }
                        _ => {
                            self.unexpected("SYN10", &["a name", "`}`"]);
                            return None;
                        }
                    }
                }
                self.expect_word("from")?;
            }
        }
        let source_token = self.expect(Tok::Str, "SYN10", "the imported file as a string")?;
        let source = self.string_value(source_token);
        let span = keyword.span().to(source_token.span());
        self.header(NodeKind::Import, span);
        self.word(source);
        self.word(names.len() as u32);
        self.out.extend_from_slice(&names);
        let mut message = String::from("import of ");
        message.push_str(std::str::from_utf8(self.text(source_token)).unwrap_or("?"));
        message.push_str(" is accepted but not resolved: scenes are self-contained for now");
        self.diags.warning("LANG2", span, message);
        Some(())
    }
    fn expect_word(&mut self, word: &'static str) -> Option<()> {
        if self.is_word(self.tok(), word) {
            self.advance();
            return Some(());
        }
        self.unexpected(
            "SYN10",
            &[match word {
                "from" => "`from`",
                _ => "`as`",
            }],
        );
        None
    }
}
