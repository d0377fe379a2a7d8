import { describe, expect, it } from 'vitest';
import { acceptEdit, type CompletionSite, completionAt, MAX_OPTIONS } from './completion.ts';
import { FakeSurface, recordChanges, twoPeers } from './editor-test-helpers.ts';
import { type HoloState, highlightLine, startState } from './holo-language.ts';
import type { Edit } from './indent.ts';
import { bindText } from './text-binding.ts';

/** The tokenizer state the line holding `caret` starts in, as the editor's line view keeps it. */
function lineStateAt(text: string, caret: number): HoloState {
  let state = startState();
  const lines = text.slice(0, caret).split('\n');
  for (const line of lines.slice(0, -1)) state = highlightLine(line, state).state;
  return state;
}

/** Completion with the caret at the end of `text` (or at `caret`). */
function complete(text: string, explicit = false, caret = text.length): CompletionSite | null {
  return completionAt(text, caret, lineStateAt(text, caret), explicit);
}

const labels = (site: CompletionSite | null) => site?.options.map((option) => option.label) ?? [];

/** `text` with `edit` applied, and the selection it leaves. */
function applied(text: string, edit: Edit): { text: string; selected: string; caret: number } {
  const result = text.slice(0, edit.from) + edit.insert + text.slice(edit.to);
  return { text: result, selected: result.slice(edit.selectionStart, edit.selectionEnd), caret: edit.selectionStart };
}

describe('[EDIT11] what completion offers', () => {
  it('offers the properties that start with the typed word, with their type, range and meaning', () => {
    const site = complete('object "A" {\n  colo');
    expect(site?.from).toBe('object "A" {\n  '.length);
    const color = site?.options.find((option) => option.label === 'color');
    expect(color?.kind).toBe('property');
    // One option for the name, its scopes joined; the meaning comes from vocabulary-meanings.ts.
    expect(labels(site).filter((label) => label === 'color')).toHaveLength(1);
    expect(color?.detail).toContain('material');
    expect(color?.info).toMatch(/^colour.*: /);
    const opacity = complete('object "A" { opac')?.options.find((option) => option.label === 'opacity');
    expect(opacity?.info).toContain('0…1');
    expect(opacity?.info).toContain('below 1 is transparent');
  });

  it('offers block keywords with their meaning, commands with their usage, event handlers and the longer forms', () => {
    expect(complete('obj')?.options[0]).toMatchObject({ label: 'object', kind: 'keyword', detail: 'block' });
    expect(complete('obj')?.options[0]?.info).toContain('A thing in the scene');
    expect(complete('object "A" { on_click { toggle_t')?.options[0]).toMatchObject({
      label: 'toggle_trait',
      kind: 'command',
      info: 'toggle_trait "glowing" [name]',
    });
    expect(labels(complete('on'))).toEqual(expect.arrayContaining(['on', 'on "tap"', 'on_click', 'on_hover_enter']));
    expect(labels(complete('for')).slice(0, 2)).toEqual(['for', 'for of']);
    expect(labels(complete('if'))).toEqual(['if', 'if else']);
    expect(labels(complete('acti'))).toEqual(['action', 'action']);
  });

  it("offers a trait's names after @, every trait for @ alone", () => {
    expect(labels(complete('object "A" @gr'))).toEqual(['grabbable']);
    expect(complete('object "A" @')?.options).toHaveLength(9);
    expect(complete('object "A" @')?.from).toBe('object "A" @'.length);
  });

  it('offers nothing in a comment or a string, in a number with a unit, or before a word unless asked', () => {
    expect(complete('// colo')).toBeNull();
    expect(complete('object "A" { text: "colo')).toBeNull();
    expect(complete('/* a comment\n  colo')).toBeNull();
    expect(complete('object "A" { text: `two\nlines colo')).toBeNull();
    expect(complete('object "A" { size: 20m')).toBeNull();
    expect(complete('object "A" { ')).toBeNull();
    expect(complete('xyzzy')).toBeNull();
    // After the comment closes, words are offered again.
    expect(labels(complete('/* a */ colo'))).toContain('color');
    // Ctrl-Space: every word, the list bounded.
    expect(complete('object "A" { ', true)?.options).toHaveLength(MAX_OPTIONS);
  });
});

describe('[EDIT12] what accepting does', () => {
  it('replaces the typed word; a property takes its colon, a member access only its name', () => {
    const text = 'object "A" {\n  colo\n}';
    const caret = text.indexOf('colo') + 4;
    const site = complete(text, false, caret) as CompletionSite;
    const color = site.options.find((option) => option.label === 'color');
    if (!color) throw new Error('no color option');
    expect(applied(text, acceptEdit(text, site, color))).toEqual({
      text: 'object "A" {\n  color: \n}',
      selected: '',
      caret: caret + 3,
    });
    const member = 'on_click { this.colo';
    const memberSite = complete(member) as CompletionSite;
    const memberColor = memberSite.options.find((option) => option.label === 'color');
    if (!memberColor) throw new Error('no color option');
    expect(applied(member, acceptEdit(member, memberSite, memberColor)).text).toBe('on_click { this.color');
  });

  it("indents a template's lines like the line it starts on and selects its placeholder", () => {
    const text = 'object "A" {\n  acti';
    const site = complete(text) as CompletionSite;
    const action = site.options.find((option) => option.kind === 'template');
    if (!action) throw new Error('no action template');
    const result = applied(text, acceptEdit(text, site, action));
    expect(result.text).toBe('object "A" {\n  action name() {\n    \n  }');
    expect(result.selected).toBe('name');
    const loop = 'for';
    const loopSite = complete(loop) as CompletionSite;
    expect(applied(loop, acceptEdit(loop, loopSite, loopSite.options[1] as never))).toMatchObject({
      text: 'for (const item of list) {\n  \n}',
      selected: 'list',
    });
    const handler = '  on_cl';
    const handlerSite = complete(handler) as CompletionSite;
    const result2 = applied(handler, acceptEdit(handler, handlerSite, handlerSite.options[0] as never));
    expect(result2.text).toBe('  on_click {\n    \n  }');
    expect(result2.caret).toBe('  on_click {\n    '.length);
  });

  it('is one change of the shared text: a peer sees one change, one undo takes it back', () => {
    const { textA, textB } = twoPeers();
    const surface = new FakeSurface();
    const binding = bindText({ text: textA, surface });
    surface.type('object "A" { colo');
    binding.syncFromSurface();
    const seenByPeer = recordChanges(textB);
    // What the editor does with an accepted option: its own undo step, the textarea's text changed, one sync.
    binding.newUndoGroup();
    const site = complete(surface.value) as CompletionSite;
    const edit = acceptEdit(surface.value, site, site.options.find((o) => o.label === 'color') as never);
    surface.setSelectionRange(edit.from, edit.to);
    surface.type(edit.insert);
    binding.syncFromSurface();
    expect(textB.toString()).toBe('object "A" { color: ');
    expect(seenByPeer).toEqual([{ delta: [{ retain: 17 }, { insert: 'r: ' }] }]);
    // Its own undo step, not merged with the typing a moment before.
    binding.undo();
    expect(textB.toString()).toBe('object "A" { colo');
  });
});
