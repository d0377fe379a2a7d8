/**
 * What the editor draws under its textarea (EDIT2-EDIT4, EDIT6): one block per
 * line of the script, each with its line number (a sticky gutter cell) and its
 * text, coloured by the scene language's tokenizer only on the lines in view
 * (the rest is plain text, laid out the same), diagnostics underlined and
 * marked in the gutter, and other people's cursors and selections on top.
 *
 * The textarea above it holds the same text in the same font, padding and
 * wrapping, with transparent glyphs, so the browser's own caret, selection
 * and input sit exactly over these lines.
 */

import type { ScriptDiagnostic } from './diagnostics.ts';
import { element } from './dom.ts';
import { type HoloState, highlightLine, sameState, startState } from './holo-language.ts';
import type { RemoteCursor } from './remote-cursors.ts';

/** Lines coloured beyond the visible ones, so a short scroll shows colour at once. */
const OVERSCAN_LINES = 20;

interface LineDiagnostic {
  from: number;
  to: number;
  severity: ScriptDiagnostic['severity'];
  message: string;
}

const SEVERITY_RANK = { info: 0, warning: 1, error: 2 } as const;

export class LineView {
  /** The lines container (aria-hidden: the textarea is what assistive technology reads). */
  readonly element: HTMLDivElement;
  private readonly cursorLayer: HTMLDivElement;
  private lines: string[] = [''];
  private rows: HTMLDivElement[] = [];
  /** The tokenizer's state at the start of each line, valid for indexes below `validStates`. */
  private states: HoloState[] = [startState()];
  private validStates = 1;
  /** What each row was last coloured with: a key of its start state and diagnostics, or undefined when plain. */
  private painted: (string | undefined)[] = [];
  private diagnosticsByLine = new Map<number, LineDiagnostic[]>();
  private diagnosticsVersion = 0;
  private lineStarts: number[] = [0];
  private paintFrame = 0;

  constructor(
    private readonly scroller: HTMLElement,
    sizer: HTMLElement,
  ) {
    this.element = element('div', 'holo-lines');
    this.element.setAttribute('aria-hidden', 'true');
    this.cursorLayer = element('div', 'holo-remote');
    this.cursorLayer.setAttribute('aria-hidden', 'true');
    sizer.append(this.element, this.cursorLayer);
    this.setText('');
  }

  get lineCount(): number {
    return this.lines.length;
  }

  /** Shows `text`, rebuilding only the lines that changed. */
  setText(text: string): void {
    const next = text.split('\n');
    const old = this.lines;
    let prefix = 0;
    const shorter = Math.min(old.length, next.length);
    while (prefix < shorter && old[prefix] === next[prefix]) prefix++;
    let suffix = 0;
    while (suffix < shorter - prefix && old[old.length - 1 - suffix] === next[next.length - 1 - suffix]) suffix++;
    // On first use the whole text is new: rows are made as plain text in one fragment.
    const fresh = next.slice(prefix, next.length - suffix).map((line) => this.plainRow(line));
    const removed = this.rows.splice(prefix, old.length - suffix - prefix, ...fresh);
    this.painted.splice(prefix, removed.length, ...fresh.map(() => undefined));
    const fragment = document.createDocumentFragment();
    fragment.append(...fresh);
    const after = this.rows[prefix + fresh.length];
    for (const row of removed) row.remove();
    this.element.insertBefore(fragment, after ?? null);
    this.lines = next;
    this.validStates = Math.min(this.validStates, prefix + 1);
    this.states.length = this.validStates;
    let start = 0;
    this.lineStarts = next.map((line) => {
      const at = start;
      start += line.length + 1;
      return at;
    });
    // EDIT15: on the scroller, which declares the gutter's width from it (script-editor.css): the drawn
    // lines' gutter, the textarea's padding and the scroll padding all follow.
    const digits = String(String(next.length).length);
    // Only when it changes: a style change would lay out every line again.
    if (this.scroller.style.getPropertyValue('--holo-digits') !== digits) {
      this.scroller.style.setProperty('--holo-digits', digits);
    }
    this.schedulePaint();
  }

  /** The tokenizer state `line` starts in (completion offers nothing in a comment or a string, EDIT12). */
  stateAt(line: number): HoloState {
    this.ensureStates(line);
    return this.states[Math.min(line, this.states.length - 1)] as HoloState;
  }

  /** Colours the lines in view at the next frame (reading where lines are waits for layout; one read per frame). */
  schedulePaint(): void {
    if (this.paintFrame) return;
    this.paintFrame = requestAnimationFrame(() => {
      this.paintFrame = 0;
      this.paintVisible();
    });
  }

  destroy(): void {
    cancelAnimationFrame(this.paintFrame);
  }

  /** Replaces the diagnostics shown (offsets into the current text). */
  setDiagnostics(list: readonly ScriptDiagnostic[]): void {
    const before = new Set(this.diagnosticsByLine.keys());
    this.diagnosticsByLine.clear();
    for (const diagnostic of list) {
      const line = this.lineOf(diagnostic.from);
      const start = this.lineStarts[line] ?? 0;
      const length = this.lines[line]?.length ?? 0;
      let from = Math.min(diagnostic.from - start, length);
      let to = Math.min(Math.max(diagnostic.to - start, from), length);
      // A mark of no width still needs a character to underline.
      if (from === to) {
        if (to < length) to++;
        else if (from > 0) from--;
      }
      const entry = { from, to, severity: diagnostic.severity, message: diagnostic.message };
      const onLine = this.diagnosticsByLine.get(line);
      if (onLine) onLine.push(entry);
      else this.diagnosticsByLine.set(line, [entry]);
    }
    this.diagnosticsVersion++;
    for (const line of new Set([...before, ...this.diagnosticsByLine.keys()])) {
      const row = this.rows[line];
      if (!row) continue;
      const worst = this.worstSeverity(line);
      row.classList.toggle('holo-line-error', worst === 'error');
      row.classList.toggle('holo-line-warning', worst === 'warning');
      row.classList.toggle('holo-line-info', worst === 'info');
      this.painted[line] = undefined;
    }
    this.schedulePaint();
  }

  /** The messages of the diagnostics on the line holding `offset`. */
  messagesAt(offset: number): string[] {
    return (this.diagnosticsByLine.get(this.lineOf(offset)) ?? []).map((d) => `${d.severity}: ${d.message}`);
  }

  /** The line (0-based) holding a text offset. */
  lineOf(offset: number): number {
    let low = 0;
    let high = this.lineStarts.length - 1;
    while (low < high) {
      const middle = (low + high + 1) >> 1;
      if ((this.lineStarts[middle] ?? 0) <= offset) low = middle;
      else high = middle - 1;
    }
    return low;
  }

  /** Colours the lines in view (and a few around them) that are not coloured for their current state. */
  paintVisible(): void {
    const [first, last] = this.visibleLines();
    const from = Math.max(0, first - OVERSCAN_LINES);
    const to = Math.min(this.lines.length - 1, last + OVERSCAN_LINES);
    this.ensureStates(to);
    for (let line = from; line <= to; line++) {
      const state = this.states[line] as HoloState;
      const key = `${state.inBlockComment ? 1 : 0}${state.inString ?? ''}|${this.diagnosticsByLine.has(line) ? this.diagnosticsVersion : 0}`;
      if (this.painted[line] === key) continue;
      this.paintRow(line, state);
      this.painted[line] = key;
    }
  }

  /**
   * Draws other people's cursors (a caret with their name) and selections in their colours, as tall as
   * their line (EDIT13), like this page's own caret and selection.
   */
  drawCursors(cursors: readonly RemoteCursor[]): void {
    const origin = this.cursorLayer.getBoundingClientRect();
    const lineHeight = this.lineHeight();
    const parts: HTMLElement[] = [];
    for (const cursor of cursors) {
      const from = Math.min(cursor.anchor, cursor.head);
      const to = Math.max(cursor.anchor, cursor.head);
      if (from !== to) {
        for (const rect of this.rangeRects(from, to)) {
          const mark = element('div', 'holo-remote-selection');
          place(mark, toLineBox(rect, lineHeight), origin);
          mark.style.backgroundColor = `${cursor.color}44`;
          parts.push(mark);
        }
      }
      const caretRect = this.rangeRects(cursor.head, cursor.head)[0];
      if (!caretRect) continue;
      const caret = element('div', 'holo-remote-caret');
      place(caret, toLineBox(caretRect, lineHeight), origin);
      caret.style.borderColor = cursor.color;
      const label = element('span', 'holo-remote-name');
      label.textContent = cursor.name;
      label.style.backgroundColor = cursor.color;
      caret.append(label);
      parts.push(caret);
    }
    this.cursorLayer.replaceChildren(...parts);
  }

  /** The on-screen boxes of the text from `from` to `to` (one box of no width for a caret). */
  rangeRects(from: number, to: number): DOMRect[] {
    const startLine = this.lineOf(from);
    const endLine = this.lineOf(to);
    const rects: DOMRect[] = [];
    for (let line = startLine; line <= endLine; line++) {
      const row = this.rows[line];
      const text = row?.lastElementChild;
      if (!row || !text) continue;
      const start = this.lineStarts[line] ?? 0;
      const fromColumn = line === startLine ? from - start : 0;
      const toColumn = line === endLine ? to - start : (this.lines[line]?.length ?? 0);
      const range = document.createRange();
      const a = locate(text, fromColumn);
      const b = locate(text, toColumn);
      range.setStart(a.node, a.offset);
      range.setEnd(b.node, b.offset);
      const lineRects = [...range.getClientRects()].filter((rect) => rect.height > 0);
      if (lineRects.length > 0) rects.push(...lineRects);
      else {
        // An empty line, or a caret at a line's start: the text cell's left edge.
        const box = text.getBoundingClientRect();
        rects.push(new DOMRect(box.left, box.top, 0, row.getBoundingClientRect().height));
      }
    }
    return rects;
  }

  /** The height of one line of text, px (`line-height`, whatever the font size). */
  private lineHeight(): number {
    const height = Number.parseFloat(getComputedStyle(this.element).lineHeight);
    return Number.isFinite(height) ? height : (this.rows[0]?.getBoundingClientRect().height ?? 0);
  }

  private worstSeverity(line: number): ScriptDiagnostic['severity'] | undefined {
    let worst: ScriptDiagnostic['severity'] | undefined;
    for (const d of this.diagnosticsByLine.get(line) ?? []) {
      if (!worst || SEVERITY_RANK[d.severity] > SEVERITY_RANK[worst]) worst = d.severity;
    }
    return worst;
  }

  private visibleLines(): [number, number] {
    const top = this.scroller.scrollTop;
    const bottom = top + this.scroller.clientHeight;
    const firstAt = (y: number) => {
      let low = 0;
      let high = this.rows.length - 1;
      while (low < high) {
        const middle = (low + high + 1) >> 1;
        if ((this.rows[middle] as HTMLDivElement).offsetTop <= y) low = middle;
        else high = middle - 1;
      }
      return low;
    };
    return [firstAt(top), firstAt(bottom)];
  }

  private ensureStates(line: number): void {
    for (let at = this.validStates; at <= line && at < this.lines.length; at++) {
      const next = highlightLine(this.lines[at - 1] ?? '', this.states[at - 1] as HoloState).state;
      const old = this.states[at];
      this.states[at] = next;
      // A line whose start state changed must be coloured again.
      if (old && !sameState(old, next)) this.painted[at] = undefined;
    }
    this.validStates = Math.max(this.validStates, Math.min(line + 1, this.lines.length));
  }

  private plainRow(line: string): HTMLDivElement {
    const row = element('div', 'holo-line');
    const number = element('span', 'holo-ln');
    const text = element('span', 'holo-text');
    text.textContent = line;
    row.append(number, text);
    return row;
  }

  private paintRow(line: number, state: HoloState): void {
    const row = this.rows[line];
    const textCell = row?.lastElementChild;
    if (!row || !textCell) return;
    const text = this.lines[line] ?? '';
    const { tokens } = highlightLine(text, state);
    const diagnostics = this.diagnosticsByLine.get(line) ?? [];
    const cuts = new Set([0, text.length]);
    for (const t of tokens) cuts.add(t.from).add(t.to);
    for (const d of diagnostics) cuts.add(d.from).add(d.to);
    const points = [...cuts].sort((a, b) => a - b);
    const fragment = document.createDocumentFragment();
    let tokenIndex = 0;
    for (let i = 0; i + 1 < points.length; i++) {
      const from = points[i] as number;
      const to = points[i + 1] as number;
      while (tokenIndex < tokens.length && (tokens[tokenIndex]?.to ?? 0) <= from) tokenIndex++;
      const tokenHere = tokens[tokenIndex];
      const kind = tokenHere && tokenHere.from <= from ? tokenHere.kind : undefined;
      const covering = diagnostics.filter((d) => d.from <= from && d.to >= to);
      const piece = text.slice(from, to);
      if (!kind && covering.length === 0) {
        fragment.append(piece);
        continue;
      }
      const span = document.createElement('span');
      if (kind) span.className = `holo-t-${kind}`;
      if (covering.length > 0) {
        const worst = covering.reduce((a, b) => (SEVERITY_RANK[b.severity] > SEVERITY_RANK[a.severity] ? b : a));
        span.classList.add('holo-diagnostic', `holo-diagnostic-${worst.severity}`);
        span.dataset.message = covering.map((d) => d.message).join('\n');
      }
      span.textContent = piece;
      fragment.append(span);
    }
    textCell.replaceChildren(fragment);
  }
}

/** The text node and offset at a column of a line's text cell. */
function locate(cell: Element, column: number): { node: Node; offset: number } {
  const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
  let left = column;
  let last: Text | undefined;
  for (let node = walker.nextNode() as Text | null; node; node = walker.nextNode() as Text | null) {
    if (left <= node.length) return { node, offset: left };
    left -= node.length;
    last = node;
  }
  return last ? { node: last, offset: last.length } : { node: cell, offset: 0 };
}

/**
 * A range's box covers its glyphs only (the font's ascent and descent), shorter than the line box; the
 * line box is `lineHeight` tall around the same middle (the leading is split evenly above and below).
 */
function toLineBox(rect: DOMRect, lineHeight: number): DOMRect {
  if (rect.height >= lineHeight) return rect;
  return new DOMRect(rect.left, rect.top + rect.height / 2 - lineHeight / 2, rect.width, lineHeight);
}

function place(element: HTMLElement, rect: DOMRect, origin: DOMRect): void {
  element.style.left = `${rect.left - origin.left}px`;
  element.style.top = `${rect.top - origin.top}px`;
  element.style.width = `${rect.width}px`;
  element.style.height = `${rect.height}px`;
}
