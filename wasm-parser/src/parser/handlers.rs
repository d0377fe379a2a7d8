//! Handlers (rule SYN7): the statements the runtime runs for an event or
//! calls by name, in every form scripts use.
//!
//! `Handler, from, to, name, form, has source, [source], param count,
//! params…, statement count, statements…`; `name` is the event for the `on`
//! forms, and the source (the object or part an event comes from) is only
//! there in `on(Source, "event")` and `on Source.part.event -> (e)`.

use super::Parser;
use crate::lexer::{Tok, Token};
use crate::schema::{HandlerForm, NodeKind};

impl<'a> Parser<'a> {
    /// `onGrab: { }`, `on_click { }`, `on_click(event) { }`,
    /// `action name(params) { }` / `function name(params) { }`.
    pub(super) fn handler(&mut self, form: HandlerForm) -> Option<()> {
        let first = self.bump();
        let name_token = if form == HandlerForm::Action {
            self.bump()
        } else {
            first
        };
        let at = self.open(NodeKind::Handler, first.start);
        let name = self.intern_token(name_token);
        self.word(name);
        self.word(form.code());
        self.word(0);
        match form {
            HandlerForm::Colon => {
                self.advance();
                self.word(0);
            }
            HandlerForm::Params | HandlerForm::Action | HandlerForm::On | HandlerForm::Callback => {
                self.params()?
            }
            HandlerForm::Block => self.word(0),
        }
        let open = self.expect(Tok::LBrace, "SYN7", "`{` to start the handler body")?;
        self.statement_block(open)?;
        let end = self.prev().map_or(open.end, |t| t.end);
        self.close(at, end);
        Some(())
    }

    /// The callback of a block, `-> (params) { statements }` after its
    /// header: a handler named after the block's keyword.
    pub(super) fn callback(&mut self, keyword_token: Token, keyword: u32) -> Option<()> {
        let arrow = self.bump();
        let at = self.open(NodeKind::Handler, arrow.start);
        self.word(keyword);
        self.word(HandlerForm::Callback.code());
        self.word(0);
        if !self.at(Tok::LParen) {
            self.unexpected("SYN7", &["`(` and the parameters after `->`"]);
            return None;
        }
        self.params()?;
        let open = self.expect(Tok::LBrace, "SYN7", "`{` to start the handler body")?;
        self.statement_block(open)?;
        let end = self.prev().map_or(keyword_token.end, |t| t.end);
        self.close(at, end);
        Some(())
    }

    /// Whether `(` starts a list of parameter names followed by `{`:
    /// `on_click(event) {` (a handler with parameters), as opposed to
    /// `on_event("tap") {` (the event form).
    pub(super) fn plain_params_ahead(&self) -> bool {
        let mut n = 2;
        loop {
            match self.nth(n).kind {
                Tok::RParen => return self.nth(n + 1).kind == Tok::LBrace,
                Tok::Ident => {
                    n += 1;
                    match self.nth(n).kind {
                        Tok::Comma => n += 1,
                        Tok::RParen => return self.nth(n + 1).kind == Tok::LBrace,
                        _ => return false,
                    }
                }
                _ => return false,
            }
        }
    }

    /// The `on` forms: `on "tap" { }`, `on("event") { }`,
    /// `on(Source, "event") { }`, `on_event("event") { }`, `on mount() { }`,
    /// `on Source.part.event -> (event) { }`.
    pub(super) fn on_handler(&mut self) -> Option<()> {
        let first = self.bump();
        let on = self.text(first) == b"on";
        let at = self.open(NodeKind::Handler, first.start);
        let name = self.placeholder();
        self.word(HandlerForm::On.code());
        let has_source = self.placeholder();
        let token = self.tok();
        let (event, source) = match token.kind {
            Tok::Str if on => {
                self.advance();
                (self.string_value(token), false)
            }
            Tok::LParen => self.event_arguments()?,
            Tok::Ident if on => self.event_path()?,
            _ => {
                self.unexpected("SYN7", &["the event as a string or a name", "`(`"]);
                return None;
            }
        };
        self.set(name, event);
        self.set(has_source, u32::from(source));
        if self.at(Tok::ThinArrow) {
            self.advance();
            if !self.at(Tok::LParen) {
                self.unexpected("SYN7", &["`(` and the parameters after `->`"]);
                return None;
            }
            self.params()?;
        } else if self.at(Tok::LParen) {
            self.params()?;
        } else {
            self.word(0);
        }
        let open = self.expect(Tok::LBrace, "SYN7", "`{` to start the handler body")?;
        self.statement_block(open)?;
        let end = self.prev().map_or(open.end, |t| t.end);
        self.close(at, end);
        Some(())
    }

    /// `("event")` or `(Source, "event")`: writes the source if there is one;
    /// returns the event and whether a source was written.
    fn event_arguments(&mut self) -> Option<(u32, bool)> {
        let open = self.bump();
        if !self.enter() {
            return None;
        }
        let result = self.with_flags(false, false, |p| {
            let first = p.expression()?;
            let (event, source) = if p.at(Tok::Comma) && p.nth(1).kind != Tok::RParen {
                p.advance();
                (p.expression()?, true)
            } else {
                (first, false)
            };
            if p.at(Tok::Comma) {
                p.advance();
            }
            if !p.at(Tok::RParen) {
                if p.at(Tok::Eof) {
                    p.unclosed("the event", open, "`)`");
                } else {
                    p.unexpected("SYN7", &["`)`"]);
                }
                return None;
            }
            p.advance();
            let kind = p.kind_at(event.at);
            if kind != NodeKind::String.code() && kind != NodeKind::Identifier.code() {
                p.diags.error(
                    "SYN7",
                    event.span,
                    String::from("the event of an `on` handler is a string or a name"),
                    &["a string", "a name"],
                );
                return None;
            }
            let sym = p.word_at(event.at + 3);
            p.rollback(event.at);
            Some((sym, source))
        });
        self.leave();
        result
    }

    /// `name` or `Source.part.event`: the last name is the event, the names
    /// before it (written as an expression) its source.
    fn event_path(&mut self) -> Option<(u32, bool)> {
        let first = self.bump();
        if !(self.at(Tok::Dot) && self.nth(1).kind == Tok::Ident) {
            return Some((self.intern_token(first), false));
        }
        let at = self.mark();
        let sym = self.intern_token(first);
        self.header(NodeKind::Identifier, first.span());
        self.word(sym);
        loop {
            self.tick();
            self.advance();
            let part = self.bump();
            let sym = self.intern_token(part);
            if !(self.at(Tok::Dot) && self.nth(1).kind == Tok::Ident) {
                return Some((sym, true));
            }
            self.wrap(at, NodeKind::Member, first.start, None);
            self.word(sym);
            self.word(0);
            self.close(at, part.end);
        }
    }
}
