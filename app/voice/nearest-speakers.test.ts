import { describe, expect, it } from 'vitest';
import { peer } from '../../testing/ids.ts';
import { NEAREST_SPEAKERS, nearestLimitFrom } from './nearest-limit.ts';
import {
  SELECTION_INTERVAL_MS,
  type SpeakerCandidate,
  SpeakerSelection,
  SWITCH_MARGIN_M,
  selectSpeakers,
} from './nearest-speakers.ts';

const ears = { x: 0, y: 1.6, z: 0 };
/** Speaker `id` standing `x` metres to the listener's right, at ear height. */
const at = (id: number, x: number): SpeakerCandidate => ({ peerId: peer(id), position: { x, y: 1.6, z: 0 } });
const ids = (set: ReadonlySet<number>) => [...set].sort((a, b) => a - b);

describe('nearest speakers', () => {
  it('[VOICE14] up to the limit every open microphone is heard, wherever it is', () => {
    const speakers = Array.from({ length: NEAREST_SPEAKERS }, (_, i) => at(i + 1, 100 * (i + 1)));
    expect(ids(selectSpeakers(ears, speakers, new Set()))).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
  });

  it('[VOICE14] above the limit only the nearest are heard, by distance in 3D', () => {
    const speakers = [at(1, 9), at(2, 1), at(3, 5), at(4, 3), { peerId: peer(5), position: { x: 0, y: 9, z: 0 } }];
    expect(ids(selectSpeakers(ears, speakers, new Set(), { limit: 3 }))).toEqual([2, 3, 4]);
    const twelve = Array.from({ length: 12 }, (_, i) => at(i + 1, 12 - i));
    expect(ids(selectSpeakers(ears, twelve, new Set()))).toEqual([5, 6, 7, 8, 9, 10, 11, 12]);
  });

  it('[VOICE14] ?voice-nearest takes a whole number 1..32, anything else keeps the default', () => {
    expect(nearestLimitFrom('1')).toBe(1);
    expect(nearestLimitFrom('32')).toBe(32);
    for (const bad of [null, '', '0', '33', '-1', '1.5', '1e1', ' 2', '999999999999', 'eight']) {
      expect(nearestLimitFrom(bad)).toBe(NEAREST_SPEAKERS);
    }
  });

  it('[VOICE14] a speaker without a pose yet counts as farthest; ties go to the lower id', () => {
    const speakers = [{ peerId: peer(1), position: undefined }, at(3, 2), at(2, 2)];
    expect(ids(selectSpeakers(ears, speakers, new Set(), { limit: 1 }))).toEqual([2]);
    expect(ids(selectSpeakers(ears, speakers, new Set(), { limit: 2 }))).toEqual([2, 3]);
  });

  it('[VOICE14] hysteresis: a heard speaker stays until another is closer by more than the margin', () => {
    let heard = new Set([peer(1)]);
    // Speaker 2 walks towards the listener while speaker 1 stands 4 m away.
    for (const x of [6, 5, 4, 3.5, 3 + 1e-9]) {
      heard = selectSpeakers(ears, [at(1, 4), at(2, x)], heard, { limit: 1 });
      expect(ids(heard), `speaker 2 at ${x} m`).toEqual([1]);
    }
    heard = selectSpeakers(ears, [at(1, 4), at(2, 4 - SWITCH_MARGIN_M - 0.01)], heard, { limit: 1 });
    expect(ids(heard)).toEqual([2]);
    // Swaying back and forth around the boundary does not hand the place back.
    for (let i = 0; i < 50; i++) {
      heard = selectSpeakers(ears, [at(1, 4), at(2, 3.5 + 0.4 * Math.sin(i))], heard, { limit: 1 });
      expect(ids(heard)).toEqual([2]);
    }
  });

  it('[VOICE14] without hysteresis the same sway would flap (the margin is what holds it)', () => {
    let heard = new Set([peer(1)]);
    let changes = 0;
    for (let i = 0; i < 50; i++) {
      const next = selectSpeakers(ears, [at(1, 4), at(2, 4 + 0.4 * Math.sin(i))], heard, { limit: 1, margin: 0 });
      if (ids(next)[0] !== ids(heard)[0]) changes++;
      heard = next;
    }
    expect(changes).toBeGreaterThan(10);
    heard = new Set([peer(1)]);
    for (let i = 0; i < 50; i++) {
      heard = selectSpeakers(ears, [at(1, 4), at(2, 4 + 0.4 * Math.sin(i))], heard, { limit: 1 });
      expect(ids(heard)).toEqual([1]);
    }
  });
});

describe('speaker selection between pages', () => {
  const L = peer(10);
  const A = peer(20);
  const B = peer(30);
  const present = new Set([L, A, B]);
  /** Heads by peer, as each page's pose channel would have them. */
  const heads = new Map<number, number>();
  const headOf = (id: number, into: { x: number; y: number; z: number }) => {
    const x = heads.get(id);
    if (x === undefined) return false;
    into.x = x;
    into.y = 1.6;
    into.z = 0;
    return true;
  };
  const pages = () => ({ l: new SpeakerSelection(L, 1), a: new SpeakerSelection(A, 1), b: new SpeakerSelection(B, 1) });

  it('[VOICE14] at or below the limit no listen message is sent and every speaker sends to every listener', () => {
    const l = new SpeakerSelection(L, 2);
    l.receive({ kind: 'mic', from: A, open: true });
    l.receive({ kind: 'mic', from: B, open: true });
    heads.set(A, 2).set(B, 6);
    expect(l.choose(0, ears, present, headOf)).toEqual([]);
    expect(l.view().heard.sort()).toEqual([A, B]);
    expect(new SpeakerSelection(A).sendsTo(L)).toBe(true);
  });

  it('[VOICE14] above the limit the listener asks the farther speaker to stop, and asks again when the nearest changes', () => {
    const { l, a, b } = pages();
    heads.set(A, 2).set(B, 6);
    l.receive({ kind: 'mic', from: A, open: true });
    expect(l.choose(0, ears, present, headOf)).toEqual([]);
    l.receive({ kind: 'mic', from: B, open: true });
    const first = l.choose(1, ears, present, headOf);
    expect(first).toEqual([{ kind: 'listen', from: L, to: B, on: false }]);
    for (const m of first) expect((m.to === A ? a : b).receive(m)).toBe(true);
    expect([a.sendsTo(L), b.sendsTo(L)]).toEqual([true, false]);
    expect([l.leftOut(A), l.leftOut(B)]).toEqual([false, true]);
    // Not again before the interval, nor when nothing changed.
    heads.set(A, 20);
    expect(l.choose(2, ears, present, headOf)).toEqual([]);
    const second = l.choose(1 + SELECTION_INTERVAL_MS, ears, present, headOf);
    expect(second).toEqual([
      { kind: 'listen', from: L, to: A, on: false },
      { kind: 'listen', from: L, to: B, on: true },
    ]);
    for (const m of second) (m.to === A ? a : b).receive(m);
    expect([a.sendsTo(L), b.sendsTo(L)]).toEqual([false, true]);
    expect(l.choose(1 + 2 * SELECTION_INTERVAL_MS, ears, present, headOf)).toEqual([]);
  });

  it('[VOICE14] someone who leaves presence, closes their microphone or starts again stops counting', () => {
    const { l, b } = pages();
    heads.set(A, 2).set(B, 6);
    l.receive({ kind: 'mic', from: A, open: true });
    l.receive({ kind: 'mic', from: B, open: true });
    for (const m of l.choose(0, ears, present, headOf)) b.receive(m);
    expect(b.sendsTo(L)).toBe(false);
    // A is no longer present: B is the only open microphone, heard again.
    const onlyB = l.choose(SELECTION_INTERVAL_MS, ears, new Set([L, B]), headOf);
    expect(onlyB).toEqual([{ kind: 'listen', from: L, to: B, on: true }]);
    for (const m of onlyB) b.receive(m);
    expect(b.sendsTo(L)).toBe(true);
    // A mic closing also counts at once (the next choice is not held back by the interval).
    for (const m of l.choose(2 * SELECTION_INTERVAL_MS, ears, present, headOf)) b.receive(m);
    expect(b.sendsTo(L)).toBe(false);
    l.receive({ kind: 'mic', from: A, open: false });
    expect(l.choose(2 * SELECTION_INTERVAL_MS + 1, ears, present, headOf)).toEqual([
      { kind: 'listen', from: L, to: B, on: true },
    ]);
    // A broadcast hello from the listener (it started again): the speaker sends to it again; an answer hello does not.
    b.receive({ kind: 'listen', from: L, to: B, on: false });
    expect(b.receive({ kind: 'hello', from: L, to: B })).toBe(false);
    expect(b.sendsTo(L)).toBe(false);
    expect(b.receive({ kind: 'hello', from: L })).toBe(true);
    expect(b.sendsTo(L)).toBe(true);
  });

  it('[VOICE14] after its own socket comes back a listener tells the speakers again', () => {
    const { l } = pages();
    heads.set(A, 2).set(B, 6);
    l.receive({ kind: 'mic', from: A, open: true });
    l.receive({ kind: 'mic', from: B, open: true });
    expect(l.choose(0, ears, present, headOf)).toHaveLength(1);
    l.restart();
    expect(l.view().openMics).toEqual([]);
    l.receive({ kind: 'mic', from: A, to: L, open: true });
    l.receive({ kind: 'mic', from: B, to: L, open: true });
    expect(l.choose(1, ears, present, headOf)).toEqual([{ kind: 'listen', from: L, to: B, on: false }]);
  });
});
