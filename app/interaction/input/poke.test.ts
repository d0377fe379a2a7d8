// MENU6: a fingertip presses a button by touching its face from the front, once per touch.
import { Vector3 } from 'three';
import { describe, expect, test } from 'vitest';
import { Fingertip, POKE_DEPTH_M, POKE_HOVER_M, POKE_PRESS_M, POKE_RELEASE_M, type PokeFace } from './poke.ts';

/** A 10 × 4 cm button facing +Z, centred at `x` metres along X. */
function face(id: string, x = 0): PokeFace {
  return { id, width: 0.1, height: 0.04, toLocal: (world, target) => target.set(world.x - x, world.y, world.z) };
}

/** Moves one fingertip through `zs` (metres in front of the faces, at x, y = 0) and lists what it pressed. */
function pressesAlong(tip: Fingertip, faces: PokeFace[], points: [number, number][]): string[] {
  const pressed: string[] = [];
  for (const [x, z] of points) {
    const id = tip.update(new Vector3(x, 0, z), faces);
    if (id) pressed.push(id);
  }
  return pressed;
}

describe('[MENU6] poking a button with a fingertip', () => {
  test('the constants keep their order: press inside release inside hover', () => {
    expect(POKE_PRESS_M).toBeLessThan(POKE_RELEASE_M);
    expect(POKE_RELEASE_M).toBeLessThan(POKE_HOVER_M);
  });

  test('a touch from the front presses once; resting and trembling at the press depth do not press again', () => {
    const tip = new Fingertip();
    const b = face('b');
    expect(pressesAlong(tip, [b], [[0, 0.2]])).toEqual([]);
    expect(tip.hovered).toBeUndefined();
    expect(pressesAlong(tip, [b], [[0, 0.05]])).toEqual([]);
    expect(tip.hovered).toBe('b');
    expect(pressesAlong(tip, [b], [[0, 0.005]])).toEqual(['b']);
    const tremble: [number, number][] = [];
    for (let i = 0; i < 20; i++) tremble.push([0, i % 2 === 0 ? 0.02 : 0.004]);
    expect(pressesAlong(tip, [b], tremble)).toEqual([]);
    // Back out past the release distance, then in again: a second press.
    expect(
      pressesAlong(
        tip,
        [b],
        [
          [0, POKE_RELEASE_M + 0.005],
          [0, 0.0],
        ],
      ),
    ).toEqual(['b']);
  });

  test('a fast poke seen only before and after presses: one frame in front, the next behind the face', () => {
    expect(
      pressesAlong(
        new Fingertip(),
        [face('b')],
        [
          [0, 0.2],
          [0, -0.03],
        ],
      ),
    ).toEqual(['b']);
  });

  test('a hand going through the menu and back presses once', () => {
    const path: [number, number][] = [0.1, 0.02, -0.02, -0.1, -0.2, -0.1, -0.02, 0.005, 0.02, 0.05, 0.1].map((z) => [
      0,
      z,
    ]);
    expect(pressesAlong(new Fingertip(), [face('b')], path)).toEqual(['b']);
  });

  test('a tip coming from behind, or sliding in from a side behind the face, never presses', () => {
    const fromBehind: [number, number][] = [-0.2, -0.04, -0.01, 0.005, 0.05].map((z) => [0, z]);
    expect(pressesAlong(new Fingertip(), [face('b')], fromBehind)).toEqual([]);
    expect(
      pressesAlong(
        new Fingertip(),
        [face('b')],
        [
          [0.3, -0.01],
          [0, -0.01],
          [0, 0.005],
        ],
      ),
    ).toEqual([]);
  });

  test('off the edges nothing is hovered or pressed; deeper than the depth limit is not touching', () => {
    const tip = new Fingertip();
    expect(
      pressesAlong(
        tip,
        [face('b')],
        [
          [0.2, 0.05],
          [0.2, 0],
        ],
      ),
    ).toEqual([]);
    expect(tip.hovered).toBeUndefined();
    pressesAlong(tip, [face('b')], [[0, -POKE_DEPTH_M - 0.01]]);
    expect(tip.hovered).toBeUndefined();
  });

  test('beside each other, the button under the tip is the one hovered and pressed', () => {
    const faces = [face('left', -0.06), face('right', 0.06)];
    const tip = new Fingertip();
    expect(
      pressesAlong(tip, faces, [
        [0.06, 0.05],
        [0.06, 0],
      ]),
    ).toEqual(['right']);
    expect(tip.hovered).toBe('right');
    // Sliding sideways onto the neighbour while touching is not clear of the faces: no press there.
    expect(pressesAlong(tip, faces, [[-0.06, 0]])).toEqual([]);
  });

  test('a hand no longer tracked hovers nothing and starts afresh', () => {
    const tip = new Fingertip();
    pressesAlong(
      tip,
      [face('b')],
      [
        [0, 0.05],
        [0, 0],
      ],
    );
    expect(tip.update(undefined, [face('b')])).toBeUndefined();
    expect(tip.hovered).toBeUndefined();
    // Seen again already touching: no frame in front of it yet, so no press.
    expect(pressesAlong(tip, [face('b')], [[0, 0]])).toEqual([]);
  });
});
