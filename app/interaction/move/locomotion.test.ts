import { Vector3 } from 'three';
import { describe, expect, it } from 'vitest';
import {
  applyDeadzone,
  headingOf,
  keepHeadOnFloor,
  MOVE_SPEED,
  type Rig,
  SnapTurn,
  smoothMove,
  teleportRig,
  turnAboutHead,
} from './locomotion.ts';

const rig = (x = 0, z = 0, yaw = 0, scale = 1): Rig => ({ position: new Vector3(x, 0, z), yaw, scale });

describe('locomotion', () => {
  it('[LOCO1] the stick moves the rig where the head looks, at MOVE_SPEED', () => {
    const r = rig();
    // Stick fully up (y = -1) for one second, looking along -Z.
    for (let i = 0; i < 10; i++) smoothMove(r, 0, 0, -1, 100);
    expect(r.position.z).toBeCloseTo(-MOVE_SPEED);
    expect(r.position.x).toBeCloseTo(0);
    // Looking along -X (heading +90°), stick right moves toward -Z (the head's right).
    const turned = rig();
    smoothMove(turned, Math.PI / 2, 1, 0, 100);
    expect(turned.position.z).toBeCloseTo(-MOVE_SPEED * 0.1);
    expect(turned.position.x).toBeCloseTo(0);
  });

  it('[LOCO1] nothing inside the dead zone, a long frame counts as MAX_STEP_MS, scale scales speed', () => {
    const r = rig();
    expect(smoothMove(r, 0, 0.05, -0.1, 100)).toBe(false);
    expect(applyDeadzone(0.5, 0.5)).toBeGreaterThan(0.4);
    smoothMove(r, 0, 0, -1, 5000);
    expect(r.position.z).toBeCloseTo(-MOVE_SPEED * 0.1);
    const big = rig(0, 0, 0, 10);
    smoothMove(big, 0, 0, -1, 100);
    expect(big.position.z).toBeCloseTo(-MOVE_SPEED);
  });

  it('[LOCO2] a push of the stick turns once by the chosen angle, again only after it comes back', () => {
    const turn = new SnapTurn();
    const step = (30 * Math.PI) / 180;
    expect(turn.update(0.5, 30)).toBe(0);
    expect(turn.update(0.8, 30)).toBeCloseTo(-step);
    expect(turn.update(1, 30)).toBe(0);
    expect(turn.update(0.5, 30)).toBe(0);
    expect(turn.update(0.2, 30)).toBe(0);
    expect(turn.update(-0.9, 30)).toBeCloseTo(step);
  });

  it('[LOCO2] [COMFORT3] the next push uses the angle chosen now; 0 turns snap turning off', () => {
    const turn = new SnapTurn();
    expect(turn.update(1, 45)).toBeCloseTo(-Math.PI / 4);
    turn.update(0, 45);
    expect(turn.update(-1, 90)).toBeCloseTo(Math.PI / 2);
    turn.update(0, 90);
    expect(turn.update(1, 0)).toBe(0);
    expect(turn.update(-1, 0)).toBe(0);
    // Turned back on while the stick is still pushed: it turns at once (the push was never used).
    expect(turn.update(-1, 30)).toBeCloseTo(Math.PI / 6);
  });

  it('[LOCO2] turning about the head keeps the head in place', () => {
    const r = rig(1, 2, 0);
    // The head stands 0.5 m to the rig's right.
    const head = new Vector3(1.5, 1.6, 2);
    turnAboutHead(r, head, Math.PI / 2);
    expect(r.yaw).toBeCloseTo(Math.PI / 2);
    // The head's offset inside the rig, turned by the new yaw, still lands on the head.
    const offset = new Vector3(0.5, 0, 0).applyAxisAngle(new Vector3(0, 1, 0), r.yaw);
    expect(r.position.x + offset.x).toBeCloseTo(head.x);
    expect(r.position.z + offset.z).toBeCloseTo(head.z);
  });

  it('[LOCO3] a teleport puts the head, not the rig origin, above the landing point', () => {
    const r = rig(0, 0, Math.PI / 2, 2);
    teleportRig(r, new Vector3(4, 0.8, -3), new Vector3(0.3, 1.6, -0.2));
    const head = new Vector3(0.3, 0, -0.2).multiplyScalar(2).applyAxisAngle(new Vector3(0, 1, 0), r.yaw);
    expect(r.position.x + head.x).toBeCloseTo(4);
    expect(r.position.z + head.z).toBeCloseTo(-3);
    expect(r.position.y).toBe(0.8);
  });

  it('[LOCO4] the head is pulled back inside the floor radius', () => {
    const r = rig(9, 0);
    const head = new Vector3(12, 1.6, 0);
    expect(keepHeadOnFloor(r, head, 10)).toBe(true);
    expect(r.position.x).toBeCloseTo(7);
    expect(keepHeadOnFloor(r, new Vector3(3, 1.6, 4), 10)).toBe(false);
  });

  it('headingOf reads the yaw of a forward vector', () => {
    expect(headingOf(new Vector3(0, 0, -1))).toBeCloseTo(0);
    expect(headingOf(new Vector3(-1, 0, 0))).toBeCloseTo(Math.PI / 2);
  });
});
