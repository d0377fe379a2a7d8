/**
 * Rooms for the sync benchmarks: a realistic scene script of a given length
 * and per-object state for its objects, generated from a seed.
 */
import * as prng from 'lib0/prng';
import type { RoomDoc } from '../../app/sync/doc/room-doc.ts';
import { object, peer } from '../../testing/ids.ts';

const GEOMETRIES = ['box', 'sphere', 'cylinder', 'cone', 'torus', 'plane', 'capsule'];
const TRAITS = ['@grabbable', '@clickable', '@hoverable', '@glowing(intensity: 0.4)', '@networked', '@collidable'];

function hex(gen: prng.PRNG): string {
  return `#${prng.uint32(gen, 0, 0xffffff).toString(16).padStart(6, '0')}`;
}

/**
 * A scene of `lines` lines: a composition with an environment and many
 * objects, most on one line, some with state and a click handler.
 */
export function generateScene(lines: number, seed = 1): { script: string; objectIds: string[] } {
  const gen = prng.create(seed);
  const out = ['composition "Benchmark Room" {', '  environment { sky: "#87ceeb", fog: 0.02 }'];
  const objectIds: string[] = [];
  for (let i = 0; out.length < lines - 1; i++) {
    const name = `Object${i}`;
    objectIds.push(name);
    const position = `[${prng.int32(gen, -20, 20)}, ${prng.int32(gen, 0, 5)}, ${prng.int32(gen, -20, 20)}]`;
    const body = `geometry: "${prng.oneOf(gen, GEOMETRIES)}", position: ${position}, color: "${hex(gen)}"`;
    if (i % 7 !== 0 || out.length > lines - 8) {
      out.push(`  object "${name}" ${prng.oneOf(gen, TRAITS)} { ${body} }`);
      continue;
    }
    out.push(`  object "${name}" @clickable {`, `    ${body}`, '    state { count: 0 }', '    on_click {');
    out.push('      count += 1', '    }', '  }');
  }
  out.push('}');
  return { script: `${out.join('\n')}\n`, objectIds };
}

/** Writes object states (moved transforms, a state value, some owners) for the first `count` ids. */
function writeObjectStates(room: RoomDoc, ids: readonly string[], count: number, seed = 2): void {
  if (ids.length < count) throw new Error(`only ${ids.length} objects for ${count} states`);
  const gen = prng.create(seed);
  room.transact(() => {
    for (const id of ids.slice(0, count)) {
      room.setTransform(object(id), {
        position: [prng.real53(gen) * 10, prng.real53(gen) * 2, prng.real53(gen) * 10],
        rotation: [0, prng.int32(gen, 0, 359), 0],
        scale: [1, 1, 1],
      });
      room.setStateValue(object(id), 'count', prng.int32(gen, 0, 50));
      if (prng.int32(gen, 0, 4) === 0) room.setOwner(object(id), peer(prng.uint32(gen, 1, 1e9)));
    }
  });
}

/** The 1000-line, 500-object room of the late-join benchmark, in `room`. */
export function fillLateJoinRoom(room: RoomDoc): { script: string; objects: number } {
  const { script, objectIds } = generateScene(1000);
  room.replaceScript(script);
  writeObjectStates(room, objectIds, 500);
  return { script, objects: room.objectCount };
}
