//! Document level and bodies: blocks, traits, properties, handlers, imports
//! (rules SYN1-SYN7, SYN10, LANG1, LANG2).

use super::Parser;
use crate::ast::{Block, Body, Document, Handler, Import, Property, Trait, TraitArg};
use crate::diagnostics::Span;
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
    pub(super) fn document(&mut self) -> Document {
        let mut imports = Vec::new();
        let mut body = Body::default();
        self.body_items(&mut body, Some(&mut imports), None);
        Document {
            imports,
            body,
            span: Span::new(0, self.src.len() as u32),
        }
    }

    /// Members up to the `}` matching `open` (or the end of the input for the
    /// document), separated by line breaks, `,` or `;` (SYN2).
    pub(super) fn body_items(
        &mut self,
        body: &mut Body,
        mut imports: Option<&mut Vec<Import>>,
        open: Option<Opener>,
    ) {
        let mut need_separator = false;
        loop {
            self.tick();
            let token = self.tok();
            match token.kind {
                Tok::Eof => {
                    if let Some(opener) = open {
                        self.report_unclosed_body(opener);
                    }
                    return;
                }
                Tok::RBrace => {
                    self.bump();
                    if open.is_some() {
                        return;
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
            let result = if self.is_word(token, "import") && self.starts_import() {
                match imports.as_deref_mut() {
                    Some(list) => self.import().map(|import| {
                        list.push(import);
                        false
                    }),
                    None => {
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
                }
            } else {
                self.member(body)
            };
            match result {
                Some(self_delimited) => need_separator = !self_delimited,
                None => {
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
    fn member(&mut self, body: &mut Body) -> Option<bool> {
        let token = self.tok();
        match token.kind {
            Tok::At => {
                let item = self.trait_(true)?;
                body.traits.push(item);
                Some(true)
            }
            Tok::Ident => {
                let next = self.nth(1);
                let handler_name = is_handler_name(self.text(token));
                match next.kind {
                    Tok::Colon => self.property_or_handler(body, handler_name),
                    Tok::LParen => {
                        let handler = self.handler(HandlerForm::Params)?;
                        body.handlers.push(handler);
                        Some(true)
                    }
                    Tok::LBrace if handler_name => {
                        let handler = self.handler(HandlerForm::Block)?;
                        body.handlers.push(handler);
                        Some(true)
                    }
                    Tok::LBrace | Tok::Str | Tok::Ident | Tok::At => self.block(body),
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
    fn property_or_handler(&mut self, body: &mut Body, handler_name: bool) -> Option<bool> {
        if handler_name && self.nth(2).kind == Tok::LBrace {
            let handler = self.handler(HandlerForm::Colon)?;
            body.handlers.push(handler);
            return Some(true);
        }
        let key_token = self.bump();
        let key = self.intern_token(key_token);
        let colon = self.bump();
        self.value_on_same_line("SYN5", colon)?;
        let value = self.expression_in(true, false)?;
        let span = key_token.span().to(value.span);
        body.properties.push(Property { key, value, span });
        Some(self.prev().map_or(false, |t| t.kind == Tok::RBrace))
    }

    /// A handler in any of its forms; the current token is its name (SYN7).
    fn handler(&mut self, form: HandlerForm) -> Option<Handler> {
        let name_token = self.bump();
        let name = self.intern_token(name_token);
        let mut params = Vec::new();
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
                            params.push(self.intern_token(token));
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
        let open = self.expect(Tok::LBrace, "SYN7", "`{` to start the handler body")?;
        let body = self.statement_block(open)?;
        let span = name_token
            .span()
            .to(self.prev().map_or(open.span(), |t| t.span()));
        Some(Handler {
            name,
            form,
            params,
            body,
            span,
        })
    }

    /// `@name`, `@name(args)`, and in a body also `@name { config }` (SYN6).
    fn trait_(&mut self, in_body: bool) -> Option<Trait> {
        let at = self.bump();
        let name_token = self.tok();
        if name_token.kind != Tok::Ident || name_token.space_before() {
            self.unexpected("SYN6", &["a trait name right after `@`"]);
            return None;
        }
        self.bump();
        let name = self.intern_token(name_token);
        let mut args = None;
        if self.at(Tok::LParen) && !self.tok().nl_before() {
            args = Some(self.trait_args()?);
        }
        let mut body = None;
        if in_body && self.at(Tok::LBrace) && !self.tok().nl_before() {
            let brace = self.bump();
            if !self.enter() {
                return None;
            }
            let mut config = Body::default();
            self.quiet_unknown += 1;
            let opener = Opener {
                brace,
                label: name_token,
                is_trait: true,
            };
            self.body_items(&mut config, None, Some(opener));
            self.quiet_unknown -= 1;
            self.leave();
            body = Some(config);
        }
        let span = at.span().to(self.prev().map_or(at.span(), |t| t.span()));
        Some(Trait {
            name,
            args,
            body,
            span,
        })
    }

    fn trait_args(&mut self) -> Option<Vec<TraitArg>> {
        let open = self.bump();
        if !self.enter() {
            return None;
        }
        let result = self.with_flags(false, false, |p| {
            let mut args = Vec::new();
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
                let mut name = None;
                let token = p.tok();
                if token.kind == Tok::Ident && p.nth(1).kind == Tok::Colon {
                    name = Some(p.intern_token(token));
                    p.bump();
                    p.bump();
                }
                let value = p.expression()?;
                args.push(TraitArg { name, value });
                if p.at(Tok::Comma) {
                    p.bump();
                } else if !p.at(Tok::RParen) {
                    p.unexpected("SYN6", &["`,`", "`)`"]);
                    return None;
                }
            }
        });
        self.leave();
        result
    }

    /// `keyword ["Name" | Name] [using Template] [@trait ...] { members }` (SYN3).
    fn block(&mut self, body: &mut Body) -> Option<bool> {
        let keyword_token = self.bump();
        let kind = block_kind(self.text(keyword_token));
        let keyword = self.intern_token(keyword_token);
        let mut name = None;
        let token = self.tok();
        let using_next =
            self.is_word(token, "using") && matches!(self.nth(1).kind, Tok::Str | Tok::Ident);
        if token.kind == Tok::Str {
            name = Some(self.string_value(token));
            self.bump();
        } else if token.kind == Tok::Ident && !using_next {
            name = Some(self.intern_token(token));
            self.bump();
        }
        let mut using = None;
        if self.is_word(self.tok(), "using") {
            self.bump();
            let template = self.tok();
            using = Some(match template.kind {
                Tok::Str => self.string_value(template),
                Tok::Ident => self.intern_token(template),
                _ => {
                    self.unexpected("SYN3", &["a template name after `using`"]);
                    return None;
                }
            });
            self.bump();
        }
        let mut traits = Vec::new();
        while self.at(Tok::At) {
            traits.push(self.trait_(false)?);
        }
        if !self.at(Tok::LBrace) {
            let found = self.tok();
            if kind == NodeKind::UnknownBlock && name.is_some() && found.kind != Tok::Error {
                // `geometry "box"`: most likely a property missing its colon.
                let mut message = String::from("expected `:` after the property name `");
                message.push_str(std::str::from_utf8(self.text(keyword_token)).unwrap_or("?"));
                message.push_str("` (or `{` to open a block), found ");
                self.push_found(&mut message, found);
                let at = self.nth(0).span();
                self.diags.error("SYN3", at, message, &["`:`", "`{`"]);
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
        let mut block_body = Body {
            traits,
            ..Body::default()
        };
        let opener = Opener {
            brace,
            label: keyword_token,
            is_trait: false,
        };
        self.body_items(&mut block_body, None, Some(opener));
        if unknown {
            self.quiet_unknown -= 1;
        }
        self.leave();
        let span = keyword_token
            .span()
            .to(self.prev().map_or(brace.span(), |t| t.span()));
        body.children.push(Block {
            kind,
            keyword,
            name,
            using,
            body: block_body,
            span,
        });
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
    fn import(&mut self) -> Option<Import> {
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
        let mut message = String::from("import of ");
        message.push_str(std::str::from_utf8(self.text(source_token)).unwrap_or("?"));
        message.push_str(" is accepted but not resolved: scenes are self-contained for now");
        self.diags.warning("LANG2", span, message);
        Some(Import {
            source,
            names,
            span,
        })
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
