//! Document level and bodies: blocks, traits, properties, handlers, imports
//! (rules SYN1-SYN7, SYN10, LANG1, LANG2).

use super::Parser;
use crate::intern::NO_SYM;
use crate::lexer::{Tok, Token};
use crate::schema::{block_kind, HandlerForm, NodeKind};

/// What a `{` opened, for "expected `}` to close ..." messages.
#[derive(Clone, Copy)]
pub(super) struct Opener {
    pub brace: Token,
    /// The keyword of a block or the name of a trait.
    pub label: Token,
    pub is_trait: bool,
}

/// `on` followed by `_` or a capital letter: `on_click`, `onGrab` (rule SYN7).
pub fn is_handler_name(text: &[u8]) -> bool {
    text.len() > 2
        && text.starts_with(b"on")
        && matches!(text.get(2), Some(b'_') | Some(b'A'..=b'Z'))
}

impl<'a> Parser<'a> {
    /// `Document, from, to, member count, members…` (imports are members here).
    pub(super) fn document(&mut self) {
        let at = self.open(NodeKind::Document, 0);
        let count = self.placeholder();
        let members = self.body_items(true, None);
        self.set(count, members);
        self.close(at, self.src.len() as u32);
    }

    /// Members up to the `}` matching `open` (or the end of the input for the
    /// document), separated by line breaks, `,` or `;` (SYN2), written in
    /// source order; returns how many were written.
    pub(super) fn body_items(&mut self, imports: bool, open: Option<Opener>) -> u32 {
        let mut need_separator = false;
        let mut written = 0u32;
        loop {
            self.tick();
            let token = self.tok();
            match token.kind {
                Tok::Eof => {
                    if let Some(opener) = open {
                        self.report_unclosed_body(opener);
                    }
                    return written;
                }
                Tok::RBrace => {
                    self.bump();
                    if open.is_some() {
                        return written;
                    }
                    self.diags.error(
                        "SYN1",
                        token.span(),
                        String::from("unexpected `}`: there is no open block to close here"),
                        &["a member"],
                    );
                    need_separator = false;
                    continue;
                }
                Tok::Comma | Tok::Semi => {
                    self.bump();
                    need_separator = false;
                    continue;
                }
                _ => {}
            }
            if need_separator && !token.nl_before() {
                self.unexpected("SYN2", &["a line break", "`,`", "`;`"]);
                self.skip_construct(true);
                need_separator = false;
                continue;
            }
            let start = self.pos;
            let mark = self.mark();
            let result = if self.is_word(token, "import") && self.starts_import() {
                if imports {
                    self.import().map(|_| false)
                } else {
                    self.diags.error(
                        "SYN10",
                        token.span(),
                        String::from(
                            "`import` belongs at the top level of the file, outside any block",
                        ),
                        &[],
                    );
                    None
                }
            } else {
                self.member()
            };
            match result {
                Some(self_delimited) => {
                    need_separator = !self_delimited;
                    written += 1;
                }
                None => {
                    self.rollback(mark);
                    self.pos = start;
                    self.skip_construct(true);
                    need_separator = false;
                }
            }
        }
    }

    fn report_unclosed_body(&mut self, opener: Opener) {
        let mut what = String::from(if opener.is_trait { "the `@" } else { "the `" });
        what.push_str(std::str::from_utf8(self.text(opener.label)).unwrap_or("?"));
        what.push_str(if opener.is_trait {
            "` configuration"
        } else {
            "` block"
        });
        self.unclosed(&what, opener.brace, "`}`");
    }

    /// One member; `Some(true)` when it ends itself (with `}` or as a trait),
    /// so another member may follow on the same line.
    fn member(&mut self) -> Option<bool> {
        let token = self.tok();
        match token.kind {
            Tok::At => {
                self.trait_(true)?;
                Some(true)
            }
            Tok::Ident => {
                let next = self.nth(1);
                let handler_name = is_handler_name(self.text(token));
                match next.kind {
                    Tok::Colon => self.property_or_handler(handler_name),
                    Tok::LParen => {
                        self.handler(HandlerForm::Params)?;
                        Some(true)
                    }
                    Tok::LBrace if handler_name => {
                        self.handler(HandlerForm::Block)?;
                        Some(true)
                    }
                    Tok::LBrace | Tok::Str | Tok::Ident | Tok::At => self.block(),
                    _ => {
                        self.bump();
                        self.unexpected(
                            "SYN1",
                            &["`:` after a property name", "`{` to open a block"],
                        );
                        None
                    }
                }
            }
            _ => {
                self.unexpected("SYN1", &["a property", "a trait", "a block", "a handler"]);
                None
            }
        }
    }

    /// `key: value`, or `onName: { statements }` (a handler in colon form).
    fn property_or_handler(&mut self, handler_name: bool) -> Option<bool> {
        if handler_name && self.nth(2).kind == Tok::LBrace {
            self.handler(HandlerForm::Colon)?;
            return Some(true);
        }
        let key_token = self.bump();
        let colon = self.bump();
        self.value_on_same_line("SYN5", colon)?;
        let at = self.open(NodeKind::Property, key_token.start);
        let key = self.intern_token(key_token);
        self.word(key);
        let value = self.expression_in(true, false)?;
        self.close(at, value.span.end);
        Some(self.prev().map_or(false, |t| t.kind == Tok::RBrace))
    }

    /// A handler in any of its forms; the current token is its name (SYN7).
    /// `Handler, from, to, name, form, param count, params…, statement count, statements…`
    fn handler(&mut self, form: HandlerForm) -> Option<()> {
        let name_token = self.bump();
        let at = self.open(NodeKind::Handler, name_token.start);
        let name = self.intern_token(name_token);
        self.word(name);
        self.word(form.code());
        let params = self.placeholder();
        let mut count = 0u32;
        match form {
            HandlerForm::Colon => {
                self.bump();
            }
            HandlerForm::Params => {
                let open = self.bump();
                loop {
                    self.tick();
                    let token = self.tok();
                    match token.kind {
                        Tok::RParen => {
                            self.bump();
                            break;
                        }
                        Tok::Ident => {
                            let param = self.intern_token(token);
                            self.word(param);
                            count += 1;
                            self.bump();
                            if self.at(Tok::Comma) {
                                self.bump();
                            } else if !self.at(Tok::RParen) {
                                self.unexpected("SYN7", &["`,`", "`)`"]);
                                return None;
                            }
                        }
                        Tok::Eof => {
                            self.unclosed("the parameter list", open, "`)`");
                            return None;
                        }
                        _ => {
                            self.unexpected("SYN7", &["a parameter name", "`)`"]);
                            return None;
                        }
                    }
                }
            }
            HandlerForm::Block => {}
        }
        self.set(params, count);
        let open = self.expect(Tok::LBrace, "SYN7", "`{` to start the handler body")?;
        self.statement_block(open)?;
        let end = self.prev().map_or(open.end, |t| t.end);
        self.close(at, end);
        Some(())
    }

    /// `@name`, `@name(args)`, and in a body also `@name { config }` (SYN6).
    /// `Trait, from, to, name, arg count or NONE, args…, has config, [members]`
    fn trait_(&mut self, in_body: bool) -> Option<()> {
        let at_token = self.bump();
        let name_token = self.tok();
        if name_token.kind != Tok::Ident || name_token.space_before() {
            self.unexpected("SYN6", &["a trait name right after `@`"]);
            return None;
        }
        self.bump();
        let at = self.open(NodeKind::Trait, at_token.start);
        let name = self.intern_token(name_token);
        self.word(name);
        if self.at(Tok::LParen) && !self.tok().nl_before() {
            self.trait_args()?;
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
        Some(())
    }

    /// `(args)`: `count, per arg: name or NONE, value`.
    fn trait_args(&mut self) -> Option<()> {
        let open = self.bump();
        if !self.enter() {
            return None;
        }
        let count = self.placeholder();
        let result = self.with_flags(false, false, |p| {
            let mut args = 0u32;
            loop {
                p.tick();
                if p.at(Tok::RParen) {
                    p.bump();
                    return Some(args);
                }
                if p.at(Tok::Eof) {
                    p.unclosed("the trait arguments", open, "`)`");
                    return None;
                }
                let token = p.tok();
                if token.kind == Tok::Ident && p.nth(1).kind == Tok::Colon {
                    let name = p.intern_token(token);
                    p.word(name);
                    p.bump();
                    p.bump();
                } else {
                    p.word(NO_SYM);
                }
                p.expression()?;
                args += 1;
                if p.at(Tok::Comma) {
                    p.bump();
                } else if !p.at(Tok::RParen) {
                    p.unexpected("SYN6", &["`,`", "`)`"]);
                    return None;
                }
            }
        });
        self.leave();
        self.set(count, result?);
        Some(())
    }

    /// `keyword ["Name" | Name] [using Template] [@trait ...] { members }` (SYN3).
    /// `kind, from, to, keyword, name or NONE, using or NONE, member count, members…`
    /// (header traits are the first members).
    fn block(&mut self) -> Option<bool> {
        let keyword_token = self.bump();
        let kind = block_kind(self.text(keyword_token));
        let at = self.open(kind, keyword_token.start);
        let keyword = self.intern_token(keyword_token);
        self.word(keyword);
        let mut named = false;
        let token = self.tok();
        let using_next =
            self.is_word(token, "using") && matches!(self.nth(1).kind, Tok::Str | Tok::Ident);
        if token.kind == Tok::Str {
            let name = self.string_value(token);
            self.word(name);
            named = true;
            self.bump();
        } else if token.kind == Tok::Ident && !using_next {
            let name = self.intern_token(token);
            self.word(name);
            named = true;
            self.bump();
        } else {
            self.word(NO_SYM);
        }
        if self.is_word(self.tok(), "using") {
            self.bump();
            let template = self.tok();
            let using = match template.kind {
                Tok::Str => self.string_value(template),
                Tok::Ident => self.intern_token(template),
                _ => {
                    self.unexpected("SYN3", &["a template name after `using`"]);
                    return None;
                }
            };
            self.word(using);
            self.bump();
        } else {
            self.word(NO_SYM);
        }
        let count = self.placeholder();
        let mut members = 0u32;
        while self.at(Tok::At) {
            self.trait_(false)?;
            members += 1;
        }
        if !self.at(Tok::LBrace) {
            let found = self.tok();
            if kind == NodeKind::UnknownBlock && named && found.kind != Tok::Error {
                // `geometry "box"`: most likely a property missing its colon.
                let mut message = String::from("expected `:` after the property name `");
                message.push_str(std::str::from_utf8(self.text(keyword_token)).unwrap_or("?"));
                message.push_str("` (or `{` to open a block), found ");
                self.push_found(&mut message, found);
                let span = self.nth(0).span();
                self.diags.error("SYN3", span, message, &["`:`", "`{`"]);
            } else {
                self.unexpected("SYN3", &["`{` to open the block"]);
            }
            return None;
        }
        let brace = self.bump();
        if !self.enter() {
            return None;
        }
        let unknown = kind == NodeKind::UnknownBlock;
        if unknown {
            if self.quiet_unknown == 0 {
                let mut message = String::from("unknown block `");
                message.push_str(std::str::from_utf8(self.text(keyword_token)).unwrap_or("?"));
                message.push_str("` is kept as an UnknownBlock; the scene does not use it");
                self.diags.warning("LANG1", keyword_token.span(), message);
            }
            self.quiet_unknown += 1;
        }
        let opener = Opener {
            brace,
            label: keyword_token,
            is_trait: false,
        };
        members += self.body_items(false, Some(opener));
        if unknown {
            self.quiet_unknown -= 1;
        }
        self.leave();
        self.set(count, members);
        let end = self.prev().map_or(brace.end, |t| t.end);
        self.close(at, end);
        Some(true)
    }

    /// Whether `import` at the current token begins an import (not e.g. a
    /// property named `import`).
    fn starts_import(&self) -> bool {
        matches!(
            self.nth(1).kind,
            Tok::Str | Tok::Ident | Tok::LBrace | Tok::Star
        ) && !self.nth(1).nl_before()
    }

    /// `import "src"`, `import Name from "src"`, `import { A, B as C } from "src"`,
    /// `import * as Name from "src"` (SYN10); reported with LANG2.
    /// `Import, from, to, source, name count, names…`
    fn import(&mut self) -> Option<()> {
        let keyword = self.bump();
        let mut names = Vec::new();
        let token = self.tok();
        match token.kind {
            Tok::Str => {}
            Tok::Ident => {
                names.push(self.intern_token(token));
                self.bump();
                self.expect_word("from")?;
            }
            Tok::Star => {
                self.bump();
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
                            self.bump();
                            break;
                        }
                        Tok::Ident => {
                            self.bump();
                            let mut local = token;
                            if self.is_word(self.tok(), "as") {
                                self.bump();
                                local = self.expect(Tok::Ident, "SYN10", "a name after `as`")?;
                            }
                            names.push(self.intern_token(local));
                            if self.at(Tok::Comma) {
                                self.bump();
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
            self.bump();
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
