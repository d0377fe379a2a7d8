//! Document level and bodies: which member starts where, properties and
//! blocks (rules SYN1-SYN5, LANG1). Handlers are in `handlers`, traits in
//! `traits`, imports in `imports`.

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
    /// document), separated by spaces, line breaks, `,` or `;` (SYN2),
    /// written in source order; returns how many were written.
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
                    self.advance();
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
                    self.advance();
                    need_separator = false;
                    continue;
                }
                _ => {}
            }
            if need_separator && !token.space_before() {
                self.unexpected("SYN2", &["a space", "a line break", "`,`", "`;`"]);
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
                self.member(imports)
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

    /// One member; `Some(true)` when it ends itself (with `}` or as a trait).
    /// `top` is the document level, where a `{ ... }` without a keyword is a block.
    fn member(&mut self, top: bool) -> Option<bool> {
        let token = self.tok();
        let next = self.nth(1);
        match token.kind {
            Tok::At => {
                self.trait_(true)?;
                Some(true)
            }
            Tok::Ident => self.named_member(next),
            // `"metadata": { }`, `0%: { }`: quoted and number keys (SYN5).
            Tok::Str | Tok::Number | Tok::Quantity
                if next.kind == Tok::Colon
                    || (next.kind == Tok::Question && self.nth(2).kind == Tok::Colon) =>
            {
                self.property()
            }
            Tok::LBrace if top => self.block(),
            _ => {
                self.unexpected("SYN1", &["a property", "a trait", "a block", "a handler"]);
                None
            }
        }
    }

    /// A member that starts with a name: what follows the name decides.
    fn named_member(&mut self, next: Token) -> Option<bool> {
        let text = self.text(self.tok());
        let on = text == b"on";
        let handler_name = is_handler_name(text);
        let action = (text == b"action" || text == b"function")
            && next.kind == Tok::Ident
            && self.nth(2).kind == Tok::LParen;
        match next.kind {
            Tok::Colon => self.property_or_handler(handler_name),
            Tok::Question if self.nth(2).kind == Tok::Colon => self.property(),
            Tok::Eq | Tok::Arrow => self.property(),
            Tok::Dot if self.dotted_key_ahead() => self.property(),
            Tok::LParen if on || (handler_name && !self.plain_params_ahead()) => {
                self.on_handler()?;
                Some(true)
            }
            Tok::LParen if self.plain_params_ahead() => {
                self.handler(HandlerForm::Params)?;
                Some(true)
            }
            // `track_event("hit", { ... })`: a call as a member (SYN1).
            Tok::LParen => {
                let call = self.with_flags(true, false, |p| p.expression())?;
                if self.kind_at(call.at) != NodeKind::Call.code() {
                    self.diags.error(
                        "SYN1",
                        call.span,
                        String::from("expected a member; only a call can stand alone in a block"),
                        &["a call"],
                    );
                    return None;
                }
                Some(self.prev().map_or(false, |t| t.kind == Tok::RParen))
            }
            Tok::LBrace if handler_name => {
                self.handler(HandlerForm::Block)?;
                Some(true)
            }
            // `on` always starts a handler; anything else after it is an error there.
            _ if on => {
                self.on_handler()?;
                Some(true)
            }
            Tok::Ident if action => {
                self.handler(HandlerForm::Action)?;
                Some(true)
            }
            Tok::LBrace
            | Tok::Str
            | Tok::Ident
            | Tok::At
            | Tok::Number
            | Tok::Quantity
            | Tok::ThinArrow => self.block(),
            _ => {
                self.advance();
                self.unexpected(
                    "SYN1",
                    &["`:` after a property name", "`{` to open a block"],
                );
                None
            }
        }
    }

    /// `a.b.c:` ahead (a dotted key, SYN5).
    fn dotted_key_ahead(&self) -> bool {
        let mut n = 1;
        while self.nth(n).kind == Tok::Dot && self.nth(n + 1).kind == Tok::Ident {
            n += 2;
        }
        n > 1 && self.nth(n).kind == Tok::Colon
    }

    /// `key: value`, or `onName: { statements }` (a handler in colon form).
    /// `onName: { key: value }` is a property whose value is an object.
    fn property_or_handler(&mut self, handler_name: bool) -> Option<bool> {
        let object_value = matches!(self.nth(3).kind, Tok::Ident | Tok::Str | Tok::Number)
            && self.nth(4).kind == Tok::Colon;
        if handler_name && self.nth(2).kind == Tok::LBrace && !object_value {
            self.handler(HandlerForm::Colon)?;
            return Some(true);
        }
        self.property()
    }

    /// A property (SYN5): `key: value`, also `key = value` and `key => value`;
    /// the key may be a name, a dotted name, a string or a number; `key?:`
    /// and `= default` after the value make the value a `Field` (SYN14).
    /// `Property, from, to, key, value`
    fn property(&mut self) -> Option<bool> {
        let key_token = self.tok();
        let at = self.open(NodeKind::Property, key_token.start);
        let key = match key_token.kind {
            Tok::Ident => self.dotted_key(),
            Tok::Str => {
                self.advance();
                self.string_value(key_token)
            }
            _ => {
                self.advance();
                self.intern_token(key_token)
            }
        };
        let optional = self.at(Tok::Question);
        if optional {
            self.advance();
        }
        let separator = self.bump();
        self.value_on_same_line("SYN5", separator)?;
        self.word(key);
        let value = self.with_flags(true, false, |p| p.field_value(optional))?;
        self.close(at, value.span.end);
        Some(self.prev().map_or(false, |t| t.kind == Tok::RBrace))
    }

    /// `keyword ["Name" | Name | 0] [using Template] [@trait ...] { members }` (SYN3).
    /// The keyword may be two words before a quoted name (`nft marketplace "Art"`).
    /// A block of a known kind may have no body (`object "Logo" @image(src: "x")`).
    /// A `{ ... }` alone at the top level is a block without a keyword.
    /// `kind, from, to, keyword, name or NONE, using or NONE, member count, members…`
    /// (header traits are the first members).
    fn block(&mut self) -> Option<bool> {
        let keyword_token = self.tok();
        let anonymous = keyword_token.kind == Tok::LBrace;
        let two_words = !anonymous
            && self.nth(1).kind == Tok::Ident
            && self.nth(2).kind == Tok::Str
            && !self.nth(1).nl_before()
            && !self.nth(2).nl_before()
            && !self.is_word(self.nth(1), "using");
        let kind = if anonymous {
            NodeKind::UnknownBlock
        } else {
            block_kind(self.text(keyword_token))
        };
        let at = self.open(kind, keyword_token.start);
        let keyword = if anonymous {
            self.strings.intern("")
        } else if two_words {
            self.advance();
            let second = self.bump();
            let mut words = crate::intern::lossy(self.text(keyword_token));
            words.push(' ');
            words.push_str(&crate::intern::lossy(self.text(second)));
            self.strings.intern(&words)
        } else {
            self.advance();
            self.intern_token(keyword_token)
        };
        self.word(keyword);
        let mut named = false;
        let token = self.tok();
        let using_next =
            self.is_word(token, "using") && matches!(self.nth(1).kind, Tok::Str | Tok::Ident);
        match token.kind {
            _ if anonymous => self.word(NO_SYM),
            Tok::Str => {
                let name = self.string_value(token);
                self.word(name);
                named = true;
                self.advance();
            }
            Tok::Ident | Tok::Number | Tok::Quantity if !using_next => {
                let name = self.intern_token(token);
                self.word(name);
                named = true;
                self.advance();
            }
            _ => self.word(NO_SYM),
        }
        if self.is_word(self.tok(), "using") {
            self.advance();
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
            self.advance();
        } else {
            self.word(NO_SYM);
        }
        let count = self.placeholder();
        let mut members = 0u32;
        while self.at(Tok::At) {
            self.trait_(false)?;
            members += 1;
        }
        if self.at(Tok::ThinArrow) {
            // `button "Reset" -> () { ... }`: a block whose body is its callback.
            self.callback(keyword_token, keyword)?;
            self.set(count, members + 1);
            let end = self.prev().map_or(keyword_token.end, |t| t.end);
            self.close(at, end);
            return Some(true);
        }
        if !self.at(Tok::LBrace) {
            let found = self.tok();
            let ends_line = found.nl_before()
                || matches!(found.kind, Tok::RBrace | Tok::Comma | Tok::Semi | Tok::Eof);
            if kind != NodeKind::UnknownBlock && ends_line {
                // A block with no body: its header is all there is.
                self.set(count, members);
                let end = self.prev().map_or(keyword_token.end, |t| t.end);
                self.close(at, end);
                return Some(false);
            }
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
                let message = if anonymous {
                    String::from("a block without a keyword is kept as an UnknownBlock; the scene does not use it")
                } else {
                    let mut message = String::from("unknown block `");
                    message.push_str(self.strings.get(keyword));
                    message.push_str("` is kept as an UnknownBlock; the scene does not use it");
                    message
                };
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
}
