import { CompletionContext } from '@codemirror/autocomplete';
import { StringStream } from '@codemirror/language';
import { EditorState } from '@codemirror/state';
import { describe, expect, it } from 'vitest';
import { SCRIPT_MAX_CHARS } from '../sync/doc/limits.ts';
import { clampDiagnostic, latestWins, lineColumnToOffset, type ScriptDiagnostic } from './diagnostics.ts';
import { editorNotices, VIEW_ONLY_NOTICE } from './editor-notices.ts';
import { completeHolo, type HoloState, token } from './holo-language.ts';
import { defaultPreferences, loadPreferences } from './panel-preferences.ts';
import { scriptSizeLimit } from './script-size-limit.ts';

function tokens(line: string, state: HoloState = { inBlockComment: false }): [string, string | null][] {
  const stream = new StringStream(line, 2, 2);
  const out: [string, string | null][] = [];
  while (!stream.eol()) {
    stream.start = stream.pos;
    const kind = token(stream, state);
    if (stream.current().trim()) out.push([stream.current(), kind]);
  }
  return out;
}

describe('scene language highlighting', () => {
  it('colours keywords, names, traits, properties, numbers, colours and comments', () => {
    expect(tokens('object "Cube" @grabbable { color: "#ff0000", scale: 0.5 } // note')).toEqual([
      ['object', 'keyword'],
      ['"Cube"', 'string'],
      ['@grabbable', 'trait'],
      ['{', 'bracket'],
      ['color', 'property'],
      [':', null],
      ['"#ff0000"', 'color'],
      [',', null],
      ['scale', 'property'],
      [':', null],
      ['0.5', 'number'],
      ['}', 'bracket'],
      ['// note', 'lineComment'],
    ]);
    expect(tokens('on_click { set grabbed true }')[0]).toEqual(['on_click', 'handler']);
  });

  it('[LEX2][LEX4][LEX7][SYN11] new tokens: # comments, units, template strings, ?. ?? => and friends', () => {
    expect(tokens('# a note')).toEqual([['# a note', 'lineComment']]);
    expect(tokens('radius: 20m, fill: 50%, seed: 0x1f')).toEqual([
      ['radius', 'property'],
      [':', null],
      ['20m', 'number'],
      [',', null],
      ['fill', 'property'],
      [':', null],
      ['50%', 'number'],
      [',', null],
      ['seed', 'property'],
      [':', null],
      ['0x1f', 'number'],
    ]);
    expect(tokens(`label = a?.b ?? \`x \${y}\` => z`)).toEqual([
      ['label', 'name'],
      ['=', 'operator'],
      ['a', 'name'],
      ['?.', 'operator'],
      ['b', 'name'],
      ['??', 'operator'],
      [`\`x \${y}\``, 'string'],
      ['=>', 'operator'],
      ['z', 'name'],
    ]);
    expect(tokens('for (const x of list) { action: "go" }').map(([text, kind]) => `${text}:${kind}`)).toContain(
      'for:control',
    );
    expect(tokens('température: 20')[0]).toEqual(['température', 'property']);
  });

  it('[LEX3][LEX7] strings over several lines carry over in the state', () => {
    const state: HoloState = { inBlockComment: false, inString: null };
    expect(tokens('text: `first', state).at(-1)).toEqual(['`first', 'string']);
    expect(state.inString).toBe('`');
    expect(tokens(`still \${x} here\` object`, state)).toEqual([
      [`still \${x} here\``, 'string'],
      ['object', 'keyword'],
    ]);
    expect(tokens("code: '''", state).at(-1)).toEqual(["'''", 'string']);
    expect(tokens("fn main() {} '''", state)).toEqual([["fn main() {} '''", 'string']]);
    expect(state.inString).toBe(null);
  });

  it('completion offers the language words and the handler, action and loop forms', () => {
    const at = (text: string) => ({
      explicit: false,
      matchBefore: (pattern: RegExp) => {
        const match = new RegExp(`(?:${pattern.source})$`, pattern.flags).exec(text);
        return match ? { from: match.index, to: text.length, text: match[0] } : null;
      },
    });
    expect(completeHolo(at('  compos'))?.options.map((o) => o.label)).toEqual(['composition']);
    expect(completeHolo(at('  on'))?.options.map((o) => o.label)).toEqual(['on', 'on "tap"', 'on_click']);
    expect(completeHolo(at('  act'))?.options.some((o) => o.apply?.startsWith('action name()'))).toBe(true);
    expect(completeHolo(at('x: 1 '))).toBeNull();
  });

  it('carries a block comment across lines', () => {
    const state = { inBlockComment: false };
    expect(tokens('a /* start', state).at(-1)).toEqual(['/* start', 'blockComment']);
    expect(state.inBlockComment).toBe(true);
    expect(tokens('still */ object', state)).toEqual([
      ['still */', 'blockComment'],
      ['object', 'keyword'],
    ]);
  });
});

describe('scene language completion', () => {
  const complete = (text: string) => {
    const state = EditorState.create({ doc: text });
    const result = completeHolo(new CompletionContext(state, text.length, false));
    return { from: result?.from, labels: result?.options.map((option) => option.label) ?? [] };
  };

  it('offers the vocabulary: traits after @, block keywords, properties, commands and handlers otherwise', () => {
    const traits = complete('object "A" @gr');
    expect(traits.from).toBe('object "A" @'.length);
    expect(traits.labels).toEqual(expect.arrayContaining(['grabbable']));
    expect(complete('object "A" @').labels).toEqual(expect.arrayContaining(['grabbable', 'glowing', 'collidable']));
    expect(traits.labels).not.toContain('object');
    // Each word where what was typed starts it.
    const words = ['object', 'spatial_group', 'emissiveIntensity', 'play_audio', 'on_click', 'if'].flatMap(
      (word) => complete(`object "A" { ${word.slice(0, 3)}`).labels,
    );
    expect(words).toEqual(
      expect.arrayContaining(['object', 'spatial_group', 'emissiveIntensity', 'play_audio', 'on_click', 'if']),
    );
    expect(words).not.toContain('grabbable');
  });

  it('colours command words where a statement starts, and statement words anywhere', () => {
    expect(tokens('on_click { log "hi"; move x 1 }').filter(([, kind]) => kind === 'control')).toEqual([
      ['log', 'control'],
      ['move', 'control'],
    ]);
    expect(tokens('x = log')).toContainEqual(['log', 'name']);
    expect(tokens('const a = 1')[0]).toEqual(['const', 'control']);
    expect(tokens('text: "hi"')[0]).toEqual(['text', 'property']);
  });
});

describe('diagnostics plumbing', () => {
  it('latest wins: an older answer that arrives after a newer request is dropped', async () => {
    const resolvers: ((list: ScriptDiagnostic[]) => void)[] = [];
    const source = (_text: string) => new Promise<ScriptDiagnostic[]>((resolve) => resolvers.push(resolve));
    const latest = latestWins(source);
    const first = latest('a');
    const second = latest('ab');
    const newer: ScriptDiagnostic[] = [{ from: 0, to: 1, severity: 'error', message: 'new' }];
    resolvers[1]?.(newer);
    resolvers[0]?.([{ from: 0, to: 1, severity: 'error', message: 'old' }]);
    expect(await second).toBe(newer);
    expect(await first).toBeUndefined();
  });

  it('maps line/column to offsets and clamps ranges into the document', () => {
    const text = 'ab\ncdef\n\ngh';
    expect(lineColumnToOffset(text, 1, 0)).toBe(0);
    expect(lineColumnToOffset(text, 2, 2)).toBe(5);
    expect(lineColumnToOffset(text, 2, 99)).toBe(7);
    expect(lineColumnToOffset(text, 9, 0)).toBe(text.length);
    expect(clampDiagnostic({ from: 5, to: 50, severity: 'warning', message: 'm' }, 8)).toEqual({
      from: 5,
      to: 8,
      severity: 'warning',
      message: 'm',
    });
  });
});

describe('script size limit on edit', () => {
  it('[CAP1] refuses a local edit that grows the script past the cap, but lets shrinking edits through', () => {
    const refused: string[] = [];
    let state = EditorState.create({ doc: 'x'.repeat(10), extensions: [scriptSizeLimit((m) => refused.push(m), 12)] });
    state = state.update({ changes: { from: 0, insert: 'yy' } }).state;
    expect(state.doc.length).toBe(12);
    state = state.update({ changes: { from: 0, insert: 'z' } }).state;
    expect(state.doc.length).toBe(12);
    expect(refused).toHaveLength(1);
    // Over the cap (as received from peers), deleting still works.
    let over = EditorState.create({ doc: 'x'.repeat(20), extensions: [scriptSizeLimit(() => {}, 12)] });
    over = over.update({ changes: { from: 0, to: 3 } }).state;
    expect(over.doc.length).toBe(17);
  });
});

describe('editor notices', () => {
  it('[CAP1] [CAP2] [CAP4] explains over-limit scripts and objects and rejected updates', () => {
    expect(editorNotices({ scriptChars: 10, objectCount: 1, rejected: { count: 0 } })).toEqual([]);
    const notices = editorNotices({
      scriptChars: SCRIPT_MAX_CHARS + 1,
      objectCount: 99_999,
      rejected: { count: 2, last: { from: 'peer', reason: 'update does not decode' } },
      refusedEdit: 'too long',
    });
    expect(notices.map((n) => n.id)).toEqual([
      'script-over-limit',
      'objects-over-limit',
      'rejected-updates',
      'refused-edit',
    ]);
    expect(notices[2]?.text).toContain('latest from the peer: update does not decode');
  });
});

describe('view only', () => {
  it('[ROLE7] a viewer of a protected room is told first why the editor takes no input', () => {
    const notices = editorNotices({ scriptChars: 10, objectCount: 1, rejected: { count: 0 }, viewOnly: true });
    expect(notices).toEqual([{ id: 'view-only', severity: 'warning', text: VIEW_ONLY_NOTICE }]);
    expect(VIEW_ONLY_NOTICE).toMatch(/Ask the owner for an editor link/);
  });
});

describe('panel preferences', () => {
  it('uses larger text and wrapping in a headset browser, and ignores junk in storage', () => {
    const quest = 'Mozilla/5.0 (X11; Linux x86_64; Quest 3) OculusBrowser/35.0 Chrome/126 VR Safari/537.36';
    expect(defaultPreferences(quest)).toMatchObject({ fontSize: 20, wrap: true });
    expect(defaultPreferences('Mozilla/5.0 (X11; Linux x86_64) Chrome/126')).toMatchObject({
      fontSize: 14,
      wrap: false,
    });
    const storage = { getItem: () => '{"open":true,"fontSize":999,"wrap":"x"}', setItem() {} };
    expect(loadPreferences(storage, '')).toEqual({ open: true, fontSize: 32, wrap: false });
  });
});
