import { describe, expect, it } from 'vitest';
import { Awareness } from 'y-protocols/awareness';
import * as Y from 'yjs';
import { FakeSurface, recordChanges, twoPeers } from './editor-test-helpers.ts';
import { indentEdit, newlineEdit, typedCharEdit } from './indent.ts';
import { remoteCursors } from './remote-cursors.ts';
import { bindText } from './text-binding.ts';
import { diffText, mapOffset } from './text-diff.ts';

describe('diff of one input event', () => {
  it('[EDIT5] finds the smallest change, placed at the caret when the text alone is ambiguous', () => {
    expect(diffText('let a', 'let ab', 6)).toEqual({ from: 5, remove: 0, insert: 'b' });
    // In a run of equal characters the change ends at the caret (which is after the typed text):
    // "a|a" + "a" inserts at 1, "|aa" + "a" at 0, and "/|/ x" + "/" at 1, not at the end of the run.
    expect(diffText('aa', 'aaa', 2)).toEqual({ from: 1, remove: 0, insert: 'a' });
    expect(diffText('aa', 'aaa', 1)).toEqual({ from: 0, remove: 0, insert: 'a' });
    expect(diffText('// x', '/// x', 2)).toEqual({ from: 1, remove: 0, insert: '/' });
    // Backspace and a replaced selection.
    expect(diffText('aaa', 'aa', 1)).toEqual({ from: 1, remove: 1, insert: '' });
    expect(diffText('color: red', 'color: blue', 11)).toEqual({ from: 7, remove: 3, insert: 'blue' });
    // An emoji is inserted whole, never half a surrogate pair.
    expect(diffText('x😀y', 'x😁y', 3)).toEqual({ from: 1, remove: 2, insert: '😁' });
    expect(diffText('same', 'same', 4)).toBeNull();
    // Offsets move with the change; one right at an insertion stays before it unless it sticks right.
    expect(mapOffset(5, { from: 5, remove: 0, insert: 'ab' })).toBe(5);
    expect(mapOffset(5, { from: 5, remove: 0, insert: 'ab' }, true)).toBe(7);
    expect(mapOffset(9, { from: 2, remove: 3, insert: 'x' })).toBe(7);
  });
});

describe('the text box bound to the shared text', () => {
  it('[EDIT5] one input becomes one transaction with one minimal change, and the other peer sees it', () => {
    const { textA, textB } = twoPeers('object "A" {}\n');
    const surface = new FakeSurface();
    const binding = bindText({ text: textA, surface });
    expect(surface.value).toBe('object "A" {}\n');
    const changes = recordChanges(textA);
    surface.setSelectionRange(12, 12);
    surface.type('color: "red" ');
    binding.syncFromSurface();
    expect(changes).toEqual([{ delta: [{ retain: 12 }, { insert: 'color: "red" ' }] }]);
    surface.setSelectionRange(20, 23);
    surface.type('blue');
    binding.syncFromSurface();
    expect(changes[1]).toEqual({ delta: [{ retain: 20 }, { delete: 3 }, { insert: 'blue' }] });
    expect(textB.toString()).toBe('object "A" {color: "blue" }\n');
    binding.destroy();
  });

  it('[EDIT6] a remote change keeps the local caret and selection on the same text', () => {
    const { textA, textB } = twoPeers('hello world');
    const surface = new FakeSurface();
    const binding = bindText({ text: textA, surface });
    // Selected "world", backwards.
    surface.setSelectionRange(6, 11, 'backward');
    textB.insert(0, '>> ');
    expect(surface.value).toBe('>> hello world');
    expect([surface.selectionStart, surface.selectionEnd, surface.selectionDirection]).toEqual([9, 14, 'backward']);
    // A deletion before the caret pulls it back; one after leaves it.
    surface.setSelectionRange(9, 9);
    textB.delete(0, 3);
    textB.insert(textB.length, '!');
    expect(surface.value).toBe('hello world!');
    expect([surface.selectionStart, surface.selectionEnd]).toEqual([6, 6]);
    binding.destroy();
  });

  it("[EDIT7] undo and redo take back only this person's edits, never the other peer's", () => {
    const { textA, textB } = twoPeers('');
    const surface = new FakeSurface();
    const binding = bindText({ text: textA, surface });
    surface.type('mine ');
    binding.syncFromSurface();
    textB.insert(textB.length, 'theirs');
    expect(surface.value).toBe('mine theirs');
    expect(binding.undo()).toBe(true);
    expect(textB.toString()).toBe('theirs');
    expect(surface.value).toBe('theirs');
    // Nothing else of this person's to undo: their text stays.
    expect(binding.undo()).toBe(false);
    expect(textA.toString()).toBe('theirs');
    expect(binding.redo()).toBe(true);
    expect(textB.toString()).toBe('mine theirs');
    binding.destroy();
  });

  it('[EDIT7] edits in quick succession are one undo step unless the caret moved elsewhere between them', () => {
    const { textA } = twoPeers('');
    const surface = new FakeSurface();
    const binding = bindText({ text: textA, surface });
    surface.type('first ');
    binding.syncFromSurface();
    surface.type('second');
    binding.syncFromSurface();
    // Within Yjs's 500 ms the two are one step...
    expect(binding.undo()).toBe(true);
    expect(textA.toString()).toBe('');
    expect(binding.redo()).toBe(true);
    // ...but after a caret jump (a click, Home, an arrow) the next edit is a step of its own.
    surface.setSelectionRange(0, 0);
    binding.newUndoGroup();
    surface.type('// note ');
    binding.syncFromSurface();
    expect(textA.toString()).toBe('// note first second');
    expect(binding.undo()).toBe(true);
    expect(textA.toString()).toBe('first second');
    binding.destroy();
  });

  it("[EDIT5] an IME composition goes in once, after other people's changes that arrived meanwhile", () => {
    const { textA, textB } = twoPeers('ab');
    const surface = new FakeSurface();
    const binding = bindText({ text: textA, surface });
    const changes = recordChanges(textA);
    surface.setSelectionRange(2, 2);
    binding.holdRemote(true);
    surface.type('か');
    binding.syncFromSurface(); // input events during composition are ignored
    textB.insert(0, 'XY');
    expect(surface.value).toBe('abか'); // the box is left alone while composing
    surface.value = 'ab漢';
    surface.setSelectionRange(3, 3);
    binding.holdRemote(false);
    expect(textB.toString()).toBe('XYab漢');
    expect(surface.value).toBe('XYab漢');
    expect(surface.selectionEnd).toBe(5);
    // The remote insert, then the composed text in one change.
    expect(changes.filter((c) => JSON.stringify(c.delta).includes('漢'))).toHaveLength(1);
    expect(changes.some((c) => JSON.stringify(c.delta).includes('か'))).toBe(false);
    binding.destroy();
  });

  it('[EDIT9] [ROLE7] a read-only box puts local changes back and sends nothing', () => {
    const { textA, textB } = twoPeers('seeded');
    const surface = new FakeSurface();
    const binding = bindText({ text: textA, surface, readOnly: true });
    surface.setSelectionRange(6, 6);
    surface.type(' VIEWER');
    binding.syncFromSurface();
    expect(surface.value).toBe('seeded');
    expect(textB.toString()).toBe('seeded');
    // Remote text still shows.
    textB.insert(0, 'x');
    expect(surface.value).toBe('xseeded');
    binding.destroy();
  });

  it('[EDIT10] [CAP1] an edit past the size cap is put back and reported, a deletion passes', () => {
    const { textA } = twoPeers('x'.repeat(10));
    const surface = new FakeSurface();
    const refused: string[] = [];
    const binding = bindText({ text: textA, surface, maxChars: 12, onRefused: (m) => refused.push(m) });
    surface.setSelectionRange(10, 10);
    surface.type('yyy');
    binding.syncFromSurface();
    expect(textA.length).toBe(10);
    expect(surface.value).toBe('x'.repeat(10));
    expect(refused).toEqual(['The script can be at most 12 characters; this edit would make it 13.']);
    surface.backspace();
    binding.syncFromSurface();
    expect(textA.length).toBe(9);
    binding.destroy();
  });

  it('[EDIT6] publishes the caret as relative positions while focused, and clears it on blur and destroy', () => {
    const { a, b, textA, textB } = twoPeers('object "A" {}');
    const awarenessA = new Awareness(a);
    const awarenessB = new Awareness(b);
    awarenessA.setLocalStateField('user', { name: 'Alice', color: '#ef476f' });
    const surface = new FakeSurface();
    const binding = bindText({ text: textA, surface, awareness: awarenessA });
    surface.setSelectionRange(7, 10, 'forward');
    binding.publishCursor(true);
    // B receives A's awareness state (as y-webrtc would carry it) and reads the cursor against its own text.
    awarenessB.getStates().set(awarenessA.clientID, JSON.parse(JSON.stringify(awarenessA.getLocalState())));
    textB.insert(0, '// ');
    expect(remoteCursors(awarenessB, textB)).toEqual([
      { clientId: awarenessA.clientID, name: 'Alice', color: '#ef476f', anchor: 10, head: 13 },
    ]);
    binding.publishCursor(false);
    expect(awarenessA.getLocalState()?.cursor).toBeNull();
    binding.publishCursor(true);
    binding.destroy();
    expect(awarenessA.getLocalState()?.cursor).toBeNull();
    awarenessA.destroy();
    awarenessB.destroy();
  });

  it("[EDIT6] other people's awareness is checked: bad positions are skipped, bad names and colours replaced", () => {
    const { b, textB } = twoPeers('abc');
    const awareness = new Awareness(b);
    const other = new Y.Doc();
    const foreign = Y.relativePositionToJSON(Y.createRelativePositionFromTypeIndex(other.getText('x'), 0));
    const good = Y.relativePositionToJSON(Y.createRelativePositionFromTypeIndex(textB, 1));
    awareness
      .getStates()
      .set(101, { user: { name: 'Eve', color: 'red;background:url(x)' }, cursor: { anchor: good, head: good } });
    awareness.getStates().set(102, { user: { name: 42 }, cursor: { anchor: 'nope', head: good } });
    awareness.getStates().set(103, { cursor: { anchor: foreign, head: foreign } });
    awareness.getStates().set(104, { user: { name: `  ${'n'.repeat(100)}` }, cursor: { anchor: good, head: good } });
    expect(remoteCursors(awareness, textB)).toEqual([
      { clientId: 101, name: 'Eve', color: '#9aa3b5', anchor: 1, head: 1 },
      { clientId: 104, name: 'n'.repeat(40), color: '#9aa3b5', anchor: 1, head: 1 },
    ]);
    awareness.destroy();
  });
});

describe('indentation keys', () => {
  it('[EDIT8] Tab indents the caret or every selected line, Shift-Tab outdents, Enter keeps the indentation', () => {
    expect(indentEdit('ab', 1, 1, false)).toEqual({ from: 1, to: 1, insert: '  ', selectionStart: 3, selectionEnd: 3 });
    const text = 'a {\n  b\nc }';
    expect(indentEdit(text, 1, 9, false)).toEqual({
      from: 0,
      to: 11,
      insert: '  a {\n    b\n  c }',
      selectionStart: 3,
      selectionEnd: 15,
    });
    expect(indentEdit(text, 5, 6, true)).toEqual({ from: 4, to: 7, insert: 'b', selectionStart: 4, selectionEnd: 4 });
    expect(indentEdit('a\nb', 0, 3, true)).toBeNull();
    expect(newlineEdit('  x = 1', 7, 7).insert).toBe('\n  ');
    expect(newlineEdit('object "A" {', 12, 12)).toEqual({
      from: 12,
      to: 12,
      insert: '\n  ',
      selectionStart: 15,
      selectionEnd: 15,
    });
  });
});

describe('brackets and quotes', () => {
  it('[EDIT8] an opening bracket or quote gets its closer, and typing a closer the editor put there steps over it', () => {
    const none = new Set<number>();
    expect(typedCharEdit('a ', 2, 2, '{', none)).toEqual({
      from: 2,
      to: 2,
      insert: '{}',
      selectionStart: 3,
      selectionEnd: 3,
    });
    expect(typedCharEdit('x: }', 3, 3, '"', none)?.insert).toBe('""');
    // Not before a word, not as an apostrophe, not over a selection, not a closer nobody auto-typed.
    expect(typedCharEdit('ab', 0, 0, '(', none)).toBeNull();
    expect(typedCharEdit('don', 3, 3, "'", none)).toBeNull();
    expect(typedCharEdit('ab', 0, 1, '[', none)).toBeNull();
    expect(typedCharEdit('{}', 1, 1, '}', none)).toBeNull();
    expect(typedCharEdit('{}', 1, 1, '}', new Set([1]))).toEqual({
      from: 1,
      to: 1,
      insert: '',
      selectionStart: 2,
      selectionEnd: 2,
    });
  });
});
