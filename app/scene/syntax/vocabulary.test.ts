// The vocabulary is the one source of the language's words: it agrees with the
// parser's schema, and the scene model, the interpreter and the commands all
// follow it (every spelling of every word does what the table says), through
// the real WebAssembly parser.
import { beforeAll, describe, expect, it } from 'vitest';
import { object } from '../../../testing/ids.ts';
import { modelOf, testParserModule } from '../../../testing/scene/parsed-scenes.ts';
import { loadParserModuleForNode } from '../../../tools/node-parser.ts';
import { type DispatchResult, dispatchEvent } from '../interpreter/interpreter.ts';
import { sceneEventOf } from '../model/events.ts';
import { traitOf } from '../model/traits.ts';
import type { ParserSchema } from '../parser/wasm-module.ts';
import { BLOCK_KEYWORDS } from './ast.ts';
import { COMMANDS } from './command-words.ts';
import {
  DECLARATION_WORDS,
  EVENTS,
  FORM_WORDS,
  HEADER_WORDS,
  NODE_KEYWORDS,
  normalizeKey,
  PROPERTIES,
  type Property,
  type Scope,
  STATEMENT_WORDS,
  TRAITS,
  VALUE_WORDS,
  writableProperty,
} from './vocabulary.ts';
import { BLOCK_MEANINGS, EVENT_HANDLERS, meaningKey, PROPERTY_MEANINGS } from './vocabulary-meanings.ts';

let schema: ParserSchema;
beforeAll(async () => {
  schema = (await loadParserModuleForNode()).schema();
});

/** A value of the right shape for each property (by name first, then by type). */
function sampleValue(property: Property): string {
  const byName: Record<string, string> = {
    transform: '{ position: [0, 1, 0] }',
    state: '{ count: 1 }',
    mesh: property.scope === 'model' ? '{ type: "model", model_path: "models/x.glb" }' : '{ type: "box" }',
    geometry: '"box"',
    type: '"box"',
    material: '"metal"',
    background_gradient: '["#000000", "#ffffff"]',
    fog: 'true',
    skybox: '"none"',
    direction: '[0, -1, 0]',
    body_type: '"kinematic"',
    physics: '{ mass: 2 }',
    voice_distance_model: '"linear"',
  };
  const byType: Record<Property['type'], string> = {
    number: '2',
    colour: '"#ff8800"',
    boolean: 'true',
    text: '"hello"',
    'text or null': '"hello"',
    'colour or null': '"#ff8800"',
    '[x, y, z]': '[1, 2, 3]',
    'number or [x, y, z]': '2',
    name: '"box"',
    'name or colour': '"#ff8800"',
    URL: '"models/x.glb"',
    record: '{ a: 1 }',
    'preset or record': '"metal"',
    any: '"x"',
  };
  return byName[property.name] ?? byType[property.type];
}

/** A script where `key: value` is read in `scope`. */
function scriptFor(scope: Scope, line: string): string {
  switch (scope) {
    case 'node':
    case 'mesh':
    case 'material':
      return `object "A" { ${line} }`;
    case 'model':
      return `object "A" { model: "models/x.glb"; ${line} }`;
    case 'text':
      return `object "A" { text: "label"; ${line} }`;
    case 'light':
      return `point_light "A" { ${line} }`;
    case 'environment':
      return `environment { ${line} }`;
    case 'camera':
      return `camera { ${line} }`;
    case 'physics':
      return `object "A" { @physics { ${line} } }`;
  }
}

describe('the vocabulary', () => {
  it("[LANG1] its block keywords are the parser's, and its own node keywords are unknown to the parser", () => {
    expect(BLOCK_KEYWORDS).toEqual(schema.blockKeywords);
    expect(Object.keys(BLOCK_MEANINGS).sort()).toEqual(
      schema.nodeKinds.filter((kind) => Object.values(schema.blockKeywords).includes(kind)).sort(),
    );
    for (const keyword of NODE_KEYWORDS) expect(schema.blockKeywords).not.toHaveProperty(keyword);
  });

  it('[SYN3][SYN8][SYN10] its statement, value and header words are the ones the parser treats so', async () => {
    const parser = await testParserModule();
    const handler = (body: string) => {
      const result = parser.parse(`object "A" { on_click { ${body} } }`);
      expect(result.errors).toBe(0);
      return result.document.children[0]?.handlers[0]?.body[0];
    };
    const statementKinds: Record<string, string> = {
      if: 'If',
      let: 'Let',
      const: 'Let',
      var: 'Let',
      return: 'Return',
    };
    for (const word of STATEMENT_WORDS.filter((w) => w !== 'else')) {
      expect(handler(word === 'if' ? 'if x { }' : word === 'return' ? 'return 1' : `${word} a = 1`)?.kind).toBe(
        statementKinds[word],
      );
    }
    expect(handler('if x { } else { }')).toMatchObject({ kind: 'If', else: [] });
    const values = VALUE_WORDS.map((word) => handler(`x = ${word}`));
    expect(values.map((s) => (s?.kind === 'Assign' ? s.value.kind : s?.kind))).toEqual([
      'Boolean',
      'Boolean',
      'Null',
      'Null',
    ]);
    // Loops and the `on` forms (SYN15, SYN7); actions and functions (SYN7, SYN13).
    expect(FORM_WORDS).toEqual(['for', 'of', 'on']);
    expect(handler('for (const item of list) { }')?.kind).toBe('For');
    const forms = parser.parse(
      'object "A" { on "tap" { } }\naction go() { }\nobject "B" { f: function (x) { return x } }',
    );
    expect(forms.errors).toBe(0);
    expect(DECLARATION_WORDS).toEqual(['action', 'function']);
    const header = parser.parse('import { A as B } from "x.holo"\nobject "C" using "T" { }');
    expect(header.document.imports).toHaveLength(1);
    expect(header.document.children[0]?.using).toBe('T');
    expect(HEADER_WORDS).toEqual(['using', 'import', 'from', 'as']);
  });

  it('names each spelling once per scope', () => {
    const seen = new Map<string, string>();
    for (const property of PROPERTIES) {
      for (const spelling of [property.name, ...property.aliases]) {
        const key = `${property.scope}:${normalizeKey(spelling)}`;
        expect(seen.get(key), `${spelling} in ${property.scope}`).toBeUndefined();
        seen.set(key, property.name);
      }
    }
  });

  it('[LOAD25] has a rule and a description for every property and none for a property it lacks, kept apart from the table', () => {
    expect(Object.keys(PROPERTY_MEANINGS)).toEqual(PROPERTIES.map(meaningKey));
    for (const [key, { rule, doc }] of Object.entries(PROPERTY_MEANINGS)) {
      expect(rule, key).toMatch(/^[A-Z]+[0-9]+$/);
      expect(doc.trim(), key).not.toBe('');
    }
    // What the room reads carries no prose: a property is its spellings, scope, type, range and who may change it.
    for (const property of PROPERTIES) expect(Object.keys(property)).not.toContain('doc');
  });
});

describe('the scene model reads the vocabulary', () => {
  it('[RT1][MAT1][ENV1] every spelling of every property is read where the table says, without a warning', async () => {
    for (const property of PROPERTIES) {
      for (const spelling of [property.name, ...property.aliases]) {
        const model = await modelOf(scriptFor(property.scope, `${spelling}: ${sampleValue(property)}`));
        const problems = model.warnings.filter((w) => w.code === 'UNSUPPORTED_PROPERTY' || w.code === 'BAD_VALUE');
        expect(
          problems.map((w) => w.message),
          `${spelling} (${property.scope})`,
        ).toEqual([]);
      }
    }
  });

  it('[RT1] a word the table does not have for a scope is reported there', async () => {
    const model = await modelOf('object "A" { fontSize: 2 }\npoint_light "L" { roughness: 0.2 }');
    expect(model.warnings.map((w) => w.code)).toEqual(['UNSUPPORTED_PROPERTY', 'UNSUPPORTED_PROPERTY']);
  });

  it('[TRAIT8] every spelling of a trait is that trait; others are not', () => {
    for (const trait of TRAITS)
      for (const name of [trait.name, ...trait.aliases]) expect(traitOf(name)).toBe(trait.name);
    expect(traitOf('draggable')).toBeUndefined();
  });

  it('[EV2] every spelling of an event fires it', () => {
    for (const event of EVENTS) {
      for (const name of [event.name, ...event.aliases]) expect(sceneEventOf(`on_${name}`)).toBe(event.name);
      expect(sceneEventOf(EVENT_HANDLERS[event.name])).toBe(event.name);
    }
  });
});

/** `position`, `rotation`, `scale`: written to the transform whichever block the spelling came from. */
function writesTransform(spelling: string): boolean {
  return PROPERTIES.some((p) => p.stored === 'transform' && p.writable && p.name === spelling);
}

async function run(handler: string): Promise<DispatchResult> {
  const model = await modelOf(`object "A" { text: "label"; on_click { ${handler} } }`);
  return dispatchEvent({ current: model, script: model }, object('A'), 'click');
}

describe('the interpreter follows the vocabulary', () => {
  it('[PROP1] handlers write every spelling of a writable property, and no other property', async () => {
    for (const property of PROPERTIES) {
      const value = sampleValue(property);
      for (const spelling of [property.name, ...property.aliases]) {
        const result = await run(`this.${spelling} = ${value}`);
        if (property.writable && property.stored === 'prop') {
          expect(result.ok && result.effects, spelling).toEqual([
            expect.objectContaining({ kind: 'prop', key: property.name }),
          ]);
        } else if (property.writable) {
          expect(result.ok && result.effects[0]?.kind, spelling).toBe('transform');
        } else if (!writableProperty(spelling) && !writesTransform(spelling)) {
          expect(result.ok, spelling).toBe(false);
        }
      }
    }
  });

  it('[PROP1] `diffuse` and `emission`, which scripts use, are written by handlers too', async () => {
    const result = await run('this.diffuse = "#ff0000"; this.emission = "#00ff00"');
    expect(result.ok && result.effects.map((e) => (e.kind === 'prop' ? [e.key, e.value] : e.kind))).toEqual([
      ['color', '#ff0000'],
      ['emissive', '#00ff00'],
    ]);
  });

  it('[CMD12] every spelling of every command runs; other words are only warnings', async () => {
    const args: Record<string, string> = {
      set: 'lit true',
      increment: 'n',
      decrement: 'n',
      toggle: 'lit',
      play_audio: '"click.wav"',
      spawn: 'A',
      move: 'x 1',
      rotate: 'y 45',
      log: '"hi"',
      toggle_trait: '"glowing"',
      enable_trait: '"glowing"',
      disable_trait: '"glowing"',
    };
    for (const command of COMMANDS) {
      for (const spelling of [command.name, ...command.aliases]) {
        const result = await run(`${spelling} ${args[command.name] ?? ''}`);
        expect(result.ok && result.warnings.map((w) => w.message), spelling).toEqual([]);
      }
    }
    const unknown = await run('animate "x"');
    expect(unknown.ok && unknown.warnings.map((w) => w.message)).toEqual([
      '`animate` is not a command Holoroom runs; it does nothing',
    ]);
  });

  it('[CMD5][INT7] every spelling of play_audio is also a method', async () => {
    const spellings = COMMANDS.find((command) => command.method)?.aliases ?? [];
    for (const spelling of spellings) {
      const result = await run(`this.${spelling}("click.wav")`);
      expect(result.ok && result.effects, spelling).toEqual([{ kind: 'sound', url: 'click.wav' }]);
    }
  });
});
