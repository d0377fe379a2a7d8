// Deterministic jitter-buffer tests: a fake timeline, a seeded random source,
// and a sender whose entity moves along x = sin(t). Nothing sleeps.
import { describe, expect, it } from 'vitest';
import { TICK_MS } from '../wire/time.ts';
import { EntityTrack, MAX_EXTRAPOLATION_MS } from './entity-track.ts';
import { INITIAL_PLAYOUT_DELAY_MS, PlayoutClock } from './playout-clock.ts';

/** Mulberry32: small seeded PRNG. */
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const truth = (senderMs: number) => Math.sin(senderMs / 300);
const identity = { x: 0, y: 0, z: 0, w: 1 };

interface Scenario {
  seconds: number;
  /** Transit for message k (ms). */
  transit?: (k: number, random: () => number) => number;
  /** True: message k is lost. */
  lost?: (k: number, random: () => number) => boolean;
  /** Receiver clock = sender clock * (1 + drift) + offset. */
  drift?: number;
  offsetMs?: number;
  seed?: number;
}

interface Outcome {
  states: Record<string, number>;
  maxErrorInterpolated: number;
  finalDelay: number;
  delays: number[];
}

/** Runs sender, network and receiver on one fake timeline (receiver frames at 60 Hz). */
function simulate(s: Scenario): Outcome {
  const random = seeded(s.seed ?? 1);
  const clock = new PlayoutClock();
  const track = new EntityTrack();
  const drift = s.drift ?? 0;
  const offset = s.offsetMs ?? 5_000;
  const toLocal = (senderMs: number) => senderMs * (1 + drift) + offset;
  const arrivals: { at: number; send: number }[] = [];
  const total = Math.round((s.seconds * 1000) / TICK_MS);
  for (let k = 0; k < total; k++) {
    const send = 1000 + k * TICK_MS;
    const transit = s.transit ? s.transit(k, random) : 2;
    if (s.lost?.(k, random)) continue;
    arrivals.push({ at: toLocal(send) + transit, send });
  }
  arrivals.sort((a, b) => a.at - b.at);
  const states: Record<string, number> = { interpolated: 0, extrapolated: 0, held: 0, empty: 0 };
  const delays: number[] = [];
  let maxErrorInterpolated = 0;
  const position = { x: 0, y: 0, z: 0 };
  const rotation = { x: 0, y: 0, z: 0, w: 1 };
  let next = 0;
  for (let frame = toLocal(1000) + 0.5; frame < toLocal(1000 + s.seconds * 1000); frame += TICK_MS) {
    while (next < arrivals.length && (arrivals[next] as { at: number }).at <= frame) {
      const { at, send } = arrivals[next] as { at: number; send: number };
      clock.onArrival(send, at);
      track.push(send, { x: truth(send), y: 0, z: 0 }, identity);
      next++;
    }
    const renderTime = clock.renderTime(frame);
    const state = track.sample(renderTime, position, rotation);
    states[state] = (states[state] ?? 0) + 1;
    // Skip the first second: the delay is still adapting.
    if (state === 'interpolated' && frame > toLocal(2000)) {
      maxErrorInterpolated = Math.max(maxErrorInterpolated, Math.abs(position.x - truth(renderTime)));
    }
    delays.push(clock.delayMs);
  }
  return { states, maxErrorInterpolated, finalDelay: clock.delayMs, delays };
}

const fraction = (o: Outcome, state: string) =>
  (o.states[state] ?? 0) / Object.values(o.states).reduce((a, b) => a + b, 0);

describe('playout delay ([POSE10])', () => {
  it('[POSE10] starts near two ticks', () => {
    expect(new PlayoutClock().delayMs).toBeCloseTo(2 * TICK_MS, 5);
    expect(INITIAL_PLAYOUT_DELAY_MS).toBeCloseTo(33.3, 1);
  });

  it('[POSE10] settles near one tick on a steady link and interpolates every frame', () => {
    const o = simulate({ seconds: 20 });
    expect(o.finalDelay).toBeGreaterThan(TICK_MS);
    expect(o.finalDelay).toBeLessThan(TICK_MS + 4);
    expect(fraction(o, 'interpolated')).toBeGreaterThan(0.99);
    expect(o.maxErrorInterpolated).toBeLessThan(0.003);
  });

  it('[POSE10] grows with measured jitter so frames still interpolate', () => {
    const o = simulate({ seconds: 20, transit: (_k, r) => 2 + r() * 40, seed: 3 });
    expect(o.finalDelay).toBeGreaterThan(45);
    expect(o.finalDelay).toBeLessThan(120);
    expect(fraction(o, 'interpolated')).toBeGreaterThan(0.95);
  });

  it('[POSE10] comes back down slowly when jitter goes away', () => {
    const o = simulate({ seconds: 40, transit: (k, r) => (k < 600 ? 2 + r() * 40 : 2), seed: 4 });
    const atTen = o.delays[600] as number;
    expect(atTen).toBeGreaterThan(45);
    expect(o.finalDelay).toBeLessThan(atTen / 2);
  });
});

describe('interpolation, reorder, loss, bursts and drift ([POSE11], [POSE12])', () => {
  it('[POSE11] reordered messages are put back in time order', () => {
    // Every third message overtakes the one before it.
    const o = simulate({ seconds: 10, transit: (k) => (k % 3 === 1 ? 12 : 2), seed: 5 });
    expect(fraction(o, 'interpolated')).toBeGreaterThan(0.97);
    expect(o.maxErrorInterpolated).toBeLessThan(0.003);
  });

  it('[POSE11] a short loss is bridged by extrapolation, a long one holds', () => {
    const track = new EntityTrack();
    for (let k = 0; k < 10; k++) track.push(k * TICK_MS, { x: k, y: 0, z: 0 }, identity);
    const last = 9 * TICK_MS;
    const position = { x: 0, y: 0, z: 0 };
    const rotation = { x: 0, y: 0, z: 0, w: 1 };
    expect(track.sample(last + 2 * TICK_MS, position, rotation)).toBe('extrapolated');
    expect(position.x).toBeCloseTo(11, 6); // kept moving at one unit per tick
    expect(track.sample(last + 10 * MAX_EXTRAPOLATION_MS, position, rotation)).toBe('held');
    const limit = 9 + MAX_EXTRAPOLATION_MS / TICK_MS;
    expect(position.x).toBeCloseTo(limit, 6); // stopped at the extrapolation limit
  });

  it('[POSE11] random 10 % loss still interpolates most frames', () => {
    const o = simulate({ seconds: 20, lost: (_k, r) => r() < 0.1, seed: 6 });
    expect(fraction(o, 'interpolated') + fraction(o, 'extrapolated')).toBeGreaterThan(0.99);
    expect(fraction(o, 'interpolated')).toBeGreaterThan(0.9);
    expect(o.maxErrorInterpolated).toBeLessThan(0.01);
  });

  it('[POSE12] bursts (stalls then everything at once) raise the delay and keep the order', () => {
    // Every second, 100 ms of messages are held back and delivered together.
    const o = simulate({ seconds: 20, transit: (k) => (k % 60 < 6 ? 2 + (6 - (k % 60)) * TICK_MS : 2), seed: 7 });
    expect(o.finalDelay).toBeGreaterThan(60);
    expect(fraction(o, 'interpolated')).toBeGreaterThan(0.9);
    expect(o.maxErrorInterpolated).toBeLessThan(0.005);
  });

  it('[POSE12] follows clock drift in either direction (±0.1 %)', () => {
    for (const drift of [0.001, -0.001]) {
      const o = simulate({ seconds: 60, drift, seed: 8 });
      expect(fraction(o, 'interpolated')).toBeGreaterThan(0.97);
      expect(o.finalDelay).toBeLessThan(30);
    }
  });

  it('[POSE11] slerps rotations between samples', () => {
    const track = new EntityTrack();
    const half = Math.SQRT1_2;
    track.push(0, { x: 0, y: 0, z: 0 }, identity);
    track.push(100, { x: 0, y: 0, z: 0 }, { x: 0, y: half, z: 0, w: half }); // 90° about y
    const rotation = { x: 0, y: 0, z: 0, w: 1 };
    track.sample(50, { x: 0, y: 0, z: 0 }, rotation);
    const angle = (2 * Math.acos(rotation.w) * 180) / Math.PI;
    expect(angle).toBeCloseTo(45, 6);
  });

  it('[POSE11] a sample with only one field keeps the other from the sample before it', () => {
    const track = new EntityTrack();
    track.push(0, { x: 1, y: 2, z: 3 }, identity);
    track.push(10, undefined, { x: 0, y: 1, z: 0, w: 0 });
    const position = { x: 0, y: 0, z: 0 };
    track.sample(10, position, { x: 0, y: 0, z: 0, w: 1 });
    expect(position).toEqual({ x: 1, y: 2, z: 3 });
  });
});
