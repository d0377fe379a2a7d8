//! Traits (rule SYN6): `@name`, `@name(args)`, `@name "text"` and, in a
//! body, `@name { config }`; also written as values (SYN13).

use super::{Opener, Parser};
use crate::intern::NO_SYM;
use crate::lexer::Tok;
use crate::schema::NodeKind;

impl<'a> Parser<'a> {
    /// `Trait, from, to, name, arg count or NONE, args…, has config, [members]`;
    /// returns the height of the arguments plus one.
    pub(super) fn trait_(&mut self, in_body: bool) -> Option<u32> {
        let at_token = self.bump();
        let name_token = self.tok();
        // `@2d_canvas`: a name may start with a digit.
        if !matches!(name_token.kind, Tok::Ident | Tok::Quantity) || name_token.space_before() {
            self.unexpected("SYN6", &["a trait name right after `@`"]);
            return None;
        }
        self.advance();
        let at = self.open(NodeKind::Trait, at_token.start);
        let name = self.intern_token(name_token);
        self.word(name);
        let mut height = 1;
        let next = self.tok();
        // Among a command's arguments a `(` after a space is the next argument.
        let separated = self.command_args && next.space_before();
        if next.kind == Tok::LParen && !next.nl_before() && !separated {
            height = self.trait_args()? + 1;
        } else if in_body && next.kind == Tok::Str && !next.nl_before() {
            // `@world "Gallery"`: one argument without parentheses.
            self.word(1);
            self.word(NO_SYM);
            let value = self.string_value(next);
            self.header(NodeKind::String, next.span());
            self.word(value);
            self.advance();
            height = 2;
        } else {
            self.word(NO_SYM);
        }
        if in_body && self.at(Tok::LBrace) && !self.tok().nl_before() {
            let brace = self.bump();
            if !self.enter() {
                return None;
            }
            self.word(1);
            let count = self.placeholder();
            self.quiet_unknown += 1;
            let opener = Opener {
                brace,
                label: name_token,
                is_trait: true,
            };
            let members = self.body_items(false, Some(opener));
            self.quiet_unknown -= 1;
            self.leave();
            self.set(count, members);
        } else {
            self.word(0);
        }
        let end = self.prev().map_or(at_token.end, |t| t.end);
        self.close(at, end);
        Some(height)
    }

    /// `(args)`: `count, per arg: name or NONE, value`; returns the greatest height.
    fn trait_args(&mut self) -> Option<u32> {
        let open = self.bump();
        if !self.enter() {
            return None;
        }
        let count = self.placeholder();
        let result = self.with_flags(false, false, |p| {
            let mut args = 0u32;
            let mut height = 0u32;
            loop {
                p.tick();
                if p.at(Tok::RParen) {
                    p.advance();
                    return Some((args, height));
                }
                if p.at(Tok::Eof) {
                    p.unclosed("the trait arguments", open, "`)`");
                    return None;
                }
                let token = p.tok();
                if token.kind == Tok::Ident && p.nth(1).kind == Tok::Colon {
                    let name = p.intern_token(token);
                    p.word(name);
                    p.advance();
                    p.advance();
                } else {
                    p.word(NO_SYM);
                }
                height = height.max(p.expression()?.height);
                args += 1;
                if p.at(Tok::Comma) {
                    p.advance();
                } else if !p.at(Tok::RParen) {
                    p.unexpected("SYN6", &["`,`", "`)`"]);
                    return None;
                }
            }
        });
        self.leave();
        let (args, height) = result?;
        self.set(count, args);
        Some(height)
    }
}
