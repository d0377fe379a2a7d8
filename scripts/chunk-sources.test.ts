/**
 * The per-source measurement of built scripts (scripts/chunk-sources.mjs,
 * docs/performance.md "Ninth round"): a source map's segments decoded, and
 * each generated character given to the source its segment names.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { codeBySource, decodeSegment, NO_SOURCE, packageOf, sourceSizes } from './chunk-sources.mjs';

const temp = mkdtempSync(path.join(tmpdir(), 'holoroom-chunk-sources-'));
afterAll(() => rmSync(temp, { recursive: true, force: true }));

describe('chunk sources', () => {
  it('decodes Base64 VLQ segments, negative and multi-digit numbers too', () => {
    expect(decodeSegment('AAAA')).toEqual([0, 0, 0, 0]);
    expect(decodeSegment('AAgBC')).toEqual([0, 0, 16, 1]);
    expect(decodeSegment('D')).toEqual([-1]);
    expect(decodeSegment('2HA')).toEqual([123, 0]);
    expect(() => decodeSegment('g')).toThrow('ends inside a number');
    expect(() => decodeSegment('A*')).toThrow('not a base64 digit');
  });

  it('gives each run of generated code to the source of the segment it starts at; unmapped code to none', () => {
    // Line 1: "ab" from a.js (col 0), "cd" from b.js (col 2), "ef" unmapped (col 4, a one-field segment).
    // Line 2: "gh" before any segment (unmapped), "ij" from a.js again (col 2, source delta -1).
    const code = 'abcdef\nghij';
    const map = { sources: ['a.js', 'b.js'], mappings: 'AAAA,ECAA,E;EDAA' };
    expect(Object.fromEntries(codeBySource(code, map))).toEqual({ 'a.js': 'abij', 'b.js': 'cd', [NO_SOURCE]: 'efgh' });
  });

  it('names a source by its package, or by the app folder it is in', () => {
    expect(packageOf('../../node_modules/@pmndrs/xr/dist/store.js')).toBe('@pmndrs/xr');
    expect(packageOf('../../node_modules/three/src/core/Object3D.js')).toBe('three');
    expect(packageOf('../../node_modules/a/node_modules/zustand/esm/index.mjs')).toBe('zustand');
    expect(packageOf('../../app/render/room-canvas.tsx')).toBe('app/render');
    expect(packageOf('../../service-worker/sw.ts')).toBe('service-worker/sw.ts');
  });

  it('sizes a built script by source, largest first, minified and gzip -9 alone', () => {
    const file = path.join(temp, 'chunk.js');
    const a = 'const a = 1;'.repeat(20);
    writeFileSync(file, `${a}b();`);
    writeFileSync(
      `${file}.map`,
      JSON.stringify({ version: 3, sources: ['../app/x/a.ts', '../app/y/b.ts'], mappings: 'AAAA,gPCAA' }),
    );
    expect(sourceSizes(file)).toEqual([
      { source: '../app/x/a.ts', minified: a.length, gzip: gzipSync(a, { level: 9 }).length },
      { source: '../app/y/b.ts', minified: 4, gzip: gzipSync('b();', { level: 9 }).length },
    ]);
    expect(sourceSizes(file, { byPackage: true }).map((entry) => entry.source)).toEqual(['app/x', 'app/y']);
  });
});
