import { Vector3 } from 'three';
import { describe, expect, it } from 'vitest';
import { object } from '../../testing/ids.ts';
import { modelOf } from '../../testing/scene/parsed-scenes.ts';
import { createOutput, MODE_FREE, OUT_STRIDE, Simulation, STEP_SECONDS } from './engine/simulation.ts';
import { loadPhysicsEngine } from './load-engine.ts';
import { buildWorldSpec, MAX_BODIES, shapeOf } from './world-spec.ts';

describe('the world a scene asks for', () => {
  it('[PHYS2] bodies for @physics meshes, colliders for @collidable ones and their group, the floor and a ring of walls', async () => {
    const model = await modelOf(`
      object "Ball" @physics { geometry: "sphere"; size: 0.4; position: [0, 3, 0] }
      object "Table" @collidable { geometry: "box"; size: [2, 0.1, 1]; position: [0, 1, 0] }
      object "Wall" @physics(mass: 0) { geometry: "box" }
      group "Shelf" @collidable { position: [3, 0, 0]; object "Board" { geometry: "box"; size: [1, 0.05, 0.3] } }
      object "Lamp" { geometry: "box"; position: [0, 5, 0] }
      environment { floor_radius: 8; gravity: 5 }
    `);
    const spec = buildWorldSpec(model);
    expect(spec.gravity).toEqual([0, -5, 0]);
    expect(spec.bodies.map((b) => b.id)).toEqual([object('Ball')]);
    expect(spec.bodies[0]?.shape).toEqual({ kind: 'ball', radius: 0.2 });
    expect(spec.bodies[0]?.pose.slice(0, 3)).toEqual([0, 3, 0]);
    // Table, the static Wall, the Board in the collidable group; then the floor and 32 wall segments.
    expect(spec.statics).toHaveLength(3 + 1 + 32);
    expect(spec.statics[0]?.shape).toEqual({ kind: 'box', half: [1, 0.05, 0.5] });
    expect(spec.statics[2]?.pose.slice(0, 3)).toEqual([3, 0, 0]);
    const floor = spec.statics[3];
    expect(floor?.pose.slice(0, 3)).toEqual([0, -0.5, 0]);
    // The walls stand at the floor's edge.
    const wall = spec.statics[4]?.pose ?? [];
    expect(Math.hypot(wall[0] as number, wall[2] as number)).toBeCloseTo(8.25, 5);
  });

  it('[PHYS2] primitives become the engine’s shapes, scaled; others their bounding box', async () => {
    const model = await modelOf(`
      object "C" { geometry: "cylinder"; size: [0.5, 2, 0.5] }
      object "E" { geometry: "sphere"; size: [1, 2, 1] }
      object "T" { geometry: "torus" }
    `);
    const one = new Vector3(1, 1, 1);
    const node = (id: string) => model.byId.get(object(id));
    const c = node('C');
    const e = node('E');
    const t = node('T');
    if (!c || !e || !t) throw new Error('nodes missing');
    expect(shapeOf(c, new Vector3(2, 2, 2))).toEqual({ kind: 'cylinder', halfHeight: 2, radius: 0.5 });
    expect(shapeOf(e, one).kind).toBe('hull');
    expect(shapeOf(t, one).kind).toBe('box');
  });

  it('[PHYS3] at most MAX_BODIES bodies; more @physics objects stand still as colliders', async () => {
    const lines = Array.from(
      { length: MAX_BODIES + 5 },
      (_, i) => `object "B${i}" @physics { position: [${i}, 1, 0] }`,
    );
    const spec = buildWorldSpec(await modelOf(lines.join('\n')));
    expect(spec.bodies).toHaveLength(MAX_BODIES);
    expect(spec.statics).toHaveLength(5 + 1 + 32);
  });
});

describe('the simulation', () => {
  it('[PHYS7][PHYS8] fixed 60 Hz steps on Rapier, loaded on demand: the same world stepped twice lands bit for bit the same', async () => {
    const rapier = await loadPhysicsEngine();
    const model = await modelOf(`
      object "A" @physics { position: [0, 2, 0]; rotation: [10, 20, 30] }
      object "B" @physics { position: [0.2, 3.5, 0.1] }
      object "C" @physics(restitution: 0.8) { geometry: "sphere"; size: 0.3; position: [-0.1, 5, 0] }
    `);
    const spec = buildWorldSpec(model);
    const run = () => {
      const sim = new Simulation(rapier, spec);
      const out = createOutput(sim.count);
      const input = {
        modes: new Uint8Array(sim.count).fill(MODE_FREE),
        targets: new Float64Array(sim.count * 7),
        teleports: [],
      };
      for (let i = 0; i < 180; i++) {
        sim.apply(input);
        sim.step();
      }
      sim.read(out);
      sim.free();
      return out;
    };
    const first = run();
    const second = run();
    expect(STEP_SECONDS).toBeCloseTo(1 / 60, 10);
    expect(first.steps).toBe(180);
    expect(Array.from(second.state)).toEqual(Array.from(first.state));
    // Three seconds later they have fallen and stacked on the floor, nothing below it.
    for (let i = 0; i < 3; i++) expect(first.state[i * OUT_STRIDE + 1]).toBeGreaterThan(0.1);
    expect(first.state[1]).toBeLessThan(0.6);
  });
});
