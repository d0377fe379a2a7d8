// The parser through the real WebAssembly module from Node: tree shapes,
// positions, the result format, limits, and decoder robustness.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadParserModuleForNode } from '../../../tools/node-parser.ts';
import type { Block, Handler, Node } from '../syntax/ast.ts';
import { decodeBinaryResult, ResultFormatError } from './result-binary.ts';
import { MAX_INPUT_BYTES, type ParserModule } from './wasm-module.ts';

const DATA = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../wasm-parser/tests/data');
const dataFiles = ['ok', 'err'].flatMap((dir) =>
  readdirSync(path.join(DATA, dir))
    .filter((name) => name.endsWith('.holo'))
    .map((name) => path.join(DATA, dir, name)),
);

let parser: ParserModule;

beforeAll(async () => {
  parser = await loadParserModuleForNode();
});

function firstBlock(text: string): Block {
  const block = parser.parse(text).document.children[0];
  if (!block) throw new Error('no block');
  return block;
}

describe('tree', () => {
  it('[SYN3] blocks: kind from the keyword, quoted or bare names, using, header traits', () => {
    const block = firstBlock('orb Lamp using "Glow" @clickable @spin(speed: 2) { color: #ff0000 }');
    expect(block).toMatchObject({ kind: 'Object', keyword: 'orb', name: 'Lamp', using: 'Glow' });
    expect(block.traits.map((t) => t.name)).toEqual(['clickable', 'spin']);
    expect(block.traits[1]?.args).toMatchObject([{ name: 'speed', value: { kind: 'Number', value: 2 } }]);
    expect(block.properties[0]?.value).toMatchObject({ kind: 'Color', value: '#ff0000' });
  });

  it('[SYN7] the three handler syntaxes', () => {
    const block = firstBlock(
      'object A {\n onGrab: { set held true }\n on_click { x += 1 }\n on_point(event) { run(event) }\n}',
    );
    const forms = block.handlers.map((h: Handler) => [h.name, h.form, h.params]);
    expect(forms).toEqual([
      ['onGrab', 'colon', []],
      ['on_click', 'block', []],
      ['on_point', 'params', ['event']],
    ]);
    expect(block.handlers[0]?.body[0]).toMatchObject({
      kind: 'Command',
      name: 'set',
      args: [
        { kind: 'Identifier', name: 'held' },
        { kind: 'Boolean', value: true },
      ],
    });
  });

  it('[LANG1] unknown blocks are kept with one warning, never an error', () => {
    const result = parser.parse('post_processing { bloom { intensity: 0.4 } }');
    expect(result.errors).toBe(0);
    expect(result.diagnostics.map((d) => [d.severity, d.code])).toEqual([['warning', 'LANG1']]);
    expect(result.document.children[0]).toMatchObject({ kind: 'UnknownBlock', keyword: 'post_processing' });
  });

  it('[SYN10] imports are accepted and reported (LANG2)', () => {
    const result = parser.parse('import { Chair } from "./chair.holo"\nobject A {}');
    expect(result.document.imports).toMatchObject([{ kind: 'Import', source: './chair.holo', names: ['Chair'] }]);
    expect(result.diagnostics.map((d) => d.code)).toEqual(['LANG2']);
  });
});

describe('errors and recovery', () => {
  it('[REC1][REC2] one typo costs one construct: the rest of the block and the file stay', () => {
    const text =
      'object "A" {\n  geometry "box"\n  position: [0, 1, 0]\n  material: {\n    roughness: ,\n  }\n  color: #fff\n}\nobject "B" { x: 1 }';
    const result = parser.parse(text);
    expect(result.diagnostics.map((d) => d.code)).toEqual(['SYN3', 'SYN9']);
    const [a, b] = result.document.children;
    expect(a?.properties.map((p) => p.key)).toEqual(['position', 'color']);
    expect(b?.properties.map((p) => p.key)).toEqual(['x']);
  });

  it('[SYN5] a property value starts on the same line as its key', () => {
    const result = parser.parse('object "A" { x:\n 1\n y: 2 }');
    expect(result.diagnostics[0]).toMatchObject({ code: 'SYN5', severity: 'error' });
    expect(result.document.children[0]?.properties.map((p) => p.key)).toEqual(['y']);
  });

  it('[SYN12] a filter after `|` calls its name with the space-separated arguments to the end of the line', () => {
    const block = firstBlock('object "A" {\n  color: "reward" | map [-1, 1] to ["#f20", "#0f8"]\n  mask: a | b\n}');
    const [color, mask] = block.properties;
    expect(color?.value).toMatchObject({
      kind: 'Binary',
      op: '|',
      left: { kind: 'String', value: 'reward' },
      right: { kind: 'Call', callee: { kind: 'Identifier', name: 'map' } },
    });
    expect(color?.value.kind === 'Binary' && color.value.right.kind === 'Call' && color.value.right.args).toHaveLength(
      3,
    );
    expect(mask?.value).toMatchObject({ kind: 'Binary', op: '|', right: { kind: 'Identifier', name: 'b' } });
  });

  it('[SYN4] a block left open at the end keeps what it holds', () => {
    const result = parser.parse('composition "Open" {\n  object "Kept" { x: 1 }\n');
    expect(result.diagnostics.map((d) => d.code)).toEqual(['SYN4']);
    expect(result.document.children[0]?.children[0]?.name).toBe('Kept');
  });

  it('[SYN8] command arguments are split by spaces; a lone name is a command', () => {
    const [handler] = firstBlock(
      'object A { on_click {\n move x -1\n move x - 1\n reset\n spawn "C" at [0, 1, 0]\n} }',
    ).handlers;
    const shapes = handler?.body.map((s) => (s.kind === 'Command' ? [s.name, s.args.map((a) => a.kind)] : s.kind));
    expect(shapes).toEqual([
      ['move', ['Identifier', 'Number']],
      ['move', ['Binary']],
      ['reset', []],
      ['spawn', ['String', 'Identifier', 'ArrayLiteral']],
    ]);
  });

  it('[SYN9] precedence, and -5 is a number', () => {
    const property = parser.parse('x: -1 + 2 * 3 > 4 && !y').document.properties[0];
    expect(property?.value).toMatchObject({
      kind: 'Binary',
      op: '&&',
      left: { op: '>', left: { op: '+', left: { kind: 'Number', value: -1 }, right: { op: '*' } } },
      right: { kind: 'Unary', op: '!' },
    });
  });
});

describe('positions', () => {
  it('node spans are UTF-16 offsets: text.slice(from, to) is the construct', () => {
    const text = 'object "Café 😀" {\n  label: "naïve 🌍"\n  size: 2\n}\n';
    const block = firstBlock(text);
    const [label, size] = block.properties;
    expect(text.slice(label?.from, label?.to)).toBe('label: "naïve 🌍"');
    expect(text.slice(size?.value.from, size?.value.to)).toBe('2');
    expect(block.name).toBe('Café 😀');
  });

  it('diagnostics carry line/column in UTF-16 units and the byte span', () => {
    const text = '// 😀\nobject "é" { x: "1"y: 2 }';
    const [d] = parser.parse(text).diagnostics;
    expect(d).toMatchObject({ severity: 'error', code: 'SYN2', line: 2, column: 20, endLine: 2, endColumn: 21 });
    expect(text.slice(d?.from, d?.to)).toBe('y');
    const bytes = new TextEncoder().encode(text);
    expect(new TextDecoder().decode(bytes.subarray(d?.byteStart, d?.byteEnd))).toBe('y');
    expect(d?.expected).toEqual(['a space', 'a line break', '`,`', '`;`']);
  });
});

/** Every node below `value` (anything with a `kind` and a span), with its parent node. */
function* nodesWithParents(value: unknown, parent: Node | null = null): Generator<[Node, Node | null]> {
  if (Array.isArray(value)) {
    for (const item of value) yield* nodesWithParents(item, parent);
    return;
  }
  if (typeof value !== 'object' || value === null) return;
  const node = 'kind' in value && 'from' in value ? (value as Node) : null;
  if (node) yield [node, parent];
  for (const child of Object.values(value)) yield* nodesWithParents(child, node ?? parent);
}

describe('result format', () => {
  it('every node written while parsing lies inside its parent, and members keep source order', () => {
    for (const file of dataFiles) {
      const { document } = parser.parse(readFileSync(file, 'utf8'));
      let count = 0;
      for (const [node, parent] of nodesWithParents(document)) {
        count++;
        expect(node.from, file).toBeLessThanOrEqual(node.to);
        if (parent)
          expect([parent.from <= node.from, node.to <= parent.to], `${file} ${node.kind}`).toEqual([true, true]);
      }
      expect(count, file).toBeGreaterThan(0);
      for (const [node] of nodesWithParents(document)) {
        if (!('properties' in node)) continue;
        for (const list of [node.traits, node.properties, node.handlers, node.children]) {
          const starts = list.map((member) => member.from);
          expect(starts, file).toEqual([...starts].sort((a, b) => a - b));
        }
      }
    }
  });

  it('a malformed binary result is a ResultFormatError, not a wrong tree', () => {
    const bytes = parser.parseRaw('object A { x: [1, 2] }', 'binary');
    expect(() => decodeBinaryResult(bytes.subarray(0, bytes.length - 3))).toThrow(ResultFormatError);
    const badMagic = bytes.slice();
    badMagic[0] = 0;
    expect(() => decodeBinaryResult(badMagic)).toThrow(/magic/);
    const badVersion = bytes.slice();
    badVersion[4] = 99;
    expect(() => decodeBinaryResult(badVersion)).toThrow(/format 99/);
  });
});

describe('limits', () => {
  it('[LIM1] a script over the size limit is one error and an empty tree', () => {
    const result = parser.parse(`object A { text: "${'x'.repeat(MAX_INPUT_BYTES)}" }`);
    expect(result.diagnostics.map((d) => d.code)).toEqual(['LIM1']);
    expect(result.document.children).toEqual([]);
  });

  it('[LIM2] nesting past the limit is a diagnostic and the rest still parses', () => {
    const result = parser.parse(`object A { deep: ${'['.repeat(200)}${']'.repeat(200)}\n ok: 1 }`);
    expect(result.diagnostics.map((d) => d.code)).toEqual(['LIM2']);
    expect(result.document.children[0]?.properties.map((p) => p.key)).toEqual(['ok']);
  });

  it('[LIM4] diagnostics are capped with a final note', () => {
    const result = parser.parse('@\n'.repeat(1000));
    expect(result.diagnostics.length).toBe(201);
    expect(result.diagnostics.at(-1)).toMatchObject({ code: 'LIM4', severity: 'error' });
  });
});
