import { Quaternion, Vector3 } from 'three';
import { describe, expect, it } from 'vitest';
import { FALL_LIMIT, Flight, type FlightEnd, MAX_FLIGHT_MS, REST_SPEED } from './flight.ts';

const start = (x: number, y: number, z: number) => ({ position: new Vector3(x, y, z), quaternion: new Quaternion() });

function fly(flight: Flight, dtMs = 16, maxMs = 20_000): { end: FlightEnd; ms: number } {
  let ms = 0;
  let end: FlightEnd = 'flying';
  while (end === 'flying' && ms < maxMs) {
    end = flight.step(dtMs);
    ms += dtMs;
  }
  return { end, ms };
}

describe('Flight', () => {
  it('[THROW2] falls, bounces and comes to rest with its bottom on the floor', () => {
    const flight = new Flight(start(0, 1.5, 0), new Vector3(2, 1, 0), new Vector3(0, 3, 0), 0.1, () => 0);
    const { end } = fly(flight);
    expect(end).toBe('rest');
    expect(flight.pose.position.y).toBeCloseTo(0.1, 6);
    expect(flight.pose.position.x).toBeGreaterThan(1);
    expect(flight.velocity.length()).toBeLessThan(REST_SPEED);
  });

  it('[THROW2] the path does not depend on the frame rate', () => {
    const a = new Flight(start(0, 1.5, 0), new Vector3(2, 1, 0), new Vector3(), 0.1, () => 0);
    const b = new Flight(start(0, 1.5, 0), new Vector3(2, 1, 0), new Vector3(), 0.1, () => 0);
    fly(a, 8);
    fly(b, 100);
    expect(a.pose.position.distanceTo(b.pose.position)).toBeLessThan(0.05);
  });

  it('[THROW2] lands on a @collidable surface below it', () => {
    // A table top at 0.8 m from x = -1 to 1; the floor elsewhere.
    const surface = (x: number, y: number) => (Math.abs(x) <= 1 && y >= 0.8 ? 0.8 : 0);
    const flight = new Flight(start(0, 1.2, 0), new Vector3(0.5, 0, 0), new Vector3(), 0.05, surface);
    expect(fly(flight).end).toBe('rest');
    expect(flight.pose.position.y).toBeCloseTo(0.85, 6);
  });

  it('[THROW3] with nothing below it falls out; a flight never lasts longer than MAX_FLIGHT_MS', () => {
    const falling = new Flight(start(0, 1, 0), new Vector3(1, 0, 0), new Vector3(), 0, () => Number.NEGATIVE_INFINITY);
    const fell = fly(falling);
    expect(fell.end).toBe('fell');
    expect(falling.pose.position.y).toBeLessThan(FALL_LIMIT);
    // Sliding forever on a frictionless-looking ramp stand-in: a surface that keeps dropping away.
    const ramp = (x: number) => -x * 0.01;
    const long = new Flight(start(0, 0, 0), new Vector3(14, 0, 0), new Vector3(), 0, ramp);
    const ended = fly(long, 16, 60_000);
    expect(['timeout', 'rest']).toContain(ended.end);
    expect(ended.ms).toBeLessThanOrEqual(MAX_FLIGHT_MS + 16);
  });
});
