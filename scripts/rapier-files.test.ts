/**
 * [LOAD23] The app's build takes the physics engine's compat module apart: its
 * glue without the inline base64, and the WebAssembly that base64 held. The
 * glue loads that WebAssembly and runs a world, here in Node, from the bytes.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { browserRapierModule, RAPIER_MODULE, rapierAsFiles, splitCompatModule } from './rapier-files.mjs';

type Rapier = typeof import('@dimforge/rapier3d-compat');
type WithSource = Omit<Rapier, 'init'> & { init(source: unknown): Promise<void> };

const COMPAT = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '..',
  'node_modules',
  '@dimforge',
  'rapier3d-compat',
);
const compatText = readFileSync(path.join(COMPAT, 'rapier.mjs'), 'utf8');
const temp = mkdtempSync(path.join(tmpdir(), 'holoroom-rapier-'));
afterAll(() => rmSync(temp, { recursive: true, force: true }));

describe('[LOAD23] the physics engine as two files', () => {
  const { glue, wasm } = splitCompatModule(compatText);

  it('[LOAD23] the WebAssembly is the module the compat package inlined (the one its own package ships), and the glue holds no base64 of it', () => {
    expect([...wasm.subarray(0, 4)]).toEqual([0, 0x61, 0x73, 0x6d]);
    expect(wasm.equals(readFileSync(path.join(COMPAT, 'rapier_wasm3d_bg.wasm')))).toBe(true);
    expect(glue).not.toContain('AGFzbQ');
    expect(glue).not.toContain('sourceMappingURL');
    // Everything else is kept: the compat module was over 2 MB, the glue is its JavaScript alone.
    expect(glue.length).toBeLessThan(200_000);
    expect(compatText.length - glue.length).toBeGreaterThan(2_000_000);
  });

  it('[LOAD23] the glue compiles the WebAssembly it is given and steps a world: a ball falls onto the ground', async () => {
    const file = path.join(temp, 'rapier.mjs');
    writeFileSync(file, glue);
    const rapier = (await import(pathToFileURL(file).href)) as WithSource;
    await rapier.init(new Uint8Array(wasm));
    const world = new rapier.World({ x: 0, y: -9.81, z: 0 });
    world.createCollider(rapier.ColliderDesc.cuboid(5, 0.1, 5));
    const ball = world.createRigidBody(rapier.RigidBodyDesc.dynamic().setTranslation(0, 2, 0));
    world.createCollider(rapier.ColliderDesc.ball(0.2), ball);
    for (let step = 0; step < 240; step++) world.step();
    // On the ground's top (0.1) with its radius (0.2), not in the air and not through the floor.
    expect(ball.translation().y).toBeCloseTo(0.3, 1);
    world.free();
  });

  it('[LOAD23] a module of another shape is refused with a message that says what to look at', () => {
    expect(() => splitCompatModule('export function init(){}')).toThrow(/does not have the shape the build splits/);
    // Two copies of the inline module would be two engines: refused too.
    expect(() => splitCompatModule(`${compatText}\n${compatText}`)).toThrow(/found 2/);
  });

  it('[LOAD23] the build replaces the engine module (only that one) by a loader of the two files', () => {
    const plugin = rapierAsFiles();
    expect(plugin.apply).toBe('build');
    const load = plugin.load as (id: string) => string | undefined;
    expect(load(path.join(path.dirname(RAPIER_MODULE), 'simulation.ts'))).toBeUndefined();
    const loader = browserRapierModule({ glue: '/build/rapier/rapier.js', wasm: '/build/rapier/rapier.wasm' });
    expect(loader).toContain('import glueUrl from "/build/rapier/rapier.js?url"');
    expect(loader).toContain('import wasmUrl from "/build/rapier/rapier.wasm?url"');
    expect(loader).toContain('await rapier.init(wasmUrl)');
    expect(readFileSync(RAPIER_MODULE, 'utf8')).toContain('export async function importRapier()');
  });
});
