import { describe, expect, it } from 'vitest';
import { SCRIPT_MAX_CHARS } from '../sync/doc/limits.ts';
import {
  clampDiagnostic,
  latestWins,
  lineColumnToOffset,
  mapDiagnostic,
  type ScriptDiagnostic,
} from './diagnostics.ts';
import { editorNotices, VIEW_ONLY_NOTICE } from './editor-notices.ts';
import { type HoloState, highlightLine, LineStream, startState, token } from './holo-language.ts';
import { defaultPreferences, loadPreferences } from './panel-preferences.ts';
import { refuseOverLimit } from './script-size-limit.ts';

/** Each non-blank piece of a line with its kind (null for plain text); `state` carries over like the editor's. */
function tokens(line: string, state: HoloState = { inBlockComment: false }): [string, string | null][] {
  const stream = new LineStream(line);
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

describe('scene language, line by line', () => {
  it('[EDIT3] colours a line from the state the previous line ended in, leaving that state alone', () => {
    const start = startState();
    const first = highlightLine('a /* open', start);
    expect(start).toEqual(startState());
    expect(first.state.inBlockComment).toBe(true);
    expect(first.tokens.at(-1)).toEqual({ from: 2, to: 9, kind: 'blockComment' });
    const second = highlightLine('*/ object "A" {}', first.state);
    expect(second.tokens.map((t) => t.kind)).toEqual(['blockComment', 'keyword', 'string', 'bracket', 'bracket']);
    expect(second.state).toEqual(startState());
    // Every character is in at most one token, in order, and the loop ends on odd input.
    const odd = highlightLine('\u0000 ¿ “x” 𝛼 @ # ` ', startState());
    for (let i = 1; i < odd.tokens.length; i++) {
      expect(odd.tokens[i]?.from).toBeGreaterThanOrEqual(odd.tokens[i - 1]?.to ?? 0);
    }
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

  it('[EDIT4] a mark shown moves with text typed before it, and shrinks with text deleted under it', () => {
    const mark: ScriptDiagnostic = { from: 10, to: 14, severity: 'error', message: 'm' };
    expect(mapDiagnostic(mark, { from: 0, remove: 0, insert: 'abc' })).toMatchObject({ from: 13, to: 17 });
    expect(mapDiagnostic(mark, { from: 20, remove: 2, insert: '' })).toMatchObject({ from: 10, to: 14 });
    expect(mapDiagnostic(mark, { from: 12, remove: 5, insert: '' })).toMatchObject({ from: 10, to: 12 });
  });
});

describe('script size limit on edit', () => {
  it('[CAP1] [EDIT10] refuses a local edit that grows the script past the cap, but lets shrinking edits through', () => {
    expect(refuseOverLimit(10, 12, 12)).toBeUndefined();
    expect(refuseOverLimit(12, 13, 12)).toBe('The script can be at most 12 characters; this edit would make it 13.');
    // Over the cap (as received from peers), deleting still works, and so does an edit that does not grow it.
    expect(refuseOverLimit(20, 17, 12)).toBeUndefined();
    expect(refuseOverLimit(20, 20, 12)).toBeUndefined();
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
