// What the scene model makes of the constructs of real scene files: units and
// template strings in property values, the `on` forms and behavior blocks as
// handlers, scene actions, and one warning for what Holoroom cannot use.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { modelOf } from '../../../testing/scene/parsed-scenes.ts';
import type { MeshNode, SceneNode, TextNode } from './scene-model.ts';

function node<T extends SceneNode = MeshNode>(model: { byId: ReadonlyMap<string, SceneNode> }, id: string): T {
  const found = model.byId.get(id);
  if (!found) throw new Error(`no node ${id}; have ${[...model.byId.keys()].join(', ')}`);
  return found as T;
}

describe('values', () => {
  it('[UNIT1] numbers with units fold to metres and degrees; unknown units are a warning', async () => {
    const model =
      await modelOf(`object "A" { position: [1m, 150cm, -2m]; rotation: [0, 90deg, 0]; geometry: "sphere"; radius: 25cm }
      object "B" { position: [2parsecs, 0, 0] }`);
    expect(node(model, 'A').transform.position).toEqual([1, 1.5, -2]);
    expect(node(model, 'A').transform.rotation).toEqual([0, 90, 0]);
    expect(node(model, 'A').size).toEqual([0.5, 0.5, 0.5]);
    expect(model.warnings.map((w) => w.code)).toEqual(['BAD_VALUE']);
    expect(model.warnings[0]?.message).toMatch(/parsecs/);
  });

  it('[LEX7][SYN11] template strings and conditionals of constants fold', async () => {
    const model = await modelOf(
      `object "T" { type: "text"; text: \`Score: \${2 * 21}\` }\nobject "U" { color: 1 > 2 ? "red" : "teal" }`,
    );
    expect(node<TextNode>(model, 'T').text.text).toBe('Score: 42');
    expect(node(model, 'U').material.color).toBe('#008080');
  });

  it('[SYN14][SYN13][RT1] typed fields, types, traits and functions as values are warnings, not errors', async () => {
    const model = await modelOf(`object "A" {
      role?: string
      size: number = 2
      kind: array<string>
      look: @glowing
      compute: () => 1
    }`);
    expect(model.warnings.map((w) => w.code)).toEqual([
      'BAD_VALUE',
      'BAD_VALUE',
      'BAD_VALUE',
      'BAD_VALUE',
      'BAD_VALUE',
    ]);
    expect(node(model, 'A').kind).toBe('mesh');
  });

  it('[SYN1][RT1] a call standing in a block is kept and reported once', async () => {
    const model = await modelOf('object "A" { track_event("tap", { id: 1 }) }');
    expect(model.warnings.map((w) => w.code)).toEqual(['UNSUPPORTED_CALL']);
  });
});

describe('handlers', () => {
  it('[EV4][EV6] `on` forms and behavior blocks give the object its events', async () => {
    const model = await modelOf(`object "A" {
      behavior { on "tap" { x = 1 } }
      on "gaze_exit" { y = 1 }
      on(Other, "tap") { z = 1 }
      on "frame" { w = 1 }
    }`);
    const { events } = node(model, 'A').handlers;
    expect([...events.keys()].sort()).toEqual(['click', 'hoverexit']);
    expect(model.warnings.map((w) => w.code)).toEqual(['UNSUPPORTED_HANDLER', 'UNSUPPORTED_HANDLER']);
  });

  it('[INT7] actions at the top of the scene are collected; other top-level handlers still warn', async () => {
    const model = await modelOf(`composition "C" {
      action select(id) { chosen = id }
      function helper() { return 1 }
      on_click { x = 1 }
    }`);
    expect([...model.actions.keys()]).toEqual(['select', 'helper']);
    expect(model.warnings.map((w) => w.code)).toEqual(['UNSUPPORTED_HANDLER']);
  });

  it('[EV5] a handler-named property holding a function is a handler, not a warning', async () => {
    const model = await modelOf('object "A" { onClick: () => { x = 1 } }');
    expect(node(model, 'A').handlers.events.has('click')).toBe(true);
    expect(model.warnings).toEqual([]);
  });
});

describe('the project scenes', () => {
  it('[RT1] every test scene of the parser builds a model without throwing', async () => {
    const data = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../wasm-parser/tests/data/ok');
    for (const name of readdirSync(data).filter((file) => file.endsWith('.holo'))) {
      const model = await modelOf(readFileSync(path.join(data, name), 'utf8'));
      expect(model.roots.length + model.warnings.length, name).toBeGreaterThanOrEqual(0);
    }
  });
});
