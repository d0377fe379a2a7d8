/**
 * What the editor's Node tests share: a textarea without a DOM, two peers'
 * documents kept in sync, and a record of the changes a Y.Text sees.
 */
import * as Y from 'yjs';
import type { TextSurface } from './text-binding.ts';

/** A textarea's value and selection, without a DOM. */
export class FakeSurface implements TextSurface {
  value = '';
  selectionStart = 0;
  selectionEnd = 0;
  selectionDirection: 'forward' | 'backward' | 'none' = 'none';
  setSelectionRange(start: number, end: number, direction: 'forward' | 'backward' | 'none' = 'none') {
    this.selectionStart = Math.min(start, this.value.length);
    this.selectionEnd = Math.min(end, this.value.length);
    this.selectionDirection = direction;
  }
  /** What typing or pasting `text` over the selection does to a textarea. */
  type(text: string) {
    this.value = this.value.slice(0, this.selectionStart) + text + this.value.slice(this.selectionEnd);
    const caret = this.selectionStart + text.length;
    this.setSelectionRange(caret, caret);
  }
  backspace() {
    const from = this.selectionStart === this.selectionEnd ? this.selectionStart - 1 : this.selectionStart;
    this.value = this.value.slice(0, from) + this.value.slice(this.selectionEnd);
    this.setSelectionRange(from, from);
  }
}

/** Two documents kept in sync both ways, like two peers in a room. */
export function twoPeers(initial = '') {
  const a = new Y.Doc();
  const b = new Y.Doc();
  a.on('update', (update: Uint8Array, origin: unknown) => {
    if (origin !== 'remote') Y.applyUpdate(b, update, 'remote');
  });
  b.on('update', (update: Uint8Array, origin: unknown) => {
    if (origin !== 'remote') Y.applyUpdate(a, update, 'remote');
  });
  if (initial) a.getText('script').insert(0, initial);
  return { a, b, textA: a.getText('script'), textB: b.getText('script') };
}

/** Every Y.Text change a document's updates carry, as [index, deleted, inserted] per transaction. */
export function recordChanges(text: Y.Text): { delta: unknown[] }[] {
  const seen: { delta: unknown[] }[] = [];
  text.observe((event) => {
    seen.push({ delta: event.delta });
  });
  return seen;
}
